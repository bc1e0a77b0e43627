#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""mpls/l3vpn: the RFC 4364 acceptance scenario on three ferry processes
chained through pcap files: PE1 -> P -> PE2, P once swapping the
transport label and once popping it (PHP), then the way back PE2 -> P ->
PE1. Customers A and B both use 192.168.101.0/24 (at PE1) and
192.168.102.0/24 (at PE2); A runs the uniform TTL model, B the pipe one.

Every hop's capture is checked three ways: label stacks read by hand,
by scapy.contrib.mpls and by tshark's MPLS dissector (mpls.label,
mpls.exp, mpls.bottom, mpls.ttl), then the IPv4 packet under them: TTL,
TOS, checksum, intact payload. A and B leave PE1 with different VPN
labels (2001, 2002) under the same transport label and come out of PE2
on their own CE port with the TTL of their model:

  uniform (A): 64 -> labels 63 -> P 62 -> PE2 IP 61  (every LSR a hop)
  pipe    (B): 64 -> labels 255 -> P 254 -> PE2 IP 62 (the LSP one hop)

Also: TC from DSCP through tc_map (46 -> 5 by default, 10 -> 4 mapped)
and back to the DSCP for B (tc_copy_on_pop); TTL 2 of A expiring at P
(mpls_ttl_expired; its time exceeded goes on to PE2 and back to CE-A1);
TTL 2 of B reaching PE2 with IP TTL 1 there, whose
ICMP time exceeded goes back through the LSP to CE-B1; MTU with the
labels counted: 1392 bytes fit the 1400-byte core link, 1393 with DF get
ICMP fragmentation needed (MTU 1392), without DF mpls_mtu_exceeded; an
LSP whose next hop does not answer ARP (mpls_nexthop_unresolved, and the
who-has goes out without any traffic waiting).

