/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry: a DPDK poll-mode PE/gateway. This file only wires libraries
 * together: read and check the config, start EAL from it, set up ports,
 * workers, interfaces and routing, launch the workers, and run the
 * management loop (CLI, ARP, counters) on the main lcore until SIGINT or
 * SIGTERM. Everything is torn down in reverse so net_pcap output files
 * are flushed and no hugepage or /var/run/dpdk file is left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <termios.h>
#include <limits.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_version.h>

#include "capture.h"
#include "cli.h"
#include "config.h"
#include "eal_config.h"
#include "modules.h"
#include "reload.h"
#include "sections.h"
#include "graph.h"
#include "pkt.h"
#include "port.h"

#ifdef FERRY_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif
#include "stats.h"


struct options {
	const char *config;
	bool check;
	bool eal_args;  /* print the EAL arguments of FILE and exit */
	unsigned int stats_interval; /* s between live counter lines; 0 = off */
	char **eal_extra;
	int n_eal_extra;
};

static volatile sig_atomic_t quit, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: ferry -c FILE [--check] [--stats SECONDS] [-- EAL options]\n"
		"       ferry --version | --help | --config-doc | --cli-doc\n"
		"       ferry --hash-password < PASSWORD\n"
		"\n"
		"  -c, --config FILE   configuration file (libconfig syntax)\n"
		"  -t, --check         validate FILE and exit: 0 valid, 1 not\n"
		"      --eal-args      print the EAL arguments FILE gives, one "
		"a line\n"
		"  -s, --stats N       print live counters every N seconds\n"
		"      --config-doc    print the configuration reference (Markdown)\n"
		"      --cli-doc       print the CLI command reference (Markdown)\n"
		"      --hash-password read a password's line from stdin, print\n"
		"                      the hash for the cli section's password\n"
		"  -v, --version       print the version\n"
		"  -h, --help          this text\n"
		"EAL parameters come from the eal section of FILE; options "
		"after \"--\" are added.\n");
}

static int
config_doc(void)
{
	return cfg_doc_write(stdout, ferry_sections, FERRY_N_SECTIONS) == 0 ? 0 : 1;
}

static int cli_tables_register(void);

/* The cli section's password from a line of stdin (not echoed on a tty). */
static int
hash_password(void)
{
	char line[CLI_LINE_MAX + 2], hash[160];
	bool tty = isatty(STDIN_FILENO);
	struct termios saved, quiet;
	size_t n;

	if (tty) {
		fprintf(stderr, "Password: ");
		tcgetattr(STDIN_FILENO, &saved);
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = fgets(line, sizeof(line), stdin) != NULL ? strcspn(line, "\r\n") : 0;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fprintf(stderr, "\n");
	}
	line[n] = '\0';
	if (n == 0) {
		fprintf(stderr, "ferry: empty password\n");
		return 1;
	}
	if (cli_password_hash(line, hash, sizeof(hash)) < 0) {
		fprintf(stderr, "ferry: cannot hash the password\n");
		return 1;
	}
	explicit_bzero(line, sizeof(line));
	printf("%s\n", hash);
	return 0;
}

static int
cli_doc(void)
{
	if (cli_tables_register() < 0)
		return 1;
	return cli_doc_write(stdout) == 0 ? 0 : 1;
}

/* @return -1 to continue, or an exit status. */
static int
options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 't' },
		{ "stats", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "config-doc", no_argument, NULL, 'D' },
		{ "cli-doc", no_argument, NULL, 'C' },
		{ "hash-password", no_argument, NULL, 'P' },
		{ "eal-args", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:ts:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 't': o->check = true; break;
		case 's': o->stats_interval = (unsigned int)atoi(optarg); break;
		case 'v': printf("ferry %s (%s)\n", FERRY_VERSION, rte_version());
			return 0;
		case 'h': usage(stdout); return 0;
		case 'D': return config_doc();
		case 'C': return cli_doc();
		case 'P': return hash_password();
		case 'E': o->eal_args = true; break;
		default: usage(stderr); return 2;
		}
	}
	if (o->config == NULL) {
		fprintf(stderr, "ferry: no configuration file (-c FILE)\n");
		usage(stderr);
		return 2;
	}
	o->eal_extra = argv + optind;
	o->n_eal_extra = argc - optind;
	return -1;
}

