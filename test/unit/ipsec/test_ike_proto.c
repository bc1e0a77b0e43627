/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE socket protocol parser (lib/ipsec/ike_proto.c, doc/ike.md):
 * framing of whole, partial, truncated, oversized and garbage input,
 * and every body decoder's exact length and range checks. No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ike_proto.h"

static struct ike_add_sa
gcm_sa(void)
{
	struct ike_add_sa m = {
		.spi = 0xc0ffee01,
		.reqid = 7,
		.dir = 1,
		.encap = 1,
		.local = 0xcb007101,
		.remote = 0xcb007102,
		.encap_sport = 4500,
		.encap_dport = 4501,
		.replay_window = 128,
		.soft_packets = 900,
		.hard_packets = 1000,
		.soft_bytes = 1 << 20,
		.hard_bytes = 2 << 20,
		.alg = "aes-gcm-128",
		.key_len = 20,
	};
	unsigned int i;

	for (i = 0; i < m.key_len; i++)
		m.key[i] = (uint8_t)i;
	return m;
}

static void
test_frame_partial_and_whole(void **state)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h;
	size_t len = ike_put_empty(buf, IKE_MSG_HELLO, 42), i;

	(void)state;
	assert_int_equal(len, IKE_HDR_LEN);
	for (i = 0; i < len; i++) /* any prefix: wait for more */
		assert_int_equal(ike_frame(buf, i, &h), 0);
	assert_int_equal(ike_frame(buf, len, &h), (int)len);
	assert_int_equal(h.type, IKE_MSG_HELLO);
	assert_int_equal(h.seq, 42);
	assert_int_equal(h.version, IKE_PROTO_VERSION);
}

static void
test_frame_errors(void **state)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h = {.version = IKE_PROTO_VERSION, .length = 11};

	(void)state;
	ike_hdr_put(buf, &h);
	assert_int_equal(ike_frame(buf, IKE_HDR_LEN, &h), -IKE_ERR_BAD_LENGTH);
	h.length = IKE_MSG_MAX + 1;
	ike_hdr_put(buf, &h);
	assert_int_equal(ike_frame(buf, IKE_HDR_LEN, &h), -IKE_ERR_OVERSIZED);
	h.length = 0xffffffff;
	ike_hdr_put(buf, &h);
	assert_int_equal(ike_frame(buf, IKE_HDR_LEN, &h), -IKE_ERR_OVERSIZED);
	h.length = IKE_HDR_LEN;
	h.version = 2;
	ike_hdr_put(buf, &h);
	assert_int_equal(ike_frame(buf, IKE_HDR_LEN, &h), -IKE_ERR_BAD_VERSION);
	h.version = IKE_PROTO_VERSION;
	h.flags = 1;
	ike_hdr_put(buf, &h);
	assert_int_equal(ike_frame(buf, IKE_HDR_LEN, &h), -IKE_ERR_BAD_FLAGS);
	assert_string_equal(ike_err_name(IKE_ERR_OVERSIZED), "oversized");
	assert_string_equal(ike_err_name(IKE_ERR_MAX), "?");
}

/* Random bytes: the framer answers wait, a length or an error, and a
 * length it gives is never more than it was handed. */
static void
test_frame_garbage(void **state)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h;
	unsigned int round, i;
	int r;

	(void)state;
	srand(1);
	for (round = 0; round < 20000; round++) {
		size_t n = (size_t)rand() % sizeof(buf);

		for (i = 0; i < n; i++)
			buf[i] = (uint8_t)rand();
		if (round % 2) { /* half of them with a plausible header */
			buf[4] = 0;
			buf[5] = IKE_PROTO_VERSION;
		}
		r = ike_frame(buf, n, &h);
		assert_true(r <= (int)n);
		assert_true(r == 0 || r >= IKE_HDR_LEN ||
			    (r < 0 && -r < IKE_ERR_MAX));
		if (r > 0) { /* no decoder reads past what it is given */
			struct ike_add_sa m;
			struct ike_policy p;

			(void)ike_get_add_sa(buf + IKE_HDR_LEN,
					     (size_t)r - IKE_HDR_LEN, &m);
			(void)ike_get_policy(buf + IKE_HDR_LEN,
					     (size_t)r - IKE_HDR_LEN, &p);
		}
	}
}

