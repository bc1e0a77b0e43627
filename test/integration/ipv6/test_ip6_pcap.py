#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipv6/pcap: IPv6 forwarding, ND, ICMPv6 and the RFC 8200 checks of
ferry_ip6_input on net_pcap ports, checked packet by packet with scapy.

  1. ND: a neighbour solicitation from each host for ferry's address is
     answered (solicited NA with ferry's MAC) and teaches ferry the host
  2. forwarding both ways, over the connected prefix, to a static
     neighbour (neighbours6) and over a static route
     (hop limit decremented, ferry's MAC as source, the host's as dest),
     and a fragment forwarded untouched
  3. ICMPv6: echo to ferry's global and link-local address -> reply;
     hop limit 1 -> time exceeded; no route -> unreachable; too big for
     b's MTU 1400 -> packet too big carrying 1400; UDP to ferry -> port
     unreachable; no error about an ICMPv6 error
  4. malformed input, each dropped under its exact reason: truncated at
     every offset of the fixed header and every extension-header length,
     bad version, payload length past the frame, long and unknown
     extension chains, hop-by-hop not first, routing header type 0,
     jumbo payload option, an option that must not be skipped, multicast
     and link-local packets that are never routed
  5. the counters: every drop named, nothing else dropped, no mbuf leak
     (ferry's own pool check at exit)

Usage: /usr/bin/python3 test_ip6_pcap.py FERRY_BINARY
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ferrytest as ft  # noqa: E402

TEMPLATE = os.path.join(HERE, "ferry.cfg.in")
PORTS = ["p0", "p1"]
P0_MAC, P1_MAC = "02:00:00:00:00:10", "02:00:00:00:00:11"
A_MAC, B_MAC = "02:00:00:00:01:0a", "02:00:00:00:02:0a"
GW_A, GW_B = "2001:db8:a::1", "2001:db8:b::1"
LL_A = "fe80::ff:fe00:10"   # EUI-64 of 02:00:00:00:00:10
HOST_A, HOST_B = "2001:db8:a::10", "2001:db8:b::10"
LL_HOST_A = "fe80::1:a"


def scapy():
    from scapy.layers.inet6 import (IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                                    IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, HBHOptUnknown,
                                    Jumbo, ICMPv6EchoRequest, ICMPv6NDOptSrcLLAddr,
                                    ICMPv6ND_NS, ICMPv6DestUnreach, ICMPv6EchoReply,
                                    ICMPv6TimeExceeded, ICMPv6PacketTooBig, ICMPv6ND_NA,
                                    ICMPv6NDOptDstLLAddr)
    from scapy.layers.inet import UDP
    from scapy.layers.l2 import Ether
    return dict(locals())


def main():
    binary = ft.setup()
    S = scapy()
    IPv6, UDP, Ether = S["IPv6"], S["UDP"], S["Ether"]
    chk = ft.Checks("ipv6-pcap")
    tr = ft.Traffic(PORTS)
    checks = []
    drops = {}

    def count(reason, n=1):
        drops[reason] = drops.get(reason, 0) + n

    def from_a(src=A_MAC, dst=P0_MAC, **kw):
        return Ether(src=src, dst=dst, **kw)

    def from_b():
        return Ether(src=B_MAC, dst=P1_MAC)

    def add(port, frame, tag=None, pad=True):
        raw = bytes(frame)
        if pad and len(raw) < 60:
            raw += b"\0" * (60 - len(raw))
        return tr.add(port, raw, tag)

    def udp6(tag, src, dst, size=64, hlim=64):
        return IPv6(src=src, dst=dst, hlim=hlim) / UDP(sport=1000, dport=2000) / \
            ft.fill(tag, size)

    # 1. ND from both hosts (they are then STALE neighbours of ferry)
    for port, l2, host, mac, gw in (("p0", from_a(dst="33:33:ff:00:00:01"), HOST_A, A_MAC, GW_A),
                                    ("p1", Ether(src=B_MAC, dst="33:33:ff:00:00:01"),
                                     HOST_B, B_MAC, GW_B)):
        ns = IPv6(src=host, dst="ff02::1:ff00:1", hlim=255) / S["ICMPv6ND_NS"](tgt=gw) / \
            S["ICMPv6NDOptSrcLLAddr"](lladdr=mac)
        add(port, l2 / ns)
        checks.append(("1 NS for %s -> NA" % gw, lambda outs, port=port, host=host, mac=mac,
                       gw=gw: expect_na(chk, S, outs, port, host, mac, gw)))

    # host A's link-local address, for the echo to ferry's link-local one
    ns = IPv6(src=LL_HOST_A, dst="ff02::1:ff00:10", hlim=255) / S["ICMPv6ND_NS"](tgt=LL_A) / \
        S["ICMPv6NDOptSrcLLAddr"](lladdr=A_MAC)
    add("p0", from_a(dst="33:33:ff:00:00:10") / ns)
    checks.append(("1 NS for %s -> NA" % LL_A, lambda outs: expect_na(
        chk, S, outs, "p0", LL_HOST_A, A_MAC, LL_A)))

    # 2. forwarding
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, HOST_B))
    checks.append(("2 a -> b connected", lambda o, tag=tag: expect_fwd(
        chk, S, o, tag, "p1", B_MAC, P1_MAC, 63)))
    tag = tr.tag()
    add("p1", from_b() / udp6(tag, HOST_B, HOST_A, hlim=2))
    checks.append(("2 b -> a connected (hop limit 2)", lambda o, tag=tag: expect_fwd(
        chk, S, o, tag, "p0", A_MAC, P0_MAC, 1)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, "2001:db8:99::5"))
    checks.append(("2 a -> static route via host B", lambda o, tag=tag: expect_fwd(
        chk, S, o, tag, "p1", B_MAC, P1_MAC, 63)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, "2001:db8:b::20"))
    checks.append(("2 a -> static neighbour (neighbours6)", lambda o, tag=tag: expect_fwd(
        chk, S, o, tag, "p1", "02:00:00:00:02:20", P1_MAC, 63)))
    tag = tr.tag()
    frag = IPv6(src=HOST_A, dst=HOST_B) / S["IPv6ExtHdrFragment"](offset=10, m=0, id=7) / \
        ft.fill(tag, 80)
    add("p0", from_a() / frag)
    checks.append(("2 non-first fragment forwarded untouched", lambda o, tag=tag: expect_fwd(
        chk, S, o, tag, "p1", B_MAC, P1_MAC, 63)))

    # 3. ICMPv6
    for dst, src in ((GW_A, HOST_A), (GW_B, HOST_A), (LL_A, LL_HOST_A)):
        tag = tr.tag()
        req = IPv6(src=src, dst=dst) / S["ICMPv6EchoRequest"](id=tag, seq=1, data=ft.fill(tag, 32))
        add("p0", from_a() / req)
        checks.append(("3 echo to %s -> reply" % dst, lambda o, tag=tag, src=src, dst=dst:
                       expect_icmp6(chk, S, o, tag, "p0", 129, 0, dst, src)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, HOST_B, hlim=1))
    count("ip6_hop_limit")
    checks.append(("3 hop limit 1 -> time exceeded", lambda o, tag=tag: expect_icmp6(
        chk, S, o, tag, "p0", 3, 0, GW_A, HOST_A, quoted=True)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, HOST_B, hlim=0))
    count("ip6_hop_limit")
    checks.append(("3 hop limit 0 -> time exceeded", lambda o, tag=tag: expect_icmp6(
        chk, S, o, tag, "p0", 3, 0, GW_A, HOST_A, quoted=True)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, "2001:db8:77::1"))
    count("ip6_no_route")
    checks.append(("3 no route -> unreachable", lambda o, tag=tag: expect_icmp6(
        chk, S, o, tag, "p0", 1, 0, GW_A, HOST_A, quoted=True)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, HOST_B, size=1400))
    count("ip6_too_big")
    checks.append(("3 too big for b -> packet too big, MTU 1400", lambda o, tag=tag:
                   expect_icmp6(chk, S, o, tag, "p0", 2, 0, GW_A, HOST_A, quoted=True,
                                mtu=1400)))
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, GW_A))
    count("ip6_local_unhandled")
    checks.append(("3 UDP to ferry -> port unreachable", lambda o, tag=tag: expect_icmp6(
        chk, S, o, tag, "p0", 1, 4, GW_A, HOST_A, quoted=True)))
    tag = tr.tag()
    err = IPv6(src=HOST_A, dst="2001:db8:77::1") / S["ICMPv6DestUnreach"]() / \
        ft.fill(tag, 48)
    add("p0", from_a() / err)
    count("ip6_no_route")  # silently: no error about an error (RFC 4443 2.4 e)
    tag = tr.tag()
    add("p0", from_a() / udp6(tag, HOST_A, "2001:db8:dead::1"))
    count("ip6_blackhole")

    # 4. malformed
    malformed(S, tr, add, from_a, count)

    cmds = ("ipv6 route add 2001:db8:55::/48 via 2001:db8:b::10",
            "ipv6 route add 2001:db8:56::/48 via 2001:db8:7::1",
            "ipv6 route del 2001:db8:dead::/48",
            "ipv6 neighbour add 2001:db8:b::30 mac 02:00:00:00:02:30 interface b",
            "ipv6 neighbour add 2001:db8:a::30 mac 02:00:00:00:02:30 interface b",
            "ipv6 neighbour del 2001:db8:b::20 interface b",
            "show ipv6 route", "show ipv6 neighbours", "show running-config",
            "show interfaces")
    res = ft.run_ferry(binary, TEMPLATE, tr, extra_cmds=cmds)
    if res.check_run(chk):
        check_cli(chk, res.extra)
        outs = {p: [Ether(r) for r in res.outputs.get(p, [])] for p in PORTS}
        for group, fn in checks:
            chk.set_group(group)
            fn(outs)
        chk.set_group("no unexpected output")
        left = [(p, pkt) for p in PORTS for pkt in outs[p] if pkt is not None]
        for p, pkt in left:
            chk.fail("unexpected frame out %s: %s" % (p, pkt.summary()))
        chk.ok(not left, "every output frame was expected")
        res.check_counters(chk, tr, drops=drops)
    return chk.summary()


