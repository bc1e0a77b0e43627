/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Index pools for the tables workers read (NHLFEs, LSPs, impositions).
 * An index taken out of a published table may still be in a worker's
 * hands until that worker passes a quiescent state, so it goes through
 * an rte_rcu_qsbr defer queue on lib/graph's RCU variable and comes back
 * (and its release hook clears it) only after a grace period. Without
 * an RCU variable (no workers) it comes back at once. Management lcore
 * only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "mpls_priv.h"

static void
pool_push(struct mpls_pool *p, uint32_t idx)
{
	if (p->release != NULL)
		p->release(idx);
	p->free[p->n_free++] = idx;
}

/* Defer queue callback: the grace period of these indexes is over. */
static void
pool_reclaimed(void *arg, void *elems, unsigned int n)
{
	struct mpls_pool *p = arg;
	const uint32_t *idx = elems;
	unsigned int i;

	for (i = 0; i < n; i++)
		pool_push(p, idx[i]);
}

int
mpls_pool_init(struct mpls_pool *p, const char *name, uint32_t size,
	       void (*release)(uint32_t idx))
{
	struct rte_rcu_qsbr_dq_parameters prm = {
		.name = name,
		.size = size,
		.esize = sizeof(uint32_t),
		.trigger_reclaim_limit = 0, /* try at every put */
		.max_reclaim_size = size,
		.free_fn = pool_reclaimed,
		.p = p,
		.v = graph_rcu(),
	};
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->free = rte_malloc(name, sizeof(*p->free) * size, 0);
	if (p->free == NULL)
		return -ENOMEM;
	p->size = size;
	p->release = release;
	/* Handed out lowest first: small tables stay in few cache lines. */
	for (i = size - 1; i > 0; i--)
		p->free[p->n_free++] = i;
	if (prm.v == NULL)
		return 0;
	p->dq = rte_rcu_qsbr_dq_create(&prm);
	return p->dq == NULL ? -rte_errno : 0;
}

uint32_t
mpls_pool_get(struct mpls_pool *p)
{
	unsigned int freed, pending, avail;

	if (p->n_free == 0 && p->dq != NULL)
		rte_rcu_qsbr_dq_reclaim(p->dq, p->size, &freed, &pending,
					&avail);
	return p->n_free == 0 ? 0 : p->free[--p->n_free];
}

void
mpls_pool_put(struct mpls_pool *p, uint32_t idx)
{
	unsigned int freed, pending, avail;

	if (idx == 0 || idx >= p->size)
		return;
	/* The queue holds as many as the pool: it cannot be full. */
	if (p->dq == NULL || rte_rcu_qsbr_dq_enqueue(p->dq, &idx) != 0) {
		pool_push(p, idx);
		return;
	}
	/* What is past its grace period comes back now (with no worker
	 * online, this one too); the rest at a later put or get. */
	rte_rcu_qsbr_dq_reclaim(p->dq, p->size, &freed, &pending, &avail);
}

void
mpls_pool_fini(struct mpls_pool *p)
{
	/* Workers are stopped: everything queued is reclaimed here. */
	if (p->dq != NULL)
		rte_rcu_qsbr_dq_delete(p->dq);
	rte_free(p->free);
	memset(p, 0, sizeof(*p));
}
