#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""control_plane/frr: FRR through ferry's TAP representors (topology in
cptopo.py), and CoPP under a SYN flood.

  - BGP: Debian's FRR bgpd in the peer namespace (AS 65001) and bgpd in
    ferry's TAP namespace (AS 65000, on ferry's address) reach
    Established over ferry's wan port and exchange prefixes. Each bgpd
    runs without zebra (-Z), with its own config, pid file and vty
    socket directory; vtysh --vty_socket reads them.
  - OSPF: zebra + ospfd in both namespaces form a Full adjacency over
    the TAP (hellos to 224.0.0.5 are punted as link-local multicast and
    leave the TAP as multicast frames).
  - CoPP: a SYN flood at 10x the management class's rate (100/s in this
    test's file) at ferry's address while UDP transit traffic crosses
    ferry from the peer to a host behind another router: no transit
    datagram lost, the BGP session not reset (its connection counters),
    drops counted as cp_policed and under the management class.

Needs root, namespaces, veth, /dev/net/tun and FRR (scripts/install-
deps.sh); exits 77 (skipped) without them. Every process started here is
stopped by its PID, every namespace removed, also on failure.
"""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cptopo as t  # noqa: E402

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cptools.py")
PY = "/usr/bin/python3"
FRR = "/usr/lib/frr"
MGMT_RATE = 100

BGPD_CONF = """hostname {name}
router bgp {asn}
 bgp router-id {rid}
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor {peer} remote-as {peer_asn}
 neighbor {peer} timers 3 9
 neighbor {peer} timers connect 2
 address-family ipv4 unicast
{networks} exit-address-family
"""

OSPFD_CONF = """hostname {name}
interface {ifname}
 ip ospf hello-interval 1
 ip ospf dead-interval 4
router ospf
 ospf router-id {rid}
 network {net} area 0
