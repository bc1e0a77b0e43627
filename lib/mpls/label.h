/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPLS label stack entries and special-purpose labels as pure functions
 * of their bits: no EAL, no DPDK, so the unit tests call them directly
 * and every node of lib/mpls shares one definition of the encoding.
 *
 * A label stack entry (RFC 3032 section 2.1; TC named by RFC 5462):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                Label                  | TC  |S|      TTL      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Entries are handled as host-order 32-bit words ("lse") and read from
 * or written to packets in network order. Stacks in text (config, CLI)
 * are written outermost label first, separated by '/', as FRR and
 * Linux's "encap mpls 100/200" write them: "16001/24005".
 *
 * The TTL and TC helpers implement ferry's choices between RFC 3443's
 * models (doc/architecture.md, "MPLS"); the IPv4 helpers patch a header
 * in place with an incremental checksum update (RFC 1624 eqn. 3).
 */
#ifndef FERRY_MPLS_LABEL_H
#define FERRY_MPLS_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MPLS_LSE_LEN 4
#define MPLS_LABEL_MAX 0xfffffu            /* 20 bits */
#define MPLS_LABEL_SHIFT 12
#define MPLS_TC_SHIFT 9
#define MPLS_TC_MAX 7
#define MPLS_S_BIT 0x100u                  /* bottom of stack */
#define MPLS_TTL_MASK 0xffu
#define MPLS_LABEL_FIRST_UNRESERVED 16     /* 0-15: RFC 3032, RFC 7274 */
#define MPLS_PIPE_TTL 255                  /* pushed TTL in pipe mode */
#define MPLS_DSCP_MAX 63

/*
 * The special-purpose labels (IANA "Special-Purpose MPLS Label
 * Values") and what ferry does with one at the top of a received stack:
 *   value, enum suffix, name, action, reference.
 * Values 4-6 and 8-12 are unassigned and refused like 3 and 15.
 */
#define FOREACH_MPLS_RESERVED(_)                                          \
	_(0, IPV4_NULL, "ipv4-explicit-null", POP_IPV4,                     \
	  "RFC 3032 2.1, RFC 4182: pop; IPv4 below if it was the bottom")  \
	_(1, ROUTER_ALERT, "router-alert", ROUTER_ALERT,                    \
	  "RFC 3032 2.1: for a local module (ferry has none): drop")       \
	_(2, IPV6_NULL, "ipv6-explicit-null", POP_IPV6,                     \
	  "RFC 3032 2.1, RFC 4182: pop; IPv6 below if it was the bottom")         \
	_(3, IMPLICIT_NULL, "implicit-null", INVALID,                       \
	  "RFC 3032 2.1: only signals PHP, never on the wire")             \
	_(7, ELI, "entropy-label-indicator", ENTROPY,                       \
	  "RFC 6790 4.2: pop it and the entropy label below")              \
	_(13, GAL, "gal", OAM, "RFC 5586: G-ACh OAM, not handled")          \
	_(14, OAM_ALERT, "oam-alert", OAM, "RFC 3429: OAM, not handled")    \
	_(15, XL, "extension", INVALID,                                     \
	  "RFC 7274: no extended special-purpose label is known")

enum mpls_reserved_label {
#define _RSV_ENUM(v, e, name, act, ref) MPLS_LABEL_##e = v,
	FOREACH_MPLS_RESERVED(_RSV_ENUM)
#undef _RSV_ENUM
};

/** What a special-purpose label at the top of the stack asks for. */
enum mpls_rsv_action {
	MPLS_RSV_INVALID,      /**< not allowed here: drop */
	MPLS_RSV_POP_IPV4,     /**< pop; at the bottom, IPv4 follows */
	MPLS_RSV_POP_IPV6,     /**< pop; at the bottom, IPv6 follows */
	MPLS_RSV_ROUTER_ALERT, /**< for a local module */
	MPLS_RSV_ENTROPY,      /**< pop with the entropy label below */
	MPLS_RSV_OAM,          /**< OAM channel */
};

