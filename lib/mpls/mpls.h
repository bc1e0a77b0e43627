/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPLS for an L3VPN PE (RFC 4364) and a P router: VRF routes over
 * two-label stacks, the LFIB (swap, pop, pop into a VRF), penultimate
 * hop popping, the uniform and pipe TTL models (RFC 3443) and TC from
 * DSCP.
 *
 * Owns the config section "mpls" and the CLI commands `show mpls ...`,
 * `show ip vpn-routes` and `mpls ...`, and three graph nodes:
 *   ferry_mpls_input  labeled frames from ferry_eth_input: the top label
 *                     in the LFIB -> swap, pop, pop into a VRF, drop;
 *   ferry_mpls_push   VRF routes to a remote PE (from ferry_ip4_lookup,
 *                     an external route type of lib/route): push the VPN
 *                     label and the LSP's transport labels;
 *   ferry_mpls_push6  the same for IPv6 routes (from ferry_ip6_lookup):
 *                     6VPE (RFC 4659) in a VRF, 6PE (RFC 4798) in the
 *                     default VRF, over the same IPv4 LSPs;
 *   ferry_mpls_output L2 header toward the next hop, MTU, transmit.
 *
 * Tables (all written by the management lcore only, read lock-free by
 * workers; see doc/architecture.md "Concurrency rule"):
 *   - the LFIB: one 32-bit word per label (2^20 labels, 4 MiB), the index
 *     of an NHLFE, stored with one atomic store;
 *   - NHLFEs (next hop label forwarding entries, RFC 3031 3.10), LSPs
 *     (one per remote PE) and VPN impositions (remote PE + VPN label):
 *     never edited while published; a change publishes a new entry and
 *     the old one is reused only after an RCU grace period (a defer
 *     queue on lib/graph's graph_rcu());
 *   - per-VRF settings, the TC map and the MPLS-enabled interfaces:
 *     single bytes, each written with one store.
 * Next hops are neighbour slots pinned in lib/route (route_nbr_pin), so
 * the management lcore resolves them by ARP without waiting for traffic.
 */
#ifndef FERRY_MPLS_H
#define FERRY_MPLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "module.h"
#include "iface.h"

#define MPLS_RD_LEN 32      /* "65000:100", "192.0.2.1:7" */
#define MPLS_STACK_LEN 64   /* a label stack as text, "16001/24005" */
#define MPLS_MAX_LABELS 8   /* highest mpls.max_labels */

/** How the local VPN labels of a VRF are allocated (RFC 4364 4.3.2). */
enum mpls_label_mode {
	MPLS_LABEL_PER_VRF,    /**< one label for every route of the VRF */
	MPLS_LABEL_PER_PREFIX, /**< one label per advertised prefix */
};

/** What an LFIB entry does with its incoming label. */
enum mpls_lfib_action {
	MPLS_LFIB_SWAP,       /**< swap to out_labels, send to the next hop */
	MPLS_LFIB_POP,        /**< pop; with a next hop send on (PHP),
			       *   without look at what is below */
	MPLS_LFIB_POP_LOOKUP, /**< pop, IPv4 lookup in a VRF */
};

/** A per-prefix local label of a VRF. */
struct mpls_prefix_label_conf {
	struct cfg_ipv4_prefix prefix;
	uint32_t label;
};

/** One element of mpls.vrfs: the MPLS side of a VRF. */
struct mpls_vrf_conf {
	char vrf[VRF_NAME_LEN];
	char rd[MPLS_RD_LEN];          /**< route distinguisher (display) */
	int label_mode;                /**< enum mpls_label_mode */
	uint32_t label;                /**< per-vrf: its local label */
	/** per-prefix: struct mpls_prefix_label_conf */
	struct cfg_array prefix_labels;
	int ttl_mode;                  /**< enum mpls_ttl_mode (label.h) */
	bool tc_copy_on_pop;           /**< DSCP from TC when disposed */
};

/** One element of mpls.vpn_routes, as MP-BGP would have learned it. */
struct mpls_vpn_route_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv4_prefix prefix;
	uint32_t pe;                   /**< remote PE address */
	uint32_t label;                /**< VPN label the remote PE gave */
};

