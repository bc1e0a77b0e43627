/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One record per library: what it gives ferry. Each library declares
 * its `struct ferry_module` in its own source (route_module in
 * lib/route/route.c, ...); app/ferry writes the list of them once, in
 * dependency order, and runs every step from that list: setup in list
 * order at start, command tables in list order, the control poll on
 * every turn of the management loop, teardown in reverse order. Here in
 * lib/config (plain C, below every library) because a module is first
 * its configuration sections.
 */
#ifndef FERRY_MODULE_H
#define FERRY_MODULE_H

#include <stdint.h>

#include "config.h"

/** A library's part in ferry; a NULL member: no such step. */
struct ferry_module {
	const char *name; /**< in start-up failures: "MPLS" */
	/** Its configuration sections, NULL-terminated (in the order of
	 *  app/ferry/sections.c, which the checks need). */
	const struct cfg_section *const *sections;
	/** Make its tables from the model (EAL up, the modules before it
	 *  set up). @return 0 or -errno. */
	int (*setup)(struct cfg_model *model);
	/** Register its CLI commands (after those of the modules before
	 *  it, whose argument types it may use). @return 0 or -errno. */
	int (*cli_register)(void);
	/** Management-lcore work (learning, timers, sync), every turn;
	 *  @p now_ms is cli_now_ms(). */
	void (*control_poll)(uint64_t now_ms);
	/** Free what setup made; workers are stopped. Safe twice. */
	void (*teardown)(void);
};

#endif /* FERRY_MODULE_H */
