/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/vxlan: `show vxlan tunnels`, `show bridge-domain`,
 * `show mac-table`, `clear mac-table` and the `vxlan ...` changes. Shows
 * read the tables the data plane uses; changes go through
 * vxlan_change.c, the same checks and installs as the loader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "cli.h"
#include "vxlan_priv.h"

#define ERR_LEN 160

static uint32_t
arg_ipv4(const struct cli_args *args)
{
	uint32_t ip = 0;

	cfg_parse_ipv4(cli_arg(args, "ipv4"), &ip);
	return ip;
}

static void
arg_mac(const struct cli_args *args, uint8_t mac[6])
{
	struct rte_ether_addr a = { 0 };

	rte_ether_unformat_addr(cli_arg(args, "mac-address"), &a);
	memcpy(mac, a.addr_bytes, 6);
}

static bool
vxlan_ready(struct cli_out *out)
{
	if (vxlan_dp.mac != NULL)
		return true;
	cli_error(out, "VXLAN is not set up");
	return false;
}

/* "vtep 10.0.0.2" or the interface name a location word points to. */
static void
loc_format(uint64_t w, char *buf, size_t len)
{
	const struct vxlan_tunnel *t;
	const struct iface *ifc;
	char ip[VXLAN_IP_LEN];

	if (VXLAN_LOC_KIND(w) == VXLAN_LOC_IFACE) {
		ifc = iface_get(VXLAN_LOC_IDX(w));
		snprintf(buf, len, "%s", ifc != NULL ? ifc->name : "?");
		return;
	}
	t = vxlan_dp.tun[VXLAN_LOC_IDX(w)];
	snprintf(buf, len, "vtep %s",
		 t == NULL ? "?" : vxlan_tunnel_remote_format(t, ip, sizeof(ip)));
}

/* One row of show vxlan tunnels for IPv6 tunnel @p i: its next hop is
 * the FIB's and ND's, per packet ("nd" for its MAC). */
static void
tunnel6_show_one(struct cli_out *out, uint32_t i, const struct vxlan_tunnel *t)
{
	bool routed = vxlan_tunnel_routed6(t);
	char ip[VXLAN_IP_LEN], via[VXLAN_IP_LEN];

	cli_printf(out, "%-15s %-9u %-4u %-12s %-15s %-17s %u\n",
		   cfg_format_ipv6(t->remote6, ip, sizeof(ip)), t->vni, t->bd,
		   routed ? iface_get(t->iface)->name : "-",
		   routed ? cfg_format_ipv6(t->via6, via, sizeof(via))
			  : "no route",
		   "nd", vxlan_tunnel_refs(i));
}

/* One row of show vxlan tunnels: tunnel @p i. */
static void
tunnel_show_one(struct cli_out *out, uint32_t i, const struct vxlan_tunnel *t)
{
	struct rte_ether_addr mac;
	char ip[16], via[16], m[RTE_ETHER_ADDR_FMT_SIZE];

	if (t->remote == 0) {
		tunnel6_show_one(out, i, t);
		return;
	}
	snprintf(m, sizeof(m), "%s", "unresolved");
	if (t->nbr != ROUTE_NBR_NONE && route_nbr_mac(t->nbr, &mac))
		rte_ether_format_addr(m, sizeof(m), &mac);
	cli_printf(out, "%-15s %-9u %-4u %-12s %-15s %-17s %u\n",
		   cfg_format_ipv4(t->remote, ip, sizeof(ip)), t->vni, t->bd,
		   t->nbr == ROUTE_NBR_NONE ? "-" : iface_get(t->iface)->name,
		   t->nbr == ROUTE_NBR_NONE
			   ? "no route"
			   : cfg_format_ipv4(t->via, via, sizeof(via)),
		   m, vxlan_tunnel_refs(i));
}

static int
show_tunnels(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct vxlan_conf *vc = vxlan_conf();
	char ip[16], ip6[VXLAN_IP_LEN];
	uint32_t i, n = 0;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (!vxlan_ready(out))
		return -ENOENT;
	cli_printf(out, "local %s udp-port %u",
		   cfg_format_ipv4(vxlan_dp.p.local, ip, sizeof(ip)),
		   vxlan_dp.p.udp_port);
	if (vc != NULL && vxlan_has_local6(vc))
		cli_printf(out, " local6 %s",
			   cfg_format_ipv6(vxlan_dp.p.local6, ip6,
					   sizeof(ip6)));
	cli_printf(out, "\n");
	for (i = 1; i < VXLAN_TUN_MAX; i++) {
		if (vxlan_dp.tun[i] == NULL)
			continue;
		if (n++ == 0)
			cli_printf(out,
				   "%-15s %-9s %-4s %-12s %-15s %-17s %s\n",
				   "vtep", "vni", "bd", "interface", "via",
				   "next-hop-mac", "users");
		tunnel_show_one(out, i, vxlan_dp.tun[i]);
	}
	if (n == 0)
		cli_empty(out, "VXLAN tunnels");
	return 0;
}

