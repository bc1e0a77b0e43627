/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tables workers read (vxlan_priv.h) and the tunnels: one per
 * (remote VTEP, VNI), shared by flood lists, learned MACs and tunnel
 * routes, counted, with the underlay next hop resolved by route lookup
 * in the underlay VRF and pinned (route_nbr_pin) so ARP resolves it
 * without waiting for traffic. Management lcore only.
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "cli.h"
#include "vxlan_priv.h"

struct vxlan_dp vxlan_dp;
static uint32_t tun_refs[VXLAN_TUN_MAX];
int vxlan_underlay_vrf = -1;

FERRY_LOG_REGISTER(vxlan_logtype, vxlan, INFO);

void
vxlan_sync(void)
{
	if (graph_rcu() != NULL)
		rte_rcu_qsbr_synchronize(graph_rcu(), RTE_QSBR_THRID_INVALID);
}

void
vxlan_hash_del(struct rte_hash *h, const void *key)
{
	int pos = rte_hash_del_key(h, key);

	/* With an RCU defer queue the hash frees the slot by itself. */
	if (pos >= 0 && graph_rcu() == NULL)
		rte_hash_free_key_with_position(h, pos);
}

static struct rte_hash *
hash_create(const char *name, uint32_t entries, uint32_t key_len)
{
	struct rte_hash_parameters prm = {
		.name = name,
		.entries = entries,
		.key_len = key_len,
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rcfg = {
		.v = graph_rcu(),
		.mode = RTE_HASH_QSBR_MODE_DQ,
	};
	struct rte_hash *h = rte_hash_create(&prm);

	if (h != NULL && rcfg.v != NULL && rte_hash_rcu_qsbr_add(h, &rcfg)) {
		rte_hash_free(h);
		return NULL;
	}
	return h;
}

int
vxlan_tables_create(void)
{
	vxlan_dp.vni = hash_create("ferry_vxlan_vni", 1024, sizeof(uint32_t));
	vxlan_dp.mac = hash_create("ferry_vxlan_mac", VXLAN_MACS_MAX,
				   sizeof(struct vxlan_mac_key));
	if (vxlan_dp.vni == NULL || vxlan_dp.mac == NULL)
		return -ENOMEM;
	vxlan_dp.mac_seen = rte_zmalloc("ferry_vxlan_seen", sizeof(uint32_t) *
		(rte_hash_max_key_id(vxlan_dp.mac) + 1), RTE_CACHE_LINE_SIZE);
	vxlan_dp.learn = rte_ring_create_elem("ferry_vxlan_learn",
		sizeof(struct vxlan_learn), VXLAN_LEARN_RING,
		(int)rte_socket_id(), RING_F_SC_DEQ);
	if (vxlan_dp.mac_seen == NULL || vxlan_dp.learn == NULL)
		return -ENOMEM;
	/* the clock of vxlan_control_poll() */
	vxlan_dp.now_s = (uint32_t)(cli_now_ms() / 1000);
	return 0;
}

void
vxlan_tables_free(void)
{
	unsigned int i;

	for (i = 0; i < VXLAN_ROUTE_MAX; i++)
		free(vxlan_dp.route[i]);
	for (i = 0; i < VXLAN_BD_MAX; i++)
		free(vxlan_dp.bd[i]);
	for (i = 0; i < VXLAN_TUN_MAX; i++) {
		if (vxlan_dp.tun[i] != NULL &&
		    vxlan_dp.tun[i]->nbr != ROUTE_NBR_NONE)
			route_nbr_unpin(vxlan_dp.tun[i]->nbr);
		free(vxlan_dp.tun[i]);
	}
	rte_hash_free(vxlan_dp.vni);
	rte_hash_free(vxlan_dp.mac);
	rte_free(vxlan_dp.mac_seen);
	rte_ring_free(vxlan_dp.learn);
	memset(&vxlan_dp, 0, sizeof(vxlan_dp));
	memset(tun_refs, 0, sizeof(tun_refs));
	memset(vxlan_mac_stats, 0, sizeof(vxlan_mac_stats));
}

/* Underlay path of IPv6 tunnel @p t: the egress interface the FIB
 * gives now (ferry_ip6_lookup chooses per packet; ND resolves). */
static void
tunnel6_resolve(struct vxlan_tunnel *t)
{
	unsigned int iface;

	t->nbr = ROUTE_NBR_NONE;
	t->iface = 0;
	memset(t->via6, 0, sizeof(t->via6));
	if (vxlan_underlay_vrf >= 0 &&
	    route6_resolve((unsigned int)vxlan_underlay_vrf, t->remote6,
			   &iface, t->via6) == 0)
		t->iface = (uint16_t)iface;
}

/* Underlay path of @p t: egress interface and pinned next hop. */
static void
tunnel_resolve(struct vxlan_tunnel *t)
{
	unsigned int iface;
	uint32_t via;

	if (t->remote == 0) {
		tunnel6_resolve(t);
		return;
	}
	t->nbr = ROUTE_NBR_NONE;
	t->iface = 0;
	t->via = 0;
	if (vxlan_underlay_vrf < 0 ||
	    route_resolve((unsigned int)vxlan_underlay_vrf, t->remote, &iface,
			  &via) < 0)
		return;
	t->nbr = route_nbr_pin(iface, via);
	if (t->nbr != ROUTE_NBR_NONE) {
		t->iface = (uint16_t)iface;
		t->via = via;
	}
}

/* Tunnel index to (remote, remote6) for @p vni with one more user. */
static uint32_t
tunnel_ref(uint32_t remote, const uint8_t *remote6, uint32_t vni,
	   uint16_t bd)
{
	struct vxlan_tunnel *t;
	uint32_t i, free_idx = 0;

	for (i = 1; i < VXLAN_TUN_MAX; i++) {
		t = vxlan_dp.tun[i];
		if (t != NULL && vxlan_tunnel_is(t, remote, remote6) &&
		    t->vni == vni) {
			tun_refs[i]++;
			return i;
		}
		if (t == NULL && free_idx == 0)
			free_idx = i;
	}
	if (free_idx == 0)
		return 0;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return 0;
	t->remote = remote;
	if (remote == 0)
		memcpy(t->remote6, remote6, sizeof(t->remote6));
	t->vni = vni;
	t->bd = bd;
	tunnel_resolve(t);
	tun_refs[free_idx] = 1;
	stats_ctr_zero(&vxlan_tun_ctr, free_idx); /* a new tunnel starts at 0 */
	__atomic_store_n(&vxlan_dp.tun[free_idx], t, __ATOMIC_RELEASE);
	return free_idx;
}

uint32_t
vxlan_tunnel_ref(uint32_t remote, uint32_t vni, uint16_t bd)
{
	return remote == 0 ? 0 : tunnel_ref(remote, NULL, vni, bd);
}

uint32_t
vxlan_tunnel_ref6(const uint8_t *remote6, uint32_t vni, uint16_t bd)
{
	static const uint8_t zero[16];

	if (memcmp(remote6, zero, sizeof(zero)) == 0)
		return 0;
	return tunnel_ref(0, remote6, vni, bd);
}

uint32_t
vxlan_tunnel_ref_either(uint32_t remote, const uint8_t *remote6,
			uint32_t vni, uint16_t bd)
{
	return remote != 0 ? vxlan_tunnel_ref(remote, vni, bd) :
			     vxlan_tunnel_ref6(remote6, vni, bd);
}

uint32_t
vxlan_tunnel_ref_text(const char *ip, uint32_t vni, uint16_t bd)
{
	uint8_t a6[16];
	uint32_t a;

	if (cfg_parse_ipv4(ip, &a) == 0)
		return vxlan_tunnel_ref(a, vni, bd);
	if (cfg_parse_ipv6(ip, a6) == 0)
		return vxlan_tunnel_ref6(a6, vni, bd);
	return 0;
}

const char *
vxlan_tunnel_remote_format(const struct vxlan_tunnel *t, char *buf,
			   size_t len)
{
	return t->remote != 0 ? cfg_format_ipv4(t->remote, buf, len) :
				cfg_format_ipv6(t->remote6, buf, len);
}

void
vxlan_tunnel_unref(uint32_t idx)
{
	struct vxlan_tunnel *t = vxlan_dp.tun[idx];

	if (t == NULL || --tun_refs[idx] > 0)
		return;
	__atomic_store_n(&vxlan_dp.tun[idx], NULL, __ATOMIC_RELEASE);
	vxlan_sync();
	if (t->nbr != ROUTE_NBR_NONE)
		route_nbr_unpin(t->nbr);
	free(t);
}

uint32_t
vxlan_tunnel_refs(uint32_t idx)
{
	return idx < VXLAN_TUN_MAX ? tun_refs[idx] : 0;
}

/* Publish @p n in place of tunnel @p i (@p t), which is freed after a
 * grace period. */
static void
tunnel_replace(uint32_t i, struct vxlan_tunnel *t, struct vxlan_tunnel *n)
{
	__atomic_store_n(&vxlan_dp.tun[i], n, __ATOMIC_RELEASE);
	vxlan_sync();
	if (t->nbr != ROUTE_NBR_NONE)
		route_nbr_unpin(t->nbr);
	free(t);
}

/* An IPv6 tunnel whose FIB next hop changed (show, MTU). */
static void
tunnel6_refresh(uint32_t i, struct vxlan_tunnel *t)
{
	struct vxlan_tunnel *n, probe = *t;

	tunnel6_resolve(&probe);
	if (probe.iface == t->iface &&
	    memcmp(probe.via6, t->via6, sizeof(probe.via6)) == 0)
		return;
	n = malloc(sizeof(*n));
	if (n == NULL)
		return;
	*n = probe;
	tunnel_replace(i, t, n);
}

void
vxlan_tunnels_refresh(void)
{
	struct vxlan_tunnel *t, *n;
	unsigned int iface;
	uint32_t i, via;
	int rc;

	for (i = 1; i < VXLAN_TUN_MAX; i++) {
		t = vxlan_dp.tun[i];
		if (t == NULL)
			continue;
		if (t->remote == 0) {
			tunnel6_refresh(i, t);
			continue;
		}
		rc = vxlan_underlay_vrf < 0 ? -EINVAL :
			route_resolve((unsigned int)vxlan_underlay_vrf,
				      t->remote, &iface, &via);
		if (rc == 0 ? t->nbr != ROUTE_NBR_NONE && t->iface == iface &&
			      t->via == via : t->nbr == ROUTE_NBR_NONE)
			continue; /* unchanged */
		n = malloc(sizeof(*n));
		if (n == NULL)
			continue;
		*n = *t;
		tunnel_resolve(n);
		tunnel_replace(i, t, n);
	}
}
