/* SPDX-License-Identifier: BSD-3-Clause */
/* The "metrics" config section: whether and where /metrics is served. */
#include <stddef.h>
#include <stdio.h>

#include "metrics.h"

#define CONF_FIELD(k) \
	.key = #k, .offset = offsetof(struct metrics_conf, k), \
	.size = sizeof(((struct metrics_conf *)0)->k)

static const struct cfg_field metrics_fields[] = {
	{ CONF_FIELD(enabled), .type = CFG_BOOL, .def = "false",
	  .doc = "serve Prometheus metrics over HTTP at /metrics" },
	{ CONF_FIELD(address), .type = CFG_STRING, .def = "\"127.0.0.1\"",
	  .doc = "IPv4 address to listen on (a.b.c.d); keep it on loopback "
		 "or a management network: there is no authentication" },
	{ CONF_FIELD(port), .type = CFG_UINT, .min = 0, .max = 65535,
	  .def = "9464", .doc = "TCP port; 0 picks a free port" },
};

static const struct cfg_schema metrics_schema = {
	.name = "metrics",
	.fields = metrics_fields,
	.n_fields = sizeof(metrics_fields) / sizeof(metrics_fields[0]),
	.size = sizeof(struct metrics_conf),
};

static int
metrics_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct metrics_conf *c = cfg_model_section(model, "metrics");
	char value[sizeof(c->address) + 2];
	uint32_t addr;

	if (c == NULL || cfg_parse_ipv4(c->address, &addr) == 0)
		return 0;
	snprintf(value, sizeof(value), "\"%s\"", c->address);
	cfg_error(ctx, "metrics.address", value,
		  "expected an IPv4 address a.b.c.d");
	return 1;
}

const struct cfg_section metrics_cfg_section = {
	.key = "metrics",
	.type = CFG_GROUP,
	.schema = &metrics_schema,
	.required = false,
	.doc = "Prometheus endpoint: GET /metrics in the text exposition "
	       "format, served by the management lcore (see "
	       "doc/operations.md). Off unless enabled.",
	.check = metrics_check,
	.restart = "the metrics listener is opened at start",
};
