#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""routing/forward: transit IPv4 through the two VRFs, both directions.

  1. cust-a: p0 -> p2 VLAN 10 towards 10.0.10.2 (02:00:00:00:aa:01)
  2. cust-b: p1 -> p2 VLAN 20 towards 10.0.20.2 (02:00:00:00:bb:01), with the
     same source addresses and flows as cust-a (the overlap the VRFs allow)
  3. reverse: p2 VLAN 10 -> p0 and p2 VLAN 20 -> p1, to 192.168.101.10 whose
     MAC differs per site
  4. TTL 2 is forwarded with TTL 1
Every packet must leave exactly once, by the expected port, with the new L2
header, TTL - 1, a correct header checksum and the rest unchanged.

Usage: /usr/bin/python3 test_forward.py FERRY_BINARY
"""

import re
import sys

import topo as T
from topo import ft


def zero_cksum_dst(tag, src, size):
    """A destination in 8.8.0.0/16 for which the forwarded header (TTL 63)
    has checksum 0x0000: the corner case of incremental checksum updates."""
    hdr = bytearray(bytes(ft.ip_packet(tag, src, "8.8.0.0", size))[:20])
    hdr[8] -= 1
    hdr[10:12] = b"\0\0"
    for n in range(1, 65536):
        hdr[18:20] = n.to_bytes(2, "big")
        if ft.inet_cksum(bytes(hdr)) == 0:
            return "8.8.%d.%d" % (n >> 8, n & 0xff)
    raise AssertionError("no such destination")


def main():
    binary = ft.setup()
    chk = ft.Checks("routing-forward")
    tr = ft.Traffic(T.PORTS)
    exp = []  # (group, tag, port, dst mac, src mac, vlan)

    def add(group, port, l2, src, dst, size, proto, out_port, out_dst, out_src,
            vlan, **kw):
        tag = tr.tag()
        pkt = l2 / ft.ip_packet(tag, src, dst, size, proto=proto, **kw)
        tr.add(port, ft.pad60(pkt) if len(pkt) < 60 else pkt)
        exp.append((group, tag, out_port, out_dst, out_src, vlan))
        return tag

    # 1. cust-a to the world: default route via 10.0.10.2 on p2.10
    to_a = dict(out_port="p2", out_dst=T.CORE_A_MAC, out_src=T.P2_MAC, vlan=T.VLAN_A)
    flows = [("8.8.8.8", 28 + 9, "udp"), ("8.8.8.8", 46, "udp"), ("1.1.1.1", 64, "tcp"),
             ("8.8.4.4", 100, "icmp"), ("203.0.113.9", 300, "udp"),
             ("10.99.0.1", 576, "tcp"), ("9.9.9.9", 1000, "udp"),
             ("8.8.8.8", T.MTU_A, "udp"),       # exactly the egress MTU
             ("8.8.8.8", T.MTU_A, "tcp")]
    for dst, size, proto in flows:
        add("1 cust-a p0 -> p2 VLAN 10", "p0", T.from_ce_a(), T.HOST, dst, size, proto, **to_a)
    add("1 cust-a p0 -> p2 VLAN 10", "p0", T.from_ce_a("02:00:00:00:01:21"),
        "192.168.101.33", "8.8.8.8", 200, "udp", df=True, tos=0xb8, **to_a)
    add("1 cust-a p0 -> p2 VLAN 10", "p0", T.from_ce_a(), T.HOST, "198.51.101.1", 120,
        "udp", **to_a)  # next to the blackholed /24, not in it

    # 2. cust-b: the same sources (overlap), its own VLAN and next hop
    to_b = dict(out_port="p2", out_dst=T.CORE_B_MAC, out_src=T.P2_MAC, vlan=T.VLAN_B)
    for dst, size, proto in [("10.20.1.1", 46, "udp"), ("10.20.1.1", 64, "tcp"),
                             ("10.20.255.7", 100, "icmp"), ("10.20.0.1", 700, "udp"),
                             ("10.20.1.1", 1500, "udp")]:   # 1500 fits p2.20's MTU
        add("2 cust-b p1 -> p2 VLAN 20", "p1", T.from_ce_b(), T.HOST, dst, size, proto, **to_b)
    # the very same flow from both customers: each leaves by its own VLAN
    add("2 overlap: same flow in both VRFs", "p0", T.from_ce_a(), T.HOST, "10.20.1.1", 80,
        "udp", sport=5555, dport=53, **to_a)
    add("2 overlap: same flow in both VRFs", "p1", T.from_ce_b(), T.HOST, "10.20.1.1", 80,
        "udp", sport=5555, dport=53, **to_b)

    # cust-b's address 10.0.20.1 is not ferry's in cust-a: routed, not answered
    add("2 VRF isolation: cust-b's address from cust-a is routed", "p0", T.from_ce_a(),
        T.HOST, "10.0.20.1", 84, "icmp", **to_a)

    # 3. reverse direction, to the host's MAC in each site
    to_ce_a = dict(out_port="p0", out_dst=T.HOST_A_MAC, out_src=T.P0_MAC, vlan=None)
    to_ce_b = dict(out_port="p1", out_dst=T.HOST_B_MAC, out_src=T.P1_MAC, vlan=None)
    for src, size, proto in [("8.8.8.8", 46, "udp"), ("8.8.8.8", 90, "tcp"),
                             ("1.1.1.1", 84, "icmp-reply"), ("8.8.8.8", 1400, "udp")]:
        add("3 reverse p2 VLAN 10 -> p0", "p2", T.from_core_a(), src, T.HOST, size, proto,
            **to_ce_a)
    for src, size, proto in [("10.20.1.1", 46, "udp"), ("10.20.1.1", 90, "tcp"),
                             ("10.20.9.9", 84, "icmp-reply"), ("10.20.1.1", 1500, "udp")]:
        add("3 reverse p2 VLAN 20 -> p1", "p2", T.from_core_b(), src, T.HOST, size, proto,
            **to_ce_b)

    # 4. TTL 2 leaves with TTL 1
    for port, l2, dst, proto, out in [("p0", T.from_ce_a(), "8.8.8.8", "udp", to_a),
                                      ("p0", T.from_ce_a(), "8.8.8.8", "tcp", to_a),
                                      ("p1", T.from_ce_b(), "10.20.1.1", "icmp", to_b),
                                      ("p2", T.from_core_a(), T.HOST, "udp", to_ce_a)]:
        add("4 TTL 2 -> forwarded with TTL 1", port, l2, "8.8.8.8" if port == "p2" else T.HOST,
            dst, 120, proto, ttl=2, **out)

    # header checksum corner: the updated checksum must be 0x0000, not 0xffff
    for src in ("192.168.101.10", "192.168.101.11"):
        tag = tr.tag()
        dst = zero_cksum_dst(tag, src, 60)
        pkt = T.from_ce_a() / ft.ip_packet(tag, src, dst, 60)
        tr.add("p0", pkt)
        exp.append(("checksum update gives 0x0000", tag, "p2", T.CORE_A_MAC, T.P2_MAC, T.VLAN_A))

    # a header with options (IHL 6) is forwarded with its options
    tag = tr.tag()
    ip = ft.IP(src=T.HOST, dst="8.8.8.8", id=tag, ttl=64, options=[ft.IPOption_NOP()] * 3
               + [ft.IPOption_EOL()]) / ft.UDP(sport=1234, dport=53) / ft.fill(tag, 40)
    tr.add("p0", T.from_ce_a() / ft.IP(bytes(ip)))
    exp.append(("IP options (IHL 6) forwarded intact", tag, "p2", T.CORE_A_MAC, T.P2_MAC,
                T.VLAN_A))

    res = ft.run_ferry(binary, T.TEMPLATE, tr, extra_cmds=["show ip route"])
    if res.check_run(chk):
        # extra: the routes that were just used are the configured ones
        chk.set_group("show ip route lists the configured routes")
        text = res.extra.get("show ip route", "")
        for vrf, pattern in [("cust-a", r"0\.0\.0\.0/0\s+via 10\.0\.10\.2\b"),
                             ("cust-a", r"198\.51\.100\.0/24\s+blackhole"),
                             ("cust-b", r"10\.20\.0\.0/16\s+via 10\.0\.20\.2\b")]:
            m = re.search(r"VRF %s\b(.*?)(?=^VRF |\Z)" % vrf, text, re.S | re.M)
            chk.ok(m is not None and re.search(pattern, m.group(1)) is not None,
                   "VRF %s shows a route matching /%s/" % (vrf, pattern), text)
        out = ft.Outputs(res)
        for group, tag, port, dst, src, vlan in exp:
            chk.set_group(group)
            ft.expect_forward(chk, out, tr, tag, port, dst, src, vlan=vlan)
        out.check_unclaimed(chk)
        res.check_counters(chk, tr, drops={})
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
