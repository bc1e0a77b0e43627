/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 neighbour table (RFC 4861 7.3): the same states and the same
 * lock-free shape as the ARP table (nbr.c). INCOMPLETE while
 * solicitations go out (1 s apart, RFC 4861 10 RETRANS_TIMER, nd_retries
 * of them, at most nd_hold packets waiting), REACHABLE once a solicited
 * advertisement confirms it, STALE after nd_reachable seconds or when
 * learned unasked (RFC 4861 7.2.3): still used, and probed with unicast
 * solicitations; unanswered probes end in INCOMPLETE for a next hop
 * routes use, in deletion for a plain host. Management lcore only.
 */
#include <errno.h>
#include <string.h>

#include <rte_jhash.h>
#include <rte_malloc.h>

#include "route6_priv.h"

#define ND_RETRY_MS 1000
#define ND_DELAY_MS 5000 /* RFC 4861 10 DELAY_FIRST_PROBE_TIME */

struct nd6 *nd_table;
struct rte_hash *nd_hash;
static uint32_t n_slots;

uint32_t
nd_slots(void)
{
	return n_slots;
}

int
nd_table_create(uint32_t max, struct rte_rcu_qsbr *rcu)
{
	struct rte_hash_parameters prm = {
		.name = "ferry_nd",
		.entries = max,
		.key_len = sizeof(struct nd_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rcfg = {
		.v = rcu,
		.mode = RTE_HASH_QSBR_MODE_DQ,
	};

	nd_hash = rte_hash_create(&prm);
	if (nd_hash == NULL)
		return -ENOMEM;
	if (rcu != NULL && rte_hash_rcu_qsbr_add(nd_hash, &rcfg) != 0)
		return -EINVAL;
	n_slots = rte_hash_max_key_id(nd_hash) + 1;
	nd_table = rte_zmalloc("ferry_nd", sizeof(*nd_table) * n_slots,
			       RTE_CACHE_LINE_SIZE);
	return nd_table == NULL ? -ENOMEM : 0;
}

static void
nd_hold_drop(struct nd6 *n, enum drop_reason why)
{
	unsigned int i;

	for (i = 0; i < n->n_hold; i++)
		graph_control_drop(n->hold[i], why);
	n->n_hold = 0;
}

void
nd_table_free(void)
{
	uint32_t i;

	for (i = 0; nd_table != NULL && i < n_slots; i++)
		nd_hold_drop(&nd_table[i], DROP_ND_UNRESOLVED);
	rte_hash_free(nd_hash);
	rte_free(nd_table);
	nd_hash = NULL;
	nd_table = NULL;
	n_slots = 0;
}

uint32_t
nd_get(uint16_t iface, const uint8_t *ip)
{
	struct nd_key key = {.iface = iface};
	struct nd6 *n;
	int pos;

	memcpy(key.ip, ip, 16);
	pos = rte_hash_lookup(nd_hash, &key);
	if (pos >= 0)
		return (uint32_t)pos;
	pos = rte_hash_add_key(nd_hash, &key);
	if (pos < 0 || (uint32_t)pos >= n_slots)
		return NBR_NONE;
	n = &nd_table[pos];
	memset(n, 0, sizeof(*n));
	memcpy(n->ip, ip, 16);
	n->iface = iface;
	n->in_use = 1;
	__atomic_store_n(&n->mac_state, 0, __ATOMIC_RELEASE);
	return (uint32_t)pos;
}

static void
nd_delete(uint32_t slot)
{
	struct nd6 *n = &nd_table[slot];
	struct nd_key key = {.iface = n->iface};

	memcpy(key.ip, n->ip, 16);
	nd_hold_drop(n, DROP_ND_UNRESOLVED);
	n->in_use = 0;
	rte_hash_del_key(nd_hash, &key);
}

/* Held packets go back to a worker to be routed again (inject ring:
 * packet_type IPv6 takes them to ferry_ip6_lookup). */
static void
nd_release(uint32_t slot)
{
	struct nd6 *n = &nd_table[slot];
	unsigned int i;

	for (i = 0; i < n->n_hold; i++) {
		pkt_md(n->hold[i])->flags &= ~PKT_F_INJECT_L2;
		if (graph_inject_by(slot, n->hold[i]) != 0)
			graph_control_drop(n->hold[i], DROP_PUNT_FULL);
	}
	n->n_hold = 0;
}

void
nd_learn(uint32_t slot, const struct rte_ether_addr *mac, enum nbr_state st,
	 uint64_t now_ms)
{
	struct nd6 *n = &nd_table[slot];

	if (n->is_static)
		return;
	__atomic_store_n(&n->mac_state, nbr_word(mac, st), __ATOMIC_RELEASE);
	n->updated_ms = now_ms;
	n->probes = 0;
	nd_release(slot);
}

void
nd_hold(uint32_t slot, struct rte_mbuf *m, uint64_t now_ms)
{
	struct nd6 *n = &nd_table[slot];
	uint64_t w = __atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE);

	if (nbr_word_state(w) != NBR_INCOMPLETE) {
		n->hold[n->n_hold++] = m;
		nd_release(slot);
		return;
	}
	if (n->n_hold >= RTE_MIN(route_ip6_conf.nd_hold, ND_HOLD_MAX))
		graph_control_drop(m, route_ip6_conf.nd_hold == 0
					      ? DROP_ND_UNRESOLVED
					      : DROP_ND_HOLD_FULL);
	else
		n->hold[n->n_hold++] = m;
	if (n->probes == 0) {
		n->probes = 1;
		n->probed_ms = now_ms;
		nd_solicit_send(n->iface, n->ip, false, NULL);
	}
}

int
nd_add_static(unsigned int iface, const uint8_t *ip,
	      const struct rte_ether_addr *mac)
{
	uint32_t slot;

	if (iface >= iface_count() || ip6_is_multicast(ip) ||
	    ip6_is_unspecified(ip))
		return -EINVAL;
	slot = nd_get((uint16_t)iface, ip);
	if (slot == NBR_NONE)
		return -ENOSPC;
	nd_table[slot].is_static = 0;
	nd_learn(slot, mac, NBR_REACHABLE, 0);
	nd_table[slot].is_static = 1;
	return 0;
}

int
nd_del_static(unsigned int iface, const uint8_t *ip)
{
	uint32_t slot = iface < iface_count() ? nd_lookup((uint16_t)iface, ip)
					      : NBR_NONE;
	struct nd6 *n;

	if (slot == NBR_NONE || !nd_table[slot].is_static)
		return -ENOENT;
	n = &nd_table[slot];
	n->is_static = 0;
	if (n->refcnt == 0) {
		nd_delete(slot);
		return 0;
	}
	__atomic_store_n(&n->mac_state, n->mac_state & NBR_MAC_MASK,
			 __ATOMIC_RELEASE);
	n->probes = 0;
	return 0;
}

static void
nd_give_up(uint32_t slot)
{
	struct nd6 *n = &nd_table[slot];

	if (n->refcnt == 0) {
		nd_delete(slot);
		return;
	}
	__atomic_store_n(&n->mac_state, n->mac_state & NBR_MAC_MASK,
			 __ATOMIC_RELEASE);
	nd_hold_drop(n, DROP_ND_UNRESOLVED);
	n->probes = 0;
}

static void
nd_age_one(uint32_t slot, uint64_t now_ms)
{
	struct nd6 *n = &nd_table[slot];
	enum nbr_state st = nbr_word_state(n->mac_state);
	struct rte_ether_addr mac;

	if (st == NBR_REACHABLE) {
		if (now_ms - n->updated_ms <
		    route_ip6_conf.nd_reachable * 1000ull)
			return;
		__atomic_store_n(&n->mac_state,
				 (n->mac_state & NBR_MAC_MASK) |
					 (uint64_t)NBR_STALE << 48,
				 __ATOMIC_RELEASE);
		n->probes = 0;
	}
	if (st == NBR_INCOMPLETE && n->probes == 0)
		return;
	/* RFC 4861 7.3.3: STALE waits (DELAY) before the first probe */
	if (st == NBR_STALE && n->probes == 0 &&
	    now_ms - n->updated_ms < ND_DELAY_MS)
		return;
	if (n->probes != 0 && now_ms - n->probed_ms < ND_RETRY_MS)
		return;
	if (n->probes >= route_ip6_conf.nd_retries) {
		nd_give_up(slot);
		return;
	}
	n->probes++;
	n->probed_ms = now_ms;
	/* RFC 4861 7.3.3: a STALE entry is probed by unicast. */
	memcpy(mac.addr_bytes, &n->mac_state, RTE_ETHER_ADDR_LEN);
	nd_solicit_send(n->iface, n->ip, st != NBR_INCOMPLETE, &mac);
}

void
nd_timer(uint64_t now_ms)
{
	uint32_t i;

	for (i = 0; i < n_slots; i++)
		if (nd_table[i].in_use && !nd_table[i].is_static)
			nd_age_one(i, now_ms);
}
