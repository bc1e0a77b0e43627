/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show runtime`: per graph node, calls, packets, packets per call and
 * TSC cycles per packet and per call, from rte_graph's cluster stats
 * (the node counters rte_graph_walk() keeps when DPDK is built with
 * RTE_LIBRTE_GRAPH_STATS, as Debian's is), summed over every worker or
 * for one. The same counters are the "runtime" source, so telemetry
 * (/ferry/runtime) and Prometheus carry them too; `show counters` does
 * not (it has "node NAME packets" already).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_lcore.h>

#include "cli.h"
#include "graph.h"
#include "stats_priv.h"

struct runtime_show {
	struct cli_out *out;
	uint64_t calls, objs, cycles; /* totals over the nodes shown */
};

static void
runtime_line(struct cli_out *out, const char *name, uint64_t calls,
	     uint64_t objs, uint64_t cycles)
{
	cli_printf(out, "%-32s %12" PRIu64 " %14" PRIu64 " %9.2f %11.1f "
		   "%11.1f\n", name, calls, objs,
		   calls != 0 ? (double)objs / (double)calls : 0.0,
		   objs != 0 ? (double)cycles / (double)objs : 0.0,
		   calls != 0 ? (double)cycles / (double)calls : 0.0);
}

static int
runtime_node(bool is_first, bool is_last, void *cookie,
	     const struct rte_graph_cluster_node_stats *st)
{
	struct runtime_show *r = cookie;

	if (is_first)
		cli_printf(r->out, "%-32s %12s %14s %9s %11s %11s\n", "node",
			   "calls", "packets", "pkts/call", "cycles/pkt",
			   "cycles/call");
	if (st->calls != 0) {
		runtime_line(r->out, st->name, st->calls, st->objs,
			     st->cycles);
		r->calls += st->calls;
		r->objs += st->objs;
		r->cycles += st->cycles;
	}
	if (is_last)
		runtime_line(r->out, "total", r->calls, r->objs, r->cycles);
	return 0;
}

/* Print the cluster of graphs matching @p pattern. */
static int
runtime_show(struct cli_out *out, const char *pattern)
{
	struct runtime_show r = { .out = out };
	struct rte_graph_cluster_stats_param p = {
		.socket_id = (int)rte_socket_id(),
		.fn = runtime_node,
		.cookie = &r,
		.nb_graph_patterns = 1,
		.graph_patterns = &pattern,
	};
	struct rte_graph_cluster_stats *cs;

	cs = rte_graph_cluster_stats_create(&p);
	if (cs == NULL) {
		cli_error(out, "no graph matches %s (are workers running?)",
			  pattern);
		return -ENOENT;
	}
	rte_graph_cluster_stats_get(cs, false);
	rte_graph_cluster_stats_destroy(cs);
	cli_printf(out, "(cycles are TSC cycles at %.3f GHz)\n",
		   (double)rte_get_tsc_hz() / 1e9);
	return 0;
}

static int
show_runtime(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *w = cli_arg(args, "uint32");
	char pattern[RTE_GRAPH_NAMESIZE];

	RTE_SET_USED(arg);
	if (w == NULL)
		return runtime_show(out, PKT_GRAPH_PREFIX "*");
	if (strtoul(w, NULL, 10) >= graph_worker_count()) {
		cli_error(out, "worker %s: ferry has %u worker%s", w,
			  graph_worker_count(),
			  graph_worker_count() == 1 ? "" : "s");
		return -ENOENT;
	}
	snprintf(pattern, sizeof(pattern), PKT_GRAPH_PREFIX "%s", w);
	return runtime_show(out, pattern);
}

static const struct cli_command runtime_commands[] = {
	{
		.syntax = "show runtime [worker <uint32>]",
		.help = "Show running state\n"
			"Per graph node: calls, packets, packets per call, "
			"cycles per packet and per call (summed over "
			"workers)\n"
			"Only one worker's graph\n"
			"Worker index (as in show lcores)",
		.handler = show_runtime,
		.read_only = true,
	},
};

int
stats_runtime_cli_register(void)
{
	return cli_register(runtime_commands, RTE_DIM(runtime_commands));
}

/* The "runtime" source: the same node counters, raw, for exports. */
static void
runtime_collect(struct stats_sink *s, void *arg)
{
	rte_node_t id, max = rte_node_max_count();
	uint64_t calls, objs, cycles;
	unsigned int w;
	bool seen;

	RTE_SET_USED(arg);
	for (id = 0; id < max; id++) {
		const char *name = NULL;

		calls = objs = cycles = 0;
		for (w = 0, seen = false; w < graph_worker_count(); w++) {
			struct rte_node *n = rte_graph_node_get(
				graph_worker(w)->graph_id, id);

			if (n == NULL)
				continue;
			seen = true;
			name = n->name;
			calls += n->total_calls;
			objs += n->total_objs;
			cycles += n->total_cycles;
		}
		if (!seen)
			continue;
		stats_object(s, name);
		stats_counter(s, "calls", calls);
		stats_counter(s, "packets", objs);
		stats_counter(s, "cycles", cycles);
	}
}

static const struct stats_source runtime_source = {
	.kind = "runtime", .word = "runtime", .label = "node",
	.collect = runtime_collect,
	.help = "Graph node calls, packets and TSC cycles over all workers "
		"(show runtime)",
	.hidden = true,
};

int
stats_runtime_setup(void)
{
	return stats_source_register(&runtime_source);
}
