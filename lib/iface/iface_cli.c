/* SPDX-License-Identifier: BSD-3-Clause */
/* CLI commands of lib/iface: `show interfaces`. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>

#include "cli.h"
#include "iface.h"
#include "port.h"
#include "stats.h"

/* Counter @p c of @p ifc since the last `clear counters`. */
static uint64_t
shown(const struct iface *ifc, enum iface_ctr c, const char *name)
{
	unsigned int idx = (unsigned int)(ifc - iface_table);

	return stats_since_clear("interfaces", ifc->name, name,
				 iface_counter(idx, c));
}

static void
iface_show_counters(struct cli_out *out, const struct iface *ifc)
{
	cli_printf(out, "  rx %" PRIu64 " packets %" PRIu64 " bytes, tx %"
		   PRIu64 " packets %" PRIu64 " bytes, drops %" PRIu64 "\n",
		   shown(ifc, IFACE_CTR_RX_PKTS, "rx-packets"),
		   shown(ifc, IFACE_CTR_RX_BYTES, "rx-bytes"),
		   shown(ifc, IFACE_CTR_TX_PKTS, "tx-packets"),
		   shown(ifc, IFACE_CTR_TX_BYTES, "tx-bytes"),
		   shown(ifc, IFACE_CTR_DROPS, "drops"));
}

/* The text of an interface's state, shared by the text and JSON views. */
struct iface_text {
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	char addr[24];
	const char *port;
	bool link;
};

static void
iface_text_of(const struct iface *ifc, struct iface_text *x)
{
	const struct port *p = port_get(ifc->port_idx);
	struct rte_eth_link link = { 0 };
	char ip[16];

	rte_eth_link_get_nowait(ifc->port_id, &link);
	x->link = link.link_status;
	x->port = p ? p->name : "?";
	rte_ether_format_addr(x->mac, sizeof(x->mac), &ifc->mac);
	if (ifc->addr != 0)
		snprintf(x->addr, sizeof(x->addr), "%s/%u",
			 cfg_format_ipv4(ifc->addr, ip, sizeof(ip)), ifc->plen);
	else
		snprintf(x->addr, sizeof(x->addr), "-");
}

/* "  ipv6 2001:db8::1/64 link-local fe80::...": only where IPv6 is on,
 * so the table of an IPv4-only router reads as before. */
static void
iface_show_ip6(struct cli_out *out, const struct iface *ifc)
{
	char a[48], ll[48];

	cli_printf(out, "  ipv6 %s/%u link-local %s\n",
		   cfg_format_ipv6(ifc->addr6, a, sizeof(a)), ifc->plen6,
		   cfg_format_ipv6(ifc->ll6, ll, sizeof(ll)));
}

static void
iface_show_one(struct cli_out *out, const struct iface *ifc,
	       const char *vrf)
{
	struct iface_text x;

	iface_text_of(ifc, &x);
	cli_printf(out, "%-12s %-8s %-5u %-18s %-10s %-5u %s %-5s %s\n",
		   ifc->name, x.port, ifc->vlan, x.addr, vrf, ifc->mtu,
		   x.mac, ifc->up ? "up" : "down", x.link ? "up" : "down");
	if (ifc->ip6)
		iface_show_ip6(out, ifc);
	iface_show_counters(out, ifc);
}

static const struct cli_col iface_cols[] = {
	{ "interface", 12 }, { "port", 8 }, { "vlan", 5, true },
	{ "address", 18 }, { "vrf", 10 }, { "mtu", 5, true }, { "mac", 17 },
	{ "admin", 5 }, { "link", 4 }, { "rx-packets", 0, true },
	{ "rx-bytes", 0, true }, { "tx-packets", 0, true },
	{ "tx-bytes", 0, true }, { "drops", 0, true },
};

/* `| json`: one object per interface, its counters as members. */
static void
iface_json_row(struct cli_out *out, struct cli_table *t,
	       const struct iface *ifc, const char *vrf)
{
	static const struct {
		enum iface_ctr c;
		const char *name;
	} ctrs[] = {
		{ IFACE_CTR_RX_PKTS, "rx-packets" },
		{ IFACE_CTR_RX_BYTES, "rx-bytes" },
		{ IFACE_CTR_TX_PKTS, "tx-packets" },
		{ IFACE_CTR_TX_BYTES, "tx-bytes" },
		{ IFACE_CTR_DROPS, "drops" },
	};
	char vlan[8], mtu[8], num[RTE_DIM(ctrs)][24];
	struct iface_text x;
	unsigned int i;

	iface_text_of(ifc, &x);
	snprintf(vlan, sizeof(vlan), "%u", ifc->vlan);
	snprintf(mtu, sizeof(mtu), "%u", ifc->mtu);
	for (i = 0; i < RTE_DIM(ctrs); i++)
		snprintf(num[i], sizeof(num[i]), "%" PRIu64,
			 shown(ifc, ctrs[i].c, ctrs[i].name));
	cli_table_row(out, t, (const char *const[]){
		ifc->name, x.port, vlan, x.addr, vrf, mtu, x.mac,
		ifc->up ? "up" : "down", x.link ? "up" : "down",
		num[0], num[1], num[2], num[3], num[4] });
}

