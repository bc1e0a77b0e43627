#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Soak: ferry under replayed load for a long time, sampled every 10 s.

  scripts/soak.py [--minutes N] [--config FILE] [--interval S] [--out DIR]
                  [--binary build/app/ferry]

Without --config, ferry runs test/integration/reliability/rel.cfg.in
(VRFs, MPLS, VXLAN, an ACL and QoS at once) with two ports replaying the
flows of reltest.load_flows() forever (net_pcap infinite_rx) and every
port sending into /dev/null. With --config, that file is run as it is
(from the repository root, so the examples' relative capture paths
work); its load must come from its own ports (infinite_rx or a real NIC).

Each sample: port rx/tx rates (from `show counters`), drops by reason,
rte_malloc heap (telemetry /eal/heap_info,0), RSS (/proc/PID/status) and
packet mbufs in use (telemetry /ferry/mempools). Writes DIR/soak.csv and
DIR/soak.png (gnuplot: throughput, memory, drops over time) and prints a
summary: min/median/max Mpps, memory growth, drops by reason.
Default DIR: build/soak-YYYYmmdd-HHMMSS. The load loop is bounded by
--minutes; ferry is stopped with SIGTERM (and its final counters kept in
DIR/ferry.out).
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "integration", "reliability"))
import reltest as R  # noqa: E402
from reltest import ft  # noqa: E402


