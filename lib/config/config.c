/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loader of the configuration engine. It reads a libconfig file or
 * string, walks the tree against the sections' schema tables, stores
 * each value in the sections' plain structs, fills defaults by parsing
 * the schema's default text exactly as a value from the file, runs the
 * sections' checks and collects every error as
 * "FILE:LINE: PATH: VALUE: REASON". The libconfig tree stays open in the
 * model so that checks can report lines too. The address parsers shared
 * with other libraries live here as well.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

#define PREFIX_FORMAT "expected an IPv4 prefix a.b.c.d/len"
#define PREFIX_LENGTH "prefix length must be 0..32"
#define MISSING "missing required setting"

/* ------------------------------------------------------------------ */
/* Addresses                                                           */

/*
 * One decimal octet. Leading zeros are refused: inet_aton() reads them
 * as octal, so "010" would mean 8 to some tools and 10 to others.
 */
static int
parse_octet(const char **sp, uint32_t *oct)
{
	const char *s = *sp;
	uint32_t v = 0;
	int n = 0;

	while (n < 4 && s[n] >= '0' && s[n] <= '9') {
		v = v * 10 + (uint32_t)(s[n] - '0');
		n++;
	}
	if (n == 0 || n > 3 || v > 255 || (n > 1 && s[0] == '0'))
		return -EINVAL;
	*oct = v;
	*sp = s + n;
	return 0;
}

int
cfg_parse_ipv4(const char *s, uint32_t *addr)
{
	uint32_t a = 0, oct;
	int i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return -EINVAL;
		if (parse_octet(&s, &oct) < 0)
			return -EINVAL;
		a = a << 8 | oct;
	}
	if (*s != '\0')
		return -EINVAL;
	*addr = a;
	return 0;
}

/* The "len" of "a.b.c.d/len": decimal digits, no leading zero. */
static int
parse_prefix_len(const char *s, uint32_t *len, const char **why)
{
	uint32_t v = 0;
	size_t n;

	/* stop accumulating past 32: the value is wrong anyway */
	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		if (v <= 32)
			v = v * 10 + (uint32_t)(s[n] - '0');
	if (n == 0 || s[n] != '\0' || (n > 1 && s[0] == '0')) {
		*why = PREFIX_FORMAT;
		return -EINVAL;
	}
	if (v > 32) {
		*why = PREFIX_LENGTH;
		return -EINVAL;
	}
	*len = v;
	return 0;
}

int
cfg_parse_ipv4_prefix(const char *s, bool strict,
		      struct cfg_ipv4_prefix *p, const char **why)
{
	/* the hint names the network, so it cannot be a literal */
	static char hint[64];
	const char *slash, *unused;
	char abuf[16], nbuf[16];
	uint32_t addr, len, mask;

	if (why == NULL)
		why = &unused;
	*why = PREFIX_FORMAT;
	slash = s != NULL ? strchr(s, '/') : NULL;
	if (slash == NULL || (size_t)(slash - s) >= sizeof(abuf))
		return -EINVAL;
	memcpy(abuf, s, slash - s);
	abuf[slash - s] = '\0';
	if (cfg_parse_ipv4(abuf, &addr) < 0)
		return -EINVAL;
	if (parse_prefix_len(slash + 1, &len, why) < 0)
		return -EINVAL;
	mask = len == 0 ? 0 : UINT32_MAX << (32 - len);
	if (strict && (addr & ~mask) != 0) {
		snprintf(hint, sizeof(hint),
			 "host bits set (did you mean %s/%u?)",
			 cfg_format_ipv4(addr & mask, nbuf, sizeof(nbuf)),
			 len);
		*why = hint;
		return -EINVAL;
	}
	p->addr = addr;
	p->len = (uint8_t)len;
	*why = NULL;
	return 0;
}

const char *
cfg_format_ipv4(uint32_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}

int
cfg_priv_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly "xx:xx:xx:xx:xx:xx", either case. */
static int
parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t tmp[6];
	int i, hi, lo;

	if (s == NULL || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		hi = cfg_priv_hex_digit(s[3 * i]);
		lo = cfg_priv_hex_digit(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, tmp, sizeof(tmp));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

/* Append @p word to the ", "-separated list in @p buf. */
static void
join_word(char *buf, size_t len, const char *word)
{
	size_t used = strlen(buf);

	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			 word);
}

static void
append(char *buf, size_t len, size_t *n, const char *s)
{
	if (*n < len)
		snprintf(buf + *n, len - *n, "%s", s);
	*n += strlen(s);
}

/* How a character appears inside a libconfig string literal. */
static const char *
escape_char(char c, char *esc, size_t len)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	case '\f':
		return "\\f";
	}
	if ((unsigned char)c < 0x20 || c == 0x7f)
		snprintf(esc, len, "\\x%02x", (unsigned char)c);
	else
		snprintf(esc, len, "%c", c);
	return esc;
}

