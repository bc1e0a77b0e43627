/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet basics shared by every stage: per-packet metadata carried in an
 * mbuf dynamic field, IPv4 header validation (RFC 1812 section 5.2.2 and
 * 5.3.7), checksum updates, and the drop-reason names.
 *
 * The validation and checksum helpers work on plain header pointers and
 * lengths and use no EAL state, so unit tests call them directly.
 */
#ifndef FERRY_PKT_H
#define FERRY_PKT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "drop_reasons.h"

/* ICMP types and codes DPDK 22.11's rte_icmp.h does not name (RFC 792). */
#define PKT_ICMP_DEST_UNREACH 3
#define PKT_ICMP_TIME_EXCEEDED 11
#define PKT_ICMP_NET_UNREACH 0
#define PKT_ICMP_PORT_UNREACH 3
#define PKT_ICMP_FRAG_NEEDED 4

/** True if the packet is a fragment (MF set or a non-zero offset). */
static inline bool
pkt_ip4_is_fragment(const struct rte_ipv4_hdr *ip)
{
	return (ip->fragment_offset &
		rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
				 RTE_IPV4_HDR_OFFSET_MASK)) != 0;
}

/** Flags of struct pkt_md. */
#define PKT_F_LOCAL_ORIGIN 0x01 /**< built by ferry: no TTL decrement */
#define PKT_F_INJECT_L2    0x02 /**< injected frame is complete: tx as is */
#define PKT_F_MPLS_TC      0x04 /**< classify chose pkt_md.mpls_tc for pushes */
#define PKT_F_OUT_IP6      0x08 /**< ferry_mpls_output: unlabelled IPv6
				  *   (popped at the penultimate hop) */

/**
 * What stages tell each other about a packet. Lives in the mbuf's
 * second cache line (a dynamic field), which PMDs already touch.
 */
struct pkt_md {
	uint16_t in_iface;   /**< ingress interface index */
	uint16_t out_iface;  /**< egress interface index, once known */
	uint16_t vrf;        /**< VRF index (lib/route) to look up in */
	uint8_t drop;        /**< enum drop_reason, set before the drop node */
	uint8_t flags;       /**< PKT_F_* */
	uint32_t nbr;        /**< neighbour slot of the next hop */
	uint8_t icmp_type;   /**< ICMP error to build (icmp_error node) */
	uint8_t icmp_code;
	uint16_t icmp_mtu;   /**< next-hop MTU for "fragmentation needed" */
	uint16_t qos_class;  /**< egress scheduler class; 0 = port default */
	uint8_t color;       /**< enum rte_color from a policer; 0 = green */
	uint8_t mpls_tc;     /**< TC for pushed labels if PKT_F_MPLS_TC */
};

/** Offset of struct pkt_md in every mbuf; set by pkt_init(). */
extern int pkt_md_offset;

/** Register the metadata dynamic field. Call once after EAL init.
 *  @return 0 or -errno. */
int pkt_init(void);

static inline struct pkt_md *
pkt_md(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, pkt_md_offset, struct pkt_md *);
}

/**
 * Worker graphs are named "worker<N>", N = worker index 0..n-1. Node init
 * functions run on the management lcore, so they learn which worker a
 * graph belongs to from its name (tx queue, stats, inject ring).
 */
#define PKT_GRAPH_PREFIX "worker"

/** Worker index of a graph named PKT_GRAPH_PREFIX "<N>", or -1. */
int pkt_graph_worker_index(const char *graph_name);

/** Operator-facing name of a drop reason ("ip4_no_route"). */
const char *drop_reason_name(enum drop_reason r);
/** One-line description of a drop reason. */
const char *drop_reason_desc(enum drop_reason r);
/** Reason by name, or -1. */
int drop_reason_from_name(const char *name);

/**
 * Add @p delta (network order) to a stored checksum after a field fell
 * by @p delta: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), written as Linux
 * ip_decrease_ttl() does. The carry test is ">= 0xffff" so that a sum of
 * exactly 0xffff folds to 0x0000, as recomputing the checksum gives.
 */
static inline uint16_t
pkt_cksum_add(uint16_t cksum, uint16_t delta)
{
	uint32_t sum = (uint32_t)cksum + delta;

	return (uint16_t)(sum + (sum >= 0xffff));
}

/**
 * Decrement TTL and patch the header checksum incrementally
 * (RFC 1624 eqn. 3), as routers do instead of recomputing it.
 * The caller has checked TTL > 1.
 */
static inline void
pkt_ip4_ttl_dec(struct rte_ipv4_hdr *ip)
{
	ip->time_to_live--;
	ip->hdr_checksum = pkt_cksum_add(ip->hdr_checksum,
					 rte_cpu_to_be_16(0x0100));
}

/*
 * The IPv4 checks below run on every packet, so they live here inline
 * (ip4_input is in another library; without LTO a call would stay a
 * call): under callgrind they went from 88 to about 30 instructions a
 * packet this way.
 */

static inline uint32_t
pkt_load32(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w)); /* 2-byte aligned behind Ethernet */
	return w;
}

