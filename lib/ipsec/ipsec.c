/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ipsec set-up, teardown, the CLI's changes (rows edited in a copy
 * of the running model and run through the change transaction, as a
 * reload runs them: ipsec_rows.c) and the management lcore's lifetime
 * work.
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
int ipsec_route6_ext_type = -1;
static struct cfg_model *running;     /* the running model */
static struct ipsec_conf *model_conf; /* its "ipsec" section */

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

/* The VRF and outbound SA slot a route into SA @p spi of VRF @p vrf
 * names; -ENOENT with @p err when either is unknown. */
static int
route_target(const char *vrf, uint32_t spi, unsigned int *v, uint32_t *slot,
	     char *err, size_t len)
{
	int x = vrf_find(vrf), s = sad_find(spi, IPSEC_DIR_OUT);

	if (x < 0 || s < 0) {
		snprintf(err, len, "route %s: unknown %s", vrf,
			 x < 0 ? "VRF" : "outbound SA");
		return -ENOENT;
	}
	*v = (unsigned int)x;
	*slot = (uint32_t)s;
	return 0;
}

static int
route_result(int rc, const char *what, const char *vrf, char *err,
	     size_t len)
{
	if (rc < 0)
		snprintf(err, len, "%s in VRF %s: %s", what, vrf,
			 rc == -EEXIST ? "another kind of route has the prefix"
				       : strerror(-rc));
	return rc;
}

int
ipsec_route_apply(const struct ipsec_route_conf *rc, char *err, size_t len)
{
	unsigned int vrf;
	uint32_t slot;
	int r = route_target(rc->vrf, rc->sa, &vrf, &slot, err, len);

	if (r < 0)
		return r;
	r = route_add_ext(vrf, rc->prefix.addr, rc->prefix.len,
			  (unsigned int)ipsec_route_ext_type, slot);
	return route_result(r, "route", rc->vrf, err, len);
}

int
ipsec_route6_apply(const struct ipsec_route6_conf *rc, char *err, size_t len)
{
	unsigned int vrf;
	uint32_t slot;
	int r = route_target(rc->vrf, rc->sa, &vrf, &slot, err, len);

	if (r < 0)
		return r;
	r = route6_add_ext(vrf, rc->prefix.addr, rc->prefix.len,
			   (unsigned int)ipsec_route6_ext_type, slot);
	return route_result(r, "IPv6 route", rc->vrf, err, len);
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
	rc = route6_ext_register("ferry_esp_encrypt", route_format);
	if (rc < 0)
		return rc;
	ipsec_route6_ext_type = rc;
	rc = esp_encrypt_edges_add();
	if (rc == 0)
		rc = route6_local_register(IPPROTO_ESP, "ferry_esp_decrypt");
	if (rc == 0)
		rc = route_local_register(IPPROTO_ESP, 0, "ferry_esp_decrypt");
	if (rc == 0) /* NAT-T (RFC 3948): ESP in UDP 4500 */
		rc = route_local_register(IPPROTO_UDP, 4500,
					  "ferry_esp_decrypt");
	if (rc == 0 && has_inbound(c)) {
		rc = route_input_register("ferry_ipsec_policy_in");
		ipsec_rows_policy_hook(rc == 0);
	}
	return rc;
}

/* Empty tables: the rows come with the start-up change (ipsec_rows.c). */
static int
setup_tables(void)
{
	static const struct ipsec_conf none;
	char err[64];
	int rc = sad_init();

	return rc == 0 ? spd_publish(&none, err, sizeof(err)) : rc;
}

int
ipsec_setup(struct cfg_model *model)
{
	int rc;

	model_conf = cfg_model_section(model, "ipsec");
	if (model_conf == NULL)
		return -EINVAL;
	running = model;
	rc = setup_hooks(model_conf);
	if (rc == 0)
		rc = ipsec_stats_setup();
	rc = rc < 0 ? rc : setup_tables();
	if (rc < 0 || model_conf->ike_socket[0] == '\0')
		return rc;
	rc = ike_sock_open(model_conf->ike_socket);
	if (rc < 0)
		IPSEC_LOG(ERR, "ike_socket %s: %s", model_conf->ike_socket,
			  strerror(-rc));
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
	running = NULL;
	ipsec_rows_policy_hook(false);
}

