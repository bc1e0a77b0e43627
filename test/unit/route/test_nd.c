/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route's IPv6 tables on a data plane built in-process (EAL without
 * hugepages, one net_null port, no worker launched), as test_route.c
 * does for IPv4: the tests play the management lcore and read what it
 * hands to worker 0 off its inject ring.
 *
 *   if  name  port  address6           (link-local from 02:00:00:00:00:01)
 *   0   a     p0    2001:db8:1::1/64
 *   1   b     p0    2001:db8:2::1/64   VLAN 20
 *
 * Covered: the FIB as set up (connected, local, static routes; replace
 * and delete), the ND state machine (INCOMPLETE -> solicitation ->
 * REACHABLE on a solicited advertisement -> STALE -> unicast probes ->
 * given up), held packets released, answers to solicitations for
 * ferry's addresses, and duplicate address detection. Time is virtual;
 * each test ends with the mempool's in-use count where it started.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "config.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "route6_priv.h"

static const char config_text[] =
	"buffers = { mbufs = 1023; cache = 32; };\n"
	"ports = ( { name = \"p0\"; device = \"net_null0,no-rx=1\";"
	"  mac = \"02:00:00:00:00:01\"; } );\n"
	"interfaces = (\n"
	"  { name = \"a\"; port = \"p0\"; address6 = \"2001:db8:1::1/64\"; },\n"
	"  { name = \"b\"; port = \"p0\"; vlan = 20;"
	"    address6 = \"2001:db8:2::1/64\"; }\n"
	");\n"
	"vrfs = ( { name = \"default\"; id = 0; routes6 = (\n"
	"  { prefix = \"2001:db8:99::/48\"; via = \"2001:db8:2::9\"; },\n"
	"  { prefix = \"2001:db8:dead::/48\"; blackhole = true; } ); } );\n"
	"ip6 = { nd_reachable = 30; nd_retries = 3; nd_hold = 2;"
	"  max_neighbours = 64; dad_ms = 1000; };\n"
	"workers = ( { lcore = 1; rx = ( \"p0:0\" ); } );\n";

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section,    &iface_cfg_section,
	&vrf_cfg_section,     &nbr_cfg_section,	    &ip_cfg_section,
	&ip6_cfg_section,     &workers_cfg_section,
};

#define ND_NS 135
#define ND_NA 136

static struct cfg_model *model;
static bool dp_ports, dp_graph, dp_route;
static unsigned int test_in_use;
static uint64_t clk = 1000000;
static uint8_t gw_a[16], gw_b[16], host_a[16], via_b[16];

static unsigned int
in_use(void)
{
	return rte_mempool_in_use_count(port_mempool());
}

static unsigned int
inject_take(struct rte_mbuf **pkts, unsigned int max)
{
	return rte_ring_dequeue_burst(graph_worker(0)->inject, (void **)pkts,
				      max, NULL);
}

static unsigned int
inject_flush(void)
{
	struct rte_mbuf *m[32];
	unsigned int n, i, total = 0;

	while ((n = inject_take(m, 32)) > 0) {
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(m[i]);
		total += n;
	}
	return total;
}

static void
ip6(uint8_t a[16], const char *s)
{
	assert_int_equal(cfg_parse_ipv6(s, a), 0);
}

/* The ND message of an injected frame (complete L2 frame), or NULL. */
static const uint8_t *
nd_of(struct rte_mbuf *m, uint8_t type, const struct rte_ipv6_hdr **ip)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t l2 = p[12] == 0x81 ? 18 : 14;

	if (!(pkt_md(m)->flags & PKT_F_INJECT_L2) || m->data_len < l2 + 40 + 24)
		return NULL;
	*ip = (const struct rte_ipv6_hdr *)(p + l2);
	if ((*ip)->proto != 58 || p[l2 + 40] != type)
		return NULL;
	return p + l2 + 40;
}

/* Take the injected frames: count the ND messages of @p type whose
 * target is @p tgt (checking hop limit and checksum), free everything. */
static unsigned int
nd_sent(uint8_t type, const uint8_t *tgt, bool *multicast)
{
	struct rte_mbuf *m[32];
	const struct rte_ipv6_hdr *ip;
	unsigned int n, i, count = 0;

	while ((n = inject_take(m, 32)) > 0) {
		for (i = 0; i < n; i++) {
			const uint8_t *nd = nd_of(m[i], type, &ip);
			uint32_t len;

			if (nd != NULL && memcmp(nd + 8, tgt, 16) == 0) {
				len = rte_be_to_cpu_16(ip->payload_len);
				assert_int_equal(ip->hop_limits, 255);
				assert_int_equal(icmp6_cksum(ip, nd, len), 0);
				if (multicast != NULL)
					*multicast = ip->dst_addr[0] == 0xff;
				count++;
			}
			rte_pktmbuf_free(m[i]);
		}
	}
	return count;
}

