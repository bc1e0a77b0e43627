/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One capture session (see capture.h): ethdev callbacks or node hooks
 * on workers copy packets into a ring; the management lcore writes the
 * ring to a pcapng file. Stopping removes the callbacks/hooks first,
 * waits until no worker can be inside one (RCU, graph_rcu()), then
 * writes what is left and frees the ring and pool.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_pcapng.h>
#include <rte_pdump.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_version.h>

#include "capture_priv.h"
#include "graph.h"
#include "node_hook.h"
#include "ferry_log.h"

FERRY_LOG_REGISTER(capture_logtype, capture, NOTICE);
#define CAPTURE_LOG(level, fmt, ...) \
	FERRY_LOG(capture_logtype, capture, level, fmt, ##__VA_ARGS__)

#define RING_SIZE 4096
#define POOL_SIZE (RING_SIZE * 2 - 1)
#define SNAPLEN RTE_MBUF_DEFAULT_DATAROOM /* bytes kept per packet */
#define WRITE_BURST 64
#define COPY_BURST 32

static struct {
	struct capture_status st;
	uint16_t port_id;
	const struct rte_eth_rxtx_callback *rx_cb[PORT_QUEUE_MAX];
	const struct rte_eth_rxtx_callback *tx_cb[PORT_QUEUE_MAX];
	unsigned int dirs;          /* CAPTURE_RX / CAPTURE_TX */
	bool hooked;
	struct node_hook hook;
	uint32_t taken;             /* copies started: atomic, may pass count */
	uint64_t lost;              /* atomic: workers add */
	struct rte_mempool *mp;
	struct rte_ring *ring;
	int fd;                     /* the pcapng file, -1 if none */
	struct capture_clock clock;
	bool both;                  /* node: before and after, same packets */
} cap = { .fd = -1 };

/*
 * A node capture of both sides chooses packets before the node (count
 * applies there) and records after it exactly those it chose, found by
 * their mbuf in what the node passed on. Before and after of one node
 * call run in one hook wrapper call on one lcore, so the choice of the
 * current call is kept per lcore. A node called with more packets than
 * this records the rest on neither side.
 */
#define CHOSEN_MAX 512
struct chosen {
	void *pkt[CHOSEN_MAX];
	uint16_t n;
};
static RTE_DEFINE_PER_LCORE(struct chosen, chosen);

/* ---- worker side ---- */

/* Copy one packet into @p c, stamped; false (counted lost) if no room. */
static bool
copy_one(uint16_t port_id, uint32_t queue, void *pkt,
	 enum rte_pcapng_direction dir, struct rte_mbuf **c)
{
	uint64_t tsc = rte_get_tsc_cycles();

	*c = rte_pcapng_copy(port_id, queue, pkt, cap.mp, SNAPLEN, tsc, dir);
	if (*c == NULL)
		return false;
	/* One interface per capture: the port, or the node. */
	capture_block_stamp(*c, 0, capture_clock_ns(&cap.clock, tsc));
	return true;
}

static uint64_t
enqueue_copies(struct rte_mbuf **c, unsigned int k)
{
	unsigned int done = rte_ring_enqueue_burst(cap.ring, (void **)c, k,
						   NULL);

	rte_pktmbuf_free_bulk(&c[done], k - done);
	return k - done;
}

/* Copy @p n packets; with @p counted, only while the count allows. */
static void
copy_burst(uint16_t port_id, uint32_t queue, void **pkts, uint16_t n,
	   enum rte_pcapng_direction dir, bool counted)
{
	struct rte_mbuf *c[COPY_BURST];
	unsigned int k = 0, i;
	uint64_t lost = 0;

	for (i = 0; i < n; i++) {
		if (counted && __atomic_fetch_add(&cap.taken, 1,
						  __ATOMIC_RELAXED) >=
		    cap.st.count)
			break;
		if (!copy_one(port_id, queue, pkts[i], dir, &c[k])) {
			lost++;
			continue;
		}
		if (++k == COPY_BURST) {
			lost += enqueue_copies(c, k);
			k = 0;
		}
	}
	if (k != 0)
		lost += enqueue_copies(c, k);
	if (lost != 0)
		__atomic_fetch_add(&cap.lost, lost, __ATOMIC_RELAXED);
}

static inline bool
capture_full(void)
{
	return __atomic_load_n(&cap.taken, __ATOMIC_RELAXED) >= cap.st.count;
}

static uint16_t
rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[],
      uint16_t n, uint16_t max, void *arg)
{
	RTE_SET_USED(max);
	RTE_SET_USED(arg);
	if (!capture_full())
		copy_burst(port_id, queue, (void **)pkts, n,
			   RTE_PCAPNG_DIRECTION_IN, true);
	return n;
}

