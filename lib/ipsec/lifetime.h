/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SA lifetime arithmetic (RFC 4301 4.4.2.1), pure C so unit tests run
 * it without EAL. Several lcores may carry one SA, so the packet budget
 * is granted with one atomic add per burst: an SA with a hard limit of
 * N packets lets exactly N through, whatever the lcores and bursts.
 */
#ifndef FERRY_IPSEC_LIFETIME_H
#define FERRY_IPSEC_LIFETIME_H

#include <stdbool.h>
#include <stdint.h>

/** SA states, in the order they can only move forward. */
#define FOREACH_IPSEC_SA_STATE(_)                  \
	_(ACTIVE, "active")                        \
	_(SOFT, "soft-expired")                    \
	_(HARD, "hard-expired")                    \
	_(SEQ_OVERFLOW, "seq-overflow")

enum ipsec_sa_state {
#define _STATE_ENUM(e, name) IPSEC_SA_##e,
	FOREACH_IPSEC_SA_STATE(_STATE_ENUM)
#undef _STATE_ENUM
	IPSEC_SA_STATE_MAX
};

/**
 * Take up to @p n packets from a budget of @p hard packets (0 = no
 * limit) whose used count is @p *granted (shared, atomic). The count may
 * run past @p hard; only the first @p hard grants succeed.
 * @return how many of the @p n packets may go (0..n).
 */
static inline uint32_t
lifetime_grant(uint64_t *granted, uint64_t hard, uint32_t n)
{
	uint64_t old;

	if (hard == 0)
		return n;
	old = __atomic_fetch_add(granted, n, __ATOMIC_RELAXED);
	if (old >= hard)
		return 0;
	return hard - old < n ? (uint32_t)(hard - old) : n;
}

/** Move @p *state forward to @p to (never back). */
static inline void
lifetime_state_raise(uint32_t *state, uint32_t to)
{
	uint32_t cur = __atomic_load_n(state, __ATOMIC_RELAXED);

	while (cur < to &&
	       !__atomic_compare_exchange_n(state, &cur, to, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

/**
 * The state counters @p packets / @p bytes call for under limits
 * soft_p/hard_p/soft_b/hard_b (0 = none).
 */
static inline uint32_t
lifetime_state_of(uint64_t packets, uint64_t bytes, uint64_t soft_p,
		  uint64_t hard_p, uint64_t soft_b, uint64_t hard_b)
{
	if ((hard_p != 0 && packets >= hard_p) ||
	    (hard_b != 0 && bytes >= hard_b))
		return IPSEC_SA_HARD;
	if ((soft_p != 0 && packets >= soft_p) ||
	    (soft_b != 0 && bytes >= soft_b))
		return IPSEC_SA_SOFT;
	return IPSEC_SA_ACTIVE;
}

#endif /* FERRY_IPSEC_LIFETIME_H */