"""


class Frr:
    """FRR daemons of one namespace, each with its own files."""

    def __init__(self, work, ns, name):
        self.ns, self.dir = ns, os.path.join(work, name)
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o777)
        self.procs = []

    def start(self, daemon, conf, extra=()):
        path = os.path.join(self.dir, daemon + ".conf")
        with open(path, "w") as f:
            f.write(conf)
        log = open(os.path.join(self.dir, daemon + ".out"), "w")
        argv = [os.path.join(FRR, daemon), "-f", path,
                "-i", os.path.join(self.dir, daemon + ".pid"),
                "--vty_socket", self.dir, "-z", os.path.join(self.dir, "zserv.api"),
                "-P", "0", "--log", "file:" + os.path.join(self.dir, daemon + ".log")]
        # bgpd may stay root (-S); the others drop to user frr, which
        # may write this directory.
        if daemon == "bgpd":
            argv.append("-S")
        self.procs.append(t.bg(self.ns, argv + list(extra), log))

    def vtysh(self, cmd):
        return t.sh("vtysh --vty_socket %s -c '%s'" % (self.dir, cmd), ns=self.ns,
                    check=False, timeout=20)

    def stop(self):
        for p in self.procs:
            t.kill(p)


def bgp_peer(frr, peer):
    try:
        j = json.loads(frr.vtysh("show bgp neighbors %s json" % peer))
        return j.get(peer, {})
    except ValueError:
        return {}


def bgp_up(frr, peer):
    return bgp_peer(frr, peer).get("bgpState") == "Established"


def received(frr, prefix):
    return prefix in frr.vtysh("show bgp ipv4 unicast")


def start_bgp(p1, cp):
    p1.start("bgpd", BGPD_CONF.format(
        name="p1", asn=65001, rid=t.P1_IP, peer=t.FERRY_WAN, peer_asn=65000,
        networks=" network 192.0.2.0/24\n network 198.51.100.0/24\n"),
        ["-Z", "-l", t.P1_IP])
    cp.start("bgpd", BGPD_CONF.format(
        name="cp", asn=65000, rid=t.FERRY_WAN, peer=t.P1_IP, peer_asn=65001,
        networks=" network 203.0.113.0/24\n"), ["-Z", "-l", t.FERRY_WAN])


def check_bgp(chk, p1, cp):
    up = t.wait_for(lambda: bgp_up(cp, t.P1_IP) and bgp_up(p1, t.FERRY_WAN), 60, 1)
    chk.ok(up, "BGP Established between the peer and the TAP namespace",
           cp.vtysh("show bgp summary") + p1.vtysh("show bgp summary"))
    got = t.wait_for(lambda: received(cp, "192.0.2.0/24") and
                     received(cp, "198.51.100.0/24"), 20, 1)
    chk.ok(got, "the TAP namespace's bgpd received the peer's two prefixes",
           cp.vtysh("show bgp ipv4 unicast"))
    got = t.wait_for(lambda: received(p1, "203.0.113.0/24"), 20, 1)
    chk.ok(got, "the peer's bgpd received 203.0.113.0/24 from ferry's side",
           p1.vtysh("show bgp ipv4 unicast"))
    return up


def check_ospf(chk, p1, cp):
    for frr, ifname, rid in ((p1, "p1", t.P1_IP), (cp, t.TAP_WAN, t.FERRY_WAN)):
        frr.start("zebra", "hostname z\n")
        time.sleep(1)
        frr.start("ospfd", OSPFD_CONF.format(name="o", ifname=ifname, rid=rid,
                                             net="10.61.0.0/24"))
    full = t.wait_for(lambda: "Full" in cp.vtysh("show ip ospf neighbor") and
                      "Full" in p1.vtysh("show ip ospf neighbor"), 60, 1)
    chk.ok(full, "OSPF adjacency Full over the TAP",
           cp.vtysh("show ip ospf neighbor") + p1.vtysh("show ip ospf neighbor"))


def flood_with_transit(chk, work, p1, cp):
    before = bgp_peer(cp, t.P1_IP)
    # Resolve every hop first: ferry holds only ip.arp_hold packets per
    # unresolved neighbour (arp_hold_full), which is not what is tested.
    n, out = t.ping(t.NS_P1, t.P3_IP, 2)
    chk.ok(n >= 1, "the peer reaches the host behind ferry before the flood", out)
    rlog = open(os.path.join(work, "udp-count.txt"), "w+")
    recv = t.bg(t.NS_P3, [PY, TOOLS, "udp-count", t.P3_IP, "9000", "5", "90"], rlog)
    time.sleep(1)
    flog = open(os.path.join(work, "flood.txt"), "w+")
    flood = t.bg(t.NS_P1, [PY, TOOLS, "syn-flood", "p1", t.P1_MAC, t.WAN_MAC,
                           t.P1_IP, t.FERRY_WAN, "22", str(MGMT_RATE * 10 * 6),
                           str(MGMT_RATE * 10)], flog)
    sent = t.sh("%s %s udp-send %s 9000 2000 400" % (PY, TOOLS, t.P3_IP), ns=t.NS_P1,
                timeout=120)
    flood.wait(120)
    recv.wait(120)
    rlog.seek(0)
    flog.seek(0)
    got = re.search(r"received (\d+)", rlog.read())
    chk.ok(got is not None and int(got.group(1)) == 2000,
           "transit: all 2000 datagrams crossed ferry during the flood",
           "%s / %s" % (sent, got.group(0) if got else rlog.read()))
    print("flood: " + flog.read().strip())
    time.sleep(2)
    after = bgp_peer(cp, t.P1_IP)
    chk.ok(after.get("bgpState") == "Established", "BGP still Established after "
           "the flood", cp.vtysh("show bgp summary"))
    chk.eq(after.get("connectionsDropped", 0), before.get("connectionsDropped", 0),
           "BGP connections dropped during the flood")
    d = t.drops(t.PORT)
    chk.ok(d.get("cp_policed", 0) > 0, "flood dropped as cp_policed (%d)"
           % d.get("cp_policed", 0))
    show = t.cli(t.PORT, "show control-plane")[0]
    m = re.search(r"^management\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", show, re.M)
    chk.ok(m is not None and int(m.group(4)) > 0 and int(m.group(4)) >= int(m.group(3)),
           "management class policed most of the flood", show)
    r = re.search(r"^routing\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", show, re.M)
    chk.ok(r is not None and int(r.group(3)) > 0 and int(r.group(4)) == 0,
           "routing class (BGP, OSPF) passed, nothing policed", show)
    print(show)


def run(binary, chk, work):
    t.topology_up()
    cfg = t.write_config(work, mgmt_rate=MGMT_RATE, mgmt_burst=20)
    proc, out, port = t.start_ferry(binary, work, cfg)
    t.PORT = port
    p1, cp = Frr(work, t.NS_P1, "p1"), Frr(work, t.NS_CP, "cp")
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started with its representors",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("BGP over the TAP")
        start_bgp(p1, cp)
        up = check_bgp(chk, p1, cp)
        chk.set_group("OSPF over the TAP")
        check_ospf(chk, p1, cp)
        chk.set_group("CoPP: SYN flood at 10x management with transit")
        if up:
            flood_with_transit(chk, work, p1, cp)
        else:
            chk.fail("no BGP session to protect")
    finally:
        p1.stop()
        cp.stop()
        chk.set_group("stop")
        chk.eq(t.stop_ferry(proc), 0, "ferry exit status after SIGTERM")


def main():
    t.main("frr", run, (FRR + "/bgpd", FRR + "/ospfd", FRR + "/zebra", "vtysh"),
           chmod_work=True)


if __name__ == "__main__":
    main()
