/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer tests of the crypto engine (drivers/crypto), through its
 * ops only, with published vectors:
 *   - AES-GCM: "The Galois/Counter Mode of Operation" (McGrew, Viega),
 *     test cases 3, 4 and 16, the vectors RFC 4106 implementations use;
 *   - AES-CBC: RFC 3602 section 4, cases 1 and 2;
 *   - HMAC-SHA1: RFC 2202 section 3, cases 1 and 2 (96-bit ICV);
 *   - HMAC-SHA256: RFC 4231 section 4, cases 1 and 2 (128-bit ICV);
 *   - ChaCha20-Poly1305: RFC 8439 section 2.8.2 (the AEAD of RFC 7634).
 * Each is run to encrypt/generate, then back to decrypt/verify, and a
 * flipped tag must fail verification. EAL without hugepages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto_engine.h"
#include "eal_test.h"

static const struct crypto_engine_ops *eng;

static size_t
unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2, i;

	for (i = 0; i < n; i++)
		sscanf(h + 2 * i, "%2hhx", &out[i]);
	return n;
}

/* One element through engine->process(); @return its status. */
static int
run_one(const struct crypto_session *s, union rte_crypto_sym_ofs ofs,
	uint8_t *buf, uint32_t len, uint8_t *iv, uint8_t *aad, uint8_t *dig)
{
	struct rte_crypto_vec v = { .base = buf, .len = len };
	struct rte_crypto_sgl sgl = { .vec = &v, .num = 1 };
	struct rte_crypto_va_iova_ptr ivp = { .va = iv }, ad = { .va = aad },
		dg = { .va = dig };
	int32_t st = -1;
	struct rte_crypto_sym_vec vec = {
		.num = 1, .src_sgl = &sgl, .iv = &ivp, .digest = &dg,
		.aad = &ad, .status = &st,
	};

	eng->process(s, ofs, &vec);
	return st;
}

struct aead_kat {
	enum rte_crypto_aead_algorithm alg;
	const char *key, *iv, *aad, *pt, *ct, *tag;
};

static const struct aead_kat aead_kats[] = {
	{ RTE_CRYPTO_AEAD_AES_GCM, "feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888", "",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ RTE_CRYPTO_AEAD_AES_GCM, "feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ RTE_CRYPTO_AEAD_AES_GCM,
	  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
	{ RTE_CRYPTO_AEAD_CHACHA20_POLY1305,
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
	  "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
	  /* "Ladies and Gentlemen of the class of '99: ..." */
	  "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
	  "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
	  "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
	  "637265656e20776f756c642062652069742e",
	  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	  "3ff4def08e4b7a9de576d26586cec64b6116",
	  "1ae10b594f09e26a7e902ecbd0600691" },
};

static int
aead_session(const struct aead_kat *k, bool enc, uint8_t *key,
	     uint16_t aad_len, struct crypto_session *s)
{
	struct rte_crypto_sym_xform x = { .type = RTE_CRYPTO_SYM_XFORM_AEAD };

	x.aead.op = enc ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
			  RTE_CRYPTO_AEAD_OP_DECRYPT;
	x.aead.algo = k->alg;
	x.aead.key.data = key;
	x.aead.key.length = (uint16_t)unhex(k->key, key);
	x.aead.iv.length = 12;
	x.aead.digest_length = 16;
	x.aead.aad_length = aad_len;
	return eng->session_create(&x, s);
}

static void
test_aead(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(aead_kats) / sizeof(aead_kats[0]); i++) {
		const struct aead_kat *k = &aead_kats[i];
		uint8_t key[32], iv[16], aad[32], buf[256], ct[256], tag[16];
		uint8_t dig[16];
		uint16_t aad_len = (uint16_t)unhex(k->aad, aad);
		uint32_t len = (uint32_t)unhex(k->pt, buf);
		struct crypto_session enc = {}, dec = {};
		union rte_crypto_sym_ofs ofs = { .raw = 0 };

		unhex(k->ct, ct);
		unhex(k->tag, tag);
		unhex(k->iv, iv);
		assert_int_equal(aead_session(k, true, key, aad_len, &enc), 0);
		assert_int_equal(aead_session(k, false, key, aad_len, &dec), 0);
		assert_int_equal(run_one(&enc, ofs, buf, len, iv, aad, dig), 0);
		assert_memory_equal(buf, ct, len);
		assert_memory_equal(dig, tag, 16);
		assert_int_equal(run_one(&dec, ofs, buf, len, iv, aad, dig), 0);
		unhex(k->pt, ct);
		assert_memory_equal(buf, ct, len);
		/* a tag off by one bit must not verify */
		unhex(k->ct, buf);
		dig[0] ^= 1;
		assert_int_not_equal(run_one(&dec, ofs, buf, len, iv, aad, dig),
				     0);
		eng->session_free(&enc);
		eng->session_free(&dec);
	}
}

struct cbc_kat {
	const char *key, *iv, *pt, *ct;
};

