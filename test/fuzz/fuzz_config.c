/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the config loader with every section ferry reads.
 * Any text must give a model or errors, never a crash, a leak or
 * undefined behaviour; a model that loads must print (cfg_write) to text
 * that loads again to an equal model.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sections.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const struct cfg_model *m)
{
	struct cfg_model *again = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return;
	if (cfg_write(f, m) != 0)
		abort();
	fclose(f);
	if (cfg_load_string("rewritten", text, ferry_sections,
			    FERRY_N_SECTIONS, &again, NULL) != 0 ||
	    !cfg_model_equal(m, again))
		abort(); /* the running config must load back as it was */
	cfg_model_free(again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_diag diag = { 0 };
	struct cfg_model *m = NULL;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cfg_load_string("fuzz.cfg", text, ferry_sections,
			    FERRY_N_SECTIONS, &m, &diag) == 0)
		round_trip(m);
	cfg_model_free(m);
	cfg_diag_free(&diag);
	free(text);
	return 0;
}