/* ---- operator changes: rows of the change transaction ---- */

static int
nomem(char *err, size_t len)
{
	snprintf(err, len, "out of memory");
	return -ENOMEM;
}

static struct ipsec_conf *
conf_of(struct cfg_model *m)
{
	return cfg_model_section(m, "ipsec");
}

static int
edit_sa_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc = arg;
	struct ipsec_conf *c = conf_of(m);

	if (cfg_array_find(&c->sas, &ipsec_sa_schema, sc) != NULL) {
		snprintf(err, len, "SA %u %s exists", sc->spi,
			 sc->direction == IPSEC_DIR_OUT ? "out" : "in");
		return -EEXIST;
	}
	return cfg_array_append(&c->sas, sizeof(*sc), sc) != NULL ? 0 :
	       nomem(err, len);
}

static bool
sa_referenced(const struct ipsec_conf *c, uint32_t spi, int dir)
{
	const struct ipsec_spd_conf *p = c->spd.items;
	const struct ipsec_route_conf *r = c->routes.items;
	const struct ipsec_route6_conf *r6 = c->routes6.items;
	const struct ipsec_spd6_conf *p6 = c->spd6.items;
	unsigned int i;

	for (i = 0; i < c->spd.n; i++)
		if (p[i].action == IPSEC_PROTECT && p[i].sa == spi &&
		    p[i].direction == dir)
			return true;
	for (i = 0; i < c->spd6.n; i++)
		if (p6[i].action == IPSEC_PROTECT && p6[i].sa == spi &&
		    p6[i].direction == dir)
			return true;
	for (i = 0; dir == IPSEC_DIR_OUT && i < c->routes.n; i++)
		if (r[i].sa == spi)
			return true;
	for (i = 0; dir == IPSEC_DIR_OUT && i < c->routes6.n; i++)
		if (r6[i].sa == spi)
			return true;
	return false;
}

/*
 * Rules and routes of the model copy naming SA @p key now name the newest
 * other configured SA of the same tunnel and direction (a hand-made rekey:
 * the transaction then moves each route in one FIB store and republishes
 * the SPD before the old SA goes). @return 0, or -EBUSY when @p key is the
 * last SA of its tunnel.
 */
static int
sa_refs_to_sibling(struct ipsec_conf *c, const struct ipsec_sa_conf *key,
		   char *err, size_t len)
{
	struct ipsec_spd_conf *p = c->spd.items;
	struct ipsec_route_conf *r = c->routes.items;
	struct ipsec_route6_conf *r6 = c->routes6.items;
	struct ipsec_spd6_conf *p6 = c->spd6.items;
	struct ipsec_sa_conf want = { .direction = key->direction };
	int sib = sad_sibling(key->spi, key->direction);
	unsigned int i;

	if (sib >= 0)
		want.spi = ipsec_dp.sa[sib]->conf.spi;
	if (sib < 0 || cfg_array_find(&c->sas, &ipsec_sa_schema, &want) == NULL) {
		snprintf(err, len, "SA %u is the last of its tunnel and an SPD "
			 "rule or a route uses it; delete those first",
			 key->spi);
		return -EBUSY;
	}
	for (i = 0; key->direction == IPSEC_DIR_OUT && i < c->routes.n; i++)
		if (r[i].sa == key->spi)
			r[i].sa = want.spi;
	for (i = 0; key->direction == IPSEC_DIR_OUT && i < c->routes6.n; i++)
		if (r6[i].sa == key->spi)
			r6[i].sa = want.spi;
	for (i = 0; i < c->spd.n; i++)
		if (p[i].action == IPSEC_PROTECT && p[i].sa == key->spi &&
		    p[i].direction == key->direction)
			p[i].sa = want.spi;
	for (i = 0; i < c->spd6.n; i++)
		if (p6[i].action == IPSEC_PROTECT && p6[i].sa == key->spi &&
		    p6[i].direction == key->direction)
			p6[i].sa = want.spi;
	return 0;
}

