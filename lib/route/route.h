/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 routing: VRFs with one FIB each, adjacencies, neighbours (ARP),
 * ICMP errors, and the IPv4 graph nodes.
 *
 * Owns the config sections "vrfs", "neighbours" and "ip", and the CLI
 * commands `show ip route [vrf NAME]` and `show neighbours`.
 *
 * Tables and who may touch them:
 *   - VRF FIBs (rte_fib DIR24_8, one per VRF, next hop = adjacency
 *     index): written by the management lcore (route_add/route_del),
 *     looked up lock-free by workers. rte_fib writes each entry with
 *     one aligned store; fib.c reuses a freed tbl8 group only after
 *     every worker has passed a quiescent state (graph_rcu()), and a
 *     reader that meets a group zeroed under it looks up again.
 *   - Adjacencies: created before any FIB entry points at them and
 *     freed only after an RCU grace period once no route uses them.
 *   - Neighbours: rte_hash with lock-free readers keyed by (interface,
 *     IPv4) -> slot; a slot's MAC and state are one 64-bit word written
 *     with a single atomic store by the management lcore. Deleted slots
 *     are reused only after an RCU grace period (rte_hash's RCU defer
 *     queue on lib/graph's graph_rcu()).
 * Workers never write these tables: ARP packets and packets waiting on
 * ARP are punted to the management lcore (route_control_poll()).
 */
#ifndef FERRY_ROUTE_H
#define FERRY_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config.h"
#include "module.h"
#include "iface.h"

#define VRF_MAX 256
#define VRF_DEFAULT_NAME "default"
#define ROUTES_PER_VRF_MAX 2000000 /* a full IPv4 table (about 1M) with room */

/** One element of a VRF's "routes" list. */
struct route_conf {
	struct cfg_ipv4_prefix prefix;
	uint32_t via;                 /**< next hop; 0 = none */
	char interface[IFACE_NAME_LEN]; /**< "" = resolved from via */
	bool blackhole;
	/** ECMP: next hops "a.b.c.d" (char[ROUTE_VIA_LEN], 2..16, each on
	 *  a connected subnet), instead of via; flows spread over them */
	struct cfg_array vias;
};

/** Bytes of one element of route_conf.vias. */
#define ROUTE_VIA_LEN 16

/** One element of the "vrfs" section. */
struct vrf_conf {
	char name[VRF_NAME_LEN];
	uint32_t id;                  /**< 0 is the default VRF */
	uint32_t max_routes;
	uint32_t fib_tbl8;
	struct cfg_array routes;      /**< struct route_conf */
	struct cfg_array routes6;     /**< IPv6: struct route6_conf */
	uint32_t table;               /**< kernel table id of FRR's VRF
				       *   (lib/fpm); 0 = none */
};

/** One element of the "neighbours" section: a static ARP entry. */
struct nbr_conf {
	char interface[IFACE_NAME_LEN];
	uint32_t address;
	uint8_t mac[6];
};

/** The "ip" section. */
struct ip_conf {
	uint32_t arp_timeout;   /**< s before a learned entry is re-probed */
	uint32_t arp_retries;   /**< requests sent before giving up */
	uint32_t arp_hold;      /**< packets held per unresolved neighbour */
	uint32_t icmp_rate;     /**< ICMP errors per second per worker */
	uint32_t max_neighbours;
};

extern const struct cfg_section vrf_cfg_section;  /* "vrfs" */
extern const struct cfg_section nbr_cfg_section;  /* "neighbours" */
extern const struct cfg_section ip_cfg_section;   /* "ip" */
extern const struct cfg_section ip6_cfg_section;  /* "ip6" */
extern const struct cfg_section nd_cfg_section;   /* "neighbours6" */

/**
 * Create the VRFs and their FIBs, bind interfaces, install connected
 * and local routes. Static routes and neighbours are rows of the
 * start-up change (cfg_txn, through route_static.c's list ops). Ports, interfaces and workers (graph_build) must exist.
 * @return 0 or -errno.
 */
int route_setup(struct cfg_model *model);

/**
 * Register this library's CLI commands (and `show interfaces` of
 * lib/iface, which needs VRF names). Needs no EAL: the doc generator
 * calls it too. @return 0 or -errno.
 */
int route_cli_register(void);

/** Free everything route_setup() made, including held packets. */
void route_teardown(void);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module route_module;

/** The "vrfs" section of @p model: a cfg_array of struct vrf_conf. */
const struct cfg_array *route_conf_vrfs(const struct cfg_model *model);

/**
 * Whether @p model makes VRF @p name as lib/route builds it: an element
 * of "vrfs", or "default" once an interface is in it. The one answer for
 * every check whose rows name a VRF.
 */
bool route_conf_vrf_exists(const struct cfg_model *model, const char *name);

/** VRF index by name, or -1. VRF index 0 is the default VRF. */
int vrf_find(const char *name);
/** Number of VRFs. */
unsigned int vrf_count(void);
/** Name of VRF index @p idx, or NULL. */
const char *vrf_name(unsigned int idx);

/** What a route does with a packet. */
enum route_kind {
	ROUTE_VIA,       /**< forward to a next hop on an interface */
	ROUTE_CONNECTED, /**< the destination is on the interface (ARP it) */
	ROUTE_LOCAL,     /**< addressed to ferry */
	ROUTE_BLACKHOLE, /**< drop silently (counted) */
};

/**
 * Add or replace a route in VRF @p vrf: the one core function used by
 * the config loader and (later) the CLI.
 * @param via    next hop (ROUTE_VIA), host order
 * @param iface  interface index (ROUTE_VIA, ROUTE_CONNECTED)
 * @return 0 or -errno (-EINVAL bad argument, -ENOSPC table full).
 */
int route_add(unsigned int vrf, uint32_t prefix, uint8_t len,
	      enum route_kind kind, uint32_t via, unsigned int iface);

/** Delete a route. @return 0, -ENOENT or -errno. */
int route_del(unsigned int vrf, uint32_t prefix, uint8_t len);

struct route_path;

/**
 * Add or replace a configured route (source set by the caller) over
 * @p n paths (2..ROUTE_PATHS_MAX: an ECMP next-hop group, doc/fpm.md;
 * 1: a plain next hop), as route_add() does for one.
 * @return 0, -EINVAL or -ENOSPC.
 */
int route_add_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
		    const struct route_path *paths, unsigned int n);

