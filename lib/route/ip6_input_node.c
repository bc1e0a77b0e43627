/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip6_input: the checks every received IPv6 packet passes before
 * it is routed or delivered (RFC 8200): version, payload length against
 * the frame (Ethernet padding beyond it is trimmed), addresses that are
 * never routed (RFC 4291 2.5.2/2.5.3: unspecified and loopback; a
 * multicast source), and the extension-header walk of ip6_hdr.h.
 *
 * Multicast is not routed: ff02::1 and the solicited-node groups (ND)
 * go to ferry_ip6_local, other groups are dropped as ip6_multicast.
 * Link-local destinations are never routed either (RFC 4291 2.5.6):
 * ferry's own link-local address of the interface goes to
 * ferry_ip6_local, any other is dropped as ip6_link_local.
 *
 * An interface may have an input feature (route6_input_feature_set(),
 * lib/classify's ACL): packets that would go to ferry_ip6_lookup go to
 * that node instead, which passes them on or drops them. ND and other
 * scoped packets (ferry_ip6_local) never pass it.
 */
#include <rte_graph_worker.h>

#include "route6_priv.h"

#define FOREACH_IP6_INPUT_NEXT(_)                                              \
	_(DROP, "ferry_drop")                                                  \
	_(LOOKUP, "ferry_ip6_lookup")                                          \
	_(LOCAL, "ferry_ip6_local")

enum ip6_input_next {
#define _NEXT_ENUM(e, name) IP6_INPUT_NEXT_##e,
	FOREACH_IP6_INPUT_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
		IP6_INPUT_NEXT_MAX /* input features' edges follow */
};

/* Edge of each interface's input feature; 0 = none (ferry_ip6_lookup).
 * One byte per interface, written with a single store. */
static uint8_t input6_feature_edge[IFACE_MAX];

static inline rte_edge_t
ip6_input_next(struct rte_mbuf *m)
{
	uint16_t ifx = pkt_md(m)->in_iface;
	uint8_t e = ifx < IFACE_MAX ?
		__atomic_load_n(&input6_feature_edge[ifx], __ATOMIC_RELAXED) :
		0;

	return likely(e == 0) ? IP6_INPUT_NEXT_LOOKUP : e;
}

/* Where a packet for a multicast or link-local destination goes. */
static inline rte_edge_t
ip6_input_scoped(struct rte_mbuf *m, const struct rte_ipv6_hdr *ip)
{
	struct pkt_md *md = pkt_md(m);

	if (ip6_is_multicast(ip->dst_addr)) {
		/* Link-scope groups (OSPFv3's ff02::5, RFC 5340 A.1) go
		 * to the control plane's representor when there is one. */
		if (ip6_is_nd_group(ip->dst_addr) ||
		    ((ip->dst_addr[1] & 0xf) == 2 &&
		     route_punt_iface(md->in_iface)))
			return IP6_INPUT_NEXT_LOCAL;
		md->drop = DROP_IP6_MULTICAST;
		return IP6_INPUT_NEXT_DROP;
	}
	if (memcmp(ip->dst_addr, iface_table[md->in_iface].ll6, 16) == 0)
		return IP6_INPUT_NEXT_LOCAL;
	md->drop = DROP_IP6_LINK_LOCAL;
	return IP6_INPUT_NEXT_DROP;
}

static inline rte_edge_t
ip6_input_one(struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	enum drop_reason r = ip6_hdr_check((const uint8_t *)ip, m->data_len);
	struct ip6_walk w;
	uint32_t total;

	if (likely(r == DROP_NONE))
		r = ip6_walk((const uint8_t *)ip,
			     IP6_HDR_LEN + rte_be_to_cpu_16(ip->payload_len),
			     &w);
	if (unlikely(r != DROP_NONE)) {
		pkt_md(m)->drop = (uint8_t)r;
		return IP6_INPUT_NEXT_DROP;
	}
	total = IP6_HDR_LEN + rte_be_to_cpu_16(ip->payload_len);
	if (unlikely(m->pkt_len > total))
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - total));
	if (unlikely(ip->dst_addr[0] == 0xff || ip->dst_addr[0] == 0xfe))
		if (ip6_is_multicast(ip->dst_addr) ||
		    ip6_is_link_local(ip->dst_addr))
			return ip6_input_scoped(m, ip);
	return ip6_input_next(m);
}

static uint16_t
ip6_input_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		  uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, IP6_INPUT_NEXT_LOOKUP, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], ip6_input_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register ip6_input_node = {
	.name = "ferry_ip6_input",
	.process = ip6_input_process,
	.nb_edges = IP6_INPUT_NEXT_MAX,
	.next_nodes =
		{
#define _NEXT_NAME(e, name) [IP6_INPUT_NEXT_##e] = name,
			FOREACH_IP6_INPUT_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
		},
};

RTE_NODE_REGISTER(ip6_input_node);

int
route6_input_feature_register(const char *node_name)
{
	static struct input_features f;
	bool fresh;

	return input_feature_add(&f, ip6_input_node.id, node_name, &fresh);
}

int
route6_input_feature_set(unsigned int iface, int feature)
{
	if (iface >= IFACE_MAX || feature < 0 ||
	    (feature != 0 && (feature < IP6_INPUT_NEXT_MAX ||
			      feature > UINT8_MAX)))
		return -EINVAL;
	__atomic_store_n(&input6_feature_edge[iface], (uint8_t)feature,
			 __ATOMIC_RELEASE);
	return 0;
}