def check_cli(chk, out):
    """Live route changes, the show commands and running-config."""
    chk.set_group("6 CLI and running-config")
    chk.ok("%" not in out[cmds_add()], "ipv6 route add accepted", out[cmds_add()])
    bad = out["ipv6 route add 2001:db8:56::/48 via 2001:db8:7::1"]
    chk.ok("not on a connected prefix" in bad,
           "a next hop on no connected prefix is refused with the reason", bad)
    routes = out["show ipv6 route"]
    for line in ("2001:db8:55::/48", "via 2001:db8:b::10 dev b", "2001:db8:a::/64",
                 "connected dev a", "2001:db8:a::1/128"):
        chk.ok(line in routes, "show ipv6 route has %s" % line, routes)
    chk.ok("2001:db8:dead::/48" not in routes, "the deleted blackhole is gone", routes)
    chk.ok("2001:db8:56::" not in routes, "the refused route is not installed", routes)
    nd = out["show ipv6 neighbours"]
    chk.ok("2001:db8:b::30" in nd and "permanent" in nd,
           "the static neighbour added on the CLI is listed as permanent", nd)
    chk.ok("2001:db8:b::20" not in nd, "the deleted static neighbour is gone", nd)
    bad = out["ipv6 neighbour add 2001:db8:a::30 mac 02:00:00:00:02:30 interface b"]
    chk.ok("not on the interface's prefix" in bad, "a neighbour off the prefix is refused",
           bad)
    ifs = out["show interfaces"]
    chk.ok("ipv6 2001:db8:a::1/64 link-local %s" % LL_A in ifs,
           "show interfaces gives a's IPv6 and EUI-64 link-local address", ifs)
    rc = out["show running-config"]
    for text in ('address6 = "2001:db8:a::1/64"', 'prefix = "2001:db8:55::/48"',
                 'via = "2001:db8:b::10"', 'address = "2001:db8:b::30"', "dad_ms = 0"):
        chk.ok(text in rc, "running-config has %s" % text, rc)
    chk.ok("2001:db8:dead::/48" not in rc, "running-config lost the deleted route", rc)


