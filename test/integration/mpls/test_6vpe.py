#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""mpls/6vpe: IPv6 over the IPv4 MPLS core (issue 17): 6VPE (RFC 4659)
and 6PE (RFC 4798) on three ferry processes chained through pcap files,
PE1 -> P -> PE2 (pe1v6.cfg.in, p.cfg.in, pe2v6.cfg.in), P once swapping
the transport label and once popping it (PHP).

Every hop's capture is checked by hand, with scapy.contrib.mpls and with
tshark's MPLS and IPv6 dissectors (mpls.label, mpls.exp, mpls.bottom,
mpls.ttl, ipv6.hlim, ipv6.tclass.dscp): the labels, the hop limit and the
payload bytes. Customers A (uniform TTL) and B (pipe TTL) use the same
IPv6 prefixes; the 6PE host is in the default VRF:

  uniform (A, 6PE): hlim 64 -> labels 63 -> P 62 -> PE2 hlim 61
  pipe    (B):      hlim 64 -> labels 255 -> P 254 -> PE2 hlim 62

Also: TC from the traffic class's DSCP (46 -> 5, 10 -> 4 by tc_map) and
back to the DSCP for B (tc_copy_on_pop); hop limit 1 at PE1 (ICMPv6 time
exceeded); a packet too big for the labelled core link (ICMPv6 packet too
big with the MTU left for IPv6, 1392); hop limit 2 expiring inside the
LSP at P (counted as mpls_ttl_expired); at PE2 IPv6 explicit null (label
2, RFC 3032) at the bottom and above a VPN label, label 2 over IPv4 and
a VPN label over a payload that is neither (mpls_bad_payload); PHP at P
of a lone label over IPv6 (sent on as ethertype 0x86DD); PE2's 6VPE
route back toward PE1.

Usage: /usr/bin/python3 test_6vpe.py FERRY_BINARY
"""

import os
import sys

import l3vpn as L
from l3vpn import ft

HERE = os.path.dirname(os.path.abspath(__file__))
PE1_CFG = os.path.join(HERE, "pe1v6.cfg.in")
PE2_CFG = os.path.join(HERE, "pe2v6.cfg.in")
PE2_PORTS = ["q0", "q1", "q2", "q3"]

H1, H2 = "2001:db8:101::10", "2001:db8:102::20"
GW1 = "2001:db8:101::1"
H6PE_SRC, H6PE_DST = "2001:db8:6f::10", "2001:db8:6e::20"
CORE6_NBR = "2001:db8:23::9"
PE1_P3, PE2_Q3 = "02:00:00:00:01:13", "02:00:00:00:03:13"
H6PE1_MAC, H6PE2_MAC, CORE6_MAC = "02:00:00:00:0e:01", "02:00:00:00:0e:02", \
    "02:00:00:00:02:29"
VPN_6PE = 2003
TC_OF_DSCP = {0: 0, 46: 5, 10: 4}   # pe1v6.cfg.in: default >> 3, 10 -> 4
TSHARK6 = ["mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl", "ipv6.hlim",
           "ipv6.tclass.dscp", "ipv6.dst"]


def udp6(tag, src, dst, size, hlim=64, dscp=0):
    """IPv6 + UDP with @p size payload bytes carrying the tag's marker."""
    return ft.IPv6(src=src, dst=dst, hlim=hlim, tc=dscp << 2) / \
        ft.UDP(sport=1000, dport=2000) / ft.fill(tag, size)


