/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI of lib/ipsec: `show ipsec sa [SPI]`, `show ipsec spd|spd6` and
 * the live changes `ipsec sa|spd|spd6|route|route6 add|del` (IPv4 and
 * IPv6 selectors, prefixes and tunnel ends), which go through the same
 * functions as the config loader (ipsec.c) and land in the running
 * model. Keys are taken, never shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cli.h"
#include "ipsec_format.h"
#include "ipsec_priv.h"

#define ERR_LEN 160

static int
dir_of(const struct cli_args *args)
{
	const char *d = cli_arg(args, "ipsec-dir");

	return d != NULL && strcmp(d, "out") == 0 ? IPSEC_DIR_OUT :
						    IPSEC_DIR_IN;
}

static int
show_sa(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *spi_s = cli_arg(args, "uint32");
	uint32_t spi = spi_s != NULL ? (uint32_t)strtoul(spi_s, NULL, 10) : 0;
	unsigned int i, shown = 0;

	RTE_SET_USED(arg);
	for (i = 0; i < sad_high(); i++) {
		const struct ipsec_sa *s = ipsec_dp.sa[i];

		if (s == NULL || (spi_s != NULL && s->conf.spi != spi))
			continue;
		ipsec_sa_format(out, s);
		shown++;
	}
	if (spi_s != NULL && shown == 0) {
		cli_error(out, "no SA with SPI %u", spi);
		return -ENOENT;
	}
	if (shown == 0)
		cli_empty(out, "SAs");
	return 0;
}

/* Rules in the published tables, configured and charon's. */
static unsigned int
spd_rules_live(void)
{
	unsigned int n = 0;
	int d;

	for (d = 0; d < 2; d++)
		n += ipsec_dp.spd[d] != NULL ? ipsec_dp.spd[d]->n : 0;
	return n;
}

/* The live rules behind the configured ones: charon's policies. */
static void
show_spd_ike(struct cli_out *out, const unsigned int *per_dir,
	     unsigned int idx)
{
	unsigned int j;
	int d;

	for (d = 0; d < 2; d++) {
		const struct ipsec_spd *t = ipsec_dp.spd[d];

		for (j = per_dir[d]; t != NULL && j < t->n; j++)
			ipsec_spd_rule_format(out, idx++, d, &t->r[j]);
	}
}

/* The columns of show ipsec spd|spd6; @p addr_w the prefixes' width
 * (printf's: negative is left-aligned). */
static void
spd_header(struct cli_out *out, int addr_w)
{
	cli_printf(out, "%-4s %-4s %*s %*s %-5s %-11s %-11s %-8s %-13s %s\n",
		   "#", "dir", addr_w, "src", addr_w, "dst", "proto", "sport",
		   "dport", "action", "", "");
}

static int
show_spd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct ipsec_conf *c = ipsec_model();
	const struct ipsec_spd_conf *rc;
	unsigned int i, per_dir[2] = { 0, 0 };

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	/* charon's policies live only in the tables, not in the model */
	if (c == NULL || spd_rules_live() == 0) {
		cli_empty(out, "SPD rules");
		return 0;
	}
	spd_header(out, 18);
	rc = c->spd.items;
	for (i = 0; i < c->spd.n; i++) {
		int d = rc[i].direction;
		const struct ipsec_spd *t = ipsec_dp.spd[d];

		if (t != NULL && per_dir[d] < t->n)
			ipsec_spd_rule_format(out, i, d, &t->r[per_dir[d]]);
		per_dir[d]++;
	}
	show_spd_ike(out, per_dir, i);
	return 0;
}

/* ipsec.spd6 in order (the IPv6 SPD has configured rules only). */
static int
show_spd6(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct ipsec_conf *c = ipsec_model();
	const struct ipsec_spd6_conf *rc;
	unsigned int i, per_dir[2] = { 0, 0 };

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	if (c == NULL || c->spd6.n == 0) {
		cli_empty(out, "IPv6 SPD rules");
		return 0;
	}
	spd_header(out, -24);
	rc = c->spd6.items;
	for (i = 0; i < c->spd6.n; i++) {
		int d = rc[i].direction;
		const struct ipsec_spd6 *t = ipsec_dp.spd6[d];

		if (t != NULL && per_dir[d] < t->n)
			ipsec_spd6_rule_format(out, i, d, &t->r[per_dir[d]]);
		per_dir[d]++;
	}
	return 0;
}

