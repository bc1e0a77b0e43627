/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a libconfig syntax error is. libconfig 1.5 says only "syntax
 * error" and the line its parser stopped on, which for an unclosed
 * brace or string is the end of the file. After libconfig refused a
 * text, this walks it again with libconfig 1.5's grammar (grammar.y,
 * scanner.l of libconfig 1.5) and stops at the first token that cannot
 * come where it stands, or at the token that opened what is never
 * closed, so the message can name and point at it.
 *
 * The grammar, as libconfig 1.5 has it: a setting is NAME ("=" | ":")
 * VALUE, optionally ended by ";" or ","; a value is a scalar (boolean,
 * integer, hex, float with optional L suffix, adjacent strings joined),
 * an array "[" scalars separated by "," "]", a list "(" values
 * separated by "," ")" or a group "{" settings "}". So a missing ";"
 * between two settings is no error at all; a missing "," between two
 * list elements is.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_priv.h"

enum stok {
	S_END,
	S_NAME,
	S_SCALAR,
	S_STRING,
	S_PUNCT,
	S_BAD_NUMBER,
	S_OPEN_STRING,
	S_GARBAGE,
};

struct stoken {
	enum stok kind;
	const char *p;
	size_t len;
};

struct scan {
	const char *text;
	const char *p; /* after cur */
	struct stoken cur;
	struct stoken multiline; /* the first string over several lines */
	struct cfg_syntax_err *err;
	bool failed;
};

/* Lexing, as libconfig's scanner.l. */

static const char *
skip_blank(const char *p)
{
	const char *e;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			e = strstr(p + 2, "*/");
			p = e != NULL ? e + 2 : p + strlen(p);
		} else if (strncmp(p, "@include", 8) == 0) {
			p += 8; /* its file name is a string: skipped as one */
			p += strspn(p, " \t");
			if (*p == '"')
				p = strchr(p + 1, '"') ? strchr(p + 1, '"') + 1
						       : p + strlen(p);
		} else {
			return p;
		}
	}
}

static bool
name_char(char c, bool first)
{
	return isalpha((unsigned char)c) || c == '*' ||
	       (!first && (isdigit((unsigned char)c) || c == '-' || c == '_'));
}

static size_t
digits(const char *p, int (*cls)(int))
{
	size_t n = 0;

	while (p[n] != '\0' && cls((unsigned char)p[n]))
		n++;
	return n;
}