static const struct cbc_kat cbc_kats[] = {
	{ "06a9214036b8a15b512e03d534120006",
	  "3dafba429d9eb430b422da802c9fac41",
	  "53696e676c6520626c6f636b206d7367", /* "Single block msg" */
	  "e353779c1079aeb82708942dbe77181a" },
	{ "c286696d887c9aa0611bbb3e2025a45a",
	  "562e17996d093d28ddb3ba695a2e6f58",
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
};

static void
test_aes_cbc(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cbc_kats) / sizeof(cbc_kats[0]); i++) {
		const struct cbc_kat *k = &cbc_kats[i];
		uint8_t key[16], iv[16], buf[64], ct[64];
		struct rte_crypto_sym_xform x = {
			.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		};
		struct crypto_session s = {};
		union rte_crypto_sym_ofs ofs = { .raw = 0 };
		uint32_t len = (uint32_t)unhex(k->pt, buf);
		int op;

		unhex(k->ct, ct);
		x.cipher.algo = RTE_CRYPTO_CIPHER_AES_CBC;
		x.cipher.key.data = key;
		x.cipher.key.length = (uint16_t)unhex(k->key, key);
		x.cipher.iv.length = 16;
		for (op = 0; op < 2; op++) {
			x.cipher.op = op == 0 ? RTE_CRYPTO_CIPHER_OP_ENCRYPT :
						RTE_CRYPTO_CIPHER_OP_DECRYPT;
			unhex(k->iv, iv);
			assert_int_equal(eng->session_create(&x, &s), 0);
			assert_int_equal(run_one(&s, ofs, buf, len, iv, NULL,
						 NULL), 0);
			unhex(op == 0 ? k->ct : k->pt, ct);
			assert_memory_equal(buf, ct, len);
			eng->session_free(&s);
		}
	}
}

struct hmac_kat {
	enum rte_crypto_auth_algorithm alg;
	const char *key, *data, *mac;
	uint16_t icv; /* ESP truncation: 12 (SHA1-96) or 16 (SHA256-128) */
};

static const struct hmac_kat hmac_kats[] = {
	{ RTE_CRYPTO_AUTH_SHA1_HMAC, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "4869205468657265", "b617318655057264e28bc0b6fb378c8ef146be00", 12 },
	{ RTE_CRYPTO_AUTH_SHA1_HMAC, "4a656665",
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", 12 },
	{ RTE_CRYPTO_AUTH_SHA256_HMAC,
	  "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	  16 },
	{ RTE_CRYPTO_AUTH_SHA256_HMAC, "4a656665",
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	  16 },
};

static void
test_hmac(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(hmac_kats) / sizeof(hmac_kats[0]); i++) {
		const struct hmac_kat *k = &hmac_kats[i];
		uint8_t key[64], data[64], mac[32], dig[32];
		struct rte_crypto_sym_xform x = {
			.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		};
		struct crypto_session gen = {}, ver = {};
		union rte_crypto_sym_ofs ofs = { .raw = 0 };
		uint32_t len = (uint32_t)unhex(k->data, data);

		unhex(k->mac, mac);
		x.auth.algo = k->alg;
		x.auth.key.data = key;
		x.auth.key.length = (uint16_t)unhex(k->key, key);
		x.auth.digest_length = k->icv;
		x.auth.op = RTE_CRYPTO_AUTH_OP_GENERATE;
		assert_int_equal(eng->session_create(&x, &gen), 0);
		x.auth.op = RTE_CRYPTO_AUTH_OP_VERIFY;
		assert_int_equal(eng->session_create(&x, &ver), 0);
		assert_int_equal(run_one(&gen, ofs, data, len, NULL, NULL,
					 dig), 0);
		assert_memory_equal(dig, mac, k->icv);
		assert_int_equal(run_one(&ver, ofs, data, len, NULL, NULL,
					 dig), 0);
		dig[k->icv - 1] ^= 0x80;
		assert_int_not_equal(run_one(&ver, ofs, data, len, NULL, NULL,
					     dig), 0);
		eng->session_free(&gen);
		eng->session_free(&ver);
	}
}

/* Every algorithm of the table has transforms the engine takes. */
static void
test_alg_table(void **state)
{
	struct crypto_keys keys = {};
	struct rte_crypto_sym_xform x[2];
	unsigned int i;

	(void)state;
	for (i = 0; i < CRYPTO_ALG_MAX; i++) {
		const struct crypto_alg_info *a = crypto_alg_get(i);
		struct crypto_session s = {};
		int enc;

		assert_non_null(a);
		assert_int_equal(crypto_alg_find(a->name), (int)i);
		assert_true(eng->supports(i));
		for (enc = 0; enc < 2; enc++) {
			int n = crypto_alg_xform(i, &keys, enc, a->aead ? 8 : 0,
						 x);

			assert_int_equal(n, a->aead ? 1 : 2);
			assert_int_equal(eng->session_create(x, &s), 0);
			eng->session_free(&s);
		}
	}
	assert_int_equal(crypto_alg_find("aes-gcm-512"), -1);
	assert_null(crypto_alg_get(CRYPTO_ALG_MAX));
}

static int
setup(void **state)
{
	(void)state;
	if (eal_test_start("test_crypto_kat", NULL, 0) < 0)
		return -1;
	if (crypto_engine_init(NULL) < 0)
		return -1;
	eng = crypto_engine();
	return eng == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	crypto_engine_fini();
	eal_test_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aead),
		cmocka_unit_test(test_aes_cbc),
		cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_alg_table),
	};

	return cmocka_run_group_tests_name("crypto_kat", tests, setup,
					   teardown);
}
