/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FPM server: ferry as zebra's forwarding plane. FRR's zebra with
 * `-M dplane_fpm_nl` connects over TCP and sends its routes as netlink
 * messages in FPM frames; ferry installs them in its VRF FIBs through
 * lib/route's route_frr_* functions (source FRR), never through the
 * config model. Runs on the management lcore: non-blocking socket,
 * bounded work per fpm_poll().
 *
 * Owns the "fpm" config section and the CLI command `show fpm`.
 * Sessions: every connection is a new generation; zebra resends its
 * whole table on connect, and once the feed has been quiet for
 * fpm.sweep_delay after its first frame (or sent nothing for fpm.grace)
 * the FRR routes it did not resend are removed (mark and sweep:
 * unchanged routes never leave the FIB). When zebra goes away its
 * routes stay for fpm.grace seconds, then are withdrawn.
 */
#ifndef FERRY_FPM_H
#define FERRY_FPM_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define FPM_NETNS_LEN 32

/** The "fpm" section. */
struct fpm_conf {
	bool enabled;
	char address[16];        /**< IPv4 to listen on */
	uint32_t port;           /**< TCP port (FRR's default 2620) */
	char netns[FPM_NETNS_LEN]; /**< namespace to listen in; "" = ferry's */
	uint32_t grace;          /**< s FRR routes outlive their session */
	uint32_t sweep_delay;    /**< s of quiet after a reconnect before
				  *   the routes not resent are removed */
	uint32_t frame_timeout;  /**< s a started frame may take */
	uint32_t budget;         /**< netlink messages applied per poll */
	uint32_t distance;       /**< admin distance of FRR's routes ... */
	uint32_t static_distance; /**< ... against static routes': the
				   *   lower wins, static on a tie */
};

extern const struct cfg_section fpm_cfg_section; /* "fpm" */

/** Open the listening socket if enabled; VRF tables from "vrfs".
 *  Needs lib/route set up. @return 0 or -errno. */
int fpm_setup(struct cfg_model *model);
/** Accept, read and apply a bounded amount; timers. Management lcore. */
void fpm_poll(uint64_t now_ms);
/** Close the sockets (routes stay in the FIB until route_teardown). */
void fpm_teardown(void);
/** Register `show fpm`. Needs no EAL. @return 0 or -errno. */
int fpm_cli_register(void);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module fpm_module;

#endif /* FERRY_FPM_H */
