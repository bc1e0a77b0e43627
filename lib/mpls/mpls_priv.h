/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tables of lib/mpls shared by its nodes (which read them) and its
 * control code (which alone writes them, on the management lcore). The
 * words workers read are published with one atomic store; entries they
 * may still hold are reused only after an RCU grace period (pool.c).
 */
#ifndef FERRY_MPLS_PRIV_H
#define FERRY_MPLS_PRIV_H

#include <rte_log.h>
#include <rte_rcu_qsbr.h>

#include "graph.h"
#include "iface.h"
#include "label.h"
#include "mpls.h"
#include "route.h"
#include "ferry_log.h"

extern int mpls_logtype;
#define MPLS_LOG(level, fmt, ...) \
	FERRY_LOG(mpls_logtype, mpls, level, fmt, ##__VA_ARGS__)

#define MPLS_LFIB_SIZE (MPLS_LABEL_MAX + 1)
#define MPLS_NHLFE_MAX 65536  /* LFIB entries + LSPs, index 0 unused */
#define MPLS_LSP_MAX 4096     /* remote PEs, id 0 unused */
#define MPLS_IMP_MAX 65536    /* (remote PE, VPN label) pairs, 0 unused */
#define MPLS_OUT_MAX 4u       /* labels an NHLFE writes */

/** What an NHLFE does. */
enum mpls_op {
	MPLS_OP_NONE,
	MPLS_OP_SWAP,       /* write out[] over the top label, send */
	MPLS_OP_POP_FWD,    /* pop, send the rest (PHP) */
	MPLS_OP_POP,        /* pop, go on with the label below */
	MPLS_OP_POP_LOOKUP, /* pop the bottom label, IPv4 lookup in vrf */
	MPLS_OP_PUSH,       /* an LSP: push out[] over the VPN label */
};

/*
 * Next hop label forwarding entry (RFC 3031 3.10): what an incoming
 * label (LFIB) or an LSP leads to. Immutable while published.
 */
struct mpls_nhlfe {
	uint8_t op;                 /* enum mpls_op */
	uint8_t n_out;              /* labels in out[] */
	uint16_t iface;             /* egress interface (SWAP, POP_FWD, PUSH) */
	uint16_t vrf;               /* POP_LOOKUP: VRF index */
	uint16_t pad;
	uint32_t nbr;               /* pinned neighbour slot of via */
	uint32_t out[MPLS_OUT_MAX]; /* label << 12, outermost first */
	uint32_t via;               /* next hop, host order (control) */
};

/* A VPN route's imposition: the VPN label below the LSP to its PE. */
struct mpls_imp {
	uint32_t lse;  /* VPN label << 12 | S */
	uint32_t lsp;  /* LSP id */
};

/* MPLS settings of a VRF, by VRF index, as workers read them. */
struct mpls_vrf_dp {
	uint8_t ttl_mode;   /* enum mpls_ttl_mode */
	uint8_t tc_copy;    /* DSCP from the TC of the VPN label on pop */
	uint16_t src_iface; /* ICMP errors about disposed packets come from
			     * here (an addressed interface of the VRF) */
};

/* Everything the nodes read. */
struct mpls_dp {
	uint32_t *lfib;              /* label -> NHLFE index, 0 = none */
	struct mpls_nhlfe *nhlfe;    /* [MPLS_NHLFE_MAX] */
	uint32_t *lsp;               /* LSP id -> NHLFE index, 0 = down */
	struct mpls_imp *imp;        /* [MPLS_IMP_MAX] */
	uint8_t max_labels;
	uint8_t tc_of_dscp[MPLS_DSCP_MAX + 1];
	uint8_t if_enabled[IFACE_MAX];
	struct mpls_vrf_dp vrf[VRF_MAX];
};

extern struct mpls_dp mpls_dp;

/* Per-LSP counters (stats_ctr.h), by LSP id, written by ferry_mpls_push:
 * packets and bytes sent into the LSP (labels included), packets that
 * could not be (no LSP, MTU). Shown as "lsp PE ..." (lsp.c). */
enum mpls_lsp_ctr {
	MPLS_LSP_CTR_PKTS,
	MPLS_LSP_CTR_BYTES,
	MPLS_LSP_CTR_DROPS,
	MPLS_LSP_CTR_MAX
};
extern struct stats_ctr mpls_lsp_ctr;

/* Index pools whose freed indexes wait for an RCU grace period. */
struct mpls_pool {
	uint32_t *free;        /* stack of free indexes */
	uint32_t n_free;
	uint32_t size;         /* indexes 1..size-1 */
	struct rte_rcu_qsbr_dq *dq;
	void (*release)(uint32_t idx); /* when an index really goes */
};

int mpls_pool_init(struct mpls_pool *p, const char *name, uint32_t size,
		   void (*release)(uint32_t idx));
/** A free index, or 0 when none is left. */
uint32_t mpls_pool_get(struct mpls_pool *p);
/** Give back an index workers may still read: reused after a grace
 *  period (at once without workers). */
void mpls_pool_put(struct mpls_pool *p, uint32_t idx);
void mpls_pool_fini(struct mpls_pool *p);

/* Control plane (management lcore). */

/** The model mpls_setup() was given (the CLI edits it). */
extern struct cfg_model *mpls_model;
/** External route types of ferry_mpls_push and ferry_mpls_push6 in
 *  lib/route (IPv4 and IPv6 FIBs). */
extern int mpls_ext_type;
extern int mpls_ext6_type;

int mpls_tables_create(void);
void mpls_tables_free(void);

/**
 * Publish a new NHLFE built from @p spec (its next hop pinned) in table
 * word @p w (of the LFIB or the LSP map); the NHLFE it replaces is
 * reused after a grace period. @return 0, -EINVAL or -ENOSPC.
 */
int mpls_nhlfe_set(uint32_t *w, const struct mpls_nhlfe *spec);
/** Unpublish word @p w the same way. */
void mpls_nhlfe_clear(uint32_t *w);

/**
 * Publish NHLFE @p spec (op, n_out, out, iface, via, vrf) for label
 * @p label, replacing what was there. @return 0 or -errno.
 */
int mpls_lfib_set(uint32_t label, const struct mpls_nhlfe *spec);
/** Remove label @p label. @return 0 or -ENOENT. */
int mpls_lfib_unset(uint32_t label);
/** The NHLFE of @p label, or NULL (control reads). */
const struct mpls_nhlfe *mpls_lfib_get(uint32_t label);

int mpls_lsp_tables_create(void);
void mpls_lsp_tables_free(void);
/** The LSP id of @p pe (made if new) with one more user; 0 if none is
 *  left. */
uint32_t mpls_lsp_ref(uint32_t pe);
/** One user less of LSP id @p id. */
void mpls_lsp_unref(uint32_t id);
/**
 * The LSP of a labelled route from zebra: @p spec (op PUSH: transport
 * labels, interface, next hop), shared by the routes with the same, made
 * if new, with one more user; it goes with its last user (unref).
 * It has no PE. @return its id, or 0 (no id or NHLFE left).
 */
uint32_t mpls_lsp_frr_ref(const struct mpls_nhlfe *spec);
/** Add or replace the LSP to @p pe (op PUSH). @return 0 or -errno. */
int mpls_lsp_set(uint32_t pe, const struct mpls_nhlfe *spec);
int mpls_lsp_unset(uint32_t pe);
/** The NHLFE of the LSP to @p pe, or NULL if it has none. */
const struct mpls_nhlfe *mpls_lsp_get(uint32_t pe);
/** Remote PE of LSP id @p id, 0 if unused. */
uint32_t mpls_lsp_pe(uint32_t id);

int mpls_vpn_tables_create(void);
void mpls_vpn_tables_free(void);
/** Install VPN route prefix/len of VRF index @p vrf via @p pe with
 *  VPN label @p label. @return 0 or -errno (-EEXIST: another route). */
int mpls_vpn_route_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		       uint32_t pe, uint32_t label);
int mpls_vpn_route_unset(unsigned int vrf, uint32_t prefix, uint8_t len,
			 uint32_t pe, uint32_t label);
