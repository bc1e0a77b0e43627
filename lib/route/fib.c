/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRFs, their FIBs and the adjacencies FIB entries point at.
 *
 * One rte_fib (DIR24_8: a lookup is one or two memory reads) per VRF,
 * over its own rte_rib, which the control plane reads too (exact match,
 * walks) with struct route_rib_ext in each node. rte_fib rather than
 * rte_lpm: rte_lpm (22.11) keeps the rules of a depth in one array and
 * scans it on every add, so a full table loaded at 3,678 routes/s
 * (doc/fpm.md); rte_fib finds the range to write in its rte_rib
 * (O(32)), and looks a burst up in one call.
 *
 * DPDK 22.11's rte_fib has no RCU hook, so this file supplies what
 * rte_lpm's defer queue did, the way fib6.c does for rte_fib6:
 *   - a tbl8 group that becomes uniform is folded back into tbl24 and
 *     zeroed at once, while a worker may still be reading it: adjacency
 *     0 (ADJ_RETRY) is never stored, and a reader that gets it looks up
 *     again (vrf_fib_lookup_bulk());
 *   - the freed group goes back to the pool, and the next allocation
 *     takes the lowest free one: a change that may allocate a group
 *     first waits for the grace period (workers' QSBR, graph_rcu())
 *     that began after the last change that may have freed one.
 * Groups exist only in the /24s that hold a route longer than /24
 * (v->long24), and DIR24_8 allocates or frees one only where a
 * change's range meets such a /24: a change that meets none (most of
 * a BGP table) neither waits nor starts a grace period.
 * test/integration/cli_live/test_live_routes.py checks that churn never
 * drops a packet to an unchanged prefix.
 *
 * The next hop stored is an adjacency index; adjacencies are shared by
 * every route with the same (kind, interface, gateway), so a next hop's
 * neighbour is resolved once for all the routes through it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rcu_qsbr.h>

#include "route_priv.h"

struct adj adj_table[ADJ_MAX];
static uint32_t n_adj = ADJ_FIRST_FREE;
struct vrf vrf_table[VRF_MAX];
static unsigned int n_vrfs;

/* route.h: route_src_is_own(). own_count: local routes per bucket
 * (management lcore only); a bucket's bit is set while it is not 0. */
uint64_t route_own_filter[ROUTE_OWN_FILTER_BITS / 64];
static uint16_t own_count[ROUTE_OWN_FILTER_BITS];

/* External route types: the node each hands packets to (route.h). */
static struct {
	char node[RTE_NODE_NAMESIZE];
	rte_edge_t edge;
	void (*format)(uint32_t value, char *buf, size_t len);
} ext_types[ROUTE_EXT_MAX];
static unsigned int n_ext_types;

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

/*
 * The AVX-512 bulk lookup where the CPU has it and EAL allows 512-bit
 * SIMD (--force-max-simd-bitwidth=512: DPDK caps x86 at 256 by default,
 * and ferry does not raise it for every library), else the scalar one.
 * scripts/bench.sh ipv4-1k-4kflows on this 2-core VM (AVX-512, shared
 * with other builds): scalar 1.12 / 5.01 Mpps, AVX-512 5.83 / 5.08 Mpps
 * in alternating runs (doc/fpm.md): the vector one is never slower, the
 * difference is within the machine's noise, the lookup being a small
 * part of a packet's cost. callgrind cannot count AVX-512 instructions.
 */
static void
fib_lookup_select(struct rte_fib *fib)
{
	if (rte_fib_select_lookup(fib, RTE_FIB_LOOKUP_DIR24_8_VECTOR_AVX512) ==
	    0)
		return;
	rte_fib_select_lookup(fib, RTE_FIB_LOOKUP_DIR24_8_SCALAR_MACRO);
}

