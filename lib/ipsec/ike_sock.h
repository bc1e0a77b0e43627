/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE socket server (lib/ipsec internal; doc/ike.md): management
 * lcore only.
 */
#ifndef FERRY_IKE_SOCK_H
#define FERRY_IKE_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "ike_proto.h"

struct ipsec_sa;

/** Listen on @p path (mode 0600; a stale file is replaced). 0/-errno. */
int ike_sock_open(const char *path);

/** Close every connection and the socket, remove its file. */
void ike_sock_close(void);

/** Accept, read and answer whatever is ready; never blocks. */
void ike_sock_poll(void);

/** Tell every connected plugin that IKE SA @p s passed its soft or
 *  @p hard limit (charon's expire callback). */
void ike_sock_expire(const struct ipsec_sa *s, bool hard);

/** Connections closed (or requests refused) for reason @p e. */
uint64_t ike_sock_errors(enum ike_err e);

#endif /* FERRY_IKE_SOCK_H */
