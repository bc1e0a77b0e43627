/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * route_resolve(): the FIB lookup of the data plane, for the control
 * plane of libraries whose packets leave toward an address they know in
 * advance (tunnel ends), so they can pin that next hop's neighbour.
 */
#include <errno.h>

#include "route_priv.h"

int
route_resolve(unsigned int vrf, uint32_t ip, unsigned int *iface,
	      uint32_t *nexthop)
{
	const struct adj *a;

	if (vrf >= vrf_count() || vrf_table[vrf].lpm == NULL)
		return -EINVAL;
	a = &adj_table[vrf_lookup(vrf, ip)];
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
