/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TAP devices and their netlink configuration (libmnl), in a network
 * namespace. The management lcore's thread enters the namespace with
 * setns() around each operation and comes back; the TAP's fd keeps
 * working from any namespace once open.
 *
 * The TAP is not persistent (no TUNSETPERSIST): the kernel removes it
 * when its last fd closes, so ferry leaves none behind even when killed.
 */
#define _GNU_SOURCE /* setns() */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <sys/ioctl.h>

#include "cp_priv.h"

/* Requests here are a few attributes; answers one link. */
#define NL_BUF 8192

int
cp_netns_enter(const char *netns, int *saved)
{
	char path[sizeof("/run/netns/") + CP_NETNS_LEN];
	int fd, rc = 0;

	*saved = -1;
	if (netns[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0 || setns(fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		if (*saved >= 0)
			close(*saved);
		*saved = -1;
	}
	close(fd);
	return rc;
}

void
cp_netns_leave(int saved)
{
	if (saved < 0)
		return;
	if (setns(saved, CLONE_NEWNET) < 0)
		CP_LOG(ERR, "cannot return to ferry's namespace: %s",
		       strerror(errno));
	close(saved);
}

/* Send one request and wait for its answer (an ACK, or a reply fed to
 * @p cb). @return 0 or -errno from the kernel. */
static int
nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static char buf[NL_BUF];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned int seq = (unsigned int)time(NULL), portid;
	int rc = 0;
	ssize_t n;

	if (nl == NULL)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto close;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto close;
	}
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			rc = -errno;
			break;
		}
		n = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (n < 0)
			rc = -errno;
	} while (n > 0);
close:
	mnl_socket_close(nl);
	return rc;
}

static struct nlmsghdr *
link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* RTM_NEWLINK answer: is the link a tun/tap (IFLA_LINKINFO kind)? */
static int
kind_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    strcmp(mnl_attr_get_str(a), "tun") == 0)
		*(bool *)data = true;
	return MNL_CB_OK;
}

static int
link_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_LINKINFO)
		mnl_attr_parse_nested(a, kind_attr_cb, data);
	return MNL_CB_OK;
}

static int
link_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, data);
	return MNL_CB_OK;
}

/*
 * Delete a leftover TAP called @p name (a persistent one, or one a
 * process still holds), in the current namespace. Only a tun/tap:
 * an operator's device of that name is left alone, and opening the
 * TAP then fails with a clear error.
 */
static void
leftover_del(const char *name)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh;
	bool is_tap = false;

	nlh = link_msg(buf, RTM_GETLINK, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (nl_talk(nlh, link_cb, &is_tap) < 0 || !is_tap)
		return;
	CP_LOG(NOTICE, "deleting leftover TAP %s", name);
	nlh = link_msg(buf, RTM_DELLINK, 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nl_talk(nlh, NULL, NULL);
}

/*
 * IPv6 on the TAP, or none. With IPv6 the kernel keeps its sockets and
 * its neighbour table, but ferry alone speaks ND for its addresses on
 * the wire (doc/control-plane.md): no DAD (ferry runs it, RFC 4862 5.4,
 * and the kernel's probes would only go out as noise), no router
 * solicitations and no RAs taken (ferry's own ip6 section decides, RA
 * is off). Without IPv6 on the interface it is switched off. These are
 * sysctls of the TAP's namespace (the thread is in it). Best effort.
 */
static void
ipv6_conf_one(const char *name, const char *key, const char *val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", name,
		 key);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fputs(val, f);
	fclose(f);
}

static void
ipv6_conf(const char *name, bool ip6)
{
	if (!ip6) {
		ipv6_conf_one(name, "disable_ipv6", "1\n");
		return;
	}
	/* The namespace's default may have it off. */
	ipv6_conf_one(name, "disable_ipv6", "0\n");
	ipv6_conf_one(name, "accept_dad", "0\n");
	ipv6_conf_one(name, "dad_transmits", "0\n");
	ipv6_conf_one(name, "accept_ra", "0\n");
	ipv6_conf_one(name, "router_solicitations", "0\n");
	ipv6_conf_one(name, "accept_redirects", "0\n");
}