static void
copy_arg(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s != NULL ? s : "");
}

/* Optional <ipsec-hex> values by the keyword before each. */
static void
sa_keys_from(const struct cli_args *args, struct ipsec_sa_conf *sc)
{
	unsigned int h = 0;

	if (cli_has_word(args, "key"))
		copy_arg(sc->key, sizeof(sc->key),
			 cli_arg_n(args, "ipsec-hex", h++));
	if (cli_has_word(args, "salt"))
		copy_arg(sc->salt, sizeof(sc->salt),
			 cli_arg_n(args, "ipsec-hex", h++));
	if (cli_has_word(args, "auth-key"))
		copy_arg(sc->auth_key, sizeof(sc->auth_key),
			 cli_arg_n(args, "ipsec-hex", h++));
}

static void
sa_options_from(const struct cli_args *args, struct ipsec_sa_conf *sc)
{
	unsigned int v = 0, u = 1; /* uint32 #0 is the SPI */

	copy_arg(sc->underlay_vrf, sizeof(sc->underlay_vrf), "default");
	copy_arg(sc->inner_vrf, sizeof(sc->inner_vrf), "default");
	if (cli_has_word(args, "underlay-vrf"))
		copy_arg(sc->underlay_vrf, sizeof(sc->underlay_vrf),
			 cli_arg_n(args, "vrf-name", v++));
	if (cli_has_word(args, "inner-vrf"))
		copy_arg(sc->inner_vrf, sizeof(sc->inner_vrf),
			 cli_arg_n(args, "vrf-name", v++));
	sc->replay_window = 64;
	if (cli_has_word(args, "replay-window"))
		sc->replay_window = cli_arg_u32_n(args, u++);
	if (cli_has_word(args, "hard-packets"))
		sc->lifetime.hard_packets = cli_arg_u32_n(args, u++);
	if (cli_has_word(args, "soft-packets"))
		sc->lifetime.soft_packets = cli_arg_u32_n(args, u++);
	sc->esn = cli_has_word(args, "esn");
	sc->nat_t = cli_has_word(args, "nat-t");
}

static int
sa_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct ipsec_sa_conf sc = {
		.ttl = 64, .nat_t_sport = 4500, .nat_t_dport = 4500,
	};
	char err[ERR_LEN] = "";

	RTE_SET_USED(arg);
	sc.spi = cli_arg_u32_n(args, 0);
	sc.direction = dir_of(args);
	if (cli_has_word(args, "local6")) {
		cfg_parse_ipv6(cli_arg_n(args, "ipv6", 0), sc.local6);
		cfg_parse_ipv6(cli_arg_n(args, "ipv6", 1), sc.remote6);
	} else {
		cfg_parse_ipv4(cli_arg_n(args, "ipv4", 0), &sc.local);
		cfg_parse_ipv4(cli_arg_n(args, "ipv4", 1), &sc.remote);
	}
	if (cli_has_word(args, "inner"))
		sc.inner = strcmp(cli_arg(args, "ipsec-inner"), "ipv6") == 0 ?
			   IPSEC_INNER_IPV6 : IPSEC_INNER_IPV4;
	copy_arg(sc.algorithm, sizeof(sc.algorithm),
		 cli_arg(args, "ipsec-alg"));
	sa_keys_from(args, &sc);
	sa_options_from(args, &sc);
	if (sc.replay_window > 4096) {
		cli_error(out, "replay-window must be 0 (off) or 64..4096");
		return -EINVAL;
	}
	return cli_result(out, ipsec_sa_add(&sc, err, sizeof(err)), err);
}

