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
 *
 * Nobody can lock the operator out (RFC 4732's "resource exhaustion"):
 * a TCP session that has not logged in (without a password: that has
 * not sent a line yet) is closed after login_timeout_s; one address may
 * hold max_per_source sessions; failed passwords make their source wait
 * longer and longer (guard.c); and the Unix socket, if configured, has
 * a slot of its own that TCP sessions never take (without one, TCP
 * sessions that have not logged in may hold max_sessions - 1 slots).
 *
 * Privilege (as IOS and FRR have it): a TCP session without credentials
 * may run read-only rows only (show ...); `enable` asks for the enable
 * secret, or a login with the password grants privilege when no enable
 * secret is configured. Unix socket sessions are privileged: the file's
 * mode and group decide who may open it.
 */
#define _GNU_SOURCE /* accept4(), struct ucred */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
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
#define CLI_UNIX_SLOTS 1            /* beyond max_sessions, Unix only */
#define CLI_UNIX_MODE 0660
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
	bool active;          /* logged in; without a password: sent a line */
	bool is_unix;         /* came by the Unix socket: privileged */
	bool want_enable;     /* the next line is the enable secret */
	uint32_t src;         /* IPv4 source, host order (TCP) */
	uint64_t born;        /* ms, for the login timeout */
	unsigned int auth_fails;
	uint64_t locked_until; /* ms: not read before (after a failure) */
	char peer[48];        /* "a.b.c.d:port" or "unix uid N", for the log */
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
	int ufd;              /* the Unix socket's listener, or -1 */
	uint16_t port;
	unsigned int max_sessions;
	unsigned int idle_timeout_s;
	unsigned int login_timeout_s;
	unsigned int max_per_source;
	char *banner;
	char *prompt;
	char *password;       /* crypt(3) hash; NULL = none */
	char *enable_secret;  /* crypt(3) hash; NULL = none */
	char *unix_path;      /* to unlink at the end */
	unsigned int n_sess;
	struct cli_session **sess;
	struct pollfd *pfd;   /* listeners (TCP, Unix), then the sessions */
	struct cli_guard guard;
};

#define SRV_NFDS 2            /* listeners before the sessions in pfd */

/* The server `show cli` reports on: the one created last. */
static struct cli_server *shown_srv;

uint64_t
cli_now_ms(void)
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
	s->close_by = cli_now_ms() + CLI_LINGER_MS;
}

/* Input: lines. */

/* Back to commands after a secret was read. */
static void
sess_commands(struct cli_session *s)
{
	cli_edit_set_secret(&s->ed, false);
	s->ed.prompt = s->srv->prompt;
	s->want_enable = false;
	sess_prompt(s);
}

/*
 * Check a password or enable secret just typed against @p hash. A
 * source that must still wait after earlier failures is not checked at
 * all: the guesser learns nothing and is closed.
 * @return true if right.
 */
static bool
sess_secret_ok(struct cli_session *s, const char *hash, const char *what)
{
	const char *line = cli_edit_line(&s->ed);
	uint64_t now = cli_now_ms(), wait;
	bool ok;

	wait = cli_guard_wait_ms(&s->srv->guard, s->src, now);
	ok = wait == 0 && line != NULL && cli_password_check(line, hash);
	cli_edit_wipe(&s->ed);
	cli_printf(s->out, "\n");
	if (wait != 0) {
		s->srv->guard.stats.refused_backoff++;
		cli_error(s->out, "too many failed logins from this address; "
			  "try again in %.0f s", wait / 1e3 + 0.5);
		sess_close_soon(s);
		return false;
	}
	if (ok) {
		cli_guard_ok(&s->srv->guard, s->src, now);
		return true;
	}
	s->auth_fails++;
	wait = cli_guard_fail(&s->srv->guard, s->src, s->peer, what, now);
	cli_error(s->out, "authentication failed");
	if (s->auth_fails >= CLI_AUTH_TRIES) {
		sess_close_soon(s);
		return false;
	}
	if (wait < CLI_AUTH_DELAY_MS * s->auth_fails)
		wait = CLI_AUTH_DELAY_MS * s->auth_fails;
	s->locked_until = now + wait;
	return false;
}

