/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pkt: the pure helpers (no EAL): IPv4 header checks (RFC 1812
 * 5.2.2), martian addresses (RFC 1812 5.3.7), the Internet checksum
 * (RFC 1071), the incremental TTL/checksum update (RFC 1624), the
 * drop-reason table and graph-name parsing.
 *
 * Checksums are checked against a reference written here from RFC 1071,
 * independent of pkt_inet_cksum().
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkt.h"

/* ---- helpers ----------------------------------------------------------- */

/* RFC 1071 checksum as a big-endian value (what goes on the wire). */
static uint16_t
ref_cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Store the reference checksum of the header in buf (IHL from byte 0). */
static void
hdr_fix_cksum(uint8_t *buf)
{
	size_t ihl = (size_t)(buf[0] & 0xf) * 4;
	uint16_t c;

	if (ihl < 20)
		ihl = 20;
	buf[10] = buf[11] = 0;
	c = ref_cksum(buf, ihl);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
}

/* The classic header: 192.168.0.1 -> 192.168.0.199, UDP, 115 bytes. */
static const uint8_t classic_hdr[20] = {
	0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
};

#define FRAME_LEN 128

/* A valid header at the start of buf (zeroed FRAME_LEN bytes) with IHL
 * @p ihl words of which the options are NOPs (1) and total length
 * @p total. */
static void
hdr_build(uint8_t *buf, unsigned int ihl, uint16_t total)
{
	memset(buf, 0, FRAME_LEN);
	memcpy(buf, classic_hdr, sizeof(classic_hdr));
	buf[0] = (uint8_t)(0x40 | ihl);
	if (ihl > 5)
		memset(buf + 20, 1, (ihl - 5) * 4);
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	hdr_fix_cksum(buf);
}

static const struct rte_ipv4_hdr *
as_ip(const uint8_t *buf)
{
	return (const struct rte_ipv4_hdr *)(const void *)buf;
}

/* ---- pkt_ip4_check ------------------------------------------------------ */

static void
test_check_good(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));

	(void)state;
	memcpy(buf, classic_hdr, sizeof(classic_hdr));
	memset(buf + 20, 0, FRAME_LEN - 20);
	/* The textbook header as captured: its checksum is right. */
	assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73), DROP_NONE);
	/* Ethernet padding after the datagram is fine. */
	assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN), DROP_NONE);
	/* A datagram that is only a header. */
	hdr_build(buf, 5, 20);
	assert_int_equal(pkt_ip4_check(as_ip(buf), 20), DROP_NONE);
}

/* Behind a 14-byte Ethernet header the IP header is 2-byte aligned. */
static void
test_check_unaligned(void **state)
{
	uint8_t mem[FRAME_LEN + 8] __attribute__((aligned(8)));
	uint8_t buf[FRAME_LEN];
	unsigned int off, ihl;

	(void)state;
	for (off = 0; off < 8; off++) {
		for (ihl = 5; ihl <= 15; ihl++) {
			hdr_build(buf, ihl, (uint16_t)(ihl * 4 + 4));
			memcpy(mem + off, buf, FRAME_LEN);
			assert_int_equal(pkt_ip4_check(as_ip(mem + off),
						       ihl * 4 + 4), DROP_NONE);
			mem[off + 12] ^= 0x01;
			assert_int_equal(pkt_ip4_check(as_ip(mem + off),
						       ihl * 4 + 4),
					 DROP_IP4_BAD_CHECKSUM);
		}
	}
}

static void
test_check_good_options(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	unsigned int ihl;

	(void)state;
	for (ihl = 6; ihl <= 15; ihl++) {
		/* Header only, then with 8 bytes of payload. */
		hdr_build(buf, ihl, (uint16_t)(ihl * 4));
		assert_int_equal(pkt_ip4_check(as_ip(buf), ihl * 4), DROP_NONE);
		hdr_build(buf, ihl, (uint16_t)(ihl * 4 + 8));
		assert_int_equal(pkt_ip4_check(as_ip(buf), ihl * 4 + 8),
				 DROP_NONE);
		assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN),
				 DROP_NONE);
	}
}

