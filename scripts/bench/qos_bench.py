#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Egress scheduler cost on one worker: ferry routing 64-byte IPv4
frames (net_pcap infinite_rx in, net_null out) without a scheduler and
with one of CLASSES classes (DSCP-mapped, 8 DSCP values in the input) on
a 100 Gbit/s port, so the scheduler never holds packets back and all of
its cost shows. Optionally DPDK's qos_sched example on its own QinQ
input (--qos-sched BINARY, built from /usr/share/dpdk/examples/qos_sched;
see doc/qos.md), with the lcore layout of PEERS.md.

The machine may be shared, so rates are given per second of CPU time of
the forwarding thread (rte-worker-1, read from /proc) as well as per
wall second; tx counts come from the ethdev telemetry socket.

Usage: /usr/bin/python3 scripts/bench/qos_bench.py BUILD/app/ferry
           [--classes 8] [--seconds 6] [--repeat 3] [--qos-sched BIN]
"""
import argparse
import glob
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Dot1Q, Ether
    from scapy.utils import wrpcap
except ImportError:
    sys.exit("needs Debian's /usr/bin/python3 with python3-scapy")

DSCPS = (0, 8, 10, 16, 18, 26, 34, 46)

# ipv4_bench.py's topology (in -> out, one worker), with a default route.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ipv4_bench import CONFIG  # noqa: E402
ROUTES = '{ prefix = "0.0.0.0/0"; via = "172.16.0.2"; }'


def qos_section(n):
    classes = []
    for i in range(n):
        dscp = ' dscp = [ "%d" ];' % DSCPS[i] if i < len(DSCPS) else ""
        classes.append('{ id = %d; rate = %dL; priority = %d;%s }'
                       % (i + 1, 50000000000 // n, i % 4, dscp))
    return ('qos = { ports = ( { port = "out"; rate = 100000000000L; '
            'default_class = 1; classes = (\n\t%s ); } ); };'
            % ",\n\t".join(classes))


def make_pcaps(work):
    frames = []
    for i in range(4096):
        frames.append(Ether(dst="02:00:00:00:00:10", src="02:00:00:00:00:99") /
                      IP(src="192.168.1.%d" % (i % 250 + 1),
                         dst="10.%d.%d.1" % (i % 200, i % 7),
                         tos=DSCPS[i % len(DSCPS)] << 2) /
                      UDP(sport=1000 + i % 1000, dport=2000) / (b"x" * 18))
    wrpcap(os.path.join(work, "ipv4_64.pcap"), frames)
    # PEERS.md's qinq_64: outer VLAN 0, inner 0..4095, dst .0-.15
    qinq = []
    for i in range(8192):
        p = (Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02") /
             Dot1Q(vlan=0) / Dot1Q(vlan=i % 4096) /
             IP(src="10.0.0.1", dst="10.1.0.%d" % (i % 16)) / UDP(sport=1000, dport=2000))
        raw = bytes(p)
        qinq.append(Ether(raw + b"\0" * max(0, 60 - len(raw))))
    wrpcap(os.path.join(work, "qinq_64.pcap"), qinq)


def telemetry(prefix, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix)
    s.recv(1024)
    s.send(cmd.encode())
    r = json.loads(s.recv(65536))
    s.close()
    return r


def worker_cpu(pid):
    tck = os.sysconf("SC_CLK_TCK")
    tot = 0
    for d in glob.glob("/proc/%d/task/*" % pid):
        try:
            with open(d + "/comm") as f:
                if "worker-1" not in f.read():
                    continue
            with open(d + "/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # a short-lived thread of the app's went away
            continue
        tot += int(fields[11]) + int(fields[12])
    return tot / tck


def measure(cmd, prefix, port, seconds):
    """(Mpps per worker CPU second, Mpps per wall second)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # start-up and warm-up

        def opk():
            return telemetry(prefix, "/ethdev/stats,%d" % port)["/ethdev/stats"]["opackets"]
        a, ca, ta = opk(), worker_cpu(proc.pid), time.time()
        time.sleep(seconds)
        b, cb, tb = opk(), worker_cpu(proc.pid), time.time()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    return ((b - a) / (cb - ca) / 1e6 if cb > ca else 0.0, (b - a) / (tb - ta) / 1e6)


def report(name, runs):
    cpu = [r[0] for r in runs]
    wall = [r[1] for r in runs]
    print("%-40s median %.2f Mpps per worker CPU second (min %.2f, max %.2f); "
          "%.2f per wall second" % (name, statistics.median(cpu), min(cpu),
                                    max(cpu), statistics.median(wall)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ferry")
    ap.add_argument("--classes", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--qos-sched")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ferry-qosbench-")
    try:
        make_pcaps(work)
        cases = [("ferry ipv4 64 B, no scheduler", "")]
        cases.append(("ferry ipv4 64 B, %d classes" % a.classes, qos_section(a.classes)))
        for name, qos in cases:
            runs = []
            for r in range(a.repeat):
                run_id = "%d_%d" % (os.getpid(), len(runs))
                prefix = "ipv4bench" + run_id
                cfg = os.path.join(work, "ferry.cfg")
                with open(cfg, "w") as f:
                    f.write(CONFIG.format(huge="false", pid=run_id, routes=ROUTES,
                                          pcap=os.path.join(work, "ipv4_64.pcap")))
                    f.write(qos + "\n")
                runs.append(measure([a.ferry, "-c", cfg], prefix, 1, a.seconds))
            report(name, runs)
        if a.qos_sched:
            runs = []
            cfg = os.path.join(os.path.dirname(os.path.realpath(a.qos_sched)), "..",
                               "profile.cfg")
            for r in range(a.repeat):
                prefix = "qosbenchpeer%d_%d" % (os.getpid(), r)
                runs.append(measure(
                    [a.qos_sched, "--lcores", "0@0,1@1,2@0", "--main-lcore", "2",
                     "--no-huge", "-m", "3072", "--no-pci", "--file-prefix", prefix,
                     "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1"
                     % os.path.join(work, "qinq_64.pcap"),
                     "--vdev", "net_null0,no-rx=1", "--", "--pfc", "0,1,0,1",
                     "--mnc", "2", "--msz", "524288", "--cfg", cfg],
                    prefix, 1, a.seconds))
            report("qos_sched qinq 64 B, default profile", runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