/* The first line of a session with a password. */
static void
sess_auth(struct cli_session *s)
{
	if (!sess_secret_ok(s, s->srv->password, "login"))
		return;
	s->authed = true;
	s->active = true;
	/* one password and no enable secret: the login is the privilege */
	cli_out_set_privileged(s->out, s->srv->enable_secret == NULL);
	sess_commands(s);
}

/* The line after `enable`. */
static void
sess_enable(struct cli_session *s)
{
	bool ok = sess_secret_ok(s, s->srv->enable_secret, "enable");

	if (!ok)
		return; /* sess_unlock() gives the prompt back later */
	cli_out_set_privileged(s->out, true);
	sess_commands(s);
}

/* `enable` on a read-only session: ask for the secret, if there is one. */
static void
sess_enable_start(struct cli_session *s)
{
	if (s->srv->enable_secret == NULL) {
		cli_error(s->out, "no enable secret is configured "
			  "(cli.enable_secret): change the router over the "
			  "Unix socket (ferryctl) or log in with the password");
		return;
	}
	s->want_enable = true;
	cli_edit_set_secret(&s->ed, true);
	s->ed.prompt = CLI_PASSWORD_PROMPT;
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
	if (s->want_enable)
		sess_commands(s); /* a wrong enable secret: the prompt */
	else
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
	if (s->want_enable) {
		sess_enable(s);
		return;
	}
	s->active = true;
	if (line == NULL)
		cli_error(s->out, "line too long");
	else
		cli_execute(line, s->out);
	if (cli_out_enable_requested(s->out))
		sess_enable_start(s);
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
		cli_printf(s->out, "%s", s->ed.prompt);
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
	s->last_input = cli_now_ms();
	sess_feed(s, buf, (size_t)n);
}

/* Sessions. */

/* The peer's name for the log and `show cli`, and its IPv4 source. */
static void
peer_name(int fd, bool is_unix, char *name, size_t len, uint32_t *src)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	char ip[INET_ADDRSTRLEN] = "?";
	struct ucred cr;
	socklen_t cl = sizeof(cr);

	*src = 0;
	if (is_unix) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0)
			snprintf(name, len, "unix uid %u pid %d",
				 (unsigned int)cr.uid, (int)cr.pid);
		else
			snprintf(name, len, "unix");
		return;
	}
	if (getpeername(fd, (struct sockaddr *)&sa, &sl) == 0 &&
	    sa.sin_family == AF_INET) {
		inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
		*src = ntohl(sa.sin_addr.s_addr);
	}
	snprintf(name, len, "%s:%u", ip, (unsigned int)ntohs(sa.sin_port));
}

static struct cli_session *
sess_new(struct cli_server *srv, int fd, bool is_unix, uint32_t src,
	 const char *peer)
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
	s->last_input = cli_now_ms();
	s->born = s->last_input;
	s->is_unix = is_unix;
	s->src = src;
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	s->authed = srv->password == NULL || is_unix;
	s->active = is_unix;
	cli_out_set_privileged(s->out, is_unix);
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

/* A TCP session that has not logged in within the login timeout. */
static bool
sess_login_late(const struct cli_session *s, uint64_t now)
{
	unsigned int t = s->srv->login_timeout_s;

	return !s->active && t != 0 && now - s->born >= t * 1000ull;
}

static void
sess_idle_check(struct cli_session *s, uint64_t now)
{
	unsigned int idle = s->srv->idle_timeout_s;

	if (s->closing)
		return;
	if (sess_login_late(s, now)) {
		s->srv->guard.stats.login_timeouts++;
		cli_printf(s->out, "\n");
		cli_error(s->out, "no login within %u s, closing the session",
			  s->srv->login_timeout_s);
		sess_close_soon(s);
		sess_flush(s);
		return;
	}
	if (idle == 0 || now - s->last_input < idle * 1000ull)
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
	uint64_t now = cli_now_ms();
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
srv_reject(int fd, const char *why)
{
	char msg[160];
	ssize_t n;

	snprintf(msg, sizeof(msg), "%% %s\r\n", why);
	n = send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)n; /* best effort: the socket closes either way */
	close(fd);
}

