/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip6_local: IPv6 packets addressed to ferry (a local route, the
 * interface's link-local address, ff02::1 or a solicited-node group).
 * ICMPv6 checksums are checked with the pseudo-header (RFC 4443 2.3);
 * echo requests are answered in place (RFC 4443 4.2) and routed back;
 * neighbour solicitations and advertisements go to the management lcore
 * (nd_input.c); router messages and redirects are ignored (ferry sends
 * no RAs and takes no configuration from them). UDP to ferry gets port
 * unreachable (RFC 4443 3.1 code 4); fragments are not reassembled.
 * Other libraries take upper-layer protocols (route6_local_register():
 * ESP, next header 50) and UDP ports (route6_local_udp_register():
 * VXLAN) on edges after the fixed ones. On an interface
 * with a control-plane representor (route_punt_set()), what nobody here
 * serves (TCP, UDP, other protocols, ICMPv6 other than echo requests,
 * ND and router messages, link-scope multicast) goes to the node of
 * route_punt_register() instead, so the kernel behind the TAP answers.
 */
#include <errno.h>

#include <rte_graph_worker.h>
#include <rte_udp.h>

#include "route6_priv.h"

#define FOREACH_IP6_LOCAL_NEXT(_)                                              \
	_(DROP, "ferry_drop")                                                  \
	_(LOOKUP, "ferry_ip6_lookup")                                          \
	_(ICMP_ERROR, "ferry_icmp6_error")                                     \
	_(PUNT, "ferry_punt")

enum ip6_local_next {
#define _NEXT_ENUM(e, name) IP6_LOCAL_NEXT_##e,
	FOREACH_IP6_LOCAL_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
		IP6_LOCAL_NEXT_MAX
};

/* Edge of ferry_ip6_local for each upper-layer protocol another
 * library registered (0 = none: edge 0 is the drop, never registered). */
static rte_edge_t local6_proto_edge[256];
/* Edge to the control plane's node (route_punt_register()); 0 = none. */
static rte_edge_t local6_punt_edge;

/* UDP ports other libraries took (route6_local_udp_register()): port,
 * edge; n_udp6 entries, read by workers once the graph runs. */
static struct {
	uint16_t port;
	rte_edge_t edge;
} local6_udp[ROUTE_LOCAL_UDP_MAX];
static unsigned int n_udp6;

#define ICMP6_DEST_UNREACH 1
#define ICMP6_PORT_UNREACH 4
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_RS 133
#define ND_REDIRECT 137
#define ND_NS 135
#define ND_NA 136

static inline rte_edge_t
local_drop(struct rte_mbuf *m, enum drop_reason r)
{
	pkt_md(m)->drop = (uint8_t)r;
	return IP6_LOCAL_NEXT_DROP;
}

/* Turn the echo request at @p off into the reply, in place: the ICMPv6
 * message moves up behind the fixed header (extension headers are not
 * echoed), the addresses swap. */
/* Unserved: to the control plane if the interface has it, else @p r. */
static inline rte_edge_t
local_unserved(struct rte_mbuf *m, rte_edge_t otherwise, enum drop_reason r)
{
	struct pkt_md *md = pkt_md(m);

	if (route_punt_iface(md->in_iface))
		return local6_punt_edge;
	md->drop = (uint8_t)r;
	return otherwise;
}

static rte_edge_t
echo_reply(struct rte_mbuf *m, struct rte_ipv6_hdr *ip, uint32_t off,
	   uint32_t len)
{
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->in_iface];
	uint8_t *icmp = (uint8_t *)ip + IP6_HDR_LEN;
	uint8_t src[16];

	if (off != IP6_HDR_LEN) {
		memmove(icmp, (uint8_t *)ip + off, len);
		rte_pktmbuf_trim(m, (uint16_t)(off - IP6_HDR_LEN));
	}
	memcpy(src,
	       ip6_is_multicast(ip->dst_addr) ? ip6_src_for(ifc, ip->src_addr)
					      : ip->dst_addr,
	       16);
	memcpy(ip->dst_addr, ip->src_addr, 16);
	memcpy(ip->src_addr, src, 16);
	ip->proto = IP6_NH_ICMP6;
	ip->payload_len = rte_cpu_to_be_16((uint16_t)len);
	ip->hop_limits = route_ip6_conf.hop_limit;
	icmp[0] = ICMP6_ECHO_REPLY;
	icmp[2] = 0;
	icmp[3] = 0;
	icmp6_cksum_set(ip, icmp, len);
	md->flags |= PKT_F_LOCAL_ORIGIN;
	md->out_iface = md->in_iface;
	return IP6_LOCAL_NEXT_LOOKUP;
}

/* UDP to ferry: to the library that took its port
 * (route6_local_udp_register()), else port unreachable (RFC 4443 3.1
 * code 4). A UDP header cut short is dropped: it has no port to
 * answer for. */
