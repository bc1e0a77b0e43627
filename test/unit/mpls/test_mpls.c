/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mpls on an in-process data plane (EAL without hugepages, net_null
 * ports, no worker launched): the tables mpls_setup() builds from a
 * config, LFIB add/replace/delete and its reserved labels, LSPs and VPN
 * routes (lib/route external routes), neighbours pinned and released,
 * and the CLI's changes through the real command registry, with the
 * running config printed back and loaded again after them.
 *
 *   if  name  port  address          vrf
 *   0   a     p0    192.168.1.1/24   cust-a
 *   1   core  p1    10.0.0.1/29      default  (MPLS)
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

#include "cli.h"
#include "config.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "mpls.h"
#include "mpls_priv.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "route_priv.h"
#include "route6_priv.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const char config_text[] =
	"buffers = { mbufs = 2047; cache = 32; };\n"
	"ports = (\n"
	"  { name = \"p0\"; device = \"net_null0,no-rx=1\"; },\n"
	"  { name = \"p1\"; device = \"net_null1,no-rx=1\";"
	"    mac = \"02:00:00:00:00:02\"; }\n"
	");\n"
	"interfaces = (\n"
	"  { name = \"a\"; port = \"p0\"; address = \"192.168.1.1/24\";"
	"    vrf = \"cust-a\"; },\n"
	"  { name = \"core\"; port = \"p1\"; address = \"10.0.0.1/29\";"
	"    vrf = \"default\"; }\n"
	");\n"
	"vrfs = ( { name = \"cust-a\"; id = 1; } );\n"
	"neighbours = ( { interface = \"core\"; address = \"10.0.0.2\";"
	"    mac = \"02:00:00:00:aa:02\"; } );\n"
	"mpls = {\n"
	"  interfaces = ( \"core\" );\n"
	"  vrfs = ( { vrf = \"cust-a\"; rd = \"65000:1\"; label = 1001; } );\n"
	"  lsps = ( { pe = \"10.255.0.2\"; interface = \"core\";"
	"    via = \"10.0.0.2\"; labels = \"16002\"; } );\n"
	"  vpn_routes = ( { vrf = \"cust-a\"; prefix = \"10.1.0.0/16\";"
	"    pe = \"10.255.0.2\"; label = 2001; } );\n"
	"  lfib = ( { label = 24001; action = \"pop\"; } );\n"
	"};\n"
	"ip6 = { fib_tbl8 = 64; max_routes = 64; };\n"
	"workers = ( { lcore = 1; rx = ( \"p0:0\", \"p1:0\" ); } );\n";

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section, &nbr_cfg_section, &ip_cfg_section,
	&ip6_cfg_section, &mpls_cfg_section, &workers_cfg_section, &cli_cfg_section,
};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static struct cfg_model *model;
static bool dp_ports, dp_graph, dp_route, dp_mpls;
static int if_a, if_core, vrf_a;
static char err[160];

static int
step(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "test_mpls: %s failed: %s\n", what,
			strerror(-rc));
	return rc;
}

