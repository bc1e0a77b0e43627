/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "acls" config section: its schema table and the check that ties
 * rules and bindings to interfaces and VRFs before anything is applied.
 * A rule's check (acl_rule_check) is shared with the CLI. Errors read
 *   FILE:LINE: acls.[0].rules.[2].dport: "90-80": REASON
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "classify_priv.h"

#define PATH_LEN 96
#define VAL_LEN 64

static const struct cfg_enum verdicts[] = {
	{ "permit", ACL_PERMIT },
	{ "deny", ACL_DENY },
	{ NULL, 0 },
};

#define SCHEMA(n, type, f) { .name = n, .fields = f, \
	.n_fields = RTE_DIM(f), .size = sizeof(type) }
#define RULE_STR(key, member, doc_) { key, CFG_STRING, \
	offsetof(struct acl_rule_conf, member), \
	sizeof(((struct acl_rule_conf *)0)->member), .doc = doc_ }

static const struct cfg_field rule_fields[] = {
	RULE_STR("in_interface", in_interface,
		 "match the interface the packet came in on (absent: any; "
		 "for an ACL bound to several)"),
	RULE_STR("vrf", vrf, "match the VRF of that interface (absent: any)"),
	{ "src", CFG_IPV4_PREFIX, offsetof(struct acl_rule_conf, src),
	  sizeof(struct cfg_ipv4_prefix), .def = "\"0.0.0.0/0\"",
	  .doc = "source prefix" },
	{ "dst", CFG_IPV4_PREFIX, offsetof(struct acl_rule_conf, dst),
	  sizeof(struct cfg_ipv4_prefix), .def = "\"0.0.0.0/0\"",
	  .doc = "destination prefix" },
	RULE_STR("proto", proto,
		 "IP protocol: tcp, udp, icmp, sctp, gre, esp or 0..255 "
		 "(absent: any)"),
	RULE_STR("sport", sport,
		 "source port \"N\" or range \"N-M\" (TCP, UDP, SCTP; other "
		 "packets and later fragments have port 0)"),
	RULE_STR("dport", dport, "destination port \"N\" or range \"N-M\""),
	RULE_STR("dscp", dscp,
		 "match the DSCP: 0..63 or be, cs0-cs7, af11-af43, ef, va, "
		 "le (absent: any)"),
	{ "action", CFG_ENUM, offsetof(struct acl_rule_conf, action),
	  sizeof(int), .def = "\"permit\"", .enums = verdicts,
	  .doc = "permit (go on, with the settings below) or deny (drop as "
		 "acl_deny); the first matching rule decides" },
	{ "class", CFG_UINT, offsetof(struct acl_rule_conf, qos_class), 4, 0,
	  UINT16_MAX,
	  .doc = "permit: egress QoS class for lib/qos (0: the port's "
		 "default)" },
	RULE_STR("set_dscp", set_dscp,
		 "permit: rewrite the DSCP (ECN kept, checksum updated)"),
	RULE_STR("set_tc", set_tc,
		 "permit: TC 0..7 of MPLS labels pushed for the packet "
		 "(instead of mpls.tc_map)"),
};

static const struct cfg_schema rule_schema =
	SCHEMA("acl_rule", struct acl_rule_conf, rule_fields);

static const struct cfg_field acl_fields[] = {
	{ "name", CFG_STRING, offsetof(struct acl_conf, name), ACL_NAME_LEN,
	  .required = true, .doc = "name of the ACL (letters, digits, - _ .)" },
	{ "default", CFG_ENUM, offsetof(struct acl_conf, default_action),
	  sizeof(int), .def = "\"permit\"", .enums = verdicts,
	  .doc = "what happens to packets no rule matches; deny gives "
		 "security-group semantics (only what is permitted passes)" },
	{ "interfaces", CFG_STRING_LIST, offsetof(struct acl_conf, interfaces),
	  IFACE_NAME_LEN,
	  .doc = "interfaces whose received IPv4 packets this ACL filters "
		 "(ingress); an interface has at most one ACL" },
	{ "rules", CFG_LIST, offsetof(struct acl_conf, rules),
	  sizeof(struct acl_rule_conf), 0, ACL_RULES_MAX, .sub = &rule_schema,
	  .doc = "rules in order; the first that matches decides" },
};