/*
 * Operator changes (the CLI): each edits a copy of the running model
 * and runs it as one change (cfg_edit): checked as the loader checks,
 * installed through the lists' ops, recorded in the running model. On
 * any error nothing changes and @p err says why.
 */

/**
 * Add static route @p rc to VRF @p vrf; a route with the same prefix
 * is replaced in one step (FRR's `ip route` semantics: no gap).
 * @return 0 or -errno.
 */
int route_static_add(const char *vrf, const struct route_conf *rc,
		     char *err, size_t len);
/** Delete the static route @p prefix/@p plen of VRF @p vrf. */
int route_static_del(const char *vrf, uint32_t prefix, uint8_t plen,
		     char *err, size_t len);
/** Add static neighbour @p nc, or give an existing one its MAC. */
int nbr_static_add(const struct nbr_conf *nc, char *err, size_t len);
/** Delete the static neighbour @p ip on interface @p iface. */
int nbr_static_del(const char *iface, uint32_t ip, char *err, size_t len);

/**
 * Add a static neighbour (never aged), or make a learned one static.
 * @return 0 or -errno.
 */
int nbr_add_static(unsigned int iface, uint32_t ip,
		   const struct rte_ether_addr *mac);

/*
 * Hooks for other libraries (lib/mpls): routes whose packets another
 * library's node takes over, and neighbours that library's nodes send to.
 */

/*
 * Ferry's own addresses as packet sources (RFC 1812 5.3.7, and Linux's
 * fib_validate_source(): a received packet whose source is a local
 * address is a martian unless accept_local is set). A packet that
 * arrives with one of the addresses of its VRF as source is spoofed or
 * looped back: dropped as ip4_own_source before it is routed or
 * delivered. The filter is one bit per hash bucket of every local
 * address (any VRF), set and cleared by the management lcore with the
 * local routes; a clear bit answers "not ours" with one load, a set bit
 * is confirmed by a lookup in the packet's VRF.
 */
#define ROUTE_OWN_FILTER_BITS 4096

/** The filter's words; read by workers through route_src_is_own(). */
extern uint64_t route_own_filter[ROUTE_OWN_FILTER_BITS / 64];

