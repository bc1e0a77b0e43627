/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transmit node: one clone per port. Each worker transmits on the queue
 * numbered after itself, so no two lcores share a tx queue and no lock
 * is needed. What the queue does not take goes to the drop node as
 * tx_full. A diverted port (port_tx_divert) hands its whole stream to
 * the egress node on edge 1 instead.
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_graph_worker.h>

#include "pkt.h"
#include "port_priv.h"
#include "port_log.h"

enum { PORT_TX_NEXT_DROP, PORT_TX_NEXT_DIVERT };

struct port_tx_ctx {
	uint16_t port_id;
	uint16_t queue;
	bool divert;
};

static uint16_t
port_tx_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		uint16_t cnt)
{
	struct port_tx_ctx *ctx = (struct port_tx_ctx *)node->ctx;
	uint16_t sent, i;

	if (ctx->divert) {
		rte_node_next_stream_move(graph, node, PORT_TX_NEXT_DIVERT);
		return cnt;
	}
	sent = rte_eth_tx_burst(ctx->port_id, ctx->queue,
				(struct rte_mbuf **)objs, cnt);
	if (unlikely(sent < cnt)) {
		for (i = sent; i < cnt; i++)
			pkt_md(objs[i])->drop = DROP_TX_FULL;
		rte_node_enqueue(graph, node, 0, &objs[sent], cnt - sent);
	}
	return sent;
}

static int
port_tx_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct port_tx_ctx *ctx = (struct port_tx_ctx *)node->ctx;
	int worker = pkt_graph_worker_index(graph->name);
	unsigned int i;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	for (i = 0; i < port_count(); i++) {
		if (port_table[i].tx_node != node->id)
			continue;
		if (worker < 0 || worker >= port_table[i].n_txq) {
			PORT_LOG(ERR, "%s: graph %s has no tx queue",
				 port_table[i].name, graph->name);
			return -EINVAL;
		}
		ctx->port_id = port_table[i].port_id;
		ctx->queue = (uint16_t)worker;
		ctx->divert = port_table[i].tx_diverted;
		return 0;
	}
	return -ENOENT;
}

static struct rte_node_register port_tx_node = {
	.name = PORT_TX_NODE,
	.process = port_tx_process,
	.init = port_tx_init,
	.nb_edges = 1,
	.next_nodes = { "ferry_drop" },
};

RTE_NODE_REGISTER(port_tx_node);

int
port_tx_clone_add(unsigned int idx)
{
	struct port *p = &port_table[idx];

	p->tx_node = rte_node_clone(port_tx_node.id, p->name);
	if (p->tx_node == RTE_NODE_ID_INVALID) {
		PORT_LOG(ERR, "%s: cannot clone the tx node", p->name);
		return -ENOMEM;
	}
	return 0;
}

rte_edge_t
port_tx_edges_add(rte_node_t node)
{
	char names[PORT_MAX][RTE_NODE_NAMESIZE];
	const char *ptrs[PORT_MAX];
	rte_edge_t first = rte_node_edge_count(node);
	unsigned int i;

	for (i = 0; i < port_count(); i++) {
		snprintf(names[i], sizeof(names[i]), "%s-%.31s", PORT_TX_NODE,
			 port_table[i].name);
		ptrs[i] = names[i];
	}
	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(node, first, ptrs, port_count()) !=
	    port_count())
		return RTE_EDGE_ID_INVALID;
	return first;
}

int
port_tx_divert(unsigned int idx, const char *node_name)
{
	const char *next[] = { node_name };

	if (idx >= port_count())
		return -EINVAL;
	if (rte_node_edge_update(port_table[idx].tx_node, PORT_TX_NEXT_DIVERT,
				 next, 1) != 1)
		return -ENOENT;
	port_table[idx].tx_diverted = true;
	return 0;
}
