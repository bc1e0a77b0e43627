/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route on a real data plane built in-process (EAL without
 * hugepages, two net_null ports), up to route_setup() but without worker
 * graphs: nothing is launched, so the tests play the management lcore
 * and read what it hands to worker 0 straight off its inject ring.
 *
 * Topology: customers A and B both use 192.168.101.0/24, in VRFs "a" and
 * "b", on port p0 (A untagged, B on VLAN 20); their uplinks share
 * 172.16.0.0/24 on port p1 (VLAN 100 and 200).
 *
 *   if  name   port vlan  address            vrf
 *   0   a0     p0   -     192.168.101.1/24   a
 *   1   b0     p0   20    192.168.101.1/24   b
 *   2   a_up   p1   100   172.16.0.1/24      a
 *   3   b_up   p1   200   172.16.0.1/24      b
 *
 * Time is virtual: every timer call gets an explicit "now" in ms from a
 * clock that only moves forward. Every mbuf taken off a ring is freed,
 * and each test ends with the mempool's in-use count where it started.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "cli.h"
#include "config.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "route_priv.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const char config_text[] =
	"buffers = { mbufs = 2047; cache = 32; };\n"
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0,no-rx=1\";"
	"    mac = \"02:00:00:00:00:01\"; },\n"
	"  { name = \"p1\"; device = \"net_null1,no-rx=1\";"
	"    mac = \"02:00:00:00:00:02\"; }\n"
	");\n"
	"interfaces = (\n"
	"  { name = \"a0\"; port = \"p0\"; address = \"192.168.101.1/24\";"
	"    vrf = \"a\"; },\n"
	"  { name = \"b0\"; port = \"p0\"; vlan = 20;"
	"    address = \"192.168.101.1/24\"; vrf = \"b\"; },\n"
	"  { name = \"a_up\"; port = \"p1\"; vlan = 100;"
	"    address = \"172.16.0.1/24\"; vrf = \"a\"; },\n"
	"  { name = \"b_up\"; port = \"p1\"; vlan = 200;"
	"    address = \"172.16.0.1/24\"; vrf = \"b\"; }\n"
	");\n"
	"vrfs = (\n"
	"  { name = \"a\"; id = 10; },\n"
	"  { name = \"small\"; id = 30; max_routes = 16; },\n"
	"  { name = \"b\"; id = 20;\n"
	"    routes = ( { prefix = \"198.51.100.0/24\"; blackhole = true; },\n"
	"               { prefix = \"203.0.113.0/24\"; via = \"172.16.0.9\"; } );"
	" }\n"
	");\n"
	"neighbours = (\n"
	"  { interface = \"b_up\"; address = \"172.16.0.9\";"
	"    mac = \"02:00:00:00:b0:09\"; }\n"
	");\n"
	"ip = { arp_timeout = 30; arp_retries = 3; arp_hold = 3;"
	"  max_neighbours = 64; };\n"
	"workers = ( { lcore = 1; rx = ( \"p0:0\", \"p1:0\" ); } );\n";

/* app/ferry/main.c's list, in its order, without eal (app/ only). */
static const struct cfg_section *const sections[] = {
	&buffers_cfg_section,
	&port_cfg_section,
	&iface_cfg_section,
	&vrf_cfg_section,
	&nbr_cfg_section,
	&ip_cfg_section,
	&workers_cfg_section,
	&cli_cfg_section,
};

#define ARP_TIMEOUT_MS 30000
#define ARP_RETRIES 3
#define ARP_HOLD 3

static struct cfg_model *model;
static bool dp_ports, dp_graph, dp_route;
static unsigned int group_in_use, test_in_use;
static uint64_t clk = 1000000; /* virtual ms, only moves forward */
static int if_a0, if_b0, if_aup, if_bup, vrf_a, vrf_b;

static const struct rte_ether_addr mac_p0 = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr mac_p1 = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

/* ---- helpers ------------------------------------------------------------ */

static unsigned int
in_use(void)
{
	return rte_mempool_in_use_count(port_mempool());
}

static struct rte_ring *
inject_ring(void)
{
	return graph_worker(0)->inject;
}

/* Free whatever is queued for worker 0; @return how many. */
static unsigned int
inject_flush(void)
{
	void *m;
	unsigned int n = 0;

	while (rte_ring_dequeue(inject_ring(), &m) == 0) {
		rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

static unsigned int
inject_take(struct rte_mbuf **pkts, unsigned int max)
{
	return rte_ring_dequeue_burst(inject_ring(), (void **)pkts, max, NULL);
}

static void
mac_make(struct rte_ether_addr *mac, uint8_t a, uint8_t b)
{
	static const uint8_t base[6] = { 0x02, 0xaa, 0x00, 0x00, 0, 0 };

	memcpy(mac->addr_bytes, base, 6);
	mac->addr_bytes[4] = a;
	mac->addr_bytes[5] = b;
}

static uint64_t
nbr_w(uint32_t slot)
{
	return __atomic_load_n(&nbr_table[slot].mac_state, __ATOMIC_ACQUIRE);
}

static void
assert_nbr(uint32_t slot, enum nbr_state st, const struct rte_ether_addr *mac)
{
	uint64_t w;

	assert_int_not_equal(slot, NBR_NONE);
	w = nbr_w(slot);
	assert_int_equal(nbr_word_state(w), st);
	if (mac != NULL)
		assert_memory_equal(&w, mac->addr_bytes, 6);
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Ethernet (+ 802.1Q) header of interface @p ifx into @p p; @return len. */
static size_t
l2_expect(uint8_t *p, unsigned int ifx, const uint8_t *dst)
{
	const struct iface *ifc = iface_get(ifx);
	size_t n = 0;

	memcpy(p, dst, 6);
	memcpy(p + 6, ifc->mac.addr_bytes, 6);
	n = 12;
	if (ifc->vlan != 0) {
		put_be16(p + n, 0x8100);
		put_be16(p + n + 2, ifc->vlan);
		n += 4;
	}
	put_be16(p + n, 0x0806);
	return n + 2;
}

/* An ARP body, byte by byte (RFC 826, Ethernet/IPv4). */
static size_t
arp_expect(uint8_t *p, uint16_t op, const uint8_t *sha, uint32_t spa,
	   const uint8_t *tha, uint32_t tpa)
{
	put_be16(p, 1);
	put_be16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	put_be16(p + 6, op);
	memcpy(p + 8, sha, 6);
	put_be32(p + 14, spa);
	memcpy(p + 18, tha, 6);
	put_be32(p + 24, tpa);
	return 28;
}

static void
dump_diff(const uint8_t *got, const uint8_t *exp, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (got[i] != exp[i])
			print_error("  byte %zu: got %02x, expected %02x\n", i,
				    got[i], exp[i]);
}

/* @p m must be exactly @p exp (one segment), injected as a complete
 * frame for the port of interface @p ifx. */
static void
assert_frame(struct rte_mbuf *m, const uint8_t *exp, size_t n,
	     unsigned int ifx)
{
	const uint8_t *got = rte_pktmbuf_mtod(m, const uint8_t *);

	assert_int_equal(m->nb_segs, 1);
	assert_int_equal(m->pkt_len, n);
	assert_int_equal(m->data_len, n);
	if (memcmp(got, exp, n) != 0) {
		dump_diff(got, exp, n);
		fail_msg("frame differs from the expected one");
	}
	assert_int_equal(pkt_md(m)->flags, PKT_F_INJECT_L2);
	assert_int_equal(pkt_md(m)->out_iface, iface_get(ifx)->port_idx);
}

static void
assert_arp_request(struct rte_mbuf *m, unsigned int ifx, uint32_t tip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	const struct iface *ifc = iface_get(ifx);
	uint8_t exp[64];
	size_t n;

	n = l2_expect(exp, ifx, bcast);
	n += arp_expect(exp + n, 1, ifc->mac.addr_bytes, ifc->addr, zero, tip);
	assert_frame(m, exp, n, ifx);
}

/*
 * Is @p m an ARP request for @p tip sent on interface @p ifx? Decided
 * from the port, VLAN, ethertype, opcode and target only; the rest is
 * for assert_arp_request().
 */
static bool
is_arp_request(struct rte_mbuf *m, unsigned int ifx, uint32_t tip)
{
	const struct iface *ifc = iface_get(ifx);
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t l2 = ifc->vlan ? 18 : 14;

	if (!(pkt_md(m)->flags & PKT_F_INJECT_L2) ||
	    pkt_md(m)->out_iface != ifc->port_idx || m->data_len < l2 + 28)
		return false;
	if (ifc->vlan != 0 &&
	    (p[12] != 0x81 || p[13] != 0 ||
	     (((p[14] << 8) | p[15]) & 0xfff) != ifc->vlan))
		return false;
	if (ifc->vlan == 0 && (p[12] != 0x08 || p[13] != 0x06))
		return false;
	p += l2;
	return p[6] == 0 && p[7] == 1 &&
	       ((uint32_t)p[24] << 24 | (uint32_t)p[25] << 16 |
		(uint32_t)p[26] << 8 | p[27]) == tip;
}

/*
 * Drain the inject ring: count the ARP requests for @p tip on @p ifx,
 * checking each byte by byte, and free everything. Requests for other
 * neighbours (probes of entries other tests left) are freed unchecked;
 * anything that is not an ARP request fails the test.
 */
static unsigned int
requests_for(unsigned int ifx, uint32_t tip)
{
	struct rte_mbuf *pkts[64];
	unsigned int n, i, count = 0;

	while ((n = inject_take(pkts, 64)) > 0) {
		for (i = 0; i < n; i++) {
			if (is_arp_request(pkts[i], ifx, tip)) {
				assert_arp_request(pkts[i], ifx, tip);
				count++;
			} else if (!(pkt_md(pkts[i])->flags &
				     PKT_F_INJECT_L2)) {
				fail_msg("unexpected IPv4 packet injected");
			}
			rte_pktmbuf_free(pkts[i]);
		}
	}
	return count;
}

/* nbr_timer() at @p now and the requests it sent for (ifx, tip). */
static unsigned int
timer_at(uint64_t now, unsigned int ifx, uint32_t tip)
{
	nbr_timer(now);
	return requests_for(ifx, tip);
}

/* An IPv4 packet (data at the IP header) routed to @p dst on @p out_if
 * whose neighbour is @p slot, as the rewrite node punts it. */
static struct rte_mbuf *
ip_pkt(unsigned int out_if, uint32_t dst, uint32_t slot, uint16_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	struct rte_ipv4_hdr *ip;
	struct pkt_md *md;
	char *p;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, 28));
	p = rte_pktmbuf_mtod(m, char *);
	memset(p, 0, 28);
	ip = (struct rte_ipv4_hdr *)(void *)p;
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(28);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->time_to_live = 63;
	ip->next_proto_id = 17;
	ip->src_addr = rte_cpu_to_be_32(IP(10, 9, 9, 9));
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = pkt_inet_cksum(ip, 20);
	md = pkt_md(m);
	memset(md, 0, sizeof(*md));
	md->in_iface = (uint16_t)if_aup;
	md->out_iface = (uint16_t)out_if;
	md->vrf = iface_get(out_if)->vrf;
	md->nbr = slot;
	m->packet_type = RTE_PTYPE_L3_IPV4;
	return m;
}

static uint16_t
ip_pkt_id(struct rte_mbuf *m)
{
	return rte_be_to_cpu_16(
		rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *)->packet_id);
}

