/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One record per library: what it gives ferry. Each library declares
 * its `struct ferry_module` in its own source (route_module in
 * lib/route/route.c, ...); app/ferry writes the list of them once, in
 * dependency order, and runs every step from that list: the sections
 * ferry reads (the modules' sections in list order), setup in list
 * order at start, command tables in list order, start once the worker
 * graphs are built, the control poll on every turn of the management
 * loop, stopped when the workers stopped, teardown in reverse order.
 * Here in lib/config (plain C, below every library) because a module
 * is first its configuration sections.
 */
#ifndef FERRY_MODULE_H
#define FERRY_MODULE_H

#include <stdint.h>

#include "config.h"

/** A library's part in ferry; a NULL member: no such step. */
struct ferry_module {
	const char *name; /**< in start-up failures: "MPLS" */
	/** Its configuration sections, NULL-terminated. The modules'
	 *  sections in list order are the file's sections in the order
	 *  the checks need: a section's check may read those before it. */
	const struct cfg_section *const *sections;
	/** Make its tables from the model (EAL up, the modules before it
	 *  set up). @return 0 or -errno. */
	int (*setup)(struct cfg_model *model);
	/** Register its CLI commands (after those of the modules before
	 *  it, whose argument types it may use). @return 0 or -errno. */
	int (*cli_register)(void);
	/** After every setup, the file's rows, the worker graphs and the
	 *  CLI server, before the workers run: hook the graphs' nodes
	 *  (trace, capture), open a listener (metrics). @return 0 or
	 *  -errno. */
	int (*start)(const struct cfg_model *model);
	/** Management-lcore work (learning, timers, sync), every turn;
	 *  @p now_ms is cli_now_ms(). */
	void (*control_poll)(uint64_t now_ms);
	/** Workers stopped, before the final counters: what it still holds
	 *  is dropped under a named reason, so that rx = tx + drops. */
	void (*stopped)(void);
	/** Free what setup and start made; workers are stopped. Safe
	 *  twice. */
	void (*teardown)(void);
};

#endif /* FERRY_MODULE_H */
