/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_mpls_input: labeled packets from ferry_eth_input (data at the
 * top label). The LSR looks the top label up in the LFIB (RFC 3031 3.11)
 * and swaps it (P router), pops it and sends the rest on (penultimate
 * hop popping), pops it and looks at the label below (egress of the
 * transport LSP), or pops the VPN label and hands the IPv4 packet to the
 * VRF the label belongs to (egress PE, RFC 4364 5). Special-purpose
 * labels 0-15 act as label.h's table says.
 *
 * TTL (RFC 3032 2.4, RFC 3443): the TTL of the first entry this LSR
 * received is its incoming TTL, whatever it pops on the way; a packet
 * sent on labeled leaves with incoming - 1 (expired at 1 or 0: counted
 * as mpls_ttl_expired and answered by ferry_mpls_ttl_icmp with an ICMP
 * time exceeded sent on along the LSP, RFC 3032 2.3.2). A packet leaving
 * the stack for IPv4 gets the incoming TTL in the IP header in uniform
 * mode (the IP forwarding that follows takes the one off), keeps its
 * own in pipe mode. Labeled frames are taken only on interfaces in
 * mpls.interfaces: a CE must not reach into a VRF with a label
 * (RFC 4364 10).
 *
 * IPv6 under the stack (6VPE, RFC 4659; 6PE, RFC 4798): what a VPN
 * label pops to is IPv4 or IPv6 by the first nibble of the payload
 * (one label of a VRF carries both families); IPv6 explicit null
 * (label 2, RFC 3032 2.1) pops to IPv6 only. The hop limit is set as
 * the TTL is (RFC 3443 applies to both), the traffic class's DSCP from
 * the TC on tc_copy_on_pop, and the packet goes to ferry_ip6_input in
 * the VRF. Penultimate hop popping toward IPv6 sends the packet with
 * hop limit incoming - 1 to the LSP's (IPv4) next hop's MAC through
 * ferry_mpls_output, which writes ethertype 0x86DD for it.
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "mpls_priv.h"

#define FOREACH_MPLS_INPUT_NEXT(_)          \
	_(DROP, "ferry_drop")               \
	_(OUTPUT, "ferry_mpls_output")      \
	_(IP4_INPUT, "ferry_ip4_input")     \
	_(IP4_REWRITE, "ferry_ip4_rewrite") \
	_(TTL_ICMP, "ferry_mpls_ttl_icmp")  \
	_(IP6_INPUT, "ferry_ip6_input")

enum mpls_input_next {
#define _NEXT_ENUM(e, name) MPLS_INPUT_NEXT_##e,
	FOREACH_MPLS_INPUT_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	MPLS_INPUT_NEXT_MAX
};

/* Not an edge: "popped, look at the next entry". */
#define MPLS_INPUT_AGAIN RTE_EDGE_ID_INVALID

#define LSE_TC_MASK ((uint32_t)MPLS_TC_MAX << MPLS_TC_SHIFT)

struct mpls_input_ctx {
	rte_edge_t last_next; /* speculation: where the last packet went */
};

/*
 * One LSR's view of a packet while it works down the stack. The helpers
 * below are forced inline: the loop calls them on every label, and as
 * calls they cost a third of the node (callgrind).
 */
struct lsr {
	struct pkt_md *md;
	uint8_t *top;    /* the top entry in the packet */
	uint32_t lse;    /* the top entry, host order */
	uint32_t popped; /* the entry popped last (its TC for tc_copy) */
	uint8_t ttl_in;  /* TTL of the first entry received (incoming TTL) */
	uint8_t depth;   /* entries left, the top one included */
	uint8_t n_popped; /* entries popped, not yet cut off the mbuf */
};

static __rte_always_inline rte_edge_t
lsr_drop(struct lsr *l, enum drop_reason r)
{
	l->md->drop = (uint8_t)r;
	return MPLS_INPUT_NEXT_DROP;
}

/* Pop the top entry; the one below (if any) becomes the top. The mbuf
 * is cut once, by lsr_commit(), however many entries go. */
/* TTL expired here (RFC 3032 2.3.2): counted as mpls_ttl_expired, and
 * answered with an ICMP time exceeded sent on along the LSP. */
static __rte_always_inline rte_edge_t
lsr_ttl_expired(struct lsr *l)
{
	l->md->drop = (uint8_t)DROP_MPLS_TTL_EXPIRED;
	return MPLS_INPUT_NEXT_TTL_ICMP;
}

static __rte_always_inline void
lsr_pop(struct lsr *l)
{
	l->popped = l->lse;
	l->top += MPLS_LSE_LEN;
	l->n_popped++;
	if (--l->depth != 0)
		l->lse = mpls_lse_read(l->top);
}

