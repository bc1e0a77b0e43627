/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_classify in the real data plane, built in-process on two
 * ring-backed ethdevs (as test/fuzz/fuzz_packet.c does) from a config with
 * ACL "mark" on interface "in": frames are put on in's receive ring, the
 * worker graph is walked on this thread, and what leaves on out's transmit
 * ring is checked packet by packet, metadata included: the QoS class and
 * MPLS TC the rule set (pkt_md, which lib/qos and lib/mpls read), the
 * DSCP rewritten with ECN kept and a valid header checksum, denied packets
 * counted as acl_deny and on their rule. Then rules are edited through
 * the CLI's change functions between walks, and every mbuf must be back
 * in the pool at the end.
 *
 *   in  (192.0.2.1/24, ACL mark) --> out (198.51.100.1/24) --> .10
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_graph_worker.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "classify.h"
#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "port.h"
#include "route.h"
#include "sections.h"

#define IN_MAC { 0x02, 0, 0, 0, 0x07, 0x10 }

static const char config_text[] =
	"eal = { lcores = \"0-1\"; huge = false; };\n"
	"buffers = { mbufs = 2047; cache = 0; };\n"
	"ports = (\n"
	" { name = \"in\"; device = \"net_ring_cls0\";"
	"   mac = \"02:00:00:00:07:10\"; },\n"
	" { name = \"out\"; device = \"net_ring_cls1\";"
	"   mac = \"02:00:00:00:07:11\"; } );\n"
	"interfaces = (\n"
	" { name = \"in\"; port = \"in\"; address = \"192.0.2.1/24\"; },\n"
	" { name = \"out\"; port = \"out\"; address = \"198.51.100.1/24\"; } );\n"
	"neighbours = ( { interface = \"out\"; address = \"198.51.100.10\";"
	"   mac = \"02:00:00:00:0c:01\"; } );\n"
	"acls = ( { name = \"mark\"; interfaces = ( \"in\" ); rules = (\n"
	" { proto = \"udp\"; dport = \"5060\"; set_dscp = \"ef\";"
	"   set_tc = \"5\"; class = 7; },\n"
	" { proto = \"tcp\"; dport = \"22\"; action = \"deny\"; },\n"
	" { in_interface = \"in\"; dscp = \"af41\"; class = 4; } ); } );\n"
	"workers = ( { lcore = 1; rx = ( \"in:0\", \"out:0\" ); } );\n";

static struct rte_ring *rx[2], *tx[2];
static struct rte_graph *graph;
static struct cfg_model *model;
static unsigned int pool_idle;

/* One Ethernet/IPv4/UDP-or-TCP frame to ferry's "in" port. */
static struct rte_mbuf *
frame(uint8_t proto, uint16_t dport, uint8_t tos)
{
	static const uint8_t mac[] = IN_MAC;
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	uint16_t *l4;
	char *p;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, 14 + 20 + 26));
	p = rte_pktmbuf_mtod(m, char *);
	memset(p, 0, 14 + 20 + 26);
	eth = (struct rte_ether_hdr *)p;
	memcpy(eth->dst_addr.addr_bytes, mac, sizeof(mac));
	eth->src_addr.addr_bytes[0] = 0x02;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = 0x45;
	ip->type_of_service = tos;
	ip->total_length = rte_cpu_to_be_16(46);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(0xc0000205);  /* 192.0.2.5 */
	ip->dst_addr = rte_cpu_to_be_32(0xc633640a);  /* 198.51.100.10 */
	ip->hdr_checksum = pkt_inet_cksum(ip, 20);
	l4 = (uint16_t *)(ip + 1);
	l4[0] = rte_cpu_to_be_16(40000);
	l4[1] = rte_cpu_to_be_16(dport);
	return m;
}

/* Send @p m in, walk; @return what left by "out" (NULL: nothing). */
static struct rte_mbuf *
through(struct rte_mbuf *m)
{
	void *o = NULL;

	assert_int_equal(rte_ring_enqueue(rx[0], m), 0);
	rte_graph_walk(graph);
	rte_graph_walk(graph);
	assert_int_equal(rte_ring_count(tx[0]), 0);
	if (rte_ring_dequeue(tx[1], &o) != 0)
		return NULL;
	return o;
}

static const struct rte_ipv4_hdr *
ip_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
}

