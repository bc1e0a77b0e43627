#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Static ECMP routes (vrfs[].routes[].vias, `ip route add P via A via
B`), on net_pcap ports (static_ecmp.cfg.in):

  1. 64 UDP flows (3 packets each) to 10.90.0.0/16, whose route has
     vias 198.18.0.2 (port a) and 198.18.1.2 (port b): every packet
     leaves by a or b towards that next hop's MAC, every flow by one
     port only, both ports carry flows.
  2. `show ip route` lists both paths with source static; `show
     running-config` (what `write` saves) has the vias list.
  3. the CLI: `ip route add 10.91.0.0/16 via 198.18.0.2 via 198.18.1.2`
     adds an ECMP route shown with both paths and saved as vias; a
     next hop on no connected subnet, or the same one twice, is refused
     with the config's reason and changes nothing; `ip route del`
     removes it.
Usage: /usr/bin/python3 test_static_ecmp.py FERRY_BINARY
"""

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import ferrytest as ft  # noqa: E402

TEMPLATE = os.path.join(HERE, "static_ecmp.cfg.in")
IN_MAC, HOST_MAC = "02:00:00:00:e0:01", "02:00:00:00:e0:99"
NH = {"a": "02:00:00:00:0a:02", "b": "02:00:00:00:0b:02"}
FLOWS, PER_FLOW = 64, 3

CLI = [
    "show ip route",
    "show running-config",
    "ip route add 10.91.0.0/16 via 198.18.0.2 via 198.18.1.2",
    "show ip route",
    "show running-config",
    "ip route add 10.92.0.0/16 via 198.18.0.2 via 203.0.113.9",
    "ip route add 10.93.0.0/16 via 198.18.0.2 via 198.18.0.2",
    "show ip route",
    "ip route del 10.91.0.0/16",
    "show ip route",
]


def line_of(text, prefix):
    for line in text.splitlines():
        f = line.split()
        if f and f[0] == prefix:
            return line
    return ""


def main():
    binary = ft.setup()
    chk = ft.Checks("static-ecmp")
    tr = ft.Traffic(["in", "a", "b"])
    flow_of = {}
    for f in range(FLOWS):
        for _ in range(PER_FLOW):
            tag = tr.tag()
            pkt = ft.ip_packet(tag, "192.0.2.%d" % (10 + f % 50),
                               "10.90.%d.%d" % (f // 8, 1 + f), 100,
                               sport=20000 + f, dport=5000 + f)
            tr.add("in", ft.eth(IN_MAC, HOST_MAC) / pkt, tag)
            flow_of[tag] = f
    res = ft.run_ferry(binary, TEMPLATE, tr)
    res.check_run(chk)
    chk.set_group("1. flows spread over both next hops, each sticky")
    ports_of = {}
    for port in ("a", "b"):
        for raw in res.outputs.get(port, []):
            m = ft.MARKER_RE.search(raw)
            if m is None:
                continue
            tag = int(m.group(1))
            ok_mac = raw[:6] == bytes.fromhex(NH[port].replace(":", ""))
            chk.ok(ok_mac, "packet %d on %s to its next hop's MAC" % (tag, port))
            ports_of.setdefault(flow_of.get(tag), set()).add(port)
    seen = sum(len(res.outputs.get(p, [])) for p in ("a", "b"))
    chk.eq(seen, FLOWS * PER_FLOW, "every packet left by a or b")
    chk.ok(all(len(v) == 1 for v in ports_of.values()) and len(ports_of) == FLOWS,
           "each of the %d flows on one port only" % FLOWS, str(ports_of))
    on = {p: sum(1 for v in ports_of.values() if p in v) for p in ("a", "b")}
    chk.ok(on["a"] > 0 and on["b"] > 0, "both next hops carry flows: %s" % on)
    live(chk, binary)
    return chk.summary()


def live(chk, binary):
    """The CLI on a running ferry (no traffic)."""
    work, cfg, _ = ft.live_case(TEMPLATE, [], "static-ecmp")
    for port in ("a", "b"):
        ft.write_pcap(os.path.join(work, "in", port + ".pcap"), [])
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        out = [cli.cmd(c) for c in CLI]
        cli.close()
    finally:
        status, _, err = ferry.stop()
        shutil.rmtree(work, ignore_errors=True)
    chk.set_group("2. show ip route, running-config")
    line = line_of(out[0], "10.90.0.0/16")
    chk.ok("via 198.18.0.2 dev a" in line and "via 198.18.1.2 dev b" in line
           and "[static]" in line, "10.90.0.0/16: both paths, static", out[0])
    chk.ok('vias = ( "198.18.0.2", "198.18.1.2" )' in out[1],
           "running-config saves the vias list", out[1])
    chk.set_group("3. CLI: ip route add P via A via B")
    chk.eq(out[2].strip(), "", "ECMP route added")
    line = line_of(out[3], "10.91.0.0/16")
    chk.ok("via 198.18.0.2 dev a" in line and "via 198.18.1.2 dev b" in line
           and "[static]" in line, "10.91.0.0/16 with both paths", out[3])
    chk.ok("10.91.0.0/16" in out[4] and out[4].count("vias") == 2,
           "saved with vias", out[4])
    chk.ok("not on a connected subnet" in out[5] and "vias.[1]" in out[5],
           "next hop on no subnet refused, path and reason given", out[5])
    chk.ok("listed twice" in out[6], "the same next hop twice refused", out[6])
    chk.ok(line_of(out[7], "10.92.0.0/16") == "" and
           line_of(out[7], "10.93.0.0/16") == "", "refused routes not installed",
           out[7])
    chk.eq(line_of(out[9], "10.91.0.0/16"), "", "ip route del removes it")
    chk.eq(status, 0, "ferry exit status", err[-2000:])


if __name__ == "__main__":
    sys.exit(main())
