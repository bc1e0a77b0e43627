/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Representors and the management lcore's half of the exception path:
 * punted packets from the ring to the TAPs (the L2 header they arrived
 * with, VLAN tag removed), frames the kernel writes on a TAP to a
 * worker's inject ring, carrier and MTU kept in step with the interface.
 *
 * What the kernel writes is sent on by kind (doc/control-plane.md):
 *   - IPv4 or IPv6 to a unicast MAC: routed by ferry's FIB in the
 *     interface's VRF (ferry_ip4_lookup / ferry_ip6_lookup, as ferry's
 *     own packet: no TTL or hop limit decrement), so a destination
 *     behind another interface leaves by that one and ferry's neighbour
 *     table, not the kernel's, picks the MAC;
 *   - ARP requests, neighbour solicitations, broadcast and multicast
 *     IPv4 and IPv6 (OSPF hellos): out of the interface's port as they
 *     are, VLAN tag added;
 *   - ARP replies, neighbour advertisements, router solicitations and
 *     advertisements, redirects (ferry alone answers ARP and ND for its
 *     addresses on the wire), other ethertypes, tagged frames, runts:
 *     dropped as cp_tap_frame.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/uio.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "cp_priv.h"
#include "port.h"
#include "route.h"

RTE_LOG_REGISTER_SUFFIX(cp_logtype, control_plane, NOTICE);

struct cp_rep *cp_reps[IFACE_MAX];
struct cp_worker cp_workers[GRAPH_WORKER_MAX];
struct rte_ring *cp_ring;
struct cfg_model *cp_model;

#define CP_BURST 32
/* Frames read from one TAP per poll: a TAP's queue (txqueuelen 1000)
 * emptied at once, since on a loaded machine the management lcore may
 * come round only tens of times a second. */
#define CP_TAP_READ_MAX 1024
#define CP_SYNC_MS 1000

static uint64_t last_sync_ms;

static void
copp_buckets_init(const struct cp_conf *c)
{
	unsigned int nw = graph_worker_count() == 0 ? 1 : graph_worker_count();
	uint64_t hz = rte_get_tsc_hz(), now = rte_rdtsc();
	unsigned int w, k;

	/* Each worker gets its share: no bucket is shared, no lock. */
	for (w = 0; w < GRAPH_WORKER_MAX; w++)
		for (k = 0; k < COPP_MAX; k++) {
			const struct cp_class_conf *cc = &c->copp.cls[k];

			copp_bucket_init(&cp_workers[w].bucket[k], hz,
					 (cc->rate + nw - 1) / nw,
					 (cc->burst + nw - 1) / nw, now);
		}
}

/* Carrier: the interface is up and its port has link. */
static bool
carrier_of(const struct iface *ifc)
{
	struct rte_eth_link link = { 0 };

	if (!ifc->up)
		return false;
	if (rte_eth_link_get_nowait(ifc->port_id, &link) < 0)
		return true;
	return link.link_status == RTE_ETH_LINK_UP;
}

static void
rep_sync(struct cp_rep *r)
{
	const struct iface *ifc = iface_get(r->iface);
	bool carrier = carrier_of(ifc);

	if (carrier != r->carrier && tap_carrier_set(r->fd, carrier) == 0)
		r->carrier = carrier;
	if (ifc->mtu != r->mtu && tap_mtu_set(r->netns, r->ifindex,
					      ifc->mtu) == 0)
		r->mtu = ifc->mtu;
}

static void
rep_free(struct cp_rep *r)
{
	if (r->fd >= 0)
		close(r->fd);
	rte_free(r);
}

