/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Saving a model to its file (`write`): a temporary file in the same
 * folder, fsync, then rename over the file, so a crash leaves the old
 * file or the new one, never half of one. The file being replaced is
 * kept as FILE.bak (a hard link to it, made before the rename). A model
 * holding secrets (IPsec keys, the CLI password hash) is written mode
 * 0600 from the first byte (the temporary file too); otherwise the new
 * file takes the old one's mode. Owner and group are the old file's
 * when the process may set them (root), so `write` as root does not
 * take an operator's file away from its user. The text saved is the old
 * file edited (config_edit.c), so the operator's comments stay, when
 * that edit loads back to the model; else the model printed whole.
 */
#define _GNU_SOURCE /* explicit_bzero */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_priv.h"

bool
cfg_model_has_secrets(const struct cfg_model *model)
{
	char *plain = NULL, *redacted = NULL;
	size_t n1 = 0, n2 = 0;
	FILE *f1 = open_memstream(&plain, &n1);
	FILE *f2 = open_memstream(&redacted, &n2);
	bool differ;

	if (f1 != NULL && f2 != NULL) {
		cfg_write(f1, model);
		cfg_write_redacted(f2, model);
	}
	if (f1 != NULL)
		fclose(f1);
	if (f2 != NULL)
		fclose(f2);
	/* no memory: assume secrets, the safe way to be wrong */
	differ = plain == NULL || redacted == NULL || n1 != n2 ||
		 memcmp(plain, redacted, n1) != 0;
	if (plain != NULL)
		explicit_bzero(plain, n1);
	free(plain);
	free(redacted);
	return differ;
}

static mode_t
current_umask(void)
{
	mode_t m = umask(077);

	umask(m);
	return m;
}

/* The temporary file, created with its final mode and owner. */
static FILE *
tmp_open(const char *tmp, const char *path, bool secret)
{
	struct stat st;
	bool had = stat(path, &st) == 0;
	mode_t mode = had ? st.st_mode & 0777 : 0644;
	FILE *f;
	int fd;

	if (secret)
		mode &= 0600;
	/* owner-only until chmod: no moment where others may read keys */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0600);
	if (fd < 0)
		return NULL;
	/* EPERM as a user: the file stays the writer's, as before */
	if (had && fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)
		goto fail;
	/* a new file: the mode open() gave under the umask, widened to
	 * 0644's bits the umask allows */
	if (!had)
		mode &= ~current_umask();
	if (fchmod(fd, mode) != 0)
		goto fail;
	f = fdopen(fd, "w");
	if (f != NULL)
		return f;
fail:
	close(fd);
	unlink(tmp);
	return NULL;
}

/* FILE.bak is the file being replaced (nothing if there is none). */
static int
keep_backup(const char *path)
{
	char bak[PATH_MAX];

	if (snprintf(bak, sizeof(bak), "%s.bak", path) >= (int)sizeof(bak))
		return -ENAMETOOLONG;
	if (unlink(bak) != 0 && errno != ENOENT)
		return -errno;
	if (link(path, bak) != 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* The whole file @p path, NUL-terminated; NULL if it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	FILE *in = fopen(path, "r");
	FILE *out = open_memstream(&buf, len);
	char chunk[4096];
	size_t n;

	while (in != NULL && out != NULL &&
	       (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	if (out != NULL && fclose(out) != 0) {
		free(buf);
		buf = NULL;
	}
	if (in == NULL || buf == NULL || ferror(in) ||
	    memchr(buf, '\0', *len) != NULL) {
		free(buf); /* a NUL in it: not a text libconfig read */
		buf = NULL;
	}
	if (in != NULL)
		fclose(in);
	explicit_bzero(chunk, sizeof(chunk));
	return buf;
}

static void
text_free(char *text, size_t len)
{
	if (text != NULL)
		explicit_bzero(text, len);
	free(text);
}

/* True if @p text loads to a model equal to @p model. */
static bool
loads_to(const char *path, const char *text, const struct cfg_model *model)
{
	struct cfg_model *m = NULL;
	bool eq;

	if (cfg_load_string(path, text, model->sections, model->n, &m,
			    NULL) != 0)
		return false;
	eq = cfg_model_equal(m, model);
	cfg_model_free(m);
	return eq;
}

/*
 * The file at @p path edited to hold @p model (config_edit.c), so its
 * comments, order and keys at their defaults stay; NULL when there is
 * no such file, it does not load, or the edit does not load back to
 * @p model: then the model is written whole.
 */
static char *
edited_text(const struct cfg_model *model, const char *path)
{
	struct cfg_model *was = NULL;
	size_t len = 0;
	char *old = slurp(path, &len), *text = NULL;

	if (old == NULL || cfg_load_string(path, old, model->sections,
					   model->n, &was, NULL) != 0)
		goto out;
	if (cfg_priv_edit_text(old, was, model, &text) == 0 &&
	    !loads_to(path, text, model)) {
		text_free(text, strlen(text));
		text = NULL;
	}
out:
	cfg_model_free(was);
	text_free(old, len);
	return text;
}

/* The new file's text: the old one edited, or the model printed. */
static int
save_text(FILE *f, const struct cfg_model *model, const char *path)
{
	char *text = edited_text(model, path);
	int rc;

	if (text == NULL)
		return cfg_write(f, model);
	rc = fputs(text, f) < 0 ? -EIO : 0;
	text_free(text, strlen(text));
	return rc;
}

int
cfg_save(const struct cfg_model *model, const char *path, char *err,
	 size_t len)
{
	char tmp[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = tmp_open(tmp, path, cfg_model_has_secrets(model));
	if (f == NULL) {
		rc = -errno;
		snprintf(err, len, "%s: %s", tmp, strerror(errno));
		return rc;
	}
	rc = save_text(f, model, path);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0)
		rc = keep_backup(path);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		snprintf(err, len, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}
