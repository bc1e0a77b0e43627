#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""MPLS forwarding rate per worker core, against plain IPv4 forwarding.

Each case is one ferry with one worker (lcore 1) replaying a capture of
256 frames of 60 bytes (64 on the wire with FCS) forever (net_pcap
infinite_rx) into a net_null sink, printing its counters every 2 s
(`ferry -c CFG -s 2`). The first sample is warm-up; the rest are kept.

  ipv4    CE -> VRF lookup (static route) -> IPv4 rewrite -> core
  push    CE -> VRF lookup (VPN route) -> push VPN + transport label -> core
  swap    P: top label swapped, TTL - 1 -> core
  pop     egress PE: transport popped, VPN label -> VRF -> IPv4 -> CE

Every destination is behind a next hop (a CE router, or P), so no case
pays lib/route's per-packet neighbour hash lookup of a connected host.

Other processes may share the two CPUs: each case runs --repeat times
and the spread is printed with the median.

Usage: /usr/bin/python3 scripts/bench/mpls_bench.py BUILD/app/ferry
           [--seconds 8] [--repeat 3] [--cases ipv4,push,swap,pop] [--keep]
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
except ImportError:
    sys.exit("mpls_bench.py: run it with /usr/bin/python3 (python3-scapy)")

IN_MAC, OUT_MAC, NH_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:aa"
FRAME = 60

COMMON = """
eal = { lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "mpls-bench-%(case)s"; };
buffers = { mbufs = 8191; };
ports = (
  { name = "in";  device = "net_pcap0,rx_pcap=%(pcap)s,infinite_rx=1"; mac = "%(in_mac)s"; },
  { name = "out"; device = "net_null0,no-rx=1"; mac = "%(out_mac)s"; }
);
workers = ( { lcore = 1; rx = ( "in:0", "out:0" ); } );
cli = { port = 0; };
"""

# VRF "cust-a" on the CE side, the core in the default VRF.
PE_IFACES = """
interfaces = (
  { name = "ce"; port = "in"; address = "192.168.101.1/24"; vrf = "cust-a"; },
  { name = "core"; port = "out"; address = "10.0.12.1/29"; vrf = "default"; }
);
neighbours = ( { interface = "core"; address = "10.0.12.2"; mac = "%(nh)s"; } );
"""

CASES = {
    # the same PE, the core interface in the customer's VRF: plain routing
    "ipv4": PE_IFACES.replace('vrf = "default"', 'vrf = "cust-a"') + """
vrfs = ( { name = "cust-a"; id = 1; routes = (
  { prefix = "192.168.200.0/24"; via = "10.0.12.2"; } ); } );
""",
    "push": PE_IFACES + """
vrfs = ( { name = "cust-a"; id = 1; } );
mpls = { interfaces = ( "core" );
  lsps = ( { pe = "10.255.0.2"; interface = "core"; via = "10.0.12.2"; labels = "16002"; } );
  vpn_routes = ( { vrf = "cust-a"; prefix = "192.168.200.0/24"; pe = "10.255.0.2";
                   label = 2001; } ); };
""",
    "swap": """
interfaces = (
  { name = "to-pe1"; port = "in"; address = "10.0.12.2/29"; vrf = "default"; },
  { name = "to-pe2"; port = "out"; address = "10.0.23.1/30"; vrf = "default"; }
);
neighbours = ( { interface = "to-pe2"; address = "10.0.23.2"; mac = "%(nh)s"; } );
mpls = { interfaces = ( "to-pe1", "to-pe2" );
  lfib = ( { label = 16002; action = "swap"; out_labels = "24002";
             interface = "to-pe2"; via = "10.0.23.2"; } ); };
""",
    "pop": """
interfaces = (
  { name = "core"; port = "in"; address = "10.0.23.2/30"; vrf = "default"; },
  { name = "ce"; port = "out"; address = "192.168.102.1/24"; vrf = "cust-a"; }
);
vrfs = ( { name = "cust-a"; id = 1; routes = (
  { prefix = "192.168.200.0/24"; via = "192.168.102.20"; } ); } );
neighbours = ( { interface = "ce"; address = "192.168.102.20"; mac = "%(nh)s"; } );
mpls = { interfaces = ( "core" );
  vrfs = ( { vrf = "cust-a"; rd = "65000:1"; label = 2001; } );
  lfib = ( { label = 24002; action = "pop"; } ); };
""",
}

# Label stack in front of the IPv4 packet, per case.
STACKS = {"ipv4": [], "push": [], "swap": [(16002, 0), (2001, 1)],
          "pop": [(24002, 0), (2001, 1)]}


def frames(case):
    out = []
    stack = STACKS[case]
    for i in range(256):
        # to a site behind a CE router: every case's route has a next hop
        ip = IP(src="192.168.101.%d" % (10 + i % 32), dst="192.168.200.%d" % (i % 64),
                ttl=64, id=i) / UDP(sport=1024 + i, dport=5001)
        hdr = b"".join(struct.pack("!I", lab << 12 | s << 8 | 64) for lab, s in stack)
        eth = bytes(Ether(dst=IN_MAC, src=NH_MAC, type=0x8847 if stack else 0x0800))
        pad = FRAME - len(eth) - len(hdr) - len(ip)
        raw = eth + hdr + bytes(IP(bytes(ip / (b"x" * pad))))
        assert len(raw) == FRAME, len(raw)
        out.append(raw)
    return out


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", 1700000000, i, len(p), len(p)) + p)


LINE = re.compile(r"rx ([0-9.]+) Mpps\s+tx ([0-9.]+) Mpps\s+drop ([0-9.]+) Mpps")


def run_case(binary, work, case, seconds):
    pcap = os.path.join(work, case + ".pcap")
    write_pcap(pcap, frames(case))
    cfg = os.path.join(work, case + ".cfg")
    with open(cfg, "w") as f:
        f.write((COMMON + CASES[case]) % {"case": case, "pcap": pcap, "in_mac": IN_MAC,
                                          "out_mac": OUT_MAC, "nh": NH_MAC})
    proc = subprocess.Popen([binary, "-c", cfg, "-s", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    samples = []
    deadline = time.monotonic() + seconds + 6
    for line in proc.stdout:
        m = LINE.search(line)
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
        return None
    if any(d > 0.001 for _, _, d in kept):
        print("  %s: drops counted: %s" % (case, kept), file=sys.stderr)
    return statistics.mean(tx for _, tx, _ in kept)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default="ipv4,push,swap,pop")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mpls-bench-")
    results = {}
    try:
        for r in range(a.repeat):
            for case in a.cases.split(","):
                mpps = run_case(a.ferry, work, case, a.seconds)
                results.setdefault(case, []).append(mpps)
                print("run %d %-5s %s Mpps" % (r + 1, case,
                                               "n/a" if mpps is None else "%.2f" % mpps))
                sys.stdout.flush()
    finally:
        if a.keep:
            print("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\n%-6s %8s %8s %8s   (tx Mpps, one worker, %d B frames, %d runs of %d s)"
          % ("case", "median", "min", "max", FRAME + 4, a.repeat, a.seconds))
    for case, v in results.items():
        v = [x for x in v if x is not None]
        if v:
            print("%-6s %8.2f %8.2f %8.2f" % (case, statistics.median(v), min(v), max(v)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
