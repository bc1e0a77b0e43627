/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI output sinks. Commands never know where their text goes: a growing
 * memory buffer (tests, ferryctl), a stdio stream, or a telnet session
 * through a custom write callback. A sink also carries the "close this
 * session" request of quit/exit back to its owner.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

struct cli_out {
	cli_write_fn write;
	void *ctx;
	char *buf;       /* buffer sink: text so far, NUL-terminated */
	size_t len;
	size_t cap;
	bool close_req;
	bool unprivileged; /* zeroed = privileged: in-process sinks */
	bool enable_req;
	bool json;         /* `| json`: tables as JSON */
	bool json_used;    /* a table was written as JSON */
};

static void
buf_write(void *ctx, const char *s, size_t len)
{
	struct cli_out *out = ctx;
	size_t cap = out->cap ? out->cap : 256;
	char *nb;

	while (out->len + len + 1 > cap)
		cap *= 2;
	if (cap != out->cap) {
		nb = realloc(out->buf, cap);
		if (nb == NULL)
			return; /* lose output rather than the process */
		out->buf = nb;
		out->cap = cap;
	}
	memcpy(out->buf + out->len, s, len);
	out->len += len;
	out->buf[out->len] = '\0';
}

static void
file_write(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

struct cli_out *
cli_out_custom(cli_write_fn fn, void *ctx)
{
	struct cli_out *out = calloc(1, sizeof(*out));

	if (out == NULL)
		return NULL;
	out->write = fn;
	out->ctx = ctx;
	return out;
}

struct cli_out *
cli_out_buffer(void)
{
	struct cli_out *out = cli_out_custom(buf_write, NULL);

	if (out != NULL)
		out->ctx = out;
	return out;
}

struct cli_out *
cli_out_file(FILE *f)
{
	return cli_out_custom(file_write, f);
}

const char *
cli_out_text(const struct cli_out *out)
{
	if (out == NULL || out->write != buf_write)
		return NULL;
	return out->buf != NULL ? out->buf : "";
}

void
cli_out_reset(struct cli_out *out)
{
	if (out == NULL)
		return;
	out->len = 0;
	if (out->buf != NULL)
		out->buf[0] = '\0';
	out->close_req = false;
}

void
cli_out_free(struct cli_out *out)
{
	if (out == NULL)
		return;
	free(out->buf);
	free(out);
}

void
cli_out_request_close(struct cli_out *out)
{
	if (out != NULL)
		out->close_req = true;
}

bool
cli_out_close_requested(const struct cli_out *out)
{
	return out != NULL && out->close_req;
}

void
cli_out_set_privileged(struct cli_out *out, bool privileged)
{
	if (out != NULL)
		out->unprivileged = !privileged;
}

bool
cli_out_privileged(const struct cli_out *out)
{
	return out != NULL && !out->unprivileged;
}

void
cli_out_set_json(struct cli_out *out, bool json)
{
	if (out != NULL)
		out->json = json;
}

bool
cli_out_json(const struct cli_out *out)
{
	return out != NULL && out->json;
}

void
cli_out_json_used(struct cli_out *out)
{
	if (out != NULL)
		out->json_used = true;
}

bool
cli_out_json_was_used(const struct cli_out *out)
{
	return out != NULL && out->json_used;
}

void
cli_out_request_enable(struct cli_out *out)
{
	if (out != NULL)
		out->enable_req = true;
}

bool
cli_out_enable_requested(struct cli_out *out)
{
	bool r = out != NULL && out->enable_req;

	if (r)
		out->enable_req = false;
	return r;
}

void
cli_out_write(struct cli_out *out, const char *s, size_t len)
{
	if (out != NULL && len > 0)
		out->write(out->ctx, s, len);
}

/* Format into a stack buffer, or the heap when the text is longer. */
static void
out_vprintf(struct cli_out *out, const char *fmt, va_list ap)
{
	char small[512];
	char *big;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof(small)) {
		cli_out_write(out, small, n);
	} else {
		big = malloc((size_t)n + 1);
		if (big != NULL) {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			cli_out_write(out, big, n);
			free(big);
		}
	}
	va_end(ap2);
}

void
cli_printf(struct cli_out *out, const char *fmt, ...)
{
	va_list ap;

	if (out == NULL)
		return;
	va_start(ap, fmt);
	out_vprintf(out, fmt, ap);
	va_end(ap);
}

void
cli_error(struct cli_out *out, const char *fmt, ...)
{
	va_list ap;

	if (out == NULL)
		return;
	cli_out_write(out, "% ", 2);
	va_start(ap, fmt);
	out_vprintf(out, fmt, ap);
	va_end(ap);
	cli_out_write(out, "\n", 1);
}
