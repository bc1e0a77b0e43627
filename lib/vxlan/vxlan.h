/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN VTEP (RFC 7348): MAC-in-UDP overlays joining local L2 segments
 * (bridge domains) and VRFs (L3 VNIs) to a data-centre fabric.
 *
 * Owns the config section "vxlan", the CLI commands `show vxlan ...`,
 * `show bridge-domain`, `show mac-table`, `clear mac-table` and
 * `vxlan ...`, and five graph nodes:
 *   ferry_vxlan_decap   UDP to the local VTEP port (route_local_register):
 *                       checks the header, VNI -> bridge domain (learn
 *                       the inner source MAC against the remote VTEP,
 *                       forward or flood to local members) or L3 VNI
 *                       (inner IPv4 to ferry_ip4_input in its VRF);
 *   ferry_vxlan_decap6  the same over an IPv6 underlay
 *                       (route6_local_udp_register), UDP checksum
 *                       mandatory (RFC 8200 8.1);
 *   ferry_vxlan_bridge  whole frames of member interfaces (from
 *                       ferry_eth_input, iface_l2_register): learn the
 *                       source MAC against the interface, forward, or
 *                       flood to the other members and replicate to
 *                       every VTEP of the flood list (head-end);
 *   ferry_vxlan_route   VRF routes whose next hop is a tunnel (an
 *                       external route of lib/route): inner Ethernet;
 *   ferry_vxlan_encap   outer Ethernet/IPv4/UDP/VXLAN toward the
 *                       tunnel's underlay next hop, MTU, transmit; to
 *                       an IPv6 VTEP outer IPv6/UDP/VXLAN, then
 *                       ferry_ip6_lookup (FIB and ND) in the underlay.
 *
 * Tables and who touches them (the management lcore writes, workers
 * read lock-free; see vxlan_priv.h for each):
 *   - VNI map and MAC table: rte_hash with lock-free readers
 *     (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF) and one writer, the
 *     management lcore; deleted entries reused after an RCU grace
 *     period. Workers do not write the MAC table: a new or moved MAC is
 *     queued (rte_ring, multi-producer) to the management lcore, which
 *     learns it in vxlan_control_poll(). One writer keeps rte_hash
 *     lock-free (its multi-writer mode takes a lock) and keeps limits,
 *     counters and tunnel references exact; the price is that a new MAC
 *     is flooded until the management lcore has learned it (<= 1 ms).
 *     Workers refresh an entry's "last seen" second with a plain store.
 *   - Bridge domains and tunnels: published as whole entries; a change
 *     builds a new one, swaps the pointer and frees the old one after a
 *     grace period.
 */
#ifndef FERRY_VXLAN_H
#define FERRY_VXLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "module.h"
#include "iface.h"

#define VXLAN_PORT 4789          /* IANA (RFC 7348 5) */
#define VXLAN_VNI_MAX 0xffffffu  /* 24 bits */
#define VXLAN_BD_MAX 256         /* bridge domain ids 1..255 */
#define VXLAN_BD_MEMBERS_MAX 32  /* local interfaces of a bridge domain */
#define VXLAN_FLOOD_MAX 64       /* remote VTEPs of a flood list */
#define VXLAN_MACS_MAX 65536     /* MAC entries of all bridge domains */
#define VXLAN_IP_LEN 46          /* an IPv4 or IPv6 address (INET6_ADDRSTRLEN) */

/** How the outer DSCP or TTL is chosen. */
enum vxlan_copy {
	VXLAN_SET,  /**< the configured value */
	VXLAN_COPY, /**< from the inner IPv4 header (else the value) */
};

/** A static MAC of a bridge domain: behind an interface or a VTEP. */
struct vxlan_mac_conf {
	uint8_t mac[6];
	char interface[IFACE_NAME_LEN]; /**< local member, or "" */
	uint32_t remote;                /**< remote VTEP, or 0 */
	uint8_t remote6[16];            /**< IPv6 remote VTEP, or :: */
};

/** One element of vxlan.bridge_domains. */
struct vxlan_bd_conf {
	uint32_t id;                    /**< 1..255 */
	uint32_t vni;
	struct cfg_array interfaces;    /**< char[IFACE_NAME_LEN] */
	struct cfg_array flood;         /**< char[VXLAN_IP_LEN]: remote VTEPs */
	struct cfg_array static_macs;   /**< struct vxlan_mac_conf */
	uint32_t mac_limit;             /**< learned MACs at most */
	uint32_t aging;                 /**< s; 0 = never */
};

