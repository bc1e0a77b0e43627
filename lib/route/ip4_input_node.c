/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip4_input: the RFC 1812 checks every received IPv4 packet passes
 * before it is routed (section 5.2.2: length, version, header length,
 * checksum; section 5.3.7: martian addresses). Ethernet padding beyond
 * the IP total length is trimmed so it is never forwarded.
 */
#include <rte_graph_worker.h>

#include "route_priv.h"

enum ip4_input_next {
	IP4_INPUT_NEXT_DROP,
	IP4_INPUT_NEXT_LOOKUP,
	IP4_INPUT_NEXT_MAX
};

static inline rte_edge_t
ip4_input_one(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	enum drop_reason r = pkt_ip4_check(ip, m->data_len);
	uint16_t total;

	if (likely(r == DROP_NONE))
		r = pkt_ip4_check_addrs(ip);
	if (unlikely(r != DROP_NONE)) {
		pkt_md(m)->drop = (uint8_t)r;
		return IP4_INPUT_NEXT_DROP;
	}
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(m->pkt_len > total))
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - total));
	return IP4_INPUT_NEXT_LOOKUP;
}

static uint16_t
ip4_input_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, IP4_INPUT_NEXT_LOOKUP, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], ip4_input_one(objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register ip4_input_node = {
	.name = "ferry_ip4_input",
	.process = ip4_input_process,
	.nb_edges = IP4_INPUT_NEXT_MAX,
	.next_nodes = {
		[IP4_INPUT_NEXT_DROP] = "ferry_drop",
		[IP4_INPUT_NEXT_LOOKUP] = "ferry_ip4_lookup",
	},
};

RTE_NODE_REGISTER(ip4_input_node);

int
route_input_register(const char *node_name)
{
	static bool hooked;
	const char *names[] = { node_name };

	if (node_name == NULL)
		return -EINVAL;
	if (hooked)
		return -EEXIST;
	/* the lookup edge now leads to the hook, which goes on to lookup */
	if (rte_node_edge_update(ip4_input_node.id, IP4_INPUT_NEXT_LOOKUP,
				 names, 1) != 1)
		return -EINVAL;
	hooked = true;
	return 0;
}
