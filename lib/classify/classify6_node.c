/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_classify6: the ACL of the interface an IPv6 packet came in on,
 * between ferry_ip6_input (an input feature there) and ferry_ip6_lookup.
 * ACL rules are IPv4 5-tuples, so an IPv6 packet matches none of them and
 * takes the ACL's default: a security group (default deny) holds IPv6
 * back instead of letting it pass unclassified (fail closed). Counted on
 * the default's line; dropped as acl_ipv6_default_deny.
 */
#include <rte_graph_worker.h>

#include "classify_priv.h"

#define FOREACH_CLASSIFY6_NEXT(_)           \
	_(DROP, "ferry_drop")               \
	_(LOOKUP, "ferry_ip6_lookup")

enum classify6_next {
#define _NEXT_ENUM(e, name) CLASSIFY6_NEXT_##e,
	FOREACH_CLASSIFY6_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	CLASSIFY6_NEXT_MAX
};

struct classify6_ctx {
	uint64_t *hits; /* this worker's counters */
};

static inline rte_edge_t
classify6_one(struct rte_mbuf *m, uint64_t *hits)
{
	struct pkt_md *md = pkt_md(m);
	uint16_t acl = __atomic_load_n(&classify_dp.if_acl[md->in_iface],
				       __ATOMIC_ACQUIRE);
	const struct acl_rt *rt = acl == 0 ? NULL :
		__atomic_load_n(&classify_dp.acl[acl - 1], __ATOMIC_ACQUIRE);
	const struct acl_action *a;

	/* Unbound or deleted meanwhile: the packet goes on untouched. */
	if (unlikely(rt == NULL))
		return CLASSIFY6_NEXT_LOOKUP;
	a = &rt->dflt;
	hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_PACKETS)]++;
	hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_BYTES)] += m->pkt_len;
	if (a->flags & ACL_A_PERMIT)
		return CLASSIFY6_NEXT_LOOKUP;
	hits[ACL_CTR_IDX(0, a->slot, ACL_COUNTER_DROPS)]++;
	md->drop = DROP_ACL_IPV6_DEFAULT_DENY;
	return CLASSIFY6_NEXT_DROP;
}

static uint16_t
classify6_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	struct classify6_ctx *ctx = (struct classify6_ctx *)node->ctx;
	struct graph_spec spec;
	uint16_t i;

	graph_spec_begin(&spec, graph, node, CLASSIFY6_NEXT_LOOKUP, cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i], classify6_one(objs[i],
							     ctx->hits));
	graph_spec_end(&spec);
	return cnt;
}

static int
classify6_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct classify6_ctx *ctx = (struct classify6_ctx *)node->ctx;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	return classify_worker_hits(graph, &ctx->hits);
}

static struct rte_node_register classify6_node = {
	.name = "ferry_classify6",
	.process = classify6_process,
	.init = classify6_init,
	.nb_edges = CLASSIFY6_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [CLASSIFY6_NEXT_##e] = name,
		FOREACH_CLASSIFY6_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(classify6_node);
