/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Values as written: integers libconfig 1.5 cannot hold, numbers with
 * units, and the address/MAC predicates other libraries' checks share.
 *
 * libconfig 1.5 reads a decimal or hex literal without an L suffix with
 * strtoll()/strtoull() and keeps the low 32 bits, silently: "rate =
 * 40000000000;" is stored as 1345294336 and "id = 4294967297;" as 1.
 * Nothing in the parsed tree tells, so the loader looks at the text:
 * the setting's line in its file (or in the string loaded), and the
 * literal written after the setting's name there. A literal that does
 * not give back the stored value is refused, shown as written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

/* ------------------------------------------------------------------ */
/* Source text                                                         */

/* The text of one file, with where each line starts. */
struct cfg_src {
	char *name;	 /* file name; NULL for the string loaded */
	char *text;	 /* whole file (owned), or NULL */
	const char *str; /* the text searched: text or the string */
	size_t *line_at; /* offset of line n at [n - 1] */
	unsigned int n_lines;
	/* settings are read in file order: where the last literal ended */
	unsigned int last_line;
	const char *last_end;
};

char *
cfg_priv_read_file(const char *name)
{
	FILE *f = fopen(name, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (f == NULL)
		return NULL;
	m = open_memstream(&buf, &len);
	if (m != NULL) {
		while ((c = fgetc(f)) != EOF)
			fputc(c, m);
		fclose(m);
	}
	fclose(f);
	return buf;
}

static int
index_lines(struct cfg_src *src)
{
	const char *s = src->str;
	unsigned int n = 1;
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\n';
	src->line_at = malloc(n * sizeof(*src->line_at));
	if (src->line_at == NULL)
		return -ENOMEM;
	src->line_at[0] = 0;
	for (i = 0, n = 1; s[i] != '\0'; i++)
		if (s[i] == '\n')
			src->line_at[n++] = i + 1;
	src->n_lines = n;
	return 0;
}

void
cfg_priv_src_free(struct cfg_src *src)
{
	if (src == NULL)
		return;
	free(src->name);
	free(src->text);
	free(src->line_at);
	free(src);
}

/* The text setting @p s was read from; cached in the context. */
static struct cfg_src *
source_of(struct cfg_ctx *ctx, const config_setting_t *s)
{
	const char *file = config_setting_source_file(s);
	struct cfg_src *src = ctx->src;

	if (file == NULL && ctx->text == NULL)
		return NULL;
	if (src != NULL &&
	    (file == NULL ? src->name == NULL
			  : src->name != NULL && strcmp(src->name, file) == 0))
		return src;
	cfg_priv_src_free(src);
	ctx->src = src = calloc(1, sizeof(*src));
	if (src == NULL)
		return NULL;
	if (file != NULL) {
		src->name = strdup(file);
		src->text = cfg_priv_read_file(file);
		src->str = src->text;
	} else {
		src->str = ctx->text;
	}
	if ((file != NULL && src->name == NULL) || src->str == NULL ||
	    index_lines(src) < 0) {
		cfg_priv_src_free(src);
		ctx->src = NULL;
		return NULL;
	}
	return src;
}

const char *
cfg_priv_line_text(const char *file, const char *text, int line, char *buf,
		   size_t len)
{
	char *own =
		text == NULL && file != NULL ? cfg_priv_read_file(file) : NULL;
	const char *p = own != NULL ? own : text;
	size_t n;
	int i;

	buf[0] = '\0';
	for (i = 1; p != NULL && i < line && (p = strchr(p, '\n')) != NULL; i++)
		p++;
	if (p != NULL && line > 0) {
		p += strspn(p, " \t");
		n = strcspn(p, "\r\n");
		snprintf(buf, len, "%.*s", (int)n, p);
	}
	free(own);
	return buf[0] != '\0' ? buf : NULL;
}

/* ------------------------------------------------------------------ */
/* A tiny lexer: enough of libconfig's to find "name = literal"        */

enum tok { T_END, T_NAME, T_PUNCT, T_INT, T_OTHER };

static bool
is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-' || c == '_'));
}

/* Skip blanks, comments and string literals; @return the next token. */
static const char *
skip_space(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
		       *p == '\f')
			p++;
		if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			p = e != NULL ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

static const char *
skip_string(const char *p)
{
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : p;
}

