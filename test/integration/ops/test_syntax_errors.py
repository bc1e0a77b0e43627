#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 19 item 16: a libconfig syntax error names the token.

libconfig 1.5 says "syntax error" and the line its parser stopped on
(for an unclosed brace or string: the end of the file). ferry walks the
text again with libconfig's grammar and names the token at fault, with
the line and a caret under it. Each case breaks one thing in a copy of
config_errors/good.cfg, runs `ferry -c t.cfg --check` and compares the
three lines of the message: "FILE:LINE: syntax error at "TOKEN": WHY",
the line as written, and a caret under the token.

A missing ";" between two settings is no error in libconfig (the
terminator is optional); where it is one, as after a list element
whose next element follows without ",", the element is named.

Usage: /usr/bin/python3 test_syntax_errors.py FERRY_BINARY
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

GOOD = ft.here(__file__, "..", "config_errors", "good.cfg")

# name, text of good.cfg (unique), replacement, line, token, reason
CASES = [
    ("missing ';' (list elements without ',')",
     '"02:00:00:00:00:10"; },', '"02:00:00:00:00:10"; }',
     6, "{", '"," or ")" expected'),
    ("missing '='", 'vrf = "cust-a"; mtu', 'vrf "cust-a"; mtu',
     9, '"cust-a"', '"=" expected'),
    ("doubled '='", "id = 1;", "id = = 1;", 13, "=", "a value expected"),
    ("unclosed brace", '{ lcore = 1; rx = ( "p0:0", "p1:0" ); }',
     '{ lcore = 1; rx = ( "p0:0", "p1:0" );', 21, "{", '"{" never closed by "}"'),
    ("extra closing brace", "cli = { port = 0; };", "cli = { port = 0; };\n}",
     24, "}", "a setting name expected"),
    ("unclosed bracket", 'rx = ( "p0:0", "p1:0" ); }', 'rx = ( "p0:0", "p1:0" ; }',
     21, ";", '"," or ")" expected'),
    ("unterminated string", 'mac = "02:00:00:00:aa:01"; }', 'mac = "02:00:00:00:aa:01; }',
     18, '"02:00:00:00:aa:01; }', "string not closed on its line (a quote missing?)"),
    ("bad number", "memory = 512;", "memory = 51.2.0;", 3, "51.2.0", "not a number"),
    ("number glued to a word", "vlan = 10;", "vlan = 10x;", 9, "10x", "not a number"),
    ("stray character", "mtu = 1400;", "mtu = 1400; %", 9, "%",
     "a character libconfig does not read"),
]

# where the caret goes when the token comes earlier in its line too
AT = {"doubled '='": "= 1;", "unclosed bracket": "; }"}


def check_case(chk, binary, good, case):
    name, old, new, line, token, why = case
    chk.set_group(name)
    assert good.count(old) == 1, old
    text = good.replace(old, new)
    with tempfile.TemporaryDirectory(prefix="ferry-syntax-") as d:
        with open(os.path.join(d, "t.cfg"), "w") as f:
            f.write(text)
        p = subprocess.run([binary, "-c", "t.cfg", "--check"], cwd=d, capture_output=True,
                           text=True, timeout=30, stdin=subprocess.DEVNULL)
    lines = p.stderr.splitlines()
    chk.eq(p.returncode, 1, "exit status", p.stderr)
    want = 't.cfg:%d: syntax error at "%s": %s' % (line, token, why)
    chk.eq(lines[0] if lines else "", want, "first line names the token", p.stderr)
    src = text.splitlines()[line - 1]
    chk.eq(lines[1] if len(lines) > 1 else "", "  " + src, "then the line as written")
    col = src.find(AT.get(name, token))
    caret = "  " + "".join(c if c == "\t" else " " for c in src[:col]) + "^"
    chk.eq(lines[2] if len(lines) > 2 else "", caret, "a caret under the token")


def main():
    binary = ft.setup()
    chk = ft.Checks("syntax-errors")
    with open(GOOD) as f:
        good = f.read()
    for case in CASES:
        check_case(chk, binary, good, case)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
