/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tables of lib/vxlan shared by its nodes (readers, any worker) and its
 * control code (the only writer, on the management lcore).
 *
 *   VNI map    rte_hash vni -> (kind, index), lock-free readers.
 *   MAC table  rte_hash (bridge domain, MAC) -> location word, lock-free
 *              readers; "last seen" seconds in a side array by key
 *              position, refreshed by workers with plain stores.
 *   Bridge domains, tunnels, tunnel routes: arrays of pointers to
 *              immutable entries; replaced by pointer swap, the old entry
 *              freed after an RCU grace period (graph_rcu()).
 */
#ifndef FERRY_VXLAN_PRIV_H
#define FERRY_VXLAN_PRIV_H

#include <stdbool.h>
#include <string.h>

#include <rte_graph.h>
#include <rte_hash.h>
#include <rte_log.h>
#include <rte_ring.h>

#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "route.h"
#include "vxlan.h"
#include "vxlan_hdr.h"
#include "ferry_log.h"

extern int vxlan_logtype;
#define VXLAN_LOG(level, fmt, ...) \
	FERRY_LOG(vxlan_logtype, vxlan, level, fmt, ##__VA_ARGS__)

#define VXLAN_TUN_MAX 4096    /* tunnels (remote VTEP, VNI); 0 unused */
#define VXLAN_ROUTE_MAX 4096  /* tunnel routes; 0 unused */
#define VXLAN_LEARN_RING 4096 /* learn events waiting for the manager */

/* What a VNI means. */
enum vxlan_vni_kind {
	VXLAN_VNI_BD = 1, /* index = bridge domain id */
	VXLAN_VNI_L3 = 2, /* index = VRF index */
};

/* Location word of a MAC entry: kind << 32 | index. */
enum vxlan_loc_kind {
	VXLAN_LOC_IFACE = 1,  /* local member interface index */
	VXLAN_LOC_TUNNEL = 2, /* tunnel index */
};
#define VXLAN_LOC(kind, idx) ((uint64_t)(kind) << 32 | (uint32_t)(idx))
#define VXLAN_LOC_KIND(w) ((uint32_t)((w) >> 32) & 0xff)
#define VXLAN_LOC_IDX(w) ((uint32_t)(w))
#define VXLAN_LOC_STATIC (1ull << 40) /* configured, never aged */

/* MAC table key: 8 bytes, so rte_hash compares and hashes one word
 * (aligned for that load). */
struct vxlan_mac_key {
	uint8_t mac[6];
	uint16_t bd;
} __rte_aligned(8);

/*
 * A tunnel: where frames for one remote VTEP and VNI go. Immutable. An
 * IPv4 tunnel's next hop is pinned (ARP without traffic); an IPv6
 * tunnel's packets go through ferry_ip6_lookup, whose FIB and ND pick
 * and resolve the next hop per packet (iface is only what the FIB said
 * at the last refresh, for the MTU check of routed packets and show).
 */
struct vxlan_tunnel {
	uint32_t remote;   /* IPv4 remote VTEP, host order; 0: IPv6 */
	uint32_t vni;
	uint16_t iface;    /* underlay egress interface */
	uint16_t bd;       /* bridge domain (0: an L3 tunnel) */
	uint32_t nbr;      /* pinned next-hop slot; ROUTE_NBR_NONE: no route */
	uint32_t via;      /* next hop (control) */
	uint8_t remote6[16]; /* IPv6 remote VTEP (remote == 0) */
	uint8_t via6[16];    /* IPv6: next hop at the last refresh; :: =
			      * no route (control, show) */
};

/* A bridge domain as workers read it. Immutable while published. */
struct vxlan_bd {
	uint32_t vni;
	uint16_t id;
	uint16_t n_members;
	uint16_t n_flood;
	uint16_t members[VXLAN_BD_MEMBERS_MAX]; /* interface indexes */
	uint32_t flood[VXLAN_FLOOD_MAX];        /* tunnel indexes */
};

/* A tunnel route's data (pkt_md.nbr of ferry_vxlan_route). */
struct vxlan_route {
	uint32_t tunnel;
	struct rte_ether_addr inner_dst;
};

/* Global settings the encap node reads. */
struct vxlan_params {
	uint32_t local;      /* local VTEP, host order */
	uint8_t local6[16];  /* local IPv6 VTEP; :: = none */
	uint16_t udp_port;
	uint8_t ttl, ttl_copy;
	uint8_t tos, tos_copy;
};

/* A learn event from a worker: (bd, mac) seen at loc. 32 bytes. */
struct vxlan_learn {
	uint8_t mac[6];
	uint16_t bd;
	uint32_t kind;   /* enum vxlan_loc_kind */
	uint32_t value;  /* interface index, or IPv4 remote VTEP (host
			  * order), 0 for an IPv6 one */
	uint8_t remote6[16]; /* IPv6 remote VTEP (TUNNEL, value 0) */
};

/* Everything the nodes read. */
struct vxlan_dp {
	struct rte_hash *vni;
	struct rte_hash *mac;
	uint32_t *mac_seen;          /* [VXLAN_MACS_MAX] second last seen */
	struct rte_ring *learn;      /* workers -> management lcore */
	struct vxlan_bd *bd[VXLAN_BD_MAX];
	struct vxlan_tunnel *tun[VXLAN_TUN_MAX];
	struct vxlan_route *route[VXLAN_ROUTE_MAX];
	struct vxlan_params p;
	uint32_t now_s;              /* seconds, set by the manager */
	uint32_t vni_gen;            /* bumped after each VNI map change */
	uint64_t learn_lost;         /* events the ring had no room for */
	uint64_t copy_failed;        /* flood copies without an mbuf */
};

extern struct vxlan_dp vxlan_dp;

/* Per-worker counters of tunnels (by index) and bridge domains (by id);
 * vxlan_stats.c shows them. */
enum vxlan_ctr {
	VXLAN_CTR_PKTS,
	VXLAN_CTR_BYTES,
	VXLAN_CTR_DROPS,
	VXLAN_CTR_MAX
};
extern struct stats_ctr vxlan_tun_ctr;
extern struct stats_ctr vxlan_bd_ctr;
int vxlan_stats_setup(void);
void vxlan_stats_teardown(void);

/* Fast path helpers (any worker). */

static inline void
vxlan_mac_key_set(struct vxlan_mac_key *k, uint16_t bd, const uint8_t *mac)
{
	memcpy(k->mac, mac, sizeof(k->mac));
	k->bd = bd;
}

/** Location word of (bd, mac), or 0 if unknown. */
static inline uint64_t
vxlan_mac_find(uint16_t bd, const struct rte_ether_addr *mac)
{
	struct vxlan_mac_key k;
	void *data;

	vxlan_mac_key_set(&k, bd, mac->addr_bytes);
	if (rte_hash_lookup_data(vxlan_dp.mac, &k, &data) < 0)
		return 0;
	return (uint64_t)(uintptr_t)data;
}

/* Whether tunnel @p t goes to remote VTEP (@p value, @p remote6): an
 * IPv4 address, or 0 and an IPv6 one. */
static inline bool
vxlan_tunnel_is(const struct vxlan_tunnel *t, uint32_t value,
		const uint8_t *remote6)
{
	if (t->remote != value)
		return false;
	return value != 0 || memcmp(t->remote6, remote6, 16) == 0;
}

/* Whether IPv6 tunnel @p t had a route at the last refresh. */
static inline bool
vxlan_tunnel_routed6(const struct vxlan_tunnel *t)
{
	static const uint8_t zero[16];

	return memcmp(t->via6, zero, sizeof(zero)) != 0;
}

/* Whether tunnel @p t has an underlay path: a pinned IPv4 next hop,
 * or an IPv6 route at the last refresh. */
static inline bool
vxlan_tunnel_usable(const struct vxlan_tunnel *t)
{
	return t->remote != 0 ? t->nbr != ROUTE_NBR_NONE :
				vxlan_tunnel_routed6(t);
}

/* Bytes tunnel @p t adds to an inner IP packet, inner Ethernet
 * included (RFC 7348 4.3: 50 over IPv4; 70 over IPv6). */
static inline uint32_t
vxlan_tunnel_overhead(const struct vxlan_tunnel *t)
{
	return t->remote != 0 ? VXLAN_OVERHEAD : VXLAN_OVERHEAD6;
}

/* Whether location word @p w is (kind, value, remote6) of a learn
 * event. */
static inline bool
vxlan_loc_is(uint64_t w, uint32_t kind, uint32_t value,
	     const uint8_t *remote6)
{
	const struct vxlan_tunnel *t;

	if (VXLAN_LOC_KIND(w) != kind)
		return false;
	if (kind == VXLAN_LOC_IFACE)
		return VXLAN_LOC_IDX(w) == value;
	t = __atomic_load_n(&vxlan_dp.tun[VXLAN_LOC_IDX(w)], __ATOMIC_ACQUIRE);
	return t != NULL && vxlan_tunnel_is(t, value, remote6);
}

/**
 * Learning on the fast path: (bd, mac) was seen at (kind, value), or
 * behind IPv6 remote VTEP @p remote6 (kind TUNNEL, value 0; NULL
 * otherwise). A known entry there gets its last-seen second refreshed
 * (a plain store, only when it changes, so workers rarely write a
 * shared line); a new or moved MAC is queued for the manager. Static
 * entries are left alone.
 */
static inline void
vxlan_learn_seen_at(uint16_t bd, const struct rte_ether_addr *mac,
		    uint32_t kind, uint32_t value, const uint8_t *remote6)
{
	struct vxlan_learn ev;
	struct vxlan_mac_key k;
	uint32_t now = __atomic_load_n(&vxlan_dp.now_s, __ATOMIC_RELAXED);
	void *data;
	uint64_t w;
	int pos;

	vxlan_mac_key_set(&k, bd, mac->addr_bytes);
	pos = rte_hash_lookup_data(vxlan_dp.mac, &k, &data);
	if (pos >= 0) {
		w = (uint64_t)(uintptr_t)data;
		if (w & VXLAN_LOC_STATIC)
			return;
		if (likely(vxlan_loc_is(w, kind, value, remote6))) {
			if (vxlan_dp.mac_seen[pos] != now)
				__atomic_store_n(&vxlan_dp.mac_seen[pos], now,
						 __ATOMIC_RELAXED);
			return;
		}
	}
	memcpy(ev.mac, mac->addr_bytes, sizeof(ev.mac));
	ev.bd = bd;
	ev.kind = kind;
	ev.value = value;
	if (remote6 != NULL)
		memcpy(ev.remote6, remote6, sizeof(ev.remote6));
	else
		memset(ev.remote6, 0, sizeof(ev.remote6));
	if (rte_ring_mp_enqueue_elem(vxlan_dp.learn, &ev, sizeof(ev)) != 0)
		__atomic_fetch_add(&vxlan_dp.learn_lost, 1, __ATOMIC_RELAXED);
}

/** vxlan_learn_seen_at() for an interface or an IPv4 remote VTEP. */
static inline void
vxlan_learn_seen(uint16_t bd, const struct rte_ether_addr *mac,
		 uint32_t kind, uint32_t value)
{
	vxlan_learn_seen_at(bd, mac, kind, value, NULL);
}

/* Control plane (management lcore). */

extern struct cfg_model *vxlan_model;
extern int vxlan_ext_type;

int vxlan_tables_create(void);
void vxlan_tables_free(void);
/** Wait until no worker can hold what was unpublished before. */
void vxlan_sync(void);
/** Delete @p key from lock-free hash @p h; its slot is reused after a
 *  grace period (at once when there are no workers). */
void vxlan_hash_del(struct rte_hash *h, const void *key);

/** Tunnel index of (remote, vni) with one more user (made and its next
 *  hop pinned if new); 0 if none is left. */
uint32_t vxlan_tunnel_ref(uint32_t remote, uint32_t vni, uint16_t bd);
/** vxlan_tunnel_ref() for IPv6 remote VTEP @p remote6 (16 bytes). */
uint32_t vxlan_tunnel_ref6(const uint8_t *remote6, uint32_t vni, uint16_t bd);
/** vxlan_tunnel_ref() for remote VTEP @p remote if not 0, else for
 *  IPv6 remote VTEP @p remote6: the two fields of a config row. */
uint32_t vxlan_tunnel_ref_either(uint32_t remote, const uint8_t *remote6,
				 uint32_t vni, uint16_t bd);
/** vxlan_tunnel_ref() for an address as text (a flood list entry). */
uint32_t vxlan_tunnel_ref_text(const char *ip, uint32_t vni, uint16_t bd);
/** A tunnel's remote VTEP as text. */
const char *vxlan_tunnel_remote_format(const struct vxlan_tunnel *t,
				       char *buf, size_t len);
void vxlan_tunnel_unref(uint32_t idx);
/** Users of tunnel @p idx (show). */
uint32_t vxlan_tunnel_refs(uint32_t idx);
/** VRF index tunnels are resolved in; -1 before setup. */
extern int vxlan_underlay_vrf;
/** Resolve every tunnel's next hop again (routes may have changed). */
void vxlan_tunnels_refresh(void);

/** Publish bridge domain @p bc (members, flood list, static MACs). */
int vxlan_bd_install(const struct vxlan_bd_conf *bc);
/* vxlan_bd_install() without its static MACs (rows of their own). */
int vxlan_bd_install_bare(const struct vxlan_bd_conf *bc);
/* A bridge domain's flood list from @p bc, swapped in under RCU. */
int vxlan_bd_rebuild(const struct vxlan_bd_conf *bc);
void vxlan_bd_uninstall(uint32_t id);
/** Install static MAC @p mc in published bridge domain @p bd. */
int vxlan_static_mac_install(uint32_t bd, const struct vxlan_mac_conf *mc);
/** The put and drop of the L3 VNI and tunnel route lists (cfg_list_ops):
 *  @p row is the list's row (struct vxlan_l3vni_conf, vxlan_route_conf,
 *  vxlan_route6_conf); put @return 0 or -errno. */
int vxlan_l3vni_install(const void *row);
void vxlan_l3vni_uninstall(const void *row);
int vxlan_route_install(const void *row);
void vxlan_route_uninstall(const void *row);
int vxlan_route6_install(const void *row);
void vxlan_route6_uninstall(const void *row);
/** Rebuild the published entry of bridge domain @p id from its config
 *  (flood list changed). @return 0 or -errno (nothing changed). */
int vxlan_bd_refresh(uint32_t id);

/* MAC table (mac_table.c). */
int vxlan_mac_set(uint16_t bd, const uint8_t mac[6], uint64_t loc);
int vxlan_mac_del(uint16_t bd, const uint8_t mac[6]);
/** Delete the entries of @p bd (0 = all) that match; @return count. */
unsigned int vxlan_mac_flush(uint16_t bd, bool learned_only);
/** Apply one learn event: new, moved, or full. */
void vxlan_mac_learn(const struct vxlan_learn *ev);
/** Delete entries older than their bridge domain's aging. */
void vxlan_mac_age(uint32_t now_s);
/** Per bridge domain: entries, learned, full drops, moves. */
struct vxlan_mac_stats {
	uint32_t entries;
	uint32_t learned;    /* of entries, not static */
	uint64_t full;       /* learn refused: mac_limit reached */
	uint64_t moves;
};
extern struct vxlan_mac_stats vxlan_mac_stats[VXLAN_BD_MAX];

/** The config of bridge domain @p id in the model, or NULL. */
struct vxlan_bd_conf *vxlan_bd_conf_find(uint32_t id);
const struct vxlan_conf *vxlan_conf(void);
/** Whether @p vc has a local IPv6 VTEP address (vxlan.local6). */
bool vxlan_has_local6(const struct vxlan_conf *vc);

/** Add the edges to every port's tx node of the nodes that transmit. */
int vxlan_node_edges_add(void);
rte_node_t vxlan_decap_node_id(void);
rte_node_t vxlan_decap6_node_id(void);
rte_node_t vxlan_bridge_node_id(void);

/* Element schemas of the vxlan lists (vxlan_config.c), for the CLI's
 * row finds (cfg_array_find). */
extern const struct cfg_schema vxlan_bd_schema;
extern const struct cfg_schema vxlan_mac_schema;
extern const struct cfg_schema vxlan_route_schema;
extern const struct cfg_schema vxlan_route6_schema;

/* Live operations of the vxlan lists (vxlan_rows.c). */
extern const struct cfg_list_ops vxlan_group_ops;
extern const struct cfg_list_ops vxlan_bd_ops;
extern const struct cfg_list_ops vxlan_mac_ops;
extern const struct cfg_list_ops vxlan_l3vni_ops;
extern const struct cfg_list_ops vxlan_route_ops;
extern const struct cfg_list_ops vxlan_route6_ops;

#endif /* FERRY_VXLAN_PRIV_H */
