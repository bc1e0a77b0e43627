/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The smallest HTTP/1.0-style server Prometheus needs: one request per
 * connection, answered and closed ("Connection: close"). Written here
 * because DPDK has no HTTP server and a thread running a library one
 * would have to read counters off the management lcore. Everything is
 * non-blocking and driven by metrics_server_poll():
 *   accept -> read until the end of the headers -> build the whole
 *   answer in memory -> write as the socket takes it -> close.
 * GET (and HEAD) /metrics: the exposition; /: a pointer to /metrics;
 * anything else 404, other methods 405, oversized requests 431.
 *
 * Slow clients (slowloris) cannot keep a scrape out: each must send its
 * whole request within METRICS_HEADER_TIMEOUT_MS; when every slot is
 * taken, a new connection replaces the oldest one still sending its
 * request; and a connection is read as soon as it is accepted, so a
 * scraper that sends its request at once is answered in the same pass,
 * before any slow one is looked at again.
 */
#define _GNU_SOURCE /* accept4, memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics.h"
#include "metrics_http.h"

#define REQ_MAX METRICS_REQ_MAX
#define ACCEPT_BURST (4 * METRICS_CONN_MAX) /* per poll, then others */

struct conn {
	int fd;                /* -1: free slot */
	uint64_t deadline_ms;
	uint64_t since_ms;     /* accepted: the oldest goes first */
	char req[REQ_MAX];
	size_t req_len;
	char *resp;            /* NULL while reading the request */
	size_t resp_len, resp_off;
};

struct metrics_server {
	int fd;
	uint16_t port;
	struct conn conns[METRICS_CONN_MAX];
};

static int
listen_on(const struct metrics_conf *c, uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	if (inet_pton(AF_INET, c->address, &sa.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	sa.sin_port = htons(c->port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 512) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

struct metrics_server *
metrics_server_create(const struct metrics_conf *c)
{
	struct metrics_server *srv = calloc(1, sizeof(*srv));
	unsigned int i;

	if (srv == NULL)
		return NULL;
	srv->fd = listen_on(c, &srv->port);
	if (srv->fd < 0) {
		int e = errno;

		free(srv);
		errno = e;
		return NULL;
	}
	for (i = 0; i < METRICS_CONN_MAX; i++)
		srv->conns[i].fd = -1;
	return srv;
}

uint16_t
metrics_server_port(const struct metrics_server *srv)
{
	return srv->port;
}

static void
conn_close(struct conn *c)
{
	close(c->fd);
	free(c->resp);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Build the whole answer (headers + body) into c->resp. */
static void
respond(struct conn *c, int status, const char *reason, const char *type,
	const char *body, size_t body_len, bool head)
{
	FILE *f = open_memstream(&c->resp, &c->resp_len);

	if (f == NULL) {
		c->resp = NULL;
		return;
	}
	fprintf(f, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
		"Content-Length: %zu\r\nConnection: close\r\n\r\n",
		status, reason, type, body_len);
	if (!head)
		fwrite(body, 1, body_len, f);
	fclose(f);
}

static void
respond_text(struct conn *c, int status, const char *reason,
	     const char *text)
{
	respond(c, status, reason, "text/plain; charset=utf-8", text,
		strlen(text), false);
}

static void
respond_metrics(struct conn *c, bool head)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	int rc;

	if (f == NULL) {
		respond_text(c, 500, "Internal Server Error", "out of memory\n");
		return;
	}
	rc = metrics_write(f);
	fclose(f);
	if (rc < 0)
		respond_text(c, 500, "Internal Server Error", "out of memory\n");
	else
		respond(c, 200, "OK", "text/plain; version=0.0.4; "
			"charset=utf-8", body, len, head);
	free(body);
}

/* Request parsing (RFC 9112 section 3, as much as a scraper needs). */

/* Where the headers end (just past the empty line), or NULL. */
static const char *
headers_end(const char *buf, size_t len)
{
	const char *crlf = memmem(buf, len, "\r\n\r\n", 4);
	const char *lf = memmem(buf, len, "\n\n", 2);

	if (crlf != NULL && (lf == NULL || crlf + 2 <= lf))
		return crlf + 4;
	return lf != NULL ? lf + 2 : NULL;
}

/* A method is a token of letters: "GET", "HEAD", ... */
static bool
method_ok(const char *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i] < 'A' || m[i] > 'Z')
			return false;
	return n > 0;
}

/* "METHOD SP TARGET SP HTTP/1.x" of @p n bytes into @p r. */
static void
request_line(const char *l, size_t n, struct metrics_req *r)
{
	const char *sp1 = memchr(l, ' ', n), *sp2, *q;
	size_t mlen, plen;

	r->status = 400;
	if (sp1 == NULL)
		return;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - l));
	mlen = (size_t)(sp1 - l);
	if (sp2 == NULL || !method_ok(l, mlen) || sp1[1] != '/' ||
	    (size_t)(l + n - (sp2 + 1)) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7))
		return;
	q = memchr(sp1 + 1, '?', (size_t)(sp2 - sp1 - 1));
	plen = (size_t)((q != NULL ? q : sp2) - (sp1 + 1));
	r->head = mlen == 4 && memcmp(l, "HEAD", 4) == 0;
	if (!r->head && !(mlen == 3 && memcmp(l, "GET", 3) == 0))
		r->status = 405;
	else if (plen == 8 && memcmp(sp1 + 1, "/metrics", 8) == 0) {
		r->status = 200;
		r->metrics = true;
	} else if (plen == 1)
		r->status = 200;
	else
		r->status = 404;
}

