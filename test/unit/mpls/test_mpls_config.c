/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "mpls" config section with the real sections it depends on: every
 * check's exact "FILE:LINE: PATH: VALUE: REASON", a full section that
 * loads, and its running-config round trip (print, load, equal, print
 * the same). No EAL: the loader and the checks are plain C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "iface.h"
#include "mpls.h"
#include "port.h"
#include "route.h"

/* Lines 1-16; the mpls section of a case is line 17. */
static const char base[] =
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0\"; },\n"
	"  { name = \"p1\"; device = \"net_null1\"; }\n"
	");\n"
	"interfaces = (\n"
	"  { name = \"a\"; port = \"p0\"; address = \"192.168.1.1/24\";"
	" vrf = \"cust-a\"; },\n"
	"  { name = \"core\"; port = \"p1\"; address = \"10.0.0.1/29\";"
	" vrf = \"default\"; },\n"
	"  { name = \"up\"; port = \"p1\"; vlan = 7; vrf = \"default\"; }\n"
	");\n"
	"vrfs = (\n"
	"  { name = \"cust-a\"; id = 1;\n"
	"    routes = ( { prefix = \"10.9.0.0/16\"; via = \"192.168.1.9\"; } );"
	" },\n"
	"  { name = \"cust-b\"; id = 2; }\n"
	");\n"
	"\n"
	"\n";
#define MPLS_LINE 17

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
	&mpls_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

/* What a case's mpls section adds to a working one. */
#define LSP "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";" \
	    " via = \"10.0.0.2\"; labels = \"16002\"; } );"
#define IFS "interfaces = ( \"core\" );"

static int
load(const char *mpls, struct cfg_model **m, struct cfg_diag *diag)
{
	char text[4096];

	snprintf(text, sizeof(text), "%smpls = { %s };\n", base, mpls);
	return cfg_load_string("t.cfg", text, sections, N_SECTIONS, m, diag);
}

static void
assert_error(const char *mpls, const char *path, const char *rest)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char want[512];

	snprintf(want, sizeof(want), "t.cfg:%d: %s: %s", MPLS_LINE, path,
		 rest);
	if (load(mpls, &m, &diag) == 0) {
		cfg_model_free(m);
		fail_msg("loaded: %s", mpls);
	}
	if (diag.n == 0 || strcmp(diag.msg[0], want) != 0) {
		print_error("mpls = { %s }\n  want %s\n  got  %s\n", mpls, want,
			    diag.n ? diag.msg[0] : "(no message)");
		cfg_diag_free(&diag);
		fail();
	}
	cfg_diag_free(&diag);
}

static void
test_interfaces_and_tc_map(void **state)
{
	(void)state;
	assert_error("interfaces = ( \"core\", \"nope\" );",
		     "mpls.interfaces.[1]", "\"nope\": no such interface");
	assert_error("interfaces = ( \"core\", \"core\" );",
		     "mpls.interfaces.[1]", "\"core\": listed twice");
	assert_error("tc_map = ( { dscp = 46; tc = 5; }, { dscp = 46; tc = 4;"
		     " } );",
		     "mpls.tc_map.[1].dscp",
		     "46: DSCP already mapped by tc_map.[0]");
	assert_error("tc_map = ( { dscp = 46; tc = 8; } );",
		     "mpls.tc_map.[0].tc", "8: must be 0..7");
	assert_error("tc_map = ( { dscp = 64; tc = 1; } );",
		     "mpls.tc_map.[0].dscp", "64: must be 0..63");
	assert_error("max_labels = 9;", "mpls.max_labels", "9: must be 1..8");
}

