#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19 item 12: empty states say so consistently; errors name the
word at fault.

ferry starts on the installed idle configuration (config/idle.cfg: one
net_null port, nothing else), and every `show` command of the CLI
reference (`ferry --cli-doc`) that takes no required argument runs:

- a command with nothing to list prints the one empty-state line "no
  WHAT" (after any status lines it always prints), never a bare header
  or nothing; with `| json` a command that has JSON output prints an
  empty list, one without says it has none, empty or not;
- the others print something with a number or setting in it;
- a show command added later must be put in one of the two lists here
  (the test fails on one it does not know), so it gets the same check.

Then one line of each kind of parse error: each starts with "%", says
"at word N" and names the word (or, for a missing word, the line so
far and what may come): unknown keyword, bad value, missing argument,
one argument too many, ambiguous abbreviation, unterminated quote.

Usage: /usr/bin/python3 test_cli_consistency.py FERRY_BINARY
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

IDLE = ft.here(__file__, "..", "..", "..", "config", "idle.cfg")

# show command (no optional words) -> its empty-state line on the idle config
EMPTY = {
    "show acl": "no ACLs",
    "show bridge-domain": "no bridge domains",
    "show control-plane": "no representors",
    "show drops": "no drops",
    "show interfaces": "no interfaces",
    "show ip route": "no VRFs",
    "show ipv6 route": "no VRFs",
    "show fpm": "no FPM server",
    "show ipv6 neighbours": "no neighbours",
    "show ip vpn-routes": "no VPN routes",
    "show ipv6 vpn-routes": "no VPN routes",
    "show ipsec sa": "no SAs",
    "show ipsec spd": "no SPD rules",
    "show ipsec spd6": "no IPv6 SPD rules",
    "show mac-table": "no MAC entries",
    "show mpls interfaces": "no interfaces",
    "show mpls lfib": "no LFIB entries",
    "show mpls lsps": "no LSPs",
    "show mpls vrfs": "no MPLS VRFs",
    "show neighbours": "no neighbours",
    "show qos": "no QoS ports",
    "show trace": "no packets traced",
    "show vxlan tunnels": "no VXLAN tunnels",
    "show capture": "no capture yet",
}
# show commands that always have something to say
FULL = {"show cli", "show counters", "show lcores", "show running-config",
        "show running-config diff", "show runtime", "show uptime", "show version"}
# JSON-capable tables: empty lists on the idle config
JSON_EMPTY = ["show interfaces", "show neighbours", "show ip route"]

EMPTY_RE = re.compile(r"^no [A-Za-z][A-Za-z0-9 -]*$")

# line, what the first output line must hold (each: the word at fault)
ERRORS = [
    ("unknown keyword", "show ip rute", ['% unknown command "show ip rute" at word 3']),
    ("unknown keyword with a hint", "shwo version",
     ['% unknown command "shwo" at word 1; did you mean "show"?']),
    ("bad value", "ip route add 10.0.0.0/33 blackhole",
     ['% "10.0.0.0/33" at word 4: <ipv4-prefix> expected']),
    ("bad value of a keyword's argument", "show ipsec sa x1",
     ['% "x1" at word 4: <uint32> expected']),
    ("missing argument", "ip route add",
     ['% incomplete command: "ip route add" at word 4', "<ipv4-prefix>"]),
    ("missing argument after a keyword", "show ip route vrf",
     ['% incomplete command: "show ip route vrf" at word 5', "<vrf-name>"]),
    ("one argument too many", "show version now",
     ['% too many arguments: "show version now" at word 3']),
    ("ambiguous abbreviation", "show m",
     ['% ambiguous command: "show m" at word 2 (', "mac-table", "mpls"]),
    ("unterminated quote", 'show interfaces "idle',
     ["% unterminated quoted string at word 3"]),
]


