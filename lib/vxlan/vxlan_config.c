/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "vxlan" config section: its schema table and the check that ties
 * it to interfaces and VRFs before anything is applied. The checks of
 * one row (vxlan_check.c) are shared with the CLI; this file adds what
 * only a whole file can have wrong (two bridge domains with one VNI).
 * Errors read FILE:LINE: vxlan.bridge_domains.[0].vni: 42: REASON.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "port.h"
#include "vxlan_check.h"
#include "vxlan_hdr.h"
#include "vxlan_priv.h"

#define PATH_LEN 96

static const struct cfg_enum copy_modes[] = {
	{ "set", VXLAN_SET },
	{ "copy", VXLAN_COPY },
	{ NULL, 0 },
};

/* A list's element schema, with its keys and live ops (vxlan_rows.c). */
#define SCHEMA(n, type, f, o, ...) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type), .ops = o, \
	.keys = (const char *const[]){ __VA_ARGS__ } }

static const struct cfg_field mac_fields[] = {
	{ "mac", CFG_MAC, offsetof(struct vxlan_mac_conf, mac), 6,
	  .required = true, .doc = "unicast MAC address" },
	{ "interface", CFG_STRING, offsetof(struct vxlan_mac_conf, interface),
	  IFACE_NAME_LEN, .doc = "member interface it is behind (or remote)" },
	{ "remote", CFG_IPV4, offsetof(struct vxlan_mac_conf, remote), 4,
	  .doc = "remote VTEP it is behind (or interface, or remote6)" },
	{ "remote6", CFG_IPV6, offsetof(struct vxlan_mac_conf, remote6), 16,
	  .doc = "IPv6 remote VTEP it is behind (needs vxlan.local6)" },
};

const struct cfg_schema vxlan_mac_schema =
	SCHEMA("static_mac", struct vxlan_mac_conf, mac_fields,
	       &vxlan_mac_ops, "mac", NULL);

static const struct cfg_field bd_fields[] = {
	{ "id", CFG_UINT, offsetof(struct vxlan_bd_conf, id), 4, 1,
	  VXLAN_BD_MAX - 1, .required = true, .doc = "bridge domain number" },
	{ "vni", CFG_UINT, offsetof(struct vxlan_bd_conf, vni), 4, 1,
	  VXLAN_VNI_MAX, .required = true,
	  .doc = "VXLAN network identifier of the segment (24 bits)" },
	{ "interfaces", CFG_STRING_LIST,
	  offsetof(struct vxlan_bd_conf, interfaces), IFACE_NAME_LEN, 0,
	  VXLAN_BD_MEMBERS_MAX,
	  .doc = "local member interfaces (ports or VLAN subinterfaces, "
		 "without an address): their frames are bridged" },
	{ "flood", CFG_STRING_LIST, offsetof(struct vxlan_bd_conf, flood),
	  VXLAN_IP_LEN, 0, VXLAN_FLOOD_MAX,
	  .doc = "remote VTEPs (IPv4, or IPv6 with vxlan.local6; both may be "
		 "listed) that get a copy of every broadcast, unknown "
		 "unicast and multicast frame (head-end replication)" },
	{ "static_macs", CFG_LIST, offsetof(struct vxlan_bd_conf, static_macs),
	  sizeof(struct vxlan_mac_conf), .sub = &vxlan_mac_schema,
	  .doc = "MACs that are never learned elsewhere nor aged" },
	{ "mac_limit", CFG_UINT, offsetof(struct vxlan_bd_conf, mac_limit), 4,
	  1, VXLAN_MACS_MAX, .def = "4096",
	  .doc = "learned MACs at most; more are not learned (counted as "
		 "full) and their frames flooded" },
	{ "aging", CFG_UINT, offsetof(struct vxlan_bd_conf, aging), 4, 0,
	  86400, .def = "300",
	  .doc = "s after which an unseen learned MAC is forgotten; 0 = "
		 "never" },
};

const struct cfg_schema vxlan_bd_schema =
	SCHEMA("bridge_domain", struct vxlan_bd_conf, bd_fields,
	       &vxlan_bd_ops, "id", NULL);

