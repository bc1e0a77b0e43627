/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SAD: building an SA (crypto session + librte_ipsec SA + session),
 * publishing it to workers and taking it down after a grace period.
 * Management lcore only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_jhash.h>
#include <rte_malloc.h>

#include "ipsec_priv.h"

static const char *const state_names[] = {
#define _STATE_NAME(e, name) [IPSEC_SA_##e] = name,
	FOREACH_IPSEC_SA_STATE(_STATE_NAME)
#undef _STATE_NAME
};

const char *
ipsec_sa_state_name(uint32_t state)
{
	return state < IPSEC_SA_STATE_MAX ? state_names[state] : "?";
}

int
sad_init(void)
{
	struct rte_hash_parameters p = {
		.name = "ferry_ipsec_sad",
		.entries = IPSEC_SA_MAX * 2,
		.key_len = sizeof(struct ipsec_in_key),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
		/* lock-free readers (workers), one writer (management) */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};

	if (ipsec_dp.in_hash != NULL)
		return 0;
	ipsec_dp.in_hash = rte_hash_create(&p);
	return ipsec_dp.in_hash == NULL ? -rte_errno : 0;
}

/* Tunnels by id - 1; slots below sa_high may be in use, and a slot
 * kept for an IKE tunnel's outbound SA is never handed to another SA. */
static struct ipsec_tunnel tunnels[IPSEC_SA_MAX];
static bool slot_kept[IPSEC_SA_MAX];
static unsigned int sa_high;

unsigned int
sad_high(void)
{
	return sa_high;
}

const struct ipsec_tunnel *
sad_tunnel(uint32_t id)
{
	return id == 0 || id > IPSEC_SA_MAX || tunnels[id - 1].refs == 0 ?
	       NULL : &tunnels[id - 1];
}

int
sad_find(uint32_t spi, int direction)
{
	unsigned int i;

	for (i = 0; i < sa_high; i++) {
		const struct ipsec_sa *s = ipsec_dp.sa[i];

		if (s != NULL && s->conf.spi == spi &&
		    s->conf.direction == direction)
			return (int)i;
	}
	return -1;
}

int
sad_sibling(uint32_t spi, int direction)
{
	int slot = sad_find(spi, direction), best = -1;
	const struct ipsec_sa *me, *s;
	unsigned int i;

	if (slot < 0)
		return -1;
	me = ipsec_dp.sa[slot];
	for (i = 0; i < sa_high; i++) {
		s = ipsec_dp.sa[i];
		if (s == NULL || s == me || s->tunnel != me->tunnel ||
		    s->conf.direction != direction)
			continue;
		if (best < 0 || s->created_ms >= ipsec_dp.sa[best]->created_ms)
			best = (int)i;
	}
	return best;
}

static int
slot_free(void)
{
	unsigned int i;

	for (i = 0; i < IPSEC_SA_MAX; i++)
		if (ipsec_dp.sa[i] == NULL && !slot_kept[i]) {
			if (i >= sa_high)
				sa_high = i + 1;
			return (int)i;
		}
	return -1;
}

/* The tunnel configured SA @p s belongs to, made if missing. */
static int
tunnel_of_conf(const struct ipsec_sa *s)
{
	unsigned int i;
	int fresh = -1;

	for (i = 0; i < IPSEC_SA_MAX; i++) {
		struct ipsec_tunnel *t = &tunnels[i];

		if (t->refs == 0) {
			if (fresh < 0)
				fresh = (int)i;
			continue;
		}
		if (t->reqid == 0 && t->local == s->conf.local &&
		    t->remote == s->conf.remote &&
		    memcmp(t->local6, s->conf.local6, 16) == 0 &&
		    memcmp(t->remote6, s->conf.remote6, 16) == 0 &&
		    t->uvrf == s->underlay_vrf && t->ivrf == s->inner_vrf)
			return (int)i + 1;
	}
	if (fresh < 0)
		return -ENOSPC;
	tunnels[fresh] = (struct ipsec_tunnel){
		.local = s->conf.local, .remote = s->conf.remote,
		.uvrf = s->underlay_vrf, .ivrf = s->inner_vrf,
		.out_slot = IPSEC_SLOT_NONE,
	};
	memcpy(tunnels[fresh].local6, s->conf.local6, 16);
	memcpy(tunnels[fresh].remote6, s->conf.remote6, 16);
	return fresh + 1;
}

