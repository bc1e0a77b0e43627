/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferryctl: run one command on ferry's management CLI, for scripts and
 * shells; or, without a command, open a session.
 *
 * It talks to the CLI's Unix socket (-S, default /run/ferry/cli.sock),
 * whose sessions are privileged: the file's mode and group decide who
 * may use it, as with vtysh and vppctl. -s HOST:PORT talks telnet
 * instead, where a session without credentials may only look.
 *
 * One quoted argument holding blanks is the whole command line, as
 * `vtysh -c "show version"` and `vppctl "show version"` take it; it may
 * carry filters ("show counters | include rx").
 *
 * One command: ferryctl connects, sends "COMMAND\nquit\n" at once and
 * reads until the server closes, as `printf ... | nc` would. It answers
 * the server's telnet offer with DONT (it is a line-mode client), strips
 * every telnet sequence, CR and NUL, and splits what is left. The banner
 * is one line and the prompt has no newline, and the server ends every
 * output with one, so after the banner's newline comes
 * PROMPT OUTPUT PROMPT: the prompt is the text after the last newline
 * (or half of it, when the output is empty). The output goes to stdout,
 * exit status 0; output starting with "% " is an error and goes to
 * stderr, exit status 1. Anything that stops the command from running
 * (usage, connection, a server that is full, the timeout) exits 2.
 *
 * With a password on the CLI, the one-command mode answers the server's
 * "Password: " with the password from the file of -p or from
 * FERRY_CLI_PASSWORD, and a refused password exits 2.
 *
 * A session: when stdin is a terminal, ferryctl is a small telnet
 * client: it agrees to the server's ECHO and SGA, puts the terminal in
 * raw mode and passes bytes both ways, so the server's line editing,
 * history, `?` and Tab work; Ctrl-] leaves. Otherwise it relays stdin
 * to the server in line mode and the output back until the server
 * closes (stdin's end, `quit`).
 */
#define _GNU_SOURCE /* memrchr() */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/ferry/cli.sock"
#define DEFAULT_TIMEOUT_S 10
#define EXIT_ERROR_LINE 1  /* the command answered "% ..." */
#define EXIT_NO_RUN 2      /* the command could not run */

#define TN_SE   240
#define TN_SB   250
#define TN_WILL 251
#define TN_WONT 252
#define TN_DO   253
#define TN_DONT 254
#define TN_IAC  255
#define TELOPT_ECHO 1
#define TELOPT_SGA  3
#define KEY_QUIT 0x1d       /* Ctrl-]: leave, as telnet does */

struct opts {
	char host[256];      /* "" = the Unix socket */
	char port[16];
	char path[108];      /* the Unix socket */
	double timeout_s;
	char **words;       /* the command, NULL for a session */
	int n_words;
	char password[1026]; /* "" = none given */
	bool json;           /* --json: ask for "| json" */
};

#define PASSWORD_PROMPT "Password: "

/* Where the parser is within a telnet command. */
enum tn_state {
	TS_DATA,
	TS_IAC,             /* after IAC */
	TS_OPT,             /* after IAC WILL/WONT/DO/DONT */
	TS_SB,              /* inside IAC SB ... IAC SE */
	TS_SB_IAC,          /* IAC inside a subnegotiation */
};

/* Telnet, seen from a client that wants as little of it as possible. */
struct tn {
	int fd;
	enum tn_state st;
	uint8_t verb;
	bool agree;         /* accept the server's ECHO and SGA (a tty) */
	bool raw;           /* keep CR (a raw terminal needs it) */
	bool failed;        /* a session's output held an error line */
	bool line_start;    /* the next data byte starts a line */
	char head[64];      /* the line so far, up to its "% " */
	size_t head_len;
};

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

static struct termios saved_tty;
static bool tty_is_raw;

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: ferryctl [-S PATH | -s HOST:PORT] [-t SECONDS] [-j] "
		"[COMMAND WORDS... | \"COMMAND LINE\"]\n"
		"Run one command on ferry's CLI and print its output; without "
		"a command,\nopen a session (interactive on a terminal).\n\n"
		"  -S, --socket PATH       the CLI's Unix socket (default "
		DEFAULT_SOCKET ")\n"
		"  -s, --server HOST:PORT  telnet to the CLI instead "
		"(read-only without\n"
		"                          credentials)\n"
		"  -t, --timeout SECONDS   give up after this long, "
		"fractions too\n"
		"                          (default %d; 0 = never)\n"
		"  -j, --json              JSON output (the command's "
		"\"| json\")\n"
		"  -p, --password-file F   the CLI password is F's first "
		"line\n                          (or set FERRY_CLI_PASSWORD)\n"
		"  -h, --help              this text\n\n"
		"Exit status: 0 ok, 1 the command answered an error "
		"(\"%% ...\" on stderr;\na session: any command did), 2 it "
		"could not run (usage, connection,\ntimeout).\n",
		DEFAULT_TIMEOUT_S);
}

