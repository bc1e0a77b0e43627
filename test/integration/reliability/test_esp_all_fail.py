#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""reliability/esp-all-fail: bursts of inbound ESP in which every packet
of one SA fails, for every algorithm ferry has (a superset of the
examples' aes-gcm-128), each SA beside the others in one ferry:

- a run of packets whose ICV is wrong (last ICV byte flipped), and one
  in which the first ciphertext byte is flipped (esp_bad_icv);
- a run of good packets, then the same sequence numbers again, with a
  packet of another SA between so that they are a run of their own
  (esp_replay: every packet of the run is refused before the cipher);
- a run with a next header that is not IPv4 (esp_bad_next_header) and
  one with wrong padding bytes under a good ICV (esp_bad_pad);
- mixed bursts: the SAs interleaved packet by packet, good and failing.

Before the fix, the decrypt node declared a variable-length array of
length 0 when no packet of a run survived to the window update
(lib/ipsec/ipsec_priv.h); UBSan reports that. Checks: the exact drop
count per reason, each good packet out exactly once, every mbuf back
(counters balance), and no sanitizer report on ferry's stderr (the
test is run on the ASan+UBSan build by scripts/test.sh).

Usage: /usr/bin/python3 test_esp_all_fail.py FERRY_BINARY
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "ipsec"))
import ipsec_case as C  # noqa: E402
from ipsec_case import ft, IP  # noqa: E402

RUN = 16          # packets per run of one SA
SPI_BASE = 0x3000  # inbound SA of algorithm i: SPI_BASE + i
SANITIZER_MARKS = ("runtime error:", "ERROR: AddressSanitizer",
                   "ERROR: LeakSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")


def with_trailer(sa, pkt, seq, nh=None, bad_pad=False):
    """Encrypt with scapy after changing the next header or the padding
    bytes (the ICV covers them: it is right). None if there is no
    padding to spoil."""
    algo = sa.crypt_algo
    orig = algo.pad
    seen = {}

    def spoil(esp):
        esp = orig(esp)
        seen["padlen"] = esp.padlen
        if bad_pad:
            esp.padding = b"\x07" * esp.padlen
        if nh is not None:
            esp.nh = nh
        return esp

    algo.pad = spoil
    try:
        out = C.peer_esp(sa, pkt, seq)
    finally:
        algo.pad = orig
    if bad_pad and seen.get("padlen", 0) == 0:
        return None
    return out


def flip(pkt, offset):
    """@p pkt with the byte at @p offset (negative: from the end) flipped."""
    raw = bytearray(bytes(pkt))
    raw[offset] ^= 0x01
    return IP(bytes(raw))


class Corpus:
    def __init__(self):
        self.tr = ft.Traffic(["p0", "p1"])
        self.drops = {}
        self.good = []     # tags that must come out of p0

    def inner(self, size=101):
        tag = self.tr.tag()
        return tag, C.inner(tag, src=C.REMOTE_NET_HOST, dst=C.HOST, size=size)

    def send(self, pkt, tag, reason=None):
        self.tr.add("p1", C.wan_frame(pkt), tag)
        if reason is None:
            self.good.append(tag)
        else:
            self.drops[reason] = self.drops.get(reason, 0) + 1


def all_fail_runs(c, sas, sep_sa):
    """For each SA: runs in which every packet fails; @p sep_sa gives a
    good packet between two runs of the same SA (its sequence numbers
    from 1000 up)."""
    sep = iter(range(1000, 100000))

    def separator():
        tag, p = c.inner()
        c.send(C.peer_esp(sep_sa, p, next(sep)), tag)

    for sa in sas:
        for seq in range(1, RUN + 1):           # accepted
            tag, p = c.inner()
            c.send(C.peer_esp(sa, p, seq), tag)
        separator()
        for seq in range(1, RUN + 1):           # the same again: replays
            tag, p = c.inner()
            c.send(C.peer_esp(sa, p, seq), tag, "esp_replay")
        separator()
        for seq in range(RUN + 1, 2 * RUN + 1):  # ICV byte flipped
            tag, p = c.inner()
            c.send(flip(C.peer_esp(sa, p, seq), -1), tag, "esp_bad_icv")
        separator()
        for seq in range(RUN + 1, 2 * RUN + 1):  # a ciphertext byte flipped
            tag, p = c.inner()
            c.send(flip(C.peer_esp(sa, p, seq), 20 + 8 + 16), tag, "esp_bad_icv")
        separator()
        for seq in range(RUN + 1, 2 * RUN + 1):  # next header 41, 59
            tag, p = c.inner()
            c.send(with_trailer(sa, p, seq, nh=41 if seq & 1 else 59), tag,
                   "esp_bad_next_header")
        separator()
        for seq in range(RUN + 1, 2 * RUN + 1):  # padding 7, 7, ...
            tag, p = c.inner()
            bad = with_trailer(sa, p, seq, bad_pad=True)
            if bad is not None:
                c.send(bad, tag, "esp_bad_pad")
        separator()


def mixed_bursts(c, sas):
    """The SAs interleaved packet by packet: each run is one packet, good
    or failing in each way, then every SA's run of the next round."""
    kinds = ("good", "icv", "replay", "nh", "good", "icv")
    for rnd in range(len(kinds)):
        for i, sa in enumerate(sas):
            kind = kinds[(rnd + i) % len(kinds)]
            seq = 3 * RUN + rnd + 1
            tag, p = c.inner()
            if kind == "good":
                c.send(C.peer_esp(sa, p, seq), tag)
            elif kind == "icv":
                c.send(flip(C.peer_esp(sa, p, seq), -1), tag, "esp_bad_icv")
            elif kind == "replay":  # accepted in all_fail_runs()
                c.send(C.peer_esp(sa, p, 1), tag, "esp_replay")
            else:
                c.send(with_trailer(sa, p, seq, nh=17), tag, "esp_bad_next_header")


def main():
    binary = ft.setup()
    chk = ft.Checks("reliability-esp-all-fail")
    algs = sorted(C.ALGS)
    spis = [SPI_BASE + i for i in range(len(algs))]
    sas = [C.scapy_sa(a, s, C.PEER, C.LOCAL) for a, s in zip(algs, spis)]
    sep_sa = C.scapy_sa(algs[0], C.SPI_IN, C.PEER, C.LOCAL)
    c = Corpus()
    all_fail_runs(c, sas, sep_sa)
    mixed_bursts(c, sas)
    extra = [C.sa_cfg(s, "in", a, C.LOCAL, C.PEER, replay_window=1024)
             for a, s in zip(algs, spis)]
    tmpl = C.template(algs[0], extra_sas=extra)
    try:
        res = ft.run_ferry(binary, tmpl, c.tr)
    finally:
        os.unlink(tmpl)
    chk.set_group("sanitizers")
    marks = [l for l in res.stderr.splitlines()
             if any(m in l for m in SANITIZER_MARKS)]
    chk.ok(not marks, "no sanitizer report on ferry's stderr",
           "\n".join(marks[:20]))
    if not res.check_run(chk):
        sys.exit(chk.summary())
    out = ft.Outputs(res)
    chk.set_group("good packets out once, failing ones never")
    good = set(c.good)
    for tag in c.tr.by_tag:
        got = out.take(tag=tag)
        want = 1 if tag in good else 0
        if len(got) != want:
            chk.fail("tag %d: %d out, expected %d" % (tag, len(got), want))
    chk.ok(True, "%d good packets checked" % len(c.good))
    out.check_unclaimed(chk)
    res.check_counters(chk, c.tr, drops=c.drops)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
