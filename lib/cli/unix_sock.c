/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's Unix socket listener (ferryctl's default way in). Who may
 * change the router is who may open the file: its mode and group are
 * set right after bind(), before listen(), so no client can connect
 * while the file still has the process umask's mode. A file left by a
 * ferry that died is replaced; one a live server still answers on is
 * not (EADDRINUSE): two ferrys must not share a socket.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli_priv.h"

/* 0 if nothing answers on @p sa (a stale file, or none), else -1. */
static int
check_stale(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	if (errno == ECONNREFUSED)
		unlink(sa->sun_path);
	return 0;
}

/* The directory the socket goes in, made (0755) if missing. */
static void
make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return; /* bind() says what is wrong */
}

static int
set_owner(const char *path, unsigned int mode, const char *group)
{
	struct group *gr;

	if (group != NULL && group[0] != '\0') {
		gr = getgrnam(group);
		if (gr == NULL) {
			errno = ENOENT;
			return -1;
		}
		if (chown(path, (uid_t)-1, gr->gr_gid) < 0)
			return -1;
	}
	return chmod(path, mode);
}

int
cli_unix_listen(const char *path, unsigned int mode, const char *group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	make_parent(path);
	if (check_stale(&sa) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	if (set_owner(path, mode, group) < 0 || listen(fd, 16) < 0) {
		err = errno;
		unlink(path);
		errno = err;
		goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}
