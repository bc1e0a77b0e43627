/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP on the management lcore (RFC 826): learning from packets the
 * workers punted, replies for our addresses, and requests for next hops
 * being resolved. Frames built here are handed to a worker (inject ring)
 * so that every transmit uses a worker's own tx queue.
 */
#include <string.h>

#include <rte_arp.h>

#include "port.h"
#include "route_priv.h"

void (*route_arp_copy)(struct rte_mbuf *m);
void (*route_nd_copy)(struct rte_mbuf *m);

void
route_arp_copy_register(void (*fn)(struct rte_mbuf *m))
{
	route_arp_copy = fn;
}

void
route_nd_copy_register(void (*fn)(struct rte_mbuf *m))
{
	route_nd_copy = fn;
}

void
route_frame_inject(struct rte_mbuf *m, const struct iface *ifc)
{
	struct pkt_md *md = pkt_md(m);

	md->flags = PKT_F_INJECT_L2;
	md->qos_class = 0;
	md->color = 0;
	md->out_iface = ifc->port_idx;
	if (graph_inject_by(ifc->port_idx, m) != 0)
		graph_control_drop(m, DROP_PUNT_FULL);
}

/* Fill an ARP body: we are the sender. */
static void
arp_fill(struct rte_arp_hdr *arp, uint16_t op, const struct iface *ifc,
	 const struct rte_ether_addr *tha, uint32_t tip)
{
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	rte_ether_addr_copy(&ifc->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = rte_cpu_to_be_32(ifc->addr);
	rte_ether_addr_copy(tha, &arp->arp_data.arp_tha);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
}

void
arp_request_send(uint32_t slot)
{
	static const struct rte_ether_addr zero;
	const struct nbr *n = &nbr_table[slot];
	const struct iface *ifc = iface_get(n->iface);
	struct rte_ether_addr bcast;
	struct rte_ether_hdr *eth;
	struct rte_mbuf *m;
	uint16_t l2;

	if (ifc == NULL || ifc->addr == 0)
		return;
	m = rte_pktmbuf_alloc(port_mempool());
	if (m == NULL)
		return;
	l2 = iface_l2_len(ifc);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
				l2 + sizeof(struct rte_arp_hdr));
	memset(&bcast, 0xff, sizeof(bcast));
	iface_l2_write(ifc, eth, &bcast, rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP));
	arp_fill((struct rte_arp_hdr *)((uint8_t *)eth + l2),
		 RTE_ARP_OP_REQUEST, ifc, &zero, n->ip);
	route_frame_inject(m, ifc);
}

/* Turn a request for one of our addresses into the reply, in place. */
static void
arp_reply(struct rte_mbuf *m, const struct iface *ifc)
{
	struct rte_arp_hdr *arp = rte_pktmbuf_mtod(m, struct rte_arp_hdr *);
	struct rte_ether_addr to = arp->arp_data.arp_sha;
	uint32_t tip = rte_be_to_cpu_32(arp->arp_data.arp_sip);
	struct rte_ether_hdr *eth;
	uint16_t l2 = iface_l2_len(ifc);

	rte_pktmbuf_trim(m, m->pkt_len - sizeof(*arp));
	arp_fill(arp, RTE_ARP_OP_REPLY, ifc, &to, tip);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, l2);
	if (eth == NULL) {
		graph_control_drop(m, DROP_NO_HEADROOM);
		return;
	}
	iface_l2_write(ifc, eth, &to, rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP));
	route_frame_inject(m, ifc);
}

static bool
on_subnet(const struct iface *ifc, uint32_t ip)
{
	uint32_t mask = ifc->plen == 0 ? 0 : ~0u << (32 - ifc->plen);

	return ((ip ^ ifc->addr) & mask) == 0;
}

void
arp_control_input(struct rte_mbuf *m, uint64_t now_ms)
{
	const struct rte_arp_hdr *arp =
		rte_pktmbuf_mtod(m, const struct rte_arp_hdr *);
	const struct iface *ifc = iface_get(pkt_md(m)->in_iface);
	uint32_t sip = rte_be_to_cpu_32(arp->arp_data.arp_sip);
	uint32_t tip = rte_be_to_cpu_32(arp->arp_data.arp_tip);
	bool for_us = ifc != NULL && ifc->addr != 0 && tip == ifc->addr;
	uint32_t slot = NBR_NONE;

	if (ifc == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	/* RFC 826: update an entry we have; create one when asked by it. */
	if (sip != 0 && sip != ifc->addr) {
		slot = nbr_lookup(pkt_md(m)->in_iface, sip);
		if (slot == NBR_NONE && for_us && on_subnet(ifc, sip))
			slot = nbr_get(pkt_md(m)->in_iface, sip);
		if (slot != NBR_NONE)
			nbr_learn(slot, &arp->arp_data.arp_sha, now_ms);
	}
	if (for_us && arp->arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REQUEST)) {
		arp_reply(m, ifc);
		return;
	}
	/* A reply or a gratuitous ARP: the control plane may want it. */
	if (route_arp_copy != NULL && sip != ifc->addr)
		route_arp_copy(m);
	rte_pktmbuf_free(m);
}
