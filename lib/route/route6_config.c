/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 configuration: the "routes6" list of each VRF (beside its IPv4
 * "routes", same keys), its live operations (cfg_txn), and the "ip6"
 * section (ND timers, FIB sizes, hop limit). Interface addresses are
 * lib/iface's "address6".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "route6_priv.h"

#define CONF_PATH_LEN 96
#define CONF_VAL_LEN 64

static const struct cfg_list_ops route6_list_ops;

static const struct cfg_field route6_fields[] = {
	{"prefix", CFG_IPV6_PREFIX, offsetof(struct route6_conf, prefix),
	 sizeof(struct cfg_ipv6_prefix), .required = true,
	 .doc = "destination, addr/len with no host bits set"},
	{"via", CFG_IPV6, offsetof(struct route6_conf, via), 16,
	 .doc = "next-hop address; on a connected prefix of the VRF "
		"unless interface is given (needed for a link-local via)"},
	{"interface", CFG_STRING, offsetof(struct route6_conf, interface),
	 IFACE_NAME_LEN,
	 .doc = "egress interface; without via the destination itself is "
		"resolved by neighbour discovery on it"},
	{"blackhole", CFG_BOOL, offsetof(struct route6_conf, blackhole), 1,
	 .def = "false", .doc = "drop matching packets (ip6_blackhole)"},
};

const struct cfg_schema route6_conf_schema = {
	.name = "route6",
	.fields = route6_fields,
	.n_fields = RTE_DIM(route6_fields),
	.size = sizeof(struct route6_conf),
	.keys = (const char *const[]){"prefix", NULL},
	.ops = &route6_list_ops,
};

/* Interface (model index) of VRF @p vrf on whose prefix @p ip is, or -1. */
static int
conf_on_prefix6(const struct cfg_array *ifs, const char *vrf, const uint8_t *ip)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].vrf, vrf) == 0 &&
		    !ip6_is_unspecified(ic[i].address6.addr) &&
		    ip6_prefix_match(ic[i].address6.addr, ip,
				     ic[i].address6.len))
			return (int)i;
	return -1;
}

static int
conf_iface_index(const struct cfg_array *ifs, const char *name)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const char *
via6_check(const struct route6_conf *rc, bool has_iface)
{
	if (ip6_is_multicast(rc->via) || ip6_is_loopback(rc->via))
		return "not a unicast address";
	if (ip6_is_link_local(rc->via) && !has_iface)
		return "a link-local next hop needs interface";
	return NULL;
}

/**
 * The checks of one IPv6 static route of VRF @p vrf: NULL if fine, else
 * the reason with the field (".via", ".interface" or "") in @p field.
 */
static const char *
route6_conf_check(const struct cfg_array *ifs, const char *vrf,
		  const struct route6_conf *rc, const char **field)
{
	const struct iface_conf *ic = ifs->items;
	bool via = !ip6_is_unspecified(rc->via);
	int x;

	*field = "";
	if (!rc->blackhole && !via && rc->interface[0] == '\0')
		return "needs one of via, interface, blackhole";
	if (rc->blackhole && (via || rc->interface[0] != '\0'))
		return "a blackhole takes no via or interface";
	if (rc->interface[0] != '\0') {
		*field = ".interface";
		x = conf_iface_index(ifs, rc->interface);
		if (x < 0)
			return "no such interface";
		if (strcmp(ic[x].vrf, vrf) != 0)
			return "interface is in another VRF";
		if (ip6_is_unspecified(ic[x].address6.addr))
			return "interface has no IPv6 (address6)";
	}
	*field = ".via";
	if (via && via6_check(rc, rc->interface[0] != '\0') != NULL)
		return via6_check(rc, rc->interface[0] != '\0');
	if (via && rc->interface[0] == '\0' &&
	    conf_on_prefix6(ifs, vrf, rc->via) < 0)
		return "not on a connected prefix of the VRF (add interface)";
	return NULL;
}

static void
route6_error(struct cfg_ctx *ctx, unsigned int i, unsigned int j,
	     const struct route6_conf *rc, const char *field, const char *why)
{
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN], a[48];

	snprintf(path, sizeof(path), "vrfs.[%u].routes6.[%u]%s", i, j, field);
	if (strcmp(field, ".via") == 0)
		snprintf(val, sizeof(val), "\"%s\"",
			 cfg_format_ipv6(rc->via, a, sizeof(a)));
	else if (strcmp(field, ".interface") == 0)
		snprintf(val, sizeof(val), "\"%s\"", rc->interface);
	else
		val[0] = '\0';
	cfg_error(ctx, path, val[0] ? val : NULL, "%s", why);
}

