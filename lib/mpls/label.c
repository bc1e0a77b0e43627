/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Label stacks in text, as the config file and the CLI write them
 * ("16001/24005", "implicit-null"). Pure C like label.h: the loader's
 * checks, the CLI and the unit tests share this one parser, so a stack
 * means the same wherever it is typed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "label.h"

#define IMPLICIT_NULL_TEXT "implicit-null"

/* One decimal label at *sp, no sign, no leading zero; 1 past the max is
 * enough to know it is too big. */
static int
label_parse(const char **sp, uint32_t *label)
{
	const char *s = *sp;
	uint32_t v = 0;
	size_t n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		if (v <= MPLS_LABEL_MAX)
			v = v * 10 + (uint32_t)(s[n] - '0');
	if (n == 0 || (n > 1 && s[0] == '0'))
		return -EINVAL;
	*label = v;
	*sp = s + n;
	return 0;
}

/* Why @p label cannot be pushed, or NULL if it can. */
static const char *
label_refused(uint32_t label, char *buf, size_t len)
{
	if (label > MPLS_LABEL_MAX) {
		snprintf(buf, len, "label above %u", MPLS_LABEL_MAX);
		return buf;
	}
	if (label != MPLS_LABEL_IPV4_NULL &&
	    label < MPLS_LABEL_FIRST_UNRESERVED) {
		snprintf(buf, len, "label %u (%s) is reserved: use 0, "
			 "16..%u, or implicit-null alone", label,
			 mpls_reserved_name(label), MPLS_LABEL_MAX);
		return buf;
	}
	return NULL;
}

int
mpls_stack_parse(const char *s, uint32_t *labels, unsigned int max,
		 unsigned int *n, const char **why)
{
	static char reason[96];
	const char *unused;
	unsigned int k = 0;
	uint32_t label;

	if (why == NULL)
		why = &unused;
	*why = "expected labels L1/L2/... (outermost first) or implicit-null";
	if (s == NULL)
		return -EINVAL;
	if (strcmp(s, IMPLICIT_NULL_TEXT) == 0 || strcmp(s, "3") == 0) {
		*n = 0;
		*why = NULL;
		return 0;
	}
	for (;;) {
		if (label_parse(&s, &label) < 0)
			return -EINVAL;
		if (label == MPLS_LABEL_IMPLICIT_NULL) {
			*why = "implicit-null (3) stands alone";
			return -EINVAL;
		}
		*why = label_refused(label, reason, sizeof(reason));
		if (*why != NULL)
			return -EINVAL;
		if (k == max) {
			snprintf(reason, sizeof(reason),
				 "at most %u labels", max);
			*why = reason;
			return -EINVAL;
		}
		labels[k++] = label;
		if (*s == '\0')
			break;
		*why = "expected labels L1/L2/... (outermost first) or "
		       "implicit-null";
		if (*s++ != '/')
			return -EINVAL;
	}
	*n = k;
	*why = NULL;
	return 0;
}

int
mpls_stack_format(const uint32_t *labels, unsigned int n, char *buf,
		  size_t len)
{
	unsigned int i;
	int used = 0, w;

	if (n == 0)
		return snprintf(buf, len, "%s", IMPLICIT_NULL_TEXT);
	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + ((size_t)used < len ? (size_t)used : len),
			     (size_t)used < len ? len - (size_t)used : 0,
			     "%s%u", i > 0 ? "/" : "", labels[i]);
		if (w < 0)
			return w;
		used += w;
	}
	return used;
}
