#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/ipv6: ESP tunnels with IPv6 inside and outside (gw6.cfg.in),
against scapy's SecurityAssociation and tshark's ESP decryption.

Three tunnels to one peer: A carries IPv6 in IPv4 (routes6 into an SA
with inner = "ipv6"), B IPv4 in IPv6 (local6/remote6), C IPv6 in IPv6.

Outbound: clear packets from the LAN leave the WAN port as ESP with the
right outer header (family, addresses, next header 50, TTL / hop limit
64, traffic class copied, flow label 0) that scapy decrypts with its ICV
check to the exact inner packet (hop limit or TTL - 1) and tshark
decrypts with esp.icv_good. A packet with hop limit 1 is answered with
ICMPv6 time exceeded, not encrypted.
Inbound: scapy's ESP of each tunnel (also with a destination options
header before ESP) is decrypted by ferry to the exact inner packet on
the LAN port. Malformed ESP in IPv6 is dropped under its exact reason:
short (esp_truncated), unknown SPI, an IPv4-outer SA's SPI sent over
IPv6 (esp_unknown_spi: the SAD key holds the address family), a flipped
ciphertext byte (esp_bad_icv), IPv4 inside an SA carrying IPv6
(esp_bad_next_header), a fragment (ip6_fragment_local) and a decrypted
IPv6 packet to a multicast group (ip6_multicast).

Usage: /usr/bin/python3 test_ipv6.py FERRY_BINARY [ALGORITHM...]
"""

import os
import shutil
import struct
import sys
import tempfile

import ipsec_case as C
from ipsec_case import ft, IP

from scapy.layers.inet6 import (IPv6, IPv6ExtHdrDestOpt,  # noqa: E402
                                IPv6ExtHdrFragment, ICMPv6TimeExceeded)
from scapy.layers.inet import UDP  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation  # noqa: E402

HOST6, PEER6, LOCAL6 = "2001:db8:1::10", "2001:db8:f::2", "2001:db8:f::1"
NET_A, NET_B, NET_C = "2001:db8:2::5", "10.3.0.5", "2001:db8:3::5"
# (name, out SPI, in SPI, outer family, inner family)
TUNNELS = [("A", 0x3001, 0x4001, 4, 6), ("B", 0x5001, 0x6001, 6, 4),
           ("C", 0x7001, 0x8001, 6, 6)]
SIZES = [80, 333, 1300]


def sa_row(spi, direction, alg, outer, inner):
    """One element of ipsec.sas (ipsec_case.sa_cfg with IPv6 keys)."""
    extra = {"inner": "ipv6"} if inner == 6 else {}
    if outer == 4:
        return C.sa_cfg(spi, direction, alg, C.LOCAL, C.PEER, **extra)
    row = C.sa_cfg(spi, direction, alg, "L", "R", **extra)
    return row.replace('local = "L"', 'local6 = "%s"' % LOCAL6).replace(
        'remote = "R"', 'remote6 = "%s"' % PEER6)


def template(alg):
    with open(ft.here(__file__, "gw6.cfg.in")) as f:
        text = f.read()
    rows = []
    for _, so, si, outer, inner in TUNNELS:
        rows += [sa_row(so, "out", alg, outer, inner),
                 sa_row(si, "in", alg, outer, inner)]
    text = text.replace("@SAS@", ",\n\t\t".join(rows))
    for name, so, _, _, _ in TUNNELS:
        text = text.replace("@%s_OUT@" % name, str(so))
    fd, path = tempfile.mkstemp(prefix="ferry-ipsec6-", suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def scapy_sa(alg, spi, outer, towards_peer):
    """scapy's SA with an IPv4 or IPv6 tunnel header."""
    crypt, key, salt, auth, akey, _, _ = C.ALGS[alg]
    if outer == 4:
        src, dst = (C.LOCAL, C.PEER) if towards_peer else (C.PEER, C.LOCAL)
        hdr = IP(src=src, dst=dst)
    else:
        src, dst = (LOCAL6, PEER6) if towards_peer else (PEER6, LOCAL6)
        hdr = IPv6(src=src, dst=dst)
    kw = dict(crypt_algo=crypt, crypt_key=key + salt, tunnel_header=hdr)
    if auth:
        kw.update(auth_algo=auth, auth_key=akey)
    return SecurityAssociation(ESP, spi=spi, **kw)


