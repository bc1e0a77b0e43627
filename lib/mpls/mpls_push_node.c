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
 * mpls_mtu_exceeded otherwise: ferry does not fragment.
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

static inline rte_edge_t
mpls_push_one(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct mpls_imp *imp = &mpls_dp.imp[md->nbr];
	uint32_t idx = __atomic_load_n(&mpls_dp.lsp[imp->lsp],
				       __ATOMIC_ACQUIRE);
	const struct mpls_nhlfe *lsp = &mpls_dp.nhlfe[idx];
	uint16_t hdr = (uint16_t)((lsp->n_out + 1u) * MPLS_LSE_LEN);
	uint16_t mtu = iface_table[lsp->iface].mtu;
	uint8_t ttl, tc;
	uint8_t *p;

	uint64_t *c = stats_ctr_get(&mpls_lsp_ctr, imp->lsp);

	if (unlikely(idx == 0)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push_drop(md, DROP_MPLS_NO_LSP);
	}
	if (unlikely(rte_be_to_cpu_16(ip->total_length) + hdr > mtu)) {
		c[MPLS_LSP_CTR_DROPS]++;
		return push_too_big(m, ip, (uint16_t)(mtu - hdr));
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		pkt_ip4_ttl_dec(ip);
	ttl = mpls_push_ttl((enum mpls_ttl_mode)mpls_dp.vrf[md->vrf].ttl_mode,
			    ip->time_to_live);
	tc = unlikely(md->flags & PKT_F_MPLS_TC) ? md->mpls_tc & MPLS_TC_MAX :
		mpls_dp.tc_of_dscp[ip->type_of_service >> 2];
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
