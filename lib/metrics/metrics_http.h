/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The request parser of the /metrics server, apart from its sockets so
 * that tests and the fuzz target (test/fuzz/fuzz_http.c) can feed it
 * any bytes. Internal to lib/metrics and its tests.
 */
#ifndef FERRY_METRICS_HTTP_H
#define FERRY_METRICS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/** Request line and headers together, at most (larger: 431). */
#define METRICS_REQ_MAX 4096

/** What a complete request asks for. */
struct metrics_req {
	int status;      /**< HTTP status to answer: 200, 400, 404, 405, 431 */
	bool head;       /**< HEAD: headers only */
	bool metrics;    /**< GET /metrics (else the pointer page at /) */
};

/**
 * Parse the first @p len bytes a client sent (any bytes, NULs too).
 * @return false while the headers are incomplete (read more), true
 *         once @p r says how to answer. Never reads past @p len.
 */
bool metrics_http_parse(const char *buf, size_t len, struct metrics_req *r);

#endif /* FERRY_METRICS_HTTP_H */
