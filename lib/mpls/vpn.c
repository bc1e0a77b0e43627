/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ingress side of the L3VPN (RFC 4364 section 5): VPN routes are
 * routes of their VRF's FIB (lib/route external routes) whose value is
 * an imposition, the pair (LSP to the remote PE, VPN label the remote PE
 * gave). All routes with the same pair share it, as routes through one
 * next hop share an adjacency, so the VRF FIB stays small and changing
 * an LSP touches no route. Impositions are immutable, refcounted by
 * routes and reused after a grace period.
 *
 * Also the per-VRF settings the nodes read: TTL model, TC copy on pop,
 * and the interface ICMP errors about disposed packets come from.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "mpls_priv.h"

/* Control side of an imposition. */
struct imp_ctl {
	uint32_t pe;
	uint32_t label;
	uint32_t routes;  /* VPN routes using it; 0 = free or going */
};

static struct imp_ctl *imp_ctl;
static struct mpls_pool imp_pool;
static uint32_t imp_hwm; /* highest id handed out: searches stop there */

/* Its grace period is over: no worker reads it any more. */
static void
imp_release(uint32_t id)
{
	memset(&mpls_dp.imp[id], 0, sizeof(mpls_dp.imp[id]));
	memset(&imp_ctl[id], 0, sizeof(imp_ctl[id]));
}

int
mpls_vpn_tables_create(void)
{
	mpls_dp.imp = rte_zmalloc("mpls_imp",
				  sizeof(*mpls_dp.imp) * MPLS_IMP_MAX,
				  RTE_CACHE_LINE_SIZE);
	imp_ctl = rte_zmalloc("mpls_imp_ctl", sizeof(*imp_ctl) * MPLS_IMP_MAX,
			      0);
	if (mpls_dp.imp == NULL || imp_ctl == NULL)
		return -ENOMEM;
	return mpls_pool_init(&imp_pool, "mpls_imp", MPLS_IMP_MAX,
			      imp_release);
}

void
mpls_vpn_tables_free(void)
{
	mpls_pool_fini(&imp_pool);
	rte_free(mpls_dp.imp);
	rte_free(imp_ctl);
	mpls_dp.imp = NULL;
	imp_ctl = NULL;
	imp_hwm = 0;
}

static uint32_t
imp_find(uint32_t pe, uint32_t label)
{
	uint32_t id;

	for (id = 1; id <= imp_hwm; id++)
		if (imp_ctl[id].routes != 0 && imp_ctl[id].pe == pe &&
		    imp_ctl[id].label == label)
			return id;
	return 0;
}

/* A new imposition of @p label over LSP id @p lsp, taking over the
 * caller's reference on the LSP; 0 (reference dropped) if none is left. */
static uint32_t
imp_new(uint32_t pe, uint32_t lsp, uint32_t label)
{
	uint32_t id = lsp == 0 ? 0 : mpls_pool_get(&imp_pool);

	if (id == 0) {
		mpls_lsp_unref(lsp);
		return 0;
	}
	imp_hwm = RTE_MAX(imp_hwm, id);
	/* Written before any route can lead a worker here. */
	mpls_dp.imp[id].lse = mpls_lse(label, 0, true, 0);
	mpls_dp.imp[id].lsp = lsp;
	imp_ctl[id] = (struct imp_ctl){ .pe = pe, .label = label,
					.routes = 1 };
	return id;
}

/* The imposition (pe, label) with one more route; 0 if none is left. */
static uint32_t
imp_ref(uint32_t pe, uint32_t label)
{
	uint32_t id = imp_find(pe, label);

	if (id != 0) {
		imp_ctl[id].routes++;
		return id;
	}
	return imp_new(pe, mpls_lsp_ref(pe), label);
}

/* FRR's imposition of @p label over its LSP id @p lsp (no PE). */
static uint32_t
imp_find_lsp(uint32_t lsp, uint32_t label)
{
	uint32_t id;

	for (id = 1; id <= imp_hwm; id++)
		if (imp_ctl[id].routes != 0 && imp_ctl[id].pe == 0 &&
		    imp_ctl[id].label == label && mpls_dp.imp[id].lsp == lsp)
			return id;
	return 0;
}

