/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "vrfs", "neighbours" and "ip" config sections, and the checks that
 * tie them to interfaces: every interface names an existing VRF, a route
 * says how to forward, a next hop is reachable in its VRF, a static
 * neighbour sits on its interface's subnet.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "route6_priv.h"

#define CONF_PATH_LEN 96
#define CONF_VAL_LEN 64

static const struct cfg_field route_fields[] = {
	{ "prefix", CFG_IPV4_PREFIX, offsetof(struct route_conf, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true,
	  .doc = "destination, a.b.c.d/len with no host bits set" },
	{ "via", CFG_IPV4, offsetof(struct route_conf, via), 4,
	  .doc = "next-hop address; must be on a connected subnet of the "
		 "VRF unless interface is given" },
	{ "interface", CFG_STRING, offsetof(struct route_conf, interface),
	  IFACE_NAME_LEN,
	  .doc = "egress interface; without via the destination itself "
		 "is resolved by ARP on it" },
	{ "blackhole", CFG_BOOL, offsetof(struct route_conf, blackhole), 1,
	  .def = "false", .doc = "drop matching packets (ip4_blackhole)" },
	{ "vias", CFG_STRING_LIST, offsetof(struct route_conf, vias),
	  ROUTE_VIA_LEN, 0, ROUTE_PATHS_MAX,
	  .doc = "ECMP: 2 to 16 next-hop addresses, each on a connected "
		 "subnet of the VRF, instead of via: flows spread over them "
		 "by a hash of their addresses and ports (doc/fpm.md)" },
};

const struct cfg_schema route_conf_schema = {
	.name = "route",
	.fields = route_fields,
	.n_fields = RTE_DIM(route_fields),
	.size = sizeof(struct route_conf),
	.keys = (const char *const[]){ "prefix", NULL },
	.ops = &route_list_ops,
};

static const struct cfg_field vrf_fields[] = {
	{ "name", CFG_STRING, offsetof(struct vrf_conf, name), VRF_NAME_LEN,
	  .required = true, .doc = "VRF name; \"default\" is VRF id 0" },
	{ "id", CFG_UINT, offsetof(struct vrf_conf, id), 4, 0, 65535,
	  .required = true, .doc = "VRF id shown by the CLI; 0 only for "
				   "\"default\"" },
	{ "max_routes", CFG_UINT, offsetof(struct vrf_conf, max_routes), 4,
	  16, ROUTES_PER_VRF_MAX, .def = "65536",
	  .doc = "route capacity of the VRF's FIB" },
	{ "fib_tbl8", CFG_UINT, offsetof(struct vrf_conf, fib_tbl8), 4, 16,
	  1048576, .def = "4096",
	  .doc = "DIR24_8 second-level groups (1 KiB each): one per /24 "
		 "holding a prefix longer than /24" },
	{ "table", CFG_UINT, offsetof(struct vrf_conf, table), 4, 0,
	  UINT32_MAX, .def = "0",
	  .doc = "kernel routing table id zebra gives this VRF's routes "
		 "(FRR `vrf NAME` / `table N`), mapping FPM routes here; "
		 "0 = none (the default VRF takes 254, main, when unset)" },
	{ "routes", CFG_LIST, offsetof(struct vrf_conf, routes),
	  sizeof(struct route_conf), 0, ROUTES_PER_VRF_MAX,
	  .sub = &route_conf_schema, .doc = "static routes" },
	{ "routes6", CFG_LIST, offsetof(struct vrf_conf, routes6),
	  sizeof(struct route6_conf), 0, ROUTES_PER_VRF_MAX,
	  .sub = &route6_conf_schema, .doc = "static IPv6 routes" },
};

static const struct cfg_schema vrf_schema = {
	.name = "vrf",
	.fields = vrf_fields,
	.n_fields = RTE_DIM(vrf_fields),
	.size = sizeof(struct vrf_conf),
	.keys = (const char *const[]){ "name", NULL },
	.ops = &vrf_list_ops,
};

/* VRF names known to the model: "default" plus the configured ones. */
static bool
vrf_conf_exists(const struct cfg_array *vrfs, const char *name)
{
	const struct vrf_conf *vc = vrfs->items;
	unsigned int i;

	if (strcmp(name, VRF_DEFAULT_NAME) == 0)
		return true;
	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, name) == 0)
			return true;
	return false;
}

const struct cfg_array *
route_conf_vrfs(const struct cfg_model *model)
{
	return cfg_model_section(model, "vrfs");
}

