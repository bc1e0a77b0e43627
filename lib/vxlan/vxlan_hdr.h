/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN header logic (RFC 7348 5) on plain buffers, no EAL state: the
 * check of a received header, the outer IPv4/UDP/VXLAN or IPv6/UDP/
 * VXLAN headers of a sent one, and the UDP checksum over IPv6. The
 * nodes and the unit tests share it.
 */
#ifndef FERRY_VXLAN_HDR_H
#define FERRY_VXLAN_HDR_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "pkt.h"

/* Outer IPv4 + UDP + VXLAN; with the outer Ethernet the 50 bytes of
 * RFC 7348's overhead. */
#define VXLAN_ENCAP_L3 (sizeof(struct rte_ipv4_hdr) + \
			sizeof(struct rte_udp_hdr) + sizeof(struct rte_vxlan_hdr))
#define VXLAN_OVERHEAD (RTE_ETHER_HDR_LEN + VXLAN_ENCAP_L3)
/* The same over an IPv6 underlay: 40 + 8 + 8, 70 with Ethernet. */
#define VXLAN_ENCAP6_L3 (sizeof(struct rte_ipv6_hdr) + \
			 sizeof(struct rte_udp_hdr) + sizeof(struct rte_vxlan_hdr))
#define VXLAN_OVERHEAD6 (RTE_ETHER_HDR_LEN + VXLAN_ENCAP6_L3)

#define VXLAN_FLAG_I 0x08 /* "valid VNI" flag, the only one defined */

/* RFC 7348 5: "the source port ... in the dynamic/private port range
 * 49152-65535"; the rest of the field comes from the flow hash. */
#define VXLAN_SPORT_BASE 49152u
#define VXLAN_SPORT_MASK 0x3fffu

/**
 * Check a VXLAN header and what follows it: @p len bytes from the VXLAN
 * header on (the UDP payload). RFC 7348 5 says reserved bits are
 * "ignored on receipt"; ferry drops them instead, as Linux does,
 * because extensions (GPE, GBP) set them and change what follows, and
 * a frame of another format must not be bridged as Ethernet.
 * @return DROP_NONE with the VNI in @p vni, or the reason.
 */
static inline enum drop_reason
vxlan_hdr_check(const struct rte_vxlan_hdr *vh, uint32_t len, uint32_t *vni)
{
	uint32_t fl = rte_be_to_cpu_32(vh->vx_flags);
	uint32_t vv = rte_be_to_cpu_32(vh->vx_vni);

	if (len < sizeof(*vh) + RTE_ETHER_HDR_LEN)
		return DROP_VXLAN_TRUNCATED;
	if (fl != (uint32_t)VXLAN_FLAG_I << 24 || (vv & 0xff) != 0)
		return DROP_VXLAN_BAD_FLAGS;
	*vni = vv >> 8;
	return DROP_NONE;
}

/* The inner IPv6 addresses, next header and ports (when the next
 * header is the upper layer) folded into CRC32 state @p h. */
static inline uint32_t
vxlan_hash_ip6(const uint8_t *ip6, uint32_t len, uint32_t h)
{
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)ip6;
	uint64_t w[4];
	uint32_t ports;

	memcpy(w, ip6 + offsetof(struct rte_ipv6_hdr, src_addr), sizeof(w));
	h = rte_hash_crc_8byte(w[0] ^ w[2], h);
	h = rte_hash_crc_8byte(w[1] ^ w[3], h);
	h = rte_hash_crc_1byte(ip->proto, h);
	if ((ip->proto == IPPROTO_TCP || ip->proto == IPPROTO_UDP) &&
	    len >= sizeof(*ip) + 4) {
		memcpy(&ports, ip6 + sizeof(*ip), sizeof(ports));
		h = rte_hash_crc_4byte(ports, h);
	}
	return h;
}

/**
 * Hash of an inner frame's flow (RFC 7348 5, RFC 6438 for the IPv6
 * flow label): CRC32 of the inner MAC addresses, and of the IPv4
 * addresses, protocol and first 4 bytes past the IPv4 header (the
 * ports), or of the IPv6 addresses (either order gives the same hash
 * there: XORed), next header and ports. @p len is the bytes of inner
 * frame at @p frame.
 */
