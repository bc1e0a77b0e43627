#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/ipv6: the IPv6 SPD (ipsec.spd6) on the tunnels of gw6.cfg.in
(A: IPv6 in IPv4, C: IPv6 in IPv6), with scapy's SecurityAssociation as
the peer.

Outbound, in order: a discard rule for one host of A's routed prefix
(dropped as ipsec_spd_discard, never in clear), a protect rule that
sends a /64 of A's prefix into SA C instead (scapy decrypts it with C's
SA, IPv6 outer), a discard rule for UDP port 9999 towards C's prefix
(port 5001 still goes into C). Traffic no rule selects goes by its
route's SA.
Inbound, decrypted packets: a discard rule (ipsec_spd_discard), a bypass
rule (decrypted traffic must match a protect rule of its tunnel:
ipsec_spd_mismatch, as for IPv4), protect rules per tunnel; A's SA
carrying a source of C's prefix is ipsec_spd_mismatch. `show ipsec
spd6` counts the hits.

Then the CLI: IPv6 SAs (local6/remote6, inner ipv6), routes6 and spd6
rules added live, refused with exact errors when wrong; `write` and a
restart from the written file give the same running config byte for
byte.

Usage: /usr/bin/python3 test_spd6.py FERRY_BINARY
"""

import os
import re
import sys
import tempfile

import ipsec_case as C
from ipsec_case import ft
import test_ipv6 as V

from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.inet import UDP  # noqa: E402

ALG = "aes-gcm-128"
A_OUT, A_IN, C_OUT, C_IN = 0x3001, 0x4001, 0x7001, 0x8001
TUN_A, TUN_C = V.TUNNELS[0], V.TUNNELS[2]

SPD6 = """
	spd6 = (
		{ direction = "out"; dst = "2001:db8:2::66/128"; action = "discard"; },
		{ direction = "out"; dst = "2001:db8:2:1::/64"; action = "protect"; sa = %d; },
		{ direction = "out"; dst = "2001:db8:3::/48"; proto = 17; dport = "9999";
		  action = "discard"; },
		{ direction = "in"; src = "2001:db8:3::dead/128"; action = "discard"; },
		{ direction = "in"; src = "2001:db8:9::/48"; action = "bypass"; },
		{ direction = "in"; src = "2001:db8:2::/48"; action = "protect"; sa = %d; },
		{ direction = "in"; src = "2001:db8:3::/48"; dst = "2001:db8:1::/64";
		  proto = 17; action = "protect"; sa = %d; }
	);
""" % (C_OUT, A_IN, C_IN)


def template():
    """gw6.cfg.in with its SAs and routes, and the spd6 above."""
    path = V.template(ALG)
    with open(path) as f:
        text = f.read()
    text = text.replace("\n};\n\nworkers", SPD6 + "};\n\nworkers", 1)
    with open(path, "w") as f:
        f.write(text)
    return path


def udp6(tag, src, dst, dport=5001, size=120):
    hdr = IPv6(src=src, dst=dst, hlim=64, fl=0) / UDP(sport=40000, dport=dport)
    return IPv6(bytes(hdr / ft.fill(tag, size - len(hdr))))


def build(tr):
    """@return {spi: {tag: clear}} expected out, {tag: clear} expected
    in, the drops."""
    out = {A_OUT: {}, C_OUT: {}}

    def lan(pkt, spi=None):
        tr.add("p0", C.lan_frame(pkt), tag=pkt_tag[0])
        if spi is not None:
            out[spi][pkt_tag[0]] = pkt

    pkt_tag = [0]
    for dst, dport, spi in (("2001:db8:2::5", 5001, A_OUT),     # route: A
                            ("2001:db8:2::66", 5001, None),     # discard
                            ("2001:db8:2:1::5", 5001, C_OUT),   # protect: C
                            ("2001:db8:3::5", 9999, None),      # port discard
                            ("2001:db8:3::5", 5001, C_OUT)):    # route: C
        pkt_tag[0] = tr.tag()
        lan(udp6(pkt_tag[0], V.HOST6, dst, dport), spi)
    inb = {}
    sa_a = V.scapy_sa(ALG, A_IN, 4, towards_peer=False)
    sa_c = V.scapy_sa(ALG, C_IN, 6, towards_peer=False)
    for seq, (sa, src, ok) in enumerate(
            ((sa_a, "2001:db8:2::5", True),       # protect, tunnel A
             (sa_c, "2001:db8:3::5", True),       # protect, tunnel C
             (sa_a, "2001:db8:3::5", False),      # C's rule via A: mismatch
             (sa_c, "2001:db8:3::dead", False),   # discard
             (sa_c, "2001:db8:9::5", False)),     # bypass: mismatch
            start=1):
        tag = tr.tag()
        p = udp6(tag, src, V.HOST6)
        tr.add("p1", C.wan_frame(C.peer_esp(sa, p, seq)))
        if ok:
            inb[tag] = p
    return out, inb, {"ipsec_spd_discard": 3, "ipsec_spd_mismatch": 2}


def check_outbound(chk, outs, sent):
    chk.set_group("outbound: SPD chooses, scapy decrypts")
    frames = outs.take(pred=lambda o: o.port == "p1")
    got = {A_OUT: [], C_OUT: []}
    for o in frames:
        eth = C.Ether(o.raw)
        outer = eth[IPv6] if eth.haslayer(IPv6) else eth[C.IP]
        spi = int.from_bytes(bytes(outer.payload)[:4], "big")
        chk.ok(spi in got, "ESP of a known SPI (%#x)" % spi)
        got.setdefault(spi, []).append(outer)
    for spi, tun in ((A_OUT, TUN_A), (C_OUT, TUN_C)):
        sa = V.scapy_sa(ALG, spi, tun[3], towards_peer=True)
        chk.eq(len(got[spi]), len(sent[spi]), "SA %#x: one ESP packet per "
               "clear packet its route or rule chose" % spi)
        for outer in got[spi]:
            try:
                dec = sa.decrypt(outer.__class__(bytes(outer)))
            except Exception as e:  # scapy raises on a bad ICV
                chk.fail("SA %#x: scapy decrypts and verifies" % spi, repr(e))
                continue
            m = ft.MARKER_RE.search(bytes(dec))
            want = sent[spi].get(int(m.group(1))) if m else None
            if chk.ok(want is not None, "SA %#x: carries a packet meant for "
                      "it" % spi, repr(dec)):
                chk.eq(bytes(dec), V.minus_one(want),
                       "SA %#x: exact inner packet, hop limit - 1" % spi)


def check_inbound(chk, outs, sent):
    chk.set_group("inbound: decrypted IPv6 checked against spd6")
    for tag, want in sent.items():
        got = outs.take(tag=tag)
        if chk.eq(len(got), 1, "tag %d: delivered once" % tag):
            chk.eq(bytes(C.Ether(got[0].raw).payload), V.minus_one(want),
                   "tag %d: exact inner packet" % tag)


def check_show(chk, text):
    chk.set_group("show ipsec spd6")
    rows = [ln for ln in text.splitlines() if re.match(r"^\d+ ", ln)]
    chk.eq(len(rows), 7, "seven rules", text)
    hits = [int(ln.rsplit("hits", 1)[1]) for ln in rows]
    # out: discard 1, protect 1, port discard 1; in: discard 1, bypass 1,
    # protect A 1 (+ C's source via A matches C's rule: 1), protect C 1
    chk.eq(hits, [1, 1, 1, 1, 1, 1, 2], "hits per rule", text)
    chk.ok("2001:db8:2::66/128" in text and "sa %d" % C_OUT in text,
           "prefixes and SAs shown", text)


def run_traffic(binary, chk):
    tr = ft.Traffic(["p0", "p1"])
    out, inb, drops = build(tr)
    tmpl = template()
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-spd6",
                           extra_cmds=["show ipsec spd6"])
    finally:
        os.unlink(tmpl)
    if not res.check_run(chk):
        return
    outs = ft.Outputs(res)
    check_outbound(chk, outs, out)
    check_inbound(chk, outs, inb)
    outs.check_unclaimed(chk)
    res.check_counters(chk, tr, drops=drops)
    check_show(chk, res.extra.get("show ipsec spd6", ""))


# --- the CLI ---------------------------------------------------------------

SA4 = 0x1101  # an outbound SA carrying IPv4
KEY = C.KEY16.hex()
SALT = C.SALT.hex()
GOOD = [
    "ipsec sa add 40961 out local6 2001:db8:f::1 remote6 2001:db8:f::3 "
    "algorithm aes-gcm-128 key %s salt %s inner-vrf cust inner ipv6" % (KEY, SALT),
    "ipsec sa add 40962 in local6 2001:db8:f::1 remote6 2001:db8:f::3 "
    "algorithm aes-gcm-128 key %s salt %s inner-vrf cust inner ipv6" % (KEY, SALT),
    "ipsec sa add 40963 out local 203.0.113.1 remote 203.0.113.3 "
    "algorithm aes-gcm-128 key %s salt %s inner-vrf cust inner ipv6" % (KEY, SALT),
    "ipsec route6 add cust 2001:db8:4::/48 sa 40961",
    "ipsec route6 add cust 2001:db8:5::/48 sa 40963",
    "ipsec spd6 add in protect sa 40962 src 2001:db8:4::/48 proto udp "
    "dport 5000-5999",
    "ipsec spd6 add out discard dst 2001:db8:4::99/128 position 0",
    "ipsec spd6 add out protect sa 40963 src 2001:db8:1::/64 dst 2001:db8:4:1::/64",
]
# line, what the answer must say
BAD = [
    ("ipsec spd6 add out protect sa %d" % SA4 + " dst 2001:db8:4::/48",
     "the SA carries IPv4 and spd6 rules select IPv6"),
    ("ipsec spd6 add in protect sa 999999 src 2001:db8:4::/48",
     "no SA with this SPI in the rule's direction"),
    ("ipsec spd6 add out bypass dst 2001:db8:4::/48", "no clear path"),
    ("ipsec spd6 add in protect sa 40962 sport 9-1", '"9-1"'),
    ("ipsec spd6 del 99", "no IPv6 SPD rule 99"),
    ("ipsec route6 add cust 2001:db8:6::/48 sa %d" % SA4 + "",
     'an IPv6 route needs an SA with inner = "ipv6"'),
    ("ipsec route6 del cust 2001:db8:7::/48",
     "no IPsec route 2001:db8:7::/48 in VRF cust"),
    ("ipsec sa add 40964 out local6 2001:db8:f::1 remote6 2001:db8:f::1 "
     "algorithm aes-gcm-128 key %s salt %s" % (KEY, SALT),
     "a tunnel has two different ends"),
    ("ipsec sa del 40961 out", "delete those first"),
]


def live_template():
    """gw6 with its SAs and routes, ports that never receive."""
    path = V.template(ALG)
    with open(path) as f:
        text = f.read()
    os.unlink(path)
    text = re.sub(r'device = "net_pcap0,[^"]*"', 'device = "net_null0,no-rx=1"', text)
    text = re.sub(r'device = "net_pcap1,[^"]*"', 'device = "net_null1,no-rx=1"', text)
    # and an outbound SA carrying IPv4, for the refusals
    return text.replace("sas = ( ", "sas = ( " + C.sa_cfg(
        SA4, "out", ALG, C.LOCAL, C.PEER) + ",\n\t\t", 1)


def run_cli(binary, chk):
    chk.set_group("CLI: IPv6 SAs, routes6, spd6")
    fd, tmpl = tempfile.mkstemp(suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(live_template())
    try:
        work, cfg, _ = ft.live_case(tmpl, [], "spd6-cli")
    finally:
        os.unlink(tmpl)
    saved = os.path.join(work, "saved.cfg")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        for line in GOOD:
            out = cli.cmd(line)
            chk.ok("%" not in out, "accepted: " + line, out)
        before = cli.cmd("show running-config")
        for line, want in BAD:
            out = cli.cmd(line)
            chk.ok("%" in out and want in out, "refused: " + line, out)
        chk.eq(cli.cmd("show running-config"), before,
               "refused changes leave the running config as it was")
        spd = cli.cmd("show ipsec spd6")
        rows = [ln for ln in spd.splitlines() if re.match(r"^\d+ ", ln)]
        chk.eq([r.split()[1] + " " + r.split()[7] for r in rows],
               ["out discard", "in protect", "out protect"],
               "show ipsec spd6: rules in order (position 0 first)", spd)
        route = cli.cmd("show ipv6 route vrf cust")
        chk.ok("2001:db8:4::/48" in route and "ipsec sa 40961" in route,
               "the route6 is in the VRF's IPv6 FIB", route)
        running = cli.cmd("show running-config")
        for want in ("spd6 = (", 'dst = "2001:db8:4::99/128"',
                     'local6 = "2001:db8:f::1"', 'inner = "ipv6"',
                     'prefix = "2001:db8:5::/48"', 'dport = "5000-5999"'):
            chk.ok(want in running, "running config has " + want, running)
        out = cli.cmd("write " + saved)
        chk.ok("written" in out and os.path.exists(saved), "write saved the file", out)
        cli.close()
    finally:
        ferry.stop()
    ferry = ft.Running(binary, saved)
    try:
        cli = ferry.cli()
        chk.eq(cli.cmd("show running-config"), running,
               "restarted from the written file: the same running config")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-spd6")
    run_traffic(binary, chk)
    run_cli(binary, chk)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
