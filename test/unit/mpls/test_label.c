/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mpls label.h and label.c: label stack entries bit by bit (RFC 3032
 * 2.1), the special-purpose labels, stack depth, label stacks in text,
 * the TTL/TC model helpers (RFC 3443) and the in-place IPv4 header
 * updates, checked against a full checksum recomputation. Pure C: no
 * EAL.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "label.h"

static void
test_lse_bits(void **state)
{
	uint8_t b[4];
	uint32_t lse;

	(void)state;
	lse = mpls_lse(0xabcde, 5, true, 0x40);
	assert_int_equal(lse, 0xabcdeb40);
	mpls_lse_write(b, lse);
	assert_int_equal(b[0], 0xab);
	assert_int_equal(b[1], 0xcd);
	assert_int_equal(b[2], 0xeb); /* label low nibble, TC 101, S 1 */
	assert_int_equal(b[3], 0x40);
	assert_int_equal(mpls_lse_read(b), lse);
	/* Each field alone lands in its own bits. */
	assert_int_equal(mpls_lse(1, 0, false, 0), 0x00001000);
	assert_int_equal(mpls_lse(0, 1, false, 0), 0x00000200);
	assert_int_equal(mpls_lse(0, 0, true, 0), 0x00000100);
	assert_int_equal(mpls_lse(0, 0, false, 1), 0x00000001);
	/* Out-of-range values are masked, never spill into a neighbour. */
	assert_int_equal(mpls_lse(0x1fffff, 0, false, 0), 0xfffff000);
	assert_int_equal(mpls_lse(0, 0xf, false, 0), 0x00000e00);
}

static void
test_lse_round_trip(void **state)
{
	static const uint32_t labels[] = { 0, 1, 3, 15, 16, 100, 65535,
					   0x80000, MPLS_LABEL_MAX };
	unsigned int i, tc, s, ttl;
	uint8_t b[4];
	uint32_t lse;

	(void)state;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		for (tc = 0; tc <= MPLS_TC_MAX; tc++)
			for (s = 0; s < 2; s++)
				for (ttl = 0; ttl < 256; ttl += 51) {
					lse = mpls_lse(labels[i], (uint8_t)tc,
						       s != 0, (uint8_t)ttl);
					mpls_lse_write(b, lse);
					lse = mpls_lse_read(b);
					assert_int_equal(mpls_lse_label(lse),
							 labels[i]);
					assert_int_equal(mpls_lse_tc(lse), tc);
					assert_int_equal(mpls_lse_bos(lse),
							 s != 0);
					assert_int_equal(mpls_lse_ttl(lse),
							 ttl);
				}
}

static void
test_reserved_labels(void **state)
{
	static const struct {
		uint32_t label;
		enum mpls_rsv_action action;
		const char *name;
	} t[] = {
		{ 0, MPLS_RSV_POP_IPV4, "ipv4-explicit-null" },
		{ 1, MPLS_RSV_ROUTER_ALERT, "router-alert" },
		{ 2, MPLS_RSV_POP_IPV6, "ipv6-explicit-null" },
		{ 3, MPLS_RSV_INVALID, "implicit-null" },
		{ 4, MPLS_RSV_INVALID, "unassigned" },
		{ 6, MPLS_RSV_INVALID, "unassigned" },
		{ 7, MPLS_RSV_ENTROPY, "entropy-label-indicator" },
		{ 8, MPLS_RSV_INVALID, "unassigned" },
		{ 12, MPLS_RSV_INVALID, "unassigned" },
		{ 13, MPLS_RSV_OAM, "gal" },
		{ 14, MPLS_RSV_OAM, "oam-alert" },
		{ 15, MPLS_RSV_INVALID, "extension" },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(mpls_reserved_action(t[i].label),
				 t[i].action);
		assert_string_equal(mpls_reserved_name(t[i].label), t[i].name);
	}
	assert_int_equal(MPLS_LABEL_IMPLICIT_NULL, 3);
	assert_int_equal(MPLS_LABEL_ELI, 7);
	assert_int_equal(MPLS_LABEL_FIRST_UNRESERVED, 16);
}

static void
test_stack_depth(void **state)
{
	uint8_t p[5 * MPLS_LSE_LEN] = { 0 };

	(void)state;
	mpls_lse_write(p, mpls_lse(16, 0, true, 64));
	assert_int_equal(mpls_stack_depth(p, 4, 3), 1);
	assert_int_equal(mpls_stack_depth(p, 3, 3), 0);   /* truncated */
	mpls_lse_write(p, mpls_lse(16, 7, false, 255));
	mpls_lse_write(p + 4, mpls_lse(17, 0, false, 1));
	mpls_lse_write(p + 8, mpls_lse(18, 0, true, 1));
	assert_int_equal(mpls_stack_depth(p, sizeof(p), 3), 3);
	assert_int_equal(mpls_stack_depth(p, 11, 3), 0);  /* S not reached */
	assert_int_equal(mpls_stack_depth(p, sizeof(p), 2), -1); /* too deep */
	assert_int_equal(mpls_stack_depth(p, 8, 2), -1);
	assert_int_equal(mpls_stack_depth(p, 0, 3), 0);
	/* TTL and TC bits never pass for S. */
	mpls_lse_write(p + 8, mpls_lse(0xfffff, 7, false, 255));
	mpls_lse_write(p + 12, mpls_lse(0, 0, true, 0));
	assert_int_equal(mpls_stack_depth(p, sizeof(p), 4), 4);
}

