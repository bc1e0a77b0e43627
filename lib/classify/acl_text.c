/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rule field text (see acl_text.h). Numbers are decimal without sign or
 * leading zero, so "08" or "+1" are refused rather than guessed at.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "acl_text.h"

struct name_value {
	const char *name;
	int value;
};

/* The names lib/cli's <ip-proto> takes (cli_ip_proto_parse()), so a
 * rule reads the same in the file and on the CLI; this file stays pure
 * C for its unit test. */
static const struct name_value protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ospf", 89 },
	{ "pim", 103 }, { "vrrp", 112 }, { "sctp", 132 },
};

/* DSCP names: class selectors (RFC 2474 4.2.2), assured forwarding
 * (RFC 2597 6), EF (RFC 3246), VOICE-ADMIT (RFC 5865), LE (RFC 8622). */
static const struct name_value dscps[] = {
	{ "be", 0 }, { "cs0", 0 }, { "cs1", 8 }, { "cs2", 16 },
	{ "cs3", 24 }, { "cs4", 32 }, { "cs5", 40 }, { "cs6", 48 },
	{ "cs7", 56 }, { "af11", 10 }, { "af12", 12 }, { "af13", 14 },
	{ "af21", 18 }, { "af22", 20 }, { "af23", 22 }, { "af31", 26 },
	{ "af32", 28 }, { "af33", 30 }, { "af41", 34 }, { "af42", 36 },
	{ "af43", 38 }, { "ef", 46 }, { "va", 44 }, { "le", 1 },
};

/* Decimal 0..max, no sign, no leading zero; @return -1 if not. */
static long
decimal(const char *s, const char *end, long max)
{
	long v = 0;

	if (s == end || (*s == '0' && end - s > 1))
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

static int
lookup(const struct name_value *t, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, s) == 0)
			return t[i].value;
	return -1;
}

int
acl_proto_parse(const char *s, int *proto, const char **why)
{
	long v;

	if (s[0] == '\0') {
		*proto = ACL_ANY;
		return 0;
	}
	v = lookup(protos, sizeof(protos) / sizeof(protos[0]), s);
	if (v < 0)
		v = decimal(s, s + strlen(s), 255);
	if (v < 0) {
		if (why != NULL)
			*why = "protocol must be a name (tcp, udp, icmp, esp, "
			       "gre, ospf, ...) or 0..255";
		return -EINVAL;
	}
	*proto = (int)v;
	return 0;
}

int
acl_ports_parse(const char *s, uint16_t *lo, uint16_t *hi, const char **why)
{
	const char *dash = strchr(s, '-'), *end = s + strlen(s);
	long a, b;

	if (s[0] == '\0') {
		*lo = 0;
		*hi = UINT16_MAX;
		return 0;
	}
	a = decimal(s, dash != NULL ? dash : end, UINT16_MAX);
	b = dash != NULL ? decimal(dash + 1, end, UINT16_MAX) : a;
	if (a < 0 || b < 0) {
		if (why != NULL)
			*why = "ports must be N or N-M with 0 <= N <= M <= "
			       "65535";
		return -EINVAL;
	}
	if (a > b) {
		if (why != NULL)
			*why = "port range runs backwards (N-M needs N <= M)";
		return -EINVAL;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

int
acl_dscp_parse(const char *s, int *dscp, const char **why)
{
	long v;

	if (s[0] == '\0') {
		*dscp = ACL_ANY;
		return 0;
	}
	v = lookup(dscps, sizeof(dscps) / sizeof(dscps[0]), s);
	if (v < 0)
		v = decimal(s, s + strlen(s), 63);
	if (v < 0) {
		if (why != NULL)
			*why = "DSCP must be 0..63 or a name (be, cs0-cs7, "
			       "af11-af43, ef, va, le)";
		return -EINVAL;
	}
	*dscp = (int)v;
	return 0;
}

int
acl_tc_parse(const char *s, int *tc, const char **why)
{
	long v;

	if (s[0] == '\0') {
		*tc = ACL_ANY;
		return 0;
	}
	v = decimal(s, s + strlen(s), 7);
	if (v < 0) {
		if (why != NULL)
			*why = "MPLS TC must be 0..7";
		return -EINVAL;
	}
	*tc = (int)v;
	return 0;
}
