/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE socket (doc/ike.md): a Unix stream socket on the management
 * lcore through which charon's kernel-ferry plugin installs SAs and
 * policies. Polled from ipsec_control_poll(), never blocking: a reply
 * that cannot be sent at once closes the connection. A framing error
 * (garbage, truncated, oversized, a peer gone mid-message) is counted
 * under its reason and closes that connection only; SAs stay, so ferry
 * keeps forwarding on them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_random.h>

#include "ike_proto.h"
#include "ike_sock.h"
#include "ipsec_priv.h"
#include "stats.h"

#define IKE_CONN_MAX 4

struct ike_conn {
	int fd;	  /* -1 = free */
	size_t n; /* bytes in buf */
	uint8_t buf[IKE_MSG_MAX];
};

static struct {
	int fd; /* listening; -1 = off */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ike_conn conn[IKE_CONN_MAX];
	uint64_t errors[IKE_ERR_MAX];
	uint64_t requests, events;
} ike = {.fd = -1};

/* An answer being built: status and payload. */
struct ike_answer {
	int32_t status;
	size_t len;
	uint8_t data[64];
};

uint64_t
ike_sock_errors(enum ike_err e)
{
	return (unsigned int)e < IKE_ERR_MAX ? ike.errors[e] : 0;
}

static void
conn_close(struct ike_conn *c, enum ike_err why)
{
	if (why != IKE_OK) {
		ike.errors[why]++;
		IPSEC_LOG(WARNING, "IKE socket: connection closed: %s",
			  ike_err_name(why));
	}
	close(c->fd);
	c->fd = -1;
	c->n = 0;
}

static int
nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* `show counters` lines "ike socket <reason> N" and the like. */
static void
ike_collect(struct stats_sink *s, void *arg)
{
	unsigned int e;

	RTE_SET_USED(arg);
	stats_object(s, "socket");
	stats_counter(s, "requests", ike.requests);
	stats_counter(s, "expire-events", ike.events);
	for (e = IKE_ERR_BAD_LENGTH; e < IKE_ERR_MAX; e++)
		stats_counter(s, ike_err_name((enum ike_err)e), ike.errors[e]);
}

static const struct stats_source ike_source = {
	.kind = "ipsec_ike",
	.word = "ike",
	.collect = ike_collect,
	.help = "IKE socket (charon's kernel-ferry plugin): requests, "
		"expire events sent, connections closed or requests refused "
		"per reason",
};

int
ike_sock_open(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	unsigned int i;
	int fd, rc;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path); /* a socket file left by a ferry that died */
	/* keys cross this socket: only ferry's user may connect */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, IKE_CONN_MAX) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = stats_source_register(&ike_source);
	if (rc < 0 && rc != -EEXIST) {
		close(fd);
		return rc;
	}
	ike.fd = fd;
	snprintf(ike.path, sizeof(ike.path), "%s", path);
	for (i = 0; i < IKE_CONN_MAX; i++)
		ike.conn[i].fd = -1;
	return 0;
}

void
ike_sock_close(void)
{
	unsigned int i;

	if (ike.fd < 0)
		return;
	for (i = 0; i < IKE_CONN_MAX; i++)
		if (ike.conn[i].fd >= 0)
			conn_close(&ike.conn[i], IKE_OK);
	close(ike.fd);
	unlink(ike.path);
	ike.fd = -1;
}

static void
accept_new(void)
{
	unsigned int i;
	int fd;

	for (;;) {
		fd = accept(ike.fd, NULL, NULL);
		if (fd < 0)
			return;
		for (i = 0; i < IKE_CONN_MAX && ike.conn[i].fd >= 0; i++)
			;
		if (i == IKE_CONN_MAX || nonblock(fd) < 0) {
			IPSEC_LOG(WARNING,
				  "IKE socket: connection refused "
				  "(%u at most)",
				  IKE_CONN_MAX);
			close(fd);
			continue;
		}
		ike.conn[i].fd = fd;
		ike.conn[i].n = 0;
	}
}

