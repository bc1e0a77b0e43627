/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsec section's lists as rows of a change (lib/config's cfg_txn):
 * start-up, `config reload` and the CLI install SAs (keyed by SPI and
 * direction), routes into SAs (keyed by VRF and prefix; IPv4 in routes,
 * IPv6 in routes6) and the SPDs (spd for IPv4, spd6 for IPv6)
 * through these ops, with sad.c's and spd.c's own functions.
 *
 * An SPD is an ordered list, first match wins (RFC 4301 4.4.1): a rule
 * has no key but its place, so the SPD changes as a whole with the
 * section and is rebuilt and swapped in once per change, after every
 * SA it names is in. Rules that did not change match as before: the
 * swap is one pointer store (spd.c).
 *
 * SAs a change deletes stay installed until that swap: the routes and
 * rules that named them are gone or moved by then, so no packet meets a
 * slot a new SA of the same change has taken (sad.c hands out the
 * lowest free slot).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipsec_priv.h"

/* SAs deleted by the change running, freed by its commit. */
static struct {
	uint32_t spi;
	int dir;
} gone[IPSEC_SA_MAX];
static unsigned int n_gone;

static bool policy_hook; /* ferry_ipsec_policy_in wired at start */

void
ipsec_rows_policy_hook(bool on)
{
	policy_hook = on;
}

static const char *
dir_name(int dir)
{
	return dir == IPSEC_DIR_OUT ? "out" : "in";
}

/* Take (spi, dir) off the list of SAs to free: true if it was there. */
static bool
gone_cancel(uint32_t spi, int dir)
{
	unsigned int i;

	for (i = 0; i < n_gone; i++)
		if (gone[i].spi == spi && gone[i].dir == dir) {
			gone[i] = gone[--n_gone];
			return true;
		}
	return false;
}

/* ------------------------------------------------------------------ */
/* sas                                                                 */

static int
sa_check(const struct cfg_change *c, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc = c->new;

	if (c->start || c->op == CFG_DELETE)
		return 0;
	if (c->op == CFG_MODIFY) {
		snprintf(err, len, "an SA's settings are fixed once it is made "
			 "(RFC 4301 4.4.2: a rekey is a new SPI): add the "
			 "new SA, move routes and SPD rules to it, delete the "
			 "old one");
		return -EINVAL;
	}
	if (sc->direction == IPSEC_DIR_IN && !policy_hook) {
		snprintf(err, len, "the first inbound SA needs a restart: the "
			 "cleartext policy check is wired into the graph at "
			 "start, when an inbound SA exists");
		return -EINVAL;
	}
	return 0;
}

static int
sa_install(const struct cfg_change *c, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc = c->new;

	/* the undo of a delete of this change: it was never freed */
	if (gone_cancel(sc->spi, sc->direction))
		return 0;
	return sad_add(sc, err, len);
}

/*
 * A delete waits for the commit; an undo (the model being installed is
 * the running one again) and start-up run no commit after them, and no
 * packet can meet what they take out, so they free at once.
 */
static bool
deferred(const struct cfg_change *c)
{
	return !c->start &&
	       cfg_model_section(c->model, "ipsec") != ipsec_model();
}

static int
sa_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct ipsec_sa_conf *sc = c->old;

	if (sad_find(sc->spi, sc->direction) < 0) {
		snprintf(err, len, "no SA %u %s", sc->spi,
			 dir_name(sc->direction));
		return -ENOENT;
	}
	if (!deferred(c) || n_gone == RTE_DIM(gone))
		return sad_del(sc->spi, sc->direction);
	gone[n_gone].spi = sc->spi;
	gone[n_gone++].dir = sc->direction;
	return 0;
}

/*
 * After every step: the SPD of @p model swapped in, then the SAs the
 * change deleted freed (nothing names them any more). On an undo
 * @p model is the running one and no SA is waiting.
 */
static int
ipsec_commit(const struct cfg_model *model, const struct cfg_model *was,
	     char *err, size_t len)
{
	const struct ipsec_conf *c = cfg_model_section(model, "ipsec");
	int rc = spd_publish(c, err, len);

	(void)was;
	if (rc < 0)
		return rc;
	while (n_gone > 0) {
		n_gone--;
		sad_del(gone[n_gone].spi, gone[n_gone].dir);
	}
	return 0;
}

const struct cfg_list_ops ipsec_sa_ops = {
	.check = sa_check,
	.install = sa_install,
	.uninstall = sa_uninstall,
	.commit = ipsec_commit,
};

/* ------------------------------------------------------------------ */
/* routes                                                              */

static int
route_install(const struct cfg_change *c, char *err, size_t len)
{
	return ipsec_route_apply(c->new, err, len);
}

static int
route_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct ipsec_route_conf *rc = c->old;
	int vrf = vrf_find(rc->vrf);

	if (vrf < 0) {
		snprintf(err, len, "route %s: unknown VRF", rc->vrf);
		return -ENOENT;
	}
	return cfg_op_result(route_del((unsigned int)vrf, rc->prefix.addr,
				       rc->prefix.len), err, len,
			     "delete the IPsec route");
}

/* Another SA: one FIB store moves the route (the hitless step of a
 * rekey). */
const struct cfg_list_ops ipsec_route_ops = {
	.install = route_install,
	.uninstall = route_uninstall,
	.modify = route_install,
};

/* ------------------------------------------------------------------ */
/* routes6: the same, for IPv6 prefixes into SAs carrying IPv6         */

static int
route6_install(const struct cfg_change *c, char *err, size_t len)
{
	return ipsec_route6_apply(c->new, err, len);
}

static int
route6_uninstall(const struct cfg_change *c, char *err, size_t len)
{
	const struct ipsec_route6_conf *rc = c->old;
	int vrf = vrf_find(rc->vrf);

	if (vrf < 0) {
		snprintf(err, len, "route %s: unknown VRF", rc->vrf);
		return -ENOENT;
	}
	return cfg_op_result(route6_del_ext((unsigned int)vrf, rc->prefix.addr,
					    rc->prefix.len,
					    (unsigned int)ipsec_route6_ext_type),
			     err, len,
			     "delete the IPsec IPv6 route");
}

const struct cfg_list_ops ipsec_route6_ops = {
	.install = route6_install,
	.uninstall = route6_uninstall,
	.modify = route6_install,
};

/* ------------------------------------------------------------------ */
/* the section itself: its SPD (no key, order matters)                 */

const struct cfg_list_ops ipsec_group_ops = {
	.install = cfg_op_nothing,
	.uninstall = cfg_op_nothing,
	.modify = cfg_op_nothing,
	.commit = ipsec_commit,
};
