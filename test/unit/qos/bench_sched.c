/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scheduler cost on one core (not a test: prints a figure). N classes
 * under a 100 Gbit/s port, their rates adding up to half of it (so half
 * the bandwidth is borrowed), every class backlogged (16 packets each to
 * start), 64-byte frames. Each round enqueues 32 packets spread over the
 * classes and dequeues 32 with the virtual clock advanced by their wire
 * time, so the scheduler shapes at the port rate all along. Reports
 * enqueue + dequeue Mpps per second of this thread's CPU time (the
 * machine may be shared: wall-clock time would count other processes'
 * turns), and on wall-clock time.
 *
 * Usage: bench_qos_sched CLASSES [SECONDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sched.h"

#define BURST 32
#define FRAME 60
#define PORT_RATE 100000000000ull

static double
now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct qos_sched *
build(uint32_t n)
{
	struct qos_class_params *c = calloc(n, sizeof(*c));
	struct qos_sched_params p = {
		.rate = PORT_RATE, .overhead = 24, .mtu = 1518,
		.burst_us = 1000, .default_class = 1, .n_classes = n,
		.classes = c,
	};
	struct qos_sched *s;
	uint32_t i;

	for (i = 0; i < n; i++)
		c[i] = (struct qos_class_params){ i + 1, 0, PORT_RATE / 2 / n,
			PORT_RATE, i % 4, 64 };
	s = qos_sched_create(&p, 0);
	free(c);
	return s;
}

int
main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 8, i, k = 0;
	double secs = argc > 2 ? atof(argv[2]) : 3, t0, t, c0;
	/* ns per round at the port rate: 32 x (60 + 24) bytes */
	uint64_t step = BURST * (FRAME + 24) * 8ull * 1000000000ull / PORT_RATE;
	uint64_t now = 0, pkts = 0, sent = 0;
	struct qos_sched *s;
	void *objs[BURST];

	if (n == 0 || n > QOS_CLASSES_MAX || (s = build(n)) == NULL) {
		fprintf(stderr, "usage: bench_qos_sched CLASSES(1..%u) "
			"[SECONDS]\n", QOS_CLASSES_MAX);
		return 2;
	}
	for (i = 0; i < n * 16; i++)
		qos_sched_enqueue(s, qos_sched_leaf(s, i % n + 1), &objs, FRAME);
	t0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	do {
		for (i = 0; i < BURST; i++, k += 7919)
			qos_sched_enqueue(s, qos_sched_leaf(s, k % n + 1),
					  &objs, FRAME);
		now += step;
		sent += qos_sched_dequeue(s, now, objs, BURST);
		pkts += BURST;
		t = now_s(CLOCK_THREAD_CPUTIME_ID);
	} while (t - c0 < secs);
	printf("classes %u: %.2f Mpps enqueue+dequeue per CPU second "
	       "(%.2f per wall second; %llu enqueued, %llu dequeued in "
	       "%.2f CPU s)\n", n, (double)sent / (t - c0) / 1e6,
	       (double)sent / (now_s(CLOCK_MONOTONIC) - t0) / 1e6,
	       (unsigned long long)pkts, (unsigned long long)sent, t - c0);
	qos_sched_free(s);
	return 0;
}
