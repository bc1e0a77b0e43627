/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FPM frames and the netlink route messages in them, checked and
 * decoded with libmnl. Pure C (no EAL): the unit and fuzz tests call it.
 *
 * Frame (FRR fpm/fpm.h): version (1), message type (1 = netlink),
 * length (16 bits, network order, header included), then netlink
 * messages filling the rest exactly. dplane_fpm_nl puts a route change
 * as RTM_DELROUTE then RTM_NEWROUTE in one frame.
 */
#ifndef FERRY_FPM_PARSE_H
#define FERRY_FPM_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#define FPM_HDR_LEN 4
#define FPM_VERSION 1
#define FPM_TYPE_NETLINK 1
#define FPM_FRAME_MAX 65535
#define FPM_PATHS_MAX 16   /* = ROUTE_PATHS_MAX */
#define FPM_LABELS_MAX 8   /* = MPLS push depth ferry takes */

/* Why input was refused (each closes the connection) or skipped. */
#define FOREACH_FPM_ERR(_)                                              \
	_(OK, "ok")                                                     \
	_(BAD_VERSION, "bad_version")       /* frame version not 1 */   \
	_(BAD_TYPE, "bad_frame_type")       /* not a netlink frame */   \
	_(BAD_LENGTH, "bad_frame_length")   /* shorter than a message */ \
	_(BAD_NETLINK, "bad_netlink")       /* message lengths wrong */ \
	_(BAD_ATTR, "bad_attribute")        /* length, unknown type */  \
	_(BAD_ROUTE, "bad_route")           /* values a kernel refuses */

enum fpm_err {
#define _FPM_ERR_ENUM(e, n) FPM_ERR_##e,
	FOREACH_FPM_ERR(_FPM_ERR_ENUM)
#undef _FPM_ERR_ENUM
	FPM_ERR_MAX
};

/** Counter name of @p e. */
const char *fpm_err_name(enum fpm_err e);

/** A member of a next-hop group (NHA_GROUP's struct nexthop_grp). */
struct fpm_grp {
	uint32_t id;
	uint16_t weight;    /* nexthop_grp.weight + 1 (zebra sends w - 1) */
};

struct fpm_path {
	uint32_t gw;        /* host order; 0 = none */
	uint8_t gw6[16];    /* AF_INET6: the gateway; :: = none */
	uint32_t ifindex;   /* 0 = none */
	uint8_t weight;     /* rtnh_hops + 1 */
	uint8_t n_labels;   /* RTA_ENCAP MPLS push, outermost first */
	uint32_t labels[FPM_LABELS_MAX];
};

/**
 * One decoded route message, or next-hop object message
 * (RTM_NEWNEXTHOP / RTM_DELNEXTHOP, zebra's `fpm use-next-hop-groups`):
 * nh_id is NHA_ID; a single next hop is paths[0] (NHA_GATEWAY, NHA_OIF,
 * NHA_ENCAP labels; NHA_BLACKHOLE gives rtm_type RTN_BLACKHOLE); a group
 * is group[] (NHA_GROUP). For a route, nh_id is RTA_NH_ID (0 = none).
 */
struct fpm_route {
	uint16_t msg_type;  /* RTM_NEWROUTE / RTM_DELROUTE / *NEXTHOP */
	uint8_t family;     /* AF_INET, AF_MPLS, ... */
	uint8_t rtm_type;   /* RTN_UNICAST, RTN_BLACKHOLE, ... */
	uint8_t protocol;   /* rtm_protocol (RTPROT_BGP, ...) */
	uint8_t dst_len;
	uint32_t table;     /* RTA_TABLE, else rtm_table */
	uint32_t dst;       /* IPv4 host order; AF_MPLS: the label */
	uint8_t dst6[16];   /* AF_INET6: the destination */
	uint8_t n_paths;
	uint8_t paths_dropped; /* beyond FPM_PATHS_MAX */
	uint8_t unsupported;   /* a form ferry does not forward (another
				* encap type): skipped, counted */
	uint32_t nh_id;     /* RTA_NH_ID / NHA_ID */
	uint8_t n_group;    /* NHA_GROUP members (beyond 16: dropped) */
	struct fpm_grp group[FPM_PATHS_MAX];
	struct fpm_path paths[FPM_PATHS_MAX];
};

/**
 * Length of the frame at @p buf if all @p have bytes hold it, 0 if more
 * are needed, -1 with @p err set if the header is bad.
 */
int fpm_frame_len(const uint8_t *buf, size_t have, enum fpm_err *err);

/**
 * Walk the netlink messages of one frame's payload (@p buf 4-byte
 * aligned, @p len bytes), calling @p fn for each message: route and
 * next-hop object messages decoded, others given with msg_type set and
 * no decoding. Stops at the first error or non-zero @p fn result.
 * @return FPM_ERR_OK or the error.
 */
enum fpm_err fpm_frame_walk(const void *buf, size_t len,
			    int (*fn)(const struct fpm_route *r, void *arg),
			    void *arg);

#endif /* FERRY_FPM_PARSE_H */
