/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Operator changes of the VXLAN tables (the CLI): each edits a copy of
 * the running model — checked first as the loader checks a row
 * (vxlan_check.c), so the refusal names the row — and runs it as one
 * change (lib/config's cfg_edit): installed through the lists' ops
 * (vxlan_rows.c), recorded, all or nothing, as `config reload` does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan_check.h"
#include "vxlan_priv.h"

static struct vxlan_conf *
copy_conf(struct cfg_model *m, char *err, size_t len)
{
	struct vxlan_conf *vc = cfg_model_section(m, "vxlan");

	if (vc == NULL)
		snprintf(err, len, "VXLAN is not set up");
	return vc;
}

static int
vxlan_edit(cfg_edit_fn fn, const void *arg, char *err, size_t len)
{
	if (vxlan_model == NULL) {
		snprintf(err, len, "VXLAN is not set up");
		return -ENOENT;
	}
	return cfg_edit(vxlan_model, fn, arg, err, len);
}

static int
refuse(char *err, size_t len, const char *what, const char *field,
       const char *val, const char *why)
{
	snprintf(err, len, "%s %s: %s: %s", what,
		 field[0] == '.' ? field + 1 : field, val, why);
	return -EINVAL;
}

/* Bridge domain @p id of the copy. */
static struct vxlan_bd_conf *
bd_of(struct cfg_model *m, uint32_t id, char *err, size_t len)
{
	struct vxlan_conf *vc = copy_conf(m, err, len);
	struct vxlan_bd_conf probe = { .id = id }, *bc;

	if (vc == NULL)
		return NULL;
	bc = cfg_array_find(&vc->bridge_domains, &vxlan_bd_schema, &probe);
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

/* Remove element @p e of @p a (elements of @p size), found in it. */
static void
array_drop(struct cfg_array *a, size_t size, const void *e)
{
	cfg_array_remove(a, size, (unsigned int)
			 (((const char *)e - (const char *)a->items) / size));
}

struct bd_edit {
	const struct vxlan_bd_conf *bc;
	bool taken;   /* the copy owns bc's arrays */
};

static int
bd_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct bd_edit *e = (struct bd_edit *)(uintptr_t)arg;
	struct vxlan_conf *vc = copy_conf(m, err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	if (vc == NULL)
		return -ENOENT;
	why = vxlan_bd_check(m, e->bc, vc->bridge_domains.n, &field, val,
			     sizeof(val));
	if (why != NULL)
		return refuse(err, len, "bridge domain", field, val, why);
	if (cfg_array_append(&vc->bridge_domains, sizeof(*e->bc), e->bc) ==
	    NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	e->taken = true;
	return 0;
}

/* Takes over the arrays of @p bc (freed on failure too). */
int
vxlan_bd_add(const struct vxlan_bd_conf *bc, char *err, size_t len)
{
	struct bd_edit e = { bc, false };
	int rc = vxlan_edit(bd_add_edit, &e, err, len);

	if (rc < 0 && !e.taken)
		bd_conf_free((struct vxlan_bd_conf *)(uintptr_t)bc);
	return rc;
}

static int
bd_del_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct vxlan_bd_conf *bc = bd_of(m, *(const uint32_t *)arg, err, len);

	if (bc == NULL)
		return -ENOENT;
	bd_conf_free(bc);
	array_drop(&copy_conf(m, err, len)->bridge_domains, sizeof(*bc), bc);
	return 0;
}

int
vxlan_bd_del(uint32_t id, char *err, size_t len)
{
	return vxlan_edit(bd_del_edit, &id, err, len);
}

struct flood_edit {
	uint32_t bd;
	char vtep[VXLAN_IP_LEN];
};

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

static int
flood_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct flood_edit *e = arg;
	struct vxlan_bd_conf *bc = bd_of(m, e->bd, err, len);
	const char *why;

	if (bc == NULL)
		return -ENOENT;
	why = vxlan_flood_check(m, e->vtep);
	if (why == NULL && flood_find(bc, e->vtep) >= 0)
		why = "already in the flood list";
	if (why == NULL && bc->flood.n >= VXLAN_FLOOD_MAX)
		why = "the flood list is full";
	if (why != NULL)
		return refuse(err, len, "flood list", "vtep", e->vtep, why);
	return cfg_array_append(&bc->flood, VXLAN_IP_LEN, e->vtep) == NULL ?
	       -ENOMEM : 0;
}

static int
flood_del_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct flood_edit *e = arg;
	struct vxlan_bd_conf *bc = bd_of(m, e->bd, err, len);
	int i;

	if (bc == NULL)
		return -ENOENT;
	i = flood_find(bc, e->vtep);
	if (i < 0) {
		snprintf(err, len, "%s is not in the flood list of bridge "
			 "domain %u", e->vtep, e->bd);
		return -ENOENT;
	}
	cfg_array_remove(&bc->flood, VXLAN_IP_LEN, (unsigned int)i);
	return 0;
}

