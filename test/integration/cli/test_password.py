#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""integration-cli-password: the CLI password and key files (issue 9,
management plane).

- `ferry --hash-password` makes a crypt(3) hash; the cli section takes it.
- A session gets "Password: " before anything else; a wrong password is
  answered "% authentication failed" and the next prompt comes no sooner
  than a second later; three wrong ones close the session, and lines sent
  meanwhile count as tries, never as commands.
- The right one gives the prompt and commands work.
- ferryctl answers with -p FILE or FERRY_CLI_PASSWORD; a wrong or missing
  password exits 2 with a message.
- Neither password appears in ferry's output or the running config;
  failures are logged with the client's address.
- A password in clear in the file is a config error that does not echo it.
- A config file with keys that its group or others can read is warned
  about at start (--check too); mode 600 is not.

Usage: test_password.py FERRY FERRYCTL (meson passes both).
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import clitest as ct

ft = ct.ft
GOOD, BAD = "s3cret-Pass", "wrong-guess"


def recv_until(sock, pattern, timeout=8.0):
    """Text received until @pattern matches (telnet bytes stripped)."""
    data, end = b"", time.monotonic() + timeout
    sock.settimeout(0.2)
    while time.monotonic() < end:
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            chunk = None
        if chunk == b"":
            break
        if chunk:
            data += chunk
        text = ft.strip_telnet(data).decode("utf-8", "replace")
        if re.search(pattern, text):
            return text
    return ft.strip_telnet(data).decode("utf-8", "replace")


def closed(sock, timeout=8.0):
    end = time.monotonic() + timeout
    sock.settimeout(0.5)
    while time.monotonic() < end:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            pass
        except OSError:
            return True
    return False


def check_sessions(chk, port):
    chk.set_group("telnet sessions")
    s = socket.create_connection((ct.HOST, port))
    text = recv_until(s, r"Password: $")
    chk.ok(text.endswith("Password: "), "greeting ends with the password prompt", repr(text))
    s.sendall(b"show version\n")
    t0 = time.monotonic()
    text = recv_until(s, r"authentication failed\r?\n")
    chk.ok("% authentication failed" in text, "a wrong password is refused", repr(text))
    text = recv_until(s, r"Password: $")
    chk.ok(text.endswith("Password: ") and time.monotonic() - t0 >= 0.9,
           "asked again, not before a second has passed (%.2f s)" % (time.monotonic() - t0))
    s.sendall(GOOD.encode() + b"\n")
    text = recv_until(s, r"ferry> $")
    chk.ok(text.endswith("ferry> "), "the right password gives the prompt", repr(text))
    chk.ok(GOOD not in text, "the password is not echoed")
    s.sendall(b"show version\n")
    text = recv_until(s, r"ferry \S+ on DPDK")
    chk.ok(re.search(r"ferry \S+ on DPDK", text), "commands work after it", repr(text))
    s.close()

    # A script's lines after a wrong password are tries, not commands.
    s = socket.create_connection((ct.HOST, port))
    recv_until(s, r"Password: $")
    t0 = time.monotonic()
    s.sendall(b"%s\nshow version\nshow running-config\nshow version\n" % BAD.encode())
    gone = closed(s, timeout=10)
    took = time.monotonic() - t0
    chk.ok(gone, "three wrong passwords close the session")
    chk.ok(took >= 2.8, "after the delays of 1 s and 2 s (%.2f s)" % took)
    s.close()


