/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Static routes, neighbours and VRFs as rows of a change (lib/config's
 * cfg_txn): the live operations of the "vrfs", "routes" and
 * "neighbours" lists, and the CLI's edits of a copy of the running
 * model. Start-up, `config reload` and the CLI all install through
 * these ops, so a change is all or nothing and the running config
 * always matches the tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_rib.h>

#include "route_priv.h"

/* Interface of VRF @p vrf whose subnet holds @p ip, or -1. */
static int
iface_on_subnet(unsigned int vrf, uint32_t ip)
{
	unsigned int i;

	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);
		uint32_t mask = ifc->plen == 0 ? 0 : ~0u << (32 - ifc->plen);

		if (ifc->vrf == vrf && ifc->addr != 0 &&
		    ((ifc->addr ^ ip) & mask) == 0)
			return (int)i;
	}
	return -1;
}

/* An ECMP route's paths (checked: each on a connected subnet). */
static int
vias_install(unsigned int vrf, const struct route_conf *rc)
{
	const char (*v)[ROUTE_VIA_LEN] = rc->vias.items;
	struct route_path p[ROUTE_PATHS_MAX];
	unsigned int k;
	int ifx;

	if (rc->vias.n > ROUTE_PATHS_MAX)
		return -EINVAL;
	for (k = 0; k < rc->vias.n; k++) {
		p[k].weight = 1;
		if (cfg_parse_ipv4(v[k], &p[k].via) != 0)
			return -EINVAL;
		ifx = iface_on_subnet(vrf, p[k].via);
		if (ifx < 0)
			return -ENETUNREACH;
		p[k].iface = (uint16_t)ifx;
	}
	return route_add_paths(vrf, rc->prefix.addr, rc->prefix.len, p,
			       rc->vias.n);
}

int
route_static_install(unsigned int vrf, const struct route_conf *rc)
{
	int ifx = rc->interface[0] ? iface_find(rc->interface) :
				     iface_on_subnet(vrf, rc->via);

	int r;

	if (rc->vias.n != 0)
		r = vias_install(vrf, rc);
	else if (rc->blackhole)
		r = route_add(vrf, rc->prefix.addr, rc->prefix.len,
			      ROUTE_BLACKHOLE, 0, 0);
	else if (ifx < 0)
		return -ENETUNREACH;
	else
		r = route_add(vrf, rc->prefix.addr, rc->prefix.len,
			      rc->via ? ROUTE_VIA : ROUTE_CONNECTED, rc->via,
			      (unsigned int)ifx);
	if (r == 0)
		route_source_set(vrf, rc->prefix.addr, rc->prefix.len,
				 ROUTE_SRC_STATIC);
	return r;
}

/* A route other than FRR's (which a static route hides). */
static bool
fib_has(unsigned int vrf, uint32_t prefix, uint8_t plen)
{
	return route_configured_has(vrf, prefix, plen);
}

/* ------------------------------------------------------------------ */
/* "vrfs": made at start with their FIBs; only listing the implicit    */
/* default VRF (or unlisting it while interfaces use it) is live.      */

static bool
vrf_in_use(const struct cfg_model *m, const char *name)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].vrf, name) == 0)
			return true;
	return false;
}

static int
vrf_row_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct vrf_conf *vc = c->op == CFG_DELETE ? c->old : c->new;

	if (c->start)
		return 0;
	if (c->op == CFG_MODIFY) {
		snprintf(err, len, "a VRF's id and table sizes are fixed at "
			 "start (needs a restart)");
		return -EINVAL;
	}
	if (c->op == CFG_CREATE && vrf_find(vc->name) >= 0)
		return 0; /* the default VRF, made because it was used */
	if (c->op == CFG_DELETE && strcmp(vc->name, VRF_DEFAULT_NAME) == 0 &&
	    vrf_in_use(c->model, vc->name))
		return 0;
	snprintf(err, len, "VRFs are made at start (needs a restart)");
	return -EINVAL;
}

const struct cfg_list_ops vrf_list_ops = {
	.check = vrf_row_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
};

/* ------------------------------------------------------------------ */
/* "routes" of a VRF                                                   */

static int
route_row_vrf(const struct cfg_change *c)
{
	return vrf_find(((const struct vrf_conf *)c->parent)->name);
}

static int
route_row_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct route_conf *rc = c->new;
	int v = route_row_vrf(c);

	if (c->op != CFG_CREATE || c->start)
		return 0;
	if (v >= 0 && fib_has((unsigned int)v, rc->prefix.addr,
			      rc->prefix.len)) {
		snprintf(err, len, "conflicts with a connected or local "
			 "route");
		return -EEXIST;
	}
	return 0;
}

static void no_space(const struct vrf_conf *vc, char *err, size_t len);

