/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI of lib/qos: `show qos [PORT]` (per class: configured rate, ceil,
 * priority, queue limit, measured rate, queue depth, drops) and
 * `qos class [add|del] PORT ID ...` and `qos policer add|set|del|bind|
 * unbind ...`, applied live by the port's owner lcore and then written
 * into the running model, so `show running-config` prints what runs. The change is checked with the same
 * rules as the file first; a refused change touches nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cli.h"
#include "qos_priv.h"

static struct qos_port_cfg *
port_cfg_find(const char *name)
{
	struct qos_conf *qc;
	struct qos_port_cfg *pc;
	unsigned int i;

	if (qos_model == NULL)
		return NULL;
	qc = cfg_model_section(qos_model, "qos");
	pc = qc->ports.items;
	for (i = 0; i < qc->ports.n; i++)
		if (strcmp(pc[i].port, name) == 0)
			return &pc[i];
	return NULL;
}

/* "10000000", "10M", "2.5G", "64k": bit/s, as the config file reads them. */
static int
rate_parse(const char *s, uint64_t *bps)
{
	uint64_t v;

	if (cfg_parse_scaled(s, CFG_UNIT_BPS, &v, NULL) < 0 ||
	    v > QOS_RATE_MAX)
		return -EINVAL;
	*bps = v;
	return 0;
}

static int
rate_check(const char *tok, const char **why)
{
	uint64_t v;

	*why = "bit/s, a number with an optional k, M or G";
	return rate_parse(tok, &v);
}

static int
qos_port_check(const char *tok, const char **why)
{
	*why = "not a port with a scheduler (qos.ports)";
	return port_cfg_find(tok) != NULL ? 0 : -EINVAL;
}

/* The names (each row's first field) of list @p offset of "qos". */
static void
names_complete(size_t offset, size_t size,
	       void (*add)(void *ctx, const char *candidate), void *ctx)
{
	const struct cfg_array *a;
	unsigned int i;

	if (qos_model == NULL)
		return;
	a = (const struct cfg_array *)((const char *)cfg_model_section(
		qos_model, "qos") + offset);
	for (i = 0; i < a->n; i++)
		add(ctx, (const char *)a->items + i * size);
}

static void
qos_port_complete(const char *prefix,
		  void (*add)(void *ctx, const char *candidate), void *ctx)
{
	RTE_SET_USED(prefix);
	names_complete(offsetof(struct qos_conf, ports),
		       sizeof(struct qos_port_cfg), add, ctx);
}

/* The value of @p name in enum table @p e, or -1 (also for NULL). */
static int
enum_of(const struct cfg_enum *e, const char *name)
{
	for (; name != NULL && e->name != NULL; e++)
		if (strcmp(e->name, name) == 0)
			return e->value;
	return -1;
}

static int
byte_size_check(const char *tok, const char **why)
{
	uint64_t v;

	*why = "bytes, a number with an optional k, M or G (2^10..)";
	return cfg_parse_scaled(tok, CFG_UNIT_BYTES, &v, NULL) < 0 ||
	       v > (1ull << 32) ? -EINVAL : 0;
}

static int
policer_name_check(const char *tok, const char **why)
{
	*why = "a policer name, at most 31 characters";
	return tok[0] != '\0' && strlen(tok) < QOS_NAME_LEN ? 0 : -EINVAL;
}

static void
policer_name_complete(const char *prefix,
		      void (*add)(void *ctx, const char *candidate), void *ctx)
{
	RTE_SET_USED(prefix);
	names_complete(offsetof(struct qos_conf, policers),
		       sizeof(struct qos_policer_cfg), add, ctx);
}

static int
policer_type_check(const char *tok, const char **why)
{
	*why = "srtcm (RFC 2697) or trtcm (RFC 2698)";
	return enum_of(qos_policer_types, tok) >= 0 ? 0 : -EINVAL;
}

static int
policer_action_check(const char *tok, const char **why)
{
	*why = "transmit, remark or drop";
	return enum_of(qos_policer_actions, tok) >= 0 ? 0 : -EINVAL;
}

