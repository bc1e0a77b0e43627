/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config/examples/qos.cfg is the HTB user guide's link-sharing
 * experiment: the file loads with every section ferry reads, and its
 * scheduler, built from the file as ferry builds it
 * (qos_params_from_cfg()), gives on virtual time the shares the guide
 * shows: A, B, C = 3 : 1 : 6 of the 800 kbit/s link when all are busy,
 * and any busy subset in proportion to its rates; also with the worker
 * held up 50 ms in every 100 (the default burst). No EAL: the loader
 * and the scheduler are plain C.
 *
 * Usage: test_qos_example PATH/TO/qos.cfg
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "port.h"
#include "qos_priv.h"
#include "sections.h"

#define NS 1000000000ull
#define STEP_NS 20000ull   /* the owner polls every 20 us */
#define FRAME 100          /* bytes: 1000 frames/s fill the link */
#define BACKLOG 48
#define SECONDS 10         /* measured, after one to settle */
#define N_CLS 3

static const char *example_path;

/* The guide's classes: A 1:10, B 1:11, C 1:12 (the default). */
static const uint32_t ids[N_CLS] = { 10, 11, 12 };

struct example {
	struct cfg_model *model;
	struct qos_sched_params p;
	struct qos_class_params cls[N_CLS];
};

static int
setup(void **state)
{
	static struct example ex;
	const struct qos_conf *qc;
	const struct qos_port_cfg *pc;
	const struct port_conf *ports;
	struct cfg_diag diag = { 0 };

	if (cfg_load_file(example_path, ferry_sections, FERRY_N_SECTIONS,
			  &ex.model, &diag) != 0) {
		print_error("%s: %s\n", example_path,
			    diag.n ? diag.msg[0] : "?");
		cfg_diag_free(&diag);
		return -1;
	}
	qc = cfg_model_section(ex.model, "qos");
	ports = ((const struct cfg_array *)
		 cfg_model_section(ex.model, "ports"))->items;
	if (qc->ports.n != 1 ||
	    ((const struct qos_port_cfg *)qc->ports.items)->classes.n != N_CLS) {
		print_error("%s: not one port with %d classes\n",
			    example_path, N_CLS);
		cfg_model_free(ex.model);
		return -1;
	}
	pc = qc->ports.items;
	qos_params_from_cfg(pc, ports[1].mtu, &ex.p, ex.cls);
	*state = &ex;
	return 0;
}

static int
teardown(void **state)
{
	struct example *ex = *state;

	if (ex != NULL)
		cfg_model_free(ex->model);
	return 0;
}

/* Wire bits per second of each class over SECONDS, the classes in
 * @p busy saturated, the owner stalled @p stall_ms in every 100 ms. */
static void
run(const struct example *ex, const bool busy[N_CLS], uint64_t stall_ms,
    double bps[N_CLS])
{
	struct qos_sched *s = qos_sched_create(&ex->p, 0);
	uint64_t bytes[N_CLS] = { 0 }, t;
	struct qos_class_stats st;
	void *objs[32];
	uint32_t k, n, i;

	assert_non_null(s);
	for (t = 0; t < (SECONDS + 1) * NS; t += STEP_NS) {
		if (t % (100 * 1000000ull) < stall_ms * 1000000ull)
			continue;
		for (k = 0; k < N_CLS; k++) {
			qos_sched_class_stats(s, k, &st);
			while (busy[k] && st.qlen++ < BACKLOG)
				assert_int_equal(qos_sched_enqueue(s,
					qos_sched_leaf(s, ids[k]),
					(void *)(uintptr_t)(k + 1), FRAME), 0);
		}
		n = qos_sched_dequeue(s, t, objs, 32);
		for (i = 0; i < n && t >= NS; i++)
			bytes[(uintptr_t)objs[i] - 1] += FRAME + ex->p.overhead;
	}
	for (k = 0; k < N_CLS; k++)
		bps[k] = (double)bytes[k] * 8 / SECONDS;
	qos_sched_free(s);
}

/* The busy classes share the link in proportion to their rates. */
static void
assert_shares(const struct example *ex, bool a, bool b, bool c,
	      uint64_t stall_ms)
{
	const bool busy[N_CLS] = { a, b, c };
	double bps[N_CLS], sum = 0, want;
	uint32_t k;

	for (k = 0; k < N_CLS; k++)
		sum += busy[k] ? (double)ex->cls[k].rate : 0;
	run(ex, busy, stall_ms, bps);
	for (k = 0; k < N_CLS; k++) {
		want = busy[k] ? (double)ex->cls[k].rate / sum *
				 (double)ex->p.rate : 0;
		if (bps[k] < want * 0.98 || bps[k] > want * 1.02 + 1)
			fail_msg("busy %d%d%d, stall %lu ms: class %u %.0f bit/s,"
				 " want %.0f +-2%%", a, b, c,
				 (unsigned long)stall_ms, ids[k], bps[k], want);
	}
}

/* The file is the guide's: link 100 kbyte/s, 30/10/60 kbyte/s, every
 * ceil the link, default 1:12, frames counted as tc counts them. */
static void
example_is_the_guides_experiment(void **state)
{
	const struct example *ex = *state;
	static const uint64_t rate[N_CLS] = { 240000, 80000, 480000 };
	uint32_t k;

	assert_int_equal(ex->p.rate, 800000);
	assert_int_equal(ex->p.default_class, 12);
	assert_int_equal(ex->p.overhead, 0);
	assert_int_equal(ex->p.burst_us, QOS_BURST_US_DEFAULT);
	for (k = 0; k < N_CLS; k++) {
		assert_int_equal(ex->cls[k].id, ids[k]);
		assert_int_equal(ex->cls[k].parent, 0);
		assert_int_equal(ex->cls[k].rate, rate[k]);
		assert_int_equal(ex->cls[k].ceil, 800000);
	}
}

static void
all_busy_share_3_1_6(void **state)
{
	assert_shares(*state, true, true, true, 0);
}

static void
every_subset_shares_by_rate(void **state)
{
	assert_shares(*state, true, false, true, 0);  /* A, C: 1 : 2 */
	assert_shares(*state, true, true, false, 0);  /* A, B: 3 : 1 */
	assert_shares(*state, false, true, true, 0);  /* B, C: 1 : 6 */
	assert_shares(*state, false, true, false, 0); /* B alone: the link */
}

static void
shares_hold_through_50ms_stalls(void **state)
{
	assert_shares(*state, true, true, true, 50);
	assert_shares(*state, true, false, true, 50);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_is_the_guides_experiment),
		cmocka_unit_test(all_busy_share_3_1_6),
		cmocka_unit_test(every_subset_shares_by_rate),
		cmocka_unit_test(shares_hold_through_50ms_stalls),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s qos.cfg\n", argv[0]);
		return 2;
	}
	example_path = argv[1];
	return cmocka_run_group_tests(tests, setup, teardown);
}
