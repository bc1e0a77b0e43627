/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "qos" config section: its schema table and the check that ties it
 * to the ports. The tree rules themselves are the scheduler's own
 * (qos_sched_params_check), so the file and the CLI refuse the same
 * things with the same words. Errors read
 * FILE:LINE: qos.ports.[0].classes.[2]: REASON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "qos_priv.h"

#define PATH_LEN 96

const struct cfg_enum qos_policer_types[] = {
	{ "srtcm", QOS_POLICER_SRTCM },
	{ "trtcm", QOS_POLICER_TRTCM },
	{ NULL, 0 },
};

const struct cfg_enum qos_policer_actions[] = {
	{ "transmit", QOS_ACT_TRANSMIT },
	{ "remark", QOS_ACT_REMARK },
	{ "drop", QOS_ACT_DROP },
	{ NULL, 0 },
};

#define SCHEMA(n, type, f) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type) }
#define PF(f) offsetof(struct qos_policer_cfg, f)
#define ACTION(key, col, dflt) \
	{ key, CFG_ENUM, PF(action[col]), sizeof(int), .def = dflt, \
	  .enums = qos_policer_actions, \
	  .doc = "what " key " packets get: transmit, remark or drop" }
#define DSCP(key, col, name) \
	{ key, CFG_UINT, PF(dscp[col]), 4, 0, 63, \
	  .doc = "DSCP written into " name " packets when their action " \
		 "is remark" }

static const struct cfg_field policer_fields[] = {
	{ "name", CFG_STRING, PF(name), QOS_NAME_LEN, .required = true,
	  .doc = "name the ports and classes refer to" },
	{ "type", CFG_ENUM, PF(type), sizeof(int), .required = true,
	  .enums = qos_policer_types,
	  .doc = "srtcm (RFC 2697: cir, cbs, ebs) or trtcm (RFC 2698: cir, "
		 "cbs, pir, pbs)" },
	{ "cir", CFG_UINT, PF(cir), 8, 8, 400000000000ull, .required = true,
	  .unit = CFG_UNIT_BPS, .doc = "committed information rate, bit/s of IP packet bytes" },
	{ "cbs", CFG_UINT, PF(cbs), 8, 1, 1ull << 32, .required = true,
	  .unit = CFG_UNIT_BYTES, .doc = "committed burst size, bytes" },
	{ "ebs", CFG_UINT, PF(ebs), 8, 0, 1ull << 32, .unit = CFG_UNIT_BYTES,
	  .doc = "srtcm: excess burst size, bytes" },
	{ "pir", CFG_UINT, PF(pir), 8, 0, 400000000000ull,
	  .unit = CFG_UNIT_BPS, .doc = "trtcm: peak information rate, bit/s" },
	{ "pbs", CFG_UINT, PF(pbs), 8, 0, 1ull << 32, .unit = CFG_UNIT_BYTES,
	  .doc = "trtcm: peak burst size, bytes" },
	{ "color_aware", CFG_BOOL, PF(color_aware), sizeof(bool),
	  .doc = "meter from the colour classify gave the packet (RFC 2697 "
		 "and 2698 colour-aware mode) instead of all green" },
	ACTION("green", RTE_COLOR_GREEN, "\"transmit\""),
	ACTION("yellow", RTE_COLOR_YELLOW, "\"transmit\""),
	ACTION("red", RTE_COLOR_RED, "\"drop\""),
	DSCP("green_dscp", RTE_COLOR_GREEN, "green"),
	DSCP("yellow_dscp", RTE_COLOR_YELLOW, "yellow"),
	DSCP("red_dscp", RTE_COLOR_RED, "red"),
};

const struct cfg_schema qos_policer_schema = {
	.name = "policer", .fields = policer_fields,
	.n_fields = RTE_DIM(policer_fields),
	.size = sizeof(struct qos_policer_cfg),
	.keys = (const char *const[]){ "name", NULL },
	.ops = &qos_policer_ops,
};