static struct cli_arg_type qos_arg_types[] = {
	{ .name = "bit-rate", .help = "a rate in bit/s (k, M, G allowed)",
	  .check = rate_check, .example = "10M" },
	{ .name = "qos-port", .help = "a port with a scheduler",
	  .check = qos_port_check, .example = "out",
	  .complete = qos_port_complete },
	{ .name = "byte-size", .help = "a size in bytes (k, M, G allowed)",
	  .check = byte_size_check, .example = "64k" },
	{ .name = "policer-name", .help = "a policer's name",
	  .check = policer_name_check, .example = "cust1",
	  .complete = policer_name_complete },
	{ .name = "policer-type", .help = "srtcm or trtcm",
	  .check = policer_type_check, .example = "srtcm" },
	{ .name = "policer-action", .help = "transmit, remark or drop",
	  .check = policer_action_check, .example = "drop" },
};

static void
show_policer(struct cli_out *out, const char *name, const char *where,
	     const struct qos_policer *p)
{
	cli_printf(out, "  policer %s (%s, %s): green %" PRIu64 " yellow %"
		   PRIu64 " red %" PRIu64 " packets\n", name, where,
		   qos_policer_type_name(p->conf.type), p->pkts[RTE_COLOR_GREEN],
		   p->pkts[RTE_COLOR_YELLOW], p->pkts[RTE_COLOR_RED]);
}

static void
show_port(struct cli_out *out, const struct qos_port_cfg *pc)
{
	const struct qos_class_cfg *cc = pc->classes.items;
	const struct qos_port_rt *q = qos_ports[port_find(pc->port)];
	struct qos_class_stats st;
	unsigned int j;

	cli_printf(out, "port %s: rate %" PRIu64 " bit/s, overhead %u B, "
		   "default class %u, owner worker %u\n", pc->port, pc->rate,
		   pc->overhead, pc->default_class, q->owner);
	cli_printf(out, "  %-6s %-6s %12s %12s %4s %6s %12s %6s %12s %10s\n",
		   "class", "parent", "rate", "ceil", "prio", "limit",
		   "measured", "queued", "sent", "drops");
	for (j = 0; j < pc->classes.n; j++) {
		qos_sched_class_stats(q->sched, j, &st);
		cli_printf(out, "  %-6u %-6u %12" PRIu64 " %12" PRIu64
			   " %4u %6u %12" PRIu64 " %6u %12" PRIu64 " %10"
			   PRIu64 "\n", cc[j].id, cc[j].parent, cc[j].rate,
			   cc[j].ceil, cc[j].priority, cc[j].queue_limit,
			   q->rate_bps[j], st.qlen, st.sent_pkts, st.drops);
	}
	if (q->port_pol != NULL)
		show_policer(out, pc->policer, "port", q->port_pol);
	for (j = 0; j < pc->classes.n; j++) {
		char where[24];

		if (q->class_pol[j + 1] == NULL)
			continue;
		snprintf(where, sizeof(where), "class %u", cc[j].id);
		show_policer(out, cc[j].policer, where, q->class_pol[j + 1]);
	}
}

static int
show_qos(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *only = cli_arg(args, "qos-port");
	struct qos_conf *qc;
	unsigned int i, n = 0;

	RTE_SET_USED(arg);
	qc = qos_model != NULL ? cfg_model_section(qos_model, "qos") : NULL;
	for (i = 0; qc != NULL && i < qc->ports.n; i++) {
		const struct qos_port_cfg *pc =
			&((struct qos_port_cfg *)qc->ports.items)[i];

		if (only == NULL || strcmp(only, pc->port) == 0) {
			show_port(out, pc);
			n++;
		}
	}
	if (n == 0)
		cli_empty(out, "QoS ports");
	return 0;
}

/* A class's new rate, ceil and priority (UINT32_MAX: unchanged). */
struct class_edit {
	const char *port;
	uint32_t id, prio;
	uint64_t rate, ceil;
};

/* The class list of port @p name in @p m, or NULL with the reason. */
static struct qos_port_cfg *
edit_port(struct cfg_model *m, const char *name, char *err, size_t len)
{
	struct qos_conf *qc = cfg_model_section(m, "qos");
	struct qos_port_cfg key = {}, *pc;

	snprintf(key.port, sizeof(key.port), "%s", name);
	pc = cfg_array_find(&qc->ports, &qos_port_schema, &key);
	if (pc == NULL)
		snprintf(err, len, "port %s is not scheduled", name);
	return pc;
}

/* Index of class e->id in port e->port of @p m (its port in @p pc), or
 * -ENOENT with the reason. */