/* Keys in a file others can read are keys others have (issue 9). */
static void
warn_readable_secrets(const char *path, const struct cfg_model *model)
{
	struct stat st;

	if (stat(path, &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) == 0 ||
	    !cfg_model_has_secrets(model))
		return;
	fprintf(stderr, "ferry: warning: %s holds keys and is readable by "
		"%s (mode %04o): chmod 600 %s\n", path,
		(st.st_mode & S_IRWXO) ? "everyone" : "its group",
		(unsigned int)(st.st_mode & 07777), path);
}

static struct cfg_model *
config_load(const char *path)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *model = NULL;
	unsigned int i;

	if (cfg_load_file(path, ferry_sections, FERRY_N_SECTIONS, &model,
			  &diag) < 0) {
		for (i = 0; i < diag.n; i++)
			fprintf(stderr, "%s\n", diag.msg[i]);
		fprintf(stderr, "ferry: %s: %u error%s, nothing started\n",
			path, diag.n, diag.n == 1 ? "" : "s");
		cfg_diag_free(&diag);
		return NULL;
	}
	warn_readable_secrets(path, model);
	return model;
}

/* The running model: loaded from the file, edited by the CLI. */
static struct cfg_model *running;
static time_t started;

static int
show_version(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	cli_printf(out, "ferry %s on %s\n", FERRY_VERSION, rte_version());
	return 0;
}

static int
show_uptime(struct cli_out *out, const struct cli_args *args, void *arg)
{
	long up = (long)difftime(time(NULL), started);
	char since[64];

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S UTC",
		 gmtime(&started));
	cli_printf(out, "up %ldd %02ld:%02ld:%02ld (since %s)\n", up / 86400,
		   up / 3600 % 24, up / 60 % 60, up % 60, since);
	return 0;
}

static void
worker_queues_show(struct cli_out *out, const struct worker *w)
{
	unsigned int i;

	cli_printf(out, "worker %u, polls", w->index);
	for (i = 0; i < w->n_rx; i++)
		cli_printf(out, " %s:%u", port_get(w->rx[i].port_idx)->name,
			   w->rx[i].queue);
	cli_printf(out, "\n");
}

static int
show_lcores(struct cli_out *out, const struct cli_args *args, void *arg)
{
	unsigned int lcore, i;

	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	RTE_LCORE_FOREACH(lcore) {
		cli_printf(out, "lcore %-3u cpu %-3d ", lcore,
			   rte_lcore_to_cpu_id((int)lcore));
		if (lcore == rte_get_main_lcore()) {
			cli_printf(out, "management (CLI, ARP, counters)\n");
			continue;
		}
		for (i = 0; i < graph_worker_count(); i++)
			if (graph_worker(i)->lcore == lcore)
				break;
		if (i < graph_worker_count())
			worker_queues_show(out, graph_worker(i));
		else
			cli_printf(out, "idle (no worker configured)\n");
	}
	return 0;
}

/*
 * Run @p fn writing to a memory stream and hand its text to the CLI:
 * as is on success, prefixed by "% " (one error line for ferryctl)
 * on failure. @return what @p fn returned, or -ENOMEM.
 */
static int
stream_to_cli(struct cli_out *out, int (*fn)(FILE *f))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (f == NULL) {
		cli_error(out, "out of memory");
		return -ENOMEM;
	}
	rc = fn(f);
	fclose(f);
	cli_printf(out, rc < 0 ? "%% %s" : "%s", text);
	free(text);
	return rc;
}

/* Keys (fields marked secret) are shown as "<secret>"; write saves them. */
static int
write_running(FILE *f)
{
	return cfg_write_redacted(f, running);
}

static int
show_running_config(struct cli_out *out, const struct cli_args *args,
		    void *arg)
{
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	return stream_to_cli(out, write_running);
}

static int
write_config(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *path = cli_arg(args, "word");
	char err[PATH_MAX + 64];
	int rc;

	RTE_SET_USED(arg);
	if (path == NULL)
		path = cfg_model_file(running);
	rc = cfg_save(running, path, err, sizeof(err));
	if (rc < 0)
		cli_error(out, "%s", err);
	else
		cli_printf(out, "configuration written to %s\n", path);
	if (rc == 0 && strcmp(path, cfg_model_file(running)) == 0)
		ferry_config_saved(running);
	return rc;
}

