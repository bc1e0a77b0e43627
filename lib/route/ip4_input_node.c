/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry_ip4_input: the RFC 1812 checks every received IPv4 packet passes
 * before it is routed (section 5.2.2: length, version, header length,
 * checksum; section 5.3.7: martian addresses, among them ferry's own
 * addresses as source, as Linux's fib_validate_source() refuses them).
 * Ethernet padding beyond
 * the IP total length is trimmed so it is never forwarded.
 *
 * An interface may have an input feature (route_input_feature_set(), e.g.
 * lib/classify's ACL): its checked packets go to that node, which passes
 * them on to ferry_ip4_lookup. Interfaces without one pay a byte load.
 *
 * Link-local multicast (224.0.0.0/24, RFC 5771: OSPF, VRRP) and the
 * limited broadcast are never routed; on an interface with a control
 * plane representor (route_punt_set()) they go to its node, else they
 * are dropped as ip4_multicast.
 *
 * Packets bound for ferry_ip4_lookup are forwarded here when they can
 * be (ip4_fwd.c: lookup and rewrite in the same pass, then straight to
 * the port's tx node); the rest go on to ferry_ip4_lookup as before.
 * When an input hook is registered, or a trace or capture watches this
 * node, ferry_ip4_lookup or ferry_ip4_rewrite, every packet takes the
 * general nodes, so what they show is every step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_graph_worker.h>

#include "port.h"
#include "route_priv.h"

enum ip4_input_next {
	IP4_INPUT_NEXT_DROP,
	IP4_INPUT_NEXT_LOOKUP,
	IP4_INPUT_NEXT_MAX /* input features' edges follow */
};

/* Edge of each interface's input feature; 0 = none (ferry_ip4_lookup).
 * One byte per interface, written with a single store. */
static uint8_t input_feature_edge[IFACE_MAX];

/* Edge to the control plane (route_punt_register()); 0 = none. */
static rte_edge_t input_punt_edge;

/* The node route_input_register() put before ferry_ip4_lookup; "" = none. */
static char input_hook[RTE_NODE_NAMESIZE];

static uint16_t ip4_input_process(struct rte_graph *graph,
				  struct rte_node *node, void **objs,
				  uint16_t cnt);

/* Multicast or broadcast a representor's kernel may want. */
static inline bool
ip4_link_local_dst(const struct rte_ipv4_hdr *ip)
{
	uint32_t dst = rte_be_to_cpu_32(ip->dst_addr);

	return (dst & 0xffffff00) == 0xe0000000 || dst == UINT32_MAX;
}

/* Edges to the ports' tx nodes (ip4_input_tx_edges_add()): port i is
 * edge input_fwd.tx0 + i. */
static struct ip4_fwd_edges input_fwd = {
	.lookup = IP4_INPUT_NEXT_LOOKUP,
};

static inline rte_edge_t
ip4_input_next(const struct pkt_md *md)
{
	uint16_t ifx = md->in_iface;
	uint8_t e = ifx < IFACE_MAX ?
		__atomic_load_n(&input_feature_edge[ifx], __ATOMIC_RELAXED) : 0;

	return likely(e == 0) ? IP4_INPUT_NEXT_LOOKUP : e;
}

/*
 * pkt_ip4_check() with the usual header (version 4, 20 bytes, no
 * options) tested first and in fewer steps: one byte compare covers
 * version and IHL, the checksum is summed at a fixed length, or not at
 * all when the port verified it (RTE_MBUF_F_RX_IP_CKSUM_GOOD: lib/port
 * asks for the offload where a port has it; decapsulating nodes clear
 * the flag with pkt_rx_cksum_forget(), so it always speaks of this
 * header). UNKNOWN (net_pcap, af_packet), NONE and BAD are summed in
 * software: a bad header gets pkt_ip4_check()'s precise reason, and
 * all else, right or wrong, its own verdict too.
 */
static __rte_always_inline enum drop_reason
ip4_input_check(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip)
{
	uint32_t total, len = m->data_len;

	if (likely(len >= sizeof(*ip) && ip->version_ihl == RTE_IPV4_VHL_DEF)) {
		total = rte_be_to_cpu_16(ip->total_length);
		if (likely(((m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) ==
				    RTE_MBUF_F_RX_IP_CKSUM_GOOD ||
			    pkt_ip4_hdr_cksum(ip, sizeof(*ip)) == 0) &&
			   total >= sizeof(*ip) && total <= len))
			return DROP_NONE;
	}
	return pkt_ip4_check(ip, len);
}

static __rte_always_inline rte_edge_t
ip4_input_one(struct rte_mbuf *m, struct pkt_md *md)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	enum drop_reason r = ip4_input_check(m, ip);
	uint16_t total;

	if (likely(r == DROP_NONE))
		r = pkt_ip4_check_addrs(ip);
	/* ferry's own address as source: spoofed or looped (route.h) */
	if (likely(r == DROP_NONE) &&
	    unlikely(route_src_is_own(md->vrf, rte_be_to_cpu_32(ip->src_addr))))
		r = DROP_IP4_OWN_SOURCE;
	if (unlikely(r != DROP_NONE)) {
		md->drop = (uint8_t)r;
		if (r != DROP_IP4_MULTICAST || !ip4_link_local_dst(ip) ||
		    !route_punt_iface(md->in_iface) || pkt_ip4_is_fragment(ip))
			return IP4_INPUT_NEXT_DROP;
	}
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(m->pkt_len > total))
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - total));
	if (unlikely(r != DROP_NONE))
		return input_punt_edge;
	return ip4_input_next(md);
}

