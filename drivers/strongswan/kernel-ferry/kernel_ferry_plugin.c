/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel-ferry: charon's kernel_ipsec_t over ferry's IKE socket (ferry
 * doc/ike.md, protocol version 1; the message encoding is ferry's
 * lib/ipsec/ike_proto.c, BSD-3-Clause, compiled in). SAs and policies go
 * to ferry's data plane; kernel-netlink keeps addresses and routes.
 *
 * One connection, one request at a time under a mutex. ferry's EXPIRE
 * events are read by charon's watcher between requests and handed to
 * charon's expire callback once the mutex is released (charon answers
 * an expire with calls back into this plugin).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <daemon.h>
#include <collections/hashtable.h>
#include <collections/linked_list.h>
#include <processing/jobs/callback_job.h>
#include <threading/mutex.h>

#include "kernel_ferry_plugin.h"
#include "ike_proto.h"

#define DEFAULT_SOCKET "/run/ferry/ike.sock"

typedef struct private_kernel_ferry_ipsec_t private_kernel_ferry_ipsec_t;

struct private_kernel_ferry_ipsec_t {
	kernel_ipsec_t public;
	mutex_t *mutex;
	int fd;                 /* -1: not connected */
	char *path;
	uint32_t seq;
	uint32_t gen;           /* of the last SA added */
	hashtable_t *sas;       /* spi (host order) -> struct sa_entry */
	linked_list_t *policies; /* policy_entry_t installed in ferry */
	bool resync_pending;    /* ferry went away: a resync job runs */
	bool watched;           /* fd is registered with charon's watcher */
	int stale_fd;           /* a broken connection the watcher still
				 * holds: closed in its callback */
};

/* A policy installed in ferry and how many times (charon installs one
 * per CHILD_SA using it; ferry counts them): installed again in a
 * restarted ferry before charon rekeys into it, so the old CHILD_SAs'
 * del_policy calls leave the new ones' policies in place. */
typedef struct {
	struct ike_policy m;
	u_int refs;
} policy_entry_t;

/* What an EXPIRE event needs to name an SA to charon. */
struct sa_entry {
	uint32_t spi;
	uint32_t gen;           /* tells an SA from a later one of its SPI */
	bool inbound;
	host_t *dst;
};

static u_int
sa_hash(const void *key)
{
	return chunk_hash(chunk_from_thing(*(const uint32_t *)key));
}

static bool
sa_equals(const void *a, const void *b)
{
	return *(const uint32_t *)a == *(const uint32_t *)b;
}

/* Close the connection; never from the watcher's callback (remove()
 * waits for that callback to return) nor with the mutex held while the
 * fd is watched (the callback may be waiting for the mutex). */
static void
conn_drop(private_kernel_ferry_ipsec_t *this)
{
	if (this->fd >= 0)
	{
		if (this->watched)
		{
			lib->watcher->remove(lib->watcher, this->fd);
		}
		close(this->fd);
	}
	this->fd = -1;
	this->watched = FALSE;
}

static bool
read_full(int fd, uint8_t *b, size_t n)
{
	size_t got = 0;
	ssize_t k;

	while (got < n)
	{
		k = recv(fd, b + got, n - got, 0);
		if (k <= 0)
		{
			return FALSE;
		}
		got += (size_t)k;
	}
	return TRUE;
}

/* One message into @p buf; its header in @p h. */
static bool
read_msg(int fd, uint8_t *buf, struct ike_hdr *h)
{
	if (!read_full(fd, buf, IKE_HDR_LEN) ||
		ike_frame(buf, IKE_HDR_LEN, h) < 0 ||
		!read_full(fd, buf + IKE_HDR_LEN, h->length - IKE_HDR_LEN))
	{
		return FALSE;
	}
	return TRUE;
}

/* An EXPIRE event: which SA, for charon (after the mutex is released). */
typedef struct {
	uint32_t spi;
	host_t *dst;
	bool hard;
} expire_t;

static void
note_expire(private_kernel_ferry_ipsec_t *this, const uint8_t *body,
			size_t n, expire_t *ev)
{
	struct ike_expire e;
	struct sa_entry *sa;

	if (ike_get_expire(body, n, &e) < 0)
	{
		return;
	}
	sa = this->sas->get(this->sas, &e.spi);
	if (sa && !ev->dst)
	{
		ev->spi = e.spi;
		ev->dst = sa->dst->clone(sa->dst);
		ev->hard = e.hard;
	}
}

