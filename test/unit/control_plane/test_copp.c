/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CoPP's pure logic (lib/control_plane/copp.h): the class of each kind
 * of punted packet, and the token bucket on an explicit clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "copp.h"

static void
test_classes(void **state)
{
	(void)state;
	/* BGP either way: ferry's side may have opened the session. */
	assert_int_equal(copp_classify(6, 40000, 179), COPP_ROUTING);
	assert_int_equal(copp_classify(6, 179, 40000), COPP_ROUTING);
	assert_int_equal(copp_classify(6, 50000, 646), COPP_ROUTING);
	assert_int_equal(copp_classify(17, 49152, 3784), COPP_ROUTING);
	assert_int_equal(copp_classify(17, 49152, 4784), COPP_ROUTING);
	assert_int_equal(copp_classify(89, 0, 0), COPP_ROUTING);
	assert_int_equal(copp_classify(112, 0, 0), COPP_ROUTING);
	assert_int_equal(copp_classify(17, 500, 500), COPP_IKE);
	assert_int_equal(copp_classify(17, 4500, 4500), COPP_IKE);
	/* IKE is UDP only; TCP 500 is management like any other TCP. */
	assert_int_equal(copp_classify(6, 1234, 500), COPP_MANAGEMENT);
	assert_int_equal(copp_classify(6, 1234, 22), COPP_MANAGEMENT);
	assert_int_equal(copp_classify(17, 1234, 161), COPP_MANAGEMENT);
	assert_int_equal(copp_classify(1, 0, 0), COPP_ICMP);
	/* ICMPv6 (next header 58) that ferry does not answer: icmp too. */
	assert_int_equal(copp_classify(58, 0, 0), COPP_ICMP);
	assert_int_equal(copp_classify(17, 1234, 9999), COPP_OTHER);
	assert_int_equal(copp_classify(2, 0, 0), COPP_OTHER); /* IGMP */
	/* BGP's port is a TCP port: UDP 179 is not routing. */
	assert_int_equal(copp_classify(17, 1234, 179), COPP_OTHER);
}

static void
test_names(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < COPP_MAX; c++)
		assert_int_equal(copp_class_from_name(
			copp_class_name((enum copp_class)c)), c);
	assert_string_equal(copp_class_name(COPP_ROUTING), "routing");
	assert_int_equal(copp_class_from_name("nope"), -1);
	assert_string_equal(copp_class_name(COPP_MAX), "?");
}

/* 1000 ticks/s, 10 packets/s, burst 3: 100 ticks a packet. */
static void
test_bucket_burst_then_rate(void **state)
{
	struct copp_bucket b;
	unsigned int i, n = 0;
	uint64_t now = 5000;

	(void)state;
	copp_bucket_init(&b, 1000, 10, 3, now);
	for (i = 0; i < 10; i++)
		n += copp_bucket_take(&b, now);
	assert_int_equal(n, 3); /* the burst, then nothing at the same time */
	assert_false(copp_bucket_take(&b, now + 99));
	assert_true(copp_bucket_take(&b, now + 100));
	/* One second of a flood at 1000/s passes 10 (the rate). */
	n = 0;
	for (i = 1; i <= 1000; i++)
		n += copp_bucket_take(&b, now + 100 + i);
	assert_int_equal(n, 10);
}

static void
test_bucket_caps_at_burst(void **state)
{
	struct copp_bucket b;
	unsigned int i, n = 0;

	(void)state;
	copp_bucket_init(&b, 1000, 10, 3, 0);
	/* An hour of quiet saves up no more than the burst. */
	for (i = 0; i < 10; i++)
		n += copp_bucket_take(&b, 3600000);
	assert_int_equal(n, 3);
}

static void
test_bucket_zero_rate(void **state)
{
	struct copp_bucket b;

	(void)state;
	copp_bucket_init(&b, 1000, 0, 5, 0);
	assert_false(copp_bucket_take(&b, 0));
	assert_false(copp_bucket_take(&b, 1000000));
}

static void
test_bucket_rate_above_clock(void **state)
{
	struct copp_bucket b;
	unsigned int i, n = 0;

	(void)state;
	/* More packets/s than ticks/s: one tick a packet, not free. */
	copp_bucket_init(&b, 100, 1000, 1, 0);
	for (i = 1; i <= 50; i++)
		n += copp_bucket_take(&b, i);
	assert_int_equal(n, 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bucket_burst_then_rate),
		cmocka_unit_test(test_bucket_caps_at_burst),
		cmocka_unit_test(test_bucket_zero_rate),
		cmocka_unit_test(test_bucket_rate_above_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
