/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * route_resolve(): the FIB lookup of the data plane, for the control
 * plane of libraries whose packets leave toward an address they know in
 * advance (tunnel ends), so they can pin that next hop's neighbour;
 * route6_resolve(), its IPv6 counterpart.
 */
#include <errno.h>

#include "route6_priv.h"

int
route_resolve(unsigned int vrf, uint32_t ip, unsigned int *iface,
	      uint32_t *nexthop)
{
	const struct adj *a;

	if (vrf >= vrf_count() || vrf_table[vrf].fib == NULL)
		return -EINVAL;
	a = &adj_table[vrf_lookup(vrf, ip)];
	if (a->type == ADJ_T_NHG) /* a pinned next hop: the group's first */
		a = &adj_table[nhg_table[a->nbr % NHG_MAX].adj[0]];
	switch (a->type) {
	case ADJ_T_GLEAN:
		*nexthop = ip;
		break;
	case ADJ_T_NEXTHOP:
		*nexthop = a->gw;
		break;
	default:
		return -ENETUNREACH;
	}
	*iface = a->iface;
	return 0;
}

int
route6_resolve(unsigned int vrf, const uint8_t *ip, unsigned int *iface,
	       uint8_t *nexthop)
{
	const struct adj6 *a;

	if (vrf >= vrf_count())
		return -EINVAL;
	a = &adj6_table[fib6_lookup_one(vrf, ip)];
	switch (a->type) {
	case ADJ_T_GLEAN:
		memcpy(nexthop, ip, 16);
		break;
	case ADJ_T_NEXTHOP:
		memcpy(nexthop, a->gw, 16);
		break;
	default:
		return -ENETUNREACH;
	}
	*iface = a->iface;
	return 0;
}

int
route_describe(unsigned int vrf, uint32_t ip, char *buf, size_t len)
{
	struct rte_rib_node *n;
	char pfx[16], what[96];
	uint32_t addr;
	uint64_t nh;
	uint8_t depth;

	if (vrf >= vrf_count() || vrf_table[vrf].rib == NULL)
		return -EINVAL;
	n = rte_rib_lookup(vrf_table[vrf].rib, ip);
	if (n == NULL || rte_rib_get_nh(n, &nh) != 0 || nh >= ADJ_MAX)
		return -ENETUNREACH;
	rte_rib_get_ip(n, &addr);
	rte_rib_get_depth(n, &depth);
	adj_format(&adj_table[nh], what, sizeof(what));
	snprintf(buf, len, "route %s/%u %s",
		 cfg_format_ipv4(addr, pfx, sizeof(pfx)), depth, what);
	return 0;
}
