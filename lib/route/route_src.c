/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Route sources in one FIB: connected, local and other libraries'
 * routes and static routes (the "configured" ones) beside FRR's routes
 * from lib/fpm. Admin distance (route.h): a configured route wins; the
 * FRR route for the same prefix is kept in the rte_rib node's extension
 * (struct route_rib_ext) holding a reference on its adjacency, and is
 * put back in the FIB in one store when the configured route goes, so
 * a static route over a BGP prefix never leaves a gap either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "route_priv.h"

static uint64_t n_frr; /* FRR routes, hidden ones included */
static bool frr_wins;  /* FRR's routes beat static ones */

void
route_frr_preferred_set(bool on)
{
	frr_wins = on;
}

/* Who drops the value's reference when an FRR route of an external
 * type leaves (route_frr_add_ext()), by the type's edge. */
static struct {
	void (*release)(uint32_t value);
	uint16_t edge;
	bool edge_known;
} ext_release[ROUTE_EXT_MAX];

static const char *const source_names[] = {
	[ROUTE_SRC_SYSTEM] = "connected",
	[ROUTE_SRC_STATIC] = "static",
	[ROUTE_SRC_FRR] = "frr",
};

const char *
route_source_name(enum route_source src)
{
	return (unsigned int)src < RTE_DIM(source_names) ?
	       source_names[src] : "?";
}

static struct rte_rib_node *
node_get(const struct vrf *v, uint32_t prefix, uint8_t len)
{
	return rte_rib_lookup_exact(v->rib, prefix, len);
}

static uint32_t
node_nh(const struct rte_rib_node *n)
{
	uint64_t nh = ADJ_NO_ROUTE;

	rte_rib_get_nh(n, &nh);
	return (uint32_t)nh;
}

int
route_install(struct vrf *v, uint32_t prefix, uint8_t len, int adj)
{
	struct rte_rib_node *n = node_get(v, prefix, len);
	struct route_rib_ext e = { 0 };
	int64_t old = -1;
	bool hide = false;
	int rc;

	if (n != NULL) {
		e = *rib_ext(n);
		old = node_nh(n);
		hide = e.src == ROUTE_SRC_FRR;
	}
	if (hide && e.static_hidden) {
		/* the static route behind FRR's is replaced by this one
		 * (route_source_set() puts FRR's back in front) */
		adj_table[e.frr_nh].refcnt--;
		e.static_hidden = 0;
	}
	if (hide) {
		/* FRR's route stays behind this one, with its reference */
		adj_table[old].refcnt++;
		e.frr_nh = (uint32_t)old;
		e.frr_hidden = 1;
	}
	rc = route_set_adj(v, prefix, len, adj, old);
	if (rc < 0) {
		if (hide)
			adj_table[old].refcnt--;
		return rc;
	}
	e.src = ROUTE_SRC_SYSTEM;
	*rib_ext(node_get(v, prefix, len)) = e;
	return 0;
}

/* The route hidden in @p n (FRR's, or the static one FRR's beat) comes
 * back into the FIB in one store, as source @p src. */
static int
hidden_expose(struct vrf *v, struct rte_rib_node *n, uint32_t prefix,
	      uint8_t len, enum route_source src)
{
	struct route_rib_ext *e = rib_ext(n);
	uint32_t hidden = e->frr_nh;
	int rc = route_set_adj(v, prefix, len, (int)hidden, node_nh(n));

	if (rc < 0)
		return rc;
	adj_table[hidden].refcnt--; /* the hidden reference became the FIB's */
	e = rib_ext(node_get(v, prefix, len));
	e->src = (uint8_t)src;
	e->frr_hidden = 0;
	e->static_hidden = 0;
	return 0;
}

