/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "ipsec_sas" counter source: per SA ("SPI-in", "SPI-out") the inner
 * packets and bytes it carried and the packets dropped on it (all
 * reasons, and replays and bad ICVs on their own), in `show counters`,
 * /ferry/ipsec_sas and ferry_sa_<counter>_total{sa="4097-out"}. An SA's
 * counters are shared by the workers and kept with atomics because its
 * lifetime limits count every packet of it (ipsec_node.h); they are
 * only read here.
 */
#include <stdio.h>

#include "ipsec_priv.h"
#include "stats.h"

static uint64_t
ld(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static void
sa_collect(struct stats_sink *s, void *arg)
{
	char name[24];
	unsigned int i;

	RTE_SET_USED(arg);
	for (i = 0; i < sad_high(); i++) {
		const struct ipsec_sa *sa = ipsec_dp.sa[i];

		if (sa == NULL)
			continue;
		snprintf(name, sizeof(name), "%u-%s", sa->conf.spi,
			 sa->outbound ? "out" : "in");
		stats_object(s, name);
		stats_counter(s, "packets", ld(&sa->packets));
		stats_counter(s, "bytes", ld(&sa->bytes));
		stats_counter(s, "drops", ld(&sa->errors));
		stats_counter(s, "replay-drops", ld(&sa->replays));
		stats_counter(s, "bad-icv-drops", ld(&sa->bad_icv));
	}
}

static const struct stats_source sa_source = {
	.kind = "ipsec_sas", .word = "sa", .collect = sa_collect,
	.help = "IPsec SA (SPI-direction): inner packets and bytes carried, "
		"packets dropped on it",
};

int
ipsec_stats_setup(void)
{
	int rc = stats_source_register(&sa_source);

	return rc == -EEXIST ? 0 : rc;
}