static void
test_check_truncated(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	uint32_t len;
	unsigned int ihl;

	(void)state;
	/* Shorter than the fixed header, whatever the bytes say. */
	hdr_build(buf, 5, 0x73);
	for (len = 0; len < 20; len++)
		assert_int_equal(pkt_ip4_check(as_ip(buf), len),
				 DROP_IP4_TRUNCATED);
	/* Options run past the end of the frame. */
	for (ihl = 6; ihl <= 15; ihl++) {
		hdr_build(buf, ihl, (uint16_t)(ihl * 4));
		for (len = 20; len < ihl * 4; len++)
			assert_int_equal(pkt_ip4_check(as_ip(buf), len),
					 DROP_IP4_TRUNCATED);
	}
	/* Total length beyond the frame. */
	hdr_build(buf, 5, 0x73);
	assert_int_equal(pkt_ip4_check(as_ip(buf), 0x72), DROP_IP4_TRUNCATED);
	assert_int_equal(pkt_ip4_check(as_ip(buf), 20), DROP_IP4_TRUNCATED);
	hdr_build(buf, 5, 0xffff);
	assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN),
			 DROP_IP4_TRUNCATED);
	hdr_build(buf, 8, 33);
	assert_int_equal(pkt_ip4_check(as_ip(buf), 32), DROP_IP4_TRUNCATED);
}

static void
test_check_bad_version(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	unsigned int v;

	(void)state;
	for (v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		hdr_build(buf, 5, 0x73);
		buf[0] = (uint8_t)(v << 4 | 5);
		hdr_fix_cksum(buf);
		assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73),
				 DROP_IP4_BAD_VERSION);
	}
}

static void
test_check_bad_ihl(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	unsigned int ihl;

	(void)state;
	for (ihl = 0; ihl < 5; ihl++) {
		hdr_build(buf, 5, 0x73);
		buf[0] = (uint8_t)(0x40 | ihl);
		hdr_fix_cksum(buf); /* over the 20 bytes */
		assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73),
				 DROP_IP4_BAD_IHL);
	}
}

static void
test_check_bad_checksum(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	unsigned int i, bit;

	(void)state;
	/* Any single-bit error in the 20-byte header is caught, except in
	 * version/IHL (checked before the checksum) and the total length
	 * (left out so the order of the last two checks stays free). */
	for (i = 1; i < 20; i++) {
		if (i == 2 || i == 3)
			continue;
		for (bit = 0; bit < 8; bit++) {
			hdr_build(buf, 5, 0x73);
			buf[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73),
					 DROP_IP4_BAD_CHECKSUM);
		}
	}
	/* Options are covered by the checksum. */
	hdr_build(buf, 9, 36);
	buf[30] ^= 0x80;
	assert_int_equal(pkt_ip4_check(as_ip(buf), 36), DROP_IP4_BAD_CHECKSUM);
	/* A zero checksum field is not "no checksum" in IPv4. */
	hdr_build(buf, 5, 0x73);
	buf[10] = buf[11] = 0;
	assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73),
			 DROP_IP4_BAD_CHECKSUM);
	/* Payload bytes are not covered. */
	hdr_build(buf, 5, 0x73);
	buf[40] ^= 0xff;
	assert_int_equal(pkt_ip4_check(as_ip(buf), 0x73), DROP_NONE);
}

static void
test_check_bad_length(void **state)
{
	uint8_t buf[FRAME_LEN] __attribute__((aligned(8)));
	unsigned int total, ihl;

	(void)state;
	for (total = 0; total < 20; total++) {
		hdr_build(buf, 5, (uint16_t)total);
		assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN),
				 DROP_IP4_BAD_LENGTH);
	}
	for (ihl = 6; ihl <= 15; ihl++) {
		hdr_build(buf, ihl, (uint16_t)(ihl * 4 - 1));
		assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN),
				 DROP_IP4_BAD_LENGTH);
		hdr_build(buf, ihl, 20);
		assert_int_equal(pkt_ip4_check(as_ip(buf), FRAME_LEN),
				 DROP_IP4_BAD_LENGTH);
	}
}

/* ---- pkt_ip4_check_addrs ------------------------------------------------ */

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static enum drop_reason
addrs(uint32_t src, uint32_t dst)
{
	struct rte_ipv4_hdr ip;

	memset(&ip, 0, sizeof(ip));
	ip.version_ihl = 0x45;
	ip.src_addr = rte_cpu_to_be_32(src);
	ip.dst_addr = rte_cpu_to_be_32(dst);
	return pkt_ip4_check_addrs(&ip);
}

