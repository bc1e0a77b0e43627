/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ferry configuration engine: libconfig file -> plain structs, driven by
 * tables.
 *
 * Each library declares its top-level section (for example "ports" or
 * "vrfs") as a struct cfg_section whose schema is a table of struct
 * cfg_field rows: key, type, where the value lands (offsetof), bounds,
 * default and a one-line doc string. The engine does, in this order and
 * for every section:
 *
 *   1. parse   - read each setting into the section's plain struct,
 *                checking type and bounds; unknown keys are errors;
 *   2. default - fill absent optional keys from the row's default;
 *   3. check   - call the section's cross-field/cross-section check.
 *
 * Nothing is applied by the engine: the caller applies the model only
 * when cfg_load() succeeded. The same tables print the model back in
 * libconfig syntax (cfg_write(), for `show running-config`) and generate
 * doc/configuration.md (cfg_doc_write()).
 *
 * Every error reads "FILE:LINE: PATH: VALUE: REASON", for example
 *   ferry.cfg:42: vrfs.[1].routes.[3].prefix: "10.0.0.0/33": prefix length must be 0..32
 * PATH uses libconfig's own path syntax (zero-based [N] for list
 * elements); VALUE is the value as written (strings quoted) and is left
 * out when there is none (a missing required key).
 *
 * This library is pure C on libconfig: no EAL, so cmocka tests it
 * directly. Not thread-safe; the management lcore owns it.
 */
#ifndef FERRY_CONFIG_H
#define FERRY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** Kinds of value a field can hold, and the C type it is stored as. */
enum cfg_type {
	CFG_BOOL,        /**< true/false -> bool */
	CFG_UINT,        /**< integer min..max -> uint8/16/32/64_t (.size);
			  *   max 0 = the largest .size holds (at most
			  *   INT64_MAX, libconfig's limit). libconfig 1.5
			  *   truncates a literal above 2147483647 without
			  *   an L suffix to 32 bits; the loader reads the
			  *   literal as written and refuses it. With a
			  *   .unit, a string such as "10G" is read too */
	CFG_STRING,      /**< non-empty string -> char[.size], NUL-terminated */
	CFG_IPV4,        /**< "a.b.c.d" -> uint32_t, host byte order */
	CFG_IPV4_PREFIX, /**< "a.b.c.d/len", host bits must be 0 -> cfg_ipv4_prefix */
	CFG_IPV4_IFADDR, /**< "a.b.c.d/len", host bits allowed -> cfg_ipv4_prefix */
	CFG_MAC,         /**< "xx:xx:xx:xx:xx:xx" -> uint8_t[6] */
	CFG_ENUM,        /**< one of .enums names -> int */
	CFG_GROUP,       /**< nested group with schema .sub, stored inline */
	CFG_LIST,        /**< list of groups with schema .sub -> cfg_array */
	CFG_STRING_LIST, /**< list/array of strings -> cfg_array of char[.size] */
	CFG_IPV6,        /**< "2001:db8::1" -> uint8_t[16], network order */
	CFG_IPV6_PREFIX, /**< "2001:db8::/32", host bits must be 0 -> cfg_ipv6_prefix */
	CFG_IPV6_IFADDR, /**< "2001:db8::1/64", host bits allowed -> cfg_ipv6_prefix */
};

/** An IPv4 address or prefix, host byte order. */
struct cfg_ipv4_prefix {
	uint32_t addr;
	uint8_t len;
};

/** An IPv6 address (network byte order) and prefix length. */
struct cfg_ipv6_prefix {
	uint8_t addr[16];
	uint8_t len;
};

/** A list read from the file: n elements of the field's .size bytes. */
struct cfg_array {
	void *items; /**< calloc'd by the engine; freed by cfg_model_free() */
	unsigned int n;
};

/** Name <-> value row of a CFG_ENUM field; tables end with name NULL. */
struct cfg_enum {
	const char *name;
	int value;
};

