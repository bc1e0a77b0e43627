/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scheduler on virtual time: the HTB acceptance experiment (a
 * 10 Mbit/s port, classes of rate 3, 1 and 6 Mbit/s, ceil 10) with every
 * share within 2% over a 1-second window, plus ceilings, nesting,
 * priorities, tail drop and live rate changes. Frames of different
 * sizes per class show that shares are counted in wire bytes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"

#define MBIT 1000000ull
#define NS 1000000000ull
#define STEP_NS 20000ull   /* the owner polls every 20 us */
#define BACKLOG 48         /* saturated: never fewer queued */
#define STALL_EVERY_NS 100000000ull

/* The owner lcore held up for this long every 100 ms (0: never). */
static uint64_t stall_ns;

static const uint32_t frame_len[] = { 1500, 300, 800, 1000, 1000 };

struct sim {
	struct qos_sched *s;
	uint32_t n;            /* classes fed */
	uint32_t ids[4];       /* class ids */
	uint32_t idx[4];       /* their config index (for stats) */
	bool on[4];
	uint64_t bytes[4];     /* wire bytes sent in the window */
};

static void
params_htb(struct qos_sched_params *p, struct qos_class_params *c,
	   uint64_t ceil1)
{
	memset(p, 0, sizeof(*p));
	p->rate = 10 * MBIT;
	p->overhead = 24;
	p->mtu = 1500;
	p->burst_us = 1000;
	p->default_class = 1;
	p->n_classes = 3;
	p->classes = c;
	c[0] = (struct qos_class_params){ 1, 0, 3 * MBIT, ceil1, 0, 64 };
	c[1] = (struct qos_class_params){ 2, 0, 1 * MBIT, 10 * MBIT, 0, 64 };
	c[2] = (struct qos_class_params){ 3, 0, 6 * MBIT, 10 * MBIT, 0, 64 };
}

/* Objects carry their slot so the test knows who was sent. */
static void
feed(struct sim *sm)
{
	struct qos_class_stats st;
	uint32_t k;

	for (k = 0; k < sm->n; k++) {
		if (!sm->on[k])
			continue;
		qos_sched_class_stats(sm->s, sm->idx[k], &st);
		while (st.qlen++ < BACKLOG)
			assert_int_equal(qos_sched_enqueue(sm->s,
				qos_sched_leaf(sm->s, sm->ids[k]),
				(void *)(uintptr_t)(k + 1), frame_len[k]), 0);
	}
}

/* Run from second @p from to @p to of virtual time; count the last. */
static void
run(struct sim *sm, uint64_t from, uint64_t to)
{
	void *objs[32];
	uint64_t t;
	uint32_t n, i;

	memset(sm->bytes, 0, sizeof(sm->bytes));
	for (t = from * NS; t < to * NS; t += STEP_NS) {
		if (t % STALL_EVERY_NS < stall_ns)
			continue;
		feed(sm);
		n = qos_sched_dequeue(sm->s, t, objs, 32);
		for (i = 0; i < n && t >= (to - 1) * NS; i++) {
			uint32_t k = (uint32_t)(uintptr_t)objs[i] - 1;

			sm->bytes[k] += frame_len[k] + 24;
		}
	}
}

static void
assert_mbit(const struct sim *sm, uint32_t k, double want)
{
	double got = (double)sm->bytes[k] * 8 / 1e6;

	if (got < want * 0.98 || got > want * 1.02)
		fail_msg("class %u: %.4f Mbit/s, want %.4f +-2%%", sm->ids[k],
			 got, want);
}

/* The three HTB classes, the ones marked busy fed. */
static void
sim_htb(struct sim *sm, struct qos_sched_params *p,
	struct qos_class_params *c, uint64_t ceil1, const bool on[3])
{
	uint32_t k;

	memset(sm, 0, sizeof(*sm));
	params_htb(p, c, ceil1);
	sm->n = 3;
	for (k = 0; k < 3; k++) {
		sm->ids[k] = k + 1;
		sm->idx[k] = k;
		sm->on[k] = on[k];
	}
}