static int
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *np;

	while (b->len + n + 1 > cap)
		cap *= 2;
	if (cap != b->cap) {
		np = realloc(b->p, cap);
		if (np == NULL)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* poll() timeout left until @p deadline (0 = none): -1, or ms >= 0. */
static int
ms_left(uint64_t deadline)
{
	uint64_t now = now_ms();

	if (deadline == 0)
		return -1;
	return now >= deadline ? 0 : (int)(deadline - now);
}

/* Options. */

/* "HOST:PORT", "[v6]:PORT" or "HOST" (the default port). */
static int
parse_server(const char *s, struct opts *o)
{
	const char *colon = strrchr(s, ':');
	size_t hlen = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (colon != NULL)
		snprintf(o->port, sizeof(o->port), "%s", colon + 1);
	if (hlen >= 2 && s[0] == '[' && s[hlen - 1] == ']') {
		s++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(o->host) || o->port[0] == '\0')
		return -1;
	memcpy(o->host, s, hlen);
	o->host[hlen] = '\0';
	return 0;
}

static int
parse_timeout(const char *s, double *t)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0 && v <= 86400))
		return -1;
	*t = v;
	return 0;
}

static int
parse_socket(const char *s, struct opts *o)
{
	if (s[0] == '\0' || strlen(s) >= sizeof(o->path))
		return -1;
	snprintf(o->path, sizeof(o->path), "%s", s);
	o->host[0] = '\0';
	return 0;
}

static int
read_password_file(const char *path, struct opts *o)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (f == NULL) {
		fprintf(stderr, "ferryctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fgets(o->password, sizeof(o->password), f) != NULL;
	fclose(f);
	o->password[strcspn(o->password, "\r\n")] = '\0';
	if (!ok || o->password[0] == '\0') {
		fprintf(stderr, "ferryctl: %s: no password on its first line\n",
			path);
		return -1;
	}
	return 0;
}

/* @return -1 to go on, or an exit status. */
static int
opts_parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("FERRY_CLI_PASSWORD");
	int c;

	o->timeout_s = DEFAULT_TIMEOUT_S;
	parse_socket(DEFAULT_SOCKET, o);
	if (env != NULL)
		snprintf(o->password, sizeof(o->password), "%s", env);
	/* '+': the command's own words are never options */
	while ((c = getopt_long(argc, argv, "+s:S:t:p:jh", longopts,
				NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'j') {
			o->json = true;
			continue;
		}
		if (c == 'p') {
			if (read_password_file(optarg, o) < 0)
				return EXIT_NO_RUN;
			continue;
		}
		if ((c == 's' && parse_server(optarg, o) == 0) ||
		    (c == 'S' && parse_socket(optarg, o) == 0) ||
		    (c == 't' && parse_timeout(optarg, &o->timeout_s) == 0))
			continue;
		if (c == 's' || c == 'S' || c == 't')
			fprintf(stderr, "ferryctl: bad -%c value \"%s\"\n", c,
				optarg);
		usage(stderr);
		return EXIT_NO_RUN;
	}
	o->words = optind < argc ? argv + optind : NULL;
	o->n_words = argc - optind;
	return -1;
}

/* Connecting. */

static int
connect_one(const struct addrinfo *ai, uint64_t deadline)
{
	struct pollfd pfd = { .events = POLLOUT };
	socklen_t len = sizeof(int);
	int fd, err = 0, n;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
	    errno != EINPROGRESS)
		err = errno;
	pfd.fd = fd;
	if (err == 0) {
		n = poll(&pfd, 1, ms_left(deadline));
		if (n == 0)
			err = ETIMEDOUT;
		else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
					     &len) < 0)
			err = errno;
	}
	if (err != 0) {
		close(fd);
		return -err;
	}
	return fd;
}