/**
 * What a CFG_UINT counts, for the unit suffixes it accepts as a string.
 * Rates are SI (k = 10^3, as tc's "kbit" and OVS's kbps); sizes are
 * binary (k = 2^10, as tc's "kb" burst sizes and DPDK's sizes).
 */
enum cfg_unit {
	CFG_UNIT_NONE,  /**< a plain integer only */
	CFG_UNIT_BPS,   /**< bit/s: "500M", "2.5G"; k M G T = 10^3..10^12 */
	CFG_UNIT_BYTES, /**< bytes: "64k", "1.5M"; k M G T = 2^10..2^40 */
};

struct cfg_schema;
struct cfg_list_ops;

/** One key of a group. */
struct cfg_field {
	const char *key;
	enum cfg_type type;
	size_t offset;  /**< offsetof() the value in the group's struct */
	size_t size;    /**< UINT: 1/2/4/8; STRING: buffer; LIST/STRING_LIST:
			 *   element size */
	uint64_t min;   /**< UINT: lowest value; lists: fewest elements */
	uint64_t max;   /**< UINT: highest value; lists: most elements
			 *   (0 = no limit) */
	bool required;  /**< absent -> error "missing required setting" */
	const char *def; /**< default, written as in the file ("1500",
			  *   "true", "\"127.0.0.1\""); NULL = all zero
			  *   (a GROUP: its own fields' defaults; a LIST:
			  *   empty). Required keys of an absent optional
			  *   group are not enforced. */
	const struct cfg_schema *sub;  /**< GROUP and LIST element schema */
	const struct cfg_enum *enums;  /**< ENUM names */
	const char *doc; /**< one line for the docs: meaning and units */
	bool secret;     /**< a key: cfg_write_redacted() hides the value */
	enum cfg_unit unit; /**< UINT: also accept a string with a unit */
};

/** A group: its keys, and where a list element records its line. */
struct cfg_schema {
	const char *name;              /**< for the docs, e.g. "port" */
	const struct cfg_field *fields;
	unsigned int n_fields;
	size_t size;                   /**< sizeof the group's struct */
	/**
	 * List elements: the field(s) that tell two elements apart
	 * (NULL-terminated key names; NULL = the list has no key and
	 * changes as a whole with its parent). Two elements with the same
	 * key are refused at load ("duplicate key"), and cfg_txn matches
	 * the elements of two models by it.
	 */
	const char *const *keys;
	/** How an element changes while running; NULL = it cannot. */
	const struct cfg_list_ops *ops;
};

struct cfg_ctx;
struct cfg_model;

/** A top-level section owned by one library. */
struct cfg_section {
	const char *key;                 /**< top-level setting name */
	enum cfg_type type;              /**< CFG_GROUP or CFG_LIST */
	const struct cfg_schema *schema; /**< the group, or the element */
	uint64_t min, max;               /**< LIST: element count bounds */
	bool required;
	const char *doc;                 /**< paragraph for the docs */
	/**
	 * Cross-field and cross-section checks, run after every section
	 * has been parsed and defaulted, in section order. It may fill
	 * defaults that depend on other values. Report each problem with
	 * cfg_error() and return the number of errors (0 = fine).
	 */
	int (*check)(struct cfg_ctx *ctx, struct cfg_model *model);
	/**
	 * Non-NULL: the section cannot change while ferry runs, and this
	 * says why ("lcores are given to EAL at start"). A reload that
	 * changes it is refused with this reason.
	 */
	const char *restart;
};

/**
 * Errors collected by a load, in the order found. cfg_load_*() reset it
 * on entry (without freeing): pass an empty or freed one.
 */
struct cfg_diag {
	char **msg;      /**< each "FILE:LINE: PATH: VALUE: REASON" */
	unsigned int n;
};

/**
 * Load, default and check a configuration file.
 *
 * @param path     file to read
 * @param sections the sections to read, in dependency order
 * @param n        number of sections
 * @param model    on success, the model; free with cfg_model_free()
 * @param diag     on failure, the errors (may be NULL); free with
 *                 cfg_diag_free()
 * @return 0, or -EINVAL with the errors in @p diag (syntax errors of
 *         libconfig are reported in the same FILE:LINE form).
 */
