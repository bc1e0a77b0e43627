/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of lib/config's change engine (config_txn.c) on fake ops
 * over a fake data plane (a set of installed rows): list keys and the
 * generic duplicate-key error, the diff by key and the order of its
 * steps, refusals before anything runs (restart sections, lists with no
 * ops, ops' checks), and failure injection at every step and at the
 * batch commit, after which the fake tables and the running model must
 * be exactly as before.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))
#define NAME_SIZE 16
#define ROWS_MAX 64
#define ROW_LEN 64

/* ------------------------------------------------------------------ */
/* A fake data plane: installed rows as text, and a log of the ops.    */

static char table[ROWS_MAX][ROW_LEN];
static unsigned int n_rows;
static char oplog[4096];
static int ops_left = -1;     /* fail the op after this many; -1 never */
static int commit_fail;       /* fail the batch commit this many times */
static unsigned int commits;
static unsigned int table_max = ROWS_MAX;

static void
fake_reset(void)
{
	n_rows = 0;
	oplog[0] = '\0';
	ops_left = -1;
	commit_fail = 0;
	commits = 0;
	table_max = ROWS_MAX;
}

static int
row_index(const char *row)
{
	unsigned int i;

	for (i = 0; i < n_rows; i++)
		if (strcmp(table[i], row) == 0)
			return (int)i;
	return -1;
}

static void
log_op(const char *op, const char *row)
{
	size_t used = strlen(oplog);

	snprintf(oplog + used, sizeof(oplog) - used, "%s%s %s",
		 used ? "|" : "", op, row);
}

/* Whether the next op fails (failure injection). */
static bool
inject(char *err, size_t len)
{
	if (ops_left < 0)
		return false;
	if (ops_left-- > 0)
		return false;
	snprintf(err, len, "injected failure");
	return true;
}

static int
fake_add(const char *row, char *err, size_t len)
{
	if (inject(err, len))
		return -EIO;
	if (row_index(row) >= 0 || n_rows >= table_max) {
		snprintf(err, len, "table full or row exists: %s", row);
		return -ENOSPC;
	}
	snprintf(table[n_rows++], ROW_LEN, "%s", row);
	log_op("add", row);
	return 0;
}

static int
fake_del(const char *row, char *err, size_t len)
{
	int i = row_index(row);

	if (inject(err, len))
		return -EIO;
	if (i < 0) {
		snprintf(err, len, "no such row: %s", row);
		return -ENOENT;
	}
	memmove(table[i], table[i + 1], (n_rows - (unsigned int)i - 1) *
		sizeof(table[0]));
	n_rows--;
	log_op("del", row);
	return 0;
}

/* The table as one sorted string, to compare before and after. */
static int
row_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
snapshot(char *buf, size_t len)
{
	char copy[ROWS_MAX][ROW_LEN];
	size_t used = 0;
	unsigned int i;

	memcpy(copy, table, sizeof(copy));
	qsort(copy, n_rows, ROW_LEN, row_cmp);
	buf[0] = '\0';
	for (i = 0; i < n_rows; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s;",
					 copy[i]);
}

/* ------------------------------------------------------------------ */
/* Schemas: "sys" (restart only), "vrfs" with keyed "routes", "nbrs"   */
/* with a two-field key, "pools" (a list with no ops).                  */

struct t_sys {
	uint32_t lcores;
};

struct t_route {
	struct cfg_ipv4_prefix prefix;
	uint32_t via;
};

struct t_vrf {
	char name[NAME_SIZE];
	uint32_t id;
	struct cfg_array routes;
};

struct t_nbr {
	char iface[NAME_SIZE];
	uint32_t addr;
	uint32_t tag;
};

struct t_pool {
	char name[NAME_SIZE];
	uint32_t size;
};

static const struct t_vrf *
vrf_of(const struct cfg_change *c)
{
	return c->parent;
}

static void
route_row(const struct cfg_change *c, const struct t_route *r, char *buf,
	  size_t len)
{
	char p[16], v[16];

	snprintf(buf, len, "route %s %s/%u via %s", vrf_of(c)->name,
		 cfg_format_ipv4(r->prefix.addr, p, sizeof(p)), r->prefix.len,
		 cfg_format_ipv4(r->via, v, sizeof(v)));
}

static int
route_install(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	route_row(c, c->new, row, sizeof(row));
	return fake_add(row, err, len);
}

static int
route_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	route_row(c, c->old, row, sizeof(row));
	return fake_del(row, err, len);
}

