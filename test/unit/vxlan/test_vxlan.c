/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/vxlan on an in-process data plane (EAL without hugepages, net_null
 * ports, no worker launched): the tables vxlan_setup() builds from a
 * config; MAC learning as workers report it (vxlan_learn_seen) and the
 * management lcore applies it (vxlan_control_poll): learn, refresh,
 * move, aging, the size limit, static entries, clearing; flood lists and
 * tunnels with their references; tunnel routes; the CLI's changes and
 * their refusals, and the running config after them. Head-end
 * replication runs the real bridge node of the worker graph on one
 * frame and reads what it enqueued to the next nodes.
 *
 *   if  name   port  address        vrf
 *   0   under  p0    10.0.0.1/24    default   (underlay, local VTEP)
 *   1   h      p1    -              -         (bridge domain 1)
 *   2   h2     p2    -              -         (bridge domain 1)
 *   3   cust   p3    192.168.1.1/24 cust-a
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_graph_worker.h>

#include "cli.h"
#include "config.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "route_priv.h"
#include "vxlan.h"
#include "vxlan_priv.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const char config_text[] =
	"buffers = { mbufs = 2047; cache = 32; };\n"
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0,no-rx=1\"; },\n"
	"  { name = \"p1\"; device = \"net_null1,no-rx=1\"; },\n"
	"  { name = \"p2\"; device = \"net_null2,no-rx=1\"; },\n"
	"  { name = \"p3\"; device = \"net_null3,no-rx=1\"; }\n"
	");\n"
	"interfaces = (\n"
	"  { name = \"under\"; port = \"p0\"; address = \"10.0.0.1/24\"; },\n"
	"  { name = \"h\"; port = \"p1\"; },\n"
	"  { name = \"h2\"; port = \"p2\"; },\n"
	"  { name = \"cust\"; port = \"p3\"; address = \"192.168.1.1/24\";"
	"    vrf = \"cust-a\"; }\n"
	");\n"
	"vrfs = ( { name = \"cust-a\"; id = 1; } );\n"
	"neighbours = (\n"
	"  { interface = \"under\"; address = \"10.0.0.2\";"
	"    mac = \"02:00:00:00:aa:02\"; },\n"
	"  { interface = \"under\"; address = \"10.0.0.3\";"
	"    mac = \"02:00:00:00:aa:03\"; }\n"
	");\n"
	"vxlan = {\n"
	"  local = \"10.0.0.1\";\n"
	"  bridge_domains = ( { id = 1; vni = 42; interfaces = ( \"h\", \"h2\" );"
	"    flood = ( \"10.0.0.2\" ); mac_limit = 3; aging = 5;"
	"    static_macs = ( { mac = \"02:00:00:00:5a:01\";"
	"      remote = \"10.0.0.3\"; } ); } );\n"
	"  l3_vnis = ( { vni = 5001; vrf = \"cust-a\"; } );\n"
	"  tunnel_routes = ( { vrf = \"cust-a\"; prefix = \"192.168.50.0/24\";"
	"    remote = \"10.0.0.3\"; vni = 5001;"
	"    inner_mac = \"02:00:00:00:0a:33\"; } );\n"
	"};\n"
	"workers = ( { lcore = 1; rx = ( \"p0:0\", \"p1:0\", \"p2:0\",\n"
	"    \"p3:0\" ); } );\n";

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
	&vxlan_cfg_section, &workers_cfg_section, &cli_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static struct cfg_model *model;
static bool dp_ports, dp_graph, dp_route, dp_vxlan;
static struct rte_graph *graph;
static int if_under, if_h, if_h2, vrf_a;
static uint64_t clock_ms = 1000000000ull; /* the fake management clock */
static char err[160];

static int
step(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "test_vxlan: %s failed: %s\n", what,
			strerror(-rc));
	return rc;
}

static int
load_config(void)
{
	struct cfg_diag diag = { 0 };
	unsigned int i;

	if (cfg_load_string("test_vxlan.cfg", config_text, sections,
			    N_SECTIONS, &model, &diag) == 0)
		return 0;
	for (i = 0; i < diag.n; i++)
		fprintf(stderr, "%s\n", diag.msg[i]);
	cfg_diag_free(&diag);
	return -1;
}

