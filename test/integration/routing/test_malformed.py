#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""routing/malformed: frames ferry must drop, each under its reason.

  9. Every frame here is dropped without any answer; `show counters` must
     count exactly the frames sent per drop reason and nothing else, and
     no output port may send anything.
Cases marked "extra" go beyond the issue's list; they use reasons of
lib/pkt/drop_reasons.h (ICMP to ferry, multicast, fragments to ferry).

Usage: /usr/bin/python3 test_malformed.py FERRY_BINARY
"""

import struct
import sys

import topo as T
from topo import ft


def ip_raw(tag, src="192.168.101.10", dst="8.8.8.8", size=60, **kw):
    return bytearray(bytes(ft.ip_packet(tag, src, dst, size, **kw)))


def set_cksum(ip, ihl_bytes=20):
    ip[10:12] = b"\0\0"
    ip[10:12] = struct.pack("!H", ft.inet_cksum(bytes(ip[:ihl_bytes])))
    return ip


def frame(l2, payload, ethertype=None):
    e = l2.copy()
    if ethertype is not None:
        if ft.Dot1Q in e:
            e[ft.Dot1Q].type = ethertype
        else:
            e.type = ethertype
    return ft.pad60(bytes(e) + bytes(payload))


def main():
    binary = ft.setup()
    chk = ft.Checks("routing-malformed")
    tr = ft.Traffic(T.PORTS)
    want = {}     # reason -> count
    cases = []    # (reason, tag, what)

    def add(reason, port, raw, what, tag=None):
        tag = tr.add(port, raw, tag)
        want[reason] = want.get(reason, 0) + 1
        cases.append((reason, tag, what))

    a, b, core_a = T.from_ce_a(), T.from_ce_b(), T.from_core_a()

    # --- Ethernet
    add("eth_truncated", "p0", bytes(a)[:10], "10-byte runt")
    add("eth_truncated", "p1", bytes(b)[:13], "13-byte runt")
    add("eth_truncated", "p2", bytes(core_a)[:16], "802.1Q frame cut inside its tag")

    tag = tr.tag()
    add("l2_other_host", "p0", ft.eth("02:00:00:00:99:99", T.HOST_A_MAC) /
        ft.ip_packet(tag, T.HOST, "8.8.8.8", 100), "unicast to another MAC")
    tag = tr.tag()
    add("l2_other_host", "p2", ft.eth(T.P0_MAC, T.CORE_A_MAC, vlan=T.VLAN_A) /
        ft.ip_packet(tag, "8.8.8.8", T.HOST, 100), "to p0's MAC but received on p2")

    tag = tr.tag()
    add("no_interface", "p0", ft.eth(T.P0_MAC, T.HOST_A_MAC, vlan=99) /
        ft.ip_packet(tag, T.HOST, "8.8.8.8", 100), "VLAN 99 on p0")
    tag = tr.tag()
    add("no_interface", "p2", ft.eth(T.P2_MAC, T.CORE_A_MAC, vlan=30) /
        ft.ip_packet(tag, "8.8.8.8", T.HOST, 100), "VLAN 30 on p2")
    tag = tr.tag()
    add("no_interface", "p2", ft.eth(T.P2_MAC, T.CORE_A_MAC) /
        ft.ip_packet(tag, "8.8.8.8", T.HOST, 100), "untagged on p2 (only VLANs there)")

    tag = tr.tag()
    add("ipv6_unsupported", "p0", frame(a, bytes(
        ft.IPv6(src="fd00::10", dst="2001:db8::1") / ft.UDP(sport=1, dport=2) / ft.fill(tag, 40)),
        0x86dd), "IPv6 on p0", tag)
    tag = tr.tag()
    add("ipv6_unsupported", "p2", frame(core_a, bytes(
        ft.IPv6(src="2001:db8::1", dst="fd00::10") / ft.UDP(sport=1, dport=2) / ft.fill(tag, 40)),
        0x86dd), "IPv6 on p2 VLAN 10", tag)

    # No interface of this topology takes MPLS (mpls.interfaces is empty).
    tag = tr.tag()
    add("mpls_disabled", "p2", frame(core_a, bytes(ft.MPLS(label=100, cos=0, s=1, ttl=64)) +
                                     bytes(ft.ip_packet(tag, "8.8.8.8", T.HOST, 80)), 0x8847),
        "MPLS on p2 VLAN 10", tag)
    tag = tr.tag()
    add("mpls_disabled", "p0", frame(a, bytes(ft.MPLS(label=16, cos=0, s=1, ttl=64)) +
                                     bytes(ft.ip_packet(tag, T.HOST, "8.8.8.8", 80)), 0x8847),
        "MPLS on p0", tag)

    for port, l2 in (("p0", a), ("p1", b)):
        tag = tr.tag()
        add("ethertype_unknown", port, frame(l2, ft.fill(tag, 46), 0x88b5),
            "ethertype 0x88b5 on %s" % port, tag)

    # --- ARP
    for port, l2, mac in (("p0", a, T.HOST_A_MAC), ("p1", b, T.HOST_B_MAC)):
        tag = tr.tag()
        mac_b = bytes.fromhex(mac.replace(":", ""))
        # plen 6: sha(6) spa(6) tha(6) tpa(6), the addresses padded
        arp = struct.pack("!HHBBH", 1, 0x0800, 6, 6, 1) + mac_b + \
            bytes([192, 168, 101, 10, 0, 0]) + bytes(6) + bytes([192, 168, 101, 1, 0, 0])
        bcast = ft.eth(T.BCAST, mac)
        add("arp_malformed", port, frame(bcast, arp + ft.marker(tag), 0x0806),
            "ARP with plen 6 on %s" % port, tag)
    tag = tr.tag()
    arp = ft.ARP(op=0, hwsrc=T.HOST_A_MAC, psrc=T.HOST, pdst=T.GW)
    add("arp_malformed", "p0", frame(ft.eth(T.BCAST, T.HOST_A_MAC), bytes(arp) +
                                     ft.marker(tag), 0x0806), "extra: ARP opcode 0 (reserved)", tag)

    # --- IPv4 header checks
    tag = tr.tag()
    ip = ip_raw(tag)
    ip[10] ^= 0x5a
    add("ip4_bad_checksum", "p0", frame(a, ip, 0x0800), "wrong header checksum (p0)", tag)
    tag = tr.tag()
    ip = ip_raw(tag, src="8.8.8.8", dst=T.HOST, size=300, proto="tcp")
    ip[11] ^= 0x01
    add("ip4_bad_checksum", "p2", frame(core_a, ip, 0x0800), "wrong header checksum (p2)", tag)

    for ver, port, l2 in ((5, "p0", a), (6, "p1", b)):
        tag = tr.tag()
        ip = ip_raw(tag)
        ip[0] = (ver << 4) | 5
        add("ip4_bad_version", port, frame(l2, set_cksum(ip), 0x0800),
            "version %d in an IPv4 frame" % ver, tag)

    # IHL 4: the 4 bytes after the 16-byte "header" (the destination)
    # sum to 0xffff, so the checksum is right over 16 and over 20 bytes and
    # the verdict does not depend on which check comes first.
    for port, l2 in (("p0", a), ("p1", b)):
        tag = tr.tag()
        ip = ip_raw(tag, dst="8.8.247.247")
        ip[0] = 0x44
        set_cksum(ip)
        assert ft.inet_cksum(bytes(ip[:16])) == 0 and ft.inet_cksum(bytes(ip[:20])) == 0
        add("ip4_bad_ihl", port, frame(l2, ip, 0x0800), "IHL 4 on %s" % port, tag)

    tag = tr.tag()
    ip = ip_raw(tag, size=46)
    ip[2:4] = struct.pack("!H", 200)
    add("ip4_truncated", "p0", frame(a, set_cksum(ip), 0x0800),
        "total length 200 in a 60-byte frame", tag)
    tag = tr.tag()
    ip = ip_raw(tag, src="8.8.8.8", dst=T.HOST, size=500)
    ip[2:4] = struct.pack("!H", 1000)
    add("ip4_truncated", "p2", frame(core_a, set_cksum(ip), 0x0800),
        "total length 1000 in a 500-byte IP frame", tag)
    add("ip4_truncated", "p1", frame(b, bytes(ip_raw(tr.tag()))[:10], 0x0800)[:24],
        "24-byte frame ending inside the IPv4 header")

    for tl in (16, 0):
        tag = tr.tag()
        ip = ip_raw(tag)
        ip[2:4] = struct.pack("!H", tl)
        add("ip4_bad_length", "p0", frame(a, set_cksum(ip), 0x0800),
            "total length %d < header" % tl, tag)

    # --- routing decisions that drop
    for dst, size in (("198.51.100.7", 64), ("198.51.100.200", 900)):
        tag = tr.tag()
        add("ip4_blackhole", "p0", a / ft.ip_packet(tag, T.HOST, dst, size),
            "to %s (blackholed in cust-a)" % dst)
    for src, port, l2, what in (("127.0.0.1", "p0", a, "source 127.0.0.1"),
                                ("127.1.2.3", "p2", core_a, "source 127.1.2.3 from core"),
                                ("0.1.2.3", "p0", a, "extra: source 0.1.2.3"),
                                ("224.0.0.1", "p1", b, "extra: multicast source")):
        tag = tr.tag()
        add("ip4_bad_source", port, l2 / ft.ip_packet(tag, src, "8.8.8.8" if port != "p2"
                                                      else T.HOST, 64), what)
    for dst, what in (("127.0.0.2", "destination 127.0.0.2"),
                      ("0.1.2.3", "extra: destination 0.1.2.3"),
                      ("240.0.0.1", "extra: destination 240.0.0.1 (class E)")):
        tag = tr.tag()
        add("ip4_bad_dest", "p0", a / ft.ip_packet(tag, T.HOST, dst, 64), what)
    for dst, mac in (("224.1.2.3", T.P0_MAC), ("255.255.255.255", T.BCAST)):
        tag = tr.tag()
        add("ip4_multicast", "p0", ft.eth(mac, T.HOST_A_MAC) /
            ft.ip_packet(tag, T.HOST, dst, 64), "extra: destination %s" % dst)

    # --- to ferry itself (UDP to ferry gets a port unreachable: test_icmp.py)
    tag = tr.tag()
    add("ip4_local_unhandled", "p1", b / ft.ip_packet(tag, T.HOST, T.GW, 64, proto="tcp"),
        "extra: TCP to 192.168.101.1 (cust-b)")
    tag = tr.tag()
    ip = ip_raw(tag, dst=T.GW, size=84, proto="icmp")
    ip[6] |= 0x20  # MF: first fragment of an echo request
    add("ip4_fragment_local", "p0", frame(a, set_cksum(ip), 0x0800),
        "extra: fragment of an echo to 192.168.101.1", tag)
    tag = tr.tag()
    ip = ip_raw(tag, dst=T.GW, size=84, proto="icmp")
    ip[22] ^= 0xff  # ICMP checksum
    add("icmp_bad", "p0", frame(a, ip, 0x0800), "extra: echo to ferry, bad ICMP checksum", tag)

    res = ft.run_ferry(binary, T.TEMPLATE, tr)
    if res.check_run(chk):
        out = ft.Outputs(res)
        got = res.counters.drops if res.counters else {}
        for reason, tag, what in cases:
            chk.set_group(reason)
            if tag is not None:
                ft.expect_no_output(chk, out, tag, what)
        for reason, n in want.items():
            chk.set_group(reason)
            chk.eq(got.get(reason, 0), n, "show counters: drop %s" % reason)
        chk.set_group("no output at all")
        for port in T.PORTS:
            chk.eq(len(res.outputs[port]), 0, "frames out %s" % port,
                   "\n".join(ft.describe(r) for r in res.outputs[port]))
        out.check_unclaimed(chk)
        res.check_counters(chk, tr, drops=want)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
