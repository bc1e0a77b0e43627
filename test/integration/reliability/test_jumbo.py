#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""reliability/jumbo: 9000-byte MTU ports with buffers sized from the MTU
(jumbo.cfg.in leaves buffers.data_room at 0). Before, every frame over
2048 bytes arrived as a chain of buffers and was dropped as
ip4_truncated. Each job once with a full-size packet:

- IPv4 forwarding: a 9000-byte datagram (9014-byte frame) out of lan2,
  TTL decremented, payload intact;
- MPLS L3VPN push: 8992 bytes + two labels = 9000 (scapy.contrib.mpls);
- ESP (AES-GCM-128): an 8900-byte datagram encrypted; scapy's
  SecurityAssociation decrypts ferry's output to the original;
- VXLAN: an 8950-byte frame bridged from h to a remote MAC, decoded by
  scapy (VNI 42, inner frame intact);
- ICMP fragmentation needed (RFC 1191) for a 9000-byte DF datagram
  routed to the 1500-byte wan port, MTU 1500 in the error;
- a frame longer than one buffer (a 9600-byte datagram: net_pcap hands
  it over chained) dropped as rx_chained, never misparsed;
- the SA counts the inner bytes, the tx pcaps hold the frames whole.

And `--check` refuses a 9000-byte MTU with buffers too small for it,
naming the port's mtu line.

Usage: /usr/bin/python3 test_jumbo.py FERRY_BINARY
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

from scapy.contrib.mpls import MPLS  # noqa: E402
from scapy.layers.inet import IP, UDP, ICMP  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.layers.vxlan import VXLAN  # noqa: E402

TEMPLATE = ft.here(__file__, "jumbo.cfg.in")
PORTS = ["p0", "p1", "p2", "p3", "p4"]
MAC = {p: "02:00:00:00:00:1%d" % i for i, p in enumerate(PORTS)}
HOST_MAC = "02:00:00:00:c1:0a"
P_MAC, VTEP_MAC = "02:00:00:00:02:21", "02:00:00:00:02:31"
LAN2_GW_MAC = "02:00:00:00:0b:02"
HOST = "192.168.101.10"
KEY = bytes.fromhex("101112131415161718191a1b1c1d1e1f")
SALT = bytes.fromhex("cafebabe")


def build(tr):
    t = {}

    def ce(name, dst, size, df=False):
        tag = tr.tag()
        tr.add("p0", ft.eth(MAC["p0"], HOST_MAC) /
               ft.ip_packet(tag, HOST, dst, size, df=df), tag)
        t[name] = tag

    ce("forward", "198.19.0.5", 9000)
    ce("mpls", "192.168.220.5", 8992)
    ce("esp", "10.2.0.5", 8900)
    ce("frag_needed", "198.18.0.5", 9000, df=True)
    ce("chained", "198.19.0.6", 9600)
    tag = tr.tag()
    inner = ft.eth("02:00:00:00:5a:01", "02:00:00:00:5b:09") / \
        ft.ip_packet(tag, "172.16.0.1", "172.16.0.2", 8950 - 14)
    tr.add("p3", inner, tag)
    t["vxlan"] = tag
    return t


def take_one(chk, outs, pred, what):
    got = outs.take(pred=pred)
    chk.eq(len(got), 1, "%s: one frame out" % what)
    return got[0].raw if got else None


def check_forward(chk, outs, tr, tag):
    raw = take_one(chk, outs, lambda p: p.port == "p4" and p.tag == tag,
                   "forward 9000")
    if raw is None:
        return
    e = Ether(raw)
    sent = IP(bytes(tr[tag])[14:])
    chk.eq(len(raw), 9014, "forward: a 9014-byte frame")
    chk.eq((e.dst, e.src), (LAN2_GW_MAC, MAC["p4"]), "forward: MACs rewritten")
    chk.eq(e[IP].ttl, sent.ttl - 1, "forward: TTL decremented")
    chk.ok(bytes(e[IP].payload) == bytes(sent.payload), "forward: payload intact")


def check_mpls(chk, outs, tr, tag):
    raw = take_one(chk, outs, lambda p: p.port == "p1" and raw_type(p.raw) == 0x8847,
                   "MPLS push")
    if raw is None:
        return
    e = Ether(raw)
    labels = []
    layer = e
    while layer.haslayer(MPLS):
        layer = layer[MPLS]
        labels.append(layer.label)
        layer = layer.payload
    chk.eq(labels, [16002, 2001], "MPLS: LSP and VPN labels")
    ip = IP(bytes(layer))
    chk.eq((len(raw), ip.len), (9014, 8992), "MPLS: 9000 bytes of MPLS, 8992 of IP")
    chk.ok(bytes(ip.payload) == bytes(IP(bytes(tr[tag])[14:]).payload),
           "MPLS: payload intact")


