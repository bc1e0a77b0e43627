/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * From the "qos" config model to what the scheduler and the data path
 * use: class parameters, the ceil defaults and the DSCP map. Used by the
 * config check, set-up and the CLI alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qos_priv.h"

/* Ethernet header + one 802.1Q tag on top of the L3 MTU. */
#define QOS_L2_MAX 18

void
qos_ceil_defaults(struct qos_port_cfg *pc)
{
	struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i, j;

	for (i = 0; i < pc->classes.n; i++) {
		uint64_t pceil = pc->rate;

		if (cc[i].ceil != 0)
			continue;
		for (j = 0; j < i; j++)
			if (cc[j].id == cc[i].parent)
				pceil = cc[j].ceil;
		cc[i].ceil = pceil;
	}
}

void
qos_params_from_cfg(const struct qos_port_cfg *pc, uint32_t mtu,
		    struct qos_sched_params *p, struct qos_class_params *cls)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i;

	for (i = 0; i < pc->classes.n; i++)
		cls[i] = (struct qos_class_params){
			.id = cc[i].id, .parent = cc[i].parent,
			.rate = cc[i].rate, .ceil = cc[i].ceil,
			.prio = cc[i].priority,
			.queue_limit = cc[i].queue_limit,
		};
	*p = (struct qos_sched_params){
		.rate = pc->rate, .overhead = pc->overhead,
		.burst_us = pc->burst_us,
		.mtu = mtu + QOS_L2_MAX, .default_class = pc->default_class,
		.n_classes = pc->classes.n, .classes = cls,
	};
}

static int
dscp_parse(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return (*end != '\0' || end == s || v < 0 || v > 63) ? -1 : (int)v;
}

int
qos_dscp_map_build(const struct qos_port_cfg *pc, uint16_t map[64],
		   unsigned int *bad, char *why, size_t why_len)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	unsigned int i, j;

	memset(map, 0, 64 * sizeof(map[0]));
	for (i = 0; i < pc->classes.n; i++) {
		for (j = 0; j < cc[i].dscp.n; j++) {
			const char *s = (const char *)cc[i].dscp.items + j * 4;
			int d = dscp_parse(s);

			*bad = i;
			if (d < 0) {
				snprintf(why, why_len, "\"%s\": a DSCP is "
					 "0..63", s);
				return -EINVAL;
			}
			if (map[d] != 0) {
				snprintf(why, why_len, "DSCP %d is already "
					 "mapped to class %u", d, map[d]);
				return -EINVAL;
			}
			map[d] = (uint16_t)cc[i].id;
		}
	}
	return 0;
}