static void
htb_case(uint64_t ceil1, bool on1, bool on2, bool on3, double w1, double w2,
	 double w3)
{
	const bool on[3] = { on1, on2, on3 };
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct sim sm;

	sim_htb(&sm, &p, c, ceil1, on);
	sm.s = qos_sched_create(&p, 0);
	assert_non_null(sm.s);
	run(&sm, 0, 2);
	assert_mbit(&sm, 0, w1);
	assert_mbit(&sm, 1, w2);
	assert_mbit(&sm, 2, w3);
	qos_sched_free(sm.s);
}

static void
all_three_share_3_1_6(void **state)
{
	(void)state;
	htb_case(10 * MBIT, true, true, true, 3, 1, 6);
}

static void
classes_1_2_share_3_1_and_fill_the_port(void **state)
{
	(void)state;
	htb_case(10 * MBIT, true, true, false, 7.5, 2.5, 0);
}

static void
classes_1_3_share_1_2(void **state)
{
	(void)state;
	htb_case(10 * MBIT, true, false, true, 10.0 / 3, 0, 20.0 / 3);
}

static void
classes_2_3_share_1_6(void **state)
{
	(void)state;
	htb_case(10 * MBIT, false, true, true, 0, 10.0 / 7, 60.0 / 7);
}

static void
one_class_alone_gets_the_port(void **state)
{
	(void)state;
	htb_case(10 * MBIT, true, false, false, 10, 0, 0);
	htb_case(10 * MBIT, false, true, false, 0, 10, 0);
	htb_case(10 * MBIT, false, false, true, 0, 0, 10);
}

static void
ceil_5_alone_gets_5(void **state)
{
	(void)state;
	htb_case(5 * MBIT, true, false, false, 5, 0, 0);
	/* and with company, class 1 stays within its ceil */
	htb_case(5 * MBIT, true, true, false, 5, 5, 0);
}

/* Port 10: A (rate 4) with leaves A1 (1) and A2 (3); B (6). Only A1 and
 * B busy: A1 takes all of A's rate (its parent lends before the port
 * does) and B its own 6; nothing is left to share at the port. */
static void
nested_parent_lends_before_the_port(void **state)
{
	struct qos_class_params c[4] = {
		{ 10, 0, 4 * MBIT, 10 * MBIT, 0, 64 },
		{ 1, 10, 1 * MBIT, 10 * MBIT, 0, 64 },
		{ 2, 10, 3 * MBIT, 10 * MBIT, 0, 64 },
		{ 3, 0, 6 * MBIT, 10 * MBIT, 0, 64 },
	};
	struct qos_sched_params p = { 10 * MBIT, 24, 1500, 1000, 1, 4, c };
	struct sim sm = { .n = 2, .ids = { 1, 3 }, .idx = { 1, 3 },
			  .on = { true, true } };

	(void)state;
	sm.s = qos_sched_create(&p, 0);
	assert_non_null(sm.s);
	run(&sm, 0, 2);
	assert_mbit(&sm, 0, 4);
	assert_mbit(&sm, 1, 6);
	qos_sched_free(sm.s);
}

/* Spare bandwidth goes to the lower priority number first. */
static void
priority_borrows_first(void **state)
{
	const bool on[3] = { true, true, false };
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct sim sm;

	(void)state;
	sim_htb(&sm, &p, c, 10 * MBIT, on);
	c[1].prio = 0;
	c[0].prio = 1;
	sm.s = qos_sched_create(&p, 0);
	run(&sm, 0, 2);
	assert_mbit(&sm, 0, 3);   /* its rate only */
	assert_mbit(&sm, 1, 7);   /* its rate + all the spare */
	qos_sched_free(sm.s);
}

