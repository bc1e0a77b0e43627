/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The built-in counter sources and the `show counters` view. The
 * counters output is one "word object key value ..." line per object so
 * that scripts (and the integration tests) can parse it with a split:
 *   port NAME rx N tx N rx-missed N rx-errors N tx-errors N rx-bytes N
 *        tx-bytes N
 *   node NAME N
 *   worker INDEX lcore N punted N injected N
 *   drop REASON N
 * followed by the lines of sources other libraries registered.
 */
#include <inttypes.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_mempool.h>

#include "cli.h"
#include "graph.h"
#include "stats_ctr.h"
#include "stats_priv.h"

static void
ports_collect(struct stats_sink *s, void *arg)
{
	struct rte_eth_stats st;
	unsigned int i;

	RTE_SET_USED(arg);
	for (i = 0; i < port_count(); i++) {
		if (rte_eth_stats_get(port_get(i)->port_id, &st) != 0)
			memset(&st, 0, sizeof(st));
		stats_object(s, port_get(i)->name);
		stats_counter(s, "rx", st.ipackets);
		stats_counter(s, "tx", st.opackets);
		stats_counter(s, "rx-missed", st.imissed);
		stats_counter(s, "rx-errors", st.ierrors);
		stats_counter(s, "tx-errors", st.oerrors);
		stats_counter(s, "rx-bytes", st.ibytes);
		stats_counter(s, "tx-bytes", st.obytes);
	}
}

/* Packets node @p id processed, over all workers; NULL name if no
 * worker's graph has the node. */
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
	return objs;
}

static void
nodes_collect(struct stats_sink *s, void *arg)
{
	rte_node_t id, max = rte_node_max_count();
	const char *name;
	uint64_t objs;

	RTE_SET_USED(arg);
	for (id = 0; id < max; id++) {
		objs = node_objs(id, &name);
		if (name == NULL)
			continue;
		stats_object(s, name);
		stats_counter(s, NULL, objs);
	}
}

static void
workers_collect(struct stats_sink *s, void *arg)
{
	char name[16];
	unsigned int w;

	RTE_SET_USED(arg);
	for (w = 0; w < graph_worker_count(); w++) {
		const struct worker *wk = graph_worker(w);

		snprintf(name, sizeof(name), "%u", w);
		stats_object(s, name);
		stats_gauge(s, "lcore", wk->lcore);
		stats_counter(s, "punted", wk->stats.punted);
		stats_counter(s, "injected", wk->stats.injected);
	}
}

static void
drops_collect(struct stats_sink *s, void *arg)
{
	unsigned int r;

	RTE_SET_USED(arg);
	for (r = 0; r < DROP_MAX; r++) {
		stats_object(s, drop_reason_name(r));
		stats_counter(s, NULL, graph_drops_total((enum drop_reason)r));
	}
}

/* DPDK 22.11's telemetry /mempool/info gives a pool's size but not how
 * many of its objects are out; the reliability tests and the soak need
 * that to see an mbuf leak. rte_mempool_in_use_count() also counts the
 * per-lcore caches, so it is exact when the workers are idle. */
static void
mempool_collect_one(struct rte_mempool *mp, void *arg)
{
	struct stats_sink *s = arg;

	stats_object(s, mp->name);
	stats_gauge(s, "size", mp->size);
	stats_gauge(s, "in_use", rte_mempool_in_use_count(mp));
	stats_gauge(s, "available", rte_mempool_avail_count(mp));
}

static void
mempools_collect(struct stats_sink *s, void *arg)
{
	RTE_SET_USED(arg);
	rte_mempool_walk(mempool_collect_one, s);
}

