/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRFs, their FIBs and the adjacencies FIB entries point at.
 *
 * One rte_fib (DIR24_8, 4-byte next hops) per VRF: a lookup is one or
 * two memory reads and the AVX-512 bulk lookup handles a burst at once.
 * The next hop stored is an adjacency index; adjacencies are shared by
 * every route with the same (kind, interface, gateway), so a next hop's
 * neighbour is resolved once for all the routes through it.
 * The FIB's own RIB (rte_fib_get_rib) is the control-plane copy used for
 * replace/delete bookkeeping and `show ip route`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rib.h>

#include "route_priv.h"

struct adj adj_table[ADJ_MAX];
static uint32_t n_adj = ADJ_FIRST_FREE;
struct vrf vrf_table[VRF_MAX];
static unsigned int n_vrfs;

unsigned int
vrf_count(void)
{
	return n_vrfs;
}

const char *
vrf_name(unsigned int idx)
{
	return idx < n_vrfs ? vrf_table[idx].name : NULL;
}

int
vrf_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_vrfs; i++)
		if (strcmp(vrf_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

/** Create VRF @p name with a FIB; @return its index or -errno. */
int
vrf_create(const char *name, uint32_t id, uint32_t max_routes,
	   uint32_t tbl8)
{
	struct rte_fib_conf conf = {
		.type = RTE_FIB_DIR24_8,
		.default_nh = ADJ_NO_ROUTE,
		.max_routes = max_routes,
		.dir24_8 = {
			.nh_sz = RTE_FIB_DIR24_8_4B,
			.num_tbl8 = tbl8,
		},
	};
	struct vrf *v = &vrf_table[n_vrfs];
	char fname[32];

	if (n_vrfs == VRF_MAX)
		return -ENOSPC;
	snprintf(fname, sizeof(fname), "ferry_vrf%u", n_vrfs);
	v->fib = rte_fib_create(fname, (int)rte_socket_id(), &conf);
	if (v->fib == NULL) {
		ROUTE_LOG(ERR, "VRF %s: cannot create its FIB (%u routes, "
			  "%u tbl8): %s", name, max_routes, tbl8,
			  rte_strerror(rte_errno));
		return -rte_errno ? -rte_errno : -ENOMEM;
	}
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->id = id;
	return (int)n_vrfs++;
}

void
vrf_free_all(void)
{
	unsigned int i;

	for (i = 0; i < n_vrfs; i++)
		rte_fib_free(vrf_table[i].fib);
	n_vrfs = 0;
	n_adj = ADJ_FIRST_FREE;
}

void
adj_init_fixed(void)
{
	memset(adj_table, 0, sizeof(adj_table[0]) * ADJ_FIRST_FREE);
	adj_table[ADJ_NO_ROUTE].type = ADJ_T_NO_ROUTE;
	adj_table[ADJ_BLACKHOLE].type = ADJ_T_BLACKHOLE;
	adj_table[ADJ_LOCAL].type = ADJ_T_LOCAL;
}

/*
 * Adjacency for (type, iface, gw), created if new. Unused adjacencies
 * are kept for reuse rather than freed: their number is bounded by the
 * distinct next hops, and keeping them means a worker can never read a
 * recycled one.
 */
static int
adj_get(enum adj_type type, uint16_t iface, uint32_t gw)
{
	struct adj *a;
	uint32_t i;

	if (type < ADJ_T_GLEAN)
		return type == ADJ_T_LOCAL ? ADJ_LOCAL : ADJ_BLACKHOLE;
	for (i = ADJ_FIRST_FREE; i < n_adj; i++) {
		a = &adj_table[i];
		if (a->type == type && a->iface == iface && a->gw == gw)
			return (int)i;
	}
	if (n_adj == ADJ_MAX)
		return -ENOSPC;
	a = &adj_table[n_adj];
	a->type = type;
	a->iface = iface;
	a->gw = gw;
	a->nbr = NBR_NONE;
	if (type == ADJ_T_NEXTHOP) {
		a->nbr = nbr_get(iface, gw);
		if (a->nbr == NBR_NONE)
			return -ENOSPC;
		nbr_table[a->nbr].refcnt++;
	}
	return (int)n_adj++;
}

static int
adj_for_route(enum route_kind kind, uint32_t via, unsigned int iface)
{
	switch (kind) {
	case ROUTE_VIA:
		return adj_get(ADJ_T_NEXTHOP, (uint16_t)iface, via);
	case ROUTE_CONNECTED:
		return adj_get(ADJ_T_GLEAN, (uint16_t)iface, 0);
	case ROUTE_LOCAL:
		return ADJ_LOCAL;
	case ROUTE_BLACKHOLE:
		return ADJ_BLACKHOLE;
	}
	return -EINVAL;
}

/* Next hop currently installed for exactly prefix/len, or -1. */
static int64_t
route_current_adj(struct rte_fib *fib, uint32_t prefix, uint8_t len)
{
	struct rte_rib_node *n;
	uint64_t nh;

	n = rte_rib_lookup_exact(rte_fib_get_rib(fib), prefix, len);
	if (n == NULL || rte_rib_get_nh(n, &nh) != 0)
		return -1;
	return (int64_t)nh;
}

/*
 * rte_fib (22.11) has no RCU hook: a change may free a DIR24_8 tbl8
 * group that a worker is still reading, and the next change may reuse
 * it. Waiting for every worker to pass a quiescent state after each
 * change closes that window: by the time the next change can reuse a
 * group, no lookup that started before the free is still running. The
 * wait is one graph walk (microseconds) and only the management lcore
 * pays it; with no worker online it returns at once.
 */
void
route_fib_sync(void)
{
	struct rte_rcu_qsbr *rcu = graph_rcu();

	if (rcu != NULL)
		rte_rcu_qsbr_synchronize(rcu, RTE_QSBR_THRID_INVALID);
}

int
route_add(unsigned int vrf, uint32_t prefix, uint8_t len,
	  enum route_kind kind, uint32_t via, unsigned int iface)
{
	int64_t old;
	int adj, rc;

	if (vrf >= n_vrfs || len > 32 ||
	    (len < 32 && (prefix & (UINT32_MAX >> len)) != 0) ||
	    ((kind == ROUTE_VIA || kind == ROUTE_CONNECTED) &&
	     iface >= iface_count()))
		return -EINVAL;
	adj = adj_for_route(kind, via, iface);
	if (adj < 0)
		return adj;
	old = route_current_adj(vrf_table[vrf].fib, prefix, len);
	rc = rte_fib_add(vrf_table[vrf].fib, prefix, len, (uint64_t)adj);
	route_fib_sync();
	if (rc < 0)
		return rc;
	adj_table[adj].refcnt++;
	if (old >= 0)
		adj_table[old].refcnt--;
	return 0;
}

int
route_del(unsigned int vrf, uint32_t prefix, uint8_t len)
{
	int64_t old;
	int rc;

	if (vrf >= n_vrfs || len > 32)
		return -EINVAL;
	old = route_current_adj(vrf_table[vrf].fib, prefix, len);
	if (old < 0)
		return -ENOENT;
	rc = rte_fib_delete(vrf_table[vrf].fib, prefix, len);
	route_fib_sync();
	if (rc < 0)
		return rc;
	adj_table[old].refcnt--;
	return 0;
}