static int
group_setup(void **state)
{
	static const char *const vdevs[] = {
		"--vdev", "net_null0,no-rx=1", "--vdev", "net_null1,no-rx=1",
		"--vdev", "net_null2,no-rx=1", "--vdev", "net_null3,no-rx=1",
	};
	const struct cfg_array *workers;

	(void)state;
	if (eal_test_start("vxlan", vdevs, 8) < 0 || load_config() < 0)
		return -1;
	workers = cfg_model_section(model, "workers");
	if (step("pkt_init", pkt_init()) < 0 ||
	    step("port_setup", port_setup(model, workers->n)) < 0)
		return -1;
	dp_ports = true;
	if (step("graph_workers_init", graph_workers_init(model)) < 0)
		return -1;
	dp_graph = true;
	if (step("iface_setup", iface_setup(model)) < 0 ||
	    step("route_setup", route_setup(model)) < 0)
		return -1;
	dp_route = true;
	if (step("vxlan_setup", vxlan_setup(model)) < 0 ||
	    step("cfg_txn_start", cfg_txn_start(model, NULL)) < 0)
		return -1;
	dp_vxlan = true;
	if (step("graph_build", graph_build()) < 0)
		return -1;
	graph = graph_worker(0)->graph;
	if (step("cli", route_cli_register()) < 0 ||
	    step("cli", vxlan_cli_register()) < 0)
		return -1;
	if_under = iface_find("under");
	if_h = iface_find("h");
	if_h2 = iface_find("h2");
	vrf_a = vrf_find("cust-a");
	vxlan_control_poll(clock_ms);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (dp_vxlan)
		vxlan_teardown();
	if (dp_route)
		route_teardown();
	if (dp_graph)
		graph_teardown();
	if (dp_ports)
		port_teardown();
	cli_registry_reset();
	cfg_model_free(model);
	eal_test_stop();
	return 0;
}

static struct rte_ether_addr
mac_n(uint8_t n)
{
	struct rte_ether_addr a = { { 0x02, 0, 0, 0, 0x11, n } };

	return a;
}

/* The management lcore's turn, @p ms later. */
static void
poll_after(uint64_t ms)
{
	clock_ms += ms;
	vxlan_control_poll(clock_ms);
}

static uint64_t
loc_of(uint8_t n)
{
	struct rte_ether_addr a = mac_n(n);

	return vxlan_mac_find(1, &a);
}

static uint32_t
tunnel_to(uint32_t remote, uint32_t vni)
{
	uint32_t i;

	for (i = 1; i < VXLAN_TUN_MAX; i++)
		if (vxlan_dp.tun[i] != NULL && vxlan_dp.tun[i]->remote == remote &&
		    vxlan_dp.tun[i]->vni == vni)
			return i;
	return 0;
}

static void
test_built(void **state)
{
	const struct vxlan_bd *b = vxlan_dp.bd[1];
	const struct vxlan_tunnel *t;
	struct rte_ether_addr gw = { { 0x02, 0, 0, 0, 0x5a, 0x01 } };
	uint64_t w;
	void *data;
	uint32_t vni = 42;

	(void)state;
	assert_non_null(b);
	assert_int_equal(b->vni, 42);
	assert_int_equal(b->n_members, 2);
	assert_int_equal(b->members[0], if_h);
	assert_int_equal(b->members[1], if_h2);
	assert_int_equal(iface_get(if_h)->l2_domain, 1);
	assert_int_equal(iface_get(if_under)->l2_domain, 0);
	/* the flood list's tunnel, its next hop pinned and resolved */
	assert_int_equal(b->n_flood, 1);
	t = vxlan_dp.tun[b->flood[0]];
	assert_int_equal(t->remote, IP(10, 0, 0, 2));
	assert_int_equal(t->vni, 42);
	assert_int_equal(t->iface, if_under);
	assert_int_equal(t->nbr, nbr_lookup(if_under, IP(10, 0, 0, 2)));
	/* VNI map: 42 is the bridge domain, 5001 the L3 VNI of cust-a */
	assert_true(rte_hash_lookup_data(vxlan_dp.vni, &vni, &data) >= 0);
	assert_int_equal((uintptr_t)data, (uintptr_t)VXLAN_VNI_BD << 16 | 1);
	vni = 5001;
	assert_true(rte_hash_lookup_data(vxlan_dp.vni, &vni, &data) >= 0);
	assert_int_equal((uintptr_t)data,
			 (uintptr_t)VXLAN_VNI_L3 << 16 | (uintptr_t)vrf_a);
	/* the static MAC behind 10.0.0.3 */
	w = vxlan_mac_find(1, &gw);
	assert_true(w & VXLAN_LOC_STATIC);
	assert_int_equal(VXLAN_LOC_KIND(w), VXLAN_LOC_TUNNEL);
	assert_int_equal(vxlan_dp.tun[VXLAN_LOC_IDX(w)]->remote,
			 IP(10, 0, 0, 3));
	assert_int_equal(vxlan_mac_stats[1].entries, 1);
	assert_int_equal(vxlan_mac_stats[1].learned, 0);
	/* the tunnel route is an external route of cust-a */
	assert_int_equal(adj_table[vrf_lookup((unsigned int)vrf_a,
					      IP(192, 168, 50, 9))].type,
			 ADJ_T_EXT);
	assert_int_not_equal(tunnel_to(IP(10, 0, 0, 3), 5001), 0);
	assert_int_equal(vxlan_dp.p.udp_port, 4789);
	assert_int_equal(vxlan_dp.p.local, IP(10, 0, 0, 1));
}