/* An ARP packet as eth_input hands it on: data at the ARP header, a
 * 60-byte frame (so with Ethernet padding behind the ARP body). */
static struct rte_mbuf *
arp_pkt(unsigned int in_if, uint16_t op, const struct rte_ether_addr *sha,
	uint32_t sip, const uint8_t *tha, uint32_t tip)
{
	static const uint8_t zero[6];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	const struct iface *ifc = iface_get(in_if);
	uint8_t *p;
	size_t l2;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, 64);
	assert_non_null(p);
	memset(p, 0, 64);
	l2 = l2_expect(p, in_if, op == 1 ? bcast : ifc->mac.addr_bytes);
	/* l2_expect writes our MAC as source: the sender's goes there. */
	memcpy(p + 6, sha->addr_bytes, 6);
	arp_expect(p + l2, op, sha->addr_bytes, sip, tha ? tha : zero, tip);
	assert_non_null(rte_pktmbuf_adj(m, (uint16_t)l2));
	memset(pkt_md(m), 0, sizeof(struct pkt_md));
	pkt_md(m)->in_iface = (uint16_t)in_if;
	pkt_md(m)->vrf = ifc->vrf;
	m->packet_type = RTE_PTYPE_L2_ETHER_ARP;
	return m;
}

/* What ferry_ip4_lookup does: bulk FIB lookup, a miss is no route. */
static void
lookup_bulk(int vrf, const uint32_t *ips, uint64_t *nh, unsigned int n)
{
	uint32_t dst[16], hop[16];
	unsigned int i;

	assert_true(n <= 16);
	memcpy(dst, ips, n * sizeof(dst[0]));
	vrf_fib_lookup_bulk(&vrf_table[vrf], dst, hop, n);
	for (i = 0; i < n; i++)
		nh[i] = hop[i];
}

static uint64_t
lookup(int vrf, uint32_t ip)
{
	uint64_t nh = UINT64_MAX;

	lookup_bulk(vrf, &ip, &nh, 1);
	assert_int_equal(nh, vrf_lookup((unsigned int)vrf, ip));
	return nh;
}

static void
assert_adj(uint64_t nh, enum adj_type type, int ifx, uint32_t gw)
{
	const struct adj *a;

	assert_true(nh < ADJ_MAX);
	a = &adj_table[nh];
	assert_int_equal(a->type, type);
	if (type == ADJ_T_GLEAN || type == ADJ_T_NEXTHOP)
		assert_int_equal(a->iface, ifx);
	if (type == ADJ_T_NEXTHOP) {
		assert_int_equal(a->gw, gw);
		assert_int_equal(a->nbr, nbr_lookup(a->iface, gw));
		assert_int_not_equal(a->nbr, NBR_NONE);
	}
}

/* ---- setup -------------------------------------------------------------- */

static int
step(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "test_route: %s failed: %s\n", what,
			strerror(-rc));
	return rc;
}

static int
group_setup(void **state)
{
	static const char *const vdevs[] = {
		"--vdev", "net_null0,no-rx=1", "--vdev", "net_null1,no-rx=1",
	};
	const struct cfg_array *workers;
	struct cfg_diag diag = { 0 };
	unsigned int i;

	(void)state;
	if (eal_test_start("route", vdevs, 4) < 0)
		return -1;
	if (cfg_load_string("test_route.cfg", config_text, sections,
			    sizeof(sections) / sizeof(sections[0]), &model,
			    &diag) < 0) {
		for (i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.msg[i]);
		cfg_diag_free(&diag);
		return -1;
	}
	workers = cfg_model_section(model, "workers");
	if (step("pkt_init", pkt_init()) < 0)
		return -1;
	if (step("port_setup", port_setup(model, workers->n)) < 0)
		return -1;
	dp_ports = true;
	if (step("graph_workers_init", graph_workers_init(model)) < 0)
		return -1;
	dp_graph = true;
	if (step("iface_setup", iface_setup(model)) < 0)
		return -1;
	if (step("route_setup", route_setup(model)) < 0 ||
	    step("cfg_txn_start", cfg_txn_start(model, NULL)) < 0)
		return -1;
	dp_route = true;
	if_a0 = iface_find("a0");
	if_b0 = iface_find("b0");
	if_aup = iface_find("a_up");
	if_bup = iface_find("b_up");
	vrf_a = vrf_find("a");
	vrf_b = vrf_find("b");
	group_in_use = in_use();
	return 0;
}

static int
group_teardown(void **state)
{
	int rc = 0;

	(void)state;
	if (dp_route) {
		inject_flush();
		if (in_use() != group_in_use) {
			fprintf(stderr, "test_route: %u mbufs in use at the "
				"end, %u at the start\n", in_use(),
				group_in_use);
			rc = -1;
		}
		route_teardown();
	}
	if (dp_graph)
		graph_teardown();
	if (dp_ports)
		port_teardown();
	cfg_model_free(model);
	eal_test_stop();
	if (eal_test_runtime_dir()[0] != '\0' &&
	    access(eal_test_runtime_dir(), F_OK) == 0) {
		fprintf(stderr, "test_route: %s is left behind\n",
			eal_test_runtime_dir());
		rc = -1;
	}
	return rc;
}

static int
test_setup(void **state)
{
	(void)state;
	inject_flush();
	test_in_use = in_use();
	return 0;
}

static int
test_teardown(void **state)
{
	unsigned int left;

	(void)state;
	left = inject_flush();
	assert_int_equal(left, 0);
	assert_int_equal(in_use(), test_in_use);
	clk += 10; /* every test starts after the previous one */
	return 0;
}

/* ---- the data plane as built -------------------------------------------- */

