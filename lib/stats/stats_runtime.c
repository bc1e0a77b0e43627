/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show runtime`: per graph node, calls, packets, packets per call and
 * TSC cycles per packet and per call, from the node counters
 * rte_graph_walk() keeps when DPDK is built with RTE_LIBRTE_GRAPH_STATS
 * (as Debian's is), summed over every worker or for one, since the last
 * `clear runtime`. The same counters are the "runtime" source, so telemetry
 * (/ferry/runtime) and Prometheus carry them too; `show counters` does
 * not (it has "node NAME packets" already).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_lcore.h>

#include "cli.h"
#include "graph.h"
#include "stats_priv.h"

/* One node's rte_graph counters in one worker's graph. */
struct rt {
	uint64_t calls, objs, cycles;
};

/* `clear runtime`: the values at the last clear, [worker][node id]
 * (the counters stay monotonic for /ferry/runtime and /metrics). */
static struct rt *rt_base;
static rte_node_t rt_base_nodes;

/* Node @p id in worker @p w's graph; false if that graph lacks it. */
static bool
rt_get(unsigned int w, rte_node_t id, struct rt *r, const char **name)
{
	struct rte_node *n = rte_graph_node_get(graph_worker(w)->graph_id, id);

	if (n == NULL)
		return false;
	*name = n->name;
	r->calls = n->total_calls;
	r->objs = n->total_objs;
	r->cycles = n->total_cycles;
	return true;
}

/* Node @p id over workers [@p w0, @p w1), less the baselines. */
static bool
rt_sum(unsigned int w0, unsigned int w1, rte_node_t id, struct rt *sum,
       const char **name)
{
	const struct rt *b;
	struct rt r;
	bool seen = false;

	memset(sum, 0, sizeof(*sum));
	for (; w0 < w1; w0++) {
		if (!rt_get(w0, id, &r, name))
			continue;
		seen = true;
		b = rt_base != NULL && id < rt_base_nodes ?
		    &rt_base[(size_t)w0 * rt_base_nodes + id] : NULL;
		sum->calls += r.calls - (b != NULL ? b->calls : 0);
		sum->objs += r.objs - (b != NULL ? b->objs : 0);
		sum->cycles += r.cycles - (b != NULL ? b->cycles : 0);
	}
	return seen;
}

static void
runtime_line(struct cli_out *out, const char *name, const struct rt *r)
{
	cli_printf(out, "%-32s %12" PRIu64 " %14" PRIu64 " %9.2f %11.1f "
		   "%11.1f\n", name, r->calls, r->objs,
		   r->calls != 0 ? (double)r->objs / (double)r->calls : 0.0,
		   r->objs != 0 ? (double)r->cycles / (double)r->objs : 0.0,
		   r->calls != 0 ? (double)r->cycles / (double)r->calls : 0.0);
}

/*
 * Per node over workers [@p w0, @p w1). No total row: a packet passes
 * several nodes and a source node's calls are its empty polls, so a sum
 * over nodes counts nothing an operator can use.
 */
static void
runtime_show(struct cli_out *out, unsigned int w0, unsigned int w1)
{
	rte_node_t id, max = rte_node_max_count();
	const char *name = NULL;
	struct rt r;

	cli_printf(out, "%-32s %12s %14s %9s %11s %11s\n", "node", "calls",
		   "packets", "pkts/call", "cycles/pkt", "cycles/call");
	for (id = 0; id < max; id++)
		if (rt_sum(w0, w1, id, &r, &name) && r.calls != 0)
			runtime_line(out, name, &r);
	cli_printf(out, "(cycles are TSC cycles at %.3f GHz)\n",
		   (double)rte_get_tsc_hz() / 1e9);
}

static int
show_runtime(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *w = cli_arg(args, "uint32");
	unsigned long idx;

	RTE_SET_USED(arg);
	if (graph_worker_count() == 0) {
		cli_error(out, "no workers run graphs");
		return -ENOENT;
	}
	if (w == NULL) {
		runtime_show(out, 0, graph_worker_count());
		return 0;
	}
	idx = strtoul(w, NULL, 10);
	if (idx >= graph_worker_count()) {
		cli_error(out, "worker %s: ferry has %u worker%s", w,
			  graph_worker_count(),
			  graph_worker_count() == 1 ? "" : "s");
		return -ENOENT;
	}
	runtime_show(out, (unsigned int)idx, (unsigned int)idx + 1);
	return 0;
}

static int
clear_runtime(struct cli_out *out, const struct cli_args *args, void *arg)
{
	rte_node_t id, max = rte_node_max_count();
	const char *name;
	unsigned int w;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (rt_base == NULL || rt_base_nodes != max) {
		free(rt_base);
		rt_base = calloc((size_t)GRAPH_WORKER_MAX * max,
				 sizeof(*rt_base));
		rt_base_nodes = rt_base != NULL ? max : 0;
	}
	if (rt_base == NULL) {
		cli_error(out, "out of memory for the runtime baselines");
		return -ENOMEM;
	}
	for (w = 0; w < graph_worker_count(); w++)
		for (id = 0; id < max; id++)
			if (!rt_get(w, id, &rt_base[(size_t)w * max + id],
				    &name))
				memset(&rt_base[(size_t)w * max + id], 0,
				       sizeof(*rt_base));
	return 0;
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
	{
		.syntax = "clear runtime",
		.help = "Forget\n"
			"Start show runtime's calls, packets and cycles from "
			"0 (telemetry and /metrics stay monotonic)",
		.handler = clear_runtime,
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
	struct rt r, sum;
	const char *name = NULL;
	unsigned int w;
	bool seen;

	RTE_SET_USED(arg);
	for (id = 0; id < max; id++) {
		memset(&sum, 0, sizeof(sum));
		for (w = 0, seen = false; w < graph_worker_count(); w++) {
			if (!rt_get(w, id, &r, &name))
				continue;
			seen = true;
			sum.calls += r.calls;
			sum.objs += r.objs;
			sum.cycles += r.cycles;
		}
		if (!seen)
			continue;
		stats_object(s, name);
		stats_counter(s, "calls", sum.calls);
		stats_counter(s, "packets", sum.objs);
		stats_counter(s, "cycles", sum.cycles);
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

void
stats_runtime_teardown(void)
{
	free(rt_base);
	rt_base = NULL;
	rt_base_nodes = 0;
}
