/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Change engine: list keys, the diff of two models by key, and the one
 * transaction that startup, reload and the CLI share (config.h,
 * "Changes"). The design follows FRR's northbound: a configuration is
 * a tree of keyed lists; a change is the set of elements created,
 * modified and destroyed between two trees; each list's callbacks
 * apply one element, and an "apply finish" (our batch commit) rebuilds
 * what is costly per row. Unlike FRR, a failure undoes the steps that
 * ran, in reverse, so a change is never half applied.
 *
 * Order: deletes run first, children before their parents and in
 * reverse section order (a route goes before its VRF, an MPLS route
 * before the interface it names), then creates and modifies in section
 * order, parents first. Elements of one list are visited in key order.
 */
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_priv.h"

#define KEYS_MAX 4
#define ROW_TEXT 160

/* A path into a path buffer; a path too long for it is cut short. */
static void __attribute__((format(printf, 3, 4)))
pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

struct keyset {
	const struct cfg_field *f[KEYS_MAX];
	unsigned int n;
};

static const struct cfg_field *
field_by_key(const struct cfg_schema *schema, const char *key)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		if (strcmp(schema->fields[i].key, key) == 0)
			return &schema->fields[i];
	return NULL;
}

/* The key fields of @p schema; n = 0 if it has none. */
static void
keyset_of(const struct cfg_schema *schema, struct keyset *ks)
{
	const char *const *k;
	const struct cfg_field *f;

	ks->n = 0;
	for (k = schema->keys; k != NULL && *k != NULL && ks->n < KEYS_MAX;
	     k++) {
		f = field_by_key(schema, *k);
		if (f != NULL)
			ks->f[ks->n++] = f;
	}
}

static uint64_t
uint_at(const void *p, size_t size)
{
	uint64_t v = 0;

	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)p;
	case 4:
		return *(const uint32_t *)p;
	default:
		memcpy(&v, p, sizeof(v));
		return v;
	}
}

static int
cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* A total order on the values of one key field. */
static int
field_cmp(const struct cfg_field *f, const void *a, const void *b)
{
	const char *pa = (const char *)a + f->offset;
	const char *pb = (const char *)b + f->offset;
	const struct cfg_ipv4_prefix *xa = (const void *)pa;
	const struct cfg_ipv4_prefix *xb = (const void *)pb;

	switch (f->type) {
	case CFG_STRING:
		return strncmp(pa, pb, f->size);
	case CFG_UINT:
		return cmp_u64(uint_at(pa, f->size), uint_at(pb, f->size));
	case CFG_IPV4:
		return cmp_u64(*(const uint32_t *)pa, *(const uint32_t *)pb);
	case CFG_IPV4_PREFIX:
	case CFG_IPV4_IFADDR:
		return xa->addr != xb->addr ? cmp_u64(xa->addr, xb->addr) :
					      cmp_u64(xa->len, xb->len);
	case CFG_MAC:
		return memcmp(pa, pb, 6);
	case CFG_IPV6:
		return memcmp(pa, pb, 16);
	case CFG_IPV6_PREFIX:
	case CFG_IPV6_IFADDR:
		/* addr then len: struct cfg_ipv6_prefix has no padding */
		return memcmp(pa, pb, 17);
	case CFG_ENUM:
		return cmp_u64((uint64_t)(int64_t)*(const int *)pa,
			       (uint64_t)(int64_t)*(const int *)pb);
	case CFG_BOOL:
		return cmp_u64(*(const bool *)pa, *(const bool *)pb);
	default:
		return 0; /* groups and lists are not keys */
	}
}

static int
key_cmp(const struct keyset *ks, const void *a, const void *b)
{
	unsigned int i;
	int c;

	for (i = 0; i < ks->n; i++) {
		c = field_cmp(ks->f[i], a, b);
		if (c != 0)
			return c;
	}
	return 0;
}

struct sort_ctx {
	const struct keyset *ks;
	const char *items;
	size_t size;
};

static int
index_cmp(const void *x, const void *y, void *arg)
{
	const struct sort_ctx *s = arg;
	unsigned int i = *(const unsigned int *)x, j = *(const unsigned int *)y;
	int c = key_cmp(s->ks, s->items + i * s->size, s->items + j * s->size);

	/* equal keys keep file order, so a duplicate names the later one */
	return c != 0 ? c : cmp_u64(i, j);
}

/* Indexes of @p a sorted by key; NULL if out of memory (or empty). */
static unsigned int *
sorted_index(const struct cfg_array *a, size_t size, const struct keyset *ks)
{
	struct sort_ctx s = { .ks = ks, .items = a->items, .size = size };
	unsigned int *idx = malloc((a->n + 1) * sizeof(*idx));
	unsigned int i;

	if (idx == NULL)
		return NULL;
	for (i = 0; i < a->n; i++)
		idx[i] = i;
	qsort_r(idx, a->n, sizeof(*idx), index_cmp, &s);
	return idx;
}

