#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/restart: ferry restarts under a running charon (issue 16,
"restarting charon or ferry leaves no stale SA"; topology in iketopo.py;
charon's restart is integration-ike-charon).

The tunnel is up and carries pings. ferry is stopped and started again
(a new process: no IKE SA, no policy). Checked: the new ferry starts
with none of the old SAs; kernel-ferry sees its socket close,
reconnects once ferry answers, and has charon A rekey the CHILD_SA
(doc/ike.md, "Restarts"), so the new ferry holds the CHILD_SA's two new
SAs (new SPIs, none of the old ones) and the hosts behind A and B ping
each other again.

Usage: /usr/bin/python3 test_ike_restart.py FERRY_BINARY
"""

import iketopo as t

ESP = t.ESP["aes-gcm-128"]


def run(env, chk):
    chk.set_group("established")
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, ESP)]))
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, ESP)]))
    out = env.a.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    chk.ok("completed successfully" in out, "charon A initiated", out)
    got, out = t.ping(t.NS_HA, t.HB_IP, count=5)
    chk.ok(got >= 4, "HA pings HB", out)
    old = set(env.ferry.ike_sas())
    chk.eq(len(old), 2, "ferry holds the CHILD_SA's two SAs")

    chk.set_group("ferry restarted")
    chk.eq(env.ferry.stop(), 0, "ferry stopped cleanly")
    env.ferry = t.Ferry(env.binary, env.work)
    t.cp_up()
    first = set(env.ferry.ike_sas())
    chk.ok(not (first & old), "the new ferry has none of the old SAs",
           str(first))

    def back():
        now = set(env.ferry.ike_sas())
        return len(now) == 2 and not (now & old)
    chk.ok(t.wait_for(back, 180, 1),
           "kernel-ferry reconnected and charon rekeyed the CHILD_SA into "
           "the new ferry (two new SAs, none old)",
           env.ferry.cmd("show ipsec sa") + env.a.log()[-3000:])
    chk.ok("ferry: back; rekeying" in env.a.log(),
           "charon A's log: the plugin's resync")
    got = t.wait_for(lambda: t.ping(t.NS_HA, t.HB_IP, count=3)[0] >= 2,
                     60, 1)
    chk.ok(got, "HA pings HB through the new ferry")
    got, out = t.ping(t.NS_HB, t.HA_IP, count=5)
    chk.ok(got >= 4, "HB pings HA", out)


if __name__ == "__main__":
    t.main("restart", run)