/* A received ND message on @p ifx (data at the IPv6 header), as
 * ferry_ip6_local punts it. @p lla_type 0: no option. */
static struct rte_mbuf *
nd_msg(uint16_t ifx, uint8_t type, uint8_t flags, const uint8_t *src,
       const uint8_t *dst, const uint8_t *tgt, uint8_t lla_type,
       const uint8_t *mac)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	uint32_t plen = 24 + (lla_type ? 8 : 0);
	struct rte_ipv6_hdr *ip;
	uint8_t *icmp;

	assert_non_null(m);
	ip = (struct rte_ipv6_hdr *)rte_pktmbuf_append(m, 40 + plen);
	assert_non_null(ip);
	memset(ip, 0, 40 + plen);
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(plen);
	ip->proto = 58;
	ip->hop_limits = 255;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	icmp = (uint8_t *)(ip + 1);
	icmp[0] = type;
	icmp[4] = flags;
	memcpy(icmp + 8, tgt, 16);
	if (lla_type) {
		icmp[24] = lla_type;
		icmp[25] = 1;
		memcpy(icmp + 26, mac, 6);
	}
	*(uint16_t *)(icmp + 2) = icmp6_cksum(ip, icmp, plen);
	memset(pkt_md(m), 0, sizeof(struct pkt_md));
	pkt_md(m)->in_iface = ifx;
	m->packet_type = RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_ICMP;
	return m;
}

/* An IPv6 packet to @p dst waiting for its neighbour on @p ifx. */
static struct rte_mbuf *
held_pkt(uint16_t ifx, const uint8_t *dst, uint32_t slot)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	struct rte_ipv6_hdr *ip;
	char *p;

	assert_non_null(m);
	p = rte_pktmbuf_append(m, 48);
	if (p == NULL) {
		fail();
		return m;
	}
	memset(p, 0, 48);
	ip = (struct rte_ipv6_hdr *)(void *)p;
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(8);
	ip->proto = 17;
	ip->hop_limits = 63;
	memcpy(ip->dst_addr, dst, 16);
	memset(pkt_md(m), 0, sizeof(struct pkt_md));
	pkt_md(m)->out_iface = ifx;
	pkt_md(m)->nbr = slot;
	m->packet_type = RTE_PTYPE_L3_IPV6;
	return m;
}

static enum nbr_state
nd_state(uint32_t slot)
{
	return nbr_word_state(
		__atomic_load_n(&nd_table[slot].mac_state, __ATOMIC_ACQUIRE));
}

/* ---- setup -------------------------------------------------------------- */

static int
group_setup(void **state)
{
	static const char *const vdevs[] = {"--vdev", "net_null0,no-rx=1"};
	struct cfg_diag diag = {0};
	const struct cfg_array *workers;
	unsigned int i;

	(void)state;
	if (eal_test_start("nd", vdevs, 2) < 0)
		return -1;
	if (cfg_load_string("test_nd.cfg", config_text, sections,
			    sizeof(sections) / sizeof(sections[0]), &model,
			    &diag) < 0) {
		for (i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.msg[i]);
		cfg_diag_free(&diag);
		return -1;
	}
	workers = cfg_model_section(model, "workers");
	if (pkt_init() < 0 || port_setup(model, workers->n) < 0)
		return -1;
	dp_ports = true;
	if (graph_workers_init(model) < 0)
		return -1;
	dp_graph = true;
	if (iface_setup(model) < 0 || route_setup(model) < 0 ||
	    cfg_txn_start(model, NULL) < 0)
		return -1;
	dp_route = true;
	cfg_parse_ipv6("2001:db8:1::1", gw_a);
	cfg_parse_ipv6("2001:db8:2::1", gw_b);
	cfg_parse_ipv6("2001:db8:1::10", host_a);
	cfg_parse_ipv6("2001:db8:2::9", via_b);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (dp_route) {
		inject_flush();
		route_teardown();
	}
	if (dp_graph)
		graph_teardown();
	if (dp_ports)
		port_teardown();
	cfg_model_free(model);
	eal_test_stop();
	return 0;
}

static int
test_setup(void **state)
{
	(void)state;
	test_in_use = in_use();
	return 0;
}

static int
test_teardown(void **state)
{
	(void)state;
	inject_flush();
	assert_int_equal(in_use(), test_in_use);
	clk += 10;
	return 0;
}

/* ---- tests ----------------------------------------------------------------
 */

/* DAD runs first (group setup): one NS from :: per address, and no
 * answer for an address while it is tentative. */
