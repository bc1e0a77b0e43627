/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPsec ESP tunnel gateway (RFC 4301/4303): SAD, SPD, the ESP encrypt
 * and decrypt nodes, lifetimes, NAT-T (RFC 3948), the "ipsec" config
 * section and the `show ipsec ...` / `ipsec ...` CLI.
 *
 * ESP mechanics (header, padding, sequence numbers, anti-replay window,
 * ESN) come from DPDK's librte_ipsec; the crypto from the engine behind
 * drivers/crypto/crypto_engine.h, used synchronously on the worker.
 * See doc/ipsec.md for the choice and its figures.
 *
 * Packet paths:
 *   outbound: a VRF route installed by ipsec.routes (route_add_ext) hands
 *     the packet to ferry_esp_encrypt with the SA in pkt_md.nbr; the
 *     outbound SPD (ordered, first match) may pick another SA or discard;
 *     the packet is encrypted in tunnel mode (IPv4 outer, optionally in
 *     UDP 4500, or IPv6 outer) and routed again in the SA's underlay
 *     VRF. IPv6 routes (ipsec.routes6, route6_add_ext) lead there too,
 *     into SAs whose inner is ipv6.
 *   inbound: ESP (IP protocol 50) and UDP 4500 addressed to ferry reach
 *     ferry_esp_decrypt (route_local_register; over IPv6, next header
 *     50 after the extension headers: route6_local_register); SAD by
 *     (SPI, dst) ->
 *     decrypt + ICV + anti-replay -> inbound SPD check of the inner
 *     packet -> lookup in the SA's inner VRF.
 *
 * Tables and who may touch them:
 *   - SAs: created, changed and freed by the management lcore only.
 *     Workers find them through an array of pointers (outbound: the
 *     route's value is the slot) and a lock-free rte_hash keyed by
 *     (SPI, tunnel destination) for inbound. A deleted SA is unpublished
 *     first and freed after an RCU grace period (graph_rcu()).
 *   - SA counters, sequence numbers and the replay window are shared by
 *     every worker that carries the SA: librte_ipsec with
 *     RTE_IPSEC_SAFLAG_SQN_ATOM makes outbound sequence numbers unique
 *     across lcores (atomic add) and keeps the inbound window consistent
 *     (copy-on-write window with a reader/writer sequence), and ferry's
 *     own counters and lifetime grants are atomics.
 *   - SPD: an immutable table per direction, replaced as a whole (one
 *     atomic pointer store) and the old one freed after a grace period.
 */
#ifndef FERRY_IPSEC_H
#define FERRY_IPSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "iface.h"

#define IPSEC_SA_MAX 16384 /* IKE: 8,192 tunnels of an SA pair */
#define IPSEC_SPD_MAX 256
#define IPSEC_ROUTE_MAX 1024
#define IPSEC_IF_ID_MAX 1024
#define IPSEC_KEY_HEX_LEN 73 /* 36 bytes of key+salt or 64 of HMAC, hex */
#define IPSEC_AUTH_HEX_LEN 129
#define IPSEC_ALG_LEN 24
#define IPSEC_PORTS_LEN 16   /* "lo-hi" */

enum ipsec_dir { IPSEC_DIR_IN, IPSEC_DIR_OUT };
enum ipsec_dscp_mode { IPSEC_DSCP_COPY, IPSEC_DSCP_SET };
enum ipsec_df_mode { IPSEC_DF_COPY, IPSEC_DF_SET, IPSEC_DF_CLEAR };
enum ipsec_action { IPSEC_PROTECT, IPSEC_BYPASS, IPSEC_DISCARD };
/** What an SA carries: the ESP next header of its packets (RFC 4303
 * 2.6: 4 or 41). librte_ipsec fixes it per SA. */
enum ipsec_inner { IPSEC_INNER_IPV4, IPSEC_INNER_IPV6 };

/** Soft and hard lifetimes of an SA (RFC 4301 4.4.2.1); 0 = none. */
struct ipsec_lifetime_conf {
	uint64_t soft_packets, hard_packets;
	uint64_t soft_bytes, hard_bytes;       /**< bytes of inner packets */
	uint64_t soft_seconds, hard_seconds;   /**< since the SA was added */
};

/** One element of ipsec.sas. */
struct ipsec_sa_conf {
	uint32_t spi;
	int direction;              /**< enum ipsec_dir */
	int mode;                   /**< tunnel only (so far) */
	uint32_t local, remote;     /**< IPv4 tunnel end points, host order
				     *   (0 with IPv6 end points) */
	uint8_t local6[16];         /**< IPv6 tunnel end points, network */
	uint8_t remote6[16];        /**< order (:: with IPv4 end points) */
	int inner;                  /**< enum ipsec_inner */
	char underlay_vrf[VRF_NAME_LEN];
	char inner_vrf[VRF_NAME_LEN];
	char algorithm[IPSEC_ALG_LEN];
	char key[IPSEC_KEY_HEX_LEN];       /**< cipher/AEAD key, hex */
	char salt[9];                      /**< AEAD salt (4 bytes), hex */
	char auth_key[IPSEC_AUTH_HEX_LEN]; /**< HMAC key, hex */
	uint32_t replay_window;     /**< inbound: packets, 64..4096; 0 = off */
	bool esn;                   /**< RFC 4304 extended sequence numbers */
	int dscp;                   /**< enum ipsec_dscp_mode (outbound) */
	uint32_t dscp_value;        /**< DSCP when dscp = "set" */
	int df;                     /**< enum ipsec_df_mode (outbound) */
	uint32_t ttl;               /**< outer TTL */
	bool nat_t;                 /**< ESP in UDP (RFC 3948) */
	uint32_t nat_t_sport, nat_t_dport;
	struct ipsec_lifetime_conf lifetime;
	uint64_t seq_start;         /**< outbound: first number sent (0 = 1) */
};

/** One element of ipsec.routes: send a prefix of a VRF to an SA. */
struct ipsec_route_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv4_prefix prefix;
	uint32_t sa;                /**< SPI of an outbound SA */
};