static void
fire_expire(expire_t *ev)
{
	if (ev->dst)
	{
		DBG1(DBG_KNL, "ferry: SA %.8x %s-expired", ev->spi,
			 ev->hard ? "hard" : "soft");
		charon->kernel->expire(charon->kernel, IPPROTO_ESP, htonl(ev->spi),
							   ev->dst, ev->hard);
		ev->dst->destroy(ev->dst);
		ev->dst = NULL;
	}
}

/* Time lifetimes: charon leaves them to the kernel interface (XFRM's
 * soft and hard add-expires, whose expire events start charon's CHILD_SA
 * rekey and delete); ferry counts bytes and packets only, so the plugin
 * keeps the clock with charon's scheduler. */
typedef struct {
	private_kernel_ferry_ipsec_t *this;
	uint32_t spi;
	uint32_t gen;
	bool hard;
} time_expire_t;

static void fire_expire(expire_t *ev);

static job_requeue_t
time_expired(time_expire_t *te)
{
	private_kernel_ferry_ipsec_t *this = te->this;
	struct sa_entry *sa;
	expire_t ev = {};

	this->mutex->lock(this->mutex);
	sa = this->sas->get(this->sas, &te->spi);
	if (sa && sa->gen == te->gen)
	{
		ev.spi = sa->spi;
		ev.dst = sa->dst->clone(sa->dst);
		ev.hard = te->hard;
	}
	this->mutex->unlock(this->mutex);
	fire_expire(&ev);
	return JOB_REQUEUE_NONE;
}

static void
schedule_time_expire(private_kernel_ferry_ipsec_t *this, uint32_t spi,
					 uint32_t gen, uint64_t seconds, bool hard)
{
	time_expire_t *te;

	if (seconds == 0)
	{
		return;
	}
	INIT(te, .this = this, .spi = spi, .gen = gen, .hard = hard);
	lib->scheduler->schedule_job(lib->scheduler, (job_t *)
		callback_job_create((callback_job_cb_t)time_expired, te, free, NULL),
		(uint32_t)min(seconds, UINT32_MAX));
}

/* Send @p len bytes of @p msg, read up to its REPLY (keeping one EXPIRE
 * event met on the way in @p ev). Mutex held. */
static status_t
call_locked(private_kernel_ferry_ipsec_t *this, uint8_t *msg, size_t len,
			uint8_t *answer, size_t answer_len, expire_t *ev);

static bool
conn_open(private_kernel_ferry_ipsec_t *this);

static void
conn_lost(private_kernel_ferry_ipsec_t *this);

static uint32_t
next_seq(private_kernel_ferry_ipsec_t *this);

static status_t
call(private_kernel_ferry_ipsec_t *this, uint8_t *msg, size_t len,
	 uint8_t *answer, size_t answer_len)
{
	expire_t ev = {};
	status_t st;

	this->mutex->lock(this->mutex);
	st = call_locked(this, msg, len, answer, answer_len, &ev);
	this->mutex->unlock(this->mutex);
	fire_expire(&ev);
	return st;
}

