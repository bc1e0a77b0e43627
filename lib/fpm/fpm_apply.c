/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Routes from zebra into ferry's FIBs: a frame is decoded whole first
 * (nothing of a bad frame is applied), then each message is applied
 * through lib/route's route_frr_* with the session's generation as tag.
 *
 * zebra names a route's VRF by kernel table id (RTA_TABLE, or rtm_table
 * below 256); vrfs[].table maps it. Next hops are placed by gateway: the
 * ferry interface of the VRF whose subnet holds it (zebra's ifindex is
 * the TAP's in zebra's namespace, not ferry's).
 *
 * IPv4 routes with labels (RTA_ENCAP MPLS) go through lib/mpls's
 * mpls_frr_route_set_paths() (the push of configured VPN routes; an
 * ECMP group when several paths carry labels) into the same FIB with
 * source FRR.
 *
 * AF_MPLS routes (zebra's LSPs: swap, PHP) go to the LFIB through
 * lib/mpls's mpls_lfib_route_set(), the same mpls_lfib_set() the config
 * rows use; next hops in the default VRF (the core). A label the config
 * holds wins (label_conflict); FRR's labels are tracked in a bitmap.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "fpm_priv.h"
#include "mpls.h"
#include "route.h"

int
fpm_table_vrf(uint32_t table)
{
	unsigned int i;

	for (i = 0; i < fpm.n_tables; i++)
		if (fpm.tables[i].table == table)
			return fpm.tables[i].vrf;
	fpm.ctr[FPM_CTR_UNKNOWN_TABLE]++;
	for (i = 0; i < fpm.n_logged; i++)
		if (fpm.logged_tables[i] == table)
			return -1;
	if (fpm.n_logged < RTE_DIM(fpm.logged_tables)) {
		fpm.logged_tables[fpm.n_logged++] = table;
		FPM_LOG(WARNING, "routes of kernel table %u skipped: no VRF "
			"has vrfs[].table = %u", table, table);
	}
	return -1;
}

int
fpm_gw_iface(unsigned int vrf, uint32_t gw)
{
	unsigned int i;

	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);
		uint32_t mask = ifc->plen == 0 ? 0 : ~0u << (32 - ifc->plen);

		if (ifc->vrf == vrf && ifc->addr != 0 && ifc->plen < 32 &&
		    ((ifc->addr ^ gw) & mask) == 0)
			return (int)i;
	}
	return -1;
}

int
fpm_gw_iface_any(uint32_t gw)
{
	int core = vrf_find(VRF_DEFAULT_NAME), ifx = -1;
	unsigned int v;

	if (core >= 0)
		ifx = fpm_gw_iface((unsigned int)core, gw);
	for (v = 0; ifx < 0 && v < vrf_count(); v++)
		ifx = fpm_gw_iface(v, gw);
	return ifx;
}

/* zebra's paths as ferry's; @return how many could be placed. */
static unsigned int
paths_map(unsigned int vrf, const struct fpm_route *r,
	  struct route_path *out)
{
	unsigned int i, n = 0;
	int ifx;

	for (i = 0; i < r->n_paths; i++) {
		ifx = r->paths[i].gw ? fpm_gw_iface(vrf, r->paths[i].gw) : -1;
		if (ifx < 0) {
			fpm.ctr[FPM_CTR_NO_PATH]++;
			continue;
		}
		out[n].via = r->paths[i].gw;
		out[n].iface = (uint16_t)ifx;
		out[n].weight = r->paths[i].weight;
		n++;
	}
	return n;
}

/* Whether a path of @p r has labels to push (RTA_ENCAP MPLS). */
static bool
labelled(const struct fpm_route *r)
{
	unsigned int i;

	for (i = 0; i < r->n_paths; i++)
		if (r->paths[i].n_labels != 0)
			return true;
	return false;
}

/* Interface of a labelled path's gateway: in the route's VRF, else in
 * the core (a VPN route's next hop: zebra resolved it in the default
 * VRF, nexthop-vrf default). */