#define CF(f) offsetof(struct qos_class_cfg, f)

static const struct cfg_field class_fields[] = {
	{ "id", CFG_UINT, CF(id), 4, 1, QOS_CLASS_ID_MAX, .required = true,
	  .doc = "class id: what classify sets in a packet's qos_class" },
	{ "parent", CFG_UINT, CF(parent), 4, 0, QOS_CLASS_ID_MAX,
	  .doc = "id of the parent class, listed before this one; 0 = the "
		 "port" },
	{ "rate", CFG_UINT, CF(rate), 8, QOS_RATE_MIN, QOS_RATE_MAX,
	  .required = true, .unit = CFG_UNIT_BPS,
	  .doc = "guaranteed rate, bit/s on the wire; children's rates "
		 "must fit in their parent's" },
	{ "ceil", CFG_UINT, CF(ceil), 8, 0, QOS_RATE_MAX, .unit = CFG_UNIT_BPS,
	  .doc = "maximum rate with borrowing, bit/s, rate..parent's ceil; "
		 "0 = the parent's ceil" },
	{ "priority", CFG_UINT, CF(priority), 4, 0, QOS_PRIO_MAX,
	  .doc = "0 borrows spare bandwidth first, 7 last" },
	{ "queue_limit", CFG_UINT, CF(queue_limit), 4, 1,
	  QOS_QUEUE_LIMIT_MAX, .def = "256",
	  .doc = "packets queued in a leaf class before tail drop" },
	{ "red_min", CFG_UINT, CF(red_min), 4, 0, 1022,
	  .doc = "RED (rte_red, Floyd/Jacobson): below this average queue "
		 "(packets) nothing is dropped early" },
	{ "red_max", CFG_UINT, CF(red_max), 4, 0, 1023,
	  .doc = "RED: at this average queue every packet is dropped; "
		 "red_min < red_max <= queue_limit; 0 = no RED, tail drop "
		 "only" },
	{ "red_maxp_inv", CFG_UINT, CF(red_maxp_inv), 4, 1, 255, .def = "10",
	  .doc = "RED: 1 / drop probability at red_max" },
	{ "red_wq_log2", CFG_UINT, CF(red_wq_log2), 4, 1, 12, .def = "9",
	  .doc = "RED: the average moves by 1/2^n of the difference a "
		 "packet" },
	{ "dscp", CFG_STRING_LIST, CF(dscp), 4,
	  .doc = "DSCP values (\"0\"..\"63\") of packets classify left in "
		 "class 0 that go to this leaf" },
	{ "policer", CFG_STRING, CF(policer), QOS_NAME_LEN,
	  .doc = "policer (qos.policers) metering this class's packets" },
};

static const struct cfg_schema class_schema =
	SCHEMA("class", struct qos_class_cfg, class_fields);

const struct cfg_schema *
qos_class_schema(void)
{
	return &class_schema;
}

#define PO(f) offsetof(struct qos_port_cfg, f)

static const struct cfg_field port_fields[] = {
	{ "port", CFG_STRING, PO(port), PORT_NAME_LEN, .required = true,
	  .doc = "port (ports section) whose egress is scheduled" },
	{ "rate", CFG_UINT, PO(rate), 8, QOS_RATE_MIN, QOS_RATE_MAX,
	  .required = true, .unit = CFG_UNIT_BPS, .doc = "port rate, bit/s on the wire" },
	{ "overhead", CFG_UINT, PO(overhead), 4, 0, 64, .def = "24",
	  .doc = "bytes counted per frame on top of its length: 24 = FCS 4 "
		 "+ preamble/SFD 8 + inter-frame gap 12; 0 = frame only" },
	{ "burst", CFG_UINT, PO(burst_us), 4, 1, 1000000,
	  .def = RTE_STR(QOS_BURST_US_DEFAULT),
	  .doc = "bucket depth, microseconds at each class's own rate: how "
		 "long the worker may be held up without a class losing "
		 "bandwidth, and the longest burst above a rate after idling" },
	{ "default_class", CFG_UINT, PO(default_class), 4, 1,
	  QOS_CLASS_ID_MAX, .required = true,
	  .doc = "leaf for packets of class 0 (unclassified) or a class "
		 "this port does not have" },
	{ "policer", CFG_STRING, PO(policer), QOS_NAME_LEN,
	  .doc = "policer metering every packet to this port, before the "
		 "class's own" },
	{ "classes", CFG_LIST, PO(classes), sizeof(struct qos_class_cfg), 1,
	  QOS_CLASSES_MAX, .required = true, .sub = &class_schema,
	  .doc = "the class tree, parents before children" },
};

