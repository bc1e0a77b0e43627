/* SPDX-License-Identifier: BSD-3-Clause */
/* Row checks of the "vxlan" section (see vxlan_check.h). */
#include <stdio.h>
#include <string.h>

#include "route.h"
#include "vxlan_check.h"

static char field_buf[48];

static const struct vxlan_conf *
conf_of(const struct cfg_model *m)
{
	return cfg_model_section(m, "vxlan");
}

static void
quote(char *val, size_t len, const char *s)
{
	snprintf(val, len, "\"%s\"", s);
}

static bool
ip6_zero(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, sizeof(zero)) == 0;
}

/* Whether an interface of the underlay VRF has IPv4 @p a (or, @p a 0,
 * IPv6 @p a6). */
static bool
underlay_has_addr(const struct cfg_model *m, const struct vxlan_conf *vc,
		  uint32_t a, const uint8_t *a6)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++) {
		if (strcmp(ic[i].vrf, vc->underlay_vrf) != 0)
			continue;
		if (a != 0 && ic[i].address.addr == a && ic[i].address.len > 0)
			return true;
		if (a == 0 && ic[i].address6.len > 0 &&
		    memcmp(ic[i].address6.addr, a6, 16) == 0)
			return true;
	}
	return false;
}

const char *
vxlan_globals_check(const struct cfg_model *m, const struct vxlan_conf *vc,
		    const char **field, char *val, size_t len)
{
	char ip[VXLAN_IP_LEN];

	*field = ".underlay_vrf";
	quote(val, len, vc->underlay_vrf);
	if ((vc->local != 0 || !ip6_zero(vc->local6)) &&
	    !route_conf_vrf_exists(m, vc->underlay_vrf))
		return "no such VRF";
	*field = ".local";
	quote(val, len, cfg_format_ipv4(vc->local, ip, sizeof(ip)));
	if (vc->local != 0 && !underlay_has_addr(m, vc, vc->local, NULL))
		return "not the address of an interface in the underlay VRF";
	*field = ".local6";
	quote(val, len, cfg_format_ipv6(vc->local6, ip, sizeof(ip)));
	if (!ip6_zero(vc->local6) &&
	    !underlay_has_addr(m, vc, 0, vc->local6))
		return "not the IPv6 address (address6) of an interface in "
		       "the underlay VRF";
	return NULL;
}

/* Why remote VTEP (@p remote, or IPv6 @p remote6) cannot be one: the
 * local VTEP of its family must exist and differ. */
static const char *
remote_check(const struct vxlan_conf *vc, uint32_t remote,
	     const uint8_t *remote6)
{
	if (remote != 0) {
		if (vc->local == 0)
			return "needs vxlan.local (the local VTEP address)";
		return remote == vc->local ? "the local VTEP address" : NULL;
	}
	if (ip6_zero(vc->local6))
		return "needs vxlan.local6 (the local IPv6 VTEP address)";
	if (remote6[0] == 0xff || ip6_zero(remote6))
		return "not a unicast address";
	return memcmp(remote6, vc->local6, 16) == 0 ?
		"the local VTEP address" : NULL;
}

/* Whether a bridge domain before row @p self has member @p name. */
static bool
iface_in_other_bd(const struct vxlan_conf *vc, const char *name,
		  unsigned int self)
{
	const struct vxlan_bd_conf *bc = vc->bridge_domains.items;
	const char *names;
	unsigned int i, j;

	for (i = 0; i < self && i < vc->bridge_domains.n; i++) {
		names = bc[i].interfaces.items;
		for (j = 0; j < bc[i].interfaces.n; j++)
			if (strcmp(names + j * IFACE_NAME_LEN, name) == 0)
				return true;
	}
	return false;
}

/*
 * Whether VNI @p vni is taken by a row before row @p self of @p list (0:
 * bridge domains, 1: L3 VNIs, which come after them): a clash is
 * reported once, on the later row.
 */
static bool
vni_taken(const struct vxlan_conf *vc, uint32_t vni, int list,
	  unsigned int self)
{
	const struct vxlan_bd_conf *bc = vc->bridge_domains.items;
	const struct vxlan_l3vni_conf *lc = vc->l3_vnis.items;
	unsigned int i;

	for (i = 0; i < vc->bridge_domains.n && (list == 1 || i < self); i++)
		if (bc[i].vni == vni)
			return true;
	for (i = 0; list == 1 && i < self && i < vc->l3_vnis.n; i++)
		if (lc[i].vni == vni)
			return true;
	return false;
}

