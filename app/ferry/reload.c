/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config reload and the start-up change, both through lib/config's one
 * transaction (cfg_txn): start-up is the change from an empty model to
 * the file, a reload the change from the running model to the file.
 * What may change live is what the schema says (list ops; sections
 * with .restart refuse with their reason), so this file names no
 * section. It also keeps the model as last loaded or saved, to tell
 * CLI changes the file does not hold (`show running-config diff`), and
 * a reload refuses to throw them away unless forced.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reload.h"
#include "sections.h"

/* The running model as its file last said (load, reload, write). */
static struct cfg_model *saved;

void
ferry_config_saved(const struct cfg_model *running)
{
	struct cfg_model *copy = cfg_model_dup(running);

	if (copy == NULL)
		return; /* keep the older one: diff then shows more, not less */
	cfg_model_free(saved);
	saved = copy;
}

void
ferry_config_saved_free(void)
{
	cfg_model_free(saved);
	saved = NULL;
}

bool
ferry_config_unsaved(const struct cfg_model *running)
{
	return saved != NULL && !cfg_model_equal(saved, running);
}

static void
diag_print(const struct cfg_diag *diag, FILE *log)
{
	unsigned int i;

	for (i = 0; i < diag->n; i++)
		fprintf(log, "%s\n", diag->msg[i]);
}

int
ferry_config_start(struct cfg_model *model, FILE *log)
{
	struct cfg_diag diag = { 0 };
	int rc = cfg_txn_start(model, &diag);

	diag_print(&diag, log);
	cfg_diag_free(&diag);
	if (rc == 0)
		ferry_config_saved(model);
	return rc;
}

static struct cfg_model *
reload_load(const char *path, FILE *log)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;

	if (cfg_load_file(path, ferry_sections, FERRY_N_SECTIONS, &m,
			  &diag) == 0)
		return m;
	diag_print(&diag, log);
	fprintf(log, "ferry: reload of %s rejected: %u error%s; nothing "
		"changed\n", path, diag.n, diag.n == 1 ? "" : "s");
	cfg_diag_free(&diag);
	return NULL;
}

static void
rejected(const char *path, const struct cfg_diag *diag, FILE *log)
{
	char why[1024];

	cfg_diag_join(diag, why, sizeof(why));
	fprintf(log, "ferry: reload of %s rejected: %s%s\n", path,
		why[0] ? why : "out of memory",
		strstr(why, "nothing changed") ? "" : "; nothing changed");
}

/* CLI changes the file does not hold: refuse, or say what goes. */
static bool
unsaved_ok(const struct cfg_model *running, const struct cfg_txn *t,
	   const char *path, bool force, FILE *log)
{
	if (!ferry_config_unsaved(running))
		return true;
	if (!force) {
		fprintf(log, "ferry: reload of %s rejected: the running "
			"config has CLI changes the file does not hold (show "
			"running-config diff); `write` them, or `config "
			"reload force` to drop them; nothing changed\n", path);
		return false;
	}
	fprintf(log, "ferry: reload of %s drops the CLI changes; the "
		"changes it makes:\n", path);
	cfg_txn_print(t, log, true);
	return true;
}

int
ferry_reload(struct cfg_model *running, const char *path, bool force,
	     FILE *log)
{
	struct cfg_model *next = reload_load(path, log);
	struct cfg_diag diag = { 0 };
	struct cfg_txn *t = NULL;
	unsigned int n;
	int rc;

	if (next == NULL)
		return -EINVAL;
	rc = cfg_txn_new(running, next, 0, &t, &diag);
	if (rc == 0 && !unsaved_ok(running, t, path, force, log)) {
		rc = -EBUSY;
	} else if (rc == 0) {
		n = cfg_txn_count(t);
		rc = cfg_txn_commit(t, &diag);
		if (rc == 0)
			fprintf(log, "ferry: reloaded %s: %u change%s\n", path,
				n, n == 1 ? "" : "s");
	}
	if (rc < 0 && rc != -EBUSY) {
		diag_print(&diag, log);
		rejected(path, &diag, log);
	}
	if (rc == 0)
		ferry_config_saved(running);
	cfg_diag_free(&diag);
	cfg_txn_free(t);
	cfg_model_free(next);
	return rc;
}

int
ferry_config_diff(struct cfg_model *running, const char *path, FILE *out)
{
	struct cfg_model *file = reload_load(path, out);
	struct cfg_diag diag = { 0 };
	struct cfg_txn *t = NULL;
	int rc;

	if (file == NULL)
		return -EINVAL;
	/* from the file to what runs: "+" is in the running config only */
	rc = cfg_txn_new(file, running, CFG_TXN_DIFF, &t, &diag);
	if (rc == 0) {
		fprintf(out, "%u difference%s from %s\n", cfg_txn_count(t),
			cfg_txn_count(t) == 1 ? "" : "s", path);
		cfg_txn_print(t, out, true);
	} else {
		diag_print(&diag, out);
	}
	cfg_diag_free(&diag);
	cfg_txn_free(t);
	cfg_model_free(file);
	return rc;
}