def inner6(tag, src, dst, size, hlim=64, tc=0):
    """An IPv6/UDP packet of @p size bytes carrying the tag's marker."""
    hdr = IPv6(src=src, dst=dst, hlim=hlim, tc=tc, fl=0) / UDP(
        sport=40000 + tag % 1000, dport=5001)
    return IPv6(bytes(hdr / ft.fill(tag, size - len(hdr))))


def clear(tag, tunnel, size, towards_peer=True, **kw):
    """A clear packet of @p tunnel's inner family, tagged."""
    name = tunnel[0]
    if towards_peer:
        if name == "B":
            return C.inner(tag, dst=NET_B, size=size, tos=kw.get("tc", 0))
        return inner6(tag, HOST6, NET_A if name == "A" else NET_C, size, **kw)
    if name == "B":
        return C.inner(tag, src=NET_B, dst=C.HOST, size=size)
    return inner6(tag, NET_A if name == "A" else NET_C, HOST6, size, **kw)


def minus_one(p):
    """@p p as ferry forwards it: TTL or hop limit one less."""
    if p.haslayer(IPv6):
        q = IPv6(bytes(p))
        q.hlim -= 1
        return bytes(q)
    q = p.copy()
    q.ttl -= 1
    del q.chksum
    return bytes(IP(bytes(q)))


def build(alg, tr):
    """Inputs; @return sent outbound {spi: {tag: pkt}}, sent inbound
    {tag: pkt}, and the tags of the hop-limit-1 packet."""
    out, inb = {t[1]: {} for t in TUNNELS}, {}
    for t in TUNNELS:
        for i, size in enumerate(SIZES):
            tag = tr.tag()
            p = clear(tag, t, size, tc=0x28 if i % 2 else 0)
            tr.add("p0", C.lan_frame(p), tag=tag)
            out[t[1]][tag] = p
    hl1 = tr.tag()
    tr.add("p0", C.lan_frame(inner6(hl1, HOST6, NET_C, 100, hlim=1)), tag=hl1)
    for t in TUNNELS:
        sa = scapy_sa(alg, t[2], t[3], towards_peer=False)
        for i, size in enumerate(SIZES):
            tag = tr.tag()
            p = clear(tag, t, size, towards_peer=False)
            tr.add("p1", C.wan_frame(C.peer_esp(sa, p, i + 1)))
            inb[tag] = p
    # C again, with a destination options header before ESP
    sa = scapy_sa(alg, 0x8001, 6, towards_peer=False)
    tag = tr.tag()
    p = clear(tag, TUNNELS[2], 200, towards_peer=False)
    esp = C.peer_esp(sa, p, 10)
    tr.add("p1", C.wan_frame(with_dstopts(esp)))
    inb[tag] = p
    return out, inb, hl1


def with_dstopts(esp6):
    """@p esp6 (IPv6 / ESP) with a destination options header between."""
    outer = IPv6(bytes(esp6))
    body = bytes(outer.payload)
    return IPv6(src=outer.src, dst=outer.dst, hlim=outer.hlim) / \
        IPv6ExtHdrDestOpt(nh=50) / ESP(body)


def esp6_raw(spi, seq, body, dst=LOCAL6):
    """ESP in IPv6 with arbitrary bytes after SPI and sequence."""
    return IPv6(bytes(IPv6(src=PEER6, dst=dst, nh=50) /
                      (struct.pack("!II", spi, seq) + body)))