static int
labelled_iface(unsigned int vrf, uint32_t gw)
{
	int core = vrf_find(VRF_DEFAULT_NAME);
	int ifx = gw ? fpm_gw_iface(vrf, gw) : -1;

	if (ifx < 0 && gw != 0 && core >= 0)
		ifx = fpm_gw_iface((unsigned int)core, gw);
	return ifx;
}

/*
 * A labelled route: lib/mpls pushes each path's stack
 * (mpls_frr_route_set_paths(), the LSP and imposition tables of the
 * config's rows); several labelled paths make an ECMP group whose
 * paths keep their own labels. A path without labels in a labelled
 * route is counted (paths_dropped): never is a path of a labelled
 * route installed without labels.
 */
static int
labelled_new(unsigned int vrf, const struct fpm_route *r)
{
	struct mpls_frr_path mp[FPM_PATHS_MAX];
	unsigned int i, n = 0;
	int ifx;

	for (i = 0; i < r->n_paths; i++) {
		const struct fpm_path *p = &r->paths[i];

		if (p->n_labels == 0) {
			fpm.ctr[FPM_CTR_PATHS_DROPPED]++;
			continue;
		}
		ifx = labelled_iface(vrf, p->gw);
		if (ifx < 0) {
			fpm.ctr[FPM_CTR_NO_PATH]++;
			continue;
		}
		mp[n].labels = p->labels;
		mp[n].n_labels = p->n_labels;
		mp[n].iface = (uint16_t)ifx;
		mp[n].via = p->gw;
		mp[n++].weight = p->weight;
	}
	if (n == 0)
		return route_frr_del(vrf, r->dst, r->dst_len) == -EINVAL ?
		       -EINVAL : 0;
	return mpls_frr_route_set_paths(vrf, r->dst, r->dst_len, mp, n,
					fpm.gen);
}

static int
route_new(unsigned int vrf, const struct fpm_route *r)
{
	struct route_path p[ROUTE_PATHS_MAX];
	unsigned int n;

	if (r->rtm_type == RTN_BLACKHOLE || r->rtm_type == RTN_UNREACHABLE ||
	    r->rtm_type == RTN_PROHIBIT)
		return route_frr_add_blackhole(vrf, r->dst, r->dst_len,
					       fpm.gen);
	if (r->rtm_type != RTN_UNICAST) {
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return 0;
	}
	if (labelled(r))
		return labelled_new(vrf, r);
	n = paths_map(vrf, r, p);
	if (n == 0) /* nothing ferry can reach: not FRR's route here */
		return route_frr_del(vrf, r->dst, r->dst_len) == -EINVAL ?
		       -EINVAL : 0;
	return route_frr_add(vrf, r->dst, r->dst_len, p, n, fpm.gen);
}

/* A route naming a next-hop object (RTA_NH_ID). */
static int
route_nh_new(unsigned int vrf, const struct fpm_route *r)
{
	struct fpm_route x;
	int rc = fpm_nh_route(vrf, r, &x);

	if (rc == -ENOENT) /* not guessed: zebra's route is not ferry's */
		return route_frr_del(vrf, r->dst, r->dst_len) == -EINVAL ?
		       -EINVAL : 0;
	return rc == 1 ? route_new(vrf, &x) : rc;
}

static void
ipv4_apply(const struct fpm_route *r)
{
	int vrf = fpm_table_vrf(r->table);
	int rc;

	if (vrf < 0)
		return;
	if (r->msg_type == RTM_DELROUTE) {
		rc = route_frr_del((unsigned int)vrf, r->dst, r->dst_len);
		fpm.ctr[rc == 0 ? FPM_CTR_DELETED : FPM_CTR_DEL_MISSING]++;
		return;
	}
	fpm.ctr[FPM_CTR_PATHS_DROPPED] += r->paths_dropped;
	rc = r->nh_id != 0 && r->rtm_type == RTN_UNICAST ?
	     route_nh_new((unsigned int)vrf, r) :
	     route_new((unsigned int)vrf, r);
	if (rc < 0) {
		fpm.ctr[FPM_CTR_INSTALL_FAILED]++;
		FPM_LOG(DEBUG, "route install failed: %s", strerror(-rc));
	} else {
		fpm.ctr[FPM_CTR_ADDED]++;
	}
}

