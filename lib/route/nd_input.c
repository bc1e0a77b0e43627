/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour Discovery on the management lcore (RFC 4861): solicitations
 * for next hops being resolved, advertisements for ferry's addresses
 * (unicast and link-local, asked for at the solicited-node group or
 * directly), learning from what neighbours send, and duplicate address
 * detection for ferry's own addresses (RFC 4862 5.4: an address is
 * tentative for ip6.dad_ms after one solicitation from ::; ferry does not
 * answer for it meanwhile, and a conflict makes it duplicate for good).
 * Router advertisements are never sent (ferry is not a host's router
 * unless the operator runs one on the control plane). Frames built here
 * go out through a worker's inject ring, as ARP's do.
 */
#include <string.h>

#include "port.h"
#include "route6_priv.h"

#define ND_NS 135
#define ND_NA 136
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_NA_ROUTER 0x80
#define ND_NA_SOLICITED 0x40
#define ND_NA_OVERRIDE 0x20
#define ND_MSG_LEN 24 /* type, code, cksum, flags/reserved, target */
#define ND_OPT_LEN 8

enum dad_state { DAD_PREFERRED, DAD_TENTATIVE, DAD_DUPLICATE };

/* [iface][0] = global address, [1] = link-local */
static uint8_t dad_state[IFACE_MAX][2];
static uint64_t dad_until;

uint16_t
icmp6_cksum(const struct rte_ipv6_hdr *ip, const void *icmp, uint32_t len)
{
	uint32_t sum = rte_raw_cksum(ip->src_addr, 32);
	uint32_t be_len = rte_cpu_to_be_32(len);
	uint32_t be_nh = rte_cpu_to_be_32(IP6_NH_ICMP6);
	uint16_t c;

	sum += rte_raw_cksum(&be_len, 4) + rte_raw_cksum(&be_nh, 4);
	sum += rte_raw_cksum(icmp, len);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	c = (uint16_t)~sum;
	return c;
}

/* RFC 2464 7: multicast 33:33 + the group's last four bytes. */
static void
mcast_mac(struct rte_ether_addr *mac, const uint8_t *grp)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], grp + 12, 4);
}

/* Build and send one ND message (type, flags, target, one link-layer
 * option unless @p opt is 0). */
static void
nd_send(const struct iface *ifc, const uint8_t *src, const uint8_t *dst,
	const struct rte_ether_addr *dmac, uint8_t type, uint8_t flags,
	const uint8_t *target, uint8_t opt)
{
	uint16_t l2 = iface_l2_len(ifc);
	uint32_t plen = ND_MSG_LEN + (opt != 0 ? ND_OPT_LEN : 0);
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	struct rte_ipv6_hdr *ip;
	uint8_t *icmp;
	uint8_t *eth;

	if (m == NULL)
		return;
	eth = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(l2 + 40 + plen));
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	iface_l2_write(ifc, (struct rte_ether_hdr *)eth, dmac,
		       rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6));
	ip = (struct rte_ipv6_hdr *)(eth + l2);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)plen);
	ip->proto = IP6_NH_ICMP6;
	ip->hop_limits = 255; /* RFC 4861 7.1: checked by the receiver */
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	icmp = (uint8_t *)(ip + 1);
	memset(icmp, 0, plen);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(icmp + 8, target, 16);
	if (opt != 0) {
		icmp[24] = opt;
		icmp[25] = 1;
		memcpy(icmp + 26, ifc->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	}
	icmp6_cksum_set(ip, icmp, plen);
	route_frame_inject(m, ifc);
}

void
nd_solicit_send(uint16_t iface, const uint8_t *target, bool unicast,
		const struct rte_ether_addr *dmac)
{
	const struct iface *ifc = iface_get(iface);
	struct rte_ether_addr mac;
	uint8_t grp[16];

	if (ifc == NULL || !ifc->ip6)
		return;
	if (unicast && dmac != NULL) {
		nd_send(ifc, ip6_src_for(ifc, target), target, dmac, ND_NS, 0,
			target, ND_OPT_SLLA);
		return;
	}
	ip6_solicited_node(grp, target);
	mcast_mac(&mac, grp);
	nd_send(ifc, ip6_src_for(ifc, target), grp, &mac, ND_NS, 0, target,
		ND_OPT_SLLA);
}

/* Which of the interface's addresses @p a is: 0 global, 1 link-local,
 * -1 neither. */
