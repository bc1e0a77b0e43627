/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN setup from the config model, the install functions that turn
 * one checked row into table entries (shared by the loader and the
 * CLI), and the management lcore's periodic work.
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_errno.h>

#include "vxlan_priv.h"

#define DECAP_NODE "ferry_vxlan_decap"
#define BRIDGE_NODE "ferry_vxlan_bridge"
#define ROUTE_NODE "ferry_vxlan_route"
#define DECAP6_NODE "ferry_vxlan_decap6"
#define LEARN_BURST 256

struct cfg_model *vxlan_model;
int vxlan_ext_type = -1;
static int vxlan_ext6_type = -1;

/* Control-side record of each tunnel route: what route_del() needs. */
struct route_key {
	uint16_t vrf;
	uint8_t len;
	bool v6;             /* tunnel_routes6: prefix6 */
	uint32_t prefix;
	uint8_t prefix6[16];
};
static struct route_key route_keys[VXLAN_ROUTE_MAX];
static uint32_t last_sweep_s;

const struct vxlan_conf *
vxlan_conf(void)
{
	return vxlan_model == NULL ? NULL :
		cfg_model_section(vxlan_model, "vxlan");
}

struct vxlan_bd_conf *
vxlan_bd_conf_find(uint32_t id)
{
	const struct vxlan_conf *vc = vxlan_conf();
	struct vxlan_bd_conf *bc;
	unsigned int i;

	if (vc == NULL)
		return NULL;
	bc = vc->bridge_domains.items;
	for (i = 0; i < vc->bridge_domains.n; i++)
		if (bc[i].id == id)
			return &bc[i];
	return NULL;
}

/* Tell the decap nodes' one-entry caches that the VNI map changed. */
static void
vni_map_changed(void)
{
	__atomic_fetch_add(&vxlan_dp.vni_gen, 1, __ATOMIC_RELEASE);
}

static int
vni_map_set(uint32_t vni, enum vxlan_vni_kind kind, uint32_t idx)
{
	uintptr_t v = (uintptr_t)kind << 16 | idx;
	int rc = rte_hash_add_key_data(vxlan_dp.vni, &vni, (void *)v);

	vni_map_changed();
	return rc;
}

static void
vni_map_del(uint32_t vni)
{
	vxlan_hash_del(vxlan_dp.vni, &vni);
	vni_map_changed();
}

/* A bridge domain entry for @p bc, taking references on its flood
 * tunnels. NULL if out of memory or tunnels. */
static struct vxlan_bd *
bd_build(const struct vxlan_bd_conf *bc)
{
	const char *names = bc->interfaces.items;
	const char *flood = bc->flood.items;
	struct vxlan_bd *b = calloc(1, sizeof(*b));
	unsigned int i;
	uint32_t t;

	if (b == NULL)
		return NULL;
	b->vni = bc->vni;
	b->id = (uint16_t)bc->id;
	for (i = 0; i < bc->interfaces.n; i++)
		b->members[b->n_members++] =
			(uint16_t)iface_find(names + i * IFACE_NAME_LEN);
	for (i = 0; i < bc->flood.n; i++) {
		t = vxlan_tunnel_ref_text(flood + i * VXLAN_IP_LEN, bc->vni,
					  (uint16_t)bc->id);
		if (t == 0)
			goto fail;
		b->flood[b->n_flood++] = t;
	}
	return b;
fail:
	while (b->n_flood > 0)
		vxlan_tunnel_unref(b->flood[--b->n_flood]);
	free(b);
	return NULL;
}

static void
bd_release(struct vxlan_bd *b)
{
	unsigned int i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_flood; i++)
		vxlan_tunnel_unref(b->flood[i]);
	free(b);
}

int
vxlan_bd_rebuild(const struct vxlan_bd_conf *bc)
{
	struct vxlan_bd *old = vxlan_dp.bd[bc->id], *b;

	b = bd_build(bc);
	if (b == NULL)
		return -ENOSPC;
	__atomic_store_n(&vxlan_dp.bd[bc->id], b, __ATOMIC_RELEASE);
	vxlan_sync();
	bd_release(old);
	return 0;
}

int
vxlan_bd_refresh(uint32_t id)
{
	const struct vxlan_bd_conf *bc = vxlan_bd_conf_find(id);

	return bc == NULL ? -ENOENT : vxlan_bd_rebuild(bc);
}

