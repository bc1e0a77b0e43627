#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""config_errors: `ferry -c FILE --check` on broken configurations.

Each case copies good.cfg (in this folder) with exactly one line changed,
writes it as bad/NAME.cfg in a temporary directory, runs
    ferry -c bad/NAME.cfg --check
from there, and compares the first line ferry writes on stderr with the
expected text (and the exit status with 1). FILE in "FILE:LINE: PATH:
VALUE: REASON" is the path as passed, LINE the line that was changed.
good.cfg itself must pass (exit status 0, a line saying it is ok).
Every case runs; all mismatches are reported together.

Usage: /usr/bin/python3 test_config_errors.py FERRY_BINARY
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ferrytest as ft  # noqa: E402

GOOD = ft.here(__file__, "good.cfg")
TIMEOUT = 10

# name, text of good.cfg to replace (unique), replacement, expected first
# stderr line ({F} = file as passed, {L} = the changed line), exact or prefix
CASES = [
    ("misspelled-key", 'address = "10.0.10.1/30"', 'adress = "10.0.10.1/30"',
     "{F}:{L}: interfaces.[0].adress: unknown setting "
     "(expected one of: name, port, vlan, address, address6, vrf, mtu, up)", "exact"),
    ("prefix-len-33", 'prefix = "0.0.0.0/0"', 'prefix = "10.0.0.0/33"',
     '{F}:{L}: vrfs.[0].routes.[0].prefix: "10.0.0.0/33": prefix length must be 0..32',
     "exact"),
    ("ipv6-link-local-address", 'address = "192.168.101.1/24"',
     'address = "192.168.101.1/24"; address6 = "fe80::1/64"',
     '{F}:{L}: interfaces.[1].address6: "fe80::1/64": link-local addresses come '
     "from the MAC; give a global one", "exact"),
    ("ipv6-prefix-len-129", "routes = (",
     'routes6 = ( { prefix = "2001:db8::/129"; blackhole = true; } ); routes = (',
     '{F}:{L}: vrfs.[0].routes6.[0].prefix: "2001:db8::/129": prefix length must be 0..128',
     "exact"),
    ("prefix-host-bits", 'prefix = "0.0.0.0/0"', 'prefix = "10.0.0.1/8"',
     '{F}:{L}: vrfs.[0].routes.[0].prefix: "10.0.0.1/8": host bits set '
     "(did you mean 10.0.0.0/8?)", "exact"),
    ("vlan-4095", "vlan = 10;", "vlan = 4095;",
     "{F}:{L}: interfaces.[0].vlan: 4095: must be 0..4094", "exact"),
    ("unknown-port", 'port = "p1"; vlan', 'port = "p9"; vlan',
     '{F}:{L}: interfaces.[0].port: "p9": no such port', "exact"),
    ("unknown-vrf", 'vrf = "cust-a"; mtu', 'vrf = "nope"; mtu',
     '{F}:{L}: interfaces.[0].vrf: "nope": no such VRF', "exact"),
    ("duplicate-port", 'name = "p1"; device', 'name = "p0"; device',
     '{F}:{L}: ports.[1]: duplicate key (name = "p0"; first at line 5)', "exact"),
    ("bad-mac", 'mac = "02:00:00:00:00:10"', 'mac = "02:00:00:00:00:1g"',
     '{F}:{L}: ports.[0].mac: "02:00:00:00:00:1g": expected a MAC address '
     "xx:xx:xx:xx:xx:xx", "exact"),
    ("route-without-target", '{ prefix = "0.0.0.0/0"; via = "10.0.10.2"; }',
     '{ prefix = "0.0.0.0/0"; }',
     "{F}:{L}: vrfs.[0].routes.[0]: needs one of via, vias, interface, blackhole", "exact"),
    ("worker-unknown-port", 'rx = ( "p0:0"', 'rx = ( "p9:0"',
     '{F}:{L}: workers.[0].rx.[0]: "p9:0": no such port', "exact"),
    ("syntax-error", 'address = "10.0.10.2";', 'address "10.0.10.2";',
     "{F}:{L}: syntax error", "prefix"),
    ("unknown-section", "cli = { port = 0; };", "cil = { port = 0; };",
     "{F}:{L}: cil: unknown setting", "prefix"),
]


def run_check(binary, cwd, path):
    p = subprocess.run([binary, "-c", path, "--check"], cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def main():
    binary = ft.setup()
    chk = ft.Checks("config-errors")
    with open(GOOD) as f:
        good = f.read()
    run_cases(chk, binary, good, CASES)
    return chk.summary()


def run_cases(chk, binary, good, cases):
    """Check that GOOD passes and that each case of CASES, one change of
    it, fails with its expected first line (also used by other tests)."""
    work = tempfile.mkdtemp(prefix="ferry-it-config-errors-")
    try:
        os.mkdir(os.path.join(work, "bad"))
        with open(os.path.join(work, "good.cfg"), "w") as f:
            f.write(good)
        chk.set_group("good.cfg")
        try:
            rc, out, err = run_check(binary, work, "good.cfg")
            chk.eq(rc, 0, "good.cfg: exit status", "stdout: %r\nstderr: %r" % (out, err))
            chk.ok("ok" in (out + err).lower(),
                   "good.cfg: says the configuration is ok (stdout %r, stderr %r)"
                   % (out.strip()[:200], err.strip()[:200]))
        except subprocess.TimeoutExpired:
            chk.fail("good.cfg: --check did not finish within %d s" % TIMEOUT)

        for name, old, new, want, mode in cases:
            chk.set_group(name)
            assert good.count(old) == 1, "%s: %r is not unique in good.cfg" % (name, old)
            line = good[:good.index(old)].count("\n") + 1
            rel = "bad/%s.cfg" % name
            with open(os.path.join(work, rel), "w") as f:
                f.write(good.replace(old, new))
            want = want.format(F=rel, L=line)
            try:
                rc, out, err = run_check(binary, work, rel)
            except subprocess.TimeoutExpired:
                chk.fail("%s: --check did not finish within %d s" % (name, TIMEOUT))
                continue
            first = err.splitlines()[0] if err.strip() else ""
            detail = "line %d of the file: %s\nstderr:\n%s\nstdout:\n%s" % (
                line, good.replace(old, new).splitlines()[line - 1].strip(), err.rstrip(),
                out.rstrip())
            chk.eq(rc, 1, "%s: exit status" % name, detail)
            if mode == "exact":
                chk.ok(first == want, "%s: first stderr line\n      got:      %s\n"
                       "      expected: %s" % (name, first, want), detail)
            else:
                chk.ok(first.startswith(want), "%s: first stderr line\n      got:      %s\n"
                       "      expected: %s..." % (name, first, want), detail)
    finally:
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
