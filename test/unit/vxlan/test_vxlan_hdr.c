/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN header logic (lib/vxlan/vxlan_hdr.h, no EAL): the outer headers
 * written for a tunnel byte by byte against RFC 7348 5, the checks of a
 * received header (I flag, reserved bits, length), and the UDP source
 * port of a flow (range, stable per flow, spread over flows); the outer
 * IPv6 header, its UDP checksum and the flow label.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vxlan_hdr.h"

/* An Ethernet/IPv4/UDP inner frame from 10.1.0.1:sport to 10.2.0.2:53. */
static unsigned int
inner_frame(uint8_t *f, uint16_t sport)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(f, 0, 64);
	memcpy(eth->dst_addr.addr_bytes, "\x02\0\0\0\0\x02", 6);
	memcpy(eth->src_addr.addr_bytes, "\x02\0\0\0\0\x01", 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0xb9;  /* DSCP 46 (EF), ECN 1 */
	ip->total_length = rte_cpu_to_be_16(46);
	ip->time_to_live = 17;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a010001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a020002);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(53);
	return 60;
}

static void
test_encap_bytes(void **state)
{
	struct vxlan_encap_params e = {
		.src = 0x0a000001, .dst = 0x0a000002, .vni = 0xabcdef,
		.dst_port = 4789, .src_port = 50000, .ttl = 64, .tos = 46 << 2,
	};
	static const uint8_t want[] = {
		/* IPv4: 45, TOS b8, total 36 + 60 = 96, ID 0, no DF, TTL 64,
		 * UDP, checksum (below), 10.0.0.1 -> 10.0.0.2 */
		0x45, 0xb8, 0x00, 0x60, 0x00, 0x00, 0x00, 0x00,
		0x40, 0x11, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x00, 0x02,
		/* UDP 50000 -> 4789, length 8 + 8 + 60 = 76, checksum 0 */
		0xc3, 0x50, 0x12, 0xb5, 0x00, 0x4c, 0x00, 0x00,
		/* VXLAN: flags I (0x08), reserved, VNI abcdef, reserved */
		0x08, 0x00, 0x00, 0x00, 0xab, 0xcd, 0xef, 0x00,
	};
	uint8_t buf[VXLAN_ENCAP_L3];

	(void)state;
	assert_int_equal(VXLAN_ENCAP_L3, 36);
	assert_int_equal(VXLAN_OVERHEAD, 50);
	vxlan_encap_write(buf, 60, &e);
	/* The header checksum verifies; the rest is byte for byte. */
	assert_int_equal(pkt_ip4_hdr_cksum((struct rte_ipv4_hdr *)buf, 20), 0);
	buf[10] = buf[11] = 0;
	assert_memory_equal(buf, want, sizeof(want));
}

static void
check(uint32_t flags, uint32_t vni_word, uint32_t len, enum drop_reason want,
      uint32_t want_vni)
{
	struct rte_vxlan_hdr vh = { .vx_flags = rte_cpu_to_be_32(flags),
				    .vx_vni = rte_cpu_to_be_32(vni_word) };
	uint32_t vni = 0;

	assert_int_equal(vxlan_hdr_check(&vh, len, &vni), want);
	if (want == DROP_NONE)
		assert_int_equal(vni, want_vni);
}

static void
test_decap_checks(void **state)
{
	(void)state;
	check(0x08000000, 42 << 8, 8 + 14, DROP_NONE, 42);
	check(0x08000000, 0xffffff00, 100, DROP_NONE, 0xffffff);
	/* I flag clear: "MUST be set to 1 for a valid VNI" */
	check(0x00000000, 42 << 8, 100, DROP_VXLAN_BAD_FLAGS, 0);
	/* VXLAN-GPE (scapy's default 0x0c) and GBP set reserved bits */
	check(0x0c000000, 42 << 8, 100, DROP_VXLAN_BAD_FLAGS, 0);
	check(0x88000000, 42 << 8, 100, DROP_VXLAN_BAD_FLAGS, 0);
	check(0x08000001, 42 << 8, 100, DROP_VXLAN_BAD_FLAGS, 0);
	/* reserved byte after the VNI */
	check(0x08000000, 42 << 8 | 1, 100, DROP_VXLAN_BAD_FLAGS, 0);
	/* a VXLAN header and less than an inner Ethernet header */
	check(0x08000000, 42 << 8, 8 + 13, DROP_VXLAN_TRUNCATED, 0);
	check(0x08000000, 42 << 8, 0, DROP_VXLAN_TRUNCATED, 0);
}

static void
test_src_port(void **state)
{
	uint8_t f[64];
	uint16_t p1, p2, seen_low = 0xffff, seen_high = 0;
	unsigned int n, i, distinct = 0;
	uint16_t ports[64];

	(void)state;
	n = inner_frame(f, 1000);
	p1 = vxlan_src_port(f, n);
	p2 = vxlan_src_port(f, n);
	assert_int_equal(p1, p2);            /* one flow, one port */
	for (i = 0; i < 64; i++) {
		n = inner_frame(f, (uint16_t)(1000 + i));
		ports[i] = vxlan_src_port(f, n);
		assert_true(ports[i] >= VXLAN_SPORT_BASE);  /* RFC 7348 5 */
		seen_low = RTE_MIN(seen_low, ports[i]);
		seen_high = RTE_MAX(seen_high, ports[i]);
	}
	for (i = 1; i < 64; i++)
		distinct += ports[i] != ports[i - 1];
	assert_true(distinct >= 60);         /* flows spread */
	assert_true(seen_high - seen_low > 1000);
	/* a non-IPv4 frame hashes its MACs only */
	((struct rte_ether_hdr *)f)->ether_type =
		rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	assert_true(vxlan_src_port(f, 14) >= VXLAN_SPORT_BASE);
}

