/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/ipsec's pure helpers, no EAL: SPD selectors and first match, port
 * ranges and hex keys as written in the config, and the hard-lifetime
 * grant, which must let exactly N packets through when two threads take
 * from one SA at once (the multi-lcore guarantee of hard_packets).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>

#include "lifetime.h"
#include "replay.h"
#include "spd_match.h"

static void
test_ports(void **state)
{
	uint16_t lo, hi;

	(void)state;
	assert_int_equal(spd_parse_ports("any", &lo, &hi), 0);
	assert_true(lo == 0 && hi == 65535);
	assert_int_equal(spd_parse_ports("", &lo, &hi), 0);
	assert_int_equal(spd_parse_ports("500", &lo, &hi), 0);
	assert_true(lo == 500 && hi == 500);
	assert_int_equal(spd_parse_ports("1024-65535", &lo, &hi), 0);
	assert_true(lo == 1024 && hi == 65535);
	assert_int_equal(spd_parse_ports("65536", &lo, &hi), -1);
	assert_int_equal(spd_parse_ports("10-5", &lo, &hi), -1);
	assert_int_equal(spd_parse_ports("1-", &lo, &hi), -1);
	assert_int_equal(spd_parse_ports("-1", &lo, &hi), -1);
	assert_int_equal(spd_parse_ports("12a", &lo, &hi), -1);
	assert_int_equal(spd_parse_ports("1000000", &lo, &hi), -1);
}

static void
test_hex(void **state)
{
	uint8_t b[4];

	(void)state;
	assert_int_equal(ipsec_hex_decode("cafeBABE", b, 4), 4);
	assert_int_equal(b[0], 0xca);
	assert_int_equal(b[3], 0xbe);
	assert_int_equal(ipsec_hex_decode("0x0102", b, 4), 2);
	assert_int_equal(b[1], 0x02);
	assert_int_equal(ipsec_hex_decode("abc", b, 4), -1);
	assert_int_equal(ipsec_hex_decode("zz", b, 4), -1);
	assert_int_equal(ipsec_hex_decode("0011223344", b, 4), -1);
}

static void
test_spd_match(void **state)
{
	/* 10.1.0.0/16 -> 10.2.0.0/16 UDP dport 500-600, then any TCP,
	 * then everything */
	const struct spd_rule r[] = {
		{ .src = 0x0a010000, .src_mask = 0xffff0000,
		  .dst = 0x0a020000, .dst_mask = 0xffff0000, .proto = 17,
		  .sport_hi = 65535, .dport_lo = 500, .dport_hi = 600 },
		{ .proto = 6, .sport_hi = 65535, .dport_hi = 65535 },
		{ .sport_hi = 65535, .dport_hi = 65535 },
	};
	struct spd_key k = { .src = 0x0a010203, .dst = 0x0a020304,
			     .proto = 17, .sport = 1, .dport = 500 };

	(void)state;
	assert_int_equal(spd_match(r, 3, &k), 0);
	k.dport = 601;
	assert_int_equal(spd_match(r, 3, &k), 2);
	k.proto = 6;
	assert_int_equal(spd_match(r, 3, &k), 1);
	k.proto = 17;
	k.dport = 600;
	k.src = 0x0a030000;
	assert_int_equal(spd_match(r, 3, &k), 2);
	assert_int_equal(spd_match(r, 2, &k), -1);
	assert_int_equal(spd_match(r, 0, &k), -1);
}

/* Two customers' IKE policies with the same selectors: each matches only
 * in its VRF; a configured rule (SPD_VRF_ANY) in every VRF. */
static void
test_spd_match_vrf(void **state)
{
	const struct spd_rule r[] = {
		{ .dst = 0x0a010000, .dst_mask = 0xffff0000, .sport_hi = 65535,
		  .dport_hi = 65535, .ivrf = 1 },
		{ .dst = 0x0a010000, .dst_mask = 0xffff0000, .sport_hi = 65535,
		  .dport_hi = 65535, .ivrf = 2 },
		{ .sport_hi = 65535, .dport_hi = 65535, .ivrf = SPD_VRF_ANY },
	};
	struct spd_key k = { .dst = 0x0a010203, .vrf = 2 };

	(void)state;
	assert_int_equal(spd_match(r, 3, &k), 1);
	k.vrf = 1;
	assert_int_equal(spd_match(r, 3, &k), 0);
	k.vrf = 0;
	assert_int_equal(spd_match(r, 3, &k), 2);
	assert_int_equal(spd_match(r, 2, &k), -1);
}