static int
tap_make(const char *name, bool ip6, int *ifindex, char *err, size_t len)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, len, "/dev/net/tun: %s", strerror(errno));
		return -errno;
	}
	leftover_del(name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int rc = -errno;

		snprintf(err, len, "TAP %s: %s%s", name, strerror(errno),
			 errno == EINVAL || errno == EBUSY ?
			 " (a device of that name exists?)" : "");
		close(fd);
		return rc;
	}
	*ifindex = (int)if_nametoindex(name);
	ipv6_conf(name, ip6);
	return fd;
}

int
tap_open(const char *netns, const char *name, bool ip6, int *ifindex, char *err,
	 size_t len)
{
	int saved, rc;

	rc = cp_netns_enter(netns, &saved);
	if (rc < 0) {
		snprintf(err, len, "namespace %s: %s", netns, strerror(-rc));
		return rc;
	}
	rc = tap_make(name, ip6, ifindex, err, len);
	cp_netns_leave(saved);
	return rc;
}

static int
link_set(int ifindex, const uint8_t *mac, uint16_t mtu, bool up)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (up) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = IFF_UP;
	}
	if (mac != NULL)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nlh, NULL, NULL);
}

/* RTM_NEWADDR of family @p family, its local and peer address both
 * @p addr (@p alen bytes, network order). */
static struct nlmsghdr *
addr_msg(char *buf, int ifindex, uint8_t family, const void *addr,
	 size_t alen, uint8_t plen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	return nlh;
}

static int
addr_add(int ifindex, uint32_t addr, uint8_t plen)
{
	char buf[NL_BUF];
	uint32_t a = htonl(addr);
	uint32_t bcast = htonl(addr | (plen == 0 ? ~0u : ~(~0u << (32 - plen))));
	struct nlmsghdr *nlh = addr_msg(buf, ifindex, AF_INET, &a, 4, plen);

	if (plen < 31)
		mnl_attr_put_u32(nlh, IFA_BROADCAST, bcast);
	return nl_talk(nlh, NULL, NULL);
}

/* ferry's global IPv6 address: no DAD (IFA_F_NODAD), ferry does it. */
static int
addr6_add(int ifindex, const uint8_t addr[16], uint8_t plen)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = addr_msg(buf, ifindex, AF_INET6, addr, 16, plen);

	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return nl_talk(nlh, NULL, NULL);
}

static int
addrs_add(int ifindex, const struct iface *ifc, char *err, size_t len)
{
	int rc = 0;

	if (ifc->addr != 0)
		rc = addr_add(ifindex, ifc->addr, ifc->plen);
	if (rc == 0 && ifc->ip6)
		rc = addr6_add(ifindex, ifc->addr6, ifc->plen6);
	if (rc < 0)
		snprintf(err, len, "netlink: address: %s", strerror(-rc));
	return rc;
}

int
tap_configure(const char *netns, int ifindex, const struct iface *ifc,
	      char *err, size_t len)
{
	int saved, rc;

	rc = cp_netns_enter(netns, &saved);
	if (rc < 0) {
		snprintf(err, len, "namespace %s: %s", netns, strerror(-rc));
		return rc;
	}
	/* The kernel makes the link-local address from the MAC (EUI-64)
	 * when the link comes up, as ferry makes its ll6. */
	rc = link_set(ifindex, ifc->mac.addr_bytes, ifc->mtu, true);
	if (rc < 0)
		snprintf(err, len, "netlink: MAC/MTU/up: %s", strerror(-rc));
	if (rc == 0)
		rc = addrs_add(ifindex, ifc, err, len);
	cp_netns_leave(saved);
	return rc;
}

int
tap_mtu_set(const char *netns, int ifindex, uint16_t mtu)
{
	int saved, rc;

	rc = cp_netns_enter(netns, &saved);
	if (rc == 0) {
		rc = link_set(ifindex, NULL, mtu, false);
		cp_netns_leave(saved);
	}
	return rc;
}

int
tap_carrier_set(int fd, bool on)
{
	int v = on;

	return ioctl(fd, TUNSETCARRIER, &v) < 0 ? -errno : 0;
}

bool
tap_exists(const char *netns, const char *name)
{
	int saved;
	bool found;

	if (cp_netns_enter(netns, &saved) < 0)
		return false;
	found = if_nametoindex(name) != 0;
	cp_netns_leave(saved);
	return found;
}
