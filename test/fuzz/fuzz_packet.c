/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the whole packet path. ferry's data plane is built
 * in-process on three ring-backed ethdevs (rte_eth_from_rings: a receive
 * ring the fuzzer fills, a transmit ring it drains) from a fixed config
 * with two VRFs sharing 192.168.101.0/24, VLAN subinterfaces, static and
 * learned neighbours, a blackhole, a small MTU and MPLS (VPN labels per
 * VRF and per prefix, LSPs with two labels and with none, swap, pop and
 * pop-lookup LFIB entries), an ACL on "a" that denies, marks DSCP,
 * class and MPLS TC (lib/classify), and egress QoS on port c (a
 * scheduler with nested classes, DSCP-mapped, a policer that remarks
 * and drops). Each input is one
 * frame (first byte: the port it arrives on; IPv6 on "a" and "c", with
 * a static neighbour, a default route and a blackhole); the worker graph is walked
 * on this thread and the management side (ARP, timers) is polled between
 * walks, with the clock advancing so retries and aging run too.
 * After each input every mbuf must be back in the pool, except those
 * held on neighbours waiting for ARP or ND: a leaked mbuf aborts.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_graph_worker.h>
#include <rte_mbuf.h>

#include "graph.h"
#include "iface.h"
#include "ipsec.h"
#include "mpls.h"
#include "classify.h"
#include "vxlan.h"
#include "pkt.h"
#include "port.h"
#include "qos.h"
#include "route.h"
#include "route6_priv.h"
#include "sections.h"

