/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the CLI's own files: the output sink interface the
 * telnet server plugs its sessions into, and the line editor (edit.c)
 * each session feeds its input through. Not for other libraries.
 */
#ifndef FERRY_CLI_PRIV_H
#define FERRY_CLI_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/** Where a custom sink's bytes go; @p ctx is the sink's owner. */
typedef void (*cli_write_fn)(void *ctx, const char *s, size_t len);

/** A sink that hands every write to @p fn (telnet sessions). */
struct cli_out *cli_out_custom(cli_write_fn fn, void *ctx);

/** Write @p len bytes to @p out; NULL discards them. */
void cli_out_write(struct cli_out *out, const char *s, size_t len);

/* The line editor of a session (edit.c). */

/** Lines a session remembers for the up arrow. */
#define CLI_HISTORY_MAX 64

/**
 * One session's input line. In line mode (echo false) the client edits
 * and echoes, and the editor only collects bytes; in character mode it
 * echoes, moves the cursor, recalls history, completes and helps, and
 * writes the terminal control it needs to @p out.
 */
struct cli_edit {
	struct cli_out *out;    /* echo, redraws and help go here */
	const char *prompt;
	bool echo;              /* character mode */
	bool too_long;          /* line mode: the line overflowed */
	bool secret;            /* a password: no echo, no history */
	uint8_t esc;            /* where in an escape sequence we are */
	char csi[8];            /* the sequence's parameter bytes */
	unsigned int csi_len;
	size_t len;
	size_t cur;             /* cursor, 0..len */
	char line[CLI_LINE_MAX + 1];
	char *hist[CLI_HISTORY_MAX]; /* oldest first */
	unsigned int n_hist;
	unsigned int hist_pos;  /* entry on the line; n_hist: the draft */
	char *draft;            /* what was typed before browsing */
};

/** What a byte did. */
enum cli_edit_event {
	CLI_EDIT_NONE,  /**< keep reading */
	CLI_EDIT_LINE,  /**< the line is complete: cli_edit_line() */
	CLI_EDIT_EOF,   /**< ^D on an empty line: end the session */
};

/** Start with an empty line in line mode; @p prompt must outlive it. */
void cli_edit_init(struct cli_edit *e, struct cli_out *out,
		   const char *prompt);

/** Free the history. */
void cli_edit_free(struct cli_edit *e);

/** Character mode on (the client agreed to our echo) or off. */
void cli_edit_set_echo(struct cli_edit *e, bool echo);

/**
 * Secret input on or off: the line is collected as in line mode (never
 * echoed, completed or kept in the history), for a password.
 */
void cli_edit_set_secret(struct cli_edit *e, bool secret);

/** Overwrite the line's bytes (after a secret was read). */
void cli_edit_wipe(struct cli_edit *e);

/** Feed one data byte (telnet commands already removed). */
enum cli_edit_event cli_edit_byte(struct cli_edit *e, uint8_t c);

/** The complete line, NUL-terminated; NULL if it was too long. */
const char *cli_edit_line(struct cli_edit *e);

/** True if nothing has been typed on the line. */
bool cli_edit_empty(const struct cli_edit *e);

/** Forget the line (after running it); the prompt is the caller's. */
void cli_edit_reset(struct cli_edit *e);

/* Login guard (guard.c): per-source back-off after failed logins. */

#define CLI_GUARD_SOURCES 64

/** What `show cli` counts. */
struct cli_guard_stats {
	uint64_t logins;          /* passwords and enable secrets right */
	uint64_t login_failures;  /* ... and wrong */
	uint64_t login_timeouts;  /* closed before logging in */
	uint64_t refused_full;    /* no slot left for one more */
	uint64_t refused_source;  /* its source has too many sessions */
	uint64_t refused_backoff; /* its source must wait after failures */
};

struct cli_guard_src {
	uint32_t addr;            /* IPv4, host order */
	unsigned int fails;       /* 0: a free entry */
	uint64_t until_ms;        /* no try before */
	uint64_t last_ms;         /* last failure */
};

struct cli_guard {
	struct cli_guard_src src[CLI_GUARD_SOURCES];
	struct cli_guard_stats stats;
	uint64_t log_start_ms;    /* the rate limit's window */
	unsigned int log_n;
	unsigned int log_suppressed;
};

/** ms until @p addr may try a password again; 0 = now. */
uint64_t cli_guard_wait_ms(struct cli_guard *g, uint32_t addr, uint64_t now);

/**
 * A wrong password (@p what: "login", "enable") from @p addr (@p peer
 * for the log): count, log (rate-limited), extend the source's back-off.
 * @return the back-off now in force, ms.
 */
uint64_t cli_guard_fail(struct cli_guard *g, uint32_t addr, const char *peer,
			const char *what, uint64_t now);

/** A right one: count, and forget the source's failures. */
void cli_guard_ok(struct cli_guard *g, uint32_t addr, uint64_t now);

/**
 * Listen on a Unix socket at @p path (made or replaced if stale), file
 * mode @p mode, group @p group (NULL/"": ours). Non-blocking.
 * @return the listener, or -1 with errno (EADDRINUSE: a live server).
 */
int cli_unix_listen(const char *path, unsigned int mode, const char *group);

/** Ask for JSON (the `| json` filter). */
void cli_out_set_json(struct cli_out *out, bool json);
/** Note that the command wrote JSON (a table), and ask whether it did. */
void cli_out_json_used(struct cli_out *out);
bool cli_out_json_was_used(const struct cli_out *out);

/* Output filters (pipe.c). */

/** The first '|' of @p line outside quotes, or NULL. */
const char *cli_pipe_find(const char *line);

/**
 * Run the part of @p line before @p bar with @p exec into a buffer and
 * write the lines the filters after it let through to @p out.
 * @return @p exec's result, or -EINVAL for a bad filter.
 */
int cli_pipe_run(const char *line, const char *bar, struct cli_out *out,
		 int (*exec)(const char *line, struct cli_out *out));

/** True if @p password matches the crypt(3) @p hash (password.c). */
bool cli_password_check(const char *password, const char *hash);

#endif /* FERRY_CLI_PRIV_H */
