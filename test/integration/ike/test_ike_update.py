#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/update: charon's update_sa through ferry (issue 16, NAT-T after
setup; topology in iketopo.py with nat=True).

B sits behind an nftables masquerade that maps UDP source ports into
40000-40999 and initiates. B then moves to another private address
behind the NAT (a re-homed host): its charon sends a MOBIKE address
update (RFC 4555) from the new address, which the NAT maps to a new
port, so charon A calls update_sa for both SAs of the CHILD_SA with B's
new port. Checked: ferry moves the same two SAs (their SPIs, as
charon A's log of kernel-ferry's UPDATE_SA answers shows) to the new
port, the wire carries ESP in UDP from
ferry:4500 to the new mapped port, and the hosts behind A and B ping
each other through the moved tunnel.

B's own kernel interface (kernel-libipsec 5.9.8) cannot update an SA,
so charon B answers its own move with a CHILD_SA rekey soon after; how
soon depends on the machine's load. The SA set in ferry is therefore
not compared: whether A moved the original SAs is read from A's log.

Exits 77 (skipped) without nft (nftables) besides what iketopo needs.

Usage: /usr/bin/python3 test_ike_update.py FERRY_BINARY
"""

import re

import iketopo as t
from test_ike_natt import natt_ports

ESP = t.ESP["aes-gcm-128"]
B_PRIV2 = "192.168.9.3"


def out_port(env):
    """(SPI, UDP destination port) of ferry's outbound IKE SA."""
    out = env.ferry.cmd("show ipsec sa")
    m = re.search(r"sa (\d+) out .*\n  ike reqid .*\n  udp \d+ -> (\d+)",
                  out)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def rehome_b():
    """B's private address 192.168.9.2 -> .3 (the old one goes)."""
    t.sh("sysctl -qw net.ipv4.conf.b0.promote_secondaries=1", ns=t.NS_B)
    t.sh("ip addr add %s/24 dev b0" % B_PRIV2, ns=t.NS_B)
    t.sh("ip addr del %s/24 dev b0" % t.B_PRIV, ns=t.NS_B)
    t.sh("ip route replace default via %s src %s" % (t.NAT_INNER, B_PRIV2),
         ns=t.NS_B)


def run(env, chk):
    chk.set_group("established from behind the NAT")
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, ESP)]))
    env.b.load(t.conn_text("gw", t.B_PRIV, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, ESP)]))
    out = env.b.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    chk.ok("completed successfully" in out, "charon B initiated", out)
    got, out = t.ping(t.NS_HA, t.HB_IP, count=5)
    chk.ok(got >= 4, "HA pings HB before the move", out)
    spis = set(env.ferry.ike_sas())
    spi, port = out_port(env)
    chk.ok(port is not None and 40000 <= port <= 40999,
           "ferry's outbound SA goes to the NAT's mapped port",
           env.ferry.cmd("show ipsec sa"))

    chk.set_group("B re-homed behind the NAT")
    rehome_b()
    chk.ok(t.wait_for(lambda: out_port(env)[1] not in (None, port), 120, 1),
           "charon A's update_sa moved ferry's outbound SA to a new port",
           env.ferry.cmd("show ipsec sa") + env.a.log()[-3000:])
    # charon logs kernel-ferry's answer after ferry has moved the SA.
    t.wait_for(lambda: ("%08x" % (spi or 0)) in env.a.log(), 30, 0.5)
    moved = re.findall(r"ferry: SA ([0-9a-f]{8}) moved to \S+ -> \S+\[(\d+)\]: "
                       r"SUCCESS", env.a.log())
    chk.ok(("%08x" % spi) in {m[0] for m in moved} if spi else False,
           "charon A's log: kernel-ferry moved the original outbound SA",
           "%s %s" % (spi, moved))
    chk.ok(len({m[0] for m in moved} & {"%08x" % s for s, d in spis
                                        if d == "in"}) == 1,
           "... and the original inbound SA", "%s %s" % (spis, moved))
    chk.ok(all(int(m[1]) != port for m in moved),
           "both moved away from the old mapped port %d" % port, str(moved))
    new_port = out_port(env)[1]

    chk.set_group("traffic after the move")
    cap = t.Capture(env.work, t.NS_T, "t0", "wire-update")
    got, out = t.ping(t.NS_HA, t.HB_IP, count=10)
    chk.ok(got >= 9, "HA pings HB", out)
    got, out = t.ping(t.NS_HB, t.HA_IP, count=5)
    chk.ok(got >= 4, "HB pings HA", out)
    pkts = cap.stop()
    ports = natt_ports(pkts)
    chk.ok(any(s == t.FERRY_WAN and sp == 4500 and d == t.B_IP and
               dp == new_port for s, sp, d, dp in ports),
           "ESP in UDP from ferry:4500 to the new mapped port %s" % new_port,
           str(ports))
    chk.ok(not any(s == t.FERRY_WAN and dp == port
                   for s, sp, d, dp in ports),
           "none to the old mapped port %d any more" % port, str(ports))
    chk.eq(t.esp_summary(pkts)[2], 0, "no inner packet in clear")


if __name__ == "__main__":
    t.main("update", run, tools=(t.NFT,), nat=True)
