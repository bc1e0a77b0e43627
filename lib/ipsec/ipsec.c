/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ipsec set-up, teardown, the operator changes (config loader and
 * CLI both go through them) and the management lcore's lifetime work.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "ike_sock.h"
#include "ipsec_priv.h"

FERRY_LOG_REGISTER(ipsec_logtype, ipsec, NOTICE);

struct ipsec_dp ipsec_dp;
int ipsec_route_ext_type = -1;
static struct ipsec_conf *model_conf; /* the section in the running model */

struct ipsec_conf *
ipsec_model(void)
{
	return model_conf;
}

void
ipsec_rcu_wait(void)
{
	if (graph_rcu() != NULL)
		rte_rcu_qsbr_synchronize(graph_rcu(), RTE_QSBR_THRID_INVALID);
}

static void
route_format(uint32_t value, char *buf, size_t len)
{
	const struct ipsec_sa *s = value < IPSEC_SA_MAX ?
		ipsec_dp.sa[value] : NULL;

	if (s == NULL)
		snprintf(buf, len, "ipsec sa (deleted)");
	else
		snprintf(buf, len, "ipsec sa %u", s->conf.spi);
}

static int
route_apply(const struct ipsec_route_conf *rc, char *err, size_t len)
{
	int vrf = vrf_find(rc->vrf), slot = sad_find(rc->sa, IPSEC_DIR_OUT);
	int rc2;

	if (vrf < 0 || slot < 0) {
		snprintf(err, len, "route %s: unknown %s", rc->vrf,
			 vrf < 0 ? "VRF" : "outbound SA");
		return -ENOENT;
	}
	rc2 = route_add_ext((unsigned int)vrf, rc->prefix.addr, rc->prefix.len,
			    (unsigned int)ipsec_route_ext_type, (uint32_t)slot);
	if (rc2 < 0)
		snprintf(err, len, "route in VRF %s: %s", rc->vrf,
			 rc2 == -EEXIST ? "another kind of route has the prefix"
					: strerror(-rc2));
	return rc2;
}

/* Whether the model has an inbound SA, whose protect rules then apply
 * to cleartext too (the input hook costs every packet a node). */
static bool
has_inbound(const struct ipsec_conf *c)
{
	const struct ipsec_sa_conf *sc = c->sas.items;
	unsigned int i;

	for (i = 0; i < c->sas.n; i++)
		if (sc[i].direction == IPSEC_DIR_IN)
			return true;
	return false;
}

static int
setup_hooks(const struct ipsec_conf *c)
{
	int rc = route_ext_register("ferry_esp_encrypt", route_format);

	if (rc < 0)
		return rc;
	ipsec_route_ext_type = rc;
	rc = route_local_register(IPPROTO_ESP, 0, "ferry_esp_decrypt");
	if (rc == 0) /* NAT-T (RFC 3948): ESP in UDP 4500 */
		rc = route_local_register(IPPROTO_UDP, 4500,
					  "ferry_esp_decrypt");
	if (rc == 0 && has_inbound(c))
		rc = route_input_register("ferry_ipsec_policy_in");
	return rc;
}

static int
setup_tables(const struct ipsec_conf *c, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc = c->sas.items;
	const struct ipsec_route_conf *rc = c->routes.items;
	unsigned int i;
	int r = sad_init();

	for (i = 0; r == 0 && i < c->sas.n; i++)
		r = sad_add(&sc[i], err, len);
	if (r == 0)
		r = spd_publish(c, err, len);
	for (i = 0; r == 0 && i < c->routes.n; i++)
		r = route_apply(&rc[i], err, len);
	return r;
}

int
ipsec_setup(struct cfg_model *model)
{
	char err[160] = "";
	int rc;

	model_conf = cfg_model_section(model, "ipsec");
	if (model_conf == NULL)
		return -EINVAL;
	rc = setup_hooks(model_conf);
	if (rc == 0)
		rc = ipsec_stats_setup();
	if (rc < 0)
		return rc;
	rc = setup_tables(model_conf, err, sizeof(err));
	if (rc < 0) {
		IPSEC_LOG(ERR, "%s", err);
		return rc;
	}
	if (model_conf->ike_socket[0] != '\0') {
		rc = ike_sock_open(model_conf->ike_socket);
		if (rc < 0)
			IPSEC_LOG(ERR, "ike_socket %s: %s",
				  model_conf->ike_socket, strerror(-rc));
	}
	return rc;
}

void
ipsec_teardown(void)
{
	ike_sock_close();
	spd_fini();
	sad_fini();
	crypto_engine_fini();
	model_conf = NULL;
}

/* ---- operator changes ---- */

static bool
sa_referenced(const struct ipsec_conf *c, uint32_t spi, int dir)
{
	const struct ipsec_spd_conf *p = c->spd.items;
	const struct ipsec_route_conf *r = c->routes.items;
	unsigned int i;

	for (i = 0; i < c->spd.n; i++)
		if (p[i].action == IPSEC_PROTECT && p[i].sa == spi &&
		    p[i].direction == dir)
			return true;
	for (i = 0; dir == IPSEC_DIR_OUT && i < c->routes.n; i++)
		if (r[i].sa == spi)
			return true;
	return false;
}

