#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ferry's benchmark suite: every job on one worker core, side by side
with DPDK's reference apps on the same captures and the same virtual
ports, in the same run.

Each case replays a cached capture forever (net_pcap infinite_rx=1) into
the app and counts what leaves its net_null sink port through DPDK
telemetry over a fixed window. One line per case:

  scenario  bytes  Mpps  Gbps  cyc/pkt  instr/pkt  net-ns  peer  peer-Mpps  ratio

- Gbps is on the wire for the input frame (+4 B FCS, +20 B preamble and
  gap), so 64-byte figures compare with line rate.
- cyc/pkt is TSC cycles per packet of the one busy-polling worker
  (TSC rate / packet rate); it includes the virtual ports' own cost.
- net-ns is the time per packet above the I/O-only floor: testpmd io
  forwarding on the same capture (1/rate - 1/floor), the pipeline's own
  cost without the virtual ports'.
- instr/pkt is counted with callgrind over the forwarding loop (--ipp):
  the figure that does not drift between runs and machines.
- ratio is ferry / peer, since absolute figures on a shared VM drift.

Usage: scripts/bench.sh [--quick|--full] [--ipp|--no-ipp] [--csv FILE]
                        [--window S] [--report] [SCENARIO...]

The default run measures every scenario, with instruction counts for one
headline case per job and ipsec-secgw beside the two ESP algorithms
issue 5 names (AES-GCM-128, AES-CBC-256 + SHA256); --full adds the rest.
"""
import argparse
import csv
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import scenarios  # noqa: E402

# The cases whose per-node cycles the report plots (one per job).
NODE_PLOT_CASES = ("ipv4-1k-4kflows", "mpls-push", "vxlan-encap", "acl-1000",
                   "qos-8classes", "pe-chain-mpls", "esp-out-aes-gcm-128-60")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Run:
    """State of one bench run: where things are, what was measured."""

    def __init__(self, args):
        self.a = args
        self.ferry = os.path.join(ROOT, args.build, "app", "ferry")
        self.cache = os.path.join(ROOT, args.build, "bench-cache")
        self.work = os.path.join(self.cache, "run-%d" % os.getpid())
        os.makedirs(self.work, exist_ok=True)
        self.huge = None
        self.floors = {}
        self.nodes = []
        self.rows = []
        self.seq = 0

    def prefix(self, tag):
        self.seq += 1
        return "bench%d-%s-%d" % (os.getpid(), tag, self.seq)

    def log(self, tag):
        return os.path.join(self.work, "%s-%d.log" % (tag, self.seq))

    def rate(self, cmd, prefix, tag):
        return harness.measure_rate(cmd, prefix, self.log(tag),
                                    self.a.warmup, self.a.window)

    def floor(self, pcap):
        """testpmd io forwarding on @pcap: the virtual ports' own cost."""
        if pcap not in self.floors:
            prefix = self.prefix("floor")
            cmd = ["dpdk-testpmd", "-l", "0,1", "--no-pci", "--file-prefix",
                   prefix] + self.huge.eal_args(1024) + [
                   "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                   "--vdev", "net_null0,no-rx=1", "--",
                   "--forward-mode=io", "--no-flush-rx",
                   "--total-num-mbufs=32768", "--stats-period", "3600"]
            try:
                self.floors[pcap] = self.rate(cmd, prefix, "floor")[0]
            except RuntimeError as e:
                print("  floor: %s" % e, file=sys.stderr)
                self.floors[pcap] = 0.0
        return self.floors[pcap]

    def ferry_cmd(self, case, prefix, ipp):
        cfg = os.path.join(self.work, "%s.cfg" % case.name)
        with open(cfg, "w") as f:
            f.write(case.ferry_config(pcap=case.pcap, prefix=prefix,
                                      huge="false" if ipp or not self.huge.dir
                                      else "true",
                                      mbufs=case.mbufs))
        extra = []
        if ipp:
            extra = ["--no-telemetry"]
        elif self.huge.dir:
            extra = ["--huge-dir", self.huge.dir]
        return [self.ferry, "-c", cfg, "--"] + extra

    def node_costs(self, case, before, after):
        """Cycles per packet of each node over the window (rte_graph's
        stats through /ferry/runtime), kept for the report's plot."""
        for node, a in after.items():
            b = before.get(node, {"packets": 0, "cycles": 0})
            pk = a["packets"] - b["packets"]
            if pk > 1000:
                self.nodes.append((case.name, node.replace("ferry_", ""),
                                   (a["cycles"] - b["cycles"]) / pk))

    def run_raw(self, case):
        row = {"scenario": case.name, "bytes": case.size, "mpps": "",
               "gbps": "", "cyc_pkt": "", "instr_pkt": "", "net_ns": "",
               "peer": "crypto-perf", "peer_mpps": 0.0, "ratio": "",
               "peer_instr_pkt": "", "note": ""}
        prefix = self.prefix("cperf")
        r = subprocess.run(case.command(prefix, self.huge.eal_args(1024)),
                           capture_output=True, text=True, timeout=300)
        try:
            row["peer_mpps"] = scenarios.RawCrypto.parse(r.stdout)
        except RuntimeError as e:
            row["note"] = " crypto-perf: %s: %s" % (e, r.stderr[-200:])
        self.rows.append(row)
        self.print_row(row)

    def empty_row(self, case):
        return {"scenario": case.name, "bytes": case.size, "mpps": 0.0,
                "gbps": 0.0, "cyc_pkt": 0.0, "instr_pkt": "", "net_ns": "",
                "peer": case.peer.name if case.peer else "", "peer_mpps": "",
                "ratio": "", "peer_instr_pkt": "", "note": ""}

    def run_case(self, case):
        """A case with setup/cleanup (a namespace) gets them around it;
        one with its own run() measures itself."""
        if hasattr(case, "setup"):
            case.setup()
        try:
            if hasattr(case, "run"):
                row = case.run(self)
                self.rows.append(row)
                self.print_row(row)
            else:
                self.run_pipeline(case)
        finally:
            if hasattr(case, "cleanup"):
                case.cleanup()

    def run_pipeline(self, case):
        if isinstance(case, scenarios.RawCrypto):
            return self.run_raw(case)
        case.pcap = case.traffic(self.cache)
        row = self.empty_row(case)
        prefix = self.prefix("ferry")
        mpps = 0.0
        if case.has_ferry():
            try:
                mpps, _, rt = harness.measure_rate(
                    self.ferry_cmd(case, prefix, False), prefix,
                    self.log("ferry"), self.a.warmup, self.a.window,
                    probe=lambda t: t.get("/ferry/runtime")["/ferry/runtime"])
                self.node_costs(case, *rt)
                mpps /= case.fanout  # frames in, not copies out
                row["mpps"] = mpps
            except RuntimeError as e:
                row["note"] = " ferry: %s" % e
        else:
            row["note"] = " ferry: no configuration for this scenario yet"
        if mpps > 0:
            row["gbps"] = mpps * (case.size + 24) * 8 / 1000
            row["cyc_pkt"] = harness.tsc_hz() / (mpps * 1e6)
            fl = self.floor(case.pcap) if case.floor else 0.0
            if fl > mpps:
                row["net_ns"] = 1e3 / mpps - 1e3 / fl
        if self.a.ipp and case.ipp and case.has_ferry() and \
                (self.a.full or case.headline):
            try:
                row["instr_pkt"] = harness.measure_ipp(
                    self.ferry_cmd(case, self.prefix("ferry-ipp"), True),
                    self.log("ferry-ipp"), "worker_main",
                    case.ipp_fn, 32, self.a.ipp_seconds)
            except RuntimeError as e:
                row["note"] += " ipp: %s" % e
        if case.peer and (self.a.full or not case.peer_full_only):
            self.run_peer(case, row, mpps, case.peer)
        elif case.peer:
            row["peer"] = ""
        self.rows.append(row)
        self.print_row(row)
        for p in case.more_peers:
            # the same ferry figures beside each further peer
            more = dict(row, peer=p.name, peer_mpps="", peer_instr_pkt="",
                        ratio="", note="")
            self.run_peer(case, more, mpps, p)
            self.rows.append(more)
            self.print_row(more)

    def run_peer(self, case, row, mpps, p):
        try:
            binary = peers.build(p.app, os.path.join(self.cache, "peers"),
                                 p.files() if p.files else None)
        except RuntimeError as e:
            row["note"] += " peer: %s" % e
            return
        if p.frames:
            case.peer_pcap = scenarios.cached_pcap(self.cache, p.app, p.frames)
        prefix = self.prefix(p.app)
        cmd = p.command(binary, case, prefix, self.huge.eal_args(p.memory),
                        self.work)
        try:
            pm, _ = self.rate(cmd, prefix, p.app)
            row["peer_mpps"] = pm
            if pm > 0 and mpps > 0:
                row["ratio"] = mpps / pm
        except RuntimeError as e:
            row["note"] += " peer: %s" % e
        if self.a.ipp and case.ipp and p.ipp_fn and \
                (self.a.full or case.headline):
            cmd = p.command(binary, case, self.prefix(p.app + "-ipp"),
                            ["--no-huge", "-m", str(p.memory),
                             "--no-telemetry"], self.work)
            try:
                row["peer_instr_pkt"] = harness.measure_ipp(
                    cmd, self.log(p.app + "-ipp"), p.loop_fn, p.ipp_fn,
                    p.ipp_burst, self.a.ipp_seconds)
            except RuntimeError as e:
                row["note"] += " peer ipp: %s" % e

    HEAD = "%-22s %5s %7s %7s %7s %9s %7s  %-12s %7s %9s %6s"

    def print_header(self):
        print(self.HEAD % ("scenario", "bytes", "Mpps", "Gbps", "cyc/pkt",
                           "instr/pkt", "net-ns", "peer", "Mpps", "instr/pkt",
                           "ratio"))

    def print_row(self, r):
        def f(v, fmt):
            return fmt % v if isinstance(v, float) else (v or "-")
        print(self.HEAD % (r["scenario"], r["bytes"], f(r["mpps"], "%.2f"),
                           f(r["gbps"], "%.2f"), f(r["cyc_pkt"], "%.0f"),
                           f(r["instr_pkt"], "%.0f"), f(r["net_ns"], "%.1f"),
                           r["peer"] or "-", f(r["peer_mpps"], "%.2f"),
                           f(r["peer_instr_pkt"], "%.0f"),
                           f(r["ratio"], "%.2f")), flush=True)
        if r["note"]:
            print("    note:%s" % r["note"], flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenarios", nargs="*",
                    help="scenario names or prefixes (default: all)")
    ap.add_argument("--full", action="store_true",
                    help="every instruction count and every peer (about "
                         "17 minutes here)")
    ap.add_argument("--quick", action="store_true",
                    help="a few cases, short windows, no instruction counts")
    ap.add_argument("--ipp", dest="ipp", action="store_true", default=None)
    ap.add_argument("--no-ipp", dest="ipp", action="store_false")
    ap.add_argument("--window", type=float, default=2.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    ap.add_argument("--ipp-seconds", type=float, default=4.0)
    ap.add_argument("--build", default="build")
    ap.add_argument("--no-huge", action="store_true",
                    help="do not reserve hugepages (as tests run it)")
    ap.add_argument("--csv", help="write the rows here as CSV")
    ap.add_argument("--report", action="store_true",
                    help="write doc/benchmarks.csv, the table and plots of "
                         "doc/benchmarks.md")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.quick:
        a.window, a.warmup = min(a.window, 2.0), min(a.warmup, 1.0)
    if a.ipp is None:
        a.ipp = not a.quick
    cases = scenarios.select(a.scenarios, a.quick)
    if a.list:
        for c in cases:
            print(c.name, c.size, c.peer.name if c.peer else "-")
        return 0
    if not cases:
        print("bench: no scenario matches %s" % " ".join(a.scenarios))
        return 1
    run = Run(a)
    if not os.path.exists(run.ferry):
        print("bench: %s missing: build first" % run.ferry)
        return 1
    t0 = time.time()
    with harness.Hugepages(0 if a.no_huge else scenarios.HUGEPAGES) as huge:
        run.huge = huge
        run.huge_used = huge.dir is not None
        print("# ferry bench, %s, TSC %.0f MHz, %s, window %.1f s after %.1f s"
              % (time.strftime("%Y-%m-%d %H:%M"), harness.tsc_hz() / 1e6,
                 "2 MB hugepages" if huge.dir else "no hugepages",
                 a.window, a.warmup))
        run.print_header()
        for c in cases:
            run.run_case(c)
    print("# %d cases in %.0f s" % (len(cases), time.time() - t0))
    if a.report and not a.csv:
        a.csv = os.path.join(ROOT, "doc", "benchmarks.csv")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(run.rows[0].keys()))
            w.writeheader()
            for r in run.rows:
                w.writerow({k: ("%.3f" % v if isinstance(v, float) else v)
                            for k, v in r.items()})
    if a.report:
        report.write(a.csv, os.path.join(ROOT, "doc", "benchmarks.md"),
                     nodes=[n for n in run.nodes if n[0] in NODE_PLOT_CASES],
                     header=
                     "Run of %s: `scripts/bench.sh %s` (%s, TSC %.0f MHz)."
                     % (time.strftime("%Y-%m-%d"), " ".join(sys.argv[1:]),
                        "2 MB hugepages" if run.huge_used else "no hugepages",
                        harness.tsc_hz() / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
