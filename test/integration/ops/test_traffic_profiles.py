#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The traffic profiles for real NICs cannot run here (no NIC, no TRex,
no pktgen-dpdk), but what can be checked is: the TRex profiles compile,
and gen_hw_pcaps.py writes the captures they and the pktgen scripts
replay, as tshark dissects them: MPLS [24001 | 1001 S], ESP SPI 8193
that decrypts with the ipsec-gw example's inbound key, VXLAN flags 0x08
with VNIs 42 and 5001, and the HTB guide's classes A:B:C = 3:1:6 that
qos.cfg's ACL tells apart."""
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

ROOT = ft.here(__file__, "..", "..", "..")
TRAFFIC = os.path.join(ROOT, "scripts", "traffic")


def fields(path, *names):
    p = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields",
                        "-E", "separator=/t"] + sum((["-e", n] for n in names), []),
                       capture_output=True, text=True, timeout=60)
    return [tuple(l.split("\t")) for l in p.stdout.splitlines()]


def main():
    ft.setup()
    ops.need_tool("tshark")
    chk = ft.Checks("ops-traffic-profiles")
    chk.set_group("TRex profiles compile")
    tdir = os.path.join(TRAFFIC, "trex")
    for f in sorted(os.listdir(tdir)):
        if f.endswith(".py"):
            try:
                with open(os.path.join(tdir, f)) as src:
                    compile(src.read(), f, "exec")
                chk.ok(True, f)
            except SyntaxError as e:
                chk.fail(f, str(e))
    chk.set_group("pktgen scripts present")
    for job in ("l3vpn", "ipsec", "vxlan", "qos"):
        chk.ok(os.path.isfile(os.path.join(TRAFFIC, "pktgen", "ferry_%s.lua" % job)),
               "ferry_%s.lua" % job)
    out = tempfile.mkdtemp(prefix="ferry-hwpcap-")
    try:
        p = subprocess.run([sys.executable, os.path.join(TRAFFIC, "gen_hw_pcaps.py"),
                            "--out", out, "--count", "30", "--size", "100"],
                           capture_output=True, text=True, timeout=120)
        chk.set_group("gen_hw_pcaps.py")
        chk.eq(p.returncode, 0, "exit status", p.stderr[-1500:])
        mpls = fields(out + "/l3vpn_core.pcap", "mpls.label", "mpls.bottom")
        chk.eq(set(mpls), {("24001,1001", "0,1")}, "MPLS stacks")
        vx = fields(out + "/vxlan_fabric.pcap", "vxlan.flags", "vxlan.vni", "udp.dstport")
        chk.eq(sorted(set((f, v, d.split(",")[0]) for f, v, d in vx)),
               [("0x0800", "42", "4789"), ("0x0800", "5001", "4789")],
               "VXLAN headers: flags I only, VNIs, outer port 4789")
        def htb_class(src, dport):  # qos.cfg's ACL: the HTB guide's filters
            if src == "192.168.101.12":
                return "A" if dport == "80" else "B"
            return "C"
        mix = Counter(htb_class(*f) for f in fields(out + "/qos_mix.pcap", "ip.src",
                                                     "udp.dstport"))
        chk.eq(dict(mix), {"A": 9, "B": 3, "C": 18}, "HTB classes 3:1:6 in 30 packets")
        esp = fields(out + "/ipsec_esp.pcap", "esp.spi", "esp.sequence")
        chk.eq([e[1] for e in esp], [str(i) for i in range(1, 31)], "ESP sequence numbers")
        chk.ok(all(e[0] == "0x00002001" for e in esp), "ESP SPI 8193")
        chk.set_group("ESP decrypts with the example's key")
        from scapy.layers.inet import IP
        from scapy.layers.ipsec import ESP, SecurityAssociation
        from scapy.utils import rdpcap
        sa = SecurityAssociation(ESP, spi=8193, crypt_algo="AES-GCM",
                                 crypt_key=bytes.fromhex("101112131415161718191a1b1c1d1e1f05060708"),
                                 tunnel_header=IP(src="203.0.113.2", dst="203.0.113.1"))
        ok = 0
        for pkt in rdpcap(out + "/ipsec_esp.pcap"):
            inner = sa.decrypt(pkt[IP])
            ok += inner.dst.startswith("192.168.101.") and inner.src.startswith("10.2.")
        chk.eq(ok, 30, "packets that decrypt to 10.2/16 -> 192.168.101/24")
    finally:
        for f in os.listdir(out):
            os.unlink(os.path.join(out, f))
        os.rmdir(out)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
