/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 header checks of RFC 8200 as pure functions (no EAL, so the
 * unit tests call them directly): the extension-header walk every
 * received packet passes, and the address classes of RFC 4291 that
 * decide whether a packet may be routed.
 *
 * The walk follows the chain from the fixed header: hop-by-hop (only
 * first, RFC 8200 4.1; its options are read, 4.2), routing (type 0 with
 * segments left is refused, RFC 5095 3), destination options, and stops
 * at a fragment header (the rest belongs to the fragments: forwarded
 * untouched, RFC 8200 4.5) or at the first header that is not one of
 * these (the upper layer, or ESP/AH/No Next Header). Every length is
 * checked against the payload; a chain longer than IP6_EXT_MAX headers
 * is refused, which also bounds the work per packet.
 */
#ifndef FERRY_IP6_HDR_H
#define FERRY_IP6_HDR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "drop_reasons.h"

#define IP6_HDR_LEN 40
/** Most extension headers walked before the chain is refused. */
#define IP6_EXT_MAX 8

#define IP6_NH_HOPOPTS 0
#define IP6_NH_TCP 6
#define IP6_NH_UDP 17
#define IP6_NH_ROUTING 43
#define IP6_NH_FRAGMENT 44
#define IP6_NH_ICMP6 58
#define IP6_NH_NONE 59
#define IP6_NH_DSTOPTS 60

/* Hop-by-hop options (RFC 8200 4.2, RFC 2711, RFC 2675). */
#define IP6_OPT_PAD1 0
#define IP6_OPT_PADN 1
#define IP6_OPT_ROUTER_ALERT 5
#define IP6_OPT_JUMBO 0xc2

/** Where the walk ended. */
struct ip6_walk {
	uint8_t proto; /**< upper-layer protocol, or 44 (fragment) */
	uint16_t off;  /**< its offset from the IPv6 header */
	bool fragment; /**< a fragment header was met */
};

static inline bool ip6_is_multicast(const uint8_t *a);
static inline bool ip6_is_loopback(const uint8_t *a);
static inline bool ip6_is_unspecified(const uint8_t *a);

/**
 * The fixed header of the IPv6 packet @p ip6 (@p len bytes there):
 * version, payload length within @p len, no jumbogram (RFC 2675), no
 * multicast or loopback source, no unspecified or loopback destination.
 * @return the drop reason or DROP_NONE.
 */
static inline enum drop_reason
ip6_hdr_check(const uint8_t *ip6, uint32_t len)
{
	uint32_t plen;

	if (len < IP6_HDR_LEN)
		return DROP_IP6_TRUNCATED;
	if ((ip6[0] >> 4) != 6)
		return DROP_IP6_BAD_VERSION;
	plen = (uint32_t)ip6[4] << 8 | ip6[5];
	if (IP6_HDR_LEN + plen > len)
		return DROP_IP6_BAD_LENGTH;
	/* RFC 2675: length 0 behind hop-by-hop is a jumbogram */
	if (plen == 0 && ip6[6] == IP6_NH_HOPOPTS)
		return DROP_IP6_JUMBOGRAM;
	if (ip6_is_multicast(ip6 + 8) || ip6_is_loopback(ip6 + 8))
		return DROP_IP6_BAD_SOURCE;
	if (ip6_is_unspecified(ip6 + 24) || ip6_is_loopback(ip6 + 24))
		return DROP_IP6_BAD_DEST;
	return DROP_NONE;
}

/* RFC 8200 4.2: options whose two high bits are 00 are skipped when
 * unknown; the others say discard. Pad1/PadN and router alert are known
 * (ferry does not act on router alert: it forwards the packet). */
static inline enum drop_reason
ip6_hbh_options(const uint8_t *p, uint32_t hlen)
{
	uint32_t i = 2;

	while (i < hlen) {
		uint8_t t = p[i];

		if (t == IP6_OPT_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > hlen || i + 2u + p[i + 1] > hlen)
			return DROP_IP6_TRUNCATED;
		if (t == IP6_OPT_JUMBO)
			return DROP_IP6_JUMBOGRAM;
		if (t != IP6_OPT_PADN && t != IP6_OPT_ROUTER_ALERT &&
		    (t >> 6) != 0)
			return DROP_IP6_BAD_OPTION;
		i += 2u + p[i + 1];
	}
	return DROP_NONE;
}