static const uint32_t good_unicast[] = {
	IP(1, 0, 0, 0), IP(1, 2, 3, 4), IP(10, 1, 2, 3), IP(126, 255, 255, 255),
	IP(128, 0, 0, 0), IP(172, 16, 0, 1), IP(192, 168, 101, 7),
	IP(223, 255, 255, 255),
};

static void
test_addrs_martian_source(void **state)
{
	static const uint32_t bad[] = {
		IP(0, 0, 0, 0), IP(0, 1, 2, 3), IP(0, 255, 255, 255),
		IP(127, 0, 0, 1), IP(127, 0, 0, 0), IP(127, 255, 255, 255),
		IP(224, 0, 0, 1), IP(232, 1, 1, 1), IP(239, 255, 255, 255),
		IP(240, 0, 0, 0), IP(250, 1, 2, 3), IP(255, 255, 255, 254),
		IP(255, 255, 255, 255),
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(addrs(bad[i], IP(10, 1, 2, 3)),
				 DROP_IP4_BAD_SOURCE);
		/* Whatever the destination. */
		assert_int_equal(addrs(bad[i], IP(224, 0, 0, 5)),
				 DROP_IP4_BAD_SOURCE);
	}
}

static void
test_addrs_bad_dest(void **state)
{
	static const uint32_t bad[] = {
		IP(0, 0, 0, 0), IP(0, 1, 2, 3), IP(0, 255, 255, 255),
		IP(127, 0, 0, 1), IP(127, 0, 0, 0), IP(127, 255, 255, 255),
		IP(240, 0, 0, 0), IP(240, 0, 0, 1), IP(250, 1, 2, 3),
		IP(255, 255, 255, 254), IP(255, 0, 0, 0),
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(addrs(IP(10, 1, 2, 3), bad[i]),
				 DROP_IP4_BAD_DEST);
}

static void
test_addrs_multicast_dest(void **state)
{
	static const uint32_t mc[] = {
		IP(224, 0, 0, 0), IP(224, 0, 0, 1), IP(232, 1, 2, 3),
		IP(239, 255, 255, 255), IP(255, 255, 255, 255),
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(mc) / sizeof(mc[0]); i++)
		assert_int_equal(addrs(IP(10, 1, 2, 3), mc[i]),
				 DROP_IP4_MULTICAST);
}

static void
test_addrs_unicast(void **state)
{
	unsigned int i, j;
	size_t n = sizeof(good_unicast) / sizeof(good_unicast[0]);

	(void)state;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			assert_int_equal(addrs(good_unicast[i], good_unicast[j]),
					 DROP_NONE);
}

/* ---- pkt_inet_cksum ----------------------------------------------------- */

/* The checksum as the two bytes stored in the packet. */
static void
assert_cksum_bytes(uint16_t stored, uint8_t hi, uint8_t lo)
{
	uint8_t b[2];

	memcpy(b, &stored, 2);
	assert_int_equal(b[0], hi);
	assert_int_equal(b[1], lo);
}

static void
test_cksum_rfc1071(void **state)
{
	/* RFC 1071 section 3: the sum is ddf2, so the checksum is 220d. */
	static const uint8_t ex[8] = { 0x00, 0x01, 0xf2, 0x03,
				       0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t shifted[9];

	(void)state;
	assert_cksum_bytes(pkt_inet_cksum(ex, 8), 0x22, 0x0d);
	assert_int_equal(rte_be_to_cpu_16(pkt_inet_cksum(ex, 8)), 0x220d);
	/* Unaligned buffer. */
	memcpy(shifted + 1, ex, 8);
	assert_cksum_bytes(pkt_inet_cksum(shifted + 1, 8), 0x22, 0x0d);
}

static void
test_cksum_odd_length(void **state)
{
	static const uint8_t ex[7] = { 0x00, 0x01, 0xf2, 0x03,
				       0xf4, 0xf5, 0xf6 };
	static const uint8_t one = 0xab;

	(void)state;
	/* The last byte is padded with a zero on the right: f600. */
	assert_cksum_bytes(pkt_inet_cksum(ex, 7), 0x23, 0x04);
	assert_cksum_bytes(pkt_inet_cksum(&one, 1), 0x54, 0xff);
	/* Nothing sums to zero: the checksum is ffff. */
	assert_cksum_bytes(pkt_inet_cksum(ex, 0), 0xff, 0xff);
}

static void
test_cksum_ipv4_header(void **state)
{
	uint8_t hdr[20];

	(void)state;
	memcpy(hdr, classic_hdr, 20);
	hdr[10] = hdr[11] = 0;
	assert_cksum_bytes(pkt_inet_cksum(hdr, 20), 0xb8, 0x61);
	/* With the checksum in place the header sums to ffff: 0. */
	assert_int_equal(pkt_inet_cksum(classic_hdr, 20), 0);
}

static void
test_cksum_vs_reference(void **state)
{
	uint8_t mem[257 + 8] __attribute__((aligned(8)));
	unsigned int iter, len, i, off;
	uint8_t *buf;
	uint16_t ref;

	(void)state;
	srand(1071);
	for (iter = 0; iter < 20000; iter++) {
		len = (unsigned int)rand() % 257;
		off = iter % 8; /* every alignment */
		buf = mem + off;
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		if (iter % 7 == 0) /* long runs of ff stress the folding */
			memset(buf, 0xff, len);
		else if (iter % 11 == 0)
			memset(buf, 0, len);
		ref = ref_cksum(buf, len);
		if (rte_be_to_cpu_16(pkt_inet_cksum(buf, len)) != ref)
			fail_msg("length %u at offset %u: %04x, expected %04x",
				 len, off,
				 rte_be_to_cpu_16(pkt_inet_cksum(buf, len)), ref);
	}
}

/* pkt_ip4_hdr_cksum: the header-only fast path (whole 32-bit words). */
static void
test_ip4_hdr_cksum(void **state)
{
	uint8_t mem[60 + 8] __attribute__((aligned(8)));
	unsigned int iter, ihl, i, off;
	uint8_t *hdr;
	uint16_t c;

	(void)state;
	/* The textbook header: b861 with the field zeroed, 0 with it. */
	memcpy(mem, classic_hdr, 20);
	mem[10] = mem[11] = 0;
	assert_cksum_bytes(pkt_ip4_hdr_cksum(as_ip(mem), 20), 0xb8, 0x61);
	assert_int_equal(pkt_ip4_hdr_cksum(as_ip(classic_hdr), 20), 0);
	/* Random headers of every length at every alignment (behind a
	 * 14-byte Ethernet header they are only 2-byte aligned). */
	srand(791);
	for (iter = 0; iter < 50000; iter++) {
		ihl = 5 + (unsigned int)rand() % 11;
		off = iter % 8;
		hdr = mem + off;
		for (i = 0; i < ihl * 4; i++)
			hdr[i] = (uint8_t)rand();
		if (iter % 13 == 0)
			memset(hdr, 0xff, ihl * 4);
		c = pkt_ip4_hdr_cksum(as_ip(hdr), ihl * 4);
		if (rte_be_to_cpu_16(c) != ref_cksum(hdr, ihl * 4))
			fail_msg("IHL %u at offset %u: %04x, expected %04x", ihl,
				 off, rte_be_to_cpu_16(c),
				 ref_cksum(hdr, ihl * 4));
		assert_int_equal(c, pkt_inet_cksum(hdr, ihl * 4));
		/* Stored, the header then checks out. */
		hdr[0] = (uint8_t)(0x40 | ihl);
		hdr[2] = 0;
		hdr[3] = (uint8_t)(ihl * 4);
		hdr[10] = hdr[11] = 0;
		c = pkt_ip4_hdr_cksum(as_ip(hdr), ihl * 4);
		memcpy(hdr + 10, &c, 2);
		assert_int_equal(pkt_ip4_hdr_cksum(as_ip(hdr), ihl * 4), 0);
		assert_int_equal(pkt_ip4_check(as_ip(hdr), ihl * 4), DROP_NONE);
	}
}

/* ---- pkt_ip4_ttl_dec / pkt_cksum_add ------------------------------------ */

/* Full recomputation of the header checksum, as stored (wire order). */
static uint16_t
recompute(const uint8_t *hdr)
{
	uint8_t tmp[60];
	size_t ihl = (size_t)(hdr[0] & 0xf) * 4;
	uint16_t c;

	memcpy(tmp, hdr, ihl);
	tmp[10] = tmp[11] = 0;
	c = ref_cksum(tmp, ihl);
	return rte_cpu_to_be_16(c);
}

static void
ttl_dec_check(uint8_t *hdr)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(void *)hdr;
	size_t ihl = (size_t)(hdr[0] & 0xf) * 4;
	uint8_t before[60];
	uint8_t ttl = ip->time_to_live;

	memcpy(before, hdr, ihl);
	pkt_ip4_ttl_dec(ip);
	assert_int_equal(ip->time_to_live, ttl - 1);
	if (ip->hdr_checksum != recompute(hdr))
		fail_msg("TTL %u -> %u: checksum %04x before, %04x after, "
			 "recomputed %04x", ttl, ttl - 1,
			 rte_be_to_cpu_16(((struct rte_ipv4_hdr *)
					   (void *)before)->hdr_checksum),
			 rte_be_to_cpu_16(ip->hdr_checksum),
			 rte_be_to_cpu_16(recompute(hdr)));
	/* Nothing else changed. */
	assert_memory_equal(hdr, before, 8);
	assert_memory_equal(hdr + 9, before + 9, 1);
	assert_memory_equal(hdr + 12, before + 12, ihl - 12);
	assert_int_equal(pkt_ip4_check(ip, (uint32_t)ihl), DROP_NONE);
}

static void
test_ttl_dec_random(void **state)
{
	uint8_t hdr[60] __attribute__((aligned(8)));
	unsigned int iter, i, ihl;
	unsigned int hit_zero = 0;

	(void)state;
	srand(1624);
	for (iter = 0; iter < 100000; iter++) {
		ihl = 5 + (unsigned int)rand() % 11;
		for (i = 0; i < ihl * 4; i++)
			hdr[i] = (uint8_t)rand();
		hdr[0] = (uint8_t)(0x40 | ihl);
		hdr[2] = 0;
		hdr[3] = (uint8_t)(ihl * 4); /* total = header only */
		hdr[8] = (uint8_t)(2 + rand() % 254);
		hdr_fix_cksum(hdr);
		assert_int_equal(pkt_ip4_check((struct rte_ipv4_hdr *)
					       (void *)hdr, ihl * 4),
				 DROP_NONE);
		ttl_dec_check(hdr);
		if (((struct rte_ipv4_hdr *)(void *)hdr)->hdr_checksum == 0)
			hit_zero++;
	}
	print_message("ttl_dec: %u of 100000 random headers ended at "
		      "checksum 0000\n", hit_zero);
}

/*
 * A valid header whose stored checksum field reads @p stored (as the
 * CPU loads it), found by trying every IP id.
 */
static void
hdr_with_stored_cksum(uint8_t *hdr, uint16_t stored, uint8_t ttl)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(void *)hdr;
	uint32_t id;

	hdr_build(hdr, 5, 20);
	hdr[8] = ttl;
	for (id = 0; id <= 0xffff; id++) {
		hdr[4] = (uint8_t)(id >> 8);
		hdr[5] = (uint8_t)id;
		hdr_fix_cksum(hdr);
		if (ip->hdr_checksum == stored)
			return;
	}
	fail_msg("no IP id gives checksum field %04x", stored);
}

