/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's next-hop objects (zebra's `fpm use-next-hop-groups`: an
 * RTM_NEWNEXTHOP per next hop and per group, routes naming one by
 * RTA_NH_ID). Each object slot has its own ADJ_T_NHG adjacency (iface
 * ADJ_NHO, gw = slot) that every route of the object points at; the
 * adjacency's nbr names the next-hop group (nhg.c) the object is now.
 * An object that changes gets its new group (made or shared, immutable
 * as every group) and its adjacency's nbr is swapped in one store: every
 * route using it moves at once, no FIB entry is written. The old group
 * loses the object's reference and is reused only after a grace period
 * of the workers (nhg.c's slot_free()), so a worker that read the old
 * nbr still finds the old group whole.
 *
 * A single next hop is a group of one path: its routes take the
 * lookup node's group branch (one more load than a plain gateway).
 */
#include <errno.h>
#include <string.h>

#include "route_priv.h"

/* Per slot: the ADJ_T_NHG adjacency of the object's group of the moment
 * (holding a reference on it), 0 = not set; and the object's own. */
static struct {
	uint32_t group_adj;
	uint32_t adj;
} nho[ROUTE_NHO_MAX];

void
route_nho_reset(void)
{
	memset(nho, 0, sizeof(nho));
}

/* The object's adjacency, made if new (its nbr set by the caller
 * before a route can lead to it). */
static int
nho_adj(uint32_t slot)
{
	int a;

	if (nho[slot].adj != 0)
		return (int)nho[slot].adj;
	a = route_adj_get(ADJ_T_NHG, ADJ_NHO, slot);
	if (a >= 0)
		nho[slot].adj = (uint32_t)a;
	return a;
}

int
route_nho_set(uint32_t slot, const struct route_path *paths, unsigned int n)
{
	int g, a;

	if (slot >= ROUTE_NHO_MAX)
		return -EINVAL;
	g = route_paths_nhg(paths, n);
	if (g < 0)
		return g;
	a = nho_adj(slot);
	if (a < 0)
		return a;
	if ((uint32_t)g == nho[slot].group_adj)
		return 0; /* the same paths again (zebra's resend) */
	adj_table[g].refcnt++;
	/* the group is complete (nhg.c): one store moves every route */
	__atomic_store_n(&adj_table[a].nbr, adj_table[g].nbr,
			 __ATOMIC_RELEASE);
	if (nho[slot].group_adj != 0)
		adj_table[nho[slot].group_adj].refcnt--;
	nho[slot].group_adj = (uint32_t)g;
	return 0;
}

bool
route_nho_in_use(uint32_t slot)
{
	return slot < ROUTE_NHO_MAX && nho[slot].adj != 0 &&
	       adj_table[nho[slot].adj].refcnt != 0;
}

void
route_nho_clear(uint32_t slot)
{
	if (slot >= ROUTE_NHO_MAX || nho[slot].group_adj == 0 ||
	    route_nho_in_use(slot))
		return;
	adj_table[nho[slot].group_adj].refcnt--;
	nho[slot].group_adj = 0;
}

int
route_frr_add_nho(unsigned int vrf, uint32_t prefix, uint8_t len,
		  uint32_t slot, uint32_t tag)
{
	if (slot >= ROUTE_NHO_MAX || nho[slot].group_adj == 0)
		return -ENOENT;
	return route_frr_install_adj(vrf, prefix, len, (int)nho[slot].adj,
				     tag);
}