int
route_uninstall(struct vrf *v, uint32_t prefix, uint8_t len)
{
	struct rte_rib_node *n = node_get(v, prefix, len);

	if (n != NULL && rib_ext(n)->static_hidden) {
		/* the static route FRR's beats goes: nothing to store */
		adj_table[rib_ext(n)->frr_nh].refcnt--;
		rib_ext(n)->frr_hidden = 0;
		rib_ext(n)->static_hidden = 0;
		return 0;
	}
	if (n == NULL || rib_ext(n)->src == ROUTE_SRC_FRR)
		return -ENOENT;
	if (rib_ext(n)->frr_hidden)
		return hidden_expose(v, n, prefix, len, ROUTE_SRC_FRR);
	return route_remove(v, prefix, len);
}

bool
route_configured_has(unsigned int vrf, uint32_t prefix, uint8_t len)
{
	struct rte_rib_node *n;

	if (vrf >= vrf_count())
		return false;
	n = node_get(&vrf_table[vrf], prefix, len);
	return n != NULL && (rib_ext(n)->src != ROUTE_SRC_FRR ||
			     rib_ext(n)->static_hidden);
}

/* FRR's route beats the static one @p n holds: FRR's adjacency
 * @p frr (tag @p tag) goes into the FIB in one store, the static one
 * behind it with the reference the FIB had. */
static int
frr_over_static(struct vrf *v, struct rte_rib_node *n, uint32_t prefix,
		uint8_t len, uint32_t frr, uint32_t tag)
{
	uint32_t st = node_nh(n);
	struct route_rib_ext *e;
	int rc;

	adj_table[st].refcnt++; /* the hidden static route's */
	rc = route_set_adj(v, prefix, len, (int)frr, st);
	if (rc < 0) {
		adj_table[st].refcnt--;
		return rc;
	}
	e = rib_ext(node_get(v, prefix, len));
	e->src = ROUTE_SRC_FRR;
	e->frr_nh = st;
	e->frr_hidden = 1;
	e->static_hidden = 1;
	e->tag = tag;
	return 0;
}

/* A static route just installed over FRR's hidden one, which beats it
 * (route_frr_preferred_set()): FRR's comes back in front. */
static void
static_behind_frr(struct vrf *v, struct rte_rib_node *n, uint32_t prefix,
		  uint8_t len)
{
	struct route_rib_ext *e = rib_ext(n);
	uint32_t frr = e->frr_nh;

	if (frr_over_static(v, n, prefix, len, frr, e->tag) == 0)
		adj_table[frr].refcnt--; /* the hidden ref became the FIB's */
}

void
route_source_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		 enum route_source src)
{
	struct rte_rib_node *n;

	if (vrf >= vrf_count() || src == ROUTE_SRC_FRR)
		return;
	n = node_get(&vrf_table[vrf], prefix, len);
	if (n == NULL || rib_ext(n)->src == ROUTE_SRC_FRR)
		return;
	rib_ext(n)->src = (uint8_t)src;
	if (src == ROUTE_SRC_STATIC && frr_wins && rib_ext(n)->frr_hidden)
		static_behind_frr(&vrf_table[vrf], n, prefix, len);
}

void
route_frr_ext_release_set(unsigned int ext_type,
			  void (*release)(uint32_t value))
{
	if (ext_type < ROUTE_EXT_MAX)
		ext_release[ext_type].release = release;
}

/* An external type's value loses the reference an FRR route held. */
static void
ext_left(const struct adj *a)
{
	unsigned int t;

	if (a->type != ADJ_T_EXT)
		return;
	for (t = 0; t < ROUTE_EXT_MAX; t++)
		if (ext_release[t].edge_known && ext_release[t].edge == a->iface &&
		    ext_release[t].release != NULL) {
			ext_release[t].release(a->nbr);
			return;
		}
}

/* FRR's route through adjacency @p adj left: the external values it
 * held (route_frr_add_ext(), or each path of a group of them,
 * route_frr_add_ext_paths()) lose their reference. A group is whole
 * until a grace period after its last user went (nhg.c). */
static void
frr_adj_left(uint32_t adj)
{
	const struct adj *a = &adj_table[adj];
	const struct nhg *g;
	unsigned int p;

	if (a->type != ADJ_T_NHG || a->iface == ADJ_NHO) {
		ext_left(a);
		return;
	}
	g = &nhg_table[a->nbr % NHG_MAX];
	for (p = 0; p < g->n_paths; p++)
		ext_left(&adj_table[g->adj[p]]);
}

