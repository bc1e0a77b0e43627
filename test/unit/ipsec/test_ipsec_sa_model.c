/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SA model IKE needs (issue 16), on an in-process data plane (EAL
 * without hugepages, one net_null port, no worker launched):
 *   - SAs of one IKE reqid share a tunnel; the tunnel's outbound slot
 *     takes each new outbound SA with one store, the old one moves to a
 *     slot of its own and is still found and deleted by SPI;
 *   - configured SAs with the same end points and VRFs share a tunnel;
 *     the inbound SPD rule carries the tunnel, not the SA;
 *   - `ipsec sa del` of an SA a rule names moves the rule to the newest
 *     SA of its tunnel; the tunnel's last SA is refused while used;
 *   - UPDATE_SA moves an IKE SA in place (outbound: one store of its
 *     end points), and refuses what it cannot do in place;
 *   - 16,384 SAs fit, the next one is refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "config.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "ipsec_priv.h"
#include "pkt.h"
#include "port.h"

#define KEY "000102030405060708090a0b0c0d0e0f"
#define CONF_SA(spi, dir)                                                      \
	"{ spi = " #spi "; direction = \"" dir "\"; local = \"203.0.113.1\";"  \
	" remote = \"203.0.113.2\"; algorithm = \"aes-gcm-128\";"              \
	" key = \"" KEY "\"; salt = \"cafebabe\"; }"

static const char config_text[] =
	"buffers = { mbufs = 2047; cache = 32; };\n"
	"ports = ( { name = \"p0\"; device = \"net_null0,no-rx=1\"; } );\n"
	"interfaces = ( { name = \"wan\"; port = \"p0\";"
	"  address = \"203.0.113.1/24\"; vrf = \"default\"; } );\n"
	"workers = ( { lcore = 1; rx = ( \"p0:0\" ); } );\n"
	"ipsec = { sas = ( " CONF_SA(4097, "in") ", " CONF_SA(
		4098,
		"in") " );\n"
		      "  spd = ( { direction = \"in\"; src = \"10.2.0.0/16\";"
		      "    dst = \"192.168.1.0/24\"; action = \"protect\"; sa "
		      "= 4097; } ); };\n";

static const struct cfg_section *const sections[] = {
	&buffers_cfg_section, &port_cfg_section, &iface_cfg_section,
	&vrf_cfg_section,     &nbr_cfg_section,	 &ip_cfg_section,
	&workers_cfg_section, &cli_cfg_section,	 &ipsec_cfg_section,
};

static struct cfg_model *model;
static bool up_ports, up_graph, up_route, up_ipsec;

static struct ipsec_sa_conf
ike_sa(uint32_t spi, int dir)
{
	struct ipsec_sa_conf c = {
		.spi = spi,
		.direction = dir,
		.local = 0xcb007101,
		.remote = 0xcb007102,
		.underlay_vrf = "default",
		.inner_vrf = "default",
		.algorithm = "aes-gcm-128",
		.key = KEY,
		.salt = "cafebabe",
		.replay_window = 64,
		.ttl = 64,
	};
	return c;
}

static const struct ipsec_sa *
sa_of(uint32_t spi, int dir)
{
	int slot = sad_find(spi, dir);

	return slot < 0 ? NULL : ipsec_dp.sa[slot];
}

static void
test_ike_tunnel_rekey(void **state)
{
	struct ipsec_sa_conf c;
	const struct ipsec_tunnel *t;
	char err[128];
	uint16_t out_slot;

	(void)state;
	c = ike_sa(0x5001, IPSEC_DIR_IN);
	assert_int_equal(sad_add_ike(&c, 9, err, sizeof(err)), 0);
	c = ike_sa(0x5002, IPSEC_DIR_IN);
	assert_int_equal(sad_add_ike(&c, 9, err, sizeof(err)), 0);
	assert_int_equal(sa_of(0x5001, 0)->tunnel, sa_of(0x5002, 0)->tunnel);
	t = sad_tunnel(sa_of(0x5001, 0)->tunnel);
	assert_non_null(t);
	assert_int_equal(t->reqid, 9);
	out_slot = t->out_slot;
	assert_null(ipsec_dp.sa[out_slot]); /* kept, empty until an SA */

	c = ike_sa(0x6001, IPSEC_DIR_OUT);
	assert_int_equal(sad_add_ike(&c, 9, err, sizeof(err)), 0);
	assert_int_equal(sad_find(0x6001, IPSEC_DIR_OUT), out_slot);
	c = ike_sa(0x6002, IPSEC_DIR_OUT); /* the rekey's new outbound SA */
	assert_int_equal(sad_add_ike(&c, 9, err, sizeof(err)), 0);
	assert_int_equal(sad_find(0x6002, IPSEC_DIR_OUT), out_slot);
	assert_true(sad_find(0x6001, IPSEC_DIR_OUT) >= 0);
	assert_int_not_equal(sad_find(0x6001, IPSEC_DIR_OUT), out_slot);
	assert_int_equal(sad_del(0x6001, IPSEC_DIR_OUT), 0);
	assert_int_equal(sad_find(0x6002, IPSEC_DIR_OUT), out_slot);

	/* the same SPI twice is refused, nothing changes */
	assert_int_equal(sad_add_ike(&c, 9, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "exists"));
	assert_int_equal(sad_del(0x6002, IPSEC_DIR_OUT), 0);
	assert_int_equal(sad_del(0x5001, IPSEC_DIR_IN), 0);
	assert_int_equal(sad_del(0x5002, IPSEC_DIR_IN), 0);
	assert_int_equal(sad_ike_tunnel_find(9), 0); /* freed with its SAs */
}

