/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interfaces: where L2 meets L3. An interface is a port, or a port plus
 * an 802.1Q VLAN (a subinterface), with an IPv4 address, an MTU and the
 * VRF it belongs to.
 *
 * Owns the "interfaces" config section, the interface table and the
 * "ferry_eth_input" node, which parses Ethernet/802.1Q, finds the
 * interface a frame arrived on, strips the L2 header and sends the
 * packet on by ethertype (ARP, IPv4, MPLS to lib/mpls; IPv6 and
 * multicast MPLS are recognised and dropped under their own reasons).
 *
 * Concurrency: the table is filled on the management lcore before the
 * workers start. Workers read it without locks. Changing it under
 * traffic (a later issue) must publish a new entry and free the old one
 * after an RCU grace period (lib/graph's graph_rcu()), never edit an
 * entry a worker may be reading.
 */
#ifndef FERRY_IFACE_H
#define FERRY_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "config.h"
#include "module.h"
#include "stats_ctr.h"

#define IFACE_NAME_LEN 32
#define IFACE_MAX 1024
#define IFACE_NONE 0xffff
#define VRF_NAME_LEN 32

/** One element of the "interfaces" section. */
struct iface_conf {
	char name[IFACE_NAME_LEN];
	char port[IFACE_NAME_LEN];
	uint16_t vlan;                  /**< 0 = untagged */
	struct cfg_ipv4_prefix address; /**< 0.0.0.0/0 = none */
	struct cfg_ipv6_prefix address6; /**< ::/0 = no IPv6 on it */
	char vrf[VRF_NAME_LEN];
	uint16_t mtu;                   /**< 0 = the port's */
	bool up;                        /**< administratively up */
};

extern const struct cfg_section iface_cfg_section; /* "interfaces" */

/** An interface as the data plane sees it. Index = config position. */
struct iface {
	char name[IFACE_NAME_LEN];
	uint16_t port_idx;       /**< lib/port index */
	uint16_t port_id;        /**< DPDK port id */
	uint16_t vlan;
	uint16_t vrf;            /**< VRF index, set by lib/route */
	uint16_t mtu;            /**< IP MTU */
	bool up;                 /**< false: drop in and out (iface_down) */
	uint8_t plen;            /**< address prefix length */
	uint32_t addr;           /**< host order; 0 = no address */
	struct rte_ether_addr mac;
	bool ip6;                /**< IPv6 on (address6 set): else its
				  *   IPv6 frames are ipv6_unsupported */
	uint8_t plen6;           /**< IPv6 address prefix length */
	uint8_t addr6[16];       /**< global IPv6 address, network order */
	uint8_t ll6[16];         /**< link-local fe80::/64 from the MAC */
	uint16_t l2_domain;      /**< 0: routed; else a bridge domain of the
				  *   library that called iface_l2_register():
				  *   whole frames go to its node */
};

/** Interface table (read-only for workers). */
extern struct iface iface_table[IFACE_MAX];

/*
 * Per-interface counters (`show interfaces`, `show counters` lines
 * "interface NAME ...", /ferry/interfaces, ferry_interface_*_total):
 * rx counts what eth_input mapped to the interface, tx what a node put
 * the interface's L2 header on (routed, labelled and encapsulated
 * packets), drops what eth_input refused on it (interface down, frame
 * for another host) and what could not leave by it (down, MTU).
 */
#define FOREACH_IFACE_CTR(_)              \
	_(RX_PKTS, "rx-packets")          \
	_(RX_BYTES, "rx-bytes")           \
	_(TX_PKTS, "tx-packets")          \
	_(TX_BYTES, "tx-bytes")           \
	_(DROPS, "drops")

enum iface_ctr {
#define _IFACE_CTR_ENUM(e, name) IFACE_CTR_##e,
	FOREACH_IFACE_CTR(_IFACE_CTR_ENUM)
#undef _IFACE_CTR_ENUM
	IFACE_CTR_MAX
};

/* iface_run counts packets and bytes side by side. */
_Static_assert(IFACE_CTR_RX_BYTES == IFACE_CTR_RX_PKTS + 1 &&
	       IFACE_CTR_TX_BYTES == IFACE_CTR_TX_PKTS + 1,
	       "bytes counters follow packets counters");

/** The interfaces' counters (per worker: stats_ctr.h). */
extern struct stats_ctr iface_ctr;

/** Worker: a packet of @p len bytes leaves by interface @p ifx. */
static inline void
iface_count_tx(uint16_t ifx, uint32_t len)
{
	uint64_t *c = stats_ctr_get(&iface_ctr, ifx);

	c[IFACE_CTR_TX_PKTS]++;
	c[IFACE_CTR_TX_BYTES] += len;
}

/** Worker: a packet that should have left by @p ifx was dropped. */
static inline void
iface_count_drop(uint16_t ifx)
{
	stats_ctr_get(&iface_ctr, ifx)[IFACE_CTR_DROPS]++;
}

/**
 * Packets and bytes of a run of packets through one interface, added to
 * the worker's counters once per run rather than per packet: a burst is
 * mostly one interface's. Start with { .ifx = IFACE_NONE }, call
 * iface_run_add() per packet and iface_run_flush() at the end.
 */
struct iface_run {
	uint16_t ifx;           /**< interface of the run; IFACE_NONE: none */
	enum iface_ctr pkts;    /**< IFACE_CTR_RX_PKTS or IFACE_CTR_TX_PKTS;
				 *   the bytes counter follows it */
	uint32_t n;
	uint64_t bytes;
};

/** Worker: add the run so far to the counters and start a new one. */
static inline void
iface_run_flush(struct iface_run *r)
{
	uint64_t *c;

	if (r->n == 0)
		return;
	c = stats_ctr_get(&iface_ctr, r->ifx);
	c[r->pkts] += r->n;
	c[r->pkts + 1] += r->bytes;
	r->n = 0;
	r->bytes = 0;
}

/** Worker: one packet of @p len bytes through interface @p ifx. */
static inline void
iface_run_add(struct iface_run *r, uint16_t ifx, uint32_t len)
{
	if (unlikely(ifx != r->ifx)) {
		iface_run_flush(r);
		r->ifx = ifx;
	}
	r->n++;
	r->bytes += len;
}

/** Counter @p c of interface @p idx over all workers (management). */
uint64_t iface_counter(unsigned int idx, enum iface_ctr c);

/**
 * Build the interface table from the model (ports must be set up).
 * VRF ids are bound afterwards by iface_set_vrf().
 */
int iface_setup(struct cfg_model *model);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module iface_module;

unsigned int iface_count(void);
const struct iface *iface_get(unsigned int idx);
/** Index by name, or -1. */
int iface_find(const char *name);
/** Bind interface @p idx to VRF index @p vrf. */
void iface_set_vrf(unsigned int idx, uint16_t vrf);

/**
 * Let a switching library (lib/vxlan's bridge domains) take whole frames
 * of interfaces that belong to one of its L2 domains: ferry_eth_input
 * hands every frame of an up interface whose l2_domain is not 0 to
 * @p node_name, L2 header kept (data at the Ethernet header), with
 * pkt_md.in_iface set, before the MAC filter. Call once, before
 * graph_build(), on the management lcore.
 * @return 0, -EEXIST (another node is registered) or -errno.
 */
int iface_l2_register(const char *node_name);

/**
 * Put interface @p idx in L2 domain @p domain (0 = back to routing).
 * One store workers may see at once. Management lcore.
 */
void iface_set_l2_domain(unsigned int idx, uint16_t domain);

/*
 * Operator changes (the CLI): the table entry is changed with single
 * stores workers may see at once, and the model iface_setup() was given
 * is updated so the running config shows it. On error nothing changes
 * and @p err says why.
 */

/** Set interface @p name administratively up or down. */
int iface_admin_set(const char *name, bool up, char *err, size_t len);
/** Set the IP MTU of interface @p name (68..its port's MTU; 0 = the
 *  port's). */
int iface_mtu_set(const char *name, uint32_t mtu, char *err, size_t len);

/**
 * Register `show interfaces`. VRFs belong to lib/route, which sits above
 * this library, so it passes the function that names a VRF index.
 */
int iface_cli_register(const char *(*vrf_name_of)(unsigned int idx));

/** The interface config list of a model. */
const struct cfg_array *iface_conf_list(const struct cfg_model *model);
/** The config of interface @p name in a model, or NULL. */
const struct iface_conf *iface_conf_find(const struct cfg_model *model,
					 const char *name);

/**
 * Write the L2 header ferry sends on interface @p ifc to @p dst, in front
 * of a packet of @p ethertype (big endian). @return bytes written
 * (14, or 18 with a VLAN tag).
 */
static inline uint16_t
iface_l2_write(const struct iface *ifc, struct rte_ether_hdr *eth,
	       const struct rte_ether_addr *dst, uint16_t ethertype)
{
	struct rte_vlan_hdr *vh;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	if (ifc->vlan == 0) {
		eth->ether_type = ethertype;
		return sizeof(*eth);
	}
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	vh = (struct rte_vlan_hdr *)(eth + 1);
	vh->vlan_tci = rte_cpu_to_be_16(ifc->vlan);
	vh->eth_proto = ethertype;
	return sizeof(*eth) + sizeof(*vh);
}

/** L2 header length on interface @p ifc. */
static inline uint16_t
iface_l2_len(const struct iface *ifc)
{
	return ifc->vlan == 0 ? RTE_ETHER_HDR_LEN :
			RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr);
}

#endif /* FERRY_IFACE_H */
