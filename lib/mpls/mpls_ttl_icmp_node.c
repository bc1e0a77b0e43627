/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_mpls_ttl_icmp: a labelled packet whose TTL expired at this LSR
 * (ferry_mpls_input: swap or penultimate pop with incoming TTL 0 or 1)
 * is answered as RFC 3032 2.3.2 says: an ICMP time exceeded built from
 * the IPv4 header under the labels, sent on along the LSP with the same
 * label stack, so that it reaches the egress, which routes it back to
 * the source. That is how Cisco and Juniper LSRs make `traceroute`
 * through a provider core show every hop, even when the LSR has no
 * route to the source (it sits in a customer VRF).
 *
 * The message (RFC 792 type 11 code 0) carries the first 128 bytes of
 * the expired packet zero-padded (RFC 4884 5: the length of that
 * "original datagram" field in 32-bit words is in the ICMP header),
 * then an ICMP extension structure (RFC 4884 7: version 2, checksum)
 * with one object: class 1, C-type 1, the label stack as received
 * (RFC 4950 5). It is sourced from the address of the interface the
 * packet came in on, its IPv4 TTL is 64, and its labels are the stack
 * received with TTL 255; it then goes through ferry_mpls_input again
 * (swap or pop as the expired packet would have been).
 *
 * IPv6 under the stack (6PE/6VPE) is answered the same way with an
 * ICMPv6 time exceeded (RFC 4443 3.3; RFC 4884 for ICMPv6: the length
 * of the original datagram field in 64-bit words in the first byte of
 * the unused word), hop limit 64. An LSR of an IPv4 core has no IPv6
 * address: the answer comes from the IPv4-mapped address (RFC 4291
 * 2.5.5.2) of the receiving interface's IPv4 address, so traceroute6
 * shows the P router as ::ffff:a.b.c.d.
 *
 * The expired packet is counted as mpls_ttl_expired either way, as
 * ferry_icmp_error counts what it answers. Nothing is sent (the packet
 * is dropped) when the payload is neither IPv4 nor IPv6, for an ICMPv6
 * error, a multicast or unspecified IPv6 source, when RFC 1812 4.3.2.7 says
 * no (lib/route icmp_error.h), when the worker's icmp_rate is used up,
 * when the receiving interface has no address, or when the buffer is
 * not one segment with room for the answer. Built in place: no
 * allocation.
 */
#include <rte_cycles.h>
#include <rte_graph_worker.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "icmp_error.h"
#include "mpls_priv.h"

enum mpls_ttl_icmp_next {
	MPLS_TTL_ICMP_NEXT_DROP,
	MPLS_TTL_ICMP_NEXT_INPUT,
	MPLS_TTL_ICMP_NEXT_MAX
};

#define ORIG_LEN 128          /* RFC 4884 5.4: at least 128 bytes */
#define EXT_VERSION 2         /* RFC 4884 7.1 */
#define EXT_CLASS_MPLS 1      /* RFC 4950 7: MPLS Label Stack Class */
#define EXT_CTYPE_INCOMING 1  /* Incoming MPLS Label Stack */
#define RESENT_TTL 255        /* the answer's labels (as Cisco's) */
#define ICMP6_TIME_EXCEEDED 3 /* RFC 4443 3.3 */

/* ICMP extension structure header and object header (RFC 4884 7). */
struct icmp_ext_hdr {
	uint8_t version;      /* version << 4 */
	uint8_t reserved;
	rte_be16_t cksum;
} __rte_packed;

struct icmp_ext_obj {
	rte_be16_t len;       /* this header and the label stack */
	uint8_t class_num;
	uint8_t c_type;
} __rte_packed;

static struct icmp_limiter limiters[GRAPH_WORKER_MAX];

struct mpls_ttl_icmp_ctx {
	struct icmp_limiter *lim;
	uint64_t *drops;
};

/* Bytes of the answer for a stack of @p depth entries. */
static inline uint32_t
answer_len(unsigned int depth)
{
	return 2 * depth * MPLS_LSE_LEN + sizeof(struct rte_ipv4_hdr) +
	       sizeof(struct rte_icmp_hdr) + ORIG_LEN +
	       sizeof(struct icmp_ext_hdr) + sizeof(struct icmp_ext_obj);
}

/* Bytes of the IPv6 answer for a stack of @p depth entries. */
static inline uint32_t
answer6_len(unsigned int depth)
{
	return 2 * depth * MPLS_LSE_LEN + sizeof(struct rte_ipv6_hdr) +
	       sizeof(struct rte_icmp_hdr) + ORIG_LEN +
	       sizeof(struct icmp_ext_hdr) + sizeof(struct icmp_ext_obj);
}