/* An interface's address6 must be a global unicast address: the
 * link-local one is derived from the MAC (RFC 4291 2.5.1). */
static const char *
address6_check(const struct cfg_ipv6_prefix *a)
{
	if (ip6_is_multicast(a->addr) || ip6_is_loopback(a->addr))
		return "not a unicast address";
	if (ip6_is_link_local(a->addr))
		return "link-local addresses come from the MAC; give a global "
		       "one";
	if (a->len == 0)
		return "prefix length must be 1..128";
	return NULL;
}

static int
check_addresses6(struct cfg_ctx *ctx, const struct cfg_array *ifs)
{
	const struct iface_conf *ic = ifs->items;
	char path[CONF_PATH_LEN], val[CONF_VAL_LEN], a[48];
	const char *why;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < ifs->n; i++) {
		if (ip6_is_unspecified(ic[i].address6.addr) &&
		    ic[i].address6.len == 0)
			continue;
		why = ip6_is_unspecified(ic[i].address6.addr)
			      ? "not a unicast address"
			      : address6_check(&ic[i].address6);
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "interfaces.[%u].address6", i);
		snprintf(val, sizeof(val), "\"%s/%u\"",
			 cfg_format_ipv6(ic[i].address6.addr, a, sizeof(a)),
			 ic[i].address6.len);
		cfg_error(ctx, path, val, "%s", why);
		errors++;
	}
	return errors;
}

static int
ip6_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *vrfs = cfg_model_section(model, "vrfs");
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct vrf_conf *vc = vrfs->items;
	const char *why, *field;
	unsigned int i, j;
	int errors = check_addresses6(ctx, ifs);

	for (i = 0; i < vrfs->n; i++) {
		const struct route6_conf *rc = vc[i].routes6.items;

		for (j = 0; j < vc[i].routes6.n; j++) {
			why = route6_conf_check(ifs, vc[i].name, &rc[j],
						&field);
			if (why == NULL)
				continue;
			route6_error(ctx, i, j, &rc[j], field, why);
			errors++;
		}
	}
	return errors;
}

static const struct cfg_field ip6_fields[] = {
	{"nd_reachable", CFG_UINT, offsetof(struct ip6_conf, nd_reachable), 4,
	 1, 86400, .def = "30",
	 .doc = "seconds a confirmed neighbour stays REACHABLE before it "
		"is probed (RFC 4861 REACHABLE_TIME)"},
	{"nd_retries", CFG_UINT, offsetof(struct ip6_conf, nd_retries), 4, 1,
	 10, .def = "3",
	 .doc = "solicitations, 1 s apart, before a neighbour is given up "
		"(RFC 4861 MAX_MULTICAST_SOLICIT)"},
	{"nd_hold", CFG_UINT, offsetof(struct ip6_conf, nd_hold), 4, 0,
	 ND_HOLD_MAX, .def = "4",
	 .doc = "packets held per unresolved neighbour"},
	{"max_neighbours", CFG_UINT, offsetof(struct ip6_conf, max_neighbours),
	 4, 16, 1048576, .def = "4096", .doc = "IPv6 neighbour table size"},
	{"max_routes", CFG_UINT, offsetof(struct ip6_conf, max_routes), 4, 16,
	 ROUTES_PER_VRF_MAX, .def = "65536",
	 .doc = "IPv6 route capacity of each VRF's FIB"},
	{"fib_tbl8", CFG_UINT, offsetof(struct ip6_conf, fib_tbl8), 4, 16,
	 ADJ6_MAX, .def = "8192",
	 .doc = "trie groups (512 bytes each) per VRF: one per byte of "
		"prefix beyond /24"},
	{"dad_ms", CFG_UINT, offsetof(struct ip6_conf, dad_ms), 4, 0, 10000,
	 .def = "1000",
	 .doc = "milliseconds ferry's addresses stay tentative after start "
		"(duplicate address detection, RFC 4862); 0 = off"},
	{"hop_limit", CFG_UINT, offsetof(struct ip6_conf, hop_limit), 1, 1, 255,
	 .def = "64",
	 .doc = "hop limit of packets ferry sends (echo replies, errors)"},
};

