#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""scripts/install-deps.sh installs by group (issue 19, item 19): what
scripts/run.sh asks for holds what running and building need and none of
the test and bench tools (valgrind, clang, gnuplot, prometheus...);
scripts/test.sh and scripts/bench.sh ask for their own groups, and the
groups together are what a fresh CI machine gets. Nothing is installed
(--list only).

Usage: /usr/bin/python3 test_install_groups.py FERRY_BINARY
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ferrytest as ft  # noqa: E402

ROOT = ft.here(__file__, "..", "..", "..")
NOT_FOR_RUN = ["valgrind", "clang", "gnuplot-nox", "prometheus", "linux-perf",
               "tshark", "python3-scapy", "dpdk-doc", "tmux", "clang-format"]


def listing(*groups):
    p = subprocess.run([os.path.join(ROOT, "scripts", "install-deps.sh"), "--list"]
                       + list(groups), capture_output=True, text=True, timeout=30)
    return p.returncode, set(p.stdout.split()), p.stderr


def asked(script):
    """The groups @p script passes to install-deps.sh."""
    with open(os.path.join(ROOT, "scripts", script)) as f:
        m = re.search(r"^scripts/install-deps\.sh(.*)$", f.read(), re.M)
    return m.group(1).split() if m else None


def main():
    ft.setup()
    chk = ft.Checks("install-groups")
    chk.set_group("run.sh")
    groups = asked("run.sh")
    chk.ok(groups is not None and set(groups) <= {"run", "build"},
           "run.sh asks only for run and build", repr(groups))
    rc, run, err = listing(*(groups or ["run", "build"]))
    chk.eq(rc, 0, "--list status", err)
    for p in NOT_FOR_RUN:
        chk.ok(p not in run, "run.sh does not install %s" % p)
    for p in ["dpdk", "libdpdk-dev", "libconfig-dev", "meson", "libipsec-mb-dev"]:
        chk.ok(p in run, "run.sh installs %s" % p)

    chk.set_group("test.sh and bench.sh")
    chk.eq(sorted(asked("test.sh") or []), ["build", "run", "test"],
           "test.sh asks for run, build and test")
    chk.eq(sorted(asked("bench.sh") or []), ["bench", "build", "run"],
           "bench.sh asks for run, build and bench")
    _, test, _ = listing("test")
    for p in ["python3-scapy", "tshark", "clang", "clang-format", "prometheus", "systemd"]:
        chk.ok(p in test, "the test group has %s" % p)
    _, everything, _ = listing()
    _, union, _ = listing("run", "build", "test", "bench")
    chk.eq(everything, union, "no argument = every group")
    rc, _, err = listing("nonsense")
    chk.ok(rc != 0 and "unknown group" in err, "an unknown group is refused", err)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
