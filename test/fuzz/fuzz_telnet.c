/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the telnet server end to end, through a real TCP
 * session on loopback: option negotiation (IAC sequences, subnegotiation,
 * split anywhere), the line editor in character mode (escape sequences,
 * history, Tab, ?) and line mode, and command dispatch. The first input
 * byte chooses whether the client agrees to character mode first; the
 * rest is sent in chunks whose sizes also come from the input.
 *
 * Bit 2 of the first byte picks a second server that asks for a
 * password ("pw") and has an enable secret ("en"): the login, the
 * enable prompt, privilege checks and the per-source back-off after
 * failures (the seeds log in, which also clears the back-off). Its
 * hashes use few rounds, so a try costs microseconds, not milliseconds.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cli_server *srv, *srv_auth, *cur;
static char pw_hash[128], en_hash[128];

static int
echo_cmd(struct cli_out *out, const struct cli_args *args, void *arg)
{
	(void)arg;
	cli_printf(out, "%s\n", cli_arg(args, "word"));
	return 0;
}

static const struct cli_command cmds[] = {
	{ "echo <word>", "Echo\nWhat to echo", echo_cmd, NULL, true },
	{ "show version", "Show\nVersion", echo_cmd, NULL, true },
	{ "set <word>", "Change\nWhat to set", echo_cmd, NULL },
};

static void
server_start(void)
{
	struct cli_server_params p = {
		.address = "127.0.0.1",
		.port = 0,
		.max_sessions = 4,
		.idle_timeout_s = 0,
	};

	struct crypt_data cd = { 0 };

	if (cli_register(cmds, sizeof(cmds) / sizeof(cmds[0])) != 0)
		abort();
	srv = cli_server_create(&p);
	if (srv == NULL)
		abort();
	snprintf(pw_hash, sizeof(pw_hash), "%s",
		 crypt_r("pw", "$6$rounds=1000$fuzzsalt$", &cd));
	snprintf(en_hash, sizeof(en_hash), "%s",
		 crypt_r("en", "$6$rounds=1000$fuzzsalt$", &cd));
	p.password = pw_hash;
	p.enable_secret = en_hash;
	p.login_timeout_s = 1;
	p.max_per_source = 2;
	srv_auth = cli_server_create(&p);
	if (srv_auth == NULL)
		abort();
}

/*
 * A client socket. It closes with a reset (linger 0): tens of thousands
 * of sessions a minute would otherwise exhaust the ephemeral ports in
 * TIME_WAIT, and a reset is one more way a client leaves.
 */
static int
client_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_port = htons(cli_server_port(cur));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		abort();
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1; /* the machine's limit, not the server's fault */
	}
	return fd;
}

/* Let the server run and throw away what it sends. */
static void
pump(int fd, int rounds)
{
	char buf[65536];

	while (rounds-- > 0) {
		cli_server_poll(cur, 0);
		while (fd >= 0 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t agree[] = { 255, 253, 1, 255, 253, 3 };
	size_t off = 1, n;
	int fd;

	if (srv == NULL)
		server_start();
	if (size == 0)
		return 0;
	cur = data[0] & 4 ? srv_auth : srv;
	fd = client_connect();
	if (fd < 0)
		return 0;
	pump(fd, 2);
	if (data[0] & 1)
		send(fd, agree, sizeof(agree), MSG_NOSIGNAL);
	while (off < size) {
		n = 1 + data[off - 1] % 64;
		if (n > size - off)
			n = size - off;
		send(fd, data + off, n, MSG_NOSIGNAL);
		off += n;
		pump(fd, 1);
	}
	if (data[0] & 2)
		shutdown(fd, SHUT_WR); /* EOF mid-line */
	pump(fd, 3);
	close(fd);
	pump(-1, 2);
	return 0;
}
