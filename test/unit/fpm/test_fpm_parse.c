/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fpm's frame and netlink decoding (fpm_parse.c): the shapes
 * zebra's dplane_fpm_nl sends (single path, RTA_MULTIPATH with weights,
 * RTA_ENCAP MPLS, AF_MPLS with RTA_VIA/RTA_NEWDST, DEL then NEW in one
 * frame, next-hop objects and routes naming them), and malformed input: bad header, truncated messages and
 * attributes, unknown attribute types, host bits. Every truncation and
 * every single-byte corruption of a valid frame is decoded without a
 * crash (the ASan build checks the reads).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/lwtunnel.h>
#include <linux/mpls.h>
#include <linux/mpls_iptunnel.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>

#include "fpm_parse.h"

#define BUF 4096

static uint32_t buf[BUF / 4]; /* netlink needs 4-byte alignment */

struct seen {
	unsigned int n;
	struct fpm_route r[4];
};

static int
collect(const struct fpm_route *r, void *arg)
{
	struct seen *s = arg;

	if (s->n < 4)
		s->r[s->n] = *r;
	s->n++;
	return 0;
}

/* A route message at @p at: @return it, attributes to be added. */
static struct nlmsghdr *
route_msg(void *at, uint16_t type, uint8_t family, uint8_t len,
	  uint8_t table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = len;
	rtm->rtm_table = table;
	rtm->rtm_protocol = RTPROT_BGP;
	rtm->rtm_type = RTN_UNICAST;
	return nlh;
}

static void
put_ip(struct nlmsghdr *nlh, uint16_t type, const char *ip)
{
	uint32_t a;

	inet_pton(AF_INET, ip, &a);
	mnl_attr_put(nlh, type, 4, &a);
}

static struct nlmsghdr *
v4_route(void *at, uint16_t type, const char *dst, uint8_t len,
	 const char *gw)
{
	struct nlmsghdr *nlh = route_msg(at, type, AF_INET, len, 254);

	put_ip(nlh, RTA_DST, dst);
	if (gw != NULL)
		put_ip(nlh, RTA_GATEWAY, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, 7);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 20);
	return nlh;
}

static enum fpm_err
walk(size_t len, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return fpm_frame_walk(buf, len, collect, s);
}

static void
test_single_path(void **state)
{
	struct nlmsghdr *nlh = v4_route(buf, RTM_NEWROUTE, "10.1.0.0", 16,
					"192.0.2.1");
	struct seen s;

	(void)state;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.r[0].msg_type, RTM_NEWROUTE);
	assert_int_equal(s.r[0].dst, 0x0a010000);
	assert_int_equal(s.r[0].dst_len, 16);
	assert_int_equal(s.r[0].table, 254);
	assert_int_equal(s.r[0].protocol, RTPROT_BGP);
	assert_int_equal(s.r[0].n_paths, 1);
	assert_int_equal(s.r[0].paths[0].gw, 0xc0000201);
	assert_int_equal(s.r[0].paths[0].ifindex, 7);
}

/* AF_INET6: 16-byte destination and gateway; a 4-byte gateway or a
 * /129, or host bits, refused. */
static struct nlmsghdr *
v6_route(const char *dst, uint8_t len, const char *gw, size_t gw_len)
{
	struct nlmsghdr *nlh = route_msg(buf, RTM_NEWROUTE, AF_INET6, len,
					 254);
	uint8_t a[16];

	inet_pton(AF_INET6, dst, a);
	mnl_attr_put(nlh, RTA_DST, 16, a);
	inet_pton(AF_INET6, gw, a);
	mnl_attr_put(nlh, RTA_GATEWAY, gw_len, a);
	return nlh;
}

static void
test_ipv6(void **state)
{
	struct nlmsghdr *nlh = v6_route("2001:db8:100::", 48,
					"2001:db8:a::2", 16);
	uint8_t dst[16], gw[16];
	struct seen s;

	(void)state;
	inet_pton(AF_INET6, "2001:db8:100::", dst);
	inet_pton(AF_INET6, "2001:db8:a::2", gw);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.r[0].family, AF_INET6);
	assert_int_equal(s.r[0].dst_len, 48);
	assert_memory_equal(s.r[0].dst6, dst, 16);
	assert_int_equal(s.r[0].n_paths, 1);
	assert_memory_equal(s.r[0].paths[0].gw6, gw, 16);
	nlh = v6_route("2001:db8:100::", 48, "2001:db8:a::2", 4);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	nlh = v6_route("2001:db8:100::", 129, "2001:db8:a::2", 16);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
	nlh = v6_route("2001:db8:100::1", 48, "2001:db8:a::2", 16);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
}

