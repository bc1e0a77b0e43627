/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 FIBs, one rte_fib6 per VRF, and their adjacencies.
 *
 * rte_fib6 (trie) rather than rte_lpm6: it keeps its own rte_rib6 (the
 * exact-match and walk the CLI needs, with no mirror of ours) and looks
 * a burst up in one call; see doc/ipv6.md for the comparison. Its 22.11
 * trie has no RCU hook, so this file supplies the deferral
 * (route6_priv.h): adjacency 0 is never stored, and each change first
 * waits for the grace period that began after the previous one, so a
 * tbl8 group freed by a change is reused only once no worker can be in
 * it. The management lcore is the only writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rcu_qsbr.h>
#include <rte_rib6.h>

#include "route6_priv.h"

struct adj6 adj6_table[ADJ6_MAX];
static uint32_t n_adj6 = ADJ6_FIRST_FREE;
struct rte_fib6 *fib6_table[VRF_MAX];
/* Grace period started after the last change (0 = none pending). */
static uint64_t fib6_token;
static bool fib6_token_valid;

/* External route types of the IPv6 FIBs: the node each hands packets to
 * (route.h route6_ext_register()); apart from the IPv4 ones, whose
 * edges are those of ferry_ip4_lookup. */
static struct {
	char node[RTE_NODE_NAMESIZE];
	rte_edge_t edge;
	void (*format)(uint32_t value, char *buf, size_t len);
} ext6_types[ROUTE_EXT_MAX];
static unsigned int n_ext6_types;

/* The fixed adjacencies, written before any FIB can lead to them
 * (whichever VRF gets IPv6 first) and again each time: same values. */
static void
adj6_fixed_set(void)
{
	adj6_table[ADJ6_RETRY].type = ADJ_T_NO_ROUTE;
	adj6_table[ADJ6_NO_ROUTE].type = ADJ_T_NO_ROUTE;
	adj6_table[ADJ6_BLACKHOLE].type = ADJ_T_BLACKHOLE;
	adj6_table[ADJ6_LOCAL].type = ADJ_T_LOCAL;
}

static void
adj6_init_fixed(void)
{
	memset(adj6_table, 0, sizeof(adj6_table[0]) * ADJ6_FIRST_FREE);
	adj6_fixed_set();
	n_adj6 = ADJ6_FIRST_FREE;
}

int
fib6_vrf_ensure(unsigned int vrf)
{
	struct rte_fib6_conf cfg = {
		.type = RTE_FIB6_TRIE,
		.default_nh = ADJ6_NO_ROUTE,
		.max_routes = (int)route_ip6_conf.max_routes,
		.trie =
			{
				.nh_sz = RTE_FIB6_TRIE_2B,
				.num_tbl8 = route_ip6_conf.fib_tbl8,
			},
	};
	struct rte_fib6 *f;
	char name[32];

	if (vrf >= vrf_count())
		return -EINVAL;
	if (fib6_table[vrf] != NULL)
		return 0;
	/* Not only for VRF 0: a VRF may have IPv6 while the default has
	 * none (ferry's addresses there were looked up as no route). */
	adj6_fixed_set();
	snprintf(name, sizeof(name), "ferry_fib6_%u", vrf);
	f = rte_fib6_create(name, (int)rte_socket_id(), &cfg);
	if (f == NULL) {
		ROUTE_LOG(ERR, "VRF %s: cannot create its IPv6 FIB: %s",
			  vrf_name(vrf), rte_strerror(rte_errno));
		return -ENOMEM;
	}
	__atomic_store_n(&fib6_table[vrf], f, __ATOMIC_RELEASE);
	return 0;
}

void
fib6_free_all(void)
{
	unsigned int i;

	for (i = 0; i < VRF_MAX; i++) {
		rte_fib6_free(fib6_table[i]);
		fib6_table[i] = NULL;
	}
	fib6_token_valid = false;
	adj6_init_fixed();
}

/* Wait until no worker can still be in a tbl8 group the last change
 * freed (route6_priv.h). A short wait: workers pass a quiescent state
 * every graph walk. */
static void
fib6_wait_previous(void)
{
	struct rte_rcu_qsbr *v = graph_rcu();

	if (v != NULL && fib6_token_valid)
		rte_rcu_qsbr_check(v, fib6_token, true);
	fib6_token_valid = false;
}

static void
fib6_changed(void)
{
	struct rte_rcu_qsbr *v = graph_rcu();

	if (v == NULL)
		return;
	fib6_token = rte_rcu_qsbr_start(v);
	fib6_token_valid = true;
}

