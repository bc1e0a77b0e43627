#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Each CLI change does what it says to live traffic, bad changes change
nothing, and the running config survives write -> restart.

Traffic replayed forever goes to 10.5.0.0/16, which has no route at
first. Counter deltas over a short window show the effect of each change:
route add (port b sends), interface down/up, MTU, static neighbour
delete/add (ARP takes over), route delete (no route again).
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

WINDOW = 0.3  # s of traffic per observation
# A change is live when its command returns, but a worker may be in the
# middle of a burst it looked up before: let that burst finish first (on
# a loaded machine a worker can be off its CPU for a while).
SETTLE = 0.25


def frames():
    out = []
    for i in range(128):
        pkt = (ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
               ft.IP(src="192.0.2.10", dst="10.5.%d.%d" % (i, 1 + i)) /
               ft.UDP(sport=2000 + i, dport=53) / (b"y" * 200))
        out.append(bytes(pkt))
    return out


def delta(cli):
    """Counter increases over WINDOW: {"tx b": n, "drop X": n, ...}."""
    def snap():
        c = ft.Counters(cli.cmd("show counters"))
        d = {"tx " + p: v["tx"] for p, v in c.ports.items()}
        d.update({"drop " + r: n for r, n in c.drops.items()})
        return d
    time.sleep(SETTLE)
    a = snap()
    time.sleep(WINDOW)
    b = snap()
    return {k: b[k] - a.get(k, 0) for k in b}


def expect(chk, cli, what, moving, still):
    d = delta(cli)
    for k in moving:
        chk.ok(d.get(k, 0) > 0, "%s: %s increases" % (what, k), str(d))
    for k in still:
        chk.eq(d.get(k, 0), 0, "%s: %s does not increase" % (what, k), str(d))


def run_changes(chk, cli):
    ok = lambda c: chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)  # noqa
    chk.set_group("no route")
    expect(chk, cli, "no route", ["drop ip4_no_route"], ["tx b"])
    chk.set_group("route add")
    ok("ip route add 10.5.0.0/16 via 198.18.1.2")
    expect(chk, cli, "route added", ["tx b"], ["drop ip4_no_route"])
    # FRR semantics: adding an existing prefix replaces it in one step
    chk.set_group("route replace")
    ok("ip route add 10.5.0.0/16 blackhole")
    expect(chk, cli, "replaced by a blackhole", ["drop ip4_blackhole"],
           ["tx b", "drop ip4_no_route"])
    ok("ip route add 10.5.0.0/16 via 198.18.1.2")
    expect(chk, cli, "replaced back", ["tx b"],
           ["drop ip4_blackhole", "drop ip4_no_route"])
    text = cli.cmd("show running-config")
    chk.eq(text.count("10.5.0.0/16"), 1, "one entry for the prefix", text)
    chk.set_group("interface down/up")
    ok("interface b down")
    expect(chk, cli, "b down", ["drop iface_down"], ["tx b"])
    ok("interface b up")
    expect(chk, cli, "b up", ["tx b"], ["drop iface_down"])
    chk.set_group("mtu")
    ok("interface b mtu 200")
    expect(chk, cli, "mtu 200", ["drop ip4_mtu_exceeded"], [])
    ok("interface b mtu 1500")
    expect(chk, cli, "mtu 1500", ["tx b"], ["drop ip4_mtu_exceeded"])
    chk.set_group("neighbour")
    ok("neighbour del 198.18.1.2 interface b")
    nb = cli.cmd("show neighbours")
    chk.ok(not re.search(r"198\.18\.1\.2\s+02:00:00:00:0B:02", nb),
           "the static MAC of 198.18.1.2 is gone", nb)
    expect(chk, cli, "neighbour deleted", ["drop arp_hold_full"], [])
    ok("neighbour add 198.18.1.2 mac 02:00:00:00:0b:02 interface b")
    expect(chk, cli, "neighbour added", ["tx b"], ["drop arp_hold_full"])
    chk.set_group("route del")
    ok("ip route del 10.5.0.0/16")
    expect(chk, cli, "route deleted", ["drop ip4_no_route"], ["tx b"])


def run_bad_changes(chk, cli):
    chk.set_group("bad changes change nothing")
    before = cli.cmd("show running-config")
    for c in ("ip route add 10.0.0.0/33 via 198.18.1.2",
              "ip route add 10.6.0.0/16 via 203.0.113.9",
              "ip route add 10.6.0.0/16 via 198.18.1.2 vrf nope",
              "ip route del 10.77.0.0/16",
              "ip route del 198.18.1.0/30",
              "interface nope down",
              "interface b mtu 9999",
              "neighbour add 198.18.1.9 mac zz:00:00:00:00:00 interface b",
              "neighbour add 10.9.9.9 mac 02:00:00:00:00:09 interface b",
              "neighbour del 198.18.1.7 interface b"):
        out = cli.cmd(c).strip()
        chk.ok(out.startswith("%") and "\n" not in out,
               "%r is refused with one error line" % c, out)
    chk.eq(cli.cmd("show running-config"), before,
           "running config unchanged by refused changes")


def main():
    binary = ft.setup()
    chk = ft.Checks("cli-changes")
    work, cfg, _ = ft.live_case(ft.here(__file__, "ferry.cfg.in"), frames(),
                                "cli")
    saved = os.path.join(work, "saved.cfg")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        run_changes(chk, cli)
        run_bad_changes(chk, cli)
        chk.set_group("write and restart")
        cli.cmd("ip route add 10.8.0.0/16 blackhole")
        cli.cmd("interface b mtu 1400")
        running = cli.cmd("show running-config")
        out = cli.cmd("write " + saved)
        chk.ok("written" in out and os.path.exists(saved), "write saved the file", out)
        out = cli.cmd("config check " + saved)
        chk.ok(out.strip().endswith("configuration ok"), "config check of it", out)
        cli.close()
    finally:
        ferry.stop()
    ferry = ft.Running(binary, saved)
    try:
        cli = ferry.cli()
        again = cli.cmd("show running-config")
        chk.eq(again, running, "restarted from the written file: same running config")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
