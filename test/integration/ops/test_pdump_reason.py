#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/pdump-reason: when dpdk-pdump cannot attach, ferry's start-up log
and `show capture` name the option that stops it (issue 19 item 6: main
always blamed eal.huge = false):
  - eal.huge = false in the file           -> "eal.huge = false"
  - eal.huge = true, -- --no-huge           -> "--no-huge on its command line"
  - hugepages, eal.multi_process = false    -> "eal.multi_process = false"
    (only where 2 MB hugepages are free; said as a skip line otherwise)

Usage: /usr/bin/python3 test_pdump_reason.py FERRY_BINARY
"""
import sys

import opstest as O
from opstest import ft


def run_case(binary, chk, name, edit, args, want):
    chk.set_group(name)
    f = O.Ferry(binary, "ops-pdump-" + name, template=ft.here(__file__, "loop.cfg.in"),
                args=args, edit=edit)
    try:
        show = f.cli.cmd("show capture")
    finally:
        status, out, err = f.stop()
    chk.eq(status, 0, "ferry exit status", err[-800:])
    line = [l for l in (out + err).splitlines() if "dpdk-pdump cannot attach" in l]
    chk.eq(len(line), 1, "one start-up line says pdump cannot attach", (out + err)[-1500:])
    chk.ok(line and want in line[0], "the start-up line names %r" % want, str(line))
    chk.ok(want in show, "show capture names %r" % want, show)


def hugepages_free():
    with open("/proc/meminfo") as f:
        for l in f:
            if l.startswith("HugePages_Free:"):
                return int(l.split()[1])
    return 0


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-pdump-reason")
    run_case(binary, chk, "file-no-huge", None, [], "eal.huge = false")
    run_case(binary, chk, "cmdline-no-huge",
             lambda t: t.replace("huge = false;", "huge = true;"),
             ["--", "--no-huge"], "--no-huge on its command line")
    if hugepages_free() >= 128:
        run_case(binary, chk, "multi-process-off",
                 lambda t: t.replace("memory = 512; huge = false; in_memory = true;",
                                     "memory = 128; huge = true; in_memory = false;"
                                     " multi_process = false;"),
                 [], "eal.multi_process = false")
    else:
        print("note: no free 2 MB hugepages: the multi_process = false case is not run")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
