/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_vxlan_decap: UDP to the local VTEP's port, from ferry_ip4_local
 * (route_local_register), data at the outer IPv4 header, already
 * checked by ferry_ip4_input. ferry_vxlan_decap6: the same over an IPv6
 * underlay, from ferry_ip6_local (route6_local_udp_register), data at
 * the outer IPv6 header, m->l3_len at the UDP header. Both check the
 * UDP length and checksum (over IPv4 only if not zero; over IPv6 a zero
 * checksum is dropped: RFC 8200 8.1 makes it mandatory, and VXLAN is
 * not one of the tunnels RFC 6935/6936 exempt) and the VXLAN header
 * (RFC 7348 5), map the VNI to a bridge domain or an L3 VNI and strip
 * the outer headers:
 *   - bridge domain: learn the inner source MAC against the sending
 *     VTEP (the outer source address), then forward to a member by the
 *     MAC table or flood to the members (never back to the overlay);
 *   - L3 VNI: the inner frame must be IPv4 or IPv6; it goes to
 *     ferry_ip4_input or ferry_ip6_input in the VNI's VRF.
 * Unknown VNIs, bad flags and short frames are dropped under their own
 * reasons.
 */
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "vxlan_l2.h"

#define VXLAN_OUTER_L4 (sizeof(struct rte_udp_hdr) + \
			sizeof(struct rte_vxlan_hdr))

/*
 * A one-entry cache of the VNI map per graph: a fabric link mostly
 * carries few VNIs, and the hash lookup was 1/8 of the node's cost
 * (callgrind). It is valid while the map's generation is unchanged;
 * the manager bumps it after each change, so a stale entry lives no
 * longer than an RCU reader could hold the old map.
 */
struct decap_ctx {
	uint32_t vni;
	uint32_t gen;  /* vxlan_dp.vni_gen when filled; vni_gen - 1: empty */
	uintptr_t data;
};

/* The VNI map's data for @p vni, or 0. */
static inline uintptr_t
vni_lookup(struct decap_ctx *ctx, uint32_t vni)
{
	uint32_t gen = __atomic_load_n(&vxlan_dp.vni_gen, __ATOMIC_ACQUIRE);
	void *data;

	if (likely(ctx->vni == vni && ctx->gen == gen))
		return ctx->data;
	if (rte_hash_lookup_data(vxlan_dp.vni, &vni, &data) < 0)
		data = NULL;
	ctx->vni = vni;
	ctx->gen = gen;
	ctx->data = (uintptr_t)data;
	return ctx->data;
}

/* Outer UDP/VXLAN checks; on success the VNI, the bytes of outer
 * headers and of inner frame. */
static inline enum drop_reason
decap_check(struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
	    uint32_t *vni, uint32_t *outer, uint32_t *inner_len)
{
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	uint32_t total = rte_be_to_cpu_16(ip->total_length);
	const struct rte_udp_hdr *udp;
	uint32_t ulen;

	if (unlikely(total < ihl + sizeof(*udp) || m->data_len < total))
		return DROP_VXLAN_TRUNCATED;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(ulen < sizeof(*udp) || ulen > total - ihl))
		return DROP_VXLAN_TRUNCATED;
	if (udp->dgram_cksum != 0 &&
	    unlikely(rte_ipv4_udptcp_cksum_verify(ip, udp) != 0))
		return DROP_VXLAN_BAD_UDP_CHECKSUM;
	*outer = ihl + VXLAN_OUTER_L4;
	*inner_len = ulen - VXLAN_OUTER_L4;
	return vxlan_hdr_check((const struct rte_vxlan_hdr *)(udp + 1),
			       ulen - sizeof(*udp), vni);
}

/* IPv6 outer UDP/VXLAN checks, UDP at m->l3_len; as decap_check(). */
static inline enum drop_reason
decap6_check(struct rte_mbuf *m, const struct rte_ipv6_hdr *ip,
	     uint32_t *vni, uint32_t *outer, uint32_t *inner_len)
{
	uint32_t off = m->l3_len;
	uint32_t total = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	const struct rte_udp_hdr *udp;
	uint32_t ulen;

	if (unlikely(total < off + sizeof(*udp) || m->data_len < total))
		return DROP_VXLAN_TRUNCATED;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + off);
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(ulen < sizeof(*udp) || ulen > total - off))
		return DROP_VXLAN_TRUNCATED;
	if (unlikely(udp->dgram_cksum == 0))
		return DROP_VXLAN_ZERO_UDP_CHECKSUM6;
	if (unlikely(vxlan_udp6_sum(ip, udp, ulen) != 0xffff))
		return DROP_VXLAN_BAD_UDP_CHECKSUM;
	*outer = off + VXLAN_OUTER_L4;
	*inner_len = ulen - VXLAN_OUTER_L4;
	return vxlan_hdr_check((const struct rte_vxlan_hdr *)(udp + 1),
			       ulen - sizeof(*udp), vni);
}