static inline rte_edge_t
udp6_local(struct rte_mbuf *m, const struct rte_ipv6_hdr *ip, uint32_t off)
{
	const struct rte_udp_hdr *udp =
		(const struct rte_udp_hdr *)((const uint8_t *)ip + off);
	struct pkt_md *md = pkt_md(m);
	unsigned int i;

	if ((uint32_t)IP6_HDR_LEN + rte_be_to_cpu_16(ip->payload_len) <
	    off + sizeof(*udp))
		return local_drop(m, DROP_IP6_TRUNCATED);
	for (i = 0; i < n_udp6; i++)
		if (udp->dst_port == rte_cpu_to_be_16(local6_udp[i].port)) {
			m->l3_len = (uint16_t)off; /* the UDP header */
			return local6_udp[i].edge;
		}
	md->icmp_type = ICMP6_DEST_UNREACH;
	md->icmp_code = ICMP6_PORT_UNREACH;
	return local_unserved(m, IP6_LOCAL_NEXT_ICMP_ERROR,
			      DROP_IP6_LOCAL_UNHANDLED);
}

static rte_edge_t
icmp6_local(struct rte_mbuf *m, struct rte_ipv6_hdr *ip, uint32_t off)
{
	uint32_t len = IP6_HDR_LEN + rte_be_to_cpu_16(ip->payload_len) - off;
	const uint8_t *icmp = (const uint8_t *)ip + off;

	if (len < 4 || icmp6_cksum(ip, icmp, len) != 0)
		return local_drop(m, DROP_ICMP6_BAD);
	switch (icmp[0]) {
	case ICMP6_ECHO_REQUEST:
		if (len < 8 || icmp[1] != 0)
			return local_drop(m, DROP_ICMP6_BAD);
		return echo_reply(m, ip, off, len);
	case ND_NS:
	case ND_NA:
		if (off != IP6_HDR_LEN)
			return local_drop(m, DROP_ND_MALFORMED);
		m->packet_type = RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_ICMP;
		return IP6_LOCAL_NEXT_PUNT;
	case ND_RS:
	case ND_RS + 1:
	case ND_REDIRECT:
		return local_drop(m, DROP_ND_IGNORED);
	default:
		return local_unserved(m, IP6_LOCAL_NEXT_DROP,
				      DROP_IP6_LOCAL_UNHANDLED);
	}
}

static inline rte_edge_t
ip6_local_one(struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	struct ip6_walk w;

	/* checked by ferry_ip6_input: cannot fail here */
	if (ip6_walk((const uint8_t *)ip, m->data_len, &w) != DROP_NONE)
		return local_drop(m, DROP_IP6_TRUNCATED);
	if (w.fragment)
		return local_drop(m, DROP_IP6_FRAGMENT_LOCAL);
	if (w.proto == IP6_NH_ICMP6)
		return icmp6_local(m, ip, w.off);
	if (ip6_is_multicast(ip->dst_addr))
		return local_unserved(m, IP6_LOCAL_NEXT_DROP,
				      DROP_IP6_MULTICAST);
	if (local6_proto_edge[w.proto] != 0) {
		m->l3_len = (uint16_t)w.off; /* the upper layer starts here */
		return local6_proto_edge[w.proto];
	}
	if (w.proto == IP6_NH_UDP)
		return udp6_local(m, ip, w.off);
	return local_unserved(m, IP6_LOCAL_NEXT_DROP, DROP_IP6_LOCAL_UNHANDLED);
}

static uint16_t
ip6_local_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		  uint16_t cnt)
{
	uint16_t i;

	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, ip6_local_one(objs[i]),
				    objs[i]);
	return cnt;
}

static struct rte_node_register ip6_local_node = {
	.name = "ferry_ip6_local",
	.process = ip6_local_process,
	.nb_edges = IP6_LOCAL_NEXT_MAX,
	.next_nodes =
		{
#define _NEXT_NAME(e, name) [IP6_LOCAL_NEXT_##e] = name,
			FOREACH_IP6_LOCAL_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
		},
};

RTE_NODE_REGISTER(ip6_local_node);

int
route6_local_register(uint8_t proto, const char *node_name)
{
	const char *names[] = {node_name};
	rte_edge_t e;

	if (node_name == NULL || proto == IP6_NH_ICMP6 ||
	    proto == IP6_NH_UDP)
		return -EINVAL;
	if (local6_proto_edge[proto] != 0)
		return -EEXIST;
	e = rte_node_edge_count(ip6_local_node.id);
	if (rte_node_edge_update(ip6_local_node.id, e, names, 1) != 1)
		return -EINVAL;
	local6_proto_edge[proto] = e;
	return 0;
}

int
route6_local_udp_register(uint16_t udp_port, const char *node_name)
{
	const char *names[] = {node_name};
	unsigned int i;
	rte_edge_t e;

	if (node_name == NULL || udp_port == 0)
		return -EINVAL;
	for (i = 0; i < n_udp6; i++)
		if (local6_udp[i].port == udp_port)
			return -EEXIST;
	if (n_udp6 == ROUTE_LOCAL_UDP_MAX)
		return -ENOSPC;
	e = rte_node_edge_count(ip6_local_node.id);
	if (rte_node_edge_update(ip6_local_node.id, e, names, 1) != 1)
		return -EINVAL;
	local6_udp[n_udp6].port = udp_port;
	local6_udp[n_udp6].edge = e;
	n_udp6++;
	return 0;
}

int
ip6_local_punt_edge_add(const char *node_name)
{
	const char *names[] = {node_name};
	rte_edge_t e = rte_node_edge_count(ip6_local_node.id);

	if (rte_node_edge_update(ip6_local_node.id, e, names, 1) != 1)
		return -EINVAL;
	local6_punt_edge = e;
	return 0;
}
