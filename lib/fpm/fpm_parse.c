/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FPM frames and netlink route messages (rtnetlink(7)): every length is
 * checked before the bytes it covers are read, attributes with libmnl's
 * mnl_attr_ok(). An attribute type beyond RTA_MAX, or one of the wrong
 * size, refuses the whole frame: the caller applies a frame only once
 * every message of it decoded (nothing half-applied).
 */
#include <string.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/lwtunnel.h>
#include <linux/mpls.h>
#include <linux/mpls_iptunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>

#include "fpm_parse.h"

static const char *const err_names[] = {
#define _FPM_ERR_NAME(e, n) [FPM_ERR_##e] = n,
	FOREACH_FPM_ERR(_FPM_ERR_NAME)
#undef _FPM_ERR_NAME
};

const char *
fpm_err_name(enum fpm_err e)
{
	return (unsigned int)e < FPM_ERR_MAX ? err_names[e] : "?";
}

int
fpm_frame_len(const uint8_t *buf, size_t have, enum fpm_err *err)
{
	size_t len;

	if (have < FPM_HDR_LEN)
		return 0;
	len = (size_t)buf[2] << 8 | buf[3];
	if (buf[0] != FPM_VERSION)
		*err = FPM_ERR_BAD_VERSION;
	else if (buf[1] != FPM_TYPE_NETLINK)
		*err = FPM_ERR_BAD_TYPE;
	else if (len < FPM_HDR_LEN + sizeof(struct nlmsghdr))
		*err = FPM_ERR_BAD_LENGTH;
	else
		return have >= len ? (int)len : 0;
	return -1;
}

/* Decoding state of one message. */
struct decode {
	struct fpm_route *r;
	struct fpm_path *path;   /* where path attributes go */
	struct fpm_path top;     /* the path outside RTA_MULTIPATH */
	uint16_t encap_type;
	const struct nlattr *encap;
	int has_dst;
	int has_mp;
};

typedef enum fpm_err (*attr_fn)(const struct nlattr *a, struct decode *d);

/* Every attribute of @p len bytes at @p start, which they must fill. */
static enum fpm_err
attrs_walk(const void *start, size_t len, attr_fn fn, struct decode *d)
{
	const struct nlattr *a = start;
	enum fpm_err e;
	size_t step;

	while (len > 0) {
		if (!mnl_attr_ok(a, (int)len))
			return FPM_ERR_BAD_ATTR;
		e = fn(a, d);
		if (e != FPM_ERR_OK)
			return e;
		step = MNL_ALIGN(a->nla_len);
		if (step >= len)
			break;
		len -= step;
		a = (const struct nlattr *)((const char *)a + step);
	}
	return FPM_ERR_OK;
}

static int
attr_len_is(const struct nlattr *a, size_t n)
{
	return mnl_attr_get_payload_len(a) == n;
}

static uint32_t
attr_ipv4(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return ntohl(v);
}

/* A label stack (MPLS_IPTUNNEL_DST, RTA_NEWDST, an AF_MPLS RTA_DST):
 * struct mpls_label entries, label in the top 20 bits. */
static enum fpm_err
labels_decode(const struct nlattr *a, uint32_t *labels, uint8_t *n)
{
	size_t len = mnl_attr_get_payload_len(a), i;
	const uint8_t *p = mnl_attr_get_payload(a);
	uint32_t e;

	if (len == 0 || len % 4 != 0)
		return FPM_ERR_BAD_ATTR;
	if (len / 4 > FPM_LABELS_MAX)
		return FPM_ERR_BAD_ROUTE;
	for (i = 0; i < len / 4; i++) {
		memcpy(&e, p + 4 * i, sizeof(e));
		labels[i] = ntohl(e) >> MPLS_LS_LABEL_SHIFT;
	}
	*n = (uint8_t)(len / 4);
	return FPM_ERR_OK;
}

static enum fpm_err
encap_attr(const struct nlattr *a, struct decode *d)
{
	if (mnl_attr_get_type(a) != MPLS_IPTUNNEL_DST)
		return FPM_ERR_OK; /* MPLS_IPTUNNEL_TTL: ferry's TTL rule */
	return labels_decode(a, d->path->labels, &d->path->n_labels);
}

/* RTA_ENCAP of the current path: MPLS labels to push. */
static enum fpm_err
encap_finish(struct decode *d)
{
	enum fpm_err e = FPM_ERR_OK;

	if (d->encap != NULL && d->encap_type == LWTUNNEL_ENCAP_MPLS)
		e = attrs_walk(mnl_attr_get_payload(d->encap),
			       mnl_attr_get_payload_len(d->encap), encap_attr,
			       d);
	else if (d->encap != NULL || d->encap_type != LWTUNNEL_ENCAP_NONE)
		d->r->unsupported = 1;
	d->encap = NULL;
	d->encap_type = LWTUNNEL_ENCAP_NONE;
	return e;
}