/* The ICMP message after its header: quote, extension, label object. */
static inline uint32_t
icmp_body_write(uint8_t *p, const uint8_t *quote, uint32_t qlen,
		const uint8_t *stack, unsigned int depth)
{
	struct icmp_ext_hdr *eh = (struct icmp_ext_hdr *)(p + ORIG_LEN);
	struct icmp_ext_obj *ob = (struct icmp_ext_obj *)(eh + 1);
	uint32_t stack_len = depth * MPLS_LSE_LEN;

	memmove(p, quote, qlen);
	memset(p + qlen, 0, ORIG_LEN - qlen);
	memmove(ob + 1, stack, stack_len);
	ob->len = rte_cpu_to_be_16((uint16_t)(sizeof(*ob) + stack_len));
	ob->class_num = EXT_CLASS_MPLS;
	ob->c_type = EXT_CTYPE_INCOMING;
	eh->version = EXT_VERSION << 4;
	eh->reserved = 0;
	eh->cksum = 0;
	eh->cksum = pkt_inet_cksum(eh, sizeof(*eh) + sizeof(*ob) + stack_len);
	return ORIG_LEN + sizeof(*eh) + sizeof(*ob) + stack_len;
}

/* Stack entries of @p m get the TTL of the answer. */
static inline void
answer_stack_ttl(uint8_t *p, unsigned int depth)
{
	unsigned int i;

	for (i = 0; i < depth; i++)
		mpls_lse_write(p + i * MPLS_LSE_LEN,
			       (mpls_lse_read(p + i * MPLS_LSE_LEN) &
				~MPLS_TTL_MASK) | RESENT_TTL);
}

/*
 * Rewrite @p m (stack of @p depth entries, then the expired IPv4
 * packet) into stack + IPv4 + ICMP time exceeded, sourced from @p src.
 * The quote and stack are copied aside first: the answer overlaps them.
 */
static inline void
answer_build(struct rte_mbuf *m, unsigned int depth, uint32_t src)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t slen = depth * MPLS_LSE_LEN;
	const struct rte_ipv4_hdr *orig =
		(const struct rte_ipv4_hdr *)(p + slen);
	uint32_t qlen = RTE_MIN(m->data_len - slen, (uint32_t)ORIG_LEN);
	uint8_t stack[MPLS_MAX_LABELS * MPLS_LSE_LEN], quote[ORIG_LEN];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + slen);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	uint32_t body, dst = orig->src_addr;

	qlen = RTE_MIN(qlen, (uint32_t)rte_be_to_cpu_16(orig->total_length));
	memcpy(stack, p, slen);
	memcpy(quote, orig, qlen);
	body = icmp_body_write((uint8_t *)(icmp + 1), quote, qlen, stack,
			       depth);
	icmp->icmp_type = PKT_ICMP_TIME_EXCEEDED;
	icmp->icmp_code = 0; /* TTL exceeded in transit */
	/* RFC 4884 5.1: the original datagram's length in 32-bit words in
	 * the second byte of the otherwise unused word. */
	icmp->icmp_ident = rte_cpu_to_be_16(ORIG_LEN / 4);
	icmp->icmp_seq_nb = 0;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = pkt_inet_cksum(icmp, sizeof(*icmp) + body);
	icmp_error_ip_write(ip, src, dst,
			    (uint16_t)(sizeof(*ip) + sizeof(*icmp) + body));
	answer_stack_ttl(p, depth);
	m->data_len = (uint16_t)(slen + sizeof(*ip) + sizeof(*icmp) + body);
	m->pkt_len = m->data_len;
}

/* The IPv6 counterpart of answer_build(), from IPv4 address @p src4
 * (network order) mapped into IPv6. */
static inline void
answer6_build(struct rte_mbuf *m, unsigned int depth, uint32_t src4)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t slen = depth * MPLS_LSE_LEN;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(p + slen);
	uint8_t *icmp = (uint8_t *)(ip + 1);
	uint32_t qlen = RTE_MIN(m->data_len - slen, (uint32_t)ORIG_LEN);
	uint8_t stack[MPLS_MAX_LABELS * MPLS_LSE_LEN], quote[ORIG_LEN];
	uint8_t dst[16];
	uint32_t body;
	uint16_t cksum;

	qlen = RTE_MIN(qlen, (uint32_t)sizeof(*ip) +
		       rte_be_to_cpu_16(ip->payload_len));
	memcpy(stack, p, slen);
	memcpy(quote, ip, qlen);
	memcpy(dst, ip->src_addr, 16);
	body = icmp_body_write(icmp + 8, quote, qlen, stack, depth);
	icmp[0] = ICMP6_TIME_EXCEEDED;
	icmp[1] = 0; /* hop limit exceeded in transit */
	icmp[2] = icmp[3] = 0;
	/* RFC 4884 5.1: ICMPv6 counts the original datagram in 64-bit
	 * words, in the first byte of the unused word. */
	icmp[4] = ORIG_LEN / 8;
	icmp[5] = icmp[6] = icmp[7] = 0;
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(8 + body));
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = ICMP_ERROR_TTL;
	memset(ip->src_addr, 0, 10);
	ip->src_addr[10] = ip->src_addr[11] = 0xff;
	memcpy(&ip->src_addr[12], &src4, 4);
	memcpy(ip->dst_addr, dst, 16);
	cksum = rte_ipv6_udptcp_cksum(ip, icmp);
	memcpy(icmp + 2, &cksum, 2);
	answer_stack_ttl(p, depth);
	m->data_len = (uint16_t)(slen + sizeof(*ip) + 8 + body);
	m->pkt_len = m->data_len;
}