Usage: /usr/bin/python3 test_l3vpn.py FERRY_BINARY
"""

import os
import re
import sys

import l3vpn as L
from l3vpn import ft

TC_OF_DSCP = {0: 0, 46: 5, 10: 4}   # pe1.cfg.in: default >> 3, 10 -> 4


class Flow:
    """One forward packet from a CE at PE1 and what each hop must do."""

    def __init__(self, tr, cust, size, ttl=64, dscp=0, proto="udp", df=False):
        self.cust, self.ttl, self.dscp = cust, ttl, dscp
        self.tag = tr.tag()
        port, mac, dmac = ("p0", L.CE_A1, L.PE1_P0) if cust == "A" else \
            ("p1", L.CE_B1, L.PE1_P1)
        ip = ft.ip_packet(self.tag, L.HOST1, L.HOST2, size, proto=proto, ttl=ttl,
                          tos=dscp << 2, df=df)
        tr.add(port, ft.eth(dmac, mac) / ip)
        self.ip = bytes(ip)
        self.uniform = cust == "A"
        self.vpn = L.VPN_A_AT_PE2 if self.uniform else L.VPN_B_AT_PE2
        self.tc = TC_OF_DSCP[dscp]

    def label_ttl(self):
        """TTL of both labels PE1 pushes (RFC 3443 3.1 / 3.3)."""
        return self.ttl - 1 if self.uniform else 255

    def pe1_stack(self):
        t = self.label_ttl()
        return [(L.LSP_PE1_PE2, self.tc, 0, t), (self.vpn, self.tc, 1, t)]

    def p_stack(self, php):
        t = self.label_ttl()
        if php:  # the exposed VPN label carries the outgoing TTL
            return [(self.vpn, self.tc, 1, t - 1)]
        return [(L.LSP_P_PE2, self.tc, 0, t - 1), (self.vpn, self.tc, 1, t)]

    def ce_ttl(self):
        return self.ttl - 3 if self.uniform else self.ttl - 2

    def ce_tos(self):
        # cust-b at PE2: tc_copy_on_pop, DSCP = TC << 3, ECN kept
        return None if self.uniform else (self.tc << 5) | (self.ip[1] & 3)


def pe1_inputs():
    tr = ft.Traffic(L.PE1_PORTS)
    flows = []
    for cust in ("A", "B"):
        flows.append(Flow(tr, cust, 100))
        flows.append(Flow(tr, cust, 300, proto="tcp", dscp=46))
        flows.append(Flow(tr, cust, 200, dscp=10))
        flows.append(Flow(tr, cust, 60, proto="icmp"))
    fit = Flow(tr, "A", L.CORE_MTU - 8, df=True)   # exactly fits
    flows.append(fit)
    extra = {}
    extra["ttl2_a"] = Flow(tr, "A", 100, ttl=2)    # expires at P
    extra["ttl2_b"] = Flow(tr, "B", 100, ttl=2)    # reaches PE2 with TTL 1
    a1 = ft.eth(L.PE1_P0, L.CE_A1)
    for name, size, df in (("too_big_df", L.CORE_MTU - 7, True),
                           ("too_big", L.CORE_MTU - 7, False)):
        tag = tr.tag()
        tr.add("p0", a1 / ft.ip_packet(tag, L.HOST1, L.HOST2, size, df=df))
        extra[name] = tag
    for name, dst, ttl in (("ttl1", L.HOST2, 1), ("unresolved", "198.18.0.1", 64)):
        tag = tr.tag()
        tr.add("p0", a1 / ft.ip_packet(tag, L.HOST1, dst, 100, ttl=ttl))
        extra[name] = tag
    return tr, flows, extra


def check_pe1(chk, res, tr, flows, extra):
    out = ft.Outputs(res)
    core = res.outputs["p2"]
    rows = L.tshark(chk, core, "PE1 core capture") or [{}] * len(core)
    for f in flows + [extra["ttl2_a"], extra["ttl2_b"]]:
        chk.set_group("PE1 push, customer %s" % f.cust)
        what = "PE1 tag %d" % f.tag
        got = out.take(tag=f.tag)
        if not chk.eq([o.port for o in got], ["p2"], "%s: one copy out of the core port"
                      % what):
            continue
        raw = got[0].raw
        d, s, _, et, _ = ft.l2_split(raw)
        chk.eq((d, s, et), (L.P_C1, L.PE1_P2, 0x8847), "%s: L2 header to P" % what)
        L.check_stack(chk, what, raw, f.pe1_stack(), rows[got[0].idx])
        _, off = L.stack_of(raw)
        L.check_inner_ip(chk, what, f.ip, raw[off:], f.ttl - 1)
        chk.eq(rows[got[0].idx].get("ip.ttl"), [f.ttl - 1], "%s: tshark ip.ttl" % what)
    chk.set_group("PE1 MTU with labels (core MTU 1400)")
    ft.expect_icmp_error(chk, out, tr, extra["too_big_df"], "p0", 3, 4, L.GW1, L.HOST1,
                         L.CE_A1, L.PE1_P0, mtu=L.CORE_MTU - 8)
    ft.expect_no_output(chk, out, extra["too_big"])
    chk.set_group("PE1 TTL 1 from the CE: time exceeded")
    ft.expect_icmp_error(chk, out, tr, extra["ttl1"], "p0", 11, 0, L.GW1, L.HOST1,
                         L.CE_A1, L.PE1_P0)
    chk.set_group("PE1 LSP next hop unresolved")
    ft.expect_no_output(chk, out, extra["unresolved"])
    asks = ft.take_arp(out, op=1, tpa="10.0.13.2")
    chk.ok(len(asks) >= 1 and all(o.port == "p3" for o in asks),
           "who-has 10.0.13.2 out of p3 (got %d)" % len(asks))
    for o in asks[:1]:
        ft.check_arp(chk, o, "who-has 10.0.13.2", eth_dst=L.BCAST, eth_src=L.PE1_P3,
                     sha=L.PE1_P3, spa="10.0.13.1", tpa="10.0.13.2")
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"mpls_mtu_exceeded": 2, "ip4_ttl_expired": 1,
                                       "mpls_nexthop_unresolved": 1},
                       tx_slack={"p3": 5})
    chk.set_group("PE1 show commands")
    lsps = res.extra.get("show mpls lsps", "")
    chk.ok(re.search(r"10\.255\.0\.2\s+core\s+10\.0\.12\.2\s+16002\s+02:00:00:00:02:21\s+2",
                     lsps) is not None, "show mpls lsps: LSP to PE2", lsps)
    chk.ok(re.search(r"10\.255\.0\.9\s+core2\s+10\.0\.13\.2\s+16009\s+unresolved",
                     lsps) is not None, "show mpls lsps: unresolved LSP", lsps)
    vpn = res.extra.get("show ip vpn-routes vrf cust-b", "")
    chk.ok(re.search(r"cust-b\s+192\.168\.102\.0/24\s+10\.255\.0\.2\s+2002\s+up", vpn)
           is not None and "cust-a" not in vpn, "show ip vpn-routes vrf cust-b", vpn)


def labeled_frames(frames):
    return [r for r in frames if ft.l2_split(r)[3] == 0x8847]


def check_p(chk, res, tr, flows, extra, php):
    mode = "PHP" if php else "swap"
    out = ft.Outputs(res)
    frames = res.outputs["c2"]
    rows = L.tshark(chk, frames, "P %s capture" % mode) or [{}] * len(frames)
    for f in flows + [extra["ttl2_b"]]:
        chk.set_group("P %s, customer %s" % (mode, f.cust))
        what = "P tag %d" % f.tag
        got = out.take(tag=f.tag)
        if not chk.eq([o.port for o in got], ["c2"], "%s: one copy toward PE2" % what):
            continue
        raw = got[0].raw
        d, s, _, _, _ = ft.l2_split(raw)
        chk.eq((d, s), (L.PE2_Q2, L.P_C2), "%s: L2 header to PE2" % what)
        L.check_stack(chk, what, raw, f.p_stack(php), rows[got[0].idx])
        _, off = L.stack_of(raw)
        L.check_inner_ip(chk, what, f.ip, raw[off:], f.ttl - 1)
    chk.set_group("P %s: TTL expires inside the core" % mode)
    # RFC 3032 2.3.2: answered with a time exceeded sent on along the LSP
    # (test_ttl_icmp.py checks the message itself).
    got = out.take(tag=extra["ttl2_a"].tag)
    if chk.eq([o.port for o in got], ["c2"], "one ICMP time exceeded on toward PE2"):
        L.check_stack(chk, "P's ICMP", got[0].raw,
                      [(L.VPN_A_AT_PE2, 0, 1, 254)] if php else
                      [(L.LSP_P_PE2, 0, 0, 254), (L.VPN_A_AT_PE2, 0, 1, 255)])
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"mpls_ttl_expired": 1})


def reverse_inputs(tr, tags):
    """Return traffic from the remote sites, one flow per customer; tags
    from @p tags (PE1's inputs), so no marker is used twice."""
    back = []
    for port, mac, dmac, cust in (("q0", L.CE_A2, L.PE2_Q0, "A"),
                                  ("q1", L.CE_B2, L.PE2_Q1, "B")):
        tag = tags.tag()
        ip = ft.ip_packet(tag, L.HOST2, L.HOST1, 120, proto="udp", ttl=64)
        tr.add(port, ft.eth(dmac, mac) / ip)
        back.append((tag, cust, bytes(ip)))
    return back


def check_pe2(chk, res, tr, flows, extra, back, php):
    mode = "PHP" if php else "swap"
    out = ft.Outputs(res)
    for f in flows:
        chk.set_group("PE2 (P %s) disposes customer %s" % (mode, f.cust))
        port, dst, src = ("q0", L.CE_A2, L.PE2_Q0) if f.uniform else \
            ("q1", L.CE_B2, L.PE2_Q1)
        got = out.take(tag=f.tag)
        what = "PE2 tag %d" % f.tag
        if not chk.eq([o.port for o in got], [port], "%s: one copy to its own CE" % what):
            continue
        d, s, vlan, et, off = ft.l2_split(got[0].raw)
        chk.eq((d, s, vlan, et), (dst, src, None, 0x0800), "%s: L2 header" % what)
        L.check_inner_ip(chk, what, f.ip, got[0].raw[off:], f.ce_ttl(), f.ce_tos())
        sc = ft.Ether(got[0].raw)
        chk.eq(sc[ft.IP].ttl if ft.IP in sc else None, f.ce_ttl(), "%s: scapy IP ttl" % what)
    chk.set_group("PE2 (P %s): B's TTL 1 gets time exceeded, back over the LSP" % mode)
    errs = out.take(pred=lambda o: o.port == "q2" and _icmp_quote_id(o.raw) ==
                    extra["ttl2_b"].tag)
    if chk.eq(len(errs), 1, "one labeled ICMP error toward PE1"):
        L.check_stack(chk, "ICMP error", errs[0].raw,
                      [(L.LSP_PE2_PE1, 6, 0, 255), (L.VPN_B_AT_PE1, 6, 1, 255)])
    chk.set_group("PE2 (P %s): P's time exceeded goes back over the LSP" % mode)
    errs = out.take(tag=extra["ttl2_a"].tag)
    if chk.eq([o.port for o in errs], ["q2"], "one labeled ICMP error toward PE1"):
        st, _ = L.stack_of(errs[0].raw)
        chk.eq([e[0] for e in st], [L.LSP_PE2_PE1, L.VPN_A_AT_PE1],
               "labels of the way back to PE1, customer A")
    for tag, cust, ip in back:
        chk.set_group("PE2 push back toward PE1, customer %s" % cust)
        got = out.take(tag=tag)
        if not chk.eq([o.port for o in got], ["q2"], "tag %d: one copy to P" % tag):
            continue
        t = 63 if cust == "A" else 255
        vpn = L.VPN_A_AT_PE1 if cust == "A" else L.VPN_B_AT_PE1
        L.check_stack(chk, "tag %d" % tag, got[0].raw,
                      [(L.LSP_PE2_PE1, 0, 0, t), (vpn, 0, 1, t)])
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"ip4_ttl_expired": 1})


