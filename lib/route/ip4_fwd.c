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
 * (rte_lpm_lookupx4 through ip4_route_lookup(), four at a time), the
 * TTL decrement with an incremental checksum (RFC 1624) and the L2
 * header. The adjacency, its neighbour word (MAC and state in one
 * atomic load) and the interface are read once per run of packets
 * through one adjacency, which also builds the L2 header once; the
 * metadata offset is read once per chunk and the interface counters are
 * added once per run of packets leaving by one interface.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "route_priv.h"

/*
 * What every packet through one adjacency shares, resolved once per run
 * of packets with that adjacency (all 1024 routes of a PE's uplink
 * usually share one): the neighbour's state, the egress interface's
 * MTU and the whole L2 header, built here the way ferry_ip4_rewrite
 * writes it (iface_l2_write()).
 */
struct ip4_fwd_adj {
	uint32_t nh;       /* adjacency index; UINT32_MAX = none yet */
	bool ok;           /* a resolved gateway on an up interface */
	uint16_t iface;
	uint16_t mtu;
	uint16_t l2;       /* L2 header length (14, or 18 with 802.1Q) */
	rte_edge_t edge;   /* the egress port's tx edge */
	uint8_t hdr[RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr)];
};

/* The conditions under which ip4_lookup_one() returns
 * IP4_LOOKUP_NEXT_REWRITE whatever the packet, and ip4_rewrite_one()
 * writes the header instead of dropping. */
static void
ip4_fwd_adj_resolve(struct ip4_fwd_adj *r, uint32_t nh,
		    const struct ip4_fwd_edges *e)
{
	const struct adj *a = &adj_table[nh];
	const struct iface *ifc;
	struct rte_ether_addr dst;
	uint64_t w = 0;

	r->nh = nh;
	r->ok = false;
	if (a->type != ADJ_T_NEXTHOP || a->nbr == NBR_NONE)
		return;
	w = __atomic_load_n(&nbr_table[a->nbr].mac_state, __ATOMIC_ACQUIRE);
	ifc = &iface_table[a->iface];
	if (nbr_word_state(w) == NBR_INCOMPLETE || !ifc->up)
		return;
	memcpy(dst.addr_bytes, &w, RTE_ETHER_ADDR_LEN); /* no type punning */
	r->l2 = iface_l2_write(ifc, (struct rte_ether_hdr *)r->hdr, &dst,
			       rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	r->iface = a->iface;
	r->mtu = ifc->mtu;
	r->edge = e->tx0 + ifc->port_idx;
	r->ok = true;
}

/* One packet: forwarded (its tx edge) or left as it is (e->lookup). */
static inline rte_edge_t
ip4_fwd_one(struct rte_mbuf *m, const struct pkt_md *md, uint32_t nh,
	    struct ip4_fwd_adj *r, const struct ip4_fwd_edges *e,
	    struct iface_run *c)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	uint8_t *eth;

	if (unlikely(nh != r->nh))
		ip4_fwd_adj_resolve(r, nh, e);
	/* RFC 1812 5.3.1: TTL 1 expires here (ICMP from ferry_ip4_lookup);
	 * packets ferry built keep their TTL. */
	if (unlikely(!r->ok || ip->time_to_live <= 1 ||
		     (md->flags & PKT_F_LOCAL_ORIGIN) ||
		     rte_be_to_cpu_16(ip->total_length) > r->mtu ||
		     rte_pktmbuf_headroom(m) < r->l2))
		return e->lookup;
	pkt_ip4_ttl_dec(ip);
	eth = (uint8_t *)rte_pktmbuf_prepend(m, r->l2);
	if (likely(r->l2 == RTE_ETHER_HDR_LEN))
		memcpy(eth, r->hdr, RTE_ETHER_HDR_LEN);
	else
		memcpy(eth, r->hdr, sizeof(r->hdr));
	iface_run_add(c, r->iface, m->pkt_len);
	return r->edge;
}

/* Forward or hand on @p n packets whose adjacencies are @p nh. */
static bool
ip4_fwd_run(void **objs, uint16_t n, const uint32_t *nh, rte_edge_t *next,
	    const struct ip4_fwd_edges *e)
{
	struct iface_run c = { .ifx = IFACE_NONE, .pkts = IFACE_CTR_TX_PKTS };
	struct ip4_fwd_adj r = { .nh = UINT32_MAX };
	const int off = pkt_md_offset;
	rte_edge_t differ = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = objs[i];

		next[i] = ip4_fwd_one(m, RTE_MBUF_DYNFIELD(m, off, struct pkt_md *),
				      nh[i], &r, e, &c);
		differ |= next[i] ^ next[0];
	}
	iface_run_flush(&c);
	return differ == 0;
}

bool
ip4_fwd_chunk(void **objs, uint16_t n, rte_edge_t *next,
	      const struct ip4_fwd_edges *e)
{
	uint32_t dst[IP4_FWD_CHUNK];
	uint32_t nh[IP4_FWD_CHUNK];

	RTE_BUILD_BUG_ON(IP4_FWD_CHUNK > RTE_GRAPH_BURST_SIZE);
	ip4_route_lookup(objs, n, dst, nh);
	return ip4_fwd_run(objs, n, nh, next, e);
}

bool
ip4_fwd_chunk_vrf(void **objs, uint16_t n, uint16_t vrf, uint32_t *dst,
		  rte_edge_t *next, const struct ip4_fwd_edges *e)
{
	uint32_t nh[IP4_FWD_CHUNK];

	RTE_BUILD_BUG_ON(IP4_FWD_CHUNK > VRF_FIB_BULK_MAX);
	vrf_fib_lookup_bulk(&vrf_table[vrf], dst, nh, n);
	return ip4_fwd_run(objs, n, nh, next, e);
}
