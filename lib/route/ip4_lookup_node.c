/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip4_lookup: finds each packet's route in its VRF's FIB and its
 * next hop's neighbour. Runs of packets in the same VRF (the usual case:
 * a burst comes from one queue) are looked up together, four at a
 * time. Outcomes: rewrite and transmit, deliver
 * locally, punt while ARP resolves, ICMP error (TTL expired, no route),
 * drop (blackhole), or another library's node for its routes
 * (route_ext_register(): edges after the fixed ones, e.g. MPLS push).
 * The edge the last routed packet took is the one speculated on.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "nhg.h"
#include "route_priv.h"

#define FOREACH_IP4_LOOKUP_NEXT(_)          \
	_(DROP, "ferry_drop")               \
	_(REWRITE, "ferry_ip4_rewrite")     \
	_(LOCAL, "ferry_ip4_local")         \
	_(ICMP_ERROR, "ferry_icmp_error")   \
	_(PUNT, "ferry_punt")

enum ip4_lookup_next {
#define _NEXT_ENUM(e, name) IP4_LOOKUP_NEXT_##e,
	FOREACH_IP4_LOOKUP_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	IP4_LOOKUP_NEXT_MAX /* external route types' edges follow */
};

/* Packets looked up per pass (fixed per-packet arrays on the stack). */
#define IP4_LOOKUP_CHUNK RTE_GRAPH_BURST_SIZE

struct ip4_lookup_ctx {
	rte_edge_t last_next; /* speculation: where the last packet went */
};

static inline rte_edge_t
icmp_error_to(struct pkt_md *md, enum drop_reason r, uint8_t type,
	      uint8_t code)
{
	md->drop = (uint8_t)r;
	md->icmp_type = type;
	md->icmp_code = code;
	return IP4_LOOKUP_NEXT_ICMP_ERROR;
}

/* RFC 1812 5.3.1: a forwarded packet whose TTL would reach 0. */
static inline bool
ip4_ttl_expired(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);

	return ip->time_to_live <= 1 &&
	       !(pkt_md(m)->flags & PKT_F_LOCAL_ORIGIN);
}

static inline rte_edge_t
ip4_forward(struct rte_mbuf *m, const struct adj *a, uint32_t dst)
{
	struct pkt_md *md = pkt_md(m);
	uint32_t slot;
	uint64_t w;

	if (unlikely(ip4_ttl_expired(m)))
		return icmp_error_to(md, DROP_IP4_TTL_EXPIRED,
				     PKT_ICMP_TIME_EXCEEDED, 0);
	md->out_iface = a->iface;
	slot = a->type == ADJ_T_NEXTHOP ? a->nbr : nbr_lookup(a->iface, dst);
	md->nbr = slot;
	if (unlikely(slot == NBR_NONE))
		return IP4_LOOKUP_NEXT_PUNT;
	w = __atomic_load_n(&nbr_table[slot].mac_state, __ATOMIC_ACQUIRE);
	if (unlikely(nbr_word_state(w) == NBR_INCOMPLETE))
		return IP4_LOOKUP_NEXT_PUNT;
	return IP4_LOOKUP_NEXT_REWRITE;
}

static inline rte_edge_t
ip4_lookup_one(struct rte_mbuf *m, uint32_t nh, uint32_t dst)
{
	const struct adj *a = &adj_table[nh];

	if (a->type == ADJ_T_NHG) /* the path of the packet's flow: a
				   * gateway, or another node's (labels) */
		a = nhg_select(&nhg_table[a->nbr], m);
	switch (a->type) {
	case ADJ_T_NEXTHOP:
	case ADJ_T_GLEAN:
		return ip4_forward(m, a, dst);
	case ADJ_T_EXT:
		if (unlikely(ip4_ttl_expired(m)))
			return icmp_error_to(pkt_md(m), DROP_IP4_TTL_EXPIRED,
					     PKT_ICMP_TIME_EXCEEDED, 0);
		pkt_md(m)->nbr = a->nbr;
		return a->iface; /* the edge route_ext_register() added */
	case ADJ_T_LOCAL:
		return IP4_LOOKUP_NEXT_LOCAL;
	case ADJ_T_BLACKHOLE:
		pkt_md(m)->drop = DROP_IP4_BLACKHOLE;
		return IP4_LOOKUP_NEXT_DROP;
	default:
		/* RFC 1812 5.2.7.1: net unreachable when no route. */
		return icmp_error_to(pkt_md(m), DROP_IP4_NO_ROUTE,
				     PKT_ICMP_DEST_UNREACH, 0);
	}
}