/* FRR's route behind a configured one: only the extension changes. */
static void
frr_hide(struct route_rib_ext *e, int adj, uint32_t tag)
{
	if (e->frr_hidden) {
		adj_table[e->frr_nh].refcnt--;
		frr_adj_left(e->frr_nh);
	} else
		n_frr++;
	adj_table[adj].refcnt++;
	e->frr_nh = (uint32_t)adj;
	e->frr_hidden = 1;
	e->tag = tag;
}

/* FRR's hidden route is dropped (replaced). */
static void
frr_unhide(struct route_rib_ext *e)
{
	adj_table[e->frr_nh].refcnt--;
	frr_adj_left(e->frr_nh);
	e->frr_hidden = 0;
	n_frr--;
}

static int
frr_install(unsigned int vrf, uint32_t prefix, uint8_t len, int adj,
	    uint32_t tag)
{
	struct vrf *v = &vrf_table[vrf];
	struct rte_rib_node *n = node_get(v, prefix, len);
	struct route_rib_ext *e;
	int64_t old;
	int rc;

	if (n != NULL && rib_ext(n)->src == ROUTE_SRC_STATIC && frr_wins) {
		if (rib_ext(n)->frr_hidden) /* hidden before the knob */
			frr_unhide(rib_ext(n));
		rc = frr_over_static(v, n, prefix, len, (uint32_t)adj, tag);
		if (rc == 0)
			n_frr++;
		return rc;
	}
	if (n != NULL && rib_ext(n)->src != ROUTE_SRC_FRR) {
		frr_hide(rib_ext(n), adj, tag);
		return 0;
	}
	old = n == NULL ? -1 : (int64_t)node_nh(n);
	/* Unchanged (zebra's resync after a reconnect): only the tag. */
	if (old != adj) {
		rc = route_set_adj(v, prefix, len, adj, old);
		if (rc < 0)
			return rc;
		if (n == NULL)
			n_frr++;
	}
	if (old >= 0) /* the old route's value, or the repeated one's */
		frr_adj_left((uint32_t)old);
	e = rib_ext(node_get(v, prefix, len));
	e->src = ROUTE_SRC_FRR;
	e->tag = tag;
	return 0;
}

/* Adjacency of one path: a gateway, or on-link (ARP the destination). */
static int
path_adj(const struct route_path *p)
{
	if (p->iface >= iface_count())
		return -EINVAL;
	return p->via != 0 ?
	       route_adj_get(ADJ_T_NEXTHOP, p->iface, p->via) :
	       route_adj_get(ADJ_T_GLEAN, p->iface, 0);
}

/* The adjacency of @p n paths: the path's own for one (unless
 * @p group), else their next-hop group's. */
static int
paths_adj_group(const struct route_path *paths, unsigned int n, bool group)
{
	uint32_t adj[ROUTE_PATHS_MAX];
	uint8_t w[ROUTE_PATHS_MAX];
	unsigned int i;
	int a;

	for (i = 0; i < n; i++) {
		a = path_adj(&paths[i]);
		if (a < 0)
			return a;
		adj[i] = (uint32_t)a;
		w[i] = paths[i].weight ? paths[i].weight : 1;
	}
	return n == 1 && !group ? (int)adj[0] : nhg_adj_get(adj, w, n);
}

static int
paths_adj(const struct route_path *paths, unsigned int n)
{
	return paths_adj_group(paths, n, false);
}

int
route_paths_nhg(const struct route_path *paths, unsigned int n)
{
	if (n == 0 || n > ROUTE_PATHS_MAX || paths == NULL)
		return -EINVAL;
	return paths_adj_group(paths, n, true);
}

int
route_frr_install_adj(unsigned int vrf, uint32_t prefix, uint8_t len,
		      int adj, uint32_t tag)
{
	if (!prefix_valid(vrf, prefix, len))
		return -EINVAL;
	return frr_install(vrf, prefix, len, adj, tag);
}

