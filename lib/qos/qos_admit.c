/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Admission of one packet to a port's scheduler, on the owner lcore:
 * pick its class (classify's qos_class, else the port's DSCP map, else
 * the default), meter it with the port's and then the class's policer
 * and act on the colour (RFC 2697/2698 leave the action to the
 * operator), then queue it. Frames here are complete: Ethernet, maybe
 * one 802.1Q tag, then IPv4 or IPv6 (DSCP in the traffic class), or
 * something the policer meters whole.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>

#include "qos_priv.h"

/* The IP header of a frame, as the DSCP map, the meters and the remark
 * read it: IPv4 or IPv6 (its traffic class holds the DSCP the same way,
 * RFC 2474 3, RFC 8200 7). */
struct qos_ip {
	uint8_t *hdr; /* NULL: neither */
	bool v6;
};

/* The L3 header after Ethernet and at most one 802.1Q tag, its
 * ethertype in @p et; NULL if the frame is too short for @p min. */
static uint8_t *
l3_of(struct rte_mbuf *m, uint16_t *et, uint32_t min)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t off = sizeof(struct rte_ether_hdr);

	if (m->data_len < off + min)
		return NULL;
	memcpy(et, p + off - 2, 2);
	if (*et == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		off += sizeof(struct rte_vlan_hdr);
		if (m->data_len < off + min)
			return NULL;
		memcpy(et, p + off - 2, 2);
	}
	return p + off;
}

static struct qos_ip
ip_of(struct rte_mbuf *m)
{
	struct qos_ip ip = { NULL, false };
	uint8_t *end = rte_pktmbuf_mtod(m, uint8_t *) + m->data_len;
	uint8_t *l3;
	uint16_t et;
	uint32_t ihl;

	l3 = l3_of(m, &et, sizeof(struct rte_ipv4_hdr));
	if (l3 == NULL)
		return ip;
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		if ((l3[0] >> 4) == 6 && l3 + sizeof(struct rte_ipv6_hdr) <= end)
			ip = (struct qos_ip){ l3, true };
		return ip;
	}
	if (et != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return ip;
	/* Routed packets were checked by ip4_input; frames built or
	 * forwarded otherwise are checked here before DSCP is read or
	 * rewritten (the header checksum covers ihl bytes). */
	ihl = (uint32_t)(l3[0] & 0x0f) * 4;
	if ((l3[0] >> 4) == 4 && ihl >= sizeof(struct rte_ipv4_hdr) &&
	    l3 + ihl <= end)
		ip.hdr = l3;
	return ip;
}

static inline uint8_t
ip_dscp(const struct qos_ip *ip)
{
	return ip->v6 ? (uint8_t)((ip->hdr[0] & 0x0f) << 2 | ip->hdr[1] >> 6) :
			(uint8_t)(ip->hdr[1] >> 2);
}

/* What RFC 2697/2698 meter: the IP packet's length. */
static inline uint32_t
ip_len(const struct qos_ip *ip)
{
	return ip->v6 ? sizeof(struct rte_ipv6_hdr) +
			(uint32_t)(ip->hdr[4] << 8 | ip->hdr[5]) :
			(uint32_t)(ip->hdr[2] << 8 | ip->hdr[3]);
}

/* Set the DSCP, keep ECN (RFC 2474 section 3); IPv4: fix the checksum
 * (IPv6 has none). */
static void
dscp_remark(const struct qos_ip *ip, uint8_t dscp)
{
	struct rte_ipv4_hdr *ip4 = (struct rte_ipv4_hdr *)ip->hdr;
	uint32_t ihl = (uint32_t)(ip4->version_ihl & 0x0f) * 4;

	if (ip->v6) {
		ip->hdr[0] = (uint8_t)((ip->hdr[0] & 0xf0) | dscp >> 2);
		ip->hdr[1] = (uint8_t)((ip->hdr[1] & 0x3f) | (dscp & 3) << 6);
		return;
	}
	ip4->type_of_service = (uint8_t)((dscp << 2) |
					 (ip4->type_of_service & 0x03));
	ip4->hdr_checksum = 0;
	ip4->hdr_checksum = pkt_ip4_hdr_cksum(ip4, ihl);
}

