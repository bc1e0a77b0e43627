/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPLS changes as operators make them (the CLI): each edits one row of a
 * copy of the running model and runs it through cfg_edit(), the change
 * transaction a reload runs (mpls_rows.c), so it is checked by the
 * loader's checks, installed by the same ops, all or nothing, and
 * recorded in the model only when it runs. What an edit says itself is
 * only what the rows cannot: a row that is not there, or still in use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpls_priv.h"

static struct mpls_conf *
conf_of(struct cfg_model *m)
{
	return cfg_model_section(m, "mpls");
}

#define REF(list, schema_) { "mpls", offsetof(struct mpls_conf, list), \
	&(schema_) }

static const struct cfg_row_ref vrfs_ref = REF(vrfs, mpls_vrf_schema);
static const struct cfg_row_ref vpn_ref = REF(vpn_routes,
					       mpls_vpn_route_schema);
static const struct cfg_row_ref vpn6_ref = REF(vpn_routes6,
						mpls_vpn_route6_schema);
static const struct cfg_row_ref lsps_ref = REF(lsps, mpls_lsp_schema);
static const struct cfg_row_ref lfib_ref = REF(lfib, mpls_lfib_schema);

/* ---- VRFs and their per-prefix labels ---- */

static struct mpls_vrf_conf *
vrf_of(struct cfg_model *m, const char *vrf, char *err, size_t len)
{
	struct mpls_vrf_conf key = { .label = 0 };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_row_get(&conf_of(m)->vrfs, &mpls_vrf_schema, &key, err,
			   len);
}

int
mpls_vrf_add(const struct mpls_vrf_conf *vc, char *err, size_t len)
{
	return cfg_edit_row(mpls_model, CFG_CREATE, &vrfs_ref, vc, err, len);
}

int
mpls_vrf_del(const char *vrf, char *err, size_t len)
{
	struct mpls_vrf_conf key = { .label = 0 };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit_row(mpls_model, CFG_DELETE, &vrfs_ref, &key, err,
			    len);
}

struct prefix_edit {
	const char *vrf;
	const struct mpls_prefix_label_conf *pl;
};

/* The per-prefix labels of VRF @p vrf, or NULL with @p err set. */
static struct cfg_array *
prefix_labels(struct cfg_model *m, const char *vrf, char *err, size_t len)
{
	struct mpls_vrf_conf *vc = vrf_of(m, vrf, err, len);

	if (vc != NULL && vc->label_mode != MPLS_LABEL_PER_PREFIX) {
		snprintf(err, len, "VRF %s allocates per VRF, not per prefix",
			 vrf);
		return NULL;
	}
	return vc != NULL ? &vc->prefix_labels : NULL;
}

/* Index of the label of @p p in @p a (the list has no key), or -1. */
static int
prefix_label_index(const struct cfg_array *a, const struct cfg_ipv4_prefix *p)
{
	const struct mpls_prefix_label_conf *pl = a->items;
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (pl[i].prefix.addr == p->addr && pl[i].prefix.len == p->len)
			return (int)i;
	return -1;
}

static int
edit_prefix_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct prefix_edit *e = arg;
	struct cfg_array *a = prefix_labels(m, e->vrf, err, len);

	if (a == NULL)
		return -EINVAL;
	if (prefix_label_index(a, &e->pl->prefix) >= 0) {
		snprintf(err, len, "the prefix has a label; delete it first");
		return -EEXIST;
	}
	return cfg_array_add(a, sizeof(*e->pl), e->pl, err, len);
}

static int
edit_prefix_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct prefix_edit *e = arg;
	struct cfg_array *a = prefix_labels(m, e->vrf, err, len);
	int i;

	if (a == NULL)
		return -EINVAL;
	i = prefix_label_index(a, &e->pl->prefix);
	if (i < 0) {
		snprintf(err, len, "no label for this prefix");
		return -ENOENT;
	}
	cfg_array_remove(a, sizeof(*e->pl), (unsigned int)i);
	return 0;
}

int
mpls_prefix_label_add(const char *vrf,
		      const struct mpls_prefix_label_conf *pl, char *err,
		      size_t len)
{
	struct prefix_edit e = { vrf, pl };

	return cfg_edit(mpls_model, edit_prefix_add, &e, err, len);
}

int
mpls_prefix_label_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		      char *err, size_t len)
{
	struct mpls_prefix_label_conf pl = { .prefix = *prefix };
	struct prefix_edit e = { vrf, &pl };

	return cfg_edit(mpls_model, edit_prefix_del, &e, err, len);
}

/* ---- VPN routes, LSPs, LFIB entries ---- */

int
mpls_vpn_route_add(const struct mpls_vpn_route_conf *rc, char *err,
		   size_t len)
{
	return cfg_edit_row(mpls_model, CFG_CREATE, &vpn_ref, rc, err, len);
}

int
mpls_vpn_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		   char *err, size_t len)
{
	struct mpls_vpn_route_conf key = { .prefix = *prefix };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit_row(mpls_model, CFG_DELETE, &vpn_ref, &key, err, len);
}