size_t
cfg_priv_quote(char *buf, size_t len, const char *s)
{
	char esc[8];
	size_t n = 0;

	if (len > 0)
		buf[0] = '\0';
	append(buf, len, &n, "\"");
	for (; *s != '\0'; s++)
		append(buf, len, &n, escape_char(*s, esc, sizeof(esc)));
	append(buf, len, &n, "\"");
	return n;
}

static void report(struct cfg_ctx *ctx, int line, const char *path,
		   const char *value, const char *reason);

/* Store one message in the diag (or only count it when there is none). */
static void __attribute__((format(printf, 2, 3)))
diag_addf(struct cfg_ctx *ctx, const char *fmt, ...)
{
	struct cfg_diag *d = ctx->diag;
	char *msg, **grown;
	va_list ap;
	int len;

	ctx->errors++;
	if (d == NULL)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	grown = realloc(d->msg, (d->n + 1) * sizeof(*grown));
	if (grown != NULL)
		d->msg = grown;
	if (msg == NULL || grown == NULL) {
		free(msg);
		ctx->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	d->msg[d->n++] = msg;
}

/*
 * One error as "FILE:LINE: PATH: VALUE: REASON"; line 0 (nowhere in the
 * file) and a NULL value (nothing to show) are left out.
 */
void
cfg_priv_report(struct cfg_ctx *ctx, int line, const char *path,
		const char *value, const char *reason)
{
	char where[24] = "";
	const char *tail = "";

	if (ctx->diag == NULL) {
		ctx->errors++;
		return;
	}
	/* a bad default is the schema's fault, not the file's */
	if (ctx->in_default) {
		line = 0;
		tail = " (in the schema default)";
	}
	if (line > 0)
		snprintf(where, sizeof(where), ":%d", line);
	diag_addf(ctx, "%s%s: %s: %s%s%s%s", ctx->model->file, where, path,
		  value != NULL ? value : "", value != NULL ? ": " : "",
		  reason, tail);
}

static void
report(struct cfg_ctx *ctx, int line, const char *path, const char *value,
       const char *reason)
{
	cfg_priv_report(ctx, line, path, value, reason);
}

static void
format_float(char *buf, size_t len, double v)
{
	size_t used;

	snprintf(buf, len, "%g", v);
	used = strlen(buf);
	/* "2.0" must not read like the integer 2 */
	if (strspn(buf, "-0123456789") == used)
		snprintf(buf + used, len - used, ".0");
}

/* The value of a scalar setting as written; NULL for groups and lists. */
static const char *
setting_value(const config_setting_t *s, char *buf, size_t len)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		snprintf(buf, len, "%lld", config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		format_float(buf, len, config_setting_get_float(s));
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, len, "%s",
			 config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING:
		cfg_priv_quote(buf, len, config_setting_get_string(s));
		break;
	default:
		return NULL;
	}
	return buf;
}

/* An error about the value of setting @p s, shown with that value. */
static void __attribute__((format(printf, 4, 5)))
bad_value(struct cfg_ctx *ctx, const config_setting_t *s, const char *path,
	  const char *fmt, ...)
{
	char value[256], reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report(ctx, config_setting_source_line(s), path,
	       setting_value(s, value, sizeof(value)), reason);
}

static void
child_path(char *buf, size_t len, const char *parent, const char *key)
{
	if (parent[0] == '\0')
		snprintf(buf, len, "%s", key);
	else
		snprintf(buf, len, "%s.%s", parent, key);
}

/* ------------------------------------------------------------------ */
/* Schema helpers                                                      */

void
cfg_priv_section_field(const struct cfg_section *sec, struct cfg_field *f)
{
	memset(f, 0, sizeof(*f));
	f->key = sec->key;
	f->type = sec->type;
	f->size = sec->schema->size;
	f->min = sec->min;
	f->max = sec->max;
	f->required = sec->required;
	f->sub = sec->schema;
	f->doc = sec->doc;
}

size_t
cfg_priv_elem_size(const struct cfg_field *f)
{
	if (f->type == CFG_LIST && f->size == 0 && f->sub != NULL)
		return f->sub->size;
	return f->size;
}

uint64_t
cfg_priv_uint_max(const struct cfg_field *f)
{
	/* libconfig integers are signed 64-bit: nothing above INT64_MAX */
	uint64_t top = INT64_MAX;

	if (f->size < 8)
		top = (UINT64_C(1) << (8 * f->size)) - 1;
	return f->max == 0 || f->max > top ? top : f->max;
}

