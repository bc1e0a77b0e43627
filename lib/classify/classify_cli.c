/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI commands of lib/classify: `show acl [NAME]` with per-rule hit
 * counters (summed over workers), and the `acl ...` changes, which go
 * through classify_change.c: all or nothing, recorded in the model.
 * Rules are shown in the words `acl rule add` takes, so a line of
 * `show acl` can be pasted back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cli.h"
#include "classify_priv.h"

#define ERR_LEN 200

/* The optional match and mark words of a rule, in the order
 * acl_rule_format() writes them. */
#define RULE_WORDS \
	"[in-interface <interface-name>] [vrf <vrf-name>] " \
	"[src <src-prefix>] [dst <dst-prefix>] [proto <ip-proto>] " \
	"[sport <src-ports>] [dport <dst-ports>] [dscp <dscp>] " \
	"[class <qos-class>] [set-dscp <new-dscp>] [set-tc <mpls-tc>]"
#define RULE_HELP \
	"Match the interface the packet came in on\nInterface name\n" \
	"Match the VRF\nVRF name\n" \
	"Match the source\nSource prefix\n" \
	"Match the destination\nDestination prefix\n" \
	"Match the IP protocol\ntcp, udp, icmp, esp, gre, ospf, ... or 0..255\n" \
	"Match the source port\nPort N or range N-M\n" \
	"Match the destination port\nPort N or range N-M\n" \
	"Match the DSCP\nDSCP 0..63 or name (ef, af41, cs1...)\n" \
	"Set the QoS class (permit)\nClass 1..65535\n" \
	"Rewrite the DSCP (permit)\nDSCP 0..63 or name\n" \
	"Set the TC of pushed MPLS labels (permit)\nTC 0..7"

static void
add_word(char *buf, size_t len, const char *word, const char *val)
{
	size_t n = strlen(buf);

	if (val[0] != '\0' && n < len)
		snprintf(buf + n, len - n, " %s %s", word, val);
}

void
acl_rule_format(const struct acl_rule_conf *rc, char *buf, size_t len)
{
	char ip[20], pfx[24], cls[12] = "";

	snprintf(buf, len, "%s", rc->action == ACL_DENY ? "deny" : "permit");
	add_word(buf, len, "in-interface", rc->in_interface);
	add_word(buf, len, "vrf", rc->vrf);
	if (rc->src.len != 0) {
		snprintf(pfx, sizeof(pfx), "%s/%u",
			 cfg_format_ipv4(rc->src.addr, ip, sizeof(ip)),
			 rc->src.len);
		add_word(buf, len, "src", pfx);
	}
	if (rc->dst.len != 0) {
		snprintf(pfx, sizeof(pfx), "%s/%u",
			 cfg_format_ipv4(rc->dst.addr, ip, sizeof(ip)),
			 rc->dst.len);
		add_word(buf, len, "dst", pfx);
	}
	add_word(buf, len, "proto", rc->proto);
	add_word(buf, len, "sport", rc->sport);
	add_word(buf, len, "dport", rc->dport);
	add_word(buf, len, "dscp", rc->dscp);
	if (rc->qos_class != 0)
		snprintf(cls, sizeof(cls), "%u", rc->qos_class);
	add_word(buf, len, "class", cls);
	add_word(buf, len, "set-dscp", rc->set_dscp);
	add_word(buf, len, "set-tc", rc->set_tc);
}

static void
show_one(struct cli_out *out, const struct acl_conf *ac)
{
	const struct acl_rule_conf *rc = ac->rules.items;
	const char *names = ac->interfaces.items;
	char text[256];
	unsigned int i;

	cli_printf(out, "acl %s: default %s, %u rules, interfaces:", ac->name,
		   ac->default_action == ACL_DENY ? "deny" : "permit",
		   ac->rules.n);
	for (i = 0; i < ac->interfaces.n; i++)
		cli_printf(out, " %s", names + i * IFACE_NAME_LEN);
	cli_printf(out, "%s\n", ac->interfaces.n == 0 ? " none" : "");
	cli_printf(out, "  %-6s %-14s %s\n", "rule", "hits", "match / action");
	for (i = 0; i < ac->rules.n; i++) {
		acl_rule_format(&rc[i], text, sizeof(text));
		cli_printf(out, "  %-6u %-14" PRIu64 " %s\n", i + 1,
			   acl_hits(ac->name, i + 1), text);
	}
	cli_printf(out, "  %-6s %-14" PRIu64 " %s\n", "-",
		   acl_hits(ac->name, 0),
		   ac->default_action == ACL_DENY ? "deny (default)" :
		   "permit (default)");
}

