/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The qos section's lists as rows of a change (lib/config's cfg_txn):
 * scheduled ports keyed by port, their class trees (no key: a tree
 * changes with its port), policers keyed by name.
 *
 * What changes live: a class's rate, ceil and priority, handed to the
 * port's owner lcore in one parameter swap (qos_port_update(), as
 * `qos class` did), so the queues and the packets in them stay. What
 * needs a restart, and is refused with the reason: a port's scheduler
 * and queues (port rate, overhead, burst, the tree's shape, queue
 * limits, RED, DSCP maps) are sized and built at start, and policers
 * are bound to ports and classes by pointer at start (qos.c).
 */
#include <errno.h>
#include <stdio.h>

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
	if (c->start)
		return 0;
	if (c->op == CFG_MODIFY && tree_live(c->schema, c->old, c->new))
		return 0;
	snprintf(err, len, "a scheduled port's scheduler is built at start: "
		 "only its classes' rate, ceil and priority change live "
		 "(the rest needs a restart)");
	return -EINVAL;
}

static int
port_modify(const struct cfg_change *c, char *err, size_t len)
{
	const struct qos_port_cfg *pc = c->new;
	struct qos_class_params cls[QOS_CLASSES_MAX];
	int port = port_find(pc->port), bad, rc;
	struct qos_sched_params p;
	char why[128];

	if (port < 0 || qos_ports[port] == NULL) {
		snprintf(err, len, "port %s is not scheduled", pc->port);
		return -ENOENT;
	}
	qos_params_from_cfg(pc, port_get((unsigned int)port)->mtu, &p, cls);
	if (qos_sched_params_check(&p, &bad, why, sizeof(why)) < 0) {
		snprintf(err, len, "%s: %s", bad < 0 ? pc->port : "class",
			 why);
		return -EINVAL;
	}
	rc = qos_port_update(qos_ports[port], &p);
	if (rc < 0)
		snprintf(err, len, "port %s: the owner lcore did not apply "
			 "the change: %s", pc->port, strerror(-rc));
	return rc;
}

/* Create and delete run only at start, when qos_setup() built all. */
const struct cfg_list_ops qos_port_ops = {
	.check = port_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = port_modify,
};

static int
policer_check(const struct cfg_change *c, char *err, size_t len)
{
	if (c->start)
		return 0;
	snprintf(err, len, "policers are bound to ports and classes at "
		 "start (needs a restart)");
	return -EINVAL;
}

const struct cfg_list_ops qos_policer_ops = {
	.check = policer_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
};