static int
edit_class_find(struct cfg_model *m, const struct class_edit *e,
		struct qos_port_cfg **pc, char *err, size_t len)
{
	const struct qos_class_cfg *cc;
	unsigned int j;

	*pc = edit_port(m, e->port, err, len);
	if (*pc == NULL)
		return -ENOENT;
	cc = (*pc)->classes.items;
	for (j = 0; j < (*pc)->classes.n; j++)
		if (cc[j].id == e->id)
			return (int)j;
	snprintf(err, len, "port %s has no class %u", e->port, e->id);
	return -ENOENT;
}

/* The class in the CLI's copy of the model: the change transaction
 * checks the tree and hands it to the owner lcore (qos_rows.c). */
static int
edit_class(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct class_edit *e = arg;
	struct qos_port_cfg *pc;
	struct qos_class_cfg *cc;
	int j = edit_class_find(m, e, &pc, err, len);

	if (j < 0)
		return j;
	cc = &((struct qos_class_cfg *)pc->classes.items)[j];
	cc->rate = e->rate;
	cc->ceil = e->ceil;
	if (e->prio != UINT32_MAX)
		cc->priority = e->prio;
	return 0;
}

/* A new leaf under the port, defaulted as the file would leave it; the
 * transaction rebuilds the port's scheduler (qos_rows.c). */
static int
edit_class_add(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct class_edit *e = arg;
	struct qos_port_cfg *pc = edit_port(m, e->port, err, len);
	struct qos_class_cfg c = {};
	int rc;

	if (pc == NULL)
		return -ENOENT;
	rc = cfg_row_defaults(qos_class_schema(), &c);
	if (rc < 0)
		return cfg_op_result(rc, err, len, "default the class");
	c.id = e->id;
	c.rate = e->rate;
	c.ceil = e->ceil;
	c.priority = e->prio != UINT32_MAX ? e->prio : 0;
	if (cfg_array_append(&pc->classes, sizeof(c), &c) == NULL)
		return cfg_op_result(-ENOMEM, err, len, "add the class");
	return 0;
}

static int
edit_class_del(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	struct qos_port_cfg *pc;
	struct qos_class_cfg *cc;
	int j = edit_class_find(m, arg, &pc, err, len);

	if (j < 0)
		return j;
	cc = pc->classes.items;
	free(cc[j].dscp.items);
	cfg_array_remove(&pc->classes, sizeof(*cc), (unsigned int)j);
	return 0;
}

typedef int (*class_edit_fn)(struct cfg_model *m, const void *arg,
			     char *err, size_t len);

/* `qos class ...`: the port, class id, rates and priority given, edited
 * into a copy of the running model by @p arg (a class_edit_fn). */
static int
class_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *prio = cli_arg_n(args, "uint32", 1);
	const char *rate = cli_arg_n(args, "bit-rate", 0);
	const char *ceil = cli_arg_n(args, "bit-rate", 1);
	struct class_edit e = {
		.port = cli_arg(args, "qos-port"),
		.id = (uint32_t)strtoul(cli_arg(args, "uint32"), NULL, 10),
		.prio = prio != NULL ? (uint32_t)strtoul(prio, NULL, 10) :
				       UINT32_MAX,
	};
	class_edit_fn edit = (class_edit_fn)(uintptr_t)arg;
	char err[256];

	if (rate != NULL)
		rate_parse(rate, &e.rate);
	if (ceil != NULL)
		rate_parse(ceil, &e.ceil);
	return cli_result(out, cfg_edit(qos_model, edit, &e, err,
					sizeof(err)), err);
}

/* ---- policers: rows of qos.policers, bound by name ---- */

static const struct cfg_row_ref policers_ref = {
	"qos", offsetof(struct qos_conf, policers), &qos_policer_schema
};

/* Number @p word of the line gives (0 if absent), with unit @p unit. */
static uint64_t
scaled_after(const struct cli_args *args, const char *word,
	     enum cfg_unit unit)
{
	const char *s = cli_arg_after(args, word);
	uint64_t v = 0;

	if (s != NULL)
		cfg_parse_scaled(s, unit, &v, NULL);
	return v;
}

/* The policer the line describes, defaulted as the file would leave it:
 * the same row a reload of the same settings gives. */
