/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals of lib/classify shared by its node (which reads) and its
 * control code (which alone writes, on the management lcore).
 */
#ifndef FERRY_CLASSIFY_PRIV_H
#define FERRY_CLASSIFY_PRIV_H

#include <rte_acl.h>
#include <rte_log.h>

#include "acl_text.h"
#include "classify.h"
#include "graph.h"
#include "pkt.h"
#include "route.h"
#include "ferry_log.h"

extern int classify_logtype;
#define CLASSIFY_LOG(level, fmt, ...) \
	FERRY_LOG(classify_logtype, classify, level, fmt, ##__VA_ARGS__)

/* Hit counter slots per worker: one per rule plus one per ACL default. */
#define ACL_SLOT_MAX (ACL_RULES_MAX + ACL_MAX + 1)

/*
 * What ferry_classify looks up, built per packet from its headers. The
 * layout follows rte_acl's rules: a 1-byte first field, then groups of
 * 4 bytes, one per input index (acl_build.c: acl_fields). Values are in
 * network order, as rte_acl expects its input.
 */
struct acl_key {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t src;
	uint32_t dst;
	uint16_t sport;    /* 0 unless TCP/UDP/SCTP, first fragment */
	uint16_t dport;
	uint16_t in_iface;
	uint8_t vrf;       /* VRF_MAX is 256: the index fits a byte */
	uint8_t dscp;      /* DS field >> 2 (RFC 2474) */
};

/* Action flags. */
#define ACL_A_PERMIT 0x01
#define ACL_A_CLASS  0x02
#define ACL_A_DSCP   0x04
#define ACL_A_TC     0x08

/* What a matched rule does; an rte_acl result r > 0 is act[r - 1]. */
struct acl_action {
	uint8_t flags;      /* ACL_A_* */
	uint8_t dscp;       /* ACL_A_DSCP: new DSCP */
	uint8_t tc;         /* ACL_A_TC: TC for pushed labels */
	uint8_t pad;
	uint16_t qos_class; /* ACL_A_CLASS */
	uint16_t pad2;
	uint32_t slot;      /* hit counter */
};

/* A published rule set: immutable until freed after a grace period. */
struct acl_rt {
	struct rte_acl_ctx *ctx; /* NULL when there are no rules */
	uint32_t n_rules;
	struct acl_action dflt;  /* no rule matched */
	struct acl_action act[]; /* [n_rules], in rule order */
};

/* Counters of a rule's slot (enum acl_counter), per worker, written by
 * that worker only. */
#define ACL_CTR_N (ACL_COUNTER_DROPS + 1)

/* Index of @p slot's counter @p c in worker @p w's part of hits. */
#define ACL_CTR_IDX(w, slot, c) \
	(((size_t)(w) * ACL_SLOT_MAX + (slot)) * ACL_CTR_N + (c))

/* Everything ferry_classify reads. */
struct classify_dp {
	struct acl_rt *acl[ACL_MAX];  /* by ACL id; published atomically */
	uint16_t if_acl[IFACE_MAX];   /* ACL id + 1 of an interface, 0 none */
	uint64_t *hits;               /* [worker][ACL_SLOT_MAX][ACL_CTR_N] */
	unsigned int n_workers;
};

extern struct classify_dp classify_dp;

/** Worker @p graph's part of classify_dp.hits, for a node's init
 *  (ferry_classify, ferry_classify6). @return 0 or -EINVAL. */
int classify_worker_hits(const struct rte_graph *graph, uint64_t **hits);

/* A rule resolved to numbers (acl_build.c). */
struct acl_match {
	uint32_t src, dst;             /* host order */
	uint8_t src_len, dst_len;
	int16_t proto;                 /* ACL_ANY or 0..255 */
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	int16_t dscp;                  /* ACL_ANY or 0..63 */
	int32_t in_iface;              /* ACL_ANY or interface index */
	int16_t vrf;                   /* ACL_ANY or VRF index */
};

/**
 * Resolve a checked rule: names through iface_find()/vrf_find(), text
 * through acl_text.h. @return 0, or -EINVAL with the field and reason.
 */
int acl_rule_compile(const struct acl_rule_conf *rc, struct acl_match *m,
		     struct acl_action *a, const char **field,
		     const char **why);

/**
 * Build a rule set: an rte_acl context named after @p name and @p gen
 * holding @p n rules (rule i has priority above rule i + 1: first match
 * wins), their actions with counter slots @p slots, and the default.
 * @return the set, or NULL with @p err saying why (nothing published).
 */
struct acl_rt *acl_rt_build(const char *name, unsigned int gen,
			    const struct acl_rule_conf *rules,
			    const uint32_t *slots, unsigned int n, int dflt,
			    uint32_t dflt_slot, size_t max_size, char *err,
			    size_t len);
/** Free a set no worker can reach any more. NULL does nothing. */
void acl_rt_free(struct acl_rt *rt);

/** Classify @p n keys against @p rt: @p res[i] = 0 (default) or the
 *  rule index + 1. Any lcore. */
static inline void
acl_rt_classify(const struct acl_rt *rt, const uint8_t **keys,
		uint32_t *res, uint32_t n)
{
	if (rt->ctx == NULL)
		memset(res, 0, n * sizeof(*res));
	else
		rte_acl_classify(rt->ctx, keys, res, n, 1);
}

/** The action for result @p r of rte_acl on @p rt. */
static inline const struct acl_action *
acl_rt_action(const struct acl_rt *rt, uint32_t r)
{
	return r == 0 ? &rt->dflt : &rt->act[r - 1];
}

/* Control plane (classify.c). */

/** The model classify_setup() was given (the CLI edits it). */
extern struct cfg_model *classify_model;

/**
 * The "acls" list's batch commit (classify_rows.c): make the ACLs and
 * bindings those of @p next where the tables hold @p was (NULL: at
 * start, nothing to do). Every ACL that changed is built before any is
 * published, so on error (@p err set) nothing changes; rules equal to
 * running ones keep their counters. @return 0 or -errno.
 */
int acl_commit(const struct cfg_model *next, const struct cfg_model *was,
	       char *err, size_t len);

/** The element schema of "acls" (keyed by name). */
extern const struct cfg_schema acl_conf_schema;

/** The conf of ACL @p name in the model, or NULL. */
struct acl_conf *acl_conf_find(const struct cfg_model *m, const char *name);
/** ACL id of @p name, or -1. */
int acl_id_find(const char *name);
/** Interface bound to ACL @p name in the model, by ACL; "" if none. */
const char *acl_conf_of_iface(const struct cfg_model *m, const char *iface);

/**
 * Install ACL @p ac (new or replaced) from its conf: build, publish, wait
 * a grace period, free the old set. The counters of rules carried over
 * follow @p keep: keep[i] is the old position (from 0) of new rule i, or
 * -1 for a new rule; NULL means "same positions" (or all new).
 * @return 0 or -errno with @p err set; on error nothing changed.
 */
int acl_install(const struct acl_conf *ac, const int *keep, char *err,
		size_t len);
/* acl_install() in steps, so a reload can build every ACL before it
 * publishes any (all or nothing) and wait one grace period for all. */
struct acl_pending {
	int id;               /* ACL id (state made if fresh) */
	bool fresh;           /* the id was made for this change */
	uint32_t *slots;      /* counter slots of the new rules */
	unsigned int n;
	struct acl_rt *rt;    /* built, not yet published */
	struct acl_rt *old;   /* what acl_publish() replaced */
};

/** Build the new set of @p ac (nothing published). @return 0 or -errno
 *  with @p err set; on error nothing is left over. */
int acl_prepare(const struct acl_conf *ac, const int *keep,
		struct acl_pending *p, char *err, size_t len);
/** Forget a prepared set (never published). */
void acl_abort(struct acl_pending *p);
/** Publish a prepared set with one atomic store. */
void acl_publish(struct acl_pending *p);
/** After a grace period: free the replaced set, settle counter slots. */
void acl_finish(struct acl_pending *p);
/** Wait until every worker has passed a quiescent state. */
void classify_grace_period(void);

/** Unpublish and free ACL @p name (it must be unbound). */
void acl_uninstall(const char *name);
/** Point interface @p iface at ACL @p name (NULL: none). @return 0 or
 *  -errno with @p err set. */
int acl_iface_set(const char *iface, const char *name, char *err,
		  size_t len);

/**
 * The loader's check of one rule, shared with the CLI: NULL if fine, else
 * the reason, with the field (".proto") in @p field and its value quoted
 * as the file writes it in @p val.
 */
const char *acl_rule_check(const struct cfg_model *m,
			   const struct acl_rule_conf *rc, const char **field,
			   char *val, size_t len);
/** True if two rules hold equal values. */
bool acl_rule_equal(const struct acl_rule_conf *a,
		    const struct acl_rule_conf *b);
/** NULL if @p name may name an ACL, else why. */
const char *acl_name_check(const char *name);

/** The rule as CLI words: "permit proto tcp dport 22 src ...". */
void acl_rule_format(const struct acl_rule_conf *rc, char *buf, size_t len);

#endif /* FERRY_CLASSIFY_PRIV_H */
