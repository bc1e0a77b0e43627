/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the CLI's own files: the output sink interface the
 * telnet server plugs its sessions into. Not for other libraries.
 */
#ifndef FERRY_CLI_PRIV_H
#define FERRY_CLI_PRIV_H

#include <stddef.h>

#include "cli.h"

/** Where a custom sink's bytes go; @p ctx is the sink's owner. */
typedef void (*cli_write_fn)(void *ctx, const char *s, size_t len);

/** A sink that hands every write to @p fn (telnet sessions). */
struct cli_out *cli_out_custom(cli_write_fn fn, void *ctx);

/** Write @p len bytes to @p out; NULL discards them. */
void cli_out_write(struct cli_out *out, const char *s, size_t len);

#endif /* FERRY_CLI_PRIV_H */
