/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "mpls" config section: its schema table and the check that ties
 * it to the interfaces and VRFs before anything is applied. A row's
 * checks (mpls_check.c) are shared with the CLI; this file adds what
 * only a whole file can have wrong, such as two rows for one label.
 * Errors read FILE:LINE: mpls.lsps.[0].via: "10.0.9.1": REASON.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "mpls_priv.h"

#define PATH_LEN 96
#define VAL_LEN 64

static const struct cfg_enum label_modes[] = {
	{ "per-vrf", MPLS_LABEL_PER_VRF },
	{ "per-prefix", MPLS_LABEL_PER_PREFIX },
	{ NULL, 0 },
};

static const struct cfg_enum ttl_modes[] = {
	{ "uniform", MPLS_TTL_UNIFORM },
	{ "pipe", MPLS_TTL_PIPE },
	{ NULL, 0 },
};

static const struct cfg_enum lfib_actions[] = {
	{ "swap", MPLS_LFIB_SWAP },
	{ "pop", MPLS_LFIB_POP },
	{ "pop-lookup", MPLS_LFIB_POP_LOOKUP },
	{ NULL, 0 },
};

/* A list's element schema with its keys and live ops (mpls_rows.c). */
#define KEYED(n, type, f, o, ...) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type), .ops = o, \
	.keys = (const char *const[]){ __VA_ARGS__ } }
#define SCHEMA(n, type, f) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type) }

static const struct cfg_field prefix_label_fields[] = {
	{ "prefix", CFG_IPV4_PREFIX,
	  offsetof(struct mpls_prefix_label_conf, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true,
	  .doc = "prefix of the VRF advertised with its own label" },
	{ "label", CFG_UINT, offsetof(struct mpls_prefix_label_conf, label),
	  4, MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX, .required = true,
	  .doc = "local label: popped, then IPv4 lookup in the VRF" },
};

static const struct cfg_schema prefix_label_schema =
	SCHEMA("prefix_label", struct mpls_prefix_label_conf,
	       prefix_label_fields);

static const struct cfg_field vrf_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct mpls_vrf_conf, vrf),
	  VRF_NAME_LEN, .required = true,
	  .doc = "VRF of the vrfs section these settings belong to" },
	{ "rd", CFG_STRING, offsetof(struct mpls_vrf_conf, rd), MPLS_RD_LEN,
	  .required = true,
	  .doc = "route distinguisher ASN:n or IPv4:n (RFC 4364 4.2); "
		 "shown, not used for forwarding" },
	{ "label_mode", CFG_ENUM, offsetof(struct mpls_vrf_conf, label_mode),
	  sizeof(int), .def = "\"per-vrf\"", .enums = label_modes,
	  .doc = "one local VPN label for the VRF (label), or one per "
		 "prefix (prefix_labels)" },
	{ "label", CFG_UINT, offsetof(struct mpls_vrf_conf, label), 4,
	  MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX,
	  .doc = "per-vrf (required there; 0 = none): the local VPN label; "
		 "packets with it are popped and looked up in the VRF" },
	{ "prefix_labels", CFG_LIST,
	  offsetof(struct mpls_vrf_conf, prefix_labels),
	  sizeof(struct mpls_prefix_label_conf), .sub = &prefix_label_schema,
	  .doc = "per-prefix: local labels (each is popped, then looked up "
		 "in the VRF)" },
	{ "ttl_mode", CFG_ENUM, offsetof(struct mpls_vrf_conf, ttl_mode),
	  sizeof(int), .def = "\"uniform\"", .enums = ttl_modes,
	  .doc = "RFC 3443: uniform (every LSR is a hop; label TTL from "
		 "and back to IP TTL) or pipe (the LSP is one hop; labels "
		 "get 255)" },
	{ "tc_copy_on_pop", CFG_BOOL,
	  offsetof(struct mpls_vrf_conf, tc_copy_on_pop), 1, .def = "false",
	  .doc = "on disposal set the DSCP to the VPN label's TC << 3 "
		 "(ECN kept)" },
};

const struct cfg_schema mpls_vrf_schema =
	KEYED("mpls_vrf", struct mpls_vrf_conf, vrf_fields, &mpls_vrf_ops,
	      "vrf", NULL);

static const struct cfg_field vpn_route_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct mpls_vpn_route_conf, vrf),
	  VRF_NAME_LEN, .required = true, .doc = "VRF of the route" },
	{ "prefix", CFG_IPV4_PREFIX,
	  offsetof(struct mpls_vpn_route_conf, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true,
	  .doc = "destination in the VRF" },
	{ "pe", CFG_IPV4, offsetof(struct mpls_vpn_route_conf, pe), 4,
	  .required = true,
	  .doc = "remote PE (BGP next hop); mpls.lsps must reach it" },
	{ "label", CFG_UINT, offsetof(struct mpls_vpn_route_conf, label), 4,
	  MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX, .required = true,
	  .doc = "VPN label the remote PE advertised (pushed with S=1)" },
};