/* RTA_VIA of an AF_MPLS route: struct rtvia, an IPv4 next hop. */
static enum fpm_err
via_decode(const struct nlattr *a, struct fpm_path *p)
{
	const uint8_t *v = mnl_attr_get_payload(a);
	uint16_t family;
	uint32_t gw;

	if (mnl_attr_get_payload_len(a) < 2)
		return FPM_ERR_BAD_ATTR;
	memcpy(&family, v, sizeof(family));
	if (family != AF_INET)
		return FPM_ERR_OK; /* IPv6 next hop: no gateway for ferry */
	if (mnl_attr_get_payload_len(a) != 2 + 4)
		return FPM_ERR_BAD_ATTR;
	memcpy(&gw, v + 2, sizeof(gw));
	p->gw = ntohl(gw);
	return FPM_ERR_OK;
}

/* RTA_GATEWAY: an address of the route's family. */
static enum fpm_err
gateway_decode(const struct nlattr *a, struct decode *d)
{
	if (d->r->family == AF_INET6) {
		if (!attr_len_is(a, 16))
			return FPM_ERR_BAD_ATTR;
		memcpy(d->path->gw6, mnl_attr_get_payload(a), 16);
		return FPM_ERR_OK;
	}
	if (!attr_len_is(a, 4))
		return FPM_ERR_BAD_ATTR;
	d->path->gw = attr_ipv4(a);
	return FPM_ERR_OK;
}

/* Attributes a path has, at the top level or in an rtnexthop. */
static enum fpm_err
path_attr(const struct nlattr *a, struct decode *d)
{
	switch (mnl_attr_get_type(a)) {
	case RTA_GATEWAY:
		return gateway_decode(a, d);
	case RTA_OIF:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return FPM_ERR_BAD_ATTR;
		d->path->ifindex = mnl_attr_get_u32(a);
		return FPM_ERR_OK;
	case RTA_VIA:
		return via_decode(a, d->path);
	case RTA_NEWDST:
		return labels_decode(a, d->path->labels, &d->path->n_labels);
	case RTA_ENCAP_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
			return FPM_ERR_BAD_ATTR;
		d->encap_type = mnl_attr_get_u16(a);
		return FPM_ERR_OK;
	case RTA_ENCAP:
		d->encap = a;
		return FPM_ERR_OK;
	default:
		return mnl_attr_get_type(a) > RTA_MAX ? FPM_ERR_BAD_ATTR :
		       FPM_ERR_OK;
	}
}

/* One rtnexthop of RTA_MULTIPATH (rtnh_len covers its attributes). */
static enum fpm_err
nexthop_decode(const struct rtnexthop *nh, struct decode *d)
{
	struct fpm_route *r = d->r;
	struct fpm_path scratch;
	enum fpm_err e;

	if (r->n_paths == FPM_PATHS_MAX) {
		r->paths_dropped++;
		d->path = &scratch; /* still checked, then dropped */
	} else {
		d->path = &r->paths[r->n_paths++];
	}
	memset(d->path, 0, sizeof(*d->path));
	d->path->ifindex = (uint32_t)nh->rtnh_ifindex;
	d->path->weight = (uint8_t)(nh->rtnh_hops + 1 > 255 ? 255 :
				    nh->rtnh_hops + 1);
	e = attrs_walk(RTNH_DATA(nh), nh->rtnh_len - RTNH_LENGTH(0),
		       path_attr, d);
	return e == FPM_ERR_OK ? encap_finish(d) : e;
}

static enum fpm_err
multipath_decode(const struct nlattr *a, struct decode *d)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a), step;
	struct rtnexthop nh;
	enum fpm_err e;

	d->has_mp = 1;
	while (len > 0) {
		if (len < sizeof(nh))
			return FPM_ERR_BAD_ATTR;
		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > len)
			return FPM_ERR_BAD_ATTR;
		e = nexthop_decode((const struct rtnexthop *)p, d);
		if (e != FPM_ERR_OK)
			return e;
		step = RTNH_ALIGN(nh.rtnh_len);
		if (step >= len)
			break;
		len -= step;
		p += step;
	}
	return FPM_ERR_OK;
}