void *
cfg_array_find(const struct cfg_array *a, const struct cfg_schema *schema,
	       const void *probe)
{
	struct keyset ks;
	unsigned int i;

	keyset_of(schema, &ks);
	for (i = 0; ks.n > 0 && i < a->n; i++)
		if (key_cmp(&ks, (const char *)a->items + i * schema->size,
			    probe) == 0)
			return (char *)a->items + i * schema->size;
	return NULL;
}

bool
cfg_priv_same_key(const struct cfg_schema *schema, const void *a,
		  const void *b)
{
	struct keyset ks;

	keyset_of(schema, &ks);
	return ks.n > 0 && key_cmp(&ks, a, b) == 0;
}

/* "prefix = "10.0.0.0/8", interface = "eth0"" for messages. */
static void
key_text(const struct keyset *ks, const void *elem, char *buf, size_t len)
{
	char val[64];
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ks->n && used < len; i++) {
		cfg_priv_format_field(ks->f[i], elem, val, sizeof(val), true);
		used += (size_t)snprintf(buf + used, len - used, "%s%s = %s",
					 i > 0 ? ", " : "", ks->f[i]->key, val);
	}
}

/* ------------------------------------------------------------------ */
/* Row edits of a CLI change                                           */

/* "lsp (pe = "10.0.0.1")": the row a message is about. */
static void
row_name(const struct cfg_schema *schema, const void *row, char *buf,
	 size_t len)
{
	char keys[ROW_TEXT];
	struct keyset ks;

	keyset_of(schema, &ks);
	key_text(&ks, row, keys, sizeof(keys));
	snprintf(buf, len, "%s (%s)", schema->name, keys);
}

void *
cfg_row_get(const struct cfg_array *a, const struct cfg_schema *schema,
	    const void *key, char *err, size_t len)
{
	void *have = cfg_array_find(a, schema, key);
	char name[ROW_TEXT + 32];

	if (have == NULL) {
		row_name(schema, key, name, sizeof(name));
		snprintf(err, len, "no %s", name);
	}
	return have;
}

int
cfg_row_put(struct cfg_array *a, const struct cfg_schema *schema,
	    const void *row, char *err, size_t len)
{
	void *have = cfg_array_find(a, schema, row);

	if (have != NULL) {
		cfg_priv_free_members(schema, have);
		memcpy(have, row, schema->size);
		return 0;
	}
	return cfg_array_add(a, schema->size, row, err, len);
}

int
cfg_array_add(struct cfg_array *a, size_t size, const void *elem, char *err,
	      size_t len)
{
	if (cfg_array_append(a, size, elem) != NULL)
		return 0;
	snprintf(err, len, "out of memory");
	return -ENOMEM;
}

int
cfg_row_add(struct cfg_array *a, const struct cfg_schema *schema,
	    const void *row, char *err, size_t len)
{
	char name[ROW_TEXT + 32];

	if (cfg_array_find(a, schema, row) != NULL) {
		row_name(schema, row, name, sizeof(name));
		snprintf(err, len, "%s exists; delete it first", name);
		return -EEXIST;
	}
	return cfg_row_put(a, schema, row, err, len);
}

int
cfg_row_del(struct cfg_array *a, const struct cfg_schema *schema,
	    const void *key, char *err, size_t len)
{
	char *have = cfg_row_get(a, schema, key, err, len);

	if (have == NULL)
		return -ENOENT;
	cfg_priv_free_members(schema, have);
	cfg_array_remove(a, schema->size, (unsigned int)
			 ((size_t)(have - (char *)a->items) / schema->size));
	return 0;
}

void
cfg_row_free(const struct cfg_schema *schema, void *row)
{
	cfg_priv_free_members(schema, row);
}