/** Bucket of @p ip (host order) in route_own_filter. */
static inline uint32_t
route_own_bucket(uint32_t ip)
{
	return (ip ^ (ip >> 12) ^ (ip >> 24)) & (ROUTE_OWN_FILTER_BITS - 1);
}

/** The slow half of route_src_is_own(): a local route for @p ip in
 *  VRF @p vrf. Any lcore. */
bool route_own_addr_lookup(unsigned int vrf, uint32_t ip);

/**
 * Whether @p ip (host order) is one of ferry's addresses in VRF @p vrf
 * (an interface address: a local route). Lock-free, any lcore; one
 * load for addresses that are not ours.
 */
static inline bool
route_src_is_own(unsigned int vrf, uint32_t ip)
{
	uint32_t b = route_own_bucket(ip);
	uint64_t w = __atomic_load_n(&route_own_filter[b / 64],
				     __ATOMIC_RELAXED);

	if (likely((w >> (b % 64) & 1) == 0))
		return false;
	return route_own_addr_lookup(vrf, ip);
}

/** Most external route types (one per registered node). */
#define ROUTE_EXT_MAX 8

/**
 * Let routes hand packets to another library's graph node: adds an edge
 * from ferry_ip4_lookup to @p node_name. Call before graph_build(), on
 * the management lcore; registering the same node again returns the
 * same type. ferry_ip4_lookup checks the TTL of such a packet (ICMP time
 * exceeded) and sends it to the node with the route's value in
 * pkt_md.nbr, data at the IPv4 header; the TTL is not decremented.
 * @param format  writes a route's value for `show ip route` (or NULL)
 * @return the external type (>= 0), or -ENOSPC / -EINVAL.
 */
int route_ext_register(const char *node_name,
		       void (*format)(uint32_t value, char *buf, size_t len));

/**
 * Add or replace a route in VRF @p vrf whose packets go to the node of
 * external type @p ext_type with @p ext_value. It replaces only a route
 * of the same type: a static, connected or local route, or one of
 * another type, is never overwritten. Delete with route_del().
 * @return 0, -EINVAL, -EEXIST (another kind of route has the prefix)
 *         or -ENOSPC.
 */
int route_add_ext(unsigned int vrf, uint32_t prefix, uint8_t len,
		  unsigned int ext_type, uint32_t ext_value);

/**
 * The IPv6 counterpart of route_ext_register(): an edge from
 * ferry_ip6_lookup to @p node_name. ferry_ip6_lookup checks the hop
 * limit of such a packet (ICMPv6 time exceeded) and sends it to the
 * node with the route's value in pkt_md.nbr, data at the IPv6 header;
 * the hop limit is not decremented. Call before graph_build(), on the
 * management lcore; the same node again returns the same type.
 * @return the external type (>= 0), or -ENOSPC / -EINVAL.
 */
int route6_ext_register(const char *node_name,
			void (*format)(uint32_t value, char *buf, size_t len));

/**
 * Add or replace IPv6 route @p prefix/@p len (16 bytes, network order)
 * in VRF @p vrf to the node of external type @p ext_type with
 * @p ext_value. Replaces only a route of the same type.
 * @return 0, -EINVAL, -EEXIST (another kind of route has the prefix)
 *         or -ENOSPC.
 */
int route6_add_ext(unsigned int vrf, const uint8_t *prefix, uint8_t len,
		   unsigned int ext_type, uint32_t ext_value);

/** Delete IPv6 route @p prefix/@p len of VRF @p vrf if it is of
 *  external type @p ext_type. @return 0, -EINVAL or -ENOENT. */
int route6_del_ext(unsigned int vrf, const uint8_t *prefix, uint8_t len,
		   unsigned int ext_type);

/**
 * Hand IPv6 packets addressed to ferry whose upper-layer protocol (after
 * the extension headers, RFC 8200 4) is @p proto to @p node_name: ESP.
 * The node gets data at the IPv6 header, checked by ferry_ip6_input,
 * m->l3_len = the offset of the upper-layer header, pkt_md.vrf and
 * in_iface set; fragments never come (ip6_fragment_local). Adds an edge
 * from ferry_ip6_local; call before graph_build(), on the management
 * lcore. @return 0, -EINVAL (ICMPv6, UDP) or -EEXIST.
 */
int route6_local_register(uint8_t proto, const char *node_name);

