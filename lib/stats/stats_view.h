/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Views of the counters, for libraries that export them (lib/metrics).
 * A view is a sink: a small ops table that receives what a source's
 * collect function reports. lib/stats holds the built-in sources, the
 * `show counters` view and the telemetry view; lib/metrics the
 * Prometheus view.
 *
 * Management lcore only.
 */
#ifndef FERRY_STATS_VIEW_H
#define FERRY_STATS_VIEW_H

#include "stats.h"

struct stats_sink_ops {
	/** Next object of the source (stats_object()). */
	void (*object)(struct stats_sink *s, const char *name);
	/** A value of it; @p name NULL for single-valued sources. */
	void (*value)(struct stats_sink *s, const char *name, uint64_t v,
		      bool gauge);
	/** After the source's last object (may be NULL). */
	void (*end)(struct stats_sink *s);
};

struct stats_sink {
	const struct stats_sink_ops *ops;
	const struct stats_source *src; /**< source being collected */
	const char *object;             /**< current object's name */
	void *ctx;                      /**< the view's own state */
};

/** Collect @p src into @p s: ops->object/value per report, then end. */
void stats_collect(struct stats_sink *s, const struct stats_source *src);

#endif /* FERRY_STATS_VIEW_H */