/* IPv6: lib/route has no IPv6 ECMP groups; the first path ferry
 * reaches is used, the others counted. */
static int
route6_new(unsigned int vrf, const struct fpm_route *r)
{
	int rc = -ENETUNREACH;
	unsigned int i;

	if (r->rtm_type == RTN_BLACKHOLE || r->rtm_type == RTN_UNREACHABLE ||
	    r->rtm_type == RTN_PROHIBIT)
		return route6_frr_add_blackhole(vrf, r->dst6, r->dst_len,
						fpm.gen);
	if (r->rtm_type != RTN_UNICAST) {
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return 0;
	}
	for (i = 0; i < r->n_paths && rc == -ENETUNREACH; i++)
		rc = route6_frr_add(vrf, r->dst6, r->dst_len,
				    r->paths[i].gw6, fpm.gen);
	if (rc == -ENETUNREACH) { /* a link-local or unknown gateway */
		fpm.ctr[FPM_CTR_NO_PATH]++;
		route6_frr_del(vrf, r->dst6, r->dst_len);
		return 0;
	}
	if (rc == 0)
		fpm.ctr[FPM_CTR_PATHS_DROPPED] += r->n_paths - i;
	return rc;
}

/* An IPv6 route: its object's paths, taken when the route comes. */
static int
route6_nh_new(unsigned int vrf, const struct fpm_route *r)
{
	struct fpm_route x;
	int rc;

	if (r->nh_id == 0 || r->rtm_type != RTN_UNICAST)
		return route6_new(vrf, r);
	rc = fpm_nh_route6(r, &x);
	if (rc < 0) {
		route6_frr_del(vrf, r->dst6, r->dst_len);
		return 0;
	}
	return route6_new(vrf, &x);
}

static void
ipv6_apply(const struct fpm_route *r)
{
	int vrf = fpm_table_vrf(r->table);
	int rc;

	if (vrf < 0)
		return;
	if (r->msg_type == RTM_DELROUTE) {
		rc = route6_frr_del((unsigned int)vrf, r->dst6, r->dst_len);
		fpm.ctr[rc == 0 ? FPM_CTR_DELETED : FPM_CTR_DEL_MISSING]++;
		return;
	}
	rc = route6_nh_new((unsigned int)vrf, r);
	if (rc < 0) {
		fpm.ctr[FPM_CTR_INSTALL_FAILED]++;
		FPM_LOG(DEBUG, "IPv6 route install failed: %s", strerror(-rc));
	} else {
		fpm.ctr[FPM_CTR_ADDED]++;
	}
}

static bool
label_owned(uint32_t label)
{
	return fpm.labels[label / 8] >> (label % 8) & 1;
}

static void
label_own(uint32_t label, bool on)
{
	if (on)
		fpm.labels[label / 8] |= (uint8_t)(1u << (label % 8));
	else
		fpm.labels[label / 8] &= (uint8_t)~(1u << (label % 8));
}

/* A per-VRF label: no gateway, the VRF device as out-interface: pop
 * and look up in the ferry VRF of that device's table. */
static int
lsp_pop_lookup(const struct fpm_route *r)
{
	int vrf = fpm_vrf_dev_vrf(r->paths[0].ifindex);

	if (vrf < 0) {
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return 1;
	}
	return mpls_lfib_route_pop_lookup(r->dst, (unsigned int)vrf);
}

/* An LSP: swap to the path's labels (implicit null 3 or none: PHP)
 * towards its gateway, or pop and look up in a VRF. @return 0 when
 * installed, 1 when skipped (counted), or -errno. */
