/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/route for IPv6, the counterparts of the IPv4 ones:
 * `show ipv6 route [vrf NAME] [ADDR]`, `show ipv6 neighbours`,
 * `ipv6 route add|del`, `ipv6 neighbour add|del`. Routes are read from each
 * FIB's own RIB (what the data plane looks up); changes go through the running
 * model (cfg_edit) as IPv4 routes do, so running-config and `write` have them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "cli.h"
#include "route6_priv.h"

static const char *const nd_state_names[] = {
	[NBR_INCOMPLETE] = "incomplete",
	[NBR_REACHABLE] = "reachable",
	[NBR_STALE] = "stale",
};

static const struct cli_col route6_cols[] = {
	{"vrf", 0},
	{"prefix", 0},
	{"route", 0},
};

struct route6_show {
	struct cli_out *out;
	struct cli_table *t;
	unsigned int vrf;
	unsigned int n;
};

static void
route6_show_one(const uint8_t *prefix, uint8_t len, const struct adj6 *a,
		void *arg)
{
	struct route6_show *s = arg;
	char ip[48], pfx[56], what[96];

	snprintf(pfx, sizeof(pfx), "%s/%u",
		 cfg_format_ipv6(prefix, ip, sizeof(ip)), len);
	adj6_format(a, what, sizeof(what));
	snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s",
		 route6_source_tag(s->vrf, prefix, len));
	s->n++;
	if (cli_out_json(s->out))
		cli_table_row(
			s->out, s->t,
			(const char *const[]){vrf_name(s->vrf), pfx, what});
	else
		cli_printf(s->out, "  %-30s %s\n", pfx, what);
}

/* One VRF's routes, or with @p addr the route a packet to it takes
 * (longest prefix match, as `show ip route ADDR`). */
static void
vrf_routes6_show(struct route6_show *s, const uint8_t *addr)
{
	s->n = 0;
	if (!cli_out_json(s->out))
		cli_printf(s->out, "VRF %s:\n", vrf_name(s->vrf));
	if (addr != NULL)
		route6_match(s->vrf, addr, route6_show_one, s);
	else
		route6_walk(s->vrf, route6_show_one, s);
	if (s->n == 0 && !cli_out_json(s->out))
		cli_printf(s->out, "  no routes\n");
}

static int
show_ipv6_route(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *name = cli_arg(args, "vrf-name");
	const char *ip = cli_arg(args, "ipv6");
	struct cli_table t = {route6_cols, RTE_DIM(route6_cols)};
	struct route6_show s = {out, &t, 0, 0};
	uint8_t addr[16];
	unsigned int i;
	int one = -1;

	RTE_SET_USED(arg);
	if (name != NULL) {
		one = vrf_find(name);
		if (one < 0) {
			cli_error(out, "no such VRF: %s", name);
			return -ENOENT;
		}
	}
	if (vrf_count() == 0) {
		cli_empty(out, "VRFs");
		return 0;
	}
	if (ip != NULL)
		cfg_parse_ipv6(ip, addr); /* checked by the argument type */
	cli_table_begin(out, &t);
	for (i = 0; i < vrf_count(); i++) {
		if (one >= 0 && i != (unsigned int)one)
			continue;
		s.vrf = i;
		vrf_routes6_show(&s, ip != NULL ? addr : NULL);
	}
	cli_table_end(out, &t);
	return 0;
}

static const struct cli_col nd_cols[] = {
	{"address", 28}, {"mac", 17}, {"interface", 12},
	{"state", 10},	 {"age", 8},  {"held", 0, true},
};

static void
nd_show_one(struct cli_out *out, struct cli_table *t, const struct nd6 *n,
	    uint64_t now_ms)
{
	const struct iface *ifc = iface_get(n->iface);
	uint64_t w = __atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE);
	enum nbr_state st = nbr_word_state(w);
	struct rte_ether_addr mac;
	char ip[48], macs[RTE_ETHER_ADDR_FMT_SIZE], age[24], held[12];

	memcpy(mac.addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	if (st == NBR_INCOMPLETE)
		snprintf(macs, sizeof(macs), "-");
	else
		rte_ether_format_addr(macs, sizeof(macs), &mac);
	if (n->is_static)
		snprintf(age, sizeof(age), "static");
	else if (n->updated_ms == 0)
		snprintf(age, sizeof(age), "never");
	else
		snprintf(age, sizeof(age), "%" PRIu64 "s",
			 (now_ms - n->updated_ms) / 1000);
	snprintf(held, sizeof(held), "%u", n->n_hold);
	cli_table_row(out, t,
		      (const char *const[]){
			      cfg_format_ipv6(n->ip, ip, sizeof(ip)), macs,
			      ifc ? ifc->name : "?",
			      n->is_static ? "permanent" : nd_state_names[st],
			      age, held});
}