class Flow:
    """One IPv6 packet into PE1 and what each hop must do with it."""

    def __init__(self, tr, cust, size, hlim=64, dscp=0):
        self.cust, self.hlim, self.dscp = cust, hlim, dscp
        self.tag = tr.tag()
        port, mac, dmac, src, dst = {
            "A": ("p0", L.CE_A1, L.PE1_P0, H1, H2),
            "B": ("p1", L.CE_B1, L.PE1_P1, H1, H2),
            "6PE": ("p3", H6PE1_MAC, PE1_P3, H6PE_SRC, H6PE_DST)}[cust]
        ip = udp6(self.tag, src, dst, size, hlim, dscp)
        tr.add(port, ft.eth(dmac, mac) / ip)
        self.ip = bytes(ip)
        self.uniform = cust != "B"
        self.vpn = {"A": L.VPN_A_AT_PE2, "B": L.VPN_B_AT_PE2, "6PE": VPN_6PE}[cust]
        self.tc = TC_OF_DSCP[dscp]

    def label_ttl(self):
        return self.hlim - 1 if self.uniform else 255

    def pe1_stack(self):
        t = self.label_ttl()
        return [(L.LSP_PE1_PE2, self.tc, 0, t), (self.vpn, self.tc, 1, t)]

    def p_stack(self, php):
        t = self.label_ttl()
        if php:
            return [(self.vpn, self.tc, 1, t - 1)]
        return [(L.LSP_P_PE2, self.tc, 0, t - 1), (self.vpn, self.tc, 1, t)]

    def ce_hlim(self):
        return self.hlim - 3 if self.uniform else self.hlim - 2

    def ce_tclass(self):
        # cust-b at PE2: tc_copy_on_pop, DSCP = TC << 3, ECN kept
        return self.dscp << 2 if self.uniform else self.tc << 5

    def ce_port(self):
        return {"A": ("q0", L.CE_A2, L.PE2_Q0), "B": ("q1", L.CE_B2, L.PE2_Q1),
                "6PE": ("q3", H6PE2_MAC, PE2_Q3)}[self.cust]


def check_ip6(chk, what, inp, out, hlim, tclass=None):
    """The IPv6 packet @p out is @p inp with hop limit @p hlim (and
    traffic class @p tclass), every other byte unchanged."""
    plen = 40 + int.from_bytes(inp[4:6], "big")
    if not chk.ok(len(out) >= plen, "%s: holds the whole IPv6 packet (%d of %d bytes)"
                  % (what, len(out), plen)):
        return
    chk.eq(out[7], hlim, "%s: IPv6 hop limit" % what)
    tc = (out[0] & 0x0f) << 4 | out[1] >> 4
    want_tc = ((inp[0] & 0x0f) << 4 | inp[1] >> 4) if tclass is None else tclass
    chk.eq(tc, want_tc, "%s: IPv6 traffic class" % what)
    chk.ok(out[0] >> 4 == 6 and out[1] & 0x0f == inp[1] & 0x0f and out[2:7] == inp[2:7]
           and out[8:40] == inp[8:40],
           "%s: IPv6 header fields other than hop limit/class unchanged" % what,
           "in  %s\nout %s" % (inp[:40].hex(), out[:40].hex()))
    chk.ok(out[40:plen] == inp[40:plen], "%s: UDP header and payload intact" % what)


def pe1_inputs():
    tr = ft.Traffic(L.PE1_PORTS)
    flows = []
    for cust in ("A", "B"):
        flows.append(Flow(tr, cust, 100))
        flows.append(Flow(tr, cust, 300, dscp=46))
        flows.append(Flow(tr, cust, 200, dscp=10))
    flows.append(Flow(tr, "6PE", 150))
    flows.append(Flow(tr, "A", L.CORE_MTU - 8 - 48))   # fits with 2 labels
    extra = {"hlim2": Flow(tr, "A", 100, hlim=2)}      # expires at P
    a1 = ft.eth(L.PE1_P0, L.CE_A1)
    for name, size, hlim in (("hlim1", 100, 1), ("too_big", L.CORE_MTU - 8 - 47, 64)):
        tag = tr.tag()
        tr.add("p0", a1 / udp6(tag, H1, H2, size, hlim))
        extra[name] = tag
    return tr, flows, extra


def expect_icmp6(chk, out, tr, tag, typ, code, mtu=None):
    """One ICMPv6 error out of p0 to CE-A1 from PE1's address in cust-a,
    quoting the input."""
    got = out.take(tag=tag)
    if not chk.eq([o.port for o in got], ["p0"], "tag %d: one ICMPv6 error to CE-A1" % tag):
        return
    p = ft.Ether(got[0].raw)
    ip = p.getlayer(ft.IPv6)
    chk.eq((p.dst, p.src), (L.CE_A1, L.PE1_P0), "tag %d: L2 header" % tag)
    chk.eq((ip.src, ip.dst, ip.nh), (GW1, H1, 58), "tag %d: from PE1 to the host" % tag)
    icmp = bytes(ip.payload)
    chk.eq((icmp[0], icmp[1]), (typ, code), "tag %d: ICMPv6 type/code" % tag)
    if mtu is not None:
        chk.eq(int.from_bytes(icmp[4:8], "big"), mtu, "tag %d: MTU in packet too big" % tag)
    quote = bytes(ft.Ether(tr[tag]).getlayer(ft.IPv6))
    chk.ok(icmp[8:48] == quote[:40], "tag %d: quotes the IPv6 header received" % tag)


