/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPLS changes as operators make them (the CLI). Each change is checked
 * with the loader's own row checks (mpls_check.c), installed through the
 * loader's install functions (mpls.c), and only then recorded in the
 * model, undoing the install if the model cannot take it: all or
 * nothing, and `show running-config` always prints what runs. Nothing
 * is accepted that would make the written file fail to load (an LSP
 * still used by VPN routes cannot be deleted, for example).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpls_priv.h"

#define VAL_LEN 64

static struct mpls_conf *
conf(void)
{
	return mpls_model == NULL ? NULL :
		cfg_model_section(mpls_model, "mpls");
}

/* "value: reason" from a row check, as route_static.c writes it. */
static int
refused(const char *why, const char *val, char *err, size_t len)
{
	snprintf(err, len, "%s%s%s", val, val[0] != '\0' ? ": " : "", why);
	return -EINVAL;
}

static int
not_ready(char *err, size_t len)
{
	snprintf(err, len, "MPLS is not set up");
	return -ENODEV;
}

static int
install_failed(int rc, char *err, size_t len)
{
	snprintf(err, len, "cannot install: %s", strerror(-rc));
	return rc;
}

static int
out_of_memory(char *err, size_t len)
{
	snprintf(err, len, "out of memory");
	return -ENOMEM;
}

static struct mpls_vrf_conf *
vrf_conf_find(const char *vrf, unsigned int *idx)
{
	struct mpls_vrf_conf *vc = conf()->vrfs.items;
	unsigned int i;

	for (i = 0; i < conf()->vrfs.n; i++) {
		if (strcmp(vc[i].vrf, vrf) == 0) {
			*idx = i;
			return &vc[i];
		}
	}
	return NULL;
}

int
mpls_vrf_add(const struct mpls_vrf_conf *vc, char *err, size_t len)
{
	char val[VAL_LEN] = "";
	const char *why, *field;
	unsigned int i;
	int rc;

	if (conf() == NULL)
		return not_ready(err, len);
	if (vrf_conf_find(vc->vrf, &i) != NULL) {
		snprintf(err, len, "VRF %s has MPLS settings; delete them "
			 "first", vc->vrf);
		return -EEXIST;
	}
	why = mpls_vrf_check(mpls_model, vc, &field, val, sizeof(val));
	if (why != NULL)
		return refused(why, val, err, len);
	rc = mpls_vrf_install(vc);
	if (rc < 0)
		return install_failed(rc, err, len);
	if (cfg_array_append(&conf()->vrfs, sizeof(*vc), vc) == NULL) {
		mpls_vrf_uninstall(vc);
		return out_of_memory(err, len);
	}
	return 0;
}

int
mpls_vrf_del(const char *vrf, char *err, size_t len)
{
	struct mpls_vrf_conf *vc;
	unsigned int i;

	if (conf() == NULL)
		return not_ready(err, len);
	vc = vrf_conf_find(vrf, &i);
	if (vc == NULL) {
		snprintf(err, len, "VRF %s has no MPLS settings", vrf);
		return -ENOENT;
	}
	mpls_vrf_uninstall(vc);
	free(vc->prefix_labels.items);
	cfg_array_remove(&conf()->vrfs, sizeof(*vc), i);
	return 0;
}

/* The per-prefix VRF @p vrf, or NULL with @p err set. */
static struct mpls_vrf_conf *
per_prefix_vrf(const char *vrf, char *err, size_t len)
{
	struct mpls_vrf_conf *vc;
	unsigned int i;

	vc = vrf_conf_find(vrf, &i);
	if (vc == NULL)
		snprintf(err, len, "VRF %s has no MPLS settings", vrf);
	else if (vc->label_mode != MPLS_LABEL_PER_PREFIX)
		snprintf(err, len, "VRF %s allocates per VRF, not per prefix",
			 vrf);
	else
		return vc;
	return NULL;
}

static int
prefix_label_find(const struct mpls_vrf_conf *vc,
		  const struct cfg_ipv4_prefix *p)
{
	const struct mpls_prefix_label_conf *pl = vc->prefix_labels.items;
	unsigned int i;

	for (i = 0; i < vc->prefix_labels.n; i++)
		if (pl[i].prefix.addr == p->addr && pl[i].prefix.len == p->len)
			return (int)i;
	return -1;
}

