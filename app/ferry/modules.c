/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libraries ferry runs, written once in dependency order: setup and
 * command registration go down the list, teardown up it, and every
 * control poll runs each turn (main.c). Each library declares its own
 * record; QoS and IPsec still have theirs here, while their change path
 * is being converted on another branch (move them to lib/qos/qos.c and
 * lib/ipsec/ipsec.c beside the others once that lands).
 */
#include "classify.h"
#include "control_plane.h"
#include "fpm.h"
#include "iface.h"
#include "ipsec.h"
#include "modules.h"
#include "mpls.h"
#include "qos.h"
#include "route.h"
#include "vxlan.h"

static const struct ferry_module qos_module = {
	.name = "QoS",
	.sections = (const struct cfg_section *const[]){ &qos_cfg_section,
							 NULL },
	.setup = qos_setup,
	.cli_register = qos_cli_register,
	.control_poll = qos_control_poll,
	.teardown = qos_teardown,
};

static const struct ferry_module ipsec_module = {
	.name = "IPsec",
	.sections = (const struct cfg_section *const[]){ &ipsec_cfg_section,
							 NULL },
	.setup = ipsec_setup,
	.cli_register = ipsec_cli_register, /* uses route's <vrf-name> */
	.control_poll = ipsec_control_poll,
	.teardown = ipsec_teardown,
};

static const struct ferry_module fpm_module = {
	.name = "FPM server",
	.sections = (const struct cfg_section *const[]){ &fpm_cfg_section,
							 NULL },
	.setup = fpm_setup,
	.cli_register = fpm_cli_register,
	.control_poll = fpm_poll,
	.teardown = fpm_teardown,
};

const struct ferry_module *const ferry_modules[] = {
	&iface_module,
	&route_module,    /* reads interfaces */
	&mpls_module,     /* reads interfaces and vrfs */
	&classify_module, /* reads interfaces and vrfs */
	&vxlan_module,    /* reads interfaces and vrfs */
	&qos_module,      /* reads ports */
	&ipsec_module,    /* reads vrfs */
	&cp_module,       /* reads interfaces and vrfs */
	&fpm_module,      /* listens in a representor's namespace */
};

const unsigned int ferry_n_modules =
	sizeof(ferry_modules) / sizeof(ferry_modules[0]);
