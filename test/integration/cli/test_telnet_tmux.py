#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""integration-cli-telnet: a real telnet client (Debian's `telnet`) on
ferry's CLI, typed at through tmux as a person would, the screen read
back with capture-pane.

It checks that telnet and the server agree on character mode (keys take
effect at once, nothing is echoed twice, no escape sequence shows), and
the editing a person does: a typo fixed with the arrows, Tab completion,
`?` giving the line back, history, Ctrl-C, Ctrl-W/Ctrl-U, an error line
with its hint, and quit. Then the same through ferryctl's terminal mode,
left with Ctrl-].

Exits 77 (skipped) when telnet or tmux is not installed.
Usage: test_telnet_tmux.py FERRY FERRYCTL (meson passes both).
"""

import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import clitest as ct

ft = ct.ft
VERSION_LINE_RE = re.compile(r"^ferry \S+ on DPDK \S+$", re.M)
# Upper bound on waiting for the screen to show what a step must show:
# generous, so that a busy machine (scripts/test.sh's stress pass) only
# makes the test slower, never wrong.
WAIT_S = 30.0
_servers = itertools.count()


class Screen:
    """One tmux session on a private server, running @p cmd."""

    def __init__(self, cmd):
        # A server of its own per screen: a new session on the socket of
        # a server still shutting down (the previous screen's, on a
        # loaded machine) is lost with it.
        self.tmux = ["tmux", "-L", "ferry-cli-test-%d-%d" % (os.getpid(),
                                                            next(_servers))]
        # Keep the pane after telnet exits, to read its last words: set
        # in the server's config, before the session exists (set after,
        # a telnet that ends at once takes the server down with it).
        fd, self.conf = tempfile.mkstemp(prefix="ferry-tmux-", suffix=".conf")
        with os.fdopen(fd, "w") as f:
            f.write("set-option -g remain-on-exit on\n")
        r = subprocess.run(self.tmux + ["-f", self.conf, "new-session", "-d", "-s", "t",
                                        "-x", "120", "-y", "50", cmd],
                           capture_output=True, text=True)
        if r.returncode != 0:
            os.unlink(self.conf)
            raise RuntimeError("tmux new-session failed (%d): %s"
                               % (r.returncode, r.stderr.strip()))

    def keys(self, *keys):
        """tmux key names ("Left", "Tab", "C-c") or literal text."""
        subprocess.run(self.tmux + ["send-keys", "-t", "t"] + list(keys), check=True)

    def text(self):
        """The whole pane, scrollback included, wrapped lines joined."""
        r = subprocess.run(self.tmux + ["capture-pane", "-p", "-J", "-S", "-2000", "-t", "t"],
                           capture_output=True, text=True, check=True)
        return r.stdout.rstrip("\n")

    def last(self):
        """The last non-blank row, trailing blanks removed."""
        lines = [ln.rstrip() for ln in self.text().split("\n") if ln.strip()]
        return lines[-1] if lines else ""

    def wait(self, pred, what):
        """Poll until @p pred(screen text) holds; False after WAIT_S."""
        deadline = time.monotonic() + WAIT_S
        while True:
            t = self.text()
            if pred(t):
                return True
            if time.monotonic() > deadline:
                print("--- screen while waiting for %s:\n%s\n---" % (what, t))
                return False
            time.sleep(0.05)

    def wait_last(self, line):
        """The last non-blank row is exactly @p line (trailing blanks aside)."""
        return self.wait(lambda t: self.last() == line.rstrip(), "last row %r" % line)

    def close(self):
        subprocess.run(self.tmux + ["kill-server"], capture_output=True)
        # kill-server returns before the server is gone: wait (bounded)
        # until it no longer answers, so no tmux of ours outlives the test
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and subprocess.run(
                self.tmux + ["has-session"], capture_output=True).returncode == 0:
            time.sleep(0.05)
        os.unlink(self.conf)


def versions(t):
    return len(VERSION_LINE_RE.findall(t))


def check_session(chk, scr):
    chk.set_group("character mode")
    chk.ok(scr.wait_last("ferry> "), "banner and prompt")
    scr.keys("shw", "Left", "o", "End", " version")
    chk.ok(scr.wait_last("ferry> show version"),
           "a typo fixed with the left arrow and End, echoed once")
    scr.keys("Enter")
    chk.ok(scr.wait(lambda t: versions(t) == 1, "version"), "the fixed line ran")

    chk.set_group("Tab")
    scr.keys("sh", "Tab")
    chk.ok(scr.wait_last("ferry> show "), "sh<Tab> completes to 'show '")
    scr.keys("vers", "Tab")
    chk.ok(scr.wait_last("ferry> show version "), "vers<Tab> completes to 'version '")
    scr.keys("Enter")
    chk.ok(scr.wait(lambda t: versions(t) == 2, "version"), "the completed line ran")
    scr.keys("show i", "Tab")
    chk.ok(scr.wait(lambda t: re.search(r"^interfaces +ip\b", t, re.M) and
                    scr.last() == "ferry> show i", "candidates"),
           "show i<Tab>: candidates listed, the line given back")
    scr.keys("C-u")

    chk.set_group("?")
    scr.keys("show ", "?")
    chk.ok(scr.wait(lambda t: re.search(r"^  version +ferry and DPDK versions$", t, re.M) and
                    scr.last() == "ferry> show", "help"),
           "show ?: what may follow, then the line again")
    scr.keys("version", "Enter")
    chk.ok(scr.wait(lambda t: versions(t) == 3, "version"), "the line given back is live")

    chk.set_group("history")
    scr.keys("Up")
    chk.ok(scr.wait_last("ferry> show version"), "up arrow recalls the last line")
    scr.keys("Enter")
    chk.ok(scr.wait(lambda t: versions(t) == 4, "version"), "the recalled line ran")


def check_keys(chk, scr):
    chk.set_group("kill keys, Ctrl-C, errors")
    scr.keys("show junk", "C-c")
    chk.ok(scr.wait(lambda t: "ferry> show junk^C" in t and scr.last() == "ferry>",
                    "^C"), "Ctrl-C abandons the line, a new prompt")
    scr.keys("show two words", "C-w", "C-w")
    chk.ok(scr.wait_last("ferry> show"), "Ctrl-W twice leaves 'show '")
    scr.keys("C-u", "shwo version", "Enter")
    chk.ok(scr.wait(lambda t: '% unknown command "shwo" at word 1; did you mean "show"?' in t, "error"),
           "a typo is answered with its hint")
    screen = scr.text()
    chk.ok("^[" not in screen and "\x1b" not in screen,
           "no escape sequence shows on the screen")
    scr.keys("quit", "Enter")
    chk.ok(scr.wait(lambda t: "Connection closed by foreign host." in t, "close"),
           "quit closes the session")


def check_ferryctl_tty(chk, ferryctl, port):
    """ferryctl without a command, on a terminal: the same editing."""
    chk.set_group("ferryctl session on a terminal")
    scr = Screen("%s -s %s:%d; echo ferryctl-exit=$?; sleep 60" % (ferryctl, ct.HOST, port))
    try:
        chk.ok(scr.wait_last("ferry> "), "banner and prompt")
        scr.keys("sh", "Tab", "vers", "Tab")
        chk.ok(scr.wait_last("ferry> show version"), "Tab completes through ferryctl")
        scr.keys("Enter")
        chk.ok(scr.wait(lambda t: versions(t) == 1, "version"), "the line ran")
        scr.keys("show", "C-]")
        chk.ok(scr.wait_last("ferryctl-exit=0"), "Ctrl-] leaves, exit status 0")
    finally:
        scr.close()


def main():
    ferry, ferryctl = ct.setup()
    missing = [p for p in ("telnet", "tmux") if shutil.which(p) is None]
    if missing:
        ft.skip("%s not installed (Debian packages telnet, tmux; "
                "scripts/install-deps.sh installs them)" % " and ".join(missing))
    chk = ft.Checks("cli-telnet")
    with ct.Ferry(ferry) as f:
        scr = Screen("telnet %s %d" % (ct.HOST, f.port))
        try:
            check_session(chk, scr)
            check_keys(chk, scr)
        finally:
            scr.close()
        check_ferryctl_tty(chk, ferryctl, f.port)
    f.check_stop(chk)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