/* A port's classes have no key: the tree changes with its port
 * (qos_rows.c). */
const struct cfg_schema qos_port_schema = {
	.name = "qos_port", .fields = port_fields,
	.n_fields = RTE_DIM(port_fields), .size = sizeof(struct qos_port_cfg),
	.keys = (const char *const[]){ "port", NULL },
	.ops = &qos_port_ops,
};

static const struct cfg_field qos_fields[] = {
	{ "ports", CFG_LIST, offsetof(struct qos_conf, ports),
	  sizeof(struct qos_port_cfg), .sub = &qos_port_schema,
	  .doc = "scheduled ports" },
	{ "policers", CFG_LIST, offsetof(struct qos_conf, policers),
	  sizeof(struct qos_policer_cfg), .sub = &qos_policer_schema,
	  .doc = "policers the ports and classes name" },
};

static const struct cfg_schema qos_schema =
	SCHEMA("qos", struct qos_conf, qos_fields);

const struct qos_policer_cfg *
qos_policer_cfg_find(const struct qos_conf *qc, const char *name)
{
	const struct qos_policer_cfg *pc = qc->policers.items;
	unsigned int i;

	for (i = 0; name[0] != '\0' && i < qc->policers.n; i++)
		if (strcmp(pc[i].name, name) == 0)
			return &pc[i];
	return NULL;
}

void
qos_policer_conf_from_cfg(const struct qos_policer_cfg *pc,
			  struct qos_policer_conf *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->type = (enum qos_policer_type)pc->type;
	c->cir = pc->cir;
	c->cbs = pc->cbs;
	c->ebs = pc->ebs;
	c->pir = pc->pir;
	c->pbs = pc->pbs;
	c->color_aware = pc->color_aware;
	for (i = 0; i < RTE_COLORS; i++) {
		c->action[i] = (enum qos_policer_action)pc->action[i];
		c->dscp[i] = (uint8_t)pc->dscp[i];
	}
}

static int
check_policers(struct cfg_ctx *ctx, const struct qos_conf *qc)
{
	const struct qos_policer_cfg *pc = qc->policers.items;
	struct qos_policer_conf c;
	char path[PATH_LEN], why[96];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < qc->policers.n; i++) {
		snprintf(path, sizeof(path), "qos.policers.[%u]", i);
		qos_policer_conf_from_cfg(&pc[i], &c);
		/* a second name: the engine's duplicate key */
		if (qos_policer_conf_check(&c, why, sizeof(why)) < 0) {
			cfg_error(ctx, path, NULL, "%s", why);
			errors++;
		}
	}
	return errors;
}

