#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/trace-decisions: `show trace` names ports and interfaces (not
DPDK port ids) and says per node what it decided, as VPP's trace does
(issue 19 item 5): the interface and VRF a frame came in on, the QoS
class an ACL chose, the route and adjacency of the lookup, the MACs the
rewrite wrote, the label stack pushed and the one on the wire, the SA
that encrypted. On families.cfg.in with its capture replayed forever.

Usage: /usr/bin/python3 test_trace_decisions.py FERRY_BINARY
"""
import sys

import opstest as O
from opstest import ft
from test_families import sa_frames, cust_frames
from test_trace import trace


def infinite(text):
    """The rendered config with port in replaying its capture forever."""
    return text.replace("/in.pcap\"", "/in.pcap,infinite_rx=1\"")


def lines_of(chk, cli, cmd, what):
    pk = trace(chk, cli, cmd, 1)
    text = cli.cmd("show trace")
    chk.ok(len(pk) == 1, "%s: one packet traced" % what, text)
    return text


def expect(chk, text, wants, what):
    for w in wants:
        chk.ok(w in text, "%s: %r" % (what, w), text)


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-trace-decisions")
    frames = O.frames() + sa_frames() + cust_frames()
    f = O.Ferry(binary, "ops-trace-dec", frame_list=frames,
                template=ft.here(__file__, "families.cfg.in"), edit=infinite)
    try:
        cli = f.cli
        chk.set_group("routed")
        t = lines_of(chk, cli, "trace add 1 dst 10.1.0.0/16", "routed")
        expect(chk, t, ["port in ", "interface in, vrf default", "qos class 1",
                        "vrf default: route 10.1.0.0/16 via 198.18.0.2 dev a",
                        "out a: rewrite 02:00:00:00:0A:00 > 02:00:00:00:0A:02, ttl 63"],
               "routed")
        chk.ok("port 0 " not in t, "no DPDK port id in the header", t)
        chk.set_group("IPsec")
        t = lines_of(chk, cli, "trace add 1 dst 10.3.0.0/16", "ipsec")
        expect(chk, t, ["SA spi 4097 to 10.0.0.2"], "ipsec")
        chk.set_group("MPLS push")
        t = lines_of(chk, cli, "trace add 1 dst 192.168.102.0/24", "mpls")
        expect(chk, t, ["interface cust, vrf cust", "vrf cust: route 192.168.102.0/24",
                        "labels 16002/2001", ", out core",
                        "out core: rewrite 02:00:00:00:0C:00 > 02:00:00:00:0C:02, "
                        "labels 16002/2001"], "mpls")
        chk.set_group("drop")
        t = lines_of(chk, cli, "trace add 1 dst 10.9.9.9/32", "acl deny")
        expect(chk, t, ["ferry_classify -> ferry_drop (acl_deny)"], "acl deny")
    finally:
        stopped = f.stop()
    return O.summary(chk, stopped)


if __name__ == "__main__":
    sys.exit(main())