static int
show_acl(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct cfg_array *a = classify_model == NULL ? NULL :
		cfg_model_section(classify_model, "acls");
	const struct acl_conf *ac = a != NULL ? a->items : NULL;
	const char *name = cli_arg(args, "acl-name");
	unsigned int i, shown = 0;

	RTE_SET_USED(arg);
	for (i = 0; a != NULL && i < a->n; i++) {
		if (name != NULL && strcmp(name, ac[i].name) != 0)
			continue;
		show_one(out, &ac[i]);
		shown++;
	}
	if (name != NULL && shown == 0) {
		cli_error(out, "no acl %s", name);
		return -ENOENT;
	}
	if (shown == 0)
		cli_printf(out, "no ACLs\n");
	return 0;
}

static int
verdict_of(const struct cli_args *args)
{
	const char *v = cli_arg(args, "acl-verdict");

	return v != NULL && strcmp(v, "deny") == 0 ? ACL_DENY : ACL_PERMIT;
}

static void
arg_copy(char *dst, size_t len, const struct cli_args *args,
	 const char *name)
{
	const char *s = cli_arg(args, name);

	snprintf(dst, len, "%s", s != NULL ? s : "");
}

static void
arg_prefix(const struct cli_args *args, const char *name,
	   struct cfg_ipv4_prefix *p)
{
	const char *s = cli_arg(args, name);

	if (s != NULL)
		cfg_parse_ipv4_prefix(s, true, p, NULL);
}

static void
rule_of_args(const struct cli_args *args, struct acl_rule_conf *rc)
{
	const char *cls = cli_arg(args, "qos-class");

	memset(rc, 0, sizeof(*rc));
	rc->action = verdict_of(args);
	arg_copy(rc->in_interface, sizeof(rc->in_interface), args,
		 "interface-name");
	arg_copy(rc->vrf, sizeof(rc->vrf), args, "vrf-name");
	arg_prefix(args, "src-prefix", &rc->src);
	arg_prefix(args, "dst-prefix", &rc->dst);
	arg_copy(rc->proto, sizeof(rc->proto), args, "ip-proto");
	arg_copy(rc->sport, sizeof(rc->sport), args, "src-ports");
	arg_copy(rc->dport, sizeof(rc->dport), args, "dst-ports");
	arg_copy(rc->dscp, sizeof(rc->dscp), args, "dscp");
	rc->qos_class = cls != NULL ? (uint32_t)strtoul(cls, NULL, 10) : 0;
	arg_copy(rc->set_dscp, sizeof(rc->set_dscp), args, "new-dscp");
	arg_copy(rc->set_tc, sizeof(rc->set_tc), args, "mpls-tc");
}

static unsigned int
arg_pos(const struct cli_args *args)
{
	const char *s = cli_arg(args, "rule-number");

	return s != NULL ? (unsigned int)strtoul(s, NULL, 10) : 0;
}

static int
rule_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct acl_rule_conf rc;
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	rule_of_args(args, &rc);
	return cli_result(out, acl_rule_insert(cli_arg(args, "acl-name"),
					       arg_pos(args), &rc, err,
					       sizeof(err)), err);
}

static int
rule_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_rule_delete(cli_arg(args, "acl-name"),
					       arg_pos(args), err,
					       sizeof(err)), err);
}

static int
create_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_create(cli_arg(args, "acl-name"),
					  verdict_of(args), err, sizeof(err)),
			  err);
}

static int
delete_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_delete(cli_arg(args, "acl-name"), err,
					  sizeof(err)), err);
}

static int
set_default(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_default_set(cli_arg(args, "acl-name"),
					       verdict_of(args), err,
					       sizeof(err)), err);
}

static int
bind_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_bind(cli_arg(args, "acl-name"),
					cli_arg(args, "interface-name"), err,
					sizeof(err)), err);
}

static int
unbind_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN];

	RTE_SET_USED(arg);
	return cli_result(out, acl_unbind(cli_arg(args, "interface-name"),
					  err, sizeof(err)), err);
}

static int
name_check(const char *tok, const char **why)
{
	*why = acl_name_check(tok);
	if (*why == NULL && strlen(tok) >= ACL_NAME_LEN)
		*why = "ACL name too long";
	return *why == NULL ? 0 : -EINVAL;
}

static void
name_complete(const char *prefix,
	      void (*add)(void *ctx, const char *candidate), void *ctx)
{
	const struct cfg_array *a = classify_model == NULL ? NULL :
		cfg_model_section(classify_model, "acls");
	const struct acl_conf *ac = a != NULL ? a->items : NULL;
	unsigned int i;

	RTE_SET_USED(prefix);
	for (i = 0; a != NULL && i < a->n; i++)
		add(ctx, ac[i].name);
}

static int
verdict_check(const char *tok, const char **why)
{
	*why = "expected permit or deny";
	return strcmp(tok, "permit") == 0 || strcmp(tok, "deny") == 0 ?
		0 : -EINVAL;
}

static int
prefix_check(const char *tok, const char **why)
{
	struct cfg_ipv4_prefix p;

	return cfg_parse_ipv4_prefix(tok, true, &p, why);
}

