/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel-ferry: charon's IPsec kernel interface (kernel_ipsec_t) backed
 * by ferry's data plane over ferry's IKE socket (ferry doc/ike.md).
 */
#ifndef KERNEL_FERRY_PLUGIN_H_
#define KERNEL_FERRY_PLUGIN_H_

#include <plugins/plugin.h>

typedef struct kernel_ferry_plugin_t kernel_ferry_plugin_t;

/** The plugin; create it with kernel_ferry_plugin_create(). */
struct kernel_ferry_plugin_t {
	plugin_t plugin;
};

#endif /* KERNEL_FERRY_PLUGIN_H_ */
