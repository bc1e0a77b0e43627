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
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

P0_MAC, P1_MAC, NH_MAC = "02:00:00:00:00:10", "02:00:00:00:00:11", "02:00:00:00:aa:01"
N, GREEN, YELLOW = 40, 10, 5
TOS = (46 << 2) | 1


def main():
    binary = ft.setup()
    chk = ft.Checks("qos-police")
    tr = ft.Traffic(["p0", "p1"])
    tags = []
    for _ in range(N):
        tag = tr.tag()
        tr.add("p0", ft.eth(P0_MAC, "02:00:00:00:01:01") /
               ft.ip_packet(tag, "192.168.1.10", "198.51.100.7", 86, tos=TOS))
        tags.append(tag)
    res = ft.run_ferry(binary, ft.here(__file__, "police.cfg.in"), tr,
                       extra_cmds=["show qos p1"])
    if res.check_run(chk):
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
    main()
