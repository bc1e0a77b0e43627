/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "eal" section and the EAL argument vector. The workers section is
 * checked here against eal.lcores because both must agree before EAL is
 * started: every worker lcore is in the list and none is the first,
 * which runs the management loop (CLI, ARP, counters).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "eal_config.h"
#include "graph.h"
#include "port.h"

static const struct cfg_field eal_fields[] = {
	{ "lcores", CFG_STRING, offsetof(struct eal_conf, lcores),
	  EAL_ARG_LEN, .def = "\"0-1\"",
	  .doc = "lcore list (EAL -l syntax, e.g. \"0-3,6\"); the first is "
		 "the management lcore, the others run workers" },
	{ "memory", CFG_UINT, offsetof(struct eal_conf, memory), 4, 64,
	  1048576, .def = "1024",
	  .doc = "MB of memory EAL reserves (-m); each VRF's FIB takes "
		 "about 64 MB" },
	{ "huge", CFG_BOOL, offsetof(struct eal_conf, huge), 1,
	  .def = "true",
	  .doc = "use hugepages; false = --no-huge (tests, small machines)" },
	{ "in_memory", CFG_BOOL, offsetof(struct eal_conf, in_memory), 1,
	  .def = "false",
	  .doc = "--in-memory (--no-shconf without hugepages): no shared "
		 "runtime files, for several ferry processes side by side" },
	{ "multi_process", CFG_BOOL,
	  offsetof(struct eal_conf, multi_process), 1, .def = "false",
	  .doc = "let DPDK secondary processes (dpdk-pdump, dpdk-dumpcap, "
		 "dpdk-proc-info) attach: hugepage files stay linked, and "
		 "after ferry exits until the next start with the same "
		 "file_prefix removes them; needs huge = true and "
		 "in_memory = false. false = --huge-unlink (a crash leaks no "
		 "hugepage)" },
	{ "file_prefix", CFG_STRING, offsetof(struct eal_conf, file_prefix),
	  64, .def = "\"ferry\"",
	  .doc = "--file-prefix: distinct per DPDK process on a machine" },
	{ "log_level", CFG_STRING, offsetof(struct eal_conf, log_level), 64,
	  .def = "\"notice\"",
	  .doc = "--log-level value, e.g. \"info\" or "
		 "\"ferry.*:debug\" (log types: doc/operations.md)" },
	{ "vdevs", CFG_STRING_LIST, offsetof(struct eal_conf, vdevs),
	  EAL_ARG_LEN, 0, 64,
	  .doc = "extra --vdev devices that are not ports (ports add "
		 "their own)" },
	{ "pci_allow", CFG_STRING_LIST, offsetof(struct eal_conf, pci_allow),
	  EAL_ARG_LEN, 0, 64,
	  .doc = "extra PCI allow-list entries (-a) besides the ports'" },
};

static const struct cfg_schema eal_schema = {
	.name = "eal",
	.fields = eal_fields,
	.n_fields = RTE_DIM(eal_fields),
	.size = sizeof(struct eal_conf),
};

int
eal_lcores_parse(const char *list, bool set[], unsigned int n)
{
	const char *p = list;
	unsigned long a, b, i;
	int lowest = -1;
	char *end;

	memset(set, 0, n * sizeof(set[0]));
	while (*p != '\0') {
		a = strtoul(p, &end, 10);
		if (end == p || a >= n)
			return -1;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b >= n || b < a)
				return -1;
		}
		for (i = a; i <= b; i++)
			set[i] = true;
		if (lowest < 0 || (int)a < lowest)
			lowest = (int)a;
		if (*end != ',' && *end != '\0')
			return -1;
		p = *end == ',' ? end + 1 : end;
	}
	return lowest;
}

static int
eal_check(struct cfg_ctx *ctx, struct cfg_model *model)
{
	const struct eal_conf *ec = cfg_model_section(model, "eal");
	const struct cfg_array *workers = cfg_model_section(model, "workers");
	const struct worker_conf *wc = workers->items;
	bool set[RTE_MAX_LCORE];
	char path[64], val[EAL_ARG_LEN + 2];
	int main_lcore, errors = 0;
	unsigned int i;

	main_lcore = eal_lcores_parse(ec->lcores, set, RTE_DIM(set));
	if (main_lcore < 0) {
		snprintf(val, sizeof(val), "\"%s\"", ec->lcores);
		cfg_error(ctx, "eal.lcores", val,
			  "expected an lcore list such as \"0-3,6\" (ids "
			  "below %u)", RTE_MAX_LCORE);
		return 1;
	}
	for (i = 0; i < workers->n; i++) {
		const char *why = NULL;

		if (!set[wc[i].lcore])
			why = "not in eal.lcores";
		else if ((int)wc[i].lcore == main_lcore)
			why = "is the management lcore (the first of "
			      "eal.lcores)";
		if (why == NULL)
			continue;
		snprintf(path, sizeof(path), "workers.[%u].lcore", i);
		snprintf(val, sizeof(val), "%u", wc[i].lcore);
		cfg_error(ctx, path, val, "%s", why);
		errors++;
	}
	return errors;
}

const struct cfg_section eal_cfg_section = {
	.key = "eal",
	.type = CFG_GROUP,
	.schema = &eal_schema,
	.doc = "DPDK EAL start-up. Extra EAL options may follow \"--\" on "
	       "ferry's command line.",
	.check = eal_check,
	.restart = "EAL reads its arguments once, at start",
};