static int
vrf_tables_create(struct vrf *v, unsigned int idx, uint32_t max_routes,
		  uint32_t tbl8)
{
	struct rte_fib_conf fcfg = {
		.type = RTE_FIB_DIR24_8,
		.default_nh = ADJ_NO_ROUTE,
		.max_routes = (int)max_routes,
		.rib_ext_sz = sizeof(struct route_rib_ext),
		.dir24_8 = { .nh_sz = RTE_FIB_DIR24_8_4B, .num_tbl8 = tbl8 },
	};
	/* At most one /24 per tbl8 group holds longer routes. */
	struct rte_rib_conf lcfg = { .max_nodes = (int)tbl8 * 2 };
	char name[32];

	snprintf(name, sizeof(name), "ferry_fib%u", idx);
	v->fib = rte_fib_create(name, (int)rte_socket_id(), &fcfg);
	if (v->fib == NULL)
		return -rte_errno ? -rte_errno : -ENOMEM;
	v->rib = rte_fib_get_rib(v->fib);
	fib_lookup_select(v->fib);
	snprintf(name, sizeof(name), "ferry_long24_%u", idx);
	v->long24 = rte_rib_create(name, (int)rte_socket_id(), &lcfg);
	if (v->long24 == NULL)
		return -rte_errno ? -rte_errno : -ENOMEM;
	v->max_routes = max_routes;
	return 0;
}

/** Create VRF @p name with a FIB; @return its index or -errno. */
int
vrf_create(const char *name, uint32_t id, uint32_t max_routes,
	   uint32_t tbl8)
{
	struct vrf *v;
	int rc;

	if (n_vrfs == VRF_MAX)
		return -ENOSPC;
	v = &vrf_table[n_vrfs];
	rc = vrf_tables_create(v, n_vrfs, max_routes, tbl8);
	if (rc < 0) {
		ROUTE_LOG(ERR, "VRF %s: cannot create its FIB (%u routes, "
			  "%u tbl8): %s", name, max_routes, tbl8,
			  rte_strerror(-rc));
		rte_fib_free(v->fib);
		rte_rib_free(v->long24);
		memset(v, 0, sizeof(*v));
		return rc;
	}
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->id = id;
	return (int)n_vrfs++;
}

void
vrf_free_all(void)
{
	unsigned int i;

	for (i = 0; i < n_vrfs; i++) {
		rte_fib_free(vrf_table[i].fib);
		rte_rib_free(vrf_table[i].long24);
	}
	memset(vrf_table, 0, sizeof(vrf_table[0]) * n_vrfs);
	n_vrfs = 0;
	memset(route_own_filter, 0, sizeof(route_own_filter));
	memset(own_count, 0, sizeof(own_count));
	n_adj = ADJ_FIRST_FREE;
}

/* Count local address @p ip in (@p d = 1) or out (-1) of the filter. */
static void
own_filter_count(uint32_t ip, int d)
{
	uint32_t b = route_own_bucket(ip);
	uint64_t bit = 1ull << (b % 64);

	own_count[b] = (uint16_t)(own_count[b] + d);
	if (own_count[b] == 0)
		__atomic_fetch_and(&route_own_filter[b / 64], ~bit,
				   __ATOMIC_RELEASE);
	else
		__atomic_fetch_or(&route_own_filter[b / 64], bit,
				  __ATOMIC_RELEASE);
}

/* A /32's next hop goes from @p old (-1: none) to @p adj (-1: none). */
static void
own_filter_update(uint8_t len, uint32_t ip, int64_t old, int64_t adj)
{
	if (len != 32 || (old == ADJ_LOCAL) == (adj == ADJ_LOCAL))
		return;
	own_filter_count(ip, adj == ADJ_LOCAL ? 1 : -1);
}

bool
route_own_addr_lookup(unsigned int vrf, uint32_t ip)
{
	return vrf < VRF_MAX && vrf_table[vrf].fib != NULL &&
	       vrf_lookup(vrf, ip) == ADJ_LOCAL;
}

void
adj_init_fixed(void)
{
	memset(adj_table, 0, sizeof(adj_table[0]) * ADJ_FIRST_FREE);
	adj_table[ADJ_RETRY].type = ADJ_T_NO_ROUTE;
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
int
route_adj_get(enum adj_type type, uint16_t iface, uint32_t gw)
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
	a->nbr = type == ADJ_T_EXT || type == ADJ_T_NHG ? gw : NBR_NONE;
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
		return route_adj_get(ADJ_T_NEXTHOP, (uint16_t)iface, via);
	case ROUTE_CONNECTED:
		return route_adj_get(ADJ_T_GLEAN, (uint16_t)iface, 0);
	case ROUTE_LOCAL:
		return ADJ_LOCAL;
	case ROUTE_BLACKHOLE:
		return ADJ_BLACKHOLE;
	}
	return -EINVAL;
}

