/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Node hooks: see what a graph node is given and where it sends each
 * packet, without any node knowing. rte_graph_walk() calls every node
 * through the process pointer of the node's copy in each worker's graph
 * (struct rte_node.process); attaching a hook swaps that pointer for a
 * wrapper, detaching puts the original back. With no hook attached the
 * graphs run their own functions: zero cost.
 *
 * The wrapper, on a worker, for a hooked node:
 *   1. notes how many packets each next node already holds,
 *   2. calls before(objs, cnt): what the node is given,
 *   3. calls the node's own process function,
 *   4. calls after(next, objs, cnt) per edge for the packets the node
 *      just enqueued to it (a packet the node transmitted or freed
 *      appears on no edge).
 * before() may read and mark the packets; after() must not touch a
 * packet it did not see in before() of a later node's wrapper unless
 * it is one of @p objs (those are alive: they sit in the next node).
 *
 * Source nodes (rx) are called with nothing: only after() matters.
 *
 * Threads: attach/detach on the management lcore; detach returns once
 * no worker can still be inside a hook (RCU: graph_rcu()).
 */
#ifndef FERRY_NODE_HOOK_H
#define FERRY_NODE_HOOK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_graph.h>
#include <rte_graph_worker.h>

/** Node ids a hook can select (ferry has a few dozen nodes). */
#define NODE_HOOK_NODES 256
/** Hooks attached at once (packet trace and node capture). */
#define NODE_HOOK_MAX 4

struct node_hook {
	/** The packets @p node is about to process (may be NULL). */
	void (*before)(struct node_hook *h, const struct rte_node *node,
		       void **objs, uint16_t cnt);
	/**
	 * Packets @p node just enqueued to @p next (may be NULL).
	 * @p source: @p node is a source node (rx, inject); rte_graph
	 * calls only those with no packets, so the wrapper tells them
	 * apart by that.
	 */
	void (*after)(struct node_hook *h, const struct rte_node *node,
		      const struct rte_node *next, void **objs,
		      uint16_t cnt, bool source);
	/** Bit per node id: which nodes this hook watches. */
	uint64_t nodes[NODE_HOOK_NODES / 64];
};

/** Watch node @p id (before attaching). @return 0 or -ERANGE. */
int node_hook_select(struct node_hook *h, rte_node_t id);

/** Watch every node (packet trace). */
void node_hook_select_all(struct node_hook *h);

/**
 * Start calling @p h on every worker's graph. The struct must stay
 * until node_hook_detach() returns.
 * @return 0, -EBUSY (NODE_HOOK_MAX attached) or -EINVAL (no node).
 */
int node_hook_attach(struct node_hook *h);

/** Stop calling @p h; on return no worker is inside it. */
void node_hook_detach(struct node_hook *h);

/** True if any hook is attached (for tests). */
bool node_hook_active(void);

/** Node copies (over all graphs) running the wrapper now; 0 when no
 *  hook is attached: the graphs run their own functions. */
unsigned int node_hook_wrapped(void);

#endif /* FERRY_NODE_HOOK_H */
