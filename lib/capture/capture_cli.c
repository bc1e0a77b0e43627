/* SPDX-License-Identifier: BSD-3-Clause */
/* `capture start port|node ...`, `capture stop`, `show capture`. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_graph.h>

#include "capture_priv.h"
#include "cli.h"
#include "port.h"

static int
port_name_check(const char *tok, const char **why)
{
	*why = "no such port (see show counters)";
	return port_find(tok) < 0 ? -EINVAL : 0;
}

static void
port_name_complete(const char *prefix,
		   void (*add)(void *ctx, const char *candidate), void *ctx)
{
	unsigned int i;

	RTE_SET_USED(prefix);
	for (i = 0; i < port_count(); i++)
		add(ctx, port_get(i)->name);
}

static int
node_name_check(const char *tok, const char **why)
{
	*why = "no such graph node (see show runtime)";
	return rte_node_from_name(tok) == RTE_NODE_ID_INVALID ? -EINVAL : 0;
}

static void
node_name_complete(const char *prefix,
		   void (*add)(void *ctx, const char *candidate), void *ctx)
{
	rte_node_t id;

	RTE_SET_USED(prefix);
	for (id = 0; id < rte_node_max_count(); id++)
		add(ctx, rte_node_id_to_name(id));
}

static const struct cli_arg_type capture_arg_types[] = {
	{ .name = "port-name", .help = "name of a port (ports section)",
	  .check = port_name_check, .example = "core",
	  .complete = port_name_complete },
	{ .name = "node-name", .help = "name of a graph node",
	  .check = node_name_check, .example = "ferry_ip4_lookup",
	  .complete = node_name_complete },
};

static unsigned int
dirs_of(const struct cli_args *args, const char *in, const char *out)
{
	unsigned int d = (cli_has_word(args, in) ? CAPTURE_RX : 0) |
			 (cli_has_word(args, out) ? CAPTURE_TX : 0);

	return d != 0 ? d : CAPTURE_RX | CAPTURE_TX;
}

static int
count_of(struct cli_out *out, const struct cli_args *args, uint32_t *n)
{
	const char *s = cli_arg(args, "uint32");
	unsigned long v = s != NULL ? strtoul(s, NULL, 10) :
			  CAPTURE_COUNT_DEFAULT;

	if (v == 0 || v > CAPTURE_COUNT_MAX) {
		cli_error(out, "count %lu: expected 1..%u", v,
			  CAPTURE_COUNT_MAX);
		return -EINVAL;
	}
	*n = (uint32_t)v;
	return 0;
}

static int
started(struct cli_out *out, int rc)
{
	struct capture_status st;

	capture_status_get(&st);
	if (rc == -EBUSY)
		cli_error(out, "a capture runs already (%s); capture stop "
			  "first", st.what);
	else if (rc < 0)
		cli_error(out, "cannot capture: %s", strerror(-rc));
	else
		cli_printf(out, "capturing %s to %s, at most %u packets\n",
			   st.what, st.path, st.count);
	return rc;
}

static int
capture_port(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint32_t n;

	RTE_SET_USED(arg);
	if (count_of(out, args, &n) < 0)
		return -EINVAL;
	return started(out, capture_port_start(
		(unsigned int)port_find(cli_arg(args, "port-name")),
		dirs_of(args, "rx", "tx"), cli_arg(args, "word"), n));
}

static int
capture_node(struct cli_out *out, const struct cli_args *args, void *arg)
{
	uint32_t n;

	RTE_SET_USED(arg);
	if (count_of(out, args, &n) < 0)
		return -EINVAL;
	return started(out, capture_node_start(cli_arg(args, "node-name"),
		dirs_of(args, "before", "after"), cli_arg(args, "word"), n));
}

static int
capture_stop_cmd(struct cli_out *out, const struct cli_args *args,
		 void *arg)
{
	struct capture_status st;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	capture_stop();
	capture_status_get(&st);
	if (st.path[0] != '\0')
		cli_printf(out, "%s: %" PRIu64 " packets written, %" PRIu64
			   " lost\n", st.path, st.written, st.lost);
	return 0;
}

static int
show_capture(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct capture_status st;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	capture_status_get(&st);
	if (st.pdump)
		cli_printf(out, "dpdk-pdump: available\n");
	else
		cli_printf(out, "dpdk-pdump: not available: %s\n",
			   st.pdump_why);
	if (st.path[0] == '\0') {
		cli_printf(out, "no capture yet\n");
		return 0;
	}
	if (st.both) /* each chosen packet: once before, once after */
		cli_printf(out, "%s %s to %s: %" PRIu64 " frames of %u "
			   "packets (before and after) written, %" PRIu64
			   " lost\n", st.active ? "capturing" : "captured",
			   st.what, st.path, st.written, st.count, st.lost);
	else
		cli_printf(out, "%s %s to %s: %" PRIu64 " of %u packets "
			   "written, %" PRIu64 " lost\n",
			   st.active ? "capturing" : "captured", st.what,
			   st.path, st.written, st.count, st.lost);
	return 0;
}

static const struct cli_command capture_commands[] = {
	{
		.syntax = "capture start port <port-name> [rx] [tx] "
			  "file <word> [count <uint32>]",
		.help = "Packet capture\n"
			"Start a capture to a pcapng file\n"
			"Capture what a port receives and/or transmits\n"
			"Port name\n"
			"Received packets (default: both directions)\n"
			"Packets offered for transmission\n"
			"pcapng file to write\n"
			"File path (relative to ferry's directory)\n"
			"Stop after this many packets\n"
			"Packets, 1..10000000 (default 1000)",
		.handler = capture_port,
	},
	{
		.syntax = "capture start node <node-name> [before] [after] "
			  "file <word> [count <uint32>]",
		.help = "Packet capture\n"
			"Start a capture to a pcapng file\n"
			"Capture what a graph node is given and/or passes "
			"on\n"
			"Node name (as in show runtime)\n"
			"Packets the node is given (default: both)\n"
			"Packets the node passes to its next nodes\n"
			"pcapng file to write\n"
			"File path (relative to ferry's directory)\n"
			"Stop after this many packets\n"
			"Packets, 1..10000000 (default 1000)",
		.handler = capture_node,
	},
	{
		.syntax = "capture stop",
		.help = "Packet capture\n"
			"Stop the capture and close its file",
		.handler = capture_stop_cmd,
	},
	{
		.syntax = "show capture",
		.help = "Show running state\n"
			"The current or last capture, and whether dpdk-pdump "
			"can attach",
		.handler = show_capture,
		.read_only = true,
	},
};

int
capture_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(capture_arg_types); i++) {
		rc = cli_register_arg_type(&capture_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(capture_commands, RTE_DIM(capture_commands));
}
