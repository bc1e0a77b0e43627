/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running-config round trip with ferry's real sections: load a file,
 * print it with cfg_write() (what `show running-config` and `write`
 * print), load the printout, and require the same model and the same
 * text again, also after the model was edited the way the CLI edits it
 * (routes and neighbours added and removed, interfaces changed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iface.h"
#include "route.h"
#include "sections.h"

static const char *srcdir;

static struct cfg_model *
load_file(const char *rel)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char path[1024];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/%s", srcdir, rel);
	if (cfg_load_file(path, ferry_sections, FERRY_N_SECTIONS, &m,
			  &diag) != 0) {
		for (i = 0; i < diag.n; i++)
			print_error("%s\n", diag.msg[i]);
		cfg_diag_free(&diag);
		fail_msg("%s does not load", path);
	}
	return m;
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

/* print -> load -> equal model -> print -> same text */
static void
assert_round_trip(const struct cfg_model *m)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *again = NULL;
	char *text = print_model(m), *text2;
	unsigned int i;

	if (cfg_load_string("running-config", text, ferry_sections,
			    FERRY_N_SECTIONS, &again, &diag) != 0) {
		for (i = 0; i < diag.n; i++)
			print_error("%s\n", diag.msg[i]);
		print_error("%s", text);
		cfg_diag_free(&diag);
		fail_msg("the printed running config does not load");
	}
	assert_true(cfg_model_equal(m, again));
	text2 = print_model(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	cfg_model_free(again);
}

static void
test_round_trip_files(void **state)
{
	static const char *const files[] = {
		"config/ferry.cfg",
		"test/integration/config_errors/good.cfg",
		"test/unit/running_config/full.cfg",
		"config/examples/security-group.cfg",
		"config/examples/vxlan-vtep.cfg",
		"config/examples/qos.cfg",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct cfg_model *m = load_file(files[i]);

		assert_round_trip(m);
		cfg_model_free(m);
	}
}

static struct vrf_conf *
vrf_named(struct cfg_model *m, const char *name)
{
	struct cfg_array *vrfs = cfg_model_section(m, "vrfs");
	struct vrf_conf *vc = vrfs->items;
	unsigned int i;

	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, name) == 0)
			return &vc[i];
	return NULL;
}

/* The edits lib/route and lib/iface make for `ip route add/del`,
 * `neighbour add/del` and `interface NAME down|mtu N`. */
static void
test_round_trip_after_edits(void **state)
{
	struct cfg_model *m = load_file("config/ferry.cfg");
	struct route_conf r1 = { .prefix = { 0xcb007100, 24 },
				 .via = 0x0a000a02 };
	struct route_conf r2 = { .prefix = { 0x0a090000, 16 },
				 .blackhole = true };
	struct nbr_conf n1 = { .interface = "ce-a", .address = 0xc0a8654d,
			       .mac = { 2, 0, 0, 0, 0, 0x77 } };
	struct cfg_array *ifs = cfg_model_section(m, "interfaces");
	struct cfg_array *nbrs = cfg_model_section(m, "neighbours");
	struct vrf_conf *a = vrf_named(m, "cust-a");
	struct iface_conf *ic = ifs->items;
	char *text;

	(void)state;
	assert_non_null(a);
	assert_non_null(cfg_array_append(&a->routes, sizeof(r1), &r1));
	assert_non_null(cfg_array_append(&a->routes, sizeof(r2), &r2));
	cfg_array_remove(&a->routes, sizeof(r1), 0); /* the default route */
	assert_non_null(cfg_array_append(nbrs, sizeof(n1), &n1));
	cfg_array_remove(nbrs, sizeof(n1), 0);
	ic[3].up = false;
	ic[3].mtu = 1400;
	assert_round_trip(m);
	text = print_model(m);
	assert_non_null(strstr(text, "prefix = \"203.0.113.0/24\"; "
				     "via = \"10.0.10.2\";"));
	assert_non_null(strstr(text, "prefix = \"10.9.0.0/16\"; "
				     "blackhole = true;"));
	assert_null(strstr(text, "prefix = \"0.0.0.0/0\"; via = \"10.0.10.2\""));
	assert_non_null(strstr(text, "address = \"192.168.101.77\""));
	assert_null(strstr(text, "address = \"10.0.10.2\""));
	assert_non_null(strstr(text, "up = false;"));
	free(text);
	cfg_model_free(m);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_files),
		cmocka_unit_test(test_round_trip_after_edits),
	};

	srcdir = argc > 1 ? argv[1] : ".";
	return cmocka_run_group_tests_name("running-config", tests, NULL, NULL);
}
