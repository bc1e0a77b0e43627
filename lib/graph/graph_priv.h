/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between the worker/graph code and the nodes of lib/graph. */
#ifndef FERRY_GRAPH_PRIV_H
#define FERRY_GRAPH_PRIV_H

#include "graph.h"

#define GRAPH_DROP_NODE "ferry_drop"
#define GRAPH_PUNT_NODE "ferry_punt"
#define GRAPH_INJECT_NODE "ferry_inject"
#define GRAPH_BURST 32

/** Edges of ferry_inject before the per-port tx edges. */
enum inject_next {
	INJECT_NEXT_DROP,
	INJECT_NEXT_IP4_LOOKUP,
	INJECT_NEXT_IP6_LOOKUP,
	INJECT_NEXT_TX0, /* port i transmits on edge INJECT_NEXT_TX0 + i */
};

#endif
