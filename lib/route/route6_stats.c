/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 state as a counter source (lib/stats): kind "vrfs", one object
 * per VRF, so `show counters` (vrf NAME ipv6-routes N ...), telemetry
 * /ferry/vrfs and Prometheus (ferry_vrf_ipv6_routes{vrf="NAME"}, ...)
 * show the FIB's and the neighbour table's size beside the drop reasons
 * and node counters the IPv6 path already has. Gauges, read on the
 * management lcore (the writer of both tables) when a view asks.
 */
#include <errno.h>

#include "route6_priv.h"
#include "stats.h"

/* Neighbour entries of one VRF, by state. */
struct nd_tally {
	uint64_t entries, reachable, stale, incomplete, statics;
};

static void
route6_count_one(const uint8_t *prefix, uint8_t len, const struct adj6 *a,
		 void *arg)
{
	RTE_SET_USED(prefix);
	RTE_SET_USED(len);
	RTE_SET_USED(a);
	(*(uint64_t *)arg)++;
}

static void
nd_tally_vrf(unsigned int vrf, struct nd_tally *t)
{
	uint32_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; nd_table != NULL && i < nd_slots(); i++) {
		const struct nd6 *n = &nd_table[i];
		enum nbr_state st;

		if (!n->in_use || iface_get(n->iface)->vrf != vrf)
			continue;
		st = nbr_word_state(
			__atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE));
		t->entries++;
		t->statics += n->is_static != 0;
		t->reachable += st == NBR_REACHABLE;
		t->stale += st == NBR_STALE;
		t->incomplete += st == NBR_INCOMPLETE;
	}
}

static void
ipv6_collect(struct stats_sink *s, void *arg)
{
	struct nd_tally t;
	unsigned int v;
	uint64_t routes;

	RTE_SET_USED(arg);
	for (v = 0; v < vrf_count(); v++) {
		routes = 0;
		route6_walk(v, route6_count_one, &routes);
		nd_tally_vrf(v, &t);
		stats_object(s, vrf_name(v));
		stats_gauge(s, "ipv6-routes", routes);
		stats_gauge(s, "ipv6-neighbours", t.entries);
		stats_gauge(s, "ipv6-reachable", t.reachable);
		stats_gauge(s, "ipv6-stale", t.stale);
		stats_gauge(s, "ipv6-incomplete", t.incomplete);
		stats_gauge(s, "ipv6-static", t.statics);
	}
}

static const struct stats_source ipv6_source = {
	.kind = "vrfs",
	.word = "vrf",
	.collect = ipv6_collect,
	.help = "IPv6 per VRF: routes in its FIB, neighbour entries on its "
		"interfaces by state",
};

int
route6_stats_setup(void)
{
	int rc = stats_source_register(&ipv6_source);

	return rc == -EEXIST ? 0 : rc;
}
