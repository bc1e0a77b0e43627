/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Recording a packet trace (see trace.h). A traced packet carries
 * "generation << 16 | id" in an mbuf dynamic field; the generation
 * changes with every `trace add`, so a mark left in a recycled mbuf by
 * an earlier trace is never mistaken for one of this trace. Source
 * nodes write the field of every packet they emit (0 when not chosen),
 * so packets entering a graph carry no stale mark either.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_rcu_qsbr.h>

#include "node_hook.h"
#include "pkt.h"
#include "trace_priv.h"

struct trace_worker {
	struct trace_rec rec[TRACE_RECS_PER_WORKER];
	uint32_t n;     /* published with release: management reads */
	uint32_t lost;  /* records that did not fit */
} __rte_cache_aligned;

static struct trace_worker workers[GRAPH_WORKER_MAX];
static struct trace_pkt pkts[TRACE_PKTS_MAX];
static int16_t worker_of_lcore[RTE_MAX_LCORE];
static int tag_off = -1;     /* dynamic field offset */
static uint32_t gen;         /* upper 16 bits of this trace's marks */
static uint32_t want, taken; /* taken: atomic, may pass want */
static struct trace_filter filter;
static struct node_hook hook;
static bool attached;
static bool draining;        /* all chosen: waiting for the walk to end */
static uint64_t drain_token;

static inline uint32_t *
tag_of(void *m)
{
	return RTE_MBUF_DYNFIELD((struct rte_mbuf *)m, tag_off, uint32_t *);
}

static inline uint16_t
traced(void *m)
{
	uint32_t t = *tag_of(m);

	return t >> 16 == gen ? (uint16_t)(t & 0xffff) : 0;
}

/* Record a step; @p m (TREC_NEXT) gives the decision's snapshot. */
static void
rec_add(uint16_t id, rte_node_t node, rte_node_t next, uint8_t kind,
	struct rte_mbuf *m)
{
	struct trace_worker *w = &workers[worker_of_lcore[rte_lcore_id()]];
	uint32_t n = w->n;
	struct trace_rec *r;

	if (n == TRACE_RECS_PER_WORKER) {
		w->lost++;
		return;
	}
	r = &w->rec[n];
	r->tsc = rte_rdtsc();
	r->pkt = id;
	r->node = node;
	r->next = next;
	r->kind = kind;
	r->drop = m != NULL ? pkt_md(m)->drop : 0;
	r->snap_len = 0;
	if (m != NULL) {
		r->md = *pkt_md(m);
		r->snap_len = RTE_MIN(m->data_len,
				      (uint16_t)TRACE_SNAP_BYTES);
		memcpy(r->snap, rte_pktmbuf_mtod(m, uint8_t *), r->snap_len);
	}
	__atomic_store_n(&w->n, n + 1, __ATOMIC_RELEASE);
}

/* A source node emitted @p m: choose it or clear its mark. */
static uint16_t
choose(struct rte_mbuf *m)
{
	uint32_t id;
	struct trace_pkt *p;

	*tag_of(m) = 0;
	if (__atomic_load_n(&taken, __ATOMIC_RELAXED) >= want ||
	    !trace_filter_match(&filter, rte_pktmbuf_mtod(m, uint8_t *),
				m->data_len))
		return 0;
	id = __atomic_add_fetch(&taken, 1, __ATOMIC_RELAXED);
	if (id > want)
		return 0;
	p = &pkts[id - 1];
	p->worker = (uint16_t)worker_of_lcore[rte_lcore_id()];
	p->port = m->port;
	p->pkt_len = m->pkt_len;
	p->head_len = RTE_MIN(m->data_len, (uint16_t)TRACE_HEAD_BYTES);
	memcpy(p->head, rte_pktmbuf_mtod(m, uint8_t *), p->head_len);
	*tag_of(m) = gen << 16 | id;
	return (uint16_t)id;
}

static void
trace_before(struct node_hook *h, const struct rte_node *node, void **objs,
	     uint16_t cnt)
{
	uint16_t i, id;

	RTE_SET_USED(h);
	for (i = 0; i < cnt; i++) {
		id = traced(objs[i]);
		if (id != 0)
			rec_add(id, node->id, 0, TREC_VISIT, NULL);
	}
}

