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
 * before the graphs are built. On an interface with a control-plane
 * representor (route_punt_set()), what nobody here serves goes to the
 * node of route_punt_register() instead of being dropped or answered
 * with port unreachable, so the kernel behind the TAP answers it.
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

/* Edge to the control plane's node (route_punt_register()); 0 = none.
 * route_punt_on[] says which interfaces use it: one byte each, written
 * with a single store by the management lcore. */
static rte_edge_t local_punt_edge;
uint8_t route_punt_on[IFACE_MAX];

#define NATT_PORT 4500

/* Unserved: to the control plane if the interface has it, else @p r. */
static inline rte_edge_t
ip4_local_unserved(struct rte_mbuf *m, rte_edge_t otherwise,
		   enum drop_reason r)
{
	struct pkt_md *md = pkt_md(m);

	if (route_punt_iface(md->in_iface))
		return local_punt_edge;
	md->drop = (uint8_t)r;
	return otherwise;
}

/* RFC 3948 2.2: on UDP 4500 a first payload word of zero is IKE, which
 * the IKE daemon behind the TAP takes; ESP stays with its library. */
static inline bool
natt_is_ike(const struct rte_ipv4_hdr *ip, uint32_t ihl,
	    const struct rte_udp_hdr *udp)
{
	const uint8_t *p = (const uint8_t *)(udp + 1);

	return udp->dst_port == rte_cpu_to_be_16(NATT_PORT) &&
	       rte_be_to_cpu_16(ip->total_length) >= ihl + 12 &&
	       (p[0] | p[1] | p[2] | p[3]) == 0;
}

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
	return ip4_local_unserved(m, IP4_LOCAL_NEXT_DROP,
				  DROP_IP4_LOCAL_UNHANDLED);
}

/* UDP to ferry: a registered port's node, or nobody's. */
static inline rte_edge_t
ip4_local_udp(struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
	      uint32_t ihl)
{
	const struct rte_udp_hdr *udp;
	unsigned int i;

	if (rte_be_to_cpu_16(ip->total_length) < ihl + sizeof(*udp)) {
		pkt_md(m)->drop = DROP_IP4_TRUNCATED;
		return IP4_LOCAL_NEXT_DROP;
	}
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	for (i = 0; i < n_local_udp; i++)
		if (udp->dst_port == local_udp[i].port_be) {
			if (unlikely(route_punt_iface(pkt_md(m)->in_iface)) &&
			    natt_is_ike(ip, ihl, udp))
				return local_punt_edge;
			return local_udp[i].edge;
		}
	pkt_md(m)->icmp_type = PKT_ICMP_DEST_UNREACH;
	pkt_md(m)->icmp_code = PKT_ICMP_PORT_UNREACH;
	return ip4_local_unserved(m, IP4_LOCAL_NEXT_ICMP_ERROR,
				  DROP_IP4_LOCAL_UNHANDLED);
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
	if (ip->next_proto_id == IPPROTO_UDP)
		return ip4_local_udp(m, ip, ihl);
	return ip4_local_unserved(m, IP4_LOCAL_NEXT_DROP,
				  DROP_IP4_LOCAL_UNHANDLED);
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

int
route_punt_register(const char *node_name)
{
	const char *names[] = { node_name };
	rte_edge_t e;
	int rc;

	if (node_name == NULL)
		return -EINVAL;
	if (local_punt_edge != 0)
		return -EEXIST;
	e = rte_node_edge_count(ip4_local_node.id);
	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(ip4_local_node.id, e, names, 1) != 1)
		return -EINVAL;
	rc = ip4_input_punt_edge_add(node_name);
	if (rc == 0)
		rc = ip6_local_punt_edge_add(node_name);
	if (rc < 0)
		return rc;
	local_punt_edge = e;
	return 0;
}

int
route_punt_set(unsigned int iface, bool on)
{
	if (iface >= IFACE_MAX || (on && local_punt_edge == 0))
		return -EINVAL;
	__atomic_store_n(&route_punt_on[iface], (uint8_t)on, __ATOMIC_RELEASE);
	return 0;
}