int cfg_load_file(const char *path, const struct cfg_section *const *sections,
		  unsigned int n, struct cfg_model **model,
		  struct cfg_diag *diag);

/** As cfg_load_file(), from a string; @p name stands for the file name. */
int cfg_load_string(const char *name, const char *text,
		    const struct cfg_section *const *sections, unsigned int n,
		    struct cfg_model **model, struct cfg_diag *diag);

/** Free a model and every array it holds. NULL does nothing. */
void cfg_model_free(struct cfg_model *model);

/**
 * Whether two models of the same sections hold equal values (for
 * example to skip a reload that changes nothing).
 */
bool cfg_model_equal(const struct cfg_model *a, const struct cfg_model *b);

/** True if section @p key holds equal values in both models. */
bool cfg_section_equal(const struct cfg_model *a, const struct cfg_model *b,
		       const char *key);

/**
 * True if two structs of @p schema hold equal values, ignoring the keys
 * in @p except (a NULL-terminated list, or NULL). Used to tell which
 * changes of a reloaded file can apply live.
 */
bool cfg_group_equal(const struct cfg_schema *schema, const void *a,
		     const void *b, const char *const *except);

/*
 * Editing a loaded model (the CLI changes the same model the file
 * filled, so `show running-config` and `write` print what runs). Callers
 * validate first and edit last, so a failed change leaves it untouched.
 */

/**
 * Append a copy of @p elem (@p size bytes, the list's element size).
 * @return the new element, or NULL if out of memory (nothing changed).
 */
void *cfg_array_append(struct cfg_array *a, size_t size, const void *elem);

/**
 * Remove element @p idx, keeping the order of the others. An element
 * that holds arrays of its own must have them freed by the caller.
 */
void cfg_array_remove(struct cfg_array *a, size_t size, unsigned int idx);

/**
 * Fill the fields of @p row (a struct of @p schema) that have a default
 * with it, as a file that leaves them out would: a row a CLI command
 * builds then prints and compares like one read from the file.
 * @return 0, -ENOMEM or -EINVAL (a bad default in the schema).
 */
int cfg_row_defaults(const struct cfg_schema *schema, void *row);

/** Free the messages of a diag (the struct itself is the caller's). */
void cfg_diag_free(struct cfg_diag *diag);

/**
 * The parsed data of a section: for a CFG_GROUP section the group's
 * struct, for a CFG_LIST section a struct cfg_array. NULL if @p key is
 * not one of the model's sections.
 */
void *cfg_model_section(const struct cfg_model *model, const char *key);

/** The file name the model was loaded from. */
const char *cfg_model_file(const struct cfg_model *model);

/** The model a check is running on. */
struct cfg_model *cfg_ctx_model(struct cfg_ctx *ctx);

/**
 * Report an error from a check. The engine finds the line of @p path in
 * the file (or of its nearest parent that is present, e.g. for a missing
 * key) and formats "FILE:LINE: PATH: VALUE: REASON".
 *
 * @param path  libconfig path such as "vrfs.[1].routes.[3].via"
 * @param value the offending value as it should be shown (quote strings
 *              yourself: "\"custC\""), or NULL to leave it out
 */
