/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policers on DPDK's rte_meter: srTCM (RFC 2697) and trTCM (RFC 2698),
 * colour-blind or colour-aware, with an action per resulting colour:
 * transmit, remark DSCP (then transmit) or drop.
 *
 * Time is an explicit `now` in TSC cycles (rte_meter's unit), so unit
 * tests run on virtual time: qos_policer_init() starts the buckets full
 * at `now` instead of at rte_meter's own rte_get_tsc_cycles().
 *
 * Threads: a policer is run by one lcore (the port scheduler's owner);
 * its counters are plain 64-bit values another lcore may read.
 */
#ifndef FERRY_QOS_POLICER_H
#define FERRY_QOS_POLICER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_meter.h>

enum qos_policer_type {
	QOS_POLICER_SRTCM, /**< RFC 2697: CIR, CBS, EBS */
	QOS_POLICER_TRTCM, /**< RFC 2698: CIR, CBS, PIR, PBS */
};

enum qos_policer_action {
	QOS_ACT_TRANSMIT,
	QOS_ACT_REMARK,    /**< set the IPv4 DSCP, then transmit */
	QOS_ACT_DROP,
};

/** A policer as configured. Rates in bit/s, bursts in bytes (IP
 *  packet bytes as RFC 2697/2698 count them: ferry meters the frame's
 *  IPv4 total length). */
struct qos_policer_conf {
	enum qos_policer_type type;
	uint64_t cir;
	uint64_t cbs;
	uint64_t ebs;          /**< srTCM */
	uint64_t pir;          /**< trTCM */
	uint64_t pbs;          /**< trTCM */
	bool color_aware;      /**< start from pkt_md.color (RFC 2697 3.) */
	enum qos_policer_action action[RTE_COLORS]; /**< by enum rte_color */
	uint8_t dscp[RTE_COLORS];  /**< for QOS_ACT_REMARK */
};

struct qos_policer {
	union {
		struct rte_meter_srtcm sr;
		struct rte_meter_trtcm tr;
	} m;
	union {
		struct rte_meter_srtcm_profile sr;
		struct rte_meter_trtcm_profile tr;
	} prof;
	struct qos_policer_conf conf;
	uint64_t pkts[RTE_COLORS];  /**< by resulting colour */
	uint64_t bytes[RTE_COLORS];
};

/**
 * Check @p c. @return 0, or -EINVAL with the reason in @p why.
 */
int qos_policer_conf_check(const struct qos_policer_conf *c, char *why,
			   size_t why_len);

/**
 * Set up @p p from @p c with full buckets at time @p now (TSC cycles).
 * Needs EAL (rte_meter reads the TSC frequency). May be called again to
 * apply a new configuration; counters are kept.
 * @return 0 or -EINVAL.
 */
int qos_policer_init(struct qos_policer *p, const struct qos_policer_conf *c,
		     uint64_t now);

/**
 * Meter a packet of @p len bytes arriving at @p now with colour @p in
 * (ignored when colour-blind). @return its colour; the action is
 * p->conf.action[colour].
 */
static inline enum rte_color
qos_policer_color(struct qos_policer *p, uint64_t now, uint32_t len,
		  enum rte_color in)
{
	enum rte_color c;

	if (p->conf.type == QOS_POLICER_SRTCM)
		c = p->conf.color_aware ?
			rte_meter_srtcm_color_aware_check(&p->m.sr,
				&p->prof.sr, now, len, in) :
			rte_meter_srtcm_color_blind_check(&p->m.sr,
				&p->prof.sr, now, len);
	else
		c = p->conf.color_aware ?
			rte_meter_trtcm_color_aware_check(&p->m.tr,
				&p->prof.tr, now, len, in) :
			rte_meter_trtcm_color_blind_check(&p->m.tr,
				&p->prof.tr, now, len);
	p->pkts[c]++;
	p->bytes[c] += len;
	return c;
}

/** "srtcm"/"trtcm", "transmit"/"remark"/"drop", "green"/... */
const char *qos_policer_type_name(enum qos_policer_type t);
const char *qos_policer_action_name(enum qos_policer_action a);
const char *qos_color_name(enum rte_color c);

#endif /* FERRY_QOS_POLICER_H */
