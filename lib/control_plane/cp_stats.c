/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CoPP class counters as a lib/stats source: `show counters` lines
 * "copp_class NAME packets N policed N", telemetry /ferry/copp and
 * Prometheus ferry_copp_class_{packets,policed}_total{copp_class=NAME}.
 * Five classes: the label's cardinality is fixed.
 */
#include <errno.h>

#include "cp_priv.h"
#include "stats.h"

void
cp_copp_sum(enum copp_class k, uint64_t *passed, uint64_t *policed)
{
	unsigned int w;

	*passed = 0;
	*policed = 0;
	for (w = 0; w < graph_worker_count(); w++) {
		*passed += cp_workers[w].passed[k];
		*policed += cp_workers[w].policed[k];
	}
}

static void
copp_collect(struct stats_sink *s, void *arg)
{
	uint64_t passed, policed;
	unsigned int k;

	RTE_SET_USED(arg);
	for (k = 0; k < COPP_MAX; k++) {
		cp_copp_sum((enum copp_class)k, &passed, &policed);
		stats_object(s, copp_class_name((enum copp_class)k));
		stats_counter(s, "packets", passed);
		stats_counter(s, "policed", policed);
	}
}

static const struct stats_source copp_source = {
	.kind = "copp",
	.word = "copp_class",
	.collect = copp_collect,
	.help = "Control-plane (CoPP) class: punted packets sent to the "
		"TAPs and packets policed by the class's rate",
};

int
cp_stats_setup(void)
{
	int rc = stats_source_register(&copp_source);

	return rc == -EEXIST ? 0 : rc;
}