/** Action for special-purpose label @p label (0-15). */
static inline enum mpls_rsv_action
mpls_reserved_action(uint32_t label)
{
	switch (label) {
#define _RSV_CASE(v, e, name, act, ref) case v: return MPLS_RSV_##act;
	FOREACH_MPLS_RESERVED(_RSV_CASE)
#undef _RSV_CASE
	default:
		return MPLS_RSV_INVALID;
	}
}

/** Name of special-purpose label @p label, "unassigned" if none. */
static inline const char *
mpls_reserved_name(uint32_t label)
{
	switch (label) {
#define _RSV_NAME(v, e, name, act, ref) case v: return name;
	FOREACH_MPLS_RESERVED(_RSV_NAME)
#undef _RSV_NAME
	default:
		return "unassigned";
	}
}

/** Compose an entry; each field is masked to its width. */
static inline uint32_t
mpls_lse(uint32_t label, uint8_t tc, bool bos, uint8_t ttl)
{
	return (label & MPLS_LABEL_MAX) << MPLS_LABEL_SHIFT |
	       (uint32_t)(tc & MPLS_TC_MAX) << MPLS_TC_SHIFT |
	       (bos ? MPLS_S_BIT : 0) | ttl;
}

static inline uint32_t
mpls_lse_label(uint32_t lse)
{
	return lse >> MPLS_LABEL_SHIFT;
}

static inline uint8_t
mpls_lse_tc(uint32_t lse)
{
	return (uint8_t)(lse >> MPLS_TC_SHIFT & MPLS_TC_MAX);
}

static inline bool
mpls_lse_bos(uint32_t lse)
{
	return (lse & MPLS_S_BIT) != 0;
}

static inline uint8_t
mpls_lse_ttl(uint32_t lse)
{
	return (uint8_t)(lse & MPLS_TTL_MASK);
}

/* Network order <-> host order of a 32-bit word. */
static inline uint32_t
mpls_be32(uint32_t w)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(w);
#else
	return w;
#endif
}

/** The entry at @p p (network order, any alignment: one load). */
static inline uint32_t
mpls_lse_read(const uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return mpls_be32(w);
}

static inline void
mpls_lse_write(uint8_t *p, uint32_t lse)
{
	uint32_t w = mpls_be32(lse);

	memcpy(p, &w, sizeof(w));
}

/**
 * Depth of the stack at @p p, with @p len bytes of frame from there: the
 * number of entries up to and including the first with S set.
 * @return 1..@p max; 0 if the frame ends before an S bit; -1 if no S bit
 *         is in the first @p max entries (too deep).
 */
static inline int
mpls_stack_depth(const uint8_t *p, uint32_t len, unsigned int max)
{
	unsigned int n = len / MPLS_LSE_LEN, i;
	unsigned int lim = n < max ? n : max;

	for (i = 0; i < lim; i++)
		if (p[i * MPLS_LSE_LEN + 2] & 1) /* S: low bit of byte 2 */
			return (int)i + 1;
	return lim < max ? 0 : -1;
}

/** TTL modes of a VRF (RFC 3443 section 3). */
enum mpls_ttl_mode {
	MPLS_TTL_UNIFORM, /**< the LSP's hops count: label TTL = IP TTL */
	MPLS_TTL_PIPE,    /**< the LSP is one hop: labels get 255 */
};

/** TTL of the labels pushed on an IP packet whose TTL, after the
 *  ingress decrement, is @p ip_ttl (RFC 3443 3.1 uniform, 3.3 pipe). */
static inline uint8_t
mpls_push_ttl(enum mpls_ttl_mode mode, uint8_t ip_ttl)
{
	return mode == MPLS_TTL_UNIFORM ? ip_ttl : MPLS_PIPE_TTL;
}

/**
 * IP TTL once the last label is popped, before the IP forwarding that
 * follows decrements it: in uniform mode the incoming label TTL is the
 * packet's (RFC 3032 2.4.3), in pipe mode the label's is ignored and the
 * IP TTL kept (RFC 3443 3.2-3.3: the LSP counted as one hop).
 */
