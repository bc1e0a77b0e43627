# SPDX-License-Identifier: BSD-3-Clause
"""Control-plane path cases (lib/control_plane, doc/control-plane.md).

  cp-transit             IPv4 forwarding with a TAP representor on the
                         ingress interface: Mpps out (compare with
                         ipv4-1k-4kflows, same capture)
  cp-transit-punt-flood  the same transit interleaved 1:1 with TCP SYNs
                         to ferry's address (management class, policed):
                         transit Mpps out while a flood as large hits ferry
  cp-exception-punt      only SYNs to ferry's address, CoPP wide open:
                         frames/s written to the TAP (punt in) and frames/s
                         the kernel's RSTs leave by (inject out)
  cp-exception-inject    a UDP sender in the TAP's namespace, unpaced, to a
                         host behind ferry: frames/s ferry reads from the
                         TAP and routes out

The TAP lives in a namespace of its own (its address would otherwise add
a route to the machine's own namespace), made and removed around each
case. The exception cases read ferry's own counters (`show control-plane`)
over the window; the transit cases read the sink port like every case.
"""
import os
import re
import socket
import subprocess
import time

import harness
import scenarios
from scenarios import Case, IN_MAC, SRC_MAC, udp_frame

try:
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
except ImportError:
    raise SystemExit("bench: run with Debian's /usr/bin/python3 (python3-scapy)")

NS = "fbench%x" % (os.getpid() & 0xffff)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CPTOOLS = os.path.join(ROOT, "test", "integration", "control_plane", "cptools.py")
FERRY_IN = "192.168.1.254"
OPEN = "{ rate = 10000000; burst = 100000; }"


def cp_section(wide_open):
    copp = ""
    if wide_open:
        copp = "copp = { %s };" % " ".join("%s = %s;" % (c, OPEN) for c in (
            "routing", "ike", "management", "icmp", "other"))
    return """
neighbours = ( { interface = "out"; address = "172.16.0.2"; mac = "%s"; },
	{ interface = "in"; address = "192.168.1.1"; mac = "%s"; } );
control_plane = { representors = ( { interface = "in"; name = "fbench";
	netns = "%s"; } ); %s };
""" % (scenarios.NH_MAC, SRC_MAC, NS, copp)


def cp_config(wide_open):
    def gen():
        base = scenarios.ipv4_config()
        # ipv4_config() has the out neighbour; cp_section() lists both.
        base = base[:base.index("neighbours")]
        return base + cp_section(wide_open)
    return gen


def syn_frames(n=4096):
    return [bytes(Ether(dst=IN_MAC, src=SRC_MAC) /
                  IP(src="192.168.1.1", dst=FERRY_IN) /
                  TCP(sport=1024 + i, dport=22, flags="S", seq=i))
            for i in range(n)]


def mixed_frames():
    transit = scenarios.ipv4_frames(4096)()
    syns = syn_frames(4096)
    return [f for pair in zip(transit, syns) for f in pair]


class CpCase(Case):
    """A case whose TAP namespace exists while it runs."""

    def setup(self):
        subprocess.run(["ip", "netns", "add", NS], stderr=subprocess.DEVNULL)

    def cleanup(self):
        subprocess.run(["ip", "netns", "del", NS], stderr=subprocess.DEVNULL)


class CpException(CpCase):
    """Frames/s through the exception path, from ferry's own counters."""

    def __init__(self, mode, frames):
        super().__init__("cp-exception-" + mode, 60, frames, cp_config(True))
        self.mode, self.ipp, self.floor = mode, False, False

    def counters(self, port):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"show control-plane\nquit\n")
            text, t0 = b"", time.time()
            while time.time() - t0 < 5:
                chunk = s.recv(65536)
                if not chunk:
                    break
                text += chunk
        m = re.search(rb"^in\s+fbench\s+\S+\s+\d+\s+\S+\s+\d+\s+(\d+)\s+\d+\s+"
                      rb"(\d+)", text, re.M)
        if m is None:
            raise RuntimeError("no representor line in %r" % text[-300:])
        return time.time(), int(m.group(1)), int(m.group(2))

    def sender(self):
        """The kernel's side: the SYN source's MAC (nobody answers ARP on
        a capture), and for inject a sender routed through ferry."""
        ns = ["ip", "netns", "exec", NS]
        subprocess.run(ns + ["ip", "neigh", "replace", "192.168.1.1",
                             "lladdr", SRC_MAC, "dev", "fbench"])
        if self.mode != "inject":
            return None
        subprocess.run(ns + ["ip", "route", "add", "10.0.0.0/8", "via",
                             "192.168.1.1"])
        return subprocess.Popen(
            ["ip", "netns", "exec", NS, "/usr/bin/python3", CPTOOLS,
             "udp-send", "10.0.1.1", "9", "100000000", "1e9"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run(self, run):
        """Run ferry, sample the TAP counters over the window."""
        self.pcap = self.traffic(run.cache)
        row = run.empty_row(self)
        log = run.log("ferry")
        with open(log, "w") as out:
            proc = subprocess.Popen(run.ferry_cmd(self, run.prefix("ferry"),
                                                  False), stdout=out,
                                    stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
        snd = None
        try:
            port = wait_cli(log, proc)
            snd = self.sender()
            time.sleep(run.a.warmup)
            t0, in0, out0 = self.counters(port)
            time.sleep(run.a.window)
            t1, in1, out1 = self.counters(port)
            pin, pout = (in1 - in0) / (t1 - t0), (out1 - out0) / (t1 - t0)
            row["mpps"] = (pin if self.mode == "punt" else pout) / 1e6
            row["note"] = " to TAP %.0f/s, from TAP %.0f/s" % (pin, pout)
        except (RuntimeError, OSError) as e:
            row["note"] = " ferry: %s" % e
        finally:
            if snd is not None:
                harness.stop(snd)
            harness.stop(proc)
        return row


def wait_cli(log, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        m = re.search(r"cli listening on [0-9.]+:([0-9]+)", open(log).read())
        if m:
            return int(m.group(1))
        time.sleep(0.2)
    raise RuntimeError("ferry did not start (see %s)" % log)


def cases():
    c1 = CpCase("cp-transit", 60, scenarios.ipv4_frames(4096), cp_config(False))
    c1.traffic_key = "ipv4-1k-4kflows"
    c1.ipp = False
    c2 = CpCase("cp-transit-punt-flood", 60, mixed_frames, cp_config(False))
    c2.ipp = False
    return [c1, c2, CpException("punt", syn_frames),
            CpException("inject", scenarios.ipv4_frames(4096))]