static int
sa_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN] = "";

	RTE_SET_USED(arg);
	return cli_result(out, ipsec_sa_del(cli_arg_u32_n(args, 0), dir_of(args),
					    err, sizeof(err)), err);
}

static int
action_of(const struct cli_args *args)
{
	const char *act = cli_arg(args, "ipsec-action");

	return strcmp(act, "protect") == 0 ? IPSEC_PROTECT :
	       strcmp(act, "bypass") == 0 ? IPSEC_BYPASS : IPSEC_DISCARD;
}

/* What an SPD rule of either family takes besides its prefixes. */
struct spd_words {
	int direction, action;
	uint32_t sa, proto;
	char sport[IPSEC_PORTS_LEN], dport[IPSEC_PORTS_LEN];
	bool has_pos;
	unsigned int pos;
};

static void
spd_words_from(const struct cli_args *args, struct spd_words *w)
{
	unsigned int u = 0;

	memset(w, 0, sizeof(*w));
	w->direction = dir_of(args);
	w->action = action_of(args);
	if (cli_has_word(args, "sa"))
		w->sa = cli_arg_u32_n(args, u++);
	if (cli_has_word(args, "proto"))
		w->proto = (uint32_t)cli_ip_proto_parse(cli_arg(args,
							      "ip-proto"));
	copy_arg(w->sport, sizeof(w->sport), "any");
	copy_arg(w->dport, sizeof(w->dport), "any");
	if (cli_has_word(args, "sport"))
		copy_arg(w->sport, sizeof(w->sport),
			 cli_arg_n(args, "port-range", 0));
	if (cli_has_word(args, "dport"))
		copy_arg(w->dport, sizeof(w->dport), cli_arg_n(args,
			 "port-range", cli_has_word(args, "sport") ? 1 : 0));
	w->has_pos = cli_has_word(args, "position");
	if (w->has_pos)
		w->pos = cli_arg_u32_n(args, u++);
}

static int
spd_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct ipsec_spd_conf rc = {};
	const struct ipsec_conf *c = ipsec_model();
	char err[ERR_LEN] = "";
	unsigned int p = 0, pos;
	struct spd_words w;
	const char *why;

	RTE_SET_USED(arg);
	spd_words_from(args, &w);
	rc.direction = w.direction;
	rc.action = w.action;
	rc.sa = w.sa;
	rc.proto = w.proto;
	memcpy(rc.sport, w.sport, sizeof(rc.sport));
	memcpy(rc.dport, w.dport, sizeof(rc.dport));
	if (cli_has_word(args, "src"))
		cfg_parse_ipv4_prefix(cli_arg_n(args, "ipv4-prefix", p++),
				      true, &rc.src, &why);
	if (cli_has_word(args, "dst"))
		cfg_parse_ipv4_prefix(cli_arg_n(args, "ipv4-prefix", p++),
				      true, &rc.dst, &why);
	pos = c != NULL ? c->spd.n : 0;
	if (w.has_pos)
		pos = RTE_MIN(w.pos, pos);
	return cli_result(out, ipsec_spd_add(&rc, pos, err, sizeof(err)),
			  err);
}

static int
spd6_add(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct ipsec_spd6_conf rc = {};
	const struct ipsec_conf *c = ipsec_model();
	char err[ERR_LEN] = "";
	unsigned int p = 0, pos;
	struct spd_words w;

	RTE_SET_USED(arg);
	spd_words_from(args, &w);
	rc.direction = w.direction;
	rc.action = w.action;
	rc.sa = w.sa;
	rc.proto = w.proto;
	memcpy(rc.sport, w.sport, sizeof(rc.sport));
	memcpy(rc.dport, w.dport, sizeof(rc.dport));
	if (cli_has_word(args, "src"))
		cfg_parse_ipv6_prefix(cli_arg_n(args, "ipv6-prefix", p++),
				      true, &rc.src, NULL);
	if (cli_has_word(args, "dst"))
		cfg_parse_ipv6_prefix(cli_arg_n(args, "ipv6-prefix", p++),
				      true, &rc.dst, NULL);
	pos = c != NULL ? c->spd6.n : 0;
	if (w.has_pos)
		pos = RTE_MIN(w.pos, pos);
	return cli_result(out, ipsec_spd6_add(&rc, pos, err, sizeof(err)),
			  err);
}

