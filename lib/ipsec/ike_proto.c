/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IKE socket protocol's framing and bodies (doc/ike.md), pure C.
 * Bodies are read through a cursor that refuses to pass the end, so a
 * short body is an error, never a read past the buffer.
 */
#include <string.h>

#include "ike_proto.h"

static const char *const err_names[] = {[IKE_OK] = "ok",
#define _IKE_ERR_NAME(e, name, doc) [IKE_ERR_##e] = name,
					FOREACH_IKE_ERR(_IKE_ERR_NAME)
#undef _IKE_ERR_NAME
};

const char *
ike_err_name(enum ike_err e)
{
	return (unsigned int)e < IKE_ERR_MAX ? err_names[e] : "?";
}

/* A read (or write) position in a body; ok turns 0 past the end. */
struct cur {
	uint8_t *p;
	const uint8_t *end;
	int ok;
};

static uint64_t
get_n(struct cur *c, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	if (!c->ok || (size_t)(c->end - c->p) < bytes) {
		c->ok = 0;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v = v << 8 | c->p[i];
	c->p += bytes;
	return v;
}

static void
put_n(struct cur *c, uint64_t v, unsigned int bytes)
{
	unsigned int i;

	if (!c->ok || (size_t)(c->end - c->p) < bytes) {
		c->ok = 0;
		return;
	}
	for (i = 0; i < bytes; i++)
		c->p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
	c->p += bytes;
}

static void
get_bytes(struct cur *c, void *out, size_t len)
{
	if (!c->ok || (size_t)(c->end - c->p) < len) {
		c->ok = 0;
		return;
	}
	memcpy(out, c->p, len);
	c->p += len;
}

static void
put_bytes(struct cur *c, const void *in, size_t len)
{
	if (!c->ok || (size_t)(c->end - c->p) < len) {
		c->ok = 0;
		return;
	}
	memcpy(c->p, in, len);
	c->p += len;
}

static struct cur
cur_in(const uint8_t *b, size_t n)
{
	struct cur c = {(uint8_t *)(uintptr_t)b, b + n, 1};

	return c;
}

/* The whole body read, nothing left over. */
static int
cur_done(const struct cur *c)
{
	return c->ok && c->p == c->end ? 0 : -IKE_ERR_BAD_BODY;
}

/* The optional trailing u32 if_id (doc/ike.md): 0 when absent. */
static uint32_t
get_if_id(struct cur *c)
{
	return c->ok && c->end - c->p == 4 ? (uint32_t)get_n(c, 4) : 0;
}

/* Written only when set, so a message without one is what a ferry
 * before if_ids reads (and one with one fails closed there). */
static void
put_if_id(struct cur *c, uint32_t if_id)
{
	if (if_id != 0)
		put_n(c, if_id, 4);
}

/*
 * The fixed fields of each body, in wire order: one list drives both
 * the decoder and the encoder, so they cannot disagree.
 */
#define FOREACH_ADD_SA_FIELD(_)                                                \
	_(spi, 4)                                                              \
	_(reqid, 4)                                                            \
	_(dir, 1)                                                              \
	_(esn, 1)                                                              \
	_(encap, 1)                                                            \
	_(local, 4)                                                            \
	_(remote, 4)                                                           \
	_(encap_sport, 2)                                                      \
	_(encap_dport, 2)                                                      \
	_(replay_window, 4)                                                    \
	_(soft_packets, 8)                                                     \
	_(hard_packets, 8)                                                     \
	_(soft_bytes, 8)                                                       \
	_(hard_bytes, 8)
#define FOREACH_UPDATE_SA_FIELD(_)                                             \
	_(spi, 4)                                                              \
	_(dir, 1)                                                              \
	_(local, 4)                                                            \
	_(remote, 4)                                                           \
	_(encap, 1)                                                            \
	_(encap_sport, 2)                                                      \
	_(encap_dport, 2)                                                      \
	_(reqid, 4)
#define FOREACH_SA_ID_FIELD(_)                                                 \
	_(spi, 4)                                                              \
	_(dir, 1)
#define FOREACH_POLICY_FIELD(_)                                                \
	_(reqid, 4)                                                            \
	_(dir, 1)                                                              \
	_(proto, 1)                                                            \
	_(src_len, 1)                                                          \
	_(dst_len, 1)                                                          \
	_(src, 4)                                                              \
	_(dst, 4)                                                              \
	_(sport_lo, 2)                                                         \
	_(sport_hi, 2)                                                         \
	_(dport_lo, 2)                                                         \
	_(dport_hi, 2)                                                         \
	_(priority, 4)
#define FOREACH_HDR_FIELD(_)                                                   \
	_(length, 4)                                                           \
	_(version, 2)                                                          \
	_(type, 1)                                                             \
	_(flags, 1)                                                            \
	_(seq, 4)
#define FOREACH_EXPIRE_FIELD(_)                                                \
	_(spi, 4)                                                              \
	_(reqid, 4)                                                            \
	_(dir, 1)                                                              \
	_(hard, 1)

/* m->f = the next @p n bytes; put the same field back. */
#define GET_FIELD(f, n) m->f = (__typeof__(m->f))get_n(&c, n);
#define PUT_FIELD(f, n) put_n(&c, m->f, n);

int
ike_frame(const uint8_t *buf, size_t n, struct ike_hdr *h)
{
	struct cur c = cur_in(buf, n);
	struct ike_hdr *m = h;

	if (n < IKE_HDR_LEN)
		return 0;
	FOREACH_HDR_FIELD(GET_FIELD)
	if (h->length < IKE_HDR_LEN)
		return -IKE_ERR_BAD_LENGTH;
	if (h->length > IKE_MSG_MAX)
		return -IKE_ERR_OVERSIZED;
	if (h->version != IKE_PROTO_VERSION)
		return -IKE_ERR_BAD_VERSION;
	if (h->flags != 0)
		return -IKE_ERR_BAD_FLAGS;
	return n < h->length ? 0 : (int)h->length;
}

void
ike_hdr_put(uint8_t *buf, const struct ike_hdr *m)
{
	struct cur c = {buf, buf + IKE_HDR_LEN, 1};

	FOREACH_HDR_FIELD(PUT_FIELD)
}

/* A direction byte: 0 in, 1 out. */
static int
dir_ok(uint8_t d)
{
	return d <= 1;
}

int
ike_get_add_sa(const uint8_t *b, size_t n, struct ike_add_sa *m)
{
	struct cur c = cur_in(b, n);

	memset(m, 0, sizeof(*m));
	FOREACH_ADD_SA_FIELD(GET_FIELD)
	get_bytes(&c, m->alg, IKE_ALG_LEN);
	m->key_len = (uint8_t)get_n(&c, 1);
	m->auth_key_len = (uint8_t)get_n(&c, 1);
	if (!c.ok || m->key_len > IKE_KEY_MAX ||
	    m->auth_key_len > IKE_AUTH_KEY_MAX || !dir_ok(m->dir) ||
	    m->esn > 1 || m->encap > 1 || m->reqid == 0 || m->spi < 256 ||
	    memchr(m->alg, '\0', IKE_ALG_LEN) == NULL)
		return -IKE_ERR_BAD_BODY;
	get_bytes(&c, m->key, m->key_len);
	get_bytes(&c, m->auth_key, m->auth_key_len);
	m->if_id = get_if_id(&c);
	return cur_done(&c);
}

int
ike_get_update_sa(const uint8_t *b, size_t n, struct ike_update_sa *m)
{
	struct cur c = cur_in(b, n);

	FOREACH_UPDATE_SA_FIELD(GET_FIELD)
	if (!dir_ok(m->dir) || m->encap > 1)
		return -IKE_ERR_BAD_BODY;
	return cur_done(&c);
}

int
ike_get_sa_id(const uint8_t *b, size_t n, struct ike_sa_id *m)
{
	struct cur c = cur_in(b, n);

	FOREACH_SA_ID_FIELD(GET_FIELD)
	return dir_ok(m->dir) ? cur_done(&c) : -IKE_ERR_BAD_BODY;
}

int
ike_get_policy(const uint8_t *b, size_t n, struct ike_policy *m)
{
	struct cur c = cur_in(b, n);

	FOREACH_POLICY_FIELD(GET_FIELD)
	m->if_id = get_if_id(&c);
	if (!dir_ok(m->dir) || m->src_len > 32 || m->dst_len > 32 ||
	    m->sport_lo > m->sport_hi || m->dport_lo > m->dport_hi)
		return -IKE_ERR_BAD_BODY;
	return cur_done(&c);
}

int
ike_get_get_spi(const uint8_t *b, size_t n, uint32_t *src, uint32_t *dst)
{
	struct cur c = cur_in(b, n);

	*src = (uint32_t)get_n(&c, 4);
	*dst = (uint32_t)get_n(&c, 4);
	return cur_done(&c);
}

int
ike_get_expire(const uint8_t *b, size_t n, struct ike_expire *m)
{
	struct cur c = cur_in(b, n);

	FOREACH_EXPIRE_FIELD(GET_FIELD)
	return dir_ok(m->dir) && m->hard <= 1 ? cur_done(&c)
					      : -IKE_ERR_BAD_BODY;
}

/* Start a message of @p type in @p buf: the cursor is at the body. */
static struct cur
msg_begin(uint8_t *buf)
{
	struct cur c = {buf + IKE_HDR_LEN, buf + IKE_MSG_MAX, 1};

	return c;
}

/* Write the header now that the body's end is known. */
static size_t
msg_end(uint8_t *buf, const struct cur *c, uint8_t type, uint32_t seq)
{
	struct ike_hdr h = {
		.length = (uint32_t)(c->p - buf),
		.version = IKE_PROTO_VERSION,
		.type = type,
		.seq = seq,
	};

	if (!c->ok)
		return 0;
	ike_hdr_put(buf, &h);
	return h.length;
}

size_t
ike_put_add_sa(uint8_t *buf, uint32_t seq, const struct ike_add_sa *m)
{
	struct cur c = msg_begin(buf);

	FOREACH_ADD_SA_FIELD(PUT_FIELD)
	put_bytes(&c, m->alg, IKE_ALG_LEN);
	put_n(&c, m->key_len, 1);
	put_n(&c, m->auth_key_len, 1);
	put_bytes(&c, m->key, m->key_len);
	put_bytes(&c, m->auth_key, m->auth_key_len);
	put_if_id(&c, m->if_id);
	return msg_end(buf, &c, IKE_MSG_ADD_SA, seq);
}

size_t
ike_put_update_sa(uint8_t *buf, uint32_t seq, const struct ike_update_sa *m)
{
	struct cur c = msg_begin(buf);

	FOREACH_UPDATE_SA_FIELD(PUT_FIELD)
	return msg_end(buf, &c, IKE_MSG_UPDATE_SA, seq);
}

size_t
ike_put_policy(uint8_t *buf, uint8_t type, uint32_t seq,
	       const struct ike_policy *m)
{
	struct cur c = msg_begin(buf);

	FOREACH_POLICY_FIELD(PUT_FIELD)
	put_if_id(&c, m->if_id);
	return msg_end(buf, &c, type, seq);
}

size_t
ike_put_sa_id(uint8_t *buf, uint8_t type, uint32_t seq,
	      const struct ike_sa_id *m)
{
	struct cur c = msg_begin(buf);

	FOREACH_SA_ID_FIELD(PUT_FIELD)
	return msg_end(buf, &c, type, seq);
}

size_t
ike_put_expire(uint8_t *buf, const struct ike_expire *m)
{
	struct cur c = msg_begin(buf);

	FOREACH_EXPIRE_FIELD(PUT_FIELD)
	return msg_end(buf, &c, IKE_MSG_EXPIRE, 0);
}

size_t
ike_put_reply(uint8_t *buf, uint32_t seq, int32_t status, const void *payload,
	      size_t len)
{
	struct cur c = msg_begin(buf);

	put_n(&c, (uint32_t)status, 4);
	put_bytes(&c, payload, len);
	return msg_end(buf, &c, IKE_MSG_REPLY, seq);
}

size_t
ike_put_empty(uint8_t *buf, uint8_t type, uint32_t seq)
{
	struct cur c = msg_begin(buf);

	return msg_end(buf, &c, type, seq);
}
