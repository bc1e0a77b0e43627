/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/classify rule sets on rte_acl (EAL without hugepages, no worker):
 * rules compiled into a context and classified with search keys built as
 * ferry_classify builds them: first match wins, port ranges and prefix
 * edges, protocol and DSCP, actions, default deny; and a replacement
 * whose build fails leaves the published set in place.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify_priv.h"
#include "eal_test.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static unsigned int gen;

static struct acl_rule_conf
rule(int action, const char *proto, const char *dport)
{
	struct acl_rule_conf rc = { .action = action };

	snprintf(rc.proto, sizeof(rc.proto), "%s", proto);
	snprintf(rc.dport, sizeof(rc.dport), "%s", dport);
	return rc;
}

static struct acl_key
key(uint8_t proto, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, uint8_t dscp)
{
	struct acl_key k = {
		.proto = proto, .src = rte_cpu_to_be_32(src),
		.dst = rte_cpu_to_be_32(dst), .sport = rte_cpu_to_be_16(sport),
		.dport = rte_cpu_to_be_16(dport), .dscp = dscp,
	};

	return k;
}

static struct acl_rt *
build(const struct acl_rule_conf *rules, unsigned int n, int dflt)
{
	uint32_t slots[64];
	char err[160] = "";
	struct acl_rt *rt;
	unsigned int i;

	for (i = 0; i < n; i++)
		slots[i] = 100 + i;
	rt = acl_rt_build("t", gen++, rules, slots, n, dflt, 99, 0, err,
			  sizeof(err));
	if (rt == NULL)
		fprintf(stderr, "build: %s\n", err);
	assert_non_null(rt);
	return rt;
}

/* The result (0 = default, else rule number) for one key. */
static uint32_t
one(const struct acl_rt *rt, struct acl_key k)
{
	const uint8_t *data[1] = { (const uint8_t *)&k };
	uint32_t res = UINT32_MAX;

	acl_rt_classify(rt, data, &res, 1);
	return res;
}

static void
test_first_match(void **state)
{
	struct acl_rule_conf r[3] = {
		rule(ACL_PERMIT, "tcp", "22"), rule(ACL_DENY, "tcp", "22"),
		rule(ACL_PERMIT, "tcp", ""),
	};
	struct acl_rt *rt;

	(void)state;
	r[0].src = (struct cfg_ipv4_prefix){ IP(203, 0, 113, 0), 24 };
	r[0].qos_class = 5;
	rt = build(r, 3, ACL_DENY);
	assert_int_equal(one(rt, key(6, IP(203, 0, 113, 9), 1, 999, 22, 0)),
			 1);
	assert_int_equal(one(rt, key(6, IP(198, 18, 0, 1), 1, 999, 22, 0)),
			 2);
	assert_int_equal(one(rt, key(6, IP(198, 18, 0, 1), 1, 999, 80, 0)),
			 3);
	assert_int_equal(one(rt, key(17, IP(203, 0, 113, 9), 1, 9, 22, 0)),
			 0);
	assert_true(acl_rt_action(rt, 1)->flags & ACL_A_PERMIT);
	assert_true(acl_rt_action(rt, 1)->flags & ACL_A_CLASS);
	assert_int_equal(acl_rt_action(rt, 1)->qos_class, 5);
	assert_int_equal(acl_rt_action(rt, 1)->slot, 100);
	assert_false(acl_rt_action(rt, 2)->flags & ACL_A_PERMIT);
	assert_false(acl_rt_action(rt, 0)->flags & ACL_A_PERMIT);
	assert_int_equal(acl_rt_action(rt, 0)->slot, 99);
	acl_rt_free(rt);

	/* The same rules the other way round: order, not specificity. */
	r[0] = rule(ACL_PERMIT, "tcp", "");
	r[2] = rule(ACL_PERMIT, "tcp", "22");
	rt = build(r, 3, ACL_DENY);
	assert_int_equal(one(rt, key(6, IP(198, 18, 0, 1), 1, 999, 22, 0)),
			 1);
	acl_rt_free(rt);
}

