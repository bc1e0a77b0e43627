/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL start/stop for unit tests; see eal_test.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "eal_test.h"

#define EAL_TEST_ARGS_MAX 64

static char runtime_dir[PATH_MAX];

int
eal_test_start(const char *name, const char *const *extra, int n_extra)
{
	/* EAL may keep pointers into argv: static storage. */
	static char prefix[64], argv0[64];
	static char *argv[EAL_TEST_ARGS_MAX];
	static const char *const base[] = {
		"--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0",
		"--log-level", "warning",
		/* Its socket would outlive rte_eal_cleanup() (it is
		 * unlinked at exit) and keep the runtime directory. */
		"--no-telemetry",
	};
	int argc = 0, i, rc;

	if (n_extra < 0 ||
	    (size_t)n_extra + sizeof(base) / sizeof(base[0]) + 3 >
	    EAL_TEST_ARGS_MAX) {
		fprintf(stderr, "eal_test: too many EAL arguments\n");
		return -1;
	}
	snprintf(argv0, sizeof(argv0), "%s", name);
	snprintf(prefix, sizeof(prefix), "ut_%s_%d", name, (int)getpid());
	argv[argc++] = argv0;
	for (i = 0; i < (int)(sizeof(base) / sizeof(base[0])); i++)
		argv[argc++] = (char *)(uintptr_t)base[i];
	argv[argc++] = "--file-prefix";
	argv[argc++] = prefix;
	for (i = 0; i < n_extra; i++)
		argv[argc++] = (char *)(uintptr_t)extra[i];
	argv[argc] = NULL;
	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "eal_test: rte_eal_init failed: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	snprintf(runtime_dir, sizeof(runtime_dir), "%s",
		 rte_eal_get_runtime_dir());
	return 0;
}

void
eal_test_stop(void)
{
	char path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	rte_eal_cleanup();
	if (runtime_dir[0] == '\0')
		return;
	/* EAL leaves its runtime directory behind; it is this process's
	 * own (file prefix with the pid), so empty and remove it. */
	d = opendir(runtime_dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", runtime_dir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	if (rmdir(runtime_dir) != 0 && errno != ENOENT)
		fprintf(stderr, "eal_test: cannot remove %s: %s\n",
			runtime_dir, strerror(errno));
}

const char *
eal_test_runtime_dir(void)
{
	return runtime_dir;
}