/* Cut the popped entries off: the data now starts at l->top. The depth
 * check made sure they are within the first segment. */
static __rte_always_inline void
lsr_commit(struct rte_mbuf *m, struct lsr *l)
{
	if (l->n_popped != 0)
		rte_pktmbuf_adj(m, (uint16_t)(l->n_popped * MPLS_LSE_LEN));
	pkt_rx_cksum_forget(m); /* a port that parses MPLS flags the payload */
}

/* Where a popped packet of VRF index @p vrf goes: its VRF, and ICMP
 * errors about it are sourced in that VRF (icmp_error). */
static __rte_always_inline void
lsr_into_vrf(struct lsr *l, uint16_t vrf)
{
	const struct mpls_vrf_dp *v = &mpls_dp.vrf[vrf];

	l->md->vrf = vrf;
	if (v->src_iface != IFACE_NONE)
		l->md->in_iface = v->src_iface;
}

/* The stack is gone: IPv4 for VRF index @p vrf (RFC 4364 5). */
static __rte_always_inline rte_edge_t
lsr_to_ip4(struct rte_mbuf *m, struct lsr *l, uint16_t vrf)
{
	const struct mpls_vrf_dp *v = &mpls_dp.vrf[vrf];
	uint8_t *ip = l->top;

	lsr_commit(m, l);
	if (unlikely(m->data_len < sizeof(struct rte_ipv4_hdr) ||
		     ip[0] >> 4 != 4))
		return lsr_drop(l, DROP_MPLS_BAD_PAYLOAD);
	mpls_ip4_ttl_set(ip, mpls_pop_ttl((enum mpls_ttl_mode)v->ttl_mode,
					  ip[8], l->ttl_in));
	if (unlikely(v->tc_copy))
		mpls_ip4_tos_set(ip, mpls_tos_from_tc(ip[1],
						      mpls_lse_tc(l->popped)));
	lsr_into_vrf(l, vrf);
	m->packet_type = RTE_PTYPE_L3_IPV4;
	return MPLS_INPUT_NEXT_IP4_INPUT;
}

/* The stack is gone: IPv6 for VRF index @p vrf (RFC 4659 3.2, RFC 4798
 * 3); ferry_ip6_input checks the rest of the header. */
static __rte_always_inline rte_edge_t
lsr_to_ip6(struct rte_mbuf *m, struct lsr *l, uint16_t vrf)
{
	const struct mpls_vrf_dp *v = &mpls_dp.vrf[vrf];
	uint8_t *ip = l->top;

	lsr_commit(m, l);
	if (unlikely(m->data_len < sizeof(struct rte_ipv6_hdr) ||
		     ip[0] >> 4 != 6))
		return lsr_drop(l, DROP_MPLS_BAD_PAYLOAD);
	ip[7] = mpls_pop_ttl((enum mpls_ttl_mode)v->ttl_mode, ip[7],
			     l->ttl_in);
	if (unlikely(v->tc_copy))
		mpls_ip6_tclass_set(ip, mpls_tos_from_tc(mpls_ip6_tclass(ip),
						       mpls_lse_tc(l->popped)));
	lsr_into_vrf(l, vrf);
	m->packet_type = RTE_PTYPE_L3_IPV6;
	return MPLS_INPUT_NEXT_IP6_INPUT;
}

/* A VPN label's payload is IPv4 or IPv6 by its first nibble. */
static __rte_always_inline rte_edge_t
lsr_to_ip(struct rte_mbuf *m, struct lsr *l, uint16_t vrf)
{
	if (m->data_len > l->n_popped * MPLS_LSE_LEN && l->top[0] >> 4 == 6)
		return lsr_to_ip6(m, l, vrf);
	return lsr_to_ip4(m, l, vrf);
}

static __rte_always_inline rte_edge_t
lsr_send(struct lsr *l, const struct mpls_nhlfe *nh)
{
	l->md->out_iface = nh->iface;
	l->md->nbr = nh->nbr;
	return MPLS_INPUT_NEXT_OUTPUT;
}