static const struct cfg_field *
find_field(const struct cfg_schema *schema, const char *key)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		if (strcmp(schema->fields[i].key, key) == 0)
			return &schema->fields[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static void parse_members(struct cfg_ctx *ctx, const struct cfg_schema *sc,
			  const config_setting_t *g, const char *path,
			  void *base);
static void absent_field(struct cfg_ctx *ctx, const struct cfg_field *f,
			 int line, const char *path, void *base, bool enforce);

static void
parse_bool(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		bad_value(ctx, s, path, "expected true or false");
		return;
	}
	*(bool *)dst = config_setting_get_bool(s) != 0;
}

static void
store_uint(void *dst, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(dst, &u8, sizeof(u8));
		break;
	case 2:
		memcpy(dst, &u16, sizeof(u16));
		break;
	case 4:
		memcpy(dst, &u32, sizeof(u32));
		break;
	case 8:
		memcpy(dst, &v, sizeof(v));
		break;
	}
}

/*
 * The value of an integer setting as written: libconfig 1.5 keeps 32 bits
 * of a literal without L, so a literal that does not give back the
 * stored value is shown as written and refused (or bounds-checked, if
 * it is out of range anyway).
 */
static bool
uint_as_written(struct cfg_ctx *ctx, const struct cfg_field *f,
		const config_setting_t *s, const char *path, uint64_t max)
{
	long long v = config_setting_get_int64(s);
	char text[64], reason[256];
	uint64_t mag;
	bool neg;
	int ret;

	ret = cfg_priv_int_written(ctx, s, &neg, &mag, text, sizeof(text));
	if (ret == -ENOENT || (ret == 0 && (neg == (v < 0)) &&
			       mag == (neg ? (uint64_t)0 - (uint64_t)v :
				       (uint64_t)v)))
		return true;
	if (ret < 0 || neg || mag < f->min || mag > max)
		snprintf(reason, sizeof(reason), "must be %" PRIu64 "..%" PRIu64,
			 f->min, max);
	else
		snprintf(reason, sizeof(reason),
			 "does not fit in libconfig's 32-bit integers: write "
			 "it as %sL%s", text, f->unit != CFG_UNIT_NONE ?
			 " or as a string with a unit (\"10G\")" : "");
	report(ctx, config_setting_source_line(s), path, text, reason);
	return false;
}

static void
parse_uint(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	uint64_t max = cfg_priv_uint_max(f), u;
	int type = config_setting_type(s);
	const char *why;
	long long v;

	if (type == CONFIG_TYPE_STRING && f->unit != CFG_UNIT_NONE) {
		if (cfg_parse_scaled(config_setting_get_string(s), f->unit,
				     &u, &why) < 0)
			bad_value(ctx, s, path, "%s", why);
		else if (u < f->min || u > max)
			bad_value(ctx, s, path, "must be %" PRIu64 "..%" PRIu64,
				  f->min, max);
		else
			store_uint(dst, f->size, u);
		return;
	}
	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
		bad_value(ctx, s, path,
			  "expected an integer %" PRIu64 "..%" PRIu64 "%s",
			  f->min, max, f->unit != CFG_UNIT_NONE ?
			  " or a string with a unit (\"10G\")" : "");
		return;
	}
	if (!uint_as_written(ctx, f, s, path, max))
		return;
	v = config_setting_get_int64(s);
	if (v < 0 || (uint64_t)v < f->min || (uint64_t)v > max) {
		bad_value(ctx, s, path, "must be %" PRIu64 "..%" PRIu64,
			  f->min, max);
		return;
	}
	store_uint(dst, f->size, (uint64_t)v);
}

/* A string into a char[size] buffer: present, not empty, and fits. */
static void
store_string(struct cfg_ctx *ctx, const config_setting_t *s,
	     const char *path, size_t size, char *dst)
{
	const char *str = config_setting_get_string(s);
	size_t len;

	if (str == NULL) {
		bad_value(ctx, s, path, "expected a string");
		return;
	}
	len = strlen(str);
	if (len == 0)
		bad_value(ctx, s, path, "must not be empty");
	else if (len >= size)
		bad_value(ctx, s, path, "too long (at most %zu characters)",
			  size > 0 ? size - 1 : 0);
	else
		memcpy(dst, str, len + 1);
}

static void
parse_string(struct cfg_ctx *ctx, const struct cfg_field *f,
	     const config_setting_t *s, const char *path, void *dst)
{
	store_string(ctx, s, path, f->size, dst);
}

static void
parse_ipv4(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	uint32_t addr;

	if (cfg_parse_ipv4(config_setting_get_string(s), &addr) < 0) {
		bad_value(ctx, s, path, "expected an IPv4 address a.b.c.d");
		return;
	}
	*(uint32_t *)dst = addr;
}