static void
test_port_ranges(void **state)
{
	struct acl_rule_conf r[2] = {
		rule(ACL_PERMIT, "udp", "1000-1999"), rule(ACL_PERMIT, "tcp", ""),
	};
	struct acl_rt *rt;

	(void)state;
	snprintf(r[1].sport, sizeof(r[1].sport), "0-1023");
	rt = build(r, 2, ACL_DENY);
	assert_int_equal(one(rt, key(17, 1, 2, 5, 999, 0)), 0);
	assert_int_equal(one(rt, key(17, 1, 2, 5, 1000, 0)), 1);
	assert_int_equal(one(rt, key(17, 1, 2, 5, 1999, 0)), 1);
	assert_int_equal(one(rt, key(17, 1, 2, 5, 2000, 0)), 0);
	assert_int_equal(one(rt, key(6, 1, 2, 1023, 2000, 0)), 2);
	assert_int_equal(one(rt, key(6, 1, 2, 1024, 2000, 0)), 0);
	assert_int_equal(one(rt, key(6, 1, 2, 0, 65535, 0)), 2);
	acl_rt_free(rt);
}

static void
test_prefixes(void **state)
{
	struct acl_rule_conf r[3] = {
		rule(ACL_DENY, "", ""), rule(ACL_PERMIT, "", ""),
		rule(ACL_PERMIT, "", ""),
	};
	struct acl_rt *rt;

	(void)state;
	r[0].src = (struct cfg_ipv4_prefix){ IP(203, 0, 113, 7), 32 };
	r[1].src = (struct cfg_ipv4_prefix){ IP(203, 0, 113, 0), 24 };
	r[2].dst = (struct cfg_ipv4_prefix){ IP(10, 0, 0, 0), 8 };
	rt = build(r, 3, ACL_DENY);
	assert_int_equal(one(rt, key(6, IP(203, 0, 113, 7), 1, 1, 1, 0)), 1);
	assert_int_equal(one(rt, key(6, IP(203, 0, 113, 6), 1, 1, 1, 0)), 2);
	assert_int_equal(one(rt, key(6, IP(203, 0, 113, 255), 1, 1, 1, 0)),
			 2);
	assert_int_equal(one(rt, key(6, IP(203, 0, 114, 0), 1, 1, 1, 0)), 0);
	assert_int_equal(one(rt, key(6, IP(203, 0, 112, 255), 1, 1, 1, 0)),
			 0);
	assert_int_equal(one(rt, key(6, 5, IP(10, 255, 255, 255), 1, 1, 0)),
			 3);
	assert_int_equal(one(rt, key(6, 5, IP(11, 0, 0, 0), 1, 1, 0)), 0);
	acl_rt_free(rt);
}

static void
test_dscp(void **state)
{
	struct acl_rule_conf r[2] = {
		rule(ACL_PERMIT, "", ""), rule(ACL_PERMIT, "udp", ""),
	};
	struct acl_rt *rt;

	(void)state;
	snprintf(r[0].dscp, sizeof(r[0].dscp), "ef");
	snprintf(r[0].set_tc, sizeof(r[0].set_tc), "5");
	snprintf(r[1].set_dscp, sizeof(r[1].set_dscp), "af41");
	rt = build(r, 2, ACL_PERMIT);
	assert_int_equal(one(rt, key(6, 1, 2, 1, 1, 46)), 1);
	assert_int_equal(one(rt, key(6, 1, 2, 1, 1, 47)), 0);
	assert_int_equal(one(rt, key(17, 1, 2, 1, 1, 46)), 1);
	assert_int_equal(one(rt, key(17, 1, 2, 1, 1, 0)), 2);
	assert_int_equal(acl_rt_action(rt, 1)->flags,
			 ACL_A_PERMIT | ACL_A_TC);
	assert_int_equal(acl_rt_action(rt, 1)->tc, 5);
	assert_int_equal(acl_rt_action(rt, 2)->flags,
			 ACL_A_PERMIT | ACL_A_DSCP);
	assert_int_equal(acl_rt_action(rt, 2)->dscp, 34);
	assert_true(acl_rt_action(rt, 0)->flags & ACL_A_PERMIT);
	acl_rt_free(rt);
}

