#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""routing/rx_cksum: ferry_ip4_input trusts the port's RX checksum flag,
and only for the header the port checked.

ferry asks every port for IPv4 checksum offload where the port has it
(lib/port); net_tap has it (its driver sums the outer IPv4 header and
sets RTE_MBUF_F_RX_IP_CKSUM_GOOD or _BAD). ferry_ip4_input then skips
its own sum on a GOOD packet. A decapsulating node (VXLAN here; ESP
decrypt and MPLS pop too) must clear the flags before the inner packet
reaches ferry_ip4_input, else an inner header with a wrong checksum
would ride on the outer header's GOOD and be forwarded.

From the kernel side of a net_tap port (underlay, VTEP 10.0.0.1), to
the L3 VNI 5001 (VRF cust-a, out of a net_pcap port):
  1. inner IPv4 with a right checksum: forwarded (TTL - 1, checksum
     right on the way out)
  2. inner IPv4 with a wrong checksum, outer right: dropped as
     ip4_bad_checksum, never forwarded
  3. a plain IPv4 packet with a wrong header checksum: ip4_bad_checksum
Exits 77 where a TAP cannot be made (not root, no /dev/net/tun).

Usage: /usr/bin/python3 test_rx_cksum.py FERRY_BINARY
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

try:
    from scapy.all import sendp
    from scapy.layers.vxlan import VXLAN
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
except ImportError:
    VXLAN = None

P0_MAC, VTEP3_MAC = "02:00:00:00:00:10", "02:00:00:00:aa:03"
CE_MAC = "02:00:00:00:c1:0a"
N = 3  # packets per case
GOOD, BAD, PLAIN = 1, 2, 3  # markers

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true; file_prefix = "{prefix}"; }};
ports = (
	{{ name = "p0"; device = "net_tap_fcs{pid},iface={tap}"; mac = "{p0mac}"; }},
	{{ name = "p4"; device = "net_pcap_fcs{pid},rx_pcap={work}/empty.pcap,tx_pcap={work}/p4.pcap"; mac = "02:00:00:00:00:14"; }}
);
interfaces = (
	{{ name = "under"; port = "p0"; address = "10.0.0.1/24"; }},
	{{ name = "cust";  port = "p4"; address = "192.168.1.1/24"; vrf = "cust-a"; }}
);
vrfs = ( {{ name = "cust-a"; id = 1; }} );
neighbours = (
	{{ interface = "under"; address = "10.0.0.3"; mac = "{vtep3}"; }},
	{{ interface = "cust";  address = "192.168.1.10"; mac = "{ce}"; }}
);
vxlan = {{ local = "10.0.0.1"; l3_vnis = ( {{ vni = 5001; vrf = "cust-a"; }} ); }};
workers = ( {{ lcore = 1; rx = ( "p0:0", "p4:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; }};
"""


def tunnelled(tag):
    inner = (Ether(dst="02:00:00:00:0a:01", src="02:00:00:00:0a:33") /
             IP(src="192.168.50.9", dst="192.168.1.10", ttl=64) /
             UDP(sport=4000, dport=5000) / ft.marker(tag))
    return (Ether(dst=P0_MAC, src=VTEP3_MAC) /
            IP(src="10.0.0.3", dst="10.0.0.1", ttl=64) /
            UDP(sport=51000, dport=4789, chksum=0) /
            VXLAN(flags=0x08, vni=5001) / inner)


def wrong_cksum(pkt):
    """@p pkt's IPv4 header checksum plus one: certainly wrong."""
    right = IP(bytes(pkt[IP]))[IP].chksum
    return (right + 1) & 0xffff


def drops(run):
    c = run.cli()
    try:
        return ft.parse_show_drops(c.cmd("show drops"))
    finally:
        c.close()


def wait_drops(run, reason, want, timeout=30.0):
    """`show drops` count of @p reason once it reaches @p want (or what
    it is after @p timeout)."""
    deadline = time.monotonic() + timeout
    got = drops(run).get(reason, 0)
    while got < want and time.monotonic() < deadline:
        time.sleep(0.2)
        got = drops(run).get(reason, 0)
    return got


def send_cases(chk, run, tap):
    good = tunnelled(GOOD)
    bad = tunnelled(BAD)
    bad[VXLAN][IP].chksum = wrong_cksum(bad[VXLAN])
    plain = (Ether(dst=P0_MAC, src=VTEP3_MAC) /
             IP(src="10.0.0.3", dst="192.168.1.10", ttl=64) /
             UDP(sport=4000, dport=5000) / ft.marker(PLAIN))
    plain[IP].chksum = wrong_cksum(plain)
    sendp([good] * N, iface=tap, verbose=False)
    sendp([bad] * N, iface=tap, verbose=False)
    chk.eq(wait_drops(run, "ip4_bad_checksum", N), N,
           "inner IPv4 with a wrong checksum under a right outer header: "
           "ip4_bad_checksum")
    sendp([plain] * N, iface=tap, verbose=False)
    chk.eq(wait_drops(run, "ip4_bad_checksum", 2 * N), 2 * N,
           "plain IPv4 with a wrong header checksum: ip4_bad_checksum")


def check_output(chk, path):
    frames = ft.read_pcap(path) if os.path.exists(path) else []
    good = [f for f in frames if ft.marker(GOOD) in f]
    chk.eq(len(good), N, "inner packets with a right checksum forwarded")
    chk.ok(all(ft.ip_cksum_ok(f[14:34])[0] and f[22] == 63 for f in good),
           "forwarded with TTL 63 and a right header checksum")
    chk.eq(len([f for f in frames if ft.marker(BAD) in f or
                ft.marker(PLAIN) in f]), 0,
           "no packet with a wrong checksum forwarded")


def main():
    binary = ft.setup()
    if VXLAN is None:
        ft.skip("scapy has no VXLAN layer")
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        ft.skip("net_tap needs root and /dev/net/tun")
    chk = ft.Checks("routing/rx_cksum")
    work = tempfile.mkdtemp(prefix="ferry-rxcksum-")
    tap = "fcs%d" % os.getpid()
    ft.write_pcap(os.path.join(work, "empty.pcap"), [])
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix=os.path.basename(work), pid=os.getpid(),
                              tap=tap, work=work, p0mac=P0_MAC,
                              vtep3=VTEP3_MAC, ce=CE_MAC))
    run = ft.Running(binary, cfg)
    try:
        # quiet the kernel side: no IPv6 chatter into the port
        ft.netns_sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % tap,
                    check=False)
        ft.netns_sh("ip link set %s up" % tap)
        send_cases(chk, run, tap)
    finally:
        status, out, err = run.stop()
        # net_tap removes its interface when ferry stops; make sure
        subprocess.run(["ip", "link", "del", tap], capture_output=True)
    chk.eq(status, 0, "ferry exit status", err[-2000:])
    check_output(chk, os.path.join(work, "p4.pcap"))
    rc = chk.summary()
    if rc == 0:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