static status_t
call_locked(private_kernel_ferry_ipsec_t *this, uint8_t *msg, size_t len,
			uint8_t *answer, size_t answer_len, expire_t *ev)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h, sent;
	int32_t status;

	if (this->fd < 0 && !conn_open(this))
	{
		return FAILED;
	}
	ike_frame(msg, len, &sent);
	if (send(this->fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
	{
		conn_lost(this);
		return FAILED;
	}
	for (;;)
	{
		if (!read_msg(this->fd, buf, &h))
		{
			DBG1(DBG_KNL, "ferry: IKE socket closed");
			conn_lost(this);
			return FAILED;
		}
		if (h.type == IKE_MSG_EXPIRE)
		{
			note_expire(this, buf + IKE_HDR_LEN, h.length - IKE_HDR_LEN, ev);
			continue;
		}
		if (h.type == IKE_MSG_REPLY && h.seq == sent.seq)
		{
			break;
		}
	}
	if (h.length < IKE_HDR_LEN + 4)
	{
		return FAILED;
	}
	status = (int32_t)untoh32(buf + IKE_HDR_LEN);
	if (status != 0)
	{
		return status == -ENOENT ? NOT_FOUND : FAILED;
	}
	if (answer_len > h.length - IKE_HDR_LEN - 4)
	{
		return FAILED;
	}
	memcpy(answer, buf + IKE_HDR_LEN + 4, answer_len);
	return SUCCESS;
}

/* The same policy as ferry tells them apart: selectors, direction,
 * if_id (not the reqid or priority of the CHILD_SA installing it). */
static bool
policy_same(const struct ike_policy *a, const struct ike_policy *b)
{
	return a->dir == b->dir && a->proto == b->proto &&
		   a->src == b->src && a->src_len == b->src_len &&
		   a->dst == b->dst && a->dst_len == b->dst_len &&
		   a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi &&
		   a->dport_lo == b->dport_lo && a->dport_hi == b->dport_hi &&
		   a->if_id == b->if_id;
}

/* A restarted ferry gets every policy again, as many times as charon
 * installed it. Mutex held, connected. */
static void
policies_replay(private_kernel_ferry_ipsec_t *this)
{
	enumerator_t *e = this->policies->create_enumerator(this->policies);
	uint8_t msg[IKE_MSG_MAX];
	policy_entry_t *p;
	expire_t ev = {};
	u_int i;

	while (e->enumerate(e, &p))
	{
		for (i = 0; i < p->refs && this->fd >= 0; i++)
		{
			call_locked(this, msg, ike_put_policy(msg, IKE_MSG_ADD_POLICY,
						next_seq(this), &p->m), NULL, 0, &ev);
		}
	}
	e->destroy(e);
	if (ev.dst)
	{	/* no SA of the new ferry can have expired yet */
		ev.dst->destroy(ev.dst);
	}
}

/*
 * ferry went away (stopped or restarted; doc/ike.md, "Restarts"): a new
 * ferry starts with no IKE SA, so once it answers again charon rekeys
 * every CHILD_SA this plugin had installed (a soft expire of each
 * inbound SA, what an EXPIRE event does) and its new SAs go to the new
 * ferry; the old ones' del_sa find nothing there (NOT_FOUND is fine).
 * Tried again every second. Mutex not held.
 */
static job_requeue_t
resync(private_kernel_ferry_ipsec_t *this)
{
	linked_list_t *todo = linked_list_create();
	enumerator_t *e;
	struct sa_entry *sa;
	expire_t *ev;
	void *key;

	this->mutex->lock(this->mutex);
	if (this->fd < 0 && !conn_open(this))
	{
		this->mutex->unlock(this->mutex);
		todo->destroy(todo);
		return JOB_RESCHEDULE_MS(1000);
	}
	this->resync_pending = FALSE;
	policies_replay(this);
	e = this->sas->create_enumerator(this->sas);
	while (e->enumerate(e, &key, &sa))
	{
		if (sa->inbound)
		{
			INIT(ev, .spi = sa->spi, .dst = sa->dst->clone(sa->dst));
			todo->insert_last(todo, ev);
		}
	}
	e->destroy(e);
	this->mutex->unlock(this->mutex);
	DBG1(DBG_KNL, "ferry: back; rekeying %d CHILD_SAs into it",
		 todo->get_count(todo));
	while (todo->remove_first(todo, (void **)&ev) == SUCCESS)
	{
		fire_expire(ev);
		free(ev);
	}
	todo->destroy(todo);
	return JOB_REQUEUE_NONE;
}

/* The connection broke: drop it and resync once ferry is back. Mutex
 * held. */
static void
conn_lost(private_kernel_ferry_ipsec_t *this)
{
	if (this->watched)
	{	/* the watcher's callback sees EOF on it and closes it */
		this->stale_fd = this->fd;
		this->fd = -1;
		this->watched = FALSE;
	}
	else
	{
		conn_drop(this);
	}
	if (!this->resync_pending)
	{
		this->resync_pending = TRUE;
		lib->scheduler->schedule_job_ms(lib->scheduler, (job_t *)
			callback_job_create((callback_job_cb_t)resync, this, NULL,
								NULL), 1000);
	}
}

/* Whether a message header waits on @p fd (never blocks): the watcher
 * also wakes for a REPLY that call_locked() reads while it waits for the
 * mutex, and must then not block in recv() holding the mutex. */
static bool
header_waiting(int fd)
{
	uint8_t hdr[IKE_HDR_LEN];
	ssize_t k = recv(fd, hdr, sizeof(hdr), MSG_PEEK | MSG_DONTWAIT);

	return k == (ssize_t)sizeof(hdr) ||
		   k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Watcher: ferry sent something between requests (an EXPIRE event). */
CALLBACK(on_readable, bool,
	private_kernel_ferry_ipsec_t *this, int fd, watcher_event_t event)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_hdr h;
	expire_t ev = {};
	bool keep = TRUE;

	this->mutex->lock(this->mutex);
	if (fd != this->fd)
	{	/* a connection conn_lost() gave up */
		if (fd == this->stale_fd)
		{
			close(fd);
			this->stale_fd = -1;
		}
		keep = FALSE;
	}
	else if (header_waiting(fd))
	{
		if (!read_msg(fd, buf, &h))
		{
			DBG1(DBG_KNL, "ferry: IKE socket closed");
			conn_lost(this);
			close(fd); /* stale_fd: returning FALSE unregisters it */
			this->stale_fd = -1;
			keep = FALSE;
		}
		else if (h.type == IKE_MSG_EXPIRE)
		{
			note_expire(this, buf + IKE_HDR_LEN, h.length - IKE_HDR_LEN, &ev);
		}
	}
	this->mutex->unlock(this->mutex);
	fire_expire(&ev);
	return keep;
}

static uint32_t
next_seq(private_kernel_ferry_ipsec_t *this)
{
	return ++this->seq;
}

/* Connect and resync: ferry forgets whatever an earlier charon left. */
static bool
conn_open(private_kernel_ferry_ipsec_t *this)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	uint8_t msg[IKE_MSG_MAX], v[4];
	expire_t ev = {};

	this->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", this->path);
	if (this->fd < 0 ||
		connect(this->fd, (struct sockaddr *)&a, sizeof(a)) < 0)
	{
		DBG1(DBG_KNL, "ferry: connecting to %s: %s", this->path,
			 strerror(errno));
		if (this->fd >= 0)
		{
			close(this->fd);
		}
		this->fd = -1;
		return FALSE;
	}
	if (call_locked(this, msg, ike_put_empty(msg, IKE_MSG_HELLO,
				next_seq(this)), v, sizeof(v), &ev) != SUCCESS ||
		untoh32(v) != IKE_PROTO_VERSION ||
		call_locked(this, msg, ike_put_empty(msg, IKE_MSG_FLUSH_SAS,
				next_seq(this)), NULL, 0, &ev) != SUCCESS ||
		call_locked(this, msg, ike_put_empty(msg, IKE_MSG_FLUSH_POLICIES,
				next_seq(this)), NULL, 0, &ev) != SUCCESS)
	{
		conn_drop(this);
		return FALSE;
	}
	lib->watcher->add(lib->watcher, this->fd, WATCHER_READ, on_readable,
					  this);
	this->watched = TRUE;
	DBG1(DBG_KNL, "ferry: connected to %s (protocol %u)", this->path,
		 IKE_PROTO_VERSION);
	return TRUE;
}