/* One bulk FIB lookup per run of packets in the same VRF; @p nh gets
 * adjacency indexes. At most IP4_LOOKUP_CHUNK packets. */
static void
ip4_fib_lookup(void **objs, uint16_t cnt, uint32_t *dst, uint32_t *nh)
{
	uint16_t i, j, vrf;

	for (i = 0; i < cnt; i++) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(
			(struct rte_mbuf *)objs[i], const struct rte_ipv4_hdr *);

		dst[i] = rte_be_to_cpu_32(ip->dst_addr);
	}
	for (i = 0; i < cnt; i = j) {
		const struct vrf *v = &vrf_table[pkt_md(objs[i])->vrf];

		vrf = pkt_md(objs[i])->vrf;
		for (j = i + 1; j < cnt && pkt_md(objs[j])->vrf == vrf; j++)
			;
		vrf_fib_lookup_bulk(v, &dst[i], &nh[i], j - i);
	}
}

/* Route @p cnt (at most IP4_LOOKUP_CHUNK) packets; @return the edge of
 * the last one. */
static rte_edge_t
ip4_lookup_chunk(struct graph_spec *spec, void **objs, uint16_t cnt)
{
	uint32_t dst[IP4_LOOKUP_CHUNK];
	uint32_t nh[IP4_LOOKUP_CHUNK];
	rte_edge_t next = spec->next;
	uint16_t i;

	ip4_fib_lookup(objs, cnt, dst, nh);
	for (i = 0; i < cnt; i++) {
		next = ip4_lookup_one(objs[i], nh[i], dst[i]);
		graph_spec_put(spec, objs[i], next);
	}
	return next;
}

/*
 * A node's stream grows past RTE_GRAPH_BURST_SIZE when several nodes
 * feed it in one walk (ip4_input, MPLS pop, ESP decrypt, VXLAN decap):
 * the per-packet arrays have a fixed size and the burst is cut into
 * chunks of it.
 */
static uint16_t
ip4_lookup_process(struct rte_graph *graph, struct rte_node *node,
		   void **objs, uint16_t cnt)
{
	struct ip4_lookup_ctx *ctx = (struct ip4_lookup_ctx *)node->ctx;
	rte_edge_t next = ctx->last_next;
	struct graph_spec spec;
	uint16_t i, n;

	graph_spec_begin(&spec, graph, node, ctx->last_next, cnt);
	for (i = 0; i < cnt; i += n) {
		n = RTE_MIN(cnt - i, IP4_LOOKUP_CHUNK);
		next = ip4_lookup_chunk(&spec, objs + i, n);
	}
	graph_spec_end(&spec);
	if (next == IP4_LOOKUP_NEXT_REWRITE || next >= IP4_LOOKUP_NEXT_MAX)
		ctx->last_next = next;
	return cnt;
}

static int
ip4_lookup_init(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct ip4_lookup_ctx) > RTE_NODE_CTX_SZ);
	((struct ip4_lookup_ctx *)node->ctx)->last_next =
		IP4_LOOKUP_NEXT_REWRITE;
	return 0;
}

static struct rte_node_register ip4_lookup_node = {
	.name = "ferry_ip4_lookup",
	.process = ip4_lookup_process,
	.init = ip4_lookup_init,
	.nb_edges = IP4_LOOKUP_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [IP4_LOOKUP_NEXT_##e] = name,
		FOREACH_IP4_LOOKUP_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(ip4_lookup_node);

rte_edge_t
ip4_lookup_edge_add(const char *node)
{
	const char *names[] = { node };
	rte_edge_t e = rte_node_edge_count(ip4_lookup_node.id);

	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(ip4_lookup_node.id, e, names, 1) != 1)
		return RTE_EDGE_ID_INVALID;
	return e;
}

void
ip4_route_lookup(void **objs, uint16_t cnt, uint32_t *dst, uint32_t *nh)
{
	ip4_fib_lookup(objs, cnt, dst, nh);
}

bool
ip4_lookup_node_wrapped(struct rte_node *copy)
{
	return copy->process != ip4_lookup_process ||
	       ip4_rewrite_node_wrapped(__rte_node_next_node_get(
		       copy, IP4_LOOKUP_NEXT_REWRITE));
}
