/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's telnet server, run by the management lcore from its loop:
 * every socket is non-blocking and cli_server_poll() only waits in
 * poll(), so a slow or stuck client never stalls the appliance.
 *
 * Telnet (RFC 854) with two options of the server's, ECHO (RFC 857) and
 * SUPPRESS-GO-AHEAD (RFC 858). On connect the server sends
 * IAC WILL ECHO, IAC WILL SGA. A telnet client agrees (DO ECHO, DO SGA),
 * turns its local echo and line buffering off and sends every key as
 * typed: the session is then in character mode and the line editor
 * (edit.c) echoes, edits, keeps history, completes on Tab and helps on
 * `?`. Every other option, asked or offered, is refused (WONT / DONT,
 * LINEMODE and NAWS included), and acknowledgements are never answered,
 * so negotiation cannot loop (RFC 1143).
 *
 * Clients that never answer (nc, a pipe) or refuse (ferryctl) stay in
 * line mode: they edit locally and send whole lines, which run as they
 * come. Such a client receives the 6 negotiation bytes once; they are
 * followed by CR NUL, so on a terminal the banner overwrites what the
 * bytes showed, and scripts strip IAC sequences (ferryctl does). A
 * line-mode client's last line runs at EOF even without its newline; a
 * character-mode client's unfinished line does not: it was never
 * entered.
 *
 * Telnet commands are parsed by a state machine that survives between
 * reads, so a sequence split over reads or cut by EOF never reaches a
 * command; IAC EC, EL and IP act as backspace, ^U and ^C. Output is
 * queued per session and flushed when the socket takes it; a client
 * that stops reading is dropped once its queue passes CLI_OBUF_MAX.
 *
 * With a password configured, a session's first line is the password
 * ("Password: ", never echoed nor kept in the history, wiped after the
 * check). A wrong one is answered "% authentication failed" and the
 * session is not read for 1 s, then 2 s (input waits in the socket, so
 * a script's following lines count as the next tries); the third wrong
 * one closes it. Failures are logged with the client's address.
 */
#define _GNU_SOURCE /* accept4() */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_priv.h"

#define CLI_OBUF_MAX (1024 * 1024)  /* queued output before a drop */
/*
 * Kernel send buffer of a session. Fixed (no autotuning, which on
 * loopback grows to megabytes) so that CLI_OBUF_MAX, not the kernel,
 * bounds what a client that stops reading can pin.
 */
#define CLI_SNDBUF (128 * 1024)
#define CLI_OBUF_KEEP (64 * 1024)   /* kept allocated when idle */
#define CLI_LINGER_MS 5000          /* to flush output before a close */
#define CLI_READ_CHUNK 4096
#define CLI_MAX_SESSIONS_LIMIT 1024
#define CLI_DEFAULT_PROMPT "ferry> "
#define CLI_PASSWORD_PROMPT "Password: "
#define CLI_AUTH_TRIES 3            /* wrong passwords before a close */
#define CLI_AUTH_DELAY_MS 1000      /* times the failures so far */
#ifdef FERRY_VERSION
#define CLI_DEFAULT_BANNER "ferry " FERRY_VERSION
#else
#define CLI_DEFAULT_BANNER "ferry"
#endif

/* Telnet commands (RFC 854). */
#define TN_SE   240
#define TN_IP   244  /* interrupt process: drop the line, as ^C */
#define TN_EC   247  /* erase character */
#define TN_EL   248  /* erase line */
#define TN_SB   250
#define TN_WILL 251
#define TN_WONT 252
#define TN_DO   253
#define TN_DONT 254
#define TN_IAC  255

/* Telnet options the server offers. */
#define TELOPT_ECHO 1
#define TELOPT_SGA  3

/* State of one of our options (RFC 1143, without the queue bit). */
enum opt_state {
	OPT_NO,
	OPT_WANT,    /* we sent WILL and await DO or DONT */
	OPT_YES,
};

/* Where the input parser is within a telnet command. */
enum iac_state {
	ST_DATA,
	ST_IAC,      /* after IAC */
	ST_OPT,      /* after IAC WILL/WONT/DO/DONT, the option is next */
	ST_SB,       /* inside IAC SB ... IAC SE */
	ST_SB_IAC,   /* IAC inside a subnegotiation */
};

struct cli_session {
	struct cli_server *srv;
	int fd;
	struct cli_out *out;
	enum iac_state st;
	uint8_t verb;         /* the WILL/WONT/DO/DONT awaiting its option */
	enum opt_state us_echo; /* our ECHO: on means character mode */
	enum opt_state us_sga;
	bool after_cr;        /* swallow the '\n' or '\0' after a '\r' */
	bool cr_queued;       /* the last byte queued was '\r' */
	bool mid_row;         /* the last text written did not end a line */
	uint64_t written;     /* bytes of text written, to see output */
	bool closing;         /* read no more; close once output is out */
	bool dead;            /* close now */
	uint64_t last_input;  /* ms, for the idle timeout */
	bool authed;          /* password given (or none configured) */
	unsigned int auth_fails;
	uint64_t locked_until; /* ms: not read before (after a failure) */
	char peer[INET_ADDRSTRLEN + 8]; /* "a.b.c.d:port", for the log */
	uint8_t *pend;        /* input read before a failure locked it */
	size_t pend_len;
	uint64_t close_by;    /* ms, when closing gives up flushing */
	struct cli_edit ed;   /* the line being typed */
	char *obuf;           /* output not yet taken by the socket */
	size_t ooff;
	size_t olen;
	size_t ocap;
};

struct cli_server {
	int fd;
	uint16_t port;
	unsigned int max_sessions;
	unsigned int idle_timeout_s;
	char *banner;
	char *prompt;
	char *password;       /* crypt(3) hash; NULL = none */
	unsigned int n_sess;
	struct cli_session **sess;
	struct pollfd *pfd;   /* listener, then one per session */
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Output. */

static void
sess_flush(struct cli_session *s)
{
	ssize_t n;

	while (!s->dead && s->ooff < s->olen) {
		n = send(s->fd, s->obuf + s->ooff, s->olen - s->ooff,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			s->ooff += n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* the rest goes on POLLOUT */
		else
			s->dead = true;
	}
	s->ooff = s->olen = 0;
	if (s->ocap > CLI_OBUF_KEEP) {
		/* one long listing should not pin its buffer for good */
		free(s->obuf);
		s->obuf = NULL;
		s->ocap = 0;
	}
}

static void
sess_queue(struct cli_session *s, const void *p, size_t n)
{
	size_t pending = s->olen - s->ooff, cap;
	char *nb;

	if (s->dead || n == 0)
		return;
	if (pending + n > CLI_OBUF_MAX) {
		/* A client reading while a long command runs makes room. */
		sess_flush(s);
		pending = s->olen - s->ooff;
	}
	if (pending + n > CLI_OBUF_MAX) {
		s->dead = true; /* the client does not read: drop it */
		return;
	}
	if (s->ooff > 0) {
		memmove(s->obuf, s->obuf + s->ooff, pending);
		s->ooff = 0;
		s->olen = pending;
	}
	for (cap = s->ocap ? s->ocap : 4096; cap < s->olen + n; cap *= 2)
		;
	if (cap != s->ocap) {
		nb = realloc(s->obuf, cap);
		if (nb == NULL) {
			s->dead = true;
			return;
		}
		s->obuf = nb;
		s->ocap = cap;
	}
	memcpy(s->obuf + s->olen, p, n);
	s->olen += n;
}

/* The session's sink: NVT wants "\r\n", and a data byte 255 doubled. */
static void
sess_write(void *ctx, const char *p, size_t n)
{
	struct cli_session *s = ctx;
	size_t i, run = 0;
	bool cr;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n' && (uint8_t)p[i] != TN_IAC)
			continue;
		cr = i > 0 ? p[i - 1] == '\r' : s->cr_queued;
		sess_queue(s, p + run, i - run);
		if (p[i] == '\n')
			sess_queue(s, cr ? "\n" : "\r\n", cr ? 1 : 2);
		else
			sess_queue(s, "\xff\xff", 2);
		run = i + 1;
	}
	sess_queue(s, p + run, n - run);
	if (n > 0) {
		s->cr_queued = p[n - 1] == '\r';
		s->mid_row = p[n - 1] != '\n';
		s->written += n;
	}
}

static void
sess_prompt(struct cli_session *s)
{
	cli_printf(s->out, "%s", s->srv->prompt);
}

static void
sess_close_soon(struct cli_session *s)
{
	s->closing = true;
	s->close_by = now_ms() + CLI_LINGER_MS;
}

/* Input: lines. */

/* The first line of a session with a password. */
static void
sess_auth(struct cli_session *s)
{
	const char *line = cli_edit_line(&s->ed);
	bool ok = line != NULL && cli_password_check(line, s->srv->password);

	cli_edit_wipe(&s->ed);
	cli_printf(s->out, "\n");
	if (ok) {
		s->authed = true;
		cli_edit_set_secret(&s->ed, false);
		s->ed.prompt = s->srv->prompt;
		sess_prompt(s);
		return;
	}
	s->auth_fails++;
	fprintf(stderr, "ferry: cli: authentication failed from %s (%u of %u)\n",
		s->peer, s->auth_fails, CLI_AUTH_TRIES);
	cli_error(s->out, "authentication failed");
	if (s->auth_fails >= CLI_AUTH_TRIES) {
		sess_close_soon(s);
		return;
	}
	s->locked_until = now_ms() + CLI_AUTH_DELAY_MS * s->auth_fails;
}

static void sess_feed(struct cli_session *s, const uint8_t *buf, size_t n);

/* After a failure's delay, ask again. */
static void
sess_unlock(struct cli_session *s, uint64_t now)
{
	if (s->locked_until == 0 || now < s->locked_until || s->closing)
		return;
	uint8_t *pend = s->pend;

	s->locked_until = 0;
	cli_printf(s->out, "%s", CLI_PASSWORD_PROMPT);
	s->pend = NULL;
	if (pend != NULL)
		sess_feed(s, pend, s->pend_len);
	free(pend);
	sess_flush(s);
}

static void
sess_line(struct cli_session *s)
{
	const char *line = cli_edit_line(&s->ed);
	uint64_t before = s->written;

	if (!s->authed) {
		sess_auth(s);
		return;
	}
	if (line == NULL)
		cli_error(s->out, "line too long");
	else
		cli_execute(line, s->out);
	/*
	 * Output ends a line, so the prompt starts a row and a client
	 * (ferryctl) can tell output from prompt.
	 */
	if (s->written != before && s->mid_row)
		cli_printf(s->out, "\n");
	cli_edit_reset(&s->ed);
	if (cli_out_close_requested(s->out))
		sess_close_soon(s);
	else
		sess_prompt(s);
}

static void
sess_data(struct cli_session *s, uint8_t c)
{
	if (s->after_cr) {
		s->after_cr = false;
		if (c == '\n' || c == '\0')
			return;
	}
	if (c == '\r')
		s->after_cr = true;
	switch (cli_edit_byte(&s->ed, c)) {
	case CLI_EDIT_LINE:
		sess_line(s);
		break;
	case CLI_EDIT_EOF:
		if (s->ed.echo)
			cli_printf(s->out, "\n"); /* the client's next row */
		sess_close_soon(s);
		break;
	default:
		break;
	}
}

/* Option negotiation. */

static void
sess_reply(struct cli_session *s, uint8_t verb, uint8_t opt)
{
	const uint8_t reply[3] = { TN_IAC, verb, opt };

	sess_queue(s, reply, sizeof(reply));
}

static enum opt_state *
our_option(struct cli_session *s, uint8_t opt)
{
	if (opt == TELOPT_ECHO)
		return &s->us_echo;
	if (opt == TELOPT_SGA)
		return &s->us_sga;
	return NULL;
}

/* The client asks us to enable @p opt, or acknowledges our WILL. */
static void
opt_do(struct cli_session *s, uint8_t opt)
{
	enum opt_state *st = our_option(s, opt);

	if (st == NULL)
		sess_reply(s, TN_WONT, opt);
	else if (*st == OPT_NO)
		sess_reply(s, TN_WILL, opt);
	if (st != NULL)
		*st = OPT_YES; /* an acknowledgement gets no answer */
}

/* The client asks us to disable @p opt, or refuses our WILL. */
static void
opt_dont(struct cli_session *s, uint8_t opt)
{
	enum opt_state *st = our_option(s, opt);

	if (st == NULL)
		return; /* already off */
	if (*st == OPT_YES)
		sess_reply(s, TN_WONT, opt);
	*st = OPT_NO;
}

static void
sess_option(struct cli_session *s, uint8_t verb, uint8_t opt)
{
	if (verb == TN_DO)
		opt_do(s, opt);
	else if (verb == TN_DONT)
		opt_dont(s, opt);
	else if (verb == TN_WILL)
		sess_reply(s, TN_DONT, opt); /* none of the client's */
	/* WONT: none of the client's options was on */
	if (opt == TELOPT_ECHO && s->ed.echo != (s->us_echo == OPT_YES))
		cli_edit_set_echo(&s->ed, s->us_echo == OPT_YES);
}

/* The offer sent on connect, before the banner. */
static void
sess_negotiate(struct cli_session *s)
{
	/* CR NUL: on nc's terminal the banner overwrites these bytes */
	static const uint8_t offer[] = {
		TN_IAC, TN_WILL, TELOPT_ECHO, TN_IAC, TN_WILL, TELOPT_SGA,
		'\r', '\0',
	};

	sess_queue(s, offer, sizeof(offer));
	s->us_echo = OPT_WANT;
	s->us_sga = OPT_WANT;
}

static void
sess_command(struct cli_session *s, uint8_t c)
{
	s->st = ST_DATA;
	switch (c) {
	case TN_IAC:
		sess_data(s, c); /* IAC IAC is a data byte 255 */
		break;
	case TN_WILL: case TN_WONT: case TN_DO: case TN_DONT:
		s->verb = c;
		s->st = ST_OPT;
		break;
	case TN_SB:
		s->st = ST_SB;
		break;
	case TN_EC:
		cli_edit_byte(&s->ed, 0x7f);
		break;
	case TN_EL:
		cli_edit_byte(&s->ed, 0x15);
		break;
	case TN_IP:
		cli_edit_byte(&s->ed, 0x03);
		break;
	default:
		break; /* NOP, GA, AYT, ...: nothing to do */
	}
}

/* One received byte; the state survives between reads. */
static void
sess_byte(struct cli_session *s, uint8_t c)
{
	switch (s->st) {
	case ST_DATA:
		if (c == TN_IAC)
			s->st = ST_IAC;
		else
			sess_data(s, c);
		break;
	case ST_IAC:
		sess_command(s, c);
		break;
	case ST_OPT:
		sess_option(s, s->verb, c);
		s->st = ST_DATA;
		break;
	case ST_SB:
		if (c == TN_IAC)
			s->st = ST_SB_IAC;
		break;
	case ST_SB_IAC:
		/* IAC SE ends it; IAC IAC is a data byte of the option */
		s->st = c == TN_SE ? ST_DATA : ST_SB;
		break;
	}
}

static void
sess_eof(struct cli_session *s)
{
	/*
	 * A pipe's last line may lack its newline: still run it. A line
	 * typed in character mode was not entered: drop it.
	 */
	if (!s->ed.echo && !cli_edit_empty(&s->ed))
		sess_line(s);
	sess_close_soon(s);
}

/*
 * Run received bytes. After quit, the rest is not for us; after a wrong
 * password, the rest waits for the delay to pass (sess_unlock()).
 */
static void
sess_feed(struct cli_session *s, const uint8_t *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && !s->closing && !s->dead; i++) {
		sess_byte(s, buf[i]);
		if (s->locked_until != 0 && i + 1 < n) {
			free(s->pend);
			s->pend = malloc(n - i - 1);
			if (s->pend == NULL) {
				s->dead = true;
				return;
			}
			memcpy(s->pend, buf + i + 1, n - i - 1);
			s->pend_len = n - i - 1;
			return;
		}
	}
}

static void
sess_read(struct cli_session *s)
{
	uint8_t buf[CLI_READ_CHUNK];
	ssize_t n;

	n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			s->dead = true;
		return;
	}
	if (n == 0) {
		sess_eof(s);
		return;
	}
	s->last_input = now_ms();
	sess_feed(s, buf, (size_t)n);
}

