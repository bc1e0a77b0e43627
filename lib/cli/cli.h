/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry management CLI: a command registry and a telnet server, both run
 * by the management lcore only.
 *
 * Each library declares its commands in one table of struct cli_command
 * and registers it once at start (cli_register()). A row carries the
 * grammar, the help of every token and the handler, so tokenizing, arity
 * and type checks, `help`, `?` and the generated doc/cli.md all come from
 * the same place.
 *
 * Grammar of cli_command.syntax, tokens separated by single spaces:
 *   word         a keyword, matched exactly (or by a unique prefix)
 *   <name>       a typed argument; the type is the registered argument
 *                type called <name> (see cli_arg_type), for example
 *                <vrf-name>, <ipv4-prefix>, <uint32>
 *   [ ... ]      an optional group of tokens; groups do not nest
 * Example: "show ip route [vrf <vrf-name>]"
 *
 * cli_command.help holds one line per token, in the order of the tokens
 * of .syntax (brackets are not tokens), separated by '\n', as FRR's
 * DEFUN help strings are. A registry self-check (cli_registry_check())
 * verifies the counts match, so help cannot drift from grammar.
 *
 * Handlers get the matched arguments and a sink to write to; they return
 * 0, or -errno after writing one line of error with cli_error().
 * Unknown commands and bad arguments are answered by the registry with
 * one line "% ..." and change nothing.
 *
 * An argument type may give an example value, shown after a bad one,
 * and a completer listing its values (VRF names, interface names) for
 * Tab. cli_complete() and cli_help_at() say what Tab and `?` offer at a
 * cursor; the telnet server's line editor and the tests share them.
 */
#ifndef FERRY_CLI_H
#define FERRY_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cli_out;  /* where a command's output goes (a session, a buffer) */
struct cli_args; /* the arguments a line matched */
struct cli_server;
struct cfg_section;

/** Longest line the CLI accepts, in bytes (longer: "% line too long"). */
#define CLI_LINE_MAX 1024
/** Most tokens in one command's syntax (brackets are not tokens). */
#define CLI_MAX_TOKENS 32

/**
 * A typed argument: name as used in syntax, how to check a value and,
 * optionally, how to complete one. New fields go last, so tables that
 * set only the first three stay valid.
 */
struct cli_arg_type {
	const char *name; /**< "vrf-name", "ipv4-prefix", ... */
	const char *help; /**< shown when a value is missing or wrong */
	/**
	 * 0 if @p tok is a valid value; else -EINVAL, and @p why may be
	 * set to a one-line reason ("prefix length must be 0..32"). A
	 * reason starting with "expected" is not shown: the error line
	 * already says what was expected.
	 */
	int (*check)(const char *tok, const char **why);
	/** A valid value, shown after a bad one ("10.0.0.0/8"); or NULL. */
	const char *example;
	/**
	 * Offer the values starting with @p prefix (Tab in the telnet CLI):
	 * call @p add once per value, on this stack (it copies). Values not
	 * starting with @p prefix, empty or holding blanks or quotes are
	 * dropped, duplicates merged. NULL: the values cannot be listed.
	 */
	void (*complete)(const char *prefix,
			 void (*add)(void *ctx, const char *candidate),
			 void *ctx);
};

/** One command. */
struct cli_command {
	const char *syntax; /**< grammar, see the file comment */
	const char *help;   /**< one line per token, '\n' separated */
	/** Run the command. @return 0, or -errno after cli_error(). */
	int (*handler)(struct cli_out *out, const struct cli_args *args,
		       void *arg);
	void *arg;          /**< passed to the handler */
	/**
	 * True: the command only looks (show ...), and any session may run
	 * it. False (the default, so a row that forgets says so safely):
	 * it changes something and needs a privileged session (`enable`,
	 * a login that grants it, or the Unix socket). doc/cli.md lists it.
	 */
	bool read_only;
	/**
	 * What the command does, for `help` and doc/cli.md; NULL: the help
	 * of the last keyword before the first argument or option group
	 * (the verb: "Add a static neighbour" of "neighbour add <ipv4>
	 * mac ...").
	 */
	const char *summary;
};

/**
 * Register a table of @p n commands (the table must outlive the
 * registry). Also registers nothing twice: an identical syntax already
 * present is an error.
 * @return 0, -EINVAL (bad grammar, unknown argument type, help lines not
 *         matching tokens) or -EEXIST.
 */
