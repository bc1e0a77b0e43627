/* SPDX-License-Identifier: BSD-3-Clause */
/* `show fpm`: the session, its generation, FRR's routes, counters. */
#include <errno.h>
#include <inttypes.h>

#include "cli.h"
#include "fpm_priv.h"
#include "route.h"

static const char *const state_names[] = {
	[FPM_IDLE] = "idle",
	[FPM_SYNCING] = "syncing",
	[FPM_SYNCED] = "synced",
	[FPM_GRACE] = "grace",
};

static const char *const ctr_names[] = {
#define _FPM_CTR_NAME(e, n) [FPM_CTR_##e] = n,
	FOREACH_FPM_CTR(_FPM_CTR_NAME)
#undef _FPM_CTR_NAME
};

static int
show_fpm(struct cli_out *out, const struct cli_args *args, void *arg)
{
	unsigned int i;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (fpm.listen_fd < 0) {
		cli_empty(out, "FPM server");
		return 0;
	}
	cli_printf(out, "fpm: %s:%u%s%s  state %s  peer %s  generation %u\n",
		   fpm.conf.address, fpm.conf.port,
		   fpm.conf.netns[0] ? " netns " : "", fpm.conf.netns,
		   state_names[fpm.state], fpm.fd >= 0 ? fpm.peer : "-",
		   fpm.gen);
	cli_printf(out, "frr routes: %" PRIu64 "  distance %u, static %u: "
		   "%s wins\n", route_frr_count(), fpm.conf.distance,
		   fpm.conf.static_distance,
		   fpm.conf.distance < fpm.conf.static_distance ? "frr" :
		   "static");
	cli_printf(out, "frr ipv6 routes: %" PRIu64 "\n", route6_frr_count());
	cli_printf(out, "next-hop objects: %u\n", fpm_nh_count());
	for (i = 0; i < FPM_CTR_MAX; i++)
		cli_printf(out, "  %-20s %" PRIu64 "\n", ctr_names[i],
			   fpm.ctr[i]);
	for (i = 1; i < FPM_ERR_MAX; i++)
		cli_printf(out, "  %-20s %" PRIu64 "\n", fpm_err_name(i),
			   fpm.err[i]);
	return 0;
}

static const struct cli_command fpm_commands[] = {
	{
		.syntax = "show fpm",
		.help = "Show running state\n"
			"FPM server for FRR's zebra: session, routes, "
			"counters",
		.handler = show_fpm,
		.read_only = true,
	},
};

int
fpm_cli_register(void)
{
	return cli_register(fpm_commands, RTE_DIM(fpm_commands));
}
