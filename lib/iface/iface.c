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
static struct cfg_model *iface_model;

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

void
iface_set_l2_domain(unsigned int idx, uint16_t domain)
{
	if (idx < n_ifaces)
		__atomic_store_n(&iface_table[idx].l2_domain, domain,
				 __ATOMIC_RELEASE);
}

int
iface_setup(struct cfg_model *model)
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
		ifc->up = ic[i].up;
		iface_by_vlan[ifc->port_id][ifc->vlan] = (uint16_t)i;
	}
	n_ifaces = ifs->n;
	iface_model = model;
	return iface_stats_setup();
}

static struct iface_conf *
iface_conf_of(const char *name, int *idx, char *err, size_t len)
{
	const struct cfg_array *ifs = iface_conf_list(iface_model);

	*idx = iface_find(name);
	if (*idx < 0 || (unsigned int)*idx >= ifs->n) {
		snprintf(err, len, "no such interface: %s", name);
		return NULL;
	}
	return &((struct iface_conf *)ifs->items)[*idx];
}

int
iface_admin_set(const char *name, bool up, char *err, size_t len)
{
	struct iface_conf *ic;
	int i;

	ic = iface_conf_of(name, &i, err, len);
	if (ic == NULL)
		return -ENOENT;
	__atomic_store_n(&iface_table[i].up, up, __ATOMIC_RELEASE);
	ic->up = up;
	return 0;
}

int
iface_mtu_set(const char *name, uint32_t mtu, char *err, size_t len)
{
	struct iface_conf *ic;
	const struct port *p;
	int i;

	ic = iface_conf_of(name, &i, err, len);
	if (ic == NULL)
		return -ENOENT;
	p = port_get(iface_table[i].port_idx);
	if (mtu != 0 && (mtu < 68 || mtu > p->mtu)) {
		snprintf(err, len, "MTU %u: must be 68..%u (the MTU of port "
			 "%s), or 0 for the port's", mtu, p->mtu, p->name);
		return -EINVAL;
	}
	__atomic_store_n(&iface_table[i].mtu,
			 (uint16_t)(mtu != 0 ? mtu : p->mtu), __ATOMIC_RELEASE);
	ic->mtu = (uint16_t)mtu;
	return 0;
}
