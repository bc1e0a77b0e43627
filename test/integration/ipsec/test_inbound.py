#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/inbound: what ferry does with each kind of ESP from the peer,
packet by packet, with exact drop counts (AES-GCM-128, window 64).

Accepted once: in-order packets, a jump ahead, packets reordered within
the window (each only once), ESP in UDP 4500 (RFC 3948). Dropped, each
under its own reason: replays (esp_replay, also of a sequence number
with bit 5 set, which librte_ipsec 22.11's window let through), a packet left of the window
(esp_replay), an unknown SPI (esp_unknown_spi), a short packet
(esp_truncated), a payload that is not whole blocks (esp_bad_length), a
flipped ciphertext byte (esp_bad_icv), wrong padding bytes under a good
ICV (esp_bad_pad), a next header that is not IPv4 (esp_bad_next_header),
a NAT keepalive and an IKE packet on UDP 4500, and decrypted packets the
inbound SPD does not allow (ipsec_spd_discard, ipsec_spd_mismatch), and
cleartext from the peer's site on the unprotected side, which an inbound
protect rule says must arrive in ESP (ipsec_cleartext).

Usage: /usr/bin/python3 test_inbound.py FERRY_BINARY
"""

import struct
import sys

import ipsec_case as C
from ipsec_case import ft, IP, UDP

ALG = "aes-gcm-128"

# The inbound SPD: 10.2.9.0/24 is discarded, 10.2.8.0/24 belongs to
# another SA, the rest is this SA's.
SPD = ('{ direction = "in"; src = "10.2.9.0/24"; action = "discard"; },\n'
       '\t\t{ direction = "in"; src = "10.2.8.0/24"; action = "protect"; sa = 12289; },\n'
       '\t\t{ direction = "in"; action = "protect"; sa = %d; }' % C.SPI_IN)


def esp_raw(spi, seq, body):
    """An ESP packet with arbitrary bytes after SPI and sequence."""
    p = IP(src=C.PEER, dst=C.LOCAL, proto=50) / (struct.pack("!II", spi, seq) + body)
    return IP(bytes(p))


def with_padding(sa, pkt, seq, padding=None, nh=None):
    """Encrypt with scapy, replacing the padding bytes or next header
    before encryption (the ICV is then right)."""
    algo = sa.crypt_algo
    orig = algo.pad

    def bad_pad(esp):
        esp = orig(esp)
        if padding is not None:
            esp.padding = padding[:esp.padlen]
        if nh is not None:
            esp.nh = nh
        return esp

    algo.pad = bad_pad
    try:
        return C.peer_esp(sa, pkt, seq)
    finally:
        algo.pad = orig


def nat_t(pkt):
    """ESP in UDP 4500 with a correct UDP length (scapy 2.5 writes 8)."""
    raw = bytearray(bytes(IP(src=C.PEER, dst=C.LOCAL) / UDP(sport=4500, dport=4500)
                          / bytes(pkt[IP].payload)))
    struct.pack_into("!HH", raw, 24, len(raw) - 20, 0)
    p = IP(bytes(raw))
    del p.chksum
    return IP(bytes(p))


def build(tr, sa):
    """@return {name: tag or None} and the tags that must come out."""
    cases, ok = {}, []

    def add(name, pkt, tag=None, out=False):
        tr.add("p1", C.wan_frame(pkt))
        cases[name] = tag
        if out:
            ok.append(tag)

    def pkt_from(src=C.REMOTE_NET_HOST, size=100):
        tag = tr.tag()
        return tag, C.inner(tag, src=src, dst=C.HOST, size=size)

    for seq in (1, 2, 3, 4, 5):
        tag, p = pkt_from()
        add("in_order_%d" % seq, C.peer_esp(sa, p, seq), tag, out=True)
    tag, p = pkt_from()
    add("replay_3", C.peer_esp(sa, p, 3), tag)
    tag, p = pkt_from()
    add("jump_100", C.peer_esp(sa, p, 100), tag, out=True)
    tag, p = pkt_from()
    add("replay_100", C.peer_esp(sa, p, 100), tag)  # 100 & 63 >= 32
    tag, p = pkt_from()
    add("left_of_window_20", C.peer_esp(sa, p, 20), tag)
    for seq in (90, 80):
        tag, p = pkt_from()
        add("reordered_%d" % seq, C.peer_esp(sa, p, seq), tag, out=True)
    tag, p = pkt_from()
    add("reordered_90_again", C.peer_esp(sa, p, 90), tag)
    tag, p = pkt_from()
    other = C.scapy_sa(ALG, 0x7777, C.PEER, C.LOCAL)
    add("unknown_spi", C.peer_esp(other, p, 1), tag)
    add("truncated", esp_raw(C.SPI_IN, 101, b"\x00" * 12))
    add("not_whole_blocks", esp_raw(C.SPI_IN, 102, b"\x00" * (8 + 16 + 6)))
    tag, p = pkt_from()
    good = bytearray(bytes(C.peer_esp(sa, p, 103)))
    good[20 + 8 + 8 + 2] ^= 0x40  # a ciphertext byte
    add("bad_icv", IP(bytes(good)), tag)
    tag, p = pkt_from(size=100)  # 100 + 2 -> 2 bytes of padding
    add("bad_pad", with_padding(sa, p, 104, padding=b"\x07\x07"), tag)
    tag, p = pkt_from()
    add("bad_next_header", with_padding(sa, p, 105, nh=41), tag)
    tag, p = pkt_from()
    add("nat_t", nat_t(C.peer_esp(sa, p, 106)), tag, out=True)
    add("natt_keepalive", IP(bytes(IP(src=C.PEER, dst=C.LOCAL) /
                                 UDP(sport=4500, dport=4500) / b"\xff")))
    add("natt_ike", IP(bytes(IP(src=C.PEER, dst=C.LOCAL) / UDP(sport=4500, dport=4500)
                             / (b"\x00" * 4 + b"\x11" * 28))))
    tag, p = pkt_from(src="10.2.9.7")
    add("spd_discard", C.peer_esp(sa, p, 107), tag)
    tag, p = pkt_from(src="10.2.8.7")
    add("spd_other_sa", C.peer_esp(sa, p, 108), tag)
    # cleartext from the remote site on the unprotected side: must come
    # in ESP (RFC 4301 5.2), dropped before routing
    tag, p = pkt_from()
    add("cleartext", p, tag)
    return cases, ok


DROPS = {"esp_replay": 4, "esp_unknown_spi": 1, "esp_truncated": 1,
         "esp_bad_length": 1, "esp_bad_icv": 1, "esp_bad_pad": 1,
         "esp_bad_next_header": 1, "esp_natt_keepalive": 1, "esp_natt_ike": 1,
         "ipsec_spd_discard": 1, "ipsec_spd_mismatch": 1, "ipsec_cleartext": 1}


# An ACL on the unprotected interface (lib/classify's input feature) must
# not take its packets past the cleartext check: the same cases again.
WAN_ACL = """
acls = ( { name = "wan-in"; default = "permit"; interfaces = ( "wan" );
	rules = ( { proto = "tcp"; dport = "23"; action = "deny"; } ); } );
"""


def run_case(binary, chk, acl):
    tr = ft.Traffic(["p0", "p1"])
    sa = C.scapy_sa(ALG, C.SPI_IN, C.PEER, C.LOCAL)
    cases, ok = build(tr, sa)
    # a second inbound SA, 12289, for the SPD rule of 10.2.8.0/24
    extra = C.sa_cfg(12289, "in", ALG, "203.0.113.1", "203.0.113.9")
    tmpl = C.template(ALG, spd=SPD, extra_sas=[extra])
    if acl:
        with open(tmpl, "a") as f:
            f.write(WAN_ACL)
    try:
        res = ft.run_ferry(binary, tmpl, tr, extra_cmds=["show ipsec sa %d" % C.SPI_IN,
                                                          "show ipsec spd"])
    finally:
        C.os.unlink(tmpl)
    if not res.check_run(chk):
        return
    out = ft.Outputs(res)
    chk.set_group("accepted exactly once, in the inner VRF" +
                  (" (ACL on wan)" if acl else ""))
    for name, tag in cases.items():
        got = out.take(tag=tag) if tag is not None else []
        want = 1 if tag in ok else 0
        chk.eq(len(got), want, "%s: %d out" % (name, want))
        for o in got:
            chk.eq(o.port, "p0", "%s: out of the LAN port" % name)
    out.check_unclaimed(chk)
    res.check_counters(chk, tr, drops=DROPS)
    if acl:
        return
    chk.set_group("show ipsec sa / spd")
    text = res.extra["show ipsec sa %d" % C.SPI_IN]
    # the SA decrypted the two packets the SPD dropped afterwards too
    chk.ok("packets %d " % (len(ok) + 2) in text,
           "SA counts %d packets" % (len(ok) + 2), text)
    chk.ok("errors 7" in text, "SA counts 7 errors (replay, ICV, pad, "
           "next header)", text)
    chk.ok("replayed 4" in text, "SA counts 4 replays", text)
    chk.ok("bad icv 1" in text, "SA counts 1 bad ICV", text)
    chk.ok("highest seq 108" in text, "highest sequence number 108", text)
    # accepted near the top: 108 107 106 100 90 80 (bits 0 1 2 8 18 28)
    chk.ok("0x0000000010040107" in text, "window bitmap of the last 64", text)
    spd = res.extra["show ipsec spd"]
    chk.ok("discard" in spd and "hits 1" in spd, "SPD rules with hits", spd)


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-inbound")
    run_case(binary, chk, acl=False)
    run_case(binary, chk, acl=True)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
