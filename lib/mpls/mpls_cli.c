/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/mpls: `show mpls lfib|lsps|vrfs|interfaces`,
 * `show ip vpn-routes` and the `mpls ...` changes. Shows read the tables
 * the data plane uses (the LFIB is walked label by label); changes edit
 * a row and run the change transaction (mpls_edit.c), as a reload does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cli.h"
#include "mpls_priv.h"

#define ERR_LEN 320

static uint32_t
arg_u32(const struct cli_args *args, const char *name)
{
	const char *s = cli_arg(args, name);

	return s == NULL ? 0 : (uint32_t)strtoul(s, NULL, 10);
}

static uint32_t
arg_ipv4(const struct cli_args *args, unsigned int i)
{
	uint32_t ip = 0;

	cfg_parse_ipv4(cli_arg_n(args, "ipv4", i), &ip);
	return ip;
}

static void
arg_prefix(const struct cli_args *args, struct cfg_ipv4_prefix *p)
{
	const char *why;

	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, p, &why);
}

static void
arg_copy(char *dst, size_t len, const struct cli_args *args,
	 const char *name)
{
	const char *s = cli_arg(args, name);

	snprintf(dst, len, "%s", s != NULL ? s : "");
}

/* "02:00:00:00:00:aa" or "unresolved" for a pinned neighbour slot. */
static const char *
nbr_text(uint32_t slot, char *buf, size_t len)
{
	struct rte_ether_addr mac;

	if (slot == ROUTE_NBR_NONE || !route_nbr_mac(slot, &mac))
		snprintf(buf, len, "unresolved");
	else
		rte_ether_format_addr(buf, len, &mac);
	return buf;
}

static void
nhlfe_labels(const struct mpls_nhlfe *nh, char *buf, size_t len)
{
	uint32_t labels[MPLS_OUT_MAX];
	unsigned int i;

	for (i = 0; i < nh->n_out; i++)
		labels[i] = nh->out[i] >> MPLS_LABEL_SHIFT;
	mpls_stack_format(labels, nh->n_out, buf, len);
}

static void
lfib_show_one(struct cli_out *out, uint32_t label,
	      const struct mpls_nhlfe *nh)
{
	static const char *const ops[] = {
		[MPLS_OP_SWAP] = "swap", [MPLS_OP_POP_FWD] = "pop",
		[MPLS_OP_POP] = "pop", [MPLS_OP_POP_LOOKUP] = "pop-lookup",
	};
	char stack[MPLS_STACK_LEN] = "-", ip[16], mac[RTE_ETHER_ADDR_FMT_SIZE];
	const struct iface *ifc = iface_get(nh->iface);

	if (nh->op == MPLS_OP_SWAP)
		nhlfe_labels(nh, stack, sizeof(stack));
	if (nh->op == MPLS_OP_POP_LOOKUP) {
		cli_printf(out, "%-8u %-11s %-16s vrf %s\n", label,
			   ops[nh->op], stack, vrf_name(nh->vrf));
		return;
	}
	if (nh->op == MPLS_OP_POP) {
		cli_printf(out, "%-8u %-11s %-16s (label below)\n", label,
			   ops[nh->op], stack);
		return;
	}
	cli_printf(out, "%-8u %-11s %-16s %-12s %-15s %s\n", label,
		   ops[nh->op], stack, ifc != NULL ? ifc->name : "?",
		   cfg_format_ipv4(nh->via, ip, sizeof(ip)),
		   nbr_text(nh->nbr, mac, sizeof(mac)));
}

static int
show_lfib(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct mpls_nhlfe *nh;
	uint32_t label;
	unsigned int n = 0;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	for (label = MPLS_LABEL_FIRST_UNRESERVED;
	     mpls_dp.lfib != NULL && label < MPLS_LFIB_SIZE; label++) {
		nh = mpls_lfib_get(label);
		if (nh == NULL)
			continue;
		if (n++ == 0)
			cli_printf(out, "%-8s %-11s %-16s %-12s %-15s %s\n",
				   "label", "action", "out-labels", "interface",
				   "via", "next-hop");
		lfib_show_one(out, label, nh);
	}
	if (n == 0)
		cli_empty(out, "LFIB entries");
	return 0;
}