static inline uint32_t
vxlan_flow_hash(const uint8_t *frame, uint32_t len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv4_hdr *ip;
	uint64_t macs;
	uint32_t h, ihl, w;

	/* Words are copied out first: the frame is only 2-byte aligned, and
	 * rte_hash_crc() would load them in place. */
	memcpy(&macs, frame, sizeof(macs));
	memcpy(&w, frame + sizeof(macs), sizeof(w));
	h = rte_hash_crc_4byte(w, rte_hash_crc_8byte(macs, 0));
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) &&
	    len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr))
		return vxlan_hash_ip6(frame + RTE_ETHER_HDR_LEN,
				      len - RTE_ETHER_HDR_LEN, h);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) &&
	    len >= RTE_ETHER_HDR_LEN + sizeof(*ip)) {
		ip = (const struct rte_ipv4_hdr *)(eth + 1);
		h = rte_hash_crc_8byte(((uint64_t)ip->src_addr << 32) |
				       ip->dst_addr, h);
		h = rte_hash_crc_1byte(ip->next_proto_id, h);
		ihl = (ip->version_ihl & 0xf) * 4u;
		if (!pkt_ip4_is_fragment(ip) &&
		    len >= RTE_ETHER_HDR_LEN + ihl + 4) {
			memcpy(&w, frame + RTE_ETHER_HDR_LEN + ihl, sizeof(w));
			h = rte_hash_crc_4byte(w, h);
		}
	}
	return h;
}

/** UDP source port for flow hash @p h (vxlan_flow_hash()). */
static inline uint16_t
vxlan_sport_of(uint32_t h)
{
	return (uint16_t)(VXLAN_SPORT_BASE | ((h ^ h >> 16) & VXLAN_SPORT_MASK));
}

/**
 * IPv6 flow label for flow hash @p h: 20 bits, never 0 (RFC 6437 2:
 * 0 means "not labelled"; RFC 6438 asks tunnel ends to label by the
 * inner flow).
 */
static inline uint32_t
vxlan_flow_label_of(uint32_t h)
{
	uint32_t l = (h ^ h >> 12) & 0xfffff;

	return l != 0 ? l : 1;
}

/**
 * UDP source port for an inner frame (RFC 7348 5: a hash of the inner
 * headers, so underlay ECMP and receivers' RSS spread the flows).
 */
static inline uint16_t
vxlan_src_port(const uint8_t *frame, uint32_t len)
{
	return vxlan_sport_of(vxlan_flow_hash(frame, len));
}

/** What the outer headers of one tunnel carry (host order). */
struct vxlan_encap_params {
	uint32_t src;      /* local VTEP */
	uint32_t dst;      /* remote VTEP */
	uint32_t vni;
	uint16_t dst_port; /* UDP destination, 4789 by default */
	uint16_t src_port; /* vxlan_src_port() */
	uint8_t ttl;
	uint8_t tos;       /* DSCP << 2 (ECN 0) */
};

/**
 * Write outer IPv4, UDP and VXLAN headers at @p p (VXLAN_ENCAP_L3
 * bytes) in front of an inner frame of @p inner_len bytes: IPv4 without
 * DF and options, ID 0, header checksum set; UDP checksum 0 (RFC 7348
 * 5: "SHOULD be transmitted as zero"); VXLAN with only the I flag.
 */
static inline void
vxlan_encap_write(uint8_t *p, uint32_t inner_len,
		  const struct vxlan_encap_params *e)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct rte_vxlan_hdr *vh = (struct rte_vxlan_hdr *)(udp + 1);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = e->tos;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(inner_len +
						       VXLAN_ENCAP_L3));
	ip->packet_id = 0;
	ip->fragment_offset = 0;
	ip->time_to_live = e->ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = rte_cpu_to_be_32(e->src);
	ip->dst_addr = rte_cpu_to_be_32(e->dst);
	ip->hdr_checksum = pkt_ip4_hdr_cksum(ip, sizeof(*ip));
	udp->src_port = rte_cpu_to_be_16(e->src_port);
	udp->dst_port = rte_cpu_to_be_16(e->dst_port);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(inner_len +
		sizeof(*udp) + sizeof(*vh)));
	udp->dgram_cksum = 0;
	vh->vx_flags = rte_cpu_to_be_32((uint32_t)VXLAN_FLAG_I << 24);
	vh->vx_vni = rte_cpu_to_be_32(e->vni << 8);
}

