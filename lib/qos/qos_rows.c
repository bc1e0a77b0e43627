/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The qos section's lists as rows of a change (lib/config's cfg_txn):
 * scheduled ports keyed by port, their class trees (no key: a tree
 * changes with its port), policers keyed by name.
 *
 * What changes live: a class's rate, ceil and priority alone go to the
 * port's owner lcore as one parameter swap (qos_port_update(), as `qos
 * class` did), so buckets, queues and meters stay. Any other change of
 * a scheduled port (classes added or removed, the port's rate,
 * overhead, burst, queue limits, RED, DSCP maps, which policers it
 * names) and any change of a policer's settings rebuild the port's
 * data-path state whole (qos_port_rebuild()): the owner moves the
 * queues of the classes both trees have to the new scheduler between
 * two bursts, so their packets stay; a removed class's are dropped as
 * qos_class_removed. What needs a restart, and is refused with the
 * reason: scheduling a port or no longer scheduling it, since its tx
 * node is diverted to the scheduler when the graphs are built.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qos_priv.h"

/* The class fields qos_port_update() can change. */
static const char *const class_live[] = { "rate", "ceil", "priority",
					  NULL };

static bool
tree_live(const struct cfg_schema *port, const struct qos_port_cfg *a,
	  const struct qos_port_cfg *b)
{
	static const char *const port_live[] = { "classes", NULL };
	const struct cfg_schema *cls = NULL;
	unsigned int i;

	for (i = 0; i < port->n_fields; i++)
		if (port->fields[i].type == CFG_LIST)
			cls = port->fields[i].sub;
	if (cls == NULL || !cfg_group_equal(port, a, b, port_live) ||
	    a->classes.n != b->classes.n)
		return false;
	for (i = 0; i < a->classes.n; i++)
		if (!cfg_group_equal(cls, (const char *)a->classes.items +
				     i * cls->size, (const char *)
				     b->classes.items + i * cls->size,
				     class_live))
			return false;
	return true;
}

static int
port_check(const struct cfg_change *c, char *err, size_t len)
{
	if (c->start || c->op == CFG_MODIFY)
		return 0;
	snprintf(err, len, "a port's tx is diverted to its scheduler when "
		 "the graphs are built: scheduling a port or no longer "
		 "scheduling it needs a restart");
	return -EINVAL;
}

/* The scheduled port of @p name, or NULL with the reason in @p err. */
static struct qos_port_rt *
port_rt(const char *name, char *err, size_t len)
{
	int port = port_find(name);

	if (port < 0 || qos_ports[port] == NULL) {
		snprintf(err, len, "port %s is not scheduled", name);
		return NULL;
	}
	return qos_ports[port];
}

/* Rates, ceils and priorities only: one parameter swap, queues and
 * buckets kept. */
static int
port_update(struct qos_port_rt *q, const struct qos_port_cfg *pc, char *err,
	    size_t len)
{
	struct qos_class_params cls[QOS_CLASSES_MAX];
	struct qos_sched_params p;
	char why[128];
	int bad, rc;

	qos_params_from_cfg(pc, port_get(q->port_idx)->mtu, &p, cls);
	if (qos_sched_params_check(&p, &bad, why, sizeof(why)) < 0) {
		snprintf(err, len, "%s: %s", bad < 0 ? pc->port : "class",
			 why);
		return -EINVAL;
	}
	rc = qos_port_update(q, &p);
	if (rc < 0)
		snprintf(err, len, "port %s: the owner lcore did not apply "
			 "the change: %s", pc->port, strerror(-rc));
	return rc;
}

static int
port_rebuild(struct qos_port_rt *q, const struct cfg_model *model,
	     const struct qos_port_cfg *pc, char *err, size_t len)
{
	int rc = qos_port_rebuild(q, cfg_model_section(model, "qos"),
				  pc);

	if (rc < 0)
		snprintf(err, len, "port %s: cannot rebuild its scheduler: %s",
			 pc->port, strerror(-rc));
	return rc;
}

static int
port_modify(const struct cfg_change *c, char *err, size_t len)
{
	const struct qos_port_cfg *pc = c->new;
	struct qos_port_rt *q = port_rt(pc->port, err, len);

	if (q == NULL)
		return -ENOENT;
	if (tree_live(c->schema, c->old, c->new))
		return port_update(q, pc, err, len);
	return port_rebuild(q, c->model, pc, err, len);
}

/* Create and delete run only at start, when qos_setup() built all. */
const struct cfg_list_ops qos_port_ops = {
	.check = port_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = port_modify,
};

static bool
names_policer(const struct qos_port_cfg *pc, const char *name)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i;

	if (strcmp(pc->policer, name) == 0)
		return true;
	for (i = 0; i < pc->classes.n; i++)
		if (strcmp(cc[i].policer, name) == 0)
			return true;
	return false;
}

/*
 * A policer is a template: each port and class naming it meters with
 * its own rte_meter state, owned by the port's owner lcore. New
 * settings rebuild the ports that name it (the owner takes the new
 * meters between two bursts). A policer added or deleted is named by
 * no running port: the ports that start or stop naming it are rows of
 * the same change, and the section's check saw every name resolve.
 */
static int
policer_modify(const struct cfg_change *c, char *err, size_t len)
{
	const struct qos_policer_cfg *pol = c->new;
	const struct qos_conf *qc = cfg_model_section(c->model, "qos");
	const struct qos_port_cfg *pc = qc->ports.items;
	struct qos_port_rt *q;
	unsigned int i;
	int rc;

	for (i = 0; i < qc->ports.n; i++) {
		if (!names_policer(&pc[i], pol->name))
			continue;
		q = port_rt(pc[i].port, err, len);
		rc = q == NULL ? -ENOENT :
				 port_rebuild(q, c->model, &pc[i], err, len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct cfg_list_ops qos_policer_ops = {
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = policer_modify,
};
