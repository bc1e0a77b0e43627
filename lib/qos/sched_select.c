/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which leaf sends next, in O(depth x log(children)) per packet.
 *
 * Each node is in one of three states from its own buckets: CAN (rate
 * and ceil tokens left), MAY (ceil only: it may borrow) or CANT (ceil
 * spent). A state changes only when the node is charged (it is on the
 * path of a sent packet) or when time refills a negative bucket past
 * zero, at a time known in advance: those nodes wait in a timer heap.
 *
 * Every node keeps a summary of its subtree, two keys:
 *   within: the best backlogged leaf below whose lender is at or below
 *           this node (key: lender level, priority, virtual time);
 *   above:  the best backlogged leaf below that still needs a lender
 *           above this node (every node on its way up here is MAY).
 * A node combines its children's keys from two indexed heaps (one per
 * key) and its own state: CANT hides its subtree (a ceil on the path is
 * spent), CAN lends to what needs a lender (level = its own), MAY passes
 * it up. The root's `within` is the next leaf, exactly the rule of
 * sched.c's header. A send, an enqueue that backlogs a leaf or a timer
 * re-computes the summaries on one path to the root.
 */
#include "sched_priv.h"

enum { QOS_CAN, QOS_MAY, QOS_CANT };

static const struct qos_key key_none = { .leaf = -1 };

static bool
key_before(const struct qos_key *a, const struct qos_key *b)
{
	if (b->leaf < 0 || a->lvl != b->lvl)
		return b->leaf < 0 || a->lvl < b->lvl;
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return (int64_t)(a->vtime - b->vtime) < 0;
}

/* ---- indexed binary heaps of a node's children (by within / above) */

static struct qos_key *
hkey(struct qos_sched *s, uint32_t i, int w)
{
	return w ? &s->nodes[i].within : &s->nodes[i].above;
}

static int32_t *
hpos(struct qos_sched *s, uint32_t i, int w)
{
	return w ? &s->nodes[i].wpos : &s->nodes[i].apos;
}

static void
hput(struct qos_sched *s, uint32_t *h, uint32_t at, uint32_t i, int w)
{
	h[at] = i;
	*hpos(s, i, w) = (int32_t)at;
}

static void
sift(struct qos_sched *s, uint32_t *h, uint32_t n, uint32_t at, int w)
{
	uint32_t i = h[at], up, l, best;

	while (at > 0 && key_before(hkey(s, i, w), hkey(s, h[up = (at - 1) / 2],
							 w))) {
		hput(s, h, at, h[up], w);
		at = up;
	}
	for (;;) {
		l = 2 * at + 1;
		if (l >= n)
			break;
		best = l + 1 < n && key_before(hkey(s, h[l + 1], w),
					       hkey(s, h[l], w)) ? l + 1 : l;
		if (!key_before(hkey(s, h[best], w), hkey(s, i, w)))
			break;
		hput(s, h, at, h[best], w);
		at = best;
	}
	hput(s, h, at, i, w);
}

/* Child @p i's key @p w changed: insert, move or remove it in its
 * parent's heap. */
static void
heap_set(struct qos_sched *s, uint32_t i, int w)
{
	struct qos_node *p = &s->nodes[s->nodes[i].parent];
	uint32_t *h = w ? p->wheap : p->aheap;
	uint32_t *n = w ? &p->wn : &p->an;
	int32_t *pos = hpos(s, i, w);
	uint32_t at;

	if (hkey(s, i, w)->leaf < 0) {
		if (*pos < 0)
			return;
		at = (uint32_t)*pos;
		*pos = -1;
		if (at == --*n)
			return;
		hput(s, h, at, h[*n], w);
		sift(s, h, *n, at, w);
		return;
	}
	if (*pos < 0)
		hput(s, h, (*n)++, i, w);
	sift(s, h, *n, (uint32_t)*pos, w);
}

/* ---- timers: when a negative bucket crosses zero */

static bool
wakes_before(const struct qos_sched *s, uint32_t a, uint32_t b)
{
	return (int64_t)(s->nodes[a].wake - s->nodes[b].wake) < 0;
}

static void
tput(struct qos_sched *s, uint32_t at, uint32_t i)
{
	s->timers[at] = i;
	s->nodes[i].tpos = (int32_t)at;
}

