/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one drop node. Every stage that discards a packet sets
 * pkt_md.drop and sends it here, so the reasons are counted in one
 * place, per worker, without atomics (DESIGN "drop-with-reason").
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "graph_priv.h"

struct drop_ctx {
	uint64_t *drops; /* this worker's stats.drops[] */
};

static uint16_t
drop_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	     uint16_t cnt)
{
	uint64_t *drops = ((struct drop_ctx *)node->ctx)->drops;
	uint16_t i;

	RTE_SET_USED(graph);
	for (i = 0; i < cnt; i++) {
		unsigned int r = pkt_md(objs[i])->drop;

		drops[r < DROP_MAX ? r : DROP_NONE]++;
	}
	rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, cnt);
	return cnt;
}

static int
drop_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct worker *w = graph_worker_of(graph);

	RTE_BUILD_BUG_ON(sizeof(struct drop_ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL)
		return -EINVAL;
	((struct drop_ctx *)node->ctx)->drops = w->stats.drops;
	return 0;
}

static struct rte_node_register drop_node = {
	.name = GRAPH_DROP_NODE,
	.process = drop_process,
	.init = drop_init,
};

RTE_NODE_REGISTER(drop_node);
