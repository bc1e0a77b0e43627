/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/classify rule field text (pure C, no EAL): protocols, port ranges,
 * DSCP names and numbers, TCs; each bad form tried on its own.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "acl_text.h"

static void
test_proto(void **state)
{
	const char *bad[] = { "TCP", "256", "06", "-1", "tcp ", "x" };
	const char *why = NULL;
	unsigned int i;
	int p;

	(void)state;
	assert_int_equal(acl_proto_parse("", &p, &why), 0);
	assert_int_equal(p, ACL_ANY);
	assert_int_equal(acl_proto_parse("tcp", &p, &why), 0);
	assert_int_equal(p, 6);
	assert_int_equal(acl_proto_parse("udp", &p, &why), 0);
	assert_int_equal(p, 17);
	assert_int_equal(acl_proto_parse("0", &p, &why), 0);
	assert_int_equal(p, 0);
	assert_int_equal(acl_proto_parse("255", &p, &why), 0);
	assert_int_equal(p, 255);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(acl_proto_parse(bad[i], &p, &why), -EINVAL);
		assert_non_null(why);
	}
}

static void
test_ports(void **state)
{
	const char *bad[] = { "65536", "1-", "-1", "2-1", "1--2", "a",
			      "01", "1-02", " 1" };
	const char *why = NULL;
	uint16_t lo, hi;
	unsigned int i;

	(void)state;
	assert_int_equal(acl_ports_parse("", &lo, &hi, &why), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 65535);
	assert_int_equal(acl_ports_parse("22", &lo, &hi, &why), 0);
	assert_int_equal(lo, 22);
	assert_int_equal(hi, 22);
	assert_int_equal(acl_ports_parse("1024-65535", &lo, &hi, &why), 0);
	assert_int_equal(lo, 1024);
	assert_int_equal(hi, 65535);
	assert_int_equal(acl_ports_parse("0-0", &lo, &hi, &why), 0);
	assert_int_equal(hi, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(acl_ports_parse(bad[i], &lo, &hi, &why),
				 -EINVAL);
		assert_non_null(why);
	}
}

static void
test_dscp_tc(void **state)
{
	static const struct { const char *s; int v; } good[] = {
		{ "", ACL_ANY }, { "0", 0 }, { "63", 63 }, { "ef", 46 },
		{ "af41", 34 }, { "af11", 10 }, { "af43", 38 }, { "cs6", 48 },
		{ "be", 0 }, { "va", 44 }, { "le", 1 },
	};
	const char *why = NULL;
	unsigned int i;
	int v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(acl_dscp_parse(good[i].s, &v, &why), 0);
		assert_int_equal(v, good[i].v);
	}
	assert_int_equal(acl_dscp_parse("64", &v, &why), -EINVAL);
	assert_int_equal(acl_dscp_parse("EF", &v, &why), -EINVAL);
	assert_int_equal(acl_dscp_parse("af44", &v, &why), -EINVAL);
	assert_int_equal(acl_tc_parse("7", &v, &why), 0);
	assert_int_equal(v, 7);
	assert_int_equal(acl_tc_parse("", &v, &why), 0);
	assert_int_equal(v, ACL_ANY);
	assert_int_equal(acl_tc_parse("8", &v, &why), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_dscp_tc),
	};

	return cmocka_run_group_tests_name("acl_text", tests, NULL, NULL);
}
