/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 setup from the config model (FIBs of the VRFs with IPv6,
 * connected and local routes of the interfaces' address6) and the
 * management lcore's IPv6 work: punted ND messages, packets waiting for
 * a neighbour, ND timers and duplicate address detection.
 */
#include <errno.h>
#include <string.h>

#include "route6_priv.h"

#define ND_TIMER_MS 100

struct ip6_conf route_ip6_conf;
static uint64_t last_timer_ms;
static bool dad_started;

static int
iface_routes6_add(unsigned int i)
{
	const struct iface *ifc = iface_get(i);
	uint8_t net[16];
	unsigned int b;
	int rc = 0;

	memcpy(net, ifc->addr6, 16);
	for (b = ifc->plen6; b < 128; b++)
		net[b / 8] &= (uint8_t) ~(0x80 >> (b % 8));
	if (ifc->plen6 < 128)
		rc = route6_add(ifc->vrf, net, ifc->plen6, ROUTE_CONNECTED,
				NULL, i);
	if (rc == 0)
		rc = route6_add(ifc->vrf, ifc->addr6, 128, ROUTE_LOCAL, NULL,
				i);
	return rc;
}

int
route6_setup(struct cfg_model *model)
{
	const struct ip6_conf *c = cfg_model_section(model, "ip6");
	unsigned int i;
	int rc;

	if (c == NULL)
		return 0; /* a model without the section (unit tests) */
	route_ip6_conf = *c;
	dad_started = false;
	rc = ip6_rewrite_edges_add();
	if (rc == 0)
		rc = nd_table_create(c->max_neighbours, graph_rcu());
	for (i = 0; rc == 0 && i < iface_count(); i++)
		if (iface_get(i)->ip6)
			rc = iface_routes6_add(i);
	if (rc == 0)
		rc = route6_stats_setup();
	return rc;
}

void
route6_teardown(void)
{
	nd_table_free();
	route6_frr_free_all();
	fib6_free_all();
}

static int
static6_install(unsigned int vrf, const struct route6_conf *rc);

int
route6_static_install(unsigned int vrf, const struct route6_conf *rc)
{
	int r = static6_install(vrf, rc);

	if (r == 0) /* it wins over FRR's for the prefix */
		route6_frr_hide(vrf, rc->prefix.addr, rc->prefix.len);
	return r;
}

static int
static6_install(unsigned int vrf, const struct route6_conf *rc)
{
	int ifx = -1;
	unsigned int i;

	if (rc->blackhole)
		return route6_add(vrf, rc->prefix.addr, rc->prefix.len,
				  ROUTE_BLACKHOLE, NULL, 0);
	if (rc->interface[0] != '\0')
		ifx = iface_find(rc->interface);
	for (i = 0; ifx < 0 && i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);

		if (ifc->vrf == vrf && ifc->ip6 &&
		    ip6_prefix_match(ifc->addr6, rc->via, ifc->plen6))
			ifx = (int)i;
	}
	if (ifx < 0)
		return -ENETUNREACH;
	if (ip6_is_unspecified(rc->via))
		return route6_add(vrf, rc->prefix.addr, rc->prefix.len,
				  ROUTE_CONNECTED, NULL, (unsigned int)ifx);
	return route6_add(vrf, rc->prefix.addr, rc->prefix.len, ROUTE_VIA,
			  rc->via, (unsigned int)ifx);
}

/* A packet whose next hop has no MAC yet: hold it on its neighbour. */
static void
punted_ip6(struct rte_mbuf *m, uint64_t now_ms)
{
	struct pkt_md *md = pkt_md(m);
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	uint32_t slot = md->nbr;
	const struct nd6 *n = slot < nd_slots() ? &nd_table[slot] : NULL;

	/* The slot is a hint (see punted_ip4() in route.c). */
	if (n == NULL || !n->in_use || n->iface != md->out_iface ||
	    (n->refcnt == 0 && memcmp(n->ip, ip->dst_addr, 16) != 0))
		slot = nd_get(md->out_iface, ip->dst_addr);
	if (slot == NBR_NONE) {
		graph_control_drop(m, DROP_ND_UNRESOLVED);
		return;
	}
	nd_hold(slot, m, now_ms);
}

void
route6_punted(struct rte_mbuf *m, uint64_t now_ms)
{
	if ((m->packet_type & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_ICMP)
		nd_control_input(m, now_ms);
	else
		punted_ip6(m, now_ms);
}

void
route6_poll(uint64_t now_ms)
{
	if (nd_table == NULL)
		return;
	if (!dad_started) {
		dad_started = true;
		nd_dad_start(now_ms);
	}
	if (now_ms - last_timer_ms < ND_TIMER_MS)
		return;
	last_timer_ms = now_ms;
	nd_timer(now_ms);
	nd_dad_timer(now_ms);
}
