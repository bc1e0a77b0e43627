#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""control_plane/reload: representors change live through `config reload`
(lib/config's keyed change; topology in cptopo.py).

ferry starts with representors for wan and wan100; the file is then
rewritten to drop wan100's and add lan's, and `config reload` must make
the TAP "lan" appear, take "wan100" away and leave wan's TAP untouched
(same ifindex). A changed CoPP rate is refused (it needs a restart) and
changes nothing. The running-config after the reload equals that of a
fresh start with the same file. `show counters` lists the CoPP classes
(lib/stats source "copp": also telemetry /ferry/copp and Prometheus),
with the values `show control-plane` shows.

Needs root, network namespaces, veth and /dev/net/tun; exits 77
(skipped) without them.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cptopo as t  # noqa: E402

SECTION = """control_plane = {{
  representors = ( {reps} );
  vrf_netns = ( {{ vrf = "cust"; netns = "{ns_vrf}"; }} );
  copp = {{ management = {{ rate = {rate}; burst = 100; }}; }};
}};
"""
REP_WAN = '{ interface = "wan"; name = "%s"; netns = "%s"; }'
REP_LAN = '{ interface = "lan"; netns = "%s"; }'
REP_VLAN = '{ interface = "wan100"; }'


def write(work, reps, rate=1000):
    cfg = t.write_config(work, with_cp=False)
    with open(cfg, "a") as f:
        f.write(SECTION.format(reps=", ".join(reps), ns_vrf=t.NS_VRF,
                               rate=rate))
    return cfg


def ifindex(ns, name):
    out = t.sh("ip -o link show %s" % name, ns=ns, check=False)
    m = re.match(r"^(\d+):", out)
    return int(m.group(1)) if m else None


def check_counters(chk):
    show, counters = t.cli(None, "show control-plane", "show counters")
    for cls in ("routing", "ike", "management", "icmp", "other"):
        m = re.search(r"^%s\s+\d+\s+\d+\s+(\d+)\s+(\d+)$" % cls, show, re.M)
        c = re.search(r"^copp_class %s packets (\d+) policed (\d+)$" % cls,
                      counters, re.M)
        chk.ok(m is not None and c is not None and
               m.groups() == c.groups(),
               "show counters has CoPP class %s as show control-plane" % cls,
               show + counters)


def check_reload(chk, work):
    wan_idx = ifindex(t.NS_CP, t.TAP_WAN)
    chk.ok(wan_idx is not None and "wan100" in t.links(t.NS_VRF)
           and t.TAP_LAN not in t.links(t.NS_CP),
           "started with the TAPs of wan and wan100, none for lan",
           str(t.links(t.NS_CP)) + str(t.links(t.NS_VRF)))
    write(work, [REP_WAN % (t.TAP_WAN, t.NS_CP), REP_LAN % t.NS_CP])
    r = t.cli(None, "config reload")[0]
    chk.ok("reloaded" in r and "2 changes" in r,
           "config reload adds lan's and removes wan100's representor", r)
    chk.ok(t.wait_for(lambda: t.TAP_LAN in t.links(t.NS_CP), 5),
           "TAP %s appears after the reload" % t.TAP_LAN, str(t.links(t.NS_CP)))
    chk.ok(t.wait_for(lambda: "wan100" not in t.links(t.NS_VRF), 5),
           "TAP wan100 disappears after the reload", str(t.links(t.NS_VRF)))
    chk.eq(ifindex(t.NS_CP, t.TAP_WAN), wan_idx,
           "wan's TAP (unchanged row) was not touched: same ifindex")
    write(work, [REP_WAN % (t.TAP_WAN, t.NS_CP), REP_LAN % t.NS_CP],
          rate=2000)
    r = t.cli(None, "config reload")[0]
    chk.ok("rejected" in r and "restart" in r and "copp" in r,
           "a changed CoPP rate is refused: needs a restart", r)
    r = t.cli(None, "show control-plane")[0]
    chk.ok(re.search(r"^management\s+1000\s", r, re.M) is not None,
           "... and the rate stays 1000", r)
    cfg = write(work, [REP_WAN % (t.TAP_WAN, t.NS_CP), REP_LAN % t.NS_CP])
    return cfg, t.cli(None, "show running-config")[0]


def run(binary, chk, work):
    t.topology_up()
    cfg = write(work, [REP_WAN % (t.TAP_WAN, t.NS_CP), REP_VLAN])
    proc, out, port = t.start_ferry(binary, work, cfg)
    try:
        if not chk.ok(port is not None, "ferry started",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("reload adds and removes representors")
        cfg, after_reload = check_reload(chk, work)
        chk.set_group("CoPP counters in lib/stats")
        check_counters(chk)
    finally:
        chk.eq(t.stop_ferry(proc), 0, "ferry exit status")
    chk.set_group("reload = fresh start")
    proc, out, port = t.start_ferry(binary, work, cfg)
    try:
        if chk.ok(port is not None, "ferry starts with the reloaded file",
                  open(out.name).read()[-3000:]):
            fresh = t.cli(None, "show running-config")[0]
            chk.eq(after_reload, fresh, "running-config after the reload "
                   "equals that of a fresh start with the file")
    finally:
        t.stop_ferry(proc)


def main():
    t.main("reload", run)


if __name__ == "__main__":
    main()