/* A replace in one step, as ip route add of an existing prefix. */
static int
route_modify(const struct cfg_change *c, char *err, size_t len)
{
	char o[ROW_LEN], n[ROW_LEN];
	int i;

	if (inject(err, len))
		return -EIO;
	route_row(c, c->old, o, sizeof(o));
	route_row(c, c->new, n, sizeof(n));
	i = row_index(o);
	if (i < 0) {
		snprintf(err, len, "no such row: %s", o);
		return -ENOENT;
	}
	snprintf(table[i], ROW_LEN, "%s", n);
	log_op("mod", n);
	return 0;
}

static int
route_commit(const struct cfg_model *m, const struct cfg_model *was,
	     char *err, size_t len)
{
	(void)m;
	(void)was;
	commits++;
	if (commit_fail > 0) {
		commit_fail--;
		snprintf(err, len, "commit refused");
		return -EIO;
	}
	return 0;
}

static const struct cfg_list_ops route_ops = {
	.install = route_install,
	.uninstall = route_uninstall,
	.modify = route_modify,
	.commit = route_commit,
};

static int
vrf_row(const struct t_vrf *v, char *buf, size_t len)
{
	return snprintf(buf, len, "vrf %s id %u", v->name, v->id);
}

static int
vrf_install(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	vrf_row(c->new, row, sizeof(row));
	return fake_add(row, err, len);
}

static int
vrf_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	vrf_row(c->old, row, sizeof(row));
	return fake_del(row, err, len);
}

/* A VRF id cannot change live (the FIB is made with it). */
static int
vrf_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct t_vrf *o = c->old, *n = c->new;

	if (c->op == CFG_MODIFY && o->id != n->id) {
		snprintf(err, len, "a VRF's id cannot change");
		return -EINVAL;
	}
	return 0;
}

/* No modify op: the engine replaces (uninstall + install). */
static const struct cfg_list_ops vrf_ops = {
	.check = vrf_check,
	.install = vrf_install,
	.uninstall = vrf_uninstall,
};

static int
nbr_row(const struct t_nbr *nb, char *buf, size_t len)
{
	char a[16];

	return snprintf(buf, len, "nbr %s %s tag %u", nb->iface,
			cfg_format_ipv4(nb->addr, a, sizeof(a)), nb->tag);
}

static int
nbr_install(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	nbr_row(c->new, row, sizeof(row));
	return fake_add(row, err, len);
}

static int
nbr_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	char row[ROW_LEN];

	nbr_row(c->old, row, sizeof(row));
	return fake_del(row, err, len);
}

static const struct cfg_list_ops nbr_ops = {
	.install = nbr_install,
	.uninstall = nbr_uninstall,
};

static const struct cfg_field sys_fields[] = {
	{ "lcores", CFG_UINT, offsetof(struct t_sys, lcores), 4, 1, 64,
	  .def = "1", .doc = "lcores" },
};

static const struct cfg_schema sys_schema = {
	.name = "sys", .fields = sys_fields, .n_fields = DIM(sys_fields),
	.size = sizeof(struct t_sys),
};

static const struct cfg_field route_fields[] = {
	{ "prefix", CFG_IPV4_PREFIX, offsetof(struct t_route, prefix),
	  sizeof(struct cfg_ipv4_prefix), .required = true, .doc = "p" },
	{ "via", CFG_IPV4, offsetof(struct t_route, via), 4, .doc = "v" },
};

static const struct cfg_schema route_schema = {
	.name = "route", .fields = route_fields,
	.n_fields = DIM(route_fields), .size = sizeof(struct t_route),
	.keys = (const char *const[]){ "prefix", NULL }, .ops = &route_ops,
};

static const struct cfg_field vrf_fields[] = {
	{ "name", CFG_STRING, offsetof(struct t_vrf, name), NAME_SIZE,
	  .required = true, .doc = "n" },
	{ "id", CFG_UINT, offsetof(struct t_vrf, id), 4, 0, 100,
	  .required = true, .doc = "i" },
	{ "routes", CFG_LIST, offsetof(struct t_vrf, routes),
	  sizeof(struct t_route), .sub = &route_schema, .doc = "r" },
};

static const struct cfg_schema vrf_schema = {
	.name = "vrf", .fields = vrf_fields, .n_fields = DIM(vrf_fields),
	.size = sizeof(struct t_vrf),
	.keys = (const char *const[]){ "name", NULL }, .ops = &vrf_ops,
};

