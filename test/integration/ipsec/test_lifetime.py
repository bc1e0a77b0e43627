#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/lifetime: time lifetimes under load (RFC 4301 4.4.2.1).

Clear traffic is encrypted into SA 4097 without pause; the SA has
soft_seconds = 1 and hard_seconds = 2. It must show soft-expired, then
hard-expired; from then on nothing leaves the WAN port (never in clear)
and every packet is dropped as sa_expired; the management lcore logs
both changes once.

Usage: /usr/bin/python3 test_lifetime.py FERRY_BINARY
"""

import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft
from test_live import frames

WINDOW = 0.3


def state(cli):
    m = re.search(r"state (\S+)", cli.cmd("show ipsec sa 4097"))
    return m.group(1) if m else None


def wait_state(cli, want, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if state(cli) == want:
            return True
        time.sleep(0.05)
    return False


def snap(cli):
    c = ft.Counters(cli.cmd("show counters"))
    return c.ports.get("p1", {}).get("tx", 0), c.drops.get("sa_expired", 0)


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-lifetime")
    with open(ft.here(__file__, "live.cfg.in")) as f:
        text = f.read().replace('salt = "cafebabe"; } );',
                                'salt = "cafebabe";\n\t\t  lifetime = { soft_seconds = 1;'
                                ' hard_seconds = 2; }; } );')
    ferry = C.live_ferry(binary, text, frames(), "ipsec-lifetime")
    try:
        cli = ferry.cli()
        chk.set_group("active, then soft, then hard")
        chk.eq(state(cli), "active", "active at start")
        a = snap(cli)
        time.sleep(WINDOW)
        chk.ok(snap(cli)[0] > a[0], "ESP leaves while active")
        chk.ok(wait_state(cli, "soft-expired", 3), "soft-expired after 1 s")
        chk.ok(wait_state(cli, "hard-expired", 3), "hard-expired after 2 s")
        chk.set_group("after the hard lifetime: dropped, never in clear")
        time.sleep(0.1)  # bursts already past the check leave
        a = snap(cli)
        time.sleep(WINDOW)
        b = snap(cli)
        chk.eq(b[0], a[0], "nothing leaves the WAN port any more")
        chk.ok(b[1] > a[1], "packets are dropped as sa_expired")
        cli.close()
    finally:
        status, out, err = ferry.stop()
    chk.eq(status, 0, "ferry exit status")
    log = out + err
    chk.eq(len(re.findall(r"SA 4097 out: soft-expired", log)), 1,
           "one log line for the soft expiry", log[-1500:])
    chk.eq(len(re.findall(r"SA 4097 out: hard-expired", log)), 1,
           "one log line for the hard expiry", log[-1500:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