/**
 * One element of mpls.vpn_routes6: an IPv6 route of a VRF (6VPE,
 * RFC 4659) or of the default VRF (6PE, RFC 4798) whose BGP next hop is
 * the IPv4 address of a remote PE (RFC 4659 3.2.1.1 carries it as
 * ::ffff:a.b.c.d), reached over the IPv4 LSP to it.
 */
struct mpls_vpn_route6_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv6_prefix prefix;
	uint32_t pe;                   /**< remote PE address (IPv4) */
	uint32_t label;                /**< VPN (6PE: IPv6) label it gave */
};

/** One element of mpls.lsps: how to reach a remote PE. */
struct mpls_lsp_conf {
	uint32_t pe;
	char interface[IFACE_NAME_LEN];
	uint32_t via;
	char labels[MPLS_STACK_LEN];   /**< "" or "implicit-null": none */
};

/** One element of mpls.lfib. */
struct mpls_lfib_conf {
	uint32_t label;
	int action;                    /**< enum mpls_lfib_action */
	char out_labels[MPLS_STACK_LEN];
	char interface[IFACE_NAME_LEN];
	uint32_t via;
	char vrf[VRF_NAME_LEN];
};

/** One element of mpls.tc_map. */
struct mpls_tc_conf {
	uint8_t dscp;
	uint8_t tc;
};

/** The "mpls" section. */
struct mpls_conf {
	uint32_t max_labels;
	struct cfg_array interfaces;   /**< char[IFACE_NAME_LEN] */
	struct cfg_array tc_map;       /**< struct mpls_tc_conf */
	struct cfg_array vrfs;         /**< struct mpls_vrf_conf */
	struct cfg_array lsps;         /**< struct mpls_lsp_conf */
	struct cfg_array vpn_routes;   /**< struct mpls_vpn_route_conf */
	struct cfg_array lfib;         /**< struct mpls_lfib_conf */
	struct cfg_array vpn_routes6;  /**< struct mpls_vpn_route6_conf */
};

extern const struct cfg_section mpls_cfg_section; /* "mpls" */

/**
 * Build the MPLS tables from the model and install VPN routes in their
 * VRFs. Ports, interfaces and routing (route_setup) must exist; the
 * worker graphs must not yet (this adds graph edges). Management lcore.
 * @return 0 or -errno (logged).
 */
int mpls_setup(struct cfg_model *model);

/** Free what mpls_setup() made (workers stopped). Safe to call twice. */
void mpls_teardown(void);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module mpls_module;

/**
 * Register the `show mpls ...`, `show ip vpn-routes` and `mpls ...`
 * commands. Needs no EAL (the doc generator calls it). Call after
 * route_cli_register(): the commands use its <vrf-name> and
 * <interface-name> types. @return 0 or -errno.
 */
int mpls_cli_register(void);

/*
 * Operator changes (the CLI). Each edits one row of a copy of the model
 * mpls_setup() was given and runs it through cfg_edit(), the change
 * transaction a reload runs: checked by the loader's checks, installed
 * by the rows' ops, recorded only when it ran, so `show running-config`
 * and `write` print what runs. On any error nothing changes and @p err
 * holds the reasons.
 */

/** Add the MPLS settings of a VRF (and its per-vrf label). */
int mpls_vrf_add(const struct mpls_vrf_conf *vc, char *err, size_t len);
/** Remove them; refused while VPN labels of it are in use. */
int mpls_vrf_del(const char *vrf, char *err, size_t len);
/** Add a per-prefix local label to a per-prefix VRF. */
int mpls_prefix_label_add(const char *vrf,
			  const struct mpls_prefix_label_conf *pl, char *err,
			  size_t len);
