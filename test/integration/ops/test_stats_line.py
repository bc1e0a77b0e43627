#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/stats-line: `ferry -s 1` prints one counter line a second; the
rates come from the monotonic counters, so `clear counters` between two
lines must not make them wrap (issue 19 item 3: main printed
"rx 18446744073702.305 Mpps" after a clear).

Usage: /usr/bin/python3 test_stats_line.py FERRY_BINARY
"""
import re
import sys

import opstest as O
from opstest import ft

LINE = rb"rx ([0-9.]+) Mpps  tx ([0-9.]+) Mpps  drop ([0-9.]+) Mpps  \| total rx (\d+) tx (\d+) drop (\d+)\n"
# Far above anything two shared cores forward, far below a wrapped
# unsigned difference (1.8e13 Mpps).
MPPS_MAX = 1000.0


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-stats-line")
    f = O.Ferry(binary, "ops-stats-line", template=ft.here(__file__, "loop.cfg.in"),
                args=["-s", "1"])
    try:
        chk.ok(f.run.wait_for(LINE, 10.0) is not None, "a counter line a second")
        chk.eq(f.cli.cmd("clear counters").strip(), "", "clear counters")
        for i in range(3):
            m = f.run.wait_for(LINE, 10.0)
            chk.ok(m is not None, "line %d after the clear" % (i + 1))
            if m is None:
                break
            rates = [float(m.group(k)) for k in (1, 2, 3)]
            chk.ok(all(r < MPPS_MAX for r in rates),
                   "line %d after the clear: rates %s below %g Mpps"
                   % (i + 1, rates, MPPS_MAX), m.group(0).decode())
            chk.ok(int(m.group(4)) < 2 ** 63, "line %d: total rx counts from the clear"
                   % (i + 1), m.group(0).decode())
    finally:
        status, _, err = f.stop()
    chk.eq(status, 0, "ferry exit status", err[-800:] if isinstance(err, str) else err)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
