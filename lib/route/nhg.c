/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ECMP next-hop groups: up to ROUTE_PATHS_MAX paths (adjacencies) with
 * weights, shared by every route with the same paths (a BGP feed has
 * few distinct groups and many prefixes). A route points at the group
 * through an ADJ_T_NHG adjacency; ferry_ip4_lookup picks the path of a
 * packet's flow (nhg.h).
 *
 * A group is written once, before any FIB entry can lead to it, and
 * never changed while workers may read it: a route whose paths change
 * gets another group in one FIB store. A group that no route uses any
 * more is reused only once every worker has passed a quiescent state
 * since it was seen unused (rte_rcu_qsbr_start/check on graph_rcu()), so
 * a worker that read the old FIB entry never sees the group rewritten.
 * The neighbours of a group's gateways are pinned (route_nbr_pin()):
 * ARP keeps asking for a gateway that no flow reaches while it is
 * unresolved, so a path that comes back is used again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_rcu_qsbr.h>

#include "route_priv.h"

struct nhg nhg_table[NHG_MAX];

/* The paths that identify a group (paths sorted by adjacency). */
struct nhg_key {
	uint32_t adj[ROUTE_PATHS_MAX];
	uint8_t weight[ROUTE_PATHS_MAX];
	uint32_t n;
};

/* Control-plane state of a group (management lcore only). */
static struct {
	struct nhg_key key;
	uint32_t adj;      /* its ADJ_T_NHG adjacency */
	uint32_t pin[ROUTE_PATHS_MAX]; /* pinned neighbour slots */
	uint64_t token;    /* RCU token once seen unused; 0 = none */
	uint8_t used;
} nhg_ctl[NHG_MAX];

static struct rte_hash *nhg_index; /* key -> group */
static uint32_t nhg_cursor;        /* where the next free slot search starts */

static int
nhg_index_create(void)
{
	struct rte_hash_parameters p = {
		.name = "ferry_nhg",
		.entries = NHG_MAX,
		.key_len = sizeof(struct nhg_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
	};

	nhg_index = rte_hash_create(&p);
	return nhg_index == NULL ? -ENOMEM : 0;
}

void
nhg_free_all(void)
{
	unsigned int i, k;

	for (i = 0; i < NHG_MAX; i++)
		for (k = 0; nhg_ctl[i].used && k < nhg_ctl[i].key.n; k++)
			if (nhg_ctl[i].pin[k] != ROUTE_NBR_NONE)
				route_nbr_unpin(nhg_ctl[i].pin[k]);
	rte_hash_free(nhg_index);
	nhg_index = NULL;
	memset(nhg_ctl, 0, sizeof(nhg_ctl));
	memset(nhg_table, 0, sizeof(nhg_table));
	nhg_cursor = 0;
}

/* Sort paths by adjacency so one set of paths is one group. */
static void
key_make(struct nhg_key *k, const uint32_t *adj, const uint8_t *w,
	 unsigned int n)
{
	unsigned int i, j;

	memset(k, 0, sizeof(*k));
	k->n = n;
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && k->adj[j - 1] > adj[i]; j--) {
			k->adj[j] = k->adj[j - 1];
			k->weight[j] = k->weight[j - 1];
		}
		k->adj[j] = adj[i];
		k->weight[j] = w[i];
	}
}

/* Whether slot @p i may be (re)used now; starts its grace period the
 * first time it is seen unused. */
static bool
slot_free(uint32_t i)
{
	struct rte_rcu_qsbr *rcu = graph_rcu();

	if (!nhg_ctl[i].used)
		return true;
	if (adj_table[nhg_ctl[i].adj].refcnt != 0) {
		nhg_ctl[i].token = 0; /* in use: a later grace starts anew */
		return false;
	}
	if (nhg_ctl[i].token == 0) {
		nhg_ctl[i].token = rcu ? rte_rcu_qsbr_start(rcu) : 1;
		return rcu == NULL;
	}
	return rcu == NULL ||
	       rte_rcu_qsbr_check(rcu, nhg_ctl[i].token, false) == 1;
}