static const struct cfg_field nbr_fields[] = {
	{ "iface", CFG_STRING, offsetof(struct t_nbr, iface), NAME_SIZE,
	  .required = true, .doc = "i" },
	{ "addr", CFG_IPV4, offsetof(struct t_nbr, addr), 4,
	  .required = true, .doc = "a" },
	{ "tag", CFG_UINT, offsetof(struct t_nbr, tag), 4, .doc = "t" },
};

static const struct cfg_schema nbr_schema = {
	.name = "nbr", .fields = nbr_fields, .n_fields = DIM(nbr_fields),
	.size = sizeof(struct t_nbr),
	.keys = (const char *const[]){ "iface", "addr", NULL },
	.ops = &nbr_ops,
};

static const struct cfg_field pool_fields[] = {
	{ "name", CFG_STRING, offsetof(struct t_pool, name), NAME_SIZE,
	  .required = true, .doc = "n" },
	{ "size", CFG_UINT, offsetof(struct t_pool, size), 4, .doc = "s" },
};

static const struct cfg_schema pool_schema = {
	.name = "pool", .fields = pool_fields, .n_fields = DIM(pool_fields),
	.size = sizeof(struct t_pool),
	.keys = (const char *const[]){ "name", NULL },
};

static const struct cfg_section sys_section = {
	.key = "sys", .type = CFG_GROUP, .schema = &sys_schema, .doc = "s",
	.restart = "lcores are given out at start",
};
static const struct cfg_section vrf_section = {
	.key = "vrfs", .type = CFG_LIST, .schema = &vrf_schema, .doc = "v",
};
static const struct cfg_section nbr_section = {
	.key = "nbrs", .type = CFG_LIST, .schema = &nbr_schema, .doc = "n",
};
static const struct cfg_section pool_section = {
	.key = "pools", .type = CFG_LIST, .schema = &pool_schema, .doc = "p",
};

static const struct cfg_section *const sections[] = {
	&sys_section, &vrf_section, &nbr_section, &pool_section,
};

#define BASE_CFG \
	"sys = { lcores = 2; };\n" \
	"vrfs = ( { name = \"a\"; id = 1; routes = (\n" \
	"    { prefix = \"10.0.0.0/8\"; via = \"1.1.1.1\"; },\n" \
	"    { prefix = \"10.1.0.0/16\"; via = \"1.1.1.2\"; } ); },\n" \
	"  { name = \"b\"; id = 2; routes = (\n" \
	"    { prefix = \"10.0.0.0/8\"; via = \"2.2.2.2\"; } ); } );\n" \
	"nbrs = ( { iface = \"e0\"; addr = \"1.1.1.1\"; tag = 1; },\n" \
	"  { iface = \"e1\"; addr = \"1.1.1.1\"; tag = 1; } );\n" \
	"pools = ( { name = \"p\"; size = 1; } );\n"

/* vrf a: one route deleted, one changed, one added; vrf b deleted with
 * its route; vrf c created with one; a neighbour's tag changed, one
 * deleted, one added. */
#define NEXT_CFG \
	"sys = { lcores = 2; };\n" \
	"vrfs = ( { name = \"a\"; id = 1; routes = (\n" \
	"    { prefix = \"10.0.0.0/8\"; via = \"1.1.1.9\"; },\n" \
	"    { prefix = \"10.2.0.0/16\"; via = \"1.1.1.3\"; } ); },\n" \
	"  { name = \"c\"; id = 3; routes = (\n" \
	"    { prefix = \"10.3.0.0/16\"; via = \"3.3.3.3\"; } ); } );\n" \
	"nbrs = ( { iface = \"e0\"; addr = \"1.1.1.1\"; tag = 2; },\n" \
	"  { iface = \"e2\"; addr = \"1.1.1.1\"; tag = 1; } );\n" \
	"pools = ( { name = \"p\"; size = 1; } );\n"

static struct cfg_model *
load(const char *text)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	unsigned int i;

	if (cfg_load_string("t.cfg", text, sections, DIM(sections), &m,
			    &diag) != 0) {
		for (i = 0; i < diag.n; i++)
			print_error("%s\n", diag.msg[i]);
		cfg_diag_free(&diag);
		fail_msg("model did not load");
	}
	return m;
}

/* The model as `show running-config` prints it (caller frees). */
static char *
text_of(const struct cfg_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cfg_write(f, m), 0);
	fclose(f);
	return buf;
}

