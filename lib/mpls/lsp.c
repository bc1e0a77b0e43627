/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transport LSPs, one per remote PE: the interface, next hop and label
 * stack that reach it (empty for a directly connected PE, whose
 * upstream asked for implicit null). VPN impositions refer to an LSP by
 * a stable id, so an LSP can be replaced or removed without touching
 * the VPN routes through it: workers read id -> NHLFE index from the
 * LSP map (0 = no LSP: mpls_no_lsp). An id lives while the LSP is
 * configured or VPN routes use it, and is reused after a grace period.
 */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "mpls_priv.h"
#include "stats.h"

/* Control side of an LSP id. */
struct lsp_ctl {
	uint32_t pe;       /* 0 = unused id */
	uint32_t users;    /* VPN impositions through it */
	bool configured;   /* an LSP is set (its NHLFE is published) */
	bool frr;          /* a labelled route's from zebra: no PE, lives
			    * while its impositions do */
};

static struct lsp_ctl *lsp_ctl;
static struct mpls_pool lsp_pool;
struct stats_ctr mpls_lsp_ctr;

static void
lsp_release(uint32_t id)
{
	stats_ctr_zero(&mpls_lsp_ctr, id); /* the next LSP starts at 0 */
	memset(&lsp_ctl[id], 0, sizeof(lsp_ctl[id]));
}

/* Objects: the remote PE of each LSP in use. */
static void
lsp_collect(struct stats_sink *s, void *arg)
{
	char pe[16];
	uint32_t id;

	RTE_SET_USED(arg);
	for (id = 1; lsp_ctl != NULL && id < MPLS_LSP_MAX; id++) {
		if (lsp_ctl[id].pe == 0)
			continue;
		stats_object(s, cfg_format_ipv4(lsp_ctl[id].pe, pe,
						sizeof(pe)));
		stats_counter(s, "packets", stats_ctr_sum(&mpls_lsp_ctr, id,
							  MPLS_LSP_CTR_PKTS));
		stats_counter(s, "bytes", stats_ctr_sum(&mpls_lsp_ctr, id,
							MPLS_LSP_CTR_BYTES));
		stats_counter(s, "drops", stats_ctr_sum(&mpls_lsp_ctr, id,
							MPLS_LSP_CTR_DROPS));
	}
}

static const struct stats_source lsp_source = {
	.kind = "mpls_lsps", .word = "lsp", .collect = lsp_collect,
	.help = "Transport LSP to a remote PE: packets and bytes pushed into "
		"it, packets that could not be (no LSP, MTU)",
};

int
mpls_lsp_tables_create(void)
{
	int rc;

	mpls_dp.lsp = rte_zmalloc("mpls_lsp_map",
				  sizeof(*mpls_dp.lsp) * MPLS_LSP_MAX,
				  RTE_CACHE_LINE_SIZE);
	lsp_ctl = rte_zmalloc("mpls_lsp_ctl", sizeof(*lsp_ctl) * MPLS_LSP_MAX,
			      0);
	if (mpls_dp.lsp == NULL || lsp_ctl == NULL ||
	    stats_ctr_init(&mpls_lsp_ctr, "mpls_lsp_ctr", MPLS_LSP_MAX,
			   MPLS_LSP_CTR_MAX) < 0)
		return -ENOMEM;
	rc = stats_source_register(&lsp_source);
	if (rc < 0 && rc != -EEXIST)
		return rc;
	return mpls_pool_init(&lsp_pool, "mpls_lsp", MPLS_LSP_MAX,
			      lsp_release);
}

void
mpls_lsp_tables_free(void)
{
	uint32_t id;

	for (id = 1; lsp_ctl != NULL && mpls_dp.lsp != NULL &&
		    id < MPLS_LSP_MAX; id++)
		if (mpls_dp.lsp[id] != 0)
			mpls_nhlfe_clear(&mpls_dp.lsp[id]);
	mpls_pool_fini(&lsp_pool);
	rte_free(mpls_dp.lsp);
	rte_free(lsp_ctl);
	stats_ctr_free(&mpls_lsp_ctr);
	mpls_dp.lsp = NULL;
	lsp_ctl = NULL;
}

