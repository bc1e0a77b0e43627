/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "eal" config section: how ferry starts DPDK's EAL (lcores, memory,
 * hugepages, file prefix, extra devices), and the EAL argument vector
 * built from it.
 */
#ifndef FERRY_EAL_CONFIG_H
#define FERRY_EAL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define EAL_ARG_LEN 256
#define EAL_ARGV_MAX 256

struct eal_conf {
	char lcores[EAL_ARG_LEN];   /**< "0-1": first = management lcore */
	uint32_t memory;            /**< MB */
	bool huge;                  /**< false = --no-huge */
	bool in_memory;             /**< --in-memory: no files in /var/run */
	bool multi_process;         /**< secondaries (dpdk-pdump) may attach */
	char file_prefix[64];
	char log_level[64];
	struct cfg_array vdevs;     /**< char[EAL_ARG_LEN] each */
	struct cfg_array pci_allow; /**< char[EAL_ARG_LEN] each */
};

extern const struct cfg_section eal_cfg_section; /* "eal" */

/** Lowest lcore of an lcore list such as "0-3,6", or -1 if invalid. */
int eal_lcores_parse(const char *list, bool set[], unsigned int n);

/**
 * Build argv for rte_eal_init() from the model, the ports' devices and
 * @p extra (the arguments after "--" on ferry's command line).
 * Strings point into the model, which must outlive EAL init.
 * @return argc, or -E2BIG.
 */
int eal_args_build(const struct cfg_model *model, char *argv0, char **extra,
		   int n_extra, char **argv, char *storage, size_t storage_len);

/**
 * Why DPDK secondary processes (dpdk-pdump) cannot attach to a ferry
 * started from @p model and the command-line EAL options @p extra,
 * naming the option that stops them; NULL if they can.
 */
const char *eal_pdump_unavailable(const struct cfg_model *model,
				  char **extra, int n_extra);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module eal_module;

#endif