/* Next hop currently installed for exactly prefix/len, or -1. */
int64_t
route_current_adj(const struct vrf *v, uint32_t prefix, uint8_t len)
{
	struct rte_rib_node *n = rte_rib_lookup_exact(v->rib, prefix, len);
	uint64_t nh;

	if (n == NULL || rte_rib_get_nh(n, &nh) != 0)
		return -1;
	return (int64_t)nh;
}

/* Grace period begun after the last change that may have freed a tbl8
 * group (valid: one is pending). */
static uint64_t fib_token;
static bool fib_token_valid;

/* Whether changing prefix/len of @p v can allocate or free a tbl8
 * group: it is longer than /24, or its range holds a /24 with a
 * longer route (DIR24_8 writes groups only there). */
static bool
fib_meets_tbl8(const struct vrf *v, uint32_t prefix, uint8_t len)
{
	if (len > 24)
		return true;
	if (len == 24)
		return rte_rib_lookup_exact(v->long24, prefix, 24) != NULL;
	return rte_rib_get_nxt(v->long24, prefix, len, NULL,
			       RTE_RIB_GET_NXT_COVER) != NULL;
}

/* Before such a change: no worker may still be in a group a previous
 * change freed (the pool hands out the lowest free one first). A short
 * wait: workers pass a quiescent state every graph walk. */
static void
fib_wait_freed(void)
{
	struct rte_rcu_qsbr *q = graph_rcu();

	if (q != NULL && fib_token_valid)
		rte_rcu_qsbr_check(q, fib_token, true);
	fib_token_valid = false;
}

/* After such a change: what it freed is reusable once this ends. */
static void
fib_freed_maybe(void)
{
	struct rte_rcu_qsbr *q = graph_rcu();

	if (q == NULL)
		return;
	fib_token = rte_rcu_qsbr_start(q);
	fib_token_valid = true;
}

/* Count a route longer than /24 in (@p d = 1) or out (-1) of its /24. */
static void
long24_count(struct vrf *v, uint32_t prefix, uint8_t len, int d)
{
	uint32_t net = prefix & 0xffffff00u;
	struct rte_rib_node *n;
	uint64_t c = 0;

	if (len <= 24)
		return;
	n = rte_rib_lookup_exact(v->long24, net, 24);
	if (n == NULL && d > 0)
		n = rte_rib_insert(v->long24, net, 24);
	if (n == NULL)
		return; /* cannot happen: sized by the tbl8 groups */
	rte_rib_get_nh(n, &c);
	c = (uint64_t)((int64_t)c + d);
	if (c == 0)
		rte_rib_remove(v->long24, net, 24);
	else
		rte_rib_set_nh(n, c);
}

/* rte_fib_add/delete with the tbl8 deferral above; a full RIB is
 * -ENOSPC like full tbl8 groups. */
static int
fib_change(struct vrf *v, uint32_t prefix, uint8_t len, int64_t adj)
{
	bool tbl8 = fib_meets_tbl8(v, prefix, len);
	int rc;

	if (tbl8)
		fib_wait_freed();
	rc = adj >= 0 ? rte_fib_add(v->fib, prefix, len, (uint64_t)adj) :
			rte_fib_delete(v->fib, prefix, len);
	if (tbl8)
		fib_freed_maybe();
	route_epoch_bump(); /* tunnels' cached outer routes (route_out.c) */
	return rc == -ENOMEM ? -ENOSPC : rc;
}

bool
prefix_valid(unsigned int vrf, uint32_t prefix, uint8_t len)
{
	return vrf < n_vrfs && len <= 32 &&
	       (len == 32 || (prefix & (UINT32_MAX >> len)) == 0);
}

/* Point prefix/len of @p v at adjacency @p adj, whose route replaces
 * the one there (@p old, or -1 for none). */
int
route_set_adj(struct vrf *v, uint32_t prefix, uint8_t len, int adj,
	      int64_t old)
{
	int rc;

	if (old < 0 && v->n_routes >= v->max_routes)
		return -ENOSPC;
	rc = fib_change(v, prefix, len, adj);
	if (rc < 0)
		return rc;
	if (old < 0) {
		/* rte_rib recycles nodes: a new route's extension is ours
		 * to clear */
		memset(rib_ext(rte_rib_lookup_exact(v->rib, prefix, len)), 0,
		       sizeof(struct route_rib_ext));
		v->n_routes++;
		long24_count(v, prefix, len, 1);
	}
	adj_table[adj].refcnt++;
	if (old >= 0)
		adj_table[old].refcnt--;
	own_filter_update(len, prefix, old, adj);
	return 0;
}

