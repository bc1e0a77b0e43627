/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace: `trace add N [src P] [dst P] [proto N] [sport N]
 * [dport N]` records the path of the next N matching packets through
 * the graph nodes, with each node's decision (the next node, the drop
 * reason), and `show trace` prints it:
 *
 *   packet 1  worker 0  98 bytes  192.0.2.10:1000 > 10.1.0.1:5000 proto 17
 *          0 ns  ferry_port_rx-in-q0 -> ferry_eth_input
 *        210 ns  ferry_eth_input -> ferry_ip4_input
 *        ...
 *        950 ns  ferry_port_tx-a: consumed (sent or freed here)
 *
 * Built on node hooks (node_hook.h): packets are chosen where they
 * enter a graph (the source nodes: rx, inject) and marked in an mbuf
 * dynamic field; every node then records the marked packets it is
 * given and where it sends them. Once N packets were chosen and the
 * workers finished the walk they were in, the hooks come off again by
 * themselves (trace_poll()), so a finished trace costs nothing.
 *
 * Threads: trace_* on the management lcore; the hooks on workers, each
 * writing records of its own.
 */
#ifndef FERRY_TRACE_H
#define FERRY_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#define TRACE_PKTS_MAX 256        /**< packets one trace may follow */
#define TRACE_RECS_PER_WORKER 8192 /**< node steps kept per worker */

/** Which packets a trace follows; zero fields match anything. */
struct trace_filter {
	uint32_t src, src_mask;   /**< host order */
	uint32_t dst, dst_mask;
	uint8_t proto;            /**< 0 = any */
	uint16_t sport, dport;    /**< 0 = any (TCP, UDP, SCTP) */
};

/**
 * Does the frame @p data of @p len bytes (Ethernet, one 802.1Q tag at
 * most, IPv4) match @p f? Non-IPv4 frames match only an empty filter.
 * Pure: no EAL (unit-tested).
 */
bool trace_filter_match(const struct trace_filter *f, const uint8_t *data,
			uint32_t len);

/** Register the mbuf dynamic field; EAL up. @return 0 or -errno. */
int trace_setup(void);

/** Stop any trace. */
void trace_teardown(void);

/**
 * Forget the last trace and follow the next @p n (1..TRACE_PKTS_MAX)
 * packets matching @p f. @return 0, -EINVAL, -EBUSY (node hooks full).
 */
int trace_start(uint32_t n, const struct trace_filter *f);

/** Stop following packets (what was recorded stays). */
void trace_stop(void);

/** Stop, and forget what was recorded. */
void trace_clear(void);

/** Management loop: take the hooks off once the trace is complete. */
void trace_poll(void);

/** Register `trace add`, `trace stop`, `show trace`, `clear trace`. */
int trace_cli_register(void);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module trace_module;

#endif /* FERRY_TRACE_H */