static void
test_marks(void **state)
{
	struct rte_mbuf *m;
	uint64_t denied = graph_drops_total(DROP_ACL_DENY);

	(void)state;
	/* SIP: class 7, DSCP EF (ECN 01 kept), TC 5 for label pushes. */
	m = through(frame(IPPROTO_UDP, 5060, 0x01));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 7);
	assert_true(pkt_md(m)->flags & PKT_F_MPLS_TC);
	assert_int_equal(pkt_md(m)->mpls_tc, 5);
	assert_int_equal(ip_of(m)->type_of_service, 46 << 2 | 0x01);
	assert_int_equal(pkt_inet_cksum(ip_of(m), 20), 0);
	rte_pktmbuf_free(m);

	/* AF41 from "in": class 4, DSCP and TC untouched. */
	m = through(frame(IPPROTO_UDP, 53, 34 << 2));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 4);
	assert_false(pkt_md(m)->flags & PKT_F_MPLS_TC);
	assert_int_equal(ip_of(m)->type_of_service, 34 << 2);
	assert_int_equal(pkt_inet_cksum(ip_of(m), 20), 0);
	rte_pktmbuf_free(m);

	/* No rule: the default permits, nothing marked. */
	m = through(frame(IPPROTO_TCP, 80, 0));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 0);
	assert_false(pkt_md(m)->flags & PKT_F_MPLS_TC);
	rte_pktmbuf_free(m);

	/* SSH: denied, counted on rule 2 and as acl_deny. */
	assert_null(through(frame(IPPROTO_TCP, 22, 0)));
	assert_int_equal(graph_drops_total(DROP_ACL_DENY), denied + 1);
	assert_int_equal(acl_hits("mark", 1), 1);
	assert_int_equal(acl_hits("mark", 2), 1);
	assert_int_equal(acl_hits("mark", 3), 1);
	assert_int_equal(acl_hits("mark", 0), 1);
}

static void
test_edits_between_walks(void **state)
{
	struct acl_rule_conf deny_sip = { .action = ACL_DENY };
	char err[200] = "";
	uint64_t ssh_hits = acl_hits("mark", 2);
	struct rte_mbuf *m;

	(void)state;
	snprintf(deny_sip.proto, sizeof(deny_sip.proto), "udp");
	snprintf(deny_sip.dport, sizeof(deny_sip.dport), "5060");
	assert_int_equal(acl_rule_insert("mark", 1, &deny_sip, err,
					 sizeof(err)), 0);
	assert_null(through(frame(IPPROTO_UDP, 5060, 0)));
	assert_int_equal(acl_hits("mark", 1), 1);
	/* The SSH rule moved to 3 and kept its count. */
	assert_int_equal(acl_hits("mark", 3), ssh_hits);
	assert_int_equal(acl_rule_delete("mark", 1, err, sizeof(err)), 0);
	m = through(frame(IPPROTO_UDP, 5060, 0));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 7);
	rte_pktmbuf_free(m);

	/* Default deny: unmatched packets go; unbound, all pass unmarked. */
	assert_int_equal(acl_default_set("mark", ACL_DENY, err, sizeof(err)),
			 0);
	assert_null(through(frame(IPPROTO_TCP, 80, 0)));
	assert_int_equal(acl_unbind("in", err, sizeof(err)), 0);
	m = through(frame(IPPROTO_TCP, 22, 0));
	assert_non_null(m);
	rte_pktmbuf_free(m);
	m = through(frame(IPPROTO_UDP, 5060, 0));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 0);
	rte_pktmbuf_free(m);
	assert_int_equal(acl_bind("mark", "in", err, sizeof(err)), 0);
	assert_null(through(frame(IPPROTO_TCP, 22, 0)));

	/* Refused changes leave everything as it was. */
	assert_int_equal(acl_bind("mark", "in", err, sizeof(err)), -EEXIST);
	assert_int_equal(acl_delete("mark", err, sizeof(err)), -EBUSY);
	assert_int_equal(acl_rule_delete("mark", 9, err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(acl_rule_insert("mark", 9, &deny_sip, err,
					 sizeof(err)), -EINVAL);
	assert_string_equal(err, "acl mark has 3 rules: a new one goes at "
			    "1..4");
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), pool_idle);
}