/* An IPv6 address in the layout of struct spd6_rule / spd6_key. */
static void
addr6(uint64_t out[2], uint16_t w0, uint16_t w1, uint16_t w2, uint16_t last)
{
	uint8_t b[16] = { w0 >> 8, w0 & 0xff, w1 >> 8, w1 & 0xff, w2 >> 8,
			  w2 & 0xff };

	b[14] = (uint8_t)(last >> 8);
	b[15] = (uint8_t)last;
	memcpy(out, b, sizeof(b));
}

static void
test_spd6_mask(void **state)
{
	uint64_t m[2];
	uint8_t b[16];

	(void)state;
	spd6_mask(0, m);
	assert_true(m[0] == 0 && m[1] == 0);
	spd6_mask(128, m);
	assert_true(m[0] == UINT64_MAX && m[1] == UINT64_MAX);
	spd6_mask(52, m);
	memcpy(b, m, 16);
	assert_int_equal(b[5], 0xff);
	assert_int_equal(b[6], 0xf0);
	assert_int_equal(b[7], 0);
	spd6_mask(65, m);
	memcpy(b, m, 16);
	assert_int_equal(b[7], 0xff);
	assert_int_equal(b[8], 0x80);
	assert_int_equal(b[9], 0);
}

static void
test_spd6_match(void **state)
{
	/* 2001:db8:1::/48 -> 2001:db8:2::/48 UDP dport 500-600, then any
	 * TCP, then ::/0 -> 2001:db8:2::7/128 */
	struct spd6_rule r[3] = {
		{ .proto = 17, .sport_hi = 65535, .dport_lo = 500,
		  .dport_hi = 600 },
		{ .proto = 6, .sport_hi = 65535, .dport_hi = 65535 },
		{ .sport_hi = 65535, .dport_hi = 65535 },
	};
	struct spd6_key k = { .proto = 17, .sport = 1, .dport = 500 };

	(void)state;
	addr6(r[0].src, 0x2001, 0xdb8, 1, 0);
	spd6_mask(48, r[0].src_mask);
	addr6(r[0].dst, 0x2001, 0xdb8, 2, 0);
	spd6_mask(48, r[0].dst_mask);
	addr6(r[2].dst, 0x2001, 0xdb8, 2, 7);
	spd6_mask(128, r[2].dst_mask);
	addr6(k.src, 0x2001, 0xdb8, 1, 9);
	addr6(k.dst, 0x2001, 0xdb8, 2, 7);
	assert_int_equal(spd6_match(r, 3, &k), 0);
	k.dport = 601;
	assert_int_equal(spd6_match(r, 3, &k), 2);
	k.proto = 6;
	assert_int_equal(spd6_match(r, 3, &k), 1);
	k.proto = 17;
	k.dport = 600;
	addr6(k.src, 0x2001, 0xdb8, 3, 9); /* other /48: rule 0 misses */
	assert_int_equal(spd6_match(r, 3, &k), 2);
	addr6(k.dst, 0x2001, 0xdb8, 2, 8); /* the last bit decides */
	assert_int_equal(spd6_match(r, 3, &k), -1);
	assert_int_equal(spd6_match(r, 0, &k), -1);
}

#define GRANT_LIMIT 100000
#define GRANT_TRIES 80000 /* per thread, in bursts of 1..32 */

struct grant_arg {
	uint64_t *granted;
	uint64_t got;
};

static void *
grant_thread(void *p)
{
	struct grant_arg *a = p;
	unsigned int i, burst = 1;

	for (i = 0; i < GRANT_TRIES; i += burst) {
		burst = i % 32 + 1;
		a->got += lifetime_grant(a->granted, GRANT_LIMIT, burst);
	}
	return NULL;
}