static bool
ipv4_of(host_t *h, uint32_t *out)
{
	chunk_t a;

	if (!h || h->get_family(h) != AF_INET)
	{
		return FALSE;
	}
	a = h->get_address(h);
	*out = untoh32(a.ptr);
	return TRUE;
}

METHOD(kernel_ipsec_t, get_features, kernel_feature_t,
	private_kernel_ferry_ipsec_t *this)
{
	return KERNEL_ESP_V3_TFC;
}

METHOD(kernel_ipsec_t, get_spi, status_t,
	private_kernel_ferry_ipsec_t *this, host_t *src, host_t *dst,
	uint8_t protocol, uint32_t *spi)
{
	uint8_t msg[IKE_MSG_MAX], b[8], v[4];
	struct ike_hdr h = { .length = IKE_HDR_LEN + 8,
		.version = IKE_PROTO_VERSION, .type = IKE_MSG_GET_SPI };
	uint32_t s, d;

	if (protocol != IPPROTO_ESP || !ipv4_of(src, &s) || !ipv4_of(dst, &d))
	{
		return NOT_SUPPORTED;
	}
	this->mutex->lock(this->mutex);
	h.seq = next_seq(this);
	this->mutex->unlock(this->mutex);
	ike_hdr_put(msg, &h);
	htoun32(b, s);
	htoun32(b + 4, d);
	memcpy(msg + IKE_HDR_LEN, b, sizeof(b));
	if (call(this, msg, h.length, v, sizeof(v)) != SUCCESS)
	{
		return FAILED;
	}
	*spi = htonl(untoh32(v));
	return SUCCESS;
}

METHOD(kernel_ipsec_t, get_cpi, status_t,
	private_kernel_ferry_ipsec_t *this, host_t *src, host_t *dst,
	uint16_t *cpi)
{
	return NOT_SUPPORTED;
}

/* ferry's algorithm name for charon's transforms, or NULL. */
static const char *
alg_name(uint16_t enc, size_t enc_len, uint16_t integ)
{
	switch (enc)
	{
		case ENCR_AES_GCM_ICV16:
			return enc_len == 20 ? "aes-gcm-128" :
				   enc_len == 36 ? "aes-gcm-256" : NULL;
		case ENCR_CHACHA20_POLY1305:
			return enc_len == 36 ? "chacha20-poly1305" : NULL;
		case ENCR_AES_CBC:
			if (integ == AUTH_HMAC_SHA2_256_128)
			{
				return enc_len == 16 ? "aes-cbc-128-sha256" :
					   enc_len == 32 ? "aes-cbc-256-sha256" : NULL;
			}
			if (integ == AUTH_HMAC_SHA1_96)
			{
				return enc_len == 16 ? "aes-cbc-128-sha1" :
					   enc_len == 32 ? "aes-cbc-256-sha1" : NULL;
			}
			return NULL;
		case ENCR_NULL:
			return integ == AUTH_HMAC_SHA2_256_128 ? "null-sha256" : NULL;
		default:
			return NULL;
	}
}