void cfg_error(struct cfg_ctx *ctx, const char *path, const char *value,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * True if @p path (as for cfg_error()) is written in the file: tells a
 * value written as all zeros from an absent key whose default is zero.
 */
bool cfg_ctx_written(struct cfg_ctx *ctx, const char *path);

/**
 * Write the model in libconfig syntax, section by section, from the same
 * tables: required keys always, optional keys when they differ from
 * their default. Loading the output gives an equal model.
 * @return 0 or -errno.
 */
int cfg_write(FILE *f, const struct cfg_model *model);

/**
 * As cfg_write(), with the value of every field marked .secret (keys)
 * written as "<secret>": for showing the configuration (`show
 * running-config`), not for saving it.
 */
int cfg_write_redacted(FILE *f, const struct cfg_model *model);

/** True if the model holds a value of a .secret field (a key). */
bool cfg_model_has_secrets(const struct cfg_model *model);

/**
 * Save the model to @p path (`write`): temp file in the same folder,
 * fsync, rename over @p path, so a crash leaves the old file or the new
 * one. If @p path holds a configuration that loads, its text is edited
 * (comments, order and keys at their default kept; only what differs
 * rewritten) and the edit is used only if it loads back to @p model;
 * otherwise the model is written whole (cfg_write()). The replaced file is kept as "@p path.bak". A model with secrets
 * is written mode 0600 (the temp file is created so); otherwise the file
 * keeps the old one's mode (0644 if new). Owner and group are the old
 * file's when the process may set them.
 * @return 0, or -errno with "PATH: reason" in @p err.
 */
int cfg_save(const struct cfg_model *model, const char *path, char *err,
	     size_t len);

/** Write the Markdown reference of the sections (doc/configuration.md). */
int cfg_doc_write(FILE *f, const struct cfg_section *const *sections,
		  unsigned int n);

/* Helpers shared with other libraries' checks and the CLI. */

/**
 * Parse "a.b.c.d" to host order: exactly four decimal octets 0..255.
 * Leading zeros ("01.2.3.4") are refused, since inet_aton() would read
 * them as octal. @return 0 or -EINVAL.
 */
int cfg_parse_ipv4(const char *s, uint32_t *addr);

/**
 * Parse "a.b.c.d/len". With @p strict, host bits must be zero. The
 * address is read as cfg_parse_ipv4() does; len is decimal, no leading
 * zero.
 * @return 0, or -EINVAL with a reason ("prefix length must be 0..32",
 *         "host bits set (did you mean 10.0.0.0/8?)") in @p why. The
 *         host-bits reason lives in a static buffer, valid until the
 *         next call; @p why may be NULL.
 */
int cfg_parse_ipv4_prefix(const char *s, bool strict,
			  struct cfg_ipv4_prefix *p, const char **why);

/** Format host-order @p addr as dotted quad into @p buf (>= 16 bytes). */
const char *cfg_format_ipv4(uint32_t addr, char *buf, size_t len);

/**
 * Parse an IPv6 address in any RFC 4291 2.2 text form (inet_pton()).
 * @return 0 or -EINVAL.
 */
int cfg_parse_ipv6(const char *s, uint8_t addr[16]);

/**
 * Parse "addr/len" (len 0..128, decimal). With @p strict, host bits must
 * be zero. @return 0, or -EINVAL with a reason in @p why (static text or
 * a static buffer valid until the next call; @p why may be NULL).
 */
int cfg_parse_ipv6_prefix(const char *s, bool strict,
			  struct cfg_ipv6_prefix *p, const char **why);

/** Format @p addr as RFC 5952 text into @p buf (>= 46 bytes). */
const char *cfg_format_ipv6(const uint8_t addr[16], char *buf, size_t len);

/** Format @p mac as "xx:xx:xx:xx:xx:xx" into @p buf (>= 18 bytes). */
const char *cfg_format_mac(const uint8_t mac[6], char *buf, size_t len);

/**
 * Parse a number with an optional unit suffix: "40000000000", "10G",
 * "2.5G", "64k" (see enum cfg_unit for the multipliers). A fraction must
 * give a whole number ("1.5k" bytes = 1536; "0.3k" bytes is refused).
 * @return 0, or -EINVAL (not such a number) / -ERANGE (above
 *         UINT64_MAX), with a reason in @p why (may be NULL).
 */
int cfg_parse_scaled(const char *s, enum cfg_unit unit, uint64_t *v,
		     const char **why);

/*
 * Predicates shared by the libraries' checks (and the CLI): what may be
 * configured as a host's own address or MAC. Host byte order.
 */

/** True for a unicast MAC: not multicast/broadcast (I/G bit) nor zero. */
bool cfg_mac_is_unicast(const uint8_t mac[6]);

/**
 * Why @p addr cannot be a unicast host address anywhere: "is 0.0.0.0",
 * "is a loopback address (127.0.0.0/8)", "is a multicast address
 * (224.0.0.0/4)", "is a reserved class E address (240.0.0.0/4)", or
 * "is the broadcast address"; NULL if it can be one.
 */
const char *cfg_ipv4_unusable(uint32_t addr);

/**
 * Why @p addr cannot be a host's address in the subnet of length
 * @p len: cfg_ipv4_unusable(), "/0 is not a subnet", or it is the
 * subnet's network or broadcast address (both usable in /31 and /32,
 * RFC 3021). NULL if it can be one.
 */
const char *cfg_ipv4_host_unusable(uint32_t addr, uint8_t len);

/**
 * True if @p addr is the broadcast address of the subnet @p net/@p len
 * (never for /31 and /32, whose every address is a host's).
 */
bool cfg_ipv4_is_subnet_broadcast(uint32_t addr, uint32_t net,
				  uint8_t len);
/*
 * Changes: one keyed transaction for startup, reload and the CLI.
 *
 * A change is the difference of two models of the same sections, the
 * running one and a target (the file for a reload, a copy of the
 * running model with one row edited for the CLI, the file against an
 * empty model at start). cfg_txn_new() matches the elements of every
 * list by its schema's .keys and plans one step per element that was
 * created, modified or deleted: deletes first, in reverse section order
 * and children before their parents, then creates and modifies in
 * section order, parents first. It refuses, before anything runs, a
 * change to a section with .restart or to a list with no .ops, and
 * every step whose ops->check says no. cfg_txn_commit() runs the steps
 * through the lists' ops, then each touched list's batch commit; on the
 * first failure it undoes what it ran, in reverse, so the tables are as
 * before. On success the running model takes the target's values, so
 * `show running-config` prints what runs.
 */

/** What a step does to one list element. */
enum cfg_op {
	CFG_CREATE,
	CFG_MODIFY,
	CFG_DELETE,
};

/** One step of a change, as a list's ops see it. */
struct cfg_change {
	enum cfg_op op;
	const struct cfg_schema *schema; /**< the element's schema */
	/** The element of the enclosing list (a route's VRF), or NULL. */
	const void *parent;
	const void *old;   /**< MODIFY, DELETE: the element as running */
	const void *new;   /**< CREATE, MODIFY: the element as wanted */
	/** Where the element is, e.g. "vrfs.[1].routes.[3]". */
	const char *path;
	/** The model being installed (the target; the running one when
	 *  a step is undone). */
	const struct cfg_model *model;
	/** The first change of a model (start-up): tables that are made
	 *  at start (interfaces, VRFs) are there already. */
	bool start;
};

/**
 * Live operations of a list, set on its element schema. Each returns 0
 * or -errno with a reason in @p err. An op that undoes another
 * (uninstall of a create, install of a delete, modify back) must not
 * fail when resources are those it just freed.
 */
struct cfg_list_ops {
	/** Can the step run? Called for every step before any runs. NULL:
	 *  yes. */
	int (*check)(const struct cfg_change *c, char *err, size_t len);
	/** Put c->new into the tables. NULL: put (the list's rows need
	 *  nothing but themselves). */
	int (*install)(const struct cfg_change *c, char *err, size_t len);
	/** Take c->old out of the tables. NULL: drop. */
	int (*uninstall)(const struct cfg_change *c, char *err, size_t len);
	/** Without install: put @p row into the tables; @return 0 or
	 *  -errno, reported as "cannot install the WHAT: strerror". */
	int (*put)(const void *row);
	/** Without uninstall: take @p row out of the tables (cannot fail). */
	void (*drop)(const void *row);
	/** What put installs, for its error ("tunnel route"). */
	const char *what;
	/** Replace c->old by c->new in one step; NULL: uninstall, then
	 *  install (a short gap). */
	int (*modify)(const struct cfg_change *c, char *err, size_t len);
	/** After every step of the change ran: rebuild what is costly to
	 *  rebuild per row (an rte_acl context) from @p model, where the
	 *  tables hold @p was (NULL at start: the library's setup installed
	 *  @p model). A failure later undoes it as commit(was, model).
	 *  NULL: none. */
	int (*commit)(const struct cfg_model *model,
		      const struct cfg_model *was, char *err, size_t len);
};

/**
 * An op that has nothing to do: for rows whose tables are made at start
 * (interfaces, VRFs) or rebuilt by the list's batch commit (ACLs).
 */
int cfg_op_nothing(const struct cfg_change *c, char *err, size_t len);

/**
 * An op's result: @p rc, with "cannot WHAT: strerror" in @p err when it
 * is an error (for ops that call a table's install function).
 */
int cfg_op_result(int rc, char *err, size_t len, const char *what);

struct cfg_txn;

/** cfg_txn_new() flags. */
#define CFG_TXN_START 0x1 /**< first change of the process: lists and
			   *   sections that cannot change live are left
			   *   to their library's setup, and @p target (the
			   *   model the libraries hold) is not copied into
			   *   @p running */
