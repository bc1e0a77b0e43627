/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "ports" and "buffers" config sections: tables for the engine in
 * lib/config, and the checks that need more than one value.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "port.h"

static const struct cfg_field port_fields[] = {
	{ "name", CFG_STRING, offsetof(struct port_conf, name),
	  PORT_NAME_LEN, .required = true,
	  .doc = "name used by interfaces, workers and the CLI" },
	{ "device", CFG_STRING, offsetof(struct port_conf, device),
	  sizeof(((struct port_conf *)0)->device), .required = true,
	  .doc = "PCI address (0000:01:00.0), bound to vfio-pci, "
		 "uio_pci_generic or igb_uio (dpdk-devbind.py), or vdev "
		 "devargs (net_pcap0,rx_pcap=in.pcap) of a DPDK 22.11 driver; "
		 "relative rx_pcap/tx_pcap paths are from the configuration "
		 "file's directory" },
	{ "mac", CFG_MAC, offsetof(struct port_conf, mac), 6,
	  .doc = "MAC address ferry uses on the port; default: the "
		 "device's own" },
	{ "rx_queues", CFG_UINT, offsetof(struct port_conf, rx_queues), 2,
	  1, PORT_QUEUE_MAX, .def = "1",
	  .doc = "receive queues; more than 1 spreads flows by RSS" },
	{ "tx_queues", CFG_UINT, offsetof(struct port_conf, tx_queues), 2,
	  0, PORT_QUEUE_MAX, .def = "0",
	  .doc = "transmit queues; 0 = one per worker (the minimum)" },
	{ "rx_desc", CFG_UINT, offsetof(struct port_conf, rx_desc), 2,
	  64, 16384, .def = "1024", .doc = "descriptors per receive queue" },
	{ "tx_desc", CFG_UINT, offsetof(struct port_conf, tx_desc), 2,
	  64, 16384, .def = "1024", .doc = "descriptors per transmit queue" },
	{ "mtu", CFG_UINT, offsetof(struct port_conf, mtu), 2, 68, 9600,
	  .def = "1500", .doc = "IP MTU in bytes (interfaces default to it)" },
	{ "promiscuous", CFG_BOOL, offsetof(struct port_conf, promiscuous), 1,
	  .def = "false", .doc = "receive frames for any MAC address" },
};

static const struct cfg_schema port_schema = {
	.name = "port",
	.fields = port_fields,
	.n_fields = RTE_DIM(port_fields),
	.size = sizeof(struct port_conf),
	.keys = (const char *const[]){ "name", NULL },
};

const struct cfg_array *
port_conf_list(const struct cfg_model *model)
{
	return cfg_model_section(model, "ports");
}

