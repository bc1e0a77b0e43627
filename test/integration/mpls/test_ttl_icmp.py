#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""mpls/ttl-icmp: traceroute through the "mpls" topology (issue 19 item
13). CE-A1 sends UDP probes to CE-A2 with IP TTL 1..4; the frames go
PE1 -> P -> PE2 and the answers come back PE2 -> P -> PE1 -> CE-A1, each
ferry run on the previous one's output.

  TTL 1: PE1 answers (192.168.101.1), as before;
  TTL 2: the label TTL expires at P. P answers with an ICMP time
         exceeded (RFC 3032 2.3.2) from 10.0.12.2 carrying the label
         stack it received as an RFC 4950 extension (RFC 4884 multipart,
         128-byte original datagram), and sends it on along the LSP with
         that stack: PE2 routes it back in cust-a;
  TTL 3: PE2 answers (192.168.102.1);
  TTL 4: the probe reaches CE-A2.

Checked with scapy (by hand for the extension) and tshark's ICMP
extension dissector (icmp.mpls.label). With penultimate hop popping at P
the answer goes on to PE2 under the VPN label alone.

Usage: /usr/bin/python3 test_ttl_icmp.py FERRY_BINARY
"""

import os
import struct
import subprocess
import sys
import tempfile

import l3vpn as L
from l3vpn import ft

P_ADDR = "10.0.12.2"        # P's address on the link to PE1
PE1_ADDR, PE2_ADDR = L.GW1, L.GW2
PROBE_SIZE = 100


def probes():
    tr = ft.Traffic(L.PE1_PORTS)
    tags = {}
    for ttl in (1, 2, 3, 4):
        tag = tr.tag()
        tr.add("p0", ft.eth(L.PE1_P0, L.CE_A1) /
               ft.IP(bytes(ft.ip_packet(tag, L.HOST1, L.HOST2, PROBE_SIZE, ttl=ttl))),
               tag=tag)
        tags[ttl] = tag
    return tr, tags


def run(binary, chk, template, port, frames, name):
    tr = ft.Traffic({"pe1": L.PE1_PORTS, "p": L.P_PORTS, "pe2": L.PE2_PORTS}[name.split("-")[0]])
    for raw in frames:
        tr.add(port, raw)
    res = ft.run_ferry(binary, template, tr, name="mpls-ttl-" + name)
    group = chk.group
    ok = res.check_run(chk)
    chk.set_group(group)
    return res if ok else None


def labeled(frames):
    return [f for f in frames if ft.l2_split(f)[3] == 0x8847]


def ext_of(icmp_bytes):
    """(version, checksum ok, class, c-type, [labels]) of the RFC 4884
    extension of an ICMP message with a 128-byte original datagram."""
    length = icmp_bytes[5]
    off = 8 + length * 4
    ext = icmp_bytes[off:]
    if len(ext) < 8:
        return None
    cks = len(ext) % 2 == 0 and sum(struct.unpack("!%dH" % (len(ext) // 2), ext)) % 0xffff == 0
    olen, cls, ctype = struct.unpack("!HBB", ext[4:8])
    labels = [(struct.unpack("!I", ext[8 + i:12 + i])[0] >> 12,
               struct.unpack("!I", ext[8 + i:12 + i])[0] & 0xff)
              for i in range(0, olen - 4, 4)]
    return ext[0] >> 4, cks, cls, ctype, labels


def tshark_labels(frames):
    fd, path = tempfile.mkstemp(prefix="ferry-mpls-icmp-", suffix=".pcap")
    os.close(fd)
    try:
        ft.write_pcap(path, frames)
        out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a",
                              "-E", "aggregator=,", "-e", "icmp.type", "-e",
                              "icmp.mpls.label", "-e", "icmp.ext.checksum.status"],
                             capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(path)
    return out.returncode, [l.split("\t") for l in out.stdout.splitlines()]


def check_p_answer(chk, frames, tag, want_stack, what):
    """The answer P sent toward PE2 for probe @p tag."""
    ans = []
    for raw in frames:
        st, off = L.stack_of(raw)
        ip = ft.IP(raw[off:])
        if ip.proto == 1 and ip[ft.ICMP].type == 11:
            ans.append((st, ip, raw[off:]))
    if not chk.eq(len(ans), 1, "%s: P sent one ICMP time exceeded on along the LSP" % what):
        return None
    st, ip, raw_ip = ans[0]
    chk.eq([(l, s, t) for l, _, s, t in st], want_stack,
           "%s: it carries the received stack, swapped on, TTL 255 less P's hop" % what)
    icmp = bytes(ip[ft.ICMP])
    chk.eq((ip.src, ip.dst, ip.ttl), (P_ADDR, L.HOST1, 64),
           "%s: from P's address to the probe's source, TTL 64" % what)
    chk.eq((icmp[0], icmp[1], icmp[5]), (11, 0, 32),
           "%s: time exceeded in transit, original datagram of 32 words (RFC 4884)" % what)
    quoted = ft.IP(icmp[8:8 + 128])
    chk.eq((quoted.id, quoted.src, quoted.dst), (tag & 0xffff, L.HOST1, L.HOST2),
           "%s: quotes the probe" % what)
    ext = ext_of(icmp)
    chk.eq(ext, (2, True, 1, 1, [(L.LSP_PE1_PE2, 1), (L.VPN_A_AT_PE2, 1)]),
           "%s: RFC 4950 extension: version 2, checksum, class 1 type 1, "
           "the stack as received (label, TTL)" % what)
    chk.ok(ft.ip_cksum_ok(raw_ip[:20])[0], "%s: IP header checksum" % what)
    return raw_ip


def main():
    binary = ft.setup()
    chk = ft.Checks("mpls-ttl-icmp")
    tr1, tags = probes()
    res1 = ft.run_ferry(binary, L.PE1_CFG, tr1, name="mpls-ttl-pe1")
    if not res1.check_run(chk):
        return chk.summary()
    chk.set_group("PE1")
    to_core = labeled(res1.outputs["p2"])
    chk.eq(len(to_core), 3, "probes with TTL 2..4 go into the LSP")
    hop1 = [f for f in res1.outputs["p0"] if ft.ICMP in ft.Ether(f)]
    chk.eq([ft.Ether(f)[ft.IP].src for f in hop1], [PE1_ADDR], "TTL 1: PE1 answers")

    for php in (False, True):
        mode = "php" if php else "swap"
        chk.set_group("P (%s)" % mode)
        template = L.p_template(php)
        try:
            res_p = run(binary, chk, template, "c1", to_core, "p-" + mode)
        finally:
            os.unlink(template)
        if res_p is None:
            continue
        out = res_p.outputs["c2"]
        want = ([(L.VPN_A_AT_PE2, 1, 254)] if php else
                [(L.LSP_P_PE2, 0, 254), (L.VPN_A_AT_PE2, 1, 255)])
        check_p_answer(chk, out, tags[2], want, mode)
        rc, rows = tshark_labels([f for f in out if ft.ICMP in ft.Ether(f)])
        chk.eq(rc, 0, "%s: tshark reads P's output" % mode)
        chk.eq(rows, [["11", "%d,%d" % (L.LSP_PE1_PE2, L.VPN_A_AT_PE2), "1"]],
               "%s: tshark: ICMP type 11, icmp.mpls.label, extension checksum good" % mode)
        chk.eq(res_p.counters.drops.get("mpls_ttl_expired", 0) if res_p.counters else None,
               1, "%s: the expired probe is counted as mpls_ttl_expired" % mode)
        if php:
            continue

        chk.set_group("PE2")
        res_e = run(binary, chk, L.PE2_CFG, "q2", out, "pe2")
        if res_e is None:
            continue
        reached = [f for f in res_e.outputs["q0"] if ft.UDP in ft.Ether(f)]
        chk.eq([ft.Ether(f)[ft.IP].id for f in reached], [tags[4]], "TTL 4 reaches CE-A2")
        back = labeled(res_e.outputs["q2"])
        chk.eq(len(back), 2, "P's and PE2's answers go back into the LSP to PE1")

        chk.set_group("back through P and PE1")
        template = L.p_template(False)
        try:
            res_b = run(binary, chk, template, "c2", back, "p-back")
        finally:
            os.unlink(template)
        if res_b is None:
            continue
        res_1 = run(binary, chk, L.PE1_CFG, "p2", res_b.outputs["c1"], "pe1-back")
        if res_1 is None:
            continue
        got = {}
        for f in res_1.outputs["p0"]:
            p = ft.Ether(f)
            if ft.ICMP in p and p[ft.ICMP].type == 11 and p.dst == L.CE_A1:
                got[bytes(p[ft.ICMP])[8:8 + 20][4:6]] = p[ft.IP].src
        hops = [got.get(struct.pack("!H", tags[t] & 0xffff)) for t in (2, 3)]
        chk.eq(hops, [P_ADDR, PE2_ADDR],
               "traceroute: hop 2 is P, hop 3 is PE2 (answers at CE-A1)")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