static int
connect_unix(const struct opts *o, uint64_t deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct addrinfo ai = {
		.ai_family = AF_UNIX, .ai_socktype = SOCK_STREAM,
		.ai_addr = (struct sockaddr *)&sa, .ai_addrlen = sizeof(sa),
	};
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", o->path);
	fd = connect_one(&ai, deadline);
	if (fd < 0)
		fprintf(stderr, "ferryctl: cannot connect to %s: %s%s\n",
			o->path, strerror(-fd), fd == -EACCES ?
			" (its group may use it: see cli.socket_group)" : "");
	return fd < 0 ? -1 : fd;
}

/* A connected socket (non-blocking), or -1 after a message. */
static int
connect_server(const struct opts *o, uint64_t deadline)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int fd = -ENOENT, rc;

	if (o->host[0] == '\0')
		return connect_unix(o, deadline);
	rc = getaddrinfo(o->host, o->port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "ferryctl: %s:%s: %s\n", o->host, o->port,
			gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = connect_one(ai, deadline);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		fprintf(stderr, "ferryctl: cannot connect to %s:%s: %s\n",
			o->host, o->port, strerror(-fd));
	return fd < 0 ? -1 : fd;
}

/* Sending, all of it, within the deadline. */
static int
send_all(int fd, const void *p, size_t n, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t k;

	while (n > 0) {
		k = send(fd, p, n, MSG_NOSIGNAL);
		if (k > 0) {
			p = (const char *)p + k;
			n -= k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			return -1;
		} else if (poll(&pfd, 1, ms_left(deadline)) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

/* Telnet. */

static void
tn_answer(struct tn *t, uint8_t opt)
{
	uint8_t reply[3] = { TN_IAC, TN_WONT, opt };
	bool ours = opt == TELOPT_ECHO || opt == TELOPT_SGA;

	if (t->verb == TN_WILL)
		reply[1] = t->agree && ours ? TN_DO : TN_DONT;
	else if (t->verb != TN_DO)
		return; /* WONT/DONT: nothing of ours is on */
	/* best effort: a lost answer leaves the server in line mode */
	(void)send_all(t->fd, reply, sizeof(reply), 0);
}

/* The byte after IAC. @return 0, or -1 if out of memory. */
static int
tn_command(struct tn *t, uint8_t c, struct buf *out)
{
	t->verb = c;
	t->st = TS_DATA;
	if (c == TN_SB)
		t->st = TS_SB;
	else if (c >= TN_WILL && c <= TN_DONT)
		t->st = TS_OPT;
	else if (c == TN_IAC)
		return buf_add(out, &c, 1); /* IAC IAC: a data byte 255 */
	return 0;
}

/* One byte from the server; data bytes worth keeping go to @p out. */
static int
tn_byte(struct tn *t, uint8_t c, struct buf *out)
{
	switch (t->st) {
	case TS_IAC:
		return tn_command(t, c, out);
	case TS_OPT:
		tn_answer(t, c);
		t->st = TS_DATA;
		return 0;
	case TS_SB:
		t->st = c == TN_IAC ? TS_SB_IAC : TS_SB;
		return 0;
	case TS_SB_IAC:
		t->st = c == TN_SE ? TS_DATA : TS_SB;
		return 0;
	case TS_DATA:
		break;
	}
	if (c == TN_IAC)
		t->st = TS_IAC;
	else if (c != '\0' && (c != '\r' || t->raw))
		return buf_add(out, &c, 1); /* NUL and, to a pipe, CR: noise */
	return 0;
}

/*
 * Read what the server sends until it closes: 0, or -1 after a message
 * (error, timeout).
 */
static int
read_to_eof(struct tn *t, struct buf *out, uint64_t deadline)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	uint8_t chunk[4096];
	ssize_t n, i;

	for (;;) {
		n = recv(t->fd, chunk, sizeof(chunk), 0);
		if (n == 0)
			return 0;
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "ferryctl: %s\n", strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++)
			if (tn_byte(t, chunk[i], out) < 0)
				return -1;
		if (n < 0 && poll(&pfd, 1, ms_left(deadline)) == 0) {
			fprintf(stderr, "ferryctl: no answer within the "
				"timeout\n");
			return -1;
		}
	}
}

/*
 * Wait for the server's first bytes (banner, or the refusal of a full
 * server) before sending anything: a server that refuses closes at once,
 * and a command already on its way would make that close a reset that
 * can destroy the refusal text. @return bytes read, 0 at EOF, -1.
 */
static int
read_greeting(struct tn *t, struct buf *out, uint64_t deadline)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	uint8_t chunk[4096];
	ssize_t n, i;

	do {
		if (poll(&pfd, 1, ms_left(deadline)) == 0) {
			fprintf(stderr, "ferryctl: no greeting within the "
				"timeout\n");
			return -1;
		}
		n = recv(t->fd, chunk, sizeof(chunk), 0);
	} while (n < 0 && (errno == EAGAIN || errno == EINTR));
	if (n < 0) {
		fprintf(stderr, "ferryctl: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (tn_byte(t, chunk[i], out) < 0)
			return -1;
	return (int)n;
}

/* One command. */

/*
 * Words joined by blanks; a word with blanks or quotes is quoted. One
 * word with blanks is a whole command line (vtysh -c), sent as it is.
 */
static int
join_words(char **words, int n, struct buf *b)
{
	const char *s;
	int i;

	if (n == 1 && strpbrk(words[0], " \t") != NULL) {
		for (s = words[0]; *s != '\0'; s++)
			if ((unsigned char)*s < ' ' && *s != '\t')
				return -1; /* a newline: a 2nd command */
		return buf_add(b, words[0], strlen(words[0]));
	}
	for (i = 0; i < n; i++) {
		bool quote = words[i][0] == '\0' ||
			     strpbrk(words[i], " \t\"") != NULL;

		if ((i > 0 && buf_add(b, " ", 1) < 0) ||
		    (quote && buf_add(b, "\"", 1) < 0))
			return -1;
		for (s = words[i]; *s != '\0'; s++) {
			if ((unsigned char)*s < ' ' || *s == 0x7f)
				return -1; /* a newline: a 2nd command */
			if ((*s == '"' || *s == '\\') && quote &&
			    buf_add(b, "\\", 1) < 0)
				return -1;
			if (buf_add(b, s, 1) < 0)
				return -1;
		}
		if (quote && buf_add(b, "\"", 1) < 0)
			return -1;
	}
	return 0;
}

/* The line to send: the words, "| json" if asked, then quit. */
static int
join_command(const struct opts *o, struct buf *b)
{
	if (join_words(o->words, o->n_words, b) < 0 ||
	    (o->json && buf_add(b, " | json", 7) < 0))
		return -1;
	return buf_add(b, "\nquit\n", 6);
}

/*
 * Find the output in what a session sent: BANNER "\n" PROMPT OUTPUT
 * PROMPT, OUTPUT empty or ending in "\n" (PROMPT alone after "quit").
 * @return 0 and the output's place, or -1 if no prompt came (the server
 * refused the session).
 */
static int
split_reply(const char *s, size_t len, size_t *off, size_t *n)
{
	const char *end = s + len, *r, *last;
	size_t plen;

	r = memchr(s, '\n', len);
	if (r == NULL || r + 1 == end)
		return -1;
	r++;
	*off = r - s;
	*n = 0;
	last = memrchr(r, '\n', end - r);
	if (last == NULL)
		return 0; /* PROMPT PROMPT: no output */
	/* the prompt is what follows the output's last newline */
	plen = end - (last + 1);
	if (plen <= (size_t)(last + 1 - r) && memcmp(r, last + 1, plen) == 0)
		*off += plen;
	*n = (last + 1) - (s + *off);
	return 0;
}

static int
print_output(const char *s, size_t n)
{
	bool error = n >= 2 && s[0] == '%' && s[1] == ' ';

	fwrite(s, 1, n, error ? stderr : stdout);
	return error ? EXIT_ERROR_LINE : 0;
}

/* The greeting so far ends with the password prompt (after the banner). */
static bool
asks_password(const struct buf *got)
{
	size_t n = strlen(PASSWORD_PROMPT);

	return got->len >= n &&
	       memcmp(got->p + got->len - n, PASSWORD_PROMPT, n) == 0;
}

/*
 * Wait for the greeting's prompt; if it asks for a password, send ours.
 * @return 0, or -1 (reported: no password given, I/O).
 */
static int
send_password(const struct opts *o, struct tn *t, struct buf *got,
	      uint64_t deadline)
{
	const char *nl = memchr(got->p, '\n', got->len);

	/* banner and prompt come in one write, but a read may split them */
	while ((nl == NULL || (size_t)(nl + 1 - got->p) == got->len)) {
		if (read_greeting(t, got, deadline) <= 0)
			return -1;
		nl = memchr(got->p, '\n', got->len);
	}
	if (!asks_password(got))
		return 0;
	if (o->password[0] == '\0') {
		fprintf(stderr, "ferryctl: the CLI asks for a password: give "
			"-p FILE or FERRY_CLI_PASSWORD\n");
		return -1;
	}
	if (send_all(t->fd, o->password, strlen(o->password), deadline) < 0 ||
	    send_all(t->fd, "\n", 1, deadline) < 0) {
		fprintf(stderr, "ferryctl: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Take "Password: \n" (the accepted password's line) out of the reply. */
static int
auth_strip(struct buf *got)
{
	static const char line[] = PASSWORD_PROMPT "\n";
	char *nl = memchr(got->p, '\n', got->len);
	size_t n = sizeof(line) - 1, at;

	if (nl == NULL)
		return 0;
	at = (size_t)(nl + 1 - got->p);
	if (got->len - at >= n && memcmp(got->p + at, line, n) == 0) {
		memmove(got->p + at, got->p + at + n, got->len - at - n + 1);
		got->len -= n;
	}
	return 0;
}

static int
one_command(const struct opts *o, int fd, uint64_t deadline)
{
	struct tn t = { .fd = fd };
	struct buf cmd = { 0 }, got = { 0 };
	size_t off, n;
	int rc = EXIT_NO_RUN;

	if (join_command(o, &cmd) < 0) {
		fprintf(stderr, "ferryctl: command words must not hold "
			"control characters\n");
	} else if ((n = (size_t)read_greeting(&t, &got, deadline)) ==
		   (size_t)-1) {
		/* reported */
	} else if (n == 0 || (got.len >= 2 && memcmp(got.p, "% ", 2) == 0)) {
		/* closed, or refused ("% too many sessions"): send nothing */
		read_to_eof(&t, &got, deadline);
		fprintf(stderr, "ferryctl: no session: %.*s\n", (int)got.len,
			got.len > 0 ? got.p : "connection closed");
	} else if (send_password(o, &t, &got, deadline) < 0) {
		/* reported */
	} else if (send_all(fd, cmd.p, cmd.len, deadline) < 0) {
		fprintf(stderr, "ferryctl: %s\n", strerror(errno));
	} else if (read_to_eof(&t, &got, deadline) == 0) {
		if (strstr(got.p, "% authentication failed") != NULL)
			fprintf(stderr, "ferryctl: the CLI refused the "
				"password\n");
		else if (auth_strip(&got) == 0 &&
			 split_reply(got.p, got.len, &off, &n) == 0)
			rc = print_output(got.p + off, n);
		else
			fprintf(stderr, "ferryctl: no session: %s\n",
				got.len > 0 ? got.p : "connection closed");
	}
	free(cmd.p);
	free(got.p);
	return rc;
}

/* A session. */

static void
tty_restore(void)
{
	if (tty_is_raw)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	tty_is_raw = false;
}

/* tcsetattr() is async-signal-safe: the terminal is never left raw. */
static void
on_signal(int sig)
{
	tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
tty_raw(void)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return -1;
	raw = saved_tty;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) < 0)
		return -1;
	tty_is_raw = true;
	atexit(tty_restore);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	return 0;
}

/*
 * Keys to the server: in raw mode Enter is CR NUL (NVT) and Ctrl-]
 * leaves; a byte 255 is doubled. @return 2 to leave, 0, -1 error.
 */
static int
send_keys(int fd, const uint8_t *p, size_t n, bool raw)
{
	struct buf b = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (raw && p[i] == KEY_QUIT)
			rc = 2;
		else if (raw && p[i] == '\r')
			rc = buf_add(&b, "\r\0", 2);
		else if (p[i] == TN_IAC)
			rc = buf_add(&b, "\xff\xff", 2);
		else
			rc = buf_add(&b, &p[i], 1);
	}
	if (rc >= 0 && b.len > 0 && send_all(fd, b.p, b.len, 0) < 0)
		rc = -1;
	free(b.p);
	return rc;
}

/*
 * Watch a session's output for error lines: "% " at the start of a
 * line, or right after the prompt (a line-mode client echoes nothing,
 * so the output follows "ferry> " on its row).
 */
static void
note_errors(struct tn *t, const char *p, size_t n)
{
	size_t i, pre;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			t->head_len = 0;
			continue;
		}
		if (t->head_len == sizeof(t->head) - 1)
			continue; /* too far into the line to start an error */
		t->head[t->head_len++] = p[i];
		if (t->head_len < 2 || memcmp(t->head + t->head_len - 2, "% ",
					      2) != 0)
			continue;
		pre = t->head_len - 2;
		if (pre == 0 || (pre >= 2 && t->head[pre - 1] == ' ' &&
				 t->head[pre - 2] == '>' &&
				 memchr(t->head, ' ', pre - 1) == NULL))
			t->failed = true;
	}
}