/*
 * The "ip6" section live: the timers, the hold queue's length, the DAD
 * time and the hop limit take effect at once (the next probe, hold, DAD
 * run or packet built); the table sizes are fixed at start (the ND table
 * and each VRF's FIB are made with them), so a change to one of them is
 * refused and nothing changes.
 */
#define FOREACH_IP6_FIXED(_)                                                   \
	_(max_neighbours, "the neighbour table is made with it at start")      \
	_(max_routes, "each VRF's FIB is made with it at start")               \
	_(fib_tbl8, "each VRF's FIB is made with it at start")

static int
ip6_live_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct ip6_conf *o = c->old, *n = c->new;

	if (c->start || o == NULL || n == NULL)
		return 0;
#define _IP6_FIXED(f, why)                                                     \
	if (o->f != n->f) {                                                    \
		snprintf(err, len,                                             \
			 #f " %u -> %u: cannot change while "                  \
			    "running (needs a restart): %s",                   \
			 o->f, n->f, why);                                     \
		return -EINVAL;                                                \
	}
	FOREACH_IP6_FIXED(_IP6_FIXED)
#undef _IP6_FIXED
	return 0;
}

static int
ip6_live_modify(const struct cfg_change *c, char *err, size_t len)
{
	const struct ip6_conf *n = c->new;

	RTE_SET_USED(err);
	RTE_SET_USED(len);
	/* Only the management lcore reads these but the hop limit, which
	 * workers read for echo replies: one byte, one store. */
	route_ip6_conf.nd_reachable = n->nd_reachable;
	route_ip6_conf.nd_retries = n->nd_retries;
	route_ip6_conf.nd_hold = n->nd_hold;
	route_ip6_conf.dad_ms = n->dad_ms;
	__atomic_store_n(&route_ip6_conf.hop_limit, n->hop_limit,
			 __ATOMIC_RELAXED);
	return 0;
}

static const struct cfg_list_ops ip6_live_ops = {
	.check = ip6_live_check,
	.modify = ip6_live_modify,
};

static const struct cfg_schema ip6_schema = {
	.name = "ip6",
	.fields = ip6_fields,
	.n_fields = RTE_DIM(ip6_fields),
	.size = sizeof(struct ip6_conf),
	.ops = &ip6_live_ops,
};

const struct cfg_section ip6_cfg_section = {
	.key = "ip6",
	.type = CFG_GROUP,
	.schema = &ip6_schema,
	.doc = "IPv6: neighbour discovery and FIB sizes. IPv6 is on for an "
	       "interface with an address6; static routes are each VRF's "
	       "routes6 list. The timers, nd_hold, dad_ms and hop_limit "
	       "change live; max_neighbours, max_routes and fib_tbl8 size "
	       "tables made at start, so a reload that changes one is "
	       "refused (needs a restart) and changes nothing.",
	.check = ip6_check,
};

/* ------------------------------------------------------------------ */
/* Live operations of "routes6"                                        */

static int
route6_row_vrf(const struct cfg_change *c)
{
	return vrf_find(((const struct vrf_conf *)c->parent)->name);
}

static int
route6_row_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct route6_conf *rc = c->new;
	const char *why, *field;
	int v = route6_row_vrf(c);

	if (c->op == CFG_DELETE)
		return 0;
	why = route6_conf_check(iface_conf_list(c->model),
				((const struct vrf_conf *)c->parent)->name, rc,
				&field);
	if (why != NULL) {
		snprintf(err, len, "%s%s: %s", c->path, field, why);
		return -EINVAL;
	}
	if (c->op == CFG_CREATE && !c->start && v >= 0 &&
	    route6_configured_has((unsigned int)v, rc->prefix.addr,
				  rc->prefix.len)) {
		snprintf(err, len,
			 "conflicts with a connected or local "
			 "route");
		return -EEXIST;
	}
	return 0;
}

static int
route6_row_install(const struct cfg_change *c, char *err, size_t len)
{
	int v = route6_row_vrf(c);
	int rc = v < 0 ? -ENOENT
		       : route6_static_install((unsigned int)v, c->new);

	if (rc < 0)
		snprintf(err, len, "cannot install the IPv6 route: %s",
			 strerror(-rc));
	return rc;
}

