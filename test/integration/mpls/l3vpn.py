# SPDX-License-Identifier: BSD-3-Clause
"""Addresses of the "mpls" topology (pe1.cfg.in, p.cfg.in, pe2.cfg.in in
this folder) and the helpers its tests share: running one ferry of the
chain, reading label stacks by hand, with scapy's scapy.contrib.mpls and
with tshark's MPLS dissector, and checking the IPv4 packet under them.

    CE-A1 -p0-+                               +-q0- CE-A2
              PE1 -p2--c1- P -c2--q2- PE2
    CE-B1 -p1-+                               +-q1- CE-B2

Customers A and B use the same addresses on both sides
(192.168.101.0/24 at PE1, 192.168.102.0/24 at PE2); only the VPN label
(A 2001/1001, B 2002/1002) tells them apart in the core. The transport
LSP is 16002 -> 24002 (PE1 -> PE2) and 16001 -> 24001 back.
"""

import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ferrytest as ft  # noqa: E402  (path set just above)

PE1_CFG = os.path.join(HERE, "pe1.cfg.in")
P_CFG = os.path.join(HERE, "p.cfg.in")
PE2_CFG = os.path.join(HERE, "pe2.cfg.in")
PE1_PORTS = ["p0", "p1", "p2", "p3"]
P_PORTS = ["c1", "c2"]
PE2_PORTS = ["q0", "q1", "q2"]

# ferry's MACs
PE1_P0, PE1_P1, PE1_P2, PE1_P3 = ("02:00:00:00:01:10", "02:00:00:00:01:11",
                                  "02:00:00:00:01:12", "02:00:00:00:01:13")
P_C1, P_C2 = "02:00:00:00:02:21", "02:00:00:00:02:22"
PE2_Q0, PE2_Q1, PE2_Q2 = "02:00:00:00:03:10", "02:00:00:00:03:11", "02:00:00:00:03:12"
# customer hosts
CE_A1, CE_B1 = "02:00:00:00:0a:01", "02:00:00:00:0b:01"
CE_A2, CE_B2 = "02:00:00:00:0a:02", "02:00:00:00:0b:02"
HOST1, HOST2 = "192.168.101.10", "192.168.102.20"
GW1, GW2 = "192.168.101.1", "192.168.102.1"
BCAST = "ff:ff:ff:ff:ff:ff"

LSP_PE1_PE2, LSP_P_PE2 = 16002, 24002    # transport, in and out of P
LSP_PE2_PE1, LSP_P_PE1 = 16001, 24001
VPN_A_AT_PE2, VPN_B_AT_PE2 = 2001, 2002
VPN_A_AT_PE1, VPN_B_AT_PE1 = 1001, 1002
CORE_MTU = 1400                          # PE1's core interface

P_SWAP = ('{ label = 16002; action = "swap"; out_labels = "24002"; '
          'interface = "to-pe2"; via = "10.0.23.2"; }')
P_PHP = ('{ label = 16002; action = "pop"; interface = "to-pe2"; '
         'via = "10.0.23.2"; }')