/* ACLs are rows keyed by name; their rules change with them (order
 * matters), and one batch commit rebuilds what changed (rte_acl
 * contexts cost a build each): acl_commit(). */
static const struct cfg_list_ops acl_list_ops = {
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
	.commit = acl_commit,
};

const struct cfg_schema acl_conf_schema = {
	.name = "acl",
	.fields = acl_fields,
	.n_fields = RTE_DIM(acl_fields),
	.size = sizeof(struct acl_conf),
	.keys = (const char *const[]){ "name", NULL },
	.ops = &acl_list_ops,
};

bool
acl_rule_equal(const struct acl_rule_conf *a, const struct acl_rule_conf *b)
{
	return cfg_group_equal(&rule_schema, a, b, NULL);
}

const char *
acl_name_check(const char *name)
{
	const char *p;

	for (p = name; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && strchr("-_.", *p) == NULL)
			return "ACL names take letters, digits, '-', '_' "
			       "and '.'";
	return p == name ? "empty ACL name" : NULL;
}

static bool
iface_conf_exists(const struct cfg_model *m, const char *name)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct iface_conf *ic = ifs != NULL ? ifs->items : NULL;
	unsigned int i;

	for (i = 0; ifs != NULL && i < ifs->n; i++)
		if (strcmp(ic[i].name, name) == 0)
			return true;
	return false;
}

static const char *
quoted(char *val, size_t len, const char *s)
{
	snprintf(val, len, "\"%s\"", s);
	return val;
}

/* The text fields, each parsed as the build will parse it. */
enum text_kind { T_PROTO, T_PORTS, T_DSCP, T_TC };

static const struct {
	const char *field;
	size_t offset;
	enum text_kind kind;
} text_fields[] = {
	{ ".proto", offsetof(struct acl_rule_conf, proto), T_PROTO },
	{ ".sport", offsetof(struct acl_rule_conf, sport), T_PORTS },
	{ ".dport", offsetof(struct acl_rule_conf, dport), T_PORTS },
	{ ".dscp", offsetof(struct acl_rule_conf, dscp), T_DSCP },
	{ ".set_dscp", offsetof(struct acl_rule_conf, set_dscp), T_DSCP },
	{ ".set_tc", offsetof(struct acl_rule_conf, set_tc), T_TC },
};

static int
text_parse(enum text_kind kind, const char *s, const char **why)
{
	uint16_t lo, hi;
	int v;

	switch (kind) {
	case T_PROTO:
		return acl_proto_parse(s, &v, why);
	case T_PORTS:
		return acl_ports_parse(s, &lo, &hi, why);
	case T_DSCP:
		return acl_dscp_parse(s, &v, why);
	default:
		return acl_tc_parse(s, &v, why);
	}
}

static const char *
rule_text_check(const struct acl_rule_conf *rc, const char **field,
		char *val, size_t len)
{
	const char *why = NULL, *s;
	unsigned int i;

	for (i = 0; i < RTE_DIM(text_fields); i++) {
		s = (const char *)rc + text_fields[i].offset;
		if (text_parse(text_fields[i].kind, s, &why) == 0)
			continue;
		*field = text_fields[i].field;
		quoted(val, len, s);
		return why;
	}
	return NULL;
}

const char *
acl_rule_check(const struct cfg_model *m, const struct acl_rule_conf *rc,
	       const char **field, char *val, size_t len)
{
	const char *why = rule_text_check(rc, field, val, len);
	int proto;

	if (why != NULL)
		return why;
	acl_proto_parse(rc->proto, &proto, NULL);
	if ((rc->sport[0] != '\0' || rc->dport[0] != '\0') &&
	    proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	    proto != IPPROTO_SCTP) {
		*field = rc->sport[0] != '\0' ? ".sport" : ".dport";
		quoted(val, len, rc->sport[0] != '\0' ? rc->sport : rc->dport);
		return "ports need proto tcp, udp or sctp";
	}
	if (rc->in_interface[0] != '\0' &&
	    !iface_conf_exists(m, rc->in_interface)) {
		*field = ".in_interface";
		quoted(val, len, rc->in_interface);
		return "no such interface";
	}
	/* "default" is always a VRF an ACL may name (bound or not) */
	if (rc->vrf[0] != '\0' && strcmp(rc->vrf, VRF_DEFAULT_NAME) != 0 &&
	    !route_conf_vrf_exists(m, rc->vrf)) {
		*field = ".vrf";
		quoted(val, len, rc->vrf);
		return "no such VRF";
	}
	if (rc->action == ACL_DENY && (rc->qos_class != 0 ||
	    rc->set_dscp[0] != '\0' || rc->set_tc[0] != '\0')) {
		*field = ".action";
		quoted(val, len, "deny");
		return "a deny rule cannot set class, set_dscp or set_tc "
		       "(the packet is dropped)";
	}
	return NULL;
}

