/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the CLI telnet server (lib/cli/telnet.c) and its line
 * editor (lib/cli/edit.c) over real loopback sockets. The client lives
 * in the test's own thread: it writes, then pumps the server with
 * cli_server_poll() while reading with MSG_DONTWAIT until it sees what
 * it waits for, EOF or a timeout.
 *
 * A line-mode client (nc, a pipe) never answers the server's offer; a
 * character-mode client answers IAC DO ECHO, IAC DO SGA as a telnet
 * client does, then types keys, and the tests compare the exact echo
 * (redraws included) and what ran.
 */
#define _GNU_SOURCE /* memmem() */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

#define PROMPT "t> "
#define CLI_HISTORY_TEST 64 /* lines a session keeps */
/* IAC WILL ECHO, IAC WILL SGA, then CR NUL */
#define OFFER "\xff\xfb\x01\xff\xfb\x03\r\0"
#define BANNER OFFER "test banner\r\n" PROMPT

struct client {
	int fd;
	size_t len;
	char buf[4 * 1024 * 1024];
};

static struct cli_server *srv;
static struct client *cl;

static int
h_show_x(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_printf(out, "x is 42\n");
	return 0;
}

static int
h_echo(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_printf(out, "%s\n", cli_arg(args, "word"));
	return 0;
}

/* Output without its final newline: the server adds it. */
static int
h_nonl(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_printf(out, "no newline");
	return 0;
}

static int
h_vrf(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_printf(out, "vrf %s\n", cli_arg(args, "vrf-name"));
	return 0;
}

static int
check_any(const char *tok, const char **why)
{
	return 0;
}

static void
complete_vrf(const char *prefix, void (*add)(void *ctx, const char *cand),
	     void *ctx)
{
	add(ctx, "blue");
	add(ctx, "red");
	add(ctx, "black");
}

static const struct cli_arg_type vrf_type = {
	.name = "vrf-name", .help = "a VRF", .check = check_any,
	.complete = complete_vrf,
};

/* @p arg bytes of output, in lines of 64 ('\n' becomes "\r\n"). */
static int
h_big(struct cli_out *out, const struct cli_args *args, void *arg)
{
	size_t n = (size_t)(uintptr_t)arg, i;

	for (i = 0; i < n / 64; i++)
		cli_printf(out, "%062zu\n", i);
	return 0;
}

static const struct cli_command cmds[] = {
	{ "show x", "Show\nThe x", h_show_x, NULL, true },
	{ "echo <word>", "Echo\nWord", h_echo, NULL, true },
	{ "big", "768 KiB of output", h_big, (void *)(uintptr_t)(768 << 10),
	  true },
	{ "huge", "4 MiB of output", h_big, (void *)(uintptr_t)(4 << 20),
	  true },
	{ "vrf <vrf-name>", "Select a VRF\nIts name", h_vrf, NULL, true },
	{ "nonl", "Output without a newline", h_nonl, NULL, true },
	/* privileged: only after enable, a password login or by Unix */
	{ "set x", "Change\nThe x", h_show_x, NULL },
};

static struct cli_server *
start(unsigned int max_sessions, unsigned int idle)
{
	struct cli_server_params p = {
		.address = "127.0.0.1",
		.port = 0,
		.max_sessions = max_sessions,
		.idle_timeout_s = idle,
		.banner = "test banner",
		.prompt = PROMPT,
	};

	return cli_server_create(&p);
}

static int
setup(void **state)
{
	cli_registry_reset();
	if (cli_register_arg_type(&vrf_type) != 0 ||
	    cli_register(cmds, sizeof(cmds) / sizeof(cmds[0])) != 0)
		return -1;
	srv = start(4, 0);
	cl = calloc(1, sizeof(*cl));
	return srv == NULL || cl == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	cli_server_free(srv);
	srv = NULL;
	free(cl);
	cl = NULL;
	cli_registry_reset();
	return 0;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* @p rcvbuf: the client's receive buffer, 0 = the default. */
static int
connect_rcvbuf(uint16_t port, int rcvbuf)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	if (rcvbuf > 0)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
					    sizeof(rcvbuf)), 0);
	/* the kernel completes the handshake before the server accepts */
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int
connect_to(uint16_t port)
{
	return connect_rcvbuf(port, 0);
}

