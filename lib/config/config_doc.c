/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Doc generator of the configuration engine: writes the Markdown
 * reference (doc/configuration.md) from the schema tables, so the
 * documentation cannot drift from what the loader accepts. One "## key"
 * heading per section, its paragraph, then one table row per key.
 * Keys inside groups are dotted ("inner.a"); keys inside list elements
 * use "[]" for "every element" ("routes.[].prefix"), as close to
 * libconfig's path syntax as a row for all elements can be. Rows of a
 * list section are relative to one element.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "config_priv.h"

static const char *const type_names[] = {
	[CFG_BOOL] = "bool",
	[CFG_UINT] = "integer",
	[CFG_STRING] = "string",
	[CFG_IPV4] = "IPv4 address",
	[CFG_IPV4_PREFIX] = "IPv4 prefix",
	[CFG_IPV4_IFADDR] = "IPv4 address/len",
	[CFG_MAC] = "MAC address",
	[CFG_ENUM] = "enum",
	[CFG_GROUP] = "group",
	[CFG_LIST] = "list of groups",
	[CFG_STRING_LIST] = "list of strings",
	[CFG_IPV6] = "IPv6 address",
	[CFG_IPV6_PREFIX] = "IPv6 prefix",
	[CFG_IPV6_IFADDR] = "IPv6 address/len",
};

