/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counter collection for operators: port counters from ethdev, per-node
 * packet counts from rte_graph, drop reasons from every worker and the
 * management lcore, and whatever other libraries register (per SA, per
 * QoS class...). Read on the management lcore only; workers keep
 * writing their own counters without atomics while it reads.
 *
 * Every family of counters is a *source*: a kind ("ports"), the word
 * that names one object of it ("port") and a collect function that
 * reports each object's counters to a sink. The same walk feeds every
 * view, so they cannot disagree:
 *   - `show counters` (one "word object counter value ..." line each),
 *   - DPDK telemetry commands /ferry/<kind> (stats_telemetry.c),
 *   - the Prometheus endpoint (lib/metrics).
 *
 * A library adds its own counters without ferry's other code knowing:
 *
 *   static void
 *   sa_collect(struct stats_sink *s, void *arg)
 *   {
 *           for each SA:
 *                   stats_object(s, sa->name);
 *                   stats_counter(s, "packets", sa->packets);
 *                   stats_counter(s, "replay-drops", sa->replay);
 *   }
 *   static const struct stats_source sa_source = {
 *           .kind = "ipsec_sas", .word = "sa",
 *           .help = "IPsec SA", .collect = sa_collect,
 *   };
 *   stats_source_register(&sa_source);      (at setup, before launch)
 *
 * That is `show counters` lines "sa NAME packets N replay-drops N",
 * telemetry /ferry/ipsec_sas and Prometheus
 * ferry_sa_packets_total{sa="NAME"}.
 *
 * Commands: `show counters`, `show drops`, `clear counters`,
 * `show runtime`.
 */
#ifndef FERRY_STATS_H
#define FERRY_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/**
 * Totals over ports and drop reasons, for the one-line live display.
 * The raw values are monotonic (`clear counters` does not move them):
 * rates come from those; the others count since the last clear.
 */
struct stats_totals {
	uint64_t rx;
	uint64_t tx;
	uint64_t drops;
	uint64_t rx_raw;
	uint64_t tx_raw;
	uint64_t drops_raw;
};

void stats_totals_get(struct stats_totals *t);

struct cli_out;
struct stats_sink; /* where a source reports (a view, see stats_priv.h) */

/**
 * Report every object of a source: call stats_object() once per object,
 * then stats_counter()/stats_gauge() once per value of it. Runs on the
 * management lcore; may read worker-written counters without atomics.
 */
typedef void (*stats_collect_t)(struct stats_sink *s, void *arg);

/** A family of counters (the table must outlive ferry's run). */
struct stats_source {
	/** Telemetry command /ferry/<kind>: [a-z0-9_], at most 31
	 *  characters, e.g. "ports". */
	const char *kind;
	/** Names one object: the first word of its `show counters`
	 *  lines and its Prometheus label, [a-z_], e.g. "port". */
	const char *word;
	/** Prometheus label naming the object; NULL: the word. */
	const char *label;
	/** One line: what an object is (Prometheus HELP, telemetry). */
	const char *help;
	stats_collect_t collect;
	void *arg;
	/**
	 * Sources whose objects have one value each report it with the
	 * counter name NULL: `show counters` prints "word object N",
	 * telemetry a flat {object: N}, and Prometheus calls the value
	 * this ("packets" -> ferry_node_packets_total).
	 */
	const char *value_name;
	/** `show counters` leaves out single-valued objects at 0. */
	bool hide_zero;
	/** Not in `show counters` (a command of its own shows it). */
	bool hidden;
};

/** Most sources registered at once. */
#define STATS_SOURCE_MAX 32

/**
 * Add a source. Call from setup, on the management lcore, before the
 * workers are launched or at least before anything reads counters.
 * @return 0, -EINVAL (bad kind or word, no collect), -EEXIST (kind
 *         already registered) or -ENOSPC.
 */
int stats_source_register(const struct stats_source *src);

/** Registered sources, in registration order (built-in ones first). */
unsigned int stats_source_count(void);
const struct stats_source *stats_source_get(unsigned int idx);
/** The source of kind @p kind, or NULL. */
const struct stats_source *stats_source_find(const char *kind);

/** Start the next object of the source being collected. */
void stats_object(struct stats_sink *s, const char *name);
/** A monotonic counter of the current object (name NULL: see
 *  stats_source.value_name). */
void stats_counter(struct stats_sink *s, const char *name, uint64_t v);
/** A value that may go down (a table size, a queue depth). */
void stats_gauge(struct stats_sink *s, const char *name, uint64_t v);

/** Register the built-in sources: ports, nodes, workers, drops, vrfs. */
int stats_setup(void);

/** Forget every source and baseline (teardown, tests). */
void stats_teardown(void);

/** Write the `show counters` lines (also printed by ferry at exit). */
void stats_counters_write(struct cli_out *out);

/**
 * Start every `show counters` value from zero (`clear counters`).
 * Telemetry and Prometheus keep the raw monotonic values, as scrapers
 * expect of counters.
 */
void stats_clear(void);

/**
 * @p raw, a counter of source @p kind's object @p object, as `show
 * counters` shows it: less its value at the last `clear counters`
 * (other libraries' show commands agree with it that way).
 */
uint64_t stats_since_clear(const char *kind, const char *object,
			   const char *counter, uint64_t raw);

/** Register the stats commands. @return 0 or -errno. */
int stats_cli_register(void);

/**
 * Register the /ferry/... telemetry commands of every source (and of
 * sources registered later). Telemetry callbacks run in EAL's telemetry
 * thread; they hand the request to the management lcore, which answers
 * it in stats_poll(). @return 0 or -errno.
 */
int stats_telemetry_setup(void);

/**
 * Management lcore: answer a pending telemetry request. Call from the
 * management loop; returns at once if nothing is pending.
 */
void stats_poll(void);

/** Stop answering telemetry (ferry is stopping). */
void stats_telemetry_teardown(void);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module stats_module;

#endif /* FERRY_STATS_H */
