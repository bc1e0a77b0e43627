/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_esp_decrypt: inbound ESP, tunnel mode (RFC 4303 3.4), directly
 * in IP (protocol 50) or in UDP 4500 (NAT-T, RFC 3948 2.2), or in IPv6
 * (next header 50 after any extension headers). Packets come from
 * ferry_ip4_local with data at the outer IPv4 header, or from
 * ferry_ip6_local with data at the outer IPv6 header and m->l3_len at
 * the ESP header. Per packet:
 * lengths, SAD lookup by (SPI, destination). Per run of one SA, with
 * librte_ipsec on this lcore: sequence check against the window,
 * decrypt + ICV, then (ferry) padding and next header, then
 * librte_ipsec's window update and decapsulation. The inner packet is
 * checked, matched against the inbound SPD of its family and routed in
 * the SA's inner VRF by the lookup of its family (next header 4 or 41,
 * fixed per SA). Every failure is a drop under its own reason.
 */
#include <rte_graph_worker.h>
#include <rte_esp.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "ip6_hdr.h"
#include "ipsec_node.h"

#define FOREACH_ESP_DEC_NEXT(_)          \
	_(DROP, "ferry_drop")            \
	_(LOOKUP, "ferry_ip4_lookup")    \
	_(LOOKUP6, "ferry_ip6_lookup")

enum esp_dec_next {
#define _NEXT_ENUM(e, name) ESP_DEC_NEXT_##e,
	FOREACH_ESP_DEC_NEXT(_NEXT_ENUM)
#undef _NEXT_ENUM
	ESP_DEC_NEXT_MAX
};

#define NATT_PORT 4500

/*
 * Offset of the ESP header after the outer IPv4 (and UDP) header, or a
 * drop reason as a negative number. RFC 3948 2.2/2.3: on UDP 4500 a
 * first word of zero is IKE, a single 0xff byte a keepalive.
 */
static inline int
dec_esp_offset(const struct rte_ipv4_hdr *ip, uint32_t total)
{
	uint32_t ihl = (ip->version_ihl & 0xf) * 4u;
	const uint8_t *p = (const uint8_t *)ip + ihl;

	if (ip->next_proto_id != IPPROTO_UDP)
		return (int)ihl;
	if (total < ihl + sizeof(struct rte_udp_hdr) + 1)
		return -DROP_ESP_TRUNCATED;
	if (total == ihl + sizeof(struct rte_udp_hdr) + 1 && p[8] == 0xff)
		return -DROP_ESP_NATT_KEEPALIVE;
	if (total >= ihl + 12 && p[8] == 0 && p[9] == 0 && p[10] == 0 &&
	    p[11] == 0)
		return -DROP_ESP_NATT_IKE;
	return (int)(ihl + sizeof(struct rte_udp_hdr));
}

/* Lengths against the SA's algorithm (RFC 4303 2, 2.4). */
static inline enum drop_reason
dec_check_len(const struct ipsec_sa *s, uint32_t esp_len)
{
	const struct crypto_alg_info *a = crypto_alg_get(s->alg);
	uint32_t fixed = sizeof(struct rte_esp_hdr) + a->iv_len + a->icv_len;

	if (esp_len < fixed + sizeof(struct rte_esp_tail))
		return DROP_ESP_TRUNCATED;
	if ((esp_len - fixed) % a->block != 0)
		return DROP_ESP_BAD_LENGTH;
	return DROP_NONE;
}

/*
 * Outer IPv6: ferry_ip6_local found the ESP header after the extension
 * headers (m->l3_len) and ferry_ip6_input trimmed the frame to the
 * payload length. @return the ESP offset; @p total and @p key's
 * destination set.
 */
static inline int
dec_outer6(struct rte_mbuf *m, uint32_t *total, struct ipsec_in_key *key)
{
	const struct rte_ipv6_hdr *ip6 =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);

	*total = sizeof(*ip6) + rte_be_to_cpu_16(ip6->payload_len);
	memcpy(key->dst, ip6->dst_addr, 16);
	return m->l3_len;
}