static void
parse_prefix(struct cfg_ctx *ctx, const struct cfg_field *f,
	     const config_setting_t *s, const char *path, void *dst)
{
	const char *why = PREFIX_FORMAT;
	struct cfg_ipv4_prefix p;

	if (cfg_parse_ipv4_prefix(config_setting_get_string(s),
				  f->type == CFG_IPV4_PREFIX, &p, &why) < 0) {
		bad_value(ctx, s, path, "%s", why);
		return;
	}
	*(struct cfg_ipv4_prefix *)dst = p;
}

static void
parse_ipv6(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	if (cfg_parse_ipv6(config_setting_get_string(s), dst) < 0)
		bad_value(ctx, s, path, "expected an IPv6 address");
}

static void
parse_prefix6(struct cfg_ctx *ctx, const struct cfg_field *f,
	      const config_setting_t *s, const char *path, void *dst)
{
	const char *why = NULL;
	struct cfg_ipv6_prefix p;

	if (cfg_parse_ipv6_prefix(config_setting_get_string(s),
				  f->type == CFG_IPV6_PREFIX, &p, &why) < 0) {
		bad_value(ctx, s, path, "%s", why);
		return;
	}
	*(struct cfg_ipv6_prefix *)dst = p;
}

static void
parse_mac_field(struct cfg_ctx *ctx, const struct cfg_field *f,
		const config_setting_t *s, const char *path, void *dst)
{
	if (parse_mac(config_setting_get_string(s), dst) < 0)
		bad_value(ctx, s, path,
			  "expected a MAC address xx:xx:xx:xx:xx:xx");
}

static void
parse_enum(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	const char *str = config_setting_get_string(s);
	const struct cfg_enum *e;
	char names[512] = "";

	for (e = f->enums; e != NULL && e->name != NULL; e++) {
		if (str != NULL && strcmp(e->name, str) == 0) {
			*(int *)dst = e->value;
			return;
		}
		join_word(names, sizeof(names), e->name);
	}
	bad_value(ctx, s, path, "expected one of: %s", names);
}

static void
parse_group(struct cfg_ctx *ctx, const struct cfg_field *f,
	    const config_setting_t *s, const char *path, void *dst)
{
	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		bad_value(ctx, s, path, "expected a group");
		return;
	}
	parse_members(ctx, f->sub, s, path, dst);
}

static bool
is_list(const config_setting_t *s)
{
	int type = config_setting_type(s);

	return type == CONFIG_TYPE_LIST || type == CONFIG_TYPE_ARRAY;
}

/* Check the element count and allocate the items; false: nothing to do. */
static bool
alloc_array(struct cfg_ctx *ctx, const struct cfg_field *f,
	    const config_setting_t *s, const char *path, struct cfg_array *a)
{
	unsigned int n = (unsigned int)config_setting_length(s);
	int line = config_setting_source_line(s);
	char reason[96];

	if (n < f->min || (f->max != 0 && n > f->max)) {
		if (f->max != 0)
			snprintf(reason, sizeof(reason),
				 "expects %" PRIu64 "..%" PRIu64 " elements",
				 f->min, f->max);
		else
			snprintf(reason, sizeof(reason),
				 "expects at least %" PRIu64 " elements",
				 f->min);
		report(ctx, line, path, NULL, reason);
	}
	if (n == 0)
		return false;
	/* elements are checked even when the count is wrong: more errors */
	a->items = calloc(n, cfg_priv_elem_size(f));
	if (a->items == NULL) {
		ctx->nomem = true;
		return false;
	}
	a->n = n;
	return true;
}

/* A list () or array [] whose elements are all groups. */
static bool
is_group_list(const config_setting_t *s)
{
	const config_setting_t *e;
	unsigned int i;

	if (!is_list(s))
		return false;
	for (i = 0; (e = config_setting_get_elem(s, i)) != NULL; i++)
		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return false;
	return true;
}

static void
parse_list(struct cfg_ctx *ctx, const struct cfg_field *f,
	   const config_setting_t *s, const char *path, void *dst)
{
	struct cfg_array *a = dst;
	size_t size = cfg_priv_elem_size(f);
	char ep[CFG_PATH_MAX];
	unsigned int i;

	if (!is_group_list(s)) {
		bad_value(ctx, s, path, "expected a list of groups");
		return;
	}
	if (!alloc_array(ctx, f, s, path, a))
		return;
	for (i = 0; i < a->n; i++) {
		snprintf(ep, sizeof(ep), "%s.[%u]", path, i);
		parse_members(ctx, f->sub, config_setting_get_elem(s, i), ep,
			      (char *)a->items + i * size);
	}
}

static void
parse_strings(struct cfg_ctx *ctx, const struct cfg_field *f,
	      const config_setting_t *s, const char *path, void *dst)
{
	struct cfg_array *a = dst;
	char ep[CFG_PATH_MAX];
	unsigned int i;

	if (!is_list(s)) {
		bad_value(ctx, s, path, "expected a list of strings");
		return;
	}
	if (!alloc_array(ctx, f, s, path, a))
		return;
	for (i = 0; i < a->n; i++) {
		snprintf(ep, sizeof(ep), "%s.[%u]", path, i);
		store_string(ctx, config_setting_get_elem(s, i), ep, f->size,
			     (char *)a->items + i * f->size);
	}
}

