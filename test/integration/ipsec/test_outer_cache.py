#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/outer-cache: an SA's cached outer route follows route changes.

ferry_esp_encrypt resolves the outer route of an SA (the peer
203.0.113.2, a connected destination on wan) once per route epoch and
sends the encrypted packets straight to the port (issue 21). Under
replayed load, every change that must redirect them does so at once:
a /32 blackhole for the peer drops them (ip4_blackhole, the count
grows), deleting it lets them out again (the count stops, wan's tx
grows); deleting the peer's neighbour sends them to ARP resolution
(they stop leaving), adding it back lets them out again.

Usage: /usr/bin/python3 test_outer_cache.py FERRY_BINARY
"""

import json
import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft

WINDOW = 0.5
PEER = "203.0.113.2"


def frames():
    return [bytes(C.lan_frame(C.inner(0, dst="10.2.%d.%d" % (i, i + 1), size=200)))
            for i in range(64)]


def drops(cli):
    return ft.Counters(cli.cmd("show counters")).drops


def wan_tx(cli):
    for i in json.loads(cli.cmd("show interfaces | json")):
        if i.get("interface") == "wan":
            return int(i.get("tx-packets", -1))
    return -1


def moving(fn):
    """Whether @p fn's value grows over a window (it never goes down)."""
    a = fn()
    time.sleep(WINDOW)
    return fn() > a


def ok(chk, cli, c):
    chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)


def blackhole(chk, cli):
    chk.set_group("a /32 blackhole for the peer, then its removal")
    bh = lambda: drops(cli).get("ip4_blackhole", 0)  # noqa: E731
    chk.ok(moving(lambda: wan_tx(cli)), "encrypted packets leave by wan")
    chk.eq(bh(), 0, "nothing dropped as ip4_blackhole before")
    ok(chk, cli, "ip route add %s/32 blackhole" % PEER)
    time.sleep(WINDOW)
    chk.ok(moving(bh), "with the blackhole the outer packets are dropped")
    chk.ok(not moving(lambda: wan_tx(cli)), "and none leaves by wan")
    ok(chk, cli, "ip route del %s/32" % PEER)
    time.sleep(WINDOW)
    chk.ok(not moving(bh), "without it no more ip4_blackhole drops")
    chk.ok(moving(lambda: wan_tx(cli)), "and packets leave by wan again")


def neighbour(chk, cli):
    chk.set_group("the peer's neighbour deleted, then added back")
    ok(chk, cli, "neighbour del %s interface wan" % PEER)
    time.sleep(WINDOW)
    chk.ok(not moving(lambda: wan_tx(cli)),
           "without a MAC for the peer no packet leaves (ARP resolution)")
    ok(chk, cli, "neighbour add %s mac 02:00:00:00:0b:02 interface wan" % PEER)
    time.sleep(WINDOW)
    chk.ok(moving(lambda: wan_tx(cli)), "with it back, packets leave by wan")


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-outer-cache")
    _, cfg, _ = ft.live_case(ft.here(__file__, "live.cfg.in"), frames(),
                             "ipsec-outer-cache")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        time.sleep(WINDOW)
        blackhole(chk, cli)
        neighbour(chk, cli)
        m = re.search(r"packets (\d+)", cli.cmd("show ipsec sa 4097"))
        chk.ok(m is not None and int(m.group(1)) > 0, "SA 4097 counted the packets")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
