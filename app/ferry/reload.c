/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config reload: the new file is loaded and checked like at start, then
 * compared with the running model section by section. Sections that
 * need a restart (EAL, buffers, ports, workers, CLI, ip, MPLS) must be equal;
 * interfaces may change only `up` and `mtu`; the VRF set must be equal
 * but its static routes may change; static neighbours may change; ACLs
 * and their bindings may change (lib/classify applies them last). The
 * difference is applied with the CLI's own core functions, deletions
 * first, and undone in reverse order if any step fails, so a reload is
 * all or nothing like every CLI change.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "classify.h"
#include "iface.h"
#include "reload.h"
#include "route.h"
#include "sections.h"

/* One applied step, kept so a failure can undo what came before. */
struct step {
	enum { ROUTE_ADD, ROUTE_DEL, NBR_ADD, NBR_DEL, IF_SET } kind;
	char vrf[VRF_NAME_LEN];
	struct route_conf route;
	struct nbr_conf nbr;
	struct iface_conf iface;   /* the values before the step */
};

struct plan {
	struct step *v;
	unsigned int n, done;
	unsigned int acl_changes; /* ACLs and bindings lib/classify changed */
};

/* The mpls and vxlan sections' live changes (mpls_change.c,
 * vxlan_change.c) are not wired into
 * reload yet: a changed mpls or vxlan section needs a restart for now. */
static const char *const restart_sections[] = {
	"eal", "buffers", "ports", "workers", "cli", "ip", "mpls", "vxlan",
	"metrics",
	"qos", /* live: `qos class`; a reload needs a restart */
	"ipsec", /* changes live through the CLI, not yet on reload */
	"control_plane", /* live: `control-plane representor ...` */
};

static int
plan_add(struct plan *p, const struct step *s)
{
	struct step *v = realloc(p->v, (p->n + 1) * sizeof(*v));

	if (v == NULL)
		return -ENOMEM;
	v[p->n++] = *s;
	p->v = v;
	return 0;
}

static bool
route_in(const struct cfg_array *routes, const struct route_conf *r)
{
	const struct route_conf *rc = routes->items;
	unsigned int i;

	for (i = 0; i < routes->n; i++)
		if (rc[i].prefix.addr == r->prefix.addr &&
		    rc[i].prefix.len == r->prefix.len && rc[i].via == r->via &&
		    rc[i].blackhole == r->blackhole &&
		    strcmp(rc[i].interface, r->interface) == 0)
			return true;
	return false;
}

static const struct vrf_conf *
vrf_in(const struct cfg_array *vrfs, const char *name)
{
	const struct vrf_conf *vc = vrfs->items;
	unsigned int i;

	for (i = 0; i < vrfs->n; i++)
		if (strcmp(vc[i].name, name) == 0)
			return &vc[i];
	return NULL;
}

/* Routes of @p from missing in @p to become steps of @p kind. */
static int
plan_routes(struct plan *p, const struct vrf_conf *from,
	    const struct vrf_conf *to, int kind)
{
	const struct route_conf *rc = from->routes.items;
	struct step s = { .kind = kind };
	unsigned int i;
	int rc_ = 0;

	snprintf(s.vrf, sizeof(s.vrf), "%s", from->name);
	for (i = 0; i < from->routes.n && rc_ == 0; i++) {
		if (to != NULL && route_in(&to->routes, &rc[i]))
			continue;
		s.route = rc[i];
		rc_ = plan_add(p, &s);
	}
	return rc_;
}

static bool
nbr_in(const struct cfg_array *nbrs, const struct nbr_conf *n)
{
	const struct nbr_conf *nc = nbrs->items;
	unsigned int i;

	for (i = 0; i < nbrs->n; i++)
		if (cfg_group_equal(nbr_cfg_section.schema, &nc[i], n, NULL))
			return true;
	return false;
}

static int
plan_nbrs(struct plan *p, const struct cfg_array *from,
	  const struct cfg_array *to, int kind)
{
	const struct nbr_conf *nc = from->items;
	struct step s = { .kind = kind };
	unsigned int i;
	int rc = 0;

	for (i = 0; i < from->n && rc == 0; i++) {
		if (nbr_in(to, &nc[i]))
			continue;
		s.nbr = nc[i];
		rc = plan_add(p, &s);
	}
	return rc;
}

