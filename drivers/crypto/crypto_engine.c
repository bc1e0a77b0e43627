/* SPDX-License-Identifier: BSD-3-Clause */
/* Engine registry: the engines ferry is built with, and the one in use. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "crypto_engine.h"

extern const struct crypto_engine_ops crypto_cryptodev_engine;

static const struct crypto_engine_ops *const engines[] = {
	&crypto_cryptodev_engine, /* the default */
};

static const struct crypto_engine_ops *current;

const struct crypto_engine_ops *
crypto_engine_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(engines); i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

const struct crypto_engine_ops *
crypto_engine(void)
{
	return current;
}

int
crypto_engine_init(const char *name)
{
	const struct crypto_engine_ops *e =
		name == NULL ? engines[0] : crypto_engine_find(name);
	int rc;

	if (e == NULL)
		return -ENOENT;
	if (current == e)
		return 0;
	if (current != NULL)
		return -EBUSY;
	rc = e->init();
	if (rc == 0)
		current = e;
	return rc;
}

void
crypto_engine_fini(void)
{
	if (current != NULL)
		current->fini();
	current = NULL;
}