static void
bd_show(struct cli_out *out, const struct vxlan_bd *b)
{
	const struct vxlan_bd_conf *bc = vxlan_bd_conf_find(b->id);
	const struct vxlan_mac_stats *st = &vxlan_mac_stats[b->id];
	const struct vxlan_tunnel *t;
	char ip[VXLAN_IP_LEN];
	unsigned int i;

	cli_printf(out, "bridge-domain %u vni %u\n  interfaces:", b->id,
		   b->vni);
	for (i = 0; i < b->n_members; i++)
		cli_printf(out, " %s", iface_get(b->members[i])->name);
	cli_printf(out, "\n  flood:");
	for (i = 0; i < b->n_flood; i++) {
		t = vxlan_dp.tun[b->flood[i]];
		cli_printf(out, " %s", t == NULL ? "?" :
			   vxlan_tunnel_remote_format(t, ip, sizeof(ip)));
	}
	cli_printf(out, "\n  macs %u (learned %u, limit %u) aging %u s "
		   "full %" PRIu64 " moves %" PRIu64 "\n", st->entries,
		   st->learned, bc != NULL ? bc->mac_limit : 0,
		   bc != NULL ? bc->aging : 0, st->full, st->moves);
}

static int
show_bd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *only = cli_arg(args, "uint32");
	uint32_t id = cli_arg_u32_n(args, 0), i, n;
	const struct vxlan_bd *b;

	RTE_SET_USED(arg);
	if (!vxlan_ready(out))
		return -ENOENT;
	if (only != NULL && (id >= VXLAN_BD_MAX || vxlan_dp.bd[id] == NULL)) {
		cli_error(out, "no bridge domain %s", only);
		return -ENOENT;
	}
	for (i = 1, n = 0; i < VXLAN_BD_MAX; i++) {
		b = vxlan_dp.bd[i];
		if (b == NULL || (only != NULL && i != id))
			continue;
		bd_show(out, b);
		n++;
	}
	if (n == 0)
		cli_empty(out, "bridge domains");
	cli_printf(out, "learn events lost %" PRIu64 ", flood copies "
		   "failed %" PRIu64 "\n", vxlan_dp.learn_lost,
		   vxlan_dp.copy_failed);
	return 0;
}

static int
show_mac_table(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *only = cli_arg(args, "uint32");
	uint32_t id = cli_arg_u32_n(args, 0), next = 0, now = vxlan_dp.now_s;
	unsigned int n = 0;
	char mac[RTE_ETHER_ADDR_FMT_SIZE], where[48];
	const struct vxlan_mac_key *k;
	struct rte_ether_addr a;
	const void *key;
	void *data;
	uint64_t w;
	int pos;

	RTE_SET_USED(arg);
	if (!vxlan_ready(out))
		return -ENOENT;
	while ((pos = rte_hash_iterate(vxlan_dp.mac, &key, &data,
				       &next)) >= 0) {
		k = key;
		if (only != NULL && k->bd != id)
			continue;
		if (n++ == 0)
			cli_printf(out, "%-4s %-17s %-8s %-22s %s\n", "bd",
				   "mac", "type", "where", "idle-s");
		w = (uint64_t)(uintptr_t)data;
		memcpy(a.addr_bytes, k->mac, 6);
		rte_ether_format_addr(mac, sizeof(mac), &a);
		loc_format(w, where, sizeof(where));
		if (w & VXLAN_LOC_STATIC)
			cli_printf(out, "%-4u %-17s %-8s %-22s -\n", k->bd, mac,
				   "static", where);
		else
			cli_printf(out, "%-4u %-17s %-8s %-22s %u\n", k->bd,
				   mac, "learned", where,
				   now - vxlan_dp.mac_seen[pos]);
	}
	if (n == 0)
		cli_empty(out, "MAC entries");
	return 0;
}

