#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""VXLAN VTEP rate of one worker core (issue 6's speed figures).

Each case is one ferry with one worker (lcore 1) replaying 256 frames
forever (net_pcap infinite_rx) into a net_null sink, printing counters
every 2 s (`ferry -c CFG -s 2`); the first sample is warm-up.

  encap  64 B frames from a bridge-domain member to a MAC behind a remote
         VTEP (static): MAC lookup, learning refresh, outer headers
  decap  the same frames inside VXLAN (VNI 42) from that VTEP to a MAC
         behind the member: UDP/VXLAN checks, VNI map, learning refresh,
         MAC lookup
  bum8   64 B broadcast frames from the member, replicated to 8 VTEPs of
         the flood list (head-end replication): 8 copies out per frame;
         the rate given is of frames in (copies out / 8)

Usage: /usr/bin/python3 scripts/bench/vxlan_bench.py BUILD/app/ferry
           [--seconds 8] [--repeat 3] [--cases encap,decap,bum8]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipv4_bench import run_once  # noqa: E402  (start, sample, stop)

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.layers.vxlan import VXLAN
    from scapy.utils import wrpcap
except ImportError:
    sys.exit("needs Debian's /usr/bin/python3 with python3-scapy")

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
	file_prefix = "vxbench{pid}"; }};
ports = (
	{{ name = "under"; device = "{under}"; mac = "02:00:00:00:00:10"; }},
	{{ name = "h"; device = "{host}"; mac = "02:00:00:00:00:11";
	  promiscuous = true; }}
);
interfaces = (
	{{ name = "under"; port = "under"; address = "10.0.0.1/24"; }},
	{{ name = "h"; port = "h"; }}
);
neighbours = ( {nbrs} );
vxlan = {{ local = "10.0.0.1";
	bridge_domains = ( {{ id = 1; vni = 42; interfaces = ( "h" );
		flood = ( {flood} );
		static_macs = ( {{ mac = "02:00:00:00:5a:01"; remote = "10.0.0.2"; }},
			{{ mac = "02:00:00:00:5b:01"; interface = "h"; }} ); }} ); }};
workers = ( {{ lcore = 1; rx = ( "under:0", "h:0" ); }} );
cli = {{ port = 0; }};
"""

SINK = "net_null{n},no-rx=1"
SOURCE = "net_pcap{n},rx_pcap={pcap},infinite_rx=1"


def inner(i, dst):
    # 60 bytes (64 on the wire), 256 flows, 16 source MACs
    return (Ether(dst=dst, src="02:00:00:00:01:%02x" % (i % 16)) /
            IP(src="192.168.1.%d" % (i % 250 + 1), dst="192.168.2.1") /
            UDP(sport=1000 + i, dport=2000) / (b"x" * 18))


def case_setup(work, case):
    pcap = os.path.join(work, case + ".pcap")
    if case == "decap":
        frames = [Ether(dst="02:00:00:00:00:10", src="02:00:00:00:aa:02") /
                  IP(src="10.0.0.2", dst="10.0.0.1") /
                  UDP(sport=49152 + i, dport=4789, chksum=0) /
                  VXLAN(flags=0x08, vni=42) / inner(i, "02:00:00:00:5b:01")
                  for i in range(256)]
        under, host = SOURCE.format(n=0, pcap=pcap), SINK.format(n=1)
    else:
        dst = "ff:ff:ff:ff:ff:ff" if case == "bum8" else "02:00:00:00:5a:01"
        frames = [inner(i, dst) for i in range(256)]
        under, host = SINK.format(n=0), SOURCE.format(n=1, pcap=pcap)
    wrpcap(pcap, frames)
    vteps = ["10.0.0.%d" % (2 + k) for k in range(8 if case == "bum8" else 1)]
    nbrs = ",\n\t".join('{ interface = "under"; address = "%s"; mac = "02:00:00:00:aa:%02x"; }'
                        % (v, 2 + k) for k, v in enumerate(vteps))
    cfg = os.path.join(work, case + ".cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(pid=os.getpid(), under=under, host=host, nbrs=nbrs,
                              flood=", ".join('"%s"' % v for v in vteps)))
    return cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default="encap,decap,bum8")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ferry-vxlanbench-")
    try:
        for case in a.cases.split(","):
            cfg = case_setup(work, case)
            runs = [run_once(a.ferry, cfg, a.seconds, []) for _ in range(a.repeat)]
            if case == "bum8":
                runs = [r / 8 for r in runs]
            print("%-6s %s Mpps: median %.2f (min %.2f, max %.2f; %d runs of %d s, "
                  "one worker, 64 B, no hugepages)%s"
                  % (case, "in" if case == "bum8" else "", statistics.median(runs),
                     min(runs), max(runs), a.repeat, a.seconds,
                     ", x8 copies out" if case == "bum8" else ""))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