static bool
add_sa_msg(kernel_ipsec_sa_id_t *id, kernel_ipsec_add_sa_t *data,
		   struct ike_add_sa *m)
{
	const char *alg = alg_name(data->enc_alg, data->enc_key.len,
							   data->int_alg);
	host_t *local = data->inbound ? id->dst : id->src;
	host_t *remote = data->inbound ? id->src : id->dst;

	memset(m, 0, sizeof(*m));
	if (!alg || data->mode != MODE_TUNNEL || id->proto != IPPROTO_ESP ||
		data->enc_key.len > IKE_KEY_MAX ||
		data->int_key.len > IKE_AUTH_KEY_MAX ||
		!ipv4_of(local, &m->local) || !ipv4_of(remote, &m->remote))
	{
		return FALSE;
	}
	m->spi = ntohl(id->spi);
	m->reqid = data->reqid;
	m->if_id = id->if_id; /* ferry's VRF for it: ipsec.if_ids */
	m->dir = data->inbound ? 0 : 1;
	m->esn = data->esn;
	m->encap = data->encap;
	m->encap_sport = local->get_port(local) ?: 4500;
	m->encap_dport = remote->get_port(remote) ?: 4500;
	m->replay_window = data->replay_window;
	m->soft_packets = data->lifetime->packets.rekey;
	m->hard_packets = data->lifetime->packets.life;
	m->soft_bytes = data->lifetime->bytes.rekey;
	m->hard_bytes = data->lifetime->bytes.life;
	snprintf(m->alg, sizeof(m->alg), "%s", alg);
	m->key_len = (uint8_t)data->enc_key.len;
	memcpy(m->key, data->enc_key.ptr, data->enc_key.len);
	m->auth_key_len = (uint8_t)data->int_key.len;
	memcpy(m->auth_key, data->int_key.ptr, data->int_key.len);
	return TRUE;
}

METHOD(kernel_ipsec_t, add_sa, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_sa_id_t *id,
	kernel_ipsec_add_sa_t *data)
{
	uint8_t msg[IKE_MSG_MAX];
	struct ike_add_sa m;
	struct sa_entry *sa;
	struct timeval tv;
	uint32_t gen;
	status_t st;
	size_t len;

	/* wall clock of charon's call: scripts/bench/ike_charon_bench.py sets
	 * it against the SA's first packet on the wire (install latency) */
	gettimeofday(&tv, NULL);
	if (!add_sa_msg(id, data, &m))
	{
		DBG1(DBG_KNL, "ferry: SA %.8x: algorithm, mode or address family "
			 "not supported", ntohl(id->spi));
		return NOT_SUPPORTED;
	}
	this->mutex->lock(this->mutex);
	len = ike_put_add_sa(msg, next_seq(this), &m);
	this->mutex->unlock(this->mutex);
	memwipe(&m, sizeof(m));
	st = call(this, msg, len, NULL, 0);
	memwipe(msg, sizeof(msg));
	if (st != SUCCESS)
	{
		return st;
	}
	DBG2(DBG_KNL, "ferry: SA %.8x %s installed, add_sa called at %ld.%06ld",
		 ntohl(id->spi), data->inbound ? "in" : "out", (long)tv.tv_sec,
		 (long)tv.tv_usec);
	INIT(sa, .spi = ntohl(id->spi), .inbound = data->inbound,
		 .dst = id->dst->clone(id->dst));
	this->mutex->lock(this->mutex);
	sa->gen = gen = ++this->gen;
	sa = this->sas->put(this->sas, &sa->spi, sa);
	this->mutex->unlock(this->mutex);
	if (sa)
	{
		sa->dst->destroy(sa->dst);
		free(sa);
	}
	schedule_time_expire(this, ntohl(id->spi), gen,
						 data->lifetime->time.rekey, FALSE);
	schedule_time_expire(this, ntohl(id->spi), gen,
						 data->lifetime->time.life, TRUE);
	return SUCCESS;
}

/* The direction byte of SA @p spi as added, or -1. */
static int
sa_dir(private_kernel_ferry_ipsec_t *this, uint32_t spi)
{
	struct sa_entry *sa;
	int dir;

	this->mutex->lock(this->mutex);
	sa = this->sas->get(this->sas, &spi);
	dir = sa ? (sa->inbound ? 0 : 1) : -1;
	this->mutex->unlock(this->mutex);
	return dir;
}