int
ipsec_sa_add(const struct ipsec_sa_conf *sc, char *err, size_t len)
{
	const char *why, *key;
	int rc;

	if (model_conf == NULL) {
		snprintf(err, len, "IPsec is not set up");
		return -ENODEV;
	}
	why = sa_conf_check(sc, &key);
	if (why != NULL) {
		snprintf(err, len, "%s: %s", key, why);
		return -EINVAL;
	}
	rc = sad_add(sc, err, len);
	if (rc < 0)
		return rc;
	if (cfg_array_append(&model_conf->sas, sizeof(*sc), sc) == NULL) {
		sad_del(sc->spi, sc->direction);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/*
 * Rules and routes naming SA @p spi now name @p to, an SA of the same
 * tunnel and direction (the next SA of a hand-made rekey); the routes
 * move in one FIB store each. @return 0 or -errno (nothing changed).
 */
static int
sa_refs_move(uint32_t spi, int dir, uint32_t to, char *err, size_t len)
{
	struct ipsec_spd_conf *p = model_conf->spd.items;
	struct ipsec_route_conf *r = model_conf->routes.items;
	unsigned int i;
	int rc;

	for (i = 0; dir == IPSEC_DIR_OUT && i < model_conf->routes.n; i++) {
		struct ipsec_route_conf moved = r[i];

		if (r[i].sa != spi)
			continue;
		moved.sa = to;
		rc = route_apply(&moved, err, len);
		if (rc < 0)
			return rc;
		r[i].sa = to;
	}
	for (i = 0; i < model_conf->spd.n; i++)
		if (p[i].action == IPSEC_PROTECT && p[i].sa == spi &&
		    p[i].direction == dir)
			p[i].sa = to;
	return spd_publish(model_conf, err, len);
}

int
ipsec_sa_del(uint32_t spi, int direction, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc;
	unsigned int i;
	int sib, rc;

	if (model_conf == NULL || sad_find(spi, direction) < 0) {
		snprintf(err, len, "no SA %u %s", spi,
			 direction == IPSEC_DIR_OUT ? "out" : "in");
		return -ENOENT;
	}
	if (sa_referenced(model_conf, spi, direction)) {
		sib = sad_sibling(spi, direction);
		if (sib < 0) {
			snprintf(err, len, "SA %u is the last of its tunnel "
				 "and an SPD rule or a route uses it; delete "
				 "those first", spi);
			return -EBUSY;
		}
		rc = sa_refs_move(spi, direction, ipsec_dp.sa[sib]->conf.spi,
				  err, len);
		if (rc < 0)
			return rc;
	}
	sad_del(spi, direction);
	sc = model_conf->sas.items;
	for (i = 0; i < model_conf->sas.n; i++)
		if (sc[i].spi == spi && sc[i].direction == direction) {
			cfg_array_remove(&model_conf->sas, sizeof(*sc), i);
			break;
		}
	return 0;
}

int
ipsec_spd_add(const struct ipsec_spd_conf *rc, unsigned int pos, char *err,
	      size_t len)
{
	struct ipsec_spd_conf *items;
	const char *why, *key;
	unsigned int n;
	int r;

	if (model_conf == NULL)
		return -ENODEV;
	why = spd_conf_check(rc, model_conf, &key);
	if (why != NULL) {
		snprintf(err, len, "%s: %s", key, why);
		return -EINVAL;
	}
	if (model_conf->spd.n >= IPSEC_SPD_MAX) {
		snprintf(err, len, "SPD full (%u rules)", IPSEC_SPD_MAX);
		return -ENOSPC;
	}
	if (cfg_array_append(&model_conf->spd, sizeof(*rc), rc) == NULL)
		return -ENOMEM;
	/* move the new rule from the end to @p pos (order matters) */
	n = model_conf->spd.n;
	items = model_conf->spd.items;
	if (pos < n - 1) {
		struct ipsec_spd_conf tmp = items[n - 1];

		memmove(&items[pos + 1], &items[pos],
			(n - 1 - pos) * sizeof(*items));
		items[pos] = tmp;
	}
	r = spd_publish(model_conf, err, len);
	if (r < 0) {
		cfg_array_remove(&model_conf->spd, sizeof(*rc),
				 pos < n - 1 ? pos : n - 1);
		return r;
	}
	return 0;
}

int
ipsec_spd_del(unsigned int idx, char *err, size_t len)
{
	if (model_conf == NULL || idx >= model_conf->spd.n) {
		snprintf(err, len, "no SPD rule %u", idx);
		return -ENOENT;
	}
	cfg_array_remove(&model_conf->spd, sizeof(struct ipsec_spd_conf), idx);
	return spd_publish(model_conf, err, len);
}

/* Index of the model's route @p vrf @p p, or -1. */
static int
route_index(const char *vrf, const struct cfg_ipv4_prefix *p)
{
	const struct ipsec_route_conf *rc = model_conf->routes.items;
	unsigned int i;

	for (i = 0; i < model_conf->routes.n; i++)
		if (strcmp(rc[i].vrf, vrf) == 0 &&
		    rc[i].prefix.addr == p->addr && rc[i].prefix.len == p->len)
			return (int)i;
	return -1;
}

/*
 * Adding a route that exists moves it to another SA in one FIB store:
 * the hitless step of a rekey (new SA in, route switched, old SA out).
 */
int
ipsec_route_add(const struct ipsec_route_conf *rc, char *err, size_t len)
{
	int r, idx;

	if (model_conf == NULL)
		return -ENODEV;
	r = route_apply(rc, err, len);
	if (r < 0)
		return r;
	idx = route_index(rc->vrf, &rc->prefix);
	if (idx >= 0) {
		((struct ipsec_route_conf *)model_conf->routes.items)[idx].sa =
			rc->sa;
		return 0;
	}
	if (cfg_array_append(&model_conf->routes, sizeof(*rc), rc) == NULL) {
		route_del((unsigned int)vrf_find(rc->vrf), rc->prefix.addr,
			  rc->prefix.len);
		return -ENOMEM;
	}
	return 0;
}

int
ipsec_route_del(const char *vrf, const struct cfg_ipv4_prefix *p, char *err,
		size_t len)
{
	char buf[16];
	int idx;

	if (model_conf == NULL)
		return -ENODEV;
	idx = route_index(vrf, p);
	if (idx < 0) {
		snprintf(err, len, "no IPsec route %s/%u in VRF %s",
			 cfg_format_ipv4(p->addr, buf, sizeof(buf)), p->len,
			 vrf);
		return -ENOENT;
	}
	route_del((unsigned int)vrf_find(vrf), p->addr, p->len);
	cfg_array_remove(&model_conf->routes, sizeof(struct ipsec_route_conf),
			 (unsigned int)idx);
	return 0;
}

/* ---- lifetimes on the management lcore ---- */

/* Did @p s pass one of its soft limits (at @p age seconds)? */
static bool
sa_soft_passed(const struct ipsec_sa *s, uint64_t age)
{
	const struct ipsec_lifetime_conf *l = &s->conf.lifetime;

	return (l->soft_seconds != 0 && age >= l->soft_seconds) ||
	       lifetime_state_of(__atomic_load_n(&s->packets,
						 __ATOMIC_RELAXED),
				 __atomic_load_n(&s->bytes, __ATOMIC_RELAXED),
				 l->soft_packets, 0, l->soft_bytes, 0) ==
	       IPSEC_SA_SOFT;
}

/* Log a state change of @p s and, for an IKE SA, tell charon (its
 * expire callback: soft starts a rekey, hard deletes the CHILD_SA). */
static void
sa_log_state(const struct ipsec_sa *s, uint32_t st, uint64_t age)
{
	if (s->reqid != 0 && st >= IPSEC_SA_SOFT)
		ike_sock_expire(s, st >= IPSEC_SA_HARD);
	IPSEC_LOG(NOTICE, "SA %u %s: %s after %" PRIu64 " packets, %" PRIu64
		  " bytes, %" PRIu64 " s%s", s->conf.spi,
		  s->outbound ? "out" : "in", ipsec_sa_state_name(st),
		  __atomic_load_n(&s->packets, __ATOMIC_RELAXED),
		  __atomic_load_n(&s->bytes, __ATOMIC_RELAXED), age,
		  st >= IPSEC_SA_HARD ? "; traffic on it is dropped" : "");
}

static void
sa_poll(struct ipsec_sa *s, uint64_t now_ms)
{
	const struct ipsec_lifetime_conf *l = &s->conf.lifetime;
	uint64_t age = (now_ms - s->created_ms) / 1000;
	uint64_t pk = __atomic_load_n(&s->packets, __ATOMIC_RELAXED);
	uint32_t st;

	if (pk != s->last_packets) { /* charon asks when it was last used */
		s->last_packets = pk;
		s->last_use_ms = now_ms;
	}

	if (l->hard_seconds != 0 && age >= l->hard_seconds)
		lifetime_state_raise(&s->state, IPSEC_SA_HARD);
	else if (l->soft_seconds != 0 && age >= l->soft_seconds)
		lifetime_state_raise(&s->state, IPSEC_SA_SOFT);
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if (st == s->state_logged)
		return;
	if (st >= IPSEC_SA_SOFT && s->soft_events == 0)
		s->soft_events = 1;
	/* Soft and hard limits both passed since the last poll (one burst
	 * can do it): the soft expiry happened too, and is said once. */
	if (st >= IPSEC_SA_HARD && s->state_logged < IPSEC_SA_SOFT &&
	    sa_soft_passed(s, age))
		sa_log_state(s, IPSEC_SA_SOFT, age);
	sa_log_state(s, st, age);
	s->state_logged = st;
}

void
ipsec_control_poll(uint64_t now_ms)
{
	unsigned int i;

	/* SA creation times come from the EAL timer, so ages do too */
	now_ms = rte_get_timer_cycles() * 1000 / rte_get_timer_hz();
	ike_sock_poll();
	for (i = 0; i < sad_high(); i++)
		if (ipsec_dp.sa[i] != NULL)
			sa_poll(ipsec_dp.sa[i], now_ms);
}