static void
test_learn_move_age(void **state)
{
	struct rte_ether_addr m1 = mac_n(1);
	uint32_t t2 = tunnel_to(IP(10, 0, 0, 2), 42);
	uint32_t refs = vxlan_tunnel_refs(t2);
	uint64_t w;

	(void)state;
	/* A worker sees m1 on h: queued, learned by the manager. */
	vxlan_learn_seen(1, &m1, VXLAN_LOC_IFACE, (uint32_t)if_h);
	assert_int_equal(loc_of(1), 0);
	poll_after(1);
	assert_int_equal(loc_of(1), VXLAN_LOC(VXLAN_LOC_IFACE, if_h));
	assert_int_equal(vxlan_mac_stats[1].learned, 1);
	/* Seen again at the same place: no event, only a refresh. */
	vxlan_learn_seen(1, &m1, VXLAN_LOC_IFACE, (uint32_t)if_h);
	assert_int_equal(rte_ring_count(vxlan_dp.learn), 0);
	/* Moves behind the VTEP 10.0.0.2 (decapsulated from it). */
	vxlan_learn_seen(1, &m1, VXLAN_LOC_TUNNEL, IP(10, 0, 0, 2));
	poll_after(1);
	w = loc_of(1);
	assert_int_equal(VXLAN_LOC_KIND(w), VXLAN_LOC_TUNNEL);
	assert_int_equal(VXLAN_LOC_IDX(w), t2);
	assert_int_equal(vxlan_mac_stats[1].moves, 1);
	assert_int_equal(vxlan_mac_stats[1].learned, 1);
	assert_int_equal(vxlan_tunnel_refs(t2), refs + 1);
	/* Aging 5 s: still there after 4 s, gone at 5 s. */
	poll_after(4000);
	assert_int_not_equal(loc_of(1), 0);
	poll_after(1000);
	assert_int_equal(loc_of(1), 0);
	assert_int_equal(vxlan_mac_stats[1].learned, 0);
	assert_int_equal(vxlan_tunnel_refs(t2), refs);
	/* A refreshed entry is kept: seen at 4 s restarts the count. */
	vxlan_learn_seen(1, &m1, VXLAN_LOC_IFACE, (uint32_t)if_h2);
	poll_after(1000);
	poll_after(3000);
	vxlan_learn_seen(1, &m1, VXLAN_LOC_IFACE, (uint32_t)if_h2);
	poll_after(3000);
	assert_int_equal(loc_of(1), VXLAN_LOC(VXLAN_LOC_IFACE, if_h2));
	assert_int_equal(vxlan_mac_flush(1, true), 1);
}

/* Issue 17: a MAC decapsulated from an IPv6 VTEP is learned against a
 * tunnel to that address (one per (VTEP, VNI), shared with IPv4 ones in
 * the same table), refreshed without events, and moves to an IPv4 VTEP
 * with the IPv6 tunnel released when its last user goes. */
