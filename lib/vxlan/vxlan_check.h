/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of one row of the "vxlan" section against the rest of the
 * model, shared by the config loader and the CLI. Each returns NULL if
 * the row is fine, else the reason, with the offending field (".vni",
 * ".interfaces.[1]", "" for the row) in @p field and its value as the
 * file writes it (strings quoted) in @p val. @p self is the row's index
 * in its list, or the list's length for a row about to be added.
 * Pure model logic: no EAL.
 */
#ifndef FERRY_VXLAN_CHECK_H
#define FERRY_VXLAN_CHECK_H

#include "vxlan.h"

#define VXLAN_VAL_LEN 64

const char *vxlan_globals_check(const struct cfg_model *m,
				const struct vxlan_conf *vc,
				const char **field, char *val, size_t len);
const char *vxlan_bd_check(const struct cfg_model *m,
			   const struct vxlan_bd_conf *bc, unsigned int self,
			   const char **field, char *val, size_t len);
const char *vxlan_l3vni_check(const struct cfg_model *m,
			      const struct vxlan_l3vni_conf *lc,
			      unsigned int self, const char **field,
			      char *val, size_t len);
const char *vxlan_route_check(const struct cfg_model *m,
			      const struct vxlan_route_conf *rc,
			      unsigned int self, const char **field,
			      char *val, size_t len);
const char *vxlan_route6_check(const struct cfg_model *m,
			       const struct vxlan_route6_conf *rc,
			       unsigned int self, const char **field,
			       char *val, size_t len);
/** Why @p mc cannot be a static MAC of @p bc, or NULL. */
const char *vxlan_mac_check(const struct cfg_model *m,
			    const struct vxlan_bd_conf *bc,
			    const struct vxlan_mac_conf *mc,
			    const char **field, char *val, size_t len);
/** Why @p s cannot be a flood-list VTEP, or NULL. */
const char *vxlan_flood_check(const struct cfg_model *m, const char *s);

#endif /* FERRY_VXLAN_CHECK_H */
