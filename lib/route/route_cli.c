/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/route: `show ip route [vrf NAME]` and
 * `show neighbours`. Routes are read from each FIB's RIB, so what is
 * shown is what the data plane looks up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_rib.h>

#include "cli.h"
#include "route6_priv.h"

static const char *const nbr_state_names[] = {
	[NBR_INCOMPLETE] = "incomplete",
	[NBR_REACHABLE] = "reachable",
	[NBR_STALE] = "stale",
};

/* "via 10.0.0.2 dev p2.10", "connected dev a", "local", "blackhole" */
void
adj_format(const struct adj *a, char *buf, size_t len)
{
	const struct iface *ifc = iface_get(a->iface);
	char ip[16];

	switch (a->type) {
	case ADJ_T_NEXTHOP:
		snprintf(buf, len, "via %s dev %s",
			 cfg_format_ipv4(a->gw, ip, sizeof(ip)),
			 ifc ? ifc->name : "?");
		break;
	case ADJ_T_GLEAN:
		snprintf(buf, len, "connected dev %s", ifc ? ifc->name : "?");
		break;
	case ADJ_T_LOCAL:
		snprintf(buf, len, "local");
		break;
	case ADJ_T_BLACKHOLE:
		snprintf(buf, len, "blackhole");
		break;
	case ADJ_T_EXT:
		adj_ext_format(a, buf, len);
		break;
	case ADJ_T_NHG:
		nhg_format(a->nbr, buf, len);
		break;
	default:
		snprintf(buf, len, "unreachable");
	}
}

/* " [static]", " [frr]" after a route, and FRR's route a configured
 * one hides: " [frr hidden: via ...]" (or the static route FRR's
 * beats, fpm.distance: " [static hidden: via ...]"). */
static void
route_source_note(struct rte_rib_node *n, char *buf, size_t len)
{
	const struct route_rib_ext *e = rib_ext(n);
	size_t off = strlen(buf);
	char hidden[96];

	if (e->src != ROUTE_SRC_SYSTEM && off < len)
		off += (size_t)snprintf(buf + off, len - off, " [%s]",
					route_source_name(e->src));
	if (e->frr_hidden && off < len) {
		adj_format(&adj_table[e->frr_nh], hidden, sizeof(hidden));
		snprintf(buf + off, len - off, " [%s hidden: %s]",
			 e->static_hidden ? "static" : "frr", hidden);
	}
}

/* `| json`: one object per route, the VRF in each. */
static const struct cli_col route_cols[] = {
	{ "vrf", 0 }, { "prefix", 0 }, { "route", 0 },
};

static void
route_show_one(struct cli_out *out, struct cli_table *t, unsigned int vrf,
	       struct rte_rib_node *n)
{
	char ip[16], pfx[24], what[ROUTE_PATHS_MAX * 48];
	uint64_t nh;
	uint32_t addr;
	uint8_t depth;

	rte_rib_get_ip(n, &addr);
	rte_rib_get_depth(n, &depth);
	rte_rib_get_nh(n, &nh);
	snprintf(pfx, sizeof(pfx), "%s/%u",
		 cfg_format_ipv4(addr, ip, sizeof(ip)), depth);
	adj_format(&adj_table[nh], what, sizeof(what));
	route_source_note(n, what, sizeof(what));
	if (cli_out_json(out))
		cli_table_row(out, t, (const char *const[]){
			vrf_table[vrf].name, pfx, what });
	else
		cli_printf(out, "  %-18s %s\n", pfx, what);
}

/* "VRF name (id n):" above a VRF's routes (not in JSON). */
static void
vrf_heading(struct cli_out *out, unsigned int vrf)
{
	if (!cli_out_json(out))
		cli_printf(out, "VRF %s (id %u):\n", vrf_table[vrf].name,
			   vrf_table[vrf].id);
}

static void
no_routes(struct cli_out *out)
{
	if (!cli_out_json(out))
		cli_printf(out, "  no routes\n");
}