/* The adjacency of a route's @p n paths, arguments checked. */
static int
route_paths_adj(unsigned int vrf, uint32_t prefix, uint8_t len,
		const struct route_path *paths, unsigned int n)
{
	if (!prefix_valid(vrf, prefix, len) || n == 0 ||
	    n > ROUTE_PATHS_MAX || paths == NULL)
		return -EINVAL;
	return paths_adj(paths, n);
}

int
route_add_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
		const struct route_path *paths, unsigned int n)
{
	int adj = route_paths_adj(vrf, prefix, len, paths, n);

	return adj < 0 ? adj : route_install(&vrf_table[vrf], prefix, len, adj);
}

int
route_frr_add(unsigned int vrf, uint32_t prefix, uint8_t len,
	      const struct route_path *paths, unsigned int n, uint32_t tag)
{
	int adj = route_paths_adj(vrf, prefix, len, paths, n);

	return adj < 0 ? adj : frr_install(vrf, prefix, len, adj, tag);
}

int
route_frr_add_ext(unsigned int vrf, uint32_t prefix, uint8_t len,
		  unsigned int ext_type, uint32_t value, uint32_t tag)
{
	uint8_t w = 1;

	return route_frr_add_ext_paths(vrf, prefix, len, ext_type, &value, &w,
				       1, tag);
}

int
route_frr_add_ext_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
			unsigned int ext_type, const uint32_t *values,
			const uint8_t *weights, unsigned int n, uint32_t tag)
{
	uint32_t adj[ROUTE_PATHS_MAX];
	unsigned int i;
	int a;

	if (!prefix_valid(vrf, prefix, len) || ext_type >= ROUTE_EXT_MAX ||
	    n == 0 || n > ROUTE_PATHS_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		a = route_ext_adj_get(ext_type, values[i]);
		if (a < 0)
			return a;
		adj[i] = (uint32_t)a;
	}
	ext_release[ext_type].edge = adj_table[adj[0]].iface;
	ext_release[ext_type].edge_known = true;
	a = n == 1 ? (int)adj[0] : nhg_adj_get(adj, weights, n);
	return a < 0 ? a : frr_install(vrf, prefix, len, a, tag);
}

int
route_frr_add_blackhole(unsigned int vrf, uint32_t prefix, uint8_t len,
			uint32_t tag)
{
	if (!prefix_valid(vrf, prefix, len))
		return -EINVAL;
	return frr_install(vrf, prefix, len, ADJ_BLACKHOLE, tag);
}

int
route_frr_del(unsigned int vrf, uint32_t prefix, uint8_t len)
{
	struct rte_rib_node *n;
	struct route_rib_ext *e;
	uint32_t adj;
	int rc;

	if (vrf >= vrf_count() || len > 32)
		return -EINVAL;
	n = node_get(&vrf_table[vrf], prefix, len);
	if (n == NULL)
		return -ENOENT;
	e = rib_ext(n);
	if (e->src == ROUTE_SRC_FRR && e->static_hidden) {
		adj = node_nh(n);
		/* the static route it beat comes back */
		rc = hidden_expose(&vrf_table[vrf], n, prefix, len,
				   ROUTE_SRC_STATIC);
	} else if (e->src == ROUTE_SRC_FRR) {
		adj = node_nh(n);
		rc = route_remove(&vrf_table[vrf], prefix, len);
	} else if (e->frr_hidden) {
		adj = e->frr_nh;
		adj_table[adj].refcnt--;
		e->frr_hidden = 0;
		rc = 0;
	} else {
		return -ENOENT;
	}
	if (rc == 0) {
		n_frr--;
		frr_adj_left(adj);
	}
	return rc;
}

uint64_t
route_frr_count(void)
{
	return n_frr;
}

/* Routes swept per walk at most (a fixed list: no allocation). */
#define SWEEP_CHUNK 1024
/* RIB nodes a call visits before it stops at the end of a slice: a
 * call never walks a whole table (one walk of a 1M-route RIB takes the
 * management lcore ~100 ms, and restarting it from the top for each
 * chunk made a sweep quadratic); empty slices cost next to nothing. */
