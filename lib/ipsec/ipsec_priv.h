/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/ipsec internals shared by its files (see ipsec.h for the contract). */
#ifndef FERRY_IPSEC_PRIV_H
#define FERRY_IPSEC_PRIV_H

#include <string.h>

#include <rte_debug.h>
#include <rte_graph.h>
#include <rte_hash.h>
#include <rte_ipsec.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "crypto_engine.h"
#include "graph.h"
#include "ipsec.h"
#include "lifetime.h"
#include "replay.h"
#include "route.h"
#include "spd_match.h"
#include "ferry_log.h"

extern int ipsec_logtype;
#define IPSEC_LOG(level, fmt, ...) \
	FERRY_LOG(ipsec_logtype, ipsec, level, fmt, ##__VA_ARGS__)

#define IPSEC_SLOT_NONE UINT16_MAX
/* The most packets of one SA the nodes hand to librte_ipsec at once:
 * ipsec_node_runs() cuts longer runs, so per-run arrays have this
 * fixed size (no VLAs on the fast path: one of length 0 is undefined). */
#define IPSEC_RUN_MAX RTE_GRAPH_BURST_SIZE

/*
 * Where an outbound IPv4 SA's packets go after charon moved it
 * (UPDATE_SA: a NAT mapping or MOBIKE address change, RFC 7296 2.23,
 * RFC 4555), network order. librte_ipsec keeps the outer header it was
 * built with; the encrypt node writes these over it.
 */
struct ipsec_sa_ends {
	rte_be32_t src, dst;
	rte_be16_t sport, dport;       /* ESP in UDP (RFC 3948) */
};

/*
 * A live SA. The settings are fixed once published; the counters and
 * state are written by workers with atomics and read by the management
 * lcore. Keys are kept only inside the crypto session and conf (never
 * formatted).
 */
struct ipsec_sa {
	struct rte_ipsec_session ss;   /* librte_ipsec SA + CPU-crypto session */
	struct crypto_session cs;
	struct ipsec_sa_conf conf;     /* as configured (holds the keys) */
	enum crypto_alg alg;
	uint16_t slot;
	uint16_t underlay_vrf, inner_vrf;
	uint8_t outbound;
	uint8_t outer6;                /* IPv6 tunnel end points */
	uint8_t inner6;                /* carries IPv6 (next header 41) */
	uint8_t tos_set;               /* DSCP << 2 when dscp = set */
	/* --- shared counters (atomics) --- */
	uint32_t state;                /* enum ipsec_sa_state */
	uint32_t state_logged;         /* management: last state logged */
	uint64_t granted;              /* packets admitted (hard limit) */
	uint64_t packets, bytes;       /* inner packets/bytes carried */
	uint64_t errors;               /* packets dropped on this SA */
	uint64_t replays;              /* inbound: esp_replay drops */
	uint64_t bad_icv;              /* inbound: esp_bad_icv drops */
	uint32_t last_seq;             /* outbound: highest sequence sent
					* (low 32 bits) */
	uint64_t soft_events;          /* soft expiries seen (0 or 1) */
	uint64_t created_ms;
	uint32_t tunnel;               /* id in the tunnel table (sad.c) */
	uint32_t reqid;                /* IKE's reqid; 0 = configured */
	uint64_t last_use_ms;          /* management: when counters moved */
	uint64_t last_packets;         /* management: packets then */
	/* librte_ipsec's SQN_ATOM window takes many readers (prepare) but
	 * one writer (process) at a time: inbound process is serialised
	 * per SA; uncontended unless the SA's packets reach several lcores */
	rte_spinlock_t in_lock;
	struct replay_window *win;     /* inbound: the deciding window */
	/* outbound: end points moved by UPDATE_SA, NULL = as built; the
	 * management lcore replaces it with one pointer store and frees
	 * the old one after a grace period */
	struct ipsec_sa_ends *ends;
};

/*
 * A tunnel: the SAs that carry one flow of traffic between two gateways,
 * old and new alike during a rekey. SPD rules refer to a tunnel, not to
 * one SA, so every inbound SA of it is accepted (RFC 4301 4.4.2 lets
 * several SAs share a policy). Configured SAs share a tunnel when their
 * end points and VRFs are equal; IKE SAs when their reqid is. An IKE
 * tunnel keeps one slot for its outbound SA: the routes point there and
 * a rekey replaces the SA in it with one pointer store.
 */
struct ipsec_tunnel {
	uint32_t refs;                 /* SAs in the tunnel; 0 = free */
	uint32_t reqid;                /* 0 = configured SAs */
	uint32_t local, remote;
	uint8_t local6[16], remote6[16];
	uint16_t uvrf, ivrf;
	uint16_t out_slot;             /* IKE: reserved outbound slot */
};

/* Everything the nodes read. */
struct ipsec_dp {
	struct ipsec_sa *sa[IPSEC_SA_MAX]; /* by slot; NULL = free */
	struct rte_hash *in_hash;          /* (spi, dst) -> slot */
	struct ipsec_spd *spd[2];          /* by enum ipsec_dir; NULL = empty */
	struct ipsec_spd6 *spd6[2];        /* IPv6 selectors, the same way */
};

/* An SPD of one direction: immutable once published. */
struct ipsec_spd {
	unsigned int n;
	struct spd_rule r[];
};

/* The IPv6 SPD of one direction: immutable once published. */
struct ipsec_spd6 {
	unsigned int n;
	struct spd6_rule r[];
};

/* Key of ipsec_dp.in_hash, network order as on the wire; an IPv4
 * destination is kept IPv4-mapped (::ffff:a.b.c.d, RFC 4291 2.5.5.2). */
struct ipsec_in_key {
	uint32_t spi;
	uint8_t dst[16];
};

/* @p k's destination as the IPv4-mapped form of @p v4 (network order). */
static inline void
ipsec_in_key_v4(struct ipsec_in_key *k, uint32_t v4)
{
	memset(k->dst, 0, 10);
	k->dst[10] = 0xff;
	k->dst[11] = 0xff;
	memcpy(&k->dst[12], &v4, 4);
}

/* Whether @p sc has IPv6 tunnel end points. */
static inline bool
ipsec_conf_outer6(const struct ipsec_sa_conf *sc)
{
	static const uint8_t none[16];

	return memcmp(sc->local6, none, 16) != 0;
}

extern struct ipsec_dp ipsec_dp;
extern int ipsec_route_ext_type;
/** The IPv6 FIBs' external route type of ferry_esp_encrypt. */
extern int ipsec_route6_ext_type;

/*
 * Inbound: update the replay window and decapsulate @p n (at most
 * IPSEC_RUN_MAX) decrypted, verified packets of @p s
 * (rte_ipsec_pkt_process, one writer at a time). Any lcore. @return the
 * good packets, in front. @p n may be 0: every packet of the run failed
 * earlier (bad ICV, replay, trailer).
 */
static inline uint16_t
ipsec_inb_process(struct ipsec_sa *s, struct rte_mbuf **m, uint16_t n)
{
	struct rte_mbuf *late[IPSEC_RUN_MAX];
	uint16_t k, i, good = 0, bad = 0;

	if (n == 0)
		return 0;
	RTE_ASSERT(n <= IPSEC_RUN_MAX);
	rte_spinlock_lock(&s->in_lock);
	k = rte_ipsec_pkt_process(&s->ss, m, n);
	for (i = 0; i < k; i++) {
		/* hash.usr: the packet's sequence number (low 32 bits) */
		uint64_t seq = replay_seq(s->win, m[i]->hash.usr, s->conf.esn);

		if (replay_update(s->win, seq) == 0)
			m[good++] = m[i];
		else
			late[bad++] = m[i];
	}
	rte_spinlock_unlock(&s->in_lock);
	for (i = 0; i < bad; i++) /* behind the good ones, as process does */
		m[good + i] = late[i];
	return good;
}

/* sad.c (management lcore) */
/* An SA built from @p sc (crypto session + librte_ipsec SA), not
 * published; NULL with @p err set. Free with ipsec_sa_release(). */
struct ipsec_sa *ipsec_sa_build(const struct ipsec_sa_conf *sc, char *err,
				size_t len);
void ipsec_sa_release(struct ipsec_sa *s);
int sad_init(void);
void sad_fini(void);
int sad_add(const struct ipsec_sa_conf *sc, char *err, size_t len);
int sad_del(uint32_t spi, int direction);
int sad_find(uint32_t spi, int direction);   /* slot or -1 */
/* Another SA of the tunnel of SA (@p spi, @p direction) in the same
 * direction (the newest): its slot, or -1. */
int sad_sibling(uint32_t spi, int direction);
/* Slots in use are below this (scans stop there). */
unsigned int sad_high(void);
/* The tunnel @p id (1-based), or NULL. */
const struct ipsec_tunnel *sad_tunnel(uint32_t id);
/*
 * Add an IKE SA of tunnel @p reqid (not recorded in the model). An
 * outbound SA takes the tunnel's outbound slot; one there before moves
 * to another slot (still found by SPI until deleted), so packets routed
 * to the tunnel go to the new SA from one pointer store on.
 */
int sad_add_ike(const struct ipsec_sa_conf *sc, uint32_t reqid, char *err,
		size_t len);
/* The tunnel of IKE @p reqid, made if missing (its outbound slot
 * reserved); its id or -errno. sad_ike_tunnel_put() frees it when no
 * SA and no policy holds it. */
int sad_ike_tunnel_get(uint32_t reqid);
/* The id of the tunnel of IKE @p reqid, or 0. */
uint32_t sad_ike_tunnel_find(uint32_t reqid);
void sad_ike_tunnel_put(uint32_t id);
/*
 * Move IKE SA (@p spi, @p direction) to end points @p local / @p remote
 * (host order) and ESP-in-UDP ports @p sport / @p dport, keeping its
 * keys, sequence numbers and counters: outbound with one pointer store
 * of its ipsec_sa_ends, inbound by re-keying the SAD hash when the local
 * end moved. -ENOENT, -EPERM (a configured SA), -EOPNOTSUPP (IPv6, or
 * a change of encapsulation: charon then rekeys), -EEXIST (the SPI is
 * taken at the new local address).
 */
int sad_update_ike(uint32_t spi, int direction, uint32_t local,
		   uint32_t remote, bool encap, uint16_t sport,
		   uint16_t dport);
const char *ipsec_sa_state_name(uint32_t state);

/* ipsec_config.c: one SA's settings, checked as the loader and the CLI
 * both do; NULL, or a reason with the key it is about in @p key. */
const char *sa_conf_check(const struct ipsec_sa_conf *sc, const char **key);

/* spd.c (management lcore) */
int spd_publish(const struct ipsec_conf *c, char *err, size_t len);
void spd_fini(void);

/* An SPD entry charon installed (add_policy): selectors, tunnel. */
struct spd_ike_policy {
	struct ipsec_spd_conf rc;      /* selectors and direction */
	uint32_t reqid, tunnel;        /* the tunnel holds a reference */
	uint32_t priority;             /* charon's: lower comes first */
	uint32_t refs;                 /* charon installs a policy once per
					* CHILD_SA using it (rekeys) */
	uint32_t vrf;                  /* of its traffic (charon's if_id,
					* ipsec.if_ids); outbound: of its
					* route */
};
#define IPSEC_IKE_POLICY_MAX 32768
/* Index of the policy with @p rc's selectors in VRF @p vrf, or -1. */
int spd_ike_find(const struct ipsec_spd_conf *rc, uint32_t vrf);
const struct spd_ike_policy *spd_ike_get(unsigned int i);
int spd_ike_insert(const struct spd_ike_policy *p);
void spd_ike_remove(unsigned int i);
const char *spd_conf_check(const struct ipsec_spd_conf *rc,
			   const struct ipsec_conf *c, const char **key);
const char *spd6_conf_check(const struct ipsec_spd6_conf *rc,
			    const struct ipsec_conf *c, const char **key);

/* Raise @p *v to @p x (atomic max). */
static inline void
ipsec_atomic_max32(uint32_t *v, uint32_t x)
{
	uint32_t cur = __atomic_load_n(v, __ATOMIC_RELAXED);

	while (cur < x && !__atomic_compare_exchange_n(v, &cur, x, false,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Selectors of the IPv4 packet @p ip (@p len bytes there) for the SPD. */
void ipsec_spd_key(const struct rte_ipv4_hdr *ip, uint32_t len,
		   struct spd_key *k);

/* ipsec.c: the model being run */
struct ipsec_conf *ipsec_model(void);

/* ipsec.c: put the route @p rc into the FIB (or move it to its SA). */
int ipsec_route_apply(const struct ipsec_route_conf *rc, char *err,
		      size_t len);
int ipsec_route6_apply(const struct ipsec_route6_conf *rc, char *err,
		       size_t len);

/* ipsec_config.c: element schemas (keys for cfg_array_find) */
extern const struct cfg_schema ipsec_sa_schema, ipsec_route_schema,
	ipsec_route6_schema;

/* ipsec_rows.c: the lists' live operations (cfg_txn) */
extern const struct cfg_list_ops ipsec_sa_ops, ipsec_route_ops,
	ipsec_route6_ops, ipsec_group_ops;

/* ipsec_rows.c: whether inbound SAs may be added live (the cleartext
 * policy hook was wired at start). */
void ipsec_rows_policy_hook(bool on);

/* esp_encrypt_node.c: its edges to every port's tx node (outer
 * packets of a cached route go straight there). 0 or -EINVAL. */
int esp_encrypt_edges_add(void);

/* Wait until no worker can still see what was unpublished. */
void ipsec_rcu_wait(void);

/* ipsec_stats.c: register the "ipsec_sas" counter source. */
int ipsec_stats_setup(void);

#endif /* FERRY_IPSEC_PRIV_H */
