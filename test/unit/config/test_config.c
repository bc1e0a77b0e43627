/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the configuration engine (lib/config) on schemas that
 * exist only here: every error kind with its exact message, one bad
 * input per test; defaults; nested lists; collection of many errors;
 * checks and the line they are reported at; the writer's round trip;
 * the Markdown generator; the address parsers. argv[1] is the folder
 * of the data files (test/unit/config).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))
#define NAME_SIZE 16
#define TAG_SIZE 8

static const char *data_dir = ".";

/* ------------------------------------------------------------------ */
/* Test schemas: "system" (every type), "vrfs" (nested lists), "cli".  */

enum { LVL_ERROR = 3, LVL_NOTICE = 5, LVL_INFO = 6, LVL_DEBUG = 7 };

static const struct cfg_enum levels[] = {
	{ "error", LVL_ERROR },
	{ "notice", LVL_NOTICE },
	{ "info", LVL_INFO },
	{ "debug", LVL_DEBUG },
	{ NULL, 0 },
};

struct t_inner {
	uint32_t a;
	bool b;
};

struct t_sys {
	char name[NAME_SIZE];
	uint16_t mtu;
	uint8_t ttl;
	uint32_t count;
	uint64_t big;
	bool debug;
	bool fast;
	uint32_t mgmt;
	struct cfg_ipv4_prefix net;
	struct cfg_ipv4_prefix addr;
	uint8_t mac[6];
	int level;
	struct t_inner inner;
	struct cfg_array tags;
};

struct t_route {
	struct cfg_ipv4_prefix prefix;
	uint32_t via;
	bool blackhole;
	uint32_t metric;
};

struct t_vrf {
	char name[NAME_SIZE];
	uint32_t id;
	struct cfg_array routes;
	struct cfg_array ifs;
};

struct t_cli {
	uint32_t address;
	uint16_t port;
	char vrf[NAME_SIZE];
};

static const struct cfg_field inner_fields[] = {
	{ .key = "a", .type = CFG_UINT,
	  .offset = offsetof(struct t_inner, a), .size = 4, .max = 100,
	  .def = "7", .doc = "A number." },
	{ .key = "b", .type = CFG_BOOL,
	  .offset = offsetof(struct t_inner, b), .doc = "A flag." },
};

static const struct cfg_schema inner_schema = {
	"inner", inner_fields, DIM(inner_fields), sizeof(struct t_inner),
};

static const struct cfg_field sys_fields[] = {
	{ .key = "name", .type = CFG_STRING,
	  .offset = offsetof(struct t_sys, name), .size = NAME_SIZE,
	  .required = true, .doc = "Router name." },
	{ .key = "mtu", .type = CFG_UINT,
	  .offset = offsetof(struct t_sys, mtu), .size = 2,
	  .min = 64, .max = 9000, .def = "1500", .doc = "MTU in bytes." },
	{ .key = "ttl", .type = CFG_UINT,
	  .offset = offsetof(struct t_sys, ttl), .size = 1, .min = 1,
	  .def = "64", .doc = "TTL | hops." },
	{ .key = "count", .type = CFG_UINT,
	  .offset = offsetof(struct t_sys, count), .size = 4 },
	{ .key = "big", .type = CFG_UINT,
	  .offset = offsetof(struct t_sys, big), .size = 8 },
	{ .key = "debug", .type = CFG_BOOL,
	  .offset = offsetof(struct t_sys, debug) },
	{ .key = "fast", .type = CFG_BOOL,
	  .offset = offsetof(struct t_sys, fast), .def = "true" },
	{ .key = "mgmt", .type = CFG_IPV4,
	  .offset = offsetof(struct t_sys, mgmt), .def = "\"127.0.0.1\"" },
	{ .key = "net", .type = CFG_IPV4_PREFIX,
	  .offset = offsetof(struct t_sys, net), .def = "\"10.0.0.0/8\"" },
	{ .key = "addr", .type = CFG_IPV4_IFADDR,
	  .offset = offsetof(struct t_sys, addr) },
	{ .key = "mac", .type = CFG_MAC,
	  .offset = offsetof(struct t_sys, mac) },
	{ .key = "level", .type = CFG_ENUM,
	  .offset = offsetof(struct t_sys, level), .enums = levels,
	  .def = "\"notice\"", .doc = "Log level." },
	{ .key = "inner", .type = CFG_GROUP,
	  .offset = offsetof(struct t_sys, inner), .sub = &inner_schema },
	{ .key = "tags", .type = CFG_STRING_LIST,
	  .offset = offsetof(struct t_sys, tags), .size = TAG_SIZE,
	  .max = 3 },
};

static const struct cfg_schema sys_schema = {
	"system", sys_fields, DIM(sys_fields), sizeof(struct t_sys),
};

static const struct cfg_field route_fields[] = {
	{ .key = "prefix", .type = CFG_IPV4_PREFIX,
	  .offset = offsetof(struct t_route, prefix), .required = true,
	  .doc = "Destination." },
	{ .key = "via", .type = CFG_IPV4,
	  .offset = offsetof(struct t_route, via), .doc = "Next hop." },
	{ .key = "blackhole", .type = CFG_BOOL,
	  .offset = offsetof(struct t_route, blackhole) },
	{ .key = "metric", .type = CFG_UINT,
	  .offset = offsetof(struct t_route, metric), .size = 4,
	  .max = 1000, .def = "10" },
};

static const struct cfg_schema route_schema = {
	"route", route_fields, DIM(route_fields), sizeof(struct t_route),
};

static const struct cfg_field vrf_fields[] = {
	{ .key = "name", .type = CFG_STRING,
	  .offset = offsetof(struct t_vrf, name), .size = NAME_SIZE,
	  .required = true, .doc = "VRF name." },
	{ .key = "id", .type = CFG_UINT,
	  .offset = offsetof(struct t_vrf, id), .size = 4, .min = 1,
	  .max = 4095, .required = true, .doc = "Table id." },
	{ .key = "routes", .type = CFG_LIST,
	  .offset = offsetof(struct t_vrf, routes),
	  .size = sizeof(struct t_route), .max = 3, .sub = &route_schema,
	  .doc = "Static routes." },
	{ .key = "ifs", .type = CFG_STRING_LIST,
	  .offset = offsetof(struct t_vrf, ifs), .size = TAG_SIZE,
	  .min = 1 },
};

