/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mpls section's lists as rows of a change (lib/config's cfg_txn):
 * start-up and `config reload` install the MPLS side of VRFs (their
 * local labels), LSPs, VPN routes (IPv4, then IPv6) and static LFIB
 * entries through these
 * ops, with the install functions of mpls.c, in that order (a VPN route
 * needs its LSP); deletes run the other way round. The section's own
 * values (max_labels, enabled interfaces, tc_map) are single bytes the
 * workers read, set in place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mpls_priv.h"

static int
group_modify(const struct cfg_change *c, char *err, size_t len)
{
	RTE_SET_USED(err);
	RTE_SET_USED(len);
	mpls_params_apply(c->new);
	return 0;
}

const struct cfg_list_ops mpls_group_ops = {
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = group_modify,
};

/* No modify: a VRF's labels change as out, then in. */
const struct cfg_list_ops mpls_vrf_ops = {
	.put = mpls_vrf_install,
	.drop = mpls_vrf_uninstall,
	.what = "VRF's labels",
};

/* mpls_lsp_set() over an LSP replaces its NHLFE in one store. */
static int
lsp_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(mpls_lsp_install(c->new), err, len,
			     "install the LSP");
}

static int
lsp_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct mpls_lsp_conf *lc = c->old;

	return cfg_op_result(mpls_lsp_unset(lc->pe), err, len,
			     "delete the LSP");
}

const struct cfg_list_ops mpls_lsp_ops = {
	.install = lsp_install,
	.uninstall = lsp_uninstall,
	.modify = lsp_install,
};

static int
vpn_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(mpls_vpn_route_install(c->new), err, len,
			     "install the VPN route");
}

static int
vpn_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct mpls_vpn_route_conf *rc = c->old;
	int vrf = vrf_find(rc->vrf), r = -ENOENT;

	if (vrf >= 0)
		r = mpls_vpn_route_unset((unsigned int)vrf, rc->prefix.addr,
					 rc->prefix.len, rc->pe, rc->label);
	return cfg_op_result(r, err, len, "delete the VPN route");
}

const struct cfg_list_ops mpls_vpn_route_ops = {
	.install = vpn_install,
	.uninstall = vpn_uninstall,
};

static int
vpn6_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(mpls_vpn_route6_install(c->new), err, len,
			     "install the IPv6 VPN route");
}

static int
vpn6_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct mpls_vpn_route6_conf *rc = c->old;
	int vrf = vrf_find(rc->vrf), r = -ENOENT;

	if (vrf >= 0)
		r = mpls_vpn_route6_unset((unsigned int)vrf, rc->prefix.addr,
					  rc->prefix.len, rc->pe, rc->label);
	return cfg_op_result(r, err, len, "delete the IPv6 VPN route");
}

const struct cfg_list_ops mpls_vpn_route6_ops = {
	.install = vpn6_install,
	.uninstall = vpn6_uninstall,
};

/* mpls_lfib_set() over an entry replaces it in one store. */
static int
lfib_install(const struct cfg_change *c, char *err, size_t len)
{
	return cfg_op_result(mpls_lfib_install(c->new), err, len,
			     "install the LFIB entry");
}

static int
lfib_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct mpls_lfib_conf *fc = c->old;

	return cfg_op_result(mpls_lfib_unset(fc->label), err, len,
			     "delete the LFIB entry");
}

const struct cfg_list_ops mpls_lfib_ops = {
	.install = lfib_install,
	.uninstall = lfib_uninstall,
	.modify = lfib_install,
};
