/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the CLI telnet server (lib/cli/telnet.c) over real
 * loopback sockets. The client lives in the test's own thread: it
 * writes, then pumps the server with cli_server_poll() while reading
 * with MSG_DONTWAIT until it sees what it waits for, EOF or a timeout.
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
#define BANNER "test banner\r\n" PROMPT

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
	{ "show x", "Show\nThe x", h_show_x, NULL },
	{ "echo <word>", "Echo\nWord", h_echo, NULL },
	{ "big", "768 KiB of output", h_big, (void *)(uintptr_t)(768 << 10) },
	{ "huge", "4 MiB of output", h_big, (void *)(uintptr_t)(4 << 20) },
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
	if (cli_register(cmds, sizeof(cmds) / sizeof(cmds[0])) != 0)
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
	assert_got(cl, "% incomplete command: \"sh\"\r\n"
		   "  x     The x\r\n" PROMPT);
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
	SEND(cl->fd, "\xff" "A\xff\xf0w\xff\xf1 x\xff\xfd\x01\r\0");
	assert_int_equal(WAIT_FOR(cl, PROMPT), 1);
	/* refused WILL TTYPE, refused DO ECHO, then the output */
	assert_got(cl, "\xff\xfe\x18\xff\xfc\x01x is 42\r\n" PROMPT);
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
	for (i = 0; i < 4; i++)
		open_session(&more[i]);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