#define SWEEP_VISITS 32768
/* Address slices of a VRF: SWEEP_SHORT, then the routes under each /8. */
#define SWEEP_SLICES 256
#define SWEEP_SHORT (-1)

/* Where the running sweep stands. */
static struct {
	uint32_t keep;     /* the generation it keeps */
	unsigned int vrf;
	int slice;         /* SWEEP_SHORT or the /8 */
	bool running;
} sweep;

struct stale {
	uint32_t prefix;
	uint8_t len;
};

static bool
is_stale(struct rte_rib_node *n, uint32_t keep)
{
	const struct route_rib_ext *e = rib_ext(n);

	return (e->src == ROUTE_SRC_FRR || e->frr_hidden) && e->tag != keep;
}

static void
stale_add(struct rte_rib_node *n, struct stale *s, unsigned int *k)
{
	rte_rib_get_ip(n, &s[*k].prefix);
	rte_rib_get_depth(n, &s[*k].len);
	(*k)++;
}

static void
stale_check(struct rte_rib_node *n, uint32_t keep, struct stale *s,
	    unsigned int *k)
{
	if (n != NULL && is_stale(n, keep))
		stale_add(n, s, k);
}

/* Stale routes shorter than /8: 255 exact matches. */
static unsigned int
stale_short(struct rte_rib *rib, uint32_t keep, struct stale *s,
	    unsigned int max)
{
	unsigned int k = 0;
	uint32_t net;
	uint8_t len;

	stale_check(rte_rib_lookup_exact(rib, 0, 0), keep, s, &k);
	for (len = 1; len < 8; len++)
		for (net = 0; net < (1u << len) && k < max; net++)
			stale_check(rte_rib_lookup_exact(rib, net << (32 - len),
							 len),
				    keep, s, &k);
	return k;
}

/* Up to @p max stale routes of @p slice of @p rib into @p s; nodes
 * visited are added to @p visits. */
static unsigned int
stale_collect(struct rte_rib *rib, int slice, uint32_t keep,
	      struct stale *s, unsigned int max, unsigned int *visits)
{
	uint32_t net = (uint32_t)slice << 24;
	struct rte_rib_node *n = NULL;
	unsigned int k = 0;
	uint8_t len;

	if (slice == SWEEP_SHORT) {
		*visits += 255;
		return stale_short(rib, keep, s, max);
	}
	stale_check(rte_rib_lookup_exact(rib, net, 8), keep, s, &k);
	while (k < max &&
	       (n = rte_rib_get_nxt(rib, net, 8, n, RTE_RIB_GET_NXT_ALL)) !=
	       NULL) {
		(*visits)++;
		rte_rib_get_depth(n, &len);
		if (len > 8)
			stale_check(n, keep, s, &k);
	}
	return k;
}

/* The sweep goes on to the next slice (and VRF). */
static void
sweep_advance(void)
{
	if (++sweep.slice < SWEEP_SLICES)
		return;
	sweep.slice = SWEEP_SHORT;
	sweep.vrf++;
}

unsigned int
route_frr_sweep(uint32_t keep, unsigned int budget, bool *done)
{
	struct stale s[SWEEP_CHUNK];
	unsigned int k, i, max, visits = 0, swept = 0;

	if (!sweep.running || sweep.keep != keep) {
		sweep.keep = keep;
		sweep.vrf = 0;
		sweep.slice = SWEEP_SHORT;
		sweep.running = true;
	}
	while (n_frr != 0 && sweep.vrf < vrf_count() && swept < budget &&
	       visits < SWEEP_VISITS) {
		max = RTE_MIN(budget - swept, SWEEP_CHUNK);
		k = stale_collect(vrf_table[sweep.vrf].rib, sweep.slice, keep,
				  s, max, &visits);
		for (i = 0; i < k; i++)
			route_frr_del(sweep.vrf, s[i].prefix, s[i].len);
		swept += k;
		if (k < max) /* else the slice may hold more */
			sweep_advance();
	}
	*done = n_frr == 0 || sweep.vrf >= vrf_count();
	sweep.running = !*done;
	return swept;
}