/* dplane_fpm_nl's route change: DEL then NEW in one frame; RTA_TABLE
 * (tables >= 256) wins over rtm_table. */
static void
test_del_new_table(void **state)
{
	struct nlmsghdr *a = v4_route(buf, RTM_DELROUTE, "10.2.0.0", 24, NULL);
	struct nlmsghdr *b = v4_route((char *)buf + MNL_ALIGN(a->nlmsg_len),
				      RTM_NEWROUTE, "10.2.0.0", 24,
				      "192.0.2.9");
	struct seen s;

	(void)state;
	mnl_attr_put_u32(b, RTA_TABLE, 1000);
	assert_int_equal(walk(MNL_ALIGN(a->nlmsg_len) + b->nlmsg_len, &s),
			 FPM_ERR_OK);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.r[0].msg_type, RTM_DELROUTE);
	assert_int_equal(s.r[1].msg_type, RTM_NEWROUTE);
	assert_int_equal(s.r[1].table, 1000);
}

static void
nexthop_put(struct nlmsghdr *nlh, const char *gw, uint8_t hops,
	    uint32_t label)
{
	struct rtnexthop *nh = mnl_nlmsg_get_payload_tail(nlh);
	size_t start = nlh->nlmsg_len;
	struct nlattr *enc;

	nlh->nlmsg_len += RTNH_ALIGN(sizeof(*nh));
	memset(nh, 0, sizeof(*nh));
	nh->rtnh_hops = hops;
	nh->rtnh_ifindex = 3;
	put_ip(nlh, RTA_GATEWAY, gw);
	if (label != 0) {
		uint32_t e = htonl(label << MPLS_LS_LABEL_SHIFT |
				   1 << MPLS_LS_S_SHIFT);

		mnl_attr_put_u16(nlh, RTA_ENCAP_TYPE, LWTUNNEL_ENCAP_MPLS);
		enc = mnl_attr_nest_start(nlh, RTA_ENCAP);
		mnl_attr_put(nlh, MPLS_IPTUNNEL_DST, 4, &e);
		mnl_attr_nest_end(nlh, enc);
	}
	nh->rtnh_len = (unsigned short)(nlh->nlmsg_len - start);
}

static struct nlmsghdr *
multipath_route(unsigned int n, uint32_t label)
{
	struct nlmsghdr *nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 24, 254);
	struct nlattr *mp;
	char gw[16];
	unsigned int i;

	put_ip(nlh, RTA_DST, "10.3.0.0");
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < n; i++) {
		snprintf(gw, sizeof(gw), "192.0.2.%u", i + 1);
		nexthop_put(nlh, gw, (uint8_t)i, label);
	}
	mnl_attr_nest_end(nlh, mp);
	return nlh;
}

static void
test_multipath(void **state)
{
	struct nlmsghdr *nlh = multipath_route(3, 0);
	struct seen s;

	(void)state;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.r[0].n_paths, 3);
	assert_int_equal(s.r[0].paths[2].gw, 0xc0000203);
	assert_int_equal(s.r[0].paths[2].weight, 3); /* rtnh_hops + 1 */
	assert_int_equal(s.r[0].paths[0].ifindex, 3);
	/* more than 16 paths: the first 16 kept, the rest counted */
	nlh = multipath_route(20, 0);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.r[0].n_paths, FPM_PATHS_MAX);
	assert_int_equal(s.r[0].paths_dropped, 4);
}

static void
test_labels(void **state)
{
	struct nlmsghdr *nlh = multipath_route(2, 16001);
	struct seen s;
	uint32_t e[2];
	struct rtvia via = { .rtvia_family = AF_INET };

	(void)state;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.r[0].paths[1].n_labels, 1);
	assert_int_equal(s.r[0].paths[1].labels[0], 16001);
	assert_int_equal(s.r[0].unsupported, 0);
	/* an LSP: AF_MPLS, in label 100 -> swap to 200/300 via 192.0.2.7 */
	nlh = route_msg(buf, RTM_NEWROUTE, AF_MPLS, 20, 254);
	e[0] = htonl(100u << MPLS_LS_LABEL_SHIFT | 1 << MPLS_LS_S_SHIFT);
	mnl_attr_put(nlh, RTA_DST, 4, e);
	e[0] = htonl(200u << MPLS_LS_LABEL_SHIFT);
	e[1] = htonl(300u << MPLS_LS_LABEL_SHIFT | 1 << MPLS_LS_S_SHIFT);
	mnl_attr_put(nlh, RTA_NEWDST, 8, e);
	{
		uint8_t v[6];

		memcpy(v, &via.rtvia_family, 2);
		inet_pton(AF_INET, "192.0.2.7", v + 2);
		mnl_attr_put(nlh, RTA_VIA, sizeof(v), v);
	}
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_OK);
	assert_int_equal(s.r[0].family, AF_MPLS);
	assert_int_equal(s.r[0].dst, 100);
	assert_int_equal(s.r[0].paths[0].n_labels, 2);
	assert_int_equal(s.r[0].paths[0].labels[1], 300);
	assert_int_equal(s.r[0].paths[0].gw, 0xc0000207);
}

