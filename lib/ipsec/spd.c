/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD (RFC 4301 4.4.1): ordered rules per direction, built from the
 * model into an immutable table and swapped in whole, so a worker sees
 * either the old or the new SPD, never half of a change. Management
 * lcore only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "ipsec_priv.h"

static uint32_t
mask_of(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

const char *
spd_conf_check(const struct ipsec_spd_conf *rc, const struct ipsec_conf *c,
	       const char **key)
{
	uint16_t lo, hi;
	unsigned int i;

	*key = "sport";
	if (spd_parse_ports(rc->sport, &lo, &hi) < 0)
		return "port range must be \"lo-hi\", \"port\" or \"any\" "
		       "within 0..65535";
	*key = "dport";
	if (spd_parse_ports(rc->dport, &lo, &hi) < 0)
		return "port range must be \"lo-hi\", \"port\" or \"any\" "
		       "within 0..65535";
	*key = "action";
	if (rc->direction == IPSEC_DIR_OUT && rc->action == IPSEC_BYPASS)
		return "outbound packets reach the SPD through ipsec.routes, "
		       "which have no clear path: narrow the route instead";
	*key = "sa";
	if (rc->action != IPSEC_PROTECT)
		return rc->sa == 0 ? NULL :
		       "only a protect rule names an SA";
	for (i = 0; i < c->sas.n; i++) {
		const struct ipsec_sa_conf *sc =
			(const struct ipsec_sa_conf *)c->sas.items + i;

		if (sc->spi == rc->sa && sc->direction == rc->direction)
			return NULL;
	}
	return "no SA with this SPI in the rule's direction";
}

static int
rule_build(const struct ipsec_spd_conf *rc, struct spd_rule *r)
{
	int slot = sad_find(rc->sa, rc->direction);

	r->src = rc->src.addr;
	r->src_mask = mask_of(rc->src.len);
	r->dst = rc->dst.addr;
	r->dst_mask = mask_of(rc->dst.len);
	r->proto = (uint8_t)rc->proto;
	r->action = (uint8_t)rc->action;
	r->spi = rc->sa;
	r->sa_slot = IPSEC_SLOT_NONE;
	if (spd_parse_ports(rc->sport, &r->sport_lo, &r->sport_hi) < 0 ||
	    spd_parse_ports(rc->dport, &r->dport_lo, &r->dport_hi) < 0)
		return -EINVAL;
	if (rc->action == IPSEC_PROTECT) {
		if (slot < 0)
			return -ENOENT;
		r->sa_slot = (uint16_t)slot;
	}
	return 0;
}

static struct ipsec_spd *
spd_build(const struct ipsec_conf *c, int dir, char *err, size_t len)
{
	const struct ipsec_spd_conf *rc = c->spd.items;
	struct ipsec_spd *t;
	unsigned int i;

	t = rte_zmalloc("ferry_ipsec_spd",
			sizeof(*t) + c->spd.n * sizeof(t->r[0]), 0);
	if (t == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	for (i = 0; i < c->spd.n; i++) {
		if (rc[i].direction != dir)
			continue;
		if (rule_build(&rc[i], &t->r[t->n]) < 0) {
			snprintf(err, len, "SPD rule %u: SA %u not found", i,
				 rc[i].sa);
			rte_free(t);
			return NULL;
		}
		t->n++;
	}
	return t;
}

int
spd_publish(const struct ipsec_conf *c, char *err, size_t len)
{
	struct ipsec_spd *t[2], *old[2];
	int d;

	for (d = 0; d < 2; d++) {
		t[d] = spd_build(c, d, err, len);
		if (t[d] == NULL) {
			if (d == 1)
				rte_free(t[0]);
			return -EINVAL;
		}
	}
	for (d = 0; d < 2; d++)
		old[d] = __atomic_exchange_n(&ipsec_dp.spd[d], t[d],
					     __ATOMIC_RELEASE);
	ipsec_rcu_wait();
	rte_free(old[0]);
	rte_free(old[1]);
	return 0;
}

void
spd_fini(void)
{
	rte_free(ipsec_dp.spd[0]);
	rte_free(ipsec_dp.spd[1]);
	ipsec_dp.spd[0] = ipsec_dp.spd[1] = NULL;
}