# Row edits over the CLI socket, after the traffic, in this order.
CLI_EDITS = [
    "mpls vpn-route6 add 2001:db8:77::/48 vrf cust-a pe 10.255.0.2 label 2077",
    "show ipv6 vpn-routes vrf cust-a",
    "show ipv6 route vrf cust-b",
    "mpls vpn-route6 add 2001:db8:78::/48 vrf cust-a pe 10.9.9.9 label 2078",
    "mpls vpn-route6 add 2001:db8:77::/48 vrf nowhere pe 10.255.0.2 label 2077",
    "mpls lsp del 10.255.0.2",
    "mpls vpn-route6 del 2001:db8:77::/48 vrf cust-a",
    "mpls vpn-route6 del 2001:db8:101::/64 vrf cust-b",
    "show ipv6 route vrf cust-a",
]


def check_cli(chk, res):
    """CLI edits of mpls.vpn_routes6 through the change transaction."""
    chk.set_group("PE1 CLI: mpls vpn-route6")
    x = res.extra
    text = x.get(CLI_EDITS[1], "")
    chk.ok("2001:db8:77::/48" in text and "2077" in text and "cust-b" not in text,
           "added route shown in its VRF only", text)
    chk.ok("2001:db8:77::" not in x.get(CLI_EDITS[2], "x"),
           "not in cust-b's FIB", x.get(CLI_EDITS[2]))
    chk.ok("no LSP to this PE" in x.get(CLI_EDITS[3], ""),
           "a PE without an LSP is refused", x.get(CLI_EDITS[3]))
    chk.ok("vpn_routes6.[4].vrf: \"nowhere\": no such VRF" in x.get(CLI_EDITS[4], ""),
           "an unknown VRF is refused", x.get(CLI_EDITS[4]))
    chk.ok("VPN route(s) go to this PE" in x.get(CLI_EDITS[5], ""),
           "the LSP of IPv6 VPN routes cannot go", x.get(CLI_EDITS[5]))
    chk.ok("no vpn_route6 (vrf = " in x.get(CLI_EDITS[7], ""),
           "deleting a route that is not there is refused", x.get(CLI_EDITS[7]))
    text = x.get(CLI_EDITS[8], "")
    chk.ok("2001:db8:77::" not in text and "2001:db8:102::/64" in text,
           "deleted route gone from the FIB, the configured one kept", text)
    text = x.get("show running-config", "")
    chk.ok("2001:db8:77::" not in text and "2001:db8:102::/64" in text,
           "running-config has what runs", text)


def check_pe1(chk, res, tr, flows, extra):
    out = ft.Outputs(res)
    core = res.outputs["p2"]
    rows = L.tshark(chk, core, "PE1 core capture", TSHARK6) or [{}] * len(core)
    for f in flows + [extra["hlim2"]]:
        chk.set_group("PE1 push, %s" % f.cust)
        what = "PE1 tag %d" % f.tag
        got = out.take(tag=f.tag)
        if not chk.eq([o.port for o in got], ["p2"], "%s: one copy out of the core port"
                      % what):
            continue
        raw = got[0].raw
        d, s, _, et, _ = ft.l2_split(raw)
        chk.eq((d, s, et), (L.P_C1, L.PE1_P2, 0x8847), "%s: L2 header to P" % what)
        row = rows[got[0].idx]
        L.check_stack(chk, what, raw, f.pe1_stack(), row)
        _, off = L.stack_of(raw)
        check_ip6(chk, what, f.ip, raw[off:], f.hlim - 1)
        chk.eq(row.get("ipv6.hlim"), [f.hlim - 1], "%s: tshark ipv6.hlim" % what)
        chk.eq(row.get("ipv6.tclass.dscp"), [f.dscp], "%s: tshark ipv6.tclass.dscp" % what)
        sc = ft.Ether(raw)
        chk.eq(sc[ft.IPv6].hlim if ft.IPv6 in sc else None, f.hlim - 1,
               "%s: scapy IPv6 under the labels" % what)
    chk.set_group("PE1 hop limit 1: ICMPv6 time exceeded")
    expect_icmp6(chk, out, tr, extra["hlim1"], 3, 0)
    chk.set_group("PE1 too big with the labels: ICMPv6 packet too big")
    expect_icmp6(chk, out, tr, extra["too_big"], 2, 0, mtu=L.CORE_MTU - 8)
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"mpls_mtu_exceeded": 1, "ip6_hop_limit": 1})
    chk.set_group("PE1 show commands")
    text = res.extra.get("show ipv6 vpn-routes", "")
    chk.ok("2001:db8:102::/64" in text and "default" in text and "2003" in text,
           "show ipv6 vpn-routes lists the 6VPE and 6PE routes", text)
    text = res.extra.get("show ipv6 route vrf cust-a", "")
    chk.ok("vpn pe 10.255.0.2 label 2001" in text, "show ipv6 route: the VPN route", text)
    text = res.extra.get("show running-config", "")
    chk.ok("vpn_routes6" in text and "2001:db8:6e::/64" in text,
           "show running-config has mpls.vpn_routes6", text)


