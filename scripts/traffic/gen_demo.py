#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the demo captures replayed by config/ferry.cfg.

config/demo/ce-a.pcap  customer A's site: hosts 192.168.101.10-.41 send UDP
                       to assorted destinations (some in 198.51.100.0/24,
                       which cust-a blackholes; most take the default route)
config/demo/ce-b.pcap  customer B's site, same addressing (the VRFs keep the
                       two apart)

Frames are Ethernet/IPv4/UDP, 64..512 bytes long, addressed to the MAC the
config gives each CE port (ce-a 02:00:00:00:00:01, ce-b 02:00:00:00:00:02).
The output is byte-for-byte reproducible: fixed seed, fixed timestamps, no
field left to scapy's defaults that depend on the host.

Run with Debian's python (it has scapy):
    /usr/bin/python3 scripts/traffic/gen_demo.py [--out-dir config/demo]
"""

import argparse
import os
import random
import struct
import sys

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
except ImportError:
    sys.exit("gen_demo.py: scapy not found; run it with /usr/bin/python3 "
             "(Debian's python3-scapy)")

N_FRAMES = 64
BASE_TIME = 1700000000  # fixed epoch second for every capture
FRAME_MIN, FRAME_MAX = 64, 512  # frame length in the capture (no FCS)

SITES = {
    # name: (seed, ferry's MAC on the port, host MAC prefix byte, destinations)
    "ce-a": (0xa, "02:00:00:00:00:01", 0x01, [
        # (weight, generator of a destination)
        (5, lambda r: "8.8.%d.%d" % (r.randrange(0, 256), r.randrange(1, 255))),
        (3, lambda r: "203.0.113.%d" % r.randrange(1, 255)),
        (3, lambda r: "10.%d.%d.%d" % (r.randrange(0, 256), r.randrange(0, 256),
                                       r.randrange(1, 255))),
        (2, lambda r: "198.51.100.%d" % r.randrange(1, 255)),  # blackholed
    ]),
    "ce-b": (0xb, "02:00:00:00:00:02", 0x02, [
        (5, lambda r: "10.20.%d.%d" % (r.randrange(0, 256), r.randrange(1, 255))),
        (3, lambda r: "172.16.%d.%d" % (r.randrange(0, 256), r.randrange(1, 255))),
        (2, lambda r: "9.9.%d.%d" % (r.randrange(0, 256), r.randrange(1, 255))),
    ]),
}


def pick(r, choices):
    total = sum(w for w, _ in choices)
    x = r.randrange(total)
    for w, gen in choices:
        if x < w:
            return gen(r)
        x -= w
    raise AssertionError("unreachable")


def frames(site):
    seed, ferry_mac, mac_byte, dsts = SITES[site]
    r = random.Random(seed)
    out = []
    for i in range(N_FRAMES):
        host = 10 + r.randrange(32)  # 192.168.101.10 .. .41
        length = r.randrange(FRAME_MIN, FRAME_MAX + 1)
        hdr = Ether(dst=ferry_mac, src="02:00:00:00:%02x:%02x" % (mac_byte, host),
                    type=0x0800) / \
            IP(src="192.168.101.%d" % host, dst=pick(r, dsts), id=i + 1,
               ttl=64, flags="DF") / \
            UDP(sport=r.randrange(1024, 65536), dport=r.choice([53, 80, 443, 5001]))
        fill = length - len(hdr)
        tag = b"ferry-demo %s %03d " % (site.encode(), i)
        payload = (tag * (fill // len(tag) + 1))[:fill]
        out.append(bytes(hdr / payload))
    return out


def write_pcap(path, pkts):
    """Classic pcap, microsecond timestamps, DLT_EN10MB; fixed times."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", BASE_TIME, i * 1000, len(p), len(p)))
            f.write(p)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", default=os.path.join(here, "..", "..",
                                                      "config", "demo"))
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for site in SITES:
        pkts = frames(site)
        assert all(FRAME_MIN <= len(p) <= FRAME_MAX for p in pkts)
        path = os.path.join(args.out_dir, site + ".pcap")
        write_pcap(path, pkts)
        print("%s: %d frames, %d bytes" % (os.path.normpath(path), len(pkts),
                                           os.path.getsize(path)))


if __name__ == "__main__":
    main()