static inline uint8_t
mpls_pop_ttl(enum mpls_ttl_mode mode, uint8_t ip_ttl, uint8_t label_ttl)
{
	return mode == MPLS_TTL_UNIFORM ? label_ttl : ip_ttl;
}

/** The default TC of a DSCP: its class selector bits (RFC 2474 4.2.2). */
static inline uint8_t
mpls_tc_default(uint8_t dscp)
{
	return (uint8_t)(dscp >> 3 & MPLS_TC_MAX);
}

/** IPv4 TOS byte with the DSCP of TC @p tc (class selector tc << 3) and
 *  the ECN bits of @p tos kept. */
static inline uint8_t
mpls_tos_from_tc(uint8_t tos, uint8_t tc)
{
	return (uint8_t)((tc & MPLS_TC_MAX) << 5 | (tos & 0x03));
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for 16-bit word m -> m'. */
static inline void
mpls_cksum_replace(uint8_t *cksum, uint16_t m, uint16_t m2)
{
	uint32_t sum = (uint16_t)~((uint32_t)cksum[0] << 8 | cksum[1]);

	sum += (uint16_t)~m;
	sum += m2;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	cksum[0] = (uint8_t)(sum >> 8);
	cksum[1] = (uint8_t)sum;
}

/** Set the TTL (byte 8) of the IPv4 header at @p ip, patching its
 *  checksum (bytes 10-11). */
static inline void
mpls_ip4_ttl_set(uint8_t *ip, uint8_t ttl)
{
	uint16_t old = (uint16_t)(ip[8] << 8 | ip[9]);

	if (ip[8] == ttl)
		return;
	ip[8] = ttl;
	mpls_cksum_replace(ip + 10, old, (uint16_t)(ttl << 8 | ip[9]));
}

/** Set the TOS byte (byte 1) of the IPv4 header at @p ip. */
static inline void
mpls_ip4_tos_set(uint8_t *ip, uint8_t tos)
{
	uint16_t old = (uint16_t)(ip[0] << 8 | ip[1]);

	if (ip[1] == tos)
		return;
	ip[1] = tos;
	mpls_cksum_replace(ip + 10, old, (uint16_t)(ip[0] << 8 | tos));
}

/** Traffic class of the IPv6 header at @p ip (RFC 8200 3: bits 4-11). */
static inline uint8_t
mpls_ip6_tclass(const uint8_t *ip)
{
	return (uint8_t)((ip[0] & 0x0f) << 4 | ip[1] >> 4);
}

/** Set the traffic class of the IPv6 header at @p ip (no checksum). */
static inline void
mpls_ip6_tclass_set(uint8_t *ip, uint8_t tc)
{
	ip[0] = (uint8_t)((ip[0] & 0xf0) | tc >> 4);
	ip[1] = (uint8_t)((ip[1] & 0x0f) | (tc & 0x0f) << 4);
}

/** Most labels one stack in the text form may hold. */
#define MPLS_STACK_TEXT_MAX 8u

/**
 * Parse a label stack written "L1/L2/...", outermost first, or
 * "implicit-null" (also "3") for no label at all (pop, or a directly
 * connected PE). Each label is decimal without leading zeros: 0 (IPv4
 * explicit null) or 16..1048575; 3 only alone.
 * @param labels  gets the labels (at most @p max)
 * @param n       gets how many (0 for implicit-null)
 * @param why     on error, a static reason ("label 5 is reserved ...")
 * @return 0 or -EINVAL.
 */
int mpls_stack_parse(const char *s, uint32_t *labels, unsigned int max,
		     unsigned int *n, const char **why);

/** Write @p n labels as "L1/L2", or "implicit-null" when @p n is 0.
 *  @return the length the full text needs, as snprintf(). */
int mpls_stack_format(const uint32_t *labels, unsigned int n, char *buf,
		      size_t len);

#endif /* FERRY_MPLS_LABEL_H */
