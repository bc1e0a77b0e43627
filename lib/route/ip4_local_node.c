/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip4_local: packets addressed to one of ferry's interface
 * addresses. Echo requests are answered in place (RFC 792; RFC 1812
 * 4.3.3.6), UDP gets ICMP port unreachable, and everything else is
 * counted as ip4_local_unhandled: ferry runs no IP services on its data
 * ports. Fragments are not reassembled.
 *
 * Other libraries take over protocols (ESP) and UDP ports (VXLAN, NAT-T)
 * with route_local_register(): a table lookup per packet, written only
 * before the graphs are built.
 */
#include <rte_graph_worker.h>
#include <rte_icmp.h>
#include <rte_udp.h>

#include "route_priv.h"

enum ip4_local_next {
	IP4_LOCAL_NEXT_DROP,
	IP4_LOCAL_NEXT_LOOKUP,
	IP4_LOCAL_NEXT_ICMP_ERROR,
	IP4_LOCAL_NEXT_MAX
};

#define LOCAL_TTL 64

/* Protocol / UDP port -> edge of a registered node; 0 = not taken. */
static rte_edge_t local_proto_edge[256];
static struct {
	uint16_t port_be;
	rte_edge_t edge;
} local_udp[ROUTE_LOCAL_UDP_MAX];
static unsigned int n_local_udp;

/* Reply in place: swap addresses, type 8 -> 0, patch the checksum. */
static inline rte_edge_t
icmp_echo_reply(struct rte_mbuf *m, struct rte_ipv4_hdr *ip,
		struct rte_icmp_hdr *icmp)
{
	uint32_t addr = ip->src_addr;

	ip->src_addr = ip->dst_addr;
	ip->dst_addr = addr;
	ip->time_to_live = LOCAL_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	/* The type byte fell by 8 in the first 16-bit word (RFC 1624). */
	icmp->icmp_cksum = pkt_cksum_add(icmp->icmp_cksum,
					 rte_cpu_to_be_16(0x0800));
	pkt_md(m)->flags |= PKT_F_LOCAL_ORIGIN;
	return IP4_LOCAL_NEXT_LOOKUP;
}

static inline rte_edge_t
ip4_local_icmp(struct rte_mbuf *m, struct rte_ipv4_hdr *ip, uint32_t ihl)
{
	struct rte_icmp_hdr *icmp =
		(struct rte_icmp_hdr *)((uint8_t *)ip + ihl);
	uint32_t len = rte_be_to_cpu_16(ip->total_length) - ihl;

	if (len < sizeof(*icmp) || pkt_inet_cksum(icmp, len) != 0) {
		pkt_md(m)->drop = DROP_ICMP_BAD;
		return IP4_LOCAL_NEXT_DROP;
	}
	if (icmp->icmp_type == RTE_IP_ICMP_ECHO_REQUEST &&
	    icmp->icmp_code == 0)
		return icmp_echo_reply(m, ip, icmp);
	pkt_md(m)->drop = DROP_IP4_LOCAL_UNHANDLED;
	return IP4_LOCAL_NEXT_DROP;
}

static inline rte_edge_t
ip4_local_one(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;

	if (pkt_ip4_is_fragment(ip)) {
		md->drop = DROP_IP4_FRAGMENT_LOCAL;
		return IP4_LOCAL_NEXT_DROP;
	}
	if (ip->next_proto_id == IPPROTO_ICMP)
		return ip4_local_icmp(m, ip, ihl);
	if (local_proto_edge[ip->next_proto_id] != 0)
		return local_proto_edge[ip->next_proto_id];
	md->drop = DROP_IP4_LOCAL_UNHANDLED;
	if (ip->next_proto_id != IPPROTO_UDP)
		return IP4_LOCAL_NEXT_DROP;
	if (n_local_udp != 0) {
		const struct rte_udp_hdr *udp;
		unsigned int i;

		if (rte_be_to_cpu_16(ip->total_length) < ihl + sizeof(*udp)) {
			md->drop = DROP_IP4_TRUNCATED;
			return IP4_LOCAL_NEXT_DROP;
		}
		udp = (const struct rte_udp_hdr *)((uint8_t *)ip + ihl);
		for (i = 0; i < n_local_udp; i++)
			if (udp->dst_port == local_udp[i].port_be)
				return local_udp[i].edge;
	}
	md->icmp_type = PKT_ICMP_DEST_UNREACH;
	md->icmp_code = PKT_ICMP_PORT_UNREACH;
	return IP4_LOCAL_NEXT_ICMP_ERROR;
}

static uint16_t
ip4_local_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	uint16_t i;

	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, ip4_local_one(objs[i]),
				    objs[i]);
	return cnt;
}

static struct rte_node_register ip4_local_node = {
	.name = "ferry_ip4_local",
	.process = ip4_local_process,
	.nb_edges = IP4_LOCAL_NEXT_MAX,
	.next_nodes = {
		[IP4_LOCAL_NEXT_DROP] = "ferry_drop",
		[IP4_LOCAL_NEXT_LOOKUP] = "ferry_ip4_lookup",
		[IP4_LOCAL_NEXT_ICMP_ERROR] = "ferry_icmp_error",
	},
};

RTE_NODE_REGISTER(ip4_local_node);

int
route_local_register(uint8_t proto, uint16_t udp_port, const char *node_name)
{
	const char *names[] = { node_name };
	rte_edge_t e;
	unsigned int i;

	if (node_name == NULL || proto == IPPROTO_ICMP ||
	    (proto == IPPROTO_UDP) != (udp_port != 0))
		return -EINVAL;
	if (proto == IPPROTO_UDP) {
		for (i = 0; i < n_local_udp; i++)
			if (local_udp[i].port_be == rte_cpu_to_be_16(udp_port))
				return -EEXIST;
		if (n_local_udp == ROUTE_LOCAL_UDP_MAX)
			return -ENOSPC;
	} else if (local_proto_edge[proto] != 0) {
		return -EEXIST;
	}
	e = rte_node_edge_count(ip4_local_node.id);
	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(ip4_local_node.id, e, names, 1) != 1)
		return -EINVAL;
	if (proto == IPPROTO_UDP) {
		local_udp[n_local_udp].port_be = rte_cpu_to_be_16(udp_port);
		local_udp[n_local_udp].edge = e;
		n_local_udp++;
	} else {
		local_proto_edge[proto] = e;
	}
	return 0;
}
