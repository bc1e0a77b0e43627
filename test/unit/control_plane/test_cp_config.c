/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "control_plane" config section with the real sections it depends
 * on: each check's exact "FILE:LINE: PATH: VALUE: REASON", the namespace
 * a representor's TAP goes to (its own, its VRF's, ferry's), CoPP
 * defaults, and the running-config round trip. No EAL.
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
#include "control_plane.h"
#include "cp_priv.h"
#include "iface.h"
#include "port.h"
#include "route.h"

/* Lines 1-12; the control_plane section of a case is line 13. */
static const char base[] =
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0\"; }\n"
	");\n"
	"interfaces = (\n"
	"  { name = \"wan\"; port = \"p0\"; address = \"10.0.0.1/24\"; },\n"
	"  { name = \"cust-a-very-long-name\"; port = \"p0\"; vlan = 7;"
	" vrf = \"cust\"; }\n"
	");\n"
	"vrfs = (\n"
	"  { name = \"default\"; id = 0; },\n"
	"  { name = \"cust\"; id = 1; }\n"
	");\n"
	"\n";
#define CP_LINE 13

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section, &cp_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static int
load(const char *cp, struct cfg_model **m, struct cfg_diag *diag)
{
	char text[4096];

	snprintf(text, sizeof(text), "%scontrol_plane = { %s };\n", base, cp);
	return cfg_load_string("t.cfg", text, sections, N_SECTIONS, m, diag);
}

static void
assert_error(const char *cp, const char *path, const char *rest)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char want[512];

	snprintf(want, sizeof(want), "t.cfg:%d: %s: %s", CP_LINE, path, rest);
	if (load(cp, &m, &diag) == 0) {
		cfg_model_free(m);
		fail_msg("loaded: %s", cp);
	}
	if (diag.n == 0 || strcmp(diag.msg[0], want) != 0) {
		print_error("control_plane = { %s }\n  want %s\n  got  %s\n",
			    cp, want, diag.n ? diag.msg[0] : "(no message)");
		cfg_diag_free(&diag);
		fail();
	}
	cfg_diag_free(&diag);
}

static void
test_representor_errors(void **state)
{
	(void)state;
	assert_error("representors = ( { interface = \"nope\"; } );",
		     "control_plane.representors.[0].interface",
		     "\"nope\": no such interface");
	assert_error("representors = ( { interface = \"wan\"; },"
		     " { interface = \"wan\"; name = \"x\"; } );",
		     "control_plane.representors.[1]",
		     "duplicate key (interface = \"wan\"; first at line 13)");
	assert_error("representors = ( { interface = \"wan\"; name = \"a/b\";"
		     " } );", "control_plane.representors.[0].name",
		     "\"a/b\": not a Linux interface name (no / : or blanks)");
	assert_error("representors = ( { interface = \"wan\";"
		     " name = \"0123456789abcdef\"; } );",
		     "control_plane.representors.[0].name",
		     "\"0123456789abcdef\": too long (at most 15 characters)");
	/* The derived name of the second is "cust-a-very-lon". */
	assert_error("representors = ( { interface = \"wan\";"
		     " name = \"cust-a-very-lon\"; },"
		     " { interface = \"cust-a-very-long-name\"; } );",
		     "control_plane.representors.[1].name",
		     "\"cust-a-very-lon\": another representor has this TAP "
		     "name in its "
		     "namespace");
	assert_error("representors = ( { interface = \"wan\"; netns = \"..\";"
		     " } );", "control_plane.representors.[0].netns",
		     "\"..\": a namespace name is a file name in /run/netns");
}

static void
test_vrf_errors(void **state)
{
	(void)state;
	assert_error("vrf_netns = ( { vrf = \"cust\"; netns = \"a/b\"; } );",
		     "control_plane.vrf_netns.[0].netns",
		     "\"a/b\": a namespace name is a file name in /run/netns");
	assert_error("vrf_netns = ( { vrf = \"cust\"; netns = \"a\"; },"
		     " { vrf = \"cust\"; netns = \"b\"; } );",
		     "control_plane.vrf_netns.[1].vrf",
		     "\"cust\": VRF listed twice");
	assert_error("copp = { management = { rate = 10000001; }; };",
		     "control_plane.copp.management.rate",
		     "10000001: must be 0..10000000");
}

/* Own namespace, else the VRF's, else ferry's; the same TAP name in two
 * namespaces is fine. */
static void
test_netns_resolution(void **state)
{
	struct cfg_model *m = NULL;
	struct cfg_diag diag = { 0 };
	const struct cp_conf *c;
	const struct cp_rep_conf *r;

	(void)state;
	assert_int_equal(load("representors = ( { interface = \"wan\";"
			      " name = \"x\"; },"
			      " { interface = \"cust-a-very-long-name\";"
			      " name = \"x\"; } );"
			      " vrf_netns = ( { vrf = \"cust\";"
			      " netns = \"cust\"; } );", &m, &diag), 0);
	c = cfg_model_section(m, "control_plane");
	r = c->representors.items;
	assert_string_equal(cp_rep_netns(m, &r[0]), "");
	assert_string_equal(cp_rep_netns(m, &r[1]), "cust");
	cfg_model_free(m);
	assert_int_equal(load("representors = ( { interface = \"wan\";"
			      " netns = \"mgmt\"; } );", &m, &diag), 0);
	c = cfg_model_section(m, "control_plane");
	assert_string_equal(cp_rep_netns(m, c->representors.items), "mgmt");
	cfg_model_free(m);
}

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
test_defaults_and_round_trip(void **state)
{
	struct cfg_model *m = NULL, *again = NULL;
	const struct cp_conf *c;
	char *text, *text2;
	char name[CP_TAP_NAME_MAX + 1];

	(void)state;
	assert_int_equal(load("representors = ( { interface = \"wan\"; } );"
			      " copp = { management = { rate = 50; }; };",
			      &m, NULL), 0);
	c = cfg_model_section(m, "control_plane");
	assert_int_equal(c->copp.cls[COPP_ROUTING].rate, 2000);
	assert_int_equal(c->copp.cls[COPP_MANAGEMENT].rate, 50);
	assert_int_equal(c->copp.cls[COPP_MANAGEMENT].burst, 100);
	assert_string_equal(cp_tap_name_default("cust-a-very-long-name", name,
						sizeof(name)),
			    "cust-a-very-lon");
	text = print_model(m);
	assert_non_null(strstr(text, "interface = \"wan\";"));
	assert_non_null(strstr(text, "rate = 50;"));
	assert_int_equal(cfg_load_string("running", text, sections,
					 N_SECTIONS, &again, NULL), 0);
	assert_true(cfg_model_equal(m, again));
	text2 = print_model(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	cfg_model_free(again);
	cfg_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_representor_errors),
		cmocka_unit_test(test_vrf_errors),
		cmocka_unit_test(test_netns_resolution),
		cmocka_unit_test(test_defaults_and_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
