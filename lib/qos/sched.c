/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler's algorithm (HTB's, see doc/qos.md):
 *
 *  - every class, and the port as the root, has a rate bucket and a
 *    ceil bucket; a leaf whose path to the root has every ceil bucket
 *    non-negative may send, lent by the lowest class on that path whose
 *    rate bucket is non-negative (itself when within its own rate);
 *  - the leaf with the closest lender wins (level 0 = its own rate, so
 *    guarantees come first), then the lowest priority number, then the
 *    smallest virtual time: borrowed bytes advance a leaf's virtual time
 *    by bytes / rate, so spare bandwidth is shared in proportion to the
 *    rates (start-time fair queueing, exact where DRR is quantum-coarse);
 *  - sending charges every ceil bucket on the path and the rate buckets
 *    from the lender up (a borrower's own rate bucket is not charged,
 *    as in HTB), so the port's bucket is the port shaper.
 *
 * The choice is kept incrementally (sched_select.c): O(depth x
 * log(children)) per packet; doc/qos.md has the figures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched_priv.h"


static uint64_t
cost_of(uint64_t rate_bps)
{
	/* ns per byte = 8e9 / rate, in QOS_FP fixed point. */
	return (8000000000ull << QOS_FP) / rate_bps;
}

/* Bucket depth: burst_us of sending at the bucket's rate (buckets hold
 * time), at least two full frames so a bucket never stalls a frame. The
 * same time for every bucket keeps the shares after a stall. */
static int64_t
depth_of(uint64_t cost, uint32_t frame, uint32_t burst_us)
{
	uint64_t t = (uint64_t)burst_us * 1000 << QOS_FP;
	uint64_t two_frames = 2ull * frame * cost;

	return (int64_t)(t > two_frames ? t : two_frames);
}

static void
node_rates_set(struct qos_node *c, uint64_t rate, uint64_t ceil,
	       uint32_t frame, uint32_t burst_us)
{
	c->cost = cost_of(rate);
	c->ccost = cost_of(ceil);
	c->buffer = depth_of(c->cost, frame, burst_us);
	c->cbuffer = depth_of(c->ccost, frame, burst_us);
	if (c->tokens > c->buffer)
		c->tokens = c->buffer;
	if (c->ctokens > c->cbuffer)
		c->ctokens = c->cbuffer;
}

