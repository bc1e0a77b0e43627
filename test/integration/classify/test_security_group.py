#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""classify/security-group: ACLs with captures, packet by packet.

  1. "web" has the security group sg (default deny): TCP 8080 from
     anywhere and TCP 22 from 203.0.113.0/24 are forwarded out of p2
     unchanged but for TTL and checksum; TCP 22 from elsewhere, UDP 8080,
     TCP 80, TCP 8081 and ICMP are dropped as acl_deny. `show acl sg`
     counts each rule's packets and the default's.
  2. "cust" (VRF cust-a, VPN route over MPLS out of p3) has the marking ACL
     mark (default permit): SIP (UDP 5060-5061) gets DSCP EF and TC 5,
     HTTP from a high port DSCP AF21 (TC from the DSCP: 2), CS6 keeps its
     DSCP but gets TC 7, a denied host is dropped, other packets keep
     their DSCP with TC = DSCP >> 3; rules for another in-interface and
     another VRF match nothing. Each labeled frame is checked: the
     TC of both labels, the inner DSCP with ECN kept, the inner checksum.

Usage: /usr/bin/python3 test_security_group.py FERRY_BINARY
"""
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

TEMPLATE = ft.here(__file__, "ferry.cfg.in")
PORTS = ["p0", "p1", "p2", "p3"]
P0, P1, P2, P3 = ("02:00:00:00:07:1%d" % i for i in range(4))
SERVER, SERVER_MAC = "198.51.100.10", "02:00:00:00:0c:01"
P_MAC = "02:00:00:00:0c:02"
COPIES = 3

# (what, src, proto, dport, permitted by rule n or None for the default)
SG_FLOWS = [
    ("TCP 8080 from anywhere", "198.18.5.5", "tcp", 8080, 1),
    ("TCP 8080 from 203.0.113.7", "203.0.113.7", "tcp", 8080, 1),
    ("TCP 22 from 203.0.113.7", "203.0.113.7", "tcp", 22, 2),
    ("TCP 22 from 203.0.113.255", "203.0.113.255", "tcp", 22, 2),
    ("TCP 22 from 198.18.5.5 (outside the /24)", "198.18.5.5", "tcp", 22, None),
    ("TCP 22 from 203.0.112.7 (next /24)", "203.0.112.7", "tcp", 22, None),
    ("UDP 8080", "198.18.5.5", "udp", 8080, None),
    ("TCP 80", "203.0.113.7", "tcp", 80, None),
    ("TCP 8081", "198.18.5.5", "tcp", 8081, None),
    ("ICMP echo", "203.0.113.7", "icmp", 0, None),
]

# (what, src, proto, sport, dport, tos in, tos out, tc, rule or None, kept)
HOST = "192.168.101.10"
MARK_FLOWS = [
    ("SIP 5060: EF, TC 5", HOST, "udp", 5060, 5060, 0x00, 0xb8, 5, 4, True),
    ("SIP 5061 ECN 01: EF, ECN kept", HOST, "udp", 5061, 5061, 0x01, 0xb9, 5, 4,
     True),
    ("HTTP from 40000: AF21, TC 2", HOST, "tcp", 40000, 80, 0x00, 0x48, 2, 5, True),
    ("HTTP from 1000: not matched", HOST, "tcp", 1000, 80, 0x20, 0x20, 1, None, True),
    ("CS6 in cust-a from cust: DSCP kept, TC 7", HOST, "udp", 999, 53, 0xc0, 0xc0, 7,
     6, True),
    ("AF41: untouched, TC 4", HOST, "udp", 999, 53, 0x88, 0x88, 4, None, True),
    ("denied host", "192.168.101.20", "udp", 999, 5060, 0, 0, 0, 3, False),
]


def add_sg(tr, exp):
    for what, src, proto, dport, rule in SG_FLOWS:
        for _ in range(COPIES):
            tag = tr.tag()
            kw = {"dport": dport} if proto != "icmp" else {}
            pkt = ft.eth(P0, "02:00:00:00:aa:01") / ft.ip_packet(
                tag, src, SERVER, 100, proto=proto, **kw)
            tr.add("p0", pkt)
            exp.append((what, tag, rule))


def add_mark(tr, exp):
    for flow in MARK_FLOWS:
        what, src, proto, sport, dport, tos = flow[:6]
        for _ in range(COPIES):
            tag = tr.tag()
            pkt = ft.eth(P1, "02:00:00:00:bb:01") / ft.ip_packet(
                tag, src, "192.168.102.7", 120, proto=proto, sport=sport,
                dport=dport, tos=tos)
            tr.add("p1", pkt)
            exp.append((flow, tag))


def hits(text, acl):
    """{rule number or '-': hits} of `show acl NAME`."""
    out = {}
    for m in re.finditer(r"^\s+(\d+|-)\s+(\d+)\s", text, re.M):
        out[m.group(1) if m.group(1) == "-" else int(m.group(1))] = int(m.group(2))
    return out


def check_sg(chk, outs, tr, exp, text):
    want = {1: 0, 2: 0, "-": 0}
    for what, tag, rule in exp:
        chk.set_group("sg: " + what)
        if rule is None:
            ft.expect_no_output(chk, outs, tag)
            want["-"] += 1
        else:
            ft.expect_forward(chk, outs, tr, tag, "p2", SERVER_MAC, P2)
            want[rule] += 1
    chk.set_group("sg: show acl counters")
    chk.eq(hits(text, "sg"), want, "hits per rule and default", text)
    return want["-"]


def check_labeled(chk, o, what, tos_out, tc, inp):
    raw = o.raw
    chk.eq(struct.unpack("!H", raw[12:14])[0], 0x8847, "%s: MPLS ethertype" % what)
    l1, l2 = struct.unpack("!II", raw[14:22])
    chk.eq((l1 >> 12, l2 >> 12), (16002, 2001), "%s: labels" % what)
    chk.eq(((l1 >> 9) & 7, (l2 >> 9) & 7), (tc, tc), "%s: TC of both labels" % what)
    ip = raw[22:]
    chk.eq(ip[1], tos_out, "%s: inner DS field (DSCP and ECN)" % what)
    chk.eq(ft.inet_cksum(ip[:20]), 0, "%s: inner header checksum" % what)
    _, _, _, _, ioff = ft.l2_split(inp)
    iip = inp[ioff:]
    chk.ok(ip[20:100] == iip[20:100], "%s: L4 header and payload unchanged" % what)


def check_mark(chk, outs, tr, exp, text):
    # rules 1 and 2 (in-interface web, VRF default) never match here
    want = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, "-": 0}
    denied = 0
    for flow, tag in exp:
        what, _, _, _, _, _, tos_out, tc, rule, kept = flow
        chk.set_group("mark: " + what)
        want[rule if rule is not None else "-"] += 1
        if not kept:
            ft.expect_no_output(chk, outs, tag)
            denied += 1
            continue
        got = outs.take(tag=tag)
        if chk.eq(len(got), 1, "tag %d leaves once" % tag) and \
                chk.eq(got[0].port, "p3", "tag %d leaves by the core" % tag):
            check_labeled(chk, got[0], "tag %d" % tag, tos_out, tc, tr[tag])
    chk.set_group("mark: show acl counters")
    chk.eq(hits(text, "mark"), want, "hits per rule and default", text)
    return denied


def main():
    binary = ft.setup()
    chk = ft.Checks("classify-security-group")
    tr = ft.Traffic(PORTS)
    sg, mark = [], []
    add_sg(tr, sg)
    add_mark(tr, mark)
    res = ft.run_ferry(binary, TEMPLATE, tr,
                       extra_cmds=["show acl sg", "show acl mark",
                                   "show running-config"])
    if res.check_run(chk):
        outs = ft.Outputs(res)
        denied = check_sg(chk, outs, tr, sg, res.extra.get("show acl sg", ""))
        denied += check_mark(chk, outs, tr, mark,
                             res.extra.get("show acl mark", ""))
        chk.set_group("show running-config")
        run = res.extra.get("show running-config", "")
        for want in ('name = "sg"', 'default = "deny"', 'dport = "8080"',
                     'src = "203.0.113.0/24"', 'set_tc = "5"', 'set_dscp = "af21"',
                     'in_interface = "web"', 'vrf = "cust-a"'):
            chk.ok(want in run, "running-config has %s" % want, run)
        outs.check_unclaimed(chk)
        res.check_counters(chk, tr, drops={"acl_deny": denied})
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
