/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_vxlan_encap: an untagged inner frame at the mbuf data, its
 * tunnel index in pkt_md.nbr (from ferry_vxlan_bridge, ferry_vxlan_route
 * or a flood copy). Writes outer Ethernet (802.1Q on a subinterface),
 * IPv4, UDP and VXLAN headers (RFC 7348 5: I flag, 24-bit VNI, source
 * port from the inner flow, UDP checksum 0; TTL and DSCP set or copied
 * from inner IPv4) toward the tunnel's underlay next hop and hands the
 * packet to its port's tx node. A frame that does not fit the underlay
 * MTU with the overhead is dropped (vxlan_mtu_exceeded): bridged frames
 * have no sender to tell; routed ones were checked by ferry_vxlan_route.
 *
 * A tunnel to an IPv6 VTEP gets outer IPv6 (hop limit and traffic class
 * as TTL and DSCP above, flow label from the inner flow's hash, RFC
 * 6438), UDP with its checksum computed (mandatory over IPv6, RFC 8200
 * 8.1) and VXLAN, and goes to ferry_ip6_lookup in the underlay VRF as a
 * packet ferry built: the IPv6 FIB picks the next hop and ND resolves it
 * (holding the packet meanwhile) as for any IPv6 packet ferry sends.
 */
#include <errno.h>

#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "port.h"
#include "vxlan_l2.h"

enum encap_next {
	ENCAP_NEXT_DROP,
	ENCAP_NEXT_IP6, /* IPv6 underlay: ferry_ip6_lookup picks the hop */
	ENCAP_NEXT_TX0, /* + port index */
};

struct encap_ctx {
	rte_edge_t last_next;
};

static inline rte_edge_t
encap_drop(struct rte_mbuf *m, enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	return ENCAP_NEXT_DROP;
}

/* TTL and TOS of the outer header, set or copied from inner IPv4. */
static inline void
encap_qos(const uint8_t *frame, uint32_t len, struct vxlan_encap_params *e)
{
	const struct vxlan_params *p = &vxlan_dp.p;
	int tos = (p->tos_copy | p->ttl_copy) ?
		vxlan_inner_tos(frame, len) : -1;

	e->tos = p->tos;
	e->ttl = p->ttl;
	if (tos < 0)
		return;
	if (p->tos_copy)
		e->tos = (uint8_t)(tos & 0xfc); /* DSCP; ECN not copied */
	if (p->ttl_copy)
		e->ttl = ((const struct rte_ipv4_hdr *)
			  (frame + RTE_ETHER_HDR_LEN))->time_to_live;
}

/* A frame for a tunnel that could not go: the tunnel counts it. */
static inline rte_edge_t
tun_drop(struct rte_mbuf *m, uint64_t *c, enum drop_reason r)
{
	c[VXLAN_CTR_DROPS]++;
	return encap_drop(m, r);
}

/* Outer IPv6/UDP/VXLAN for IPv6 tunnel @p t; to ferry_ip6_lookup. */
static inline rte_edge_t
encap6_one(struct rte_mbuf *m, const struct vxlan_tunnel *t, uint64_t *c)
{
	struct pkt_md *md = pkt_md(m);
	struct vxlan_encap6_params e;
	struct vxlan_encap_params q;
	uint32_t inner_len = m->pkt_len, h;
	struct rte_ipv6_hdr *ip;
	uint8_t *p;

	/* the FIB's next hop at the last refresh (vxlan_tunnels_refresh):
	 * none means no route; its interface's MTU is the one it meets */
	if (unlikely(!vxlan_tunnel_routed6(t)))
		return tun_drop(m, c, DROP_VXLAN_NEXTHOP_UNRESOLVED);
	if (unlikely(inner_len + VXLAN_ENCAP6_L3 > iface_table[t->iface].mtu))
		return tun_drop(m, c, DROP_VXLAN_MTU_EXCEEDED);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	h = vxlan_flow_hash(p, m->data_len);
	encap_qos(p, m->data_len, &q);
	memcpy(e.src, vxlan_dp.p.local6, 16);
	memcpy(e.dst, t->remote6, 16);
	e.vni = t->vni;
	e.flow = vxlan_flow_label_of(h);
	e.dst_port = vxlan_dp.p.udp_port;
	e.src_port = vxlan_sport_of(h);
	e.hop_limit = q.ttl;
	e.tc = q.tos;
	ip = (struct rte_ipv6_hdr *)rte_pktmbuf_prepend(m, VXLAN_ENCAP6_L3);
	if (unlikely(ip == NULL))
		return encap_drop(m, DROP_NO_HEADROOM);
	vxlan_encap6_write((uint8_t *)ip, inner_len, &e);
	((struct rte_udp_hdr *)(ip + 1))->dgram_cksum =
		rte_ipv6_udptcp_cksum_mbuf(m, ip, sizeof(*ip));
	md->vrf = (uint16_t)vxlan_underlay_vrf;
	md->flags |= PKT_F_LOCAL_ORIGIN;
	m->packet_type = RTE_PTYPE_L3_IPV6;
	c[VXLAN_CTR_PKTS]++;
	c[VXLAN_CTR_BYTES] += m->pkt_len;
	return ENCAP_NEXT_IP6;
}

