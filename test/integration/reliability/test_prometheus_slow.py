#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 20.7: Prometheus under slow clients. N_SLOW clients connect to
/metrics and send half a header, then nothing. A normal scrape must
still complete promptly (within SCRAPE_BOUND s, a generous bound: on
main it took 9-14 s or timed out), every slow connection must be closed
by ferry (header deadline, oldest idle dropped first), and ferry's file
descriptors must come back to what they were."""
import os
import select
import socket
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ops"))
import opstest as ops  # noqa: E402
ft = ops.ft

N_SLOW = 400          # bounded: well under the fd limit of both sides
SCRAPE_BOUND = 2.0    # s for one scrape while they hang on
CLEAN_TIMEOUT = 20.0  # s for ferry to close them all


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def open_slow(port, n):
    """@p n sockets that each sent half a request header."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
    deadline = time.monotonic() + 10
    pending = list(socks)
    while pending and time.monotonic() < deadline:
        _, w, _ = select.select([], pending, [], 0.5)
        for s in w:
            try:
                s.send(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
            except OSError:
                pass  # already dropped by ferry: as good as closed
            pending.remove(s)
    return socks


def scrape(port):
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port,
                                    timeout=30) as r:
            body = r.read().decode()
            status = r.status
    except OSError as e:
        return None, str(e), time.monotonic() - t0
    return status, body, time.monotonic() - t0


def closed_by_server(socks, timeout):
    """How many of @p socks saw EOF or a reset within @p timeout s."""
    left = list(socks)
    deadline = time.monotonic() + timeout
    while left and time.monotonic() < deadline:
        r, _, _ = select.select(left, [], [], 0.5)
        for s in r:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                left.remove(s)
    return len(socks) - len(left)


def main():
    binary = ft.setup()
    chk = ft.Checks("prometheus-slow-clients")
    ferry = ops.Ferry(binary, "prom-slow")
    socks = []
    try:
        chk.set_group("setup")
        if not chk.ok(ferry.metrics_port is not None, "metrics listening"):
            return chk.summary()
        port = ferry.metrics_port
        pid = ferry.run.proc.pid
        status, _, _ = scrape(port)
        chk.eq(status, 200, "a scrape before the slow clients")
        base = fd_count(pid)

        chk.set_group("scrapes while %d clients send half a header" % N_SLOW)
        socks = open_slow(port, N_SLOW)
        for i in range(3):
            status, body, took = scrape(port)
            print("scrape %d with %d slow clients: %.3f s" % (i, N_SLOW, took))
            chk.eq(status, 200, "scrape %d: status" % i, body if status is None else "")
            chk.ok(status == 200 and "ferry_" in body, "scrape %d: the exposition" % i)
            chk.ok(took <= SCRAPE_BOUND, "scrape %d completes within %.0f s (took %.2f s)"
                   % (i, SCRAPE_BOUND, took))

        chk.set_group("every slow connection cleaned")
        n = closed_by_server(socks, CLEAN_TIMEOUT)
        chk.eq(n, len(socks), "slow connections closed by ferry")
        for s in socks:
            s.close()
        socks = []
        deadline = time.monotonic() + 10
        while fd_count(pid) > base and time.monotonic() < deadline:
            time.sleep(0.2)
        chk.ok(fd_count(pid) <= base, "ferry's descriptors back to %d (now %d)"
               % (base, fd_count(pid)))
        status, _, _ = scrape(port)
        chk.eq(status, 200, "a scrape afterwards")
    finally:
        for s in socks:
            s.close()
        status, _, err = ferry.stop()
    chk.set_group("ferry stopped cleanly")
    chk.eq(status, 0, "exit status after SIGTERM", err[-2000:])
    chk.ok("runtime error" not in err and "Sanitizer" not in err, "no sanitizer report",
           err[-2000:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
