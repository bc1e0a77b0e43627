/* SPDX-License-Identifier: BSD-3-Clause */
/* Which library owns which part of the file, in dependency order. */
#include "classify.h"
#include "cli.h"
#include "control_plane.h"
#include "eal_config.h"
#include "fpm.h"
#include "graph.h"
#include "iface.h"
#include "metrics.h"
#include "ipsec.h"
#include "mpls.h"
#include "port.h"
#include "qos.h"
#include "route.h"
#include "sections.h"
#include "vxlan.h"

/* eal comes last because its check reads the workers' lcores. */
const struct cfg_section *const ferry_sections[] = {
	&buffers_cfg_section,
	&port_cfg_section,
	&iface_cfg_section,
	&vrf_cfg_section,
	&nbr_cfg_section,
	&ip_cfg_section,
	&ip6_cfg_section,
	&nd_cfg_section,      /* reads interfaces */
	&mpls_cfg_section,    /* reads interfaces and vrfs */
	&acl_cfg_section,     /* reads interfaces and vrfs */
	&vxlan_cfg_section,   /* reads interfaces and vrfs */
	&qos_cfg_section,     /* reads ports */
	&ipsec_cfg_section,   /* reads vrfs */
	&cp_cfg_section,      /* reads interfaces and vrfs */
	&fpm_cfg_section,     /* reads vrfs */
	&workers_cfg_section,
	&cli_cfg_section,
	&metrics_cfg_section,
	&eal_cfg_section,
};

const unsigned int ferry_n_sections =
	sizeof(ferry_sections) / sizeof(ferry_sections[0]);
