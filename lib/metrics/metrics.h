/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prometheus endpoint: an HTTP server on the management lcore serving
 * GET /metrics in the Prometheus text exposition format (version 0.0.4)
 * with every counter source of lib/stats (ports, nodes, drops, workers,
 * runtime and what other libraries register):
 *
 *   # HELP ferry_port_rx_total Port (ethdev) packet counters: rx
 *   # TYPE ferry_port_rx_total counter
 *   ferry_port_rx_total{port="ce-a"} 1234
 *
 * Off by default; the "metrics" config section turns it on. It listens
 * on loopback unless told otherwise: it has no authentication.
 *
 * No thread: metrics_server_poll() is called from the management loop,
 * and every socket is non-blocking, so a slow or stuck scraper costs
 * the loop nothing but a few bytes of state (and is closed after
 * METRICS_HEADER_TIMEOUT_MS, or sooner when its slot is needed).
 */
#ifndef FERRY_METRICS_H
#define FERRY_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

/** What the "metrics" section holds. */
struct metrics_conf {
	bool enabled;
	char address[64];  /**< IPv4 listen address */
	uint16_t port;     /**< TCP port; 0 = pick a free one */
};

extern const struct cfg_section metrics_cfg_section; /* "metrics" */

/*
 * Connections at once. When all are taken, a new one replaces the
 * oldest that has not sent its whole request yet, so clients that send
 * half a header cannot keep a scrape out.
 */
#define METRICS_CONN_MAX 64
/** A client must send its whole request within this (from accept). */
#define METRICS_HEADER_TIMEOUT_MS 2000
/** ... and read the answer within this (from the request). */
#define METRICS_IO_TIMEOUT_MS 5000

struct metrics_server;

/**
 * Listen as @p c says (non-blocking, SO_REUSEADDR).
 * @return the server, or NULL with errno set.
 */
struct metrics_server *metrics_server_create(const struct metrics_conf *c);

/**
 * Accept scrapers, read their requests, write the answers; never
 * blocks. Management lcore. @p now_ms: a monotonic clock in ms.
 */
void metrics_server_poll(struct metrics_server *srv, uint64_t now_ms);

/** The port bound (useful with port 0). */
uint16_t metrics_server_port(const struct metrics_server *srv);

/** Close every connection and the listener. NULL does nothing. */
void metrics_server_free(struct metrics_server *srv);

/**
 * Write every counter source in the text exposition format.
 * @return 0, or -ENOMEM.
 */
int metrics_write(FILE *f);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module metrics_module;

#endif /* FERRY_METRICS_H */
