/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of one row of the "mpls" section against the rest of a model:
 * used by the loader (mpls_config.c) on every row and by the CLI on the
 * row it is about to add, so both refuse the same things with the same
 * words. Each returns NULL or a reason, and names the field at fault
 * (".via") with its value quoted as the file writes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpls_priv.h"

int
mpls_iface_conf_find(const struct cfg_array *ifs, const char *name)
{
	const struct iface_conf *ic = ifs->items;
	unsigned int i;

	for (i = 0; i < ifs->n; i++)
		if (strcmp(ic[i].name, name) == 0)
			return (int)i;
	return -1;
}

void
mpls_quote_ipv4(uint32_t addr, char *val, size_t len)
{
	char ip[16];

	snprintf(val, len, "\"%s\"", cfg_format_ipv4(addr, ip, sizeof(ip)));
}

void
mpls_quote_prefix(const struct cfg_ipv4_prefix *p, char *val, size_t len)
{
	char ip[16];

	snprintf(val, len, "\"%s/%u\"",
		 cfg_format_ipv4(p->addr, ip, sizeof(ip)), p->len);
}

static void
quote_string(const char *s, char *val, size_t len)
{
	snprintf(val, len, "\"%s\"", s);
}

static const struct mpls_conf *
conf_of(const struct cfg_model *m)
{
	return cfg_model_section(m, "mpls");
}

bool
mpls_conf_iface_enabled(const struct mpls_conf *mc, const char *name)
{
	const char *names = mc->interfaces.items;
	unsigned int i;

	for (i = 0; i < mc->interfaces.n; i++)
		if (strcmp(names + i * IFACE_NAME_LEN, name) == 0)
			return true;
	return false;
}

/*
 * The next hop of an LSP or LFIB row: an interface that takes MPLS and
 * has an address, and a via on its subnet that is not its own.
 */
static const char *
nexthop_check(const struct cfg_model *m, const char *ifname, uint32_t via,
	      const char **field, char *val, size_t len)
{
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct iface_conf *ic = ifs->items;
	uint32_t mask;
	int x;

	*field = ".interface";
	quote_string(ifname, val, len);
	x = mpls_iface_conf_find(ifs, ifname);
	if (x < 0)
		return "no such interface";
	if (!mpls_conf_iface_enabled(conf_of(m), ifname))
		return "MPLS is not enabled on it (add it to mpls.interfaces)";
	if (ic[x].address.addr == 0)
		return "interface has no address (needed for ARP)";
	*field = ".via";
	mpls_quote_ipv4(via, val, len);
	mask = ic[x].address.len == 0 ? 0 : ~0u << (32 - ic[x].address.len);
	if (via == 0 || ((via ^ ic[x].address.addr) & mask) != 0)
		return "not on the interface's subnet";
	if (via == ic[x].address.addr)
		return "is the interface's own address";
	return NULL;
}

/* Parse the stack text of a row; NULL or the reason. */
static const char *
stack_check(const char *text, unsigned int max, unsigned int *n)
{
	uint32_t labels[MPLS_STACK_TEXT_MAX];
	const char *why;

	*n = 0;
	if (text[0] == '\0')
		return NULL;
	if (mpls_stack_parse(text, labels, RTE_MIN(max, MPLS_STACK_TEXT_MAX),
			     n, &why) < 0)
		return why;
	return NULL;
}

const char *
mpls_lsp_check(const struct cfg_model *m, const struct mpls_lsp_conf *lc,
	       const char **field, char *val, size_t len)
{
	const struct mpls_conf *mc = conf_of(m);
	static char reason[96];
	const char *why;
	unsigned int n;

	*field = ".pe";
	mpls_quote_ipv4(lc->pe, val, len);
	if (lc->pe == 0)
		return "must not be 0.0.0.0";
	why = nexthop_check(m, lc->interface, lc->via, field, val, len);
	if (why != NULL)
		return why;
	*field = ".labels";
	quote_string(lc->labels, val, len);
	why = stack_check(lc->labels, MPLS_OUT_MAX, &n);
	if (why != NULL)
		return why;
	if (n + 1 > mc->max_labels) {
		snprintf(reason, sizeof(reason), "with the VPN label that is "
			 "%u labels, more than max_labels (%u)", n + 1,
			 mc->max_labels);
		return reason;
	}
	return NULL;
}

