/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet metadata registration, drop-reason names and IPv4 header checks.
 * Header checks are written against RFC 1812 (Requirements for IPv4
 * Routers); each failure maps to one drop reason.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>

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

	if (strncmp(graph_name, PKT_GRAPH_PREFIX, plen) != 0 ||
	    !isdigit((unsigned char)graph_name[plen]))
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
	/* rte_raw_cksum sums 16-bit words in memory order; one's complement
	 * addition is byte-order independent (RFC 1071 2(B)), so its
	 * complement can be stored as is. */
	return (uint16_t)~rte_raw_cksum(buf, len);
}