int mpls_prefix_label_del(const char *vrf,
			  const struct cfg_ipv4_prefix *prefix, char *err,
			  size_t len);
int mpls_vpn_route_add(const struct mpls_vpn_route_conf *rc, char *err,
		       size_t len);
int mpls_vpn_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		       char *err, size_t len);
int mpls_vpn_route6_add(const struct mpls_vpn_route6_conf *rc, char *err,
			size_t len);
int mpls_vpn_route6_del(const char *vrf, const struct cfg_ipv6_prefix *prefix,
			char *err, size_t len);
/** Add an LSP, or replace the LSP to the same PE. */
int mpls_lsp_add(const struct mpls_lsp_conf *lc, char *err, size_t len);
/** Delete an LSP; VPN routes through it drop as mpls_no_lsp. */
int mpls_lsp_del(uint32_t pe, char *err, size_t len);
/** Add an LFIB entry, or replace the one of the same label. */
int mpls_lfib_add(const struct mpls_lfib_conf *fc, char *err, size_t len);
int mpls_lfib_del(uint32_t label, char *err, size_t len);
/*
 * LFIB entries from a routing daemon (lib/fpm: zebra's AF_MPLS routes),
 * straight into the tables through the same mpls_lfib_set() the config
 * rows use, without the config model. Management lcore.
 */

/**
 * Swap incoming @p label to @p out (@p n labels, outermost first) and
 * send to @p via on interface @p iface; @p n = 0 pops and forwards
 * (penultimate hop popping). Replaces an entry of the same label.
 * @return 0, -EINVAL or -ENOSPC.
 */
int mpls_lfib_route_set(uint32_t label, const uint32_t *out, unsigned int n,
			unsigned int iface, uint32_t via);
/** Pop @p label and look the packet up in VRF index @p vrf. */
int mpls_lfib_route_pop_lookup(uint32_t label, unsigned int vrf);
/** Whether @p label has an LFIB entry. */
bool mpls_lfib_has(uint32_t label);
/** Delete the entry of @p label. @return 0 or -ENOENT. */
int mpls_lfib_route_unset(uint32_t label);

/**
 * A labelled IPv4 route from a routing daemon (lib/fpm: zebra's
 * RTA_ENCAP MPLS): @p prefix/@p len of VRF index @p vrf, pushing
 * @p labels (@p n, 1..5, outermost first) towards @p via on interface
 * @p iface, with source FRR and tag @p tag (lib/route's
 * route_frr_add_ext(): shown by `show ip route`, deleted with
 * route_frr_del(), swept with route_frr_sweep()). Through the same LSP
 * and imposition tables as the config's LSP and VPN route rows; the
 * bottom label is the imposition's, the others an LSP's. Management
 * lcore. @return 0, -EINVAL (labels, next hop, no MPLS) or -ENOSPC.
 */
int mpls_frr_route_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		       const uint32_t *labels, unsigned int n,
		       unsigned int iface, uint32_t via, uint32_t tag);

/** One labelled path of an FRR route (mpls_frr_route_set_paths()). */
struct mpls_frr_path {
	const uint32_t *labels; /**< outermost first; the last the bottom */
	uint8_t n_labels;       /**< 1..5 */
	uint16_t iface;         /**< interface of @p via */
	uint32_t via;           /**< next hop, host order */
	uint8_t weight;         /**< share of flows (1..255) */
};

/**
 * The same as mpls_frr_route_set() for @p n (1..16) paths, each with its
 * own stack: an ECMP group whose paths push their own labels, a flow
 * always on one path (the flow hash of lib/route's groups, nhg.h).
 * @return 0, -EINVAL or -ENOSPC (nothing installed then).
 */
int mpls_frr_route_set_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
			     const struct mpls_frr_path *paths, unsigned int n,
			     uint32_t tag);

/** Accept (or no longer accept) labeled packets on an interface. */
int mpls_iface_set(const char *iface, bool enable, char *err, size_t len);

#endif /* FERRY_MPLS_H */