static const char *
members_check(const struct cfg_model *m, const struct vxlan_bd_conf *bc,
	      unsigned int self, const char **field, char *val, size_t len)
{
	const char *names = bc->interfaces.items, *name;
	const struct iface_conf *ic;
	unsigned int j, k;

	for (j = 0; j < bc->interfaces.n; j++) {
		name = names + j * IFACE_NAME_LEN;
		snprintf(field_buf, sizeof(field_buf), ".interfaces.[%u]", j);
		*field = field_buf;
		quote(val, len, name);
		ic = iface_conf_find(m, name);
		if (ic == NULL)
			return "no such interface";
		if (ic->address.addr != 0)
			return "has an address: a bridged interface is not "
			       "routed";
		for (k = 0; k < j; k++)
			if (strcmp(names + k * IFACE_NAME_LEN, name) == 0)
				return "listed twice";
		if (iface_in_other_bd(conf_of(m), name, self))
			return "already in another bridge domain";
	}
	return NULL;
}

const char *
vxlan_flood_check(const struct cfg_model *m, const char *s)
{
	uint8_t ip6[16];
	uint32_t ip;

	if (cfg_parse_ipv4(s, &ip) == 0) {
		if (ip == 0 || ip >> 28 >= 0xe || ip >> 24 == 127)
			return "not a unicast address";
		return remote_check(conf_of(m), ip, NULL);
	}
	if (cfg_parse_ipv6(s, ip6) < 0)
		return "not an IPv4 or IPv6 address";
	return remote_check(conf_of(m), 0, ip6);
}

static const char *
flood_check(const struct cfg_model *m, const struct vxlan_bd_conf *bc,
	    const char **field, char *val, size_t len)
{
	const char *ips = bc->flood.items, *s, *why;
	unsigned int j, k;

	for (j = 0; j < bc->flood.n; j++) {
		s = ips + j * VXLAN_IP_LEN;
		snprintf(field_buf, sizeof(field_buf), ".flood.[%u]", j);
		*field = field_buf;
		quote(val, len, s);
		why = vxlan_flood_check(m, s);
		if (why != NULL)
			return why;
		for (k = 0; k < j; k++)
			if (strcmp(ips + k * VXLAN_IP_LEN, s) == 0)
				return "listed twice";
	}
	return NULL;
}

/* remote_check() reported at field .remote or .remote6. */
static const char *
remote_field_check(const struct cfg_model *m, uint32_t remote,
		   const uint8_t *remote6, const char **field, char *val,
		   size_t len)
{
	char ip[VXLAN_IP_LEN];

	*field = remote != 0 ? ".remote" : ".remote6";
	quote(val, len, remote != 0 ? cfg_format_ipv4(remote, ip, sizeof(ip)) :
		  cfg_format_ipv6(remote6, ip, sizeof(ip)));
	return remote_check(conf_of(m), remote, remote6);
}

const char *
vxlan_mac_check(const struct cfg_model *m, const struct vxlan_bd_conf *bc,
		const struct vxlan_mac_conf *mc, const char **field, char *val,
		size_t len)
{
	const char *names = bc->interfaces.items;
	unsigned int j;
	char mac[18];

	*field = ".mac";
	quote(val, len, cfg_format_mac(mc->mac, mac, sizeof(mac)));
	if (!cfg_mac_is_unicast(mc->mac))
		return "not a unicast MAC address";
	if ((mc->interface[0] != '\0') + (mc->remote != 0) +
	    !ip6_zero(mc->remote6) != 1)
		return "needs exactly one of interface, remote and remote6";
	if (mc->interface[0] == '\0')
		return remote_field_check(m, mc->remote, mc->remote6, field,
					  val, len);
	*field = ".interface";
	quote(val, len, mc->interface);
	for (j = 0; j < bc->interfaces.n; j++)
		if (strcmp(names + j * IFACE_NAME_LEN, mc->interface) == 0)
			return NULL;
	return "not a member of the bridge domain";
}

static const char *
macs_check(const struct cfg_model *m, const struct vxlan_bd_conf *bc,
	   const char **field, char *val, size_t len)
{
	const struct vxlan_mac_conf *mc = bc->static_macs.items;
	static char fbuf[48];
	const char *why, *f;
	unsigned int j, k;

	for (j = 0; j < bc->static_macs.n; j++) {
		why = vxlan_mac_check(m, bc, &mc[j], &f, val, len);
		for (k = 0; why == NULL && k < j; k++)
			if (memcmp(mc[k].mac, mc[j].mac, 6) == 0) {
				why = "listed twice";
				f = ".mac";
			}
		if (why != NULL) {
			snprintf(fbuf, sizeof(fbuf), ".static_macs.[%u]%s", j,
				 f);
			*field = fbuf;
			return why;
		}
	}
	return NULL;
}