/* Text in a table cell: '|' would end the cell, a newline the row. */
static void
put_cell(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void
put_default(FILE *f, const struct cfg_field *fd)
{
	if (fd->required) {
		fputs("required", f);
	} else if (fd->def != NULL) {
		fputc('`', f);
		put_cell(f, fd->def);
		fputc('`', f);
	} else if (fd->type == CFG_BOOL) {
		fputs("`false`", f);
	} else if (fd->type == CFG_UINT) {
		fputs("`0`", f);
	} else if (fd->type == CFG_LIST || fd->type == CFG_STRING_LIST) {
		fputs("empty", f);
	} else if (fd->type != CFG_GROUP) {
		fputs("none", f);
	}
}

/* Element count of a list: "1..4 elements", "at least 1 elements", "". */
static void
put_count(FILE *f, uint64_t min, uint64_t max)
{
	if (max != 0)
		fprintf(f, "%" PRIu64 "..%" PRIu64 " elements", min, max);
	else if (min != 0)
		fprintf(f, "at least %" PRIu64 " elements", min);
}

static void
put_bounds(FILE *f, const struct cfg_field *fd)
{
	const struct cfg_enum *e;

	switch (fd->type) {
	case CFG_UINT:
		fprintf(f, "%" PRIu64 "..%" PRIu64, fd->min,
			cfg_priv_uint_max(fd));
		if (fd->unit == CFG_UNIT_BPS)
			fputs("; or \"10G\" (k M G T = 10^3..10^12)", f);
		else if (fd->unit == CFG_UNIT_BYTES)
			fputs("; or \"64k\" (k M G T = 2^10..2^40)", f);
		break;
	case CFG_STRING:
		fprintf(f, "1..%zu chars", fd->size > 0 ? fd->size - 1 : 0);
		break;
	case CFG_ENUM:
		for (e = fd->enums; e != NULL && e->name != NULL; e++)
			fprintf(f, "%s`%s`", e == fd->enums ? "" : ", ",
				e->name);
		break;
	case CFG_LIST:
		put_count(f, fd->min, fd->max);
		break;
	case CFG_STRING_LIST:
		put_count(f, fd->min, fd->max);
		fprintf(f, "%s1..%zu chars each",
			fd->min != 0 || fd->max != 0 ? ", " : "",
			fd->size > 0 ? fd->size - 1 : 0);
		break;
	default:
		break;
	}
}

static void put_rows(FILE *f, const struct cfg_schema *schema,
		     const char *prefix);

/* One row, then the rows of what a group or list holds. */
static void
put_row(FILE *f, const struct cfg_field *fd, const char *prefix)
{
	char key[CFG_PATH_MAX], sub[CFG_PATH_MAX];
	unsigned int t = (unsigned int)fd->type;

	snprintf(key, sizeof(key), "%s%s", prefix, fd->key);
	fprintf(f, "| `%s` | %s | ", key,
		t < sizeof(type_names) / sizeof(type_names[0]) ?
		type_names[t] : "?");
	put_default(f, fd);
	fputs(" | ", f);
	put_bounds(f, fd);
	fputs(" | ", f);
	put_cell(f, fd->doc);
	fputs(" |\n", f);
	if (fd->sub == NULL)
		return;
	if (fd->type == CFG_GROUP)
		snprintf(sub, sizeof(sub), "%s%s.", prefix, fd->key);
	else if (fd->type == CFG_LIST)
		snprintf(sub, sizeof(sub), "%s%s.[].", prefix, fd->key);
	else
		return;
	put_rows(f, fd->sub, sub);
}

static void
put_rows(FILE *f, const struct cfg_schema *schema, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		put_row(f, &schema->fields[i], prefix);
}

/* What the section is: "A group, required." and so on. */
static void
put_kind(FILE *f, const struct cfg_section *sec)
{
	if (sec->type == CFG_LIST) {
		fprintf(f, "A list of `%s` groups",
			sec->schema->name != NULL ? sec->schema->name : "");
		if (sec->min != 0 || sec->max != 0)
			fputs(", ", f);
		put_count(f, sec->min, sec->max);
	} else {
		fputs("A group", f);
	}
	fprintf(f, ", %s.", sec->required ? "required" : "optional");
	if (sec->type == CFG_LIST)
		fputs(" Keys of each element:", f);
	fputs("\n\n", f);
}

/* "`routes` by prefix" for every keyed list under @p schema. */
static void
put_keys(FILE *f, const struct cfg_schema *schema, const char *path,
	 unsigned int *n)
{
	const struct cfg_field *fd;
	char sub[CFG_PATH_MAX];
	const char *const *k;
	unsigned int i;

	if (schema->keys != NULL) {
		fprintf(f, "%s`%s` by", (*n)++ ? "; " : "", path);
		for (k = schema->keys; *k != NULL; k++)
			fprintf(f, "%s `%s`", k == schema->keys ? "" : ",", *k);
		fputs(schema->ops != NULL ? " (live)" : " (at start)", f);
	}
	for (i = 0; i < schema->n_fields; i++) {
		fd = &schema->fields[i];
		if (fd->type != CFG_LIST && fd->type != CFG_GROUP)
			continue;
		snprintf(sub, sizeof(sub), "%s.%s%s", path, fd->key,
			 fd->type == CFG_LIST ? ".[]" : "");
		put_keys(f, fd->sub, sub, n);
	}
}

/* How the section changes while ferry runs (lib/config's cfg_txn). */
static void
put_changes(FILE *f, const struct cfg_section *sec)
{
	char path[CFG_PATH_MAX];
	unsigned int n = 0;

	if (sec->restart != NULL) {
		fprintf(f, "Changes need a restart: %s.\n", sec->restart);
		return;
	}
	snprintf(path, sizeof(path), "%s%s", sec->key,
		 sec->type == CFG_LIST ? ".[]" : "");
	fputs("Changes apply live (`config reload`, the CLI) as one "
	      "transaction. Lists by key: ", f);
	put_keys(f, sec->schema, path, &n);
	fputs(n == 0 ? "none.\n" : ".\n", f);
}

int
cfg_doc_write(FILE *f, const struct cfg_section *const *sections,
	      unsigned int n)
{
	unsigned int k;

	if (f == NULL || (sections == NULL && n > 0))
		return -EINVAL;
	fputs("# Configuration reference\n\n"
	      "Generated from the schema tables by cfg_doc_write(); "
	      "edit the tables, not\nthis file. Values use libconfig "
	      "syntax; keys marked required must be\ngiven, the others "
	      "take the default shown.\n\n"
	      "Integers above 2147483647 need libconfig's `L` suffix "
	      "(`40000000000L`):\nlibconfig 1.5 keeps only 32 bits of a "
	      "longer literal, so ferry reads the\nliteral back from the "
	      "file and refuses one written without it. Rates\nand sizes "
	      "also take a string with a unit: rates in bit/s are SI "
	      "(`\"10G\"`,\n`\"500M\"`, `\"2.5G\"`: k, M, G, T = 10^3, "
	      "10^6, 10^9, 10^12), sizes in bytes\nare binary (`\"64k\"` "
	      "= 65536: k, M, G, T = 2^10, 2^20, 2^30, 2^40), as\ntc(8) "
	      "reads them. `show running-config` prints plain integers, "
	      "with `L`\nwhere needed.\n", f);
	for (k = 0; k < n; k++) {
		fprintf(f, "\n## %s\n\n", sections[k]->key);
		if (sections[k]->doc != NULL)
			fprintf(f, "%s\n\n", sections[k]->doc);
		put_kind(f, sections[k]);
		fputs("| key | type | default | bounds | description |\n"
		      "|-----|------|---------|--------|-------------|\n", f);
		put_rows(f, sections[k]->schema, "");
		fputc('\n', f);
		put_changes(f, sections[k]);
	}
	return ferror(f) ? -EIO : 0;
}