/* A model like config_text with its "acls" section replaced. */
static struct cfg_model *
model_with(const char *acls)
{
	char text[sizeof(config_text) + 512];
	const char *at = strstr(config_text, "acls = (");
	const char *end = strstr(config_text, "workers = (");
	struct cfg_diag d = { 0 };
	struct cfg_model *m = NULL;

	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - config_text),
		 config_text, acls, end);
	if (cfg_load_string("reload.cfg", text, ferry_sections,
			    FERRY_N_SECTIONS, &m, &d) != 0)
		fprintf(stderr, "%s\n", d.n ? d.msg[0] : "?");
	cfg_diag_free(&d);
	return m;
}

/* Run the change from the running model to a copy of @p target; the
 * number of steps (ACLs added, removed or changed). */
static unsigned int
reload(const struct cfg_model *target)
{
	unsigned int n = 0;

	assert_int_equal(cfg_txn_run(model, cfg_model_dup(target),
				     0, &n, NULL), 0);
	return n;
}

/* The "acls" commit through the change transaction: ACL "mark"
 * replaced by "other" (bound to "in"), then back; a model that does not
 * change the ACLs changes nothing. */
static void
test_reload(void **state)
{
	struct cfg_model *next = model_with(
		"acls = ( { name = \"other\"; default = \"deny\";"
		" interfaces = ( \"in\" ); rules = ("
		" { proto = \"udp\"; dport = \"53\"; class = 9; } ); } );\n");
	struct cfg_model *back = NULL;
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(cfg_load_string("back.cfg", config_text,
					 ferry_sections, FERRY_N_SECTIONS,
					 &back, NULL), 0);
	assert_non_null(next);
	/* added other, removed mark ("in" moves with them) */
	assert_int_equal(reload(next), 2);
	assert_null(through(frame(IPPROTO_UDP, 5060, 0)));
	m = through(frame(IPPROTO_UDP, 53, 0));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 9);
	rte_pktmbuf_free(m);
	assert_int_equal(acl_hits("mark", 0), UINT64_MAX);
	assert_int_equal(acl_hits("other", 1), 1);
	assert_int_equal(reload(next), 0);
	assert_int_equal(reload(back), 2);
	m = through(frame(IPPROTO_UDP, 5060, 0));
	assert_non_null(m);
	assert_int_equal(pkt_md(m)->qos_class, 7);
	rte_pktmbuf_free(m);
	assert_int_equal(acl_hits("other", 0), UINT64_MAX);
	cfg_model_free(next);
	cfg_model_free(back);
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), pool_idle);
}

/* Ports "in" and "out": ethdevs net_ring_cls0/1 on rings we hold. */
static void
ring_ports(void)
{
	static const char *const names[2][3] = {
		{ "clsrx0", "clstx0", "cls0" }, { "clsrx1", "clstx1", "cls1" },
	};
	unsigned int f = RING_F_SP_ENQ | RING_F_SC_DEQ, i;

	for (i = 0; i < 2; i++) {
		rx[i] = rte_ring_create(names[i][0], 256, 0, f);
		tx[i] = rte_ring_create(names[i][1], 256, 0, f);
		assert_true(rx[i] != NULL && tx[i] != NULL &&
			    rte_eth_from_rings(names[i][2], &rx[i], 1, &tx[i],
					       1, 0) >= 0);
	}
}

static int
setup(void **state)
{
	struct cfg_diag d = { 0 };

	(void)state;
	if (eal_test_start("test_classify_node", NULL, 0) < 0)
		return -1;
	ring_ports();
	if (cfg_load_string("node.cfg", config_text, ferry_sections,
			    FERRY_N_SECTIONS, &model, &d) != 0) {
		fprintf(stderr, "%s\n", d.n ? d.msg[0] : "?");
		return -1;
	}
	if (pkt_init() < 0 || port_setup(model, 1) < 0 ||
	    graph_workers_init(model) < 0 || iface_setup(model) < 0 ||
	    route_setup(model) < 0 || classify_setup(model) < 0 ||
	    cfg_txn_start(model, NULL) < 0 || graph_build() < 0)
		return -1;
	graph = graph_worker(0)->graph;
	pool_idle = rte_mempool_in_use_count(port_mempool());
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	classify_teardown();
	route_teardown();
	graph_teardown();
	port_teardown();
	cfg_model_free(model);
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_edits_between_walks),
		cmocka_unit_test(test_reload),
	};

	return cmocka_run_group_tests_name("classify_node", tests, setup,
					   teardown);
}