/* Every packet through the general nodes (ip4_input_fast() is false). */
static uint16_t
ip4_input_general(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	struct graph_spec spec;
	uint16_t i;

	/* A burst comes from one queue, mostly one interface: speculate on
	 * where its first packet goes. */
	graph_spec_begin(&spec, graph, node, ip4_input_next(pkt_md(objs[0])),
			 cnt);
	for (i = 0; i < cnt; i++)
		graph_spec_put(&spec, objs[i],
			       ip4_input_one(objs[i], pkt_md(objs[i])));
	graph_spec_end(&spec);
	return cnt;
}

/* Forward the @p n of @p cnt packets whose next[] is the lookup edge,
 * spread among the others. */
static void
ip4_input_fwd_some(void **objs, uint16_t cnt, rte_edge_t *next, uint16_t n)
{
	void *fwd[IP4_FWD_CHUNK];
	rte_edge_t fwd_next[IP4_FWD_CHUNK];
	uint16_t at[IP4_FWD_CHUNK];
	uint16_t i, k = 0;

	for (i = 0; i < cnt; i++)
		if (next[i] == IP4_INPUT_NEXT_LOOKUP) {
			fwd[k] = objs[i];
			at[k++] = i;
		}
	ip4_fwd_chunk(fwd, n, fwd_next, &input_fwd);
	for (i = 0; i < n; i++)
		next[at[i]] = fwd_next[i];
}

/* Check @p cnt (at most IP4_FWD_CHUNK) packets and forward those bound
 * for ferry_ip4_lookup that can be; @p next gets every packet's edge.
 * @return true if they all go one way. */
static bool
ip4_input_chunk(void **objs, uint16_t cnt, rte_edge_t *next)
{
	const int off = pkt_md_offset;
	uint32_t dst[IP4_FWD_CHUNK];
	uint16_t i, n = 0, vrf = 0, vrf_differ = 0;

	/* eth_input (or the decapsulating node) touched every header just
	 * now: no prefetch. The destinations and VRFs are gathered on the
	 * way, so the lookup needs no second pass over them. */
	for (i = 0; i < cnt; i++) {
		struct rte_mbuf *m = objs[i];
		struct pkt_md *md = RTE_MBUF_DYNFIELD(m, off, struct pkt_md *);

		next[i] = ip4_input_one(m, md);
		if (likely(next[i] == IP4_INPUT_NEXT_LOOKUP)) {
			dst[n++] = rte_be_to_cpu_32(rte_pktmbuf_mtod(m,
				const struct rte_ipv4_hdr *)->dst_addr);
			if (n == 1)
				vrf = md->vrf;
			vrf_differ |= md->vrf ^ vrf;
		}
	}
	if (likely(n == cnt && vrf_differ == 0))
		return ip4_fwd_chunk_vrf(objs, cnt, vrf, dst, next, &input_fwd);
	if (n == cnt)
		return ip4_fwd_chunk(objs, cnt, next, &input_fwd);
	if (n != 0)
		ip4_input_fwd_some(objs, cnt, next, n);
	return false;
}

/* Whether this burst may take the fast path: no input hook (its check
 * must see every packet), and no trace or capture hook on this node or
 * on the general nodes a packet would otherwise cross. */
static inline bool
ip4_input_fast(struct rte_node *node)
{
	if (unlikely(input_hook[0] != '\0' ||
		     node->process != ip4_input_process))
		return false;
	return !ip4_lookup_node_wrapped(
		__rte_node_next_node_get(node, IP4_INPUT_NEXT_LOOKUP));
}

static uint16_t
ip4_input_process(struct rte_graph *graph, struct rte_node *node,
		  void **objs, uint16_t cnt)
{
	rte_edge_t next[IP4_FWD_CHUNK];
	uint16_t i, n;
	bool uniform;

	if (unlikely(!ip4_input_fast(node)))
		return ip4_input_general(graph, node, objs, cnt);
	/* A stream can outgrow RTE_GRAPH_BURST_SIZE when several nodes feed
	 * this one in a walk (MPLS pop, ESP decrypt, VXLAN decap). */
	for (i = 0; i < cnt; i += n) {
		n = RTE_MIN(cnt - i, IP4_FWD_CHUNK);
		uniform = ip4_input_chunk(objs + i, n, next);
		graph_enqueue_edges(graph, node, objs + i, n, next, uniform);
	}
	return cnt;
}

