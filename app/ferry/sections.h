/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config sections ferry reads, in dependency order: a section's
 * check may read the sections before it. Shared by the binary and the
 * running-config round-trip test.
 */
#ifndef FERRY_SECTIONS_H
#define FERRY_SECTIONS_H

#include "config.h"

/* The list's length follows from the list (sections.c). */
extern const struct cfg_section *const ferry_sections[];
extern const unsigned int ferry_n_sections;
#define FERRY_N_SECTIONS ferry_n_sections

#endif