const char *
vxlan_bd_check(const struct cfg_model *m, const struct vxlan_bd_conf *bc,
	       unsigned int self, const char **field, char *val, size_t len)
{
	const struct vxlan_conf *vc = conf_of(m);
	const struct vxlan_bd_conf *all = vc->bridge_domains.items;
	const char *why;
	unsigned int i;

	*field = ".id";
	snprintf(val, len, "%u", bc->id);
	for (i = 0; i < self && i < vc->bridge_domains.n; i++)
		if (all[i].id == bc->id)
			return "another bridge domain has this id";
	*field = ".vni";
	snprintf(val, len, "%u", bc->vni);
	if (vni_taken(vc, bc->vni, 0, self))
		return "another bridge domain or L3 VNI has this VNI";
	why = members_check(m, bc, self, field, val, len);
	if (why == NULL)
		why = flood_check(m, bc, field, val, len);
	if (why == NULL)
		why = macs_check(m, bc, field, val, len);
	return why;
}

const char *
vxlan_l3vni_check(const struct cfg_model *m, const struct vxlan_l3vni_conf *lc,
		  unsigned int self, const char **field, char *val, size_t len)
{
	const struct vxlan_conf *vc = conf_of(m);

	*field = ".vni";
	snprintf(val, len, "%u", lc->vni);
	if (vc->local == 0 && ip6_zero(vc->local6))
		return "needs vxlan.local or vxlan.local6 (a local VTEP "
		       "address)";
	if (vni_taken(vc, lc->vni, 1, self))
		return "another bridge domain or L3 VNI has this VNI";
	*field = ".vrf";
	quote(val, len, lc->vrf);
	return route_conf_vrf_exists(m, lc->vrf) ? NULL : "no such VRF";
}

/* The VRF and remote VTEP (remote or remote6) of a tunnel route of
 * either family. */
static const char *
route_ends_check(const struct cfg_model *m, const char *vrf, uint32_t remote,
		 const uint8_t *remote6, const char **field, char *val,
		 size_t len)
{
	*field = ".vrf";
	quote(val, len, vrf);
	if (!route_conf_vrf_exists(m, vrf))
		return "no such VRF";
	if ((remote != 0) == !ip6_zero(remote6)) {
		*field = "";
		val[0] = '\0';
		return "needs exactly one of remote and remote6";
	}
	return remote_field_check(m, remote, remote6, field, val, len);
}

/* The frame goes to the remote VTEP's router MAC, one host. */
static const char *
route_mac_check(const uint8_t *mac, const char **field, char *val, size_t len)
{
	char buf[18];

	*field = ".inner_mac";
	quote(val, len, cfg_format_mac(mac, buf, sizeof(buf)));
	if ((mac[0] & 1) != 0)
		return "a multicast MAC: must be the remote VTEP's router MAC";
	return NULL;
}

const char *
vxlan_route_check(const struct cfg_model *m, const struct vxlan_route_conf *rc,
		  unsigned int self, const char **field, char *val, size_t len)
{
	const struct vxlan_conf *vc = conf_of(m);
	const struct vxlan_route_conf *all = vc->tunnel_routes.items;
	const char *why = route_ends_check(m, rc->vrf, rc->remote,
					   rc->remote6, field, val, len);
	char ip[18];
	unsigned int i;

	if (why != NULL)
		return why;
	*field = ".prefix";
	snprintf(val, len, "\"%s/%u\"",
		 cfg_format_ipv4(rc->prefix.addr, ip, sizeof(ip)),
		 rc->prefix.len);
	for (i = 0; i < self && i < vc->tunnel_routes.n; i++)
		if (strcmp(all[i].vrf, rc->vrf) == 0 &&
		    all[i].prefix.addr == rc->prefix.addr &&
		    all[i].prefix.len == rc->prefix.len)
			return "another tunnel route has this prefix";
	return route_mac_check(rc->inner_mac, field, val, len);
}

const char *
vxlan_route6_check(const struct cfg_model *m,
		   const struct vxlan_route6_conf *rc, unsigned int self,
		   const char **field, char *val, size_t len)
{
	const struct vxlan_conf *vc = conf_of(m);
	const struct vxlan_route6_conf *all = vc->tunnel_routes6.items;
	const char *why = route_ends_check(m, rc->vrf, rc->remote,
					   rc->remote6, field, val, len);
	char ip[48];
	unsigned int i;

	if (why != NULL)
		return why;
	*field = ".prefix";
	snprintf(val, len, "\"%s/%u\"",
		 cfg_format_ipv6(rc->prefix.addr, ip, sizeof(ip)),
		 rc->prefix.len);
	for (i = 0; i < self && i < vc->tunnel_routes6.n; i++)
		if (strcmp(all[i].vrf, rc->vrf) == 0 &&
		    memcmp(&all[i].prefix, &rc->prefix,
			   sizeof(rc->prefix)) == 0)
			return "another tunnel route has this prefix";
	return route_mac_check(rc->inner_mac, field, val, len);
}
