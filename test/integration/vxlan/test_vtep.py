#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/vtep: decapsulation, bridging, head-end replication, encapsulation
and the L3 VNI over pcap files (topology in vtep.cfg.in).

  1. from VTEP .2, VNI 42, broadcast: flooded to h, h2 and h3 (tagged 10),
     never back to the overlay
  2. from VTEP .2, to a static MAC behind h2: to h2 only
  3. from h, broadcast: to h2, h3 and one copy per flood-list VTEP (.2, .3)
     with outer Ether/IPv4/UDP 4789/VXLAN (I flag, VNI 42, checksum 0)
  4. from h, to a static MAC behind VTEP .3: one tunnelled copy to .3
  5. from h3 (VLAN 10), broadcast: to h, h2 untagged and both VTEPs untagged
  6. cust-a to 192.168.50.9: routed over VTEP .3, VNI 5001, inner MAC of
     the route, TTL - 1; too big with DF: ICMP fragmentation needed (1450)
  7. from VTEP .3, L3 VNI 5001: routed in cust-a to 192.168.1.10
  8. drops by name: bad flags (GPE), unknown VNI, inner frame cut short,
     multicast inner source, bad UDP checksum, hairpin
  9. learning: show mac-table has the senders of 1, 3 and 5 where they are
Every output frame is accounted for.

Usage: /usr/bin/python3 test_vtep.py FERRY_BINARY
"""

import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

try:
    from scapy.layers.vxlan import VXLAN
    from scapy.layers.inet import IP, UDP, ICMP
    from scapy.layers.l2 import Ether, Dot1Q
except ImportError:
    VXLAN = None

PORTS = ["p0", "p1", "p2", "p3", "p4"]
P0_MAC, P4_MAC = "02:00:00:00:00:10", "02:00:00:00:00:14"
VTEP2_MAC, VTEP3_MAC = "02:00:00:00:aa:02", "02:00:00:00:aa:03"
LOCAL, VTEP2, VTEP3 = "10.0.0.1", "10.0.0.2", "10.0.0.3"
VM1, H1, H3 = "02:00:00:00:01:01", "02:00:00:00:02:01", "02:00:00:00:03:01"
S_REMOTE, S_H2 = "02:00:00:00:5a:01", "02:00:00:00:5b:01"
BCAST = "ff:ff:ff:ff:ff:ff"
TEMPLATE = ft.here(__file__, "vtep.cfg.in")


def vxlan_in(src_vtep, vni, inner, flags=0x08, src_mac=VTEP2_MAC, chksum=0):
    # scapy's VXLAN() defaults to GPE flags: set them (DESIGN.md pitfalls)
    return (Ether(dst=P0_MAC, src=src_mac) / IP(src=src_vtep, dst=LOCAL, ttl=64) /
            UDP(sport=51000, dport=4789, chksum=chksum) / VXLAN(flags=flags, vni=vni) /
            inner)


def inner(tag, dst, src, size=100, vlan=None):
    l2 = Ether(dst=dst, src=src) if vlan is None else \
        Ether(dst=dst, src=src) / Dot1Q(vlan=vlan)
    return l2 / ft.ip_packet(tag, "192.168.77.1", "192.168.77.2", size)


def untag(raw):
    if raw[12:14] == b"\x81\x00":
        return raw[:12] + raw[16:], struct.unpack("!H", raw[14:16])[0] & 0xfff
    return raw, None


class Out:
    def __init__(self, res):
        self.frames = {p: [[raw, False] for raw in res.outputs.get(p, [])] for p in PORTS}

    def take(self, port, tag):
        """Unclaimed frames of @p port carrying @p tag's marker."""
        got = []
        for f in self.frames[port]:
            if not f[1] and ft.marker(tag) in f[0]:
                f[1] = True
                got.append(f[0])
        return got

    def unclaimed(self):
        return [(p, f[0]) for p in PORTS for f in self.frames[p] if not f[1]]


def check_bridged(chk, out, tag, want_ports, frame):
    """The inner frame @p frame (untagged) leaves on each member in
    @p want_ports ({port: vlan or None}) exactly once, unchanged."""
    for port in ("p1", "p2", "p3"):
        got = out.take(port, tag)
        if port not in want_ports:
            chk.eq(len(got), 0, "tag %d: frames on %s" % (tag, port))
            continue
        if not chk.eq(len(got), 1, "tag %d: frames on %s" % (tag, port)):
            continue
        raw, vlan = untag(got[0])
        chk.eq(vlan, want_ports[port], "tag %d: VLAN on %s" % (tag, port))
        chk.eq(raw, frame, "tag %d: inner frame on %s unchanged" % (tag, port))


