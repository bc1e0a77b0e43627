/* SPDX-License-Identifier: BSD-3-Clause */
/* `trace add`, `trace stop`, `clear trace` and `show trace`. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_graph.h>

#include "cli.h"
#include "config.h"
#include "pkt.h"
#include "node_hook.h"
#include "trace_priv.h"

static int
prefix_arg(struct cli_out *out, const struct cli_args *args,
	   const char *word, unsigned int nth, uint32_t *addr,
	   uint32_t *mask)
{
	struct cfg_ipv4_prefix p;
	const char *s;

	*addr = *mask = 0;
	if (!cli_has_word(args, word))
		return 0;
	s = cli_arg_n(args, "ipv4-prefix", nth);
	if (s == NULL || cfg_parse_ipv4_prefix(s, false, &p, NULL) < 0) {
		cli_error(out, "%s: expected a.b.c.d/len", word);
		return -EINVAL;
	}
	*addr = p.addr;
	*mask = p.len == 0 ? 0 : ~0u << (32 - p.len);
	return 1;
}

/* The n-th <uint32> of the line (0 is the packet count). */
static int
number_arg(struct cli_out *out, const struct cli_args *args,
	   const char *word, unsigned int *nth, uint32_t max, uint32_t *v)
{
	unsigned long x;

	*v = 0;
	if (!cli_has_word(args, word))
		return 0;
	x = strtoul(cli_arg_n(args, "uint32", (*nth)++), NULL, 10);
	if (x == 0 || x > max) {
		cli_error(out, "%s %lu: expected 1..%u", word, x, max);
		return -EINVAL;
	}
	*v = (uint32_t)x;
	return 0;
}

/* <ip-proto>: a name or 1..255 (0 would mean any: leave it out). */
static int
proto_arg(struct cli_out *out, const struct cli_args *args, uint32_t *v)
{
	const char *tok = cli_arg(args, "ip-proto");
	int p = tok != NULL ? cli_ip_proto_parse(tok) : 0;

	*v = 0;
	if (tok == NULL)
		return 0;
	if (p <= 0) {
		cli_error(out, "proto %s: expected a protocol name or 1..255",
			  tok);
		return -EINVAL;
	}
	*v = (uint32_t)p;
	return 0;
}

static int
filter_from_args(struct cli_out *out, const struct cli_args *args,
		 struct trace_filter *f)
{
	unsigned int nth = 1, np = 0;
	uint32_t proto, sport, dport;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = prefix_arg(out, args, "src", np, &f->src, &f->src_mask);
	if (rc < 0)
		return rc;
	np += (unsigned int)rc;
	if (prefix_arg(out, args, "dst", np, &f->dst, &f->dst_mask) < 0 ||
	    proto_arg(out, args, &proto) < 0 ||
	    number_arg(out, args, "sport", &nth, 65535, &sport) < 0 ||
	    number_arg(out, args, "dport", &nth, 65535, &dport) < 0)
		return -EINVAL;
	f->proto = (uint8_t)proto;
	f->sport = (uint16_t)sport;
	f->dport = (uint16_t)dport;
	return 0;
}

static int
trace_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	unsigned long n = strtoul(cli_arg_n(args, "uint32", 0), NULL, 10);
	struct trace_filter f;
	int rc;

	RTE_SET_USED(arg);
	if (n == 0 || n > TRACE_PKTS_MAX) {
		cli_error(out, "%lu packets: expected 1..%u", n,
			  TRACE_PKTS_MAX);
		return -EINVAL;
	}
	if (filter_from_args(out, args, &f) < 0)
		return -EINVAL;
	rc = trace_start((uint32_t)n, &f);
	if (rc < 0)
		cli_error(out, "cannot trace: %s", strerror(-rc));
	return rc;
}

static int
trace_stop_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(out);
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	trace_stop();
	return 0;
}

/* A protocol as `trace add ... proto` takes it: its name, else the
 * number (the words of <ip-proto>, so what is shown can be typed). */
static const char *
proto_text(unsigned int proto, char num[4])
{
	const char *name = cli_ip_proto_name(proto);

	if (name != NULL)
		return name;
	snprintf(num, 4, "%u", proto & 0xff);
	return num;
}

static void
filter_show(struct cli_out *out, const struct trace_filter *f)
{
	char a[16], num[4];

	if (f->src_mask != 0)
		cli_printf(out, " src %s/%d", cfg_format_ipv4(f->src, a,
			   sizeof(a)), __builtin_popcount(f->src_mask));
	if (f->dst_mask != 0)
		cli_printf(out, " dst %s/%d", cfg_format_ipv4(f->dst, a,
			   sizeof(a)), __builtin_popcount(f->dst_mask));
	if (f->proto != 0)
		cli_printf(out, " proto %s", proto_text(f->proto, num));
	if (f->sport != 0)
		cli_printf(out, " sport %u", f->sport);
	if (f->dport != 0)
		cli_printf(out, " dport %u", f->dport);
}