static void (*const parsers[])(struct cfg_ctx *ctx,
			       const struct cfg_field *f,
			       const config_setting_t *s, const char *path,
			       void *dst) = {
	[CFG_BOOL] = parse_bool,
	[CFG_UINT] = parse_uint,
	[CFG_STRING] = parse_string,
	[CFG_IPV4] = parse_ipv4,
	[CFG_IPV4_PREFIX] = parse_prefix,
	[CFG_IPV4_IFADDR] = parse_prefix,
	[CFG_MAC] = parse_mac_field,
	[CFG_ENUM] = parse_enum,
	[CFG_GROUP] = parse_group,
	[CFG_LIST] = parse_list,
	[CFG_STRING_LIST] = parse_strings,
	[CFG_IPV6] = parse_ipv6,
	[CFG_IPV6_PREFIX] = parse_prefix6,
	[CFG_IPV6_IFADDR] = parse_prefix6,
};

/* Parse present setting @p s into the field's place in @p base. */
static void
parse_field(struct cfg_ctx *ctx, const struct cfg_field *f,
	    const config_setting_t *s, const char *path, void *base)
{
	if ((unsigned int)f->type >= DIM(parsers)) {
		report(ctx, 0, path, NULL, "unknown field type in the schema");
		return;
	}
	parsers[f->type](ctx, f, s, path, (char *)base + f->offset);
}

/* A key the schema does not have; the message lists those it has. */
static void
unknown_key(struct cfg_ctx *ctx, const struct cfg_schema *sc,
	    const config_setting_t *c, const char *path)
{
	char keys[512] = "", reason[600];
	unsigned int i;

	for (i = 0; i < sc->n_fields; i++)
		join_word(keys, sizeof(keys), sc->fields[i].key);
	snprintf(reason, sizeof(reason),
		 "unknown setting (expected one of: %s)", keys);
	report(ctx, config_setting_source_line(c), path, NULL, reason);
}

/* Every key of a group: present ones in file order, then absent ones. */
static void
parse_members(struct cfg_ctx *ctx, const struct cfg_schema *sc,
	      const config_setting_t *g, const char *path, void *base)
{
	const struct cfg_field *f;
	const config_setting_t *c;
	char cp[CFG_PATH_MAX];
	unsigned int i;

	for (i = 0; (c = config_setting_get_elem(g, i)) != NULL; i++) {
		child_path(cp, sizeof(cp), path, config_setting_name(c));
		f = find_field(sc, config_setting_name(c));
		if (f == NULL)
			unknown_key(ctx, sc, c, cp);
		else
			parse_field(ctx, f, c, cp, base);
	}
	for (i = 0; i < sc->n_fields; i++) {
		f = &sc->fields[i];
		if (config_setting_get_member(g, f->key) != NULL)
			continue;
		child_path(cp, sizeof(cp), path, f->key);
		absent_field(ctx, f, config_setting_source_line(g), cp, base,
			     true);
	}
}

/* ------------------------------------------------------------------ */
/* Defaults                                                            */

/* Parse the field's default text as if it were written in the file. */
static void
parse_default(struct cfg_ctx *ctx, const struct cfg_field *f,
	      const char *path, void *base)
{
	size_t len = strlen(f->def) + sizeof("v = ;");
	bool outer = ctx->in_default;
	char *text = malloc(len);
	struct cfg_src *outer_src;
	const char *outer_text;
	config_t d;

	if (text == NULL) {
		ctx->nomem = true;
		return;
	}
	snprintf(text, len, "v = %s;", f->def);
	config_init(&d);
	ctx->in_default = true;
	/* integers of a default are read back from its own text */
	outer_text = ctx->text;
	outer_src = ctx->src;
	ctx->text = text;
	ctx->src = NULL;
	if (config_read_string(&d, text) == CONFIG_TRUE)
		parse_field(ctx, f, config_lookup(&d, "v"), path, base);
	else
		report(ctx, 0, path, f->def, config_error_text(&d));
	cfg_priv_src_free(ctx->src);
	ctx->src = outer_src;
	ctx->text = outer_text;
	ctx->in_default = outer;
	config_destroy(&d);
	free(text);
}

/* Every field of a group that is absent as a whole gets its default. */
static void
default_members(struct cfg_ctx *ctx, const struct cfg_schema *sc,
		const char *path, void *base)
{
	char cp[CFG_PATH_MAX];
	unsigned int i;

	for (i = 0; i < sc->n_fields; i++) {
		child_path(cp, sizeof(cp), path, sc->fields[i].key);
		absent_field(ctx, &sc->fields[i], 0, cp, base, false);
	}
}

