/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The crypto engine contract: the one interface lib/ipsec uses to turn
 * an algorithm and its keys into something that encrypts, decrypts and
 * authenticates packets. ESP framing (headers, sequence numbers,
 * padding, anti-replay, ESN) is not here: lib/ipsec leaves it to DPDK's
 * librte_ipsec, which drives a cryptodev session synchronously
 * (RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO, rte_cryptodev_sym_cpu_crypto_process).
 * An engine therefore hands out cryptodev sessions plus a synchronous
 * "process a vector" entry for callers that frame buffers themselves
 * (the known-answer tests).
 *
 * Engines (struct crypto_engine_ops):
 *   - "cryptodev": DPDK's crypto_ipsec_mb PMDs (vdevs crypto_aesni_mb,
 *     and crypto_aesni_gcm for AES-GCM; Intel IPsec-MB underneath) in
 *     CPU-crypto mode. The default.
 *   A hardware lookaside cryptodev (QAT) would be a second engine whose
 *   sessions carry RTE_SECURITY_ACTION_TYPE_NONE; lib/ipsec would then
 *   enqueue/dequeue crypto ops instead of calling the CPU path.
 *
 * Life cycle: crypto_engine_init() once on the management lcore after
 * rte_eal_init() (it creates the vdevs); sessions are created and freed
 * on the management lcore; process() runs on any lcore, concurrently on
 * one session (CPU-crypto sessions of crypto_ipsec_mb are read-only
 * during processing: each lcore has its own IMB_MGR inside the PMD).
 * crypto_engine_fini() after every session is freed.
 *
 * Return codes: control functions 0 or -errno; process() the number of
 * elements that succeeded, with a per-element status (0 or -EBADMSG on
 * a failed ICV check).
 */
#ifndef FERRY_CRYPTO_ENGINE_H
#define FERRY_CRYPTO_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_crypto_sym.h>
#include <rte_security.h>

/** Algorithms ferry offers (ESP transforms). */
#define FOREACH_CRYPTO_ALG(_)                       \
	_(AES_GCM_128, "aes-gcm-128")               \
	_(AES_GCM_256, "aes-gcm-256")               \
	_(AES_CBC_128_SHA1, "aes-cbc-128-sha1")     \
	_(AES_CBC_256_SHA1, "aes-cbc-256-sha1")     \
	_(AES_CBC_128_SHA256, "aes-cbc-128-sha256") \
	_(AES_CBC_256_SHA256, "aes-cbc-256-sha256") \
	_(CHACHA20_POLY1305, "chacha20-poly1305")   \
	_(NULL_SHA256, "null-sha256")

enum crypto_alg {
#define _ALG_ENUM(e, name) CRYPTO_ALG_##e,
	FOREACH_CRYPTO_ALG(_ALG_ENUM)
#undef _ALG_ENUM
	CRYPTO_ALG_MAX
};

/** What an algorithm needs and produces: a row of crypto_alg_table. */
struct crypto_alg_info {
	const char *name;
	bool aead;               /**< one AEAD transform (GCM, ChaCha) */
	enum rte_crypto_cipher_algorithm cipher; /**< !aead */
	enum rte_crypto_auth_algorithm auth;     /**< !aead */
	enum rte_crypto_aead_algorithm aead_alg; /**< aead */
	uint8_t cipher_key_len;  /**< bytes (AEAD key for aead) */
	uint8_t salt_len;        /**< bytes after the key (RFC 4106/7634) */
	uint8_t auth_key_len;    /**< HMAC key bytes; 0 for AEAD */
	uint8_t icv_len;         /**< truncated ICV bytes in ESP */
	uint8_t iv_len;          /**< IV bytes carried in ESP */
	uint8_t block;           /**< padding alignment (RFC 4303 2.4) */
};

/** The row of @p alg, or NULL if out of range. */
const struct crypto_alg_info *crypto_alg_get(enum crypto_alg alg);

/** Algorithm by its name ("aes-gcm-128"), or -1. */
int crypto_alg_find(const char *name);

/** Keys of one direction of an SA. */
struct crypto_keys {
	uint8_t cipher[32 + 4]; /**< cipher/AEAD key, then the salt */
	uint8_t auth[64];       /**< HMAC key */
};

/**
 * Fill @p x (two transforms for cipher+auth, chained; one for AEAD) for
 * @p alg. Encrypt/generate when @p encrypt, else verify/decrypt with the
 * order ESP needs (auth then cipher on decrypt). The IV offset is 0: the
 * CPU-crypto vector carries the IV pointer. @p keys must outlive the
 * session creation.
 * @return number of transforms used (1 or 2), or -EINVAL.
 */
int crypto_alg_xform(enum crypto_alg alg, const struct crypto_keys *keys,
		     bool encrypt, uint16_t aad_len,
		     struct rte_crypto_sym_xform x[2]);

/** A session on an engine, as librte_ipsec wants it. */
struct crypto_session {
	void *ses;        /**< rte_cryptodev_sym_session */
	uint8_t dev_id;   /**< the cryptodev it belongs to */
	enum rte_security_session_action_type action; /**< CPU_CRYPTO */
};

/** An engine. All members are required. */
struct crypto_engine_ops {
	const char *name;
	/** Create the device(s). Management lcore, once. 0 or -errno. */
	int (*init)(void);
	/** Free the device(s); no session may be left. */
	void (*fini)(void);
	/** Whether @p alg is available on this engine. */
	bool (*supports)(enum crypto_alg alg);
	/** Session for transforms @p x. 0 or -errno (-ENOTSUP, -ENOMEM). */
	int (*session_create)(struct rte_crypto_sym_xform *x,
			      struct crypto_session *s);
	/** Free a session (NULL ses does nothing). Management lcore,
	 *  after an RCU grace period if workers could still use it. */
	void (*session_free)(struct crypto_session *s);
	/** Synchronous crypto on @p vec; any lcore. Returns successes. */
	uint32_t (*process)(const struct crypto_session *s,
			    union rte_crypto_sym_ofs ofs,
			    struct rte_crypto_sym_vec *vec);
};

/** The engine called @p name ("cryptodev"), or NULL. */
const struct crypto_engine_ops *crypto_engine_find(const char *name);

/** The engine in use (set by crypto_engine_init), or NULL. */
const struct crypto_engine_ops *crypto_engine(void);

/**
 * Select and initialise engine @p name (NULL: the default). Idempotent
 * for the same engine. @return 0 or -errno (-ENOENT unknown engine).
 */
int crypto_engine_init(const char *name);

/** Undo crypto_engine_init(). */
void crypto_engine_fini(void);

#endif /* FERRY_CRYPTO_ENGINE_H */
