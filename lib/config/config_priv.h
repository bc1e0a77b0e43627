/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the loader (config.c), the writer (config_write.c)
 * and the doc generator (config_doc.c): the model and check context
 * layouts, and the few walkers over schema tables that more than one of
 * them needs. Not installed; other libraries use config.h only.
 */
#ifndef FERRY_CONFIG_PRIV_H
#define FERRY_CONFIG_PRIV_H

#include <libconfig.h>

#include "config.h"

/* Longest setting path we build; deeper nesting is truncated in messages. */
#define CFG_PATH_MAX 512

struct cfg_model {
	char *file;                           /* name used in messages */
	config_t cfg;     /* kept open so cfg_error() can find lines */
	const struct cfg_section **sections;  /* copy of the caller's array */
	unsigned int n;
	void **data;      /* per section: group struct or cfg_array */
	bool checked;     /* passed the checks as it is (cfg_txn_new) */
};

struct cfg_src;

struct cfg_ctx {
	struct cfg_model *model;
	const char *text;        /* the string loaded (NULL: a file) */
	struct cfg_src *src;     /* text read back for integers, cached */
	struct cfg_diag *diag;   /* NULL: count errors, keep no text */
	unsigned int errors;
	bool nomem;
	bool in_default;         /* parsing a schema default, not the file */
};

/* The section described as a field at offset 0 of its own data. */
void cfg_priv_section_field(const struct cfg_section *sec,
			    struct cfg_field *f);

/* Bytes of one element of a LIST or STRING_LIST field. */
size_t cfg_priv_elem_size(const struct cfg_field *f);

/* Highest value a UINT field accepts (max 0: all .size can hold). */
uint64_t cfg_priv_uint_max(const struct cfg_field *f);

/*
 * Fill the zeroed struct @p base of @p schema with every field's
 * default, as if the group were absent from the file.
 * @return 0, or -ENOMEM / -EINVAL (a default that does not parse).
 */
int cfg_priv_defaults(const struct cfg_schema *schema, void *base);

/* Free the arrays held by a group struct (not the struct itself). */
void cfg_priv_free_members(const struct cfg_schema *schema, void *base);

/*
 * Write @p s as a libconfig string literal, quotes included, into @p buf.
 * @return the length the full text needs, as snprintf() does.
 */
size_t cfg_priv_quote(char *buf, size_t len, const char *s);

/* Value of hex digit @p c (either case), or -1. */
int cfg_priv_hex_digit(char c);

/*
 * The integer literal written for CONFIG_TYPE_INT/INT64 setting @p s, as
 * found in the text it was read from (config_value.c says why): sign,
 * magnitude and the literal itself in @p text.
 * @return 0; -ERANGE if it does not fit in 64 bits (*mag = UINT64_MAX);
 *         -ENOENT if the text cannot be found (then trust libconfig).
 */
int cfg_priv_int_written(struct cfg_ctx *ctx, const config_setting_t *s,
			 bool *neg, uint64_t *mag, char *text, size_t len);

/*
 * Line @p line of @p text (or, when NULL, of @p file), without its
 * leading blanks, into @p buf: the token a syntax error stopped at is
 * on it. @return buf, or NULL if there is no such line.
 */
const char *cfg_priv_line_text(const char *file, const char *text, int line,
			       char *buf, size_t len);

#define CFG_SYNTAX_WHAT_MAX 64

/* Where a text libconfig refused breaks its grammar (config_syntax.c). */
struct cfg_syntax_err {
	int line;	/**< 1-based */
	const char *at; /**< the token in the text */
	char token[40]; /**< as written, cut at its line's end */
	char what[CFG_SYNTAX_WHAT_MAX]; /**< what is wrong / was expected */
};

/*
 * Walk @p text with libconfig 1.5's grammar; stop at the first token
 * that cannot stand where it is, or at the bracket or string that is
 * never closed. @return true with @p err filled if one was found.
 */
bool cfg_priv_syntax_find(const char *text, struct cfg_syntax_err *err);

/* "  LINE\n  ^" for the line of @p text holding @p at, caret under it. */
void cfg_priv_syntax_caret(const char *text, const char *at, char *buf,
			   size_t len);

/* The whole file @p name (malloc'd, NUL-terminated), or NULL. */
char *cfg_priv_read_file(const char *name);

/* Free the text cached by cfg_priv_int_written(). NULL does nothing. */
void cfg_priv_src_free(struct cfg_src *src);
/* An empty model of @p sections (zeroed data) for messages about @p name. */
struct cfg_model *cfg_priv_model_new(const char *name,
				     const struct cfg_section *const *sections,
				     unsigned int n);

/* Line of @p path in the model's file, or of its nearest parent; 0. */
int cfg_priv_path_line(struct cfg_model *m, const char *path);

/* One error "FILE:LINE: PATH: VALUE: REASON" (line 0: none). */
void cfg_priv_report(struct cfg_ctx *ctx, int line, const char *path,
		     const char *value, const char *reason);

/* Compare one field of two structs by value (config_write.c). */
bool cfg_priv_field_equal(const struct cfg_field *f, const void *a,
			  const void *b);

/* The value of field @p f of @p base as the file writes it. */
void cfg_priv_format_field(const struct cfg_field *f, const void *base,
			   char *buf, size_t len, bool redact);

/* A group on one line, "{ key = value; ... }", as the writer does. */
void cfg_priv_write_row(FILE *f, const struct cfg_schema *schema,
			const void *base, bool redact);

/* True if list elements @p a and @p b of @p schema have equal keys
 * (false when the schema declares none). */
bool cfg_priv_same_key(const struct cfg_schema *schema, const void *a,
		       const void *b);

/* The value of field @p f of @p base as the file writes it, spread over
 * lines indented at @p depth where it is a group or list. */
int cfg_priv_write_value(FILE *f, const struct cfg_field *fld,
			 const void *base, unsigned int depth);

/* List element @p item at @p depth: on one line if it fits, as the
 * writer lays out its lists. */
int cfg_priv_write_element(FILE *f, const struct cfg_schema *schema,
			   const void *item, unsigned int depth);

/*
 * Edit @p text, the file that loaded @p was, into the text of @p now
 * (config_edit.c). @return 0 with the malloc'd text in @p out, -ENOTSUP
 * if the text is not one this editor follows (an @include), -ENOMEM.
 */
int cfg_priv_edit_text(const char *text, const struct cfg_model *was,
		       const struct cfg_model *now, char **out);

/* Report every pair of elements with equal keys, in every list. */
void cfg_priv_check_keys(struct cfg_ctx *ctx, const unsigned int *errs);

/* Deep copy of @p n bytes of group @p schema at @p src into @p dst. */
int cfg_priv_copy_members(const struct cfg_schema *schema, void *dst,
			  const void *src);

#endif /* FERRY_CONFIG_PRIV_H */
