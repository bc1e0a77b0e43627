/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operator changes to ACLs (the CLI). Each one checks like the loader,
 * builds and publishes the new rule set through acl_install(), the
 * loader's own path, and edits the model only once that worked: a
 * change is all or nothing, and `show running-config` prints what runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_priv.h"

static struct cfg_array *
acl_list(void)
{
	return classify_model == NULL ? NULL :
		cfg_model_section(classify_model, "acls");
}

static struct acl_conf *
acl_get(const char *name, char *err, size_t len)
{
	struct acl_conf *ac = classify_model == NULL ? NULL :
		acl_conf_find(classify_model, name);

	if (ac == NULL)
		snprintf(err, len, "no acl %s", name);
	return ac;
}

int
acl_create(const char *name, int dflt, char *err, size_t len)
{
	struct cfg_array *a = acl_list();
	struct acl_conf ac = { .default_action = dflt };
	const char *why = acl_name_check(name);
	int rc;

	if (a == NULL || why != NULL || strlen(name) >= ACL_NAME_LEN ||
	    acl_conf_find(classify_model, name) != NULL) {
		snprintf(err, len, "acl %s: %s", name, a == NULL ?
			 "classification is not set up" : why != NULL ? why :
			 strlen(name) >= ACL_NAME_LEN ? "name too long" :
			 "already exists");
		return -EINVAL;
	}
	snprintf(ac.name, sizeof(ac.name), "%s", name);
	rc = acl_install(&ac, NULL, err, len);
	if (rc < 0)
		return rc;
	if (cfg_array_append(a, sizeof(ac), &ac) == NULL) {
		acl_uninstall(name);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int
acl_delete(const char *name, char *err, size_t len)
{
	struct cfg_array *a = acl_list();
	struct acl_conf *ac = acl_get(name, err, len);

	if (ac == NULL)
		return -ENOENT;
	if (ac->interfaces.n != 0) {
		snprintf(err, len, "acl %s is bound to %s; unbind it first",
			 name, (const char *)ac->interfaces.items);
		return -EBUSY;
	}
	acl_uninstall(name);
	free(ac->rules.items);
	free(ac->interfaces.items);
	cfg_array_remove(a, sizeof(*ac), (unsigned int)(ac -
			 (struct acl_conf *)a->items));
	return 0;
}

int
acl_default_set(const char *name, int dflt, char *err, size_t len)
{
	struct acl_conf *ac = acl_get(name, err, len), tmp;
	int rc;

	if (ac == NULL)
		return -ENOENT;
	tmp = *ac;
	tmp.default_action = dflt;
	rc = acl_install(&tmp, NULL, err, len);
	if (rc == 0)
		ac->default_action = dflt;
	return rc;
}

/*
 * Publish @p ac with @p rules (n) instead of its rules; @p keep maps new
 * positions to old ones. On success the model takes @p rules.
 */
static int
rules_replace(struct acl_conf *ac, struct acl_rule_conf *rules,
	      unsigned int n, const int *keep, char *err, size_t len)
{
	struct acl_conf tmp = *ac;
	int rc;

	tmp.rules.items = rules;
	tmp.rules.n = n;
	rc = acl_install(&tmp, keep, err, len);
	if (rc < 0) {
		free(rules);
		return rc;
	}
	free(ac->rules.items);
	ac->rules.items = rules;
	ac->rules.n = n;
	return 0;
}

int
acl_rule_insert(const char *name, unsigned int pos,
		const struct acl_rule_conf *rc, char *err, size_t len)
{
	struct acl_conf *ac = acl_get(name, err, len);
	struct acl_rule_conf *rules;
	const char *why, *field = "";
	char val[64] = "";
	unsigned int n, i, at;
	int *keep, ret;

	if (ac == NULL)
		return -ENOENT;
	n = ac->rules.n;
	if (pos > n + 1) {
		snprintf(err, len, "acl %s has %u rules: a new one goes at "
			 "1..%u", name, n, n + 1);
		return -EINVAL;
	}
	at = pos == 0 ? n : pos - 1;
	why = acl_rule_check(classify_model, rc, &field, &val[0], sizeof(val));
	if (why != NULL) {
		snprintf(err, len, "acl %s: %s %s: %s", name, field + 1, val,
			 why);
		return -EINVAL;
	}
	rules = calloc(n + 1, sizeof(*rules));
	keep = calloc(n + 1, sizeof(*keep));
	if (rules == NULL || keep == NULL) {
		free(rules);
		free(keep);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i <= n; i++) {
		keep[i] = i < at ? (int)i : i == at ? -1 : (int)i - 1;
		rules[i] = i == at ? *rc :
			((struct acl_rule_conf *)ac->rules.items)[keep[i]];
	}
	ret = rules_replace(ac, rules, n + 1, keep, err, len);
	free(keep);
	return ret;
}

int
acl_rule_delete(const char *name, unsigned int pos, char *err, size_t len)
{
	struct acl_conf *ac = acl_get(name, err, len);
	struct acl_rule_conf *rules;
	unsigned int n, i;
	int *keep, ret;

	if (ac == NULL)
		return -ENOENT;
	n = ac->rules.n;
	if (pos == 0 || pos > n) {
		snprintf(err, len, "acl %s has no rule %u (it has %u)", name,
			 pos, n);
		return -ENOENT;
	}
	rules = calloc(n, sizeof(*rules));
	keep = calloc(n, sizeof(*keep));
	if (rules == NULL || keep == NULL) {
		free(rules);
		free(keep);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i + 1 < n; i++) {
		keep[i] = i < pos - 1 ? (int)i : (int)i + 1;
		rules[i] = ((struct acl_rule_conf *)ac->rules.items)[keep[i]];
	}
	ret = rules_replace(ac, rules, n - 1, keep, err, len);
	free(keep);
	return ret;
}

int
acl_bind(const char *name, const char *iface, char *err, size_t len)
{
	struct acl_conf *ac = acl_get(name, err, len);
	char entry[IFACE_NAME_LEN] = "";
	const char *owner;
	int rc;

	if (ac == NULL)
		return -ENOENT;
	owner = acl_conf_of_iface(classify_model, iface);
	if (owner[0] != '\0') {
		snprintf(err, len, "interface %s already has acl %s", iface,
			 owner);
		return -EEXIST;
	}
	rc = acl_iface_set(iface, name, err, len);
	if (rc < 0)
		return rc;
	snprintf(entry, sizeof(entry), "%s", iface);
	if (cfg_array_append(&ac->interfaces, sizeof(entry), entry) == NULL) {
		acl_iface_set(iface, NULL, err, len);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int
acl_unbind(const char *iface, char *err, size_t len)
{
	const char *owner = classify_model == NULL ? "" :
		acl_conf_of_iface(classify_model, iface);
	struct acl_conf *ac;
	const char *names;
	unsigned int i;
	int rc;

	if (owner[0] == '\0') {
		snprintf(err, len, "interface %s has no acl", iface);
		return -ENOENT;
	}
	ac = acl_conf_find(classify_model, owner);
	rc = acl_iface_set(iface, NULL, err, len);
	if (rc < 0)
		return rc;
	names = ac->interfaces.items;
	for (i = 0; strcmp(names + i * IFACE_NAME_LEN, iface) != 0; i++)
		;
	cfg_array_remove(&ac->interfaces, IFACE_NAME_LEN, i);
	return 0;
}