static void
test_vrfs(void **state)
{
	(void)state;
	assert_error("vrfs = ( { vrf = \"cust-x\"; rd = \"1:1\"; label = 100;"
		     " } );",
		     "mpls.vrfs.[0].vrf", "\"cust-x\": no such VRF");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1\"; label = 100; }"
		     " );",
		     "mpls.vrfs.[0].rd",
		     "\"1\": expected ASN:n or IPv4:n (RFC 4364 4.2)");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"70000:70000\";"
		     " label = 100; } );", "mpls.vrfs.[0].rd",
		     "\"70000:70000\": after a 4-byte ASN the number is "
		     "0..65535");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"10.0.0.1:65536\";"
		     " label = 100; } );", "mpls.vrfs.[0].rd",
		     "\"10.0.0.1:65536\": after an IPv4 address the number "
		     "is 0..65535");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; } );",
		     "mpls.vrfs.[0].label", "a per-vrf VRF needs its label");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; label = 15;"
		     " } );",
		     "mpls.vrfs.[0].label", "15: must be 16..1048575");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\";"
		     " label_mode = \"per-prefix\"; label = 100; } );",
		     "mpls.vrfs.[0].label",
		     "100: a per-prefix VRF takes prefix_labels, not label");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; label = 100;"
		     " prefix_labels = ( { prefix = \"192.168.1.0/24\";"
		     " label = 101; } ); } );", "mpls.vrfs.[0].prefix_labels",
		     "prefix_labels need label_mode \"per-prefix\"");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; label = 100;"
		     " },"
		     " { vrf = \"cust-b\"; rd = \"1:2\"; label = 100; } );",
		     "mpls.vrfs.[0].label",
		     "100: label already used (lfib or another VRF)");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; label = 100;"
		     " },"
		     " { vrf = \"cust-b\"; rd = \"1:1\"; label = 101; } );",
		     "mpls.vrfs.[0].rd",
		     "\"1:1\": route distinguisher of another VRF");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\";"
		     " label_mode = \"per-prefix\"; prefix_labels = ("
		     " { prefix = \"192.168.1.0/24\"; label = 101; },"
		     " { prefix = \"192.168.1.0/24\"; label = 102; } ); } );",
		     "mpls.vrfs.[0].prefix_labels.[1].prefix",
		     "\"192.168.1.0/24\": prefix listed twice");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\"; label = 100;"
		     " },"
		     " { vrf = \"cust-a\"; rd = \"1:2\"; label = 101; } );",
		     "mpls.vrfs.[1]", "duplicate key (vrf = \"cust-a\"; first "
		     "at line 17)");
	assert_error("vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\";"
		     " label_mode = \"per-label\"; } );",
		     "mpls.vrfs.[0].label_mode",
		     "\"per-label\": expected one of: per-vrf, per-prefix");
}

static void
test_lsps(void **state)
{
	(void)state;
	assert_error(LSP, "mpls.lsps.[0].interface",
		     "\"core\": MPLS is not enabled on it (add it to "
		     "mpls.interfaces)");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"x\";"
		     " via = \"10.0.0.2\"; } );", "mpls.lsps.[0].interface",
		     "\"x\": no such interface");
	assert_error("interfaces = ( \"up\" ); lsps = ( { pe = \"10.255.0.2\";"
		     " interface = \"up\"; via = \"10.0.0.2\"; } );",
		     "mpls.lsps.[0].interface",
		     "\"up\": interface has no address (needed for ARP)");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
		     " via = \"10.0.1.2\"; } );", "mpls.lsps.[0].via",
		     "\"10.0.1.2\": not on the interface's subnet");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
		     " via = \"10.0.0.1\"; } );", "mpls.lsps.[0].via",
		     "\"10.0.0.1\": is the interface's own address");
	assert_error(IFS "lsps = ( { pe = \"0.0.0.0\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; } );", "mpls.lsps.[0].pe",
		     "\"0.0.0.0\": must not be 0.0.0.0");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; labels = \"16/7\"; } );",
		     "mpls.lsps.[0].labels", "\"16/7\": label 7 "
		     "(entropy-label-indicator) is reserved: use 0, "
		     "16..1048575, or implicit-null alone");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; labels = \"16/17/18\"; } );",
		     "mpls.lsps.[0].labels", "\"16/17/18\": with the VPN "
		     "label that is 4 labels, more than max_labels (3)");
	assert_error(IFS "lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; }, { pe = \"10.255.0.2\";"
		     " interface = \"core\"; via = \"10.0.0.3\"; } );",
		     "mpls.lsps.[1]",
		     "duplicate key (pe = \"10.255.0.2\"; first at line 17)");
}

