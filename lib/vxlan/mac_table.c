/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MAC table of every bridge domain, written by the management lcore
 * only: learn events queued by workers (new or moved MACs), static
 * entries, aging and clearing. An entry's location word is published
 * with rte_hash_add_key_data (one atomic store of the data pointer in
 * lock-free mode); deleted keys are reused after an RCU grace period
 * (the hash's RCU defer queue). Remote entries hold a reference on their
 * tunnel, dropped when the entry goes.
 */
#include <errno.h>
#include <stdlib.h>

#include "vxlan_priv.h"

struct vxlan_mac_stats vxlan_mac_stats[VXLAN_BD_MAX];

static void
loc_release(uint64_t loc)
{
	if (VXLAN_LOC_KIND(loc) == VXLAN_LOC_TUNNEL)
		vxlan_tunnel_unref(VXLAN_LOC_IDX(loc));
}

/*
 * Set (bd, mac) to @p loc; a tunnel in @p loc carries a reference the
 * entry takes over (released here on failure).
 */
int
vxlan_mac_set(uint16_t bd, const uint8_t mac[6], uint64_t loc)
{
	struct vxlan_mac_stats *st = &vxlan_mac_stats[bd];
	struct vxlan_mac_key k;
	void *old = NULL;
	bool existed;
	int pos;

	vxlan_mac_key_set(&k, bd, mac);
	existed = rte_hash_lookup_data(vxlan_dp.mac, &k, &old) >= 0;
	pos = rte_hash_add_key_data(vxlan_dp.mac, &k, (void *)(uintptr_t)loc);
	if (pos < 0) {
		loc_release(loc);
		return pos;
	}
	pos = rte_hash_lookup(vxlan_dp.mac, &k);
	if (pos >= 0)
		vxlan_dp.mac_seen[pos] = vxlan_dp.now_s;
	if (existed) {
		if (((uint64_t)(uintptr_t)old & VXLAN_LOC_STATIC) == 0)
			st->learned--;
		loc_release((uint64_t)(uintptr_t)old);
	} else {
		st->entries++;
	}
	if ((loc & VXLAN_LOC_STATIC) == 0)
		st->learned++;
	return 0;
}

int
vxlan_mac_del(uint16_t bd, const uint8_t mac[6])
{
	struct vxlan_mac_stats *st = &vxlan_mac_stats[bd];
	struct vxlan_mac_key k;
	void *data;
	uint64_t loc;

	vxlan_mac_key_set(&k, bd, mac);
	if (rte_hash_lookup_data(vxlan_dp.mac, &k, &data) < 0)
		return -ENOENT;
	vxlan_hash_del(vxlan_dp.mac, &k);
	loc = (uint64_t)(uintptr_t)data;
	st->entries--;
	if ((loc & VXLAN_LOC_STATIC) == 0)
		st->learned--;
	loc_release(loc);
	return 0;
}

void
vxlan_mac_learn(const struct vxlan_learn *ev)
{
	const struct vxlan_bd_conf *bc = vxlan_bd_conf_find(ev->bd);
	const struct vxlan_bd *bd = vxlan_dp.bd[ev->bd];
	struct vxlan_mac_stats *st = &vxlan_mac_stats[ev->bd];
	struct rte_ether_addr mac;
	uint64_t w, loc;
	uint32_t tun;

	if (bd == NULL || bc == NULL)
		return; /* the bridge domain went away meanwhile */
	memcpy(mac.addr_bytes, ev->mac, sizeof(ev->mac));
	w = vxlan_mac_find(ev->bd, &mac);
	if (w != 0 && ((w & VXLAN_LOC_STATIC) ||
		       vxlan_loc_is(w, ev->kind, ev->value, ev->remote6)))
		return; /* static, or an earlier event learned it */
	if (w == 0 && st->learned >= bc->mac_limit) {
		st->full++;
		return;
	}
	if (ev->kind == VXLAN_LOC_IFACE) {
		if (ev->value >= iface_count() ||
		    iface_get(ev->value)->l2_domain != ev->bd)
			return; /* left the bridge domain meanwhile */
		loc = VXLAN_LOC(VXLAN_LOC_IFACE, ev->value);
	} else {
		tun = vxlan_tunnel_ref_either(ev->value, ev->remote6, bd->vni,
					      ev->bd);
		if (tun == 0)
			return;
		loc = VXLAN_LOC(VXLAN_LOC_TUNNEL, tun);
	}
	if (w != 0)
		st->moves++;
	vxlan_mac_set(ev->bd, ev->mac, loc);
}

/* Keys of the entries @p keep rejects, collected before deleting. */
static unsigned int
mac_delete_where(bool (*drop)(const struct vxlan_mac_key *k, uint64_t loc,
			      int pos, void *arg), void *arg)
{
	unsigned int n_keys = 0, cap = 0, i;
	struct vxlan_mac_key *keys = NULL, *nk;
	const void *key;
	uint32_t next = 0;
	void *data;
	int pos;

	while ((pos = rte_hash_iterate(vxlan_dp.mac, &key, &data,
				       &next)) >= 0) {
		if (!drop(key, (uint64_t)(uintptr_t)data, pos, arg))
			continue;
		if (n_keys == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			nk = realloc(keys, cap * sizeof(*keys));
			if (nk == NULL)
				break; /* the rest goes at the next sweep */
			keys = nk;
		}
		keys[n_keys++] = *(const struct vxlan_mac_key *)key;
	}
	for (i = 0; i < n_keys; i++)
		vxlan_mac_del(keys[i].bd, keys[i].mac);
	free(keys);
	return n_keys;
}

struct flush_arg {
	uint16_t bd;
	bool learned_only;
};

static bool
flush_match(const struct vxlan_mac_key *k, uint64_t loc, int pos, void *arg)
{
	const struct flush_arg *a = arg;

	RTE_SET_USED(pos);
	if (a->bd != 0 && k->bd != a->bd)
		return false;
	return !a->learned_only || (loc & VXLAN_LOC_STATIC) == 0;
}

unsigned int
vxlan_mac_flush(uint16_t bd, bool learned_only)
{
	struct flush_arg a = { .bd = bd, .learned_only = learned_only };

	return mac_delete_where(flush_match, &a);
}

static bool
aged(const struct vxlan_mac_key *k, uint64_t loc, int pos, void *arg)
{
	const struct vxlan_bd_conf *bc = vxlan_bd_conf_find(k->bd);
	uint32_t now = *(const uint32_t *)arg;
	uint32_t seen = __atomic_load_n(&vxlan_dp.mac_seen[pos],
					__ATOMIC_RELAXED);

	if ((loc & VXLAN_LOC_STATIC) || bc == NULL || bc->aging == 0)
		return false;
	return now - seen >= bc->aging;
}

void
vxlan_mac_age(uint32_t now_s)
{
	mac_delete_where(aged, &now_s);
}