/* arg: a change taking one number, vxlan_mac_clear or vxlan_bd_del. */
static int
by_id(struct cli_out *out, const struct cli_args *args, void *arg)
{
	int (*change)(uint32_t id, char *err, size_t len) =
		(int (*)(uint32_t, char *, size_t))arg;
	char err[ERR_LEN];

	return cli_result(out, change(cli_arg_u32_n(args, 0), err, sizeof(err)),
			  err);
}

static int
bd_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *ifname = cli_arg(args, "interface-name");
	struct vxlan_bd_conf bc = { .id = cli_arg_u32_n(args, 0),
				    .vni = cli_arg_u32_n(args, 1),
				    .mac_limit = 4096, .aging = 300 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	if (bc.id == 0 || bc.id >= VXLAN_BD_MAX || bc.vni == 0 ||
	    bc.vni > VXLAN_VNI_MAX) {
		cli_error(out, "bridge domain 1..%u, VNI 1..%u",
			  VXLAN_BD_MAX - 1, VXLAN_VNI_MAX);
		return -EINVAL;
	}
	if (ifname != NULL) {
		bc.interfaces.items = calloc(1, IFACE_NAME_LEN);
		if (bc.interfaces.items == NULL)
			return -ENOMEM;
		snprintf(bc.interfaces.items, IFACE_NAME_LEN, "%s", ifname);
		bc.interfaces.n = 1;
	}
	return cli_result(out, vxlan_bd_add(&bc, err, sizeof(err)), err);
}

/* arg: vxlan_flood_add or vxlan_flood_del. */
static int
flood_change(struct cli_out *out, const struct cli_args *args, void *arg)
{
	int (*change)(uint32_t bd, uint32_t remote, char *err, size_t len) =
		(int (*)(uint32_t, uint32_t, char *, size_t))arg;
	char err[ERR_LEN];

	return cli_result(out, change(cli_arg_u32_n(args, 0), arg_ipv4(args), err,
				      sizeof(err)), err);
}

static int
mac_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *ifname = cli_arg(args, "interface-name");
	struct vxlan_mac_conf mc = { 0 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_mac(args, mc.mac);
	if (ifname != NULL)
		snprintf(mc.interface, sizeof(mc.interface), "%s", ifname);
	else
		mc.remote = arg_ipv4(args);
	return cli_result(out, vxlan_static_mac_add(cli_arg_u32_n(args, 0), &mc,
						    err, sizeof(err)), err);
}

static int
mac_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint8_t mac[6];
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_mac(args, mac);
	return cli_result(out, vxlan_static_mac_del(cli_arg_u32_n(args, 0), mac,
						    err, sizeof(err)), err);
}

static int
route_add_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct vxlan_route_conf rc = { .remote = arg_ipv4(args),
				       .vni = cli_arg_u32_n(args, 0) };
	const char *why;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	snprintf(rc.vrf, sizeof(rc.vrf), "%s", cli_arg(args, "vrf-name"));
	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &rc.prefix,
			      &why);
	arg_mac(args, rc.inner_mac);
	if (rc.vni == 0 || rc.vni > VXLAN_VNI_MAX) {
		cli_error(out, "VNI %u: must be 1..%u", rc.vni, VXLAN_VNI_MAX);
		return -EINVAL;
	}
	return cli_result(out, vxlan_route_add(&rc, err, sizeof(err)), err);
}

static int
route_del_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cfg_ipv4_prefix p;
	const char *why;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &p, &why);
	return cli_result(out, vxlan_route_del(cli_arg(args, "vrf-name"), &p,
					       err, sizeof(err)), err);
}

