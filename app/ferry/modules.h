/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libraries ferry runs, in dependency order (modules.c): a module's
 * setup may use what the modules before it made.
 */
#ifndef FERRY_MODULES_H
#define FERRY_MODULES_H

#include "module.h"

extern const struct ferry_module *const ferry_modules[];
extern const unsigned int ferry_n_modules;

#endif
