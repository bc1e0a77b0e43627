/* SPDX-License-Identifier: BSD-3-Clause */
/* State of the FPM server shared by its files (management lcore only). */
#ifndef FERRY_FPM_PRIV_H
#define FERRY_FPM_PRIV_H

#include <rte_log.h>

#include "ferry_log.h"
#include "fpm.h"
#include "fpm_parse.h"

extern int fpm_logtype;
#define FPM_LOG(level, fmt, ...) \
	FERRY_LOG(fpm_logtype, fpm, level, fmt, ##__VA_ARGS__)

/* Counters of `show fpm`, besides the input errors (FOREACH_FPM_ERR). */
#define FOREACH_FPM_CTR(_)                                               \
	_(CONNECTS, "connections")      /* sessions accepted */          \
	_(DISCONNECTS, "disconnects")   /* sessions ended (any cause) */ \
	_(FRAMES, "frames")             /* frames applied */             \
	_(MESSAGES, "messages")         /* netlink messages applied */   \
	_(ADDED, "routes_added")        /* RTM_NEWROUTE installed */     \
	_(DELETED, "routes_deleted")    /* RTM_DELROUTE removed */       \
	_(DEL_MISSING, "delete_missing") /* RTM_DELROUTE of no route */  \
	_(SWEPT, "routes_swept")        /* stale after resync/grace */   \
	_(UNKNOWN_TABLE, "unknown_table") /* table no VRF maps */        \
	_(NO_PATH, "unresolved_nexthop") /* gateway on no subnet */      \
	_(PATHS_DROPPED, "paths_dropped") /* beyond 16 per route */      \
	_(UNSUPPORTED, "unsupported")   /* families, types, encaps */    \
	_(INSTALL_FAILED, "install_failed") /* FIB full, ... */          \
	_(LABEL_CONFLICT, "label_conflict") /* LFIB label the config has */ \
	_(FRAME_TIMEOUT, "frame_timeout") /* a frame took too long */ \
	_(NH_ADDED, "nexthops_added")   /* RTM_NEWNEXTHOP kept */       \
	_(NH_DELETED, "nexthops_deleted") /* RTM_DELNEXTHOP removed */  \
	_(UNKNOWN_NH, "unknown_nexthop_id") /* RTA_NH_ID zebra did not send */

enum fpm_ctr {
#define _FPM_CTR_ENUM(e, n) FPM_CTR_##e,
	FOREACH_FPM_CTR(_FPM_CTR_ENUM)
#undef _FPM_CTR_ENUM
	FPM_CTR_MAX
};

enum fpm_state {
	FPM_IDLE,     /* no session has ever come, or grace ran out */
	FPM_SYNCING,  /* connected, the table is being resent */
	FPM_SYNCED,   /* connected, stale routes swept */
	FPM_GRACE,    /* disconnected, FRR routes kept until grace_end */
};

struct fpm {
	struct fpm_conf conf;
	int listen_fd;
	int fd;                 /* the session, or -1 */
	enum fpm_state state;
	uint32_t gen;           /* session generation: the routes' tag */
	bool sweeping;          /* sweep of routes not tagged gen running */
	uint64_t last_msg_ms;   /* last frame of the session; 0 = none yet */
	uint64_t connect_ms;    /* when the session came */
	uint64_t partial_ms;    /* since when a frame is incomplete; 0 = none */
	uint64_t grace_end_ms;
	uint64_t ctr[FPM_CTR_MAX];
	uint64_t err[FPM_ERR_MAX];
	enum fpm_err last_err;
	char peer[24];
	uint8_t *rx;            /* received bytes not applied yet */
	size_t rx_len;
	uint32_t *frame;        /* one frame, 4-byte aligned for netlink */
	uint8_t *labels;        /* bitmap: LFIB labels FRR installed */
	uint32_t *label_gen;    /* per label: the session that last sent it
				 * (mark and sweep of FRR's LFIB entries) */
	/* VRF of each kernel table zebra uses */
	unsigned int n_tables;
	struct { uint32_t table; uint16_t vrf; } tables[256];
	uint32_t logged_tables[16]; /* unknown tables already logged */
	unsigned int n_logged;
};

extern struct fpm fpm;

/**
 * Check then apply one frame's payload (@p len bytes at fpm.frame): no
 * message is applied unless all decoded. @return FPM_ERR_OK or the
 * error that refuses it.
 */
enum fpm_err fpm_frame_apply(size_t len);

/**
 * The ferry VRF of zebra's VRF device @p ifindex (its IFLA_VRF_TABLE
 * in fpm.netns, mapped by vrfs[].table), or -1 if it is none.
 */
int fpm_vrf_dev_vrf(uint32_t ifindex);

/** Remove FRR's LFIB entries zebra did not send in session fpm.gen.
 *  @return how many. */
unsigned int fpm_lfib_sweep(void);

/** The VRF of kernel table @p table, or -1 (counted, logged once). */
int fpm_table_vrf(uint32_t table);

/** Interface of VRF @p vrf whose subnet holds @p gw, or -1. */
int fpm_gw_iface(unsigned int vrf, uint32_t gw);
/** The same in the default VRF first, then in any VRF. */
int fpm_gw_iface_any(uint32_t gw);

/*
 * zebra's next-hop objects (fpm_nh.c): RTM_NEWNEXTHOP/RTM_DELNEXTHOP
 * into a table keyed by id, routes with RTA_NH_ID through it.
 */
int fpm_nh_init(void);
void fpm_nh_free(void);
/** Apply one RTM_NEWNEXTHOP / RTM_DELNEXTHOP. */
void fpm_nh_apply(const struct fpm_route *r);
/**
 * Install IPv4 route @p r (RTA_NH_ID) of VRF @p vrf through its object:
 * @return 0 when installed as the object's route, -ENOENT for an object
 * zebra did not send (counted, logged once), -EIO on an install error,
 * or 1 with @p expanded = @p r with the object's paths, for the caller
 * to install as paths (labels, IPv6, a blackhole, unreachable).
 */
int fpm_nh_route(unsigned int vrf, const struct fpm_route *r,
		 struct fpm_route *expanded);
/** IPv6 route @p r (RTA_NH_ID): @p expanded gets it with its object's
 *  paths (taken now: an IPv6 route does not follow a later change of
 *  the object). @return 0 or -ENOENT (counted, logged once). */
int fpm_nh_route6(const struct fpm_route *r, struct fpm_route *expanded);
/** Remove objects not sent in session fpm.gen that no route uses. */
unsigned int fpm_nh_sweep(void);
/** Objects held. */
unsigned int fpm_nh_count(void);

#endif /* FERRY_FPM_PRIV_H */