/** The same for IPv6 route @p prefix/@p len (6VPE, 6PE). */
int mpls_vpn_route6_set(unsigned int vrf, const uint8_t *prefix, uint8_t len,
			uint32_t pe, uint32_t label);
int mpls_vpn_route6_unset(unsigned int vrf, const uint8_t *prefix,
			  uint8_t len, uint32_t pe, uint32_t label);
/** Release of an FRR labelled route's imposition (lib/route calls it
 *  when the route leaves: route_frr_ext_release_set()). */
void mpls_imp_unref(uint32_t id);
/** "pe 10.255.0.2 label 100" for imposition @p id (show ip route). */
void mpls_imp_format(uint32_t id, char *buf, size_t len);

/** Apply @p vc's TTL/TC settings to VRF index @p vrf (or defaults when
 *  @p vc is NULL). */
void mpls_vrf_dp_set(unsigned int vrf, const struct mpls_vrf_conf *vc);

/** NHLFE spec of an LFIB row / LSP row of the model (checked). */
void mpls_lfib_spec(const struct mpls_lfib_conf *fc, struct mpls_nhlfe *nh);
void mpls_lsp_spec(const struct mpls_lsp_conf *lc, struct mpls_nhlfe *nh);
/** Install one row of the model: the loader's and the CLI's path. */
int mpls_lfib_install(const struct mpls_lfib_conf *fc);
int mpls_lsp_install(const struct mpls_lsp_conf *lc);
int mpls_vpn_route_install(const struct mpls_vpn_route_conf *rc);
int mpls_vpn_route6_install(const struct mpls_vpn_route6_conf *rc);
/** The put and drop of mpls_vrf_ops: @p row is a struct mpls_vrf_conf;
 *  put @return 0 or -errno. */
