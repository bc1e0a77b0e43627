#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Config reload (SIGHUP and `config reload`) under replayed traffic.

Live changes in the file (static routes, neighbours, interface up/mtu)
apply without a restart; a file that does not load, a change that needs
a restart (a port setting) and a change that fails half way (the VRF's
route table fills up) are each rejected whole, with traffic and the
running config exactly as before.
"""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402
from test_cli_changes import frames, delta  # noqa: E402

ROUTE = '{ prefix = "10.5.0.0/16"; via = "198.18.1.2"; }'


def hup(ferry):
    """SIGHUP, then the line ferry prints about the reload."""
    ferry.proc.send_signal(signal.SIGHUP)
    m = ferry.wait_for(rb"ferry: reload[^\n]*", 10)
    return m.group(0).decode(errors="replace") if m else "(no reload line within 10 s)"


def write(path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)


def main():
    binary = ft.setup()
    chk = ft.Checks("reload")
    _, cfg, base = ft.live_case(ft.here(__file__, "ferry.cfg.in"), frames(),
                                "reload")
    base = base.replace('{ name = "default"; id = 0;',
                        '{ name = "default"; id = 0; max_routes = 16;')
    write(cfg, base)
    routed = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % ROUTE, 1)
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        chk.set_group("SIGHUP applies live changes")
        chk.ok("drop ip4_no_route" in str(delta(cli)), "no route at first")
        write(cfg, routed)
        line = hup(ferry)
        chk.ok("reloaded" in line and "1 change" in line, "route added by reload", line)
        d = delta(cli)
        chk.ok(d.get("tx b", 0) > 0 and d.get("drop ip4_no_route", 0) == 0,
               "traffic follows the new route", str(d))
        write(cfg, routed.replace('name = "b"; port = "b"; address = "198.18.1.1/30";',
                                  'name = "b"; port = "b"; address = "198.18.1.1/30"; up = false;'))
        line = hup(ferry)
        chk.ok("reloaded" in line, "interface down by reload", line)
        chk.ok(delta(cli).get("drop iface_down", 0) > 0, "b is down")
        write(cfg, routed)
        chk.ok("reloaded" in hup(ferry), "interface up again")
        running = cli.cmd("show running-config")

        chk.set_group("rejected whole")
        write(cfg, routed + "\nports = (\n")
        line = hup(ferry)
        chk.ok("rejected" in line and "error" in line, "a file with a syntax error", line)
        write(cfg, routed.replace('device = "net_null1,no-rx=1";',
                                  'device = "net_null1,no-rx=1"; rx_desc = 512;'))
        line = hup(ferry)
        chk.ok("rejected" in line and "ports" in line and "restart" in line,
               "a port change needs a restart", line)
        many = ",\n\t\t".join('{ prefix = "10.%d.0.0/16"; via = "198.18.1.2"; }' % i
                              for i in range(30, 50))
        write(cfg, routed.replace("routes = ( ", "routes = ( %s,\n\t\t" % many, 1))
        out = cli.cmd("config reload")
        chk.ok(out.startswith("%") and "rejected" in out,
               "20 routes more than the VRF holds: `config reload` refuses", out)
        chk.eq(cli.cmd("show running-config"), running,
               "running config unchanged by the rejected reloads")
        route = cli.cmd("show ip route 10.30.0.0/16")
        chk.ok("10.30.0.0/16" not in route, "no route of the failed reload stayed", route)
        d = delta(cli)
        chk.ok(d.get("tx b", 0) > 0, "traffic as before", str(d))
        write(cfg, base)
        out = cli.cmd("config reload")
        chk.ok("reloaded" in out and "1 change" in out, "`config reload` removes the route", out)
        chk.ok(delta(cli).get("drop ip4_no_route", 0) > 0, "no route again")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