#define CFG_TXN_DIFF 0x2  /**< only to print (cfg_txn_print): every
			   *   difference is a step, none is refused; it
			   *   cannot be committed */

/**
 * Plan the change from @p running to @p target (same sections). The
 * target is checked first (the sections' checks) unless it was loaded
 * by cfg_load_*(), which checked it.
 *
 * @param txn   on success, the plan; cfg_txn_free() it
 * @param diag  on failure, the reasons
 * @return 0, -EINVAL (refused: bad target, a section that needs a
 *         restart, a step the ops refuse) or -ENOMEM.
 */
int cfg_txn_new(struct cfg_model *running, struct cfg_model *target,
		unsigned int flags, struct cfg_txn **txn,
		struct cfg_diag *diag);

/** Number of steps planned. */
unsigned int cfg_txn_count(const struct cfg_txn *txn);

/**
 * Write the planned steps, one a line: "+ PATH { row }" for a create,
 * "~ PATH { row }" for a modify (the new row), "- PATH { row }" for a
 * delete (secrets redacted when @p redact).
 */
void cfg_txn_print(const struct cfg_txn *txn, FILE *f, bool redact);

/**
 * Run the plan: all steps or none. On failure @p diag holds the step
 * that failed and why, and the tables and the running model are as
 * before.
 * @return 0 or the failing op's -errno.
 */