/** One element of vxlan.l3_vnis: decapsulated IPv4 looked up in a VRF. */
struct vxlan_l3vni_conf {
	uint32_t vni;
	char vrf[VRF_NAME_LEN];
};

/** One element of vxlan.tunnel_routes: a VRF route over a tunnel. */
struct vxlan_route_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv4_prefix prefix;
	uint32_t remote;                /**< remote VTEP (or remote6) */
	uint32_t vni;
	uint8_t inner_mac[6];           /**< inner destination MAC */
	uint8_t remote6[16];            /**< IPv6 remote VTEP, or :: */
};

/** One element of vxlan.tunnel_routes6: an IPv6 VRF route over a tunnel
 * (IPv6 inside an L3 VNI, over either underlay). */
struct vxlan_route6_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv6_prefix prefix;
	uint32_t remote;                /**< remote VTEP (or remote6) */
	uint32_t vni;
	uint8_t inner_mac[6];           /**< inner destination MAC */
	uint8_t remote6[16];            /**< IPv6 remote VTEP, or :: */
};

/** The "vxlan" section. */
struct vxlan_conf {
	uint32_t local;                 /**< local VTEP address; 0 = off */
	uint8_t local6[16];             /**< local IPv6 VTEP address; :: = off */
	char underlay_vrf[VRF_NAME_LEN];
	uint16_t udp_port;
	uint8_t ttl;
	int ttl_mode;                   /**< enum vxlan_copy */
	uint8_t dscp;
	int dscp_mode;                  /**< enum vxlan_copy */
	struct cfg_array bridge_domains; /**< struct vxlan_bd_conf */
	struct cfg_array l3_vnis;       /**< struct vxlan_l3vni_conf */
	struct cfg_array tunnel_routes; /**< struct vxlan_route_conf */
	struct cfg_array tunnel_routes6; /**< struct vxlan_route6_conf */
};

extern const struct cfg_section vxlan_cfg_section; /* "vxlan" */

/**
 * Build the VXLAN tables from the model: VNI map, bridge domains and
 * their member interfaces, flood lists, static MACs, L3 VNIs and tunnel
 * routes; register the decap node for the UDP port and the bridge node
 * for member interfaces. Ports, interfaces and routing (route_setup)
 * must exist, the worker graphs not yet. Management lcore.
 * @return 0 or -errno (logged).
 */
int vxlan_setup(struct cfg_model *model);

/** Free what vxlan_setup() made (workers stopped). Safe to call twice. */
void vxlan_teardown(void);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module vxlan_module;

/** Register the CLI commands (no EAL needed). @return 0 or -errno. */
int vxlan_cli_register(void);

/**
 * Management-lcore work: learn the MACs workers queued, age the MAC
 * tables (once a second), re-resolve tunnel next hops.
 * @param now_ms monotonic milliseconds
 */
void vxlan_control_poll(uint64_t now_ms);

/*
 * Operator changes (the CLI). Each checks as the loader would, applies
 * through the same functions, then records the change in the model
 * vxlan_setup() was given. On error nothing changes and @p err says why.
 */
int vxlan_bd_add(const struct vxlan_bd_conf *bc, char *err, size_t len);
int vxlan_bd_del(uint32_t id, char *err, size_t len);
int vxlan_flood_add(uint32_t bd, uint32_t remote, char *err, size_t len);
int vxlan_flood_del(uint32_t bd, uint32_t remote, char *err, size_t len);
int vxlan_static_mac_add(uint32_t bd, const struct vxlan_mac_conf *mc,
			 char *err, size_t len);
int vxlan_static_mac_del(uint32_t bd, const uint8_t mac[6], char *err,
			 size_t len);
int vxlan_route_add(const struct vxlan_route_conf *rc, char *err,
		    size_t len);
int vxlan_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		    char *err, size_t len);
/** Forget the learned MACs of bridge domain @p bd (0 = all). */
int vxlan_mac_clear(uint32_t bd, char *err, size_t len);

#endif /* FERRY_VXLAN_H */
