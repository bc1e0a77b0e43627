#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/live: CLI changes under replayed load.

Hitless rekey: with clear traffic encrypted into SA 4097 without pause,
a new SA 4098 is added, the route moved to it and 4097 deleted: not one
packet is dropped (no drop reason counts anything) and 4098 carries the
traffic. The outbound SPD is edited live (discard on, then off). Bad
changes are refused with one error line and change nothing. Keys never
show (show ipsec sa, show running-config); `write` saves them, and a
restart from the written file runs the same configuration.

Usage: /usr/bin/python3 test_live.py FERRY_BINARY
"""

import os
import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft

WINDOW = 0.3
NEW_KEY = "202122232425262728292a2b2c2d2e2f"
NEW_AUTH = "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"


def frames():
    return [bytes(C.lan_frame(C.inner(0, dst="10.2.%d.%d" % (i, i + 1), size=200)))
            for i in range(64)]


def sa_packets(cli, spi):
    m = re.search(r"packets (\d+)", cli.cmd("show ipsec sa %d" % spi))
    return int(m.group(1)) if m else -1


def drops(cli):
    return ft.Counters(cli.cmd("show counters")).drops


def rekey(chk, cli):
    ok = lambda c: chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)  # noqa
    chk.set_group("hitless rekey under load")
    time.sleep(WINDOW)
    chk.ok(sa_packets(cli, 4097) > 0, "SA 4097 carries the traffic")
    ok("ipsec sa add 4098 out local 203.0.113.1 remote 203.0.113.2 algorithm "
       "aes-cbc-128-sha256 key %s auth-key %s inner-vrf cust" % (NEW_KEY, NEW_AUTH))
    text = cli.cmd("show ipsec sa 4098")
    chk.ok("state active" in text and NEW_KEY not in text and NEW_AUTH not in text,
           "new SA shown, without its keys", text)
    ok("ipsec route add cust 10.2.0.0/16 sa 4098")
    time.sleep(WINDOW)
    ok("ipsec sa del 4097 out")
    a = sa_packets(cli, 4098)
    time.sleep(WINDOW)
    chk.ok(sa_packets(cli, 4098) > a > 0, "SA 4098 carries the traffic now")
    chk.ok("no SA with SPI 4097" in cli.cmd("show ipsec sa 4097"), "SA 4097 is gone")
    chk.eq(drops(cli), {}, "not one packet dropped during the rekey")


def spd_live(chk, cli):
    ok = lambda c: chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)  # noqa
    chk.set_group("SPD edited live")
    ok("ipsec spd add out discard dst 10.2.0.0/17")
    a = drops(cli).get("ipsec_spd_discard", 0)
    time.sleep(WINDOW)
    chk.ok(drops(cli).get("ipsec_spd_discard", 0) > a, "half of the traffic is discarded")
    spd = cli.cmd("show ipsec spd")
    chk.ok(re.search(r"^0\s+out.*10\.2\.0\.0/17.*discard", spd, re.M) is not None,
           "show ipsec spd lists the rule", spd)
    ok("ipsec spd del 0")
    a = drops(cli).get("ipsec_spd_discard", 0)
    time.sleep(WINDOW)
    b = drops(cli).get("ipsec_spd_discard", 0)
    time.sleep(WINDOW)
    chk.eq(drops(cli).get("ipsec_spd_discard", 0), b, "no discards once the rule is gone")


def bad_changes(chk, cli):
    chk.set_group("bad changes change nothing")
    before = cli.cmd("show running-config")
    for c in ("ipsec sa del 4098 out",            # the route uses it
              "ipsec sa del 4242 in",             # no such SA
              "ipsec sa add 4098 out local 203.0.113.1 remote 203.0.113.2 "
              "algorithm aes-gcm-128 key %s salt 01020304" % NEW_KEY,  # exists
              "ipsec sa add 5000 out local 203.0.113.1 remote 203.0.113.2 "
              "algorithm aes-gcm-128 key 0011 salt 01020304",          # short key
              "ipsec sa add 5001 in local 203.0.113.1 remote 203.0.113.2 "
              "algorithm aes-gcm-128 key %s salt 01020304 inner-vrf nope" % NEW_KEY,
              "ipsec spd add in protect sa 9999",
              "ipsec spd del 7",
              "ipsec route add cust 10.3.0.0/16 sa 9999",
              "ipsec route del cust 10.9.0.0/16"):
        out = cli.cmd(c).strip()
        chk.ok(out.startswith("%") and "\n" not in out,
               "%r is refused with one error line" % c, out)
    chk.eq(cli.cmd("show running-config"), before,
           "running config unchanged by refused changes")


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-live")
    work, cfg, _ = ft.live_case(ft.here(__file__, "live.cfg.in"), frames(), "ipsec")
    saved = os.path.join(work, "saved.cfg")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        rekey(chk, cli)
        spd_live(chk, cli)
        bad_changes(chk, cli)
        chk.set_group("running config, write and restart")
        running = cli.cmd("show running-config")
        chk.ok("spi = 4098;" in running and '"<secret>"' in running,
               "running config has the new SA, keys hidden", running)
        chk.ok(NEW_KEY not in running and NEW_AUTH not in running,
               "no key in show running-config")
        out = cli.cmd("write " + saved)
        chk.ok("written" in out and os.path.exists(saved), "write saved the file", out)
        with open(saved) as f:
            chk.ok(NEW_KEY in f.read(), "the written file keeps the keys")
        cli.close()
    finally:
        ferry.stop()
    ferry = ft.Running(binary, saved)
    try:
        cli = ferry.cli()
        chk.eq(cli.cmd("show running-config"), running,
               "restarted from the written file: same running config")
        time.sleep(WINDOW)
        chk.ok(sa_packets(cli, 4098) > 0, "SA 4098 carries traffic after the restart")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
