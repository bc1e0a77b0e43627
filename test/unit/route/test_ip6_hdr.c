/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route's IPv6 header walk (ip6_hdr.h, RFC 8200 4) and address
 * classes (RFC 4291), and lib/config's IPv6 values: pure functions, no
 * EAL. Each malformed chain is tried alone and must give its own reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "ip6_hdr.h"

#define BUF 512

/* A packet under construction: fixed header, then headers appended. */
struct pkt6 {
	uint8_t b[BUF];
	uint32_t len;
	uint32_t last_nh; /* offset of the next-header byte to fill */
};

static void
pkt6_init(struct pkt6 *p)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = 0x60;
	p->len = IP6_HDR_LEN;
	p->last_nh = 6;
}

/* Append a header of type @p nh, @p len bytes (a multiple of 8 for the
 * generic ones), with @p body copied after the first two bytes. */
static uint8_t *
pkt6_ext(struct pkt6 *p, uint8_t nh, uint32_t len)
{
	uint8_t *h = p->b + p->len;

	p->b[p->last_nh] = nh;
	p->last_nh = p->len;
	if (nh != IP6_NH_FRAGMENT)
		h[1] = (uint8_t)(len / 8 - 1);
	p->len += len;
	return h;
}

static void
pkt6_upper(struct pkt6 *p, uint8_t proto, uint32_t len)
{
	p->b[p->last_nh] = proto;
	p->len += len;
}

static enum drop_reason
walk(const struct pkt6 *p, struct ip6_walk *w)
{
	return ip6_walk(p->b, p->len, w);
}

static void
test_plain_udp(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;

	(void)state;
	pkt6_init(&p);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	assert_int_equal(walk(&p, &w), DROP_NONE);
	assert_int_equal(w.proto, IP6_NH_UDP);
	assert_int_equal(w.off, 40);
	assert_false(w.fragment);
}

static void
test_chain_hbh_dst_routing(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	uint8_t *rh;

	(void)state;
	pkt6_init(&p);
	pkt6_ext(&p, IP6_NH_HOPOPTS, 8);
	pkt6_ext(&p, IP6_NH_DSTOPTS, 16);
	rh = pkt6_ext(&p, IP6_NH_ROUTING, 8);
	rh[2] = 4; /* SRH-like type: not type 0 */
	rh[3] = 1;
	pkt6_upper(&p, IP6_NH_TCP, 20);
	assert_int_equal(walk(&p, &w), DROP_NONE);
	assert_int_equal(w.proto, IP6_NH_TCP);
	assert_int_equal(w.off, 40 + 8 + 16 + 8);
}

static void
test_rh0(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	uint8_t *rh;

	(void)state;
	pkt6_init(&p);
	rh = pkt6_ext(&p, IP6_NH_ROUTING, 24);
	rh[2] = 0;
	rh[3] = 1;
	pkt6_upper(&p, IP6_NH_UDP, 8);
	assert_int_equal(walk(&p, &w), DROP_IP6_RH0);
	/* RFC 5095 3: type 0 with no segments left is processed as if
	 * the header were not there */
	rh[3] = 0;
	assert_int_equal(walk(&p, &w), DROP_NONE);
}

