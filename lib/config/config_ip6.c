/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 values of the configuration engine: addresses in the text forms of
 * RFC 4291 section 2.2 (read with inet_pton()), printed in the canonical
 * form of RFC 5952 (inet_ntop() writes it), and prefixes "addr/len".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

#define PREFIX6_FORMAT "expected an IPv6 prefix addr/len"
#define PREFIX6_LENGTH "prefix length must be 0..128"

int
cfg_parse_ipv6(const char *s, uint8_t addr[16])
{
	struct in6_addr a;

	if (s == NULL || inet_pton(AF_INET6, s, &a) != 1)
		return -EINVAL;
	memcpy(addr, &a, 16);
	return 0;
}

const char *
cfg_format_ipv6(const uint8_t addr[16], char *buf, size_t len)
{
	if (inet_ntop(AF_INET6, addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* Decimal 0..128, no sign, no leading zero. */
static int
parse_len6(const char *s, uint32_t *len)
{
	uint32_t v = 0;
	size_t n;

	for (n = 0; s[n] >= '0' && s[n] <= '9' && n < 4; n++)
		v = v * 10 + (uint32_t)(s[n] - '0');
	if (n == 0 || s[n] != '\0' || (n > 1 && s[0] == '0') || v > 128)
		return -EINVAL;
	*len = v;
	return 0;
}

/* Whether bits len..127 of @p a are all zero. */
static bool
host_bits_clear(const uint8_t a[16], uint32_t len)
{
	uint32_t i;

	for (i = len; i < 128; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

int
cfg_parse_ipv6_prefix(const char *s, bool strict, struct cfg_ipv6_prefix *p,
		      const char **why)
{
	const char *slash, *unused;
	char abuf[INET6_ADDRSTRLEN];
	uint8_t addr[16];
	uint32_t len;

	if (why == NULL)
		why = &unused;
	*why = PREFIX6_FORMAT;
	slash = s != NULL ? strchr(s, '/') : NULL;
	if (slash == NULL || (size_t)(slash - s) >= sizeof(abuf))
		return -EINVAL;
	memcpy(abuf, s, slash - s);
	abuf[slash - s] = '\0';
	if (cfg_parse_ipv6(abuf, addr) < 0)
		return -EINVAL;
	if (parse_len6(slash + 1, &len) < 0) {
		*why = slash[1] >= '0' && slash[1] <= '9' && slash[1] != '0'
			       ? PREFIX6_LENGTH
			       : PREFIX6_FORMAT;
		return -EINVAL;
	}
	if (strict && !host_bits_clear(addr, len)) {
		*why = "host bits set";
		return -EINVAL;
	}
	memcpy(p->addr, addr, 16);
	p->len = (uint8_t)len;
	*why = NULL;
	return 0;
}