static void
test_ttl_dec_rfc1624_edge(void **state)
{
	uint8_t hdr[FRAME_LEN] __attribute__((aligned(8)));
	const uint16_t delta = rte_cpu_to_be_16(0x0100);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(void *)hdr;
	/* Stored values around the wrap of cksum + delta. A stored ffff
	 * never comes out of a computation, so it is skipped (on a little
	 * endian CPU delta is 1 and no valid header carries out). */
	const uint16_t cases[] = {
		(uint16_t)(0xffff - delta),     /* lands exactly on ffff */
		(uint16_t)(0xffff - delta - 1), /* just below */
		(uint16_t)(0xffff - delta + 1), /* carries out by 1 */
		0xfffe,                         /* carries out on big endian */
		0x0000, 0x1234,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i] == 0xffff)
			continue;
		hdr_with_stored_cksum(hdr, cases[i], 64);
		assert_int_equal(ip->hdr_checksum, cases[i]);
		ttl_dec_check(hdr);
	}
	/* The RFC 1624 case itself: the updated sum is ffff, the result
	 * must be 0000 as a recomputation gives (never ffff). */
	hdr_with_stored_cksum(hdr, (uint16_t)(0xffff - delta), 64);
	pkt_ip4_ttl_dec(ip);
	assert_int_equal(ip->hdr_checksum, 0x0000);
	assert_int_equal(recompute(hdr), 0x0000);
	/* TTL 255 and 2, the ends of the range. */
	hdr_build(hdr, 5, 20);
	hdr[8] = 255;
	hdr_fix_cksum(hdr);
	ttl_dec_check(hdr);
	hdr[8] = 2;
	hdr_fix_cksum(hdr);
	ttl_dec_check(hdr);
	assert_int_equal(hdr[8], 1);
}

