/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FPM server: one TCP listener (in fpm.netns if set, where zebra
 * runs beside ferry's TAP representors), one session at a time (a new
 * connection replaces the old: zebra reconnects after it lost us).
 *
 * Each poll reads what the socket has (up to the buffer) and applies
 * whole frames until fpm.budget messages are done, so a full table
 * loads in slices while the CLI and ARP keep running. Input errors
 * close the session (zebra reconnects and resends its table): a bad
 * header or netlink length, an unknown attribute, a frame that stays
 * incomplete for fpm.frame_timeout (a peer trickling bytes).
 */
#define _GNU_SOURCE /* accept4() */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "control_plane.h"
#include "fpm_priv.h"
#include "route.h"

RTE_LOG_REGISTER_SUFFIX(fpm_logtype, fpm, NOTICE);

/* Bytes read but not yet applied: a few frames. */
#define FPM_RX_BUF (4 * (FPM_FRAME_MAX + 1))
/* Most milliseconds of route installs per poll: the CLI and ARP wait
 * at most about that long while a table loads. */
#define FPM_POLL_MS 20
/* One bit per 20-bit MPLS label. */
#define FPM_LABELS_BITMAP ((1u << 20) / 8)
/* Stale routes removed per poll once a sweep runs. */
#define FPM_SWEEP_BUDGET 4096

struct fpm fpm = { .listen_fd = -1, .fd = -1 };

static int
listen_open(const struct fpm_conf *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)c->port) };
	int one = 1, fd, saved, rc;

	if (inet_pton(AF_INET, c->address, &sa.sin_addr) != 1)
		return -EINVAL;
	rc = cp_netns_enter(c->netns, &saved);
	if (rc < 0)
		return rc;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	rc = fd < 0 ? -errno : 0;
	cp_netns_leave(saved);
	if (rc < 0)
		return rc;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* kernel table -> VRF from vrfs[].table; the default VRF is main
 * (254) unless it names its own table. */
static void
tables_map(struct cfg_model *model)
{
	const struct cfg_array *vrfs = cfg_model_section(model, "vrfs");
	const struct vrf_conf *vc = vrfs->items;
	bool main_set = false;
	unsigned int i;
	int v;

	fpm.n_tables = 0;
	for (i = 0; i < vrfs->n && fpm.n_tables < RTE_DIM(fpm.tables); i++) {
		v = vrf_find(vc[i].name);
		if (vc[i].table == 0 || v < 0)
			continue;
		main_set |= vc[i].table == RT_TABLE_MAIN;
		fpm.tables[fpm.n_tables].table = vc[i].table;
		fpm.tables[fpm.n_tables++].vrf = (uint16_t)v;
	}
	v = vrf_find(VRF_DEFAULT_NAME);
	if (!main_set && v >= 0 && fpm.n_tables < RTE_DIM(fpm.tables)) {
		fpm.tables[fpm.n_tables].table = RT_TABLE_MAIN;
		fpm.tables[fpm.n_tables++].vrf = (uint16_t)v;
	}
}

int
fpm_setup(struct cfg_model *model)
{
	const struct fpm_conf *c = cfg_model_section(model, "fpm");
	int fd;

	if (c == NULL || !c->enabled)
		return 0;
	fpm.conf = *c;
	tables_map(model);
	route_frr_preferred_set(c->distance < c->static_distance);
	fpm.rx = malloc(FPM_RX_BUF);
	fpm.frame = malloc(FPM_FRAME_MAX + 1);
	fpm.labels = calloc(FPM_LABELS_BITMAP, 1);
	fpm.label_gen = calloc(FPM_LABELS_BITMAP * 8, sizeof(uint32_t));
	if (fpm.rx == NULL || fpm.frame == NULL || fpm.labels == NULL ||
	    fpm.label_gen == NULL || fpm_nh_init() < 0)
		return -ENOMEM;
	fd = listen_open(c);
	if (fd < 0) {
		FPM_LOG(ERR, "cannot listen on %s:%u%s%s: %s", c->address,
			c->port, c->netns[0] ? " in namespace " : "",
			c->netns, strerror(-fd));
		return fd;
	}
	fpm.listen_fd = fd;
	FPM_LOG(NOTICE, "listening on %s:%u%s%s", c->address, c->port,
		c->netns[0] ? " in namespace " : "", c->netns);
	return 0;
}