static void
test_dad(void **state)
{
	uint8_t unspec[16] = {0}, sn[16], ll[16], h[16];
	bool mc = false;

	(void)state;
	ip6(h, "2001:db8:1::20");
	/* both addresses of each interface are solicited from :: */
	nd_dad_start(clk);
	assert_int_equal(nd_sent(ND_NS, gw_a, &mc), 1);
	assert_true(mc);
	memcpy(ll, iface_get(0)->ll6, 16);
	assert_false(nd_addr_ours(0, gw_a));
	ip6_solicited_node(sn, gw_a);
	/* a solicitation for a tentative address is not answered */
	nd_control_input(nd_msg(0, ND_NS, 0, h, sn, gw_a, 1,
				(const uint8_t *)"\x02\xaa\0\0\0\x20"),
			 clk);
	assert_int_equal(nd_sent(ND_NA, gw_a, NULL), 0);
	/* another node's DAD probe for the link-local: a conflict */
	ip6_solicited_node(sn, ll);
	nd_control_input(nd_msg(0, ND_NS, 0, unspec, sn, ll, 0, NULL), clk);
	nd_dad_timer(clk + 1000);
	assert_true(nd_addr_ours(0, gw_a));
	assert_true(nd_addr_ours(1, gw_b));
	assert_false(nd_addr_ours(0, ll)); /* duplicate for good */
	nd_control_input(nd_msg(0, ND_NS, 0, h, sn, ll, 1,
				(const uint8_t *)"\x02\xaa\0\0\0\x20"),
			 clk);
	assert_int_equal(nd_sent(ND_NA, ll, NULL), 0);
}

static void
test_fib_as_built(void **state)
{
	uint8_t a[16];

	(void)state;
	assert_true(route6_exists(0, gw_a, 128));
	assert_int_equal(fib6_lookup_one(0, gw_a), ADJ6_LOCAL);
	assert_int_equal(adj6_table[fib6_lookup_one(0, host_a)].type,
			 ADJ_T_GLEAN);
	ip6(a, "2001:db8:99:1::5");
	assert_int_equal(adj6_table[fib6_lookup_one(0, a)].type, ADJ_T_NEXTHOP);
	assert_memory_equal(adj6_table[fib6_lookup_one(0, a)].gw, via_b, 16);
	assert_int_equal(adj6_table[fib6_lookup_one(0, a)].iface, 1);
	ip6(a, "2001:db8:dead::1");
	assert_int_equal(fib6_lookup_one(0, a), ADJ6_BLACKHOLE);
	ip6(a, "2001:db8:77::1");
	assert_int_equal(fib6_lookup_one(0, a), ADJ6_NO_ROUTE);
}

static void
test_route_replace_delete(void **state)
{
	uint8_t p[16], d[16];

	(void)state;
	ip6(p, "2001:db8:50::");
	ip6(d, "2001:db8:50:1:2::3");
	assert_int_equal(route6_add(0, p, 48, ROUTE_VIA, via_b, 1), 0);
	assert_int_equal(adj6_table[fib6_lookup_one(0, d)].type, ADJ_T_NEXTHOP);
	/* replaced in one step by a blackhole, then a longer prefix */
	assert_int_equal(route6_add(0, p, 48, ROUTE_BLACKHOLE, NULL, 0), 0);
	assert_int_equal(fib6_lookup_one(0, d), ADJ6_BLACKHOLE);
	assert_int_equal(route6_add(0, d, 128, ROUTE_VIA, via_b, 1), 0);
	assert_int_equal(adj6_table[fib6_lookup_one(0, d)].type, ADJ_T_NEXTHOP);
	assert_int_equal(route6_del(0, d, 128), 0);
	assert_int_equal(fib6_lookup_one(0, d), ADJ6_BLACKHOLE);
	assert_int_equal(route6_del(0, p, 48), 0);
	assert_int_equal(fib6_lookup_one(0, d), ADJ6_NO_ROUTE);
	assert_int_equal(route6_del(0, p, 48), -ENOENT);
	/* host bits set, length past 128, unknown VRF */
	assert_int_equal(route6_add(0, d, 48, ROUTE_BLACKHOLE, NULL, 0),
			 -EINVAL);
	assert_int_equal(route6_add(0, p, 129, ROUTE_BLACKHOLE, NULL, 0),
			 -EINVAL);
	assert_int_equal(route6_add(7, p, 48, ROUTE_BLACKHOLE, NULL, 0),
			 -EINVAL);
}

/* INCOMPLETE -> NS (multicast) -> solicited NA -> REACHABLE, and the
 * held packets go back to a worker; one over nd_hold is dropped. */
