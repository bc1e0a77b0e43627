/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Set-up and teardown of the scheduled ports, live changes handed to the
 * owner lcore, and the management lcore's rate sampling.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "graph.h"
#include "module.h"
#include "qos_priv.h"

FERRY_LOG_REGISTER(qos_logtype, qos, NOTICE);

struct qos_port_rt *qos_ports[PORT_MAX];
struct cfg_model *qos_model;

/* qos_enqueue_node.c */
rte_node_t qos_enq_clone(const char *port_name);

static struct qos_policer *
policer_new(const struct qos_conf *qc, const char *name, uint64_t tsc)
{
	const struct qos_policer_cfg *pc = qos_policer_cfg_find(qc, name);
	struct qos_policer_conf c;
	struct qos_policer *p;

	if (pc == NULL)
		return NULL;
	p = calloc(1, sizeof(*p));
	qos_policer_conf_from_cfg(pc, &c);
	if (p != NULL && qos_policer_init(p, &c, tsc) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
rt_free(struct qos_port_rt *q)
{
	struct rte_mbuf *m[QOS_BURST];
	uint32_t i, n;

	if (q == NULL)
		return;
	while (q->sched != NULL &&
	       (n = qos_sched_drain(q->sched, (void **)m, QOS_BURST)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	while (q->ring != NULL &&
	       (n = rte_ring_dequeue_burst(q->ring, (void **)m, QOS_BURST,
					   NULL)) > 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(q->ring);
	for (i = 0; q->class_pol != NULL && q->sched != NULL &&
		    i <= qos_sched_n_classes(q->sched); i++)
		free(q->class_pol[i]);
	free(q->class_pol);
	for (i = 0; q->red != NULL && q->sched != NULL &&
		    i <= qos_sched_n_classes(q->sched); i++)
		free(q->red[i]);
	free(q->red);
	free(q->port_pol);
	qos_sched_free(q->sched);
	free(q->last_bytes);
	free(q->rate_bps);
	free(q);
}

static int
rt_policers(struct qos_port_rt *q, const struct qos_conf *qc,
	    const struct qos_port_cfg *pc, uint64_t tsc)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i;

	q->class_pol = calloc(pc->classes.n + 1, sizeof(*q->class_pol));
	if (q->class_pol == NULL)
		return -ENOMEM;
	if (pc->policer[0] != '\0' &&
	    (q->port_pol = policer_new(qc, pc->policer, tsc)) == NULL)
		return -ENOMEM;
	for (i = 0; i < pc->classes.n; i++)
		if (cc[i].policer[0] != '\0' &&
		    (q->class_pol[i + 1] = policer_new(qc, cc[i].policer,
						       tsc)) == NULL)
			return -ENOMEM;
	return 0;
}

/* RED per class that asks for it; thresholds checked with the file. */
static int
rt_red(struct qos_port_rt *q, const struct qos_port_cfg *pc)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i;

	q->red = calloc(pc->classes.n + 1, sizeof(*q->red));
	if (q->red == NULL)
		return -ENOMEM;
	q->red_mult = ((pc->rate / 8) << 20) / 1000000000ull;
	for (i = 0; i < pc->classes.n; i++) {
		struct qos_red *r;

		if (cc[i].red_max == 0)
			continue;
		r = calloc(1, sizeof(*r));
		q->red[i + 1] = r;
		if (r == NULL || rte_red_rt_data_init(&r->rt) != 0 ||
		    rte_red_config_init(&r->cfg, (uint16_t)cc[i].red_wq_log2,
					(uint16_t)cc[i].red_min,
					(uint16_t)cc[i].red_max,
					(uint16_t)cc[i].red_maxp_inv) != 0)
			return -EINVAL;
	}
	return 0;
}

/* What the owner's data path reads (scheduler, policers, RED, DSCP
 * map) and the management lcore's rate arrays, all from @p pc: made at
 * start and again whole by qos_port_rebuild(). */
static int
rt_build(struct qos_port_rt *q, const struct qos_conf *qc,
	 const struct qos_port_cfg *pc, uint64_t tsc)
{
	struct qos_class_params cls[QOS_CLASSES_MAX];
	struct qos_sched_params p;
	char why[128];
	unsigned int bad;

	qos_params_from_cfg(pc, port_get(q->port_idx)->mtu, &p, cls);
	q->sched = qos_sched_create(&p, qos_now_ns(q, tsc));
	q->last_bytes = calloc(pc->classes.n, sizeof(uint64_t));
	q->rate_bps = calloc(pc->classes.n, sizeof(uint64_t));
	if (q->sched == NULL || q->last_bytes == NULL || q->rate_bps == NULL ||
	    rt_policers(q, qc, pc, tsc) < 0 || rt_red(q, pc) < 0 ||
	    qos_dscp_map_build(pc, q->dscp_class, &bad, why, sizeof(why)) < 0)
		return -ENOMEM;
	return 0;
}

static struct qos_port_rt *
rt_create(const struct qos_conf *qc, const struct qos_port_cfg *pc,
	  unsigned int idx)
{
	const struct port *port = port_get(idx);
	struct qos_port_rt *q = calloc(1, sizeof(*q));
	char name[RTE_RING_NAMESIZE];

	if (q == NULL)
		return NULL;
	q->port_idx = idx;
	q->port_id = port->port_id;
	q->owner = idx % graph_worker_count();
	q->txq = (uint16_t)q->owner;
	q->ns_mult = (1000000000ull << 32) / rte_get_tsc_hz();
	snprintf(name, sizeof(name), "qos_%.24s", port->name);
	q->ring = rte_ring_create(name, QOS_RING_SIZE, SOCKET_ID_ANY,
				  RING_F_SC_DEQ);
	if (q->ring == NULL || rt_build(q, qc, pc, rte_rdtsc()) < 0) {
		rt_free(q);
		return NULL;
	}
	return q;
}

int
qos_setup(struct cfg_model *model)
{
	struct qos_conf *qc = cfg_model_section(model, "qos");
	const struct qos_port_cfg *pc = qc->ports.items;
	char node[RTE_NODE_NAMESIZE];
	unsigned int i;
	int idx, rc;

	qos_model = model;
	rc = qos_stats_setup();
	if (rc < 0 || qc->ports.n == 0)
		return rc;
	if (graph_worker_count() == 0)
		return -ENODEV;
	for (i = 0; i < qc->ports.n; i++) {
		idx = port_find(pc[i].port);
		if (idx < 0)
			return -ENODEV;
		qos_ports[idx] = rt_create(qc, &pc[i], (unsigned int)idx);
		if (qos_ports[idx] == NULL) {
			QOS_LOG(ERR, "%s: cannot build the scheduler: %s",
				pc[i].port, strerror(errno));
			return -ENOMEM;
		}
		if (qos_enq_clone(pc[i].port) == RTE_NODE_ID_INVALID)
			return -ENOMEM;
		snprintf(node, sizeof(node), "%s-%s", QOS_ENQ_NODE,
			 pc[i].port);
		rc = port_tx_divert((unsigned int)idx, node);
		if (rc < 0)
			return rc;
	}
	return graph_source_add(QOS_SCHED_NODE);
}

/* Unlike rt_free(), which frees what is left silently, each held
 * packet is counted where the operator sees it. */
static unsigned int
rt_flush(struct qos_port_rt *q)
{
	struct rte_mbuf *m[QOS_BURST];
	unsigned int n = 0;
	uint32_t i, got;

	while ((got = qos_sched_drain(q->sched, (void **)m, QOS_BURST)) > 0)
		for (i = 0; i < got; i++, n++)
			graph_control_drop(m[i], DROP_QOS_STOPPED);
	while ((got = rte_ring_dequeue_burst(q->ring, (void **)m, QOS_BURST,
					     NULL)) > 0)
		for (i = 0; i < got; i++, n++)
			graph_control_drop(m[i], DROP_QOS_STOPPED);
	return n;
}

unsigned int
qos_flush(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PORT_MAX; i++)
		if (qos_ports[i] != NULL)
			n += rt_flush(qos_ports[i]);
	return n;
}

void
qos_teardown(void)
{
	unsigned int i;

	for (i = 0; i < PORT_MAX; i++) {
		rt_free(qos_ports[i]);
		qos_ports[i] = NULL;
	}
}

/* Owner lcore, between two bursts: the queues of the classes both
 * trees have move to the new scheduler, then the data path's pointers
 * change places with @p next's, which the management lcore frees. */
static void
rt_swap(struct qos_port_rt *q, struct qos_port_rt *next)
{
	struct qos_port_rt old = *q;

	qos_sched_move(next->sched, q->sched);
	q->sched = next->sched;
	q->port_pol = next->port_pol;
	q->class_pol = next->class_pol;
	q->red = next->red;
	q->red_mult = next->red_mult;
	memcpy(q->dscp_class, next->dscp_class, sizeof(q->dscp_class));
	next->sched = old.sched;
	next->port_pol = old.port_pol;
	next->class_pol = old.class_pol;
	next->red = old.red;
}

void
qos_pending_apply(struct qos_port_rt *q)
{
	struct qos_update *u;

	if (likely(__atomic_load_n(&q->pending, __ATOMIC_RELAXED) == NULL))
		return;
	u = __atomic_exchange_n(&q->pending, NULL, __ATOMIC_ACQ_REL);
	if (u == NULL)
		return;
	if (u->next != NULL)
		rt_swap(q, u->next);
	else
		u->rc = qos_sched_update(q->sched, &u->params);
	__atomic_store_n(&u->done, true, __ATOMIC_RELEASE);
}

#define QOS_UPDATE_WAIT_US 1000000

/* Hand @p u to the owner, wait until it was applied (at most a second).
 * @return its result, or -ETIMEDOUT (nothing changed). Frees @p u. */
static int
update_send(struct qos_port_rt *q, struct qos_update *u)
{
	struct qos_update *expect = u;
	unsigned int waited;
	int rc;

	__atomic_store_n(&q->pending, u, __ATOMIC_RELEASE);
	for (waited = 0; waited < QOS_UPDATE_WAIT_US &&
	     !__atomic_load_n(&u->done, __ATOMIC_ACQUIRE); waited += 100)
		rte_delay_us_sleep(100);
	/* Not taken by the owner (workers stopped?): take it back. If it
	 * was taken meanwhile, the owner finishes it in a moment. */
	if (__atomic_compare_exchange_n(&q->pending, &expect, NULL, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(u);
		return -ETIMEDOUT;
	}
	while (!__atomic_load_n(&u->done, __ATOMIC_ACQUIRE))
		rte_pause();
	rc = u->rc;
	free(u);
	return rc;
}

int
qos_port_update(struct qos_port_rt *q, const struct qos_sched_params *p)
{
	struct qos_update *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return -ENOMEM;
	u->params = *p;
	return update_send(q, u);
}

/* Management lcore: the old tree's leftovers (classes gone, queues
 * shrunk) are dropped where the operator sees them. */
static void
rt_retire(struct qos_port_rt *old)
{
	struct rte_mbuf *m[QOS_BURST];
	uint32_t i, got;

	while (old->sched != NULL &&
	       (got = qos_sched_drain(old->sched, (void **)m,
				      QOS_BURST)) > 0)
		for (i = 0; i < got; i++)
			graph_control_drop(m[i], DROP_QOS_CLASS_REMOVED);
	rt_free(old);
}

int
qos_port_rebuild(struct qos_port_rt *q, const struct qos_conf *qc,
		 const struct qos_port_cfg *pc)
{
	struct qos_port_rt *next = calloc(1, sizeof(*next));
	struct qos_update *u = calloc(1, sizeof(*u));
	uint64_t *swap;
	int rc;

	if (next == NULL || u == NULL) {
		free(next);
		free(u);
		return -ENOMEM;
	}
	next->port_idx = q->port_idx;
	next->ns_mult = q->ns_mult;
	u->next = next;
	rc = rt_build(next, qc, pc, rte_rdtsc());
	if (rc == 0)
		rc = update_send(q, u);
	else
		free(u);
	if (rc == 0) { /* the rate arrays are the management lcore's own */
		swap = q->last_bytes;
		q->last_bytes = next->last_bytes;
		next->last_bytes = swap;
		swap = q->rate_bps;
		q->rate_bps = next->rate_bps;
		next->rate_bps = swap;
		q->last_ms = 0;
	}
	rt_retire(next);
	return rc;
}

unsigned int
qos_held(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PORT_MAX; i++)
		if (qos_ports[i] != NULL)
			n += rte_ring_count(qos_ports[i]->ring) +
			     qos_sched_queued(qos_ports[i]->sched);
	return n;
}

#define QOS_SAMPLE_MS 1000

void
qos_control_poll(uint64_t now_ms)
{
	struct qos_class_stats st;
	unsigned int i, j;

	for (i = 0; i < PORT_MAX; i++) {
		struct qos_port_rt *q = qos_ports[i];
		uint64_t dt;

		if (q == NULL || now_ms - q->last_ms < QOS_SAMPLE_MS)
			continue;
		dt = now_ms - q->last_ms;
		for (j = 0; j < qos_sched_n_classes(q->sched); j++) {
			qos_sched_class_stats(q->sched, j, &st);
			q->rate_bps[j] = q->last_ms == 0 ? 0 :
				(st.sent_bytes - q->last_bytes[j]) * 8000 / dt;
			q->last_bytes[j] = st.sent_bytes;
		}
		q->last_ms = now_ms;
	}
}

static void
qos_stopped(void)
{
	qos_flush();
}

const struct ferry_module qos_module = {
	.name = "QoS",
	.sections = (const struct cfg_section *const[]){ &qos_cfg_section,
							 NULL },
	.setup = qos_setup,
	.cli_register = qos_cli_register,
	.control_poll = qos_control_poll,
	.stopped = qos_stopped, /* held packets count as drops, not vanish */
	.teardown = qos_teardown,
};