static inline rte_edge_t
encap_one(struct rte_mbuf *m)
{
	struct pkt_md *md = pkt_md(m);
	const struct vxlan_tunnel *t;
	struct vxlan_encap_params e;
	const struct iface *ifc;
	struct rte_ether_addr dst;
	uint32_t inner_len = m->pkt_len;
	uint64_t *c;
	uint16_t l2;
	uint8_t *p;

	t = __atomic_load_n(&vxlan_dp.tun[md->nbr], __ATOMIC_ACQUIRE);
	if (unlikely(t == NULL))
		return encap_drop(m, DROP_VXLAN_NO_TUNNEL);
	c = stats_ctr_get(&vxlan_tun_ctr, md->nbr);
	if (t->remote == 0)
		return encap6_one(m, t, c);
	if (unlikely(t->nbr == ROUTE_NBR_NONE || !route_nbr_mac(t->nbr, &dst)))
		return tun_drop(m, c, DROP_VXLAN_NEXTHOP_UNRESOLVED);
	ifc = &iface_table[t->iface];
	if (unlikely(!ifc->up))
		return tun_drop(m, c, DROP_IFACE_DOWN);
	if (unlikely(inner_len + VXLAN_ENCAP_L3 > ifc->mtu))
		return tun_drop(m, c, DROP_VXLAN_MTU_EXCEEDED);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	e.src = vxlan_dp.p.local;
	e.dst = t->remote;
	e.vni = t->vni;
	e.dst_port = vxlan_dp.p.udp_port;
	e.src_port = vxlan_src_port(p, m->data_len);
	encap_qos(p, m->data_len, &e);
	l2 = iface_l2_len(ifc);
	p = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)(l2 + VXLAN_ENCAP_L3));
	if (unlikely(p == NULL))
		return encap_drop(m, DROP_NO_HEADROOM);
	iface_l2_write(ifc, (struct rte_ether_hdr *)p, &dst,
		       rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	vxlan_encap_write(p + l2, inner_len, &e);
	md->out_iface = t->iface;
	iface_count_tx(t->iface, m->pkt_len);
	c[VXLAN_CTR_PKTS]++;
	c[VXLAN_CTR_BYTES] += m->pkt_len;
	return ENCAP_NEXT_TX0 + ifc->port_idx;
}

static uint16_t
encap_process(struct rte_graph *graph, struct rte_node *node, void **objs,
	      uint16_t cnt)
{
	struct encap_ctx *ctx = (struct encap_ctx *)node->ctx;
	rte_edge_t next = ctx->last_next;
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, ctx->last_next, cnt);
	for (i = 0; i < cnt; i++) {
		next = encap_one(objs[i]);
		graph_spec_put(&spec, objs[i], next);
	}
	graph_spec_end(&spec);
	if (next >= ENCAP_NEXT_TX0)
		ctx->last_next = next;
	return cnt;
}

static int
encap_init(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct encap_ctx) > RTE_NODE_CTX_SZ);
	((struct encap_ctx *)node->ctx)->last_next = ENCAP_NEXT_TX0;
	return 0;
}

static struct rte_node_register vxlan_encap_node = {
	.name = "ferry_vxlan_encap",
	.process = encap_process,
	.init = encap_init,
	.nb_edges = ENCAP_NEXT_TX0,
	.next_nodes = { [ENCAP_NEXT_DROP] = "ferry_drop",
			[ENCAP_NEXT_IP6] = "ferry_ip6_lookup" },
};

RTE_NODE_REGISTER(vxlan_encap_node);

/* Edges to every port from the nodes that transmit; once per process
 * (a second setup finds them there). */
static int
edges_add(rte_node_t id, rte_edge_t first)
{
	if (rte_node_edge_count(id) > first)
		return 0;
	return port_tx_edges_add(id) == first ? 0 : -EINVAL;
}

int
vxlan_node_edges_add(void)
{
	int rc = edges_add(vxlan_encap_node.id, ENCAP_NEXT_TX0);

	if (rc == 0)
		rc = edges_add(vxlan_decap_node_id(), VXLAN_L2_NEXT_TX0);
	if (rc == 0)
		rc = edges_add(vxlan_decap6_node_id(), VXLAN_L2_NEXT_TX0);
	if (rc == 0)
		rc = edges_add(vxlan_bridge_node_id(), VXLAN_L2_NEXT_TX0);
	return rc;
}