/* Send all of @p len bytes now or fail (never blocks). */
static int
send_all(int fd, const uint8_t *b, size_t len)
{
	ssize_t k = send(fd, b, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	return k == (ssize_t)len ? 0 : -1;
}

static void
put_u32(struct ike_answer *a, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(a->data + a->len, &v, 4);
	a->len += 4;
}

static void
put_u64(struct ike_answer *a, uint64_t v)
{
	v = rte_cpu_to_be_64(v);
	memcpy(a->data + a->len, &v, 8);
	a->len += 8;
}

/* ---- requests ---- */

static void
req_hello(struct ike_answer *a)
{
	put_u32(a, IKE_PROTO_VERSION);
}

static void
req_get_spi(const uint8_t *b, size_t n, struct ike_answer *a)
{
	uint32_t src, dst, spi;
	unsigned int tries;

	if (ike_get_get_spi(b, n, &src, &dst) < 0) {
		a->status = -EINVAL;
		return;
	}
	/* RFC 4303 2.1: 1..255 reserved; random so SPIs of a restarted
	 * ferry do not repeat the last run's */
	for (tries = 0; tries < 64; tries++) {
		spi = (uint32_t)rte_rand() | 0x100;
		if (sad_find(spi, IPSEC_DIR_IN) < 0) {
			put_u32(a, spi);
			return;
		}
	}
	a->status = -ENOSPC;
}

static int
hex_of(const uint8_t *b, size_t n, char *out, size_t len)
{
	size_t i;

	if (2 * n + 1 > len)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	out[2 * n] = '\0';
	return 0;
}

/*
 * The VRF of charon's if_id (ipsec.if_ids): what an XFRM interface with
 * that id would be enslaved to. 0 = none: VRF default. NULL when the id
 * is not configured: the SA or policy is refused rather than carried in
 * another customer's VRF.
 */
static const char *
if_id_vrf(uint32_t if_id)
{
	const struct ipsec_conf *c = ipsec_model();
	const struct ipsec_if_id_conf *ic;
	unsigned int i;

	if (if_id == 0)
		return VRF_DEFAULT_NAME;
	ic = c != NULL ? c->if_ids.items : NULL;
	for (i = 0; ic != NULL && i < c->if_ids.n; i++)
		if (ic[i].id == if_id)
			return ic[i].vrf;
	IPSEC_LOG(WARNING, "IKE: if_id %u is not in ipsec.if_ids", if_id);
	return NULL;
}

/* The SA settings of an ADD_SA body; the AEAD salt is the key's tail
 * (RFC 4106 8.1: KEYMAT for GCM is key then 4 bytes of salt). */
static int
sa_conf_of(const struct ike_add_sa *m, struct ipsec_sa_conf *sc)
{
	int alg = crypto_alg_find(m->alg);
	const struct crypto_alg_info *ai =
		alg < 0 ? NULL : crypto_alg_get((enum crypto_alg)alg);
	const char *vrf = if_id_vrf(m->if_id);
	size_t klen = m->key_len;

	memset(sc, 0, sizeof(*sc));
	if (ai == NULL || klen < ai->salt_len || vrf == NULL)
		return -EINVAL;
	klen -= ai->salt_len;
	sc->spi = m->spi;
	sc->direction = m->dir;
	sc->local = m->local;
	sc->remote = m->remote;
	snprintf(sc->underlay_vrf, sizeof(sc->underlay_vrf), "default");
	snprintf(sc->inner_vrf, sizeof(sc->inner_vrf), "%s", vrf);
	snprintf(sc->algorithm, sizeof(sc->algorithm), "%s", m->alg);
	if (hex_of(m->key, klen, sc->key, sizeof(sc->key)) < 0 ||
	    hex_of(m->key + klen, ai->salt_len, sc->salt, sizeof(sc->salt)) <
		    0 ||
	    hex_of(m->auth_key, m->auth_key_len, sc->auth_key,
		   sizeof(sc->auth_key)) < 0)
		return -EINVAL;
	sc->replay_window =
		m->dir == IPSEC_DIR_OUT
			? 0
			: RTE_MIN(RTE_MAX(m->replay_window, 64u), 4096u);
	sc->esn = m->esn;
	sc->ttl = 64;
	sc->nat_t = m->encap;
	sc->nat_t_sport = m->encap ? m->encap_sport : 4500;
	sc->nat_t_dport = m->encap ? m->encap_dport : 4500;
	sc->lifetime.soft_packets = m->soft_packets;
	sc->lifetime.hard_packets = m->hard_packets;
	sc->lifetime.soft_bytes = m->soft_bytes;
	sc->lifetime.hard_bytes = m->hard_bytes;
	return 0;
}

static void
req_add_sa(const uint8_t *b, size_t n, struct ike_answer *a)
{
	struct ipsec_sa_conf sc;
	struct ike_add_sa m;
	const char *why, *key;
	char err[128];

	if (ike_get_add_sa(b, n, &m) < 0 || sa_conf_of(&m, &sc) < 0) {
		a->status = -EINVAL;
		goto out;
	}
	why = sa_conf_check(&sc, &key);
	if (why != NULL) {
		IPSEC_LOG(WARNING, "IKE add_sa %u: %s: %s", m.spi, key, why);
		a->status = -EINVAL;
		goto out;
	}
	a->status = sad_add_ike(&sc, m.reqid, err, sizeof(err));
	if (a->status < 0)
		IPSEC_LOG(WARNING, "IKE add_sa: %s", err);
out:
	memset(&sc, 0, sizeof(sc)); /* the keys */
	memset(&m, 0, sizeof(m));
}

static struct ipsec_sa *
sa_of(const uint8_t *b, size_t n, struct ike_answer *a)
{
	struct ike_sa_id id;
	int slot;

	if (ike_get_sa_id(b, n, &id) < 0) {
		a->status = -EINVAL;
		return NULL;
	}
	slot = sad_find(id.spi, id.dir);
	if (slot < 0 || ipsec_dp.sa[slot]->reqid == 0) {
		/* a configured SA is the operator's, not charon's */
		a->status = slot < 0 ? -ENOENT : -EPERM;
		return NULL;
	}
	return ipsec_dp.sa[slot];
}

static void
req_query_sa(const uint8_t *b, size_t n, struct ike_answer *a)
{
	const struct ipsec_sa *s = sa_of(b, n, a);
	uint64_t now = rte_get_timer_cycles() * 1000 / rte_get_timer_hz();

	if (s == NULL)
		return;
	put_u64(a, __atomic_load_n(&s->bytes, __ATOMIC_RELAXED));
	put_u64(a, __atomic_load_n(&s->packets, __ATOMIC_RELAXED));
	/* seconds since the counters last moved (charon's use time) */
	put_u32(a, (uint32_t)((now - s->last_use_ms) / 1000));
}

/* charon moved an SA (NAT mapping change, MOBIKE): new end points and
 * ports, same keys, sequence numbers and counters. */
static void
req_update_sa(const uint8_t *b, size_t n, struct ike_answer *a)
{
	struct ike_update_sa m;
	char l[16], r[16];
	int slot;

	if (ike_get_update_sa(b, n, &m) < 0) {
		a->status = -EINVAL;
		return;
	}
	slot = sad_find(m.spi, m.dir);
	if (slot >= 0 && m.reqid != 0 && ipsec_dp.sa[slot]->reqid != m.reqid) {
		a->status = -ENOENT; /* not the SA charon means */
		return;
	}
	if (!m.encap)
		m.encap_sport = m.encap_dport = 4500;
	a->status = sad_update_ike(m.spi, m.dir, m.local, m.remote, m.encap,
				   m.encap_sport, m.encap_dport);
	cfg_format_ipv4(m.local, l, sizeof(l));
	cfg_format_ipv4(m.remote, r, sizeof(r));
	IPSEC_LOG(NOTICE, "IKE update_sa %u %s: %s -> %s udp %u -> %u: %s",
		  m.spi, m.dir ? "out" : "in", l, r, m.encap_sport,
		  m.encap_dport, a->status < 0 ? strerror(-a->status) : "done");
}

static void
req_del_sa(const uint8_t *b, size_t n, struct ike_answer *a)
{
	const struct ipsec_sa *s = sa_of(b, n, a);

	if (s != NULL)
		a->status = sad_del(s->conf.spi, s->conf.direction);
}

static void
req_flush_sas(void)
{
	unsigned int i;

	for (i = 0; i < sad_high(); i++) {
		const struct ipsec_sa *s = ipsec_dp.sa[i];

		if (s != NULL && s->reqid != 0)
			sad_del(s->conf.spi, s->conf.direction);
	}
}

static void
fmt_ports(char *buf, size_t len, uint16_t lo, uint16_t hi)
{
	snprintf(buf, len, "%u-%u", lo, hi);
}

/* The selectors of a policy body and the VRF of its if_id (index). */
static int
policy_of(const uint8_t *b, size_t n, struct ike_policy *m,
	  struct ipsec_spd_conf *rc, uint32_t *vrf)
{
	const char *name;
	int v;

	if (ike_get_policy(b, n, m) < 0)
		return -EINVAL;
	name = if_id_vrf(m->if_id);
	v = name != NULL ? vrf_find(name) : -1;
	if (v < 0)
		return -EINVAL;
	*vrf = (uint32_t)v;
	memset(rc, 0, sizeof(*rc));
	rc->direction = m->dir;
	rc->src.addr = m->src;
	rc->src.len = m->src_len;
	rc->dst.addr = m->dst;
	rc->dst.len = m->dst_len;
	rc->proto = m->proto;
	rc->action = IPSEC_PROTECT;
	fmt_ports(rc->sport, sizeof(rc->sport), m->sport_lo, m->sport_hi);
	fmt_ports(rc->dport, sizeof(rc->dport), m->dport_lo, m->dport_hi);
	return 0;
}

/* Outbound: traffic to the policy's destination in its VRF goes to the
 * tunnel's outbound slot (ferry's FIB is the only way into
 * ferry_esp_encrypt). */
static int
policy_route(const struct spd_ike_policy *p, bool add)
{
	const struct ipsec_tunnel *t = sad_tunnel(p->tunnel);

	if (p->rc.direction != IPSEC_DIR_OUT)
		return 0;
	if (!add)
		return route_del(p->vrf, p->rc.dst.addr, p->rc.dst.len);
	return t == NULL ? -ENOENT
			 : route_add_ext(p->vrf, p->rc.dst.addr, p->rc.dst.len,
					 (unsigned int)ipsec_route_ext_type,
					 t->out_slot);
}

static int
spd_republish(void)
{
	char err[128];
	int rc = spd_publish(ipsec_model(), err, sizeof(err));

	if (rc < 0)
		IPSEC_LOG(WARNING, "IKE policy: %s", err);
	return rc;
}

static void
req_add_policy(const uint8_t *b, size_t n, struct ike_answer *a)
{
	struct spd_ike_policy p = {.refs = 1};
	struct ike_policy m;
	int i, id;

	if (policy_of(b, n, &m, &p.rc, &p.vrf) < 0 || m.reqid == 0) {
		a->status = -EINVAL;
		return;
	}
	i = spd_ike_find(&p.rc, p.vrf);
	if (i >= 0) { /* charon installs it again for a rekeyed CHILD_SA */
		((struct spd_ike_policy *)spd_ike_get((unsigned int)i))->refs++;
		return;
	}
	id = sad_ike_tunnel_get(m.reqid);
	if (id < 0) {
		a->status = id;
		return;
	}
	p.reqid = m.reqid;
	p.tunnel = (uint32_t)id;
	p.priority = m.priority;
	a->status = spd_ike_insert(&p);
	if (a->status == 0)
		a->status = policy_route(&p, true);
	if (a->status == 0)
		a->status = spd_republish();
	if (a->status < 0) {
		i = spd_ike_find(&p.rc, p.vrf);
		if (i >= 0)
			spd_ike_remove((unsigned int)i);
		sad_ike_tunnel_put((uint32_t)id);
	}
}

static void
policy_drop(unsigned int i)
{
	struct spd_ike_policy p = *spd_ike_get(i);

	policy_route(&p, false);
	spd_ike_remove(i);
	spd_republish();
	sad_ike_tunnel_put(p.tunnel);
}

static void
req_del_policy(const uint8_t *b, size_t n, struct ike_answer *a, bool query)
{
	struct ipsec_spd_conf rc;
	struct ike_policy m;
	struct spd_ike_policy *p;
	uint32_t vrf;
	int i;

	if (policy_of(b, n, &m, &rc, &vrf) < 0) {
		a->status = -EINVAL;
		return;
	}
	i = spd_ike_find(&rc, vrf);
	if (i < 0) {
		a->status = -ENOENT;
		return;
	}
	p = (struct spd_ike_policy *)spd_ike_get((unsigned int)i);
	if (query) {
		put_u32(a, 0); /* use time: per-rule times are not kept */
		return;
	}
	if (--p->refs == 0)
		policy_drop((unsigned int)i);
}

static void
req_flush_policies(void)
{
	while (spd_ike_get(0) != NULL)
		policy_drop(0);
}

static void
dispatch(const struct ike_hdr *h, const uint8_t *b, size_t n,
	 struct ike_answer *a)
{
	switch (h->type) {
	case IKE_MSG_HELLO:
		req_hello(a);
		break;
	case IKE_MSG_GET_SPI:
		req_get_spi(b, n, a);
		break;
	case IKE_MSG_ADD_SA:
		req_add_sa(b, n, a);
		break;
	case IKE_MSG_QUERY_SA:
		req_query_sa(b, n, a);
		break;
	case IKE_MSG_DEL_SA:
		req_del_sa(b, n, a);
		break;
	case IKE_MSG_FLUSH_SAS:
		req_flush_sas();
		break;
	case IKE_MSG_ADD_POLICY:
		req_add_policy(b, n, a);
		break;
	case IKE_MSG_QUERY_POLICY:
		req_del_policy(b, n, a, true);
		break;
	case IKE_MSG_DEL_POLICY:
		req_del_policy(b, n, a, false);
		break;
	case IKE_MSG_FLUSH_POLICIES:
		req_flush_policies();
		break;
	case IKE_MSG_UPDATE_SA:
		req_update_sa(b, n, a);
		break;
	default:
		a->status = -EOPNOTSUPP;
		ike.errors[IKE_ERR_UNKNOWN_TYPE]++;
	}
}

/* Handle every whole message in @p c's buffer; false if closed. */
static bool
conn_process(struct ike_conn *c)
{
	uint8_t out[IKE_MSG_MAX];
	struct ike_answer a;
	struct ike_hdr h;
	int len;

	while ((len = ike_frame(c->buf, c->n, &h)) != 0) {
		if (len < 0) {
			conn_close(c, (enum ike_err) - len);
			return false;
		}
		memset(&a, 0, sizeof(a));
		ike.requests++;
		dispatch(&h, c->buf + IKE_HDR_LEN, h.length - IKE_HDR_LEN, &a);
		if (a.status == -EINVAL)
			ike.errors[IKE_ERR_BAD_BODY]++;
		memmove(c->buf, c->buf + len, c->n - (size_t)len);
		c->n -= (size_t)len;
		if (send_all(c->fd, out,
			     ike_put_reply(out, h.seq, a.status, a.data,
					   a.len)) < 0) {
			conn_close(c, IKE_ERR_SEND_FAILED);
			return false;
		}
	}
	return true;
}

static void
conn_poll(struct ike_conn *c)
{
	ssize_t k;

	for (;;) {
		k = recv(c->fd, c->buf + c->n, sizeof(c->buf) - c->n,
			 MSG_DONTWAIT);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (k <= 0) {
			conn_close(c, c->n != 0 ? IKE_ERR_CLOSED_MID_MESSAGE
						: IKE_OK);
			return;
		}
		c->n += (size_t)k;
		if (!conn_process(c))
			return;
	}
}

void
ike_sock_poll(void)
{
	unsigned int i;

	if (ike.fd < 0)
		return;
	accept_new();
	for (i = 0; i < IKE_CONN_MAX; i++)
		if (ike.conn[i].fd >= 0)
			conn_poll(&ike.conn[i]);
}

void
ike_sock_expire(const struct ipsec_sa *s, bool hard)
{
	struct ike_expire e = {
		.spi = s->conf.spi,
		.reqid = s->reqid,
		.dir = (uint8_t)s->conf.direction,
		.hard = hard,
	};
	uint8_t out[IKE_MSG_MAX];
	size_t len = ike_put_expire(out, &e);
	unsigned int i;

	for (i = 0; i < IKE_CONN_MAX; i++) {
		struct ike_conn *c = &ike.conn[i];

		if (c->fd < 0)
			continue;
		if (send_all(c->fd, out, len) < 0)
			conn_close(c, IKE_ERR_SEND_FAILED);
		else
			ike.events++;
	}
}