/* One debug line per installed route (ferry.route:debug). */
static void
route_row_log(const struct cfg_change *c)
{
	const struct route_conf *rc = c->new;
	char a[16];

	ROUTE_LOG(DEBUG, "VRF %s: route %s/%u installed",
		  ((const struct vrf_conf *)c->parent)->name,
		  cfg_format_ipv4(rc->prefix.addr, a, sizeof(a)),
		  rc->prefix.len);
}

/* Install or, over an existing prefix, replace in one step (route_add
 * swaps the next hop: no gap for packets). */
static int
route_row_install(const struct cfg_change *c, char *err, size_t len)
{
	int v = route_row_vrf(c);
	int rc = v < 0 ? -ENOENT :
		 route_static_install((unsigned int)v, c->new);

	if (rc == -ENOSPC)
		no_space(c->parent, err, len);
	else if (rc < 0)
		snprintf(err, len, "cannot install the route: %s",
			 strerror(-rc));
	else
		route_row_log(c);
	return rc;
}

static int
route_row_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct route_conf *rc = c->old;
	int v = route_row_vrf(c);
	int r = v < 0 ? -ENOENT :
		route_del((unsigned int)v, rc->prefix.addr, rc->prefix.len);

	if (r < 0)
		snprintf(err, len, "cannot delete the route: %s",
			 strerror(-r));
	return r;
}

const struct cfg_list_ops route_list_ops = {
	.check = route_row_check,
	.install = route_row_install,
	.uninstall = route_row_uninstall,
	.modify = route_row_install,
};

/* ------------------------------------------------------------------ */
/* "neighbours"                                                        */

static int
nbr_row_install(const struct cfg_change *c, char *err, size_t len)
{
	const struct nbr_conf *nc = c->new;
	struct rte_ether_addr mac;
	int ifx = iface_find(nc->interface), rc;

	memcpy(mac.addr_bytes, nc->mac, sizeof(nc->mac));
	rc = ifx < 0 ? -ENODEV :
	     nbr_add_static((unsigned int)ifx, nc->address, &mac);
	if (rc < 0)
		snprintf(err, len, "cannot add the neighbour: %s",
			 strerror(-rc));
	return rc;
}

static int
nbr_row_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct nbr_conf *nc = c->old;
	int ifx = iface_find(nc->interface);
	int rc = ifx < 0 ? -ENODEV :
		 nbr_del_static((unsigned int)ifx, nc->address);

	if (rc < 0)
		snprintf(err, len, "cannot delete the neighbour: %s",
			 strerror(-rc));
	return rc;
}

/* nbr_add_static() over a static entry sets its MAC in one store. */
const struct cfg_list_ops nbr_list_ops = {
	.install = nbr_row_install,
	.uninstall = nbr_row_uninstall,
	.modify = nbr_row_install,
};

/* ------------------------------------------------------------------ */
/* CLI edits of a copy of the running model                            */

struct route_edit {
	const char *vrf;
	const struct route_conf *rc;  /* add: the row; del: its key */
};

/* The copy's entry for VRF @p name; a VRF that runs without being
 * listed (the default) is listed on demand. */
struct vrf_conf *
vrf_conf_get(struct cfg_model *m, const char *name, char *err, size_t len)
{
	struct cfg_array *vrfs = cfg_model_section(m, "vrfs");
	struct vrf_conf nv = { .max_routes = 65536, .fib_tbl8 = 4096 };
	struct vrf_conf *vc;

	snprintf(nv.name, sizeof(nv.name), "%s", name);
	vc = cfg_array_find(vrfs, vrf_cfg_section.schema, &nv);
	if (vc != NULL)
		return vc;
	if (vrf_find(name) < 0) {
		snprintf(err, len, "no such VRF: %s", name);
		return NULL;
	}
	vc = cfg_array_append(vrfs, sizeof(nv), &nv);
	if (vc == NULL)
		snprintf(err, len, "out of memory");
	return vc;
}

static void *
vias_dup(const struct cfg_array *a)
{
	void *p = malloc((size_t)a->n * ROUTE_VIA_LEN);

	if (p != NULL)
		memcpy(p, a->items, (size_t)a->n * ROUTE_VIA_LEN);
	return p;
}

static int
route_edit_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route_edit *e = arg;
	struct vrf_conf *vc = vrf_conf_get(m, e->vrf, err, len);
	struct route_conf *have;

	if (vc == NULL)
		return -ENOENT;
	have = cfg_array_find(&vc->routes, &route_conf_schema, e->rc);
	if (have != NULL) {
		free(have->vias.items); /* the copy's own */
		*have = *e->rc; /* a replace: the change is a modify */
	} else {
		have = cfg_array_append(&vc->routes, sizeof(*e->rc), e->rc);
	}
	if (have != NULL && e->rc->vias.n != 0) /* the model owns its own */
		have->vias.items = vias_dup(&e->rc->vias);
	if (have == NULL || (e->rc->vias.n != 0 && have->vias.items == NULL)) {
		if (have != NULL)
			have->vias.n = 0;
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
route_edit_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route_edit *e = arg;
	struct vrf_conf *vc = vrf_conf_get(m, e->vrf, err, len);
	struct route_conf *have;
	int v = vrf_find(e->vrf);

	if (vc == NULL)
		return -ENOENT;
	have = cfg_array_find(&vc->routes, &route_conf_schema, e->rc);
	if (have == NULL) {
		snprintf(err, len, fib_has((unsigned int)v, e->rc->prefix.addr,
					   e->rc->prefix.len) ?
			 "not a static route (connected or local)" :
			 "no such route");
		return -ENOENT;
	}
	free(have->vias.items); /* the copy's own */
	cfg_array_remove(&vc->routes, sizeof(*have),
			 (unsigned int)(have - (struct route_conf *)
					vc->routes.items));
	return 0;
}

