/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port setup from the config model: EAL device arguments, the mempool,
 * ethdev configure/queue setup/start (RSS when a port has several
 * receive queues), and the rx/tx node clones of each port.
 *
 * Receive queues are never flushed at start: net_pcap delivers its
 * whole capture at once and a flush would lose it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "port.h"
#include "port_log.h"
#include "port_priv.h"

FERRY_LOG_REGISTER(port_logtype, port, NOTICE);

struct port port_table[PORT_MAX];
static unsigned int n_ports;
static struct rte_mempool *pktmbuf_pool;

unsigned int
port_count(void)
{
	return n_ports;
}

const struct port *
port_get(unsigned int idx)
{
	return idx < n_ports ? &port_table[idx] : NULL;
}

int
port_index_of(uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < n_ports; i++)
		if (port_table[i].port_id == port_id)
			return (int)i;
	return -1;
}

int
port_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_ports; i++)
		if (strcmp(port_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

struct rte_mempool *
port_mempool(void)
{
	return pktmbuf_pool;
}

int
port_eal_args(const struct cfg_model *model, char **argv, int *argc, int max)
{
	/* EAL keeps pointers to its arguments' devargs: static storage */
	static char devargs[PORT_MAX][sizeof(((struct port_conf *)0)->device) +
				      PATH_MAX];
	const struct cfg_array *ports = port_conf_list(model);
	const struct port_conf *pc = ports->items;
	unsigned int i;

	for (i = 0; i < ports->n && i < PORT_MAX; i++) {
		if (*argc + 2 > max ||
		    port_device_resolve(pc[i].device, cfg_model_file(model),
					devargs[i], sizeof(devargs[i])) < 0)
			return -E2BIG;
		argv[(*argc)++] = port_device_is_pci(pc[i].device) ? "-a" :
								     "--vdev";
		argv[(*argc)++] = devargs[i];
	}
	return 0;
}

static int
mempool_create(const struct cfg_model *model)
{
	const struct buffers_conf *bc = cfg_model_section(model, "buffers");
	uint32_t room = port_data_room(model);

	pktmbuf_pool = rte_pktmbuf_pool_create("ferry_pkts", bc->mbufs,
					       bc->cache, 0, (uint16_t)room,
					       rte_socket_id());
	if (pktmbuf_pool == NULL) {
		PORT_LOG(ERR, "cannot create a pool of %u buffers of %u bytes: %s",
			 bc->mbufs, room, rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

static void
rss_conf_fill(uint16_t port_id, uint16_t nb_rxq, struct rte_eth_conf *conf)
{
	struct rte_eth_dev_info info;

	if (nb_rxq < 2 || rte_eth_dev_info_get(port_id, &info) != 0)
		return;
	conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf =
		(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
		info.flow_type_rss_offloads;
}

/*
 * IPv4 header checksum verification where the port offers it (net_tap
 * does, in its driver; NICs in hardware): ferry_ip4_input then trusts a
 * GOOD flag and sums only the others (UNKNOWN on net_pcap, af_packet).
 */
static void
rx_offload_fill(uint16_t port_id, struct rte_eth_conf *conf)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port_id, &info) != 0)
		return;
	conf->rxmode.offloads |=
		info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
}

static int
queues_setup(struct port *p, const struct port_conf *pc)
{
	int socket = rte_eth_dev_socket_id(p->port_id);
	uint16_t q;
	int rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	for (q = 0; q < p->n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, pc->rx_desc, socket,
					    NULL, pktmbuf_pool);
		if (rc < 0)
			return rc;
	}
	for (q = 0; q < p->n_txq; q++) {
		rc = rte_eth_tx_queue_setup(p->port_id, q, pc->tx_desc, socket,
					    NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
port_mac_set(struct port *p, const struct port_conf *pc)
{
	static const uint8_t zero[6];

	if (memcmp(pc->mac, zero, sizeof(zero)) == 0) {
		rte_eth_macaddr_get(p->port_id, &p->mac);
		return;
	}
	memcpy(p->mac.addr_bytes, pc->mac, sizeof(pc->mac));
	/* Virtual devices may refuse; ferry writes the MAC itself anyway. */
	if (rte_eth_dev_default_mac_addr_set(p->port_id, &p->mac) != 0)
		PORT_LOG(INFO, "%s: device keeps its MAC; ferry uses the "
			 "configured one in software", p->name);
}

static int
port_start_one(struct port *p, const struct port_conf *pc,
	       unsigned int n_workers)
{
	struct rte_eth_conf conf = { 0 };
	char devname[256];
	int rc;

	snprintf(devname, sizeof(devname), "%.*s",
		 (int)strcspn(pc->device, ","), pc->device);
	if (rte_eth_dev_get_port_by_name(devname, &p->port_id) != 0) {
		PORT_LOG(ERR, "%s: no ethdev named %s (device \"%s\")",
			 pc->name, devname, pc->device);
		return -ENODEV;
	}
	snprintf(p->name, sizeof(p->name), "%s", pc->name);
	p->n_rxq = pc->rx_queues;
	p->n_txq = pc->tx_queues != 0 ? pc->tx_queues : n_workers;
	p->mtu = pc->mtu;
	rss_conf_fill(p->port_id, p->n_rxq, &conf);
	rx_offload_fill(p->port_id, &conf);
	rc = rte_eth_dev_configure(p->port_id, p->n_rxq, p->n_txq, &conf);
	if (rc == 0)
		rc = queues_setup(p, pc);
	if (rc == 0 && rte_eth_dev_set_mtu(p->port_id, pc->mtu) != 0)
		PORT_LOG(INFO, "%s: device MTU unchanged; ferry enforces "
			 "MTU %u in software", p->name, pc->mtu);
	if (rc == 0)
		rc = rte_eth_dev_start(p->port_id);
	if (rc < 0) {
		PORT_LOG(ERR, "%s: cannot start %s: %s", pc->name, devname,
			 rte_strerror(-rc));
		return rc;
	}
	port_mac_set(p, pc);
	if (pc->promiscuous)
		rte_eth_promiscuous_enable(p->port_id);
	PORT_LOG(DEBUG, "%s: %s started (ethdev %u), %u rx and %u tx queues",
		 p->name, devname, p->port_id, p->n_rxq, p->n_txq);
	return 0;
}

int
port_setup(const struct cfg_model *model, unsigned int n_workers)
{
	const struct cfg_array *ports = port_conf_list(model);
	const struct port_conf *pc = ports->items;
	unsigned int i;
	int rc;

	rc = mempool_create(model);
	if (rc < 0)
		return rc;
	for (i = 0; i < ports->n; i++) {
		rc = port_start_one(&port_table[i], &pc[i], n_workers);
		if (rc < 0)
			goto stop_ports;
		n_ports = i + 1;
		rc = port_nodes_clone(i);
		if (rc < 0)
			goto stop_ports;
	}
	return 0;

stop_ports:
	port_teardown();
	return rc;
}

void
port_teardown(void)
{
	unsigned int i;

	for (i = 0; i < n_ports; i++) {
		rte_eth_dev_stop(port_table[i].port_id);
		rte_eth_dev_close(port_table[i].port_id);
	}
	n_ports = 0;
	rte_mempool_free(pktmbuf_pool);
	pktmbuf_pool = NULL;
}
