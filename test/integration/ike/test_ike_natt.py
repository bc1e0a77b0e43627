#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/natt: gateway B behind a NAT (issue 16 acceptance; topology in
iketopo.py with nat=True).

B has a private address behind an nftables masquerade that maps UDP
source ports into 40000-40999, so on the wire B's IKE and ESP come
from the NAT's address and a port that is not 4500. B initiates (A
cannot reach it through the NAT). Checked: both charons see the NAT,
ferry's SAs are ESP in UDP (`nat-t`), hosts behind A and B ping each
other, and on the wire between the NAT and ferry (tshark in the transit
namespace) the ESP runs in UDP between ferry's port 4500 and the NAT's
mapped port, both ways, with no inner packet in clear.

Exits 77 (skipped) without nft (nftables) besides what iketopo needs.

Usage: /usr/bin/python3 test_ike_natt.py FERRY_BINARY
"""

import iketopo as t

ESP = t.ESP["aes-cbc-128-sha256"]


def natt_ports(pkts):
    """{(src port, dst port)} of ESP in UDP between ferry and the NAT."""
    from scapy.all import IP, UDP
    res = set()
    for p in pkts:
        if IP in p and UDP in p and len(bytes(p[UDP].payload)) > 8 and \
                bytes(p[UDP].payload)[:4] != b"\0\0\0\0":
            res.add((p[IP].src, p[UDP].sport, p[IP].dst, p[UDP].dport))
    return res


def run(env, chk):
    chk.set_group("established from behind the NAT")
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, ESP)]))
    env.b.load(t.conn_text("gw", t.B_PRIV, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, ESP)]))
    out = env.b.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    chk.ok("completed successfully" in out, "charon B initiated", out)
    chk.ok("remote host is behind NAT" in env.a.log(),
           "charon A sees B behind a NAT")
    sas = env.ferry.ike_sas()
    chk.eq(len(sas), 2, "ferry holds the CHILD_SA's two SAs",
           env.ferry.cmd("show ipsec sa"))
    chk.ok(sas and all(s["nat-t"] for s in sas.values()),
           "ferry's SAs are ESP in UDP (nat-t)", str(sas))
    chk.set_group("traffic through the NAT")
    cap = t.Capture(env.work, t.NS_T, "t0", "wire-natt")
    got, out = t.ping(t.NS_HA, t.HB_IP, count=10)
    chk.ok(got >= 9, "HA pings HB", out)
    got, out = t.ping(t.NS_HB, t.HA_IP, count=5)
    chk.ok(got >= 4, "HB pings HA", out)
    pkts = cap.stop()
    ports = natt_ports(pkts)
    lo, hi = t.NAT_PORTS
    out_ok = any(s == t.FERRY_WAN and sp == 4500 and d == t.B_IP and
                 lo <= dp <= hi for s, sp, d, dp in ports)
    in_ok = any(s == t.B_IP and lo <= sp <= hi and d == t.FERRY_WAN and
                dp == 4500 for s, sp, d, dp in ports)
    chk.ok(out_ok, "ESP in UDP from ferry:4500 to the NAT's mapped port",
           str(ports))
    chk.ok(in_ok, "ESP in UDP from the NAT's mapped port to ferry:4500",
           str(ports))
    chk.eq(t.esp_summary(pkts)[2], 0, "no inner packet in clear")


if __name__ == "__main__":
    t.main("natt", run, tools=(t.NFT,), nat=True)
