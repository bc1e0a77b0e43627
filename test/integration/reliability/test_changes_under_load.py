#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""reliability/changes-under-load: thousands of live CLI changes, each
undone, while two ports replay their flows forever (reltest.load_flows).

Changed, in add/undo pairs: a static route the "route" flow uses and
batches of static routes nothing uses (/24s and /28s, the latter taking
rte_lpm tbl8 groups); an ACL deny rule the "acl" flow hits; an MPLS LFIB
entry (swap) the "lfib" flow needs; the rate of a QoS class on the port
the steady flows leave by; a VXLAN static MAC the "l2" flow is sent to and
a flood-list VTEP. Bounded: CHANGE_SECONDS of changes or MAX_PAIRS pairs.

Checks, on the final counters ferry prints once its workers stopped
(every frame received is then sent or dropped):
  - ferry ran every command without error and exits 0;
  - the flows nothing changed lost nothing: p4 sent exactly the steady
    frames p0 and p1 replayed (less what the QoS schedulers held when the
    workers stopped: qos_stopped), p3 exactly the l2 ones, ip4_blackhole
    counts exactly the blackhole flow; no drop reason other than the
    changed entries' (ip4_no_route, acl_deny, mpls_unknown_label);
  - the changed flows are accounted for: steady + route = p4 tx + p0 tx +
    ip4_no_route + qos_stopped, acl + lfib = p1 tx + acl_deny +
    mpls_unknown_label;
  - rx = tx + drops over all ports;
  - once everything is undone: `show running-config` is what it was, the
    rte_malloc heap (telemetry /eal/heap_info,0) has the bytes and
    allocations it had, and RSS grew by at most RSS_SLACK_KB.
WARMUP_SECONDS of rounds before the baseline let one-time allocations
(ACL build, LPM tbl8 groups, MAC table, the pages malloc settles on)
happen outside the comparison.

Usage: /usr/bin/python3 test_changes_under_load.py FERRY_BINARY
"""
import re
import shutil
import subprocess
import sys
import time

import reltest as R
from reltest import ft

CHANGE_SECONDS = 48.0
MAX_PAIRS = 400000
BATCH = 16                  # unused routes added, then deleted, per round
WARMUP_SECONDS = 3.0        # rounds before the baseline (see below)
SETTLE_SECONDS = 1.0        # RCU reclaim of the last deletions
# RSS may grow by the pages glibc's malloc keeps for the CLI's text
# buffers (freed, not returned); 2 MiB is far below what one leaked
# route/rule per change would show over thousands of changes.
RSS_SLACK_KB = 2048
# Under AddressSanitizer freed memory sits in its quarantine (256 MB by
# default) instead of going back: RSS then grows with the CLI's churn
# itself, so only a leak of that size would show. The heap check above
# stays exact either way.
RSS_SLACK_KB_ASAN = 32768


def asan_built(binary):
    """True if @binary links AddressSanitizer's runtime."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                             timeout=30).stdout
    except OSError:
        return False
    return "libasan" in out
STEADY_REASONS = ("ip4_blackhole", "qos_stopped")
CHANGE_REASONS = ("ip4_no_route", "acl_deny", "mpls_unknown_label")


def rounds():
    """The change pairs, one list per round: (do, undo) commands."""
    n = 0
    while True:
        i = n % 200
        pairs = [
            ("ip route add 203.0.113.0/24 via 192.168.101.10 vrf cust-a",
             "ip route del 203.0.113.0/24 vrf cust-a"),
            ("acl rule add edge deny proto udp dport 7777", "acl rule del edge 3"),
            ("mpls lfib add 24002 swap 16005 interface core via 10.0.12.2",
             "mpls lfib del 24002"),
            ("qos class p4 2 rate %d ceil 10000000000" % (500000000 + 10000000 * (i % 100)),
             "qos class p4 2 rate 1000000000 ceil 10000000000 priority 2"),
            ("vxlan mac add bridge-domain 1 02:00:00:00:5b:01 interface h",
             "vxlan mac del bridge-domain 1 02:00:00:00:5b:01"),
            ("vxlan flood add bridge-domain 1 vtep 10.0.12.2",
             "vxlan flood del bridge-domain 1 vtep 10.0.12.2"),
        ]
        batch = [("ip route add 10.%d.%d.%d/%d via 10.0.10.2 vrf cust-a"
                  % (100 + i % 50, k, 16 * (k % 2), 24 + 4 * (k % 2)),
                  "ip route del 10.%d.%d.%d/%d vrf cust-a"
                  % (100 + i % 50, k, 16 * (k % 2), 24 + 4 * (k % 2))) for k in range(BATCH)]
        yield pairs, batch
        n += 1


def apply_round(cli, pairs, batch, errors):
    """Every do, then every undo (batch routes undone in reverse)."""
    cmds = [d for d, _ in pairs] + [d for d, _ in batch] + \
        [u for _, u in reversed(batch)] + [u for _, u in reversed(pairs)]
    for c in cmds:
        out = cli.cmd(c).strip()
        if out and len(errors) < 20:
            errors.append("%s -> %s" % (c, out))
    return len(cmds) // 2


FINAL_PORT_RE = re.compile(r"^port (\S+) rx (\d+) tx (\d+)", re.M)


def final_counters(stdout):
    """Counters of ferry's "final counters" block, or None."""
    i = stdout.rfind("ferry: final counters")
    return ft.Counters(stdout[i:]) if i >= 0 else None


