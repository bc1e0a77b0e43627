/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_cp_punt: packets for ferry that go to a TAP representor (lib/
 * route sends them, route_punt_register()). Each is classified (copp.h)
 * and passes its class's token bucket in this worker or is dropped as
 * cp_policed; what passes goes onto the multi-producer punt ring to the
 * management lcore, and a full ring is a drop as cp_queue_full. So a
 * flood at one of ferry's addresses costs the worker a classification
 * and a drop per packet, never a wait, and cannot crowd out the routing
 * protocols' class.
 */
#include <rte_cycles.h>
#include <rte_graph_worker.h>
#include <rte_ip.h>

#include "cp_priv.h"

struct cp_punt_ctx {
	struct rte_ring *ring;
	struct cp_worker *w;
};

/* Source and destination port of TCP or UDP at @p l4 (host order). */
static inline void
cp_punt_ports(uint8_t proto, const uint8_t *l4, uint32_t room, uint16_t *sport,
	      uint16_t *dport)
{
	const uint16_t *ports = (const uint16_t *)l4;

	*sport = 0;
	*dport = 0;
	if ((proto != COPP_PROTO_TCP && proto != COPP_PROTO_UDP) || room < 4)
		return;
	*sport = rte_be_to_cpu_16(ports[0]);
	*dport = rte_be_to_cpu_16(ports[1]);
}

/* Data at the IPv6 header, checked (and its chain walked) by
 * ferry_ip6_input: the walk again finds the upper layer. */
static inline enum copp_class
cp_punt_class6(const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = RTE_MIN((uint32_t)m->data_len,
			       IP6_HDR_LEN + ((uint32_t)ip[4] << 8 | ip[5]));
	struct ip6_walk w;
	uint16_t sport, dport;

	if (ip6_walk(ip, len, &w) != DROP_NONE)
		return COPP_OTHER;
	cp_punt_ports(w.proto, ip + w.off, len - w.off, &sport, &dport);
	return copp_classify(w.proto, sport, dport);
}

/* Data at the IP header, checked by ferry_ip4_input / _ip6_input. */
static inline enum copp_class
cp_punt_class(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	uint32_t len = RTE_MIN((uint32_t)m->data_len,
			       rte_be_to_cpu_16(ip->total_length));
	uint16_t sport, dport;

	if ((ip->version_ihl >> 4) == 6)
		return cp_punt_class6(m);
	cp_punt_ports(ip->next_proto_id, (const uint8_t *)ip + ihl,
		      len >= ihl ? len - ihl : 0, &sport, &dport);
	return copp_classify(ip->next_proto_id, sport, dport);
}

static uint16_t
cp_punt_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		uint16_t cnt)
{
	struct cp_punt_ctx *ctx = (struct cp_punt_ctx *)node->ctx;
	struct cp_worker *w = ctx->w;
	void *pass[RTE_GRAPH_BURST_SIZE];
	uint64_t now = rte_rdtsc();
	unsigned int n = 0, q, i;

	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];
		enum copp_class c = cp_punt_class(m);

		if (likely(copp_bucket_take(&w->bucket[c], now)) &&
		    n < RTE_DIM(pass)) {
			w->passed[c]++;
			pass[n++] = m;
			continue;
		}
		w->policed[c]++;
		pkt_md(m)->drop = DROP_CP_POLICED;
		rte_node_enqueue_x1(graph, node, 0, m);
	}
	q = rte_ring_enqueue_burst(ctx->ring, pass, n, NULL);
	for (i = q; i < n; i++) {
		pkt_md(pass[i])->drop = DROP_CP_QUEUE_FULL;
		rte_node_enqueue_x1(graph, node, 0, pass[i]);
	}
	w->queue_full += n - q;
	return cnt;
}

static int
cp_punt_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct cp_punt_ctx *ctx = (struct cp_punt_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL || cp_ring == NULL)
		return -EINVAL;
	ctx->ring = cp_ring;
	ctx->w = &cp_workers[w->index];
	return 0;
}

static struct rte_node_register cp_punt_node = {
	.name = CP_PUNT_NODE,
	.process = cp_punt_process,
	.init = cp_punt_init,
	.nb_edges = 1,
	.next_nodes = { "ferry_drop" },
};

RTE_NODE_REGISTER(cp_punt_node);