static int
static_mac_install(uint32_t bd, uint32_t vni, const struct vxlan_mac_conf *mc)
{
	uint64_t loc;
	uint32_t t;

	if (mc->interface[0] != '\0') {
		loc = VXLAN_LOC(VXLAN_LOC_IFACE, iface_find(mc->interface));
	} else {
		t = vxlan_tunnel_ref_either(mc->remote, mc->remote6, vni,
					    (uint16_t)bd);
		if (t == 0)
			return -ENOSPC;
		loc = VXLAN_LOC(VXLAN_LOC_TUNNEL, t);
	}
	return vxlan_mac_set((uint16_t)bd, mc->mac, loc | VXLAN_LOC_STATIC);
}

int
vxlan_static_mac_install(uint32_t bd, const struct vxlan_mac_conf *mc)
{
	const struct vxlan_bd *b = vxlan_dp.bd[bd];

	return b == NULL ? -ENOENT : static_mac_install(bd, b->vni, mc);
}

int
vxlan_bd_install_bare(const struct vxlan_bd_conf *bc)
{
	struct vxlan_bd *b = bd_build(bc);
	unsigned int i;
	int rc;

	if (b == NULL)
		return -ENOSPC;
	__atomic_store_n(&vxlan_dp.bd[bc->id], b, __ATOMIC_RELEASE);
	rc = vni_map_set(bc->vni, VXLAN_VNI_BD, bc->id);
	for (i = 0; rc == 0 && i < b->n_members; i++)
		iface_set_l2_domain(b->members[i], (uint16_t)bc->id);
	if (rc < 0)
		vxlan_bd_uninstall(bc->id);
	return rc;
}

int
vxlan_bd_install(const struct vxlan_bd_conf *bc)
{
	const struct vxlan_mac_conf *mc = bc->static_macs.items;
	unsigned int i;
	int rc = vxlan_bd_install_bare(bc);

	for (i = 0; rc == 0 && i < bc->static_macs.n; i++)
		rc = static_mac_install(bc->id, bc->vni, &mc[i]);
	if (rc < 0)
		vxlan_bd_uninstall(bc->id);
	return rc;
}

void
vxlan_bd_uninstall(uint32_t id)
{
	struct vxlan_bd *b = vxlan_dp.bd[id];
	unsigned int i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_members; i++)
		iface_set_l2_domain(b->members[i], 0);
	vni_map_del(b->vni);
	__atomic_store_n(&vxlan_dp.bd[id], NULL, __ATOMIC_RELEASE);
	vxlan_sync();
	vxlan_mac_flush((uint16_t)id, false);
	bd_release(b);
}

int
vxlan_l3vni_install(const void *row)
{
	const struct vxlan_l3vni_conf *lc = row;
	int vrf = vrf_find(lc->vrf);

	if (vrf < 0)
		return -ENOENT;
	return vni_map_set(lc->vni, VXLAN_VNI_L3, (uint32_t)vrf);
}

void
vxlan_l3vni_uninstall(const void *row)
{
	const struct vxlan_l3vni_conf *lc = row;

	vni_map_del(lc->vni);
}

static uint32_t
route_find(int vrf, const struct cfg_ipv4_prefix *p)
{
	uint32_t i;

	for (i = 1; i < VXLAN_ROUTE_MAX; i++)
		if (vxlan_dp.route[i] != NULL && route_keys[i].vrf == vrf &&
		    !route_keys[i].v6 && route_keys[i].prefix == p->addr &&
		    route_keys[i].len == p->len)
			return i;
	return 0;
}

static uint32_t
route6_find(int vrf, const struct cfg_ipv6_prefix *p)
{
	uint32_t i;

	for (i = 1; i < VXLAN_ROUTE_MAX; i++)
		if (vxlan_dp.route[i] != NULL && route_keys[i].vrf == vrf &&
		    route_keys[i].v6 && route_keys[i].len == p->len &&
		    memcmp(route_keys[i].prefix6, p->addr, 16) == 0)
			return i;
	return 0;
}

/* A route slot to (@p remote or @p remote6, @p vni) published under
 * @p key: its index, or -ENOSPC. The FIB route comes after, pointing at
 * it. */