def main():
    binary = ft.setup()
    chk = ft.Checks("reliability-changes-under-load")
    flows = R.load_flows()
    f = R.Ferry(binary, "rel-load", lambda w: R.loop_devargs(w, flows))
    errors, n_pairs = [], 0
    try:
        time.sleep(1.0)
        gen = rounds()
        t0 = time.monotonic()
        while time.monotonic() - t0 < WARMUP_SECONDS:  # outside the baseline
            apply_round(f.cli, *next(gen), errors)
        time.sleep(SETTLE_SECONDS)
        conf0 = f.cli.cmd("show running-config")
        heap0, rss0 = f.tel.heap(), R.rss_kb(f.pid)
        rx0 = f.counters().rx_total()
        t0 = time.monotonic()
        while time.monotonic() - t0 < CHANGE_SECONDS and n_pairs < MAX_PAIRS:
            n_pairs += apply_round(f.cli, *next(gen), errors)
            if f.run.proc.poll() is not None:
                break
        elapsed = time.monotonic() - t0
        alive = f.run.proc.poll() is None
        time.sleep(SETTLE_SECONDS)
        if alive:
            conf1 = f.cli.cmd("show running-config")
            heap1, rss1 = f.tel.heap(), R.rss_kb(f.pid)
            rx1 = f.counters().rx_total()
    finally:
        status, out, err = f.stop()
        shutil.rmtree(f.work, ignore_errors=True)

    print("%d change pairs (%d commands) in %.1f s; %d frames received meanwhile"
          % (n_pairs, 2 * n_pairs, elapsed, (rx1 - rx0) if alive else -1))
    if alive:
        print("heap %s -> %s (bytes, allocations); RSS %d -> %d kB"
              % (heap0, heap1, rss0, rss1))
    print(out[out.rfind("ferry: final counters"):])
    chk.set_group("survives")
    chk.ok(alive, "ferry alive after the changes", err[-3000:])
    chk.eq(status, 0, "ferry exit status", err[-3000:])
    chk.eq(errors, [], "every change command succeeded")
    chk.eq(R.sanitizer_lines(err), [], "no sanitizer report on ferry's stderr")
    chk.ok(n_pairs >= 1000, "at least 1000 change pairs applied (%d)" % n_pairs)
    if not alive:
        return chk.summary()
    chk.ok(rx1 > rx0, "traffic flowed during the changes (%d frames)" % (rx1 - rx0))

    chk.set_group("undone: config and memory")
    chk.eq(conf1, conf0, "show running-config after undoing everything")
    chk.eq(heap1, heap0, "rte_malloc heap (bytes, allocations) back to the start")
    slack = RSS_SLACK_KB_ASAN if asan_built(binary) else RSS_SLACK_KB
    chk.ok(rss1 - rss0 <= slack, "RSS %d -> %d kB (at most +%d kB)"
           % (rss0, rss1, slack))

    fc = final_counters(out)
    chk.set_group("final counters")
    if not chk.ok(fc is not None and fc.ports, "ferry printed its final counters", out[-2000:]):
        return chk.summary()
    p, d = fc.ports, fc.drops
    got = {port: R.flow_counts(flows, port, p[port]["rx"]) for port in flows}
    steady = sum(g.get("steady", 0) for g in got.values())
    # What the QoS schedulers of p0 and p4 still held when the workers
    # stopped is counted as qos_stopped (a burst or so), sent by neither.
    held = d.get("qos_stopped", 0)
    chk.ok(steady - held <= p["p4"]["tx"] <= steady,
           "p4 sent every steady frame (%d replayed) but what QoS held at the stop (%d): %d"
           % (steady, held, p["p4"]["tx"]))
    chk.eq(p["p4"]["tx"] + p["p0"]["tx"] + d.get("ip4_no_route", 0) + held,
           steady + got["p0"]["route"], "steady and route flows: out p4, out p0, "
           "ip4_no_route or held by QoS at the stop")
    chk.eq(p["p3"]["tx"], got["p1"]["l2"], "p3 sent every VNI 42 frame")
    chk.eq(d.get("ip4_blackhole", 0), got["p0"]["blackhole"], "ip4_blackhole = blackhole flow")
    for reason, n in sorted(d.items()):
        if reason not in STEADY_REASONS + CHANGE_REASONS:
            chk.fail("drop %s %d: not a reason of a changed entry" % (reason, n))
    chk.eq(p["p1"]["tx"] + d.get("acl_deny", 0) + d.get("mpls_unknown_label", 0),
           got["p0"]["acl"] + got["p1"]["lfib"],
           "acl and lfib flows: out p1, acl_deny or mpls_unknown_label")
    for reason, flow in (("ip4_no_route", got["p0"]["route"]), ("acl_deny", got["p0"]["acl"]),
                         ("mpls_unknown_label", got["p1"]["lfib"])):
        chk.ok(0 < d.get(reason, 0) < flow, "%s %d: some, not all, of its flow (%d)"
               % (reason, d.get(reason, 0), flow))
    rx = sum(v["rx"] for v in p.values())
    tx = sum(v["tx"] for v in p.values())
    chk.eq(rx, tx + sum(d.values()), "rx = tx + drops over all ports")
    for port, v in sorted(p.items()):
        for k in ("rx-missed", "rx-errors", "tx-errors"):
            chk.eq(v[k], 0, "port %s %s" % (port, k))
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