int
cfg_string_index(const struct cfg_array *a, size_t size, const char *s)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (strcmp((const char *)a->items + i * size, s) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Duplicate keys at load                                              */

static void check_members_keys(struct cfg_ctx *ctx,
			       const struct cfg_schema *schema,
			       const void *base, const char *path);

static void
report_duplicate(struct cfg_ctx *ctx, const struct keyset *ks,
		 const void *elem, const char *path, const char *first)
{
	char keys[ROW_TEXT], reason[ROW_TEXT + CFG_PATH_MAX + 32];
	int line = cfg_priv_path_line(ctx->model, first);

	key_text(ks, elem, keys, sizeof(keys));
	if (line > 0)
		snprintf(reason, sizeof(reason),
			 "duplicate key (%s; first at line %d)", keys, line);
	else
		snprintf(reason, sizeof(reason), "duplicate key (%s; first "
			 "at %s)", keys, first);
	cfg_priv_report(ctx, cfg_priv_path_line(ctx->model, path), path, NULL,
			reason);
}

static void
check_list_keys(struct cfg_ctx *ctx, const struct cfg_field *f,
		const struct cfg_array *a, const char *path)
{
	char ep[CFG_PATH_MAX], fp[CFG_PATH_MAX];
	size_t size = f->sub->size;
	unsigned int i, *idx;
	struct keyset ks;

	for (i = 0; i < a->n; i++) {
		pathf(ep, sizeof(ep), "%s.[%u]", path, i);
		check_members_keys(ctx, f->sub, (const char *)a->items +
				   i * size, ep);
	}
	keyset_of(f->sub, &ks);
	if (ks.n == 0 || a->n < 2)
		return;
	idx = sorted_index(a, size, &ks);
	if (idx == NULL) {
		ctx->nomem = true;
		return;
	}
	for (i = 1; i < a->n; i++) {
		const char *p = (const char *)a->items + idx[i] * size;

		if (key_cmp(&ks, (const char *)a->items + idx[i - 1] * size,
			    p) != 0)
			continue;
		pathf(ep, sizeof(ep), "%s.[%u]", path, idx[i]);
		pathf(fp, sizeof(fp), "%s.[%u]", path, idx[i - 1]);
		report_duplicate(ctx, &ks, p, ep, fp);
	}
	free(idx);
}

static void
check_members_keys(struct cfg_ctx *ctx, const struct cfg_schema *schema,
		   const void *base, const char *path)
{
	const struct cfg_field *f;
	char fp[CFG_PATH_MAX];
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++) {
		f = &schema->fields[i];
		if (f->type != CFG_LIST && f->type != CFG_GROUP)
			continue;
		pathf(fp, sizeof(fp), "%s%s%s", path, path[0] ? "." : "",
			 f->key);
		if (f->type == CFG_GROUP)
			check_members_keys(ctx, f->sub,
					   (const char *)base + f->offset, fp);
		else
			check_list_keys(ctx, f, (const void *)((const char *)
				base + f->offset), fp);
	}
}

void
cfg_priv_check_keys(struct cfg_ctx *ctx, const unsigned int *errs)
{
	struct cfg_model *m = ctx->model;
	struct cfg_schema one = { .n_fields = 1 };
	struct cfg_field f;
	unsigned int k;

	for (k = 0; k < m->n; k++) {
		if (errs[k] != 0)
			continue;
		cfg_priv_section_field(m->sections[k], &f);
		one.fields = &f;
		check_members_keys(ctx, &one, m->data[k], "");
	}
}

/* ------------------------------------------------------------------ */
/* Copies                                                              */

static int
copy_array(const struct cfg_field *f, struct cfg_array *dst,
	   const struct cfg_array *src)
{
	size_t size = cfg_priv_elem_size(f);
	unsigned int i;
	int rc = 0;

	dst->items = NULL;
	dst->n = 0;
	if (src->n == 0)
		return 0;
	dst->items = calloc(src->n, size);
	if (dst->items == NULL)
		return -ENOMEM;
	memcpy(dst->items, src->items, src->n * size);
	dst->n = src->n;
	for (i = 0; f->type == CFG_LIST && i < src->n; i++) {
		/* the element's own arrays still alias src's: copy them */
		if (rc == 0)
			rc = cfg_priv_copy_members(f->sub,
				(char *)dst->items + i * size,
				(const char *)src->items + i * size);
		else
			memset((char *)dst->items + i * size, 0, size);
	}
	return rc;
}

int
cfg_priv_copy_members(const struct cfg_schema *schema, void *dst,
		      const void *src)
{
	const struct cfg_field *f;
	unsigned int i;
	int rc = 0;

	memcpy(dst, src, schema->size);
	for (i = 0; i < schema->n_fields; i++) {
		f = &schema->fields[i];
		char *d = (char *)dst + f->offset;
		const char *s = (const char *)src + f->offset;

		if (f->type == CFG_GROUP)
			rc = rc ? (memset(d, 0, f->sub->size), rc) :
				  cfg_priv_copy_members(f->sub, d, s);
		else if (f->type == CFG_LIST || f->type == CFG_STRING_LIST)
			rc = rc ? (memset(d, 0, sizeof(struct cfg_array)), rc) :
				  copy_array(f, (void *)d, (const void *)s);
	}
	return rc;
}

static struct cfg_model *
model_like(const struct cfg_model *model, const char *name)
{
	return cfg_priv_model_new(name,
				  (const struct cfg_section *const *)
				  model->sections, model->n);
}