static void
test_vpn_routes(void **state)
{
	(void)state;
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-x\";"
		     " prefix = \"10.1.0.0/16\"; pe = \"10.255.0.2\";"
		     " label = 100; } );", "mpls.vpn_routes.[0].vrf",
		     "\"cust-x\": no such VRF");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"10.1.0.0/16\"; pe = \"10.255.0.3\";"
		     " label = 100; } );", "mpls.vpn_routes.[0].pe",
		     "\"10.255.0.3\": no LSP to this PE (add one to "
		     "mpls.lsps)");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"10.9.0.0/16\"; pe = \"10.255.0.2\";"
		     " label = 100; } );", "mpls.vpn_routes.[0].prefix",
		     "\"10.9.0.0/16\": the VRF has a static route with this "
		     "prefix");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"192.168.1.0/24\"; pe = \"10.255.0.2\";"
		     " label = 100; } );", "mpls.vpn_routes.[0].prefix",
		     "\"192.168.1.0/24\": the VRF has a connected or local "
		     "route with this prefix");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"10.1.0.0/16\"; pe = \"10.255.0.2\";"
		     " label = 100; }, { vrf = \"cust-a\";"
		     " prefix = \"10.1.0.0/16\"; pe = \"10.255.0.2\";"
		     " label = 101; } );", "mpls.vpn_routes.[1]",
		     "duplicate key (vrf = \"cust-a\", prefix = "
		     "\"10.1.0.0/16\"; first at line 17)");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"10.1.0.0/16\"; pe = \"10.255.0.2\";"
		     " label = 3; } );", "mpls.vpn_routes.[0].label",
		     "3: must be 16..1048575");
	assert_error(IFS LSP "vpn_routes = ( { vrf = \"cust-a\";"
		     " prefix = \"10.1.0.1/16\"; pe = \"10.255.0.2\";"
		     " label = 100; } );", "mpls.vpn_routes.[0].prefix",
		     "\"10.1.0.1/16\": host bits set (did you mean "
		     "10.1.0.0/16?)");
}

static void
test_lfib(void **state)
{
	(void)state;
	assert_error(IFS "lfib = ( { label = 100; action = \"swap\";"
		     " interface = \"core\"; via = \"10.0.0.2\"; } );",
		     "mpls.lfib.[0]", "swap needs out_labels");
	assert_error(IFS "lfib = ( { label = 100; action = \"swap\";"
		     " out_labels = \"200\"; } );", "mpls.lfib.[0]",
		     "needs both interface and via");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop\";"
		     " interface = \"core\"; } );", "mpls.lfib.[0]",
		     "needs both interface and via");
	assert_error(IFS "lfib = ( { label = 100; action = \"swap\";"
		     " out_labels = \"200\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; vrf = \"cust-a\"; } );",
		     "mpls.lfib.[0].vrf",
		     "\"cust-a\": only pop-lookup takes a vrf");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop\";"
		     " out_labels = \"200\"; } );", "mpls.lfib.[0].out_labels",
		     "\"200\": only swap takes out_labels");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop-lookup\"; }"
		     " );",
		     "mpls.lfib.[0]", "pop-lookup needs a vrf");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop-lookup\";"
		     " vrf = \"cust-a\"; via = \"10.0.0.2\"; } );",
		     "mpls.lfib.[0].via",
		     "\"10.0.0.2\": pop-lookup takes no next hop");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop-lookup\";"
		     " vrf = \"nope\"; } );", "mpls.lfib.[0].vrf",
		     "\"nope\": no such VRF");
	assert_error(IFS "lfib = ( { label = 100; action = \"swap\";"
		     " out_labels = \"200/300/400/500\"; interface = \"core\";"
		     " via = \"10.0.0.2\"; } );", "mpls.lfib.[0].out_labels",
		     "\"200/300/400/500\": at most 3 labels");
	assert_error(IFS "vrfs = ( { vrf = \"cust-a\"; rd = \"1:1\";"
		     " label = 100; } ); lfib = ( { label = 100;"
		     " action = \"pop\"; } );", "mpls.vrfs.[0].label",
		     "100: label already used (lfib or another VRF)");
	assert_error(IFS "lfib = ( { label = 100; action = \"pop\"; },"
		     " { label = 100; action = \"pop\"; } );",
		     "mpls.lfib.[1]", "duplicate key (label = 100; first at "
		     "line 17)");
	assert_error(IFS "lfib = ( { label = 2; action = \"pop\"; } );",
		     "mpls.lfib.[0].label", "2: must be 16..1048575");
	assert_error(IFS "lfib = ( { label = 100; action = \"push\"; } );",
		     "mpls.lfib.[0].action",
		     "\"push\": expected one of: swap, pop, pop-lookup");
}

