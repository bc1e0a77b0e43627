/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "qos" config section with the ports section it refers to: each
 * check's exact "FILE:LINE: PATH: REASON", the ceil default, and a full
 * section's running-config round trip. No EAL: loader and checks are
 * plain C.
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
#include "port.h"
#include "qos.h"

/* Lines 1-4; the qos section of a case is line 5. */
static const char base[] =
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0\"; },\n"
	"  { name = \"p1\"; device = \"net_null1\"; mtu = 1500; }\n"
	");\n";
#define QOS_LINE 5

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &qos_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

#define CLS3 "classes = ( { id = 1; rate = 3000000; }," \
	     " { id = 2; rate = 1000000; }, { id = 3; rate = 6000000; } )"

static int
load(const char *qos, struct cfg_model **m, struct cfg_diag *diag)
{
	char text[4096];

	snprintf(text, sizeof(text), "%sqos = { %s };\n", base, qos);
	return cfg_load_string("t.cfg", text, sections, N_SECTIONS, m, diag);
}

static void
assert_error(const char *qos, const char *rest)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char want[512];

	snprintf(want, sizeof(want), "t.cfg:%d: %s", QOS_LINE, rest);
	if (load(qos, &m, &diag) == 0) {
		cfg_model_free(m);
		fail_msg("loaded: %s", qos);
	}
	if (diag.n != 1 || strcmp(diag.msg[0], want) != 0)
		fail_msg("got %u errors, first \"%s\"\nwant \"%s\"", diag.n,
			 diag.n ? diag.msg[0] : "", want);
	cfg_diag_free(&diag);
}

static void
errors_name_the_setting(void **state)
{
	(void)state;
	assert_error("ports = ( { port = \"p9\"; rate = 10000000; "
		     "default_class = 1; " CLS3 "; } );",
		     "qos.ports.[0]: no port named \"p9\"");
	assert_error("ports = ( { port = \"p1\"; rate = 9000000; "
		     "default_class = 1; " CLS3 "; } );",
		     "qos.ports.[0]: children's rates add up to 10000000 "
		     "bit/s, above this port's rate 9000000");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 1; classes = ( { id = 1; "
		     "rate = 3000000; ceil = 2000000; } ); } );",
		     "qos.ports.[0].classes.[0]: ceil is below the class's "
		     "rate");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 1; classes = ( { id = 1; "
		     "rate = 3000000; parent = 2; }, { id = 2; "
		     "rate = 1000000; } ); } );",
		     "qos.ports.[0].classes.[0]: parent is not a class listed "
		     "before this one");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 7; " CLS3 "; } );",
		     "qos.ports.[0]: default_class is not a class of this "
		     "port");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 1; classes = ( { id = 1; "
		     "rate = 3000000; dscp = [ \"46\" ]; }, { id = 2; "
		     "rate = 1000000; dscp = [ \"46\" ]; } ); } );",
		     "qos.ports.[0].classes.[1].dscp: DSCP 46 is already "
		     "mapped to class 1");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 1; classes = ( { id = 1; "
		     "rate = 3000000; policer = \"nope\"; } ); } );",
		     "qos.ports.[0].classes.[0]: no policer named \"nope\"");
	assert_error("ports = ( { port = \"p1\"; rate = 10000000; "
		     "default_class = 1; classes = ( { id = 1; "
		     "rate = 3000000; red_min = 10; red_max = 300; } ); } );",
		     "qos.ports.[0].classes.[0]: RED needs red_min < red_max "
		     "<= queue_limit (256)");
	assert_error("policers = ( { name = \"x\"; type = \"trtcm\"; "
		     "cir = 2000000; cbs = 1000; pir = 1000000; "
		     "pbs = 1000; } );",
		     "qos.policers.[0]: trtcm needs pir >= cir and pbs > 0 "
		     "(RFC 2698 1.)");
}

static void
ceil_defaults_to_the_parent_and_round_trips(void **state)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL, *again = NULL;
	const struct qos_conf *qc;
	const struct qos_port_cfg *pc;
	const struct qos_class_cfg *cc;
	char *text = NULL, *text2 = NULL;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(load("policers = ( { name = \"v\"; type = \"srtcm\"; "
			      "cir = 1000000; cbs = 3000; ebs = 3000; "
			      "yellow = \"remark\"; yellow_dscp = 10; } );"
			      "ports = ( { port = \"p1\"; rate = 10000000; "
			      "default_class = 1; classes = ( { id = 3; "
			      "rate = 6000000; ceil = 8000000; }, { id = 1; "
			      "parent = 3; rate = 1000000; policer = \"v\"; "
			      "dscp = [ \"46\", \"34\" ]; } ); } );",
			      &m, &diag), 0);
	qc = cfg_model_section(m, "qos");
	pc = qc->ports.items;
	cc = pc->classes.items;
	assert_int_equal(cc[1].ceil, 8000000);   /* its parent's */
	assert_int_equal(cc[1].queue_limit, 256);
	assert_int_equal(pc->overhead, 24);
	f = open_memstream(&text, &len);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	assert_non_null(strstr(text, "policer = \"v\";"));
	assert_int_equal(cfg_load_string("again.cfg", text, sections,
					 N_SECTIONS, &again, &diag), 0);
	assert_true(cfg_model_equal(m, again));
	f = open_memstream(&text2, &len);
	assert_int_equal(cfg_write(f, again), 0);
	fclose(f);
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
		cmocka_unit_test(errors_name_the_setting),
		cmocka_unit_test(ceil_defaults_to_the_parent_and_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
