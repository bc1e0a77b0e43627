/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_esp_encrypt: outbound ESP, tunnel mode (RFC 4303 3.1.2). Packets
 * come from ferry_ip4_lookup (an ipsec.routes route) or ferry_ip6_lookup
 * (ipsec.routes6), SA slot in pkt_md.nbr, TTL / hop limit checked but
 * not decremented, data at the inner IPv4 or IPv6 header. The outbound
 * SPD (ipsec.spd, or ipsec.spd6 for IPv6) may choose another SA or
 * discard it. Runs of packets of one SA are encrypted as a burst by
 * librte_ipsec (CPU crypto on this lcore), the outer header (IPv4, or
 * IPv6 from the SA's template) gets the SA's DSCP/DF, and the packet
 * goes to its port with the L2 header of the SA's outer route, cached
 * per graph and route epoch (enc_send(), IPv4 outer only), or else is
 * routed again in the SA's underlay VRF by the lookup of its family.
 *
 * Never in clear: a packet that cannot be encrypted (SA gone, expired,
 * out of sequence numbers, no room) is dropped under a named reason.
 */
#include <rte_graph_worker.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "ipsec_node.h"
#include "port.h"

#define FOREACH_ESP_ENC_NEXT(_)          \
	_(DROP, "ferry_drop")            \
	_(LOOKUP, "ferry_ip4_lookup")    \
	_(LOOKUP6, "ferry_ip6_lookup")

enum esp_enc_next {
#define _NEXT_ENUM(e, name) ESP_ENC_NEXT_##e,
	FOREACH_ESP_ENC_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	ESP_ENC_NEXT_TX0 /* + port index: esp_encrypt_edges_add() */
};

/*
 * Each graph's outer routes of its SAs (route_out4_get()), direct
 * mapped by SA slot: a collision only costs a lookup. Per graph, so no
 * two lcores write one entry.
 */
#define ENC_OUT_CACHE 1024

struct esp_enc_ctx {
	struct route_out4 *out;  /* ENC_OUT_CACHE entries */
	uint32_t epoch;          /* route_epoch of this burst */
	uint8_t direct;          /* no trace or capture on the IPv4 path */
};

/* Room librte_ipsec needs: the larger outer header (IPv6 40, or IPv4
 * 20 + UDP 8) + ESP + IV in front, the largest padding + trailer + ESN
 * high bits + ICV + AAD behind. */
#define ENC_HEAD_ROOM (40 + 8 + 16)
#define ENC_TAIL_ROOM (16 + 2 + 4 + 16 + 16)

/* Selectors of an IPv4 packet for the SPD (RFC 4301 4.4.1.1). */
void
ipsec_spd_key(const struct rte_ipv4_hdr *ip, uint32_t len, struct spd_key *k)
{
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	const uint8_t *l4 = (const uint8_t *)ip + ihl;

	k->src = rte_be_to_cpu_32(ip->src_addr);
	k->dst = rte_be_to_cpu_32(ip->dst_addr);
	k->proto = ip->next_proto_id;
	k->sport = k->dport = 0;
	if ((k->proto == IPPROTO_UDP || k->proto == IPPROTO_TCP) &&
	    !pkt_ip4_is_fragment(ip) && len >= ihl + 4) {
		k->sport = (uint16_t)(l4[0] << 8 | l4[1]);
		k->dport = (uint16_t)(l4[2] << 8 | l4[3]);
	}
}

/* The slot the matched outbound rule sends to (protect), or
 * IPSEC_SLOT_NONE (discard); its hits counted. */
static inline uint16_t
enc_rule_slot(uint8_t action, uint16_t sa_slot, const uint64_t *hits)
{
	__atomic_fetch_add((uint64_t *)(uintptr_t)hits, 1, __ATOMIC_RELAXED);
	return action == IPSEC_PROTECT ? sa_slot : IPSEC_SLOT_NONE;
}

/* Outbound IPv6 SPD (ipsec.spd6): the slot to use, or IPSEC_SLOT_NONE
 * to discard; no rule matched: the route's SA. */
static inline uint16_t
enc_spd6(struct rte_mbuf *m, uint16_t slot)
{
	const struct ipsec_spd6 *t =
		__atomic_load_n(&ipsec_dp.spd6[IPSEC_DIR_OUT], __ATOMIC_ACQUIRE);
	struct spd6_key k;
	int i;

	if (t == NULL || t->n == 0)
		return slot;
	ipsec_spd6_key(m, &k);
	i = spd6_match(t->r, t->n, &k);
	return i < 0 ? slot : enc_rule_slot(t->r[i].action, t->r[i].sa_slot,
					    &t->r[i].hits);
}

/* Outbound SPD: the slot to use, or IPSEC_SLOT_NONE to discard. */
static inline uint16_t
enc_spd(struct rte_mbuf *m, uint16_t slot)
{
	const struct ipsec_spd *t =
		__atomic_load_n(&ipsec_dp.spd[IPSEC_DIR_OUT], __ATOMIC_ACQUIRE);
	struct spd_key k;
	int i;

	/* IPv6 meets the IPv6 rules (ipsec.spd6) only */
	if (ipsec_pkt_is_ip6(m))
		return enc_spd6(m, slot);
	if (t == NULL || t->n == 0)
		return slot;
	ipsec_spd_key(rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *),
		      rte_pktmbuf_data_len(m), &k);
	k.vrf = pkt_md(m)->vrf; /* the VRF it was routed in */
	i = spd_match(t->r, t->n, &k);
	return i < 0 ? slot : enc_rule_slot(t->r[i].action, t->r[i].sa_slot,
					    &t->r[i].hits);
}

