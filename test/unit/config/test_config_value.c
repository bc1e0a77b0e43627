/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/config's value reading (issue 20 item 2, issue 19
 * item 16): integers libconfig 1.5 truncates to 32 bits without an L
 * suffix are refused and shown as written, from a string and from a
 * file; numbers with units for rates and sizes; the writer prints large
 * values so they load again; and the shared address/MAC predicates.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

struct t_vals {
	uint64_t rate;
	uint64_t size;
	uint32_t id;
	uint16_t small;
	uint64_t big;
	struct cfg_array subs;
};

struct t_sub {
	uint32_t id;
};

static const struct cfg_field sub_fields[] = {
	{"id", CFG_UINT, offsetof(struct t_sub, id), 4, 0, UINT32_MAX},
};

static const struct cfg_schema sub_schema = {
	"sub",
	sub_fields,
	DIM(sub_fields),
	sizeof(struct t_sub),
};

static const struct cfg_field val_fields[] = {
	{"rate", CFG_UINT, offsetof(struct t_vals, rate), 8, 8, 400000000000ull,
	 .unit = CFG_UNIT_BPS},
	{"size", CFG_UINT, offsetof(struct t_vals, size), 8, 0, 1ull << 32,
	 .unit = CFG_UNIT_BYTES},
	{"id", CFG_UINT, offsetof(struct t_vals, id), 4, 0, UINT32_MAX},
	{"small", CFG_UINT, offsetof(struct t_vals, small), 2, 0, 0},
	{"big", CFG_UINT, offsetof(struct t_vals, big), 8, 0, 0,
	 .def = "5000000000L"},
	{"subs", CFG_LIST, offsetof(struct t_vals, subs), sizeof(struct t_sub),
	 .sub = &sub_schema},
};

static const struct cfg_schema val_schema = {
	"v",
	val_fields,
	DIM(val_fields),
	sizeof(struct t_vals),
};

static const struct cfg_section val_section = {
	.key = "v",
	.type = CFG_GROUP,
	.schema = &val_schema,
};

static const struct cfg_section *const sections[] = {&val_section};

/* Load @p text; on success copy the values out. @return the status. */
static int
load(const char *text, struct t_vals *out, struct cfg_diag *diag)
{
	struct cfg_model *m = NULL;
	int ret;

	ret = cfg_load_string("t.cfg", text, sections, 1, &m, diag);
	if (ret == 0) {
		*out = *(struct t_vals *)cfg_model_section(m, "v");
		out->subs.items = NULL;
		cfg_model_free(m);
	}
	return ret;
}

/* @p text must fail with exactly the one message @p want. */
static void
expect_error(const char *text, const char *want)
{
	struct cfg_diag diag = {NULL, 0};
	struct t_vals v;

	if (load(text, &v, &diag) != -EINVAL || diag.n != 1)
		fail_msg("%s: %u errors, first %s", text, diag.n,
			 diag.n > 0 ? diag.msg[0] : "none");
	assert_string_equal(diag.msg[0], want);
	cfg_diag_free(&diag);
}

static uint64_t
load_ok(const char *text, size_t offset)
{
	struct cfg_diag diag = {NULL, 0};
	struct t_vals v;
	uint64_t x = 0;

	if (load(text, &v, &diag) != 0)
		fail_msg("%s: %s", text, diag.n > 0 ? diag.msg[0] : "?");
	memcpy(&x, (char *)&v + offset,
	       offset == offsetof(struct t_vals, id) ? 4 : 8);
	return x;
}

