/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The source registry, the walk that feeds a view, and the baselines
 * `clear counters` records. Baselines live in an rte_hash keyed by
 * (kind, object, counter); the value is stored in the hash's data
 * pointer itself (64 bits), so nothing else is allocated per counter.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "stats_priv.h"

/* Enough for every drop reason, node and port, plus other libraries'
 * objects; a counter beyond it is simply not cleared (logged once). */
#define BASE_ENTRIES 16384

/* Longer object or counter names are cut: two objects sharing their
 * first 63 characters would share a baseline. */
struct base_key {
	char kind[32];
	char object[64];
	char counter[32];
};

FERRY_LOG_REGISTER(stats_logtype, stats, NOTICE);

static const struct stats_source *sources[STATS_SOURCE_MAX];
static unsigned int n_sources;
static struct rte_hash *base;

static bool
name_ok(const char *s, bool digits)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || *s == '_' ||
		      (digits && isdigit((unsigned char)*s))))
			return false;
	return true;
}

int
stats_source_register(const struct stats_source *src)
{
	if (src == NULL || src->collect == NULL ||
	    !name_ok(src->kind, true) || !name_ok(src->word, false) ||
	    (src->label != NULL && !name_ok(src->label, false)) ||
	    strlen(src->kind) >= sizeof(((struct base_key *)0)->kind))
		return -EINVAL;
	if (stats_source_find(src->kind) != NULL)
		return -EEXIST;
	if (n_sources == STATS_SOURCE_MAX)
		return -ENOSPC;
	sources[n_sources++] = src;
	return stats_telemetry_source_added(src);
}

unsigned int
stats_source_count(void)
{
	return n_sources;
}

const struct stats_source *
stats_source_get(unsigned int idx)
{
	return idx < n_sources ? sources[idx] : NULL;
}

const struct stats_source *
stats_source_find(const char *kind)
{
	unsigned int i;

	for (i = 0; i < n_sources; i++)
		if (strcmp(sources[i]->kind, kind) == 0)
			return sources[i];
	return NULL;
}

void
stats_object(struct stats_sink *s, const char *name)
{
	s->object = name;
	s->ops->object(s, name);
}

void
stats_counter(struct stats_sink *s, const char *name, uint64_t v)
{
	s->ops->value(s, name, v, false);
}

void
stats_gauge(struct stats_sink *s, const char *name, uint64_t v)
{
	s->ops->value(s, name, v, true);
}

void
stats_collect(struct stats_sink *s, const struct stats_source *src)
{
	s->src = src;
	s->object = NULL;
	src->collect(s, src->arg);
	if (s->ops->end != NULL)
		s->ops->end(s);
}

static void
base_key_make(struct base_key *k, const char *kind, const char *object,
	      const char *counter)
{
	memset(k, 0, sizeof(*k));
	strlcpy(k->kind, kind, sizeof(k->kind));
	strlcpy(k->object, object != NULL ? object : "", sizeof(k->object));
	strlcpy(k->counter, counter != NULL ? counter : "",
		sizeof(k->counter));
}

static void
base_object(struct stats_sink *s, const char *name)
{
	RTE_SET_USED(s);
	RTE_SET_USED(name);
}

static void
base_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	static bool warned;
	struct base_key k;

	if (gauge)
		return;
	base_key_make(&k, s->src->kind, s->object, name);
	if (rte_hash_add_key_data(base, &k, (void *)(uintptr_t)v) < 0 &&
	    !warned) {
		warned = true;
		STATS_LOG(WARNING, "more than %u counters; `clear "
			  "counters` leaves the others as they are",
			  BASE_ENTRIES);
	}
}

static const struct stats_sink_ops base_ops = {
	.object = base_object,
	.value = base_value,
};

static int
base_create(void)
{
	struct rte_hash_parameters p = {
		.name = "ferry_stats_base",
		.entries = BASE_ENTRIES,
		.key_len = sizeof(struct base_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
	};

	base = rte_hash_create(&p);
	return base == NULL ? -ENOMEM : 0;
}

int
stats_base_record(void)
{
	struct stats_sink s = { .ops = &base_ops };
	unsigned int i;

	if (base == NULL && base_create() < 0)
		return -ENOMEM;
	rte_hash_reset(base);
	for (i = 0; i < n_sources; i++)
		stats_collect(&s, sources[i]);
	return 0;
}

uint64_t
stats_base_get(const char *kind, const char *object, const char *counter)
{
	struct base_key k;
	void *data;

	if (base == NULL)
		return 0;
	base_key_make(&k, kind, object, counter);
	if (rte_hash_lookup_data(base, &k, &data) < 0)
		return 0;
	return (uint64_t)(uintptr_t)data;
}

void
stats_base_free(void)
{
	rte_hash_free(base);
	base = NULL;
}

void
stats_teardown(void)
{
	stats_telemetry_teardown();
	stats_base_free();
	stats_runtime_teardown();
	n_sources = 0;
}
