/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fast path of ECMP (nhg.c): which path of a next-hop group a packet
 * takes.
 *
 * The flow hash is Bob Jenkins' lookup3 (rte_jhash_3words) of the
 * source and destination addresses, the 32 bits of L4 ports (TCP, UDP,
 * SCTP; 0 for other protocols and for fragments, whose later pieces
 * carry no ports) and the protocol as the initial value. It depends on
 * nothing but the packet, so one flow always takes the same path on
 * every worker and across restarts, and a group change moves only the
 * flows of the slots that changed. The hash modulo the group's slot
 * count picks a slot, the slot a path. A path whose gateway has no MAC
 * (ARP failed, or not yet answered) is skipped for the next path of the
 * group, so only that path's flows move while it is down.
 */
#ifndef FERRY_ROUTE_NHG_H
#define FERRY_ROUTE_NHG_H

#include <rte_ip.h>
#include <rte_jhash.h>

#include "route_priv.h"

static inline uint32_t
ip4_flow_hash(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint16_t hl = (uint16_t)rte_ipv4_hdr_len(ip);
	uint32_t ports = 0;

	if ((ip->next_proto_id == IPPROTO_TCP ||
	     ip->next_proto_id == IPPROTO_UDP ||
	     ip->next_proto_id == IPPROTO_SCTP) &&
	    (ip->fragment_offset &
	     rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK |
			      RTE_IPV4_HDR_MF_FLAG)) == 0 &&
	    rte_pktmbuf_data_len(m) >= hl + 4u)
		memcpy(&ports, (const uint8_t *)ip + hl, sizeof(ports));
	return rte_jhash_3words(ip->src_addr, ip->dst_addr, ports,
				ip->next_proto_id);
}

/* Whether a path can be used: not a gateway, or a gateway with a MAC. */
static inline bool
nhg_path_up(const struct adj *a)
{
	uint64_t w;

	if (a->type != ADJ_T_NEXTHOP)
		return true;
	w = __atomic_load_n(&nbr_table[a->nbr].mac_state, __ATOMIC_ACQUIRE);
	return nbr_word_state(w) != NBR_INCOMPLETE;
}

/** The adjacency packet @p m takes in group @p g (data at IPv4). */
static inline const struct adj *
nhg_select(const struct nhg *g, struct rte_mbuf *m)
{
	unsigned int p = g->bucket[ip4_flow_hash(m) % g->n_buckets], k;
	const struct adj *a;

	for (k = 0; k < g->n_paths; k++) {
		a = &adj_table[g->adj[(p + k) % g->n_paths]];
		if (likely(nhg_path_up(a)))
			return a;
	}
	return &adj_table[g->adj[p]]; /* all down: held while ARP asks */
}

#endif /* FERRY_ROUTE_NHG_H */
