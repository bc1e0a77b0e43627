/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the request parser of the Prometheus endpoint
 * (lib/metrics), without sockets. Beyond "no crash", it checks what the
 * server relies on: the parser never reads past what it is given, and
 * a request read in pieces gets the answer it gets whole (once the
 * headers are complete, more bytes change nothing).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same(const struct metrics_req *a, const struct metrics_req *b)
{
	return a->status == b->status && a->head == b->head &&
	       a->metrics == b->metrics;
}

static bool
status_known(int s)
{
	return s == 200 || s == 400 || s == 404 || s == 405 || s == 431;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics_req first, r;
	size_t n, done = 0, step;
	char *buf;

	if (size > METRICS_REQ_MAX - 1)
		size = METRICS_REQ_MAX - 1; /* the server's buffer */
	/* an exact copy, so ASan sees any read past the end */
	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	step = size > 0 ? 1 + data[0] % 61 : 1;
	for (n = 0; n <= size; n += step) {
		if (!metrics_http_parse(buf, n, &r))
			continue;
		if (!status_known(r.status) || (r.metrics && r.status != 200))
			abort();
		if (done++ == 0)
			first = r;
		else if (!same(&first, &r))
			abort(); /* more bytes changed a complete request */
	}
	if (metrics_http_parse(buf, size, &r) && done != 0 && !same(&first, &r))
		abort();
	free(buf);
	return 0;
}