struct cfg_model *
cfg_model_dup(const struct cfg_model *model)
{
	/* the copy is edited by the CLI: its messages name no file */
	struct cfg_model *m = model_like(model, "running-config");
	struct cfg_schema one = { .n_fields = 1 };
	struct cfg_field f;
	unsigned int k;
	int rc = 0;

	for (k = 0; m != NULL && k < m->n; k++) {
		cfg_priv_section_field(m->sections[k], &f);
		one.fields = &f;
		one.size = m->sections[k]->type == CFG_LIST ?
			   sizeof(struct cfg_array) :
			   m->sections[k]->schema->size;
		if (rc == 0)
			rc = cfg_priv_copy_members(&one, m->data[k],
						   model->data[k]);
	}
	if (m != NULL && rc != 0) {
		cfg_model_free(m);
		return NULL;
	}
	/* m->checked stays false: the copy is made to be edited */
	return m;
}

struct cfg_model *
cfg_model_empty(const struct cfg_model *model)
{
	struct cfg_model *m = model_like(model, model->file);
	unsigned int k;

	for (k = 0; m != NULL && k < m->n; k++) {
		if (m->sections[k]->type == CFG_LIST)
			continue;
		if (cfg_priv_defaults(m->sections[k]->schema, m->data[k]) ==
		    -ENOMEM) {
			cfg_model_free(m);
			return NULL;
		}
	}
	if (m != NULL)
		m->checked = true; /* nothing to install, nothing to check */
	return m;
}

/* ------------------------------------------------------------------ */
/* Plans                                                               */

struct step {
	struct cfg_change c;
	const struct cfg_list_ops *ops;
	char *path;
};

struct steps {
	struct step *v;
	unsigned int n, cap;
};

struct cfg_txn {
	struct cfg_model *running, *target;
	struct steps del, set;    /* while planning */
	struct steps all;         /* deletes reversed, then sets */
	struct cfg_ctx ctx;       /* refusals, against the target */
	bool start;
	bool diff;        /* CFG_TXN_DIFF: plan to print, refuse nothing */
	bool committed;
};

static int
steps_push(struct steps *s, const struct step *st)
{
	struct step *v;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		s->v = v;
	}
	s->v[s->n++] = *st;
	return 0;
}

static void
steps_free(struct steps *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* A message about @p path, at its line in the model that holds it. */
static void
refuse(struct cfg_txn *t, const struct cfg_model *m, const char *path,
       const char *reason)
{
	int line = cfg_priv_path_line((struct cfg_model *)m, path);

	cfg_priv_report(&t->ctx, line, path, NULL, reason);
}

/* Plan one step on an element of @p schema. */
static int
plan(struct cfg_txn *t, enum cfg_op op, const struct cfg_schema *schema,
     const void *parent, const void *old, const void *new, const char *path)
{
	struct step st = {
		.c = { .op = op, .schema = schema, .parent = parent,
		       .old = old, .new = new, .start = t->start },
		.ops = schema->ops,
	};
	int rc;

	if (st.ops == NULL && !t->diff) {
		if (!t->start)
			refuse(t, op == CFG_DELETE ? t->running : t->target,
			       path, "cannot change while running (needs a "
			       "restart)");
		return 0;
	}
	st.path = strdup(path);
	if (st.path == NULL)
		return -ENOMEM;
	rc = steps_push(op == CFG_DELETE ? &t->del : &t->set, &st);
	if (rc < 0)
		free(st.path);
	return rc;
}

/* Fields compared as the element's own value: all but keyed lists. */
static bool
is_keyed_list(const struct cfg_field *f)
{
	return f->type == CFG_LIST && f->sub != NULL && f->sub->keys != NULL;
}

static bool
own_equal(const struct cfg_schema *schema, const void *a, const void *b)
{
	unsigned int i;

	for (i = 0; i < schema->n_fields; i++)
		if (!is_keyed_list(&schema->fields[i]) &&
		    !cfg_priv_field_equal(&schema->fields[i], a, b))
			return false;
	return true;
}

static int diff_members(struct cfg_txn *t, const struct cfg_schema *schema,
			const void *a, const void *b, const char *pa,
			const char *pb);

/*
 * Every element of the keyed lists of @p base, as created (@p op
 * CFG_CREATE) or deleted, with @p base as their parent.
 */
static int
plan_children(struct cfg_txn *t, enum cfg_op op,
	      const struct cfg_schema *schema, const void *base,
	      const char *path)
{
	const struct cfg_field *f;
	const struct cfg_array *a;
	char ep[CFG_PATH_MAX];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < schema->n_fields && rc == 0; i++) {
		f = &schema->fields[i];
		if (!is_keyed_list(f))
			continue;
		a = (const void *)((const char *)base + f->offset);
		for (j = 0; j < a->n && rc == 0; j++) {
			const char *e = (const char *)a->items +
					j * f->sub->size;

			pathf(ep, sizeof(ep), "%s.%s.[%u]", path, f->key, j);
			rc = plan(t, op, f->sub, base, op == CFG_DELETE ? e :
				  NULL, op == CFG_DELETE ? NULL : e, ep);
			if (rc == 0)
				rc = plan_children(t, op, f->sub, e, ep);
		}
	}
	return rc;
}

