/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a scheduler tree must satisfy before it is built: the HTB rules
 * operators expect (rate <= ceil <= parent's ceil, children's rates fit
 * in the parent's rate), written as exact reasons. The config loader and
 * the CLI both call this, so a file and a live edit fail alike.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "sched.h"
#include "sched_priv.h"

int
qos_params_parent(const struct qos_sched_params *p, uint32_t i)
{
	uint32_t j;

	if (p->classes[i].parent == 0)
		return -1;
	for (j = 0; j < i; j++)
		if (p->classes[j].id == p->classes[i].parent)
			return (int)j;
	return -2;
}

static int
fail(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

static int
port_check(const struct qos_sched_params *p, char *why, size_t len)
{
	if (p->rate < QOS_RATE_MIN || p->rate > QOS_RATE_MAX)
		return fail(why, len, "port rate must be 8000..400000000000 "
			    "bit/s");
	if (p->n_classes == 0 || p->n_classes > QOS_CLASSES_MAX)
		return fail(why, len, "a port needs 1..4096 classes");
	if (p->mtu < 64 || p->mtu > 65535)
		return fail(why, len, "mtu must be 64..65535");
	if (p->overhead > 64)
		return fail(why, len, "overhead must be 0..64 bytes");
	if (p->burst_us == 0 || p->burst_us > 1000000)
		return fail(why, len, "burst must be 1..1000000 us");
	return 0;
}

/* Checks of class i against the classes before it. */
static int
class_check(const struct qos_sched_params *p, uint32_t i, uint8_t *depth,
	    char *why, size_t len)
{
	const struct qos_class_params *c = &p->classes[i];
	int par = qos_params_parent(p, i);
	uint64_t pceil = par < 0 ? p->rate : p->classes[par].ceil;
	uint32_t j;

	if (c->id == 0 || c->id > QOS_CLASS_ID_MAX)
		return fail(why, len, "id must be 1..65535");
	for (j = 0; j < i; j++)
		if (p->classes[j].id == c->id)
			return fail(why, len, "id already used by another "
				    "class of this port");
	if (par == -2)
		return fail(why, len, "parent is not a class listed before "
			    "this one");
	depth[i] = (uint8_t)(par < 0 ? 1 : depth[par] + 1);
	if (depth[i] >= QOS_DEPTH_MAX)
		return fail(why, len, "classes nest at most 7 deep");
	if (c->rate < QOS_RATE_MIN)
		return fail(why, len, "rate must be at least 8000 bit/s");
	if (c->ceil < c->rate)
		return fail(why, len, "ceil is below the class's rate");
	if (c->ceil > pceil) {
		snprintf(why, len, "ceil is above the parent's ceil (%" PRIu64
			 " bit/s)", pceil);
		return -EINVAL;
	}
	if (c->prio > QOS_PRIO_MAX)
		return fail(why, len, "priority must be 0..7");
	if (c->queue_limit == 0 || c->queue_limit > QOS_QUEUE_LIMIT_MAX)
		return fail(why, len, "queue_limit must be 1..65536 packets");
	return 0;
}

/* Sum of children's rates against each parent's rate (HTB's guarantee
 * holds only if they fit; Linux warns, ferry refuses). */
static int
sums_check(const struct qos_sched_params *p, int *bad, char *why,
	   size_t len)
{
	uint32_t i, j;

	for (i = 0; i <= p->n_classes; i++) {
		uint32_t id = i == 0 ? 0 : p->classes[i - 1].id;
		uint64_t cap = i == 0 ? p->rate : p->classes[i - 1].rate;
		uint64_t sum = 0;

		for (j = 0; j < p->n_classes; j++)
			if (p->classes[j].parent == id)
				sum += p->classes[j].rate;
		if (sum > cap) {
			*bad = (int)i - 1;
			snprintf(why, len, "children's rates add up to %" PRIu64
				 " bit/s, above this %s's rate %" PRIu64,
				 sum, i == 0 ? "port" : "class", cap);
			return -EINVAL;
		}
	}
	return 0;
}

static int
default_check(const struct qos_sched_params *p, char *why, size_t len)
{
	uint32_t i, j;

	for (i = 0; i < p->n_classes; i++) {
		if (p->classes[i].id != p->default_class)
			continue;
		for (j = 0; j < p->n_classes; j++)
			if (p->classes[j].parent == p->default_class)
				return fail(why, len, "default_class has "
					    "children: it must be a leaf");
		return 0;
	}
	return fail(why, len, "default_class is not a class of this port");
}

int
qos_sched_params_check(const struct qos_sched_params *p, int *bad_class,
		       char *why, size_t why_len)
{
	uint8_t depth[QOS_CLASSES_MAX];
	uint32_t i;
	int rc;

	*bad_class = -1;
	rc = port_check(p, why, why_len);
	if (rc < 0)
		return rc;
	for (i = 0; i < p->n_classes; i++) {
		rc = class_check(p, i, depth, why, why_len);
		if (rc < 0) {
			*bad_class = (int)i;
			return rc;
		}
	}
	rc = sums_check(p, bad_class, why, why_len);
	return rc < 0 ? rc : default_check(p, why, why_len);
}