static uint16_t
tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf *pkts[], uint16_t n,
      void *arg)
{
	RTE_SET_USED(arg);
	if (!capture_full())
		copy_burst(port_id, queue, (void **)pkts, n,
			   RTE_PCAPNG_DIRECTION_OUT, true);
	return n;
}

/*
 * Inside the graph a packet may start at its IPv4 header (eth_input
 * strips L2, ip4_rewrite puts the new one on). The file is Ethernet, so
 * such a packet is written behind a placeholder header (zero MACs, type
 * IPv4): it is put in the headroom for the copy and the headroom's bytes
 * are restored after, so the packet itself is left as it was.
 */
static bool
starts_ipv4(const struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	return m->data_len >= 20 && p[0] >> 4 == 4 && (p[0] & 0xf) >= 5 &&
	       (uint32_t)(p[2] << 8 | p[3]) == m->pkt_len;
}

static void
node_copy_one(struct rte_mbuf *m, enum rte_pcapng_direction dir,
	      bool counted)
{
	uint8_t saved[RTE_ETHER_HDR_LEN];
	struct rte_ether_hdr *eth;
	uint16_t port = rte_eth_dev_is_valid_port(m->port) ? m->port : 0;
	void *obj = m;

	if (!starts_ipv4(m) || rte_pktmbuf_headroom(m) < sizeof(saved)) {
		copy_burst(port, 0, &obj, 1, dir, counted);
		return;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(saved));
	memcpy(saved, eth, sizeof(saved));
	memset(eth, 0, sizeof(*eth));
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	copy_burst(port, 0, &obj, 1, dir, counted);
	memcpy(eth, saved, sizeof(saved));
	rte_pktmbuf_adj(m, sizeof(saved));
}

/* One side only: the count applies to that side. */
static void
node_copy(void **objs, uint16_t n, enum rte_pcapng_direction dir)
{
	uint16_t i;

	for (i = 0; i < n && !capture_full(); i++)
		node_copy_one(objs[i], dir, true);
}

/* Both sides, before: choose packets while the count allows. */
static void
node_choose(void **objs, uint16_t n)
{
	struct chosen *ch = &RTE_PER_LCORE(chosen);
	uint16_t i;

	ch->n = 0;
	for (i = 0; i < n && ch->n < CHOSEN_MAX; i++) {
		if (__atomic_fetch_add(&cap.taken, 1, __ATOMIC_RELAXED) >=
		    cap.st.count)
			break;
		ch->pkt[ch->n++] = objs[i];
		node_copy_one(objs[i], RTE_PCAPNG_DIRECTION_IN, false);
	}
}

/* Both sides, after: the chosen packets among what the node passed on. */
static void
node_copy_chosen(void **objs, uint16_t n)
{
	struct chosen *ch = &RTE_PER_LCORE(chosen);
	uint16_t i, j;

	for (i = 0; i < n && ch->n != 0; i++)
		for (j = 0; j < ch->n; j++) {
			if (ch->pkt[j] != objs[i])
				continue;
			node_copy_one(objs[i], RTE_PCAPNG_DIRECTION_OUT,
				      false);
			ch->pkt[j] = ch->pkt[--ch->n];
			break;
		}
}

static void
node_before(struct node_hook *h, const struct rte_node *node, void **objs,
	    uint16_t cnt)
{
	RTE_SET_USED(h);
	RTE_SET_USED(node);
	if (cap.both)
		node_choose(objs, cnt);
	else if (cap.dirs & CAPTURE_RX)
		node_copy(objs, cnt, RTE_PCAPNG_DIRECTION_IN);
}

static void
node_after(struct node_hook *h, const struct rte_node *node,
	   const struct rte_node *next, void **objs, uint16_t cnt,
	   bool source)
{
	RTE_SET_USED(h);
	RTE_SET_USED(node);
	RTE_SET_USED(next);
	/* A source node is given nothing: its after side is all there is. */
	if (cap.both && !source)
		node_copy_chosen(objs, cnt);
	else if (cap.dirs & CAPTURE_TX)
		node_copy(objs, cnt, RTE_PCAPNG_DIRECTION_OUT);
}

/* ---- management side ---- */

static void
session_free(void)
{
	if (cap.fd >= 0)
		close(cap.fd);
	cap.fd = -1;
	rte_ring_free(cap.ring);
	cap.ring = NULL;
	rte_mempool_free(cap.mp);
	cap.mp = NULL;
}

