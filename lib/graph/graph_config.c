/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "workers" config section: which lcore polls which port queues.
 * Every receive queue of every port must be polled by exactly one worker;
 * an unpolled queue would silently fill and drop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static const struct cfg_field worker_fields[] = {
	{ "lcore", CFG_UINT, offsetof(struct worker_conf, lcore), 4, 0,
	  RTE_MAX_LCORE - 1, .required = true,
	  .doc = "lcore id; must be in eal.lcores and not the first "
		 "(management) lcore" },
	{ "rx", CFG_STRING_LIST, offsetof(struct worker_conf, rx),
	  GRAPH_QUEUE_NAME_LEN, 1, PORT_MAX * PORT_QUEUE_MAX,
	  .required = true,
	  .doc = "receive queues this worker polls, as \"port:queue\"" },
};

static const struct cfg_schema worker_schema = {
	.name = "worker",
	.fields = worker_fields,
	.n_fields = RTE_DIM(worker_fields),
	.size = sizeof(struct worker_conf),
};

int
graph_queue_parse(const struct cfg_array *ports, const char *s,
		  int *port_idx, uint16_t *queue, const char **why)
{
	const struct port_conf *pc = ports->items;
	const char *colon = strrchr(s, ':');
	char name[PORT_NAME_LEN];
	unsigned long q;
	char *end;

	if (colon == NULL || colon == s || colon[1] == '\0' ||
	    (size_t)(colon - s) >= sizeof(name)) {
		*why = "expected \"port:queue\"";
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(colon - s), s);
	q = strtoul(colon + 1, &end, 10);
	if (*end != '\0') {
		*why = "expected \"port:queue\"";
		return -EINVAL;
	}
	*port_idx = port_conf_find(ports, name);
	if (*port_idx < 0) {
		*why = "no such port";
		return -EINVAL;
	}
	if (q >= pc[*port_idx].rx_queues) {
		*why = "queue number beyond the port's rx_queues";
		return -EINVAL;
	}
	*queue = (uint16_t)q;
	return 0;
}

/* polled[port][queue] = 1 + index of the worker polling it, 0 = none. */
static int
check_worker_queues(struct cfg_ctx *ctx, const struct cfg_array *ports,
		    const struct worker_conf *wc, unsigned int w,
		    uint16_t polled[PORT_MAX][PORT_QUEUE_MAX])
{
	char path[64], val[GRAPH_QUEUE_NAME_LEN + 2];
	const char *why;
	unsigned int j;
	uint16_t queue;
	int errors = 0, p;

	for (j = 0; j < wc->rx.n; j++) {
		const char *s = (const char *)wc->rx.items +
				j * GRAPH_QUEUE_NAME_LEN;

		snprintf(path, sizeof(path), "workers.[%u].rx.[%u]", w, j);
		snprintf(val, sizeof(val), "\"%s\"", s);
		if (graph_queue_parse(ports, s, &p, &queue, &why) < 0) {
			cfg_error(ctx, path, val, "%s", why);
			errors++;
		} else if (polled[p][queue] != 0) {
			cfg_error(ctx, path, val,
				  "queue already polled by workers.[%u]",
				  polled[p][queue] - 1);
			errors++;
		} else {
			polled[p][queue] = (uint16_t)(w + 1);
		}
	}
	return errors;
}

static int
workers_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *ports = port_conf_list(model);
	const struct cfg_array *workers = cfg_model_section(model, "workers");
	const struct worker_conf *wc = workers->items;
	const struct port_conf *pc = ports->items;
	uint16_t polled[PORT_MAX][PORT_QUEUE_MAX] = { { 0 } };
	unsigned int i, j;
	char path[64], val[16];
	int errors = 0;

	for (i = 0; i < workers->n; i++) {
		for (j = 0; j < i; j++) {
			if (wc[i].lcore != wc[j].lcore)
				continue;
			snprintf(path, sizeof(path), "workers.[%u].lcore", i);
			snprintf(val, sizeof(val), "%u", wc[i].lcore);
			cfg_error(ctx, path, val,
				  "lcore already used by workers.[%u]", j);
			errors++;
		}
		errors += check_worker_queues(ctx, ports, &wc[i], i, polled);
	}
	for (i = 0; errors == 0 && i < ports->n; i++) {
		for (j = 0; j < pc[i].rx_queues; j++) {
			if (polled[i][j] != 0)
				continue;
			snprintf(path, sizeof(path), "ports.[%u]", i);
			cfg_error(ctx, path, NULL,
				  "queue %u of port \"%s\" is polled by no "
				  "worker", j, pc[i].name);
			errors++;
		}
	}
	return errors;
}

const struct cfg_section workers_cfg_section = {
	.key = "workers",
	.type = CFG_LIST,
	.schema = &worker_schema,
	.min = 1,
	.max = GRAPH_WORKER_MAX,
	.required = true,
	.doc = "Worker lcores and the receive queues each polls. Each "
	       "worker carries its packets through the whole graph (run to "
	       "completion) and owns one transmit queue on every port.",
	.check = workers_check,
	.restart = "worker lcores and their queues are given out at "
		   "start",
};

#include "module.h"

/* Set up by app/ferry before the list (the libraries' setups need the
 * workers); the graphs are built after the file's rows. */
const struct ferry_module graph_module = {
	.name = "workers",
	.sections = (const struct cfg_section *const[]){ &workers_cfg_section,
							 NULL },
};