int cfg_txn_commit(struct cfg_txn *txn, struct cfg_diag *diag);

/** Free a plan (committed or not). NULL does nothing. */
void cfg_txn_free(struct cfg_txn *txn);

/**
 * cfg_txn_new() + cfg_txn_commit() + cfg_txn_free(); @p target is freed
 * too. @p n_changes (may be NULL) gets the number of steps.
 */
int cfg_txn_run(struct cfg_model *running, struct cfg_model *target,
		unsigned int flags, unsigned int *n_changes,
		struct cfg_diag *diag);

/**
 * The start-up change: the rows of @p model (which the libraries were
 * set up with and keep) installed as the change from an empty model,
 * with CFG_TXN_START.
 * @return 0 or -errno with the reasons in @p diag (may be NULL).
 */
int cfg_txn_start(struct cfg_model *model, struct cfg_diag *diag);

/**
 * A deep copy of @p model (every array), to be edited and given to
 * cfg_txn_new(). Its messages name "running-config" as the file.
 * @return the copy, or NULL if out of memory.
 */
struct cfg_model *cfg_model_dup(const struct cfg_model *model);

/**
 * A model of the same sections holding only defaults: empty lists
 * (the start of the start-up change). NULL if out of memory.
 */
struct cfg_model *cfg_model_empty(const struct cfg_model *model);

/**
 * Run the duplicate-key and the sections' checks on an edited model.
 * @return 0 or -EINVAL with the errors in @p diag (may be NULL).
 */