def _icmp_quote_id(raw):
    """IP id quoted by an ICMP error under a label stack, or None."""
    _, off = L.stack_of(raw)
    ip = raw[off:]
    if len(ip) < 56 or ip[0] >> 4 != 4 or ip[9] != 1:
        return None
    q = (ip[0] & 0x0f) * 4 + 8
    return int.from_bytes(ip[q + 4:q + 6], "big")


def check_back_at_pe1(chk, res, tr, back, extra):
    out = ft.Outputs(res)
    for tag, cust, ip in back:
        chk.set_group("PE1 disposes the way back, customer %s" % cust)
        port, dst, src = ("p0", L.CE_A1, L.PE1_P0) if cust == "A" else \
            ("p1", L.CE_B1, L.PE1_P1)
        got = out.take(tag=tag)
        if not chk.eq([o.port for o in got], [port], "tag %d: to its own CE" % tag):
            continue
        d, s, _, et, off = ft.l2_split(got[0].raw)
        chk.eq((d, s, et), (dst, src, 0x0800), "tag %d: L2 header" % tag)
        # uniform: 64 -> 63 (PE2) -> 62 (P) -> 61; pipe: 64 -> 63 -> 62
        L.check_inner_ip(chk, "tag %d" % tag, ip, got[0].raw[off:],
                         61 if cust == "A" else 62)
    # the unresolved LSP's next hop is still asked for, traffic or not
    ft.take_arp(out, op=1, tpa="10.0.13.2")
    chk.set_group("CE-A1 gets the time exceeded P sent into the LSP")
    errs = out.take("icmp-error", extra["ttl2_a"].tag)
    if chk.eq([o.port for o in errs], ["p0"], "one ICMP error out to CE-A1"):
        ip = L.ip_of(errs[0].raw)
        chk.eq((ip[20], ip[21], ft.IP(ip).src), (11, 0, "10.0.12.2"),
               "time exceeded from P's address")
    chk.set_group("CE-B1 gets the time exceeded PE2 sent from the VRF")
    errs = out.take("icmp-error", extra["ttl2_b"].tag)
    if chk.eq([o.port for o in errs], ["p1"], "one ICMP error out to CE-B1"):
        ip = L.ip_of(errs[0].raw)
        chk.eq((ip[20], ip[21]), (11, 0), "ICMP type/code time exceeded")
        chk.eq(ft.IP(ip).src, L.GW2, "sourced from PE2's address in cust-b")
        chk.eq(ip[28 + 8], 1, "quotes the header PE2 received (TTL 1)")
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={}, tx_slack={"p3": 5})