def check_encap(chk, raw, tag, vtep, vtep_mac, vni, inner_frame):
    p = Ether(raw)
    chk.eq(p.dst, vtep_mac, "tag %d: outer dst MAC (neighbour of %s)" % (tag, vtep))
    chk.eq(p.src, P0_MAC, "tag %d: outer src MAC" % tag)
    ip = p[IP]
    chk.eq((ip.src, ip.dst, ip.ttl, ip.proto, ip.flags.DF), (LOCAL, vtep, 64, 17, False),
           "tag %d: outer IPv4 src, dst, TTL, protocol, DF" % tag)
    chk.ok(ft.ip_cksum_ok(bytes(ip)[:20]), "tag %d: outer IPv4 checksum" % tag)
    chk.eq(ip.len, 36 + len(inner_frame), "tag %d: outer IPv4 length" % tag)
    udp = p[UDP]
    chk.eq((udp.dport, udp.chksum, udp.len), (4789, 0, 16 + len(inner_frame)),
           "tag %d: UDP port, checksum 0 (RFC 7348 5), length" % tag)
    chk.ok(udp.sport >= 49152, "tag %d: UDP source port %d from the flow hash "
           "(49152..65535)" % (tag, udp.sport))
    vx = bytes(udp.payload)[:8]
    chk.eq(vx, bytes([0x08, 0, 0, 0]) + struct.pack("!I", vni << 8),
           "tag %d: VXLAN header (I flag, VNI %d)" % (tag, vni))
    chk.eq(bytes(udp.payload)[8:], inner_frame, "tag %d: inner frame" % tag)
    return udp.sport