static int
adj6_get(enum adj_type type, uint16_t iface, const uint8_t *gw)
{
	static const uint8_t none[16];
	struct adj6 *a;
	uint32_t i;

	if (gw == NULL)
		gw = none;
	for (i = ADJ6_FIRST_FREE; i < n_adj6; i++) {
		a = &adj6_table[i];
		if (a->type == type && a->iface == iface &&
		    memcmp(a->gw, gw, 16) == 0)
			return (int)i;
	}
	if (n_adj6 == ADJ6_MAX)
		return -ENOSPC;
	a = &adj6_table[n_adj6];
	a->type = type;
	a->iface = iface;
	memcpy(a->gw, gw, 16);
	a->nbr = NBR_NONE;
	if (type == ADJ_T_NEXTHOP) {
		a->nbr = nd_get(iface, gw);
		if (a->nbr == NBR_NONE)
			return -ENOSPC;
		nd_table[a->nbr].refcnt++;
	}
	return (int)n_adj6++;
}

static int
adj6_for_route(enum route_kind kind, const uint8_t *via, unsigned int iface)
{
	switch (kind) {
	case ROUTE_VIA:
		return adj6_get(ADJ_T_NEXTHOP, (uint16_t)iface, via);
	case ROUTE_CONNECTED:
		return adj6_get(ADJ_T_GLEAN, (uint16_t)iface, NULL);
	case ROUTE_LOCAL:
		return ADJ6_LOCAL;
	case ROUTE_BLACKHOLE:
		return ADJ6_BLACKHOLE;
	}
	return -EINVAL;
}

/* Adjacency installed for exactly prefix/len, or -1. */
static int64_t
route6_current(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6 *rib = rte_fib6_get_rib(fib6_table[vrf]);
	struct rte_rib6_node *n = rte_rib6_lookup_exact(rib, prefix, len);
	uint64_t nh;

	if (n == NULL || rte_rib6_get_nh(n, &nh) != 0)
		return -1;
	return (int64_t)nh;
}

static bool
prefix6_valid(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	uint8_t masked[16];
	unsigned int i;

	if (vrf >= vrf_count() || len > 128)
		return false;
	memcpy(masked, prefix, 16);
	for (i = len; i < 128; i++)
		masked[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	return memcmp(masked, prefix, 16) == 0;
}

/* Install adjacency @p adj for prefix/len (checked, FIB made). */
static int
route6_install(unsigned int vrf, const uint8_t *prefix, uint8_t len, int adj)
{
	int64_t old = route6_current(vrf, prefix, len);
	int rc;

	fib6_wait_previous();
	rc = rte_fib6_add(fib6_table[vrf], prefix, len, (uint64_t)adj);
	fib6_changed();
	if (rc < 0)
		return rc;
	adj6_table[adj].refcnt++;
	if (old >= 0)
		adj6_table[old].refcnt--;
	return 0;
}

int
route6_add(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	   enum route_kind kind, const uint8_t *via, unsigned int iface)
{
	int adj, rc;

	if (!prefix6_valid(vrf, prefix, len) ||
	    ((kind == ROUTE_VIA || kind == ROUTE_CONNECTED) &&
	     iface >= iface_count()))
		return -EINVAL;
	rc = fib6_vrf_ensure(vrf);
	if (rc < 0)
		return rc;
	adj = adj6_for_route(kind, via, iface);
	if (adj < 0)
		return adj;
	return route6_install(vrf, prefix, len, adj);
}

int
route6_del(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	int64_t old;
	int rc;

	if (vrf >= vrf_count() || len > 128 || fib6_table[vrf] == NULL)
		return -EINVAL;
	old = route6_current(vrf, prefix, len);
	if (old < 0)
		return -ENOENT;
	fib6_wait_previous();
	rc = rte_fib6_delete(fib6_table[vrf], prefix, len);
	fib6_changed();
	if (rc < 0)
		return rc;
	adj6_table[old].refcnt--;
	return 0;
}

int
route6_ext_register(const char *node_name,
		    void (*format)(uint32_t value, char *buf, size_t len))
{
	unsigned int i;
	rte_edge_t e;

	if (node_name == NULL || strlen(node_name) >= RTE_NODE_NAMESIZE)
		return -EINVAL;
	for (i = 0; i < n_ext6_types; i++)
		if (strcmp(ext6_types[i].node, node_name) == 0)
			return (int)i;
	if (n_ext6_types == ROUTE_EXT_MAX)
		return -ENOSPC;
	e = ip6_lookup_edge_add(node_name);
	if (e == RTE_EDGE_ID_INVALID)
		return -EINVAL;
	snprintf(ext6_types[i].node, sizeof(ext6_types[i].node), "%s",
		 node_name);
	ext6_types[i].edge = e;
	ext6_types[i].format = format;
	return (int)n_ext6_types++;
}

/* The adjacency of (edge, value), shared by every route with them. */
static int
adj6_ext_get(rte_edge_t edge, uint32_t value)
{
	struct adj6 *a;
	uint32_t i;

	for (i = ADJ6_FIRST_FREE; i < n_adj6; i++) {
		a = &adj6_table[i];
		if (a->type == ADJ_T_EXT && a->iface == edge &&
		    a->nbr == value)
			return (int)i;
	}
	if (n_adj6 == ADJ6_MAX)
		return -ENOSPC;
	a = &adj6_table[n_adj6];
	memset(a, 0, sizeof(*a));
	a->type = ADJ_T_EXT;
	a->iface = edge;
	a->nbr = value;
	return (int)n_adj6++;
}

int
route6_add_ext(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	       unsigned int ext_type, uint32_t ext_value)
{
	rte_edge_t edge;
	int64_t old;
	int adj, rc;

	if (!prefix6_valid(vrf, prefix, len) || ext_type >= n_ext6_types)
		return -EINVAL;
	rc = fib6_vrf_ensure(vrf);
	if (rc < 0)
		return rc;
	edge = ext6_types[ext_type].edge;
	/* Replace only a route of the same external type. */
	old = route6_current(vrf, prefix, len);
	if (old >= 0 && (adj6_table[old].type != ADJ_T_EXT ||
			 adj6_table[old].iface != edge))
		return -EEXIST;
	adj = adj6_ext_get(edge, ext_value);
	if (adj < 0)
		return adj;
	return route6_install(vrf, prefix, len, adj);
}

int
route6_del_ext(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	       unsigned int ext_type)
{
	int64_t old;

	if (vrf >= vrf_count() || len > 128 || fib6_table[vrf] == NULL ||
	    ext_type >= n_ext6_types)
		return -EINVAL;
	old = route6_current(vrf, prefix, len);
	if (old < 0 || adj6_table[old].type != ADJ_T_EXT ||
	    adj6_table[old].iface != ext6_types[ext_type].edge)
		return -ENOENT;
	return route6_del(vrf, prefix, len);
}

/* Text of an ADJ_T_EXT adjacency from its type's formatter. */
static void
adj6_ext_format(const struct adj6 *a, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < n_ext6_types; i++)
		if (ext6_types[i].edge == a->iface &&
		    ext6_types[i].format != NULL) {
			ext6_types[i].format(a->nbr, buf, len);
			return;
		}
	snprintf(buf, len, "external (%u)", a->nbr);
}

