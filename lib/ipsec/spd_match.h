/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SPD selectors and first-match lookup (RFC 4301 4.4.1), pure C. The SPD
 * of a gateway holds a handful of rules, so they are matched in order,
 * linearly; an SPD of hundreds of rules would want rte_acl instead (one
 * classifier build per change), which this layout allows: the table is
 * immutable once published.
 */
#ifndef FERRY_IPSEC_SPD_MATCH_H
#define FERRY_IPSEC_SPD_MATCH_H

#include <stdbool.h>
#include <stdint.h>

/** One rule as workers read it; addresses in host order. */
struct spd_rule {
	uint32_t src, src_mask, dst, dst_mask;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	uint8_t proto;      /* 0 = any */
	uint8_t action;     /* enum ipsec_action */
	uint16_t sa_slot;   /* protect: the SA's slot */
	uint32_t spi;       /* protect: the SA's SPI */
	uint32_t tunnel;    /* protect: the SAs' tunnel (0 = none) */
	uint16_t uvrf;      /* protect: the tunnel's underlay VRF */
	uint16_t ivrf;      /* the packets' VRF, or SPD_VRF_ANY */
	uint64_t hits;      /* packets matched (atomic) */
};

/** A rule of every VRF (configured rules); IKE policies have the VRF
 * of their if_id (RFC 4301 4.4.1: an SPD per interface). */
#define SPD_VRF_ANY UINT16_MAX

/** The selectors of a packet (host order; ports 0 if none) and the VRF
 * its inner packet lives in. */
struct spd_key {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto;
	uint16_t vrf;
};

/* Protocol and ports of a rule of either family against a packet's. */
#define SPD_L4_MATCH(r, k)                                             \
	(((r)->proto == 0 || (r)->proto == (k)->proto) &&              \
	 (k)->sport >= (r)->sport_lo && (k)->sport <= (r)->sport_hi && \
	 (k)->dport >= (r)->dport_lo && (k)->dport <= (r)->dport_hi)

/** Index of the first rule of @p r[0..n) matching @p k, or -1. */
static inline int
spd_match(const struct spd_rule *r, unsigned int n, const struct spd_key *k)
{
	unsigned int i;

	for (i = 0; i < n; i++, r++) {
		if (((k->src ^ r->src) & r->src_mask) == 0 &&
		    ((k->dst ^ r->dst) & r->dst_mask) == 0 &&
		    (r->ivrf == SPD_VRF_ANY || r->ivrf == k->vrf) &&
		    SPD_L4_MATCH(r, k))
			return (int)i;
	}
	return -1;
}

/**
 * One IPv6 rule as workers read it. Addresses and masks are the 16
 * network-order bytes seen as two 64-bit words: the masked compare
 * holds in any byte order as long as both sides share it.
 */
struct spd6_rule {
	uint64_t src[2], src_mask[2], dst[2], dst_mask[2];
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	uint8_t proto;      /* upper-layer protocol; 0 = any */
	uint8_t action;     /* enum ipsec_action */
	uint16_t sa_slot;   /* protect: the SA's slot */
	uint32_t spi;       /* protect: the SA's SPI */
	uint32_t tunnel;    /* protect: the SAs' tunnel */
	uint16_t uvrf;      /* protect: the tunnel's underlay VRF */
	uint64_t hits;      /* packets matched (atomic) */
};

/** The selectors of an IPv6 packet (as in struct spd6_rule). */
struct spd6_key {
	uint64_t src[2], dst[2];
	uint16_t sport, dport;
	uint8_t proto;      /* after the extension headers */
};

static inline bool
spd6_addr_in(const uint64_t *a, const uint64_t *net, const uint64_t *mask)
{
	return ((a[0] ^ net[0]) & mask[0]) == 0 &&
	       ((a[1] ^ net[1]) & mask[1]) == 0;
}

/** Index of the first rule of @p r[0..n) matching @p k, or -1. */
static inline int
spd6_match(const struct spd6_rule *r, unsigned int n,
	   const struct spd6_key *k)
{
	unsigned int i;

	for (i = 0; i < n; i++, r++) {
		if (spd6_addr_in(k->src, r->src, r->src_mask) &&
		    spd6_addr_in(k->dst, r->dst, r->dst_mask) &&
		    SPD_L4_MATCH(r, k))
			return (int)i;
	}
	return -1;
}

/**
 * The 16-byte mask of an IPv6 prefix of @p len bits (0..128), as the
 * two words of struct spd6_rule.
 */
void spd6_mask(uint8_t len, uint64_t mask[2]);

/**
 * Parse a port range "lo-hi", "port" or "" / "any" (0-65535).
 * @return 0 or -1 (bad number, lo > hi, > 65535).
 */
int spd_parse_ports(const char *s, uint16_t *lo, uint16_t *hi);

/**
 * Decode @p hex (even length, [0-9a-fA-F], optional "0x") into up to
 * @p max bytes. @return bytes written, or -1.
 */
int ipsec_hex_decode(const char *hex, uint8_t *out, unsigned int max);

#endif /* FERRY_IPSEC_SPD_MATCH_H */
