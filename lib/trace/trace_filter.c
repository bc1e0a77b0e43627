/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame parsing for the trace filter and its display. Pure C on a byte
 * buffer, no EAL, so the unit test runs it directly.
 */
#include <string.h>

#include "trace_priv.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_IPV4 0x0800
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_SCTP_ 132

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void
trace_flow_parse(const uint8_t *data, uint32_t len, struct trace_flow *f)
{
	uint32_t off = ETH_HLEN, ihl;

	memset(f, 0, sizeof(*f));
	if (len < ETH_HLEN)
		return;
	f->ethertype = be16(data + 12);
	if (f->ethertype == ETHERTYPE_VLAN && len >= ETH_HLEN + VLAN_HLEN) {
		f->ethertype = be16(data + 16);
		off += VLAN_HLEN;
	}
	if (f->ethertype != ETHERTYPE_IPV4 || len < off + 20 ||
	    data[off] >> 4 != 4)
		return;
	ihl = (uint32_t)(data[off] & 0xf) * 4;
	f->ipv4 = true;
	f->proto = data[off + 9];
	f->src = be32(data + off + 12);
	f->dst = be32(data + off + 16);
	/* Ports only in a first fragment that holds them. */
	if ((f->proto == IPPROTO_TCP_ || f->proto == IPPROTO_UDP_ ||
	     f->proto == IPPROTO_SCTP_) && ihl >= 20 &&
	    (be16(data + off + 6) & 0x1fff) == 0 && len >= off + ihl + 4) {
		f->has_ports = true;
		f->sport = be16(data + off + ihl);
		f->dport = be16(data + off + ihl + 2);
	}
}

static bool
filter_empty(const struct trace_filter *f)
{
	return f->src_mask == 0 && f->dst_mask == 0 && f->proto == 0 &&
	       f->sport == 0 && f->dport == 0;
}

bool
trace_filter_match(const struct trace_filter *f, const uint8_t *data,
		   uint32_t len)
{
	struct trace_flow fl;

	if (filter_empty(f))
		return true;
	trace_flow_parse(data, len, &fl);
	if (!fl.ipv4)
		return false;
	if ((fl.src & f->src_mask) != (f->src & f->src_mask) ||
	    (fl.dst & f->dst_mask) != (f->dst & f->dst_mask))
		return false;
	if (f->proto != 0 && fl.proto != f->proto)
		return false;
	if ((f->sport != 0 || f->dport != 0) && !fl.has_ports)
		return false;
	return (f->sport == 0 || fl.sport == f->sport) &&
	       (f->dport == 0 || fl.dport == f->dport);
}
