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
	bool both;             /**< node before and after: 2 frames each */
	uint64_t written;      /**< packets in the file */
	uint64_t lost;         /**< copies that found no room */
};

/* ---- capture_pcapng.c: the file ---- */

struct rte_mbuf;

/** Wall-clock time of a TSC value, from a base taken at the start. */
struct capture_clock {
	uint64_t tsc;   /**< TSC at the base */
	uint64_t ns;    /**< CLOCK_REALTIME then, ns since the epoch */
	uint64_t hz;    /**< TSC frequency */
};

/** Take the base now (management lcore, when a capture starts). */
void capture_clock_start(struct capture_clock *c);
/** Nanoseconds since the epoch at TSC @p tsc (any lcore). */
uint64_t capture_clock_ns(const struct capture_clock *c, uint64_t tsc);

/** Write the Section Header Block. @return 0 or -errno. */
int capture_file_header(int fd, const char *hardware, const char *app,
			const char *comment);
/** Write an Interface Description Block: Ethernet, ns timestamps,
 *  named @p name. The n-th written is interface n. @return 0 or -errno. */
int capture_file_interface(int fd, const char *name,
			   const char *description, uint32_t snaplen);
/** Give an rte_pcapng_copy() block its interface and time. */
void capture_block_stamp(struct rte_mbuf *copy, uint32_t interface,
			 uint64_t ns);
/** Write @p n blocks (rte_pcapng_copy() copies). @return 0 or -errno. */
int capture_file_blocks(int fd, struct rte_mbuf **m, unsigned int n);

/** The current (or last) capture. */
void capture_status_get(struct capture_status *st);

#endif /* FERRY_CAPTURE_PRIV_H */
