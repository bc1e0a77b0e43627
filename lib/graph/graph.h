/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Workers and their graphs: a thin layer over rte_graph (experimental in
 * DPDK 22.11) so the rest of ferry does not depend on its details.
 *
 * Owns the "workers" config section: which lcore polls which (port,
 * queue). Each worker runs one graph, named PKT_GRAPH_PREFIX "<index>",
 * run to completion: its rx clones, then every node reachable from them.
 *
 * Also owns the plumbing between workers and the management lcore:
 *   - the punt ring (workers -> management, multi-producer) fed by the
 *     "ferry_punt" node, for ARP and packets waiting on ARP;
 *   - one inject ring per worker (management -> worker, single producer
 *     and consumer) drained by the "ferry_inject" source node: frames to
 *     transmit as they are, or IPv4 packets to route again;
 *   - the RCU variable: each worker reports a quiescent state after every
 *     graph walk, so the management lcore can free what it unpublished
 *     once rte_rcu_qsbr_check() says every worker has moved on.
 * And the one drop node, "ferry_drop", which counts each packet under
 * its pkt_md.drop reason in its worker's stats and frees it.
 *
 * Threads: graph_* functions run on the management lcore; the nodes run
 * on workers. Stats are written by one worker only, read by the
 * management lcore without atomics (64-bit aligned loads on x86-64).
 */
#ifndef FERRY_GRAPH_H
#define FERRY_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "config.h"
#include "pkt.h"
#include "port.h"

#define GRAPH_WORKER_MAX 16
#define GRAPH_QUEUE_NAME_LEN 48

/** One element of the "workers" section. */
struct worker_conf {
	uint32_t lcore;
	struct cfg_array rx; /**< char[GRAPH_QUEUE_NAME_LEN] "port:queue" */
};

extern const struct cfg_section workers_cfg_section; /* "workers" */

/** Parse "port:queue" against the ports list. @return 0 or -EINVAL with
 *  a reason in @p why (static string). */
int graph_queue_parse(const struct cfg_array *ports, const char *s,
		      int *port_idx, uint16_t *queue, const char **why);

/** Counters of one worker: written by it alone. */
struct worker_stats {
	uint64_t drops[DROP_MAX];
	uint64_t punted;
	uint64_t injected;
} __rte_cache_aligned;

/** A worker lcore and its graph. */
struct worker {
	unsigned int lcore;
	unsigned int index;
	rte_graph_t graph_id;
	struct rte_graph *graph;
	struct rte_ring *inject;       /**< management -> this worker */
	unsigned int n_rx;
	struct {
		uint16_t port_idx;
		uint16_t queue;
	} rx[PORT_MAX * PORT_QUEUE_MAX];
	struct worker_stats stats;
};

/**
 * Read workers from the model (ports must be set up) and create the
 * RCU variable and the punt/inject rings.
 */
int graph_workers_init(const struct cfg_model *model);

/**
 * Give ferry_inject its tx edges and create one graph per worker. Every
 * node's edges must be final by then (rte_graph copies them).
 * @return 0 or -errno.
 */
int graph_build(void);

/**
 * Put source node @p name (one that polls something of its own, such as
 * an egress scheduler) in every worker graph. Call before graph_build();
 * the name must stay valid. @return 0 or -ENOSPC.
 */
int graph_source_add(const char *name);

/** Launch every worker on its lcore. */
int graph_launch(void);

/** Ask workers to stop and wait for them. */
void graph_stop(void);

/** Destroy graphs and rings, free what is still queued in them. */
void graph_teardown(void);

unsigned int graph_worker_count(void);
struct worker *graph_worker(unsigned int idx);

/** The worker a graph belongs to (node init), or NULL. */
struct worker *graph_worker_of(const struct rte_graph *graph);

/** RCU variable the workers report to (NULL before graph_workers_init()). */
struct rte_rcu_qsbr *graph_rcu(void);

/** Punted packets, for the management lcore to dequeue. */
struct rte_ring *graph_punt_ring(void);

/**
 * Hand a packet to worker @p idx for transmission. With PKT_F_INJECT_L2
 * in its metadata flags the frame is complete and goes out of the port
 * whose index is in pkt_md.out_iface; otherwise it is an IPv4 packet
 * (data at the IP header) routed again in pkt_md.vrf.
 * @return 0, or -ENOBUFS (the caller still owns the mbuf).
 */
int graph_inject(unsigned int idx, struct rte_mbuf *m);

/**
 * graph_inject() to the worker chosen by @p key (key modulo the number
 * of workers), so packets of one key keep their order.
 * @return 0, -ENOBUFS or -ENODEV (no workers); the caller keeps the mbuf
 *         on error.
 */
int graph_inject_by(uint32_t key, struct rte_mbuf *m);

/** Sum of one drop reason, or of the punt/inject counters, over workers. */
uint64_t graph_drops_total(enum drop_reason r);

/**
 * Count a drop that happened on the management lcore (for example a
 * packet held for ARP that was never resolved) and free the mbuf.
 */
void graph_control_drop(struct rte_mbuf *m, enum drop_reason r);

/** Drops counted by the management lcore itself. */
uint64_t graph_control_drops(enum drop_reason r);

/*
 * Speculative dispatch for nodes whose packets mostly take one edge (as
 * DPDK's ip4_lookup node does): packets for the expected edge are written
 * straight into that node's stream, the rest are enqueued one by one.
 * Usage: graph_spec_begin(); graph_spec_put() per packet; graph_spec_end().
 */
struct graph_spec {
	struct rte_graph *graph;
	struct rte_node *node;
	void **to;
	rte_edge_t next;
	uint16_t held;
};

static inline void
graph_spec_begin(struct graph_spec *s, struct rte_graph *graph,
		 struct rte_node *node, rte_edge_t next, uint16_t cnt)
{
	s->graph = graph;
	s->node = node;
	s->next = next;
	s->held = 0;
	s->to = rte_node_next_stream_get(graph, node, next, cnt);
}

static inline void
graph_spec_put(struct graph_spec *s, void *obj, rte_edge_t next)
{
	if (likely(next == s->next))
		s->to[s->held++] = obj;
	else
		rte_node_enqueue_x1(s->graph, s->node, next, obj);
}

static inline void
graph_spec_end(struct graph_spec *s)
{
	rte_node_next_stream_put(s->graph, s->node, s->next, s->held);
}

/**
 * Enqueue @p cnt packets at @p objs, each to its edge in @p next. When
 * they all go one way (@p uniform) and are the node's whole stream, the
 * stream itself becomes the next node's (rte_node_next_stream_move(): no
 * pointer copied); otherwise as graph_spec does, speculating on the
 * first packet's edge. For nodes that decide a chunk's edges first.
 */
static inline void
graph_enqueue_edges(struct rte_graph *graph, struct rte_node *node,
		    void **objs, uint16_t cnt, const rte_edge_t *next,
		    bool uniform)
{
	struct graph_spec spec;
	uint16_t i;

	if (uniform && objs == node->objs && cnt == node->idx) {
		rte_node_next_stream_move(graph, node, next[0]);
		return;
	}
	graph_spec_begin(&spec, graph, node, next[0], cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], next[i]);
	graph_spec_end(&spec);
}

/** Send @p m to the drop node edge @p edge, counted under @p r. */
static inline void
graph_spec_drop(struct graph_spec *s, struct rte_mbuf *m, rte_edge_t edge,
		enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	graph_spec_put(s, m, edge);
}

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module graph_module;

#endif /* FERRY_GRAPH_H */