/**
 * Hand UDP to ferry's IPv6 addresses with destination port @p udp_port
 * to @p node_name (VXLAN over IPv6) instead of answering port
 * unreachable. The node gets what route6_local_register() describes
 * (m->l3_len = offset of the UDP header). Before graph_build(),
 * management lcore. @return 0, -EINVAL, -EEXIST or -ENOSPC.
 */
int route6_local_udp_register(uint16_t udp_port, const char *node_name);

/** Most UDP ports route_local_register() takes. */
#define ROUTE_LOCAL_UDP_MAX 8

/**
 * Hand packets addressed to ferry (a local route) with IP protocol
 * @p proto, or UDP to @p udp_port when @p proto is IPPROTO_UDP, to the
 * node @p node_name instead of answering them: ESP, VXLAN, NAT-T. Adds
 * an edge from ferry_ip4_local; call before graph_build(), on the
 * management lcore. The node gets the packet with data at the IPv4
 * header, already checked by ferry_ip4_input (length, checksum, TTL not
 * decremented), pkt_md.vrf = the VRF it arrived in and pkt_md.in_iface
 * set; fragments never reach it (counted as ip4_fragment_local).
 * @return 0, -EINVAL (ICMP, port 0 with UDP, a port without UDP),
 *         -EEXIST (already taken) or -ENOSPC.
 */
int route_local_register(uint8_t proto, uint16_t udp_port,
			 const char *node_name);

/**
 * Hand what ferry receives for itself and does not serve to the control
 * plane (lib/control_plane's TAP representors) instead of dropping it or
 * answering it with ICMP port unreachable: adds an edge from
 * ferry_ip4_local, ferry_ip4_input and ferry_ip6_local to @p node_name.
 * Once an
 * interface is switched on with route_punt_set(), the node gets that
 * interface's
 *   - packets to a local address whose protocol no library took (TCP,
 *     OSPF, ...), UDP to ports no library registered, ICMP other than
 *     the echo requests ferry answers itself, and IKE on UDP 4500 (the
 *     non-ESP marker, RFC 3948 2.2) when the port is registered;
 *   - link-local multicast (224.0.0.0/24: OSPF, VRRP) and the limited
 *     broadcast 255.255.255.255, which are never routed;
 *   - and from ferry_ip6_local the IPv6 counterparts: TCP, UDP, other
 *     protocols, ICMPv6 other than echo requests, ND and router
 *     messages, and link-scope multicast (ff02::/16) to ferry.
 * Data at the IPv4 or IPv6 header (checked by ferry_ip4_input or
 * ferry_ip6_input), L2 header still in the headroom in front of it,
 * pkt_md.in_iface and vrf set; fragments never come (ip4_fragment_local,
 * ip6_fragment_local). One node; call before graph_build(),
 * on the management lcore. @return 0, -EINVAL or -EEXIST.
 */
int route_punt_register(const char *node_name);

/**
 * Send interface @p iface's unserved local traffic to the node of
 * route_punt_register() (@p on) or back to ferry's own handling (drop,
 * ICMP port unreachable). One store workers see at once; management
 * lcore. @return 0 or -EINVAL (no such interface, nothing registered).
 */
int route_punt_set(unsigned int iface, bool on);

/**
 * Let another library see the ARP replies and gratuitous ARP that ferry
 * learns from (the control plane copies them to the interface's TAP so
 * the kernel's neighbour table fills). @p fn runs on the management
 * lcore with the packet (data at the ARP header, pkt_md.in_iface set),
 * after ferry learned from it; it must copy what it needs, not keep or
 * free the mbuf. Requests are not shown: ferry answers them itself.
 * NULL unregisters.
 */
void route_arp_copy_register(void (*fn)(struct rte_mbuf *m));

/**
 * The IPv6 counterpart of route_arp_copy_register(): @p fn sees each
 * neighbour advertisement for an address that is not ferry's, after
 * ferry learned from it (data at the IPv6 header, ICMPv6 right behind
 * it, the L2 header it arrived with still in the headroom, pkt_md.
 * in_iface set). Solicitations are not shown: ferry answers those for
 * its addresses itself. Same rules as the ARP hook; NULL unregisters.
 */
void route_nd_copy_register(void (*fn)(struct rte_mbuf *m));