/* libconfig 1.5 keeps 32 bits of these; ferry refuses them as written. */
static void
test_wrapped_integers(void **state)
{
	expect_error("v = { rate = 40000000000; };",
		     "t.cfg:1: v.rate: 40000000000: does not fit in "
		     "libconfig's 32-bit integers: write it as 40000000000L "
		     "or as a string with a unit (\"10G\")");
	expect_error("v = { id = 4294967297; };",
		     "t.cfg:1: v.id: 4294967297: must be 0..4294967295");
	expect_error("v = { id = 3000000000; };",
		     "t.cfg:1: v.id: 3000000000: does not fit in libconfig's "
		     "32-bit integers: write it as 3000000000L");
	expect_error("v = { id = 0x100000001; };",
		     "t.cfg:1: v.id: 0x100000001: must be 0..4294967295");
	expect_error("v = { small = 65537; };",
		     "t.cfg:1: v.small: 65537: must be 0..65535");
	expect_error("v = { small = -3000000000; };",
		     "t.cfg:1: v.small: -3000000000: must be 0..65535");
	expect_error("v = { id = 99999999999999999999; };",
		     "t.cfg:1: v.id: 99999999999999999999: must be "
		     "0..4294967295");
	expect_error("v = { big = 99999999999999999999L; };",
		     "t.cfg:1: v.big: 99999999999999999999L: must be "
		     "0..9223372036854775807");
	/* the value on the next line, a comment and a string before it */
	expect_error("v = { small = 1; # id = 1\n"
		     "  size = \"1k\"; id =\n 4294967297; };",
		     "t.cfg:2: v.id: 4294967297: must be 0..4294967295");
	/* two settings of one name on a line: the stored value tells */
	expect_error("v = { subs = ( { id = 7; }, { id = 4294967303; } ); };",
		     "t.cfg:1: v.subs.[1].id: 4294967303: must be "
		     "0..4294967295");
}

static void
test_exact_integers(void **state)
{
	assert_int_equal(load_ok("v = { rate = 40000000000L; };",
				 offsetof(struct t_vals, rate)),
			 40000000000ull);
	assert_int_equal(load_ok("v = { id = 4294967295L; };",
				 offsetof(struct t_vals, id)),
			 UINT32_MAX);
	assert_int_equal(load_ok("v = { id = 2147483647; };",
				 offsetof(struct t_vals, id)),
			 INT32_MAX);
	assert_int_equal(load_ok("v = { id = 0x7fffffff; };",
				 offsetof(struct t_vals, id)),
			 INT32_MAX);
	/* a default above 32 bits is read exactly too */
	assert_int_equal(load_ok("v = { };", offsetof(struct t_vals, big)),
			 5000000000ull);
}

/* The same from a file: the text is read back from it. */
static void
test_wrapped_in_file(void **state)
{
	char path[] = "/tmp/ferry-test-config-value-XXXXXX";
	struct cfg_diag diag = {NULL, 0};
	struct cfg_model *m = NULL;
	char want[256];
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	assert_non_null(f);
	fputs("# rates\nv = {\n\trate = 40000000000;\n};\n", f);
	fclose(f);
	assert_int_equal(cfg_load_file(path, sections, 1, &m, &diag), -EINVAL);
	unlink(path);
	assert_int_equal(diag.n, 1);
	snprintf(want, sizeof(want),
		 "%s:3: v.rate: 40000000000: does not "
		 "fit in libconfig's 32-bit integers: write it as "
		 "40000000000L or as a string with a unit (\"10G\")",
		 path);
	assert_string_equal(diag.msg[0], want);
	cfg_diag_free(&diag);
}

static void
test_units(void **state)
{
	size_t r = offsetof(struct t_vals, rate),
	       s = offsetof(struct t_vals, size);

	assert_int_equal(load_ok("v = { rate = \"10G\"; };", r),
			 10000000000ull);
	assert_int_equal(load_ok("v = { rate = \"500M\"; };", r), 500000000);
	assert_int_equal(load_ok("v = { rate = \"2.5G\"; };", r),
			 2500000000ull);
	assert_int_equal(load_ok("v = { rate = \"64k\"; };", r), 64000);
	assert_int_equal(load_ok("v = { rate = \"64K\"; };", r), 64000);
	assert_int_equal(load_ok("v = { rate = \"1234\"; };", r), 1234);
	assert_int_equal(load_ok("v = { size = \"64k\"; };", s), 65536);
	assert_int_equal(load_ok("v = { size = \"1.5k\"; };", s), 1536);
	assert_int_equal(load_ok("v = { size = \"4G\"; };", s), 1ull << 32);
	expect_error("v = { rate = \"0.0001k\"; };",
		     "t.cfg:1: v.rate: \"0.0001k\": not a whole number once "
		     "the unit is applied");
	expect_error("v = { size = \"0.3k\"; };",
		     "t.cfg:1: v.size: \"0.3k\": not a whole number once the "
		     "unit is applied");
	expect_error("v = { rate = \"10X\"; };",
		     "t.cfg:1: v.rate: \"10X\": expected bit/s: an integer, "
		     "or a number with k, M, G or T");
	expect_error("v = { rate = \"1T\"; };",
		     "t.cfg:1: v.rate: \"1T\": must be 8..400000000000");
	expect_error("v = { id = \"10k\"; };",
		     "t.cfg:1: v.id: \"10k\": expected an integer "
		     "0..4294967295");
	expect_error("v = { rate = \"99999999999T\"; };",
		     "t.cfg:1: v.rate: \"99999999999T\": too large");
}