static void
test_inner_tos(void **state)
{
	uint8_t f[64];
	unsigned int n = inner_frame(f, 1);

	(void)state;
	assert_int_equal(vxlan_inner_tos(f, n), 0xb9);
	assert_int_equal(vxlan_inner_tos(f, 20), -1);  /* too short */
	((struct rte_ether_hdr *)f)->ether_type =
		rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	assert_int_equal(vxlan_inner_tos(f, n), -1);
}

/* An Ethernet/IPv6/UDP inner frame from 2001:db8::1:sport to
 * 2001:db8::2:53. */
static unsigned int
inner_frame6(uint8_t *f, uint16_t sport)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(f, 0, 80);
	memcpy(eth->dst_addr.addr_bytes, "\x02\0\0\0\0\x02", 6);
	memcpy(eth->src_addr.addr_bytes, "\x02\0\0\0\0\x01", 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(8);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 9;
	memcpy(ip->src_addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(ip->dst_addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(53);
	return 14 + 40 + 8;
}

/* Outer IPv6 byte by byte (RFC 8200 3), and its UDP checksum: what
 * DPDK's own IPv6 UDP checksum gives, and 0xffff in the one's
 * complement sum of the received datagram (RFC 768, RFC 8200 8.1). */
static void
test_encap6_bytes(void **state)
{
	struct vxlan_encap6_params e = {
		.vni = 0x123456, .flow = 0xabcde, .dst_port = 4789,
		.src_port = 50000, .hop_limit = 64, .tc = 0xb8,
	};
	uint8_t pkt[VXLAN_ENCAP6_L3 + 80];
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)pkt;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	unsigned int n = inner_frame6(pkt + VXLAN_ENCAP6_L3, 1000);
	uint16_t c;

	(void)state;
	assert_int_equal(VXLAN_ENCAP6_L3, 56);
	assert_int_equal(VXLAN_OVERHEAD6, 70);
	memset(e.src, 0x11, 16);
	memset(e.dst, 0x22, 16);
	vxlan_encap6_write(pkt, n, &e);
	/* version 6, traffic class 0xb8, flow label 0xabcde */
	assert_memory_equal(pkt, "\x6b\x8a\xbc\xde", 4);
	assert_int_equal(rte_be_to_cpu_16(ip->payload_len), n + 16);
	assert_int_equal(ip->proto, IPPROTO_UDP);
	assert_int_equal(ip->hop_limits, 64);
	assert_memory_equal(ip->src_addr, e.src, 16);
	assert_memory_equal(ip->dst_addr, e.dst, 16);
	assert_int_equal(rte_be_to_cpu_16(udp->dgram_len), n + 16);
	assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 4789);
	assert_int_equal(rte_be_to_cpu_16(udp->src_port), 50000);
	assert_int_equal(udp->dgram_cksum, 0);
	assert_memory_equal(pkt + 48, "\x08\0\0\0\x12\x34\x56\0", 8);
	c = vxlan_udp6_cksum(ip, udp, n + 16);
	assert_int_equal(c, rte_ipv6_udptcp_cksum(ip, udp));
	udp->dgram_cksum = c;
	assert_int_equal(vxlan_udp6_sum(ip, udp, n + 16), 0xffff);
	pkt[100] ^= 1;     /* one bit of the inner frame */
	assert_int_not_equal(vxlan_udp6_sum(ip, udp, n + 16), 0xffff);
}

/* The flow hash of IPv6 inner frames: per flow, spread, symmetric
 * addresses; flow labels of 20 bits, never 0 (RFC 6437). */
static void
test_flow6(void **state)
{
	uint8_t f[80];
	unsigned int n, i, distinct = 0;
	uint32_t h[32], l;

	(void)state;
	for (i = 0; i < 32; i++) {
		n = inner_frame6(f, (uint16_t)(2000 + i));
		h[i] = vxlan_flow_hash(f, n);
		assert_int_equal(h[i], vxlan_flow_hash(f, n));
		l = vxlan_flow_label_of(h[i]);
		assert_true(l > 0 && l <= 0xfffff);
		assert_true(vxlan_sport_of(h[i]) >= VXLAN_SPORT_BASE);
	}
	for (i = 1; i < 32; i++)
		distinct += vxlan_flow_label_of(h[i]) !=
			    vxlan_flow_label_of(h[i - 1]);
	assert_true(distinct >= 30);
	assert_int_equal(vxlan_flow_label_of(0), 1);
	/* ports are only read when UDP/TCP follows the fixed header */
	n = inner_frame6(f, 1);
	f[14 + 6] = 0; /* hop-by-hop options next */
	assert_int_equal(vxlan_flow_hash(f, n),
			 (inner_frame6(f, 2), f[14 + 6] = 0,
			  vxlan_flow_hash(f, n)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_bytes),
		cmocka_unit_test(test_decap_checks),
		cmocka_unit_test(test_src_port),
		cmocka_unit_test(test_inner_tos),
		cmocka_unit_test(test_encap6_bytes),
		cmocka_unit_test(test_flow6),
	};

	return cmocka_run_group_tests_name("vxlan-hdr", tests, NULL, NULL);
}