/* Start: the change from an empty model installs the file's rows; the
 * file's model is the running one from then on. */
static struct cfg_model *
started(const char *text)
{
	struct cfg_model *file = load(text);
	struct cfg_diag diag = { 0 };

	assert_int_equal(cfg_txn_start(file, &diag), 0);
	assert_int_equal(diag.n, 0);
	return file;
}

static void
test_start_installs_all(void **state)
{
	struct cfg_model *run, *file;
	char snap[2048], *a, *b;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	/* parents before children, keys in order, sys and pools left to
	 * their setup (restart section, no ops) */
	assert_string_equal(oplog,
		"add vrf a id 1|add route a 10.0.0.0/8 via 1.1.1.1|"
		"add route a 10.1.0.0/16 via 1.1.1.2|add vrf b id 2|"
		"add route b 10.0.0.0/8 via 2.2.2.2|"
		"add nbr e0 1.1.1.1 tag 1|add nbr e1 1.1.1.1 tag 1");
	assert_int_equal(commits, 1);
	snapshot(snap, sizeof(snap));
	assert_int_equal(n_rows, 7);
	file = load(BASE_CFG);
	a = text_of(run);
	b = text_of(file);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cfg_model_free(file);
	cfg_model_free(run);
}

static void
test_diff_order(void **state)
{
	struct cfg_model *run, *next;
	struct cfg_txn *t = NULL;
	struct cfg_diag diag = { 0 };
	char *buf = NULL, *a, *b;
	size_t len = 0;
	FILE *f;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	oplog[0] = '\0';
	next = load(NEXT_CFG);
	assert_int_equal(cfg_txn_new(run, next, 0, &t, &diag), 0);
	assert_int_equal(cfg_txn_count(t), 10);
	f = open_memstream(&buf, &len);
	cfg_txn_print(t, f, false);
	fclose(f);
	/* deletes: reverse section order, children first; then the rest */
	assert_string_equal(buf,
		"- nbrs.[1] { iface = \"e1\"; addr = \"1.1.1.1\"; tag = 1; }\n"
		"- vrfs.[1].routes.[0] { prefix = \"10.0.0.0/8\"; "
		"via = \"2.2.2.2\"; }\n"
		"- vrfs.[1] { name = \"b\"; id = 2; routes = ( { prefix = "
		"\"10.0.0.0/8\"; via = \"2.2.2.2\"; } ); }\n"
		"- vrfs.[0].routes.[1] { prefix = \"10.1.0.0/16\"; "
		"via = \"1.1.1.2\"; }\n"
		"~ vrfs.[0].routes.[0] { prefix = \"10.0.0.0/8\"; "
		"via = \"1.1.1.9\"; }\n"
		"+ vrfs.[0].routes.[1] { prefix = \"10.2.0.0/16\"; "
		"via = \"1.1.1.3\"; }\n"
		"+ vrfs.[1] { name = \"c\"; id = 3; routes = ( { prefix = "
		"\"10.3.0.0/16\"; via = \"3.3.3.3\"; } ); }\n"
		"+ vrfs.[1].routes.[0] { prefix = \"10.3.0.0/16\"; "
		"via = \"3.3.3.3\"; }\n"
		"~ nbrs.[0] { iface = \"e0\"; addr = \"1.1.1.1\"; tag = 2; }\n"
		"+ nbrs.[1] { iface = \"e2\"; addr = \"1.1.1.1\"; "
		"tag = 1; }\n");
	free(buf);
	assert_int_equal(cfg_txn_commit(t, &diag), 0);
	cfg_txn_free(t);
	/* the neighbour has no modify op: out, then in */
	assert_non_null(strstr(oplog, "del nbr e0 1.1.1.1 tag 1|"
			       "add nbr e0 1.1.1.1 tag 2"));
	assert_non_null(strstr(oplog, "mod route a 10.0.0.0/8 via 1.1.1.9"));
	a = text_of(run);
	b = text_of(next); /* next now holds the old values */
	assert_string_not_equal(a, b);
	free(b);
	cfg_model_free(next);
	next = load(NEXT_CFG);
	b = text_of(next);
	assert_string_equal(a, b);
	free(a);
	free(b);
	cfg_model_free(next);
	cfg_model_free(run);
}

/* Fail the k-th op for every k: the tables and the model stay as they
 * were, and the failing step is named. */