struct side {
	const struct cfg_array *a;
	const void *parent;
	const char *path;
	unsigned int *idx;
};

static const char *
side_elem(const struct side *s, size_t size, unsigned int i)
{
	return (const char *)s->a->items + s->idx[i] * size;
}

/* One element present in one model only, or in both. */
static int
diff_one(struct cfg_txn *t, const struct cfg_schema *sc,
	 const struct side *a, const struct side *b, int ia, int ib)
{
	const char *ea = ia < 0 ? NULL : side_elem(a, sc->size, ia);
	const char *eb = ib < 0 ? NULL : side_elem(b, sc->size, ib);
	char pa[CFG_PATH_MAX], pb[CFG_PATH_MAX];
	int rc = 0;

	if (ea != NULL)
		pathf(pa, sizeof(pa), "%s.[%u]", a->path, a->idx[ia]);
	if (eb != NULL)
		pathf(pb, sizeof(pb), "%s.[%u]", b->path, b->idx[ib]);
	if (eb == NULL) {
		rc = plan(t, CFG_DELETE, sc, a->parent, ea, NULL, pa);
		return rc == 0 ? plan_children(t, CFG_DELETE, sc, ea, pa) : rc;
	}
	if (ea == NULL) {
		rc = plan(t, CFG_CREATE, sc, b->parent, NULL, eb, pb);
		return rc == 0 ? plan_children(t, CFG_CREATE, sc, eb, pb) : rc;
	}
	if (!own_equal(sc, ea, eb))
		rc = plan(t, CFG_MODIFY, sc, b->parent, ea, eb, pb);
	return rc == 0 ? diff_members(t, sc, ea, eb, pa, pb) : rc;
}

/* Merge two key-sorted lists. */
static int
diff_list(struct cfg_txn *t, const struct cfg_schema *sc, struct side *a,
	  struct side *b)
{
	unsigned int i = 0, j = 0;
	struct keyset ks;
	int c, rc = 0;

	keyset_of(sc, &ks);
	a->idx = sorted_index(a->a, sc->size, &ks);
	b->idx = sorted_index(b->a, sc->size, &ks);
	if (a->idx == NULL || b->idx == NULL)
		rc = -ENOMEM;
	while (rc == 0 && (i < a->a->n || j < b->a->n)) {
		if (i == a->a->n)
			c = 1;
		else if (j == b->a->n)
			c = -1;
		else
			c = key_cmp(&ks, side_elem(a, sc->size, i),
				    side_elem(b, sc->size, j));
		rc = diff_one(t, sc, a, b, c <= 0 ? (int)i : -1,
			      c >= 0 ? (int)j : -1);
		i += c <= 0;
		j += c >= 0;
	}
	free(a->idx);
	free(b->idx);
	return rc;
}

/* The keyed lists inside two versions of one element. */
static int
diff_members(struct cfg_txn *t, const struct cfg_schema *schema,
	     const void *a, const void *b, const char *pa, const char *pb)
{
	char la[CFG_PATH_MAX], lb[CFG_PATH_MAX];
	const struct cfg_field *f;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < schema->n_fields && rc == 0; i++) {
		f = &schema->fields[i];
		if (!is_keyed_list(f))
			continue;
		pathf(la, sizeof(la), "%s.%s", pa, f->key);
		pathf(lb, sizeof(lb), "%s.%s", pb, f->key);
		struct side sa = { (const void *)((const char *)a + f->offset),
				   a, la, NULL };
		struct side sb = { (const void *)((const char *)b + f->offset),
				   b, lb, NULL };
		rc = diff_list(t, f->sub, &sa, &sb);
	}
	return rc;
}

static int
diff_section(struct cfg_txn *t, unsigned int k)
{
	const struct cfg_section *sec = t->running->sections[k];
	const void *a = t->running->data[k], *b = t->target->data[k];
	char reason[256];

	if (cfg_section_equal(t->running, t->target, sec->key))
		return 0;
	if (sec->restart != NULL && !t->diff) {
		if (!t->start) {
			snprintf(reason, sizeof(reason), "changed, and it "
				 "cannot change while running (needs a "
				 "restart): %s", sec->restart);
			refuse(t, t->target, sec->key, reason);
		}
		return 0;
	}
	if (sec->type == CFG_LIST) {
		struct side sa = { a, NULL, sec->key, NULL };
		struct side sb = { b, NULL, sec->key, NULL };

		if (sec->schema->keys == NULL)
			return plan(t, CFG_MODIFY, sec->schema, NULL, a, b,
				    sec->key);
		return diff_list(t, sec->schema, &sa, &sb);
	}
	if (!own_equal(sec->schema, a, b)) {
		int rc = plan(t, CFG_MODIFY, sec->schema, NULL, a, b,
			      sec->key);

		if (rc < 0)
			return rc;
	}
	return diff_members(t, sec->schema, a, b, sec->key, sec->key);
}