uint32_t
sad_ike_tunnel_find(uint32_t reqid)
{
	unsigned int i;

	for (i = 0; reqid != 0 && i < IPSEC_SA_MAX; i++)
		if (tunnels[i].refs != 0 && tunnels[i].reqid == reqid)
			return i + 1;
	return 0;
}

int
sad_ike_tunnel_get(uint32_t reqid)
{
	uint32_t id = sad_ike_tunnel_find(reqid);
	unsigned int i;
	int slot;

	if (id != 0) {
		tunnels[id - 1].refs++;
		return (int)id;
	}
	for (i = 0; i < IPSEC_SA_MAX && tunnels[i].refs != 0; i++)
		;
	slot = slot_free();
	if (reqid == 0 || i == IPSEC_SA_MAX || slot < 0)
		return reqid == 0 ? -EINVAL : -ENOSPC;
	slot_kept[slot] = true;
	tunnels[i] = (struct ipsec_tunnel){
		.refs = 1, .reqid = reqid, .out_slot = (uint16_t)slot,
	};
	return (int)i + 1;
}

void
sad_ike_tunnel_put(uint32_t id)
{
	struct ipsec_tunnel *t;

	if (id == 0 || id > IPSEC_SA_MAX || tunnels[id - 1].refs == 0)
		return;
	t = &tunnels[id - 1];
	if (--t->refs != 0)
		return;
	if (t->reqid != 0 && t->out_slot != IPSEC_SLOT_NONE)
		slot_kept[t->out_slot] = false;
	memset(t, 0, sizeof(*t));
}

static int
sa_keys(const struct ipsec_sa_conf *sc, const struct crypto_alg_info *a,
	struct crypto_keys *k, uint32_t *salt)
{
	memset(k, 0, sizeof(*k));
	if (a->cipher_key_len != 0 &&
	    ipsec_hex_decode(sc->key, k->cipher, sizeof(k->cipher)) !=
		    a->cipher_key_len)
		return -EINVAL;
	if (a->auth_key_len != 0 &&
	    ipsec_hex_decode(sc->auth_key, k->auth, sizeof(k->auth)) !=
		    a->auth_key_len)
		return -EINVAL;
	*salt = 0;
	/* librte_ipsec copies the salt into the nonce as it lies in memory */
	if (a->salt_len != 0 &&
	    ipsec_hex_decode(sc->salt, (uint8_t *)salt, sizeof(*salt)) != 4)
		return -EINVAL;
	return 0;
}

/* The outer header every packet of an outbound SA starts from. */
union sa_outer {
	struct rte_ipv4_hdr v4;
	struct rte_ipv6_hdr v6;
};

/*
 * IPv6: hop limit = the SA's ttl, traffic class set per packet
 * (esp_encrypt_node.c), flow label 0 (RFC 6437 3 allows a zero label;
 * every packet of the tunnel then takes one ECMP path, as an IPv4
 * tunnel's 5-tuple does). librte_ipsec writes the payload length.
 */
static size_t
sa_outer_template(const struct ipsec_sa_conf *sc, union sa_outer *o)
{
	memset(o, 0, sizeof(*o));
	if (ipsec_conf_outer6(sc)) {
		o->v6.vtc_flow = rte_cpu_to_be_32(6u << 28);
		o->v6.proto = IPPROTO_ESP;
		o->v6.hop_limits = (uint8_t)sc->ttl;
		memcpy(o->v6.src_addr, sc->local6, 16);
		memcpy(o->v6.dst_addr, sc->remote6, 16);
		return sizeof(o->v6);
	}
	o->v4.version_ihl = RTE_IPV4_VHL_DEF;
	o->v4.time_to_live = (uint8_t)sc->ttl;
	o->v4.next_proto_id = sc->nat_t ? IPPROTO_UDP : IPPROTO_ESP;
	o->v4.src_addr = rte_cpu_to_be_32(sc->local);
	o->v4.dst_addr = rte_cpu_to_be_32(sc->remote);
	return sizeof(o->v4);
}

