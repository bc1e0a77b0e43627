/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Workers: build one rte_graph per worker lcore from the config, launch
 * them, stop them. The worker loop is the whole fast path's driver: walk
 * the graph, report an RCU quiescent state, repeat.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "graph_priv.h"
#include "ferry_log.h"

FERRY_LOG_REGISTER(graph_logtype, graph, NOTICE);
#define GRAPH_LOG(level, fmt, ...) \
	FERRY_LOG(graph_logtype, graph, level, fmt, ##__VA_ARGS__)

#define PUNT_RING_SIZE 4096
#define INJECT_RING_SIZE 1024

static struct worker workers[GRAPH_WORKER_MAX];
static unsigned int n_workers;
static struct rte_ring *punt_ring;
static struct rte_rcu_qsbr *rcu;
static volatile bool workers_stop;
static uint64_t control_drops[DROP_MAX];

unsigned int
graph_worker_count(void)
{
	return n_workers;
}

struct worker *
graph_worker(unsigned int idx)
{
	return idx < n_workers ? &workers[idx] : NULL;
}

struct worker *
graph_worker_of(const struct rte_graph *graph)
{
	int idx = pkt_graph_worker_index(graph->name);

	return idx < 0 ? NULL : graph_worker((unsigned int)idx);
}

struct rte_rcu_qsbr *
graph_rcu(void)
{
	return rcu;
}

struct rte_ring *
graph_punt_ring(void)
{
	return punt_ring;
}

static int
rcu_create(void)
{
	size_t sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);

	rcu = rte_zmalloc("ferry_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (rcu == NULL)
		return -ENOMEM;
	return rte_rcu_qsbr_init(rcu, RTE_MAX_LCORE);
}

static int
rings_create(void)
{
	char name[RTE_RING_NAMESIZE];
	unsigned int i;

	punt_ring = rte_ring_create("ferry_punt", PUNT_RING_SIZE,
				    rte_socket_id(), RING_F_SC_DEQ);
	if (punt_ring == NULL)
		return -rte_errno;
	for (i = 0; i < n_workers; i++) {
		snprintf(name, sizeof(name), "ferry_inject%u", i);
		workers[i].inject = rte_ring_create(name, INJECT_RING_SIZE,
			rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (workers[i].inject == NULL)
			return -rte_errno;
	}
	return 0;
}

int
graph_workers_init(const struct cfg_model *model)
{
	const struct cfg_array *list = cfg_model_section(model, "workers");
	const struct cfg_array *ports = port_conf_list(model);
	const struct worker_conf *wc = list->items;
	unsigned int i, j;
	const char *why;
	int p, rc;

	for (i = 0; i < list->n; i++) {
		struct worker *w = &workers[i];

		w->lcore = wc[i].lcore;
		w->index = i;
		w->n_rx = wc[i].rx.n;
		for (j = 0; j < wc[i].rx.n; j++) {
			const char *s = (const char *)wc[i].rx.items +
					j * GRAPH_QUEUE_NAME_LEN;

			/* Checked at load time; cannot fail here. */
			if (graph_queue_parse(ports, s, &p, &w->rx[j].queue,
					      &why) < 0)
				return -EINVAL;
			w->rx[j].port_idx = (uint16_t)p;
		}
	}
	n_workers = list->n;
	rc = rcu_create();
	return rc == 0 ? rings_create() : rc;
}

#define GRAPH_EXTRA_SOURCES 4
static const char *extra_sources[GRAPH_EXTRA_SOURCES];
static unsigned int n_extra_sources;

int
graph_source_add(const char *name)
{
	if (n_extra_sources == GRAPH_EXTRA_SOURCES)
		return -ENOSPC;
	extra_sources[n_extra_sources++] = name;
	return 0;
}

static int
worker_graph_create(struct worker *w)
{
	char names[PORT_MAX * PORT_QUEUE_MAX + 1][RTE_NODE_NAMESIZE];
	const char *patterns[PORT_MAX * PORT_QUEUE_MAX + 1 +
			     GRAPH_EXTRA_SOURCES];
	unsigned int k;
	struct rte_graph_param prm = { 0 };
	char gname[RTE_GRAPH_NAMESIZE];
	unsigned int i;

	for (i = 0; i < w->n_rx; i++) {
		port_rx_node_name(w->rx[i].port_idx, w->rx[i].queue, names[i],
				  sizeof(names[i]));
		patterns[i] = names[i];
	}
	patterns[i++] = GRAPH_INJECT_NODE;
	for (k = 0; k < n_extra_sources; k++)
		patterns[i++] = extra_sources[k];
	prm.socket_id = (int)rte_lcore_to_socket_id(w->lcore);
	prm.nb_node_patterns = i;
	prm.node_patterns = patterns;
	snprintf(gname, sizeof(gname), PKT_GRAPH_PREFIX "%u", w->index);
	w->graph_id = rte_graph_create(gname, &prm);
	if (w->graph_id == RTE_GRAPH_ID_INVALID) {
		GRAPH_LOG(ERR, "cannot create graph %s for lcore %u: %s",
			  gname, w->lcore, rte_strerror(rte_errno));
		return -rte_errno ? -rte_errno : -EINVAL;
	}
	w->graph = rte_graph_lookup(gname);
	return 0;
}

int
graph_build(void)
{
	unsigned int i;
	int rc;

	if (port_tx_edges_add(rte_node_from_name(GRAPH_INJECT_NODE)) !=
	    INJECT_NEXT_TX0)
		return -EINVAL;
	for (i = 0; i < n_workers; i++) {
		rc = worker_graph_create(&workers[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_graph *graph = w->graph;

	rte_rcu_qsbr_thread_register(rcu, w->lcore);
	rte_rcu_qsbr_thread_online(rcu, w->lcore);
	while (!__atomic_load_n(&workers_stop, __ATOMIC_RELAXED)) {
		rte_graph_walk(graph);
		rte_rcu_qsbr_quiescent(rcu, w->lcore);
	}
	rte_rcu_qsbr_thread_offline(rcu, w->lcore);
	rte_rcu_qsbr_thread_unregister(rcu, w->lcore);
	return 0;
}

int
graph_launch(void)
{
	unsigned int i;
	int rc;

	workers_stop = false;
	for (i = 0; i < n_workers; i++) {
		rc = rte_eal_remote_launch(worker_main, &workers[i],
					   workers[i].lcore);
		if (rc < 0) {
			GRAPH_LOG(ERR, "cannot launch worker on lcore %u: %s",
				  workers[i].lcore, rte_strerror(-rc));
			graph_stop();
			return rc;
		}
	}
	return 0;
}

void
graph_stop(void)
{
	__atomic_store_n(&workers_stop, true, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
}

static void
ring_drain_free(struct rte_ring *r)
{
	void *m;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, &m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(r);
}

void
graph_teardown(void)
{
	unsigned int i;

	for (i = 0; i < n_workers; i++) {
		if (workers[i].graph != NULL)
			rte_graph_destroy(workers[i].graph_id);
		workers[i].graph = NULL;
		ring_drain_free(workers[i].inject);
		workers[i].inject = NULL;
	}
	ring_drain_free(punt_ring);
	punt_ring = NULL;
	rte_free(rcu);
	rcu = NULL;
}

int
graph_inject(unsigned int idx, struct rte_mbuf *m)
{
	if (idx >= n_workers || workers[idx].inject == NULL)
		return -EINVAL;
	return rte_ring_enqueue(workers[idx].inject, m) == 0 ? 0 : -ENOBUFS;
}

int
graph_inject_by(uint32_t key, struct rte_mbuf *m)
{
	if (n_workers == 0)
		return -ENODEV;
	return graph_inject(key % n_workers, m);
}

void
graph_control_drop(struct rte_mbuf *m, enum drop_reason r)
{
	control_drops[r < DROP_MAX ? r : DROP_NONE]++;
	rte_pktmbuf_free(m);
}

uint64_t
graph_control_drops(enum drop_reason r)
{
	return r < DROP_MAX ? control_drops[r] : 0;
}

uint64_t
graph_drops_total(enum drop_reason r)
{
	uint64_t sum = graph_control_drops(r);
	unsigned int i;

	for (i = 0; i < n_workers && r < DROP_MAX; i++)
		sum += workers[i].stats.drops[r];
	return sum;
}