/** Most input features route_input_feature_register() takes. */
#define ROUTE_INPUT_FEATURE_MAX 4

/**
 * Let an interface's IPv4 packets pass through another library's node
 * (lib/classify's ACL) between ferry_ip4_input and ferry_ip4_lookup:
 * adds an edge from ferry_ip4_input to @p node_name. Call before
 * graph_build(), on the management lcore; the same node again returns
 * the same feature. The node gets checked packets (data at the IPv4
 * header, pkt_md.in_iface/vrf set) and must send them on to
 * ferry_ip4_lookup or drop them. Interfaces without a feature are not
 * slowed down (one byte read per packet).
 * @return the feature (> 0), or -EINVAL / -ENOSPC.
 */
int route_input_feature_register(const char *node_name);

/**
 * Send interface @p iface's IPv4 packets through @p feature (from
 * route_input_feature_register()), or straight to ferry_ip4_lookup with
 * 0. One store workers see at once; management lcore.
 * @return 0 or -EINVAL.
 */
int route_input_feature_set(unsigned int iface, int feature);
/**
 * route_input_feature_register() for IPv6: an edge from ferry_ip6_input
 * to @p node_name, which gets checked IPv6 packets bound for
 * ferry_ip6_lookup (data at the IPv6 header, pkt_md.in_iface/vrf set;
 * ND and link-local packets never) and must send them on to
 * ferry_ip6_lookup or drop them. Before graph_build(), management lcore.
 * @return the feature (> 0), or -EINVAL / -ENOSPC.
 */
int route6_input_feature_register(const char *node_name);
/**
 * Send interface @p iface's IPv6 packets through @p feature (from
 * route6_input_feature_register()), or straight to ferry_ip6_lookup
 * with 0. @return 0 or -EINVAL.
 */
int route6_input_feature_set(unsigned int iface, int feature);
/**
 * Control plane: how ferry reaches @p ip (host order) in VRF @p vrf, by
 * the same FIB the workers use: the egress interface and the next hop
 * (the gateway, or @p ip itself on a connected subnet). Used by
 * libraries that pin the next hop of a tunnel end (lib/vxlan).
 * Management lcore. @return 0, -EINVAL (bad VRF) or -ENETUNREACH (no
 * route, a blackhole, a local address or another library's route).
 */
int route_resolve(unsigned int vrf, uint32_t ip, unsigned int *iface,
		  uint32_t *nexthop);
/**
 * route_resolve() for IPv6 @p ip (16 bytes, network order): the egress
 * interface and the next hop (16 bytes) ferry_ip6_lookup would choose
 * now. For show and MTU checks of tunnels whose packets go through
 * ferry_ip6_lookup (lib/vxlan's IPv6 underlay). Management lcore.
 * @return 0, -EINVAL (bad VRF) or -ENETUNREACH.
 */
int route6_resolve(unsigned int vrf, const uint8_t *ip, unsigned int *iface,
		   uint8_t *nexthop);
/**
 * Send every packet that passed ferry_ip4_input's checks to @p node_name
 * instead of ferry_ip4_lookup; that node passes them on to
 * ferry_ip4_lookup (data at the IPv4 header, pkt_md.vrf set) or drops
 * them. For a check of received traffic, such as lib/ipsec's inbound
 * policy on cleartext (RFC 4301 5.2). Packets other nodes route
 * (decrypted, label-popped, injected) do not pass it; packets of an
 * input feature (route_input_feature_set()) pass it after the feature.
 * One hook; call before graph_build(), on the management lcore.
 * @return 0, -EINVAL or -EEXIST (already hooked).
 */
int route_input_register(const char *node_name);

/** No neighbour slot. */
#define ROUTE_NBR_NONE UINT32_MAX

/**
 * Pin the neighbour (interface @p iface, address @p ip), creating it
 * unresolved if new: the slot is never deleted while pinned, and while
 * it has no MAC the management lcore sends ARP requests for it (every
 * second) without waiting for traffic, since the pinning library drops
 * rather than hands over packets to hold. Management lcore only.
 * @return the slot, or ROUTE_NBR_NONE (bad interface, table full).
 */
uint32_t route_nbr_pin(unsigned int iface, uint32_t ip);

/** Undo one route_nbr_pin(); an unresolved, unused entry is deleted. */
void route_nbr_unpin(uint32_t slot);