/* A route's sort key: address, then length (as FRR and VPP list). */
static uint64_t
route_key(const struct rte_rib_node *n)
{
	uint32_t addr;
	uint8_t depth;

	rte_rib_get_ip(n, &addr);
	rte_rib_get_depth(n, &depth);
	return (uint64_t)addr << 8 | depth;
}

static int
route_cmp(const void *a, const void *b)
{
	uint64_t x = route_key(*(struct rte_rib_node *const *)a);
	uint64_t y = route_key(*(struct rte_rib_node *const *)b);

	return x < y ? -1 : x > y;
}

/* Every route of @p rib, unsorted; *n their number. NULL if none or
 * out of memory (*n says which). */
static struct rte_rib_node **
rib_collect(struct rte_rib *rib, unsigned int *n)
{
	struct rte_rib_node *r = NULL, **v;
	unsigned int k = 0;

	*n = rte_rib_lookup_exact(rib, 0, 0) != NULL;
	while ((r = rte_rib_get_nxt(rib, 0, 0, r, RTE_RIB_GET_NXT_ALL)) != NULL)
		(*n)++;
	if (*n == 0)
		return NULL;
	v = malloc(*n * sizeof(*v));
	if (v == NULL)
		return NULL;
	/* get_nxt walks what is more specific than 0/0, not 0/0 itself. */
	r = rte_rib_lookup_exact(rib, 0, 0);
	if (r != NULL)
		v[k++] = r;
	r = NULL;
	while (k < *n &&
	       (r = rte_rib_get_nxt(rib, 0, 0, r, RTE_RIB_GET_NXT_ALL)) != NULL)
		v[k++] = r;
	*n = k;
	return v;
}

static int
vrf_routes_show(struct cli_out *out, struct cli_table *t, unsigned int vrf)
{
	struct rte_rib_node **v;
	unsigned int n, i;

	vrf_heading(out, vrf);
	v = rib_collect(vrf_table[vrf].rib, &n);
	if (v == NULL && n != 0) {
		cli_error(out, "out of memory");
		return -ENOMEM;
	}
	if (n == 0)
		no_routes(out);
	if (n > 1)
		qsort(v, n, sizeof(*v), route_cmp);
	for (i = 0; i < n; i++)
		route_show_one(out, t, vrf, v[i]);
	free(v);
	return 0;
}

static int
vrf_name_cmp(const void *a, const void *b)
{
	return strcmp(vrf_table[*(const unsigned int *)a].name,
		      vrf_table[*(const unsigned int *)b].name);
}

/* The route a prefix uses: itself if present, else the longest route
 * covering it (what a lookup of its first address with that length
 * would hit). */
static void
vrf_route_match(struct cli_out *out, struct cli_table *t, unsigned int vrf,
		const struct cfg_ipv4_prefix *p)
{
	struct rte_rib *rib = vrf_table[vrf].rib;
	struct rte_rib_node *n = rte_rib_lookup_exact(rib, p->addr, p->len);
	uint8_t depth;

	if (n == NULL) {
		for (n = rte_rib_lookup(rib, p->addr); n != NULL;
		     n = rte_rib_lookup_parent(n)) {
			rte_rib_get_depth(n, &depth);
			if (depth <= p->len)
				break;
		}
	}
	vrf_heading(out, vrf);
	if (n != NULL)
		route_show_one(out, t, vrf, n);
	else
		no_routes(out);
}

/* `show ip route ADDR`: the route a packet to ADDR takes (longest
 * prefix match), as FRR's and VPP's do. */
static void
vrf_route_lookup(struct cli_out *out, struct cli_table *t, unsigned int vrf,
		 uint32_t addr)
{
	struct rte_rib_node *n = rte_rib_lookup(vrf_table[vrf].rib, addr);

	vrf_heading(out, vrf);
	if (n != NULL)
		route_show_one(out, t, vrf, n);
	else
		no_routes(out);
}