/** What the outer IPv6 header of one tunnel carries. */
struct vxlan_encap6_params {
	uint8_t src[16];   /* local VTEP */
	uint8_t dst[16];   /* remote VTEP */
	uint32_t vni;
	uint32_t flow;     /* flow label (20 bits) */
	uint16_t dst_port;
	uint16_t src_port;
	uint8_t hop_limit;
	uint8_t tc;        /* traffic class: DSCP << 2 (ECN 0) */
};

/**
 * Write outer IPv6, UDP and VXLAN headers at @p p (VXLAN_ENCAP6_L3
 * bytes) in front of an inner frame of @p inner_len bytes. The UDP
 * checksum is left 0: over IPv6 it is mandatory (RFC 8200 8.1; RFC 6935
 * allows zero only for tunnels that declare it, which VXLAN does not),
 * so the caller fills it in (vxlan_udp6_cksum() or the NIC).
 */
static inline void
vxlan_encap6_write(uint8_t *p, uint32_t inner_len,
		   const struct vxlan_encap6_params *e)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct rte_vxlan_hdr *vh = (struct rte_vxlan_hdr *)(udp + 1);
	uint16_t ulen = (uint16_t)(inner_len + sizeof(*udp) + sizeof(*vh));

	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)e->tc << 20 |
					(e->flow & 0xfffff));
	ip->payload_len = rte_cpu_to_be_16(ulen);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = e->hop_limit;
	memcpy(ip->src_addr, e->src, 16);
	memcpy(ip->dst_addr, e->dst, 16);
	udp->src_port = rte_cpu_to_be_16(e->src_port);
	udp->dst_port = rte_cpu_to_be_16(e->dst_port);
	udp->dgram_len = rte_cpu_to_be_16(ulen);
	udp->dgram_cksum = 0;
	vh->vx_flags = rte_cpu_to_be_32((uint32_t)VXLAN_FLAG_I << 24);
	vh->vx_vni = rte_cpu_to_be_32(e->vni << 8);
}

/**
 * The one's complement sum of UDP datagram @p udp (@p ulen contiguous
 * bytes, its checksum field as it is) with the IPv6 pseudo-header of
 * @p ip (RFC 8200 8.1: addresses, upper-layer length @p ulen, next
 * header 17, whatever extension headers lie between), folded to 16
 * bits. 0xffff when a received checksum is right; for a datagram with
 * checksum field 0, ~sum is the checksum to send (0 sent as 0xffff).
 */
static inline uint16_t
vxlan_udp6_sum(const struct rte_ipv6_hdr *ip, const void *udp, uint32_t ulen)
{
	uint32_t sum = __rte_raw_cksum(ip->src_addr, 32, 0);

	sum = __rte_raw_cksum(udp, ulen, sum);
	sum += rte_cpu_to_be_16((uint16_t)ulen);
	sum += rte_cpu_to_be_16(IPPROTO_UDP);
	return __rte_raw_cksum_reduce(sum);
}

/** The checksum to send in a datagram made by vxlan_encap6_write(). */
static inline uint16_t
vxlan_udp6_cksum(const struct rte_ipv6_hdr *ip, const void *udp,
		 uint32_t ulen)
{
	uint16_t c = (uint16_t)~vxlan_udp6_sum(ip, udp, ulen);

	return c != 0 ? c : 0xffff;
}

/**
 * The TOS of the inner IPv4 packet of a frame, or -1 when the inner
 * frame is not IPv4 (the DSCP "copy" mode falls back to its value).
 */
static inline int
vxlan_inner_tos(const uint8_t *frame, uint32_t len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;

	if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr))
		return -1;
	return ((const struct rte_ipv4_hdr *)(eth + 1))->type_of_service;
}

#endif /* FERRY_VXLAN_HDR_H */