bool
route_conf_vrf_exists(const struct cfg_model *model, const char *name)
{
	const struct cfg_array *vrfs = route_conf_vrfs(model);
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct iface_conf *ic = ifs != NULL ? ifs->items : NULL;
	unsigned int i;

	/* a model of some sections only (a library's unit tests) */
	if (strcmp(name, VRF_DEFAULT_NAME) != 0)
		return vrfs != NULL && vrf_conf_exists(vrfs, name);
	/* "default" exists once an interface is in it */
	for (i = 0; ifs != NULL && i < ifs->n; i++)
		if (strcmp(ic[i].vrf, name) == 0)
			return true;
	return false;
}

static int
check_vrf_ids(struct cfg_ctx *ctx, const struct cfg_array *vrfs)
{
	const struct vrf_conf *vc = vrfs->items;
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN];
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < vrfs->n; i++) {
		bool is_default = strcmp(vc[i].name, VRF_DEFAULT_NAME) == 0;

		if ((vc[i].id == 0) != is_default) {
			snprintf(path, sizeof(path), "vrfs.[%u].id", i);
			snprintf(val, sizeof(val), "%u", vc[i].id);
			cfg_error(ctx, path, val, is_default ?
				  "the default VRF has id 0" :
				  "id 0 is the default VRF's");
			errors++;
		}
		for (j = 0; j < i; j++) {
			/* equal names: the engine's duplicate key */
			if (strcmp(vc[i].name, vc[j].name) != 0 &&
			    vc[i].id == vc[j].id) {
				snprintf(path, sizeof(path), "vrfs.[%u].id", i);
				snprintf(val, sizeof(val), "%u", vc[i].id);
				cfg_error(ctx, path, val,
					  "id already used by VRF \"%s\"",
					  vc[j].name);
				errors++;
			}
		}
	}
	return errors;
}

static int
check_iface_vrfs(struct cfg_ctx *ctx, const struct cfg_array *vrfs,
		 const struct cfg_array *ifs)
{
	const struct iface_conf *ic = ifs->items;
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < ifs->n; i++) {
		if (vrf_conf_exists(vrfs, ic[i].vrf))
			continue;
		snprintf(path, sizeof(path), "interfaces.[%u].vrf", i);
		snprintf(val, sizeof(val), "\"%s\"", ic[i].vrf);
		cfg_error(ctx, path, val, "no such VRF");
		errors++;
	}
	return errors;
}

/* Interface of VRF @p vrf whose subnet holds @p ip, or -1. */
static int
connected_iface(const struct cfg_array *ifs, const char *vrf, uint32_t ip)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++) {
		uint32_t mask = ic[i].address.len == 0 ? 0 :
				~0u << (32 - ic[i].address.len);

		if (ic[i].address.addr != 0 && strcmp(ic[i].vrf, vrf) == 0 &&
		    ((ic[i].address.addr ^ ip) & mask) == 0)
			return (int)i;
	}
	return -1;
}

static int
iface_conf_index(const struct cfg_array *ifs, const char *name)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * A next hop must be a neighbour: not one of ferry's own addresses in
 * the VRF, nor an address no host can have on its subnet (broadcast).
 */
static const char *
via_addr_check(const struct cfg_array *ifs, const char *vrf, uint32_t via)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	if (cfg_ipv4_unusable(via) != NULL)
		return cfg_ipv4_unusable(via);
	for (i = 0; i < ifs->n; i++) {
		if (strcmp(ic[i].vrf, vrf) != 0 || ic[i].address.addr == 0)
			continue;
		if (ic[i].address.addr == via)
			return "is this VRF's own address (an interface's): "
			       "a next hop must be a neighbour";
		if (cfg_ipv4_is_subnet_broadcast(via, ic[i].address.addr,
						 ic[i].address.len))
			return "is the broadcast address of a connected "
			       "subnet: a next hop must be a neighbour";
	}
	return NULL;
}

static const char *
via_check(const struct cfg_array *ifs, const char *vrf,
	  const struct route_conf *rc, char *val, size_t len,
	  const char **field)
{
	char ip[16];

	*field = ".via";
	snprintf(val, len, "\"%s\"", cfg_format_ipv4(rc->via, ip, sizeof(ip)));
	return via_addr_check(ifs, vrf, rc->via);
}

/* Where the k-th element of vias is: ".vias.[k]" (static: one at a
 * time, the caller copies the path at once). */
static const char *
vias_field(unsigned int k)
{
	static char f[24];

	snprintf(f, sizeof(f), ".vias.[%u]", k);
	return f;
}

