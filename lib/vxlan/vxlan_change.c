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

static int
refuse(char *err, size_t len, const char *what, const char *field,
       const char *val, const char *why)
{
	snprintf(err, len, "%s %s: %s: %s", what,
		 field[0] == '.' ? field + 1 : field, val, why);
	return -EINVAL;
}

static const struct cfg_row_ref bds_ref = {
	"vxlan", offsetof(struct vxlan_conf, bridge_domains), &vxlan_bd_schema
};
static const struct cfg_row_ref routes_ref = {
	"vxlan", offsetof(struct vxlan_conf, tunnel_routes),
	&vxlan_route_schema
};

struct bd_edit;
/* What a command does to bridge domain @p bc of the copy @p m. */
typedef int (*bd_edit_fn)(struct cfg_model *m, struct vxlan_bd_conf *bc,
			  const struct bd_edit *e, char *err, size_t len);

/* An edit inside bridge domain @p bd: of its flood list or MACs. */
struct bd_edit {
	bd_edit_fn fn;
	uint32_t bd;
	char vtep[VXLAN_IP_LEN];
	struct vxlan_mac_conf mc;
};

static int
on_bd(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct bd_edit *e = arg;
	struct vxlan_conf *vc = cfg_model_section(m, "vxlan");
	struct vxlan_bd_conf key = { .id = e->bd }, *bc;

	bc = cfg_row_get(&vc->bridge_domains, &vxlan_bd_schema, &key, err,
			 len);
	return bc == NULL ? -ENOENT : e->fn(m, bc, e, err, len);
}

struct bd_add {
	const struct vxlan_bd_conf *bc;
	bool taken;   /* the copy owns bc's arrays */
};

static int
bd_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct bd_add *e = (struct bd_add *)(uintptr_t)arg;
	struct vxlan_conf *vc = cfg_model_section(m, "vxlan");
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	why = vxlan_bd_check(m, e->bc, vc->bridge_domains.n, &field, val,
			     sizeof(val));
	if (why != NULL)
		return refuse(err, len, "bridge domain", field, val, why);
	if (cfg_array_add(&vc->bridge_domains, sizeof(*e->bc), e->bc, err,
			  len) < 0)
		return -ENOMEM;
	e->taken = true;
	return 0;
}

/* Takes over the arrays of @p bc (freed on failure too). */
int
vxlan_bd_add(const struct vxlan_bd_conf *bc, char *err, size_t len)
{
	struct bd_add e = { bc, false };
	int rc = cfg_edit(vxlan_model, bd_add_edit, &e, err, len);

	if (rc < 0 && !e.taken)
		cfg_row_free(&vxlan_bd_schema, (void *)(uintptr_t)bc);
	return rc;
}

int
vxlan_bd_del(uint32_t id, char *err, size_t len)
{
	struct vxlan_bd_conf key = { .id = id };

	return cfg_edit_row(vxlan_model, CFG_DELETE, &bds_ref, &key, err, len);
}

static int
flood_add_edit(struct cfg_model *m, struct vxlan_bd_conf *bc,
	       const struct bd_edit *e, char *err, size_t len)
{
	const char *why = vxlan_flood_check(m, e->vtep);

	if (why == NULL &&
	    cfg_string_index(&bc->flood, VXLAN_IP_LEN, e->vtep) >= 0)
		why = "already in the flood list";
	if (why == NULL && bc->flood.n >= VXLAN_FLOOD_MAX)
		why = "the flood list is full";
	if (why != NULL)
		return refuse(err, len, "flood list", "vtep", e->vtep, why);
	return cfg_array_add(&bc->flood, VXLAN_IP_LEN, e->vtep, err, len);
}

static int
flood_del_edit(struct cfg_model *m, struct vxlan_bd_conf *bc,
	       const struct bd_edit *e, char *err, size_t len)
{
	int i = cfg_string_index(&bc->flood, VXLAN_IP_LEN, e->vtep);

	RTE_SET_USED(m);
	if (i < 0) {
		snprintf(err, len, "%s is not in the flood list of bridge "
			 "domain %u", e->vtep, e->bd);
		return -ENOENT;
	}
	cfg_array_remove(&bc->flood, VXLAN_IP_LEN, (unsigned int)i);
	return 0;
}

static int
flood_change(bd_edit_fn fn, uint32_t bd, uint32_t remote, char *err,
	     size_t len)
{
	struct bd_edit e = { .fn = fn, .bd = bd };

	cfg_format_ipv4(remote, e.vtep, sizeof(e.vtep));
	return cfg_edit(vxlan_model, on_bd, &e, err, len);
}

int
vxlan_flood_add(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	return flood_change(flood_add_edit, bd, remote, err, len);
}

int
vxlan_flood_del(uint32_t bd, uint32_t remote, char *err, size_t len)
{
	return flood_change(flood_del_edit, bd, remote, err, len);
}

static int
mac_add_edit(struct cfg_model *m, struct vxlan_bd_conf *bc,
	     const struct bd_edit *e, char *err, size_t len)
{
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	why = vxlan_mac_check(m, bc, &e->mc, &field, val, sizeof(val));
	if (why != NULL)
		return refuse(err, len, "static MAC", field, val, why);
	return cfg_row_add(&bc->static_macs, &vxlan_mac_schema, &e->mc, err,
			   len);
}

static int
mac_del_edit(struct cfg_model *m, struct vxlan_bd_conf *bc,
	     const struct bd_edit *e, char *err, size_t len)
{
	RTE_SET_USED(m);
	return cfg_row_del(&bc->static_macs, &vxlan_mac_schema, &e->mc, err,
			   len);
}

int
vxlan_static_mac_add(uint32_t bd, const struct vxlan_mac_conf *mc, char *err,
		     size_t len)
{
	struct bd_edit e = { .fn = mac_add_edit, .bd = bd, .mc = *mc };

	return cfg_edit(vxlan_model, on_bd, &e, err, len);
}

int
vxlan_static_mac_del(uint32_t bd, const uint8_t mac[6], char *err, size_t len)
{
	struct bd_edit e = { .fn = mac_del_edit, .bd = bd };

	memcpy(e.mc.mac, mac, sizeof(e.mc.mac));
	return cfg_edit(vxlan_model, on_bd, &e, err, len);
}

static int
route_add_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct vxlan_route_conf *rc = arg;
	struct vxlan_conf *vc = cfg_model_section(m, "vxlan");
	char val[VXLAN_VAL_LEN];
	const char *field, *why;

	why = vxlan_route_check(m, rc, vc->tunnel_routes.n, &field, val,
				sizeof(val));
	if (why != NULL)
		return refuse(err, len, "tunnel route", field, val, why);
	return cfg_array_add(&vc->tunnel_routes, sizeof(*rc), rc, err, len);
}

int
vxlan_route_add(const struct vxlan_route_conf *rc, char *err, size_t len)
{
	return cfg_edit(vxlan_model, route_add_edit, rc, err, len);
}

int
vxlan_route_del(const char *vrf, const struct cfg_ipv4_prefix *prefix,
		char *err, size_t len)
{
	struct vxlan_route_conf key = { .prefix = *prefix };

	snprintf(key.vrf, sizeof(key.vrf), "%s", vrf);
	return cfg_edit_row(vxlan_model, CFG_DELETE, &routes_ref, &key, err,
			    len);
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
