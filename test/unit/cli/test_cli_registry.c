/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the CLI registry (lib/cli/registry.c): grammar compile,
 * matching with prefixes and optional groups, argument types and their
 * exact error lines with examples and "did you mean" hints, help, `?`
 * (also on a partial word and at a cursor), Tab completion of keywords
 * and of values from a type's completer, the help/grammar drift check,
 * the doc writer, and the "cli" configuration section.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#include "cli.h"

static struct cli_out *out;

/* Handlers print what they matched, so tests compare one string. */

static int
h_route(struct cli_out *o, const struct cli_args *args, void *arg)
{
	const char *p = cli_arg(args, "ipv4-prefix");
	const char *v = cli_arg(args, "vrf-name");

	cli_printf(o, "route prefix=%s vrf=%s kw=%d\n", p ? p : "-",
		   v ? v : "-", cli_has_word(args, "vrf"));
	return 0;
}

static int
h_print(struct cli_out *o, const struct cli_args *args, void *arg)
{
	const char *w = cli_arg(args, "word");

	cli_printf(o, "%s%s%s\n", (const char *)arg, w ? " " : "",
		   w ? w : "");
	return 0;
}

static int
h_pair(struct cli_out *o, const struct cli_args *args, void *arg)
{
	const char *c = cli_arg_n(args, "uint32", 2);

	cli_printf(o, "pair %s %s %s\n", cli_arg(args, "uint32"),
		   cli_arg_n(args, "uint32", 1), c ? c : "-");
	return 0;
}

static int
h_fail(struct cli_out *o, const struct cli_args *args, void *arg)
{
	cli_error(o, "no such thing");
	return -ENOENT;
}

static int
check_vrf_name(const char *tok, const char **why)
{
	if (strlen(tok) > 0 && strlen(tok) <= 31)
		return 0;
	*why = "must be 1..31 characters";
	return -EINVAL;
}

/* Like the lead's VRF table: some names, and junk a completer may add. */
static void
complete_vrf_name(const char *prefix,
		  void (*add)(void *ctx, const char *candidate), void *ctx)
{
	static const char *const names[] = {
		"red", "blue", "black", "with blank", "", "blue",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		add(ctx, names[i]);
	add(ctx, NULL);
}

static const struct cli_arg_type vrf_name_type = {
	.name = "vrf-name",
	.help = "a VRF name, 1..31 characters",
	.check = check_vrf_name,
	.example = "blue",
	.complete = complete_vrf_name,
};

static const struct cli_command test_cmds[] = {
	{ "show ip route [vrf <vrf-name>]",
	  "Show running state\nIPv4\nIPv4 routing table\n"
	  "Select a VRF\nVRF name", h_route, NULL },
	{ "show ip route <ipv4-prefix> [vrf <vrf-name>]",
	  "Show running state\nIPv4\nIPv4 routing table\nPrefix to look up\n"
	  "Select a VRF\nVRF name", h_route, NULL },
	{ "show interface [<word>]",
	  "Show running state\nInterfaces\nInterface name",
	  h_print, "interface" },
	{ "set counter <uint32>", "Change settings\nA counter\nNew value",
	  h_print, "counter" },
	{ "set neighbour <ipv4> <word>",
	  "Change settings\nA static neighbour\nIts address\nIts MAC",
	  h_print, "neighbour" },
	{ "set pair <uint32> <uint32> [<uint32>]",
	  "Change settings\nTwo numbers\nFirst\nSecond\nThird",
	  h_pair, NULL },
	{ "echo <word>", "Print a word\nThe word", h_print, "echo" },
	{ "fail", "Fail with ENOENT", h_fail, NULL },
};

#define N_TEST_CMDS (sizeof(test_cmds) / sizeof(test_cmds[0]))

static int
setup(void **state)
{
	cli_registry_reset();
	if (cli_register_arg_type(&vrf_name_type) != 0 ||
	    cli_register(test_cmds, N_TEST_CMDS) != 0)
		return -1;
	out = cli_out_buffer();
	return out == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	cli_out_free(out);
	out = NULL;
	cli_registry_reset();
	return 0;
}

static int
run(const char *line)
{
	cli_out_reset(out);
	return cli_execute(line, out);
}

#define assert_run(line, rc, text) do { \
	assert_int_equal(run(line), (rc)); \
	assert_string_equal(cli_out_text(out), (text)); \
} while (0)

