#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/v6-inner: IPv6 inside VXLAN over an IPv4 underlay (topology of
vtep.cfg.in, with IPv6 on cust and an IPv6 route over VTEP .3).

An L2 VNI (bridge domain 1, VNI 42) bridges IPv6 frames as it bridges
any Ethernet frame:

  1. from VTEP .2, an IPv6 neighbour solicitation to its solicited-node
     group (33:33:ff:..): flooded to h, h2 and h3 (tagged 10), unchanged
  2. from VTEP .2, IPv6 unicast to a static MAC behind h2: to h2 only
  3. from h, IPv6 to the all-nodes group (33:33:00:00:00:01): to h2, h3
     and one VXLAN copy per flood-list VTEP, inner frame unchanged
  4. from h, IPv6 unicast to a static MAC behind VTEP .3: one copy to .3
  5. learning: the senders of 1 and 3 are in show mac-table
An L3 VNI (5001, VRF cust-a) routes IPv6 (vxlan.tunnel_routes6):
  6. cust to 2001:db8:50::9: over VTEP .3, VNI 5001, inner MAC of the
     route, EtherType 0x86dd, hop limit - 1
  7. one too big for the tunnel: packet too big with MTU 1500 - 50
  8. from VTEP .3, VNI 5001, IPv6: routed in cust-a to the host
Every output frame is accounted for; the only drop is 7's.

Usage: /usr/bin/python3 test_v6_inner.py FERRY_BINARY
"""

import re
import sys

import test_vtep as V
from test_vtep import ft
import os
import tempfile

try:
    from scapy.layers.inet6 import IPv6, ICMPv6ND_NS, ICMPv6PacketTooBig
    from scapy.layers.inet import UDP
    from scapy.layers.l2 import Ether
except ImportError:
    IPv6 = None

SNODE_MAC, ALLNODES_MAC = "33:33:ff:00:00:02", "33:33:00:00:00:01"
CUST_HOST6, REMOTE6 = "2001:db8:c::10", "2001:db8:50::9"
CUST_HOST_MAC, ROUTER_MAC = "02:00:00:00:c1:0a", "02:00:00:00:0a:33"


def template():
    """vtep.cfg.in with IPv6 on cust and an IPv6 route over VTEP .3."""
    with open(V.TEMPLATE) as f:
        text = f.read()
    text = text.replace('address = "192.168.1.1/24"; vrf = "cust-a";',
                        'address = "192.168.1.1/24"; address6 = "2001:db8:c::1/64"; '
                        'vrf = "cust-a";')
    text = text.replace("\tl3_vnis = (", '\ttunnel_routes6 = ( { vrf = "cust-a"; '
                        'prefix = "2001:db8:50::/48"; remote = "10.0.0.3"; vni = 5001; '
                        'inner_mac = "%s"; } );\n\tl3_vnis = (' % ROUTER_MAC)
    text += ('\nneighbours6 = ( { interface = "cust"; address = "%s"; mac = "%s"; } );\n'
             'ip6 = { dad_ms = 0; };\n' % (CUST_HOST6, CUST_HOST_MAC))
    assert "tunnel_routes6" in text and "address6" in text
    fd, path = tempfile.mkstemp(prefix="ferry-vxlan6-", suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def frame6(tag, dst_mac, src_mac, dst, size=120, src="2001:db8:77::1"):
    """Ether / IPv6 / UDP carrying @p tag's marker, @p size bytes of IPv6."""
    hdr = Ether(dst=dst_mac, src=src_mac) / IPv6(src=src, dst=dst) / \
        UDP(sport=40000, dport=5001)
    return Ether(bytes(hdr / ft.fill(tag, size - len(hdr) + 14)))


def routed(frame, dst_mac, src_mac):
    """@p frame's IPv6 packet with hop limit - 1 in a new Ethernet header."""
    ip = IPv6(bytes(frame[IPv6]))
    ip.hlim -= 1
    return bytes(Ether(dst=dst_mac, src=src_mac) / ip)


def ns(tag):
    """A neighbour solicitation for 2001:db8:77::2 (tag in the payload)."""
    return Ether(bytes(Ether(dst=SNODE_MAC, src=V.VM1) /
                       IPv6(src="2001:db8:77::1", dst="ff02::1:ff00:2", hlim=255) /
                       ICMPv6ND_NS(tgt="2001:db8:77::2") / ft.marker(tag)))


