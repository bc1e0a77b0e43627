/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bridging shared by ferry_vxlan_decap (frames from the overlay) and
 * ferry_vxlan_bridge (frames from member interfaces): forwarding by the
 * MAC table and flooding with head-end replication. Frames are untagged
 * Ethernet at the mbuf data here; a member that is a VLAN subinterface
 * gets its tag on the way out.
 *
 * Split horizon: a frame from the overlay is never sent back into it
 * (RFC 7348 4.1: remote VTEPs flood to their own local ports), and a
 * flooded frame never goes back to the interface it came from.
 */
#ifndef FERRY_VXLAN_L2_H
#define FERRY_VXLAN_L2_H

#include <rte_graph_worker.h>

#include "vxlan_priv.h"

/* Edges every bridging node has, in this order; ports follow. */
enum vxlan_l2_next {
	VXLAN_L2_NEXT_DROP,
	VXLAN_L2_NEXT_ENCAP,
	VXLAN_L2_NEXT_IP4,   /* ferry_vxlan_decap only: L3 VNIs */
	VXLAN_L2_NEXT_IP6,   /* ferry_vxlan_decap only: L3 VNIs, IPv6 */
	VXLAN_L2_NEXT_TX0,   /* + port index */
};

#define VXLAN_L2_NEXT_NAMES                             \
	[VXLAN_L2_NEXT_DROP] = "ferry_drop",            \
	[VXLAN_L2_NEXT_ENCAP] = "ferry_vxlan_encap",    \
	[VXLAN_L2_NEXT_IP4] = "ferry_ip4_input",        \
	[VXLAN_L2_NEXT_IP6] = "ferry_ip6_input"

static inline rte_edge_t
vxlan_l2_drop(struct rte_mbuf *m, enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	return VXLAN_L2_NEXT_DROP;
}

/* Tag the frame for member @p ifc and pick its port's edge. */
static inline rte_edge_t
vxlan_l2_to_member(struct rte_mbuf *m, const struct iface *ifc)
{
	struct rte_vlan_hdr *vh;
	uint8_t *p;

	if (unlikely(!ifc->up))
		return vxlan_l2_drop(m, DROP_IFACE_DOWN);
	if (ifc->vlan != 0) {
		p = (uint8_t *)rte_pktmbuf_prepend(m, sizeof(*vh));
		if (unlikely(p == NULL))
			return vxlan_l2_drop(m, DROP_NO_HEADROOM);
		memmove(p, p + sizeof(*vh), 2 * RTE_ETHER_ADDR_LEN);
		((struct rte_ether_hdr *)p)->ether_type =
			rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh = (struct rte_vlan_hdr *)(p + RTE_ETHER_HDR_LEN);
		vh->vlan_tci = rte_cpu_to_be_16(ifc->vlan);
		/* eth_proto: the inner type, already in place */
	}
	pkt_md(m)->out_iface = (uint16_t)(ifc - iface_table);
	return VXLAN_L2_NEXT_TX0 + ifc->port_idx;
}

/* Remove the 802.1Q tag of a frame from a subinterface member. */
static inline void
vxlan_l2_untag(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	memmove(p + sizeof(struct rte_vlan_hdr), p, 2 * RTE_ETHER_ADDR_LEN);
	rte_pktmbuf_adj(m, sizeof(struct rte_vlan_hdr));
}

/* Where destination number @p i of a flood goes (@p m prepared). */
static inline rte_edge_t
vxlan_l2_flood_dest(struct rte_mbuf *m, const struct vxlan_bd *b,
		    unsigned int i, const uint16_t *members, unsigned int n_m)
{
	if (i < n_m)
		return vxlan_l2_to_member(m, &iface_table[members[i]]);
	pkt_md(m)->nbr = b->flood[i - n_m];
	return VXLAN_L2_NEXT_ENCAP;
}

/*
 * Flood @p m (BUM, or unknown unicast) in bridge domain @p b: to every
 * member but @p skip (IFACE_NONE: none), and, when @p to_overlay, to
 * every VTEP of the flood list (head-end replication, RFC 7348 4.2).
 * Each destination but the last gets a copy (rte_pktmbuf_copy: the
 * copies are changed by tagging and encapsulation, so they cannot share
 * data); the last gets @p m. @return the edge of @p m.
 */