/*
 * Where workers find a slot's MAC/state word: the MAC in the low 48
 * bits, the state in bits 48-55 with 0 meaning unresolved, written with
 * one atomic store by the management lcore. Set by route_setup().
 */
struct route_nbr_words {
	const uint8_t *base; /* word of slot 0 */
	size_t stride;       /* bytes from one slot's word to the next */
};

extern struct route_nbr_words route_nbr_words;

/**
 * Fast path, any lcore: the MAC of neighbour @p slot (a pinned slot).
 * @return false while it is unresolved (@p mac is then not written).
 */
static inline bool
route_nbr_mac(uint32_t slot, struct rte_ether_addr *mac)
{
	const uint64_t *w = (const uint64_t *)(const void *)
		(route_nbr_words.base + (size_t)slot * route_nbr_words.stride);
	uint64_t v = __atomic_load_n(w, __ATOMIC_ACQUIRE);

	if ((v >> 48 & 0xff) == 0)
		return false;
	memcpy(mac->addr_bytes, &v, RTE_ETHER_ADDR_LEN);
	return true;
}

/*
 * Tunnel outer routes (issue 21). Every outer packet of a tunnel (an
 * ESP SA, a VXLAN VTEP) goes to one address in one VRF, so the node that
 * builds them resolves that address's route and neighbour once and
 * reuses the result while route_epoch is unchanged: no FIB lookup and no
 * neighbour hash per packet. The management lcore bumps the epoch after
 * any FIB change (any VRF) and before a neighbour slot is added or
 * deleted; a neighbour's MAC and state, and the interface's state, MTU
 * and L2 header are read per run (route_out4_l2()), so they need no
 * bump. Whatever is not a plain case (no route, local, blackhole, ECMP,
 * another library's route, no neighbour slot yet) is left to
 * ferry_ip4_lookup, which decides as for any packet.
 */

/** The route epoch: never 0 (0 marks an empty cache entry). */
extern uint32_t route_epoch;

/** Worker: the route epoch, read once per burst. */
static inline uint32_t
route_epoch_read(void)
{
	return __atomic_load_n(&route_epoch, __ATOMIC_ACQUIRE);
}

/** Management lcore: FIB or neighbour slots changed. */
void route_epoch_bump(void);

/** A cached outer route: the address, and what it resolved to. */
struct route_out4 {
	uint32_t epoch;  /**< route_epoch it was resolved under; 0 = none */
	uint32_t dst;    /**< destination, host order */
	uint16_t vrf;
	uint16_t iface;  /**< egress interface */
	uint32_t nbr;    /**< neighbour slot; ROUTE_NBR_NONE = general path */
};

/**
 * Worker: make @p o the outer route of (@p vrf, @p dst) under @p epoch,
 * resolving it (one FIB lookup, for a connected destination one
 * neighbour hash lookup) only if @p o holds another address or epoch.
 * @return true if the route is a gateway or connected destination with
 * a neighbour slot on one interface; false: use ferry_ip4_lookup.
 */
bool route_out4_get(struct route_out4 *o, uint16_t vrf, uint32_t dst,
		    uint32_t epoch);

/** What a run of outer packets through one route gets in front. */
struct route_out_l2 {
	uint16_t iface;  /**< egress interface */
	uint16_t mtu;    /**< its IP MTU */
	uint16_t port;   /**< its port index: tx edge = first tx edge + port */
	uint16_t len;    /**< L2 header bytes (14, or 18 with 802.1Q) */
	uint8_t hdr[RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr)];
};

/**
 * Worker, once per run: the L2 header of an IPv4 packet leaving by @p o,
 * written the way ferry_ip4_rewrite writes it. @return false when the
 * neighbour is unresolved or the interface down (ferry_ip4_lookup then
 * punts or ferry_ip4_rewrite drops, as for any packet).
 */
bool route_out4_l2(const struct route_out4 *o, struct route_out_l2 *l);

/**
 * Whether @p lookup, a graph's copy of ferry_ip4_lookup (a node's next
 * node), or the ferry_ip4_rewrite after it runs a trace or capture hook:
 * then packets must go through them to be seen.
 */
struct rte_node;
bool route_ip4_out_watched(struct rte_node *lookup);

/**
 * Management-lcore work: process punted ARP and packets waiting for ARP,
 * send ARP requests and retries, age neighbours, release held packets.
 * @param now_ms monotonic milliseconds
 */
