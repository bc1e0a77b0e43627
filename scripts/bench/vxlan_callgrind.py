#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per packet of vxlan_bench.py's cases under callgrind: a
figure that does not move with what else runs on the machine.

ferry runs under valgrind with collection only inside the worker loop
(--toggle-collect=worker_main); after --seconds of forwarding the profile
is dumped. Packets are counted from the profile itself: the worker calls
rte_hash_lookup_data a fixed number of times per packet (encap: source
and destination MAC; decap: the same, the VNI being cached; bum8: the
source MAC, once per frame in), so no clock skew enters the figure.

Usage: /usr/bin/python3 scripts/bench/vxlan_callgrind.py BUILD/app/ferry
           [--seconds 6] [--cases encap,decap,bum8]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vxlan_bench import case_setup  # noqa: E402

LOOKUPS_PER_PACKET = {"encap": 2, "decap": 2, "bum8": 1}


def profile_counts(path):
    """(instructions, calls of rte_hash_lookup_data) in a callgrind file."""
    names, total, calls, cur = {}, 0, 0, None
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                total = max(total, int(line.split()[1]))
            m = re.match(r"cfn=\((\d+)\)(?: (.*))?", line)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2).strip()
                cur = names.get(m.group(1))
            elif line.startswith("calls=") and cur == "rte_hash_lookup_data":
                calls += int(line.split("=")[1].split()[0])
    return total, calls


def run_case(ferry, work, case, seconds):
    cfg = case_setup(work, case)
    out = os.path.join(work, case + ".cg")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                             "--toggle-collect=worker_main", "--callgrind-out-file=" + out,
                             ferry, "-c", cfg, "--", "--no-telemetry"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if "cli listening" in line:
            break
    time.sleep(seconds)
    subprocess.run(["callgrind_control", "-d", str(proc.pid)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    proc.kill()
    proc.wait()
    total, calls = 0, 0
    for name in os.listdir(work):
        if name.startswith(case + ".cg"):
            t, c = profile_counts(os.path.join(work, name))
            total, calls = total + t, calls + c
    return total, calls / LOOKUPS_PER_PACKET[case]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--seconds", type=int, default=6)
    ap.add_argument("--cases", default="encap,decap,bum8")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("needs valgrind")
    work = tempfile.mkdtemp(prefix="ferry-vxlancg-")
    try:
        for case in a.cases.split(","):
            instr, pkts = run_case(a.ferry, work, case, a.seconds)
            print("%-6s %.0f instr/pkt (%d packets%s)"
                  % (case, instr / max(pkts, 1), pkts,
                     ", per frame in: 8 copies out" if case == "bum8" else ""))
            sys.stdout.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