static struct rte_node_register ip4_input_node = {
	.name = "ferry_ip4_input",
	.process = ip4_input_process,
	.nb_edges = IP4_INPUT_NEXT_MAX,
	.next_nodes = {
		[IP4_INPUT_NEXT_DROP] = "ferry_drop",
		[IP4_INPUT_NEXT_LOOKUP] = "ferry_ip4_lookup",
	},
};

RTE_NODE_REGISTER(ip4_input_node);


/*
 * Input features pass packets on to ferry_ip4_lookup; with an input hook
 * (lib/ipsec's cleartext check) they must pass them to the hook instead,
 * so a feature's packets are checked too: retarget that edge of @p id.
 */
static int
feature_to_hook(rte_node_t id)
{
	rte_edge_t n = rte_node_edge_count(id), e;
	const char *hook[] = { input_hook };
	char **names;
	int rc = 0;

	if (input_hook[0] == '\0' || n == RTE_EDGE_ID_INVALID)
		return 0;
	/* rte_node_edge_get() fills in pointers to the node's own names */
	names = calloc(n, sizeof(*names));
	if (names == NULL)
		return -ENOMEM;
	if (rte_node_edge_get(id, names) != n)
		rc = -EINVAL;
	for (e = 0; rc == 0 && e < n; e++)
		if (strcmp(names[e], "ferry_ip4_lookup") == 0 &&
		    rte_node_edge_update(id, e, hook, 1) != 1)
			rc = -EINVAL;
	free(names);
	return rc;
}

static rte_node_t feature_ids[ROUTE_INPUT_FEATURE_MAX];
static unsigned int n_features;

int
input_feature_add(struct input_features *f, rte_node_t from,
		  const char *node_name, bool *fresh)
{
	const char *add[] = { node_name };
	rte_edge_t e;
	unsigned int i;

	*fresh = false;
	if (node_name == NULL || strlen(node_name) >= RTE_NODE_NAMESIZE)
		return -EINVAL;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], node_name) == 0)
			return f->edges[i];
	if (f->n == ROUTE_INPUT_FEATURE_MAX)
		return -ENOSPC;
	e = rte_node_edge_count(from);
	/* Returns how many edges it wrote. */
	if (e > UINT8_MAX || rte_node_edge_update(from, e, add, 1) != 1)
		return -EINVAL;
	snprintf(f->names[f->n], sizeof(f->names[f->n]), "%s", node_name);
	f->edges[f->n++] = e;
	*fresh = true;
	return e;
}

int
route_input_feature_register(const char *node_name)
{
	static struct input_features f;
	bool fresh;
	int e = input_feature_add(&f, ip4_input_node.id, node_name, &fresh);

	if (e < 0 || !fresh)
		return e;
	if (feature_to_hook(rte_node_from_name(node_name)) < 0)
		return -EINVAL;
	feature_ids[n_features++] = rte_node_from_name(node_name);
	return e;
}

int
route_input_feature_set(unsigned int iface, int feature)
{
	if (iface >= IFACE_MAX || feature < 0 ||
	    (feature != 0 && (feature < IP4_INPUT_NEXT_MAX ||
			      feature > UINT8_MAX)))
		return -EINVAL;
	__atomic_store_n(&input_feature_edge[iface], (uint8_t)feature,
			 __ATOMIC_RELEASE);
	return 0;
}

int
route_input_register(const char *node_name)
{
	const char *names[] = { node_name };
	unsigned int i;

	if (node_name == NULL || strlen(node_name) >= RTE_NODE_NAMESIZE)
		return -EINVAL;
	if (input_hook[0] != '\0')
		return -EEXIST;
	/* the lookup edge now leads to the hook, which goes on to lookup */
	if (rte_node_edge_update(ip4_input_node.id, IP4_INPUT_NEXT_LOOKUP,
				 names, 1) != 1)
		return -EINVAL;
	snprintf(input_hook, sizeof(input_hook), "%s", node_name);
	for (i = 0; i < n_features; i++)
		if (feature_to_hook(feature_ids[i]) < 0)
			return -EINVAL;
	return 0;
}

int
ip4_input_punt_edge_add(const char *node_name)
{
	const char *names[] = { node_name };
	rte_edge_t e = rte_node_edge_count(ip4_input_node.id);

	/* Returns how many edges it wrote. */
	if (rte_node_edge_update(ip4_input_node.id, e, names, 1) != 1)
		return -EINVAL;
	input_punt_edge = e;
	return 0;
}

int
ip4_input_tx_edges_add(void)
{
	static bool added; /* once per process, as the node's edges */
	rte_edge_t e;

	if (added)
		return 0;
	e = port_tx_edges_add(ip4_input_node.id);
	if (e == RTE_EDGE_ID_INVALID)
		return -EINVAL;
	input_fwd.tx0 = e;
	added = true;
	return 0;
}