static void
sa_prm_fill(const struct ipsec_sa_conf *sc, uint32_t salt,
	    struct rte_crypto_sym_xform *x, const union sa_outer *outer,
	    size_t outer_len, struct rte_ipsec_sa_prm *prm)
{
	bool out = sc->direction == IPSEC_DIR_OUT;

	memset(prm, 0, sizeof(*prm));
	/* several lcores per SA: atomic outbound sequence numbers, and a
	 * reader/writer window where librte_ipsec keeps one (ESN); without
	 * a window the flag would make it lock a window it does not have */
	prm->flags = out || sc->esn ? RTE_IPSEC_SAFLAG_SQN_ATOM : 0;
	prm->crypto_xform = x;
	prm->ipsec_xform.spi = sc->spi;
	prm->ipsec_xform.salt = salt;
	prm->ipsec_xform.options.esn = sc->esn;
	prm->ipsec_xform.direction = out ? RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
					   RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	prm->ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	prm->ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	prm->ipsec_xform.tunnel.type = ipsec_conf_outer6(sc) ?
		RTE_SECURITY_IPSEC_TUNNEL_IPV6 : RTE_SECURITY_IPSEC_TUNNEL_IPV4;
	/* ferry's window (replay.h) decides; librte_ipsec keeps one only
	 * where its ESN high-bit guess needs it */
	prm->ipsec_xform.replay_win_sz = out || !sc->esn ? 0 :
					 sc->replay_window;
	prm->ipsec_xform.esn.value = out ? sc->seq_start : 0;
	/* librte_ipsec 22.11 encapsulates in UDP on output only; ferry's
	 * decrypt node strips the UDP header itself (RFC 3948 3.2). */
	prm->ipsec_xform.options.udp_encap = out && sc->nat_t;
	prm->ipsec_xform.udp.sport = (uint16_t)sc->nat_t_sport;
	prm->ipsec_xform.udp.dport = (uint16_t)sc->nat_t_dport;
	prm->tun.hdr_len = (uint8_t)outer_len;
	prm->tun.hdr_l3_off = 0;
	/* the ESP next header of every packet (RFC 4303 2.6) */
	prm->tun.next_proto = sc->inner == IPSEC_INNER_IPV6 ? IPPROTO_IPV6 :
							    IPPROTO_IPIP;
	prm->tun.hdr = outer;
}

static int
sa_build_session(struct ipsec_sa *s, const struct rte_ipsec_sa_prm *prm)
{
	int sz = rte_ipsec_sa_size(prm);
	int rc;

	if (sz < 0)
		return sz;
	s->ss.sa = rte_zmalloc("ferry_ipsec_sa", (size_t)sz,
			       RTE_CACHE_LINE_SIZE);
	if (s->ss.sa == NULL)
		return -ENOMEM;
	rc = rte_ipsec_sa_init(s->ss.sa, prm, (uint32_t)sz);
	if (rc < 0)
		return rc;
	s->ss.type = s->cs.action;
	s->ss.crypto.ses = s->cs.ses;
	s->ss.crypto.dev_id = s->cs.dev_id;
	return rte_ipsec_session_prepare(&s->ss);
}

void
ipsec_sa_release(struct ipsec_sa *s)
{
	if (s == NULL)
		return;
	if (s->ss.sa != NULL)
		rte_ipsec_sa_fini(s->ss.sa);
	rte_free(s->ss.sa);
	rte_free(s->win);
	rte_free(s->ends);
	if (crypto_engine() != NULL)
		crypto_engine()->session_free(&s->cs);
	memset(&s->conf, 0, sizeof(s->conf)); /* wipe the keys */
	rte_free(s);
}

