#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""IPsec ESP rate per worker core: encrypt and decrypt, AES-GCM-128 and
AES-CBC-128 + HMAC-SHA256, at inner IPv4 packets of 64, 512 and 1420
bytes.

Each case is one ferry with one worker (lcore 1) replaying a capture of
256 packets forever (net_pcap infinite_rx) into a net_null sink,
printing its counters every 2 s (`ferry -c CFG -s 2`); the first sample
is warm-up. Encrypt: clear packets from the LAN into an outbound SA.
Decrypt: scapy-made ESP of an inbound SA with replay_window = 0, since
the capture repeats its sequence numbers (as DESIGN's peer runs of
ipsec-secgw do without -w). Other processes may share the two CPUs:
each case runs --repeat times; the median and spread are printed.

Usage: /usr/bin/python3 scripts/bench/ipsec_bench.py BUILD/app/ferry
           [--seconds 8] [--repeat 3] [--algs aes-gcm-128,aes-cbc-128-sha256]
           [--sizes 64,512,1420] [--dirs enc,dec]
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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "integration", "ipsec"))
from mpls_bench import LINE, write_pcap  # noqa: E402
import ipsec_case as C  # noqa: E402
from ipsec_case import IP, UDP, Ether  # noqa: E402

CONFIG = """
eal = { lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "ipsec-bench-%(name)s"; };
buffers = { mbufs = 8191; };
ports = (
  { name = "in";  device = "net_pcap0,rx_pcap=%(pcap)s,infinite_rx=1"; mac = "02:00:00:00:05:10"; },
  { name = "out"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:05:11"; }
);
interfaces = (
  { name = "lan"; port = "%(lan)s"; address = "192.168.1.1/24"; vrf = "cust"; },
  { name = "wan"; port = "%(wan)s"; address = "203.0.113.1/24"; vrf = "default"; }
);
vrfs = ( { name = "cust"; id = 1; } );
neighbours = (
  { interface = "lan"; address = "192.168.1.10"; mac = "02:00:00:00:0a:01"; },
  { interface = "wan"; address = "203.0.113.2"; mac = "02:00:00:00:0b:01"; }
);
ipsec = {
  sas = ( %(out_sa)s, %(in_sa)s );
  routes = ( { vrf = "cust"; prefix = "10.2.0.0/16"; sa = 4097; } );
};
workers = ( { lcore = 1; rx = ( "in:0", "out:0" ); } );
cli = { port = 0; };
"""


def frames(direction, alg, size):
    sa = C.scapy_sa(alg, C.SPI_IN, C.PEER, C.LOCAL)
    out = []
    for i in range(256):
        ip = (IP(src=C.HOST, dst="10.2.%d.%d" % (i % 8, 1 + i % 200), id=i)
              if direction == "enc" else
              IP(src="10.2.%d.%d" % (i % 8, 1 + i % 200), dst=C.HOST, id=i))
        ip = IP(bytes(ip / UDP(sport=1024 + i, dport=5001) / (b"x" * (size - 28))))
        if direction == "enc":
            eth = Ether(dst="02:00:00:00:05:10", src="02:00:00:00:0a:01") / ip
        else:
            eth = Ether(dst="02:00:00:00:05:10", src="02:00:00:00:0b:01") / \
                C.peer_esp(sa, ip, i + 1)
        out.append(bytes(eth))
    return out


def run(binary, work, direction, alg, size, seconds):
    name = "%s-%s-%d" % (direction, alg, size)
    pcap = os.path.join(work, name + ".pcap")
    write_pcap(pcap, frames(direction, alg, size))
    cfg = os.path.join(work, name + ".cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG % {
            "name": name, "pcap": pcap,
            "lan": "in" if direction == "enc" else "out",
            "wan": "out" if direction == "enc" else "in",
            "out_sa": C.sa_cfg(C.SPI_OUT, "out", alg, C.LOCAL, C.PEER),
            "in_sa": C.sa_cfg(C.SPI_IN, "in", alg, C.LOCAL, C.PEER, replay_window=0)})
    proc = subprocess.Popen([binary, "-c", cfg, "-s", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    samples = []
    deadline = time.monotonic() + seconds + 6
    for line in proc.stdout:
        m = LINE.search(line)
        if m:
            samples.append((float(m.group(2)), float(m.group(3))))
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
    if any(d > 0.001 for _, d in kept):
        print("  %s: drops counted: %s" % (name, kept), file=sys.stderr)
    return statistics.mean(tx for tx, _ in kept)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--algs", default="aes-gcm-128,aes-cbc-128-sha256")
    ap.add_argument("--sizes", default="64,512,1420")
    ap.add_argument("--dirs", default="enc,dec")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ipsec-bench-")
    res = {}
    try:
        for r in range(a.repeat):
            for d in a.dirs.split(","):
                for alg in a.algs.split(","):
                    for size in map(int, a.sizes.split(",")):
                        v = run(a.ferry, work, d, alg, size, a.seconds)
                        res.setdefault((d, alg, size), []).append(v)
                        print("run %d %s %-19s %5d B: %s Mpps" % (
                            r + 1, d, alg, size, "n/a" if v is None else "%.2f" % v))
                        sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n%-4s %-19s %6s %8s %8s %8s %8s" % ("dir", "algorithm", "bytes", "Mpps",
                                             "min", "max", "Gbit/s"))
    for (d, alg, size), v in res.items():
        v = [x for x in v if x is not None]
        if v:
            med = statistics.median(v)
            print("%-4s %-19s %6d %8.2f %8.2f %8.2f %8.2f" % (
                d, alg, size, med, min(v), max(v), med * size * 8 / 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
