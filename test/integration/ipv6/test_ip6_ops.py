#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipv6/ops: IPv6 from the operator's side (topology ferry.cfg.in, no
traffic).

Checks: `show ipv6 route ADDR` gives the longest matching route (the
connected /64, the static /48 and a more specific /64 added live under
it, a blackhole, none for an address no route holds, per VRF);
`show counters` and the vrfs counter family report each VRF's IPv6
routes and neighbours (the static neighbour counted); the `ip6` section
changes live through `config reload` (timers, dad_ms, hop_limit: the
running config takes them), while a change of a table size is refused
with its reason and changes nothing.
"""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402


def route_line(cli, addr, vrf=None):
    """The routes `show ipv6 route [vrf V] ADDR` lists, as text."""
    out = cli.cmd("show ipv6 route %s%s" % ("vrf %s " % vrf if vrf else "",
                                            addr))
    return out


def check_lookup(chk, cli):
    out = route_line(cli, "2001:db8:a::77")
    chk.ok("2001:db8:a::/64" in out and out.count("/") == 1,
           "an address on a's subnet: the connected /64 alone", out)
    out = route_line(cli, "2001:db8:99:1::5")
    chk.ok("2001:db8:99::/48" in out and "2001:db8:b::10" in out,
           "an address under the static /48: that route", out)
    add = cli.cmd("ipv6 route add 2001:db8:99:1::/64 via 2001:db8:b::20")
    chk.ok(not add.startswith("%"), "a more specific /64 added", add)
    out = route_line(cli, "2001:db8:99:1::5")
    chk.ok("2001:db8:99:1::/64" in out and "2001:db8:99::/48" not in out,
           "now the longest match is the /64", out)
    out = route_line(cli, "2001:db8:99:2::5")
    chk.ok("2001:db8:99::/48" in out, "beside it the /48 still matches", out)
    out = route_line(cli, "2001:db8:dead::1")
    chk.ok("2001:db8:dead::/48" in out and "blackhole" in out,
           "the blackhole route", out)
    out = route_line(cli, "3fff::1", vrf="default")
    chk.ok("no routes" in out, "no route holds 3fff::1 (vrf default)", out)
    out = route_line(cli, "3fff::1", vrf="nope")
    chk.ok(out.startswith("%") and "no such VRF" in out, "an unknown VRF",
           out)
    out = cli.cmd("show ipv6 route 2001:db8::zz")
    chk.ok(out.startswith("%"), "not an IPv6 address: refused", out)


def check_counters(chk, cli):
    routes = cli.cmd("show ipv6 route vrf default")
    n = len(re.findall(r"^\s+\S+/\d+\s", routes, re.M))
    out = cli.cmd("show counters")
    m = re.search(r"^vrf default ipv6-routes (\d+)", out, re.M)
    chk.ok(m is not None and int(m.group(1)) == n,
           "show counters: vrf default ipv6-routes = the %d routes listed"
           % n, out[-2000:])
    m = re.search(r"^vrf default .*ipv6-static (\d+)", out, re.M)
    chk.ok(m is not None and int(m.group(1)) == 1,
           "show counters: the static neighbour counted", out[-2000:])


def reload(cli, path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)
    # force: the /64 added by the CLI above is not in the file
    return cli.cmd("config reload force")


def check_live(chk, cli, cfg, text):
    live = text.replace("ip6 = { dad_ms = 0; };",
                        "ip6 = { dad_ms = 500; hop_limit = 100; "
                        "nd_reachable = 60; };")
    out = reload(cli, cfg, live)
    chk.ok(not out.startswith("%"), "a reload changing ip6's dad_ms, "
           "hop_limit and nd_reachable is taken live", out)
    run = cli.cmd("show running-config")
    chk.ok(re.search(r"hop_limit = 100", run) and
           re.search(r"dad_ms = 500", run) and
           re.search(r"nd_reachable = 60", run),
           "the running config has the new ip6 values", run)
    out = reload(cli, cfg, live.replace("nd_reachable = 60;",
                                        "nd_reachable = 60; "
                                        "max_neighbours = 8192;"))
    chk.ok(out.startswith("%") and "max_neighbours" in out and
           "restart" in out,
           "a change of max_neighbours is refused with its reason", out)
    chk.eq(cli.cmd("show running-config"), run,
           "the refused reload changed nothing")


def main():
    binary = ft.setup()
    chk = ft.Checks("ipv6-ops")
    work = tempfile.mkdtemp(prefix="ferry-ip6ops-")
    try:
        for p in ("p0", "p1"):
            ft.write_pcap(os.path.join(work, p + ".pcap"), [])
        text = ft.render_config(ft.here(__file__, "ferry.cfg.in"), work,
                                work, os.path.basename(work))
        cfg = os.path.join(work, "ferry.cfg")
        with open(cfg, "w") as f:
            f.write(text)
        ferry = ft.Running(binary, cfg)
        try:
            cli = ferry.cli()
            chk.set_group("show ipv6 route ADDR")
            check_lookup(chk, cli)
            chk.set_group("IPv6 counters")
            check_counters(chk, cli)
            chk.set_group("ip6 live")
            check_live(chk, cli, cfg, text)
            cli.close()
        finally:
            ferry.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