/** One element of ipsec.routes6: an IPv6 prefix of a VRF into an SA
 * whose inner is ipv6. */
struct ipsec_route6_conf {
	char vrf[VRF_NAME_LEN];
	struct cfg_ipv6_prefix prefix;
	uint32_t sa;                /**< SPI of an outbound SA */
};

/** One element of ipsec.if_ids: charon's XFRM interface id (a
 * CHILD_SA's if_id_in / if_id_out) to the VRF its traffic lives in. */
struct ipsec_if_id_conf {
	uint32_t id;
	char vrf[VRF_NAME_LEN];     /**< inner VRF of its SAs and policies */
};

/** One element of ipsec.spd (order matters: first match wins). */
struct ipsec_spd_conf {
	int direction;              /**< enum ipsec_dir */
	struct cfg_ipv4_prefix src, dst;
	uint32_t proto;             /**< 0 = any */
	char sport[IPSEC_PORTS_LEN], dport[IPSEC_PORTS_LEN]; /**< "lo-hi" */
	int action;                 /**< enum ipsec_action */
	uint32_t sa;                /**< protect: SPI in the same direction */
};

/** One element of ipsec.spd6: the IPv6 SPD, with the selectors and
 * semantics of ipsec.spd (its own order; IPv6 packets meet only it). */
struct ipsec_spd6_conf {
	int direction;              /**< enum ipsec_dir */
	struct cfg_ipv6_prefix src, dst;
	uint32_t proto;             /**< upper-layer protocol; 0 = any */
	char sport[IPSEC_PORTS_LEN], dport[IPSEC_PORTS_LEN]; /**< "lo-hi" */
	int action;                 /**< enum ipsec_action */
	uint32_t sa;                /**< protect: SPI of an SA carrying IPv6 */
};

/** The "ipsec" section. */
struct ipsec_conf {
	struct cfg_array sas;       /**< struct ipsec_sa_conf */
	struct cfg_array routes;    /**< struct ipsec_route_conf */
	struct cfg_array routes6;   /**< struct ipsec_route6_conf */
	struct cfg_array spd;       /**< struct ipsec_spd_conf */
	struct cfg_array if_ids;    /**< struct ipsec_if_id_conf */
	struct cfg_array spd6;      /**< struct ipsec_spd6_conf */
	char ike_socket[108];       /**< Unix socket for charon's
				     *   kernel-ferry plugin; "" = none */
};

extern const struct cfg_section ipsec_cfg_section; /* "ipsec" */

/**
 * Start the crypto engine, create the SAs, SPD and routes of the model,
 * and hook the nodes into routing. Routing (route_setup) must be done;
 * the graphs not yet built. @return 0 or -errno.
 */
int ipsec_setup(struct cfg_model *model);

/** Register `show ipsec ...` and `ipsec ...` commands. No EAL needed. */
int ipsec_cli_register(void);

/** Free SAs, SPD and the engine. Workers must be stopped. */
void ipsec_teardown(void);

/**
 * Management lcore, each loop: expire SAs by age, log soft and hard
 * expiry found by workers (workers never log).
 * @param now_ms monotonic milliseconds (ignored: SA ages are kept on the
 *        EAL timer, which the SAs' creation times use too)
 */
void ipsec_control_poll(uint64_t now_ms);

/*
 * Operator changes (CLI), all-or-nothing, recorded in the model for
 * `show running-config`. On error nothing changed and @p err says why.
 */
int ipsec_sa_add(const struct ipsec_sa_conf *sc, char *err, size_t len);
int ipsec_sa_del(uint32_t spi, int direction, char *err, size_t len);
int ipsec_spd_add(const struct ipsec_spd_conf *rc, unsigned int pos,
		  char *err, size_t len);
int ipsec_spd_del(unsigned int idx, char *err, size_t len);
int ipsec_route_add(const struct ipsec_route_conf *rc, char *err,
		    size_t len);
int ipsec_route_del(const char *vrf, const struct cfg_ipv4_prefix *p,
		    char *err, size_t len);
int ipsec_spd6_add(const struct ipsec_spd6_conf *rc, unsigned int pos,
		   char *err, size_t len);
int ipsec_spd6_del(unsigned int idx, char *err, size_t len);
int ipsec_route6_add(const struct ipsec_route6_conf *rc, char *err,
		     size_t len);
int ipsec_route6_del(const char *vrf, const struct cfg_ipv6_prefix *p,
		     char *err, size_t len);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module ipsec_module;

#endif /* FERRY_IPSEC_H */