static int
show_ipv6_neighbours(struct cli_out *out, const struct cli_args *args,
		     void *arg)
{
	struct cli_table t = {nd_cols, RTE_DIM(nd_cols), .header = true};
	uint64_t now_ms = cli_now_ms(); /* the clock ND stamps with */
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (nd_hash == NULL ||
	    (rte_hash_count(nd_hash) <= 0 && !cli_out_json(out))) {
		cli_empty(out, "neighbours");
		return 0;
	}
	cli_table_begin(out, &t);
	while ((pos = rte_hash_iterate(nd_hash, &key, &data, &iter)) >= 0)
		nd_show_one(out, &t, &nd_table[pos], now_ms);
	cli_table_end(out, &t);
	return 0;
}

struct route6_edit {
	const char *vrf;
	const struct route6_conf *rc;
};

static int
route6_edit_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route6_edit *e = arg;
	struct vrf_conf *vc = vrf_conf_get(m, e->vrf, err, len);
	struct route6_conf *have;

	if (vc == NULL)
		return -ENOENT;
	have = cfg_array_find(&vc->routes6, &route6_conf_schema, e->rc);
	if (have != NULL) {
		*have = *e->rc;
		return 0;
	}
	if (cfg_array_append(&vc->routes6, sizeof(*e->rc), e->rc) == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
route6_edit_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct route6_edit *e = arg;
	struct vrf_conf *vc = vrf_conf_get(m, e->vrf, err, len);
	struct route6_conf *have;

	if (vc == NULL)
		return -ENOENT;
	have = cfg_array_find(&vc->routes6, &route6_conf_schema, e->rc);
	if (have == NULL) {
		snprintf(err, len, "no such static IPv6 route");
		return -ENOENT;
	}
	cfg_array_remove(
		&vc->routes6, sizeof(*have),
		(unsigned int)(have - (struct route6_conf *)vc->routes6.items));
	return 0;
}

static const char *
vrf6_arg(const struct cli_args *args)
{
	const char *vrf = cli_arg(args, "vrf-name");

	return vrf != NULL ? vrf : VRF_DEFAULT_NAME;
}

static int
ipv6_route_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct route6_conf rc = {.blackhole = arg != NULL};
	const char *ifname = cli_arg(args, "interface-name");
	struct route6_edit e = {vrf6_arg(args), &rc};
	char err[512];

	cfg_parse_ipv6_prefix(cli_arg(args, "ipv6-prefix"), true, &rc.prefix,
			      NULL);
	if (!rc.blackhole)
		cfg_parse_ipv6(cli_arg(args, "ipv6"), rc.via);
	if (ifname != NULL)
		snprintf(rc.interface, sizeof(rc.interface), "%s", ifname);
	return cli_result(
		out,
		cfg_edit(route_model, route6_edit_add, &e, err, sizeof(err)),
		err);
}

static int
ipv6_route_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct route6_conf key = {0};
	struct route6_edit e = {vrf6_arg(args), &key};
	char err[512];

	RTE_SET_USED(arg);
	cfg_parse_ipv6_prefix(cli_arg(args, "ipv6-prefix"), true, &key.prefix,
			      NULL);
	return cli_result(
		out,
		cfg_edit(route_model, route6_edit_del, &e, err, sizeof(err)),
		err);
}

static int
nd_edit_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cfg_array *nds = cfg_model_section(m, "neighbours6");
	struct nd_conf *have = cfg_array_find(nds, nd_cfg_section.schema, arg);

	if (have != NULL) {
		*have = *(const struct nd_conf *)arg; /* a new MAC */
		return 0;
	}
	if (cfg_array_append(nds, sizeof(*have), arg) == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
nd_edit_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cfg_array *nds = cfg_model_section(m, "neighbours6");
	struct nd_conf *have = cfg_array_find(nds, nd_cfg_section.schema, arg);

	if (have == NULL) {
		snprintf(err, len, "no such static IPv6 neighbour");
		return -ENOENT;
	}
	cfg_array_remove(nds, sizeof(*have),
			 (unsigned int)(have - (struct nd_conf *)nds->items));
	return 0;
}

