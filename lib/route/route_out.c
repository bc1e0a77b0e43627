/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tunnel outer routes resolved once per epoch (route.h, issue 21). The
 * outcome is exactly ferry_ip4_lookup's for a packet ferry built (TTL
 * not checked: PKT_F_LOCAL_ORIGIN) followed by ferry_ip4_rewrite's;
 * every other outcome is left to those nodes.
 */
#include <string.h>

#include "port.h"
#include "route_priv.h"

uint32_t route_epoch = 1;

void
route_epoch_bump(void)
{
	uint32_t e = route_epoch + 1;

	/* release: a worker that reads the new epoch sees the change */
	__atomic_store_n(&route_epoch, e == 0 ? 1 : e, __ATOMIC_RELEASE);
}

/* The neighbour slot ferry_ip4_lookup would give a packet to @p dst
 * through adjacency @p a, or NBR_NONE if it would not rewrite it. */
static uint32_t
out4_nbr(const struct adj *a, uint32_t dst)
{
	switch (a->type) {
	case ADJ_T_NEXTHOP:
		return a->nbr;
	case ADJ_T_GLEAN:
		return nbr_lookup(a->iface, dst);
	default:
		return NBR_NONE;
	}
}

bool
route_out4_get(struct route_out4 *o, uint16_t vrf, uint32_t dst,
	       uint32_t epoch)
{
	const struct adj *a;

	if (likely(o->epoch == epoch && o->dst == dst && o->vrf == vrf))
		return o->nbr != NBR_NONE;
	a = &adj_table[vrf_lookup(vrf, dst)];
	o->epoch = epoch;
	o->dst = dst;
	o->vrf = vrf;
	o->iface = a->iface;
	o->nbr = out4_nbr(a, dst);
	return o->nbr != NBR_NONE;
}

bool
route_out4_l2(const struct route_out4 *o, struct route_out_l2 *l)
{
	const struct iface *ifc = &iface_table[o->iface];
	uint64_t w = __atomic_load_n(&nbr_table[o->nbr].mac_state,
				     __ATOMIC_ACQUIRE);
	struct rte_ether_addr dst;

	if (nbr_word_state(w) == NBR_INCOMPLETE || !ifc->up)
		return false;
	memcpy(dst.addr_bytes, &w, RTE_ETHER_ADDR_LEN); /* no type punning */
	l->len = iface_l2_write(ifc, (struct rte_ether_hdr *)l->hdr, &dst,
				rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	l->iface = o->iface;
	l->mtu = ifc->mtu;
	l->port = ifc->port_idx;
	return true;
}

bool
route_ip4_out_watched(struct rte_node *lookup)
{
	return ip4_lookup_node_wrapped(lookup);
}
