/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the ESP encrypt and decrypt nodes share: dropping, admitting
 * packets against an SA's hard lifetime, counting, and cutting a burst
 * into runs of one SA (librte_ipsec processes one SA per call). Both
 * nodes have ferry_drop as edge 0.
 */
#ifndef FERRY_IPSEC_NODE_H
#define FERRY_IPSEC_NODE_H

#include <rte_graph_worker.h>

#include "ip6_hdr.h"
#include "ipsec_priv.h"

#define IPSEC_NEXT_DROP 0

static inline void
ipsec_node_drop(struct rte_graph *graph, struct rte_node *node,
		struct rte_mbuf *m, enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	rte_node_enqueue_x1(graph, node, IPSEC_NEXT_DROP, m);
}

static inline void
ipsec_node_drop_all(struct rte_graph *graph, struct rte_node *node,
		    struct rte_mbuf **m, uint16_t n, enum drop_reason r)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		ipsec_node_drop(graph, node, m[i], r);
}

/*
 * Selectors of the IPv6 packet at @p m's data for the IPv6 SPD (RFC 4301
 * 4.4.1.1): the upper-layer protocol after the extension headers (a
 * fragment's, from its fragment header) and, in an unfragmented packet,
 * the ports; as the IPv4 key has them. A chain the walk refuses gives
 * the first next header and no ports.
 */
static inline void
ipsec_spd6_key(const struct rte_mbuf *m, struct spd6_key *k)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = RTE_MIN(rte_pktmbuf_data_len(m),
			       IP6_HDR_LEN + ((uint32_t)ip[4] << 8 | ip[5]));
	struct ip6_walk w;

	memcpy(k->src, ip + 8, 16);
	memcpy(k->dst, ip + 24, 16);
	k->proto = ip[6];
	k->sport = k->dport = 0;
	if (len < IP6_HDR_LEN || ip6_walk(ip, len, &w) != DROP_NONE)
		return;
	k->proto = w.fragment ? ip[w.off] : w.proto;
	if (!w.fragment && (w.proto == IPPROTO_UDP || w.proto == IPPROTO_TCP) &&
	    len >= w.off + 4u) {
		k->sport = (uint16_t)(ip[w.off] << 8 | ip[w.off + 1]);
		k->dport = (uint16_t)(ip[w.off + 2] << 8 | ip[w.off + 3]);
	}
}

/* Whether the packet at @p m's data is IPv6 (its version nibble). */
static inline bool
ipsec_pkt_is_ip6(const struct rte_mbuf *m)
{
	return (*rte_pktmbuf_mtod(m, const uint8_t *) >> 4) == 6;
}

/*
 * Packets of @p s that may go: none once the SA is stopped (hard
 * lifetime or sequence overflow), else, with @p grant (outbound), what
 * the hard packet limit grants; the rest are dropped. Never in clear.
 * Inbound packets do not take from the budget before they are
 * verified (forged ESP must not use up an SA): ipsec_node_count()
 * stops the SA once the accepted packets reach the limit.
 */
static inline uint16_t
ipsec_node_admit(struct rte_graph *graph, struct rte_node *node,
		 struct ipsec_sa *s, struct rte_mbuf **m, uint16_t n,
		 bool grant)
{
	uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	uint16_t ok;

	if (unlikely(st >= IPSEC_SA_HARD)) {
		ipsec_node_drop_all(graph, node, m, n,
				    st == IPSEC_SA_SEQ_OVERFLOW ?
				    DROP_SA_SEQ_OVERFLOW : DROP_SA_EXPIRED);
		return 0;
	}
	if (!grant)
		return n;
	ok = (uint16_t)lifetime_grant(&s->granted,
				      s->conf.lifetime.hard_packets, n);
	if (unlikely(ok < n)) {
		lifetime_state_raise(&s->state, IPSEC_SA_HARD);
		ipsec_node_drop_all(graph, node, m + ok, n - ok,
				    DROP_SA_EXPIRED);
	}
	return ok;
}

/* Count @p n good packets of @p bytes and @p bad drops on @p s. */
static inline void
ipsec_node_count(struct ipsec_sa *s, uint16_t n, uint64_t bytes,
		 uint16_t bad)
{
	const struct ipsec_lifetime_conf *l = &s->conf.lifetime;
	uint64_t p, b;

	p = __atomic_add_fetch(&s->packets, n, __ATOMIC_RELAXED);
	b = __atomic_add_fetch(&s->bytes, bytes, __ATOMIC_RELAXED);
	if (bad != 0)
		__atomic_fetch_add(&s->errors, bad, __ATOMIC_RELAXED);
	lifetime_state_raise(&s->state, lifetime_state_of(p, b,
		l->soft_packets, l->hard_packets, l->soft_bytes,
		l->hard_bytes));
}

/*
 * Cut @p objs into runs of one SA: @p classify gives a packet's SA slot
 * (or IPSEC_SLOT_NONE after dropping it), @p run processes a run.
 */
static inline void
ipsec_node_runs(struct rte_graph *graph, struct rte_node *node, void **objs,
		uint16_t cnt,
		uint16_t (*classify)(struct rte_graph *, struct rte_node *,
				     struct rte_mbuf *),
		void (*run)(struct rte_graph *, struct rte_node *, uint16_t,
			    struct rte_mbuf **, uint16_t))
{
	struct rte_mbuf *batch[IPSEC_RUN_MAX];
	uint16_t i, n = 0, cur = IPSEC_SLOT_NONE, slot;

	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];

		slot = classify(graph, node, m);
		if (slot == IPSEC_SLOT_NONE)
			continue;
		if ((slot != cur || n == RTE_DIM(batch)) && n != 0) {
			run(graph, node, cur, batch, n);
			n = 0;
		}
		cur = slot;
		batch[n++] = m;
	}
	if (n != 0)
		run(graph, node, cur, batch, n);
}

#endif /* FERRY_IPSEC_NODE_H */