/* Append "opt" or "opt value" to argv; @return 0 or -E2BIG. */
static int
arg_add(char **argv, int *argc, const char *opt, const char *val)
{
	if (*argc + 2 >= EAL_ARGV_MAX)
		return -E2BIG;
	argv[(*argc)++] = (char *)(uintptr_t)opt;
	if (val != NULL)
		argv[(*argc)++] = (char *)(uintptr_t)val;
	return 0;
}

static int
list_add(char **argv, int *argc, const char *opt, const struct cfg_array *a)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < a->n && rc == 0; i++)
		rc = arg_add(argv, argc, opt,
			     (const char *)a->items + i * EAL_ARG_LEN);
	return rc;
}

/*
 * A bare level ("notice") given to EAL's --log-level sets DPDK's global
 * level, a ceiling no log type can pass: `-- --log-level=ferry.route:debug`
 * would then print nothing. Given as the pattern "*:notice" it sets
 * every type's level instead (also of types registered later) and
 * leaves the ceiling open, so a later per-type option works.
 */
static const char *
log_level_arg(const char *level)
{
	static const char *const patterns[] = {
		"*:emergency", "*:alert", "*:critical", "*:error",
		"*:warning", "*:notice", "*:info", "*:debug",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(patterns); i++)
		if (strcmp(patterns[i] + 2, level) == 0)
			return patterns[i];
	return level;
}

int
eal_args_build(const struct cfg_model *model, char *argv0, char **extra,
	       int n_extra, char **argv, char *storage, size_t storage_len)
{
	const struct eal_conf *ec = cfg_model_section(model, "eal");
	bool set[RTE_MAX_LCORE], huge = ec->huge;
	char *mem = storage, *main_lcore = storage + storage_len / 2;
	int argc = 0, rc, i;

	/* "-- --no-huge" (scripts/run.sh without hugepages) wins over the
	 * file: the options that only make sense with hugepages follow. */
	for (i = 0; i < n_extra; i++)
		if (strcmp(extra[i], "--no-huge") == 0)
			huge = false;

	snprintf(mem, storage_len / 2, "%u", ec->memory);
	snprintf(main_lcore, storage_len / 2, "%d",
		 eal_lcores_parse(ec->lcores, set, RTE_DIM(set)));
	argv[argc++] = argv0;
	rc = arg_add(argv, &argc, "-l", ec->lcores);
	rc |= arg_add(argv, &argc, "--main-lcore", main_lcore);
	rc |= arg_add(argv, &argc, "-m", mem);
	rc |= arg_add(argv, &argc, "--file-prefix", ec->file_prefix);
	rc |= arg_add(argv, &argc, "--log-level", log_level_arg(ec->log_level));
	if (!ec->huge)
		rc |= arg_add(argv, &argc, "--no-huge", NULL);
	/* --no-huge runs in legacy memory mode, which EAL refuses to mix
	 * with --in-memory; --no-shconf is what in-memory means there. */
	if (ec->in_memory)
		rc |= arg_add(argv, &argc,
			      huge ? "--in-memory" : "--no-shconf", NULL);
	/* Hugepage files are unlinked once mapped: a crash leaks none, but
	 * no secondary process (dpdk-pdump) can map them. */
	else if (huge && !ec->multi_process)
		rc |= arg_add(argv, &argc, "--huge-unlink", NULL);
	rc |= list_add(argv, &argc, "--vdev", &ec->vdevs);
	rc |= list_add(argv, &argc, "-a", &ec->pci_allow);
	if (rc == 0)
		rc = port_eal_args(model, argv, &argc, EAL_ARGV_MAX - 1);
	/* Without an allow-list EAL would take every PCI NIC it can. */
	for (i = 0; i < argc && strcmp(argv[i], "-a") != 0; i++)
		;
	if (rc == 0 && i == argc)
		rc = arg_add(argv, &argc, "--no-pci", NULL);
	for (i = 0; rc == 0 && i < n_extra; i++)
		rc = arg_add(argv, &argc, extra[i], NULL);
	argv[argc] = NULL;
	return rc < 0 ? -E2BIG : argc;
}

static bool
extra_has(char **extra, int n_extra, const char *opt)
{
	int i;

	for (i = 0; i < n_extra; i++)
		if (strcmp(extra[i], opt) == 0)
			return true;
	return false;
}

const char *
eal_pdump_unavailable(const struct cfg_model *model, char **extra,
		      int n_extra)
{
	const struct eal_conf *ec = cfg_model_section(model, "eal");

	if (extra_has(extra, n_extra, "--no-huge"))
		return "ferry was started with --no-huge on its command "
		       "line (after --): memory without hugepages cannot be "
		       "mapped by another process";
	if (!ec->huge)
		return "eal.huge = false (--no-huge): memory without "
		       "hugepages cannot be mapped by another process";
	if (extra_has(extra, n_extra, "--in-memory") ||
	    extra_has(extra, n_extra, "--no-shconf"))
		return "ferry was started with --in-memory or --no-shconf on "
		       "its command line: DPDK multi-process is off";
	if (ec->in_memory)
		return "eal.in_memory = true (--in-memory): DPDK "
		       "multi-process is off";
	if (extra_has(extra, n_extra, "--huge-unlink"))
		return "ferry was started with --huge-unlink on its command "
		       "line: no other process can map the unlinked "
		       "hugepage files";
	if (!ec->multi_process)
		return "eal.multi_process = false (--huge-unlink): no other "
		       "process can map the unlinked hugepage files";
	return NULL;
}

#include "module.h"

/* Read before EAL starts (eal_args_build()); nothing to set up. */
const struct ferry_module eal_module = {
	.name = "EAL",
	.sections = (const struct cfg_section *const[]){ &eal_cfg_section,
							 NULL },
};
