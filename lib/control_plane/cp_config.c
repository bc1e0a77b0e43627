/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "control_plane" config section: representors, the namespace of
 * each VRF's TAPs, and the CoPP rate of each class. The checks of one
 * representor row (cp_rep_check()) are shared with the CLI's add.
 * Errors read FILE:LINE: control_plane.representors.[0].name: ... .
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cp_priv.h"

#define SCHEMA(n, type, f) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type) }

static const struct cfg_field rep_fields[] = {
	{ "interface", CFG_STRING, offsetof(struct cp_rep_conf, interface),
	  IFACE_NAME_LEN, .required = true,
	  .doc = "ferry interface (port or VLAN subinterface) it represents" },
	{ "name", CFG_STRING, offsetof(struct cp_rep_conf, name),
	  CP_TAP_NAME_MAX + 1,
	  .doc = "Linux name of the TAP (at most 15 characters); absent = "
		 "the interface name, cut to 15" },
	{ "netns", CFG_STRING, offsetof(struct cp_rep_conf, netns),
	  CP_NETNS_LEN,
	  .doc = "network namespace (/run/netns/NAME, made by the operator) "
		 "of the TAP; absent = its VRF's (vrf_netns), else ferry's "
		 "own" },
};

const struct cfg_schema cp_rep_schema = {
	.name = "representor",
	.fields = rep_fields,
	.n_fields = RTE_DIM(rep_fields),
	.size = sizeof(struct cp_rep_conf),
	.keys = (const char *const[]){ "interface", NULL },
	.ops = &cp_rep_ops,
};

static const struct cfg_field vrf_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct cp_vrf_conf, vrf), VRF_NAME_LEN,
	  .required = true, .doc = "ferry VRF" },
	{ "netns", CFG_STRING, offsetof(struct cp_vrf_conf, netns),
	  CP_NETNS_LEN, .required = true,
	  .doc = "network namespace its interfaces' TAPs go to" },
};

static const struct cfg_schema vrf_schema =
	SCHEMA("vrf_netns", struct cp_vrf_conf, vrf_fields);

/* One schema per CoPP class: the same two keys, each class's defaults. */
#define _CLASS_FIELDS(e, name, def_rate, def_burst)                                 \
static const struct cfg_field class_##e##_fields[] = {                      \
	{ "rate", CFG_UINT, offsetof(struct cp_class_conf, rate), 4, 0,     \
	  10000000, .def = #def_rate,                                           \
	  .doc = "packets/s this class may send to the TAPs (all workers "  \
		 "together); 0 = none" },                                   \
	{ "burst", CFG_UINT, offsetof(struct cp_class_conf, burst), 4, 1,   \
	  1000000, .def = #def_burst,                                           \
	  .doc = "packets it may send at once after a quiet time" },        \
};
FOREACH_COPP_CLASS(_CLASS_FIELDS)
#undef _CLASS_FIELDS

