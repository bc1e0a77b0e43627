/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "cryptodev" engine: DPDK's crypto_ipsec_mb PMDs used synchronously
 * (CPU crypto). In DPDK 22.11 vdev crypto_aesni_mb sets
 * RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO and covers every algorithm of
 * crypto_alg_table (AES-GCM, AES-CBC + HMAC-SHA1/SHA256, ChaCha20-
 * Poly1305, NULL + HMAC) through IPsec-MB's job API; vdev
 * crypto_aesni_gcm, when it can be made, takes the AES-GCM SAs through
 * IPsec-MB's GCM API (doc/ipsec.md has the A/B). Both keep one IMB_MGR
 * per lcore inside the PMD (DESIGN.md: IPsec-MB 1.3 scales badly with a
 * shared manager). No queue pair is used: librte_ipsec calls
 * rte_cryptodev_sym_cpu_crypto_process() on the worker itself.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_dev.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "crypto_engine.h"

/* two per SA for IPSEC_SA_MAX (16,384) SAs; 2^n - 1 suits rte_mempool */
#define CDEV_SESSIONS 32767

/*
 * The devices: crypto_aesni_mb takes every algorithm; crypto_aesni_gcm
 * (IPsec-MB's GCM API behind the same cryptodev interface) takes AES-GCM
 * SAs when present, since it skips the job manager.
 */
struct cdev {
	const char *name;
	int id;
	bool made;   /* we created the vdev (not given by --vdev) */
};

static struct cdev devs[] = {
	{ "crypto_aesni_mb", -1, false },  /* [0]: every algorithm */
	{ "crypto_aesni_gcm", -1, false }, /* [1]: AES-GCM */
};

static int dev_id = -1;   /* devs[0] */
static struct rte_mempool *ses_pool;

static int
cdev_open(struct cdev *d)
{
	struct rte_cryptodev_config conf = {
		.socket_id = (int)rte_socket_id(),
		.nb_queue_pairs = 1,
	};
	struct rte_cryptodev_info info;
	int rc;

	d->id = rte_cryptodev_get_dev_id(d->name);
	if (d->id < 0) {
		rc = rte_eal_hotplug_add("vdev", d->name, "");
		if (rc < 0)
			return rc;
		d->made = true;
		d->id = rte_cryptodev_get_dev_id(d->name);
		if (d->id < 0)
			return -ENODEV;
	}
	rte_cryptodev_info_get((uint8_t)d->id, &info);
	if (!(info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO))
		return -ENOTSUP;
	if (rte_cryptodev_configure((uint8_t)d->id, &conf) < 0)
		return -EIO;
	return 0;
}

static void
cdev_close(struct cdev *d)
{
	if (d->made)
		rte_eal_hotplug_remove("vdev", d->name);
	d->made = false;
	d->id = -1;
}

static int
cdev_init(void)
{
	unsigned int sz, i;
	int rc = cdev_open(&devs[0]);

	if (rc < 0)
		return rc;
	dev_id = devs[0].id;
	if (cdev_open(&devs[1]) < 0) /* optional: GCM then on devs[0] */
		cdev_close(&devs[1]);
	sz = 0;
	for (i = 0; i < RTE_DIM(devs); i++)
		if (devs[i].id >= 0)
			sz = RTE_MAX(sz, rte_cryptodev_sym_get_private_session_size(
					 (uint8_t)devs[i].id));
	ses_pool = rte_cryptodev_sym_session_pool_create("ferry_crypto_ses",
		CDEV_SESSIONS, sz, 0, 0, (int)rte_socket_id());
	return ses_pool == NULL ? -ENOMEM : 0;
}

static void
cdev_fini(void)
{
	unsigned int i;

	rte_mempool_free(ses_pool);
	ses_pool = NULL;
	for (i = 0; i < RTE_DIM(devs); i++)
		cdev_close(&devs[i]);
	dev_id = -1;
}

static bool
cdev_supports(enum crypto_alg alg)
{
	const struct crypto_alg_info *a = crypto_alg_get(alg);
	struct rte_cryptodev_sym_capability_idx idx = {};

	if (a == NULL || dev_id < 0)
		return false;
	if (a->aead) {
		idx.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		idx.algo.aead = a->aead_alg;
		return rte_cryptodev_sym_capability_get((uint8_t)dev_id,
							&idx) != NULL;
	}
	idx.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	idx.algo.cipher = a->cipher;
	if (rte_cryptodev_sym_capability_get((uint8_t)dev_id, &idx) == NULL)
		return false;
	idx.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	idx.algo.auth = a->auth;
	return rte_cryptodev_sym_capability_get((uint8_t)dev_id, &idx) != NULL;
}

static int
cdev_session_create(struct rte_crypto_sym_xform *x, struct crypto_session *s)
{
	int id = dev_id;

	if (id < 0)
		return -ENODEV;
	if (devs[1].id >= 0 && x->type == RTE_CRYPTO_SYM_XFORM_AEAD &&
	    x->aead.algo == RTE_CRYPTO_AEAD_AES_GCM)
		id = devs[1].id;
	s->ses = rte_cryptodev_sym_session_create((uint8_t)id, x, ses_pool);
	if (s->ses == NULL)
		return rte_errno == ENOMEM ? -ENOMEM : -ENOTSUP;
	s->dev_id = (uint8_t)id;
	s->action = RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO;
	return 0;
}

static void
cdev_session_free(struct crypto_session *s)
{
	if (s->ses == NULL)
		return;
	rte_cryptodev_sym_session_free(s->dev_id, s->ses);
	s->ses = NULL;
}

static uint32_t
cdev_process(const struct crypto_session *s, union rte_crypto_sym_ofs ofs,
	     struct rte_crypto_sym_vec *vec)
{
	return rte_cryptodev_sym_cpu_crypto_process(s->dev_id, s->ses, ofs,
						    vec);
}

const struct crypto_engine_ops crypto_cryptodev_engine = {
	.name = "cryptodev",
	.init = cdev_init,
	.fini = cdev_fini,
	.supports = cdev_supports,
	.session_create = cdev_session_create,
	.session_free = cdev_session_free,
	.process = cdev_process,
};