static void
test_failure_at_every_step(void **state)
{
	char before[2048], after[2048], *text0, *text1;
	struct cfg_diag diag = { 0 };
	struct cfg_model *run;
	int k, rc;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	snapshot(before, sizeof(before));
	text0 = text_of(run);
	for (k = 0;; k++) {
		ops_left = k;
		rc = cfg_txn_run(run, load(NEXT_CFG), 0, NULL, &diag);
		ops_left = -1;
		if (rc == 0)
			break;
		assert_int_equal(rc, -EIO);
		assert_int_equal(diag.n, 1);
		assert_non_null(strstr(diag.msg[0], "injected failure; "
				       "nothing changed"));
		cfg_diag_free(&diag);
		snapshot(after, sizeof(after));
		assert_string_equal(before, after);
		text1 = text_of(run);
		assert_string_equal(text0, text1);
		free(text1);
	}
	/* 10 steps, 11 ops (the neighbour's replace is two) */
	assert_int_equal(k, 11);
	free(text0);
	cfg_model_free(run);
}

static void
test_commit_failure_rebuilds(void **state)
{
	char before[2048], after[2048];
	struct cfg_diag diag = { 0 };
	struct cfg_model *run;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	snapshot(before, sizeof(before));
	commits = 0;
	commit_fail = 1;
	assert_int_equal(cfg_txn_run(run, load(NEXT_CFG), 0, NULL, &diag),
			 -EIO);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0], "t.cfg: commit: commit refused; "
			    "nothing changed");
	cfg_diag_free(&diag);
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(commits, 1); /* the failing one changed nothing */
	cfg_model_free(run);
}

static void
replace_text(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from);
	char tail[2048];

	assert_non_null(p);
	snprintf(tail, sizeof(tail), "%s", p + strlen(from));
	sprintf(p, "%s%s", to, tail);
}

/* A full table (the data plane refuses a row) undoes the others. */
static void
test_full_table(void **state)
{
	char before[2048], after[2048], text[2048];
	struct cfg_diag diag = { 0 };
	struct cfg_model *run;

	(void)state;
	fake_reset();

	run = started(BASE_CFG);
	snapshot(before, sizeof(before));
	/* the change ends with one row more than the table holds */
	table_max = n_rows;
	snprintf(text, sizeof(text), "%s", NEXT_CFG);
	replace_text(text, "tag = 2; },", "tag = 2; }, { iface = \"e3\"; "
		     "addr = \"1.1.1.1\"; },");
	assert_int_equal(cfg_txn_run(run, load(text), 0, NULL, &diag),
			 -ENOSPC);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.msg[0], "table full"));
	cfg_diag_free(&diag);
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);
	cfg_model_free(run);
}

static void
expect_refused(struct cfg_model *run, const char *text, const char *msg)
{
	char before[2048], after[2048];
	struct cfg_diag diag = { 0 };
	unsigned int n = 99;

	snapshot(before, sizeof(before));
	oplog[0] = '\0';
	assert_int_equal(cfg_txn_run(run, load(text), 0, &n, &diag),
			 -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0], msg);
	assert_int_equal(n, 0);
	cfg_diag_free(&diag);
	assert_string_equal(oplog, ""); /* refused before any op ran */
	snapshot(after, sizeof(after));
	assert_string_equal(before, after);
}

static void
test_refusals(void **state)
{
	struct cfg_model *run;
	char text[2048];

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	snprintf(text, sizeof(text), "%s", BASE_CFG);
	replace_text(text, "lcores = 2", "lcores = 3");
	expect_refused(run, text, "t.cfg:1: sys: changed, and it cannot "
		       "change while running (needs a restart): lcores are "
		       "given out at start");
	snprintf(text, sizeof(text), "%s", BASE_CFG);
	replace_text(text, "size = 1", "size = 2");
	expect_refused(run, text, "t.cfg:9: pools.[0]: cannot change while "
		       "running (needs a restart)");
	snprintf(text, sizeof(text), "%s", BASE_CFG);
	replace_text(text, "id = 2", "id = 4");
	expect_refused(run, text, "t.cfg:5: vrfs.[1]: a VRF's id cannot "
		       "change");
	cfg_model_free(run);
}