/* Swap the top label for out[] (the last one keeps TC and S). */
static __rte_always_inline rte_edge_t
lsr_swap(struct rte_mbuf *m, const struct mpls_nhlfe *nh, struct lsr *l)
{
	unsigned int extra = nh->n_out - 1u, i;
	uint32_t keep = l->lse & (LSE_TC_MASK | MPLS_S_BIT);
	uint32_t ttl = (uint32_t)l->ttl_in - 1;
	uint8_t *p;

	if (unlikely(l->ttl_in <= 1))
		return lsr_ttl_expired(l);
	lsr_commit(m, l);
	if (likely(extra == 0)) {
		mpls_lse_write(l->top, nh->out[0] | keep | ttl);
		return lsr_send(l, nh);
	}
	if (unlikely(l->depth + extra > mpls_dp.max_labels))
		return lsr_drop(l, DROP_MPLS_TOO_MANY_LABELS);
	p = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)(extra *
							 MPLS_LSE_LEN));
	if (unlikely(p == NULL))
		return lsr_drop(l, DROP_NO_HEADROOM);
	for (i = 0; i < extra; i++)
		mpls_lse_write(p + i * MPLS_LSE_LEN,
			       nh->out[i] | (keep & LSE_TC_MASK) | ttl);
	mpls_lse_write(p + extra * MPLS_LSE_LEN, nh->out[extra] | keep | ttl);
	return lsr_send(l, nh);
}

/* The last label goes at the penultimate hop: IPv4 leaves by
 * ferry_ip4_rewrite (MTU, TTL - 1, L2), with the incoming TTL. */
static inline rte_edge_t
lsr_php_ip(struct rte_mbuf *m, const struct mpls_nhlfe *nh, struct lsr *l)
{
	uint8_t *ip = l->top;
	struct rte_ether_addr mac;
	uint16_t total;

	if (unlikely(m->data_len < sizeof(struct rte_ipv4_hdr) ||
		     ip[0] >> 4 != 4))
		return lsr_drop(l, DROP_MPLS_BAD_PAYLOAD);
	if (unlikely(!route_nbr_mac(nh->nbr, &mac)))
		return lsr_drop(l, DROP_MPLS_NEXTHOP_UNRESOLVED);
	mpls_ip4_ttl_set(ip, l->ttl_in);
	total = (uint16_t)(ip[2] << 8 | ip[3]);
	if (m->pkt_len > total)
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - total));
	lsr_send(l, nh);
	return MPLS_INPUT_NEXT_IP4_REWRITE;
}

/* The last label goes at the penultimate hop and IPv6 is below: the
 * hop limit is the incoming TTL - 1 (this LSR is the hop), and the
 * packet leaves by ferry_mpls_output as IPv6 to the LSP's next hop. */
static inline rte_edge_t
lsr_php_ip6(struct rte_mbuf *m, const struct mpls_nhlfe *nh, struct lsr *l)
{
	uint8_t *ip = l->top;
	uint32_t total;

	if (unlikely(m->data_len < sizeof(struct rte_ipv6_hdr)))
		return lsr_drop(l, DROP_MPLS_BAD_PAYLOAD);
	ip[7] = (uint8_t)(l->ttl_in - 1);
	total = sizeof(struct rte_ipv6_hdr) + (uint32_t)(ip[4] << 8 | ip[5]);
	if (m->pkt_len > total)
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - total));
	l->md->flags |= PKT_F_OUT_IP6;
	return lsr_send(l, nh);
}

/* Penultimate hop popping (RFC 3031 3.16): pop, send the rest on. */
static __rte_always_inline rte_edge_t
lsr_php(struct rte_mbuf *m, const struct mpls_nhlfe *nh, struct lsr *l)
{
	bool bos = mpls_lse_bos(l->lse);

	if (unlikely(l->ttl_in <= 1))
		return lsr_ttl_expired(l);
	lsr_pop(l);
	lsr_commit(m, l);
	if (unlikely(bos))
		return m->data_len != 0 && l->top[0] >> 4 == 6 ?
			lsr_php_ip6(m, nh, l) : lsr_php_ip(m, nh, l);
	/* The exposed entry carries the outgoing TTL (RFC 3443 3.1). */
	l->lse = (l->lse & ~MPLS_TTL_MASK) | (uint32_t)(l->ttl_in - 1);
	mpls_lse_write(l->top, l->lse);
	return lsr_send(l, nh);
}

