/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every node that answers a packet with an ICMP error needs
 * (lib/route's ferry_icmp_error, lib/mpls's ferry_mpls_ttl_icmp): the
 * RFC 1812 4.3.2.7 rules for when not to send one, and the per-worker
 * token bucket (RFC 1812 4.3.2.8, `ip.icmp_rate` per second per worker)
 * that bounds how many are sent. Worker side: no locks, no atomics.
 */
#ifndef FERRY_ICMP_ERROR_H
#define FERRY_ICMP_ERROR_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "pkt.h"

/** TTL of the IPv4 header of the errors ferry sends. */
#define ICMP_ERROR_TTL 64

/** Token bucket of one worker, in 1/hz tokens to stay in integers. */
struct icmp_limiter {
	uint64_t tokens;   /**< tokens * hz */
	uint64_t last_tsc;
	uint64_t rate;     /**< tokens per second */
	uint64_t hz;
} __rte_cache_aligned;

/** Start @p l full, at @p rate per second, at TSC @p now. */
static inline void
icmp_limiter_init(struct icmp_limiter *l, uint64_t rate, uint64_t hz,
		  uint64_t now)
{
	l->hz = hz;
	l->rate = rate;
	l->tokens = rate * hz;
	l->last_tsc = now;
}

/** Add the tokens of the time since the last refill (once a burst). */
static inline void
icmp_limiter_refill(struct icmp_limiter *l, uint64_t now)
{
	uint64_t cap = l->rate * l->hz;
	/* A second refills the bucket; cap it so the product cannot wrap. */
	uint64_t elapsed = RTE_MIN(now - l->last_tsc, l->hz);

	l->tokens += elapsed * l->rate;
	if (l->tokens > cap)
		l->tokens = cap;
	l->last_tsc = now;
}

/** Take a token for one error; false if none is left. */
static inline bool
icmp_limiter_take(struct icmp_limiter *l)
{
	if (l->tokens < l->hz)
		return false;
	l->tokens -= l->hz;
	return true;
}

/**
 * RFC 1812 4.3.2.7: may packet @p m (IPv4 header @p ip, @p len bytes of
 * it in the first segment) be answered with an ICMP error? Not about
 * ferry's own packets, an invalid or zero source, a non-first fragment
 * or an ICMP error.
 */
static inline bool
icmp_error_allowed(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
		   uint32_t len)
{
	const struct pkt_md *md = pkt_md((struct rte_mbuf *)(uintptr_t)m);
	uint32_t src = rte_be_to_cpu_32(ip->src_addr);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	const struct rte_icmp_hdr *icmp;

	if (md->flags & PKT_F_LOCAL_ORIGIN)
		return false;
	if (pkt_ip4_check_addrs(ip) != DROP_NONE || src == 0)
		return false;
	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK))
		return false;
	if (ip->next_proto_id != IPPROTO_ICMP)
		return true;
	if (len < ihl + sizeof(*icmp))
		return false;
	icmp = (const struct rte_icmp_hdr *)((const uint8_t *)ip + ihl);
	return icmp->icmp_type == RTE_IP_ICMP_ECHO_REQUEST ||
	       icmp->icmp_type == RTE_IP_ICMP_ECHO_REPLY ||
	       icmp->icmp_type > 18;
}

/**
 * Write the IPv4 header of an ICMP error ferry sends: from @p src to
 * @p dst (network order), @p len bytes in all, TTL ICMP_ERROR_TTL, TOS
 * internetwork control (as Linux), checksum computed.
 */
static inline void
icmp_error_ip_write(struct rte_ipv4_hdr *ip, uint32_t src, uint32_t dst,
		    uint16_t len)
{
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0xc0;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->packet_id = 0;
	ip->fragment_offset = 0;
	ip->time_to_live = ICMP_ERROR_TTL;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

#endif /* FERRY_ICMP_ERROR_H */
