/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Issue 20.5 and 20.6 on the telnet server, over real loopback and Unix
 * sockets: who may change the router (read-only telnet, enable, a login
 * that grants privilege, the Unix socket), and that nobody can lock the
 * operator out (login timeout, per-source limit, back-off after failed
 * passwords, the Unix socket's own slot, counted in `show cli`).
 * Every wait is bounded; none asserts how long something took.
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
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

#define PROMPT "t> "
#define PASSWORD "s3cret-login"
#define SECRET "s3cret-enable"
#define REFUSED "changes the router"

struct client {
	int fd;
	char buf[16384];
	size_t len;
};

static struct cli_server *srv;
static char dir[64], sock_path[96];
static char password_hash[160], secret_hash[160];
static int changes;

static int
h_set(struct cli_out *out, const struct cli_args *args, void *arg)
{
	changes++;
	cli_printf(out, "set\n");
	return 0;
}

static int
h_show(struct cli_out *out, const struct cli_args *args, void *arg)
{
	cli_printf(out, "x is 42\n");
	return 0;
}

static const struct cli_command cmds[] = {
	{ "show x", "Show\nThe x", h_show, NULL, true },
	{ "set x", "Change\nThe x", h_set, NULL },
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
group_setup(void **state)
{
	if (cli_password_hash(PASSWORD, password_hash,
			      sizeof(password_hash)) < 0 ||
	    cli_password_hash(SECRET, secret_hash, sizeof(secret_hash)) < 0)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/ferry-guard-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/cli.sock", dir);
	return 0;
}

static int
group_teardown(void **state)
{
	unlink(sock_path);
	rmdir(dir);
	return 0;
}

static int
setup(void **state)
{
	cli_registry_reset();
	changes = 0;
	return cli_register(cmds, 2) == 0 &&
	       cli_server_register_commands() == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	cli_server_free(srv);
	srv = NULL;
	cli_registry_reset();
	return 0;
}

static void
start(struct cli_server_params *p)
{
	snprintf(p->address, sizeof(p->address), "127.0.0.1");
	p->prompt = PROMPT;
	p->banner = "guard test";
	if (p->max_sessions == 0)
		p->max_sessions = 4;
	srv = cli_server_create(p);
	assert_non_null(srv);
}

static int
connect_tcp(void)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(cli_server_port(srv)),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int
connect_unix(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Pump the server until @p c has @p needle (1), EOF (0) or timeout (-1). */
static int
pump(struct client *c, const char *needle, int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	ssize_t n;

	while (now_ms() < end) {
		if (needle != NULL &&
		    memmem(c->buf, c->len, needle, strlen(needle)) != NULL)
			return 1;
		assert_int_equal(cli_server_poll(srv, 5), 0);
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len,
			 MSG_DONTWAIT);
		if (n > 0)
			c->len += n;
		else if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 0;
		c->buf[c->len] = '\0';
	}
	return -1;
}

static void
open_at(struct client *c, int fd, const char *until)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	assert_int_equal(pump(c, until, 5000), 1);
	c->len = 0;
	c->buf[0] = '\0';
}

/* Send @p line and return what came until @p until (or EOF). */
static const char *
say(struct client *c, const char *line, const char *until)
{
	c->len = 0;
	c->buf[0] = '\0';
	assert_int_equal(send(c->fd, line, strlen(line), MSG_NOSIGNAL),
			 (ssize_t)strlen(line));
	pump(c, until, 5000);
	return c->buf;
}

/* What a refused connection is told (the server closes it). */
static const char *
refused(int fd, struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	assert_int_equal(pump(c, NULL, 5000), 0);
	close(fd);
	return c->buf;
}

static void
test_telnet_read_only(void **state)
{
	struct cli_server_params p = { 0 };
	struct client c;

	start(&p);
	open_at(&c, connect_tcp(), PROMPT);
	assert_non_null(strstr(say(&c, "show x\n", PROMPT), "x is 42"));
	assert_non_null(strstr(say(&c, "set x\n", PROMPT), REFUSED));
	/* no enable secret: enable cannot help */
	assert_non_null(strstr(say(&c, "enable\n", PROMPT),
			       "no enable secret is configured"));
	assert_non_null(strstr(say(&c, "set x\n", PROMPT), REFUSED));
	assert_int_equal(changes, 0);
	close(c.fd);
}

static void
test_enable(void **state)
{
	struct cli_server_params p = { .enable_secret = secret_hash };
	struct client c;

	start(&p);
	open_at(&c, connect_tcp(), PROMPT);
	assert_non_null(strstr(say(&c, "enable\n", "Password: "),
			       "Password: "));
	assert_non_null(strstr(say(&c, "wrong\n", PROMPT),
			       "% authentication failed"));
	assert_non_null(strstr(say(&c, "set x\n", PROMPT), REFUSED));
	say(&c, "enable\n", "Password: ");
	/* the secret is never echoed */
	assert_null(strstr(say(&c, SECRET "\n", PROMPT), SECRET));
	assert_string_equal(say(&c, "set x\n", PROMPT), "set\r\n" PROMPT);
	say(&c, "disable\n", PROMPT);
	assert_non_null(strstr(say(&c, "set x\n", PROMPT), REFUSED));
	assert_int_equal(changes, 1);
	close(c.fd);
}

static void
test_login_privilege(void **state)
{
	struct cli_server_params p = { .password = password_hash };
	struct client c;

	/* one password, no enable secret: the login grants privilege */
	start(&p);
	open_at(&c, connect_tcp(), "Password: ");
	say(&c, PASSWORD "\n", PROMPT);
	assert_string_equal(say(&c, "set x\n", PROMPT), "set\r\n" PROMPT);
	close(c.fd);
	cli_server_free(srv);
	/* both: the login only looks until enable */
	p.enable_secret = secret_hash;
	start(&p);
	open_at(&c, connect_tcp(), "Password: ");
	say(&c, PASSWORD "\n", PROMPT);
	assert_non_null(strstr(say(&c, "set x\n", PROMPT), REFUSED));
	say(&c, "enable\n", "Password: ");
	say(&c, SECRET "\n", PROMPT);
	assert_string_equal(say(&c, "set x\n", PROMPT), "set\r\n" PROMPT);
	assert_int_equal(changes, 2);
	close(c.fd);
}

/* Idle connections fill every TCP slot; the Unix socket still gets in,
 * privileged, and they are closed after the login timeout. */
static void
test_unix_slot_and_login_timeout(void **state)
{
	struct cli_server_params p = {
		.max_sessions = 3, .login_timeout_s = 1,
		.unix_path = sock_path, .unix_mode = 0600,
	};
	struct client idle[3], c, u;
	unsigned int i;

	start(&p);
	for (i = 0; i < 3; i++)
		open_at(&idle[i], connect_tcp(), PROMPT);
	assert_non_null(strstr(refused(connect_tcp(), &c),
			       "% too many sessions"));
	open_at(&u, connect_unix(), PROMPT);
	assert_string_equal(say(&u, "set x\n", PROMPT), "set\r\n" PROMPT);
	/* the idle ones never sent a line: closed with a reason */
	for (i = 0; i < 3; i++) {
		assert_int_equal(pump(&idle[i], NULL, 10000), 0);
		assert_non_null(strstr(idle[i].buf, "no login within 1 s"));
		close(idle[i].fd);
	}
	assert_non_null(strstr(say(&u, "show cli\n", PROMPT),
			       "login timeouts 3\r\n"));
	assert_non_null(strstr(u.buf, "refused full 1\r\n"));
	assert_non_null(strstr(u.buf, "  unix unix uid "));
	close(u.fd);
}

static void
test_per_source(void **state)
{
	struct cli_server_params p = { .max_per_source = 2 };
	struct client a, b, c;

	start(&p);
	open_at(&a, connect_tcp(), PROMPT);
	open_at(&b, connect_tcp(), PROMPT);
	assert_non_null(strstr(refused(connect_tcp(), &c),
			       "% too many sessions from this address"));
	close(a.fd);
	close(b.fd);
}

/* A guesser opening a connection per try: after 3 failures the source
 * waits; a try meanwhile is refused without being checked. */
static void
test_backoff(void **state)
{
	struct cli_server_params p = {
		.password = password_hash, .unix_path = sock_path,
	};
	struct client c, u;
	unsigned int i;

	start(&p);
	for (i = 0; i < 4; i++) {
		open_at(&c, connect_tcp(), "Password: ");
		assert_non_null(strstr(say(&c, "guess\n", "failed"),
				       "% authentication failed"));
		close(c.fd);
	}
	/* now the 4th failure's back-off (2 s) is in force */
	assert_non_null(strstr(refused(connect_tcp(), &c),
			       "too many failed logins from this address"));
	open_at(&u, connect_unix(), PROMPT);
	assert_non_null(strstr(say(&u, "show cli\n", PROMPT),
			       "failed logins 4\r\n"));
	assert_non_null(strstr(u.buf, "refused back-off 1\r\n"));
	close(u.fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_telnet_read_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_privilege, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_unix_slot_and_login_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_source, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backoff, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
