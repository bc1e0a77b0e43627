/* SPDX-License-Identifier: BSD-3-Clause */
/* Tables shared by the control code and the IPv4 nodes of lib/route. */
#ifndef FERRY_ROUTE_PRIV_H
#define FERRY_ROUTE_PRIV_H

#include <rte_fib.h>
#include <rte_rib.h>
#include <rte_hash.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "graph.h"
#include "route.h"
#include "ferry_log.h"

extern int route_logtype;
#define ROUTE_LOG(level, fmt, ...) \
	FERRY_LOG(route_logtype, route, level, fmt, ##__VA_ARGS__)

#define ADJ_MAX 65536
#define NBR_NONE UINT32_MAX
#define ARP_HOLD_MAX 64

/* FIB next hops are adjacency indexes; these are fixed. */
#define ADJ_RETRY 0      /* never stored: a tbl8 entry zeroed under a
			  * reader (fib.c); look up again */
#define ADJ_NO_ROUTE 1   /* FIB default: ICMP net unreachable */
#define ADJ_BLACKHOLE 2
#define ADJ_LOCAL 3
#define ADJ_FIRST_FREE 4
#define ADJ_NHO 1        /* iface of an ADJ_T_NHG for a next-hop object */

enum adj_type {
	ADJ_T_NO_ROUTE,
	ADJ_T_BLACKHOLE,
	ADJ_T_LOCAL,
	ADJ_T_GLEAN,    /* connected: the destination is the next hop */
	ADJ_T_NEXTHOP,  /* a gateway: nbr is its neighbour slot */
	ADJ_T_EXT,      /* another library's node: iface is the edge of
			 * ferry_ip4_lookup to it, nbr (= gw) the value it
			 * gets in pkt_md.nbr (route_add_ext) */
	ADJ_T_NHG,      /* an ECMP group: nbr is its nhg_table index;
			 * gw = nbr and iface 0 (nhg.c), or an FRR
			 * next-hop object: iface ADJ_NHO, gw the
			 * object's slot, nbr its group of the moment,
			 * swapped in one store (route_nho.c) */
};

/** What a FIB next hop leads to. Read by workers, written before use. */
struct adj {
	uint8_t type;      /* enum adj_type */
	uint16_t iface;
	uint32_t nbr;      /* ADJ_T_NEXTHOP: neighbour slot */
	uint32_t gw;       /* ADJ_T_NEXTHOP: gateway, host order */
	uint32_t refcnt;   /* routes using it (control only) */
};

extern struct adj adj_table[ADJ_MAX];

/*
 * A VRF's FIB is an rte_fib (DIR24_8: what workers look up; 4-byte
 * next hops = adjacency indexes) over its own rte_rib, which the
 * control plane reads for exact match and walks (`show ip route`) and
 * whose node extension holds struct route_rib_ext. Only fib.c changes
 * either (rte_fib_add/delete keep both in step).
 */
struct vrf {
	char name[VRF_NAME_LEN];
	uint32_t id;
	struct rte_fib *fib;
	struct rte_rib *rib;     /* rte_fib_get_rib(fib) */
	struct rte_rib *long24;  /* /24s holding a route longer than /24
				  * (nh = how many): where tbl8 groups
				  * are (fib.c) */
	uint32_t n_routes;       /* routes in the FIB ... */
	uint32_t max_routes;     /* ... and vrfs[].max_routes */
};

extern struct vrf vrf_table[VRF_MAX];

enum nbr_state {
	NBR_INCOMPLETE, /* no usable MAC: packets are punted and held */
	NBR_REACHABLE,  /* confirmed within arp_timeout */
	NBR_STALE,      /* usable, being probed */
};

/*
 * Neighbour slot = rte_hash key position. The word that workers read
 * packs the MAC (low 48 bits) and the state (bits 48-55), so one atomic
 * load gives a consistent pair.
 */
struct nbr {
	uint64_t mac_state;
	uint32_t ip;               /* host order */
	uint16_t iface;
	uint8_t is_static;
	uint8_t probes;            /* requests sent in this round */
	uint64_t updated_ms;       /* last confirmation */
	uint64_t probed_ms;        /* last request sent */
	uint32_t refcnt;           /* adjacencies and pins using it */
	uint32_t pins;             /* route_nbr_pin() count: probed unasked */
	uint8_t in_use;
	uint8_t n_hold;
	struct rte_mbuf *hold[ARP_HOLD_MAX];
};

extern struct nbr *nbr_table;
extern struct rte_hash *nbr_hash;
extern struct ip_conf route_ip_conf;

struct nbr_key {
	uint32_t ip;
	uint16_t iface;
	uint16_t pad;
};

#define NBR_MAC_MASK ((1ull << 48) - 1)

static inline uint64_t
nbr_word(const struct rte_ether_addr *mac, enum nbr_state st)
{
	uint64_t w = 0;

	memcpy(&w, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return w | (uint64_t)st << 48;
}

static inline enum nbr_state
nbr_word_state(uint64_t w)
{
	return (enum nbr_state)((w >> 48) & 0xff);
}

/** Most addresses one vrf_fib_lookup_bulk() call takes. */
#define VRF_FIB_BULK_MAX RTE_GRAPH_BURST_SIZE

/**
 * Adjacency indexes of @p n (at most VRF_FIB_BULK_MAX) addresses @p dst
 * (host order) in VRF @p v into @p nh; a miss gives ADJ_NO_ROUTE (or
 * the default route's). Any lcore, lock-free: rte_fib_lookup_bulk()
 * with the lookup function fib.c selected. A tbl8 entry that
 * rte_fib zeroed while this reader was in the group (ADJ_RETRY) is
 * looked up again: by then tbl24 holds the group's value.
 */
static inline void
vrf_fib_lookup_bulk(const struct vrf *v, uint32_t *dst, uint32_t *nh,
		    unsigned int n)
{
	uint64_t hop[VRF_FIB_BULK_MAX];
	unsigned int i;

	rte_fib_lookup_bulk(v->fib, dst, hop, (int)n);
	for (i = 0; i < n; i++) {
		if (unlikely(hop[i] == ADJ_RETRY)) {
			rte_fib_lookup_bulk(v->fib, &dst[i], &hop[i], 1);
			if (hop[i] == ADJ_RETRY)
				hop[i] = ADJ_NO_ROUTE;
		}
		nh[i] = (uint32_t)hop[i];
	}
}

/** Adjacency index for @p ip (host order) in VRF @p vrf; any lcore. */
static inline uint32_t
vrf_lookup(unsigned int vrf, uint32_t ip)
{
	uint32_t nh;

	vrf_fib_lookup_bulk(&vrf_table[vrf], &ip, &nh, 1);
	return nh;
}

/** Slot of (iface, ip) or NBR_NONE; lock-free, any lcore. */
static inline uint32_t
nbr_lookup(uint16_t iface, uint32_t ip)
{
	struct nbr_key key = { .ip = ip, .iface = iface };
	int pos = rte_hash_lookup(nbr_hash, &key);

	return pos < 0 ? NBR_NONE : (uint32_t)pos;
}

/* Control-plane internals (management lcore). */

/**
 * The checks the loader makes on one static route of VRF @p vrf (names
 * from the model): @return NULL if fine, else the reason, with the
 * offending field (".via", ".interface" or "") and its value in @p val.
 */
const char *route_conf_check(const struct cfg_array *ifs, const char *vrf,
			     const struct route_conf *rc, char *val,
			     size_t len, const char **field);
/** The loader's checks on one static neighbour; NULL if fine. */
const char *nbr_conf_check(const struct cfg_array *ifs,
			   const struct nbr_conf *nc, const char **field);
/** Remove a static neighbour (it is re-resolved if routes use it). */
int nbr_del_static(unsigned int iface, uint32_t ip);
/** Install a static route of the model in VRF index @p vrf. */
int route_static_install(unsigned int vrf, const struct route_conf *rc);
/** The entry of VRF @p name in the model copy @p m of a CLI edit (the
 *  default VRF is listed on demand); NULL with a reason in @p err. */
struct vrf_conf *vrf_conf_get(struct cfg_model *m, const char *name,
			      char *err, size_t len);
/** The model route_setup() was given (the CLI edits it). */
extern struct cfg_model *route_model;

/* Interfaces whose unserved local traffic goes to the control plane
 * (route_punt_set()): one byte each, read by workers. */
extern uint8_t route_punt_on[IFACE_MAX];

static inline bool
route_punt_iface(uint16_t iface)
{
	return iface < IFACE_MAX &&
	       __atomic_load_n(&route_punt_on[iface], __ATOMIC_RELAXED) != 0;
}

/* ferry_ip4_input's edge to the control plane (ip4_input_node.c). */
int ip4_input_punt_edge_add(const char *node_name);
/* ferry_ip6_local's edge to the control plane (ip6_local_node.c). */
int ip6_local_punt_edge_add(const char *node_name);

/* The ARP copy hook (route_arp_copy_register()), or NULL. */
extern void (*route_arp_copy)(struct rte_mbuf *m);
/* The ND copy hook (route_nd_copy_register()), or NULL. */
extern void (*route_nd_copy)(struct rte_mbuf *m);
/* Live operations of the config lists (route_static.c) and the route
 * element schema (route_config.c). */
extern const struct cfg_list_ops vrf_list_ops;
extern const struct cfg_list_ops route_list_ops;
extern const struct cfg_list_ops nbr_list_ops;
extern const struct cfg_schema route_conf_schema;
int vrf_create(const char *name, uint32_t id, uint32_t max_routes,
	       uint32_t tbl8);
void vrf_free_all(void);
void adj_init_fixed(void);
int nbr_table_create(uint32_t max, struct rte_rcu_qsbr *rcu);
void nbr_table_free(void);
/** Find or create (INCOMPLETE) the entry; @return slot or NBR_NONE. */
uint32_t nbr_get(uint16_t iface, uint32_t ip);
/** Set MAC and make it REACHABLE; releases held packets. */
void nbr_learn(uint32_t slot, const struct rte_ether_addr *mac,
	       uint64_t now_ms);
/** Queue a punted packet on its unresolved neighbour. */
void nbr_hold(uint32_t slot, struct rte_mbuf *m, uint64_t now_ms);
/** Age entries and retry requests. */
void nbr_timer(uint64_t now_ms);
/** Hand a complete frame ferry built (ARP, ND) to a worker to send out
 *  of @p ifc's port (its inject ring); counted as punt_full if full. */
void route_frame_inject(struct rte_mbuf *m, const struct iface *ifc);
/** Send an ARP request for neighbour @p slot. */
void arp_request_send(uint32_t slot);
/** Handle one punted ARP packet (data at the ARP header). */
void arp_control_input(struct rte_mbuf *m, uint64_t now_ms);

/** Give ferry_ip4_rewrite an edge to every port's tx node. */
int ip4_rewrite_edges_add(void);

/*
 * The fast path of plain IPv4 forwarding (ip4_fwd.c), run by
 * ferry_ip4_input on the packets its checks passed: lookup and rewrite
 * in one pass for the common case, everything else handed on to
 * ferry_ip4_lookup untouched, so that node and ferry_ip4_rewrite decide
 * exactly as before.
 */

/** Packets ferry_ip4_input forwards per pass (per-packet arrays on the
 *  stack; ip4_route_lookup() takes at most RTE_GRAPH_BURST_SIZE). */
#define IP4_FWD_CHUNK 64

/** Where ip4_fwd_chunk() sends packets: edges of ferry_ip4_input. */
struct ip4_fwd_edges {
	rte_edge_t lookup; /* the exceptions: ferry_ip4_lookup */
	rte_edge_t tx0;    /* port i's tx node is edge tx0 + i */
};

/**
 * Route and rewrite @p n (at most IP4_FWD_CHUNK) packets that passed
 * ferry_ip4_input's checks, data at the IPv4 header: a packet whose
 * route is a resolved gateway on an up interface within its MTU, with a
 * TTL above 1 and headroom for the L2 header, gets its TTL decremented,
 * its L2 header written and next[i] = tx0 + port; any other keeps its
 * bytes and gets next[i] = lookup. Worker lcore.
 * @return true if every next[i] is the same.
 */
bool ip4_fwd_chunk(void **objs, uint16_t n, rte_edge_t *next,
		   const struct ip4_fwd_edges *e);

/**
 * ip4_fwd_chunk() for packets that are all of VRF index @p vrf, whose
 * destinations (host order) the caller has read into @p dst while it
 * checked them: one bulk lookup, no second pass over the headers and
 * metadata. Worker lcore.
 */
bool ip4_fwd_chunk_vrf(void **objs, uint16_t n, uint16_t vrf, uint32_t *dst,
		       rte_edge_t *next, const struct ip4_fwd_edges *e);

/** ferry_ip4_lookup's VRF lookup (ip4_fib_lookup()) for other nodes:
 *  @p dst and @p nh get each packet's destination and adjacency. At most
 *  RTE_GRAPH_BURST_SIZE packets. Worker lcore. */
void ip4_route_lookup(void **objs, uint16_t cnt, uint32_t *dst,
		      uint32_t *nh);

/* Whether a graph's copy of ferry_ip4_lookup, or the copy of
 * ferry_ip4_rewrite after it, runs another process function than its
 * own (a trace or capture hook watches it): then ferry_ip4_input sends
 * every packet through them. */
bool ip4_lookup_node_wrapped(struct rte_node *copy);
bool ip4_rewrite_node_wrapped(const struct rte_node *copy);

/** Give ferry_ip4_input its edges to every port's tx node. */
int ip4_input_tx_edges_add(void);
/** Add an edge from ferry_ip4_lookup to @p node; RTE_EDGE_ID_INVALID
 *  on failure. */
rte_edge_t ip4_lookup_edge_add(const char *node);
/** Text of an adjacency: "via 10.0.0.2 dev a", "connected dev a"... */
void adj_format(const struct adj *a, char *buf, size_t len);
/** Text of an ADJ_T_EXT adjacency from its type's formatter, for
 *  `show ip route`. */
void adj_ext_format(const struct adj *a, char *buf, size_t len);

/*
 * What the control plane keeps in each rte_rib node beside the next
 * hop (rte_rib_conf.ext_sz): the route's source and, while a configured
 * route hides it, FRR's route for the same prefix (route_src.c).
 */
struct route_rib_ext {
	uint32_t tag;        /* FRR: generation that last sent it */
	uint32_t frr_nh;     /* the hidden route's adjacency: FRR's, or
			      * the static one's (static_hidden) */
	uint8_t src;         /* enum route_source of the installed route */
	uint8_t frr_hidden;  /* frr_nh holds a hidden route: FRR's (tag
			      * its generation), or with static_hidden a
			      * static route FRR's installed one beats
			      * (route_frr_preferred_set()) */
	uint8_t static_hidden;
};

static inline struct route_rib_ext *
rib_ext(struct rte_rib_node *n)
{
	return (struct route_rib_ext *)rte_rib_get_ext(n);
}

/* fib.c internals that route_src.c builds on. */
bool prefix_valid(unsigned int vrf, uint32_t prefix, uint8_t len);
int64_t route_current_adj(const struct vrf *v, uint32_t prefix, uint8_t len);
int route_set_adj(struct vrf *v, uint32_t prefix, uint8_t len, int adj,
		  int64_t old);
int route_adj_get(enum adj_type type, uint16_t iface, uint32_t gw);
/** The ADJ_T_EXT adjacency of external type @p ext_type with
 *  @p value (made if new), or -errno. */
int route_ext_adj_get(unsigned int ext_type, uint32_t value);
int route_remove(struct vrf *v, uint32_t prefix, uint8_t len);

/* route_src.c: install/remove with sources (route_add/route_del/ext). */
int route_install(struct vrf *v, uint32_t prefix, uint8_t len, int adj);
int route_uninstall(struct vrf *v, uint32_t prefix, uint8_t len);
/** The ADJ_T_NHG adjacency of a group of @p n (1..ROUTE_PATHS_MAX)
 *  paths, made or shared (one path too: route_nho.c), or -errno. */
int route_paths_nhg(const struct route_path *paths, unsigned int n);
/** FRR's route through adjacency @p adj (route_nho.c), as
 *  route_frr_add() installs one. */
int route_frr_install_adj(unsigned int vrf, uint32_t prefix, uint8_t len,
			  int adj, uint32_t tag);
/** Forget every next-hop object (route_teardown). */
void route_nho_reset(void);
/** Whether prefix/len of VRF @p vrf is installed by a non-FRR source. */
bool route_configured_has(unsigned int vrf, uint32_t prefix, uint8_t len);

/*
 * ECMP next-hop groups (nhg.c). A group is immutable once an adjacency
 * points at it: a change makes (or finds) another group and the FIB
 * entry is swapped in one store; a group no route uses is reused only
 * after an RCU grace period of the workers (graph_rcu()).
 */
#define NHG_MAX 8192
#define NHG_BUCKETS 64 /* weighted slots: a path's share of flows */

struct nhg {
	uint8_t n_paths;
	uint8_t n_buckets;
	/* slot -> path; each path at least one slot: up to 64 + 16 */
	uint8_t bucket[NHG_BUCKETS + ROUTE_PATHS_MAX];
	uint32_t adj[ROUTE_PATHS_MAX]; /* ADJ_T_NEXTHOP/GLEAN per path, or
					* ADJ_T_EXT (FRR's labelled paths) */
};

extern struct nhg nhg_table[NHG_MAX];

/** Adjacency for the group of @p n paths (made if new), or -errno.
 *  One path makes a group too (an FRR next-hop object's). */
int nhg_adj_get(const uint32_t *adj, const uint8_t *weight, unsigned int n);
/** Free the groups and their index (route_teardown). */
void nhg_free_all(void);
/** Text of a group: "via a dev x, via b dev y". */
void nhg_format(uint32_t idx, char *buf, size_t len);

/* Input features of one input node (ferry_ip4_input, ferry_ip6_input):
 * the nodes registered and the edges they got. */
struct input_features {
	char names[ROUTE_INPUT_FEATURE_MAX][RTE_NODE_NAMESIZE];
	rte_edge_t edges[ROUTE_INPUT_FEATURE_MAX];
	unsigned int n;
};

/**
 * The edge of node @p from to feature @p node_name, added if new
 * (@p fresh set then). @return the edge (<= UINT8_MAX), or -EINVAL /
 * -ENOSPC. Management lcore, before graph_build().
 */
int input_feature_add(struct input_features *f, rte_node_t from,
		      const char *node_name, bool *fresh);

#endif /* FERRY_ROUTE_PRIV_H */
