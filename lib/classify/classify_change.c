/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operator changes to ACLs (the CLI). Each one checks like the loader
 * and edits a copy of the running model; lib/config's cfg_edit() runs
 * the copy as one change, whose batch commit (classify_reload(), the
 * path `config reload` takes) builds and publishes what changed. Rules
 * equal to running ones keep their counters. A change is all or
 * nothing, and `show running-config` prints what runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_priv.h"

static int
acl_change(cfg_edit_fn fn, const void *arg, char *err, size_t len)
{
	if (classify_model == NULL) {
		snprintf(err, len, "classification is not set up");
		return -ENODEV;
	}
	return cfg_edit(classify_model, fn, arg, err, len);
}

/* ACL @p name of the copy @p m. */
static struct acl_conf *
acl_get(struct cfg_model *m, const char *name, char *err, size_t len)
{
	struct acl_conf *ac = acl_conf_find(m, name);

	if (ac == NULL)
		snprintf(err, len, "no acl %s", name);
	return ac;
}

struct acl_edit {
	const char *name;
	int dflt;
	unsigned int pos;
	const struct acl_rule_conf *rule;
	const char *iface;
};

static int
create_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct cfg_array *a = cfg_model_section(m, "acls");
	struct acl_conf ac = { .default_action = e->dflt };
	const char *why = acl_name_check(e->name);

	if (why == NULL && strlen(e->name) >= ACL_NAME_LEN)
		why = "name too long";
	if (why == NULL && acl_conf_find(m, e->name) != NULL)
		why = "already exists";
	if (why != NULL) {
		snprintf(err, len, "acl %s: %s", e->name, why);
		return -EINVAL;
	}
	snprintf(ac.name, sizeof(ac.name), "%s", e->name);
	return cfg_array_append(a, sizeof(ac), &ac) == NULL ? -ENOMEM : 0;
}

int
acl_create(const char *name, int dflt, char *err, size_t len)
{
	struct acl_edit e = { .name = name, .dflt = dflt };

	return acl_change(create_edit, &e, err, len);
}

static int
delete_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct cfg_array *a = cfg_model_section(m, "acls");
	struct acl_conf *ac = acl_get(m, e->name, err, len);

	if (ac == NULL)
		return -ENOENT;
	if (ac->interfaces.n != 0) {
		snprintf(err, len, "acl %s is bound to %s; unbind it first",
			 e->name, (const char *)ac->interfaces.items);
		return -EBUSY;
	}
	free(ac->rules.items);
	free(ac->interfaces.items);
	cfg_array_remove(a, sizeof(*ac), (unsigned int)(ac -
			 (struct acl_conf *)a->items));
	return 0;
}

int
acl_delete(const char *name, char *err, size_t len)
{
	struct acl_edit e = { .name = name };

	return acl_change(delete_edit, &e, err, len);
}

static int
default_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct acl_conf *ac = acl_get(m, e->name, err, len);

	if (ac == NULL)
		return -ENOENT;
	ac->default_action = e->dflt;
	return 0;
}

int
acl_default_set(const char *name, int dflt, char *err, size_t len)
{
	struct acl_edit e = { .name = name, .dflt = dflt };

	return acl_change(default_edit, &e, err, len);
}

/* Rule @p rc at index @p at of @p ac's rules (the others move down). */
static int
rule_put(struct acl_conf *ac, unsigned int at, const struct acl_rule_conf *rc)
{
	struct acl_rule_conf *r;
	unsigned int n = ac->rules.n;

	if (cfg_array_append(&ac->rules, sizeof(*rc), rc) == NULL)
		return -ENOMEM;
	r = ac->rules.items;
	memmove(&r[at + 1], &r[at], (n - at) * sizeof(*r));
	r[at] = *rc;
	return 0;
}

static int
insert_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct acl_conf *ac = acl_get(m, e->name, err, len);
	const char *why, *field = "";
	char val[64] = "";
	unsigned int n;

	if (ac == NULL)
		return -ENOENT;
	n = ac->rules.n;
	if (e->pos > n + 1) {
		snprintf(err, len, "acl %s has %u rules: a new one goes at "
			 "1..%u", e->name, n, n + 1);
		return -EINVAL;
	}
	why = acl_rule_check(m, e->rule, &field, &val[0], sizeof(val));
	if (why != NULL) {
		snprintf(err, len, "acl %s: %s %s: %s", e->name, field + 1,
			 val, why);
		return -EINVAL;
	}
	return rule_put(ac, e->pos == 0 ? n : e->pos - 1, e->rule);
}

int
acl_rule_insert(const char *name, unsigned int pos,
		const struct acl_rule_conf *rc, char *err, size_t len)
{
	struct acl_edit e = { .name = name, .pos = pos, .rule = rc };

	return acl_change(insert_edit, &e, err, len);
}

static int
rule_delete_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct acl_conf *ac = acl_get(m, e->name, err, len);

	if (ac == NULL)
		return -ENOENT;
	if (e->pos == 0 || e->pos > ac->rules.n) {
		snprintf(err, len, "acl %s has no rule %u (it has %u)",
			 e->name, e->pos, ac->rules.n);
		return -ENOENT;
	}
	cfg_array_remove(&ac->rules, sizeof(struct acl_rule_conf),
			 e->pos - 1);
	return 0;
}

int
acl_rule_delete(const char *name, unsigned int pos, char *err, size_t len)
{
	struct acl_edit e = { .name = name, .pos = pos };

	return acl_change(rule_delete_edit, &e, err, len);
}

static int
bind_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct acl_conf *ac = acl_get(m, e->name, err, len);
	char entry[IFACE_NAME_LEN] = "";
	const char *owner;

	if (ac == NULL)
		return -ENOENT;
	owner = acl_conf_of_iface(m, e->iface);
	if (owner[0] != '\0') {
		snprintf(err, len, "interface %s already has acl %s", e->iface,
			 owner);
		return -EEXIST;
	}
	snprintf(entry, sizeof(entry), "%s", e->iface);
	return cfg_array_append(&ac->interfaces, sizeof(entry), entry) ==
	       NULL ? -ENOMEM : 0;
}

int
acl_bind(const char *name, const char *iface, char *err, size_t len)
{
	struct acl_edit e = { .name = name, .iface = iface };

	return acl_change(bind_edit, &e, err, len);
}

static int
unbind_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	const char *owner = acl_conf_of_iface(m, e->iface), *names;
	struct acl_conf *ac;
	unsigned int i;

	if (owner[0] == '\0') {
		snprintf(err, len, "interface %s has no acl", e->iface);
		return -ENOENT;
	}
	ac = acl_conf_find(m, owner);
	names = ac->interfaces.items;
	for (i = 0; strcmp(names + i * IFACE_NAME_LEN, e->iface) != 0; i++)
		;
	cfg_array_remove(&ac->interfaces, IFACE_NAME_LEN, i);
	return 0;
}

int
acl_unbind(const char *iface, char *err, size_t len)
{
	struct acl_edit e = { .iface = iface };

	return acl_change(unbind_edit, &e, err, len);
}