/* The VRFs to show, sorted by name: one if named, else every one. */
static int
vrfs_chosen(struct cli_out *out, const char *name, unsigned int *v,
	    unsigned int *n)
{
	unsigned int i;
	int vrf;

	if (name == NULL) {
		*n = vrf_count();
		for (i = 0; i < *n; i++)
			v[i] = i;
		qsort(v, *n, sizeof(*v), vrf_name_cmp);
		return 0;
	}
	vrf = vrf_find(name);
	if (vrf < 0) {
		cli_error(out, "no such VRF: %s", name);
		return -ENOENT;
	}
	v[0] = (unsigned int)vrf;
	*n = 1;
	return 0;
}

static int
show_ip_route(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *pfx = cli_arg(args, "ipv4-prefix");
	const char *ip = cli_arg(args, "ipv4");
	struct cli_table t = { route_cols, RTE_DIM(route_cols) };
	unsigned int v[VRF_MAX], n, i;
	struct cfg_ipv4_prefix p;
	const char *why;
	uint32_t addr = 0;
	int rc;

	RTE_SET_USED(arg);
	rc = vrfs_chosen(out, cli_arg(args, "vrf-name"), v, &n);
	if (rc < 0)
		return rc;
	if (pfx != NULL && cfg_parse_ipv4_prefix(pfx, true, &p, &why) < 0) {
		cli_error(out, "\"%s\": %s", pfx, why);
		return -EINVAL;
	}
	if (ip != NULL)
		cfg_parse_ipv4(ip, &addr);
	if (n == 0 && !cli_out_json(out)) {
		cli_empty(out, "VRFs");
		return 0;
	}
	cli_table_begin(out, &t);
	for (i = 0; i < n && rc == 0; i++) {
		if (pfx != NULL)
			vrf_route_match(out, &t, v[i], &p);
		else if (ip != NULL)
			vrf_route_lookup(out, &t, v[i], addr);
		else
			rc = vrf_routes_show(out, &t, v[i]);
	}
	cli_table_end(out, &t);
	return rc;
}

static const char *
vrf_arg(const struct cli_args *args)
{
	const char *vrf = cli_arg(args, "vrf-name");

	return vrf != NULL ? vrf : VRF_DEFAULT_NAME;
}

static int
ip_route_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct route_conf rc = { .blackhole = arg != NULL };
	const char *ifname = cli_arg(args, "interface-name");
	const char *why;
	char err[512];

	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &rc.prefix,
			      &why);
	if (!rc.blackhole)
		cfg_parse_ipv4(cli_arg(args, "ipv4"), &rc.via);
	if (ifname != NULL)
		snprintf(rc.interface, sizeof(rc.interface), "%s", ifname);
	return cli_result(out, route_static_add(vrf_arg(args), &rc, err,
						sizeof(err)), err);
}

/* `ip route add P via A via B [via C] [via D]`: an ECMP route. */
static int
ip_route_add_ecmp(struct cli_out *out, const struct cli_args *args,
		  void *arg)
{
	char vias[ROUTE_PATHS_MAX][ROUTE_VIA_LEN];
	struct route_conf rc = { .vias = { vias, 0 } };
	const char *why, *v;
	char err[512];

	RTE_SET_USED(arg);
	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &rc.prefix,
			      &why);
	while (rc.vias.n < ROUTE_PATHS_MAX &&
	       (v = cli_arg_n(args, "ipv4", rc.vias.n)) != NULL)
		snprintf(vias[rc.vias.n++], ROUTE_VIA_LEN, "%s", v);
	return cli_result(out, route_static_add(vrf_arg(args), &rc, err,
						sizeof(err)), err);
}

static int
ip_route_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cfg_ipv4_prefix p;
	const char *why;
	char err[512];

	RTE_SET_USED(arg);
	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &p, &why);
	return cli_result(out, route_static_del(vrf_arg(args), p.addr, p.len,
						err, sizeof(err)), err);
}