static inline int
dec_outer4(struct rte_mbuf *m, uint32_t *total, struct ipsec_in_key *key)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);

	*total = rte_be_to_cpu_16(ip->total_length);
	ipsec_in_key_v4(key, ip->dst_addr);
	return dec_esp_offset(ip, *total);
}

/* The SA of a packet, or a drop reason; sets l2/l3 lengths for it. */
static inline enum drop_reason
dec_classify(struct rte_mbuf *m, uint16_t *slot)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_esp_hdr *esp;
	struct ipsec_in_key key;
	const struct ipsec_sa *s;
	uint32_t total;
	void *data;
	int off;

	if (unlikely(m->nb_segs != 1))
		return DROP_ESP_CHAINED;
	off = ipsec_pkt_is_ip6(m) ? dec_outer6(m, &total, &key) :
				    dec_outer4(m, &total, &key);
	/* Ethernet padding would be taken for ESP trailer and ICV */
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - total));
	if (unlikely(off < 0))
		return (enum drop_reason)-off;
	if (unlikely(total < (uint32_t)off + sizeof(*esp)))
		return DROP_ESP_TRUNCATED;
	esp = (const struct rte_esp_hdr *)(ip + off);
	key.spi = esp->spi;
	if (rte_hash_lookup_data(ipsec_dp.in_hash, &key, &data) < 0)
		return DROP_ESP_UNKNOWN_SPI;
	*slot = (uint16_t)(uintptr_t)data;
	s = __atomic_load_n(&ipsec_dp.sa[*slot], __ATOMIC_ACQUIRE);
	if (unlikely(s == NULL))
		return DROP_ESP_UNKNOWN_SPI;
	m->l2_len = 0;
	m->l3_len = (uint16_t)off; /* librte_ipsec: ESP starts here */
	m->hash.usr = rte_be_to_cpu_32(esp->seq); /* for the SA's counters */
	return dec_check_len(s, total - (uint32_t)off);
}

/*
 * RFC 4303 2.4/2.6 on the decrypted trailer: padding bytes must be
 * 1, 2, 3, ... and the next header the SA's inner, IPv4 (4) or IPv6
 * (41); 59 is a dummy packet (dropped, RFC 4303 2.6).
 */
static inline enum drop_reason
dec_check_trailer(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const struct crypto_alg_info *a = crypto_alg_get(s->alg);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint32_t start = m->l3_len + sizeof(struct rte_esp_hdr) + a->iv_len;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	/* with ESN, librte_ipsec put the high sequence bits before the ICV */
	const uint8_t *t = p + len - a->icv_len - (s->conf.esn ? 4 : 0) - 2;
	uint8_t i;

	if (t[1] != (s->inner6 ? IPPROTO_IPV6 : IPPROTO_IPIP))
		return DROP_ESP_BAD_NEXT_HEADER;
	if ((uint32_t)(t - p) < start + t[0])
		return DROP_ESP_BAD_PAD;
	for (i = 0; i < t[0]; i++)
		if (t[-(int)t[0] + i] != i + 1)
			return DROP_ESP_BAD_PAD;
	return DROP_NONE;
}

/* The verdict of the inbound rule @p action (tunnel @p tunnel) on a
 * packet decrypted by @p s; the rule's hits counted in @p hits. */
static inline enum drop_reason
dec_rule_verdict(const struct ipsec_sa *s, uint8_t action, uint32_t tunnel,
		 const uint64_t *hits)
{
	__atomic_fetch_add((uint64_t *)(uintptr_t)hits, 1, __ATOMIC_RELAXED);
	if (action == IPSEC_DISCARD)
		return DROP_IPSEC_SPD_DISCARD;
	/* any SA of the rule's tunnel: old and new alike during a rekey */
	if (action != IPSEC_PROTECT || tunnel != s->tunnel)
		return DROP_IPSEC_SPD_MISMATCH;
	return DROP_NONE;
}