static void
send_str(int fd, const char *s, size_t n)
{
	assert_int_equal(send(fd, s, n, MSG_NOSIGNAL), (ssize_t)n);
}

#define SEND(fd, lit) send_str((fd), (lit), sizeof(lit) - 1)

/*
 * Pump the server and read @p c until its buffer holds @p needle.
 * @return 1 found, 0 EOF (or reset) first, -1 timeout.
 */
static int
pump(struct client *c, const char *needle, size_t nlen, int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	ssize_t n;

	while (now_ms() < end) {
		if (needle != NULL && memmem(c->buf, c->len, needle, nlen))
			return 1;
		assert_int_equal(cli_server_poll(srv, 5), 0);
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len,
			 MSG_DONTWAIT);
		if (n > 0)
			c->len += n;
		else if (n == 0 || errno == ECONNRESET)
			return 0;
		c->buf[c->len] = '\0';
	}
	return -1;
}

#define WAIT_FOR(c, lit) pump((c), (lit), sizeof(lit) - 1, 2000)
#define WAIT_EOF(c) pump((c), NULL, 0, 2000)

/* Text equal to @p lit, embedded NULs and all. */
#define assert_got(c, lit) do { \
	assert_int_equal((c)->len, sizeof(lit) - 1); \
	assert_memory_equal((c)->buf, (lit), sizeof(lit) - 1); \
} while (0)

/* Connect @p c and read the banner and first prompt. */
static void
open_session_rcvbuf(struct client *c, int rcvbuf)
{
	c->fd = connect_rcvbuf(cli_server_port(srv), rcvbuf);
	c->len = 0;
	assert_int_equal(WAIT_FOR(c, PROMPT), 1);
	assert_got(c, BANNER);
	c->len = 0;
}

static void
open_session(struct client *c)
{
	open_session_rcvbuf(c, 0);
}

