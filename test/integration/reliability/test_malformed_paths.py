#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""reliability/malformed: every header of every path ferry parses, cut
at every offset, and the odd packets of issue 9 part 3, on one ferry that
is at once a PE (MPLS), a VTEP (VXLAN), a firewall (ACL) and a shaper
(QoS) (rel.cfg.in). Beyond routing/test_malformed.py, mpls/test_labels.py
and vxlan/test_vtep.py, which hold one case per reason: here each cut
offset is a frame of its own, and the expected reason follows from the
order of the checks (pkt_ip4_check, mpls_stack_depth, decap_check).

Checks: ferry survives and stops cleanly; `show counters` and `show
drops` count exactly the frames expected per reason; the only frames
sent are the ICMP time-exceeded errors for the TTL 0/1 cases; every port
received every frame; the packet pool's mbufs in use (telemetry
/ferry/mempools) are back to what an idle ferry of the same config has.

Usage: /usr/bin/python3 test_malformed_paths.py FERRY_BINARY
"""
import os
import shutil
import struct
import sys

import reltest as R
from reltest import ft

MAC = {p: "02:00:00:00:00:1%d" % i for i, p in enumerate(R.PORTS)}
HOST_MAC = "02:00:00:00:c1:0a"      # 192.168.101.10 behind ce (static)
P_MAC = "02:00:00:00:02:21"         # the P router on core
VTEP_MAC = "02:00:00:00:02:31"      # remote VTEP 10.0.12.3
HOST, CE_GW = "192.168.101.10", "192.168.101.1"
LOCAL, REMOTE = "10.0.12.1", "10.0.12.3"
L2_VNI, L3_VNI = 42, 5001
VLAN_TAG = 20


def cksum_ip(ip):
    ihl = (ip[0] & 0xf) * 4
    ip[10:12] = b"\0\0"
    ip[10:12] = struct.pack("!H", ft.inet_cksum(bytes(ip[:ihl])))
    return ip


def ip_hdr(src, dst, payload_len, proto=17, ttl=64, ident=0, options=b"", frag=0):
    """A raw IPv4 header (options padded by the caller to 4 bytes)."""
    ihl = 5 + len(options) // 4
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + payload_len,
                               ident & 0xffff, frag, ttl, proto, 0,
                               bytes(map(int, src.split("."))),
                               bytes(map(int, dst.split(".")))) + options)
    return cksum_ip(ip)


def mac_b(m):
    return bytes.fromhex(m.replace(":", ""))


def l2(dst, src, ethertype, vlan=None):
    if vlan is None:
        return mac_b(dst) + mac_b(src) + struct.pack("!H", ethertype)
    return mac_b(dst) + mac_b(src) + struct.pack("!HHH", 0x8100, vlan, ethertype)


def inner_ip(tag, src="192.168.101.20", dst="198.18.7.7", size=48, ttl=64):
    return bytes(ft.ip_packet(tag, src, dst, size, ttl=ttl))


def vxlan_frame(vni, inner, flags=0x08, word0=None, word1=None, udp_len=None,
                options=b"", ident=0):
    """Outer Ethernet/IPv4/UDP 4789/VXLAN to ferry's VTEP address on core,
    UDP checksum 0 (allowed, RFC 7348 5)."""
    vx = struct.pack("!II", word0 if word0 is not None else flags << 24,
                     word1 if word1 is not None else vni << 8)
    dgram_len = 8 + len(vx) + len(inner)
    udp = struct.pack("!HHHH", 49152, 4789, dgram_len if udp_len is None else udp_len, 0)
    ip = ip_hdr(REMOTE, LOCAL, dgram_len, options=options, ident=ident)
    return l2(MAC["p1"], VTEP_MAC, 0x0800) + bytes(ip) + udp + vx + inner


def consistent_cut(frame, l2len, keep):
    """@p frame (untagged IPv4) cut to @p keep bytes of IP datagram, the IP
    total length and the UDP length (if any of it is left) set to fit."""
    ip = bytearray(frame[l2len:l2len + keep])
    ihl = (ip[0] & 0xf) * 4
    ip[2:4] = struct.pack("!H", keep)
    if keep >= ihl + 6:
        ip[ihl + 4:ihl + 6] = struct.pack("!H", keep - ihl)
    cksum_ip(ip)
    return frame[:l2len] + bytes(ip)


def mpls_stack(labels, bottom_s=True, ttl=64):
    out = b""
    for i, lab in enumerate(labels):
        s = 1 if bottom_s and i == len(labels) - 1 else 0
        out += struct.pack("!I", (lab << 12) | (s << 8) | ttl)
    return out


def arp_body(hlen=6, plen=4, htype=1, ptype=0x0800, op=1, sha=HOST_MAC):
    sha_b = mac_b(sha) + bytes(max(0, hlen - 6))
    return struct.pack("!HHBBH", htype, ptype, hlen, plen, op) + sha_b[:hlen] + \
        bytes([192, 168, 101, 10] + [0] * max(0, plen - 4))[:plen] + bytes(hlen) + \
        bytes([192, 168, 101, 1] + [0] * max(0, plen - 4))[:plen]


class Cases:
    def __init__(self):
        self.tr = ft.Traffic(R.PORTS)
        self.want = {}
        self.icmp = []  # tags answered by ICMP time exceeded out p0

    def add(self, reason, port, raw, tag=None):
        """@p tag: the frame's own tag, to match what comes out; frames
        without one (cut copies carry their original's marker) are only
        counted."""
        if tag is None:
            self.tr.frames[port].append(bytes(raw))
        else:
            self.tr.add(port, bytes(raw), tag)
        self.want[reason] = self.want.get(reason, 0) + 1


def build():
    c = Cases()
    tr = c.tr

    # --- Ethernet: every length short of the header (0 included), and a
    # tagged frame cut inside its 802.1Q tag.
    full = l2(MAC["p1"], P_MAC, 0x0800) + inner_ip(tr.tag(), HOST, "10.0.12.1")
    for n in range(0, 14):
        c.add("eth_truncated", "p1", full[:n])
    tagged = l2(MAC["p2"], HOST_MAC, 0x0800, vlan=VLAN_TAG) + \
        inner_ip(tr.tag(), "192.168.102.10", "192.168.102.99")
    for n in range(14, 18):
        c.add("eth_truncated", "p2", tagged[:n])
    # 802.1Q + IPv4 + UDP cut at every later offset: the frame ends before
    # the IP total length (or inside the IP header): ip4_truncated.
    for n in range(18, len(tagged)):
        c.add("ip4_truncated", "p2", tagged[:n])

    # --- VXLAN to ferry's VTEP: outer IPv4, UDP, VXLAN header, inner
    # Ethernet, inner IPv4 and UDP, cut at every offset: outer total
    # length past the frame's end, ip4_truncated.
    vx = vxlan_frame(L3_VNI, l2(MAC["p0"], "02:00:00:00:77:01", 0x0800) +
                     inner_ip(tr.tag(), "192.168.101.20", "198.51.100.9"))
    for n in range(14, len(vx)):
        c.add("ip4_truncated", "p1", vx[:n])
    # The same datagram cut with the lengths made to fit: the UDP header
    # cut is ip4_local's (ip4_truncated), a VXLAN header or inner Ethernet
    # header cut is vxlan_truncated.
    for keep in range(20, 28):
        c.add("ip4_truncated", "p1", consistent_cut(vx, 14, keep))
    for keep in range(28, 20 + 8 + 8 + 14):
        c.add("vxlan_truncated", "p1", consistent_cut(vx, 14, keep))
    # An L3 VNI's inner IPv4 header cut (outer lengths fit): decapsulated,
    # then ip4_input finds the inner packet truncated.
    for keep in range(50, 50 + 20):
        c.add("ip4_truncated", "p1", consistent_cut(vx, 14, keep))

    # UDP length against the IP datagram: below 8, or past its end.
    for ulen in (0, 7, 8 + 8 + 14 + 48 + 1, 0xffff):
        c.add("vxlan_truncated", "p1", vxlan_frame(
            L2_VNI, l2("02:00:00:00:5b:09", "02:00:00:00:77:02", 0x0800) +
            inner_ip(tr.tag()), udp_len=ulen))

    # Flags: I clear, each reserved bit, the VNI word's reserved byte.
    inner = l2("02:00:00:00:5b:09", "02:00:00:00:77:03", 0x0800)
    for w0, w1 in ((0, L2_VNI << 8), (0x0c000000, L2_VNI << 8), (0x88000000, L2_VNI << 8),
                   (0x08000001, L2_VNI << 8), (0x08800000, L2_VNI << 8),
                   (0x08000000, (L2_VNI << 8) | 1)):
        c.add("vxlan_bad_flags", "p1", vxlan_frame(0, inner + inner_ip(tr.tag()),
                                                   word0=w0, word1=w1))
    # Unknown VNIs, one behind an outer header with options (IHL 6): the
    # options are skipped, the VNI is read where it is.
    for vni in (0, 43, 5000, 0xffffff):
        c.add("vxlan_unknown_vni", "p1", vxlan_frame(vni, inner + inner_ip(tr.tag())))
    c.add("vxlan_unknown_vni", "p1", vxlan_frame(77, inner + inner_ip(tr.tag()),
                                                 options=b"\x01\x01\x01\x00"))
    # Inner frames a VNI cannot take: ARP on the L3 VNI, a multicast or
    # zero source MAC on the L2 VNI.
    arp_in = l2("ff:ff:ff:ff:ff:ff", "02:00:00:00:77:04", 0x0806) + arp_body()
    c.add("vxlan_bad_inner", "p1", vxlan_frame(L3_VNI, arp_in))
    for src in ("01:00:5e:00:00:01", "00:00:00:00:00:00"):
        c.add("vxlan_bad_inner", "p1", vxlan_frame(
            L2_VNI, l2("02:00:00:00:5b:09", src, 0x0800) + inner_ip(tr.tag())))

    # --- IPv4 header fields (core port, to ferry's own address).
    for ihl in (0, 1, 2, 3):
        ip = bytearray(inner_ip(tr.tag(), REMOTE, LOCAL))
        ip[0] = 0x40 | ihl
        c.add("ip4_bad_ihl", "p1", l2(MAC["p1"], P_MAC, 0x0800) + bytes(cksum_ip(ip)))
    # IHL 15 (60 bytes) in a 48-byte datagram: the header runs past it.
    ip = bytearray(inner_ip(tr.tag(), REMOTE, LOCAL))
    ip[0] = 0x4f
    c.add("ip4_truncated", "p1", l2(MAC["p1"], P_MAC, 0x0800) + bytes(ip))
    # Options (IHL 6, 7) and a total length shorter than that header.
    for ihl, total in ((6, 22), (7, 24)):
        ip = bytearray(ip_hdr(REMOTE, LOCAL, 20, options=b"\x01" * ((ihl - 5) * 4)))
        ip[2:4] = struct.pack("!H", total)
        c.add("ip4_bad_length", "p1", l2(MAC["p1"], P_MAC, 0x0800) + bytes(cksum_ip(ip)) +
              bytes(20))
    # Header checksums: outer of a VXLAN frame, over options, inner of an
    # L3 VNI packet, under an MPLS VPN label.
    bad = bytearray(vx)
    bad[14 + 10] ^= 0x40
    c.add("ip4_bad_checksum", "p1", bytes(bad))
    ip = ip_hdr(REMOTE, LOCAL, 28, options=b"\x01\x01\x01\x00")
    ip[21] ^= 0x01  # an option byte changed after the checksum
    c.add("ip4_bad_checksum", "p1", l2(MAC["p1"], P_MAC, 0x0800) + bytes(ip) + bytes(28))
    bad = bytearray(vx)
    bad[14 + 36 + 14 + 11] ^= 0x20
    c.add("ip4_bad_checksum", "p1", bytes(bad))
    ip = bytearray(inner_ip(tr.tag(), "192.168.220.5", HOST))
    ip[10] ^= 0x11
    c.add("ip4_bad_checksum", "p1", l2(MAC["p1"], P_MAC, 0x8847) + mpls_stack([1001]) +
          bytes(ip))

    # IP options on transit (no option is acted on): to cust-a's
    # blackhole, so the lookup is reached and nothing is sent.
    for opts in (b"\x01\x01\x01\x00", b"\x07\x27\x04" + bytes(37)):  # NOPs; RR of 9 slots
        tag = tr.tag()
        pay = ft.marker(tag) + bytes(20)
        c.add("ip4_blackhole", "p0", l2(MAC["p0"], HOST_MAC, 0x0800) +
              bytes(ip_hdr(HOST, "198.51.100.9", len(pay), options=opts, ident=tag)) + pay, tag)

    # Fragments: to ferry's VTEP port (first and later), none reassembled;
    # in transit they are routed like any packet (here: blackholed).
    for frag in (0x2000, 185, 0x2000 | 185):
        tag = tr.tag()
        pay = struct.pack("!HHHH", 49152, 4789, 40, 0) + ft.marker(tag) + bytes(24)
        c.add("ip4_fragment_local", "p1", l2(MAC["p1"], VTEP_MAC, 0x0800) +
              bytes(ip_hdr(REMOTE, LOCAL, len(pay), frag=frag, ident=tag)) + pay, tag)
    tag = tr.tag()
    pay = ft.marker(tag) + bytes(30)
    c.add("ip4_blackhole", "p0", l2(MAC["p0"], HOST_MAC, 0x0800) +
          bytes(ip_hdr(HOST, "198.51.100.10", len(pay), frag=0x2000, ident=tag)) + pay, tag)

    # TTL 0 and 1 in transit: ICMP time exceeded back to the host, one
    # each (within the ICMP rate), through ce's QoS.
    for ttl, dst in ((0, "198.18.5.5"), (1, "198.18.5.5"), (1, "192.168.220.5")):
        tag = tr.tag()
        c.add("ip4_ttl_expired", "p0", l2(MAC["p0"], HOST_MAC, 0x0800) +
              inner_ip(tag, HOST, dst, 64, ttl=ttl), tag)
        c.icmp.append(tag)

    # --- MPLS on core: transport label 24001 (pop) over VPN label 1001
    # (cust-a) over IPv4, cut at every offset: label stack cut
    # (mpls_truncated), no whole IPv4 header after the pop
    # (mpls_bad_payload), IPv4 shorter than its total length (ip4_truncated).
    two = l2(MAC["p1"], P_MAC, 0x8847) + mpls_stack([24001, 1001]) + \
        inner_ip(tr.tag(), "192.168.220.5", "198.51.100.9")
    for n in range(14, len(two)):
        b = n - 14
        c.add("mpls_truncated" if b < 8 else "mpls_bad_payload" if b < 28 else "ip4_truncated",
              "p1", two[:n])
    # Five labels, two over max_labels (3): cut before the third entry the
    # stack is truncated, from there on it is too deep, whole or cut.
    five = l2(MAC["p1"], P_MAC, 0x8847) + mpls_stack([24001] * 4 + [1001]) + \
        inner_ip(tr.tag(), "192.168.220.5", "198.51.100.9")
    for n in list(range(14, 14 + 20)) + [len(five)]:
        c.add("mpls_truncated" if n - 14 < 12 else "mpls_too_many_labels", "p1", five[:n])
    # Exactly max_labels deep: popped to IPv4, routed in cust-a.
    tag = tr.tag()
    c.add("ip4_blackhole", "p1", l2(MAC["p1"], P_MAC, 0x8847) +
          mpls_stack([24001, 24001, 1001]) + inner_ip(tag, "192.168.220.5", "198.51.100.9"), tag)

    # --- ARP on ce: the body cut at every length, odd hardware/protocol
    # lengths and types, a multicast sender.
    full_arp = arp_body()
    for n in range(0, len(full_arp)):
        c.add("arp_malformed", "p0", l2("ff:ff:ff:ff:ff:ff", HOST_MAC, 0x0806) + full_arp[:n])
    for kw in ({"hlen": 0}, {"hlen": 8}, {"plen": 0}, {"plen": 16}, {"htype": 6},
               {"ptype": 0x86dd}, {"sha": "01:00:5e:00:00:09"}):
        c.add("arp_malformed", "p0", ft.pad60(l2("ff:ff:ff:ff:ff:ff", HOST_MAC, 0x0806) +
                                              arp_body(**kw)))

    # --- ACL "edge" on ce: denied before the lookup.
    for i in range(3):
        tag = tr.tag()
        c.add("acl_deny", "p0", l2(MAC["p0"], HOST_MAC, 0x0800) +
              bytes(ft.ip_packet(tag, HOST, "198.18.1.1", 60, dport=6666)), tag)
    for i in range(2):
        tag = tr.tag()
        c.add("acl_deny", "p0", l2(MAC["p0"], HOST_MAC, 0x0800) +
              bytes(ft.ip_packet(tag, "192.168.101.66", "198.18.1.1", 60, proto="tcp")), tag)
    return c


def idle_in_use(binary):
    """mbufs in use of an idle ferry of the same config (no frames)."""
    f = R.Ferry(binary, "rel-idle", lambda w: R.pcap_devargs(w, {}))
    try:
        f.settle(0, timeout=5.0)
        return f.tel.mbufs_in_use()
    finally:
        f.stop()
        shutil.rmtree(f.work, ignore_errors=True)


def main():
    binary = ft.setup()
    chk = ft.Checks("reliability-malformed")
    c = build()
    tr = c.tr
    idle = idle_in_use(binary)

    res = ft.Result()
    res.ports = list(R.PORTS)
    f = R.Ferry(binary, "rel-malformed", lambda w: R.pcap_devargs(w, tr.frames))
    in_use = None
    try:
        res.counters = f.settle(tr.total())
        if res.counters is None:
            res.problems.append("not settled: %s" % f.cli.cmd("show counters"))
        else:
            res.show_drops_text = f.cli.cmd("show drops")
            res.show_drops = ft.parse_show_drops(res.show_drops_text)
            in_use = f.tel.mbufs_in_use()
    finally:
        status, out, err = f.stop()
    for line in R.sanitizer_lines(err)[:5]:
        res.problems.append("sanitizer: " + line)
    if status != 0:
        res.problems.append("ferry exit status %s; stderr: %s" % (status, err[-2000:]))
    for port in R.PORTS:
        path = os.path.join(f.work, "out", port + ".pcap")
        res.outputs[port] = ft.read_pcap(path) if os.path.exists(path) else []
    if not os.environ.get("FERRY_TEST_KEEP"):
        shutil.rmtree(f.work, ignore_errors=True)

    if res.check_run(chk) and res.counters is not None:
        outs = ft.Outputs(res)
        chk.set_group("ICMP time exceeded for TTL 0/1 only")
        for tag in c.icmp:
            ft.expect_icmp_error(chk, outs, tr, tag, "p0", 11, 0, CE_GW, HOST,
                                 HOST_MAC, MAC["p0"])
        outs.check_unclaimed(chk)
        res.check_counters(chk, tr, drops=c.want)
        chk.set_group("mbufs")
        chk.eq(in_use, idle, "packet pool mbufs in use after the run (idle ferry: %s)" % idle)
    print("%d frames, %d reasons: %s" % (tr.total(), len(c.want),
                                       ", ".join("%s %d" % kv for kv in sorted(c.want.items()))))
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