/* Inbound SPD on the inner packet (RFC 4301 5.2 step 4). */
static inline enum drop_reason
dec_spd(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const struct ipsec_spd *t =
		__atomic_load_n(&ipsec_dp.spd[IPSEC_DIR_IN], __ATOMIC_ACQUIRE);
	const struct spd_rule *r;
	struct spd_key k;
	int i;

	if (t == NULL || t->n == 0)
		return DROP_NONE;
	ipsec_spd_key(rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *),
		      rte_pktmbuf_data_len(m), &k);
	k.vrf = s->inner_vrf;
	i = spd_match(t->r, t->n, &k);
	if (i < 0)
		return DROP_NONE;
	r = &t->r[i];
	return dec_rule_verdict(s, r->action, r->tunnel, &r->hits);
}

/* The same on a decrypted IPv6 packet, with the IPv6 SPD (ipsec.spd6). */
static inline enum drop_reason
dec_spd6(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const struct ipsec_spd6 *t =
		__atomic_load_n(&ipsec_dp.spd6[IPSEC_DIR_IN], __ATOMIC_ACQUIRE);
	const struct spd6_rule *r;
	struct spd6_key k;
	int i;

	if (t == NULL || t->n == 0)
		return DROP_NONE;
	ipsec_spd6_key(m, &k);
	i = spd6_match(t->r, t->n, &k);
	if (i < 0)
		return DROP_NONE;
	r = &t->r[i];
	return dec_rule_verdict(s, r->action, r->tunnel, &r->hits);
}

/*
 * A decapsulated IPv6 packet gets the checks of ferry_ip6_input (RFC
 * 8200: fixed header, extension-header chain) since it goes straight to
 * ferry_ip6_lookup; a multicast or link-local destination is not
 * routed out of a tunnel. Then the IPv6 SPD, as dec_spd() for IPv4.
 */
static inline enum drop_reason
dec_inner6(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_pkt_len(m);
	enum drop_reason r = ip6_hdr_check(ip, len);
	struct pkt_md *md = pkt_md(m);
	struct ip6_walk w;

	if (r == DROP_NONE)
		r = ip6_walk(ip, IP6_HDR_LEN + ((uint32_t)ip[4] << 8 | ip[5]),
			     &w);
	if (r == DROP_NONE && ip6_is_multicast(ip + 24))
		r = DROP_IP6_MULTICAST;
	if (r == DROP_NONE && ip6_is_link_local(ip + 24))
		r = DROP_IP6_LINK_LOCAL;
	if (r == DROP_NONE)
		r = dec_spd6(s, m);
	md->vrf = s->inner_vrf;
	md->flags = 0;
	return r;
}

/* The decapsulated packet: checked, SPD, then routed in the inner VRF. */
static inline enum drop_reason
dec_inner(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	struct pkt_md *md = pkt_md(m);
	enum drop_reason r = pkt_ip4_check(ip, rte_pktmbuf_pkt_len(m));

	if (r == DROP_NONE)
		r = pkt_ip4_check_addrs(ip);
	if (r == DROP_NONE &&
	    route_src_is_own(s->inner_vrf, rte_be_to_cpu_32(ip->src_addr)))
		r = DROP_IP4_OWN_SOURCE;
	if (r == DROP_NONE)
		r = dec_spd(s, m);
	md->vrf = s->inner_vrf;
	md->flags = 0;
	return r;
}

/* Keep the packets that pass @p r() in front; drop the others. */
static uint16_t
dec_filter(struct rte_graph *graph, struct rte_node *node,
	   const struct ipsec_sa *s, struct rte_mbuf **m, uint16_t n,
	   enum drop_reason (*check)(const struct ipsec_sa *,
				     struct rte_mbuf *))
{
	uint16_t i, k = 0;
	enum drop_reason r;

	for (i = 0; i < n; i++) {
		r = check(s, m[i]);
		if (r == DROP_NONE)
			m[k++] = m[i];
		else
			ipsec_node_drop(graph, node, m[i], r);
	}
	return k;
}

