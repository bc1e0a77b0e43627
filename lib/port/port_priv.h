/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between the port setup code and its two nodes. */
#ifndef FERRY_PORT_PRIV_H
#define FERRY_PORT_PRIV_H

#include "port.h"

#define PORT_RX_NODE "ferry_port_rx"
#define PORT_TX_NODE "ferry_port_tx"
#define PORT_BURST 32

extern struct port port_table[PORT_MAX];

/** Create the rx clones (one per queue) and the tx clone of port @p idx. */
int port_nodes_clone(unsigned int idx);

/** Create the tx clone of port @p idx. */
int port_tx_clone_add(unsigned int idx);

/** Which port and queue an rx clone polls; filled by port_nodes_clone. */
struct port_rx_clone {
	rte_node_t node;
	uint16_t port_id;
	uint16_t queue;
};

const struct port_rx_clone *port_rx_clone_find(rte_node_t node);

#endif