/* Make the TAP of row @p conf of model @p m and publish it. */
static int
rep_install(const struct cfg_model *m, const struct cp_rep_conf *conf,
	    char *err, size_t len)
{
	int ifx = iface_find(conf->interface);
	const struct iface *ifc;
	struct cp_rep *r;
	int rc;

	if (ifx < 0) {
		snprintf(err, len, "no such interface %s", conf->interface);
		return -ENODEV;
	}
	ifc = iface_get((unsigned int)ifx);
	r = rte_zmalloc("cp_rep", sizeof(*r), 0);
	if (r == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	r->conf = *conf;
	if (r->conf.name[0] == '\0')
		cp_tap_name_default(conf->interface, r->conf.name,
				    sizeof(r->conf.name));
	snprintf(r->netns, sizeof(r->netns), "%s",
		 cp_rep_netns(m, conf));
	r->iface = (unsigned int)ifx;
	r->fd = tap_open(r->netns, r->conf.name, ifc->ip6, &r->ifindex, err,
			 len);
	rc = r->fd < 0 ? r->fd :
	     tap_configure(r->netns, r->ifindex, ifc, err, len);
	if (rc == 0)
		rc = tap_carrier_set(r->fd, false);
	if (rc < 0) {
		rep_free(r);
		return rc;
	}
	r->mtu = ifc->mtu;
	rep_sync(r);
	cp_reps[ifx] = r;
	rc = route_punt_set(r->iface, true);
	if (rc < 0) {
		cp_reps[ifx] = NULL;
		rep_free(r);
		snprintf(err, len, "cannot punt for it: %s", strerror(-rc));
	}
	return rc;
}

static void
rep_uninstall(unsigned int ifx)
{
	struct cp_rep *r = cp_reps[ifx];

	if (r == NULL)
		return;
	/* Workers stop punting for it; packets already on the ring find
	 * no representor and are counted as cp_tap_write. */
	route_punt_set(ifx, false);
	cp_reps[ifx] = NULL;
	rep_free(r);
}

int
cp_setup(struct cfg_model *model)
{
	struct cp_conf *c = cfg_model_section(model, "control_plane");
	int rc;

	cp_model = model;
	cp_ring = rte_ring_create("ferry_cp", CP_RING_SIZE, SOCKET_ID_ANY,
				  RING_F_SC_DEQ);
	if (cp_ring == NULL)
		return -rte_errno;
	rc = route_punt_register(CP_PUNT_NODE);
	if (rc < 0)
		return rc;
	route_arp_copy_register(cp_arp_copy);
	route_nd_copy_register(cp_nd_copy);
	copp_buckets_init(c);
	rc = cp_stats_setup();
	if (rc < 0)
		return rc;
	/* The representors are rows of the start-up change (cp_rep_ops). */
	return 0;
}

void
cp_teardown(void)
{
	struct rte_mbuf *m;
	unsigned int i;

	route_arp_copy_register(NULL);
	route_nd_copy_register(NULL);
	for (i = 0; i < IFACE_MAX; i++)
		rep_uninstall(i);
	while (cp_ring != NULL && rte_ring_dequeue(cp_ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(cp_ring);
	cp_ring = NULL;
	cp_model = NULL;
}

/* Write the frame of @p m (data at its Ethernet header) to the TAP. */
static int
tap_write(struct cp_rep *r, struct rte_mbuf *m)
{
	static uint8_t buf[RTE_ETHER_MAX_JUMBO_FRAME_LEN];
	const void *p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);

	if (p == NULL || m->pkt_len > sizeof(buf) ||
	    write(r->fd, p, m->pkt_len) != (ssize_t)m->pkt_len)
		return -EIO;
	r->to_tap++;
	return 0;
}

/*
 * The frame as it arrived, from the L3 data: the Ethernet header is
 * still in the headroom (ferry_eth_input only moved the data offset).
 * A subinterface's TAP gets it untagged: the MACs move over the tag,
 * whose inner ethertype is already the last two bytes before L3.
 */
static bool
l2_restore(struct rte_mbuf *m, const struct iface *ifc)
{
	uint8_t *l3 = rte_pktmbuf_mtod(m, uint8_t *);

	if (rte_pktmbuf_headroom(m) < iface_l2_len(ifc))
		return false;
	if (ifc->vlan != 0)
		memmove(l3 - RTE_ETHER_HDR_LEN, l3 - iface_l2_len(ifc),
			2 * RTE_ETHER_ADDR_LEN);
	return rte_pktmbuf_prepend(m, RTE_ETHER_HDR_LEN) != NULL;
}

static void
punt_to_tap(struct rte_mbuf *m)
{
	uint16_t ifx = pkt_md(m)->in_iface;
	struct cp_rep *r = ifx < IFACE_MAX ? cp_reps[ifx] : NULL;

	if (r == NULL || !l2_restore(m, iface_get(ifx)) ||
	    tap_write(r, m) < 0) {
		graph_control_drop(m, DROP_CP_TAP_WRITE);
		return;
	}
	rte_pktmbuf_free(m);
}

void
cp_arp_copy(struct rte_mbuf *m)
{
	uint16_t ifx = pkt_md(m)->in_iface;
	struct cp_rep *r = ifx < IFACE_MAX ? cp_reps[ifx] : NULL;
	const struct rte_arp_hdr *arp =
		rte_pktmbuf_mtod(m, const struct rte_arp_hdr *);
	uint8_t frame[RTE_ETHER_HDR_LEN + sizeof(*arp)];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;

	if (r == NULL || m->data_len < sizeof(*arp))
		return;
	/* Rebuilt rather than restored: the frame was for ferry's MAC or
	 * broadcast, and the TAP has ferry's MAC. */
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	if (arp->arp_opcode == rte_cpu_to_be_16(RTE_ARP_OP_REPLY))
		rte_ether_addr_copy(&iface_get(ifx)->mac, &eth->dst_addr);
	rte_ether_addr_copy(&arp->arp_data.arp_sha, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	memcpy(eth + 1, arp, sizeof(*arp));
	if (write(r->fd, frame, sizeof(frame)) == (ssize_t)sizeof(frame)) {
		r->to_tap++;
		r->arp_copied++;
	}
}

/*
 * A neighbour advertisement ferry learnt from, to the TAP as it arrived
 * (untagged), so the kernel's neighbour table fills as with ARP: the
 * kernel's own solicitations leave by the port, the answers come to
 * ferry's address and ferry passes them on.
 */
void
cp_nd_copy(struct rte_mbuf *m)
{
	uint16_t ifx = pkt_md(m)->in_iface;
	struct cp_rep *r = ifx < IFACE_MAX ? cp_reps[ifx] : NULL;
	const struct iface *ifc = iface_get(ifx);
	uint16_t type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	struct iovec iov[3];
	ssize_t want;

	if (r == NULL || rte_pktmbuf_headroom(m) < iface_l2_len(ifc))
		return;
	/* The MACs it arrived with; a subinterface's tag left out. */
	iov[0].iov_base = rte_pktmbuf_mtod_offset(m, uint8_t *,
						  -(int)iface_l2_len(ifc));
	iov[0].iov_len = 2 * RTE_ETHER_ADDR_LEN;
	iov[1].iov_base = &type;
	iov[1].iov_len = sizeof(type);
	iov[2].iov_base = rte_pktmbuf_mtod(m, void *);
	iov[2].iov_len = m->data_len;
	want = (ssize_t)(RTE_ETHER_HDR_LEN + m->data_len);
	if (writev(r->fd, iov, 3) == want) {
		r->to_tap++;
		r->arp_copied++;
	}
}

/* Put the interface's VLAN tag on a frame the kernel wrote. */
static bool
vlan_push(struct rte_mbuf *m, uint16_t vlan)
{
	struct rte_vlan_hdr *vh;
	uint8_t *p;

	if (vlan == 0)
		return true;
	p = (uint8_t *)rte_pktmbuf_prepend(m, sizeof(*vh));
	if (p == NULL)
		return false;
	memmove(p, p + sizeof(*vh), 2 * RTE_ETHER_ADDR_LEN);
	vh = (struct rte_vlan_hdr *)(p + 2 * RTE_ETHER_ADDR_LEN);
	vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	vh->vlan_tci = rte_cpu_to_be_16(vlan);
	return true;
}

/* Data at the IP header: routed by ferry's FIB as its own packet. For
 * IPv6 the interface is the one of a link-local destination. */
static bool
tap_frame_route(struct cp_rep *r, struct rte_mbuf *m, bool ip6)
{
	struct pkt_md *md = pkt_md(m);

	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	md->flags = PKT_F_LOCAL_ORIGIN;
	if (ip6) {
		m->packet_type = RTE_PTYPE_L3_IPV6;
		md->out_iface = (uint16_t)r->iface;
	}
	r->from_tap_routed++;
	return true;
}

/* What of the kernel's IPv6 ferry sends: not its ND answers nor router
 * messages (ferry alone speaks for its addresses, sends no RAs). */
static bool
tap_ip6_allowed(const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						    RTE_ETHER_HDR_LEN);
	uint8_t type;

	if (m->data_len < RTE_ETHER_HDR_LEN + IP6_HDR_LEN + 4)
		return false;
	if (ip[6] != IP6_NH_ICMP6)
		return true;
	type = ip[IP6_HDR_LEN];
	return type != CP_ND_RS && type != CP_ND_RA && type != CP_ND_NA &&
	       type != CP_ND_REDIRECT;
}

/* How a frame from the kernel leaves; false = not sent (cp_tap_frame). */
static bool
tap_frame_prepare(struct cp_rep *r, struct rte_mbuf *m)
{
	const struct iface *ifc = iface_get(r->iface);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct pkt_md *md = pkt_md(m);
	bool ucast = rte_is_unicast_ether_addr(&eth->dst_addr);

	memset(md, 0, sizeof(*md));
	md->in_iface = (uint16_t)r->iface;
	md->vrf = ifc->vrf;
	if (m->data_len < RTE_ETHER_HDR_LEN)
		return false;
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) &&
	    ucast &&
	    m->data_len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr))
		return tap_frame_route(r, m, false);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6)) {
		if (!ifc->ip6 || !tap_ip6_allowed(m))
			return false;
		if (ucast)
			return tap_frame_route(r, m, true);
	} else if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *arp =
			(const struct rte_arp_hdr *)(eth + 1);

		if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(*arp) ||
		    arp->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST))
			return false;
	} else if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4)) {
		return false;
	}
	md->flags = PKT_F_INJECT_L2;
	md->out_iface = ifc->port_idx;
	return vlan_push(m, ifc->vlan);
}

