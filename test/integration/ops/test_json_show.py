#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19.10: JSON (`| json`, `ferryctl --json`) of the show commands
scripts read most: `show counters`, `show drops`, `show interfaces`.

Each must be JSON python parses, holding the same objects as the text
output; counters may move between two commands, so each JSON value must
lie between the values of the text output taken before and after it."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft


def ctl(ferryctl, sock, *args):
    p = subprocess.run([ferryctl, "-S", sock] + list(args),
                       capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def load(chk, what, rc, out, err):
    try:
        v = json.loads(out)
    except ValueError:
        v = None
    chk.ok(rc == 0 and isinstance(v, list) and v,
           "%s: valid JSON, a non-empty list" % what, (out + err)[:500])
    return v if isinstance(v, list) else []


def between(v, a, b):
    return min(a, b) <= v <= max(a, b)


def counters_text(text):
    """{(type, object, counter): value} of `show counters` lines."""
    res = {}
    for line in text.splitlines():
        w = line.split()
        if len(w) == 3:
            res[(w[0], w[1], None)] = int(w[2])
        for i in range(2, len(w) - 1 if len(w) > 3 else 2, 2):
            res[(w[0], w[1], w[i])] = int(w[i + 1])
    return res


def check_counters(chk, cli, ferryctl, sock):
    chk.set_group("show counters")
    before = counters_text(cli.cmd("show counters"))
    rows = load(chk, "--json show counters",
                *ctl(ferryctl, sock, "--json", "show", "counters"))
    after = counters_text(cli.cmd("show counters"))
    bad, seen = [], set()
    for r in rows:
        key = (r.get("type"), r.get("object"), r.get("counter"))
        alt = (key[0], key[1], None)
        k = key if key in before else alt
        seen.add(k)
        if not (isinstance(r.get("value"), int) and k in before and k in after
                and between(r["value"], before[k], after[k])):
            bad.append(str(r))
    chk.ok(not bad, "every JSON counter is a text counter with its value",
           "\n".join(bad[:5]))
    chk.eq(seen, set(before), "JSON and text list the same counters")
    chk.ok(any(k[0] == "port" for k in seen), "ports are in the JSON")


def drops_text(text):
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^([a-z][a-z0-9_]*)\s+(\d+)", text, re.M)}


def check_drops(chk, cli):
    chk.set_group("show drops")
    before = drops_text(cli.cmd("show drops"))
    rows = load(chk, "show drops | json", 0, cli.cmd("show drops | json"), "")
    after = drops_text(cli.cmd("show drops"))
    got = {r.get("reason"): r.get("packets") for r in rows}
    bad = [k for k, v in got.items()
           if not isinstance(v, int) or
           not between(v, before.get(k, 0), after.get(k, 0))]
    chk.ok(not bad and "total" in got, "every reason's packets as the text "
           "shows them, and the total", str(bad) + str(rows)[:300])
    chk.ok(set(before) <= set(got) <= set(after) | set(before),
           "JSON and text list the same reasons", "%s %s" % (before, got))
    chk.ok(all(r.get("description") for r in rows if r.get("reason") != "total"),
           "each reason has its description")


IF_RE = re.compile(r"^(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\n"
                   r"\s+rx (\d+) packets (\d+) bytes, tx (\d+) packets (\d+) bytes, "
                   r"drops (\d+)$", re.M)
IF_KEYS = ("interface", "port", "vlan", "address", "vrf", "mtu", "mac", "admin",
           "link", "rx-packets", "rx-bytes", "tx-packets", "tx-bytes", "drops")


def ifaces_text(text):
    res = {}
    for m in IF_RE.finditer(text):
        v = [int(x) if x.isdigit() else x for x in m.groups()]
        res[v[0]] = dict(zip(IF_KEYS, v))
    return res


def check_interfaces(chk, cli, ferryctl, sock):
    chk.set_group("show interfaces")
    before = ifaces_text(cli.cmd("show interfaces"))
    rows = load(chk, "show interfaces | json",
                *ctl(ferryctl, sock, "show interfaces | json"))
    after = ifaces_text(cli.cmd("show interfaces"))
    chk.eq(sorted(r.get("interface") for r in rows), sorted(before),
           "JSON and text list the same interfaces")
    for r in rows:
        b, a = before.get(r.get("interface")), after.get(r.get("interface"))
        ok = b is not None and a is not None and set(r) == set(IF_KEYS)
        for k in IF_KEYS if ok else ():
            if k in IF_KEYS[9:]:
                ok = ok and isinstance(r[k], int) and between(r[k], b[k], a[k])
            else:
                ok = ok and r[k] == b[k]
        chk.ok(ok, "interface %s: JSON equals the text" % r.get("interface"),
               "%s\n%s" % (r, b))
    one = load(chk, "show interfaces NAME | json", 0,
               cli.cmd("show interfaces %s | json" % rows[0]["interface"])
               if rows else "", "")
    chk.ok(len(one) == 1, "show interfaces NAME | json: that one", str(one))


def main():
    binary = ft.setup()
    ferryctl = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(binary), "ferryctl")
    if not os.access(ferryctl, os.X_OK):
        ft.skip("no ferryctl at %s" % ferryctl)
    chk = ft.Checks("json-show")
    ferry = ops.Ferry(binary, "json-show")
    try:
        check_counters(chk, ferry.cli, ferryctl, ferry.run.sock)
        check_drops(chk, ferry.cli)
        check_interfaces(chk, ferry.cli, ferryctl, ferry.run.sock)
    finally:
        ferry.stop()
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