/* [-+]?digits[L[L]] or 0x hex[L[L]], exactly @p len characters. */
static bool
int_ok(const char *p, size_t len)
{
	size_t i = *p == '-' || *p == '+', n;

	if (len > i + 2 && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X'))
		n = digits(p + i + 2, isxdigit), i += 2;
	else
		n = digits(p + i, isdigit);
	if (n == 0)
		return false;
	i += n;
	i += i < len && p[i] == 'L';
	i += i < len && p[i] == 'L';
	return i == len;
}

/* [-+]? digits? (. digits?)? ([eE][-+]?digits)?, with a "." or exponent. */
static bool
float_ok(const char *p, size_t len)
{
	size_t i = *p == '-' || *p == '+', n;
	bool dot = false, exp = false;

	n = digits(p + i, isdigit);
	i += n;
	if (i < len && p[i] == '.') {
		dot = true;
		i++;
		n += digits(p + i, isdigit);
		i += digits(p + i, isdigit);
	}
	if (n > 0 && i < len && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		i += i < len && (p[i] == '-' || p[i] == '+');
		exp = digits(p + i, isdigit) > 0;
		i += digits(p + i, isdigit);
	}
	return n > 0 && (dot || exp) && i == len;
}

/* The whole run a number is written in: "12abc" and "1.2.3" are one bad
 * number here (libconfig splits them and fails further on). */
static size_t
number_run(const char *p)
{
	size_t i = *p == '-' || *p == '+';

	for (; p[i] != '\0'; i++) {
		if (isalnum((unsigned char)p[i]) || p[i] == '.' || p[i] == '_')
			continue;
		if ((p[i] == '-' || p[i] == '+') &&
		    (p[i - 1] == 'e' || p[i - 1] == 'E'))
			continue;
		break;
	}
	return i;
}

static size_t
string_len(const char *p, bool *closed)
{
	size_t i;

	/* a string may run over several lines, as in libconfig */
	for (i = 1; p[i] != '\0' && p[i] != '"'; i++)
		if (p[i] == '\\' && p[i + 1] != '\0')
			i++;
	*closed = p[i] == '"';
	return *closed ? i + 1 : i;
}

static enum stok
lex_word(const char *p, size_t *len)
{
	bool closed;

	if (*p == '"') {
		*len = string_len(p, &closed);
		return closed ? S_STRING : S_OPEN_STRING;
	}
	if (name_char(*p, true)) {
		for (*len = 1; name_char(p[*len], false); (*len)++)
			;
		return *len == 4 && strncasecmp(p, "true", 4) == 0    ? S_SCALAR
		       : *len == 5 && strncasecmp(p, "false", 5) == 0 ? S_SCALAR
								      : S_NAME;
	}
	if (isdigit((unsigned char)*p) || *p == '.' ||
	    ((*p == '-' || *p == '+') &&
	     (isdigit((unsigned char)p[1]) || p[1] == '.'))) {
		*len = number_run(p);
		return int_ok(p, *len) || float_ok(p, *len) ? S_SCALAR
							    : S_BAD_NUMBER;
	}
	*len = 1;
	return strchr("=:;,{}()[]", *p) != NULL && *p != '\0' ? S_PUNCT
							      : S_GARBAGE;
}

static void
lex(struct scan *s)
{
	const char *p = skip_blank(s->p);

	s->cur.p = p;
	s->cur.len = 0;
	s->cur.kind = *p == '\0' ? S_END : lex_word(p, &s->cur.len);
	s->p = p + s->cur.len;
	if (s->cur.kind == S_STRING && s->multiline.p == NULL &&
	    memchr(p, '\n', s->cur.len) != NULL)
		s->multiline = s->cur;
}

/* Reporting. */

static void
fail_at(struct scan *s, const struct stoken *t, const char *what)
{
	const char *q;
	int line = 1;
	size_t n;

	if (s->failed)
		return;
	s->failed = true;
	for (q = s->text; q < t->p; q++)
		line += *q == '\n';
	s->err->line = line;
	s->err->at = t->p;
	n = strcspn(t->p, "\r\n");
	snprintf(s->err->token, sizeof(s->err->token), "%.*s",
		 (int)(n < t->len ? n : t->len), t->p);
	snprintf(s->err->what, sizeof(s->err->what), "%s", what);
}

/* The current token is wrong for its place: say why. */
static void
unexpected(struct scan *s, const char *expected)
{
	char what[CFG_SYNTAX_WHAT_MAX];

	switch (s->cur.kind) {
	case S_BAD_NUMBER:
		fail_at(s, &s->cur, "not a number");
		return;
	case S_OPEN_STRING:
		fail_at(s, &s->cur, "string never closed");
		return;
	case S_GARBAGE:
		fail_at(s, &s->cur, "a character libconfig does not read");
		return;
	default:
		break;
	}
	snprintf(what, sizeof(what), "%s expected", expected);
	fail_at(s, &s->cur, what);
}

static bool
is_punct(const struct scan *s, char c)
{
	return s->cur.kind == S_PUNCT && *s->cur.p == c;
}

/* Parsing, as libconfig's grammar.y. */

static void value(struct scan *s);
static void settings(struct scan *s, char close);

/* A bracket is closed by @p close; at the end of the file the bracket
 * itself is at fault (libconfig blames the last line). */
static bool
closes(struct scan *s, const struct stoken *open, char close)
{
	char what[CFG_SYNTAX_WHAT_MAX];

	if (is_punct(s, close)) {
		lex(s);
		return true;
	}
	/* the end, or a bracket of another kind: "{ a = 1; )" */
	if (s->cur.kind == S_END ||
	    (s->cur.kind == S_PUNCT && strchr("})]", *s->cur.p) != NULL)) {
		snprintf(what, sizeof(what), "\"%c\" never closed by \"%c\"",
			 *open->p, close);
		fail_at(s, open, what);
	}
	return false;
}

/* "[" scalars "]" or "(" values ")", separated by ",". */
static void
sequence(struct scan *s, char close, bool scalars)
{
	struct stoken open = s->cur;
	char expected[32];

	lex(s);
	snprintf(expected, sizeof(expected), "\",\" or \"%c\"", close);
	if (closes(s, &open, close) || s->failed)
		return;
	for (;;) {
		if (scalars && s->cur.kind != S_SCALAR &&
		    s->cur.kind != S_STRING) {
			unexpected(s, "a number, string or boolean");
			return;
		}
		value(s);
		if (s->failed || closes(s, &open, close) || s->failed)
			return;
		if (!is_punct(s, ',')) {
			unexpected(s, expected);
			return;
		}
		lex(s);
	}
}

static void
value(struct scan *s)
{
	struct stoken open = s->cur;

	if (s->cur.kind == S_SCALAR) {
		lex(s);
	} else if (s->cur.kind == S_STRING) {
		while (s->cur.kind == S_STRING) /* "a" "b" is "ab" */
			lex(s);
	} else if (is_punct(s, '[')) {
		sequence(s, ']', true);
	} else if (is_punct(s, '(')) {
		sequence(s, ')', false);
	} else if (is_punct(s, '{')) {
		lex(s);
		settings(s, '}');
		if (!s->failed && !closes(s, &open, '}'))
			unexpected(s, "a setting name or \"}\"");
	} else {
		unexpected(s, "a value");
	}
}

static void
setting(struct scan *s)
{
	if (s->cur.kind != S_NAME) {
		unexpected(s, "a setting name");
		return;
	}
	lex(s);
	if (!is_punct(s, '=') && !is_punct(s, ':')) {
		unexpected(s, "\"=\"");
		return;
	}
	lex(s);
	value(s);
	if (!s->failed && (is_punct(s, ';') || is_punct(s, ',')))
		lex(s);
}

/* Settings up to @p close (not consumed) or the end of the file. */
static void
settings(struct scan *s, char close)
{
	while (!s->failed && s->cur.kind != S_END && !is_punct(s, close) &&
	       !(close != '\0' && s->cur.kind == S_PUNCT &&
		 strchr(")]", *s->cur.p) != NULL))
		setting(s);
}

bool
cfg_priv_syntax_find(const char *text, struct cfg_syntax_err *err)
{
	struct scan s = {.text = text, .p = text, .err = err};

	memset(err, 0, sizeof(*err));
	lex(&s);
	settings(&s, '\0');
	/*
	 * A string over several lines is valid, but in a file libconfig
	 * refused it is far likelier a lost closing quote, whose string ran
	 * on to the next quote and broke the grammar further on.
	 */
	if (s.multiline.p != NULL) {
		s.failed = false;
		fail_at(&s, &s.multiline,
			"string not closed on its line (a quote missing?)");
	}
	return s.failed;
}

/* The line holding @p at and, under it, a caret at @p at: blanks copied
 * (a tab stays a tab, so the caret lines up however tabs are shown). */
void
cfg_priv_syntax_caret(const char *text, const char *at, char *buf, size_t len)
{
	const char *ls = at, *q;
	size_t n, off;

	while (ls > text && ls[-1] != '\n')
		ls--;
	n = strcspn(ls, "\r\n");
	off = (size_t)snprintf(buf, len, "  %.*s\n  ", (int)n, ls);
	for (q = ls; q < at && off + 2 < len; q++)
		buf[off++] = *q == '\t' ? '\t' : ' ';
	if (off + 2 <= len) {
		buf[off++] = '^';
		buf[off] = '\0';
	}
}