static void
test_built(void **state)
{
	const struct iface *ifc;

	(void)state;
	assert_int_equal(port_count(), 2);
	assert_int_equal(iface_count(), 4);
	assert_true(if_a0 >= 0 && if_b0 >= 0 && if_aup >= 0 && if_bup >= 0);
	assert_int_equal(vrf_count(), 3); /* no interface uses "default" */
	assert_true(vrf_a >= 0 && vrf_b >= 0 && vrf_a != vrf_b);
	assert_int_equal(vrf_find(VRF_DEFAULT_NAME), -1);
	assert_string_equal(vrf_name((unsigned int)vrf_a), "a");
	assert_int_equal(vrf_table[vrf_a].id, 10);
	assert_int_equal(vrf_table[vrf_b].id, 20);
	assert_null(vrf_name(vrf_count()));

	/* Interfaces carry the VRF index (vrf_table) and their port's MAC. */
	ifc = iface_get((unsigned int)if_a0);
	assert_int_equal(ifc->vrf, vrf_a);
	assert_int_equal(ifc->vlan, 0);
	assert_int_equal(ifc->port_idx, 0);
	assert_memory_equal(&ifc->mac, &mac_p0, 6);
	ifc = iface_get((unsigned int)if_b0);
	assert_int_equal(ifc->vrf, vrf_b);
	assert_int_equal(ifc->vlan, 20);
	assert_int_equal(ifc->addr, IP(192, 168, 101, 1));
	assert_memory_equal(&ifc->mac, &mac_p0, 6);
	ifc = iface_get((unsigned int)if_aup);
	assert_int_equal(ifc->vrf, vrf_a);
	assert_int_equal(ifc->port_idx, 1);
	assert_memory_equal(&ifc->mac, &mac_p1, 6);
	assert_int_equal(iface_get((unsigned int)if_bup)->vrf, vrf_b);

	/* One worker on lcore 1, which this process does not even have:
	 * nothing up to route_setup() needed it. */
	assert_int_equal(graph_worker_count(), 1);
	assert_int_equal(graph_worker(0)->lcore, 1);
	assert_false(rte_lcore_is_enabled(1));
	assert_null(graph_worker(0)->graph);
	assert_non_null(inject_ring());
	assert_non_null(graph_punt_ring());
	assert_non_null(graph_rcu());
	assert_int_equal(rte_ring_count(inject_ring()), 0);
}

/* ---- 1. FIBs ------------------------------------------------------------ */

static void
test_fib_connected_local(void **state)
{
	int vrfs[2] = { vrf_a, vrf_b };
	int lan[2] = { if_a0, if_b0 }, up[2] = { if_aup, if_bup };
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		int v = vrfs[i];

		assert_adj(lookup(v, IP(192, 168, 101, 7)), ADJ_T_GLEAN,
			   lan[i], 0);
		assert_adj(lookup(v, IP(192, 168, 101, 0)), ADJ_T_GLEAN,
			   lan[i], 0);
		assert_adj(lookup(v, IP(192, 168, 101, 255)), ADJ_T_GLEAN,
			   lan[i], 0);
		assert_int_equal(lookup(v, IP(192, 168, 101, 1)), ADJ_LOCAL);
		assert_adj(ADJ_LOCAL, ADJ_T_LOCAL, 0, 0);
		assert_adj(lookup(v, IP(172, 16, 0, 200)), ADJ_T_GLEAN, up[i],
			   0);
		assert_int_equal(lookup(v, IP(172, 16, 0, 1)), ADJ_LOCAL);
		/* Misses. */
		assert_int_equal(lookup(v, IP(192, 168, 102, 1)), ADJ_NO_ROUTE);
		assert_int_equal(lookup(v, IP(11, 0, 0, 1)), ADJ_NO_ROUTE);
		assert_int_equal(lookup(v, IP(0, 0, 0, 0)), ADJ_NO_ROUTE);
		assert_int_equal(lookup(v, IP(255, 255, 255, 255)),
				 ADJ_NO_ROUTE);
		assert_adj(ADJ_NO_ROUTE, ADJ_T_NO_ROUTE, 0, 0);
	}
	/* The same connected prefix, two VRFs: two adjacencies. */
	assert_int_not_equal(lookup(vrf_a, IP(192, 168, 101, 7)),
			     lookup(vrf_b, IP(192, 168, 101, 7)));
}

static void
test_fib_config_routes(void **state)
{
	static const struct rte_ether_addr gw_mac = {
		{ 0x02, 0x00, 0x00, 0x00, 0xb0, 0x09 } };
	uint64_t nh;

	(void)state;
	/* From the config: VRF b only. */
	assert_int_equal(lookup(vrf_b, IP(198, 51, 100, 1)), ADJ_BLACKHOLE);
	assert_adj(ADJ_BLACKHOLE, ADJ_T_BLACKHOLE, 0, 0);
	nh = lookup(vrf_b, IP(203, 0, 113, 5));
	assert_adj(nh, ADJ_T_NEXTHOP, if_bup, IP(172, 16, 0, 9));
	/* Its neighbour is the static one from the config. */
	assert_nbr(adj_table[nh].nbr, NBR_REACHABLE, &gw_mac);
	assert_true(nbr_table[adj_table[nh].nbr].is_static);
	assert_int_equal(nbr_table[adj_table[nh].nbr].refcnt, 1);
	assert_int_equal(lookup(vrf_a, IP(198, 51, 100, 1)), ADJ_NO_ROUTE);
	assert_int_equal(lookup(vrf_a, IP(203, 0, 113, 5)), ADJ_NO_ROUTE);
}

static void
test_fib_overlap_two_vrfs(void **state)
{
	const uint32_t gw8 = IP(192, 168, 101, 2), gw16 = IP(172, 16, 0, 2),
		       gw24 = IP(172, 16, 0, 3), gw24b = IP(172, 16, 0, 4);
	uint32_t ips[6] = {
		IP(10, 9, 9, 9), IP(10, 1, 9, 9), IP(10, 1, 2, 3),
		IP(10, 1, 3, 0), IP(10, 255, 255, 255), IP(11, 0, 0, 0),
	};
	uint64_t nh[6], a8, a16, a24, b8;

	(void)state;
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 8, ROUTE_VIA, gw8,
				   if_a0), 0);
	assert_int_equal(route_add(vrf_a, IP(10, 1, 0, 0), 16, ROUTE_VIA,
				   gw16, if_aup), 0);
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 0), 24, ROUTE_VIA,
				   gw24, if_aup), 0);
	assert_int_equal(route_add(vrf_b, IP(10, 0, 0, 0), 8, ROUTE_VIA, gw8,
				   if_b0), 0);

	/* Longest prefix wins within VRF a (bulk lookup). */
	lookup_bulk(vrf_a, ips, nh, 6);
	a8 = nh[0];
	a16 = nh[1];
	a24 = nh[2];
	assert_adj(a8, ADJ_T_NEXTHOP, if_a0, gw8);
	assert_adj(a16, ADJ_T_NEXTHOP, if_aup, gw16);
	assert_adj(a24, ADJ_T_NEXTHOP, if_aup, gw24);
	assert_int_equal(nh[3], a16);
	assert_int_equal(nh[4], a8);
	assert_int_equal(nh[5], ADJ_NO_ROUTE);
	/* The same addresses in VRF b: all the /8. */
	lookup_bulk(vrf_b, ips, nh, 6);
	b8 = nh[0];
	assert_adj(b8, ADJ_T_NEXTHOP, if_b0, gw8);
	assert_int_equal(nh[1], b8);
	assert_int_equal(nh[2], b8);
	assert_int_equal(nh[3], b8);
	assert_int_equal(nh[4], b8);
	assert_int_equal(nh[5], ADJ_NO_ROUTE);
	/* Same gateway address, two VRFs: two adjacencies, two
	 * neighbours (one per interface). */
	assert_int_not_equal(a8, b8);
	assert_int_not_equal(adj_table[a8].nbr, adj_table[b8].nbr);
	assert_nbr(adj_table[a8].nbr, NBR_INCOMPLETE, NULL);
	assert_int_equal(nbr_table[adj_table[a8].nbr].refcnt, 1);
	assert_int_equal(nbr_table[adj_table[b8].nbr].refcnt, 1);
	assert_int_equal(adj_table[a24].refcnt, 1);
	/* Making routes sent no ARP. */
	assert_int_equal(rte_ring_count(inject_ring()), 0);

	/* Routes through one next hop share its adjacency. */
	assert_int_equal(route_add(vrf_a, IP(10, 2, 0, 0), 16, ROUTE_VIA,
				   gw16, if_aup), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 2, 0, 1)), a16);
	assert_int_equal(adj_table[a16].refcnt, 2);
	assert_int_equal(route_del(vrf_a, IP(10, 2, 0, 0), 16), 0);
	assert_int_equal(adj_table[a16].refcnt, 1);
	assert_int_equal(lookup(vrf_a, IP(10, 2, 0, 1)), a8);

	/* A host route beats the connected /24. */
	assert_int_equal(route_add(vrf_a, IP(192, 168, 101, 200), 32,
				   ROUTE_VIA, gw16, if_aup), 0);
	assert_int_equal(lookup(vrf_a, IP(192, 168, 101, 200)), a16);
	assert_adj(lookup(vrf_a, IP(192, 168, 101, 201)), ADJ_T_GLEAN, if_a0,
		   0);
	assert_int_equal(route_del(vrf_a, IP(192, 168, 101, 200), 32), 0);
	assert_adj(lookup(vrf_a, IP(192, 168, 101, 200)), ADJ_T_GLEAN, if_a0,
		   0);

	/* Replace: same prefix, another next hop. */
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 0), 24, ROUTE_VIA,
				   gw24b, if_aup), 0);
	assert_adj(lookup(vrf_a, IP(10, 1, 2, 3)), ADJ_T_NEXTHOP, if_aup,
		   gw24b);
	assert_int_equal(adj_table[a24].refcnt, 0);
	assert_int_equal(adj_table[lookup(vrf_a, IP(10, 1, 2, 3))].refcnt, 1);
	/* Replace with a blackhole, then back. */
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 0), 24, ROUTE_BLACKHOLE,
				   0, 0), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), ADJ_BLACKHOLE);
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 0), 24, ROUTE_VIA,
				   gw24, if_aup), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), a24);

	/* Delete: the shorter prefix takes over. */
	assert_int_equal(route_del(vrf_a, IP(10, 1, 2, 0), 24), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), a16);
	assert_int_equal(adj_table[a24].refcnt, 0);
	assert_int_equal(route_del(vrf_a, IP(10, 1, 2, 0), 24), -ENOENT);
	assert_int_equal(route_del(vrf_a, IP(10, 1, 0, 0), 16), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), a8);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 9, 9)), a8);
	/* VRF b untouched. */
	assert_int_equal(lookup(vrf_b, IP(10, 1, 2, 3)), b8);
	assert_int_equal(route_del(vrf_a, IP(10, 0, 0, 0), 8), 0);
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), ADJ_NO_ROUTE);
	assert_int_equal(lookup(vrf_b, IP(10, 1, 2, 3)), b8);
	/* Deleting in one VRF does not find the other's route. */
	assert_int_equal(route_del(vrf_a, IP(10, 0, 0, 0), 8), -ENOENT);
	assert_int_equal(route_del(vrf_b, IP(10, 0, 0, 0), 8), 0);
	assert_int_equal(lookup(vrf_b, IP(10, 1, 2, 3)), ADJ_NO_ROUTE);
	assert_int_equal(route_del(vrf_b, IP(10, 0, 0, 0), 8), -ENOENT);
	/* Adjacency of a gateway stays referenced by its neighbour. */
	assert_int_not_equal(nbr_lookup(if_a0, gw8), NBR_NONE);
}

