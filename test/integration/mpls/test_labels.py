#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""mpls/labels: what P and PE2 of the "mpls" topology do with each kind of
label stack, frame by frame, with exact drop counts.

At P (max_labels 4): an unknown label, a stack too deep, the reserved
labels (0 IPv4 explicit null popped and the label below swapped; 1
router alert; 3 implicit null on the wire; 7 entropy label indicator
popped with its entropy label; 13 GAL; 15 extension; 2 IPv6 explicit
null at the bottom: popped, and the IPv6 packet looked up in P's default
VRF, which has no IPv6 route: ip6_no_route), TTL 1 and 0 (expired: an ICMP time exceeded goes
on along the LSP), a frame cut inside the
stack, multicast MPLS (0x8848), and a swap to two labels with and
without room under max_labels.

At PE2: VPN labels disposing into their VRF (uniform: IP TTL from the
label; pipe: IP TTL kept, DSCP from TC), the transport label popped down
to IPv4 in the global table, explicit null, a VRF label not at the
bottom, IPv6 under a VRF label (looked up in the VRF, which has no IPv6
route: ip6_no_route; test_6vpe.py forwards it), and MPLS arriving on a CE interface
(mpls_disabled: RFC 4364 10).

Usage: /usr/bin/python3 test_labels.py FERRY_BINARY
"""

import os
import sys

import l3vpn as L
from l3vpn import ft


def ip4(tag, dst, ttl=64, tos=0):
    return ft.ip_packet(tag, L.HOST1, dst, 80, ttl=ttl, tos=tos)


def at_p(tr):
    """Inputs on c1 (from PE1); @return {name: (tag, expected stack)}."""
    exp = {}
    to_p = (L.P_C1, L.PE1_P2)

    def add(name, stack, payload=None, want=None, raw=None):
        tag = tr.tag()
        body = payload if payload is not None else ip4(tag, L.HOST2)
        frame = raw if raw is not None else L.labeled(*to_p, stack, body)
        tr.add("c1", frame, tag=tag if raw is None or b"<FT" in raw else None)
        exp[name] = (tag, want)

    add("unknown", [(99999, 0, 1, 64)])
    add("too_deep", [(16002, 0, 0, 64)] * 4 + [(2001, 0, 1, 64)])
    add("null_then_swap", [(0, 0, 0, 50), (16002, 3, 0, 50), (2001, 0, 1, 50)],
        want=[(24002, 3, 0, 49), (2001, 0, 1, 50)])
    add("eli", [(7, 0, 0, 40), (123456, 0, 0, 0), (16002, 0, 0, 40), (2001, 0, 1, 40)],
        want=[(24002, 0, 0, 39), (2001, 0, 1, 40)])
    add("router_alert", [(1, 0, 0, 64), (16002, 0, 0, 64), (2001, 0, 1, 64)])
    add("implicit_null", [(3, 0, 0, 64), (2001, 0, 1, 64)])
    add("gal", [(13, 0, 1, 64)])
    add("extension", [(15, 0, 0, 64), (16002, 0, 1, 64)])
    add("eli_bottom", [(7, 0, 1, 64)])
    add("ipv6_null", [(2, 0, 1, 64)], payload=bytes(
        ft.IPv6(src="2001:db8::1", dst="2001:db8::2") / ft.UDP() / ft.fill(0, 20)))
    # Expired: answered with an ICMP time exceeded sent on along the LSP
    # under the received stack, TTL 255 (test_ttl_icmp.py checks it).
    add("ttl1", [(16002, 0, 0, 1), (2001, 0, 1, 64)],
        want=[(24002, 0, 0, 254), (2001, 0, 1, 255)])
    add("ttl0", [(16002, 0, 0, 0), (2001, 0, 1, 64)],
        want=[(24002, 0, 0, 254), (2001, 0, 1, 255)])
    add("swap_two", [(16005, 5, 0, 20), (2001, 5, 1, 20)],
        want=[(24005, 5, 0, 19), (24006, 5, 0, 19), (2001, 5, 1, 20)])
    add("swap_two_too_deep", [(16005, 0, 0, 20), (16, 0, 0, 20), (17, 0, 0, 20),
                              (2001, 0, 1, 20)])
    # two bytes of a label: the frame ends inside the stack
    add("truncated", None, raw=bytes(ft.Ether(dst=L.P_C1, src=L.PE1_P2, type=0x8847))
        + b"\x03\xe8")
    exp["truncated"] = (None, None)
    tag = tr.tag()
    add("multicast", None, raw=bytes(ft.Ether(dst=L.P_C1, src=L.PE1_P2, type=0x8848))
        + L.lse(16002, 0, 1, 64) + bytes(ip4(tag, L.HOST2)))
    return exp


P_DROPS = {"mpls_unknown_label": 1, "mpls_too_many_labels": 2, "mpls_router_alert": 1,
           "mpls_reserved_label": 3, "mpls_oam": 1, "ip6_no_route": 1,
           "mpls_ttl_expired": 2, "mpls_truncated": 1, "mpls_unsupported": 1}


def check_p(chk, res, exp):
    out = ft.Outputs(res)
    for name, (tag, want) in exp.items():
        chk.set_group("P: " + name.replace("_", " "))
        if tag is None:
            chk.ok(True, "counted below")
            continue
        got = out.take(tag=tag)
        if want is None:
            chk.eq(len(got), 0, "dropped, nothing out")
            continue
        if chk.eq([o.port for o in got], ["c2"], "one copy toward PE2"):
            L.check_stack(chk, name, got[0].raw, want)
    out.check_unclaimed(chk)


def at_pe2(tr):
    """Inputs on q2 (from P) and q0 (a CE); {name: (tag, port, check)}."""
    exp = {}
    from_p = (L.PE2_Q2, L.P_C2)

    def add(name, port, frame, tag, want):
        tr.add(port, frame, tag=tag)
        exp[name] = (tag, want)

    tag = tr.tag()
    add("vpn_a_uniform", "q2", L.labeled(*from_p, [(2001, 0, 1, 10)], ip4(tag, L.HOST2)),
        tag, ("q0", L.CE_A2, L.PE2_Q0, 9, None))
    tag = tr.tag()
    add("vpn_b_pipe_tc_copy", "q2", L.labeled(*from_p, [(2002, 6, 1, 10)],
                                                ip4(tag, L.HOST2, tos=0x01)),
        tag, ("q1", L.CE_B2, L.PE2_Q1, 63, 0xc1))
    tag = tr.tag()
    add("transport_popped_to_ipv4", "q2",
        L.labeled(*from_p, [(24002, 0, 1, 30)], ip4(tag, "10.0.23.1")),
        tag, ("q2", L.P_C2, L.PE2_Q2, 29, None))
    tag = tr.tag()
    add("explicit_null", "q2", L.labeled(*from_p, [(0, 0, 1, 30)], ip4(tag, "10.0.23.1")),
        tag, ("q2", L.P_C2, L.PE2_Q2, 29, None))
    tag = tr.tag()
    add("vrf_label_not_bottom", "q2",
        L.labeled(*from_p, [(2001, 0, 0, 64), (16, 0, 1, 64)], ip4(tag, L.HOST2)), tag, None)
    tag = tr.tag()
    add("ipv6_under_vrf_label", "q2", L.labeled(*from_p, [(2001, 0, 1, 64)], bytes(
        ft.IPv6(src="2001:db8::1", dst="2001:db8::2") / ft.UDP() / ft.fill(tag, 20))),
        tag, None)
    tag = tr.tag()
    add("mpls_on_ce_port", "q0", L.labeled(L.PE2_Q0, L.CE_A2, [(2002, 0, 1, 64)],
                                            ip4(tag, L.HOST2)), tag, None)
    return exp


PE2_DROPS = {"mpls_bad_payload": 1, "ip6_no_route": 1, "mpls_disabled": 1}


def check_pe2(chk, res, tr, exp):
    out = ft.Outputs(res)
    for name, (tag, want) in exp.items():
        chk.set_group("PE2: " + name.replace("_", " "))
        got = out.take(tag=tag)
        if want is None:
            chk.eq(len(got), 0, "dropped, nothing out")
            continue
        port, dst, src, ttl, tos = want
        if not chk.eq([o.port for o in got], [port], "one copy out of %s" % port):
            continue
        d, s, _, et, off = ft.l2_split(got[0].raw)
        chk.eq((d, s, et), (dst, src, 0x0800), "%s: unlabeled IPv4 to the right host"
               % name)
        _, soff = L.stack_of(tr[tag])
        L.check_inner_ip(chk, name, tr[tag][soff:], got[0].raw[off:], ttl, tos)
    out.check_unclaimed(chk)


def main():
    binary = ft.setup()
    chk = ft.Checks("mpls-labels")
    tr = ft.Traffic(L.P_PORTS)
    exp = at_p(tr)
    template = L.p_template(False)
    try:
        res = ft.run_ferry(binary, template, tr, name="mpls-labels-p",
                           extra_cmds=["show mpls lfib", "show mpls interfaces"])
    finally:
        os.unlink(template)
    if res.check_run(chk):
        check_p(chk, res, exp)
        res.check_counters(chk, tr, drops=P_DROPS)
        chk.set_group("P: show mpls lfib")
        lfib = res.extra.get("show mpls lfib", "")
        for line in ("16002    swap        24002", "16005    swap        24005/24006"):
            chk.ok(line in lfib, "lists %r" % line, lfib)
        chk.ok("max-labels 4" in res.extra.get("show mpls interfaces", ""),
               "show mpls interfaces: max-labels 4")
    tr = ft.Traffic(L.PE2_PORTS)
    exp = at_pe2(tr)
    res = ft.run_ferry(binary, L.PE2_CFG, tr, name="mpls-labels-pe2",
                       extra_cmds=["show mpls vrfs"])
    if res.check_run(chk):
        check_pe2(chk, res, tr, exp)
        res.check_counters(chk, tr, drops=PE2_DROPS)
        chk.set_group("PE2: show mpls vrfs")
        vrfs = res.extra.get("show mpls vrfs", "")
        chk.ok("192.168.102.0/24=2002" in vrfs and "per-prefix" in vrfs,
               "per-prefix label listed", vrfs)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
