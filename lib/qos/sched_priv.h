/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the scheduler: its nodes (the port root at index 0, then the
 * classes in config order) and their buckets. Shared by sched.c and
 * sched_check.c; nothing outside lib/qos/sched*.c includes it.
 */
#ifndef FERRY_QOS_SCHED_PRIV_H
#define FERRY_QOS_SCHED_PRIV_H

#include "sched.h"

/*
 * Buckets hold time, as in Linux HTB: nanoseconds of sending at the
 * bucket's own rate, fixed point with QOS_FP fraction bits. Time adds
 * one ns per ns; a packet costs its wire bytes times `cost`. At 100
 * Gbit/s a byte is 0.08 ns, still 83886 units, so rounding stays below
 * 2e-5; at 8 kbit/s a 64 KB frame costs 7e16, far from overflow.
 */
#define QOS_FP 20
#define QOS_ELAPSED_MAX 1000000000ull /* refill at most 1 s at once */

/** A leaf and where it stands in the order of service. */
struct qos_key {
	int32_t leaf;       /**< node index; -1 = none */
	uint8_t lvl;        /**< lender's level */
	uint8_t prio;
	uint64_t vtime;
};

struct qos_node {
	int64_t tokens;     /**< rate bucket */
	int64_t ctokens;    /**< ceil bucket */
	int64_t buffer;     /**< rate bucket depth */
	int64_t cbuffer;    /**< ceil bucket depth */
	uint64_t cost;      /**< per wire byte at rate (also virtual time) */
	uint64_t ccost;     /**< per wire byte at ceil */
	uint64_t t_last;    /**< ns of the last refill */
	uint64_t vtime;     /**< borrowing order: start-time fair queueing
				 tag, advanced only by borrowed bytes */
	int32_t parent;     /**< node index; -1 for the root */
	uint8_t level;      /**< 0 for leaves; QOS_DEPTH_MAX - depth else */
	uint8_t prio;
	bool leaf;
	int32_t active_pos; /**< slot in qos_sched.active, -1 when empty */
	/* Selection (sched_select.c). */
	uint8_t state;      /**< CAN / MAY / CANT from its own buckets */
	struct qos_key within;  /**< best leaf below lent at or below here */
	struct qos_key above;   /**< best leaf below needing a lender above */
	uint32_t *wheap, *aheap; /**< children by within / above key */
	uint32_t wn, an, n_children;
	int32_t wpos, apos; /**< slots in the parent's heaps, -1 = none */
	int32_t tpos;       /**< slot in qos_sched.timers, -1 = none */
	uint64_t wake;      /**< ns when a negative bucket reaches zero */
	/* Leaf queue: a ring of (object, frame length). */
	void **objs;
	uint32_t *lens;
	uint32_t head, tail, mask, limit;
	uint64_t idle_since;    /**< ns its queue last went empty */
	struct qos_class_stats st;
};

struct qos_sched {
	uint32_t n_nodes;       /**< classes + 1 (the root) */
	uint32_t overhead;
	uint32_t mtu;
	uint32_t default_leaf;  /**< node index */
	uint64_t vnow;          /**< start tag of the last borrowed send */
	uint32_t n_active;
	uint32_t *active;       /**< backlogged leaves (node indexes) */
	uint32_t *timers;       /**< nodes by wake time (a heap) */
	uint32_t n_timers;
	uint16_t by_id[QOS_CLASS_ID_MAX + 1]; /**< class id -> leaf node */
	struct qos_node nodes[];
};

/** Index of class i's parent in p->classes; -1 = the port, -2 = not
 *  found among the classes before i. */
int qos_params_parent(const struct qos_sched_params *p, uint32_t i);

/* sched.c */
/** Add the time since the last refill to both buckets, capped. */
void qos_refill(struct qos_node *c, uint64_t now);

/* sched_select.c */
/** Recompute node @p i's state, (re)arm its timer. @return true if the
 *  state changed. */
bool qos_state_update(struct qos_sched *s, uint32_t i);
/** Recompute the summaries from node @p i up to the root. */
void qos_path_update(struct qos_sched *s, uint32_t i);
/** Recompute every summary and heap (build, update, drain). */
void qos_summaries_rebuild(struct qos_sched *s);
/** Apply the state changes due by @p now. */
void qos_timers_run(struct qos_sched *s, uint64_t now);

#endif /* FERRY_QOS_SCHED_PRIV_H */