static const char full[] =
	"max_labels = 4; interfaces = ( \"core\" );"
	" tc_map = ( { dscp = 10; tc = 4; }, { dscp = 0; tc = 1; } );"
	" vrfs = ( { vrf = \"cust-a\"; rd = \"65000:1\"; label = 1001; },"
	" { vrf = \"cust-b\"; rd = \"10.0.0.1:2\"; label_mode = \"per-prefix\";"
	" ttl_mode = \"pipe\"; tc_copy_on_pop = true; prefix_labels = ("
	" { prefix = \"10.2.0.0/16\"; label = 1002; } ); } );"
	" lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
	" via = \"10.0.0.2\"; labels = \"16002/16003\"; },"
	" { pe = \"10.255.0.3\"; interface = \"core\"; via = \"10.0.0.3\"; } );"
	" vpn_routes = ( { vrf = \"cust-a\"; prefix = \"10.1.0.0/16\";"
	" pe = \"10.255.0.2\"; label = 2001; },"
	" { vrf = \"cust-b\"; prefix = \"0.0.0.0/0\"; pe = \"10.255.0.3\";"
	" label = 3001; } );"
	" lfib = ( { label = 24001; action = \"pop\"; },"
	" { label = 24002; action = \"swap\"; out_labels = \"implicit-null\";"
	" interface = \"core\"; via = \"10.0.0.4\"; },"
	" { label = 24003; action = \"pop-lookup\"; vrf = \"default\"; } );";

static char *
print_model(const struct cfg_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	return text;
}

static void
test_full_round_trip(void **state)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL, *again = NULL;
	const struct mpls_conf *mc;
	char *text, *text2;
	unsigned int i;

	(void)state;
	if (load(full, &m, &diag) != 0) {
		for (i = 0; i < diag.n; i++)
			print_error("%s\n", diag.msg[i]);
		fail();
	}
	mc = cfg_model_section(m, "mpls");
	assert_int_equal(mc->max_labels, 4);
	assert_int_equal(mc->vrfs.n, 2);
	assert_int_equal(mc->lsps.n, 2);
	assert_int_equal(mc->vpn_routes.n, 2);
	assert_int_equal(mc->lfib.n, 3);
	text = print_model(m);
	assert_non_null(strstr(text, "labels = \"16002/16003\";"));
	assert_non_null(strstr(text, "ttl_mode = \"pipe\";"));
	assert_int_equal(cfg_load_string("running", text, sections,
					 N_SECTIONS, &again, &diag), 0);
	assert_true(cfg_model_equal(m, again));
	text2 = print_model(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	cfg_model_free(again);
	cfg_model_free(m);
}

/* No mpls section at all: defaults, and nothing printed for it. */
static void
test_absent(void **state)
{
	struct cfg_model *m = NULL;
	const struct mpls_conf *mc;
	char text[2048], *out;

	(void)state;
	snprintf(text, sizeof(text), "%s", base);
	assert_int_equal(cfg_load_string("t.cfg", text, sections, N_SECTIONS,
					 &m, NULL), 0);
	mc = cfg_model_section(m, "mpls");
	assert_int_equal(mc->max_labels, 3);
	assert_int_equal(mc->interfaces.n, 0);
	out = print_model(m);
	assert_null(strstr(out, "mpls"));
	free(out);
	cfg_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interfaces_and_tc_map),
		cmocka_unit_test(test_vrfs),
		cmocka_unit_test(test_lsps),
		cmocka_unit_test(test_vpn_routes),
		cmocka_unit_test(test_lfib),
		cmocka_unit_test(test_full_round_trip),
		cmocka_unit_test(test_absent),
	};

	return cmocka_run_group_tests_name("mpls-config", tests, NULL, NULL);
}
