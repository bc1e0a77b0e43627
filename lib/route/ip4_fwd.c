/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fast path of plain IPv4 forwarding: lookup and rewrite of the
 * packets ferry_ip4_input's RFC 1812 checks passed, in the same node
 * and the same pass, for the case that is nearly all of a router's
 * traffic: a route through a resolved gateway on an up interface.
 *
 * It decides nothing the general nodes would decide otherwise. A packet
 * is forwarded here only when ferry_ip4_lookup would send it to
 * ferry_ip4_rewrite and that node would transmit it; every other packet
 * (TTL expiry, no route, local, blackhole, ECMP, connected destination,
 * another library's route, unresolved neighbour, interface down, MTU,
 * headroom, a packet ferry built) leaves here unmodified for
 * ferry_ip4_lookup, which looks it up again and decides as it always
 * has: drop reasons, ICMP errors and counters stay theirs.
 *
 * Per packet, what the general path did in two nodes: one LPM result
 * (rte_lpm_lookupx4 through ip4_route_lookup(), four at a time), one
 * adjacency, one neighbour word (MAC and state in a single atomic load),
 * the TTL decrement with an incremental checksum (RFC 1624) and the L2
 * header. The metadata offset is read once per chunk and the interface
 * counters are added once per run of packets leaving by one interface.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "route_priv.h"

/* tx counters of the interface the last packets left by, added to the
 * worker's counters when the interface changes and at the end. */
struct ip4_fwd_count {
	uint16_t iface;
	uint32_t pkts;
	uint64_t bytes;
};

static inline void
ip4_fwd_count_flush(struct ip4_fwd_count *c)
{
	uint64_t *ctr;

	if (c->pkts == 0)
		return;
	ctr = stats_ctr_get(&iface_ctr, c->iface);
	ctr[IFACE_CTR_TX_PKTS] += c->pkts;
	ctr[IFACE_CTR_TX_BYTES] += c->bytes;
	c->pkts = 0;
	c->bytes = 0;
}

static inline void
ip4_fwd_count(struct ip4_fwd_count *c, uint16_t iface, uint32_t len)
{
	if (unlikely(iface != c->iface)) {
		ip4_fwd_count_flush(c);
		c->iface = iface;
	}
	c->pkts++;
	c->bytes += len;
}

/* The L2 header of @p ifc to @p w's MAC (an nbr_table word), written
 * before the IPv4 header at @p eth. */
static inline void
ip4_fwd_l2(const struct iface *ifc, struct rte_ether_hdr *eth, uint64_t w)
{
	struct rte_ether_addr dst;

	memcpy(dst.addr_bytes, &w, RTE_ETHER_ADDR_LEN); /* no type punning */
	iface_l2_write(ifc, eth, &dst, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
}

/*
 * One packet: forwarded (its tx edge) or left as it is (e->lookup).
 * The conditions are those under which ip4_lookup_one() returns
 * IP4_LOOKUP_NEXT_REWRITE and ip4_rewrite_one() a tx edge.
 */
static inline rte_edge_t
ip4_fwd_one(struct rte_mbuf *m, const struct pkt_md *md,
	    const struct adj *a, const struct ip4_fwd_edges *e,
	    struct ip4_fwd_count *c)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	const struct iface *ifc;
	struct rte_ether_hdr *eth;
	uint16_t l2;
	uint64_t w;

	if (unlikely(a->type != ADJ_T_NEXTHOP || a->nbr == NBR_NONE))
		return e->lookup;
	/* RFC 1812 5.3.1: TTL 1 expires here (ICMP from ferry_ip4_lookup);
	 * packets ferry built keep their TTL. */
	if (unlikely(ip->time_to_live <= 1 || (md->flags & PKT_F_LOCAL_ORIGIN)))
		return e->lookup;
	w = __atomic_load_n(&nbr_table[a->nbr].mac_state, __ATOMIC_ACQUIRE);
	if (unlikely(nbr_word_state(w) == NBR_INCOMPLETE))
		return e->lookup;
	ifc = &iface_table[a->iface];
	l2 = iface_l2_len(ifc);
	if (unlikely(!ifc->up || rte_be_to_cpu_16(ip->total_length) > ifc->mtu ||
		     rte_pktmbuf_headroom(m) < l2))
		return e->lookup;
	pkt_ip4_ttl_dec(ip);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, l2);
	ip4_fwd_l2(ifc, eth, w);
	ip4_fwd_count(c, a->iface, m->pkt_len);
	return e->tx0 + ifc->port_idx;
}

void
ip4_fwd_chunk(void **objs, uint16_t n, rte_edge_t *next,
	      const struct ip4_fwd_edges *e)
{
	uint32_t dst[IP4_FWD_CHUNK];
	uint32_t nh[IP4_FWD_CHUNK];
	struct ip4_fwd_count c = { .iface = 0 };
	const int off = pkt_md_offset;
	uint16_t i;

	RTE_BUILD_BUG_ON(IP4_FWD_CHUNK > RTE_GRAPH_BURST_SIZE);
	ip4_route_lookup(objs, n, dst, nh);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = objs[i];

		if (i + 4 < n)
			rte_prefetch0(&adj_table[nh[i + 4]]);
		next[i] = ip4_fwd_one(m, RTE_MBUF_DYNFIELD(m, off, struct pkt_md *),
				      &adj_table[nh[i]], e, &c);
	}
	ip4_fwd_count_flush(&c);
}
