/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus view of lib/stats: text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/).
 * Sources report object by object; the format wants each metric's
 * samples together under one HELP/TYPE, so a source's values are
 * gathered first and written counter by counter.
 *
 * Names: ferry_<word>_<counter>[_total], characters outside
 * [a-zA-Z0-9_] written '_'; the object is the label <word>="<name>",
 * with \, " and newline escaped. Counters are the raw monotonic values.
 * A family exports at most METRICS_OBJECTS_MAX objects (label values):
 * the rest are left out and counted in ferry_metrics_omitted_objects.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_version.h>

#include "metrics.h"
#include "stats_view.h"

/*
 * Objects (label values) one family may export. Prometheus keeps a time
 * series per label value and family; 60000 ACL rules or 4096 LSPs would
 * make a scrape megabytes and a TSDB slow. doc/operations.md says so.
 */
#define METRICS_OBJECTS_MAX 1000

struct sample {
	char *object;
	char counter[48];
	uint64_t v;
	bool gauge;
};

struct prom_view {
	struct sample *v;
	unsigned int n, cap;
	unsigned int objects;  /* of the source being collected */
	bool oom;
};

static void
prom_object(struct stats_sink *s, const char *name)
{
	struct prom_view *p = s->ctx;

	RTE_SET_USED(name);
	p->objects++;
}

static void
prom_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	struct prom_view *p = s->ctx;
	struct sample *x;

	/* Bounded label cardinality: the first METRICS_OBJECTS_MAX objects
	 * of a family; the rest are counted in ferry_metrics_omitted. */
	if (p->objects > METRICS_OBJECTS_MAX)
		return;

	if (p->n == p->cap) {
		unsigned int cap = p->cap != 0 ? p->cap * 2 : 64;

		x = realloc(p->v, cap * sizeof(*x));
		if (x == NULL) {
			p->oom = true;
			return;
		}
		p->v = x;
		p->cap = cap;
	}
	x = &p->v[p->n];
	x->object = strdup(s->object != NULL ? s->object : "");
	if (x->object == NULL) {
		p->oom = true;
		return;
	}
	strlcpy(x->counter, name != NULL ? name :
		s->src->value_name != NULL ? s->src->value_name : "value",
		sizeof(x->counter));
	x->v = v;
	x->gauge = gauge;
	p->n++;
}

static const struct stats_sink_ops prom_ops = {
	.object = prom_object,
	.value = prom_value,
};

static void
name_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(isalnum((unsigned char)*s) ? *s : '_', f);
}

static void
label_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
metric_name(FILE *f, const struct stats_source *src, const struct sample *x)
{
	fputs("ferry_", f);
	name_put(f, src->word);
	fputc('_', f);
	name_put(f, x->counter);
	if (!x->gauge)
		fputs("_total", f);
}

/* One metric: HELP, TYPE, then every sample of counter @p first's name. */
static void
metric_write(FILE *f, const struct stats_source *src,
	     const struct prom_view *p, unsigned int first)
{
	const struct sample *x = &p->v[first];
	unsigned int i;

	fputs("# HELP ", f);
	metric_name(f, src, x);
	fprintf(f, " %s: %s\n# TYPE ", src->help != NULL ? src->help :
		src->kind, x->counter);
	metric_name(f, src, x);
	fputs(x->gauge ? " gauge\n" : " counter\n", f);
	for (i = first; i < p->n; i++) {
		if (strcmp(p->v[i].counter, x->counter) != 0)
			continue;
		metric_name(f, src, &p->v[i]);
		fprintf(f, "{%s=\"", src->label != NULL ? src->label :
			src->word);
		label_put(f, p->v[i].object);
		fprintf(f, "\"} %" PRIu64 "\n", p->v[i].v);
	}
}

/* Counter names per source: a handful in practice (ports have 5). */
#define COUNTERS_PER_SOURCE_MAX 64

/* Write each distinct counter of the gathered samples as one metric. */
static void
source_write(FILE *f, const struct stats_source *src,
	     const struct prom_view *p)
{
	unsigned int first[COUNTERS_PER_SOURCE_MAX], n = 0, i, j;

	for (i = 0; i < p->n; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(p->v[first[j]].counter,
				   p->v[i].counter) == 0)
				break;
		if (j == n && n < RTE_DIM(first))
			first[n++] = i;
	}
	for (j = 0; j < n; j++)
		metric_write(f, src, p, first[j]);
}

static void
view_reset(struct prom_view *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].object);
	p->n = 0;
	p->objects = 0;
}

/* How many objects of each family were left out, 0 for most. */
static void
omitted_write(FILE *f, const unsigned int *omitted, unsigned int n)
{
	unsigned int k;

	fprintf(f, "# HELP ferry_metrics_omitted_objects Objects of a family "
		"beyond the first %u, left out of /metrics (show counters "
		"and telemetry have them)\n"
		"# TYPE ferry_metrics_omitted_objects gauge\n",
		METRICS_OBJECTS_MAX);
	for (k = 0; k < n; k++)
		fprintf(f, "ferry_metrics_omitted_objects{kind=\"%s\"} %u\n",
			stats_source_get(k)->kind, omitted[k]);
}

int
metrics_write(FILE *f)
{
	struct prom_view p = { 0 };
	struct stats_sink s = { .ops = &prom_ops, .ctx = &p };
	unsigned int omitted[STATS_SOURCE_MAX] = { 0 };
	unsigned int k;

	fprintf(f, "# HELP ferry_info ferry and DPDK versions\n"
		"# TYPE ferry_info gauge\n"
		"ferry_info{version=\"%s\",dpdk=\"%s\"} 1\n",
		FERRY_VERSION, rte_version());
	for (k = 0; k < stats_source_count() && !p.oom; k++) {
		const struct stats_source *src = stats_source_get(k);

		stats_collect(&s, src);
		if (!p.oom)
			source_write(f, src, &p);
		if (p.objects > METRICS_OBJECTS_MAX)
			omitted[k] = p.objects - METRICS_OBJECTS_MAX;
		view_reset(&p);
	}
	if (!p.oom)
		omitted_write(f, omitted, stats_source_count());
	view_reset(&p);
	free(p.v);
	return p.oom ? -ENOMEM : 0;
}