def p_extra(tr_p, tags):
    """A lone transport label over IPv6 (6PE toward PE2's default VRF):
    the PHP run pops it and sends IPv6 on. Tags from @p tags (PE1's
    inputs), so no marker is used twice."""
    tag = tags.tag()
    ip = udp6(tag, H6PE_SRC, H6PE_DST, 80, hlim=30)
    tr_p.add("c1", L.labeled(L.P_C1, L.PE1_P2, [(L.LSP_PE1_PE2, 0, 1, 10)], ip))
    return tag, bytes(ip)


def check_p_icmp6(chk, raw, f):
    """P's answer under the labels: ICMPv6 time exceeded (RFC 4443 3.3)
    from ::ffff:10.0.12.2 to the source, checksum right, quoting the
    expired packet zero-padded to 128 bytes (RFC 4884, length 16 in
    64-bit words) and the label stack received (RFC 4950)."""
    _, off = L.stack_of(raw)
    ip6 = ft.IPv6(raw[off:])
    chk.eq((ip6.src, ip6.dst, ip6.nh, ip6.hlim), ("::ffff:10.0.12.2", H1, 58, 64),
           "ICMPv6 from P's IPv4-mapped address to the source")
    plen = int.from_bytes(raw[off + 4:off + 6], "big")
    icmp = raw[off + 40:off + 40 + plen]
    chk.eq((icmp[0], icmp[1], icmp[4]), (3, 0, 16), "type 3 code 0, RFC 4884 length 16")
    want = ft.inet_cksum(_pseudo6(raw[off:], plen) + icmp[:2] + b"\0\0" + icmp[4:])
    chk.eq(int.from_bytes(icmp[2:4], "big"), want, "ICMPv6 checksum")
    quote = f.ip[:128]
    quote = quote[:7] + bytes([1]) + quote[8:]   # hop limit as P got it
    chk.eq(icmp[8:8 + len(quote)], quote, "quotes the expired packet")
    ext = icmp[8 + 128:]
    chk.eq((ext[0] >> 4, ext[6], ext[7]), (2, 1, 1), "RFC 4950 label stack object")


def _pseudo6(ip, length):
    """IPv6 pseudo-header (RFC 8200 8.1) for an ICMPv6 message."""
    return ip[8:40] + length.to_bytes(4, "big") + b"\0\0\0" + bytes([58])


