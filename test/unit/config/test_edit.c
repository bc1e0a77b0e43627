/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `write` keeps the operator's file (config_edit.c through cfg_save()):
 * the file on disk holds model A; cfg_save() of model B must rewrite
 * only what differs, keeping comments, the order of keys and keys
 * written at their default, and the result must load to B. Each case
 * gives the old text, the text B is loaded from, and the exact text
 * expected on disk.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

struct t_cli {
	uint32_t port;
	char banner[32];
};

struct t_route {
	struct cfg_ipv4_prefix prefix;
	uint32_t via;
	uint32_t metric;
};

struct t_vrf {
	char name[16];
	uint32_t table;
	struct cfg_array routes;
};

static const struct cfg_field cli_fields[] = {
	{ "port", CFG_UINT, offsetof(struct t_cli, port), 4, .def = "23",
	  .doc = "p" },
	{ "banner", CFG_STRING, offsetof(struct t_cli, banner), 32,
	  .def = "\"ferry\"", .doc = "b" },
};

static const struct cfg_schema cli_schema = {
	.name = "cli", .fields = cli_fields, .n_fields = DIM(cli_fields),
	.size = sizeof(struct t_cli),
};

static const struct cfg_field route_fields[] = {
	{ "prefix", CFG_IPV4_PREFIX, offsetof(struct t_route, prefix),
	  .required = true, .doc = "p" },
	{ "via", CFG_IPV4, offsetof(struct t_route, via), .required = true,
	  .doc = "v" },
	{ "metric", CFG_UINT, offsetof(struct t_route, metric), 4,
	  .def = "1", .doc = "m" },
};

static const char *const route_keys[] = { "prefix", NULL };

static const struct cfg_schema route_schema = {
	.name = "route", .fields = route_fields,
	.n_fields = DIM(route_fields), .size = sizeof(struct t_route),
	.keys = route_keys,
};

static const struct cfg_field vrf_fields[] = {
	{ "name", CFG_STRING, offsetof(struct t_vrf, name), 16,
	  .required = true, .doc = "n" },
	{ "table", CFG_UINT, offsetof(struct t_vrf, table), 4, .def = "0",
	  .doc = "t" },
	{ "routes", CFG_LIST, offsetof(struct t_vrf, routes),
	  sizeof(struct t_route), .sub = &route_schema, .doc = "r" },
};

static const char *const vrf_keys[] = { "name", NULL };

static const struct cfg_schema vrf_schema = {
	.name = "vrf", .fields = vrf_fields, .n_fields = DIM(vrf_fields),
	.size = sizeof(struct t_vrf), .keys = vrf_keys,
};

static const struct cfg_section cli_section = {
	.key = "cli", .type = CFG_GROUP, .schema = &cli_schema, .doc = "c",
};

static const struct cfg_section vrf_section = {
	.key = "vrfs", .type = CFG_LIST, .schema = &vrf_schema, .doc = "v",
};

static const struct cfg_section *const sections[] = {
	&cli_section, &vrf_section,
};

static char path[128];

static struct cfg_model *
load(const char *text)
{
	struct cfg_model *m = NULL;

	assert_int_equal(cfg_load_string("t.cfg", text, sections,
					 DIM(sections), &m, NULL), 0);
	return m;
}

