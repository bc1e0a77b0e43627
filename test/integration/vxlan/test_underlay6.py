#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/underlay6: VXLAN over an IPv6 underlay beside the IPv4 one, over
pcap files (topology of vtep.cfg.in with vxlan.local6 = 2001:db8:f::1 on
the underlay interface and IPv6 remote VTEPs f::2 and f::3).

  1. from VTEP f::2, VNI 42, broadcast (UDP checksum right): flooded to
     h, h2 and h3, never back to the overlay; the sender is learned
     against vtep 2001:db8:f::2
  2. from h, broadcast: to h2, h3 and one copy per flood-list VTEP: two
     over IPv4 (.2, .3) and one over IPv6 (f::2): outer IPv6 from local6,
     hop limit 64, a flow label, UDP 4789 from a port >= 49152 with its
     checksum right (RFC 8200 8.1), VXLAN I flag and VNI 42
  3. from h, to a static MAC behind remote6 f::3: one IPv6 copy to f::3
  4. cust-a IPv6 to 2001:db8:60::9 and IPv4 to 192.168.60.9: routed over
     the IPv6 tunnel to f::3, VNI 5001, hop limit/TTL - 1
  5. IPv6 too big for the tunnel: packet too big with MTU 1500 - 70
  6. from f::3, L3 VNI 5001, inner IPv4: routed in cust-a to the host
  7. malformed, each dropped under its exact reason, nothing leaks:
     frames cut at every offset (eth_truncated, ip6_truncated,
     ip6_bad_length), datagrams cut at every offset with the lengths
     fixed up (ip6_truncated inside the UDP header, vxlan_truncated
     inside VXLAN and the inner Ethernet header), a UDP length beyond the
     payload, a zero UDP checksum (vxlan_zero_udp_checksum6), a wrong one
     (vxlan_bad_udp_checksum), an unknown VNI, bad flags
