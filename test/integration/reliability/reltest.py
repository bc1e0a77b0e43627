# SPDX-License-Identifier: BSD-3-Clause
"""Shared by the reliability tests and scripts/soak.py: ferry on
rel.cfg.in with each port's net_pcap arguments chosen by the caller, and
the readings a leak shows in: mbufs in use (telemetry /ferry/mempools,
lib/stats), rte_malloc heap (telemetry /eal/heap_info,0) and RSS.

DPDK telemetry is read straight from its socket (what dpdk-telemetry.py
does): a SOCK_SEQPACKET Unix socket under the EAL runtime directory that
answers one JSON object per command."""
import json
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

PORTS = ("p0", "p1", "p2", "p3", "p4")
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rel.cfg.in")
POOL = "ferry_pkts"  # lib/port's packet pool


def render(template, work, devargs):
    """Write ferry.cfg in @p work from @p template: @RX_<port>@ becomes
    devargs[port], @PREFIX@ the work directory's name. @return its path."""
    with open(template) as f:
        text = f.read()
    for port in PORTS:
        text = text.replace("@RX_%s@" % port, devargs[port])
    text = text.replace("@PREFIX@", os.path.basename(work))
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(text)
    return cfg


def pcap_devargs(work, frames):
    """Each port reads in/<port>.pcap once and writes out/<port>.pcap."""
    for d in ("in", "out"):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    args = {}
    for port in PORTS:
        ft.write_pcap(os.path.join(work, "in", port + ".pcap"), frames.get(port, []))
        args[port] = "rx_pcap=%s/in/%s.pcap,tx_pcap=%s/out/%s.pcap" % (work, port, work, port)
    return args


class Telemetry:
    """One connection to a DPDK process's telemetry socket."""

    def __init__(self, prefix, timeout=5.0):
        path = None
        for base in (ft.DPDK_RUN_DIR, os.environ.get("XDG_RUNTIME_DIR", "") + "/dpdk"):
            p = os.path.join(base, prefix, "dpdk_telemetry.v2")
            if os.path.exists(p):
                path = p
        if path is None:
            raise OSError("no telemetry socket for file prefix %s" % prefix)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(65536).decode())
        self.bufsize = int(hello.get("max_output_len", 16384))

    def cmd(self, c):
        self.sock.send(c.encode())
        return json.loads(self.sock.recv(self.bufsize).decode())[c.split(",")[0]]

    def mbufs_in_use(self):
        return self.cmd("/ferry/mempools")[POOL]["in_use"]

    def heap(self):
        """(bytes allocated, allocations) of socket 0's rte_malloc heap."""
        h = self.cmd("/eal/heap_info,0")
        return h["Alloc_size"], h["Alloc_count"]

    def close(self):
        self.sock.close()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Ferry:
    """ferry running on a rendered rel.cfg.in, with a CLI session and a
    telemetry connection."""

    def __init__(self, binary, name, devargs_fn, template=TEMPLATE):
        self.work = tempfile.mkdtemp(prefix="ferry-%s-" % name)
        self.prefix = os.path.basename(self.work)
        cfg = render(template, self.work, devargs_fn(self.work))
        self.run = ft.Running(binary, cfg)
        self.pid = self.run.proc.pid
        self.cli = ft.Cli(self.run.port)
        self.tel = Telemetry(self.prefix)

    def counters(self):
        return ft.Counters(self.cli.cmd("show counters"))

    def settle(self, want_rx, timeout=30.0):
        """Wait until the ports received @p want_rx frames in all and
        `show counters` stopped changing; @return its Counters or None."""
        deadline = time.monotonic() + timeout
        prev, same = None, 0
        while time.monotonic() < deadline:
            text = self.cli.cmd("show counters")
            same = same + 1 if text == prev else 0
            prev = text
            c = ft.Counters(text)
            if c.rx_total() >= want_rx and same >= 3:
                return c
            time.sleep(0.1)
        return None

    def stop(self):
        """SIGTERM; @return (exit status, stdout, stderr)."""
        for c in (self.cli, self.tel):
            try:
                c.close()
            except OSError:
                pass
        return self.run.stop()
