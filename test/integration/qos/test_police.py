#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""qos/police: a port policer (srTCM, RFC 2697) on a running ferry.

40 IPv4 packets of 86 bytes (DSCP 46, ECN 01) arrive at once on p0 and
leave by p1, whose policer has CBS 860 (10 packets), EBS 430 (5 packets)
and a refill of 1000 B/s, negligible while they pass:

  - the first 10 are green and leave unchanged;
  - the next 5 are yellow and leave remarked to DSCP 10, ECN kept, with a
    correct header checksum (and TTL - 1 as any routed packet);
  - the last 25 are red and are dropped, counted as qos_policed;
  - `show qos p1` counts 10 green, 5 yellow, 25 red.

With --ipv6 (police6.cfg.in) the packets are IPv6 of 86 bytes (what
RFC 2697 meters: the IPv6 header and payload), the DSCP and ECN in the
traffic class (RFC 8200 7, RFC 2474): the same colours, the yellow ones
remarked in the traffic class, and all of them in class 2, which the
port's DSCP map gives DSCP 46 (the default class is 1).
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

P0_MAC, P1_MAC, NH_MAC = "02:00:00:00:00:10", "02:00:00:00:00:11", "02:00:00:00:aa:01"
N, GREEN, YELLOW = 40, 10, 5
TOS = (46 << 2) | 1


def check_ipv6(chk, res, tags):
    chk.set_group("colours (IPv6)")
    out = [ft.IPv6(raw[14:]) for raw in res.outputs.get("p1", [])]
    chk.eq(len(out), GREEN + YELLOW, "packets out of p1")
    for i, ip in enumerate(out):
        want_tc = TOS if i < GREEN else (10 << 2) | 1
        what = "packet %d (%s)" % (i, "green" if i < GREEN else "yellow")
        chk.ok(ft.marker(tags[i]) in bytes(ip), what + ": in arrival order")
        chk.eq(ip.tc, want_tc, what + ": traffic class (DSCP, ECN kept)")
        chk.eq(ip.hlim, 63, what + ": hop limit")
    show = res.extra.get("show qos p1", "")
    chk.ok(re.search(r"^\s+2\s+0\s+.*\s%d\s+0\s*$" % (GREEN + YELLOW), show, re.M)
           is not None, "class 2 (DSCP 46) sent them all", show)


def main(ipv6):
    binary = ft.setup()
    chk = ft.Checks("qos-police" + ("6" if ipv6 else ""))
    tr = ft.Traffic(["p0", "p1"])
    tags = []
    for _ in range(N):
        tag = tr.tag()
        ip = ft.IPv6(src="2001:db8:1::10", dst="2001:db8:99::7", tc=TOS) / \
            ft.UDP(sport=1000, dport=2000) / ft.fill(tag, 86 - 48) if ipv6 else \
            ft.ip_packet(tag, "192.168.1.10", "198.51.100.7", 86, tos=TOS)
        tr.add("p0", ft.eth(P0_MAC, "02:00:00:00:01:01") / ip)
        tags.append(tag)
    res = ft.run_ferry(binary, ft.here(__file__, "police6.cfg.in" if ipv6 else
                                       "police.cfg.in"), tr,
                       extra_cmds=["show qos p1"])
    ok = res.check_run(chk)
    if ok and ipv6:
        check_ipv6(chk, res, tags)
        res.check_counters(chk, tr, drops={"qos_policed": N - GREEN - YELLOW})
    elif ok:
        chk.set_group("colours")
        out = [ft.IP(raw[14:]) for raw in res.outputs.get("p1", [])]
        chk.eq(len(out), GREEN + YELLOW, "packets out of p1")
        for i, ip in enumerate(out):
            want_tos = TOS if i < GREEN else (10 << 2) | 1
            what = "packet %d (%s)" % (i, "green" if i < GREEN else "yellow")
            chk.eq(ip.id, tags[i], what + ": in arrival order")
            chk.eq(ip.tos, want_tos, what + ": TOS (DSCP, ECN kept)")
            chk.ok(ft.ip_cksum_ok(bytes(ip)[:20]), what + ": header checksum")
            chk.eq(ip.ttl, 63, what + ": TTL")
        res.check_counters(chk, tr, drops={"qos_policed": N - GREEN - YELLOW})
        chk.set_group("show qos")
        show = res.extra.get("show qos p1", "")
        chk.ok("policer edge (port, srtcm): green 10 yellow 5 red 25 packets" in show,
               "show qos counts the policer's colours", show)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main("--ipv6" in sys.argv[2:])