/*
 * A field that is not in the file. Required keys of a group that is
 * itself absent (and optional) are not enforced: they only matter once
 * somebody writes the group.
 */
static void
absent_field(struct cfg_ctx *ctx, const struct cfg_field *f, int line,
	     const char *path, void *base, bool enforce)
{
	if (f->required && enforce) {
		report(ctx, line, path, NULL, MISSING);
		return;
	}
	if (f->def != NULL)
		parse_default(ctx, f, path, base);
	else if (f->type == CFG_GROUP && f->sub != NULL)
		default_members(ctx, f->sub, path, (char *)base + f->offset);
	/* else zero, as calloc() left it; an absent list is empty */
}

int
cfg_priv_defaults(const struct cfg_schema *schema, void *base)
{
	struct cfg_ctx ctx = { .model = NULL, .diag = NULL };

	default_members(&ctx, schema, "", base);
	if (ctx.nomem)
		return -ENOMEM;
	return ctx.errors > 0 ? -EINVAL : 0;
}

int
cfg_row_defaults(const struct cfg_schema *schema, void *row)
{
	return cfg_priv_defaults(schema, row);
}

/* ------------------------------------------------------------------ */
/* Sections and checks                                                 */

static int
find_section(const struct cfg_model *m, const char *key)
{
	unsigned int k;

	for (k = 0; k < m->n; k++)
		if (strcmp(m->sections[k]->key, key) == 0)
			return (int)k;
	return -1;
}

static void
unknown_section(struct cfg_ctx *ctx, const config_setting_t *s)
{
	const struct cfg_model *m = ctx->model;
	char keys[512] = "", reason[600];
	unsigned int k;

	for (k = 0; k < m->n; k++)
		join_word(keys, sizeof(keys), m->sections[k]->key);
	snprintf(reason, sizeof(reason),
		 "unknown setting (expected one of: %s)", keys);
	report(ctx, config_setting_source_line(s), config_setting_name(s),
	       NULL, reason);
}

/* Parse (or default, when @p s is NULL) section @p k; count its errors. */
static void
load_section(struct cfg_ctx *ctx, unsigned int k, const config_setting_t *s,
	     unsigned int *errs)
{
	unsigned int before = ctx->errors;
	struct cfg_field f;

	cfg_priv_section_field(ctx->model->sections[k], &f);
	if (s != NULL)
		parse_field(ctx, &f, s, f.key, ctx->model->data[k]);
	else
		absent_field(ctx, &f, 0, f.key, ctx->model->data[k], true);
	errs[k] += ctx->errors - before;
}

/* Top-level settings in file order, then the sections not in the file. */
static void
parse_sections(struct cfg_ctx *ctx, unsigned int *errs)
{
	struct cfg_model *m = ctx->model;
	config_setting_t *root = config_root_setting(&m->cfg);
	const config_setting_t *s;
	unsigned int i;
	int k;

	for (i = 0; (s = config_setting_get_elem(root, i)) != NULL; i++) {
		k = find_section(m, config_setting_name(s));
		if (k < 0)
			unknown_section(ctx, s);
		else
			load_section(ctx, (unsigned int)k, s, errs);
	}
	for (i = 0; i < m->n; i++)
		if (config_setting_get_member(root, m->sections[i]->key) ==
		    NULL)
			load_section(ctx, i, NULL, errs);
}

/* Checks in section order, while every section so far parsed cleanly. */
static void
run_checks(struct cfg_ctx *ctx, const unsigned int *errs)
{
	struct cfg_model *m = ctx->model;
	unsigned int k, before;
	int ret;

	for (k = 0; k < m->n && errs[k] == 0; k++) {
		if (m->sections[k]->check == NULL)
			continue;
		before = ctx->errors;
		ret = m->sections[k]->check(ctx, m);
		/* a check that failed silently still fails the load */
		if (ret != 0 && ctx->errors == before)
			report(ctx, 0, m->sections[k]->key, NULL,
			       "check failed");
	}
}

struct cfg_model *
cfg_ctx_model(struct cfg_ctx *ctx)
{
	return ctx->model;
}

/* Line of @p path, or of its nearest parent in the file; 0 if none. */
int
cfg_priv_path_line(struct cfg_model *m, const char *path)
{
	char buf[CFG_PATH_MAX];
	const config_setting_t *s;
	char *dot;

	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		s = config_lookup(&m->cfg, buf);
		if (s != NULL)
			return config_setting_source_line(s);
		dot = strrchr(buf, '.');
		if (dot == NULL)
			return 0;
		*dot = '\0';
	}
}

void
cfg_error(struct cfg_ctx *ctx, const char *path, const char *value,
	  const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report(ctx, cfg_priv_path_line(ctx->model, path), path, value,
	       reason);
}

