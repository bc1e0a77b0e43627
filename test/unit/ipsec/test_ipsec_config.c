/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "ipsec" config section with the real sections it depends on: each
 * check's exact "FILE:LINE: PATH: VALUE: REASON" (no key ever repeated
 * in a message), a full section that loads, and its running-config
 * round trip. No EAL.
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
#include "ipsec.h"
#include "port.h"
#include "route.h"

/* Lines 1-9; the ipsec section of a case is line 10. */
static const char base[] =
	"ports = ( { name = \"p0\"; device = \"net_null0\"; } );\n"
	"interfaces = (\n"
	"  { name = \"wan\"; port = \"p0\"; address = \"203.0.113.1/24\";"
	" vrf = \"default\"; }\n"
	");\n"
	"vrfs = (\n"
	"  { name = \"cust\"; id = 1; }\n"
	");\n"
	"\n"
	"\n";
#define IPSEC_LINE 10

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
	&ipsec_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

#define GCM_KEY "000102030405060708090a0b0c0d0e0f"
#define SA_BASE "spi = 4097; direction = \"out\"; local = \"203.0.113.1\";" \
	" remote = \"203.0.113.2\";"
#define SA_OUT SA_BASE " inner_vrf = \"cust\";"
#define GCM " algorithm = \"aes-gcm-128\"; key = \"" GCM_KEY "\";" \
	" salt = \"cafebabe\";"

static int
load(const char *ipsec, struct cfg_model **m, struct cfg_diag *diag)
{
	char text[4096];

	snprintf(text, sizeof(text), "%sipsec = { %s };\n", base, ipsec);
	return cfg_load_string("t.cfg", text, sections, N_SECTIONS, m, diag);
}

static void
assert_error(const char *ipsec, const char *path, const char *rest)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char want[512];

	snprintf(want, sizeof(want), "t.cfg:%d: %s: %s", IPSEC_LINE, path,
		 rest);
	if (load(ipsec, &m, &diag) == 0) {
		cfg_model_free(m);
		fail_msg("loaded: %s", ipsec);
	}
	if (diag.n == 0 || strcmp(diag.msg[0], want) != 0) {
		print_error("ipsec = { %s }\n  want %s\n  got  %s\n", ipsec,
			    want, diag.n ? diag.msg[0] : "(no message)");
		cfg_diag_free(&diag);
		fail();
	}
	assert_null(strstr(diag.msg[0], GCM_KEY));
	cfg_diag_free(&diag);
}

static void
test_sa_errors(void **state)
{
	(void)state;
	assert_error("sas = ( { " SA_OUT " algorithm = \"aes-gcm-512\"; } );",
		     "ipsec.sas.[0].algorithm",
		     "unknown algorithm (see doc/configuration.md)");
	assert_error("sas = ( { " SA_OUT " algorithm = \"aes-gcm-128\";"
		     " key = \"0011\"; salt = \"cafebabe\"; } );",
		     "ipsec.sas.[0].key",
		     "must be 16 bytes of hex (32 digits)");
	assert_error("sas = ( { " SA_OUT " algorithm = \"aes-gcm-128\";"
		     " key = \"" GCM_KEY "\"; } );", "ipsec.sas.[0].salt",
		     "must be 4 bytes of hex (8 digits)");
	assert_error("sas = ( { " SA_OUT " algorithm = \"aes-cbc-128-sha256\";"
		     " key = \"" GCM_KEY "\"; auth_key = \"00\"; } );",
		     "ipsec.sas.[0].auth_key",
		     "must be 32 bytes of hex (64 digits)");
	assert_error("sas = ( { " SA_OUT GCM " replay_window = 32; } );",
		     "ipsec.sas.[0].replay_window",
		     "must be 0 (off) or 64..4096");
	assert_error("sas = ( { " SA_OUT GCM " replay_window = 5000; } );",
		     "ipsec.sas.[0].replay_window", "5000: must be 0..4096");
	assert_error("sas = ( { " SA_OUT GCM " replay_window = 0; esn = true;"
		     " } );", "ipsec.sas.[0].replay_window",
		     "esn needs an anti-replay window (RFC 4304 2)");
	assert_error("sas = ( { spi = 255; direction = \"out\"; local ="
		     " \"203.0.113.1\"; remote = \"203.0.113.2\";" GCM " } );",
		     "ipsec.sas.[0].spi", "255: must be 256..4294967295");
	assert_error("sas = ( { " SA_BASE GCM " inner_vrf = \"nope\"; } );",
		     "ipsec.sas.[0].inner_vrf", "\"nope\": unknown VRF");
	assert_error("sas = ( { " SA_OUT GCM " lifetime = { soft_packets ="
		     " 10; hard_packets = 5; }; } );",
		     "ipsec.sas.[0].lifetime.soft_packets",
		     "soft limit above the hard one");
	assert_error("sas = ( { " SA_OUT GCM " }, { " SA_OUT GCM " } );",
		     "ipsec.sas.[1]", "duplicate key (spi = 4097, direction "
		     "= \"out\"; first at line 10)");
	assert_error("sas = ( { " SA_OUT GCM " df = \"maybe\"; } );",
		     "ipsec.sas.[0].df",
		     "\"maybe\": expected one of: copy, set, clear");
}

