/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text of ACL rule fields (protocol, port range, DSCP, TC), as the config
 * file and the CLI write them, to numbers and back. Pure C, no EAL: the
 * config check, the CLI and the unit tests share it.
 */
#ifndef FERRY_ACL_TEXT_H
#define FERRY_ACL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/** "Any" of acl_proto_parse(), acl_dscp_parse() and acl_tc_parse(). */
#define ACL_ANY (-1)

/**
 * "tcp", "udp", "icmp", "sctp", "gre", "esp" or a number 0..255; ""
 * gives ACL_ANY. @return 0, or -EINVAL with a reason in @p why.
 */
int acl_proto_parse(const char *s, int *proto, const char **why);

/**
 * "80" or "1024-65535" (lo <= hi); "" gives 0-65535.
 * @return 0, or -EINVAL with a reason in @p why.
 */
int acl_ports_parse(const char *s, uint16_t *lo, uint16_t *hi,
		    const char **why);

/**
 * A DSCP: 0..63 or a name of RFC 2474/2597/3246/5865/8622 ("cs1",
 * "af41", "ef", "va", "le", "be" = 0); "" gives ACL_ANY.
 * @return 0, or -EINVAL with a reason in @p why.
 */
int acl_dscp_parse(const char *s, int *dscp, const char **why);

/** An MPLS TC 0..7 ("" gives ACL_ANY). @return 0 or -EINVAL. */
int acl_tc_parse(const char *s, int *tc, const char **why);

#endif /* FERRY_ACL_TEXT_H */