/* Send stderr to @p fd; returns the old stderr to restore. */
static int
redirect_stderr(int fd)
{
	int saved = dup(STDERR_FILENO);

	assert_true(saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	return saved;
}

static void
restore_stderr(int saved)
{
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* Bad rows are reported on stderr; keep the test log readable. */
static int
mute_stderr(void)
{
	FILE *null = fopen("/dev/null", "w");
	int saved;

	assert_non_null(null);
	saved = redirect_stderr(fileno(null));
	fclose(null);
	return saved;
}

/* Run @p fn with stderr captured; returns what it printed (static). */
static const char *
capture_stderr(int (*fn)(void), int *rc)
{
	static char buf[4096];
	FILE *tmp = tmpfile();
	size_t n;
	int saved;

	assert_non_null(tmp);
	saved = redirect_stderr(fileno(tmp));
	*rc = fn();
	restore_stderr(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void
test_exact(void **state)
{
	assert_run("show ip route", 0, "route prefix=- vrf=- kw=0\n");
	assert_run("show ip route 10.0.0.0/8", 0,
		   "route prefix=10.0.0.0/8 vrf=- kw=0\n");
	assert_run("  show\tip   route  ", 0, "route prefix=- vrf=- kw=0\n");
	assert_run("fail", -ENOENT, "% no such thing\n");
}

static void
test_prefix(void **state)
{
	assert_run("sh ip ro", 0, "route prefix=- vrf=- kw=0\n");
	assert_run("sh ip ro v blue", 0, "route prefix=- vrf=blue kw=1\n");
	assert_run("se c 7", 0, "counter\n");
	assert_run("ec hello", 0, "echo hello\n");
	assert_int_equal(run("he"), 0);
	assert_non_null(strstr(cli_out_text(out), "  help "));
}

static void
test_ambiguous(void **state)
{
	assert_run("s", -EINVAL, "% ambiguous command: \"s\" at word 1 (set, show)\n");
	assert_run("show i", -EINVAL,
		   "% ambiguous command: \"show i\" at word 2 (interface, "
		   "ip)\n");
	assert_run("e x", -EINVAL, "% ambiguous command: \"e\" at word 1 "
		   "(echo, enable, exit)\n");
	/* the same keyword in many commands is one candidate */
	assert_run("sho", -EINVAL,
		   "% incomplete command: \"sho\" at word 2\n"
		   "  interface  Interfaces\n"
		   "  ip         IPv4\n");
}

static void
test_unknown(void **state)
{
	assert_run("foo bar", -EINVAL, "% unknown command \"foo\" at word 1\n");
	assert_run("show bogus", -EINVAL,
		   "% unknown command \"show bogus\" at word 2\n");
	assert_run("", 0, "");
	assert_run(" \t ", 0, "");
}

static void
test_did_you_mean(void **state)
{
	/* a swap of neighbours is one edit */
	assert_run("shwo ip route", -EINVAL,
		   "% unknown command \"shwo\" at word 1; did you mean "
		   "\"show\"?\n");
	assert_run("ehco hi", -EINVAL,
		   "% unknown command \"ehco\" at word 1; did you mean "
		   "\"echo\"?\n");
	/* the words before stay as typed */
	assert_run("sh ip rute", -EINVAL, "% unknown command \"sh ip rute\" at word 3; "
		   "did you mean \"sh ip route\"?\n");
	assert_run("show interfaec", -EINVAL,
		   "% unknown command \"show interfaec\" at word 2; "
		   "did you mean \"show interface\"?\n");
	/* a typo of a keyword beats "not a prefix" */
	assert_run("show ip route vrff blue", -EINVAL,
		   "% unknown command \"show ip route vrff\" at word 4; "
		   "did you mean \"show ip route vrf\"?\n");
	/* nothing close: no hint */
	assert_run("xyz", -EINVAL, "% unknown command \"xyz\" at word 1\n");
	assert_run("shxyz", -EINVAL, "% unknown command \"shxyz\" at word 1\n");
	assert_run("set countr 5", -EINVAL,
		   "% unknown command \"set countr\" at word 2; "
		   "did you mean \"set counter\"?\n");
}

static void
test_incomplete(void **state)
{
	assert_run("show ip", -EINVAL,
		   "% incomplete command: \"show ip\" at word 3\n"
		   "  route  IPv4 routing table\n");
	assert_run("show ip route vrf", -EINVAL,
		   "% incomplete command: \"show ip route vrf\" at word 5\n"
		   "  <vrf-name>  VRF name\n");
}

static void
test_optional(void **state)
{
	assert_run("show ip route vrf blue", 0,
		   "route prefix=- vrf=blue kw=1\n");
	assert_run("show ip route 10.1.0.0/16 vrf red", 0,
		   "route prefix=10.1.0.0/16 vrf=red kw=1\n");
	assert_run("show interface", 0, "interface\n");
	assert_run("show interface eth0", 0, "interface eth0\n");
	/* a keyword beats an argument that would also take the word */
	assert_run("show ip route vrf vrf", 0,
		   "route prefix=- vrf=vrf kw=1\n");
	assert_run("set pair 1 2", 0, "pair 1 2 -\n");
	assert_run("set pair 1 2 3", 0, "pair 1 2 3\n");
}

static void
test_arg_types(void **state)
{
	assert_run("set counter 4294967295", 0, "counter\n");
	assert_run("set counter 0", 0, "counter\n");
	assert_run("set counter 4294967296", -EINVAL,
		   "% \"4294967296\" at word 3: <uint32> expected, e.g. 100 "
		   "(must be 0..4294967295)\n");
	/* a reason that only says what was expected is not repeated */
	assert_run("set counter -1", -EINVAL,
		   "% \"-1\" at word 3: <uint32> expected, e.g. 100\n");
	assert_run("set neighbour 10.0.0.1 aa:bb", 0, "neighbour aa:bb\n");
	assert_run("set neighbour 10.0.0.256 aa:bb", -EINVAL,
		   "% \"10.0.0.256\" at word 3: <ipv4> expected, e.g. "
		   "192.0.2.1\n");
	assert_run("set neighbour 10.0.0 aa:bb", -EINVAL,
		   "% \"10.0.0\" at word 3: <ipv4> expected, e.g. 192.0.2.1\n");
	assert_run("show ip route 10.0.0.0/33", -EINVAL,
		   "% \"10.0.0.0/33\" at word 4: <ipv4-prefix> expected, e.g. "
		   "10.0.0.0/8 "
		   "(prefix length must be 0..32)\n");
	assert_run("show ip route 10.0.0.1/8", -EINVAL,
		   "% \"10.0.0.1/8\" at word 4: <ipv4-prefix> expected, e.g. "
		   "10.0.0.0/8 "
		   "(host bits set (did you mean 10.0.0.0/8?))\n");
	assert_run("show ip route 10.0.0.0", -EINVAL,
		   "% \"10.0.0.0\" at word 4: <ipv4-prefix> expected, e.g. "
		   "10.0.0.0/8\n");
	assert_run("echo \"\"", -EINVAL,
		   "% \"\" at word 2: <word> expected, e.g. blue (must not be "
		   "empty)\n");
	assert_run("show ip route vrf 0123456789abcdef0123456789abcdef",
		   -EINVAL, "% \"0123456789abcdef0123456789abcdef\" at word 5: "
		   "<vrf-name> expected, e.g. blue "
		   "(must be 1..31 characters)\n");
}

static void
test_too_many(void **state)
{
	assert_run("show ip route vrf blue extra", -EINVAL,
		   "% too many arguments: \"show ip route vrf blue extra\" "
		   "at word 6\n");
	assert_run("fail now", -EINVAL,
		   "% too many arguments: \"fail now\" at word 2\n");
	assert_run("set pair 1 2 3 4", -EINVAL,
		   "% too many arguments: \"set pair 1 2 3 4\" at word 6\n");
}

static void
test_help(void **state)
{
	/* one summary per command: the verb's; long syntaxes wrap */
	assert_run("help", 0,
		   "  disable                                "
		   "Back to read-only mode: show commands only\n"
		   "  echo <word>                            "
		   "Print a word (privileged)\n"
		   "  enable                                 "
		   "Privileged mode: may change the router\n"
		   "  exit                                   "
		   "Close this CLI session\n"
		   "  fail                                   "
		   "Fail with ENOENT (privileged)\n"
		   "  help                                   "
		   "List every command with a summary\n"
		   "  quit                                   "
		   "Close this CLI session\n"
		   "  set counter <uint32>                   "
		   "A counter (privileged)\n"
		   "  set neighbour <ipv4> <word>            "
		   "A static neighbour (privileged)\n"
		   "  set pair <uint32> <uint32> [<uint32>]  "
		   "Two numbers (privileged)\n"
		   "  show interface [<word>]                "
		   "Interfaces (privileged)\n"
		   "  show ip route <ipv4-prefix> [vrf <vrf-name>]\n          "
		   "                               "
		   "IPv4 routing table (privileged)\n"
		   "  show ip route [vrf <vrf-name>]         "
		   "IPv4 routing table (privileged)\n");
}

static void
test_question(void **state)
{
	assert_run("show ?", 0,
		   "  interface  Interfaces\n"
		   "  ip         IPv4\n");
	assert_run("sh ip route ?", 0,
		   "  <ipv4-prefix>  Prefix to look up\n"
		   "  vrf            Select a VRF\n"
		   "  <cr>\n");
	assert_run("show interface ?", 0,
		   "  <word>  Interface name\n"
		   "  <cr>\n");
	assert_run("?", 0,
		   "  disable  Back to read-only mode: show commands only\n"
		   "  echo     Print a word\n"
		   "  enable   Privileged mode: may change the router\n"
		   "  exit     Close this CLI session\n"
		   "  fail     Fail with ENOENT\n"
		   "  help     List every command with a summary\n"
		   "  quit     Close this CLI session\n"
		   "  set      Change settings\n"
		   "  show     Show running state\n");
	assert_run("show bogus ?", -EINVAL,
		   "% unknown command \"show bogus\" at word 2\n");
	/* quoted, it is a value */
	assert_run("echo \"?\"", 0, "echo ?\n");
	assert_run("echo \"a\"?", 0, "echo a?\n");
}

static void
test_question_partial(void **state)
{
	assert_run("sh?", 0, "  show  Show running state\n");
	assert_run("show i?", 0,
		   "  interface  Interfaces\n"
		   "  ip         IPv4\n");
	/* a value may be typed here too, so arguments are listed */
	assert_run("sh ip ro v?", 0,
		   "  <ipv4-prefix>  Prefix to look up\n"
		   "  vrf            Select a VRF\n");
	assert_run("show ip?", 0, "  ip    IPv4\n");
	assert_run("shwo?", -EINVAL,
		   "% unknown command \"shwo\" at word 1; did you mean "
		   "\"show\"?\n");
	assert_run("show x?", -EINVAL, "% unknown command \"show x\" at word 2\n");
}

static int
help_at(const char *line, size_t cursor)
{
	cli_out_reset(out);
	return cli_help_at(line, cursor, out);
}

static void
test_help_at(void **state)
{
	/* after the blank: what follows "show" */
	assert_int_equal(help_at("show ip route", 5), 0);
	assert_string_equal(cli_out_text(out),
			    "  interface  Interfaces\n"
			    "  ip         IPv4\n");
	/* inside the first word: what "sh" may be */
	assert_int_equal(help_at("show ip route", 2), 0);
	assert_string_equal(cli_out_text(out), "  show  Show running state\n");
	assert_int_equal(help_at("set counter 5", 12), 0);
	assert_string_equal(cli_out_text(out), "  <uint32>  New value\n");
	assert_int_equal(help_at("set counter 5", 99), 0);
	assert_string_equal(cli_out_text(out), "  <uint32>  New value\n");
	assert_int_equal(help_at("", 0), 0);
	assert_non_null(strstr(cli_out_text(out), "  show     Show running"));
	assert_int_equal(help_at("echo \"a b", 9), -EINVAL);
	assert_string_equal(cli_out_text(out),
			    "% unterminated quoted string at word 2\n");
	assert_int_equal(cli_help_at(NULL, 0, out), 0);
}

/* cli_complete() as one string: "start:open:cand,cand,..." */
static const char *
complete(const char *line, size_t cursor)
{
	static char buf[512];
	struct cli_completions c;
	size_t off;
	unsigned int i;
	int n;

	n = cli_complete(line, cursor, &c);
	assert_int_equal(n, (int)c.n);
	off = snprintf(buf, sizeof(buf), "%zu:%d:", c.start, c.open);
	for (i = 0; i < c.n; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				i ? "," : "", c.v[i]);
	cli_completions_free(&c);
	assert_int_equal(c.n, 0);
	assert_null(c.v);
	return buf;
}

static void
test_complete_keywords(void **state)
{
	assert_string_equal(complete("sh", 2), "0:0:show");
	assert_string_equal(complete("s", 1), "0:0:set,show");
	assert_string_equal(complete("", 0),
			    "0:0:disable,echo,enable,exit,fail,help,quit,set,"
			    "show");
	assert_string_equal(complete("show i", 6), "5:0:interface,ip");
	assert_string_equal(complete("sh ip ro", 8), "6:0:route");
	/* the cursor, not the end of the line, counts */
	assert_string_equal(complete("sh ip ro", 2), "0:0:show");
	assert_string_equal(complete("show ip route", 99), "8:0:route");
	/* a value may also come: open */
	assert_string_equal(complete("show ip route ", 14), "14:1:vrf");
	assert_string_equal(complete("echo ", 5), "5:1:");
	assert_string_equal(complete("fail ", 5), "5:0:");
	/* after a word that went wrong, or inside quotes: nothing */
	assert_string_equal(complete("bogus ", 6), "6:0:");
	assert_string_equal(complete("s x", 3), "2:0:");
	assert_string_equal(complete("echo \"a", 7), "5:0:");
	assert_string_equal(complete("echo \"a b", 9), "8:0:");
	/* NULL is an empty line */
	assert_string_equal(complete(NULL, 0),
			    "0:0:disable,echo,enable,exit,fail,help,quit,set,"
			    "show");
}

static void
test_complete_values(void **state)
{
	/* sorted, unique, blank-free, non-empty, filtered by the prefix */
	assert_string_equal(complete("show ip route vrf ", 18),
			    "18:0:black,blue,red");
	assert_string_equal(complete("show ip route vrf bl", 20),
			    "18:0:black,blue");
	assert_string_equal(complete("sh ip ro 10.0.0.0/8 v r", 23),
			    "22:0:red");
	assert_string_equal(complete("show ip route vrf x", 19), "18:0:");
}

static void
test_quotes(void **state)
{
	assert_run("echo \"a b\"", 0, "echo a b\n");
	assert_run("echo \"say \\\"hi\\\"\"", 0, "echo say \"hi\"\n");
	assert_run("echo pre\"fix suf\"fix", 0, "echo prefix suffix\n");
	assert_run("echo \"open", -EINVAL,
		   "% unterminated quoted string at word 2\n");
	assert_run("show ip route vrf \"blue sky\"", 0,
		   "route prefix=- vrf=blue sky kw=1\n");
}

static void
test_line_too_long(void **state)
{
	char line[CLI_LINE_MAX + 2];

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_run(line, -EINVAL, "% line too long\n");
	/* exactly CLI_LINE_MAX bytes is still a line */
	memcpy(line, "echo ", 5);
	line[CLI_LINE_MAX] = '\0';
	assert_int_equal(run(line), 0);
	assert_int_equal(strlen(cli_out_text(out)), CLI_LINE_MAX + 1);
}

/* Help with one line too few: the drift check. */
static const struct cli_command drift_cmds[] = {
	{ "good one", "Good\nOne", h_fail, NULL },
	{ "show drift [vrf <vrf-name>]", "Show\nDrift\nSelect a VRF",
	  h_fail, NULL },
};

static int
register_drift(void)
{
	return cli_register(drift_cmds, 2);
}

static void
test_drift(void **state)
{
	const char *err;
	int rc;

	err = capture_stderr(register_drift, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, "cli: \"show drift [vrf <vrf-name>]\": "
			    "4 tokens but 3 help lines\n");
	/* all or nothing: the good row was not registered either */
	assert_run("good one", -EINVAL, "% unknown command \"good\" at word 1\n");
	assert_int_equal(cli_registry_check(drift_cmds, 1), 0);
}

static void
test_bad_grammar(void **state)
{
	static const struct cli_command bad[] = {
		{ "a [b [c]]", "A\nB\nC", h_fail, NULL },
		{ "a <nosuch>", "A\nB", h_fail, NULL },
		{ "a [b", "A\nB", h_fail, NULL },
		{ "a b]", "A\nB", h_fail, NULL },
		{ "<word> a", "A\nB", h_fail, NULL },
		{ "[a] b", "A\nB", h_fail, NULL },
		{ "a []", "A", h_fail, NULL },
		{ "a\"b", "A", h_fail, NULL },
		{ "a b", "A\n\nB", h_fail, NULL },
		{ "a b", "A\nB", NULL, NULL },
		{ "", "", h_fail, NULL },
	};
	static const struct cli_command ok = { "a b", "A\nB\n", h_fail, NULL };
	unsigned int i;
	int saved = mute_stderr();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cli_register(&bad[i], 1) != -EINVAL)
			fail_msg("row %u \"%s\" accepted", i, bad[i].syntax);
	restore_stderr(saved);
	/* a trailing newline after the last help line is tolerated */
	assert_int_equal(cli_register(&ok, 1), 0);
}

static void
test_eexist(void **state)
{
	static const struct cli_command again = {
		"show  ip route [ vrf <vrf-name> ]",
		"S\nI\nR\nV\nN", h_fail, NULL,
	};
	static const struct cli_command builtin = { "help", "H", h_fail, NULL };
	int saved = mute_stderr();

	assert_int_equal(cli_register(test_cmds, N_TEST_CMDS), -EEXIST);
	assert_int_equal(cli_register(&again, 1), -EEXIST);
	assert_int_equal(cli_register(&builtin, 1), -EEXIST);
	restore_stderr(saved);
	assert_int_equal(cli_register_arg_type(&vrf_name_type), -EEXIST);
	assert_int_equal(cli_register_arg_type(&(struct cli_arg_type){
		.name = "Bad Name", .check = check_vrf_name }), -EINVAL);
	/* the registry still works as before */
	assert_run("sh ip ro", 0, "route prefix=- vrf=- kw=0\n");
}

static void
test_quit(void **state)
{
	assert_false(cli_out_close_requested(out));
	assert_run("quit", 0, "");
	assert_true(cli_out_close_requested(out));
	assert_run("exit", 0, "");
	assert_true(cli_out_close_requested(out));
	assert_run("show ip route", 0, "route prefix=- vrf=- kw=0\n");
	assert_false(cli_out_close_requested(out));
}

/* Issue 19.9: the summary of a command is its verb's help, not the help
 * of the last keyword (on main, "neighbour add" said "On this
 * interface"), and a long syntax does not push every summary right. */
static const struct cli_command verb_cmds[] = {
	{ "neighbour add <ipv4> mac <word> interface <word>",
	  "Static ARP entries\nAdd a static neighbour\nIts address\n"
	  "Its MAC\nMAC address\nOn this interface\nInterface name",
	  h_print, "n" },
	{ "interface <word> down", "Change an interface\nInterface name\n"
	  "Administratively down", h_print, "i", .summary = "Take it down" },
	{ "show everything [a <word>] [b <word>] [c <word>] [d <word>] "
	  "[e <word>] [f <word>]", "Show\nAll\nA\nA\nB\nB\nC\nC\nD\nD\n"
	  "E\nE\nF\nF", h_print, "e", true },
};

static void
test_summary_verb(void **state)
{
	const char *text;
	char want[128];

	assert_int_equal(cli_register(verb_cmds, 3), 0);
	assert_run("help | include ^..neighbour", 0,
		   "  neighbour add <ipv4> mac <word> interface <word>\n");
	assert_int_equal(run("help"), 0);
	text = cli_out_text(out);
	assert_non_null(strstr(text, "Add a static neighbour (privileged)\n"));
	assert_null(strstr(text, "On this interface"));
	assert_non_null(strstr(text, "Take it down (privileged)\n"));
	/* every summary starts at one column, that of the longest syntax
	 * up to 40 ("set pair ...", 37); longer ones wrap */
	snprintf(want, sizeof(want), "[f <word>]\n%*sAll\n", 2 + 37 + 2, "");
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "  set counter <uint32>%*sA counter",
		 37 - 20 + 2, "");
	assert_non_null(strstr(text, want));
}

/* Issue 20.6: a read-only session runs read-only rows only. */
static void
test_privilege(void **state)
{
	assert_int_equal(cli_register(verb_cmds, 3), 0);
	cli_out_set_privileged(out, false);
	assert_run("set counter 5", -EPERM,
		   "% \"set counter <uint32>\" changes the router: this "
		   "session may only look; \"enable\" first\n");
	assert_run("show everything a 1", 0, "e 1\n");
	assert_run("help | include ^  help", 0,
		   "  help                                   "
		   "List every command with a summary\n");
	assert_run("enable", 0, "");
	assert_true(cli_out_enable_requested(out));
	assert_false(cli_out_enable_requested(out));
	cli_out_set_privileged(out, true);
	assert_run("set counter 5", 0, "counter\n");
	assert_run("enable", 0, "");
	assert_false(cli_out_enable_requested(out)); /* already privileged */
	assert_run("disable", 0, "");
	assert_false(cli_out_privileged(out));
	cli_out_set_privileged(out, true);
}

/* Issue 19.10: | include / | exclude on any command. */
static void
test_pipe(void **state)
{
	/* quoted, a '|' belongs to the expression */
	assert_run("help | include \"^  (quit|exit)\"", 0,
		   "  exit                                   "
		   "Close this CLI session\n"
		   "  quit                                   "
		   "Close this CLI session\n");
	assert_run("help | include ^..[eq] | exclude ^..e", 0,
		   "  quit                                   "
		   "Close this CLI session\n");
	assert_run("help | inc \"quit \"", 0,
		   "  quit                                   "
		   "Close this CLI session\n");
	/* an error is never filtered away */
	assert_run("fail | include nothing", -ENOENT, "% no such thing\n");
	assert_run("echo \"a|b\" | include a", 0, "echo a|b\n");
	assert_run("help | grep x", -EINVAL,
		   "% filter \"grep\": expected include or exclude\n");
	assert_run("help | include", -EINVAL,
		   "% filter \"| include\": expected \"include REGEX\" or "
		   "\"exclude REGEX\"\n");
	assert_run("help | include (", -EINVAL,
		   "% filter \"(\": not a regular expression\n");
	assert_run("exit | include x", 0, "");
	assert_true(cli_out_close_requested(out));
}

/* Issue 19.10: the same rows as aligned text or, after | json, JSON. */
static const struct cli_col tab_cols[] = {
	{ "name", 6 }, { "state", 5 }, { "count", 0, true },
};

static int
h_table(struct cli_out *o, const struct cli_args *args, void *arg)
{
	struct cli_table t = { tab_cols, 3, .header = true };

	cli_table_begin(o, &t);
	cli_table_row(o, &t, (const char *const[]){ "a\"b", "up", "12" });
	cli_table_row(o, &t, (const char *const[]){ "c", "down", "-" });
	cli_table_end(o, &t);
	return 0;
}

static const struct cli_command table_cmds[] = {
	{ "show table", "Show\nA table", h_table, NULL, true },
};

static void
test_table_json(void **state)
{
	assert_int_equal(cli_register(table_cmds, 1), 0);
	assert_run("show table", 0,
		   "name   state count\n"
		   "a\"b    up    12\n"
		   "c      down  -\n");
	assert_run("show table | json", 0,
		   "[\n  {\"name\": \"a\\\"b\", \"state\": \"up\", "
		   "\"count\": 12},\n"
		   "  {\"name\": \"c\", \"state\": \"down\", "
		   "\"count\": \"-\"}\n]\n");
	assert_run("show table | json | include a", -EINVAL,
		   "% \"| json\" goes alone: JSON is filtered by its reader "
		   "(jq)\n");
	assert_run("echo x | json", -EINVAL,
		   "% \"echo x\" has no JSON output\n");
}

static const struct cli_command doc_cmds[] = {
	{ "show ip route [vrf <vrf-name>]",
	  "Show running state\nIPv4\nIPv4 routing table\n"
	  "Select a VRF\nVRF name", h_route, NULL },
	{ "clear counters", "Reset state\nEvery counter | all ports",
	  h_fail, NULL },
};

static void
test_doc(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	cli_registry_reset();
	assert_int_equal(cli_register_arg_type(&vrf_name_type), 0);
	assert_int_equal(cli_register(doc_cmds, 2), 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(cli_doc_write(f), 0);
	fclose(f);
	assert_non_null(strstr(text, "# ferry CLI reference\n"));
	assert_non_null(strstr(text,
		"### `clear counters`\n\n"
		"Every counter \\| all ports\n\n"
		"Privilege: privileged\n\n"
		"| token | meaning |\n|---|---|\n"
		"| `clear` | Reset state |\n"
		"| `counters` | Every counter \\| all ports |\n\n"
		"### `disable`\n"));
	assert_non_null(strstr(text,
		"### `show ip route [vrf <vrf-name>]`\n\n"
		"IPv4 routing table\n\n"
		"Privilege: privileged\n\n"
		"| token | meaning |\n|---|---|\n"
		"| `show` | Show running state |\n"
		"| `ip` | IPv4 |\n"
		"| `route` | IPv4 routing table |\n"
		"| `vrf` | Select a VRF (optional) |\n"
		"| `<vrf-name>` | VRF name (optional) |\n\n"
		"## Argument types\n"));
	assert_non_null(strstr(text,
		"## Argument types\n\n| type | value | example |\n"
		"|---|---|---|\n"
		"| `<ip-proto>` | IP protocol: tcp, udp, icmp, esp, gre, "
		"ospf, ... or 0..255 | `tcp` |\n"
		"| `<ipv4>` | an IPv4 address a.b.c.d | `192.0.2.1` |\n"));
	assert_non_null(strstr(text,
		"| `<uint32>` | a decimal number 0..4294967295 | `100` |\n"
		"| `<vrf-name>` | a VRF name, 1..31 characters | `blue` |\n"
		"| `<word>` | any word; quote it (\"...\") to include "
		"blanks | `blue` |\n"));
	/* sorted: clear < exit < help < quit < show */
	assert_true(strstr(text, "### `clear") < strstr(text, "### `help"));
	assert_true(strstr(text, "### `quit") < strstr(text, "### `show"));
	free(text);
}

/* The "cli" configuration section. */

static const struct cfg_section *const cli_sections[] = { &cli_cfg_section };

static int
load(const char *text, struct cfg_model **model, struct cfg_diag *diag)
{
	memset(diag, 0, sizeof(*diag));
	*model = NULL;
	return cfg_load_string("test.cfg", text, cli_sections, 1, model, diag);
}

static void
test_config_defaults(void **state)
{
	struct cli_server_params p = { .banner = "b", .prompt = "p" };
	const struct cli_conf *c;
	struct cfg_model *model;
	struct cfg_diag diag;

	assert_int_equal(load("cli = { port = 0; idle_timeout = 0; };\n",
			      &model, &diag), 0);
	c = cfg_model_section(model, "cli");
	assert_non_null(c);
	assert_string_equal(c->address, "127.0.0.1");
	assert_int_equal(c->port, 0);
	assert_int_equal(c->max_sessions, 8);
	assert_int_equal(c->idle_timeout, 0);
	cli_server_params_from_conf(c, &p);
	assert_string_equal(p.address, "127.0.0.1");
	assert_int_equal(p.port, 0);
	assert_int_equal(p.max_sessions, 8);
	assert_int_equal(p.idle_timeout_s, 0);
	assert_string_equal(p.banner, "b");
	cfg_model_free(model);
}

static void
test_config_errors(void **state)
{
	struct cfg_model *model;
	struct cfg_diag diag;

	assert_int_equal(load("cli = { port = 70000; };\n", &model, &diag),
			 -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0],
			    "test.cfg:1: cli.port: 70000: must be 0..65535");
	cfg_diag_free(&diag);
	cfg_model_free(model);

	assert_int_equal(load("# listen\ncli = {\n"
			      "  address = \"10.0.0\";\n};\n",
			      &model, &diag), -EINVAL);
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msg[0],
			    "test.cfg:3: cli.address: \"10.0.0\": "
			    "expected an IPv4 address a.b.c.d");
	cfg_diag_free(&diag);
	cfg_model_free(model);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_did_you_mean, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incomplete, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_optional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arg_types, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_question, setup, teardown),
		cmocka_unit_test_setup_teardown(test_question_partial, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_help_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_keywords, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_complete_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_drift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_grammar, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_eexist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_verb, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_privilege, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_json, setup,
						teardown),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