int
vxlan_flood_add(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	struct flood_edit e = { .bd = bd };

	cfg_format_ipv4(remote, e.vtep, sizeof(e.vtep));
	return vxlan_edit(flood_add_edit, &e, err, len);
}

int
vxlan_flood_del(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	struct flood_edit e = { .bd = bd };

	cfg_format_ipv4(remote, e.vtep, sizeof(e.vtep));
	return vxlan_edit(flood_del_edit, &e, err, len);
}

struct mac_edit {
	uint32_t bd;
	struct vxlan_mac_conf mc;
};

static int
mac_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct mac_edit *e = arg;
	struct vxlan_bd_conf *bc = bd_of(m, e->bd, err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	if (bc == NULL)
		return -ENOENT;
	why = vxlan_mac_check(m, bc, &e->mc, &field, val, sizeof(val));
	if (why == NULL &&
	    cfg_array_find(&bc->static_macs, &vxlan_mac_schema, &e->mc))
		why = "already a static MAC of the bridge domain";
	if (why != NULL)
		return refuse(err, len, "static MAC", field, val, why);
	return cfg_array_append(&bc->static_macs, sizeof(e->mc), &e->mc) ==
	       NULL ? -ENOMEM : 0;
}

static int
mac_del_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct mac_edit *e = arg;
	struct vxlan_bd_conf *bc = bd_of(m, e->bd, err, len);
	struct vxlan_mac_conf *mc;

	if (bc == NULL)
		return -ENOENT;
	mc = cfg_array_find(&bc->static_macs, &vxlan_mac_schema, &e->mc);
	if (mc == NULL) {
		snprintf(err, len, "not a static MAC of bridge domain %u",
			 e->bd);
		return -ENOENT;
	}
	array_drop(&bc->static_macs, sizeof(*mc), mc);
	return 0;
}

int
vxlan_static_mac_add(uint32_t bd, const struct vxlan_mac_conf *mc, char *err,
		     size_t len)
{
	struct mac_edit e = { bd, *mc };

	return vxlan_edit(mac_add_edit, &e, err, len);
}

int
vxlan_static_mac_del(uint32_t bd, const uint8_t mac[6], char *err, size_t len)
{
	struct mac_edit e = { .bd = bd };

	memcpy(e.mc.mac, mac, sizeof(e.mc.mac));
	return vxlan_edit(mac_del_edit, &e, err, len);
}

static int
route_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct vxlan_route_conf *rc = arg;
	struct vxlan_conf *vc = copy_conf(m, err, len);
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	if (vc == NULL)
		return -ENOENT;
	why = vxlan_route_check(m, rc, vc->tunnel_routes.n, &field, val,
				sizeof(val));
	if (why != NULL)
		return refuse(err, len, "tunnel route", field, val, why);
	return cfg_array_append(&vc->tunnel_routes, sizeof(*rc), rc) == NULL ?
	       -ENOMEM : 0;
}

static int
route_del_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct vxlan_route_conf *key = arg;
	struct vxlan_conf *vc = copy_conf(m, err, len);
	struct vxlan_route_conf *rc;

	if (vc == NULL)
		return -ENOENT;
	rc = cfg_array_find(&vc->tunnel_routes, &vxlan_route_schema, key);
	if (rc == NULL) {
		snprintf(err, len, "no tunnel route with this prefix in VRF %s",
			 key->vrf);
		return -ENOENT;
	}
	array_drop(&vc->tunnel_routes, sizeof(*rc), rc);
	return 0;
}

int
vxlan_route_add(const struct vxlan_route_conf *rc, char *err, size_t len)
{
	return vxlan_edit(route_add_edit, rc, err, len);
}

int
vxlan_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		char *err, size_t len)
{
	struct vxlan_route_conf key = { .prefix = *prefix };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return vxlan_edit(route_del_edit, &key, err, len);
}

int
vxlan_mac_clear(uint32_t bd, char *err, size_t len)
{
	if (vxlan_dp.mac == NULL) {
		snprintf(err, len, "VXLAN is not set up");
		return -ENOENT;
	}
	if (bd != 0 && vxlan_bd_conf_find(bd) == NULL) {
		snprintf(err, len, "no bridge domain %u", bd);
		return -ENOENT;
	}
	vxlan_mac_flush((uint16_t)bd, true);
	return 0;
}