/* One element of vias: an address, a neighbour, not listed before. */
static const char *
vias_one_check(const struct cfg_array *ifs, const char *vrf,
	       const struct route_conf *rc, unsigned int k)
{
	const char (*v)[ROUTE_VIA_LEN] = rc->vias.items;
	uint32_t a, b;
	unsigned int j;

	if (cfg_parse_ipv4(v[k], &a) != 0)
		return "expected an IPv4 address a.b.c.d";
	if (connected_iface(ifs, vrf, a) < 0)
		return "not on a connected subnet of the VRF";
	for (j = 0; j < k; j++)
		if (cfg_parse_ipv4(v[j], &b) == 0 && a == b)
			return "listed twice";
	return via_addr_check(ifs, vrf, a);
}

/* An ECMP route: vias alone, 2..16 next hops. */
static const char *
vias_check(const struct cfg_array *ifs, const char *vrf,
	   const struct route_conf *rc, char *val, size_t len,
	   const char **field)
{
	const char (*v)[ROUTE_VIA_LEN] = rc->vias.items;
	const char *why;
	unsigned int k;

	*field = ".vias";
	if (rc->via != 0 || rc->interface[0] != '\0' || rc->blackhole)
		return "an ECMP route takes vias alone (no via, interface "
		       "or blackhole)";
	if (rc->vias.n < 2)
		return "needs 2 to 16 next hops (one: use via)";
	for (k = 0; k < rc->vias.n; k++) {
		why = vias_one_check(ifs, vrf, rc, k);
		if (why != NULL) {
			*field = vias_field(k);
			snprintf(val, len, "\"%s\"", v[k]);
			return why;
		}
	}
	return NULL;
}

const char *
route_conf_check(const struct cfg_array *ifs, const char *vrf,
		 const struct route_conf *rc, char *val, size_t len,
		 const char **field)
{
	const struct iface_conf *ic = ifs->items;
	char ip[16];
	int x;

	*field = "";
	if (rc->vias.n != 0)
		return vias_check(ifs, vrf, rc, val, len, field);
	if (!rc->blackhole && rc->via == 0 && rc->interface[0] == '\0')
		return "needs one of via, vias, interface, blackhole";
	if (rc->blackhole && (rc->via != 0 || rc->interface[0] != '\0'))
		return "a blackhole takes no via or interface";
	if (rc->interface[0] != '\0') {
		*field = ".interface";
		snprintf(val, len, "\"%s\"", rc->interface);
		x = iface_conf_index(ifs, rc->interface);
		if (x < 0)
			return "no such interface";
		if (strcmp(ic[x].vrf, vrf) != 0)
			return "interface is in another VRF";
	} else if (rc->via != 0 && connected_iface(ifs, vrf, rc->via) < 0) {
		*field = ".via";
		snprintf(val, len, "\"%s\"", cfg_format_ipv4(rc->via, ip,
							     sizeof(ip)));
		return "not on a connected subnet of the VRF (add interface)";
	}
	return rc->via != 0 ? via_check(ifs, vrf, rc, val, len, field) : NULL;
}

static int
check_routes(struct cfg_ctx *ctx, const struct cfg_array *vrfs,
	     const struct cfg_array *ifs)
{
	const struct vrf_conf *vc = vrfs->items;
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN];
	const char *why, *field;
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < vrfs->n; i++) {
		const struct route_conf *rc = vc[i].routes.items;

		for (j = 0; j < vc[i].routes.n; j++) {
			val[0] = '\0';
			why = route_conf_check(ifs, vc[i].name, &rc[j], val,
					       sizeof(val), &field);
			if (why == NULL)
				continue;
			snprintf(path, sizeof(path), "vrfs.[%u].routes.[%u]%s",
				 i, j, field);
			cfg_error(ctx, path, val[0] ? val : NULL, "%s", why);
			errors++;
		}
	}
	return errors;
}

static int
vrf_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *vrfs = route_conf_vrfs(model);
	const struct cfg_array *ifs = iface_conf_list(model);
	int errors;

	errors = check_vrf_ids(ctx, vrfs);
	errors += check_iface_vrfs(ctx, vrfs, ifs);
	if (errors == 0)
		errors += check_routes(ctx, vrfs, ifs);
	return errors;
}

const struct cfg_section vrf_cfg_section = {
	.key = "vrfs",
	.type = CFG_LIST,
	.schema = &vrf_schema,
	.max = VRF_MAX - 1,
	.doc = "VRFs, each with its own FIB (DIR24_8: 64 MiB of tables "
	       "per VRF). The VRF \"default\" (id 0) always exists; list it "
	       "only to give it routes. Interfaces add connected and local "
	       "routes to their VRF.",
	.check = vrf_check,
};

