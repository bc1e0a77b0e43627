/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI of lib/control_plane: `show control-plane` and live changes of
 * the representors, through cp_representor_add()/del() as the loader.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cp_priv.h"

#define ERR_LEN 256

static int
tap_name_check(const char *tok, const char **why)
{
	if (strlen(tok) > CP_TAP_NAME_MAX || strpbrk(tok, "/:") != NULL) {
		*why = "1..15 characters, no / or :";
		return -EINVAL;
	}
	return 0;
}

static int
netns_check(const char *tok, const char **why)
{
	if (strlen(tok) >= CP_NETNS_LEN || strchr(tok, '/') != NULL) {
		*why = "a name in /run/netns";
		return -EINVAL;
	}
	return 0;
}

static const struct cli_arg_type cp_arg_types[] = {
	{ "tap-name", "Linux interface name, at most 15 characters",
	  tap_name_check, "fp0", NULL },
	{ "netns-name", "network namespace (ip netns add NAME)",
	  netns_check, "cp", NULL },
};

static void
show_reps(struct cli_out *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < iface_count(); i++)
		n += cp_reps[i] != NULL;
	if (n == 0) {
		cli_printf(out, "no representors\n");
		return;
	}
	cli_printf(out, "%-12s %-15s %-12s %7s %-7s %5s %9s %6s %9s %9s "
		   "%7s\n", "interface", "tap", "netns", "ifindex", "carrier",
		   "mtu", "to-tap", "arp", "from-tap", "routed", "dropped");
	for (i = 0; i < iface_count(); i++) {
		const struct cp_rep *r = cp_reps[i];

		if (r == NULL)
			continue;
		cli_printf(out, "%-12s %-15s %-12s %7d %-7s %5u %9" PRIu64
			   " %6" PRIu64 " %9" PRIu64 " %9" PRIu64 " %7" PRIu64
			   "\n", r->conf.interface, r->conf.name,
			   r->netns[0] != '\0' ? r->netns : "(ferry's)",
			   r->ifindex, r->carrier ? "up" : "down", r->mtu,
			   r->to_tap, r->arp_copied, r->from_tap,
			   r->from_tap_routed, r->tap_drops);
	}
}

static void
show_copp(struct cli_out *out)
{
	const struct cp_conf *c = cfg_model_section(cp_model, "control_plane");
	uint64_t full = 0;
	unsigned int k, w;

	cli_printf(out, "\n%-12s %9s %7s %12s %12s\n", "copp class", "rate/s",
		   "burst", "packets", "policed");
	for (k = 0; k < COPP_MAX; k++) {
		uint64_t passed, policed;

		cp_copp_sum((enum copp_class)k, &passed, &policed);
		cli_printf(out, "%-12s %9u %7u %12" PRIu64 " %12" PRIu64 "\n",
			   copp_class_name((enum copp_class)k),
			   c->copp.cls[k].rate, c->copp.cls[k].burst, passed,
			   policed);
	}
	for (w = 0; w < graph_worker_count(); w++)
		full += cp_workers[w].queue_full;
	cli_printf(out, "punt queue full: %" PRIu64 "   TAP write drops: %"
		   PRIu64 "\n", full, graph_control_drops(DROP_CP_TAP_WRITE));
}

static int
show_cp(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (cp_model == NULL) {
		cli_error(out, "the control plane is not set up");
		return -ENOENT;
	}
	show_reps(out);
	show_copp(out);
	return 0;
}

static int
rep_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct cp_rep_conf rc = { 0 };
	const char *name = cli_arg(args, "tap-name");
	const char *netns = cli_arg(args, "netns-name");
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	snprintf(rc.interface, sizeof(rc.interface), "%s",
		 cli_arg(args, "interface-name"));
	if (name != NULL)
		snprintf(rc.name, sizeof(rc.name), "%s", name);
	if (netns != NULL)
		snprintf(rc.netns, sizeof(rc.netns), "%s", netns);
	return cli_result(out, cp_representor_add(&rc, err, sizeof(err)), err);
}

static int
rep_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, cp_representor_del(cli_arg(args,
					"interface-name"), err, sizeof(err)),
			  err);
}

static const struct cli_command cp_commands[] = {
	{
		.syntax = "show control-plane",
		.help = "Show running state\n"
			"TAP representors (namespace, ifindex, frames each "
			"way) and CoPP classes (rate, packets, policed)",
		.handler = show_cp,
	},
	{
		.syntax = "control-plane representor add <interface-name> "
			  "[name <tap-name>] [netns <netns-name>]",
		.help = "Control-plane path (TAP representors, CoPP)\n"
			"Linux TAP of a ferry interface\n"
			"Make one, as control_plane.representors does\n"
			"Interface it represents\n"
			"TAP name (default: the interface name, cut to 15)\n"
			"TAP name\n"
			"Network namespace (default: the VRF's, else "
			"ferry's)\n"
			"Namespace name",
		.handler = rep_add,
	},
	{
		.syntax = "control-plane representor del <interface-name>",
		.help = "Control-plane path (TAP representors, CoPP)\n"
			"Linux TAP of a ferry interface\n"
			"Remove it (the TAP vanishes)\n"
			"Interface it represents",
		.handler = rep_del,
	},
};

int
cp_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(cp_arg_types); i++) {
		rc = cli_register_arg_type(&cp_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(cp_commands, RTE_DIM(cp_commands));
}