def main():
    binary = ft.setup()
    if V.VXLAN is None or IPv6 is None:
        ft.skip("scapy has no scapy.layers.vxlan / inet6")
    chk = ft.Checks("vxlan-v6-inner")
    tr = ft.Traffic(V.PORTS)
    fr, cases = {}, {}

    def add(name, port, inner, wrap=None):
        tag = tr.tag()
        fr[tag] = inner(tag)
        tr.add(port, wrap(fr[tag]) if wrap else fr[tag], tag=tag)
        cases[name] = tag

    add("1", "p0", ns, lambda f: V.vxlan_in(V.VTEP2, 42, f))
    add("2", "p0", lambda t: frame6(t, V.S_H2, V.VM1, "2001:db8:77::5"),
        lambda f: V.vxlan_in(V.VTEP2, 42, f))
    add("3", "p1", lambda t: frame6(t, ALLNODES_MAC, V.H1, "ff02::1"))
    add("4", "p1", lambda t: frame6(t, V.S_REMOTE, V.H1, "2001:db8:77::9"))

    add("6", "p4", lambda t: frame6(t, V.P4_MAC, CUST_HOST_MAC, REMOTE6, 200,
                                    src=CUST_HOST6))
    add("7", "p4", lambda t: frame6(t, V.P4_MAC, CUST_HOST_MAC, REMOTE6, 1460,
                                    src=CUST_HOST6))
    add("8", "p0", lambda t: frame6(t, V.P0_MAC, ROUTER_MAC, CUST_HOST6, 150,
                                    src=REMOTE6),
        lambda f: V.vxlan_in(V.VTEP3, 5001, f, src_mac=V.VTEP3_MAC))

    tmpl = template()
    try:
        res = ft.run_ferry(binary, tmpl, tr,
                           extra_cmds=("show mac-table", "show ipv6 route vrf cust-a"))
    finally:
        os.unlink(tmpl)
    if not res.check_run(chk):
        sys.exit(chk.summary())
    out = V.Out(res)

    chk.set_group("1 IPv6 ND from the overlay: flooded to members")
    t = cases["1"]
    V.check_bridged(chk, out, t, {"p1": None, "p2": None, "p3": 10}, bytes(fr[t]))
    chk.eq(len(out.take("p0", t)), 0, "nothing back into the overlay")

    chk.set_group("2 IPv6 unicast from the overlay: to the static MAC's member")
    t = cases["2"]
    V.check_bridged(chk, out, t, {"p2": None}, bytes(fr[t]))

    chk.set_group("3 local IPv6 multicast: members and head-end replication")
    t = cases["3"]
    V.check_bridged(chk, out, t, {"p2": None, "p3": 10}, bytes(fr[t]))
    enc = out.take("p0", t)
    if chk.eq(len(enc), 2, "one copy per flood-list VTEP"):
        by = {Ether(e)[V.IP].dst: e for e in enc}
        chk.eq(sorted(by), [V.VTEP2, V.VTEP3], "copies to both VTEPs")
        for v, m in ((V.VTEP2, V.VTEP2_MAC), (V.VTEP3, V.VTEP3_MAC)):
            if v in by:
                V.check_encap(chk, by[v], t, v, m, 42, bytes(fr[t]))

    chk.set_group("4 IPv6 to a MAC behind a remote VTEP: one tunnelled copy")
    t = cases["4"]
    V.check_bridged(chk, out, t, {}, b"")
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "frames to the overlay"):
        V.check_encap(chk, enc[0], t, V.VTEP3, V.VTEP3_MAC, 42, bytes(fr[t]))

    chk.set_group("5 learning")
    macs = res.extra.get("show mac-table", "")
    for mac, where in ((V.VM1, "vtep 10.0.0.2"), (V.H1, "h")):
        chk.ok(re.search(r"^1\s+%s\s+learned\s+%s\s" % (mac.upper(), where), macs, re.M)
               is not None, "%s learned at %s" % (mac, where), macs)

    chk.set_group("6 IPv6 route over a tunnel (L3 VNI)")
    t = cases["6"]
    enc = out.take("p0", t)
    if chk.eq(len(enc), 1, "frames to the overlay"):
        V.check_encap(chk, enc[0], t, V.VTEP3, V.VTEP3_MAC, 5001,
                      routed(fr[t], ROUTER_MAC, V.P0_MAC))
    rt = res.extra.get("show ipv6 route vrf cust-a", "")
    chk.ok("2001:db8:50::/48" in rt and "vxlan vtep 10.0.0.3 vni 5001" in rt,
           "show ipv6 route shows the route over the tunnel", rt)

    chk.set_group("7 IPv6 too big for the tunnel: packet too big")
    t = cases["7"]
    chk.eq(len(out.take("p0", t)), 0, "1460 bytes + 50 > 1500: not sent")
    ptb = [f for f in out.frames["p4"] if not f[1] and Ether(f[0]).haslayer(ICMPv6PacketTooBig)]
    if chk.eq(len(ptb), 1, "packet too big back to the sender"):
        ptb[0][1] = True
        p = Ether(ptb[0][0])
        chk.eq((p[IPv6].dst, p[ICMPv6PacketTooBig].mtu), (CUST_HOST6, 1450),
               "to the sender, MTU 1500 - 50")

    chk.set_group("8 IPv6 from an L3 VNI: routed in its VRF")
    t = cases["8"]
    got = out.take("p4", t)
    if chk.eq(len(got), 1, "frames to cust"):
        chk.eq(got[0], routed(fr[t], CUST_HOST_MAC, V.P4_MAC),
               "L2 rewrite toward the host, hop limit - 1, packet unchanged")

    chk.set_group("unclaimed output")
    left = out.unclaimed()
    chk.eq(len(left), 0, "frames nobody expected",
           "\n".join("%s %s" % (p, ft.describe(r)) for p, r in left))
    res.check_counters(chk, tr, drops={"vxlan_mtu_exceeded": 1})
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