/* The UPDATE_SA body of charon's update; FALSE if ferry cannot do it
 * in place (IPv6, a new reqid, ESP in UDP switched on or off): charon
 * then rekeys the CHILD_SA instead. */
static bool
update_sa_msg(kernel_ipsec_sa_id_t *id, kernel_ipsec_update_sa_t *data,
			  int dir, struct ike_update_sa *m)
{
	host_t *local = dir == 0 ? data->new_dst : data->new_src;
	host_t *remote = dir == 0 ? data->new_src : data->new_dst;

	memset(m, 0, sizeof(*m));
	if (data->new_reqid || data->encap != data->new_encap ||
		!ipv4_of(local, &m->local) || !ipv4_of(remote, &m->remote))
	{
		return FALSE;
	}
	m->spi = ntohl(id->spi);
	m->dir = (uint8_t)dir;
	m->encap = data->new_encap;
	m->encap_sport = local->get_port(local) ?: 4500;
	m->encap_dport = remote->get_port(remote) ?: 4500;
	return TRUE;
}

/* A NAT mapping that changed (RFC 7296 2.23) or a MOBIKE address update
 * (RFC 4555): ferry moves the SA in place, keys and counters kept. */
METHOD(kernel_ipsec_t, update_sa, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_sa_id_t *id,
	kernel_ipsec_update_sa_t *data)
{
	uint8_t msg[IKE_MSG_MAX];
	int dir = sa_dir(this, ntohl(id->spi));
	struct ike_update_sa m;
	status_t st;
	size_t len;

	if (dir < 0)
	{
		return NOT_FOUND;
	}
	if (!update_sa_msg(id, data, dir, &m))
	{
		return NOT_SUPPORTED;
	}
	this->mutex->lock(this->mutex);
	len = ike_put_update_sa(msg, next_seq(this), &m);
	this->mutex->unlock(this->mutex);
	st = call(this, msg, len, NULL, 0);
	DBG1(DBG_KNL, "ferry: SA %.8x moved to %#H -> %#H: %N", m.spi,
		 dir == 0 ? data->new_dst : data->new_src,
		 dir == 0 ? data->new_src : data->new_dst, status_names, st);
	/* an older ferry answers -EOPNOTSUPP: charon rekeys instead */
	return st == SUCCESS ? SUCCESS : NOT_SUPPORTED;
}

static size_t
sa_id_msg(private_kernel_ferry_ipsec_t *this, uint8_t *msg, uint8_t type,
		  uint32_t spi, int dir)
{
	struct ike_sa_id m = { .spi = spi, .dir = (uint8_t)dir };
	size_t len;

	this->mutex->lock(this->mutex);
	len = ike_put_sa_id(msg, type, next_seq(this), &m);
	this->mutex->unlock(this->mutex);
	return len;
}

METHOD(kernel_ipsec_t, query_sa, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_sa_id_t *id,
	kernel_ipsec_query_sa_t *data, uint64_t *bytes, uint64_t *packets,
	time_t *time)
{
	uint32_t spi = ntohl(id->spi);
	int dir = sa_dir(this, spi);
	uint8_t msg[IKE_MSG_MAX], a[20];

	if (dir < 0)
	{
		return NOT_FOUND;
	}
	if (call(this, msg, sa_id_msg(this, msg, IKE_MSG_QUERY_SA, spi, dir),
			 a, sizeof(a)) != SUCCESS)
	{
		return FAILED;
	}
	if (bytes)
	{
		*bytes = untoh64(a);
	}
	if (packets)
	{
		*packets = untoh64(a + 8);
	}
	if (time)
	{	/* charon wants the monotonic time of the last use */
		*time = time_monotonic(NULL) - untoh32(a + 16);
	}
	return SUCCESS;
}

METHOD(kernel_ipsec_t, del_sa, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_sa_id_t *id,
	kernel_ipsec_del_sa_t *data)
{
	uint32_t spi = ntohl(id->spi);
	int dir = sa_dir(this, spi);
	uint8_t msg[IKE_MSG_MAX];
	struct sa_entry *sa;
	status_t st;

	if (dir < 0)
	{
		return NOT_FOUND;
	}
	st = call(this, msg, sa_id_msg(this, msg, IKE_MSG_DEL_SA, spi, dir),
			  NULL, 0);
	this->mutex->lock(this->mutex);
	sa = this->sas->remove(this->sas, &spi);
	this->mutex->unlock(this->mutex);
	if (sa)
	{
		sa->dst->destroy(sa->dst);
		free(sa);
	}
	return st == NOT_FOUND ? SUCCESS : st;
}