/* A special-purpose label at the top (label.h, RFC 3032 2.1). */
static inline rte_edge_t
lsr_reserved(struct rte_mbuf *m, struct lsr *l)
{
	bool bos = mpls_lse_bos(l->lse);

	switch (mpls_reserved_action(mpls_lse_label(l->lse))) {
	case MPLS_RSV_POP_IPV4:
		lsr_pop(l);
		return bos ? lsr_to_ip4(m, l, l->md->vrf) : MPLS_INPUT_AGAIN;
	case MPLS_RSV_POP_IPV6:
		/* RFC 3032 2.1: valid only at the bottom, where IPv6
		 * follows; above it, popped like IPv4 explicit null
		 * (RFC 4182 lifted the bottom-only rule). */
		lsr_pop(l);
		return bos ? lsr_to_ip6(m, l, l->md->vrf) : MPLS_INPUT_AGAIN;
	case MPLS_RSV_ENTROPY:
		/* RFC 6790 4.2: an ELI has its entropy label below it. */
		if (bos)
			return lsr_drop(l, DROP_MPLS_RESERVED_LABEL);
		lsr_pop(l);
		bos = mpls_lse_bos(l->lse);
		lsr_pop(l);
		return bos ? lsr_to_ip(m, l, l->md->vrf) : MPLS_INPUT_AGAIN;
	case MPLS_RSV_ROUTER_ALERT:
		return lsr_drop(l, DROP_MPLS_ROUTER_ALERT);
	case MPLS_RSV_OAM:
		return lsr_drop(l, DROP_MPLS_OAM);
	default:
		return lsr_drop(l, DROP_MPLS_RESERVED_LABEL);
	}
}

/* The LFIB's word of a label is 0 for none, and NHLFE 0 is all zero
 * (op MPLS_OP_NONE): a miss needs no test of its own. */
static __rte_always_inline rte_edge_t
lsr_lfib(struct rte_mbuf *m, struct lsr *l)
{
	uint32_t idx = __atomic_load_n(&mpls_dp.lfib[mpls_lse_label(l->lse)],
				       __ATOMIC_ACQUIRE);
	const struct mpls_nhlfe *nh = &mpls_dp.nhlfe[idx];
	bool bos = mpls_lse_bos(l->lse);

	switch (nh->op) {
	case MPLS_OP_SWAP:
		return lsr_swap(m, nh, l);
	case MPLS_OP_POP_FWD:
		return lsr_php(m, nh, l);
	case MPLS_OP_POP:
		lsr_pop(l);
		return bos ? lsr_to_ip(m, l, l->md->vrf) : MPLS_INPUT_AGAIN;
	case MPLS_OP_POP_LOOKUP:
		if (unlikely(!bos))
			return lsr_drop(l, DROP_MPLS_BAD_PAYLOAD);
		lsr_pop(l);
		return lsr_to_ip(m, l, nh->vrf);
	default:
		return lsr_drop(l, DROP_MPLS_UNKNOWN_LABEL);
	}
}

static __rte_always_inline rte_edge_t
mpls_input_one(struct rte_mbuf *m)
{
	rte_edge_t next;
	struct lsr l;
	int depth;

	l.md = pkt_md(m);
	l.top = rte_pktmbuf_mtod(m, uint8_t *);
	if (unlikely(!mpls_dp.if_enabled[l.md->in_iface]))
		return lsr_drop(&l, DROP_MPLS_DISABLED);
	depth = mpls_stack_depth(l.top, m->data_len, mpls_dp.max_labels);
	if (unlikely(depth <= 0))
		return lsr_drop(&l, depth == 0 ? DROP_MPLS_TRUNCATED :
				DROP_MPLS_TOO_MANY_LABELS);
	l.n_popped = 0;
	l.lse = mpls_lse_read(l.top);
	l.popped = l.lse;
	l.ttl_in = mpls_lse_ttl(l.lse);
	l.depth = (uint8_t)depth;
	/* Each round pops one entry; the S bit ends it by depth rounds. */
	do {
		next = likely(mpls_lse_label(l.lse) >=
			      MPLS_LABEL_FIRST_UNRESERVED) ?
			lsr_lfib(m, &l) : lsr_reserved(m, &l);
	} while (next == MPLS_INPUT_AGAIN);
	return next;
}

static uint16_t
mpls_input_process(struct rte_graph *graph, struct rte_node *node,
		   void **objs, uint16_t cnt)
{
	struct mpls_input_ctx *ctx = (struct mpls_input_ctx *)node->ctx;
	rte_edge_t next = ctx->last_next;
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, ctx->last_next, cnt);
	for (i = 0; i < cnt; i++) {
		next = mpls_input_one(objs[i]);
		graph_spec_put(&spec, objs[i], next);
	}
	graph_spec_end(&spec);
	if (next != MPLS_INPUT_NEXT_DROP)
		ctx->last_next = next;
	return cnt;
}

static int
mpls_input_init(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct mpls_input_ctx) > RTE_NODE_CTX_SZ);
	((struct mpls_input_ctx *)node->ctx)->last_next =
		MPLS_INPUT_NEXT_OUTPUT;
	return 0;
}

static struct rte_node_register mpls_input_node = {
	.name = "ferry_mpls_input",
	.process = mpls_input_process,
	.init = mpls_input_init,
	.nb_edges = MPLS_INPUT_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [MPLS_INPUT_NEXT_##e] = name,
		FOREACH_MPLS_INPUT_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(mpls_input_node);