def chain_forward(binary, chk, res1, tr1, flows, extra, php, back_tr=None):
    """P then PE2 on what PE1 sent; @return PE2's result (or None)."""
    mode = "php" if php else "swap"
    tr_p = ft.Traffic(L.P_PORTS)
    for raw in labeled_frames(res1.outputs["p2"]):
        tr_p.add("c1", raw)
    template = L.p_template(php)
    try:
        res_p = ft.run_ferry(binary, template, tr_p, name="mpls-p-" + mode)
    finally:
        os.unlink(template)
    if not res_p.check_run(chk):
        return None, None
    check_p(chk, res_p, tr_p, flows, extra, php)
    tr_e = back_tr or ft.Traffic(L.PE2_PORTS)
    for raw in res_p.outputs["c2"]:
        tr_e.add("q2", raw)
    res_e = ft.run_ferry(binary, L.PE2_CFG, tr_e, name="mpls-pe2-" + mode)
    if not res_e.check_run(chk):
        return None, None
    return res_e, tr_e


def main():
    binary = ft.setup()
    chk = ft.Checks("mpls-l3vpn")
    tr1, flows, extra = pe1_inputs()
    res1 = ft.run_ferry(binary, L.PE1_CFG, tr1, name="mpls-pe1",
                        extra_cmds=["show mpls lsps", "show ip vpn-routes vrf cust-b"])
    if not res1.check_run(chk):
        return chk.summary()
    check_pe1(chk, res1, tr1, flows, extra)
    tr_e = ft.Traffic(L.PE2_PORTS)
    back = reverse_inputs(tr_e, tr1)
    res_e, tr_e = chain_forward(binary, chk, res1, tr1, flows, extra, False, tr_e)
    if res_e is not None:
        check_pe2(chk, res_e, tr_e, flows, extra, back, False)
        way_back(binary, chk, res_e, back, extra)
    res_e, tr_e = chain_forward(binary, chk, res1, tr1, flows, extra, True)
    if res_e is not None:
        check_pe2(chk, res_e, tr_e, flows, extra, [], True)
    return chk.summary()


