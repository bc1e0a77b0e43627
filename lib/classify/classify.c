/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ACL tables of lib/classify on the management lcore: ids and counter
 * slots of ACLs and rules, publishing a rule set (build, one atomic
 * store, RCU grace period, free the old one), interface bindings, and
 * setup from the config model.
 *
 * The grace period is waited for with rte_rcu_qsbr_synchronize(): workers
 * report a quiescent state after every graph walk (microseconds), and
 * waiting frees the old context (megabytes with many rules) at once
 * instead of whenever a defer queue is next polled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "classify_priv.h"
#include "stats.h"

#define FEATURE_NODE "ferry_classify"
#define FEATURE6_NODE "ferry_classify6"

FERRY_LOG_REGISTER(classify_logtype, classify, INFO);

struct classify_dp classify_dp;
struct cfg_model *classify_model;

/* Control state of one ACL id. */
struct acl_state {
	char name[ACL_NAME_LEN];    /* "" = id free */
	uint32_t *slots;            /* counter slot of each rule */
	unsigned int n;
	uint32_t dflt_slot;
};

static struct acl_state acls[ACL_MAX];
static uint32_t slot_free[ACL_SLOT_MAX];
static unsigned int n_slot_free;
static bool slots_ready;
static unsigned int generation;
static size_t build_limit;
static int feature = -1;
static int feature6 = -1; /* on ferry_ip6_input */

void
classify_build_limit_set(size_t bytes)
{
	build_limit = bytes;
}

int
acl_id_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ACL_MAX; i++)
		if (acls[i].name[0] != '\0' && strcmp(acls[i].name, name) == 0)
			return (int)i;
	return -1;
}

struct acl_conf *
acl_conf_find(const struct cfg_model *m, const char *name)
{
	const struct cfg_array *a = cfg_model_section(m, "acls");
	struct acl_conf *ac = a != NULL ? a->items : NULL;
	unsigned int i;

	for (i = 0; a != NULL && i < a->n; i++)
		if (strcmp(ac[i].name, name) == 0)
			return &ac[i];
	return NULL;
}

const char *
acl_conf_of_iface(const struct cfg_model *m, const char *iface)
{
	const struct cfg_array *a = cfg_model_section(m, "acls");
	const struct acl_conf *ac = a != NULL ? a->items : NULL;
	const char *names;
	unsigned int i, j;

	for (i = 0; a != NULL && i < a->n; i++) {
		names = ac[i].interfaces.items;
		for (j = 0; j < ac[i].interfaces.n; j++)
			if (strcmp(names + j * IFACE_NAME_LEN, iface) == 0)
				return ac[i].name;
	}
	return "";
}

/* Counter slots: slot 0 is never handed out. */
static void
slots_init(void)
{
	uint32_t i;

	n_slot_free = 0;
	for (i = ACL_SLOT_MAX - 1; i > 0; i--)
		slot_free[n_slot_free++] = i;
	slots_ready = true;
}

static uint32_t
slot_get(void)
{
	if (!slots_ready)
		slots_init();
	return n_slot_free == 0 ? 0 : slot_free[--n_slot_free];
}

/* Give back a slot no worker can count on any more (after a grace
 * period): its counters start from 0 for the next user. */
static void
slot_put(uint32_t slot)
{
	unsigned int w;

	if (slot == 0)
		return;
	for (w = 0; w < classify_dp.n_workers; w++)
		memset(&classify_dp.hits[ACL_CTR_IDX(w, slot, 0)], 0,
		       ACL_CTR_N * sizeof(uint64_t));
	slot_free[n_slot_free++] = slot;
}

void
classify_grace_period(void)
{
	struct rte_rcu_qsbr *v = graph_rcu();

	if (v != NULL)
		rte_rcu_qsbr_synchronize(v, RTE_QSBR_THRID_INVALID);
}

/* Slots of the new rule list: kept rules keep theirs, new ones get
 * fresh ones. @return the array, or NULL if out of slots/memory. */