static int
spd_del(struct cli_out *out, const struct cli_args *args, void *arg)
{
	char err[ERR_LEN] = "";
	unsigned int idx = cli_arg_u32_n(args, 0);

	return cli_result(out, arg != NULL ? ipsec_spd6_del(idx, err,
							    sizeof(err)) :
			  ipsec_spd_del(idx, err, sizeof(err)), err);
}

static int
route_change(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct ipsec_route_conf rc = {};
	char err[ERR_LEN] = "";
	const char *why;

	copy_arg(rc.vrf, sizeof(rc.vrf), cli_arg(args, "vrf-name"));
	cfg_parse_ipv4_prefix(cli_arg(args, "ipv4-prefix"), true, &rc.prefix,
			      &why);
	if (arg == NULL)
		return cli_result(out, ipsec_route_del(rc.vrf, &rc.prefix, err,
						       sizeof(err)), err);
	rc.sa = cli_arg_u32_n(args, 0);
	return cli_result(out, ipsec_route_add(&rc, err, sizeof(err)), err);
}

static int
route6_change(struct cli_out *out, const struct cli_args *args, void *arg)
{
	struct ipsec_route6_conf rc = {};
	char err[ERR_LEN] = "";

	copy_arg(rc.vrf, sizeof(rc.vrf), cli_arg(args, "vrf-name"));
	cfg_parse_ipv6_prefix(cli_arg(args, "ipv6-prefix"), true, &rc.prefix,
			      NULL);
	if (arg == NULL)
		return cli_result(out, ipsec_route6_del(rc.vrf, &rc.prefix,
							err, sizeof(err)), err);
	rc.sa = cli_arg_u32_n(args, 0);
	return cli_result(out, ipsec_route6_add(&rc, err, sizeof(err)), err);
}

static int
check_inner(const char *tok, const char **why)
{
	RTE_SET_USED(why);
	return strcmp(tok, "ipv4") == 0 || strcmp(tok, "ipv6") == 0 ? 0 :
								      -EINVAL;
}

static int
check_dir(const char *tok, const char **why)
{
	RTE_SET_USED(why);
	return strcmp(tok, "in") == 0 || strcmp(tok, "out") == 0 ? 0 :
								   -EINVAL;
}

static int
check_action(const char *tok, const char **why)
{
	RTE_SET_USED(why);
	return strcmp(tok, "protect") == 0 || strcmp(tok, "bypass") == 0 ||
	       strcmp(tok, "discard") == 0 ? 0 : -EINVAL;
}

static int
check_alg(const char *tok, const char **why)
{
	RTE_SET_USED(why);
	return crypto_alg_find(tok) >= 0 ? 0 : -EINVAL;
}

static void
complete_alg(const char *prefix, void (*add)(void *ctx, const char *c),
	     void *ctx)
{
	unsigned int i;

	RTE_SET_USED(prefix);
	for (i = 0; i < CRYPTO_ALG_MAX; i++)
		add(ctx, crypto_alg_get((enum crypto_alg)i)->name);
}

static int
check_hex(const char *tok, const char **why)
{
	uint8_t buf[64];

	*why = "hex digits, an even number of them, at most 64 bytes";
	return ipsec_hex_decode(tok, buf, sizeof(buf)) > 0 ? 0 : -EINVAL;
}

static int
check_ports(const char *tok, const char **why)
{
	uint16_t lo, hi;

	*why = "lo-hi, a port or any, within 0..65535";
	return spd_parse_ports(tok, &lo, &hi);
}

