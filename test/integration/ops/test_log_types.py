#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/log-types: every library logs under its own DPDK log type
"ferry.<lib>", so EAL's --log-level picks one library (issue 19 item 7:
main registered "RTE_LOG_DEFAULT_LOGTYPE.route", which the documented
filter never matched). ferry runs twice with one library at debug and
must print that library's debug line and not the other's.

Usage: /usr/bin/python3 test_log_types.py FERRY_BINARY
"""
import re
import sys

import opstest as O
from opstest import ft

ROUTE_DEBUG = r"route: VRF default: route [0-9.]+/\d+ installed"
PORT_DEBUG = r"port: in: \S+ started \(ethdev \d+\), 1 rx and 1 tx queues"


def run(binary, chk, level, want, not_want):
    chk.set_group("--log-level=" + level)
    f = O.Ferry(binary, "ops-log-" + level.split(":")[0],
                template=ft.here(__file__, "loop.cfg.in"),
                args=["--", "--log-level=" + level])
    status, out, err = f.stop()
    log = f.run.log.decode(errors="replace") + out + err
    chk.eq(status, 0, "ferry exit status", err[-800:])
    chk.ok(re.search(want, log) is not None, "the chosen library's debug line", log[-1500:])
    chk.ok(re.search(not_want, log) is None, "no debug line of another library",
           log[-1500:])
    chk.ok(re.search(r"RTE_LOG_DEFAULT_LOGTYPE", log) is None, "no unnamed log type")


def main():
    binary = ft.setup()
    chk = ft.Checks("ops-log-types")
    run(binary, chk, "ferry.route:debug", ROUTE_DEBUG, PORT_DEBUG)
    run(binary, chk, "ferry.port:debug", PORT_DEBUG, ROUTE_DEBUG)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