/*
 * What the outer header takes from the inner one, kept in the mbuf's
 * hash.usr while librte_ipsec moves packets around (nothing reads it on
 * this path): inner length << 16 | DF << 8 | TOS.
 */
/*
 * IPv6 inner: the hop limit goes down (RFC 8200 3), the traffic class
 * stands for the TOS, and DF is taken as set: an IPv6 packet is never
 * fragmented on its path (RFC 8200 5), so neither is its tunnel packet
 * when the SA copies DF into an IPv4 outer header.
 */
static inline uint32_t
enc_stash6(struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);

	if (!(pkt_md(m)->flags & PKT_F_LOCAL_ORIGIN))
		ip->hop_limits--;
	return 1u << 8 | ((rte_be_to_cpu_32(ip->vtc_flow) >> 20) & 0xff);
}

static inline uint32_t
enc_stash4(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	bool df = ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);

	if (!(pkt_md(m)->flags & PKT_F_LOCAL_ORIGIN))
		pkt_ip4_ttl_dec(ip);
	return (uint32_t)df << 8 | ip->type_of_service;
}

static inline void
enc_stash(struct rte_mbuf *m)
{
	uint32_t v = ipsec_pkt_is_ip6(m) ? enc_stash6(m) : enc_stash4(m);

	m->hash.usr = rte_pktmbuf_pkt_len(m) << 16 | v;
	m->l2_len = 0; /* librte_ipsec: the inner packet starts at data */
}

/* IPv6 outer: traffic class as the TOS of an IPv4 one; the flow label
 * stays 0 (the SA's template, sad.c). */
static inline void
enc_outer6(struct rte_mbuf *m, uint8_t tc)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);

	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | (uint32_t)tc << 20);
}

/* An SA charon moved (UPDATE_SA): its new end points and NAT-T ports
 * over the ones librte_ipsec built it with. The UDP checksum stays 0
 * (RFC 3948 2.1). */
static inline void
enc_ends4(struct rte_ipv4_hdr *ip, const struct ipsec_sa_ends *e)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	ip->src_addr = e->src;
	ip->dst_addr = e->dst;
	if (ip->next_proto_id == IPPROTO_UDP) {
		udp->src_port = e->sport;
		udp->dst_port = e->dport;
	}
}

static inline void
enc_outer4(struct rte_mbuf *m, const struct ipsec_sa *s, uint8_t tos)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	const struct ipsec_sa_ends *e =
		__atomic_load_n(&s->ends, __ATOMIC_ACQUIRE);
	bool df = (m->hash.usr >> 8) & 1;

	if (s->conf.df != IPSEC_DF_COPY)
		df = s->conf.df == IPSEC_DF_SET;
	if (unlikely(e != NULL))
		enc_ends4(ip, e);
	ip->type_of_service = tos;
	ip->fragment_offset = df ? rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = pkt_ip4_hdr_cksum(ip, sizeof(*ip));
}

static inline void
enc_outer(struct rte_mbuf *m, const struct ipsec_sa *s)
{
	uint8_t tos = (uint8_t)(m->hash.usr & 0xff);
	struct pkt_md *md = pkt_md(m);

	if (s->conf.dscp == IPSEC_DSCP_SET)
		tos = (uint8_t)(s->tos_set | (tos & 0x3)); /* keep ECN */
	if (s->outer6)
		enc_outer6(m, tos);
	else
		enc_outer4(m, s, tos);
	md->vrf = s->underlay_vrf;
	md->flags |= PKT_F_LOCAL_ORIGIN; /* the outer packet is ferry's */
}