static void
tsift(struct qos_sched *s, uint32_t at)
{
	uint32_t i = s->timers[at], up, l, best;

	while (at > 0 && wakes_before(s, i, s->timers[up = (at - 1) / 2])) {
		tput(s, at, s->timers[up]);
		at = up;
	}
	for (;;) {
		l = 2 * at + 1;
		if (l >= s->n_timers)
			break;
		best = l + 1 < s->n_timers &&
		       wakes_before(s, s->timers[l + 1], s->timers[l]) ? l + 1 : l;
		if (!wakes_before(s, s->timers[best], i))
			break;
		tput(s, at, s->timers[best]);
		at = best;
	}
	tput(s, at, i);
}

static void
timer_del(struct qos_sched *s, struct qos_node *c)
{
	uint32_t at = (uint32_t)c->tpos;

	c->tpos = -1;
	if (at == --s->n_timers)
		return;
	tput(s, at, s->timers[s->n_timers]);
	tsift(s, at);
}

/* Recompute @p i's state from its (refilled) buckets and arm or clear
 * its timer. @return true if the state changed. */
bool
qos_state_update(struct qos_sched *s, uint32_t i)
{
	struct qos_node *c = &s->nodes[i];
	uint8_t old = c->state;
	int64_t neg;

	c->state = c->ctokens < 0 ? QOS_CANT : c->tokens < 0 ? QOS_MAY :
							       QOS_CAN;
	if (c->state == QOS_CAN) {
		if (c->tpos >= 0)
			timer_del(s, c);
		return old != c->state;
	}
	/* CANT: wake when ceil tokens reach 0 (then maybe again later for
	 * the rate bucket); MAY: when rate tokens reach 0. */
	neg = c->state == QOS_CANT ? c->ctokens : c->tokens;
	c->wake = c->t_last + (((uint64_t)-neg + (1ull << QOS_FP) - 1) >>
			       QOS_FP);
	if (c->tpos < 0)
		tput(s, s->n_timers++, i);
	tsift(s, (uint32_t)c->tpos);
	return old != c->state;
}

/* ---- summaries */

static void
leaf_key(const struct qos_node *c, uint32_t i, struct qos_key *k)
{
	k->leaf = (int32_t)i;
	k->lvl = 0;
	k->prio = c->prio;
	k->vtime = c->vtime;
}

static void
summarize(struct qos_sched *s, uint32_t i)
{
	struct qos_node *c = &s->nodes[i];
	struct qos_key w = key_none, a = key_none;

	if (c->leaf) {
		if (c->active_pos >= 0)
			leaf_key(c, i, c->state == QOS_CAN ? &w : &a);
	} else {
		if (c->wn > 0)
			w = s->nodes[c->wheap[0]].within;
		if (c->an > 0)
			a = s->nodes[c->aheap[0]].above;
	}
	if (c->state == QOS_CANT) {
		w = key_none;
		a = key_none;
	} else if (c->state == QOS_CAN && a.leaf >= 0) {
		/* Leaves below lend from lower levels first: a `within`
		 * below always has a lower level than this node. */
		if (w.leaf < 0) {
			w = a;
			w.lvl = c->level;
		}
		a = key_none;
	}
	c->within = w;
	c->above = a;
}

void
qos_path_update(struct qos_sched *s, uint32_t i)
{
	for (;;) {
		summarize(s, i);
		if (s->nodes[i].parent < 0)
			return;
		heap_set(s, i, 1);
		heap_set(s, i, 0);
		i = (uint32_t)s->nodes[i].parent;
	}
}

void
qos_summaries_rebuild(struct qos_sched *s)
{
	uint32_t i;

	for (i = 0; i < s->n_nodes; i++) {
		s->nodes[i].wn = 0;
		s->nodes[i].an = 0;
		s->nodes[i].wpos = -1;
		s->nodes[i].apos = -1;
	}
	/* Parents come before their children: go backwards. */
	for (i = s->n_nodes; i-- > 1;) {
		summarize(s, i);
		heap_set(s, i, 1);
		heap_set(s, i, 0);
	}
	summarize(s, 0);
}

void
qos_timers_run(struct qos_sched *s, uint64_t now)
{
	while (s->n_timers > 0 &&
	       (int64_t)(s->nodes[s->timers[0]].wake - now) <= 0) {
		uint32_t i = s->timers[0];

		/* Refilled to `now`, the bucket is past zero, or the timer
		 * is re-armed at least 1 ns later (state_update): the loop
		 * always makes progress. */
		qos_refill(&s->nodes[i], now);
		if (qos_state_update(s, i))
			qos_path_update(s, i);
	}
}
