/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The measurement behind doc/ipv6.md's FIB choice: cycles per lookup of
 * rte_fib6 (trie, 2-byte next hops) against rte_lpm6, both loaded with
 * the same 1024 /48s (the bench's ipv6-1k-4kflows routes) plus 1024
 * random /64s and /128s under them, looked up in bursts of 32 random
 * destinations (the IPv6 lookup node's shape), on one lcore. Also the
 * cost of adding and deleting the routes (the control plane's side).
 * Not part of the build (a one-off tool):
 *   cc -O2 -DALLOW_EXPERIMENTAL_API scripts/bench/fib6_bench.c \
 *      $(pkg-config --cflags --libs libdpdk) -o /tmp/fib6b
 *   /tmp/fib6b --no-huge -m 1024 --file-prefix fib6b -l 1 --log-level=1
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_fib6.h>
#include <rte_lpm6.h>

#define N_ROUTES 3072
#define N_DST 4096
#define BURST 32
#define ROUNDS 2000

static uint8_t pfx[N_ROUTES][16], plen[N_ROUTES];
static uint8_t dst[N_DST][16];

static void
routes_make(void)
{
	unsigned int i;

	srand(1);
	for (i = 0; i < N_ROUTES; i++) {
		unsigned int r = i % 1024;

		memset(pfx[i], 0, 16);
		pfx[i][0] = 0x20;
		pfx[i][1] = 0x01;
		pfx[i][2] = 0x0d;
		pfx[i][3] = 0xb8;
		pfx[i][4] = (uint8_t)(r >> 8);
		pfx[i][5] = (uint8_t)r;
		plen[i] = 48;
		if (i >= 1024) { /* a /64 or /128 under a /48 */
			pfx[i][6] = (uint8_t)rand();
			pfx[i][7] = (uint8_t)rand();
			plen[i] = i < 2048 ? 64 : 128;
			if (plen[i] == 128)
				pfx[i][15] = (uint8_t)(rand() | 1);
		}
	}
	for (i = 0; i < N_DST; i++) {
		unsigned int r = (unsigned int)rand() % 1024, k;

		memcpy(dst[i], pfx[r], 6);
		for (k = 6; k < 16; k++)
			dst[i][k] = (uint8_t)rand();
	}
}

static double
bench_fib6(void)
{
	struct rte_fib6_conf c = {
		.type = RTE_FIB6_TRIE,
		.default_nh = 1,
		.max_routes = N_ROUTES * 2,
		.trie = {.nh_sz = RTE_FIB6_TRIE_2B, .num_tbl8 = 16384}};
	struct rte_fib6 *f = rte_fib6_create("b6", 0, &c);
	uint64_t nh[BURST], t, sum = 0;
	unsigned int i, r;

	if (f == NULL)
		return -1;
	t = rte_rdtsc();
	for (i = 0; i < N_ROUTES; i++)
		rte_fib6_add(f, pfx[i], plen[i], 2 + i % 100);
	printf("rte_fib6 add: %.0f cycles/route\n",
	       (double)(rte_rdtsc() - t) / N_ROUTES);
	t = rte_rdtsc();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i + BURST <= N_DST; i += BURST) {
			rte_fib6_lookup_bulk(f, &dst[i], nh, BURST);
			sum += nh[0];
		}
	t = rte_rdtsc() - t;
	printf("(checksum %lu)\n", (unsigned long)sum);
	rte_fib6_free(f);
	return (double)t / ((double)ROUNDS * N_DST);
}

static double
bench_lpm6(void)
{
	struct rte_lpm6_config c = {.max_rules = N_ROUTES * 2,
				    .number_tbl8s = 16384};
	struct rte_lpm6 *l = rte_lpm6_create("l6", 0, &c);
	int32_t nh[BURST];
	uint64_t t, sum = 0;
	unsigned int i, r;

	if (l == NULL)
		return -1;
	t = rte_rdtsc();
	for (i = 0; i < N_ROUTES; i++)
		rte_lpm6_add(l, pfx[i], plen[i], 2 + i % 100);
	printf("rte_lpm6 add: %.0f cycles/route\n",
	       (double)(rte_rdtsc() - t) / N_ROUTES);
	t = rte_rdtsc();
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i + BURST <= N_DST; i += BURST) {
			rte_lpm6_lookup_bulk_func(l, &dst[i], nh, BURST);
			sum += (uint64_t)nh[0];
		}
	t = rte_rdtsc() - t;
	printf("(checksum %lu)\n", (unsigned long)sum);
	rte_lpm6_free(l);
	return (double)t / ((double)ROUNDS * N_DST);
}

int
main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0)
		return 1;
	routes_make();
	printf("rte_fib6 trie lookup: %.1f cycles/packet\n", bench_fib6());
	printf("rte_lpm6 lookup:      %.1f cycles/packet\n", bench_lpm6());
	rte_eal_cleanup();
	return 0;
}