/* Sessions of TCP clients: all of them, not logged in, from @p src. */
static void
srv_count(const struct cli_server *srv, uint32_t src, unsigned int *tcp,
	  unsigned int *pending, unsigned int *same)
{
	const struct cli_session *s;
	unsigned int i;

	*tcp = *pending = *same = 0;
	for (i = 0; i < srv->n_sess; i++) {
		s = srv->sess[i];
		if (s->is_unix)
			continue;
		(*tcp)++;
		*pending += !s->active;
		*same += s->src == src;
	}
}

/*
 * May one more TCP client from @p src come in? It never takes the Unix
 * socket's own slot. Without a Unix socket, a session that has not
 * logged in may not take the last TCP slot either (kept for one that
 * has: the slot no guesser can hold). @return NULL, or why not.
 */
static const char *
srv_admit_tcp(struct cli_server *srv, uint32_t src, char *why, size_t len)
{
	unsigned int tcp, pending, same, free_pending;
	uint64_t wait = cli_guard_wait_ms(&srv->guard, src, cli_now_ms());

	srv_count(srv, src, &tcp, &pending, &same);
	free_pending = srv->max_sessions;
	if (srv->ufd < 0 && free_pending > 1)
		free_pending--;
	if (wait != 0) {
		srv->guard.stats.refused_backoff++;
		snprintf(why, len, "too many failed logins from this address; "
			 "try again in %.0f s", wait / 1e3 + 0.5);
	} else if (tcp >= srv->max_sessions || pending >= free_pending) {
		srv->guard.stats.refused_full++;
		snprintf(why, len, "too many sessions");
	} else if (srv->max_per_source != 0 && same >= srv->max_per_source) {
		srv->guard.stats.refused_source++;
		snprintf(why, len, "too many sessions from this address");
	} else {
		return NULL;
	}
	return why;
}

static int
srv_accept(struct cli_server *srv, int lfd, bool is_unix)
{
	struct cli_session *s;
	char peer[48], why[96];
	uint32_t src;
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			       errno == EMFILE || errno == ENFILE ||
			       errno == ENOBUFS || errno == ENOMEM))
			return 0; /* none left, or retry on the next poll */
		if (fd < 0)
			return -errno;
		peer_name(fd, is_unix, peer, sizeof(peer), &src);
		if (srv->n_sess >= srv->max_sessions + CLI_UNIX_SLOTS) {
			srv->guard.stats.refused_full++;
			srv_reject(fd, "too many sessions");
			continue;
		}
		if (!is_unix && srv_admit_tcp(srv, src, why, sizeof(why))) {
			srv_reject(fd, why);
			continue;
		}
		s = sess_new(srv, fd, is_unix, src, peer);
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
	srv->pfd[1].fd = srv->ufd; /* -1: poll() skips it */
	srv->pfd[1].events = POLLIN;
	srv->pfd[1].revents = 0;
	for (i = 0; i < srv->n_sess; i++) {
		s = srv->sess[i];
		srv->pfd[i + SRV_NFDS].fd = s->fd;
		srv->pfd[i + SRV_NFDS].events =
			(s->closing || s->locked_until != 0 ? 0 : POLLIN) |
					 (s->ooff < s->olen ? POLLOUT : 0);
		srv->pfd[i + SRV_NFDS].revents = 0;
	}
	return srv->n_sess + SRV_NFDS;
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
	for (i = SRV_NFDS; i < n; i++)
		if (srv->pfd[i].revents != 0)
			sess_events(srv->sess[i - SRV_NFDS],
				    srv->pfd[i].revents);
	/* The Unix socket first: its one slot must not go to TCP. */
	if (srv->pfd[1].revents & POLLIN)
		rc = srv_accept(srv, srv->ufd, true);
	if (srv->pfd[0].revents & (POLLERR | POLLNVAL))
		rc = -EIO;
	else if (rc == 0 && (srv->pfd[0].revents & POLLIN))
		rc = srv_accept(srv, srv->fd, false);
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

/* A copy of an optional string: NULL for NULL or "". */
static int
opt_strdup(const char *s, char **out)
{
	if (s == NULL || s[0] == '\0')
		return 0;
	*out = strdup(s);
	return *out != NULL ? 0 : -1;
}

