#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Full-table load over FPM: how fast ferry takes a BGP table from zebra.

Starts ferry (net_null ports, one default VRF sized for the table), then
plays zebra: one FPM frame per RTM_NEWROUTE, as dplane_fpm_nl sends them,
encoded here with struct (the tests use pyroute2; a million pyroute2
encodes would measure Python). Prefixes follow a real table's length
mix (RIPE/RouteViews IPv4, 2023: /24 about 60 %, /22 12 %, /23 10 %,
/21 5 %, /20 4 %, /19 3 %, /16-/18 4 %, shorter 2 %), next hops over two
peers, 10 % ECMP over both.

Reports: seconds from the first byte sent to the last route installed
(show fpm: routes_added reaches N and the last prefix answers in
show ip route), routes per second, ferry's resident memory before and
after, and whether the CLI answered during the load (its slowest answer).

  scripts/bench/fpm_load.py build/app/ferry [N]
"""
import os
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "integration"))
import ferrytest as ft  # noqa: E402

CONFIG = """
eal = {{ lcores = "0-1"; memory = {memory}; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "a"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:0a:00"; }},
  {{ name = "b"; device = "net_null1,no-rx=1"; mac = "02:00:00:00:0b:00"; }}
);
interfaces = (
  {{ name = "a"; port = "a"; address = "198.18.0.1/30"; }},
  {{ name = "b"; port = "b"; address = "198.18.1.1/30"; }}
);
vrfs = ( {{ name = "default"; id = 0; max_routes = {max_routes};
           fib_tbl8 = {tbl8}; }} );
neighbours = (
  {{ interface = "a"; address = "198.18.0.2"; mac = "02:00:00:00:0a:02"; }},
  {{ interface = "b"; address = "198.18.1.2"; mac = "02:00:00:00:0b:02"; }}
);
workers = ( {{ lcore = 1; rx = ( "a:0", "b:0" ); }} );
cli = {{ port = 0; socket = "{work}/cli.sock"; }};
fpm = {{ enabled = true; port = {fpm_port}; grace = 600; sweep_delay = 600; }};
"""

MIX = [(24, 60), (22, 12), (23, 10), (21, 5), (20, 4), (19, 3), (18, 2),
       (17, 1), (16, 1), (15, 1), (14, 1)]
GW = (0xc6120002, 0xc6120102)  # 198.18.0.2, 198.18.1.2


def prefixes(n, seed=1):
    rnd = random.Random(seed)
    lens = [l for l, w in MIX for _ in range(w)]
    seen = set()
    while len(seen) < n:
        plen = rnd.choice(lens)
        addr = rnd.randrange(0x01000000, 0xdf000000) & (0xffffffff << (32 - plen))
        seen.add((addr, plen))
    return sorted(seen)


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def new_route(addr, plen, ecmp, gw):
    rtm = struct.pack("=BBBBBBBBI", 2, plen, 0, 0, 254, 186, 0, 1, 0)
    a = attr(15, struct.pack("=I", 254)) + attr(1, struct.pack("!I", addr))
    a += attr(6, struct.pack("=I", 20))
    if ecmp:
        nhs = b""
        for g in GW:
            ga = attr(5, struct.pack("!I", g))
            nhs += struct.pack("=HBBi", 8 + len(ga), 0, 0, 2) + ga
        a += attr(9, nhs)
    else:
        a += attr(5, struct.pack("!I", gw)) + attr(4, struct.pack("=I", 2))
    body = rtm + a
    nl = struct.pack("=IHHII", 16 + len(body), 24, 0x501, 0, 0) + body
    return struct.pack("!BBH", 1, 1, 4 + len(nl)) + nl


def free_port():
    """A TCP port of 127.0.0.1 nobody listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    work = tempfile.mkdtemp(prefix="ferry-fpm-bench-")
    port = free_port()
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(memory=2048, prefix=os.path.basename(work),
                              max_routes=max(1048576, n + 1024), tbl8=65536,
                              work=work, fpm_port=port))
    print("encoding %d routes ..." % n, flush=True)
    pfx = prefixes(n)
    data = b"".join(new_route(a, l, i % 10 == 0, GW[i % 2])
                    for i, (a, l) in enumerate(pfx))
    ferry = ft.Running(binary, cfg)
    pid = ferry.proc.pid
    try:
        cli = ferry.cli(timeout=120)
        rss0 = rss_kb(pid)
        peer = socket.create_connection(("127.0.0.1", port))
        t0 = time.monotonic()
        sender = threading.Thread(target=peer.sendall, args=(data,))
        sender.start()
        slowest, added = 0.0, 0
        last = "%s" % socket.inet_ntoa(struct.pack("!I", pfx[-1][0]))
        while time.monotonic() - t0 < 600:
            c0 = time.monotonic()
            out = cli.cmd("show fpm")
            slowest = max(slowest, time.monotonic() - c0)
            m = re.search(r"routes_added\s+(\d+)", out)
            added = int(m.group(1)) if m else 0
            if added >= n:
                break
            time.sleep(0.05)
        route = cli.cmd("show ip route %s" % last)
        t1 = time.monotonic()
        sender.join()
        rss1 = rss_kb(pid)
        fails = re.search(r"install_failed\s+(\d+)", out).group(1)
        print("routes: %d added (install_failed %s); last %s: %s" % (
            added, fails, last, route.strip().splitlines()[-1]))
        print("load: %.2f s, %.0f routes/s" % (t1 - t0, added / (t1 - t0)))
        print("memory: ferry RSS %.0f MiB before, %.0f MiB after (+%.0f MiB)" % (
            rss0 / 1024, rss1 / 1024, (rss1 - rss0) / 1024))
        print("cli: slowest `show fpm` during the load %.3f s" % slowest)
        peer.close()
        cli.close()
    finally:
        ferry.stop()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