static void
test_add_sa_round_trip(void **state)
{
	struct ike_add_sa m = gcm_sa(), got;
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h;
	size_t len = ike_put_add_sa(buf, 9, &m);

	(void)state;
	assert_int_equal(len, IKE_HDR_LEN + IKE_ADD_SA_FIXED + 20);
	assert_int_equal(ike_frame(buf, len, &h), (int)len);
	assert_int_equal(h.type, IKE_MSG_ADD_SA);
	assert_int_equal(
		ike_get_add_sa(buf + IKE_HDR_LEN, len - IKE_HDR_LEN, &got), 0);
	assert_memory_equal(&got, &m, sizeof(m));
}

static void
test_add_sa_bad_bodies(void **state)
{
	struct ike_add_sa m = gcm_sa(), got;
	uint8_t buf[IKE_MSG_MAX];
	size_t len = ike_put_add_sa(buf, 9, &m), body = len - IKE_HDR_LEN;
	uint8_t *b = buf + IKE_HDR_LEN;
	size_t cut;

	(void)state;
	for (cut = 0; cut < body; cut++) /* every truncation */
		assert_int_equal(ike_get_add_sa(b, cut, &got),
				 -IKE_ERR_BAD_BODY);
	/* one byte too many */
	assert_int_equal(ike_get_add_sa(b, body + 1, &got), -IKE_ERR_BAD_BODY);
	b[83] = IKE_KEY_MAX + 1; /* key_len: more than a key can be */
	assert_int_equal(ike_get_add_sa(b, body, &got), -IKE_ERR_BAD_BODY);
	b[83] = 20;
	b[8] = 2; /* direction */
	assert_int_equal(ike_get_add_sa(b, body, &got), -IKE_ERR_BAD_BODY);
	b[8] = 1;
	memset(b + 59, 'a', IKE_ALG_LEN); /* algorithm not terminated */
	assert_int_equal(ike_get_add_sa(b, body, &got), -IKE_ERR_BAD_BODY);
	m.reqid = 0; /* an IKE SA always has a tunnel */
	len = ike_put_add_sa(buf, 9, &m);
	assert_int_equal(ike_get_add_sa(b, len - IKE_HDR_LEN, &got),
			 -IKE_ERR_BAD_BODY);
	m = gcm_sa();
	m.spi = 255; /* RFC 4303 2.1: reserved */
	len = ike_put_add_sa(buf, 9, &m);
	assert_int_equal(ike_get_add_sa(b, len - IKE_HDR_LEN, &got),
			 -IKE_ERR_BAD_BODY);
}

static void
test_policy(void **state)
{
	struct ike_policy p =
				  {
					  .reqid = 3,
					  .dir = 0,
					  .proto = 6,
					  .src_len = 16,
					  .dst_len = 24,
					  .src = 0x0a020000,
					  .dst = 0xc0a80100,
					  .sport_lo = 0,
					  .sport_hi = 65535,
					  .dport_lo = 80,
					  .dport_hi = 80,
					  .priority = 100,
				  },
			  got;
	uint8_t buf[IKE_MSG_MAX], *b = buf + IKE_HDR_LEN;
	size_t len = ike_put_policy(buf, IKE_MSG_ADD_POLICY, 5, &p);

	(void)state;
	assert_int_equal(len, IKE_HDR_LEN + 28);
	assert_int_equal(ike_get_policy(b, 28, &got), 0);
	assert_memory_equal(&got, &p, sizeof(p));
	assert_int_equal(ike_get_policy(b, 27, &got), -IKE_ERR_BAD_BODY);
	p.src_len = 33;
	ike_put_policy(buf, IKE_MSG_ADD_POLICY, 5, &p);
	assert_int_equal(ike_get_policy(b, 28, &got), -IKE_ERR_BAD_BODY);
	p.src_len = 16;
	p.dport_lo = 81; /* lo > hi */
	ike_put_policy(buf, IKE_MSG_ADD_POLICY, 5, &p);
	assert_int_equal(ike_get_policy(b, 28, &got), -IKE_ERR_BAD_BODY);
}

/* The optional trailing if_id: written only when set, read when there;
 * 1..3 bytes of it are a bad body. */
