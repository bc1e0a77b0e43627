# SPDX-License-Identifier: BSD-3-Clause
"""Shared by the operations tests: one ferry on ops/ferry.cfg.in fed a
known capture (FORWARDED packets routed out of "a", NO_ROUTE dropped as
ip4_no_route), a parser for `show counters`, tool lookup with skips."""
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

FORWARDED = 120   # to 10.1.x.y: out of port a
NO_ROUTE = 17     # to 10.9.9.9: dropped, ip4_no_route
SETTLE_TIMEOUT = 20.0


def frames(forwarded=FORWARDED, no_route=NO_ROUTE):
    """Frames for the "in" port: @p forwarded routed ones first, then the
    unroutable ones; UDP ports and sizes vary so filters can pick some."""
    out = []
    for i in range(forwarded):
        out.append(bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
                         ft.IP(src="192.0.2.10", dst="10.1.%d.%d" % (i // 200, 1 + i % 200)) /
                         ft.UDP(sport=1000 + i, dport=5000 + i % 4) / (b"f" * (18 + i % 50))))
    for i in range(no_route):
        out.append(bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
                         ft.IP(src="192.0.2.11", dst="10.9.9.9") /
                         ft.UDP(sport=3000 + i, dport=53) / (b"n" * 18)))
    return out


def need_tool(name):
    """Full path of @p name, or exit 77 saying what is missing."""
    path = shutil.which(name)
    if path is None:
        ft.skip("%s not found (Debian package: %s)" % (
            name, {"dpdk-telemetry.py": "dpdk-dev", "dpdk-pdump": "dpdk-dev",
                   "prometheus": "prometheus", "promtool": "prometheus",
                   "tshark": "tshark"}.get(name, "?")))
    return path


def parse_counters(text):
    """{word: {object: {counter: value}}} from `show counters`; a
    single-valued line "node NAME N" gives {None: N}."""
    out = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) < 3 or not f[-1].isdigit():
            continue
        obj = out.setdefault(f[0], {}).setdefault(f[1], {})
        if len(f) == 3:
            obj[None] = int(f[2])
            continue
        for k, v in zip(f[2::2], f[3::2]):
            obj[k] = int(v)
    return out


class Ferry:
    """ferry running on the ops config with @p frames on port "in"."""

    def __init__(self, binary, name, frame_list=None, template=None, args=(),
                 edit=None):
        """@p args: more ferry arguments; @p edit: str -> str applied to
        the rendered configuration before ferry starts."""
        self.work, self.cfg, text = ft.live_case(
            template or ft.here(__file__, "ferry.cfg.in"),
            frames() if frame_list is None else frame_list, name)
        if edit is not None:
            with open(self.cfg, "w") as f:
                f.write(edit(text))
        self.prefix = os.path.basename(self.work)
        self.run = ft.Running(binary, self.cfg, args)
        m = self.run.wait_for(rb"metrics listening on [0-9.]+:(\d+)\n", 5.0)
        self.metrics_port = int(m.group(1)) if m else None
        self.cli = self.run.cli()

    def counters(self):
        return self.cli.cmd("show counters")

    def settle(self, want_rx):
        """Wait until port "in" received @p want_rx packets and the
        counters stopped moving; @return the last `show counters`."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        last, same = None, 0
        while time.monotonic() < deadline:
            text = self.counters()
            rx = parse_counters(text).get("port", {}).get("in", {}).get("rx", 0)
            same = same + 1 if text == last else 0
            if rx >= want_rx and same >= 2:
                return text
            last = text
            time.sleep(0.1)
        return last

    def stop(self):
        self.cli.close()
        status, out, err = self.run.stop()
        shutil.rmtree(self.work, ignore_errors=True)
        return status, out, err


def summary(chk, stopped):
    """@p stopped: Ferry.stop()'s result; checks the exit status and
    returns the checks' summary (the test's exit status)."""
    status, _, err = stopped
    chk.eq(status, 0, "ferry exit status", err[-800:])
    return chk.summary()


def run_tool(argv, timeout, stdin=None):
    """(status, stdout, stderr) of @p argv, killed after @p timeout s."""
    try:
        p = subprocess.run(argv, input=stdin, capture_output=True, text=True,
                           timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return -1, e.stdout or "", "timeout after %ss" % timeout


def metric_samples(text):
    """{(name, label value): value} from Prometheus text exposition."""
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{[a-z_]+="((?:[^"\\]|\\.)*)"[^}]*\}\s+(\S+)$', line)
        if m:
            out[(m.group(1), m.group(2))] = float(m.group(3))
    return out


def read_pcapng(path):
    """[(frame bytes, direction)] of the enhanced packet blocks of a
    pcapng file; direction from the epb_flags option: 1 in, 2 out, 0
    not said."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    out, off, e = [], 0, "<"
    while off + 12 <= len(data):
        btype, blen = struct.unpack(e + "II", data[off:off + 8])
        if btype == 0x0A0D0D0A:  # section header: byte order
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype, blen = struct.unpack(e + "II", data[off:off + 8])
        if blen < 12 or off + blen > len(data):
            raise ValueError("%s: bad block at %d" % (path, off))
        if btype == 6:
            caplen = struct.unpack(e + "I", data[off + 20:off + 24])[0]
            frame = data[off + 28:off + 28 + caplen]
            opt = off + 28 + ((caplen + 3) & ~3)
            direction = 0
            while opt + 4 <= off + blen - 4:
                code, olen = struct.unpack(e + "HH", data[opt:opt + 4])
                if code == 0:
                    break
                if code == 2 and olen == 4:
                    direction = struct.unpack(e + "I", data[opt + 4:opt + 8])[0] & 3
                opt += 4 + ((olen + 3) & ~3)
            out.append((frame, direction))
        off += blen
    return out


def wait_until(fn, timeout=10.0, step=0.1):
    """Call @p fn until it returns a true value or @p timeout passes."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(step)