static void
test_default_deny_empty(void **state)
{
	struct acl_rt *rt = build(NULL, 0, ACL_DENY);

	(void)state;
	assert_null(rt->ctx);
	assert_int_equal(one(rt, key(6, 1, 2, 1, 1, 0)), 0);
	assert_false(acl_rt_action(rt, 0)->flags & ACL_A_PERMIT);
	acl_rt_free(rt);
}

static void
test_bad_rule_text(void **state)
{
	struct acl_rule_conf r = rule(ACL_PERMIT, "tcp", "90-80");
	uint32_t slot = 1;
	char err[160] = "";

	(void)state;
	assert_null(acl_rt_build("bad", gen++, &r, &slot, 1, ACL_DENY, 2, 0,
				 err, sizeof(err)));
	assert_non_null(strstr(err, "rule 1.dport"));
}

/* acl_install: a failed build leaves the published set working. */
static void
test_replace_keeps_old_on_failure(void **state)
{
	struct acl_rule_conf many[64], two[2] = {
		rule(ACL_PERMIT, "tcp", "8080"), rule(ACL_DENY, "udp", ""),
	};
	struct acl_conf ac = { .name = "keep", .default_action = ACL_DENY };
	struct acl_rt *before;
	char err[200] = "";
	unsigned int i;
	int id;

	(void)state;
	ac.rules.items = two;
	ac.rules.n = 2;
	assert_int_equal(acl_install(&ac, NULL, err, sizeof(err)), 0);
	id = acl_id_find("keep");
	assert_true(id >= 0);
	before = classify_dp.acl[id];
	assert_int_equal(one(before, key(6, 1, 2, 1, 8080, 0)), 1);

	/* Many port ranges need far more than a 4 KiB context. */
	for (i = 0; i < 64; i++) {
		many[i] = rule(ACL_PERMIT, "tcp", "");
		snprintf(many[i].dport, sizeof(many[i].dport), "%u-%u",
			 1000 + i * 7, 1003 + i * 13);
		many[i].src = (struct cfg_ipv4_prefix){ IP(10, i, 0, 0), 16 };
	}
	ac.rules.items = many;
	ac.rules.n = 64;
	classify_build_limit_set(4096);
	assert_true(acl_install(&ac, NULL, err, sizeof(err)) < 0);
	classify_build_limit_set(0);
	assert_non_null(strstr(err, "acl keep: rte_acl_build of 64 rules "
				"failed"));
	assert_non_null(strstr(err, "the running rules stay"));
	assert_ptr_equal(classify_dp.acl[id], before);
	assert_int_equal(one(classify_dp.acl[id], key(6, 1, 2, 1, 8080, 0)),
			 1);

	/* Without the cap the same rules build and replace the set. */
	assert_int_equal(acl_install(&ac, NULL, err, sizeof(err)), 0);
	assert_ptr_not_equal(classify_dp.acl[id], before);
	assert_int_equal(one(classify_dp.acl[id],
			     key(6, IP(10, 3, 0, 1), 2, 1, 1021, 0)), 4);
	acl_uninstall("keep");
	assert_int_equal(acl_id_find("keep"), -1);
}

static int
setup(void **state)
{
	(void)state;
	return eal_test_start("test_classify", NULL, 0);
}

static int
teardown(void **state)
{
	(void)state;
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_port_ranges),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_dscp),
		cmocka_unit_test(test_default_deny_empty),
		cmocka_unit_test(test_bad_rule_text),
		cmocka_unit_test(test_replace_keeps_old_on_failure),
	};

	return cmocka_run_group_tests_name("classify", tests, setup,
					   teardown);
}