/* Sessions. */

static void
sess_peer_name(struct cli_session *s)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char ip[INET_ADDRSTRLEN] = "?";

	if (getpeername(s->fd, (struct sockaddr *)&sa, &len) == 0 &&
	    sa.sin_family == AF_INET)
		inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
	snprintf(s->peer, sizeof(s->peer), "%s:%u", ip,
		 (unsigned int)ntohs(sa.sin_port));
}

static struct cli_session *
sess_new(struct cli_server *srv, int fd)
{
	struct cli_session *s = calloc(1, sizeof(*s));
	int sndbuf = CLI_SNDBUF;

	if (s == NULL)
		return NULL;
	s->out = cli_out_custom(sess_write, s);
	if (s->out == NULL) {
		free(s);
		return NULL;
	}
	s->srv = srv;
	s->fd = fd;
	s->last_input = now_ms();
	s->authed = srv->password == NULL;
	sess_peer_name(s);
	cli_edit_init(&s->ed, s->out, s->authed ? srv->prompt :
		      CLI_PASSWORD_PROMPT);
	cli_edit_set_secret(&s->ed, !s->authed);
	/* best effort: the default works too, only less predictably */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	sess_negotiate(s);
	cli_printf(s->out, "%s\n", srv->banner);
	cli_printf(s->out, "%s", s->ed.prompt);
	sess_flush(s);
	return s;
}

