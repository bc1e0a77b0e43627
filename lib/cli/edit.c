/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The line editor of a CLI session. The telnet server feeds it the data
 * bytes of a session, telnet commands removed, and runs the line it
 * hands back on Enter.
 *
 * In line mode the client edits and echoes by itself (nc, a pipe,
 * ferryctl), so the editor only collects bytes, honours backspace, ^U
 * and ^C, and drops escape sequences. In character mode (a telnet client
 * that let the server echo) every key arrives as typed: the editor
 * echoes, keeps a cursor, and speaks the few VT100 controls every
 * terminal knows (BS, ESC [ K to erase to the end of the row, ESC [ n D
 * to move left); moving right rewrites the characters passed over.
 * It never sends a bare CR, which NVT would want as CR NUL: a redraw of
 * the whole line happens on a new row, after a listing.
 *
 * Keys: printable ASCII inserts; BS/DEL erases left, ^D (on a non-empty
 * line) and ESC [ 3 ~ under the cursor; ^A/Home, ^E/End, ^B/left,
 * ^F/right move; ^U kills the line, ^K to its end, ^W the word before
 * the cursor; ^P/up and ^N/down walk the history (CLI_HISTORY_MAX lines
 * per session); Tab completes (cli_complete()); `?` shows context help
 * (cli_help_at()) unless inside quotes, and the line comes back as it
 * was; ^C abandons the line; ^L redraws it. Lines wider than the
 * terminal are kept right but may show oddly: the editor does not know
 * the width (no NAWS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

#define CLI_EDIT_COLS 80 /* assumed terminal width for listings */

enum esc_state {
	ESC_NONE,
	ESC_START,  /* after ESC */
	ESC_CSI,    /* after ESC [ */
	ESC_SS3,    /* after ESC O: cursor keys in application mode */
};

void
cli_edit_init(struct cli_edit *e, struct cli_out *out, const char *prompt)
{
	memset(e, 0, sizeof(*e));
	e->out = out;
	e->prompt = prompt;
}

void
cli_edit_free(struct cli_edit *e)
{
	unsigned int i;

	for (i = 0; i < e->n_hist; i++)
		free(e->hist[i]);
	e->n_hist = 0;
	free(e->draft);
	e->draft = NULL;
}

void
cli_edit_set_echo(struct cli_edit *e, bool echo)
{
	e->echo = echo;
	e->cur = e->len;
}

const char *
cli_edit_line(struct cli_edit *e)
{
	e->line[e->len] = '\0';
	return e->too_long ? NULL : e->line;
}

bool
cli_edit_empty(const struct cli_edit *e)
{
	return e->len == 0 && !e->too_long;
}

void
cli_edit_reset(struct cli_edit *e)
{
	e->len = 0;
	e->cur = 0;
	e->too_long = false;
	e->hist_pos = e->n_hist;
	free(e->draft);
	e->draft = NULL;
}

/* Terminal output. */

static void
put(struct cli_edit *e, const char *s, size_t n)
{
	cli_out_write(e->out, s, n);
}

static void
bell(struct cli_edit *e)
{
	put(e, "\a", 1);
}

/* Move the terminal's cursor @p n columns left. */
static void
left(struct cli_edit *e, size_t n)
{
	if (n == 1)
		put(e, "\b", 1);
	else if (n > 1)
		cli_printf(e->out, "\x1b[%zuD", n);
}

/* Rewrite from the cursor to the end and erase the rest of the row. */
static void
show_tail(struct cli_edit *e)
{
	put(e, e->line + e->cur, e->len - e->cur);
	put(e, "\x1b[K", 3);
	left(e, e->len - e->cur);
}

/* The prompt and the line on a fresh row, the cursor where it was. */
static void
redraw(struct cli_edit *e)
{
	cli_printf(e->out, "%s", e->prompt);
	put(e, e->line, e->len);
	left(e, e->len - e->cur);
}

static void
move_to(struct cli_edit *e, size_t pos)
{
	if (pos < e->cur)
		left(e, e->cur - pos);
	else
		put(e, e->line + e->cur, pos - e->cur);
	e->cur = pos;
}

/* Insert @p n bytes at the cursor; false if the line cannot hold them. */
static bool
insert(struct cli_edit *e, const char *s, size_t n)
{
	if (e->len + n > CLI_LINE_MAX) {
		bell(e);
		return false;
	}
	memmove(e->line + e->cur + n, e->line + e->cur, e->len - e->cur);
	memcpy(e->line + e->cur, s, n);
	e->len += n;
	put(e, e->line + e->cur, e->len - e->cur);
	e->cur += n;
	left(e, e->len - e->cur);
	return true;
}

/* Remove bytes @p from..@p to (to <= len); the cursor ends at @p from. */
static void
cut(struct cli_edit *e, size_t from, size_t to)
{
	if (from == to)
		return;
	move_to(e, from);
	memmove(e->line + from, e->line + to, e->len - to);
	e->len -= to - from;
	show_tail(e);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ^W: the blanks before the cursor, then the word before them. */
static void
kill_word(struct cli_edit *e)
{
	size_t from = e->cur;

	while (from > 0 && is_space(e->line[from - 1]))
		from--;
	while (from > 0 && !is_space(e->line[from - 1]))
		from--;
	cut(e, from, e->cur);
}

/* History. */

static bool
line_blank(const struct cli_edit *e)
{
	size_t i;

	for (i = 0; i < e->len; i++)
		if (!is_space(e->line[i]))
			return false;
	return true;
}

/* Remember the line just entered, unless blank or the same as last. */
static void
hist_add(struct cli_edit *e)
{
	char *copy;

	if (line_blank(e) || (e->n_hist > 0 &&
			      strcmp(e->hist[e->n_hist - 1], e->line) == 0))
		return;
	copy = strdup(e->line);
	if (copy == NULL)
		return; /* history is a comfort: go on without it */
	if (e->n_hist == CLI_HISTORY_MAX) {
		free(e->hist[0]);
		memmove(e->hist, e->hist + 1,
			(CLI_HISTORY_MAX - 1) * sizeof(e->hist[0]));
		e->n_hist--;
	}
	e->hist[e->n_hist++] = copy;
}

/* Put history entry @p pos (n_hist: the draft) on the line. */
static void
hist_show(struct cli_edit *e, unsigned int pos)
{
	const char *s;

	if (e->hist_pos == e->n_hist) {
		/* leaving the line being typed: keep it for the way back */
		free(e->draft);
		e->line[e->len] = '\0';
		e->draft = strdup(e->line);
	}
	e->hist_pos = pos;
	s = pos < e->n_hist ? e->hist[pos] : e->draft;
	cut(e, 0, e->len);
	if (s != NULL)
		insert(e, s, strlen(s));
	if (pos == e->n_hist) {
		free(e->draft);
		e->draft = NULL;
	}
}

static void
hist_prev(struct cli_edit *e)
{
	if (e->hist_pos == 0)
		bell(e);
	else
		hist_show(e, e->hist_pos - 1);
}

static void
hist_next(struct cli_edit *e)
{
	if (e->hist_pos >= e->n_hist)
		bell(e);
	else
		hist_show(e, e->hist_pos + 1);
}

/* Help and completion. */

/* Is the cursor inside a quoted string (where '?' is a character)? */
static bool
in_quotes(const struct cli_edit *e)
{
	bool in = false;
	size_t i;

	for (i = 0; i < e->cur; i++) {
		if (in && e->line[i] == '\\' && i + 1 < e->cur)
			i++;
		else if (e->line[i] == '"')
			in = !in;
	}
	return in;
}

/* `?` (and Tab where a free value may come): help, then the line. */
static void
help(struct cli_edit *e, bool echo_q)
{
	e->line[e->len] = '\0';
	if (echo_q && e->cur == e->len)
		put(e, "?", 1);
	put(e, "\n", 1);
	cli_help_at(e->line, e->cur, e->out);
	redraw(e);
}

/* Candidates in columns under the line, then the line again. */
static void
list(struct cli_edit *e, const struct cli_completions *c)
{
	size_t width = 0, per_row;
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (strlen(c->v[i]) + 2 > width)
			width = strlen(c->v[i]) + 2;
	per_row = width < CLI_EDIT_COLS ? CLI_EDIT_COLS / width : 1;
	put(e, "\n", 1);
	for (i = 0; i < c->n; i++) {
		if (i % per_row == per_row - 1 || i == c->n - 1)
			cli_printf(e->out, "%s\n", c->v[i]);
		else
			cli_printf(e->out, "%-*s", (int)width, c->v[i]);
	}
	redraw(e);
}

/* Insert what all candidates share beyond the @p typed bytes. */
static void
extend(struct cli_edit *e, const struct cli_completions *c, size_t typed)
{
	size_t n = strlen(c->v[0]);
	unsigned int i;

	for (i = 1; i < c->n; i++)
		while (n > 0 && strncmp(c->v[0], c->v[i], n) != 0)
			n--;
	if (n > typed)
		insert(e, c->v[0] + typed, n - typed);
}

/* The one candidate: the rest of it, and a blank if none follows. */
static void
accept(struct cli_edit *e, const char *rest)
{
	if (!insert(e, rest, strlen(rest)))
		return;
	if (e->cur == e->len || !is_space(e->line[e->cur]))
		insert(e, " ", 1);
	else
		move_to(e, e->cur + 1);
}

static void
tab(struct cli_edit *e)
{
	struct cli_completions c;
	size_t typed;

	e->line[e->len] = '\0';
	if (cli_complete(e->line, e->cur, &c) < 0) {
		bell(e);
		return;
	}
	typed = e->cur - c.start;
	if (c.n == 0 && !c.open)
		bell(e);
	else if (c.open && (c.n == 0 || typed == 0))
		help(e, false); /* a value: say which kind, as `?` does */
	else if (c.n == 1)
		accept(e, c.v[0] + typed);
	else {
		extend(e, &c, typed);
		list(e, &c);
	}
	cli_completions_free(&c);
}

/* Keys. */

/* ^C: the line is dropped, a new one starts. */
static void
interrupt(struct cli_edit *e)
{
	put(e, e->echo ? "^C\n" : "\n", e->echo ? 3 : 1);
	cli_edit_reset(e);
	cli_printf(e->out, "%s", e->prompt);
}

static enum cli_edit_event
enter(struct cli_edit *e)
{
	e->line[e->len] = '\0';
	if (e->echo && !e->secret) {
		put(e, "\n", 1);
		hist_add(e);
	}
	return CLI_EDIT_LINE;
}

/* The final byte of ESC [ params X or ESC O X. */
static void
esc_key(struct cli_edit *e, uint8_t final)
{
	const char *p = e->csi;

	if (final == 'A')
		hist_prev(e);
	else if (final == 'B')
		hist_next(e);
	else if (final == 'C' && e->cur < e->len)
		move_to(e, e->cur + 1);
	else if (final == 'D' && e->cur > 0)
		move_to(e, e->cur - 1);
	else if (final == 'H' || (final == '~' && (!strcmp(p, "1") ||
						   !strcmp(p, "7"))))
		move_to(e, 0);
	else if (final == 'F' || (final == '~' && (!strcmp(p, "4") ||
						   !strcmp(p, "8"))))
		move_to(e, e->len);
	else if (final == '~' && !strcmp(p, "3") && e->cur < e->len)
		cut(e, e->cur, e->cur + 1);
}

static enum cli_edit_event
esc_byte(struct cli_edit *e, uint8_t c)
{
	if (c < 0x20) {
		/* a control inside a sequence ends it and counts as itself */
		e->esc = ESC_NONE;
		return cli_edit_byte(e, c);
	}
	if (e->esc == ESC_START) {
		e->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		e->csi_len = 0;
		return CLI_EDIT_NONE;
	}
	if (e->esc == ESC_CSI && c < 0x40) {
		/* parameter and intermediate bytes; excess ones dropped */
		if (e->csi_len < sizeof(e->csi) - 1)
			e->csi[e->csi_len++] = c;
		return CLI_EDIT_NONE;
	}
	e->esc = ESC_NONE;
	e->csi[e->csi_len] = '\0';
	if (e->echo)
		esc_key(e, c);
	return CLI_EDIT_NONE;
}

/* Line mode: the client edited already; collect, honour a few keys. */
static enum cli_edit_event
line_byte(struct cli_edit *e, uint8_t c)
{
	switch (c) {
	case 0x08: case 0x7f:
		if (e->len > 0 && !e->too_long)
			e->len--;
		break;
	case 0x03:
		interrupt(e);
		break;
	case 0x04:
		return cli_edit_empty(e) ? CLI_EDIT_EOF : CLI_EDIT_NONE;
	case 0x15:
		e->len = 0;
		break;
	default:
		if (c < 0x20 && c != '\t')
			break;
		if (e->len == CLI_LINE_MAX)
			e->too_long = true; /* said at the end of the line */
		if (!e->too_long)
			e->line[e->len++] = c;
	}
	e->cur = e->len;
	return CLI_EDIT_NONE;
}

/* Character mode: a control key, or `?` outside quotes. */
static void
char_control(struct cli_edit *e, uint8_t c)
{
	switch (c) {
	case 0x01: move_to(e, 0); break;                        /* ^A */
	case 0x02: move_to(e, e->cur - (e->cur > 0)); break;    /* ^B */
	case 0x03: interrupt(e); break;                         /* ^C */
	case 0x04:                                              /* ^D */
		if (e->cur < e->len)
			cut(e, e->cur, e->cur + 1);
		break;
	case 0x05: move_to(e, e->len); break;                   /* ^E */
	case 0x06: move_to(e, e->cur + (e->cur < e->len)); break;
	case 0x08: case 0x7f:                                   /* BS DEL */
		if (e->cur > 0)
			cut(e, e->cur - 1, e->cur);
		break;
	case '\t': tab(e); break;
	case 0x0b: cut(e, e->cur, e->len); break;               /* ^K */
	case 0x0c: put(e, "\n", 1); redraw(e); break;           /* ^L */
	case 0x0e: hist_next(e); break;                         /* ^N */
	case 0x10: hist_prev(e); break;                         /* ^P */
	case 0x15: cut(e, 0, e->len); break;                    /* ^U */
	case 0x17: kill_word(e); break;                         /* ^W */
	case '?': help(e, true); break;
	default: break; /* other controls mean nothing here */
	}
}

/* Character mode: one key. */
static enum cli_edit_event
char_byte(struct cli_edit *e, uint8_t c)
{
	if (c == 0x04 && e->len == 0)
		return CLI_EDIT_EOF;
	/* inside quotes '?' is a character of the value */
	if (c >= 0x20 && c < 0x7f && (c != '?' || in_quotes(e)))
		insert(e, (const char *)&c, 1);
	else
		char_control(e, c);
	return CLI_EDIT_NONE;
}

enum cli_edit_event
cli_edit_byte(struct cli_edit *e, uint8_t c)
{
	if (e->esc != ESC_NONE)
		return esc_byte(e, c);
	if (c == '\r' || c == '\n')
		return enter(e);
	if (c == 0x1b) {
		e->esc = ESC_START;
		return CLI_EDIT_NONE;
	}
	return e->echo && !e->secret ? char_byte(e, c) : line_byte(e, c);
}

void
cli_edit_set_secret(struct cli_edit *e, bool secret)
{
	e->secret = secret;
}

void
cli_edit_wipe(struct cli_edit *e)
{
	explicit_bzero(e->line, sizeof(e->line));
	e->len = e->cur = 0;
	e->too_long = false;
}
