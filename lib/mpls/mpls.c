/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPLS setup from the config model, and the install functions that turn
 * one checked row of the model into table entries: the change
 * transaction's row ops (mpls_rows.c) call them at start, on a reload
 * and for the CLI's edits (mpls_edit.c), so every path makes the very
 * same entries.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "mpls_priv.h"

#define PUSH_NODE "ferry_mpls_push"
#define PUSH6_NODE "ferry_mpls_push6"

struct cfg_model *mpls_model;
int mpls_ext_type = -1;
int mpls_ext6_type = -1;

/* Labels of a checked stack text (n = 0 for none or implicit-null). */
static void
stack_of(const char *text, struct mpls_nhlfe *nh)
{
	uint32_t labels[MPLS_STACK_TEXT_MAX];
	unsigned int n = 0, i;

	if (text[0] != '\0' &&
	    mpls_stack_parse(text, labels, MPLS_OUT_MAX, &n, NULL) < 0)
		n = 0;
	nh->n_out = (uint8_t)n;
	for (i = 0; i < n; i++)
		nh->out[i] = labels[i] << MPLS_LABEL_SHIFT;
}

void
mpls_lsp_spec(const struct mpls_lsp_conf *lc, struct mpls_nhlfe *nh)
{
	memset(nh, 0, sizeof(*nh));
	nh->op = MPLS_OP_PUSH;
	nh->iface = (uint16_t)iface_find(lc->interface);
	nh->via = lc->via;
	stack_of(lc->labels, nh);
}

void
mpls_lfib_spec(const struct mpls_lfib_conf *fc, struct mpls_nhlfe *nh)
{
	memset(nh, 0, sizeof(*nh));
	switch (fc->action) {
	case MPLS_LFIB_SWAP:
		stack_of(fc->out_labels, nh);
		/* Swap to implicit null is penultimate hop popping. */
		nh->op = nh->n_out == 0 ? MPLS_OP_POP_FWD : MPLS_OP_SWAP;
		break;
	case MPLS_LFIB_POP:
		nh->op = fc->via != 0 ? MPLS_OP_POP_FWD : MPLS_OP_POP;
		break;
	default:
		nh->op = MPLS_OP_POP_LOOKUP;
		nh->vrf = (uint16_t)vrf_find(fc->vrf);
		return;
	}
	if (fc->via != 0) {
		nh->iface = (uint16_t)iface_find(fc->interface);
		nh->via = fc->via;
	}
}

int
mpls_lfib_install(const struct mpls_lfib_conf *fc)
{
	struct mpls_nhlfe nh;

	mpls_lfib_spec(fc, &nh);
	return mpls_lfib_set(fc->label, &nh);
}

int
mpls_lfib_route_set(uint32_t label, const uint32_t *out, unsigned int n,
		    unsigned int iface, uint32_t via)
{
	struct mpls_nhlfe nh = { .op = n ? MPLS_OP_SWAP : MPLS_OP_POP_FWD };
	unsigned int i;

	if (n > MPLS_OUT_MAX || iface >= iface_count() || via == 0)
		return -EINVAL;
	nh.n_out = (uint8_t)n;
	nh.iface = (uint16_t)iface;
	nh.via = via;
	for (i = 0; i < n; i++)
		nh.out[i] = out[i] << MPLS_LABEL_SHIFT;
	return mpls_lfib_set(label, &nh);
}

int
mpls_lfib_route_pop_lookup(uint32_t label, unsigned int vrf)
{
	struct mpls_nhlfe nh = { .op = MPLS_OP_POP_LOOKUP };

	if (vrf >= vrf_count())
		return -EINVAL;
	nh.vrf = (uint16_t)vrf;
	return mpls_lfib_set(label, &nh);
}

bool
mpls_lfib_has(uint32_t label)
{
	return label <= MPLS_LABEL_MAX && mpls_lfib_get(label) != NULL;
}

int
mpls_lfib_route_unset(uint32_t label)
{
	return mpls_lfib_unset(label);
}

int
mpls_lsp_install(const struct mpls_lsp_conf *lc)
{
	struct mpls_nhlfe nh;

	mpls_lsp_spec(lc, &nh);
	return mpls_lsp_set(lc->pe, &nh);
}

int
mpls_vpn_route_install(const struct mpls_vpn_route_conf *rc)
{
	int vrf = vrf_find(rc->vrf);

	if (vrf < 0)
		return -ENOENT;
	return mpls_vpn_route_set((unsigned int)vrf, rc->prefix.addr,
				  rc->prefix.len, rc->pe, rc->label);
}

int
mpls_vpn_route6_install(const struct mpls_vpn_route6_conf *rc)
{
	int vrf = vrf_find(rc->vrf);

	if (vrf < 0)
		return -ENOENT;
	return mpls_vpn_route6_set((unsigned int)vrf, rc->prefix.addr,
				   rc->prefix.len, rc->pe, rc->label);
}

/* The LFIB entry of a local VPN label: pop, look up in the VRF. */
static int
vrf_label_set(unsigned int vrf, uint32_t label)
{
	struct mpls_nhlfe nh = { .op = MPLS_OP_POP_LOOKUP,
				 .vrf = (uint16_t)vrf };

	return mpls_lfib_set(label, &nh);
}

void
mpls_vrf_uninstall(const void *row)
{
	const struct mpls_vrf_conf *vc = row;
	const struct mpls_prefix_label_conf *pl = vc->prefix_labels.items;
	int vrf = vrf_find(vc->vrf);
	unsigned int i;

	if (vc->label_mode == MPLS_LABEL_PER_VRF)
		mpls_lfib_unset(vc->label);
	for (i = 0; i < vc->prefix_labels.n; i++)
		mpls_lfib_unset(pl[i].label);
	if (vrf >= 0)
		mpls_vrf_dp_set((unsigned int)vrf, NULL);
}

