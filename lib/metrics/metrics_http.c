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
 */
#define _GNU_SOURCE /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics.h"

#define REQ_MAX 4096 /* request line + headers */

struct conn {
	int fd;                /* -1: free slot */
	uint64_t deadline_ms;
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
	    listen(fd, METRICS_CONN_MAX) < 0 ||
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

/* Answer the request line of c->req: "METHOD PATH[?query] VERSION". */
static void
request_handle(struct conn *c)
{
	char method[8] = "", path[256] = "";
	bool head;

	if (sscanf(c->req, "%7s %255s", method, path) != 2) {
		respond_text(c, 400, "Bad Request", "bad request line\n");
		return;
	}
	path[strcspn(path, "?")] = '\0';
	head = strcmp(method, "HEAD") == 0;
	if (!head && strcmp(method, "GET") != 0)
		respond_text(c, 405, "Method Not Allowed", "GET only\n");
	else if (strcmp(path, "/metrics") == 0)
		respond_metrics(c, head);
	else if (strcmp(path, "/") == 0)
		respond_text(c, 200, "OK", "ferry: metrics at /metrics\n");
	else
		respond_text(c, 404, "Not Found", "try /metrics\n");
}

static bool
headers_complete(const struct conn *c)
{
	return strstr(c->req, "\r\n\r\n") != NULL ||
	       strstr(c->req, "\n\n") != NULL;
}

/* @return false once the connection is done with (closed). */
static bool
conn_read(struct conn *c)
{
	ssize_t n = recv(c->fd, c->req + c->req_len,
			 sizeof(c->req) - 1 - c->req_len, 0);

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		       errno != EINTR)) {
		conn_close(c);
		return false;
	}
	if (n > 0) {
		c->req_len += (size_t)n;
		c->req[c->req_len] = '\0';
	}
	if (headers_complete(c))
		request_handle(c);
	else if (c->req_len == sizeof(c->req) - 1)
		respond_text(c, 431, "Request Header Fields Too Large",
			     "request too large\n");
	if (c->resp == NULL && headers_complete(c)) {
		conn_close(c); /* could not build any answer */
		return false;
	}
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

static void
accept_all(struct metrics_server *srv, uint64_t now_ms)
{
	unsigned int i;
	int fd;

	for (;;) {
		for (i = 0; i < METRICS_CONN_MAX; i++)
			if (srv->conns[i].fd < 0)
				break;
		if (i == METRICS_CONN_MAX)
			return; /* the backlog waits for a free slot */
		fd = accept4(srv->fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		srv->conns[i].fd = fd;
		srv->conns[i].deadline_ms = now_ms + METRICS_IO_TIMEOUT_MS;
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
		if (c->resp == NULL && !conn_read(c))
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