static enum fpm_err
route_attr(const struct nlattr *a, struct decode *d)
{
	switch (mnl_attr_get_type(a)) {
	case RTA_DST:
		if (d->r->family == AF_MPLS) {
			uint32_t l[FPM_LABELS_MAX];
			uint8_t n = 0;
			enum fpm_err e = labels_decode(a, l, &n);

			if (e == FPM_ERR_OK && n != 1)
				e = FPM_ERR_BAD_ATTR;
			d->r->dst = l[0];
			d->has_dst = 1;
			return e;
		}
		if (d->r->family == AF_INET6 && attr_len_is(a, 16)) {
			memcpy(d->r->dst6, mnl_attr_get_payload(a), 16);
			d->has_dst = 1;
			return FPM_ERR_OK;
		}
		if (!attr_len_is(a, 4))
			return d->r->family == AF_INET ||
			       d->r->family == AF_INET6 ? FPM_ERR_BAD_ATTR :
			       FPM_ERR_OK;
		d->r->dst = attr_ipv4(a);
		d->has_dst = 1;
		return FPM_ERR_OK;
	case RTA_TABLE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return FPM_ERR_BAD_ATTR;
		d->r->table = mnl_attr_get_u32(a);
		return FPM_ERR_OK;
	case RTA_MULTIPATH:
		return multipath_decode(a, d);
	case RTA_NH_ID: /* zebra with fpm use-next-hop-groups */
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0 ||
		    mnl_attr_get_u32(a) == 0)
			return FPM_ERR_BAD_ATTR;
		d->r->nh_id = mnl_attr_get_u32(a);
		return FPM_ERR_OK;
	default:
		d->path = &d->top;
		return path_attr(a, d);
	}
}

static enum fpm_err
route6_check(const struct fpm_route *r, const struct decode *d)
{
	unsigned int i;

	if (r->dst_len > 128 || (!d->has_dst && r->dst_len != 0))
		return FPM_ERR_BAD_ROUTE;
	for (i = r->dst_len; i < 128; i++)
		if (r->dst6[i / 8] & (0x80 >> (i % 8)))
			return FPM_ERR_BAD_ROUTE;
	return FPM_ERR_OK;
}

/* What a kernel refuses too: a length past the family's bits, host
 * bits set, a destination missing. */
static enum fpm_err
route_check(const struct fpm_route *r, const struct decode *d)
{
	if (r->family == AF_MPLS)
		return d->has_dst && r->dst_len == 20 ? FPM_ERR_OK :
		       FPM_ERR_BAD_ROUTE;
	if (r->family == AF_INET6)
		return route6_check(r, d);
	if (r->family != AF_INET)
		return FPM_ERR_OK;
	if (r->dst_len > 32 || (!d->has_dst && r->dst_len != 0))
		return FPM_ERR_BAD_ROUTE;
	if (r->dst_len < 32 && (r->dst & (UINT32_MAX >> r->dst_len)) != 0)
		return FPM_ERR_BAD_ROUTE;
	return FPM_ERR_OK;
}

/* Without RTA_MULTIPATH, the top-level path is the route's one. */
static void
top_path_finish(struct fpm_route *r, const struct decode *d)
{
	const struct fpm_path *top = &d->top;

	if (d->has_mp)
		return;
	r->paths[0] = *top;
	r->paths[0].weight = 1;
	r->n_paths = top->gw != 0 || top->ifindex != 0 ||
		     top->n_labels != 0 || top->gw6[0] != 0 ||
		     memcmp(top->gw6, top->gw6 + 1, 15) != 0;
}

static enum fpm_err
route_decode(const struct nlmsghdr *nlh, struct fpm_route *r)
{
	size_t hl = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg));
	struct decode d = { .r = r };
	struct rtmsg rtm;
	enum fpm_err e;

	if (nlh->nlmsg_len < hl)
		return FPM_ERR_BAD_NETLINK;
	memcpy(&rtm, mnl_nlmsg_get_payload(nlh), sizeof(rtm));
	r->family = rtm.rtm_family;
	r->dst_len = rtm.rtm_dst_len;
	r->rtm_type = rtm.rtm_type;
	r->protocol = rtm.rtm_protocol;
	r->table = rtm.rtm_table;
	e = attrs_walk((const char *)nlh + hl, nlh->nlmsg_len - hl,
		       route_attr, &d);
	if (e == FPM_ERR_OK && !d.has_mp) {
		d.path = &d.top;
		e = encap_finish(&d);
	}
	if (e != FPM_ERR_OK)
		return e;
	top_path_finish(r, &d);
	return route_check(r, &d);
}

