/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_icmp6_error: turns the packet that caused an error into the
 * ICMPv6 error about it, in place (RFC 4443 2.4): as much of the
 * original as keeps the error within the minimum MTU of 1280 bytes, a
 * new IPv6 + ICMPv6 header prepended from the headroom, the checksum
 * over the pseudo-header, and the result routed back in the VRF it
 * arrived in (to a link-local source: out of the interface it came in).
 *
 * The original packet is counted under its drop reason either way. No
 * error is sent (RFC 4443 2.4 e) about an ICMPv6 error, a packet from
 * :: or a multicast source, a packet to a multicast group (packet too
 * big excepted), or a packet ferry built itself; and at most
 * ip.icmp_rate per second per worker (token bucket, RFC 4443 2.4 f),
 * as for IPv4.
 */
#include <rte_cycles.h>
#include <rte_graph_worker.h>

#include "icmp_error.h"
#include "route6_priv.h"

enum icmp6_error_next {
	ICMP6_ERROR_NEXT_DROP,
	ICMP6_ERROR_NEXT_LOOKUP,
	ICMP6_ERROR_NEXT_MAX
};

#define ICMP6_MIN_MTU 1280
#define ICMP6_HDR_LEN 8
#define ICMP6_PACKET_TOO_BIG 2

static struct icmp_limiter limiters6[GRAPH_WORKER_MAX];

struct icmp6_error_ctx {
	struct icmp_limiter *lim;
	uint64_t *drops;
};

/* RFC 4443 2.4 (e) */
static inline bool
icmp6_error_allowed(struct rte_mbuf *m, const struct rte_ipv6_hdr *ip)
{
	const struct pkt_md *md = pkt_md(m);
	struct ip6_walk w;

	if (md->flags & PKT_F_LOCAL_ORIGIN)
		return false;
	if (ip6_is_unspecified(ip->src_addr) || ip6_is_multicast(ip->src_addr))
		return false;
	if (ip6_is_multicast(ip->dst_addr) &&
	    md->icmp_type != ICMP6_PACKET_TOO_BIG)
		return false;
	if (ip6_walk((const uint8_t *)ip, m->data_len, &w) != DROP_NONE)
		return false;
	if (w.proto != IP6_NH_ICMP6 || w.fragment)
		return true;
	/* an error message (type < 128) never gets an error */
	return m->data_len > w.off && *((const uint8_t *)ip + w.off) >= 128;
}

static inline bool
icmp6_error_build(struct rte_mbuf *m, const struct iface *ifc)
{
	struct pkt_md *md = pkt_md(m);
	const struct rte_ipv6_hdr *orig =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	uint32_t quote = RTE_MIN(m->pkt_len,
				 ICMP6_MIN_MTU - IP6_HDR_LEN - ICMP6_HDR_LEN);
	uint8_t dst[16];
	struct rte_ipv6_hdr *ip;
	uint8_t *icmp;
	uint32_t len = ICMP6_HDR_LEN + quote;
	uint32_t word;

	memcpy(dst, orig->src_addr, 16);
	rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - quote));
	ip = (struct rte_ipv6_hdr *)rte_pktmbuf_prepend(
		m, IP6_HDR_LEN + ICMP6_HDR_LEN);
	if (ip == NULL)
		return false;
	icmp = (uint8_t *)(ip + 1);
	icmp[0] = md->icmp_type;
	icmp[1] = md->icmp_code;
	icmp[2] = 0;
	icmp[3] = 0;
	/* packet too big carries the next hop's MTU (RFC 4443 3.2); the
	 * word may be unaligned */
	word = md->icmp_type == ICMP6_PACKET_TOO_BIG
		       ? rte_cpu_to_be_32(md->icmp_mtu)
		       : 0;
	memcpy(icmp + 4, &word, sizeof(word));
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)len);
	ip->proto = IP6_NH_ICMP6;
	ip->hop_limits = route_ip6_conf.hop_limit;
	memcpy(ip->src_addr, ip6_src_for(ifc, dst), 16);
	memcpy(ip->dst_addr, dst, 16);
	icmp6_cksum_set(ip, icmp, len);
	md->flags |= PKT_F_LOCAL_ORIGIN;
	md->vrf = ifc->vrf;
	md->out_iface = md->in_iface;
	return true;
}

static inline rte_edge_t
icmp6_error_one(struct icmp6_error_ctx *ctx, struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->in_iface];
	uint8_t reason = md->drop;

	if (!ifc->ip6 || !icmp6_error_allowed(m, ip) ||
	    !icmp_limiter_take(ctx->lim))
		return ICMP6_ERROR_NEXT_DROP;
	if (!icmp6_error_build(m, ifc)) {
		md->drop = DROP_NO_HEADROOM;
		return ICMP6_ERROR_NEXT_DROP;
	}
	ctx->drops[reason]++;
	return ICMP6_ERROR_NEXT_LOOKUP;
}

static uint16_t
icmp6_error_process(struct rte_graph *graph, struct rte_node *node, void **objs,
		    uint16_t cnt)
{
	struct icmp6_error_ctx *ctx = (struct icmp6_error_ctx *)node->ctx;
	uint16_t i;

	icmp_limiter_refill(ctx->lim, rte_get_tsc_cycles());
	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, icmp6_error_one(ctx, objs[i]),
				    objs[i]);
	return cnt;
}

static int
icmp6_error_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct icmp6_error_ctx *ctx = (struct icmp6_error_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);
	struct icmp_limiter *l;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL)
		return -EINVAL;
	l = &limiters6[w->index];
	icmp_limiter_init(l, route_icmp_rate(), rte_get_tsc_hz(),
			  rte_get_tsc_cycles());
	ctx->lim = l;
	ctx->drops = w->stats.drops;
	return 0;
}

static struct rte_node_register icmp6_error_node = {
	.name = "ferry_icmp6_error",
	.process = icmp6_error_process,
	.init = icmp6_error_init,
	.nb_edges = ICMP6_ERROR_NEXT_MAX,
	.next_nodes =
		{
			[ICMP6_ERROR_NEXT_DROP] = "ferry_drop",
			[ICMP6_ERROR_NEXT_LOOKUP] = "ferry_ip6_lookup",
		},
};

RTE_NODE_REGISTER(icmp6_error_node);
