/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SPD (RFC 4301 4.4.1): ordered rules per direction, IPv4 (spd, with
 * charon's policies behind) and IPv6 (spd6), built from the model into
 * immutable tables and swapped in whole, so a worker sees
 * either the old or the new SPD, never half of a change. Management
 * lcore only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "ipsec_priv.h"

static uint32_t
mask_of(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

/* What an SPD rule of either family must hold: ports, an action its
 * direction allows, and for protect an SA of that direction carrying
 * @p inner (enum ipsec_inner). */
static const char *
spd_common_check(int dir, int action, uint32_t sa, const char *sport,
		 const char *dport, int inner, const struct ipsec_conf *c,
		 const char **key)
{
	const struct ipsec_sa_conf *sc = c->sas.items;
	uint16_t lo, hi;
	unsigned int i;

	*key = "sport";
	if (spd_parse_ports(sport, &lo, &hi) < 0)
		return "port range must be \"lo-hi\", \"port\" or \"any\" "
		       "within 0..65535";
	*key = "dport";
	if (spd_parse_ports(dport, &lo, &hi) < 0)
		return "port range must be \"lo-hi\", \"port\" or \"any\" "
		       "within 0..65535";
	*key = "action";
	if (dir == IPSEC_DIR_OUT && action == IPSEC_BYPASS)
		return "outbound packets reach the SPD through ipsec.routes, "
		       "which have no clear path: narrow the route instead";
	*key = "sa";
	if (action != IPSEC_PROTECT)
		return sa == 0 ? NULL : "only a protect rule names an SA";
	for (i = 0; i < c->sas.n; i++) {
		if (sc[i].spi != sa || sc[i].direction != dir)
			continue;
		if (sc[i].inner == inner)
			return NULL;
		return inner == IPSEC_INNER_IPV4 ?
		       "the SA carries IPv6 and SPD rules select IPv4: an IPv6 "
		       "SA goes by its routes6 and spd6" :
		       "the SA carries IPv4 and spd6 rules select IPv6: the "
		       "rule needs an SA with inner = \"ipv6\"";
	}
	return "no SA with this SPI in the rule's direction";
}

const char *
spd_conf_check(const struct ipsec_spd_conf *rc, const struct ipsec_conf *c,
	       const char **key)
{
	return spd_common_check(rc->direction, rc->action, rc->sa, rc->sport,
				rc->dport, IPSEC_INNER_IPV4, c, key);
}

const char *
spd6_conf_check(const struct ipsec_spd6_conf *rc, const struct ipsec_conf *c,
		const char **key)
{
	return spd_common_check(rc->direction, rc->action, rc->sa, rc->sport,
				rc->dport, IPSEC_INNER_IPV6, c, key);
}

/* The selectors of @p rc into @p r (no action, no SA). */
static int
rule_sel(const struct ipsec_spd_conf *rc, struct spd_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->src = rc->src.addr;
	r->src_mask = mask_of(rc->src.len);
	r->dst = rc->dst.addr;
	r->dst_mask = mask_of(rc->dst.len);
	r->proto = (uint8_t)rc->proto;
	r->sa_slot = IPSEC_SLOT_NONE;
	r->ivrf = SPD_VRF_ANY; /* configured rules: every VRF */
	if (spd_parse_ports(rc->sport, &r->sport_lo, &r->sport_hi) < 0 ||
	    spd_parse_ports(rc->dport, &r->dport_lo, &r->dport_hi) < 0)
		return -EINVAL;
	return 0;
}

static int
rule_build(const struct ipsec_spd_conf *rc, struct spd_rule *r)
{
	int slot = sad_find(rc->sa, rc->direction);

	if (rule_sel(rc, r) < 0)
		return -EINVAL;
	r->action = (uint8_t)rc->action;
	r->spi = rc->sa;
	if (rc->action == IPSEC_PROTECT) {
		if (slot < 0)
			return -ENOENT;
		r->sa_slot = (uint16_t)slot;
		r->tunnel = ipsec_dp.sa[slot]->tunnel;
		r->uvrf = ipsec_dp.sa[slot]->underlay_vrf;
	}
	return 0;
}

/* IKE policies (charon's add_policy), behind the configured rules,
 * highest priority (lowest number) first. Management lcore only. */
static struct spd_ike_policy *ike_pol;
static unsigned int ike_n, ike_cap;

static bool
pol_same(const struct ipsec_spd_conf *a, const struct ipsec_spd_conf *b)
{
	return a->direction == b->direction && a->src.addr == b->src.addr &&
	       a->src.len == b->src.len && a->dst.addr == b->dst.addr &&
	       a->dst.len == b->dst.len && a->proto == b->proto &&
	       strcmp(a->sport, b->sport) == 0 &&
	       strcmp(a->dport, b->dport) == 0;
}

int
spd_ike_find(const struct ipsec_spd_conf *rc, uint32_t vrf)
{
	unsigned int i;

	/* two customers' policies may have the same selectors: their VRFs
	 * (if_ids) tell them apart */
	for (i = 0; i < ike_n; i++)
		if (ike_pol[i].vrf == vrf && pol_same(&ike_pol[i].rc, rc))
			return (int)i;
	return -1;
}

const struct spd_ike_policy *
spd_ike_get(unsigned int i)
{
	return i < ike_n ? &ike_pol[i] : NULL;
}

static int
ike_grow(void)
{
	struct spd_ike_policy *p;
	unsigned int cap = ike_cap == 0 ? 64 : ike_cap * 2;

	if (ike_n < ike_cap)
		return 0;
	if (cap > IPSEC_IKE_POLICY_MAX)
		return -ENOSPC;
	p = realloc(ike_pol, cap * sizeof(*p));
	if (p == NULL)
		return -ENOMEM;
	ike_pol = p;
	ike_cap = cap;
	return 0;
}

/* Insert @p p (not in the list) in priority order; no publication. */
int
spd_ike_insert(const struct spd_ike_policy *p)
{
	unsigned int i;
	int rc = ike_grow();

	if (rc < 0)
		return rc;
	for (i = 0; i < ike_n && ike_pol[i].priority <= p->priority; i++)
		;
	memmove(&ike_pol[i + 1], &ike_pol[i], (ike_n - i) * sizeof(*p));
	ike_pol[i] = *p;
	ike_n++;
	return 0;
}

void
spd_ike_remove(unsigned int i)
{
	if (i >= ike_n)
		return;
	memmove(&ike_pol[i], &ike_pol[i + 1], (ike_n - i - 1) *
		sizeof(*ike_pol));
	ike_n--;
}

static int
ike_rule_build(const struct spd_ike_policy *p, struct spd_rule *r)
{
	const struct ipsec_tunnel *t = sad_tunnel(p->tunnel);
	int rc;

	rc = rule_sel(&p->rc, r);
	if (rc < 0 || t == NULL)
		return rc < 0 ? rc : -ENOENT;
	r->action = IPSEC_PROTECT;
	r->tunnel = p->tunnel;
	r->uvrf = t->uvrf;
	r->ivrf = (uint16_t)p->vrf;
	r->sa_slot = p->rc.direction == IPSEC_DIR_OUT ? t->out_slot :
						 IPSEC_SLOT_NONE;
	return 0;
}

static struct ipsec_spd *
spd_build(const struct ipsec_conf *c, int dir, char *err, size_t len)
{
	const struct ipsec_spd_conf *rc = c->spd.items;
	struct ipsec_spd *t;
	unsigned int i;

	t = rte_zmalloc("ferry_ipsec_spd",
			sizeof(*t) + (c->spd.n + ike_n) * sizeof(t->r[0]), 0);
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
	/* an IKE policy whose tunnel is gone protects nothing: skipped */
	for (i = 0; i < ike_n; i++)
		if (ike_pol[i].rc.direction == dir &&
		    ike_rule_build(&ike_pol[i], &t->r[t->n]) == 0)
			t->n++;
	return t;
}

/* The IPv6 rule of @p rc into @p r (the SA, if any, is in: checked). */
static int
rule6_build(const struct ipsec_spd6_conf *rc, struct spd6_rule *r)
{
	int slot = sad_find(rc->sa, rc->direction);

	memset(r, 0, sizeof(*r));
	memcpy(r->src, rc->src.addr, 16);
	spd6_mask(rc->src.len, r->src_mask);
	memcpy(r->dst, rc->dst.addr, 16);
	spd6_mask(rc->dst.len, r->dst_mask);
	r->proto = (uint8_t)rc->proto;
	r->action = (uint8_t)rc->action;
	r->spi = rc->sa;
	r->sa_slot = IPSEC_SLOT_NONE;
	if (spd_parse_ports(rc->sport, &r->sport_lo, &r->sport_hi) < 0 ||
	    spd_parse_ports(rc->dport, &r->dport_lo, &r->dport_hi) < 0)
		return -EINVAL;
	if (rc->action != IPSEC_PROTECT)
		return 0;
	if (slot < 0)
		return -ENOENT;
	r->sa_slot = (uint16_t)slot;
	r->tunnel = ipsec_dp.sa[slot]->tunnel;
	r->uvrf = ipsec_dp.sa[slot]->underlay_vrf;
	return 0;
}

/* The IPv6 SPD of direction @p dir; IKE policies are IPv4 (ike_sock.c). */
static struct ipsec_spd6 *
spd6_build(const struct ipsec_conf *c, int dir, char *err, size_t len)
{
	const struct ipsec_spd6_conf *rc = c->spd6.items;
	struct ipsec_spd6 *t;
	unsigned int i;

	t = rte_zmalloc("ferry_ipsec_spd6",
			sizeof(*t) + c->spd6.n * sizeof(t->r[0]), 0);
	if (t == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	for (i = 0; i < c->spd6.n; i++) {
		if (rc[i].direction != dir)
			continue;
		if (rule6_build(&rc[i], &t->r[t->n]) < 0) {
			snprintf(err, len, "spd6 rule %u: SA %u not found", i,
				 rc[i].sa);
			rte_free(t);
			return NULL;
		}
		t->n++;
	}
	return t;
}

/* Both directions of both families built, or none (@p t, @p t6 NULL). */
static int
spd_build_all(const struct ipsec_conf *c, struct ipsec_spd *t[2],
	      struct ipsec_spd6 *t6[2], char *err, size_t len)
{
	int d;

	for (d = 0; d < 2; d++) {
		t[d] = spd_build(c, d, err, len);
		t6[d] = t[d] != NULL ? spd6_build(c, d, err, len) : NULL;
		if (t6[d] == NULL)
			break;
	}
	if (d == 2)
		return 0;
	for (; d >= 0; d--) {
		rte_free(t[d]);
		rte_free(t6[d]);
		t[d] = NULL;
		t6[d] = NULL;
	}
	return -EINVAL;
}

int
spd_publish(const struct ipsec_conf *c, char *err, size_t len)
{
	struct ipsec_spd *t[2] = { NULL, NULL }, *old[2];
	struct ipsec_spd6 *t6[2] = { NULL, NULL }, *old6[2];
	int d;

	if (spd_build_all(c, t, t6, err, len) < 0)
		return -EINVAL;
	for (d = 0; d < 2; d++) {
		old[d] = __atomic_exchange_n(&ipsec_dp.spd[d], t[d],
					     __ATOMIC_RELEASE);
		old6[d] = __atomic_exchange_n(&ipsec_dp.spd6[d], t6[d],
					      __ATOMIC_RELEASE);
	}
	ipsec_rcu_wait();
	for (d = 0; d < 2; d++) {
		rte_free(old[d]);
		rte_free(old6[d]);
	}
	return 0;
}

void
spd_fini(void)
{
	free(ike_pol);
	ike_pol = NULL;
	ike_n = ike_cap = 0;
	rte_free(ipsec_dp.spd[0]);
	rte_free(ipsec_dp.spd[1]);
	rte_free(ipsec_dp.spd6[0]);
	rte_free(ipsec_dp.spd6[1]);
	ipsec_dp.spd[0] = ipsec_dp.spd[1] = NULL;
	ipsec_dp.spd6[0] = ipsec_dp.spd6[1] = NULL;
}