/* UPDATE_SA: the same SA object moves (keys, sequence numbers and
 * counters kept); the outbound one by one store of its end points, the
 * inbound one re-keyed in the SAD; the other SAs are not touched. */
static void
test_ike_update(void **state)
{
	struct ipsec_sa_conf c;
	const struct ipsec_sa *out, *in, *other;
	const struct ipsec_sa_ends *e;
	struct ipsec_in_key k;
	char err[128];
	void *data;

	(void)state;
	c = ike_sa(0x7001, IPSEC_DIR_OUT);
	c.nat_t = true;
	c.nat_t_sport = c.nat_t_dport = 4500;
	assert_int_equal(sad_add_ike(&c, 11, err, sizeof(err)), 0);
	c = ike_sa(0x7002, IPSEC_DIR_IN);
	c.nat_t = true;
	assert_int_equal(sad_add_ike(&c, 11, err, sizeof(err)), 0);
	c = ike_sa(0x7003, IPSEC_DIR_OUT); /* another tunnel */
	assert_int_equal(sad_add_ike(&c, 12, err, sizeof(err)), 0);
	out = sa_of(0x7001, 1);
	in = sa_of(0x7002, 0);
	other = sa_of(0x7003, 1);
	assert_null(out->ends);

	/* the peer's NAT mapping moved to 203.0.113.9:40123 */
	assert_int_equal(sad_update_ike(0x7001, 1, 0xcb007101, 0xcb007109, true,
					4500, 40123),
			 0);
	assert_ptr_equal(sa_of(0x7001, 1), out); /* the same SA */
	e = out->ends;
	assert_non_null(e);
	assert_int_equal(e->dst, rte_cpu_to_be_32(0xcb007109));
	assert_int_equal(e->src, rte_cpu_to_be_32(0xcb007101));
	assert_int_equal(e->dport, rte_cpu_to_be_16(40123));
	assert_int_equal(e->sport, rte_cpu_to_be_16(4500));
	assert_int_equal(out->conf.remote, 0xcb007109);
	assert_int_equal(out->conf.nat_t_dport, 40123);
	assert_int_equal(sad_tunnel(out->tunnel)->remote, 0xcb007109);
	assert_null(other->ends);
	/* moved again: a new block, one store */
	assert_int_equal(sad_update_ike(0x7001, 1, 0xcb007101, 0xcb007109, true,
					4500, 40999),
			 0);
	assert_int_equal(out->ends->dport, rte_cpu_to_be_16(40999));

	/* inbound, same local end: found by the same key */
	assert_int_equal(sad_update_ike(0x7002, 0, 0xcb007101, 0xcb007109, true,
					4500, 40999),
			 0);
	assert_ptr_equal(sa_of(0x7002, 0), in);
	assert_int_equal(in->conf.remote, 0xcb007109);
	/* inbound, local end moved: the SAD finds it at the new address */
	assert_int_equal(sad_update_ike(0x7002, 0, 0xcb007105, 0xcb007109, true,
					4500, 40999),
			 0);
	memset(&k, 0, sizeof(k));
	k.spi = rte_cpu_to_be_32(0x7002);
	ipsec_in_key_v4(&k, rte_cpu_to_be_32(0xcb007105));
	assert_true(rte_hash_lookup_data(ipsec_dp.in_hash, &k, &data) >= 0);
	assert_int_equal((uintptr_t)data, in->slot);
	ipsec_in_key_v4(&k, rte_cpu_to_be_32(0xcb007101));
	assert_true(rte_hash_lookup_data(ipsec_dp.in_hash, &k, &data) < 0);

	/* what ferry cannot do in place is refused, nothing changes */
	assert_int_equal(sad_update_ike(0x7001, 1, 0xcb007101, 0xcb007109,
					false, 4500, 4500),
			 -EOPNOTSUPP);
	assert_int_equal(out->ends->dport, rte_cpu_to_be_16(40999));
	assert_int_equal(sad_update_ike(0x7999, 1, 1, 2, false, 4500, 4500),
			 -ENOENT);
	assert_int_equal(sad_update_ike(4098, 0, 1, 2, false, 4500, 4500),
			 -EPERM); /* a configured SA */
	assert_int_equal(sad_del(0x7001, 1), 0);
	assert_int_equal(sad_del(0x7002, 0), 0);
	assert_int_equal(sad_del(0x7003, 1), 0);
}