static int
show_lsps(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct mpls_conf *mc = cfg_model_section(mpls_model, "mpls");
	const struct mpls_lsp_conf *lc = mc != NULL ? mc->lsps.items : NULL;
	char pe[16], via[16], stack[MPLS_STACK_LEN], mac[24];
	const struct mpls_nhlfe *nh;
	unsigned int i, n = 0;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	for (i = 0; mc != NULL && i < mc->lsps.n; i++) {
		nh = mpls_lsp_get(lc[i].pe);
		if (nh == NULL)
			continue;
		if (n++ == 0)
			cli_printf(out, "%-15s %-12s %-15s %-16s %-17s %s\n",
				   "pe", "interface", "via", "labels",
				   "next-hop", "vpn-routes");
		nhlfe_labels(nh, stack, sizeof(stack));
		cli_printf(out, "%-15s %-12s %-15s %-16s %-17s %u\n",
			   cfg_format_ipv4(lc[i].pe, pe, sizeof(pe)),
			   lc[i].interface,
			   cfg_format_ipv4(nh->via, via, sizeof(via)), stack,
			   nbr_text(nh->nbr, mac, sizeof(mac)),
			   mpls_vpn_routes_to(mc, lc[i].pe));
	}
	if (n == 0)
		cli_empty(out, "LSPs");
	return 0;
}

static void
vrf_labels_text(const struct mpls_vrf_conf *vc, char *buf, size_t len)
{
	const struct mpls_prefix_label_conf *pl = vc->prefix_labels.items;
	char ip[16];
	size_t used;
	unsigned int i;

	if (vc->label_mode == MPLS_LABEL_PER_VRF) {
		snprintf(buf, len, "%u", vc->label);
		return;
	}
	snprintf(buf, len, "%s", vc->prefix_labels.n == 0 ? "-" : "");
	for (i = 0; i < vc->prefix_labels.n; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s/%u=%u", i ? " " : "",
			 cfg_format_ipv4(pl[i].prefix.addr, ip, sizeof(ip)),
			 pl[i].prefix.len, pl[i].label);
	}
}

static int
show_vrfs(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct mpls_conf *mc = cfg_model_section(mpls_model, "mpls");
	const struct mpls_vrf_conf *vc = mc != NULL ? mc->vrfs.items : NULL;
	char labels[256];
	unsigned int i;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (mc == NULL || mc->vrfs.n == 0) {
		cli_empty(out, "MPLS VRFs");
		return 0;
	}
	cli_printf(out, "%-12s %-18s %-10s %-8s %-8s %s\n", "vrf", "rd",
		   "mode", "ttl", "tc-copy", "local labels");
	for (i = 0; mc != NULL && i < mc->vrfs.n; i++) {
		vrf_labels_text(&vc[i], labels, sizeof(labels));
		cli_printf(out, "%-12s %-18s %-10s %-8s %-8s %s\n", vc[i].vrf,
			   vc[i].rd, vc[i].label_mode == MPLS_LABEL_PER_VRF ?
			   "per-vrf" : "per-prefix",
			   vc[i].ttl_mode == MPLS_TTL_UNIFORM ? "uniform" :
			   "pipe", vc[i].tc_copy_on_pop ? "yes" : "no",
			   labels);
	}
	return 0;
}

static int
show_mpls_interfaces(struct cli_out *out, const struct cli_args *args,
		     void *arg)
{
	unsigned int i;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	cli_printf(out, "max-labels %u\n", mpls_dp.max_labels);
	if (iface_count() == 0)
		cli_empty(out, "interfaces");
	for (i = 0; i < iface_count(); i++)
		cli_printf(out, "%-12s %s\n", iface_get(i)->name,
			   mpls_dp.if_enabled[i] ? "mpls" : "-");
	return 0;
}

