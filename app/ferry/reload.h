/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The start-up change and config reload (SIGHUP, `config reload`),
 * both one lib/config transaction (cfg_txn): all or nothing, applied
 * through the same list ops the CLI uses.
 */
#ifndef FERRY_RELOAD_H
#define FERRY_RELOAD_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/**
 * Install the rows of @p model (the file, which the libraries were set
 * up with) as the change from an empty model. Errors go to @p log.
 * @return 0 or -errno.
 */
int ferry_config_start(struct cfg_model *model, FILE *log);

/**
 * Load @p path and apply the difference from @p running as one change.
 * A change the schema does not allow live (a section with .restart, a
 * list with no ops, a row its ops refuse) rejects the whole reload, as
 * does a file that does not load or a row the data plane refuses; the
 * reason goes to @p log and nothing changes. While the running config
 * holds CLI changes the file does not (ferry_config_unsaved()), the
 * reload is refused unless @p force, which lists the changes it makes.
 * @return 0 (a summary on @p log), -EBUSY (unsaved CLI changes) or
 *         -errno.
 */
int ferry_reload(struct cfg_model *running, const char *path, bool force,
		 FILE *log);

/**
 * Write what differs between the file @p path and @p running, one
 * change a line ("+" only running, "-" only in the file, "~" changed;
 * keys redacted). @return 0 or -errno (the file does not load).
 */
int ferry_config_diff(struct cfg_model *running, const char *path,
		      FILE *out);

/** @p running is what its file holds now (loaded, reloaded, written). */
void ferry_config_saved(const struct cfg_model *running);

/** True if CLI changes made the running config differ from its file. */
bool ferry_config_unsaved(const struct cfg_model *running);

/** Free the saved copy (at exit). */
void ferry_config_saved_free(void);

#endif
