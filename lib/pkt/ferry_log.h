/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One log type per library, named as DPDK names its own ("lib.fib",
 * "pmd.net.ixgbe"): "ferry.<lib>", e.g. ferry.route, ferry.ipsec. EAL's
 * --log-level takes them by name or pattern:
 *   ferry -c FILE -- --log-level=ferry.route:debug
 *   ferry -c FILE -- --log-level='ferry.*:info'
 * (or eal.log_level in the file). Every line starts with the library's
 * name, so the journal says who spoke.
 *
 * A library registers its type once, in one of its .c files:
 *   FERRY_LOG_REGISTER(route_logtype, route, NOTICE);
 * and defines its macro from the shared one, in its <lib>_priv.h:
 *   extern int route_logtype;
 *   #define ROUTE_LOG(level, fmt, ...) \
 *           FERRY_LOG(route_logtype, route, level, fmt, ##__VA_ARGS__)
 *
 * The control path logs; the fast path counts (see drop_reasons.h).
 */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

#include <rte_common.h>
#include <rte_log.h>

/** Prefix of every ferry log type. */
#define FERRY_LOG_PREFIX "ferry."

/** Define int @p type, registered at start-up as "ferry.<lib>" with
 *  default level RTE_LOG_<level>. */
#define FERRY_LOG_REGISTER(type, lib, level) \
	RTE_LOG_REGISTER_IMPL(type, FERRY_LOG_PREFIX RTE_STR(lib), level)

/** Log "<lib>: <fmt>\n" at RTE_LOG_<level> under @p type. */
#define FERRY_LOG(type, lib, level, fmt, ...) \
	rte_log(RTE_LOG_##level, type, RTE_STR(lib) ": " fmt "\n", \
		##__VA_ARGS__)

#endif /* FERRY_LOG_H */
