/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/trace's packet filter: which frames `trace add ... [src P] [dst P]
 * [proto N] [sport N] [dport N]` follows, on hand-built frames (Ethernet,
 * 802.1Q, IPv4 with options, TCP/UDP, fragments, ARP, truncated). Pure C:
 * no EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "trace_priv.h"

/* Ethernet [VLAN] IPv4 (ihl words) UDP/TCP; returns the length. */
static uint32_t
frame(uint8_t *b, bool vlan, uint8_t ihl, uint8_t proto, uint32_t src,
      uint32_t dst, uint16_t sport, uint16_t dport, uint16_t frag)
{
	uint32_t off = 12, l4;

	memset(b, 0, 128);
	if (vlan) {
		b[off++] = 0x81;
		b[off++] = 0x00;
		off += 2;
	}
	b[off++] = 0x08;
	b[off++] = 0x00;
	b[off] = (uint8_t)(0x40 | ihl);
	b[off + 6] = (uint8_t)(frag >> 8);
	b[off + 7] = (uint8_t)frag;
	b[off + 9] = proto;
	b[off + 12] = (uint8_t)(src >> 24);
	b[off + 13] = (uint8_t)(src >> 16);
	b[off + 14] = (uint8_t)(src >> 8);
	b[off + 15] = (uint8_t)src;
	b[off + 16] = (uint8_t)(dst >> 24);
	b[off + 17] = (uint8_t)(dst >> 16);
	b[off + 18] = (uint8_t)(dst >> 8);
	b[off + 19] = (uint8_t)dst;
	l4 = off + ihl * 4u;
	b[l4] = (uint8_t)(sport >> 8);
	b[l4 + 1] = (uint8_t)sport;
	b[l4 + 2] = (uint8_t)(dport >> 8);
	b[l4 + 3] = (uint8_t)dport;
	return l4 + 8;
}

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void
test_empty_filter_matches_all(void **state)
{
	struct trace_filter f = { 0 };
	uint8_t b[128] = { 0 };

	(void)state;
	b[12] = 0x08;
	b[13] = 0x06; /* ARP */
	assert_true(trace_filter_match(&f, b, 42));
	assert_true(trace_filter_match(&f, b, 3)); /* even a runt */
}

static void
test_prefixes(void **state)
{
	struct trace_filter f = { .dst = A(10, 1, 0, 0),
				  .dst_mask = 0xffff0000 };
	uint8_t b[128];
	uint32_t n;

	(void)state;
	n = frame(b, false, 5, 17, A(192, 0, 2, 1), A(10, 1, 2, 3), 1, 2, 0);
	assert_true(trace_filter_match(&f, b, n));
	n = frame(b, false, 5, 17, A(192, 0, 2, 1), A(10, 2, 2, 3), 1, 2, 0);
	assert_false(trace_filter_match(&f, b, n));
	f.src = A(192, 0, 2, 1);
	f.src_mask = 0xffffffff;
	n = frame(b, true, 5, 6, A(192, 0, 2, 1), A(10, 1, 9, 9), 1, 2, 0);
	assert_true(trace_filter_match(&f, b, n)); /* behind a VLAN tag */
	n = frame(b, true, 5, 6, A(192, 0, 2, 2), A(10, 1, 9, 9), 1, 2, 0);
	assert_false(trace_filter_match(&f, b, n));
}

static void
test_proto_ports(void **state)
{
	struct trace_filter f = { .proto = 17, .dport = 5001 };
	struct trace_flow fl;
	uint8_t b[128];
	uint32_t n;

	(void)state;
	n = frame(b, false, 5, 17, 1, 2, 1000, 5001, 0);
	assert_true(trace_filter_match(&f, b, n));
	n = frame(b, false, 5, 6, 1, 2, 1000, 5001, 0);
	assert_false(trace_filter_match(&f, b, n)); /* TCP */
	/* IP options: the ports are found after them. */
	n = frame(b, false, 7, 17, 1, 2, 1000, 5001, 0);
	assert_true(trace_filter_match(&f, b, n));
	trace_flow_parse(b, n, &fl);
	assert_true(fl.has_ports);
	assert_int_equal(fl.sport, 1000);
	/* A later fragment has no ports: a port filter does not match. */
	n = frame(b, false, 5, 17, 1, 2, 1000, 5001, 0x00b9);
	assert_false(trace_filter_match(&f, b, n));
	f.dport = 0;
	assert_true(trace_filter_match(&f, b, n)); /* proto alone does */
	/* Truncated before the ports. */
	f.dport = 5001;
	n = frame(b, false, 5, 17, 1, 2, 1000, 5001, 0);
	assert_false(trace_filter_match(&f, b, 14 + 20 + 2));
	f.sport = 999;
	assert_false(trace_filter_match(&f, b, n));
}

static void
test_not_ipv4(void **state)
{
	struct trace_filter f = { .proto = 1 };
	struct trace_flow fl;
	uint8_t b[128];
	uint32_t n;

	(void)state;
	n = frame(b, false, 5, 1, 1, 2, 0, 0, 0);
	assert_true(trace_filter_match(&f, b, n));
	b[14] = 0x65; /* version 6 in an IPv4 ethertype */
	assert_false(trace_filter_match(&f, b, n));
	assert_false(trace_filter_match(&f, b, 20)); /* no IP header */
	b[12] = 0x08;
	b[13] = 0x06;
	trace_flow_parse(b, n, &fl);
	assert_false(fl.ipv4);
	assert_int_equal(fl.ethertype, 0x0806);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_filter_matches_all),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_proto_ports),
		cmocka_unit_test(test_not_ipv4),
	};

	return cmocka_run_group_tests_name("trace-filter", tests, NULL, NULL);
}