static int
config_check(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const char *path = cli_arg(args, "word");
	struct cfg_diag diag = { 0 };
	struct cfg_model *model = NULL;
	unsigned int i;

	RTE_SET_USED(arg);
	if (cfg_load_file(path, ferry_sections, FERRY_N_SECTIONS, &model,
			  &diag) == 0) {
		cfg_model_free(model);
		cli_printf(out, "%s: configuration ok\n", path);
		return 0;
	}
	cli_error(out, "%s: %u error%s", path, diag.n, diag.n == 1 ? "" : "s");
	for (i = 0; i < diag.n; i++)
		cli_printf(out, "%s\n", diag.msg[i]);
	cfg_diag_free(&diag);
	return -EINVAL;
}

static int
reload_running(FILE *f)
{
	return ferry_reload(running, cfg_model_file(running), false, f);
}

static int
reload_running_force(FILE *f)
{
	return ferry_reload(running, cfg_model_file(running), true, f);
}

static int
config_reload(struct cli_out *out, const struct cli_args *args, void *arg)
{
	RTE_SET_USED(args);
	return stream_to_cli(out, arg != NULL ? reload_running_force :
						reload_running);
}

static int
diff_running(FILE *f)
{
	return ferry_config_diff(running, cfg_model_file(running), f);
}

static int
show_running_diff(struct cli_out *out, const struct cli_args *args,
		  void *arg)
{
	RTE_SET_USED(args);
	RTE_SET_USED(arg);
	return stream_to_cli(out, diff_running);
}

static const struct cli_command app_commands[] = {
	{
		.syntax = "config reload",
		.help = "Configuration files\n"
			"Apply the file ferry was started with again, as "
			"SIGHUP does: one change, all or nothing; refused "
			"while CLI changes are not written",
		.handler = config_reload,
	},
	{
		.syntax = "config reload force",
		.help = "Configuration files\n"
			"Apply the file ferry was started with again, as "
			"SIGHUP does: one change, all or nothing; refused "
			"while CLI changes are not written\n"
			"Drop CLI changes the file does not hold (they are "
			"listed)",
		.handler = config_reload,
		.arg = (void *)1,
	},
	{
		.syntax = "show version",
		.help = "Show running state\nferry and DPDK versions",
		.handler = show_version,
		.read_only = true,
	},
	{
		.syntax = "show uptime",
		.help = "Show running state\nTime since ferry started",
		.handler = show_uptime,
		.read_only = true,
	},
	{
		.syntax = "show lcores",
		.help = "Show running state\n"
			"Lcores: the management lcore and what each worker "
			"polls",
		.handler = show_lcores,
		.read_only = true,
	},
	{
		.syntax = "show running-config",
		.help = "Show running state\n"
			"The configuration in force, in the file's syntax",
		.handler = show_running_config,
		.read_only = true,
	},
	{
		.syntax = "show running-config diff",
		.help = "Show running state\n"
			"The configuration in force, in the file's syntax\n"
			"What differs from the file on disk: + only running, "
			"- only in the file, ~ changed",
		.handler = show_running_diff,
	},
	{
		.syntax = "write [<word>]",
		.help = "Save the running configuration (temp file + rename)\n"
			"File to write; default: the file ferry was started "
			"with",
		.handler = write_config,
	},
	{
		.syntax = "config check <word>",
		.help = "Configuration files\n"
			"Check a file as --check does; nothing is applied\n"
			"File to check",
		.handler = config_check,
	},
};

static int
step_pkt(struct cfg_model *m)
{
	RTE_SET_USED(m);
	return pkt_init();
}

static int
step_ports(struct cfg_model *m)
{
	const struct cfg_array *workers = cfg_model_section(m, "workers");

	return port_setup(m, workers->n);
}

/* Every library's command table, registered once. */
static int
cli_tables_register(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < ferry_n_modules && rc == 0; i++)
		if (ferry_modules[i]->cli_register != NULL)
			rc = ferry_modules[i]->cli_register();
	if (rc == 0)
		rc = cli_register(app_commands, RTE_DIM(app_commands));
	if (rc == 0)
		rc = cli_server_register_commands();
	return rc;
}

static int
step_workers(struct cfg_model *m)
{
	return graph_workers_init(m);
}

static int
step_cli(struct cfg_model *m)
{
	RTE_SET_USED(m);
	return cli_tables_register();
}

/* The tables exist: the file's rows are the change from empty. */
static int
step_config_rows(struct cfg_model *m)
{
	return ferry_config_start(m, stderr);
}

static int
step_graphs(struct cfg_model *m)
{
	RTE_SET_USED(m);
	return graph_build();
}