def eal_prefix(binary, cfg):
    """The --file-prefix ferry's EAL gets from @p cfg (telemetry socket)."""
    out = subprocess.run([binary, "--eal-args", "-c", cfg], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split("\n")
    return out[out.index("--file-prefix") + 1] if "--file-prefix" in out else "rte"


class Sampler:
    def __init__(self, cli, tel, pid):
        self.cli, self.tel, self.pid = cli, tel, pid
        self.prev = None

    def sample(self, t0):
        now = time.monotonic()
        c = ft.Counters(self.cli.cmd("show counters"))
        heap, allocs = self.tel.heap()
        row = {"t_s": round(now - t0, 1),
               "rx": sum(p["rx"] for p in c.ports.values()),
               "tx": sum(p["tx"] for p in c.ports.values()),
               "drops": sum(c.drops.values()),
               "heap_bytes": heap, "heap_allocs": allocs,
               "rss_kb": R.rss_kb(self.pid), "mbufs_in_use": self.tel.mbufs_in_use()}
        for reason, n in c.drops.items():
            row["drop_" + reason] = n
        if self.prev is not None:
            dt = now - self.prev[0]
            for k in ("rx", "tx", "drops"):
                row[k + "_mpps"] = (row[k] - self.prev[1][k]) / dt / 1e6
        self.prev = (now, row)
        return row


def plot(csv_path, png_path, reasons):
    """Three panels over time: Mpps, memory, drops per second by reason."""
    cols = {}
    with open(csv_path) as f:
        header = f.readline().strip().split(",")
    for i, h in enumerate(header):
        cols[h] = i + 1
    drops = ", ".join(
        "'%s' using 1:(column(%d)) with lines title '%s'" % (csv_path, cols["drop_" + r], r)
        for r in reasons) or "0 notitle"
    script = """
set terminal png size 1000,1100 noenhanced
set output '{png}'
set datafile separator ','
set key autotitle columnhead outside right
set multiplot layout 3,1 title 'ferry soak'
set xlabel 'seconds'
set ylabel 'Mpps'
plot '{csv}' using 1:(column({rx})) with lines title 'rx Mpps', \\
     '{csv}' using 1:(column({tx})) with lines title 'tx Mpps'
set ylabel 'MiB'
set y2label 'mbufs in use'
set y2tics
plot '{csv}' using 1:(column({rss})/1024) with lines title 'RSS MiB', \\
     '{csv}' using 1:(column({heap})/1048576) with lines title 'rte_malloc heap MiB', \\
     '{csv}' using 1:(column({mb})) axes x1y2 with lines title 'mbufs in use'
unset y2tics
unset y2label
set ylabel 'packets dropped (cumulative)'
plot {drops}
unset multiplot
""".format(png=png_path, csv=csv_path, rx=cols["rx_mpps"], tx=cols["tx_mpps"],
           rss=cols["rss_kb"], heap=cols["heap_bytes"], mb=cols["mbufs_in_use"], drops=drops)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def summary(rows, out):
    rated = [r for r in rows if "rx_mpps" in r]
    lines = []
    for k in ("rx_mpps", "tx_mpps"):
        v = [r[k] for r in rated]
        if v:
            lines.append("%s min %.3f median %.3f max %.3f" % (k.replace("_mpps", " Mpps"),
                                                              min(v), statistics.median(v), max(v)))
    first, last = rows[0], rows[-1]
    lines.append("heap %d -> %d bytes (%+d), %d -> %d allocations" % (
        first["heap_bytes"], last["heap_bytes"], last["heap_bytes"] - first["heap_bytes"],
        first["heap_allocs"], last["heap_allocs"]))
    lines.append("RSS %d -> %d kB (%+d kB; max %d)" % (
        first["rss_kb"], last["rss_kb"], last["rss_kb"] - first["rss_kb"],
        max(r["rss_kb"] for r in rows)))
    mb = [r["mbufs_in_use"] for r in rows]
    lines.append("mbufs in use min %d max %d last %d" % (min(mb), max(mb), mb[-1]))
    lines.append("packets rx %d tx %d dropped %d over %.0f s" % (
        last["rx"], last["tx"], last["drops"], last["t_s"]))
    for k in sorted(k for k in last if k.startswith("drop_")):
        lines.append("  %-28s %d" % (k[5:], last[k]))
    text = "\n".join(lines) + "\n"
    out.write(text)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--config", help="ferry config to run as it is")
    ap.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "app", "ferry"))
    a = ap.parse_args()
    out_dir = a.out or os.path.join(ROOT, "build", time.strftime("soak-%Y%m%d-%H%M%S"))
    os.makedirs(out_dir, exist_ok=True)

    work = None
    if a.config:
        cfg = os.path.abspath(a.config)
    else:
        work = os.path.join(out_dir, "work")
        os.makedirs(work, exist_ok=True)
        cfg = R.render(R.TEMPLATE, work, R.loop_devargs(work, R.load_flows()))
    prefix = eal_prefix(a.binary, cfg)
    os.chdir(ROOT)
    run = ft.Running(a.binary, cfg)
    cli = run.cli()
    tel = R.Telemetry(prefix)
    s = Sampler(cli, tel, run.proc.pid)
    rows = []
    t0 = time.monotonic()
    end = t0 + a.minutes * 60
    print("soak: ferry pid %d, %s, %.1f min, a sample every %.0f s -> %s"
          % (run.proc.pid, cfg, a.minutes, a.interval, out_dir))
    try:
        nxt = t0
        while True:
            rows.append(s.sample(t0))
            r = rows[-1]
            if "rx_mpps" in r:
                print("%6.0fs rx %.3f Mpps tx %.3f Mpps drops %.3f Mpps heap %d rss %d kB "
                      "mbufs %d" % (r["t_s"], r["rx_mpps"], r["tx_mpps"], r["drops_mpps"],
                                    r["heap_bytes"], r["rss_kb"], r["mbufs_in_use"]))
                sys.stdout.flush()
            nxt += a.interval
            if nxt > end or run.proc.poll() is not None:
                break
            time.sleep(max(0.0, nxt - time.monotonic()))
    finally:
        cli.close()
        tel.close()
        status, out, err = run.stop()
        with open(os.path.join(out_dir, "ferry.out"), "w") as f:
            f.write(out + "\n--- stderr\n" + err)
    reasons = sorted({k[5:] for r in rows for k in r if k.startswith("drop_")})
    fields = ["t_s", "rx_mpps", "tx_mpps", "drops_mpps", "rx", "tx", "drops", "heap_bytes",
              "heap_allocs", "rss_kb", "mbufs_in_use"] + ["drop_" + x for x in reasons]
    csv_path = os.path.join(out_dir, "soak.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, restval=0)
        w.writeheader()
        for r in rows[1:]:  # the first sample has no rate yet
            w.writerow({k: (round(v, 4) if isinstance(v, float) else v)
                        for k, v in r.items()})
    png = os.path.join(out_dir, "soak.png")
    plot(csv_path, png, reasons)
    with open(os.path.join(out_dir, "summary.txt"), "w") as f:
        text = summary(rows, f)
    print(text + "csv %s\nplot %s\nferry exit status %s" % (csv_path, png, status))
    if work and not os.environ.get("FERRY_SOAK_KEEP"):
        shutil.rmtree(work, ignore_errors=True)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
