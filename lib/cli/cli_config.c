/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "cli" section of the configuration file: where the telnet CLI
 * listens and how many sessions it keeps. Declared as a table for the
 * config engine (lib/config), which parses, bounds-checks, defaults,
 * writes and documents it; only the address needs a check of its own.
 */
#include <stddef.h>
#include <stdio.h>

#include "config.h"

#include "cli.h"

#define CONF_FIELD(k) \
	.key = #k, .offset = offsetof(struct cli_conf, k), \
	.size = sizeof(((struct cli_conf *)0)->k)

static const struct cfg_field cli_conf_fields[] = {
	{ CONF_FIELD(address), .type = CFG_STRING, .def = "\"127.0.0.1\"",
	  .doc = "IPv4 address the telnet CLI listens on (a.b.c.d)" },
	{ CONF_FIELD(port), .type = CFG_UINT, .min = 0, .max = 65535,
	  .def = "8086",
	  .doc = "TCP port of the telnet CLI; 0 picks a free port" },
	{ CONF_FIELD(max_sessions), .type = CFG_UINT, .min = 1, .max = 64,
	  .def = "8",
	  .doc = "sessions at once; one more is told so and closed" },
	{ CONF_FIELD(idle_timeout), .type = CFG_UINT, .min = 0, .max = 86400,
	  .def = "600",
	  .doc = "seconds without input before a session is closed; "
		 "0 = never" },
	{ CONF_FIELD(password), .type = CFG_STRING, .secret = true,
	  .doc = "crypt(3) hash of the password every session must give "
		 "first (`ferry --hash-password` makes one, as do "
		 "`openssl passwd -6` and `mkpasswd -m sha-512`); absent = no "
		 "password. After a wrong one the session waits 1 s, then "
		 "2 s; the third closes it" },
};

static const struct cfg_schema cli_conf_schema = {
	.name = "cli",
	.fields = cli_conf_fields,
	.n_fields = sizeof(cli_conf_fields) / sizeof(cli_conf_fields[0]),
	.size = sizeof(struct cli_conf),
};

/* A string field takes any text; the listener needs a dotted quad. */
static int
cli_conf_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cli_conf *c = cfg_model_section(model, "cli");
	char value[sizeof(c->address) + 2];
	uint32_t addr;

	int errors = 0;

	if (c == NULL)
		return 0;
	if (cfg_parse_ipv4(c->address, &addr) != 0) {
		snprintf(value, sizeof(value), "\"%s\"", c->address);
		cfg_error(ctx, "cli.address", value,
			  "expected an IPv4 address a.b.c.d");
		errors++;
	}
	if (c->password[0] != '\0' && !cli_password_hash_valid(c->password)) {
		/* never echo what may be a password typed in clear */
		cfg_error(ctx, "cli.password", "(hidden)",
			  "not a crypt(3) hash this system can check: give "
			  "the output of `ferry --hash-password`");
		errors++;
	}
	return errors;
}

const struct cfg_section cli_cfg_section = {
	.key = "cli",
	.type = CFG_GROUP,
	.schema = &cli_conf_schema,
	.required = false,
	.doc = "The management CLI: a telnet server on the management "
	       "lcore (line editing for telnet clients, line mode for nc "
	       "and ferryctl; `help` lists the commands, see doc/cli.md). "
	       "Keep it on a loopback or management address, and set a "
	       "password wherever others can reach it: telnet is clear "
	       "text.",
	.check = cli_conf_check,
	.restart = "the CLI listener is opened at start",
};

void
cli_server_params_from_conf(const struct cli_conf *c,
			    struct cli_server_params *p)
{
	snprintf(p->address, sizeof(p->address), "%s", c->address);
	p->port = c->port;
	p->max_sessions = c->max_sessions;
	p->idle_timeout_s = c->idle_timeout;
	p->password = c->password;
}