def main():
    binary = ft.setup()
    if VXLAN is None:
        ft.skip("scapy has no scapy.layers.vxlan")
    chk = ft.Checks("vxlan-vtep")
    tr = ft.Traffic(PORTS)
    cases = {}

    def add(name, port, frame):
        tag = tr.tag()
        tr.add(port, frame(tag), tag=tag)
        cases[name] = tag
        return tag

    fr = {}
    add("1 decap flood", "p0", lambda t: vxlan_in(VTEP2, 42, fr.setdefault(t, inner(t, BCAST, VM1))))
    add("2 decap to static", "p0", lambda t: vxlan_in(VTEP2, 42, fr.setdefault(t, inner(t, S_H2, VM1))))
    add("3 local flood", "p1", lambda t: fr.setdefault(t, inner(t, BCAST, H1)))
    add("4 local to remote static", "p1", lambda t: fr.setdefault(t, inner(t, S_REMOTE, H1)))
    add("5 tagged member flood", "p3", lambda t: inner(t, BCAST, H3, vlan=10))
    add("6 routed over tunnel", "p4", lambda t: Ether(dst=P4_MAC, src="02:00:00:00:c1:0a") /
        ft.ip_packet(t, "192.168.1.10", "192.168.50.9", 200))
    add("6 too big with DF", "p4", lambda t: Ether(dst=P4_MAC, src="02:00:00:00:c1:0a") /
        ft.ip_packet(t, "192.168.1.10", "192.168.50.9", 1451, df=True))
    add("7 L3 VNI", "p0", lambda t: vxlan_in(
        VTEP3, 5001, Ether(dst=P0_MAC, src="02:00:00:00:0a:33") /
        ft.ip_packet(t, "192.168.50.9", "192.168.1.10", 120), src_mac=VTEP3_MAC))
    drops = [("vxlan_bad_flags", lambda t: vxlan_in(VTEP2, 42, inner(t, BCAST, VM1), flags=0x0c)),
             ("vxlan_unknown_vni", lambda t: vxlan_in(VTEP2, 43, inner(t, BCAST, VM1))),
             ("vxlan_truncated", lambda t: vxlan_in(VTEP2, 42, ft.marker(t) + b"xy")),
             ("vxlan_bad_inner", lambda t: vxlan_in(VTEP2, 42, inner(t, BCAST, "01:00:5e:00:00:01"))),
             ("vxlan_bad_udp_checksum", lambda t: vxlan_in(VTEP2, 42, inner(t, BCAST, VM1),
                                                           chksum=0x1234))]
    for reason, f in drops:
        add("8 " + reason, "p0", f)
    add("8 l2_hairpin", "p2", lambda t: inner(t, S_H2, "02:00:00:00:04:01"))

    res = ft.run_ferry(binary, TEMPLATE, tr, extra_cmds=("show mac-table",))
    if not res.check_run(chk):
        sys.exit(chk.summary())
    out = Out(res)

    chk.set_group("1 from the overlay: flooded to members, never back")
    t = cases["1 decap flood"]
    check_bridged(chk, out, t, {"p1": None, "p2": None, "p3": 10}, bytes(fr[t]))
    chk.eq(len(out.take("p0", t)), 0, "nothing back into the overlay")

    chk.set_group("2 from the overlay: to the static MAC's member")
    t = cases["2 decap to static"]
    check_bridged(chk, out, t, {"p2": None}, bytes(fr[t]))

    chk.set_group("3 local broadcast: members and head-end replication")
    t = cases["3 local flood"]
    check_bridged(chk, out, t, {"p2": None, "p3": 10}, bytes(fr[t]))
    enc = out.take("p0", t)
    if chk.eq(len(enc), 2, "one copy per flood-list VTEP"):
        by = {Ether(e)[IP].dst: e for e in enc}
        chk.eq(sorted(by), [VTEP2, VTEP3], "copies to both VTEPs")
        ports = [check_encap(chk, by[v], t, v, m, 42, bytes(fr[t]))
                 for v, m in ((VTEP2, VTEP2_MAC), (VTEP3, VTEP3_MAC)) if v in by]
        chk.ok(len(set(ports)) == 1, "one flow, one UDP source port")

    chk.set_group("4 to a MAC behind a remote VTEP: one tunnelled copy")
    t = cases["4 local to remote static"]
    check_bridged(chk, out, t, {}, b"")
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "frames to the overlay"):
        check_encap(chk, enc[0], t, VTEP3, VTEP3_MAC, 42, bytes(fr[t]))

    chk.set_group("5 tagged member: untagged inside, tagged nowhere else")
    t = cases["5 tagged member flood"]
    plain, _ = untag(tr[t])
    check_bridged(chk, out, t, {"p1": None, "p2": None}, plain)
    enc = out.take("p0", t)
    if chk.eq(len(enc), 2, "one copy per flood-list VTEP"):
        for e in enc:
            vtep = Ether(e)[IP].dst
            check_encap(chk, e, t, vtep, VTEP2_MAC if vtep == VTEP2 else VTEP3_MAC, 42, plain)

    chk.set_group("6 VRF route over a tunnel (L3)")
    t = cases["6 routed over tunnel"]
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "frames to the overlay"):
        ip_in = ft.IP(bytes(tr[t])[14:])
        ip_in.ttl -= 1
        del ip_in.chksum
        want = bytes(Ether(dst="02:00:00:00:0a:33", src=P0_MAC) / ft.IP(bytes(ip_in)))
        check_encap(chk, enc[0], t, VTEP3, VTEP3_MAC, 5001, want)
    t = cases["6 too big with DF"]
    chk.eq(len(out.take("p0", t)), 0, "1451 bytes + 50 > 1500: not sent")
    icmp = [f[0] for f in out.frames["p4"] if not f[1] and ICMP in Ether(f[0])
            and Ether(f[0])[ICMP].type == 3]
    hit = [r for r in icmp if Ether(r)[ICMP].code == 4 and
           IP(bytes(Ether(r)[ICMP].payload)).id == t]
    if chk.eq(len(hit), 1, "ICMP fragmentation needed back to the sender"):
        for f in out.frames["p4"]:
            if f[0] == hit[0]:
                f[1] = True
        chk.eq(Ether(hit[0])[ICMP].nexthopmtu, 1450, "next-hop MTU 1500 - 50")

    chk.set_group("7 L3 VNI: routed in its VRF")
    t = cases["7 L3 VNI"]
    got = out.take("p4", t)
    if chk.eq(len(got), 1, "frames to cust"):
        p = Ether(got[0])
        chk.eq((p.dst, p.src, p[IP].ttl), ("02:00:00:00:c1:0a", P4_MAC, 63),
               "L2 rewrite toward 192.168.1.10, TTL - 1")

    chk.set_group("8 drops by reason")
    for reason, _ in drops:
        t = cases["8 " + reason]
        chk.eq(sum(len(out.take(p, t)) for p in PORTS), 0, "%s: nothing sent" % reason)
    t = cases["8 l2_hairpin"]
    chk.eq(sum(len(out.take(p, t)) for p in PORTS), 0, "hairpin: nothing sent")

    chk.set_group("9 learning")
    macs = res.extra.get("show mac-table", "")
    for mac, where in ((VM1, "vtep 10.0.0.2"), (H1, "h"), (H3, "h3")):
        chk.ok(re.search(r"^1\s+%s\s+learned\s+%s\s" % (mac.upper(), where), macs, re.M)
               is not None, "%s learned at %s" % (mac, where), macs)
    chk.ok(re.search(r"^1\s+%s\s+static\s+vtep 10.0.0.3\s" % S_REMOTE.upper(), macs, re.M)
           is not None, "static MAC listed", macs)

    chk.set_group("unclaimed output")
    left = out.unclaimed()
    chk.eq(len(left), 0, "frames nobody expected",
           "\n".join("%s %s" % (p, ft.describe(r)) for p, r in left))
    res.check_counters(chk, tr, drops={
        "vxlan_bad_flags": 1, "vxlan_unknown_vni": 1, "vxlan_truncated": 1,
        "vxlan_bad_inner": 1, "vxlan_bad_udp_checksum": 1, "l2_hairpin": 1,
        "vxlan_mtu_exceeded": {0, 1}})
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
