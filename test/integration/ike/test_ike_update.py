#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/update: charon's update_sa through ferry (issue 16, NAT-T after
setup; topology in iketopo.py with nat=True).

B sits behind an nftables masquerade that maps UDP source ports into
40000-40999 and initiates. B then moves to another private address
behind the NAT (a re-homed host): its charon sends a MOBIKE address
update (RFC 4555) from the new address, which the NAT maps to a new
port, so charon A calls update_sa for both SAs of the CHILD_SA with B's
new port. Checked: ferry keeps the same two SAs (no rekey: same SPIs,
counters kept) with the new port, the wire carries ESP in UDP from
ferry:4500 to the new mapped port, and the hosts behind A and B ping
each other through the moved tunnel.

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
    chk.ok(re.search(r"ferry: SA \S+ moved to .*SUCCESS", env.a.log()),
           "charon A's log: kernel-ferry moved the SAs")
    chk.eq(set(env.ferry.ike_sas()), spis,
           "the same two SAs, not a rekey", env.ferry.cmd("show ipsec sa"))
    chk.eq(out_port(env)[0], spi, "the outbound SA's SPI is unchanged")
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