static void
test_route_and_spd_errors(void **state)
{
	(void)state;
	assert_error("sas = ( { " SA_OUT GCM " } );"
		     " routes = ( { vrf = \"cust\"; prefix = \"10.2.0.0/16\";"
		     " sa = 4098; } );",
		     "ipsec.routes.[0].sa", "4098: no outbound SA with this SPI");
	assert_error("sas = ( { " SA_OUT GCM " } );"
		     " spd = ( { direction = \"in\"; action = \"protect\";"
		     " sa = 4097; } );", "ipsec.spd.[0].sa",
		     "no SA with this SPI in the rule's direction");
	assert_error("spd = ( { direction = \"out\"; action = \"discard\";"
		     " dport = \"9-1\"; } );", "ipsec.spd.[0].dport",
		     "port range must be \"lo-hi\", \"port\" or \"any\" "
		     "within 0..65535");
	assert_error("spd = ( { direction = \"out\"; action = \"discard\";"
		     " sa = 4097; } );", "ipsec.spd.[0].sa",
		     "only a protect rule names an SA");
	assert_error("spd = ( { direction = \"out\"; action = \"bypass\";"
		     " } );", "ipsec.spd.[0].action",
		     "outbound packets reach the SPD through ipsec.routes, "
		     "which have no clear path: narrow the route instead");
}

#define SA6_BASE "spi = 4097; direction = \"out\"; local6 = \"2001:db8::1\";" \
	" remote6 = \"2001:db8::2\"; inner_vrf = \"cust\";"

/* IPv6 end points and inner IPv6 (issue 17): each check alone. */
static void
test_ipv6_errors(void **state)
{
	(void)state;
	assert_error("sas = ( { " SA6_BASE GCM " nat_t = true; } );",
		     "ipsec.sas.[0].nat_t", "NAT-T is IPv4 only (RFC 3948)");
	assert_error("sas = ( { " SA6_BASE GCM " local = \"203.0.113.1\"; } );",
		     "ipsec.sas.[0].local", "IPv4 end points and local6 "
		     "together: choose one family");
	assert_error("sas = ( { spi = 4097; direction = \"out\"; local6 ="
		     " \"fe80::1\"; remote6 = \"2001:db8::2\";" GCM " } );",
		     "ipsec.sas.[0].local6",
		     "link-local: a tunnel end must be routable");
	assert_error("sas = ( { spi = 4097; direction = \"out\"; local6 ="
		     " \"2001:db8::1\";" GCM " } );", "ipsec.sas.[0].remote6",
		     "must be set");
	assert_error("sas = ( { spi = 4097; direction = \"out\"; local6 ="
		     " \"2001:db8::1\"; remote6 = \"2001:db8::1\";" GCM " } );",
		     "ipsec.sas.[0].remote6",
		     "equal to local6: a tunnel has two different ends");
	assert_error("sas = ( { " SA_OUT GCM " remote6 = \"2001:db8::2\"; } );",
		     "ipsec.sas.[0].remote6",
		     "IPv4 end points (local, remote) take no remote6");
	assert_error("sas = ( { " SA_OUT GCM " inner = \"ipx\"; } );",
		     "ipsec.sas.[0].inner",
		     "\"ipx\": expected one of: ipv4, ipv6");
	assert_error("sas = ( { " SA_OUT GCM " } );"
		     " routes6 = ( { vrf = \"cust\"; prefix = \"2001:db8:2::/48\";"
		     " sa = 4097; } );", "ipsec.routes6.[0].sa",
		     "4097: the SA carries IPv4 (inner = \"ipv4\"): an IPv6 "
		     "route needs an SA with inner = \"ipv6\"");
	assert_error("sas = ( { " SA6_BASE GCM " inner = \"ipv6\"; } );"
		     " routes = ( { vrf = \"cust\"; prefix = \"10.2.0.0/16\";"
		     " sa = 4097; } );", "ipsec.routes.[0].sa",
		     "4097: the SA carries IPv6 (inner = \"ipv6\"): put its "
		     "routes in routes6");
	assert_error("sas = ( { " SA6_BASE GCM " inner = \"ipv6\"; } );"
		     " spd = ( { direction = \"out\"; action = \"protect\";"
		     " sa = 4097; } );", "ipsec.spd.[0].sa",
		     "the SA carries IPv6 and SPD rules select IPv4: an IPv6 "
		     "SA goes by its routes6 and spd6");
	/* the IPv6 SPD: the same checks, the other family */
	assert_error("sas = ( { " SA_OUT GCM " } );"
		     " spd6 = ( { direction = \"out\"; action = \"protect\";"
		     " sa = 4097; } );", "ipsec.spd6.[0].sa",
		     "the SA carries IPv4 and spd6 rules select IPv6: the "
		     "rule needs an SA with inner = \"ipv6\"");
	assert_error("sas = ( { " SA6_BASE GCM " inner = \"ipv6\"; } );"
		     " spd6 = ( { direction = \"in\"; action = \"protect\";"
		     " sa = 4097; } );", "ipsec.spd6.[0].sa",
		     "no SA with this SPI in the rule's direction");
	assert_error("spd6 = ( { direction = \"out\"; action = \"bypass\";"
		     " } );", "ipsec.spd6.[0].action",
		     "outbound packets reach the SPD through ipsec.routes, "
		     "which have no clear path: narrow the route instead");
	assert_error("spd6 = ( { direction = \"in\"; action = \"discard\";"
		     " dport = \"9-1\"; } );", "ipsec.spd6.[0].dport",
		     "port range must be \"lo-hi\", \"port\" or \"any\" "
		     "within 0..65535");
	assert_error("spd6 = ( { direction = \"in\"; action = \"discard\";"
		     " src = \"2001:db8::1/64\"; } );", "ipsec.spd6.[0].src",
		     "\"2001:db8::1/64\": host bits set");
}