/* One line of show ip[v6] vpn-routes; the header before the first. */
static void
vpn_route_line(struct cli_out *out, unsigned int n, int width,
	       const char *vrf, const char *pfx, uint32_t pe, uint32_t label)
{
	char ip[16];

	if (n == 0)
		cli_printf(out, "%-12s %-*s %-15s %-8s %s\n", "vrf", width,
			   "prefix", "pe", "label", "lsp");
	cli_printf(out, "%-12s %-*s %-15s %-8u %s\n", vrf, width, pfx,
		   cfg_format_ipv4(pe, ip, sizeof(ip)), label,
		   mpls_lsp_get(pe) != NULL ? "up" : "none");
}

/* show ip vpn-routes (@p arg NULL) and show ipv6 vpn-routes (non-NULL). */
static int
show_vpn_routes(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct mpls_conf *mc = cfg_model_section(mpls_model, "mpls");
	const char *only = cli_arg(args, "vrf-name");
	const bool v6 = arg != NULL;
	unsigned int i, n = 0, count;
	char pfx[56], ip[48];

	if (only != NULL && vrf_find(only) < 0) {
		cli_error(out, "no such VRF: %s", only);
		return -ENOENT;
	}
	count = mc == NULL ? 0 : v6 ? mc->vpn_routes6.n : mc->vpn_routes.n;
	for (i = 0; i < count; i++) {
		const struct mpls_vpn_route6_conf *r6 =
			v6 ? (const struct mpls_vpn_route6_conf *)
				     mc->vpn_routes6.items + i : NULL;
		const struct mpls_vpn_route_conf *r4 =
			v6 ? NULL : (const struct mpls_vpn_route_conf *)
					    mc->vpn_routes.items + i;
		const char *vrf = v6 ? r6->vrf : r4->vrf;

		if (only != NULL && strcmp(only, vrf) != 0)
			continue;
		if (v6)
			snprintf(pfx, sizeof(pfx), "%s/%u",
				 cfg_format_ipv6(r6->prefix.addr, ip, sizeof(ip)),
				 r6->prefix.len);
		else
			snprintf(pfx, sizeof(pfx), "%s/%u",
				 cfg_format_ipv4(r4->prefix.addr, ip, sizeof(ip)),
				 r4->prefix.len);
		vpn_route_line(out, n++, v6 ? 30 : 18, vrf, pfx,
			       v6 ? r6->pe : r4->pe, v6 ? r6->label : r4->label);
	}
	if (n == 0)
		cli_empty(out, "VPN routes");
	return 0;
}

static int
vrf_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_vrf_conf vc = { .label_mode = MPLS_LABEL_PER_VRF };
	const char *mode = cli_arg(args, "ttl-mode");
	char err[ERR_LEN];

	arg_copy(vc.vrf, sizeof(vc.vrf), args, "vrf-name");
	arg_copy(vc.rd, sizeof(vc.rd), args, "route-distinguisher");
	if (arg != NULL)
		vc.label_mode = MPLS_LABEL_PER_PREFIX;
	else
		vc.label = arg_u32(args, "mpls-label");
	vc.ttl_mode = mode != NULL && strcmp(mode, "pipe") == 0 ?
		MPLS_TTL_PIPE : MPLS_TTL_UNIFORM;
	vc.tc_copy_on_pop = cli_has_word(args, "tc-copy-on-pop");
	return cli_result(out, mpls_vrf_add(&vc, err, sizeof(err)), err);
}

static int
vrf_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, mpls_vrf_del(cli_arg(args, "vrf-name"), err,
					    sizeof(err)), err);
}

static int
prefix_label_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_prefix_label_conf pl = { .label = 0 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_prefix(args, &pl.prefix);
	pl.label = arg_u32(args, "mpls-label");
	return cli_result(out, mpls_prefix_label_add(cli_arg(args, "vrf-name"),
						     &pl, err, sizeof(err)),
			  err);
}