const struct cfg_schema mpls_vpn_route_schema =
	KEYED("vpn_route", struct mpls_vpn_route_conf, vpn_route_fields,
	      &mpls_vpn_route_ops, "vrf", "prefix", NULL);

static const struct cfg_field vpn_route6_fields[] = {
	{ "vrf", CFG_STRING, offsetof(struct mpls_vpn_route6_conf, vrf),
	  VRF_NAME_LEN, .required = true,
	  .doc = "VRF of the route (6VPE); \"default\" for 6PE" },
	{ "prefix", CFG_IPV6_PREFIX,
	  offsetof(struct mpls_vpn_route6_conf, prefix),
	  sizeof(struct cfg_ipv6_prefix), .required = true,
	  .doc = "IPv6 destination in the VRF" },
	{ "pe", CFG_IPV4, offsetof(struct mpls_vpn_route6_conf, pe), 4,
	  .required = true,
	  .doc = "remote PE's IPv4 address (the BGP next hop "
		 "::ffff:a.b.c.d of RFC 4659 3.2.1.1); mpls.lsps must "
		 "reach it" },
	{ "label", CFG_UINT, offsetof(struct mpls_vpn_route6_conf, label), 4,
	  MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX, .required = true,
	  .doc = "VPN label (6PE: IPv6 label) the remote PE advertised "
		 "(pushed with S=1)" },
};

const struct cfg_schema mpls_vpn_route6_schema =
	KEYED("vpn_route6", struct mpls_vpn_route6_conf, vpn_route6_fields,
	      &mpls_vpn_route6_ops, "vrf", "prefix", NULL);

static const struct cfg_field lsp_fields[] = {
	{ "pe", CFG_IPV4, offsetof(struct mpls_lsp_conf, pe), 4,
	  .required = true, .doc = "remote PE the LSP reaches" },
	{ "interface", CFG_STRING, offsetof(struct mpls_lsp_conf, interface),
	  IFACE_NAME_LEN, .required = true,
	  .doc = "egress interface (in mpls.interfaces, with an address)" },
	{ "via", CFG_IPV4, offsetof(struct mpls_lsp_conf, via), 4,
	  .required = true,
	  .doc = "next hop on the interface's subnet (resolved by ARP)" },
	{ "labels", CFG_STRING, offsetof(struct mpls_lsp_conf, labels),
	  MPLS_STACK_LEN,
	  .doc = "transport labels \"L1/L2\", outermost first; absent or "
		 "\"implicit-null\" for a directly connected PE. With the "
		 "VPN label at most max_labels" },
};

const struct cfg_schema mpls_lsp_schema =
	KEYED("lsp", struct mpls_lsp_conf, lsp_fields, &mpls_lsp_ops, "pe",
	      NULL);

static const struct cfg_field lfib_fields[] = {
	{ "label", CFG_UINT, offsetof(struct mpls_lfib_conf, label), 4,
	  MPLS_LABEL_FIRST_UNRESERVED, MPLS_LABEL_MAX, .required = true,
	  .doc = "incoming label (0-15 are reserved: RFC 3032, built in)" },
	{ "action", CFG_ENUM, offsetof(struct mpls_lfib_conf, action),
	  sizeof(int), .required = true, .enums = lfib_actions,
	  .doc = "swap: to out_labels, to via; pop: with via send the rest "
		 "there (PHP), without look at the label below; pop-lookup: "
		 "IPv4 lookup in vrf" },
	{ "out_labels", CFG_STRING, offsetof(struct mpls_lfib_conf, out_labels),
	  MPLS_STACK_LEN,
	  .doc = "swap: labels \"L1/L2\" replacing the top one, outermost "
		 "first; \"implicit-null\" pops (PHP)" },
	{ "interface", CFG_STRING, offsetof(struct mpls_lfib_conf, interface),
	  IFACE_NAME_LEN, .doc = "swap, pop with via: egress interface" },
	{ "via", CFG_IPV4, offsetof(struct mpls_lfib_conf, via), 4,
	  .doc = "swap, pop: next hop on the interface's subnet" },
	{ "vrf", CFG_STRING, offsetof(struct mpls_lfib_conf, vrf),
	  VRF_NAME_LEN, .doc = "pop-lookup: the VRF" },
};