static void
tap_frame_send(struct cp_rep *r, struct rte_mbuf *m)
{
	if (!iface_get(r->iface)->up || !tap_frame_prepare(r, m)) {
		r->tap_drops++;
		graph_control_drop(m, DROP_CP_TAP_FRAME);
		return;
	}
	if (graph_inject_by(iface_get(r->iface)->port_idx, m) != 0) {
		graph_control_drop(m, DROP_PUNT_FULL);
		return;
	}
	r->from_tap++;
}

/* Read what the kernel wrote on one TAP, a bounded number of frames. */
static void
tap_read(struct cp_rep *r)
{
	unsigned int i;

	for (i = 0; i < CP_TAP_READ_MAX; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(port_mempool());
		uint16_t room;
		ssize_t n;

		if (m == NULL)
			return;
		room = rte_pktmbuf_tailroom(m);
		n = read(r->fd, rte_pktmbuf_mtod(m, void *), room);
		if (n <= 0) {
			rte_pktmbuf_free(m);
			return;
		}
		m->data_len = (uint16_t)n;
		m->pkt_len = (uint32_t)n;
		/* A frame that filled the buffer may have been cut. */
		if (n >= room) {
			r->tap_drops++;
			graph_control_drop(m, DROP_CP_TAP_FRAME);
			continue;
		}
		tap_frame_send(r, m);
	}
}