static const struct cfg_field nbr_fields[] = {
	{ "interface", CFG_STRING, offsetof(struct nbr_conf, interface),
	  IFACE_NAME_LEN, .required = true, .doc = "interface of the entry" },
	{ "address", CFG_IPV4, offsetof(struct nbr_conf, address), 4,
	  .required = true, .doc = "IPv4 address on the interface's subnet" },
	{ "mac", CFG_MAC, offsetof(struct nbr_conf, mac), 6, .required = true,
	  .doc = "its MAC address" },
};

static const struct cfg_schema nbr_schema = {
	.name = "neighbour",
	.fields = nbr_fields,
	.n_fields = RTE_DIM(nbr_fields),
	.size = sizeof(struct nbr_conf),
	.keys = (const char *const[]){ "interface", "address", NULL },
	.ops = &nbr_list_ops,
};

const char *
nbr_conf_check(const struct cfg_array *ifs, const struct nbr_conf *nc,
	       const char **field)
{
	const struct iface_conf *ic = ifs->items;
	uint32_t mask;
	int x;

	*field = ".interface";
	x = iface_conf_index(ifs, nc->interface);
	if (x < 0)
		return "no such interface";
	*field = ".address";
	mask = ic[x].address.len == 0 ? 0 : ~0u << (32 - ic[x].address.len);
	if (ic[x].address.addr == 0)
		return "interface has no address";
	if (((nc->address ^ ic[x].address.addr) & mask) != 0)
		return "not on the interface's subnet";
	if (nc->address == ic[x].address.addr)
		return "is the interface's own address";
	if (cfg_ipv4_host_unusable(nc->address, ic[x].address.len) != NULL)
		return cfg_ipv4_host_unusable(nc->address,
					      ic[x].address.len);
	*field = ".mac";
	if (!cfg_mac_is_unicast(nc->mac))
		return "not a unicast MAC (broadcast, multicast or zero)";
	return NULL;
}

static int
nbr_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *nbrs = cfg_model_section(model, "neighbours");
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct nbr_conf *nc = nbrs->items;
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN], ip[18];
	const char *why, *field;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < nbrs->n; i++) {
		why = nbr_conf_check(ifs, &nc[i], &field);
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "neighbours.[%u]%s", i, field);
		if (strcmp(field, ".interface") == 0)
			snprintf(val, sizeof(val), "\"%s\"", nc[i].interface);
		else if (strcmp(field, ".mac") == 0)
			snprintf(val, sizeof(val), "\"%s\"",
				 cfg_format_mac(nc[i].mac, ip, sizeof(ip)));
		else
			snprintf(val, sizeof(val), "\"%s\"",
				 cfg_format_ipv4(nc[i].address, ip, sizeof(ip)));
		cfg_error(ctx, path, val, "%s", why);
		errors++;
	}
	return errors;
}

const struct cfg_section nbr_cfg_section = {
	.key = "neighbours",
	.type = CFG_LIST,
	.schema = &nbr_schema,
	.doc = "Static ARP entries; never aged. Learned entries come from "
	       "ARP and age per the ip section.",
	.check = nbr_check,
};

static const struct cfg_field ip_fields[] = {
	{ "arp_timeout", CFG_UINT, offsetof(struct ip_conf, arp_timeout), 4,
	  1, 86400, .def = "300",
	  .doc = "seconds a learned neighbour is trusted before it is "
		 "probed again" },
	{ "arp_retries", CFG_UINT, offsetof(struct ip_conf, arp_retries), 4,
	  1, 10, .def = "3",
	  .doc = "ARP requests (1 s apart) before a neighbour is given up" },
	{ "arp_hold", CFG_UINT, offsetof(struct ip_conf, arp_hold), 4, 0, 64,
	  .def = "3",
	  .doc = "packets held per neighbour while ARP resolves; more are "
		 "dropped as arp_hold_full" },
	{ "icmp_rate", CFG_UINT, offsetof(struct ip_conf, icmp_rate), 4, 0,
	  1000000, .def = "1000",
	  .doc = "ICMP errors per second per worker (token bucket, burst "
		 "of one second); 0 = send none" },
	{ "max_neighbours", CFG_UINT,
	  offsetof(struct ip_conf, max_neighbours), 4, 64, 1048576,
	  .def = "4096", .doc = "size of the neighbour table" },
};

static const struct cfg_schema ip_schema = {
	.name = "ip",
	.fields = ip_fields,
	.n_fields = RTE_DIM(ip_fields),
	.size = sizeof(struct ip_conf),
};

const struct cfg_section ip_cfg_section = {
	.key = "ip",
	.type = CFG_GROUP,
	.schema = &ip_schema,
	.doc = "IPv4 and ARP behaviour shared by all VRFs.",
	.restart = "the neighbour table is sized and its timers set at "
		   "start",
};