static uint32_t
pow2_at_least(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

static int
leaf_queue_alloc(struct qos_node *c, uint32_t limit)
{
	uint32_t cap = pow2_at_least(limit);

	c->objs = calloc(cap, sizeof(*c->objs));
	c->lens = calloc(cap, sizeof(*c->lens));
	if (c->objs == NULL || c->lens == NULL)
		return -ENOMEM;
	c->mask = cap - 1;
	c->limit = limit;
	return 0;
}

static void
tree_build(struct qos_sched *s, const struct qos_sched_params *p,
	   uint64_t now)
{
	uint32_t frame = p->mtu + p->overhead;
	uint8_t depth[QOS_CLASSES_MAX + 1];
	uint32_t i;

	s->nodes[0].parent = -1;
	s->nodes[0].level = QOS_DEPTH_MAX;
	depth[0] = 0;
	node_rates_set(&s->nodes[0], p->rate, p->rate, frame, p->burst_us);
	for (i = 1; i < s->n_nodes; i++) {
		const struct qos_class_params *cp = &p->classes[i - 1];
		int par = qos_params_parent(p, i - 1);

		s->nodes[i].parent = par + 1; /* -1 (port) becomes node 0 */
		s->nodes[i].prio = (uint8_t)cp->prio;
		s->nodes[i].leaf = true;
		s->nodes[i].active_pos = -1;
		depth[i] = (uint8_t)(depth[par + 1] + 1);
		s->nodes[par + 1].leaf = false;
		s->nodes[par + 1].n_children++;
		node_rates_set(&s->nodes[i], cp->rate, cp->ceil, frame,
			       p->burst_us);
	}
	s->nodes[0].leaf = false;
	for (i = 0; i < s->n_nodes; i++) {
		struct qos_node *c = &s->nodes[i];

		c->level = c->leaf ? 0 : (uint8_t)(QOS_DEPTH_MAX - depth[i]);
		c->tokens = c->buffer;
		c->ctokens = c->cbuffer;
		c->t_last = now;
		c->tpos = -1;
	}
}

/* Heaps of each inner node's children, and the timers. */
static int
select_alloc(struct qos_sched *s)
{
	uint32_t i;

	s->timers = calloc(s->n_nodes, sizeof(*s->timers));
	if (s->timers == NULL)
		return -ENOMEM;
	for (i = 0; i < s->n_nodes; i++) {
		struct qos_node *c = &s->nodes[i];

		if (c->leaf)
			continue;
		c->wheap = calloc(c->n_children, sizeof(*c->wheap));
		c->aheap = calloc(c->n_children, sizeof(*c->aheap));
		if (c->wheap == NULL || c->aheap == NULL)
			return -ENOMEM;
	}
	qos_summaries_rebuild(s);
	return 0;
}

struct qos_sched *
qos_sched_create(const struct qos_sched_params *p, uint64_t now)
{
	struct qos_sched *s;
	char why[128];
	uint32_t i;
	int bad;

	if (qos_sched_params_check(p, &bad, why, sizeof(why)) < 0) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s) + (p->n_classes + 1) * sizeof(s->nodes[0]));
	if (s == NULL)
		goto nomem;
	s->n_nodes = p->n_classes + 1;
	s->overhead = p->overhead;
	s->mtu = p->mtu;
	s->active = calloc(s->n_nodes, sizeof(*s->active));
	if (s->active == NULL)
		goto free_sched;
	tree_build(s, p, now);
	for (i = 1; i < s->n_nodes; i++) {
		const struct qos_class_params *cp = &p->classes[i - 1];

		if (cp->id == p->default_class)
			s->default_leaf = i;
		if (!s->nodes[i].leaf)
			continue;
		s->by_id[cp->id] = (uint16_t)i;
		if (leaf_queue_alloc(&s->nodes[i], cp->queue_limit) < 0)
			goto free_sched;
	}
	if (select_alloc(s) < 0)
		goto free_sched;
	return s;
free_sched:
	qos_sched_free(s);
nomem:
	errno = ENOMEM;
	return NULL;
}

void
qos_sched_free(struct qos_sched *s)
{
	uint32_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_nodes; i++) {
		free(s->nodes[i].objs);
		free(s->nodes[i].lens);
		free(s->nodes[i].wheap);
		free(s->nodes[i].aheap);
	}
	free(s->timers);
	free(s->active);
	free(s);
}

uint32_t
qos_sched_leaf(const struct qos_sched *s, uint32_t class_id)
{
	uint32_t leaf = class_id <= QOS_CLASS_ID_MAX ? s->by_id[class_id] : 0;

	return leaf != 0 ? leaf : s->default_leaf;
}

uint64_t
qos_sched_wire_len(const struct qos_sched *s, uint32_t len)
{
	return (uint64_t)len + s->overhead;
}

int
qos_sched_enqueue(struct qos_sched *s, uint32_t leaf, void *obj,
		  uint32_t len)
{
	struct qos_node *c = &s->nodes[leaf];

	if (c->tail - c->head >= c->limit) {
		c->st.drops++;
		return -ENOBUFS;
	}
	c->objs[c->tail & c->mask] = obj;
	c->lens[c->tail & c->mask] = len;
	c->tail++;
	c->st.enq_pkts++;
	if (c->active_pos < 0) {
		/* SFQ: a newly backlogged leaf starts at the current
		 * virtual time, not with credit saved while idle. */
		if ((int64_t)(c->vtime - s->vnow) < 0)
			c->vtime = s->vnow;
		c->active_pos = (int32_t)s->n_active;
		s->active[s->n_active++] = leaf;
		qos_path_update(s, leaf);
	}
	return 0;
}

