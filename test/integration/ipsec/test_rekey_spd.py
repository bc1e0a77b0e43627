#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/rekey_spd: a hand-made inbound rekey under an SPD rule naming
the old SA (issue 16: policies refer to a tunnel, not to one SPI).

The inbound SPD protects 10.2.0.0/16 -> 192.168.1.0/24 with SA 8193,
as config/examples/ipsec-gw.cfg does. The replayed capture interleaves
ESP of the old SA (8193) and of the new one (8194) of the same tunnel.
Once `ipsec sa add` installs 8194, its packets are delivered too (not
dropped as ipsec_spd_mismatch: both SAs belong to the rule's tunnel);
`ipsec sa del 8193 in` works although the rule names 8193, and the rule
then names 8194; the last SA of the tunnel cannot go while the rule
uses it.

Usage: /usr/bin/python3 test_rekey_spd.py FERRY_BINARY
"""

import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft
from test_rekey_in import CONFIG, NEW_KEY, ALG, frames, delta

SPD = ('{ direction = "in"; src = "10.2.0.0/16"; dst = "192.168.1.0/24"; '
       'action = "protect"; sa = 8193; }')


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-rekey-spd")
    sa = C.sa_cfg(8193, "in", ALG, C.LOCAL, C.PEER, replay_window=0)
    cfg = CONFIG.replace("ipsec = { sas = ( %s ); };",
                         "ipsec = { sas = ( %s ); spd = ( " + SPD + " ); };")
    ferry = C.live_ferry(binary, cfg % sa, frames(), "ipsec-rekey-spd")
    try:
        cli = ferry.cli()
        chk.set_group("old SA only")
        d = delta(cli)
        chk.ok(d.get("tx lan", 0) > 0, "old SA delivered", str(d))
        chk.set_group("both SAs of the tunnel")
        out = cli.cmd("ipsec sa add 8194 in local 203.0.113.1 remote 203.0.113.2 "
                      "algorithm aes-gcm-128 key %s salt %s inner-vrf cust "
                      "replay-window 0" % (NEW_KEY, C.SALT.hex())).strip()
        chk.eq(out, "", "the new inbound SA is added")
        time.sleep(0.1)
        d = delta(cli)
        chk.eq([k for k in d if k.startswith("drop")], [],
               "no drop at all (no ipsec_spd_mismatch)", str(d))
        chk.set_group("old SA deleted under the rule")
        chk.eq(cli.cmd("ipsec sa del 8193 in").strip(), "",
               "the old SA is deleted though the rule named it")
        spd = cli.cmd("show ipsec spd")
        chk.ok(re.search(r"protect\s+sa 8194", spd) is not None,
               "the rule now names the new SA", spd)
        d = delta(cli)
        chk.ok(d.get("tx lan", 0) > 0 and
               "drop ipsec_spd_mismatch" not in d,
               "the new SA delivers under the rule", str(d))
        out = cli.cmd("ipsec sa del 8194 in").strip()
        chk.ok("last of its tunnel" in out,
               "the tunnel's last SA stays while a rule uses it", out)
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