#define FZ_PORTS 3
#define FZ_WALKS 4

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fz_config[] =
	"ports = (\n"
	" { name = \"a\"; device = \"net_ring_fz0\"; mac = \"02:00:00:00:00:10\"; },\n"
	" { name = \"b\"; device = \"net_ring_fz1\"; mac = \"02:00:00:00:00:11\"; },\n"
	" { name = \"c\"; device = \"net_ring_fz2\"; mac = \"02:00:00:00:00:12\";\n"
	"   mtu = 1500; } );\n"
	"interfaces = (\n"
	" { name = \"a\"; port = \"a\"; address = \"192.168.101.1/24\";\n"
	"   address6 = \"2001:db8:a::1/64\"; vrf = \"ca\"; },\n"
	" { name = \"b\"; port = \"b\"; address = \"192.168.101.1/24\";\n"
	"   vrf = \"cb\"; },\n"
	" { name = \"c.10\"; port = \"c\"; vlan = 10; address = \"10.0.10.1/30\";\n"
	"   vrf = \"ca\"; mtu = 600; },\n"
	" { name = \"c.20\"; port = \"c\"; vlan = 20; address = \"10.0.20.1/30\";\n"
	"   vrf = \"cb\"; },\n"
	" { name = \"c\"; port = \"c\"; address = \"172.16.0.1/24\";\n"
	"   address6 = \"2001:db8:c::1/64\"; },\n"
	" { name = \"c.30\"; port = \"c\"; vlan = 30; },\n"
	" { name = \"c.31\"; port = \"c\"; vlan = 31; } );\n"
	"vrfs = (\n"
	" { name = \"ca\"; id = 1; routes = (\n"
	"   { prefix = \"0.0.0.0/0\"; via = \"10.0.10.2\"; },\n"
	"   { prefix = \"198.51.100.0/24\"; blackhole = true; },\n"
	"   { prefix = \"203.0.113.0/24\"; via = \"192.168.101.254\"; } ); },\n"
	" { name = \"cb\"; id = 2; routes = (\n"
	"   { prefix = \"10.20.0.0/16\"; via = \"10.0.20.2\"; } ); },\n"
	" { name = \"default\"; id = 0; routes = (\n"
	"   { prefix = \"0.0.0.0/0\"; via = \"172.16.0.9\"; } );\n"
	"   routes6 = ( { prefix = \"::/0\"; via = \"2001:db8:c::9\"; },\n"
	"   { prefix = \"2001:db8:dead::/48\"; blackhole = true; } ); } );\n"
	"neighbours6 = ( { interface = \"c\"; address = \"2001:db8:c::9\";\n"
	"   mac = \"02:00:00:00:cc:09\"; } );\n"
	"ip6 = { nd_reachable = 1; nd_retries = 2; nd_hold = 2; dad_ms = 0; };\n"
	"neighbours = (\n"
	" { interface = \"c.10\"; address = \"10.0.10.2\";\n"
	"   mac = \"02:00:00:00:aa:01\"; },\n"
	" { interface = \"a\"; address = \"192.168.101.10\";\n"
	"   mac = \"02:00:00:00:01:0a\"; } );\n"
	"ip = { arp_timeout = 1; arp_retries = 2; arp_hold = 2;\n"
	"       icmp_rate = 1000000; max_neighbours = 256; };\n"
	"buffers = { mbufs = 4095; cache = 0; };\n"
	"workers = ( { lcore = 1; rx = ( \"a:0\", \"b:0\", \"c:0\" ); } );\n"
	"eal = { lcores = \"0-1\"; huge = false; };\n"
	"mpls = { interfaces = ( \"c\", \"c.20\" );\n"
	" tc_map = ( { dscp = 46; tc = 5; } );\n"
	" vrfs = ( { vrf = \"ca\"; rd = \"65000:1\"; label = 1001; },\n"
	"   { vrf = \"cb\"; rd = \"65000:2\"; label_mode = \"per-prefix\";\n"
	"     ttl_mode = \"pipe\";\n"
	"     tc_copy_on_pop = true; prefix_labels = (\n"
	"     { prefix = \"192.168.101.0/24\"; label = 1102; } ); } );\n"
	" lsps = ( { pe = \"10.255.0.2\"; interface = \"c\"; via = \"172.16.0.9\";\n"
	"   labels = \"16002/16003\"; },\n"
	"   { pe = \"10.255.0.3\"; interface = \"c\"; via = \"172.16.0.8\";\n"
	"   labels = \"implicit-null\"; } );\n"
	" vpn_routes = ( { vrf = \"ca\"; prefix = \"192.0.2.0/24\";\n"
	"   pe = \"10.255.0.2\"; label = 2001; },\n"
	"   { vrf = \"cb\"; prefix = \"192.0.2.0/24\"; pe = \"10.255.0.3\";\n"
	"   label = 2002; } );\n"
	" lfib = ( { label = 24001; action = \"pop\"; },\n"
	"   { label = 24002; action = \"swap\"; out_labels = \"24003/24004\";\n"
	"     interface = \"c\"; via = \"172.16.0.9\"; },\n"
	"   { label = 24005; action = \"pop-lookup\"; vrf = \"cb\"; } ); };\n"
	"acls = ( { name = \"fz\"; interfaces = ( \"a\" ); rules = (\n"
	" { proto = \"udp\"; dport = \"9-19\"; action = \"deny\"; },\n"
	" { proto = \"tcp\"; sport = \"1024-65535\"; dport = \"80\";\n"
	"   set_dscp = \"af41\"; set_tc = \"3\"; class = 2; },\n"
	" { src = \"192.168.101.0/25\"; dscp = \"ef\"; set_tc = \"5\"; } ); } );\n"
	"vxlan = { local = \"172.16.0.1\"; ttl_mode = \"copy\";\n"
	" dscp_mode = \"copy\";\n"
	" bridge_domains = ( { id = 1; vni = 42; interfaces = ( \"c.30\", \"c.31\" );\n"
	"   flood = ( \"172.16.0.9\", \"172.16.0.7\" ); mac_limit = 8; aging = 2;\n"
	"   static_macs = ( { mac = \"02:00:00:00:5a:01\";\n"
	"     remote = \"172.16.0.9\"; } ); } );\n"
	" l3_vnis = ( { vni = 5001; vrf = \"cb\"; } );\n"
	" tunnel_routes = ( { vrf = \"ca\"; prefix = \"192.0.3.0/24\";\n"
	"   remote = \"172.16.0.9\"; vni = 5001;\n"
	"   inner_mac = \"02:00:00:00:0a:33\"; } ); };\n"
	"qos = { policers = ( { name = \"p\"; type = \"srtcm\"; cir = 8000;\n"
	"   cbs = 3000; ebs = 3000; yellow = \"remark\"; yellow_dscp = 10; } );\n"
	" ports = ( { port = \"c\"; rate = 10000000000L; default_class = 1;\n"
	"   classes = ( { id = 1; rate = 4000000000L; },\n"
	"     { id = 2; rate = 4000000000L; },\n"
	"     { id = 3; parent = 2; rate = 1000000000L; dscp = [ \"46\" ];\n"
	"       policer = \"p\"; },\n"
	"     { id = 4; parent = 2; rate = 3000000000L; dscp = [ \"0\" ]; } ); } ); };\n"
	/* ESP from 172.16.0.9 to c (GCM; CBC+SHA1 with ESN), into ca */
	"ipsec = { sas = (\n"
	" { spi = 4097; direction = \"in\"; local = \"172.16.0.1\";\n"
	"   remote = \"172.16.0.9\"; inner_vrf = \"ca\";\n"
	"   algorithm = \"aes-gcm-128\";\n"
	"   key = \"000102030405060708090a0b0c0d0e0f\"; salt = \"cafebabe\"; },\n"
	" { spi = 4098; direction = \"in\"; local = \"172.16.0.1\";\n"
	"   remote = \"172.16.0.9\"; inner_vrf = \"ca\"; esn = true;\n"
	"   algorithm = \"aes-cbc-128-sha1\";\n"
	"   key = \"000102030405060708090a0b0c0d0e0f\";\n"
	"   auth_key = \"000102030405060708090a0b0c0d0e0f10111213\"; },\n"
	" { spi = 4099; direction = \"out\"; local = \"172.16.0.1\";\n"
	"   remote = \"172.16.0.9\"; inner_vrf = \"ca\"; nat_t = true;\n"
	"   algorithm = \"aes-gcm-128\";\n"
	"   key = \"000102030405060708090a0b0c0d0e0f\"; salt = \"cafebabe\";\n"
	"   lifetime = { hard_packets = 1000000; }; } );\n"
	" routes = ( { vrf = \"ca\"; prefix = \"100.64.0.0/10\"; sa = 4099; } );\n"
	" spd = ( { direction = \"in\"; src = \"10.9.0.0/16\";\n"
	"   action = \"discard\"; } ); };\n";