static int
lsp_new(const struct fpm_route *r)
{
	const struct fpm_path *p = &r->paths[0];
	int vrf = vrf_find(VRF_DEFAULT_NAME);
	int ifx = vrf < 0 || p->gw == 0 ? -1 : fpm_gw_iface((unsigned int)vrf,
							 p->gw);
	unsigned int n = p->n_labels;

	if (r->n_paths != 0 && p->gw == 0 && p->ifindex != 0 && n == 0)
		return lsp_pop_lookup(r);
	if (r->n_paths == 0 || p->gw == 0) {
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return 1;
	}
	if (ifx < 0) {
		fpm.ctr[FPM_CTR_NO_PATH]++;
		return 1;
	}
	if (n == 1 && p->labels[0] == 3) /* implicit null: PHP */
		n = 0;
	return mpls_lfib_route_set(r->dst, p->labels, n, (unsigned int)ifx,
				   p->gw);
}

static void
mpls_apply(const struct fpm_route *r)
{
	uint32_t label = r->dst;
	int rc;

	if (label < 16 || label >= (1u << 20)) {
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
		return;
	}
	if (!label_owned(label) && mpls_lfib_has(label)) {
		fpm.ctr[FPM_CTR_LABEL_CONFLICT]++;
		return;
	}
	if (r->msg_type == RTM_DELROUTE) {
		rc = label_owned(label) ? mpls_lfib_route_unset(label) : -ENOENT;
		label_own(label, false);
		fpm.ctr[rc == 0 ? FPM_CTR_DELETED : FPM_CTR_DEL_MISSING]++;
		return;
	}
	rc = lsp_new(r);
	if (rc < 0) {
		fpm.ctr[FPM_CTR_INSTALL_FAILED]++;
		return;
	}
	if (rc > 0) { /* zebra replaced it by what ferry cannot do */
		if (label_owned(label))
			mpls_lfib_route_unset(label);
		label_own(label, false);
		return;
	}
	label_own(label, mpls_lfib_has(label));
	fpm.label_gen[label] = fpm.gen;
	fpm.ctr[FPM_CTR_ADDED]++;
}

unsigned int
fpm_lfib_sweep(void)
{
	unsigned int i, b, n = 0;
	uint32_t label;

	for (i = 0; fpm.labels != NULL && i < (1u << 20) / 8; i++)
		for (b = 0; fpm.labels[i] != 0 && b < 8; b++) {
			label = i * 8 + b;
			if (!label_owned(label) ||
			    fpm.label_gen[label] == fpm.gen)
				continue;
			mpls_lfib_route_unset(label);
			label_own(label, false);
			n++;
		}
	return n;
}

static int
msg_apply(const struct fpm_route *r, void *arg)
{
	RTE_SET_USED(arg);
	fpm.ctr[FPM_CTR_MESSAGES]++;
	if (r->msg_type == RTM_NEWNEXTHOP || r->msg_type == RTM_DELNEXTHOP)
		fpm_nh_apply(r);
	else if ((r->msg_type != RTM_NEWROUTE && r->msg_type != RTM_DELROUTE) ||
	    (r->family != AF_INET && r->family != AF_MPLS &&
	     r->family != AF_INET6) || r->unsupported)
		fpm.ctr[FPM_CTR_UNSUPPORTED]++;
	else if (r->family == AF_MPLS)
		mpls_apply(r);
	else if (r->family == AF_INET6)
		ipv6_apply(r);
	else
		ipv4_apply(r);
	return 0;
}

enum fpm_err
fpm_frame_apply(size_t len)
{
	enum fpm_err e = fpm_frame_walk(fpm.frame, len, NULL, NULL);

	if (e != FPM_ERR_OK)
		return e;
	fpm.ctr[FPM_CTR_FRAMES]++;
	return fpm_frame_walk(fpm.frame, len, msg_apply, NULL);
}
