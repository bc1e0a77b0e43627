/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry view: one command /ferry/<kind> per counter source
 * (/ferry/ports, /ferry/nodes, /ferry/drops, /ferry/workers,
 * /ferry/runtime, and what other libraries register), plus
 * /ferry/counters listing the kinds. Read with Debian's
 * `dpdk-telemetry.py -f <eal.file_prefix>`, e.g. `/ferry/ports`.
 *
 * Telemetry callbacks run in EAL's telemetry threads, but counters are
 * read on the management lcore only (stats.h): a callback posts its
 * request and waits (bounded) while the management loop answers it in
 * stats_poll(). All request state is under one mutex; a request that
 * times out is withdrawn under it, so the answer is never written into
 * a reply telemetry has already sent.
 *
 * Values are the raw monotonic counters (`clear counters` does not
 * touch them). Single-valued sources give {object: value}, others
 * {object: {counter: value}}. A telemetry dict holds at most
 * RTE_TEL_MAX_DICT_ENTRIES objects; more are left out. Names are
 * written with '_' for what telemetry does not accept (see tel_name()).
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_string_fns.h>
#include <rte_telemetry.h>

#include "stats_priv.h"

#define TEL_PREFIX "/ferry/"
#define TEL_TIMEOUT_MS 2000 /* the management loop answers within 1 ms */

struct tel_request {
	const struct stats_source *src; /* NULL: list the kinds */
	struct rte_tel_data *d;
	int rc;
	bool done;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t one_client = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answered = PTHREAD_COND_INITIALIZER;
static struct tel_request *pending;  /* under lock */
static bool serving;                 /* under lock */
static int has_pending;              /* atomic hint for stats_poll() */
static bool registered;              /* commands exist (management) */
static char cmd_names[STATS_SOURCE_MAX][64];

/* ---- the view: a telemetry dict built by a source's walk ---- */

struct tel_view {
	struct rte_tel_data *d;
	struct rte_tel_data *child;      /* current object's counters */
	char object[RTE_TEL_MAX_STRING_LEN];
};

/*
 * DPDK 22.11 telemetry takes only [A-Za-z0-9_/] in names and silently
 * leaves out any other entry, so "rx-missed" and "ferry_port_rx-ce-a-q0"
 * are written "rx_missed" and "ferry_port_rx_ce_a_q0".
 */
static const char *
tel_name(const char *name, char *buf, size_t len)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < len; i++)
		buf[i] = isalnum((unsigned char)name[i]) || name[i] == '/' ?
			 name[i] : '_';
	buf[i] = '\0';
	return buf;
}

static void
tel_flush(struct tel_view *t)
{
	if (t->child == NULL)
		return;
	if (rte_tel_data_add_dict_container(t->d, t->object, t->child,
					    0) < 0)
		rte_tel_data_free(t->child);
	t->child = NULL;
}

static void
tel_object(struct stats_sink *s, const char *name)
{
	struct tel_view *t = s->ctx;

	tel_flush(t);
	tel_name(name, t->object, sizeof(t->object));
}

static void
tel_value(struct stats_sink *s, const char *name, uint64_t v, bool gauge)
{
	struct tel_view *t = s->ctx;
	char key[RTE_TEL_MAX_STRING_LEN];

	RTE_SET_USED(gauge);
	if (name == NULL) {
		rte_tel_data_add_dict_u64(t->d, t->object, v);
		return;
	}
	if (t->child == NULL) {
		t->child = rte_tel_data_alloc();
		if (t->child == NULL)
			return;
		rte_tel_data_start_dict(t->child);
	}
	rte_tel_data_add_dict_u64(t->child, tel_name(name, key, sizeof(key)),
				  v);
}

static void
tel_end(struct stats_sink *s)
{
	tel_flush(s->ctx);
}

static const struct stats_sink_ops tel_ops = {
	.object = tel_object,
	.value = tel_value,
	.end = tel_end,
};

static int
tel_fill(struct tel_request *r)
{
	struct tel_view t = { .d = r->d };
	struct stats_sink s = { .ops = &tel_ops, .ctx = &t };
	unsigned int i;

	rte_tel_data_start_dict(r->d);
	if (r->src != NULL) {
		stats_collect(&s, r->src);
		return 0;
	}
	for (i = 0; i < stats_source_count(); i++) {
		const struct stats_source *src = stats_source_get(i);

		rte_tel_data_add_dict_string(r->d, src->kind,
					     src->help != NULL ? src->help :
					     src->word);
	}
	return 0;
}

void
stats_poll(void)
{
	if (!__atomic_load_n(&has_pending, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&lock);
	if (pending != NULL) {
		pending->rc = tel_fill(pending);
		pending->done = true;
		pending = NULL;
		__atomic_store_n(&has_pending, 0, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&answered);
	}
	pthread_mutex_unlock(&lock);
}

/* ---- telemetry thread side ---- */

static int
tel_ask(struct tel_request *r)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += TEL_TIMEOUT_MS / 1000;
	pthread_mutex_lock(&one_client);
	pthread_mutex_lock(&lock);
	if (!serving) {
		r->rc = -EAGAIN;
		goto unlock;
	}
	pending = r;
	__atomic_store_n(&has_pending, 1, __ATOMIC_RELEASE);
	while (!r->done && rc == 0)
		rc = pthread_cond_timedwait(&answered, &lock, &until);
	if (!r->done) {
		/* The management lcore is busy or gone: withdraw. */
		pending = NULL;
		__atomic_store_n(&has_pending, 0, __ATOMIC_RELEASE);
		r->rc = -ETIMEDOUT;
	}
unlock:
	pthread_mutex_unlock(&lock);
	pthread_mutex_unlock(&one_client);
	return r->rc;
}

static int
tel_source_cb(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct tel_request r = { .d = d };

	RTE_SET_USED(params);
	r.src = stats_source_find(cmd + strlen(TEL_PREFIX));
	if (r.src == NULL)
		return -EINVAL;
	return tel_ask(&r);
}

static int
tel_list_cb(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct tel_request r = { .d = d };

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	return tel_ask(&r);
}

/* Called for every source, at setup and when one registers later. */
int
stats_telemetry_source_added(const struct stats_source *src)
{
	unsigned int i;

	if (!registered)
		return 0;
	for (i = 0; i < stats_source_count(); i++)
		if (stats_source_get(i) == src)
			break;
	if (i == stats_source_count())
		return -ENOENT;
	snprintf(cmd_names[i], sizeof(cmd_names[i]), TEL_PREFIX "%s",
		 src->kind);
	return rte_telemetry_register_cmd(cmd_names[i], tel_source_cb,
		src->help != NULL ? src->help : "ferry counters");
}

int
stats_telemetry_setup(void)
{
	unsigned int i;
	int rc;

	rc = rte_telemetry_register_cmd(TEL_PREFIX "counters", tel_list_cb,
		"ferry's counter kinds: /ferry/<kind> returns each");
	if (rc < 0)
		return rc;
	registered = true;
	for (i = 0; i < stats_source_count() && rc == 0; i++)
		rc = stats_telemetry_source_added(stats_source_get(i));
	pthread_mutex_lock(&lock);
	serving = rc == 0;
	pthread_mutex_unlock(&lock);
	return rc;
}

void
stats_telemetry_teardown(void)
{
	/* DPDK 22.11 cannot unregister a command: they stay, and answer
	 * -EAGAIN until EAL is gone. */
	pthread_mutex_lock(&lock);
	serving = false;
	pending = NULL;
	__atomic_store_n(&has_pending, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&answered);
	pthread_mutex_unlock(&lock);
}
