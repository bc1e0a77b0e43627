/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process-pointer wrapper of node_hook.h. One table of original
 * process functions, by node id, serves every graph: a node's copies in
 * all graphs share their registration's function (clones share their
 * parent's).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>

#include "graph.h"
#include "node_hook.h"

/* Edges whose new packets the wrapper reports; ferry's nodes have a
 * handful plus one per port. */
#define HOOK_EDGES_MAX (PORT_MAX + 32)

static rte_node_process_t orig[NODE_HOOK_NODES];
static unsigned int n_wrapped;
static struct node_hook *hooks[NODE_HOOK_MAX]; /* read by workers */

int
node_hook_select(struct node_hook *h, rte_node_t id)
{
	if (id >= NODE_HOOK_NODES)
		return -ERANGE;
	h->nodes[id / 64] |= 1ull << (id % 64);
	return 0;
}

void
node_hook_select_all(struct node_hook *h)
{
	memset(h->nodes, 0xff, sizeof(h->nodes));
}

static inline bool
watches(const struct node_hook *h, rte_node_t id)
{
	return (h->nodes[id / 64] >> (id % 64)) & 1;
}

static uint16_t
hook_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	     uint16_t cnt)
{
	uint16_t before[HOOK_EDGES_MAX];
	unsigned int n_edges = RTE_MIN(node->nb_edges, HOOK_EDGES_MAX);
	unsigned int e, k;
	struct node_hook *h;
	uint16_t rc;

	for (e = 0; e < n_edges; e++)
		before[e] = node->nodes[e]->idx;
	for (k = 0; k < NODE_HOOK_MAX; k++) {
		h = __atomic_load_n(&hooks[k], __ATOMIC_ACQUIRE);
		if (h != NULL && h->before != NULL && watches(h, node->id))
			h->before(h, node, objs, cnt);
	}
	rc = orig[node->id](graph, node, objs, cnt);
	for (e = 0; e < n_edges; e++) {
		struct rte_node *next = node->nodes[e];

		if (next->idx <= before[e])
			continue;
		for (k = 0; k < NODE_HOOK_MAX; k++) {
			h = __atomic_load_n(&hooks[k], __ATOMIC_ACQUIRE);
			if (h != NULL && h->after != NULL &&
			    watches(h, node->id))
				h->after(h, node, next, &next->objs[before[e]],
					 next->idx - before[e], cnt == 0);
		}
	}
	return rc;
}

static bool
wanted(rte_node_t id)
{
	unsigned int k;

	for (k = 0; k < NODE_HOOK_MAX; k++)
		if (hooks[k] != NULL && watches(hooks[k], id))
			return true;
	return false;
}

/* Point every graph's copy of every node at the wrapper or back at its
 * own function, as the attached hooks want. */
static void
wrappers_update(void)
{
	rte_node_t id, max = RTE_MIN(rte_node_max_count(),
				     (rte_node_t)NODE_HOOK_NODES);
	unsigned int w;

	n_wrapped = 0;
	for (w = 0; w < graph_worker_count(); w++) {
		for (id = 0; id < max; id++) {
			struct rte_node *n = rte_graph_node_get(
				graph_worker(w)->graph_id, id);
			rte_node_process_t p;

			if (n == NULL)
				continue;
			if (n->process != hook_process)
				orig[id] = n->process;
			p = wanted(id) ? hook_process : orig[id];
			__atomic_store_n(&n->process, p, __ATOMIC_RELEASE);
			n_wrapped += p == hook_process;
		}
	}
}

int
node_hook_attach(struct node_hook *h)
{
	unsigned int k, i;
	bool any = false;

	for (i = 0; i < RTE_DIM(h->nodes); i++)
		any |= h->nodes[i] != 0;
	if (!any)
		return -EINVAL;
	for (k = 0; k < NODE_HOOK_MAX && hooks[k] != NULL; k++)
		;
	if (k == NODE_HOOK_MAX)
		return -EBUSY;
	__atomic_store_n(&hooks[k], h, __ATOMIC_RELEASE);
	wrappers_update();
	return 0;
}

void
node_hook_detach(struct node_hook *h)
{
	unsigned int k;

	for (k = 0; k < NODE_HOOK_MAX; k++)
		if (hooks[k] == h)
			__atomic_store_n(&hooks[k], NULL, __ATOMIC_RELEASE);
	wrappers_update();
	/* A worker may still be inside h: wait until each has reported a
	 * quiescent state (they do after every graph walk). */
	if (graph_rcu() != NULL)
		rte_rcu_qsbr_synchronize(graph_rcu(), RTE_QSBR_THRID_INVALID);
}

unsigned int
node_hook_wrapped(void)
{
	return n_wrapped;
}

bool
node_hook_active(void)
{
	unsigned int k;

	for (k = 0; k < NODE_HOOK_MAX; k++)
		if (hooks[k] != NULL)
			return true;
	return false;
}