void route_control_poll(uint64_t now_ms);

/**
 * The route of VRF @p vrf that @p ip (host order) matches (longest
 * prefix), as text: "route 10.1.0.0/16 via 198.18.0.2 dev a". For the
 * packet trace. Management lcore. @return 0, -EINVAL (bad VRF) or
 * -ENETUNREACH (no route).
 */
int route_describe(unsigned int vrf, uint32_t ip, char *buf, size_t len);

/** ICMP errors each worker may send per second (ip.icmp_rate). */
uint32_t route_icmp_rate(void);

/*
 * Routes from a routing daemon (lib/fpm: FRR's zebra over FPM) beside
 * the configured ones. Each FIB entry carries its source. Admin
 * distance, as Cisco and Juniper operators expect: connected/local 0,
 * static 1, FRR's routes after them (whatever FRR's own distance), so a
 * configured route hides FRR's route for the same prefix; FRR's route
 * is kept behind it and comes back when the configured one is deleted.
 * route_frr_preferred_set() turns the order of static and FRR around.
 * FRR routes never enter the config model: `write` saves static only.
 */

/** Who installed a route (shown by `show ip route`). */
enum route_source {
	ROUTE_SRC_SYSTEM, /**< connected, local, another library's */
	ROUTE_SRC_STATIC, /**< the config file or the CLI */
	ROUTE_SRC_FRR,    /**< zebra over FPM (lib/fpm) */
};

/** Most paths of one route (an ECMP next-hop group). */
#define ROUTE_PATHS_MAX 16

/** One path of a route: a gateway (or 0: connected) on an interface. */
struct route_path {
	uint32_t via;       /**< next hop, host order; 0 = on-link */
	uint16_t iface;     /**< interface index */
	uint8_t weight;     /**< 1..255; relative share of flows */
};

/**
 * Add or replace FRR's route for @p prefix/@p len in VRF @p vrf with
 * @p n paths (1..ROUTE_PATHS_MAX; several make an ECMP group, packets
 * spread per flow, see doc/routing.md). If a configured route holds the
 * prefix, FRR's is kept hidden behind it. @p tag is the caller's
 * generation (route_frr_sweep()). Management lcore.
 * @return 0, -EINVAL, -ENOSPC (FIB, next hops or groups full).
 */
int route_frr_add(unsigned int vrf, uint32_t prefix, uint8_t len,
		  const struct route_path *paths, unsigned int n,
		  uint32_t tag);

/**
 * Add or replace FRR's route for @p prefix/@p len in VRF @p vrf whose
 * packets go to the node of external type @p ext_type with @p value
 * (lib/mpls: a labelled route from zebra, pushed by ferry_mpls_push).
 * Source, tag, hiding behind a configured route and sweeping as
 * route_frr_add(). The route takes over the caller's reference on
 * @p value: when the route leaves (deleted, replaced, swept, even by
 * the same value again) the type's release function
 * (route_frr_ext_release_set()) is called with it. On an error the
 * reference stays the caller's. @return 0, -EINVAL or -ENOSPC.
 */
int route_frr_add_ext(unsigned int vrf, uint32_t prefix, uint8_t len,
		      unsigned int ext_type, uint32_t value, uint32_t tag);

/*
 * FRR's next-hop objects (zebra's RTM_NEWNEXTHOP, `fpm use-next-hop-
 * groups`), kept by the caller (lib/fpm) in slots 0..ROUTE_NHO_MAX-1.
 * Routes of an object point at it: changing the object moves all of
 * them in one store (route_nho.c). Management lcore.
 */
#define ROUTE_NHO_MAX 8192

/** Set object @p slot to @p n paths (1..ROUTE_PATHS_MAX, weights as
 *  route_frr_add()); its routes follow at once. @return 0, -EINVAL,
 *  -ENOSPC (next hops or groups full). */
int route_nho_set(uint32_t slot, const struct route_path *paths,
		  unsigned int n);
/** Whether a route (hidden ones included) uses object @p slot. */
bool route_nho_in_use(uint32_t slot);
/** Drop object @p slot's group, if no route uses it (else no-op). */
void route_nho_clear(uint32_t slot);
/** Add or replace FRR's route through object @p slot (as
 *  route_frr_add()). @return 0, -ENOENT (slot not set), -EINVAL,
 *  -ENOSPC. */