/* ------------------------------------------------------------------ */
/* Models                                                              */

struct cfg_model *
cfg_priv_model_new(const char *name, const struct cfg_section *const *sections,
	  unsigned int n)
{
	struct cfg_model *m = calloc(1, sizeof(*m));
	unsigned int k;
	size_t size;

	if (m == NULL)
		return NULL;
	config_init(&m->cfg);
	m->file = strdup(name);
	m->sections = calloc(n + 1, sizeof(*m->sections));
	m->data = calloc(n + 1, sizeof(*m->data));
	if (m->file == NULL || m->sections == NULL || m->data == NULL)
		goto fail;
	m->n = n;
	for (k = 0; k < n; k++) {
		m->sections[k] = sections[k];
		size = sections[k]->type == CFG_LIST ?
			sizeof(struct cfg_array) : sections[k]->schema->size;
		m->data[k] = calloc(1, size > 0 ? size : 1);
		if (m->data[k] == NULL)
			goto fail;
	}
	return m;
fail:
	cfg_model_free(m);
	return NULL;
}

void
cfg_priv_free_members(const struct cfg_schema *schema, void *base)
{
	const struct cfg_field *f;
	struct cfg_array *a;
	unsigned int i, j;

	for (i = 0; i < schema->n_fields; i++) {
		f = &schema->fields[i];
		a = (struct cfg_array *)((char *)base + f->offset);
		if (f->type == CFG_GROUP)
			cfg_priv_free_members(f->sub, a);
		if (f->type != CFG_LIST && f->type != CFG_STRING_LIST)
			continue;
		for (j = 0; f->type == CFG_LIST && j < a->n; j++)
			cfg_priv_free_members(f->sub, (char *)a->items +
					      j * cfg_priv_elem_size(f));
		free(a->items);
		a->items = NULL;
		a->n = 0;
	}
}

/* Free what section @p k holds, as a one-field schema over its data. */
static void
free_section(struct cfg_model *m, unsigned int k)
{
	struct cfg_schema one = { .n_fields = 1 };
	struct cfg_field f;

	cfg_priv_section_field(m->sections[k], &f);
	one.fields = &f;
	cfg_priv_free_members(&one, m->data[k]);
	free(m->data[k]);
}

void
cfg_model_free(struct cfg_model *model)
{
	unsigned int k;

	if (model == NULL)
		return;
	for (k = 0; k < model->n; k++)
		if (model->data[k] != NULL)
			free_section(model, k);
	config_destroy(&model->cfg);
	free(model->data);
	free(model->sections);
	free(model->file);
	free(model);
}

void
cfg_diag_free(struct cfg_diag *diag)
{
	unsigned int i;

	if (diag == NULL)
		return;
	for (i = 0; i < diag->n; i++)
		free(diag->msg[i]);
	free(diag->msg);
	diag->msg = NULL;
	diag->n = 0;
}

void *
cfg_model_section(const struct cfg_model *model, const char *key)
{
	int k;

	if (model == NULL || key == NULL)
		return NULL;
	k = find_section(model, key);
	return k < 0 ? NULL : model->data[k];
}