def way_back(binary, chk, res_e, back, extra):
    """PE2's labeled output through P (swap 16001 -> 24001) to PE1."""
    tr_p = ft.Traffic(L.P_PORTS)
    for raw in labeled_frames(res_e.outputs["q2"]):
        tr_p.add("c2", raw)
    template = L.p_template(False)
    try:
        res_p = ft.run_ferry(binary, template, tr_p, name="mpls-p-back")
    finally:
        os.unlink(template)
    if not res_p.check_run(chk):
        return
    chk.set_group("P swaps the way back")
    got = res_p.outputs["c1"]
    # + PE2's and P's time exceeded
    chk.eq(len(got), len(back) + 2, "every labeled frame from PE2 goes on to PE1")
    for raw in got:
        st, _ = L.stack_of(raw)
        chk.ok(len(st) == 2 and st[0][0] == L.LSP_P_PE1, "top label %d swapped to 24001"
               % L.LSP_PE2_PE1, repr(st))
    res_p.check_counters(chk, tr_p, drops={})
    tr_1 = ft.Traffic(L.PE1_PORTS)
    for raw in got:
        tr_1.add("p2", raw)
    res_1 = ft.run_ferry(binary, L.PE1_CFG, tr_1, name="mpls-pe1-back")
    if res_1.check_run(chk):
        check_back_at_pe1(chk, res_1, tr_1, back, extra)


if __name__ == "__main__":
    sys.exit(main())