bool
route6_exists(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	return vrf < vrf_count() && fib6_table[vrf] != NULL &&
	       route6_current(vrf, prefix, len) >= 0;
}

bool
route6_match(unsigned int vrf, const uint8_t *addr,
	     void (*fn)(const uint8_t *prefix, uint8_t len,
			const struct adj6 *a, void *arg),
	     void *arg)
{
	struct rte_rib6_node *n;
	uint8_t ip[16], depth;
	uint64_t nh;

	if (vrf >= vrf_count() || fib6_table[vrf] == NULL)
		return false;
	n = rte_rib6_lookup(rte_fib6_get_rib(fib6_table[vrf]), addr);
	if (n == NULL || rte_rib6_get_nh(n, &nh) != 0)
		return false;
	rte_rib6_get_ip(n, ip);
	rte_rib6_get_depth(n, &depth);
	fn(ip, depth, &adj6_table[nh], arg);
	return true;
}

void
route6_walk(unsigned int vrf,
	    void (*fn)(const uint8_t *prefix, uint8_t len, const struct adj6 *a,
		       void *arg),
	    void *arg)
{
	static const uint8_t any[16];
	struct rte_rib6 *rib;
	struct rte_rib6_node *n = NULL;
	uint8_t ip[16], depth;
	uint64_t nh;

	if (vrf >= vrf_count() || fib6_table[vrf] == NULL)
		return;
	rib = rte_fib6_get_rib(fib6_table[vrf]);
	/* ::/0 itself is not returned by a walk under ::/0 */
	n = rte_rib6_lookup_exact(rib, any, 0);
	if (n != NULL && rte_rib6_get_nh(n, &nh) == 0)
		fn(any, 0, &adj6_table[nh], arg);
	n = NULL;
	while ((n = rte_rib6_get_nxt(rib, any, 0, n, RTE_RIB6_GET_NXT_ALL)) !=
	       NULL) {
		rte_rib6_get_ip(n, ip);
		rte_rib6_get_depth(n, &depth);
		rte_rib6_get_nh(n, &nh);
		fn(ip, depth, &adj6_table[nh], arg);
	}
}

void
adj6_format(const struct adj6 *a, char *buf, size_t len)
{
	const struct iface *ifc = iface_get(a->iface);
	char gw[48];

	switch (a->type) {
	case ADJ_T_NEXTHOP:
		snprintf(buf, len, "via %s dev %s",
			 cfg_format_ipv6(a->gw, gw, sizeof(gw)), ifc->name);
		break;
	case ADJ_T_GLEAN:
		snprintf(buf, len, "connected dev %s", ifc->name);
		break;
	case ADJ_T_LOCAL:
		snprintf(buf, len, "local");
		break;
	case ADJ_T_BLACKHOLE:
		snprintf(buf, len, "blackhole");
		break;
	case ADJ_T_EXT:
		adj6_ext_format(a, buf, len);
		break;
	default:
		snprintf(buf, len, "unreachable");
		break;
	}
}
