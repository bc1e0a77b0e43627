#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issues 20.5 and 20.6 against the real ferry: nobody can lock the
operator out, and nobody walks in.

1. Lock-out: N_IDLE telnet connections that never send, and a guesser
   trying passwords as fast as it can over fresh connections (what
   locked the operator out on main: 8 idle connections took every slot
   and the guesser got 7.8 tries a second). The operator still gets a
   privileged session on the Unix socket within OPERATOR_BOUND s; after
   a few failures the guesser's rate of checked passwords is under 1 a
   second; the idle connections are closed after cli.login_timeout; the
   failures are counted in `show cli` and logged with the source.
2. Privilege: without credentials, telnet may look but not change (on
   main, any local user added routes over it); the Unix socket may;
   `--check` refuses telnet beyond loopback without a password, with
   file:line.
Every wait is bounded."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ops"))
import opstest as ops  # noqa: E402
ft = ops.ft

N_IDLE = 8
GUESS_SECONDS = 12.0
OPERATOR_BOUND = 2.0
LOGIN_TIMEOUT = 4
# ferry --hash-password of "right-one" would do as well; any valid hash
# whose password the guesser does not know is enough here.
PASSWORD = "right-one"


def hash_password(binary, password):
    p = subprocess.run([binary, "--hash-password"], input=password + "\n",
                       capture_output=True, text=True, timeout=30)
    return p.stdout.strip()


def template(binary, extra):
    """ops/ferry.cfg.in with @p extra in its cli section (a temp file)."""
    with open(ft.here(ops.__file__, "ferry.cfg.in")) as f:
        text = f.read()
    text = text.replace("cli = { port = 0; };", "cli = { port = 0; %s };" % extra)
    fd, tmpl = tempfile.mkstemp(suffix=".cfg.in")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return tmpl


def recv_until(sock, needles, timeout):
    """What @p sock sent until one of @p needles (bytes) or EOF."""
    data = b""
    deadline = time.monotonic() + timeout
    sock.settimeout(0.5)
    while time.monotonic() < deadline:
        if any(n in data for n in needles):
            break
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