int cfg_model_check(struct cfg_model *model, struct cfg_diag *diag);

/**
 * The element of list @p a (of @p schema) whose key fields equal those
 * of @p probe, or NULL. The CLI's row find, written once.
 */
void *cfg_array_find(const struct cfg_array *a,
		     const struct cfg_schema *schema, const void *probe);

/*
 * Row edits a CLI command makes on its copy (in a cfg_edit_fn). Their
 * refusals name the row by its schema and key, one message for every
 * list: "no lsp (pe = "10.0.0.1")", "vpn_route (vrf = "red", prefix =
 * "10.1.0.0/24") exists; delete it first". Each returns 0 or -errno with
 * @p err set.
 */

/** The row of list @p a whose key is @p key's, or NULL: "no ROW". */
void *cfg_row_get(const struct cfg_array *a, const struct cfg_schema *schema,
		  const void *key, char *err, size_t len);

/** Put @p row (its arrays taken over) over the row of its key, whose
 *  arrays are freed, or at the end. */
int cfg_row_put(struct cfg_array *a, const struct cfg_schema *schema,
		const void *row, char *err, size_t len);

/** As cfg_row_put(), but -EEXIST "ROW exists; delete it first" if the
 *  key is there. */
int cfg_row_add(struct cfg_array *a, const struct cfg_schema *schema,
		const void *row, char *err, size_t len);

/** Take the row of @p key (and its arrays) out: -ENOENT "no ROW". */
int cfg_row_del(struct cfg_array *a, const struct cfg_schema *schema,
		const void *key, char *err, size_t len);

/** cfg_array_append() as an edit: 0, or -ENOMEM "out of memory". */
int cfg_array_add(struct cfg_array *a, size_t size, const void *elem,
		  char *err, size_t len);

/** Free the arrays row @p row of @p schema holds (not the row). */
void cfg_row_free(const struct cfg_schema *schema, void *row);

/** Index of string @p s in a string list of @p size-byte entries, or
 *  -1. */
int cfg_string_index(const struct cfg_array *a, size_t size, const char *s);

/** What a CLI command does to its copy of the running model. *//** What a CLI command does to its copy of the running model. */
typedef int (*cfg_edit_fn)(struct cfg_model *m, const void *arg, char *err,
			   size_t len);

/**
 * A CLI change: copy @p running, let @p edit change the copy (it
 * returns -errno with a reason to refuse), then run the change through
 * cfg_txn_run().
 * @return 0, or -errno with the reasons ("; "-joined) in @p err
 *         (-ENODEV "not set up": @p running is NULL, the library was
 *         not set up).
 */
int cfg_edit(struct cfg_model *running, cfg_edit_fn edit, const void *arg,
	     char *err, size_t len);

/** Where a keyed list is in a model: a list inside section @p section
 *  (offsetof() its struct cfg_array; 0 for a list section). */
struct cfg_row_ref {
	const char *section;
	size_t offset;
	const struct cfg_schema *schema; /**< the element's */
};

/** One row edit, as cfg_edit_row() runs it. */
struct cfg_row_edit {
	enum cfg_op op;
	const struct cfg_row_ref *ref;
	const void *row;
};

/**
 * A CLI change of one row of a list: @p op CFG_CREATE is cfg_row_add(),
 * CFG_MODIFY cfg_row_put(), CFG_DELETE cfg_row_del() (@p row holds the
 * key), on a copy run by cfg_edit(). The table is the same a reload
 * changes, through the same ops.
 * @return 0, or -errno with the reason in @p err (as cfg_edit()).
 */
int cfg_edit_row(struct cfg_model *running, enum cfg_op op,
		 const struct cfg_row_ref *ref, const void *row, char *err,
		 size_t len);

/** Join the messages of @p diag with "; " into @p buf (for the CLI). */
void cfg_diag_join(const struct cfg_diag *diag, char *buf, size_t len);

#endif /* FERRY_CONFIG_H */