/* Routes in the FIB of VRF @p v (rte_rib keeps every one it holds). */
static unsigned int
fib_count(unsigned int v)
{
	struct rte_rib *rib = vrf_table[v].rib;
	struct rte_rib_node *n = NULL;
	unsigned int count = rte_rib_lookup_exact(rib, 0, 0) != NULL;

	while ((n = rte_rib_get_nxt(rib, 0, 0, n, RTE_RIB_GET_NXT_ALL)) !=
	       NULL)
		count++;
	return count;
}

/* Connected and local routes the interfaces of VRF @p vrf add. */
static unsigned int
iface_routes(const char *vrf)
{
	const struct cfg_array *ifs = iface_conf_list(route_model);
	const struct iface_conf *ic = ifs->items;
	unsigned int i, n = 0;

	for (i = 0; i < ifs->n; i++)
		if (ic[i].address.addr != 0 && strcmp(ic[i].vrf, vrf) == 0)
			n += ic[i].address.len < 32 ? 2 : 1;
	return n;
}

/* Static routes VRF @p vrf runs with (the running model: the change
 * that did not fit is not in it). */
static unsigned int
running_static_routes(const char *vrf)
{
	const struct cfg_array *vrfs = route_conf_vrfs(route_model);
	const struct vrf_conf *vc = vrfs->items;
	unsigned int i;

	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, vrf) == 0)
			return vc[i].routes.n;
	return 0;
}

/*
 * Why a route did not fit: a full VRF names max_routes and what fills
 * it, since the connected and local routes of the interfaces count too.
 */
static void
no_space(const struct vrf_conf *vc, char *err, size_t len)
{
	const char *vrf = vc->name;
	unsigned int v = (unsigned int)vrf_find(vrf), used = fib_count(v);
	unsigned int max = vc->max_routes;
	unsigned int stat = running_static_routes(vrf);
	unsigned int conn = iface_routes(vrf);

	if (used >= max)
		snprintf(err, len, "VRF \"%s\" is full: max_routes %u reached "
			 "(%u static, %u connected/local of its interfaces, "
			 "%u other); raise vrfs.max_routes", vrf, max, stat,
			 conn, used - RTE_MIN(used, stat + conn));
	else
		snprintf(err, len, "no space in VRF \"%s\" (%u of max_routes "
			 "%u used): fib_tbl8 (/25../32) or next hops "
			 "exhausted", vrf, used, max);
}

int
route_static_add(const char *vrf, const struct route_conf *rc, char *err,
		 size_t len)
{
	struct route_edit e = { vrf, rc };

	return cfg_edit(route_model, route_edit_add, &e, err, len);
}

int
route_static_del(const char *vrf, uint32_t prefix, uint8_t plen, char *err,
		 size_t len)
{
	struct route_conf key = { .prefix = { prefix, plen } };
	struct route_edit e = { vrf, &key };

	return cfg_edit(route_model, route_edit_del, &e, err, len);
}

static int
nbr_edit_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cfg_array *nbrs = cfg_model_section(m, "neighbours");
	struct nbr_conf *have = cfg_array_find(nbrs, nbr_cfg_section.schema,
					       arg);

	if (have != NULL) {
		*have = *(const struct nbr_conf *)arg; /* a new MAC */
		return 0;
	}
	if (cfg_array_append(nbrs, sizeof(*have), arg) == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
nbr_edit_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cfg_array *nbrs = cfg_model_section(m, "neighbours");
	struct nbr_conf *have = cfg_array_find(nbrs, nbr_cfg_section.schema,
					       arg);

	if (have == NULL) {
		snprintf(err, len, "no such static neighbour");
		return -ENOENT;
	}
	cfg_array_remove(nbrs, sizeof(*have), (unsigned int)
			 (have - (struct nbr_conf *)nbrs->items));
	return 0;
}

int
nbr_static_add(const struct nbr_conf *nc, char *err, size_t len)
{
	return cfg_edit(route_model, nbr_edit_add, nc, err, len);
}

int
nbr_static_del(const char *iface, uint32_t ip, char *err, size_t len)
{
	struct nbr_conf key = { .address = ip };

	snprintf(key.interface, sizeof(key.interface), "%s", iface);
	return cfg_edit(route_model, nbr_edit_del, &key, err, len);
}