static const struct cfg_schema vrf_schema = {
	"vrf", vrf_fields, DIM(vrf_fields), sizeof(struct t_vrf),
};

static const struct cfg_field cli_fields[] = {
	{ .key = "address", .type = CFG_IPV4,
	  .offset = offsetof(struct t_cli, address),
	  .def = "\"127.0.0.1\"" },
	{ .key = "port", .type = CFG_UINT,
	  .offset = offsetof(struct t_cli, port), .size = 2, .min = 1,
	  .max = 65535, .def = "8086" },
	{ .key = "vrf", .type = CFG_STRING,
	  .offset = offsetof(struct t_cli, vrf), .size = NAME_SIZE },
};

static const struct cfg_schema cli_schema = {
	"cli", cli_fields, DIM(cli_fields), sizeof(struct t_cli),
};

/* What the checks saw, so tests can tell whether they ran. */
static unsigned int sys_checks, vrf_checks, cli_checks;
static bool sys_check_fails_silently;

static void
reset_checks(void)
{
	sys_checks = 0;
	vrf_checks = 0;
	cli_checks = 0;
	sys_check_fails_silently = false;
}

static int
sys_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	sys_checks++;
	return sys_check_fails_silently ? 1 : 0;
}

/* Does every route have a way out; are VRF ids unique. */
static int
vrf_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *vrfs = cfg_model_section(model, "vrfs");
	const struct t_vrf *v = vrfs->items;
	const struct t_route *r;
	unsigned int i, j, errors = 0;
	char path[64], value[16];

	vrf_checks++;
	for (i = 0; i < vrfs->n; i++) {
		for (j = 0; j < i; j++) {
			if (v[j].id != v[i].id)
				continue;
			snprintf(path, sizeof(path), "vrfs.[%u].id", i);
			snprintf(value, sizeof(value), "%u", v[i].id);
			cfg_error(ctx, path, value,
				  "duplicate id (also vrfs.[%u])", j);
			errors++;
		}
		r = v[i].routes.items;
		for (j = 0; j < v[i].routes.n; j++) {
			if (r[j].via != 0 || r[j].blackhole)
				continue;
			snprintf(path, sizeof(path),
				 "vrfs.[%u].routes.[%u].via", i, j);
			cfg_error(ctx, path, NULL,
				  "a route needs via or blackhole = true");
			errors++;
		}
	}
	return (int)errors;
}

static int
cli_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct t_sys *sys = cfg_model_section(model, "system");
	const struct cfg_array *vrfs = cfg_model_section(model, "vrfs");
	const struct t_cli *cli = cfg_model_section(model, "cli");
	const struct t_vrf *v = vrfs->items;
	char value[32];
	unsigned int i;
	int errors = 0;

	cli_checks++;
	if (sys->debug && cli->port == 8086) {
		cfg_error(ctx, "cli.port", "8086",
			  "must not be 8086 in debug mode");
		errors++;
	}
	if (cli->vrf[0] == '\0')
		return errors;
	for (i = 0; i < vrfs->n; i++)
		if (strcmp(v[i].name, cli->vrf) == 0)
			return errors;
	snprintf(value, sizeof(value), "\"%s\"", cli->vrf);
	cfg_error(ctx, "cli.vrf", value, "no such VRF");
	return errors + 1;
}

static const struct cfg_section sys_section = {
	.key = "system", .type = CFG_GROUP, .schema = &sys_schema,
	.required = true, .doc = "Global settings.", .check = sys_check,
};

static const struct cfg_section vrf_section = {
	.key = "vrfs", .type = CFG_LIST, .schema = &vrf_schema,
	.max = 2, .doc = "Routing tables.", .check = vrf_check,
};

static const struct cfg_section cli_section = {
	.key = "cli", .type = CFG_GROUP, .schema = &cli_schema,
	.doc = "Management CLI.", .check = cli_check,
};

