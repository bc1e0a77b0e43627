#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Route churn over FPM while two ports replay: loss and forwarding rate.

Starts ferry with two net_pcap ports replaying a capture forever
(infinite_rx) and two net_null ports "a" and "b". Over FPM it first
installs the stable routes (1,024 /24s via "a"); every packet of the
captures goes to one of them, to hosts .1-.127. Then it measures the
forwarding rate for DURATION seconds with no change, and again while
it plays zebra changing routes at RATE updates per second (one FPM
frame each, DEL+NEW for a change, as dplane_fpm_nl sends them), all via
"b" and none moving the stable traffic:

  - a /25 at .128 and a /32 at .200 inside the stable /24s (DIR24_8
    allocates a tbl8 group for the /24 and frees it again: the case
    fib.c's RCU deferral is for),
  - the covering /16 flipped between two gateways (rewrites the gaps
    around the stable /24s),
  - unrelated /24s added and removed.

When ferry stops it prints its final counters (workers stopped first:
every received packet is sent or counted as dropped), counted from a
`clear counters` once the stable routes are in. Loss on the unchanged
prefixes is what did not leave by "a": drops plus what left by "b".

  scripts/bench/fpm_churn.py build/app/ferry [DURATION [RATE]]
"""
import os
import re
import socket
import struct
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "integration"))
sys.path.insert(0, HERE)
import ferrytest as ft  # noqa: E402
from fpm_load import attr, free_port  # noqa: E402

CONFIG = """
eal = {{ lcores = "0-1"; memory = 1024; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
buffers = {{ mbufs = 16383; }};
ports = (
  {{ name = "in0"; device = "net_pcap0,rx_pcap={work}/in0.pcap,infinite_rx=1";
     mac = "02:00:00:00:01:00"; }},
  {{ name = "in1"; device = "net_pcap1,rx_pcap={work}/in1.pcap,infinite_rx=1";
     mac = "02:00:00:00:02:00"; }},
  {{ name = "a"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:0a:00"; }},
  {{ name = "b"; device = "net_null1,no-rx=1"; mac = "02:00:00:00:0b:00"; }}
);
interfaces = (
  {{ name = "in0"; port = "in0"; address = "192.0.2.1/24"; }},
  {{ name = "in1"; port = "in1"; address = "192.0.3.1/24"; }},
  {{ name = "a"; port = "a"; address = "198.18.0.1/30"; }},
  {{ name = "b"; port = "b"; address = "198.18.1.1/29"; }}
);
vrfs = ( {{ name = "default"; id = 0; max_routes = 65536;
           fib_tbl8 = 4096; }} );
neighbours = (
  {{ interface = "in0"; address = "192.0.2.10"; mac = "02:00:00:00:01:99"; }},
  {{ interface = "in1"; address = "192.0.3.10"; mac = "02:00:00:00:02:99"; }},
  {{ interface = "a"; address = "198.18.0.2"; mac = "02:00:00:00:0a:02"; }},
  {{ interface = "b"; address = "198.18.1.2"; mac = "02:00:00:00:0b:02"; }},
  {{ interface = "b"; address = "198.18.1.3"; mac = "02:00:00:00:0b:03"; }}
);
workers = ( {{ lcore = 1; rx = ( "in0:0", "in1:0", "a:0", "b:0" ); }} );
cli = {{ port = 0; socket = "{work}/cli.sock"; }};
fpm = {{ enabled = true; port = {fpm_port}; grace = 600; sweep_delay = 600; }};
"""

GW_A = 0xc6120002          # 198.18.0.2
GW_B = (0xc6120102, 0xc6120103)
STABLE = 1024              # 20.0.0.0/24 .. 20.3.255.0/24 via a
NET = 0x14000000           # 20.0.0.0


def route_msg(kind, addr, plen, gw=None):
    """One RTM_NEWROUTE (kind 24) or RTM_DELROUTE (25) of table 254."""
    rtm = struct.pack("=BBBBBBBBI", 2, plen, 0, 0, 254, 186, 0, 1, 0)
    a = attr(15, struct.pack("=I", 254)) + attr(1, struct.pack("!I", addr))
    if gw is not None:
        a += attr(6, struct.pack("=I", 20))
        a += attr(5, struct.pack("!I", gw)) + attr(4, struct.pack("=I", 2))
    body = rtm + a
    return struct.pack("=IHHII", 16 + len(body), kind, 0x501, 0, 0) + body


def frame(*msgs):
    nl = b"".join(msgs)
    return struct.pack("!BBH", 1, 1, 4 + len(nl)) + nl


def new(addr, plen, gw):
    return frame(route_msg(24, addr, plen, gw))


def delete(addr, plen):
    return frame(route_msg(25, addr, plen))


def change(addr, plen, gw):
    return frame(route_msg(25, addr, plen), route_msg(24, addr, plen, gw))


def stable_net(k):
    return NET + (k << 8)


def churn_cycle(i):
    """Ten updates that never move traffic to the stable hosts."""
    k = (i * 7) % STABLE
    net = stable_net(k)
    other = 0x15000000 + ((i % 65536) << 8)  # 21.x.y.0/24, unrelated
    cover = net & 0xffff0000
    return [
        new(net | 0x80, 25, GW_B[0]),
        new(net | 200, 32, GW_B[0]),
        change(cover, 16, GW_B[i % 2]),
        new(other, 24, GW_B[1]),
        change(net | 0x80, 25, GW_B[1]),
        delete(net | 200, 32),
        delete(net | 0x80, 25),
        change(cover, 16, GW_B[(i + 1) % 2]),
        delete(other, 24),
        delete(cover, 16),
    ]


def captures(work):
    for p in (0, 1):
        frames = []
        for i in range(256):
            k = (i * 37 + p * 512) % STABLE
            dst = socket.inet_ntoa(struct.pack("!I", stable_net(k) | (1 + i % 127)))
            pkt = (ft.Ether(dst="02:00:00:00:0%d:00" % (p + 1),
                            src="02:00:00:00:0%d:99" % (p + 1)) /
                   ft.IP(src="192.0.%d.10" % (2 + p), dst=dst, ttl=64) /
                   ft.UDP(sport=1000 + i, dport=53) / (b"x" * 18))
            frames.append(bytes(pkt))
        ft.write_pcap(os.path.join(work, "in%d.pcap" % p), frames)


def rx_total(cli):
    c = ft.Counters(cli.cmd("show counters"))
    return sum(c.ports.get(p, {}).get("rx", 0) for p in ("in0", "in1"))


def rate(cli, seconds):
    r0, t0 = rx_total(cli), time.monotonic()
    time.sleep(seconds)
    r1, t1 = rx_total(cli), time.monotonic()
    return (r1 - r0) / (t1 - t0)


def wait_added(cli, n, limit=120):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        m = re.search(r"routes_added\s+(\d+)", cli.cmd("show fpm"))
        if m and int(m.group(1)) >= n:
            return True
        time.sleep(0.1)
    return False


def churn(peer, seconds, per_s, stop, sent):
    """Send per_s updates a second, in 10 ms ticks, for seconds
    (encoded beforehand: the encoding must not pace the sender)."""
    batch = max(10, per_s // 100)
    ticks = []
    for t in range(int(seconds * per_s / batch) + 1):
        ticks.append(b"".join(f for c in range(batch // 10)
                              for f in churn_cycle(t * (batch // 10) + c)))
    t0 = time.monotonic()
    for t, buf in enumerate(ticks):
        if stop.is_set():
            break
        due = t0 + t * batch / per_s
        now = time.monotonic()
        if now < due:
            time.sleep(due - now)
        peer.sendall(buf)
        sent[0] += batch


def final_check(out):
    final = out.split("ferry: final counters", 1)
    if len(final) != 2:
        print("ferry printed no final counters")
        return 1
    c = ft.Counters(final[1])
    rx = sum(c.ports.get(p, {}).get("rx", 0) for p in ("in0", "in1"))
    a = c.ports.get("a", {}).get("tx", 0)
    b = c.ports.get("b", {}).get("tx", 0)
    drops = sum(c.drops.values())
    print("final: rx %d, tx a %d, tx b (misrouted) %d, drops %d %s" % (
        rx, a, b, drops, c.drops or ""))
    print("loss on unchanged prefixes: %d packets (drops + misrouted; "
          "rx - tx a = %d, packets in flight at `clear counters`)" % (
              drops + b, rx - a))
    return 0 if b == 0 and drops == 0 else 1


def main():
    binary = sys.argv[1]
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    per_s = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    work = tempfile.mkdtemp(prefix="ferry-fpm-churn-")
    port = free_port()
    captures(work)
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix=os.path.basename(work), work=work,
                              fpm_port=port))
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli(timeout=120)
        peer = socket.create_connection(("127.0.0.1", port))
        peer.sendall(b"".join(new(stable_net(k), 24, GW_A)
                              for k in range(STABLE)))
        if not wait_added(cli, STABLE):
            print("stable routes not installed")
            return 1
        # from here on every packet goes to an installed stable route
        cli.cmd("clear counters")
        base = rate(cli, duration)
        print("no churn: %.3f Mpps forwarded" % (base / 1e6))
        stop, sent = threading.Event(), [0]
        th = threading.Thread(target=churn,
                              args=(peer, duration + 2, per_s, stop, sent))
        th.start()
        time.sleep(1)
        s0, t0 = sent[0], time.monotonic()
        busy = rate(cli, duration)
        s1, t1 = sent[0], time.monotonic()
        stop.set()
        th.join()
        print("churn: %.0f updates/s offered, %.3f Mpps forwarded "
              "(%.1f %% of no churn)" % ((s1 - s0) / (t1 - t0), busy / 1e6,
                                         100.0 * busy / base))
        print(re.sub(r"\n\s*\n", "\n", cli.cmd("show fpm")))
        peer.close()
        cli.close()
    finally:
        status, out, err = ferry.stop()
        os.system("rm -rf '%s'" % work)
    return final_check(out)


if __name__ == "__main__":
    sys.exit(main())
