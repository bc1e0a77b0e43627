/* SPDX-License-Identifier: BSD-3-Clause */
/* The interface table, built from the config once ports are up. */
#include <errno.h>
#include <inttypes.h>
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

/* RFC 4291 2.5.1 and appendix A: the interface identifier of a MAC is its
 * modified EUI-64 (ff:fe in the middle, universal/local bit inverted). */
static void
iface_ll6_from_mac(uint8_t ll[16], const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	memset(ll, 0, 16);
	ll[0] = 0xfe;
	ll[1] = 0x80;
	ll[8] = b[0] ^ 0x02;
	ll[9] = b[1];
	ll[10] = b[2];
	ll[11] = 0xff;
	ll[12] = 0xfe;
	ll[13] = b[3];
	ll[14] = b[4];
	ll[15] = b[5];
}

static void
iface_ip6_set(struct iface *ifc, const struct cfg_ipv6_prefix *a)
{
	static const uint8_t unspec[16];

	ifc->ip6 = memcmp(a->addr, unspec, 16) != 0;
	memcpy(ifc->addr6, a->addr, 16);
	ifc->plen6 = a->len;
	iface_ll6_from_mac(ifc->ll6, &ifc->mac);
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
		iface_ip6_set(ifc, &ic[i].address6);
		ifc->up = ic[i].up;
		iface_by_vlan[ifc->port_id][ifc->vlan] = (uint16_t)i;
	}
	n_ifaces = ifs->n;
	iface_model = model;
	return iface_stats_setup();
}

/* ------------------------------------------------------------------ */
/* Live changes: "interfaces" rows (lib/config's cfg_txn)              */

/* Interfaces are made at start; only up and mtu change while running. */
static int
iface_row_check(const struct cfg_change *c, char *err, size_t len)
{
	static const char *const live[] = { "up", "mtu", NULL };

	if (c->start)
		return 0;
	if (c->op != CFG_MODIFY) {
		snprintf(err, len, "interfaces are made at start (needs a "
			 "restart)");
		return -EINVAL;
	}
	if (!cfg_group_equal(c->schema, c->old, c->new, live)) {
		snprintf(err, len, "only up and mtu of an interface change "
			 "while running (needs a restart)");
		return -EINVAL;
	}
	return 0;
}

/* Single stores workers may see at once; the engine checked the MTU. */
static int
iface_row_modify(const struct cfg_change *c, char *err, size_t len)
{
	const struct iface_conf *ic = c->new;
	int i = iface_find(ic->name);
	const struct port *p;

	if (i < 0) {
		snprintf(err, len, "no such interface: %s", ic->name);
		return -ENOENT;
	}
	p = port_get(iface_table[i].port_idx);
	__atomic_store_n(&iface_table[i].up, ic->up, __ATOMIC_RELEASE);
	__atomic_store_n(&iface_table[i].mtu,
			 (uint16_t)(ic->mtu != 0 ? ic->mtu : p->mtu),
			 __ATOMIC_RELEASE);
	return 0;
}

const struct cfg_list_ops iface_list_ops = {
	.check = iface_row_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = iface_row_modify,
};

/* ------------------------------------------------------------------ */
/* CLI edits                                                           */

struct iface_edit {
	const char *name;
	int up;        /* -1: unchanged */
	int64_t mtu;   /* -1: unchanged */
};

static int
iface_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct iface_edit *e = arg;
	struct iface_conf *ic =
		(struct iface_conf *)iface_conf_find(m, e->name);

	if (ic == NULL) {
		snprintf(err, len, "no such interface: %s", e->name);
		return -ENOENT;
	}
	if (e->up >= 0)
		ic->up = e->up != 0;
	if (e->mtu >= 0) {
		if (e->mtu > UINT16_MAX) {
			snprintf(err, len, "MTU %" PRId64 ": too large",
				 e->mtu);
			return -EINVAL;
		}
		ic->mtu = (uint16_t)e->mtu;
	}
	return 0;
}

int
iface_admin_set(const char *name, bool up, char *err, size_t len)
{
	struct iface_edit e = { name, up, -1 };

	return cfg_edit(iface_model, iface_edit, &e, err, len);
}

int
iface_mtu_set(const char *name, uint32_t mtu, char *err, size_t len)
{
	struct iface_edit e = { name, -1, mtu };

	return cfg_edit(iface_model, iface_edit, &e, err, len);
}

/* Its commands are registered by lib/route (they name VRFs). */
const struct ferry_module iface_module = {
	.name = "interfaces",
	.sections = (const struct cfg_section *const[]){ &iface_cfg_section,
							 NULL },
	.setup = iface_setup,
};
