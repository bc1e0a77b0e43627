/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_mpls_push: the ingress PE (RFC 4364 5). ferry_ip4_lookup found a
 * VPN route in the packet's VRF and hands it over with the route's
 * imposition in pkt_md.nbr; the TTL is checked already. This node
 * pushes the VPN label (S=1) and then the transport labels of the LSP
 * to the remote PE, outermost last (RFC 3032 2.1), and passes the packet
 * to ferry_mpls_output toward the LSP's next hop.
 *
 * The ingress PE is an IP hop: the IP TTL is decremented (RFC 1812).
 * The labels get that TTL in uniform mode, 255 in pipe mode (RFC 3443
 * 3.1/3.3), by the VRF's ttl_mode; their TC is the one an ACL rule chose
 * (lib/classify: pkt_md.mpls_tc with PKT_F_MPLS_TC), else it comes from
 * the DSCP through mpls.tc_map. A packet that does not fit the egress
 * MTU with its labels gets ICMP "fragmentation needed" with the MTU left
 * for IP (RFC 1191, RFC 3032 3) when DF is set, and is dropped as
 * mpls_mtu_exceeded otherwise: ferry does not fragment. Its IPv6 twin,
 * ferry_mpls_push6, is at the end of this file and shares the stack
 * writing.
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "mpls_priv.h"

#define FOREACH_MPLS_PUSH_NEXT(_)           \
	_(DROP, "ferry_drop")               \
	_(OUTPUT, "ferry_mpls_output")      \
	_(ICMP_ERROR, "ferry_icmp_error")

enum mpls_push_next {
#define _NEXT_ENUM(e, name) MPLS_PUSH_NEXT_##e,
	FOREACH_MPLS_PUSH_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	MPLS_PUSH_NEXT_MAX
};

static inline rte_edge_t
push_drop(struct pkt_md *md, enum drop_reason r)
{
	md->drop = (uint8_t)r;
	return MPLS_PUSH_NEXT_DROP;
}

static inline rte_edge_t
push_too_big(struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
	     uint16_t ip_mtu)
{
	struct pkt_md *md = pkt_md(m);

	md->drop = DROP_MPLS_MTU_EXCEEDED;
	if (!(ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG)))
		return MPLS_PUSH_NEXT_DROP;
	md->icmp_type = PKT_ICMP_DEST_UNREACH;
	md->icmp_code = PKT_ICMP_FRAG_NEEDED;
	md->icmp_mtu = ip_mtu;
	return MPLS_PUSH_NEXT_ICMP_ERROR;
}

/* Write the stack at @p p: out[] of the LSP, then the VPN label. */
static inline void
push_labels(uint8_t *p, const struct mpls_nhlfe *lsp, uint32_t vpn_lse,
	    uint32_t tc_ttl)
{
	unsigned int i;

	for (i = 0; i < lsp->n_out; i++)
		mpls_lse_write(p + i * MPLS_LSE_LEN, lsp->out[i] | tc_ttl);
	mpls_lse_write(p + i * MPLS_LSE_LEN, vpn_lse | tc_ttl);
}

/* The LSP of imposition @p imp: its NHLFE (op NONE if it is down) and
 * counters. */
static inline const struct mpls_nhlfe *
push_lsp(const struct mpls_imp *imp, uint64_t **c)
{
	uint32_t idx = __atomic_load_n(&mpls_dp.lsp[imp->lsp],
				       __ATOMIC_ACQUIRE);

	*c = stats_ctr_get(&mpls_lsp_ctr, imp->lsp);
	return &mpls_dp.nhlfe[idx];
}

static inline uint16_t
push_hdr_len(const struct mpls_nhlfe *lsp)
{
	return (uint16_t)((lsp->n_out + 1u) * MPLS_LSE_LEN);
}

/* Labels of @p lsp plus the VPN label over @p m, TTL @p ttl and TC
 * @p tc (classify's, else from @p dscp); then toward the LSP's next
 * hop. */
static inline rte_edge_t
push_commit(struct rte_mbuf *m, const struct mpls_imp *imp,
	    const struct mpls_nhlfe *lsp, uint64_t *c, uint8_t ttl,
	    uint8_t dscp)
{
	struct pkt_md *md = pkt_md(m);
	uint16_t hdr = push_hdr_len(lsp);
	uint8_t tc;
	uint8_t *p;

	tc = unlikely(md->flags & PKT_F_MPLS_TC) ? md->mpls_tc & MPLS_TC_MAX :
		mpls_dp.tc_of_dscp[dscp];
	p = (uint8_t *)rte_pktmbuf_prepend(m, hdr);
	if (unlikely(p == NULL))
		return push_drop(md, DROP_NO_HEADROOM);
	push_labels(p, lsp, imp->lse, (uint32_t)tc << MPLS_TC_SHIFT | ttl);
	c[MPLS_LSP_CTR_PKTS]++;
	c[MPLS_LSP_CTR_BYTES] += m->pkt_len;
	md->out_iface = lsp->iface;
	md->nbr = lsp->nbr;
	return MPLS_PUSH_NEXT_OUTPUT;
}

