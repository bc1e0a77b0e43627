#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""routing/icmp: the ICMP ferry originates.

  4. TTL 1 in transit -> time exceeded (11/0) from the ingress interface's
     address, quoting the IP header + 8 bytes; counted as ip4_ttl_expired
  5. no route (cust-b has no default) -> net unreachable (3/0); ip4_no_route
  6. too big for p2.10 (MTU 1400): DF -> frag needed (3/4, next-hop MTU
     1400); no DF -> dropped silently as ip4_mtu_exceeded
  7. echo request to ferry's address -> echo reply, in each VRF
plus RFC 1122/1812 rules: no ICMP error about an ICMP error or about a
non-initial fragment; TTL 0 expires too; an echo to ferry with TTL 1 is
answered (TTL only matters when forwarding); UDP to ferry gets a port
unreachable (3/3).

Usage: /usr/bin/python3 test_icmp.py FERRY_BINARY
"""

import sys

import topo as T
from topo import ft


def main():
    binary = ft.setup()
    chk = ft.Checks("routing-icmp")
    tr = ft.Traffic(T.PORTS)
    checks = []  # callables (out) run after ferry stopped

    def send(port, l2, tag, ip):
        pkt = l2 / ip
        tr.add(port, ft.pad60(pkt) if len(pkt) < 60 else pkt)
        return tag

    ce_a_err = dict(port="p0", src=T.GW, dst=T.HOST, eth_dst=T.HOST_A_MAC, eth_src=T.P0_MAC)
    ce_b_err = dict(port="p1", src=T.GW, dst=T.HOST, eth_dst=T.HOST_B_MAC, eth_src=T.P1_MAC)
    n_ttl = n_noroute = 0

    # 4. TTL 1 (and 0) expire, each with a time exceeded back to the sender
    for dst, size, proto, ttl in [("8.8.8.8", 46, "udp", 1), ("8.8.8.8", 100, "tcp", 1),
                                  ("1.1.1.1", 84, "icmp", 1), ("8.8.8.8", 1000, "udp", 1),
                                  ("8.8.8.8", 60, "udp", 0)]:
        tag = tr.tag()
        send("p0", T.from_ce_a(), tag,
             ft.ip_packet(tag, T.HOST, dst, size, proto=proto, ttl=ttl))
        n_ttl += 1
        g = "4 TTL %d -> time exceeded (cust-a)" % ttl
        checks.append((g, lambda out, tag=tag: ft.expect_icmp_error(
            chk, out, tr, tag, typ=11, code=0, **ce_a_err)))
    for proto in ("udp", "tcp"):
        tag = tr.tag()
        send("p1", T.from_ce_b(), tag, ft.ip_packet(tag, T.HOST, "10.20.1.1", 70,
                                                   proto=proto, ttl=1))
        n_ttl += 1
        checks.append(("4 TTL 1 -> time exceeded (cust-b)", lambda out, tag=tag:
                       ft.expect_icmp_error(chk, out, tr, tag, typ=11, code=0, **ce_b_err)))
    # from the core side: the error goes back out p2 VLAN 10 from 10.0.10.1
    tag = tr.tag()
    send("p2", T.from_core_a(), tag, ft.ip_packet(tag, "10.0.10.2", T.HOST, 64, ttl=1))
    n_ttl += 1
    checks.append(("4 TTL 1 from the core -> time exceeded out p2 VLAN 10", lambda out, tag=tag:
                   ft.expect_icmp_error(chk, out, tr, tag, "p2", 11, 0, "10.0.10.1",
                                        "10.0.10.2", T.CORE_A_MAC, T.P2_MAC, vlan=T.VLAN_A)))

    tag = tr.tag()
    send("p2", T.from_core_b(), tag, ft.ip_packet(tag, "10.20.1.1", T.HOST, 64, ttl=1))
    n_ttl += 1
    checks.append(("4 TTL 1 from the core -> time exceeded out p2 VLAN 20", lambda out, tag=tag:
                   ft.expect_icmp_error(chk, out, tr, tag, "p2", 11, 0, "10.0.20.1",
                                        "10.20.1.1", T.CORE_B_MAC, T.P2_MAC, vlan=T.VLAN_B)))

    # no ICMP error about an ICMP error (RFC 1812 4.3.2.7): a transit
    # dest-unreachable with TTL 1 expires silently
    tag = tr.tag()
    inner = ft.IP(src="8.8.8.8", dst=T.HOST, id=1, ttl=50) / ft.UDP(sport=53, dport=4444)
    err = ft.IP(src=T.HOST, dst="8.8.8.8", id=tag, ttl=1) / \
        ft.ICMP(type=3, code=3) / bytes(inner)[:28] / ft.fill(tag, 20)
    send("p0", T.from_ce_a(), tag, ft.IP(bytes(err)))
    n_ttl += 1
    checks.append(("no ICMP error about an ICMP error", lambda out, tag=tag:
                   ft.expect_no_output(chk, out, tag)))
    # ... nor about a non-initial fragment (RFC 1812 4.3.2.7)
    tag = tr.tag()
    frag = ft.IP(src=T.HOST, dst="8.8.8.8", id=tag, ttl=1, proto=17, frag=100) / \
        ft.fill(tag, 64)
    send("p0", T.from_ce_a(), tag, ft.IP(bytes(frag)))
    n_ttl += 1
    checks.append(("no ICMP error about a non-initial fragment", lambda out, tag=tag:
                   ft.expect_no_output(chk, out, tag)))

    # 5. no route in cust-b -> net unreachable
    for dst, size, proto in [("8.8.8.8", 46, "udp"), ("8.8.8.8", 200, "tcp"),
                             ("10.21.0.1", 84, "icmp")]:
        tag = tr.tag()
        send("p1", T.from_ce_b(), tag, ft.ip_packet(tag, T.HOST, dst, size, proto=proto))
        n_noroute += 1
        checks.append(("5 no route (cust-b) -> net unreachable", lambda out, tag=tag:
                       ft.expect_icmp_error(chk, out, tr, tag, typ=3, code=0, **ce_b_err)))

    # ... also for traffic from the core: the error is routed back via
    # 10.0.20.2, from p2.20's address
    tag = tr.tag()
    send("p2", T.from_core_b(), tag, ft.ip_packet(tag, "10.20.1.1", "8.8.8.8", 100))
    n_noroute += 1
    checks.append(("5 no route from the core (cust-b) -> net unreachable via 10.0.20.2",
                   lambda out, tag=tag: ft.expect_icmp_error(
                       chk, out, tr, tag, "p2", 3, 0, "10.0.20.1", "10.20.1.1",
                       T.CORE_B_MAC, T.P2_MAC, vlan=T.VLAN_B)))
    # cust-a's core address is not reachable from cust-b (VRF isolation)
    tag = tr.tag()
    send("p1", T.from_ce_b(), tag, ft.ip_packet(tag, T.HOST, "10.0.10.1", 84, proto="icmp"))
    n_noroute += 1
    checks.append(("5 echo from cust-b to cust-a's 10.0.10.1 -> net unreachable",
                   lambda out, tag=tag: ft.expect_icmp_error(chk, out, tr, tag, typ=3, code=0,
                                                             **ce_b_err)))

    # 6. too big for p2.10's MTU 1400
    n_df = n_nodf = 0
    for size, proto in [(1450, "udp"), (1401, "tcp"), (1500, "icmp")]:
        tag = tr.tag()
        send("p0", T.from_ce_a(), tag, ft.ip_packet(tag, T.HOST, "8.8.8.8", size,
                                                   proto=proto, df=True))
        n_df += 1
        checks.append(("6 too big, DF -> frag needed, MTU 1400", lambda out, tag=tag:
                       ft.expect_icmp_error(chk, out, tr, tag, typ=3, code=4, mtu=T.MTU_A,
                                            **ce_a_err)))
    for size, proto in [(1450, "udp"), (1401, "tcp")]:
        tag = tr.tag()
        send("p0", T.from_ce_a(), tag, ft.ip_packet(tag, T.HOST, "8.8.8.8", size,
                                                   proto=proto))
        n_nodf += 1
        checks.append(("6 too big, no DF -> dropped (no fragmentation)", lambda out, tag=tag:
                       ft.expect_no_output(chk, out, tag)))

    # 7. echo to ferry's own address, in both VRFs and on the core VLAN
    for port, l2, dst, size, err in [("p0", T.from_ce_a(), T.GW, 84, ce_a_err),
                                     ("p0", T.from_ce_a(), T.GW, 28 + 9, ce_a_err),
                                     ("p0", T.from_ce_a(), T.GW, 1500, ce_a_err),
                                     ("p1", T.from_ce_b(), T.GW, 84, ce_b_err),
                                     ("p1", T.from_ce_b(), T.GW, 600, ce_b_err)]:
        tag = tr.tag()
        send(port, l2, tag, ft.ip_packet(tag, T.HOST, dst, size, proto="icmp",
                                         icmp_id=0x1234 + tag, icmp_seq=tag % 7))
        g = "7 echo to %s on %s -> reply" % (dst, port)
        checks.append((g, lambda out, tag=tag, e=err: ft.expect_echo_reply(
            chk, out, tr, tag, e["port"], e["eth_dst"], e["eth_src"])))
    tag = tr.tag()
    send("p2", T.from_core_a(), tag, ft.ip_packet(tag, "10.0.10.2", "10.0.10.1", 84,
                                                  proto="icmp"))
    checks.append(("7 echo to 10.0.10.1 on p2 VLAN 10 -> reply", lambda out, tag=tag:
                   ft.expect_echo_reply(chk, out, tr, tag, "p2", T.CORE_A_MAC, T.P2_MAC,
                                        vlan=T.VLAN_A)))
    # ferry's address on another interface of the same VRF answers too
    tag = tr.tag()
    send("p0", T.from_ce_a(), tag, ft.ip_packet(tag, T.HOST, "10.0.10.1", 84, proto="icmp"))
    checks.append(("7 echo from p0 to 10.0.10.1 (same VRF) -> reply", lambda out, tag=tag:
                   ft.expect_echo_reply(chk, out, tr, tag, "p0", T.HOST_A_MAC, T.P0_MAC)))
    # TTL 1 is no reason to refuse an echo to ferry itself
    tag = tr.tag()
    send("p0", T.from_ce_a(), tag, ft.ip_packet(tag, T.HOST, T.GW, 84, proto="icmp", ttl=1))
    checks.append(("7 echo with TTL 1 to ferry -> reply", lambda out, tag=tag:
                   ft.expect_echo_reply(chk, out, tr, tag, "p0", T.HOST_A_MAC, T.P0_MAC)))

    # UDP to ferry itself: port unreachable (RFC 1122 3.2.2.1), and the
    # packet counts as ip4_local_unhandled
    n_local = 0
    for port, l2, err in (("p0", T.from_ce_a(), ce_a_err), ("p1", T.from_ce_b(), ce_b_err)):
        tag = tr.tag()
        send(port, l2, tag, ft.ip_packet(tag, T.HOST, T.GW, 64, dport=9))
        n_local += 1
        checks.append(("UDP to ferry -> port unreachable", lambda out, tag=tag, e=err:
                       ft.expect_icmp_error(chk, out, tr, tag, typ=3, code=3, **e)))

    res = ft.run_ferry(binary, T.TEMPLATE, tr)
    if res.check_run(chk):
        out = ft.Outputs(res)
        for group, fn in checks:
            chk.set_group(group)
            fn(out)
        out.check_unclaimed(chk)
        # An ICMP "frag needed" may or may not count the packet as dropped;
        # the silent drops must be counted.
        res.check_counters(chk, tr, drops={
            "ip4_ttl_expired": n_ttl,
            "ip4_no_route": n_noroute,
            "ip4_mtu_exceeded": {n_nodf, n_nodf + n_df},
            "ip4_local_unhandled": n_local,
        })
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
