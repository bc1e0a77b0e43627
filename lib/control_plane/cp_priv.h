/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals shared by the files of lib/control_plane. */
#ifndef FERRY_CP_PRIV_H
#define FERRY_CP_PRIV_H

#include <stdbool.h>

#include <rte_common.h>
#include <rte_log.h>
#include <rte_ring.h>

#include "control_plane.h"
#include "graph.h"
#include "ip6_hdr.h"

/* ICMPv6 messages the kernel may not send by the port (RFC 4861 4):
 * ferry alone speaks ND for its addresses and sends no RAs. */
#define CP_ND_RS 133
#define CP_ND_RA 134
#define CP_ND_NA 136
#define CP_ND_REDIRECT 137

#define CP_PUNT_NODE "ferry_cp_punt"
/** Punt ring between workers and the management lcore (packets). */
#define CP_RING_SIZE 2048

extern int cp_logtype;
#define CP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, cp_logtype, "control-plane: " fmt "\n", \
		##__VA_ARGS__)

/** A representor: one TAP, owned by the management lcore. */
struct cp_rep {
	struct cp_rep_conf conf;  /**< as recorded, name filled in */
	char netns[CP_NETNS_LEN]; /**< where it is ("" = ferry's) */
	unsigned int iface;
	int fd;                   /**< the TAP; closing it removes it */
	int ifindex;              /**< in its namespace */
	bool carrier;
	uint16_t mtu;
	uint64_t to_tap;          /**< frames written to the TAP */
	uint64_t arp_copied;      /**< of which ARP copies */
	uint64_t from_tap;        /**< frames read and sent on */
	uint64_t from_tap_routed; /**< of which routed by the FIB */
	uint64_t tap_drops;       /**< read but not sent (cp_tap_frame) */
};

/** Representors by interface index (NULL = none). */
extern struct cp_rep *cp_reps[IFACE_MAX];

/** A worker's CoPP state and counters: written by that worker only. */
struct cp_worker {
	struct copp_bucket bucket[COPP_MAX];
	uint64_t passed[COPP_MAX];
	uint64_t policed[COPP_MAX];
	uint64_t queue_full;
} __rte_cache_aligned;

extern struct cp_worker cp_workers[GRAPH_WORKER_MAX];
extern struct rte_ring *cp_ring;
/** The model cp_setup() was given (the CLI's changes go there). */
extern struct cfg_model *cp_model;

/** The element schema of control_plane.representors (key: interface). */
extern const struct cfg_schema cp_rep_schema;
/** Live operations of a representor row (cp.c). */
extern const struct cfg_list_ops cp_rep_ops;

/* cp_config.c: the checks of one row, shared by the loader and the CLI. */

/** The namespace a row's TAP goes to: its own, its VRF's, or "". */
const char *cp_rep_netns(const struct cfg_model *m,
			 const struct cp_rep_conf *rc);
/**
 * Why row @p rc (element @p self of the representors, or their count
 * for a new one) cannot be: NULL if it can. @p field names the key.
 */
const char *cp_rep_check(const struct cfg_model *m,
			 const struct cp_rep_conf *rc, unsigned int self,
			 const char **field);

/** The value of @p field of row @p rc as an error shows it (the TAP
 *  name as derived when the row gives none). */
const char *cp_rep_value(const struct cp_rep_conf *rc, const char *field,
			 char *buf, size_t len);

/* tap.c: the TAP and netlink (libmnl), in a namespace. */

/**
 * Make TAP @p name in namespace @p netns ("" = ours), deleting a leftover
 * TAP of that name first; IPv6 on it (no DAD, RS or RAs) if @p ip6, else
 * off. @return the fd (non-blocking), or -errno with a reason in @p err.
 */
int tap_open(const char *netns, const char *name, bool ip6, int *ifindex,
	     char *err, size_t len);
/** Set MAC, MTU, up, and the addresses of interface @p ifc (IPv4 if
 *  it has one, its global IPv6 address if IPv6 is on). */
int tap_configure(const char *netns, int ifindex, const struct iface *ifc,
		  char *err, size_t len);
/** Set the MTU of a TAP. @return 0 or -errno. */
int tap_mtu_set(const char *netns, int ifindex, uint16_t mtu);
/** Set the carrier of a TAP (its fd). @return 0 or -errno. */
int tap_carrier_set(int fd, bool on);
/** True if a link named @p name exists in @p netns. */
bool tap_exists(const char *netns, const char *name);

/* cp_stats.c */
/** Packets class @p k passed and policed, summed over the workers. */
void cp_copp_sum(enum copp_class k, uint64_t *passed, uint64_t *policed);
/** Register the "copp" counter source (lib/stats). @return 0 or -errno. */
int cp_stats_setup(void);

/* cp.c */
/** The ARP copy hook given to lib/route. */
void cp_arp_copy(struct rte_mbuf *m);
/** The ND copy hook given to lib/route (advertisements, IPv6). */
void cp_nd_copy(struct rte_mbuf *m);

#endif /* FERRY_CP_PRIV_H */
