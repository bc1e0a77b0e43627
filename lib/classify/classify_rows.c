/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The batch commit of the "acls" list (cfg_list_ops.commit): after the
 * change transaction ran its steps, the ACLs become those of the new
 * model, all or nothing. Every ACL that changed is built first
 * (acl_prepare); only if all build are they published, with one grace
 * period for all; then each interface moves straight to its new ACL (no
 * moment without one) and ACLs no longer in the model are removed.
 * Rules equal to running ones keep their hit counters. A failure later
 * in the change runs this again from the new model back to the old.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_priv.h"

static bool
rules_equal(const struct acl_conf *a, const struct acl_conf *b)
{
	const struct acl_rule_conf *ra = a->rules.items, *rb = b->rules.items;
	unsigned int i;

	if (a->default_action != b->default_action || a->rules.n != b->rules.n)
		return false;
	for (i = 0; i < a->rules.n; i++)
		if (!acl_rule_equal(&ra[i], &rb[i]))
			return false;
	return true;
}

/* keep[i]: the first unused old rule equal to new rule i, or -1. */
static int *
keep_map(const struct acl_conf *old, const struct acl_conf *new)
{
	const struct acl_rule_conf *ro = old->rules.items;
	const struct acl_rule_conf *rn = new->rules.items;
	int *keep = calloc(new->rules.n + 1, sizeof(*keep));
	bool *used = calloc(old->rules.n + 1, sizeof(*used));
	unsigned int i, j;

	for (i = 0; keep != NULL && used != NULL && i < new->rules.n; i++) {
		keep[i] = -1;
		for (j = 0; j < old->rules.n; j++)
			if (!used[j] && acl_rule_equal(&ro[j], &rn[i])) {
				used[j] = true;
				keep[i] = (int)j;
				break;
			}
	}
	free(used);
	return keep;
}

/* Build every ACL of @p next that differs from the one of @p was. */
static int
prepare_all(const struct cfg_array *next, const struct cfg_model *was,
	    struct acl_pending *pend, char *err, size_t len)
{
	const struct acl_conf *b = next->items;
	const struct acl_conf *a;
	unsigned int i;
	int rc = 0, *keep;

	for (i = 0; i < next->n; i++)
		pend[i].id = -1;
	for (i = 0; rc == 0 && i < next->n; i++) {
		a = acl_conf_find(was, b[i].name);
		if (a != NULL && rules_equal(a, &b[i]))
			continue;
		keep = a != NULL ? keep_map(a, &b[i]) : NULL;
		if (a != NULL && keep == NULL) {
			snprintf(err, len, "out of memory");
			rc = -ENOMEM;
			break;
		}
		rc = acl_prepare(&b[i], keep, &pend[i], err, len);
		free(keep);
	}
	while (rc < 0 && i-- > 0)
		if (pend[i].id >= 0)
			acl_abort(&pend[i]);
	return rc;
}

/* Each interface to the ACL @p next gives it (or none). */
static int
bindings_move(const struct cfg_model *next, const struct cfg_model *was,
	      char *err, size_t len)
{
	const char *want, *have;
	unsigned int i;
	int rc;

	for (i = 0; i < iface_count(); i++) {
		const char *name = iface_get(i)->name;

		want = acl_conf_of_iface(next, name);
		have = acl_conf_of_iface(was, name);
		if (strcmp(want, have) == 0)
			continue;
		rc = acl_iface_set(name, want[0] != '\0' ? want : NULL, err,
				   len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Publish the prepared sets, one grace period for all, then free what
 * they replaced. */
static void
publish_all(struct acl_pending *pend, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pend[i].rt != NULL)
			acl_publish(&pend[i]);
	classify_grace_period();
	for (i = 0; i < n; i++)
		if (pend[i].rt != NULL)
			acl_finish(&pend[i]);
}

int
acl_commit(const struct cfg_model *next, const struct cfg_model *was,
	   char *err, size_t len)
{
	const struct cfg_array *nx = cfg_model_section(next, "acls");
	const struct cfg_array *run = was == NULL ? NULL :
		cfg_model_section(was, "acls");
	const struct acl_conf *ra;
	struct acl_pending *pend;
	unsigned int i;
	int rc;

	/* At start classify_setup() installed @p next already. */
	if (run == NULL || nx == NULL || cfg_section_equal(was, next, "acls"))
		return 0;
	pend = calloc(nx->n + 1, sizeof(*pend));
	if (pend == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	rc = prepare_all(nx, was, pend, err, len);
	if (rc == 0)
		publish_all(pend, nx->n);
	free(pend);
	/* Built and checked like the file: moving bindings cannot fail
	 * (the interfaces and ACLs exist). */
	if (rc == 0)
		rc = bindings_move(next, was, err, len);
	ra = run->items;
	for (i = 0; rc == 0 && i < run->n; i++)
		if (acl_conf_find(next, ra[i].name) == NULL)
			acl_uninstall(ra[i].name);
	return rc;
}
