/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ipsec_policy_in: the inbound SPD on cleartext (RFC 4301 5.2: a
 * clear packet that matches a PROTECT entry is discarded), so traffic
 * that must come through a tunnel cannot come around it. Hooked behind
 * ferry_ip4_input (route_input_register()) when ferry starts with an
 * inbound SA; packets decrypted by ferry_esp_decrypt never pass here.
 *
 * A received packet is checked when it arrives in the underlay VRF of
 * the SA a matching protect rule names (the unprotected side of that
 * tunnel). ESP and ESP in UDP 4500 are the tunnel itself and pass.
 * First match wins, as in ferry_esp_decrypt: bypass and discard rules
 * do not drop cleartext here (discard is for decrypted traffic).
 */
#include <rte_graph_worker.h>
#include <rte_udp.h>

#include "ipsec_priv.h"

#define FOREACH_POLICY_IN_NEXT(_)        \
	_(DROP, "ferry_drop")            \
	_(LOOKUP, "ferry_ip4_lookup")

enum policy_in_next {
#define _NEXT_ENUM(e, name) POLICY_IN_NEXT_##e,
	FOREACH_POLICY_IN_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	POLICY_IN_NEXT_MAX
};

/* ESP, or ESP-in-UDP to port 4500: the tunnel's own packets. */
static inline bool
policy_is_tunnel(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	const struct rte_udp_hdr *udp;
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;

	if (ip->next_proto_id == IPPROTO_ESP)
		return true;
	if (ip->next_proto_id != IPPROTO_UDP || len < ihl + sizeof(*udp))
		return false;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	return udp->dst_port == RTE_BE16(4500);
}

static inline rte_edge_t
policy_in_one(const struct ipsec_spd *t, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	struct spd_key k;
	int i;

	if (policy_is_tunnel(ip, rte_pktmbuf_data_len(m)))
		return POLICY_IN_NEXT_LOOKUP;
	ipsec_spd_key(ip, rte_pktmbuf_data_len(m), &k);
	k.vrf = md->vrf;
	i = spd_match(t->r, t->n, &k);
	if (i < 0 || t->r[i].action != IPSEC_PROTECT)
		return POLICY_IN_NEXT_LOOKUP;
	if (t->r[i].uvrf != md->vrf)
		return POLICY_IN_NEXT_LOOKUP;
	md->drop = DROP_IPSEC_CLEARTEXT;
	return POLICY_IN_NEXT_DROP;
}

static uint16_t
policy_in_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	const struct ipsec_spd *t =
		__atomic_load_n(&ipsec_dp.spd[IPSEC_DIR_IN], __ATOMIC_ACQUIRE);
	struct graph_spec spec;
	uint16_t i;

	if (t == NULL || t->n == 0) { /* no inbound policy: all pass */
		rte_node_next_stream_move(graph, node, POLICY_IN_NEXT_LOOKUP);
		return cnt;
	}
	graph_spec_begin(&spec, graph, node, POLICY_IN_NEXT_LOOKUP, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], policy_in_one(t, objs[i]));
	graph_spec_end(&spec);
	return cnt;
}

static struct rte_node_register policy_in_node = {
	.name = "ferry_ipsec_policy_in",
	.process = policy_in_process,
	.nb_edges = POLICY_IN_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [POLICY_IN_NEXT_##e] = name,
		FOREACH_POLICY_IN_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(policy_in_node);
