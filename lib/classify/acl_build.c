/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rule sets on rte_acl: a checked rule list becomes one rte_acl context
 * (one category, priorities in rule order so the first match wins) and a
 * table of actions indexed by the rule's userdata. A context is built
 * whole and never edited: a change builds a new one (classify.c
 * publishes it), which is what rte_acl supports anyway, since rules
 * cannot be added to a built context.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "classify_priv.h"

enum {
	F_PROTO, F_SRC, F_DST, F_SPORT, F_DPORT, F_IFACE, F_VRF, F_DSCP,
	F_NUM
};

RTE_ACL_RULE_DEF(acl_rule, F_NUM);

/* rte_acl wants the 1-byte first field alone and then 4-byte groups, one
 * per input index: proto | src | dst | sport dport | iface vrf dscp. */
static const struct rte_acl_field_def acl_fields[F_NUM] = {
	[F_PROTO] = { RTE_ACL_FIELD_TYPE_BITMASK, 1, F_PROTO, 0,
		      offsetof(struct acl_key, proto) },
	[F_SRC] = { RTE_ACL_FIELD_TYPE_MASK, 4, F_SRC, 1,
		    offsetof(struct acl_key, src) },
	[F_DST] = { RTE_ACL_FIELD_TYPE_MASK, 4, F_DST, 2,
		    offsetof(struct acl_key, dst) },
	[F_SPORT] = { RTE_ACL_FIELD_TYPE_RANGE, 2, F_SPORT, 3,
		      offsetof(struct acl_key, sport) },
	[F_DPORT] = { RTE_ACL_FIELD_TYPE_RANGE, 2, F_DPORT, 3,
		      offsetof(struct acl_key, dport) },
	[F_IFACE] = { RTE_ACL_FIELD_TYPE_RANGE, 2, F_IFACE, 4,
		      offsetof(struct acl_key, in_iface) },
	[F_VRF] = { RTE_ACL_FIELD_TYPE_BITMASK, 1, F_VRF, 4,
		    offsetof(struct acl_key, vrf) },
	[F_DSCP] = { RTE_ACL_FIELD_TYPE_BITMASK, 1, F_DSCP, 4,
		     offsetof(struct acl_key, dscp) },
};

static int
compile_actions(const struct acl_rule_conf *rc, struct acl_action *a,
		const char **field, const char **why)
{
	int v;

	memset(a, 0, sizeof(*a));
	if (rc->action == ACL_PERMIT)
		a->flags |= ACL_A_PERMIT;
	if (rc->qos_class != 0) {
		a->flags |= ACL_A_CLASS;
		a->qos_class = (uint16_t)rc->qos_class;
	}
	*field = ".set_dscp";
	if (acl_dscp_parse(rc->set_dscp, &v, why) < 0)
		return -EINVAL;
	if (v != ACL_ANY) {
		a->flags |= ACL_A_DSCP;
		a->dscp = (uint8_t)v;
	}
	*field = ".set_tc";
	if (acl_tc_parse(rc->set_tc, &v, why) < 0)
		return -EINVAL;
	if (v != ACL_ANY) {
		a->flags |= ACL_A_TC;
		a->tc = (uint8_t)v;
	}
	return 0;
}

int
acl_rule_compile(const struct acl_rule_conf *rc, struct acl_match *m,
		 struct acl_action *a, const char **field, const char **why)
{
	int v;

	memset(m, 0, sizeof(*m));
	m->src = rc->src.addr;
	m->src_len = rc->src.len;
	m->dst = rc->dst.addr;
	m->dst_len = rc->dst.len;
	*field = ".proto";
	if (acl_proto_parse(rc->proto, &v, why) < 0)
		return -EINVAL;
	m->proto = (int16_t)v;
	*field = ".sport";
	if (acl_ports_parse(rc->sport, &m->sport_lo, &m->sport_hi, why) < 0)
		return -EINVAL;
	*field = ".dport";
	if (acl_ports_parse(rc->dport, &m->dport_lo, &m->dport_hi, why) < 0)
		return -EINVAL;
	*field = ".dscp";
	if (acl_dscp_parse(rc->dscp, &v, why) < 0)
		return -EINVAL;
	m->dscp = (int16_t)v;
	m->in_iface = ACL_ANY;
	*field = ".in_interface";
	*why = "no such interface";
	if (rc->in_interface[0] != '\0' &&
	    (m->in_iface = iface_find(rc->in_interface)) < 0)
		return -EINVAL;
	m->vrf = ACL_ANY;
	*field = ".vrf";
	*why = "no such VRF";
	if (rc->vrf[0] != '\0' && (m->vrf = (int16_t)vrf_find(rc->vrf)) < 0)
		return -EINVAL;
	return compile_actions(rc, a, field, why);
}

