/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Algorithms as data: one row per ESP transform ferry offers, with the
 * sizes RFC 4106 (GCM), RFC 3602/2404/4868 (CBC + HMAC-SHA1-96 /
 * HMAC-SHA256-128), RFC 7634 (ChaCha20-Poly1305) and RFC 4303 2.4
 * (padding) give, and the cryptodev transforms each needs.
 */
#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "crypto_engine.h"

static const struct crypto_alg_info alg_table[CRYPTO_ALG_MAX] = {
	[CRYPTO_ALG_AES_GCM_128] = { "aes-gcm-128", true, .aead_alg =
		RTE_CRYPTO_AEAD_AES_GCM, .cipher_key_len = 16, .salt_len = 4,
		.icv_len = 16, .iv_len = 8, .block = 4 },
	[CRYPTO_ALG_AES_GCM_256] = { "aes-gcm-256", true, .aead_alg =
		RTE_CRYPTO_AEAD_AES_GCM, .cipher_key_len = 32, .salt_len = 4,
		.icv_len = 16, .iv_len = 8, .block = 4 },
	[CRYPTO_ALG_AES_CBC_128_SHA1] = { "aes-cbc-128-sha1", false,
		RTE_CRYPTO_CIPHER_AES_CBC, RTE_CRYPTO_AUTH_SHA1_HMAC,
		.cipher_key_len = 16, .auth_key_len = 20, .icv_len = 12,
		.iv_len = 16, .block = 16 },
	[CRYPTO_ALG_AES_CBC_256_SHA1] = { "aes-cbc-256-sha1", false,
		RTE_CRYPTO_CIPHER_AES_CBC, RTE_CRYPTO_AUTH_SHA1_HMAC,
		.cipher_key_len = 32, .auth_key_len = 20, .icv_len = 12,
		.iv_len = 16, .block = 16 },
	[CRYPTO_ALG_AES_CBC_128_SHA256] = { "aes-cbc-128-sha256", false,
		RTE_CRYPTO_CIPHER_AES_CBC, RTE_CRYPTO_AUTH_SHA256_HMAC,
		.cipher_key_len = 16, .auth_key_len = 32, .icv_len = 16,
		.iv_len = 16, .block = 16 },
	[CRYPTO_ALG_AES_CBC_256_SHA256] = { "aes-cbc-256-sha256", false,
		RTE_CRYPTO_CIPHER_AES_CBC, RTE_CRYPTO_AUTH_SHA256_HMAC,
		.cipher_key_len = 32, .auth_key_len = 32, .icv_len = 16,
		.iv_len = 16, .block = 16 },
	[CRYPTO_ALG_CHACHA20_POLY1305] = { "chacha20-poly1305", true,
		.aead_alg = RTE_CRYPTO_AEAD_CHACHA20_POLY1305,
		.cipher_key_len = 32, .salt_len = 4, .icv_len = 16,
		.iv_len = 8, .block = 4 },
	[CRYPTO_ALG_NULL_SHA256] = { "null-sha256", false,
		RTE_CRYPTO_CIPHER_NULL, RTE_CRYPTO_AUTH_SHA256_HMAC,
		.auth_key_len = 32, .icv_len = 16, .block = 4 },
};

const struct crypto_alg_info *
crypto_alg_get(enum crypto_alg alg)
{
	if ((unsigned int)alg >= CRYPTO_ALG_MAX)
		return NULL;
	return &alg_table[alg];
}

int
crypto_alg_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < CRYPTO_ALG_MAX; i++)
		if (strcmp(alg_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
xform_aead(const struct crypto_alg_info *a, const struct crypto_keys *k,
	   bool encrypt, uint16_t aad_len, struct rte_crypto_sym_xform *x)
{
	x->type = RTE_CRYPTO_SYM_XFORM_AEAD;
	x->aead.op = encrypt ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
			       RTE_CRYPTO_AEAD_OP_DECRYPT;
	x->aead.algo = a->aead_alg;
	x->aead.key.data = k->cipher;
	x->aead.key.length = a->cipher_key_len;
	x->aead.iv.length = 12; /* salt + 8-byte IV (RFC 4106 4, RFC 7634 2) */
	x->aead.digest_length = a->icv_len;
	x->aead.aad_length = aad_len;
}

static void
xform_cipher(const struct crypto_alg_info *a, const struct crypto_keys *k,
	     bool encrypt, struct rte_crypto_sym_xform *x)
{
	x->type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	x->cipher.op = encrypt ? RTE_CRYPTO_CIPHER_OP_ENCRYPT :
				 RTE_CRYPTO_CIPHER_OP_DECRYPT;
	x->cipher.algo = a->cipher;
	x->cipher.key.data = k->cipher;
	x->cipher.key.length = a->cipher_key_len;
	x->cipher.iv.length = a->cipher == RTE_CRYPTO_CIPHER_NULL ? 0 : 16;
}

static void
xform_auth(const struct crypto_alg_info *a, const struct crypto_keys *k,
	   bool encrypt, struct rte_crypto_sym_xform *x)
{
	x->type = RTE_CRYPTO_SYM_XFORM_AUTH;
	x->auth.op = encrypt ? RTE_CRYPTO_AUTH_OP_GENERATE :
			       RTE_CRYPTO_AUTH_OP_VERIFY;
	x->auth.algo = a->auth;
	x->auth.key.data = k->auth;
	x->auth.key.length = a->auth_key_len;
	x->auth.digest_length = a->icv_len;
}

int
crypto_alg_xform(enum crypto_alg alg, const struct crypto_keys *keys,
		 bool encrypt, uint16_t aad_len,
		 struct rte_crypto_sym_xform x[2])
{
	const struct crypto_alg_info *a = crypto_alg_get(alg);

	if (a == NULL || keys == NULL)
		return -EINVAL;
	memset(x, 0, 2 * sizeof(*x));
	if (a->aead) {
		xform_aead(a, keys, encrypt, aad_len, &x[0]);
		return 1;
	}
	/* ESP: encrypt then MAC on the way out, verify then decrypt in. */
	if (encrypt) {
		xform_cipher(a, keys, true, &x[0]);
		xform_auth(a, keys, true, &x[1]);
	} else {
		xform_auth(a, keys, false, &x[0]);
		xform_cipher(a, keys, false, &x[1]);
	}
	x[0].next = &x[1];
	return 2;
}
