/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's IPv6 routes (lib/fpm) beside the configured ones in a VRF's
 * rte_fib6. rte_fib6 keeps no per-route extension, so FRR's prefixes
 * are kept in an rte_rib6 of their own per VRF, whose next hop word is
 * the route's tag (the FPM session that last sent it, for mark and
 * sweep) and a bit saying it is hidden behind a configured route.
 * Admin distance as for IPv4 (route.h): connected, local and static
 * routes win; an FRR route for such a prefix is recorded hidden and not
 * installed. Unlike IPv4 it does not come back by itself when the
 * configured route goes: zebra's next resend installs it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rib6.h>

#include "route6_priv.h"

#define FRR6_HIDDEN (1ull << 32)

static struct rte_rib6 *frr6[VRF_MAX];
static uint64_t n_frr6;

/* FRR's prefixes of VRF @p vrf, made on first use; NULL if no room. */
static struct rte_rib6 *
frr6_rib(unsigned int vrf, bool make)
{
	struct rte_rib6_conf c = { .max_nodes = (int)route_ip6_conf.max_routes };
	char name[32];

	if (frr6[vrf] != NULL || !make)
		return frr6[vrf];
	snprintf(name, sizeof(name), "ferry_frr6_%u", vrf);
	frr6[vrf] = rte_rib6_create(name, SOCKET_ID_ANY, &c);
	return frr6[vrf];
}

static struct rte_rib6_node *
frr6_node(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6 *rib = frr6_rib(vrf, false);

	return rib == NULL ? NULL : rte_rib6_lookup_exact(rib, prefix, len);
}

static uint64_t
node_word(const struct rte_rib6_node *n)
{
	uint64_t w = 0;

	rte_rib6_get_nh(n, &w);
	return w;
}

/* Record FRR's prefix with @p word; @return 0 or -ENOSPC. */
static int
frr6_record(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	    uint64_t word)
{
	struct rte_rib6 *rib = frr6_rib(vrf, true);
	struct rte_rib6_node *n;

	if (rib == NULL)
		return -ENOSPC;
	n = rte_rib6_lookup_exact(rib, prefix, len);
	if (n == NULL) {
		n = rte_rib6_insert(rib, prefix, len);
		if (n == NULL)
			return -ENOSPC;
		n_frr6++;
	}
	return rte_rib6_set_nh(n, word);
}

bool
route6_configured_has(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6_node *n = frr6_node(vrf, prefix, len);

	return route6_exists(vrf, prefix, len) &&
	       (n == NULL || (node_word(n) & FRR6_HIDDEN) != 0);
}

static int
frr6_install(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	     enum route_kind kind, const uint8_t *via, unsigned int iface,
	     uint32_t tag)
{
	int rc;

	if (vrf >= vrf_count() || len > 128)
		return -EINVAL;
	if (route6_configured_has(vrf, prefix, len))
		return frr6_record(vrf, prefix, len, FRR6_HIDDEN | tag);
	rc = route6_add(vrf, prefix, len, kind, via, iface);
	return rc < 0 ? rc : frr6_record(vrf, prefix, len, tag);
}

/* Interface of VRF @p vrf whose IPv6 subnet holds @p gw, or -1 (a
 * link-local gateway names zebra's interface, which ferry cannot map). */
static int
gw6_iface(unsigned int vrf, const uint8_t *gw)
{
	unsigned int i;

	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);

		if (ifc->vrf == vrf && ifc->ip6 &&
		    ip6_prefix_match(ifc->addr6, gw, ifc->plen6))
			return (int)i;
	}
	return -1;
}

int
route6_frr_add(unsigned int vrf, const uint8_t *prefix, uint8_t len,
	       const uint8_t *via, uint32_t tag)
{
	int ifx = vrf < vrf_count() ? gw6_iface(vrf, via) : -1;

	if (ifx < 0)
		return -ENETUNREACH;
	return frr6_install(vrf, prefix, len, ROUTE_VIA, via,
			    (unsigned int)ifx, tag);
}

int
route6_frr_add_blackhole(unsigned int vrf, const uint8_t *prefix,
			 uint8_t len, uint32_t tag)
{
	return frr6_install(vrf, prefix, len, ROUTE_BLACKHOLE, NULL, 0, tag);
}

int
route6_frr_del(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6_node *n;
	int rc = 0;

	if (vrf >= vrf_count() || len > 128)
		return -EINVAL;
	n = frr6_node(vrf, prefix, len);
	if (n == NULL)
		return -ENOENT;
	if ((node_word(n) & FRR6_HIDDEN) == 0)
		rc = route6_del(vrf, prefix, len);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	rte_rib6_remove(frr6[vrf], prefix, len);
	n_frr6--;
	return 0;
}

void
route6_frr_hide(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6_node *n = vrf < vrf_count() ?
				  frr6_node(vrf, prefix, len) : NULL;

	if (n != NULL)
		rte_rib6_set_nh(n, node_word(n) | FRR6_HIDDEN);
}

const char *
route6_source_tag(unsigned int vrf, const uint8_t *prefix, uint8_t len)
{
	struct rte_rib6_node *n = frr6_node(vrf, prefix, len);

	if (n == NULL)
		return "";
	return node_word(n) & FRR6_HIDDEN ? " [frr hidden]" : " [frr]";
}

/* Routes swept per pass at most (a fixed list: no allocation). */
#define SWEEP6_CHUNK 256

struct stale6 {
	uint8_t prefix[16];
	uint8_t len;
};

static unsigned int
stale6_collect(unsigned int vrf, uint32_t keep, struct stale6 *s,
	       unsigned int max)
{
	static const uint8_t any[16];
	struct rte_rib6_node *n = NULL;
	unsigned int k = 0;

	n = rte_rib6_lookup_exact(frr6[vrf], any, 0);
	if (n != NULL && (uint32_t)node_word(n) != keep) {
		memset(&s[k], 0, sizeof(s[k]));
		k++;
	}
	n = NULL;
	while (k < max && (n = rte_rib6_get_nxt(frr6[vrf], any, 0, n,
					       RTE_RIB6_GET_NXT_ALL)) != NULL) {
		if ((uint32_t)node_word(n) == keep)
			continue;
		rte_rib6_get_ip(n, s[k].prefix);
		rte_rib6_get_depth(n, &s[k].len);
		k++;
	}
	return k;
}

unsigned int
route6_frr_sweep(uint32_t keep, unsigned int budget)
{
	struct stale6 s[SWEEP6_CHUNK];
	unsigned int vrf, k, i, done = 0;

	for (vrf = 0; n_frr6 != 0 && vrf < vrf_count() && done < budget;
	     vrf++) {
		if (frr6[vrf] == NULL)
			continue;
		do {
			k = stale6_collect(vrf, keep, s,
					   RTE_MIN(budget - done, SWEEP6_CHUNK));
			for (i = 0; i < k; i++)
				route6_frr_del(vrf, s[i].prefix, s[i].len);
			done += k;
		} while (k == SWEEP6_CHUNK && done < budget);
	}
	return done;
}

uint64_t
route6_frr_count(void)
{
	return n_frr6;
}

void
route6_frr_free_all(void)
{
	unsigned int vrf;

	for (vrf = 0; vrf < VRF_MAX; vrf++) {
		rte_rib6_free(frr6[vrf]);
		frr6[vrf] = NULL;
	}
	n_frr6 = 0;
}