static void
test_grant_exact_across_threads(void **state)
{
	uint64_t granted = 0;
	struct grant_arg a = { &granted, 0 }, b = { &granted, 0 };
	pthread_t ta, tb;

	(void)state;
	assert_int_equal(pthread_create(&ta, NULL, grant_thread, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, grant_thread, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	/* 2 x 80000 asked of a budget of 100000: exactly 100000 given */
	assert_int_equal(a.got + b.got, GRANT_LIMIT);
	assert_int_equal(lifetime_grant(&granted, GRANT_LIMIT, 5), 0);
	assert_int_equal(lifetime_grant(&granted, 0, 5), 5); /* no limit */
}

static void
test_grant_partial_and_states(void **state)
{
	uint64_t g = 0;
	uint32_t st = IPSEC_SA_ACTIVE;

	(void)state;
	assert_int_equal(lifetime_grant(&g, 5, 3), 3);
	assert_int_equal(lifetime_grant(&g, 5, 3), 2);
	assert_int_equal(lifetime_grant(&g, 5, 3), 0);
	assert_int_equal(lifetime_state_of(2, 0, 3, 5, 0, 0), IPSEC_SA_ACTIVE);
	assert_int_equal(lifetime_state_of(3, 0, 3, 5, 0, 0), IPSEC_SA_SOFT);
	assert_int_equal(lifetime_state_of(5, 0, 3, 5, 0, 0), IPSEC_SA_HARD);
	assert_int_equal(lifetime_state_of(1, 999, 0, 0, 500, 1000),
			 IPSEC_SA_SOFT);
	assert_int_equal(lifetime_state_of(1, 1000, 0, 0, 500, 1000),
			 IPSEC_SA_HARD);
	lifetime_state_raise(&st, IPSEC_SA_HARD);
	lifetime_state_raise(&st, IPSEC_SA_SOFT); /* never back */
	assert_int_equal(st, IPSEC_SA_HARD);
}

static struct replay_window *
window(uint32_t size)
{
	struct replay_window *w = calloc(1, replay_window_bytes(size));

	assert_non_null(w);
	replay_init(w, size);
	return w;
}

/* RFC 4303 3.4.3: new, in-window reordered once, duplicates, too old. */
static void
test_replay_window(void **state)
{
	struct replay_window *w = window(64);
	uint64_t s;

	(void)state;
	assert_int_equal(replay_buckets(64), 2);
	assert_int_equal(replay_buckets(4096), 128);
	assert_int_equal(replay_update(w, 0), -1);
	for (s = 1; s <= 5; s++)
		assert_int_equal(replay_update(w, s), 0);
	assert_int_equal(replay_update(w, 3), -1);
	assert_int_equal(replay_update(w, 100), 0);
	assert_int_equal(replay_update(w, 36), -1);   /* 100 - 64 */
	assert_int_equal(replay_check(w, 37), 0);     /* oldest inside */
	assert_int_equal(replay_update(w, 37), 0);
	assert_int_equal(replay_update(w, 90), 0);
	assert_int_equal(replay_update(w, 90), -1);
	assert_int_equal(replay_update(w, 1000000), 0); /* far jump */
	assert_int_equal(replay_update(w, 100), -1);
	assert_int_equal(replay_update(w, 999999), 0);
	assert_true(replay_recent(w) == 0x3); /* 1000000 and 999999 */
	free(w);
	w = window(0); /* anti-replay off: everything passes */
	assert_int_equal(replay_update(w, 7), 0);
	assert_int_equal(replay_update(w, 7), 0);
	free(w);
}

/*
 * Every duplicate inside a full 4096 window is refused, whatever bits
 * of the sequence number are set: the case librte_ipsec 22.11 got
 * wrong for seq & 63 >= 32 (see replay.h).
 */
static void
test_replay_all_duplicates(void **state)
{
	struct replay_window *w = window(4096);
	uint64_t s;

	(void)state;
	for (s = 1; s <= 8192; s++)
		assert_int_equal(replay_update(w, s), 0);
	for (s = 1; s <= 8192; s++)
		assert_int_equal(replay_update(w, s), -1);
	free(w);
}

/* RFC 4303 A2.1: the high half follows the window across a wrap. */
static void
test_replay_esn(void **state)
{
	struct replay_window *w = window(64);
	uint64_t top = 0xfffffff0ull;

	(void)state;
	assert_int_equal(replay_update(w, top), 0);
	/* low half 5 is past the wrap: 2^32 + 5 */
	assert_true(replay_seq(w, 5, true) == 0x100000005ull);
	assert_true(replay_seq(w, 0xffffffe0u, true) == 0xffffffe0ull);
	assert_true(replay_seq(w, 5, false) == 5);
	assert_int_equal(replay_update(w, replay_seq(w, 5, true)), 0);
	/* now the window spans the wrap: 0xfffffff8 is before it */
	assert_true(replay_seq(w, 0xfffffff8u, true) == 0xfffffff8ull);
	assert_int_equal(replay_update(w, replay_seq(w, 0xfffffff8u, true)), 0);
	assert_int_equal(replay_update(w, replay_seq(w, 5, true)), -1);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_spd_match),
		cmocka_unit_test(test_spd_match_vrf),
		cmocka_unit_test(test_spd6_mask),
		cmocka_unit_test(test_spd6_match),
		cmocka_unit_test(test_grant_exact_across_threads),
		cmocka_unit_test(test_grant_partial_and_states),
		cmocka_unit_test(test_replay_window),
		cmocka_unit_test(test_replay_all_duplicates),
		cmocka_unit_test(test_replay_esn),
	};

	return cmocka_run_group_tests_name("ipsec_pure", tests, NULL, NULL);
}