static const struct cfg_section *const sections[] = {
	&sys_section, &vrf_section, &cli_section,
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static struct cfg_model *
load_ok(const char *text)
{
	struct cfg_diag diag = { NULL, 0 };
	struct cfg_model *m = NULL;
	unsigned int i;
	int ret;

	ret = cfg_load_string("t.cfg", text, sections, DIM(sections), &m,
			      &diag);
	for (i = 0; i < diag.n; i++)
		print_error("unexpected: %s\n", diag.msg[i]);
	assert_int_equal(ret, 0);
	assert_int_equal(diag.n, 0);
	assert_non_null(m);
	return m;
}

static void
expect_errors(const char *text, const char *const *msgs, unsigned int n)
{
	struct cfg_diag diag = { NULL, 0 };
	struct cfg_model *m = NULL;
	unsigned int i;
	int ret;

	ret = cfg_load_string("t.cfg", text, sections, DIM(sections), &m,
			      &diag);
	/* show what came out when it is not what was expected */
	for (i = 0; i < diag.n; i++)
		if (diag.n != n || strcmp(diag.msg[i], msgs[i]) != 0)
			print_error("diag: %s\n", diag.msg[i]);
	assert_int_equal(ret, -EINVAL);
	assert_null(m);
	assert_int_equal(diag.n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(diag.msg[i], msgs[i]);
	cfg_diag_free(&diag);
}

/* The model written to a string (free it). */
static char *
write_text(const struct cfg_model *m)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cfg_write(f, m), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* ------------------------------------------------------------------ */
/* One bad input per test: the exact message                           */

struct bad_case {
	const char *text;
	const char *msg;
};

static void
test_bad(void **state)
{
	const struct bad_case *c = *state;

	expect_errors(c->text, &c->msg, 1);
}

#define SYS(kv) "system = { name = \"r1\"; " kv " };"
#define BAD(id, text, msg) static struct bad_case id = { text, msg }
#define BAD_TEST(id) { #id, test_bad, NULL, NULL, &id }

BAD(bool_int, SYS("debug = 1;"),
    "t.cfg:1: system.debug: 1: expected true or false");
BAD(bool_string, SYS("debug = \"yes\";"),
    "t.cfg:1: system.debug: \"yes\": expected true or false");
BAD(uint_low, SYS("mtu = 10;"),
    "t.cfg:1: system.mtu: 10: must be 64..9000");
BAD(uint_high, SYS("mtu = 9001;"),
    "t.cfg:1: system.mtu: 9001: must be 64..9000");
BAD(uint_negative, SYS("mtu = -1;"),
    "t.cfg:1: system.mtu: -1: must be 64..9000");
BAD(uint_float, SYS("mtu = 1.5;"),
    "t.cfg:1: system.mtu: 1.5: expected an integer 64..9000");
BAD(uint_float_whole, SYS("mtu = 2.0;"),
    "t.cfg:1: system.mtu: 2.0: expected an integer 64..9000");
BAD(uint_string, SYS("mtu = \"1500\";"),
    "t.cfg:1: system.mtu: \"1500\": expected an integer 64..9000");
BAD(uint_group, SYS("mtu = { };"),
    "t.cfg:1: system.mtu: expected an integer 64..9000");
BAD(uint8_high, SYS("ttl = 256;"),
    "t.cfg:1: system.ttl: 256: must be 1..255");
BAD(uint8_low, SYS("ttl = 0;"),
    "t.cfg:1: system.ttl: 0: must be 1..255");
BAD(uint32_high, SYS("count = 4294967296L;"),
    "t.cfg:1: system.count: 4294967296: must be 0..4294967295");
BAD(uint64_negative, SYS("big = -5L;"),
    "t.cfg:1: system.big: -5: must be 0..9223372036854775807");
BAD(string_int, "system = { name = 5; };",
    "t.cfg:1: system.name: 5: expected a string");
BAD(string_empty, "system = { name = \"\"; };",
    "t.cfg:1: system.name: \"\": must not be empty");
BAD(string_long, "system = { name = \"0123456789abcdef\"; };",
    "t.cfg:1: system.name: \"0123456789abcdef\": "
    "too long (at most 15 characters)");
BAD(string_escaped, "system = { name = \"0123456789\\\"abc\\\\d\"; };",
    "t.cfg:1: system.name: \"0123456789\\\"abc\\\\d\": "
    "too long (at most 15 characters)");
BAD(ipv4_short, SYS("mgmt = \"1.2.3\";"),
    "t.cfg:1: system.mgmt: \"1.2.3\": expected an IPv4 address a.b.c.d");
BAD(ipv4_octet, SYS("mgmt = \"1.2.3.256\";"),
    "t.cfg:1: system.mgmt: \"1.2.3.256\": "
    "expected an IPv4 address a.b.c.d");
BAD(ipv4_int, SYS("mgmt = 5;"),
    "t.cfg:1: system.mgmt: 5: expected an IPv4 address a.b.c.d");
BAD(prefix_len, SYS("net = \"10.0.0.0/33\";"),
    "t.cfg:1: system.net: \"10.0.0.0/33\": prefix length must be 0..32");
BAD(prefix_host_bits, SYS("net = \"10.1.2.3/8\";"),
    "t.cfg:1: system.net: \"10.1.2.3/8\": "
    "host bits set (did you mean 10.0.0.0/8?)");
BAD(prefix_no_len, SYS("net = \"10.0.0.0\";"),
    "t.cfg:1: system.net: \"10.0.0.0\": "
    "expected an IPv4 prefix a.b.c.d/len");
BAD(prefix_bool, SYS("net = true;"),
    "t.cfg:1: system.net: true: expected an IPv4 prefix a.b.c.d/len");
BAD(ifaddr_no_len, SYS("addr = \"192.168.1.1\";"),
    "t.cfg:1: system.addr: \"192.168.1.1\": "
    "expected an IPv4 prefix a.b.c.d/len");
BAD(ifaddr_len, SYS("addr = \"192.168.1.1/40\";"),
    "t.cfg:1: system.addr: \"192.168.1.1/40\": "
    "prefix length must be 0..32");
BAD(mac_short, SYS("mac = \"02:00:00:00:00\";"),
    "t.cfg:1: system.mac: \"02:00:00:00:00\": "
    "expected a MAC address xx:xx:xx:xx:xx:xx");
BAD(mac_dashes, SYS("mac = \"02-00-00-00-00-01\";"),
    "t.cfg:1: system.mac: \"02-00-00-00-00-01\": "
    "expected a MAC address xx:xx:xx:xx:xx:xx");
BAD(mac_hex, SYS("mac = \"02:00:00:00:00:0g\";"),
    "t.cfg:1: system.mac: \"02:00:00:00:00:0g\": "
    "expected a MAC address xx:xx:xx:xx:xx:xx");
BAD(enum_name, SYS("level = \"loud\";"),
    "t.cfg:1: system.level: \"loud\": "
    "expected one of: error, notice, info, debug");
BAD(enum_int, SYS("level = 5;"),
    "t.cfg:1: system.level: 5: expected one of: error, notice, info, debug");
BAD(group_int, SYS("inner = 5;"),
    "t.cfg:1: system.inner: 5: expected a group");
BAD(group_list, SYS("inner = ( );"),
    "t.cfg:1: system.inner: expected a group");
BAD(group_unknown, SYS("inner = { c = 1; };"),
    "t.cfg:1: system.inner.c: unknown setting (expected one of: a, b)");
BAD(group_value, SYS("inner = { a = 101; };"),
    "t.cfg:1: system.inner.a: 101: must be 0..100");
BAD(unknown_key, SYS("colour = \"red\";"),
    "t.cfg:1: system.colour: unknown setting (expected one of: name, "
    "mtu, ttl, count, big, debug, fast, mgmt, net, addr, mac, level, "
    "inner, tags)");
BAD(unknown_section, SYS("") "\nfoo = 1;",
    "t.cfg:2: foo: unknown setting (expected one of: system, vrfs, cli)");
BAD(missing_section, "# nothing\n",
    "t.cfg: system: missing required setting");
BAD(missing_key, "system = { mtu = 1500; };",
    "t.cfg:1: system.name: missing required setting");
BAD(missing_key_line, "\n\nsystem = {\n\tmtu = 1500;\n};\n",
    "t.cfg:3: system.name: missing required setting");
BAD(section_int, "system = 5;",
    "t.cfg:1: system: 5: expected a group");
BAD(section_list, "system = ( );",
    "t.cfg:1: system: expected a group");
BAD(list_group, SYS("") " vrfs = { };",
    "t.cfg:1: vrfs: expected a list of groups");
BAD(list_int, SYS("") " vrfs = 5;",
    "t.cfg:1: vrfs: 5: expected a list of groups");
BAD(list_of_ints, SYS("") " vrfs = ( 1, 2 );",
    "t.cfg:1: vrfs: expected a list of groups");
BAD(list_array, SYS("") " vrfs = [ 1, 2 ];",
    "t.cfg:1: vrfs: expected a list of groups");
BAD(list_count, SYS("") "\nvrfs = (\n"
    "\t{ name = \"a\"; id = 1; },\n"
    "\t{ name = \"b\"; id = 2; },\n"
    "\t{ name = \"c\"; id = 3; }\n);",
    "t.cfg:2: vrfs: expects 0..2 elements");
BAD(list_at_least, SYS("") " vrfs = ( { name = \"a\"; id = 1; ifs = ( ); } );",
    "t.cfg:1: vrfs.[0].ifs: expects at least 1 elements");
BAD(strings_string, SYS("tags = \"a\";"),
    "t.cfg:1: system.tags: \"a\": expected a list of strings");
BAD(strings_elem, SYS("tags = ( \"a\", 5 );"),
    "t.cfg:1: system.tags.[1]: 5: expected a string");
BAD(strings_long, SYS("tags = [ \"123456789\" ];"),
    "t.cfg:1: system.tags.[0]: \"123456789\": "
    "too long (at most 7 characters)");
BAD(strings_empty, SYS("tags = [ \"\" ];"),
    "t.cfg:1: system.tags.[0]: \"\": must not be empty");
BAD(strings_count, SYS("tags = [ \"a\", \"b\", \"c\", \"d\" ];"),
    "t.cfg:1: system.tags: expects 0..3 elements");
BAD(syntax, "system = { name = ; };",
    "t.cfg:1: syntax error at \";\": a value expected\n"
    "  system = { name = ; };\n"
    "                    ^");
/* libconfig blames the end of the file; the brace that is never closed
 * is what to fix */
BAD(syntax_unclosed, "system = {\n\tname = \"a\";\n",
    "t.cfg:1: syntax error at \"{\": \"{\" never closed by \"}\"\n"
    "  system = {\n"
    "           ^");
BAD(syntax_number, "system = {\n\tmtu = 1.5.0;\n};",
    "t.cfg:2: syntax error at \"1.5.0\": not a number\n"
    "  \tmtu = 1.5.0;\n"
    "  \t      ^");
BAD(syntax_duplicate, "system = {\n\tname = \"a\";\n\tname = \"b\";\n};",
    "t.cfg:3: syntax error: duplicate setting name in: name = \"b\";");

/* ------------------------------------------------------------------ */
/* Values and defaults                                                 */

static void
test_defaults(void **state)
{
	struct cfg_model *m = load_ok("system = { name = \"r1\"; };");
	const struct t_sys *s = cfg_model_section(m, "system");
	const struct cfg_array *vrfs = cfg_model_section(m, "vrfs");
	const struct t_cli *cli = cfg_model_section(m, "cli");
	static const uint8_t zero_mac[6];

	assert_string_equal(s->name, "r1");
	assert_int_equal(s->mtu, 1500);
	assert_int_equal(s->ttl, 64);
	assert_int_equal(s->count, 0);
	assert_true(s->big == 0);
	assert_false(s->debug);
	assert_true(s->fast);
	assert_int_equal(s->mgmt, 0x7f000001);
	assert_int_equal(s->net.addr, 0x0a000000);
	assert_int_equal(s->net.len, 8);
	assert_int_equal(s->addr.addr, 0);
	assert_memory_equal(s->mac, zero_mac, sizeof(zero_mac));
	assert_int_equal(s->level, LVL_NOTICE);
	/* an absent group still gets its own fields' defaults */
	assert_int_equal(s->inner.a, 7);
	assert_false(s->inner.b);
	assert_int_equal(s->tags.n, 0);
	assert_null(s->tags.items);
	assert_int_equal(vrfs->n, 0);
	/* an absent optional section is defaulted the same way */
	assert_int_equal(cli->address, 0x7f000001);
	assert_int_equal(cli->port, 8086);
	assert_string_equal(cli->vrf, "");
	assert_string_equal(cfg_model_file(m), "t.cfg");
	assert_null(cfg_model_section(m, "nope"));
	cfg_model_free(m);
}

static const char full_text[] =
	"system = {\n"
	"\tname = \"0123456789abcde\";\n"
	"\tmtu = 9000;\n"
	"\tttl = 255;\n"
	"\tcount = 4294967295L;\n"
	"\tbig = 5000000000L;\n"
	"\tdebug = true;\n"
	"\tfast = false;\n"
	"\tmgmt = \"192.0.2.1\";\n"
	"\tnet = \"0.0.0.0/0\";\n"
	"\taddr = \"192.168.1.1/24\";\n"
	"\tmac = \"02:AB:cd:00:00:0F\";\n"
	"\tlevel = \"debug\";\n"
	"\tinner = { b = true; };\n"
	"\ttags = [ \"x\", \"1234567\" ];\n"
	"};\n"
	"cli = { port = 2323; vrf = \"blue\"; };\n"
	"vrfs = (\n"
	"\t{ name = \"red\"; id = 1; ifs = ( \"eth0\" );\n"
	"\t  routes = ( { prefix = \"0.0.0.0/0\"; via = \"10.0.0.1\"; },\n"
	"\t\t     { prefix = \"198.51.100.0/24\"; blackhole = true;\n"
	"\t\t       metric = 0; } ); },\n"
	"\t{ name = \"blue\"; id = 4095;\n"
	"\t  routes = [ ]; }\n"
	");\n";

static void
test_values(void **state)
{
	struct cfg_model *m = load_ok(full_text);
	const struct t_sys *s = cfg_model_section(m, "system");
	const struct t_cli *cli = cfg_model_section(m, "cli");
	static const uint8_t mac[6] = { 0x02, 0xab, 0xcd, 0, 0, 0x0f };
	const char *tags;

	assert_string_equal(s->name, "0123456789abcde");
	assert_int_equal(s->mtu, 9000);
	assert_int_equal(s->ttl, 255);
	assert_int_equal(s->count, UINT32_MAX);
	assert_true(s->big == UINT64_C(5000000000));
	assert_true(s->debug);
	assert_false(s->fast);
	assert_int_equal(s->mgmt, 0xc0000201);
	assert_int_equal(s->net.addr, 0);
	assert_int_equal(s->net.len, 0);
	/* an interface address keeps its host bits */
	assert_int_equal(s->addr.addr, 0xc0a80101);
	assert_int_equal(s->addr.len, 24);
	assert_memory_equal(s->mac, mac, sizeof(mac));
	assert_int_equal(s->level, LVL_DEBUG);
	assert_int_equal(s->inner.a, 7);
	assert_true(s->inner.b);
	assert_int_equal(s->tags.n, 2);
	tags = s->tags.items;
	assert_string_equal(tags, "x");
	assert_string_equal(tags + TAG_SIZE, "1234567");
	assert_int_equal(cli->port, 2323);
	assert_string_equal(cli->vrf, "blue");
	assert_int_equal(cli->address, 0x7f000001);
	cfg_model_free(m);
}

static void
test_nested_lists(void **state)
{
	struct cfg_model *m = load_ok(full_text);
	const struct cfg_array *vrfs = cfg_model_section(m, "vrfs");
	const struct t_vrf *v = vrfs->items;
	const struct t_route *r;

	assert_int_equal(vrfs->n, 2);
	assert_string_equal(v[0].name, "red");
	assert_int_equal(v[0].id, 1);
	assert_int_equal(v[0].ifs.n, 1);
	assert_string_equal(v[0].ifs.items, "eth0");
	assert_int_equal(v[0].routes.n, 2);
	r = v[0].routes.items;
	assert_int_equal(r[0].prefix.addr, 0);
	assert_int_equal(r[0].prefix.len, 0);
	assert_int_equal(r[0].via, 0x0a000001);
	assert_false(r[0].blackhole);
	assert_int_equal(r[0].metric, 10);
	assert_int_equal(r[1].prefix.addr, 0xc6336400);
	assert_int_equal(r[1].prefix.len, 24);
	assert_true(r[1].blackhole);
	assert_int_equal(r[1].metric, 0);
	assert_string_equal(v[1].name, "blue");
	assert_int_equal(v[1].id, 4095);
	/* [ ] is an empty list too */
	assert_int_equal(v[1].routes.n, 0);
	assert_int_equal(v[1].ifs.n, 0);
	cfg_model_free(m);
}

static void
test_nested_errors(void **state)
{
	static const char text[] =
		"system = { name = \"r1\"; };\n"
		"vrfs = (\n"
		"\t{ name = \"red\"; id = 1; },\n"
		"\t{ name = \"blue\"; id = 2;\n"
		"\t  routes = (\n"
		"\t\t{ prefix = \"10.0.0.0/8\"; via = \"10.0.0.1\"; },\n"
		"\t\t{ prefix = \"10.0.0.0/33\"; via = \"10.0.0.1\"; },\n"
		"\t\t{\n"
		"\t\t\tvia = \"10.0.0.1\"; }\n"
		"\t  );\n"
		"\t}\n"
		");\n";
	static const char *const msgs[] = {
		"t.cfg:7: vrfs.[1].routes.[1].prefix: \"10.0.0.0/33\": "
		"prefix length must be 0..32",
		"t.cfg:8: vrfs.[1].routes.[2].prefix: "
		"missing required setting",
	};

	expect_errors(text, msgs, DIM(msgs));
}

/* All errors, in file order, and no check runs after a parse error. */
static void
test_collect_errors(void **state)
{
	static const char text[] =
		"system = {\n"
		"\tname = \"\";\n"
		"\tmtu = 10;\n"
		"\tbogus = 1;\n"
		"};\n"
		"vrfs = (\n"
		"\t{ name = \"a\"; id = 0; },\n"
		"\t{ id = 5; routes = ( { prefix = \"1.2.3.4/8\"; } ); }\n"
		");\n"
		"foo = true;\n";
	static const char *const msgs[] = {
		"t.cfg:2: system.name: \"\": must not be empty",
		"t.cfg:3: system.mtu: 10: must be 64..9000",
		"t.cfg:4: system.bogus: unknown setting (expected one of: "
		"name, mtu, ttl, count, big, debug, fast, mgmt, net, addr, "
		"mac, level, inner, tags)",
		"t.cfg:7: vrfs.[0].id: 0: must be 1..4095",
		"t.cfg:8: vrfs.[1].routes.[0].prefix: \"1.2.3.4/8\": "
		"host bits set (did you mean 1.0.0.0/8?)",
		"t.cfg:8: vrfs.[1].name: missing required setting",
		"t.cfg:10: foo: unknown setting "
		"(expected one of: system, vrfs, cli)",
	};

	reset_checks();
	expect_errors(text, msgs, DIM(msgs));
	assert_int_equal(sys_checks + vrf_checks + cli_checks, 0);
}

/* A NULL diag still fails the load, and keeps nothing. */
static void
test_no_diag(void **state)
{
	struct cfg_model *m = (struct cfg_model *)&m;

	assert_int_equal(cfg_load_string("t.cfg", "system = 1;", sections,
					 DIM(sections), &m, NULL), -EINVAL);
	assert_null(m);
	assert_int_equal(cfg_load_string("t.cfg", "x = ;", sections,
					 DIM(sections), &m, NULL), -EINVAL);
}

static void
test_free_null(void **state)
{
	struct cfg_diag diag = { NULL, 0 };

	cfg_model_free(NULL);
	cfg_diag_free(&diag);
	cfg_diag_free(NULL);
	assert_null(diag.msg);
	assert_int_equal(diag.n, 0);
}

/* A default that does not parse is blamed on the schema, not the file. */
struct t_bad_def {
	uint32_t x;
};

static const struct cfg_field bad_def_fields[] = {
	{ .key = "x", .type = CFG_UINT, .size = 4, .max = 10, .def = "99" },
};

static const struct cfg_schema bad_def_schema = {
	"d", bad_def_fields, DIM(bad_def_fields), sizeof(struct t_bad_def),
};

static const struct cfg_section bad_def_section = {
	.key = "d", .type = CFG_GROUP, .schema = &bad_def_schema,
};

static void
test_bad_default(void **state)
{
	const struct cfg_section *const one[] = { &bad_def_section };
	struct cfg_diag diag = { NULL, 0 };
	struct cfg_model *m = NULL;

	assert_int_equal(cfg_load_string("d.cfg", "d = { };", one, 1, &m,
					 &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0], "d.cfg: d.x: 99: must be 0..10 "
			    "(in the schema default)");
	cfg_diag_free(&diag);
	assert_int_equal(cfg_load_string("d.cfg", "d = { x = 3; };", one, 1,
					 &m, &diag), 0);
	cfg_model_free(m);
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

static void
test_check_errors(void **state)
{
	static const char text[] =
		"system = { name = \"r1\"; };\n"
		"vrfs = (\n"
		"\t{ name = \"red\"; id = 7;\n"
		"\t  routes = (\n"
		"\t\t{ prefix = \"10.0.0.0/8\"; via = \"10.0.0.1\"; },\n"
		"\t\t{ prefix = \"10.1.0.0/16\"; }\n"
		"\t  ); },\n"
		"\t{ name = \"blue\";\n"
		"\t  id = 7; }\n"
		");\n"
		"cli = {\n"
		"\tvrf = \"green\";\n"
		"};\n";
	static const char *const msgs[] = {
		/* via is absent: the line of its route element */
		"t.cfg:6: vrfs.[0].routes.[1].via: "
		"a route needs via or blackhole = true",
		"t.cfg:9: vrfs.[1].id: 7: duplicate id (also vrfs.[0])",
		"t.cfg:12: cli.vrf: \"green\": no such VRF",
	};

	reset_checks();
	expect_errors(text, msgs, DIM(msgs));
	assert_int_equal(sys_checks, 1);
	assert_int_equal(vrf_checks, 1);
	assert_int_equal(cli_checks, 1);
}

/* A path with no line: the whole section is absent from the file. */
static void
test_check_no_line(void **state)
{
	static const char *const absent[] = {
		"t.cfg: cli.port: 8086: must not be 8086 in debug mode",
	};
	static const char *const parent[] = {
		"t.cfg:3: cli.port: 8086: must not be 8086 in debug mode",
	};

	expect_errors("system = { name = \"r1\"; debug = true; };",
		      absent, DIM(absent));
	expect_errors("system = { name = \"r1\"; debug = true; };\n\n"
		      "cli = {\n\taddress = \"127.0.0.2\";\n};\n",
		      parent, DIM(parent));
}

/* A check runs only when its section and all before it parsed cleanly. */
static void
test_check_order(void **state)
{
	static const char *const vrf_bad[] = {
		"t.cfg:2: vrfs.[0].id: 0: must be 1..4095",
	};

	reset_checks();
	expect_errors("system = { name = \"r1\"; };\n"
		      "vrfs = ( { name = \"a\"; id = 0; } );\n"
		      "cli = { vrf = \"none\"; };\n", vrf_bad, DIM(vrf_bad));
	assert_int_equal(sys_checks, 1);
	assert_int_equal(vrf_checks, 0);
	assert_int_equal(cli_checks, 0);
}

static void
test_check_silent(void **state)
{
	static const char *const msgs[] = { "t.cfg: system: check failed" };

	reset_checks();
	sys_check_fails_silently = true;
	expect_errors("system = { name = \"r1\"; };", msgs, DIM(msgs));
	/* the later sections parsed fine, so their checks still ran */
	assert_int_equal(vrf_checks, 1);
	reset_checks();
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

static void
test_write_minimal(void **state)
{
	struct cfg_model *m = load_ok("system = { name = \"r1\"; mtu = 1500; "
				      "level = \"notice\"; };\n"
				      "cli = { port = 8086; };\n");
	char *text = write_text(m);

	/* defaults are left out, and so is a section of defaults only */
	assert_string_equal(text, "system = {\n\tname = \"r1\";\n};\n");
	free(text);
	cfg_model_free(m);
}

static const char full_written[] =
	"system = {\n"
	"\tname = \"0123456789abcde\";\n"
	"\tmtu = 9000;\n"
	"\tttl = 255;\n"
	"\tcount = 4294967295L;\n"
	"\tbig = 5000000000L;\n"
	"\tdebug = true;\n"
	"\tfast = false;\n"
	"\tmgmt = \"192.0.2.1\";\n"
	"\tnet = \"0.0.0.0/0\";\n"
	"\taddr = \"192.168.1.1/24\";\n"
	"\tmac = \"02:ab:cd:00:00:0f\";\n"
	"\tlevel = \"debug\";\n"
	"\tinner = {\n"
	"\t\tb = true;\n"
	"\t};\n"
	"\ttags = ( \"x\", \"1234567\" );\n"
	"};\n"
	"\n"
	"vrfs = (\n"
	"\t{\n"
	"\t\tname = \"red\";\n"
	"\t\tid = 1;\n"
	"\t\troutes = (\n"
	"\t\t\t{ prefix = \"0.0.0.0/0\"; via = \"10.0.0.1\"; },\n"
	"\t\t\t{ prefix = \"198.51.100.0/24\"; blackhole = true; "
	"metric = 0; }\n"
	"\t\t);\n"
	"\t\tifs = ( \"eth0\" );\n"
	"\t},\n"
	"\t{ name = \"blue\"; id = 4095; }\n"
	");\n"
	"\n"
	"cli = {\n"
	"\tport = 2323;\n"
	"\tvrf = \"blue\";\n"
	"};\n";

static void
test_write_round_trip(void **state)
{
	struct cfg_model *m1 = load_ok(full_text), *m2;
	char *t1 = write_text(m1), *t2;

	assert_string_equal(t1, full_written);
	m2 = load_ok(t1);
	t2 = write_text(m2);
	assert_string_equal(t1, t2);
	assert_true(cfg_model_equal(m1, m2));
	free(t1);
	free(t2);
	cfg_model_free(m2);
	/* and a model that differs is told apart */
	m2 = load_ok("system = { name = \"r1\"; };");
	assert_false(cfg_model_equal(m1, m2));
	cfg_model_free(m2);
	cfg_model_free(m1);
}

static void
test_write_escapes(void **state)
{
	struct cfg_model *m1, *m2;
	const struct t_sys *s;
	char *t1;

	m1 = load_ok("system = { name = \"a\\\"b\\\\c\\td\"; };");
	s = cfg_model_section(m1, "system");
	assert_string_equal(s->name, "a\"b\\c\td");
	t1 = write_text(m1);
	assert_string_equal(t1,
			    "system = {\n\tname = \"a\\\"b\\\\c\\td\";\n};\n");
	m2 = load_ok(t1);
	assert_true(cfg_model_equal(m1, m2));
	free(t1);
	cfg_model_free(m2);
	cfg_model_free(m1);
}

/* ------------------------------------------------------------------ */
/* Doc generator                                                       */

static void
test_doc(void **state)
{
	static const char *const expected[] = {
		"# Configuration reference\n",
		"\n## system\n\nGlobal settings.\n\nA group, required.\n\n"
		"| key | type | default | bounds | description |\n"
		"|-----|------|---------|--------|-------------|\n"
		"| `name` | string | required | 1..15 chars | Router name. |\n"
		"| `mtu` | integer | `1500` | 64..9000 | MTU in bytes. |\n"
		"| `ttl` | integer | `64` | 1..255 | TTL \\| hops. |\n",
		"| `level` | enum | `\"notice\"` | `error`, `notice`, `info`, "
		"`debug` | Log level. |\n"
		"| `inner` | group |  |  |  |\n"
		"| `inner.a` | integer | `7` | 0..100 | A number. |\n"
		"| `inner.b` | bool | `false` |  | A flag. |\n"
		"| `tags` | list of strings | empty | 0..3 elements, "
		"1..7 chars each |  |\n",
		"\n## vrfs\n\nRouting tables.\n\n"
		"A list of `vrf` groups, 0..2 elements, optional. "
		"Keys of each element:\n\n",
		"| `routes` | list of groups | empty | 0..3 elements | "
		"Static routes. |\n"
		"| `routes.[].prefix` | IPv4 prefix | required |  | "
		"Destination. |\n",
		"| `ifs` | list of strings | empty | at least 1 elements, "
		"1..7 chars each |  |\n",
		"| `mgmt` | IPv4 address | `\"127.0.0.1\"` |  |  |\n",
		"\n## cli\n\nManagement CLI.\n\nA group, optional.\n\n",
		"\nChanges apply live (`config reload`, the CLI) as one "
		"transaction. Lists by key: none.\n",
	};
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	unsigned int i;

	assert_non_null(f);
	assert_int_equal(cfg_doc_write(f, sections, DIM(sections)), 0);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < DIM(expected); i++) {
		if (strstr(buf, expected[i]) == NULL)
			print_error("missing:\n%s\nin:\n%s\n", expected[i],
				    buf);
		assert_non_null(strstr(buf, expected[i]));
	}
	/* sections in order */
	assert_true(strstr(buf, "## system") < strstr(buf, "## vrfs"));
	assert_true(strstr(buf, "## vrfs") < strstr(buf, "## cli"));
	free(buf);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void
test_load_file(void **state)
{
	struct cfg_diag diag = { NULL, 0 };
	struct cfg_model *m = NULL;
	char path[512], msg[600];
	const struct t_sys *s;

	snprintf(path, sizeof(path), "%s/good.cfg", data_dir);
	assert_int_equal(cfg_load_file(path, sections, DIM(sections), &m,
				       &diag), 0);
	assert_string_equal(cfg_model_file(m), path);
	s = cfg_model_section(m, "system");
	assert_string_equal(s->name, "lab");
	cfg_model_free(m);

	/* FILE in messages is the path as given, not its basename */
	snprintf(path, sizeof(path), "%s/bad.cfg", data_dir);
	assert_int_equal(cfg_load_file(path, sections, DIM(sections), &m,
				       &diag), -EINVAL);
	assert_int_equal(diag.n, 2);
	snprintf(msg, sizeof(msg), "%s:5: system.mtu: 20: must be 64..9000",
		 path);
	assert_string_equal(diag.msg[0], msg);
	snprintf(msg, sizeof(msg), "%s:9: cli.port: 0: must be 1..65535",
		 path);
	assert_string_equal(diag.msg[1], msg);
	cfg_diag_free(&diag);
}

static void
test_load_file_errors(void **state)
{
	struct cfg_diag diag = { NULL, 0 };
	struct cfg_model *m = NULL;
	char path[512], msg[600];

	snprintf(path, sizeof(path), "%s/no-such.cfg", data_dir);
	assert_int_equal(cfg_load_file(path, sections, DIM(sections), &m,
				       &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	snprintf(msg, sizeof(msg),
		 "%s: cannot read: No such file or directory", path);
	assert_string_equal(diag.msg[0], msg);
	cfg_diag_free(&diag);

	snprintf(path, sizeof(path), "%s/syntax.cfg", data_dir);
	assert_int_equal(cfg_load_file(path, sections, DIM(sections), &m,
				       &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	snprintf(msg, sizeof(msg),
		 "%s:4: syntax error at \";\": a value expected\n"
		 "  \tname = ;\n  \t       ^",
		 path);
	assert_string_equal(diag.msg[0], msg);
	cfg_diag_free(&diag);
	assert_null(m);
}

/* ------------------------------------------------------------------ */
/* Address helpers                                                     */

static void
test_parse_ipv4(void **state)
{
	static const char *const bad[] = {
		"", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04",
		"1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "a.b.c.d",
		"1.2.3.4/8", "1234.1.1.1", "1.2.3.",
	};
	uint32_t a = 0;
	unsigned int i;

	for (i = 0; i < DIM(bad); i++) {
		if (cfg_parse_ipv4(bad[i], &a) != -EINVAL)
			print_error("accepted \"%s\"\n", bad[i]);
		assert_int_equal(cfg_parse_ipv4(bad[i], &a), -EINVAL);
	}
	assert_int_equal(cfg_parse_ipv4(NULL, &a), -EINVAL);
	assert_int_equal(cfg_parse_ipv4("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(cfg_parse_ipv4("255.255.255.255", &a), 0);
	assert_int_equal(a, UINT32_MAX);
	assert_int_equal(cfg_parse_ipv4("10.0.20.1", &a), 0);
	assert_int_equal(a, 0x0a001401);
}

static void
test_parse_prefix(void **state)
{
	static const struct {
		const char *s;
		const char *why;
	} bad[] = {
		{ "1.2.3.4/", "expected an IPv4 prefix a.b.c.d/len" },
		{ "/8", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3.4", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3/8", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3.4/8/9", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3.4/08", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3.4/x", "expected an IPv4 prefix a.b.c.d/len" },
		{ "1.2.3.4/33", "prefix length must be 0..32" },
		{ "1.2.3.4/99999999999", "prefix length must be 0..32" },
		{ "10.1.0.0/8", "host bits set (did you mean 10.0.0.0/8?)" },
		{ "0.0.0.1/0", "host bits set (did you mean 0.0.0.0/0?)" },
		{ "192.168.1.1/24",
		  "host bits set (did you mean 192.168.1.0/24?)" },
	};
	struct cfg_ipv4_prefix p = { 0, 0 };
	const char *why;
	unsigned int i;

	for (i = 0; i < DIM(bad); i++) {
		why = NULL;
		assert_int_equal(cfg_parse_ipv4_prefix(bad[i].s, true, &p,
						       &why), -EINVAL);
		assert_string_equal(why, bad[i].why);
	}
	assert_int_equal(cfg_parse_ipv4_prefix("0.0.0.0/0", true, &p, &why),
			 0);
	assert_int_equal(p.addr, 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(cfg_parse_ipv4_prefix("10.1.2.3/32", true, &p,
					       NULL), 0);
	assert_int_equal(p.addr, 0x0a010203);
	assert_int_equal(p.len, 32);
	/* not strict: an interface address with host bits */
	assert_int_equal(cfg_parse_ipv4_prefix("192.168.1.1/24", false, &p,
					       &why), 0);
	assert_int_equal(p.addr, 0xc0a80101);
	assert_int_equal(p.len, 24);
	assert_int_equal(cfg_parse_ipv4_prefix("1.2.3.4/33", false, &p,
					       &why), -EINVAL);
	assert_string_equal(why, "prefix length must be 0..32");
	assert_int_equal(cfg_parse_ipv4_prefix(NULL, false, &p, &why),
			 -EINVAL);
}

static void
test_format_ipv4(void **state)
{
	char buf[16];

	assert_string_equal(cfg_format_ipv4(0, buf, sizeof(buf)), "0.0.0.0");
	assert_string_equal(cfg_format_ipv4(UINT32_MAX, buf, sizeof(buf)),
			    "255.255.255.255");
	assert_string_equal(cfg_format_ipv4(0xc0a80101, buf, sizeof(buf)),
			    "192.168.1.1");
}

static const struct CMUnitTest errors[] = {
	BAD_TEST(bool_int), BAD_TEST(bool_string),
	BAD_TEST(uint_low), BAD_TEST(uint_high),
	BAD_TEST(uint_negative), BAD_TEST(uint_float),
	BAD_TEST(uint_float_whole), BAD_TEST(uint_string),
	BAD_TEST(uint_group), BAD_TEST(uint8_high),
	BAD_TEST(uint8_low), BAD_TEST(uint32_high),
	BAD_TEST(uint64_negative), BAD_TEST(string_int),
	BAD_TEST(string_empty), BAD_TEST(string_long),
	BAD_TEST(string_escaped), BAD_TEST(ipv4_short),
	BAD_TEST(ipv4_octet), BAD_TEST(ipv4_int),
	BAD_TEST(prefix_len), BAD_TEST(prefix_host_bits),
	BAD_TEST(prefix_no_len), BAD_TEST(prefix_bool),
	BAD_TEST(ifaddr_no_len), BAD_TEST(ifaddr_len),
	BAD_TEST(mac_short), BAD_TEST(mac_dashes),
	BAD_TEST(mac_hex), BAD_TEST(enum_name), BAD_TEST(enum_int),
	BAD_TEST(group_int), BAD_TEST(group_list),
	BAD_TEST(group_unknown), BAD_TEST(group_value),
	BAD_TEST(unknown_key), BAD_TEST(unknown_section),
	BAD_TEST(missing_section), BAD_TEST(missing_key),
	BAD_TEST(missing_key_line), BAD_TEST(section_int),
	BAD_TEST(section_list), BAD_TEST(list_group),
	BAD_TEST(list_int), BAD_TEST(list_of_ints),
	BAD_TEST(list_array), BAD_TEST(list_count),
	BAD_TEST(list_at_least), BAD_TEST(strings_string),
	BAD_TEST(strings_elem), BAD_TEST(strings_long),
	BAD_TEST(strings_empty), BAD_TEST(strings_count),
	BAD_TEST(syntax), BAD_TEST(syntax_duplicate), BAD_TEST(syntax_unclosed),
	BAD_TEST(syntax_number),
};
static const struct CMUnitTest load[] = {
	cmocka_unit_test(test_defaults),
	cmocka_unit_test(test_values),
	cmocka_unit_test(test_nested_lists),
	cmocka_unit_test(test_nested_errors),
	cmocka_unit_test(test_collect_errors),
	cmocka_unit_test(test_no_diag),
	cmocka_unit_test(test_free_null),
	cmocka_unit_test(test_bad_default),
	cmocka_unit_test(test_load_file),
	cmocka_unit_test(test_load_file_errors),
};
static const struct CMUnitTest checks[] = {
	cmocka_unit_test(test_check_errors),
	cmocka_unit_test(test_check_no_line),
	cmocka_unit_test(test_check_order),
	cmocka_unit_test(test_check_silent),
};
static const struct CMUnitTest output[] = {
	cmocka_unit_test(test_write_minimal),
	cmocka_unit_test(test_write_round_trip),
	cmocka_unit_test(test_write_escapes),
	cmocka_unit_test(test_doc),
};
static const struct CMUnitTest addresses[] = {
	cmocka_unit_test(test_parse_ipv4),
	cmocka_unit_test(test_parse_prefix),
	cmocka_unit_test(test_format_ipv4),
};

int
main(int argc, char **argv)
{
	int failed = 0;

	if (argc > 1)
		data_dir = argv[1];
	failed += cmocka_run_group_tests_name("config errors", errors,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("config load", load, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("config checks", checks, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("config output", output, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("config addresses", addresses,
					      NULL, NULL);
	return failed != 0;
}
