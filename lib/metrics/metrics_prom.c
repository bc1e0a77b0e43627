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

struct sample {
	char *object;
	char counter[48];
	uint64_t v;
	bool gauge;
};

struct prom_view {
	struct sample *v;
	unsigned int n, cap;
	bool oom;
};

static void
prom_object(struct stats_sink *s, const char *name)
{
	RTE_SET_USED(s);
	RTE_SET_USED(name);
}

static void
prom_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	struct prom_view *p = s->ctx;
	struct sample *x;

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
}

int
metrics_write(FILE *f)
{
	struct prom_view p = { 0 };
	struct stats_sink s = { .ops = &prom_ops, .ctx = &p };
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
		view_reset(&p);
	}
	view_reset(&p);
	free(p.v);
	return p.oom ? -ENOMEM : 0;
}
