/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Policer set-up over rte_meter (the metering itself is inline in
 * policer.h). rte_meter counts bytes per second and TSC cycles; ferry's
 * configuration speaks bit/s, so rates are divided by 8 here.
 */
#include <errno.h>
#include <stdio.h>

#include "policer.h"

int
qos_policer_conf_check(const struct qos_policer_conf *c, char *why,
		       size_t why_len)
{
	const char *msg = NULL;
	int i;

	if (c->cir < 8 || c->cbs == 0)
		msg = "cir (bit/s, >= 8) and cbs (bytes, > 0) are required";
	else if (c->type == QOS_POLICER_SRTCM && c->pir != 0)
		msg = "pir is for trtcm; srtcm has cir, cbs and ebs";
	else if (c->type == QOS_POLICER_TRTCM &&
		 (c->pir < c->cir || c->pbs == 0))
		msg = "trtcm needs pir >= cir and pbs > 0 (RFC 2698 1.)";
	else if (c->type == QOS_POLICER_TRTCM && c->ebs != 0)
		msg = "ebs is for srtcm; trtcm has pir and pbs";
	for (i = 0; msg == NULL && i < RTE_COLORS; i++)
		if (c->action[i] == QOS_ACT_REMARK && c->dscp[i] > 63)
			msg = "a remark DSCP must be 0..63";
	if (msg == NULL)
		return 0;
	snprintf(why, why_len, "%s", msg);
	return -EINVAL;
}

int
qos_policer_init(struct qos_policer *p, const struct qos_policer_conf *c,
		 uint64_t now)
{
	char why[96];
	int rc;

	if (qos_policer_conf_check(c, why, sizeof(why)) < 0)
		return -EINVAL;
	if (c->type == QOS_POLICER_SRTCM) {
		struct rte_meter_srtcm_params prm = {
			.cir = c->cir / 8, .cbs = c->cbs, .ebs = c->ebs };

		rc = rte_meter_srtcm_profile_config(&p->prof.sr, &prm);
		if (rc == 0)
			rc = rte_meter_srtcm_config(&p->m.sr, &p->prof.sr);
		p->m.sr.time = now; /* virtual or real, as the caller runs */
	} else {
		struct rte_meter_trtcm_params prm = {
			.cir = c->cir / 8, .pir = c->pir / 8,
			.cbs = c->cbs, .pbs = c->pbs };

		rc = rte_meter_trtcm_profile_config(&p->prof.tr, &prm);
		if (rc == 0)
			rc = rte_meter_trtcm_config(&p->m.tr, &p->prof.tr);
		p->m.tr.time_tc = now;
		p->m.tr.time_tp = now;
	}
	if (rc != 0)
		return -EINVAL;
	p->conf = *c;
	return 0;
}

const char *
qos_policer_type_name(enum qos_policer_type t)
{
	return t == QOS_POLICER_SRTCM ? "srtcm" : "trtcm";
}

const char *
qos_policer_action_name(enum qos_policer_action a)
{
	static const char *const names[] = { "transmit", "remark", "drop" };

	return (unsigned int)a < 3 ? names[a] : "?";
}

const char *
qos_color_name(enum rte_color c)
{
	static const char *const names[] = { "green", "yellow", "red" };

	return (unsigned int)c < 3 ? names[c] : "?";
}