static int
step_failed(const char *what, int rc)
{
	if (rc < 0)
		fprintf(stderr, "ferry: start-up failed at %s: %s\n", what,
			strerror(-rc));
	return rc;
}

/* One module's setup, or its start (after the graphs). */
static int
module_step(const struct ferry_module *x, bool start, struct cfg_model *m)
{
	if (start)
		return x->start != NULL ? x->start(m) : 0;
	return x->setup != NULL ? x->setup(m) : 0;
}

static int
modules_step(struct cfg_model *m, bool start)
{
	unsigned int k;
	int rc = 0;

	for (k = 0; k < ferry_n_modules && rc == 0; k++)
		rc = step_failed(ferry_modules[k]->name,
				 module_step(ferry_modules[k], start, m));
	return rc;
}

static int
step_modules(struct cfg_model *m)
{
	return modules_step(m, false);
}

/* Start-up in dependency order; each step names itself on failure
 * (NULL: the modules' steps name each module). */
static const struct {
	const char *what;
	int (*fn)(struct cfg_model *m);
} setup_steps[] = {
	{ "packet metadata", step_pkt },
	{ "ports", step_ports },
	{ "workers", step_workers },
	{ NULL, step_modules },
	{ "configuration rows", step_config_rows },
	{ "CLI commands", step_cli },
	{ "worker graphs", step_graphs },
};

static int
dataplane_setup(struct cfg_model *model)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < RTE_DIM(setup_steps) && rc == 0; i++) {
		rc = setup_steps[i].fn(model);
		if (setup_steps[i].what != NULL)
			step_failed(setup_steps[i].what, rc);
	}
	return rc;
}

static void
modules_poll(uint64_t now)
{
	unsigned int i;

	for (i = 0; i < ferry_n_modules; i++)
		if (ferry_modules[i]->control_poll != NULL)
			ferry_modules[i]->control_poll(now);
}

static void
modules_stopped(void)
{
	unsigned int i;

	for (i = 0; i < ferry_n_modules; i++)
		if (ferry_modules[i]->stopped != NULL)
			ferry_modules[i]->stopped();
}

static void
modules_teardown(void)
{
	unsigned int i;

	for (i = ferry_n_modules; i-- > 0;)
		if (ferry_modules[i]->teardown != NULL)
			ferry_modules[i]->teardown();
}

static struct cli_server *
cli_start(const struct cfg_model *model)
{
	struct cli_server_params p = {
		.banner = "ferry " FERRY_VERSION " management CLI; "
			  "\"help\" lists commands",
		.prompt = "ferry> ",
	};
	struct cli_server *srv;

	cli_server_params_from_conf(cfg_model_section(model, "cli"), &p);
	srv = cli_server_create(&p);
	if (srv == NULL && p.unix_path != NULL &&
	    strcmp(p.unix_path, CLI_SOCKET_DEFAULT) == 0) {
		/* the default path is best effort (another ferry may hold
		 * it); a configured one is a promise */
		fprintf(stderr, "ferry: cli: no Unix socket at %s: %s\n",
			p.unix_path, strerror(errno));
		p.unix_path = NULL;
		srv = cli_server_create(&p);
	}
	if (srv == NULL) {
		fprintf(stderr, "ferry: cli: cannot listen on %s:%u%s%s: %s\n",
			p.address, p.port, p.unix_path ? " and " : "",
			p.unix_path ? p.unix_path : "", strerror(errno));
		return NULL;
	}
	if (p.unix_path != NULL)
		printf("ferry: cli socket %s\n", p.unix_path);
	printf("ferry: cli listening on %s:%u\n", p.address,
	       cli_server_port(srv));
	fflush(stdout);
	return srv;
}

static void
stats_line(uint64_t now, uint64_t *last_ms, struct stats_totals *last)
{
	struct stats_totals t;
	double s = (double)(now - *last_ms) / 1000.0;

	stats_totals_get(&t);
	/* Rates from the raw counters: `clear counters` moves the others
	 * back, which would make a difference between two of them wrap. */
	printf("rx %.3f Mpps  tx %.3f Mpps  drop %.3f Mpps  | total rx %"
	       PRIu64 " tx %" PRIu64 " drop %" PRIu64 "\n",
	       (double)(t.rx_raw - last->rx_raw) / s / 1e6,
	       (double)(t.tx_raw - last->tx_raw) / s / 1e6,
	       (double)(t.drops_raw - last->drops_raw) / s / 1e6, t.rx, t.tx,
	       t.drops);
	fflush(stdout);
	*last = t;
	*last_ms = now;
}