static void
tail_drop_at_queue_limit(void **state)
{
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct qos_class_stats st;
	struct qos_sched *s;
	uint32_t i;

	(void)state;
	params_htb(&p, c, 10 * MBIT);
	c[1].queue_limit = 5;
	s = qos_sched_create(&p, 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(qos_sched_enqueue(s, qos_sched_leaf(s, 2),
						   &p, 100), 0);
	assert_int_equal(qos_sched_enqueue(s, qos_sched_leaf(s, 2), &p, 100),
			 -ENOBUFS);
	qos_sched_class_stats(s, 1, &st);
	assert_int_equal(st.qlen, 5);
	assert_int_equal(st.drops, 1);
	assert_int_equal(st.enq_pkts, 5);
	qos_sched_free(s);
}

/* The worker is held up 30 ms in every 100 (another process on its
 * core): with buckets 50 ms deep no class loses bandwidth or share. */
static void
stalls_shorter_than_the_burst_cost_nothing(void **state)
{
	const bool on[3] = { true, true, false };
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct sim sm;

	(void)state;
	sim_htb(&sm, &p, c, 10 * MBIT, on);
	p.burst_us = 50000;
	sm.s = qos_sched_create(&p, 0);
	stall_ns = 30000000;
	run(&sm, 0, 2);
	stall_ns = 0;
	assert_mbit(&sm, 0, 7.5);
	assert_mbit(&sm, 1, 2.5);
	qos_sched_free(sm.s);
}

/* The default burst (QOS_BURST_US_DEFAULT) against stalls of 10 to
 * 50 ms every 100 ms (a worker sharing its core with another busy
 * process): every rate within 2 %, all three classes busy and two. */
static void
default_burst_holds_rates_through_50ms_stalls(void **state)
{
	static const bool all[3] = { true, true, true };
	static const bool two[3] = { true, true, false };
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct sim sm;
	uint64_t ms;

	(void)state;
	for (ms = 10; ms <= 50; ms += 20) {
		sim_htb(&sm, &p, c, 10 * MBIT, all);
		p.burst_us = QOS_BURST_US_DEFAULT;
		sm.s = qos_sched_create(&p, 0);
		stall_ns = ms * 1000000;
		run(&sm, 0, 2);
		assert_mbit(&sm, 0, 3.0);
		assert_mbit(&sm, 1, 1.0);
		assert_mbit(&sm, 2, 6.0);
		qos_sched_free(sm.s);
		sim_htb(&sm, &p, c, 10 * MBIT, two);
		p.burst_us = QOS_BURST_US_DEFAULT;
		sm.s = qos_sched_create(&p, 0);
		run(&sm, 0, 2);
		stall_ns = 0;
		assert_mbit(&sm, 0, 7.5);
		assert_mbit(&sm, 1, 2.5);
		qos_sched_free(sm.s);
	}
}

/* Class 0, unknown ids and inner classes all land in the default. */
static void
unknown_class_goes_to_default(void **state)
{
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct qos_sched *s;

	(void)state;
	params_htb(&p, c, 10 * MBIT);
	p.default_class = 3;
	s = qos_sched_create(&p, 0);
	assert_int_equal(qos_sched_leaf(s, 0), qos_sched_leaf(s, 3));
	assert_int_equal(qos_sched_leaf(s, 77), qos_sched_leaf(s, 3));
	assert_int_equal(qos_sched_leaf(s, 70000), qos_sched_leaf(s, 3));
	assert_int_not_equal(qos_sched_leaf(s, 1), qos_sched_leaf(s, 3));
	qos_sched_free(s);
}

static void
live_update_changes_shares(void **state)
{
	const bool on[3] = { true, true, false };
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct sim sm;

	(void)state;
	sim_htb(&sm, &p, c, 10 * MBIT, on);
	sm.s = qos_sched_create(&p, 0);
	run(&sm, 0, 1);
	c[0].ceil = 4 * MBIT;   /* class 1: 4, class 2 takes the rest */
	assert_int_equal(qos_sched_update(sm.s, &p), 0);
	run(&sm, 1, 3);         /* same clock, one more second to settle */
	assert_mbit(&sm, 0, 4);
	assert_mbit(&sm, 1, 6);
	/* a new tree is refused, nothing changes */
	c[2].parent = 1;
	assert_int_equal(qos_sched_update(sm.s, &p), -EINVAL);
	qos_sched_free(sm.s);
}

static void
check_names_the_problem(void **state)
{
	struct qos_class_params c[3];
	struct qos_sched_params p;
	char why[128];
	int bad;

	(void)state;
	params_htb(&p, c, 10 * MBIT);
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), 0);
	c[1].ceil = 11 * MBIT;
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), -EINVAL);
	assert_int_equal(bad, 1);
	assert_string_equal(why, "ceil is above the parent's ceil "
				 "(10000000 bit/s)");
	c[1].ceil = 10 * MBIT;
	c[2].rate = 7 * MBIT;
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), -EINVAL);
	assert_int_equal(bad, -1);
	assert_string_equal(why, "children's rates add up to 11000000 bit/s, "
				 "above this port's rate 10000000");
	c[2].rate = 6 * MBIT;
	c[2].parent = 9;
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), -EINVAL);
	assert_int_equal(bad, 2);
	c[2].parent = 0;
	c[2].id = 1;
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), -EINVAL);
	assert_string_equal(why, "id already used by another class of this "
				 "port");
	c[2].id = 3;
	p.default_class = 9;
	assert_int_equal(qos_sched_params_check(&p, &bad, why, 128), -EINVAL);
	assert_null(qos_sched_create(&p, 0));
}