/* IPv6 SAs and routes6 survive load -> print -> load. */
static void
test_ipv6_round_trip(void **state)
{
	const char *ok = "sas = ( { " SA6_BASE GCM " inner = \"ipv6\"; },"
		" { spi = 4098; direction = \"out\"; local = \"203.0.113.1\";"
		" remote = \"203.0.113.2\";" GCM " inner = \"ipv6\"; } );"
		" routes6 = ( { vrf = \"cust\"; prefix = \"2001:db8:2::/48\";"
		" sa = 4097; }, { vrf = \"cust\"; prefix = \"::/0\";"
		" sa = 4098; } );"
		" spd6 = ( { direction = \"out\"; dst = \"2001:db8:2:1::/64\";"
		" proto = 17; dport = \"500-600\"; action = \"protect\";"
		" sa = 4098; }, { direction = \"in\"; src = \"::/0\";"
		" action = \"discard\"; } );";
	struct cfg_model *m = NULL, *m2 = NULL;
	struct cfg_diag diag = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	if (load(ok, &m, &diag) != 0) {
		print_error("%s\n", diag.n ? diag.msg[0] : "?");
		fail();
	}
	f = open_memstream(&text, &len);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	assert_non_null(strstr(text, "local6 = \"2001:db8::1\""));
	assert_non_null(strstr(text, "inner = \"ipv6\""));
	assert_non_null(strstr(text, "prefix = \"::/0\""));
	assert_non_null(strstr(text, "dst = \"2001:db8:2:1::/64\""));
	assert_int_equal(cfg_load_string("rt.cfg", text, sections, N_SECTIONS,
					 &m2, &diag), 0);
	assert_true(cfg_model_equal(m, m2));
	free(text);
	cfg_model_free(m);
	cfg_model_free(m2);
}

static void
test_round_trip(void **state)
{
	const char *ok = "sas = ( { " SA_OUT GCM " esn = true; nat_t = true;"
		" dscp = \"set\"; dscp_value = 46; df = \"clear\"; ttl = 32;"
		" lifetime = { soft_bytes = 1000L; hard_bytes = 2000L; }; },"
		" { spi = 8193; direction = \"in\"; local = \"203.0.113.1\";"
		" remote = \"203.0.113.2\"; algorithm = \"aes-cbc-256-sha256\";"
		" key = \"" GCM_KEY GCM_KEY "\"; auth_key = \"" GCM_KEY GCM_KEY
		"\"; replay_window = 4096; } );"
		" routes = ( { vrf = \"cust\"; prefix = \"10.2.0.0/16\";"
		" sa = 4097; } );"
		" spd = ( { direction = \"in\"; src = \"10.2.0.0/16\";"
		" proto = 17; dport = \"500-600\"; action = \"protect\";"
		" sa = 8193; } );";
	struct cfg_model *m = NULL, *m2 = NULL;
	struct cfg_diag diag = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	if (load(ok, &m, &diag) != 0) {
		print_error("%s\n", diag.n ? diag.msg[0] : "?");
		fail();
	}
	f = open_memstream(&text, &len);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	assert_non_null(strstr(text, "replay_window = 4096"));
	assert_int_equal(cfg_load_string("rt.cfg", text, sections, N_SECTIONS,
					 &m2, &diag), 0);
	assert_true(cfg_model_equal(m, m2));
	free(text);
	/* what `show running-config` prints: no key, salt or HMAC key */
	f = open_memstream(&text, &len);
	assert_int_equal(cfg_write_redacted(f, m), 0);
	fclose(f);
	assert_null(strstr(text, GCM_KEY));
	assert_null(strstr(text, "cafebabe"));
	assert_non_null(strstr(text, "key = \"<secret>\""));
	assert_non_null(strstr(text, "auth_key = \"<secret>\""));
	free(text);
	cfg_model_free(m);
	cfg_model_free(m2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_errors),
		cmocka_unit_test(test_route_and_spd_errors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ipv6_errors),
		cmocka_unit_test(test_ipv6_round_trip),
	};

	return cmocka_run_group_tests_name("ipsec_config", tests, NULL, NULL);
}