static void
session_close(uint64_t now_ms, const char *why)
{
	if (fpm.fd < 0)
		return;
	FPM_LOG(NOTICE, "session with %s closed: %s; FRR routes kept for "
		"%u s", fpm.peer, why, fpm.conf.grace);
	close(fpm.fd);
	fpm.fd = -1;
	fpm.rx_len = 0;
	fpm.partial_ms = 0;
	fpm.sweeping = false;
	fpm.ctr[FPM_CTR_DISCONNECTS]++;
	fpm.state = FPM_GRACE;
	fpm.grace_end_ms = now_ms + fpm.conf.grace * 1000ull;
}

static void
session_error(uint64_t now_ms, enum fpm_err e)
{
	fpm.err[e]++;
	fpm.last_err = e;
	session_close(now_ms, fpm_err_name(e));
}

static void
session_accept(uint64_t now_ms)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = accept4(fpm.listen_fd, (struct sockaddr *)&sa, &sl,
			 SOCK_NONBLOCK | SOCK_CLOEXEC);
	char ip[INET_ADDRSTRLEN];

	if (fd < 0)
		return;
	session_close(now_ms, "a new session replaces it");
	fpm.fd = fd;
	fpm.gen++; /* what this session sends carries the new tag */
	fpm.state = FPM_SYNCING;
	fpm.sweeping = false; /* a grace sweep stops: the table comes */
	fpm.last_msg_ms = 0;  /* the quiet that ends the resync starts at
			       * the first frame: a restarted zebra sends
			       * nothing until its daemons are back */
	fpm.connect_ms = now_ms;
	fpm.ctr[FPM_CTR_CONNECTS]++;
	inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof(ip));
	snprintf(fpm.peer, sizeof(fpm.peer), "%s:%u", ip, ntohs(sa.sin_port));
	FPM_LOG(NOTICE, "session %u from %s", fpm.gen, fpm.peer);
}

