/* SPDX-License-Identifier: BSD-3-Clause */
/* Log type user.ferry.port and its macro (control path only). */
#ifndef FERRY_PORT_LOG_H
#define FERRY_PORT_LOG_H

#include <rte_log.h>

extern int port_logtype;
#define PORT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, port_logtype, "port: " fmt "\n", ##__VA_ARGS__)

#endif