static uint32_t *
slots_plan(const struct acl_state *st, unsigned int n, const int *keep)
{
	uint32_t *s = calloc(n + 1, sizeof(*s));
	unsigned int i;
	int k;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		k = keep != NULL ? keep[i] : (int)i;
		if (k >= 0 && (unsigned int)k < st->n)
			s[i] = st->slots[k];
		else if ((s[i] = slot_get()) == 0)
			goto undo;
	}
	return s;
undo:
	while (i-- > 0) {
		k = keep != NULL ? keep[i] : (int)i;
		if (k < 0 || (unsigned int)k >= st->n)
			slot_free[n_slot_free++] = s[i];
	}
	free(s);
	return NULL;
}

/* Old slots not in the new plan go back (after the grace period). */
static void
slots_release_unused(const struct acl_state *st, const uint32_t *s,
		     unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < st->n; i++) {
		for (j = 0; j < n && s[j] != st->slots[i]; j++)
			;
		if (j == n)
			slot_put(st->slots[i]);
	}
}

/* Undo slots_plan(): the fresh slots (unused, still zero) go back. */
static void
slots_unplan(const struct acl_state *st, uint32_t *s, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < st->n && st->slots[j] != s[i]; j++)
			;
		if (j == st->n)
			slot_free[n_slot_free++] = s[i];
	}
	free(s);
}

static int
state_get(const char *name, char *err, size_t len)
{
	int id = acl_id_find(name);
	unsigned int i;

	if (id >= 0)
		return id;
	for (i = 0; i < ACL_MAX && acls[i].name[0] != '\0'; i++)
		;
	if (i == ACL_MAX || (acls[i].dflt_slot = slot_get()) == 0) {
		snprintf(err, len, "acl %s: no room for another ACL", name);
		return -ENOSPC;
	}
	snprintf(acls[i].name, sizeof(acls[i].name), "%s", name);
	acls[i].n = 0;
	acls[i].slots = NULL;
	return (int)i;
}

static void
state_drop(unsigned int id)
{
	slot_free[n_slot_free++] = acls[id].dflt_slot;
	memset(&acls[id], 0, sizeof(acls[id]));
}

int
acl_prepare(const struct acl_conf *ac, const int *keep,
	    struct acl_pending *p, char *err, size_t len)
{
	struct acl_state *st;
	char why[160];

	memset(p, 0, sizeof(*p));
	p->fresh = acl_id_find(ac->name) < 0;
	p->id = state_get(ac->name, err, len);
	if (p->id < 0)
		return p->id;
	st = &acls[p->id];
	p->n = ac->rules.n;
	p->slots = slots_plan(st, p->n, keep);
	if (p->slots == NULL) {
		snprintf(err, len, "acl %s: no counter slots left for %u "
			 "rules (at most %u in all ACLs)", ac->name, p->n,
			 ACL_RULES_MAX);
		acl_abort(p);
		return -ENOSPC;
	}
	p->rt = acl_rt_build(ac->name, generation++, ac->rules.items,
			     p->slots, p->n, ac->default_action,
			     st->dflt_slot, build_limit, why, sizeof(why));
	if (p->rt == NULL) {
		snprintf(err, len, "acl %s: %s; the running rules stay",
			 ac->name, why);
		acl_abort(p);
		return -EINVAL;
	}
	return 0;
}

void
acl_abort(struct acl_pending *p)
{
	if (p->slots != NULL)
		slots_unplan(&acls[p->id], p->slots, p->n);
	acl_rt_free(p->rt);
	if (p->fresh && p->id >= 0)
		state_drop((unsigned int)p->id);
	memset(p, 0, sizeof(*p));
	p->id = -1;
}

void
acl_publish(struct acl_pending *p)
{
	p->old = classify_dp.acl[p->id];
	__atomic_store_n(&classify_dp.acl[p->id], p->rt, __ATOMIC_RELEASE);
}

void
acl_finish(struct acl_pending *p)
{
	struct acl_state *st = &acls[p->id];

	acl_rt_free(p->old);
	slots_release_unused(st, p->slots, p->n);
	free(st->slots);
	st->slots = p->slots;
	st->n = p->n;
	memset(p, 0, sizeof(*p));
	p->id = -1;
}

