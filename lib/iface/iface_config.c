/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "interfaces" config section. Checks that need other sections:
 * the port exists, (port, VLAN) is unique, and the MTU fits the port.
 * That the VRF exists is checked by lib/route, which owns VRFs.
 */
#include <stdio.h>
#include <string.h>

#include "iface_priv.h"
#include "port.h"

static const struct cfg_field iface_fields[] = {
	{ "name", CFG_STRING, offsetof(struct iface_conf, name),
	  IFACE_NAME_LEN, .required = true,
	  .doc = "name used by routes, neighbours and the CLI" },
	{ "port", CFG_STRING, offsetof(struct iface_conf, port),
	  IFACE_NAME_LEN, .required = true, .doc = "the port it is on" },
	{ "vlan", CFG_UINT, offsetof(struct iface_conf, vlan), 2, 0, 4094,
	  .def = "0", .doc = "802.1Q VLAN id; 0 = untagged frames" },
	{ "address", CFG_IPV4_IFADDR, offsetof(struct iface_conf, address),
	  sizeof(struct cfg_ipv4_prefix),
	  .doc = "IPv4 address and prefix length, a.b.c.d/len; gives a "
		 "connected route in the interface's VRF" },
	{ "address6", CFG_IPV6_IFADDR, offsetof(struct iface_conf, address6),
	  sizeof(struct cfg_ipv6_prefix),
	  .doc = "IPv6 address and prefix length, addr/len; turns IPv6 on "
		 "(with a link-local address from the MAC) and gives a "
		 "connected route in the interface's VRF" },
	{ "vrf", CFG_STRING, offsetof(struct iface_conf, vrf), VRF_NAME_LEN,
	  .def = "\"default\"", .doc = "VRF the interface belongs to" },
	{ "mtu", CFG_UINT, offsetof(struct iface_conf, mtu), 2, 0, 9600,
	  .def = "0", .doc = "IP MTU in bytes; 0 = the port's MTU" },
	{ "up", CFG_BOOL, offsetof(struct iface_conf, up), 1, .def = "true",
	  .doc = "administrative state; a down interface neither receives "
		 "nor sends (drop reason iface_down), its routes stay" },
};

static const struct cfg_schema iface_schema = {
	.name = "interface",
	.fields = iface_fields,
	.n_fields = RTE_DIM(iface_fields),
	.size = sizeof(struct iface_conf),
	.keys = (const char *const[]){ "name", NULL },
	.ops = &iface_list_ops,
};

const struct cfg_array *
iface_conf_list(const struct cfg_model *model)
{
	return cfg_model_section(model, "interfaces");
}

const struct iface_conf *
iface_conf_find(const struct cfg_model *model, const char *name)
{
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].name, name) == 0)
			return &ic[i];
	return NULL;
}

static int
iface_check_one(struct cfg_ctx *ctx, const struct cfg_array *ports,
		const struct cfg_array *ifs, unsigned int i)
{
	const struct iface_conf *ic = ifs->items;
	const struct port_conf *pc = ports->items;
	char path[64], val[64];
	unsigned int j;
	int p;

	p = port_conf_find(ports, ic[i].port);
	if (p < 0) {
		snprintf(path, sizeof(path), "interfaces.[%u].port", i);
		snprintf(val, sizeof(val), "\"%s\"", ic[i].port);
		cfg_error(ctx, path, val, "no such port");
		return 1;
	}
	if (ic[i].mtu != 0 && (ic[i].mtu > pc[p].mtu || ic[i].mtu < 68)) {
		snprintf(path, sizeof(path), "interfaces.[%u].mtu", i);
		snprintf(val, sizeof(val), "%u", ic[i].mtu);
		cfg_error(ctx, path, val, "must be 68..%u (the MTU of port "
			  "\"%s\"), or 0 for the port's", pc[p].mtu, pc[p].name);
		return 1;
	}
	for (j = 0; j < i; j++) {
		if (strcmp(ic[i].port, ic[j].port) == 0 &&
		    ic[i].vlan == ic[j].vlan) {
			snprintf(path, sizeof(path), "interfaces.[%u].vlan", i);
			snprintf(val, sizeof(val), "%u", ic[i].vlan);
			cfg_error(ctx, path, val,
				  "port \"%s\" VLAN %u is already interface "
				  "\"%s\"", ic[i].port, ic[i].vlan, ic[j].name);
			return 1;
		}
	}
	return 0;
}

/*
 * The address must be a host's (not the network, broadcast, multicast,
 * loopback...), and no other interface of the VRF may have the same
 * subnet: two connected routes for one prefix, of which one would win.
 */
static int
iface_check_address(struct cfg_ctx *ctx, const struct cfg_array *ifs,
		    unsigned int i)
{
	const struct iface_conf *ic = ifs->items;
	const struct cfg_ipv4_prefix *a = &ic[i].address, *b;
	char path[64], val[64], ip[16];
	const char *why;
	uint32_t mask = a->len == 0 ? 0 : UINT32_MAX << (32 - a->len);
	unsigned int j;

	snprintf(path, sizeof(path), "interfaces.[%u].address", i);
	if (a->addr == 0 && !cfg_ctx_written(ctx, path))
		return 0;
	snprintf(val, sizeof(val), "\"%s/%u\"",
		 cfg_format_ipv4(a->addr, ip, sizeof(ip)), a->len);
	why = cfg_ipv4_host_unusable(a->addr, a->len);
	if (why != NULL) {
		cfg_error(ctx, path, val, "%s", why);
		return 1;
	}
	for (j = 0; j < i; j++) {
		b = &ic[j].address;
		if (b->addr == 0 || b->len != a->len ||
		    ((a->addr ^ b->addr) & mask) != 0 ||
		    strcmp(ic[i].vrf, ic[j].vrf) != 0)
			continue;
		cfg_error(ctx, path, val, "same subnet as interface \"%s\" "
			  "in VRF \"%s\"", ic[j].name, ic[i].vrf);
		return 1;
	}
	return 0;
}

static int
iface_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *ports = port_conf_list(model);
	const struct cfg_array *ifs = iface_conf_list(model);
	unsigned int i;
	int errors = 0;

	for (i = 0; i < ifs->n; i++)
		errors += iface_check_one(ctx, ports, ifs, i) ?:
			  iface_check_address(ctx, ifs, i);
	return errors;
}

const struct cfg_section iface_cfg_section = {
	.key = "interfaces",
	.type = CFG_LIST,
	.schema = &iface_schema,
	.min = 0,
	.max = IFACE_MAX,
	.doc = "L3 interfaces: a port, or a port and an 802.1Q VLAN, with "
	       "an IPv4 address, in a VRF. Frames on a port/VLAN with no "
	       "interface are dropped as no_interface.",
	.check = iface_check,
};