int mpls_vrf_install(const void *row);
void mpls_vrf_uninstall(const void *row);

/*
 * The loader's checks of one row, shared with the CLI: NULL if fine,
 * else the reason, with the offending field (".via", "" ...) in
 * @p field and its value, quoted as the file writes it, in @p val.
 */
const char *mpls_lsp_check(const struct cfg_model *m,
			   const struct mpls_lsp_conf *lc, const char **field,
			   char *val, size_t len);
const char *mpls_lfib_check(const struct cfg_model *m,
			    const struct mpls_lfib_conf *fc,
			    const char **field, char *val, size_t len);
const char *mpls_vpn_route_check(const struct cfg_model *m,
				 const struct mpls_vpn_route_conf *rc,
				 const char **field, char *val, size_t len);
const char *mpls_vpn_route6_check(const struct cfg_model *m,
				  const struct mpls_vpn_route6_conf *rc,
				  const char **field, char *val, size_t len);
const char *mpls_vrf_check(const struct cfg_model *m,
			   const struct mpls_vrf_conf *vc, const char **field,
			   char *val, size_t len);
/** VRF (name) other than @p self with local label @p label, or NULL. */
const char *mpls_vrf_label_user(const struct cfg_model *m, uint32_t label,
				const struct mpls_vrf_conf *self);
/** Label @p label is an lfib row's or a VRF's (other than @p self). */
bool mpls_label_in_use(const struct cfg_model *m, uint32_t label,
		       const struct mpls_vrf_conf *self);
/** NULL if @p rd is a route distinguisher (RFC 4364 4.2), else why. */
const char *mpls_rd_check(const char *rd);
/* mpls_config.c: keyed element schemas (cfg_array_find). */
extern const struct cfg_schema mpls_vrf_schema, mpls_vpn_route_schema,
	mpls_vpn_route6_schema, mpls_lsp_schema, mpls_lfib_schema;
/* mpls_edit.c: how many VPN routes (IPv4 and IPv6) of @p mc go to PE
 * @p pe. */
unsigned int mpls_vpn_routes_to(const struct mpls_conf *mc, uint32_t pe);
/* Model helpers shared by the checks. */
int mpls_iface_conf_find(const struct cfg_array *ifs, const char *name);
bool mpls_conf_iface_enabled(const struct mpls_conf *mc, const char *name);
void mpls_quote_ipv4(uint32_t addr, char *val, size_t len);
void mpls_quote_prefix(const struct cfg_ipv4_prefix *p, char *val,
		       size_t len);

/** ferry_mpls_output's edges to every port; called once ports exist. */
int mpls_output_edges_add(void);

/* The section's single-byte values (TC map, enabled interfaces,
 * max_labels), each set with one store (mpls.c). */
void mpls_params_apply(const struct mpls_conf *mc);

/* Live operations of the mpls lists (mpls_rows.c). */
extern const struct cfg_list_ops mpls_group_ops;
extern const struct cfg_list_ops mpls_vrf_ops;
extern const struct cfg_list_ops mpls_lsp_ops;
extern const struct cfg_list_ops mpls_vpn_route_ops;
extern const struct cfg_list_ops mpls_vpn_route6_ops;
extern const struct cfg_list_ops mpls_lfib_ops;

#endif /* FERRY_MPLS_PRIV_H */