static uint32_t
lsp_find(uint32_t pe)
{
	uint32_t id;

	for (id = 1; pe != 0 && id < MPLS_LSP_MAX; id++)
		if (lsp_ctl[id].pe == pe)
			return id;
	return 0;
}

/* Drop an id nobody needs any more. */
static void
lsp_maybe_free(uint32_t id)
{
	struct lsp_ctl *c = &lsp_ctl[id];

	if (c->users == 0 && c->frr) {
		mpls_nhlfe_clear(&mpls_dp.lsp[id]);
		c->frr = false;
		c->configured = false;
	}
	if (c->users == 0 && !c->configured) {
		/* Not found by lsp_find() from now on; reused later. */
		c->pe = 0;
		mpls_pool_put(&lsp_pool, id);
	}
}

/** The id of the LSP to @p pe, made if new, with one more user.
 *  @return the id, or 0 when no id is left. */
uint32_t
mpls_lsp_ref(uint32_t pe)
{
	uint32_t id = lsp_find(pe);

	if (id == 0) {
		id = mpls_pool_get(&lsp_pool);
		if (id == 0)
			return 0;
		lsp_ctl[id].pe = pe;
	}
	lsp_ctl[id].users++;
	return id;
}

/** One user less for LSP id @p id. */
void
mpls_lsp_unref(uint32_t id)
{
	if (id == 0 || id >= MPLS_LSP_MAX || lsp_ctl[id].users == 0)
		return;
	lsp_ctl[id].users--;
	lsp_maybe_free(id);
}

static bool
nhlfe_same(const struct mpls_nhlfe *a, const struct mpls_nhlfe *b)
{
	return a->op == b->op && a->iface == b->iface && a->via == b->via &&
	       a->n_out == b->n_out &&
	       memcmp(a->out, b->out, sizeof(a->out[0]) * a->n_out) == 0;
}

uint32_t
mpls_lsp_frr_ref(const struct mpls_nhlfe *spec)
{
	uint32_t id;

	for (id = 1; id < MPLS_LSP_MAX; id++)
		if (lsp_ctl[id].frr &&
		    nhlfe_same(&mpls_dp.nhlfe[mpls_dp.lsp[id]], spec)) {
			lsp_ctl[id].users++;
			return id;
		}
	id = mpls_pool_get(&lsp_pool);
	if (id == 0)
		return 0;
	if (mpls_nhlfe_set(&mpls_dp.lsp[id], spec) < 0) {
		mpls_pool_put(&lsp_pool, id);
		return 0;
	}
	lsp_ctl[id] = (struct lsp_ctl){ .users = 1, .configured = true,
					.frr = true };
	return id;
}

int
mpls_lsp_set(uint32_t pe, const struct mpls_nhlfe *spec)
{
	uint32_t id = lsp_find(pe);
	bool made = false;
	int rc;

	if (pe == 0 || spec->op != MPLS_OP_PUSH)
		return -EINVAL;
	if (id == 0) {
		id = mpls_pool_get(&lsp_pool);
		if (id == 0)
			return -ENOSPC;
		lsp_ctl[id].pe = pe;
		made = true;
	}
	rc = mpls_nhlfe_set(&mpls_dp.lsp[id], spec);
	if (rc < 0) {
		if (made)
			lsp_maybe_free(id);
		return rc;
	}
	lsp_ctl[id].configured = true;
	return 0;
}

int
mpls_lsp_unset(uint32_t pe)
{
	uint32_t id = lsp_find(pe);

	if (id == 0 || !lsp_ctl[id].configured)
		return -ENOENT;
	mpls_nhlfe_clear(&mpls_dp.lsp[id]);
	lsp_ctl[id].configured = false;
	lsp_maybe_free(id);
	return 0;
}

const struct mpls_nhlfe *
mpls_lsp_get(uint32_t pe)
{
	uint32_t id = lsp_find(pe);

	if (id == 0 || mpls_dp.lsp[id] == 0)
		return NULL;
	return &mpls_dp.nhlfe[mpls_dp.lsp[id]];
}

uint32_t
mpls_lsp_pe(uint32_t id)
{
	return id < MPLS_LSP_MAX ? lsp_ctl[id].pe : 0;
}