/* `ipv6 neighbour add|del`: @p arg non-NULL = add. */
static int
ipv6_neighbour(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct nd_conf nc = {0};
	const char *mac = cli_arg(args, "mac-address");
	unsigned int b[6], i;
	char err[512];

	cfg_parse_ipv6(cli_arg(args, "ipv6"), nc.address);
	snprintf(nc.interface, sizeof(nc.interface), "%s",
		 cli_arg(args, "interface-name"));
	if (arg == NULL)
		return cli_result(out,
				  cfg_edit(route_model, nd_edit_del, &nc, err,
					   sizeof(err)),
				  err);
	/* <mac-address> was checked by its type */
	sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
	       &b[5]);
	for (i = 0; i < 6; i++)
		nc.mac[i] = (uint8_t)b[i];
	return cli_result(
		out, cfg_edit(route_model, nd_edit_add, &nc, err, sizeof(err)),
		err);
}

static int
ipv6_check(const char *tok, const char **why)
{
	uint8_t a[16];

	if (cfg_parse_ipv6(tok, a) < 0) {
		*why = "expected an IPv6 address";
		return -EINVAL;
	}
	return 0;
}

static int
ipv6_prefix_check(const char *tok, const char **why)
{
	struct cfg_ipv6_prefix p;

	return cfg_parse_ipv6_prefix(tok, true, &p, why);
}

static const struct cli_arg_type route6_arg_types[] = {
	{
		.name = "ipv6",
		.help = "IPv6 address",
		.check = ipv6_check,
		.example = "2001:db8::1",
	},
	{
		.name = "ipv6-prefix",
		.help = "IPv6 prefix addr/len, no host bits set",
		.check = ipv6_prefix_check,
		.example = "2001:db8::/32",
	},
};

static const struct cli_command route6_commands[] = {
	{
		.syntax = "show ipv6 route [vrf <vrf-name>]",
		.help = "Show running state\n"
			"IPv6\n"
			"IPv6 routes of every VRF, or of one\n"
			"Only one VRF\n"
			"VRF name",
		.handler = show_ipv6_route,
		.read_only = true,
	},
	{
		.syntax = "show ipv6 route [vrf <vrf-name>] <ipv6>",
		.summary = "The route a packet to an IPv6 address takes "
			   "(longest prefix match)",
		.help = "Show running state\n"
			"IPv6\n"
			"IPv6 routes of every VRF, or of one\n"
			"Only one VRF\n"
			"VRF name\n"
			"Destination address: its longest matching route",
		.handler = show_ipv6_route,
		.read_only = true,
	},
	{
		.syntax = "show ipv6 neighbours",
		.help = "Show running state\n"
			"IPv6\n"
			"Neighbour discovery table",
		.handler = show_ipv6_neighbours,
		.read_only = true,
	},
	{
		.syntax = "ipv6 route add <ipv6-prefix> via <ipv6> "
			  "[interface <interface-name>] [vrf <vrf-name>]",
		.help = "IPv6\n"
			"Static IPv6 routes\n"
			"Add a static IPv6 route\n"
			"Destination prefix\n"
			"Through a next hop\n"
			"Next-hop address (on a connected prefix, or give "
			"the interface)\n"
			"Leave by this interface\n"
			"Interface name\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ipv6_route_add,
	},
	{
		.syntax = "ipv6 route add <ipv6-prefix> blackhole "
			  "[vrf <vrf-name>]",
		.summary = "Add a static IPv6 route that drops what matches",
		.help = "IPv6\n"
			"Static IPv6 routes\n"
			"Add a static IPv6 route\n"
			"Destination prefix\n"
			"Drop what matches (ip6_blackhole)\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ipv6_route_add,
		.arg = (void *)1,
	},
	{
		.syntax = "ipv6 route del <ipv6-prefix> [vrf <vrf-name>]",
		.help = "IPv6\n"
			"Static IPv6 routes\n"
			"Delete a static IPv6 route\n"
			"Destination prefix\n"
			"In this VRF (default: \"default\")\n"
			"VRF name",
		.handler = ipv6_route_del,
	},
	{
		.syntax = "ipv6 neighbour add <ipv6> mac <mac-address> "
			  "interface <interface-name>",
		.help = "IPv6\n"
			"Static ND entries\n"
			"Add a static IPv6 neighbour\n"
			"Its IPv6 address (on the interface's prefix, or "
			"link-local)\n"
			"Its MAC address\n"
			"MAC address\n"
			"On this interface\n"
			"Interface name",
		.handler = ipv6_neighbour,
		.arg = (void *)1,
	},
	{
		.syntax =
			"ipv6 neighbour del <ipv6> interface <interface-name>",
		.help = "IPv6\n"
			"Static ND entries\n"
			"Delete a static IPv6 neighbour\n"
			"Its IPv6 address\n"
			"On this interface\n"
			"Interface name",
		.handler = ipv6_neighbour,
	},
};

int
route6_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(route6_arg_types); i++) {
		rc = cli_register_arg_type(&route6_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(route6_commands, RTE_DIM(route6_commands));
}
