#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""What an operator reads when something does not fit (issue 19, item 16;
item 14: the same subnet on two interfaces of a VRF is refused):
a full VRF names max_routes and counts what fills it (connected and local
routes of its interfaces included) instead of "No space left on device";
an out-of-range integer is shown as written, not as libconfig's 32-bit
wrap; a syntax error names the token it stopped at (more cases in
ops/test_syntax_errors.py).

Usage: /usr/bin/python3 test_operator_messages.py FERRY_BINARY
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ferrytest as ft  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ADDS = ["ip route add 10.3.%d.0/24 via 198.18.1.2" % i for i in range(12)]


def check_full_vrf(chk, binary):
    chk.set_group("full VRF")
    traffic = ft.Traffic(["in"])
    traffic.add("in", bytes(ft.Ether(dst="02:00:00:00:01:00") / ft.IP(dst="192.0.2.9")
                            / ft.UDP()))
    res = ft.run_ferry(binary, os.path.join(HERE, "full.cfg.in"), traffic,
                       extra_cmds=ADDS)
    if not res.check_run(chk):
        return
    chk.set_group("full VRF")
    outs = [res.extra.get(c, "").strip() for c in ADDS]
    # 6 connected/local + 2 static = 8; 8 more fit in 16
    chk.eq(outs[:8], [""] * 8, "the first 8 routes fit", "\n".join(outs))
    want = ('VRF "default" is full: max_routes 16 reached (10 static, 6 '
            "connected/local of its interfaces, 0 other); raise vrfs.max_routes")
    chk.ok(want in outs[8], "the 9th names max_routes and what fills the VRF",
           "got: %r\nwant: %r" % (outs[8], want))
    chk.ok("No space left on device" not in "\n".join(outs), "no bare strerror",
           "\n".join(outs))


def check_text(chk, binary, name, text, want):
    chk.set_group(name)
    with tempfile.TemporaryDirectory(prefix="ferry-it-msg-") as d:
        path = os.path.join(d, "t.cfg")
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([binary, "-c", "t.cfg", "--check"], cwd=d, capture_output=True,
                           text=True, timeout=30)
    first = p.stderr.splitlines()[0] if p.stderr.strip() else ""
    chk.eq(p.returncode, 1, "%s: exit status" % name, p.stderr)
    chk.eq(first, want, "%s: first stderr line" % name)


def main():
    binary = ft.setup()
    chk = ft.Checks("operator-messages")
    good = open(os.path.join(HERE, "..", "config_errors", "good.cfg")).read()
    check_text(chk, binary, "integer as written",
               good.replace("vlan = 10;", "vlan = 4294967306;"),
               "t.cfg:9: interfaces.[0].vlan: 4294967306: must be 0..4094")
    check_text(chk, binary, "syntax error names the token",
               good.replace("id = 1;", "id = = 1;"),
               't.cfg:13: syntax error at "=": a value expected')
    # item 14: two connected routes for one prefix, of which one would win
    check_text(chk, binary, "same subnet twice in a VRF",
               good.replace('address = "192.168.101.1/24"', 'address = "10.0.10.2/30"'),
               't.cfg:10: interfaces.[1].address: "10.0.10.2/30": same subnet as '
               'interface "p1.10" in VRF "cust-a"')
    check_full_vrf(chk, binary)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