static void
slot_release(uint32_t i)
{
	unsigned int k;

	if (!nhg_ctl[i].used)
		return;
	rte_hash_del_key(nhg_index, &nhg_ctl[i].key);
	for (k = 0; k < nhg_ctl[i].key.n; k++)
		if (nhg_ctl[i].pin[k] != ROUTE_NBR_NONE)
			route_nbr_unpin(nhg_ctl[i].pin[k]);
	nhg_ctl[i].used = 0;
}

static int
slot_find(void)
{
	uint32_t n, i;

	for (n = 0; n < NHG_MAX; n++) {
		i = (nhg_cursor + n) % NHG_MAX;
		if (slot_free(i)) {
			nhg_cursor = (i + 1) % NHG_MAX;
			slot_release(i);
			return (int)i;
		}
	}
	return -ENOSPC;
}

/*
 * Slots in proportion to the weights (each path at least one), so that
 * a flow hash modulo the slot count picks a path with the path's share.
 */
static void
buckets_fill(struct nhg *g, const struct nhg_key *k)
{
	unsigned int i, j, sum = 0, share, b = 0;

	for (i = 0; i < k->n; i++)
		sum += k->weight[i];
	for (i = 0; i < k->n; i++) {
		share = RTE_MAX(1u, k->weight[i] * NHG_BUCKETS / sum);
		for (j = 0; j < share; j++)
			g->bucket[b++] = (uint8_t)i;
	}
	g->n_buckets = (uint8_t)b;
}

static void
paths_pin(uint32_t i)
{
	const struct nhg_key *k = &nhg_ctl[i].key;
	unsigned int p;

	for (p = 0; p < k->n; p++) {
		const struct adj *a = &adj_table[k->adj[p]];

		nhg_ctl[i].pin[p] = a->type == ADJ_T_NEXTHOP ?
				    route_nbr_pin(a->iface, a->gw) :
				    ROUTE_NBR_NONE;
	}
}

/* Write group @p i for @p k; its adjacency is made last. */
static int
slot_fill(uint32_t i, const struct nhg_key *k)
{
	struct nhg *g = &nhg_table[i];
	int adj;

	g->n_paths = (uint8_t)k->n;
	memcpy(g->adj, k->adj, sizeof(g->adj));
	buckets_fill(g, k);
	/* the group is complete before a FIB entry can lead to it */
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	adj = route_adj_get(ADJ_T_NHG, 0, i);
	if (adj < 0)
		return adj;
	nhg_ctl[i].key = *k;
	nhg_ctl[i].adj = (uint32_t)adj;
	nhg_ctl[i].token = 0;
	nhg_ctl[i].used = 1;
	paths_pin(i);
	return rte_hash_add_key_data(nhg_index, k,
				     (void *)(uintptr_t)i) < 0 ? -ENOSPC : adj;
}

int
nhg_adj_get(const uint32_t *adj, const uint8_t *weight, unsigned int n)
{
	struct nhg_key k;
	void *data;
	int i;

	if (n < 1 || n > ROUTE_PATHS_MAX)
		return -EINVAL;
	if (nhg_index == NULL && nhg_index_create() < 0)
		return -ENOMEM;
	key_make(&k, adj, weight, n);
	if (rte_hash_lookup_data(nhg_index, &k, &data) >= 0) {
		i = (int)(uintptr_t)data;
		nhg_ctl[i].token = 0; /* used again: no grace period running */
		return (int)nhg_ctl[i].adj;
	}
	i = slot_find();
	return i < 0 ? i : slot_fill((uint32_t)i, &k);
}

void
nhg_format(uint32_t idx, char *buf, size_t len)
{
	const struct nhg *g = &nhg_table[idx % NHG_MAX];
	size_t off = 0;
	unsigned int p;

	buf[0] = '\0';
	for (p = 0; p < g->n_paths && off < len; p++) {
		char one[64];

		adj_format(&adj_table[g->adj[p]], one, sizeof(one));
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					p ? ", " : "", one);
	}
}
