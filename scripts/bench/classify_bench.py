#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Classification rate per worker core with 10, 1,000 and 10,000 rules.

Each case is one ferry with one worker (lcore 1) replaying a capture of
256 frames of 60 bytes (64 on the wire) forever (net_pcap infinite_rx)
into a net_null sink through plain IPv4 routing, printing its counters
every 2 s; the first sample is warm-up. "none" has no ACL (the input
feature hook's cost on an interface without ACL); "aclN" binds an ACL of
N rules to the input interface:

  rule i  permit src 10.H.L.0/24 (i = H * 256 + L) proto udp dport 1000+i%4000
          (every 8th rule: dport range 2000-2999, every 16th: dscp af41)
  last    permit proto udp (what the packets no rule matches take)

The 256 frames come from sources spread over the rules' prefixes (half
hit their own rule, half miss it on the port and fall through to the
last one), so lookups walk different paths of the rte_acl trie.

Usage: /usr/bin/python3 scripts/bench/classify_bench.py BUILD/app/ferry
           [--seconds 8] [--repeat 3] [--cases none,acl10,acl1000,acl10000]
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpls_bench as mb  # noqa: E402  (pcap writer, counter line)

IP, UDP, Ether = mb.IP, mb.UDP, mb.Ether
IN_MAC, NH_MAC = "02:00:00:00:00:01", "02:00:00:00:00:aa"

CONFIG = """
eal = { lcores = "0-1"; memory = 1024; huge = false; in_memory = true;
        file_prefix = "cls-bench-%(case)s"; };
buffers = { mbufs = 8191; };
ports = (
  { name = "in";  device = "net_pcap0,rx_pcap=%(pcap)s,infinite_rx=1"; mac = "%(in_mac)s"; },
  { name = "out"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:00:02"; }
);
interfaces = (
  { name = "in"; port = "in"; address = "192.168.101.1/24"; },
  { name = "out"; port = "out"; address = "10.255.12.1/29"; }
);
vrfs = ( { name = "default"; id = 0; routes = (
  { prefix = "192.168.200.0/24"; via = "10.255.12.2"; } ); } );
neighbours = ( { interface = "out"; address = "10.255.12.2"; mac = "%(nh)s"; } );
workers = ( { lcore = 1; rx = ( "in:0", "out:0" ); } );
cli = { port = 0; };
%(acls)s
"""


def rule(i):
    extra = ""
    if i % 8 == 7:
        port = '"2000-2999"'
    else:
        port = '"%d"' % (1000 + i % 4000)
    if i % 16 == 15:
        extra = ' dscp = "af41";'
    return ('{ src = "10.%d.%d.0/24"; proto = "udp"; dport = %s;%s }'
            % (i // 256, i % 256, port, extra))


def acls(n):
    if n == 0:
        return ""
    rules = [rule(i) for i in range(n - 1)] + ['{ proto = "udp"; }']
    return ('acls = ( { name = "bench"; default = "deny"; interfaces = ( "in" );\n'
            '  rules = (\n    ' + ",\n    ".join(rules) + ' ); } );\n')


def frames(n):
    out = []
    for k in range(256):
        i = (k * 7919) % max(n - 1, 1)          # a rule of the set
        hit = k % 2 == 0
        dport = (1000 + i % 4000) if hit and i % 8 != 7 else (2500 if hit else 9)
        ip = IP(src="10.%d.%d.%d" % (i // 256 % 256, i % 256, 1 + k % 200),
                dst="192.168.200.%d" % (k % 64), ttl=64, id=k) / UDP(sport=40000 + k,
                                                                       dport=dport)
        raw = bytes(Ether(dst=IN_MAC, src=NH_MAC, type=0x0800)) + bytes(IP(bytes(ip / (b"x" * 18))))
        out.append(raw)
    return out


def run_case(binary, work, case, seconds):
    n = 0 if case == "none" else int(case[3:])
    pcap = os.path.join(work, case + ".pcap")
    mb.write_pcap(pcap, frames(n))
    cfg = os.path.join(work, case + ".cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG % {"case": case, "pcap": pcap, "in_mac": IN_MAC, "nh": NH_MAC,
                          "acls": acls(n)})
    t0 = time.monotonic()
    proc = subprocess.Popen([binary, "-c", cfg, "-s", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    samples, started = [], None
    deadline = t0 + seconds + 60
    for line in proc.stdout:
        if started is None and "cli listening" in line:
            started = time.monotonic() - t0
        m = mb.LINE.search(line)
        if m:
            samples.append((float(m.group(1)), float(m.group(2)), float(m.group(3))))
        if len(samples) * 2 >= seconds or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    kept = samples[1:] or samples
    if not kept:
        return None, started
    if any(d > 0.001 for _, _, d in kept):
        print("  %s: drops counted: %s" % (case, kept), file=sys.stderr)
    return statistics.mean(tx for _, tx, _ in kept), started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default="none,acl10,acl1000,acl10000")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="cls-bench-")
    results = {}
    try:
        for r in range(a.repeat):
            for case in a.cases.split(","):
                mpps, start = run_case(a.ferry, work, case, a.seconds)
                results.setdefault(case, []).append(mpps)
                print("run %d %-9s %s Mpps (start-up %s s)"
                      % (r + 1, case, "n/a" if mpps is None else "%.2f" % mpps,
                         "?" if start is None else "%.1f" % start))
                sys.stdout.flush()
    finally:
        if a.keep:
            print("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\n%-9s %8s %8s %8s   (tx Mpps, one worker, 64 B frames, %d runs of %d s)"
          % ("case", "median", "min", "max", a.repeat, a.seconds))
    for case, v in results.items():
        v = [x for x in v if x is not None]
        if v:
            print("%-9s %8.2f %8.2f %8.2f" % (case, statistics.median(v), min(v), max(v)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
