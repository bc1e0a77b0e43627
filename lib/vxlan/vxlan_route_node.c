/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_vxlan_route: a VRF route whose next hop is a VXLAN tunnel (an
 * external route type of lib/route). ferry_ip4_lookup hands the IPv4
 * packet over with the route's index in pkt_md.nbr, its TTL checked;
 * ferry_ip6_lookup an IPv6 packet (vxlan.tunnel_routes6), its hop limit
 * checked. The VTEP is an IP hop: the TTL or hop limit is decremented
 * (RFC 1812, RFC 8200 3). An IPv4 packet that does not fit the underlay
 * MTU with the 50 bytes of VXLAN (70 over an IPv6 underlay) gets ICMP "fragmentation needed" with
 * the MTU left (RFC 1191) when DF is set, and is dropped as
 * vxlan_mtu_exceeded otherwise; an IPv6 one gets packet too big with
 * the MTU left (RFC 8201). It then gets an inner Ethernet header (the
 * route's inner destination MAC, the underlay interface's MAC as
 * source, the packet's EtherType) and goes to ferry_vxlan_encap.
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "vxlan_priv.h"

#define FOREACH_ROUTE_NEXT(_)               \
	_(DROP, "ferry_drop")               \
	_(ENCAP, "ferry_vxlan_encap")       \
	_(ICMP_ERROR, "ferry_icmp_error")   \
	_(ICMP6_ERROR, "ferry_icmp6_error")

enum route_next {
#define _NEXT_ENUM(e, name) ROUTE_NEXT_##e,
	FOREACH_ROUTE_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	ROUTE_NEXT_MAX
};

static inline rte_edge_t
route_drop(struct pkt_md *md, enum drop_reason r)
{
	md->drop = (uint8_t)r;
	return ROUTE_NEXT_DROP;
}

#define ICMP6_PACKET_TOO_BIG 2

/* IPv6 inside: packet too big with the MTU left (RFC 8201), else the
 * hop limit goes down. ROUTE_NEXT_MAX to go on. */
static inline rte_edge_t
route_ip6(struct rte_mbuf *m, const struct iface *ifc, uint32_t ovh)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	struct pkt_md *md = pkt_md(m);

	if (unlikely(rte_pktmbuf_pkt_len(m) + ovh > ifc->mtu)) {
		md->drop = DROP_VXLAN_MTU_EXCEEDED;
		md->icmp_type = ICMP6_PACKET_TOO_BIG;
		md->icmp_code = 0;
		md->icmp_mtu = (uint16_t)(ifc->mtu - ovh);
		return ROUTE_NEXT_ICMP6_ERROR;
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		ip->hop_limits--;
	return ROUTE_NEXT_MAX;
}

static inline rte_edge_t
route_ip4(struct rte_mbuf *m, const struct iface *ifc, uint32_t ovh)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);

	if (unlikely(rte_be_to_cpu_16(ip->total_length) + ovh > ifc->mtu))
		return pkt_ip4_too_big(md, ip, (uint16_t)(ifc->mtu - ovh),
				       DROP_VXLAN_MTU_EXCEEDED) ?
			ROUTE_NEXT_ICMP_ERROR : ROUTE_NEXT_DROP;
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		pkt_ip4_ttl_dec(ip);
	return ROUTE_NEXT_MAX;
}

static inline rte_edge_t
route_one(struct rte_mbuf *m)
{
	bool v6 = (*rte_pktmbuf_mtod(m, const uint8_t *) >> 4) == 6;
	struct pkt_md *md = pkt_md(m);
	const struct vxlan_route *r;
	const struct vxlan_tunnel *t;
	const struct iface *ifc;
	struct rte_ether_hdr *eth;
	uint32_t ovh;
	rte_edge_t e;

	r = __atomic_load_n(&vxlan_dp.route[md->nbr], __ATOMIC_ACQUIRE);
	if (unlikely(r == NULL))
		return route_drop(md, DROP_VXLAN_NO_TUNNEL);
	t = __atomic_load_n(&vxlan_dp.tun[r->tunnel], __ATOMIC_ACQUIRE);
	if (unlikely(t == NULL || !vxlan_tunnel_usable(t)))
		return route_drop(md, DROP_VXLAN_NEXTHOP_UNRESOLVED);
	ifc = &iface_table[t->iface];
	ovh = vxlan_tunnel_overhead(t);
	e = v6 ? route_ip6(m, ifc, ovh) : route_ip4(m, ifc, ovh);
	if (unlikely(e != ROUTE_NEXT_MAX))
		return e;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*eth));
	if (unlikely(eth == NULL))
		return route_drop(md, DROP_NO_HEADROOM);
	rte_ether_addr_copy(&r->inner_dst, &eth->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
					     RTE_ETHER_TYPE_IPV4);
	md->nbr = r->tunnel;
	return ROUTE_NEXT_ENCAP;
}

static uint16_t
route_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	      uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, ROUTE_NEXT_ENCAP, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], route_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register vxlan_route_node = {
	.name = "ferry_vxlan_route",
	.process = route_process,
	.nb_edges = ROUTE_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [ROUTE_NEXT_##e] = name,
		FOREACH_ROUTE_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(vxlan_route_node);