/* Deletes in reverse, then sets; each step knows the model it installs. */
static int
plan_join(struct cfg_txn *t)
{
	unsigned int i;
	int rc = 0;

	for (i = t->del.n; i-- > 0 && rc == 0;) {
		t->del.v[i].c.model = t->target;
		rc = steps_push(&t->all, &t->del.v[i]);
		if (rc == 0)
			t->del.v[i].path = NULL; /* moved */
	}
	for (i = 0; i < t->set.n && rc == 0; i++) {
		t->set.v[i].c.model = t->target;
		rc = steps_push(&t->all, &t->set.v[i]);
		if (rc == 0)
			t->set.v[i].path = NULL;
	}
	for (i = 0; i < t->all.n; i++)
		t->all.v[i].c.path = t->all.v[i].path;
	steps_free(&t->del);
	steps_free(&t->set);
	return rc;
}

/* Each list's own check of each step, before any runs. */
static void
check_steps(struct cfg_txn *t)
{
	const struct step *st;
	char err[256];
	unsigned int i;

	for (i = 0; i < t->all.n; i++) {
		st = &t->all.v[i];
		err[0] = '\0';
		if (st->ops->check == NULL ||
		    st->ops->check(&st->c, err, sizeof(err)) == 0)
			continue;
		refuse(t, st->c.op == CFG_DELETE ? t->running : t->target,
		       st->path, err[0] ? err : "refused");
	}
}

static int
txn_plan(struct cfg_txn *t)
{
	unsigned int k;
	int rc = 0;

	for (k = 0; k < t->running->n && rc == 0; k++)
		rc = diff_section(t, k);
	if (rc == 0)
		rc = plan_join(t);
	if (rc == 0 && t->ctx.errors == 0 && !t->diff)
		check_steps(t);
	if (rc == 0 && t->ctx.nomem)
		rc = -ENOMEM;
	if (rc == 0 && t->ctx.errors > 0)
		rc = -EINVAL;
	return rc;
}

static bool
same_sections(const struct cfg_model *a, const struct cfg_model *b)
{
	unsigned int k;

	if (a->n != b->n)
		return false;
	for (k = 0; k < a->n; k++)
		if (a->sections[k] != b->sections[k])
			return false;
	return true;
}

