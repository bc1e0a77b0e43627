#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/rekey: hitless rekeys through ferry under traffic (issue 16
acceptance; topology in iketopo.py).

A paced ping stream (HA -> HB, 20 a second) runs through the tunnel
while charon A rekeys, one case at a time:

  - time: CHILD_SA rekey_time 12 s and IKE_SA rekey_time 20 s (charon
    schedules both);
  - bytes: rekey_bytes on charon A's CHILD_SA: only ferry sees the
    volume, so the rekey starts from ferry's soft EXPIRE event;
  - packets: rekey_packets likewise.

Checked in each case: the rekey happened (the CHILD_SA's SPIs, or the
IKE_SA's unique id, changed; ferry's SAs follow charon's), every echo
request sent was answered (zero lost), ferry ends with exactly the
current CHILD_SA's two SAs, and once the stream stops charon A's
`swanctl --list-sas` counters of that CHILD_SA are ferry's `show ipsec
sa` counters, and charon B's outbound packets are ferry's inbound.
Outcomes are asserted, not durations: the waits are generous.

Usage: /usr/bin/python3 test_ike_rekey.py FERRY_BINARY
"""

import re
import subprocess

import iketopo as t

ESP = t.ESP["aes-gcm-128"]
# ping -s 200: 228-byte inner packets; 20 a second each way
PING_SIZE, PING_INTERVAL = 200, 0.05
CASES = [
    ("time", dict(rekey_time=12), dict(ike_rekey=20)),
    ("bytes", dict(rekey_bytes=40000, life_bytes=4000000), {}),
    ("packets", dict(rekey_packets=200, life_packets=200000), {}),
]


def load(env, child_a, conn_a):
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, ESP, **child_a)], **conn_a))
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, ESP)]))


def installed(charon):
    return [c for c in charon.child_sas() if c["state"] == "INSTALLED"]


def ike_id(charon):
    m = re.search(r"^gw: #(\d+), ESTABLISHED", charon.list_sas(), re.M)
    return int(m.group(1)) if m else None


def spis(c):
    return int(c["spi-in"], 16), int(c["spi-out"], 16)


class Stream:
    """ping HA -> HB, paced, @p count requests."""

    def __init__(self, count):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", t.NS_HA, "ping", "-n", "-q", "-c",
             str(count), "-i", str(PING_INTERVAL), "-s", str(PING_SIZE),
             "-W", "5", t.HB_IP], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)

    def stop(self):
        """(sent, received) once ping has finished (SIGINT otherwise)."""
        try:
            out, _ = self.proc.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(2)
            out, _ = self.proc.communicate()
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        return (int(m.group(1)), int(m.group(2))) if m else (0, -1)


def rekeyed(env, first, first_ike, what):
    def done():
        now = installed(env.a)
        if what == "ike":
            return ike_id(env.a) not in (None, first_ike)
        return len(now) == 1 and spis(now[0]) != spis(first)
    return t.wait_for(done, 120, interval=1)


def check_counters(env, chk):
    """Charon A's counters are ferry's; B's outbound is ferry's inbound.
    charon deletes a rekeyed inbound SA some seconds after the rekey
    (delete_rekeyed_delay, 5 s): wait for that first."""
    def settled():
        k = installed(env.a)
        return len(k) == 1 and sorted(env.ferry.ike_sas()) == sorted(
            [(spis(k[0])[0], "in"), (spis(k[0])[1], "out")])
    t.wait_for(settled, 60, interval=1)
    kids = installed(env.a)
    sas = env.ferry.ike_sas()
    if len(kids) != 1:
        chk.fail("one CHILD_SA at the end", env.a.list_sas())
        return
    spi_in, spi_out = spis(kids[0])
    chk.eq(sorted(sas), sorted([(spi_in, "in"), (spi_out, "out")]),
           "ferry holds exactly the current CHILD_SA's SAs",
           env.ferry.cmd("show ipsec sa"))
    c = kids[0]
    for d, spi in (("in", spi_in), ("out", spi_out)):
        s = sas.get((spi, d), {})
        chk.eq((int(c["packets-" + d]), int(c["bytes-" + d])),
               (s.get("packets"), s.get("bytes")),
               "swanctl --list-sas %s counters = show ipsec sa" % d)
    kb = [k for k in installed(env.b) if int(k["spi-out"], 16) == spi_in]
    chk.ok(len(kb) == 1 and int(kb[0]["packets-out"]) ==
           sas.get((spi_in, "in"), {}).get("packets"),
           "charon B's outbound packets = ferry's inbound",
           "%s / %s" % (kb, sas.get((spi_in, "in"))))


def run_case(env, chk, name, child_a, conn_a):
    chk.set_group("%s: established" % name)
    load(env, child_a, conn_a)
    out = env.a.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    first = installed(env.a)
    if not chk.ok(len(first) == 1, "charon A initiated", out):
        return
    got, out = t.ping(t.NS_HA, t.HB_IP, count=3)
    chk.ok(got >= 2, "the tunnel carries pings", out)
    first, first_ike = first[0], ike_id(env.a)
    chk.set_group("%s: rekey under traffic" % name)
    stream = Stream(1200)
    chk.ok(rekeyed(env, first, first_ike, "child"),
           "the CHILD_SA was rekeyed", env.a.list_sas())
    if "ike_rekey" in conn_a:
        chk.ok(rekeyed(env, first, first_ike, "ike"),
               "the IKE_SA was rekeyed", env.a.list_sas())
    sent, received = stream.stop()
    chk.ok(sent > 0 and received == sent,
           "zero lost in the paced stream", "%d sent, %d received"
           % (sent, received))
    chk.set_group("%s: counters" % name)
    check_counters(env, chk)
    env.a.swanctl("--terminate", "--ike", "gw", "--timeout", "60",
                  check=False, timeout=120)
    chk.ok(t.wait_for(lambda: not env.ferry.ike_sas(), 60),
           "closed: no IKE SA left in ferry")


def run(env, chk):
    for name, child_a, conn_a in CASES:
        run_case(env, chk, name, child_a, conn_a)


if __name__ == "__main__":
    t.main("rekey", run)