static const struct cfg_field l3vni_fields[] = {
	{ "vni", CFG_UINT, offsetof(struct vxlan_l3vni_conf, vni), 4, 1,
	  VXLAN_VNI_MAX, .required = true, .doc = "VNI of routed traffic" },
	{ "vrf", CFG_STRING, offsetof(struct vxlan_l3vni_conf, vrf),
	  VRF_NAME_LEN, .required = true,
	  .doc = "VRF the decapsulated IPv4 packets are looked up in" },
};

static const struct cfg_schema l3vni_schema =
	SCHEMA("l3_vni", struct vxlan_l3vni_conf, l3vni_fields,
	       &vxlan_l3vni_ops, "vni", NULL);

static const struct cfg_field route_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct vxlan_route_conf, vrf),
	  VRF_NAME_LEN, .required = true, .doc = "VRF of the route" },
	{ "prefix", CFG_IPV4_PREFIX, offsetof(struct vxlan_route_conf, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true,
	  .doc = "destination in the VRF" },
	{ "remote", CFG_IPV4, offsetof(struct vxlan_route_conf, remote), 4,
	  .doc = "remote VTEP the packets are tunnelled to (or remote6)" },
	{ "remote6", CFG_IPV6, offsetof(struct vxlan_route_conf, remote6), 16,
	  .doc = "IPv6 remote VTEP the packets are tunnelled to (needs "
		 "vxlan.local6)" },
	{ "vni", CFG_UINT, offsetof(struct vxlan_route_conf, vni), 4, 1,
	  VXLAN_VNI_MAX, .required = true, .doc = "VNI of the tunnel" },
	{ "inner_mac", CFG_MAC, offsetof(struct vxlan_route_conf, inner_mac),
	  6, .required = true,
	  .doc = "inner destination MAC (the remote VTEP's router MAC)" },
};

const struct cfg_schema vxlan_route_schema =
	SCHEMA("tunnel_route", struct vxlan_route_conf, route_fields,
	       &vxlan_route_ops, "vrf", "prefix", NULL);

static const struct cfg_field route6_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct vxlan_route6_conf, vrf),
	  VRF_NAME_LEN, .required = true, .doc = "VRF of the route" },
	{ "prefix", CFG_IPV6_PREFIX, offsetof(struct vxlan_route6_conf, prefix),
	  sizeof(struct cfg_ipv6_prefix), .required = true,
	  .doc = "IPv6 destination in the VRF" },
	{ "remote", CFG_IPV4, offsetof(struct vxlan_route6_conf, remote), 4,
	  .doc = "remote VTEP the packets are tunnelled to (or remote6)" },
	{ "remote6", CFG_IPV6, offsetof(struct vxlan_route6_conf, remote6), 16,
	  .doc = "IPv6 remote VTEP the packets are tunnelled to (needs "
		 "vxlan.local6)" },
	{ "vni", CFG_UINT, offsetof(struct vxlan_route6_conf, vni), 4, 1,
	  VXLAN_VNI_MAX, .required = true, .doc = "VNI of the tunnel (an "
						   "L3 VNI at the remote end)" },
	{ "inner_mac", CFG_MAC, offsetof(struct vxlan_route6_conf, inner_mac),
	  6, .required = true,
	  .doc = "inner destination MAC (the remote VTEP's router MAC)" },
};

const struct cfg_schema vxlan_route6_schema =
	SCHEMA("tunnel_route6", struct vxlan_route6_conf, route6_fields,
	       &vxlan_route6_ops, "vrf", "prefix", NULL);

