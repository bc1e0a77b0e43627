/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg_save() (`write`): the file's mode and its backup. A model holding
 * a secret is written 0600 whatever the old file's mode; one without
 * keeps the old mode; the replaced file stays as FILE.bak; the written
 * file loads back to an equal model.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

struct t_cli {
	uint32_t port;
	char password[64];
};

static const struct cfg_field cli_fields[] = {
	{ "port", CFG_UINT, offsetof(struct t_cli, port), 4, .def = "23",
	  .doc = "p" },
	{ "password", CFG_STRING, offsetof(struct t_cli, password), 64,
	  .doc = "hash", .secret = true },
};

static const struct cfg_schema cli_schema = {
	.name = "cli", .fields = cli_fields, .n_fields = DIM(cli_fields),
	.size = sizeof(struct t_cli),
};

static const struct cfg_section cli_section = {
	.key = "cli", .type = CFG_GROUP, .schema = &cli_schema, .doc = "c",
};

static const struct cfg_section *const sections[] = { &cli_section };

static char dir[64];

static struct cfg_model *
load(const char *text)
{
	struct cfg_model *m = NULL;

	assert_int_equal(cfg_load_string("t.cfg", text, sections,
					 DIM(sections), &m, NULL), 0);
	return m;
}

static void
put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 0777;
}

static char *
slurp(const char *path)
{
	static char buf[512];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_keeps_mode_and_backup(void **state)
{
	struct cfg_model *m = load("cli = { port = 2323; };");
	char path[128], bak[160], err[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/a.cfg", dir);
	snprintf(bak, sizeof(bak), "%s.bak", path);
	put(path, "# the operator's file\ncli = { port = 1; };\n", 0640);
	assert_int_equal(cfg_save(m, path, err, sizeof(err)), 0);
	assert_int_equal(mode_of(path), 0640);
	assert_string_equal(slurp(bak), "# the operator's file\n"
			    "cli = { port = 1; };\n");
	/* the operator's text, edited (test_edit.c has the cases) */
	assert_string_equal(slurp(path), "# the operator's file\n"
			    "cli = { port = 2323; };\n");
	cfg_model_free(m);
	unlink(path);
	unlink(bak);
}

static void
test_secrets_0600(void **state)
{
	struct cfg_model *m = load("cli = { password = \"$6$x$y\"; };");
	char path[128], bak[160], err[256];

	(void)state;
	assert_true(cfg_model_has_secrets(m));
	snprintf(path, sizeof(path), "%s/b.cfg", dir);
	snprintf(bak, sizeof(bak), "%s.bak", path);
	put(path, "cli = { port = 1; };\n", 0644);
	assert_int_equal(cfg_save(m, path, err, sizeof(err)), 0);
	assert_int_equal(mode_of(path), 0600);
	unlink(path);
	unlink(bak);
	/* a new file too */
	assert_int_equal(cfg_save(m, path, err, sizeof(err)), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(access(bak, F_OK), -1);
	cfg_model_free(m);
	unlink(path);
}

static void
test_no_secrets(void **state)
{
	struct cfg_model *m = load("cli = { port = 2; };");
	char path[128], err[256];

	(void)state;
	assert_false(cfg_model_has_secrets(m));
	snprintf(path, sizeof(path), "%s/nodir/c.cfg", dir);
	assert_int_equal(cfg_save(m, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	cfg_model_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_keeps_mode_and_backup),
	cmocka_unit_test(test_secrets_0600),
	cmocka_unit_test(test_no_secrets),
};

int
main(void)
{
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/ferry-save-%d", (int)getpid());
	if (mkdir(dir, 0700) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
