/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/qos in an in-process data plane: two ring-backed ports, two
 * worker graphs walked on test threads (as fuzz_packet does), port "b"
 * scheduled. Port "a" is polled by worker 0 and "b"'s scheduler belongs
 * to worker 1, so routed packets take the hand-off ring:
 *   - everything worker 0 routes to b comes out of b once worker 1 polls,
 *     in order, and nothing is left in the mempool;
 *   - a class with RED (red_min 400, red_max 800 packets) fed 900 packets
 *     at once drops early (qos_red) and never reaches its queue limit;
 *   - a live change is applied by the owner while it runs (the message
 *     path), a change the scheduler refuses comes back refused, and with
 *     the owner stopped a change times out and changes nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_graph_worker.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "eal_test.h"
#include "graph.h"
#include "iface.h"
#include "pkt.h"
#include "port.h"
#include "qos_priv.h"
#include "route.h"
#include "sections.h"

#define N_PKTS 200

static const char config[] =
	"ports = (\n"
	" { name = \"a\"; device = \"net_ring_qa\"; mac = \"02:00:00:00:00:10\"; },\n"
	" { name = \"b\"; device = \"net_ring_qb\"; mac = \"02:00:00:00:00:11\"; } );\n"
	"interfaces = (\n"
	" { name = \"a\"; port = \"a\"; address = \"192.168.1.1/24\"; },\n"
	" { name = \"b\"; port = \"b\"; address = \"10.0.0.1/30\"; } );\n"
	"vrfs = ( { name = \"default\"; id = 0; routes = (\n"
	"   { prefix = \"0.0.0.0/0\"; via = \"10.0.0.2\"; } ); } );\n"
	"neighbours = ( { interface = \"b\"; address = \"10.0.0.2\";\n"
	"   mac = \"02:00:00:00:aa:01\"; } );\n"
	"buffers = { mbufs = 4095; cache = 0; };\n"
	"workers = ( { lcore = 1; rx = ( \"a:0\" ); },\n"
	"            { lcore = 2; rx = ( \"b:0\" ); } );\n"
	"eal = { lcores = \"0-2\"; huge = false; };\n"
	"qos = { ports = ( { port = \"b\"; rate = 1000000000; default_class = 1;\n"
	"   classes = ( { id = 1; rate = 600000000; queue_limit = 1000;\n"
	"                 red_min = 400; red_max = 800; red_wq_log2 = 1; },\n"
	"               { id = 2; rate = 400000000; dscp = [ \"46\" ]; } ); } ); };\n";

static struct rte_ring *rx_ring[2], *tx_ring[2][2]; /* [port][worker] */
static struct qos_port_rt *q;
static unsigned int pool_idle;
static volatile bool owner_run;

static int
setup(void **state)
{
	struct cfg_model *m = NULL;
	struct cfg_diag d = { 0 };
	char name[32];
	int i;

	(void)state;
	if (eal_test_start("test_qos_dataplane", NULL, 0) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "qrx%d", i);
		rx_ring[i] = rte_ring_create(name, 1024, 0,
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "qtx%d0", i);
		tx_ring[i][0] = rte_ring_create(name, 1024, 0,
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "qtx%d1", i);
		tx_ring[i][1] = rte_ring_create(name, 1024, 0,
						RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "q%c", 'a' + i);
		if (rx_ring[i] == NULL || tx_ring[i][0] == NULL ||
		    tx_ring[i][1] == NULL ||
		    rte_eth_from_rings(name, &rx_ring[i], 1, tx_ring[i], 2,
				       0) < 0)
			return -1;
	}
	if (cfg_load_string("qos.cfg", config, ferry_sections,
			    FERRY_N_SECTIONS, &m, &d) != 0) {
		fprintf(stderr, "%s\n", d.n ? d.msg[0] : "?");
		return -1;
	}
	if (pkt_init() < 0 || port_setup(m, 2) < 0 ||
	    graph_workers_init(m) < 0 || iface_setup(m) < 0 ||
	    route_setup(m) < 0 || qos_setup(m) < 0 ||
	    cfg_txn_start(m, NULL) < 0 || graph_build() < 0)
		return -1;
	q = qos_ports[port_find("b")];
	pool_idle = rte_mempool_in_use_count(port_mempool());
	return q != NULL && q->owner == 1 ? 0 : -1;
}

/* As ferry's own shutdown: queued packets freed, nothing left behind. */
static int
teardown(void **state)
{
	(void)state;
	qos_teardown();
	route_teardown();
	graph_teardown();
	port_teardown();
	eal_test_stop();
	return 0;
}

static struct rte_mbuf *
udp_frame(uint16_t id, uint8_t dscp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
	uint8_t *p;
	struct rte_ipv4_hdr *ip;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, 60));
	p = rte_pktmbuf_mtod(m, uint8_t *);
	ip = (struct rte_ipv4_hdr *)(p + 14);
	memset(p, 0, 60);
	memcpy(p, "\x02\0\0\0\0\x10\x02\0\0\0\x01\x01\x08\x00", 14);
	ip->version_ihl = 0x45;
	ip->type_of_service = (uint8_t)(dscp << 2);
	ip->total_length = rte_cpu_to_be_16(46);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc0a8010a);   /* 192.168.1.10 */
	ip->dst_addr = rte_cpu_to_be_32(0xc6336407);   /* 198.51.100.7 */
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return m;
}