static void
trace_after(struct node_hook *h, const struct rte_node *node,
	    const struct rte_node *next, void **objs, uint16_t cnt,
	    bool source)
{
	uint16_t i, id;

	RTE_SET_USED(h);
	for (i = 0; i < cnt; i++) {
		if (source) {
			id = choose(objs[i]);
			if (id != 0)
				rec_add(id, node->id, 0, TREC_VISIT, NULL);
		} else {
			id = traced(objs[i]);
		}
		if (id != 0)
			rec_add(id, node->id, next->id, TREC_NEXT, objs[i]);
	}
}

int
trace_setup(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "ferry_trace_tag",
		.size = sizeof(uint32_t),
		.align = __alignof__(uint32_t),
	};
	unsigned int w;

	tag_off = rte_mbuf_dynfield_register(&desc);
	if (tag_off < 0)
		return -rte_errno;
	memset(worker_of_lcore, 0, sizeof(worker_of_lcore));
	for (w = 0; w < graph_worker_count(); w++)
		worker_of_lcore[graph_worker(w)->lcore] = (int16_t)w;
	hook.before = trace_before;
	hook.after = trace_after;
	node_hook_select_all(&hook);
	return 0;
}

void
trace_stop(void)
{
	if (attached)
		node_hook_detach(&hook);
	attached = false;
	draining = false;
}

void
trace_teardown(void)
{
	trace_stop();
}

void
trace_clear(void)
{
	unsigned int w;

	trace_stop();
	for (w = 0; w < GRAPH_WORKER_MAX; w++) {
		workers[w].n = 0;
		workers[w].lost = 0;
	}
	memset(pkts, 0, sizeof(pkts));
	memset(&filter, 0, sizeof(filter));
	want = 0;
	__atomic_store_n(&taken, 0, __ATOMIC_RELAXED);
}

int
trace_start(uint32_t n, const struct trace_filter *f)
{
	int rc;

	if (n == 0 || n > TRACE_PKTS_MAX || tag_off < 0)
		return -EINVAL;
	trace_clear();
	filter = *f;
	want = n;
	gen = (gen + 1) & 0xffff;
	if (gen == 0)
		gen = 1;
	rc = node_hook_attach(&hook);
	attached = rc == 0;
	return rc;
}

void
trace_poll(void)
{
	struct rte_rcu_qsbr *rcu = graph_rcu();

	if (!attached || __atomic_load_n(&taken, __ATOMIC_RELAXED) < want)
		return;
	/* The last packet was chosen: let every worker finish the walk it
	 * is in (the packet's whole path), then take the hooks off. */
	if (!draining) {
		drain_token = rte_rcu_qsbr_start(rcu);
		draining = true;
		return;
	}
	if (rte_rcu_qsbr_check(rcu, drain_token, false) == 1)
		trace_stop();
}

void
trace_view_get(struct trace_view *v)
{
	uint32_t t = __atomic_load_n(&taken, __ATOMIC_ACQUIRE);

	v->want = want;
	v->chosen = RTE_MIN(t, want);
	v->running = attached;
	v->filter = filter;
}

const struct trace_pkt *
trace_pkt_get(uint32_t id)
{
	return id >= 1 && id <= RTE_MIN(want, (uint32_t)TRACE_PKTS_MAX) ?
	       &pkts[id - 1] : NULL;
}

const struct trace_rec *
trace_recs(unsigned int w, uint32_t *n, uint32_t *lost)
{
	if (w >= GRAPH_WORKER_MAX) {
		*n = 0;
		*lost = 0;
		return NULL;
	}
	*n = __atomic_load_n(&workers[w].n, __ATOMIC_ACQUIRE);
	*lost = workers[w].lost;
	return workers[w].rec;
}

#include "module.h"

/* After the graphs: it hooks their nodes. */
static int
trace_module_start(const struct cfg_model *model)
{
	RTE_SET_USED(model);
	return trace_setup();
}

static void
trace_control_poll(uint64_t now_ms)
{
	RTE_SET_USED(now_ms);
	trace_poll();
}

const struct ferry_module trace_module = {
	.name = "trace",
	.cli_register = trace_cli_register,
	.start = trace_module_start,
	.control_poll = trace_control_poll,
	.teardown = trace_teardown,
};