/* @return false if the packet is to be dropped. */
static bool
police(struct qos_policer *p, const struct qos_ip *ip, struct pkt_md *md,
       uint32_t frame_len, uint64_t tsc)
{
	/* RFC 2697/2698 meter IP packets: count the IP length. */
	uint32_t len = ip->hdr != NULL ? ip_len(ip) : frame_len;
	enum rte_color c = qos_policer_color(p, tsc, len,
					     (enum rte_color)md->color);

	md->color = (uint8_t)c;
	if (p->conf.action[c] == QOS_ACT_DROP)
		return false;
	if (p->conf.action[c] == QOS_ACT_REMARK && ip->hdr != NULL)
		dscp_remark(ip, p->conf.dscp[c]);
	return true;
}

/* rte_red counts time in bytes sent by the port (as rte_sched does). */
static inline uint64_t
port_bytes(const struct qos_port_rt *q, uint64_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * q->red_mult) >> 20);
}

/*
 * rte_red_enqueue_empty() of DPDK 22.11, with its 2^-n factor computed
 * without the shift by -1 its header does when the queue was idle for
 * less than about one average packet (n == 0: undefined behaviour that
 * UBSan reports). Same tables, same result otherwise; never drops.
 */
static void
red_enqueue_empty(const struct rte_red_config *cfg, struct rte_red *red,
		  uint64_t time)
{
	uint64_t m = (time - red->q_time) / RTE_RED_S;
	uint32_t n, f, factor;

	red->count++;
	if (m >= RTE_RED_2POW16) {
		red->avg = 0;
		return;
	}
	n = (uint32_t)m *
	    rte_red_log2_1_minus_Wq[cfg->wq_log2 - RTE_RED_WQ_LOG2_MIN];
	f = (n >> 6) & 0xf;
	n >>= 10;
	if (n == 0)
		factor = rte_red_pow2_frac_inv[f];
	else if (n < RTE_RED_SCALING)
		factor = (rte_red_pow2_frac_inv[f] + (1u << (n - 1))) >> n;
	else
		factor = 0;
	red->avg = (red->avg >> RTE_RED_SCALING) * (uint16_t)factor;
}

/* RED on the class's queue (RFC 2309 style early drop, rte_red). */
static bool
red_drops(struct qos_port_rt *q, uint32_t leaf, uint64_t tsc)
{
	struct qos_red *r = q->red[leaf];
	uint64_t idle_since;
	uint32_t qlen;

	if (r == NULL)
		return false;
	qlen = qos_sched_leaf_qlen(q->sched, leaf, &idle_since);
	if (qlen == 0) { /* the average decays over the idle time */
		rte_red_mark_queue_empty(&r->rt, port_bytes(q, idle_since));
		red_enqueue_empty(&r->cfg, &r->rt,
				  port_bytes(q, qos_now_ns(q, tsc)));
		return false;
	}
	return rte_red_enqueue(&r->cfg, &r->rt, qlen,
			       port_bytes(q, qos_now_ns(q, tsc))) != 0;
}

enum drop_reason
qos_admit(struct qos_port_rt *q, struct rte_mbuf *m, uint64_t tsc)
{
	struct pkt_md *md = pkt_md(m);
	struct qos_ip ip = ip_of(m);
	uint32_t id = md->qos_class, leaf;

	if (id == 0 && ip.hdr != NULL)
		id = q->dscp_class[ip_dscp(&ip)];
	leaf = qos_sched_leaf(q->sched, id);
	if (q->port_pol != NULL &&
	    !police(q->port_pol, &ip, md, m->pkt_len, tsc))
		return DROP_QOS_POLICED;
	if (q->class_pol[leaf] != NULL &&
	    !police(q->class_pol[leaf], &ip, md, m->pkt_len, tsc))
		return DROP_QOS_POLICED;
	if (unlikely(red_drops(q, leaf, tsc)))
		return DROP_QOS_RED;
	if (qos_sched_enqueue(q->sched, leaf, m, m->pkt_len) < 0)
		return DROP_QOS_QUEUE_FULL;
	return DROP_NONE;
}