static void
test_hbh_not_first(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;

	(void)state;
	pkt6_init(&p);
	pkt6_ext(&p, IP6_NH_DSTOPTS, 8);
	pkt6_ext(&p, IP6_NH_HOPOPTS, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	assert_int_equal(walk(&p, &w), DROP_IP6_EXT_CHAIN);
}

static void
test_long_chain(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	unsigned int i;

	(void)state;
	pkt6_init(&p);
	for (i = 0; i < IP6_EXT_MAX; i++)
		pkt6_ext(&p, IP6_NH_DSTOPTS, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	assert_int_equal(walk(&p, &w), DROP_NONE);
	pkt6_init(&p);
	for (i = 0; i <= IP6_EXT_MAX; i++)
		pkt6_ext(&p, IP6_NH_DSTOPTS, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	assert_int_equal(walk(&p, &w), DROP_IP6_EXT_CHAIN);
}

static void
test_truncated_everywhere(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	uint32_t cut, full;

	(void)state;
	pkt6_init(&p);
	pkt6_ext(&p, IP6_NH_HOPOPTS, 8);
	pkt6_ext(&p, IP6_NH_DSTOPTS, 24);
	pkt6_ext(&p, IP6_NH_FRAGMENT, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	full = p.len;
	/* every cut inside the extension headers is refused */
	for (cut = IP6_HDR_LEN; cut < IP6_HDR_LEN + 8 + 24 + 8; cut++)
		assert_int_equal(ip6_walk(p.b, cut, &w), DROP_IP6_TRUNCATED);
	assert_int_equal(ip6_walk(p.b, full, &w), DROP_NONE);
	/* the walk stops at the fragment header: the rest is the
	 * fragments' (forwarded untouched, never delivered) */
	assert_true(w.fragment);
	assert_int_equal(w.proto, IP6_NH_FRAGMENT);
	assert_int_equal(w.off, IP6_HDR_LEN + 8 + 24);
}

/* An extension header whose length runs past the packet (a "looping"
 * length that would point back is impossible: lengths only add). */
static void
test_length_past_end(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	uint8_t *h;

	(void)state;
	pkt6_init(&p);
	h = pkt6_ext(&p, IP6_NH_DSTOPTS, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	h[1] = 255; /* 2048 bytes */
	assert_int_equal(walk(&p, &w), DROP_IP6_TRUNCATED);
}

static void
test_hbh_options(void **state)
{
	struct pkt6 p;
	struct ip6_walk w;
	uint8_t *h;

	(void)state;
	pkt6_init(&p);
	h = pkt6_ext(&p, IP6_NH_HOPOPTS, 8);
	pkt6_upper(&p, IP6_NH_UDP, 8);
	/* router alert (2 bytes of data) then Pad1s */
	h[2] = IP6_OPT_ROUTER_ALERT;
	h[3] = 2;
	assert_int_equal(walk(&p, &w), DROP_NONE);
	/* an unknown option of class 00 is skipped */
	h[2] = 0x1e;
	assert_int_equal(walk(&p, &w), DROP_NONE);
	/* classes 01, 10, 11 discard */
	h[2] = 0x5e;
	assert_int_equal(walk(&p, &w), DROP_IP6_BAD_OPTION);
	h[2] = 0x9e;
	assert_int_equal(walk(&p, &w), DROP_IP6_BAD_OPTION);
	h[2] = IP6_OPT_JUMBO;
	h[3] = 4;
	assert_int_equal(walk(&p, &w), DROP_IP6_JUMBOGRAM);
	/* an option running past its header */
	h[2] = IP6_OPT_PADN;
	h[3] = 5;
	assert_int_equal(walk(&p, &w), DROP_IP6_TRUNCATED);
}

static void
test_address_classes(void **state)
{
	uint8_t a[16], g[16];

	(void)state;
	assert_int_equal(cfg_parse_ipv6("fe80::1", a), 0);
	assert_true(ip6_is_link_local(a));
	assert_int_equal(cfg_parse_ipv6("febf::1", a), 0);
	assert_true(ip6_is_link_local(a));
	assert_int_equal(cfg_parse_ipv6("fec0::1", a), 0);
	assert_false(ip6_is_link_local(a));
	assert_int_equal(cfg_parse_ipv6("::1", a), 0);
	assert_true(ip6_is_loopback(a));
	assert_int_equal(cfg_parse_ipv6("2001:db8::12:3456", a), 0);
	ip6_solicited_node(g, a);
	assert_int_equal(cfg_parse_ipv6("ff02::1:ff12:3456", a), 0);
	assert_memory_equal(g, a, 16);
	assert_true(ip6_is_nd_group(g));
	assert_int_equal(cfg_parse_ipv6("ff02::2", a), 0);
	assert_false(ip6_is_nd_group(a));
	assert_int_equal(cfg_parse_ipv6("2001:db8:ff::1", a), 0);
	assert_int_equal(cfg_parse_ipv6("2001:db8:fe::", g), 0);
	assert_true(ip6_prefix_match(a, g, 47));
	assert_false(ip6_prefix_match(a, g, 48));
}

static void
test_config_values(void **state)
{
	struct cfg_ipv6_prefix p;
	const char *why;
	char buf[48];

	(void)state;
	assert_int_equal(cfg_parse_ipv6_prefix("2001:db8::/32", true, &p, &why),
			 0);
	assert_int_equal(p.len, 32);
	assert_string_equal(cfg_format_ipv6(p.addr, buf, sizeof(buf)),
			    "2001:db8::");
	assert_int_equal(
		cfg_parse_ipv6_prefix("2001:db8::1/32", true, &p, &why),
		-EINVAL);
	assert_string_equal(why, "host bits set");
	assert_int_equal(
		cfg_parse_ipv6_prefix("2001:db8::1/64", false, &p, &why), 0);
	assert_int_equal(
		cfg_parse_ipv6_prefix("2001:db8::/129", true, &p, &why),
		-EINVAL);
	assert_string_equal(why, "prefix length must be 0..128");
	assert_int_equal(
		cfg_parse_ipv6_prefix("2001:db8::/032", true, &p, &why),
		-EINVAL);
	assert_int_equal(cfg_parse_ipv6_prefix("2001:db8::", true, &p, &why),
			 -EINVAL);
	assert_int_equal(cfg_parse_ipv6_prefix("10.0.0.0/8", true, &p, &why),
			 -EINVAL);
	assert_int_equal(cfg_parse_ipv6_prefix("::/0", true, &p, &why), 0);
	assert_int_equal(p.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_udp),
		cmocka_unit_test(test_chain_hbh_dst_routing),
		cmocka_unit_test(test_rh0),
		cmocka_unit_test(test_hbh_not_first),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_length_past_end),
		cmocka_unit_test(test_hbh_options),
		cmocka_unit_test(test_address_classes),
		cmocka_unit_test(test_config_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