static void
test_learn_ipv6_vtep(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct rte_ether_addr m7 = mac_n(7);
	uint32_t t2 = tunnel_to(IP(10, 0, 0, 2), 42);
	const struct vxlan_tunnel *t;
	char buf[VXLAN_IP_LEN];
	uint64_t w;

	(void)state;
	vxlan_learn_seen_at(1, &m7, VXLAN_LOC_TUNNEL, 0, v6);
	poll_after(1);
	w = loc_of(7);
	assert_int_equal(VXLAN_LOC_KIND(w), VXLAN_LOC_TUNNEL);
	t = vxlan_dp.tun[VXLAN_LOC_IDX(w)];
	assert_non_null(t);
	assert_int_equal(t->remote, 0);
	assert_memory_equal(t->remote6, v6, 16);
	assert_int_equal(t->vni, 42);
	assert_string_equal(vxlan_tunnel_remote_format(t, buf, sizeof(buf)),
			    "2001:db8::2");
	/* no route to it in the underlay: not usable, 70 bytes overhead */
	assert_false(vxlan_tunnel_usable(t));
	assert_int_equal(vxlan_tunnel_overhead(t), 70);
	assert_int_equal(vxlan_tunnel_ref6(v6, 42, 1), VXLAN_LOC_IDX(w));
	vxlan_tunnel_unref(VXLAN_LOC_IDX(w));
	/* seen again from the same VTEP: a refresh, no event */
	vxlan_learn_seen_at(1, &m7, VXLAN_LOC_TUNNEL, 0, v6);
	assert_int_equal(rte_ring_count(vxlan_dp.learn), 0);
	/* moves behind the IPv4 VTEP .2: the IPv6 tunnel goes */
	vxlan_learn_seen(1, &m7, VXLAN_LOC_TUNNEL, IP(10, 0, 0, 2));
	poll_after(1);
	assert_int_equal(loc_of(7), VXLAN_LOC(VXLAN_LOC_TUNNEL, t2));
	assert_null(vxlan_dp.tun[VXLAN_LOC_IDX(w)]);
	vxlan_mac_clear(1, buf, sizeof(buf));
}

