#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/counters-bytes: packets and bytes per port and per interface,
VLAN subinterfaces included; `show interfaces` shows them; `clear
counters` zeroes what the CLI shows; `show runtime` has no total row and
`clear runtime` starts it from zero (issue 19 item 2).

Traffic on port "in": the ops frames (120 routed out of "a", 17 without
route), VLAN_IN frames tagged 20 (interface in.20) routed out of "a", and
VLAN_OUT frames routed out of "a" tagged 10 (interface a.10).

Usage: /usr/bin/python3 test_counters_bytes.py FERRY_BINARY
"""
import re
import sys

import opstest as O
from opstest import ft

VLAN_IN = 9
VLAN_OUT = 11
IN_MAC, HOST = "02:00:00:00:01:00", "02:00:00:00:01:99"


def vlan_frames():
    tagged = [bytes(ft.Ether(dst=IN_MAC, src=HOST) / ft.Dot1Q(vlan=20) /
                    ft.IP(src="192.0.3.10", dst="10.1.9.%d" % (i + 1)) /
                    ft.UDP(sport=7000 + i, dport=7000) / (b"v" * (30 + i)))
              for i in range(VLAN_IN)]
    to_sub = [bytes(ft.Ether(dst=IN_MAC, src=HOST) /
                    ft.IP(src="192.0.2.10", dst="10.2.0.%d" % (i + 1)) /
                    ft.UDP(sport=8000 + i, dport=8000) / (b"s" * (40 + i)))
              for i in range(VLAN_OUT)]
    return tagged, to_sub


def edit(text):
    text = text.replace(
        '{ name = "a"; port = "a"; address = "198.18.0.1/30"; }',
        '{ name = "a"; port = "a"; address = "198.18.0.1/30"; },\n'
        '\t{ name = "a.10"; port = "a"; vlan = 10; address = "198.18.1.1/30"; },\n'
        '\t{ name = "in.20"; port = "in"; vlan = 20; address = "192.0.3.1/24"; }')
    text = text.replace(
        '{ prefix = "10.8.0.0/16"; blackhole = true; }',
        '{ prefix = "10.8.0.0/16"; blackhole = true; },\n'
        '\t\t     { prefix = "10.2.0.0/16"; via = "198.18.1.2"; }')
    return text.replace(
        'neighbours = (',
        'neighbours = (\n\t{ interface = "a.10"; address = "198.18.1.2"; '
        'mac = "02:00:00:00:0a:03"; },')


def show_iface(cli, name):
    text = cli.cmd("show interfaces " + name)
    m = re.search(r"rx (\d+) packets (\d+) bytes, tx (\d+) packets (\d+) bytes, drops (\d+)",
                  text)
    return tuple(int(x) for x in m.groups()) if m else None


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-counters-bytes")
    base = O.frames()
    tagged, to_sub = vlan_frames()
    fwd, noroute = base[:O.FORWARDED], base[O.FORWARDED:]
    f = O.Ferry(binary, "ops-counters-bytes", frame_list=base + tagged + to_sub,
                edit=edit)
    try:
        total = len(base) + len(tagged) + len(to_sub)
        c = O.parse_counters(f.settle(total))
        port, itf = c.get("port", {}), c.get("interface", {})
        chk.set_group("ports")
        chk.eq(port.get("in", {}).get("rx"), total, "port in rx packets")
        chk.eq(port.get("in", {}).get("rx-bytes"), sum(map(len, base + tagged + to_sub)),
               "port in rx-bytes = the frames' lengths")
        # tagged frames leave untagged (4 bytes less), frames to a.10 tagged (4 more)
        out_bytes = (sum(map(len, fwd)) + sum(len(x) - 4 for x in tagged) +
                     sum(len(x) + 4 for x in to_sub))
        chk.eq(port.get("a", {}).get("tx-bytes"), out_bytes, "port a tx-bytes")
        chk.set_group("interfaces")
        chk.eq(itf.get("in", {}).get("rx-packets"), len(base) + len(to_sub), "in rx-packets")
        chk.eq(itf.get("in", {}).get("rx-bytes"), sum(map(len, base + to_sub)), "in rx-bytes")
        chk.eq(itf.get("in.20", {}).get("rx-packets"), len(tagged), "in.20 (VLAN) rx-packets")
        chk.eq(itf.get("in.20", {}).get("rx-bytes"), sum(map(len, tagged)), "in.20 rx-bytes")
        chk.eq(itf.get("a", {}).get("tx-packets"), len(fwd) + len(tagged), "a tx-packets")
        chk.eq(itf.get("a", {}).get("tx-bytes"),
               sum(map(len, fwd)) + sum(len(x) - 4 for x in tagged), "a tx-bytes")
        chk.eq(itf.get("a.10", {}).get("tx-packets"), len(to_sub), "a.10 (VLAN) tx-packets")
        chk.eq(itf.get("a.10", {}).get("tx-bytes"), sum(len(x) + 4 for x in to_sub),
               "a.10 tx-bytes (with the tag)")
        chk.eq(itf.get("in", {}).get("tx-packets"), len(noroute),
               "in tx-packets: the ICMP unreachables")
        chk.set_group("show interfaces")
        chk.eq(show_iface(f.cli, "in.20"),
               (len(tagged), sum(map(len, tagged)), 0, 0, 0), "in.20 counters")
        chk.eq(f.cli.cmd("clear counters").strip(), "", "clear counters")
        chk.eq(show_iface(f.cli, "in.20"), (0, 0, 0, 0, 0), "in.20 after clear counters")
        chk.set_group("show runtime, clear runtime")
        rt = f.cli.cmd("show runtime")
        chk.ok(not re.search(r"^total\b", rt, re.M), "show runtime has no total row", rt)
        m = re.search(r"^ferry_eth_input\s+\d+\s+(\d+)", rt, re.M)
        chk.ok(m is not None and int(m.group(1)) == total, "eth_input packets before the clear",
               rt)
        chk.eq(f.cli.cmd("clear runtime").strip(), "", "clear runtime")
        rt = f.cli.cmd("show runtime")
        chk.ok(re.search(r"^ferry_eth_input\s", rt, re.M) is None,
               "eth_input has no calls since clear runtime (no traffic)", rt)
        tel = O.parse_counters(f.counters())
        chk.eq(tel.get("node", {}).get("ferry_eth_input", {}).get(None), None,
               "clear counters still hides eth_input in show counters")
    finally:
        stopped = f.stop()
    return O.summary(chk, stopped)


if __name__ == "__main__":
    sys.exit(main())