/* NHA_GROUP: struct nexthop_grp entries (weight sent as weight - 1). */
static enum fpm_err
group_decode(const struct nlattr *a, struct fpm_route *r)
{
	size_t len = mnl_attr_get_payload_len(a), i;
	const uint8_t *p = mnl_attr_get_payload(a);
	struct nexthop_grp g;

	if (len == 0 || len % sizeof(g) != 0)
		return FPM_ERR_BAD_ATTR;
	for (i = 0; i < len / sizeof(g); i++) {
		memcpy(&g, p + i * sizeof(g), sizeof(g));
		if (g.id == 0)
			return FPM_ERR_BAD_ATTR;
		if (r->n_group == FPM_PATHS_MAX) {
			r->paths_dropped++;
			continue;
		}
		r->group[r->n_group].id = g.id;
		r->group[r->n_group++].weight = (uint16_t)(g.weight + 1u);
	}
	return FPM_ERR_OK;
}

/* Attributes of a next-hop object (rtnetlink(7), linux/nexthop.h). */
static enum fpm_err
nh_attr(const struct nlattr *a, struct decode *d)
{
	switch (mnl_attr_get_type(a)) {
	case NHA_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0 ||
		    mnl_attr_get_u32(a) == 0)
			return FPM_ERR_BAD_ATTR;
		d->r->nh_id = mnl_attr_get_u32(a);
		return FPM_ERR_OK;
	case NHA_GROUP:
		return group_decode(a, d->r);
	case NHA_BLACKHOLE:
		d->r->rtm_type = RTN_BLACKHOLE;
		return FPM_ERR_OK;
	case NHA_GATEWAY:
		return gateway_decode(a, d);
	case NHA_OIF:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return FPM_ERR_BAD_ATTR;
		d->path->ifindex = mnl_attr_get_u32(a);
		return FPM_ERR_OK;
	case NHA_ENCAP_TYPE:
		if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
			return FPM_ERR_BAD_ATTR;
		d->encap_type = mnl_attr_get_u16(a);
		return FPM_ERR_OK;
	case NHA_ENCAP:
		d->encap = a;
		return FPM_ERR_OK;
	default:
		return mnl_attr_get_type(a) > NHA_MAX ? FPM_ERR_BAD_ATTR :
		       FPM_ERR_OK;
	}
}

/* RTM_NEWNEXTHOP / RTM_DELNEXTHOP: an nhmsg, then NHA_ attributes. A
 * single next hop has its family (AF_INET, AF_INET6), a group
 * AF_UNSPEC. */
static enum fpm_err
nexthop_obj_decode(const struct nlmsghdr *nlh, struct fpm_route *r)
{
	size_t hl = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nhmsg));
	struct decode d = { .r = r };
	struct nhmsg nhm;
	enum fpm_err e;

	if (nlh->nlmsg_len < hl)
		return FPM_ERR_BAD_NETLINK;
	memcpy(&nhm, mnl_nlmsg_get_payload(nlh), sizeof(nhm));
	r->family = nhm.nh_family;
	r->rtm_type = RTN_UNICAST;
	r->protocol = nhm.nh_protocol;
	d.path = &d.top;
	e = attrs_walk((const char *)nlh + hl, nlh->nlmsg_len - hl, nh_attr,
		       &d);
	if (e == FPM_ERR_OK)
		e = encap_finish(&d);
	if (e != FPM_ERR_OK)
		return e;
	if (r->nh_id == 0)
		return FPM_ERR_BAD_ROUTE; /* zebra always names the object */
	if (r->n_group == 0)
		top_path_finish(r, &d);
	return FPM_ERR_OK;
}

enum fpm_err
fpm_frame_walk(const void *buf, size_t len,
	       int (*fn)(const struct fpm_route *r, void *arg), void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	struct fpm_route r;
	enum fpm_err e;

	while (left > 0) {
		if (!mnl_nlmsg_ok(nlh, left))
			return FPM_ERR_BAD_NETLINK;
		memset(&r, 0, sizeof(r));
		r.msg_type = nlh->nlmsg_type;
		if (r.msg_type == RTM_NEWROUTE || r.msg_type == RTM_DELROUTE) {
			e = route_decode(nlh, &r);
			if (e != FPM_ERR_OK)
				return e;
		} else if (r.msg_type == RTM_NEWNEXTHOP ||
			   r.msg_type == RTM_DELNEXTHOP) {
			e = nexthop_obj_decode(nlh, &r);
			if (e != FPM_ERR_OK)
				return e;
		}
		if (fn != NULL && fn(&r, arg) != 0)
			break;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return FPM_ERR_OK;
}
