#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/v6-inner: an L2 VNI bridges IPv6 frames as it bridges any
Ethernet frame (topology of vtep.cfg.in, bridge domain 1, VNI 42):

  1. from VTEP .2, an IPv6 neighbour solicitation to its solicited-node
     group (33:33:ff:..): flooded to h, h2 and h3 (tagged 10), unchanged
  2. from VTEP .2, IPv6 unicast to a static MAC behind h2: to h2 only
  3. from h, IPv6 to the all-nodes group (33:33:00:00:00:01): to h2, h3
     and one VXLAN copy per flood-list VTEP, inner frame unchanged
  4. from h, IPv6 unicast to a static MAC behind VTEP .3: one copy to .3
  5. learning: the senders of 1 and 3 are in show mac-table
No drop, and every output frame is accounted for.

Usage: /usr/bin/python3 test_v6_inner.py FERRY_BINARY
"""

import re
import sys

import test_vtep as V
from test_vtep import ft

try:
    from scapy.layers.inet6 import IPv6, ICMPv6ND_NS
    from scapy.layers.inet import UDP
    from scapy.layers.l2 import Ether
except ImportError:
    IPv6 = None

SNODE_MAC, ALLNODES_MAC = "33:33:ff:00:00:02", "33:33:00:00:00:01"


def frame6(tag, dst_mac, src_mac, dst, size=120):
    """Ether / IPv6 / UDP carrying @p tag's marker."""
    hdr = Ether(dst=dst_mac, src=src_mac) / IPv6(src="2001:db8:77::1", dst=dst) / \
        UDP(sport=40000, dport=5001)
    return Ether(bytes(hdr / ft.fill(tag, size - len(hdr) + 14)))


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

    res = ft.run_ferry(binary, V.TEMPLATE, tr, extra_cmds=("show mac-table",))
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

    chk.set_group("unclaimed output")
    left = out.unclaimed()
    chk.eq(len(left), 0, "frames nobody expected",
           "\n".join("%s %s" % (p, ft.describe(r)) for p, r in left))
    res.check_counters(chk, tr, drops={})
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
