/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-worker object counters (stats_ctr.h). */
#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

#include "graph.h"
#include "stats_ctr.h"

uint16_t stats_ctr_row_of_lcore[RTE_MAX_LCORE];

void
stats_ctr_rows_setup(void)
{
	unsigned int w, lc;

	/* Everyone but a worker writes the management row, the last. */
	for (lc = 0; lc < RTE_MAX_LCORE; lc++)
		stats_ctr_row_of_lcore[lc] = (uint16_t)graph_worker_count();
	for (w = 0; w < graph_worker_count(); w++)
		stats_ctr_row_of_lcore[graph_worker(w)->lcore] = (uint16_t)w;
}

int
stats_ctr_init(struct stats_ctr *c, const char *name, uint32_t n_obj,
	       uint32_t n_val)
{
	const uint32_t per_line = RTE_CACHE_LINE_SIZE / sizeof(uint64_t);

	memset(c, 0, sizeof(*c));
	if (n_obj == 0 || n_val == 0)
		return -EINVAL;
	c->n_obj = n_obj;
	c->n_val = n_val;
	c->stride = RTE_ALIGN_CEIL(n_obj * n_val, per_line);
	c->n_rows = graph_worker_count() + 1;
	c->v = rte_zmalloc(name, (size_t)c->n_rows * c->stride *
			   sizeof(uint64_t), RTE_CACHE_LINE_SIZE);
	return c->v == NULL ? -ENOMEM : 0;
}

void
stats_ctr_free(struct stats_ctr *c)
{
	rte_free(c->v);
	memset(c, 0, sizeof(*c));
}

uint64_t
stats_ctr_sum(const struct stats_ctr *c, uint32_t obj, uint32_t val)
{
	uint64_t sum = 0;
	uint32_t r;

	if (c->v == NULL || obj >= c->n_obj || val >= c->n_val)
		return 0;
	for (r = 0; r < c->n_rows; r++)
		sum += __atomic_load_n(&c->v[(size_t)r * c->stride +
					     (size_t)obj * c->n_val + val],
				       __ATOMIC_RELAXED);
	return sum;
}

void
stats_ctr_zero(struct stats_ctr *c, uint32_t obj)
{
	uint32_t r, v;

	if (c->v == NULL || obj >= c->n_obj)
		return;
	for (r = 0; r < c->n_rows; r++)
		for (v = 0; v < c->n_val; v++)
			__atomic_store_n(&c->v[(size_t)r * c->stride +
					       (size_t)obj * c->n_val + v], 0,
					 __ATOMIC_RELAXED);
}