static status_t
flush(private_kernel_ferry_ipsec_t *this, uint8_t type)
{
	uint8_t msg[IKE_MSG_MAX];
	size_t len;

	this->mutex->lock(this->mutex);
	len = ike_put_empty(msg, type, next_seq(this));
	this->mutex->unlock(this->mutex);
	return call(this, msg, len, NULL, 0);
}

METHOD(kernel_ipsec_t, flush_sas, status_t,
	private_kernel_ferry_ipsec_t *this)
{
	return flush(this, IKE_MSG_FLUSH_SAS);
}

/* ferry's policy of charon's, FALSE if ferry has nothing to do with it:
 * ferry checks forwarded traffic, so charon's "in" policies (traffic to
 * the gateway itself) and non-IPsec policies stay with charon. */
static bool
policy_msg(kernel_ipsec_policy_id_t *id, kernel_ipsec_manage_policy_t *data,
		   struct ike_policy *m)
{
	host_t *net;
	uint8_t len;

	memset(m, 0, sizeof(*m));
	if (id->dir == POLICY_IN || (data && data->type != POLICY_IPSEC))
	{
		return FALSE;
	}
	m->dir = id->dir == POLICY_OUT ? 1 : 0;
	m->if_id = id->if_id;
	m->reqid = data && data->sa ? data->sa->reqid : 0;
	m->priority = data ? data->manual_prio ?: data->prio : 0;
	m->proto = id->src_ts->get_protocol(id->src_ts);
	if (!id->src_ts->to_subnet(id->src_ts, &net, &len) ||
		!ipv4_of(net, &m->src))
	{
		DESTROY_IF(net);
		return FALSE;
	}
	net->destroy(net);
	m->src_len = len;
	if (!id->dst_ts->to_subnet(id->dst_ts, &net, &len) ||
		!ipv4_of(net, &m->dst))
	{
		DESTROY_IF(net);
		return FALSE;
	}
	net->destroy(net);
	m->dst_len = len;
	m->sport_lo = id->src_ts->get_from_port(id->src_ts);
	m->sport_hi = id->src_ts->get_to_port(id->src_ts);
	m->dport_lo = id->dst_ts->get_from_port(id->dst_ts);
	m->dport_hi = id->dst_ts->get_to_port(id->dst_ts);
	return TRUE;
}

/* Count an ADD_POLICY (@p add) or a DEL_POLICY of @p m. Mutex held. */
static void
policy_track(private_kernel_ferry_ipsec_t *this, struct ike_policy *m,
			 bool add)
{
	enumerator_t *e = this->policies->create_enumerator(this->policies);
	policy_entry_t *p, *found = NULL;

	while (e->enumerate(e, &p))
	{
		if (policy_same(&p->m, m))
		{
			found = p;
			break;
		}
	}
	if (found && !add && --found->refs == 0)
	{
		this->policies->remove_at(this->policies, e);
		free(found);
	}
	e->destroy(e);
	if (!found && add)
	{
		INIT(p, .m = *m, .refs = 1);
		this->policies->insert_last(this->policies, p);
	}
	else if (found && add)
	{
		found->refs++;
	}
}

static status_t
policy_call(private_kernel_ferry_ipsec_t *this, uint8_t type,
			kernel_ipsec_policy_id_t *id, kernel_ipsec_manage_policy_t *data,
			uint8_t *answer, size_t answer_len)
{
	uint8_t msg[IKE_MSG_MAX];
	struct ike_policy m;
	expire_t ev = {};
	status_t st;

	if (!policy_msg(id, data, &m))
	{
		return SUCCESS;
	}
	this->mutex->lock(this->mutex);
	st = call_locked(this, msg, ike_put_policy(msg, type, next_seq(this), &m),
					 answer, answer_len, &ev);
	if (type != IKE_MSG_QUERY_POLICY &&
		(st == SUCCESS || (type == IKE_MSG_DEL_POLICY && st == NOT_FOUND)))
	{
		policy_track(this, &m, type == IKE_MSG_ADD_POLICY);
	}
	this->mutex->unlock(this->mutex);
	fire_expire(&ev);
	return st;
}

METHOD(kernel_ipsec_t, add_policy, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_policy_id_t *id,
	kernel_ipsec_manage_policy_t *data)
{
	return policy_call(this, IKE_MSG_ADD_POLICY, id, data, NULL, 0);
}

