/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VRF of a VRF device's ifindex in zebra's namespace. zebra's LSP
 * for a per-VRF label (pop and look up in the VRF, RFC 4364 4.3.2) has
 * no gateway and the VRF device as out-interface (RTA_OIF). That
 * ifindex is zebra's, so ferry asks the kernel of zebra's namespace
 * (fpm.netns) what it is: a link of kind "vrf" has a kernel table
 * (IFLA_VRF_TABLE, rtnetlink(7)), which vrfs[].table maps to a ferry
 * VRF as it does for routes. A device of another kind is taken by
 * name: FRR names a VRF after its device, so a device named like a
 * ferry VRF is that VRF (kernels without VRF devices, like the test
 * machine's). A configured ifindex would go stale when the device is
 * made again; the table and the name are what the operator configured
 * already. One request per such LSP: they are few (one per VRF).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "control_plane.h"
#include "fpm_priv.h"
#include "route.h"

/* A netlink socket in zebra's namespace. */
static struct mnl_socket *
nl_open(void)
{
	struct mnl_socket *nl;
	int saved;

	if (cp_netns_enter(fpm.conf.netns, &saved) < 0)
		return NULL;
	nl = mnl_socket_open(NETLINK_ROUTE);
	cp_netns_leave(saved);
	if (nl != NULL && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		nl = NULL;
	}
	return nl;
}

struct link_info {
	bool is_vrf;
	uint32_t table;
	char name[IFNAMSIZ];
};

static int
info_data_cb(const struct nlattr *a, void *arg)
{
	struct link_info *li = arg;

	if (mnl_attr_get_type(a) == IFLA_VRF_TABLE &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		li->table = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
linkinfo_cb(const struct nlattr *a, void *arg)
{
	struct link_info *li = arg;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		li->is_vrf = strcmp(mnl_attr_get_str(a), "vrf") == 0;
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, info_data_cb, li);
	return MNL_CB_OK;
}

static int
link_attr_cb(const struct nlattr *a, void *arg)
{
	struct link_info *li = arg;

	if (mnl_attr_get_type(a) == IFLA_LINKINFO)
		mnl_attr_parse_nested(a, linkinfo_cb, arg);
	else if (mnl_attr_get_type(a) == IFLA_IFNAME &&
		 mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(li->name, sizeof(li->name), "%s",
			 mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int
link_cb(const struct nlmsghdr *nlh, void *arg)
{
	return mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb,
			      arg);
}

/* RTM_GETLINK of @p ifindex: the kernel answers at once (or errs). */
static int
link_query(struct mnl_socket *nl, uint32_t ifindex, struct link_info *li)
{
	char buf[8192]; /* one link; MNL_SOCKET_BUFFER_SIZE is a VLA */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	uint32_t seq = (uint32_t)time(NULL);
	ssize_t n;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl),
			  link_cb, li) < 0 ? -errno : 0;
}

int
fpm_vrf_dev_vrf(uint32_t ifindex)
{
	struct link_info li = { 0 };
	struct mnl_socket *nl = nl_open();
	int rc;

	if (nl == NULL)
		return -1;
	rc = link_query(nl, ifindex, &li);
	mnl_socket_close(nl);
	if (rc == 0 && li.is_vrf && li.table != 0)
		return fpm_table_vrf(li.table);
	if (rc == 0 && li.name[0] != '\0' && vrf_find(li.name) >= 0)
		return vrf_find(li.name);
	FPM_LOG(NOTICE, "LSP out-interface %u (%s) of zebra's namespace is "
		"no VRF device ferry maps", ifindex, rc < 0 ? strerror(-rc) :
		li.name);
	return -1;
}