/* What show running-config prints loads again to the same values. */
static void
test_write_back(void **state)
{
	struct cfg_diag diag = {NULL, 0};
	struct cfg_model *a = NULL, *b = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(cfg_load_string("t.cfg",
					 "v = { rate = \"40G\"; "
					 "size = \"4G\"; id = 4294967295L; };",
					 sections, 1, &a, &diag),
			 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(cfg_write(f, a), 0);
	fclose(f);
	assert_non_null(strstr(buf, "rate = 40000000000L;"));
	assert_non_null(strstr(buf, "id = 4294967295L;"));
	assert_int_equal(cfg_load_string("w.cfg", buf, sections, 1, &b, &diag),
			 0);
	assert_true(cfg_model_equal(a, b));
	free(buf);
	cfg_model_free(a);
	cfg_model_free(b);
}

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	assert_int_equal(cfg_parse_ipv4(s, &a), 0);
	return a;
}

static void
test_predicates(void **state)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0, 0, 1};
	static const uint8_t zero[6];
	static const uint8_t uni[6] = {0x02, 0, 0, 0, 0, 1};

	assert_false(cfg_mac_is_unicast(bcast));
	assert_false(cfg_mac_is_unicast(mcast));
	assert_false(cfg_mac_is_unicast(zero));
	assert_true(cfg_mac_is_unicast(uni));

	assert_null(cfg_ipv4_host_unusable(ip("10.0.0.1"), 24));
	assert_string_equal(cfg_ipv4_host_unusable(ip("10.0.0.0"), 24),
			    "is the subnet's network address");
	assert_string_equal(cfg_ipv4_host_unusable(ip("10.0.0.255"), 24),
			    "is the subnet's broadcast address");
	/* RFC 3021: both addresses of a /31 are hosts', as is a /32 */
	assert_null(cfg_ipv4_host_unusable(ip("10.0.0.0"), 31));
	assert_null(cfg_ipv4_host_unusable(ip("10.0.0.1"), 31));
	assert_null(cfg_ipv4_host_unusable(ip("10.0.0.7"), 32));
	assert_string_equal(cfg_ipv4_host_unusable(ip("10.0.0.1"), 0),
			    "/0 is not a subnet");
	assert_string_equal(cfg_ipv4_host_unusable(0, 24), "is 0.0.0.0");
	assert_string_equal(cfg_ipv4_host_unusable(ip("127.0.0.1"), 8),
			    "is a loopback address (127.0.0.0/8)");
	assert_string_equal(cfg_ipv4_host_unusable(ip("224.0.0.5"), 24),
			    "is a multicast address (224.0.0.0/4)");
	assert_string_equal(cfg_ipv4_host_unusable(ip("240.0.0.1"), 24),
			    "is a reserved class E address (240.0.0.0/4)");
	assert_true(cfg_ipv4_is_subnet_broadcast(ip("10.0.0.3"), ip("10.0.0.1"),
						 30));
	assert_false(cfg_ipv4_is_subnet_broadcast(ip("10.0.0.3"),
						  ip("10.0.0.1"), 31));
	assert_false(cfg_ipv4_is_subnet_broadcast(ip("10.0.1.3"),
						  ip("10.0.0.1"), 30));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapped_integers),
		cmocka_unit_test(test_exact_integers),
		cmocka_unit_test(test_wrapped_in_file),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_write_back),
		cmocka_unit_test(test_predicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
