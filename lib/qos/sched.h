/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hierarchical egress scheduler with rate / ceil / borrowing semantics
 * as operators know them from Linux HTB and Open vSwitch linux-htb:
 * a port rate at the root, classes under it (nested allowed), each
 * guaranteed its rate, never above its ceil, and spare bandwidth lent
 * to backlogged classes in proportion to their rates. doc/qos.md says
 * why this is not rte_sched and how the algorithm works.
 *
 * Plain C, no EAL: objects are opaque pointers with a length the caller
 * gives, and time is an explicit `now` in nanoseconds, so unit tests
 * run on virtual time and the data path passes a TSC-derived clock.
 *
 * Threads: one scheduler belongs to one lcore (its owner); every
 * function but qos_sched_params_check() and the stats read must run
 * there. Stats are plain 64-bit counters another lcore may read.
 */
#ifndef FERRY_QOS_SCHED_H
#define FERRY_QOS_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QOS_DEPTH_MAX 8          /**< root + up to 7 levels of classes */
#define QOS_CLASSES_MAX 4096     /**< classes per port */
#define QOS_CLASS_ID_MAX 65535   /**< ids are 1..65535; 0 = port default */
#define QOS_PRIO_MAX 7           /**< 0 is served first */
#define QOS_QUEUE_LIMIT_MAX 65536
#define QOS_RATE_MIN 8000ull     /**< bit/s: one byte per millisecond */
#define QOS_RATE_MAX 400000000000ull
/**
 * Default bucket depth, µs (doc/qos.md "Bucket depth"): the owner lcore
 * may be descheduled this long (less the polling interval) with every
 * class keeping its rate; the price is that a class idle that long may
 * then send that much above its rate at once. 60 ms holds every rate
 * within 2 % through 50 ms stalls (test_sched.c); 10 ms lost 8-19 %
 * on a shared machine.
 */
#define QOS_BURST_US_DEFAULT 60000

/** One class as configured. Rates are bit/s on the wire. */
struct qos_class_params {
	uint32_t id;          /**< 1..QOS_CLASS_ID_MAX, unique per port */
	uint32_t parent;      /**< id of the parent class; 0 = the port */
	uint64_t rate;        /**< guaranteed rate */
	uint64_t ceil;        /**< maximum rate, >= rate */
	uint32_t prio;        /**< 0..QOS_PRIO_MAX; lower borrows first */
	uint32_t queue_limit; /**< packets queued before tail drop (leaves) */
};

/** A port's scheduler as configured. */
struct qos_sched_params {
	uint64_t rate;        /**< port rate, bit/s on the wire */
	uint32_t overhead;    /**< bytes counted per packet on top of the
				   frame (24 = FCS + preamble/SFD + IFG) */
	uint32_t mtu;         /**< largest frame; sizes the bursts */
	uint32_t burst_us;    /**< bucket depth in time at each bucket's own
				   rate (at least two full frames): how long
				   the owner lcore may stall without a class
				   losing bandwidth; also the longest burst
				   above a rate after idling */
	uint32_t default_class; /**< leaf id for qos_class 0 / unknown */
	uint32_t n_classes;
	const struct qos_class_params *classes; /**< parents before children */
};

/** Counters of one class (a leaf's own, an inner class's sum). */
struct qos_class_stats {
	uint64_t enq_pkts;
	uint64_t sent_pkts;
	uint64_t sent_bytes;  /**< wire bytes (frame + overhead) */
	uint64_t drops;       /**< tail drops at queue_limit */
	uint32_t qlen;        /**< packets queued now (leaves) */
};

struct qos_sched;

/**
 * Check @p p as qos_sched_create() would.
 * @param bad_class  set to the index of the offending class, or -1 when
 *                   the port settings are wrong.
 * @return 0, or -EINVAL with a reason in @p why.
 */
int qos_sched_params_check(const struct qos_sched_params *p, int *bad_class,
			   char *why, size_t why_len);

/**
 * Build a scheduler; every bucket starts full at time @p now.
 * @return the scheduler, or NULL (bad params: EINVAL, memory: ENOMEM in
 *         errno).
 */
struct qos_sched *qos_sched_create(const struct qos_sched_params *p,
				   uint64_t now);

/** Free a scheduler and nothing it holds (drain it first). NULL is ok. */
void qos_sched_free(struct qos_sched *s);

/**
 * Leaf slot for a packet's class id: the class itself if it is a leaf
 * of this port, else the port's default class. Never fails.
 */
uint32_t qos_sched_leaf(const struct qos_sched *s, uint32_t class_id);

/**
 * Queue @p obj of @p len frame bytes at leaf slot @p leaf.
 * @return 0, or -ENOBUFS (queue at its limit: counted as a drop, the
 *         caller still owns @p obj).
 */
int qos_sched_enqueue(struct qos_sched *s, uint32_t leaf, void *obj,
		      uint32_t len);

/**
 * Take up to @p max objects that may leave at time @p now, in the order
 * to send them. @return how many were written to @p objs.
 */
uint32_t qos_sched_dequeue(struct qos_sched *s, uint64_t now, void **objs,
			   uint32_t max);

/**
 * Take every queued object regardless of rates (teardown).
 * @return how many were written to @p objs (call until 0).
 */
uint32_t qos_sched_drain(struct qos_sched *s, void **objs, uint32_t max);

/**
 * Move the queued objects of @p from into @p to, class by class id, in
 * their order: a scheduler rebuilt for a new class tree takes over the
 * queues of the classes both have. What @p to has no leaf for (a class
 * removed, or one that is no leaf any more) or no room for (a smaller
 * queue limit) stays in @p from for the caller to drop and count.
 * @return how many objects moved.
 */
uint32_t qos_sched_move(struct qos_sched *to, struct qos_sched *from);

/**
 * Apply new rates, ceils, priorities and queue limits. The class tree
 * (ids and parents) and the port must be those the scheduler was built
 * with, and a queue limit may not exceed the one it was built with
 * (the queue memory). Tokens and queues are kept.
 * @return 0, or -EINVAL (nothing changed).
 */
int qos_sched_update(struct qos_sched *s, const struct qos_sched_params *p);

/**
 * Packets queued at leaf slot @p leaf; @p idle_since gets the `now` of
 * the dequeue that last emptied it (for RED's idle-time decay).
 */
uint32_t qos_sched_leaf_qlen(const struct qos_sched *s, uint32_t leaf,
			     uint64_t *idle_since);

/** Packets queued in all leaves. */
uint32_t qos_sched_queued(const struct qos_sched *s);

/** Number of classes (not counting the port). */
uint32_t qos_sched_n_classes(const struct qos_sched *s);

/** Counters of the class with config index @p i (0..n-1). */
void qos_sched_class_stats(const struct qos_sched *s, uint32_t i,
			   struct qos_class_stats *st);

/** Wire bytes of a frame of @p len bytes. */
uint64_t qos_sched_wire_len(const struct qos_sched *s, uint32_t len);

#endif /* FERRY_QOS_SCHED_H */