static void
test_fib_default_route(void **state)
{
	const uint32_t gw = IP(172, 16, 0, 2);
	uint64_t nh;

	(void)state;
	assert_int_equal(route_add(vrf_a, 0, 0, ROUTE_VIA, gw, if_aup), 0);
	nh = lookup(vrf_a, IP(11, 0, 0, 1));
	assert_adj(nh, ADJ_T_NEXTHOP, if_aup, gw);
	assert_int_equal(lookup(vrf_a, IP(1, 2, 3, 4)), nh);
	/* More specific routes still win. */
	assert_int_equal(lookup(vrf_a, IP(192, 168, 101, 1)), ADJ_LOCAL);
	assert_adj(lookup(vrf_a, IP(192, 168, 101, 9)), ADJ_T_GLEAN, if_a0, 0);
	assert_int_equal(lookup(vrf_b, IP(11, 0, 0, 1)), ADJ_NO_ROUTE);
	assert_int_equal(route_del(vrf_a, 0, 0), 0);
	assert_int_equal(lookup(vrf_a, IP(11, 0, 0, 1)), ADJ_NO_ROUTE);
	assert_int_equal(route_del(vrf_a, 0, 0), -ENOENT);
}

static void
test_route_add_errors(void **state)
{
	const uint32_t gw = IP(172, 16, 0, 2);

	(void)state;
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 33, ROUTE_VIA, gw,
				   if_aup), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 255,
				   ROUTE_BLACKHOLE, 0, 0), -EINVAL);
	/* Host bits set. */
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 0), 16, ROUTE_VIA, gw,
				   if_aup), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 1), 8, ROUTE_VIA, gw,
				   if_aup), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(0, 0, 0, 1), 0, ROUTE_VIA, gw,
				   if_aup), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(10, 1, 2, 1), 31,
				   ROUTE_BLACKHOLE, 0, 0), -EINVAL);
	/* Bad VRF index. */
	assert_int_equal(route_add(vrf_count(), IP(10, 0, 0, 0), 8, ROUTE_VIA,
				   gw, if_aup), -EINVAL);
	assert_int_equal(route_add(VRF_MAX, IP(10, 0, 0, 0), 8,
				   ROUTE_BLACKHOLE, 0, 0), -EINVAL);
	assert_int_equal(route_add(UINT32_MAX, IP(10, 0, 0, 0), 8,
				   ROUTE_BLACKHOLE, 0, 0), -EINVAL);
	/* Bad interface. */
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 8, ROUTE_VIA, gw,
				   iface_count()), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 8, ROUTE_VIA, gw,
				   IFACE_NONE), -EINVAL);
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 8, ROUTE_CONNECTED,
				   0, iface_count()), -EINVAL);
	/* Bad kind. */
	assert_int_equal(route_add(vrf_a, IP(10, 0, 0, 0), 8,
				   (enum route_kind)42, gw, if_aup), -EINVAL);
	/* Nothing of that got in. */
	assert_int_equal(lookup(vrf_a, IP(10, 1, 2, 3)), ADJ_NO_ROUTE);
	assert_int_equal(lookup(vrf_a, IP(11, 1, 2, 3)), ADJ_NO_ROUTE);
	assert_int_equal(nbr_lookup((uint16_t)iface_count(), gw), NBR_NONE);
	/* route_del's own checks. */
	assert_int_equal(route_del(vrf_a, IP(10, 0, 0, 0), 33), -EINVAL);
	assert_int_equal(route_del(vrf_count(), IP(10, 0, 0, 0), 8), -EINVAL);
	assert_int_equal(route_del(vrf_a, IP(10, 0, 0, 0), 8), -ENOENT);
	assert_int_equal(route_del(vrf_a, IP(192, 168, 101, 0), 25), -ENOENT);
}

/* A VRF holds max_routes prefixes however they branch (the RIB mirror
 * needs branch nodes beyond one per prefix). */
static void
test_vrf_capacity(void **state)
{
	unsigned int v = vrf_find("small"), i;

	(void)state;
	for (i = 0; i < 16; i++)
		assert_int_equal(route_add(v, IP(10, (uint8_t)(i * 17), 0, 0),
					   16, ROUTE_BLACKHOLE, 0, 0), 0);
	assert_int_equal(route_add(v, IP(11, 0, 0, 0), 16, ROUTE_BLACKHOLE,
				   0, 0), -ENOSPC);
	for (i = 0; i < 16; i++)
		assert_int_equal(route_del(v, IP(10, (uint8_t)(i * 17), 0, 0),
					   16), 0);
}

/* ---- 2. neighbours ------------------------------------------------------ */

static void
test_nbr_static(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 30);
	struct rte_ether_addr mac, mac2, other;
	uint32_t slot;

	(void)state;
	mac_make(&mac, 0, 0x30);
	mac_make(&mac2, 1, 0x30);
	mac_make(&other, 9, 0x30);
	assert_int_equal(nbr_add_static(if_a0, ip, &mac), 0);
	slot = nbr_lookup(if_a0, ip);
	assert_nbr(slot, NBR_REACHABLE, &mac);
	assert_true(nbr_table[slot].is_static);
	/* Same address on the other customer's interface: not there. */
	assert_int_equal(nbr_lookup(if_b0, ip), NBR_NONE);
	/* Never aged, never probed. */
	assert_int_equal(timer_at(clk + 1000000000ull, if_a0, ip), 0);
	assert_int_equal(timer_at(clk + 1000001000ull, if_a0, ip), 0);
	assert_int_equal(timer_at(clk + 1000005000ull, if_a0, ip), 0);
	clk += 1000010000ull;
	assert_nbr(slot, NBR_REACHABLE, &mac);
	assert_int_equal(nbr_lookup(if_a0, ip), slot);
	/* ARP does not override a static entry. */
	nbr_learn(slot, &other, clk);
	assert_nbr(slot, NBR_REACHABLE, &mac);
	/* Configuring it again does. */
	assert_int_equal(nbr_add_static(if_a0, ip, &mac2), 0);
	assert_int_equal(nbr_lookup(if_a0, ip), slot);
	assert_nbr(slot, NBR_REACHABLE, &mac2);
	/* Errors. */
	assert_int_equal(nbr_add_static(iface_count(), ip, &mac), -EINVAL);
	assert_int_equal(nbr_add_static(if_a0, 0, &mac), -EINVAL);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
}

