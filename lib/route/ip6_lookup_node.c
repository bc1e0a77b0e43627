/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip6_lookup: each packet's route in its VRF's rte_fib6 (one bulk
 * lookup per run of packets in the same VRF) and its next hop's
 * neighbour. Outcomes as for IPv4: rewrite and transmit, deliver
 * locally, punt while ND resolves, ICMPv6 error (hop limit expired, no
 * route), drop (blackhole). A packet from a link-local source is never
 * forwarded off its link (RFC 4291 2.5.6). Packets ferry built for a
 * link-local destination (echo replies, errors, pkt_md.out_iface set)
 * leave by that interface without a lookup. A route of an external type
 * (route6_ext_register(): edges after the fixed ones, e.g. 6PE/6VPE
 * push) hands the packet to its node with the route's value in
 * pkt_md.nbr once the hop limit is checked.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "route6_priv.h"

#define FOREACH_IP6_LOOKUP_NEXT(_)                                             \
	_(DROP, "ferry_drop")                                                  \
	_(REWRITE, "ferry_ip6_rewrite")                                        \
	_(LOCAL, "ferry_ip6_local")                                            \
	_(ICMP_ERROR, "ferry_icmp6_error")                                     \
	_(PUNT, "ferry_punt")

enum ip6_lookup_next {
#define _NEXT_ENUM(e, name) IP6_LOOKUP_NEXT_##e,
	FOREACH_IP6_LOOKUP_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
		IP6_LOOKUP_NEXT_MAX /* external route types' edges follow */
};

#define IP6_LOOKUP_CHUNK RTE_GRAPH_BURST_SIZE

/* ICMPv6 types and codes (RFC 4443 3). */
#define ICMP6_DEST_UNREACH 1
#define ICMP6_TIME_EXCEEDED 3

static inline rte_edge_t
icmp6_error_to(struct pkt_md *md, enum drop_reason r, uint8_t type,
	       uint8_t code)
{
	md->drop = (uint8_t)r;
	md->icmp_type = type;
	md->icmp_code = code;
	return IP6_LOOKUP_NEXT_ICMP_ERROR;
}

static inline rte_edge_t
ip6_to_neighbour(struct rte_mbuf *m, uint16_t iface, uint32_t slot,
		 const uint8_t *dst)
{
	struct pkt_md *md = pkt_md(m);
	uint64_t w;

	md->out_iface = iface;
	if (slot == NBR_NONE)
		slot = nd_lookup(iface, dst);
	md->nbr = slot;
	if (unlikely(slot == NBR_NONE))
		return IP6_LOOKUP_NEXT_PUNT;
	w = __atomic_load_n(&nd_table[slot].mac_state, __ATOMIC_ACQUIRE);
	if (unlikely(nbr_word_state(w) == NBR_INCOMPLETE))
		return IP6_LOOKUP_NEXT_PUNT;
	return IP6_LOOKUP_NEXT_REWRITE;
}

/* Checks before a packet leaves through a route (RFC 8200 3, RFC 4443
 * 3.3, RFC 4291 2.5.6): an edge to drop or answer it, or MAX to go on. */
static inline rte_edge_t
ip6_forward_check(struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	struct pkt_md *md = pkt_md(m);

	if (md->flags & PKT_F_LOCAL_ORIGIN)
		return IP6_LOOKUP_NEXT_MAX;
	if (unlikely(ip->hop_limits <= 1))
		return icmp6_error_to(md, DROP_IP6_HOP_LIMIT,
				      ICMP6_TIME_EXCEEDED, 0);
	if (unlikely(ip6_is_link_local(ip->src_addr))) {
		md->drop = DROP_IP6_LINK_LOCAL;
		return IP6_LOOKUP_NEXT_DROP;
	}
	return IP6_LOOKUP_NEXT_MAX;
}

static inline rte_edge_t
ip6_forward(struct rte_mbuf *m, const struct adj6 *a)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	rte_edge_t e = ip6_forward_check(m);

	if (unlikely(e != IP6_LOOKUP_NEXT_MAX))
		return e;
	return ip6_to_neighbour(m, a->iface,
				a->type == ADJ_T_NEXTHOP ? a->nbr : NBR_NONE,
				ip->dst_addr);
}

