/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_icmp_error: turns the packet that caused an error into the ICMP
 * error about it, in place (no allocation): the original IP header and
 * first 8 bytes of payload are kept (RFC 792), a new IPv4 + ICMP header
 * is prepended from the mbuf headroom, and the result is routed back in
 * the VRF it arrived in.
 *
 * The original packet is counted under its drop reason either way. No
 * error is sent (RFC 1812 4.3.2.7) about an ICMP error, a non-first
 * fragment, a broadcast/multicast destination or an invalid source, nor
 * about packets ferry built itself; and at most icmp_rate per second per
 * worker are sent (token bucket, RFC 1812 4.3.2.8).
 */
#include <rte_cycles.h>
#include <rte_graph_worker.h>
#include <rte_icmp.h>

#include "icmp_error.h"
#include "route_priv.h"

enum icmp_error_next {
	ICMP_ERROR_NEXT_DROP,
	ICMP_ERROR_NEXT_LOOKUP,
	ICMP_ERROR_NEXT_MAX
};

#define ICMP_QUOTE 8

static struct icmp_limiter limiters[GRAPH_WORKER_MAX];

struct icmp_error_ctx {
	struct icmp_limiter *lim;
	uint64_t *drops;
};

static inline bool
icmp_error_build(struct rte_mbuf *m, const struct iface *ifc)
{
	struct rte_ipv4_hdr *orig = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	uint32_t ihl = (orig->version_ihl & 0xf) * 4u;
	uint32_t quote = RTE_MIN((uint32_t)rte_be_to_cpu_16(orig->total_length),
				 ihl + ICMP_QUOTE);
	uint32_t dst = orig->src_addr;
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;

	rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - quote));
	ip = (struct rte_ipv4_hdr *)rte_pktmbuf_prepend(m,
				sizeof(*ip) + sizeof(*icmp));
	if (ip == NULL)
		return false;
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = md->icmp_type;
	icmp->icmp_code = md->icmp_code;
	icmp->icmp_cksum = 0;
	icmp->icmp_ident = 0;
	icmp->icmp_seq_nb = md->icmp_type == PKT_ICMP_DEST_UNREACH &&
			    md->icmp_code == PKT_ICMP_FRAG_NEEDED ?
			    rte_cpu_to_be_16(md->icmp_mtu) : 0;
	icmp->icmp_cksum = pkt_inet_cksum(icmp, sizeof(*icmp) + quote);
	icmp_error_ip_write(ip, rte_cpu_to_be_32(ifc->addr), dst,
			    (uint16_t)(sizeof(*ip) + sizeof(*icmp) + quote));
	md->flags |= PKT_F_LOCAL_ORIGIN;
	md->vrf = ifc->vrf;
	return true;
}

static inline rte_edge_t
icmp_error_one(struct icmp_error_ctx *ctx, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->in_iface];
	uint8_t reason = md->drop;

	if (ifc->addr == 0 || !icmp_error_allowed(m, ip, m->data_len) ||
	    !icmp_limiter_take(ctx->lim))
		return ICMP_ERROR_NEXT_DROP;
	if (!icmp_error_build(m, ifc)) {
		md->drop = DROP_NO_HEADROOM;
		return ICMP_ERROR_NEXT_DROP;
	}
	ctx->drops[reason]++;
	return ICMP_ERROR_NEXT_LOOKUP;
}

static uint16_t
icmp_error_process(struct rte_graph *graph, struct rte_node *node,
		   void **objs, uint16_t cnt)
{
	struct icmp_error_ctx *ctx = (struct icmp_error_ctx *)node->ctx;
	uint16_t i;

	icmp_limiter_refill(ctx->lim, rte_get_tsc_cycles());
	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, icmp_error_one(ctx, objs[i]),
				    objs[i]);
	return cnt;
}

static int
icmp_error_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct icmp_error_ctx *ctx = (struct icmp_error_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);
	struct icmp_limiter *l;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL)
		return -EINVAL;
	l = &limiters[w->index];
	icmp_limiter_init(l, route_ip_conf.icmp_rate, rte_get_tsc_hz(),
			  rte_get_tsc_cycles());
	ctx->lim = l;
	ctx->drops = w->stats.drops;
	return 0;
}

static struct rte_node_register icmp_error_node = {
	.name = "ferry_icmp_error",
	.process = icmp_error_process,
	.init = icmp_error_init,
	.nb_edges = ICMP_ERROR_NEXT_MAX,
	.next_nodes = {
		[ICMP_ERROR_NEXT_DROP] = "ferry_drop",
		[ICMP_ERROR_NEXT_LOOKUP] = "ferry_ip4_lookup",
	},
};

RTE_NODE_REGISTER(icmp_error_node);
