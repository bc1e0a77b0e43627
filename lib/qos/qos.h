/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Egress QoS per port: the hierarchical scheduler of sched.h and the
 * policers of policer.h, wired into the data path.
 *
 * Owns the "qos" config section (per-port rate, overhead, classes and
 * policers), the `show qos` and `qos class` commands, and two nodes:
 *   - "ferry_qos_enqueue", cloned per scheduled port as
 *     "ferry_qos_enqueue-<port>": the port's tx node diverts to it
 *     (port_tx_divert). On the port's owner worker it polices and queues
 *     packets directly; other workers hand them over through the port's
 *     multi-producer / single-consumer rte_ring.
 *   - "ferry_qos_sched", a source node in every worker graph: on the
 *     owner of a port it drains that ring (policing and queueing), takes
 *     what the port's rates allow now and transmits it on the owner's
 *     own tx queue of the port.
 * The owner of port P is worker (P's index modulo the number of
 * workers): one lcore runs each scheduler, so it needs no lock.
 *
 * Threads: qos_setup/teardown, the CLI and qos_control_poll run on the
 * management lcore. A live change is a message to the owner (a pointer
 * it takes at its next poll); the CLI waits until it was applied.
 */
#ifndef FERRY_QOS_H
#define FERRY_QOS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "policer.h"
#include "port.h"
#include "sched.h"

#define QOS_NAME_LEN 32

/** One element of qos.policers. */
struct qos_policer_cfg {
	char name[QOS_NAME_LEN];
	int type;                  /**< enum qos_policer_type */
	uint64_t cir, cbs, ebs, pir, pbs;
	bool color_aware;
	int action[RTE_COLORS];    /**< enum qos_policer_action */
	uint32_t dscp[RTE_COLORS]; /**< remark value per colour */
};

/** One element of qos.ports.[].classes. */
struct qos_class_cfg {
	uint32_t id;
	uint32_t parent;
	uint64_t rate;
	uint64_t ceil;             /**< 0 in the file = the parent's ceil */
	uint32_t priority;
	uint32_t queue_limit;
	uint32_t red_min;          /**< RED thresholds, packets; max 0 = off */
	uint32_t red_max;
	uint32_t red_maxp_inv;
	uint32_t red_wq_log2;
	struct cfg_array dscp;     /**< char[4] DSCP values mapped here */
	char policer[QOS_NAME_LEN];
};

/** One element of qos.ports. */
struct qos_port_cfg {
	char port[PORT_NAME_LEN];
	uint64_t rate;
	uint32_t overhead;
	uint32_t burst_us;
	uint32_t default_class;
	char policer[QOS_NAME_LEN];  /**< for every packet of the port */
	struct cfg_array classes;    /**< struct qos_class_cfg */
};

/** The "qos" section. */
struct qos_conf {
	struct cfg_array ports;      /**< struct qos_port_cfg */
	struct cfg_array policers;   /**< struct qos_policer_cfg */
};

extern const struct cfg_section qos_cfg_section; /* "qos" */

/**
 * Build the schedulers, rings and node clones of the ports in the
 * model's qos section and divert those ports' tx nodes to them. Ports
 * and workers must be set up; graphs not yet built.
 * @return 0 or -errno (logged with the port's name).
 */
int qos_setup(struct cfg_model *model);

/** Free schedulers and what they still hold. Workers must be stopped. */
void qos_teardown(void);

/** Drop what the schedulers and their rings still hold, each packet
 *  counted under qos_stopped, so that the counters ferry prints at exit
 *  add up (rx = tx + drops). Workers must be stopped. @return how many. */
unsigned int qos_flush(void);

/** Register `show qos` and `qos class`. @return 0 or -errno. */
int qos_cli_register(void);

/** Packets the schedulers and their hand-off rings hold now (read on
 *  the management lcore; a moment's view while workers run). */
unsigned int qos_held(void);

/** Sample the per-class counters for `show qos`'s measured rates;
 *  call about every millisecond from the management loop. */
void qos_control_poll(uint64_t now_ms);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module qos_module;

#endif /* FERRY_QOS_H */