static inline rte_edge_t
mpls_push_one(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct mpls_imp *imp = &mpls_dp.imp[md->nbr];
	uint64_t *c;
	const struct mpls_nhlfe *lsp = push_lsp(imp, &c);
	uint16_t hdr = push_hdr_len(lsp);
	uint16_t mtu = iface_table[lsp->iface].mtu;

	if (unlikely(lsp->op == MPLS_OP_NONE)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push_drop(md, DROP_MPLS_NO_LSP);
	}
	if (unlikely(rte_be_to_cpu_16(ip->total_length) + hdr > mtu)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push_too_big(m, ip, (uint16_t)(mtu - hdr));
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		pkt_ip4_ttl_dec(ip);
	return push_commit(m, imp, lsp, c,
			   mpls_push_ttl((enum mpls_ttl_mode)
					 mpls_dp.vrf[md->vrf].ttl_mode,
					 ip->time_to_live),
			   ip->type_of_service >> 2);
}

static uint16_t
mpls_push_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, MPLS_PUSH_NEXT_OUTPUT, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], mpls_push_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register mpls_push_node = {
	.name = "ferry_mpls_push",
	.process = mpls_push_process,
	.nb_edges = MPLS_PUSH_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [MPLS_PUSH_NEXT_##e] = name,
		FOREACH_MPLS_PUSH_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(mpls_push_node);

/*
 * ferry_mpls_push6: 6VPE (RFC 4659 3.2) and 6PE (RFC 4798 3): an IPv6
 * route of a VRF (6PE: the default VRF) leads to the same imposition as
 * an IPv4 VPN route, the VPN label under the IPv4 LSP to the remote PE.
 * ferry_ip6_lookup checked the hop limit; the ingress PE is an IPv6 hop
 * and decrements it (RFC 8200 3). The labels get it in uniform mode, 255
 * in pipe mode (RFC 3443), their TC from the DSCP of the traffic class
 * (RFC 2474). IPv6 is never fragmented on the way (RFC 8200 5): a packet
 * that does not fit with its labels gets ICMPv6 packet too big with the
 * MTU left for IPv6 (RFC 4443 3.2, RFC 3032 3).
 */
#define FOREACH_MPLS_PUSH6_NEXT(_)          \
	_(DROP, "ferry_drop")               \
	_(OUTPUT, "ferry_mpls_output")      \
	_(ICMP_ERROR, "ferry_icmp6_error")

#define ICMP6_PACKET_TOO_BIG 2 /* RFC 4443 3.2 */

static inline rte_edge_t
push6_too_big(struct pkt_md *md, uint16_t ip_mtu)
{
	md->drop = DROP_MPLS_MTU_EXCEEDED;
	md->icmp_type = ICMP6_PACKET_TOO_BIG;
	md->icmp_code = 0;
	md->icmp_mtu = ip_mtu;
	return MPLS_PUSH_NEXT_ICMP_ERROR;
}

static inline rte_edge_t
mpls_push6_one(struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct mpls_imp *imp = &mpls_dp.imp[md->nbr];
	uint64_t *c;
	const struct mpls_nhlfe *lsp = push_lsp(imp, &c);
	uint16_t hdr = push_hdr_len(lsp);
	uint16_t mtu = iface_table[lsp->iface].mtu;
	uint32_t len = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);

	if (unlikely(lsp->op == MPLS_OP_NONE)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push_drop(md, DROP_MPLS_NO_LSP);
	}
	if (unlikely(len + hdr > mtu)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push6_too_big(md, (uint16_t)(mtu - hdr));
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		ip->hop_limits--;
	return push_commit(m, imp, lsp, c,
			   mpls_push_ttl((enum mpls_ttl_mode)
					 mpls_dp.vrf[md->vrf].ttl_mode,
					 ip->hop_limits),
			   (uint8_t)(rte_be_to_cpu_32(ip->vtc_flow) >> 22 &
				     MPLS_DSCP_MAX));
}

static uint16_t
mpls_push6_process(struct rte_graph *graph, struct rte_node *node,
		   void **objs, uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, MPLS_PUSH_NEXT_OUTPUT, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], mpls_push6_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

/* Same edge numbers as ferry_mpls_push: the helpers above return them. */
static struct rte_node_register mpls_push6_node = {
	.name = "ferry_mpls_push6",
	.process = mpls_push6_process,
	.nb_edges = MPLS_PUSH_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [MPLS_PUSH_NEXT_##e] = name,
		FOREACH_MPLS_PUSH6_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(mpls_push6_node);