static void
imp_unref(uint32_t id)
{
	if (id == 0 || imp_ctl[id].routes == 0)
		return;
	if (--imp_ctl[id].routes != 0)
		return;
	/* The LSP id, too, is reused only after a grace period. */
	mpls_lsp_unref(mpls_dp.imp[id].lsp);
	mpls_pool_put(&imp_pool, id);
}

int
mpls_vpn_route_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		   uint32_t pe, uint32_t label)
{
	uint32_t id;
	int rc;

	if (pe == 0 || label < MPLS_LABEL_FIRST_UNRESERVED ||
	    label > MPLS_LABEL_MAX || mpls_ext_type < 0)
		return -EINVAL;
	id = imp_ref(pe, label);
	if (id == 0)
		return -ENOSPC;
	rc = route_add_ext(vrf, prefix, len, (unsigned int)mpls_ext_type, id);
	if (rc < 0)
		imp_unref(id);
	return rc;
}

int
mpls_vpn_route_unset(unsigned int vrf, uint32_t prefix, uint8_t len,
		     uint32_t pe, uint32_t label)
{
	uint32_t id = imp_find(pe, label);
	int rc;

	if (id == 0)
		return -ENOENT;
	rc = route_del(vrf, prefix, len);
	if (rc == 0)
		imp_unref(id);
	return rc;
}

int
mpls_vpn_route6_set(unsigned int vrf, const uint8_t *prefix, uint8_t len,
		    uint32_t pe, uint32_t label)
{
	uint32_t id;
	int rc;

	if (pe == 0 || label < MPLS_LABEL_FIRST_UNRESERVED ||
	    label > MPLS_LABEL_MAX || mpls_ext6_type < 0)
		return -EINVAL;
	id = imp_ref(pe, label);
	if (id == 0)
		return -ENOSPC;
	rc = route6_add_ext(vrf, prefix, len, (unsigned int)mpls_ext6_type,
			    id);
	if (rc < 0)
		imp_unref(id);
	return rc;
}

int
mpls_vpn_route6_unset(unsigned int vrf, const uint8_t *prefix, uint8_t len,
		      uint32_t pe, uint32_t label)
{
	uint32_t id = imp_find(pe, label);
	int rc;

	if (id == 0 || mpls_ext6_type < 0)
		return -ENOENT;
	rc = route6_del_ext(vrf, prefix, len, (unsigned int)mpls_ext6_type);
	if (rc == 0)
		imp_unref(id);
	return rc;
}

void
mpls_imp_unref(uint32_t id)
{
	if (imp_ctl != NULL && id < MPLS_IMP_MAX)
		imp_unref(id);
}

/*
 * A labelled route from zebra: push @p labels (outermost first; the
 * last is the bottom, an imposition's label) towards @p via on
 * @p iface. The labels above the bottom make an LSP without a PE
 * (mpls_lsp_frr_ref()); routes with the same stack and next hop share
 * LSP and imposition, as configured VPN routes to one PE do.
 */
/* The imposition of one labelled path (made or shared) with a route's
 * reference into @p id. @return 0, -EINVAL or -ENOSPC. */
static int
frr_imp_get(const struct mpls_frr_path *p, uint32_t *id)
{
	struct mpls_nhlfe spec = { .op = MPLS_OP_PUSH };
	unsigned int i, n = p->n_labels;
	uint32_t lsp;

	if (n == 0 || n > MPLS_OUT_MAX + 1 || p->iface >= iface_count() ||
	    p->via == 0 || mpls_ext_type < 0 || imp_ctl == NULL)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (p->labels[i] > MPLS_LABEL_MAX ||
		    (p->labels[i] != 0 &&
		     p->labels[i] < MPLS_LABEL_FIRST_UNRESERVED))
			return -EINVAL; /* explicit null 0 or unreserved */
	spec.n_out = (uint8_t)(n - 1);
	spec.iface = p->iface;
	spec.via = p->via;
	for (i = 0; i + 1 < n; i++)
		spec.out[i] = p->labels[i] << MPLS_LABEL_SHIFT;
	lsp = mpls_lsp_frr_ref(&spec);
	if (lsp == 0)
		return -ENOSPC;
	*id = imp_find_lsp(lsp, p->labels[n - 1]);
	if (*id != 0) {
		imp_ctl[*id].routes++;
		mpls_lsp_unref(lsp); /* the imposition holds it already */
	} else {
		*id = imp_new(0, lsp, p->labels[n - 1]);
	}
	return *id == 0 ? -ENOSPC : 0;
}

