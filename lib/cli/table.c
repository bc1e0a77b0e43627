/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tables that show commands print: the same rows become aligned text
 * for people or, after `| json` (ferryctl --json), a JSON array of
 * objects for scripts, so the two can never disagree. Column names are
 * the header in text and the keys in JSON; numeric columns are JSON
 * numbers, the rest strings.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

static void
json_string(struct cli_out *out, const char *s)
{
	cli_out_write(out, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			cli_printf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			cli_printf(out, "\\u%04x", (unsigned char)*s);
		else
			cli_out_write(out, s, 1);
	}
	cli_out_write(out, "\"", 1);
}

/* A numeric column's value is written bare only if it is a number. */
static bool
is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void
text_cells(struct cli_out *out, const struct cli_table *t, const char *const *v)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		if (i + 1 == t->n)
			cli_printf(out, "%s\n", v[i]);
		else if (t->cols[i].right)
			cli_printf(out, "%*s ", t->cols[i].width, v[i]);
		else
			cli_printf(out, "%-*s ", t->cols[i].width, v[i]);
	}
}

void
cli_table_begin(struct cli_out *out, const struct cli_table *t)
{
	const char *names[CLI_TABLE_COLS_MAX];
	unsigned int i;

	if (cli_out_json(out)) {
		cli_out_json_used(out);
		cli_printf(out, "[");
		return;
	}
	if (!t->header)
		return;
	for (i = 0; i < t->n && i < CLI_TABLE_COLS_MAX; i++)
		names[i] = t->cols[i].name;
	text_cells(out, t, names);
}

void
cli_table_row(struct cli_out *out, struct cli_table *t, const char *const *v)
{
	unsigned int i;

	if (!cli_out_json(out)) {
		text_cells(out, t, v);
		return;
	}
	cli_printf(out, "%s\n  {", t->rows++ ? "," : "");
	for (i = 0; i < t->n; i++) {
		cli_printf(out, "%s", i ? ", " : "");
		json_string(out, t->cols[i].name);
		cli_printf(out, ": ");
		if (t->cols[i].number && is_number(v[i]))
			cli_printf(out, "%s", v[i]);
		else
			json_string(out, v[i]);
	}
	cli_printf(out, "}");
}

void
cli_table_end(struct cli_out *out, const struct cli_table *t)
{
	if (cli_out_json(out))
		cli_printf(out, "%s]\n", t->rows ? "\n" : "");
}

void
cli_empty(struct cli_out *out, const char *what)
{
	/* JSON: a table command's empty list is its table's; a command
	 * without JSON stays one ("has no JSON output"), empty or not */
	if (!cli_out_json(out))
		cli_printf(out, "no %s\n", what);
}
