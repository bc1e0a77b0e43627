/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_eth_input: first stage after receive. Parses Ethernet and one
 * 802.1Q tag, maps (port, VLAN) to an interface, accepts frames for the
 * interface's MAC or broadcast/multicast, strips the L2 header and
 * dispatches by ethertype: IPv4, ARP, unicast MPLS (0x8847, to
 * lib/mpls; multicast MPLS 0x8848 is dropped as mpls_unsupported) and
 * IPv6 on interfaces with an IPv6 address (else ipv6_unsupported).
 * Packets leave with data at the L3 header (or the top label) and
 * pkt_md.in_iface/vrf set.
 */
#include <errno.h>

#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "graph.h"
#include "iface_priv.h"
#include "pkt.h"

#define FOREACH_ETH_INPUT_NEXT(_)  \
	_(DROP, "ferry_drop")      \
	_(IP4, "ferry_ip4_input")  \
	_(ARP, "ferry_arp_input")  \
	_(MPLS, "ferry_mpls_input") \
	_(IP6, "ferry_ip6_input")

enum eth_input_next {
#define _NEXT_ENUM(e, name) ETH_INPUT_NEXT_##e,
	FOREACH_ETH_INPUT_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	ETH_INPUT_NEXT_MAX
};

/* Edge to the node of iface_l2_register(). Until one registers no
 * interface has an l2_domain, so the drop edge is never taken from it. */
static rte_edge_t eth_input_l2_edge = ETH_INPUT_NEXT_DROP;

/* Classify one frame; on success strip L2 and fill the metadata. */
static __rte_always_inline rte_edge_t
eth_input_one(struct rte_mbuf *m, struct pkt_md *md, struct iface_run *k)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint16_t type, vlan = 0, l2 = RTE_ETHER_HDR_LEN, ifx;
	const struct iface *ifc;
	uint64_t *c;

	if (unlikely(m->data_len < RTE_ETHER_HDR_LEN))
		goto truncated;
	/* Every node reads a frame from its first segment: a chain (a frame
	 * longer than the buffers, from a PMD that scatters) is dropped here
	 * by name rather than cut short later (buffers.data_room). */
	if (unlikely(m->nb_segs != 1)) {
		md->drop = DROP_RX_CHAINED;
		return ETH_INPUT_NEXT_DROP;
	}
	type = eth->ether_type;
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		l2 += sizeof(*vh);
		if (unlikely(m->data_len < l2))
			goto truncated;
		vlan = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		type = vh->eth_proto;
	}
	ifx = iface_by_vlan[m->port][vlan];
	if (unlikely(ifx == IFACE_NONE)) {
		md->drop = DROP_NO_INTERFACE;
		return ETH_INPUT_NEXT_DROP;
	}
	ifc = &iface_table[ifx];
	iface_run_add(k, ifx, m->pkt_len);
	if (unlikely(!ifc->up)) {
		c = stats_ctr_get(&iface_ctr, ifx);
		c[IFACE_CTR_DROPS]++;
		md->drop = DROP_IFACE_DOWN;
		return ETH_INPUT_NEXT_DROP;
	}
	if (unlikely(ifc->l2_domain != 0)) {
		md->in_iface = ifx;
		md->flags = 0;
		md->qos_class = 0;
		md->color = 0;
		return eth_input_l2_edge;
	}
	if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &ifc->mac) &&
		     rte_is_unicast_ether_addr(&eth->dst_addr))) {
		c = stats_ctr_get(&iface_ctr, ifx);
		c[IFACE_CTR_DROPS]++;
		md->drop = DROP_L2_OTHER_HOST;
		return ETH_INPUT_NEXT_DROP;
	}
	md->in_iface = ifx;
	md->vrf = ifc->vrf;
	md->flags = 0;
	md->qos_class = 0;
	md->color = 0;
	rte_pktmbuf_adj(m, l2);
	if (likely(type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))) {
		m->packet_type = RTE_PTYPE_L3_IPV4;
		return ETH_INPUT_NEXT_IP4;
	}
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
		m->packet_type = RTE_PTYPE_L2_ETHER_ARP;
		return ETH_INPUT_NEXT_ARP;
	}
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_MPLS))
		return ETH_INPUT_NEXT_MPLS;
	if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6)) {
		if (likely(ifc->ip6)) {
			m->packet_type = RTE_PTYPE_L3_IPV6;
			return ETH_INPUT_NEXT_IP6;
		}
		md->drop = DROP_IPV6_UNSUPPORTED;
	}
	else if (type == rte_cpu_to_be_16(RTE_ETHER_TYPE_MPLSM))
		md->drop = DROP_MPLS_UNSUPPORTED;
	else
		md->drop = DROP_ETHERTYPE_UNKNOWN;
	return ETH_INPUT_NEXT_DROP;

truncated:
	md->drop = DROP_ETH_TRUNCATED;
	return ETH_INPUT_NEXT_DROP;
}

/* Frames classified per pass (the edges are kept on the stack). */
#define ETH_INPUT_CHUNK 64

/* Classify @p cnt (at most ETH_INPUT_CHUNK) frames; @p next gets their
 * edges. @return true if they all go one way. */
static bool
eth_input_chunk(void **objs, uint16_t cnt, rte_edge_t *next)
{
	struct iface_run k = { .ifx = IFACE_NONE, .pkts = IFACE_CTR_RX_PKTS };
	const int off = pkt_md_offset; /* once, not per access */
	rte_edge_t differ = 0;
	uint16_t i;

	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];

		if (i + 2 < cnt)
			rte_prefetch0(rte_pktmbuf_mtod(
				(struct rte_mbuf *)objs[i + 2], void *));
		next[i] = eth_input_one(m, RTE_MBUF_DYNFIELD(m, off, struct pkt_md *),
					&k);
		differ |= next[i] ^ next[0];
	}
	iface_run_flush(&k);
	return differ == 0;
}

static uint16_t
eth_input_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	rte_edge_t next[ETH_INPUT_CHUNK];
	uint16_t i, n;
	bool uniform;

	/* Several rx queues of one worker can feed more than a chunk. */
	for (i = 0; i < cnt; i += n) {
		n = RTE_MIN(cnt - i, ETH_INPUT_CHUNK);
		uniform = eth_input_chunk(objs + i, n, next);
		graph_enqueue_edges(graph, node, objs + i, n, next, uniform);
	}
	return cnt;
}

static struct rte_node_register eth_input_node = {
	.name = "ferry_eth_input",
	.process = eth_input_process,
	.nb_edges = ETH_INPUT_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [ETH_INPUT_NEXT_##e] = name,
		FOREACH_ETH_INPUT_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(eth_input_node);

int
iface_l2_register(const char *node_name)
{
	const char *names[] = { node_name };
	rte_edge_t e = rte_node_edge_count(eth_input_node.id);

	/* Once per process: a second setup finds the edge there. */
	if (e > ETH_INPUT_NEXT_MAX) {
		eth_input_l2_edge = ETH_INPUT_NEXT_MAX;
		return 0;
	}
	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(eth_input_node.id, e, names, 1) != 1)
		return -EINVAL;
	eth_input_l2_edge = e;
	return 0;
}