int
mpls_prefix_label_add(const char *vrf,
		      const struct mpls_prefix_label_conf *pl, char *err,
		      size_t len)
{
	struct mpls_nhlfe nh = { .op = MPLS_OP_POP_LOOKUP };
	struct mpls_vrf_conf *vc;
	int rc;

	if (conf() == NULL)
		return not_ready(err, len);
	vc = per_prefix_vrf(vrf, err, len);
	if (vc == NULL)
		return -EINVAL;
	if (prefix_label_find(vc, &pl->prefix) >= 0) {
		snprintf(err, len, "the prefix has a label; delete it first");
		return -EEXIST;
	}
	if (mpls_label_in_use(mpls_model, pl->label, NULL)) {
		snprintf(err, len, "%u: label already used (lfib or a VRF)",
			 pl->label);
		return -EEXIST;
	}
	nh.vrf = (uint16_t)vrf_find(vrf);
	rc = mpls_lfib_set(pl->label, &nh);
	if (rc < 0)
		return install_failed(rc, err, len);
	if (cfg_array_append(&vc->prefix_labels, sizeof(*pl), pl) == NULL) {
		mpls_lfib_unset(pl->label);
		return out_of_memory(err, len);
	}
	return 0;
}

int
mpls_prefix_label_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		      char *err, size_t len)
{
	const struct mpls_prefix_label_conf *pl;
	struct mpls_vrf_conf *vc;
	int i;

	if (conf() == NULL)
		return not_ready(err, len);
	vc = per_prefix_vrf(vrf, err, len);
	if (vc == NULL)
		return -EINVAL;
	i = prefix_label_find(vc, prefix);
	if (i < 0) {
		snprintf(err, len, "no label for this prefix");
		return -ENOENT;
	}
	pl = vc->prefix_labels.items;
	mpls_lfib_unset(pl[i].label);
	cfg_array_remove(&vc->prefix_labels, sizeof(*pl), (unsigned int)i);
	return 0;
}

static int
vpn_route_find(const char *vrf, const struct cfg_ipv4_prefix *p)
{
	const struct mpls_vpn_route_conf *rc = conf()->vpn_routes.items;
	unsigned int i;

	for (i = 0; i < conf()->vpn_routes.n; i++)
		if (strcmp(rc[i].vrf, vrf) == 0 &&
		    rc[i].prefix.addr == p->addr && rc[i].prefix.len == p->len)
			return (int)i;
	return -1;
}

int
mpls_vpn_route_add(const struct mpls_vpn_route_conf *rc, char *err,
		   size_t len)
{
	char val[VAL_LEN] = "";
	const char *why, *field;
	int ret;

	if (conf() == NULL)
		return not_ready(err, len);
	if (vpn_route_find(rc->vrf, &rc->prefix) >= 0) {
		snprintf(err, len, "the VPN route exists; delete it first");
		return -EEXIST;
	}
	why = mpls_vpn_route_check(mpls_model, rc, &field, val, sizeof(val));
	if (why != NULL)
		return refused(why, val, err, len);
	ret = mpls_vpn_route_install(rc);
	if (ret == -EEXIST) {
		snprintf(err, len, "the VRF has another route with this "
			 "prefix");
		return ret;
	}
	if (ret < 0)
		return install_failed(ret, err, len);
	if (cfg_array_append(&conf()->vpn_routes, sizeof(*rc), rc) == NULL) {
		mpls_vpn_route_unset((unsigned int)vrf_find(rc->vrf),
				     rc->prefix.addr, rc->prefix.len, rc->pe,
				     rc->label);
		return out_of_memory(err, len);
	}
	return 0;
}

int
mpls_vpn_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		   char *err, size_t len)
{
	const struct mpls_vpn_route_conf *rc;
	int i, ret;

	if (conf() == NULL)
		return not_ready(err, len);
	i = vpn_route_find(vrf, prefix);
	if (i < 0) {
		snprintf(err, len, "no such VPN route");
		return -ENOENT;
	}
	rc = (const struct mpls_vpn_route_conf *)conf()->vpn_routes.items + i;
	ret = mpls_vpn_route_unset((unsigned int)vrf_find(vrf), prefix->addr,
				   prefix->len, rc->pe, rc->label);
	if (ret < 0) {
		snprintf(err, len, "cannot delete: %s", strerror(-ret));
		return ret;
	}
	cfg_array_remove(&conf()->vpn_routes,
			 sizeof(struct mpls_vpn_route_conf), (unsigned int)i);
	return 0;
}

static int
lsp_find(uint32_t pe)
{
	const struct mpls_lsp_conf *lc = conf()->lsps.items;
	unsigned int i;

	for (i = 0; i < conf()->lsps.n; i++)
		if (lc[i].pe == pe)
			return (int)i;
	return -1;
}

int
mpls_lsp_add(const struct mpls_lsp_conf *lc, char *err, size_t len)
{
	char val[VAL_LEN] = "";
	const char *why, *field;
	int i, rc;

	if (conf() == NULL)
		return not_ready(err, len);
	why = mpls_lsp_check(mpls_model, lc, &field, val, sizeof(val));
	if (why != NULL)
		return refused(why, val, err, len);
	rc = mpls_lsp_install(lc);
	if (rc < 0)
		return install_failed(rc, err, len);
	i = lsp_find(lc->pe);
	if (i >= 0) {
		((struct mpls_lsp_conf *)conf()->lsps.items)[i] = *lc;
		return 0;
	}
	if (cfg_array_append(&conf()->lsps, sizeof(*lc), lc) == NULL) {
		mpls_lsp_unset(lc->pe);
		return out_of_memory(err, len);
	}
	return 0;
}