int cli_register(const struct cli_command *cmds, unsigned int n);

/**
 * Check a table without registering it: grammar, argument types known,
 * one help line per token, a handler on every row. Each problem is
 * printed to stderr with the syntax it is about. cli_register() runs
 * this first; a library's unit test can run it on its own table.
 * @return 0 or -EINVAL.
 */
int cli_registry_check(const struct cli_command *cmds, unsigned int n);

/**
 * Register an argument type (the table must outlive the registry);
 * built in: uint32, ipv4, ipv4-prefix, word.
 */
int cli_register_arg_type(const struct cli_arg_type *type);

/** Forget every registered command and type (tests, shutdown). */
void cli_registry_reset(void);

/**
 * Parse and run one line. Leading/trailing blanks and an empty line are
 * fine (nothing runs). "help" lists every command with its help;
 * "<words> ?" lists what may follow, "<words> pre?" what the partial
 * word "pre" may become (as cli_help_at()). Errors are one line:
 *   % unknown command "shwo"; did you mean "show"?
 *   % "10.0.0.0/33": <ipv4-prefix> expected, e.g. 10.0.0.0/8 (why)
 * and "% ambiguous command: ...", "% incomplete command: ..." (followed
 * by what may come next), "% too many arguments: ...".
 * @return the handler's result, 0 for empty/help lines, -EINVAL for a
 *         line that matched no command or had a bad argument.
 */
int cli_execute(const char *line, struct cli_out *out);

/**
 * Context help for the first @p cursor bytes of @p line, what `?` shows
 * there: after a blank, every token that may come next ("<cr>" if the
 * command may end); inside a word, the tokens that word may become.
 * @return 0, or -EINVAL after writing an error line.
 */
int cli_help_at(const char *line, size_t cursor, struct cli_out *out);

/** What cli_complete() found. */
struct cli_completions {
	char **v;          /**< candidates, sorted and unique */
	unsigned int n;
	size_t start;      /**< offset in the line of the word completed */
	/**
	 * A value no candidate shows may also come here (an argument type
	 * without a completer, such as <ipv4-prefix>).
	 */
	bool open;
};

/**
 * Complete the word that ends at @p cursor in @p line: the keywords that
 * may come at that place and the values the argument types' completers
 * offer, all starting with the part of the word before the cursor.
 * Nothing is offered inside a quoted string or after a word that does
 * not match. Free @p c with cli_completions_free().
 * @return the number of candidates, or -ENOMEM.
 */
int cli_complete(const char *line, size_t cursor, struct cli_completions *c);

/** Free the candidates of @p c (and zero it). */
void cli_completions_free(struct cli_completions *c);

/** Value of the argument named @p name ("vrf-name"), or NULL if absent. */
const char *cli_arg(const struct cli_args *args, const char *name);

/**
 * Value of the @p i-th (from 0) argument named @p name, for commands
 * that use a type more than once; NULL if absent.
 */
const char *cli_arg_n(const struct cli_args *args, const char *name,
		      unsigned int i);

/** The @p i-th (from 0) <uint32> argument of the line, or 0 if absent
 *  (the registry has checked its syntax and range already). */
uint32_t cli_arg_u32_n(const struct cli_args *args, unsigned int i);

/** The value of the argument right after keyword @p word ("cir" in
 *  "... cir <bit-rate>"), or NULL if the line has no such keyword (for
 *  optional groups that share an argument type). */
const char *cli_arg_after(const struct cli_args *args, const char *word);

/** True if the keyword @p word appears in the matched line. */
bool cli_has_word(const struct cli_args *args, const char *word);