static const struct cfg_field vxlan_fields[] = {
	{ "local", CFG_IPV4, offsetof(struct vxlan_conf, local), 4,
	  .doc = "local VTEP address: an interface address in underlay_vrf; "
		 "absent (and no local6) = no tunnels (bridge domains bridge "
		 "locally only)" },
	{ "local6", CFG_IPV6, offsetof(struct vxlan_conf, local6), 16,
	  .doc = "local IPv6 VTEP address (IPv6 underlay): an interface's "
		 "address6 in underlay_vrf; tunnels to IPv6 remote VTEPs "
		 "start here" },
	{ "underlay_vrf", CFG_STRING, offsetof(struct vxlan_conf, underlay_vrf),
	  VRF_NAME_LEN, .def = "\"default\"",
	  .doc = "VRF that reaches remote VTEPs and receives VXLAN" },
	{ "udp_port", CFG_UINT, offsetof(struct vxlan_conf, udp_port), 2, 1,
	  65535, .def = "4789", .doc = "UDP destination port (IANA 4789)" },
	{ "ttl", CFG_UINT, offsetof(struct vxlan_conf, ttl), 1, 1, 255,
	  .def = "64", .doc = "outer TTL or hop limit (set, or when the "
				"inner frame is not IPv4)" },
	{ "ttl_mode", CFG_ENUM, offsetof(struct vxlan_conf, ttl_mode),
	  sizeof(int), .def = "\"set\"", .enums = copy_modes,
	  .doc = "set: ttl; copy: the inner IPv4 TTL" },
	{ "dscp", CFG_UINT, offsetof(struct vxlan_conf, dscp), 1, 0, 63,
	  .def = "0", .doc = "outer DSCP (set, or when the inner frame is "
			     "not IPv4)" },
	{ "dscp_mode", CFG_ENUM, offsetof(struct vxlan_conf, dscp_mode),
	  sizeof(int), .def = "\"set\"", .enums = copy_modes,
	  .doc = "set: dscp; copy: the inner IPv4 DSCP" },
	{ "bridge_domains", CFG_LIST,
	  offsetof(struct vxlan_conf, bridge_domains),
	  sizeof(struct vxlan_bd_conf), 0, VXLAN_BD_MAX - 1,
	  .sub = &vxlan_bd_schema, .doc = "L2 segments: members, VNI, flood list" },
	{ "l3_vnis", CFG_LIST, offsetof(struct vxlan_conf, l3_vnis),
	  sizeof(struct vxlan_l3vni_conf), .sub = &l3vni_schema,
	  .doc = "VNIs whose inner IPv4 or IPv6 is routed in a VRF" },
	{ "tunnel_routes", CFG_LIST, offsetof(struct vxlan_conf, tunnel_routes),
	  sizeof(struct vxlan_route_conf), .sub = &vxlan_route_schema,
	  .doc = "VRF routes whose next hop is a VXLAN tunnel" },
	{ "tunnel_routes6", CFG_LIST,
	  offsetof(struct vxlan_conf, tunnel_routes6),
	  sizeof(struct vxlan_route6_conf), .sub = &vxlan_route6_schema,
	  .doc = "IPv6 VRF routes whose next hop is a VXLAN tunnel (IPv6 "
		 "inside an L3 VNI)" },
};

/* The group itself has no key: NULL keys (its own changes are checked
 * by vxlan_group_ops). */
static const struct cfg_schema vxlan_schema = {
	.name = "vxlan",
	.fields = vxlan_fields,
	.n_fields = RTE_DIM(vxlan_fields),
	.size = sizeof(struct vxlan_conf),
	.ops = &vxlan_group_ops,
};

