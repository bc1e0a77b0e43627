#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/interop: for every algorithm, ferry against two ESP
implementations nobody here wrote.

Outbound: clear packets from the LAN leave the WAN port as ESP that
scapy's SecurityAssociation decrypts (ICV checked) to the inner packet
with its TTL decremented, and that tshark decrypts with its ICV check
(esp.icv_good). Inbound: ESP made by scapy is decrypted by ferry to the
exact inner packet (TTL decremented) on the LAN port.

Usage: /usr/bin/python3 test_interop.py FERRY_BINARY [ALGORITHM...]
"""

import os
import shutil
import sys
import tempfile

import ipsec_case as C
from ipsec_case import ft, IP

N = 6  # packets each way per algorithm, of several sizes
SIZES = [60, 61, 100, 333, 1000, 1400]


def run_alg(binary, chk, alg):
    tr = ft.Traffic(["p0", "p1"])
    peer_in = C.scapy_sa(alg, C.SPI_IN, C.PEER, C.LOCAL)
    sent_out, sent_in = {}, {}
    for i in range(N):
        tag = tr.tag()
        p = C.inner(tag, size=SIZES[i], tos=0x28 if i % 2 else 0, df=i % 3 == 0)
        tr.add("p0", C.lan_frame(p), tag=tag)
        sent_out[tag] = p
    for i in range(N):
        tag = tr.tag()
        p = C.inner(tag, src=C.REMOTE_NET_HOST, dst=C.HOST, size=SIZES[i])
        tr.add("p1", C.wan_frame(C.peer_esp(peer_in, p, i + 1)))
        sent_in[tag] = p
    tmpl = C.template(alg)
    try:
        res = ft.run_ferry(binary, tmpl, tr, name="ipsec-interop-" + alg,
                           extra_cmds=["show ipsec sa"])
    finally:
        os.unlink(tmpl)
    if not res.check_run(chk):
        return
    check_outbound(chk, alg, res, sent_out)
    check_inbound(chk, alg, res, sent_in)
    sa_text = res.extra.get("show ipsec sa", "")
    chk.set_group(alg + ": show ipsec sa")
    chk.ok("packets %d" % N in sa_text, "both SAs count %d packets" % N, sa_text)
    _, key, _, _, akey, _, _ = C.ALGS[alg]
    for k in (key, akey):
        if k:
            chk.ok(k.hex() not in sa_text.lower(), "no key in the output")


def check_outbound(chk, alg, res, sent):
    chk.set_group(alg + ": outbound, scapy decrypts")
    sa = C.scapy_sa(alg, C.SPI_OUT, C.LOCAL, C.PEER)
    frames = res.outputs.get("p1", [])
    chk.eq(len(frames), N, "one ESP frame per clear packet on the WAN port")
    seqs = []
    for raw in frames:
        eth = C.Ether(raw)
        outer = eth[IP]
        chk.eq((eth.dst, eth.src), (C.PEER_MAC, C.P1_MAC), "Ethernet to the peer")
        chk.eq((outer.src, outer.dst, outer.proto), (C.LOCAL, C.PEER, 50),
               "outer IPv4 is ESP from the local to the remote end")
        chk.ok(ft.ip_cksum_ok(bytes(outer)[:20]), "outer header checksum")
        esp = outer.payload
        seqs.append(esp.seq)
        try:
            dec = sa.decrypt(IP(bytes(outer)))
        except Exception as e:  # scapy raises on a bad ICV
            chk.fail("scapy decrypts and verifies seq %d" % esp.seq, repr(e))
            continue
        want = sent.get(dec.id)
        if not chk.ok(want is not None, "decrypted packet is one that was sent"):
            continue
        exp = want.copy()
        exp.ttl -= 1
        del exp.chksum
        chk.eq(bytes(dec), bytes(IP(bytes(exp))), "inner packet exact, TTL - 1")
        chk.eq(outer.tos, want.tos, "outer DSCP copied from the inner one")
        chk.eq(int(outer.flags), int(want.flags), "outer DF copied from the inner one")
    chk.eq(sorted(seqs), list(range(1, N + 1)), "sequence numbers 1..N, once each")
    tshark_outbound(chk, alg, frames)


def tshark_outbound(chk, alg, frames):
    if C.ALGS[alg][5] is None:
        print("note: tshark 4.0's ESP dissector has no %s; scapy is the only "
              "independent peer for it" % alg)
        return
    chk.set_group(alg + ": outbound, tshark decrypts")
    if shutil.which("tshark") is None:
        chk.fail("tshark is installed")
        return
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "wan.pcap")
        ft.write_pcap(path, frames)
        got, err = C.tshark_check(path, [C.tshark_row(alg, C.SPI_OUT, C.LOCAL, C.PEER)])
    chk.eq(len(got), N, "tshark sees every ESP packet", err)
    for good, dsts in got:
        chk.eq(good, "1", "tshark: esp.icv_good", err)
        chk.ok(C.REMOTE_NET_HOST in dsts, "tshark decrypts to the inner destination",
               str(dsts))


def check_inbound(chk, alg, res, sent):
    chk.set_group(alg + ": inbound, scapy's ESP decrypted by ferry")
    frames = res.outputs.get("p0", [])
    chk.eq(len(frames), N, "one clear frame per ESP packet on the LAN port")
    for raw in frames:
        eth = C.Ether(raw)
        chk.eq((eth.dst, eth.src), (C.HOST_MAC, C.P0_MAC), "Ethernet to the host")
        got = eth[IP]
        want = sent.get(got.id)
        if not chk.ok(want is not None, "an inner packet that was sent"):
            continue
        exp = want.copy()
        exp.ttl -= 1
        del exp.chksum
        chk.eq(bytes(got), bytes(IP(bytes(exp))), "exact inner packet, TTL - 1")


def main():
    binary = ft.setup()
    algs = sys.argv[2:] or list(C.ALGS)
    chk = ft.Checks("ipsec-interop")
    for alg in algs:
        run_alg(binary, chk, alg)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