int
route_add(unsigned int vrf, uint32_t prefix, uint8_t len,
	  enum route_kind kind, uint32_t via, unsigned int iface)
{
	struct vrf *v;
	int adj;

	/* Checked before indexing vrf_table (UBSan: no pointer past it). */
	if (!prefix_valid(vrf, prefix, len) ||
	    ((kind == ROUTE_VIA || kind == ROUTE_CONNECTED) &&
	     iface >= iface_count()))
		return -EINVAL;
	v = &vrf_table[vrf];
	adj = adj_for_route(kind, via, iface);
	if (adj < 0)
		return adj;
	return route_install(v, prefix, len, adj);
}

int
route_ext_register(const char *node_name,
		   void (*format)(uint32_t value, char *buf, size_t len))
{
	unsigned int i;
	rte_edge_t e;

	if (node_name == NULL || strlen(node_name) >= RTE_NODE_NAMESIZE)
		return -EINVAL;
	for (i = 0; i < n_ext_types; i++)
		if (strcmp(ext_types[i].node, node_name) == 0)
			return (int)i;
	if (n_ext_types == ROUTE_EXT_MAX)
		return -ENOSPC;
	e = ip4_lookup_edge_add(node_name);
	if (e == RTE_EDGE_ID_INVALID)
		return -EINVAL;
	snprintf(ext_types[i].node, sizeof(ext_types[i].node), "%s",
		 node_name);
	ext_types[i].edge = e;
	ext_types[i].format = format;
	return (int)n_ext_types++;
}

int
route_add_ext(unsigned int vrf, uint32_t prefix, uint8_t len,
	      unsigned int ext_type, uint32_t ext_value)
{
	struct vrf *v;
	int64_t old;
	int adj;

	if (!prefix_valid(vrf, prefix, len) || ext_type >= n_ext_types)
		return -EINVAL;
	v = &vrf_table[vrf];
	old = route_current_adj(v, prefix, len);
	/* Replace only a route of the same external type (or FRR's,
	 * which it hides as a static route does). */
	if (old >= 0 && route_configured_has(vrf, prefix, len) &&
	    (adj_table[old].type != ADJ_T_EXT ||
			 adj_table[old].iface != ext_types[ext_type].edge))
		return -EEXIST;
	adj = route_adj_get(ADJ_T_EXT, ext_types[ext_type].edge, ext_value);
	if (adj < 0)
		return adj;
	return route_install(v, prefix, len, adj);
}

int
route_ext_adj_get(unsigned int ext_type, uint32_t value)
{
	if (ext_type >= n_ext_types)
		return -EINVAL;
	return route_adj_get(ADJ_T_EXT, ext_types[ext_type].edge, value);
}

void
adj_ext_format(const struct adj *a, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < n_ext_types; i++) {
		if (ext_types[i].edge != a->iface)
			continue;
		if (ext_types[i].format != NULL) {
			ext_types[i].format(a->nbr, buf, len);
			return;
		}
		break;
	}
	snprintf(buf, len, "to %s (%u)", i < n_ext_types ?
		 ext_types[i].node : "?", a->nbr);
}

int
route_del(unsigned int vrf, uint32_t prefix, uint8_t len)
{
	if (vrf >= n_vrfs || len > 32)
		return -EINVAL;
	return route_uninstall(&vrf_table[vrf], prefix, len);
}

/* Remove prefix/len from the FIB and its mirror (route_src.c decides
 * when). */
int
route_remove(struct vrf *v, uint32_t prefix, uint8_t len)
{
	int64_t old = route_current_adj(v, prefix, len);
	int rc;

	if (old < 0)
		return -ENOENT;
	rc = fib_change(v, prefix, len, -1);
	if (rc < 0)
		return rc;
	v->n_routes--;
	long24_count(v, prefix, len, -1);
	adj_table[old].refcnt--;
	own_filter_update(len, prefix, old, -1);
	return 0;
}