const struct cfg_schema mpls_lfib_schema =
	KEYED("lfib_entry", struct mpls_lfib_conf, lfib_fields, &mpls_lfib_ops,
	      "label", NULL);

static const struct cfg_field tc_fields[] = {
	{ "dscp", CFG_UINT, offsetof(struct mpls_tc_conf, dscp), 1, 0,
	  MPLS_DSCP_MAX, .required = true, .doc = "IP DSCP" },
	{ "tc", CFG_UINT, offsetof(struct mpls_tc_conf, tc), 1, 0,
	  MPLS_TC_MAX, .required = true, .doc = "TC pushed for it" },
};

static const struct cfg_schema tc_schema =
	SCHEMA("tc_map_entry", struct mpls_tc_conf, tc_fields);

static const struct cfg_field mpls_fields[] = {
	{ "max_labels", CFG_UINT, offsetof(struct mpls_conf, max_labels), 4,
	  1, MPLS_MAX_LABELS, .def = "3",
	  .doc = "deepest label stack received or sent; deeper ones are "
		 "dropped as mpls_too_many_labels" },
	{ "interfaces", CFG_STRING_LIST, offsetof(struct mpls_conf, interfaces),
	  IFACE_NAME_LEN,
	  .doc = "interfaces that accept labeled packets (core side); others "
		 "drop them as mpls_disabled (RFC 4364 10)" },
	{ "tc_map", CFG_LIST, offsetof(struct mpls_conf, tc_map),
	  sizeof(struct mpls_tc_conf), 0, MPLS_DSCP_MAX + 1, .sub = &tc_schema,
	  .doc = "TC pushed for a DSCP; DSCPs not listed get DSCP >> 3" },
	{ "vrfs", CFG_LIST, offsetof(struct mpls_conf, vrfs),
	  sizeof(struct mpls_vrf_conf), 0, VRF_MAX, .sub = &mpls_vrf_schema,
	  .doc = "MPLS settings and local VPN labels per VRF; a VRF not "
		 "listed has no local label and uses uniform TTL" },
	{ "lsps", CFG_LIST, offsetof(struct mpls_conf, lsps),
	  sizeof(struct mpls_lsp_conf), 0, MPLS_LSP_MAX - 1,
	  .sub = &mpls_lsp_schema, .doc = "transport LSPs, one per remote PE" },
	{ "vpn_routes", CFG_LIST, offsetof(struct mpls_conf, vpn_routes),
	  sizeof(struct mpls_vpn_route_conf), .sub = &mpls_vpn_route_schema,
	  .doc = "routes to remote sites: VRF prefix -> remote PE + VPN "
		 "label" },
	{ "vpn_routes6", CFG_LIST, offsetof(struct mpls_conf, vpn_routes6),
	  sizeof(struct mpls_vpn_route6_conf),
	  .sub = &mpls_vpn_route6_schema,
	  .doc = "IPv6 routes to remote sites over the IPv4 LSPs: VRF "
		 "prefix -> remote PE + VPN label (6VPE, RFC 4659; 6PE in "
		 "the default VRF, RFC 4798)" },
	{ "lfib", CFG_LIST, offsetof(struct mpls_conf, lfib),
	  sizeof(struct mpls_lfib_conf), .sub = &mpls_lfib_schema,
	  .doc = "static LFIB entries (the VRFs' local labels are added "
		 "by themselves)" },
};

static const struct cfg_schema mpls_schema = {
	.name = "mpls",
	.fields = mpls_fields,
	.n_fields = RTE_DIM(mpls_fields),
	.size = sizeof(struct mpls_conf),
	.ops = &mpls_group_ops,
};

static int
check_interfaces(struct cfg_ctx *ctx, const struct cfg_model *m,
		 const struct mpls_conf *mc)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const char *names = mc->interfaces.items, *name;
	char path[PATH_LEN], val[VAL_LEN];
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < mc->interfaces.n; i++) {
		const char *why = NULL;

		name = names + i * IFACE_NAME_LEN;
		if (mpls_iface_conf_find(ifs, name) < 0)
			why = "no such interface";
		for (j = 0; why == NULL && j < i; j++)
			if (strcmp(names + j * IFACE_NAME_LEN, name) == 0)
				why = "listed twice";
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "mpls.interfaces.[%u]", i);
		snprintf(val, sizeof(val), "\"%s\"", name);
		cfg_error(ctx, path, val, "%s", why);
		errors++;
	}
	return errors;
}

