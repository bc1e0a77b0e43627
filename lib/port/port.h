/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: DPDK ethdevs named in the config, their queues and the graph
 * nodes that receive from and transmit to them.
 *
 * Owns the config sections "ports" and "buffers". A port's device is a
 * PCI address (added to the EAL allow-list) or vdev devargs (passed as
 * --vdev); port_eal_args() produces those EAL arguments from the model.
 *
 * Nodes: "ferry_port_rx" is cloned once per polled (port, queue) as
 * "ferry_port_rx-<port>-q<queue>" and feeds "ferry_eth_input";
 * "ferry_port_tx" is cloned once per port as "ferry_port_tx-<port>" and
 * uses the tx queue numbered after the worker it runs on (each worker
 * owns one tx queue on every port, so transmit needs no lock).
 *
 * Threads: everything but the nodes runs on the management lcore, before
 * workers start or after they stop.
 */
#ifndef FERRY_PORT_H
#define FERRY_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_graph.h>

#include "config.h"

#define PORT_NAME_LEN 32
#define PORT_MAX 32
#define PORT_QUEUE_MAX 16

/** One element of the "ports" section. */
struct port_conf {
	char name[PORT_NAME_LEN];   /**< operator's name, e.g. "core" */
	char device[256];           /**< PCI address or vdev devargs */
	uint8_t mac[6];             /**< 00:..:00 = use the device's own */
	uint16_t rx_queues;
	uint16_t tx_queues;         /**< 0 = one per worker */
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint16_t mtu;
	bool promiscuous;
};

/** The "buffers" section: the packet mempool. */
struct buffers_conf {
	uint32_t mbufs;
	uint32_t cache;
	uint32_t data_room;         /**< 0 = sized for the largest port MTU */
};

/** Default and least buffers.data_room, bytes (headroom included). */
#define PORT_DATA_ROOM_DEFAULT 2176
#define PORT_DATA_ROOM_MIN 1152
/** What a frame adds to the IP MTU: Ethernet header and an 802.1Q tag
 *  (labels, ESP and VXLAN headers are counted within the MTU). */
#define PORT_L2_MAX (14 + 4)
/** Tailroom kept for what encapsulations append (an ESP trailer: 15
 *  bytes of padding, pad length, next header, a 16-byte ICV, 4 of ESN),
 *  so that a full-MTU packet reaches the MTU check in one piece. */
#define PORT_TAIL_MAX 64

/**
 * Bytes a buffer needs so that a frame of a port with IP MTU @p mtu
 * fits in one segment between the headroom that encapsulations prepend
 * into (RTE_PKTMBUF_HEADROOM) and the tailroom they append into. Workers read frames from their first
 * segment only: a chained frame is dropped as rx_chained.
 */
uint32_t port_data_room_need(uint32_t mtu);

/**
 * The data room of each packet buffer for @p model: buffers.data_room,
 * or when it is 0 the default raised to what the largest port MTU needs
 * (rounded up to a cache line).
 */
uint32_t port_data_room(const struct cfg_model *model);

extern const struct cfg_section port_cfg_section;    /* "ports" */
extern const struct cfg_section buffers_cfg_section; /* "buffers" */

/** A port once set up. Index = position in the config. */
struct port {
	char name[PORT_NAME_LEN];
	uint16_t port_id;           /**< DPDK ethdev port id */
	uint16_t n_rxq;
	uint16_t n_txq;
	uint16_t mtu;
	struct rte_ether_addr mac;  /**< the MAC ferry uses on this port */
	rte_node_t tx_node;         /**< its "ferry_port_tx-<name>" clone */
	bool tx_diverted;           /**< see port_tx_divert() */
};

/** The port config list of a model (never NULL for a loaded model). */
const struct cfg_array *port_conf_list(const struct cfg_model *model);

/** Index of the port named @p name in @p ports, or -1. */
int port_conf_find(const struct cfg_array *ports, const char *name);

/** True if @p dev is a PCI address ("0000:01:00.0" or "01:00.0"). */
bool port_device_is_pci(const char *dev);

/**
 * @p device with each relative rx_pcap=/tx_pcap= path made relative to
 * the directory of the configuration file @p cfg_file (so a file means
 * the same wherever ferry starts), into @p out.
 * @return 0 or -E2BIG.
 */
int port_device_resolve(const char *device, const char *cfg_file, char *out,
			size_t len);

/**
 * Whether @p device could start, checked without EAL (`--check`): a PCI
 * address exists and is bound to a driver DPDK uses (else the reason
 * points at dpdk-devbind.py), a vdev names a DPDK 22.11 virtual ethdev
 * driver that is installed, its rx_pcap files are readable.
 * @return NULL, or the reason (in @p why).
 */
const char *port_device_check(const char *device, const char *cfg_file,
			      char *why, size_t len);

/**
 * Turn on (ferry) or off (the default: unit tests that load models for
 * their content) the parts of port_device_check() that look at this
 * host: the PCI device in sysfs and the rx_pcap files.
 */
void port_device_host_checks(bool on);

/**
 * Append the EAL arguments the ports need (-a PCI / --vdev DEVARGS, with
 * paths resolved by port_device_resolve()) to @p argv from index *argc,
 * at most @p max in all. The strings live until the next call.
 * @return 0 or -E2BIG.
 */
int port_eal_args(const struct cfg_model *model, char **argv, int *argc,
		  int max);

/**
 * Create the mempool, configure and start every port with @p n_workers
 * tx queues, create the rx/tx node clones for them. EAL must be up.
 * @return 0 or -errno (the error is logged with the port's name).
 */
int port_setup(const struct cfg_model *model, unsigned int n_workers);

/** Stop and close every port (flushes net_pcap output files). */
void port_teardown(void);

unsigned int port_count(void);
/** Port by config index; NULL if out of range. */
const struct port *port_get(unsigned int idx);
/** Config index of the port with DPDK id @p port_id, or -1. */
int port_index_of(uint16_t port_id);
/** Index by name, or -1. */
int port_find(const char *name);

/** The mempool all ports receive into (ARP/ICMP built by control). */
struct rte_mempool *port_mempool(void);

/** Name of the rx clone polling (port @p idx, queue @p q). */
int port_rx_node_name(unsigned int idx, uint16_t q, char *buf, size_t len);

/**
 * Append an edge from @p node to every port's tx clone, in port index
 * order. @return the edge of port 0 (port i is that + i), or
 * RTE_EDGE_ID_INVALID.
 */
rte_edge_t port_tx_edges_add(rte_node_t node);

/**
 * Egress hook: everything sent to port @p idx's tx node goes to node
 * @p node_name instead (an egress feature such as a scheduler), which
 * then transmits with rte_eth_tx_burst() itself. Call after
 * port_setup() and before the graphs are built.
 * @return 0 or -errno.
 */
int port_tx_divert(unsigned int idx, const char *node_name);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module port_module;

#endif /* FERRY_PORT_H */
