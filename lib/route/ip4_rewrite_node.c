/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip4_rewrite: the last stage of forwarding. Enforces the egress
 * MTU (ferry does not fragment: DF packets get ICMP "fragmentation
 * needed" with the MTU, RFC 1191; others are dropped as
 * ip4_mtu_exceeded), decrements TTL with an incremental checksum update,
 * writes the Ethernet (and 802.1Q) header of the egress interface and
 * hands the packet to its port's tx node.
 */
#include <string.h>

#include <rte_graph_worker.h>

#include "port.h"
#include "route_priv.h"

enum ip4_rewrite_next {
	IP4_REWRITE_NEXT_DROP,
	IP4_REWRITE_NEXT_ICMP_ERROR,
	IP4_REWRITE_NEXT_TX0, /* + port index */
};

struct ip4_rewrite_ctx {
	rte_edge_t last_next;
};

static inline rte_edge_t
ip4_too_big(struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
	    const struct iface *ifc)
{
	struct pkt_md *md = pkt_md(m);

	md->drop = DROP_IP4_MTU_EXCEEDED;
	if (!(ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG)))
		return IP4_REWRITE_NEXT_DROP;
	md->icmp_type = PKT_ICMP_DEST_UNREACH;
	md->icmp_code = PKT_ICMP_FRAG_NEEDED;
	md->icmp_mtu = ifc->mtu;
	return IP4_REWRITE_NEXT_ICMP_ERROR;
}

static inline rte_edge_t
ip4_rewrite_one(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->out_iface];
	struct rte_ether_hdr *eth;
	struct rte_ether_addr dst;
	uint64_t w;

	if (unlikely(!ifc->up)) {
		iface_count_drop(md->out_iface);
		md->drop = DROP_IFACE_DOWN;
		return IP4_REWRITE_NEXT_DROP;
	}
	if (unlikely(rte_be_to_cpu_16(ip->total_length) > ifc->mtu)) {
		iface_count_drop(md->out_iface);
		return ip4_too_big(m, ip, ifc);
	}
	if (likely(!(md->flags & PKT_F_LOCAL_ORIGIN)))
		pkt_ip4_ttl_dec(ip);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m,
							  iface_l2_len(ifc));
	if (unlikely(eth == NULL)) {
		md->drop = DROP_NO_HEADROOM;
		return IP4_REWRITE_NEXT_DROP;
	}
	w = __atomic_load_n(&nbr_table[md->nbr].mac_state, __ATOMIC_RELAXED);
	memcpy(dst.addr_bytes, &w, RTE_ETHER_ADDR_LEN); /* no type punning */
	iface_l2_write(ifc, eth, &dst, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
	iface_count_tx(md->out_iface, m->pkt_len);
	return IP4_REWRITE_NEXT_TX0 + ifc->port_idx;
}

static uint16_t
ip4_rewrite_process(struct rte_graph *graph, struct rte_node *node,
		    void **objs, uint16_t cnt)
{
	struct ip4_rewrite_ctx *ctx = (struct ip4_rewrite_ctx *)node->ctx;
	struct graph_spec spec;
	rte_edge_t next = ctx->last_next;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, ctx->last_next, cnt);
	for (i = 0; i < cnt; i++) {
		if (i + 2 < cnt)
			rte_prefetch0(&nbr_table[pkt_md(objs[i + 2])->nbr]);
		next = ip4_rewrite_one(objs[i]);
		graph_spec_put(&spec, objs[i], next);
	}
	graph_spec_end(&spec);
	if (next >= IP4_REWRITE_NEXT_TX0)
		ctx->last_next = next;
	return cnt;
}

static int
ip4_rewrite_init(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	RTE_BUILD_BUG_ON(sizeof(struct ip4_rewrite_ctx) > RTE_NODE_CTX_SZ);
	((struct ip4_rewrite_ctx *)node->ctx)->last_next =
		IP4_REWRITE_NEXT_TX0;
	return 0;
}

static struct rte_node_register ip4_rewrite_node = {
	.name = "ferry_ip4_rewrite",
	.process = ip4_rewrite_process,
	.init = ip4_rewrite_init,
	.nb_edges = IP4_REWRITE_NEXT_TX0,
	.next_nodes = {
		[IP4_REWRITE_NEXT_DROP] = "ferry_drop",
		[IP4_REWRITE_NEXT_ICMP_ERROR] = "ferry_icmp_error",
	},
};

RTE_NODE_REGISTER(ip4_rewrite_node);

/** Add the per-port tx edges; called once ports exist. */
int
ip4_rewrite_edges_add(void)
{
	rte_edge_t e = port_tx_edges_add(ip4_rewrite_node.id);

	return e == IP4_REWRITE_NEXT_TX0 ? 0 : -EINVAL;
}

bool
ip4_rewrite_node_wrapped(const struct rte_node *copy)
{
	return copy->process != ip4_rewrite_process;
}