static void
test_banner_and_command(void **state)
{
	assert_true(cli_server_port(srv) != 0);
	open_session(cl);
	SEND(cl->fd, "show x\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "x is 42\r\n" PROMPT);
	cl->len = 0;
	SEND(cl->fd, "sh\r\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "% incomplete command: \"sh\" at word 2\r\n"
		   "  x     The x\r\n" PROMPT);
	cl->len = 0;
	SEND(cl->fd, "shwo x\r\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "% unknown command \"shwo\" at word 1; "
		   "did you mean \"show\"?\r\n" PROMPT);
	/* the prompt always starts a row */
	cl->len = 0;
	SEND(cl->fd, "nonl\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "no newline\r\n" PROMPT);
	cl->len = 0;
	SEND(cl->fd, "\r\n\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT PROMPT), 1);
	assert_got(cl, PROMPT PROMPT);
	close(cl->fd);
}

static void
test_iac_stripped(void **state)
{
	open_session(cl);
	/* WILL TTYPE split after IAC, a subnegotiation split inside */
	SEND(cl->fd, "sh\xff");
	assert_int_equal(pump(cl, NULL, 0, 50), -1);
	SEND(cl->fd, "\xfb\x18o\xff\xfa\x18\x00\xff");
	assert_int_equal(pump(cl, NULL, 0, 50), -1);
	/* IAC IAC inside a subnegotiation is still the subnegotiation */
	SEND(cl->fd, "\xff" "A\xff\xf0w\xff\xf1 x\xff\xfd\x18\r\0");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	/* refused WILL TTYPE, refused DO TTYPE, then the output */
	assert_got(cl, "\xff\xfe\x18\xff\xfc\x18x is 42\r\n" PROMPT);
	cl->len = 0;
	/* IAC IAC is a data byte 255; the output doubles it again */
	SEND(cl->fd, "echo a\xff\xff" "b\r");
	SEND(cl->fd, "\nshow x\r\n");
	assert_int_equal(WAIT_FOR(cl, "x is 42\r\n" PROMPT), 1);
	assert_got(cl, "a\xff\xff" "b\r\n" PROMPT "x is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_editing(void **state)
{
	open_session(cl);
	/* backspace and DEL, ^D inside a line, other controls dropped */
	SEND(cl->fd, "shoz\bw xx\x7f\x04\x01\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "x is 42\r\n" PROMPT);
	cl->len = 0;
	/* telnet erase character, erase line, and ^C */
	SEND(cl->fd, "junk\xff\xf8show xy\xff\xf7\n");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "x is 42\r\n" PROMPT);
	cl->len = 0;
	SEND(cl->fd, "junk\x03");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	assert_got(cl, "\r\n" PROMPT);
	close(cl->fd);
}

static void
test_quit_exit_ctrl_d(void **state)
{
	open_session(cl);
	SEND(cl->fd, "quit\r\n");
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_int_equal(cl->len, 0);
	close(cl->fd);

	open_session(cl);
	SEND(cl->fd, "ex\n");
	assert_int_equal(WAIT_EOF(cl), 0);
	close(cl->fd);

	open_session(cl);
	SEND(cl->fd, "\x04");
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_int_equal(cl->len, 0);
	close(cl->fd);
}

static void
test_pipe_style(void **state)
{
	static char junk[12000];

	memset(junk, 'j', sizeof(junk));
	/* printf 'show x\nquit\nshow x\n' | nc: one write, read to EOF */
	cl->fd = connect_to(cli_server_port(srv));
	SEND(cl->fd, "show x\nquit\nshow x\n");
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, BANNER "x is 42\r\n" PROMPT);
	close(cl->fd);

	/*
	 * Input left unread at the close would make the kernel send a
	 * reset, which may destroy the output still in flight.
	 */
	cl->len = 0;
	cl->fd = connect_to(cli_server_port(srv));
	SEND(cl->fd, "show x\nquit\n");
	send_str(cl->fd, junk, sizeof(junk));
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, BANNER "x is 42\r\n" PROMPT);
	close(cl->fd);

	/* the last line without its newline still runs at EOF */
	cl->len = 0;
	cl->fd = connect_to(cli_server_port(srv));
	SEND(cl->fd, "show x");
	shutdown(cl->fd, SHUT_WR);
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, BANNER "x is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_max_sessions(void **state)
{
	struct client *more = calloc(4, sizeof(*more));
	unsigned int i;

	assert_non_null(more);
	for (i = 0; i < 4; i++) {
		open_session(&more[i]);
		/* in: without a Unix socket, one slot is for those only */
		SEND(more[i].fd, "\n");
		assert_int_equal(WAIT_FOR(&more[i], PROMPT), 1);
		more[i].len = 0;
	}
	cl->fd = connect_to(cli_server_port(srv));
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, "% too many sessions\r\n");
	close(cl->fd);
	/* a slot frees when a session ends */
	SEND(more[0].fd, "quit\n");
	assert_int_equal(WAIT_EOF(&more[0]), 0);
	close(more[0].fd);
	open_session(cl);
	SEND(more[3].fd, "show x\n");
	assert_int_equal(WAIT_FOR(&more[3], PROMPT), 1);
	assert_got(&more[3], "x is 42\r\n" PROMPT);
	for (i = 1; i < 4; i++)
		close(more[i].fd);
	close(cl->fd);
	free(more);
}

static void
test_line_too_long(void **state)
{
	static char line[CLI_LINE_MAX + 80];

	open_session(cl);
	memset(line, 'a', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	send_str(cl->fd, line, sizeof(line));
	SEND(cl->fd, "show x\n");
	assert_int_equal(WAIT_FOR(cl, "x is 42\r\n" PROMPT), 1);
	assert_got(cl, "% line too long\r\n" PROMPT "x is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_idle_timeout(void **state)
{
	cli_server_free(srv);
	srv = start(4, 1);
	assert_non_null(srv);
	open_session(cl);
	assert_int_equal(pump(cl, NULL, 0, 3000), 0);
	assert_got(cl, "\r\n% idle for 1 s, closing the session\r\n");
	close(cl->fd);
}

static void
test_output_buffering(void **state)
{
	/* 12288 lines of 62 digits and "\r\n", then the prompt */
	const size_t want = 12288 * 64 + strlen(PROMPT);
	int i;

	open_session_rcvbuf(cl, 4096);
	SEND(cl->fd, "big\n");
	/* the client does not read yet: most output waits in the server */
	for (i = 0; i < 20; i++)
		assert_int_equal(cli_server_poll(srv, 1), 0);
	assert_int_equal(pump(cl, "\n" PROMPT, 1 + strlen(PROMPT), 5000), 1);
	assert_int_equal(cl->len, want);
	assert_memory_equal(cl->buf + want - 64 - strlen(PROMPT),
			    "0000000000000000000000000000000000000000000000"
			    "0000000000012287\r\n" PROMPT, 64 + strlen(PROMPT));
	close(cl->fd);

	/*
	 * A client that does not read: past what the kernel buffers (kept
	 * small here) and the 1 MiB cap, the session is dropped.
	 */
	open_session_rcvbuf(cl, 4096);
	SEND(cl->fd, "huge\n");
	assert_int_equal(pump(cl, NULL, 0, 5000), 0);
	assert_null(memmem(cl->buf, cl->len, PROMPT, strlen(PROMPT)));
	close(cl->fd);
}

static void
test_create_errors(void **state)
{
	struct cli_server_params p = {
		.address = "127.0.0.1", .max_sessions = 1,
	};

	p.port = cli_server_port(srv);
	assert_null(cli_server_create(&p));
	assert_int_equal(errno, EADDRINUSE);
	snprintf(p.address, sizeof(p.address), "%s", "localhost");
	p.port = 0;
	assert_null(cli_server_create(&p));
	assert_int_equal(errno, EINVAL);
	snprintf(p.address, sizeof(p.address), "%s", "127.0.0.1");
	p.max_sessions = 0;
	assert_null(cli_server_create(&p));
	assert_int_equal(errno, EINVAL);
	cli_server_free(NULL);
}

static void
test_free_with_sessions(void **state)
{
	open_session(cl);
	cli_server_free(srv);
	srv = NULL;
	assert_int_equal(recv(cl->fd, cl->buf, 16, 0), 0);
	close(cl->fd);
}

/* Character mode. */

/* @p s, @p n bytes, with controls escaped, for a failure message. */
static const char *
escaped(const char *s, size_t n, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off + 5 < size; i++)
		off += snprintf(buf + off, size - off,
				(uint8_t)s[i] < 0x20 || (uint8_t)s[i] > 0x7e ?
				"\\x%02x" : "%c", (uint8_t)s[i]);
	return buf;
}

/* Wait for exactly @p want (nothing more), then forget what was read. */
static void
expect_exactly(struct client *c, const char *want, size_t n)
{
	char got[2048], exp[2048];

	pump(c, want, n, 2000);
	if (c->len != n || memcmp(c->buf, want, n) != 0)
		fail_msg("got \"%s\"\n    expected \"%s\"",
			 escaped(c->buf, c->len, got, sizeof(got)),
			 escaped(want, n, exp, sizeof(exp)));
	c->len = 0;
}

#define EXPECT(c, lit) expect_exactly((c), (lit), sizeof(lit) - 1)

/* Nothing arrives within @p ms (the server still polled). */
static void
expect_silence(struct client *c, int ms)
{
	assert_int_equal(pump(c, NULL, 0, ms), -1);
	assert_int_equal(c->len, 0);
}

/* Agree to the server's offer as a telnet client does. */
static void
open_char_session(struct client *c)
{
	open_session(c);
	SEND(c->fd, "\xff\xfd\x01\xff\xfd\x03");
	/* acknowledgements are not answered */
	expect_silence(c, 50);
}

#define ESC_UP "\x1b[A"
#define ESC_DOWN "\x1b[B"
#define ESC_RIGHT "\x1b[C"
#define ESC_LEFT "\x1b[D"

static void
test_negotiation(void **state)
{
	open_session(cl);
	/* other options are refused, LINEMODE and NAWS included */
	SEND(cl->fd, "\xff\xfb\x22\xff\xfb\x1f\xff\xfd\x18");
	EXPECT(cl, "\xff\xfe\x22\xff\xfe\x1f\xff\xfc\x18");
	/* WONT/DONT of what is off: nothing */
	SEND(cl->fd, "\xff\xfc\x22\xff\xfe\x18");
	expect_silence(cl, 50);
	/* still line mode: no echo */
	SEND(cl->fd, "show");
	expect_silence(cl, 50);
	/* agreeing to ECHO switches to character mode mid-line */
	SEND(cl->fd, "\xff\xfd\x01\xff\xfd\x03 x");
	EXPECT(cl, " x");
	SEND(cl->fd, "\r\0");
	EXPECT(cl, "\r\nx is 42\r\n" PROMPT);
	/* a repeated DO is no request: no answer */
	SEND(cl->fd, "\xff\xfd\x01");
	expect_silence(cl, 50);
	/* DONT ECHO while on: WONT, and back to line mode */
	SEND(cl->fd, "\xff\xfe\x01show x");
	EXPECT(cl, "\xff\xfc\x01");
	SEND(cl->fd, "\r\n");
	EXPECT(cl, "x is 42\r\n" PROMPT);
	/* asked again, the server agrees */
	SEND(cl->fd, "\xff\xfd\x01");
	EXPECT(cl, "\xff\xfb\x01");
	SEND(cl->fd, "ab");
	EXPECT(cl, "ab");
	close(cl->fd);
}

/* A client that refuses the offer stays in line mode, unanswered. */
static void
test_refused_offer(void **state)
{
	open_session(cl);
	SEND(cl->fd, "\xff\xfe\x01\xff\xfe\x03show x\r\n");
	EXPECT(cl, "x is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_char_echo_and_arrows(void **state)
{
	open_char_session(cl);
	SEND(cl->fd, "show x\r\0");
	EXPECT(cl, "show x\r\nx is 42\r\n" PROMPT);
	/* "shw", left, "o", ^E, " x": the insert redraws the tail */
	SEND(cl->fd, "shw" ESC_LEFT "o\x05 x\r");
	EXPECT(cl, "shw\bow\bw x\r\nx is 42\r\n" PROMPT);
	/* right arrow rewrites what it passes; ESC O D as the left arrow */
	SEND(cl->fd, "sow x\x1bOD\x1bOD\x1bOD\x1bOD\x1bOD" ESC_RIGHT "h\r\n");
	EXPECT(cl, "sow x\b\b\b\b\b" "s" "how x\x1b[4D\r\nx is 42\r\n"
	       PROMPT);
	/* unknown sequences vanish whole, also split between reads */
	SEND(cl->fd, "sh\x1b[1;5");
	EXPECT(cl, "sh");
	SEND(cl->fd, "Cow x\x1b[99~\x1b" "Z\r");
	EXPECT(cl, "ow x\r\nx is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_char_kill_keys(void **state)
{
	open_char_session(cl);
	/* ^U kills the whole line */
	SEND(cl->fd, "junk" ESC_LEFT "\x15" "show x\r");
	EXPECT(cl, "junk\b\x1b[3D\x1b[K" "show x\r\nx is 42\r\n" PROMPT);
	/* ^W kills the word before the cursor and the blanks after it */
	SEND(cl->fd, "show x more  \x17\r");
	EXPECT(cl, "show x more  \x1b[6D\x1b[K\r\nx is 42\r\n" PROMPT);
	/* ^A goes home; backspace and DEL erase left */
	SEND(cl->fd, "how xx\x7f\x01s\r");
	EXPECT(cl, "how xx\b\x1b[K\x1b[5Ds" "how x\x1b[5D\r\nx is 42\r\n"
	       PROMPT);
	/* ^K kills to the end, ^D and ESC [ 3 ~ delete under the cursor */
	SEND(cl->fd, "sxxhow xyz\x02\x02\x0b\x01\x06\x04\x1b[3~\r");
	EXPECT(cl, "sxxhow xyz\b\b\x1b[K\x1b[8Dsxhow x\x1b[K\x1b[6D"
	       "how x\x1b[K\x1b[5D\r\nx is 42\r\n" PROMPT);
	/* BS at the start, ^D/^K at the end: nothing to do, no output */
	SEND(cl->fd, "\x08\x7f\x1b[3~" ESC_LEFT ESC_RIGHT);
	expect_silence(cl, 50);
	close(cl->fd);
}

static void
test_char_history(void **state)
{
	open_char_session(cl);
	SEND(cl->fd, "show x\r");
	EXPECT(cl, "show x\r\nx is 42\r\n" PROMPT);
	SEND(cl->fd, "echo hi\r");
	EXPECT(cl, "echo hi\r\nhi\r\n" PROMPT);
	/* up: the last line replaces the typed one; down: the draft */
	SEND(cl->fd, "dr" ESC_UP);
	EXPECT(cl, "dr\x1b[2D\x1b[K" "echo hi");
	SEND(cl->fd, ESC_UP);
	EXPECT(cl, "\x1b[7D\x1b[K" "show x");
	SEND(cl->fd, ESC_UP); /* the oldest: bell */
	EXPECT(cl, "\a");
	SEND(cl->fd, ESC_DOWN ESC_DOWN);
	EXPECT(cl, "\x1b[6D\x1b[K" "echo hi" "\x1b[7D\x1b[K" "dr");
	SEND(cl->fd, ESC_DOWN); /* the newest: bell */
	EXPECT(cl, "\a");
	/* ^P twice and run it, ^P and again: a repeat is kept once */
	SEND(cl->fd, "\x15\x10\x10\r\x10\r \r");
	assert_int_equal(WAIT_FOR(cl, "x is 42\r\n" PROMPT " \r\n" PROMPT),
			 1);
	cl->len = 0;
	/* ... and a blank line not at all */
	SEND(cl->fd, ESC_UP ESC_UP ESC_UP ESC_UP);
	EXPECT(cl, "show x\x1b[6D\x1b[K" "echo hi\x1b[7D\x1b[K" "show x\a");
	close(cl->fd);
}

static void
test_char_history_bound(void **state)
{
	char line[32];
	int i, n;

	open_char_session(cl);
	for (i = 0; i < CLI_HISTORY_TEST + 6; i++) {
		n = snprintf(line, sizeof(line), "echo %d\r", i);
		send_str(cl->fd, line, n);
		assert_int_equal(WAIT_FOR(cl, "\n" PROMPT), 1);
		cl->len = 0;
	}
	/* the 64 newest are kept: 6..69 */
	for (i = 0; i < CLI_HISTORY_TEST + 1; i++)
		SEND(cl->fd, ESC_UP);
	assert_int_equal(WAIT_FOR(cl, "echo 6\a"), 1);
	cl->len = 0;
	SEND(cl->fd, "\r");
	EXPECT(cl, "\r\n6\r\n" PROMPT);
	close(cl->fd);
}

static void
test_char_question(void **state)
{
	open_char_session(cl);
	/* at the end: '?' shows, help, then the line as it was */
	SEND(cl->fd, "sh?");
	EXPECT(cl, "sh?\r\n  show  Show\r\n" PROMPT "sh");
	/* mid-line, after "show ": the cursor comes back there */
	SEND(cl->fd, "ow x" ESC_LEFT "?");
	EXPECT(cl, "ow x\b\r\n  x     The x\r\n" PROMPT "show x\b");
	SEND(cl->fd, "\r");
	EXPECT(cl, "\r\nx is 42\r\n" PROMPT);
	/* inside quotes it is a character */
	SEND(cl->fd, "echo \"a?\"\r");
	EXPECT(cl, "echo \"a?\"\r\na?\r\n" PROMPT);
	/* an error line for a bad word, and the line back */
	SEND(cl->fd, "shwo ?");
	EXPECT(cl, "shwo ?\r\n% unknown command \"shwo\" at word 1; did you "
	       "mean \"show\"?\r\n" PROMPT "shwo ");
	close(cl->fd);
}

static void
test_char_tab(void **state)
{
	open_char_session(cl);
	/* unique: the word and a blank */
	SEND(cl->fd, "sh\t");
	EXPECT(cl, "show ");
	SEND(cl->fd, "\t\r");
	EXPECT(cl, "x \r\nx is 42\r\n" PROMPT);
	/* several: listed in columns, then the line */
	SEND(cl->fd, "e\t");
	EXPECT(cl, "e\r\necho    enable  exit\r\n" PROMPT "e");
	/* object names from the type's completer; common prefix inserted */
	SEND(cl->fd, "\x15vrf \t");
	EXPECT(cl, "\b\x1b[K" "vrf \r\nblack  blue   red\r\n" PROMPT "vrf ");
	SEND(cl->fd, "b\t");
	EXPECT(cl, "bl\r\nblack  blue\r\n" PROMPT "vrf bl");
	SEND(cl->fd, "u\t\r");
	EXPECT(cl, "ue \r\nvrf blue\r\n" PROMPT);
	/* a free value (no completer): help instead */
	SEND(cl->fd, "echo \t");
	EXPECT(cl, "echo \r\n  <word>  Word\r\n" PROMPT "echo ");
	/* nothing fits: bell */
	SEND(cl->fd, "\x15zz\t");
	EXPECT(cl, "\x1b[5D\x1b[K" "zz\a");
	/* mid-line, before a blank: the blank is reused */
	SEND(cl->fd, "\x15sh x" ESC_LEFT ESC_LEFT "\t\r");
	EXPECT(cl, "\x1b[2D\x1b[K" "sh x\b\b" "ow x\x1b[2D "
	       "\r\nx is 42\r\n" PROMPT);
	close(cl->fd);
}

static void
test_char_ctrl_c_d(void **state)
{
	open_char_session(cl);
	SEND(cl->fd, "show\x03");
	EXPECT(cl, "show^C\r\n" PROMPT);
	/* telnet's IP, EL and EC act as ^C, ^U and backspace */
	SEND(cl->fd, "ab\xff\xf4" "cd\xff\xf8" "show xy\xff\xf7\r");
	EXPECT(cl, "ab^C\r\n" PROMPT "cd\x1b[2D\x1b[K" "show xy\b\x1b[K"
	       "\r\nx is 42\r\n" PROMPT);
	/* ^D on a non-empty line deletes; on an empty one it leaves */
	SEND(cl->fd, "a\x01\x04\x04");
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, "a\b\x1b[K\r\n");
	close(cl->fd);
}

static void
test_char_quit(void **state)
{
	open_char_session(cl);
	SEND(cl->fd, "quit\r\0");
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_got(cl, "quit\r\n");
	close(cl->fd);
}

static void
test_char_line_full(void **state)
{
	static char line[CLI_LINE_MAX + 16];

	open_char_session(cl);
	memcpy(line, "echo ", 5);
	memset(line + 5, 'a', CLI_LINE_MAX - 5);
	memset(line + CLI_LINE_MAX, 'b', 16);
	send_str(cl->fd, line, sizeof(line));
	/* what does not fit rings the bell; the rest runs */
	SEND(cl->fd, "\r");
	assert_int_equal(WAIT_FOR(cl, "\r\n" PROMPT), 1);
	assert_int_equal(cl->len, CLI_LINE_MAX + 16 + 2 + CLI_LINE_MAX - 5 +
			 2 + strlen(PROMPT));
	assert_memory_equal(cl->buf + CLI_LINE_MAX, "\a\a\a", 3);
	assert_null(memmem(cl->buf, cl->len, "b", 1));
	close(cl->fd);
}

/* Each session edits and remembers on its own. */
static void
test_char_two_sessions(void **state)
{
	struct client *other = calloc(1, sizeof(*other));

	assert_non_null(other);
	open_char_session(cl);
	open_session(other); /* line mode */
	SEND(cl->fd, "sh");
	EXPECT(cl, "sh");
	SEND(other->fd, "echo a\n");
	EXPECT(other, "a\r\n" PROMPT);
	SEND(cl->fd, "ow x\r" ESC_UP);
	EXPECT(cl, "ow x\r\nx is 42\r\n" PROMPT "show x");
	close(other->fd);
	close(cl->fd);
	free(other);
}

/* Robustness. */

static void
test_garbage(void **state)
{
	static uint8_t junk[64 * 1024];
	uint32_t x = 12345;
	size_t i;
	int mode;

	/* same bytes in line mode and in character mode */
	for (mode = 0; mode < 2; mode++) {
		for (i = 0; i < sizeof(junk); i++) {
			x = x * 1103515245 + 12345;
			junk[i] = x >> 24;
			if (junk[i] == 0x04)
				junk[i] = 0; /* ^D may end the session */
		}
		if (mode)
			open_char_session(cl);
		else
			open_session(cl);
		send_str(cl->fd, (const char *)junk, sizeof(junk));
		/* end any subnegotiation or escape, then a clean line */
		SEND(cl->fd, "\xff\xf0\r\n\x03\x15");
		pump(cl, NULL, 0, 300);
		cl->len = 0;
		SEND(cl->fd, "\xff\xf0\x03");
		assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
		cl->len = 0;
		SEND(cl->fd, "show x\r\n");
		assert_int_equal(WAIT_FOR(cl, "x is 42\r\n" PROMPT), 1);
		close(cl->fd);
		cl->len = 0;
	}
	/* and the server still takes new sessions */
	open_session(cl);
	close(cl->fd);
}

static void
test_half_iac_at_eof(void **state)
{
	static const char *const tails[] = {
		"\xff", "\xff\xfd", "\xff\xfa", "\xff\xfa\x18\x01", "\x1b[",
	};
	char msg[32];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		cl->len = 0;
		cl->fd = connect_to(cli_server_port(srv));
		n = snprintf(msg, sizeof(msg), "show x\n%s", tails[i]);
		send_str(cl->fd, msg, n);
		shutdown(cl->fd, SHUT_WR);
		assert_int_equal(WAIT_EOF(cl), 0);
		/* the half sequence ran nothing and wrote nothing */
		assert_got(cl, BANNER "x is 42\r\n" PROMPT);
		close(cl->fd);
	}
}

static void
test_disconnect_mid_command(void **state)
{
	struct client *other = calloc(1, sizeof(*other));

	assert_non_null(other);
	/* a typed but unentered line is dropped at EOF in character mode */
	open_char_session(cl);
	SEND(cl->fd, "quit");
	EXPECT(cl, "quit");
	shutdown(cl->fd, SHUT_WR);
	assert_int_equal(WAIT_EOF(cl), 0);
	assert_int_equal(cl->len, 0);
	close(cl->fd);
	/* gone while its output is still queued */
	open_session_rcvbuf(cl, 4096);
	SEND(cl->fd, "big\n");
	assert_int_equal(cli_server_poll(srv, 1), 0);
	close(cl->fd);
	/* gone in the middle of a line and of a telnet command */
	open_session(cl);
	SEND(cl->fd, "show\xff");
	close(cl->fd);
	/* the server goes on */
	open_session(other);
	SEND(other->fd, "show x\n");
	EXPECT(other, "x is 42\r\n" PROMPT);
	close(other->fd);
	free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_banner_and_command,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_iac_stripped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_editing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quit_exit_ctrl_d, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pipe_style, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_max_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_line_too_long, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_buffering, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_free_with_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_negotiation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused_offer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_echo_and_arrows,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_kill_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_history, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_history_bound, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_question, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_tab, setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_ctrl_c_d, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_quit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_line_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_char_two_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_iac_at_eof, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_mid_command,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
