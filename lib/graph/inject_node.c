/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inject node: a source node in every worker graph that drains the
 * worker's inject ring, filled by the management lcore with ARP
 * requests/replies (complete frames: straight to a port's tx node) and
 * with packets released after ARP or ND resolved (routed again by
 * ferry_ip4_lookup or, packet_type IPv6, ferry_ip6_lookup). This
 * keeps every transmit on a worker's own tx queue.
 */
#include <rte_graph_worker.h>
#include <rte_ring.h>

#include "graph_priv.h"

struct inject_ctx {
	struct rte_ring *ring;
	uint64_t *injected;
};

static uint16_t
inject_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	       uint16_t cnt)
{
	struct inject_ctx *ctx = (struct inject_ctx *)node->ctx;
	struct rte_mbuf *pkts[GRAPH_BURST];
	unsigned int n, i;

	RTE_SET_USED(objs);
	RTE_SET_USED(cnt);
	n = rte_ring_dequeue_burst(ctx->ring, (void **)pkts, GRAPH_BURST,
				   NULL);
	for (i = 0; i < n; i++) {
		struct pkt_md *md = pkt_md(pkts[i]);
		rte_edge_t next = RTE_ETH_IS_IPV6_HDR(pkts[i]->packet_type) ?
				  INJECT_NEXT_IP6_LOOKUP :
				  INJECT_NEXT_IP4_LOOKUP;

		if (md->flags & PKT_F_INJECT_L2) {
			next = INJECT_NEXT_TX0 + md->out_iface;
			if (unlikely(md->out_iface >= port_count())) {
				md->drop = DROP_NONE;
				next = INJECT_NEXT_DROP;
			}
		}
		rte_node_enqueue_x1(graph, node, next, pkts[i]);
	}
	*ctx->injected += n;
	return n;
}

static int
inject_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct inject_ctx *ctx = (struct inject_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL || w->inject == NULL)
		return -EINVAL;
	ctx->ring = w->inject;
	ctx->injected = &w->stats.injected;
	return 0;
}

static struct rte_node_register inject_node = {
	.name = GRAPH_INJECT_NODE,
	.flags = RTE_NODE_SOURCE_F,
	.process = inject_process,
	.init = inject_init,
	.nb_edges = 3,
	.next_nodes = { GRAPH_DROP_NODE, "ferry_ip4_lookup",
			"ferry_ip6_lookup" },
};

RTE_NODE_REGISTER(inject_node);