def build_bad(alg, tr):
    """Malformed ESP in IPv6, one each; @return the expected drops."""
    sa = scapy_sa(alg, 0x8001, 6, towards_peer=False)

    def add(pkt):
        tr.add("p1", C.wan_frame(pkt))

    def pkt(size=100, dst=HOST6):
        return inner6(tr.tag(), NET_C, dst, size)

    add(esp6_raw(0x8001, 50, b"\x00" * 12))
    add(C.peer_esp(scapy_sa(alg, 0x7777, 6, False), pkt(), 51))
    a_sa = scapy_sa(alg, 0x4001, 6, towards_peer=False)  # A's SPI over v6
    add(C.peer_esp(a_sa, pkt(), 52))
    bad = bytearray(bytes(C.peer_esp(sa, pkt(), 53)))
    bad[40 + 8 + 8 + 2] ^= 0x40
    add(IPv6(bytes(bad)))
    add(C.peer_esp(sa, C.inner(tr.tag(), src=NET_B, dst=C.HOST, size=100), 54))
    frag = IPv6(src=PEER6, dst=LOCAL6) / IPv6ExtHdrFragment(nh=50, m=1, id=9) / \
        (struct.pack("!II", 0x8001, 55) + b"\x00" * 64)
    add(frag)
    add(C.peer_esp(sa, pkt(dst="ff0e::1"), 56))
    return {"esp_truncated": 1, "esp_unknown_spi": 2, "esp_bad_icv": 1,
            "esp_bad_next_header": 1, "ip6_fragment_local": 1,
            "ip6_multicast": 1}


def run_alg(binary, chk, alg):
    tr = ft.Traffic(["p0", "p1"])
    out, inb, hl1 = build(alg, tr)
    drops = build_bad(alg, tr)
    drops["ip6_hop_limit"] = 1
    tmpl = template(alg)
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-ipv6-" + alg,
                           extra_cmds=["show ipsec sa", "show ipv6 route vrf cust"])
    finally:
        os.unlink(tmpl)
    if not res.check_run(chk):
        return
    outs = ft.Outputs(res)
    check_outbound(chk, alg, outs, out)
    check_hop_limit(chk, outs, hl1)
    check_inbound(chk, alg, outs, inb)
    outs.check_unclaimed(chk)
    res.check_counters(chk, tr, drops=drops)
    chk.set_group(alg + ": show")
    sa_text = res.extra.get("show ipsec sa", "")
    chk.ok("%s -> %s" % (LOCAL6, PEER6) in sa_text and " ipv6" in sa_text,
           "show ipsec sa gives IPv6 ends and the inner family", sa_text)
    rt = res.extra.get("show ipv6 route vrf cust", "")
    chk.ok("2001:db8:2::/48" in rt and "ipsec sa %d" % 0x3001 in rt,
           "show ipv6 route shows the route into the SA", rt)


def check_outer(chk, what, eth, outer, spi_tunnel, want):
    """The outer header of @p spi_tunnel's packet of clear @p want."""
    chk.eq((eth.dst, eth.src), (C.PEER_MAC, C.P1_MAC), what + ": Ethernet to the peer")
    tc = want.tc if want.haslayer(IPv6) else want.tos
    if spi_tunnel[3] == 4:
        chk.eq((outer.src, outer.dst, outer.proto, outer.ttl),
               (C.LOCAL, C.PEER, 50, 64), what + ": outer IPv4 ESP, TTL 64")
        chk.ok(ft.ip_cksum_ok(bytes(outer)[:20]), what + ": outer header checksum")
        chk.eq(outer.tos, tc, what + ": outer DSCP copied")
        if want.haslayer(IPv6):
            chk.eq(int(outer.flags), 2, what + ": DF for an IPv6 inner")
    else:
        chk.eq((outer.src, outer.dst, outer.nh, outer.hlim, outer.fl),
               (LOCAL6, PEER6, 50, 64, 0),
               what + ": outer IPv6 ESP, hop limit 64, flow label 0")
        chk.eq(outer.tc, tc, what + ": outer traffic class copied")
        chk.eq(outer.plen, len(bytes(outer)) - 40, what + ": payload length")


