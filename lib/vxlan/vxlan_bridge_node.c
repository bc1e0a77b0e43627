/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_vxlan_bridge: whole frames received on a member interface of a
 * bridge domain (ferry_eth_input hands them over, iface_l2_register),
 * data at the Ethernet header, pkt_md.in_iface set. Removes the 802.1Q
 * tag of a subinterface member, learns the source MAC against the
 * interface, and forwards by the MAC table: to another member, to a
 * remote VTEP (ferry_vxlan_encap), or floods to the other members and
 * every VTEP of the flood list (head-end replication).
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "vxlan_l2.h"

static inline rte_edge_t
bridge_one(struct rte_graph *graph, struct rte_node *node, struct rte_mbuf *m)
{
	uint16_t in = pkt_md(m)->in_iface;
	const struct iface *ifc = &iface_table[in];
	const struct rte_ether_hdr *eth;
	const struct vxlan_bd *b;

	b = __atomic_load_n(&vxlan_dp.bd[ifc->l2_domain], __ATOMIC_ACQUIRE);
	if (unlikely(b == NULL))
		return vxlan_l2_drop(m, DROP_NO_INTERFACE);
	if (ifc->vlan != 0)
		vxlan_l2_untag(m);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (unlikely(!vxlan_l2_src_ok(eth)))
		return vxlan_l2_drop(m, DROP_L2_BAD_SOURCE);
	vxlan_learn_seen(b->id, &eth->src_addr, VXLAN_LOC_IFACE, in);
	return vxlan_l2_forward(graph, node, m, b, in);
}

static uint16_t
bridge_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	       uint16_t cnt)
{
	return vxlan_l2_process(graph, node, objs, cnt, bridge_one);
}

static struct rte_node_register vxlan_bridge_node = {
	.name = "ferry_vxlan_bridge",
	.process = bridge_process,
	.nb_edges = VXLAN_L2_NEXT_TX0,
	.next_nodes = { VXLAN_L2_NEXT_NAMES },
};

RTE_NODE_REGISTER(vxlan_bridge_node);

rte_node_t
vxlan_bridge_node_id(void)
{
	return vxlan_bridge_node.id;
}