static void
test_nbr_static_over_learned(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 31);
	struct rte_ether_addr mac, smac;
	struct rte_mbuf *m, *out[4];
	uint32_t slot;

	(void)state;
	mac_make(&mac, 0, 0x31);
	mac_make(&smac, 1, 0x31);
	/* An unresolved entry with a packet waiting... */
	slot = nbr_get(if_a0, ip);
	m = ip_pkt(if_a0, ip, slot, 31);
	nbr_hold(slot, m, clk);
	assert_int_equal(requests_for(if_a0, ip), 1);
	/* ...made static: resolved, the packet goes. */
	assert_int_equal(nbr_add_static(if_a0, ip, &smac), 0);
	assert_int_equal(nbr_lookup(if_a0, ip), slot);
	assert_nbr(slot, NBR_REACHABLE, &smac);
	assert_true(nbr_table[slot].is_static);
	assert_int_equal(inject_take(out, 4), 1);
	assert_ptr_equal(out[0], m);
	rte_pktmbuf_free(out[0]);
	/* No retries for it any more. */
	assert_int_equal(timer_at(clk + 1000, if_a0, ip), 0);
	assert_int_equal(timer_at(clk + 5000, if_a0, ip), 0);
	clk += 5000;
	nbr_learn(slot, &mac, clk);
	assert_nbr(slot, NBR_REACHABLE, &smac);
}

static void
test_nbr_get_incomplete(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 40);
	uint32_t slot, slot_b;

	(void)state;
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	slot = nbr_get(if_a0, ip);
	assert_int_not_equal(slot, NBR_NONE);
	assert_int_equal(nbr_lookup(if_a0, ip), slot);
	assert_int_equal(nbr_get(if_a0, ip), slot);
	assert_int_equal(nbr_w(slot), 0); /* INCOMPLETE, no MAC */
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	assert_int_equal(nbr_table[slot].ip, ip);
	assert_int_equal(nbr_table[slot].iface, if_a0);
	assert_int_equal(nbr_table[slot].n_hold, 0);
	assert_false(nbr_table[slot].is_static);
	/* Per interface: B's 192.168.101.40 is another neighbour. */
	slot_b = nbr_get(if_b0, ip);
	assert_int_not_equal(slot_b, NBR_NONE);
	assert_int_not_equal(slot_b, slot);
	assert_int_equal(nbr_lookup(if_b0, ip), slot_b);
	/* Creating an entry sends nothing, nor does the timer while no
	 * packet waits. */
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_int_equal(timer_at(clk + 1000, if_a0, ip), 0);
	assert_int_equal(timer_at(clk + 5000, if_b0, ip), 0);
	clk += 5000;
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
}

static void
test_nbr_hold_request_learn(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 41);
	struct rte_ether_addr mac;
	struct rte_mbuf *m[5], *out[8];
	uint64_t full0 = graph_control_drops(DROP_ARP_HOLD_FULL);
	uint32_t slot;
	unsigned int i, n;

	(void)state;
	mac_make(&mac, 0, 0x41);
	slot = nbr_get(if_a0, ip);
	for (i = 0; i < 5; i++)
		m[i] = ip_pkt(if_a0, ip, slot, (uint16_t)(100 + i));
	/* A flag the release must clear, and one it must keep. */
	pkt_md(m[0])->flags = PKT_F_INJECT_L2 | PKT_F_LOCAL_ORIGIN;

	/* The first packet sends one request, byte by byte. */
	nbr_hold(slot, m[0], clk);
	n = inject_take(out, 8);
	assert_int_equal(n, 1);
	assert_arp_request(out[0], if_a0, ip);
	rte_pktmbuf_free(out[0]);
	/* Up to arp_hold wait without another request. */
	nbr_hold(slot, m[1], clk + 1);
	nbr_hold(slot, m[2], clk + 2);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_int_equal(nbr_table[slot].n_hold, ARP_HOLD);
	assert_int_equal(in_use(), test_in_use + 5); /* 3 held, 2 to come */
	/* Beyond that: dropped and counted. */
	nbr_hold(slot, m[3], clk + 3);
	nbr_hold(slot, m[4], clk + 4);
	assert_int_equal(graph_control_drops(DROP_ARP_HOLD_FULL), full0 + 2);
	assert_int_equal(nbr_table[slot].n_hold, ARP_HOLD);
	assert_int_equal(in_use(), test_in_use + ARP_HOLD);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);

	/* The answer: REACHABLE, and the held packets go to a worker to
	 * be routed again, in order, as IPv4 (no INJECT_L2). */
	clk += 10;
	nbr_learn(slot, &mac, clk);
	assert_nbr(slot, NBR_REACHABLE, &mac);
	assert_int_equal(nbr_table[slot].n_hold, 0);
	n = inject_take(out, 8);
	assert_int_equal(n, ARP_HOLD);
	for (i = 0; i < n; i++) {
		assert_ptr_equal(out[i], m[i]);
		assert_int_equal(pkt_md(out[i])->flags & PKT_F_INJECT_L2, 0);
		assert_int_equal(pkt_md(out[i])->out_iface, if_a0);
		assert_int_equal(pkt_md(out[i])->vrf, vrf_a);
		assert_int_equal(pkt_md(out[i])->nbr, slot);
		assert_int_equal(ip_pkt_id(out[i]), 100 + i);
		assert_int_equal(out[i]->pkt_len, 28);
		if (i == 0)
			assert_int_equal(pkt_md(out[0])->flags,
					 PKT_F_LOCAL_ORIGIN);
		rte_pktmbuf_free(out[i]);
	}

	/* A packet punted before the answer arrives after it: it goes
	 * straight back, no request. */
	m[0] = ip_pkt(if_a0, ip, slot, 200);
	nbr_hold(slot, m[0], clk);
	n = inject_take(out, 8);
	assert_int_equal(n, 1);
	assert_ptr_equal(out[0], m[0]);
	assert_int_equal(pkt_md(out[0])->flags & PKT_F_INJECT_L2, 0);
	rte_pktmbuf_free(out[0]);
	assert_int_equal(nbr_table[slot].n_hold, 0);
}

/* Requests on a VLAN interface carry the tag, and leave by the port
 * (index) the interface is on. */
static void
test_nbr_request_vlan(void **state)
{
	const uint32_t ip_b = IP(192, 168, 101, 41), ip_up = IP(172, 16, 0, 41);
	struct rte_ether_addr mac;
	struct rte_mbuf *m, *out[4];
	uint32_t slot;

	(void)state;
	mac_make(&mac, 2, 0x41);
	/* B's 192.168.101.41, on p0 VLAN 20. */
	slot = nbr_get(if_b0, ip_b);
	assert_int_not_equal(slot, nbr_lookup(if_a0, ip_b));
	m = ip_pkt(if_b0, ip_b, slot, 1);
	nbr_hold(slot, m, clk);
	assert_int_equal(inject_take(out, 4), 1);
	assert_arp_request(out[0], if_b0, ip_b);
	assert_int_equal(pkt_md(out[0])->out_iface, 0);
	rte_pktmbuf_free(out[0]);
	nbr_learn(slot, &mac, clk);
	assert_int_equal(inject_take(out, 4), 1);
	assert_ptr_equal(out[0], m);
	rte_pktmbuf_free(out[0]);

	/* a_up: interface 2, port 1, VLAN 100. */
	slot = nbr_get(if_aup, ip_up);
	m = ip_pkt(if_aup, ip_up, slot, 2);
	nbr_hold(slot, m, clk);
	assert_int_equal(inject_take(out, 4), 1);
	assert_arp_request(out[0], if_aup, ip_up);
	assert_int_equal(pkt_md(out[0])->out_iface, 1);
	rte_pktmbuf_free(out[0]);
	nbr_learn(slot, &mac, clk);
	assert_int_equal(inject_take(out, 4), 1);
	assert_ptr_equal(out[0], m);
	rte_pktmbuf_free(out[0]);
}