def p_template(php):
    """p.cfg.in with the LFIB entry of 16002: swap, or pop (PHP)."""
    with open(P_CFG) as f:
        text = f.read().replace("@LFIB_16002@", P_PHP if php else P_SWAP)
    fd, path = tempfile.mkstemp(prefix="ferry-mpls-p-", suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def lse(label, tc=0, s=1, ttl=64):
    """A label stack entry, every field given (scapy's MPLS() would
    default to label 3, TTL 0)."""
    return struct.pack("!I", label << 12 | tc << 9 | s << 8 | ttl)


def labeled(dst, src, stack, payload):
    """Ethernet + label stack [(label, tc, s, ttl)] + payload bytes."""
    raw = bytes(ft.Ether(dst=dst, src=src, type=0x8847))
    return raw + b"".join(lse(*e) for e in stack) + bytes(payload)


def stack_of(raw):
    """([(label, tc, s, ttl)], offset of the payload) read by hand."""
    _, _, _, et, off = ft.l2_split(raw)
    stack = []
    while et == 0x8847 and off + 4 <= len(raw):
        w = struct.unpack("!I", raw[off:off + 4])[0]
        off += 4
        stack.append((w >> 12, w >> 9 & 7, w >> 8 & 1, w & 0xff))
        if w & 0x100:
            break
    return stack, off


def scapy_stack(raw):
    """The same read by scapy.contrib.mpls, and scapy's IP under it."""
    p = ft.Ether(raw)
    stack, layer = [], p.getlayer(ft.MPLS)
    while layer is not None:
        stack.append((layer.label, layer.cos, layer.s, layer.ttl))
        layer = layer.payload if isinstance(layer.payload, ft.MPLS) else None
    return stack, p.getlayer(ft.IP)


TSHARK_FIELDS = ["mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl", "ip.ttl",
                 "ip.dsfield.dscp", "eth.dst"]


TEXT_FIELDS = ("eth.dst", "ipv6.dst", "ipv6.src")


def _number(v):
    try:
        return int(v, 0)
    except ValueError:
        return int(v, 10)


def tshark(chk, frames, what, fields=None):
    """Per frame, {field: [values]} from tshark's dissectors (None if
    tshark is missing, which fails the check); @p fields defaults to
    TSHARK_FIELDS."""
    fields = fields or TSHARK_FIELDS
    fd, path = tempfile.mkstemp(prefix="ferry-mpls-", suffix=".pcap")
    os.close(fd)
    try:
        ft.write_pcap(path, frames)
        cmd = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a",
               "-E", "aggregator=,", "-E", "separator=/t"]
        for f in fields:
            cmd += ["-e", f]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            chk.fail("%s: tshark could not run: %s (scripts/install-deps.sh installs it)"
                     % (what, e))
            return None
    finally:
        os.unlink(path)
    if not chk.eq(out.returncode, 0, "%s: tshark exit status" % what, out.stderr):
        return None
    rows = []
    for line in out.stdout.splitlines():
        cells = line.split("\t")
        rows.append({f: [v if f in TEXT_FIELDS else _number(v) for v in c.split(",") if v]
                     for f, c in zip(fields, cells)})
    chk.eq(len(rows), len(frames), "%s: tshark read every frame" % what)
    return rows


def check_stack(chk, what, raw, want, dissected=None):
    """The label stack of @p raw is @p want [(label, tc, s, ttl)], read by
    hand, by scapy and (when given) by tshark's row for the frame."""
    got, _ = stack_of(raw)
    chk.eq(got, want, "%s: label stack (label, tc, s, ttl)" % what)
    sc, _ = scapy_stack(raw)
    chk.eq(sc, want, "%s: label stack as scapy.contrib.mpls reads it" % what)
    if dissected is None:
        return
    for i, field in enumerate(["mpls.label", "mpls.exp", "mpls.bottom", "mpls.ttl"]):
        chk.eq(dissected.get(field, []), [e[i] for e in want],
               "%s: tshark %s" % (what, field))


def check_inner_ip(chk, what, inp_ip, out_ip, ttl, tos=None):
    """The IPv4 packet under the labels (or the frame) is the input's with
    TTL @p ttl (and TOS @p tos), a valid checksum, the rest unchanged."""
    ihl = (inp_ip[0] & 0x0f) * 4
    tot = struct.unpack("!H", inp_ip[2:4])[0]
    if not chk.ok(len(out_ip) >= tot, "%s: holds the whole IP packet (%d of %d bytes)"
                  % (what, len(out_ip), tot)):
        return
    chk.eq(out_ip[8], ttl, "%s: IP TTL" % what)
    chk.eq(out_ip[1], inp_ip[1] if tos is None else tos, "%s: IP TOS" % what)
    keep = [(0, 1), (2, 8), (9, 10), (12, ihl)]
    chk.ok(all(out_ip[a:b] == inp_ip[a:b] for a, b in keep),
           "%s: IP header fields other than TTL/TOS/checksum unchanged" % what,
           "in  %s\nout %s" % (inp_ip[:ihl].hex(), out_ip[:ihl].hex()))
    ok, field, want = ft.ip_cksum_ok(out_ip[:ihl])
    chk.ok(ok, "%s: IP header checksum 0x%04x (recomputed 0x%04x)" % (what, field, want))
    chk.ok(out_ip[ihl:tot] == inp_ip[ihl:tot], "%s: L4 header and payload intact" % what)


def ip_of(raw):
    """IPv4 bytes of a plain (unlabeled) Ethernet frame."""
    _, _, _, _, off = ft.l2_split(raw)
    return raw[off:]