static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int b[6], i;
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6 || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int
neighbour_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct nbr_conf nc = { 0 };
	char err[512];

	RTE_SET_USED(arg);
	cfg_parse_ipv4(cli_arg(args, "ipv4"), &nc.address);
	mac_parse(cli_arg(args, "mac-address"), nc.mac);
	snprintf(nc.interface, sizeof(nc.interface), "%s",
		 cli_arg(args, "interface-name"));
	return cli_result(out, nbr_static_add(&nc, err, sizeof(err)), err);
}

static int
neighbour_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint32_t ip = 0;
	char err[512];

	RTE_SET_USED(arg);
	cfg_parse_ipv4(cli_arg(args, "ipv4"), &ip);
	return cli_result(out, nbr_static_del(cli_arg(args, "interface-name"),
					      ip, err, sizeof(err)), err);
}

static const struct cli_col nbr_cols[] = {
	{ "address", 16 }, { "mac", 17 }, { "interface", 12 }, { "state", 10 },
	{ "age", 8 }, { "held", 0, true },
};

static void
nbr_show_one(struct cli_out *out, struct cli_table *t, const struct nbr *n,
	     uint64_t now_ms)
{
	const struct iface *ifc = iface_get(n->iface);
	uint64_t w = __atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE);
	enum nbr_state st = nbr_word_state(w);
	struct rte_ether_addr mac;
	char ip[16], macs[RTE_ETHER_ADDR_FMT_SIZE], age[24], held[12];

	memcpy(mac.addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	if (st == NBR_INCOMPLETE)
		snprintf(macs, sizeof(macs), "-");
	else
		rte_ether_format_addr(macs, sizeof(macs), &mac);
	if (n->is_static)
		snprintf(age, sizeof(age), "static");
	else if (n->updated_ms == 0)
		snprintf(age, sizeof(age), "never"); /* not answered yet */
	else
		snprintf(age, sizeof(age), "%" PRIu64 "s",
			 (now_ms - n->updated_ms) / 1000);
	snprintf(held, sizeof(held), "%u", n->n_hold);
	cli_table_row(out, t, (const char *const[]){
		cfg_format_ipv4(n->ip, ip, sizeof(ip)), macs,
		ifc ? ifc->name : "?",
		n->is_static ? "permanent" : nbr_state_names[st], age, held });
}

static int
show_neighbours(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;
	/* the clock route_control_poll() stamps neighbours with */
	uint64_t now_ms = cli_now_ms();

	struct cli_table t = { nbr_cols, RTE_DIM(nbr_cols), .header = true };

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (rte_hash_count(nbr_hash) <= 0 && !cli_out_json(out)) {
		cli_printf(out, "no neighbours\n");
		return 0;
	}
	cli_table_begin(out, &t);
	while ((pos = rte_hash_iterate(nbr_hash, &key, &data, &iter)) >= 0)
		nbr_show_one(out, &t, &nbr_table[pos], now_ms);
	cli_table_end(out, &t);
	return 0;
}

static int
vrf_name_check(const char *tok, const char **why)
{
	if (strlen(tok) >= VRF_NAME_LEN) {
		*why = "VRF names are at most 31 characters";
		return -EINVAL;
	}
	return 0;
}

static int
mac_check(const char *tok, const char **why)
{
	uint8_t mac[6];

	if (mac_parse(tok, mac) < 0) {
		*why = "expected a MAC address xx:xx:xx:xx:xx:xx";
		return -EINVAL;
	}
	return 0;
}

/* Tab completion offers the VRFs that exist. */
static void
vrf_name_complete(const char *prefix,
		  void (*add)(void *ctx, const char *candidate), void *ctx)
{
	unsigned int i;

	RTE_SET_USED(prefix);
	for (i = 0; i < vrf_count(); i++)
		add(ctx, vrf_name(i));
}