static int
route_slot_take(uint32_t remote, const uint8_t *remote6, uint32_t vni,
		const uint8_t *inner_mac, const struct route_key *key)
{
	struct vxlan_route *r;
	uint32_t i;

	for (i = 1; i < VXLAN_ROUTE_MAX && vxlan_dp.route[i] != NULL; i++)
		;
	if (i == VXLAN_ROUTE_MAX || (r = calloc(1, sizeof(*r))) == NULL)
		return -ENOSPC;
	r->tunnel = vxlan_tunnel_ref_either(remote, remote6, vni, 0);
	memcpy(r->inner_dst.addr_bytes, inner_mac, 6);
	if (r->tunnel == 0) {
		free(r);
		return -ENOSPC;
	}
	route_keys[i] = *key;
	__atomic_store_n(&vxlan_dp.route[i], r, __ATOMIC_RELEASE);
	return (int)i;
}

/* Unpublish route slot @p i (its FIB route already gone). */
static void
route_slot_free(uint32_t i)
{
	struct vxlan_route *r = vxlan_dp.route[i];

	__atomic_store_n(&vxlan_dp.route[i], NULL, __ATOMIC_RELEASE);
	vxlan_sync();
	vxlan_tunnel_unref(r->tunnel);
	free(r);
}

int
vxlan_route_install(const void *row)
{
	const struct vxlan_route_conf *rc = row;
	int vrf = vrf_find(rc->vrf), i, err;
	struct route_key key = { .prefix = rc->prefix.addr,
		.len = rc->prefix.len };

	if (vrf < 0)
		return -ENOENT;
	key.vrf = (uint16_t)vrf;
	i = route_slot_take(rc->remote, rc->remote6, rc->vni, rc->inner_mac,
			    &key);
	if (i < 0)
		return i;
	err = route_add_ext((unsigned int)vrf, rc->prefix.addr, rc->prefix.len,
			    (unsigned int)vxlan_ext_type, (uint32_t)i);
	if (err < 0)
		vxlan_route_uninstall(rc);
	return err;
}

void
vxlan_route_uninstall(const void *row)
{
	const struct vxlan_route_conf *rc = row;
	int vrf = vrf_find(rc->vrf);
	uint32_t i = route_find(vrf, &rc->prefix);

	if (i == 0)
		return;
	route_del((unsigned int)vrf, rc->prefix.addr, rc->prefix.len);
	route_slot_free(i);
}

int
vxlan_route6_install(const void *row)
{
	const struct vxlan_route6_conf *rc = row;
	int vrf = vrf_find(rc->vrf), i, err;
	struct route_key key = { .v6 = true, .len = rc->prefix.len };

	if (vrf < 0)
		return -ENOENT;
	key.vrf = (uint16_t)vrf;
	memcpy(key.prefix6, rc->prefix.addr, 16);
	i = route_slot_take(rc->remote, rc->remote6, rc->vni, rc->inner_mac,
			    &key);
	if (i < 0)
		return i;
	err = route6_add_ext((unsigned int)vrf, rc->prefix.addr,
			     rc->prefix.len, (unsigned int)vxlan_ext6_type,
			     (uint32_t)i);
	if (err < 0)
		vxlan_route6_uninstall(rc);
	return err;
}

void
vxlan_route6_uninstall(const void *row)
{
	const struct vxlan_route6_conf *rc = row;
	int vrf = vrf_find(rc->vrf);
	uint32_t i = route6_find(vrf, &rc->prefix);

	if (i == 0)
		return;
	route6_del_ext((unsigned int)vrf, rc->prefix.addr, rc->prefix.len,
		       (unsigned int)vxlan_ext6_type);
	route_slot_free(i);
}

bool
vxlan_has_local6(const struct vxlan_conf *vc)
{
	static const uint8_t zero[16];

	return memcmp(vc->local6, zero, sizeof(zero)) != 0;
}

static void
params_apply(const struct vxlan_conf *vc)
{
	vxlan_dp.p.local = vc->local;
	memcpy(vxlan_dp.p.local6, vc->local6, sizeof(vxlan_dp.p.local6));
	vxlan_dp.p.udp_port = vc->udp_port;
	vxlan_dp.p.ttl = vc->ttl;
	vxlan_dp.p.ttl_copy = vc->ttl_mode == VXLAN_COPY;
	vxlan_dp.p.tos = (uint8_t)(vc->dscp << 2);
	vxlan_dp.p.tos_copy = vc->dscp_mode == VXLAN_COPY;
	vxlan_underlay_vrf = vrf_find(vc->underlay_vrf);
}