def check_outbound(chk, alg, outs, sent):
    chk.set_group(alg + ": outbound, scapy decrypts")
    frames = [o for o in outs.take(pred=lambda o: o.port == "p1")]
    by_spi = {}
    for o in frames:
        eth = C.Ether(o.raw)
        outer = eth[IPv6] if eth.haslayer(IPv6) else eth[IP]
        spi = struct.unpack("!I", bytes(outer.payload)[:4])[0]
        by_spi.setdefault(spi, []).append((eth, outer))
    for t in TUNNELS:
        got = by_spi.pop(t[1], [])
        chk.eq(len(got), len(SIZES), "%s: one ESP frame per clear packet" % t[0])
        sa = scapy_sa(alg, t[1], t[3], towards_peer=True)
        seqs = []
        for eth, outer in got:
            seqs.append(struct.unpack("!I", bytes(outer.payload)[4:8])[0])
            try:
                dec = sa.decrypt(outer.__class__(bytes(outer)))
            except Exception as e:  # scapy raises on a bad ICV
                chk.fail("%s: scapy decrypts and verifies" % t[0], repr(e))
                continue
            m = ft.MARKER_RE.search(bytes(dec))
            want = sent[t[1]].get(int(m.group(1))) if m else None
            if not chk.ok(want is not None, "%s: a packet that was sent" % t[0]):
                continue
            check_outer(chk, t[0], eth, outer, t, want)
            chk.eq(bytes(dec), minus_one(want),
                   "%s: inner packet exact, hop limit / TTL - 1" % t[0])
        chk.eq(sorted(seqs), list(range(1, len(SIZES) + 1)),
               "%s: sequence numbers 1..N" % t[0])
    chk.eq(list(by_spi), [], "no ESP of another SPI")
    tshark_outbound(chk, alg, frames)


def tshark_outbound(chk, alg, frames):
    if C.ALGS[alg][5] is None:
        print("note: tshark 4.0 has no %s for ESP; scapy is the peer" % alg)
        return
    chk.set_group(alg + ": outbound, tshark decrypts")
    if shutil.which("tshark") is None:
        chk.fail("tshark is installed")
        return
    rows = []
    for _, so, _, outer, _ in TUNNELS:
        fam, src, dst = ("IPv4", C.LOCAL, C.PEER) if outer == 4 else \
            ("IPv6", LOCAL6, PEER6)
        row = C.tshark_row(alg, so, src, dst)
        row[0:3] = [fam, src, dst]
        rows.append(row)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "wan.pcap")
        ft.write_pcap(path, [o.raw for o in frames])
        got, err = C.tshark_check(path, rows, ("ip.dst", "ipv6.dst"))
    chk.eq(len(got), len(frames), "tshark sees every ESP packet", err)
    inner_dsts = {NET_A: 0, NET_B: 0, NET_C: 0}
    for good, dsts in got:
        chk.eq(good, "1", "tshark: esp.icv_good", err)
        for d in inner_dsts:
            inner_dsts[d] += d in dsts
    for d, n in inner_dsts.items():
        chk.eq(n, len(SIZES), "tshark decrypts to inner destination %s" % d)


def check_hop_limit(chk, outs, tag):
    chk.set_group("hop limit 1 into a tunnel")
    got = outs.take(pred=lambda o: o.port == "p0" and C.Ether(o.raw).haslayer(
        ICMPv6TimeExceeded))
    chk.eq(len(got), 1, "ICMPv6 time exceeded back to the host, not ESP")
    for o in got:
        chk.ok(ft.marker(tag) in o.raw, "it quotes the packet")


def check_inbound(chk, alg, outs, sent):
    chk.set_group(alg + ": inbound, scapy's ESP decrypted by ferry")
    for tag, want in sent.items():
        got = outs.take(tag=tag)
        if not chk.eq(len(got), 1, "tag %d: one clear frame" % tag):
            continue
        o = got[0]
        eth = C.Ether(o.raw)
        chk.eq((o.port, eth.dst, eth.src), ("p0", C.HOST_MAC, C.P0_MAC),
               "tag %d: to the host on the LAN port" % tag)
        chk.eq(bytes(eth.payload), minus_one(want),
               "tag %d: exact inner packet, hop limit / TTL - 1" % tag)


def main():
    binary = ft.setup()
    if shutil.which("tshark") is None:
        ft.skip("tshark is not installed (apt-get install tshark)")
    algs = sys.argv[2:] or ["aes-gcm-128", "aes-cbc-128-sha256"]
    chk = ft.Checks("ipsec-ipv6")
    for alg in algs:
        run_alg(binary, chk, alg)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