static const struct stats_source builtin_sources[] = {
	{ .kind = "ports", .word = "port", .collect = ports_collect,
	  .help = "Port (ethdev) packet counters" },
	{ .kind = "nodes", .word = "node", .collect = nodes_collect,
	  .help = "Packets each graph node processed, over all workers",
	  .value_name = "packets", .hide_zero = true },
	{ .kind = "workers", .word = "worker", .collect = workers_collect,
	  .help = "Worker lcore: packets punted to and injected by the "
		  "management lcore" },
	{ .kind = "drops", .word = "drop", .collect = drops_collect,
	  .help = "Packets dropped, by reason (see show drops)",
	  .value_name = "packets", .hide_zero = true },
	{ .kind = "mempools", .word = "mempool", .collect = mempools_collect,
	  .help = "Buffer pool objects: size, in use (mbufs out), available",
	  .hidden = true },
};

int
stats_setup(void)
{
	unsigned int i;
	int rc = 0;

	stats_ctr_rows_setup();
	for (i = 0; i < RTE_DIM(builtin_sources) && rc == 0; i++)
		rc = stats_source_register(&builtin_sources[i]);
	return rc == 0 ? stats_runtime_setup() : rc;
}

/* ---- `show counters`: values less their baseline, one line each ---- */

struct text_view {
	struct cli_out *out;
	bool open; /* a line of a multi-valued object is being written */
};

static void
text_close(struct text_view *t)
{
	if (t->open)
		cli_printf(t->out, "\n");
	t->open = false;
}

static void
text_object(struct stats_sink *s, const char *name)
{
	struct text_view *t = s->ctx;

	text_close(t);
	RTE_SET_USED(name);
}

static void
text_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	struct text_view *t = s->ctx;

	if (!gauge)
		v -= stats_base_get(s->src->kind, s->object, name);
	if (name == NULL) {
		if (v != 0 || !s->src->hide_zero)
			cli_printf(t->out, "%s %s %" PRIu64 "\n",
				   s->src->word, s->object, v);
		return;
	}
	if (!t->open)
		cli_printf(t->out, "%s %s", s->src->word, s->object);
	t->open = true;
	cli_printf(t->out, " %s %" PRIu64, name, v);
}

static void
text_end(struct stats_sink *s)
{
	text_close(s->ctx);
}

static const struct stats_sink_ops text_ops = {
	.object = text_object,
	.value = text_value,
	.end = text_end,
};

/* ---- `show counters | json`: one row per value of the text view ---- */

static const struct cli_col counter_cols[] = {
	{ "type", 0 }, { "object", 0 }, { "counter", 0 },
	{ "value", 0, true },
};

struct json_view {
	struct cli_out *out;
	struct cli_table t;
};

static void
json_object(struct stats_sink *s, const char *name)
{
	RTE_SET_USED(s);
	RTE_SET_USED(name);
}

/* A single-valued object's counter is named as Prometheus names it. */
static void
json_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	struct json_view *j = s->ctx;
	char num[24];

	if (!gauge)
		v -= stats_base_get(s->src->kind, s->object, name);
	if (name == NULL && v == 0 && s->src->hide_zero)
		return;
	if (name == NULL)
		name = s->src->value_name != NULL ? s->src->value_name :
						    "value";
	snprintf(num, sizeof(num), "%" PRIu64, v);
	cli_table_row(j->out, &j->t, (const char *const[]){
		s->src->word, s->object, name, num });
}

static const struct stats_sink_ops json_ops = {
	.object = json_object,
	.value = json_value,
};

static void
counters_collect(struct stats_sink *s)
{
	unsigned int i;

	for (i = 0; i < stats_source_count(); i++)
		if (!stats_source_get(i)->hidden)
			stats_collect(s, stats_source_get(i));
}

void
stats_counters_write(struct cli_out *out)
{
	struct text_view t = { .out = out };
	struct json_view j = { out, { counter_cols, RTE_DIM(counter_cols) } };
	struct stats_sink s = { .ops = &text_ops, .ctx = &t };

	if (cli_out_json(out)) {
		s.ops = &json_ops;
		s.ctx = &j;
		cli_table_begin(out, &j.t);
		counters_collect(&s);
		cli_table_end(out, &j.t);
		return;
	}
	counters_collect(&s);
}