/* RFC 4443 2.4 (e): no error about an ICMPv6 error, nor to a source
 * that is multicast or unspecified. */
static inline bool
icmp6_error_allowed(const struct rte_mbuf *m, const uint8_t *ip,
		    uint32_t len)
{
	const struct pkt_md *md = pkt_md((struct rte_mbuf *)(uintptr_t)m);
	static const uint8_t any[16];

	if ((md->flags & PKT_F_LOCAL_ORIGIN) || len < sizeof(struct rte_ipv6_hdr))
		return false;
	if (ip[8] == 0xff || memcmp(ip + 8, any, 16) == 0)
		return false;
	return ip[6] != IPPROTO_ICMPV6 ||
	       (len > sizeof(struct rte_ipv6_hdr) && ip[40] >= 128);
}

/* IPv6 under @p depth entries: answered from the mapped IPv4 address. */
static inline rte_edge_t
ttl_icmp6_one(struct mpls_ttl_icmp_ctx *ctx, struct rte_mbuf *m,
	      unsigned int depth, uint32_t src4)
{
	uint32_t slen = depth * MPLS_LSE_LEN;
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, slen);

	if (!icmp6_error_allowed(m, ip, m->data_len - slen) ||
	    rte_pktmbuf_tailroom(m) + m->data_len < answer6_len(depth) ||
	    !icmp_limiter_take(ctx->lim))
		return MPLS_TTL_ICMP_NEXT_DROP;
	answer6_build(m, depth, src4);
	return MPLS_TTL_ICMP_NEXT_INPUT;
}

static inline rte_edge_t
ttl_icmp_one(struct mpls_ttl_icmp_ctx *ctx, struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct pkt_md *md = pkt_md(m);
	const struct iface *ifc = &iface_table[md->in_iface];
	int depth = mpls_stack_depth(p, m->data_len, mpls_dp.max_labels);
	const struct rte_ipv4_hdr *ip;
	uint32_t slen;

	if (depth <= 0 || ifc->addr == 0 || m->nb_segs != 1)
		return MPLS_TTL_ICMP_NEXT_DROP;
	slen = (uint32_t)depth * MPLS_LSE_LEN;
	ip = (const struct rte_ipv4_hdr *)(p + slen);
	if (m->data_len > slen && p[slen] >> 4 == 6) {
		rte_edge_t e = ttl_icmp6_one(ctx, m, (unsigned int)depth,
					     rte_cpu_to_be_32(ifc->addr));

		if (e == MPLS_TTL_ICMP_NEXT_INPUT) {
			ctx->drops[md->drop]++;
			md->flags |= PKT_F_LOCAL_ORIGIN;
		}
		return e;
	}
	if (m->data_len < slen + sizeof(*ip) || p[slen] >> 4 != 4 ||
	    !icmp_error_allowed(m, ip, m->data_len - slen) ||
	    rte_pktmbuf_tailroom(m) + m->data_len <
	    answer_len((unsigned int)depth) ||
	    !icmp_limiter_take(ctx->lim))
		return MPLS_TTL_ICMP_NEXT_DROP;
	answer_build(m, (unsigned int)depth, rte_cpu_to_be_32(ifc->addr));
	ctx->drops[md->drop]++; /* the expired packet, as icmp_error */
	md->flags |= PKT_F_LOCAL_ORIGIN;
	return MPLS_TTL_ICMP_NEXT_INPUT;
}

static uint16_t
mpls_ttl_icmp_process(struct rte_graph *graph, struct rte_node *node,
		      void **objs, uint16_t cnt)
{
	struct mpls_ttl_icmp_ctx *ctx = (struct mpls_ttl_icmp_ctx *)node->ctx;
	uint16_t i;

	icmp_limiter_refill(ctx->lim, rte_get_tsc_cycles());
	for (i = 0; i < cnt; i++)
		rte_node_enqueue_x1(graph, node, ttl_icmp_one(ctx, objs[i]),
				    objs[i]);
	return cnt;
}

static int
mpls_ttl_icmp_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct mpls_ttl_icmp_ctx *ctx = (struct mpls_ttl_icmp_ctx *)node->ctx;
	struct worker *w = graph_worker_of(graph);

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	if (w == NULL)
		return -EINVAL;
	icmp_limiter_init(&limiters[w->index], route_icmp_rate(),
			  rte_get_tsc_hz(), rte_get_tsc_cycles());
	ctx->lim = &limiters[w->index];
	ctx->drops = w->stats.drops;
	return 0;
}

static struct rte_node_register mpls_ttl_icmp_node = {
	.name = "ferry_mpls_ttl_icmp",
	.process = mpls_ttl_icmp_process,
	.init = mpls_ttl_icmp_init,
	.nb_edges = MPLS_TTL_ICMP_NEXT_MAX,
	.next_nodes = {
		[MPLS_TTL_ICMP_NEXT_DROP] = "ferry_drop",
		[MPLS_TTL_ICMP_NEXT_INPUT] = "ferry_mpls_input",
	},
};

RTE_NODE_REGISTER(mpls_ttl_icmp_node);
