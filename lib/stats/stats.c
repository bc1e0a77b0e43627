/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show counters` and `show drops`. The counters output is one
 * "kind name key value ..." line per object so that scripts (and the
 * integration tests) can parse it with a split:
 *   port NAME rx N tx N rx-missed N rx-errors N tx-errors N
 *   node NAME N
 *   worker INDEX lcore N punted N injected N
 *   drop REASON N
 */
#include <inttypes.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>

#include "cli.h"
#include "graph.h"
#include "stats.h"

#define STATS_NODE_MAX 256

/*
 * `clear counters` cannot zero what workers write without racing them,
 * so it records a baseline and every display subtracts it.
 */
static struct {
	struct rte_eth_stats port[PORT_MAX];
	uint64_t node[STATS_NODE_MAX];
	uint64_t punted[GRAPH_WORKER_MAX];
	uint64_t injected[GRAPH_WORKER_MAX];
	uint64_t drops[DROP_MAX];
} base;

static void
port_stats(unsigned int i, struct rte_eth_stats *st)
{
	const struct rte_eth_stats *b = &base.port[i];

	if (rte_eth_stats_get(port_get(i)->port_id, st) != 0)
		memset(st, 0, sizeof(*st));
	st->ipackets -= b->ipackets;
	st->opackets -= b->opackets;
	st->imissed -= b->imissed;
	st->ierrors -= b->ierrors;
	st->oerrors -= b->oerrors;
}

static uint64_t
drops(enum drop_reason r)
{
	return graph_drops_total(r) - base.drops[r];
}

/* Packets node @p id processed, over all workers, since the baseline. */
static uint64_t
node_objs(rte_node_t id, const char **name)
{
	uint64_t objs = 0;
	unsigned int w;

	*name = NULL;
	for (w = 0; w < graph_worker_count(); w++) {
		struct rte_node *n =
			rte_graph_node_get(graph_worker(w)->graph_id, id);

		if (n == NULL)
			continue;
		*name = n->name;
		objs += n->total_objs;
	}
	return id < STATS_NODE_MAX ? objs - base.node[id] : objs;
}

void
stats_clear(void)
{
	const char *name;
	rte_node_t id;
	unsigned int i;

	memset(&base, 0, sizeof(base));
	for (i = 0; i < port_count() && i < PORT_MAX; i++)
		port_stats(i, &base.port[i]);
	for (id = 0; id < rte_node_max_count() && id < STATS_NODE_MAX; id++)
		base.node[id] = node_objs(id, &name);
	for (i = 0; i < graph_worker_count(); i++) {
		base.punted[i] = graph_worker(i)->stats.punted;
		base.injected[i] = graph_worker(i)->stats.injected;
	}
	for (i = 0; i < DROP_MAX; i++)
		base.drops[i] = graph_drops_total((enum drop_reason)i);
}

void
stats_totals_get(struct stats_totals *t)
{
	struct rte_eth_stats st;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < port_count(); i++) {
		port_stats(i, &st);
		t->rx += st.ipackets;
		t->tx += st.opackets;
	}
	for (i = 0; i < DROP_MAX; i++)
		t->drops += drops((enum drop_reason)i);
}

static void
ports_show(struct cli_out *out)
{
	struct rte_eth_stats st;
	unsigned int i;

	for (i = 0; i < port_count(); i++) {
		port_stats(i, &st);
		cli_printf(out, "port %s rx %" PRIu64 " tx %" PRIu64
			   " rx-missed %" PRIu64 " rx-errors %" PRIu64
			   " tx-errors %" PRIu64 "\n", port_get(i)->name,
			   st.ipackets, st.opackets, st.imissed, st.ierrors,
			   st.oerrors);
	}
}

static void
nodes_show(struct cli_out *out)
{
	rte_node_t id, max = rte_node_max_count();
	const char *name;
	uint64_t objs;

	for (id = 0; id < max; id++) {
		objs = node_objs(id, &name);
		if (name != NULL && objs != 0)
			cli_printf(out, "node %s %" PRIu64 "\n", name, objs);
	}
}

static void
workers_show(struct cli_out *out)
{
	unsigned int w;

	for (w = 0; w < graph_worker_count(); w++) {
		const struct worker *wk = graph_worker(w);

		cli_printf(out, "worker %u lcore %u punted %" PRIu64
			   " injected %" PRIu64 "\n", w, wk->lcore,
			   wk->stats.punted - base.punted[w],
			   wk->stats.injected - base.injected[w]);
	}
}

void
stats_counters_write(struct cli_out *out)
{
	unsigned int r;
	uint64_t n;

	ports_show(out);
	nodes_show(out);
	workers_show(out);
	for (r = 0; r < DROP_MAX; r++) {
		n = drops((enum drop_reason)r);
		if (n != 0)
			cli_printf(out, "drop %s %" PRIu64 "\n",
				   drop_reason_name(r), n);
	}
}

static int
show_counters(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	stats_counters_write(out);
	return 0;
}

static int
clear_counters(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(out);
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	stats_clear();
	return 0;
}

static int
show_drops(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint64_t n, total = 0;
	unsigned int r;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	for (r = 0; r < DROP_MAX; r++) {
		n = drops((enum drop_reason)r);
		if (n == 0)
			continue;
		total += n;
		cli_printf(out, "%-22s %12" PRIu64 "  %s\n",
			   drop_reason_name(r), n, drop_reason_desc(r));
	}
	cli_printf(out, "%-22s %12" PRIu64 "\n", "total", total);
	return 0;
}

static const struct cli_command stats_commands[] = {
	{
		.syntax = "clear counters",
		.help = "Reset displayed counters\n"
			"Port, node, worker and drop counters start from 0",
		.handler = clear_counters,
	},
	{
		.syntax = "show counters",
		.help = "Show running state\n"
			"Port, node, worker and drop counters, one object "
			"per line",
		.handler = show_counters,
	},
	{
		.syntax = "show drops",
		.help = "Show running state\n"
			"Dropped packets by reason, with what each reason "
			"means",
		.handler = show_drops,
	},
};

int
stats_cli_register(void)
{
	return cli_register(stats_commands, RTE_DIM(stats_commands));
}