/* Ring, pool and file of a new session, its one interface named
 * @p iface. @return 0 or -errno. */
static int
session_open(const char *path, const char *comment, const char *iface,
	     const char *desc)
{
	char hw[32];
	int rc;

	cap.ring = rte_ring_create("ferry_capture", RING_SIZE,
				   (int)rte_socket_id(), RING_F_SC_DEQ);
	cap.mp = rte_pktmbuf_pool_create("ferry_capture", POOL_SIZE, 0, 0,
					 (uint16_t)rte_pcapng_mbuf_size(SNAPLEN),
					 (int)rte_socket_id());
	if (cap.ring == NULL || cap.mp == NULL) {
		session_free();
		return -ENOMEM;
	}
	cap.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (cap.fd < 0) {
		rc = -errno;
		session_free();
		return rc;
	}
	snprintf(hw, sizeof(hw), "DPDK %s", rte_version());
	rc = capture_file_header(cap.fd, hw, "ferry " FERRY_VERSION, comment);
	if (rc == 0)
		rc = capture_file_interface(cap.fd, iface, desc, SNAPLEN);
	if (rc < 0) {
		session_free();
		unlink(path);
	}
	capture_clock_start(&cap.clock);
	return rc;
}

static int
session_begin(const char *path, uint32_t count, const char *what,
	      const char *iface, const char *desc)
{
	struct capture_status last = cap.st;
	int rc;

	if (cap.st.active)
		return -EBUSY;
	if (count == 0 || count > CAPTURE_COUNT_MAX)
		return -EINVAL;
	memset(&cap.st, 0, sizeof(cap.st));
	cap.st.pdump = last.pdump;
	memcpy(cap.st.pdump_why, last.pdump_why, sizeof(cap.st.pdump_why));
	snprintf(cap.st.what, sizeof(cap.st.what), "%s", what);
	snprintf(cap.st.path, sizeof(cap.st.path), "%s", path);
	cap.st.count = count;
	cap.taken = 0;
	cap.lost = 0;
	rc = session_open(path, what, iface, desc);
	if (rc < 0)
		cap.st = last; /* `show capture` keeps showing the last one */
	return rc;
}

static void
dirs_name(unsigned int dirs, const char *in, const char *out, char *buf,
	  size_t len)
{
	snprintf(buf, len, "%s%s%s", dirs & CAPTURE_RX ? in : "",
		 dirs == (CAPTURE_RX | CAPTURE_TX) ? " " : "",
		 dirs & CAPTURE_TX ? out : "");
}

int
capture_port_start(unsigned int port, unsigned int dirs, const char *path,
		   uint32_t count)
{
	const struct port *p = port_get(port);
	char what[96], d[16], desc[160];
	uint16_t q;
	int rc;

	if (p == NULL || dirs == 0 || (dirs & ~(CAPTURE_RX | CAPTURE_TX)))
		return -EINVAL;
	dirs_name(dirs, "rx", "tx", d, sizeof(d));
	snprintf(what, sizeof(what), "port %s %s", p->name, d);
	snprintf(desc, sizeof(desc), "ferry port %s (DPDK port %u): "
		 "inbound = received, outbound = offered to transmit",
		 p->name, p->port_id);
	rc = session_begin(path, count, what, p->name, desc);
	if (rc < 0)
		return rc;
	cap.port_id = p->port_id;
	cap.dirs = dirs;
	cap.both = false;
	for (q = 0; q < p->n_rxq && (dirs & CAPTURE_RX) && rc == 0; q++) {
		cap.rx_cb[q] = rte_eth_add_rx_callback(p->port_id, q, rx_cb,
						       NULL);
		rc = cap.rx_cb[q] == NULL ? -rte_errno : 0;
	}
	for (q = 0; q < p->n_txq && (dirs & CAPTURE_TX) && rc == 0; q++) {
		cap.tx_cb[q] = rte_eth_add_tx_callback(p->port_id, q, tx_cb,
						       NULL);
		rc = cap.tx_cb[q] == NULL ? -rte_errno : 0;
	}
	cap.st.active = true;
	if (rc < 0) /* DPDK built without RTE_ETHDEV_RXTX_CALLBACKS */
		capture_stop();
	return rc;
}