static int
check_tc_map(struct cfg_ctx *ctx, const struct mpls_conf *mc)
{
	const struct mpls_tc_conf *tc = mc->tc_map.items;
	char path[PATH_LEN], val[VAL_LEN];
	unsigned int i, j;
	int errors = 0;

	for (i = 0; i < mc->tc_map.n; i++) {
		for (j = 0; j < i && tc[j].dscp != tc[i].dscp; j++)
			;
		if (j == i)
			continue;
		snprintf(path, sizeof(path), "mpls.tc_map.[%u].dscp", i);
		snprintf(val, sizeof(val), "%u", tc[i].dscp);
		cfg_error(ctx, path, val, "DSCP already mapped by tc_map.[%u]",
			  j);
		errors++;
	}
	return errors;
}

/* Report a row check's result; @return 1 if it was an error. */
static int
row_error(struct cfg_ctx *ctx, const char *list, unsigned int i,
	  const char *why, const char *field, const char *val)
{
	char path[PATH_LEN];

	if (why == NULL)
		return 0;
	snprintf(path, sizeof(path), "mpls.%s.[%u]%s", list, i, field);
	cfg_error(ctx, path, val[0] != '\0' ? val : NULL, "%s", why);
	return 1;
}

static int
check_vrfs(struct cfg_ctx *ctx, const struct cfg_model *m,
	   const struct mpls_conf *mc)
{
	const struct mpls_vrf_conf *vc = mc->vrfs.items;
	const char *why, *field;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < mc->vrfs.n; i++) {
		val[0] = '\0';
		why = mpls_vrf_check(m, &vc[i], &field, val, sizeof(val));
		errors += row_error(ctx, "vrfs", i, why, field, val);
	}
	return errors;
}

static int
check_vpn_routes(struct cfg_ctx *ctx, const struct cfg_model *m,
		 const struct mpls_conf *mc)
{
	const struct mpls_vpn_route_conf *rc = mc->vpn_routes.items;
	const char *why, *field;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < mc->vpn_routes.n; i++) {
		val[0] = '\0';
		why = mpls_vpn_route_check(m, &rc[i], &field, val,
					   sizeof(val));
		errors += row_error(ctx, "vpn_routes", i, why, field, val);
	}
	return errors;
}

static int
check_vpn_routes6(struct cfg_ctx *ctx, const struct cfg_model *m,
		  const struct mpls_conf *mc)
{
	const struct mpls_vpn_route6_conf *rc = mc->vpn_routes6.items;
	const char *why, *field;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < mc->vpn_routes6.n; i++) {
		val[0] = '\0';
		why = mpls_vpn_route6_check(m, &rc[i], &field, val,
					    sizeof(val));
		errors += row_error(ctx, "vpn_routes6", i, why, field, val);
	}
	return errors;
}

static int
check_lsps(struct cfg_ctx *ctx, const struct cfg_model *m,
	   const struct mpls_conf *mc)
{
	const struct mpls_lsp_conf *lc = mc->lsps.items;
	const char *why, *field;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < mc->lsps.n; i++) {
		val[0] = '\0';
		why = mpls_lsp_check(m, &lc[i], &field, val, sizeof(val));
		errors += row_error(ctx, "lsps", i, why, field, val);
	}
	return errors;
}

static int
check_lfib(struct cfg_ctx *ctx, const struct cfg_model *m,
	   const struct mpls_conf *mc)
{
	const struct mpls_lfib_conf *fc = mc->lfib.items;
	const char *why, *field;
	char val[VAL_LEN];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < mc->lfib.n; i++) {
		val[0] = '\0';
		why = mpls_lfib_check(m, &fc[i], &field, val, sizeof(val));
		errors += row_error(ctx, "lfib", i, why, field, val);
	}
	return errors;
}

static int
mpls_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct mpls_conf *mc = cfg_model_section(model, "mpls");
	int errors;

	errors = check_interfaces(ctx, model, mc);
	errors += check_tc_map(ctx, mc);
	/* Rows refer to interfaces: only check them once those are fine. */
	if (errors != 0)
		return errors;
	errors += check_vrfs(ctx, model, mc);
	errors += check_lsps(ctx, model, mc);
	errors += check_vpn_routes(ctx, model, mc);
	errors += check_vpn_routes6(ctx, model, mc);
	errors += check_lfib(ctx, model, mc);
	return errors;
}

const struct cfg_section mpls_cfg_section = {
	.key = "mpls",
	.type = CFG_GROUP,
	.schema = &mpls_schema,
	.doc = "MPLS L3VPN PE and P router (RFC 4364, RFC 3031/3032): "
	       "local VPN labels per VRF, VPN routes learned from remote "
	       "PEs, transport LSPs to them, static LFIB entries, TTL models "
	       "(RFC 3443) and TC marking. Labeled frames are accepted only "
	       "on the interfaces listed here.",
	.check = mpls_check,
};