/* VRF using local label @p label, other than @p self; NULL if none. */
const char *
mpls_vrf_label_user(const struct cfg_model *m, uint32_t label,
		    const struct mpls_vrf_conf *self)
{
	const struct mpls_conf *mc = conf_of(m);
	const struct mpls_vrf_conf *vc = mc->vrfs.items;
	const struct mpls_prefix_label_conf *pl;
	unsigned int i, j;

	for (i = 0; i < mc->vrfs.n; i++) {
		if (&vc[i] == self || (self != NULL &&
				       strcmp(vc[i].vrf, self->vrf) == 0))
			continue;
		if (vc[i].label_mode == MPLS_LABEL_PER_VRF &&
		    vc[i].label == label)
			return vc[i].vrf;
		pl = vc[i].prefix_labels.items;
		for (j = 0; j < vc[i].prefix_labels.n; j++)
			if (pl[j].label == label)
				return vc[i].vrf;
	}
	return NULL;
}

/* The fields an action does not take must be absent. */
static const char *
lfib_unused_fields(const struct mpls_lfib_conf *fc, const char **field,
		   char *val, size_t len)
{
	bool swap = fc->action == MPLS_LFIB_SWAP;
	bool lookup = fc->action == MPLS_LFIB_POP_LOOKUP;

	if (!swap && fc->out_labels[0] != '\0') {
		*field = ".out_labels";
		quote_string(fc->out_labels, val, len);
		return "only swap takes out_labels";
	}
	if (!lookup && fc->vrf[0] != '\0') {
		*field = ".vrf";
		quote_string(fc->vrf, val, len);
		return "only pop-lookup takes a vrf";
	}
	if (lookup && (fc->interface[0] != '\0' || fc->via != 0)) {
		*field = fc->via != 0 ? ".via" : ".interface";
		if (fc->via != 0)
			mpls_quote_ipv4(fc->via, val, len);
		else
			quote_string(fc->interface, val, len);
		return "pop-lookup takes no next hop";
	}
	return NULL;
}

/* swap and pop: both interface and via, or (pop only) neither. */
static const char *
lfib_nexthop_check(const struct cfg_model *m,
		   const struct mpls_lfib_conf *fc, const char **field,
		   char *val, size_t len)
{
	*field = "";
	val[0] = '\0';
	if (fc->action == MPLS_LFIB_POP && fc->interface[0] == '\0' &&
	    fc->via == 0)
		return NULL; /* pop, then look at the label below */
	if (fc->interface[0] == '\0' || fc->via == 0)
		return "needs both interface and via";
	return nexthop_check(m, fc->interface, fc->via, field, val, len);
}

static const char *
lfib_action_check(const struct cfg_model *m,
		  const struct mpls_lfib_conf *fc, const char **field,
		  char *val, size_t len)
{
	unsigned int n;
	const char *why;

	*field = "";
	val[0] = '\0';
	switch (fc->action) {
	case MPLS_LFIB_SWAP:
		if (fc->out_labels[0] == '\0')
			return "swap needs out_labels";
		*field = ".out_labels";
		quote_string(fc->out_labels, val, len);
		why = stack_check(fc->out_labels,
				  RTE_MIN(conf_of(m)->max_labels,
					  MPLS_OUT_MAX), &n);
		return why != NULL ? why :
			lfib_nexthop_check(m, fc, field, val, len);
	case MPLS_LFIB_POP:
		return lfib_nexthop_check(m, fc, field, val, len);
	default:
		if (fc->vrf[0] == '\0')
			return "pop-lookup needs a vrf";
		*field = ".vrf";
		quote_string(fc->vrf, val, len);
		if (!route_conf_vrf_exists(m, fc->vrf))
			return "no such VRF";
		return NULL;
	}
}

const char *
mpls_lfib_check(const struct cfg_model *m, const struct mpls_lfib_conf *fc,
		const char **field, char *val, size_t len)
{
	static char reason[96];
	const char *why, *user;

	why = lfib_unused_fields(fc, field, val, len);
	if (why == NULL)
		why = lfib_action_check(m, fc, field, val, len);
	if (why != NULL)
		return why;
	user = mpls_vrf_label_user(m, fc->label, NULL);
	if (user != NULL) {
		*field = ".label";
		snprintf(val, len, "%u", fc->label);
		snprintf(reason, sizeof(reason),
			 "label is a local VPN label of VRF %s", user);
		return reason;
	}
	return NULL;
}

