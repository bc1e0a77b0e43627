/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policer conformance on virtual time with exact packet counts: srTCM
 * (RFC 2697) and trTCM (RFC 2698), colour-blind and colour-aware, over
 * rte_meter. Time is TSC cycles computed from the TSC frequency; steps
 * are whole milliseconds so rte_meter's rounding of its refill period
 * (it refills slightly early, never late) cannot change a colour.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_cycles.h>

#include "eal_test.h"
#include "policer.h"

#define G RTE_COLOR_GREEN
#define Y RTE_COLOR_YELLOW
#define R RTE_COLOR_RED

static uint64_t ms;

static int
setup(void **state)
{
	(void)state;
	if (eal_test_start("test_qos_policer", NULL, 0) < 0)
		return -1;
	ms = rte_get_tsc_hz() / 1000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	eal_test_stop();
	return 0;
}

/* Meter @p n packets of 1000 bytes at time t (ms after t0) with input
 * colours @p in (NULL: all green) and compare with @p want. */
static void
expect(struct qos_policer *p, uint64_t t0, uint64_t t, unsigned int n,
       const enum rte_color *in, const enum rte_color *want)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		enum rte_color c = qos_policer_color(p, t0 + t * ms, 1000,
						     in ? in[i] : G);

		if (c != want[i])
			fail_msg("t=%" PRIu64 " ms packet %u: %s, want %s", t,
				 i, qos_color_name(c), qos_color_name(want[i]));
	}
}

/* CIR 8 Mbit/s = 1000 bytes per ms, CBS 3000, EBS 2000. */
static const struct qos_policer_conf srtcm = {
	.type = QOS_POLICER_SRTCM, .cir = 8000000, .cbs = 3000, .ebs = 2000,
};

static void
srtcm_color_blind(void **state)
{
	const enum rte_color burst[] = { G, G, G, Y, Y, R, R, R };
	const enum rte_color one_ms[] = { G, R };
	/* 10 ms = 10000 bytes: C fills first (3000), E takes 2000 of the
	 * overflow, the rest is lost (RFC 2697 section 4). */
	const enum rte_color ten_ms[] = { G, G, G, Y, Y, R };
	struct qos_policer p = { 0 };
	uint64_t t0 = 12345; /* any base: the policer starts full at t0 */

	(void)state;
	assert_int_equal(qos_policer_init(&p, &srtcm, t0), 0);
	expect(&p, t0, 0, 8, NULL, burst);
	expect(&p, t0, 1, 2, NULL, one_ms);
	expect(&p, t0, 11, 6, NULL, ten_ms);
	assert_int_equal(p.pkts[G], 7);
	assert_int_equal(p.pkts[Y], 4);
	assert_int_equal(p.pkts[R], 5);
	assert_int_equal(p.bytes[R], 5000);
}

static void
srtcm_color_aware(void **state)
{
	/* Yellow in uses only E, red in stays red, green in may fall to
	 * yellow or red but a colour is never raised (RFC 2697 section 4). */
	const enum rte_color in[] = { Y, G, R, G, G, Y, G };
	const enum rte_color want[] = { Y, G, R, G, G, Y, R };
	struct qos_policer p = { 0 };
	struct qos_policer_conf c = srtcm;

	(void)state;
	c.color_aware = true;
	assert_int_equal(qos_policer_init(&p, &c, 0), 0);
	expect(&p, 0, 0, 7, in, want);
}

/* CIR 8 Mbit/s (1000 B/ms), CBS 2000, PIR 16 Mbit/s (2000 B/ms),
 * PBS 3000. */
static const struct qos_policer_conf trtcm = {
	.type = QOS_POLICER_TRTCM, .cir = 8000000, .cbs = 2000,
	.pir = 16000000, .pbs = 3000,
};

static void
trtcm_color_blind(void **state)
{
	const enum rte_color burst[] = { G, G, Y, R, R };
	/* 1 ms: C gets 1000, P 2000 */
	const enum rte_color one_ms[] = { G, Y, R };
	struct qos_policer p = { 0 };

	(void)state;
	assert_int_equal(qos_policer_init(&p, &trtcm, 0), 0);
	expect(&p, 0, 0, 5, NULL, burst);
	expect(&p, 0, 1, 3, NULL, one_ms);
	/* 100 ms idle: both buckets full again */
	expect(&p, 0, 101, 5, NULL, burst);
}

static void
trtcm_color_aware(void **state)
{
	/* Yellow in takes P only; red in stays red without using tokens
	 * (RFC 2698 section 3). */
	const enum rte_color in[] = { Y, Y, R, G, G };
	const enum rte_color want[] = { Y, Y, R, G, R };
	struct qos_policer p = { 0 };
	struct qos_policer_conf c = trtcm;

	(void)state;
	c.color_aware = true;
	assert_int_equal(qos_policer_init(&p, &c, 0), 0);
	expect(&p, 0, 0, 5, in, want);
}

static void
conf_check_names_the_problem(void **state)
{
	struct qos_policer_conf c = trtcm;
	char why[96];

	(void)state;
	c.pir = 1000;
	assert_int_equal(qos_policer_conf_check(&c, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "trtcm needs pir >= cir and pbs > 0 "
				 "(RFC 2698 1.)");
	c = srtcm;
	c.action[R] = QOS_ACT_REMARK;
	c.dscp[R] = 64;
	assert_int_equal(qos_policer_conf_check(&c, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "a remark DSCP must be 0..63");
	c.dscp[R] = 10;
	assert_int_equal(qos_policer_conf_check(&c, why, sizeof(why)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(srtcm_color_blind),
		cmocka_unit_test(srtcm_color_aware),
		cmocka_unit_test(trtcm_color_blind),
		cmocka_unit_test(trtcm_color_aware),
		cmocka_unit_test(conf_check_names_the_problem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