static void
test_frame_header(void **state)
{
	uint8_t h[8] = { 1, 1, 0, 20 };
	enum fpm_err e = FPM_ERR_OK;

	(void)state;
	assert_int_equal(fpm_frame_len(h, 3, &e), 0);   /* need more */
	assert_int_equal(fpm_frame_len(h, 8, &e), 0);   /* 20 announced */
	h[3] = 8;
	assert_int_equal(fpm_frame_len(h, 8, &e), -1);  /* < a message */
	assert_int_equal(e, FPM_ERR_BAD_LENGTH);
	h[3] = 20;
	h[0] = 2;
	assert_int_equal(fpm_frame_len(h, 8, &e), -1);
	assert_int_equal(e, FPM_ERR_BAD_VERSION);
	h[0] = 1;
	h[1] = 2;
	assert_int_equal(fpm_frame_len(h, 8, &e), -1);
	assert_int_equal(e, FPM_ERR_BAD_TYPE);
}

static void
test_malformed(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct seen s;

	(void)state;
	/* a message longer than the frame */
	nlh = v4_route(buf, RTM_NEWROUTE, "10.1.0.0", 16, "192.0.2.1");
	assert_int_equal(walk(nlh->nlmsg_len - 4, &s), FPM_ERR_BAD_NETLINK);
	assert_int_equal(s.n, 0);
	/* trailing bytes too short for a message */
	assert_int_equal(walk(nlh->nlmsg_len + 8, &s), FPM_ERR_BAD_NETLINK);
	/* an attribute whose length runs past the message */
	a = (struct nlattr *)((char *)nlh + MNL_NLMSG_HDRLEN +
			      MNL_ALIGN(sizeof(struct rtmsg)));
	a->nla_len = 200;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	/* RTA_DST of 3 bytes */
	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 24, 254);
	mnl_attr_put(nlh, RTA_DST, 3, "abc");
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	/* an attribute type no kernel has */
	nlh = v4_route(buf, RTM_NEWROUTE, "10.1.0.0", 16, "192.0.2.1");
	mnl_attr_put_u32(nlh, RTA_MAX + 5, 1);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	/* host bits set, /33, no destination with a length */
	nlh = v4_route(buf, RTM_NEWROUTE, "10.1.0.1", 16, "192.0.2.1");
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
	nlh = v4_route(buf, RTM_NEWROUTE, "10.1.0.0", 33, "192.0.2.1");
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 8, 254);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
	/* a message too short for its rtmsg */
	nlh = route_msg(buf, RTM_NEWROUTE, AF_INET, 8, 254);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_NETLINK);
}

/* An rtnexthop whose length runs past RTA_MULTIPATH. */
static void
test_bad_nexthop(void **state)
{
	struct nlmsghdr *nlh = multipath_route(2, 0);
	struct nlattr *mp = (struct nlattr *)((char *)nlh + MNL_NLMSG_HDRLEN +
		MNL_ALIGN(sizeof(struct rtmsg)) + MNL_ALIGN(4 + 4));
	struct rtnexthop *nh = mnl_attr_get_payload(mp);
	struct seen s;

	(void)state;
	assert_int_equal(mnl_attr_get_type(mp), RTA_MULTIPATH);
	nh->rtnh_len = 500;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	nh->rtnh_len = 2;
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
}

/* A next-hop object as netlink_nexthop_msg_encode() builds it. */
static struct nlmsghdr *
nh_msg(void *at, uint16_t type, uint8_t family, uint32_t id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct nhmsg *nhm;

	nlh->nlmsg_type = type;
	nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
	nhm->nh_family = family;
	mnl_attr_put_u32(nlh, NHA_ID, id);
	return nlh;
}

