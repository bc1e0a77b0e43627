#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/outbound: SA settings and limits on the way out.

Run 1 (AES-CBC-128 + HMAC-SHA1, NAT-T): ESP in UDP 4500 with a correct
UDP length and a zero checksum (RFC 3948 2.1), outer DSCP set to 46 with
the inner ECN kept, DF set, outer TTL 33; hard lifetime 5 packets: of 8
packets exactly 5 leave, all decryptable by scapy, 3 are dropped as
sa_expired and none leaves in clear; soft lifetime 3 packets: the SA
shows soft- then hard-expired and the management lcore logs both.

Run 2 (AES-GCM-256): sequence numbers start at 2^32-3 without ESN, so 2
packets leave (2^32-3, 2^32-2: librte_ipsec keeps 2^32-1 unused) and the rest are dropped as
sa_seq_overflow, never sent in clear; the outbound SPD discards
10.2.9.0/24 (ipsec_spd_discard) and moves 10.2.8.0/24 to another SA.

Run 3 (AES-GCM-128, ESN): sequence numbers go on past 2^32 and scapy
verifies each packet with the right high 32 bits; scapy's ESN packets
are decrypted.

Usage: /usr/bin/python3 test_outbound.py FERRY_BINARY
"""

import struct
import sys

import ipsec_case as C
from ipsec_case import ft, IP, UDP


def run1(binary, chk):
    alg = "aes-cbc-128-sha1"
    tr = ft.Traffic(["p0", "p1"])
    sent = {}
    for i in range(8):
        tag = tr.tag()
        p = C.inner(tag, size=120, tos=0x02, df=False)
        tr.add("p0", C.lan_frame(p), tag=tag)
        sent[tag] = p
    out_extra = {"nat_t": True, "dscp": "set", "dscp_value": 46, "df": "set",
                 "ttl": 33, "lifetime": "{ soft_packets = 3; hard_packets = 5; }"}
    tmpl = C.template(alg, out_extra=out_extra)
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-outbound-1",
                           extra_cmds=["show ipsec sa %d" % C.SPI_OUT])
    finally:
        C.os.unlink(tmpl)
    if not res.check_run(chk):
        return
    chk.set_group("run 1: NAT-T, outer header, hard limit 5")
    frames = res.outputs.get("p1", [])
    chk.eq(len(frames), 5, "exactly 5 packets leave (hard_packets = 5)")
    sa = C.scapy_sa(alg, C.SPI_OUT, C.LOCAL, C.PEER)
    for raw in frames:
        outer = C.Ether(raw)[IP]
        chk.eq(outer.proto, 17, "ESP in UDP")
        udp = outer[UDP]
        chk.eq((udp.sport, udp.dport), (4500, 4500), "UDP ports 4500")
        chk.eq(udp.len, outer.len - 20, "UDP length covers the ESP packet")
        chk.eq(udp.chksum, 0, "UDP checksum 0 (RFC 3948 2.1)")
        chk.eq(outer.tos, 46 << 2 | 0x02, "outer DSCP 46, inner ECN kept")
        chk.eq(int(outer.flags), 2, "DF set")
        chk.eq(outer.ttl, 33, "outer TTL 33")
        chk.ok(ft.ip_cksum_ok(bytes(outer)[:20]), "outer header checksum")
        esp = IP(bytes(IP(src=outer.src, dst=outer.dst, proto=50)
                       / bytes(udp.payload)))
        try:
            dec = sa.decrypt(esp)
            chk.ok(dec.id in sent, "scapy decrypts it to a packet that was sent")
        except Exception as e:
            chk.fail("scapy decrypts it", repr(e))
    res.check_counters(chk, tr, drops={"sa_expired": 3})
    chk.set_group("run 1: state and log")
    text = res.extra["show ipsec sa %d" % C.SPI_OUT]
    chk.ok("state hard-expired" in text, "show ipsec sa: hard-expired", text)
    chk.ok("soft expiries 1" in text, "show ipsec sa: one soft expiry", text)
    log = res.stdout + res.stderr
    chk.ok("SA %d out: soft-expired" % C.SPI_OUT in log or
           "SA %d out: hard-expired" % C.SPI_OUT in log,
           "the management lcore logs the expiry", log[-2000:])


def run2(binary, chk):
    alg = "aes-gcm-256"
    tr = ft.Traffic(["p0", "p1"])
    tags = {"main": [], "discard": [], "other": []}
    for i in range(4):
        tag = tr.tag()
        tr.add("p0", C.lan_frame(C.inner(tag)), tag=tag)
        tags["main"].append(tag)
    for dst, kind in (("10.2.9.1", "discard"), ("10.2.8.1", "other")):
        tag = tr.tag()
        tr.add("p0", C.lan_frame(C.inner(tag, dst=dst)), tag=tag)
        tags[kind].append(tag)
    spd = ('{ direction = "out"; dst = "10.2.9.0/24"; action = "discard"; },\n'
           '\t\t{ direction = "out"; dst = "10.2.8.0/24"; action = "protect"; sa = 4098; }')
    extra = C.sa_cfg(4098, "out", alg, C.LOCAL, C.PEER)
    tmpl = C.template(alg, out_extra={"seq_start": 4294967293}, spd=spd,
                      extra_sas=[extra])
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-outbound-2",
                           extra_cmds=["show ipsec sa %d" % C.SPI_OUT])
    finally:
        C.os.unlink(tmpl)
    if not res.check_run(chk):
        return
    chk.set_group("run 2: sequence overflow, outbound SPD")
    frames = [C.Ether(r)[IP] for r in res.outputs.get("p1", [])]
    by_spi = {}
    for f in frames:
        spi, seq = struct.unpack("!II", bytes(f.payload)[:8])
        by_spi.setdefault(spi, []).append(seq)
    # librte_ipsec starts at seq_start and never sends 2^32-1 itself
    chk.eq(sorted(by_spi.get(C.SPI_OUT, [])), [4294967293, 4294967294],
           "sequence numbers up to 2^32-2, then nothing")
    chk.eq(by_spi.get(4098), [1], "10.2.8.0/24 goes into SA 4098")
    chk.eq(len(frames), 3, "nothing else leaves (no clear text)")
    res.check_counters(chk, tr, drops={"sa_seq_overflow": 2, "ipsec_spd_discard": 1})
    text = res.extra["show ipsec sa %d" % C.SPI_OUT]
    chk.ok("state seq-overflow" in text, "show ipsec sa: seq-overflow", text)


def run3(binary, chk):
    """ESN (RFC 4304) with AES-GCM, whose AAD carries the 64-bit number
    (RFC 4106 5): out across 2^32, in from scapy. (scapy 2.5 leaves the
    high bits out of HMAC ICVs, so it cannot check ESN with CBC+HMAC.)"""
    alg = "aes-gcm-128"
    tr = ft.Traffic(["p0", "p1"])
    sent, sent_in = {}, {}
    for i in range(4):
        tag = tr.tag()
        p = C.inner(tag)
        tr.add("p0", C.lan_frame(p), tag=tag)
        sent[tag] = p
    peer = C.scapy_sa(alg, C.SPI_IN, C.PEER, C.LOCAL, esn=True)
    for seq in (1, 2, 3):
        tag = tr.tag()
        p = C.inner(tag, src=C.REMOTE_NET_HOST, dst=C.HOST)
        tr.add("p1", C.wan_frame(C.peer_esp(peer, p, seq)), tag=tag)
        sent_in[tag] = p
    tmpl = C.template(alg, out_extra={"esn": True, "seq_start": 4294967294},
                      in_extra={"esn": True})
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-outbound-3")
    finally:
        C.os.unlink(tmpl)
    if not res.check_run(chk):
        return
    chk.set_group("run 3: ESN across 2^32, both ways")
    frames = [C.Ether(r)[IP] for r in res.outputs.get("p1", [])]
    chk.eq(len(frames), 4, "4 packets leave: ESN does not stop at 2^32")
    got = []
    for f in frames:
        low = struct.unpack("!I", bytes(f.payload)[4:8])[0]
        high = 0 if low >= 4294967294 else 1
        got.append(high << 32 | low)
        sa = C.scapy_sa(alg, C.SPI_OUT, C.LOCAL, C.PEER, esn=True)
        sa.esn = high
        try:
            dec = sa.decrypt(IP(bytes(f)))
            chk.ok(dec.id in sent, "scapy verifies the ICV with high bits %d" % high)
        except Exception as e:
            chk.fail("scapy verifies the ICV with high bits %d" % high, repr(e))
    chk.eq(sorted(got), [4294967294, 4294967295, 4294967296, 4294967297],
           "64-bit sequence numbers continue past 2^32")
    back = [C.Ether(r)[IP] for r in res.outputs.get("p0", [])]
    chk.eq(sorted(p.id for p in back), sorted(t & 0xffff for t in sent_in),
           "scapy's ESN packets are decrypted")
    res.check_counters(chk, tr, drops={})


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-outbound")
    run1(binary, chk)
    run2(binary, chk)
    run3(binary, chk)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