/* A static, connected or local route of VRF @p vrf with this prefix. */
static const char *
route_conflict(const struct cfg_model *m, const char *vrf,
	       const struct cfg_ipv4_prefix *p)
{
	const struct cfg_array *vrfs = route_conf_vrfs(m);
	const struct cfg_array *ifs = iface_conf_list(m);
	const struct vrf_conf *vc = vrfs->items;
	const struct iface_conf *ic = ifs->items;
	const struct route_conf *rc;
	unsigned int i, j;
	uint32_t mask;

	for (i = 0; i < vrfs->n; i++) {
		rc = vc[i].routes.items;
		for (j = 0; strcmp(vc[i].name, vrf) == 0 &&
			    j < vc[i].routes.n; j++)
			if (rc[j].prefix.addr == p->addr &&
			    rc[j].prefix.len == p->len)
				return "the VRF has a static route with this "
				       "prefix";
	}
	for (i = 0; i < ifs->n; i++) {
		if (strcmp(ic[i].vrf, vrf) != 0 || ic[i].address.addr == 0)
			continue;
		mask = ic[i].address.len == 0 ? 0 :
			~0u << (32 - ic[i].address.len);
		if ((p->len == ic[i].address.len &&
		     p->addr == (ic[i].address.addr & mask)) ||
		    (p->len == 32 && p->addr == ic[i].address.addr))
			return "the VRF has a connected or local route with "
			       "this prefix";
	}
	return NULL;
}

static bool
lsp_conf_exists(const struct mpls_conf *mc, uint32_t pe)
{
	const struct mpls_lsp_conf *lc = mc->lsps.items;
	unsigned int i;

	for (i = 0; i < mc->lsps.n; i++)
		if (lc[i].pe == pe)
			return true;
	return false;
}

/* The remote PE of a VPN route (IPv4 or IPv6): an LSP must reach it. */
static const char *
vpn_pe_check(const struct cfg_model *m, uint32_t pe, const char **field,
	     char *val, size_t len)
{
	*field = ".pe";
	mpls_quote_ipv4(pe, val, len);
	if (pe == 0)
		return "must not be 0.0.0.0";
	if (!lsp_conf_exists(conf_of(m), pe))
		return "no LSP to this PE (add one to mpls.lsps)";
	return NULL;
}

const char *
mpls_vpn_route_check(const struct cfg_model *m,
		     const struct mpls_vpn_route_conf *rc,
		     const char **field, char *val, size_t len)
{
	const char *why;

	*field = ".vrf";
	quote_string(rc->vrf, val, len);
	if (!route_conf_vrf_exists(m, rc->vrf))
		return "no such VRF";
	*field = ".prefix";
	mpls_quote_prefix(&rc->prefix, val, len);
	why = route_conflict(m, rc->vrf, &rc->prefix);
	if (why != NULL)
		return why;
	return vpn_pe_check(m, rc->pe, field, val, len);
}

const char *
mpls_vpn_route6_check(const struct cfg_model *m,
		      const struct mpls_vpn_route6_conf *rc,
		      const char **field, char *val, size_t len)
{
	*field = ".vrf";
	quote_string(rc->vrf, val, len);
	if (!route_conf_vrf_exists(m, rc->vrf))
		return "no such VRF";
	/* The prefix is checked by the schema; a static or connected IPv6
	 * route of it is refused when the row is installed (route6_add_ext:
	 * -EEXIST), before anything changed. */
	return vpn_pe_check(m, rc->pe, field, val, len);
}

/* A decimal number up to @p max, all of @p s. */
static bool
number_parse(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0'))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= max;
}

/*
 * Route distinguisher (RFC 4364 4.2): type 0 "ASN:n" with a 2-byte ASN
 * and a 4-byte n; type 2 with a 4-byte ASN and a 2-byte n; type 1
 * "IPv4:n" with a 2-byte n.
 */
