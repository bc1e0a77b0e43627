/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Punt node: packets the management lcore must see (ARP, IPv4 waiting
 * for a next hop to resolve) go onto the punt ring. The ring is
 * multi-producer because every worker punts; when it is full the packet
 * is dropped as punt_full, so a flood of unresolved traffic cannot grow
 * any queue.
 */
#include <rte_graph_worker.h>
#include <rte_ring.h>

#include "graph_priv.h"

struct punt_ctx {
	struct rte_ring *ring;
	uint64_t *punted;
};

static uint16_t
punt_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	     uint16_t cnt)
{
	struct punt_ctx *ctx = (struct punt_ctx *)node->ctx;
	unsigned int n, i;

	n = rte_ring_enqueue_burst(ctx->ring, objs, cnt, NULL);
	*ctx->punted += n;
	if (unlikely(n < cnt)) {
		for (i = n; i < cnt; i++)
			pkt_md(objs[i])->drop = DROP_PUNT_FULL;
		rte_node_enqueue(graph, node, 0, &objs[n], cnt - n);
	}
	return cnt;
}

static int
punt_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct punt_ctx *ctx = (struct punt_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL || graph_punt_ring() == NULL)
		return -EINVAL;
	ctx->ring = graph_punt_ring();
	ctx->punted = &w->stats.punted;
	return 0;
}

static struct rte_node_register punt_node = {
	.name = GRAPH_PUNT_NODE,
	.process = punt_process,
	.init = punt_init,
	.nb_edges = 1,
	.next_nodes = { GRAPH_DROP_NODE },
};

RTE_NODE_REGISTER(punt_node);