#define _CLASS_SCHEMA(e, name, rate, burst)                                 \
static const struct cfg_schema class_##e##_schema =                        \
	SCHEMA(name, struct cp_class_conf, class_##e##_fields);
FOREACH_COPP_CLASS(_CLASS_SCHEMA)
#undef _CLASS_SCHEMA

static const struct cfg_field copp_fields[] = {
#define _CLASS_ROW(e, name, rate, burst)                                    \
	{ name, CFG_GROUP, offsetof(struct cp_copp_conf, cls[COPP_##e]),    \
	  sizeof(struct cp_class_conf), .sub = &class_##e##_schema,         \
	  .doc = "CoPP class " name " (doc/control-plane.md)" },
	FOREACH_COPP_CLASS(_CLASS_ROW)
#undef _CLASS_ROW
};

static const struct cfg_schema copp_schema =
	SCHEMA("copp", struct cp_copp_conf, copp_fields);

static const struct cfg_field cp_fields[] = {
	{ "representors", CFG_LIST, offsetof(struct cp_conf, representors),
	  sizeof(struct cp_rep_conf), 0, IFACE_MAX, .sub = &cp_rep_schema,
	  .doc = "interfaces that get a TAP" },
	{ "vrf_netns", CFG_LIST, offsetof(struct cp_conf, vrf_netns),
	  sizeof(struct cp_vrf_conf), 0, 0, .sub = &vrf_schema,
	  .doc = "namespace per VRF: where the TAPs of a VRF's interfaces "
		 "go unless a representor names its own" },
	{ "copp", CFG_GROUP, offsetof(struct cp_conf, copp),
	  sizeof(struct cp_copp_conf), .sub = &copp_schema,
	  .doc = "rate limits of punted traffic per class" },
};

/*
 * The section's own values (vrf_netns, copp): the CoPP buckets are split
 * among the workers at start and the TAPs already made live in their
 * namespaces, so these need a restart; the representors change live.
 */
static int
cp_group_check(const struct cfg_change *c, char *err, size_t len)
{
	if (c->start)
		return 0;
	snprintf(err, len, "control_plane.copp and vrf_netns are set at "
		 "start (needs a restart); representors change live");
	return -EINVAL;
}

static const struct cfg_list_ops cp_group_ops = {
	.check = cp_group_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
};

static const struct cfg_schema cp_schema = {
	.name = "control_plane",
	.fields = cp_fields,
	.n_fields = RTE_DIM(cp_fields),
	.size = sizeof(struct cp_conf),
	.ops = &cp_group_ops,
};

const char *
copp_class_name(enum copp_class c)
{
	static const char *const names[COPP_MAX] = {
#define _COPP_NAME(e, name, rate, burst) [COPP_##e] = name,
		FOREACH_COPP_CLASS(_COPP_NAME)
#undef _COPP_NAME
	};

	return c < COPP_MAX ? names[c] : "?";
}

int
copp_class_from_name(const char *name)
{
	int c;

	for (c = 0; c < COPP_MAX; c++)
		if (strcmp(copp_class_name((enum copp_class)c), name) == 0)
			return c;
	return -1;
}

char *
cp_tap_name_default(const char *iface, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", CP_TAP_NAME_MAX, iface);
	return buf;
}

/* Linux's dev_valid_name(): 1..15 bytes, not . or .., no / : or blank. */
static const char *
tap_name_check(const char *s)
{
	if (s[0] == '\0' || strlen(s) > CP_TAP_NAME_MAX)
		return "a TAP name is 1..15 characters";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
	    strpbrk(s, "/: \t\n") != NULL)
		return "not a Linux interface name (no / : or blanks)";
	return NULL;
}

static const char *
netns_name_check(const char *s)
{
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
	    strchr(s, '/') != NULL)
		return "a namespace name is a file name in /run/netns";
	return NULL;
}

const char *
cp_rep_netns(const struct cfg_model *m, const struct cp_rep_conf *rc)
{
	const struct cp_conf *c = cfg_model_section(m, "control_plane");
	const struct iface_conf *ic = iface_conf_find(m, rc->interface);
	const struct cp_vrf_conf *v;
	unsigned int i;

	if (rc->netns[0] != '\0' || c == NULL || ic == NULL)
		return rc->netns;
	v = c->vrf_netns.items;
	for (i = 0; i < c->vrf_netns.n; i++)
		if (strcmp(v[i].vrf, ic->vrf) == 0)
			return v[i].netns;
	return "";
}

/* The TAP name of a row: its own, or the default. */
static const char *
rep_tap_name(const struct cp_rep_conf *rc, char *buf, size_t len)
{
	if (rc->name[0] != '\0')
		return rc->name;
	return cp_tap_name_default(rc->interface, buf, len);
}

const char *
cp_rep_value(const struct cp_rep_conf *rc, const char *field, char *buf,
	     size_t len)
{
	if (field[0] == 'i')
		return rc->interface;
	if (field[1] == 'a')
		return rep_tap_name(rc, buf, len);
	return rc->netns;
}

/* A representor before @p self with the same TAP name and netns (a new
 * one's @p self is the count: all are before it). */
static bool
name_taken(const struct cfg_model *m, const struct cp_rep_conf *rc,
	   unsigned int self)
{
	const struct cp_conf *c = cfg_model_section(m, "control_plane");
	const struct cp_rep_conf *r = c->representors.items;
	char a[CP_TAP_NAME_MAX + 1], b[CP_TAP_NAME_MAX + 1];
	const char *mine = rep_tap_name(rc, a, sizeof(a));
	unsigned int i;

	for (i = 0; i < c->representors.n && i < self; i++) {
		if (strcmp(mine, rep_tap_name(&r[i], b, sizeof(b))) == 0 &&
		    strcmp(cp_rep_netns(m, rc), cp_rep_netns(m, &r[i])) == 0)
			return true;
	}
	return false;
}

const char *
cp_rep_check(const struct cfg_model *m, const struct cp_rep_conf *rc,
	     unsigned int self, const char **field)
{
	char def[CP_TAP_NAME_MAX + 1];
	const char *why;

	*field = "interface";
	if (iface_conf_find(m, rc->interface) == NULL)
		return "no such interface";
	*field = "name";
	why = tap_name_check(rc->name[0] != '\0' ? rc->name :
			     cp_tap_name_default(rc->interface, def,
						 sizeof(def)));
	if (why == NULL && name_taken(m, rc, self))
		why = "another representor has this TAP name in its namespace";
	if (why != NULL)
		return why;
	*field = "netns";
	return netns_name_check(rc->netns);
}

static int
check_vrfs(struct cfg_ctx *ctx, const struct cp_conf *c)
{
	const struct cp_vrf_conf *v = c->vrf_netns.items;
	char path[96], val[CP_NETNS_LEN + 2];
	unsigned int i, j;
	int n = 0;

	for (i = 0; i < c->vrf_netns.n; i++) {
		const char *why = netns_name_check(v[i].netns);
		const char *key = "netns";

		for (j = 0; why == NULL && j < i; j++)
			if (strcmp(v[i].vrf, v[j].vrf) == 0) {
				why = "VRF listed twice";
				key = "vrf";
			}
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "control_plane.vrf_netns.[%u].%s",
			 i, key);
		snprintf(val, sizeof(val), "\"%s\"",
			 key[0] == 'v' ? v[i].vrf : v[i].netns);
		cfg_error(ctx, path, val, "%s", why);
		n++;
	}
	return n;
}