def check_p(chk, res, tr, flows, extra, php, lone):
    mode = "PHP" if php else "swap"
    out = ft.Outputs(res)
    frames = res.outputs["c2"]
    rows = L.tshark(chk, frames, "P %s capture" % mode, TSHARK6) or [{}] * len(frames)
    for f in flows:
        chk.set_group("P %s, %s" % (mode, f.cust))
        what = "P tag %d" % f.tag
        got = out.take(tag=f.tag)
        if not chk.eq([o.port for o in got], ["c2"], "%s: one copy toward PE2" % what):
            continue
        raw = got[0].raw
        chk.eq(ft.l2_split(raw)[:2], (L.PE2_Q2, L.P_C2), "%s: L2 header to PE2" % what)
        L.check_stack(chk, what, raw, f.p_stack(php), rows[got[0].idx])
        _, off = L.stack_of(raw)
        check_ip6(chk, what, f.ip, raw[off:], f.hlim - 1)
    chk.set_group("P %s: a lone label over IPv6" % mode)
    tag, ip = lone
    got = out.take(tag=tag)
    if chk.eq([o.port for o in got], ["c2"], "tag %d: one copy toward PE2" % tag):
        d, s, _, et, off = ft.l2_split(got[0].raw)
        if php:
            # RFC 3031 3.16: popped, IPv6 on with hop limit = label TTL - 1
            chk.eq((d, s, et), (L.PE2_Q2, L.P_C2, 0x86dd), "tag %d: IPv6 frame" % tag)
            check_ip6(chk, "tag %d" % tag, ip, got[0].raw[off:], 9)
            chk.eq(rows[got[0].idx].get("ipv6.hlim"), [9], "tag %d: tshark ipv6.hlim" % tag)
        else:
            L.check_stack(chk, "tag %d" % tag, got[0].raw, [(L.LSP_P_PE2, 0, 1, 9)])
    chk.set_group("P %s: hop limit 2 expires inside the LSP" % mode)
    # RFC 3032 2.3.2: an ICMPv6 time exceeded sent on along the LSP, from
    # the IPv4-mapped address of P's interface (P has no IPv6 address).
    got = out.take(tag=extra["hlim2"].tag)
    if chk.eq([o.port for o in got], ["c2"], "one ICMPv6 time exceeded on toward PE2"):
        L.check_stack(chk, "P's ICMPv6", got[0].raw,
                      [(L.VPN_A_AT_PE2, 0, 1, 254)] if php else
                      [(L.LSP_P_PE2, 0, 0, 254), (L.VPN_A_AT_PE2, 0, 1, 255)])
        check_p_icmp6(chk, got[0].raw, extra["hlim2"])
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"mpls_ttl_expired": 1})


def pe2_extra(tr_e, tags):
    """Frames into PE2 beside P's output (tags from @p tags)."""
    ex = {}
    core = (L.PE2_Q2, L.P_C2)
    tag = tags.tag()
    ex["null6"] = (tag, bytes(udp6(tag, H1, CORE6_NBR, 64, hlim=40)))
    tr_e.add("q2", L.labeled(*core, [(2, 0, 1, 10)], ex["null6"][1]))
    tag = tags.tag()
    ex["null6_vpn"] = (tag, bytes(udp6(tag, H1, H2, 64, hlim=40)))
    tr_e.add("q2", L.labeled(*core, [(2, 0, 0, 10), (L.VPN_A_AT_PE2, 0, 1, 10)],
                             ex["null6_vpn"][1]))
    tag = tags.tag()
    tr_e.add("q2", L.labeled(*core, [(2, 0, 1, 10)],
                             ft.ip_packet(tag, L.HOST1, L.HOST2, 64)))
    ex["null6_ip4"] = tag
    tag = tags.tag()
    tr_e.add("q2", L.labeled(*core, [(L.VPN_A_AT_PE2, 0, 1, 10)],
                             b"\x00" * 40 + ft.fill(tag, 40)))
    ex["bad_payload"] = tag
    tag = tags.tag()
    back = udp6(tag, H2, H1, 120)
    ex["back"] = (tag, bytes(back))
    tr_e.add("q0", ft.eth(L.PE2_Q0, L.CE_A2) / back)
    return ex