def cmds_add():
    return "ipv6 route add 2001:db8:55::/48 via 2001:db8:b::10"


def take(outs, port, pred):
    """Claim the frames out @p port matching @p pred (set to None)."""
    got = []
    for i, p in enumerate(outs[port]):
        if p is not None and pred(p):
            got.append(p)
            outs[port][i] = None
    return got


def tagged(tag):
    m = ft.marker(tag)
    return lambda p: m in bytes(p)


def expect_fwd(chk, S, outs, tag, port, dst_mac, src_mac, hlim):
    got = take(outs, port, tagged(tag))
    if not chk.eq(len(got), 1, "one frame out %s" % port):
        return
    p = got[0]
    chk.eq((p.dst, p.src), (dst_mac, src_mac), "Ethernet addresses")
    chk.eq(p[S["IPv6"]].hlim, hlim, "hop limit")


def expect_icmp6(chk, S, outs, tag, port, typ, code, src, dst, quoted=False, mtu=None):
    got = take(outs, port, tagged(tag))
    if not chk.eq(len(got), 1, "one frame out %s" % port):
        return
    ip = got[0][S["IPv6"]]
    chk.eq((ip.src, ip.dst, ip.nh), (src, dst, 58), "IPv6 source, destination, next header")
    icmp = bytes(ip.payload)
    chk.eq((icmp[0], icmp[1]), (typ, code), "ICMPv6 type/code")
    # the checksum scapy computes over the pseudo-header must match
    again = S["IPv6"](bytes(ip))
    saved = again.payload.cksum
    del again.payload.cksum
    chk.eq(S["IPv6"](bytes(again))[S["IPv6"]].payload.cksum, saved, "ICMPv6 checksum")
    if mtu is not None:
        chk.eq(struct.unpack("!I", icmp[4:8])[0], mtu, "packet too big MTU")
    if quoted:
        chk.ok(len(bytes(ip)) <= 1280, "error fits the IPv6 minimum MTU")