int
acl_install(const struct acl_conf *ac, const int *keep, char *err,
	    size_t len)
{
	struct acl_pending p;
	int rc = acl_prepare(ac, keep, &p, err, len);

	if (rc < 0)
		return rc;
	acl_publish(&p);
	classify_grace_period();
	acl_finish(&p);
	return 0;
}

void
acl_uninstall(const char *name)
{
	int id = acl_id_find(name);
	struct acl_rt *old;
	unsigned int i;

	if (id < 0)
		return;
	old = classify_dp.acl[id];
	__atomic_store_n(&classify_dp.acl[id], NULL, __ATOMIC_RELEASE);
	classify_grace_period();
	acl_rt_free(old);
	for (i = 0; i < acls[id].n; i++)
		slot_put(acls[id].slots[i]);
	free(acls[id].slots);
	slot_put(acls[id].dflt_slot);
	memset(&acls[id], 0, sizeof(acls[id]));
}

int
acl_iface_set(const char *iface, const char *name, char *err, size_t len)
{
	int x = iface_find(iface), id = name != NULL ? acl_id_find(name) : -1;

	if (x < 0 || (name != NULL && id < 0)) {
		snprintf(err, len, x < 0 ? "no interface %s" : "no acl %s",
			 x < 0 ? iface : name);
		return -ENOENT;
	}
	if (feature < 0 || feature6 < 0) {
		snprintf(err, len, "classification is not set up");
		return -ENODEV;
	}
	/* Bind: the ACL first, then the detour; unbind in reverse. */
	if (id >= 0) {
		__atomic_store_n(&classify_dp.if_acl[x], (uint16_t)(id + 1),
				 __ATOMIC_RELEASE);
		route6_input_feature_set((unsigned int)x, feature6);
		return route_input_feature_set((unsigned int)x, feature);
	}
	route_input_feature_set((unsigned int)x, 0);
	route6_input_feature_set((unsigned int)x, 0);
	__atomic_store_n(&classify_dp.if_acl[x], 0, __ATOMIC_RELEASE);
	/* Packets already past ferry_ip4_input still count: once this
	 * returns, none does. */
	classify_grace_period();
	return 0;
}

/* Counter @p c of slot @p slot over the workers. */
static uint64_t
slot_sum(uint32_t slot, enum acl_counter c)
{
	uint64_t sum = 0;
	unsigned int w;

	for (w = 0; w < classify_dp.n_workers; w++)
		sum += __atomic_load_n(&classify_dp.hits[ACL_CTR_IDX(w, slot,
								     c)],
				       __ATOMIC_RELAXED);
	return sum;
}

uint64_t
acl_counter(const char *name, unsigned int pos, enum acl_counter c)
{
	int id = acl_id_find(name);
	uint32_t slot;

	if (id < 0 || pos > acls[id].n || classify_dp.hits == NULL)
		return UINT64_MAX;
	slot = pos == 0 ? acls[id].dflt_slot : acls[id].slots[pos - 1];
	return slot_sum(slot, c);
}

uint64_t
acl_hits(const char *name, unsigned int pos)
{
	return acl_counter(name, pos, ACL_COUNTER_PACKETS);
}

static void
acl_rule_report(struct stats_sink *s, const char *name, uint32_t slot)
{
	stats_object(s, name);
	stats_counter(s, "packets", slot_sum(slot, ACL_COUNTER_PACKETS));
	stats_counter(s, "bytes", slot_sum(slot, ACL_COUNTER_BYTES));
	stats_counter(s, "drops", slot_sum(slot, ACL_COUNTER_DROPS));
}

/* Objects "ACL/N" (rule N) and "ACL/default": matched packets and
 * bytes, and drops of deny rules. */