static void
assert_parse(const char *s, unsigned int max, unsigned int n_want,
	     const uint32_t *want)
{
	uint32_t got[MPLS_STACK_TEXT_MAX];
	const char *why = "unset";
	unsigned int n = 99, i;

	assert_int_equal(mpls_stack_parse(s, got, max, &n, &why), 0);
	assert_null(why);
	assert_int_equal(n, n_want);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void
assert_refused(const char *s, unsigned int max, const char *reason)
{
	uint32_t got[MPLS_STACK_TEXT_MAX];
	const char *why = NULL;
	unsigned int n = 99;

	assert_int_equal(mpls_stack_parse(s, got, max, &n, &why), -EINVAL);
	assert_string_equal(why, reason);
	assert_int_equal(n, 99);
}

static void
test_stack_parse(void **state)
{
	static const uint32_t one[] = { 16 }, two[] = { 16001, 24005 },
		null_below[] = { 16, 0 }, top[] = { MPLS_LABEL_MAX, 0, 17 };
	static const char *const fmt =
		"expected labels L1/L2/... (outermost first) or implicit-null";

	(void)state;
	assert_parse("16", 4, 1, one);
	assert_parse("16001/24005", 4, 2, two);
	assert_parse("16/0", 2, 2, null_below);
	assert_parse("1048575/0/17", 3, 3, top);
	assert_parse("implicit-null", 4, 0, NULL);
	assert_parse("3", 4, 0, NULL);
	assert_refused("", 4, fmt);
	assert_refused("16/", 4, fmt);
	assert_refused("/16", 4, fmt);
	assert_refused("16//17", 4, fmt);
	assert_refused("016", 4, fmt);
	assert_refused("+16", 4, fmt);
	assert_refused("16 17", 4, fmt);
	assert_refused("implicit", 4, fmt);
	assert_refused("3/16", 4, "implicit-null (3) stands alone");
	assert_refused("16/3", 4, "implicit-null (3) stands alone");
	assert_refused("15", 4, "label 15 (extension) is reserved: use 0, "
		       "16..1048575, or implicit-null alone");
	assert_refused("16/1", 4, "label 1 (router-alert) is reserved: use "
		       "0, 16..1048575, or implicit-null alone");
	assert_refused("1048576", 4, "label above 1048575");
	assert_refused("99999999999999", 4, "label above 1048575");
	assert_refused("16/17/18", 2, "at most 2 labels");
	assert_refused(NULL, 4, fmt);
}

static void
test_stack_format(void **state)
{
	static const uint32_t two[] = { 16001, 24005 };
	char buf[32];

	(void)state;
	assert_int_equal(mpls_stack_format(two, 2, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "16001/24005");
	assert_int_equal(mpls_stack_format(two, 0, buf, sizeof(buf)), 13);
	assert_string_equal(buf, "implicit-null");
	/* Truncated like snprintf, and says how long it would be. */
	assert_int_equal(mpls_stack_format(two, 2, buf, 6), 11);
	assert_string_equal(buf, "16001");
}

static void
test_ttl_tc_models(void **state)
{
	(void)state;
	/* RFC 3443 3.1: uniform copies the TTL into and out of the stack. */
	assert_int_equal(mpls_push_ttl(MPLS_TTL_UNIFORM, 63), 63);
	assert_int_equal(mpls_pop_ttl(MPLS_TTL_UNIFORM, 63, 61), 61);
	/* 3.3: pipe pushes 255 and leaves the IP TTL alone. */
	assert_int_equal(mpls_push_ttl(MPLS_TTL_PIPE, 63), MPLS_PIPE_TTL);
	assert_int_equal(mpls_pop_ttl(MPLS_TTL_PIPE, 63, 250), 63);
	/* TC: the class selector bits of the DSCP by default. */
	assert_int_equal(mpls_tc_default(46), 5);  /* EF */
	assert_int_equal(mpls_tc_default(10), 1);  /* AF11 */
	assert_int_equal(mpls_tc_default(63), 7);
	assert_int_equal(mpls_tc_default(0), 0);
	/* Back into the TOS byte as CSn, the ECN bits kept. */
	assert_int_equal(mpls_tos_from_tc(0xb8, 5), 0xa0);
	assert_int_equal(mpls_tos_from_tc(0x03, 7), 0xe3);
	assert_int_equal(mpls_tos_from_tc(0xff, 0), 0x03);
}

static uint16_t
cksum(const uint8_t *h)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i < 20; i += 2)
		if (i != 10)
			sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
header(uint8_t *h, uint32_t seed)
{
	unsigned int i;
	uint16_t c;

	srand(seed);
	for (i = 0; i < 20; i++)
		h[i] = (uint8_t)rand();
	h[0] = 0x45;
	c = cksum(h);
	h[10] = (uint8_t)(c >> 8);
	h[11] = (uint8_t)c;
}

/* The incremental update (RFC 1624 eqn. 3) equals a recomputation. */
static void
test_ip4_updates(void **state)
{
	uint8_t h[20];
	unsigned int seed, v;

	(void)state;
	for (seed = 1; seed < 300; seed++) {
		for (v = 0; v < 256; v += 17) {
			header(h, seed);
			mpls_ip4_ttl_set(h, (uint8_t)v);
			assert_int_equal(h[8], v);
			assert_int_equal(h[10] << 8 | h[11], cksum(h));
			header(h, seed);
			mpls_ip4_tos_set(h, (uint8_t)v);
			assert_int_equal(h[1], v);
			assert_int_equal(h[10] << 8 | h[11], cksum(h));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lse_bits),
		cmocka_unit_test(test_lse_round_trip),
		cmocka_unit_test(test_reserved_labels),
		cmocka_unit_test(test_stack_depth),
		cmocka_unit_test(test_stack_parse),
		cmocka_unit_test(test_stack_format),
		cmocka_unit_test(test_ttl_tc_models),
		cmocka_unit_test(test_ip4_updates),
	};

	return cmocka_run_group_tests_name("mpls-label", tests, NULL, NULL);
}