static void
test_nbr_retries_give_up(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 42);
	uint64_t unres0 = graph_control_drops(DROP_ARP_UNRESOLVED);
	uint64_t t0 = clk;
	unsigned int sent;
	uint32_t slot;

	(void)state;
	slot = nbr_get(if_a0, ip);
	nbr_hold(slot, ip_pkt(if_a0, ip, slot, 1), t0);
	nbr_hold(slot, ip_pkt(if_a0, ip, slot, 2), t0 + 100);
	sent = requests_for(if_a0, ip);
	assert_int_equal(sent, 1);
	/* Retries 1 s apart, not sooner. */
	assert_int_equal(timer_at(t0 + 500, if_a0, ip), 0);
	assert_int_equal(timer_at(t0 + 999, if_a0, ip), 0);
	sent += timer_at(t0 + 1000, if_a0, ip);
	assert_int_equal(sent, 2);
	assert_int_equal(timer_at(t0 + 1500, if_a0, ip), 0);
	sent += timer_at(t0 + 2000, if_a0, ip);
	assert_int_equal(sent, ARP_RETRIES);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	assert_int_equal(nbr_table[slot].n_hold, 2);
	assert_int_equal(graph_control_drops(DROP_ARP_UNRESOLVED), unres0);
	/* Then it gives up: held packets dropped as arp_unresolved, and the
	 * entry, which no route uses, is deleted. */
	assert_int_equal(timer_at(t0 + 3000, if_a0, ip), 0);
	assert_int_equal(graph_control_drops(DROP_ARP_UNRESOLVED), unres0 + 2);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	assert_int_equal(in_use(), test_in_use);
	assert_int_equal(timer_at(t0 + 4000, if_a0, ip), 0);
	assert_int_equal(timer_at(t0 + 10000, if_a0, ip), 0);
	clk = t0 + 10000;
	/* A new packet starts from scratch. */
	slot = nbr_get(if_a0, ip);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	nbr_hold(slot, ip_pkt(if_a0, ip, slot, 3), clk);
	assert_int_equal(requests_for(if_a0, ip), 1);
	assert_int_equal(timer_at(clk + 1000, if_a0, ip), 1);
	assert_int_equal(timer_at(clk + 2000, if_a0, ip), 1);
	assert_int_equal(timer_at(clk + 3000, if_a0, ip), 0);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	assert_int_equal(graph_control_drops(DROP_ARP_UNRESOLVED), unres0 + 3);
	clk += 3000;
}

/* A neighbour an adjacency points at survives giving up, INCOMPLETE. */
static void
test_nbr_give_up_referenced(void **state)
{
	const uint32_t gw = IP(192, 168, 101, 43);
	uint64_t unres0 = graph_control_drops(DROP_ARP_UNRESOLVED);
	struct rte_ether_addr mac;
	struct rte_mbuf *out[4];
	uint64_t nh, t0;
	uint32_t slot;

	(void)state;
	mac_make(&mac, 0, 0x43);
	assert_int_equal(route_add(vrf_a, IP(10, 50, 0, 0), 16, ROUTE_VIA, gw,
				   if_a0), 0);
	nh = lookup(vrf_a, IP(10, 50, 1, 1));
	assert_adj(nh, ADJ_T_NEXTHOP, if_a0, gw);
	slot = adj_table[nh].nbr;
	assert_int_equal(nbr_table[slot].refcnt, 1);

	t0 = clk;
	nbr_hold(slot, ip_pkt(if_a0, IP(10, 50, 1, 1), slot, 1), t0);
	assert_int_equal(requests_for(if_a0, gw), 1);
	assert_int_equal(timer_at(t0 + 1000, if_a0, gw), 1);
	assert_int_equal(timer_at(t0 + 2000, if_a0, gw), 1);
	assert_int_equal(timer_at(t0 + 3000, if_a0, gw), 0);
	assert_int_equal(graph_control_drops(DROP_ARP_UNRESOLVED), unres0 + 1);
	assert_int_equal(nbr_lookup(if_a0, gw), slot);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	assert_int_equal(nbr_table[slot].n_hold, 0);
	assert_int_equal(adj_table[nh].nbr, slot);
	/* Quiet until traffic comes again, then a new round. */
	assert_int_equal(timer_at(t0 + 10000, if_a0, gw), 0);
	clk = t0 + 10000;
	nbr_hold(slot, ip_pkt(if_a0, IP(10, 50, 1, 1), slot, 2), clk);
	assert_int_equal(requests_for(if_a0, gw), 1);
	nbr_learn(slot, &mac, clk + 10);
	assert_int_equal(inject_take(out, 4), 1);
	assert_int_equal(ip_pkt_id(out[0]), 2);
	rte_pktmbuf_free(out[0]);
	assert_nbr(slot, NBR_REACHABLE, &mac);

	/* Learned, aged, probed, unanswered: INCOMPLETE again, but the
	 * last MAC stays in the word for packets already past lookup. */
	t0 = clk + 10 + ARP_TIMEOUT_MS;
	assert_int_equal(timer_at(t0, if_a0, gw), 1);
	assert_nbr(slot, NBR_STALE, &mac);
	assert_int_equal(timer_at(t0 + 1000, if_a0, gw), 1);
	assert_int_equal(timer_at(t0 + 2000, if_a0, gw), 1);
	assert_nbr(slot, NBR_STALE, &mac);
	assert_int_equal(timer_at(t0 + 3000, if_a0, gw), 0);
	assert_int_equal(nbr_lookup(if_a0, gw), slot);
	assert_nbr(slot, NBR_INCOMPLETE, &mac);
	assert_int_equal(timer_at(t0 + 10000, if_a0, gw), 0);
	clk = t0 + 10000;
	assert_int_equal(route_del(vrf_a, IP(10, 50, 0, 0), 16), 0);
}

/*
 * A neighbour pinned by another library (lib/mpls next hops) is ARPed
 * for by the timer with no packet waiting, round after round while it
 * stays unresolved; the fast-path view (route_nbr_mac) sees it only
 * once answered; unpinned and unresolved, it is deleted.
 */
static void
test_nbr_pinned_probed(void **state)
{
	const uint32_t ip = IP(172, 16, 0, 77);
	struct rte_ether_addr mac, got;
	uint64_t t0 = clk;
	uint32_t slot;

	(void)state;
	assert_int_equal(route_nbr_pin(IFACE_MAX, ip), ROUTE_NBR_NONE);
	assert_int_equal(route_nbr_pin(if_aup, 0), ROUTE_NBR_NONE);
	slot = route_nbr_pin(if_aup, ip);
	assert_int_not_equal(slot, ROUTE_NBR_NONE);
	assert_int_equal(route_nbr_pin(if_aup, ip), slot); /* pinned twice */
	assert_false(route_nbr_mac(slot, &got));
	/* No packet was held, yet the first tick asks, then 1 s apart. */
	assert_int_equal(timer_at(t0, if_aup, ip), 1);
	assert_int_equal(timer_at(t0 + 500, if_aup, ip), 0);
	assert_int_equal(timer_at(t0 + 1000, if_aup, ip), 1);
	assert_int_equal(timer_at(t0 + 2000, if_aup, ip), 1);
	/* The round ends unanswered: kept (pinned), asked again at once. */
	assert_int_equal(timer_at(t0 + 3000, if_aup, ip), 0);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	assert_int_equal(timer_at(t0 + 3100, if_aup, ip), 1);
	mac_make(&mac, 0, 77);
	arp_control_input(arp_pkt(if_aup, 2, &mac, ip,
				  iface_get(if_aup)->mac.addr_bytes,
				  IP(172, 16, 0, 1)), t0 + 3200);
	assert_true(route_nbr_mac(slot, &got));
	assert_memory_equal(got.addr_bytes, mac.addr_bytes, 6);
	assert_int_equal(timer_at(t0 + 5000, if_aup, ip), 0);
	/* Unpinned but resolved: it ages like a learned entry. */
	route_nbr_unpin(slot);
	route_nbr_unpin(slot);
	route_nbr_unpin(slot); /* one too many does nothing */
	assert_int_equal(nbr_lookup(if_aup, ip), slot);
	/* Pinned again and given up, then unpinned: deleted. */
	__atomic_store_n(&nbr_table[slot].mac_state, 0, __ATOMIC_RELEASE);
	assert_int_equal(route_nbr_pin(if_aup, ip), slot);
	route_nbr_unpin(slot);
	assert_int_equal(nbr_lookup(if_aup, ip), NBR_NONE);
	clk = t0 + 6000;
}

