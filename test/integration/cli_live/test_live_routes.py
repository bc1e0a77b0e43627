#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Routes change under load and nothing else does.

ferry forwards a capture replayed forever (net_pcap infinite_rx) whose
packets all go to stable prefixes (10.1.1.0/25 under the route
10.1.1.0/24, and 10.2.0.0/16), out of port "a". Over one CLI session the
test adds and deletes hundreds of routes that must not change where those
packets go: a more specific 10.1.1.128/25 (its DIR24_8 tbl8 group is
allocated and freed each time, the case rte_fib's missing RCU hook makes
dangerous), a /32 inside it, a covering 10.0.0.0/8 and unrelated /24s,
all via port "b". When ferry stops it prints its final counters (workers
stopped first, so every received packet is either sent or counted as
dropped): then no packet may have been dropped or sent out of "b", and
rx must equal what "a" sent.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

CYCLES = 300


def frames():
    out = []
    for i in range(256):
        dst = "10.1.1.%d" % (1 + i % 127) if i % 2 else "10.2.%d.%d" % (i, 7)
        pkt = (ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
               ft.IP(src="192.0.2.10", dst=dst, ttl=64) /
               ft.UDP(sport=1000 + i, dport=53) / (b"x" * 18))
        out.append(bytes(pkt))
    return out


def change_cycle(cli, chk, i):
    cmds = [
        "ip route add 10.1.1.128/25 via 198.18.1.2",
        "ip route add 10.1.1.200/32 via 198.18.1.2",
        "ip route add 10.0.0.0/8 via 198.18.1.2",
        "ip route add 10.%d.%d.0/24 via 198.18.1.2" % (3 + i // 256, i % 256),
        "ip route del 10.1.1.200/32",
        "ip route del 10.1.1.128/25",
        "ip route del 10.0.0.0/8",
        "ip route del 10.%d.%d.0/24" % (3 + i // 256, i % 256),
    ]
    for c in cmds:
        out = cli.cmd(c)
        if out.strip():
            chk.fail("%r answered %r" % (c, out.strip()))
            return False
    return True


def main():
    binary = ft.setup()
    chk = ft.Checks("cli-live-routes")
    _, cfg, _ = ft.live_case(ft.here(__file__, "ferry.cfg.in"), frames(),
                             "live")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        chk.set_group("changes")
        done = 0
        for i in range(CYCLES):
            if not change_cycle(cli, chk, i):
                break
            done += 1
        chk.eq(done, CYCLES, "change cycles completed without an error")
        route = cli.cmd("show ip route 10.1.1.5/32")
        chk.ok("10.1.1.0/24" in route and "via 198.18.0.2" in route,
               "10.1.1.5 still uses 10.1.1.0/24 via 198.18.0.2", route)
        cli.close()
    finally:
        status, out, err = ferry.stop()
    chk.set_group("final counters")
    chk.eq(status, 0, "ferry exit status", err[-2000:])
    final = out.split("ferry: final counters", 1)
    if not chk.ok(len(final) == 2, "ferry printed its final counters", out[-2000:]):
        return chk.summary()
    c = ft.Counters(final[1])
    rx, a, b = (c.ports.get(p, {}) for p in ("in", "a", "b"))
    chk.ok(rx.get("rx", 0) > 100000, "traffic flowed during the changes "
           "(%d packets received)" % rx.get("rx", 0))
    chk.eq(c.drops, {}, "no packet dropped", final[1])
    chk.eq(b.get("tx"), 0, "nothing left by port b (misrouted)")
    chk.eq(a.get("tx"), rx.get("rx"), "every received packet left by port a")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