static int
load_config(void)
{
	struct cfg_diag diag = { 0 };
	unsigned int i;

	if (cfg_load_string("test_mpls.cfg", config_text, sections,
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
	};
	const struct cfg_array *workers;

	(void)state;
	if (eal_test_start("mpls", vdevs, 4) < 0 || load_config() < 0)
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
	if (step("mpls_setup", mpls_setup(model)) < 0 ||
	    step("cfg_txn_start", cfg_txn_start(model, NULL)) < 0)
		return -1;
	dp_mpls = true;
	if_a = iface_find("a");
	if_core = iface_find("core");
	vrf_a = vrf_find("cust-a");
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (dp_mpls)
		mpls_teardown();
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

/* The adjacency VRF @p vrf uses for @p ip. */
static const struct adj *
adj_of(int vrf, uint32_t ip)
{
	return &adj_table[vrf_lookup((unsigned int)vrf, ip)];
}

static void
test_built(void **state)
{
	const struct mpls_nhlfe *nh;
	const struct mpls_imp *imp;
	struct rte_ether_addr mac;
	const struct adj *a;

	(void)state;
	assert_int_equal(mpls_dp.max_labels, 3);
	assert_int_equal(mpls_dp.if_enabled[if_core], 1);
	assert_int_equal(mpls_dp.if_enabled[if_a], 0);
	assert_int_equal(mpls_dp.tc_of_dscp[46], 5);
	assert_int_equal(mpls_dp.vrf[vrf_a].ttl_mode, MPLS_TTL_UNIFORM);
	assert_int_equal(mpls_dp.vrf[vrf_a].src_iface, if_a);
	/* The VRF's local label disposes into it; 24001 pops. */
	nh = mpls_lfib_get(1001);
	assert_non_null(nh);
	assert_int_equal(nh->op, MPLS_OP_POP_LOOKUP);
	assert_int_equal(nh->vrf, vrf_a);
	assert_int_equal(mpls_lfib_get(24001)->op, MPLS_OP_POP);
	assert_null(mpls_lfib_get(24002));
	/* The LSP pushes 16002 toward the static neighbour 10.0.0.2. */
	nh = mpls_lsp_get(IP(10, 255, 0, 2));
	assert_non_null(nh);
	assert_int_equal(nh->op, MPLS_OP_PUSH);
	assert_int_equal(nh->n_out, 1);
	assert_int_equal(nh->out[0], 16002u << MPLS_LABEL_SHIFT);
	assert_int_equal(nh->iface, if_core);
	assert_int_equal(nh->nbr, nbr_lookup(if_core, IP(10, 0, 0, 2)));
	assert_true(route_nbr_mac(nh->nbr, &mac));
	assert_int_equal(mac.addr_bytes[4], 0xaa);
	/* The VPN route is an external route of cust-a's FIB. */
	a = adj_of(vrf_a, IP(10, 1, 2, 3));
	assert_int_equal(a->type, ADJ_T_EXT);
	imp = &mpls_dp.imp[a->nbr];
	assert_int_equal(imp->lse, mpls_lse(2001, 0, true, 0));
	assert_int_equal(mpls_lsp_pe(imp->lsp), IP(10, 255, 0, 2));
	assert_int_equal(mpls_dp.lsp[imp->lsp],
			 (uint32_t)(nh - mpls_dp.nhlfe));
	/* Not in the default VRF. */
	assert_int_not_equal(adj_of(vrf_find("default"),
				    IP(10, 1, 2, 3))->type, ADJ_T_EXT);
}

static void
test_lfib_ops(void **state)
{
	struct mpls_nhlfe swap = { .op = MPLS_OP_SWAP, .n_out = 2,
				   .out = { 500u << 12, 600u << 12 } };
	struct mpls_nhlfe pop = { .op = MPLS_OP_POP };
	const uint32_t via = IP(10, 0, 0, 5);
	const struct mpls_nhlfe *nh;
	uint32_t label;

	(void)state;
	swap.iface = (uint16_t)if_core;
	swap.via = via;
	assert_int_equal(mpls_lfib_set(100, &swap), 0);
	nh = mpls_lfib_get(100);
	assert_int_equal(nh->op, MPLS_OP_SWAP);
	assert_int_equal(nh->out[1], 600u << 12);
	/* Its next hop is pinned: created unresolved, kept. */
	assert_int_equal(nh->nbr, nbr_lookup(if_core, via));
	assert_int_not_equal(nh->nbr, NBR_NONE);
	assert_false(route_nbr_mac(nh->nbr, &(struct rte_ether_addr){ 0 }));
	/* Replaced: a new entry, and the old one's neighbour unpinned (no
	 * worker holds it, so the grace period is over at once). */
	assert_int_equal(mpls_lfib_set(100, &pop), 0);
	assert_int_equal(mpls_lfib_get(100)->op, MPLS_OP_POP);
	assert_int_equal(nbr_lookup(if_core, via), NBR_NONE);
	assert_int_equal(mpls_lfib_unset(100), 0);
	assert_null(mpls_lfib_get(100));
	assert_int_equal(mpls_lfib_unset(100), -ENOENT);
	/* Reserved labels are built in, never LFIB entries (RFC 3032). */
	for (label = 0; label < MPLS_LABEL_FIRST_UNRESERVED; label++)
		assert_int_equal(mpls_lfib_set(label, &pop), -EINVAL);
	assert_int_equal(mpls_lfib_set(MPLS_LABEL_MAX + 1, &pop), -EINVAL);
	assert_int_equal(mpls_lfib_set(MPLS_LABEL_MAX, &pop), 0);
	assert_int_equal(mpls_lfib_unset(MPLS_LABEL_MAX), 0);
	swap.n_out = 0;
	assert_int_equal(mpls_lfib_set(100, &swap), -EINVAL);
	swap.n_out = MPLS_OUT_MAX + 1;
	assert_int_equal(mpls_lfib_set(100, &swap), -EINVAL);
}

/* Entries come back from the pool: many changes, no leak. */
static void
test_lfib_churn(void **state)
{
	struct mpls_nhlfe pop = { .op = MPLS_OP_POP };
	unsigned int i;

	(void)state;
	for (i = 0; i < 3 * MPLS_NHLFE_MAX; i++)
		assert_int_equal(mpls_lfib_set(200 + i % 7, &pop), 0);
	for (i = 0; i < 7; i++)
		assert_int_equal(mpls_lfib_unset(200 + i), 0);
}

static void
test_ext_routes(void **state)
{
	const uint32_t pfx = IP(10, 7, 0, 0);

	(void)state;
	assert_int_equal(route_add(vrf_a, pfx, 16, ROUTE_BLACKHOLE, 0, 0), 0);
	/* An external route never replaces another kind of route. */
	assert_int_equal(mpls_vpn_route_set(vrf_a, pfx, 16,
					    IP(10, 255, 0, 2), 2001), -EEXIST);
	assert_int_equal(adj_of(vrf_a, pfx)->type, ADJ_T_BLACKHOLE);
	assert_int_equal(route_del(vrf_a, pfx, 16), 0);
	assert_int_equal(mpls_vpn_route_set(vrf_a, pfx, 16,
					    IP(10, 255, 0, 2), 2001), 0);
	/* Same PE and label as 10.1.0.0/16: the same imposition. */
	assert_int_equal(adj_of(vrf_a, pfx)->nbr,
			 adj_of(vrf_a, IP(10, 1, 0, 0))->nbr);
	assert_int_equal(mpls_vpn_route_unset(vrf_a, pfx, 16,
					      IP(10, 255, 0, 2), 2001), 0);
	assert_int_equal(adj_of(vrf_a, pfx)->type, ADJ_T_NO_ROUTE);
	assert_int_equal(route_add_ext(vrf_a, pfx, 16, ROUTE_EXT_MAX, 1),
			 -EINVAL);
	assert_int_equal(route_add_ext(vrf_a, pfx | 1, 16,
				       (unsigned int)mpls_ext_type, 1),
			 -EINVAL);
	assert_int_equal(route_ext_register("ferry_mpls_push", NULL),
			 mpls_ext_type);
}

/* The IPv6 adjacency VRF @p vrf uses for @p ip. */
static const struct adj6 *
adj6_of(int vrf, const uint8_t *ip)
{
	return &adj6_table[fib6_lookup_one((unsigned int)vrf, ip)];
}

/* 6VPE routes: IPv6 external routes sharing the IPv4 impositions. */
static void
test_ext_routes6(void **state)
{
	static const uint8_t p[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 7 };
	static const uint8_t q[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 8 };
	static const uint8_t odd[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 7, 0, 1 };
	const uint32_t pe = IP(10, 255, 0, 2);

	(void)state;
	assert_int_equal(mpls_vpn_route6_set(vrf_a, p, 48, pe, 2001), 0);
	assert_int_equal(adj6_of(vrf_a, p)->type, ADJ_T_EXT);
	/* Same PE and label as the IPv4 route 10.1.0.0/16: one imposition. */
	assert_int_equal(adj6_of(vrf_a, p)->nbr,
			 adj_of(vrf_a, IP(10, 1, 0, 0))->nbr);
	/* An external route never replaces another kind of route. */
	assert_int_equal(route6_add(vrf_a, q, 48, ROUTE_BLACKHOLE, NULL, 0),
			 0);
	assert_int_equal(mpls_vpn_route6_set(vrf_a, q, 48, pe, 2001), -EEXIST);
	assert_int_equal(adj6_of(vrf_a, q)->type, ADJ_T_BLACKHOLE);
	assert_int_equal(route6_del_ext(vrf_a, q, 48,
					(unsigned int)mpls_ext6_type), -ENOENT);
	assert_int_equal(route6_del(vrf_a, q, 48), 0);
	assert_int_equal(mpls_vpn_route6_unset(vrf_a, p, 48, pe, 2001), 0);
	assert_int_equal(adj6_of(vrf_a, p)->type, ADJ_T_NO_ROUTE);
	assert_int_equal(mpls_vpn_route6_unset(vrf_a, p, 48, pe, 2001),
			 -ENOENT);
	assert_int_equal(route6_add_ext(vrf_a, p, 48, ROUTE_EXT_MAX, 1),
			 -EINVAL);
	assert_int_equal(route6_add_ext(vrf_a, odd, 48,
					(unsigned int)mpls_ext6_type, 1),
			 -EINVAL);
	assert_int_equal(route6_ext_register("ferry_mpls_push6", NULL),
			 mpls_ext6_type);
}

static void
test_changes(void **state)
{
	struct mpls_lsp_conf lc = { .pe = IP(10, 255, 0, 2), .via =
				    IP(10, 0, 0, 3), .labels = "16004" };
	struct mpls_vpn_route_conf rc = { .vrf = "cust-a", .pe =
					  IP(10, 255, 0, 3), .label = 3001,
					  .prefix = { IP(10, 3, 0, 0), 16 } };
	const struct mpls_nhlfe *nh;
	uint32_t imp;

	(void)state;
	snprintf(lc.interface, sizeof(lc.interface), "core");
	/* Replacing the LSP leaves the routes' impositions alone. */
	imp = adj_of(vrf_a, IP(10, 1, 0, 0))->nbr;
	assert_int_equal(mpls_lsp_add(&lc, err, sizeof(err)), 0);
	nh = mpls_lsp_get(lc.pe);
	assert_int_equal(nh->out[0], 16004u << MPLS_LABEL_SHIFT);
	assert_int_equal(adj_of(vrf_a, IP(10, 1, 0, 0))->nbr, imp);
	assert_int_equal(mpls_vpn_route_add(&rc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "running-config: mpls.vpn_routes.[1].pe: "
			    "\"10.255.0.3\": no LSP to this PE (add one "
			    "to mpls.lsps)");
	lc.pe = rc.pe;
	snprintf(lc.labels, sizeof(lc.labels), "implicit-null");
	assert_int_equal(mpls_lsp_add(&lc, err, sizeof(err)), 0);
	assert_int_equal(mpls_lsp_get(lc.pe)->n_out, 0);
	assert_int_equal(mpls_vpn_route_add(&rc, err, sizeof(err)), 0);
	assert_int_equal(mpls_vpn_route_add(&rc, err, sizeof(err)), -EEXIST);
	assert_string_equal(err, "vpn_route (vrf = \"cust-a\", prefix = "
			    "\"10.3.0.0/16\") exists; delete it first");
	assert_int_equal(mpls_lsp_del(lc.pe, err, sizeof(err)), -EBUSY);
	assert_string_equal(err, "1 VPN route(s) go to this PE; delete them "
			    "first");
	assert_int_equal(mpls_vpn_route_del("cust-a", &rc.prefix, err,
					    sizeof(err)), 0);
	assert_int_equal(mpls_vpn_route_del("cust-a", &rc.prefix, err,
					    sizeof(err)), -ENOENT);
	assert_int_equal(mpls_lsp_del(lc.pe, err, sizeof(err)), 0);
	assert_null(mpls_lsp_get(lc.pe));
	snprintf(lc.labels, sizeof(lc.labels), "16/5");
	assert_int_equal(mpls_lsp_add(&lc, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "running-config: mpls.lsps.[1].labels: "
			    "\"16/5\": label 5 (unassigned) is reserved: "
			    "use 0, 16..1048575, or implicit-null alone");
	assert_int_equal(mpls_iface_set("core", false, err, sizeof(err)),
			 -EBUSY);
	assert_string_equal(err, "an LSP sends out of it; delete that first");
	assert_int_equal(mpls_iface_set("a", true, err, sizeof(err)), 0);
	assert_int_equal(mpls_dp.if_enabled[if_a], 1);
	assert_int_equal(mpls_iface_set("a", false, err, sizeof(err)), 0);
	assert_int_equal(mpls_dp.if_enabled[if_a], 0);
}

static void
test_vrf_changes(void **state)
{
	struct mpls_vrf_conf vc = { .vrf = "default", .rd = "65000:9",
				    .label_mode = MPLS_LABEL_PER_PREFIX,
				    .ttl_mode = MPLS_TTL_PIPE };
	struct mpls_prefix_label_conf pl = { { IP(10, 0, 0, 0), 29 }, 1001 };
	int def = vrf_find("default");

	(void)state;
	assert_int_equal(mpls_vrf_add(&vc, err, sizeof(err)), 0);
	assert_int_equal(mpls_dp.vrf[def].ttl_mode, MPLS_TTL_PIPE);
	assert_int_equal(mpls_vrf_add(&vc, err, sizeof(err)), -EEXIST);
	assert_int_equal(mpls_prefix_label_add("default", &pl, err,
					       sizeof(err)), -EINVAL);
	/* the loader's check names both users of the label */
	assert_non_null(strstr(err, ": 1001: label already used"));
	pl.label = 1009;
	assert_int_equal(mpls_prefix_label_add("default", &pl, err,
					       sizeof(err)), 0);
	assert_int_equal(mpls_lfib_get(1009)->op, MPLS_OP_POP_LOOKUP);
	assert_int_equal(mpls_lfib_get(1009)->vrf, def);
	assert_int_equal(mpls_prefix_label_add("cust-a", &pl, err,
					       sizeof(err)), -EINVAL);
	assert_string_equal(err, "VRF cust-a allocates per VRF, not per "
			    "prefix");
	assert_int_equal(mpls_lfib_del(1001, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "a VRF's local label: change the VRF's "
			    "settings");
	assert_int_equal(mpls_vrf_del("default", err, sizeof(err)), 0);
	assert_null(mpls_lfib_get(1009));
	assert_int_equal(mpls_dp.vrf[def].ttl_mode, MPLS_TTL_UNIFORM);
}

static char *
print_model(const struct cfg_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	return text;
}

/* What the CLI changed is what `show running-config` prints and what
 * loads again to the same model. */
static void
test_cli_round_trip(void **state)
{
	static const char *const lines[] = {
		"mpls lsp add 10.255.0.7 interface core via 10.0.0.6 "
		"labels 16007/17007",
		"mpls vpn-route add 10.70.0.0/16 vrf cust-a pe 10.255.0.7 "
		"label 7001",
		"mpls lfib add 16100 swap 16200 interface core via 10.0.0.2",
		"mpls lfib add 16101 pop interface core via 10.0.0.2",
		"mpls lfib add 16102 pop-lookup vrf cust-a",
		"mpls vrf add default rd 10.0.0.1:7 per-prefix ttl-mode pipe "
		"tc-copy-on-pop",
		"mpls prefix-label add 10.0.0.0/29 label 7100 vrf default",
		"mpls interface a enable",
	};
	struct cli_out *out = cli_out_buffer();
	struct cfg_model *again = NULL;
	struct cfg_diag diag = { 0 };
	char *text, *text2;
	unsigned int i;

	(void)state;
	assert_int_equal(route_cli_register(), 0);
	assert_int_equal(mpls_cli_register(), 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		cli_out_reset(out);
		if (cli_execute(lines[i], out) != 0)
			fail_msg("%s: %s", lines[i], cli_out_text(out));
	}
	cli_out_reset(out);
	assert_int_equal(cli_execute("mpls lfib add 5 pop", out), -EINVAL);
	cli_out_reset(out);
	assert_int_equal(cli_execute("show mpls lfib", out), 0);
	assert_non_null(strstr(cli_out_text(out),
			       "16100    swap        16200"));
	assert_non_null(strstr(cli_out_text(out), "7100     pop-lookup"));
	cli_out_reset(out);
	assert_int_equal(cli_execute("show ip vpn-routes vrf cust-a", out), 0);
	assert_non_null(strstr(cli_out_text(out), "10.70.0.0/16"));
	text = print_model(model);
	assert_non_null(strstr(text, "labels = \"16007/17007\";"));
	assert_non_null(strstr(text, "label = 7100;"));
	if (cfg_load_string("running", text, sections, N_SECTIONS, &again,
			    &diag) != 0) {
		for (i = 0; i < diag.n; i++)
			print_error("%s\n", diag.msg[i]);
		fail_msg("%s", text);
	}
	assert_true(cfg_model_equal(model, again));
	text2 = print_model(again);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	cfg_model_free(again);
	cli_out_free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built),
		cmocka_unit_test(test_lfib_ops),
		cmocka_unit_test(test_lfib_churn),
		cmocka_unit_test(test_ext_routes),
		cmocka_unit_test(test_ext_routes6),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_vrf_changes),
		cmocka_unit_test(test_cli_round_trip),
	};

	return cmocka_run_group_tests_name("mpls", tests, group_setup,
					   group_teardown);
}