static void
test_nexthop_objects(void **state)
{
	struct nexthop_grp g[2] = { { .id = 101, .weight = 0 },
				    { .id = 102, .weight = 2 } };
	struct nlmsghdr *nlh = nh_msg(buf, RTM_NEWNEXTHOP, AF_INET, 101);
	size_t off;
	struct seen s;

	(void)state;
	put_ip(nlh, NHA_GATEWAY, "192.0.2.1");
	mnl_attr_put_u32(nlh, NHA_OIF, 7);
	off = nlh->nlmsg_len;
	nlh = nh_msg((uint8_t *)buf + off, RTM_NEWNEXTHOP, AF_UNSPEC, 200);
	mnl_attr_put(nlh, NHA_GROUP, sizeof(g), g);
	off += nlh->nlmsg_len;
	nlh = route_msg((uint8_t *)buf + off, RTM_NEWROUTE, AF_INET, 16, 254);
	put_ip(nlh, RTA_DST, "10.1.0.0");
	mnl_attr_put_u32(nlh, RTA_NH_ID, 200);
	off += nlh->nlmsg_len;
	nlh = nh_msg((uint8_t *)buf + off, RTM_DELNEXTHOP, AF_UNSPEC, 101);
	off += nlh->nlmsg_len;
	assert_int_equal(walk(off, &s), FPM_ERR_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.r[0].nh_id, 101);
	assert_int_equal(s.r[0].n_paths, 1);
	assert_int_equal(s.r[0].paths[0].gw, 0xc0000201);
	assert_int_equal(s.r[0].paths[0].ifindex, 7);
	assert_int_equal(s.r[1].nh_id, 200);
	assert_int_equal(s.r[1].n_group, 2);
	assert_int_equal(s.r[1].group[1].id, 102);
	assert_int_equal(s.r[1].group[1].weight, 3);
	assert_int_equal(s.r[2].nh_id, 200);
	assert_int_equal(s.r[2].n_paths, 0);
	assert_int_equal(s.r[2].unsupported, 0);
	assert_int_equal(s.r[3].msg_type, RTM_DELNEXTHOP);
	assert_int_equal(s.r[3].nh_id, 101);
}

/* A group not made of whole nexthop_grp entries, an object without
 * NHA_ID, a member id 0: refused. */
static void
test_bad_nexthop_objects(void **state)
{
	struct nlmsghdr *nlh = nh_msg(buf, RTM_NEWNEXTHOP, AF_UNSPEC, 5);
	uint8_t seven[7] = { 1 };
	struct nexthop_grp zero = { .id = 0 };
	struct seen s;

	(void)state;
	mnl_attr_put(nlh, NHA_GROUP, sizeof(seven), seven);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	nlh = nh_msg(buf, RTM_NEWNEXTHOP, AF_UNSPEC, 5);
	mnl_attr_put(nlh, NHA_GROUP, sizeof(zero), &zero);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEXTHOP;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct nhmsg));
	put_ip(nlh, NHA_GATEWAY, "192.0.2.1");
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ROUTE);
	nlh = nh_msg(buf, RTM_NEWNEXTHOP, AF_INET, 5);
	mnl_attr_put_u32(nlh, NHA_MAX + 1, 0);
	assert_int_equal(walk(nlh->nlmsg_len, &s), FPM_ERR_BAD_ATTR);
}

/* Every truncation and every byte corruption of a labelled multipath
 * route: decoded or refused, never a read out of bounds (ASan). */
static void
test_mutations(void **state)
{
	static uint32_t orig[BUF / 4];
	struct nlmsghdr *nlh = multipath_route(3, 17);
	size_t len = nlh->nlmsg_len, i, v;
	struct seen s;
	unsigned int ok = 0, bad = 0;

	(void)state;
	memcpy(orig, buf, sizeof(orig));
	for (i = 0; i < len; i++) {
		memcpy(buf, orig, sizeof(buf));
		if (walk(i, &s) == FPM_ERR_OK)
			ok++;
		else
			bad++;
		for (v = 0; v < 256; v += 17) {
			memcpy(buf, orig, sizeof(buf));
			((uint8_t *)buf)[i] ^= (uint8_t)v;
			if (walk(len, &s) == FPM_ERR_OK)
				ok++;
			else
				bad++;
		}
	}
	assert_true(bad > len);  /* truncations are refused */
	assert_true(ok > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_path),
		cmocka_unit_test(test_del_new_table),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_multipath),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_frame_header),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_nexthop),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_nexthop_objects),
		cmocka_unit_test(test_bad_nexthop_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