/* Read what fits; @return false if the session ended. */
static bool
session_read(uint64_t now_ms)
{
	ssize_t n;

	if (fpm.rx_len == FPM_RX_BUF)
		return true; /* applying is behind: read later */
	n = recv(fpm.fd, fpm.rx + fpm.rx_len, FPM_RX_BUF - fpm.rx_len, 0);
	if (n > 0) {
		fpm.rx_len += (size_t)n;
		return true;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	session_close(now_ms, n == 0 ? "zebra closed it" : strerror(errno));
	return false;
}

/* Milliseconds of monotonic time (the poll's own clock). */
static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Whether this poll has done its share: fpm.budget messages, or
 * FPM_POLL_MS of work (FIB inserts get slower as a table grows). */
static bool
budget_spent(uint64_t start_msgs, uint64_t start_ms)
{
	uint64_t done = fpm.ctr[FPM_CTR_MESSAGES] - start_msgs;

	return done >= fpm.conf.budget || mono_ms() - start_ms >= FPM_POLL_MS;
}

/* Whole frames from the buffer within the budget. */
static void
frames_apply(uint64_t now_ms)
{
	uint64_t start = fpm.ctr[FPM_CTR_MESSAGES], t0 = mono_ms();
	size_t off = 0;
	enum fpm_err e = FPM_ERR_OK;
	int len;

	while (!budget_spent(start, t0)) {
		len = fpm_frame_len(fpm.rx + off, fpm.rx_len - off, &e);
		if (len <= 0)
			break;
		memcpy(fpm.frame, fpm.rx + off + FPM_HDR_LEN,
		       (size_t)len - FPM_HDR_LEN);
		e = fpm_frame_apply((size_t)len - FPM_HDR_LEN);
		if (e != FPM_ERR_OK)
			break;
		off += (size_t)len;
		fpm.last_msg_ms = now_ms;
	}
	if (e != FPM_ERR_OK) {
		session_error(now_ms, e);
		return;
	}
	memmove(fpm.rx, fpm.rx + off, fpm.rx_len - off);
	fpm.rx_len -= off;
	/* a peer that starts a frame and trickles the rest */
	if (fpm.rx_len == 0)
		fpm.partial_ms = 0;
	else if (fpm.partial_ms == 0 || off != 0)
		fpm.partial_ms = now_ms;
	else if (now_ms - fpm.partial_ms > fpm.conf.frame_timeout * 1000ull) {
		fpm.ctr[FPM_CTR_FRAME_TIMEOUT]++;
		session_close(now_ms, "frame incomplete for too long");
	}
}

static void
sweep_step(void)
{
	bool done;
	unsigned int n = route_frr_sweep(fpm.gen, FPM_SWEEP_BUDGET, &done);

	/* IPv6 once IPv4 is through, then the LFIB, each within the budget */
	if (done && n < FPM_SWEEP_BUDGET) {
		n += route6_frr_sweep(fpm.gen, FPM_SWEEP_BUDGET - n);
		done = n < FPM_SWEEP_BUDGET;
	} else {
		done = false;
	}
	fpm.ctr[FPM_CTR_SWEPT] += n;
	if (done) {
		fpm.ctr[FPM_CTR_SWEPT] += fpm_lfib_sweep();
		fpm_nh_sweep(); /* after the routes that used them */
		fpm.sweeping = false;
		if (fpm.state == FPM_SYNCING)
			fpm.state = FPM_SYNCED;
	}
}

/* Whether the new session has resent its table: quiet for sweep_delay
 * after its first frame, or nothing at all for the grace time. */
static bool
resync_done(uint64_t now_ms)
{
	if (fpm.last_msg_ms != 0)
		return now_ms - fpm.last_msg_ms >=
		       fpm.conf.sweep_delay * 1000ull;
	return now_ms - fpm.connect_ms >= fpm.conf.grace * 1000ull;
}

/* Resync done or grace over: sweep. */
static void
timers(uint64_t now_ms)
{
	if (fpm.state == FPM_SYNCING && !fpm.sweeping && resync_done(now_ms))
		fpm.sweeping = true;
	if (fpm.state == FPM_GRACE && now_ms >= fpm.grace_end_ms) {
		FPM_LOG(NOTICE, "grace time over: FRR routes withdrawn");
		fpm.gen++; /* no route has this tag: all are stale */
		fpm.state = FPM_IDLE;
		fpm.sweeping = true;
	}
	if (fpm.sweeping)
		sweep_step();
}

void
fpm_poll(uint64_t now_ms)
{
	if (fpm.listen_fd < 0)
		return;
	session_accept(now_ms);
	if (fpm.fd >= 0 && session_read(now_ms))
		frames_apply(now_ms);
	timers(now_ms);
}

void
fpm_teardown(void)
{
	if (fpm.fd >= 0)
		close(fpm.fd);
	if (fpm.listen_fd >= 0)
		close(fpm.listen_fd);
	free(fpm.rx);
	free(fpm.frame);
	free(fpm.labels);
	free(fpm.label_gen);
	fpm_nh_free();
	route_frr_preferred_set(false);
	memset(&fpm, 0, sizeof(fpm));
	fpm.fd = -1;
	fpm.listen_fd = -1;
}

const struct ferry_module fpm_module = {
	.name = "FPM server",
	.sections = (const struct cfg_section *const[]){ &fpm_cfg_section,
							 NULL },
	.setup = fpm_setup,
	.cli_register = fpm_cli_register,
	.control_poll = fpm_poll,
	.teardown = fpm_teardown,
};
