/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writer of the configuration engine: prints a model back in libconfig
 * syntax from the same schema tables that loaded it (the CLI's
 * `show running-config`). Required keys are always printed, optional
 * ones only when they differ from their default, which is found by
 * loading the defaults into a scratch struct, so the output stays short
 * and loads back to an equal model. Also compares models.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

/* A list element goes on one line when it fits in this many columns. */
#define WRAP_COLUMNS 100
#define TAB_WIDTH 8

struct writer {
	FILE *f;
	int err;	/* first -errno met; later output is best effort */
	bool redact;	/* hide the values of .secret fields */
};

static bool members_equal(const struct cfg_schema *schema, const void *a,
			  const void *b);
static void write_group(struct writer *w, const struct cfg_schema *schema,
			const void *base, unsigned int depth, bool inl);

/* ------------------------------------------------------------------ */
/* Comparison                                                          */

static uint64_t
get_uint(const void *p, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, sizeof(u8));
		return u8;
	case 2:
		memcpy(&u16, p, sizeof(u16));
		return u16;
	case 4:
		memcpy(&u32, p, sizeof(u32));
		return u32;
	case 8:
		memcpy(&u64, p, sizeof(u64));
		return u64;
	}
	return 0;
}

static bool
array_equal(const struct cfg_field *f, const struct cfg_array *a,
	    const struct cfg_array *b)
{
	size_t size = cfg_priv_elem_size(f);
	const char *pa, *pb;
	unsigned int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		pa = (const char *)a->items + i * size;
		pb = (const char *)b->items + i * size;
		if (f->type == CFG_LIST ? !members_equal(f->sub, pa, pb) :
		    strncmp(pa, pb, size) != 0)
			return false;
	}
	return true;
}

/* Compare one field of two group structs by value, not by bytes. */
static bool
field_equal(const struct cfg_field *f, const void *a, const void *b)
{
	const char *pa = (const char *)a + f->offset;
	const char *pb = (const char *)b + f->offset;
	const struct cfg_ipv4_prefix *xa = (const void *)pa;
	const struct cfg_ipv4_prefix *xb = (const void *)pb;

	switch (f->type) {
	case CFG_BOOL:
		return *(const bool *)pa == *(const bool *)pb;
	case CFG_UINT:
		return get_uint(pa, f->size) == get_uint(pb, f->size);
	case CFG_STRING:
		return strncmp(pa, pb, f->size) == 0;
	case CFG_IPV4:
		return *(const uint32_t *)pa == *(const uint32_t *)pb;
	case CFG_IPV4_PREFIX:
	case CFG_IPV4_IFADDR:
		return xa->addr == xb->addr && xa->len == xb->len;
	case CFG_MAC:
		return memcmp(pa, pb, 6) == 0;
	case CFG_IPV6:
		return memcmp(pa, pb, 16) == 0;
	case CFG_IPV6_PREFIX:
	case CFG_IPV6_IFADDR:
		return memcmp(pa, pb, 17) == 0;
	case CFG_ENUM:
		return *(const int *)pa == *(const int *)pb;
	case CFG_GROUP:
		return members_equal(f->sub, pa, pb);
	case CFG_LIST:
	case CFG_STRING_LIST:
		return array_equal(f, (const void *)pa, (const void *)pb);
	}
	return true;
}

static bool
members_equal(const struct cfg_schema *schema, const void *a, const void *b)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		if (!field_equal(&schema->fields[i], a, b))
			return false;
	return true;
}

static bool
key_in(const char *key, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

bool
cfg_group_equal(const struct cfg_schema *schema, const void *a, const void *b,
		const char *const *except)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		if (!key_in(schema->fields[i].key, except) &&
		    !field_equal(&schema->fields[i], a, b))
			return false;
	return true;
}

bool
cfg_section_equal(const struct cfg_model *a, const struct cfg_model *b,
		  const char *key)
{
	const void *da = cfg_model_section(a, key);
	const void *db = cfg_model_section(b, key);
	struct cfg_field f;
	unsigned int k;

	if (da == NULL || db == NULL)
		return da == db;
	for (k = 0; k < a->n && strcmp(a->sections[k]->key, key) != 0; k++)
		;
	cfg_priv_section_field(a->sections[k], &f);
	return field_equal(&f, da, db);
}

bool
cfg_model_equal(const struct cfg_model *a, const struct cfg_model *b)
{
	struct cfg_field f;
	unsigned int k;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->n != b->n)
		return false;
	for (k = 0; k < a->n; k++) {
		if (a->sections[k] != b->sections[k])
			return false;
		cfg_priv_section_field(a->sections[k], &f);
		if (!field_equal(&f, a->data[k], b->data[k]))
			return false;
	}
	return true;
}

/* A zeroed struct of @p schema holding its defaults; NULL if no memory. */
static void *
defaults_new(const struct cfg_schema *schema)
{
	void *def = calloc(1, schema->size > 0 ? schema->size : 1);

	/* a bad default was reported at load; here it just stays zero */
	if (def != NULL && cfg_priv_defaults(schema, def) == -ENOMEM) {
		cfg_priv_free_members(schema, def);
		free(def);
		def = NULL;
	}
	return def;
}