/*
 * Unread input makes close() send a reset, which can destroy the output
 * still in flight (the reply to "show x\nquit\nmore"): read it away.
 */
static void
sess_drain(int fd)
{
	char buf[CLI_READ_CHUNK];
	int i;

	for (i = 0; i < 16; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			break;
}

static void
sess_free(struct cli_session *s)
{
	if (!s->dead)
		sess_drain(s->fd);
	close(s->fd);
	cli_edit_free(&s->ed);
	cli_out_free(s->out);
	free(s->obuf);
	free(s->pend);
	free(s);
}

static void
sess_idle_check(struct cli_session *s, uint64_t now)
{
	unsigned int idle = s->srv->idle_timeout_s;

	if (idle == 0 || s->closing || now - s->last_input < idle * 1000ull)
		return;
	cli_printf(s->out, "\n");
	cli_error(s->out, "idle for %u s, closing the session", idle);
	sess_close_soon(s);
	sess_flush(s);
}

static bool
sess_done(const struct cli_session *s, uint64_t now)
{
	if (s->dead)
		return true;
	return s->closing && (s->ooff == s->olen || now >= s->close_by);
}

/* Close what is done; keep the array dense, in arrival order. */
static void
srv_sweep(struct cli_server *srv)
{
	uint64_t now = now_ms();
	unsigned int i, k = 0;

	for (i = 0; i < srv->n_sess; i++) {
		sess_idle_check(srv->sess[i], now);
		sess_unlock(srv->sess[i], now);
		if (sess_done(srv->sess[i], now))
			sess_free(srv->sess[i]);
		else
			srv->sess[k++] = srv->sess[i];
	}
	srv->n_sess = k;
}

static void
srv_reject(int fd)
{
	static const char msg[] = "% too many sessions\r\n";
	ssize_t n;

	n = send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)n; /* best effort: the socket closes either way */
	close(fd);
}

