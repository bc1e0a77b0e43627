/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "cli" section of the configuration file: where the telnet CLI
 * listens and how many sessions it keeps. Declared as a table for the
 * config engine (lib/config), which parses, bounds-checks, defaults,
 * writes and documents it; only the address needs a check of its own.
 */
#include <grp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "cli.h"

#define CONF_FIELD(k) \
	.key = #k, .offset = offsetof(struct cli_conf, k), \
	.size = sizeof(((struct cli_conf *)0)->k)

static const struct cfg_field cli_conf_fields[] = {
	{ CONF_FIELD(address), .type = CFG_STRING, .def = "\"127.0.0.1\"",
	  .doc = "IPv4 address the telnet CLI listens on (a.b.c.d); an "
		 "address beyond loopback (127.0.0.0/8) needs a password" },
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
		 "2 s; the third closes it. After 3 failures from one "
		 "address, it waits 2 s before its next try, then 4 s, ... "
		 "up to 60 s. With a password and no enable_secret, a login "
		 "is privileged" },
	{ CONF_FIELD(enable_secret), .type = CFG_STRING, .secret = true,
	  .doc = "crypt(3) hash (as password) of the secret `enable` asks "
		 "for before a telnet session may change anything; absent = "
		 "telnet sessions without the password only look (show "
		 "commands): changes go through the Unix socket" },
	{ CONF_FIELD(login_timeout), .type = CFG_UINT, .min = 0, .max = 3600,
	  .def = "15",
	  .doc = "seconds a telnet session may take to log in (without a "
		 "password: to send its first line) before it is closed; "
		 "0 = no limit" },
	{ CONF_FIELD(max_per_source), .type = CFG_UINT, .min = 0, .max = 64,
	  .def = "4",
	  .doc = "telnet sessions one IPv4 address may hold at once; "
		 "0 = no limit" },
	{ CONF_FIELD(socket), .type = CFG_STRING,
	  .def = "\"" CLI_SOCKET_DEFAULT "\"",
	  .doc = "Unix socket of the CLI (ferryctl's default): its sessions "
		 "are privileged, and one slot beyond max_sessions is theirs "
		 "alone; \"none\" = no socket. The directory is made if "
		 "missing" },
	{ CONF_FIELD(socket_mode), .type = CFG_STRING, .def = "\"0660\"",
	  .doc = "file mode of the socket, octal: who may open it may change "
		 "the router" },
	{ CONF_FIELD(socket_group), .type = CFG_STRING,
	  .doc = "group owning the socket (e.g. \"ferry\"); absent = "
		 "ferry's own (root)" },
};

static const struct cfg_schema cli_conf_schema = {
	.name = "cli",
	.fields = cli_conf_fields,
	.n_fields = sizeof(cli_conf_fields) / sizeof(cli_conf_fields[0]),
	.size = sizeof(struct cli_conf),
};

/* A hash field: empty, or a hash this system can check. */
static int
check_hash(struct cfg_ctx *ctx, const char *path, const char *hash)
{
	if (hash[0] == '\0' || cli_password_hash_valid(hash))
		return 0;
	/* never echo what may be a password typed in clear */
	cfg_error(ctx, path, "(hidden)",
		  "not a crypt(3) hash this system can check: give the output "
		  "of `ferry --hash-password`");
	return 1;
}

/* The listener needs a dotted quad; beyond loopback, a password. */
static int
check_address(struct cfg_ctx *ctx, const struct cli_conf *c)
{
	char value[sizeof(c->address) + 2];
	uint32_t addr;

	snprintf(value, sizeof(value), "\"%s\"", c->address);
	if (cfg_parse_ipv4(c->address, &addr) != 0) {
		cfg_error(ctx, "cli.address", value,
			  "expected an IPv4 address a.b.c.d");
		return 1;
	}
	if ((addr >> 24) != 127 && c->password[0] == '\0') {
		cfg_error(ctx, "cli.address", value,
			  "telnet beyond loopback needs cli.password (telnet "
			  "is clear text: prefer the Unix socket, or ssh to "
			  "the host)");
		return 1;
	}
	return 0;
}

static int
check_socket(struct cfg_ctx *ctx, const struct cli_conf *c)
{
	char value[sizeof(c->socket_mode) + 2];
	unsigned long mode;
	char *end;

	if (strcmp(c->socket, "none") != 0 && c->socket[0] != '/') {
		cfg_error(ctx, "cli.socket", c->socket,
			  "expected an absolute path, or \"none\"");
		return 1;
	}
	mode = strtoul(c->socket_mode, &end, 8);
	if (*end != '\0' || end == c->socket_mode || mode > 0777 ||
	    c->socket_mode[0] != '0') {
		snprintf(value, sizeof(value), "\"%s\"", c->socket_mode);
		cfg_error(ctx, "cli.socket_mode", value,
			  "expected an octal file mode such as \"0660\"");
		return 1;
	}
	if (c->socket_group[0] != '\0' && getgrnam(c->socket_group) == NULL) {
		cfg_error(ctx, "cli.socket_group", c->socket_group,
			  "no such group on this system");
		return 1;
	}
	return 0;
}

static int
cli_conf_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cli_conf *c = cfg_model_section(model, "cli");

	if (c == NULL)
		return 0;
	return check_address(ctx, c) +
	       check_hash(ctx, "cli.password", c->password) +
	       check_hash(ctx, "cli.enable_secret", c->enable_secret) +
	       check_socket(ctx, c);
}

const struct cfg_section cli_cfg_section = {
	.key = "cli",
	.type = CFG_GROUP,
	.schema = &cli_conf_schema,
	.required = false,
	.doc = "The management CLI: a telnet server on the management "
	       "lcore (line editing for telnet clients, line mode for nc "
	       "and ferryctl; `help` lists the commands, see doc/cli.md). "
	       "Telnet stays on loopback unless a password is set (it is "
	       "clear text). Telnet sessions without credentials only look; "
	       "`enable` (enable_secret), a password login without an "
	       "enable_secret, or the Unix socket (ferryctl) may change "
	       "things. See doc/operations.md, \"Who may change the "
	       "router\".",
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
	p->enable_secret = c->enable_secret;
	p->login_timeout_s = c->login_timeout;
	p->max_per_source = c->max_per_source;
	p->unix_path = strcmp(c->socket, "none") == 0 ? NULL : c->socket;
	p->unix_mode = (unsigned int)strtoul(c->socket_mode, NULL, 8);
	p->unix_group = c->socket_group;
}

#include "module.h"

/* The server itself is app/ferry's (its management loop). */
const struct ferry_module cli_module = {
	.name = "CLI",
	.sections = (const struct cfg_section *const[]){ &cli_cfg_section,
							 NULL },
};