static struct cli_arg_type ipsec_arg_types[] = {
	{ .name = "ipsec-dir", .help = "in or out", .check = check_dir,
	  .example = "out" },
	{ .name = "ipsec-action", .help = "protect, bypass or discard",
	  .check = check_action, .example = "protect" },
	{ .name = "ipsec-alg", .help = "an ESP algorithm",
	  .check = check_alg, .example = "aes-gcm-128",
	  .complete = complete_alg },
	{ .name = "ipsec-hex", .help = "a key in hex",
	  .check = check_hex, .example = "00112233445566778899aabbccddeeff" },
	{ .name = "port-range", .help = "ports lo-hi, one port, or any",
	  .check = check_ports, .example = "1024-65535" },
	{ .name = "ipsec-inner", .help = "ipv4 or ipv6: what an SA carries",
	  .check = check_inner, .example = "ipv6" },
};

/* What `ipsec sa add` takes after the tunnel ends of either family
 * (sa_options_from() reads the words), with one help line per word. */
#define SA_ADD_KEYS                                                    \
	"algorithm <ipsec-alg> [key <ipsec-hex>] [salt <ipsec-hex>] "   \
	"[auth-key <ipsec-hex>] [underlay-vrf <vrf-name>] [inner-vrf "  \
	"<vrf-name>] [inner <ipsec-inner>] [replay-window <uint32>]"
#define SA_ADD_KEYS_HELP                                               \
	"ESP algorithm\nAlgorithm name\nCipher/AEAD key\nHex\n"         \
	"AEAD salt\nHex, 4 bytes\nHMAC key\nHex\nVRF of the ESP "       \
	"packets (default: default)\nVRF name\nVRF of the clear "        \
	"traffic (default: default)\nVRF name\nWhat the SA carries "     \
	"(default: ipv4)\nipv4 or ipv6\nAnti-replay window\n"            \
	"64..4096 packets\n"
#define SA_ADD_LIFETIME "[hard-packets <uint32>] [soft-packets <uint32>]"
#define SA_ADD_LIFETIME_HELP "Hard lifetime\nPackets\nSoft lifetime\nPackets"