static int
addr_index(const struct iface *ifc, const uint8_t *a)
{
	if (memcmp(a, ifc->addr6, 16) == 0)
		return 0;
	return memcmp(a, ifc->ll6, 16) == 0 ? 1 : -1;
}

bool
nd_addr_ours(uint16_t ifx, const uint8_t *a)
{
	const struct iface *ifc = iface_get(ifx);
	int k = ifc != NULL && ifc->ip6 ? addr_index(ifc, a) : -1;

	return k >= 0 && dad_state[ifx][k] == DAD_PREFERRED;
}

void
nd_dad_start(uint64_t now_ms)
{
	static const uint8_t unspec[16];
	struct rte_ether_addr mac;
	uint8_t grp[16];
	unsigned int i, k;
	enum dad_state st =
		route_ip6_conf.dad_ms != 0 ? DAD_TENTATIVE : DAD_PREFERRED;

	dad_until = now_ms + route_ip6_conf.dad_ms;
	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);

		for (k = 0; k < 2; k++) {
			const uint8_t *a = k == 0 ? ifc->addr6 : ifc->ll6;

			dad_state[i][k] = (uint8_t)st;
			if (!ifc->ip6 || st != DAD_TENTATIVE)
				continue;
			ip6_solicited_node(grp, a);
			mcast_mac(&mac, grp);
			nd_send(ifc, unspec, grp, &mac, ND_NS, 0, a, 0);
		}
	}
}

void
nd_dad_timer(uint64_t now_ms)
{
	unsigned int i, k;

	if (dad_until == 0 || now_ms < dad_until)
		return;
	for (i = 0; i < iface_count(); i++)
		for (k = 0; k < 2; k++)
			if (dad_state[i][k] == DAD_TENTATIVE)
				dad_state[i][k] = DAD_PREFERRED;
	dad_until = 0;
}

/* Someone else uses our address @p k of @p ifx (RFC 4862 5.4.3/5.4.4). */
static void
dad_conflict(uint16_t ifx, int k)
{
	char a[48];
	const struct iface *ifc = iface_get(ifx);

	if (dad_state[ifx][k] == DAD_DUPLICATE)
		return;
	dad_state[ifx][k] = DAD_DUPLICATE;
	ROUTE_LOG(
		ERR,
		"interface %s: duplicate address %s detected: not "
		"answering for it",
		ifc->name,
		cfg_format_ipv6(k == 0 ? ifc->addr6 : ifc->ll6, a, sizeof(a)));
}

/* The link-layer address option of type @p want, or NULL; @p opt/@p len
 * are the options (RFC 4861 4.6: every option has a length > 0). */
static const uint8_t *
nd_find_lla(const uint8_t *opt, uint32_t len, uint8_t want, bool *bad)
{
	const uint8_t *found = NULL;
	uint32_t i = 0;

	while (i + 2 <= len) {
		uint32_t olen = opt[i + 1] * 8u;

		if (olen == 0 || i + olen > len) {
			*bad = true;
			return NULL;
		}
		if (opt[i] == want && olen >= 8)
			found = opt + i + 2;
		i += olen;
	}
	return found;
}

/* Learn (or create) the neighbour @p ip from an unasked message: STALE
 * (RFC 4861 7.2.3), unless it is known with the same MAC. */
static void
nd_learn_unasked(uint16_t ifx, const uint8_t *ip, const uint8_t *lla,
		 bool create, uint64_t now_ms)
{
	struct rte_ether_addr mac;
	uint32_t slot = nd_lookup(ifx, ip);
	uint64_t w;

	memcpy(mac.addr_bytes, lla, RTE_ETHER_ADDR_LEN);
	if (slot == NBR_NONE && create)
		slot = nd_get(ifx, ip);
	if (slot == NBR_NONE)
		return;
	w = nd_table[slot].mac_state;
	if (nbr_word_state(w) != NBR_INCOMPLETE &&
	    (w & NBR_MAC_MASK) == (nbr_word(&mac, NBR_INCOMPLETE)))
		return;
	nd_learn(slot, &mac, NBR_STALE, now_ms);
}

