#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Captures for traffic generators on real NICs (pktgen-dpdk `-s P:FILE`,
TRex `STLProfile.load_pcap`), one per job, addressed for the example
configurations in config/examples (see doc/operations.md):

  l3vpn_core.pcap  from P into PE1's core port: [24001 | 1001 S] IPv4,
                   i.e. P's swapped transport label over cust-a's VPN label
  ipsec_esp.pcap   from the peer 203.0.113.2 into ipsec-gw's wan port:
                   ESP SPI 8193, AES-GCM-128 (the example's inbound key),
                   sequence numbers 1..N (a looping replay needs the SA's
                   replay_window = 0, or every repeat is a replay drop)
  vxlan_fabric.pcap from VTEP 10.0.0.2 into vxlan-vtep's fabric port:
                   VNI 42 (bridge domain 1) and VNI 5001 (L3, cust-a)
  qos_mix.pcap     into qos.cfg's lan port: the HTB guide's classes A
                   (UDP to port 80 from 192.168.101.12), B (the rest of
                   that host's) and C (other hosts) in the ratio 3:1:6

Deterministic (fixed seed, IVs and timestamps). Runs with Debian's
/usr/bin/python3 and python3-scapy; the generators themselves cannot run
on this project's VMs (no NIC), these files can be made anywhere.

  gen_hw_pcaps.py [--out DIR] [--count N] [--size BYTES]
"""
import argparse
import os
import random
import struct
import sys

from scapy.contrib.mpls import MPLS
from scapy.layers.inet import IP, UDP, TCP
from scapy.layers.ipsec import ESP, SecurityAssociation
from scapy.layers.l2 import Ether
from scapy.layers.vxlan import VXLAN
from scapy.utils import wrpcap

ESP_IN_KEY = bytes.fromhex("101112131415161718191a1b1c1d1e1f" "05060708")


def payload(n, i):
    return bytes((i + k) & 0xff for k in range(max(0, n)))


def udp(src, dst, size, i, dscp=0):
    """An IPv4/UDP packet of @p size bytes (IP total length)."""
    hdr = IP(src=src, dst=dst, tos=dscp << 2, id=i & 0xffff) / \
        UDP(sport=1024 + i % 4096, dport=5001 + i % 8)
    return hdr / payload(size - len(hdr), i)


def l3vpn(n, size):
    rnd = random.Random(1)
    return [Ether(src="02:00:00:00:02:21", dst="02:00:00:00:01:12") /
            MPLS(label=24001, s=0, ttl=64) / MPLS(label=1001, s=1, ttl=64) /
            udp("192.168.102.%d" % (1 + rnd.randrange(250)),
                "192.168.101.%d" % (2 + i % 250), size, i)
            for i in range(n)]


def ipsec(n, size):
    sa = SecurityAssociation(ESP, spi=8193, crypt_algo="AES-GCM",
                             crypt_key=ESP_IN_KEY,
                             tunnel_header=IP(src="203.0.113.2", dst="203.0.113.1"))
    out = []
    for i in range(n):
        inner = udp("10.2.%d.%d" % (i // 250 % 250, 1 + i % 250),
                    "192.168.101.%d" % (2 + i % 250), size, i)
        # scapy draws a random IV; a fixed one keeps the file reproducible
        enc = sa.encrypt(inner, seq_num=i + 1, iv=struct.pack(">Q", i + 1))
        out.append(Ether(src="02:00:00:00:02:21", dst="02:00:00:00:01:12") / enc)
    return out


def vxlan(n, size):
    out = []
    for i in range(n):
        if i % 2:  # L3 VNI: inner to the VTEP's router MAC, cust-a
            inner = Ether(src="02:00:00:00:0a:33", dst="02:00:00:00:0f:01") / \
                udp("192.168.50.%d" % (1 + i % 250), "192.168.1.%d" % (2 + i % 250),
                    size, i)
            vni = 5001
        else:      # bridge domain 1: learn a remote MAC per flow
            inner = Ether(src="02:00:00:01:%02x:%02x" % (i // 256 % 256, i % 256),
                          dst="02:00:00:00:bb:01") / \
                udp("172.16.0.%d" % (1 + i % 250), "172.16.0.254", size, i)
            vni = 42
        # flags=0x08: a plain VXLAN header (scapy's default is GPE)
        out.append(Ether(src="02:00:00:00:0a:02", dst="02:00:00:00:0f:01") /
                   IP(src="10.0.0.2", dst="10.0.0.1", ttl=64) /
                   UDP(sport=49152 + i % 16384, dport=4789) /
                   VXLAN(flags=0x08, vni=vni) / inner)
    return out


def qos(n, size):
    """The HTB guide's classes in qos.cfg: A (WWW from 192.168.101.12),
    B (the rest of that host's) and C (others) in the ratio 3:1:6."""
    mix = ["A"] * 3 + ["B"] * 1 + ["C"] * 6
    out = []
    for i in range(n):
        cls = mix[i % len(mix)]
        src = "192.168.101.12" if cls != "C" else "192.168.101.%d" % (20 + i % 200)
        pkt = udp(src, "198.18.%d.%d" % (i // 250 % 250, 1 + i % 250), size, i)
        pkt[UDP].dport = 80 if cls == "A" else 5001
        out.append(Ether(src="02:00:00:00:00:99", dst="02:00:00:00:00:01") / pkt)
    return out


JOBS = {"l3vpn_core": l3vpn, "ipsec_esp": ipsec, "vxlan_fabric": vxlan,
        "qos_mix": qos}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=".", help="directory for the .pcap files")
    ap.add_argument("--count", type=int, default=1024, help="packets per file")
    ap.add_argument("--size", type=int, default=100,
                    help="inner IP packet size in bytes (>= 46)")
    a = ap.parse_args()
    if a.size < 46 or a.count < 1:
        sys.exit("gen_hw_pcaps.py: --size must be >= 46 and --count >= 1")
    os.makedirs(a.out, exist_ok=True)
    for name, fn in JOBS.items():
        pkts = fn(a.count, a.size)
        for i, p in enumerate(pkts):
            p.time = 1700000000 + i / 1e6
        path = os.path.join(a.out, name + ".pcap")
        wrpcap(path, pkts)
        print("%s: %d packets" % (path, len(pkts)))


if __name__ == "__main__":
    main()