static int
policer_row(const struct cli_args *args, struct qos_policer_cfg *pc)
{
	static const char *const colour[RTE_COLORS] = { "green", "yellow",
							 "red" };
	static const char *const dscp[RTE_COLORS] = { "green-dscp",
						       "yellow-dscp",
						       "red-dscp" };
	const char *s;
	int c;

	memset(pc, 0, sizeof(*pc));
	if (cfg_row_defaults(&qos_policer_schema, pc) < 0)
		return -ENOMEM;
	snprintf(pc->name, sizeof(pc->name), "%s",
		 cli_arg(args, "policer-name"));
	pc->type = enum_of(qos_policer_types, cli_arg(args, "policer-type"));
	pc->cir = scaled_after(args, "cir", CFG_UNIT_BPS);
	pc->cbs = scaled_after(args, "cbs", CFG_UNIT_BYTES);
	pc->ebs = scaled_after(args, "ebs", CFG_UNIT_BYTES);
	pc->pir = scaled_after(args, "pir", CFG_UNIT_BPS);
	pc->pbs = scaled_after(args, "pbs", CFG_UNIT_BYTES);
	pc->color_aware = cli_has_word(args, "color-aware");
	for (c = 0; c < RTE_COLORS; c++) {
		s = cli_arg_after(args, colour[c]);
		if (s != NULL)
			pc->action[c] = enum_of(qos_policer_actions, s);
		s = cli_arg_after(args, dscp[c]);
		if (s != NULL)
			pc->dscp[c] = (uint32_t)strtoul(s, NULL, 10);
	}
	return 0;
}

/* `qos policer add|set|del`: one row op (@p arg: enum cfg_op) through
 * the change transaction; its checks are the file's (qos_config.c). */
static int
policer_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	enum cfg_op op = (enum cfg_op)(uintptr_t)arg;
	struct qos_policer_cfg pc;
	char err[256];

	if (policer_row(args, &pc) < 0)
		return cli_result(out, -ENOMEM, "out of memory");
	return cli_result(out, cfg_edit_row(qos_model, op, &policers_ref, &pc,
					    err, sizeof(err)), err);
}

/* Where `qos policer bind|unbind` puts the name. */
struct bind_edit {
	const char *port;
	uint32_t class_id;  /* 0: the port's own policer */
	const char *name;   /* "": unbind */
};

static int
edit_bind(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct bind_edit *b = arg;
	struct class_edit e = { .port = b->port, .id = b->class_id };
	struct qos_port_cfg *pc = edit_port(m, b->port, err, len);
	char *slot;
	int j;

	if (pc == NULL)
		return -ENOENT;
	slot = pc->policer;
	if (b->class_id != 0) {
		j = edit_class_find(m, &e, &pc, err, len);
		if (j < 0)
			return j;
		slot = ((struct qos_class_cfg *)pc->classes.items)[j].policer;
	}
	snprintf(slot, QOS_NAME_LEN, "%s", b->name);
	return 0;
}

static int
bind_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *name = cli_arg(args, "policer-name");
	struct bind_edit b = {
		.port = cli_arg(args, "qos-port"),
		.class_id = cli_arg_u32_n(args, 0),
		.name = name != NULL ? name : "",
	};
	char err[256];

	RTE_SET_USED(arg);
	return cli_result(out, cfg_edit(qos_model, edit_bind, &b, err,
					sizeof(err)), err);
}

/* Help of the words after "qos policer add|set NAME". */
#define POLICER_HELP "Policer name\n" \
	"srtcm (RFC 2697) or trtcm (RFC 2698)\n" \
	"Committed information rate\n" \
	"Rate in bit/s\n" \
	"Committed burst size\n" \
	"Bytes\n" \
	"Excess burst size (srtcm)\n" \
	"Bytes\n" \
	"Peak information rate (trtcm)\n" \
	"Rate in bit/s\n" \
	"Peak burst size (trtcm)\n" \
	"Bytes\n" \
	"Meter from the colour classify gave (RFC 2697/2698 colour-aware)\n" \
	"What green packets get\n" \
	"transmit, remark or drop\n" \
	"What yellow packets get\n" \
	"transmit, remark or drop\n" \
	"What red packets get\n" \
	"transmit, remark or drop\n" \
	"DSCP of remarked green packets\n" \
	"0..63\n" \
	"DSCP of remarked yellow packets\n" \
	"0..63\n" \
	"DSCP of remarked red packets\n" \
	"0..63"
