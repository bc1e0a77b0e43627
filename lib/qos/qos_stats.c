/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QoS counter sources: "qos_classes" (per scheduled port's class,
 * "PORT/ID": packets and bytes sent, tail drops, packets enqueued, the
 * queue now) and "qos_policers" ("PORT" for a port's policer,
 * "PORT/ID" for a class's: packets and bytes metered, packets of each
 * colour, drops of the colours whose action is drop). Both are written
 * by the port's owner lcore only and read here, on the management
 * lcore, as `show qos` reads them.
 */
#include <stdio.h>

#include "qos_priv.h"
#include "stats.h"

typedef void (*port_report_t)(struct stats_sink *s,
			      const struct qos_port_cfg *pc,
			      const struct qos_port_rt *q);

/* Call @p fn for each scheduled port of the model. */
static void
ports_walk(struct stats_sink *s, port_report_t fn)
{
	const struct qos_conf *qc = qos_model != NULL ?
		cfg_model_section(qos_model, "qos") : NULL;
	const struct qos_port_cfg *pc = qc != NULL ? qc->ports.items : NULL;
	unsigned int i;
	int idx;

	for (i = 0; qc != NULL && i < qc->ports.n; i++) {
		idx = port_find(pc[i].port);
		if (idx >= 0 && qos_ports[idx] != NULL)
			fn(s, &pc[i], qos_ports[idx]);
	}
}

static void
port_classes(struct stats_sink *s, const struct qos_port_cfg *pc,
	     const struct qos_port_rt *q)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	struct qos_class_stats st;
	char name[2 * QOS_NAME_LEN];
	unsigned int j;

	for (j = 0; j < pc->classes.n; j++) {
		qos_sched_class_stats(q->sched, j, &st);
		snprintf(name, sizeof(name), "%s/%u", pc->port, cc[j].id);
		stats_object(s, name);
		stats_counter(s, "packets", st.sent_pkts);
		stats_counter(s, "bytes", st.sent_bytes);
		stats_counter(s, "drops", st.drops);
		stats_counter(s, "enqueued", st.enq_pkts);
		stats_gauge(s, "queued", st.qlen);
	}
}

static void
policer_report(struct stats_sink *s, const char *name,
	       const struct qos_policer *p)
{
	uint64_t drops = 0, pkts = 0, bytes = 0;
	unsigned int c;

	for (c = 0; c < RTE_COLORS; c++) {
		pkts += p->pkts[c];
		bytes += p->bytes[c];
		if (p->conf.action[c] == QOS_ACT_DROP)
			drops += p->pkts[c];
	}
	stats_object(s, name);
	stats_counter(s, "packets", pkts);
	stats_counter(s, "bytes", bytes);
	stats_counter(s, "drops", drops);
	stats_counter(s, "green", p->pkts[RTE_COLOR_GREEN]);
	stats_counter(s, "yellow", p->pkts[RTE_COLOR_YELLOW]);
	stats_counter(s, "red", p->pkts[RTE_COLOR_RED]);
}

static void
port_policers(struct stats_sink *s, const struct qos_port_cfg *pc,
	      const struct qos_port_rt *q)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	char name[2 * QOS_NAME_LEN];
	unsigned int j;

	if (q->port_pol != NULL)
		policer_report(s, pc->port, q->port_pol);
	for (j = 0; j < pc->classes.n; j++) {
		if (q->class_pol[j + 1] == NULL)
			continue;
		snprintf(name, sizeof(name), "%s/%u", pc->port, cc[j].id);
		policer_report(s, name, q->class_pol[j + 1]);
	}
}

static void
class_collect(struct stats_sink *s, void *arg)
{
	RTE_SET_USED(arg);
	ports_walk(s, port_classes);
}

static void
policer_collect(struct stats_sink *s, void *arg)
{
	RTE_SET_USED(arg);
	ports_walk(s, port_policers);
}

static const struct stats_source qos_sources[] = {
	{ .kind = "qos_classes", .word = "qos_class",
	  .collect = class_collect,
	  .help = "Scheduler class (port/class id): packets and bytes sent, "
		  "tail drops, packets enqueued, packets queued now" },
	{ .kind = "qos_policers", .word = "policer",
	  .collect = policer_collect,
	  .help = "Policer (port, or port/class id): packets and bytes "
		  "metered, by colour, and drops" },
};

int
qos_stats_setup(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < RTE_DIM(qos_sources) && (rc == 0 || rc == -EEXIST);
	     i++)
		rc = stats_source_register(&qos_sources[i]);
	return rc == -EEXIST ? 0 : rc;
}
