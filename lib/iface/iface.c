/* SPDX-License-Identifier: BSD-3-Clause */
/* The interface table, built from the config once ports are up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "iface_priv.h"
#include "port.h"

struct iface iface_table[IFACE_MAX];
uint16_t iface_by_vlan[RTE_MAX_ETHPORTS][4096];
static unsigned int n_ifaces;

unsigned int
iface_count(void)
{
	return n_ifaces;
}

const struct iface *
iface_get(unsigned int idx)
{
	return idx < n_ifaces ? &iface_table[idx] : NULL;
}

int
iface_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_ifaces; i++)
		if (strcmp(iface_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
iface_set_vrf(unsigned int idx, uint16_t vrf)
{
	if (idx < n_ifaces)
		iface_table[idx].vrf = vrf;
}

int
iface_setup(const struct cfg_model *model)
{
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	memset(iface_by_vlan, 0xff, sizeof(iface_by_vlan));
	for (i = 0; i < ifs->n; i++) {
		struct iface *ifc = &iface_table[i];
		int p = port_find(ic[i].port);
		const struct port *port = port_get((unsigned int)p);

		if (port == NULL)
			return -ENODEV;
		snprintf(ifc->name, sizeof(ifc->name), "%s", ic[i].name);
		ifc->port_idx = (uint16_t)p;
		ifc->port_id = port->port_id;
		ifc->vlan = ic[i].vlan;
		ifc->mtu = ic[i].mtu != 0 ? ic[i].mtu : port->mtu;
		ifc->addr = ic[i].address.addr;
		ifc->plen = ic[i].address.len;
		ifc->mac = port->mac;
		iface_by_vlan[ifc->port_id][ifc->vlan] = (uint16_t)i;
	}
	n_ifaces = ifs->n;
	return 0;
}
