/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The incremental choice of sched_select.c against the rule written out
 * by brute force (sched.c's header): for random nested trees, random
 * backlogs and random poll times, every packet must come from a leaf
 * whose (lender level, priority, virtual time) is the best of all
 * backlogged leaves at that moment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sched_priv.h"

#define N_CLASSES 24
#define MBIT 1000000ull

/* The rule: lender level of a leaf, -1 if it may not send. */
static int
lender(const struct qos_sched *s, uint32_t leaf)
{
	int lvl = -1;
	int32_t i;

	for (i = (int32_t)leaf; i >= 0; i = s->nodes[i].parent) {
		if (s->nodes[i].ctokens < 0)
			return -1;
		if (lvl < 0 && s->nodes[i].tokens >= 0)
			lvl = s->nodes[i].level;
	}
	return lvl;
}

static bool
key_lt(int la, const struct qos_node *a, int lb, const struct qos_node *b)
{
	if (la != lb)
		return la < lb;
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return (int64_t)(a->vtime - b->vtime) < 0;
}

/* A random tree: each class under the port or an earlier class, rates
 * a share of the parent's, ceils between rate and the parent's ceil. */
static void
random_tree(struct qos_class_params *c, unsigned int seed)
{
	uint64_t left[N_CLASSES + 1];
	uint32_t depth[N_CLASSES + 1] = { 0 };
	uint32_t i, par;

	srand(seed);
	left[0] = 100 * MBIT;
	for (i = 0; i < N_CLASSES; i++) {
		uint64_t pceil, rate;

		par = (uint32_t)rand() % (i + 1);
		if (depth[par] >= 5 || left[par] < 64000)
			par = 0;
		pceil = par == 0 ? 100 * MBIT : c[par - 1].ceil;
		rate = left[par] / 8 + 8000;
		left[par] -= rate;
		c[i] = (struct qos_class_params){
			.id = i + 1, .parent = par, .rate = rate,
			.ceil = rate + (uint64_t)rand() % (pceil - rate + 1),
			.prio = (uint32_t)rand() % 3, .queue_limit = 32 };
		left[i + 1] = rate;
		depth[i + 1] = depth[par] + 1;
	}
}

static void
one_run(unsigned int seed)
{
	struct qos_class_params c[N_CLASSES];
	struct qos_sched_params p = { 100 * MBIT, 24, 1500, 500, 0,
				      N_CLASSES, c };
	struct qos_sched *s;
	uint64_t now = 0;
	uint32_t i, k, checked = 0;
	void *obj;

	random_tree(c, seed);
	for (i = N_CLASSES; i-- > 0;) {
		for (k = 0; k < N_CLASSES && c[k].parent != i + 1; k++)
			;
		if (k == N_CLASSES) {
			p.default_class = i + 1; /* a leaf */
			break;
		}
	}
	{
		char why[128];
		int bad;

		if (qos_sched_params_check(&p, &bad, why, sizeof(why)) < 0)
			fail_msg("seed %u: class %d: %s", seed, bad, why);
	}
	s = qos_sched_create(&p, 0);
	assert_non_null(s);
	for (k = 0; k < 20000; k++) {
		uint32_t best = 0, leaf;
		int best_lvl = -1, lvl_of[N_CLASSES + 1];
		uint64_t vt_of[N_CLASSES + 1];

		if (rand() % 4 == 0) {
			leaf = qos_sched_leaf(s, 1 + (uint32_t)rand() % N_CLASSES);
			qos_sched_enqueue(s, leaf, (void *)(uintptr_t)leaf,
					  64 + (uint32_t)rand() % 1400);
		}
		now += (uint64_t)rand() % 20000;
		for (i = 0; i < s->n_nodes; i++)
			qos_refill(&s->nodes[i], now);
		for (i = 0; i < s->n_active; i++) {
			uint32_t l = s->active[i];
			int lvl = lender(s, l);

			lvl_of[l] = lvl;
			vt_of[l] = s->nodes[l].vtime;
			if (lvl >= 0 && (best_lvl < 0 ||
			    key_lt(lvl, &s->nodes[l], best_lvl,
				   &s->nodes[best])))
				best = l, best_lvl = lvl;
		}
		if (qos_sched_dequeue(s, now, &obj, 1) == 0) {
			if (best_lvl >= 0)
				fail_msg("seed %u step %u: nothing sent, leaf "
					 "%u could", seed, k, best);
			continue;
		}
		leaf = (uint32_t)(uintptr_t)obj;
		if (best_lvl < 0)
			fail_msg("seed %u step %u: leaf %u sent, none may",
				 seed, k, leaf);
		/* the sent leaf's key before the send equals the best */
		if (leaf != best && (lvl_of[leaf] != best_lvl ||
				     s->nodes[leaf].prio != s->nodes[best].prio ||
				     vt_of[leaf] != vt_of[best]))
			fail_msg("seed %u step %u: leaf %u (level %d) sent, %u "
				 "(level %d) is first", seed, k, leaf,
				 lvl_of[leaf], best, best_lvl);
		checked++;
	}
	assert_true(checked > 1000);
	while (qos_sched_drain(s, &obj, 1) > 0)
		;
	qos_sched_free(s);
}

static void
incremental_choice_follows_the_rule(void **state)
{
	unsigned int seed;

	(void)state;
	for (seed = 1; seed <= 20; seed++)
		one_run(seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(incremental_choice_follows_the_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