int
mpls_vrf_install(const void *row)
{
	const struct mpls_vrf_conf *vc = row;
	const struct mpls_prefix_label_conf *pl = vc->prefix_labels.items;
	int vrf = vrf_find(vc->vrf), rc = 0;
	unsigned int i;

	if (vrf < 0)
		return -ENOENT;
	mpls_vrf_dp_set((unsigned int)vrf, vc);
	if (vc->label_mode == MPLS_LABEL_PER_VRF)
		rc = vrf_label_set((unsigned int)vrf, vc->label);
	for (i = 0; rc == 0 && i < vc->prefix_labels.n; i++)
		rc = vrf_label_set((unsigned int)vrf, pl[i].label);
	if (rc < 0)
		mpls_vrf_uninstall(vc);
	return rc;
}

/* TC map, enabled interfaces: single bytes, each in one store. */
void
mpls_params_apply(const struct mpls_conf *mc)
{
	const struct mpls_tc_conf *tc = mc->tc_map.items;
	const char *names = mc->interfaces.items;
	uint8_t tc_of[MPLS_DSCP_MAX + 1], on[IFACE_MAX] = { 0 };
	unsigned int i;
	int x;

	for (i = 0; i <= MPLS_DSCP_MAX; i++)
		tc_of[i] = mpls_tc_default((uint8_t)i);
	for (i = 0; i < mc->tc_map.n; i++)
		tc_of[tc[i].dscp] = tc[i].tc;
	for (i = 0; i < mc->interfaces.n; i++) {
		x = iface_find(names + i * IFACE_NAME_LEN);
		if (x >= 0)
			on[x] = 1;
	}
	__atomic_store_n(&mpls_dp.max_labels, (uint8_t)mc->max_labels,
			 __ATOMIC_RELAXED);
	for (i = 0; i <= MPLS_DSCP_MAX; i++)
		__atomic_store_n(&mpls_dp.tc_of_dscp[i], tc_of[i],
				 __ATOMIC_RELAXED);
	for (i = 0; i < IFACE_MAX; i++)
		__atomic_store_n(&mpls_dp.if_enabled[i], on[i],
				 __ATOMIC_RELAXED);
}

/* The section's bytes and every VRF's defaults; rows come later. */
static void
scalars_apply(const struct mpls_conf *mc)
{
	unsigned int i;

	mpls_params_apply(mc);
	for (i = 0; i < vrf_count(); i++)
		mpls_vrf_dp_set(i, NULL);
}

static void
ext_format(uint32_t value, char *buf, size_t len)
{
	mpls_imp_format(value, buf, len);
}

int
mpls_setup(struct cfg_model *model)
{
	const struct mpls_conf *mc = cfg_model_section(model, "mpls");
	int rc;

	if (mc == NULL)
		return -EINVAL;
	mpls_model = model;
	rc = mpls_tables_create();
	if (rc == 0)
		rc = mpls_lsp_tables_create();
	if (rc == 0)
		rc = mpls_vpn_tables_create();
	if (rc == 0)
		rc = mpls_output_edges_add();
	if (rc == 0) {
		mpls_ext_type = route_ext_register(PUSH_NODE, ext_format);
		rc = mpls_ext_type < 0 ? mpls_ext_type : 0;
	}
	if (rc == 0) {
		mpls_ext6_type = route6_ext_register(PUSH6_NODE, ext_format);
		rc = mpls_ext6_type < 0 ? mpls_ext6_type : 0;
	}
	if (rc == 0) /* FRR's labelled routes drop their imposition */
		route_frr_ext_release_set((unsigned int)mpls_ext_type,
					  mpls_imp_unref);
	/* VRF labels, LSPs, VPN routes, LFIB entries: the start-up change,
	 * through mpls_rows.c's ops */
	if (rc == 0)
		scalars_apply(mc);
	if (rc < 0)
		MPLS_LOG(ERR, "setup failed: %s", rte_strerror(-rc));
	return rc;
}

void
mpls_teardown(void)
{
	const struct mpls_conf *mc = mpls_model == NULL ? NULL :
		cfg_model_section(mpls_model, "mpls");
	const struct mpls_vpn_route6_conf *r6;
	const struct mpls_vpn_route_conf *rc;
	unsigned int i;

	/* Routes first: they hold impositions, which hold LSP ids. */
	for (i = 0; mc != NULL && mpls_dp.imp != NULL &&
		    i < mc->vpn_routes6.n; i++) {
		r6 = (const struct mpls_vpn_route6_conf *)
			     mc->vpn_routes6.items + i;
		mpls_vpn_route6_unset((unsigned int)vrf_find(r6->vrf),
				      r6->prefix.addr, r6->prefix.len, r6->pe,
				      r6->label);
	}
	for (i = 0; mc != NULL && mpls_dp.imp != NULL &&
		    i < mc->vpn_routes.n; i++) {
		rc = (const struct mpls_vpn_route_conf *)mc->vpn_routes.items +
		     i;
		mpls_vpn_route_unset((unsigned int)vrf_find(rc->vrf),
				     rc->prefix.addr, rc->prefix.len, rc->pe,
				     rc->label);
	}
	mpls_vpn_tables_free();
	mpls_lsp_tables_free();
	mpls_tables_free();
	mpls_model = NULL;
}

const struct ferry_module mpls_module = {
	.name = "MPLS",
	.sections = (const struct cfg_section *const[]){ &mpls_cfg_section,
							 NULL },
	.setup = mpls_setup,
	.cli_register = mpls_cli_register, /* uses route's <vrf-name> */
	.teardown = mpls_teardown,
};
