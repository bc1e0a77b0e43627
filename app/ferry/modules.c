/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libraries ferry runs, written once in dependency order. Each
 * library declares its own record (module.h); from this list come the
 * sections the file is read with (each module's, in list order), setup
 * and command registration down the list, start once the graphs are
 * built, the control polls every turn, stopped and teardown (up the
 * list) in main.c.
 */
#include "capture.h"
#include "classify.h"
#include "cli.h"
#include "control_plane.h"
#include "eal_config.h"
#include "fpm.h"
#include "graph.h"
#include "iface.h"
#include "ipsec.h"
#include "metrics.h"
#include "modules.h"
#include "mpls.h"
#include "port.h"
#include "qos.h"
#include "route.h"
#include "sections.h"
#include "stats.h"
#include "trace.h"
#include "vxlan.h"

const struct ferry_module *const ferry_modules[] = {
	&stats_module,    /* first: the others register counter sources */
	&port_module,     /* buffers, ports */
	&iface_module,
	&route_module,    /* reads interfaces */
	&mpls_module,     /* reads interfaces and vrfs */
	&classify_module, /* reads interfaces and vrfs */
	&vxlan_module,    /* reads interfaces and vrfs */
	&qos_module,      /* reads ports */
	&ipsec_module,    /* reads vrfs */
	&cp_module,       /* reads interfaces and vrfs */
	&fpm_module,      /* reads vrfs; listens in a representor's netns */
	&graph_module,    /* workers: reads ports */
	&cli_module,
	&metrics_module,  /* a view of the counters */
	&trace_module,    /* starts on the built graphs' nodes */
	&capture_module,  /* uses trace's node hooks */
	&eal_module,      /* last: its check reads the workers' lcores */
};

const unsigned int ferry_n_modules =
	sizeof(ferry_modules) / sizeof(ferry_modules[0]);

#define FERRY_SECTIONS_MAX 64

static const struct cfg_section *sections[FERRY_SECTIONS_MAX + 1];
static unsigned int n_sections;

/* The modules' sections in list order, gathered once. */
static void
sections_gather(void)
{
	const struct cfg_section *const *s;
	unsigned int i;

	if (n_sections > 0)
		return;
	for (i = 0; i < ferry_n_modules; i++)
		for (s = ferry_modules[i]->sections; s != NULL && *s != NULL;
		     s++)
			if (n_sections < FERRY_SECTIONS_MAX)
				sections[n_sections++] = *s;
}

const struct cfg_section *const *
ferry_section_list(void)
{
	sections_gather();
	return sections;
}

unsigned int
ferry_section_count(void)
{
	sections_gather();
	return n_sections;
}