static int
edit_sa_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct ipsec_sa_conf *key = arg;
	struct ipsec_conf *c = conf_of(m);
	struct ipsec_sa_conf *sc = cfg_array_find(&c->sas, &ipsec_sa_schema,
						  key);

	if (sc == NULL) {
		snprintf(err, len, "no SA %u %s", key->spi,
			 key->direction == IPSEC_DIR_OUT ? "out" : "in");
		return -ENOENT;
	}
	if (sa_referenced(c, key->spi, key->direction) &&
	    sa_refs_to_sibling(c, key, err, len) < 0)
		return -EBUSY;
	cfg_array_remove(&c->sas, sizeof(*sc), (unsigned int)
			 (sc - (struct ipsec_sa_conf *)c->sas.items));
	return 0;
}

int
ipsec_sa_add(const struct ipsec_sa_conf *sc, char *err, size_t len)
{
	return cfg_edit(running, edit_sa_add, sc, err, len);
}


int
ipsec_sa_del(uint32_t spi, int direction, char *err, size_t len)
{
	struct ipsec_sa_conf key = { .spi = spi, .direction = direction };

	return cfg_edit(running, edit_sa_del, &key, err, len);
}

/* A rule for the SPD list @p list (spd or spd6) at place @p pos. */
struct spd_edit {
	const char *list;
	const void *rule;
	size_t size;
	unsigned int pos;
};

static struct cfg_array *
spd_list(struct cfg_model *m, const char *list)
{
	struct ipsec_conf *c = conf_of(m);

	return strcmp(list, "spd6") == 0 ? &c->spd6 : &c->spd;
}

static const char *
spd_name(const char *list)
{
	return strcmp(list, "spd6") == 0 ? "IPv6 SPD" : "SPD";
}

static int
edit_spd_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct spd_edit *e = arg;
	struct cfg_array *a = spd_list(m, e->list);
	uint8_t *items;
	unsigned int n;

	if (a->n >= IPSEC_SPD_MAX) {
		snprintf(err, len, "%s full (%u rules)", spd_name(e->list),
			 IPSEC_SPD_MAX);
		return -ENOSPC;
	}
	if (cfg_array_append(a, e->size, e->rule) == NULL)
		return nomem(err, len);
	/* move the new rule from the end to its place (order matters) */
	n = a->n;
	items = a->items;
	if (e->pos < n - 1) {
		memmove(items + (e->pos + 1) * e->size, items + e->pos * e->size,
			(n - 1 - e->pos) * e->size);
		memcpy(items + e->pos * e->size, e->rule, e->size);
	}
	return 0;
}

static int
edit_spd_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct spd_edit *e = arg;
	struct cfg_array *a = spd_list(m, e->list);

	if (e->pos >= a->n) {
		snprintf(err, len, "no %s rule %u", spd_name(e->list), e->pos);
		return -ENOENT;
	}
	cfg_array_remove(a, e->size, e->pos);
	return 0;
}

int
ipsec_spd_add(const struct ipsec_spd_conf *rc, unsigned int pos, char *err,
	      size_t len)
{
	struct spd_edit e = { "spd", rc, sizeof(*rc), pos };

	return cfg_edit(running, edit_spd_add, &e, err, len);
}

int
ipsec_spd_del(unsigned int idx, char *err, size_t len)
{
	struct spd_edit e = { "spd", NULL, sizeof(struct ipsec_spd_conf),
			      idx };

	return cfg_edit(running, edit_spd_del, &e, err, len);
}

int
ipsec_spd6_add(const struct ipsec_spd6_conf *rc, unsigned int pos,
	       char *err, size_t len)
{
	struct spd_edit e = { "spd6", rc, sizeof(*rc), pos };

	return cfg_edit(running, edit_spd_add, &e, err, len);
}

int
ipsec_spd6_del(unsigned int idx, char *err, size_t len)
{
	struct spd_edit e = { "spd6", NULL, sizeof(struct ipsec_spd6_conf),
			      idx };

	return cfg_edit(running, edit_spd_del, &e, err, len);
}

