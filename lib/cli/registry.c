/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CLI command registry. Each row's syntax is compiled once, at
 * registration, into an array of tokens in which an optional group is
 * marked on its first token by the index just past the group. A line is
 * matched against every command at once, word by word: per command the
 * set of token positions reached so far (an NFA over at most
 * CLI_MAX_TOKENS tokens, so one bit mask). Keyword prefixes are resolved
 * among the candidates left at that word, which is what makes "sh ip ro"
 * work and "s" ambiguous. `help`, `?`, Tab completion (cli_complete()),
 * the error hints and doc/cli.md all read the same compiled tables, so
 * they cannot disagree. A word that matches nothing is compared with the
 * keywords that could come there (edit distance) for a "did you mean".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "cli.h"
#include "cli_priv.h"

#define BIT(p) (UINT64_C(1) << (p))
#define CLI_MAX_TYPES 64
#define CLI_TYPE_NAME_MAX 31
#define CLI_MAX_WORDS (CLI_LINE_MAX / 2 + 1)
#define HINT_WORD_MAX 64  /* longer words get no "did you mean" */

/* One token of a compiled syntax. */
struct cli_tok {
	bool is_arg;
	bool optional;       /* inside [ ... ] */
	bool group_end;      /* last token of its optional group */
	unsigned int skip;   /* first of a group: index just past it, else 0 */
	const char *text;    /* the keyword, or the argument's type name */
	const char *disp;    /* as written: "vrf" or "<vrf-name>" */
	const char *help;    /* its line of cli_command.help */
	const struct cli_arg_type *type;
};

/* A registered command. */
struct cli_cmd {
	const struct cli_command *def;
	char *syntax;        /* normalized: single spaces, "[a <b>]" */
	char *strs;          /* storage for every text and disp */
	char *helps;         /* copy of def->help cut into lines */
	unsigned int n_tok;
	struct cli_tok tok[CLI_MAX_TOKENS];
};

/* The words of a line, unquoted, in one buffer. */
struct cli_words {
	char buf[CLI_LINE_MAX + 1];
	const char *word[CLI_MAX_WORDS];
	unsigned int n;
	bool last_quoted;    /* a quoted "?" is a value, not a question */
};

/* What a line matched, for the handler. */
struct cli_args {
	unsigned int n;
	const char *const *val;
	const struct cli_tok *const *tok;
};

/* How well one word fits one token; a word keeps only its best fits. */
enum level {
	LV_NONE,
	LV_ARG_BAD,          /* an argument whose check failed */
	LV_PREFIX,           /* a keyword's prefix */
	LV_ARG_OK,           /* a valid argument beats a keyword prefix */
	LV_EXACT,            /* a keyword, exactly */
};

/* Matching state of one line against the whole registry. */
struct match {
	const struct cli_words *w;
	uint64_t *pos;       /* per command: positions reached */
	uint64_t *cl;        /* the same, closed over skippable groups */
	uint8_t lv[CLI_MAX_TOKENS]; /* the level each word matched at */
};

/* Tokens listed by display text, sorted and unique. */
struct tok_list {
	const struct cli_tok **v;
	unsigned int n;
	unsigned int cap;
};

static struct {
	struct cli_cmd **cmds;       /* sorted by syntax */
	unsigned int n_cmds;
	unsigned int cap;
	const struct cli_arg_type *types[CLI_MAX_TYPES];
	unsigned int n_types;
	bool ready;                  /* built-in commands registered */
} reg;

/* Built-in argument types. */

static int
check_uint32(const char *tok, const char **why)
{
	uint64_t v = 0;
	const char *s;

	if (*tok == '\0') {
		*why = "expected a decimal number";
		return -EINVAL;
	}
	for (s = tok; *s != '\0'; s++) {
		if (*s < '0' || *s > '9') {
			*why = "expected a decimal number";
			return -EINVAL;
		}
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX) {
			*why = "must be 0..4294967295";
			return -EINVAL;
		}
	}
	return 0;
}

static int
check_ipv4(const char *tok, const char **why)
{
	uint32_t addr;

	if (cfg_parse_ipv4(tok, &addr) == 0)
		return 0;
	*why = "expected an IPv4 address a.b.c.d";
	return -EINVAL;
}

static int
check_ipv4_prefix(const char *tok, const char **why)
{
	struct cfg_ipv4_prefix p;
	const char *reason = NULL;

	if (cfg_parse_ipv4_prefix(tok, true, &p, &reason) == 0)
		return 0;
	*why = reason != NULL ? reason : "expected a prefix a.b.c.d/len";
	return -EINVAL;
}

static int
check_word(const char *tok, const char **why)
{
	if (*tok != '\0')
		return 0;
	*why = "must not be empty";
	return -EINVAL;
}

/* IANA "Assigned Internet Protocol Numbers" keywords, lower case. */
static const struct {
	const char *name;
	uint8_t proto;
} ip_protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "ospf", 89 },
	{ "pim", 103 }, { "vrrp", 112 }, { "sctp", 132 },
};

#define N_IP_PROTOS (sizeof(ip_protos) / sizeof(ip_protos[0]))

int
cli_ip_proto_parse(const char *tok)
{
	unsigned int i, v = 0;
	const char *s;

	for (i = 0; i < N_IP_PROTOS; i++)
		if (strcmp(tok, ip_protos[i].name) == 0)
			return ip_protos[i].proto;
	if (tok[0] == '\0' || (tok[0] == '0' && tok[1] != '\0'))
		return -EINVAL;
	for (s = tok; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 255)
			return -EINVAL;
	}
	return (int)v;
}

const char *
cli_ip_proto_name(unsigned int proto)
{
	unsigned int i;

	for (i = 0; i < N_IP_PROTOS; i++)
		if (ip_protos[i].proto == proto)
			return ip_protos[i].name;
	return NULL;
}

static int
check_ip_proto(const char *tok, const char **why)
{
	if (cli_ip_proto_parse(tok) >= 0)
		return 0;
	*why = "a protocol name (tcp, udp, icmp, esp, gre, ospf, ...) or "
	       "0..255";
	return -EINVAL;
}

static void
complete_ip_proto(const char *prefix,
		  void (*add)(void *ctx, const char *candidate), void *ctx)
{
	unsigned int i;

	(void)prefix; /* the caller keeps those that start with it */
	for (i = 0; i < N_IP_PROTOS; i++)
		add(ctx, ip_protos[i].name);
}