static struct cli_arg_type route_arg_types[] = {
	{
		.name = "vrf-name",
		.help = "name of a VRF",
		.check = vrf_name_check,
		.example = "cust-a",
		.complete = vrf_name_complete,
	},
	{
		.name = "mac-address",
		.help = "MAC address xx:xx:xx:xx:xx:xx",
		.check = mac_check,
		.example = "02:00:00:00:00:01",
	},
};

static const struct cli_command route_commands[] = {
	{
		.syntax = "show ip route [vrf <vrf-name>] [<ipv4-prefix>]",
		.help = "Show running state\n"
			"IPv4\n"
			"Routes of every VRF, or of one\n"
			"Only one VRF\n"
			"VRF name\n"
			"Only the route this prefix uses",
		.handler = show_ip_route,
		.read_only = true,
	},
	{
		.syntax = "show ip route [vrf <vrf-name>] <ipv4>",
		.summary = "The route a packet to an address takes (longest "
			   "prefix match)",
		.help = "Show running state\n"
			"IPv4\n"
			"Routes of every VRF, or of one\n"
			"Only one VRF\n"
			"VRF name\n"
			"Destination address: its longest matching route",
		.handler = show_ip_route,
		.read_only = true,
	},
	{
		.syntax = "show neighbours",
		.help = "Show running state\n"
			"ARP table: static and learned neighbours",
		.handler = show_neighbours,
		.read_only = true,
	},
	{
		.syntax = "ip route add <ipv4-prefix> via <ipv4> "
			  "[interface <interface-name>] [vrf <vrf-name>]",
		.help = "IPv4\n"
			"Static routes\n"
			"Add a static route\n"
			"Destination prefix\n"
			"Through a next hop\n"
			"Next-hop address (on a connected subnet, or give "
			"the interface)\n"
			"Leave by this interface\n"
			"Interface name\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ip_route_add,
	},
	{
		.syntax = "ip route add <ipv4-prefix> via <ipv4> via <ipv4> "
			  "[via <ipv4>] [via <ipv4>] [vrf <vrf-name>]",
		.summary = "Add a static ECMP route (config: vias, up to 16)",
		.help = "IPv4\n"
			"Static routes\n"
			"Add a static route\n"
			"Destination prefix\n"
			"Through a next hop\n"
			"First next hop (on a connected subnet)\n"
			"And through another\n"
			"Second next hop\n"
			"And through another\n"
			"Third next hop\n"
			"And through another\n"
			"Fourth next hop\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ip_route_add_ecmp,
	},
	{
		.syntax = "ip route add <ipv4-prefix> blackhole [vrf <vrf-name>]",
		.summary = "Add a static route that drops what matches",
		.help = "IPv4\n"
			"Static routes\n"
			"Add a static route\n"
			"Destination prefix\n"
			"Drop what matches (ip4_blackhole)\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ip_route_add,
		.arg = (void *)1,
	},
	{
		.syntax = "ip route del <ipv4-prefix> [vrf <vrf-name>]",
		.help = "IPv4\n"
			"Static routes\n"
			"Delete a static route\n"
			"Destination prefix\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ip_route_del,
	},
	{
		.syntax = "neighbour add <ipv4> mac <mac-address> "
			  "interface <interface-name>",
		.help = "Static ARP entries\n"
			"Add a static neighbour\n"
			"Its IPv4 address (on the interface's subnet)\n"
			"Its MAC address\n"
			"MAC address\n"
			"On this interface\n"
			"Interface name",
		.handler = neighbour_add,
	},
	{
		.syntax = "neighbour del <ipv4> interface <interface-name>",
		.help = "Static ARP entries\n"
			"Delete a static neighbour\n"
			"Its IPv4 address\n"
			"On this interface\n"
			"Interface name",
		.handler = neighbour_del,
	},
};

int
route_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(route_arg_types); i++) {
		rc = cli_register_arg_type(&route_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	/* lib/iface first: its <interface-name> type is used here. */
	rc = iface_cli_register(vrf_name);
	if (rc == 0)
		rc = cli_register(route_commands, RTE_DIM(route_commands));
	return rc < 0 ? rc : route6_cli_register();
}