static void
test_cksum_add_edges(void **state)
{
	unsigned int i;
	uint16_t a, b, r;

	(void)state;
	assert_int_equal(pkt_cksum_add(0x0000, 0x0000), 0x0000);
	assert_int_equal(pkt_cksum_add(0x1234, 0x0000), 0x1234);
	assert_int_equal(pkt_cksum_add(0x1234, 0x0100), 0x1334);
	/* A sum of exactly ffff folds to 0000. */
	assert_int_equal(pkt_cksum_add(0xfffe, 0x0001), 0x0000);
	assert_int_equal(pkt_cksum_add(0xfeff, 0x0100), 0x0000);
	assert_int_equal(pkt_cksum_add(0x0001, 0xfffe), 0x0000);
	/* End-around carry. */
	assert_int_equal(pkt_cksum_add(0xffff, 0x0001), 0x0001);
	assert_int_equal(pkt_cksum_add(0x8000, 0x8000), 0x0001);
	assert_int_equal(pkt_cksum_add(0xff00, 0x0100), 0x0001);
	assert_int_equal(pkt_cksum_add(0xfff0, 0x0020), 0x0011);
	assert_int_equal(pkt_cksum_add(0xffff, 0xffff), 0xffff);
	/* In general: ones' complement addition (equal modulo ffff). */
	srand(1);
	for (i = 0; i < 100000; i++) {
		a = (uint16_t)rand();
		b = (uint16_t)rand();
		r = pkt_cksum_add(a, b);
		assert_int_equal(r % 0xffff, ((uint32_t)a + b) % 0xffff);
		if ((uint32_t)a + b != 0x1fffe)
			assert_int_not_equal(r, 0xffff);
	}
}

