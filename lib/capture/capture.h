/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture, two ways:
 *
 * 1. dpdk-pdump / dpdk-dumpcap. capture_setup() calls rte_pdump_init(),
 *    so DPDK's capture tools, run as secondary processes with ferry's
 *    --file-prefix, can capture any port's RX/TX. That needs DPDK
 *    multi-process: ferry must run with hugepages (eal.huge = true) and
 *    without eal.in_memory (--in-memory/--no-shconf turn the IPC off,
 *    and --no-huge memory cannot be mapped by another process). When it
 *    cannot work, ferry says why once at start and carries on.
 *
 * 2. ferry's own `capture` command, which needs no second process:
 *      capture start port P [rx|tx] file F [count N]
 *      capture start node NODE [before|after] file F [count N]
 *      capture stop
 *      show capture
 *    Port capture installs ethdev RX/TX callbacks (the mechanism
 *    rte_pdump uses); node capture uses lib/trace's node hooks to copy
 *    what a graph node is given (before) or what it passes on (after),
 *    e.g. around an encryption node. Either costs nothing while no
 *    capture runs: the callbacks and hooks exist only during one.
 *
 * Workers copy each captured packet (rte_pcapng_copy) into a mempool of
 * the capture's own and enqueue it on a ring; the management lcore
 * writes the ring to a pcapng file (rte_pcapng) in capture_poll(). A
 * full ring or pool loses the copy, never the packet; `show capture`
 * counts the losses. One capture at a time.
 *
 * Threads: everything here runs on the management lcore except the
 * callbacks and hooks, which run on workers.
 */
#ifndef FERRY_CAPTURE_H
#define FERRY_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

/** Directions of a port capture, or sides of a node capture. */
#define CAPTURE_RX 0x1      /**< port: received; node: before */
#define CAPTURE_TX 0x2      /**< port: offered to tx; node: after */

/** Default and largest packet count of one capture. */
#define CAPTURE_COUNT_DEFAULT 1000
#define CAPTURE_COUNT_MAX 10000000

/**
 * Why DPDK secondary processes (dpdk-pdump) cannot attach, from the
 * options EAL was started with (only the app knows which of the file
 * or the command line gave them), or NULL if they can. Call before
 * capture_setup(); @p why must outlive the run.
 */
void capture_pdump_unavailable(const char *why);

/**
 * rte_pdump_init() if this EAL can serve secondary processes.
 * EAL and ports up. @return 0 (also when pdump is not possible).
 */
int capture_setup(void);

/** Stop any capture, rte_pdump_uninit(). */
void capture_teardown(void);

/**
 * Start capturing port @p port (config index) in directions @p dirs
 * to pcapng file @p path, at most @p count packets.
 * @return 0, -EBUSY (a capture runs), -EINVAL, -ENOMEM, or -errno of
 *         opening @p path.
 */
int capture_port_start(unsigned int port, unsigned int dirs,
		       const char *path, uint32_t count);

/**
 * Start capturing what graph node @p node (name) receives (CAPTURE_RX)
 * and/or passes on (CAPTURE_TX). Errors as capture_port_start(), and
 * -ENOENT for an unknown node.
 */
int capture_node_start(const char *node, unsigned int dirs,
		       const char *path, uint32_t count);

/** Stop the capture, write what is queued, close the file. */
void capture_stop(void);

/**
 * Management loop: write queued copies; stop by itself once @p count
 * packets were written.
 */
void capture_poll(void);

/** Register the capture commands. @return 0 or -errno. */
int capture_cli_register(void);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module capture_module;

#endif /* FERRY_CAPTURE_H */