static void
drain_returns_everything(void **state)
{
	struct qos_class_params c[3];
	struct qos_sched_params p;
	struct qos_sched *s;
	void *objs[8];
	uint32_t i, n = 0, k;

	(void)state;
	params_htb(&p, c, 10 * MBIT);
	s = qos_sched_create(&p, 0);
	for (i = 0; i < 10; i++)
		qos_sched_enqueue(s, qos_sched_leaf(s, 1 + i % 3), &p, 100);
	assert_int_equal(qos_sched_queued(s), 10);
	while ((k = qos_sched_drain(s, objs, 8)) > 0)
		n += k;
	assert_int_equal(n, 10);
	assert_int_equal(qos_sched_queued(s), 0);
	assert_int_equal(qos_sched_dequeue(s, NS, objs, 8), 0);
	qos_sched_free(s);
	qos_sched_free(NULL);
}

/* A rebuilt tree takes the queues of the classes both trees have, in
 * order; a removed class's and what a smaller limit cannot hold stay. */
static void
move_keeps_remaining_classes_in_order(void **state)
{
	struct qos_class_params c[3], d[3];
	struct qos_sched_params p, q;
	struct qos_sched *from, *to;
	uintptr_t obj[12];
	void *out[16];
	uint32_t i, n;

	(void)state;
	params_htb(&p, c, 10 * MBIT);
	params_htb(&q, d, 10 * MBIT);
	d[1].id = 4;          /* class 2 removed, class 4 added */
	d[2].queue_limit = 2; /* class 3 keeps only 2 of its 4 */
	from = qos_sched_create(&p, 0);
	to = qos_sched_create(&q, 0);
	assert_non_null(from);
	assert_non_null(to);
	for (i = 0; i < 12; i++) {
		obj[i] = i + 1;
		assert_int_equal(qos_sched_enqueue(from, qos_sched_leaf(
			from, 1 + i % 3), (void *)obj[i], 100), 0);
	}
	assert_int_equal(qos_sched_move(to, from), 4 + 2);
	assert_int_equal(qos_sched_queued(to), 6);
	assert_int_equal(qos_sched_queued(from), 4 + 2);
	/* Class 1 alone in the new tree's leaf 1, in order: 1, 4, 7, 10. */
	n = qos_sched_drain(to, out, 16);
	assert_int_equal(n, 6);
	for (i = 0, n = 0; i < 6; i++)
		if ((uintptr_t)out[i] % 3 == 1)
			assert_int_equal((uintptr_t)out[i], 1 + 3 * n++);
	assert_int_equal(n, 4);
	/* Left behind: class 2's four and class 3's last two. */
	n = qos_sched_drain(from, out, 16);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_true((uintptr_t)out[i] % 3 != 1);
	qos_sched_free(from);
	qos_sched_free(to);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_three_share_3_1_6),
		cmocka_unit_test(classes_1_2_share_3_1_and_fill_the_port),
		cmocka_unit_test(classes_1_3_share_1_2),
		cmocka_unit_test(classes_2_3_share_1_6),
		cmocka_unit_test(one_class_alone_gets_the_port),
		cmocka_unit_test(ceil_5_alone_gets_5),
		cmocka_unit_test(nested_parent_lends_before_the_port),
		cmocka_unit_test(priority_borrows_first),
		cmocka_unit_test(stalls_shorter_than_the_burst_cost_nothing),
		cmocka_unit_test(default_burst_holds_rates_through_50ms_stalls),
		cmocka_unit_test(tail_drop_at_queue_limit),
		cmocka_unit_test(unknown_class_goes_to_default),
		cmocka_unit_test(live_update_changes_shares),
		cmocka_unit_test(check_names_the_problem),
		cmocka_unit_test(drain_returns_everything),
		cmocka_unit_test(move_keeps_remaining_classes_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