static int
srv_unix_listen(struct cli_server *srv, const struct cli_server_params *p)
{
	if (p->unix_path == NULL || p->unix_path[0] == '\0')
		return 0;
	srv->ufd = cli_unix_listen(p->unix_path, p->unix_mode != 0 ?
				   p->unix_mode : CLI_UNIX_MODE,
				   p->unix_group);
	if (srv->ufd < 0)
		return -1;
	srv->unix_path = strdup(p->unix_path);
	return srv->unix_path != NULL ? 0 : -1;
}

static int
srv_alloc(struct cli_server *srv, const struct cli_server_params *p)
{
	unsigned int slots = p->max_sessions + CLI_UNIX_SLOTS;

	srv->max_sessions = p->max_sessions;
	srv->idle_timeout_s = p->idle_timeout_s;
	srv->login_timeout_s = p->login_timeout_s;
	srv->max_per_source = p->max_per_source;
	srv->banner = strdup(p->banner != NULL ? p->banner :
			     CLI_DEFAULT_BANNER);
	srv->prompt = strdup(p->prompt != NULL ? p->prompt :
			     CLI_DEFAULT_PROMPT);
	if (opt_strdup(p->password, &srv->password) < 0 ||
	    opt_strdup(p->enable_secret, &srv->enable_secret) < 0) {
		errno = ENOMEM;
		return -1;
	}
	srv->sess = calloc(slots, sizeof(*srv->sess));
	srv->pfd = calloc(slots + SRV_NFDS, sizeof(*srv->pfd));
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
	srv->ufd = -1;
	if (srv_alloc(srv, p) < 0 || srv_listen(srv, p->address, p->port) < 0 ||
	    srv_unix_listen(srv, p) < 0) {
		err = errno;
		cli_server_free(srv);
		errno = err;
		return NULL;
	}
	shown_srv = srv;
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
	if (srv->ufd >= 0) {
		close(srv->ufd);
		unlink(srv->unix_path);
	}
	if (shown_srv == srv)
		shown_srv = NULL;
	free(srv->sess);
	free(srv->pfd);
	free(srv->banner);
	free(srv->prompt);
	free(srv->password);
	free(srv->enable_secret);
	free(srv->unix_path);
	free(srv);
}

/* `show cli`: the sessions, and what the guard refused. */

static void
show_session(struct cli_out *out, const struct cli_session *s, uint64_t now)
{
	const char *state = !s->active ? "logging in" :
			    cli_out_privileged(s->out) ? "privileged" :
			    "read-only";

	cli_printf(out, "  %-4s %-28s %-11s idle %" PRIu64 " s\n",
		   s->is_unix ? "unix" : "tcp", s->peer, state,
		   (now - s->last_input) / 1000);
}

static int
show_cli(struct cli_out *out, const struct cli_args *args, void *arg)
{
	const struct cli_server *srv = shown_srv;
	const struct cli_guard_stats *st;
	uint64_t now = cli_now_ms();
	unsigned int i;

	(void)args;
	(void)arg;
	if (srv == NULL) {
		cli_printf(out, "no CLI server\n");
		return 0;
	}
	st = &srv->guard.stats;
	cli_printf(out, "sessions %u of %u (+%u for the Unix socket%s)\n",
		   srv->n_sess, srv->max_sessions, CLI_UNIX_SLOTS,
		   srv->ufd < 0 ? ", not configured" : "");
	for (i = 0; i < srv->n_sess; i++)
		show_session(out, srv->sess[i], now);
	cli_printf(out, "logins %" PRIu64 "\nfailed logins %" PRIu64
		   "\nlogin timeouts %" PRIu64 "\nrefused full %" PRIu64
		   "\nrefused per source %" PRIu64 "\nrefused back-off %"
		   PRIu64 "\n", st->logins, st->login_failures,
		   st->login_timeouts, st->refused_full, st->refused_source,
		   st->refused_backoff);
	return 0;
}

static const struct cli_command server_commands[] = {
	{
		.syntax = "show cli",
		.help = "Show running state\n"
			"CLI sessions, failed logins and refused connections",
		.handler = show_cli,
		.read_only = true,
	},
};

int
cli_server_register_commands(void)
{
	return cli_register(server_commands,
			    sizeof(server_commands) /
			    sizeof(server_commands[0]));
}