struct ipsec_sa *
ipsec_sa_build(const struct ipsec_sa_conf *sc, char *err, size_t len)
{
	const struct crypto_alg_info *a;
	struct rte_crypto_sym_xform x[2];
	struct rte_ipsec_sa_prm prm;
	union sa_outer outer;
	struct crypto_keys keys;
	struct ipsec_sa *s;
	uint32_t salt;
	int alg, rc;

	alg = crypto_alg_find(sc->algorithm);
	a = crypto_alg_get((enum crypto_alg)alg);
	if (a == NULL || sa_keys(sc, a, &keys, &salt) < 0) {
		snprintf(err, len, "SA %u: bad algorithm or keys", sc->spi);
		return NULL;
	}
	s = rte_zmalloc("ferry_ipsec_sa", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	s->conf = *sc;
	s->alg = (enum crypto_alg)alg;
	s->outbound = sc->direction == IPSEC_DIR_OUT;
	s->outer6 = ipsec_conf_outer6(sc);
	s->inner6 = sc->inner == IPSEC_INNER_IPV6;
	rte_spinlock_init(&s->in_lock);
	if (!s->outbound) {
		s->win = rte_zmalloc("ferry_ipsec_replay",
				     replay_window_bytes(sc->replay_window),
				     RTE_CACHE_LINE_SIZE);
		if (s->win == NULL) {
			snprintf(err, len, "out of memory");
			ipsec_sa_release(s);
			return NULL;
		}
		replay_init(s->win, sc->replay_window);
	}
	rc = crypto_alg_xform(s->alg, &keys, sc->direction == IPSEC_DIR_OUT,
			      /* AAD: SPI + 32-bit or 64-bit sequence
			       * number (RFC 4106 5, RFC 7634 2.1) */
			      a->aead ? (sc->esn ? 12 : 8) : 0, x);
	if (rc > 0)
		rc = crypto_engine()->session_create(x, &s->cs);
	if (rc == 0) {
		sa_prm_fill(sc, salt, x, &outer,
			    sa_outer_template(sc, &outer), &prm);
		rc = sa_build_session(s, &prm);
	}
	memset(&keys, 0, sizeof(keys));
	if (rc < 0) {
		snprintf(err, len, "SA %u: %s not available: %s", sc->spi,
			 sc->algorithm, strerror(-rc));
		ipsec_sa_release(s);
		return NULL;
	}
	return s;
}

static int
sa_vrfs(struct ipsec_sa *s, char *err, size_t len)
{
	int u = vrf_find(s->conf.underlay_vrf), in = vrf_find(s->conf.inner_vrf);

	if (u < 0 || in < 0) {
		snprintf(err, len, "SA %u: unknown VRF \"%s\"", s->conf.spi,
			 u < 0 ? s->conf.underlay_vrf : s->conf.inner_vrf);
		return -ENOENT;
	}
	s->underlay_vrf = (uint16_t)u;
	s->inner_vrf = (uint16_t)in;
	return 0;
}

/* The inbound SAD key of @p s: (SPI, its local end). */
static void
sa_in_key(const struct ipsec_sa *s, struct ipsec_in_key *k)
{
	memset(k, 0, sizeof(*k));
	k->spi = rte_cpu_to_be_32(s->conf.spi);
	if (s->outer6)
		memcpy(k->dst, s->conf.local6, 16);
	else
		ipsec_in_key_v4(k, rte_cpu_to_be_32(s->conf.local));
}

static int
sa_publish(struct ipsec_sa *s)
{
	struct ipsec_in_key k;
	int rc;

	sa_in_key(s, &k);

	if (!s->outbound) {
		rc = rte_hash_add_key_data(ipsec_dp.in_hash, &k,
					   (void *)(uintptr_t)s->slot);
		if (rc < 0)
			return rc;
	}
	__atomic_store_n(&ipsec_dp.sa[s->slot], s, __ATOMIC_RELEASE);
	return 0;
}

/* An SA of @p sc built and checked, not published; NULL with @p err. */
static struct ipsec_sa *
sa_prepare(const struct ipsec_sa_conf *sc, char *err, size_t len)
{
	struct ipsec_sa *s;
	int rc;

	if (sad_find(sc->spi, sc->direction) >= 0) {
		snprintf(err, len, "SA %u %s exists", sc->spi,
			 sc->direction == IPSEC_DIR_OUT ? "out" : "in");
		return NULL;
	}
	/* the engine starts with the first SA: no crypto device without */
	rc = crypto_engine_init(NULL);
	if (rc < 0) {
		snprintf(err, len, "crypto engine: %s", strerror(-rc));
		return NULL;
	}
	s = ipsec_sa_build(sc, err, len);
	if (s == NULL)
		return NULL;
	s->tos_set = (uint8_t)(sc->dscp_value << 2);
	s->created_ms = rte_get_timer_cycles() * 1000 / rte_get_timer_hz();
	s->last_use_ms = s->created_ms;
	if (sa_vrfs(s, err, len) < 0) {
		ipsec_sa_release(s);
		return NULL;
	}
	return s;
}

int
sad_add(const struct ipsec_sa_conf *sc, char *err, size_t len)
{
	struct ipsec_sa *s;
	int slot, tun, rc;

	s = sa_prepare(sc, err, len);
	if (s == NULL)
		return -EINVAL;
	slot = slot_free();
	tun = tunnel_of_conf(s);
	if (slot < 0 || tun < 0) {
		snprintf(err, len, "SAD full (%u SAs)", IPSEC_SA_MAX);
		ipsec_sa_release(s);
		return -ENOSPC;
	}
	s->slot = (uint16_t)slot;
	s->tunnel = (uint32_t)tun;
	rc = sa_publish(s);
	if (rc < 0) {
		snprintf(err, len, "SA %u: SPI and destination taken",
			 sc->spi);
		ipsec_sa_release(s);
		return rc;
	}
	tunnels[tun - 1].refs++;
	return 0;
}

/* Put outbound @p s in its tunnel's slot; the SA there before moves to
 * a slot of its own first, so it can still be found and deleted. */
static int
sa_publish_out(struct ipsec_tunnel *t, struct ipsec_sa *s)
{
	struct ipsec_sa *old = ipsec_dp.sa[t->out_slot];
	int slot;

	if (old != NULL) {
		slot = slot_free();
		if (slot < 0)
			return -ENOSPC;
		old->slot = (uint16_t)slot;
		__atomic_store_n(&ipsec_dp.sa[slot], old, __ATOMIC_RELEASE);
	}
	s->slot = t->out_slot;
	/* the one store that moves the tunnel's traffic to the new SA */
	__atomic_store_n(&ipsec_dp.sa[t->out_slot], s, __ATOMIC_RELEASE);
	return 0;
}

int
sad_add_ike(const struct ipsec_sa_conf *sc, uint32_t reqid, char *err,
	    size_t len)
{
	struct ipsec_tunnel *t;
	struct ipsec_sa *s;
	int id, slot, rc;

	s = sa_prepare(sc, err, len);
	if (s == NULL)
		return -EINVAL;
	id = sad_ike_tunnel_get(reqid);
	if (id < 0) {
		snprintf(err, len, "SAD full (%u SAs)", IPSEC_SA_MAX);
		ipsec_sa_release(s);
		return id;
	}
	t = &tunnels[id - 1];
	t->local = sc->local;
	t->remote = sc->remote;
	memcpy(t->local6, sc->local6, 16);
	memcpy(t->remote6, sc->remote6, 16);
	t->uvrf = s->underlay_vrf;
	t->ivrf = s->inner_vrf;
	s->tunnel = (uint32_t)id;
	s->reqid = reqid;
	if (s->outbound) {
		rc = sa_publish_out(t, s);
	} else {
		slot = slot_free();
		s->slot = (uint16_t)slot;
		rc = slot < 0 ? -ENOSPC : sa_publish(s);
	}
	if (rc < 0) {
		snprintf(err, len, "SA %u: %s", sc->spi, rc == -ENOSPC ?
			 "SAD full" : "SPI and destination taken");
		ipsec_sa_release(s);
		sad_ike_tunnel_put((uint32_t)id);
	}
	return rc;
}

int
sad_del(uint32_t spi, int direction)
{
	int slot = sad_find(spi, direction);
	struct ipsec_sa *s;
	int32_t pos = -1;
	uint32_t tun;

	if (slot < 0)
		return -ENOENT;
	s = ipsec_dp.sa[slot];
	/* A worker may hold a packet routed to this SA before the route
	 * moved away (rekey): let those pass before the SA goes. */
	ipsec_rcu_wait();
	if (!s->outbound) {
		struct ipsec_in_key k;

		sa_in_key(s, &k);
		pos = rte_hash_del_key(ipsec_dp.in_hash, &k);
	}
	__atomic_store_n(&ipsec_dp.sa[slot], NULL, __ATOMIC_RELEASE);
	ipsec_rcu_wait();
	/* lock-free hash: the key's slot is reused only once freed here */
	if (pos >= 0)
		rte_hash_free_key_with_position(ipsec_dp.in_hash, pos);
	tun = s->tunnel;
	ipsec_sa_release(s);
	sad_ike_tunnel_put(tun);
	return 0;
}

/* Outbound: publish new end points with one store; the old ones go
 * once no worker can still be writing them into a packet. */
static int
sa_move_out(struct ipsec_sa *s, uint32_t local, uint32_t remote, uint16_t sport,
	    uint16_t dport)
{
	struct ipsec_sa_ends *old = s->ends;
	struct ipsec_sa_ends *e =
		rte_zmalloc("ferry_ipsec_ends", sizeof(*e), 0);

	if (e == NULL)
		return -ENOMEM;
	e->src = rte_cpu_to_be_32(local);
	e->dst = rte_cpu_to_be_32(remote);
	e->sport = rte_cpu_to_be_16(sport);
	e->dport = rte_cpu_to_be_16(dport);
	__atomic_store_n(&s->ends, e, __ATOMIC_RELEASE);
	if (old != NULL) {
		ipsec_rcu_wait();
		rte_free(old);
	}
	return 0;
}

/* Inbound: the SAD finds the SA by (SPI, local end); a new local end
 * is added before the old key goes, so no packet misses the SA. */
static int
sa_move_in(struct ipsec_sa *s, uint32_t local)
{
	struct ipsec_in_key k_old, k_new;
	int32_t pos;
	int rc;

	sa_in_key(s, &k_old);
	k_new = k_old;
	ipsec_in_key_v4(&k_new, rte_cpu_to_be_32(local));
	if (memcmp(&k_old, &k_new, sizeof(k_new)) == 0)
		return 0;
	if (rte_hash_lookup(ipsec_dp.in_hash, &k_new) >= 0)
		return -EEXIST;
	rc = rte_hash_add_key_data(ipsec_dp.in_hash, &k_new,
				   (void *)(uintptr_t)s->slot);
	if (rc < 0)
		return rc;
	pos = rte_hash_del_key(ipsec_dp.in_hash, &k_old);
	ipsec_rcu_wait();
	if (pos >= 0)
		rte_hash_free_key_with_position(ipsec_dp.in_hash, pos);
	return 0;
}

int
sad_update_ike(uint32_t spi, int direction, uint32_t local, uint32_t remote,
	       bool encap, uint16_t sport, uint16_t dport)
{
	int slot = sad_find(spi, direction), rc;
	struct ipsec_sa *s;

	if (slot < 0)
		return -ENOENT;
	s = ipsec_dp.sa[slot];
	if (s->reqid == 0)
		return -EPERM;
	/* the outer header's layout is fixed when librte_ipsec builds the
	 * SA: adding or removing the UDP header takes a new SA */
	if (s->outer6 || encap != s->conf.nat_t)
		return -EOPNOTSUPP;
	rc = s->outbound ? sa_move_out(s, local, remote, sport, dport)
			 : sa_move_in(s, local);
	if (rc < 0)
		return rc;
	/* what `show ipsec sa` and the tunnel say; workers do not read
	 * these fields */
	s->conf.local = local;
	s->conf.remote = remote;
	s->conf.nat_t_sport = sport;
	s->conf.nat_t_dport = dport;
	tunnels[s->tunnel - 1].local = local;
	tunnels[s->tunnel - 1].remote = remote;
	return 0;
}

void
sad_fini(void)
{
	unsigned int i;

	for (i = 0; i < IPSEC_SA_MAX; i++) {
		ipsec_sa_release(ipsec_dp.sa[i]);
		ipsec_dp.sa[i] = NULL;
	}
	memset(tunnels, 0, sizeof(tunnels));
	memset(slot_kept, 0, sizeof(slot_kept));
	sa_high = 0;
	rte_hash_free(ipsec_dp.in_hash);
	ipsec_dp.in_hash = NULL;
}
