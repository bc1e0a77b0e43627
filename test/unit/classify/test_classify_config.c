/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "acls" config section with the sections it depends on: each
 * check's exact "FILE:LINE: PATH: VALUE: REASON", and a full section
 * that loads and prints back (running config) to an equal model. No EAL:
 * the loader and the checks are plain C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "config.h"
#include "iface.h"
#include "port.h"
#include "route.h"

/* Lines 1-9; the acls section of a case starts on line 10, one ACL a
 * line. */
static const char base[] =
	"ports = ( { name = \"p0\"; device = \"net_null0\"; },\n"
	"          { name = \"p1\"; device = \"net_null1\"; } );\n"
	"interfaces = (\n"
	"  { name = \"web\"; port = \"p0\"; address = \"192.0.2.1/24\"; },\n"
	"  { name = \"cust\"; port = \"p1\"; address = \"10.0.0.1/29\";"
	" vrf = \"cust-a\"; }\n"
	");\n"
	"vrfs = ( { name = \"cust-a\"; id = 1; } );\n"
	"\n"
	"\n";

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
	&acl_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static int
load(const char *acls, struct cfg_model **m, struct cfg_diag *diag)
{
	char text[4096];

	snprintf(text, sizeof(text), "%sacls = (\n%s\n);\n", base, acls);
	return cfg_load_string("t.cfg", text, sections, N_SECTIONS, m, diag);
}

/* The ACL (one line, line 11) and the one error it must give. */
static void
expect_error(const char *acl, const char *want)
{
	struct cfg_diag d = { 0 };
	struct cfg_model *m = NULL;

	assert_int_not_equal(load(acl, &m, &d), 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msg[0], want);
	cfg_diag_free(&d);
}

#define ACL(rules) "{ name = \"sg\"; default = \"deny\"; rules = ( " rules \
	" ); }"

static void
test_rule_errors(void **state)
{
	(void)state;
	expect_error(ACL("{ proto = \"tcp\"; dport = \"90-80\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].dport: \"90-80\": port "
		     "range runs backwards (N-M needs N <= M)");
	expect_error(ACL("{ proto = \"tcp\"; }, { proto = \"tpc\"; }"),
		     "t.cfg:11: acls.[0].rules.[1].proto: \"tpc\": protocol "
		     "must be a name (tcp, udp, icmp, esp, gre, ospf, ...) "
		     "or 0..255");
	expect_error(ACL("{ dport = \"22\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].dport: \"22\": ports need "
		     "proto tcp, udp or sctp");
	expect_error(ACL("{ proto = \"icmp\"; sport = \"7\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].sport: \"7\": ports need "
		     "proto tcp, udp or sctp");
	expect_error(ACL("{ dscp = \"af44\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].dscp: \"af44\": DSCP must "
		     "be 0..63 or a name (be, cs0-cs7, af11-af43, ef, va, le)");
	expect_error(ACL("{ set_tc = \"8\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].set_tc: \"8\": MPLS TC "
		     "must be 0..7");
	expect_error(ACL("{ action = \"deny\"; class = 2; }"),
		     "t.cfg:11: acls.[0].rules.[0].action: \"deny\": a deny "
		     "rule cannot set class, set_dscp or set_tc (the packet is "
		     "dropped)");
	expect_error(ACL("{ in_interface = \"nope\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].in_interface: \"nope\": no "
		     "such interface");
	expect_error(ACL("{ vrf = \"cust-b\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].vrf: \"cust-b\": no such "
		     "VRF");
	expect_error(ACL("{ src = \"10.0.0.1/8\"; }"),
		     "t.cfg:11: acls.[0].rules.[0].src: \"10.0.0.1/8\": host "
		     "bits set (did you mean 10.0.0.0/8?)");
}

static void
test_acl_errors(void **state)
{
	(void)state;
	expect_error("{ name = \"s g\"; }",
		     "t.cfg:11: acls.[0].name: \"s g\": ACL names take "
		     "letters, digits, '-', '_' and '.'");
	expect_error("{ name = \"a\"; },\n{ name = \"a\"; }",
		     "t.cfg:12: acls.[1]: duplicate key (name = \"a\"; first "
		     "at line 11)");
	expect_error("{ name = \"a\"; interfaces = ( \"nope\" ); }",
		     "t.cfg:11: acls.[0].interfaces.[0]: \"nope\": no such "
		     "interface");
	expect_error("{ name = \"a\"; interfaces = ( \"web\" ); },\n"
		     "{ name = \"b\"; interfaces = ( \"web\" ); }",
		     "t.cfg:12: acls.[1].interfaces.[0]: \"web\": interface "
		     "already bound to another ACL");
	expect_error("{ name = \"a\"; interfaces = ( \"web\", \"web\" ); }",
		     "t.cfg:11: acls.[0].interfaces.[1]: \"web\": interface "
		     "listed twice");
	expect_error("{ name = \"a\"; default = \"drop\"; }",
		     "t.cfg:11: acls.[0].default: \"drop\": expected one of: "
		     "permit, deny");
}

/* A full section loads and its running config loads to an equal model. */
static void
test_round_trip(void **state)
{
	struct cfg_model *m = NULL, *again = NULL;
	struct cfg_diag d = { 0 };
	char *text = NULL, full[4096];
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(load(
		"{ name = \"sg\"; default = \"deny\"; interfaces = ( \"web\" );"
		" rules = ( { proto = \"tcp\"; dport = \"8080\"; },"
		" { proto = \"tcp\"; dport = \"22\"; src = \"203.0.113.0/24\"; }"
		" ); },\n"
		"{ name = \"mark\"; interfaces = ( \"cust\" ); rules = ("
		" { in_interface = \"cust\"; vrf = \"cust-a\"; proto = \"udp\";"
		" sport = \"1024-65535\"; dport = \"5060\"; dscp = \"0\";"
		" dst = \"10.9.0.0/16\"; class = 3; set_dscp = \"ef\";"
		" set_tc = \"5\"; } ); }", &m, &d), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	assert_non_null(strstr(text, "set_dscp = \"ef\""));
	assert_non_null(strstr(text, "default = \"deny\""));
	snprintf(full, sizeof(full), "%s", text);
	assert_int_equal(cfg_load_string("rc.cfg", full, sections, N_SECTIONS,
					 &again, &d), 0);
	assert_true(cfg_model_equal(m, again));
	free(text);
	cfg_model_free(m);
	cfg_model_free(again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_errors),
		cmocka_unit_test(test_acl_errors),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("classify_config", tests, NULL,
					   NULL);
}