/* ---- drop reasons ------------------------------------------------------- */

static void
test_drop_reason_table(void **state)
{
	regex_t re;
	int r, s;

	(void)state;
	assert_int_equal(DROP_NONE, 0);
	assert_true(DROP_MAX > 1);
	assert_int_equal(regcomp(&re, "^[a-z0-9_]+$", REG_EXTENDED | REG_NOSUB),
			 0);
	for (r = 0; r < DROP_MAX; r++) {
		const char *name = drop_reason_name((enum drop_reason)r);
		const char *desc = drop_reason_desc((enum drop_reason)r);

		assert_non_null(name);
		assert_non_null(desc);
		assert_true(name[0] != '\0');
		assert_true(desc[0] != '\0');
		if (regexec(&re, name, 0, NULL, 0) != 0)
			fail_msg("drop reason %d name \"%s\" is not [a-z0-9_]+",
				 r, name);
		assert_string_not_equal(name, "invalid");
		for (s = 0; s < r; s++)
			assert_string_not_equal(
				name, drop_reason_name((enum drop_reason)s));
		assert_int_equal(drop_reason_from_name(name), r);
	}
	regfree(&re);
	/* Names operators and tests match on. */
	assert_string_equal(drop_reason_name(DROP_NONE), "none");
	assert_string_equal(drop_reason_name(DROP_IP4_NO_ROUTE), "ip4_no_route");
	assert_string_equal(drop_reason_name(DROP_ARP_HOLD_FULL),
			    "arp_hold_full");
	assert_string_equal(drop_reason_name(DROP_TX_FULL), "tx_full");
}