/* A route into an SA for list @p v6 ? routes6 : routes. */
struct route_edit {
	bool v6;
	const void *row;
};

static struct cfg_array *
route_list(struct cfg_model *m, bool v6, const struct cfg_schema **schema,
	   size_t *size)
{
	struct ipsec_conf *c = conf_of(m);

	*schema = v6 ? &ipsec_route6_schema : &ipsec_route_schema;
	*size = v6 ? sizeof(struct ipsec_route6_conf) :
		     sizeof(struct ipsec_route_conf);
	return v6 ? &c->routes6 : &c->routes;
}

/* The SPI of the route @p row of routes6 (@p v6) or routes. */
static uint32_t *
route_sa(void *row, bool v6)
{
	return v6 ? &((struct ipsec_route6_conf *)row)->sa :
		    &((struct ipsec_route_conf *)row)->sa;
}

/*
 * Adding a route that exists moves it to another SA in one FIB store:
 * the hitless step of a rekey (new SA in, route switched, old SA out).
 */
static int
edit_route_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route_edit *e = arg;
	const struct cfg_schema *schema;
	size_t size;
	struct cfg_array *a = route_list(m, e->v6, &schema, &size);
	void *have = cfg_array_find(a, schema, e->row);

	if (have != NULL) {
		*route_sa(have, e->v6) = *route_sa((void *)(uintptr_t)e->row,
						   e->v6);
		return 0;
	}
	return cfg_array_append(a, size, e->row) != NULL ? 0 :
	       nomem(err, len);
}

static void
route_name(const struct route_edit *e, char *buf, size_t len)
{
	const struct ipsec_route6_conf *r6 = e->row;
	const struct ipsec_route_conf *r4 = e->row;
	char a[64];

	if (e->v6)
		snprintf(buf, len, "%s/%u in VRF %s",
			 cfg_format_ipv6(r6->prefix.addr, a, sizeof(a)),
			 r6->prefix.len, r6->vrf);
	else
		snprintf(buf, len, "%s/%u in VRF %s",
			 cfg_format_ipv4(r4->prefix.addr, a, sizeof(a)),
			 r4->prefix.len, r4->vrf);
}

static int
edit_route_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route_edit *e = arg;
	const struct cfg_schema *schema;
	size_t size;
	struct cfg_array *a = route_list(m, e->v6, &schema, &size);
	uint8_t *have = cfg_array_find(a, schema, e->row);
	char buf[96];

	if (have == NULL) {
		route_name(e, buf, sizeof(buf));
		snprintf(err, len, "no IPsec route %s", buf);
		return -ENOENT;
	}
	cfg_array_remove(a, size, (unsigned int)((size_t)(have -
				(uint8_t *)a->items) / size));
	return 0;
}

int
ipsec_route_add(const struct ipsec_route_conf *rc, char *err, size_t len)
{
	struct route_edit e = { false, rc };

	return cfg_edit(running, edit_route_add, &e, err, len);
}

int
ipsec_route_del(const char *vrf, const struct cfg_ipv4_prefix *p, char *err,
		size_t len)
{
	struct ipsec_route_conf key = { .prefix = *p };
	struct route_edit e = { false, &key };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit(running, edit_route_del, &e, err, len);
}

int
ipsec_route6_add(const struct ipsec_route6_conf *rc, char *err, size_t len)
{
	struct route_edit e = { true, rc };

	return cfg_edit(running, edit_route_add, &e, err, len);
}

int
ipsec_route6_del(const char *vrf, const struct cfg_ipv6_prefix *p,
		 char *err, size_t len)
{
	struct ipsec_route6_conf key = { .prefix = *p };
	struct route_edit e = { true, &key };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit(running, edit_route_del, &e, err, len);
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

const struct ferry_module ipsec_module = {
	.name = "IPsec",
	.sections = (const struct cfg_section *const[]){ &ipsec_cfg_section,
							 NULL },
	.setup = ipsec_setup,
	.cli_register = ipsec_cli_register, /* uses route's <vrf-name> */
	.control_poll = ipsec_control_poll,
	.teardown = ipsec_teardown,
};
