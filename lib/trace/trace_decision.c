/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What each node decided for a traced packet, read back from the step's
 * snapshot (the packet's metadata and first bytes as the node passed it
 * on), in the words an operator uses: the interface and VRF a frame
 * came in on, the route and adjacency a lookup chose, the MACs a
 * rewrite wrote, the label stack a push or swap left, the SA an
 * encryption used. As VPP's trace does, one formatter per node; nodes
 * without one print nothing beyond their next node.
 *
 * Routes and names are looked up when `show trace` runs, on the
 * management lcore: a route changed since shows as it is now.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_ip.h>

#include "cli.h"
#include "config.h"
#include "iface.h"
#include "port.h"
#include "route.h"
#include "trace_priv.h"

#define LSE_LEN 4
#define ESP_PROTO 50
#define VXLAN_HDR_OFF (RTE_ETHER_HDR_LEN + 20 + 8) /* outer eth+IP+UDP */

const char *
trace_port_name(uint16_t port_id, char *buf, size_t len)
{
	int idx = port_index_of(port_id);
	const struct port *p = idx >= 0 ? port_get((unsigned int)idx) : NULL;

	if (p != NULL)
		return p->name;
	snprintf(buf, len, "dpdk port %u", port_id);
	return buf;
}

static const char *
ifname(uint16_t idx)
{
	const struct iface *ifc = iface_get(idx);

	return ifc != NULL ? ifc->name : "?";
}

