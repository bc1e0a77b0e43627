/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ESP anti-replay window (RFC 4303 3.4.3), with extended sequence
 * numbers (RFC 4303 Appendix A2.1, RFC 4304), pure C so unit tests run
 * it without EAL.
 *
 * Why ferry keeps its own: with librte_ipsec 22.11.11 (Debian 12) as the
 * only window, test_ipsec_multicore saw 2079 of 8192 duplicates
 * accepted when fed a second time in order, one thread alone: every
 * packet with seq & 63 >= 32 inside the window, plus the oldest bucket,
 * which its ring of exactly window/64 buckets reuses. This window
 * decides; librte_ipsec's is kept only where ESN needs it.
 *
 * The bitmap is RFC 6479's: 64-bit buckets in a ring of a power of two
 * buckets, one more than the window needs, so sliding clears whole
 * buckets and never a bit still inside the window.
 *
 * Threads: replay_check() may run on any lcore without a lock (a stale
 * view only lets a packet on to decryption, never through);
 * replay_update() is the decision and must be serialised per window.
 */
#ifndef FERRY_IPSEC_REPLAY_H
#define FERRY_IPSEC_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPLAY_BUCKET_BITS 6
#define REPLAY_BUCKET_SIZE 64

struct replay_window {
	uint64_t top;       /* highest sequence number accepted (0: none) */
	uint32_t size;      /* window in packets */
	uint32_t mask;      /* number of buckets - 1 */
	uint64_t bits[];    /* mask + 1 buckets */
};

/** Buckets a window of @p size packets needs (a power of two). */
static inline uint32_t
replay_buckets(uint32_t size)
{
	uint32_t need = size / REPLAY_BUCKET_SIZE + 1, n = 1;

	while (n < need)
		n <<= 1;
	return n;
}

/** Bytes of a window of @p size packets. */
static inline size_t
replay_window_bytes(uint32_t size)
{
	return sizeof(struct replay_window) +
	       replay_buckets(size) * sizeof(uint64_t);
}

/** Set up @p w (replay_window_bytes(size), zeroed) for @p size. */
static inline void
replay_init(struct replay_window *w, uint32_t size)
{
	w->top = 0;
	w->size = size;
	w->mask = replay_buckets(size) - 1;
}

/*
 * The full sequence number of a packet carrying @p lo (RFC 4303 A2.1):
 * the high half is the window top's, one more if @p lo wrapped past the
 * window, one less if the window spans a wrap and @p lo is before it.
 */
static inline uint64_t
replay_seq(const struct replay_window *w, uint32_t lo, bool esn)
{
	uint64_t top = __atomic_load_n(&w->top, __ATOMIC_RELAXED);
	uint32_t th = (uint32_t)(top >> 32), tl = (uint32_t)top;
	uint32_t bottom = tl - w->size + 1;

	if (!esn)
		return lo;
	if (tl >= w->size - 1) {
		if (lo < bottom)
			th++;
	} else if (th != 0 && lo >= bottom) {
		th--;
	}
	return (uint64_t)th << 32 | lo;
}

static inline bool
replay_seen(const struct replay_window *w, uint64_t seq)
{
	uint64_t b = __atomic_load_n(&w->bits[(seq >> REPLAY_BUCKET_BITS) &
					      w->mask], __ATOMIC_RELAXED);

	return (b >> (seq & (REPLAY_BUCKET_SIZE - 1))) & 1;
}

/**
 * The last 64 sequence numbers up to the top as a bitmap: bit i set if
 * top - i was received (what `show ipsec sa` prints).
 */
static inline uint64_t
replay_recent(const struct replay_window *w)
{
	uint64_t top = __atomic_load_n(&w->top, __ATOMIC_RELAXED), map = 0;
	uint64_t i;

	for (i = 0; i < REPLAY_BUCKET_SIZE && i < top && i < w->size; i++)
		map |= (uint64_t)replay_seen(w, top - i) << i;
	return map;
}

/** 0 if @p seq may be new, -1 if it is 0, left of the window or seen. */
static inline int
replay_check(const struct replay_window *w, uint64_t seq)
{
	uint64_t top = __atomic_load_n(&w->top, __ATOMIC_RELAXED);

	if (w->size == 0) /* anti-replay off (RFC 4303 3.4.3) */
		return 0;
	if (seq == 0)
		return -1;
	if (seq > top)
		return 0;
	if (seq + w->size <= top)
		return -1;
	return replay_seen(w, seq) ? -1 : 0;
}

/**
 * Accept @p seq: 0 and the window records it (sliding forward if it is
 * the new top), or -1 (replay, or left of the window). Serialised.
 */
static inline int
replay_update(struct replay_window *w, uint64_t seq)
{
	uint64_t nb = (uint64_t)w->mask + 1, i, from, to;
	uint64_t *word;

	if (replay_check(w, seq) < 0)
		return -1;
	if (w->size == 0)
		return 0;
	if (seq > w->top) {
		from = (w->top >> REPLAY_BUCKET_BITS) + 1;
		to = seq >> REPLAY_BUCKET_BITS;
		if (to - from + 1 > nb)
			from = to - nb + 1;
		/* the first packet finds the ring clear already */
		for (i = from; i <= to && w->top != 0; i++)
			__atomic_store_n(&w->bits[i & w->mask], 0,
					 __ATOMIC_RELAXED);
		__atomic_store_n(&w->top, seq, __ATOMIC_RELEASE);
	}
	word = &w->bits[(seq >> REPLAY_BUCKET_BITS) & w->mask];
	__atomic_store_n(word, *word | (uint64_t)1 <<
			 (seq & (REPLAY_BUCKET_SIZE - 1)), __ATOMIC_RELAXED);
	return 0;
}

#endif /* FERRY_IPSEC_REPLAY_H */