static void
test_duplicate_key(void **state)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text), "%s", BASE_CFG);
	replace_text(text, "\"e1\"", "\"e0\"");
	replace_text(text, "10.1.0.0/16", "10.0.0.0/8");
	assert_int_equal(cfg_load_string("t.cfg", text, sections,
					 DIM(sections), &m, &diag), -EINVAL);
	assert_int_equal(diag.n, 2);
	assert_string_equal(diag.msg[0], "t.cfg:4: vrfs.[0].routes.[1]: "
			    "duplicate key (prefix = \"10.0.0.0/8\"; first at "
			    "line 3)");
	assert_string_equal(diag.msg[1], "t.cfg:8: nbrs.[1]: duplicate key "
			    "(iface = \"e0\", addr = \"1.1.1.1\"; first at "
			    "line 7)");
	cfg_diag_free(&diag);
}

/* The CLI's way: copy, edit one row, check, run; a bad edit is refused
 * by the same check and the copy is freed. */
static void
test_cli_edit(void **state)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *run, *edit;
	struct cfg_array *nbrs;
	struct t_nbr nb = { .iface = "e0", .addr = 0x01010101 };
	struct t_nbr *found;
	char *a, *b;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	edit = cfg_model_dup(run);
	a = text_of(run);
	b = text_of(edit);
	assert_string_equal(a, b);
	free(b);
	nbrs = cfg_model_section(edit, "nbrs");
	found = cfg_array_find(nbrs, &nbr_schema, &nb);
	assert_non_null(found);
	assert_int_equal(found->tag, 1);
	/* a duplicate row: refused generically, the model untouched */
	nb.tag = 7;
	assert_non_null(cfg_array_append(nbrs, sizeof(nb), &nb));
	assert_int_equal(cfg_txn_run(run, edit, 0, NULL, &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0], "running-config: nbrs.[2]: duplicate "
			    "key "
			    "(iface = \"e0\", addr = \"1.1.1.1\"; first at "
			    "nbrs.[0])");
	cfg_diag_free(&diag);
	b = text_of(run);
	assert_string_equal(a, b);
	free(a);
	free(b);
	edit = cfg_model_dup(run);
	found = cfg_array_find(cfg_model_section(edit, "nbrs"), &nbr_schema,
			       &nb);
	found->tag = 7;
	assert_int_equal(cfg_txn_run(run, edit, 0, NULL, &diag), 0);
	found = cfg_array_find(cfg_model_section(run, "nbrs"), &nbr_schema,
			       &nb);
	assert_int_equal(found->tag, 7);
	assert_true(row_index("nbr e0 1.1.1.1 tag 7") >= 0);
	assert_true(row_index("nbr e0 1.1.1.1 tag 1") < 0);
	cfg_model_free(run);
}

static void
test_no_change(void **state)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *run;
	unsigned int n = 99;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	oplog[0] = '\0';
	commits = 0;
	assert_int_equal(cfg_txn_run(run, load(BASE_CFG), 0, &n, &diag), 0);
	assert_int_equal(n, 0);
	assert_string_equal(oplog, "");
	assert_int_equal(commits, 0);
	cfg_model_free(run);
}

/* CFG_TXN_DIFF: every difference printed, restart sections and lists
 * with no ops too; it cannot be committed. */
static void
test_diff_only(void **state)
{
	struct cfg_model *run, *file;
	struct cfg_diag diag = { 0 };
	struct cfg_txn *t = NULL;
	char text[2048], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	fake_reset();
	run = started(BASE_CFG);
	snprintf(text, sizeof(text), "%s", BASE_CFG);
	replace_text(text, "lcores = 2", "lcores = 3");
	replace_text(text, "size = 1", "size = 2");
	file = load(text);
	assert_int_equal(cfg_txn_new(file, run, CFG_TXN_DIFF, &t, &diag), 0);
	f = open_memstream(&buf, &len);
	cfg_txn_print(t, f, false);
	fclose(f);
	assert_string_equal(buf, "~ sys { lcores = 2; }\n"
			    "~ pools.[0] { name = \"p\"; size = 1; }\n");
	free(buf);
	assert_int_equal(cfg_txn_commit(t, &diag), -EINVAL);
	cfg_txn_free(t);
	cfg_model_free(file);
	cfg_model_free(run);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_diff_only),
	cmocka_unit_test(test_start_installs_all),
	cmocka_unit_test(test_diff_order),
	cmocka_unit_test(test_failure_at_every_step),
	cmocka_unit_test(test_commit_failure_rebuilds),
	cmocka_unit_test(test_full_table),
	cmocka_unit_test(test_refusals),
	cmocka_unit_test(test_duplicate_key),
	cmocka_unit_test(test_cli_edit),
	cmocka_unit_test(test_no_change),
};

int
main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
