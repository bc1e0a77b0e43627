/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Enqueue node, cloned per scheduled port: the port's tx node diverts
 * here. On the port's owner worker packets are policed and queued at
 * once; any other worker hands them to the owner through the port's
 * MP/SC ring (a full ring drops as qos_ring_full).
 */
#include <rte_graph_worker.h>

#include "graph.h"
#include "qos_priv.h"

enum { QOS_ENQ_NEXT_DROP };

struct qos_enq_ctx {
	struct qos_port_rt *q;
	bool owner;
};

static uint16_t
qos_enq_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		uint16_t cnt)
{
	struct qos_enq_ctx *ctx = (struct qos_enq_ctx *)node->ctx;
	uint64_t tsc;
	uint16_t i, n;

	if (!ctx->owner) {
		n = (uint16_t)rte_ring_mp_enqueue_burst(ctx->q->ring, objs,
							cnt, NULL);
		for (i = n; i < cnt; i++) {
			pkt_md(objs[i])->drop = DROP_QOS_RING_FULL;
			rte_node_enqueue_x1(graph, node, QOS_ENQ_NEXT_DROP,
					    objs[i]);
		}
		return cnt;
	}
	tsc = rte_rdtsc();
	for (i = 0; i < cnt; i++) {
		enum drop_reason r = qos_admit(ctx->q, objs[i], tsc);

		if (unlikely(r != DROP_NONE)) {
			pkt_md(objs[i])->drop = (uint8_t)r;
			rte_node_enqueue_x1(graph, node, QOS_ENQ_NEXT_DROP,
					    objs[i]);
		}
	}
	return cnt;
}

static rte_node_t qos_enq_clones[PORT_MAX];

static int
qos_enq_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct qos_enq_ctx *ctx = (struct qos_enq_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);
	unsigned int i;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	for (i = 0; i < PORT_MAX; i++) {
		if (qos_ports[i] == NULL || qos_enq_clones[i] != node->id)
			continue;
		ctx->q = qos_ports[i];
		ctx->owner = w != NULL && w->index == ctx->q->owner;
		return 0;
	}
	return -ENOENT;
}

static struct rte_node_register qos_enq_node = {
	.name = QOS_ENQ_NODE,
	.process = qos_enq_process,
	.init = qos_enq_init,
	.nb_edges = 1,
	.next_nodes = { "ferry_drop" },
};

RTE_NODE_REGISTER(qos_enq_node);

rte_node_t qos_enq_clone(const char *port_name);

rte_node_t
qos_enq_clone(const char *port_name)
{
	int idx = port_find(port_name);

	if (idx < 0)
		return RTE_NODE_ID_INVALID;
	qos_enq_clones[idx] = rte_node_clone(qos_enq_node.id, port_name);
	return qos_enq_clones[idx];
}