static const struct cli_arg_type builtin_types[] = {
	{ .name = "uint32", .help = "a decimal number 0..4294967295",
	  .check = check_uint32, .example = "100" },
	{ .name = "ipv4", .help = "an IPv4 address a.b.c.d",
	  .check = check_ipv4, .example = "192.0.2.1" },
	{ .name = "ipv4-prefix",
	  .help = "an IPv4 prefix a.b.c.d/len, host bits zero",
	  .check = check_ipv4_prefix, .example = "10.0.0.0/8" },
	{ .name = "ip-proto",
	  .help = "IP protocol: tcp, udp, icmp, esp, gre, ospf, ... or "
		  "0..255",
	  .check = check_ip_proto, .example = "tcp",
	  .complete = complete_ip_proto },
	{ .name = "word",
	  .help = "any word; quote it (\"...\") to include blanks",
	  .check = check_word, .example = "blue" },
};

#define N_BUILTIN_TYPES (sizeof(builtin_types) / sizeof(builtin_types[0]))

static const struct cli_arg_type *
type_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < N_BUILTIN_TYPES; i++)
		if (strcmp(builtin_types[i].name, name) == 0)
			return &builtin_types[i];
	for (i = 0; i < reg.n_types; i++)
		if (strcmp(reg.types[i]->name, name) == 0)
			return reg.types[i];
	return NULL;
}