static inline rte_edge_t
vxlan_l2_flood(struct rte_graph *graph, struct rte_node *node,
	       struct rte_mbuf *m, const struct vxlan_bd *b, uint16_t skip,
	       bool to_overlay)
{
	uint16_t members[VXLAN_BD_MEMBERS_MAX];
	unsigned int n_m = 0, n, i;
	struct rte_mbuf *c;

	for (i = 0; i < b->n_members; i++)
		if (b->members[i] != skip)
			members[n_m++] = b->members[i];
	n = n_m + (to_overlay ? b->n_flood : 0);
	if (n == 0)
		return vxlan_l2_drop(m, DROP_L2_FLOOD_NONE);
	for (i = 0; i + 1 < n; i++) {
		c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
		if (unlikely(c == NULL)) {
			__atomic_fetch_add(&vxlan_dp.copy_failed, 1,
					   __ATOMIC_RELAXED);
			continue;
		}
		rte_node_enqueue_x1(graph, node,
				    vxlan_l2_flood_dest(c, b, i, members, n_m),
				    c);
	}
	return vxlan_l2_flood_dest(m, b, n - 1, members, n_m);
}

/* Forward by destination MAC, or flood. @p from_iface is IFACE_NONE
 * for frames from the overlay. */
static inline rte_edge_t
vxlan_l2_forward(struct rte_graph *graph, struct rte_node *node,
		 struct rte_mbuf *m, const struct vxlan_bd *b,
		 uint16_t from_iface)
{
	const struct rte_ether_hdr *eth =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	bool from_overlay = from_iface == IFACE_NONE;
	uint64_t *c = stats_ctr_get(&vxlan_bd_ctr, b->id);
	uint64_t w = 0;

	c[VXLAN_CTR_PKTS]++;
	c[VXLAN_CTR_BYTES] += m->pkt_len;
	if (rte_is_unicast_ether_addr(&eth->dst_addr))
		w = vxlan_mac_find(b->id, &eth->dst_addr);
	if (w == 0)
		return vxlan_l2_flood(graph, node, m, b, from_iface,
				      !from_overlay);
	if (VXLAN_LOC_KIND(w) == VXLAN_LOC_IFACE) {
		if (unlikely(VXLAN_LOC_IDX(w) == from_iface)) {
			c[VXLAN_CTR_DROPS]++;
			return vxlan_l2_drop(m, DROP_L2_HAIRPIN);
		}
		return vxlan_l2_to_member(m, &iface_table[VXLAN_LOC_IDX(w)]);
	}
	if (unlikely(from_overlay)) {
		c[VXLAN_CTR_DROPS]++;
		return vxlan_l2_drop(m, DROP_L2_HAIRPIN);
	}
	pkt_md(m)->nbr = VXLAN_LOC_IDX(w);
	return VXLAN_L2_NEXT_ENCAP;
}

/*
 * The process function of a bridging node: each packet is enqueued by
 * itself, since a flooded one leaves on several edges and its copies
 * are enqueued while the burst is walked (no speculative stream can be
 * held open meanwhile). Deciding a chunk first and then enqueueing with
 * speculation was measured: 6 % more instructions per packet (callgrind,
 * encap case of scripts/bench/vxlan_bench.py).
 */
static inline uint16_t
vxlan_l2_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		 uint16_t cnt,
		 rte_edge_t (*one)(struct rte_graph *g, struct rte_node *n,
				   struct rte_mbuf *m))
{
	uint16_t i;

	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, one(graph, node, objs[i]),
				    objs[i]);
	return cnt;
}

/* A source MAC that may be learned: unicast and not all zero. */
static inline bool
vxlan_l2_src_ok(const struct rte_ether_hdr *eth)
{
	return rte_is_unicast_ether_addr(&eth->src_addr) &&
	       !rte_is_zero_ether_addr(&eth->src_addr);
}

#endif /* FERRY_VXLAN_L2_H */