static int
ports_check(const char *tok, const char **why)
{
	uint16_t lo, hi;

	return acl_ports_parse(tok, &lo, &hi, why);
}

static int
dscp_check(const char *tok, const char **why)
{
	int v;

	return acl_dscp_parse(tok, &v, why);
}

static int
tc_check(const char *tok, const char **why)
{
	int v;

	return acl_tc_parse(tok, &v, why);
}

static int
number_check(const char *tok, const char **why, unsigned long lo,
	     unsigned long hi)
{
	char *end;
	unsigned long v = strtoul(tok, &end, 10);

	if (tok[0] < '0' || tok[0] > '9' || *end != '\0' || v < lo || v > hi)
		return -EINVAL;
	*why = NULL;
	return 0;
}

static int
class_check(const char *tok, const char **why)
{
	*why = "expected a class 1..65535";
	return number_check(tok, why, 1, UINT16_MAX);
}

static int
rule_number_check(const char *tok, const char **why)
{
	*why = "expected a rule number 1..60000 (as show acl numbers them)";
	return number_check(tok, why, 1, ACL_RULES_MAX);
}

static struct cli_arg_type classify_arg_types[] = {
	{ .name = "acl-name", .help = "name of an ACL",
	  .check = name_check, .example = "web", .complete = name_complete },
	{ .name = "acl-verdict", .help = "permit or deny",
	  .check = verdict_check, .example = "deny" },
	{ .name = "src-prefix", .help = "source prefix a.b.c.d/len",
	  .check = prefix_check, .example = "203.0.113.0/24" },
	{ .name = "dst-prefix", .help = "destination prefix a.b.c.d/len",
	  .check = prefix_check, .example = "198.51.100.0/24" },
	{ .name = "src-ports", .help = "source port N or range N-M",
	  .check = ports_check, .example = "1024-65535" },
	{ .name = "dst-ports", .help = "destination port N or range N-M",
	  .check = ports_check, .example = "8080" },
	{ .name = "dscp", .help = "DSCP 0..63 or a name (be, cs1, af41, ef)",
	  .check = dscp_check, .example = "ef" },
	{ .name = "new-dscp", .help = "DSCP 0..63 or a name to write",
	  .check = dscp_check, .example = "af41" },
	{ .name = "mpls-tc", .help = "MPLS TC 0..7", .check = tc_check,
	  .example = "5" },
	{ .name = "qos-class", .help = "QoS class 1..65535",
	  .check = class_check, .example = "2" },
	{ .name = "rule-number", .help = "rule number as show acl gives it",
	  .check = rule_number_check, .example = "1" },
};

static const struct cli_command classify_commands[] = {
	{
		.syntax = "show acl [<acl-name>]",
		.help = "Show running state\n"
			"ACLs: rules in order with hit counters, default, "
			"interfaces\n"
			"Only this ACL",
		.handler = show_acl,
		.read_only = true,
	},
	{
		.syntax = "acl create <acl-name> default <acl-verdict>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Create an ACL without rules\nACL name\n"
			"What packets no rule matches get\npermit or deny",
		.handler = create_cmd,
	},
	{
		.syntax = "acl delete <acl-name>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Delete an ACL (unbind it first)\nACL name",
		.handler = delete_cmd,
	},
	{
		.syntax = "acl default <acl-name> <acl-verdict>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Set what packets no rule matches get\nACL name\n"
			"permit or deny",
		.handler = set_default,
	},
	{
		.syntax = "acl rule add <acl-name> <acl-verdict> " RULE_WORDS,
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Rules\nAppend a rule (matched last)\nACL name\n"
			"permit or deny\n" RULE_HELP,
		.handler = rule_add,
	},
	{
		.syntax = "acl rule insert <acl-name> <rule-number> "
			  "<acl-verdict> " RULE_WORDS,
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Rules\nInsert a rule before another\nACL name\n"
			"Number the new rule gets (show acl)\n"
			"permit or deny\n" RULE_HELP,
		.handler = rule_add,
	},
	{
		.syntax = "acl rule del <acl-name> <rule-number>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Rules\nDelete a rule\nACL name\n"
			"Rule number (show acl)",
		.handler = rule_del,
	},
	{
		.syntax = "acl bind <acl-name> <interface-name>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Filter an interface's received IPv4 packets\n"
			"ACL name\nInterface name",
		.handler = bind_cmd,
	},
	{
		.syntax = "acl unbind <interface-name>",
		.help = "ACLs (ingress IPv4 filters and marking)\n"
			"Stop filtering an interface\nInterface name",
		.handler = unbind_cmd,
	},
};

int
classify_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(classify_arg_types); i++) {
		rc = cli_register_arg_type(&classify_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(classify_commands, RTE_DIM(classify_commands));
}