static bool
type_name_ok(const char *name)
{
	size_t n = strlen(name);
	const char *s;

	if (n == 0 || n > CLI_TYPE_NAME_MAX)
		return false;
	for (s = name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

int
cli_register_arg_type(const struct cli_arg_type *type)
{
	if (type == NULL || type->name == NULL || type->check == NULL ||
	    !type_name_ok(type->name))
		return -EINVAL;
	if (type_find(type->name) != NULL)
		return -EEXIST;
	if (reg.n_types == CLI_MAX_TYPES)
		return -ENOSPC;
	reg.types[reg.n_types++] = type;
	return 0;
}

/* Compiling a syntax and its help. */

struct compile {
	struct cli_cmd *c;
	const char *syntax;  /* as written, for messages */
	char *w;             /* next free byte of c->strs */
	bool in_group;
	unsigned int group_start;
};

static int
syntax_error(const char *syntax, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The registry's only diagnostics channel: rows are fixed at build time,
 * so a bad one is a programming error the developer must see. */
static int
syntax_error(const char *syntax, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cli: \"%s\": ", syntax != NULL ? syntax : "(null)");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static char *
store(struct compile *cs, const char *s, size_t len)
{
	char *d = cs->w;

	memcpy(d, s, len);
	d[len] = '\0';
	cs->w += len + 1;
	return d;
}

static bool
keyword_ok(const char *kw)
{
	const char *s;

	for (s = kw; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~' || strchr("<>[]\"?`|", *s) != NULL)
			return false;
	return true;
}

static int
add_token(struct compile *cs, const char *piece)
{
	struct cli_tok *t = &cs->c->tok[cs->c->n_tok];
	size_t len = strlen(piece);

	if (cs->c->n_tok == CLI_MAX_TOKENS)
		return syntax_error(cs->syntax, "more than %d tokens",
				    CLI_MAX_TOKENS);
	t->optional = cs->in_group;
	t->disp = store(cs, piece, len);
	if (piece[0] != '<') {
		if (!keyword_ok(piece))
			return syntax_error(cs->syntax, "bad keyword \"%s\"",
					    piece);
		t->text = t->disp;
		cs->c->n_tok++;
		return 0;
	}
	if (len < 3 || piece[len - 1] != '>')
		return syntax_error(cs->syntax, "bad argument \"%s\"", piece);
	t->is_arg = true;
	t->text = store(cs, piece + 1, len - 2);
	t->type = type_find(t->text);
	if (t->type == NULL)
		return syntax_error(cs->syntax, "unknown argument type %s",
				    piece);
	cs->c->n_tok++;
	return 0;
}

static int
close_group(struct compile *cs)
{
	struct cli_cmd *c = cs->c;

	if (!cs->in_group)
		return syntax_error(cs->syntax, "']' without '['");
	if (cs->group_start == c->n_tok)
		return syntax_error(cs->syntax, "empty optional group");
	c->tok[cs->group_start].skip = c->n_tok;
	c->tok[c->n_tok - 1].group_end = true;
	cs->in_group = false;
	return 0;
}

/* One blank-separated piece: a token, maybe with '[' before or ']' after. */
static int
compile_piece(struct compile *cs, char *piece)
{
	size_t len;
	bool close = false;

	if (piece[0] == '[') {
		if (cs->in_group)
			return syntax_error(cs->syntax,
					    "optional groups do not nest");
		cs->in_group = true;
		cs->group_start = cs->c->n_tok;
		piece++;
	}
	len = strlen(piece);
	if (len > 0 && piece[len - 1] == ']') {
		piece[--len] = '\0';
		close = true;
	}
	if (len > 0 && add_token(cs, piece) < 0)
		return -EINVAL;
	return close ? close_group(cs) : 0;
}

/* Rebuild the syntax with single spaces; never longer than the input. */
static void
normalize(struct cli_cmd *c, size_t size)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < c->n_tok; i++)
		off += snprintf(c->syntax + off, size - off, "%s%s%s%s",
				i > 0 ? " " : "", c->tok[i].skip ? "[" : "",
				c->tok[i].disp, c->tok[i].group_end ? "]" : "");
}

static int
compile_syntax(struct cli_cmd *c, const char *syntax)
{
	struct compile cs = { .c = c, .syntax = syntax };
	size_t len = strlen(syntax);
	char *copy, *piece, *save = NULL;
	int rc = 0;

	copy = strdup(syntax);
	c->strs = malloc(3 * len + 3);
	c->syntax = malloc(len + 1);
	if (copy == NULL || c->strs == NULL || c->syntax == NULL) {
		free(copy);
		return -ENOMEM;
	}
	cs.w = c->strs;
	for (piece = strtok_r(copy, " \t", &save); piece != NULL && rc == 0;
	     piece = strtok_r(NULL, " \t", &save))
		rc = compile_piece(&cs, piece);
	free(copy);
	if (rc == 0 && cs.in_group)
		rc = syntax_error(syntax, "missing ']'");
	if (rc == 0 && c->n_tok == 0)
		rc = syntax_error(syntax, "empty syntax");
	if (rc == 0 && (c->tok[0].is_arg || c->tok[0].optional))
		rc = syntax_error(syntax, "must start with a keyword");
	if (rc == 0)
		normalize(c, len + 1);
	return rc;
}

/* One help line per token: the drift check between grammar and help. */
static int
compile_help(struct cli_cmd *c, const char *syntax, const char *help)
{
	unsigned int n = 0;
	char *line, *next;

	if (help == NULL)
		return syntax_error(syntax, "no help");
	c->helps = strdup(help);
	if (c->helps == NULL)
		return -ENOMEM;
	/* A '\n' after the last line is tolerated: no empty line follows. */
	for (line = c->helps; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0')
			return syntax_error(syntax, "help line %u is empty",
					    n + 1);
		if (n < c->n_tok)
			c->tok[n].help = line;
		n++;
	}
	if (n != c->n_tok)
		return syntax_error(syntax, "%u tokens but %u help lines",
				    c->n_tok, n);
	return 0;
}

static void
cmd_free(struct cli_cmd *c)
{
	if (c == NULL)
		return;
	free(c->syntax);
	free(c->strs);
	free(c->helps);
	free(c);
}

static int
cmd_compile(const struct cli_command *def, struct cli_cmd **out)
{
	struct cli_cmd *c;
	int rc;

	*out = NULL;
	if (def->syntax == NULL)
		return syntax_error(NULL, "no syntax");
	if (def->handler == NULL)
		return syntax_error(def->syntax, "no handler");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->def = def;
	rc = compile_syntax(c, def->syntax);
	if (rc == 0)
		rc = compile_help(c, def->syntax, def->help);
	if (rc < 0) {
		cmd_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* The registry proper. */

static void registry_init(void);

int
cli_registry_check(const struct cli_command *cmds, unsigned int n)
{
	struct cli_cmd *c;
	unsigned int i;
	int rc = 0;

	registry_init();
	if (cmds == NULL && n > 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (cmd_compile(&cmds[i], &c) < 0)
			rc = -EINVAL;
		cmd_free(c);
	}
	return rc;
}

static struct cli_cmd *
cmd_find(const char *syntax)
{
	unsigned int i;

	for (i = 0; i < reg.n_cmds; i++)
		if (strcmp(reg.cmds[i]->syntax, syntax) == 0)
			return reg.cmds[i];
	return NULL;
}

/* -EEXIST if row @p i repeats a registered syntax or an earlier row. */
static int
check_unique(struct cli_cmd *const *fresh, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (strcmp(fresh[j]->syntax, fresh[i]->syntax) == 0)
			break;
	if (j == i && cmd_find(fresh[i]->syntax) == NULL)
		return 0;
	syntax_error(fresh[i]->def->syntax, "already registered");
	return -EEXIST;
}

static int
reserve(unsigned int n)
{
	unsigned int cap = reg.cap ? reg.cap : 32;
	struct cli_cmd **v;

	while (reg.n_cmds + n > cap)
		cap *= 2;
	if (cap == reg.cap)
		return 0;
	v = realloc(reg.cmds, cap * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	reg.cmds = v;
	reg.cap = cap;
	return 0;
}

/* Keep the table sorted: help, `?` and the doc list it in this order. */
static void
insert_sorted(struct cli_cmd *c)
{
	unsigned int i = reg.n_cmds;

	while (i > 0 && strcmp(reg.cmds[i - 1]->syntax, c->syntax) > 0) {
		reg.cmds[i] = reg.cmds[i - 1];
		i--;
	}
	reg.cmds[i] = c;
	reg.n_cmds++;
}

static int
compile_all(const struct cli_command *cmds, unsigned int n,
	    struct cli_cmd **fresh)
{
	unsigned int i;
	int rc = 0, r;

	/* Go on after an error so that every bad row gets reported. */
	for (i = 0; i < n; i++) {
		r = cmd_compile(&cmds[i], &fresh[i]);
		if (r < 0 && rc == 0)
			rc = r;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = check_unique(fresh, i);
	return rc == 0 ? reserve(n) : rc;
}

/* All rows or none: a half-registered table would be hard to debug. */
int
cli_register(const struct cli_command *cmds, unsigned int n)
{
	struct cli_cmd **fresh;
	unsigned int i;
	int rc;

	registry_init();
	if (cmds == NULL && n > 0)
		return -EINVAL;
	if (n == 0)
		return 0;
	fresh = calloc(n, sizeof(*fresh));
	if (fresh == NULL)
		return -ENOMEM;
	rc = compile_all(cmds, n, fresh);
	for (i = 0; i < n; i++) {
		if (rc == 0)
			insert_sorted(fresh[i]);
		else
			cmd_free(fresh[i]);
	}
	free(fresh);
	return rc;
}

void
cli_registry_reset(void)
{
	unsigned int i;

	for (i = 0; i < reg.n_cmds; i++)
		cmd_free(reg.cmds[i]);
	free(reg.cmds);
	memset(&reg, 0, sizeof(reg));
}

/* Splitting a line into words. */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy one word from @p *s to @p *d; "..." may hold blanks, \" and \\. */
static int
copy_word(const char **s, char **d, bool *quoted)
{
	const char *p = *s;
	char *q = *d;

	*quoted = false;
	while (*p != '\0' && !is_blank(*p)) {
		if (*p != '"') {
			*q++ = *p++;
			continue;
		}
		*quoted = true;
		for (p++; *p != '"'; p++) {
			if (*p == '\0')
				return -EINVAL;
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*q++ = *p;
		}
		p++;
	}
	*q++ = '\0';
	*s = p;
	*d = q;
	return 0;
}

static int
tokenize(const char *line, struct cli_words *w, struct cli_out *out)
{
	const char *s = line;
	char *d = w->buf;
	bool quoted = false;

	w->n = 0;
	if (strnlen(line, CLI_LINE_MAX + 1) > CLI_LINE_MAX) {
		cli_error(out, "line too long");
		return -EINVAL;
	}
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '\0')
			break;
		w->word[w->n++] = d;
		if (copy_word(&s, &d, &quoted) < 0) {
			cli_error(out, "unterminated quoted string at word %u",
				  w->n);
			return -EINVAL;
		}
	}
	w->last_quoted = quoted;
	return 0;
}

/* Words 0..@p k-1 joined by single spaces, for messages. */
static const char *
words_text(const struct cli_words *w, unsigned int k, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < k && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				w->word[i]);
	return buf;
}

/* Matching. */

static uint64_t
closure(const struct cli_cmd *c, uint64_t set)
{
	unsigned int p;

	/* skip > p, so one ascending pass also follows consecutive groups */
	for (p = 0; p < c->n_tok; p++)
		if ((set & BIT(p)) && c->tok[p].skip != 0)
			set |= BIT(c->tok[p].skip);
	return set;
}

static bool
complete(const struct cli_cmd *c, uint64_t cl)
{
	return (cl & BIT(c->n_tok)) != 0;
}

static enum level
tok_level(const struct cli_tok *t, const char *word)
{
	const char *why = NULL;

	if (t->is_arg)
		return t->type->check(word, &why) == 0 ? LV_ARG_OK : LV_ARG_BAD;
	if (strcmp(t->text, word) == 0)
		return LV_EXACT;
	if (*word != '\0' && strncmp(t->text, word, strlen(word)) == 0)
		return LV_PREFIX;
	return LV_NONE;
}

static int
match_init(struct match *m, const struct cli_words *w)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->w = w;
	m->pos = calloc(2 * (size_t)reg.n_cmds + 1, sizeof(*m->pos));
	if (m->pos == NULL)
		return -ENOMEM;
	m->cl = m->pos + reg.n_cmds;
	for (i = 0; i < reg.n_cmds; i++) {
		m->pos[i] = BIT(0);
		m->cl[i] = closure(reg.cmds[i], BIT(0));
	}
	return 0;
}

static void
match_fini(struct match *m)
{
	free(m->pos);
}

/*
 * Next candidate token for the coming word: a token at a position the
 * closure reached. Iterate with *ci = *pi = 0; on return *pi is the
 * token's index + 1, i.e. the position matching it leads to.
 */
static const struct cli_tok *
cand_next(const struct match *m, unsigned int *ci, unsigned int *pi)
{
	const struct cli_cmd *c;
	unsigned int p;

	for (; *ci < reg.n_cmds; (*ci)++, *pi = 0) {
		c = reg.cmds[*ci];
		while (*pi < c->n_tok) {
			p = (*pi)++;
			if (m->cl[*ci] & BIT(p))
				return &c->tok[p];
		}
	}
	return NULL;
}

static enum level
best_level(const struct match *m, const char *word, bool *any)
{
	const struct cli_tok *t;
	unsigned int ci = 0, pi = 0;
	enum level best = LV_NONE, lv;

	*any = false;
	while ((t = cand_next(m, &ci, &pi)) != NULL) {
		*any = true;
		lv = tok_level(t, word);
		if (lv > best)
			best = lv;
	}
	return best;
}

static void
advance(struct match *m, const char *word, enum level best)
{
	const struct cli_tok *t;
	unsigned int ci = 0, pi = 0, i;

	memset(m->pos, 0, reg.n_cmds * sizeof(*m->pos));
	while ((t = cand_next(m, &ci, &pi)) != NULL)
		if (tok_level(t, word) == best)
			m->pos[ci] |= BIT(pi);
	for (i = 0; i < reg.n_cmds; i++)
		m->cl[i] = m->pos[i] ? closure(reg.cmds[i], m->pos[i]) : 0;
}

static int
tok_list_add(struct tok_list *l, const struct cli_tok *t)
{
	const struct cli_tok **v;
	unsigned int i = l->n;
	int cmp = 1;

	while (i > 0 && (cmp = strcmp(l->v[i - 1]->disp, t->disp)) > 0)
		i--;
	if (i > 0 && cmp == 0)
		return 0; /* same text: the first registered help wins */
	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap ? 2 * l->cap : 16) * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		l->v = v;
		l->cap = l->cap ? 2 * l->cap : 16;
	}
	memmove(&l->v[i + 1], &l->v[i], (l->n - i) * sizeof(*l->v));
	l->v[i] = t;
	l->n++;
	return 0;
}

