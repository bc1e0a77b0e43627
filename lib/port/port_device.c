/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a port's device string names, checked before EAL exists (so that
 * `ferry --check` refuses what could not start), and its devargs as EAL
 * gets them.
 *
 * - A relative rx_pcap=/tx_pcap= path is resolved from the directory of
 *   the configuration file, not from the working directory, so a file
 *   means the same wherever ferry is started; rx_pcap files must be
 *   readable (when the model comes from a file: one loaded from a
 *   string has no directory to look in).
 * - A PCI address must exist under /sys/bus/pci/devices and be bound to
 *   a driver DPDK can drive: vfio-pci, uio_pci_generic, igb_uio, or a
 *   bifurcated kernel driver (mlx4/mlx5, whose PMDs work beside it).
 * The PCI and file checks look at this host: the application turns them
 * on (port_device_host_checks()); tests that load models for what they
 * hold do not.
 * - A vdev must name a virtual ethdev driver of DPDK 22.11. Which PMDs
 *   are loaded is known only after EAL init, so the names are a table
 *   here, each with the shared object that provides it; the object must
 *   be in DPDK's PMD directory when that directory exists.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "port.h"

#ifndef FERRY_DPDK_PMD_DIR
#define FERRY_DPDK_PMD_DIR "/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0"
#endif
#define PCI_SYSFS "/sys/bus/pci/devices"
#define RESOLVED_LEN (sizeof(((struct port_conf *)0)->device) + PATH_MAX)

/* DPDK 22.11's virtual ethdev drivers: name, alias, shared object. */
#define VDEV_DRIVERS(X)                                                        \
	X("net_af_packet", "eth_af_packet", "net_af_packet")                   \
	X("net_af_xdp", "", "net_af_xdp")                                      \
	X("net_bonding", "eth_bond", "net_bond")                               \
	X("net_failsafe", "", "net_failsafe")                                  \
	X("net_kni", "", "net_kni")                                            \
	X("net_memif", "", "net_memif")                                        \
	X("net_null", "eth_null", "net_null")                                  \
	X("net_pcap", "eth_pcap", "net_pcap")                                  \
	X("net_ring", "eth_ring", "net_ring")                                  \
	X("net_softnic", "", "net_softnic")                                    \
	X("net_tap", "", "net_tap")                                            \
	X("net_tun", "", "net_tap")                                            \
	X("net_vdev_netvsc", "", "net_vdev_netvsc")                            \
	X("net_vhost", "eth_vhost", "net_vhost")                               \
	X("net_virtio_user", "", "net_virtio")

struct vdev_driver {
	const char *name, *alias, *object;
};

#define VDEV_ROW(n, a, o) {n, a, o},
static const struct vdev_driver vdev_drivers[] = {VDEV_DRIVERS(VDEV_ROW)};

/* Whether checks look at this host (ferry does; unit tests do not). */
static bool host_checks;

void
port_device_host_checks(bool on)
{
	host_checks = on;
}

/* Kernel drivers a PCI NIC may be bound to for DPDK. */
static const char *const pci_drivers[] = {
	"vfio-pci", "uio_pci_generic", "igb_uio", "mlx4_core", "mlx5_core",
};

/* "0000:01:00.0" and "01:00.0" are PCI; anything else is a vdev. */
bool
port_device_is_pci(const char *dev)
{
	unsigned int a, b, c, d;
	char end;

	return sscanf(dev, "%x:%x:%x.%x%c", &a, &b, &c, &d, &end) == 4 ||
	       sscanf(dev, "%x:%x.%x%c", &b, &c, &d, &end) == 3;
}

/*
 * Directory of the configuration file @p file, absolute when it exists
 * (a later chdir() must not change what a path means).
 */
static void
config_dir(const char *file, char *dir, size_t len)
{
	const char *slash = file != NULL ? strrchr(file, '/') : NULL;
	char rel[PATH_MAX], abs[PATH_MAX];

	if (slash == NULL)
		snprintf(rel, sizeof(rel), ".");
	else if (slash == file)
		snprintf(rel, sizeof(rel), "/");
	else
		snprintf(rel, sizeof(rel), "%.*s", (int)(slash - file), file);
	snprintf(dir, len, "%s", realpath(rel, abs) != NULL ? abs : rel);
}

static bool
is_path_key(const char *kv)
{
	return strncmp(kv, "rx_pcap=", 8) == 0 ||
	       strncmp(kv, "tx_pcap=", 8) == 0;
}

int
port_device_resolve(const char *device, const char *cfg_file, char *out,
		    size_t len)
{
	const char *p = device, *comma;
	char dir[PATH_MAX];
	size_t n = 0, k;
	int w;

	config_dir(cfg_file, dir, sizeof(dir));
	out[0] = '\0';
	for (;;) {
		comma = strchr(p, ',');
		k = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (p != device && is_path_key(p) && p[8] != '/' && k > 8)
			w = snprintf(out + n, len - n, "%.8s%s/%.*s", p, dir,
				     (int)(k - 8), p + 8);
		else
			w = snprintf(out + n, len - n, "%.*s", (int)k, p);
		if (w < 0 || (size_t)w >= len - n)
			return -E2BIG;
		n += (size_t)w;
		if (comma == NULL)
			return 0;
		if (n + 1 >= len)
			return -E2BIG;
		out[n++] = ',';
		out[n] = '\0';
		p = comma + 1;
	}
}

