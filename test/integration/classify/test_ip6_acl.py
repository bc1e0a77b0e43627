#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""classify/ipv6: an ACL bound to an interface holds IPv6 too (issue 17).

ACL rules are IPv4 5-tuples; an IPv6 packet on a bound interface matches
none of them and takes the ACL's default, so a security group fails
closed instead of letting IPv6 pass unclassified.

  1. "web" (ACL sg, default deny, a rule permitting IPv4 UDP 2000): IPv6
     UDP 2000 and an ICMPv6 echo to ferry's own address are dropped as
     acl_ipv6_default_deny and counted on sg's default line; a neighbour
     solicitation for ferry's address is still answered (ND never passes
     the ACL, or a deny would cut the link).
  2. "open" (ACL lax, default permit, a rule denying IPv4 UDP): IPv6 UDP
     is forwarded out of p2 (hop limit - 1), counted on lax's default.
  3. "plain" (no ACL): IPv6 UDP is forwarded.
  4. the counters: every drop named, no mbuf leak.

Usage: /usr/bin/python3 test_ip6_acl.py FERRY_BINARY
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

TEMPLATE = ft.here(__file__, "ip6.cfg.in")
PORTS = ["p0", "p1", "p2", "p3"]
MACS = ["02:00:00:00:17:1%d" % i for i in range(4)]
HOST_MAC = "02:00:00:00:aa:01"
SERVER, SERVER_MAC = "2001:db8:b::10", "02:00:00:00:0c:01"
COPIES = 3


def scapy():
    from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest, ICMPv6ND_NS,
                                    ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr)
    from scapy.layers.inet import UDP
    from scapy.layers.l2 import Ether
    return dict(locals())


def default_hits(text):
    """Packets on the default line ('-') of `show acl NAME`, or None."""
    m = re.search(r"^\s+-\s+(\d+)\s", text, re.M)
    return int(m.group(1)) if m else None


def udp6(S, tag, src, port_idx):
    return S["Ether"](src=HOST_MAC, dst=MACS[port_idx]) / \
        S["IPv6"](src=src, dst=SERVER, hlim=64) / \
        S["UDP"](sport=1000, dport=2000) / ft.fill(tag, 64)


def add_traffic(S, tr):
    """@return (denied tags, {tag: in port} forwarded)."""
    denied, fwd = [], {}
    for _ in range(COPIES):
        tag = tr.tag()
        tr.add("p0", ft.pad60(udp6(S, tag, "2001:db8:a::10", 0)), tag)
        denied.append(tag)
        tag = tr.tag()
        echo = S["Ether"](src=HOST_MAC, dst=MACS[0]) / \
            S["IPv6"](src="2001:db8:a::10", dst="2001:db8:a::1") / \
            S["ICMPv6EchoRequest"](id=tag, seq=1, data=ft.fill(tag, 32))
        tr.add("p0", echo, tag)
        denied.append(tag)
        for idx, src in ((1, "2001:db8:c::10"), (3, "2001:db8:d::10")):
            tag = tr.tag()
            tr.add(PORTS[idx], udp6(S, tag, src, idx), tag)
            fwd[tag] = PORTS[idx]
    ns = S["Ether"](src=HOST_MAC, dst="33:33:ff:00:00:01") / \
        S["IPv6"](src="2001:db8:a::10", dst="ff02::1:ff00:1", hlim=255) / \
        S["ICMPv6ND_NS"](tgt="2001:db8:a::1") / \
        S["ICMPv6NDOptSrcLLAddr"](lladdr=HOST_MAC)
    tr.add("p0", bytes(ns))
    return denied, fwd


def check_fwd(chk, S, outs, tag):
    got = outs.take(tag=tag)
    if not chk.eq([o.port for o in got], ["p2"], "tag %d leaves once, by p2" % tag):
        return
    e = S["Ether"](got[0].raw)
    chk.eq((e.dst, e.src), (SERVER_MAC, MACS[2]), "tag %d: MACs" % tag)
    chk.eq(e[S["IPv6"]].hlim, 63, "tag %d: hop limit decremented" % tag)


def check_na(chk, S, outs):
    def is_na(o):
        return o.port == "p0" and S["ICMPv6ND_NA"] in S["Ether"](o.raw)
    got = outs.take(pred=is_na)
    if chk.eq(len(got), 1, "one neighbour advertisement out of p0"):
        chk.eq(S["Ether"](got[0].raw)[S["ICMPv6ND_NA"]].tgt, "2001:db8:a::1",
               "NA for ferry's address on web")


def main():
    binary = ft.setup()
    S = scapy()
    chk = ft.Checks("classify-ipv6")
    tr = ft.Traffic(PORTS)
    denied, fwd = add_traffic(S, tr)
    res = ft.run_ferry(binary, TEMPLATE, tr,
                       extra_cmds=["show acl sg", "show acl lax"])
    if res.check_run(chk):
        outs = ft.Outputs(res)
        chk.set_group("1 web: default deny holds IPv6")
        for tag in denied:
            ft.expect_no_output(chk, outs, tag)
        chk.eq(default_hits(res.extra.get("show acl sg", "")), len(denied),
               "sg's default counts the IPv6 packets", res.extra.get("show acl sg"))
        chk.set_group("1 web: ND still answered")
        check_na(chk, S, outs)
        chk.set_group("2-3 open (default permit) and plain (no ACL) forward")
        for tag in fwd:
            check_fwd(chk, S, outs, tag)
        chk.eq(default_hits(res.extra.get("show acl lax", "")),
               sum(1 for p in fwd.values() if p == "p1"),
               "lax's default counts the IPv6 packets", res.extra.get("show acl lax"))
        outs.check_unclaimed(chk)
        res.check_counters(chk, tr, drops={"acl_ipv6_default_deny": len(denied)})
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