/** printf to the command's output. */
void cli_printf(struct cli_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** One line of error, written as "% <text>\n". */
void cli_error(struct cli_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * A command's usual ending: @p rc from a library call that wrote its
 * reason to @p err; on failure (< 0) that reason becomes the error line.
 * @return @p rc
 */
int cli_result(struct cli_out *out, int rc, const char *err);

/**
 * Whether commands written to @p out may change things (privileged) or
 * only look (read-only rows, see cli_command.read_only). Buffer and file
 * sinks start privileged (they are in-process callers); a session's
 * sink is set by the server from its login.
 */
void cli_out_set_privileged(struct cli_out *out, bool privileged);
bool cli_out_privileged(const struct cli_out *out);

/**
 * Ask the owner of @p out for the enable secret (the built-in `enable`
 * does this on a read-only session); see cli_out_enable_requested().
 */
void cli_out_request_enable(struct cli_out *out);
/** True once after cli_out_request_enable() (the request is consumed). */
bool cli_out_enable_requested(struct cli_out *out);

/**
 * Tables of show commands: one set of rows, aligned text or (after
 * `| json`) a JSON array of objects keyed by column name.
 *
 *   static const struct cli_col cols[] = {
 *           { "prefix", 18 }, { "via", 15 }, { "metric", 6, true },
 *   };
 *   struct cli_table t = { cols, 3, .header = true };
 *   cli_table_begin(out, &t);
 *   cli_table_row(out, &t, (const char *[]){ "10.0.0.0/8", "-", "1" });
 *   cli_table_end(out, &t);
 */
struct cli_col {
	const char *name;  /**< header word and JSON key */
	int width;         /**< text: padded to this (not the last column) */
	bool number;       /**< JSON: written as a number when it is one */
	bool right;        /**< text: aligned right in its width */
};

#define CLI_TABLE_COLS_MAX 16

struct cli_table {
	const struct cli_col *cols;
	unsigned int n;    /**< columns, at most CLI_TABLE_COLS_MAX */
	bool header;       /**< text: a header row first */
	unsigned int rows; /**< written so far (set by the functions) */
};

void cli_table_begin(struct cli_out *out, const struct cli_table *t);
/** One row: @p v holds t->n strings. */
void cli_table_row(struct cli_out *out, struct cli_table *t,
		   const char *const *v);
void cli_table_end(struct cli_out *out, const struct cli_table *t);

/**
 * What a show command prints when it has nothing to list, instead of a
 * bare header or nothing: "no WHAT" (lower-case plural, e.g. "no LSPs",
 * "no bridge domains"), one wording for every library. Nothing in
 * JSON: a command with JSON output prints its empty table ("[]"), one
 * without stays without. Status lines a command always prints (a
 * summary, a global setting) may come before it.
 */
void cli_empty(struct cli_out *out, const char *what);

/**
 * The IP protocol of a CLI word: a name (icmp, igmp, tcp, udp, gre,
 * esp, ah, ospf, pim, vrrp, sctp: IANA's keywords, lower case) or a
 * decimal 0..255 without sign or leading zero. The built-in argument
 * type <ip-proto> checks with it, so every command that takes a
 * protocol (ACL rules, IPsec SPD, trace filters) reads the same words.
 * @return the number, or -EINVAL.
 */
int cli_ip_proto_parse(const char *tok);

/** The name of protocol @p proto if it has one here, else NULL. */
const char *cli_ip_proto_name(unsigned int proto);

/** True if the command's output is to be JSON (`| json`). */
bool cli_out_json(const struct cli_out *out);

/** An output sink into a growing memory buffer (tests, ferryctl). */
struct cli_out *cli_out_buffer(void);
/** The buffer's text so far (NUL-terminated); NULL for other sinks. */
const char *cli_out_text(const struct cli_out *out);
void cli_out_free(struct cli_out *out);

/** Empty a buffer sink's text and its close request (tests). */
void cli_out_reset(struct cli_out *out);

/** An output sink onto a stdio stream. */
struct cli_out *cli_out_file(FILE *f);

/**
 * Ask whoever owns @p out to end the session once the command returns
 * (the built-in quit and exit do this; the telnet server obeys).
 */
void cli_out_request_close(struct cli_out *out);
bool cli_out_close_requested(const struct cli_out *out);

/** Write the Markdown command reference (doc/cli.md) from the registry. */
int cli_doc_write(FILE *f);

/* Telnet server (management lcore only; never blocks). */

/** Server parameters; defaults come from the "cli" config section. */
struct cli_server_params {
	char address[64];        /**< IPv4 listen address */
	uint16_t port;           /**< TCP port */
	unsigned int max_sessions;
	unsigned int idle_timeout_s; /**< 0 = never */
	const char *banner;      /**< first line sent to a session;
				  *   NULL = "ferry <version>" */
	const char *prompt;      /**< e.g. "ferry> " (the default, NULL) */
	const char *password;    /**< crypt(3) hash a session must match
				  *   before any command; NULL or "" = none */
	/**
	 * crypt(3) hash `enable` asks for; NULL or "" = none. Without one,
	 * a login with @p password is privileged at once, and a session
	 * without a password can never be.
	 */
	const char *enable_secret;
	/** Seconds a TCP session may take to log in (no password: to send
	 *  its first line); 0 = no limit. */
	unsigned int login_timeout_s;
	/** TCP sessions from one address at once; 0 = no limit. */
	unsigned int max_per_source;
	/**
	 * A Unix socket to listen on as well; NULL or "" = none. Its
	 * sessions are privileged (whoever may open the file may change
	 * the router, as with FRR's vtysh and VPP's cli.sock) and have one
	 * slot of their own beyond max_sessions.
	 */
	const char *unix_path;
	unsigned int unix_mode;  /**< its file mode; 0 = 0660 */
	const char *unix_group;  /**< its group's name; NULL or "" = ours */
};

/**
 * Register the server's own commands (`show cli`); they report on the
 * server created last. @return 0 or as cli_register().
 */
int cli_server_register_commands(void);

/**
 * Listen on address:port (SO_REUSEADDR, non-blocking).
 * @return the server, or NULL with errno set (EADDRINUSE, ...).
 */
struct cli_server *cli_server_create(const struct cli_server_params *p);

/**
 * Accept sessions, read what they sent, run complete lines, write
 * output. Waits at most @p timeout_ms for activity (0 = just poll).
 * A telnet client that agrees to the server's WILL ECHO gets character
 * mode with line editing, history, `?` and Tab (see telnet.c); any
 * other client (nc, a pipe, ferryctl) stays in line mode. Telnet IAC
 * sequences never reach commands.
 * @return 0, or -errno on a listener failure.
 */
int cli_server_poll(struct cli_server *srv, int timeout_ms);

/**
 * The management clock: CLOCK_MONOTONIC in milliseconds. ferry passes
 * it to every control poll (route_control_poll(), ...), so an age a
 * library shows is its stamp read against this same clock, never the
 * TSC's.
 */
uint64_t cli_now_ms(void);

/** The port actually bound (useful with port 0 in tests). */
uint16_t cli_server_port(const struct cli_server *srv);

/** Close every session and the listener. NULL does nothing. */
void cli_server_free(struct cli_server *srv);

/* The "cli" configuration section (see lib/config). */

/** Where the CLI's Unix socket is unless cli.socket says otherwise. */
#define CLI_SOCKET_DEFAULT "/run/ferry/cli.sock"

/** What the "cli" section of the configuration file holds. */
struct cli_conf {
	char address[64];      /**< IPv4 listen address */
	uint16_t port;         /**< TCP port; 0 = pick a free one */
	uint32_t max_sessions; /**< 1..64 */
	uint32_t idle_timeout; /**< seconds without input; 0 = never */
	char password[160];    /**< crypt(3) hash ("$6$salt$hash"); "" = none */
	char enable_secret[160]; /**< crypt(3) hash for `enable`; "" = none */
	uint32_t login_timeout;  /**< seconds to log in; 0 = no limit */
	uint32_t max_per_source; /**< TCP sessions per address; 0 = no limit */
	char socket[108];        /**< Unix socket path; "none" = no socket */
	char socket_mode[8];     /**< octal file mode, "0660" */
	char socket_group[64];   /**< group owning it; "" = ferry's own */
};

/**
 * True if @p hash is a crypt(3) hash this system can check a password
 * against (e.g. SHA-512-crypt "$6$...", yescrypt "$y$...").
 */
bool cli_password_hash_valid(const char *hash);

/**
 * Hash @p password with a fresh random salt (SHA-512-crypt) into @p out.
 * @return 0, or -1 (no randomness, buffer too small).
 */
int cli_password_hash(const char *password, char *out, size_t len);

/** Top-level key "cli", a CFG_GROUP of struct cli_conf; optional. */
extern const struct cfg_section cli_cfg_section;

/**
 * Copy the configured address, port, session limit, idle timeout and
 * password hash into @p p (pointing into @p c, which must outlive the
 * server's creation). banner and prompt are left as they are.
 */
void cli_server_params_from_conf(const struct cli_conf *c,
				 struct cli_server_params *p);

struct ferry_module;
/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module cli_module;

#endif /* FERRY_CLI_H */
