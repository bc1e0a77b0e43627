/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 tables shared by the control code and the IPv6 nodes of
 * lib/route: per-VRF FIBs (rte_fib6), their adjacencies and the
 * neighbour (ND) table. Built as the IPv4 tables are (route_priv.h);
 * kept apart so that the two families change independently.
 *
 * Who touches what:
 *   - fib6[vrf]: rte_fib6 (trie, 2-byte next hops = adjacency indexes),
 *     written by the management lcore, looked up lock-free by workers.
 *     DPDK 22.11's trie has no RCU hook: on a change it may free a tbl8
 *     group and zero it at once, and reuse it on the next change. Two
 *     rules make that safe (fib6.c): adjacency 0 is never stored, so a
 *     worker that read a group being zeroed sees 0 and looks up again
 *     (the parent entry was rewritten before the zeroing); and every
 *     change waits for the grace period of the one before (QSBR on
 *     graph_rcu()), so no group is reused while a worker may be in it.
 *   - adj6_table: written before any FIB entry points at an entry;
 *     entries are never freed (bounded by the distinct next hops).
 *   - nd_table: rte_hash with lock-free readers keyed by (interface,
 *     address) -> slot; a slot's MAC and state are one 64-bit word
 *     (route_priv.h's nbr_word()), stored atomically by the management
 *     lcore. Deleted slots are reused after an RCU grace period.
 */
#ifndef FERRY_ROUTE6_PRIV_H
#define FERRY_ROUTE6_PRIV_H

#include <rte_fib6.h>
#include <rte_ip.h>

#include "ip6_hdr.h"
#include "route_priv.h"

#define ADJ6_MAX 32767	/* rte_fib6 trie 2-byte next hops: 15 bits */
#define ADJ6_RETRY 0	/* never stored: a zeroed tbl8 entry */
#define ADJ6_NO_ROUTE 1 /* FIB default */
#define ADJ6_BLACKHOLE 2
#define ADJ6_LOCAL 3
#define ADJ6_FIRST_FREE 4
#define ND_HOLD_MAX 16

/** What an IPv6 FIB next hop leads to (types of enum adj_type). */
struct adj6 {
	uint8_t type; /* ADJ_T_NO_ROUTE .. ADJ_T_NEXTHOP */
	uint16_t iface;
	uint32_t nbr;	 /* ADJ_T_NEXTHOP: ND slot */
	uint8_t gw[16];	 /* ADJ_T_NEXTHOP: gateway */
	uint32_t refcnt; /* routes using it (control only) */
};

extern struct adj6 adj6_table[ADJ6_MAX];
/* One FIB per VRF index, NULL until the VRF has IPv6 (lookups miss). */
extern struct rte_fib6 *fib6_table[VRF_MAX];

/** A neighbour found by ND. Same state words as ARP's struct nbr. */
struct nd6 {
	uint64_t mac_state;
	uint8_t ip[16];
	uint16_t iface;
	uint8_t is_static;
	uint8_t probes;
	uint8_t in_use;
	uint8_t n_hold;
	uint32_t refcnt;
	uint64_t updated_ms;
	uint64_t probed_ms;
	struct rte_mbuf *hold[ND_HOLD_MAX];
};

struct nd_key {
	uint8_t ip[16];
	uint16_t iface;
	uint16_t pad;
};

extern struct nd6 *nd_table;
extern struct rte_hash *nd_hash;

/** The "ip6" section. */
struct ip6_conf {
	uint32_t nd_reachable; /* s before a learned entry is re-probed */
	uint32_t nd_retries;   /* solicitations before giving up */
	uint32_t nd_hold;      /* packets held per unresolved neighbour */
	uint32_t max_neighbours;
	uint32_t fib_tbl8;   /* trie groups per VRF */
	uint32_t max_routes; /* per VRF */
	uint32_t dad_ms;     /* how long an address stays tentative */
	uint8_t hop_limit;   /* of packets ferry builds */
};

extern struct ip6_conf route_ip6_conf;
extern const struct cfg_section ip6_cfg_section;
extern const struct cfg_schema route6_conf_schema;

/** One element of a VRF's "routes6" list. */
struct route6_conf {
	struct cfg_ipv6_prefix prefix;
	uint8_t via[16];		/* :: = none */
	char interface[IFACE_NAME_LEN]; /* "" = from via */
	bool blackhole;
};

/** One element of the "neighbours6" section: a static ND entry. */
struct nd_conf {
	char interface[IFACE_NAME_LEN];
	uint8_t address[16];
	uint8_t mac[6];
};

extern const struct cfg_section nd_cfg_section;

/** Slot of (iface, ip) or NBR_NONE; lock-free, any lcore. */
static inline uint32_t
nd_lookup(uint16_t iface, const uint8_t *ip)
{
	struct nd_key key = {.iface = iface};
	int pos;

	memcpy(key.ip, ip, 16);
	pos = rte_hash_lookup(nd_hash, &key);
	return pos < 0 ? NBR_NONE : (uint32_t)pos;
}

/** Adjacency for @p dst in VRF @p vrf; any lcore. */
static inline uint32_t
fib6_lookup_one(unsigned int vrf, const uint8_t *dst)
{
	struct rte_fib6 *f =
		__atomic_load_n(&fib6_table[vrf], __ATOMIC_ACQUIRE);
	uint8_t ip[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t nh = ADJ6_NO_ROUTE;

	if (f == NULL)
		return ADJ6_NO_ROUTE;
	memcpy(ip[0], dst, 16);
	rte_fib6_lookup_bulk(f, ip, &nh, 1);
	return (uint32_t)nh;
}

/** The ferry address on @p ifc to send to @p dst from: link-local for a
 *  link-local destination or when there is no global address. */
static inline const uint8_t *
ip6_src_for(const struct iface *ifc, const uint8_t *dst)
{
	return ip6_is_link_local(dst) ? ifc->ll6 : ifc->addr6;
}

/* fib6.c (management lcore) */
int fib6_vrf_ensure(unsigned int vrf);
void fib6_free_all(void);
int route6_add(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	       enum route_kind kind, const uint8_t *via, unsigned int iface);
int route6_del(unsigned int vrf, const uint8_t *prefix, uint8_t len);
/** Call @p fn for every route of VRF @p vrf (for show). */
void route6_walk(unsigned int vrf,
		 void (*fn)(const uint8_t *prefix, uint8_t len,
			    const struct adj6 *a, void *arg),
		 void *arg);
/** Call @p fn for the longest route of VRF @p vrf holding @p addr (what
 *  the data plane's lookup hits). @return false if none matches. */
bool route6_match(unsigned int vrf, const uint8_t *addr,
		  void (*fn)(const uint8_t *prefix, uint8_t len,
			     const struct adj6 *a, void *arg),
		  void *arg);
bool route6_exists(unsigned int vrf, const uint8_t *prefix, uint8_t len);
void adj6_format(const struct adj6 *a, char *buf, size_t len);

/* route6_stats.c: the "ipv6" counter source (lib/stats). */
int route6_stats_setup(void);

/* nd.c (management lcore) */
int nd_table_create(uint32_t max, struct rte_rcu_qsbr *rcu);
void nd_table_free(void);
uint32_t nd_get(uint16_t iface, const uint8_t *ip);
void nd_learn(uint32_t slot, const struct rte_ether_addr *mac,
	      enum nbr_state st, uint64_t now_ms);
void nd_hold(uint32_t slot, struct rte_mbuf *m, uint64_t now_ms);
void nd_timer(uint64_t now_ms);
int nd_add_static(unsigned int iface, const uint8_t *ip,
		  const struct rte_ether_addr *mac);
uint32_t nd_slots(void);
/** Make a static entry learned again (ND resolves it from now on), or
 *  delete it if nothing routes through it. @return 0 or -ENOENT. */
int nd_del_static(unsigned int iface, const uint8_t *ip);

/* nd_input.c (management lcore) */
void nd_solicit_send(uint16_t iface, const uint8_t *target, bool unicast,
		     const struct rte_ether_addr *dmac);
void nd_control_input(struct rte_mbuf *m, uint64_t now_ms);
void nd_dad_start(uint64_t now_ms);
void nd_dad_timer(uint64_t now_ms);
/** Whether @p a is a usable (not tentative, not duplicate) address of
 *  interface @p ifx. */
bool nd_addr_ours(uint16_t ifx, const uint8_t *a);

/* route6_src.c: FRR's IPv6 routes (route.h) */
/** A configured route now holds the prefix: FRR's is hidden. */
void route6_frr_hide(unsigned int vrf, const uint8_t *prefix, uint8_t len);
/** " [frr]", " [frr hidden]" or "" for `show ipv6 route`. */
const char *route6_source_tag(unsigned int vrf, const uint8_t *prefix,
			      uint8_t len);
void route6_frr_free_all(void);
/** Whether the FIB holds a route for the prefix that is not FRR's. */
bool route6_configured_has(unsigned int vrf, const uint8_t *prefix,
			   uint8_t len);

/* route6.c */
int route6_setup(struct cfg_model *model);
void route6_teardown(void);
void route6_punted(struct rte_mbuf *m, uint64_t now_ms);
void route6_poll(uint64_t now_ms);
int route6_static_install(unsigned int vrf, const struct route6_conf *rc);
int route6_cli_register(void);

/** Add an edge from ferry_ip6_lookup to @p node (route6_ext_register).
 *  @return the edge or RTE_EDGE_ID_INVALID. */
rte_edge_t ip6_lookup_edge_add(const char *node);

/* Node edges made once ports exist. */
int ip6_rewrite_edges_add(void);
/* ip6_lookup_node.c: a new edge to @p node (route6_ext_register). */
rte_edge_t ip6_lookup_edge_add(const char *node);

/** Checksum of an ICMPv6 message of @p len bytes at @p icmp with the
 *  IPv6 pseudo-header of @p ip (RFC 8200 8.1, RFC 4443 2.3). */
uint16_t icmp6_cksum(const struct rte_ipv6_hdr *ip, const void *icmp,
		     uint32_t len);

/** Fill the checksum of the ICMPv6 message @p icmp (@p len bytes, its
 *  checksum field zero): stored bytewise, the message need not be
 *  aligned. */
static inline void
icmp6_cksum_set(const struct rte_ipv6_hdr *ip, uint8_t *icmp, uint32_t len)
{
	uint16_t c = icmp6_cksum(ip, icmp, len);

	memcpy(icmp + 2, &c, sizeof(c));
}

#endif /* FERRY_ROUTE6_PRIV_H */