static const char *
vrfname(uint16_t idx)
{
	const char *n = vrf_name(idx);

	return n != NULL ? n : "?";
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* "16002/2001 (ttl 63)" from the stack at @p p (@p len bytes). */
static void
labels_print(struct cli_out *out, const uint8_t *p, uint32_t len)
{
	uint32_t off, lse = 0;

	cli_printf(out, "labels ");
	for (off = 0; off + LSE_LEN <= len; off += LSE_LEN) {
		lse = be32_at(p + off);
		cli_printf(out, "%s%u", off == 0 ? "" : "/", lse >> 12);
		if (lse & 0x100)
			break;
	}
	cli_printf(out, " (top ttl %u)", off + LSE_LEN <= len ?
		   be32_at(p) & 0xff : 0);
}

/* An Ethernet frame a node wrote for interface md.out_iface. */
static void
l2_show(struct cli_out *out, const struct trace_rec *r)
{
	const struct rte_ether_hdr *eth = (const void *)r->snap;
	char s[RTE_ETHER_ADDR_FMT_SIZE], d[RTE_ETHER_ADDR_FMT_SIZE];
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint16_t type;

	if (r->snap_len < RTE_ETHER_HDR_LEN)
		return;
	rte_ether_format_addr(s, sizeof(s), &eth->src_addr);
	rte_ether_format_addr(d, sizeof(d), &eth->dst_addr);
	type = rte_be_to_cpu_16(eth->ether_type);
	cli_printf(out, "out %s: rewrite %s > %s", ifname(r->md.out_iface), s,
		   d);
	if (type == RTE_ETHER_TYPE_VLAN && r->snap_len >= off + 4) {
		cli_printf(out, " vlan %u", (r->snap[off] << 8 |
					     r->snap[off + 1]) & 0xfff);
		type = (uint16_t)(r->snap[off + 2] << 8 | r->snap[off + 3]);
		off += 4;
	}
	if (type == RTE_ETHER_TYPE_MPLS) {
		cli_printf(out, ", ");
		labels_print(out, r->snap + off, r->snap_len - off);
	} else if (type == RTE_ETHER_TYPE_IPV4 && r->snap_len >= off + 9) {
		cli_printf(out, ", ttl %u", r->snap[off + 8]);
	}
}

static void
lookup_show(struct cli_out *out, const struct trace_rec *r)
{
	char what[128];

	if (r->snap_len < sizeof(struct rte_ipv4_hdr))
		return;
	if (route_describe(r->md.vrf, be32_at(r->snap + 16), what,
			   sizeof(what)) < 0)
		snprintf(what, sizeof(what), "no route");
	cli_printf(out, "vrf %s: %s", vrfname(r->md.vrf), what);
}

static void
mpls_in_show(struct cli_out *out, const char *next,
	     const struct trace_rec *r)
{
	if (strcmp(next, "ferry_mpls_output") == 0) {
		cli_printf(out, "swap: ");
		labels_print(out, r->snap, r->snap_len);
		cli_printf(out, ", out %s", ifname(r->md.out_iface));
	} else if (strcmp(next, "ferry_ip4_rewrite") == 0) {
		cli_printf(out, "pop (penultimate hop), out %s",
			   ifname(r->md.out_iface));
	} else if (strcmp(next, "ferry_ip4_input") == 0) {
		cli_printf(out, "pop to vrf %s", vrfname(r->md.vrf));
	} else if (strcmp(next, "ferry_mpls_ttl_icmp") == 0) {
		cli_printf(out, "label TTL expired: ICMP time exceeded");
	}
}

/* The SPI of the ESP packet the encryption left (IPv4, ESP or NAT-T). */
static void
esp_show(struct cli_out *out, const struct trace_rec *r)
{
	uint32_t ihl, off;
	char a[16];

	if (r->snap_len < sizeof(struct rte_ipv4_hdr))
		return;
	ihl = (r->snap[0] & 0xf) * 4u;
	off = r->snap[9] == ESP_PROTO ? ihl : ihl + 8; /* else UDP 4500 */
	if (r->snap_len < off + 4)
		return;
	cli_printf(out, "SA spi %u to %s", be32_at(r->snap + off),
		   cfg_format_ipv4(be32_at(r->snap + 16), a, sizeof(a)));
}

static void
eth_in_show(struct cli_out *out, const struct trace_rec *r)
{
	cli_printf(out, "interface %s, vrf %s", ifname(r->md.in_iface),
		   vrfname(r->md.vrf));
}

static void
classify_show(struct cli_out *out, const struct trace_rec *r)
{
	cli_printf(out, "qos class %u", r->md.qos_class);
}

static void
push_show(struct cli_out *out, const struct trace_rec *r)
{
	labels_print(out, r->snap, r->snap_len);
	cli_printf(out, ", out %s", ifname(r->md.out_iface));
}

static void
vxlan_show(struct cli_out *out, const struct trace_rec *r)
{
	l2_show(out, r);
	if (r->snap_len >= VXLAN_HDR_OFF + 8)
		cli_printf(out, ", vni %u", be32_at(r->snap + VXLAN_HDR_OFF +
						     4) >> 8);
}

static void
decrypt_show(struct cli_out *out, const struct trace_rec *r)
{
	cli_printf(out, "decrypted into vrf %s", vrfname(r->md.vrf));
}

typedef void (*decision_fn)(struct cli_out *out, const struct trace_rec *r);

/* Node -> formatter; matched by node name. */
static const struct {
	const char *node;
	decision_fn fn;
} decisions[] = {
	{ "ferry_eth_input", eth_in_show },
	{ "ferry_classify", classify_show },
	{ "ferry_ip4_lookup", lookup_show },
	{ "ferry_ip4_rewrite", l2_show },
	{ "ferry_mpls_push", push_show },
	{ "ferry_mpls_output", l2_show },
	{ "ferry_vxlan_encap", vxlan_show },
	{ "ferry_esp_encrypt", esp_show },
	{ "ferry_esp_decrypt", decrypt_show },
};

void
trace_decision_show(struct cli_out *out, const char *node, const char *next,
		    const struct trace_rec *r)
{
	unsigned int i;

	if (strcmp(next, TRACE_DROP_NODE) == 0)
		return; /* the drop reason says it */
	if (strcmp(node, "ferry_mpls_input") == 0) {
		cli_printf(out, "%19s", "");
		mpls_in_show(out, next, r);
		cli_printf(out, "\n");
		return;
	}
	for (i = 0; i < RTE_DIM(decisions); i++) {
		if (strcmp(node, decisions[i].node) != 0)
			continue;
		cli_printf(out, "%19s", "");
		decisions[i].fn(out, r);
		cli_printf(out, "\n");
		return;
	}
}
