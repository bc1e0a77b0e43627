/* SPDX-License-Identifier: BSD-3-Clause */
/* Log type ferry.port and its macro (control path only). */
#ifndef FERRY_PORT_LOG_H
#define FERRY_PORT_LOG_H

#include <rte_log.h>
#include "ferry_log.h"

extern int port_logtype;
#define PORT_LOG(level, fmt, ...) \
	FERRY_LOG(port_logtype, port, level, fmt, ##__VA_ARGS__)

#endif
