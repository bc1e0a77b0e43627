/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * zebra's next-hop objects (`fpm use-next-hop-groups`, FRR's default):
 * RTM_NEWNEXTHOP gives a single next hop (NHA_GATEWAY, NHA_OIF, maybe
 * NHA_ENCAP labels, or NHA_BLACKHOLE) or a group of them (NHA_GROUP:
 * ids and weights), each with its id (NHA_ID); RTM_NEWROUTE then names
 * one by RTA_NH_ID alone. dplane_fpm_nl (FRR 8.4.4) sends every object
 * on connect (in hash order: a group may come before its members), then
 * the routes.
 *
 * The objects are a keyed table (rte_hash id -> slot), marked with the
 * session that last sent them and swept after the routes like them. An
 * object of plain IPv4 gateways is lib/route's next-hop object of the
 * same slot (route_nho_set()): its routes point at it, so a change of
 * the object (or of a member of a group) moves every route in one store.
 * Other objects (labels, IPv6 gateways, a blackhole) are expanded into
 * each route's paths when the route comes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>
#include <rte_common.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_lcore.h>

#include "fpm_priv.h"
#include "route.h"

struct fpm_nh {
	uint32_t id;        /* 0 = free slot */
	uint32_t gen;       /* session that last sent it; 0 = deleted */
	uint8_t family;
	uint8_t rtm_type;   /* RTN_BLACKHOLE for NHA_BLACKHOLE */
	uint8_t n_group;
	uint8_t installed;  /* lib/route's object of this slot is set */
	struct fpm_path path;
	struct fpm_grp group[FPM_PATHS_MAX];
};

static struct fpm_nh *nh_tab;      /* ROUTE_NHO_MAX slots */
static struct rte_hash *nh_index;  /* id -> slot */
static uint32_t logged_ids[16];    /* unknown ids already logged */
static unsigned int n_logged;

int
fpm_nh_init(void)
{
	struct rte_hash_parameters p = {
		.name = "ferry_fpm_nh",
		.entries = ROUTE_NHO_MAX,
		.key_len = sizeof(uint32_t),
		.hash_func = rte_jhash,
		.socket_id = (int)rte_socket_id(),
	};

	nh_tab = calloc(ROUTE_NHO_MAX, sizeof(*nh_tab));
	nh_index = rte_hash_create(&p);
	return nh_tab == NULL || nh_index == NULL ? -ENOMEM : 0;
}

void
fpm_nh_free(void)
{
	free(nh_tab);
	nh_tab = NULL;
	rte_hash_free(nh_index);
	nh_index = NULL;
	n_logged = 0;
}

static struct fpm_nh *
nh_find(uint32_t id)
{
	int slot;

	if (nh_index == NULL)
		return NULL;
	slot = rte_hash_lookup(nh_index, &id);
	return slot < 0 ? NULL : &nh_tab[slot];
}

static uint32_t
nh_slot(const struct fpm_nh *o)
{
	return (uint32_t)(o - nh_tab);
}

/* A route names an object zebra did not send: counted, logged once. */
static void
nh_unknown(uint32_t id)
{
	unsigned int i;

	fpm.ctr[FPM_CTR_UNKNOWN_NH]++;
	for (i = 0; i < n_logged; i++)
		if (logged_ids[i] == id)
			return;
	if (n_logged < RTE_DIM(logged_ids)) {
		logged_ids[n_logged++] = id;
		FPM_LOG(WARNING, "route names next-hop object %u, which "
			"zebra did not send: route skipped", id);
	}
}

/* The paths of object @p o (a group: its members') into @p out, with
 * weights; unknown members are skipped. @return how many. */
static unsigned int
nh_paths(const struct fpm_nh *o, struct fpm_path *out)
{
	const struct fpm_nh *m;
	unsigned int i, n = 0;

	if (o->n_group == 0) {
		out[0] = o->path;
		out[0].weight = 1;
		return o->rtm_type == RTN_BLACKHOLE ? 0 : 1;
	}
	for (i = 0; i < o->n_group; i++) {
		m = nh_find(o->group[i].id);
		if (m == NULL || m->n_group != 0 ||
		    m->rtm_type == RTN_BLACKHOLE)
			continue;
		out[n] = m->path;
		out[n++].weight = (uint8_t)RTE_MIN(o->group[i].weight, 255);
	}
	return n;
}

/* Whether ferry's next-hop object can hold @p o: plain IPv4 gateways. */
static bool
nh_plain4(const struct fpm_path *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i].gw == 0 || p[i].n_labels != 0)
			return false;
	return n != 0;
}

/* lib/route's object of @p o from its paths: each gateway on the
 * interface whose subnet holds it (the default VRF's first: an object
 * has no table). */