#define POLICER_ARGS "<policer-name> <policer-type> cir <bit-rate> cbs " \
	"<byte-size> [ebs <byte-size>] [pir <bit-rate>] [pbs <byte-size>] " \
	"[color-aware] [green <policer-action>] [yellow <policer-action>] " \
	"[red <policer-action>] [green-dscp <uint32>] " \
	"[yellow-dscp <uint32>] [red-dscp <uint32>]"

/* Help of the words after "qos class [add]". */
#define CLASS_RATES_HELP "Port\n" \
	"Class id\n" \
	"Guaranteed rate\n" \
	"Rate in bit/s\n" \
	"Maximum rate with borrowing\n" \
	"Rate in bit/s\n" \
	"Borrowing priority\n" \
	"0 (first) .. 7"

static const struct cli_command qos_commands[] = {
	{
		.syntax = "show qos [<qos-port>]",
		.help = "Show running state\n"
			"Egress schedulers: per class configured rate, ceil, "
			"priority, queue limit, measured rate (bit/s over the "
			"last second), queue depth, sent packets, tail drops; "
			"policers' packets by colour\n"
			"Only this port",
		.handler = show_qos,
		.read_only = true,
	},
	{
		.syntax = "qos class <qos-port> <uint32> rate <bit-rate> ceil "
			  "<bit-rate> [priority <uint32>]",
		.help = "Egress QoS\n"
			"Change a scheduler class live\n"
			CLASS_RATES_HELP,
		.handler = class_cmd,
		.arg = (void *)(uintptr_t)edit_class,
	},
	{
		.syntax = "qos class add <qos-port> <uint32> rate <bit-rate> "
			  "ceil <bit-rate> [priority <uint32>]",
		.help = "Egress QoS\n"
			"Scheduler classes\n"
			"Add a leaf class under the port live (other settings "
			"at their defaults)\n"
			CLASS_RATES_HELP,
		.handler = class_cmd,
		.arg = (void *)(uintptr_t)edit_class_add,
	},
	{
		.syntax = "qos class del <qos-port> <uint32>",
		.help = "Egress QoS\n"
			"Scheduler classes\n"
			"Remove a class live (its queued packets are dropped as "
			"qos_class_removed)\n"
			"Port\n"
			"Class id",
		.handler = class_cmd,
		.arg = (void *)(uintptr_t)edit_class_del,
	},
	{
		.syntax = "qos policer add " POLICER_ARGS,
		.help = "Egress QoS\n"
			"Policers (qos.policers)\n"
			"Add a policer (unbound until a port or class names "
			"it)\n"
			POLICER_HELP,
		.handler = policer_cmd,
		.arg = (void *)(uintptr_t)CFG_CREATE,
	},
	{
		.syntax = "qos policer set " POLICER_ARGS,
		.help = "Egress QoS\n"
			"Policers (qos.policers)\n"
			"Replace a policer's settings live (or add it); those "
			"not given take their defaults\n"
			POLICER_HELP,
		.handler = policer_cmd,
		.arg = (void *)(uintptr_t)CFG_MODIFY,
	},
	{
		.syntax = "qos policer del <policer-name>",
		.help = "Egress QoS\n"
			"Policers (qos.policers)\n"
			"Remove a policer no port or class names\n"
			"Policer name",
		.handler = policer_cmd,
		.arg = (void *)(uintptr_t)CFG_DELETE,
	},
	{
		.syntax = "qos policer bind <qos-port> [class <uint32>] "
			  "<policer-name>",
		.help = "Egress QoS\n"
			"Policers (qos.policers)\n"
			"Meter a port's (or one class's) packets by a policer "
			"live\n"
			"Port\n"
			"Only this class\n"
			"Class id\n"
			"Policer name",
		.handler = bind_cmd,
	},
	{
		.syntax = "qos policer unbind <qos-port> [class <uint32>]",
		.help = "Egress QoS\n"
			"Policers (qos.policers)\n"
			"Stop metering a port's (or one class's) packets\n"
			"Port\n"
			"Only this class\n"
			"Class id",
		.handler = bind_cmd,
	},
};

int
qos_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(qos_arg_types); i++) {
		rc = cli_register_arg_type(&qos_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(qos_commands, RTE_DIM(qos_commands));
}
