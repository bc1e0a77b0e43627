/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_arp_input: validates ARP (Ethernet/IPv4 only, RFC 826) and punts
 * what the management lcore must see: requests and replies for our
 * address, gratuitous ARP, and updates from neighbours we know.
 * Everything else is dropped here, so an ARP storm for other hosts on
 * the segment never reaches the management lcore. ARP whose sender is
 * one of ferry's addresses in the interface's VRF is another host
 * claiming it (or our own frame looped back): dropped as
 * arp_own_source, so it never poisons the neighbour table nor gets an
 * answer (RFC 5227 2.4 leaves the defence to the address's owner).
 */
#include <rte_arp.h>
#include <rte_graph_worker.h>

#include "route_priv.h"

enum arp_input_next {
	ARP_INPUT_NEXT_DROP,
	ARP_INPUT_NEXT_PUNT,
	ARP_INPUT_NEXT_MAX
};

static inline enum drop_reason
arp_input_check(struct rte_mbuf *m)
{
	const struct rte_arp_hdr *arp =
		rte_pktmbuf_mtod(m, const struct rte_arp_hdr *);
	const struct iface *ifc = &iface_table[pkt_md(m)->in_iface];
	uint16_t op;
	uint32_t sip, tip;

	if (m->data_len < sizeof(*arp) ||
	    arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return DROP_ARP_MALFORMED;
	op = rte_be_to_cpu_16(arp->arp_opcode);
	if (op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY)
		return DROP_ARP_MALFORMED;
	if (!rte_is_unicast_ether_addr(&arp->arp_data.arp_sha))
		return DROP_ARP_MALFORMED;
	sip = rte_be_to_cpu_32(arp->arp_data.arp_sip);
	tip = rte_be_to_cpu_32(arp->arp_data.arp_tip);
	/* Another host claims our address (RFC 5227 2.4 conflict): never
	 * learned or answered; counted, the operator sees it in show drops */
	if (unlikely(sip != 0 && route_src_is_own(pkt_md(m)->vrf, sip)))
		return DROP_ARP_OWN_SOURCE;
	if (ifc->addr != 0 && tip == ifc->addr)
		return DROP_NONE;
	if (sip == tip || nbr_lookup(pkt_md(m)->in_iface, sip) != NBR_NONE)
		return DROP_NONE;
	return DROP_ARP_NOT_FOR_US;
}

static uint16_t
arp_input_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	uint16_t i;

	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];
		enum drop_reason r = arp_input_check(m);

		pkt_md(m)->drop = (uint8_t)r;
		rte_node_enqueue_x1(graph, node, r == DROP_NONE ?
				    ARP_INPUT_NEXT_PUNT : ARP_INPUT_NEXT_DROP,
				    m);
	}
	return cnt;
}

static struct rte_node_register arp_input_node = {
	.name = "ferry_arp_input",
	.process = arp_input_process,
	.nb_edges = ARP_INPUT_NEXT_MAX,
	.next_nodes = {
		[ARP_INPUT_NEXT_DROP] = "ferry_drop",
		[ARP_INPUT_NEXT_PUNT] = "ferry_punt",
	},
};

RTE_NODE_REGISTER(arp_input_node);