/* The server's bytes to stdout. @return 1 when it closed, 0, -1. */
static int
from_server(struct tn *t)
{
	struct buf out = { 0 };
	uint8_t chunk[4096];
	ssize_t n, i;
	int rc = 0;

	n = recv(t->fd, chunk, sizeof(chunk), 0);
	if (n == 0)
		return 1;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = tn_byte(t, chunk[i], &out);
	if (rc == 0 && !t->raw)
		note_errors(t, out.p, out.len);
	if (rc == 0 && out.len > 0 &&
	    write(STDOUT_FILENO, out.p, out.len) != (ssize_t)out.len)
		rc = -1;
	free(out.p);
	return rc;
}

/* stdin to the server. @return 2 to leave, 0, -1. */
static int
from_stdin(int fd, bool raw, bool *open)
{
	uint8_t chunk[4096];
	ssize_t n;

	n = read(STDIN_FILENO, chunk, sizeof(chunk));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n > 0)
		return send_keys(fd, chunk, n, raw);
	/* the end of the input: the server runs the last line, closes */
	*open = false;
	shutdown(fd, SHUT_WR);
	return 0;
}

static int
session(int fd)
{
	bool raw = isatty(STDIN_FILENO) && tty_raw() == 0, in_open = true;
	struct tn t = { .fd = fd, .agree = raw, .raw = raw };
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	int rc = 0;

	while (rc == 0) {
		if (poll(pfd, in_open ? 2 : 1, -1) < 0 && errno != EINTR)
			rc = -1;
		else if (pfd[0].revents != 0)
			rc = from_server(&t);
		else if (in_open && pfd[1].revents != 0)
			rc = from_stdin(fd, raw, &in_open);
	}
	tty_restore();
	if (rc == 2)
		printf("\n"); /* left mid-line: the shell's prompt on its own */
	if (rc < 0)
		fprintf(stderr, "ferryctl: %s\n", strerror(errno));
	if (rc < 0)
		return EXIT_NO_RUN;
	return t.failed ? EXIT_ERROR_LINE : 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	uint64_t deadline;
	int rc, fd;

	rc = opts_parse(argc, argv, &o);
	if (rc >= 0)
		return rc;
	deadline = o.timeout_s > 0 ?
		   now_ms() + (uint64_t)(o.timeout_s * 1000 + 0.5) : 0;
	fd = connect_server(&o, deadline);
	if (fd < 0)
		return EXIT_NO_RUN;
	if (o.words != NULL)
		rc = one_command(&o, fd, deadline);
	else
		rc = session(fd);
	close(fd);
	return rc;
}
