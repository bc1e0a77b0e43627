/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config sections ferry reads, in dependency order: a section's
 * check may read the sections before it. Shared by the binary and the
 * running-config round-trip test.
 */
#ifndef FERRY_SECTIONS_H
#define FERRY_SECTIONS_H

#include "config.h"

#define FERRY_N_SECTIONS 11

extern const struct cfg_section *const ferry_sections[FERRY_N_SECTIONS];

#endif
