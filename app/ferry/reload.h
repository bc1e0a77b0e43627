/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reloading the config file under traffic (SIGHUP, `config reload`):
 * what can change live is applied through the same core functions the
 * CLI uses, all or nothing; anything else rejects the whole reload.
 */
#ifndef FERRY_RELOAD_H
#define FERRY_RELOAD_H

#include <stdio.h>

#include "config.h"

/**
 * Load @p path, compare it with the running model and apply the
 * difference: static routes, static neighbours, interface up/mtu. Any
 * other difference (ports, workers, EAL, VRF set, interface addresses,
 * ...) rejects the reload: nothing is applied and the reason is
 * written to @p log, as are the file's errors if it does not load.
 * @return 0 (applied, a summary on @p log) or -errno.
 */
int ferry_reload(struct cfg_model *running, const char *path, FILE *log);

#endif