static void
acl_collect(struct stats_sink *s, void *arg)
{
	char name[ACL_NAME_LEN + 16];
	unsigned int id, pos;
	uint32_t slot;

	RTE_SET_USED(arg);
	for (id = 0; id < ACL_MAX && classify_dp.hits != NULL; id++) {
		for (pos = 0; acls[id].name[0] != '\0' && pos <= acls[id].n;
		     pos++) {
			slot = pos == 0 ? acls[id].dflt_slot :
			       acls[id].slots[pos - 1];
			if (pos == 0)
				snprintf(name, sizeof(name), "%.*s/default",
					 ACL_NAME_LEN, acls[id].name);
			else
				snprintf(name, sizeof(name), "%.*s/%u",
					 ACL_NAME_LEN, acls[id].name, pos);
			acl_rule_report(s, name, slot);
		}
	}
}

static const struct stats_source acl_source = {
	.kind = "acl_rules", .word = "acl_rule", .collect = acl_collect,
	.help = "ACL rule (ACL/position, ACL/default): packets and bytes it "
		"matched, and drops of a deny rule",
};

static int
model_install(const struct cfg_array *a)
{
	const struct acl_conf *ac = a->items;
	const char *names;
	char err[160];
	unsigned int i, j;
	int rc;

	for (i = 0; i < a->n; i++) {
		rc = acl_install(&ac[i], NULL, err, sizeof(err));
		if (rc < 0) {
			CLASSIFY_LOG(ERR, "acls.[%u]: %s", i, err);
			return rc;
		}
		names = ac[i].interfaces.items;
		for (j = 0; j < ac[i].interfaces.n; j++) {
			rc = acl_iface_set(names + j * IFACE_NAME_LEN,
					   ac[i].name, err, sizeof(err));
			if (rc < 0) {
				CLASSIFY_LOG(ERR, "acls.[%u]: %s", i, err);
				return rc;
			}
		}
	}
	return 0;
}

int
classify_setup(struct cfg_model *model)
{
	const struct cfg_array *a = cfg_model_section(model, "acls");
	unsigned int w = graph_worker_count();
	int rc;

	if (a == NULL)
		return -EINVAL;
	classify_model = model;
	if (!slots_ready)
		slots_init();
	classify_dp.n_workers = w > 0 ? w : 1;
	classify_dp.hits = rte_zmalloc("acl_hits", sizeof(uint64_t) *
				       ACL_CTR_IDX(classify_dp.n_workers, 0, 0),
				       RTE_CACHE_LINE_SIZE);
	if (classify_dp.hits == NULL)
		return -ENOMEM;
	rc = stats_source_register(&acl_source);
	if (rc < 0 && rc != -EEXIST)
		return rc;
	feature = route_input_feature_register(FEATURE_NODE);
	if (feature < 0) {
		CLASSIFY_LOG(ERR, "cannot hook into ferry_ip4_input: %s",
			     rte_strerror(-feature));
		return feature;
	}
	feature6 = route6_input_feature_register(FEATURE6_NODE);
	if (feature6 < 0) {
		CLASSIFY_LOG(ERR, "cannot hook into ferry_ip6_input: %s",
			     rte_strerror(-feature6));
		return feature6;
	}
	return model_install(a);
}

void
classify_teardown(void)
{
	unsigned int i;

	for (i = 0; i < IFACE_MAX; i++)
		if (classify_dp.if_acl[i] != 0) {
			route_input_feature_set(i, 0);
			route6_input_feature_set(i, 0);
			classify_dp.if_acl[i] = 0;
		}
	for (i = 0; i < ACL_MAX; i++)
		if (acls[i].name[0] != '\0')
			acl_uninstall(acls[i].name);
	rte_free(classify_dp.hits);
	classify_dp.hits = NULL;
	classify_model = NULL;
	feature = -1;
	feature6 = -1;
}

const struct ferry_module classify_module = {
	.name = "ACLs",
	.sections = (const struct cfg_section *const[]){ &acl_cfg_section,
							 NULL },
	.setup = classify_setup,
	.cli_register = classify_cli_register, /* uses <interface-name> */
	.teardown = classify_teardown,
};