static void
leaf_deactivate(struct qos_sched *s, struct qos_node *c)
{
	uint32_t moved = s->active[--s->n_active];

	s->active[c->active_pos] = moved;
	s->nodes[moved].active_pos = c->active_pos;
	c->active_pos = -1;
}

static void *
leaf_pop(struct qos_sched *s, struct qos_node *c, uint32_t *len)
{
	void *obj = c->objs[c->head & c->mask];

	*len = c->lens[c->head & c->mask];
	c->head++;
	if (c->head == c->tail)
		leaf_deactivate(s, c);
	return obj;
}

void
qos_refill(struct qos_node *c, uint64_t now)
{
	uint64_t el = now - c->t_last;
	int64_t add;

	if ((int64_t)el <= 0)
		return;
	c->t_last = now;
	if (el > QOS_ELAPSED_MAX)
		el = QOS_ELAPSED_MAX;
	add = (int64_t)(el << QOS_FP);
	c->tokens = c->tokens + add > c->buffer ? c->buffer : c->tokens + add;
	c->ctokens = c->ctokens + add > c->cbuffer ? c->cbuffer :
						     c->ctokens + add;
}

/* Charge a send on the path, refilled first; the lender's level decides
 * which rate buckets pay (HTB: not the borrowers'). */
static void
charge(struct qos_sched *s, uint32_t leaf, int lvl, uint64_t wire,
       uint64_t now)
{
	struct qos_node *l = &s->nodes[leaf];
	int32_t i;

	if (lvl > 0) {
		s->vnow = l->vtime;
		l->vtime += l->cost * wire;
	}
	for (i = (int32_t)leaf; i >= 0; i = s->nodes[i].parent) {
		struct qos_node *c = &s->nodes[i];

		qos_refill(c, now);
		c->ctokens -= (int64_t)(c->ccost * wire);
		if (c->level >= lvl)
			c->tokens -= (int64_t)(c->cost * wire);
		c->st.sent_pkts++;
		c->st.sent_bytes += wire;
		qos_state_update(s, (uint32_t)i);
	}
}

uint32_t
qos_sched_dequeue(struct qos_sched *s, uint64_t now, void **objs,
		  uint32_t max)
{
	uint32_t n = 0, len, leaf;

	qos_timers_run(s, now);
	while (n < max && s->nodes[0].within.leaf >= 0) {
		leaf = (uint32_t)s->nodes[0].within.leaf;
		objs[n++] = leaf_pop(s, &s->nodes[leaf], &len);
		if (s->nodes[leaf].active_pos < 0)
			s->nodes[leaf].idle_since = now;
		charge(s, leaf, s->nodes[0].within.lvl,
		       (uint64_t)len + s->overhead, now);
		qos_path_update(s, leaf);
		qos_timers_run(s, now);
	}
	return n;
}

uint32_t
qos_sched_drain(struct qos_sched *s, void **objs, uint32_t max)
{
	uint32_t n = 0, len;

	while (n < max && s->n_active > 0)
		objs[n++] = leaf_pop(s, &s->nodes[s->active[0]], &len);
	qos_summaries_rebuild(s);
	return n;
}

/* One leaf's queue into another, in order, while there is room. */
static uint32_t
leaf_move(struct qos_sched *to, uint32_t dst, struct qos_sched *from,
	  struct qos_node *c)
{
	uint32_t n = 0, len;
	void *obj;

	while (c->head != c->tail) {
		obj = c->objs[c->head & c->mask];
		len = c->lens[c->head & c->mask];
		if (qos_sched_enqueue(to, dst, obj, len) < 0) {
			to->nodes[dst].st.drops--; /* not dropped: stays */
			break;
		}
		leaf_pop(from, c, &len);
		n++;
	}
	return n;
}

