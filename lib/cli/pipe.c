/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output filters, as operators know them from IOS and vtysh:
 *   show counters | include rx
 *   show ip route | exclude blackhole | include 10\.
 * Everything after the first unquoted '|' is a chain of filters, each
 * "include REGEX" or "exclude REGEX" (POSIX extended, keywords may be
 * shortened). The command runs into a buffer; its lines then pass every
 * filter in turn. Error lines ("% ...") always pass, so a filter never
 * hides why a command failed.
 *
 * "| json", alone, asks for JSON: commands that print tables
 * (cli_table_*) write them as JSON; others answer an error.
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

#define CLI_FILTERS_MAX 8

struct cli_filter {
	bool exclude;
	regex_t re;
};

struct cli_pipe {
	char cmd[CLI_LINE_MAX + 1];
	struct cli_filter f[CLI_FILTERS_MAX];
	unsigned int n;
	bool json;
};

/* The first '|' outside "...", where the filters start; NULL if none. */
const char *
cli_pipe_find(const char *line)
{
	bool quoted = false;
	const char *s;

	for (s = line; *s != '\0'; s++) {
		if (quoted && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		else if (*s == '"')
			quoted = !quoted;
		else if (*s == '|' && !quoted)
			return s;
	}
	return NULL;
}

static const char *
skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* "include RE" or "exclude RE" between @p s and @p end into @p f. */
static int
filter_parse(const char *s, const char *end, struct cli_filter *f,
	     struct cli_out *out)
{
	char kw[16], re[CLI_LINE_MAX + 1];
	const char *w = skip_blanks(s, end), *e = w;
	size_t n;

	while (e < end && *e != ' ' && *e != '\t')
		e++;
	n = (size_t)(e - w);
	e = skip_blanks(e, end);
	while (end > e && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (n == 0 || n >= sizeof(kw) || e == end) {
		cli_error(out, "filter \"|%.*s\": expected \"include REGEX\" "
			  "or \"exclude REGEX\"", (int)(end - s), s);
		return -EINVAL;
	}
	memcpy(kw, w, n);
	kw[n] = '\0';
	if (strncmp("include", kw, n) != 0 && strncmp("exclude", kw, n) != 0) {
		cli_error(out, "filter \"%s\": expected include or exclude",
			  kw);
		return -EINVAL;
	}
	f->exclude = kw[0] == 'e';
	/* a quoted expression may hold blanks and '|' */
	if (end - e >= 2 && *e == '"' && end[-1] == '"') {
		e++;
		end--;
	}
	memcpy(re, e, (size_t)(end - e));
	re[end - e] = '\0';
	if (regcomp(&f->re, re, REG_EXTENDED | REG_NOSUB) != 0) {
		cli_error(out, "filter \"%s\": not a regular expression", re);
		return -EINVAL;
	}
	return 0;
}

/* "json", blanks around it allowed. */
static bool
is_json(const char *s, const char *end)
{
	s = skip_blanks(s, end);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end - s == 4 && memcmp(s, "json", 4) == 0;
}

static void
pipe_free(struct cli_pipe *p)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		regfree(&p->f[i].re);
	free(p);
}

static int
pipe_parse(const char *line, const char *bar, struct cli_pipe *p,
	   struct cli_out *out)
{
	const char *next, *end;
	size_t n;
	int rc;

	n = (size_t)(bar - line);
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	memcpy(p->cmd, line, n);
	p->cmd[n] = '\0';
	while (bar != NULL) {
		next = cli_pipe_find(bar + 1);
		end = next != NULL ? next : bar + strlen(bar);
		if (is_json(bar + 1, end)) {
			p->json = true;
			bar = next;
			continue;
		}
		if (p->n == CLI_FILTERS_MAX) {
			cli_error(out, "at most %d filters", CLI_FILTERS_MAX);
			return -EINVAL;
		}
		rc = filter_parse(bar + 1, end, &p->f[p->n], out);
		if (rc < 0)
			return rc;
		p->n++;
		bar = next;
	}
	if (p->json && p->n > 0) {
		cli_error(out, "\"| json\" goes alone: JSON is filtered by "
			  "its reader (jq)");
		return -EINVAL;
	}
	return 0;
}

static bool
line_passes(const struct cli_pipe *p, const char *line)
{
	unsigned int i;
	bool hit;

	if (strncmp(line, "% ", 2) == 0)
		return true;
	for (i = 0; i < p->n; i++) {
		hit = regexec(&p->f[i].re, line, 0, NULL, 0) == 0;
		if (hit == p->f[i].exclude)
			return false;
	}
	return true;
}

static void
pipe_output(const struct cli_pipe *p, char *text, struct cli_out *out)
{
	char *line = text, *nl;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (line_passes(p, line)) {
			cli_out_write(out, line, strlen(line));
			cli_out_write(out, "\n", 1);
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

/* What the command asked of its session goes to the real one. */
static void
pipe_requests(struct cli_out *tmp, struct cli_out *out)
{
	if (cli_out_close_requested(tmp))
		cli_out_request_close(out);
	if (cli_out_enable_requested(tmp))
		cli_out_request_enable(out);
	cli_out_set_privileged(out, cli_out_privileged(tmp));
}

int
cli_pipe_run(const char *line, const char *bar, struct cli_out *out,
	     int (*exec)(const char *line, struct cli_out *out))
{
	struct cli_pipe *p = calloc(1, sizeof(*p));
	struct cli_out *tmp;
	int rc;

	if (p == NULL)
		return -ENOMEM;
	if (strnlen(line, CLI_LINE_MAX + 1) > CLI_LINE_MAX) {
		free(p);
		cli_error(out, "line too long");
		return -EINVAL;
	}
	rc = pipe_parse(line, bar, p, out);
	tmp = rc == 0 ? cli_out_buffer() : NULL;
	if (rc == 0 && tmp == NULL)
		rc = -ENOMEM;
	if (rc == 0) {
		cli_out_set_privileged(tmp, cli_out_privileged(out));
		cli_out_set_json(tmp, p->json);
		rc = exec(p->cmd, tmp);
		if (p->json && rc == 0 && !cli_out_json_was_used(tmp)) {
			cli_out_reset(tmp);
			cli_error(tmp, "\"%s\" has no JSON output", p->cmd);
			rc = -EINVAL;
		}
		pipe_output(p, (char *)cli_out_text(tmp), out);
		pipe_requests(tmp, out);
	}
	cli_out_free(tmp);
	pipe_free(p);
	return rc;
}