static int
cp_check(struct cfg_ctx *ctx, struct cfg_model *m)
{
	const struct cp_conf *c = cfg_model_section(m, "control_plane");
	const struct cp_rep_conf *r = c->representors.items;
	char path[96], val[IFACE_NAME_LEN + CP_NETNS_LEN], buf[CP_TAP_NAME_MAX + 1];
	const char *field, *why;
	unsigned int i;
	int n = check_vrfs(ctx, c);

	for (i = 0; i < c->representors.n; i++) {
		why = cp_rep_check(m, &r[i], i, &field);
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path),
			 "control_plane.representors.[%u].%s", i, field);
		snprintf(val, sizeof(val), "\"%s\"",
			 cp_rep_value(&r[i], field, buf, sizeof(buf)));
		cfg_error(ctx, path, val, "%s", why);
		n++;
	}
	return n;
}

const struct cfg_section cp_cfg_section = {
	.key = "control_plane",
	.type = CFG_GROUP,
	.schema = &cp_schema,
	.doc = "Control-plane path (doc/control-plane.md): a Linux TAP per "
	       "listed interface with its MAC, MTU, address and link state; "
	       "what ferry receives for itself and does not serve goes to "
	       "it, rate-limited per class (CoPP), and what the kernel "
	       "writes on it leaves by ferry's ports. Absent: none, and "
	       "such traffic is dropped as ip4_local_unhandled. "
	       "Representors are added and removed live (`config reload`, "
	       "the CLI); copp and vrf_netns need a restart.",
	.check = cp_check,
};
