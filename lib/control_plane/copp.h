/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control-plane policing (CoPP): which class a punted packet belongs to,
 * and the token bucket that limits each class in each worker. Pure C on
 * an explicit clock (no EAL), so the unit tests drive it directly.
 *
 * Classes, as operators name them (Cisco CoPP, Juniper's lo0 filter):
 *   routing     BGP (TCP 179), LDP (646), BFD (UDP 3784/4784), OSPF
 *               (IP 89), VRRP (112), PIM (103), RIP (UDP 520)
 *   ike         IKE on UDP 500 and 4500 (RFC 7296, RFC 3948)
 *   management  every other TCP (ssh, telnet, NETCONF, ...), SNMP, NTP,
 *               syslog, DNS answers
 *   icmp        ICMP and ICMPv6 that ferry does not answer itself
 *   other       the rest (other UDP, limited broadcast, IGMP, ...)
 * BGP is matched on either port, since a session ferry's side opened
 * receives from port 179. Its own class keeps a session up while a SYN
 * flood fills the management class (RFC 6192 3: protect the routing
 * protocols first).
 */
#ifndef FERRY_COPP_H
#define FERRY_COPP_H

#include <stdbool.h>
#include <stdint.h>

#define COPP_PROTO_ICMP 1
#define COPP_PROTO_TCP 6
#define COPP_PROTO_UDP 17
#define COPP_PROTO_ICMP6 58

/* Class: enum suffix, name, default rate (packets/s), default burst. */
#define FOREACH_COPP_CLASS(_)                 \
	_(ROUTING, "routing", 2000, 200)      \
	_(IKE, "ike", 1000, 100)              \
	_(MANAGEMENT, "management", 1000, 100) \
	_(ICMP, "icmp", 200, 50)              \
	_(OTHER, "other", 200, 50)

enum copp_class {
#define _COPP_ENUM(e, name, rate, burst) COPP_##e,
	FOREACH_COPP_CLASS(_COPP_ENUM)
#undef _COPP_ENUM
	COPP_MAX
};

/* Port rules: class, IP protocol, port (either source or destination). */
#define FOREACH_COPP_PORT(_)                                  \
	_(ROUTING, COPP_PROTO_TCP, 179)   /* BGP, RFC 4271 */   \
	_(ROUTING, COPP_PROTO_TCP, 646)   /* LDP session */     \
	_(ROUTING, COPP_PROTO_UDP, 646)   /* LDP hello */       \
	_(ROUTING, COPP_PROTO_UDP, 3784)  /* BFD, RFC 5881 */   \
	_(ROUTING, COPP_PROTO_UDP, 4784)  /* BFD multihop */    \
	_(ROUTING, COPP_PROTO_UDP, 520)   /* RIP */             \
	_(IKE, COPP_PROTO_UDP, 500)       /* IKE, RFC 7296 */   \
	_(IKE, COPP_PROTO_UDP, 4500)      /* IKE NAT-T */       \
	_(MANAGEMENT, COPP_PROTO_UDP, 161) /* SNMP */           \
	_(MANAGEMENT, COPP_PROTO_UDP, 123) /* NTP */            \
	_(MANAGEMENT, COPP_PROTO_UDP, 53)  /* DNS answers */    \
	_(MANAGEMENT, COPP_PROTO_UDP, 514) /* syslog */

/* IP protocol rules: class, protocol. */
#define FOREACH_COPP_PROTO(_)                       \
	_(ROUTING, 89)   /* OSPF, RFC 2328 */         \
	_(ROUTING, 112)  /* VRRP, RFC 5798 */         \
	_(ROUTING, 103)  /* PIM, RFC 7761 */          \
	_(ICMP, COPP_PROTO_ICMP)                      \
	_(ICMP, COPP_PROTO_ICMP6) /* RFC 4443 */

/** Operator-facing name of class @p c. */
const char *copp_class_name(enum copp_class c);

/** Class by name, or -1. */
int copp_class_from_name(const char *name);

/**
 * The class of a packet to ferry with IP protocol (IPv6: upper-layer
 * next header) @p proto and, for TCP
 * and UDP, ports @p sport / @p dport (host order; 0 when the packet is
 * too short to hold them).
 */
static inline enum copp_class
copp_classify(uint8_t proto, uint16_t sport, uint16_t dport)
{
#define _COPP_PORT(c, p, port)                                      \
	if (proto == (p) && (sport == (port) || dport == (port)))   \
		return COPP_##c;
	FOREACH_COPP_PORT(_COPP_PORT)
#undef _COPP_PORT
#define _COPP_PROTO(c, p)     \
	if (proto == (p))     \
		return COPP_##c;
	FOREACH_COPP_PROTO(_COPP_PROTO)
#undef _COPP_PROTO
	return proto == COPP_PROTO_TCP ? COPP_MANAGEMENT : COPP_OTHER;
}

/**
 * A token bucket counted in clock ticks: it holds up to @p burst
 * packets' worth of time and each packet spends the time one packet
 * takes at the rate. One writer (its worker): no atomics.
 */
struct copp_bucket {
	uint64_t cost;  /**< ticks per packet (hz / rate); 0 = drop all */
	uint64_t depth; /**< cost * burst: the most it may hold */
	uint64_t avail; /**< ticks saved up */
	uint64_t last;  /**< clock at the last refill */
};

/**
 * Set a bucket to @p rate packets/s with bursts of @p burst packets on
 * a clock of @p hz ticks/s, full at time @p now. A rate of 0 lets
 * nothing pass.
 */
static inline void
copp_bucket_init(struct copp_bucket *b, uint64_t hz, uint32_t rate,
		 uint32_t burst, uint64_t now)
{
	b->cost = rate == 0 ? 0 : hz / rate;
	if (rate != 0 && b->cost == 0)
		b->cost = 1;
	b->depth = b->cost * (burst == 0 ? 1 : burst);
	b->avail = b->depth;
	b->last = now;
}

/** Take one packet's worth at time @p now. @return true if it passes. */
static inline bool
copp_bucket_take(struct copp_bucket *b, uint64_t now)
{
	uint64_t avail = b->avail + (now - b->last);

	b->last = now;
	b->avail = avail > b->depth ? b->depth : avail;
	if (b->cost == 0 || b->avail < b->cost)
		return false;
	b->avail -= b->cost;
	return true;
}

#endif /* FERRY_COPP_H */
