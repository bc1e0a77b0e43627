#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19.9-19.12: what an operator scripts against.

9.  `help` and doc/cli.md (ferry --cli-doc): one right summary per
    command (on main ~24 showed the help of their last keyword, such as
    "neighbour add" saying "On this interface") and a sensible column
    (on main every summary was padded to column 282).
10. ferryctl: one quoted argument is the whole line (`ferryctl "show
    version"`), a piped session exits 1 after a failed command,
    --timeout takes fractions, `| include` / `| exclude` on any command,
    JSON (`--json`, `| json`) of show ip route and show neighbours.
11. `show ip route ADDR` is a longest-prefix match; routes are listed
    sorted by VRF name, address, length.
12. Errors name the word at fault; empty states read "no ..."."""
import ipaddress
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

SUMMARY_COLUMN_MAX = 44  # "  " + a syntax of up to 40 + "  "
FRAGMENT_RE = re.compile(r"^(Of |In |On |An |Its |Add one$|Delete one$|Add them|Delete them)")


def doc_sections(binary):
    text = subprocess.run([binary, "--cli-doc"], capture_output=True, text=True,
                          timeout=30).stdout
    out = []
    for sec in text.split("\n### `")[1:]:
        syntax = sec[:sec.index("`")]
        summary = sec.split("\n")[2]
        tokens = re.findall(r"^\| `([^`]*)` \| (.*?)( \(optional\))? \|$", sec, re.M)
        out.append((syntax, summary, tokens))
    return out


def check_summaries(chk, binary, cli):
    chk.set_group("19.9 one summary per command")
    secs = doc_sections(binary)
    chk.ok(len(secs) > 60, "the reference lists the commands (%d)" % len(secs))
    for syntax, summary, tokens in secs:
        first_arg = next((i for i, (t, _, opt) in enumerate(tokens)
                          if t.startswith("<") or opt), len(tokens))
        later = {h for t, h, _ in tokens[first_arg:] if not t.startswith("<")}
        chk.ok(summary not in later and not FRAGMENT_RE.match(summary),
               "%s: summary %r is what the command does" % (syntax, summary))
    chk.ok(any(s == "Add a static neighbour" for syn, s, _ in secs
               if syn.startswith("neighbour add")), "neighbour add: Add a static neighbour")
    text = cli.cmd("help")
    bad = []
    for line in text.splitlines():
        m = re.match(r"^  (\S.*?)  +(\S.*)$", line)
        if m and len(m.group(1)) <= 40 and line.index(m.group(2)) > SUMMARY_COLUMN_MAX:
            bad.append(line[:100])
    chk.ok(not bad, "help: summaries start by column %d" % SUMMARY_COLUMN_MAX,
           "\n".join(bad[:5]))
    # Padding, not length: a command with many options (ipsec sa add,
    # qos policer add) has a syntax longer than 282 characters by itself;
    # what must not come back is a run of blanks out to a far column.
    padded = [line[:100] for line in text.splitlines()
              if any(m.end() > SUMMARY_COLUMN_MAX
                     for m in re.finditer(r"(?<=\S) {3,}(?=\S)", line))]
    chk.ok(not padded, "help: no row padded past column %d" % SUMMARY_COLUMN_MAX,
           "\n".join(padded[:5]))


def ctl(ferryctl, sock, *args, stdin=None):
    p = subprocess.run([ferryctl, "-S", sock] + list(args), input=stdin,
                       capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def check_ferryctl(chk, ferryctl, sock):
    chk.set_group("19.10 ferryctl for scripts")
    rc, out, err = ctl(ferryctl, sock, "show version")
    chk.ok(rc == 0 and out.startswith("ferry "), "one quoted argument: show version",
           "%d %r %r" % (rc, out, err))
    rc, out, err = ctl(ferryctl, sock, stdin="show version\nshwo\nshow uptime\n")
    chk.eq(rc, 1, "a piped session with a failed command exits 1", out + err)
    rc, out, err = ctl(ferryctl, sock, stdin="show version\nshow uptime\n")
    chk.eq(rc, 0, "a piped session without errors exits 0", out + err)
    rc, out, err = ctl(ferryctl, sock, "-t", "2.5", "show", "version")
    chk.eq(rc, 0, "--timeout 2.5", err)
    rc, out, err = ctl(ferryctl, sock, "-t", "0.5x", "show", "version")
    chk.eq(rc, 2, "--timeout 0.5x refused")
    rc, out, err = ctl(ferryctl, sock, "show ip route | include 10\\.1\\.")
    lines = out.splitlines()
    chk.ok(rc == 0 and lines and all("10.1." in x for x in lines),
           "| include keeps the matching lines", out)
    rc, out, err = ctl(ferryctl, sock, "show ip route | exclude VRF | exclude /")
    chk.ok(rc == 0 and out == "", "| exclude drops them", out)
    rc, out, err = ctl(ferryctl, sock, "--json", "show", "ip", "route")
    try:
        routes = json.loads(out)
    except ValueError:
        routes = None
    chk.ok(isinstance(routes, list) and routes and
           all({"vrf", "prefix", "route"} <= set(r) for r in routes),
           "--json show ip route: a list of {vrf, prefix, route}", out[:500])
    rc, out, err = ctl(ferryctl, sock, "show neighbours | json")
    try:
        nbrs = json.loads(out)
    except ValueError:
        nbrs = None
    chk.ok(isinstance(nbrs, list) and any(n.get("address") == "198.18.0.2" and
                                          n.get("state") == "permanent" and
                                          isinstance(n.get("held"), int) for n in nbrs),
           "show neighbours | json", out[:500])
    return routes or []


def check_routes(chk, cli, routes):
    chk.set_group("19.11 show ip route")
    out = cli.cmd("show ip route 10.1.2.3")
    chk.ok("10.1.0.0/16" in out and "via 198.18.0.2" in out,
           "show ip route 10.1.2.3: the longest match, 10.1.0.0/16", out)
    out = cli.cmd("show ip route 10.8.200.1")
    chk.ok("10.8.0.0/16" in out and "blackhole" in out, "10.8.200.1: the blackhole", out)
    keys = [(r["vrf"], int(ipaddress.ip_network(r["prefix"]).network_address),
             ipaddress.ip_network(r["prefix"]).prefixlen) for r in routes]
    chk.ok(len(keys) > 3 and keys == sorted(keys), "routes sorted by VRF, address, length",
           str(keys))
    text = [x.split()[0] for x in cli.cmd("show ip route").splitlines() if x.startswith("  ")]
    chk.eq(text, [r["prefix"] for r in routes], "text and JSON list the same routes")


def check_errors(chk, cli):
    chk.set_group("19.12 errors and empty states")
    out = cli.cmd("show ip rute")
    chk.ok(out.startswith("%") and "at word 3" in out, "a typo names its word", out)
    out = cli.cmd("ip route add 10.0.0.0/33 blackhole")
    chk.ok(out.startswith('% "10.0.0.0/33" at word 4: <ipv4-prefix>'),
           "a bad value names its word and type", out)
    out = cli.cmd("show ip route 203.0.113.9")
    chk.ok("no routes" in out, "no route: \"no routes\"", out)
    out = cli.cmd("show acl")
    chk.ok(out.strip() == "no ACLs", "no ACL: \"no ACLs\"", out)


def main():
    binary = ft.setup()
    ferryctl = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(binary), "ferryctl")
    if not os.access(ferryctl, os.X_OK):
        ft.skip("no ferryctl at %s" % ferryctl)
    chk = ft.Checks("cli-scripting")
    ferry = ops.Ferry(binary, "cli-scripting")
    try:
        check_summaries(chk, binary, ferry.cli)
        routes = check_ferryctl(chk, ferryctl, ferry.run.sock)
        check_routes(chk, ferry.cli, routes)
        check_errors(chk, ferry.cli)
    finally:
        ferry.stop()
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