class Guesser(threading.Thread):
    """Tries wrong passwords over fresh connections until stopped; notes
    when each was checked (answered "authentication failed")."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.checked = []   # monotonic times of checked guesses
        self.refused = 0    # connections ferry refused
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            except OSError:
                self.refused += 1
                continue
            with s:
                got = recv_until(s, [b"Password: ", b"% "], 3)
                if b"Password: " not in got:
                    self.refused += 1
                    continue
                try:
                    s.sendall(b"guess%d\n" % len(self.checked))
                except OSError:
                    continue
                got = recv_until(s, [b"authentication failed", b"too many"], 5)
                if b"authentication failed" in got:
                    self.checked.append(time.monotonic())
                elif b"too many" in got:
                    self.refused += 1


def lockout(binary, chk):
    tmpl = template(binary, 'password = "%s"; login_timeout = %d;'
                    % (hash_password(binary, PASSWORD), LOGIN_TIMEOUT))
    ferry = None
    idle = []
    try:
        ferry = ops.Ferry(binary, "mgmt-lockout", template=tmpl)
        run = ferry.run
        chk.set_group("lock-out: %d idle connections and a guesser" % N_IDLE)
        for _ in range(N_IDLE):
            try:
                idle.append(socket.create_connection(("127.0.0.1", run.port), timeout=2))
            except OSError:
                pass
        g = Guesser(run.port)
        g.start()
        time.sleep(3.0)  # let the guesser run into its back-off
        t0 = time.monotonic()
        try:
            op = ft.Cli(path=run.sock, timeout=10)
            took = time.monotonic() - t0
            print("operator: Unix socket session in %.3f s" % took)
            chk.ok(took <= OPERATOR_BOUND, "operator's Unix socket session within %.0f s "
                   "(took %.2f s)" % (OPERATOR_BOUND, took))
            out = op.cmd("ip route add 10.77.0.0/16 blackhole")
            chk.eq(out.strip(), "", "the operator may change the router")
            chk.ok("10.77.0.0/16" in op.cmd("show ip route 10.77.0.0/16"), "and did")
        except (OSError, ft.CliError) as e:
            chk.fail("operator's Unix socket session: %s" % e)
            op = None
        time.sleep(max(0.0, GUESS_SECONDS - (time.monotonic() - t0)))
        g.stop.set()
        g.join(15)
        end = time.monotonic()
        chk.ok(len(g.checked) >= 3, "the guesser's first tries were checked (%d)"
               % len(g.checked))
        if len(g.checked) >= 3:
            after = g.checked[2]
            rate = (len(g.checked) - 3) / max(end - after, 0.001)
            print("guesser: %d passwords checked in %.1f s after its first 3 (%.2f/s); "
                  "%d connections refused" % (len(g.checked) - 3, end - after, rate, g.refused))
            chk.ok(rate < 1.0, "after 3 failures the guesser's rate is under 1/s "
                   "(%d checked in %.1f s: %.2f/s; %d connections refused)"
                   % (len(g.checked) - 3, end - after, rate, g.refused))
        timed_out = per_source = 0
        for s in idle:
            got = recv_until(s, [b"no login within"], LOGIN_TIMEOUT + 15)
            timed_out += b"no login within" in got
            per_source += b"too many sessions from this address" in got
        chk.eq(timed_out + per_source, len(idle),
               "idle connections: closed after the login timeout or refused")
        chk.ok(per_source >= N_IDLE - 4, "one address holds at most 4 (cli.max_per_source): "
               "%d refused" % per_source)
        if op is not None:
            text = op.cmd("show cli")
            m = re.search(r"failed logins (\d+)", text)
            chk.ok(m is not None and int(m.group(1)) >= len(g.checked),
                   "show cli counts the failed logins", text)
            chk.ok(re.search(r"login timeouts [1-9]", text) is not None,
                   "show cli counts the login timeouts", text)
            op.close()
    finally:
        for s in idle:
            s.close()
        os.unlink(tmpl)
        if ferry is not None:
            status, _, err = ferry.stop()
            chk.set_group("lock-out: ferry stopped cleanly")
            chk.eq(status, 0, "exit status after SIGTERM", err[-2000:])
            chk.ok("runtime error" not in err and "Sanitizer" not in err,
                   "no sanitizer report", err[-2000:])
            chk.set_group("lock-out: the log")
            chk.ok(re.search(r"cli: authentication failed from 127\.0\.0\.1:\d+ \(login", err) is not None,
                   "failed logins logged with the source", err[-2000:])
            chk.ok(len(re.findall(r"authentication failed from", err)) <= 5 + GUESS_SECONDS / 10 * 5 + 5,
                   "the log is rate-limited (%d lines)" % len(re.findall("authentication failed from", err)))


def privilege(binary, chk):
    ferry = ops.Ferry(binary, "mgmt-privilege")
    try:
        chk.set_group("privilege: telnet without credentials only looks")
        tel = ft.Cli(ferry.run.port)
        out = tel.cmd("ip route add 10.66.0.0/16 blackhole")
        chk.ok(out.startswith("%") and "enable" in out, "telnet: ip route add refused", out)
        chk.ok("10.66.0.0/16" not in tel.cmd("show ip route"), "telnet: nothing changed")
        chk.ok("VRF" in tel.cmd("show ip route"), "telnet: show commands run")
        out = tel.cmd("enable")
        chk.ok("no enable secret" in out, "telnet: enable without a secret", out)
        tel.close()
        chk.set_group("privilege: the Unix socket may change")
        out = ferry.cli.cmd("ip route add 10.66.0.0/16 blackhole")
        chk.eq(out.strip(), "", "unix: ip route add")
        mode = os.stat(ferry.run.sock).st_mode & 0o777
        chk.eq(oct(mode), oct(0o660), "the socket's mode")
        chk.set_group("privilege: another user cannot open the socket")
        code = ("import socket,sys,os; os.setgid(65534); os.setuid(65534); s=socket.socket(socket.AF_UNIX);"
                "\ntry:\n s.connect(sys.argv[1]); print('connected')\nexcept OSError as e:\n print(e.errno)")
        p = subprocess.run([sys.executable, "-c", code, ferry.run.sock],
                           capture_output=True, text=True, timeout=30)
        chk.ok(p.stdout.strip() in ("13", "1"), "uid 65534: EACCES (%r %r)" % (p.stdout, p.stderr))
    finally:
        status, _, err = ferry.stop()
    chk.eq(status, 0, "ferry stopped cleanly", err[-2000:])
    chk.set_group("privilege: telnet beyond loopback needs a password")
    tmpl = template(binary, 'address = "0.0.0.0";')
    work, cfg, text = ft.live_case(tmpl, [], "mgmt-check")
    os.unlink(tmpl)
    p = subprocess.run([binary, "-c", cfg, "--check"], capture_output=True, text=True,
                       timeout=30)
    line = text[:text.index('address = "0.0.0.0"')].count("\n") + 1
    chk.ok(p.returncode != 0 and re.search(r"ferry\.cfg:%d: cli\.address: \"0\.0\.0\.0\": "
                                           r"telnet beyond loopback needs cli\.password" % line,
                                           p.stderr),
           "--check refuses it with file:line", p.stderr)


def main():
    binary = ft.setup()
    chk = ft.Checks("mgmt-access")
    privilege(binary, chk)
    lockout(binary, chk)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
