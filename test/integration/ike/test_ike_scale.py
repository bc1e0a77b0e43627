#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/scale: 200 tunnels through ferry at once (issue 16 acceptance;
topology in iketopo.py).

One IKE_SA carries 200 CHILD_SAs, one per inner subnet behind B
(10.82.N.0/24, N = 1..200, each with an address of B and one of the
host HB), all to the subnet of HA. charon A starts them all when the
configuration is loaded. Checked: all 200 CHILD_SAs installed on both
sides and ferry holds their 400 SAs; a ping from HA reaches HB's
address in every subnet (traffic on each tunnel); each CHILD_SA is
rekeyed once (`swanctl --rekey`), every one gets new SPIs and ferry
ends with exactly the new 400 SAs; every subnet answers again.
Prints the figures (tunnels established per second from loading the
configurations to all installed at charon A, seconds to rekey all) for
doc/ike.md; nothing is asserted about time.

Usage: /usr/bin/python3 test_ike_scale.py FERRY_BINARY
"""

import time

import iketopo as t

N = 200
ESP = t.ESP["aes-gcm-128"]


def subnet(i):
    return "10.82.%d.0/24" % i


def addresses():
    for i in range(2, N + 1):
        t.sh("ip addr add 10.82.%d.1/24 dev b1" % i, ns=t.NS_B)
        t.sh("ip addr add 10.82.%d.2/24 dev hb" % i, ns=t.NS_HB)


def configure(env):
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net%d" % i, subnet(i), t.NET_A, ESP)
        for i in range(1, N + 1)]))
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net%d" % i, t.NET_A, subnet(i), ESP,
                     start_action="start") for i in range(1, N + 1)]))


def installed(charon):
    return {c["name"]: c for c in charon.child_sas()
            if c["state"] == "INSTALLED"}


def ferry_matches(env, kids):
    want = set()
    for c in kids.values():
        want |= {(int(c["spi-in"], 16), "in"), (int(c["spi-out"], 16), "out")}
    return set(env.ferry.ike_sas()) == want


def ping_all(chk, what):
    lost = []
    for i in range(1, N + 1):
        # one echo; a second try for one lost to a first ARP
        got = t.ping(t.NS_HA, "10.82.%d.2" % i, count=1)[0] or \
            t.ping(t.NS_HA, "10.82.%d.2" % i, count=1)[0]
        if got == 0:
            lost.append(i)
    chk.eq(lost, [], "%s: every subnet behind B answers HA" % what)


def run(env, chk):
    chk.set_group("200 tunnels up")
    addresses()
    t0 = time.monotonic()
    configure(env)
    t.wait_for(lambda: len(installed(env.a)) == N, 600, interval=2)
    up = time.monotonic() - t0
    kids = installed(env.a)
    chk.eq(len(kids), N, "charon A: %d CHILD_SAs installed" % N)
    chk.eq(len(installed(env.b)), N, "charon B: %d CHILD_SAs installed" % N)
    chk.ok(t.wait_for(lambda: ferry_matches(env, installed(env.a)), 60),
           "ferry holds their %d SAs" % (2 * N),
           "%d IKE SAs in ferry" % len(env.ferry.ike_sas()))
    print("FIGURE tunnels up: %d in %.1f s, %.1f tunnels/s"
          % (len(kids), up, len(kids) / up))
    ping_all(chk, "up")
    chk.set_group("all rekeyed once")
    t0 = time.monotonic()
    for name in kids:
        env.a.swanctl("--rekey", "--child", name, check=False)

    def all_new():
        now = installed(env.a)
        return len(now) == N and all(
            now[n]["spi-in"] != kids[n]["spi-in"] for n in now)
    chk.ok(t.wait_for(all_new, 600, interval=2),
           "every CHILD_SA has new SPIs", env.a.list_sas()[-3000:])
    print("FIGURE rekey all %d: %.1f s" % (N, time.monotonic() - t0))
    chk.ok(t.wait_for(lambda: ferry_matches(env, installed(env.a)), 120, 2),
           "ferry ends with exactly the new %d SAs" % (2 * N),
           "%d IKE SAs in ferry" % len(env.ferry.ike_sas()))
    ping_all(chk, "rekeyed")


if __name__ == "__main__":
    t.main("scale", run)