bool
metrics_http_parse(const char *buf, size_t len, struct metrics_req *r)
{
	const char *end = headers_end(buf, len), *nl;
	size_t n;

	memset(r, 0, sizeof(*r));
	if (end == NULL) {
		if (len < REQ_MAX - 1 && memchr(buf, '\0', len) == NULL)
			return false;
		r->status = memchr(buf, '\0', len) != NULL ? 400 : 431;
		return true;
	}
	if (memchr(buf, '\0', (size_t)(end - buf)) != NULL) {
		r->status = 400; /* no NUL in a request (RFC 9110 5.5) */
		return true;
	}
	nl = memchr(buf, '\n', (size_t)(end - buf));
	n = (size_t)(nl - buf);
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	request_line(buf, n, r);
	return true;
}

static void
request_handle(struct conn *c, const struct metrics_req *r)
{
	if (r->status == 200 && r->metrics)
		respond_metrics(c, r->head);
	else if (r->status == 200)
		respond_text(c, 200, "OK", "ferry: metrics at /metrics\n");
	else if (r->status == 404)
		respond_text(c, 404, "Not Found", "try /metrics\n");
	else if (r->status == 405)
		respond_text(c, 405, "Method Not Allowed", "GET only\n");
	else if (r->status == 431)
		respond_text(c, 431, "Request Header Fields Too Large",
			     "request too large\n");
	else
		respond_text(c, 400, "Bad Request", "bad request\n");
}

/* @return false once the connection is done with (closed). */
static bool
conn_read(struct conn *c, uint64_t now_ms)
{
	struct metrics_req r;
	ssize_t n = recv(c->fd, c->req + c->req_len,
			 sizeof(c->req) - 1 - c->req_len, 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		       errno != EINTR)) {
		conn_close(c);
		return false;
	}
	if (n > 0)
		c->req_len += (size_t)n;
	if (!metrics_http_parse(c->req, c->req_len, &r))
		return true;
	request_handle(c, &r);
	if (c->resp == NULL) {
		conn_close(c); /* could not build any answer */
		return false;
	}
	c->deadline_ms = now_ms + METRICS_IO_TIMEOUT_MS;
	return true;
}

static void
conn_write(struct conn *c)
{
	ssize_t n = send(c->fd, c->resp + c->resp_off,
			 c->resp_len - c->resp_off, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->resp_off += (size_t)n;
	if (c->resp_off == c->resp_len)
		conn_close(c);
}

/*
 * A slot for a new connection: a free one, else the one of the oldest
 * connection still sending its request (a slow one: a scraper sends
 * its request at once). NULL if every slot is answering.
 */
static struct conn *
slot_take(struct metrics_server *srv)
{
	struct conn *victim = NULL, *c;
	unsigned int i;

	for (i = 0; i < METRICS_CONN_MAX; i++) {
		c = &srv->conns[i];
		if (c->fd < 0)
			return c;
		if (c->resp == NULL &&
		    (victim == NULL || c->since_ms < victim->since_ms))
			victim = c;
	}
	if (victim != NULL)
		conn_close(victim);
	return victim;
}

/* Accept what waits; read each at once, answer it if it is complete. */
static void
accept_all(struct metrics_server *srv, uint64_t now_ms)
{
	struct conn *c;
	unsigned int k;
	int fd;

	for (k = 0; k < ACCEPT_BURST; k++) {
		fd = accept4(srv->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		c = slot_take(srv);
		if (c == NULL) {
			close(fd); /* every slot is answering a scrape */
			continue;
		}
		c->fd = fd;
		c->since_ms = now_ms;
		c->deadline_ms = now_ms + METRICS_HEADER_TIMEOUT_MS;
		if (conn_read(c, now_ms) && c->resp != NULL)
			conn_write(c);
	}
}

void
metrics_server_poll(struct metrics_server *srv, uint64_t now_ms)
{
	unsigned int i;

	if (srv == NULL)
		return;
	accept_all(srv, now_ms);
	for (i = 0; i < METRICS_CONN_MAX; i++) {
		struct conn *c = &srv->conns[i];

		if (c->fd < 0)
			continue;
		if (now_ms > c->deadline_ms) {
			conn_close(c);
			continue;
		}
		if (c->resp == NULL && !conn_read(c, now_ms))
			continue;
		if (c->resp != NULL)
			conn_write(c);
	}
}

void
metrics_server_free(struct metrics_server *srv)
{
	unsigned int i;

	if (srv == NULL)
		return;
	for (i = 0; i < METRICS_CONN_MAX; i++)
		if (srv->conns[i].fd >= 0)
			conn_close(&srv->conns[i]);
	close(srv->fd);
	free(srv);
}

#include "module.h"

static struct metrics_server *running; /* NULL: disabled */

/* The Prometheus endpoint if the metrics section enables it. */
static int
metrics_start(const struct cfg_model *model)
{
	const struct metrics_conf *c = cfg_model_section(model, "metrics");

	if (c == NULL || !c->enabled)
		return 0;
	running = metrics_server_create(c);
	if (running == NULL) {
		int rc = -errno;

		fprintf(stderr, "ferry: metrics: cannot listen on %s:%u: %s\n",
			c->address, c->port, strerror(errno));
		return rc < 0 ? rc : -EADDRINUSE;
	}
	printf("ferry: metrics listening on %s:%u\n", c->address,
	       metrics_server_port(running));
	fflush(stdout);
	return 0;
}

static void
metrics_control_poll(uint64_t now_ms)
{
	metrics_server_poll(running, now_ms);
}

static void
metrics_teardown(void)
{
	metrics_server_free(running);
	running = NULL;
}

const struct ferry_module metrics_module = {
	.name = "metrics",
	.sections = (const struct cfg_section *const[]){ &metrics_cfg_section,
							 NULL },
	.start = metrics_start,
	.control_poll = metrics_control_poll,
	.teardown = metrics_teardown,
};
