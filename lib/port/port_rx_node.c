/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive node: one clone per (port, queue) that a worker polls. A source
 * node: each graph walk pulls one burst and hands it to "ferry_eth_input".
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_graph_worker.h>

#include "port_priv.h"
#include "port_log.h"

struct port_rx_ctx {
	uint16_t port_id;
	uint16_t queue;
};

static struct port_rx_clone rx_clones[PORT_MAX * PORT_QUEUE_MAX];
static unsigned int n_rx_clones;

const struct port_rx_clone *
port_rx_clone_find(rte_node_t node)
{
	unsigned int i;

	for (i = 0; i < n_rx_clones; i++)
		if (rx_clones[i].node == node)
			return &rx_clones[i];
	return NULL;
}

static uint16_t
port_rx_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		uint16_t cnt)
{
	struct port_rx_ctx *ctx = (struct port_rx_ctx *)node->ctx;

	RTE_SET_USED(objs);
	RTE_SET_USED(cnt);
	struct rte_mbuf **pkts = (struct rte_mbuf **)node->objs;
	uint16_t n, i;

	n = rte_eth_rx_burst(ctx->port_id, ctx->queue, pkts, PORT_BURST);
	if (n == 0)
		return 0;
	/* Not every PMD sets mbuf->port (net_ring does not; found by
	 * fuzz_packet), and eth_input indexes its tables with it. */
	for (i = 0; i < n; i++)
		pkts[i]->port = ctx->port_id;
	node->idx = n;
	rte_node_next_stream_move(graph, node, 0);
	return n;
}

static int
port_rx_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct port_rx_ctx *ctx = (struct port_rx_ctx *)node->ctx;
	const struct port_rx_clone *c = port_rx_clone_find(node->id);

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	RTE_SET_USED(graph);
	if (c == NULL)
		return -EINVAL;
	ctx->port_id = c->port_id;
	ctx->queue = c->queue;
	return 0;
}

static struct rte_node_register port_rx_node = {
	.name = PORT_RX_NODE,
	.flags = RTE_NODE_SOURCE_F,
	.process = port_rx_process,
	.init = port_rx_init,
	.nb_edges = 1,
	.next_nodes = { "ferry_eth_input" },
};

RTE_NODE_REGISTER(port_rx_node);

static int
rx_clones_add(unsigned int idx)
{
	const struct port *p = &port_table[idx];
	struct port_rx_clone *c;
	char name[RTE_NODE_NAMESIZE];
	uint16_t q;

	for (q = 0; q < p->n_rxq; q++) {
		if (n_rx_clones == RTE_DIM(rx_clones))
			return -ENOSPC;
		c = &rx_clones[n_rx_clones];
		snprintf(name, sizeof(name), "%s-q%u", p->name, q);
		c->node = rte_node_clone(port_rx_node.id, name);
		if (c->node == RTE_NODE_ID_INVALID) {
			PORT_LOG(ERR, "%s: cannot clone the rx node", p->name);
			return -ENOMEM;
		}
		c->port_id = p->port_id;
		c->queue = q;
		n_rx_clones++;
	}
	return 0;
}

int
port_rx_node_name(unsigned int idx, uint16_t q, char *buf, size_t len)
{
	const struct port *p = port_get(idx);

	if (p == NULL || q >= p->n_rxq)
		return -EINVAL;
	snprintf(buf, len, "%s-%s-q%u", PORT_RX_NODE, p->name, q);
	return 0;
}

int
port_nodes_clone(unsigned int idx)
{
	int rc = rx_clones_add(idx);

	return rc < 0 ? rc : port_tx_clone_add(idx);
}