/**
 * Checksum of an IPv4 header of @p ihl bytes (a multiple of 4), ready to
 * store; 0 when the header's own checksum is right. The words are added
 * 32 bits at a time into 64 and folded (RFC 1071 2(C)); the usual
 * 20-byte header is unrolled.
 */
static inline uint16_t
pkt_ip4_hdr_cksum(const struct rte_ipv4_hdr *ip, uint32_t ihl)
{
	const uint8_t *p = (const uint8_t *)ip;
	uint64_t sum;
	uint32_t i;

	sum = (uint64_t)pkt_load32(p) + pkt_load32(p + 4) + pkt_load32(p + 8) +
	      pkt_load32(p + 12) + pkt_load32(p + 16);
	for (i = 20; unlikely(i < ihl); i += 4)
		sum += pkt_load32(p + i);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/**
 * Check an IPv4 header that starts at @p ip with @p len bytes of frame
 * from there on (RFC 1812 5.2.2): version, IHL, header checksum, total
 * length against the frame. Source and destination are checked by
 * pkt_ip4_check_addrs().
 * @return DROP_NONE, or the reason to drop.
 */
static inline enum drop_reason
pkt_ip4_check(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	uint32_t ihl, total;

	if (unlikely(len < sizeof(*ip)))
		return DROP_IP4_TRUNCATED;
	if (unlikely((ip->version_ihl >> 4) != 4))
		return DROP_IP4_BAD_VERSION;
	ihl = (ip->version_ihl & 0xf) * 4u;
	if (unlikely(ihl < sizeof(*ip)))
		return DROP_IP4_BAD_IHL;
	if (unlikely(ihl > len))
		return DROP_IP4_TRUNCATED;
	/* A correct header sums to 0xffff, i.e. the checksum of it is 0. */
	if (unlikely(pkt_ip4_hdr_cksum(ip, ihl) != 0))
		return DROP_IP4_BAD_CHECKSUM;
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(total < ihl))
		return DROP_IP4_BAD_LENGTH;
	if (unlikely(total > len))
		return DROP_IP4_TRUNCATED;
	return DROP_NONE;
}

/**
 * Martian addresses a router must not forward (RFC 1812 5.3.7, 4.2.2.11):
 * source 0/8, 127/8, class D/E, limited broadcast; destination 0/8,
 * 127/8, class E. Multicast and broadcast destinations are reported as
 * DROP_IP4_MULTICAST.
 * @return DROP_NONE or the reason.
 */
static inline enum drop_reason
pkt_ip4_check_addrs(const struct rte_ipv4_hdr *ip)
{
	uint8_t s8 = ((const uint8_t *)&ip->src_addr)[0];
	uint8_t d8 = ((const uint8_t *)&ip->dst_addr)[0];

	if (unlikely(s8 == 0 || s8 == 127 || s8 >= 224))
		return DROP_IP4_BAD_SOURCE;
	if (unlikely(d8 == 0 || d8 == 127 || d8 >= 224)) {
		if (d8 >= 224 && (d8 < 240 || ip->dst_addr == UINT32_MAX))
			return DROP_IP4_MULTICAST;
		return DROP_IP4_BAD_DEST;
	}
	return DROP_NONE;
}

/**
 * An IPv4 packet too big for the MTU ahead, which ferry does not
 * fragment: with DF set the sender gets ICMP "fragmentation needed"
 * carrying @p ip_mtu, the MTU left for IP (RFC 1191); without DF it is
 * only dropped. Either way it is counted under @p r.
 * @return true: send it to ferry_icmp_error; false: to ferry_drop.
 */
static inline bool
pkt_ip4_too_big(struct pkt_md *md, const struct rte_ipv4_hdr *ip,
		uint16_t ip_mtu, enum drop_reason r)
{
	md->drop = (uint8_t)r;
	if (!(ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG)))
		return false;
	md->icmp_type = PKT_ICMP_DEST_UNREACH;
	md->icmp_code = PKT_ICMP_FRAG_NEEDED;
	md->icmp_mtu = ip_mtu;
	return true;
}

/**
 * Forget what the port reported about a packet's checksums, once its
 * outer headers are gone (VXLAN decap, ESP decrypt, MPLS pop): the RX
 * flags (RTE_MBUF_F_RX_IP_CKSUM_*, _L4_*) describe the headers the port
 * parsed, the outer ones, and ferry_ip4_input trusts a GOOD flag; an
 * inner header must be checked in software instead. Worker lcore.
 */
static inline void
pkt_rx_cksum_forget(struct rte_mbuf *m)
{
	m->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK |
			 RTE_MBUF_F_RX_L4_CKSUM_MASK |
			 RTE_MBUF_F_RX_OUTER_IP_CKSUM_BAD |
			 RTE_MBUF_F_RX_OUTER_L4_CKSUM_MASK);
}

/** Internet checksum (RFC 1071) of @p len bytes, ready to store. */
uint16_t pkt_inet_cksum(const void *buf, uint32_t len);

#endif /* FERRY_PKT_H */
