/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interface counters: the per-worker table eth_input and the output
 * nodes write, and the "interfaces" counter source that shows them in
 * `show counters`, telemetry /ferry/interfaces and Prometheus
 * ferry_interface_<counter>_total{interface="NAME"}.
 */
#include <errno.h>

#include "iface_priv.h"
#include "stats.h"

struct stats_ctr iface_ctr;

static const char *const ctr_names[] = {
#define _IFACE_CTR_NAME(e, name) [IFACE_CTR_##e] = name,
	FOREACH_IFACE_CTR(_IFACE_CTR_NAME)
#undef _IFACE_CTR_NAME
};

uint64_t
iface_counter(unsigned int idx, enum iface_ctr c)
{
	return stats_ctr_sum(&iface_ctr, idx, c);
}

static void
iface_collect(struct stats_sink *s, void *arg)
{
	unsigned int i, c;

	RTE_SET_USED(arg);
	for (i = 0; i < iface_count(); i++) {
		stats_object(s, iface_table[i].name);
		for (c = 0; c < IFACE_CTR_MAX; c++)
			stats_counter(s, ctr_names[c], iface_counter(i, c));
	}
}

static const struct stats_source iface_source = {
	.kind = "interfaces", .word = "interface", .collect = iface_collect,
	.help = "Interface (port or VLAN subinterface) packets and bytes "
		"received and sent, and drops on it",
};

int
iface_stats_setup(void)
{
	int rc = 0;

	if (iface_ctr.v == NULL)
		rc = stats_ctr_init(&iface_ctr, "ferry_iface_ctr", IFACE_MAX,
				    IFACE_CTR_MAX);
	if (rc == 0)
		rc = stats_source_register(&iface_source);
	return rc == -EEXIST ? 0 : rc;
}