def check_pe2(chk, res, tr, flows, ex, php, lone):
    mode = "PHP" if php else "swap"
    out = ft.Outputs(res)
    for f in flows:
        chk.set_group("PE2 (P %s) disposes %s" % (mode, f.cust))
        port, dst, src = f.ce_port()
        got = out.take(tag=f.tag)
        what = "PE2 tag %d" % f.tag
        if not chk.eq([o.port for o in got], [port], "%s: one copy to its own CE" % what):
            continue
        d, s, vlan, et, off = ft.l2_split(got[0].raw)
        chk.eq((d, s, vlan, et), (dst, src, None, 0x86dd), "%s: L2 header" % what)
        check_ip6(chk, what, f.ip, got[0].raw[off:], f.ce_hlim(), f.ce_tclass())
    chk.set_group("PE2 (P %s): the lone label's IPv6 packet" % mode)
    got = out.take(tag=lone[0])
    if chk.eq([o.port for o in got], ["q3"], "to the 6PE host"):
        check_ip6(chk, "lone", lone[1], got[0].raw[ft.l2_split(got[0].raw)[4]:], 8)
    chk.set_group("PE2 (P %s): IPv6 explicit null (label 2)" % mode)
    tag, ip = ex["null6"]
    got = out.take(tag=tag)
    if chk.eq([o.port for o in got], ["q2"], "label 2 at the bottom: IPv6 routed "
              "in the core interface's VRF"):
        d, s, _, et, off = ft.l2_split(got[0].raw)
        chk.eq((d, s, et), (CORE6_MAC, L.PE2_Q2, 0x86dd), "to the core neighbour")
        check_ip6(chk, "label 2", ip, got[0].raw[off:], 9)
    tag, ip = ex["null6_vpn"]
    got = out.take(tag=tag)
    if chk.eq([o.port for o in got], ["q0"], "label 2 above the VPN label: to CE-A2"):
        check_ip6(chk, "label 2 + VPN", ip, got[0].raw[ft.l2_split(got[0].raw)[4]:], 9)
    chk.eq(out.take(tag=ex["null6_ip4"]), [], "label 2 over IPv4: dropped")
    chk.eq(out.take(tag=ex["bad_payload"]), [], "VPN label over neither: dropped")
    chk.set_group("PE2 (P %s): P's ICMPv6 goes back over the LSP" % mode)
    got = out.take(tag=ex["hlim2"])
    if chk.eq([o.port for o in got], ["q2"], "one labelled ICMPv6 error toward PE1"):
        st, _ = L.stack_of(got[0].raw)
        chk.eq([e[0] for e in st], [L.LSP_PE2_PE1, L.VPN_A_AT_PE1],
               "labels of the way back to PE1, customer A")
    chk.set_group("PE2 (P %s): 6VPE back toward PE1" % mode)
    tag, ip = ex["back"]
    got = out.take(tag=tag)
    if chk.eq([o.port for o in got], ["q2"], "tag %d: one copy to P" % tag):
        L.check_stack(chk, "tag %d" % tag, got[0].raw,
                      [(L.LSP_PE2_PE1, 0, 0, 63), (L.VPN_A_AT_PE1, 0, 1, 63)])
        _, off = L.stack_of(got[0].raw)
        check_ip6(chk, "tag %d" % tag, ip, got[0].raw[off:], 63)
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops={"mpls_bad_payload": 2})


def chain(binary, chk, tr1, res1, flows, extra, php):
    mode = "php" if php else "swap"
    tr_p = ft.Traffic(L.P_PORTS)
    for raw in res1.outputs["p2"]:
        tr_p.add("c1", raw)
    lone = p_extra(tr_p, tr1)
    template = L.p_template(php)
    try:
        res_p = ft.run_ferry(binary, template, tr_p, name="mpls6-p-" + mode)
    finally:
        os.unlink(template)
    if not res_p.check_run(chk):
        return
    check_p(chk, res_p, tr_p, flows, extra, php, lone)
    tr_e = ft.Traffic(PE2_PORTS)
    for raw in res_p.outputs["c2"]:
        tr_e.add("q2", raw)
    ex = pe2_extra(tr_e, tr1)
    ex["hlim2"] = extra["hlim2"].tag
    res_e = ft.run_ferry(binary, PE2_CFG, tr_e, name="mpls6-pe2-" + mode)
    if res_e.check_run(chk):
        check_pe2(chk, res_e, tr_e, flows, ex, php, lone)


def main():
    binary = ft.setup()
    chk = ft.Checks("mpls-6vpe")
    tr1, flows, extra = pe1_inputs()
    res1 = ft.run_ferry(binary, PE1_CFG, tr1, name="mpls6-pe1",
                        extra_cmds=["show ipv6 vpn-routes", "show ipv6 route vrf cust-a"] +
                        CLI_EDITS + ["show running-config"])
    if not res1.check_run(chk):
        return chk.summary()
    check_pe1(chk, res1, tr1, flows, extra)
    check_cli(chk, res1)
    chain(binary, chk, tr1, res1, flows, extra, False)
    chain(binary, chk, tr1, res1, flows, extra, True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