/* One token at @p p (after skip_space()); its end in @p end. */
static enum tok
next_token(const char *p, const char **end)
{
	const char *q = p;

	if (*p == '\0') {
		*end = p;
		return T_END;
	}
	if (*p == '"') {
		*end = skip_string(p);
		return T_OTHER;
	}
	if (is_name_char(*p, true)) {
		while (is_name_char(*q, false))
			q++;
		*end = q;
		return T_NAME;
	}
	if (*p == '-' || *p == '+' || (*p >= '0' && *p <= '9')) {
		q += *q == '-' || *q == '+';
		q += strspn(q, "0123456789abcdefABCDEFxXlL.");
		*end = q;
		return memchr(p, '.', (size_t)(q - p)) != NULL ? T_OTHER
							       : T_INT;
	}
	*end = p + 1;
	return strchr("=:", *p) != NULL ? T_PUNCT : T_OTHER;
}

/* ------------------------------------------------------------------ */
/* Integer literals                                                    */

/* A literal read exactly: sign, magnitude, whether it overflowed. */
struct lit {
	bool neg, big, l_suffix;
	uint64_t mag;
};

static bool
read_literal(const char *p, const char *end, struct lit *l)
{
	unsigned int base = 10;
	int d;

	memset(l, 0, sizeof(*l));
	l->neg = *p == '-';
	p += *p == '-' || *p == '+';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (p >= end || cfg_priv_hex_digit(*p) < 0)
		return false;
	for (;
	     p < end && (d = cfg_priv_hex_digit(*p)) >= 0 && (unsigned)d < base;
	     p++) {
		if (l->mag > (UINT64_MAX - (uint64_t)d) / base)
			l->big = true;
		l->mag = l->mag * base + (uint64_t)d;
	}
	l->l_suffix = p < end && (*p == 'L' || *p == 'l');
	while (p < end && (*p == 'L' || *p == 'l'))
		p++;
	return p == end;
}

/* What libconfig 1.5 stores for literal @p l (strtoll/strtoull, then
 * 32 bits unless L). */
static long long
libconfig_value(const struct lit *l, bool hex)
{
	long long v;

	if (hex)
		v = l->big ? -1LL : (long long)l->mag;
	else if (l->big || l->mag > (uint64_t)INT64_MAX + l->neg)
		v = l->neg ? INT64_MIN : INT64_MAX;
	else
		v = l->neg ? (long long)(0 - l->mag) : (long long)l->mag;
	return l->l_suffix ? v : (long long)(int32_t)(uint32_t)v;
}

/* Literal "NAME = INT" (or ':') at name token @p p..@p e, or NULL. */
static const char *
literal_after(const char *e, const char **r)
{
	const char *q = skip_space(e);

	if (next_token(q, r) != T_PUNCT)
		return NULL;
	q = skip_space(*r);
	return next_token(q, r) == T_INT ? q : NULL;
}

/*
 * On the setting's line (@p p up to @p lend), the first "NAME = INT"
 * whose literal libconfig would have stored as @p stored. Several
 * settings of one name may share a line ("( { id = 1; }, { id = 2; } )"):
 * the caller starts after the literal of the one before.
 */
static const char *
find_written(const char *p, const char *lend, const char *name,
	     long long stored, struct lit *l, char *text, size_t len)
{
	size_t nlen = strlen(name);
	const char *e, *q, *r;
	enum tok t;

	for (p = skip_space(p); p < lend && (t = next_token(p, &e)) != T_END;
	     p = skip_space(e)) {
		if (t != T_NAME || (size_t)(e - p) != nlen ||
		    strncmp(p, name, nlen) != 0)
			continue;
		q = literal_after(e, &r);
		if (q == NULL || !read_literal(q, r, l) ||
		    libconfig_value(l,
				    memchr(q, 'x', (size_t)(r - q)) ||
					    memchr(q, 'X', (size_t)(r - q))) !=
			    stored)
			continue;
		snprintf(text, len, "%.*s", (int)(r - q), q);
		return r;
	}
	return NULL;
}

int
cfg_priv_int_written(struct cfg_ctx *ctx, const config_setting_t *s, bool *neg,
		     uint64_t *mag, char *text, size_t len)
{
	struct cfg_src *src = source_of(ctx, s);
	int line = config_setting_source_line(s);
	const char *name = config_setting_name(s);
	const char *from, *lend, *end;
	struct lit l;

	if (src == NULL || name == NULL || line < 1 ||
	    (unsigned int)line > src->n_lines)
		return -ENOENT;
	from = src->str + src->line_at[line - 1];
	if (src->last_line == (unsigned int)line && src->last_end > from)
		from = src->last_end;
	lend = (unsigned int)line < src->n_lines ? src->str + src->line_at[line]
						 : src->str + strlen(src->str);
	end = find_written(from, lend, name, config_setting_get_int64(s), &l,
			   text, len);
	if (end == NULL)
		return -ENOENT;
	src->last_line = (unsigned int)line;
	src->last_end = end;
	*neg = l.neg && l.mag != 0;
	*mag = l.big ? UINT64_MAX : l.mag;
	return l.big ? -ERANGE : 0;
}

