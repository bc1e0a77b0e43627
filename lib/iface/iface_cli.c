/* SPDX-License-Identifier: BSD-3-Clause */
/* CLI commands of lib/iface: `show interfaces`. */
#include <stdio.h>

#include <rte_ethdev.h>

#include "cli.h"
#include "iface.h"
#include "port.h"

static void
iface_show_one(struct cli_out *out, const struct iface *ifc,
	       const char *vrf)
{
	const struct port *p = port_get(ifc->port_idx);
	struct rte_eth_link link = { 0 };
	char mac[RTE_ETHER_ADDR_FMT_SIZE], ip[16], addr[24];

	rte_eth_link_get_nowait(ifc->port_id, &link);
	rte_ether_format_addr(mac, sizeof(mac), &ifc->mac);
	if (ifc->addr != 0)
		snprintf(addr, sizeof(addr), "%s/%u",
			 cfg_format_ipv4(ifc->addr, ip, sizeof(ip)), ifc->plen);
	else
		snprintf(addr, sizeof(addr), "-");
	cli_printf(out, "%-12s %-8s %-5u %-18s %-10s %-5u %s %s\n", ifc->name,
		   p ? p->name : "?", ifc->vlan, addr, vrf, ifc->mtu, mac,
		   link.link_status ? "up" : "down");
}

static int
show_interfaces(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *(*vrf_name_of)(unsigned int) = arg;
	unsigned int i;

	RTE_SET_USED(args);
	cli_printf(out, "%-12s %-8s %-5s %-18s %-10s %-5s %-17s %s\n",
		   "interface", "port", "vlan", "address", "vrf", "mtu", "mac",
		   "link");
	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);
		const char *vrf = vrf_name_of ? vrf_name_of(ifc->vrf) : NULL;

		iface_show_one(out, ifc, vrf ? vrf : "?");
	}
	return 0;
}

static struct cli_command iface_commands[] = {
	{
		.syntax = "show interfaces",
		.help = "Show running state\n"
			"Interfaces: port, VLAN, address, VRF, MTU, link",
		.handler = show_interfaces,
	},
};

int
iface_cli_register(const char *(*vrf_name_of)(unsigned int))
{
	iface_commands[0].arg = (void *)(uintptr_t)vrf_name_of;
	return cli_register(iface_commands, RTE_DIM(iface_commands));
}