/* Policer names and DSCP values of one port's classes. */
static int
check_class_refs(struct cfg_ctx *ctx, const struct qos_conf *qc,
		 unsigned int i)
{
	const struct qos_port_cfg *pc = &((const struct qos_port_cfg *)
					  qc->ports.items)[i];
	const struct qos_class_cfg *cc = pc->classes.items;
	char path[PATH_LEN];
	uint16_t map[64];
	unsigned int j;
	int errors = 0;

	for (j = 0; j < pc->classes.n; j++) {
		snprintf(path, sizeof(path), "qos.ports.[%u].classes.[%u]", i,
			 j);
		if (cc[j].red_max != 0 && (cc[j].red_min >= cc[j].red_max ||
					   cc[j].red_max > cc[j].queue_limit)) {
			cfg_error(ctx, path, NULL, "RED needs red_min < "
				  "red_max <= queue_limit (%u)",
				  cc[j].queue_limit);
			errors++;
		}
		if (cc[j].policer[0] != '\0' &&
		    qos_policer_cfg_find(qc, cc[j].policer) == NULL) {
			cfg_error(ctx, path, NULL, "no policer named \"%s\"",
				  cc[j].policer);
			errors++;
		}
	}
	if (qos_dscp_map_build(pc, map, &j, path, sizeof(path)) < 0) {
		char at[PATH_LEN + 16];

		snprintf(at, sizeof(at), "qos.ports.[%u].classes.[%u].dscp", i,
			 j);
		cfg_error(ctx, at, NULL, "%s", path);
		errors++;
	}
	return errors;
}

static int
check_port(struct cfg_ctx *ctx, struct cfg_model *m, struct qos_conf *qc,
	   unsigned int i)
{
	struct qos_port_cfg *pc = &((struct qos_port_cfg *)qc->ports.items)[i];
	const struct cfg_array *ports = port_conf_list(m);
	struct qos_class_params cls[QOS_CLASSES_MAX];
	struct qos_sched_params p;
	char path[PATH_LEN], why[128];
	int idx, bad;

	/* a port scheduled twice: the engine's duplicate key */
	snprintf(path, sizeof(path), "qos.ports.[%u]", i);
	idx = port_conf_find(ports, pc->port);
	if (idx < 0) {
		cfg_error(ctx, path, NULL, "no port named \"%s\"", pc->port);
		return 1;
	}
	if (pc->policer[0] != '\0' &&
	    qos_policer_cfg_find(qc, pc->policer) == NULL) {
		cfg_error(ctx, path, NULL, "no policer named \"%s\"",
			  pc->policer);
		return 1;
	}
	qos_ceil_defaults(pc);
	qos_params_from_cfg(pc, ((const struct port_conf *)ports->items)[idx]
			    .mtu, &p, cls);
	if (qos_sched_params_check(&p, &bad, why, sizeof(why)) < 0) {
		if (bad >= 0)
			snprintf(path, sizeof(path),
				 "qos.ports.[%u].classes.[%d]", i, bad);
		cfg_error(ctx, path, NULL, "%s", why);
		return 1;
	}
	return check_class_refs(ctx, qc, i);
}

static int
qos_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	struct qos_conf *qc = cfg_model_section(model, "qos");
	unsigned int i;
	int errors = check_policers(ctx, qc);

	for (i = 0; i < qc->ports.n; i++)
		errors += check_port(ctx, model, qc, i);
	return errors;
}

const struct cfg_section qos_cfg_section = {
	.key = "qos",
	.type = CFG_GROUP,
	.schema = &qos_schema,
	.doc = "Egress QoS: per port, a hierarchical scheduler with Linux "
	       "HTB's semantics (each class guaranteed its rate, never above "
	       "its ceil, spare bandwidth lent in proportion to the rates, "
	       "lower priority numbers first) and policers over rte_meter "
	       "(srTCM RFC 2697, trTCM RFC 2698). A reload or `qos class` "
	       "changes a class's rate, ceil and priority in place; any "
	       "other change of a scheduled port (classes added or removed, "
	       "queues, RED, DSCP maps, policers) rebuilds its scheduler "
	       "live, keeping the queues of the classes that stay. "
	       "Scheduling another port, or no longer scheduling one, "
	       "needs a restart (refused). See doc/qos.md.",
	.check = qos_check,
	/* Live but for ports added or removed (qos_rows.c). */
};
