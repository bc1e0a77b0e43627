#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench-quick: `scripts/bench.sh --quick` runs and prints well-formed
lines (issue 8). Speed is never asserted here: a figure only has to be a
number, and every case ferry or its peer ran must have forwarded
something (a rate of 0 means the case is broken, not slow). The IPv4
headline case has a row for l3fwd and one for l3fwd-graph (issue 21).

Runs scripts/bench/bench.py on the given build directory without
hugepages (a test must not reserve gigabytes).

Usage: test_bench_quick.py SOURCE_ROOT BUILD_DIR
"""
import os
import re
import subprocess
import sys

NUM = r"(?:[0-9]+(?:\.[0-9]+)?|-)"
ROW = re.compile(r"^(\S+)\s+(\d+)\s+(%s)\s+(%s)\s+(%s)\s+(%s)\s+(%s)\s+(\S+)\s+(%s)\s+(%s)\s+(%s)$"
                 % ((NUM,) * 5 + (NUM,) * 3))


def main():
    root, build = sys.argv[1], sys.argv[2]
    if not os.path.exists("/usr/bin/python3"):
        print("no /usr/bin/python3")
        return 77
    r = subprocess.run(["/usr/bin/python3", os.path.join(root, "scripts/bench/bench.py"),
                        "--quick", "--no-huge", "--build", os.path.relpath(build, root)],
                       capture_output=True, text=True, timeout=900, cwd=root)
    print(r.stdout)
    print(r.stderr[-2000:], file=sys.stderr)
    fails = []
    if r.returncode != 0:
        fails.append("bench.py exited %d" % r.returncode)
    lines = r.stdout.splitlines()
    head = [i for i, l in enumerate(lines) if l.startswith("scenario ")]
    if len(head) != 1:
        fails.append("no header line")
    rows = []
    for line in lines[head[0] + 1 if head else 0:]:
        if line.startswith("#") or line.startswith("    note:"):
            continue
        m = ROW.match(line)
        if not m:
            fails.append("malformed line: %r" % line)
            continue
        rows.append(m)
    if len(rows) < 5:
        fails.append("only %d cases" % len(rows))
    for m in rows:
        name, ferry_mpps, peer, peer_mpps = m.group(1), m.group(3), m.group(8), m.group(9)
        if not name.startswith("crypto-raw") and not (ferry_mpps != "-" and float(ferry_mpps) > 0):
            fails.append("%s: ferry forwarded nothing (%s)" % (name, ferry_mpps))
        if peer != "-" and not (peer_mpps != "-" and float(peer_mpps) > 0):
            fails.append("%s: peer %s forwarded nothing (%s)" % (name, peer, peer_mpps))
    # the IPv4 headline case runs beside both of DPDK's IPv4 apps
    for peer in ("l3fwd-lpm", "l3fwd-graph"):
        if not any(m.group(1) == "ipv4-1k-4kflows" and m.group(8) == peer
                   for m in rows):
            fails.append("ipv4-1k-4kflows: no row with peer %s" % peer)
    for f in fails:
        print("FAIL", f)
    print("bench-quick: %d cases, %d problems" % (len(rows), len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
