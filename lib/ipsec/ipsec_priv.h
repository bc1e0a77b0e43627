/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/ipsec internals shared by its files (see ipsec.h for the contract). */
#ifndef FERRY_IPSEC_PRIV_H
#define FERRY_IPSEC_PRIV_H

#include <rte_hash.h>
#include <rte_ipsec.h>
#include <rte_log.h>

#include "crypto_engine.h"
#include "graph.h"
#include "ipsec.h"
#include "lifetime.h"
#include "route.h"
#include "spd_match.h"

extern int ipsec_logtype;
#define IPSEC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, ipsec_logtype, "ipsec: " fmt "\n", \
		##__VA_ARGS__)

#define IPSEC_SLOT_NONE UINT16_MAX

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
	uint8_t tos_set;               /* DSCP << 2 when dscp = set */
	/* --- shared counters (atomics) --- */
	uint32_t state;                /* enum ipsec_sa_state */
	uint32_t state_logged;         /* management: last state logged */
	uint64_t granted;              /* packets admitted (hard limit) */
	uint64_t packets, bytes;       /* inner packets/bytes carried */
	uint64_t errors;               /* packets dropped on this SA */
	uint64_t replays;              /* inbound: esp_replay drops */
	uint64_t bad_icv;              /* inbound: esp_bad_icv drops */
	uint32_t last_seq;             /* highest sequence (low 32 bits)
					* sent or accepted */
	uint64_t soft_events;          /* soft expiries seen (0 or 1) */
	uint64_t created_ms;
};

/* Everything the nodes read. */
struct ipsec_dp {
	struct ipsec_sa *sa[IPSEC_SA_MAX]; /* by slot; NULL = free */
	struct rte_hash *in_hash;          /* (spi, dst) -> slot */
	struct ipsec_spd *spd[2];          /* by enum ipsec_dir; NULL = empty */
};

/* An SPD of one direction: immutable once published. */
struct ipsec_spd {
	unsigned int n;
	struct spd_rule r[];
};

/* Key of ipsec_dp.in_hash, network order as on the wire. */
struct ipsec_in_key {
	uint32_t spi;
	uint32_t dst;
};

extern struct ipsec_dp ipsec_dp;
extern int ipsec_route_ext_type;

/* sad.c (management lcore) */
int sad_init(void);
void sad_fini(void);
int sad_add(const struct ipsec_sa_conf *sc, char *err, size_t len);
int sad_del(uint32_t spi, int direction);
int sad_find(uint32_t spi, int direction);   /* slot or -1 */
const char *ipsec_sa_state_name(uint32_t state);
/* Check one SA's settings as loader and CLI both do; NULL or a reason. */
const char *sa_conf_check(const struct ipsec_sa_conf *sc, const char **key);

/* spd.c (management lcore) */
int spd_publish(const struct ipsec_conf *c, char *err, size_t len);
void spd_fini(void);
const char *spd_conf_check(const struct ipsec_spd_conf *rc,
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

/* Wait until no worker can still see what was unpublished. */
void ipsec_rcu_wait(void);

#endif /* FERRY_IPSEC_PRIV_H */