static int
prefix_label_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cfg_ipv4_prefix p;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_prefix(args, &p);
	return cli_result(out, mpls_prefix_label_del(cli_arg(args, "vrf-name"),
						     &p, err, sizeof(err)),
			  err);
}

static int
vpn_route_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_vpn_route_conf rc = { .pe = 0 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_copy(rc.vrf, sizeof(rc.vrf), args, "vrf-name");
	arg_prefix(args, &rc.prefix);
	rc.pe = arg_ipv4(args, 0);
	rc.label = arg_u32(args, "mpls-label");
	return cli_result(out, mpls_vpn_route_add(&rc, err, sizeof(err)), err);
}

static int
vpn_route_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cfg_ipv4_prefix p;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_prefix(args, &p);
	return cli_result(out, mpls_vpn_route_del(cli_arg(args, "vrf-name"),
						  &p, err, sizeof(err)), err);
}

static int
vpn_route6_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_vpn_route6_conf rc = { .pe = 0 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	arg_copy(rc.vrf, sizeof(rc.vrf), args, "vrf-name");
	cfg_parse_ipv6_prefix(cli_arg(args, "ipv6-prefix"), true, &rc.prefix,
			      NULL);
	rc.pe = arg_ipv4(args, 0);
	rc.label = arg_u32(args, "mpls-label");
	return cli_result(out, mpls_vpn_route6_add(&rc, err, sizeof(err)),
			  err);
}

static int
vpn_route6_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cfg_ipv6_prefix p;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	cfg_parse_ipv6_prefix(cli_arg(args, "ipv6-prefix"), true, &p, NULL);
	return cli_result(out, mpls_vpn_route6_del(cli_arg(args, "vrf-name"),
						   &p, err, sizeof(err)),
			  err);
}

static int
lsp_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_lsp_conf lc = { .pe = 0 };
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	lc.pe = arg_ipv4(args, 0);
	lc.via = arg_ipv4(args, 1);
	arg_copy(lc.interface, sizeof(lc.interface), args, "interface-name");
	arg_copy(lc.labels, sizeof(lc.labels), args, "label-stack");
	return cli_result(out, mpls_lsp_add(&lc, err, sizeof(err)), err);
}

static int
lsp_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, mpls_lsp_del(arg_ipv4(args, 0), err,
					    sizeof(err)), err);
}

static int
lfib_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct mpls_lfib_conf fc = { .action = (int)(uintptr_t)arg };
	char err[ERR_LEN];

	fc.label = arg_u32(args, "mpls-label");
	arg_copy(fc.out_labels, sizeof(fc.out_labels), args, "label-stack");
	arg_copy(fc.interface, sizeof(fc.interface), args, "interface-name");
	arg_copy(fc.vrf, sizeof(fc.vrf), args, "vrf-name");
	fc.via = arg_ipv4(args, 0);
	return cli_result(out, mpls_lfib_add(&fc, err, sizeof(err)), err);
}

static int
lfib_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, mpls_lfib_del(arg_u32(args, "mpls-label"), err,
					     sizeof(err)), err);
}

static int
iface_set(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	return cli_result(out, mpls_iface_set(cli_arg(args, "interface-name"),
					      arg != NULL, err, sizeof(err)),
			  err);
}

static int
label_check(const char *tok, const char **why)
{
	uint32_t labels[1];
	unsigned int n;

	if (mpls_stack_parse(tok, labels, 1, &n, why) < 0 || n != 1 ||
	    labels[0] < MPLS_LABEL_FIRST_UNRESERVED) {
		*why = "expected a label 16..1048575";
		return -EINVAL;
	}
	return 0;
}

static int
stack_check(const char *tok, const char **why)
{
	uint32_t labels[MPLS_OUT_MAX];
	unsigned int n;

	return mpls_stack_parse(tok, labels, MPLS_OUT_MAX, &n, why);
}

