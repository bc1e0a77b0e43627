#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""routing/arp: ARP answers, learning and resolution.

  8. who-has 192.168.101.1 on p0 -> is-at 02:00:00:00:00:10; ferry learns
     192.168.101.20 from the request and delivers a packet for it from the
     core (held until learned if it came first); the same in cust-b on p1,
     where .20 has another MAC (neighbour tables are per interface).
     A packet to 192.168.101.77 (never answers) makes ferry ask who-has .77
     out p0; the packet itself never leaves.
Also: packets for a host ferry does not know yet are held and sent once
it announces itself (forced order: the announcement comes after 256 frames
on its port); who-has on a VLAN subinterface is answered tagged; who-has
for an address that is not ferry's is not answered (arp_not_for_us).

Usage: /usr/bin/python3 test_arp.py FERRY_BINARY
"""

import sys

import topo as T
from topo import ft

H20_A_MAC = "02:00:00:00:01:14"   # 192.168.101.20 in customer A's site
H20_B_MAC = "02:00:00:00:02:14"   # 192.168.101.20 in customer B's site
H30_A_MAC = "02:00:00:00:01:1e"   # 192.168.101.30, announces itself late
ZERO_MAC = "00:00:00:00:00:00"
N_FILL = 256


def arp_frame(tag, l2, op, sha, spa, tha, tpa, plen=4):
    """ARP over @p l2, padded to 60 bytes, with the tag's marker in the
    padding (so a copy of it on an output would be recognised)."""
    a = ft.ARP(op=op, hwsrc=sha, psrc=spa, hwdst=tha, pdst=tpa, plen=plen)
    raw = bytes(l2 / a) + ft.marker(tag)
    return ft.pad60(raw)


def main():
    binary = ft.setup()
    chk = ft.Checks("routing-arp")
    tr = ft.Traffic(T.PORTS)

    def l2(dst, src, vlan=None):
        e = ft.eth(dst, src, vlan)
        if vlan is None:
            e.type = 0x0806
        else:
            e[ft.Dot1Q].type = 0x0806
        return e

    # requests for ferry's addresses, first in each input
    req_a = tr.tag()
    tr.add("p0", arp_frame(req_a, l2(T.BCAST, H20_A_MAC), 1, H20_A_MAC, "192.168.101.20",
                           ZERO_MAC, T.GW), req_a)
    req_b = tr.tag()
    tr.add("p1", arp_frame(req_b, l2(T.BCAST, H20_B_MAC), 1, H20_B_MAC, "192.168.101.20",
                           ZERO_MAC, T.GW), req_b)
    req_core = tr.tag()
    tr.add("p2", arp_frame(req_core, l2(T.BCAST, T.CORE_A_MAC, T.VLAN_A), 1, T.CORE_A_MAC,
                           "10.0.10.2", ZERO_MAC, "10.0.10.1"), req_core)
    # who-has for an address that is not ferry's: no answer
    req_other = tr.tag()
    tr.add("p0", arp_frame(req_other, l2(T.BCAST, "02:00:00:00:01:15"), 1,
                           "02:00:00:00:01:15", "192.168.101.21", ZERO_MAC,
                           "192.168.101.5"), req_other)

    # data from the core for the hosts that just announced themselves
    data = []
    for port_l2, src, out_port, mac, out_src, n in [
            (T.from_core_a(), "8.8.8.8", "p0", H20_A_MAC, T.P0_MAC, 3),
            (T.from_core_b(), "10.20.1.1", "p1", H20_B_MAC, T.P1_MAC, 3)]:
        for i in range(n):
            tag = tr.tag()
            tr.add("p2", port_l2 / ft.ip_packet(tag, src, "192.168.101.20", 60 + 200 * i,
                                               proto=("udp", "tcp", "icmp-reply")[i % 3]))
            data.append((tag, out_port, mac, out_src))
    # held packets: the data for .30 comes first on p2, the request
    # that teaches ferry .30's MAC only after N_FILL frames on p0 that are
    # dropped (the worker polls p0, p1, p2 in turn, a burst at a time)
    held = []
    for i in range(3):
        tag = tr.tag()
        tr.add("p2", T.from_core_a() / ft.ip_packet(tag, "8.8.8.8", "192.168.101.30",
                                                   100 + 300 * i))
        held.append(tag)
    for i in range(N_FILL):
        tag = tr.tag()
        tr.add("p0", ft.eth("02:00:00:00:99:99", H30_A_MAC) /
               ft.ip_packet(tag, "192.168.101.30", "8.8.8.8", 46))
    req_30 = tr.tag()
    tr.add("p0", arp_frame(req_30, l2(T.BCAST, H30_A_MAC), 1, H30_A_MAC, "192.168.101.30",
                           ZERO_MAC, T.GW), req_30)

    # and for a host that never answers
    silent = []
    for i in range(2):
        tag = tr.tag()
        tr.add("p2", T.from_core_a() / ft.ip_packet(tag, "8.8.8.8", "192.168.101.77", 80))
        silent.append(tag)

    res = ft.run_ferry(binary, T.TEMPLATE, tr)
    if not res.check_run(chk):
        return chk.summary()
    out = ft.Outputs(res)

    for tag, port, mac, src, vlan, sha, spa, tha, tpa, what in [
            (req_a, "p0", H20_A_MAC, T.P0_MAC, None, T.P0_MAC, T.GW, H20_A_MAC,
             "192.168.101.20", "8 who-has 192.168.101.1 on p0 (cust-a)"),
            (req_b, "p1", H20_B_MAC, T.P1_MAC, None, T.P1_MAC, T.GW, H20_B_MAC,
             "192.168.101.20", "8 who-has 192.168.101.1 on p1 (cust-b)"),
            (req_core, "p2", T.CORE_A_MAC, T.P2_MAC, T.VLAN_A, T.P2_MAC, "10.0.10.1",
             T.CORE_A_MAC, "10.0.10.2", "who-has 10.0.10.1 on p2 VLAN 10")]:
        chk.set_group(what)
        got = ft.take_arp(out, op=2, tpa=tpa, tha=tha)
        chk.eq(len(got), 1, "%s: ARP replies" % what)
        for o in got:
            chk.eq(o.port, port, "%s: reply leaves by" % what)
            ft.check_arp(chk, o, what, eth_dst=mac, eth_src=src, vlan=vlan, op=2, sha=sha,
                         spa=spa, tha=tha, tpa=tpa)
        ft.expect_no_output(chk, out, tag, "%s: the request itself" % what)

    chk.set_group("8 data held until 192.168.101.30 announces itself")
    got = ft.take_arp(out, op=2, tpa="192.168.101.30")
    chk.eq(len(got), 1, "ARP replies to .30")
    for o in got:
        chk.eq(o.port, "p0", "reply to .30 leaves by")
        ft.check_arp(chk, o, "reply to .30", eth_dst=H30_A_MAC, eth_src=T.P0_MAC, op=2,
                     sha=T.P0_MAC, spa=T.GW, tha=H30_A_MAC, tpa="192.168.101.30")
    asks = ft.take_arp(out, op=1, tpa="192.168.101.30")
    chk.ok(len(asks) >= 1, "ferry asked who-has .30 before it knew (got %d)" % len(asks))
    for o in asks:
        chk.eq(o.port, "p0", "who-has .30 leaves by")
        ft.check_arp(chk, o, "who-has .30", eth_dst=T.BCAST, eth_src=T.P0_MAC, op=1,
                     sha=T.P0_MAC, spa=T.GW, tpa="192.168.101.30")
    for tag in held:
        ft.expect_forward(chk, out, tr, tag, "p0", H30_A_MAC, T.P0_MAC)
    for tag in range(held[-1] + 1, req_30):
        ft.expect_no_output(chk, out, tag, "filler frame to another MAC (tag %d)" % tag)

    chk.set_group("who-has for an address not ferry's: no reply")
    got = ft.take_arp(out, op=2, tpa="192.168.101.21")
    chk.ok(not got, "no ARP reply for 192.168.101.5 (got %s)" % got)
    ft.expect_no_output(chk, out, req_other, "the request itself")

    chk.set_group("8 data to 192.168.101.20 after learning it")
    for tag, port, mac, src in data:
        ft.expect_forward(chk, out, tr, tag, port, mac, src)
    # ferry may have asked for .20 itself if the data came first
    for o in ft.take_arp(out, op=1, tpa="192.168.101.20"):
        what = "optional who-has 192.168.101.20 out %s" % o.port
        src = {"p0": T.P0_MAC, "p1": T.P1_MAC}.get(o.port)
        if chk.ok(src is not None, what + ": leaves by p0 or p1"):
            ft.check_arp(chk, o, what, eth_dst=T.BCAST, eth_src=src, op=1, sha=src,
                         spa=T.GW)

    chk.set_group("8 data to silent 192.168.101.77 -> who-has, never sent")
    asks = ft.take_arp(out, op=1, tpa="192.168.101.77")
    chk.ok(len(asks) >= 1, "at least one who-has 192.168.101.77 (got %d)" % len(asks))
    for i, o in enumerate(asks):
        what = "who-has 192.168.101.77 #%d" % i
        chk.eq(o.port, "p0", what + ": leaves by")
        ft.check_arp(chk, o, what, eth_dst=T.BCAST, eth_src=T.P0_MAC, op=1, sha=T.P0_MAC,
                     spa=T.GW, tpa="192.168.101.77")
    for tag in silent:
        ft.expect_no_output(chk, out, tag, "data to .77 (tag %d)" % tag)

    out.check_unclaimed(chk)
    # who-has .77 may be repeated after the last counter poll; the held
    # packets may time out (arp_unresolved) while the test runs.
    res.check_counters(chk, tr, tx_slack={"p0": len(asks)}, drops={
        "arp_not_for_us": 1,
        "l2_other_host": N_FILL,
        "arp_unresolved": set(range(len(silent) + 1)),
    })
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