void
cp_poll(uint64_t now_ms)
{
	struct rte_mbuf *pkts[CP_BURST];
	unsigned int n, i, budget = CP_RING_SIZE;

	if (cp_ring == NULL)
		return;
	/* At most a ring's worth: workers may refill it while we drain. */
	do {
		n = rte_ring_dequeue_burst(cp_ring, (void **)pkts, CP_BURST,
					   NULL);
		for (i = 0; i < n; i++)
			punt_to_tap(pkts[i]);
		budget -= n;
	} while (n == CP_BURST && budget >= CP_BURST);
	for (i = 0; i < IFACE_MAX && i < iface_count(); i++)
		if (cp_reps[i] != NULL)
			tap_read(cp_reps[i]);
	if (now_ms - last_sync_ms >= CP_SYNC_MS) {
		last_sync_ms = now_ms;
		for (i = 0; i < iface_count(); i++)
			if (cp_reps[i] != NULL)
				rep_sync(cp_reps[i]);
	}
}

/* ------------------------------------------------------------------ */
/* "representors" as rows of a change (lib/config's cfg_txn): start-up,
 * `config reload` and the CLI all make and remove TAPs through these. */

static int
rep_row_install(const struct cfg_change *c, char *err, size_t len)
{
	return rep_install(c->model, c->new, err, len);
}