/* What the data plane did, once workers have stopped: every packet
 * received is by now either sent or counted as dropped. */
static void
final_counters(void)
{
	struct cli_out *out = cli_out_file(stdout);

	if (out == NULL)
		return;
	printf("ferry: final counters\n");
	stats_counters_write(out);
	cli_out_free(out);
	fflush(stdout);
}

static void
management_loop(struct cli_server *srv, unsigned int stats_interval)
{
	struct stats_totals last = { 0 };
	uint64_t last_ms = cli_now_ms();

	while (!quit) {
		/* 1 ms: ARP answers and CLI input wait at most that long,
		 * and the management lcore does not spin. */
		cli_server_poll(srv, 1);
		modules_poll(cli_now_ms());
		if (reload) {
			reload = 0;
			ferry_reload(running, cfg_model_file(running), false,
				     stdout);
			fflush(stdout);
		}
		if (stats_interval != 0 &&
		    cli_now_ms() - last_ms >= stats_interval * 1000ull)
			stats_line(cli_now_ms(), &last_ms, &last);
	}
}

/*
 * EAL leaves its runtime directory (/var/run/dpdk/<file_prefix>) and the
 * shared config files in it behind. They belong to this process alone
 * (its own file prefix), so remove them once EAL is down.
 */
static void
eal_cleanup_runtime_dir(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * Tell systemd how the service is (Type=notify, see
 * scripts/systemd/ferry.service.in). Does nothing outside systemd (no
 * NOTIFY_SOCKET) or when built without libsystemd.
 */
static void
service_notify(const char *state)
{
#ifdef FERRY_HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

static int
run(const struct options *o, struct cfg_model *model, char *argv0)
{
	char *eal_argv[EAL_ARGV_MAX];
	char storage[64];
	struct cli_server *srv = NULL;
	int argc, rc;

	argc = eal_args_build(model, argv0, o->eal_extra, o->n_eal_extra,
			      eal_argv, storage, sizeof(storage));
	if (argc < 0 || rte_eal_init(argc, eal_argv) < 0) {
		fprintf(stderr, "ferry: cannot start EAL\n");
		return 1;
	}
	capture_pdump_unavailable(eal_pdump_unavailable(model, o->eal_extra,
							o->n_eal_extra));
	rc = dataplane_setup(model);
	if (rc == 0) {
		srv = cli_start(model);
		/* the modules' start (trace, capture hooks, the metrics
		 * listener) after the CLI's, before the workers run */
		rc = srv == NULL ? -EADDRINUSE : modules_step(model, true);
		if (rc == 0)
			rc = graph_launch();
	}
	if (rc == 0) {
		/* ports up, workers running: systemd's Type=notify start ends */
		service_notify("READY=1\nSTATUS=forwarding");
		management_loop(srv, o->stats_interval);
		service_notify("STOPPING=1");
		graph_stop();
		modules_stopped();
		final_counters();
	}
	cli_server_free(srv);
	modules_teardown();
	graph_teardown();
	port_teardown();
	eal_cleanup_runtime_dir();
	return rc == 0 ? 0 : 1;
}

/* What EAL will be given, for scripts (the systemd service sizes
 * hugepages and CPU affinity from it) and for operators. */
static int
eal_args_print(struct cfg_model *model, const struct options *o)
{
	char *eal_argv[EAL_ARGV_MAX];
	char storage[64];
	int argc, i;

	argc = eal_args_build(model, (char *)(uintptr_t)"ferry", o->eal_extra,
			      o->n_eal_extra, eal_argv, storage,
			      sizeof(storage));
	for (i = 1; i < argc; i++)
		printf("%s\n", eal_argv[i]);
	cfg_model_free(model);
	return argc < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cfg_model *model;
	int rc;

	rc = options_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	/* --check says what could not start on this host */
	port_device_host_checks(true);
	model = config_load(o.config);
	if (model == NULL)
		return 1;
	if (o.eal_args)
		return eal_args_print(model, &o);
	if (o.check) {
		printf("ferry: %s: configuration ok\n", o.config);
		cfg_model_free(model);
		return 0;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	running = model;
	started = time(NULL);
	rc = run(&o, model, argv[0]);
	ferry_config_saved_free();
	cfg_model_free(model);
	return rc;
}