static void
nd_solicitation(struct rte_mbuf *m, const struct iface *ifc,
		const uint8_t *opts, uint32_t olen, uint64_t now_ms)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const uint8_t *target = (const uint8_t *)(ip + 1) + 8;
	uint16_t ifx = pkt_md(m)->in_iface;
	bool bad = false, dad = ip6_is_unspecified(ip->src_addr);
	const uint8_t *lla = nd_find_lla(opts, olen, ND_OPT_SLLA, &bad);
	int k = addr_index(ifc, target);
	struct rte_ether_addr to;

	/* RFC 4861 7.1.1: no source link-layer option from :: */
	if (bad || ip6_is_multicast(target) || (dad && lla != NULL)) {
		graph_control_drop(m, DROP_ND_MALFORMED);
		return;
	}
	if (k >= 0 && dad && dad_state[ifx][k] == DAD_TENTATIVE)
		dad_conflict(ifx, k);
	if (lla != NULL && !dad)
		nd_learn_unasked(ifx, ip->src_addr, lla, k >= 0, now_ms);
	if (k < 0 || dad_state[ifx][k] != DAD_PREFERRED) {
		graph_control_drop(m, DROP_ND_NOT_FOR_US);
		return;
	}
	/* RFC 4861 7.2.4: solicited, override; to ff02::1 for a DAD probe */
	if (dad)
		mcast_mac(&to, all_nodes);
	else if (lla != NULL)
		memcpy(to.addr_bytes, lla, RTE_ETHER_ADDR_LEN);
	else
		rte_ether_addr_copy(
			&((const struct rte_ether_hdr *)rte_pktmbuf_mtod_offset(
				  m, const uint8_t *, -(int)iface_l2_len(ifc)))
				 ->src_addr,
			&to);
	nd_send(ifc, target, dad ? all_nodes : ip->src_addr, &to, ND_NA,
		ND_NA_ROUTER | ND_NA_OVERRIDE | (dad ? 0 : ND_NA_SOLICITED),
		target, ND_OPT_TLLA);
	rte_pktmbuf_free(m);
}

static void
nd_advertisement(struct rte_mbuf *m, const struct iface *ifc,
		 const uint8_t *opts, uint32_t olen, uint64_t now_ms)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const uint8_t *icmp = (const uint8_t *)(ip + 1);
	const uint8_t *target = icmp + 8;
	uint16_t ifx = pkt_md(m)->in_iface;
	bool bad = false;
	const uint8_t *lla = nd_find_lla(opts, olen, ND_OPT_TLLA, &bad);
	int k = addr_index(ifc, target);
	struct rte_ether_addr mac;
	uint32_t slot;

	/* RFC 4861 7.1.2 */
	if (bad || ip6_is_multicast(target) ||
	    (ip6_is_multicast(ip->dst_addr) && (icmp[4] & ND_NA_SOLICITED))) {
		graph_control_drop(m, DROP_ND_MALFORMED);
		return;
	}
	if (k >= 0) {
		dad_conflict(ifx, k);
		rte_pktmbuf_free(m);
		return;
	}
	slot = nd_lookup(ifx, target);
	if (slot != NBR_NONE && lla != NULL) {
		memcpy(mac.addr_bytes, lla, RTE_ETHER_ADDR_LEN);
		nd_learn(slot, &mac,
			 (icmp[4] & ND_NA_SOLICITED) ? NBR_REACHABLE
						     : NBR_STALE,
			 now_ms);
	}
	/* The control plane may want it (its kernel asked, perhaps). */
	if (route_nd_copy != NULL)
		route_nd_copy(m);
	rte_pktmbuf_free(m);
}

void
nd_control_input(struct rte_mbuf *m, uint64_t now_ms)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const struct iface *ifc = iface_get(pkt_md(m)->in_iface);
	uint32_t len = rte_be_to_cpu_16(ip->payload_len);
	const uint8_t *icmp = (const uint8_t *)(ip + 1);

	/* ferry_ip6_local sends only NS/NA without extension headers, with
	 * the checksum checked; RFC 4861 7.1: hop limit 255, code 0. */
	if (ifc == NULL || len < ND_MSG_LEN || ip->hop_limits != 255 ||
	    icmp[1] != 0 || m->data_len < 40 + len) {
		graph_control_drop(m, DROP_ND_MALFORMED);
		return;
	}
	if (icmp[0] == ND_NS)
		nd_solicitation(m, ifc, icmp + ND_MSG_LEN, len - ND_MSG_LEN,
				now_ms);
	else
		nd_advertisement(m, ifc, icmp + ND_MSG_LEN, len - ND_MSG_LEN,
				 now_ms);
}
