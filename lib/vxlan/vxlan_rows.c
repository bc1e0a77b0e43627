/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vxlan section's lists as rows of a change (lib/config's cfg_txn):
 * start-up and `config reload` install bridge domains, their static
 * MACs, L3 VNIs and tunnel routes through these ops, with the install
 * functions of vxlan.c. What is fixed at start: the VTEP parameters
 * (local address, UDP port, TTL/DSCP, underlay VRF) and a bridge
 * domain's VNI and member interfaces; a bridge domain's flood list,
 * MAC limit and aging change live.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vxlan_priv.h"

static int
group_check(const struct cfg_change *c, char *err, size_t len)
{
	if (c->start || c->op != CFG_MODIFY)
		return 0;
	snprintf(err, len, "the VTEP's local address, UDP port, TTL, DSCP "
		 "and underlay VRF are set at start (needs a restart)");
	return -EINVAL;
}

const struct cfg_list_ops vxlan_group_ops = {
	.check = group_check,
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
};

/* Workers see the new tables once the change returns. */
static int
sync_commit(const struct cfg_model *model, const struct cfg_model *was,
	    char *err, size_t len)
{
	RTE_SET_USED(model);
	RTE_SET_USED(was);
	RTE_SET_USED(err);
	RTE_SET_USED(len);
	vxlan_sync();
	return 0;
}

/* ------------------------------------------------------------------ */
/* bridge_domains                                                      */

static int
bd_check(const struct cfg_change *c, char *err, size_t len)
{
	static const char *const live[] = { "flood", "static_macs",
					    "mac_limit", "aging", NULL };

	if (c->op != CFG_MODIFY || c->start ||
	    cfg_group_equal(c->schema, c->old, c->new, live))
		return 0;
	snprintf(err, len, "a bridge domain's vni and interfaces are set when "
		 "it is made (delete it and add it again)");
	return -EINVAL;
}

static int
bd_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(vxlan_bd_install_bare(c->new), err, len,
			     "install the bridge domain");
}

static int
bd_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	RTE_SET_USED(err);
	RTE_SET_USED(len);
	vxlan_bd_uninstall(((const struct vxlan_bd_conf *)c->old)->id);
	return 0;
}

/* Flood list, MAC limit, aging: a new flood list swapped in. */
static int
bd_modify(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(vxlan_bd_rebuild(c->new), err, len,
			     "rebuild the bridge domain");
}

const struct cfg_list_ops vxlan_bd_ops = {
	.check = bd_check,
	.install = bd_install,
	.uninstall = bd_uninstall,
	.modify = bd_modify,
	.commit = sync_commit,
};

/* ------------------------------------------------------------------ */
/* bridge_domains.[].static_macs                                       */

static uint32_t
bd_id(const struct cfg_change *c)
{
	return ((const struct vxlan_bd_conf *)c->parent)->id;
}

static int
mac_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(vxlan_static_mac_install(bd_id(c), c->new), err,
			     len, "install the static MAC");
}

static int
mac_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct vxlan_mac_conf *mc = c->old;

	RTE_SET_USED(err);
	RTE_SET_USED(len);
	vxlan_mac_del((uint16_t)bd_id(c), mc->mac);
	return 0;
}

/* No modify: a new location is the old one out, the new one in. */
const struct cfg_list_ops vxlan_mac_ops = {
	.install = mac_install,
	.uninstall = mac_uninstall,
	.commit = sync_commit,
};

/* ------------------------------------------------------------------ */
/* l3_vnis and tunnel_routes                                           */

const struct cfg_list_ops vxlan_l3vni_ops = {
	.put = vxlan_l3vni_install,
	.drop = vxlan_l3vni_uninstall,
	.what = "L3 VNI",
	.commit = sync_commit,
};

const struct cfg_list_ops vxlan_route_ops = {
	.put = vxlan_route_install,
	.drop = vxlan_route_uninstall,
	.what = "tunnel route",
	.commit = sync_commit,
};

const struct cfg_list_ops vxlan_route6_ops = {
	.put = vxlan_route6_install,
	.drop = vxlan_route6_uninstall,
	.what = "IPv6 tunnel route",
	.commit = sync_commit,
};
