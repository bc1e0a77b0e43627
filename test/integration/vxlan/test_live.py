#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/live: bridge domains added and deleted under load.

"under" replays VXLAN frames of VNI 42 forever from VTEP 10.0.0.2 (one
VNI only, so the decap node's one-entry VNI cache is never refilled by
another VNI: a stale entry would show). Each step changes the tables
from the CLI and then watches the counters for a while: what must
increase, what must not. Then the learned MAC is shown, cleared, and the
run stops cleanly.

Usage: /usr/bin/python3 test_live.py FERRY_BINARY
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "cli_live"))
import ferrytest as ft  # noqa: E402
from test_cli_changes import expect  # noqa: E402  (counter deltas)

try:
    from scapy.layers.vxlan import VXLAN
except ImportError:
    VXLAN = None

VM = "02:00:00:00:01:01"


def frames():
    out = []
    for i in range(64):
        inner = (ft.Ether(dst="02:00:00:00:99:%02x" % (i % 4), src=VM) /
                 ft.IP(src="192.168.7.1", dst="192.168.7.2") /
                 ft.UDP(sport=1000 + i, dport=53) / (b"z" * 40))
        out.append(bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:aa:02") /
                         ft.IP(src="10.0.0.2", dst="10.0.0.1") /
                         ft.UDP(sport=50000 + i, dport=4789, chksum=0) /
                         VXLAN(flags=0x08, vni=42) / inner))
    return out


def run(chk, cli):
    ok = lambda c: chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)  # noqa
    chk.set_group("VNI 42 bridged to h")
    expect(chk, cli, "start", ["tx h"], ["tx h2", "drop vxlan_unknown_vni"])
    macs = cli.cmd("show mac-table")
    chk.ok(re.search(r"^1\s+%s\s+learned\s+vtep 10.0.0.2\s" % VM.upper(), macs, re.M)
           is not None, "the VM's MAC learned behind 10.0.0.2", macs)
    chk.set_group("delete bridge domain 1")
    ok("vxlan bridge-domain del 1")
    expect(chk, cli, "bd 1 deleted", ["drop vxlan_unknown_vni"], ["tx h", "tx h2"])
    chk.eq(cli.cmd("show mac-table").count("\n"), 1, "its MACs went with it")
    chk.set_group("VNI 42 again, now on h2")
    ok("vxlan bridge-domain add 1 vni 42 interface h2")
    expect(chk, cli, "bd 1 on h2", ["tx h2"], ["tx h", "drop vxlan_unknown_vni"])
    chk.set_group("VNI 42 moves to bridge domain 2")
    ok("vxlan bridge-domain del 1")
    ok("vxlan bridge-domain add 2 vni 42 interface h")
    expect(chk, cli, "bd 2 on h", ["tx h"], ["tx h2", "drop vxlan_unknown_vni"])
    chk.set_group("learning and clearing")
    ok("clear mac-table bridge-domain 2")
    chk.ok("vxlan_unknown_vni" in cli.cmd("show drops"), "show drops names the reason")
    running = cli.cmd("show running-config")
    chk.ok(re.search(r"id = 2;\s*vni = 42;\s*interfaces = \( \"h\" \);", running)
           is not None, "the running config has bridge domain 2", running)


def main():
    binary = ft.setup()
    if VXLAN is None:
        ft.skip("scapy has no scapy.layers.vxlan")
    chk = ft.Checks("vxlan-live")
    work, cfg, _ = ft.live_case(ft.here(__file__, "live.cfg.in"), frames(), "vxlan-live")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        try:
            run(chk, cli)
        finally:
            cli.close()
    finally:
        status, _, err = ferry.stop()
    chk.set_group("stop")
    chk.eq(status, 0, "ferry exit status", err[-2000:])
    ft.shutil.rmtree(work, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