/* What needs a restart; NULL if everything else can apply live. */
static const char *
restart_needed(const struct cfg_model *a, const struct cfg_model *b,
	       char *buf, size_t len)
{
	static const char *const live_iface[] = { "up", "mtu", NULL };
	static const char *const live_vrf[] = { "routes", NULL };
	const struct cfg_array *ia = iface_conf_list(a), *ib = iface_conf_list(b);
	const struct cfg_array *va = cfg_model_section(a, "vrfs");
	const struct cfg_array *vb = cfg_model_section(b, "vrfs");
	const struct vrf_conf *vc = va->items;
	unsigned int i;

	for (i = 0; i < RTE_DIM(restart_sections); i++)
		if (!cfg_section_equal(a, b, restart_sections[i])) {
			snprintf(buf, len, "section %s changed",
				 restart_sections[i]);
			return buf;
		}
	if (ia->n != ib->n)
		return "interfaces were added or removed";
	for (i = 0; i < ia->n; i++)
		if (!cfg_group_equal(iface_cfg_section.schema,
				     (const char *)ia->items +
				     i * sizeof(struct iface_conf),
				     (const char *)ib->items +
				     i * sizeof(struct iface_conf), live_iface))
			return "an interface changed more than up or mtu";
	if (va->n != vb->n)
		return "VRFs were added or removed";
	for (i = 0; i < va->n; i++)
		if (vrf_in(vb, vc[i].name) == NULL ||
		    !cfg_group_equal(vrf_cfg_section.schema, &vc[i],
				     vrf_in(vb, vc[i].name), live_vrf))
			return "a VRF changed more than its routes";
	return NULL;
}

/* Interface changes: one step per interface whose up or mtu differ. */
static int
plan_ifaces(struct plan *p, const struct cfg_array *from,
	    const struct cfg_array *to)
{
	const struct iface_conf *a = from->items, *b = to->items;
	struct step s = { .kind = IF_SET };
	unsigned int i;
	int rc = 0;

	for (i = 0; i < from->n && rc == 0; i++) {
		if (a[i].up == b[i].up && a[i].mtu == b[i].mtu)
			continue;
		s.iface = b[i];
		rc = plan_add(p, &s);
	}
	return rc;
}

/* Deletions first (a changed entry is a delete and an add), then adds. */
static int
plan_build(struct plan *p, const struct cfg_model *run,
	   const struct cfg_model *next)
{
	const struct cfg_array *va = cfg_model_section(run, "vrfs");
	const struct cfg_array *vb = cfg_model_section(next, "vrfs");
	const struct vrf_conf *a = va->items, *b = vb->items;
	unsigned int i;
	int rc = 0;

	for (i = 0; i < va->n && rc == 0; i++)
		rc = plan_routes(p, &a[i], vrf_in(vb, a[i].name), ROUTE_DEL);
	if (rc == 0)
		rc = plan_nbrs(p, cfg_model_section(run, "neighbours"),
			       cfg_model_section(next, "neighbours"), NBR_DEL);
	for (i = 0; i < vb->n && rc == 0; i++)
		rc = plan_routes(p, &b[i], vrf_in(va, b[i].name), ROUTE_ADD);
	if (rc == 0)
		rc = plan_nbrs(p, cfg_model_section(next, "neighbours"),
			       cfg_model_section(run, "neighbours"), NBR_ADD);
	if (rc == 0)
		rc = plan_ifaces(p, iface_conf_list(run), iface_conf_list(next));
	return rc;
}

/* Set an interface to @p to, saving what it had into @p was. */
static int
iface_apply(struct cfg_model *run, const struct iface_conf *to,
	    struct iface_conf *was, char *err, size_t len)
{
	const struct iface_conf *cur = iface_conf_find(run, to->name);
	int rc;

	*was = *cur;
	rc = iface_admin_set(to->name, to->up, err, len);
	if (rc == 0)
		rc = iface_mtu_set(to->name, to->mtu, err, len);
	return rc;
}