/* An rte_acl rule for @p m at position @p i (priority falls with i). */
static void
rule_fill(struct acl_rule *r, const struct acl_match *m, unsigned int i)
{
	memset(r, 0, sizeof(*r));
	r->data.category_mask = 1;
	r->data.priority = RTE_ACL_MAX_PRIORITY - (int32_t)i;
	r->data.userdata = i + 1;
	if (m->proto != ACL_ANY) {
		r->field[F_PROTO].value.u8 = (uint8_t)m->proto;
		r->field[F_PROTO].mask_range.u8 = UINT8_MAX;
	}
	r->field[F_SRC].value.u32 = m->src;
	r->field[F_SRC].mask_range.u32 = m->src_len;
	r->field[F_DST].value.u32 = m->dst;
	r->field[F_DST].mask_range.u32 = m->dst_len;
	r->field[F_SPORT].value.u16 = m->sport_lo;
	r->field[F_SPORT].mask_range.u16 = m->sport_hi;
	r->field[F_DPORT].value.u16 = m->dport_lo;
	r->field[F_DPORT].mask_range.u16 = m->dport_hi;
	r->field[F_IFACE].value.u16 = m->in_iface == ACL_ANY ? 0 :
		(uint16_t)m->in_iface;
	r->field[F_IFACE].mask_range.u16 = m->in_iface == ACL_ANY ?
		UINT16_MAX : (uint16_t)m->in_iface;
	if (m->vrf != ACL_ANY) {
		r->field[F_VRF].value.u8 = (uint8_t)m->vrf;
		r->field[F_VRF].mask_range.u8 = UINT8_MAX;
	}
	if (m->dscp != ACL_ANY) {
		r->field[F_DSCP].value.u8 = (uint8_t)m->dscp;
		r->field[F_DSCP].mask_range.u8 = UINT8_MAX;
	}
}

/* Compile every rule into @p rt->act and add it to @p ctx. */
static int
rules_add(struct acl_rt *rt, const struct acl_rule_conf *rules,
	  const uint32_t *slots, unsigned int n, char *err, size_t len)
{
	const char *field = "", *why = "";
	struct acl_match m;
	struct acl_rule r;
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		if (acl_rule_compile(&rules[i], &m, &rt->act[i], &field,
				     &why) < 0) {
			snprintf(err, len, "rule %u%s: %s", i + 1, field, why);
			return -EINVAL;
		}
		rt->act[i].slot = slots[i];
		rule_fill(&r, &m, i);
		rc = rte_acl_add_rules(rt->ctx, (struct rte_acl_rule *)&r, 1);
		if (rc < 0) {
			snprintf(err, len, "rule %u: rte_acl_add_rules: %s",
				 i + 1, rte_strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int
ctx_build(struct acl_rt *rt, unsigned int n, size_t max_size, char *err,
	  size_t len)
{
	struct rte_acl_config cfg = {
		.num_categories = 1,
		.num_fields = F_NUM,
		.max_size = max_size,
	};
	int rc;

	memcpy(cfg.defs, acl_fields, sizeof(acl_fields));
	rc = rte_acl_build(rt->ctx, &cfg);
	if (rc < 0) {
		snprintf(err, len, "rte_acl_build of %u rules failed: %s%s",
			 n, rte_strerror(-rc),
			 rc == -ENOMEM && max_size != 0 ?
				" (over the context memory cap)" : "");
		return rc;
	}
	return 0;
}

struct acl_rt *
acl_rt_build(const char *name, unsigned int gen,
	     const struct acl_rule_conf *rules, const uint32_t *slots,
	     unsigned int n, int dflt, uint32_t dflt_slot, size_t max_size,
	     char *err, size_t len)
{
	char ctx_name[RTE_ACL_NAMESIZE];
	struct rte_acl_param prm = {
		.name = ctx_name,
		.socket_id = SOCKET_ID_ANY,
		.rule_size = RTE_ACL_RULE_SZ(F_NUM),
		.max_rule_num = n,
	};
	struct acl_rt *rt;

	rt = rte_zmalloc("acl_rt", sizeof(*rt) + n * sizeof(rt->act[0]), 0);
	if (rt == NULL) {
		snprintf(err, len, "out of memory for %u rules", n);
		return NULL;
	}
	rt->n_rules = n;
	rt->dflt.flags = dflt == ACL_PERMIT ? ACL_A_PERMIT : 0;
	rt->dflt.slot = dflt_slot;
	if (n == 0)
		return rt;
	/* rte_acl names must be unique among live contexts. */
	snprintf(ctx_name, sizeof(ctx_name), "acl%u_%.16s", gen, name);
	rt->ctx = rte_acl_create(&prm);
	if (rt->ctx == NULL) {
		snprintf(err, len, "rte_acl_create: %s",
			 rte_strerror(rte_errno));
		goto free_rt;
	}
	if (rules_add(rt, rules, slots, n, err, len) < 0 ||
	    ctx_build(rt, n, max_size, err, len) < 0)
		goto free_rt;
	return rt;
free_rt:
	acl_rt_free(rt);
	return NULL;
}

void
acl_rt_free(struct acl_rt *rt)
{
	if (rt == NULL)
		return;
	rte_acl_free(rt->ctx);
	rte_free(rt);
}
