/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scheduler node: a source node in every worker graph. For each port
 * this worker owns it applies a pending live change, admits what other
 * workers handed over (ring), then dequeues what the port's rates allow
 * now and transmits it on this worker's own tx queue of the port.
 * Polled on every graph walk, so the clock advances between walks even
 * when no packet arrives.
 */
#include <rte_ethdev.h>
#include <rte_graph_worker.h>

#include "graph.h"
#include "qos_priv.h"

enum { QOS_SCHED_NEXT_DROP };

struct qos_sched_ctx {
	uint32_t owned; /**< bit i: this worker owns port index i */
};

static void
drop_from(struct rte_graph *graph, struct rte_node *node, void **objs,
	  uint16_t n, enum drop_reason r)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		pkt_md(objs[i])->drop = (uint8_t)r;
	rte_node_enqueue(graph, node, QOS_SCHED_NEXT_DROP, objs, n);
}

/* Admit what other workers handed over: several bursts a poll, so one
 * owner keeps up with more than one producer. */
static void
ring_drain(struct rte_graph *graph, struct rte_node *node,
	   struct qos_port_rt *q, uint64_t tsc)
{
	void *objs[QOS_BURST];
	unsigned int n, i, rounds;

	for (rounds = 0; rounds < QOS_RING_ROUNDS; rounds++) {
		n = rte_ring_sc_dequeue_burst(q->ring, objs, QOS_BURST, NULL);
		for (i = 0; i < n; i++) {
			enum drop_reason r = qos_admit(q, objs[i], tsc);

			if (unlikely(r != DROP_NONE))
				drop_from(graph, node, &objs[i], 1, r);
		}
		if (n < QOS_BURST)
			return;
	}
}

static uint16_t
port_poll(struct rte_graph *graph, struct rte_node *node,
	  struct qos_port_rt *q)
{
	void *objs[QOS_BURST];
	uint64_t tsc = rte_rdtsc();
	uint16_t n, sent;

	qos_pending_apply(q);
	ring_drain(graph, node, q, tsc);
	n = (uint16_t)qos_sched_dequeue(q->sched, qos_now_ns(q, tsc), objs,
					QOS_BURST);
	if (n == 0)
		return 0;
	sent = rte_eth_tx_burst(q->port_id, q->txq, (struct rte_mbuf **)objs,
				n);
	if (unlikely(sent < n))
		drop_from(graph, node, &objs[sent], n - sent, DROP_TX_FULL);
	return n;
}

static uint16_t
qos_sched_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	struct qos_sched_ctx *ctx = (struct qos_sched_ctx *)node->ctx;
	uint32_t owned = ctx->owned;
	uint16_t done = 0;

	RTE_SET_USED(objs);
	RTE_SET_USED(cnt);
	while (owned != 0) {
		unsigned int i = (unsigned int)__builtin_ctz(owned);

		owned &= owned - 1;
		done += port_poll(graph, node, qos_ports[i]);
	}
	return done;
}

static int
qos_sched_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct qos_sched_ctx *ctx = (struct qos_sched_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);
	unsigned int i;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	RTE_BUILD_BUG_ON(PORT_MAX > 32);
	if (w == NULL)
		return -EINVAL;
	ctx->owned = 0;
	for (i = 0; i < PORT_MAX; i++)
		if (qos_ports[i] != NULL && qos_ports[i]->owner == w->index)
			ctx->owned |= 1u << i;
	return 0;
}

static struct rte_node_register qos_sched_node = {
	.name = QOS_SCHED_NODE,
	.flags = RTE_NODE_SOURCE_F,
	.process = qos_sched_process,
	.init = qos_sched_init,
	.nb_edges = 1,
	.next_nodes = { "ferry_drop" },
};

RTE_NODE_REGISTER(qos_sched_node);
