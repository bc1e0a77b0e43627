/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operator changes of the VXLAN tables (the CLI): each is checked as the
 * loader checks a row (vxlan_check.c), recorded in the model and
 * installed through the loader's install functions; if installing fails
 * the model row is taken back, so nothing changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan_check.h"
#include "vxlan_priv.h"

static struct vxlan_conf *
model_conf(char *err, size_t len)
{
	struct vxlan_conf *vc = vxlan_model == NULL ? NULL :
		cfg_model_section(vxlan_model, "vxlan");

	if (vc == NULL)
		snprintf(err, len, "VXLAN is not set up");
	return vc;
}

static int
refuse(char *err, size_t len, const char *what, const char *field,
       const char *val, const char *why)
{
	snprintf(err, len, "%s %s: %s: %s", what,
		 field[0] == '.' ? field + 1 : field, val, why);
	return -EINVAL;
}

static struct vxlan_bd_conf *
bd_of(uint32_t id, char *err, size_t len)
{
	struct vxlan_bd_conf *bc = vxlan_bd_conf_find(id);

	if (bc == NULL)
		snprintf(err, len, "no bridge domain %u", id);
	return bc;
}

static void
bd_conf_free(struct vxlan_bd_conf *bc)
{
	free(bc->interfaces.items);
	free(bc->flood.items);
	free(bc->static_macs.items);
}

static void
bd_conf_remove(struct vxlan_conf *vc, uint32_t id)
{
	struct vxlan_bd_conf *bc = vc->bridge_domains.items;
	unsigned int i;

	for (i = 0; i < vc->bridge_domains.n; i++)
		if (bc[i].id == id) {
			bd_conf_free(&bc[i]);
			cfg_array_remove(&vc->bridge_domains, sizeof(*bc), i);
			return;
		}
}

