/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `write` as an edit of the operator's file. libconfig keeps no
 * comments and reorders nothing it can print, so printing the model
 * (cfg_write) would lose every comment, the order of keys and the keys
 * written at their default. Instead the old text is read here into a
 * tree of where each setting and list element starts and ends (with the
 * comment lines above it and the comment at the end of its line), the
 * model it loaded is compared with the running one field by field, and
 * only what differs is rewritten in place:
 *
 *   - a changed value is replaced by the value as the writer prints it;
 *   - a key absent from the file whose value now differs from its
 *     default is added at the end of its group;
 *   - list elements are matched by the list's key (cfg_schema.keys, or
 *     whole equality where there is none): a changed element is edited
 *     the same way, a removed one is cut with its comment lines, a new
 *     one is inserted before the next kept element or appended to the
 *     list in the writer's layout (an element that moved is removed
 *     and inserted again);
 *   - a section absent from the file is appended to it.
 *
 * cfg_save() loads the result back and falls back to cfg_write() when it
 * does not give the running model, so the edit can only lose comments,
 * never settings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

#define NOPOS SIZE_MAX
#define NEST_MAX 32 /* deeper than any schema: the text is not ours */

enum tkind { T_SCALAR, T_GROUP, T_LIST, T_ARRAY };

/* One setting or list element as written: where its parts are. */
struct tnode {
	enum tkind kind;
	const char *name; /* a setting's name in the text; NULL: element */
	size_t name_len;
	size_t lead;   /* start, with the comment lines above it */
	size_t vs, ve; /* the value */
	size_t sep;    /* the ';' or ',' after the value, or NOPOS */
	size_t tail;   /* end, with the rest of its line if blank/comment */
	size_t close;  /* group, list, array: the closing bracket */
	struct tnode *kids;
	unsigned int n, cap;
};

struct parser {
	const char *t;
	size_t i;
	int err;
	unsigned int depth;
};

/* ------------------------------------------------------------------ */
/* Reading the text                                                    */

static void
skip_blank(struct parser *p)
{
	const char *t = p->t;
	const char *end;

	for (;;) {
		if (t[p->i] == ' ' || t[p->i] == '\t' || t[p->i] == '\n' ||
		    t[p->i] == '\r' || t[p->i] == '\f' || t[p->i] == '\v') {
			p->i++;
		} else if (t[p->i] == '#' ||
			   (t[p->i] == '/' && t[p->i + 1] == '/')) {
			while (t[p->i] != '\0' && t[p->i] != '\n')
				p->i++;
		} else if (t[p->i] == '/' && t[p->i + 1] == '*') {
			end = strstr(t + p->i + 2, "*/");
			if (end == NULL) {
				p->err = -EINVAL;
				p->i += strlen(t + p->i);
				return;
			}
			p->i = end + 2 - t;
		} else {
			return;
		}
	}
}

/* Past the end of @p pos's line if the rest of it is blank or a line
 * comment; NOPOS if something else follows on it. */
static size_t
rest_of_line(const char *t, size_t pos)
{
	while (t[pos] == ' ' || t[pos] == '\t' || t[pos] == '\r')
		pos++;
	if (t[pos] == '#' || (t[pos] == '/' && t[pos + 1] == '/'))
		while (t[pos] != '\0' && t[pos] != '\n')
			pos++;
	if (t[pos] == '\n')
		return pos + 1;
	return t[pos] == '\0' ? pos : NOPOS;
}

static size_t
line_end_or(const char *t, size_t pos)
{
	size_t r = rest_of_line(t, pos);

	return r == NOPOS ? pos : r;
}

