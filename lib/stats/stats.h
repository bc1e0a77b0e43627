/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counter collection for operators: port counters from ethdev, per-node
 * packet counts from rte_graph, drop reasons from every worker and the
 * management lcore. Read on the management lcore only; workers keep
 * writing their own counters without atomics while it reads.
 *
 * Commands: `show counters`, `show drops`, `clear counters`.
 */
#ifndef FERRY_STATS_H
#define FERRY_STATS_H

#include <stdint.h>
#include <stdio.h>

/** Totals over ports and drop reasons, for the one-line live display. */
struct stats_totals {
	uint64_t rx;
	uint64_t tx;
	uint64_t drops;
};

void stats_totals_get(struct stats_totals *t);

struct cli_out;

/** Write the `show counters` lines (also printed by ferry at exit). */
void stats_counters_write(struct cli_out *out);

/** Start every displayed counter from zero (`clear counters`). */
void stats_clear(void);

/** Register the stats commands. @return 0 or -errno. */
int stats_cli_register(void);

#endif /* FERRY_STATS_H */