uint32_t
qos_sched_move(struct qos_sched *to, struct qos_sched *from)
{
	uint32_t id, n = 0;

	for (id = 1; id <= QOS_CLASS_ID_MAX && from->n_active > 0; id++)
		if (from->by_id[id] != 0 && to->by_id[id] != 0)
			n += leaf_move(to, to->by_id[id], from,
				       &from->nodes[from->by_id[id]]);
	qos_summaries_rebuild(from);
	return n;
}

/* Same ids, parents and no queue bigger than its memory. */
static bool
same_tree(const struct qos_sched *s, const struct qos_sched_params *p)
{
	uint32_t i;

	if (p->n_classes + 1 != s->n_nodes)
		return false;
	for (i = 0; i < p->n_classes; i++) {
		const struct qos_node *c = &s->nodes[i + 1];

		if (qos_params_parent(p, i) + 1 != c->parent ||
		    (c->leaf && s->by_id[p->classes[i].id] != i + 1) ||
		    (c->leaf && p->classes[i].queue_limit > c->mask + 1))
			return false;
	}
	return true;
}

int
qos_sched_update(struct qos_sched *s, const struct qos_sched_params *p)
{
	uint32_t frame = p->mtu + p->overhead;
	char why[128];
	uint32_t i;
	int bad;

	if (qos_sched_params_check(p, &bad, why, sizeof(why)) < 0 ||
	    !same_tree(s, p) || p->mtu != s->mtu)
		return -EINVAL;
	s->overhead = p->overhead;
	node_rates_set(&s->nodes[0], p->rate, p->rate, frame, p->burst_us);
	for (i = 0; i < p->n_classes; i++) {
		struct qos_node *c = &s->nodes[i + 1];

		c->prio = (uint8_t)p->classes[i].prio;
		if (c->leaf)
			c->limit = p->classes[i].queue_limit;
		node_rates_set(c, p->classes[i].rate, p->classes[i].ceil,
			       frame, p->burst_us);
		if (p->classes[i].id == p->default_class)
			s->default_leaf = i + 1;
	}
	/* Depths and priorities changed: states, timers, summaries anew. */
	for (i = 0; i < s->n_nodes; i++)
		qos_state_update(s, i);
	qos_summaries_rebuild(s);
	return 0;
}

uint32_t
qos_sched_leaf_qlen(const struct qos_sched *s, uint32_t leaf,
		    uint64_t *idle_since)
{
	const struct qos_node *c = &s->nodes[leaf];

	*idle_since = c->idle_since;
	return c->tail - c->head;
}

uint32_t
qos_sched_queued(const struct qos_sched *s)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->n_active; i++)
		n += s->nodes[s->active[i]].tail - s->nodes[s->active[i]].head;
	return n;
}

uint32_t
qos_sched_n_classes(const struct qos_sched *s)
{
	return s->n_nodes - 1;
}

static bool
descends(const struct qos_sched *s, uint32_t i, uint32_t anc)
{
	int32_t j;

	for (j = (int32_t)i; j >= 0; j = s->nodes[j].parent)
		if ((uint32_t)j == anc)
			return true;
	return false;
}

void
qos_sched_class_stats(const struct qos_sched *s, uint32_t i,
		      struct qos_class_stats *st)
{
	uint32_t node = i + 1, j;

	memset(st, 0, sizeof(*st));
	st->sent_pkts = s->nodes[node].st.sent_pkts;
	st->sent_bytes = s->nodes[node].st.sent_bytes;
	/* Leaves count arrivals; a parent's are its leaves' sum. */
	for (j = 1; j < s->n_nodes; j++) {
		const struct qos_node *c = &s->nodes[j];

		if (!c->leaf || !descends(s, j, node))
			continue;
		st->enq_pkts += c->st.enq_pkts;
		st->drops += c->st.drops;
		st->qlen += c->tail - c->head;
	}
}
