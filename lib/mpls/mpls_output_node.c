/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_mpls_output: the last stage of a labeled packet, from
 * ferry_mpls_push (ingress PE) or ferry_mpls_input (swap, penultimate
 * hop popping). pkt_md.out_iface and pkt_md.nbr name the egress
 * interface and the pinned neighbour slot of the next hop. Checks the
 * interface is up and the labeled packet fits its MTU (the labels count:
 * RFC 3032 3; dropped as mpls_mtu_exceeded, ferry neither fragments
 * nor sends ICMP from inside an LSP), writes the Ethernet (and 802.1Q)
 * header with ethertype 0x8847 (0x86DD for IPv6 popped at the
 * penultimate hop, PKT_F_OUT_IP6) and hands the packet to its port's tx
 * node. A next hop without a MAC yet drops the packet as
 * mpls_nexthop_unresolved; the management lcore is resolving it, since
 * it is pinned (route_nbr_pin).
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "mpls_priv.h"
#include "port.h"

enum mpls_output_next {
	MPLS_OUTPUT_NEXT_DROP,
	MPLS_OUTPUT_NEXT_TX0, /* + port index (mpls_output_edges_add) */
};

struct mpls_output_ctx {
	rte_edge_t last_next;
};

static inline rte_edge_t
output_drop(struct rte_mbuf *m, enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	return MPLS_OUTPUT_NEXT_DROP;
}

static inline rte_edge_t
mpls_output_one(struct rte_mbuf *m)
{
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->out_iface];
	struct rte_ether_addr dst;
	struct rte_ether_hdr *eth;

	if (unlikely(!ifc->up))
		return output_drop(m, DROP_IFACE_DOWN);
	if (unlikely(m->pkt_len > ifc->mtu))
		return output_drop(m, DROP_MPLS_MTU_EXCEEDED);
	if (unlikely(!route_nbr_mac(md->nbr, &dst)))
		return output_drop(m, DROP_MPLS_NEXTHOP_UNRESOLVED);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m,
							  iface_l2_len(ifc));
	if (unlikely(eth == NULL))
		return output_drop(m, DROP_NO_HEADROOM);
	iface_l2_write(ifc, eth, &dst,
		       rte_cpu_to_be_16(unlikely(md->flags & PKT_F_OUT_IP6) ?
					RTE_ETHER_TYPE_IPV6 :
					RTE_ETHER_TYPE_MPLS));
	iface_count_tx(md->out_iface, m->pkt_len);
	return MPLS_OUTPUT_NEXT_TX0 + ifc->port_idx;
}

static uint16_t
mpls_output_process(struct rte_graph *graph, struct rte_node *node,
		    void **objs, uint16_t cnt)
{
	struct mpls_output_ctx *ctx = (struct mpls_output_ctx *)node->ctx;
	rte_edge_t next = ctx->last_next;
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, ctx->last_next, cnt);
	for (i = 0; i < cnt; i++) {
		next = mpls_output_one(objs[i]);
		graph_spec_put(&spec, objs[i], next);
	}
	graph_spec_end(&spec);
	if (next >= MPLS_OUTPUT_NEXT_TX0)
		ctx->last_next = next;
	return cnt;
}

static int
mpls_output_init(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct mpls_output_ctx) > RTE_NODE_CTX_SZ);
	((struct mpls_output_ctx *)node->ctx)->last_next =
		MPLS_OUTPUT_NEXT_TX0;
	return 0;
}

static struct rte_node_register mpls_output_node = {
	.name = "ferry_mpls_output",
	.process = mpls_output_process,
	.init = mpls_output_init,
	.nb_edges = MPLS_OUTPUT_NEXT_TX0,
	.next_nodes = {
		[MPLS_OUTPUT_NEXT_DROP] = "ferry_drop",
	},
};

RTE_NODE_REGISTER(mpls_output_node);

int
mpls_output_edges_add(void)
{
	/* Once per process: a second setup finds the edges there. */
	if (rte_node_edge_count(mpls_output_node.id) > MPLS_OUTPUT_NEXT_TX0)
		return 0;
	return port_tx_edges_add(mpls_output_node.id) ==
		MPLS_OUTPUT_NEXT_TX0 ? 0 : -EINVAL;
}