static int
check_rules(struct cfg_ctx *ctx, const struct cfg_model *m,
	    const struct acl_conf *ac, unsigned int i)
{
	const struct acl_rule_conf *rc = ac->rules.items;
	char path[PATH_LEN], val[VAL_LEN];
	const char *why, *field;
	unsigned int j;
	int errors = 0;

	for (j = 0; j < ac->rules.n; j++) {
		val[0] = '\0';
		why = acl_rule_check(m, &rc[j], &field, val, sizeof(val));
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "acls.[%u].rules.[%u]%s", i, j,
			 field);
		cfg_error(ctx, path, val[0] != '\0' ? val : NULL, "%s", why);
		errors++;
	}
	return errors;
}

/* Bound interfaces exist and each has one ACL at most. */
static int
check_interfaces(struct cfg_ctx *ctx, const struct cfg_model *m,
		 const struct acl_conf *ac, unsigned int i)
{
	const char *names = ac->interfaces.items, *name, *owner;
	char path[PATH_LEN], val[VAL_LEN];
	unsigned int j, k;
	int errors = 0;

	for (j = 0; j < ac->interfaces.n; j++) {
		const char *why = NULL;

		name = names + j * IFACE_NAME_LEN;
		owner = acl_conf_of_iface(m, name);
		if (!iface_conf_exists(m, name))
			why = "no such interface";
		else if (strcmp(owner, ac->name) != 0)
			why = "interface already bound to another ACL";
		for (k = 0; why == NULL && k < j; k++)
			if (strcmp(names + k * IFACE_NAME_LEN, name) == 0)
				why = "interface listed twice";
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "acls.[%u].interfaces.[%u]", i, j);
		cfg_error(ctx, path, quoted(val, sizeof(val), name), "%s", why);
		errors++;
	}
	return errors;
}

static int
acl_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct cfg_array *a = cfg_model_section(model, "acls");
	const struct acl_conf *ac = a->items;
	char path[PATH_LEN], val[VAL_LEN];
	unsigned int i, rules = 0;
	const char *why;
	int errors = 0;

	for (i = 0; i < a->n; i++) {
		why = acl_name_check(ac[i].name);
		if (why != NULL) {
			snprintf(path, sizeof(path), "acls.[%u].name", i);
			cfg_error(ctx, path,
				  quoted(val, sizeof(val), ac[i].name), "%s",
				  why);
			errors++;
		}
		errors += check_rules(ctx, model, &ac[i], i);
		errors += check_interfaces(ctx, model, &ac[i], i);
		rules += ac[i].rules.n;
	}
	if (errors == 0 && rules > ACL_RULES_MAX) {
		cfg_error(ctx, "acls", NULL, "%u rules in all; at most %u",
			  rules, ACL_RULES_MAX);
		errors++;
	}
	return errors;
}

const struct cfg_section acl_cfg_section = {
	.key = "acls",
	.type = CFG_LIST,
	.schema = &acl_conf_schema,
	.max = ACL_MAX,
	.doc = "Named, ordered ACLs (rte_acl) filtering and marking the IPv4 "
	       "packets received on the interfaces they are bound to. The "
	       "first matching rule decides: deny drops the packet (counted "
	       "as acl_deny and on the rule), permit lets it on and may set "
	       "its QoS class, DSCP and MPLS TC; a packet no rule matches "
	       "takes the ACL's default. Rules are IPv4: an IPv6 packet "
	       "on a bound interface takes the default (deny drops it as "
	       "acl_ipv6_default_deny). Bindings live here "
	       "(acls.[].interfaces), not in the interfaces section.",
	.check = acl_check,
};