int route_frr_add_nho(unsigned int vrf, uint32_t prefix, uint8_t len,
		      uint32_t slot, uint32_t tag);

/**
 * route_frr_add_ext() for @p n (1..ROUTE_PATHS_MAX) values of external
 * type @p ext_type, each a path of an ECMP group with weight
 * @p weights[i] (lib/mpls: a labelled route whose paths push their own
 * stacks): a packet's flow picks the path (nhg.h), then goes to the
 * type's node with that path's value. The route takes over the caller's
 * reference on every value; each is released when the route leaves.
 * @return 0, -EINVAL or -ENOSPC (references stay the caller's).
 */
int route_frr_add_ext_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
			    unsigned int ext_type, const uint32_t *values,
			    const uint8_t *weights, unsigned int n,
			    uint32_t tag);

/** Who drops a reference on the value of an FRR route of external type
 *  @p ext_type once the route leaves (route_frr_add_ext()). */
void route_frr_ext_release_set(unsigned int ext_type,
			       void (*release)(uint32_t value));

/** Add or replace FRR's blackhole route (RTN_BLACKHOLE/UNREACHABLE). */
int route_frr_add_blackhole(unsigned int vrf, uint32_t prefix,
			    uint8_t len, uint32_t tag);

/** Delete FRR's route for @p prefix/@p len (a configured one stays).
 *  @return 0 or -ENOENT. */
int route_frr_del(unsigned int vrf, uint32_t prefix, uint8_t len);

/**
 * Delete at most @p budget FRR routes whose tag is not @p keep (what
 * zebra did not send again since it reconnected, or every one with a
 * tag nobody uses). One call walks a bounded part of the tables
 * (address slices: what is shorter than /8, then each /8, until about
 * 32k RIB nodes are visited) and the next
 * call with the same @p keep goes on from there, so a sweep of a full
 * table takes many short calls. @p done is set once every VRF has been
 * swept. @return routes deleted.
 */
unsigned int route_frr_sweep(uint32_t keep, unsigned int budget,
			     bool *done);

/** FRR routes installed (hidden ones included), all VRFs. */
uint64_t route_frr_count(void);

/**
 * Whether FRR's routes beat static ones for the same prefix (lib/fpm:
 * fpm.distance below fpm.static_distance); by default static wins. The
 * losing one is kept hidden behind the other either way, and comes back
 * in one FIB store when the winner goes. Connected and local routes
 * always win. Set before FRR's routes come (management lcore).
 */
void route_frr_preferred_set(bool frr_wins);

/** Mark the route @p prefix/@p len of VRF @p vrf as @p src (the static
 *  route installer; no-op if absent). */
void route_source_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		      enum route_source src);

/*
 * FRR's IPv6 routes (lib/fpm), beside the configured ones in the VRF's
 * IPv6 FIB: one path each (no IPv6 ECMP groups yet), source and tag
 * kept apart (route6_src.c). A configured route wins; FRR's for the
 * same prefix is recorded hidden, installed again by zebra's next
 * resend. Management lcore.
 */

/** Add or replace FRR's route @p prefix/@p len (16 bytes, network
 *  order) via @p via, a gateway on an IPv6 subnet of the VRF.
 *  @return 0, -EINVAL, -ENETUNREACH (no such subnet) or -ENOSPC. */
int route6_frr_add(unsigned int vrf, const uint8_t *prefix, uint8_t len,
		   const uint8_t *via, uint32_t tag);
/** Add or replace FRR's blackhole route. */
int route6_frr_add_blackhole(unsigned int vrf, const uint8_t *prefix,
			     uint8_t len, uint32_t tag);
/** Delete FRR's route (a configured one stays). @return 0 or -ENOENT. */
int route6_frr_del(unsigned int vrf, const uint8_t *prefix, uint8_t len);
/** Delete at most @p budget FRR IPv6 routes whose tag is not @p keep.
 *  @return how many. */
unsigned int route6_frr_sweep(uint32_t keep, unsigned int budget);
/** FRR IPv6 routes recorded (hidden ones included). */
uint64_t route6_frr_count(void);

/** Name of @p src: "connected", "static", "frr". */
const char *route_source_name(enum route_source src);

#endif /* FERRY_ROUTE_H */