static unsigned int
vpn_routes_via(uint32_t pe)
{
	const struct mpls_vpn_route_conf *rc = conf()->vpn_routes.items;
	unsigned int i, n = 0;

	for (i = 0; i < conf()->vpn_routes.n; i++)
		n += rc[i].pe == pe;
	return n;
}

int
mpls_lsp_del(uint32_t pe, char *err, size_t len)
{
	int i;

	if (conf() == NULL)
		return not_ready(err, len);
	i = lsp_find(pe);
	if (i < 0) {
		snprintf(err, len, "no LSP to this PE");
		return -ENOENT;
	}
	if (vpn_routes_via(pe) != 0) {
		snprintf(err, len, "%u VPN route(s) go to this PE; delete "
			 "them first", vpn_routes_via(pe));
		return -EBUSY;
	}
	mpls_lsp_unset(pe);
	cfg_array_remove(&conf()->lsps, sizeof(struct mpls_lsp_conf),
			 (unsigned int)i);
	return 0;
}

static int
lfib_find(uint32_t label)
{
	const struct mpls_lfib_conf *fc = conf()->lfib.items;
	unsigned int i;

	for (i = 0; i < conf()->lfib.n; i++)
		if (fc[i].label == label)
			return (int)i;
	return -1;
}

int
mpls_lfib_add(const struct mpls_lfib_conf *fc, char *err, size_t len)
{
	char val[VAL_LEN] = "";
	const char *why, *field;
	int i, rc;

	if (conf() == NULL)
		return not_ready(err, len);
	why = mpls_lfib_check(mpls_model, fc, &field, val, sizeof(val));
	if (why != NULL)
		return refused(why, val, err, len);
	i = lfib_find(fc->label);
	rc = mpls_lfib_install(fc);
	if (rc < 0)
		return install_failed(rc, err, len);
	if (i >= 0) {
		((struct mpls_lfib_conf *)conf()->lfib.items)[i] = *fc;
		return 0;
	}
	if (cfg_array_append(&conf()->lfib, sizeof(*fc), fc) == NULL) {
		mpls_lfib_unset(fc->label);
		return out_of_memory(err, len);
	}
	return 0;
}

int
mpls_lfib_del(uint32_t label, char *err, size_t len)
{
	int i;

	if (conf() == NULL)
		return not_ready(err, len);
	i = lfib_find(label);
	if (i < 0) {
		snprintf(err, len, mpls_vrf_label_user(mpls_model, label,
						       NULL) != NULL ?
			 "a VRF's local label: change the VRF's settings" :
			 "no static LFIB entry for this label");
		return -ENOENT;
	}
	mpls_lfib_unset(label);
	cfg_array_remove(&conf()->lfib, sizeof(struct mpls_lfib_conf),
			 (unsigned int)i);
	return 0;
}

/* An LSP or LFIB row that sends out of @p iface, or NULL. */
static const char *
iface_user(const char *iface)
{
	const struct mpls_lsp_conf *lc = conf()->lsps.items;
	const struct mpls_lfib_conf *fc = conf()->lfib.items;
	unsigned int i;

	for (i = 0; i < conf()->lsps.n; i++)
		if (strcmp(lc[i].interface, iface) == 0)
			return "an LSP";
	for (i = 0; i < conf()->lfib.n; i++)
		if (strcmp(fc[i].interface, iface) == 0)
			return "an LFIB entry";
	return NULL;
}

static int
iface_listed(const char *iface)
{
	const char *names = conf()->interfaces.items;
	unsigned int i;

	for (i = 0; i < conf()->interfaces.n; i++)
		if (strcmp(names + i * IFACE_NAME_LEN, iface) == 0)
			return (int)i;
	return -1;
}

int
mpls_iface_set(const char *iface, bool enable, char *err, size_t len)
{
	char name[IFACE_NAME_LEN] = "";
	int x = iface_find(iface), i;

	if (conf() == NULL)
		return not_ready(err, len);
	if (x < 0) {
		snprintf(err, len, "no such interface: %s", iface);
		return -ENOENT;
	}
	i = iface_listed(iface);
	if (enable && i < 0) {
		snprintf(name, sizeof(name), "%s", iface);
		if (cfg_array_append(&conf()->interfaces, sizeof(name),
				     name) == NULL)
			return out_of_memory(err, len);
	} else if (!enable && i >= 0) {
		if (iface_user(iface) != NULL) {
			snprintf(err, len, "%s sends out of it; delete that "
				 "first", iface_user(iface));
			return -EBUSY;
		}
		cfg_array_remove(&conf()->interfaces, IFACE_NAME_LEN,
				 (unsigned int)i);
	}
	__atomic_store_n(&mpls_dp.if_enabled[x], enable, __ATOMIC_RELAXED);
	return 0;
}
