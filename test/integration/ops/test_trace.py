#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packet trace and show runtime on a running ferry under load: `trace
add N` with a 5-tuple filter follows exactly N matching packets through
the nodes, printing each node's decision (next node, drop reason), and
stops by itself; `show runtime` lists the nodes with calls, packets,
packets per call and cycles per packet, agreeing with show counters."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

STEP_RE = re.compile(r"^\s+\d+ ns\s+(\S+?)(?: -> (\S+)(?: \((\S+)\))?|: consumed)")


def frames():
    out = ops.frames()
    for i in range(9):  # blackholed: dropped as ip4_blackhole
        out.append(bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
                         ft.IP(src="192.0.2.12", dst="10.8.0.%d" % (1 + i)) /
                         ft.TCP(sport=4000 + i, dport=179) / (b"b" * 18)))
    return out


def packets(text):
    """[(header line, [(node, next, reason)])] from show trace."""
    out = []
    for line in text.splitlines():
        if line.startswith("packet "):
            out.append((line, []))
            continue
        m = STEP_RE.match(line)
        if m and out:
            out[-1][1].append(m.groups())
    return out


def trace(chk, cli, cmd, n):
    chk.eq(cli.cmd(cmd).strip(), "", "%r accepted" % cmd)
    text = ops.wait_until(lambda: (lambda t: t if "(running)" not in t and
                                   "%d of %d" % (n, n) in t else None)(
                                       cli.cmd("show trace")))
    chk.ok(text is not None and "node hooks" not in text,
           "trace of %d packets completed and its hooks came off" % n,
           cli.cmd("show trace"))
    pk = packets(text or "")
    chk.eq(len(pk), n, "packets shown")
    return pk


def check_runtime(chk, cli):
    rt = cli.cmd("show runtime")
    rows = {}
    for line in rt.splitlines():
        f = line.split()
        if len(f) == 6 and f[1].isdigit():
            rows[f[0]] = f
    chk.ok("ferry_ip4_lookup" in rows and "ferry_port_rx-in-q0" in rows,
           "show runtime lists the nodes", rt)
    for name in ("ferry_ip4_lookup", "ferry_eth_input"):
        calls, pkts, ppc, cpp = (float(x) for x in rows.get(name, [0] * 6)[1:5])
        chk.ok(calls > 0 and pkts >= calls, "%s: calls and packets" % name, rt)
        chk.ok(abs(ppc - pkts / max(calls, 1)) < 0.01, "%s: packets per call" % name)
        chk.ok(cpp > 0, "%s: cycles per packet" % name)
    w0 = cli.cmd("show runtime worker 0")
    chk.ok("ferry_ip4_lookup" in w0, "show runtime worker 0", w0)
    bad = cli.cmd("show runtime worker 7")
    chk.ok(bad.startswith("%"), "show runtime of a worker that does not exist", bad)


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-trace")
    ferry = ops.Ferry(binary, "trace", frames(), ft.here(__file__, "loop.cfg.in"))
    try:
        cli = ferry.cli
        chk.set_group("forwarded, filter dst + dport")
        pk = trace(chk, cli, "trace add 3 dst 10.1.0.0/16 proto 17 dport 5001", 3)
        for head, steps in pk:
            chk.ok("> 10.1." in head and ":5001 proto udp" in head,
                   "packet matches the filter", head)
            nodes = [s[0] for s in steps]
            chk.eq(nodes, ["ferry_port_rx-in-q0", "ferry_eth_input", "ferry_ip4_input",
                           "ferry_ip4_lookup", "ferry_ip4_rewrite", "ferry_port_tx-a"],
                   "path of %s" % head)
            chk.eq(steps[-1][1], None, "the tx node consumed it")
        first = cli.cmd("show trace").splitlines()[0]
        chk.ok(first.endswith("filter: dst 10.1.0.0/16 proto udp dport 5001"),
               "the filter as it can be typed (protocol by name, item 19.12)", first)

        chk.set_group("dropped, filter src")
        pk = trace(chk, cli, "trace add 2 src 192.0.2.12/32", 2)
        for head, steps in pk:
            chk.ok("> 10.8.0." in head and "proto tcp" in head, "packet matches", head)
            chk.ok(("ferry_ip4_lookup", "ferry_drop", "ip4_blackhole") in steps,
                   "lookup sends it to the drop node as ip4_blackhole",
                   repr(steps))

        chk.set_group("ICMP error path")
        pk = trace(chk, cli, "trace add 1 dst 10.9.9.9/32", 1)
        steps = pk[0][1] if pk else []
        chk.ok(("ferry_ip4_lookup", "ferry_icmp_error", None) in steps,
               "no route: lookup hands it to icmp_error", repr(steps))
        # Under this load most errors hit ip.icmp_rate: either way the
        # node's decision is shown.
        after = [s for s in steps if s[0] == "ferry_icmp_error"]
        chk.ok(after and (after[0][1] == "ferry_ip4_lookup" or
                          after[0][1:] == ("ferry_drop", "ip4_no_route")),
               "icmp_error routes the error or drops it (rate limit)",
               repr(steps))
        if after and after[0][1] == "ferry_ip4_lookup":
            chk.ok(any(s[0] == "ferry_port_tx-in" for s in steps),
                   "the ICMP error leaves by port in", repr(steps))

        chk.set_group("commands")
        bad = cli.cmd("trace add 0")
        chk.ok(bad.startswith("%"), "trace add 0 refused", bad)
        bad = cli.cmd("trace add 300")
        chk.ok(bad.startswith("%"), "trace add 300 refused", bad)
        chk.eq(cli.cmd("trace add 5 dst 203.0.113.0/24").strip(), "", "unmatched trace")
        t = cli.cmd("show trace")
        chk.ok("0 of 5 packets (running)" in t, "nothing matches: still running", t)
        chk.ok("node copies wrapped" in t, "its node hooks are on", t)
        cli.cmd("trace stop")
        t = cli.cmd("show trace")
        chk.ok("(running)" not in t, "trace stop", t)
        chk.ok("node hooks" not in t, "trace stop: every node runs its own "
               "function again", t)
        cli.cmd("clear trace")
        chk.ok("0 of 0 packets" in cli.cmd("show trace"), "clear trace")

        chk.set_group("show runtime")
        check_runtime(chk, cli)
    finally:
        status, _, err = ferry.stop()
    chk.set_group("ferry")
    chk.eq(status, 0, "ferry exit status", err[-1500:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