static void
test_drop_reason_unknown(void **state)
{
	(void)state;
	assert_int_equal(drop_reason_from_name("no_such_reason"), -1);
	assert_int_equal(drop_reason_from_name(""), -1);
	assert_int_equal(drop_reason_from_name("invalid"), -1);
	assert_int_equal(drop_reason_from_name("IP4_NO_ROUTE"), -1);
	assert_int_equal(drop_reason_from_name("ip4_no_route "), -1);
	assert_int_equal(drop_reason_from_name("ip4_no_rout"), -1);
	assert_string_equal(drop_reason_name(DROP_MAX), "invalid");
	assert_string_equal(drop_reason_name((enum drop_reason)(DROP_MAX + 7)),
			    "invalid");
	assert_string_equal(drop_reason_name((enum drop_reason)-1), "invalid");
	assert_string_equal(drop_reason_desc(DROP_MAX), "invalid");
	assert_string_equal(drop_reason_desc((enum drop_reason)-1), "invalid");
}

/* ---- graph names -------------------------------------------------------- */

static void
test_worker_index(void **state)
{
	char name[32];

	(void)state;
	assert_int_equal(pkt_graph_worker_index("worker0"), 0);
	assert_int_equal(pkt_graph_worker_index("worker1"), 1);
	assert_int_equal(pkt_graph_worker_index("worker12"), 12);
	snprintf(name, sizeof(name), "worker%d", RTE_MAX_LCORE - 1);
	assert_int_equal(pkt_graph_worker_index(name), RTE_MAX_LCORE - 1);
	snprintf(name, sizeof(name), "worker%d", RTE_MAX_LCORE);
	assert_int_equal(pkt_graph_worker_index(name), -1);
	assert_int_equal(pkt_graph_worker_index("worker"), -1);
	assert_int_equal(pkt_graph_worker_index("workerX"), -1);
	assert_int_equal(pkt_graph_worker_index("worker-1"), -1);
	assert_int_equal(pkt_graph_worker_index("other0"), -1);
	assert_int_equal(pkt_graph_worker_index("worker3x"), -1);
	assert_int_equal(pkt_graph_worker_index(""), -1);
	assert_int_equal(pkt_graph_worker_index("Worker0"), -1);
	assert_int_equal(pkt_graph_worker_index("worker99999999999999999999"),
			 -1);
}

/*
 * Graph names are "worker%u": only decimal digits follow the prefix.
 * strtol() also takes a sign and leading blanks, so "worker-0" would be
 * worker 0 while "worker-1" is refused.
 */
static void
test_worker_index_digits_only(void **state)
{
	(void)state;
	assert_int_equal(pkt_graph_worker_index("worker-0"), -1);
	assert_int_equal(pkt_graph_worker_index("worker+1"), -1);
	assert_int_equal(pkt_graph_worker_index("worker 1"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_good),
		cmocka_unit_test(test_check_good_options),
		cmocka_unit_test(test_check_unaligned),
		cmocka_unit_test(test_check_truncated),
		cmocka_unit_test(test_check_bad_version),
		cmocka_unit_test(test_check_bad_ihl),
		cmocka_unit_test(test_check_bad_checksum),
		cmocka_unit_test(test_check_bad_length),
		cmocka_unit_test(test_addrs_martian_source),
		cmocka_unit_test(test_addrs_bad_dest),
		cmocka_unit_test(test_addrs_multicast_dest),
		cmocka_unit_test(test_addrs_unicast),
		cmocka_unit_test(test_cksum_rfc1071),
		cmocka_unit_test(test_cksum_odd_length),
		cmocka_unit_test(test_cksum_ipv4_header),
		cmocka_unit_test(test_cksum_vs_reference),
		cmocka_unit_test(test_ip4_hdr_cksum),
		cmocka_unit_test(test_ttl_dec_random),
		cmocka_unit_test(test_ttl_dec_rfc1624_edge),
		cmocka_unit_test(test_cksum_add_edges),
		cmocka_unit_test(test_drop_reason_table),
		cmocka_unit_test(test_drop_reason_unknown),
		cmocka_unit_test(test_worker_index),
		cmocka_unit_test(test_worker_index_digits_only),
	};

	return cmocka_run_group_tests_name("pkt", tests, NULL, NULL);
}