static void
test_nbr_aging(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 44);
	struct rte_ether_addr mac1, mac2;
	struct rte_mbuf *out[4];
	uint64_t t1 = clk, t2;
	uint32_t slot;

	(void)state;
	mac_make(&mac1, 0, 0x44);
	mac_make(&mac2, 1, 0x44);
	slot = nbr_get(if_a0, ip);
	nbr_learn(slot, &mac1, t1);
	assert_nbr(slot, NBR_REACHABLE, &mac1);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	/* Trusted for arp_timeout. */
	assert_int_equal(timer_at(t1 + 1000, if_a0, ip), 0);
	assert_int_equal(timer_at(t1 + ARP_TIMEOUT_MS - 1, if_a0, ip), 0);
	assert_nbr(slot, NBR_REACHABLE, &mac1);
	/* Then STALE: still usable with its MAC, and probed. */
	assert_int_equal(timer_at(t1 + ARP_TIMEOUT_MS, if_a0, ip), 1);
	assert_nbr(slot, NBR_STALE, &mac1);
	/* A packet for a STALE neighbour is not held. */
	nbr_hold(slot, ip_pkt(if_a0, ip, slot, 7), t1 + ARP_TIMEOUT_MS + 1);
	assert_int_equal(inject_take(out, 4), 1);
	assert_int_equal(ip_pkt_id(out[0]), 7);
	assert_int_equal(pkt_md(out[0])->flags & PKT_F_INJECT_L2, 0);
	rte_pktmbuf_free(out[0]);
	assert_int_equal(timer_at(t1 + ARP_TIMEOUT_MS + 500, if_a0, ip), 0);
	/* Answered: REACHABLE again, with the MAC of the answer. */
	t2 = t1 + ARP_TIMEOUT_MS + 600;
	nbr_learn(slot, &mac2, t2);
	assert_nbr(slot, NBR_REACHABLE, &mac2);
	assert_int_equal(timer_at(t2 + 1000, if_a0, ip), 0);
	assert_int_equal(timer_at(t2 + 2000, if_a0, ip), 0);
	assert_int_equal(timer_at(t2 + ARP_TIMEOUT_MS - 1, if_a0, ip), 0);
	assert_nbr(slot, NBR_REACHABLE, &mac2);
	/* Aged again and never answered: a plain host is forgotten. */
	assert_int_equal(timer_at(t2 + ARP_TIMEOUT_MS, if_a0, ip), 1);
	assert_nbr(slot, NBR_STALE, &mac2);
	assert_int_equal(timer_at(t2 + ARP_TIMEOUT_MS + 1000, if_a0, ip), 1);
	assert_int_equal(timer_at(t2 + ARP_TIMEOUT_MS + 2000, if_a0, ip), 1);
	assert_int_equal(timer_at(t2 + ARP_TIMEOUT_MS + 3000, if_a0, ip), 0);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	clk = t2 + ARP_TIMEOUT_MS + 3000;
}

/* A packet for a connected host with no entry yet, punted by a worker
 * (pkt_md.nbr = NBR_NONE) and picked up by route_control_poll(). */
static void
test_punt_glean(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 46);
	struct rte_ether_addr mac;
	struct rte_mbuf *out[4];
	uint32_t slot;

	(void)state;
	mac_make(&mac, 0, 0x46);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	assert_int_equal(rte_ring_enqueue(graph_punt_ring(),
					  ip_pkt(if_a0, ip, NBR_NONE, 46)), 0);
	route_control_poll(clk);
	assert_int_equal(rte_ring_count(graph_punt_ring()), 0);
	slot = nbr_lookup(if_a0, ip);
	assert_nbr(slot, NBR_INCOMPLETE, NULL);
	assert_int_equal(nbr_table[slot].n_hold, 1);
	assert_int_equal(requests_for(if_a0, ip), 1);
	nbr_learn(slot, &mac, clk + 1);
	assert_int_equal(inject_take(out, 4), 1);
	assert_int_equal(ip_pkt_id(out[0]), 46);
	rte_pktmbuf_free(out[0]);
}

/*
 * A worker punts a packet for an INCOMPLETE host entry (pkt_md.nbr =
 * its slot); before the management lcore dequeues it, the entry's round
 * ends and the entry, unreferenced, is deleted. The packet must not be
 * parked on the deleted slot: nbr_timer() skips slots not in use, so it
 * would wait there with no ARP request and no timer until the slot is
 * reused, when nbr_get()'s memset loses the mbuf for good.
 */
static void
test_punt_after_nbr_deleted(void **state)
{
	const uint32_t ip = IP(192, 168, 101, 45);
	struct rte_ether_addr mac;
	uint64_t t0 = clk;
	unsigned int sent;
	uint32_t slot;

	(void)state;
	mac_make(&mac, 0, 0x45);
	slot = nbr_get(if_a0, ip);
	nbr_hold(slot, ip_pkt(if_a0, ip, slot, 1), t0);
	assert_int_equal(requests_for(if_a0, ip), 1);
	assert_int_equal(timer_at(t0 + 1000, if_a0, ip), 1);
	assert_int_equal(timer_at(t0 + 2000, if_a0, ip), 1);
	/* The worker punts just before the round ends... */
	assert_int_equal(rte_ring_enqueue(graph_punt_ring(),
					  ip_pkt(if_a0, ip, slot, 2)), 0);
	/* ...which deletes the entry... */
	assert_int_equal(timer_at(t0 + 3000, if_a0, ip), 0);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
	assert_int_equal(in_use(), test_in_use + 1);
	/* ...then the management loop dequeues the packet. */
	route_control_poll(t0 + 3001);
	sent = requests_for(if_a0, ip);
	if (in_use() != test_in_use) {
		/* Kept: then on a live entry, with its request out. */
		slot = nbr_lookup(if_a0, ip);
		if (slot == NBR_NONE || sent != 1)
			fail_msg("late punted packet held on deleted neighbour "
				 "slot: lookup %s, %u ARP request(s) sent "
				 "(expected a live entry and 1)",
				 slot == NBR_NONE ? "NBR_NONE" : "ok", sent);
		assert_int_equal(nbr_table[slot].n_hold, 1);
	}
	/* Either way it is gone once the retries are over. */
	sent = timer_at(t0 + 4001, if_a0, ip);
	sent += timer_at(t0 + 5001, if_a0, ip);
	sent += timer_at(t0 + 6001, if_a0, ip);
	sent += timer_at(t0 + 7001, if_a0, ip);
	clk = t0 + 7001;
	assert_int_equal(in_use(), test_in_use);
	assert_int_equal(nbr_lookup(if_a0, ip), NBR_NONE);
}

/* ---- 3. ARP input ------------------------------------------------------- */

static void
assert_arp_reply(struct rte_mbuf *m, unsigned int ifx,
		 const struct rte_ether_addr *to, uint32_t tip)
{
	const struct iface *ifc = iface_get(ifx);
	uint8_t exp[64];
	size_t n;

	n = l2_expect(exp, ifx, to->addr_bytes);
	n += arp_expect(exp + n, 2, ifc->mac.addr_bytes, ifc->addr,
			to->addr_bytes, tip);
	assert_frame(m, exp, n, ifx);
}

static void
test_arp_request_for_us(void **state)
{
	const uint32_t sip = IP(192, 168, 101, 51);
	struct rte_ether_addr sha;
	struct rte_mbuf *m, *out[4];

	(void)state;
	mac_make(&sha, 0, 0x51);
	assert_int_equal(nbr_lookup(if_a0, sip), NBR_NONE);
	m = arp_pkt(if_a0, 1, &sha, sip, NULL, IP(192, 168, 101, 1));
	arp_control_input(m, clk);
	/* The reply, built in the same mbuf, padding trimmed. */
	assert_int_equal(inject_take(out, 4), 1);
	assert_ptr_equal(out[0], m);
	assert_arp_reply(out[0], if_a0, &sha, sip);
	rte_pktmbuf_free(out[0]);
	/* The asker was learned. */
	assert_nbr(nbr_lookup(if_a0, sip), NBR_REACHABLE, &sha);
	assert_int_equal(nbr_lookup(if_b0, sip), NBR_NONE);
}

/* Customer B asks the same question on VLAN 20, through the punt ring
 * and route_control_poll() as the management loop does. */
static void
test_arp_request_for_us_vlan(void **state)
{
	const uint32_t sip = IP(192, 168, 101, 51);
	struct rte_ether_addr sha_a, sha_b;
	struct rte_mbuf *m, *out[16];
	unsigned int n, i, replies = 0;

	(void)state;
	mac_make(&sha_a, 0, 0x51);
	mac_make(&sha_b, 2, 0x51);
	m = arp_pkt(if_b0, 1, &sha_b, sip, NULL, IP(192, 168, 101, 1));
	assert_int_equal(rte_ring_enqueue(graph_punt_ring(), m), 0);
	route_control_poll(clk);
	assert_int_equal(rte_ring_count(graph_punt_ring()), 0);
	while ((n = inject_take(out, 16)) > 0) {
		for (i = 0; i < n; i++) {
			if (out[i] == m) {
				assert_arp_reply(out[i], if_b0, &sha_b, sip);
				replies++;
			}
			rte_pktmbuf_free(out[i]);
		}
	}
	assert_int_equal(replies, 1);
	assert_nbr(nbr_lookup(if_b0, sip), NBR_REACHABLE, &sha_b);
	/* A's neighbour with the same address is another entry. */
	assert_nbr(nbr_lookup(if_a0, sip), NBR_REACHABLE, &sha_a);
	assert_int_not_equal(nbr_lookup(if_a0, sip), nbr_lookup(if_b0, sip));
}

