/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The measurement behind doc/ipsec.md's engine choice: cycles per
 * operation of the crypto_ipsec_mb PMD in CPU-crypto mode (what
 * librte_ipsec drives) against Intel IPsec-MB's own AES-GCM API on one
 * IMB_MGR, for 64/512/1420-byte buffers, bursts of 32, on one lcore.
 * Not part of the build (a one-off tool):
 *   cc -O2 -DALLOW_EXPERIMENTAL_API scripts/bench/crypto_engine_bench.c \
 *      $(pkg-config --cflags --libs libdpdk) -lIPSec_MB -o /tmp/ceb
 *   /tmp/ceb --no-huge -m 512 --file-prefix ceb -l 1 --log-level=1 \
 *      --vdev crypto_aesni_mb
 */
#include <stdio.h>
#include <string.h>

#include <intel-ipsec-mb.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#define N_OPS 200000
#define BURST 32

static uint8_t buf[2048], dig[32], aad[16], iv[16], key[32] = { 1 };
static const int sizes[] = { 64, 512, 1420 };

static void
report(const char *what, int len, uint64_t cycles, uint32_t ops)
{
	double cyc = (double)cycles / ops;

	printf("%-40s %5d B: %6.0f cycles/op  %6.2f Mops\n", what, len, cyc,
	       rte_get_tsc_hz() / cyc / 1e6);
}

static void
cpu_crypto(uint8_t dev, void *ses, const char *what)
{
	struct rte_crypto_vec v[BURST];
	struct rte_crypto_sgl sg[BURST];
	struct rte_crypto_va_iova_ptr ivp[BURST], dg[BURST], ad[BURST];
	int32_t st[BURST];
	struct rte_crypto_sym_vec vec = { .num = BURST, .src_sgl = sg,
		.iv = ivp, .digest = dg, .aad = ad, .status = st };
	union rte_crypto_sym_ofs ofs = { .raw = 0 };
	unsigned int z, i;

	for (z = 0; z < RTE_DIM(sizes); z++) {
		uint64_t t;

		for (i = 0; i < BURST; i++) {
			v[i] = (struct rte_crypto_vec){ .base = buf,
							.len = sizes[z] };
			sg[i] = (struct rte_crypto_sgl){ .vec = &v[i], .num = 1 };
			ivp[i].va = iv;
			dg[i].va = dig;
			ad[i].va = aad;
		}
		t = rte_rdtsc();
		for (i = 0; i < N_OPS / BURST; i++)
			rte_cryptodev_sym_cpu_crypto_process(dev, ses, ofs, &vec);
		report(what, sizes[z], rte_rdtsc() - t, N_OPS / BURST * BURST);
	}
}

static void
direct_gcm(void)
{
	IMB_MGR *mgr = alloc_mb_mgr(0);
	struct gcm_key_data kd;
	struct gcm_context_data ctx;
	unsigned int z, i;

	init_mb_mgr_auto(mgr, NULL);
	IMB_AES128_GCM_PRE(mgr, key, &kd);
	for (z = 0; z < RTE_DIM(sizes); z++) {
		uint64_t t = rte_rdtsc();

		for (i = 0; i < N_OPS; i++)
			IMB_AES128_GCM_ENC(mgr, &kd, &ctx, buf, buf, sizes[z],
					   iv, aad, 8, dig, 16);
		report("IPsec-MB direct AES-GCM-128", sizes[z],
		       rte_rdtsc() - t, N_OPS);
	}
	free_mb_mgr(mgr);
}

int
main(int argc, char **argv)
{
	struct rte_crypto_sym_xform gcm = { .type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.aead = { .op = RTE_CRYPTO_AEAD_OP_ENCRYPT,
			  .algo = RTE_CRYPTO_AEAD_AES_GCM, .key = { key, 16 },
			  .iv = { 0, 12 }, .digest_length = 16,
			  .aad_length = 8 } };
	struct rte_crypto_sym_xform auth = { .type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.auth = { .op = RTE_CRYPTO_AUTH_OP_GENERATE,
			  .algo = RTE_CRYPTO_AUTH_SHA256_HMAC,
			  .key = { key, 32 }, .digest_length = 16 } };
	struct rte_crypto_sym_xform cbc = { .type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.next = &auth,
		.cipher = { .op = RTE_CRYPTO_CIPHER_OP_ENCRYPT,
			    .algo = RTE_CRYPTO_CIPHER_AES_CBC,
			    .key = { key, 16 }, .iv = { 0, 16 } } };
	struct rte_cryptodev_config conf = { .nb_queue_pairs = 1 };
	struct rte_cryptodev_info info;
	struct rte_mempool *mp;
	int dev;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	dev = rte_cryptodev_get_dev_id("crypto_aesni_mb");
	if (dev < 0 || rte_cryptodev_configure(dev, &conf) < 0)
		return 1;
	rte_cryptodev_info_get(dev, &info);
	printf("crypto_aesni_mb: RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO %s\n",
	       info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO ?
	       "yes" : "no");
	mp = rte_cryptodev_sym_session_pool_create("ceb", 8,
		rte_cryptodev_sym_get_private_session_size(dev), 0, 0, 0);
	cpu_crypto(dev, rte_cryptodev_sym_session_create(dev, &gcm, mp),
		   "cryptodev CPU crypto AES-GCM-128");
	cpu_crypto(dev, rte_cryptodev_sym_session_create(dev, &cbc, mp),
		   "cryptodev CPU crypto AES-CBC-128+SHA256");
	direct_gcm();
	return 0;
}