static int
show_interfaces_json(struct cli_out *out, const char *only,
		     const char *(*vrf_name_of)(unsigned int))
{
	struct cli_table t = { iface_cols, RTE_DIM(iface_cols) };
	unsigned int i;

	cli_table_begin(out, &t);
	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);
		const char *vrf = vrf_name_of ? vrf_name_of(ifc->vrf) : NULL;

		if (only == NULL || strcmp(only, ifc->name) == 0)
			iface_json_row(out, &t, ifc, vrf ? vrf : "?");
	}
	cli_table_end(out, &t);
	return 0;
}

static int
show_interfaces(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *(*vrf_name_of)(unsigned int) = arg;
	const char *only = cli_arg(args, "interface-name");
	unsigned int i;

	if (only != NULL && iface_find(only) < 0) {
		cli_error(out, "no such interface: %s", only);
		return -ENOENT;
	}
	if (cli_out_json(out))
		return show_interfaces_json(out, only, vrf_name_of);
	if (iface_count() == 0) {
		cli_empty(out, "interfaces");
		return 0;
	}
	cli_printf(out, "%-12s %-8s %-5s %-18s %-10s %-5s %-17s %-5s %s\n",
		   "interface", "port", "vlan", "address", "vrf", "mtu", "mac",
		   "admin", "link");
	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);
		const char *vrf = vrf_name_of ? vrf_name_of(ifc->vrf) : NULL;

		if (only == NULL || strcmp(only, ifc->name) == 0)
			iface_show_one(out, ifc, vrf ? vrf : "?");
	}
	return 0;
}

static int
iface_admin(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[128];
	int rc;

	rc = iface_admin_set(cli_arg(args, "interface-name"), arg != NULL,
			     err, sizeof(err));
	if (rc < 0)
		cli_error(out, "%s", err);
	return rc;
}

static int
iface_mtu(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint32_t mtu = (uint32_t)strtoul(cli_arg(args, "uint32"), NULL, 10);
	char err[128];
	int rc;

	RTE_SET_USED(arg);
	rc = iface_mtu_set(cli_arg(args, "interface-name"), mtu, err,
			   sizeof(err));
	if (rc < 0)
		cli_error(out, "%s", err);
	return rc;
}

static int
iface_name_check(const char *tok, const char **why)
{
	if (strlen(tok) >= IFACE_NAME_LEN) {
		*why = "interface names are at most 31 characters";
		return -EINVAL;
	}
	return 0;
}

/* Tab completion offers the interfaces that exist. */
static void
iface_name_complete(const char *prefix,
		    void (*add)(void *ctx, const char *candidate), void *ctx)
{
	unsigned int i;

	RTE_SET_USED(prefix);
	for (i = 0; i < iface_count(); i++)
		add(ctx, iface_get(i)->name);
}

static struct cli_arg_type iface_name_type = {
	.name = "interface-name",
	.help = "name of an interface",
	.check = iface_name_check,
	.example = "core.10",
	.complete = iface_name_complete,
};

static struct cli_command iface_commands[] = {
	{
		.syntax = "show interfaces [<interface-name>]",
		.help = "Show running state\n"
			"Interfaces: port, VLAN, address, VRF, MTU, state, and "
			"packets, bytes and drops since clear counters\n"
			"Only this interface",
		.handler = show_interfaces,
		.read_only = true,
	},
	{
		.syntax = "interface <interface-name> up",
		.summary = "Bring an interface administratively up",
		.help = "Change an interface\n"
			"Interface name\n"
			"Administratively up: receive and send",
		.handler = iface_admin,
		.arg = (void *)1,
	},
	{
		.syntax = "interface <interface-name> down",
		.summary = "Take an interface administratively down: it drops "
			    "what it receives and sends nothing",
		.help = "Change an interface\n"
			"Interface name\n"
			"Administratively down: drop in and out (iface_down)",
		.handler = iface_admin,
	},
	{
		.syntax = "interface <interface-name> mtu <uint32>",
		.summary = "Set an interface's IP MTU",
		.help = "Change an interface\n"
			"Interface name\n"
			"Set the IP MTU\n"
			"Bytes, 68 up to the port's MTU; 0 = the port's",
		.handler = iface_mtu,
	},
};

int
iface_cli_register(const char *(*vrf_name_of)(unsigned int))
{
	int rc = cli_register_arg_type(&iface_name_type);

	if (rc < 0 && rc != -EEXIST)
		return rc;
	iface_commands[0].arg = (void *)(uintptr_t)vrf_name_of;
	return cli_register(iface_commands, RTE_DIM(iface_commands));
}