void
stats_clear(void)
{
	stats_base_record();
}

uint64_t
stats_since_clear(const char *kind, const char *object, const char *counter,
		  uint64_t raw)
{
	return raw - stats_base_get(kind, object, counter);
}

static uint64_t
drops(enum drop_reason r)
{
	return graph_drops_total(r) -
	       stats_base_get("drops", drop_reason_name(r), NULL);
}

void
stats_totals_get(struct stats_totals *t)
{
	struct rte_eth_stats st;
	const char *name;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < port_count(); i++) {
		if (rte_eth_stats_get(port_get(i)->port_id, &st) != 0)
			continue;
		name = port_get(i)->name;
		t->rx_raw += st.ipackets;
		t->tx_raw += st.opackets;
		t->rx += st.ipackets - stats_base_get("ports", name, "rx");
		t->tx += st.opackets - stats_base_get("ports", name, "tx");
	}
	for (i = 0; i < DROP_MAX; i++) {
		t->drops_raw += graph_drops_total((enum drop_reason)i);
		t->drops += drops((enum drop_reason)i);
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
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (stats_base_record() < 0) {
		cli_error(out, "out of memory for the counter baselines");
		return -ENOMEM;
	}
	return 0;
}

static const struct cli_col drop_cols[] = {
	{ "reason", 22 }, { "packets", 12, true, .right = true },
	{ "description", 0 },
};

/* Reasons that dropped since the last clear, then their total. */
static int
show_drops(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cli_table t = { drop_cols, RTE_DIM(drop_cols) };
	uint64_t n, total = 0;
	char num[24];
	unsigned int r;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	cli_table_begin(out, &t);
	for (r = 0; r < DROP_MAX; r++) {
		n = drops((enum drop_reason)r);
		if (n == 0)
			continue;
		total += n;
		snprintf(num, sizeof(num), "%" PRIu64, n);
		cli_table_row(out, &t, (const char *const[]){
			drop_reason_name(r), num, drop_reason_desc(r) });
	}
	if (total == 0 && !cli_out_json(out)) /* JSON: the total row only */
		cli_empty(out, "drops");
	snprintf(num, sizeof(num), "%" PRIu64, total);
	cli_table_row(out, &t, (const char *const[]){ "total", num, "" });
	cli_table_end(out, &t);
	return 0;
}

static const struct cli_command stats_commands[] = {
	{
		.syntax = "clear counters",
		.help = "Reset displayed counters\n"
			"Port, node, worker, drop and every other `show "
			"counters` value starts from 0 (telemetry and "
			"/metrics stay monotonic)",
		.handler = clear_counters,
	},
	{
		.syntax = "show counters",
		.help = "Show running state\n"
			"Port, node, worker and drop counters, and those "
			"other libraries register, one object per line",
		.handler = show_counters,
		.read_only = true,
	},
	{
		.syntax = "show drops",
		.help = "Show running state\n"
			"Dropped packets by reason, with what each reason "
			"means",
		.handler = show_drops,
		.read_only = true,
	},
};

int
stats_cli_register(void)
{
	int rc = cli_register(stats_commands, RTE_DIM(stats_commands));

	return rc == 0 ? stats_runtime_cli_register() : rc;
}

#include "module.h"

static int
stats_module_setup(struct cfg_model *model)
{
	int rc;

	RTE_SET_USED(model);
	rc = stats_setup();
	return rc == 0 ? stats_telemetry_setup() : rc;
}

static void
stats_control_poll(uint64_t now_ms)
{
	RTE_SET_USED(now_ms);
	stats_poll();
}

/* First in the list: the libraries after it register their sources at
 * setup; torn down last. */
const struct ferry_module stats_module = {
	.name = "counters",
	.setup = stats_module_setup,
	.cli_register = stats_cli_register,
	.control_poll = stats_control_poll,
	.teardown = stats_teardown,
};
