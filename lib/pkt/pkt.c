/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet metadata registration, drop-reason names and IPv4 header checks.
 * Header checks are written against RFC 1812 (Requirements for IPv4
 * Routers); each failure maps to one drop reason.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "pkt.h"

int pkt_md_offset = -1;

static const struct rte_mbuf_dynfield pkt_md_field = {
	.name = "ferry_pkt_md",
	.size = sizeof(struct pkt_md),
	.align = __alignof__(uint32_t),
};

int
pkt_init(void)
{
	int off = rte_mbuf_dynfield_register(&pkt_md_field);

	if (off < 0)
		return -rte_errno;
	pkt_md_offset = off;
	return 0;
}

static const char *const drop_names[DROP_MAX] = {
#define _DROP_NAME(e, name, desc) [DROP_##e] = name,
	FOREACH_DROP_REASON(_DROP_NAME)
#undef _DROP_NAME
};

static const char *const drop_descs[DROP_MAX] = {
#define _DROP_DESC(e, name, desc) [DROP_##e] = desc,
	FOREACH_DROP_REASON(_DROP_DESC)
#undef _DROP_DESC
};

const char *
drop_reason_name(enum drop_reason r)
{
	return (unsigned int)r < DROP_MAX ? drop_names[r] : "invalid";
}

const char *
drop_reason_desc(enum drop_reason r)
{
	return (unsigned int)r < DROP_MAX ? drop_descs[r] : "invalid";
}

int
drop_reason_from_name(const char *name)
{
	int r;

	for (r = 0; r < DROP_MAX; r++)
		if (strcmp(drop_names[r], name) == 0)
			return r;
	return -1;
}

int
pkt_graph_worker_index(const char *graph_name)
{
	size_t plen = strlen(PKT_GRAPH_PREFIX);
	char *end;
	long idx;

	if (strncmp(graph_name, PKT_GRAPH_PREFIX, plen) != 0)
		return -1;
	idx = strtol(graph_name + plen, &end, 10);
	if (end == graph_name + plen || *end != '\0' || idx < 0 ||
	    idx >= RTE_MAX_LCORE)
		return -1;
	return (int)idx;
}

uint16_t
pkt_inet_cksum(const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return rte_cpu_to_be_16((uint16_t)~sum);
}

enum drop_reason
pkt_ip4_check(const struct rte_ipv4_hdr *ip, uint32_t len)
{
	uint32_t ihl, total;

	if (len < sizeof(*ip))
		return DROP_IP4_TRUNCATED;
	if ((ip->version_ihl >> 4) != 4)
		return DROP_IP4_BAD_VERSION;
	ihl = (ip->version_ihl & 0xf) * 4u;
	if (ihl < sizeof(*ip))
		return DROP_IP4_BAD_IHL;
	if (ihl > len)
		return DROP_IP4_TRUNCATED;
	/* A correct header sums to 0xffff, i.e. the checksum of it is 0. */
	if (pkt_inet_cksum(ip, ihl) != 0)
		return DROP_IP4_BAD_CHECKSUM;
	total = rte_be_to_cpu_16(ip->total_length);
	if (total < ihl)
		return DROP_IP4_BAD_LENGTH;
	if (total > len)
		return DROP_IP4_TRUNCATED;
	return DROP_NONE;
}

enum drop_reason
pkt_ip4_check_addrs(const struct rte_ipv4_hdr *ip)
{
	uint32_t src = rte_be_to_cpu_32(ip->src_addr);
	uint32_t dst = rte_be_to_cpu_32(ip->dst_addr);
	uint8_t s8 = src >> 24, d8 = dst >> 24;

	if (s8 == 0 || s8 == 127 || s8 >= 224)
		return DROP_IP4_BAD_SOURCE;
	if (d8 == 0 || d8 == 127 || (d8 >= 240 && dst != UINT32_MAX))
		return DROP_IP4_BAD_DEST;
	if (d8 >= 224)
		return DROP_IP4_MULTICAST;
	return DROP_NONE;
}