/* Takes over the arrays of @p bc (freed on failure too). */
int
vxlan_bd_add(const struct vxlan_bd_conf *bc, char *err, size_t len)
{
	struct vxlan_conf *vc = model_conf(err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;
	int rc;

	if (vc == NULL)
		return -ENOENT;
	why = vxlan_bd_check(vxlan_model, bc, vc->bridge_domains.n, &field,
			     val, sizeof(val));
	if (why != NULL) {
		bd_conf_free((struct vxlan_bd_conf *)(uintptr_t)bc);
		return refuse(err, len, "bridge domain", field, val, why);
	}
	if (cfg_array_append(&vc->bridge_domains, sizeof(*bc), bc) == NULL) {
		bd_conf_free((struct vxlan_bd_conf *)(uintptr_t)bc);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	rc = vxlan_bd_install(bc);
	if (rc < 0) {
		bd_conf_remove(vc, bc->id);
		snprintf(err, len, "cannot install: %s", strerror(-rc));
	}
	/* Every worker sees the new VNI once the command returns. */
	vxlan_sync();
	return rc;
}

int
vxlan_bd_del(uint32_t id, char *err, size_t len)
{
	struct vxlan_conf *vc = model_conf(err, len);

	if (vc == NULL || bd_of(id, err, len) == NULL)
		return -ENOENT;
	vxlan_bd_uninstall(id);
	bd_conf_remove(vc, id);
	return 0;
}

static int
flood_find(const struct vxlan_bd_conf *bc, const char *s)
{
	const char *ips = bc->flood.items;
	unsigned int i;

	for (i = 0; i < bc->flood.n; i++)
		if (strcmp(ips + i * VXLAN_IP_LEN, s) == 0)
			return (int)i;
	return -1;
}

int
vxlan_flood_add(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	struct vxlan_bd_conf *bc = bd_of(bd, err, len);
	char s[VXLAN_IP_LEN];
	const char *why;
	int rc;

	if (bc == NULL)
		return -ENOENT;
	cfg_format_ipv4(remote, s, sizeof(s));
	why = vxlan_flood_check(vxlan_model, s);
	if (why == NULL && flood_find(bc, s) >= 0)
		why = "already in the flood list";
	if (why == NULL && bc->flood.n >= VXLAN_FLOOD_MAX)
		why = "the flood list is full";
	if (why != NULL)
		return refuse(err, len, "flood list", "vtep", s, why);
	if (cfg_array_append(&bc->flood, VXLAN_IP_LEN, s) == NULL)
		return -ENOMEM;
	rc = vxlan_bd_refresh(bd);
	if (rc < 0) {
		cfg_array_remove(&bc->flood, VXLAN_IP_LEN, bc->flood.n - 1);
		snprintf(err, len, "cannot install: %s", strerror(-rc));
	}
	return rc;
}

int
vxlan_flood_del(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	struct vxlan_bd_conf *bc = bd_of(bd, err, len);
	char s[VXLAN_IP_LEN];
	int i;

	if (bc == NULL)
		return -ENOENT;
	cfg_format_ipv4(remote, s, sizeof(s));
	i = flood_find(bc, s);
	if (i < 0) {
		snprintf(err, len, "%s is not in the flood list of bridge "
			 "domain %u", s, bd);
		return -ENOENT;
	}
	cfg_array_remove(&bc->flood, VXLAN_IP_LEN, (unsigned int)i);
	/* Fewer tunnels needs no new one: this cannot fail for lack of
	 * room, and if memory is short the old list stays published. */
	return vxlan_bd_refresh(bd) < 0 ? -ENOMEM : 0;
}

static int
mac_find(const struct vxlan_bd_conf *bc, const uint8_t mac[6])
{
	const struct vxlan_mac_conf *mc = bc->static_macs.items;
	unsigned int i;

	for (i = 0; i < bc->static_macs.n; i++)
		if (memcmp(mc[i].mac, mac, 6) == 0)
			return (int)i;
	return -1;
}

int
vxlan_static_mac_add(uint32_t bd, const struct vxlan_mac_conf *mc, char *err,
		     size_t len)
{
	struct vxlan_bd_conf *bc = bd_of(bd, err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;
	int rc;

	if (bc == NULL)
		return -ENOENT;
	why = vxlan_mac_check(vxlan_model, bc, mc, &field, val, sizeof(val));
	if (why == NULL && mac_find(bc, mc->mac) >= 0)
		why = "already a static MAC of the bridge domain";
	if (why != NULL)
		return refuse(err, len, "static MAC", field, val, why);
	if (cfg_array_append(&bc->static_macs, sizeof(*mc), mc) == NULL)
		return -ENOMEM;
	rc = vxlan_static_mac_install(bd, mc);
	if (rc < 0) {
		cfg_array_remove(&bc->static_macs, sizeof(*mc),
				 bc->static_macs.n - 1);
		snprintf(err, len, "cannot install: %s", strerror(-rc));
	}
	return rc;
}

int
vxlan_static_mac_del(uint32_t bd, const uint8_t mac[6], char *err, size_t len)
{
	struct vxlan_bd_conf *bc = bd_of(bd, err, len);
	int i;

	if (bc == NULL)
		return -ENOENT;
	i = mac_find(bc, mac);
	if (i < 0) {
		snprintf(err, len, "not a static MAC of bridge domain %u", bd);
		return -ENOENT;
	}
	vxlan_mac_del((uint16_t)bd, mac);
	cfg_array_remove(&bc->static_macs, sizeof(struct vxlan_mac_conf),
			 (unsigned int)i);
	return 0;
}

static int
route_conf_find(const struct vxlan_conf *vc, const char *vrf,
		const struct cfg_ipv4_prefix *p)
{
	const struct vxlan_route_conf *rc = vc->tunnel_routes.items;
	unsigned int i;

	for (i = 0; i < vc->tunnel_routes.n; i++)
		if (strcmp(rc[i].vrf, vrf) == 0 &&
		    rc[i].prefix.addr == p->addr && rc[i].prefix.len == p->len)
			return (int)i;
	return -1;
}

int
vxlan_route_add(const struct vxlan_route_conf *rc, char *err, size_t len)
{
	struct vxlan_conf *vc = model_conf(err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;
	int r;

	if (vc == NULL)
		return -ENOENT;
	why = vxlan_route_check(vxlan_model, rc, vc->tunnel_routes.n, &field,
				val, sizeof(val));
	if (why != NULL)
		return refuse(err, len, "tunnel route", field, val, why);
	if (cfg_array_append(&vc->tunnel_routes, sizeof(*rc), rc) == NULL)
		return -ENOMEM;
	r = vxlan_route_install(rc);
	vxlan_sync(); /* seen by every worker once the command returns */
	if (r < 0) {
		cfg_array_remove(&vc->tunnel_routes, sizeof(*rc),
				 vc->tunnel_routes.n - 1);
		snprintf(err, len, "cannot install: %s%s", strerror(-r),
			 r == -EEXIST ? " (the VRF has another route with "
					"this prefix)" : "");
	}
	return r;
}

int
vxlan_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		char *err, size_t len)
{
	struct vxlan_conf *vc = model_conf(err, len);
	int i;

	if (vc == NULL)
		return -ENOENT;
	i = route_conf_find(vc, vrf, prefix);
	if (i < 0) {
		snprintf(err, len, "no tunnel route with this prefix in VRF %s",
			 vrf);
		return -ENOENT;
	}
	vxlan_route_uninstall((const struct vxlan_route_conf *)
			      vc->tunnel_routes.items + i);
	cfg_array_remove(&vc->tunnel_routes, sizeof(struct vxlan_route_conf),
			 (unsigned int)i);
	return 0;
}

int
vxlan_mac_clear(uint32_t bd, char *err, size_t len)
{
	if (vxlan_dp.mac == NULL) {
		snprintf(err, len, "VXLAN is not set up");
		return -ENOENT;
	}
	if (bd != 0 && bd_of(bd, err, len) == NULL)
		return -ENOENT;
	vxlan_mac_flush((uint16_t)bd, true);
	return 0;
}