/* Candidates for @p word at level @p lv; every one if @p word is NULL. */
static int
collect(const struct match *m, const char *word, enum level lv,
	struct tok_list *l)
{
	const struct cli_tok *t;
	unsigned int ci = 0, pi = 0;

	memset(l, 0, sizeof(*l));
	while ((t = cand_next(m, &ci, &pi)) != NULL)
		if ((word == NULL || tok_level(t, word) == lv) &&
		    tok_list_add(l, t) < 0)
			return -ENOMEM;
	return 0;
}

static bool
any_complete(const struct match *m)
{
	unsigned int i;

	for (i = 0; i < reg.n_cmds; i++)
		if (complete(reg.cmds[i], m->cl[i]))
			return true;
	return false;
}

/* "  TOKEN  help" for each token of @p l, then "<cr>" if @p cr. */
static void
print_tokens(const struct tok_list *l, bool cr, struct cli_out *out)
{
	unsigned int i;
	int width = 4; /* "<cr>" */

	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i]->disp) > width)
			width = strlen(l->v[i]->disp);
	for (i = 0; i < l->n; i++)
		cli_printf(out, "  %-*s  %s\n", width, l->v[i]->disp,
			   l->v[i]->help);
	if (cr)
		cli_printf(out, "  <cr>\n");
}

/* The tokens a partial word may become: keywords it starts, arguments. */
static int
collect_part(const struct match *m, const char *part, struct tok_list *l)
{
	const struct cli_tok *t;
	unsigned int ci = 0, pi = 0;
	size_t len = strlen(part);

	memset(l, 0, sizeof(*l));
	while ((t = cand_next(m, &ci, &pi)) != NULL)
		if ((t->is_arg || strncmp(t->text, part, len) == 0) &&
		    tok_list_add(l, t) < 0)
			return -ENOMEM;
	return 0;
}

/*
 * What `?` shows: every token that may come next (@p part NULL) or that
 * the partial word @p part may become; <cr> if the command may end.
 * @return how many tokens were listed, or -ENOMEM.
 */
static int
print_next(const struct match *m, const char *part, struct cli_out *out)
{
	struct tok_list l;
	int rc;

	if (part == NULL)
		rc = collect(m, NULL, LV_NONE, &l);
	else
		rc = collect_part(m, part, &l);
	if (rc == 0) {
		print_tokens(&l, part == NULL && any_complete(m), out);
		rc = l.n;
	} else {
		cli_error(out, "out of memory");
	}
	free(l.v);
	return rc;
}

/* Report a prefix that fits several keywords; false if it fits one. */
static bool
ambiguous(const struct match *m, unsigned int i, struct cli_out *out)
{
	char text[CLI_LINE_MAX + 1];
	struct tok_list l;
	unsigned int k;

	if (collect(m, m->w->word[i], LV_PREFIX, &l) < 0 || l.n > 1) {
		cli_printf(out, "%% ambiguous command: \"%s\" at word %u (",
			   words_text(m->w, i + 1, text, sizeof(text)), i + 1);
		for (k = 0; k < l.n; k++)
			cli_printf(out, "%s%s", k ? ", " : "", l.v[k]->text);
		cli_printf(out, ")\n");
		free(l.v);
		return true;
	}
	free(l.v);
	return false;
}

/* "Did you mean". */

static unsigned int
min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Edits from @p a to @p b, a swap of two neighbours counting as one
 * ("shwo" is 1 from "show"): optimal string alignment, three rows.
 * Both strings are at most HINT_WORD_MAX long.
 */
