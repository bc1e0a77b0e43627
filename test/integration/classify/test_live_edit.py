#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""classify/live-edit: ACL rules edited over the CLI while packets flow.

ferry replays a capture forever (net_pcap infinite_rx) into interface
"in", whose ACL "live" (default deny) permits UDP to ports 1000-1999;
half the packets go to those ports, half to 3000-3255. Over one CLI
session the test inserts, deletes and re-adds rules (matching and not
matching the traffic) hundreds of times;
every change builds and publishes a new rte_acl context under traffic.
It checks that every command succeeded, that the permanent rule's hit
counter never went backwards across edits of other rules, that the
counters freeze once the ACL is unbound, and, from the final counters
(workers stopped), that every received packet was either sent or dropped
as acl_deny, and nothing else.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

CYCLES = 150
PERM = "permit proto udp dport 1000-1999"


def frames():
    out = []
    for i in range(256):
        dport = 1000 + i * 3 if i % 2 else 3000 + i
        pkt = (ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
               ft.IP(src="192.0.2.%d" % (10 + i % 50), dst="10.1.%d.1" % i, ttl=64) /
               ft.UDP(sport=40000 + i, dport=dport) / (b"x" * 18))
        out.append(bytes(pkt))
    return out


def rules(text):
    """[(number, hits, rule text)] of `show acl live`, default as '-'."""
    return [(m.group(1), int(m.group(2)), m.group(3).strip())
            for m in re.finditer(r"^\s+(\d+|-)\s+(\d+)\s+(.*)$", text, re.M)]


def perm_hits(text):
    for _, hits, rule in rules(text):
        if rule == PERM:
            return hits
    return None


def cycle(cli, chk, i):
    cmds = [
        "acl rule insert live 1 deny proto udp dport 1500-1599",
        "acl rule add live permit src 192.0.2.0/28 proto udp dport 3000-3100 "
        "class 3 set-dscp af41",
        "acl rule insert live 2 permit proto tcp dport %d" % (100 + i),
        "acl rule insert live 1 permit proto udp dport 3000-3010",
        "acl rule del live 2",
        "acl rule del live 4",
        "acl rule del live 2",
        "acl rule del live 1",
    ]
    before = perm_hits(cli.cmd("show acl live"))
    for c in cmds:
        out = cli.cmd(c)
        if out.strip():
            chk.fail("%r answered %r" % (c, out.strip()))
            return False
    text = cli.cmd("show acl live")
    after = perm_hits(text)
    if before is None or after is None or after < before:
        chk.fail("cycle %d: permanent rule hits %s then %s" % (i, before, after), text)
        return False
    got = [r for _, _, r in rules(text)]
    if got != [PERM, "deny (default)"]:
        chk.fail("cycle %d: rules after the edits" % i, text)
        return False
    return True


def reload_phase(cli, chk, cfg, base):
    """`config reload` with the ACL changed in the file, a bad file, and
    back: all or nothing, the kept rule keeps its counter."""
    chk.set_group("config reload")
    one = '{ proto = "udp"; dport = "1000-1999"; }'
    deny = '{ proto = "udp"; dport = "1000-1099"; action = "deny"; }'
    assert one in base

    def reload(text):
        with open(cfg + ".new", "w") as f:
            f.write(text)
        os.rename(cfg + ".new", cfg)
        return cli.cmd("config reload")

    before = perm_hits(cli.cmd("show acl live"))
    out = reload(base.replace(one, deny + ",\n\t\t" + one))
    chk.ok("reloaded" in out and "1 change" in out, "reload adds a rule", out)
    text = cli.cmd("show acl live")
    chk.eq([r for _, _, r in rules(text)],
           ["deny proto udp dport 1000-1099", PERM, "deny (default)"],
           "rules after the reload", text)
    after = perm_hits(text)
    chk.ok(after is not None and before is not None and after >= before,
           "the unchanged rule kept its counter (%s then %s)" % (before, after))
    out = reload(base.replace(one, one.replace("1000-1999", "1999-1000")))
    chk.ok(out.startswith("%") and "rejected" in out, "a bad rule: reload refused",
           out)
    chk.eq([r for _, _, r in rules(cli.cmd("show acl live"))][:2],
           ["deny proto udp dport 1000-1099", PERM], "refused reload changed nothing")
    out = reload(base)
    chk.ok("reloaded" in out and "1 change" in out, "reload back to the file", out)


def check_final(chk, stopped, dflt):
    """Final counters (workers stopped): each packet sent or denied."""
    status, out, err = stopped
    chk.set_group("final counters")
    chk.eq(status, 0, "ferry exit status", err[-2000:])
    text = out.split("ferry: final counters", 1)[-1]
    chk.ok("ferry: final counters" in out, "ferry printed its final counters",
           out[-2000:])
    c = ft.Counters(text)
    rx, a = c.ports.get("in", {}), c.ports.get("a", {})
    deny = c.drops.get("acl_deny", 0)
    chk.ok(rx.get("rx", 0) > 100000, "traffic flowed during the edits "
           "(%d packets received)" % rx.get("rx", 0))
    chk.eq(set(c.drops) - {"acl_deny"}, set(), "no drop but acl_deny", text)
    chk.eq(a.get("tx", 0) + deny, rx.get("rx"), "every packet sent or denied")
    # The default was "permit" for a moment: its counter includes those.
    chk.ok(dflt and 0 < dflt[0], "the default counted packets (%s)" % dflt)
    chk.ok(deny > 0, "packets were denied (%d)" % deny)


def main():
    binary = ft.setup()
    chk = ft.Checks("classify-live-edit")
    _, cfg, base = ft.live_case(ft.here(__file__, "live.cfg.in"), frames(), "acl-live")
    ferry = ft.Running(binary, cfg)
    dflt = []
    try:
        cli = ferry.cli()
        chk.set_group("edits under traffic")
        chk.ok(all(cycle(cli, chk, i) for i in range(CYCLES)),
               "%d edit cycles: no error, rules and counters as expected" % CYCLES)
        bad = cli.cmd("acl rule add live permit proto udp dport 9-1")
        chk.ok(bad.startswith("%"), "a bad rule is refused", bad)
        chk.eq(rules(cli.cmd("show acl live"))[0][2], PERM, "the refused rule changed nothing")
        for c in ("acl default live permit", "acl default live deny"):
            chk.eq(cli.cmd(c).strip(), "", c)
        reload_phase(cli, chk, cfg, base)
        chk.set_group("unbound: counters freeze")
        chk.eq(cli.cmd("acl unbind in").strip(), "", "acl unbind in")
        first = cli.cmd("show acl live")
        ft.time.sleep(0.5)
        second = cli.cmd("show acl live")
        chk.eq(rules(second), rules(first), "no hit counted once unbound", second)
        dflt = [h for n, h, _ in rules(second) if n == "-"]
        running = cli.cmd("show running-config")
        chk.ok('name = "live"' in running and "interfaces" not in
               running.split('name = "live"', 1)[1].split("}", 1)[0],
               "running-config shows ACL live unbound", running)
        cli.close()
    finally:
        stopped = ferry.stop()
    check_final(chk, stopped, dflt)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
