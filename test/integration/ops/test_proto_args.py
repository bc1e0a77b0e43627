#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19.12: `proto` takes the same words everywhere on the CLI (one
argument type, <ip-proto>, in lib/cli): ACL rules, IPsec SPD rules and
trace filters accept protocol names (tcp, udp, icmp, esp, gre, ospf...)
and numbers 0..255 alike, and refuse the same bad words with the same
reason. Empty states read "no X" (show control-plane)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

# Each command with PROTO where the protocol goes.
COMMANDS = (
    "acl rule add fin-proto permit proto PROTO",
    "ipsec spd add out bypass proto PROTO",
    "trace add 1 proto PROTO",
)
GOOD = ("tcp", "udp", "icmp", "esp", "gre", "ospf", "6", "255")
BAD = ("tcpx", "256", "06", "-1", "TCP")


def main():
    binary = ft.setup()
    chk = ft.Checks("proto-args")
    ferry = ops.Ferry(binary, "proto-args")
    try:
        cli = ferry.cli
        chk.set_group("names and numbers accepted")
        for cmd in COMMANDS:
            for p in GOOD:
                out = cli.cmd(cmd.replace("PROTO", p))
                chk.ok("<ip-proto>" not in out and "protocol" not in out.lower()
                       and ('"%s" at word' % p) not in out,
                       "%s: proto %s accepted" % (cmd.split(" proto")[0], p), out)
        chk.set_group("bad words refused alike")
        for p in BAD:
            outs = [cli.cmd(c.replace("PROTO", p)) for c in COMMANDS]
            reasons = {o.split(":", 1)[-1].strip() for o in outs}
            chk.ok(all(o.startswith("%") and "<ip-proto>" in o for o in outs)
                   and len(reasons) == 1,
                   "proto %s refused by all, with one reason" % p, "\n".join(outs))
        chk.set_group("the filter means the protocol")
        cli.cmd("trace add 1 proto udp")
        a = cli.cmd("show trace")
        cli.cmd("trace add 1 proto 17")
        b = cli.cmd("show trace")
        chk.eq(a, b, "trace proto udp = trace proto 17")
        chk.set_group("empty states read \"no ...\"")
        out = cli.cmd("show control-plane")
        chk.ok(out.startswith("no representors\n"),
               "show control-plane without representors", out)
    finally:
        ferry.stop()
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