static const struct cli_command vxlan_commands[] = {
	{
		.syntax = "show vxlan tunnels",
		.help = "Show running state\n"
			"VXLAN\n"
			"Tunnels: remote VTEP, VNI, underlay next hop, users",
		.handler = show_tunnels,
		.read_only = true,
	},
	{
		.syntax = "show bridge-domain [<uint32>]",
		.help = "Show running state\n"
			"Bridge domains: VNI, members, flood list, MAC counts\n"
			"Only this bridge domain",
		.handler = show_bd,
		.read_only = true,
	},
	{
		.syntax = "show mac-table [bridge-domain <uint32>]",
		.help = "Show running state\n"
			"MAC tables: where each MAC is, static or learned, "
			"idle time\n"
			"Only one bridge domain\n"
			"Bridge domain id",
		.handler = show_mac_table,
		.read_only = true,
	},
	{
		.syntax = "clear mac-table [bridge-domain <uint32>]",
		.help = "Reset state\n"
			"Forget the learned MACs (static ones stay)\n"
			"Only of one bridge domain\n"
			"Bridge domain id",
		.handler = by_id,
		.arg = (void *)vxlan_mac_clear,
	},
	{
		.syntax = "vxlan bridge-domain add <uint32> vni <uint32> "
			  "[interface <interface-name>]",
		.summary = "Add a bridge domain",
		.help = "VXLAN\n"
			"Bridge domains\n"
			"Add one\n"
			"Bridge domain id 1..255\n"
			"Its VNI\n"
			"VNI 1..16777215\n"
			"A member interface (no address)\n"
			"Interface name",
		.handler = bd_add,
	},
	{
		.syntax = "vxlan bridge-domain del <uint32>",
		.summary = "Delete a bridge domain with its MACs; members go "
			    "back to routing",
		.help = "VXLAN\n"
			"Bridge domains\n"
			"Delete one, with its MACs; members go back to routing\n"
			"Bridge domain id",
		.handler = by_id,
		.arg = (void *)vxlan_bd_del,
	},
	{
		.syntax = "vxlan flood add bridge-domain <uint32> vtep <ipv4>",
		.summary = "Add a remote VTEP to a bridge domain's flood list",
		.help = "VXLAN\n"
			"Flood lists (head-end replication)\n"
			"Add a remote VTEP\n"
			"Of bridge domain\n"
			"Bridge domain id\n"
			"Remote VTEP\n"
			"Its address",
		.handler = flood_change,
		.arg = (void *)vxlan_flood_add,
	},
	{
		.syntax = "vxlan flood del bridge-domain <uint32> vtep <ipv4>",
		.summary = "Remove a remote VTEP from a bridge domain's flood "
			    "list",
		.help = "VXLAN\n"
			"Flood lists (head-end replication)\n"
			"Remove a remote VTEP\n"
			"Of bridge domain\n"
			"Bridge domain id\n"
			"Remote VTEP\n"
			"Its address",
		.handler = flood_change,
		.arg = (void *)vxlan_flood_del,
	},
	{
		.syntax = "vxlan mac add bridge-domain <uint32> <mac-address> "
			  "interface <interface-name>",
		.summary = "Add a static MAC behind a local interface",
		.help = "VXLAN\n"
			"Static MACs\n"
			"Add one\n"
			"Of bridge domain\n"
			"Bridge domain id\n"
			"MAC address\n"
			"Behind a member interface\n"
			"Interface name",
		.handler = mac_add,
	},
	{
		.syntax = "vxlan mac add bridge-domain <uint32> <mac-address> "
			  "vtep <ipv4>",
		.summary = "Add a static MAC behind a remote VTEP",
		.help = "VXLAN\n"
			"Static MACs\n"
			"Add one\n"
			"Of bridge domain\n"
			"Bridge domain id\n"
			"MAC address\n"
			"Behind a remote VTEP\n"
			"Its address",
		.handler = mac_add,
	},
	{
		.syntax = "vxlan mac del bridge-domain <uint32> <mac-address>",
		.summary = "Delete a static MAC",
		.help = "VXLAN\n"
			"Static MACs\n"
			"Delete one\n"
			"Of bridge domain\n"
			"Bridge domain id\n"
			"MAC address",
		.handler = mac_del,
	},
	{
		.syntax = "vxlan route add vrf <vrf-name> <ipv4-prefix> vtep "
			  "<ipv4> vni <uint32> inner-mac <mac-address>",
		.summary = "Add a VRF route over a VXLAN tunnel",
		.help = "VXLAN\n"
			"VRF routes over a tunnel\n"
			"Add one\n"
			"In VRF\n"
			"VRF name\n"
			"Destination prefix\n"
			"Remote VTEP\n"
			"Its address\n"
			"VNI of the tunnel\n"
			"VNI 1..16777215\n"
			"Inner destination MAC\n"
			"The remote VTEP's router MAC",
		.handler = route_add_cmd,
	},
	{
		.syntax = "vxlan route del vrf <vrf-name> <ipv4-prefix>",
		.summary = "Delete a VRF route over a VXLAN tunnel",
		.help = "VXLAN\n"
			"VRF routes over a tunnel\n"
			"Delete one\n"
			"In VRF\n"
			"VRF name\n"
			"Destination prefix",
		.handler = route_del_cmd,
	},
};

int
vxlan_cli_register(void)
{
	return cli_register(vxlan_commands, RTE_DIM(vxlan_commands));
}