int
cfg_txn_new(struct cfg_model *running, struct cfg_model *target,
	    unsigned int flags, struct cfg_txn **txn, struct cfg_diag *diag)
{
	struct cfg_txn *t;
	int rc;

	if (diag != NULL) {
		diag->msg = NULL;
		diag->n = 0;
	}
	*txn = NULL;
	if (running == NULL || target == NULL ||
	    !same_sections(running, target))
		return -EINVAL;
	if (!target->checked) {
		rc = cfg_model_check(target, diag);
		if (rc < 0)
			return rc;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->running = running;
	t->target = target;
	t->start = (flags & CFG_TXN_START) != 0;
	t->diff = (flags & CFG_TXN_DIFF) != 0;
	t->ctx.model = target;
	t->ctx.diag = diag;
	rc = txn_plan(t);
	if (rc < 0) {
		cfg_txn_free(t);
		return rc;
	}
	*txn = t;
	return 0;
}

unsigned int
cfg_txn_count(const struct cfg_txn *txn)
{
	return txn == NULL ? 0 : txn->all.n;
}

void
cfg_txn_print(const struct cfg_txn *txn, FILE *f, bool redact)
{
	static const char mark[] = { [CFG_CREATE] = '+', [CFG_MODIFY] = '~',
				     [CFG_DELETE] = '-' };
	const struct step *st;
	unsigned int i;

	for (i = 0; txn != NULL && i < txn->all.n; i++) {
		st = &txn->all.v[i];
		fprintf(f, "%c %s ", mark[st->c.op], st->path);
		cfg_priv_write_row(f, st->c.schema, st->c.op == CFG_DELETE ?
				   st->c.old : st->c.new, redact);
		fputc('\n', f);
	}
}

void
cfg_txn_free(struct cfg_txn *txn)
{
	if (txn == NULL)
		return;
	steps_free(&txn->del);
	steps_free(&txn->set);
	steps_free(&txn->all);
	free(txn);
}

/* ------------------------------------------------------------------ */
/* Commit                                                              */

/* The step as its own inverse: what undoes it. */
static struct cfg_change
inverse(const struct step *st, const struct cfg_model *running)
{
	struct cfg_change c = st->c;

	c.model = running;
	c.old = st->c.new;
	c.new = st->c.old;
	if (st->c.op == CFG_CREATE)
		c.op = CFG_DELETE;
	else if (st->c.op == CFG_DELETE)
		c.op = CFG_CREATE;
	return c;
}

/* The list's install, or its row-level put. */
static int
install(const struct cfg_list_ops *ops, const struct cfg_change *c,
	char *err, size_t len)
{
	char what[64];

	if (ops->install != NULL)
		return ops->install(c, err, len);
	snprintf(what, sizeof(what), "install the %s", ops->what);
	return cfg_op_result(ops->put(c->new), err, len, what);
}

/* The list's uninstall, or its row-level drop. */
static int
uninstall(const struct cfg_list_ops *ops, const struct cfg_change *c,
	  char *err, size_t len)
{
	if (ops->uninstall != NULL)
		return ops->uninstall(c, err, len);
	ops->drop(c->old);
	return 0;
}

/* Replace without a modify op: out with the old, in with the new. */
static int
replace(const struct cfg_list_ops *ops, const struct cfg_change *c,
	char *err, size_t len)
{
	struct cfg_change back = *c;
	char ignored[64];
	int rc;

	rc = uninstall(ops, c, err, len);
	if (rc < 0)
		return rc;
	rc = install(ops, c, err, len);
	if (rc < 0) {
		back.new = c->old;
		install(ops, &back, ignored, sizeof(ignored));
	}
	return rc;
}

static int
run_change(const struct cfg_list_ops *ops, const struct cfg_change *c,
	   char *err, size_t len)
{
	switch (c->op) {
	case CFG_CREATE:
		return install(ops, c, err, len);
	case CFG_DELETE:
		return uninstall(ops, c, err, len);
	case CFG_MODIFY:
		return ops->modify != NULL ? ops->modify(c, err, len) :
					     replace(ops, c, err, len);
	}
	return -EINVAL;
}

static void
undo_steps(struct cfg_txn *t, unsigned int done)
{
	struct cfg_change c;
	char err[256];

	while (done-- > 0) {
		c = inverse(&t->all.v[done], t->running);
		run_change(t->all.v[done].ops, &c, err, sizeof(err));
	}
}

/* The batch commits of the lists touched, each once, in step order. */
static unsigned int
commits_of(const struct cfg_txn *t, const struct cfg_list_ops **v)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < t->all.n; i++) {
		const struct cfg_list_ops *ops = t->all.v[i].ops;

		if (ops->commit == NULL)
			continue;
		for (j = 0; j < n && v[j] != ops; j++)
			;
		if (j == n)
			v[n++] = ops;
	}
	return n;
}

static void
failed(struct cfg_txn *t, const char *path, const char *err)
{
	char reason[400];

	snprintf(reason, sizeof(reason), "%s; nothing changed",
		 err[0] ? err : "refused");
	refuse(t, t->target, path, reason);
}

static int
run_commits(struct cfg_txn *t)
{
	const struct cfg_list_ops **v = calloc(t->all.n + 1, sizeof(*v));
	unsigned int n, i, j;
	char err[256] = "", again[256];
	int rc = 0;

	if (v == NULL)
		return -ENOMEM;
	n = commits_of(t, v);
	for (i = 0; i < n && rc == 0; i++)
		rc = v[i]->commit(t->target, t->start ? NULL : t->running,
				  err, sizeof(err));
	if (rc < 0) {
		undo_steps(t, t->all.n);
		for (j = 0; j + 1 < i; j++) /* the failed one changed nothing */
			v[j]->commit(t->running, t->target, again,
				     sizeof(again));
		failed(t, "commit", err);
	}
	free(v);
	return rc;
}

/* The running model takes the values of every section that changed. */
static void
record(struct cfg_txn *t)
{
	struct cfg_model *r = t->running, *g = t->target;
	size_t size;
	unsigned int k;
	char tmp[256];

	for (k = 0; k < r->n; k++) {
		if (cfg_section_equal(r, g, r->sections[k]->key))
			continue;
		size = r->sections[k]->type == CFG_LIST ?
		       sizeof(struct cfg_array) : r->sections[k]->schema->size;
		/* swap in place: libraries keep pointers to sections */
		for (size_t o = 0; o < size; o += sizeof(tmp)) {
			size_t n = size - o < sizeof(tmp) ? size - o :
							    sizeof(tmp);

			memcpy(tmp, (char *)r->data[k] + o, n);
			memcpy((char *)r->data[k] + o,
			       (char *)g->data[k] + o, n);
			memcpy((char *)g->data[k] + o, tmp, n);
		}
	}
}

