/* SPDX-License-Identifier: BSD-3-Clause */
/* Text helpers of the SPD and SA settings (pure C, unit-tested). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "spd_match.h"

static int
port_parse(const char *s, const char *end, uint16_t *v)
{
	unsigned long x = 0;
	const char *p;

	if (s == end || end - s > 5)
		return -1;
	for (p = s; p < end; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		x = x * 10 + (unsigned long)(*p - '0');
	}
	if (x > 65535)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

int
spd_parse_ports(const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash;

	if (s[0] == '\0' || strcmp(s, "any") == 0) {
		*lo = 0;
		*hi = 65535;
		return 0;
	}
	dash = strchr(s, '-');
	if (dash == NULL) {
		if (port_parse(s, s + strlen(s), lo) < 0)
			return -1;
		*hi = *lo;
		return 0;
	}
	if (port_parse(s, dash, lo) < 0 ||
	    port_parse(dash + 1, dash + strlen(dash), hi) < 0)
		return -1;
	return *lo <= *hi ? 0 : -1;
}

void
spd6_mask(uint8_t len, uint64_t mask[2])
{
	uint8_t b[16] = { 0 };
	unsigned int i;

	for (i = 0; i < 16 && len > 0; i++) {
		unsigned int take = len >= 8 ? 8 : len;

		b[i] = (uint8_t)(0xff << (8 - take));
		len = (uint8_t)(len - take);
	}
	memcpy(mask, b, sizeof(b));
}

static int
nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
ipsec_hex_decode(const char *hex, uint8_t *out, unsigned int max)
{
	size_t n;
	unsigned int i;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	n = strlen(hex);
	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int h = nibble(hex[2 * i]), l = nibble(hex[2 * i + 1]);

		if (h < 0 || l < 0)
			return -1;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return (int)i;
}
