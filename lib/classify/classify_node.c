/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_classify: the ACL of the interface a packet came in on, between
 * ferry_ip4_input (an input feature there: checked IPv4, data at the IP
 * header) and ferry_ip4_lookup. Per packet a search key is built from the
 * headers; runs of packets under the same ACL (the usual case: a burst
 * comes from one interface) are classified with one rte_acl_classify()
 * call. The first matching rule's action is applied: count the hit,
 * then drop as acl_deny, or set the QoS class, rewrite the DSCP (header
 * checksum patched, RFC 1624) and choose the MPLS TC, and go on to
 * lookup. Ports are those of TCP, UDP and SCTP first fragments; other
 * packets (and later fragments) match port ranges as port 0.
 */
#include <netinet/in.h>

#include <rte_graph_worker.h>

#include "classify_priv.h"

#define FOREACH_CLASSIFY_NEXT(_)            \
	_(DROP, "ferry_drop")               \
	_(LOOKUP, "ferry_ip4_lookup")

enum classify_next {
#define _NEXT_ENUM(e, name) CLASSIFY_NEXT_##e,
	FOREACH_CLASSIFY_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	CLASSIFY_NEXT_MAX
};

/* Packets classified per rte_acl_classify() call at most. */
#define CHUNK 64

struct classify_ctx {
	uint64_t *hits; /* this worker's counters */
};

static inline void
key_build(struct acl_key *k, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	const struct pkt_md *md = pkt_md(m);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	const uint16_t *l4;

	k->proto = ip->next_proto_id;
	k->src = ip->src_addr;
	k->dst = ip->dst_addr;
	k->in_iface = rte_cpu_to_be_16(md->in_iface);
	k->vrf = (uint8_t)md->vrf;
	k->dscp = ip->type_of_service >> 2;
	k->sport = 0;
	k->dport = 0;
	if ((k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP ||
	     k->proto == IPPROTO_SCTP) &&
	    !(ip->fragment_offset &
	      rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK)) &&
	    ihl + 4 <= m->data_len) {
		l4 = (const uint16_t *)((const uint8_t *)ip + ihl);
		k->sport = l4[0];
		k->dport = l4[1];
	}
}

/* Rewrite the DS field, keeping ECN, and patch the header checksum
 * (RFC 1624 eqn. 3 on the 16-bit word holding version/IHL and TOS). */
static inline void
dscp_set(struct rte_ipv4_hdr *ip, uint8_t dscp)
{
	uint16_t old = rte_cpu_to_be_16((uint16_t)(ip->version_ihl << 8 |
						   ip->type_of_service));
	uint16_t new;
	uint32_t sum;

	ip->type_of_service = (uint8_t)(dscp << 2 |
					(ip->type_of_service & 0x03));
	new = rte_cpu_to_be_16((uint16_t)(ip->version_ihl << 8 |
					  ip->type_of_service));
	sum = (uint16_t)~ip->hdr_checksum + (uint32_t)(uint16_t)~old + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->hdr_checksum = (uint16_t)~sum;
}

static inline rte_edge_t
action_apply(struct rte_mbuf *m, const struct acl_action *a, uint64_t *hits)
{
	struct pkt_md *md = pkt_md(m);

	hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_PACKETS)]++;
	hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_BYTES)] += m->pkt_len;
	if (unlikely(!(a->flags & ACL_A_PERMIT))) {
		hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_DROPS)]++;
		md->drop = DROP_ACL_DENY;
		return CLASSIFY_NEXT_DROP;
	}
	if (a->flags & ACL_A_CLASS)
		md->qos_class = a->qos_class;
	if (a->flags & ACL_A_DSCP)
		dscp_set(rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *), a->dscp);
	if (a->flags & ACL_A_TC) {
		md->mpls_tc = a->tc;
		md->flags |= PKT_F_MPLS_TC;
	}
	return CLASSIFY_NEXT_LOOKUP;
}

/* Classify @p n packets that share ACL id + 1 @p acl. */
static inline void
run_classify(struct graph_spec *spec, struct rte_mbuf **pkts,
	     const struct acl_key *keys, uint16_t n, uint16_t acl,
	     uint64_t *hits)
{
	const struct acl_rt *rt = acl == 0 ? NULL :
		__atomic_load_n(&classify_dp.acl[acl - 1], __ATOMIC_ACQUIRE);
	const uint8_t *data[CHUNK];
	uint32_t res[CHUNK];
	uint16_t i;

	/* Unbound or deleted meanwhile: the packet goes on untouched. */
	if (unlikely(rt == NULL)) {
		for (i = 0; i < n; i++)
			graph_spec_put(spec, pkts[i], CLASSIFY_NEXT_LOOKUP);
		return;
	}
	for (i = 0; i < n; i++)
		data[i] = (const uint8_t *)&keys[i];
	acl_rt_classify(rt, data, res, n);
	for (i = 0; i < n; i++)
		graph_spec_put(spec, pkts[i],
			       action_apply(pkts[i], acl_rt_action(rt, res[i]),
					    hits));
}

static void
classify_chunk(struct graph_spec *spec, struct rte_mbuf **pkts, uint16_t n,
	       uint64_t *hits)
{
	struct acl_key keys[CHUNK];
	uint16_t acl[CHUNK];
	uint16_t i, start;

	for (i = 0; i < n; i++) {
		acl[i] = __atomic_load_n(
			&classify_dp.if_acl[pkt_md(pkts[i])->in_iface],
			__ATOMIC_ACQUIRE);
		key_build(&keys[i], pkts[i]);
	}
	for (start = 0, i = 1; i <= n; i++)
		if (i == n || acl[i] != acl[start]) {
			run_classify(spec, pkts + start, keys + start,
				     i - start, acl[start], hits);
			start = i;
		}
}

static uint16_t
classify_process(struct rte_graph *graph, struct rte_node *node,
		 void **objs, uint16_t cnt)
{
	struct classify_ctx *ctx = (struct classify_ctx *)node->ctx;
	struct rte_mbuf **pkts = (struct rte_mbuf **)objs;
	struct graph_spec spec;
	uint16_t i, n;

	graph_spec_begin(&spec, graph, node, CLASSIFY_NEXT_LOOKUP, cnt);
	for (i = 0; i < cnt; i += n) {
		n = RTE_MIN(cnt - i, CHUNK);
		classify_chunk(&spec, pkts + i, n, ctx->hits);
	}
	graph_spec_end(&spec);
	return cnt;
}

int
classify_worker_hits(const struct rte_graph *graph, uint64_t **hits)
{
	int w = pkt_graph_worker_index(graph->name);

	if (w < 0 || (unsigned int)w >= classify_dp.n_workers ||
	    classify_dp.hits == NULL)
		return -EINVAL;
	*hits = classify_dp.hits + ACL_CTR_IDX(w, 0, 0);
	return 0;
}

static int
classify_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct classify_ctx *ctx = (struct classify_ctx *)node->ctx;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	return classify_worker_hits(graph, &ctx->hits);
}

static struct rte_node_register classify_node = {
	.name = "ferry_classify",
	.process = classify_process,
	.init = classify_init,
	.nb_edges = CLASSIFY_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [CLASSIFY_NEXT_##e] = name,
		FOREACH_CLASSIFY_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(classify_node);