/* Length of the extension header @p nh at @p p (@p left bytes there),
 * or 0 with @p r set. */
static inline uint32_t
ip6_ext_len(uint8_t nh, const uint8_t *p, uint32_t left, unsigned int n,
	    enum drop_reason *r)
{
	uint32_t hlen;

	if (left < 8) {
		*r = DROP_IP6_TRUNCATED;
		return 0;
	}
	hlen = nh == IP6_NH_FRAGMENT ? 8 : (p[1] + 1u) * 8;
	if (hlen > left)
		*r = DROP_IP6_TRUNCATED;
	else if (nh == IP6_NH_HOPOPTS && n != 0)
		*r = DROP_IP6_EXT_CHAIN;
	else if (nh == IP6_NH_HOPOPTS)
		*r = ip6_hbh_options(p, hlen);
	else if (nh == IP6_NH_ROUTING && p[2] == 0 && p[3] != 0)
		*r = DROP_IP6_RH0;
	return *r == DROP_NONE ? hlen : 0;
}

static inline bool
ip6_is_ext(uint8_t nh)
{
	return nh == IP6_NH_HOPOPTS || nh == IP6_NH_ROUTING ||
	       nh == IP6_NH_FRAGMENT || nh == IP6_NH_DSTOPTS;
}

/**
 * Walk the extension headers of the packet whose fixed header is at
 * @p ip6, with @p len bytes of it in memory (header included; the
 * payload length already checked against it). @return DROP_NONE with
 * @p w filled, or the drop reason.
 */
static inline enum drop_reason
ip6_walk(const uint8_t *ip6, uint32_t len, struct ip6_walk *w)
{
	enum drop_reason r = DROP_NONE;
	uint32_t off = IP6_HDR_LEN, hlen;
	uint8_t nh = ip6[6];
	unsigned int n;

	w->fragment = false;
	for (n = 0; ip6_is_ext(nh); n++) {
		if (n == IP6_EXT_MAX)
			return DROP_IP6_EXT_CHAIN;
		hlen = ip6_ext_len(nh, ip6 + off, len - off, n, &r);
		if (hlen == 0)
			return r;
		if (nh == IP6_NH_FRAGMENT) {
			w->fragment = true;
			break;
		}
		nh = ip6[off];
		off += hlen;
	}
	w->proto = nh;
	w->off = (uint16_t)off;
	return DROP_NONE;
}

static inline bool
ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
ip6_is_link_local(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline bool
ip6_is_unspecified(const uint8_t *a)
{
	static const uint8_t z[16];

	return memcmp(a, z, 16) == 0;
}

static inline bool
ip6_is_loopback(const uint8_t *a)
{
	static const uint8_t lo[16] = {[15] = 1};

	return memcmp(a, lo, 16) == 0;
}

/** RFC 4291 2.7.1: the solicited-node group of @p a, ff02::1:ffXX:XXXX. */
static inline void
ip6_solicited_node(uint8_t *grp, const uint8_t *a)
{
	memset(grp, 0, 16);
	grp[0] = 0xff;
	grp[1] = 0x02;
	grp[11] = 0x01;
	grp[12] = 0xff;
	grp[13] = a[13];
	grp[14] = a[14];
	grp[15] = a[15];
}

/** Whether @p a is ff02::1 (all nodes) or a solicited-node group. */
static inline bool
ip6_is_nd_group(const uint8_t *a)
{
	static const uint8_t all[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t sn[13] = {0xff, 0x02, [11] = 1, [12] = 0xff};

	return memcmp(a, all, 16) == 0 || memcmp(a, sn, 13) == 0;
}

/** Whether the first @p plen bits of @p a and @p b are equal. */
static inline bool
ip6_prefix_match(const uint8_t *a, const uint8_t *b, uint8_t plen)
{
	uint8_t bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	return bits == 0 ||
	       ((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

#endif /* FERRY_IP6_HDR_H */