static void
ext_format(uint32_t value, char *buf, size_t len)
{
	const struct vxlan_route *r = value < VXLAN_ROUTE_MAX ?
		vxlan_dp.route[value] : NULL;
	const struct vxlan_tunnel *t = r == NULL ? NULL :
		vxlan_dp.tun[r->tunnel];
	char ip[VXLAN_IP_LEN];

	if (t == NULL) {
		snprintf(buf, len, "vxlan (removed)");
		return;
	}
	snprintf(buf, len, "vxlan vtep %s vni %u",
		 vxlan_tunnel_remote_format(t, ip, sizeof(ip)), t->vni);
}

static int
hooks_register(const struct vxlan_conf *vc)
{
	int rc = iface_l2_register(BRIDGE_NODE);

	if (rc == 0)
		rc = vxlan_node_edges_add();
	if (rc == 0) {
		vxlan_ext_type = route_ext_register(ROUTE_NODE, ext_format);
		rc = vxlan_ext_type < 0 ? vxlan_ext_type : 0;
	}
	if (rc == 0) {
		vxlan_ext6_type = route6_ext_register(ROUTE_NODE, ext_format);
		rc = vxlan_ext6_type < 0 ? vxlan_ext6_type : 0;
	}
	/* Without a local VTEP address the UDP port stays ferry's. */
	if (rc == 0 && vc->local != 0) {
		rc = route_local_register(IPPROTO_UDP, vc->udp_port,
					  DECAP_NODE);
		if (rc == -EEXIST)
			rc = 0; /* a second setup in the same process */
	}
	if (rc == 0 && vxlan_has_local6(vc)) {
		rc = route6_local_udp_register(vc->udp_port, DECAP6_NODE);
		if (rc == -EEXIST)
			rc = 0;
	}
	return rc;
}

int
vxlan_setup(struct cfg_model *model)
{
	const struct vxlan_conf *vc = cfg_model_section(model, "vxlan");
	int rc;

	if (vc == NULL)
		return -EINVAL;
	vxlan_model = model;
	params_apply(vc);
	rc = vxlan_tables_create();
	if (rc == 0)
		rc = vxlan_stats_setup();
	if (rc == 0)
		rc = hooks_register(vc);
	/* the rows: the start-up change, through vxlan_rows.c's ops */
	if (rc < 0)
		VXLAN_LOG(ERR, "setup failed: %s", rte_strerror(-rc));
	return rc;
}

void
vxlan_teardown(void)
{
	const struct vxlan_conf *vc = vxlan_conf();
	unsigned int i;

	if (vc != NULL && vxlan_dp.vni != NULL) {
		for (i = 0; i < vc->tunnel_routes.n; i++)
			vxlan_route_uninstall((const struct vxlan_route_conf *)
					      vc->tunnel_routes.items + i);
		for (i = 0; i < vc->tunnel_routes6.n; i++)
			vxlan_route6_uninstall(
				(const struct vxlan_route6_conf *)
				vc->tunnel_routes6.items + i);
		for (i = 0; i < VXLAN_BD_MAX; i++)
			vxlan_bd_uninstall(i);
	}
	vxlan_tables_free();
	vxlan_stats_teardown();
	memset(route_keys, 0, sizeof(route_keys));
	vxlan_underlay_vrf = -1;
	vxlan_model = NULL;
}

void
vxlan_control_poll(uint64_t now_ms)
{
	struct vxlan_learn ev[LEARN_BURST];
	uint32_t now_s = (uint32_t)(now_ms / 1000);
	unsigned int n, i;

	if (vxlan_dp.learn == NULL)
		return;
	__atomic_store_n(&vxlan_dp.now_s, now_s, __ATOMIC_RELAXED);
	n = rte_ring_sc_dequeue_burst_elem(vxlan_dp.learn, ev, sizeof(ev[0]),
					   LEARN_BURST, NULL);
	for (i = 0; i < n; i++)
		vxlan_mac_learn(&ev[i]);
	if (now_s != last_sweep_s) {
		last_sweep_s = now_s;
		vxlan_mac_age(now_s);
		vxlan_tunnels_refresh();
	}
}

const struct ferry_module vxlan_module = {
	.name = "VXLAN",
	.sections = (const struct cfg_section *const[]){ &vxlan_cfg_section,
							 NULL },
	.setup = vxlan_setup,
	.cli_register = vxlan_cli_register, /* uses route's <mac-address> */
	.control_poll = vxlan_control_poll,
	.teardown = vxlan_teardown,
};