static inline rte_edge_t
ip6_lookup_one(struct rte_mbuf *m, uint32_t nh)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const struct adj6 *a;

	/* a tbl8 group zeroed under us (route6_priv.h): look again */
	if (unlikely(nh == ADJ6_RETRY))
		nh = fib6_lookup_one(pkt_md(m)->vrf, ip->dst_addr);
	a = &adj6_table[nh < ADJ6_MAX ? nh : ADJ6_NO_ROUTE];
	switch (a->type) {
	case ADJ_T_NEXTHOP:
	case ADJ_T_GLEAN:
		return ip6_forward(m, a);
	case ADJ_T_EXT: {
		/* another library's node: hop limit checked, not
		 * decremented (as for IPv4); the route's value in nbr */
		rte_edge_t e = ip6_forward_check(m);

		if (unlikely(e != IP6_LOOKUP_NEXT_MAX))
			return e;
		pkt_md(m)->nbr = a->nbr;
		return a->iface; /* the edge route6_ext_register() added */
	}
	case ADJ_T_LOCAL:
		return IP6_LOOKUP_NEXT_LOCAL;
	case ADJ_T_BLACKHOLE:
		pkt_md(m)->drop = DROP_IP6_BLACKHOLE;
		return IP6_LOOKUP_NEXT_DROP;
	default:
		/* RFC 4443 3.1: code 0, no route to destination */
		return icmp6_error_to(pkt_md(m), DROP_IP6_NO_ROUTE,
				      ICMP6_DEST_UNREACH, 0);
	}
}

/* One bulk lookup per run of packets in the same VRF. */
static void
ip6_fib_lookup(void **objs, uint16_t cnt, uint64_t *nh)
{
	uint8_t dst[IP6_LOOKUP_CHUNK][RTE_FIB6_IPV6_ADDR_SIZE];
	uint16_t i, j, vrf;

	for (i = 0; i < cnt; i++)
		memcpy(dst[i],
		       rte_pktmbuf_mtod((struct rte_mbuf *)objs[i],
					const struct rte_ipv6_hdr *)
			       ->dst_addr,
		       16);
	for (i = 0; i < cnt; i = j) {
		struct rte_fib6 *f;

		vrf = pkt_md(objs[i])->vrf;
		for (j = i + 1; j < cnt && pkt_md(objs[j])->vrf == vrf; j++)
			;
		f = __atomic_load_n(&fib6_table[vrf], __ATOMIC_ACQUIRE);
		if (f != NULL)
			rte_fib6_lookup_bulk(f, &dst[i], &nh[i], j - i);
		else
			memset(&nh[i], 0, sizeof(nh[0]) * (j - i));
	}
}

/* A packet ferry built for a link-local destination: the interface is
 * already chosen (pkt_md.out_iface). */
static inline bool
ip6_own_link_local(struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);

	return (pkt_md(m)->flags & PKT_F_LOCAL_ORIGIN) &&
	       ip6_is_link_local(ip->dst_addr);
}

static rte_edge_t
ip6_lookup_chunk(struct graph_spec *spec, void **objs, uint16_t cnt)
{
	uint64_t nh[IP6_LOOKUP_CHUNK];
	rte_edge_t next = spec->next;
	uint16_t i;

	ip6_fib_lookup(objs, cnt, nh);
	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];

		if (unlikely(ip6_own_link_local(m)))
			next = ip6_to_neighbour(
				m, pkt_md(m)->out_iface, NBR_NONE,
				rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *)
					->dst_addr);
		else
			next = ip6_lookup_one(m, (uint32_t)nh[i]);
		graph_spec_put(spec, m, next);
	}
	return next;
}

static uint16_t
ip6_lookup_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		   uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i, n;

	graph_spec_begin(&spec, graph, node, IP6_LOOKUP_NEXT_REWRITE, cnt);
	for (i = 0; i < cnt; i += n) {
		n = RTE_MIN(cnt - i, IP6_LOOKUP_CHUNK);
		ip6_lookup_chunk(&spec, objs + i, n);
	}
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register ip6_lookup_node = {
	.name = "ferry_ip6_lookup",
	.process = ip6_lookup_process,
	.nb_edges = IP6_LOOKUP_NEXT_MAX,
	.next_nodes =
		{
#define _NEXT_NAME(e, name) [IP6_LOOKUP_NEXT_##e] = name,
			FOREACH_IP6_LOOKUP_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
		},
};

RTE_NODE_REGISTER(ip6_lookup_node);

rte_edge_t
ip6_lookup_edge_add(const char *node)
{
	const char *names[] = {node};
	rte_edge_t e = rte_node_edge_count(ip6_lookup_node.id);

	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(ip6_lookup_node.id, e, names, 1) != 1)
		return RTE_EDGE_ID_INVALID;
	return e;
}