static int
srv_accept(struct cli_server *srv)
{
	struct cli_session *s;
	int fd;

	for (;;) {
		fd = accept4(srv->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			       errno == EMFILE || errno == ENFILE ||
			       errno == ENOBUFS || errno == ENOMEM))
			return 0; /* none left, or retry on the next poll */
		if (fd < 0)
			return -errno;
		if (srv->n_sess >= srv->max_sessions) {
			srv_reject(fd);
			continue;
		}
		s = sess_new(srv, fd);
		if (s == NULL)
			close(fd);
		else
			srv->sess[srv->n_sess++] = s;
	}
}

static unsigned int
srv_pollfds(struct cli_server *srv)
{
	struct cli_session *s;
	unsigned int i;

	srv->pfd[0].fd = srv->fd;
	srv->pfd[0].events = POLLIN;
	for (i = 0; i < srv->n_sess; i++) {
		s = srv->sess[i];
		srv->pfd[i + 1].fd = s->fd;
		srv->pfd[i + 1].events =
			(s->closing || s->locked_until != 0 ? 0 : POLLIN) |
					 (s->ooff < s->olen ? POLLOUT : 0);
		srv->pfd[i + 1].revents = 0;
	}
	return srv->n_sess + 1;
}

static void
sess_events(struct cli_session *s, short revents)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		if (s->closing)
			s->dead = (revents & (POLLERR | POLLHUP)) != 0;
		else
			sess_read(s);
	}
	sess_flush(s);
}

