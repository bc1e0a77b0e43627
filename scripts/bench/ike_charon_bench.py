#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Issue 16's speed figures on the two-gateway bed (iketopo.py: ferry +
charon A with kernel-ferry, charon B with kernel-libipsec, namespaces).
Not a test: it prints figures, nothing is asserted. Needs root and what
the ike tests need (it exits 77 with the reason otherwise).

  1. tunnels established per second: N CHILD_SAs of one IKE_SA, from
     loading the configurations to all installed at charon A;
  2. SA install latency: charon A's add_sa call of an outbound SA
     (kernel-ferry logs the wall clock of the call) to the first ESP
     packet of that SPI leaving ferry (tshark on the wire), for K
     rekeys of tunnel 1 under a ping every 5 ms (so the figure includes
     up to 5 ms of waiting for the next packet);
  3. one SA's forwarding rate: UDP from the host behind A into tunnel 1
     for S seconds, packets/s ferry's outbound SA counted (`show ipsec
     sa`), once quiet and once while the other N - 1 tunnels rekey one
     after another (`swanctl --rekey`).

The machine's load is printed with the figures (2 shared cores: charon
B's userspace ESP and the senders run on the same cores as ferry).

Usage: /usr/bin/python3 scripts/bench/ike_charon_bench.py FERRY_BINARY
       [N=101] [K=10] [S=10]
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../test/integration/ike"))
import iketopo as t  # noqa: E402

ESP = t.ESP["aes-gcm-128"]
# A UDP sender in HA: 1000-byte datagrams as fast as it can for S s.
BLAST = ("import socket,time\n"
         "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
         "b=bytes(1000); end=time.monotonic()+%f; n=0\n"
         "while time.monotonic()<end:\n"
         "    try: s.sendto(b,('%s',9)); n+=1\n"
         "    except OSError: pass\n"
         "print(n)\n")


def subnet(i):
    return "10.82.%d.0/24" % i


def configure(env, n):
    for i in range(2, n + 1):
        t.sh("ip addr add 10.82.%d.1/24 dev b1" % i, ns=t.NS_B)
        t.sh("ip addr add 10.82.%d.2/24 dev hb" % i, ns=t.NS_HB)
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net%d" % i, subnet(i), t.NET_A, ESP)
        for i in range(1, n + 1)]))
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net%d" % i, t.NET_A, subnet(i), ESP,
                     start_action="start") for i in range(1, n + 1)]))


def installed(charon):
    return {c["name"]: c for c in charon.child_sas()
            if c["state"] == "INSTALLED"}


def tunnels_per_second(env, n):
    t0 = time.monotonic()
    configure(env, n)
    t.wait_for(lambda: len(installed(env.a)) == n, 900, interval=1)
    dt = time.monotonic() - t0
    got = len(installed(env.a))
    print("FIGURE tunnels established: %d in %.1f s = %.1f tunnels/s"
          % (got, dt, got / dt))


def installs(log):
    """{spi: wall clock} of outbound SAs kernel-ferry installed."""
    return {int(m.group(1), 16): float(m.group(2)) for m in re.finditer(
        r"ferry: SA ([0-9a-f]{8}) out installed, add_sa called at "
        r"(\d+\.\d+)", log)}


def first_on_wire(pcap):
    """{spi: time of its first ESP-in-UDP packet from ferry}."""
    from scapy.all import IP, UDP, rdpcap
    first = {}
    try:
        pkts = rdpcap(pcap)
    except (OSError, ValueError, EOFError):
        return first
    for p in pkts:
        if IP in p and UDP in p and p[IP].src == t.FERRY_WAN and \
                p[UDP].sport == 4500:
            b = bytes(p[UDP].payload)
            if len(b) > 8 and b[:4] != b"\0\0\0\0":
                first.setdefault(int.from_bytes(b[:4], "big"),
                                 float(p.time))
    return first


def install_latency(env, k):
    ping = subprocess.Popen(["ip", "netns", "exec", t.NS_HA, "ping", "-q",
                             "-i", "0.005", "-w", str(30 + 20 * k),
                             "10.82.1.2"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    cap = t.Capture(env.work, t.NS_T, "t0", "bench-latency", "udp")
    start = time.time()  # SAs installed before (tunnel 1's first) excluded
    try:
        for _ in range(k):
            old = installed(env.a).get("net1", {}).get("spi-out")
            env.a.swanctl("--rekey", "--child", "net1", check=False)
            t.wait_for(lambda: installed(env.a).get("net1", {}).get(
                "spi-out") not in (None, old), 60, 0.2)
            time.sleep(1)
    finally:
        cap.stop()
        ping.terminate()
        ping.wait()
    add, wire = installs(env.a.log()), first_on_wire(cap.path)
    lat = sorted((wire[s] - add[s]) * 1000 for s in add
                 if s in wire and add[s] >= start)
    if not lat:
        print("FIGURE SA install latency: no SA matched on the wire")
        return
    print("FIGURE SA install latency (add_sa to first packet encrypted, "
          "ping every 5 ms): %d SAs, min %.1f ms, median %.1f ms, max "
          "%.1f ms" % (len(lat), lat[0], lat[len(lat) // 2], lat[-1]))


def sa_packets(env, spi):
    out = env.ferry.cmd("show ipsec sa %d" % spi)
    m = re.search(r"packets (\d+)", out)
    return int(m.group(1)) if m else 0


def rate(env, seconds):
    """Packets/s ferry's outbound SA of tunnel 1 encrypted while HA
    sends to a host behind it for @p seconds."""
    spi = int(installed(env.a)["net1"]["spi-out"], 16)
    before = sa_packets(env, spi)
    sent = subprocess.run(["ip", "netns", "exec", t.NS_HA, t.PY, "-c",
                           BLAST % (seconds, "10.82.1.2")],
                          capture_output=True, text=True,
                          timeout=seconds + 60).stdout.strip()
    return (sa_packets(env, spi) - before) / seconds, sent


def rekey_others(env, n, stop):
    done = 0
    while not stop.is_set():
        for i in range(2, n + 1):
            if stop.is_set():
                break
            env.a.swanctl("--rekey", "--child", "net%d" % i, check=False)
            done += 1
    rekey_others.done = done


def forwarding_rate(env, n, seconds):
    quiet, sent = rate(env, seconds)
    print("FIGURE one SA, quiet: %.0f packets/s encrypted (sender: %s "
          "datagrams in %d s)" % (quiet, sent, seconds))
    stop = threading.Event()
    th = threading.Thread(target=rekey_others, args=(env, n, stop))
    th.start()
    time.sleep(1)
    busy, sent = rate(env, seconds)
    stop.set()
    th.join()
    print("FIGURE one SA while the other %d tunnels rekey: %.0f packets/s "
          "encrypted (sender: %s datagrams; %d rekeys asked meanwhile)"
          % (n - 1, busy, sent, getattr(rekey_others, "done", 0)))


def main():
    binary = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 101
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    s = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    why = t.can_run()
    if why:
        print("ike_charon_bench: %s" % why)
        return 77
    work = tempfile.mkdtemp(prefix="ferry-ike-bench-")
    env = t.Env(binary, work)
    try:
        env.up()
        print("load before: %s" % open("/proc/loadavg").read().strip())
        tunnels_per_second(env, n)
        install_latency(env, k)
        forwarding_rate(env, n, s)
        print("load after: %s" % open("/proc/loadavg").read().strip())
    finally:
        env.down()
        t.topology_down()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
