/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What ferry guarantees when one SA's packets are handled by several
 * lcores at once, tested with two threads on one SA pair (AES-GCM-128),
 * through the same calls the ESP nodes make:
 *   - outbound: sequence numbers never repeat and none is skipped
 *     (librte_ipsec RTE_IPSEC_SAFLAG_SQN_ATOM, one atomic add a burst);
 *   - inbound: every packet is accepted exactly once even when each one
 *     arrives twice, once on each thread, concurrently (the window is
 *     checked by many readers and updated by one writer at a time,
 *     ipsec_inb_process()).
 * The threads meet at a barrier every 1024 packets so that neither runs
 * more than a window (4096) ahead, as NIC queues of one link would.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_esp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "eal_test.h"
#include "ipsec_priv.h"

#define N_PKTS 8192     /* per direction in all */
#define BURST 32
#define SYNC_EVERY 1024

static struct rte_mempool *pool;
static struct ipsec_sa *sa_out, *sa_in;
static struct rte_mbuf *esp[N_PKTS];   /* what the outbound SA made */
static pthread_barrier_t barrier;

static struct ipsec_sa_conf
conf(int dir)
{
	struct ipsec_sa_conf c = {
		.spi = 4097, .direction = dir, .local = 0xcb007101,
		.remote = 0xcb007102, .algorithm = "aes-gcm-128",
		.key = "000102030405060708090a0b0c0d0e0f", .salt = "cafebabe",
		.replay_window = 4096, .ttl = 64,
	};
	return c;
}

static struct rte_mbuf *
clear_pkt(uint32_t i)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ipv4_hdr *ip;
	char *p;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, 100));
	p = rte_pktmbuf_mtod(m, char *);
	memset(p, 0, 100);
	ip = (struct rte_ipv4_hdr *)p;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(100);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc0a8010a);
	ip->dst_addr = rte_cpu_to_be_32(0x0a020000 + i);
	m->l2_len = 0;
	return m;
}

static uint32_t
seq_of(struct rte_mbuf *m)
{
	const struct rte_esp_hdr *e = rte_pktmbuf_mtod_offset(m,
		const struct rte_esp_hdr *, sizeof(struct rte_ipv4_hdr));

	return rte_be_to_cpu_32(e->seq);
}

static void *
encrypt_thread(void *arg)
{
	unsigned int base = (unsigned int)(uintptr_t)arg, i, k, good;
	struct rte_mbuf *m[BURST];

	for (i = 0; i < N_PKTS / 2; i += BURST) {
		for (k = 0; k < BURST; k++)
			m[k] = clear_pkt(base + i + k);
		k = rte_ipsec_pkt_cpu_prepare(&sa_out->ss, m, BURST);
		good = rte_ipsec_pkt_process(&sa_out->ss, m, k);
		if (good != BURST)
			return (void *)1;
		for (k = 0; k < BURST; k++) /* slot = its sequence number */
			esp[seq_of(m[k]) - 1] = m[k];
		if ((i + BURST) % SYNC_EVERY == 0)
			pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void
test_outbound_sequence_unique(void **state)
{
	pthread_t t[2];
	void *rc[2];
	unsigned int i;

	(void)state;
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&t[0], NULL, encrypt_thread, (void *)0);
	pthread_create(&t[1], NULL, encrypt_thread, (void *)(N_PKTS / 2));
	pthread_join(t[0], &rc[0]);
	pthread_join(t[1], &rc[1]);
	pthread_barrier_destroy(&barrier);
	assert_null(rc[0]);
	assert_null(rc[1]);
	/* every number 1..N used exactly once: each slot filled once */
	for (i = 0; i < N_PKTS; i++) {
		assert_non_null(esp[i]);
		assert_int_equal(seq_of(esp[i]), i + 1);
	}
}

/* Decrypt a burst as ferry_esp_decrypt does; @return packets accepted. */
static unsigned int
inbound_burst(struct rte_mbuf **m, uint16_t n)
{
	uint16_t k, g = 0, i, good;

	for (i = 0; i < n; i++) {
		m[i]->hash.usr = seq_of(m[i]); /* as ferry_esp_decrypt does */
		m[i]->l2_len = 0;
		m[i]->l3_len = sizeof(struct rte_ipv4_hdr);
	}
	k = rte_ipsec_pkt_cpu_prepare(&sa_in->ss, m, n);
	for (i = 0; i < k; i++)
		if (!(m[i]->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED))
			m[g++] = m[i];
	good = ipsec_inb_process(sa_in, m, g);
	rte_pktmbuf_free_bulk(m, n);
	return good;
}

struct in_arg {
	unsigned int first;   /* which copy of each pair this thread takes */
	unsigned int accepted;
};

static struct rte_mbuf *copies[2][N_PKTS];

static void *
decrypt_thread(void *p)
{
	struct in_arg *a = p;
	struct rte_mbuf *m[BURST];
	unsigned int i, k;

	/* both threads see every sequence number, in bursts whose order
	 * differs: thread 0 forwards, thread 1 pairwise swapped */
	for (i = 0; i < N_PKTS; i += BURST) {
		for (k = 0; k < BURST; k++)
			m[k] = copies[a->first][i + (a->first ? k ^ 1 : k)];
		a->accepted += inbound_burst(m, BURST);
		if ((i + BURST) % SYNC_EVERY == 0)
			pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void
test_inbound_accepted_once(void **state)
{
	struct in_arg a[2] = { { 0, 0 }, { 1, 0 } };
	pthread_t t[2];
	unsigned int i;

	(void)state;
	for (i = 0; i < N_PKTS; i++) {
		copies[0][i] = esp[i];
		copies[1][i] = rte_pktmbuf_copy(esp[i], pool, 0, UINT32_MAX);
		assert_non_null(copies[1][i]);
	}
	pthread_barrier_init(&barrier, NULL, 2);
	pthread_create(&t[0], NULL, decrypt_thread, &a[0]);
	pthread_create(&t[1], NULL, decrypt_thread, &a[1]);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&barrier);
	/* each sequence number arrived twice: accepted exactly once */
	assert_int_equal(a[0].accepted + a[1].accepted, N_PKTS);
}

static int
setup(void **state)
{
	struct ipsec_sa_conf o = conf(IPSEC_DIR_OUT), in = conf(IPSEC_DIR_IN);
	char err[128];

	(void)state;
	if (eal_test_start("test_ipsec_multicore", NULL, 0) < 0 ||
	    crypto_engine_init(NULL) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("mc", 4 * N_PKTS, 0, 0, 2048,
				       SOCKET_ID_ANY);
	sa_out = ipsec_sa_build(&o, err, sizeof(err));
	sa_in = ipsec_sa_build(&in, err, sizeof(err));
	return pool == NULL || sa_out == NULL || sa_in == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	ipsec_sa_release(sa_out);
	ipsec_sa_release(sa_in);
	crypto_engine_fini();
	rte_mempool_free(pool);
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbound_sequence_unique),
		cmocka_unit_test(test_inbound_accepted_once),
	};

	return cmocka_run_group_tests_name("ipsec_multicore", tests, setup,
					   teardown);
}
