#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/dpd: dead peer detection through ferry (issue 16 acceptance;
topology in iketopo.py).

charon A runs DPD every 5 s (dpd_action clear). Charon B is killed
(SIGKILL: no DELETE is sent); checked: A's DPD gives up and the
tunnel's SAs and policies leave ferry within the DPD timeout (the delay
plus charon's retransmissions, bounded generously). Charon B is started again; A initiates and the
tunnel is back: hosts behind A and B ping each other, ferry holds the
new CHILD_SA's two SAs.

Usage: /usr/bin/python3 test_ike_dpd.py FERRY_BINARY
"""

import signal

import iketopo as t

ESP = t.ESP["aes-gcm-128"]
DPD_DELAY = 5
# charon's retransmissions (iketopo.py: 2 s, base 1.8, 4 tries) after
# the delay: about 45 s; allow for a busy machine.
DPD_BOUND = 240


def load(env):
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, ESP)], dpd_delay=DPD_DELAY))
    load_b(env)


def load_b(env):
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, ESP)]))


def up(env, chk, what):
    out = env.a.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    chk.ok("completed successfully" in out, "%s: charon A initiated" % what,
           out)
    got, out = t.ping(t.NS_HA, t.HB_IP, count=5)
    chk.ok(got >= 4, "%s: HA pings HB through the tunnel" % what, out)
    chk.eq(len(env.ferry.ike_sas()), 2, "%s: ferry holds two IKE SAs" % what,
           env.ferry.cmd("show ipsec sa"))


def run(env, chk):
    chk.set_group("established")
    load(env)
    up(env, chk, "first")
    chk.set_group("B killed")
    env.b.stop(signal.SIGKILL)
    chk.ok(t.wait_for(lambda: not env.ferry.ike_sas(), DPD_BOUND, 1),
           "A's DPD removes the tunnel's SAs from ferry",
           env.ferry.cmd("show ipsec sa") + env.a.log()[-3000:])
    chk.ok("ike tun" not in env.ferry.cmd("show ipsec spd"),
           "and its policies")
    chk.ok("DPD" in env.a.log() or "retransmit" in env.a.log(),
           "charon A's log: the peer did not answer")
    chk.set_group("B back")
    env.b.start()
    load_b(env)
    up(env, chk, "again")


if __name__ == "__main__":
    t.main("dpd", run)