const char *
mpls_rd_check(const char *rd)
{
	const char *colon = strrchr(rd, ':');
	char left[MPLS_RD_LEN];
	uint64_t asn, n;
	uint32_t ip;

	if (strlen(rd) >= MPLS_RD_LEN)
		return "too long (at most 31 characters)";
	if (colon == NULL || (size_t)(colon - rd) >= sizeof(left))
		return "expected ASN:n or IPv4:n (RFC 4364 4.2)";
	memcpy(left, rd, (size_t)(colon - rd));
	left[colon - rd] = '\0';
	if (cfg_parse_ipv4(left, &ip) == 0)
		return number_parse(colon + 1, UINT16_MAX, &n) ? NULL :
			"after an IPv4 address the number is 0..65535";
	if (!number_parse(left, UINT32_MAX, &asn))
		return "expected ASN:n or IPv4:n (RFC 4364 4.2)";
	if (!number_parse(colon + 1, asn > UINT16_MAX ? UINT16_MAX :
			  UINT32_MAX, &n))
		return asn > UINT16_MAX ?
			"after a 4-byte ASN the number is 0..65535" :
			"the number is 0..4294967295";
	return NULL;
}

/* Labels of a per-prefix VRF: unique prefixes, labels nobody else has. */
static const char *
prefix_labels_check(const struct cfg_model *m, const struct mpls_vrf_conf *vc,
		    const char **field, char *val, size_t len)
{
	const struct mpls_prefix_label_conf *pl = vc->prefix_labels.items;
	static char path[64];
	unsigned int i, j;

	for (i = 0; i < vc->prefix_labels.n; i++) {
		snprintf(path, sizeof(path), ".prefix_labels.[%u].label", i);
		*field = path;
		snprintf(val, len, "%u", pl[i].label);
		if (mpls_label_in_use(m, pl[i].label, vc))
			return "label already used (lfib or another VRF)";
		for (j = 0; j < i; j++) {
			if (pl[j].label == pl[i].label)
				return "label used twice in this VRF";
			if (pl[j].prefix.addr != pl[i].prefix.addr ||
			    pl[j].prefix.len != pl[i].prefix.len)
				continue;
			snprintf(path, sizeof(path),
				 ".prefix_labels.[%u].prefix", i);
			mpls_quote_prefix(&pl[i].prefix, val, len);
			return "prefix listed twice";
		}
	}
	return NULL;
}

static const char *
vrf_labels_check(const struct cfg_model *m, const struct mpls_vrf_conf *vc,
		 const char **field, char *val, size_t len)
{
	*field = ".label";
	snprintf(val, len, "%u", vc->label);
	if (vc->label_mode == MPLS_LABEL_PER_PREFIX) {
		if (vc->label != 0)
			return "a per-prefix VRF takes prefix_labels, "
			       "not label";
		return prefix_labels_check(m, vc, field, val, len);
	}
	if (vc->prefix_labels.n != 0) {
		*field = ".prefix_labels";
		val[0] = '\0';
		return "prefix_labels need label_mode \"per-prefix\"";
	}
	if (vc->label == 0) {
		val[0] = '\0';
		return "a per-vrf VRF needs its label";
	}
	if (mpls_label_in_use(m, vc->label, vc))
		return "label already used (lfib or another VRF)";
	return NULL;
}

const char *
mpls_vrf_check(const struct cfg_model *m, const struct mpls_vrf_conf *vc,
	       const char **field, char *val, size_t len)
{
	const struct mpls_conf *mc = conf_of(m);
	const struct mpls_vrf_conf *o = mc->vrfs.items;
	const char *why;
	unsigned int i;

	*field = ".vrf";
	quote_string(vc->vrf, val, len);
	if (!route_conf_vrf_exists(m, vc->vrf))
		return "no such VRF";
	*field = ".rd";
	quote_string(vc->rd, val, len);
	why = mpls_rd_check(vc->rd);
	if (why != NULL)
		return why;
	for (i = 0; i < mc->vrfs.n; i++)
		if (&o[i] != vc && strcmp(o[i].vrf, vc->vrf) != 0 &&
		    strcmp(o[i].rd, vc->rd) == 0)
			return "route distinguisher of another VRF";
	return vrf_labels_check(m, vc, field, val, len);
}

bool
mpls_label_in_use(const struct cfg_model *m, uint32_t label,
		  const struct mpls_vrf_conf *self)
{
	const struct mpls_conf *mc = conf_of(m);
	const struct mpls_lfib_conf *fc = mc->lfib.items;
	unsigned int i;

	for (i = 0; i < mc->lfib.n; i++)
		if (fc[i].label == label)
			return true;
	return mpls_vrf_label_user(m, label, self) != NULL;
}
