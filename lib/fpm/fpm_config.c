/* SPDX-License-Identifier: BSD-3-Clause */
/* The "fpm" config section: where zebra's dplane_fpm_nl connects, and
 * how long FRR's routes outlive their session. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "fpm.h"
#include "route.h"

#define CONF_FIELD(k) \
	.key = #k, .offset = offsetof(struct fpm_conf, k), \
	.size = sizeof(((struct fpm_conf *)0)->k)

static const struct cfg_field fpm_fields[] = {
	{ CONF_FIELD(enabled), .type = CFG_BOOL, .def = "false",
	  .doc = "accept zebra's FPM connection (zebra -M dplane_fpm_nl, "
		 "`fpm address A port P` in its config)" },
	{ CONF_FIELD(address), .type = CFG_STRING, .def = "\"127.0.0.1\"",
	  .doc = "IPv4 address to listen on (a.b.c.d)" },
	{ CONF_FIELD(port), .type = CFG_UINT, .min = 1, .max = 65535,
	  .def = "2620", .doc = "TCP port (FRR's default 2620)" },
	{ CONF_FIELD(netns), .type = CFG_STRING,
	  .doc = "network namespace (/run/netns/NAME) to listen in, where "
		 "zebra runs; absent = ferry's own" },
	{ CONF_FIELD(grace), .type = CFG_UINT, .min = 0, .max = 86400,
	  .def = "60", .doc = "seconds FRR's routes stay in the FIB after "
			      "zebra's session ends; then withdrawn" },
	{ CONF_FIELD(sweep_delay), .type = CFG_UINT, .min = 1, .max = 3600,
	  .def = "3", .doc = "seconds without a frame, once zebra's new "
			     "session sent its first, before the FRR routes "
			     "it did not resend are removed (mark and "
			     "sweep); a session that sends nothing sweeps "
			     "after grace" },
	{ CONF_FIELD(frame_timeout), .type = CFG_UINT, .min = 1,
	  .max = 600, .def = "5",
	  .doc = "seconds a started frame may take to arrive whole; a "
		 "slower peer is disconnected (frame_timeout)" },
	{ CONF_FIELD(budget), .type = CFG_UINT, .min = 1, .max = 1000000,
	  .def = "20000", .doc = "netlink messages applied per management "
				 "poll (1 ms): a full table loads in "
				 "slices while CLI and ARP keep working" },
	{ CONF_FIELD(distance), .type = CFG_UINT, .min = 1, .max = 255,
	  .def = "20", .doc = "admin distance of FRR's routes (one for all: "
			      "zebra chose among its protocols already); "
			      "against static_distance, the lower wins" },
	{ CONF_FIELD(static_distance), .type = CFG_UINT, .min = 1,
	  .max = 255, .def = "1",
	  .doc = "admin distance of static routes against FRR's (Cisco's "
		 "1); static wins a tie. distance below it lets FRR's "
		 "route beat a static one for the same prefix (a floating "
		 "static: the static route is kept behind it). Connected "
		 "routes always win" },
};

static const struct cfg_schema fpm_schema = {
	.name = "fpm",
	.fields = fpm_fields,
	.n_fields = RTE_DIM(fpm_fields),
	.size = sizeof(struct fpm_conf),
};

/* Two VRFs naming one kernel table would make routes ambiguous. */
static int
check_tables(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *vrfs = cfg_model_section(model, "vrfs");
	const struct vrf_conf *vc = vrfs->items;
	char path[48], val[16];
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < vrfs->n; i++)
		for (j = 0; j < i && vc[i].table != 0; j++) {
			if (vc[j].table != vc[i].table)
				continue;
			snprintf(path, sizeof(path), "vrfs.[%u].table", i);
			snprintf(val, sizeof(val), "%u", vc[i].table);
			cfg_error(ctx, path, val, "table already mapped to "
				  "VRF \"%s\"", vc[j].name);
			errors++;
		}
	return errors;
}

static int
fpm_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct fpm_conf *c = cfg_model_section(model, "fpm");
	char value[sizeof(c->netns) + 2];
	uint32_t addr;
	int errors = check_tables(ctx, model);

	if (c == NULL)
		return errors;
	if (cfg_parse_ipv4(c->address, &addr) != 0) {
		snprintf(value, sizeof(value), "\"%s\"", c->address);
		cfg_error(ctx, "fpm.address", value,
			  "expected an IPv4 address a.b.c.d");
		errors++;
	}
	if (strchr(c->netns, '/') != NULL) {
		snprintf(value, sizeof(value), "\"%s\"", c->netns);
		cfg_error(ctx, "fpm.netns", value,
			  "a namespace name is a file name in /run/netns");
		errors++;
	}
	return errors;
}

const struct cfg_section fpm_cfg_section = {
	.key = "fpm",
	.type = CFG_GROUP,
	.schema = &fpm_schema,
	.required = false,
	.doc = "FPM server for FRR's zebra (dplane_fpm_nl): routes, ECMP "
	       "groups and their VRFs by kernel table id (vrfs[].table), "
	       "installed with source FRR; static routes win over them "
	       "unless distance is below static_distance (see "
	       "doc/fpm.md). Off unless enabled.",
	.check = fpm_check,
	.restart = "the FPM listener is opened at start",
};
