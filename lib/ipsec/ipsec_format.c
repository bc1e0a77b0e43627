/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One formatter per object: an SA (never its keys) and an SPD rule, as
 * `show ipsec sa` and `show ipsec spd` print them.
 */
#include <inttypes.h>
#include <stdio.h>

#include <rte_cycles.h>

#include "ipsec_format.h"
#include "ipsec_priv.h"

static const char *
dir_name(int d)
{
	return d == IPSEC_DIR_OUT ? "out" : "in";
}

static void
fmt_limit(struct cli_out *out, const char *what, uint64_t used, uint64_t soft,
	  uint64_t hard)
{
	cli_printf(out, " %s %" PRIu64, what, used);
	if (soft != 0)
		cli_printf(out, " soft %" PRIu64, soft);
	if (hard != 0)
		cli_printf(out, " hard %" PRIu64, hard);
	cli_printf(out, ";");
}

void
ipsec_sa_format(struct cli_out *out, const struct ipsec_sa *s)
{
	const struct ipsec_sa_conf *c = &s->conf;
	const struct ipsec_lifetime_conf *l = &c->lifetime;
	char a[48], b[48];
	uint64_t now = rte_get_timer_cycles() * 1000 / rte_get_timer_hz();

	if (s->outer6) {
		cfg_format_ipv6(c->local6, a, sizeof(a));
		cfg_format_ipv6(c->remote6, b, sizeof(b));
	} else {
		cfg_format_ipv4(c->local, a, sizeof(a));
		cfg_format_ipv4(c->remote, b, sizeof(b));
	}
	cli_printf(out, "sa %u %s %s %s -> %s underlay %s inner %s%s%s%s\n",
		   c->spi, dir_name(c->direction), c->algorithm, a, b,
		   c->underlay_vrf, c->inner_vrf, s->inner6 ? " ipv6" : "",
		   c->esn ? " esn" : "", c->nat_t ? " nat-t" : "");
	if (s->reqid != 0)
		cli_printf(out, "  ike reqid %u tunnel %u\n", s->reqid,
			   s->tunnel);
	if (c->nat_t) /* charon's UPDATE_SA may move them (NAT mapping) */
		cli_printf(out, "  udp %u -> %u\n", c->nat_t_sport,
			   c->nat_t_dport);
	cli_printf(out, "  state %s  packets %" PRIu64 "  bytes %" PRIu64
		   "  errors %" PRIu64 "\n",
		   ipsec_sa_state_name(__atomic_load_n(&s->state,
						       __ATOMIC_RELAXED)),
		   s->packets, s->bytes, s->errors);
	if (s->outbound)
		cli_printf(out, "  last seq %u (low 32 bits)\n", s->last_seq);
	else
		cli_printf(out, "  replay window %u  highest seq %" PRIu64
			   "  last 64 (bit i = highest - i) 0x%016" PRIx64
			   "\n  replayed %" PRIu64 "  bad icv %" PRIu64 "\n",
			   c->replay_window, s->win->top, replay_recent(s->win),
			   s->replays, s->bad_icv);
	cli_printf(out, "  lifetime:");
	fmt_limit(out, "packets", s->packets, l->soft_packets,
		  l->hard_packets);
	fmt_limit(out, "bytes", s->bytes, l->soft_bytes, l->hard_bytes);
	fmt_limit(out, "seconds", (now - s->created_ms) / 1000,
		  l->soft_seconds, l->hard_seconds);
	cli_printf(out, " soft expiries %" PRIu64 "\n", s->soft_events);
}

static void
fmt_ports(char *buf, size_t len, uint16_t lo, uint16_t hi)
{
	if (lo == 0 && hi == 65535)
		snprintf(buf, len, "any");
	else if (lo == hi)
		snprintf(buf, len, "%u", lo);
	else
		snprintf(buf, len, "%u-%u", lo, hi);
}

/* The action of a rule, its SA or IKE tunnel, and its hits. */
static void
fmt_rule_action(struct cli_out *out, uint8_t action, uint32_t spi,
		uint32_t tunnel, const uint64_t *hits)
{
	static const char *const act[] = { "protect", "bypass", "discard" };

	cli_printf(out, " %-8s", act[action]);
	if (action == IPSEC_PROTECT && spi == 0) /* IKE: a tunnel */
		cli_printf(out, " ike tun %-6u", tunnel);
	else if (action == IPSEC_PROTECT)
		cli_printf(out, " sa %-10u", spi);
	else
		cli_printf(out, " %-13s", "");
	cli_printf(out, " hits %" PRIu64 "\n",
		   __atomic_load_n(hits, __ATOMIC_RELAXED));
}

void
ipsec_spd_rule_format(struct cli_out *out, unsigned int idx, int dir,
		      const struct spd_rule *r)
{
	char s[16], d[16], sp[12], dp[12];

	fmt_ports(sp, sizeof(sp), r->sport_lo, r->sport_hi);
	fmt_ports(dp, sizeof(dp), r->dport_lo, r->dport_hi);
	cli_printf(out, "%-4u %-4s %15s/%-2u %15s/%-2u %-5u %-11s %-11s",
		   idx, dir_name(dir), cfg_format_ipv4(r->src, s, sizeof(s)),
		   __builtin_popcount(r->src_mask),
		   cfg_format_ipv4(r->dst, d, sizeof(d)),
		   __builtin_popcount(r->dst_mask), r->proto, sp, dp);
	fmt_rule_action(out, r->action, r->spi, r->tunnel, &r->hits);
}

/* "addr/len" of an IPv6 rule's prefix (the length from its mask). */
static void
fmt_prefix6(char *buf, size_t len, const uint64_t *addr,
	    const uint64_t *mask)
{
	char a[64];

	snprintf(buf, len, "%s/%d", cfg_format_ipv6((const uint8_t *)addr, a,
						    sizeof(a)),
		 __builtin_popcountll(mask[0]) + __builtin_popcountll(mask[1]));
}

void
ipsec_spd6_rule_format(struct cli_out *out, unsigned int idx, int dir,
		       const struct spd6_rule *r)
{
	char s[72], d[72], sp[12], dp[12];

	fmt_ports(sp, sizeof(sp), r->sport_lo, r->sport_hi);
	fmt_ports(dp, sizeof(dp), r->dport_lo, r->dport_hi);
	fmt_prefix6(s, sizeof(s), r->src, r->src_mask);
	fmt_prefix6(d, sizeof(d), r->dst, r->dst_mask);
	cli_printf(out, "%-4u %-4s %-24s %-24s %-5u %-11s %-11s", idx,
		   dir_name(dir), s, d, r->proto, sp, dp);
	fmt_rule_action(out, r->action, r->spi, r->tunnel, &r->hits);
}
