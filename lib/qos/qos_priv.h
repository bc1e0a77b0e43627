/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by lib/qos's config, CLI, set-up and nodes. */
#ifndef FERRY_QOS_PRIV_H
#define FERRY_QOS_PRIV_H

#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_red.h>
#include <rte_ring.h>

#include "pkt.h"
#include "qos.h"
#include "ferry_log.h"

extern int qos_logtype;
#define QOS_LOG(level, fmt, ...) \
	FERRY_LOG(qos_logtype, qos, level, fmt, ##__VA_ARGS__)

#define QOS_ENQ_NODE "ferry_qos_enqueue"
#define QOS_SCHED_NODE "ferry_qos_sched"
#define QOS_RING_SIZE 4096
#define QOS_BURST 32
#define QOS_RING_ROUNDS 8   /* ring bursts the owner admits per poll */

struct qos_port_rt;

/** A live change for the owner lcore to apply (qos_port_rt.pending):
 *  new parameters for the scheduler it runs, or a rebuilt port. */
struct qos_update {
	struct qos_sched_params params;
	/** Non-NULL: take this port's scheduler, policers, RED and DSCP
	 *  map (moving the queues over) and leave it the old ones. */
	struct qos_port_rt *next;
	int rc;                       /**< the owner's qos_sched_update() */
	bool done;                    /**< set by the owner after rc */
};

/** RED of one class (rte_red), run by the owner at admission. */
struct qos_red {
	struct rte_red_config cfg;
	struct rte_red rt;
};

/** A scheduled port at run time. */
struct qos_port_rt {
	/* Owner lcore only (the data path). */
	struct qos_sched *sched;
	struct qos_policer *port_pol;    /**< NULL = none */
	struct qos_policer **class_pol;  /**< by scheduler leaf slot */
	struct qos_red **red;            /**< by leaf slot; NULL = tail drop */
	uint64_t red_mult;               /**< ns -> port bytes: (ns*m) >> 20,
					      rte_red's clock */
	uint16_t port_id;
	uint16_t txq;                    /**< the owner's tx queue */
	uint64_t ns_mult;                /**< TSC -> ns: (tsc * m) >> 32 */
	uint16_t dscp_class[64];         /**< class id by DSCP; 0 = none */
	/* Shared. */
	struct rte_ring *ring;           /**< other workers -> owner */
	struct qos_update *pending;      /**< management -> owner */
	unsigned int owner;              /**< worker index */
	unsigned int port_idx;
	/* Management lcore only: measured rates, by config index. */
	uint64_t *last_bytes;
	uint64_t *rate_bps;
	uint64_t last_ms;
};

/** Scheduled ports, indexed by port index (NULL = not scheduled). */
extern struct qos_port_rt *qos_ports[PORT_MAX];

/* qos_config.c */
const struct qos_policer_cfg *qos_policer_cfg_find(const struct qos_conf *qc,
						   const char *name);
void qos_policer_conf_from_cfg(const struct qos_policer_cfg *pc,
			       struct qos_policer_conf *c);

/* qos_params.c: the config model <-> scheduler parameters. */
/** Fill ceil 0 with the parent's ceil (the port's rate at the top), as
 *  Linux tc does when ceil is not given. */
void qos_ceil_defaults(struct qos_port_cfg *pc);
/** Scheduler params of @p pc on a port of L3 MTU @p mtu; @p cls holds
 *  pc->classes.n entries. */
void qos_params_from_cfg(const struct qos_port_cfg *pc, uint32_t mtu,
			 struct qos_sched_params *p,
			 struct qos_class_params *cls);
/** DSCP -> class id table of a port. @return 0, or -EINVAL with the
 *  class index in @p bad and the reason in @p why. */
int qos_dscp_map_build(const struct qos_port_cfg *pc, uint16_t map[64],
		       unsigned int *bad, char *why, size_t why_len);

/* qos_admit.c: police and queue one packet on the owner lcore.
 * @return DROP_NONE if queued, else the reason (the caller drops). */
enum drop_reason qos_admit(struct qos_port_rt *q, struct rte_mbuf *m,
			   uint64_t tsc);

/** Owner side of a live change: apply q->pending if there is one. */
void qos_pending_apply(struct qos_port_rt *q);

/**
 * Management side of a live change: hand @p p to the owner, wait until
 * it was applied (at most a second). @return its result, or -ETIMEDOUT
 * (nothing changed).
 */
int qos_port_update(struct qos_port_rt *q, const struct qos_sched_params *p);

/**
 * Management side of a change the scheduler cannot take in place (the
 * class tree, queue limits, RED, DSCP map, policers): build the port's
 * data-path state anew from @p pc (policers from @p qc), hand it to the
 * owner, which moves the queues of the classes both trees have to it at
 * a burst boundary; what is left (classes gone) is dropped under
 * qos_class_removed. Meters start full.
 * @return 0, -ENOMEM or -ETIMEDOUT (nothing changed).
 */
int qos_port_rebuild(struct qos_port_rt *q, const struct qos_conf *qc,
		     const struct qos_port_cfg *pc);

/** qos_config.c: a scheduled port's schema (cfg_array_find). */
extern const struct cfg_schema qos_port_schema;

/** qos_config.c: a class's schema (defaults of a class the CLI adds). */
const struct cfg_schema *qos_class_schema(void);

/** qos_rows.c: the lists' live operations (cfg_txn). */
extern const struct cfg_list_ops qos_port_ops, qos_policer_ops;

/** The running model (set by qos_setup, edited by the CLI). */
extern struct cfg_model *qos_model;

/** The element schema of qos.policers (keyed by name), and the names
 *  of its type and action enums (the CLI reads them too). */
extern const struct cfg_schema qos_policer_schema;
extern const struct cfg_enum qos_policer_types[], qos_policer_actions[];

/** The scheduler's clock in ns from a TSC value. */
static inline uint64_t
qos_now_ns(const struct qos_port_rt *q, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)tsc * q->ns_mult) >> 32);
}


/* qos_stats.c: register the qos_classes and qos_policers sources. */
int qos_stats_setup(void);

#endif /* FERRY_QOS_PRIV_H */