METHOD(kernel_ipsec_t, query_policy, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_policy_id_t *id,
	kernel_ipsec_query_policy_t *data, time_t *use_time)
{
	uint8_t a[4] = {}; /* stays 0 for a policy ferry does not keep */

	/* 0 is "not kept" (doc/ike.md), not "used now": taken as a use, it
	 * kept charon's DPD from ever seeing the peer idle. charon then goes
	 * by the SAs' use times (QUERY_SA). */
	if (policy_call(this, IKE_MSG_QUERY_POLICY, id, NULL, a,
					sizeof(a)) != SUCCESS || untoh32(a) == 0)
	{
		return NOT_FOUND;
	}
	*use_time = time_monotonic(NULL) - untoh32(a);
	return SUCCESS;
}

METHOD(kernel_ipsec_t, del_policy, status_t,
	private_kernel_ferry_ipsec_t *this, kernel_ipsec_policy_id_t *id,
	kernel_ipsec_manage_policy_t *data)
{
	status_t st = policy_call(this, IKE_MSG_DEL_POLICY, id, data, NULL, 0);

	return st == NOT_FOUND ? SUCCESS : st;
}

METHOD(kernel_ipsec_t, flush_policies, status_t,
	private_kernel_ferry_ipsec_t *this)
{
	return flush(this, IKE_MSG_FLUSH_POLICIES);
}

/* IKE travels through ferry's TAP in clear: no policy applies to it. */
METHOD(kernel_ipsec_t, bypass_socket, bool,
	private_kernel_ferry_ipsec_t *this, int fd, int family)
{
	return TRUE;
}

/* ferry takes ESP in UDP 4500 itself (RFC 3948); the TAP sees only IKE. */
METHOD(kernel_ipsec_t, enable_udp_decap, bool,
	private_kernel_ferry_ipsec_t *this, int fd, int family, uint16_t port)
{
	return TRUE;
}

CALLBACK(sa_free, void,
	struct sa_entry *sa, const void *key)
{
	sa->dst->destroy(sa->dst);
	free(sa);
}

METHOD(kernel_ipsec_t, destroy, void,
	private_kernel_ferry_ipsec_t *this)
{
	conn_drop(this);
	this->policies->destroy_function(this->policies, free);
	if (this->stale_fd >= 0)
	{
		lib->watcher->remove(lib->watcher, this->stale_fd);
		close(this->stale_fd);
	}
	this->sas->destroy_function(this->sas, sa_free);
	this->mutex->destroy(this->mutex);
	free(this->path);
	free(this);
}

static kernel_ipsec_t *
kernel_ferry_ipsec_create(void)
{
	private_kernel_ferry_ipsec_t *this;

	INIT(this,
		.public = {
			.get_features = _get_features,
			.get_spi = _get_spi,
			.get_cpi = _get_cpi,
			.add_sa = _add_sa,
			.update_sa = _update_sa,
			.query_sa = _query_sa,
			.del_sa = _del_sa,
			.flush_sas = _flush_sas,
			.add_policy = _add_policy,
			.query_policy = _query_policy,
			.del_policy = _del_policy,
			.flush_policies = _flush_policies,
			.bypass_socket = _bypass_socket,
			.enable_udp_decap = _enable_udp_decap,
			.destroy = _destroy,
		},
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
		.fd = -1,
		.stale_fd = -1,
		.path = strdup(lib->settings->get_str(lib->settings,
						"%s.plugins.kernel-ferry.socket", DEFAULT_SOCKET,
						lib->ns)),
		.sas = hashtable_create(sa_hash, sa_equals, 64),
		.policies = linked_list_create(),
	);
	/* resync now: a restarted charon leaves nothing stale in ferry; if
	 * ferry is not up yet, the first request connects */
	this->mutex->lock(this->mutex);
	conn_open(this);
	this->mutex->unlock(this->mutex);
	return &this->public;
}

/* ---- the plugin ---- */

METHOD(plugin_t, get_name, char *,
	kernel_ferry_plugin_t *this)
{
	return "kernel-ferry";
}

METHOD(plugin_t, get_plugin_features, int,
	kernel_ferry_plugin_t *this, plugin_feature_t *features[])
{
	static plugin_feature_t f[] = {
		PLUGIN_CALLBACK(kernel_ipsec_register, kernel_ferry_ipsec_create),
			PLUGIN_PROVIDE(CUSTOM, "kernel-ipsec"),
	};
	*features = f;
	return countof(f);
}

METHOD(plugin_t, plugin_destroy, void,
	kernel_ferry_plugin_t *this)
{
	free(this);
}

plugin_t *kernel_ferry_plugin_create(void);

plugin_t *
kernel_ferry_plugin_create(void)
{
	kernel_ferry_plugin_t *this;

	INIT(this,
		.plugin = {
			.get_name = _get_name,
			.get_features = _get_plugin_features,
			.destroy = _plugin_destroy,
		},
	);
	return &this->plugin;
}