int
cli_server_poll(struct cli_server *srv, int timeout_ms)
{
	unsigned int n, i;
	int rc = 0;

	if (srv == NULL)
		return -EINVAL;
	n = srv_pollfds(srv);
	if (poll(srv->pfd, n, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	/* Sessions first: accepting appends to the array polled here. */
	for (i = 1; i < n; i++)
		if (srv->pfd[i].revents != 0)
			sess_events(srv->sess[i - 1], srv->pfd[i].revents);
	if (srv->pfd[0].revents & (POLLERR | POLLNVAL))
		rc = -EIO;
	else if (srv->pfd[0].revents & POLLIN)
		rc = srv_accept(srv);
	srv_sweep(srv);
	return rc;
}

/* The listener. */

static int
srv_listen(struct cli_server *srv, const char *address, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1;

	if (inet_pton(AF_INET, address, &sa.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	sa.sin_port = htons(port);
	srv->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 0);
	if (srv->fd < 0)
		return -1;
	/* A restarted ferry must not wait for TIME_WAIT to rebind. */
	if (setsockopt(srv->fd, SOL_SOCKET, SO_REUSEADDR, &one,
		       sizeof(one)) < 0 ||
	    bind(srv->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(srv->fd, 16) < 0 ||
	    getsockname(srv->fd, (struct sockaddr *)&sa, &len) < 0)
		return -1;
	srv->port = ntohs(sa.sin_port);
	return 0;
}

static int
srv_alloc(struct cli_server *srv, const struct cli_server_params *p)
{
	srv->max_sessions = p->max_sessions;
	srv->idle_timeout_s = p->idle_timeout_s;
	srv->banner = strdup(p->banner != NULL ? p->banner :
			     CLI_DEFAULT_BANNER);
	srv->prompt = strdup(p->prompt != NULL ? p->prompt :
			     CLI_DEFAULT_PROMPT);
	if (p->password != NULL && p->password[0] != '\0') {
		srv->password = strdup(p->password);
		if (srv->password == NULL) {
			errno = ENOMEM;
			return -1;
		}
	}
	srv->sess = calloc(p->max_sessions, sizeof(*srv->sess));
	srv->pfd = calloc(p->max_sessions + 1, sizeof(*srv->pfd));
	if (srv->banner == NULL || srv->prompt == NULL || srv->sess == NULL ||
	    srv->pfd == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

struct cli_server *
cli_server_create(const struct cli_server_params *p)
{
	struct cli_server *srv;
	int err;

	if (p == NULL || p->max_sessions == 0 ||
	    p->max_sessions > CLI_MAX_SESSIONS_LIMIT) {
		errno = EINVAL;
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		return NULL;
	srv->fd = -1;
	if (srv_alloc(srv, p) < 0 || srv_listen(srv, p->address, p->port) < 0) {
		err = errno;
		cli_server_free(srv);
		errno = err;
		return NULL;
	}
	return srv;
}

uint16_t
cli_server_port(const struct cli_server *srv)
{
	return srv != NULL ? srv->port : 0;
}

void
cli_server_free(struct cli_server *srv)
{
	unsigned int i;

	if (srv == NULL)
		return;
	for (i = 0; i < srv->n_sess; i++) {
		sess_flush(srv->sess[i]); /* best effort, never waits */
		sess_free(srv->sess[i]);
	}
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv->sess);
	free(srv->pfd);
	free(srv->banner);
	free(srv->prompt);
	free(srv->password);
	free(srv);
}