static void
nh_install(struct fpm_nh *o)
{
	struct fpm_path p[FPM_PATHS_MAX];
	struct route_path rp[FPM_PATHS_MAX];
	unsigned int n = nh_paths(o, p), i, k = 0;
	int ifx;

	o->installed = 0;
	if (!nh_plain4(p, n)) {
		route_nho_clear(nh_slot(o));
		return;
	}
	for (i = 0; i < n; i++) {
		ifx = fpm_gw_iface_any(p[i].gw);
		if (ifx < 0) {
			fpm.ctr[FPM_CTR_NO_PATH]++;
			continue;
		}
		rp[k].via = p[i].gw;
		rp[k].iface = (uint16_t)ifx;
		rp[k++].weight = p[i].weight;
	}
	if (k == 0 || route_nho_set(nh_slot(o), rp, k) < 0) {
		route_nho_clear(nh_slot(o));
		return;
	}
	o->installed = 1;
}

/* A single next hop changed: the groups holding it follow. */
static void
nh_groups_refresh(uint32_t id)
{
	unsigned int s, i;

	for (s = 0; s < ROUTE_NHO_MAX; s++)
		for (i = 0; nh_tab[s].id != 0 && i < nh_tab[s].n_group; i++)
			if (nh_tab[s].group[i].id == id) {
				nh_install(&nh_tab[s]);
				break;
			}
}

static void
nh_forget(struct fpm_nh *o)
{
	uint32_t id = o->id;

	route_nho_clear(nh_slot(o));
	if (route_nho_in_use(nh_slot(o))) {
		o->gen = 0; /* routes still use it: the sweep takes it */
		return;
	}
	rte_hash_del_key(nh_index, &id);
	memset(o, 0, sizeof(*o));
	nh_groups_refresh(id);
}

static int
nh_new(const struct fpm_route *r)
{
	struct fpm_nh *o = nh_find(r->nh_id);
	int slot;

	if (o == NULL) {
		slot = rte_hash_add_key(nh_index, &r->nh_id);
		if (slot < 0)
			return -ENOSPC;
		if (slot >= ROUTE_NHO_MAX) { /* a position past the slots */
			rte_hash_del_key(nh_index, &r->nh_id);
			return -ENOSPC;
		}
		o = &nh_tab[slot];
	}
	o->id = r->nh_id;
	o->gen = fpm.gen;
	o->family = r->family;
	o->rtm_type = r->rtm_type;
	o->n_group = r->n_group;
	memcpy(o->group, r->group, sizeof(o->group));
	memset(&o->path, 0, sizeof(o->path));
	if (r->n_paths != 0)
		o->path = r->paths[0];
	nh_install(o);
	if (o->n_group == 0)
		nh_groups_refresh(o->id);
	return 0;
}

void
fpm_nh_apply(const struct fpm_route *r)
{
	struct fpm_nh *o;

	fpm.ctr[FPM_CTR_PATHS_DROPPED] += r->paths_dropped;
	if (r->unsupported) { /* another encap: its routes go unknown */
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return;
	}
	if (r->msg_type == RTM_DELNEXTHOP) {
		o = nh_find(r->nh_id);
		if (o != NULL)
			nh_forget(o);
		fpm.ctr[o != NULL ? FPM_CTR_NH_DELETED : FPM_CTR_DEL_MISSING]++;
		return;
	}
	if (nh_new(r) < 0) {
		fpm.ctr[FPM_CTR_INSTALL_FAILED]++;
		return;
	}
	fpm.ctr[FPM_CTR_NH_ADDED]++;
}

/* @p r with the paths of object @p o (as zebra would have sent them
 * without next-hop groups). */
static void
nh_expand(const struct fpm_nh *o, const struct fpm_route *r,
	  struct fpm_route *x)
{
	*x = *r;
	x->nh_id = 0;
	if (o->rtm_type == RTN_BLACKHOLE && o->n_group == 0)
		x->rtm_type = RTN_BLACKHOLE;
	x->n_paths = (uint8_t)nh_paths(o, x->paths);
}

static const struct fpm_nh *
nh_of_route(const struct fpm_route *r)
{
	const struct fpm_nh *o = nh_find(r->nh_id);

	if (o == NULL)
		nh_unknown(r->nh_id);
	return o;
}

int
fpm_nh_route(unsigned int vrf, const struct fpm_route *r,
	     struct fpm_route *expanded)
{
	const struct fpm_nh *o = nh_of_route(r);

	if (o == NULL)
		return -ENOENT;
	if (o->installed)
		return route_frr_add_nho(vrf, r->dst, r->dst_len, nh_slot(o),
					 fpm.gen) < 0 ? -EIO : 0;
	nh_expand(o, r, expanded);
	return 1;
}

int
fpm_nh_route6(const struct fpm_route *r, struct fpm_route *expanded)
{
	const struct fpm_nh *o = nh_of_route(r);

	if (o == NULL)
		return -ENOENT;
	nh_expand(o, r, expanded);
	return 0;
}

unsigned int
fpm_nh_sweep(void)
{
	unsigned int s, n = 0;

	for (s = 0; nh_tab != NULL && s < ROUTE_NHO_MAX; s++)
		if (nh_tab[s].id != 0 && nh_tab[s].gen != fpm.gen &&
		    !route_nho_in_use(s)) {
			nh_forget(&nh_tab[s]);
			n++;
		}
	return n;
}

unsigned int
fpm_nh_count(void)
{
	return nh_index == NULL ? 0 : (unsigned int)rte_hash_count(nh_index);
}