static int
rep_row_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct cp_rep_conf *rc = c->old;
	int ifx = iface_find(rc->interface);

	if (ifx < 0 || cp_reps[ifx] == NULL) {
		snprintf(err, len, "interface %s has no representor",
			 rc->interface);
		return -ENOENT;
	}
	rep_uninstall((unsigned int)ifx);
	return 0;
}

/* A new name or namespace: the TAP is made again (a short gap). */
const struct cfg_list_ops cp_rep_ops = {
	.install = rep_row_install,
	.uninstall = rep_row_uninstall,
};

/* The CLI's edits of a copy of the running model. */

static int
rep_edit_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cp_conf *c = cfg_model_section(m, "control_plane");
	struct cp_rep_conf *have = cfg_array_find(&c->representors,
						  &cp_rep_schema, arg);

	if (have != NULL) {
		snprintf(err, len, "interface %s has a representor already "
			 "(del it first)", have->interface);
		return -EEXIST;
	}
	if (cfg_array_append(&c->representors, sizeof(*have), arg) == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
rep_edit_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct cp_conf *c = cfg_model_section(m, "control_plane");
	const struct cp_rep_conf *key = arg;
	struct cp_rep_conf *have = cfg_array_find(&c->representors,
						  &cp_rep_schema, key);

	if (have == NULL) {
		snprintf(err, len, "interface %s has no representor",
			 key->interface);
		return -ENOENT;
	}
	cfg_array_remove(&c->representors, sizeof(*have), (unsigned int)
			 (have - (struct cp_rep_conf *)c->representors.items));
	return 0;
}

int
cp_representor_add(const struct cp_rep_conf *conf, char *err, size_t len)
{
	if (cp_model == NULL) {
		snprintf(err, len, "the control plane is not set up");
		return -ENOENT;
	}
	return cfg_edit(cp_model, rep_edit_add, conf, err, len);
}

int
cp_representor_del(const char *iface, char *err, size_t len)
{
	struct cp_rep_conf key = { 0 };

	if (cp_model == NULL) {
		snprintf(err, len, "the control plane is not set up");
		return -ENOENT;
	}
	snprintf(key.interface, sizeof(key.interface), "%s", iface);
	return cfg_edit(cp_model, rep_edit_del, &key, err, len);
}

const struct ferry_module cp_module = {
	.name = "control plane",
	.sections = (const struct cfg_section *const[]){ &cp_cfg_section,
							 NULL },
	.setup = cp_setup,
	.cli_register = cp_cli_register, /* uses iface's <interface-name> */
	.control_poll = cp_poll,
	.teardown = cp_teardown,
};
