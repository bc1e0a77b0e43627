/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip6_rewrite: the last stage of IPv6 forwarding. Routers never
 * fragment IPv6 (RFC 8200 5): a packet larger than the egress MTU gets
 * ICMPv6 packet too big with that MTU (RFC 4443 3.2), which is what lets
 * the source lower its path MTU (RFC 8201). Then the hop limit is
 * decremented (no header checksum in IPv6), the Ethernet (and 802.1Q)
 * header of the egress interface written, and the packet handed to its
 * port's tx node.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "port.h"
#include "route6_priv.h"

#define ICMP6_PACKET_TOO_BIG 2

enum ip6_rewrite_next {
	IP6_REWRITE_NEXT_DROP,
	IP6_REWRITE_NEXT_ICMP_ERROR,
	IP6_REWRITE_NEXT_TX0, /* + port index */
};

static inline rte_edge_t
ip6_too_big(struct rte_mbuf *m, const struct iface *ifc)
{
	struct pkt_md *md = pkt_md(m);

	md->drop = DROP_IP6_TOO_BIG;
	md->icmp_type = ICMP6_PACKET_TOO_BIG;
	md->icmp_code = 0;
	md->icmp_mtu = ifc->mtu;
	return IP6_REWRITE_NEXT_ICMP_ERROR;
}

static inline rte_edge_t
ip6_rewrite_one(struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->out_iface];
	struct rte_ether_hdr *eth;
	struct rte_ether_addr dst;
	uint64_t w;

	if (unlikely(!ifc->up)) {
		iface_count_drop(md->out_iface);
		md->drop = DROP_IFACE_DOWN;
		return IP6_REWRITE_NEXT_DROP;
	}
	if (unlikely(m->pkt_len > ifc->mtu)) {
		iface_count_drop(md->out_iface);
		return ip6_too_big(m, ifc);
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		ip->hop_limits--;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, iface_l2_len(ifc));
	if (unlikely(eth == NULL)) {
		md->drop = DROP_NO_HEADROOM;
		return IP6_REWRITE_NEXT_DROP;
	}
	w = __atomic_load_n(&nd_table[md->nbr].mac_state, __ATOMIC_RELAXED);
	memcpy(dst.addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	iface_l2_write(ifc, eth, &dst, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6));
	iface_count_tx(md->out_iface, m->pkt_len);
	return IP6_REWRITE_NEXT_TX0 + ifc->port_idx;
}

static uint16_t
ip6_rewrite_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		    uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(
		&spec, graph, node,
		IP6_REWRITE_NEXT_TX0 +
			iface_table[pkt_md(objs[0])->out_iface].port_idx,
		cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], ip6_rewrite_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register ip6_rewrite_node = {
	.name = "ferry_ip6_rewrite",
	.process = ip6_rewrite_process,
	.nb_edges = IP6_REWRITE_NEXT_TX0,
	.next_nodes =
		{
			[IP6_REWRITE_NEXT_DROP] = "ferry_drop",
			[IP6_REWRITE_NEXT_ICMP_ERROR] = "ferry_icmp6_error",
		},
};

RTE_NODE_REGISTER(ip6_rewrite_node);

int
ip6_rewrite_edges_add(void)
{
	rte_edge_t e = port_tx_edges_add(ip6_rewrite_node.id);

	return e == IP6_REWRITE_NEXT_TX0 ? 0 : -EINVAL;
}