static struct rte_ring *rx_ring[FZ_PORTS], *tx_ring[FZ_PORTS];
static struct rte_graph *graph;
static uint64_t now_ms = 1000;
static unsigned int pool_idle;

static void
fz_die(const char *what)
{
	fprintf(stderr, "fuzz_packet: %s\n", what);
	abort();
}

/* libFuzzer exits without a teardown: leave no EAL runtime directory
 * (/var/run/dpdk/fuzzpkt<pid>) behind, as ferry itself does not. */
static void
fz_runtime_dir_remove(void)
{
	char path[PATH_MAX + 256], dir[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void
fz_eal(const char *argv0)
{
	char prefix[64];
	char *args[] = { (char *)argv0, "--no-huge", "-m", "1024",
			 "--no-shconf", "--no-pci", "-l", "0", "--file-prefix",
			 prefix, "--log-level", "error", "--no-telemetry" };

	snprintf(prefix, sizeof(prefix), "fuzzpkt%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(args), args) < 0)
		fz_die("EAL");
	atexit(fz_runtime_dir_remove);
}

static void
fz_ports(void)
{
	char name[32];
	int i;

	for (i = 0; i < FZ_PORTS; i++) {
		snprintf(name, sizeof(name), "fzrx%d", i);
		rx_ring[i] = rte_ring_create(name, 1024, 0,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "fztx%d", i);
		tx_ring[i] = rte_ring_create(name, 1024, 0,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		/* the ring PMD names the ethdev "net_ring_<name>" */
		snprintf(name, sizeof(name), "fz%d", i);
		if (rx_ring[i] == NULL || tx_ring[i] == NULL ||
		    rte_eth_from_rings(name, &rx_ring[i], 1, &tx_ring[i], 1,
				       0) < 0)
			fz_die("ring ports");
	}
}

static void
fz_dataplane(void)
{
	struct cfg_model *m = NULL;
	struct cfg_diag d = { 0 };

	if (cfg_load_string("fuzz.cfg", fz_config, ferry_sections,
			    FERRY_N_SECTIONS, &m, &d) != 0) {
		fprintf(stderr, "%s\n", d.n ? d.msg[0] : "?");
		fz_die("config");
	}
	if (pkt_init() < 0 || port_setup(m, 1) < 0 ||
	    graph_workers_init(m) < 0 || iface_setup(m) < 0 ||
	    route_setup(m) < 0 || mpls_setup(m) < 0 ||
	    classify_setup(m) < 0 || vxlan_setup(m) < 0 || qos_setup(m) < 0 ||
	    ipsec_setup(m) < 0 || cfg_txn_start(m, NULL) < 0 ||
	    graph_build() < 0)
		fz_die("data plane setup");
	graph = graph_worker(0)->graph;
	/* The model stays referenced by the libraries: never freed. */
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	fz_eal((*argv)[0]);
	fz_ports();
	fz_dataplane();
	pool_idle = rte_mempool_in_use_count(port_mempool());
	return 0;
}

static void
fz_drain(void)
{
	void *m;
	int i;

	for (i = 0; i < FZ_PORTS; i++)
		while (rte_ring_dequeue(tx_ring[i], &m) == 0)
			rte_pktmbuf_free(m);
}

/* Packets waiting on neighbours for ARP, punted and not yet seen by the
 * management side, or queued by the egress scheduler are not leaked. */
static unsigned int
fz_held(void)
{
	const void *key;
	void *data;
	uint32_t iter = 0;
	int32_t pos;
	unsigned int n = 0;

	while ((pos = rte_hash_iterate(nbr_hash, &key, &data, &iter)) >= 0)
		n += nbr_table[pos].n_hold;
	iter = 0;
	while ((pos = rte_hash_iterate(nd_hash, &key, &data, &iter)) >= 0)
		n += nd_table[pos].n_hold;
	return n + rte_ring_count(graph_punt_ring()) +
	       rte_ring_count(graph_worker(0)->inject) + qos_held();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *m;
	char *p;
	int i;

	if (size < 1 || size > 1600)
		return 0;
	m = rte_pktmbuf_alloc(port_mempool());
	if (m == NULL)
		fz_die("pool empty");
	p = rte_pktmbuf_append(m, (uint16_t)(size - 1));
	if (size > 1 && p == NULL)
		fz_die("append");
	memcpy(p, data + 1, size - 1);
	if (rte_ring_enqueue(rx_ring[data[0] % FZ_PORTS], m) != 0)
		fz_die("rx ring full");
	for (i = 0; i < FZ_WALKS; i++) {
		rte_graph_walk(graph);
		now_ms += 700; /* ARP retries (1 s) and aging (1 s) run */
		route_control_poll(now_ms);
		vxlan_control_poll(now_ms);
	}
	rte_graph_walk(graph); /* sends what the last poll injected */
	fz_drain();
	if (rte_mempool_in_use_count(port_mempool()) != pool_idle + fz_held())
		fz_die("mbuf leaked");
	return 0;
}
