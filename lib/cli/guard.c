/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The telnet server's guard against password guessing: failed logins
 * (and enable secrets) are remembered per source address, and after
 * CLI_GUARD_FREE_FAILS of them the source must wait before its next
 * try, twice as long after each further failure (2 s, 4 s, ... 60 s),
 * as OpenSSH's PerSourcePenalties and fail2ban do. A success forgets the
 * source; so does a quiet CLI_GUARD_FORGET_MS. The table is small and
 * fixed (the least recently failed entry is reused), so a flood of
 * sources costs no memory: at worst it forgets a guesser early.
 *
 * Failures are also counted (show cli) and logged with the source,
 * at most CLI_GUARD_LOG_BURST lines per CLI_GUARD_LOG_WINDOW_MS; the
 * lines left out are summed in the next one.
 */
#include <stdio.h>
#include <string.h>

#include "cli_priv.h"

#define CLI_GUARD_FREE_FAILS 3
#define CLI_GUARD_BASE_MS 2000
#define CLI_GUARD_MAX_MS 60000
#define CLI_GUARD_FORGET_MS (10 * 60 * 1000)
#define CLI_GUARD_LOG_BURST 5
#define CLI_GUARD_LOG_WINDOW_MS 10000

static struct cli_guard_src *
src_find(struct cli_guard *g, uint32_t addr, uint64_t now)
{
	struct cli_guard_src *e, *victim = &g->src[0];
	unsigned int i;

	for (i = 0; i < CLI_GUARD_SOURCES; i++) {
		e = &g->src[i];
		if (e->fails != 0 && now - e->last_ms > CLI_GUARD_FORGET_MS)
			memset(e, 0, sizeof(*e));
		if (e->fails != 0 && e->addr == addr)
			return e;
		if (e->fails == 0 || (victim->fails != 0 &&
				      e->last_ms < victim->last_ms))
			victim = e;
	}
	return victim->fails == 0 || victim->addr != addr ? NULL : victim;
}

uint64_t
cli_guard_wait_ms(struct cli_guard *g, uint32_t addr, uint64_t now)
{
	struct cli_guard_src *e = src_find(g, addr, now);

	return e != NULL && e->until_ms > now ? e->until_ms - now : 0;
}

/* Back-off after @p fails failures: none for the first few, then
 * doubling from CLI_GUARD_BASE_MS up to CLI_GUARD_MAX_MS. */
static uint64_t
backoff_ms(unsigned int fails)
{
	unsigned int k;

	if (fails <= CLI_GUARD_FREE_FAILS)
		return 0;
	k = fails - CLI_GUARD_FREE_FAILS - 1;
	if (k >= 5)
		return CLI_GUARD_MAX_MS;
	return (uint64_t)CLI_GUARD_BASE_MS << k;
}

static struct cli_guard_src *
src_take(struct cli_guard *g, uint32_t addr, uint64_t now)
{
	struct cli_guard_src *e = src_find(g, addr, now), *victim;
	unsigned int i;

	if (e != NULL)
		return e;
	victim = &g->src[0];
	for (i = 0; i < CLI_GUARD_SOURCES; i++) {
		e = &g->src[i];
		if (e->fails == 0) {
			victim = e;
			break;
		}
		if (e->last_ms < victim->last_ms)
			victim = e;
	}
	memset(victim, 0, sizeof(*victim));
	victim->addr = addr;
	return victim;
}

static void
guard_log(struct cli_guard *g, const char *peer, const char *what,
	  unsigned int fails, uint64_t wait, uint64_t now)
{
	if (now - g->log_start_ms >= CLI_GUARD_LOG_WINDOW_MS) {
		if (g->log_suppressed != 0)
			fprintf(stderr, "ferry: cli: %u more failed logins "
				"not logged\n", g->log_suppressed);
		g->log_start_ms = now;
		g->log_n = 0;
		g->log_suppressed = 0;
	}
	if (g->log_n++ >= CLI_GUARD_LOG_BURST) {
		g->log_suppressed++;
		return;
	}
	if (wait == 0)
		fprintf(stderr, "ferry: cli: authentication failed from %s "
			"(%s; %u from this address)\n", peer, what, fails);
	else
		fprintf(stderr, "ferry: cli: authentication failed from %s "
			"(%s; %u from this address; its next try in %.0f s)\n",
			peer, what, fails, wait / 1e3);
}

uint64_t
cli_guard_fail(struct cli_guard *g, uint32_t addr, const char *peer,
	       const char *what, uint64_t now)
{
	struct cli_guard_src *e = src_take(g, addr, now);
	uint64_t wait;

	e->fails++;
	e->last_ms = now;
	wait = backoff_ms(e->fails);
	e->until_ms = now + wait;
	g->stats.login_failures++;
	guard_log(g, peer, what, e->fails, wait, now);
	return wait;
}

void
cli_guard_ok(struct cli_guard *g, uint32_t addr, uint64_t now)
{
	struct cli_guard_src *e = src_find(g, addr, now);

	g->stats.logins++;
	if (e != NULL)
		memset(e, 0, sizeof(*e));
}