/* Sequence number (low 32 bits) of an encrypted packet of @p s. */
static inline uint32_t
enc_seq(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	const uint8_t *esp = s->outer6 ?
		(const uint8_t *)ip + sizeof(struct rte_ipv6_hdr) :
		(const uint8_t *)ip + sizeof(*ip) +
		(ip->next_proto_id == IPPROTO_UDP ? 8 : 0);
	rte_be32_t seq;

	/* after a UDP header the ESP header is not 4-byte aligned */
	memcpy(&seq, esp + 4, sizeof(seq));
	return rte_be_to_cpu_32(seq);
}

/* Keep in front the packets of the family @p s carries (RFC 4303 2.6:
 * its next header is fixed per SA); drop the others. */
static inline uint16_t
enc_family(struct rte_graph *graph, struct rte_node *node,
	   const struct ipsec_sa *s, struct rte_mbuf **m, uint16_t n)
{
	uint16_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (likely(ipsec_pkt_is_ip6(m[i]) == s->inner6))
			m[k++] = m[i];
		else
			ipsec_node_drop(graph, node, m[i],
					DROP_ESP_INNER_FAMILY);
	}
	return k;
}

/*
 * Send the outer IPv4 packets of @p s straight to their port, with the
 * L2 header of the SA's cached outer route: what ferry_ip4_lookup and
 * ferry_ip4_rewrite would do with a packet ferry built, without the
 * FIB lookup and neighbour hash per packet. Any other case (IPv6 outer,
 * no cached route, neighbour unresolved, interface down, over the MTU,
 * no headroom, a trace or capture on those nodes) goes to
 * ferry_ip4_lookup as before, so drops, ICMP and counters stay theirs.
 */
