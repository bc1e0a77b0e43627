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

/** True if @p password matches the crypt(3) @p hash (password.c). */
bool cli_password_check(const char *password, const char *hash);

#endif /* FERRY_CLI_PRIV_H */
