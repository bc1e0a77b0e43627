/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The LFIB and the NHLFEs it points to (RFC 3031 3.10-3.11).
 *
 * The LFIB is a direct table, one 32-bit word per label value: 2^20
 * labels cost 4 MiB, and a lookup is one read, where a hash would cost
 * tens of cycles on every labeled packet. A word holds the index of an
 * NHLFE (0 = no entry). NHLFEs are never edited while published: a
 * change builds a new one, publishes its index with one atomic store
 * and gives the old index back to the pool, which reuses it (and unpins
 * its neighbour) only after an RCU grace period.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "mpls_priv.h"

FERRY_LOG_REGISTER(mpls_logtype, mpls, NOTICE);

struct mpls_dp mpls_dp;
static struct mpls_pool nhlfe_pool;

/* An NHLFE's index went through its grace period: no worker reads it. */
static void
nhlfe_release(uint32_t idx)
{
	memset(&mpls_dp.nhlfe[idx], 0, sizeof(mpls_dp.nhlfe[idx]));
}

int
mpls_tables_create(void)
{
	mpls_dp.lfib = rte_zmalloc("mpls_lfib",
				   sizeof(*mpls_dp.lfib) * MPLS_LFIB_SIZE,
				   RTE_CACHE_LINE_SIZE);
	mpls_dp.nhlfe = rte_zmalloc("mpls_nhlfe",
				    sizeof(*mpls_dp.nhlfe) * MPLS_NHLFE_MAX,
				    RTE_CACHE_LINE_SIZE);
	if (mpls_dp.lfib == NULL || mpls_dp.nhlfe == NULL)
		return -ENOMEM;
	return mpls_pool_init(&nhlfe_pool, "mpls_nhlfe", MPLS_NHLFE_MAX,
			      nhlfe_release);
}

void
mpls_tables_free(void)
{
	uint32_t label;

	for (label = 0; mpls_dp.lfib != NULL && label < MPLS_LFIB_SIZE;
	     label++)
		if (mpls_dp.lfib[label] != 0)
			mpls_lfib_unset(label);
	mpls_pool_fini(&nhlfe_pool);
	rte_free(mpls_dp.lfib);
	rte_free(mpls_dp.nhlfe);
	mpls_dp.lfib = NULL;
	mpls_dp.nhlfe = NULL;
}

/**
 * Fill a new NHLFE from @p spec, pinning its next hop.
 * @return its index, or 0 (no room, or the next hop cannot be pinned).
 */
static uint32_t
nhlfe_new(const struct mpls_nhlfe *spec)
{
	uint32_t idx = mpls_pool_get(&nhlfe_pool);
	struct mpls_nhlfe *nh;

	if (idx == 0)
		return 0;
	nh = &mpls_dp.nhlfe[idx];
	*nh = *spec;
	nh->nbr = ROUTE_NBR_NONE;
	if (spec->op == MPLS_OP_SWAP || spec->op == MPLS_OP_POP_FWD ||
	    spec->op == MPLS_OP_PUSH) {
		nh->nbr = route_nbr_pin(spec->iface, spec->via);
		if (nh->nbr == ROUTE_NBR_NONE) {
			mpls_pool_put(&nhlfe_pool, idx);
			return 0;
		}
	}
	return idx;
}

/*
 * Publish NHLFE @p idx in word @p w; the old one is reused after a grace
 * period. Its neighbour is unpinned at once: a neighbour slot is itself
 * reused only after a grace period (lib/route's hash defer queue), so a
 * worker still holding the old NHLFE reads a valid slot either way.
 */
static void
nhlfe_publish(uint32_t *w, uint32_t idx)
{
	uint32_t old = *w;

	__atomic_store_n(w, idx, __ATOMIC_RELEASE);
	if (old != 0 && mpls_dp.nhlfe[old].nbr != ROUTE_NBR_NONE)
		route_nbr_unpin(mpls_dp.nhlfe[old].nbr);
	mpls_pool_put(&nhlfe_pool, old);
}

/** Publish a new NHLFE from @p spec in word @p w. */
int
mpls_nhlfe_set(uint32_t *w, const struct mpls_nhlfe *spec)
{
	uint32_t idx;

	if (spec->n_out > MPLS_OUT_MAX)
		return -EINVAL;
	idx = nhlfe_new(spec);
	if (idx == 0)
		return -ENOSPC;
	nhlfe_publish(w, idx);
	return 0;
}

/** Unpublish word @p w. */
void
mpls_nhlfe_clear(uint32_t *w)
{
	nhlfe_publish(w, 0);
}

int
mpls_lfib_set(uint32_t label, const struct mpls_nhlfe *spec)
{
	if (label < MPLS_LABEL_FIRST_UNRESERVED || label > MPLS_LABEL_MAX ||
	    spec->op == MPLS_OP_NONE || spec->op == MPLS_OP_PUSH ||
	    (spec->op == MPLS_OP_SWAP && spec->n_out == 0))
		return -EINVAL;
	return mpls_nhlfe_set(&mpls_dp.lfib[label], spec);
}

int
mpls_lfib_unset(uint32_t label)
{
	if (label > MPLS_LABEL_MAX || mpls_dp.lfib[label] == 0)
		return -ENOENT;
	mpls_nhlfe_clear(&mpls_dp.lfib[label]);
	return 0;
}

const struct mpls_nhlfe *
mpls_lfib_get(uint32_t label)
{
	if (label > MPLS_LABEL_MAX || mpls_dp.lfib[label] == 0)
		return NULL;
	return &mpls_dp.nhlfe[mpls_dp.lfib[label]];
}