def expect_na(chk, S, outs, port, host, mac, gw):
    def is_na(p):
        return S["ICMPv6ND_NA"] in p and p[S["ICMPv6ND_NA"]].tgt == gw
    got = take(outs, port, is_na)
    if not chk.eq(len(got), 1, "one NA out %s" % port):
        return
    p = got[0]
    na = p[S["ICMPv6ND_NA"]]
    chk.eq((p.dst, p[S["IPv6"]].dst, p[S["IPv6"]].hlim), (mac, host, 255),
           "NA to the soliciting host, hop limit 255")
    chk.eq((na.S, na.O), (1, 1), "solicited and override flags")
    ours = P0_MAC if port == "p0" else P1_MAC
    chk.ok(S["ICMPv6NDOptDstLLAddr"] in p and
           p[S["ICMPv6NDOptDstLLAddr"]].lladdr == ours,
           "target link-layer address is ferry's MAC")


def malformed(S, tr, add, from_a, count):
    IPv6, UDP = S["IPv6"], S["UDP"]
    eth = bytes(from_a(type=0x86dd))
    base = bytes(IPv6(src=HOST_A, dst=HOST_B) / S["IPv6ExtHdrHopByHop"]() /
                 S["IPv6ExtHdrDestOpt"]() / UDP(sport=1, dport=2) / (b"x" * 16))
    # truncated frames: cut at every offset; below the fixed header it is
    # ip6_truncated, past it the payload length is beyond the frame
    # (frames are not padded to 60 bytes here: padding would be read as
    # header bytes)
    for cut in range(0, len(base)):
        add("p0", eth + base[:cut], pad=False)
        count("ip6_truncated" if cut < 40 else "ip6_bad_length")
    # cut at every offset with the payload length fixed up: extension
    # headers run past it (ip6_truncated) until the UDP header starts
    for cut in range(40, 56):
        b = bytearray(base[:cut])
        struct.pack_into("!H", b, 4, cut - 40)
        add("p0", eth + bytes(b), pad=False)
        # length 0 with hop-by-hop next is a jumbogram (RFC 2675 3)
        count("ip6_jumbogram" if cut == 40 else "ip6_truncated")
    v4 = bytearray(base)
    v4[0] = 0x40
    add("p0", eth + bytes(v4))
    count("ip6_bad_version")
    hdr = IPv6(src=HOST_A, dst=HOST_B)
    long_chain = hdr
    for _ in range(9):
        long_chain = long_chain / S["IPv6ExtHdrDestOpt"]()
    add("p0", from_a() / long_chain / UDP())
    count("ip6_ext_chain")
    add("p0", from_a() / hdr / S["IPv6ExtHdrDestOpt"]() / S["IPv6ExtHdrHopByHop"]() / UDP())
    count("ip6_ext_chain")
    add("p0", from_a() / hdr / S["IPv6ExtHdrRouting"](type=0, segleft=1,
                                                    addresses=["2001:db8::2"]) / UDP())
    count("ip6_rh0")
    add("p0", from_a() / hdr / S["IPv6ExtHdrHopByHop"](
        options=[S["HBHOptUnknown"](otype=0x45, optdata=b"ab")]) / UDP())
    count("ip6_bad_option")
    # an unknown option of type 00xxxxxx is skipped: forwarded
    add("p0", from_a() / IPv6(src=HOST_A, dst="2001:db8:dead::2") / S["IPv6ExtHdrHopByHop"](
        options=[S["HBHOptUnknown"](otype=0x1e, optdata=b"ab")]) / UDP())
    count("ip6_blackhole")
    jumbo = bytearray(bytes(hdr / S["IPv6ExtHdrHopByHop"](options=[S["Jumbo"](jumboplen=70000)])
                            / UDP()))
    struct.pack_into("!H", jumbo, 4, 0)
    add("p0", eth + bytes(jumbo))
    count("ip6_jumbogram")
    add("p0", from_a(dst="33:33:00:00:00:05") / IPv6(src=HOST_A, dst="ff02::5") / UDP())
    count("ip6_multicast")
    add("p0", from_a() / IPv6(src=LL_HOST_A, dst="fe80::99") / UDP())
    count("ip6_link_local")
    add("p0", from_a() / IPv6(src=LL_HOST_A, dst=HOST_B) / UDP())
    count("ip6_link_local")
    add("p0", from_a() / IPv6(src="ff02::1", dst=HOST_B) / UDP())
    count("ip6_bad_source")
    add("p0", from_a() / IPv6(src=HOST_A, dst="::1") / UDP())
    count("ip6_bad_dest")


if __name__ == "__main__":
    sys.exit(main())
