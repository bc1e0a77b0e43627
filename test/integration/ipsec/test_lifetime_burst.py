#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/lifetime-burst: soft and hard packet limits passed between two
polls of the management lcore (issue 19 item 8).

SA 4097 has soft_packets = 3 and hard_packets = 10; the LAN port replays
clear traffic in bursts of 32, so the first burst takes the SA from
active past both limits before the management lcore looks. Both
transitions must be logged, once each, soft before hard.

Usage: /usr/bin/python3 test_lifetime_burst.py FERRY_BINARY
"""

import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft
from test_live import frames
from test_lifetime import state


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-lifetime-burst")
    with open(ft.here(__file__, "live.cfg.in")) as f:
        text = f.read().replace('salt = "cafebabe"; } );',
                                'salt = "cafebabe";\n\t\t  lifetime = { soft_packets = 3;'
                                ' hard_packets = 10; }; } );')
    ferry = C.live_ferry(binary, text, frames(), "ipsec-lifetime-burst")
    try:
        cli = ft.Cli(ferry.port)
        deadline = time.monotonic() + 10
        while state(cli) != "hard-expired" and time.monotonic() < deadline:
            time.sleep(0.05)
        chk.eq(state(cli), "hard-expired", "hard-expired after the first burst")
        time.sleep(0.2)  # a few more polls: nothing is logged twice
        cli.close()
    finally:
        status, out, err = ferry.stop()
    chk.eq(status, 0, "ferry exit status")
    log = out + err
    soft = [m.start() for m in re.finditer(r"SA 4097 out: soft-expired", log)]
    hard = [m.start() for m in re.finditer(r"SA 4097 out: hard-expired", log)]
    chk.eq(len(soft), 1, "one log line for the soft expiry", log[-1500:])
    chk.eq(len(hard), 1, "one log line for the hard expiry", log[-1500:])
    chk.ok(len(soft) == 1 and len(hard) == 1 and soft[0] < hard[0],
           "soft is logged before hard")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
