/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN counters (per worker, stats_ctr.h) and their sources:
 *   "vxlan_tunnels" ("REMOTE/VNI"): frames encapsulated into the tunnel
 *       and their bytes on the wire, frames that could not be (no next
 *       hop, MTU, interface down);
 *   "bridge_domains" (the id): frames that entered the bridge domain
 *       from a member or the overlay and their bytes, hairpin drops.
 * Frames received from a tunnel are counted in its bridge domain (the
 * decap node knows the VNI, not which tunnel).
 */
#include <errno.h>
#include <stdio.h>

#include "stats.h"
#include "vxlan_priv.h"

struct stats_ctr vxlan_tun_ctr;
struct stats_ctr vxlan_bd_ctr;

static void
report(struct stats_sink *s, const struct stats_ctr *c, uint32_t idx)
{
	stats_counter(s, "packets", stats_ctr_sum(c, idx, VXLAN_CTR_PKTS));
	stats_counter(s, "bytes", stats_ctr_sum(c, idx, VXLAN_CTR_BYTES));
	stats_counter(s, "drops", stats_ctr_sum(c, idx, VXLAN_CTR_DROPS));
}

static void
tunnel_collect(struct stats_sink *s, void *arg)
{
	char name[64], a[VXLAN_IP_LEN];
	uint32_t i;

	RTE_SET_USED(arg);
	for (i = 1; i < VXLAN_TUN_MAX; i++) {
		const struct vxlan_tunnel *t = vxlan_dp.tun[i];

		if (t == NULL)
			continue;
		snprintf(name, sizeof(name), "%s/%u",
			 vxlan_tunnel_remote_format(t, a, sizeof(a)), t->vni);
		stats_object(s, name);
		report(s, &vxlan_tun_ctr, i);
	}
}

static void
bd_collect(struct stats_sink *s, void *arg)
{
	char name[8];
	uint32_t i;

	RTE_SET_USED(arg);
	for (i = 1; i < VXLAN_BD_MAX; i++) {
		if (vxlan_dp.bd[i] == NULL)
			continue;
		snprintf(name, sizeof(name), "%u", i);
		stats_object(s, name);
		report(s, &vxlan_bd_ctr, i);
	}
}

static const struct stats_source vxlan_sources[] = {
	{ .kind = "vxlan_tunnels", .word = "vxlan_tunnel",
	  .collect = tunnel_collect,
	  .help = "VXLAN tunnel (remote VTEP/VNI): frames and wire bytes "
		  "encapsulated into it, frames that could not be" },
	{ .kind = "bridge_domains", .word = "bridge_domain",
	  .collect = bd_collect,
	  .help = "Bridge domain: frames and bytes that entered it (members "
		  "and overlay), hairpin drops" },
};

int
vxlan_stats_setup(void)
{
	unsigned int i;
	int rc = 0;

	if (vxlan_tun_ctr.v == NULL)
		rc = stats_ctr_init(&vxlan_tun_ctr, "vxlan_tun_ctr",
				    VXLAN_TUN_MAX, VXLAN_CTR_MAX);
	if (rc == 0 && vxlan_bd_ctr.v == NULL)
		rc = stats_ctr_init(&vxlan_bd_ctr, "vxlan_bd_ctr",
				    VXLAN_BD_MAX, VXLAN_CTR_MAX);
	for (i = 0; i < RTE_DIM(vxlan_sources) && rc == 0; i++) {
		rc = stats_source_register(&vxlan_sources[i]);
		rc = rc == -EEXIST ? 0 : rc;
	}
	return rc;
}

void
vxlan_stats_teardown(void)
{
	stats_ctr_free(&vxlan_tun_ctr);
	stats_ctr_free(&vxlan_bd_ctr);
}