def check_ferryctl(chk, ferryctl, port, work):
    chk.set_group("ferryctl")
    server = ["-s", "%s:%d" % (ct.HOST, port)]
    env = dict(os.environ, FERRY_CLI_PASSWORD=GOOD)
    r = subprocess.run([ferryctl] + server + ["show", "version"], env=env,
                       capture_output=True, text=True, timeout=30)
    chk.ok(r.returncode == 0 and re.match(r"^ferry \S+ on DPDK \S+\n$", r.stdout),
           "FERRY_CLI_PASSWORD: show version", "%d %r %r" % (r.returncode, r.stdout, r.stderr))
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(GOOD + "\n")
    env = {k: v for k, v in os.environ.items() if k != "FERRY_CLI_PASSWORD"}
    r = subprocess.run([ferryctl] + server + ["-p", pw, "show", "running-config"],
                       env=env, capture_output=True, text=True, timeout=30)
    chk.ok(r.returncode == 0 and "cli" in r.stdout, "-p FILE: show running-config",
           "%d %r" % (r.returncode, r.stderr))
    chk.ok(GOOD not in r.stdout and "$6$" not in r.stdout and "<secret>" in r.stdout,
           "the running config shows neither the password nor its hash")
    r = subprocess.run([ferryctl] + server + ["show", "version"], env=env,
                       capture_output=True, text=True, timeout=30)
    chk.ok(r.returncode == 2 and "asks for a password" in r.stderr,
           "no password given: exit 2", "%d %r" % (r.returncode, r.stderr))
    env["FERRY_CLI_PASSWORD"] = BAD
    r = subprocess.run([ferryctl] + server + ["show", "version"], env=env,
                       capture_output=True, text=True, timeout=30)
    chk.ok(r.returncode == 2 and "refused the password" in r.stderr,
           "wrong password: exit 2", "%d %r" % (r.returncode, r.stderr))


def check_config_error(chk, ferry, work):
    chk.set_group("config")
    cfg = os.path.join(work, "clear.cfg")
    text = ft.render_config(ct.TEMPLATE, work, work, "pwcheck")
    with open(cfg, "w") as f:
        f.write(text.replace("max_sessions = 4;",
                             'max_sessions = 4;\n  password = "%s";' % GOOD))
    line = text[:text.index("max_sessions = 4;")].count("\n") + 2
    r = subprocess.run([ferry, "--check", "-c", cfg], capture_output=True,
                       text=True, timeout=30)
    want = "clear.cfg:%d: cli.password: (hidden): not a crypt(3) hash" % line
    chk.ok(r.returncode != 0 and want in r.stderr,
           "a password in clear is an error naming file, line and setting",
           "want %r in %r" % (want, r.stderr))
    chk.ok(GOOD not in r.stderr + r.stdout, "the error does not echo it")

    # Keys in a file others may read: a warning at start (and --check).
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    keyed = os.path.join(work, "gw.cfg")
    with open(os.path.join(root, "config", "examples", "ipsec-gw.cfg")) as f:
        # capture paths are relative to the file: keep them pointing there
        text = f.read().replace("../demo/", os.path.join(root, "config", "demo") + "/")
    with open(keyed, "w") as f:
        f.write(text)
    for mode, warned in ((0o644, True), (0o640, True), (0o600, False)):
        os.chmod(keyed, mode)
        r = subprocess.run([ferry, "--check", "-c", keyed], capture_output=True,
                           text=True, timeout=30, cwd=root)
        said = "holds keys and is readable by" in r.stderr
        chk.ok(r.returncode == 0 and said == warned,
               "mode %04o: %s" % (mode, "warned" if warned else "no warning"), r.stderr)



def main():
    ferry, ferryctl = ct.setup()
    chk = ft.Checks("cli-password")
    r = subprocess.run([ferry, "--hash-password"], input=GOOD + "\n",
                       capture_output=True, text=True, timeout=30)
    hashed = r.stdout.strip()
    chk.ok(r.returncode == 0 and hashed.startswith("$6$") and GOOD not in hashed,
           "ferry --hash-password makes a SHA-512-crypt hash", repr(r.stdout))
    work = tempfile.mkdtemp(prefix="ferry-it-pw-")
    with ct.Ferry(ferry, cli_settings='password = "%s";' % hashed) as f:
        check_sessions(chk, f.port)
        check_ferryctl(chk, ferryctl, f.port, work)
    f.check_stop(chk)
    chk.set_group("logs")
    logs = "".join(f.lines) + f.res.stderr
    chk.ok(re.search(r"authentication failed from 127\.0\.0\.1:\d+", logs),
           "failures are logged with the client's address")
    chk.ok(GOOD not in logs and BAD not in logs, "no password in ferry's output")
    check_config_error(chk, ferry, work)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