Every output frame is accounted for; every input is in a port counter
and either an output or a named drop (ferrytest's counter check).

Usage: /usr/bin/python3 test_underlay6.py FERRY_BINARY
"""

import os
import re
import struct
import sys
import tempfile

import test_vtep as V
from test_vtep import ft

try:
    from scapy.layers.inet6 import IPv6, ICMPv6PacketTooBig
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.layers.vxlan import VXLAN
except ImportError:
    IPv6 = None

LOCAL6, VTEP6_2, VTEP6_3 = "2001:db8:f::1", "2001:db8:f::2", "2001:db8:f::3"
VTEP6_2_MAC, VTEP6_3_MAC = "02:00:00:00:ab:02", "02:00:00:00:ab:03"
S_REMOTE6 = "02:00:00:00:5c:01"
VM6 = "02:00:00:00:06:01"
CUST_HOST, CUST_HOST_MAC = "192.168.1.10", "02:00:00:00:c1:0a"
CUST_HOST6 = "2001:db8:c::10"
ROUTER_MAC = "02:00:00:00:0a:36"
REMOTE_NET6, REMOTE_NET4 = "2001:db8:60::9", "192.168.60.9"


def template():
    """vtep.cfg.in with local6, IPv6 VTEPs in the flood list, a static MAC
    and routes over an IPv6 tunnel."""
    with open(V.TEMPLATE) as f:
        text = f.read()
    subs = [
        ('address = "10.0.0.1/24"; },',
         'address = "10.0.0.1/24"; address6 = "2001:db8:f::1/64"; },'),
        ('address = "192.168.1.1/24"; vrf = "cust-a";',
         'address = "192.168.1.1/24"; address6 = "2001:db8:c::1/64"; vrf = "cust-a";'),
        ('\tlocal = "10.0.0.1";', '\tlocal = "10.0.0.1";\n\tlocal6 = "%s";' % LOCAL6),
        ('flood = ( "10.0.0.2", "10.0.0.3" );',
         'flood = ( "10.0.0.2", "10.0.0.3", "%s" );' % VTEP6_2),
        ('{ mac = "02:00:00:00:5b:01"; interface = "h2"; }',
         '{ mac = "02:00:00:00:5b:01"; interface = "h2"; },\n'
         '\t\t\t{ mac = "%s"; remote6 = "%s"; }' % (S_REMOTE6, VTEP6_3)),
        ("\tl3_vnis = (",
         '\ttunnel_routes6 = ( { vrf = "cust-a"; prefix = "2001:db8:60::/48"; '
         'remote6 = "%s"; vni = 5001; inner_mac = "%s"; } );\n\tl3_vnis = ('
         % (VTEP6_3, ROUTER_MAC)),
        ('vni = 5001; inner_mac = "02:00:00:00:0a:33"; }',
         'vni = 5001; inner_mac = "02:00:00:00:0a:33"; },\n'
         '\t\t{ vrf = "cust-a"; prefix = "192.168.60.0/24"; remote6 = "%s";\n'
         '\t\t  vni = 5001; inner_mac = "%s"; }' % (VTEP6_3, ROUTER_MAC)),
    ]
    for old, new in subs:
        assert old in text, old
        text = text.replace(old, new, 1)
    text += ('\nneighbours6 = (\n'
             '\t{ interface = "under"; address = "%s"; mac = "%s"; },\n'
             '\t{ interface = "under"; address = "%s"; mac = "%s"; },\n'
             '\t{ interface = "cust"; address = "%s"; mac = "%s"; }\n);\n'
             'ip6 = { dad_ms = 0; };\n'
             % (VTEP6_2, VTEP6_2_MAC, VTEP6_3, VTEP6_3_MAC, CUST_HOST6, CUST_HOST_MAC))
    fd, path = tempfile.mkstemp(prefix="ferry-vxlan-u6-", suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def vxlan6_in(src_vtep, vni, inner, flags=0x08, src_mac=VTEP6_2_MAC, chksum=None):
    """Ether/IPv6/UDP/VXLAN to ferry's local6; the UDP checksum computed by
    scapy unless @p chksum is given."""
    udp = UDP(sport=51000, dport=4789) if chksum is None else \
        UDP(sport=51000, dport=4789, chksum=chksum)
    return Ether(bytes(Ether(dst=V.P0_MAC, src=src_mac) /
                       IPv6(src=src_vtep, dst=LOCAL6, hlim=64) / udp /
                       VXLAN(flags=flags, vni=vni) / inner))


def udp6_ok(ip6_raw):
    """Whether the UDP checksum of an IPv6 packet (no extension headers)
    is right: scapy recomputes it from a copy with the field cleared."""
    p = IPv6(ip6_raw)
    got = p[UDP].chksum
    del p[UDP].chksum
    return got != 0 and IPv6(bytes(p))[UDP].chksum == got


def check_encap6(chk, raw, tag, vtep, vtep_mac, vni, inner_frame):
    p = Ether(raw)
    chk.eq((p.dst, p.src, p.type), (vtep_mac, V.P0_MAC, 0x86dd),
           "tag %d: outer Ethernet to %s's neighbour, IPv6" % (tag, vtep))
    ip = p[IPv6]
    chk.eq((ip.src, ip.dst, ip.hlim, ip.nh, ip.plen),
           (LOCAL6, vtep, 64, 17, 16 + len(inner_frame)),
           "tag %d: outer IPv6 src, dst, hop limit, next header, length" % tag)
    chk.ok(ip.fl != 0, "tag %d: a flow label from the inner flow (RFC 6438)" % tag)
    udp = p[UDP]
    chk.eq((udp.dport, udp.len), (4789, 16 + len(inner_frame)),
           "tag %d: UDP destination port and length" % tag)
    chk.ok(udp.sport >= 49152, "tag %d: UDP source port %d >= 49152" % (tag, udp.sport))
    chk.ok(udp6_ok(bytes(ip)), "tag %d: outer UDP checksum %#x right and not 0 "
           "(RFC 8200 8.1)" % (tag, udp.chksum))
    vx = bytes(udp.payload)[:8]
    chk.eq(vx, bytes([0x08, 0, 0, 0]) + struct.pack("!I", vni << 8),
           "tag %d: VXLAN header (I flag, VNI %d)" % (tag, vni))
    chk.eq(bytes(udp.payload)[8:], inner_frame, "tag %d: inner frame" % tag)


def routed6(frame, dst_mac, src_mac):
    ip = IPv6(bytes(frame[IPv6]))
    ip.hlim -= 1
    return bytes(Ether(dst=dst_mac, src=src_mac) / ip)


def routed4(frame, dst_mac, src_mac):
    ip = IP(bytes(frame[IP]))
    ip.ttl -= 1
    del ip.chksum
    return bytes(Ether(dst=dst_mac, src=src_mac) / ip)


def frame6(tag, dst_mac, src_mac, src, dst, size):
    hdr = Ether(dst=dst_mac, src=src_mac) / IPv6(src=src, dst=dst) / \
        UDP(sport=40000, dport=5001)
    return Ether(bytes(hdr / ft.fill(tag, size - len(hdr) + 14)))


def malformed(tr, count):
    """Section 7: returns nothing; each frame is added with the reason it
    must be dropped under."""
    good = bytes(vxlan6_in(VTEP6_2, 42, Ether(dst=V.BCAST, src=VM6) / (b"m" * 30)))
    eth, ip6 = good[:14], good[14:]
    # frames cut at every offset: the Ethernet header, the fixed IPv6
    # header, then a payload length beyond the frame (no padding: it
    # would be read as header bytes)
    for cut in range(1, len(good)):
        tr.add("p0", good[:cut])
        count("eth_truncated" if cut < 14 else
              "ip6_truncated" if cut < 54 else "ip6_bad_length")
    # datagrams cut at every offset with the payload and UDP lengths
    # fixed up and the checksum recomputed: a UDP header cut short has
    # no port (ip6_truncated); past it VXLAN wants 8 + 14 bytes
    for plen in range(0, 8 + 8 + 14):
        b = bytearray(ip6[:40 + plen])
        struct.pack_into("!H", b, 4, plen)
        if plen >= 8:
            struct.pack_into("!HH", b, 44, plen, 0)
            p = IPv6(bytes(b))
            del p[UDP].chksum
            b = bytearray(bytes(p))
        tr.add("p0", eth + bytes(b))
        count("ip6_truncated" if plen < 8 else "vxlan_truncated")
    # a UDP length beyond the IPv6 payload, and below a UDP header
    for ulen in (len(ip6) - 40 + 1, 7):
        b = bytearray(ip6)
        struct.pack_into("!H", b, 44, ulen)
        tr.add("p0", eth + bytes(b))
        count("vxlan_truncated")
    inner = Ether(dst=V.BCAST, src=VM6) / (b"z" * 30)
    tr.add("p0", vxlan6_in(VTEP6_2, 42, inner, chksum=0))
    count("vxlan_zero_udp_checksum6")
    bad = bytearray(good)
    bad[-1] ^= 0x55  # a byte of the inner frame: the checksum no longer fits
    tr.add("p0", bytes(bad))
    count("vxlan_bad_udp_checksum")
    tr.add("p0", vxlan6_in(VTEP6_2, 4242, inner))
    count("vxlan_unknown_vni")
    tr.add("p0", vxlan6_in(VTEP6_2, 42, inner, flags=0x0c))
    count("vxlan_bad_flags")


def main():
    binary = ft.setup()
    if V.VXLAN is None or IPv6 is None:
        ft.skip("scapy has no scapy.layers.vxlan / inet6")
    chk = ft.Checks("vxlan-underlay6")
    tr = ft.Traffic(V.PORTS)
    fr, cases, drops = {}, {}, {}

    def add(name, port, inner, wrap=None):
        tag = tr.tag()
        fr[tag] = inner(tag)
        tr.add(port, wrap(fr[tag]) if wrap else fr[tag], tag=tag)
        cases[name] = tag

    def count(reason):
        drops[reason] = drops.get(reason, 0) + 1

    add("1", "p0", lambda t: V.inner(t, V.BCAST, VM6),
        lambda f: vxlan6_in(VTEP6_2, 42, f))
    add("2", "p1", lambda t: V.inner(t, V.BCAST, V.H1))
    add("3", "p1", lambda t: V.inner(t, S_REMOTE6, V.H1))
    add("4a", "p4", lambda t: frame6(t, V.P4_MAC, CUST_HOST_MAC, CUST_HOST6,
                                     REMOTE_NET6, 200))
    add("4b", "p4", lambda t: Ether(bytes(
        Ether(dst=V.P4_MAC, src=CUST_HOST_MAC) /
        ft.ip_packet(t, CUST_HOST, REMOTE_NET4, 200))))
    add("5", "p4", lambda t: frame6(t, V.P4_MAC, CUST_HOST_MAC, CUST_HOST6,
                                    REMOTE_NET6, 1440))
    count("vxlan_mtu_exceeded")
    add("6", "p0", lambda t: Ether(bytes(
        Ether(dst=V.P0_MAC, src=ROUTER_MAC) /
        ft.ip_packet(t, "192.168.60.7", CUST_HOST, 150))),
        lambda f: vxlan6_in(VTEP6_3, 5001, f, src_mac=VTEP6_3_MAC))
    malformed(tr, count)

    tmpl = template()
    try:
        res = ft.run_ferry(binary, tmpl, tr,
                           extra_cmds=("show mac-table", "show vxlan tunnels",
                                       "show bridge-domain 1", "show running-config"))
    finally:
        os.unlink(tmpl)
    if not res.check_run(chk):
        sys.exit(chk.summary())
    out = V.Out(res)

    chk.set_group("1 from an IPv6 VTEP: flooded to members, learned")
    t = cases["1"]
    V.check_bridged(chk, out, t, {"p1": None, "p2": None, "p3": 10}, bytes(fr[t]))
    chk.eq(len(out.take("p0", t)), 0, "nothing back into the overlay")
    macs = res.extra.get("show mac-table", "")
    chk.ok(re.search(r"^1\s+%s\s+learned\s+vtep %s\s" % (VM6.upper(), re.escape(VTEP6_2)),
                     macs, re.M) is not None,
           "%s learned against vtep %s" % (VM6, VTEP6_2), macs)

    chk.set_group("2 head-end replication over both underlays")
    t = cases["2"]
    V.check_bridged(chk, out, t, {"p2": None, "p3": 10}, bytes(fr[t]))
    enc = out.take("p0", t)
    if chk.eq(len(enc), 3, "one copy per flood-list VTEP (two IPv4, one IPv6)"):
        v4 = [e for e in enc if Ether(e).type == 0x0800]
        v6 = [e for e in enc if Ether(e).type == 0x86dd]
        chk.eq(sorted(Ether(e)[IP].dst for e in v4), [V.VTEP2, V.VTEP3],
               "IPv4 copies to .2 and .3")
        if chk.eq(len(v6), 1, "IPv6 copies"):
            check_encap6(chk, v6[0], t, VTEP6_2, VTEP6_2_MAC, 42, bytes(fr[t]))

    chk.set_group("3 to a static MAC behind an IPv6 VTEP")
    t = cases["3"]
    V.check_bridged(chk, out, t, {}, b"")
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "frames to the overlay"):
        check_encap6(chk, enc[0], t, VTEP6_3, VTEP6_3_MAC, 42, bytes(fr[t]))

    chk.set_group("4 routes over an IPv6 tunnel (IPv6 and IPv4 inside)")
    t = cases["4a"]
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "IPv6: frames to the overlay"):
        check_encap6(chk, enc[0], t, VTEP6_3, VTEP6_3_MAC, 5001,
                     routed6(fr[t], ROUTER_MAC, V.P0_MAC))
    t = cases["4b"]
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "IPv4: frames to the overlay"):
        check_encap6(chk, enc[0], t, VTEP6_3, VTEP6_3_MAC, 5001,
                     routed4(fr[t], ROUTER_MAC, V.P0_MAC))

    chk.set_group("5 too big for the IPv6 tunnel: packet too big, MTU 1430")
    t = cases["5"]
    chk.eq(len(out.take("p0", t)), 0, "1440 + 70 > 1500: not sent")
    ptb = [f for f in out.frames["p4"]
           if not f[1] and Ether(f[0]).haslayer(ICMPv6PacketTooBig)]
    if chk.eq(len(ptb), 1, "packet too big back to the sender"):
        ptb[0][1] = True
        p = Ether(ptb[0][0])
        chk.eq((p[IPv6].dst, p[ICMPv6PacketTooBig].mtu), (CUST_HOST6, 1430),
               "to the sender, MTU 1500 - 70")

    chk.set_group("6 IPv4 from an L3 VNI over IPv6: routed in its VRF")
    t = cases["6"]
    got = out.take("p4", t)
    if chk.eq(len(got), 1, "frames to cust"):
        chk.eq(got[0], routed4(fr[t], CUST_HOST_MAC, V.P4_MAC),
               "L2 rewrite toward the host, TTL - 1")

    chk.set_group("show")
    tun = res.extra.get("show vxlan tunnels", "")
    chk.ok("local6 %s" % LOCAL6 in tun, "show vxlan tunnels has local6", tun)
    chk.ok(re.search(r"^%s\s+42\s+1\s+under\s+%s\s+nd\s" % (re.escape(VTEP6_2),
                                                           re.escape(VTEP6_2)),
                     tun, re.M) is not None,
           "the IPv6 tunnel to f::2 goes out of under, next hop by ND", tun)
    bd = res.extra.get("show bridge-domain 1", "")
    chk.ok(re.search(r"flood: 10\.0\.0\.2 10\.0\.0\.3 %s" % re.escape(VTEP6_2), bd),
           "one flood list with both families", bd)
    rc = res.extra.get("show running-config", "")
    for want in ('local6 = "%s";' % LOCAL6, 'remote6 = "%s";' % VTEP6_3,
                 '"%s"' % VTEP6_2):
        chk.ok(want in rc, "running-config has %s" % want, rc[-3000:])

    chk.set_group("unclaimed output")
    left = out.unclaimed()
    chk.eq(len(left), 0, "frames nobody expected",
           "\n".join("%s %s" % (p, ft.describe(r)) for p, r in left))
    res.check_counters(chk, tr, drops=drops)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