static int
step_do(struct cfg_model *run, struct step *s, bool undo, char *err,
	size_t len)
{
	bool add = (s->kind == ROUTE_ADD || s->kind == NBR_ADD) != undo;
	struct iface_conf was;

	switch (s->kind) {
	case ROUTE_ADD:
	case ROUTE_DEL:
		return add ? route_static_add(s->vrf, &s->route, err, len) :
			     route_static_del(s->vrf, s->route.prefix.addr,
					      s->route.prefix.len, err, len);
	case NBR_ADD:
	case NBR_DEL:
		return add ? nbr_static_add(&s->nbr, err, len) :
			     nbr_static_del(s->nbr.interface, s->nbr.address,
					    err, len);
	case IF_SET:
		if (iface_apply(run, &s->iface, &was, err, len) < 0)
			return -EINVAL;
		s->iface = was; /* undo sets it back */
		return 0;
	}
	return -EINVAL;
}

static void
describe(const struct step *s, char *buf, size_t len)
{
	static const char *const verb[] = {
		[ROUTE_ADD] = "add route", [ROUTE_DEL] = "delete route",
		[NBR_ADD] = "add neighbour", [NBR_DEL] = "delete neighbour",
		[IF_SET] = "set interface",
	};
	char a[16];

	if (s->kind == ROUTE_ADD || s->kind == ROUTE_DEL)
		snprintf(buf, len, "%s %s/%u in VRF %s", verb[s->kind],
			 cfg_format_ipv4(s->route.prefix.addr, a, sizeof(a)),
			 s->route.prefix.len, s->vrf);
	else if (s->kind == IF_SET)
		snprintf(buf, len, "%s %s", verb[s->kind], s->iface.name);
	else
		snprintf(buf, len, "%s %s on %s", verb[s->kind],
			 cfg_format_ipv4(s->nbr.address, a, sizeof(a)),
			 s->nbr.interface);
}

static int
plan_apply(struct plan *p, struct cfg_model *run,
	   const struct cfg_model *next, FILE *log)
{
	char err[256], what[128];
	int rc = 0;

	for (p->done = 0; p->done < p->n; p->done++) {
		rc = step_do(run, &p->v[p->done], false, err, sizeof(err));
		if (rc < 0)
			break;
	}
	/* ACLs last, all or nothing by themselves (lib/classify). */
	if (rc == 0 && (rc = classify_reload(next, err, sizeof(err))) >= 0) {
		p->acl_changes = (unsigned int)rc;
		return 0;
	}
	if (p->done == p->n) {
		fprintf(log, "ferry: reload rejected: %s; nothing changed\n",
			err);
	} else {
		describe(&p->v[p->done], what, sizeof(what));
		fprintf(log, "ferry: reload rejected: %s: %s; nothing "
			"changed\n", what, err);
	}
	while (p->done-- > 0)
		step_do(run, &p->v[p->done], true, err, sizeof(err));
	return rc;
}

static struct cfg_model *
reload_load(const char *path, FILE *log)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	unsigned int i;

	if (cfg_load_file(path, ferry_sections, FERRY_N_SECTIONS, &m,
			  &diag) == 0)
		return m;
	for (i = 0; i < diag.n; i++)
		fprintf(log, "%s\n", diag.msg[i]);
	fprintf(log, "ferry: reload of %s rejected: %u error%s; nothing "
		"changed\n", path, diag.n, diag.n == 1 ? "" : "s");
	cfg_diag_free(&diag);
	return NULL;
}

int
ferry_reload(struct cfg_model *running, const char *path, FILE *log)
{
	struct cfg_model *next = reload_load(path, log);
	struct plan p = { 0 };
	const char *why;
	char buf[128];
	int rc = -EINVAL;

	if (next == NULL)
		return -EINVAL;
	why = restart_needed(running, next, buf, sizeof(buf));
	if (why != NULL) {
		fprintf(log, "ferry: reload of %s rejected: %s (needs a "
			"restart); nothing changed\n", path, why);
	} else if (plan_build(&p, running, next) < 0) {
		fprintf(log, "ferry: reload rejected: out of memory\n");
		rc = -ENOMEM;
	} else {
		rc = plan_apply(&p, running, next, log);
		if (rc == 0)
			fprintf(log, "ferry: reloaded %s: %u change%s\n",
				path, p.n + p.acl_changes,
				p.n + p.acl_changes == 1 ? "" : "s");
	}
	free(p.v);
	cfg_model_free(next);
	return rc;
}