const char *
cfg_model_file(const struct cfg_model *model)
{
	return model != NULL ? model->file : NULL;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/*
 * "FILE:LINE: syntax error at "TOK": WHAT" and the line with a caret
 * under the token, if the grammar walk (config_syntax.c) finds a fault
 * no later than the line libconfig stopped on. @return 0 if it did not.
 */
static int
syntax_at(struct cfg_ctx *ctx, const char *file, const char *str, int line)
{
	char *own = str == NULL ? cfg_priv_read_file(file) : NULL;
	const char *text = str != NULL ? str : own;
	struct cfg_syntax_err e;
	char caret[2 * 256];
	int found = 0;

	if (text != NULL && cfg_priv_syntax_find(text, &e) &&
	    (line <= 0 || e.line <= line)) {
		cfg_priv_syntax_caret(text, e.at, caret, sizeof(caret));
		if (e.token[0] != '\0')
			diag_addf(ctx, "%s:%d: syntax error at \"%s\": %s\n%s",
				  file, e.line, e.token, e.what, caret);
		else
			diag_addf(ctx, "%s:%d: syntax error at end of file: %s",
				  file, e.line, e.what);
		found = 1;
	}
	free(own);
	return found;
}

/* libconfig could not read the text: one message, no model. */
static int
read_failed(struct cfg_model *m, const char *str, struct cfg_diag *diag,
	    int err)
{
	struct cfg_ctx ctx = { .model = m, .diag = diag };
	const char *near;
	char buf[160];
	const char *file = config_error_file(&m->cfg);
	const char *text = config_error_text(&m->cfg);
	int line = config_error_line(&m->cfg);
	int ret;

	if (file == NULL)
		file = m->file;
	if (text == NULL)
		text = "unknown error";
	/* libconfig names no token: find it, else show the line */
	near = cfg_priv_line_text(file, str, line, buf, sizeof(buf));
	if (config_error_type(&m->cfg) == CONFIG_ERR_FILE_IO)
		diag_addf(&ctx, "%s: cannot read: %s", m->file,
			  err != 0 ? strerror(err) : text);
	else if (strcmp(text, "syntax error") != 0)
		diag_addf(&ctx, "%s:%d: syntax error: %s%s%s", file, line, text,
			  near != NULL ? " in: " : "", near != NULL ? near : "");
	else if (!syntax_at(&ctx, file, str, line))
		diag_addf(&ctx, "%s:%d: syntax error%s%s", file, line,
			  near != NULL ? " in: " : "",
			  near != NULL ? near : "");
	ret = ctx.nomem ? -ENOMEM : -EINVAL;
	cfg_model_free(m);
	return ret;
}

/* The tree is read: parse, default, check; keep the model if clean. */
static int
load(struct cfg_model *m, const char *text, struct cfg_model **model,
     struct cfg_diag *diag)
{
	struct cfg_ctx ctx = { .model = m, .diag = diag, .text = text };
	unsigned int *errs = calloc(m->n + 1, sizeof(*errs));

	if (errs == NULL) {
		cfg_model_free(m);
		return -ENOMEM;
	}
	parse_sections(&ctx, errs);
	cfg_priv_src_free(ctx.src);
	ctx.src = NULL;
	cfg_priv_check_keys(&ctx, errs);
	run_checks(&ctx, errs);
	free(errs);
	if (ctx.nomem || ctx.errors > 0) {
		cfg_model_free(m);
		return ctx.nomem ? -ENOMEM : -EINVAL;
	}
	m->checked = true;
	*model = m;
	return 0;
}

int
cfg_model_check(struct cfg_model *model, struct cfg_diag *diag)
{
	struct cfg_ctx ctx = { .model = model, .diag = diag };
	unsigned int *errs = calloc(model->n + 1, sizeof(*errs));

	if (diag != NULL) {
		diag->msg = NULL;
		diag->n = 0;
	}
	if (errs == NULL)
		return -ENOMEM;
	cfg_priv_check_keys(&ctx, errs);
	run_checks(&ctx, errs);
	free(errs);
	if (ctx.nomem)
		return -ENOMEM;
	model->checked = ctx.errors == 0;
	return ctx.errors > 0 ? -EINVAL : 0;
}

/* Common argument checks and setup of both loaders. */
static int
load_begin(const char *name, const struct cfg_section *const *sections,
	   unsigned int n, struct cfg_model **model, struct cfg_diag *diag,
	   struct cfg_model **m)
{
	if (diag != NULL) {
		diag->msg = NULL;
		diag->n = 0;
	}
	if (model == NULL)
		return -EINVAL;
	*model = NULL;
	if (name == NULL || (sections == NULL && n > 0))
		return -EINVAL;
	*m = cfg_priv_model_new(name, sections, n);
	return *m == NULL ? -ENOMEM : 0;
}

int
cfg_load_file(const char *path, const struct cfg_section *const *sections,
	      unsigned int n, struct cfg_model **model, struct cfg_diag *diag)
{
	struct cfg_model *m;
	int ret;

	ret = load_begin(path, sections, n, model, diag, &m);
	if (ret < 0)
		return ret;
	errno = 0;
	if (config_read_file(&m->cfg, path) != CONFIG_TRUE)
		return read_failed(m, NULL, diag, errno);
	return load(m, NULL, model, diag);
}

int
cfg_load_string(const char *name, const char *text,
		const struct cfg_section *const *sections, unsigned int n,
		struct cfg_model **model, struct cfg_diag *diag)
{
	struct cfg_model *m;
	int ret;

	ret = load_begin(name, sections, n, model, diag, &m);
	if (ret < 0)
		return ret;
	if (text == NULL) {
		cfg_model_free(m);
		return -EINVAL;
	}
	if (config_read_string(&m->cfg, text) != CONFIG_TRUE)
		return read_failed(m, text, diag, 0);
	return load(m, text, model, diag);
}

void *
cfg_array_append(struct cfg_array *a, size_t size, const void *elem)
{
	uint8_t *items = realloc(a->items, (a->n + 1) * size);

	if (items == NULL)
		return NULL;
	memcpy(items + a->n * size, elem, size);
	a->items = items;
	return items + a->n++ * size;
}

void
cfg_array_remove(struct cfg_array *a, size_t size, unsigned int idx)
{
	uint8_t *items = a->items;

	if (idx >= a->n)
		return;
	memmove(items + idx * size, items + (idx + 1) * size,
		(a->n - idx - 1) * size);
	a->n--;
}