int
port_conf_find(const struct cfg_array *ports, const char *name)
{
	const struct port_conf *pc = ports->items;
	unsigned int i;

	for (i = 0; i < ports->n; i++)
		if (strcmp(pc[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The ethdev name is the devargs up to the first comma. */
static void
device_name(const char *device, char *buf, size_t len)
{
	size_t n = strcspn(device, ",");

	snprintf(buf, len, "%.*s", (int)n, device);
}

/* A MAC written for a port is ferry's own: one unicast address. */
static int
port_check_mac(struct cfg_ctx *ctx, const struct port_conf *pc,
	       unsigned int i)
{
	char path[64], val[24], mac[18];

	snprintf(path, sizeof(path), "ports.[%u].mac", i);
	if (cfg_mac_is_unicast(pc->mac) || !cfg_ctx_written(ctx, path))
		return 0;
	snprintf(val, sizeof(val), "\"%s\"",
		 cfg_format_mac(pc->mac, mac, sizeof(mac)));
	cfg_error(ctx, path, val, "not a unicast MAC (multicast or zero): "
		  "a port's own address must be unicast");
	return 1;
}

uint32_t
port_data_room_need(uint32_t mtu)
{
	return RTE_PKTMBUF_HEADROOM + mtu + PORT_L2_MAX + PORT_TAIL_MAX;
}

uint32_t
port_data_room(const struct cfg_model *model)
{
	const struct buffers_conf *bc = cfg_model_section(model, "buffers");
	const struct cfg_array *ports = port_conf_list(model);
	const struct port_conf *pc = ports != NULL ? ports->items : NULL;
	uint32_t room = PORT_DATA_ROOM_DEFAULT;
	unsigned int i;

	if (bc != NULL && bc->data_room != 0)
		return bc->data_room;
	for (i = 0; ports != NULL && i < ports->n; i++)
		room = RTE_MAX(room, port_data_room_need(pc[i].mtu));
	return RTE_ALIGN_CEIL(room, RTE_CACHE_LINE_SIZE);
}

/*
 * A port's MTU against an explicit buffers.data_room: a frame must fit
 * in one buffer (eth_input drops chains as rx_chained, so a PMD that
 * scatters would lose every large frame). With data_room 0 (the
 * default) buffers are sized for the largest MTU and this holds.
 */
static int
port_check_mtu(struct cfg_ctx *ctx, const struct cfg_model *model,
	       const struct port_conf *pc, unsigned int i)
{
	const struct buffers_conf *bc = cfg_model_section(model, "buffers");
	char path[64], val[16];

	if (bc == NULL || bc->data_room == 0 ||
	    port_data_room_need(pc->mtu) <= bc->data_room)
		return 0;
	snprintf(path, sizeof(path), "ports.[%u].mtu", i);
	snprintf(val, sizeof(val), "%u", pc->mtu);
	cfg_error(ctx, path, val, "frames of this MTU need buffers.data_room "
		  ">= %u (headroom %u + MTU + %u of Ethernet and 802.1Q + "
		  "%u of tailroom), it is %u; remove data_room to size "
		  "buffers from the MTU", port_data_room_need(pc->mtu),
		  RTE_PKTMBUF_HEADROOM, PORT_L2_MAX, PORT_TAIL_MAX,
		  bc->data_room);
	return 1;
}

/* What EAL would fail to start (issue 19 item 15), said before it runs. */
static int
port_check_device(struct cfg_ctx *ctx, const struct cfg_model *model,
		  const struct port_conf *pc, unsigned int i)
{
	char path[64], val[300], why[PATH_MAX + 200];

	if (port_device_check(pc->device, cfg_model_file(model), why,
			      sizeof(why)) == NULL)
		return 0;
	snprintf(path, sizeof(path), "ports.[%u].device", i);
	snprintf(val, sizeof(val), "\"%s\"", pc->device);
	cfg_error(ctx, path, val, "%s", why);
	return 1;
}

static int
port_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *ports = port_conf_list(model);
	const struct port_conf *pc = ports->items;
	char path[64], val[300], a[256], b[256];
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < ports->n; i++) {
		errors += port_check_mac(ctx, &pc[i], i);
		errors += port_check_mtu(ctx, model, &pc[i], i);
		errors += port_check_device(ctx, model, &pc[i], i);
		for (j = 0; j < i; j++) {
			device_name(pc[i].device, a, sizeof(a));
			device_name(pc[j].device, b, sizeof(b));
			/* equal names: the engine's duplicate key */
			if (strcmp(pc[i].name, pc[j].name) != 0 &&
			    strcmp(a, b) == 0) {
				snprintf(path, sizeof(path), "ports.[%u].device", i);
				snprintf(val, sizeof(val), "\"%s\"", pc[i].device);
				cfg_error(ctx, path, val,
					  "device %s is already port \"%s\"",
					  a, pc[j].name);
				errors++;
			}
		}
	}
	return errors;
}

const struct cfg_section port_cfg_section = {
	.key = "ports",
	.type = CFG_LIST,
	.schema = &port_schema,
	.min = 1,
	.max = PORT_MAX,
	.required = true,
	.doc = "The ethdevs ferry drives. Each worker gets one transmit "
	       "queue on every port; receive queues are given to workers "
	       "in the workers section.",
	.check = port_check,
	.restart = "ports are configured and started with EAL",
};

static const struct cfg_field buffers_fields[] = {
	{ "mbufs", CFG_UINT, offsetof(struct buffers_conf, mbufs), 4,
	  1023, 16777215, .def = "16383",
	  .doc = "packet buffers in the pool (2^n - 1 is most efficient); "
		 "net_pcap with infinite_rx needs the whole capture to fit" },
	{ "cache", CFG_UINT, offsetof(struct buffers_conf, cache), 4, 0, 512,
	  .def = "256", .doc = "per-lcore mempool cache, in buffers" },
	{ "data_room", CFG_UINT, offsetof(struct buffers_conf, data_room), 4,
	  0, 65535, .def = "0",
	  .doc = "bytes per buffer including 128 bytes of headroom; 0 = "
		 "2176, or more when a port's mtu needs it (128 + mtu + 18 + "
		 "64, rounded up to 64): a frame always fits in one buffer" },
};

static const struct cfg_schema buffers_schema = {
	.name = "buffers",
	.fields = buffers_fields,
	.n_fields = RTE_DIM(buffers_fields),
	.size = sizeof(struct buffers_conf),
};

static int
buffers_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct buffers_conf *bc = cfg_model_section(model, "buffers");
	char val[16];

	if (bc == NULL || bc->data_room == 0 ||
	    bc->data_room >= PORT_DATA_ROOM_MIN)
		return 0;
	snprintf(val, sizeof(val), "%u", bc->data_room);
	cfg_error(ctx, "buffers.data_room", val, "below %u (headroom and a "
		  "1024-byte frame), and not 0 (sized from the ports' MTUs)",
		  PORT_DATA_ROOM_MIN);
	return 1;
}

const struct cfg_section buffers_cfg_section = {
	.key = "buffers",
	.type = CFG_GROUP,
	.schema = &buffers_schema,
	.check = buffers_check,
	.doc = "The packet buffer pool shared by all ports.",
	.restart = "the mbuf pool is made once, at start",
};

#include "module.h"

/* Set up by app/ferry before the list (the workers' queues need them). */
const struct ferry_module port_module = {
	.name = "ports",
	.sections = (const struct cfg_section *const[]){
		&buffers_cfg_section, &port_cfg_section, NULL },
};
