/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between the interface table and the eth_input node. */
#ifndef FERRY_IFACE_PRIV_H
#define FERRY_IFACE_PRIV_H

#include <rte_ethdev.h>

#include "iface.h"

/*
 * (DPDK port id, VLAN) -> interface index. One 8 KB row per port keeps
 * the lookup a single load; IFACE_NONE marks "no interface".
 */
extern uint16_t iface_by_vlan[RTE_MAX_ETHPORTS][4096];

/** Allocate the interface counters and register their source. */
int iface_stats_setup(void);
/* Live operations of the "interfaces" list (iface.c). */
extern const struct cfg_list_ops iface_list_ops;

#endif
