/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-object counters written by the workers: a table of rows, one per
 * worker plus one for the management lcore, each row holding every
 * object's values (packets, bytes, drops...). A row is written by one
 * lcore only, with plain adds (no atomics, no locks), and starts on a
 * cache line of its own, so two workers never share a line. The
 * management lcore sums the rows when it reports (stats_ctr_sum()); a
 * sum may miss the adds of the last few packets, never tear a value
 * (aligned 64-bit stores are atomic on the machines DPDK runs on).
 *
 *   static struct stats_ctr lsp_ctr;          (2 values per LSP)
 *   stats_ctr_init(&lsp_ctr, "mpls_lsp", LFIB_MAX, 2);     (setup)
 *   uint64_t *c = stats_ctr_get(&lsp_ctr, slot);           (worker)
 *   c[0]++; c[1] += m->pkt_len;
 *   stats_ctr_sum(&lsp_ctr, slot, 1)                        (management)
 *
 * A slot reused for a new object is zeroed by stats_ctr_zero() from the
 * management lcore; an add racing with it may be lost or kept, which a
 * new object's counters can afford.
 */
#ifndef FERRY_STATS_CTR_H
#define FERRY_STATS_CTR_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

struct stats_ctr {
	uint64_t *v;        /**< rows: [row][obj * n_val + val] */
	uint32_t n_obj;
	uint32_t n_val;
	uint32_t stride;    /**< uint64_t per row (whole cache lines) */
	uint32_t n_rows;    /**< workers + 1 (the management lcore) */
};

/** Row of each lcore: a worker's index, or the management row. Filled
 *  by stats_setup() from the workers. */
extern uint16_t stats_ctr_row_of_lcore[RTE_MAX_LCORE];

/**
 * Allocate @p n_obj objects of @p n_val values, zeroed, for the workers
 * that exist now (call after graph_workers_init()).
 * @return 0, -EINVAL or -ENOMEM.
 */
int stats_ctr_init(struct stats_ctr *c, const char *name, uint32_t n_obj,
		   uint32_t n_val);

/** Free the table; @p c may be unset (all zero). */
void stats_ctr_free(struct stats_ctr *c);

/** The values of object @p obj in the calling lcore's row. */
static inline uint64_t *
stats_ctr_get(const struct stats_ctr *c, uint32_t obj)
{
	unsigned int lc = rte_lcore_id();
	uint32_t row = lc < RTE_MAX_LCORE ? stats_ctr_row_of_lcore[lc] :
		       c->n_rows - 1;

	return &c->v[(size_t)row * c->stride + (size_t)obj * c->n_val];
}

/** Value @p val of object @p obj summed over the rows (management). */
uint64_t stats_ctr_sum(const struct stats_ctr *c, uint32_t obj,
		       uint32_t val);

/** Zero object @p obj in every row (a new object in a reused slot). */
void stats_ctr_zero(struct stats_ctr *c, uint32_t obj);

/** Fill stats_ctr_row_of_lcore from the workers (stats_setup()). */
void stats_ctr_rows_setup(void);

#endif /* FERRY_STATS_CTR_H */