static int
route6_row_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct route6_conf *rc = c->old;
	int v = route6_row_vrf(c);
	int r = v < 0 ? -ENOENT
		      : route6_del((unsigned int)v, rc->prefix.addr,
				   rc->prefix.len);

	if (r < 0)
		snprintf(err, len, "cannot delete the IPv6 route: %s",
			 strerror(-r));
	return r;
}

static const struct cfg_list_ops route6_list_ops = {
	.check = route6_row_check,
	.install = route6_row_install,
	.uninstall = route6_row_uninstall,
	.modify = route6_row_install,
};

/* ------------------------------------------------------------------ */
/* "neighbours6": static ND entries                                    */

static int
nd_row_install(const struct cfg_change *c, char *err, size_t len)
{
	const struct nd_conf *nc = c->new;
	struct rte_ether_addr mac;
	int ifx = iface_find(nc->interface), rc;

	memcpy(mac.addr_bytes, nc->mac, sizeof(nc->mac));
	rc = ifx < 0 ? -ENODEV
		     : nd_add_static((unsigned int)ifx, nc->address, &mac);
	if (rc < 0)
		snprintf(err, len, "cannot add the IPv6 neighbour: %s",
			 strerror(-rc));
	return rc;
}

static int
nd_row_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct nd_conf *nc = c->old;
	int ifx = iface_find(nc->interface);
	int rc = ifx < 0 ? -ENODEV
			 : nd_del_static((unsigned int)ifx, nc->address);

	if (rc < 0)
		snprintf(err, len, "cannot delete the IPv6 neighbour: %s",
			 strerror(-rc));
	return rc;
}

static const struct cfg_list_ops nd_list_ops = {
	.install = nd_row_install,
	.uninstall = nd_row_uninstall,
	.modify = nd_row_install,
};

static const struct cfg_field nd_fields[] = {
	{"interface", CFG_STRING, offsetof(struct nd_conf, interface),
	 IFACE_NAME_LEN, .required = true, .doc = "interface of the entry"},
	{"address", CFG_IPV6, offsetof(struct nd_conf, address), 16,
	 .required = true,
	 .doc = "IPv6 address on the interface's prefix, or link-local"},
	{"mac", CFG_MAC, offsetof(struct nd_conf, mac), 6, .required = true,
	 .doc = "its MAC address"},
};

static const struct cfg_schema nd_schema = {
	.name = "neighbour6",
	.fields = nd_fields,
	.n_fields = RTE_DIM(nd_fields),
	.size = sizeof(struct nd_conf),
	.keys = (const char *const[]){"interface", "address", NULL},
	.ops = &nd_list_ops,
};

/* The checks of one static IPv6 neighbour; NULL if fine. */
static const char *
nd_conf_check(const struct cfg_array *ifs, const struct nd_conf *nc,
	      const char **field)
{
	const struct iface_conf *ic = ifs->items;
	int x;

	*field = ".interface";
	x = conf_iface_index(ifs, nc->interface);
	if (x < 0)
		return "no such interface";
	if (ip6_is_unspecified(ic[x].address6.addr))
		return "interface has no IPv6 (address6)";
	*field = ".address";
	if (ip6_is_multicast(nc->address) || ip6_is_unspecified(nc->address) ||
	    ip6_is_loopback(nc->address))
		return "not a unicast address";
	if (!ip6_is_link_local(nc->address) &&
	    !ip6_prefix_match(nc->address, ic[x].address6.addr,
			      ic[x].address6.len))
		return "not on the interface's prefix (nor link-local)";
	if (memcmp(nc->address, ic[x].address6.addr, 16) == 0)
		return "is the interface's own address";
	*field = ".mac";
	if (!cfg_mac_is_unicast(nc->mac))
		return "not a unicast MAC (broadcast, multicast or zero)";
	return NULL;
}

static int
nd_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *nds = cfg_model_section(model, "neighbours6");
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct nd_conf *nc = nds->items;
	char path[CONF_PATH_LEN];
	const char *why, *field;
	unsigned int i;
	int errors = 0;

	for (i = 0; i < nds->n; i++) {
		why = nd_conf_check(ifs, &nc[i], &field);
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "neighbours6.[%u]%s", i, field);
		cfg_error(ctx, path, NULL, "%s", why);
		errors++;
	}
	return errors;
}

const struct cfg_section nd_cfg_section = {
	.key = "neighbours6",
	.type = CFG_LIST,
	.schema = &nd_schema,
	.doc = "Static IPv6 neighbours (never aged, never probed).",
	.check = nd_check,
};
