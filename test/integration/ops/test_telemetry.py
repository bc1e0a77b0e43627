#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""DPDK telemetry: Debian's dpdk-telemetry.py reads ferry's /ferry/...
commands from a running ferry (its own EAL file prefix) and finds the
same values as `show counters`: ports, nodes, drops, workers, plus
/ferry/runtime and the /ferry/counters list of kinds. DPDK's own
/ethdev/stats must agree too (same ports, another path)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

CMDS = ["/ferry/counters", "/ferry/ports", "/ferry/nodes", "/ferry/drops",
        "/ferry/workers", "/ferry/runtime", "/ethdev/stats,0"]


def tel_name(s):
    """What telemetry accepts in a name (see stats_telemetry.c)."""
    return "".join(c if c.isalnum() or c == "/" else "_" for c in s)


def query(prefix):
    status, out, err = ops.run_tool(
        ["dpdk-telemetry.py", "-f", prefix], 30, "\n".join(CMDS) + "\n")
    replies = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            replies.update(json.loads(line))
    return status, replies, out + err


def check_same(chk, tel, shown, word, what):
    """Every object `show counters` lists for @p word has the same
    values in the telemetry dict @p tel."""
    objs = shown.get(word, {})
    chk.ok(len(objs) > 0, "show counters lists %s objects" % word)
    for name, vals in objs.items():
        t = tel.get(tel_name(name))
        if None in vals:
            chk.eq(t, vals[None], "%s %s" % (what, name))
            continue
        for k, v in vals.items():
            chk.eq((t or {}).get(tel_name(k)), v, "%s %s %s" % (what, name, k))


def main():
    binary = ft.setup()
    ops.need_tool("dpdk-telemetry.py")
    chk = ft.Checks("ops-telemetry")
    ferry = ops.Ferry(binary, "tel")
    try:
        text = ferry.settle(ops.FORWARDED + ops.NO_ROUTE)
        status, tel, raw = query(ferry.prefix)
        after = ferry.counters()
    finally:
        fstatus, _, err = ferry.stop()
    chk.set_group("ferry")
    chk.eq(fstatus, 0, "ferry exit status", err[-1500:])
    chk.eq(text, after, "counters did not move while telemetry was read")
    shown = ops.parse_counters(text)
    chk.set_group("dpdk-telemetry.py")
    chk.eq(status, 0, "dpdk-telemetry.py exit status", raw[-1500:])
    for c in CMDS:
        c = c.split(",")[0]  # the reply is keyed without parameters
        chk.ok(c in tel, "%s answered" % c, raw[-1500:])
    chk.set_group("values")
    ports = tel.get("/ferry/ports", {})
    chk.eq(ports.get("in", {}).get("rx"), ops.FORWARDED + ops.NO_ROUTE,
           "/ferry/ports in rx = packets sent")
    chk.eq(ports.get("a", {}).get("tx"), ops.FORWARDED, "/ferry/ports a tx")
    chk.eq(tel.get("/ferry/drops", {}).get("ip4_no_route"), ops.NO_ROUTE,
           "/ferry/drops ip4_no_route")
    check_same(chk, ports, shown, "port", "/ferry/ports")
    check_same(chk, tel.get("/ferry/nodes", {}), shown, "node", "/ferry/nodes")
    check_same(chk, tel.get("/ferry/drops", {}), shown, "drop", "/ferry/drops")
    check_same(chk, tel.get("/ferry/workers", {}), shown, "worker",
               "/ferry/workers")
    chk.eq(tel.get("/ethdev/stats", {}).get("ipackets"),
           ops.FORWARDED + ops.NO_ROUTE, "DPDK's /ethdev/stats of port 0")
    chk.set_group("runtime and kinds")
    rt = tel.get("/ferry/runtime", {}).get("ferry_ip4_lookup", {})
    chk.eq(rt.get("packets"), shown["node"]["ferry_ip4_lookup"][None],
           "/ferry/runtime ferry_ip4_lookup packets = show counters")
    chk.ok(0 < rt.get("calls", 0) <= rt.get("packets", 0),
           "ip4_lookup calls between 1 and its packets", repr(rt))
    chk.ok(rt.get("cycles", 0) > 0, "ip4_lookup cycles counted")
    kinds = tel.get("/ferry/counters", {})
    for k in ("ports", "nodes", "drops", "workers", "runtime"):
        chk.ok(k in kinds, "/ferry/counters lists %s" % k, repr(kinds))
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