int
capture_node_start(const char *node, unsigned int dirs, const char *path,
		   uint32_t count)
{
	rte_node_t id = rte_node_from_name(node);
	char what[96], d[16], desc[200];
	int rc;

	if (id == RTE_NODE_ID_INVALID)
		return -ENOENT;
	if (dirs == 0 || (dirs & ~(CAPTURE_RX | CAPTURE_TX)))
		return -EINVAL;
	dirs_name(dirs, "before", "after", d, sizeof(d));
	snprintf(what, sizeof(what), "node %s %s", node, d);
	snprintf(desc, sizeof(desc), "ferry graph node %s: inbound = given "
		 "to it (before), outbound = passed on by it (after)", node);
	rc = session_begin(path, count, what, node, desc);
	if (rc < 0)
		return rc;
	memset(&cap.hook, 0, sizeof(cap.hook));
	cap.hook.before = node_before;
	cap.hook.after = node_after;
	cap.dirs = dirs;
	cap.both = dirs == (CAPTURE_RX | CAPTURE_TX);
	cap.st.both = cap.both;
	rc = node_hook_select(&cap.hook, id);
	if (rc == 0)
		rc = node_hook_attach(&cap.hook);
	if (rc < 0) {
		session_free();
		return rc;
	}
	cap.hooked = true;
	cap.st.active = true;
	return 0;
}

/* Write what the ring holds. */
static void
ring_write(void)
{
	struct rte_mbuf *m[WRITE_BURST];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(cap.ring, (void **)m, WRITE_BURST,
					   NULL)) != 0) {
		if (capture_file_blocks(cap.fd, m, n) < 0)
			__atomic_fetch_add(&cap.lost, n, __ATOMIC_RELAXED);
		else
			cap.st.written += n;
		rte_pktmbuf_free_bulk(m, n);
	}
}

static void
callbacks_remove(void)
{
	uint16_t q;

	for (q = 0; q < PORT_QUEUE_MAX; q++) {
		if (cap.rx_cb[q] != NULL)
			rte_eth_remove_rx_callback(cap.port_id, q,
						   cap.rx_cb[q]);
		if (cap.tx_cb[q] != NULL)
			rte_eth_remove_tx_callback(cap.port_id, q,
						   cap.tx_cb[q]);
		cap.rx_cb[q] = NULL;
		cap.tx_cb[q] = NULL;
	}
}

void
capture_stop(void)
{
	if (!cap.st.active)
		return;
	if (cap.hooked)
		node_hook_detach(&cap.hook); /* waits for the workers */
	cap.hooked = false;
	callbacks_remove();
	/* ethdev frees nothing on removal; wait until no worker is still
	 * in a callback before the ring and pool go. */
	if (graph_rcu() != NULL)
		rte_rcu_qsbr_synchronize(graph_rcu(), RTE_QSBR_THRID_INVALID);
	ring_write();
	cap.st.lost = __atomic_load_n(&cap.lost, __ATOMIC_RELAXED);
	session_free();
	cap.st.active = false;
}

void
capture_poll(void)
{
	if (!cap.st.active)
		return;
	ring_write();
	if (capture_full())
		capture_stop();
}

void
capture_status_get(struct capture_status *st)
{
	*st = cap.st;
	if (cap.st.active)
		st->lost = __atomic_load_n(&cap.lost, __ATOMIC_RELAXED);
}

static const char *pdump_why; /* set by the app from EAL's options */

void
capture_pdump_unavailable(const char *why)
{
	pdump_why = why;
}

int
capture_setup(void)
{
	const char *why = pdump_why;

	if (why == NULL && !rte_eal_has_hugepages())
		why = "EAL runs without hugepages, whose memory no other "
		      "process can map";
	else if (why == NULL && rte_pdump_init() < 0)
		why = "DPDK multi-process is off (rte_pdump_init failed)";
	cap.st.pdump = why == NULL;
	snprintf(cap.st.pdump_why, sizeof(cap.st.pdump_why), "%s",
		 why != NULL ? why : "");
	if (why != NULL)
		CAPTURE_LOG(NOTICE, "dpdk-pdump cannot attach: %s; the "
			    "capture command works", why);
	return 0;
}

void
capture_teardown(void)
{
	capture_stop();
	if (cap.st.pdump)
		rte_pdump_uninit();
	cap.st.pdump = false;
}

#include "module.h"

/* After trace's: its node captures use trace's hooks. */
static int
capture_start(const struct cfg_model *model)
{
	RTE_SET_USED(model);
	return capture_setup();
}

static void
capture_control_poll(uint64_t now_ms)
{
	RTE_SET_USED(now_ms);
	capture_poll();
}

const struct ferry_module capture_module = {
	.name = "capture",
	.cli_register = capture_cli_register,
	.start = capture_start,
	.control_poll = capture_control_poll,
	.teardown = capture_teardown,
};