int
mpls_vpn_route6_add(const struct mpls_vpn_route6_conf *rc, char *err,
		    size_t len)
{
	return cfg_edit_row(mpls_model, CFG_CREATE, &vpn6_ref, rc, err, len);
}

int
mpls_vpn_route6_del(const char *vrf, const struct cfg_ipv6_prefix *prefix,
		    char *err, size_t len)
{
	struct mpls_vpn_route6_conf key = { .prefix = *prefix };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit_row(mpls_model, CFG_DELETE, &vpn6_ref, &key, err,
			    len);
}

unsigned int
mpls_vpn_routes_to(const struct mpls_conf *mc, uint32_t pe)
{
	const struct mpls_vpn_route_conf *rc = mc->vpn_routes.items;
	const struct mpls_vpn_route6_conf *r6 = mc->vpn_routes6.items;
	unsigned int i, n = 0;

	for (i = 0; i < mc->vpn_routes.n; i++)
		n += rc[i].pe == pe;
	for (i = 0; i < mc->vpn_routes6.n; i++)
		n += r6[i].pe == pe;
	return n;
}

static int
edit_lsp_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct mpls_lsp_conf *key = arg;
	unsigned int n = mpls_vpn_routes_to(conf_of(m), key->pe);

	if (n != 0 && cfg_array_find(&conf_of(m)->lsps, &mpls_lsp_schema,
				     key) != NULL) {
		snprintf(err, len, "%u VPN route(s) go to this PE; delete "
			 "them first", n);
		return -EBUSY;
	}
	return cfg_row_del(&conf_of(m)->lsps, &mpls_lsp_schema, key, err,
			   len);
}

int
mpls_lsp_add(const struct mpls_lsp_conf *lc, char *err, size_t len)
{
	return cfg_edit_row(mpls_model, CFG_MODIFY, &lsps_ref, lc, err, len);
}

int
mpls_lsp_del(uint32_t pe, char *err, size_t len)
{
	struct mpls_lsp_conf key = { .pe = pe };

	return cfg_edit(mpls_model, edit_lsp_del, &key, err, len);
}

static int
edit_lfib_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct mpls_lfib_conf *key = arg;

	if (cfg_array_find(&conf_of(m)->lfib, &mpls_lfib_schema, key) ==
	    NULL && mpls_vrf_label_user(m, key->label, NULL) != NULL) {
		snprintf(err, len, "a VRF's local label: change the VRF's "
			 "settings");
		return -ENOENT;
	}
	return cfg_row_del(&conf_of(m)->lfib, &mpls_lfib_schema, key, err,
			   len);
}

int
mpls_lfib_add(const struct mpls_lfib_conf *fc, char *err, size_t len)
{
	return cfg_edit_row(mpls_model, CFG_MODIFY, &lfib_ref, fc, err, len);
}

int
mpls_lfib_del(uint32_t label, char *err, size_t len)
{
	struct mpls_lfib_conf key = { .label = label };

	return cfg_edit(mpls_model, edit_lfib_del, &key, err, len);
}

/* ---- interfaces that take labeled packets ---- */

struct iface_edit {
	const char *name;
	bool enable;
};

/* An LSP or LFIB row that sends out of @p iface, or NULL. */
static const char *
iface_user(const struct mpls_conf *mc, const char *iface)
{
	const struct mpls_lsp_conf *lc = mc->lsps.items;
	const struct mpls_lfib_conf *fc = mc->lfib.items;
	unsigned int i;

	for (i = 0; i < mc->lsps.n; i++)
		if (strcmp(lc[i].interface, iface) == 0)
			return "an LSP";
	for (i = 0; i < mc->lfib.n; i++)
		if (strcmp(fc[i].interface, iface) == 0)
			return "an LFIB entry";
	return NULL;
}

static int
edit_iface(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct iface_edit *e = arg;
	struct mpls_conf *mc = conf_of(m);
	int i = cfg_string_index(&mc->interfaces, IFACE_NAME_LEN, e->name);
	char name[IFACE_NAME_LEN] = "";

	if (iface_find(e->name) < 0) {
		snprintf(err, len, "no such interface: %s", e->name);
		return -ENOENT;
	}
	if (e->enable && i < 0) {
		snprintf(name, sizeof(name), "%s", e->name);
		return cfg_array_add(&mc->interfaces, sizeof(name), name,
				     err, len);
	}
	if (!e->enable && i >= 0) {
		if (iface_user(mc, e->name) != NULL) {
			snprintf(err, len, "%s sends out of it; delete that "
				 "first", iface_user(mc, e->name));
			return -EBUSY;
		}
		cfg_array_remove(&mc->interfaces, IFACE_NAME_LEN,
				 (unsigned int)i);
	}
	return 0;
}

int
mpls_iface_set(const char *iface, bool enable, char *err, size_t len)
{
	struct iface_edit e = { iface, enable };

	return cfg_edit(mpls_model, edit_iface, &e, err, len);
}