static void
test_resolve_and_release(void **state)
{
	static const uint8_t mac[6] = {2, 0xaa, 0, 0, 0, 0x10};
	struct rte_mbuf *out[8];
	uint32_t slot;
	bool mc = false;
	uint64_t full = graph_control_drops(DROP_ND_HOLD_FULL);

	(void)state;
	slot = nd_get(0, host_a);
	assert_int_not_equal(slot, NBR_NONE);
	assert_int_equal(nd_state(slot), NBR_INCOMPLETE);
	nd_hold(slot, held_pkt(0, host_a, slot), clk);
	nd_hold(slot, held_pkt(0, host_a, slot), clk);
	nd_hold(slot, held_pkt(0, host_a, slot), clk);
	assert_int_equal(graph_control_drops(DROP_ND_HOLD_FULL), full + 1);
	assert_int_equal(nd_sent(ND_NS, host_a, &mc), 1);
	assert_true(mc);
	nd_control_input(nd_msg(0, ND_NA, 0x60, host_a, gw_a, host_a, 2, mac),
			 clk + 3);
	assert_int_equal(nd_state(slot), NBR_REACHABLE);
	assert_memory_equal(&nd_table[slot].mac_state, mac, 6);
	assert_int_equal(inject_take(out, 8), 2);
	assert_true(RTE_ETH_IS_IPV6_HDR(out[0]->packet_type));
	assert_int_equal(pkt_md(out[0])->flags & PKT_F_INJECT_L2, 0);
	rte_pktmbuf_free(out[0]);
	rte_pktmbuf_free(out[1]);
}

/* REACHABLE -> STALE after nd_reachable; unicast probes; a host entry
 * nobody routes through is deleted after nd_retries unanswered. */
static void
test_stale_probe_give_up(void **state)
{
	uint32_t slot = nd_lookup(0, host_a);
	bool mc = true;
	uint64_t t = clk + 31000;
	unsigned int i;

	(void)state;
	assert_int_not_equal(slot, NBR_NONE);
	nd_timer(clk + 1000);
	assert_int_equal(nd_state(slot), NBR_REACHABLE);
	nd_timer(t);
	assert_int_equal(nd_state(slot), NBR_STALE);
	assert_int_equal(nd_sent(ND_NS, host_a, &mc), 1);
	assert_false(mc); /* RFC 4861 7.3.3: unicast probe */
	for (i = 1; i < 3; i++) {
		nd_timer(t + 1000 * i);
		assert_int_equal(nd_sent(ND_NS, host_a, NULL), 1);
	}
	nd_timer(t + 3000);
	assert_int_equal(nd_lookup(0, host_a), NBR_NONE);
	clk = t + 4000;
}

/* A solicitation for ferry's address: answered with a solicited,
 * override, router advertisement carrying ferry's MAC; the asker is
 * learned STALE. Malformed ones are counted. */
static void
test_answer_solicitation(void **state)
{
	static const uint8_t mac[6] = {2, 0xaa, 0, 0, 0, 0x11};
	struct rte_mbuf *out[4];
	const struct rte_ipv6_hdr *ip;
	const uint8_t *na;
	uint8_t sn[16], h[16];
	uint64_t bad = graph_control_drops(DROP_ND_MALFORMED);
	uint64_t other = graph_control_drops(DROP_ND_NOT_FOR_US);
	uint32_t slot;

	(void)state;
	ip6(h, "2001:db8:1::11");
	ip6_solicited_node(sn, gw_a);
	nd_control_input(nd_msg(0, ND_NS, 0, h, sn, gw_a, 1, mac), clk);
	assert_int_equal(inject_take(out, 4), 1);
	na = nd_of(out[0], ND_NA, &ip);
	assert_non_null(na);
	assert_int_equal(na[4], 0xe0);
	assert_memory_equal(ip->dst_addr, h, 16);
	assert_memory_equal(ip->src_addr, gw_a, 16);
	assert_int_equal(na[24], 2);
	assert_memory_equal(na + 26, iface_get(0)->mac.addr_bytes, 6);
	rte_pktmbuf_free(out[0]);
	slot = nd_lookup(0, h);
	assert_int_not_equal(slot, NBR_NONE);
	assert_int_equal(nd_state(slot), NBR_STALE);
	/* hop limit below 255: refused (RFC 4861 7.1.1) */
	out[0] = nd_msg(0, ND_NS, 0, h, sn, gw_a, 1, mac);
	rte_pktmbuf_mtod(out[0], struct rte_ipv6_hdr *)->hop_limits = 254;
	nd_control_input(out[0], clk);
	assert_int_equal(graph_control_drops(DROP_ND_MALFORMED), bad + 1);
	/* for an address that is not ferry's */
	nd_control_input(nd_msg(0, ND_NS, 0, h, sn, host_a, 1, mac), clk);
	assert_int_equal(graph_control_drops(DROP_ND_NOT_FOR_US), other + 1);
	assert_int_equal(inject_flush(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
		T(test_dad),
		T(test_fib_as_built),
		T(test_route_replace_delete),
		T(test_resolve_and_release),
		T(test_stale_probe_give_up),
		T(test_answer_solicitation),
#undef T
	};

	return cmocka_run_group_tests_name("nd", tests, group_setup,
					   group_teardown);
}
