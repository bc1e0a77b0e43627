/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operator changes to ACLs (the CLI): each edits one ACL row of a copy
 * of the running model; lib/config's cfg_edit() runs the copy as one
 * change, whose batch commit (acl_commit(), the path `config reload`
 * takes) builds and publishes what changed. Rules equal to running ones
 * keep their counters. A change is all or nothing, checked by the
 * loader's checks, and `show running-config` prints what runs. What an
 * edit says itself is only what the rows cannot: a rule position, a
 * binding that is there or not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_priv.h"

static const struct cfg_row_ref acls_ref = { "acls", 0, &acl_conf_schema };

struct acl_edit;
/* What a command does to ACL @p ac of the copy @p m. */
typedef int (*acl_edit_fn)(struct cfg_model *m, struct acl_conf *ac,
			   const struct acl_edit *e, char *err, size_t len);

struct acl_edit {
	acl_edit_fn fn;
	const char *name;
	int dflt;
	unsigned int pos;
	const struct acl_rule_conf *rule;
	const char *iface;
};

static int
on_acl(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct acl_edit *e = arg;
	struct acl_conf key = { .default_action = 0 }, *ac;

	snprintf(key.name, sizeof(key.name), "%s", e->name);
	ac = cfg_row_get(cfg_model_section(m, "acls"), &acl_conf_schema, &key,
			 err, len);
	return ac == NULL ? -ENOENT : e->fn(m, ac, e, err, len);
}

int
acl_create(const char *name, int dflt, char *err, size_t len)
{
	struct acl_conf ac = { .default_action = dflt };
	const char *why = acl_name_check(name);

	if (why == NULL && strlen(name) >= ACL_NAME_LEN)
		why = "name too long";
	if (why != NULL) {
		snprintf(err, len, "acl %s: %s", name, why);
		return -EINVAL;
	}
	snprintf(ac.name, sizeof(ac.name), "%s", name);
	return cfg_edit_row(classify_model, CFG_CREATE, &acls_ref, &ac, err,
			    len);
}

static int
delete_edit(struct cfg_model *m, struct acl_conf *ac,
	    const struct acl_edit *e, char *err, size_t len)
{
	if (ac->interfaces.n != 0) {
		snprintf(err, len, "acl %s is bound to %s; unbind it first",
			 e->name, (const char *)ac->interfaces.items);
		return -EBUSY;
	}
	return cfg_row_del(cfg_model_section(m, "acls"), &acl_conf_schema, ac,
			   err, len);
}

int
acl_delete(const char *name, char *err, size_t len)
{
	struct acl_edit e = { .fn = delete_edit, .name = name };

	return cfg_edit(classify_model, on_acl, &e, err, len);
}

static int
default_edit(struct cfg_model *m, struct acl_conf *ac,
	     const struct acl_edit *e, char *err, size_t len)
{
	RTE_SET_USED(m);
	RTE_SET_USED(err);
	RTE_SET_USED(len);
	ac->default_action = e->dflt;
	return 0;
}

int
acl_default_set(const char *name, int dflt, char *err, size_t len)
{
	struct acl_edit e = { .fn = default_edit, .name = name, .dflt = dflt };

	return cfg_edit(classify_model, on_acl, &e, err, len);
}

static int
insert_edit(struct cfg_model *m, struct acl_conf *ac,
	    const struct acl_edit *e, char *err, size_t len)
{
	unsigned int n = ac->rules.n, at = e->pos == 0 ? n : e->pos - 1;
	const char *why, *field = "";
	struct acl_rule_conf *r;
	char val[64] = "";

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
	if (cfg_array_add(&ac->rules, sizeof(*r), e->rule, err, len) < 0)
		return -ENOMEM;
	r = ac->rules.items; /* it becomes rule @p at, the others move down */
	memmove(&r[at + 1], &r[at], (n - at) * sizeof(*r));
	r[at] = *e->rule;
	return 0;
}

int
acl_rule_insert(const char *name, unsigned int pos,
		const struct acl_rule_conf *rc, char *err, size_t len)
{
	struct acl_edit e = { .fn = insert_edit, .name = name, .pos = pos,
			      .rule = rc };

	return cfg_edit(classify_model, on_acl, &e, err, len);
}

static int
rule_delete_edit(struct cfg_model *m, struct acl_conf *ac,
		 const struct acl_edit *e, char *err, size_t len)
{
	RTE_SET_USED(m);
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
	struct acl_edit e = { .fn = rule_delete_edit, .name = name,
			      .pos = pos };

	return cfg_edit(classify_model, on_acl, &e, err, len);
}

static int
bind_edit(struct cfg_model *m, struct acl_conf *ac, const struct acl_edit *e,
	  char *err, size_t len)
{
	const char *owner = acl_conf_of_iface(m, e->iface);
	char entry[IFACE_NAME_LEN] = "";

	if (owner[0] != '\0') {
		snprintf(err, len, "interface %s already has acl %s", e->iface,
			 owner);
		return -EEXIST;
	}
	snprintf(entry, sizeof(entry), "%s", e->iface);
	return cfg_array_add(&ac->interfaces, sizeof(entry), entry, err, len);
}

int
acl_bind(const char *name, const char *iface, char *err, size_t len)
{
	struct acl_edit e = { .fn = bind_edit, .name = name, .iface = iface };

	return cfg_edit(classify_model, on_acl, &e, err, len);
}

static int
unbind_edit(struct cfg_model *m, struct acl_conf *ac,
	    const struct acl_edit *e, char *err, size_t len)
{
	RTE_SET_USED(m);
	RTE_SET_USED(err);
	RTE_SET_USED(len);
	cfg_array_remove(&ac->interfaces, IFACE_NAME_LEN, (unsigned int)
			 cfg_string_index(&ac->interfaces, IFACE_NAME_LEN,
					  e->iface));
	return 0;
}

int
acl_unbind(const char *iface, char *err, size_t len)
{
	struct acl_edit e = { .fn = unbind_edit, .iface = iface };

	e.name = classify_model == NULL ? "" :
		 acl_conf_of_iface(classify_model, iface);
	if (e.name[0] == '\0') {
		snprintf(err, len, "interface %s has no acl", iface);
		return -ENOENT;
	}
	return cfg_edit(classify_model, on_acl, &e, err, len);
}
