/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the CLI tokenizer, grammar matcher, help and
 * completion, on a command table that uses every grammar feature (typed
 * arguments of every built-in type, optional groups, shared prefixes).
 * The input is one line; it is executed, completed at every cursor
 * position and asked for `?` help.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
handler(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *v = cli_arg(args, "word");

	(void)arg;
	cli_printf(out, "%s %s %s\n", v ? v : "-",
		   cli_has_word(args, "vrf") ? "vrf" : "",
		   cli_arg_n(args, "ipv4", 1) ? "2nd" : "");
	return 0;
}

static void
names(const char *prefix, void (*add)(void *ctx, const char *c), void *ctx)
{
	(void)prefix;
	add(ctx, "cust-a");
	add(ctx, "cust-b");
	add(ctx, "core");
}

static int
name_check(const char *tok, const char **why)
{
	if (strlen(tok) > 31) {
		*why = "at most 31 characters";
		return -1;
	}
	return 0;
}

static const struct cli_arg_type name_type = {
	.name = "name", .help = "a name", .check = name_check,
	.example = "cust-a", .complete = names,
};

static const struct cli_command cmds[] = {
	{ "show ip route [vrf <name>] [<ipv4-prefix>]",
	  "Show\nIPv4\nRoutes\nVRF\nVRF name\nPrefix", handler, NULL },
	{ "show interfaces [<name>]", "Show\nInterfaces\nName", handler, NULL },
	{ "ip route add <ipv4-prefix> via <ipv4> [interface <name>] "
	  "[vrf <name>]", "IP\nRoutes\nAdd\nPrefix\nVia\nNext hop\n"
	  "Interface\nName\nVRF\nName", handler, NULL },
	{ "ip route del <ipv4-prefix>", "IP\nRoutes\nDelete\nPrefix",
	  handler, NULL },
	{ "set mtu <uint32> <word>", "Set\nMTU\nBytes\nAnything", handler,
	  NULL },
	{ "neighbour add <ipv4> <ipv4>", "Neighbour\nAdd\nAddress\nAnother",
	  handler, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct cli_completions c;
	struct cli_out *out;
	char *line;
	size_t i;

	if (!ready) {
		if (cli_register_arg_type(&name_type) != 0 ||
		    cli_register(cmds, sizeof(cmds) / sizeof(cmds[0])) != 0)
			abort();
		ready = 1;
	}
	line = malloc(size + 1);
	out = cli_out_buffer();
	if (line == NULL || out == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = '\0';
	cli_execute(line, out);
	for (i = 0; i <= strlen(line); i++) {
		memset(&c, 0, sizeof(c));
		if (cli_complete(line, i, &c) >= 0)
			cli_completions_free(&c);
		cli_help_at(line, i, out);
	}
	cli_out_free(out);
	free(line);
	return 0;
}