static int
rd_check(const char *tok, const char **why)
{
	*why = mpls_rd_check(tok);
	return *why == NULL ? 0 : -EINVAL;
}

static int
ttl_mode_check(const char *tok, const char **why)
{
	*why = "expected uniform or pipe";
	return strcmp(tok, "uniform") == 0 || strcmp(tok, "pipe") == 0 ?
		0 : -EINVAL;
}

static struct cli_arg_type mpls_arg_types[] = {
	{ .name = "mpls-label", .help = "an MPLS label 16..1048575",
	  .check = label_check, .example = "100" },
	{ .name = "label-stack",
	  .help = "labels L1/L2/..., outermost first, or implicit-null",
	  .check = stack_check, .example = "16001/24005" },
	{ .name = "route-distinguisher",
	  .help = "a route distinguisher ASN:n or IPv4:n (RFC 4364 4.2)",
	  .check = rd_check, .example = "65000:1" },
	{ .name = "ttl-mode", .help = "uniform or pipe (RFC 3443)",
	  .check = ttl_mode_check, .example = "pipe" },
};

static const struct cli_command mpls_commands[] = {
	{
		.syntax = "show mpls lfib",
		.help = "Show running state\n"
			"MPLS\n"
			"LFIB: every incoming label, static and VRF labels, "
			"with its next hop",
		.handler = show_lfib,
		.read_only = true,
	},
	{
		.syntax = "show mpls lsps",
		.help = "Show running state\n"
			"MPLS\n"
			"Transport LSPs to remote PEs, next hop state, VPN "
			"impositions using them",
		.handler = show_lsps,
		.read_only = true,
	},
	{
		.syntax = "show mpls vrfs",
		.help = "Show running state\n"
			"MPLS\n"
			"VRF settings: RD, label mode and local labels, TTL "
			"mode, TC copy",
		.handler = show_vrfs,
		.read_only = true,
	},
	{
		.syntax = "show mpls interfaces",
		.help = "Show running state\n"
			"MPLS\n"
			"Which interfaces take labeled packets; label stack "
			"limit",
		.handler = show_mpls_interfaces,
		.read_only = true,
	},
	{
		.syntax = "show ip vpn-routes [vrf <vrf-name>]",
		.help = "Show running state\n"
			"IPv4\n"
			"VPN routes: VRF prefix, remote PE, VPN label, LSP\n"
			"Only one VRF\n"
			"VRF name",
		.handler = show_vpn_routes,
		.read_only = true,
	},
	{
		.syntax = "show ipv6 vpn-routes [vrf <vrf-name>]",
		.help = "Show running state\n"
			"IPv6\n"
			"IPv6 VPN routes (6VPE, 6PE): VRF prefix, remote PE, "
			"VPN label, LSP\n"
			"Only one VRF\n"
			"VRF name",
		.handler = show_vpn_routes,
		.arg = (void *)1, /* IPv6 */
		.read_only = true,
	},
	{
		.syntax = "mpls vrf add <vrf-name> rd <route-distinguisher> "
			  "label <mpls-label> [ttl-mode <ttl-mode>] "
			  "[tc-copy-on-pop]",
		.summary = "Add a VRF's MPLS settings, one local label for "
			    "the VRF",
		.help = "MPLS\n"
			"MPLS settings of a VRF\n"
			"Add them, one local label for the VRF\n"
			"VRF name\n"
			"Route distinguisher\n"
			"RD, ASN:n or IPv4:n\n"
			"Local VPN label (per-vrf)\n"
			"Label: popped, then IPv4 lookup in the VRF\n"
			"TTL model (default uniform)\n"
			"uniform or pipe\n"
			"Set the DSCP from the TC when disposing",
		.handler = vrf_add,
	},
	{
		.syntax = "mpls vrf add <vrf-name> rd <route-distinguisher> "
			  "per-prefix [ttl-mode <ttl-mode>] [tc-copy-on-pop]",
		.summary = "Add a VRF's MPLS settings, labels per prefix "
			    "(mpls prefix-label add)",
		.help = "MPLS\n"
			"MPLS settings of a VRF\n"
			"Add them, labels per prefix (mpls prefix-label add)\n"
			"VRF name\n"
			"Route distinguisher\n"
			"RD, ASN:n or IPv4:n\n"
			"One local label per prefix\n"
			"TTL model (default uniform)\n"
			"uniform or pipe\n"
			"Set the DSCP from the TC when disposing",
		.handler = vrf_add,
		.arg = (void *)1,
	},
	{
		.syntax = "mpls vrf del <vrf-name>",
		.summary = "Delete a VRF's MPLS settings and its local labels",
		.help = "MPLS\n"
			"MPLS settings of a VRF\n"
			"Delete them and the VRF's local labels\n"
			"VRF name",
		.handler = vrf_del,
	},
	{
		.syntax = "mpls prefix-label add <ipv4-prefix> label "
			  "<mpls-label> vrf <vrf-name>",
		.summary = "Add a per-prefix local label",
		.help = "MPLS\n"
			"Per-prefix local labels\n"
			"Add one\n"
			"Prefix of the VRF\n"
			"Its local label\n"
			"Label: popped, then IPv4 lookup in the VRF\n"
			"Of this per-prefix VRF\n"
			"VRF name",
		.handler = prefix_label_add,
	},
	{
		.syntax = "mpls prefix-label del <ipv4-prefix> vrf <vrf-name>",
		.summary = "Delete a per-prefix local label",
		.help = "MPLS\n"
			"Per-prefix local labels\n"
			"Delete one\n"
			"Prefix of the VRF\n"
			"Of this VRF\n"
			"VRF name",
		.handler = prefix_label_del,
	},
	{
		.syntax = "mpls vpn-route add <ipv4-prefix> vrf <vrf-name> "
			  "pe <ipv4> label <mpls-label>",
		.summary = "Add a VPN route (as MP-BGP would learn it)",
		.help = "MPLS\n"
			"VPN routes (as MP-BGP would learn them)\n"
			"Add one\n"
			"Destination in the VRF\n"
			"In this VRF\n"
			"VRF name\n"
			"Remote PE\n"
			"Its address (an LSP must reach it)\n"
			"VPN label the remote PE advertised\n"
			"Label 16..1048575",
		.handler = vpn_route_add,
	},
	{
		.syntax = "mpls vpn-route del <ipv4-prefix> vrf <vrf-name>",
		.summary = "Delete a VPN route",
		.help = "MPLS\n"
			"VPN routes\n"
			"Delete one\n"
			"Destination in the VRF\n"
			"In this VRF\n"
			"VRF name",
		.handler = vpn_route_del,
	},
	{
		.syntax = "mpls vpn-route6 add <ipv6-prefix> vrf <vrf-name> "
			  "pe <ipv4> label <mpls-label>",
		.summary = "Add an IPv6 VPN route over an IPv4 LSP (6VPE; "
			    "6PE in VRF default)",
		.help = "MPLS\n"
			"IPv6 VPN routes (6VPE RFC 4659, 6PE RFC 4798)\n"
			"Add one\n"
			"IPv6 destination in the VRF\n"
			"In this VRF\n"
			"VRF name (default: 6PE)\n"
			"Remote PE\n"
			"Its IPv4 address (an LSP must reach it)\n"
			"VPN label the remote PE advertised\n"
			"Label 16..1048575",
		.handler = vpn_route6_add,
	},
	{
		.syntax = "mpls vpn-route6 del <ipv6-prefix> vrf <vrf-name>",
		.summary = "Delete an IPv6 VPN route",
		.help = "MPLS\n"
			"IPv6 VPN routes\n"
			"Delete one\n"
			"IPv6 destination in the VRF\n"
			"In this VRF\n"
			"VRF name",
		.handler = vpn_route6_del,
	},
	{
		.syntax = "mpls lsp add <ipv4> interface <interface-name> "
			  "via <ipv4> [labels <label-stack>]",
		.summary = "Add a transport LSP to a remote PE, or replace "
			    "the one to the same PE",
		.help = "MPLS\n"
			"Transport LSPs\n"
			"Add one, or replace the one to the same PE\n"
			"Remote PE it reaches\n"
			"Egress interface\n"
			"Interface name (MPLS enabled)\n"
			"Next hop\n"
			"Next-hop address on the interface's subnet\n"
			"Transport labels (default none: connected PE)\n"
			"Labels L1/L2, outermost first",
		.handler = lsp_add,
	},
	{
		.syntax = "mpls lsp del <ipv4>",
		.summary = "Delete a transport LSP (no VPN route may use it)",
		.help = "MPLS\n"
			"Transport LSPs\n"
			"Delete one (no VPN route may use it)\n"
			"Remote PE",
		.handler = lsp_del,
	},
	{
		.syntax = "mpls lfib add <mpls-label> swap <label-stack> "
			  "interface <interface-name> via <ipv4>",
		.summary = "Add a static LFIB entry that swaps, or replace "
			    "the label's entry",
		.help = "MPLS\n"
			"Static LFIB entries\n"
			"Add one, or replace the one of the label\n"
			"Incoming label\n"
			"Swap it\n"
			"Outgoing labels, outermost first (implicit-null: "
			"pop)\n"
			"Egress interface\n"
			"Interface name (MPLS enabled)\n"
			"Next hop\n"
			"Next-hop address on the interface's subnet",
		.handler = lfib_add,
		.arg = (void *)(uintptr_t)MPLS_LFIB_SWAP,
	},
	{
		.syntax = "mpls lfib add <mpls-label> pop "
			  "[interface <interface-name> via <ipv4>]",
		.summary = "Add a static LFIB entry that pops, or replace the "
			    "label's entry",
		.help = "MPLS\n"
			"Static LFIB entries\n"
			"Add one, or replace the one of the label\n"
			"Incoming label\n"
			"Pop it: send the rest to a next hop (PHP), or look "
			"at the label below\n"
			"Egress interface\n"
			"Interface name (MPLS enabled)\n"
			"Next hop\n"
			"Next-hop address on the interface's subnet",
		.handler = lfib_add,
		.arg = (void *)(uintptr_t)MPLS_LFIB_POP,
	},
	{
		.syntax = "mpls lfib add <mpls-label> pop-lookup "
			  "vrf <vrf-name>",
		.summary = "Add a static LFIB entry that pops and looks up "
			    "IPv4 in a VRF, or replace the label's entry",
		.help = "MPLS\n"
			"Static LFIB entries\n"
			"Add one, or replace the one of the label\n"
			"Incoming label\n"
			"Pop it, IPv4 lookup\n"
			"In this VRF\n"
			"VRF name",
		.handler = lfib_add,
		.arg = (void *)(uintptr_t)MPLS_LFIB_POP_LOOKUP,
	},
	{
		.syntax = "mpls lfib del <mpls-label>",
		.summary = "Delete a static LFIB entry",
		.help = "MPLS\n"
			"Static LFIB entries\n"
			"Delete one\n"
			"Incoming label",
		.handler = lfib_del,
	},
	{
		.syntax = "mpls interface <interface-name> enable",
		.summary = "Take labeled packets on an interface",
		.help = "MPLS\n"
			"An interface\n"
			"Interface name\n"
			"Take labeled packets on it",
		.handler = iface_set,
		.arg = (void *)1,
	},
	{
		.syntax = "mpls interface <interface-name> disable",
		.summary = "Stop taking labeled packets on an interface "
			    "(mpls_disabled)",
		.help = "MPLS\n"
			"An interface\n"
			"Interface name\n"
			"Drop labeled packets on it (mpls_disabled)",
		.handler = iface_set,
	},
};

int
mpls_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(mpls_arg_types); i++) {
		rc = cli_register_arg_type(&mpls_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(mpls_commands, RTE_DIM(mpls_commands));
}