def idle_config(work):
    with open(IDLE) as f:
        text = f.read()
    name = os.path.basename(work)
    text = re.sub(r'file_prefix = "[^"]*";',
                  'file_prefix = "%s"; huge = false; in_memory = true;' % name, text)
    text = re.sub(r"port = 8086;", "port = 0;", text)
    path = os.path.join(work, "idle.cfg")
    with open(path, "w") as f:
        f.write(ft.with_cli_socket(text, work))
    return path


def show_commands(binary):
    """Every show command's words before its first argument or option."""
    doc = subprocess.run([binary, "--cli-doc"], capture_output=True, text=True,
                         timeout=30).stdout
    out = set()
    for syntax in re.findall(r"^### `(show [^`]*)`", doc, re.M):
        words = []
        for w in syntax.split():
            if w.startswith("[") or w.startswith("<"):
                break
            words.append(w)
        if "<" not in syntax.split("[")[0]:
            out.add(" ".join(words))
    return sorted(out)


def bare_headers(lines):
    """Lines that look like a table header (words, no number) with no
    row under them: the last line, or one followed by another such."""
    def header(x):
        return not EMPTY_RE.match(x) and re.search(r"[0-9:=]", x) is None
    return [x for i, x in enumerate(lines)
            if header(x) and (i + 1 == len(lines) or header(lines[i + 1]))]


def check_shows(chk, cli, cmds):
    chk.set_group("every show on the idle config")
    known = set(EMPTY) | FULL
    chk.eq(sorted(set(cmds) - known), [], "every show command is classified here")
    chk.eq(sorted(known - set(cmds)), [], "every listed command exists")
    for cmd in cmds:
        out = cli.cmd(cmd)
        lines = [x.rstrip() for x in out.splitlines() if x.strip()]
        if cmd in EMPTY:
            chk.set_group("empty: " + cmd)
            chk.ok(EMPTY[cmd] in lines, "%s: says %r" % (cmd, EMPTY[cmd]), out)
            empties = [x for x in lines if EMPTY_RE.match(x)]
            chk.eq(empties, [EMPTY[cmd]], "%s: one empty-state line" % cmd, out)
            chk.eq(bare_headers(lines), [], "%s: no header without rows under it" % cmd, out)
        elif cmd in FULL:
            chk.set_group("full: " + cmd)
            chk.ok(lines and any(re.search(r"[0-9=]", x) for x in lines),
                   "%s: prints its state" % cmd, out)
            chk.ok(not out.startswith("%"), "%s: no error" % cmd, out)
    chk.set_group("empty lists in JSON")
    for cmd in JSON_EMPTY:
        out = cli.cmd(cmd + " | json")
        try:
            val = json.loads(out)
        except ValueError:
            val = None
        chk.eq(val, [], "%s | json" % cmd, out)
    out = cli.cmd("show mpls lsps | json")
    chk.ok(out.startswith('% "show mpls lsps" has no JSON output'),
           "show mpls lsps | json: no JSON output, empty or not", out)


def check_errors(chk, cli):
    for name, line, want in ERRORS:
        chk.set_group("error: " + name)
        out = cli.cmd(line)
        first = out.splitlines()[0] if out else ""
        chk.ok(first.startswith(want[0]), "%r: %r" % (line, want[0]), out)
        for w in want[1:]:
            chk.ok(w in out, "%r: names %r" % (line, w), out)
        chk.ok(re.search(r"at word \d+", first) is not None, "%r: at word N" % line, out)


def main():
    binary = ft.setup()
    chk = ft.Checks("cli-consistency")
    work = tempfile.mkdtemp(prefix="ferry-clicons-")
    run = None
    try:
        run = ft.Running(binary, idle_config(work))
        cli = run.cli()
        check_shows(chk, cli, show_commands(binary))
        check_errors(chk, cli)
        cli.close()
    finally:
        if run is not None:
            rc, _, err = run.stop()
            chk.set_group("stop")
            chk.eq(rc, 0, "ferry exits 0 on SIGTERM", err[-2000:])
        shutil.rmtree(work, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