static const struct cli_command ipsec_commands[] = {
	{
		.syntax = "show ipsec sa [<uint32>]",
		.help = "Show running state\nIPsec\n"
			"Security associations: state, counters, sequence "
			"numbers, replay window, lifetime use (never keys)\n"
			"Only the SA(s) with this SPI",
		.handler = show_sa,
		.read_only = true,
	},
	{
		.syntax = "show ipsec spd",
		.help = "Show running state\nIPsec\n"
			"Security policy rules in order, with hits",
		.handler = show_spd,
		.read_only = true,
	},
	{
		.syntax = "ipsec sa add <uint32> <ipsec-dir> local <ipv4> "
			  "remote <ipv4> " SA_ADD_KEYS " [esn] [nat-t] "
			  SA_ADD_LIFETIME,
		.summary = "Add a security association",
		.help = "IPsec\nSecurity association\nAdd one\nSPI\n"
			"in or out\nLocal tunnel end\nAddress\n"
			"Remote tunnel end\nAddress\n" SA_ADD_KEYS_HELP
			"Extended sequence numbers\nESP in UDP 4500\n"
			SA_ADD_LIFETIME_HELP,
		.handler = sa_add,
	},
	{
		.syntax = "ipsec sa add <uint32> <ipsec-dir> local6 <ipv6> "
			  "remote6 <ipv6> " SA_ADD_KEYS " [esn] "
			  SA_ADD_LIFETIME,
		.summary = "Add a security association with IPv6 tunnel ends "
			   "(no NAT-T: RFC 3948 is IPv4)",
		.help = "IPsec\nSecurity association\nAdd one\nSPI\n"
			"in or out\nLocal IPv6 tunnel end\nGlobal address\n"
			"Remote IPv6 tunnel end\nGlobal address\n"
			SA_ADD_KEYS_HELP "Extended sequence numbers\n"
			SA_ADD_LIFETIME_HELP,
		.handler = sa_add,
	},
	{
		.syntax = "ipsec sa del <uint32> <ipsec-dir>",
		.summary = "Delete a security association (not in use by a "
			    "route or SPD rule)",
		.help = "IPsec\nSecurity association\nDelete one (not in use "
			"by a route or SPD rule)\nSPI\nin or out",
		.handler = sa_del,
	},
	{
		.syntax = "ipsec spd add <ipsec-dir> <ipsec-action> [sa "
			  "<uint32>] [src <ipv4-prefix>] [dst <ipv4-prefix>] "
			  "[proto <ip-proto>] [sport <port-range>] [dport "
			  "<port-range>] [position <uint32>]",
		.summary = "Add a security policy rule",
		.help = "IPsec\nSecurity policy\nAdd a rule\nin or out\n"
			"What to do\nThe SA (protect)\nSPI\nSource\nPrefix\n"
			"Destination\nPrefix\nIP protocol\nName or 0..255, 0 = any\n"
			"Source ports\nRange\nDestination ports\nRange\n"
			"Where in the list (default: last)\nIndex",
		.handler = spd_add,
	},
	{
		.syntax = "ipsec spd del <uint32>",
		.summary = "Delete a security policy rule",
		.help = "IPsec\nSecurity policy\nDelete a rule\n"
			"Its index (# in show ipsec spd)",
		.handler = spd_del,
	},
	{
		.syntax = "show ipsec spd6",
		.help = "Show running state\nIPsec\n"
			"IPv6 security policy rules (ipsec.spd6) in order, "
			"with hits",
		.handler = show_spd6,
		.read_only = true,
	},
	{
		.syntax = "ipsec spd6 add <ipsec-dir> <ipsec-action> [sa "
			  "<uint32>] [src <ipv6-prefix>] [dst <ipv6-prefix>] "
			  "[proto <ip-proto>] [sport <port-range>] [dport "
			  "<port-range>] [position <uint32>]",
		.summary = "Add an IPv6 security policy rule",
		.help = "IPsec\nIPv6 security policy\nAdd a rule\n"
			"in or out\nWhat to do\nThe SA (protect; inner "
			"ipv6)\nSPI\nSource\nIPv6 prefix\nDestination\n"
			"IPv6 prefix\nUpper-layer protocol\n"
			"Name or 0..255, 0 = any\nSource ports\nRange\n"
			"Destination ports\nRange\n"
			"Where in the list (default: last)\nIndex",
		.handler = spd6_add,
	},
	{
		.syntax = "ipsec spd6 del <uint32>",
		.summary = "Delete an IPv6 security policy rule",
		.help = "IPsec\nIPv6 security policy\nDelete a rule\n"
			"Its index (# in show ipsec spd6)",
		.handler = spd_del,
		.arg = (void *)1,
	},
	{
		.syntax = "ipsec route6 add <vrf-name> <ipv6-prefix> sa "
			  "<uint32>",
		.summary = "Add an IPv6 route into an outbound SA (inner ipv6)",
		.help = "IPsec\nIPv6 route into an SA\nAdd one\nVRF name\n"
			"IPv6 prefix\nOutbound SA carrying IPv6\nSPI",
		.handler = route6_change,
		.arg = (void *)1,
	},
	{
		.syntax = "ipsec route6 del <vrf-name> <ipv6-prefix>",
		.summary = "Delete an IPv6 route into an SA",
		.help = "IPsec\nIPv6 route into an SA\nDelete one\n"
			"VRF name\nIPv6 prefix",
		.handler = route6_change,
	},
	{
		.syntax = "ipsec route add <vrf-name> <ipv4-prefix> sa <uint32>",
		.summary = "Add a route into an outbound SA",
		.help = "IPsec\nRoute into an SA\nAdd one\nVRF name\nPrefix\n"
			"Outbound SA\nSPI",
		.handler = route_change,
		.arg = (void *)1,
	},
	{
		.syntax = "ipsec route del <vrf-name> <ipv4-prefix>",
		.summary = "Delete a route into an SA",
		.help = "IPsec\nRoute into an SA\nDelete one\nVRF name\n"
			"Prefix",
		.handler = route_change,
	},
};

int
ipsec_cli_register(void)
{
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(ipsec_arg_types); i++) {
		rc = cli_register_arg_type(&ipsec_arg_types[i]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return cli_register(ipsec_commands, RTE_DIM(ipsec_commands));
}