static void
test_arp_not_learned(void **state)
{
	struct rte_ether_addr sha, sha2;
	struct rte_mbuf *m;

	(void)state;
	mac_make(&sha, 0, 0x52);
	/* A request for another host from an unknown sender: nothing. */
	m = arp_pkt(if_a0, 1, &sha, IP(192, 168, 101, 52), NULL,
		    IP(192, 168, 101, 99));
	arp_control_input(m, clk);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_int_equal(nbr_lookup(if_a0, IP(192, 168, 101, 52)), NBR_NONE);
	assert_int_equal(in_use(), test_in_use);
	/* Gratuitous ARP from an unknown host: nothing either. */
	m = arp_pkt(if_a0, 1, &sha, IP(192, 168, 101, 53), NULL,
		    IP(192, 168, 101, 53));
	arp_control_input(m, clk);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_int_equal(nbr_lookup(if_a0, IP(192, 168, 101, 53)), NBR_NONE);
	/* Someone claiming our own address is not a neighbour. */
	m = arp_pkt(if_a0, 1, &sha, IP(192, 168, 101, 1), NULL,
		    IP(192, 168, 101, 99));
	arp_control_input(m, clk);
	assert_int_equal(nbr_lookup(if_a0, IP(192, 168, 101, 1)), NBR_NONE);
	/* A request for us from off the subnet: not learned. */
	m = arp_pkt(if_a0, 1, &sha, IP(10, 9, 9, 9), NULL,
		    IP(192, 168, 101, 1));
	arp_control_input(m, clk);
	inject_flush();
	assert_int_equal(nbr_lookup(if_a0, IP(10, 9, 9, 9)), NBR_NONE);
	/* An unknown interface: freed, nothing else. */
	m = arp_pkt(if_a0, 1, &sha, IP(192, 168, 101, 54), NULL,
		    IP(192, 168, 101, 1));
	pkt_md(m)->in_iface = (uint16_t)iface_count();
	arp_control_input(m, clk);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_int_equal(in_use(), test_in_use);

	/* RFC 826: a sender we know is updated even when the request is
	 * for someone else; no reply. */
	mac_make(&sha2, 5, 0x51);
	m = arp_pkt(if_a0, 1, &sha2, IP(192, 168, 101, 51), NULL,
		    IP(192, 168, 101, 99));
	arp_control_input(m, clk);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_nbr(nbr_lookup(if_a0, IP(192, 168, 101, 51)), NBR_REACHABLE,
		   &sha2);
	/* A reply to us from an on-subnet host is learned, not answered. */
	m = arp_pkt(if_a0, 2, &sha, IP(192, 168, 101, 55),
		    iface_get(if_a0)->mac.addr_bytes, IP(192, 168, 101, 1));
	arp_control_input(m, clk);
	assert_int_equal(rte_ring_count(inject_ring()), 0);
	assert_nbr(nbr_lookup(if_a0, IP(192, 168, 101, 55)), NBR_REACHABLE,
		   &sha);
	assert_int_equal(in_use(), test_in_use);
}

/* An ARP reply resolves a neighbour with packets waiting. */
static void
test_arp_reply_resolves(void **state)
{
	const uint32_t ip = IP(172, 16, 0, 60);
	struct rte_ether_addr sha;
	struct rte_mbuf *out[4];
	uint32_t slot;

	(void)state;
	mac_make(&sha, 0, 0x60);
	slot = nbr_get(if_bup, ip);
	nbr_hold(slot, ip_pkt(if_bup, ip, slot, 60), clk);
	assert_int_equal(requests_for(if_bup, ip), 1);
	arp_control_input(arp_pkt(if_bup, 2, &sha, ip,
				  iface_get(if_bup)->mac.addr_bytes,
				  IP(172, 16, 0, 1)), clk + 5);
	assert_nbr(slot, NBR_REACHABLE, &sha);
	assert_int_equal(inject_take(out, 4), 1);
	assert_int_equal(ip_pkt_id(out[0]), 60);
	assert_int_equal(pkt_md(out[0])->flags & PKT_F_INJECT_L2, 0);
	rte_pktmbuf_free(out[0]);
	assert_int_equal(nbr_lookup(if_aup, ip), NBR_NONE);
}

/* A tunnel's outer route (route_out.c): resolved once, reused while the
 * epoch holds, resolved again after a FIB change or a neighbour slot
 * added or deleted; only the plain cases are resolved. */
static void
test_out4_cache(void **state)
{
	const uint32_t gw = IP(172, 16, 0, 20), dst = IP(10, 9, 9, 9);
	const uint32_t peer = IP(192, 168, 101, 77);
	struct route_out4 o = { .epoch = 0 };
	struct rte_ether_addr mac;
	struct route_out_l2 l2;
	uint32_t e = route_epoch_read();

	(void)state;
	mac_make(&mac, 2, 0x40);
	assert_int_not_equal(e, 0);
	assert_false(route_out4_get(&o, (uint16_t)vrf_a, dst, e)); /* no route */
	assert_int_equal(route_add(vrf_a, IP(10, 9, 0, 0), 16, ROUTE_VIA, gw,
				   if_aup), 0);
	/* the entry is still of the old epoch: kept as it was */
	assert_false(route_out4_get(&o, (uint16_t)vrf_a, dst, e));
	assert_int_not_equal(route_epoch_read(), e);
	e = route_epoch_read();
	assert_true(route_out4_get(&o, (uint16_t)vrf_a, dst, e));
	assert_int_equal(o.iface, if_aup);
	assert_int_equal(o.nbr, nbr_lookup(if_aup, gw));
	assert_false(route_out4_l2(&o, &l2)); /* gateway unresolved */
	assert_int_equal(nbr_add_static(if_aup, gw, &mac), 0);
	assert_true(route_out4_l2(&o, &l2));
	assert_int_equal(l2.len, iface_l2_len(iface_get(if_aup))); /* 802.1Q */
	assert_int_equal(l2.iface, if_aup);
	assert_int_equal(l2.port, 1);
	assert_int_equal(l2.mtu, iface_get(if_aup)->mtu);
	assert_memory_equal(l2.hdr, mac.addr_bytes, 6);
	assert_memory_equal(l2.hdr + 6, &mac_p1, 6);
	/* a blackhole over it: the next epoch's answer is no */
	assert_int_equal(route_add(vrf_a, dst, 32, ROUTE_BLACKHOLE, 0, 0), 0);
	assert_false(route_out4_get(&o, (uint16_t)vrf_a, dst,
				    route_epoch_read()));
	assert_int_equal(route_del(vrf_a, dst, 32), 0);
	/* a connected destination: its slot once it has one */
	e = route_epoch_read();
	assert_false(route_out4_get(&o, (uint16_t)vrf_a, peer, e));
	assert_int_equal(nbr_add_static(if_a0, peer, &mac), 0);
	assert_int_not_equal(route_epoch_read(), e);
	e = route_epoch_read();
	assert_true(route_out4_get(&o, (uint16_t)vrf_a, peer, e));
	assert_int_equal(o.nbr, nbr_lookup(if_a0, peer));
	assert_true(route_out4_l2(&o, &l2));
	assert_int_equal(l2.port, 0);
	assert_int_equal(nbr_del_static(if_a0, peer), 0);
	assert_int_not_equal(route_epoch_read(), e);
	assert_false(route_out4_get(&o, (uint16_t)vrf_a, peer,
				    route_epoch_read()));
	assert_int_equal(route_del(vrf_a, IP(10, 9, 0, 0), 16), 0);
	assert_int_equal(nbr_del_static(if_aup, gw), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
		T(test_built),
		T(test_fib_connected_local),
		T(test_fib_config_routes),
		T(test_fib_overlap_two_vrfs),
		T(test_fib_default_route),
		T(test_route_add_errors),
		T(test_vrf_capacity),
		T(test_nbr_static),
		T(test_nbr_static_over_learned),
		T(test_nbr_get_incomplete),
		T(test_nbr_hold_request_learn),
		T(test_nbr_request_vlan),
		T(test_nbr_retries_give_up),
		T(test_nbr_give_up_referenced),
		T(test_nbr_aging),
		T(test_nbr_pinned_probed),
		T(test_punt_glean),
		T(test_punt_after_nbr_deleted),
		T(test_arp_request_for_us),
		T(test_arp_request_for_us_vlan),
		T(test_arp_not_learned),
		T(test_arp_reply_resolves),
		T(test_out4_cache),
#undef T
	};

	return cmocka_run_group_tests_name("route", tests, group_setup,
					   group_teardown);
}
