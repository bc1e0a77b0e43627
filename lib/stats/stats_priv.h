/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by the files of lib/stats. Management lcore only. */
#ifndef FERRY_STATS_PRIV_H
#define FERRY_STATS_PRIV_H

#include "ferry_log.h"
#include "stats_view.h"

extern int stats_logtype;
#define STATS_LOG(level, fmt, ...) \
	FERRY_LOG(stats_logtype, stats, level, fmt, ##__VA_ARGS__)

/*
 * `clear counters` baselines, keyed by (kind, object, counter). Workers
 * write their counters without atomics, so they cannot be zeroed:
 * `show counters` subtracts the value recorded at the last clear.
 */
/** Record every counter of every source as the new zero. */
int stats_base_record(void);
/** The value of the counter at the last clear, 0 if none. */
uint64_t stats_base_get(const char *kind, const char *object,
			const char *counter);
void stats_base_free(void);

/** Register /ferry/<kind> for @p src once telemetry is set up. */
int stats_telemetry_source_added(const struct stats_source *src);

/** `show runtime` (stats_runtime.c). */
int stats_runtime_cli_register(void);
/** The "runtime" source: node calls, packets, cycles. */
int stats_runtime_setup(void);
/** Forget the `clear runtime` baselines. */
void stats_runtime_teardown(void);

#endif /* FERRY_STATS_PRIV_H */
