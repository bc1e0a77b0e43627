/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routing setup from the config model and the management lcore's
 * routing work (punted packets, ARP timers).
 */
#include <errno.h>
#include <string.h>

#include <rte_ip.h>

#include "route6_priv.h"

FERRY_LOG_REGISTER(route_logtype, route, NOTICE);

#define PUNT_BURST 64
#define NBR_TIMER_MS 100

struct ip_conf route_ip_conf;
static uint64_t last_timer_ms;

static bool
vrf_used(const struct cfg_model *model, const char *name)
{
	const struct cfg_array *ifs = iface_conf_list(model);
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].vrf, name) == 0)
			return true;
	return false;
}

static int
vrfs_create(const struct cfg_model *model)
{
	const struct cfg_array *vrfs = route_conf_vrfs(model);
	const struct vrf_conf *vc = vrfs->items;
	unsigned int i;
	int rc;

	/* "default" costs a FIB: made only when listed or used, and
	 * always as index 0 so VRF indexes of a config never shift. */
	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, VRF_DEFAULT_NAME) == 0)
			break;
	if (i < vrfs->n)
		rc = vrf_create(VRF_DEFAULT_NAME, 0, vc[i].max_routes,
				vc[i].fib_tbl8);
	else if (vrf_used(model, VRF_DEFAULT_NAME))
		rc = vrf_create(VRF_DEFAULT_NAME, 0, 65536, 4096);
	else
		rc = 0;
	if (rc < 0)
		return rc;
	for (i = 0; i < vrfs->n; i++) {
		if (strcmp(vc[i].name, VRF_DEFAULT_NAME) == 0)
			continue;
		rc = vrf_create(vc[i].name, vc[i].id, vc[i].max_routes,
				vc[i].fib_tbl8);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
connected_routes_add(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < iface_count() && rc == 0; i++) {
		const struct iface *ifc = iface_get(i);
		uint32_t mask;

		if (ifc->addr == 0)
			continue;
		mask = ifc->plen == 0 ? 0 : ~0u << (32 - ifc->plen);
		if (ifc->plen < 32)
			rc = route_add(ifc->vrf, ifc->addr & mask, ifc->plen,
				       ROUTE_CONNECTED, 0, i);
		if (rc == 0)
			rc = route_add(ifc->vrf, ifc->addr, 32, ROUTE_LOCAL, 0,
				       i);
	}
	return rc;
}

struct cfg_model *route_model;

uint32_t
route_icmp_rate(void)
{
	return route_ip_conf.icmp_rate;
}

int
route_setup(struct cfg_model *model)
{
	const struct ip_conf *ipc = cfg_model_section(model, "ip");
	unsigned int i;
	int rc;

	route_model = model;
	route_ip_conf = *ipc;
	adj_init_fixed();
	rc = ip4_rewrite_edges_add();
	if (rc == 0)
		rc = ip4_input_tx_edges_add();
	if (rc == 0)
		rc = nbr_table_create(ipc->max_neighbours, graph_rcu());
	if (rc == 0)
		rc = vrfs_create(model);
	if (rc < 0)
		return rc;
	for (i = 0; i < iface_count(); i++) {
		const struct iface_conf *ic =
			(const struct iface_conf *)iface_conf_list(model)->items;

		iface_set_vrf(i, (uint16_t)vrf_find(ic[i].vrf));
	}
	/* static routes and neighbours: the start-up change (cfg_txn) */
	rc = connected_routes_add();
	return rc < 0 ? rc : route6_setup(model);
}

void
route_teardown(void)
{
	route_nho_reset();
	nhg_free_all(); /* unpins its neighbours */
	nbr_table_free();
	route6_teardown();
	vrf_free_all();
}

/* A packet whose next hop has no MAC yet: hold it on its neighbour. */
static void
punted_ip4(struct rte_mbuf *m, uint64_t now_ms)
{
	struct pkt_md *md = pkt_md(m);
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint32_t dst = rte_be_to_cpu_32(ip->dst_addr);
	uint32_t slot = md->nbr;
	const struct nbr *n = slot == NBR_NONE ? NULL : &nbr_table[slot];

	/*
	 * The slot is a hint from the worker: a host entry may have been
	 * given up and its slot reused since. Entries routes point at
	 * (refcnt) are never deleted; a host entry must still be this
	 * packet's destination.
	 */
	if (n == NULL || !n->in_use || n->iface != md->out_iface ||
	    (n->refcnt == 0 && n->ip != dst))
		slot = nbr_get(md->out_iface, dst);
	if (slot == NBR_NONE) {
		graph_control_drop(m, DROP_ARP_UNRESOLVED);
		return;
	}
	nbr_hold(slot, m, now_ms);
}

void
route_control_poll(uint64_t now_ms)
{
	struct rte_mbuf *pkts[PUNT_BURST];
	unsigned int n, i;

	n = rte_ring_dequeue_burst(graph_punt_ring(), (void **)pkts,
				   PUNT_BURST, NULL);
	for (i = 0; i < n; i++) {
		if (pkts[i]->packet_type == RTE_PTYPE_L2_ETHER_ARP)
			arp_control_input(pkts[i], now_ms);
		else if (RTE_ETH_IS_IPV6_HDR(pkts[i]->packet_type))
			route6_punted(pkts[i], now_ms);
		else
			punted_ip4(pkts[i], now_ms);
	}
	if (now_ms - last_timer_ms >= NBR_TIMER_MS) {
		last_timer_ms = now_ms;
		nbr_timer(now_ms);
	}
	route6_poll(now_ms);
}

const struct ferry_module route_module = {
	.name = "routing",
	.sections = (const struct cfg_section *const[]){
		&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
		&ip6_cfg_section, &nd_cfg_section, NULL },
	.setup = route_setup,
	.cli_register = route_cli_register,
	.control_poll = route_control_poll,
	.teardown = route_teardown,
};