static struct tnode *
kid_new(struct parser *p, struct tnode *parent)
{
	struct tnode *v;
	unsigned int cap;

	if (parent->n == parent->cap) {
		cap = parent->cap ? parent->cap * 2 : 8;
		v = realloc(parent->kids, cap * sizeof(*v));
		if (v == NULL) {
			p->err = -ENOMEM;
			return NULL;
		}
		parent->kids = v;
		parent->cap = cap;
	}
	v = &parent->kids[parent->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

static void
tnode_free(struct tnode *n)
{
	unsigned int i;

	for (i = 0; i < n->n; i++)
		tnode_free(&n->kids[i]);
	free(n->kids);
}

static bool
is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '*' ||
	       (!first && ((c >= '0' && c <= '9') || c == '_' || c == '-'));
}

static bool
is_scalar_char(char c)
{
	return is_name_char(c, false) || c == '.' || c == '+';
}

static void parse_value(struct parser *p, struct tnode *n);

/* One "..." literal with its escapes; p->i on the opening quote. */
static void
parse_string(struct parser *p)
{
	const char *t = p->t;

	for (p->i++; t[p->i] != '"'; p->i++) {
		if (t[p->i] == '\\' && t[p->i + 1] != '\0')
			p->i++;
		else if (t[p->i] == '\0' || t[p->i] == '\n') {
			p->err = -EINVAL;
			return;
		}
	}
	p->i++;
}

/* Adjacent literals make one string ("ab" "cd"), as in C. */
static void
parse_strings(struct parser *p, struct tnode *n)
{
	do {
		parse_string(p);
		n->ve = p->i;
		skip_blank(p);
	} while (p->err == 0 && p->t[p->i] == '"');
	p->i = n->ve;
}

/* After a value: its separator and the end of its line. */
static void
parse_end(struct parser *p, struct tnode *n, const char *seps)
{
	size_t after = p->i;

	skip_blank(p);
	if (p->t[p->i] != '\0' && strchr(seps, p->t[p->i]) != NULL) {
		n->sep = p->i++;
		after = p->i;
	} else {
		n->sep = NOPOS;
		p->i = after;
	}
	n->tail = line_end_or(p->t, after);
	p->i = n->tail;
}

/* Settings up to @p close ('\0': the end of the file). */
static void
parse_members(struct parser *p, struct tnode *g, char close)
{
	size_t lead = line_end_or(p->t, p->i);
	struct tnode *k;

	while (p->err == 0) {
		skip_blank(p);
		if (p->t[p->i] == close) {
			g->close = p->i;
			if (close != '\0')
				p->i++;
			return;
		}
		if (p->t[p->i] == '@' || !is_name_char(p->t[p->i], true)) {
			/* @include: the settings are in another file */
			p->err = p->t[p->i] == '@' ? -ENOTSUP : -EINVAL;
			return;
		}
		k = kid_new(p, g);
		if (k == NULL)
			return;
		k->lead = lead;
		k->name = p->t + p->i;
		while (is_name_char(p->t[p->i], false))
			p->i++;
		k->name_len = p->t + p->i - k->name;
		skip_blank(p);
		if (p->t[p->i] != '=' && p->t[p->i] != ':') {
			p->err = -EINVAL;
			return;
		}
		p->i++;
		parse_value(p, k);
		parse_end(p, k, ";,");
		lead = k->tail;
	}
}

/* Elements up to @p close, separated by commas (none after the last:
 * libconfig 1.5 refuses a trailing one). */
static void
parse_elements(struct parser *p, struct tnode *l, char close)
{
	size_t lead = line_end_or(p->t, p->i);
	struct tnode *k;

	while (p->err == 0) {
		skip_blank(p);
		if (p->t[p->i] == close) {
			l->close = p->i++;
			return;
		}
		if (l->n > 0 && l->kids[l->n - 1].sep == NOPOS) {
			p->err = -EINVAL;
			return;
		}
		k = kid_new(p, l);
		if (k == NULL)
			return;
		k->lead = lead;
		parse_value(p, k);
		parse_end(p, k, ",");
		lead = k->tail;
	}
}

static void
parse_nested(struct parser *p, struct tnode *n, enum tkind kind, char close)
{
	n->kind = kind;
	if (++p->depth > NEST_MAX) {
		p->err = -EINVAL;
		return;
	}
	p->i++;
	if (kind == T_GROUP)
		parse_members(p, n, close);
	else
		parse_elements(p, n, close);
	p->depth--;
	n->ve = p->i;
}

static void
parse_value(struct parser *p, struct tnode *n)
{
	skip_blank(p);
	n->vs = p->i;
	switch (p->t[p->i]) {
	case '{':
		parse_nested(p, n, T_GROUP, '}');
		return;
	case '(':
		parse_nested(p, n, T_LIST, ')');
		return;
	case '[':
		parse_nested(p, n, T_ARRAY, ']');
		return;
	case '"':
		n->kind = T_SCALAR;
		parse_strings(p, n);
		return;
	}
	n->kind = T_SCALAR;
	while (is_scalar_char(p->t[p->i]))
		p->i++;
	n->ve = p->i;
	if (n->ve == n->vs)
		p->err = -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Edits of the text                                                   */

/* Replace [at, end) by text (at == end: insert). */
struct edit {
	size_t at, end;
	char *text;
	size_t len;
	unsigned int seq; /* insertions at one place keep their order */
};

struct editor {
	const char *t;
	struct edit *v;
	unsigned int n, cap;
	int err;
};

/* Start an edit; write its text to the stream, then edit_end(). */
static FILE *
edit_begin(struct editor *ed, size_t at, size_t end)
{
	struct edit *v;
	unsigned int cap;
	FILE *f;

	if (ed->err != 0)
		return NULL;
	if (ed->n == ed->cap) {
		cap = ed->cap ? ed->cap * 2 : 16;
		v = realloc(ed->v, cap * sizeof(*v));
		if (v == NULL) {
			ed->err = -ENOMEM;
			return NULL;
		}
		ed->v = v;
		ed->cap = cap;
	}
	v = &ed->v[ed->n];
	*v = (struct edit){ .at = at, .end = end, .seq = ed->n };
	f = open_memstream(&v->text, &v->len);
	if (f == NULL)
		ed->err = -ENOMEM;
	return f;
}

static void
edit_end(struct editor *ed, FILE *f)
{
	if (f == NULL)
		return;
	if (fclose(f) != 0 || ed->v[ed->n].text == NULL) {
		free(ed->v[ed->n].text);
		ed->err = -ENOMEM;
		return;
	}
	ed->n++;
}

static void
edit_text(struct editor *ed, size_t at, size_t end, const char *text)
{
	FILE *f = edit_begin(ed, at, end);

	if (f != NULL)
		fputs(text, f);
	edit_end(ed, f);
}

static int
edit_cmp(const void *x, const void *y)
{
	const struct edit *a = x, *b = y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->end != b->end) /* an insertion before a cut from there */
		return a->end < b->end ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The text with every edit made; -EINVAL if two of them overlap. */
static int
edits_apply(struct editor *ed, char **out)
{
	size_t pos = 0, len;
	unsigned int i;
	char *buf = NULL;
	FILE *f;

	if (ed->n > 0)
		qsort(ed->v, ed->n, sizeof(*ed->v), edit_cmp);
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -ENOMEM;
	for (i = 0; i < ed->n; i++) {
		if (ed->v[i].at < pos)
			break;
		fwrite(ed->t + pos, 1, ed->v[i].at - pos, f);
		fwrite(ed->v[i].text, 1, ed->v[i].len, f);
		pos = ed->v[i].end;
	}
	fputs(ed->t + pos, f);
	if (fclose(f) != 0 || buf == NULL || i < ed->n) {
		free(buf);
		return buf == NULL ? -ENOMEM : -EINVAL;
	}
	*out = buf;
	return 0;
}

static void
editor_free(struct editor *ed)
{
	unsigned int i;

	for (i = 0; i < ed->n; i++)
		free(ed->v[i].text);
	free(ed->v);
}

/* ------------------------------------------------------------------ */
/* Layout of the old text                                              */

static size_t
line_start(const char *t, size_t pos)
{
	while (pos > 0 && t[pos - 1] != '\n')
		pos--;
	return pos;
}

static bool
at_line_start(const char *t, size_t pos)
{
	return pos == 0 || t[pos - 1] == '\n';
}

/* The blanks that start @p pos's line, as written. */
static void
put_indent(FILE *f, const char *t, size_t pos)
{
	size_t i = line_start(t, pos);

	while (t[i] == ' ' || t[i] == '\t')
		fputc(t[i++], f);
}

/* The writer's depth for a value on @p pos's line (tabs of 8). */
static unsigned int
depth_at(const char *t, size_t pos)
{
	size_t i = line_start(t, pos);
	unsigned int col = 0;

	for (; t[i] == ' ' || t[i] == '\t'; i++)
		col = t[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col / 8;
}

static const struct tnode *
member_find(const struct tnode *g, const char *key)
{
	size_t len = strlen(key);
	unsigned int i;

	for (i = 0; i < g->n; i++)
		if (g->kids[i].name_len == len &&
		    memcmp(g->kids[i].name, key, len) == 0)
			return &g->kids[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The edit of a group                                                 */

static void edit_group(struct editor *ed, const struct cfg_schema *schema,
		       const void *was, const void *now,
		       const struct tnode *g);

static void
replace_value(struct editor *ed, const struct tnode *n,
	      const struct cfg_field *f, const void *now)
{
	FILE *o = edit_begin(ed, n->vs, n->ve);

	if (o != NULL && cfg_priv_write_value(o, f, now,
					      depth_at(ed->t, n->vs)) != 0)
		ed->err = -ENOMEM;
	edit_end(ed, o);
}

static void
put_setting(struct editor *ed, FILE *o, const struct cfg_field *f,
	    const void *now, unsigned int depth)
{
	fprintf(o, "%s = ", f->key);
	if (cfg_priv_write_value(o, f, now, depth) != 0)
		ed->err = -ENOMEM;
	fputc(';', o);
}

/* A key the file leaves out that now differs from its default: at the
 * end of its group, on a line of its own if the group has lines. */
static void
insert_member(struct editor *ed, const struct tnode *g,
	      const struct cfg_field *f, const void *now)
{
	const struct tnode *last = g->n > 0 ? &g->kids[g->n - 1] : NULL;
	unsigned int d;
	FILE *o;

	if (last == NULL) {
		d = depth_at(ed->t, g->close);
		o = edit_begin(ed, g->close, g->close);
		if (o == NULL)
			return;
		fputc('\n', o);
		for (unsigned int i = 0; i <= d; i++)
			fputc('\t', o);
		put_setting(ed, o, f, now, d + 1);
		fputc('\n', o);
		for (unsigned int i = 0; i < d; i++)
			fputc('\t', o);
	} else if (at_line_start(ed->t, last->tail)) {
		o = edit_begin(ed, last->tail, last->tail);
		if (o == NULL)
			return;
		put_indent(o, ed->t, last->vs);
		put_setting(ed, o, f, now, depth_at(ed->t, last->vs));
		fputc('\n', o);
	} else {
		d = last->sep != NOPOS ? last->sep + 1 : last->ve;
		o = edit_begin(ed, d, d);
		if (o == NULL)
			return;
		fputs(last->sep != NOPOS ? " " : "; ", o);
		put_setting(ed, o, f, now, depth_at(ed->t, last->vs));
	}
	edit_end(ed, o);
}

/* ------------------------------------------------------------------ */
/* The edit of a list                                                  */

struct list_edit {
	struct editor *ed;
	const struct cfg_field *f;
	const struct cfg_array *was, *now;
	const struct tnode *l;
	size_t size;
	int *match;  /* per element of now: its element of was, or -1 */
	bool *kept;  /* per element of was */
};

static const void *
elem(const struct cfg_array *a, size_t size, unsigned int i)
{
	return (const char *)a->items + i * size;
}

static bool
same_elem(const struct cfg_schema *sc, const void *a, const void *b)
{
	if (sc->keys != NULL && sc->keys[0] != NULL)
		return cfg_priv_same_key(sc, a, b);
	return cfg_group_equal(sc, a, b, NULL);
}

/*
 * Pair the elements, in order: each element of now is looked for after
 * the last one kept, so a list in the same order costs one pass (a
 * write of 100k routes stays linear), and an element that moved before
 * one kept counts as removed there and new here. False if none is kept.
 */
static bool
list_match(struct list_edit *le)
{
	unsigned int i, j, from = 0;
	int last = -1;

	for (j = 0; j < le->now->n; j++) {
		le->match[j] = -1;
		for (i = from; i < le->was->n && le->match[j] < 0; i++)
			if (same_elem(le->f->sub, elem(le->was, le->size, i),
				      elem(le->now, le->size, j)))
				le->match[j] = i;
		if (le->match[j] < 0)
			continue;
		last = le->match[j];
		le->kept[last] = true;
		from = last + 1;
	}
	return last >= 0;
}

static void
put_element(struct list_edit *le, FILE *o, unsigned int j, size_t like)
{
	if (cfg_priv_write_element(o, le->f->sub, elem(le->now, le->size, j),
				   depth_at(le->ed->t, like)) != 0)
		le->ed->err = -ENOMEM;
}

/* New element @p j before kept element @p k. */
static void
insert_before(struct list_edit *le, unsigned int j, const struct tnode *k)
{
	bool own_line = at_line_start(le->ed->t, k->lead);
	FILE *o = edit_begin(le->ed, own_line ? k->lead : k->vs,
			     own_line ? k->lead : k->vs);

	if (o == NULL)
		return;
	if (own_line)
		put_indent(o, le->ed->t, k->vs);
	put_element(le, o, j, k->vs);
	fputs(own_line ? ",\n" : ", ", o);
	edit_end(le->ed, o);
}

/* New elements @p from.. after the last kept element @p k. */
static void
append_after(struct list_edit *le, unsigned int from, const struct tnode *k)
{
	bool lines = at_line_start(le->ed->t, k->tail);
	size_t at = lines ? k->tail : k->sep != NOPOS ? k->sep + 1 : k->ve;
	unsigned int j;
	FILE *o;

	if (k->sep == NOPOS && lines)
		edit_text(le->ed, k->ve, k->ve, ",");
	o = edit_begin(le->ed, at, at);
	if (o == NULL)
		return;
	if (k->sep == NOPOS && !lines)
		fputc(',', o);
	for (j = from; j < le->now->n; j++) {
		if (lines) {
			put_indent(o, le->ed->t, k->vs);
		} else {
			fputc(' ', o);
		}
		put_element(le, o, j, k->vs);
		if (j + 1 < le->now->n)
			fputc(',', o);
		if (lines)
			fputc('\n', o);
	}
	edit_end(le->ed, o);
}

static void
edit_element(struct list_edit *le, unsigned int i, unsigned int j)
{
	const void *a = elem(le->was, le->size, i);
	const void *b = elem(le->now, le->size, j);
	const struct tnode *k = &le->l->kids[i];
	FILE *o;

	if (cfg_group_equal(le->f->sub, a, b, NULL))
		return;
	if (k->kind == T_GROUP && k->n > 0) {
		edit_group(le->ed, le->f->sub, a, b, k);
		return;
	}
	o = edit_begin(le->ed, k->vs, k->ve);
	if (o != NULL)
		put_element(le, o, j, k->vs);
	edit_end(le->ed, o);
}

/* Cut the removed elements, and the comma of a kept one left last. */
static int
cut_removed(struct list_edit *le, bool appended)
{
	const struct tnode *k;
	int last = -1;
	unsigned int i;

	for (i = 0; i < le->was->n; i++) {
		k = &le->l->kids[i];
		if (le->kept[i])
			last = i;
		else
			edit_text(le->ed, k->lead, k->tail, "");
	}
	k = &le->l->kids[last];
	if (!appended && k->sep != NOPOS)
		edit_text(le->ed, k->sep, k->sep + 1, "");
	return last;
}

/* Elements in their order; false: the list is rewritten whole. */
static bool
list_edits(struct list_edit *le)
{
	unsigned int i, j, tail_from = le->now->n;
	int last;

	if (le->l->n != le->was->n || !list_match(le))
		return false;
	/* new elements after the last kept one are appended */
	while (tail_from > 0 && le->match[tail_from - 1] < 0)
		tail_from--;
	last = cut_removed(le, tail_from < le->now->n);
	for (j = 0; j < tail_from; j++) {
		if (le->match[j] >= 0) {
			edit_element(le, le->match[j], j);
			continue;
		}
		for (i = j + 1; le->match[i] < 0; i++)
			;
		insert_before(le, j, &le->l->kids[le->match[i]]);
	}
	if (tail_from < le->now->n)
		append_after(le, tail_from, &le->l->kids[last]);
	return true;
}

static void
edit_list(struct editor *ed, const struct cfg_field *f, const void *was,
	  const void *now, const struct tnode *l)
{
	struct list_edit le = {
		.ed = ed, .f = f, .l = l, .size = cfg_priv_elem_size(f),
		.was = (const void *)((const char *)was + f->offset),
		.now = (const void *)((const char *)now + f->offset),
	};

	le.match = calloc(le.now->n + 1, sizeof(*le.match));
	le.kept = calloc(le.was->n + 1, sizeof(*le.kept));
	if (le.match == NULL || le.kept == NULL)
		ed->err = -ENOMEM;
	else if (!list_edits(&le))
		replace_value(ed, l, f, now);
	free(le.match);
	free(le.kept);
}

static void
edit_field(struct editor *ed, const struct cfg_field *f, const void *was,
	   const void *now, const struct tnode *n)
{
	if (f->type == CFG_GROUP && n->kind == T_GROUP && n->n > 0)
		edit_group(ed, f->sub, (const char *)was + f->offset,
			   (const char *)now + f->offset, n);
	else if (f->type == CFG_LIST && n->kind == T_LIST)
		edit_list(ed, f, was, now, n);
	else
		replace_value(ed, n, f, now);
}

static void
edit_group(struct editor *ed, const struct cfg_schema *schema,
	   const void *was, const void *now, const struct tnode *g)
{
	const struct cfg_field *f;
	const struct tnode *n;
	unsigned int i;

	for (i = 0; i < schema->n_fields && ed->err == 0; i++) {
		f = &schema->fields[i];
		if (cfg_priv_field_equal(f, was, now))
			continue;
		n = member_find(g, f->key);
		if (n != NULL)
			edit_field(ed, f, was, now, n);
		else
			insert_member(ed, g, f, now);
	}
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

/* A section the file leaves out: appended, after a blank line. */
static void
append_section(struct editor *ed, const struct cfg_field *f, const void *now)
{
	size_t end = strlen(ed->t);
	FILE *o = edit_begin(ed, end, end);

	if (o == NULL)
		return;
	if (end > 0 && ed->t[end - 1] != '\n')
		fputc('\n', o);
	if (end > 0)
		fputc('\n', o);
	put_setting(ed, o, f, now, 0);
	fputc('\n', o);
	edit_end(ed, o);
}

static void
edit_sections(struct editor *ed, const struct tnode *root,
	      const struct cfg_model *was, const struct cfg_model *now)
{
	const struct tnode *n;
	struct cfg_field sf;
	unsigned int k;

	for (k = 0; k < now->n && ed->err == 0; k++) {
		cfg_priv_section_field(now->sections[k], &sf);
		if (cfg_priv_field_equal(&sf, was->data[k], now->data[k]))
			continue;
		n = member_find(root, sf.key);
		if (n != NULL)
			edit_field(ed, &sf, was->data[k], now->data[k], n);
		else
			append_section(ed, &sf, now->data[k]);
	}
}

int
cfg_priv_edit_text(const char *text, const struct cfg_model *was,
		   const struct cfg_model *now, char **out)
{
	struct parser p = { .t = text };
	struct editor ed = { .t = text };
	struct tnode root = { .kind = T_GROUP };
	unsigned int k;
	int rc;

	if (was->n != now->n)
		return -EINVAL;
	for (k = 0; k < now->n; k++)
		if (was->sections[k] != now->sections[k])
			return -EINVAL;
	parse_members(&p, &root, '\0');
	rc = p.err;
	if (rc == 0) {
		edit_sections(&ed, &root, was, now);
		rc = ed.err;
	}
	if (rc == 0)
		rc = edits_apply(&ed, out);
	editor_free(&ed);
	tnode_free(&root);
	return rc;
}
