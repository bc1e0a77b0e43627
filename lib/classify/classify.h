/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classification: named, ordered ACLs on rte_acl, bound to interfaces
 * (ingress). A rule matches the in-interface and VRF, source and
 * destination prefixes, protocol, source and destination port ranges and
 * DSCP; the first rule that matches decides (permit or deny) and may set
 * the packet's QoS class (pkt_md.qos_class, read by lib/qos), rewrite its
 * DSCP (header checksum patched) or choose the TC of the MPLS labels
 * pushed for it (pkt_md.mpls_tc). A packet no rule matches takes the
 * ACL's default: "permit", or "deny" for security-group semantics.
 * Denied packets are dropped as acl_deny and counted by the rule (or
 * default) that denied them.
 *
 * Owns the config section "acls" (bindings included, as acls.[].interfaces,
 * so lib/iface needs no ACL field), the `show acl` and `acl ...` CLI
 * commands, and the graph node ferry_classify, an input feature of
 * ferry_ip4_input (route_input_feature_register()) on bound interfaces,
 * and ferry_classify6, the same on ferry_ip6_input: rules are IPv4, so an
 * IPv6 packet takes its ACL's default (deny: dropped as
 * acl_ipv6_default_deny), never passing unclassified.
 *
 * Concurrency (doc/architecture.md "Concurrency rule"): every edit builds
 * a whole new rte_acl context with its action table on the management
 * lcore, publishes it with one atomic pointer store, waits one RCU grace
 * period (lib/graph's graph_rcu()) and only then frees the old one.
 * Workers read the published pointer once per run of packets. A build
 * that fails leaves the running set in place. Hit counters are per worker
 * (written by that worker only) and summed by `show acl`; a rule keeps
 * its counter across edits of other rules.
 */
#ifndef FERRY_CLASSIFY_H
#define FERRY_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "module.h"
#include "iface.h"

#define ACL_NAME_LEN 32
#define ACL_MAX 256              /* ACLs */
#define ACL_RULES_MAX 60000      /* rules of all ACLs together */
#define ACL_PROTO_LEN 8          /* "tcp", "udp", "icmp", "0".."255" */
#define ACL_PORTS_LEN 12         /* "1024-65535" */
#define ACL_DSCP_LEN 8           /* "ef", "af41", "cs1", "0".."63" */
#define ACL_TC_LEN 4             /* "0".."7" */

/** What the first matching rule (or the default) does. */
enum acl_verdict {
	ACL_PERMIT,
	ACL_DENY,
};

/**
 * One rule, as the file and the CLI write it. Empty strings and
 * 0.0.0.0/0 match anything; empty set_* leave the packet as it is.
 */
struct acl_rule_conf {
	char in_interface[IFACE_NAME_LEN]; /**< "" = any */
	char vrf[VRF_NAME_LEN];            /**< "" = any */
	struct cfg_ipv4_prefix src;
	struct cfg_ipv4_prefix dst;
	char proto[ACL_PROTO_LEN];         /**< "" = any */
	char sport[ACL_PORTS_LEN];         /**< "22" or "1024-65535" */
	char dport[ACL_PORTS_LEN];
	char dscp[ACL_DSCP_LEN];           /**< "" = any */
	int action;                        /**< enum acl_verdict */
	uint32_t qos_class;                /**< 0 = leave (port default) */
	char set_dscp[ACL_DSCP_LEN];       /**< "" = leave */
	char set_tc[ACL_TC_LEN];           /**< "" = from the DSCP */
};

/** One element of the "acls" section. */
struct acl_conf {
	char name[ACL_NAME_LEN];
	int default_action;          /**< enum acl_verdict */
	struct cfg_array interfaces; /**< char[IFACE_NAME_LEN], ingress */
	struct cfg_array rules;      /**< struct acl_rule_conf, in order */
};

extern const struct cfg_section acl_cfg_section; /* "acls" */

/**
 * Build every ACL of the model, bind them, and register ferry_classify
 * as an input feature of ferry_ip4_input. Interfaces, routing (VRFs) and
 * workers (graph_workers_init) must exist, the worker graphs must not yet.
 * Management lcore. @return 0 or -errno (logged).
 */
int classify_setup(struct cfg_model *model);

/** Free what classify_setup() made (workers stopped). Safe twice. */
void classify_teardown(void);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module classify_module;

/**
 * Register `show acl` and the `acl ...` commands. Needs no EAL. Call
 * after route_cli_register() (uses <interface-name>). @return 0 or -errno.
 */
int classify_cli_register(void);

/*
 * Operator changes (the CLI). Each checks the change as the config
 * loader would, builds and publishes the new rule set, and then records
 * it in the model classify_setup() was given. On any error (including a
 * failed rte_acl build) nothing changes and @p err holds one line.
 */

/** Create ACL @p name with default @p dflt (enum acl_verdict). */
int acl_create(const char *name, int dflt, char *err, size_t len);
/** Delete ACL @p name; refused while it is bound. */
int acl_delete(const char *name, char *err, size_t len);
/** Set the default action of ACL @p name. */
int acl_default_set(const char *name, int dflt, char *err, size_t len);
/**
 * Insert rule @p rc at position @p pos (1..n+1; 0 = append) of ACL
 * @p name: it becomes rule @p pos, the rules from there move down.
 */
int acl_rule_insert(const char *name, unsigned int pos,
		    const struct acl_rule_conf *rc, char *err, size_t len);
/** Delete rule @p pos (1 = first) of ACL @p name. */
int acl_rule_delete(const char *name, unsigned int pos, char *err,
		    size_t len);
/** Bind ACL @p name to interface @p iface (ingress); an interface has
 *  at most one ACL. */
int acl_bind(const char *name, const char *iface, char *err, size_t len);
/** Unbind whatever ACL interface @p iface has. */
int acl_unbind(const char *iface, char *err, size_t len);

/** Packets the rule at @p pos (1 = first; 0 = the default) of ACL
 *  @p name matched, summed over workers; UINT64_MAX if none. */
uint64_t acl_hits(const char *name, unsigned int pos);

/** Counters of an ACL rule (as acl_hits()). */
enum acl_counter {
	ACL_COUNTER_PACKETS, /**< packets the rule matched */
	ACL_COUNTER_BYTES,   /**< their bytes (the IPv4 packet) */
	ACL_COUNTER_DROPS,   /**< of them, dropped by a deny rule */
};

/** Counter @p c of rule @p pos of ACL @p name (0: the default action),
 *  over all workers; UINT64_MAX if there is no such rule. */
uint64_t acl_counter(const char *name, unsigned int pos, enum acl_counter c);

/**
 * Cap on the memory of one rte_acl context (rte_acl_config.max_size;
 * 0 = DPDK's default, no cap). A set that needs more fails to build and
 * the old one stays. For tests and memory-tight deployments.
 */
void classify_build_limit_set(size_t bytes);

#endif /* FERRY_CLASSIFY_H */
