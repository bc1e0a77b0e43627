#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""IPv4 forwarding rate of one worker core with l3fwd's route set.

The case PEERS.md measures DPDK's l3fwd on: 1024 routes (/24s to one
next hop), 4096 frames of 60 bytes (64 on the wire) to random
destinations over them, replayed forever by net_pcap (infinite_rx) into
a net_null sink. ferry runs with one worker (lcore 1) and prints its
counters every 2 s (`ferry -c CFG -s 2`); the first sample is warm-up.
Runs without hugepages unless --huge-dir names a mounted hugetlbfs with
enough 2 MB pages reserved.

Usage: /usr/bin/python3 scripts/bench/ipv4_bench.py BUILD/app/ferry
           [--seconds 8] [--repeat 3] [--huge-dir DIR]
"""
import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap
except ImportError:
    sys.exit("needs Debian's /usr/bin/python3 with python3-scapy")

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = {huge}; in_memory = true;
	file_prefix = "ipv4bench{pid}"; }};
ports = (
	{{ name = "in"; device = "net_pcap0,rx_pcap={pcap},infinite_rx=1";
	  mac = "02:00:00:00:00:10"; }},
	{{ name = "out"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:00:11"; }}
);
interfaces = (
	{{ name = "in"; port = "in"; address = "192.168.1.254/24"; }},
	{{ name = "out"; port = "out"; address = "172.16.0.1/24"; }}
);
vrfs = ( {{ name = "default"; id = 0; routes = ( {routes} ); }} );
neighbours = ( {{ interface = "out"; address = "172.16.0.2";
	mac = "02:00:00:00:00:22"; }} );
workers = ( {{ lcore = 1; rx = ( "in:0", "out:0" ); }} );
cli = {{ port = 0; }};
"""


def make_case(work, huge):
    random.seed(1)
    frames = []
    for i in range(4096):
        r = random.randrange(1024)
        dst = "10.%d.%d.%d" % (r // 256, r % 256, random.randrange(1, 255))
        frames.append(Ether(dst="02:00:00:00:00:10", src="02:00:00:00:00:99") /
                      IP(src="192.168.1.%d" % (i % 250 + 1), dst=dst) /
                      UDP(sport=1000 + i % 1000, dport=2000) / (b"x" * 18))
    pcap = os.path.join(work, "l3fwd_64.pcap")
    wrpcap(pcap, frames)
    routes = ",\n\t".join('{ prefix = "10.%d.%d.0/24"; via = "172.16.0.2"; }'
                          % (r // 256, r % 256) for r in range(1024))
    cfg = os.path.join(work, "ipv4.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(huge="true" if huge else "false", pid=os.getpid(),
                              pcap=pcap, routes=routes))
    return cfg


def run_once(ferry, cfg, seconds, extra):
    proc = subprocess.Popen([ferry, "-c", cfg, "-s", "2", "--"] + extra,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    time.sleep(seconds)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    rates = [float(m.group(1)) for m in re.finditer(r"tx ([0-9.]+) Mpps", out)]
    return statistics.median(rates[1:]) if len(rates) > 1 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--huge-dir")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ferry-ipv4bench-")
    cfg = make_case(work, a.huge_dir is not None)
    extra = ["--huge-dir", a.huge_dir] if a.huge_dir else []
    try:
        runs = [run_once(a.ferry, cfg, a.seconds, extra)
                for _ in range(a.repeat)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for i, r in enumerate(runs):
        print("run %d ipv4-1k-routes %.2f Mpps" % (i + 1, r))
    print("ipv4, 1024 routes, 64 B, one worker: median %.2f Mpps "
          "(min %.2f, max %.2f, %d runs of %d s, %s)"
          % (statistics.median(runs), min(runs), max(runs), a.repeat,
             a.seconds, "hugepages" if a.huge_dir else "no hugepages"))


if __name__ == "__main__":
    main()
