/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The neighbour (ARP) table: state machine, aging and the packets held
 * while a neighbour resolves. Management lcore only; workers only look
 * entries up (nbr_lookup) and read their MAC/state word.
 *
 * States follow what operators know from Linux: INCOMPLETE while ARP
 * requests go out (1 s apart, arp_retries of them, at most arp_hold
 * packets waiting), REACHABLE once answered, STALE after arp_timeout:
 * still used, but probed again; unanswered probes end in INCOMPLETE for
 * a next hop routes point at, or in deletion for a plain host. A slot
 * pinned by another library (route_nbr_pin(), lib/mpls next hops) is
 * probed while INCOMPLETE even with no packet waiting: that library
 * drops its packets instead of handing them over to be held, so nothing
 * else would ever start the resolution.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_jhash.h>

#include "route_priv.h"

#define ARP_RETRY_MS 1000

struct nbr *nbr_table;
struct rte_hash *nbr_hash;
static uint32_t nbr_slots;
struct route_nbr_words route_nbr_words;

int
nbr_table_create(uint32_t max, struct rte_rcu_qsbr *rcu)
{
	struct rte_hash_parameters prm = {
		.name = "ferry_nbr",
		.entries = max,
		.key_len = sizeof(struct nbr_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rcfg = {
		.v = rcu,
		.mode = RTE_HASH_QSBR_MODE_DQ,
	};

	nbr_hash = rte_hash_create(&prm);
	if (nbr_hash == NULL)
		return -ENOMEM;
	/* Deleted slots are reused only after every worker moved on. */
	if (rcu != NULL && rte_hash_rcu_qsbr_add(nbr_hash, &rcfg) != 0)
		return -EINVAL;
	nbr_slots = rte_hash_max_key_id(nbr_hash) + 1;
	nbr_table = rte_zmalloc("ferry_nbr", sizeof(*nbr_table) * nbr_slots,
				RTE_CACHE_LINE_SIZE);
	if (nbr_table == NULL)
		return -ENOMEM;
	/* route.h reads "state 0" as unresolved. */
	RTE_BUILD_BUG_ON(NBR_INCOMPLETE != 0);
	route_nbr_words.base = (const uint8_t *)&nbr_table[0].mac_state;
	route_nbr_words.stride = sizeof(*nbr_table);
	return 0;
}

static void
nbr_hold_drop(struct nbr *n, enum drop_reason why)
{
	unsigned int i;

	for (i = 0; i < n->n_hold; i++)
		graph_control_drop(n->hold[i], why);
	n->n_hold = 0;
}

void
nbr_table_free(void)
{
	uint32_t i;

	for (i = 0; nbr_table != NULL && i < nbr_slots; i++)
		nbr_hold_drop(&nbr_table[i], DROP_ARP_UNRESOLVED);
	rte_hash_free(nbr_hash);
	rte_free(nbr_table);
	nbr_hash = NULL;
	nbr_table = NULL;
	memset(&route_nbr_words, 0, sizeof(route_nbr_words));
}

uint32_t
nbr_get(uint16_t iface, uint32_t ip)
{
	struct nbr_key key = { .ip = ip, .iface = iface };
	struct nbr *n;
	int pos;

	pos = rte_hash_lookup(nbr_hash, &key);
	if (pos >= 0)
		return (uint32_t)pos;
	pos = rte_hash_add_key(nbr_hash, &key);
	if (pos < 0 || (uint32_t)pos >= nbr_slots)
		return NBR_NONE;
	n = &nbr_table[pos];
	memset(n, 0, sizeof(*n));
	n->ip = ip;
	n->iface = iface;
	n->in_use = 1;
	__atomic_store_n(&n->mac_state, 0, __ATOMIC_RELEASE);
	route_epoch_bump(); /* a connected destination has a slot now */
	return (uint32_t)pos;
}

static void
nbr_delete(uint32_t slot)
{
	struct nbr *n = &nbr_table[slot];
	struct nbr_key key = { .ip = n->ip, .iface = n->iface };

	nbr_hold_drop(n, DROP_ARP_UNRESOLVED);
	n->in_use = 0;
	route_epoch_bump(); /* tunnels' cached slots (route_out.c) */
	rte_hash_del_key(nbr_hash, &key);
}

/* Hand held packets back to a worker to be routed again. */
static void
nbr_release(uint32_t slot)
{
	struct nbr *n = &nbr_table[slot];
	unsigned int i;

	for (i = 0; i < n->n_hold; i++) {
		pkt_md(n->hold[i])->flags &= ~PKT_F_INJECT_L2;
		if (graph_inject_by(slot, n->hold[i]) != 0)
			graph_control_drop(n->hold[i], DROP_PUNT_FULL);
	}
	n->n_hold = 0;
}

void
nbr_learn(uint32_t slot, const struct rte_ether_addr *mac, uint64_t now_ms)
{
	struct nbr *n = &nbr_table[slot];

	if (n->is_static)
		return;
	__atomic_store_n(&n->mac_state, nbr_word(mac, NBR_REACHABLE),
			 __ATOMIC_RELEASE);
	n->updated_ms = now_ms;
	n->probes = 0;
	nbr_release(slot);
}

void
nbr_hold(uint32_t slot, struct rte_mbuf *m, uint64_t now_ms)
{
	struct nbr *n = &nbr_table[slot];
	uint64_t w = __atomic_load_n(&n->mac_state, __ATOMIC_ACQUIRE);

	if (nbr_word_state(w) != NBR_INCOMPLETE) {
		/* Resolved while the packet was on its way to us. */
		n->hold[n->n_hold++] = m;
		nbr_release(slot);
		return;
	}
	if (n->n_hold >= route_ip_conf.arp_hold) {
		graph_control_drop(m, route_ip_conf.arp_hold == 0 ?
				   DROP_ARP_UNRESOLVED : DROP_ARP_HOLD_FULL);
	} else {
		n->hold[n->n_hold++] = m;
	}
	if (n->probes == 0) {
		n->probes = 1;
		n->probed_ms = now_ms;
		arp_request_send(slot);
	}
}

int
nbr_add_static(unsigned int iface, uint32_t ip,
	       const struct rte_ether_addr *mac)
{
	uint32_t slot;

	if (iface >= iface_count() || ip == 0)
		return -EINVAL;
	slot = nbr_get((uint16_t)iface, ip);
	if (slot == NBR_NONE)
		return -ENOSPC;
	nbr_table[slot].is_static = 0;
	nbr_learn(slot, mac, 0);
	nbr_table[slot].is_static = 1;
	return 0;
}

int
nbr_del_static(unsigned int iface, uint32_t ip)
{
	uint32_t slot = nbr_lookup((uint16_t)iface, ip);
	struct nbr *n;

	if (slot == NBR_NONE || !nbr_table[slot].is_static)
		return -ENOENT;
	n = &nbr_table[slot];
	n->is_static = 0;
	if (n->refcnt == 0) {
		nbr_delete(slot);
		return 0;
	}
	/* Routes go through it: resolve it again by ARP from now on. */
	__atomic_store_n(&n->mac_state, n->mac_state & NBR_MAC_MASK,
			 __ATOMIC_RELEASE);
	n->probes = 0;
	return 0;
}

/* One probe round is over: give up on the neighbour. */
static void
nbr_give_up(uint32_t slot)
{
	struct nbr *n = &nbr_table[slot];

	if (n->refcnt == 0) {
		nbr_delete(slot);
		return;
	}
	/* Keep the MAC bits: a packet already past the lookup still gets
	 * the last known address rather than zeros. */
	__atomic_store_n(&n->mac_state, n->mac_state & NBR_MAC_MASK,
			 __ATOMIC_RELEASE);
	nbr_hold_drop(n, DROP_ARP_UNRESOLVED);
	n->probes = 0;
}

static void
nbr_age_one(uint32_t slot, uint64_t now_ms)
{
	struct nbr *n = &nbr_table[slot];
	enum nbr_state st = nbr_word_state(n->mac_state);

	if (st == NBR_REACHABLE) {
		if (now_ms - n->updated_ms < route_ip_conf.arp_timeout * 1000ull)
			return;
		__atomic_store_n(&n->mac_state,
				 (n->mac_state & NBR_MAC_MASK) |
				 (uint64_t)NBR_STALE << 48, __ATOMIC_RELEASE);
		n->probes = 0;
	}
	/* INCOMPLETE with nothing waiting has no round in progress,
	 * unless it is pinned: then a new round starts at once. */
	if (st == NBR_INCOMPLETE && n->probes == 0 && n->pins == 0)
		return;
	if (n->probes != 0 && now_ms - n->probed_ms < ARP_RETRY_MS)
		return;
	if (n->probes >= route_ip_conf.arp_retries) {
		nbr_give_up(slot);
		return;
	}
	n->probes++;
	n->probed_ms = now_ms;
	arp_request_send(slot);
}

uint32_t
route_nbr_pin(unsigned int iface, uint32_t ip)
{
	uint32_t slot;

	if (iface >= iface_count() || ip == 0)
		return ROUTE_NBR_NONE;
	slot = nbr_get((uint16_t)iface, ip);
	if (slot == NBR_NONE)
		return ROUTE_NBR_NONE;
	nbr_table[slot].refcnt++;
	nbr_table[slot].pins++;
	return slot;
}

void
route_nbr_unpin(uint32_t slot)
{
	struct nbr *n;

	if (slot >= nbr_slots || nbr_table[slot].pins == 0)
		return;
	n = &nbr_table[slot];
	n->pins--;
	n->refcnt--;
	if (n->refcnt == 0 && !n->is_static &&
	    nbr_word_state(n->mac_state) == NBR_INCOMPLETE)
		nbr_delete(slot);
}

void
nbr_timer(uint64_t now_ms)
{
	uint32_t i;

	for (i = 0; i < nbr_slots; i++)
		if (nbr_table[i].in_use && !nbr_table[i].is_static)
			nbr_age_one(i, now_ms);
}
