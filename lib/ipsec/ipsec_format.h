/* SPDX-License-Identifier: BSD-3-Clause */
/* Formatters of lib/ipsec objects (management lcore). */
#ifndef FERRY_IPSEC_FORMAT_H
#define FERRY_IPSEC_FORMAT_H

#include "cli.h"

struct ipsec_sa;
struct spd_rule;
struct spd6_rule;

/** An SA: settings, state, counters, lifetime use. Never its keys. */
void ipsec_sa_format(struct cli_out *out, const struct ipsec_sa *s);

/** SPD rule @p idx (its index in ipsec.spd) of direction @p dir. */
void ipsec_spd_rule_format(struct cli_out *out, unsigned int idx, int dir,
			   const struct spd_rule *r);

/** IPv6 SPD rule @p idx (its index in ipsec.spd6) of direction @p dir. */
void ipsec_spd6_rule_format(struct cli_out *out, unsigned int idx, int dir,
			    const struct spd6_rule *r);

#endif /* FERRY_IPSEC_FORMAT_H */