static void
enc_send(struct rte_graph *graph, struct rte_node *node,
	 const struct ipsec_sa *s, struct rte_mbuf **m, uint16_t n)
{
	struct esp_enc_ctx *ctx = (struct esp_enc_ctx *)node->ctx;
	struct rte_mbuf *slow[IPSEC_RUN_MAX];
	struct route_out4 *o = &ctx->out[s->slot % ENC_OUT_CACHE];
	struct route_out_l2 l2;
	uint64_t bytes = 0;
	uint16_t i, k = 0, ns = 0;

	if (s->outer6) {
		rte_node_enqueue(graph, node, ESP_ENC_NEXT_LOOKUP6, (void **)m, n);
		return;
	}
	if (unlikely(!ctx->direct || n == 0 ||
		     !route_out4_get(o, s->underlay_vrf, s->conf.remote,
				     ctx->epoch) ||
		     !route_out4_l2(o, &l2))) {
		rte_node_enqueue(graph, node, ESP_ENC_NEXT_LOOKUP, (void **)m, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct rte_ipv4_hdr *ip =
			rte_pktmbuf_mtod(m[i], const struct rte_ipv4_hdr *);
		struct pkt_md *md = pkt_md(m[i]);
		char *eth;

		if (unlikely(rte_be_to_cpu_16(ip->total_length) > l2.mtu ||
			     rte_pktmbuf_headroom(m[i]) < l2.len)) {
			slow[ns++] = m[i];
			continue;
		}
		eth = rte_pktmbuf_prepend(m[i], l2.len);
		if (likely(l2.len == RTE_ETHER_HDR_LEN))
			memcpy(eth, l2.hdr, RTE_ETHER_HDR_LEN);
		else
			memcpy(eth, l2.hdr, sizeof(l2.hdr));
		md->out_iface = l2.iface;
		md->nbr = o->nbr;
		bytes += m[i]->pkt_len;
		m[k++] = m[i];
	}
	if (k != 0) {
		struct iface_run c = { .ifx = l2.iface,
			.pkts = IFACE_CTR_TX_PKTS, .n = k, .bytes = bytes };

		iface_run_flush(&c);
		rte_node_enqueue(graph, node, ESP_ENC_NEXT_TX0 + l2.port,
				 (void **)m, k);
	}
	if (ns != 0)
		rte_node_enqueue(graph, node, ESP_ENC_NEXT_LOOKUP,
				 (void **)slow, ns);
}

/* Encrypt @p n packets of SA slot @p slot and pass them on. */
static void
enc_run(struct rte_graph *graph, struct rte_node *node, uint16_t slot,
	struct rte_mbuf **m, uint16_t n)
{
	struct ipsec_sa *s = slot == IPSEC_SLOT_NONE ? NULL :
		__atomic_load_n(&ipsec_dp.sa[slot], __ATOMIC_ACQUIRE);
	uint16_t k, good, i;
	uint64_t bytes = 0;

	if (unlikely(s == NULL || !s->outbound)) {
		ipsec_node_drop_all(graph, node, m, n, DROP_ESP_NO_SA);
		return;
	}
	n = enc_family(graph, node, s, m, n);
	n = ipsec_node_admit(graph, node, s, m, n, true);
	if (n == 0)
		return;
	/* room was checked per packet, so a packet librte_ipsec leaves
	 * unprepared is one it had no sequence number for */
	k = rte_ipsec_pkt_cpu_prepare(&s->ss, m, n);
	if (unlikely(k < n)) {
		lifetime_state_raise(&s->state, IPSEC_SA_SEQ_OVERFLOW);
		ipsec_node_drop_all(graph, node, m + k, n - k, DROP_SA_SEQ_OVERFLOW);
	}
	good = rte_ipsec_pkt_process(&s->ss, m, k);
	ipsec_node_drop_all(graph, node, m + good, k - good, DROP_ESP_ENCRYPT_FAILED);
	for (i = 0; i < good; i++)
		bytes += m[i]->hash.usr >> 16;
	ipsec_node_count(s, good, bytes, (uint16_t)(n - good));
	for (i = 0; i < good; i++)
		enc_outer(m[i], s);
	if (good != 0)
		ipsec_atomic_max32(&s->last_seq, enc_seq(s, m[good - 1]));
	enc_send(graph, node, s, m, good);
}

/* Per packet: SPD, room check, stash; NONE slot = dropped already. */
static inline uint16_t
enc_classify(struct rte_graph *graph, struct rte_node *node,
	     struct rte_mbuf *m)
{
	uint16_t slot = enc_spd(m, (uint16_t)pkt_md(m)->nbr);

	if (unlikely(slot == IPSEC_SLOT_NONE)) {
		ipsec_node_drop(graph, node, m, DROP_IPSEC_SPD_DISCARD);
		return IPSEC_SLOT_NONE;
	}
	if (unlikely(rte_pktmbuf_headroom(m) < ENC_HEAD_ROOM ||
		     rte_pktmbuf_tailroom(rte_pktmbuf_lastseg(m)) <
			     ENC_TAIL_ROOM)) {
		ipsec_node_drop(graph, node, m, DROP_ESP_ENCRYPT_FAILED);
		return IPSEC_SLOT_NONE;
	}
	enc_stash(m);
	return slot;
}

static uint16_t
esp_encrypt_process(struct rte_graph *graph, struct rte_node *node,
		    void **objs, uint16_t cnt)
{
	struct esp_enc_ctx *ctx = (struct esp_enc_ctx *)node->ctx;

	/* once per burst: the route epoch, and whether a trace or capture
	 * watches the IPv4 nodes the packets would otherwise cross */
	ctx->epoch = route_epoch_read();
	ctx->direct = ctx->out != NULL &&
		!route_ip4_out_watched(__rte_node_next_node_get(node,
				ESP_ENC_NEXT_LOOKUP));
	ipsec_node_runs(graph, node, objs, cnt, enc_classify, enc_run);
	return cnt;
}

/* Management lcore, at graph creation: the graph's outer route cache
 * (without memory every packet takes ferry_ip4_lookup). */
static int
esp_encrypt_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct esp_enc_ctx *ctx = (struct esp_enc_ctx *)node->ctx;

	RTE_BUILD_BUG_ON(sizeof(*ctx) > RTE_NODE_CTX_SZ);
	ctx->out = rte_zmalloc_socket("esp_out_cache",
				      ENC_OUT_CACHE * sizeof(*ctx->out),
				      RTE_CACHE_LINE_SIZE, graph->socket);
	return 0;
}

static void
esp_encrypt_fini(const struct rte_graph *graph, struct rte_node *node)
{
	struct esp_enc_ctx *ctx = (struct esp_enc_ctx *)node->ctx;

	RTE_SET_USED(graph);
	rte_free(ctx->out);
	ctx->out = NULL;
}

static struct rte_node_register esp_encrypt_node = {
	.name = "ferry_esp_encrypt",
	.process = esp_encrypt_process,
	.init = esp_encrypt_init,
	.fini = esp_encrypt_fini,
	.nb_edges = ESP_ENC_NEXT_TX0,
	.next_nodes = {
#define _NEXT_NAME(e, name) [ESP_ENC_NEXT_##e] = name,
		FOREACH_ESP_ENC_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(esp_encrypt_node);

int
esp_encrypt_edges_add(void)
{
	/* once per process: a second setup finds them there */
	if (rte_node_edge_count(esp_encrypt_node.id) > ESP_ENC_NEXT_TX0)
		return 0;
	return port_tx_edges_add(esp_encrypt_node.id) == ESP_ENC_NEXT_TX0 ?
		0 : -EINVAL;
}