static void
defaults_free(const struct cfg_schema *schema, void *def)
{
	cfg_priv_free_members(schema, def);
	free(def);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static void
indent(FILE *f, unsigned int depth)
{
	while (depth-- > 0)
		fputc('\t', f);
}

static void
write_string(struct writer *w, const char *s)
{
	size_t len = cfg_priv_quote(NULL, 0, s) + 1;
	char *buf = malloc(len);

	if (buf == NULL) {
		w->err = -ENOMEM;
		return;
	}
	cfg_priv_quote(buf, len, s);
	fputs(buf, w->f);
	free(buf);
}

static void
write_enum(struct writer *w, const struct cfg_field *f, int v)
{
	const struct cfg_enum *e;

	for (e = f->enums; e != NULL && e->name != NULL; e++) {
		if (e->value == v) {
			fprintf(w->f, "\"%s\"", e->name);
			return;
		}
	}
	/* not a name a check could have meant; show it rather than lose it */
	fprintf(w->f, "%d", v);
}

static void
write_scalar(struct writer *w, const struct cfg_field *f, const void *p)
{
	const struct cfg_ipv4_prefix *pfx = p;
	const uint8_t *mac = p;
	char buf[48];
	uint64_t v;

	switch (f->type) {
	case CFG_BOOL:
		fputs(*(const bool *)p ? "true" : "false", w->f);
		break;
	case CFG_UINT:
		v = get_uint(p, f->size);
		/* libconfig 1.5 truncates larger literals without L */
		fprintf(w->f, "%" PRIu64 "%s", v, v > INT32_MAX ? "L" : "");
		break;
	case CFG_STRING:
		write_string(w, w->redact && f->secret ? "<secret>" : p);
		break;
	case CFG_IPV4:
		fprintf(w->f, "\"%s\"", cfg_format_ipv4(*(const uint32_t *)p,
							buf, sizeof(buf)));
		break;
	case CFG_IPV4_PREFIX:
	case CFG_IPV4_IFADDR:
		fprintf(w->f, "\"%s/%u\"",
			cfg_format_ipv4(pfx->addr, buf, sizeof(buf)), pfx->len);
		break;
	case CFG_MAC:
		fprintf(w->f, "\"%s\"", cfg_format_mac(mac, buf, sizeof(buf)));
		break;
	case CFG_ENUM:
		write_enum(w, f, *(const int *)p);
		break;
	case CFG_IPV6:
		fprintf(w->f, "\"%s\"", cfg_format_ipv6(p, buf, sizeof(buf)));
		break;
	case CFG_IPV6_PREFIX:
	case CFG_IPV6_IFADDR:
		fprintf(w->f, "\"%s/%u\"",
			cfg_format_ipv6(p, buf, sizeof(buf)),
			((const struct cfg_ipv6_prefix *)(const void *)p)->len);
		break;
	default:
		break;
	}
}

static void
write_strings(struct writer *w, const struct cfg_field *f,
	      const struct cfg_array *a)
{
	unsigned int i;

	fputc('(', w->f);
	for (i = 0; i < a->n; i++) {
		fputs(i > 0 ? ", " : " ", w->f);
		write_string(w, (const char *)a->items + i * f->size);
	}
	fputs(" )", w->f);
}

/* One list element: on one line if it fits, else spread over several. */
static void
write_element(struct writer *w, const struct cfg_schema *schema,
	      const void *item, unsigned int depth)
{
	struct writer line = { .err = 0 };
	size_t len = 0;
	char *buf = NULL;

	line.f = open_memstream(&buf, &len);
	if (line.f == NULL) {
		w->err = -errno;
		return;
	}
	write_group(&line, schema, item, depth, true);
	if (fclose(line.f) != 0 && line.err == 0)
		line.err = -ENOMEM;
	if (line.err != 0)
		w->err = line.err;
	else if (depth * TAB_WIDTH + len + 1 <= WRAP_COLUMNS)
		fputs(buf, w->f);
	else
		write_group(w, schema, item, depth, false);
	free(buf);
}

static void
write_list(struct writer *w, const struct cfg_field *f,
	   const struct cfg_array *a, unsigned int depth, bool inl)
{
	size_t size = cfg_priv_elem_size(f);
	const char *item;
	unsigned int i;

	if (a->n == 0) {
		fputs("( )", w->f);
		return;
	}
	fputc('(', w->f);
	for (i = 0; i < a->n; i++) {
		item = (const char *)a->items + i * size;
		if (inl) {
			fputs(i > 0 ? ", " : " ", w->f);
			write_group(w, f->sub, item, depth, true);
			continue;
		}
		fputs(i > 0 ? ",\n" : "\n", w->f);
		indent(w->f, depth + 1);
		write_element(w, f->sub, item, depth + 1);
	}
	if (inl) {
		fputs(" )", w->f);
		return;
	}
	fputc('\n', w->f);
	indent(w->f, depth);
	fputc(')', w->f);
}

static void
write_value(struct writer *w, const struct cfg_field *f, const void *base,
	    unsigned int depth, bool inl)
{
	const char *p = (const char *)base + f->offset;

	switch (f->type) {
	case CFG_GROUP:
		write_group(w, f->sub, p, depth, inl);
		break;
	case CFG_LIST:
		write_list(w, f, (const void *)p, depth, inl);
		break;
	case CFG_STRING_LIST:
		write_strings(w, f, (const void *)p);
		break;
	default:
		write_scalar(w, f, p);
		break;
	}
}

/*
 * The keys of a group worth printing, each "key = value;", separated by
 * blanks (@p inl) or one per line at @p depth.
 */
static unsigned int
write_members(struct writer *w, const struct cfg_schema *schema,
	      const void *base, unsigned int depth, bool inl)
{
	void *def = defaults_new(schema);
	const struct cfg_field *f;
	unsigned int i, n = 0;

	if (def == NULL) {
		w->err = -ENOMEM;
		return 0;
	}
	for (i = 0; i < schema->n_fields; i++) {
		f = &schema->fields[i];
		if (!f->required && field_equal(f, base, def))
			continue;
		if (inl) {
			fputc(' ', w->f);
		} else {
			fputc('\n', w->f);
			indent(w->f, depth);
		}
		fprintf(w->f, "%s = ", f->key);
		write_value(w, f, base, depth, inl);
		fputc(';', w->f);
		n++;
	}
	defaults_free(schema, def);
	return n;
}

static void
write_group(struct writer *w, const struct cfg_schema *schema,
	    const void *base, unsigned int depth, bool inl)
{
	unsigned int n;

	fputc('{', w->f);
	n = write_members(w, schema, base, depth + 1, inl);
	if (inl || n == 0) {
		fputs(" }", w->f);
		return;
	}
	fputc('\n', w->f);
	indent(w->f, depth);
	fputc('}', w->f);
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

/* An optional section with nothing but defaults is left out. */
static bool
section_is_default(const struct cfg_section *sec, const void *data)
{
	void *def;
	bool eq;

	if (sec->type == CFG_LIST)
		return ((const struct cfg_array *)data)->n == 0;
	def = defaults_new(sec->schema);
	if (def == NULL)
		return false;
	eq = members_equal(sec->schema, data, def);
	defaults_free(sec->schema, def);
	return eq;
}

static int
write_model(FILE *f, const struct cfg_model *model, bool redact)
{
	struct writer w = { .f = f, .err = 0, .redact = redact };
	unsigned int k, printed = 0;
	struct cfg_field sf;

	if (f == NULL || model == NULL)
		return -EINVAL;
	for (k = 0; k < model->n && w.err == 0; k++) {
		if (!model->sections[k]->required &&
		    section_is_default(model->sections[k], model->data[k]))
			continue;
		cfg_priv_section_field(model->sections[k], &sf);
		if (printed++ > 0)
			fputc('\n', f);
		fprintf(f, "%s = ", sf.key);
		write_value(&w, &sf, model->data[k], 0, false);
		fputs(";\n", f);
	}
	if (w.err == 0 && ferror(f))
		w.err = -EIO;
	return w.err;
}

int
cfg_write(FILE *f, const struct cfg_model *model)
{
	return write_model(f, model, false);
}

int
cfg_write_redacted(FILE *f, const struct cfg_model *model)
{
	return write_model(f, model, true);
}

/* ------------------------------------------------------------------ */
/* Rows, for the change engine (config_txn.c)                          */

bool
cfg_priv_field_equal(const struct cfg_field *f, const void *a, const void *b)
{
	return field_equal(f, a, b);
}

void
cfg_priv_format_field(const struct cfg_field *f, const void *base, char *buf,
		      size_t len, bool redact)
{
	struct writer w = { .err = 0, .redact = redact };

	if (len == 0)
		return;
	buf[0] = '\0';
	w.f = fmemopen(buf, len, "w");
	if (w.f == NULL)
		return;
	write_value(&w, f, base, 0, true);
	fclose(w.f);
	buf[len - 1] = '\0';
}

void
cfg_priv_write_row(FILE *f, const struct cfg_schema *schema,
		   const void *base, bool redact)
{
	struct writer w = { .f = f, .err = 0, .redact = redact };

	write_group(&w, schema, base, 0, true);
}

int
cfg_priv_write_value(FILE *f, const struct cfg_field *fld, const void *base,
		     unsigned int depth)
{
	struct writer w = { .f = f, .err = 0 };

	write_value(&w, fld, base, depth, false);
	return w.err;
}

int
cfg_priv_write_element(FILE *f, const struct cfg_schema *schema,
		       const void *item, unsigned int depth)
{
	struct writer w = { .f = f, .err = 0 };

	write_element(&w, schema, item, depth);
	return w.err;
}
