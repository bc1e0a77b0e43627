#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""`write` keeps the operator's file (issue 18 item 6).

ferry starts on a commented file; the CLI adds a route, deletes one,
changes an MTU written at its default and sets one left out; `write`
saves to the file ferry started with. The file must then be the old
text with exactly those edits (comments, key order and keys at their
default kept; the deleted route gone with its comment line; the new one
appended in ferry's layout), FILE.bak the old text, the mode kept, and a
restart from it must give the same running-config.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

CHANGES = ("ip route add 10.8.0.0/16 blackhole",
           "ip route del 10.2.0.0/16",
           "interface a mtu 1400",
           "interface b mtu 1280")


def expected(old):
    """The old text with the edits the CHANGES must make, each found
    exactly once so a template change breaks the test loudly."""
    edits = (
        ('\t\t\t# old office: going away\n'
         '\t\t\t{ prefix = "10.2.0.0/16"; via = "198.18.0.2"; },\n', ''),
        ('{ prefix = "10.3.0.0/16"; via = "198.18.1.2"; }  // customer\n',
         '{ prefix = "10.3.0.0/16"; via = "198.18.1.2"; },  // customer\n'
         '\t\t\t{ prefix = "10.8.0.0/16"; blackhole = true; }\n'),
        ('mtu = 1500; },', 'mtu = 1400; },'),
        ('address = "198.18.1.1/30"; }  # lab side',
         'address = "198.18.1.1/30"; mtu = 1280; }  # lab side'),
    )
    for old_text, new_text in edits:
        if old.count(old_text) != 1:
            sys.exit("template lost %r" % old_text)
        old = old.replace(old_text, new_text)
    return old


def main():
    binary = ft.setup()
    chk = ft.Checks("write-keeps")
    work, cfg, text = ft.live_case(ft.here(__file__, "commented.cfg.in"), [],
                                   "write")
    os.chmod(cfg, 0o640)
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        for c in CHANGES:
            chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)
        running = cli.cmd("show running-config")
        out = cli.cmd("write")
        chk.ok("written" in out, "write saved the file", out)
        cli.close()
    finally:
        ferry.stop()
    with open(cfg) as f:
        got = f.read()
    chk.eq(got, expected(text), "the file is the old text with the edits",
           "got:\n" + got)
    with open(cfg + ".bak") as f:
        chk.eq(f.read(), text, "FILE.bak is the old text")
    chk.eq(os.stat(cfg).st_mode & 0o777, 0o640, "the file keeps its mode")
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        chk.eq(cli.cmd("show running-config"), running,
               "restarted from the written file: same running config")
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    rc = chk.summary()
    if rc == 0:
        shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