static void
test_full_static_clear(void **state)
{
	struct rte_ether_addr gw = { { 0x02, 0, 0, 0, 0x5a, 0x01 } };
	struct rte_ether_addr m;
	uint64_t before = vxlan_mac_stats[1].full, w;
	uint8_t i;

	(void)state;
	for (i = 10; i < 14; i++) {
		m = mac_n(i);
		vxlan_learn_seen(1, &m, VXLAN_LOC_IFACE, (uint32_t)if_h);
	}
	poll_after(1);
	/* mac_limit 3: the fourth is not learned and counted */
	assert_int_equal(vxlan_mac_stats[1].learned, 3);
	assert_int_equal(vxlan_mac_stats[1].full, before + 1);
	assert_int_equal(loc_of(13), 0);
	/* A moving MAC is not a new one: allowed when full. */
	m = mac_n(10);
	vxlan_learn_seen(1, &m, VXLAN_LOC_IFACE, (uint32_t)if_h2);
	poll_after(1);
	assert_int_equal(loc_of(10), VXLAN_LOC(VXLAN_LOC_IFACE, if_h2));
	/* A static MAC never moves by learning. */
	vxlan_learn_seen(1, &gw, VXLAN_LOC_IFACE, (uint32_t)if_h);
	poll_after(1);
	w = vxlan_mac_find(1, &gw);
	assert_int_equal(VXLAN_LOC_KIND(w), VXLAN_LOC_TUNNEL);
	/* clear mac-table: the learned go, the static stays */
	assert_int_equal(vxlan_mac_clear(1, err, sizeof(err)), 0);
	assert_int_equal(vxlan_mac_stats[1].learned, 0);
	assert_int_equal(vxlan_mac_stats[1].entries, 1);
	assert_int_equal(vxlan_mac_clear(9, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "no bridge domain 9");
}

static void
test_flood_list(void **state)
{
	uint32_t t3;

	(void)state;
	assert_int_equal(vxlan_flood_add(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 0);
	assert_int_equal(vxlan_dp.bd[1]->n_flood, 2);
	t3 = tunnel_to(IP(10, 0, 0, 3), 42);
	assert_int_equal(vxlan_dp.bd[1]->flood[1], t3);
	/* the static MAC and the flood list share the tunnel */
	assert_int_equal(vxlan_tunnel_refs(t3), 2);
	assert_int_equal(vxlan_flood_add(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "flood list vtep: 10.0.0.3: already in the "
				 "flood list");
	assert_int_equal(vxlan_flood_add(1, IP(10, 0, 0, 1), err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "flood list vtep: 10.0.0.1: the local VTEP "
				 "address");
	assert_int_equal(vxlan_flood_add(1, IP(224, 0, 0, 5), err,
					 sizeof(err)), -EINVAL);
	assert_int_equal(vxlan_flood_add(7, IP(10, 0, 0, 5), err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(vxlan_flood_del(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 0);
	assert_int_equal(vxlan_dp.bd[1]->n_flood, 1);
	assert_int_equal(vxlan_tunnel_refs(t3), 1);
	assert_int_equal(vxlan_flood_del(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 -ENOENT);
}

static void
test_bd_changes(void **state)
{
	struct vxlan_bd_conf bc = { .id = 2, .vni = 42, .mac_limit = 10 };
	struct vxlan_mac_conf mc = { .mac = { 2, 0, 0, 0, 0x77, 1 } };
	struct rte_ether_addr a = { { 2, 0, 0, 0, 0x77, 1 } };

	(void)state;
	/* VNI 42 is bridge domain 1's */
	assert_int_equal(vxlan_bd_add(&bc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bridge domain vni: 42: another bridge domain "
				 "or L3 VNI has this VNI");
	bc.vni = 43;
	assert_int_equal(vxlan_bd_add(&bc, err, sizeof(err)), 0);
	assert_non_null(vxlan_dp.bd[2]);
	/* a static MAC behind an interface not in the bridge domain */
	snprintf(mc.interface, sizeof(mc.interface), "h");
	assert_int_equal(vxlan_static_mac_add(2, &mc, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "static MAC interface: \"h\": not a member of "
				 "the bridge domain");
	mc.interface[0] = '\0';
	mc.remote = IP(10, 0, 0, 2);
	assert_int_equal(vxlan_static_mac_add(2, &mc, err, sizeof(err)), 0);
	assert_true(vxlan_mac_find(2, &a) & VXLAN_LOC_STATIC);
	assert_int_equal(vxlan_bd_del(2, err, sizeof(err)), 0);
	assert_null(vxlan_dp.bd[2]);
	assert_int_equal(vxlan_mac_find(2, &a), 0);
	assert_int_equal(tunnel_to(IP(10, 0, 0, 2), 43), 0); /* released */
	assert_int_equal(vxlan_bd_del(2, err, sizeof(err)), -ENOENT);
}

static struct rte_node *
node_of(const char *name)
{
	struct rte_node *n = rte_graph_node_get_by_name(PKT_GRAPH_PREFIX "0",
							name);

	assert_non_null(n);
	return n;
}

/* A 60-byte broadcast frame from @p src on member @p in. */
static struct rte_mbuf *
bum_frame(uint16_t in, uint8_t src)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	struct rte_ether_hdr *eth;
	unsigned int i;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 60);
	assert_non_null(eth);
	memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	eth->src_addr = mac_n(src);
	eth->ether_type = rte_cpu_to_be_16(0x88b5); /* local experimental */
	for (i = 0; i < 46; i++)
		((uint8_t *)(eth + 1))[i] = (uint8_t)i;
	pkt_md(m)->in_iface = in;
	return m;
}

static void
test_head_end_replication(void **state)
{
	struct rte_node *br = node_of("ferry_vxlan_bridge");
	struct rte_node *enc = node_of("ferry_vxlan_encap");
	struct rte_node *tx_h = node_of("ferry_port_tx-p1");
	struct rte_node *tx_h2 = node_of("ferry_port_tx-p2");
	unsigned int in_use = rte_mempool_in_use_count(port_mempool());
	const struct vxlan_bd *b;
	struct rte_mbuf *m = bum_frame((uint16_t)if_h, 0x30), *c;
	uint8_t want[60];
	void *objs[1] = { m };
	uint16_t i;

	(void)state;
	assert_int_equal(vxlan_flood_add(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 0);
	b = vxlan_dp.bd[1];
	assert_int_equal(b->n_flood, 2);
	memcpy(want, rte_pktmbuf_mtod(m, uint8_t *), sizeof(want));
	assert_int_equal(enc->idx, 0);
	br->process(graph, br, objs, 1);
	/* one copy per flood-list VTEP, each with its tunnel, same frame */
	assert_int_equal(enc->idx, 2);
	for (i = 0; i < enc->idx; i++) {
		c = enc->objs[i];
		assert_int_equal(pkt_md(c)->nbr, b->flood[i]);
		assert_int_equal(c->pkt_len, 60);
		assert_memory_equal(rte_pktmbuf_mtod(c, uint8_t *), want, 60);
	}
	/* the other member gets it; never the member it came from */
	assert_int_equal(tx_h2->idx, 1);
	assert_int_equal(tx_h->idx, 0);
	assert_memory_equal(rte_pktmbuf_mtod((struct rte_mbuf *)tx_h2->objs[0],
					     uint8_t *), want, 60);
	/* three mbufs for one frame: two copies and the original */
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), in_use + 3);
	/* walk: the copies are encapsulated and sent, every mbuf comes
	 * back to the pool (net_null frees what it sends) */
	rte_graph_walk(graph);
	assert_int_equal(enc->idx, 0);
	assert_int_equal(tx_h2->idx, 0);
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), in_use);
	/* learned on the manager's next turn, as the worker queued it */
	poll_after(1);
	assert_int_equal(loc_of(0x30), VXLAN_LOC(VXLAN_LOC_IFACE, if_h));
	assert_int_equal(vxlan_flood_del(1, IP(10, 0, 0, 3), err, sizeof(err)),
			 0);
	vxlan_mac_flush(1, true);
}

static void
test_routes_and_cli(void **state)
{
	struct cli_out *out = cli_out_buffer();
	struct vxlan_route_conf rc = { .remote = IP(10, 0, 0, 9), .vni = 5001,
				       .prefix = { IP(192, 168, 60, 0), 24 },
				       .inner_mac = { 2, 0, 0, 0, 0, 9 } };
	FILE *f;
	char *text = NULL;
	size_t len = 0;

	(void)state;
	snprintf(rc.vrf, sizeof(rc.vrf), "cust-a");
	assert_int_equal(vxlan_route_add(&rc, err, sizeof(err)), 0);
	assert_int_equal(adj_table[vrf_lookup((unsigned int)vrf_a,
					      IP(192, 168, 60, 1))].type,
			 ADJ_T_EXT);
	assert_int_equal(vxlan_route_add(&rc, err, sizeof(err)), -EINVAL);
	assert_int_equal(cli_execute("vxlan flood add bridge-domain 1 vtep "
				     "10.0.0.7", out), 0);
	assert_int_equal(cli_execute("show bridge-domain 1", out), 0);
	assert_non_null(strstr(cli_out_text(out),
			       "flood: 10.0.0.2 10.0.0.7"));
	assert_int_equal(cli_execute("show vxlan tunnels", out), 0);
	assert_non_null(strstr(cli_out_text(out), "10.0.0.7        42"));
	/* what runs is what the running config says */
	f = open_memstream(&text, &len);
	assert_int_equal(cfg_write(f, model), 0);
	fclose(f);
	assert_non_null(strstr(text, "flood = ( \"10.0.0.2\", \"10.0.0.7\" );"));
	assert_non_null(strstr(text, "prefix = \"192.168.60.0/24\";"));
	free(text);
	/* every change command through the registry, and its undo */
	assert_int_equal(cli_execute("vxlan bridge-domain add 5 vni 500", out),
			 0);
	assert_int_equal(cli_execute("vxlan mac add bridge-domain 5 "
				     "02:00:00:00:55:01 vtep 10.0.0.2", out), 0);
	assert_int_equal(cli_execute("show mac-table bridge-domain 5", out), 0);
	assert_non_null(strstr(cli_out_text(out), "5    02:00:00:00:55:01 "
				"static   vtep 10.0.0.2"));
	assert_int_equal(cli_execute("vxlan mac del bridge-domain 5 "
				     "02:00:00:00:55:01", out), 0);
	assert_int_equal(cli_execute("vxlan bridge-domain del 5", out), 0);
	assert_null(vxlan_bd_conf_find(5));
	cli_out_reset(out);
	assert_int_equal(cli_execute("vxlan bridge-domain add 6 vni 42", out),
			 -EINVAL);
	assert_string_equal(cli_out_text(out), "% bridge domain vni: 42: "
			    "another bridge domain or L3 VNI has this VNI\n");
	assert_int_equal(cli_execute("vxlan route del vrf cust-a "
				     "192.168.60.0/24", out), 0);
	assert_int_equal(cli_execute("vxlan route del vrf cust-a "
				     "192.168.60.0/24", out), -ENOENT);
	assert_int_equal(adj_table[vrf_lookup((unsigned int)vrf_a,
					      IP(192, 168, 60, 1))].type,
			 ADJ_T_NO_ROUTE);
	assert_int_equal(tunnel_to(IP(10, 0, 0, 9), 5001), 0);
	cli_out_free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built),
		cmocka_unit_test(test_learn_move_age),
		cmocka_unit_test(test_learn_ipv6_vtep),
		cmocka_unit_test(test_full_static_clear),
		cmocka_unit_test(test_flood_list),
		cmocka_unit_test(test_bd_changes),
		cmocka_unit_test(test_head_end_replication),
		cmocka_unit_test(test_routes_and_cli),
	};

	return cmocka_run_group_tests_name("vxlan", tests, group_setup,
					   group_teardown);
}