/* Replays are dropped before the cipher runs (a lock-free look). */
static inline enum drop_reason
dec_fresh(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	uint64_t seq = replay_seq(s->win, m->hash.usr, s->conf.esn);

	return replay_check(s->win, seq) == 0 ? DROP_NONE : DROP_ESP_REPLAY;
}

static inline enum drop_reason
dec_after_crypto(const struct ipsec_sa *s, struct rte_mbuf *m)
{
	pkt_rx_cksum_forget(m); /* the port's flags were the outer header's */
	if (m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)
		return DROP_ESP_BAD_ICV;
	return dec_check_trailer(s, m);
}

static inline uint16_t
dec_count_icv(struct rte_mbuf **m, uint16_t n)
{
	uint16_t i, c = 0;

	for (i = 0; i < n; i++)
		c += !!(m[i]->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);
	return c;
}

static void
dec_run(struct rte_graph *graph, struct rte_node *node, uint16_t slot,
	struct rte_mbuf **m, uint16_t n)
{
	struct ipsec_sa *s = __atomic_load_n(&ipsec_dp.sa[slot],
					     __ATOMIC_ACQUIRE);
	uint16_t k, g, good, all, icv, i, fresh;
	uint64_t bytes = 0;

	if (unlikely(s == NULL)) {
		ipsec_node_drop_all(graph, node, m, n, DROP_ESP_UNKNOWN_SPI);
		return;
	}
	all = n = ipsec_node_admit(graph, node, s, m, n, false);
	fresh = dec_filter(graph, node, s, m, n, dec_fresh);
	n = fresh;
	/* lengths were checked: what prepare refuses is the window */
	k = rte_ipsec_pkt_cpu_prepare(&s->ss, m, n);
	ipsec_node_drop_all(graph, node, m + k, n - k, DROP_ESP_REPLAY);
	icv = dec_count_icv(m, k);
	g = dec_filter(graph, node, s, m, k, dec_after_crypto);
	/* a window update lost to another lcore's is a replay too */
	good = ipsec_inb_process(s, m, g);
	ipsec_node_drop_all(graph, node, m + good, g - good, DROP_ESP_REPLAY);
	if (unlikely(good != all)) {
		__atomic_fetch_add(&s->replays,
				   (all - fresh) + (n - k) + (g - good),
				   __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->bad_icv, icv, __ATOMIC_RELAXED);
	}
	for (i = 0; i < good; i++)
		bytes += rte_pktmbuf_pkt_len(m[i]);
	ipsec_node_count(s, good, bytes, (uint16_t)(all - good));
	good = dec_filter(graph, node, s, m, good,
			  s->inner6 ? dec_inner6 : dec_inner);
	rte_node_enqueue(graph, node, s->inner6 ? ESP_DEC_NEXT_LOOKUP6 :
			 ESP_DEC_NEXT_LOOKUP, (void **)m, good);
}

static uint16_t
dec_slot(struct rte_graph *graph, struct rte_node *node, struct rte_mbuf *m)
{
	uint16_t slot = IPSEC_SLOT_NONE;
	enum drop_reason r = dec_classify(m, &slot);

	if (likely(r == DROP_NONE))
		return slot;
	ipsec_node_drop(graph, node, m, r);
	return IPSEC_SLOT_NONE;
}

static uint16_t
esp_decrypt_process(struct rte_graph *graph, struct rte_node *node,
		    void **objs, uint16_t cnt)
{
	ipsec_node_runs(graph, node, objs, cnt, dec_slot, dec_run);
	return cnt;
}

static struct rte_node_register esp_decrypt_node = {
	.name = "ferry_esp_decrypt",
	.process = esp_decrypt_process,
	.nb_edges = ESP_DEC_NEXT_MAX,
	.next_nodes = {
#define _NEXT_NAME(e, name) [ESP_DEC_NEXT_##e] = name,
		FOREACH_ESP_DEC_NEXT(_NEXT_NAME)
#undef _NEXT_NAME
	},
};

RTE_NODE_REGISTER(esp_decrypt_node);