static unsigned int
edit_distance(const char *a, const char *b)
{
	unsigned int row[3][HINT_WORD_MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int *cur, *up, *up2, v;

	for (j = 0; j <= lb; j++)
		row[0][j] = j;
	for (i = 1; i <= la; i++) {
		cur = row[i % 3];
		up = row[(i + 2) % 3];
		up2 = row[(i + 1) % 3];
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			v = min3(up[j] + 1, cur[j - 1] + 1,
				 up[j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && up2[j - 2] + 1 < v)
				v = up2[j - 2] + 1;
			cur[j] = v;
		}
	}
	return row[la % 3][lb];
}

/*
 * The keyword that could come in place of @p word and is nearest to it,
 * or NULL if none is close: one edit for words of up to 4 characters,
 * two for longer ones (more would suggest unrelated words).
 */
static const char *
nearest_keyword(const struct match *m, const char *word)
{
	size_t len = strlen(word);
	unsigned int ci = 0, pi = 0, d, best_d = len <= 4 ? 2 : 3;
	const struct cli_tok *t;
	const char *best = NULL;

	if (len > HINT_WORD_MAX)
		return NULL;
	while ((t = cand_next(m, &ci, &pi)) != NULL) {
		if (t->is_arg || strlen(t->text) > HINT_WORD_MAX)
			continue;
		d = edit_distance(word, t->text);
		/* among equals the first in sort order, for stable output */
		if (d < best_d || (d == best_d && best != NULL &&
				   strcmp(t->text, best) < 0)) {
			best_d = d;
			best = t->text;
		}
	}
	return best;
}

/* % unknown command "WORDS"; did you mean "FIXED"? */
static int
unknown_word(const struct match *m, unsigned int i, const char *hint,
	     struct cli_out *out)
{
	char text[CLI_LINE_MAX + 1], fixed[CLI_LINE_MAX + 1];

	words_text(m->w, i + 1, text, sizeof(text));
	if (hint == NULL) {
		cli_error(out, "unknown command \"%s\" at word %u", text,
			  i + 1);
		return -EINVAL;
	}
	words_text(m->w, i, fixed, sizeof(fixed));
	cli_error(out, "unknown command \"%s\" at word %u; did you mean "
		  "\"%s%s%s\"?", text, i + 1, fixed, i > 0 ? " " : "", hint);
	return -EINVAL;
}

/* % "VALUE" at word N: <type> expected, e.g. EXAMPLE (reason) */
static int
bad_argument(const struct match *m, unsigned int i, struct cli_out *out)
{
	const char *word = m->w->word[i], *why = NULL, *w;
	const struct cli_tok *t, *first = NULL;
	unsigned int ci = 0, pi = 0;

	/*
	 * The argument token that refused it with a reason of its own
	 * ("prefix length must be 0..32": the value looked like one), else
	 * the first that refused it, in table order.
	 */
	while ((t = cand_next(m, &ci, &pi)) != NULL) {
		w = NULL;
		if (!t->is_arg || t->type->check(word, &w) == 0)
			continue;
		if (first == NULL) {
			first = t;
			why = w;
		}
		if (w != NULL && strncmp(w, "expected", 8) != 0) {
			first = t;
			why = w;
			break;
		}
	}
	t = first;
	if (t == NULL)
		return -EINVAL;
	cli_printf(out, "%% \"%s\" at word %u: %s expected", word, i + 1,
		   t->disp);
	if (t->type->example != NULL)
		cli_printf(out, ", e.g. %s", t->type->example);
	/* "expected ..." only repeats what the line already says */
	if (why != NULL && strncmp(why, "expected", 8) != 0)
		cli_printf(out, " (%s)", why);
	cli_printf(out, "\n");
	return -EINVAL;
}

static int
match_word(struct match *m, unsigned int i, struct cli_out *out)
{
	const char *word = m->w->word[i], *hint = NULL;
	char text[CLI_LINE_MAX + 1];
	enum level best;
	bool any = false;

	best = i < CLI_MAX_TOKENS ? best_level(m, word, &any) : LV_NONE;
	if (best == LV_NONE && !any) {
		/* the words up to the first one too many, as unknown_word() */
		words_text(m->w, i + 1, text, sizeof(text));
		cli_error(out, "too many arguments: \"%s\" at word %u", text,
			  i + 1);
		return -EINVAL;
	}
	/* "vrff" where <ipv4-prefix> or "vrf" may come: a typo, not a bad
	 * prefix */
	if (best == LV_NONE || best == LV_ARG_BAD)
		hint = nearest_keyword(m, word);
	if (best == LV_NONE || hint != NULL)
		return unknown_word(m, i, hint, out);
	if (best == LV_ARG_BAD)
		return bad_argument(m, i, out);
	if (best == LV_PREFIX && ambiguous(m, i, out))
		return -EINVAL;
	advance(m, word, best);
	m->lv[i] = best;
	return 0;
}

static int
match_words(struct match *m, unsigned int n, struct cli_out *out)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = match_word(m, i, out);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The one command the whole line completes, or NULL after an error. */
static const struct cli_cmd *
match_end(const struct match *m, struct cli_out *out)
{
	const struct cli_cmd *found = NULL;
	char text[CLI_LINE_MAX + 1];
	unsigned int i, n = 0;

	for (i = 0; i < reg.n_cmds; i++)
		if (complete(reg.cmds[i], m->cl[i]) && n++ == 0)
			found = reg.cmds[i];
	words_text(m->w, m->w->n, text, sizeof(text));
	if (n == 1)
		return found;
	if (n == 0) {
		/* the word missing is the next one: what may come there */
		cli_error(out, "incomplete command: \"%s\" at word %u", text,
			  m->w->n + 1);
		print_next(m, NULL, out);
		return NULL;
	}
	cli_printf(out, "%% ambiguous command: \"%s\" (", text);
	for (i = 0, n = 0; i < reg.n_cmds; i++)
		if (complete(reg.cmds[i], m->cl[i]))
			cli_printf(out, "%s%s", n++ ? ", " : "",
				   reg.cmds[i]->syntax);
	cli_printf(out, ")\n");
	return NULL;
}

/*
 * Which token each word matched in command @p c. The NFA proved a path
 * exists; replay it depth first, each word at the level it matched at.
 */
static bool
trace(const struct match *m, const struct cli_cmd *c, unsigned int pos,
      unsigned int i, const struct cli_tok **path)
{
	uint64_t set = closure(c, BIT(pos));
	unsigned int p;

	if (i == m->w->n)
		return complete(c, set);
	for (p = 0; p < c->n_tok; p++) {
		if (!(set & BIT(p)) ||
		    tok_level(&c->tok[p], m->w->word[i]) != m->lv[i])
			continue;
		path[i] = &c->tok[p];
		if (trace(m, c, p + 1, i + 1, path))
			return true;
	}
	return false;
}

static int
run(const struct match *m, const struct cli_cmd *c, struct cli_out *out)
{
	const struct cli_tok *path[CLI_MAX_TOKENS];
	struct cli_args args = {
		.n = m->w->n, .val = m->w->word, .tok = path,
	};

	if (!trace(m, c, 0, 0, path)) {
		cli_error(out, "internal error matching \"%s\"", c->syntax);
		return -EINVAL;
	}
	if (!c->def->read_only && !cli_out_privileged(out)) {
		cli_error(out, "\"%s\" changes the router: this session may "
			  "only look; \"enable\" first", c->syntax);
		return -EPERM;
	}
	return c->def->handler(out, &args, c->def->arg);
}

static int
execute_line(const struct cli_words *w, struct cli_out *out)
{
	const struct cli_cmd *c;
	struct match m;
	int rc;

	rc = match_init(&m, w);
	if (rc < 0)
		return rc;
	rc = match_words(&m, w->n, out);
	if (rc == 0) {
		c = match_end(&m, out);
		rc = c != NULL ? run(&m, c, out) : -EINVAL;
	}
	match_fini(&m);
	return rc;
}

/*
 * `?` after @p n whole words of @p w, and after the partial word
 * w->word[n] if @p partial: list what may come there.
 */
static int
question(const struct cli_words *w, unsigned int n, bool partial,
	 struct cli_out *out)
{
	const char *part = partial ? w->word[n] : NULL;
	struct match m;
	int rc;

	rc = match_init(&m, w);
	if (rc < 0)
		return rc;
	rc = match_words(&m, n, out);
	if (rc == 0)
		rc = print_next(&m, part, out);
	if (rc == 0 && part != NULL)
		rc = unknown_word(&m, n, nearest_keyword(&m, part), out);
	match_fini(&m);
	return rc < 0 ? rc : 0;
}

/*
 * An unquoted '?' ending the last word asks for help ("show ?", "sh?"):
 * strip it. @return false for any other line; true, and in @p partial
 * whether a partial word stood before the '?'.
 */
static bool
strip_question(struct cli_words *w, bool *partial)
{
	char *last = w->buf + (w->word[w->n - 1] - w->buf);
	size_t len = strlen(last);

	if (w->last_quoted || len == 0 || last[len - 1] != '?')
		return false;
	last[len - 1] = '\0';
	*partial = len > 1;
	if (!*partial)
		w->n--;
	return true;
}

static int execute_plain(const char *line, struct cli_out *out);

int
cli_execute(const char *line, struct cli_out *out)
{
	const char *bar;

	registry_init();
	if (line == NULL)
		return 0;
	bar = cli_pipe_find(line);
	if (bar != NULL)
		return cli_pipe_run(line, bar, out, execute_plain);
	return execute_plain(line, out);
}

static int
execute_plain(const char *line, struct cli_out *out)
{
	struct cli_words *w;
	bool partial = false;
	int rc;

	/* ~5 KiB: keep it off the management lcore's stack */
	w = malloc(sizeof(*w));
	if (w == NULL)
		return -ENOMEM;
	rc = tokenize(line, w, out);
	if (rc == 0 && w->n > 0 && strip_question(w, &partial))
		rc = question(w, partial ? w->n - 1 : w->n, partial, out);
	else if (rc == 0 && w->n > 0)
		rc = execute_line(w, out);
	free(w);
	return rc;
}

/* Help and completion at a cursor. */

/* The line up to a cursor, in words. */
struct at_cursor {
	struct cli_words w;
	char head[CLI_LINE_MAX + 1]; /* the line up to the cursor */
	size_t start;                /* where the cursor's word starts */
	bool partial;                /* the cursor ends a word: w's last */
};

static int
words_at(const char *line, size_t cursor, struct at_cursor *a,
	 struct cli_out *out)
{
	size_t len = line != NULL ? strnlen(line, CLI_LINE_MAX + 1) : 0;

	if (cursor > len)
		cursor = len;
	if (cursor > CLI_LINE_MAX) {
		cli_error(out, "line too long");
		return -EINVAL;
	}
	if (cursor > 0)
		memcpy(a->head, line, cursor);
	a->head[cursor] = '\0';
	a->start = cursor;
	while (a->start > 0 && !is_blank(a->head[a->start - 1]))
		a->start--;
	a->partial = a->start < cursor;
	return tokenize(a->head, &a->w, out);
}

int
cli_help_at(const char *line, size_t cursor, struct cli_out *out)
{
	struct at_cursor *a;
	unsigned int n;
	int rc;

	registry_init();
	a = malloc(sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	rc = words_at(line, cursor, a, out);
	if (rc == 0) {
		n = a->partial ? a->w.n - 1 : a->w.n;
		rc = question(&a->w, n, a->partial, out);
	}
	free(a);
	return rc;
}

/* Collects candidates for cli_complete(). */
struct offer {
	struct cli_completions *c;
	const char *part;            /* what is typed of the word */
	size_t len;
	unsigned int cap;
	int err;
	const struct cli_arg_type *asked[N_BUILTIN_TYPES + CLI_MAX_TYPES];
	unsigned int n_asked;
};

/* Blanks or quotes would need quoting on the line: not offered. */
static bool
offerable(const struct offer *o, const char *cand)
{
	const char *s;

	if (cand == NULL || *cand == '\0' ||
	    strncmp(cand, o->part, o->len) != 0)
		return false;
	for (s = cand; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == '"')
			return false;
	return true;
}

/* Insert @p cand sorted, once; also the completers' add(). */
static void
offer_add(void *ctx, const char *cand)
{
	struct offer *o = ctx;
	struct cli_completions *c = o->c;
	unsigned int i = c->n;
	char **v, *copy;
	int cmp = 1;

	if (o->err != 0 || !offerable(o, cand))
		return;
	while (i > 0 && (cmp = strcmp(c->v[i - 1], cand)) > 0)
		i--;
	if (i > 0 && cmp == 0)
		return;
	if (c->n == o->cap) {
		v = realloc(c->v, (o->cap ? 2 * o->cap : 16) * sizeof(*v));
		if (v == NULL) {
			o->err = -ENOMEM;
			return;
		}
		c->v = v;
		o->cap = o->cap ? 2 * o->cap : 16;
	}
	copy = strdup(cand);
	if (copy == NULL) {
		o->err = -ENOMEM;
		return;
	}
	memmove(&c->v[i + 1], &c->v[i], (c->n - i) * sizeof(*c->v));
	c->v[i] = copy;
	c->n++;
}

/* A type used in many commands lists its values once. */
static void
offer_values(struct offer *o, const struct cli_arg_type *type)
{
	unsigned int i;

	if (type->complete == NULL) {
		o->c->open = true;
		return;
	}
	for (i = 0; i < o->n_asked; i++)
		if (o->asked[i] == type)
			return;
	o->asked[o->n_asked++] = type;
	type->complete(o->part, offer_add, o);
}

static int
offer_all(const struct match *m, const char *part,
	  struct cli_completions *c)
{
	struct offer *o = calloc(1, sizeof(*o));
	const struct cli_tok *t;
	unsigned int ci = 0, pi = 0;
	int rc;

	if (o == NULL)
		return -ENOMEM;
	o->c = c;
	o->part = part;
	o->len = strlen(part);
	while ((t = cand_next(m, &ci, &pi)) != NULL) {
		if (t->is_arg)
			offer_values(o, t->type);
		else
			offer_add(o, t->text);
	}
	rc = o->err;
	free(o);
	return rc;
}

static int
complete_words(const struct at_cursor *a, struct cli_completions *c)
{
	unsigned int n = a->partial ? a->w.n - 1 : a->w.n;
	struct match m;
	int rc;

	rc = match_init(&m, &a->w);
	if (rc < 0)
		return rc;
	/* a line that already went wrong offers nothing */
	if (match_words(&m, n, NULL) == 0)
		rc = offer_all(&m, a->partial ? a->w.word[n] : "", c);
	match_fini(&m);
	return rc;
}

int
cli_complete(const char *line, size_t cursor, struct cli_completions *c)
{
	struct at_cursor *a;
	int rc;

	memset(c, 0, sizeof(*c));
	registry_init();
	a = malloc(sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	rc = words_at(line, cursor, a, NULL);
	c->start = a->start;
	/* inside or after quotes the word on screen is not the value */
	if (rc == 0 && strchr(a->head + a->start, '"') == NULL)
		rc = complete_words(a, c);
	free(a);
	if (rc == -ENOMEM) {
		cli_completions_free(c);
		return rc;
	}
	return c->n;
}

void
cli_completions_free(struct cli_completions *c)
{
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Arguments. */

const char *
cli_arg_n(const struct cli_args *args, const char *name, unsigned int i)
{
	unsigned int k;

	if (args == NULL || name == NULL)
		return NULL;
	for (k = 0; k < args->n; k++)
		if (args->tok[k]->is_arg &&
		    strcmp(args->tok[k]->text, name) == 0 && i-- == 0)
			return args->val[k];
	return NULL;
}

const char *
cli_arg(const struct cli_args *args, const char *name)
{
	return cli_arg_n(args, name, 0);
}

uint32_t
cli_arg_u32_n(const struct cli_args *args, unsigned int i)
{
	const char *s = cli_arg_n(args, "uint32", i);

	return s == NULL ? 0 : (uint32_t)strtoul(s, NULL, 10);
}

int
cli_result(struct cli_out *out, int rc, const char *err)
{
	if (rc < 0)
		cli_error(out, "%s", err);
	return rc;
}

const char *
cli_arg_after(const struct cli_args *args, const char *word)
{
	unsigned int k;

	for (k = 0; args != NULL && word != NULL && k + 1 < args->n; k++)
		if (!args->tok[k]->is_arg &&
		    strcmp(args->tok[k]->text, word) == 0 &&
		    args->tok[k + 1]->is_arg)
			return args->val[k + 1];
	return NULL;
}

bool
cli_has_word(const struct cli_args *args, const char *word)
{
	unsigned int k;

	if (args == NULL || word == NULL)
		return false;
	for (k = 0; k < args->n; k++)
		if (!args->tok[k]->is_arg &&
		    strcmp(args->tok[k]->text, word) == 0)
			return true;
	return false;
}

/* Built-in commands and help. */

/*
 * What a command does: its row's summary, else the help of the verb,
 * the last keyword before the first argument or optional group. The
 * keywords after an argument ("mac", "interface" in "neighbour add
 * <ipv4> mac ...") only name what follows them.
 */
static const char *
summary(const struct cli_cmd *c)
{
	unsigned int i;

	if (c->def->summary != NULL)
		return c->def->summary;
	for (i = 1; i < c->n_tok; i++)
		if (c->tok[i].is_arg || c->tok[i].optional)
			break;
	return c->tok[i - 1].help;
}

/* Syntaxes longer than this put their summary on the next row. */
#define HELP_SYNTAX_WIDTH 40

static int
cmd_help(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *syn;
	unsigned int i;
	int width = 0, len;

	for (i = 0; i < reg.n_cmds; i++) {
		len = (int)strlen(reg.cmds[i]->syntax);
		if (len > width && len <= HELP_SYNTAX_WIDTH)
			width = len;
	}
	for (i = 0; i < reg.n_cmds; i++) {
		syn = reg.cmds[i]->syntax;
		if ((int)strlen(syn) > width)
			cli_printf(out, "  %s\n  %-*s  ", syn, width, "");
		else
			cli_printf(out, "  %-*s  ", width, syn);
		cli_printf(out, "%s%s\n", summary(reg.cmds[i]),
			   reg.cmds[i]->def->read_only ? "" : " (privileged)");
	}
	return 0;
}

static int
cmd_quit(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_out_request_close(out);
	return 0;
}

/* The session's owner asks for the secret (telnet.c). */
static int
cmd_enable(struct cli_out *out, const struct cli_args *args, void *arg)
{
	if (!cli_out_privileged(out))
		cli_out_request_enable(out);
	return 0;
}

static int
cmd_disable(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_out_set_privileged(out, false);
	return 0;
}

static const struct cli_command builtin_cmds[] = {
	{ "help", "List every command with a summary", cmd_help, NULL, true },
	{ "quit", "Close this CLI session", cmd_quit, NULL, true },
	{ "exit", "Close this CLI session", cmd_quit, NULL, true },
	{ "enable", "Privileged mode: may change the router",
	  cmd_enable, NULL, true },
	{ "disable", "Back to read-only mode: show commands only",
	  cmd_disable, NULL, true },
};

/* Built-in commands are part of every registry, also after a reset. */
static void
registry_init(void)
{
	if (reg.ready)
		return;
	reg.ready = true;
	cli_register(builtin_cmds,
		     sizeof(builtin_cmds) / sizeof(builtin_cmds[0]));
}

/* The Markdown reference. */

/* Table cells must not contain a bare '|'. */
static void
md_cell(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void
doc_command(FILE *f, const struct cli_cmd *c)
{
	unsigned int i;

	fprintf(f, "### `%s`\n\n", c->syntax);
	md_cell(f, summary(c));
	fprintf(f, "\n\nPrivilege: %s\n\n| token | meaning |\n|---|---|\n",
		c->def->read_only ? "read-only" : "privileged");
	for (i = 0; i < c->n_tok; i++) {
		fprintf(f, "| `%s` | ", c->tok[i].disp);
		md_cell(f, c->tok[i].help);
		fprintf(f, "%s |\n", c->tok[i].optional ? " (optional)" : "");
	}
	fputc('\n', f);
}

static int
type_cmp(const void *a, const void *b)
{
	const struct cli_arg_type *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static void
doc_types(FILE *f)
{
	const struct cli_arg_type *all[N_BUILTIN_TYPES + CLI_MAX_TYPES];
	unsigned int i, n = 0;

	for (i = 0; i < N_BUILTIN_TYPES; i++)
		all[n++] = &builtin_types[i];
	for (i = 0; i < reg.n_types; i++)
		all[n++] = reg.types[i];
	qsort(all, n, sizeof(all[0]), type_cmp);
	fprintf(f, "## Argument types\n\n| type | value | example |\n"
		"|---|---|---|\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "| `<%s>` | ", all[i]->name);
		md_cell(f, all[i]->help != NULL ? all[i]->help : "");
		fprintf(f, " | ");
		if (all[i]->example != NULL) {
			fputc('`', f);
			md_cell(f, all[i]->example);
			fputc('`', f);
		}
		fprintf(f, " |\n");
	}
}

/* How to reach the CLI and use it: the part of the doc no table gives. */
static const char doc_intro[] =
	"# ferry CLI reference\n\n"
	"<!-- Generated by cli_doc_write() from the command registry; "
	"do not edit. -->\n\n"
	"## Sessions\n\n"
	"The CLI listens on a Unix socket (`cli.socket`, default "
	"`/run/ferry/cli.sock`,\nmode 0660) and on telnet (`cli.address`:"
	"`cli.port`, default 127.0.0.1:8086;\nbeyond loopback only with "
	"`cli.password`). Who may change the router:\n\n"
	"| session | may run |\n|---|---|\n"
	"| Unix socket (ferryctl's default) | everything: the file's mode "
	"and group decide who may open it |\n"
	"| telnet, no credentials | read-only commands (marked so below) |\n"
	"| telnet after `enable` and `cli.enable_secret` | everything |\n"
	"| telnet after `cli.password`, no `enable_secret` set | "
	"everything |\n\n"
	"- `telnet HOST PORT`: character mode. The server offers "
	"`IAC WILL ECHO` and\n  `IAC WILL SUPPRESS-GO-AHEAD`; a telnet "
	"client agrees, and the server echoes\n  and edits the line (keys "
	"below).\n"
	"- `ferryctl [-S PATH | -s HOST:PORT] [-t SECONDS] COMMAND...`: one "
	"command\n  (or one quoted argument holding the whole line, as "
	"`vtysh -c`). Its output\n  goes to stdout, exit status 0; an error "
	"line (`% ...`) goes to stderr,\n  exit status 1; 2 if it could not "
	"run (connection, timeout). Without a\n  command, `ferryctl` opens a "
	"session (character mode on a terminal); a\n  piped session exits 1 "
	"if any command answered an error.\n"
	"- `nc HOST PORT`, or any pipe: line mode, one command per line. "
	"Such a client\n  first receives the offer (6 bytes, then CR NUL) "
	"and does not answer it; a\n  script should drop telnet sequences "
	"(`IAC ...`) and CR.\n\n"
	"Any command may end in filters: `| include REGEX`, "
	"`| exclude REGEX` (POSIX\nextended; quote a REGEX holding `|`). "
	"Telnet sessions that have not logged in\nare closed after "
	"`cli.login_timeout`; one address may hold\n`cli.max_per_source` "
	"sessions, and after failed passwords waits longer for\neach next "
	"try; `show cli` counts it all.\n\n"
	"An error names the word at fault by its number:\n"
	"`% unknown command \"show ip rute\" at word 3`,\n"
	"`% \"10.0.0.0/33\" at word 4: <ipv4-prefix> expected, ...`,\n"
	"`% incomplete command: \"ip route add\" at word 4` (then what may "
	"come there),\n`% too many arguments: \"show version now\" at word "
	"3`. A show command with\nnothing to list says so in one line, "
	"`no WHAT` (`no LSPs`, `no bridge domains`;\nan empty list after "
	"`| json`), never a bare header.\n\n"
	"| key (character mode) | does |\n|---|---|\n"
	"| Left, Right, Ctrl-B, Ctrl-F | move the cursor |\n"
	"| Ctrl-A or Home, Ctrl-E or End | go to the start, the end |\n"
	"| Backspace | erase the character before the cursor |\n"
	"| Ctrl-D, Delete | erase the character under the cursor; Ctrl-D "
	"on an empty line leaves |\n"
	"| Ctrl-U, Ctrl-K, Ctrl-W | erase the line, up to its end, the word "
	"before the cursor |\n"
	"| Up, Down, Ctrl-P, Ctrl-N | walk the session's last 64 lines |\n"
	"| Tab | complete a keyword or a name; if several fit, list them "
	"and insert what they share |\n"
	"| `?` | list what may come at the cursor, then give the line back "
	"(inside quotes `?` is a character) |\n"
	"| Ctrl-C | abandon the line |\n"
	"| `quit`, `exit` | leave |\n\n"
	"Keywords may be shortened to any unique prefix (`sh ip ro`).\n"
	"`[ ... ]` marks an optional group, `<type>` a value of that type; "
	"quote a\nvalue with blanks (`\"a b\"`). `help` lists every "
	"command. Errors are one line\nstarting with `%`, for example:\n\n"
	"```\n% unknown command \"shwo\" at word 1; did you mean "
	"\"show\"?\n"
	"% \"10.0.0.0/33\" at word 4: <ipv4-prefix> expected, e.g. "
	"10.0.0.0/8 (prefix length must be 0..32)\n```\n\n"
	"## Commands\n\n";

int
cli_doc_write(FILE *f)
{
	unsigned int i;

	registry_init();
	if (f == NULL)
		return -EINVAL;
	fputs(doc_intro, f);
	for (i = 0; i < reg.n_cmds; i++)
		doc_command(f, reg.cmds[i]);
	doc_types(f);
	return ferror(f) ? -EIO : 0;
}
