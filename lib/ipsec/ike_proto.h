/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE socket protocol (version 1): how an IKE daemon's data-plane
 * plugin (drivers/strongswan/kernel-ferry) installs SAs and policies in
 * ferry. doc/ike.md is the reference; this header is its C form, pure C
 * (no EAL) so the unit tests run the parser on any bytes.
 *
 * Every message, either way, is a 12-byte header and a body, all
 * integers in network byte order:
 *   u32 length   whole message, header included (12..IKE_MSG_MAX)
 *   u16 version  IKE_PROTO_VERSION
 *   u8  type     enum ike_msg_type
 *   u8  flags    0 (reserved)
 *   u32 seq      request number, echoed by the reply; 0 in events
 * Requests go plugin -> ferry and get exactly one IKE_MSG_REPLY (status
 * 0 or -errno, then the request's answer); ferry sends IKE_MSG_EXPIRE
 * events unasked. A framing error closes the connection.
 */
#ifndef FERRY_IKE_PROTO_H
#define FERRY_IKE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PROTO_VERSION 1
#define IKE_HDR_LEN 12
#define IKE_MSG_MAX 512 /* the largest message, header included */
#define IKE_ALG_LEN 24	/* ferry's algorithm name, NUL padded */
#define IKE_KEY_MAX 36	/* cipher key + AEAD salt */
#define IKE_AUTH_KEY_MAX 64

/** Message types: name, number, fixed body length (-1 = variable: keys,
 * or the optional trailing if_id of policies, doc/ike.md). */
#define FOREACH_IKE_MSG(_)                                                     \
	_(HELLO, 1, 0)                                                         \
	_(GET_SPI, 2, 8)                                                       \
	_(ADD_SA, 3, -1)                                                       \
	_(UPDATE_SA, 4, 22)                                                    \
	_(QUERY_SA, 5, 5)                                                      \
	_(DEL_SA, 6, 5)                                                        \
	_(FLUSH_SAS, 7, 0)                                                     \
	_(ADD_POLICY, 8, -1)                                                   \
	_(QUERY_POLICY, 9, -1)                                                 \
	_(DEL_POLICY, 10, -1)                                                  \
	_(FLUSH_POLICIES, 11, 0)                                               \
	_(EXPIRE, 128, 10)                                                     \
	_(REPLY, 129, -1)

enum ike_msg_type {
#define _IKE_MSG_ENUM(e, num, len) IKE_MSG_##e = num,
	FOREACH_IKE_MSG(_IKE_MSG_ENUM)
#undef _IKE_MSG_ENUM
};

/** Why a connection was closed or a request refused (counted). */
#define FOREACH_IKE_ERR(_)                                                     \
	_(BAD_LENGTH, "bad-length", "length below the header's")               \
	_(OVERSIZED, "oversized", "length above IKE_MSG_MAX")                  \
	_(BAD_VERSION, "bad-version", "protocol version not 1")                \
	_(BAD_FLAGS, "bad-flags", "reserved flags set")                        \
	_(UNKNOWN_TYPE, "unknown-type", "no such request type")                \
	_(BAD_BODY, "bad-body", "body length or field out of range")           \
	_(CLOSED_MID_MESSAGE, "closed-mid-message",                            \
	  "peer closed with part of a message sent")                           \
	_(SEND_FAILED, "send-failed", "reply could not be sent whole")

enum ike_err {
	IKE_OK = 0,
#define _IKE_ERR_ENUM(e, name, doc) IKE_ERR_##e,
	FOREACH_IKE_ERR(_IKE_ERR_ENUM)
#undef _IKE_ERR_ENUM
		IKE_ERR_MAX
};

/** Name of @p e for counters and logs ("?" if unknown). */
const char *ike_err_name(enum ike_err e);

struct ike_hdr {
	uint32_t length;
	uint16_t version;
	uint8_t type, flags;
	uint32_t seq;
};

/**
 * Frame one message at the start of @p buf (@p n bytes received).
 * @return 0 if more bytes are needed, the message length if whole, or
 *         -enum ike_err (framing error: close the connection).
 */
int ike_frame(const uint8_t *buf, size_t n, struct ike_hdr *h);

/** Write header @p h into @p buf (IKE_HDR_LEN bytes). */
void ike_hdr_put(uint8_t *buf, const struct ike_hdr *h);

/** IKE_MSG_ADD_SA body (addresses host order). */
struct ike_add_sa {
	uint32_t spi, reqid;
	uint8_t dir;		/* 0 in, 1 out (enum ipsec_dir) */
	uint8_t esn, encap;	/* booleans */
	uint32_t local, remote; /* tunnel end points */
	uint16_t encap_sport, encap_dport;
	uint32_t replay_window;
	uint64_t soft_packets, hard_packets, soft_bytes, hard_bytes;
	char alg[IKE_ALG_LEN]; /* NUL terminated */
	uint8_t key_len, auth_key_len;
	uint8_t key[IKE_KEY_MAX], auth_key[IKE_AUTH_KEY_MAX];
	uint32_t if_id; /* optional trailing field; 0 = none */
};
#define IKE_ADD_SA_FIXED 85 /* body without the two keys */

/** IKE_MSG_UPDATE_SA: new end points and ESP-in-UDP ports of an SA
 * (host order); reqid 0 = whichever SA has the SPI. */
struct ike_update_sa {
	uint32_t spi;
	uint8_t dir;
	uint32_t local, remote;
	uint8_t encap;
	uint16_t encap_sport, encap_dport;
	uint32_t reqid;
};

/** IKE_MSG_QUERY_SA / IKE_MSG_DEL_SA. */
struct ike_sa_id {
	uint32_t spi;
	uint8_t dir;
};

/** IKE_MSG_ADD_POLICY / QUERY_POLICY / DEL_POLICY. */
struct ike_policy {
	uint32_t reqid;
	uint8_t dir, proto, src_len, dst_len;
	uint32_t src, dst; /* host order */
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	uint32_t priority;
	uint32_t if_id; /* optional trailing field; 0 = none */
};

/** IKE_MSG_EXPIRE (ferry -> plugin). */
struct ike_expire {
	uint32_t spi, reqid;
	uint8_t dir, hard;
};

/*
 * Body decoders: @p b / @p n is the body (after the header). Each checks
 * the exact length and every field's range. @return 0 or
 * -IKE_ERR_BAD_BODY.
 */
int ike_get_add_sa(const uint8_t *b, size_t n, struct ike_add_sa *m);
int ike_get_update_sa(const uint8_t *b, size_t n, struct ike_update_sa *m);
int ike_get_sa_id(const uint8_t *b, size_t n, struct ike_sa_id *m);
int ike_get_policy(const uint8_t *b, size_t n, struct ike_policy *m);
int ike_get_get_spi(const uint8_t *b, size_t n, uint32_t *src, uint32_t *dst);
int ike_get_expire(const uint8_t *b, size_t n, struct ike_expire *m);

/* Encoders (@p buf has IKE_MSG_MAX bytes); @return the message length. */
size_t ike_put_add_sa(uint8_t *buf, uint32_t seq, const struct ike_add_sa *m);
size_t ike_put_update_sa(uint8_t *buf, uint32_t seq,
			 const struct ike_update_sa *m);
size_t ike_put_policy(uint8_t *buf, uint8_t type, uint32_t seq,
		      const struct ike_policy *m);
size_t ike_put_sa_id(uint8_t *buf, uint8_t type, uint32_t seq,
		     const struct ike_sa_id *m);
size_t ike_put_expire(uint8_t *buf, const struct ike_expire *m);
/** A reply: status, then @p len bytes of @p payload. */
size_t ike_put_reply(uint8_t *buf, uint32_t seq, int32_t status,
		     const void *payload, size_t len);
/** A message of @p type with no body. */
size_t ike_put_empty(uint8_t *buf, uint8_t type, uint32_t seq);

#endif /* FERRY_IKE_PROTO_H */