/* An L3 VNI: inner IPv4 or IPv6 into VRF @p vrf. */
static inline rte_edge_t
decap_l3(struct rte_mbuf *m, uint16_t vrf)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	bool v6 = eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);

	if (!v6 && eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return vxlan_l2_drop(m, DROP_VXLAN_BAD_INNER);
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	pkt_md(m)->vrf = vrf;
	m->packet_type = v6 ? RTE_PTYPE_L3_IPV6 : RTE_PTYPE_L3_IPV4;
	return v6 ? VXLAN_L2_NEXT_IP6 : VXLAN_L2_NEXT_IP4;
}

/* What the outer checks found. */
struct decap_res {
	uint32_t vni;
	uint32_t outer;     /* bytes of outer headers */
	uint32_t inner_len; /* bytes of inner frame */
};

/* After the outer checks: the VNI's bridge domain or VRF, outer
 * headers stripped; a bridged frame's source learned behind remote
 * VTEP (@p remote, or 0 and @p remote6). */
static __rte_always_inline rte_edge_t
decap_inner(struct rte_graph *graph, struct rte_node *node,
	    struct rte_mbuf *m, const struct decap_res *d, uint32_t remote,
	    const uint8_t *remote6)
{
	const struct rte_ether_hdr *eth;
	const struct vxlan_bd *b;
	uintptr_t v;

	v = vni_lookup((struct decap_ctx *)node->ctx, d->vni);
	if (unlikely(v == 0))
		return vxlan_l2_drop(m, DROP_VXLAN_UNKNOWN_VNI);
	rte_pktmbuf_adj(m, (uint16_t)d->outer);
	pkt_rx_cksum_forget(m); /* the port's flags were the outer header's */
	if (m->pkt_len > d->inner_len) /* bytes after the UDP datagram */
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - d->inner_len));
	if (v >> 16 == VXLAN_VNI_L3)
		return decap_l3(m, (uint16_t)v);
	b = __atomic_load_n(&vxlan_dp.bd[(uint16_t)v], __ATOMIC_ACQUIRE);
	if (unlikely(b == NULL))
		return vxlan_l2_drop(m, DROP_VXLAN_UNKNOWN_VNI);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (unlikely(!vxlan_l2_src_ok(eth)))
		return vxlan_l2_drop(m, DROP_VXLAN_BAD_INNER);
	vxlan_learn_seen_at(b->id, &eth->src_addr, VXLAN_LOC_TUNNEL, remote,
			    remote6);
	return vxlan_l2_forward(graph, node, m, b, IFACE_NONE);
}

static inline rte_edge_t
decap_one(struct rte_graph *graph, struct rte_node *node, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	struct decap_res d = { 0 };
	enum drop_reason r;

	r = decap_check(m, ip, &d.vni, &d.outer, &d.inner_len);
	if (unlikely(r != DROP_NONE))
		return vxlan_l2_drop(m, r);
	return decap_inner(graph, node, m, &d, rte_be_to_cpu_32(ip->src_addr),
			   NULL);
}

static inline rte_edge_t
decap6_one(struct rte_graph *graph, struct rte_node *node, struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	struct decap_res d = { 0 };
	uint8_t remote6[16];
	enum drop_reason r;

	r = decap6_check(m, ip, &d.vni, &d.outer, &d.inner_len);
	if (unlikely(r != DROP_NONE))
		return vxlan_l2_drop(m, r);
	/* copied while the outer header is still the packet's */
	memcpy(remote6, ip->src_addr, sizeof(remote6));
	return decap_inner(graph, node, m, &d, 0, remote6);
}

static uint16_t
decap_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	      uint16_t cnt)
{
	return vxlan_l2_process(graph, node, objs, cnt, decap_one);
}

static uint16_t
decap6_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	       uint16_t cnt)
{
	return vxlan_l2_process(graph, node, objs, cnt, decap6_one);
}

static int
decap_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct decap_ctx *ctx = (struct decap_ctx *)node->ctx;

	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct decap_ctx) > RTE_NODE_CTX_SZ);
	ctx->gen = __atomic_load_n(&vxlan_dp.vni_gen, __ATOMIC_RELAXED) - 1;
	return 0;
}

static struct rte_node_register vxlan_decap_node = {
	.name = "ferry_vxlan_decap",
	.process = decap_process,
	.init = decap_init,
	.nb_edges = VXLAN_L2_NEXT_TX0,
	.next_nodes = { VXLAN_L2_NEXT_NAMES },
};

RTE_NODE_REGISTER(vxlan_decap_node);

static struct rte_node_register vxlan_decap6_node = {
	.name = "ferry_vxlan_decap6",
	.process = decap6_process,
	.init = decap_init,
	.nb_edges = VXLAN_L2_NEXT_TX0,
	.next_nodes = { VXLAN_L2_NEXT_NAMES },
};

RTE_NODE_REGISTER(vxlan_decap6_node);

rte_node_t
vxlan_decap_node_id(void)
{
	return vxlan_decap_node.id;
}

rte_node_t
vxlan_decap6_node_id(void)
{
	return vxlan_decap6_node.id;
}
