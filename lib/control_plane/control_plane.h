/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control-plane path: a Linux TAP representor per ferry interface
 * that asks for one, so FRR, strongSwan and an operator's ssh, ping and
 * traceroute talk through ferry's ports (as VPP's linux-cp and grout's
 * control-plane TAPs do). doc/control-plane.md is the operator's guide.
 *
 *   punt in   workers: what lib/route does not serve on an interface
 *             with a representor (route_punt_register()) -> ferry_cp_punt
 *             (CoPP: class, per-worker token bucket) -> cp ring ->
 *             management lcore: L2 header restored (VLAN removed) ->
 *             write() on the interface's TAP. ARP replies and
 *             gratuitous ARP are copied too (route_arp_copy_register()).
 *   inject    management lcore: read() on each TAP -> unicast IPv4 is
 *             routed by ferry's FIB (ferry_ip4_lookup in the interface's
 *             VRF, as ferry's own packets); ARP requests, broadcast and
 *             multicast leave by the interface's port as they are (VLAN
 *             tag added) -> lib/graph's inject ring of a worker.
 *
 * Representors: the TAP has the interface's MAC, IP MTU and address,
 * carrier = interface up and port link up, all set through netlink
 * (libmnl). It lives in a network namespace: the representor's own,
 * else its VRF's (vrf_netns), else ferry's. TAPs are not persistent:
 * they vanish when ferry's fd closes, SIGKILL included.
 *
 * Owns the "control_plane" config section, the CLI commands `show
 * control-plane` and `control-plane representor add|del`, and the node
 * ferry_cp_punt.
 *
 * Threads: every function here runs on the management lcore; the node
 * runs on workers and reads the ring and its worker's buckets only.
 */
#ifndef FERRY_CONTROL_PLANE_H
#define FERRY_CONTROL_PLANE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "module.h"
#include "copp.h"
#include "iface.h"

/** Longest Linux interface name, without its NUL (IFNAMSIZ - 1). */
#define CP_TAP_NAME_MAX 15
/** Longest network namespace name (a file in /run/netns). */
#define CP_NETNS_LEN 64

/** One element of control_plane.representors. */
struct cp_rep_conf {
	char interface[IFACE_NAME_LEN];     /**< ferry interface */
	char name[CP_TAP_NAME_MAX + 1];     /**< TAP name; "" = derived */
	char netns[CP_NETNS_LEN];           /**< "" = VRF's, else ferry's */
};

/** One element of control_plane.vrf_netns. */
struct cp_vrf_conf {
	char vrf[VRF_NAME_LEN];
	char netns[CP_NETNS_LEN];
};

/** Rate and burst of one CoPP class, for the whole box. */
struct cp_class_conf {
	uint32_t rate;  /**< packets/s; 0 = none */
	uint32_t burst; /**< packets */
};

/** control_plane.copp: one rate per class (enum copp_class). */
struct cp_copp_conf {
	struct cp_class_conf cls[COPP_MAX];
};

/** The "control_plane" section. */
struct cp_conf {
	struct cfg_array representors; /**< struct cp_rep_conf */
	struct cfg_array vrf_netns;    /**< struct cp_vrf_conf */
	struct cp_copp_conf copp;
};

extern const struct cfg_section cp_cfg_section; /* "control_plane" */

/**
 * The TAP name of interface @p iface when none is given: the interface
 * name, cut to CP_TAP_NAME_MAX characters. @return @p buf.
 */
char *cp_tap_name_default(const char *iface, char *buf, size_t len);

/**
 * Set up the path: the punt ring, the CoPP buckets, the hooks into
 * lib/route. The representors are rows of the start-up change
 * (cfg_txn_start(), list ops keyed by interface), as reload and the
 * CLI make them. Interfaces and routing must be set up, the worker
 * graphs not built yet.
 * Leftover TAPs of the same names (a previous run killed while a
 * persistent one existed) are deleted first.
 * @return 0 or -errno (a TAP that cannot be made stops the start).
 */
int cp_setup(struct cfg_model *model);

/**
 * Management-lcore work: punted packets to the TAPs, frames from the
 * TAPs to the ports, carrier and MTU kept in step (each second).
 * @param now_ms monotonic milliseconds
 */
void cp_poll(uint64_t now_ms);

/** Close every TAP (they vanish) and free what the ring holds. */
void cp_teardown(void);

/** The library's record for app/ferry's one list (module.h). */
extern const struct ferry_module cp_module;

/**
 * Add the representor of interface @p conf->interface (one that has
 * one is refused): a CLI change of the running model
 * through cfg_edit(), so checked as the loader checks a row and
 * installed by the same list ops as start-up and `config reload`. On
 * error nothing changes and @p err says why.
 * @return 0 or -errno.
 */
int cp_representor_add(const struct cp_rep_conf *conf, char *err,
		       size_t len);

/** Remove the representor of interface @p iface (its TAP vanishes),
 *  through cfg_edit() as cp_representor_add(). */
int cp_representor_del(const char *iface, char *err, size_t len);

/** Register `show control-plane` and `control-plane representor ...`.
 *  Needs no EAL (the doc generator calls it). */
int cp_cli_register(void);

/**
 * Enter network namespace /run/netns/@p netns ("" = stay) on this
 * thread, to open a socket there (lib/fpm's server beside zebra);
 * @p saved gets the way back (-1 = none). @return 0 or -errno.
 */
int cp_netns_enter(const char *netns, int *saved);
/** Back to the namespace cp_netns_enter() left; closes @p saved. */
void cp_netns_leave(int saved);

#endif /* FERRY_CONTROL_PLANE_H */
