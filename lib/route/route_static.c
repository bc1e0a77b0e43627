/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Static routes and neighbours as operators change them. The loader
 * installs what the file says (route_static_install); the CLI checks a
 * change with the loader's own checks, installs it through the same
 * route_add()/nbr_add_static(), and only then records it in the model,
 * undoing the install if the model cannot take it. So a change is all or
 * nothing, and the running config always matches the tables.
 */
#include <errno.h>
#include <stdio.h>
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

int
route_static_install(unsigned int vrf, const struct route_conf *rc)
{
	int ifx = rc->interface[0] ? iface_find(rc->interface) :
				     iface_on_subnet(vrf, rc->via);

	if (rc->blackhole)
		return route_add(vrf, rc->prefix.addr, rc->prefix.len,
				 ROUTE_BLACKHOLE, 0, 0);
	if (ifx < 0)
		return -ENETUNREACH;
	return route_add(vrf, rc->prefix.addr, rc->prefix.len,
			 rc->via ? ROUTE_VIA : ROUTE_CONNECTED, rc->via,
			 (unsigned int)ifx);
}

/* The model's entry for VRF @p name; "default" is added on demand. */
static struct vrf_conf *
vrf_conf_get(const char *name, bool create)
{
	struct cfg_array *vrfs = cfg_model_section(route_model, "vrfs");
	struct vrf_conf *vc = vrfs->items, nv = { .max_routes = 65536,
						  .fib_tbl8 = 4096 };
	unsigned int i;

	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, name) == 0)
			return &vc[i];
	if (!create)
		return NULL;
	snprintf(nv.name, sizeof(nv.name), "%s", name);
	return cfg_array_append(vrfs, sizeof(nv), &nv);
}

static int
route_conf_find(const struct vrf_conf *vc, uint32_t prefix, uint8_t plen)
{
	const struct route_conf *rc = vc == NULL ? NULL : vc->routes.items;
	unsigned int i;

	for (i = 0; vc != NULL && i < vc->routes.n; i++)
		if (rc[i].prefix.addr == prefix && rc[i].prefix.len == plen)
			return (int)i;
	return -1;
}

static bool
fib_has(unsigned int vrf, uint32_t prefix, uint8_t plen)
{
	return rte_rib_lookup_exact(vrf_table[vrf].rib,
				    prefix, plen) != NULL;
}

/* The checks that do not change anything. */
static int
route_static_check(const char *vrf, const struct route_conf *rc, char *err,
		   size_t len)
{
	int v = vrf_find(vrf);
	const char *why, *field;
	char val[64] = "";

	if (v < 0) {
		snprintf(err, len, "no such VRF: %s", vrf);
		return -ENOENT;
	}
	why = route_conf_check(iface_conf_list(route_model), vrf, rc, val,
			       sizeof(val), &field);
	if (why != NULL) {
		snprintf(err, len, "%s%s%s", val, val[0] ? ": " : "", why);
		return -EINVAL;
	}
	if (route_conf_find(vrf_conf_get(vrf, false), rc->prefix.addr,
			    rc->prefix.len) >= 0) {
		snprintf(err, len, "the route exists; delete it first");
		return -EEXIST;
	}
	if (fib_has((unsigned int)v, rc->prefix.addr, rc->prefix.len)) {
		snprintf(err, len, "conflicts with a connected or local route");
		return -EEXIST;
	}
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

/*
 * Why a route did not fit: a full VRF names max_routes and what fills
 * it, since the connected and local routes of the interfaces count too.
 */
static void
no_space(const char *vrf, char *err, size_t len)
{
	const struct vrf_conf *vc = vrf_conf_get(vrf, false);
	unsigned int v = (unsigned int)vrf_find(vrf), used = fib_count(v);
	unsigned int max = vc != NULL ? vc->max_routes : 65536;
	unsigned int stat = vc != NULL ? vc->routes.n : 0;
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
	struct vrf_conf *vc;
	int rc_;

	rc_ = route_static_check(vrf, rc, err, len);
	if (rc_ < 0)
		return rc_;
	rc_ = route_static_install((unsigned int)vrf_find(vrf), rc);
	if (rc_ == -ENOSPC) {
		no_space(vrf, err, len);
		return rc_;
	}
	if (rc_ < 0) {
		snprintf(err, len, "cannot install the route: %s",
			 strerror(-rc_));
		return rc_;
	}
	vc = vrf_conf_get(vrf, true);
	if (vc == NULL ||
	    cfg_array_append(&vc->routes, sizeof(*rc), rc) == NULL) {
		route_del((unsigned int)vrf_find(vrf), rc->prefix.addr,
			  rc->prefix.len);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int
route_static_del(const char *vrf, uint32_t prefix, uint8_t plen, char *err,
		 size_t len)
{
	struct vrf_conf *vc = vrf_conf_get(vrf, false);
	int v = vrf_find(vrf), i, rc;

	if (v < 0) {
		snprintf(err, len, "no such VRF: %s", vrf);
		return -ENOENT;
	}
	i = route_conf_find(vc, prefix, plen);
	if (i < 0) {
		snprintf(err, len, fib_has((unsigned int)v, prefix, plen) ?
			 "not a static route (connected or local)" :
			 "no such route");
		return -ENOENT;
	}
	rc = route_del((unsigned int)v, prefix, plen);
	if (rc < 0) {
		snprintf(err, len, "cannot delete the route: %s",
			 strerror(-rc));
		return rc;
	}
	cfg_array_remove(&vc->routes, sizeof(struct route_conf),
			 (unsigned int)i);
	return 0;
}

static int
nbr_conf_find(const char *iface, uint32_t ip)
{
	const struct cfg_array *nbrs =
		cfg_model_section(route_model, "neighbours");
	const struct nbr_conf *nc = nbrs->items;
	unsigned int i;

	for (i = 0; i < nbrs->n; i++)
		if (nc[i].address == ip && strcmp(nc[i].interface, iface) == 0)
			return (int)i;
	return -1;
}

int
nbr_static_add(const struct nbr_conf *nc, char *err, size_t len)
{
	struct cfg_array *nbrs = cfg_model_section(route_model, "neighbours");
	struct rte_ether_addr mac;
	const char *why, *field;
	int ifx, rc;

	why = nbr_conf_check(iface_conf_list(route_model), nc, &field);
	if (why == NULL && nbr_conf_find(nc->interface, nc->address) >= 0)
		why = "the neighbour exists; delete it first";
	if (why != NULL) {
		snprintf(err, len, "%s", why);
		return -EINVAL;
	}
	ifx = iface_find(nc->interface);
	memcpy(mac.addr_bytes, nc->mac, sizeof(nc->mac));
	rc = nbr_add_static((unsigned int)ifx, nc->address, &mac);
	if (rc < 0) {
		snprintf(err, len, "cannot add the neighbour: %s",
			 strerror(-rc));
		return rc;
	}
	if (cfg_array_append(nbrs, sizeof(*nc), nc) == NULL) {
		nbr_del_static((unsigned int)ifx, nc->address);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int
nbr_static_del(const char *iface, uint32_t ip, char *err, size_t len)
{
	struct cfg_array *nbrs = cfg_model_section(route_model, "neighbours");
	int i = nbr_conf_find(iface, ip);

	if (i < 0) {
		snprintf(err, len, "no such static neighbour");
		return -ENOENT;
	}
	nbr_del_static((unsigned int)iface_find(iface), ip);
	cfg_array_remove(nbrs, sizeof(struct nbr_conf), (unsigned int)i);
	return 0;
}
