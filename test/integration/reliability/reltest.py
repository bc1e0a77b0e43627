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
    text = ft.with_cli_socket(text, work)
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


SANITIZER_MARKS = ("runtime error:", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer")


def sanitizer_lines(stderr):
    """Lines of ferry's stderr in which ASan/UBSan report something (UBSan
    goes on running unless UBSAN_OPTIONS says halt_on_error)."""
    return [ln for ln in stderr.splitlines() if any(m in ln for m in SANITIZER_MARKS)]


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
        self.cli = self.run.cli()
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


# --------------------------------------------------------------------------
# Replayed load (the changes-under-load test and scripts/soak.py): p0 and
# p1 replay a loop of frames forever (net_pcap infinite_rx), every port
# sends into /dev/null. Each frame belongs to one flow; the flows are
# built so that what the CLI changes and what it never touches can be
# told apart by port and drop reason:
#   steady      p0 UDP to 198.18.1.x, p1 VXLAN L3 VNI and MPLS VPN label
#               to 198.18.x: routed in cust-a out p4 (wan), never changed
#   l2          p1 VXLAN VNI 42 to 02:00:00:00:5b:01: out p3 (h), by the
#               MAC table or flooded (static MAC added/removed)
#   blackhole   p0 to 198.51.100.x: ip4_blackhole, never changed
#   route       p0 to 203.0.113.x (non-first fragments): out p0 while a
#               route is in, else ip4_no_route
#   acl         p0 UDP 7777 to 192.168.220.x: MPLS VPN out p1, or
#               acl_deny while a deny rule is in
#   lfib        p1 label 24002: swapped out p1 while the LFIB entry is
#               in, else mpls_unknown_label
MAC_HOST, MAC_P, MAC_VTEP = "02:00:00:00:c1:0a", "02:00:00:00:02:21", "02:00:00:00:02:31"
MAC_P0, MAC_P1 = "02:00:00:00:00:10", "02:00:00:00:00:11"


def _udp(src, dst, dport, size=96, ttl=64):
    return ft.IP(src=src, dst=dst, ttl=ttl) / ft.UDP(sport=1024 + size, dport=dport) / \
        (b"r" * (size - 28))


def _vxlan(vni, inner):
    import struct
    return ft.Ether(dst=MAC_P1, src=MAC_VTEP) / ft.IP(src="10.0.12.3", dst="10.0.12.1") / \
        ft.UDP(sport=49152, dport=4789, chksum=0) / struct.pack("!II", 0x08000000, vni << 8) / inner


def _mpls(labels, payload):
    import struct
    stack = b"".join(struct.pack("!I", (lab << 12) | ((i == len(labels) - 1) << 8) | 64)
                     for i, lab in enumerate(labels))
    return bytes(ft.Ether(dst=MAC_P1, src=MAC_P, type=0x8847)) + stack + bytes(payload)


def load_flows():
    """{port: [(flow, frame bytes)]}: one loop of each replayed port."""
    p0, p1 = [], []
    eth0 = ft.Ether(dst=MAC_P0, src=MAC_HOST)
    for i in range(64):
        k = i % 8
        if k < 4:
            p0.append(("steady", eth0 / _udp("192.168.101.10", "198.18.1.%d" % (1 + i), 5001)))
        elif k == 4:
            p0.append(("blackhole", eth0 / _udp("192.168.101.10", "198.51.100.%d" % (1 + i), 5001)))
        elif k == 5:
            # A later fragment: without the route it is dropped with no
            # ICMP error (RFC 1812 4.3.2.7), so every frame sent is one
            # received.
            ip = _udp("192.168.101.10", "203.0.113.%d" % (1 + i), 5001)
            ip.frag = 185
            p0.append(("route", eth0 / ip))
        else:
            p0.append(("acl", eth0 / _udp("192.168.101.10", "192.168.220.%d" % (1 + i), 7777)))
    for i in range(32):
        k = i % 4
        inner = _udp("192.168.220.%d" % (1 + i), "198.18.2.%d" % (1 + i), 5002)
        if k == 0:
            p1.append(("steady", _vxlan(5001, ft.Ether(dst=MAC_P0, src="02:00:00:00:77:01") /
                                        inner)))
        elif k == 1:
            p1.append(("steady", _mpls([1001], inner)))
        elif k == 2:
            p1.append(("l2", _vxlan(42, ft.Ether(dst="02:00:00:00:5b:01",
                                                 src="02:00:00:00:77:%02x" % (2 + i % 8)) /
                                    inner)))
        else:
            p1.append(("lfib", _mpls([24002], inner)))
    return {"p0": [(f, bytes(x)) for f, x in p0], "p1": [(f, bytes(x)) for f, x in p1]}


def loop_devargs(work, flows):
    """p0 and p1 replay their loop forever; everything is sent to
    /dev/null; the other ports read an empty capture."""
    os.makedirs(os.path.join(work, "in"), exist_ok=True)
    args = {}
    for port in PORTS:
        path = os.path.join(work, "in", port + ".pcap")
        ft.write_pcap(path, [raw for _, raw in flows.get(port, [])])
        args[port] = "rx_pcap=%s,tx_pcap=/dev/null%s" % (
            path, ",infinite_rx=1" if port in flows else "")
    return args


def flow_counts(flows, port, rx):
    """{flow: frames of it among the first @p rx frames port @p port
    replayed} (whole loops, then the start of the next)."""
    loop = flows[port]
    whole, part = divmod(rx, len(loop))
    out = {}
    for i, (f, _) in enumerate(loop):
        out[f] = out.get(f, 0) + whole + (1 if i < part else 0)
    return out