static const struct spd_rule *
in_rule(void)
{
	const struct ipsec_spd *t = ipsec_dp.spd[IPSEC_DIR_IN];

	assert_non_null(t);
	assert_int_equal(t->n, 1);
	return &t->r[0];
}

static void
test_conf_tunnel_and_del(void **state)
{
	const struct ipsec_spd_conf *rc;
	char err[160];

	(void)state;
	/* same end points and VRFs: one tunnel; the rule names it */
	assert_int_equal(sa_of(4097, 0)->tunnel, sa_of(4098, 0)->tunnel);
	assert_int_equal(in_rule()->tunnel, sa_of(4098, 0)->tunnel);
	/* deleting the SA the rule names moves the rule to 4098 */
	assert_int_equal(ipsec_sa_del(4097, IPSEC_DIR_IN, err, sizeof(err)), 0);
	rc = ipsec_model()->spd.items;
	assert_int_equal(rc[0].sa, 4098);
	assert_int_equal(in_rule()->spi, 4098);
	assert_int_equal(in_rule()->tunnel, sa_of(4098, 0)->tunnel);
	/* the last SA of the tunnel stays while the rule uses it */
	assert_int_equal(ipsec_sa_del(4098, IPSEC_DIR_IN, err, sizeof(err)),
			 -EBUSY);
	assert_non_null(strstr(err, "last of its tunnel"));
	assert_non_null(sa_of(4098, 0));
}

static void
test_capacity(void **state)
{
	struct ipsec_sa_conf c;
	unsigned int i, n = 0, have = 0;
	char err[128];
	int rc = 0;

	(void)state;
	assert_true(IPSEC_SA_MAX >= 16384);
	for (i = 0; i < IPSEC_SA_MAX; i++)
		have += ipsec_dp.sa[i] != NULL;
	/* one reqid per pair of SAs: each tunnel keeps an outbound slot */
	for (i = 0; rc == 0; i++) {
		c = ike_sa(0x100000 + i, (int)(i % 2));
		rc = sad_add_ike(&c, 1000 + i / 2, err, sizeof(err));
		n += rc == 0;
	}
	assert_int_equal(rc, -ENOSPC);
	/* every free slot is used, in pairs (an odd last slot would be
	 * the outbound slot of a tunnel with no room for its inbound SA) */
	assert_int_equal(n, (IPSEC_SA_MAX - have) & ~1u);
	for (i = 0; i < n; i++)
		assert_int_equal(sad_del(0x100000 + i, (int)(i % 2)), 0);
	assert_int_equal(sad_ike_tunnel_find(1000), 0);
}

static int
step(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "test_ipsec_sa_model: %s: %s\n", what,
			strerror(-rc));
	return rc;
}

static int
group_setup(void **state)
{
	static const char *const vdevs[] = {"--vdev", "net_null0,no-rx=1"};
	const struct cfg_array *workers;
	struct cfg_diag diag = {0};
	unsigned int i;

	(void)state;
	if (eal_test_start("ipsec_sa_model", vdevs, 2) < 0)
		return -1;
	if (cfg_load_string("t.cfg", config_text, sections, RTE_DIM(sections),
			    &model, &diag) < 0) {
		for (i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.msg[i]);
		cfg_diag_free(&diag);
		return -1;
	}
	workers = cfg_model_section(model, "workers");
	if (step("pkt_init", pkt_init()) < 0 ||
	    step("port_setup", port_setup(model, workers->n)) < 0)
		return -1;
	up_ports = true;
	if (step("graph_workers_init", graph_workers_init(model)) < 0)
		return -1;
	up_graph = true;
	if (step("iface_setup", iface_setup(model)) < 0 ||
	    step("route_setup", route_setup(model)) < 0)
		return -1;
	up_route = true;
	if (step("ipsec_setup", ipsec_setup(model)) < 0)
		return -1;
	up_ipsec = true;
	/* the configured SAs and rules come with the start-up change */
	if (step("cfg_txn_start", cfg_txn_start(model, NULL)) < 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (up_ipsec)
		ipsec_teardown();
	if (up_route)
		route_teardown();
	if (up_graph)
		graph_teardown();
	if (up_ports)
		port_teardown();
	cfg_model_free(model);
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ike_tunnel_rekey),
		cmocka_unit_test(test_ike_update),
		cmocka_unit_test(test_conf_tunnel_and_del),
		cmocka_unit_test(test_capacity),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
