/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/route: `show ip route [vrf NAME]` and
 * `show neighbours`. Routes are read from each FIB's RIB, so what is
 * shown is what the data plane looks up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rib.h>

#include "cli.h"
#include "route_priv.h"

static const char *const nbr_state_names[] = {
	[NBR_INCOMPLETE] = "incomplete",
	[NBR_REACHABLE] = "reachable",
	[NBR_STALE] = "stale",
};

/* "via 10.0.0.2 dev p2.10", "connected dev a", "local", "blackhole" */
static void
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
	default:
		snprintf(buf, len, "unreachable");
	}
}

static void
route_show_one(struct cli_out *out, struct rte_rib_node *n)
{
	char ip[16], pfx[24], what[96];
	uint64_t nh;
	uint32_t addr;
	uint8_t depth;

	rte_rib_get_ip(n, &addr);
	rte_rib_get_depth(n, &depth);
	rte_rib_get_nh(n, &nh);
	snprintf(pfx, sizeof(pfx), "%s/%u",
		 cfg_format_ipv4(addr, ip, sizeof(ip)), depth);
	adj_format(&adj_table[nh], what, sizeof(what));
	cli_printf(out, "  %-18s %s\n", pfx, what);
}

static void
vrf_routes_show(struct cli_out *out, unsigned int vrf)
{
	struct rte_rib *rib = rte_fib_get_rib(vrf_table[vrf].fib);
	struct rte_rib_node *n;

	cli_printf(out, "VRF %s (id %u):\n", vrf_table[vrf].name,
		   vrf_table[vrf].id);
	/* get_nxt walks what is more specific than 0/0, not 0/0 itself. */
	n = rte_rib_lookup_exact(rib, 0, 0);
	if (n != NULL)
		route_show_one(out, n);
	n = NULL;
	while ((n = rte_rib_get_nxt(rib, 0, 0, n, RTE_RIB_GET_NXT_ALL)) !=
	       NULL)
		route_show_one(out, n);
}

static int
show_ip_route(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *name = cli_arg(args, "vrf-name");
	unsigned int i;
	int vrf;

	RTE_SET_USED(arg);
	if (name != NULL) {
		vrf = vrf_find(name);
		if (vrf < 0) {
			cli_error(out, "no such VRF: %s", name);
			return -ENOENT;
		}
		vrf_routes_show(out, (unsigned int)vrf);
		return 0;
	}
	for (i = 0; i < vrf_count(); i++)
		vrf_routes_show(out, i);
	return 0;
}

static void
nbr_show_one(struct cli_out *out, const struct nbr *n, uint64_t now_ms)
{
	const struct iface *ifc = iface_get(n->iface);
	uint64_t w = __atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE);
	enum nbr_state st = nbr_word_state(w);
	struct rte_ether_addr mac;
	char ip[16], macs[RTE_ETHER_ADDR_FMT_SIZE], age[24];

	memcpy(mac.addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	if (st == NBR_INCOMPLETE)
		snprintf(macs, sizeof(macs), "-");
	else
		rte_ether_format_addr(macs, sizeof(macs), &mac);
	if (n->is_static)
		snprintf(age, sizeof(age), "static");
	else
		snprintf(age, sizeof(age), "%" PRIu64 "s",
			 (now_ms - n->updated_ms) / 1000);
	cli_printf(out, "%-16s %-17s %-12s %-10s %-8s %u\n",
		   cfg_format_ipv4(n->ip, ip, sizeof(ip)), macs,
		   ifc ? ifc->name : "?",
		   n->is_static ? "permanent" : nbr_state_names[st], age,
		   n->n_hold);
}

static int
show_neighbours(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;
	uint64_t now_ms = rte_get_timer_cycles() * 1000 / rte_get_timer_hz();

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	cli_printf(out, "%-16s %-17s %-12s %-10s %-8s %s\n", "address", "mac",
		   "interface", "state", "age", "held");
	while ((pos = rte_hash_iterate(nbr_hash, &key, &data, &iter)) >= 0)
		nbr_show_one(out, &nbr_table[pos], now_ms);
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

static const struct cli_arg_type vrf_name_type = {
	.name = "vrf-name",
	.help = "name of a VRF",
	.check = vrf_name_check,
};

static const struct cli_command route_commands[] = {
	{
		.syntax = "show ip route [vrf <vrf-name>]",
		.help = "Show running state\n"
			"IPv4\n"
			"Routes of every VRF, or of one\n"
			"Only one VRF\n"
			"VRF name",
		.handler = show_ip_route,
	},
	{
		.syntax = "show neighbours",
		.help = "Show running state\n"
			"ARP table: static and learned neighbours",
		.handler = show_neighbours,
	},
};

int
route_cli_register(void)
{
	int rc = cli_register_arg_type(&vrf_name_type);

	if (rc < 0 && rc != -EEXIST)
		return rc;
	rc = cli_register(route_commands, RTE_DIM(route_commands));
	return rc < 0 ? rc : iface_cli_register(vrf_name);
}