def raw_type(raw):
    return int.from_bytes(raw[12:14], "big")


def check_esp(chk, outs, tr, tag):
    raw = take_one(chk, outs, lambda p: p.port == "p1" and raw_type(p.raw) == 0x0800
                   and p.raw[23] == 50, "ESP")
    if raw is None:
        return
    sa = SecurityAssociation(ESP, spi=4097, crypt_algo="AES-GCM",
                             crypt_key=KEY + SALT,
                             tunnel_header=IP(src="10.0.12.1", dst="10.0.12.3"))
    outer = IP(raw[14:])
    chk.ok(outer.len <= 9000, "ESP: outer datagram %d bytes within the MTU" % outer.len)
    try:
        inner = sa.decrypt(outer)
    except Exception as e:  # scapy raises on a bad ICV
        chk.fail("ESP: scapy cannot decrypt ferry's output: %s" % e)
        return
    sent = IP(bytes(tr[tag])[14:])
    chk.eq(inner.len, 8900, "ESP: the 8900-byte datagram inside")
    chk.ok(bytes(inner.payload) == bytes(sent.payload), "ESP: payload decrypted intact")


def check_vxlan(chk, outs, tr, tag):
    raw = take_one(chk, outs, lambda p: p.port == "p1" and raw_type(p.raw) == 0x0800
                   and p.raw[23] == 17 and int.from_bytes(p.raw[36:38], "big") == 4789,
                   "VXLAN")
    if raw is None:
        return
    e = Ether(raw)
    chk.eq(e[VXLAN].vni, 42, "VXLAN: VNI 42")
    chk.eq(e[IP].dst, "10.0.12.3", "VXLAN: to the remote VTEP")
    inner = bytes(e[VXLAN].payload)
    chk.ok(inner == bytes(tr[tag]), "VXLAN: the 8950-byte inner frame intact "
           "(%d bytes)" % len(inner))


def check_frag_needed(chk, outs, tag):
    got = outs.take(pred=lambda p: p.port == "p0" and p.kind == "icmp-error")
    chk.eq(len(got), 1, "DF 9000 to the 1500-byte port: one ICMP error")
    if got:
        icmp = Ether(got[0].raw)[ICMP]
        chk.eq((icmp.type, icmp.code, icmp.nexthopmtu), (3, 4, 1500),
               "ICMP fragmentation needed, next-hop MTU 1500")
        chk.eq(IP(bytes(icmp.payload)).id, tag & 0xffff, "about the DF datagram")


def check_refused(chk, binary):
    chk.set_group("--check refuses buffers too small for the MTU")
    with open(TEMPLATE) as f:
        text = f.read().replace("buffers = { mbufs = 2047; };",
                                "buffers = { mbufs = 2047; data_room = 2176; };")
    fd, path = tempfile.mkstemp(suffix=".cfg")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        p = subprocess.run([binary, "-c", path, "--check"], capture_output=True,
                           text=True, timeout=60)
    finally:
        os.unlink(path)
    line = next(i + 1 for i, l in enumerate(text.splitlines())
                if 'name = "p0"' in l)
    first = p.stderr.splitlines()[0] if p.stderr else ""
    chk.ok(p.returncode == 1, "exit status 1", p.stderr)
    chk.ok(first.startswith("%s:%d: ports.[0].mtu: 9000: " % (path, line)) and
           "buffers.data_room >= 9" in first, "FILE:LINE: ports.[0].mtu: 9000: reason",
           first)


def main():
    binary = ft.setup()
    chk = ft.Checks("reliability-jumbo")
    tr = ft.Traffic(PORTS)
    t = build(tr)
    res = ft.run_ferry(binary, TEMPLATE, tr, extra_cmds=["show ipsec sa 4097"])
    if res.check_run(chk):
        outs = ft.Outputs(res)
        chk.set_group("jobs at 9000 bytes")
        check_forward(chk, outs, tr, t["forward"])
        check_mpls(chk, outs, tr, t["mpls"])
        check_esp(chk, outs, tr, t["esp"])
        check_vxlan(chk, outs, tr, t["vxlan"])
        check_frag_needed(chk, outs, t["frag_needed"])
        ft.expect_no_output(chk, outs, t["chained"])
        outs.check_unclaimed(chk)
        sa = res.extra.get("show ipsec sa 4097", "")
        chk.ok("bytes 8900" in sa, "the SA counts the 8900 inner bytes", sa)
        res.check_counters(chk, tr, drops={"rx_chained": 1, "ip4_mtu_exceeded": 1})
    check_refused(chk, binary)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
