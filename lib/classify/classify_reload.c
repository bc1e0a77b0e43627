/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config reload of the "acls" section (SIGHUP, `config reload`): the
 * running ACLs and bindings become those of the new file, all or
 * nothing. Every ACL that changed is built first (acl_prepare); only if
 * all build are they published, with one grace period for all; then the
 * bindings are moved and ACLs no longer in the file are removed. Rules
 * equal to running ones keep their hit counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_priv.h"

/* Duplicate a list of @p n elements of @p size (NULL for none). */
static int
array_dup(struct cfg_array *dst, const struct cfg_array *src, size_t size)
{
	dst->n = src->n;
	dst->items = NULL;
	if (src->n == 0)
		return 0;
	dst->items = malloc(src->n * size);
	if (dst->items == NULL)
		return -ENOMEM;
	memcpy(dst->items, src->items, src->n * size);
	return 0;
}

static void
acls_free(struct cfg_array *a)
{
	struct acl_conf *ac = a->items;
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		free(ac[i].interfaces.items);
		free(ac[i].rules.items);
	}
	free(a->items);
	a->items = NULL;
	a->n = 0;
}

/* A deep copy of an "acls" list. */
static int
acls_dup(struct cfg_array *dst, const struct cfg_array *src)
{
	const struct acl_conf *from = src->items;
	struct acl_conf *to;
	unsigned int i;
	int rc = array_dup(dst, src, sizeof(*from));

	to = dst->items;
	for (i = 0; rc == 0 && i < src->n; i++) {
		to[i].interfaces.items = NULL;
		to[i].rules.items = NULL;
	}
	for (i = 0; rc == 0 && i < src->n; i++) {
		rc = array_dup(&to[i].interfaces, &from[i].interfaces,
			       IFACE_NAME_LEN);
		if (rc == 0)
			rc = array_dup(&to[i].rules, &from[i].rules,
				       sizeof(struct acl_rule_conf));
	}
	if (rc < 0 && dst->items != NULL)
		acls_free(dst);
	return rc;
}

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

/* Build every ACL of @p next that differs from the running one. */
static int
prepare_all(const struct cfg_array *next, struct acl_pending *pend,
	    char *err, size_t len)
{
	const struct acl_conf *b = next->items;
	const struct acl_conf *a;
	unsigned int i;
	int rc = 0, *keep;

	for (i = 0; i < next->n; i++)
		pend[i].id = -1;
	for (i = 0; rc == 0 && i < next->n; i++) {
		a = acl_conf_find(classify_model, b[i].name);
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
bindings_move(const struct cfg_model *next, char *err, size_t len)
{
	const char *want, *have;
	unsigned int i;
	int rc;

	for (i = 0; i < iface_count(); i++) {
		const char *name = iface_get(i)->name;

		want = acl_conf_of_iface(next, name);
		have = acl_conf_of_iface(classify_model, name);
		if (strcmp(want, have) == 0)
			continue;
		rc = acl_iface_set(name, want[0] != '\0' ? want : NULL, err,
				   len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ACLs added, removed or changed, and interfaces bound elsewhere. */
static unsigned int
count_changes(const struct cfg_array *run, const struct cfg_array *nx,
	      const struct cfg_model *next)
{
	const struct acl_conf *a = run->items, *b = nx->items, *x;
	unsigned int i, n = 0;

	for (i = 0; i < nx->n; i++) {
		x = acl_conf_find(classify_model, b[i].name);
		n += x == NULL || !rules_equal(x, &b[i]);
	}
	for (i = 0; i < run->n; i++)
		n += acl_conf_find(next, a[i].name) == NULL;
	for (i = 0; i < iface_count(); i++)
		n += strcmp(acl_conf_of_iface(next, iface_get(i)->name),
			    acl_conf_of_iface(classify_model,
					      iface_get(i)->name)) != 0;
	return n;
}

int
classify_reload(const struct cfg_model *next, char *err, size_t len)
{
	const struct cfg_array *nx = cfg_model_section(next, "acls");
	struct cfg_array *run = classify_model == NULL ? NULL :
		cfg_model_section(classify_model, "acls");
	const struct acl_conf *ra;
	struct acl_pending *pend;
	struct cfg_array copy;
	unsigned int i, changes;
	int rc;

	if (run == NULL || nx == NULL) {
		snprintf(err, len, "classification is not set up");
		return -ENODEV;
	}
	if (cfg_section_equal(classify_model, next, "acls"))
		return 0;
	changes = count_changes(run, nx, next);
	pend = calloc(nx->n + 1, sizeof(*pend));
	if (pend == NULL || acls_dup(&copy, nx) < 0) {
		free(pend);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	rc = prepare_all(nx, pend, err, len);
	if (rc < 0) {
		acls_free(&copy);
		free(pend);
		return rc;
	}
	for (i = 0; i < nx->n; i++)
		if (pend[i].rt != NULL)
			acl_publish(&pend[i]);
	classify_grace_period();
	for (i = 0; i < nx->n; i++)
		if (pend[i].rt != NULL)
			acl_finish(&pend[i]);
	free(pend);
	/* Built and checked like the file: moving bindings cannot fail
	 * (the interfaces and ACLs exist). */
	rc = bindings_move(next, err, len);
	ra = run->items;
	for (i = 0; i < run->n; i++)
		if (acl_conf_find(next, ra[i].name) == NULL)
			acl_uninstall(ra[i].name);
	acls_free(run);
	*run = copy;
	return rc < 0 ? rc : (int)changes;
}