static const char *
pci_check(const char *dev, char *why, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX], full[32];
	const char *drv;
	ssize_t n;
	unsigned int i;

	snprintf(full, sizeof(full), "%s%s",
		 strchr(dev, ':') == strrchr(dev, ':') ? "0000:" : "", dev);
	snprintf(path, sizeof(path), PCI_SYSFS "/%s", full);
	if (access(path, F_OK) != 0) {
		snprintf(why, len,
			 "no PCI device %s on this host (%s); "
			 "dpdk-devbind.py --status lists the NICs",
			 full, PCI_SYSFS);
		return why;
	}
	snprintf(path, sizeof(path), PCI_SYSFS "/%s/driver", full);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		snprintf(why, len,
			 "PCI device %s has no driver: bind it, "
			 "e.g. dpdk-devbind.py -b vfio-pci %s",
			 full, full);
		return why;
	}
	link[n] = '\0';
	drv = strrchr(link, '/') != NULL ? strrchr(link, '/') + 1 : link;
	for (i = 0; i < RTE_DIM(pci_drivers); i++)
		if (strcmp(drv, pci_drivers[i]) == 0)
			return NULL;
	snprintf(why, len,
		 "PCI device %s is bound to %s, which DPDK cannot "
		 "use: dpdk-devbind.py -b vfio-pci %s",
		 full, drv, full);
	return why;
}

/* The driver a vdev name ("net_pcap0") is an instance of, or NULL. */
static const struct vdev_driver *
vdev_driver(const char *dev, size_t n)
{
	const struct vdev_driver *best = NULL;
	size_t l, best_len = 0;
	unsigned int i;
	const char *nm;
	int k;

	for (i = 0; i < RTE_DIM(vdev_drivers); i++) {
		for (k = 0; k < 2; k++) {
			nm = k == 0 ? vdev_drivers[i].name
				    : vdev_drivers[i].alias;
			l = strlen(nm);
			/* the longest prefix: net_tap is not net_ta */
			if (l > best_len && l <= n &&
			    strncmp(dev, nm, l) == 0) {
				best = &vdev_drivers[i];
				best_len = l;
			}
		}
	}
	return best;
}

static const char *
vdev_check(const char *dev, char *why, size_t len)
{
	size_t n = strcspn(dev, ",");
	const struct vdev_driver *d = vdev_driver(dev, n);
	char path[PATH_MAX];

	if (d == NULL) {
		snprintf(why, len,
			 "\"%.*s\" is no DPDK virtual device driver "
			 "(net_pcap, net_null, net_tap, net_ring, "
			 "net_af_packet, net_af_xdp, net_vhost, net_memif, "
			 "...) nor a PCI address",
			 (int)n, dev);
		return why;
	}
	snprintf(path, sizeof(path), FERRY_DPDK_PMD_DIR "/librte_%s.so",
		 d->object);
	if (access(FERRY_DPDK_PMD_DIR, F_OK) == 0 && access(path, F_OK) != 0) {
		snprintf(why, len, "driver %s is not installed (no %s)",
			 d->name, path);
		return why;
	}
	return NULL;
}

/* Every rx_pcap file of resolved devargs @p dev must be readable. */
static const char *
pcap_check(const char *dev, char *why, size_t len)
{
	const char *p = dev, *comma;
	char path[PATH_MAX];
	size_t k;

	for (p = strchr(dev, ','); p != NULL; p = comma) {
		p++;
		comma = strchr(p, ',');
		k = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (strncmp(p, "rx_pcap=", 8) != 0 || k - 8 >= sizeof(path))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(k - 8), p + 8);
		if (access(path, R_OK) != 0) {
			snprintf(why, len,
				 "rx_pcap %s: %s (relative paths "
				 "are from the configuration file's directory)",
				 path, strerror(errno));
			return why;
		}
	}
	return NULL;
}

const char *
port_device_check(const char *device, const char *cfg_file, char *why,
		  size_t len)
{
	char resolved[RESOLVED_LEN];
	const char *bad;

	if (port_device_is_pci(device))
		return host_checks ? pci_check(device, why, len) : NULL;
	bad = vdev_check(device, why, len);
	if (bad != NULL)
		return bad;
	if (port_device_resolve(device, cfg_file, resolved, sizeof(resolved)) <
	    0) {
		snprintf(why, len, "too long once its paths are resolved");
		return why;
	}
	/* a model loaded from a string (the CLI's) has no directory */
	if (!host_checks || cfg_file == NULL || access(cfg_file, R_OK) != 0)
		return NULL;
	return pcap_check(resolved, why, len);
}
