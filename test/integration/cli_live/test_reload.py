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
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402
from test_cli_changes import frames, delta  # noqa: E402

ROUTE = '{ prefix = "10.5.0.0/16"; via = "198.18.1.2"; }'
_pending = [b""]  # ferry's stdout read so far, not yet split into lines


def start(binary, cfg):
    proc = subprocess.Popen([binary, "-c", cfg], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + ft.START_TIMEOUT
    while time.monotonic() < deadline:
        m = re.search(rb"cli listening on [0-9.]+:(\d+)\n", _pending[0])
        if m:
            _pending[0] = _pending[0][m.end():]
            return proc, int(m.group(1))
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            _pending[0] += chunk
    proc.kill()
    sys.exit("ferry did not start: %s" % proc.stderr.read())


def hup(proc):
    """SIGHUP, then the line ferry prints about the reload. Reads the raw
    pipe (select() cannot see what a buffered reader already took)."""
    proc.send_signal(signal.SIGHUP)
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        while b"\n" in _pending[0]:
            line, _pending[0] = _pending[0].split(b"\n", 1)
            text = line.decode(errors="replace")
            if text.startswith("ferry: reload"):
                return text.strip()
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            _pending[0] += os.read(fd, 65536)
    return "(no reload line within 10 s)"


def write(path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)


def main():
    binary = ft.setup()
    chk = ft.Checks("reload")
    work = tempfile.mkdtemp(prefix="ferry-reload-")
    os.mkdir(os.path.join(work, "in"))
    ft.write_pcap(os.path.join(work, "in", "in.pcap"), frames())
    base = ft.render_config(ft.here(__file__, "ferry.cfg.in"),
                            os.path.join(work, "in"), work,
                            os.path.basename(work))
    base = base.replace('{ name = "default"; id = 0;',
                        '{ name = "default"; id = 0; max_routes = 16;')
    cfg = os.path.join(work, "ferry.cfg")
    write(cfg, base)
    routed = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % ROUTE, 1)
    proc, port = start(binary, cfg)
    try:
        cli = ft.Cli(port)
        chk.set_group("SIGHUP applies live changes")
        chk.ok("drop ip4_no_route" in str(delta(cli)), "no route at first")
        write(cfg, routed)
        line = hup(proc)
        chk.ok("reloaded" in line and "1 change" in line, "route added by reload", line)
        d = delta(cli)
        chk.ok(d.get("tx b", 0) > 0 and d.get("drop ip4_no_route", 0) == 0,
               "traffic follows the new route", str(d))
        write(cfg, routed.replace('name = "b"; port = "b"; address = "198.18.1.1/30";',
                                  'name = "b"; port = "b"; address = "198.18.1.1/30"; up = false;'))
        line = hup(proc)
        chk.ok("reloaded" in line, "interface down by reload", line)
        chk.ok(delta(cli).get("drop iface_down", 0) > 0, "b is down")
        write(cfg, routed)
        chk.ok("reloaded" in hup(proc), "interface up again")
        running = cli.cmd("show running-config")

        chk.set_group("rejected whole")
        write(cfg, routed + "\nports = (\n")
        line = hup(proc)
        chk.ok("rejected" in line and "error" in line, "a file with a syntax error", line)
        write(cfg, routed.replace('device = "net_null1,no-rx=1";',
                                  'device = "net_null1,no-rx=1"; rx_desc = 512;'))
        line = hup(proc)
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
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=ft.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    chk.eq(proc.returncode, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
