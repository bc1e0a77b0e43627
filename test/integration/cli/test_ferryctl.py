#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""integration-cli-ferryctl: ferryctl and plain line-mode clients against
the real ferry.

- ferryctl runs one command: its output on stdout and exit status 0; an
  error line on stderr and exit status 1; no server, a server that never
  answers (--timeout) or a full one: a message and exit status 2.
- ferryctl without a command relays a pipe in line mode, telnet stripped.
- nc with a pipe (printf 'show version\\nquit\\n' | nc HOST PORT) gets the
  output and the prompt after the 6 bytes of the server's offer.

Usage: test_ferryctl.py FERRY FERRYCTL (meson passes both).
"""

import re
import shutil
import socket
import subprocess
import sys
import time

import clitest as ct

ft = ct.ft
VERSION_RE = re.compile(r"^ferry \S+ on DPDK \S+\n$")
OFFER = b"\xff\xfb\x01\xff\xfb\x03\r\0"


def run(argv, stdin=None, timeout=30):
    """(exit status, stdout, stderr, seconds) of @p argv."""
    t0 = time.monotonic()
    r = subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout)
    return (r.returncode, r.stdout.decode("utf-8", "replace"),
            r.stderr.decode("utf-8", "replace"), time.monotonic() - t0)


def ctl(ferryctl, port, *words, **kw):
    return run([ferryctl, "-s", "%s:%d" % (ct.HOST, port)] + list(words), **kw)


def check_one_command(chk, ferryctl, port):
    chk.set_group("one command")
    rc, out, err, _ = ctl(ferryctl, port, "show", "version")
    chk.eq(rc, 0, "show version: exit status")
    chk.ok(VERSION_RE.match(out), "show version: stdout is the version line, got %r" % out)
    chk.eq(err, "", "show version: stderr")
    rc, out, _, _ = ctl(ferryctl, port, "sh", "ver")
    chk.ok(rc == 0 and VERSION_RE.match(out), "keyword prefixes: sh ver (%d, %r)" % (rc, out))
    rc, out, _, _ = ctl(ferryctl, port, "show", "?")
    chk.ok(rc == 0 and re.search(r"^  version +ferry and DPDK versions$", out, re.M),
           "show ? lists version with its help (%d, %r)" % (rc, out))
    rc, out, _, _ = ctl(ferryctl, port, "help")
    chk.ok(rc == 0 and "  show version" in out, "help lists show version")
    rc, out, err, _ = ctl(ferryctl, port, "quit")
    chk.eq((rc, out, err), (0, "", ""), "quit: exit 0, no output")


def check_error_lines(chk, ferryctl, port):
    chk.set_group("error lines")
    rc, out, err, _ = ctl(ferryctl, port, "shwo", "version")
    chk.eq(rc, 1, "unknown command: exit status")
    chk.eq(err, '% unknown command "shwo" at word 1; did you mean "show"?\n',
           "unknown command: stderr")
    chk.eq(out, "", "unknown command: stdout")
    rc, out, err, _ = ctl(ferryctl, port, "show", "ip", "route", "10.0.0.0/33")
    chk.eq(rc, 1, "bad prefix: exit status")
    chk.ok(err.startswith('% "10.0.0.0/33" at word 4: <ipv4-prefix> expected, e.g. 10.0.0.0/8'),
           "bad prefix: stderr %r" % err)
    rc, out, err, _ = ctl(ferryctl, port, "show", "ip", "route", "vrf")
    chk.ok(rc == 1 and err.startswith('% incomplete command: "show ip route vrf" at word 5\n'),
           "incomplete command: exit 1, the error and what may follow on stderr "
           "(%d, %r)" % (rc, err))


def check_cannot_run(chk, ferryctl, port):
    chk.set_group("could not run: exit 2")
    # a port bound but not listening: nobody can take it meanwhile
    with socket.socket() as s:
        s.bind((ct.HOST, 0))
        rc, out, err, _ = ctl(ferryctl, s.getsockname()[1], "show", "version")
    chk.eq(rc, 2, "no server: exit status")
    chk.ok("cannot connect" in err and out == "", "no server: message on stderr (%r)" % err)
    # listening, never answering: the kernel completes the handshake
    with socket.socket() as s:
        s.bind((ct.HOST, 0))
        s.listen(1)
        rc, out, err, secs = run([ferryctl, "-t", "1", "-s", "%s:%d" % s.getsockname(),
                                  "show", "version"])
    chk.eq(rc, 2, "silent server, --timeout 1: exit status")
    chk.ok(1.0 <= secs < 5.0, "silent server: gave up after %.1f s" % secs)
    chk.ok("timeout" in err, "silent server: message on stderr (%r)" % err)
    rc, out, err, _ = run([ferryctl, "-s", "nocolon-or-port:", "x"])
    chk.eq(rc, 2, "bad -s value: exit status")
    rc, out, err, _ = run([ferryctl, "-h"])
    chk.ok(rc == 0 and out.startswith("Usage: ferryctl"), "-h: usage on stdout, exit 0")
    check_full_server(chk, ferryctl, port)


def check_full_server(chk, ferryctl, port):
    """max_sessions = 4 in ferry.cfg.in: a fifth session is refused."""
    held = []
    try:
        for _ in range(4):
            held.append(ft.Cli(port, host=ct.HOST))
        rc, out, err, _ = ctl(ferryctl, port, "show", "version")
        chk.eq(rc, 2, "server full: exit status")
        chk.ok("too many sessions" in err, "server full: its message on stderr (%r)" % err)
    finally:
        for c in held:
            c.close()
    time.sleep(0.2)  # the server sees the closes on its next poll
    rc, out, _, _ = ctl(ferryctl, port, "show", "version")
    chk.ok(rc == 0 and VERSION_RE.match(out), "sessions free again: show version works")


def check_pipes(chk, ferryctl, port):
    chk.set_group("pipes: ferryctl session, nc")
    rc, out, err, _ = ctl(ferryctl, port, stdin=b"show version\nshwo\nquit\n")
    chk.eq(rc, 1, "printf ... | ferryctl: exit status 1: a command failed")
    chk.ok(re.search(r"^ferry> ferry \S+ on DPDK \S+\nferry> % unknown command \"shwo\" at word 1; "
                     r"did you mean \"show\"\?\nferry> $", out, re.M),
           "printf ... | ferryctl: output, errors and prompts, no telnet bytes (%r)" % out)
    # the last line runs at the end of the input, without quit
    rc, out, _, _ = ctl(ferryctl, port, stdin=b"show version")
    chk.ok(rc == 0 and re.search(r"ferry> ferry \S+ on DPDK", out),
           "a last line without newline runs at EOF (%r)" % out)
    nc = shutil.which("nc")
    if nc is None:
        print("note: nc not installed; the nc case is not run")
        return
    rc, raw = nc_run(nc, port)
    chk.eq(rc, 0, "printf 'show version\\nquit\\n' | nc: exit status")
    chk.ok(raw.startswith(OFFER), "nc sees the offer first: %r" % raw[:16])
    text = raw[len(OFFER):]
    chk.ok(re.match(rb'ferry \S+ management CLI; "help" lists commands\r\nferry> '
                    rb"ferry \S+ on DPDK \S+\r\nferry> $", text),
           "nc: banner, prompt, output, prompt (%r)" % text)


def nc_run(nc, port):
    """printf 'show version\\nquit\\n' | nc HOST PORT: (status, bytes out)"""
    r = subprocess.run([nc, ct.HOST, str(port)], input=b"show version\nquit\n",
                       capture_output=True, timeout=30)
    return r.returncode, r.stdout


def main():
    ferry, ferryctl = ct.setup()
    chk = ft.Checks("cli-ferryctl")
    with ct.Ferry(ferry) as f:
        check_one_command(chk, ferryctl, f.port)
        check_error_lines(chk, ferryctl, f.port)
        check_cannot_run(chk, ferryctl, f.port)
        check_pipes(chk, ferryctl, f.port)
    f.check_stop(chk)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