int
cfg_txn_commit(struct cfg_txn *t, struct cfg_diag *diag)
{
	char err[256];
	unsigned int i;
	int rc = 0;

	if (diag != NULL) {
		diag->msg = NULL;
		diag->n = 0;
	}
	if (t == NULL || t->committed || t->diff)
		return -EINVAL;
	t->ctx.diag = diag;
	t->ctx.errors = 0;
	for (i = 0; i < t->all.n && rc == 0; i++) {
		err[0] = '\0';
		rc = run_change(t->all.v[i].ops, &t->all.v[i].c, err,
				sizeof(err));
	}
	if (rc < 0) {
		undo_steps(t, i - 1);
		failed(t, t->all.v[i - 1].path, err);
		return rc;
	}
	rc = run_commits(t);
	if (rc < 0)
		return rc;
	if (!t->start)
		record(t);
	t->committed = true;
	return 0;
}

int
cfg_txn_run(struct cfg_model *running, struct cfg_model *target,
	    unsigned int flags, unsigned int *n_changes,
	    struct cfg_diag *diag)
{
	struct cfg_txn *t = NULL;
	int rc;

	rc = cfg_txn_new(running, target, flags, &t, diag);
	if (n_changes != NULL)
		*n_changes = cfg_txn_count(t);
	if (rc == 0)
		rc = cfg_txn_commit(t, diag);
	cfg_txn_free(t);
	cfg_model_free(target);
	return rc;
}

int
cfg_op_nothing(const struct cfg_change *c, char *err, size_t len)
{
	(void)c;
	(void)err;
	(void)len;
	return 0;
}

int
cfg_op_result(int rc, char *err, size_t len, const char *what)
{
	if (rc < 0)
		snprintf(err, len, "cannot %s: %s", what, strerror(-rc));
	return rc;
}

int
cfg_txn_start(struct cfg_model *model, struct cfg_diag *diag)
{
	struct cfg_model *empty = cfg_model_empty(model);
	struct cfg_txn *t = NULL;
	int rc;

	if (empty == NULL)
		return -ENOMEM;
	rc = cfg_txn_new(empty, model, CFG_TXN_START, &t, diag);
	if (rc == 0)
		rc = cfg_txn_commit(t, diag);
	cfg_txn_free(t);
	cfg_model_free(empty);
	return rc;
}

void
cfg_diag_join(const struct cfg_diag *diag, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; diag != NULL && i < diag->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i > 0 ? "; " : "", diag->msg[i]);
}

/* ------------------------------------------------------------------ */
/* CLI changes                                                         */

int
cfg_edit(struct cfg_model *running, cfg_edit_fn edit, const void *arg,
	 char *err, size_t len)
{
	struct cfg_model *copy;
	struct cfg_diag diag = { 0 };
	int rc;

	err[0] = '\0';
	if (running == NULL) {
		snprintf(err, len, "not set up");
		return -ENODEV;
	}
	copy = cfg_model_dup(running);
	if (copy == NULL) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	rc = edit(copy, arg, err, len);
	if (rc < 0) {
		cfg_model_free(copy);
		return rc;
	}
	rc = cfg_txn_run(running, copy, 0, NULL, &diag);
	if (rc < 0)
		cfg_diag_join(&diag, err, len);
	cfg_diag_free(&diag);
	return rc;
}

/* The list @p ref names in model @p m. */
static struct cfg_array *
ref_list(struct cfg_model *m, const struct cfg_row_ref *ref)
{
	char *sec = cfg_model_section(m, ref->section);

	return sec != NULL ? (struct cfg_array *)(sec + ref->offset) : NULL;
}

static int
row_edit(struct cfg_model *m, const void *arg, char *err, size_t len)
{
	const struct cfg_row_edit *e = arg;
	struct cfg_array *a = ref_list(m, e->ref);

	if (a == NULL) {
		snprintf(err, len, "no section %s", e->ref->section);
		return -ENOENT;
	}
	switch (e->op) {
	case CFG_CREATE:
		return cfg_row_add(a, e->ref->schema, e->row, err, len);
	case CFG_MODIFY:
		return cfg_row_put(a, e->ref->schema, e->row, err, len);
	case CFG_DELETE:
		return cfg_row_del(a, e->ref->schema, e->row, err, len);
	}
	return -EINVAL;
}

int
cfg_edit_row(struct cfg_model *running, enum cfg_op op,
	     const struct cfg_row_ref *ref, const void *row, char *err,
	     size_t len)
{
	struct cfg_row_edit e = { op, ref, row };

	return cfg_edit(running, row_edit, &e, err, len);
}