static void
pkt_header(struct cli_out *out, uint32_t id, const struct trace_pkt *p)
{
	struct trace_flow fl;
	char s[16], d[16], port[24], num[4];

	trace_flow_parse(p->head, p->head_len, &fl);
	cli_printf(out, "packet %u  worker %u  port %s  %u bytes  ", id,
		   p->worker, trace_port_name(p->port, port, sizeof(port)),
		   p->pkt_len);
	if (!fl.ipv4) {
		cli_printf(out, "ethertype 0x%04x\n", fl.ethertype);
		return;
	}
	cfg_format_ipv4(fl.src, s, sizeof(s));
	cfg_format_ipv4(fl.dst, d, sizeof(d));
	if (fl.has_ports)
		cli_printf(out, "%s:%u > %s:%u proto %s\n", s, fl.sport, d,
			   fl.dport, proto_text(fl.proto, num));
	else
		cli_printf(out, "%s > %s proto %s\n", s, d,
			   proto_text(fl.proto, num));
}

static void
step_line(struct cli_out *out, uint64_t t0, const struct trace_rec *r,
	  bool consumed)
{
	double ns = (double)(r->tsc - t0) * 1e9 / (double)rte_get_tsc_hz();
	const char *node = rte_node_id_to_name(r->node);

	if (consumed) {
		cli_printf(out, "  %10.0f ns  %s: consumed (sent or freed "
			   "here)\n", ns, node);
		return;
	}
	cli_printf(out, "  %10.0f ns  %s -> %s", ns, node,
		   rte_node_id_to_name(r->next));
	if (strcmp(rte_node_id_to_name(r->next), TRACE_DROP_NODE) == 0)
		cli_printf(out, " (%s)", drop_reason_name(r->drop));
	cli_printf(out, "\n");
	trace_decision_show(out, node, rte_node_id_to_name(r->next), r);
}

/* The steps of packet @p id, from the records of its worker. */
static void
pkt_show(struct cli_out *out, uint32_t id)
{
	const struct trace_pkt *p = trace_pkt_get(id);
	const struct trace_rec *rec, *visit = NULL;
	uint32_t n, lost, i;
	uint64_t t0 = 0;
	bool seen = false;

	rec = trace_recs(p->worker, &n, &lost);
	for (i = 0; i < n; i++) {
		const struct trace_rec *r = &rec[i];

		if (r->pkt != id)
			continue;
		if (!seen) {
			pkt_header(out, id, p);
			t0 = r->tsc;
			seen = true;
		}
		if (r->kind == TREC_VISIT) {
			if (visit != NULL)
				step_line(out, t0, visit, true);
			visit = r;
			continue;
		}
		step_line(out, t0, r, false);
		visit = NULL;
	}
	if (visit != NULL)
		step_line(out, t0, visit, true);
}

static int
show_trace(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct trace_view v;
	uint32_t id, n, lost, w, lost_all = 0;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	trace_view_get(&v);
	cli_printf(out, "trace: %u of %u packets%s, filter:", v.chosen,
		   v.want, v.running ? " (running)" : "");
	filter_show(out, &v.filter);
	cli_printf(out, v.filter.src_mask == 0 && v.filter.dst_mask == 0 &&
		   v.filter.proto == 0 && v.filter.sport == 0 &&
		   v.filter.dport == 0 ? " none\n" : "\n");
	for (id = 1; id <= v.chosen; id++)
		pkt_show(out, id);
	if (v.chosen == 0)
		cli_empty(out, "packets traced");
	for (w = 0; w < graph_worker_count(); w++) {
		trace_recs(w, &n, &lost);
		lost_all += lost;
	}
	if (lost_all != 0)
		cli_printf(out, "%u steps not recorded (record buffers full)\n",
			   lost_all);
	if (node_hook_wrapped() != 0)
		cli_printf(out, "node hooks: %u node copies wrapped (trace or "
			   "node capture running)\n", node_hook_wrapped());
	return 0;
}

static int
clear_trace(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(out);
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	trace_clear();
	return 0;
}

static const struct cli_command trace_commands[] = {
	{
		.syntax = "trace add <uint32> [src <ipv4-prefix>] "
			  "[dst <ipv4-prefix>] [proto <ip-proto>] "
			  "[sport <uint32>] [dport <uint32>]",
		.help = "Packet trace\n"
			"Follow the next packets through the graph nodes "
			"(replaces the last trace)\n"
			"How many packets, 1..256\n"
			"Only from this source prefix\n"
			"Source prefix\n"
			"Only to this destination prefix\n"
			"Destination prefix\n"
			"Only this IP protocol\n"
			"Protocol: a name (tcp, udp, esp, ...) or 1..255\n"
			"Only this TCP/UDP/SCTP source port\n"
			"Port\n"
			"Only this TCP/UDP/SCTP destination port\n"
			"Port",
		.handler = trace_add,
	},
	{
		.syntax = "trace stop",
		.help = "Packet trace\n"
			"Stop following packets; what was recorded stays",
		.handler = trace_stop_cmd,
	},
	{
		.syntax = "clear trace",
		.help = "Forget\n"
			"Forget the recorded trace",
		.handler = clear_trace,
	},
	{
		.syntax = "show trace",
		.help = "Show running state\n"
			"Each traced packet's path through the nodes, with "
			"what each node decided",
		.handler = show_trace,
		.read_only = true,
	},
};

int
trace_cli_register(void)
{
	return cli_register(trace_commands, RTE_DIM(trace_commands));
}
