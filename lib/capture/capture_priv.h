/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by capture.c (the session) and capture_cli.c. */
#ifndef FERRY_CAPTURE_PRIV_H
#define FERRY_CAPTURE_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture.h"

/** What `show capture` prints. */
struct capture_status {
	bool active;
	bool pdump;            /**< rte_pdump serves dpdk-pdump */
	char pdump_why[160];   /**< why not, when !pdump */
	char what[96];         /**< "port ce-a rx tx", "node X before" */
	char path[PATH_MAX];
	uint32_t count;        /**< packets asked for */
	uint64_t written;      /**< packets in the file */
	uint64_t lost;         /**< copies that found no room */
};

/** The current (or last) capture. */
void capture_status_get(struct capture_status *st);

#endif /* FERRY_CAPTURE_PRIV_H */