int
mpls_frr_route_set(unsigned int vrf, uint32_t prefix, uint8_t len,
		   const uint32_t *labels, unsigned int n, unsigned int iface,
		   uint32_t via, uint32_t tag)
{
	struct mpls_frr_path p = { .labels = labels, .n_labels = (uint8_t)n,
				   .iface = (uint16_t)iface, .via = via,
				   .weight = 1 };

	if (n > UINT8_MAX || iface > UINT16_MAX)
		return -EINVAL;
	return mpls_frr_route_set_paths(vrf, prefix, len, &p, 1, tag);
}

int
mpls_frr_route_set_paths(unsigned int vrf, uint32_t prefix, uint8_t len,
			 const struct mpls_frr_path *paths, unsigned int n,
			 uint32_t tag)
{
	uint32_t id[ROUTE_PATHS_MAX];
	uint8_t w[ROUTE_PATHS_MAX];
	unsigned int i, k;
	int rc = 0;

	if (n == 0 || n > ROUTE_PATHS_MAX)
		return -EINVAL;
	for (i = 0; i < n && rc == 0; i++) {
		rc = frr_imp_get(&paths[i], &id[i]);
		w[i] = paths[i].weight ? paths[i].weight : 1;
	}
	if (rc == 0)
		rc = route_frr_add_ext_paths(vrf, prefix, len,
					     (unsigned int)mpls_ext_type, id,
					     w, n, tag);
	else
		i--; /* the failed one holds nothing */
	for (k = 0; rc < 0 && k < i; k++)
		imp_unref(id[k]);
	return rc;
}

/* "push 16001/100 via 198.18.0.2 dev a": a labelled route of zebra's. */
static void
imp_frr_format(uint32_t id, char *buf, size_t len)
{
	uint32_t idx = mpls_dp.lsp[mpls_dp.imp[id].lsp];
	const struct mpls_nhlfe *nh = &mpls_dp.nhlfe[idx];
	char ip[16];
	int k = snprintf(buf, len, "push ");
	unsigned int i;

	for (i = 0; idx != 0 && i < nh->n_out && k > 0 && (size_t)k < len;
	     i++)
		k += snprintf(buf + k, len - (size_t)k, "%u/",
			      nh->out[i] >> MPLS_LABEL_SHIFT);
	if (k > 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, "%u via %s dev %s",
			 imp_ctl[id].label,
			 cfg_format_ipv4(nh->via, ip, sizeof(ip)),
			 idx == 0 ? "?" : iface_get(nh->iface)->name);
}

void
mpls_imp_format(uint32_t id, char *buf, size_t len)
{
	char ip[16];

	if (imp_ctl == NULL || id == 0 || id >= MPLS_IMP_MAX ||
	    imp_ctl[id].routes == 0) {
		snprintf(buf, len, "mpls vpn (gone)");
		return;
	}
	if (imp_ctl[id].pe == 0) {
		imp_frr_format(id, buf, len);
		return;
	}
	snprintf(buf, len, "vpn pe %s label %u%s",
		 cfg_format_ipv4(imp_ctl[id].pe, ip, sizeof(ip)),
		 imp_ctl[id].label,
		 mpls_lsp_get(imp_ctl[id].pe) == NULL ? " (no LSP)" : "");
}

/* First interface of VRF @p vrf with an address, or IFACE_NONE. */
static uint16_t
vrf_src_iface(unsigned int vrf)
{
	unsigned int i;

	for (i = 0; i < iface_count(); i++) {
		const struct iface *ifc = iface_get(i);

		if (ifc->vrf == vrf && ifc->addr != 0)
			return (uint16_t)i;
	}
	return IFACE_NONE;
}

void
mpls_vrf_dp_set(unsigned int vrf, const struct mpls_vrf_conf *vc)
{
	struct mpls_vrf_dp *d = &mpls_dp.vrf[vrf];

	/* Separate bytes, each read on its own by workers. */
	__atomic_store_n(&d->ttl_mode, vc != NULL ? (uint8_t)vc->ttl_mode :
			 MPLS_TTL_UNIFORM, __ATOMIC_RELAXED);
	__atomic_store_n(&d->tc_copy, vc != NULL && vc->tc_copy_on_pop,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&d->src_iface, vrf_src_iface(vrf), __ATOMIC_RELAXED);
}
