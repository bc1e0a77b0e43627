/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config sections ferry reads, in dependency order: a section's
 * check may read the sections before it. They are the sections of the
 * module records (app/ferry/modules.c), in list order; shared by the
 * binary and the tests that load real configurations.
 */
#ifndef FERRY_SECTIONS_H
#define FERRY_SECTIONS_H

#include "config.h"

/** The sections, in order (an array of ferry_section_count()). */
const struct cfg_section *const *ferry_section_list(void);

/** How many sections ferry_section_list() holds. */
unsigned int ferry_section_count(void);

#define ferry_sections ferry_section_list()
#define FERRY_N_SECTIONS ferry_section_count()

#endif