static void
test_if_id(void **state)
{
	struct ike_policy p = {.reqid = 3,
			       .src_len = 8,
			       .dst_len = 8,
			       .sport_hi = 65535,
			       .dport_hi = 65535,
			       .if_id = 7},
			  got;
	struct ike_add_sa m = gcm_sa(), gm;
	uint8_t buf[IKE_MSG_MAX], *b = buf + IKE_HDR_LEN;
	size_t len = ike_put_policy(buf, IKE_MSG_ADD_POLICY, 5, &p);

	(void)state;
	assert_int_equal(len, IKE_HDR_LEN + 32);
	assert_int_equal(ike_get_policy(b, 32, &got), 0);
	assert_int_equal(got.if_id, 7);
	assert_int_equal(ike_get_policy(b, 28, &got), 0); /* none */
	assert_int_equal(got.if_id, 0);
	assert_int_equal(ike_get_policy(b, 30, &got), -IKE_ERR_BAD_BODY);
	assert_int_equal(ike_get_policy(b, 33, &got), -IKE_ERR_BAD_BODY);
	m.if_id = 0x01020304;
	len = ike_put_add_sa(buf, 9, &m);
	assert_int_equal(len, IKE_HDR_LEN + IKE_ADD_SA_FIXED + 20 + 4);
	assert_int_equal(ike_get_add_sa(b, len - IKE_HDR_LEN, &gm), 0);
	assert_memory_equal(&gm, &m, sizeof(m));
	assert_int_equal(ike_get_add_sa(b, len - IKE_HDR_LEN - 2, &gm),
			 -IKE_ERR_BAD_BODY);
}

static void
test_update_sa(void **state)
{
	struct ike_update_sa m = {.spi = 0x1234,
				  .dir = 1,
				  .local = 0x0a000001,
				  .remote = 0x0a000002,
				  .encap = 1,
				  .encap_sport = 4500,
				  .encap_dport = 40123,
				  .reqid = 0},
			     got;
	uint8_t buf[IKE_MSG_MAX], *b = buf + IKE_HDR_LEN;
	struct ike_hdr h;
	size_t len = ike_put_update_sa(buf, 3, &m);

	(void)state;
	assert_int_equal(len, IKE_HDR_LEN + 22);
	assert_int_equal(ike_frame(buf, len, &h), (int)len);
	assert_int_equal(h.type, IKE_MSG_UPDATE_SA);
	assert_int_equal(ike_get_update_sa(b, 22, &got), 0);
	assert_int_equal(got.spi, m.spi);
	assert_int_equal(got.dir, m.dir);
	assert_int_equal(got.local, m.local);
	assert_int_equal(got.remote, m.remote);
	assert_int_equal(got.encap, 1);
	assert_int_equal(got.encap_sport, 4500);
	assert_int_equal(got.encap_dport, 40123);
	assert_int_equal(got.reqid, 0);
	assert_int_equal(ike_get_update_sa(b, 21, &got), -IKE_ERR_BAD_BODY);
	assert_int_equal(ike_get_update_sa(b, 23, &got), -IKE_ERR_BAD_BODY);
	m.encap = 2;
	ike_put_update_sa(buf, 3, &m);
	assert_int_equal(ike_get_update_sa(b, 22, &got), -IKE_ERR_BAD_BODY);
}

static void
test_small_bodies(void **state)
{
	struct ike_sa_id id = {.spi = 4097, .dir = 1}, gid;
	struct ike_expire e = {.spi = 4097, .reqid = 2, .dir = 0, .hard = 1},
			  ge;
	uint8_t buf[IKE_MSG_MAX], *b = buf + IKE_HDR_LEN;
	uint32_t src, dst;
	int32_t st;

	(void)state;
	ike_put_sa_id(buf, IKE_MSG_DEL_SA, 1, &id);
	assert_int_equal(ike_get_sa_id(b, 5, &gid), 0);
	assert_int_equal(gid.spi, 4097);
	assert_int_equal(ike_get_sa_id(b, 4, &gid), -IKE_ERR_BAD_BODY);
	assert_int_equal(ike_get_sa_id(b, 6, &gid), -IKE_ERR_BAD_BODY);
	assert_int_equal(ike_put_expire(buf, &e), IKE_HDR_LEN + 10);
	assert_int_equal(ike_get_expire(b, 10, &ge), 0);
	assert_int_equal(ge.hard, 1);
	assert_int_equal(ge.reqid, 2);
	assert_int_equal(ike_get_get_spi(b, 7, &src, &dst), -IKE_ERR_BAD_BODY);
	assert_int_equal(ike_put_reply(buf, 77, -22, "abcd", 4),
			 IKE_HDR_LEN + 8);
	memcpy(&st, b, 4);
	assert_int_equal((int32_t)__builtin_bswap32((uint32_t)st), -22);
	/* a reply too big for a message is refused, not truncated */
	assert_int_equal(ike_put_reply(buf, 1, 0, buf, IKE_MSG_MAX), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_partial_and_whole),
		cmocka_unit_test(test_frame_errors),
		cmocka_unit_test(test_frame_garbage),
		cmocka_unit_test(test_add_sa_round_trip),
		cmocka_unit_test(test_add_sa_bad_bodies),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_if_id),
		cmocka_unit_test(test_update_sa),
		cmocka_unit_test(test_small_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