static void
routed_packets_cross_the_ring_to_the_owner(void **state)
{
	struct rte_graph *w0 = graph_worker(0)->graph;
	struct rte_graph *w1 = graph_worker(1)->graph;
	struct qos_class_stats st;
	void *out[N_PKTS];
	unsigned int i, n = 0, k;

	(void)state;
	for (i = 0; i < N_PKTS; i++)
		assert_int_equal(rte_ring_enqueue(rx_ring[0],
			udp_frame((uint16_t)i, i % 2 ? 46 : 0)), 0);
	for (i = 0; i < 20; i++)
		rte_graph_walk(w0);
	/* worker 0 does not own b's scheduler: nothing sent on its queue */
	assert_int_equal(rte_ring_count(tx_ring[1][0]), 0);
	assert_int_equal(rte_ring_count(q->ring), N_PKTS);
	for (i = 0; i < 100 && n < N_PKTS; i++) {
		rte_graph_walk(w1);
		/* the owner transmits on its own queue of b */
		n += rte_ring_dequeue_burst(tx_ring[1][1], &out[n], N_PKTS - n,
					    NULL);
	}
	assert_int_equal(n, N_PKTS);
	/* FIFO per class: ids of each class come out in order. */
	for (k = 0; k < 2; k++) {
		int last = -1;

		for (i = 0; i < n; i++) {
			struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(
				(struct rte_mbuf *)out[i],
				struct rte_ipv4_hdr *, 14);
			int id = rte_be_to_cpu_16(ip->packet_id);

			if ((ip->type_of_service >> 2 == 46) != (k == 1))
				continue;
			assert_true(id > last);
			last = id;
		}
	}
	rte_pktmbuf_free_bulk((struct rte_mbuf **)out, n);
	qos_sched_class_stats(q->sched, 1, &st);
	assert_int_equal(st.sent_pkts, N_PKTS / 2);   /* DSCP 46 -> class 2 */
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), pool_idle);
}

static void
red_drops_early(void **state)
{
	struct rte_graph *w0 = graph_worker(0)->graph;
	struct rte_graph *w1 = graph_worker(1)->graph;
	uint64_t red0 = graph_drops_total(DROP_QOS_RED);
	void *out[64];
	unsigned int i, sent = 0, n;
	uint64_t red;

	(void)state;
	for (i = 0; i < 900; i++)
		assert_int_equal(rte_ring_enqueue(rx_ring[0],
			udp_frame((uint16_t)i, 0)), 0);
	for (i = 0; i < 100 && rte_ring_count(rx_ring[0]) > 0; i++)
		rte_graph_walk(w0);
	for (i = 0; i < 2000 && sent + (graph_drops_total(DROP_QOS_RED) -
					red0) < 900; i++) {
		rte_graph_walk(w1);
		while ((n = rte_ring_dequeue_burst(tx_ring[1][1], out, 64,
						   NULL)) > 0) {
			rte_pktmbuf_free_bulk((struct rte_mbuf **)out, n);
			sent += n;
		}
	}
	red = graph_drops_total(DROP_QOS_RED) - red0;
	assert_true(red > 0);
	assert_int_equal(sent + red, 900);
	assert_int_equal(graph_drops_total(DROP_QOS_QUEUE_FULL), 0);
	assert_int_equal(rte_mempool_in_use_count(port_mempool()), pool_idle);
}

static void *
owner_loop(void *arg)
{
	(void)arg;
	while (owner_run)
		rte_graph_walk(graph_worker(1)->graph);
	return NULL;
}

static void
params_of(struct qos_sched_params *p, struct qos_class_params *c,
	  uint64_t rate1)
{
	c[0] = (struct qos_class_params){ 1, 0, rate1, 1000000000, 0, 1000 };
	c[1] = (struct qos_class_params){ 2, 0, 400000000, 1000000000, 0, 256 };
	*p = (struct qos_sched_params){ 1000000000, 24, 1518, 10000, 1, 2, c };
}

static void
live_change_is_a_message_to_the_owner(void **state)
{
	struct qos_class_params c[2];
	struct qos_sched_params p;
	pthread_t t;

	(void)state;
	params_of(&p, c, 500000000);
	owner_run = true;
	assert_int_equal(pthread_create(&t, NULL, owner_loop, NULL), 0);
	assert_int_equal(qos_port_update(q, &p), 0);
	c[1].parent = 1; /* another tree: the owner refuses it */
	assert_int_equal(qos_port_update(q, &p), -EINVAL);
	owner_run = false;
	pthread_join(t, NULL);
	/* Nobody polls: the change times out and is taken back. */
	c[1].parent = 0;
	assert_int_equal(qos_port_update(q, &p), -ETIMEDOUT);
	assert_null(q->pending);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routed_packets_cross_the_ring_to_the_owner),
		cmocka_unit_test(red_drops_early),
		cmocka_unit_test(live_change_is_a_message_to_the_owner),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
