/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by trace.c (recording) and trace_cli.c (display). */
#ifndef FERRY_TRACE_PRIV_H
#define FERRY_TRACE_PRIV_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_graph.h>

#include "graph.h"
#include "pkt.h"
#include "trace.h"

#define TRACE_HEAD_BYTES 128 /* frame bytes kept per traced packet */
/* lib/graph's drop node: a step to it shows pkt_md.drop (elsewhere the
 * field is stale, nodes set it only when they drop). */
#define TRACE_DROP_NODE "ferry_drop"

enum trace_rec_kind {
	TREC_VISIT, /* the node was given the packet */
	TREC_NEXT,  /* the node passed it to rec.next */
};

#define TRACE_SNAP_BYTES 64 /* packet bytes kept per step */

/** One step of one packet, written by the worker that walked it. */
struct trace_rec {
	uint64_t tsc;
	uint16_t pkt;     /* 1..TRACE_PKTS_MAX */
	rte_node_t node;
	rte_node_t next;  /* TREC_NEXT */
	uint8_t kind;
	uint8_t drop;     /* pkt_md.drop when passed on, 0 = none */
	/* TREC_NEXT: what the node decided, as it left the packet: its
	 * metadata and first bytes (trace_decision.c reads them). */
	struct pkt_md md;
	uint16_t snap_len;
	uint8_t snap[TRACE_SNAP_BYTES];
};

struct cli_out;

/**
 * Print what node @p node decided for the packet of step @p r (the VRF,
 * route and adjacency of a lookup, the MACs of a rewrite, a label
 * stack, an SA...), as one indented line; nothing for nodes with
 * nothing to say. Management lcore (reads the tables as they are now).
 */
void trace_decision_show(struct cli_out *out, const char *node,
			 const char *next, const struct trace_rec *r);

/** Name of DPDK port @p port_id: the ferry port's, or "dpdk port N". */
const char *trace_port_name(uint16_t port_id, char *buf, size_t len);

/** What is kept of a traced packet when it is chosen. */
struct trace_pkt {
	uint16_t worker;
	uint16_t port;    /* mbuf port it arrived on */
	uint32_t pkt_len;
	uint16_t head_len;
	uint8_t head[TRACE_HEAD_BYTES];
};

/** The 5-tuple of a frame, as far as it could be read. */
struct trace_flow {
	uint16_t ethertype;
	bool ipv4;
	uint32_t src, dst;        /* host order */
	uint8_t proto;
	bool has_ports;
	uint16_t sport, dport;
};

/** Parse Ethernet [802.1Q] IPv4 [TCP/UDP/SCTP ports]. Pure. */
void trace_flow_parse(const uint8_t *data, uint32_t len,
		      struct trace_flow *f);

/* The recorded trace, read by the display on the management lcore. */
struct trace_view {
	uint32_t want;            /* packets asked for */
	uint32_t chosen;          /* packets chosen so far (<= want) */
	bool running;             /* hooks attached */
	struct trace_filter filter;
};

void trace_view_get(struct trace_view *v);
/** Packet @p id (1-based) chosen so far, or NULL. */
const struct trace_pkt *trace_pkt_get(uint32_t id);
/** Records worker @p w published so far; *n set to their count. */
const struct trace_rec *trace_recs(unsigned int w, uint32_t *n,
				   uint32_t *lost);

#endif /* FERRY_TRACE_PRIV_H */