/* Report a row's problem at its path plus the offending field. */
static int
report(struct cfg_ctx *ctx, const char *base, const char *why,
       const char *field, const char *val)
{
	char path[PATH_LEN];

	if (why == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s%s", base, field);
	cfg_error(ctx, path, val[0] != '\0' ? val : NULL, "%s", why);
	return 1;
}

static int
check_bds(struct cfg_ctx *ctx, const struct cfg_model *m,
	  const struct vxlan_conf *vc)
{
	const struct vxlan_bd_conf *bc = vc->bridge_domains.items;
	char base[PATH_LEN], val[VXLAN_VAL_LEN];
	const char *field, *why;
	unsigned int i;
	int n = 0;

	for (i = 0; i < vc->bridge_domains.n; i++) {
		snprintf(base, sizeof(base), "vxlan.bridge_domains.[%u]", i);
		why = vxlan_bd_check(m, &bc[i], i, &field, val, sizeof(val));
		n += report(ctx, base, why, field, val);
	}
	return n;
}

static int
check_l3(struct cfg_ctx *ctx, const struct cfg_model *m,
	 const struct vxlan_conf *vc)
{
	const struct vxlan_l3vni_conf *lc = vc->l3_vnis.items;
	const struct vxlan_route_conf *rc = vc->tunnel_routes.items;
	char base[PATH_LEN], val[VXLAN_VAL_LEN];
	const char *field, *why;
	unsigned int i;
	int n = 0;

	for (i = 0; i < vc->l3_vnis.n; i++) {
		snprintf(base, sizeof(base), "vxlan.l3_vnis.[%u]", i);
		why = vxlan_l3vni_check(m, &lc[i], i, &field, val, sizeof(val));
		n += report(ctx, base, why, field, val);
	}
	for (i = 0; i < vc->tunnel_routes.n; i++) {
		snprintf(base, sizeof(base), "vxlan.tunnel_routes.[%u]", i);
		why = vxlan_route_check(m, &rc[i], i, &field, val, sizeof(val));
		n += report(ctx, base, why, field, val);
	}
	for (i = 0; i < vc->tunnel_routes6.n; i++) {
		snprintf(base, sizeof(base), "vxlan.tunnel_routes6.[%u]", i);
		why = vxlan_route6_check(m, (const struct vxlan_route6_conf *)
					 vc->tunnel_routes6.items + i, i,
					 &field, val, sizeof(val));
		n += report(ctx, base, why, field, val);
	}
	return n;
}

/*
 * Every interface of the underlay VRF may carry tunnels: its IP MTU
 * less the encapsulation (outer IPv4 20 + UDP 8 + VXLAN 8 + inner
 * Ethernet 14 = 50, RFC 7348 4.3; 70 with an outer IPv6 header when
 * local6 is set) must leave the 68 bytes every IPv4 link carries (RFC
 * 791 3.2). Reported at the MTU that is too small.
 */
static int
check_underlay_mtu(struct cfg_ctx *ctx, const struct cfg_model *m,
		   const struct vxlan_conf *vc)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct cfg_array *ports = port_conf_list(m);
	const struct iface_conf *ic = ifs->items;
	const struct port_conf *pc = ports->items;
	unsigned int ovh = vxlan_has_local6(vc) ? VXLAN_OVERHEAD6 :
						   VXLAN_OVERHEAD;
	bool tunnels = vc->local != 0 || vxlan_has_local6(vc);
	char path[PATH_LEN], val[16];
	unsigned int i, mtu;
	int p, n = 0;

	for (i = 0; tunnels && i < ifs->n; i++) {
		p = port_conf_find(ports, ic[i].port);
		if (strcmp(ic[i].vrf, vc->underlay_vrf) != 0 || p < 0)
			continue;
		mtu = ic[i].mtu != 0 ? ic[i].mtu : pc[p].mtu;
		if (mtu >= ovh + 68)
			continue;
		if (ic[i].mtu != 0)
			snprintf(path, sizeof(path), "interfaces.[%u].mtu", i);
		else
			snprintf(path, sizeof(path), "ports.[%d].mtu", p);
		snprintf(val, sizeof(val), "%u", mtu);
		cfg_error(ctx, path, val, "too small for VXLAN in underlay "
			  "VRF \"%s\": its %u bytes of encapsulation must "
			  "leave 68", vc->underlay_vrf, ovh);
		n++;
	}
	return n;
}

static int
vxlan_check(struct cfg_ctx *ctx, struct cfg_model *m)
{
	const struct vxlan_conf *vc = cfg_model_section(m, "vxlan");
	char val[VXLAN_VAL_LEN];
	const char *field, *why;
	int n;

	why = vxlan_globals_check(m, vc, &field, val, sizeof(val));
	n = report(ctx, "vxlan", why, field, val);
	return n + check_bds(ctx, m, vc) + check_l3(ctx, m, vc) +
	       check_underlay_mtu(ctx, m, vc);
}

const struct cfg_section vxlan_cfg_section = {
	.key = "vxlan",
	.type = CFG_GROUP,
	.schema = &vxlan_schema,
	.doc = "VXLAN VTEP (RFC 7348): bridge domains joined to VNIs with "
	       "MAC learning and head-end replication, L3 VNIs and VRF "
	       "routes over tunnels. Absent: no VXLAN.",
	.check = vxlan_check,
};