static char *
slurp(const char *p)
{
	static char buf[4096];
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The file holds @p old; save the model of @p now; expect @p want. */
static void
check_save(const char *old, const char *now, const char *want)
{
	struct cfg_model *m = load(now), *back;
	char err[256];
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(old, f);
	fclose(f);
	assert_int_equal(cfg_save(m, path, err, sizeof(err)), 0);
	assert_string_equal(slurp(path), want);
	back = load(slurp(path));
	assert_true(cfg_model_equal(back, m));
	cfg_model_free(back);
	cfg_model_free(m);
}

/* The old file up to its routes, which the cases change. */
#define BASE_HEAD                                                     \
	"# ferry test file\n"                                          \
	"cli = {\n"                                                    \
	"\t# the port the operator chose\n"                            \
	"\tbanner = \"ferry\"; # the default, written out\n"           \
	"\tport = 2323;\n"                                             \
	"};\n"                                                         \
	"\n"                                                           \
	"vrfs = (\n"                                                   \
	"\t{\n"                                                       \
	"\t\tname = \"red\";\n"                                       \
	"\t\troutes = (\n"

static const char base[] =
	BASE_HEAD
	"\t\t\t# to the lab\n"
	"\t\t\t{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
	"\t\t\t# old office, going away\n"
	"\t\t\t{ prefix = \"10.2.0.0/16\"; via = \"192.0.2.2\"; },\n"
	"\t\t\t{ prefix = \"10.3.0.0/16\"; via = \"192.0.2.3\"; metric = 1; }\n"
	"\t\t);\n"
	"\t}\n"
	");\n";

/* Nothing changed: the file comes back byte for byte. */
static void
test_unchanged(void **state)
{
	(void)state;
	check_save(base, base, base);
}

/* A changed value is replaced in place; comments, key order and a key
 * at its default stay. */
static void
test_value_in_place(void **state)
{
	const char *now =
		"cli = { port = 2424; };\n"
		"vrfs = ( { name = \"red\"; routes = (\n"
		"{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
		"{ prefix = \"10.2.0.0/16\"; via = \"192.0.2.2\"; },\n"
		"{ prefix = \"10.3.0.0/16\"; via = \"192.0.2.9\"; } ); } );\n";
	char want[sizeof(base) + 16];

	(void)state;
	snprintf(want, sizeof(want), "%s", base);
	memcpy(strstr(want, "2323"), "2424", 4);
	memcpy(strstr(want, "192.0.2.3"), "192.0.2.9", 9);
	check_save(base, now, want);
}

/* A key the file leaves out, now off its default, joins its group. */
static void
test_key_added(void **state)
{
	const char *old = "# top\ncli = {\n\tport = 2323; # mine\n};\n";
	const char *now = "cli = { port = 2323; banner = \"hi\"; };\n";

	(void)state;
	check_save(old, now,
		   "# top\ncli = {\n\tport = 2323; # mine\n"
		   "\tbanner = \"hi\";\n};\n");
}

/* A removed element goes with its comment lines; a new one is
 * appended in the writer's layout; the last kept one gets its comma. */
static void
test_list_remove_append(void **state)
{
	const char *now =
		"cli = { port = 2323; };\n"
		"vrfs = ( { name = \"red\"; routes = (\n"
		"{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
		"{ prefix = \"10.3.0.0/16\"; via = \"192.0.2.3\"; },\n"
		"{ prefix = \"10.4.0.0/16\"; via = \"192.0.2.4\"; metric = 5; }"
		" ); } );\n";
	const char *want =
		BASE_HEAD
		"\t\t\t# to the lab\n"
		"\t\t\t{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
		"\t\t\t{ prefix = \"10.3.0.0/16\"; via = \"192.0.2.3\"; metric = 1; },\n"
		"\t\t\t{ prefix = \"10.4.0.0/16\"; via = \"192.0.2.4\"; metric = 5; }\n"
		"\t\t);\n"
		"\t}\n"
		");\n";

	(void)state;
	check_save(base, now, want);
}

/* Removing the last element takes the comma off the one before it; a
 * new element before a kept one goes in front of it. */
static void
test_list_remove_last_insert(void **state)
{
	const char *now =
		"cli = { port = 2323; };\n"
		"vrfs = ( { name = \"red\"; routes = (\n"
		"{ prefix = \"10.0.0.0/16\"; via = \"192.0.2.7\"; },\n"
		"{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
		"{ prefix = \"10.2.0.0/16\"; via = \"192.0.2.2\"; } ); } );\n";
	const char *want =
		BASE_HEAD
		"\t\t\t{ prefix = \"10.0.0.0/16\"; via = \"192.0.2.7\"; },\n"
		"\t\t\t# to the lab\n"
		"\t\t\t{ prefix = \"10.1.0.0/16\"; via = \"192.0.2.1\"; },\n"
		"\t\t\t# old office, going away\n"
		"\t\t\t{ prefix = \"10.2.0.0/16\"; via = \"192.0.2.2\"; }\n"
		"\t\t);\n"
		"\t}\n"
		");\n";

	(void)state;
	check_save(base, now, want);
}

/* A section the file leaves out is appended; a whole element of the
 * outer list (a new VRF) is added in the writer's layout. */
static void
test_section_and_element_added(void **state)
{
	const char *old = "// only a cli\ncli = { port = 2323; };";
	const char *now = "cli = { port = 2323; };\n"
			  "vrfs = ( { name = \"blue\"; table = 7; } );\n";

	(void)state;
	check_save(old, now,
		   "// only a cli\ncli = { port = 2323; };\n\n"
		   "vrfs = (\n\t{ name = \"blue\"; table = 7; }\n);\n");
}

/* An element that moved is cut where it was (with the comment on its
 * line) and inserted where it is now; the rest of the file stays. */
static void
test_reordered_list(void **state)
{
	const char *old = "# keep me\ncli = { port = 2323; };\n"
			  "vrfs = ( { name = \"a\"; }, # first\n"
			  "  { name = \"b\"; } );\n";
	const char *now = "cli = { port = 2323; };\n"
			  "vrfs = ( { name = \"b\"; }, { name = \"a\"; } );\n";

	(void)state;
	check_save(old, now,
		   "# keep me\ncli = { port = 2323; };\n"
		   "vrfs = (  { name = \"b\"; }, { name = \"a\"; } );\n");
}

/* Inline lists and groups stay inline; a deleted first element takes
 * its comma. */
static void
test_inline(void **state)
{
	const char *old = "cli = { port = 2323 };\n"
			  "vrfs = ( { name = \"a\"; }, { name = \"b\"; } );\n";
	const char *now = "cli = { port = 2323; banner = \"x\"; };\n"
			  "vrfs = ( { name = \"b\"; }, { name = \"c\"; } );\n";

	(void)state;
	check_save(old, now,
		   "cli = { port = 2323; banner = \"x\"; };\n"
		   "vrfs = ( { name = \"b\"; }, { name = \"c\"; } );\n");
}

/* A file this editor cannot follow (@include) is written whole. */
static void
test_include_written_whole(void **state)
{
	char inc[160], text[400];
	FILE *f;

	(void)state;
	snprintf(inc, sizeof(inc), "%s.inc", path);
	f = fopen(inc, "w");
	assert_non_null(f);
	fputs("cli = { port = 2323; };\n", f);
	fclose(f);
	snprintf(text, sizeof(text), "# note\n@include \"%s\"\n", inc);
	check_save(text, "cli = { port = 2424; };",
		   "cli = {\n\tport = 2424;\n};\n");
	unlink(inc);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/ferry-edit-%d.cfg", (int)getpid());
	return 0;
}

static int
teardown(void **state)
{
	char bak[160];

	(void)state;
	snprintf(bak, sizeof(bak), "%s.bak", path);
	unlink(path);
	unlink(bak);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_value_in_place),
		cmocka_unit_test(test_key_added),
		cmocka_unit_test(test_list_remove_append),
		cmocka_unit_test(test_list_remove_last_insert),
		cmocka_unit_test(test_section_and_element_added),
		cmocka_unit_test(test_reordered_list),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_include_written_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