/* ------------------------------------------------------------------ */
/* Numbers with units                                                  */

/* Multiplier of a unit suffix, or 0 if @p c is none. */
static uint64_t
unit_mult(enum cfg_unit unit, char c)
{
	static const char suffix[] = "kMGT";
	const char *at = c != '\0' ? strchr(suffix, c == 'K' ? 'k' : c) : NULL;
	uint64_t m = 1;
	long i;

	if (at == NULL || unit == CFG_UNIT_NONE)
		return 0;
	for (i = 0; i <= at - suffix; i++)
		m *= unit == CFG_UNIT_BPS ? 1000 : 1024;
	return m;
}

/* @p n digits at @p s; false on overflow. */
static bool
read_digits(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	for (*v = 0, i = 0; i < n; i++) {
		if (*v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return true;
}

int
cfg_parse_scaled(const char *s, enum cfg_unit unit, uint64_t *v,
		 const char **why)
{
	uint64_t in, fr, m = 1, div = 1;
	const char *unused, *u;
	size_t ni, nf;

	if (why == NULL)
		why = &unused;
	*why = unit == CFG_UNIT_BPS ? "expected bit/s: an integer, or a number "
				      "with k, M, G or T"
				    : "expected bytes: an integer, or a number "
				      "with k, M, G or T";
	if (s == NULL)
		return -EINVAL;
	ni = strspn(s, "0123456789");
	nf = s[ni] == '.' ? strspn(s + ni + 1, "0123456789") : 0;
	u = s + ni + (s[ni] == '.' ? nf + 1 : 0);
	/* six fraction digits keep fr * m below 2^64 */
	if (ni == 0 || (s[ni] == '.' && nf == 0) || nf > 6)
		return -EINVAL;
	if (*u != '\0' && ((m = unit_mult(unit, *u)) == 0 || u[1] != '\0'))
		return -EINVAL;
	read_digits(s + ni + 1, nf, &fr);
	for (; nf > 0; nf--)
		div *= 10;
	if ((fr * m) % div != 0) {
		*why = "not a whole number once the unit is applied";
		return -EINVAL;
	}
	if (!read_digits(s, ni, &in) || in > UINT64_MAX / m ||
	    in * m > UINT64_MAX - fr * m / div) {
		*why = "too large";
		return -ERANGE;
	}
	*v = in * m + fr * m / div;
	*why = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Predicates                                                          */

bool
cfg_ctx_written(struct cfg_ctx *ctx, const char *path)
{
	return ctx->model != NULL &&
	       config_lookup(&ctx->model->cfg, path) != NULL;
}

const char *
cfg_format_mac(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

bool
cfg_mac_is_unicast(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	/* I/G bit: the least significant bit of the first octet */
	return (mac[0] & 1) == 0 && memcmp(mac, zero, sizeof(zero)) != 0;
}

const char *
cfg_ipv4_unusable(uint32_t addr)
{
	if (addr == 0)
		return "is 0.0.0.0";
	if (addr == UINT32_MAX)
		return "is the broadcast address";
	if (addr >> 24 == 127)
		return "is a loopback address (127.0.0.0/8)";
	if (addr >> 28 == 0xe)
		return "is a multicast address (224.0.0.0/4)";
	if (addr >> 28 == 0xf)
		return "is a reserved class E address (240.0.0.0/4)";
	return NULL;
}

bool
cfg_ipv4_is_subnet_broadcast(uint32_t addr, uint32_t net, uint8_t len)
{
	uint32_t mask = len == 0 ? 0 : UINT32_MAX << (32 - len);

	return len < 31 && ((addr ^ net) & mask) == 0 &&
	       (addr | mask) == UINT32_MAX;
}

const char *
cfg_ipv4_host_unusable(uint32_t addr, uint8_t len)
{
	uint32_t mask = len == 0 ? 0 : UINT32_MAX << (32 - len);
	const char *why = cfg_ipv4_unusable(addr);

	if (why != NULL)
		return why;
	if (len == 0)
		return "/0 is not a subnet";
	if (len < 31 && (addr & ~mask) == 0)
		return "is the subnet's network address";
	if (cfg_ipv4_is_subnet_broadcast(addr, addr, len))
		return "is the subnet's broadcast address";
	return NULL;
}
