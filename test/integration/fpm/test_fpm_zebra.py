#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""lib/fpm with real FRR 8.4 (Debian): zebra with -M dplane_fpm_nl in
ferry's TAP namespace connects to ferry's FPM server (fpm.netns), bgpd
beside it peers over ferry's wan TAP with the peer namespace's bgpd.
Topology: test/integration/control_plane/cptopo.py.

  1. eBGP: the peer advertises 1,000 prefixes (100.64.0.0/24 ..
     100.67.231.0/24); all reach ferry's FIB with source FRR via the
     peer; a ping from the host behind ferry's lan to an address of one
     of them (on the peer's loopback) is answered: it crossed ferry to
     the peer; a withdraw (`no network` on the peer) removes the prefix
     from ferry (polled; the time taken is printed).
  2. ECMP: the router on ferry's lan (P2) advertises the same prefixes;
     bgpd takes both paths (maximum-paths 2, as-path multipath-relax)
     and ferry gets RTA_MULTIPATH. 64 UDP flows from the peer to the
     prefix are spread over both next hops, each flow on one only (seen
     on the wire at both ends); P2's bgpd stopped: every flow moves to
     the peer and none reaches P2 after the withdraw.
  2b. staticd (zebra's default next-hop groups, as everywhere here): a
     route with two next hops reaches ferry as a group of two next-hop
     objects, no route names an object zebra did not send; one next hop
     removed (`no ip route`) leaves the route on the other.
  3. zebra killed (SIGKILL) and restarted with bgpd, as watchfrr does,
     while a ping runs: nothing
     lost to the prefixes that stay (ferry keeps FRR routes through
     fpm.grace, and the resent ones are never removed), a prefix
     withdrawn while zebra was away is swept once the new session has
     been quiet for fpm.sweep_delay.
Each daemon has its own pid file, vty socket directory and zserv path in
the test's work directory. Needs root, namespaces, /dev/net/tun and FRR
with dplane_fpm_nl; exits 77 otherwise.
"""

import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "control_plane"))
import cptopo as t  # noqa: E402
from test_frr import Frr, bgp_up  # noqa: E402

FRR = "/usr/lib/frr"
FPM_MOD = "/usr/lib/x86_64-linux-gnu/frr/modules/dplane_fpm_nl.so"
N_PREFIXES = 1000
PROBE = "100.64.8"       # its .1 is the peer's loopback: the ping target
PROBE_IP = PROBE + ".1"
ECMP = "100.64.7"        # both peers advertise it; .1 is P2's loopback
ECMP_IP = ECMP + ".1"
PY = "/usr/bin/python3"
FLOWS = os.path.join(HERE, "fpmflows.py")
WORK = [None]

PEER_CONF = """hostname {name}
router bgp {asn}
 bgp router-id {rid}
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor {peer} remote-as 65000
 neighbor {peer} timers 3 9
 neighbor {peer} timers connect 2
 neighbor {peer} advertisement-interval 0
 address-family ipv4 unicast
{networks} exit-address-family
"""

CP_BGP = """hostname cp
router bgp 65000
 bgp router-id {rid}
 no bgp ebgp-requires-policy
 bgp bestpath as-path multipath-relax
 neighbor {p1} remote-as 65001
 neighbor {p1} timers 3 9
 neighbor {p1} timers connect 2
 neighbor {p1} advertisement-interval 0
 neighbor {p2} remote-as 65002
 neighbor {p2} timers 3 9
 neighbor {p2} timers connect 2
 neighbor {p2} advertisement-interval 0
 address-family ipv4 unicast
  maximum-paths 2
 exit-address-family
"""

# zebra's defaults: `fpm use-next-hop-groups` on (next-hop objects and
# routes with RTA_NH_ID). fpm-labels-zebra runs it with them off.
ZEBRA_CONF = """hostname z
fpm address 127.0.0.1 port {port}
"""

STATIC_PFX = "10.99.0.0/24"
STATICD_CONF = """hostname s
ip route {pfx} {p1}
ip route {pfx} {p2}
"""


def prefixes():
    return ["100.%d.%d.0/24" % (64 + i // 256, i % 256) for i in range(N_PREFIXES)]


def networks():
    return "".join(" network %s\n" % p for p in prefixes())


def frr_routes(port):
    """{prefix: line} of ferry's FRR routes in the default VRF."""
    out = t.cli(port, "show ip route vrf default")[0]
    return {l.split()[0]: l for l in out.splitlines()
            if l.startswith("  ") and "[frr]" in l}


def vtysh_conf(frr, *lines):
    args = " ".join("-c '%s'" % l for l in ("configure terminal",) + lines)
    return t.sh("vtysh --vty_socket %s %s" % (frr.dir, args), ns=frr.ns,
                check=False, timeout=30)


def wait_routes(port, pred, timeout):
    return t.wait_for(lambda: pred(frr_routes(port)), timeout, 0.1)


def start_zebra(cp, port):
    cp.start("zebra", ZEBRA_CONF.format(port=port), ["-M", "dplane_fpm_nl"])


def check_ebgp(chk, port, p1, cp):
    chk.set_group("1. eBGP: 1,000 prefixes from the peer")
    up = t.wait_for(lambda: bgp_up(cp, t.P1_IP), 90, 1)
    chk.ok(up, "BGP Established with the peer", cp.vtysh("show bgp summary"))
    got = wait_routes(port, lambda r: sum(p in r for p in prefixes()) == N_PREFIXES, 120)
    routes = frr_routes(port)
    n = sum(p in routes for p in prefixes())
    chk.eq(n, N_PREFIXES, "prefixes in ferry's FIB with source FRR",
           t.cli(port, "show fpm")[0])
    via = sum("via %s dev wan" % t.P1_IP in routes.get(p, "") for p in prefixes())
    chk.eq(via, N_PREFIXES, "all via the peer on wan")
    n_ok, out = t.ping(t.NS_P3, PROBE_IP, 3)
    chk.ok(n_ok >= 1, "ping to %s (peer's loopback) crosses ferry to the peer"
           % PROBE_IP, out)
    gone = "100.66.1.0/24"
    t0 = time.monotonic()
    vtysh_conf(p1, "router bgp 65001", "address-family ipv4 unicast",
               "no network %s" % gone)
    ok = wait_routes(port, lambda r: gone not in r, 20)
    chk.ok(ok, "withdrawn %s removed from ferry" % gone)
    print("withdraw: %s left ferry's FIB %.2f s after `no network` on the peer"
          % (gone, time.monotonic() - t0))
    return got


def check_ecmp(chk, port, p2, cp):
    chk.set_group("2. ECMP over two peers")
    p2.start("bgpd", PEER_CONF.format(name="p2", asn=65002, rid=t.P2_IP,
                                      peer=t.FERRY_LAN,
                                      networks=" network %s.0/24\n" % ECMP),
             ["-Z", "-l", t.P2_IP])
    up = t.wait_for(lambda: bgp_up(cp, t.P2_IP), 90, 1)
    chk.ok(up, "BGP Established with P2", cp.vtysh("show bgp summary"))
    pfx = ECMP + ".0/24"
    ok = wait_routes(port, lambda r: "via %s dev lan" % t.P2_IP in r.get(pfx, ""), 60)
    chk.ok(ok, "%s has both paths in ferry" % pfx, frr_routes(port).get(pfx, ""))
    if not ok:
        return
    spread = flows(chk, "both peers up")
    chk.ok(spread[0] > 0 and spread[1] > 0,
           "64 flows spread over both paths (peer, P2: %s)" % (spread,))
    p2.stop()
    p2.procs = []
    ok = wait_routes(port, lambda r: "via %s dev lan" % t.P2_IP not in r.get(pfx, "")
                     and pfx in r, 60)
    chk.ok(ok, "P2 down: %s via the peer only" % pfx, frr_routes(port).get(pfx, ""))
    spread = flows(chk, "P2 down")
    chk.ok(spread == (64, 0),
           "every flow moved to the peer, none to P2 (peer, P2: %s)" % (spread,))


def check_static_nhg(chk, port, cp):
    chk.set_group("2b. staticd route with two next hops (next-hop groups)")
    cp.start("staticd", STATICD_CONF.format(pfx=STATIC_PFX, p1=t.P1_IP,
                                            p2=t.P2_IP))
    both = ("via %s dev wan" % t.P1_IP, "via %s dev lan" % t.P2_IP)
    ok = wait_routes(port, lambda r: all(v in r.get(STATIC_PFX, "")
                                         for v in both), 60)
    fpm = t.cli(port, "show fpm")[0]
    chk.ok(ok, "%s with both next hops [frr]" % STATIC_PFX,
           frr_routes(port).get(STATIC_PFX, "") + fpm)
    m = re.search(r"nexthops_added\s+(\d+)", fpm)
    chk.ok(m is not None and int(m.group(1)) >= 3,
           "zebra sent next-hop objects (RTM_NEWNEXTHOP)", fpm)
    chk.ok(re.search(r"unknown_nexthop_id\s+0$", fpm, re.M) is not None,
           "no route named an object zebra did not send", fpm)
    vtysh_conf(cp, "no ip route %s %s" % (STATIC_PFX, t.P2_IP))
    ok = wait_routes(port, lambda r: both[0] in r.get(STATIC_PFX, "") and
                     both[1] not in r.get(STATIC_PFX, ""), 30)
    chk.ok(ok, "one next hop removed: %s via the peer only" % STATIC_PFX,
           frr_routes(port).get(STATIC_PFX, ""))


def flows(chk, what):
    """64 UDP flows from the peer (raw frames: its kernel blackholes the
    prefix) to ECMP_IP, twice each; sniffed where they arrive, at the
    peer (back from ferry) and at P2. @return (flows at the peer, flows
    at P2) after checking each flow arrived at one side only."""
    logs = {}
    sniffers = []
    for ns, ifname in ((t.NS_P1, "p1"), (t.NS_P2, "p2")):
        logs[ns] = open(os.path.join(WORK[0], "sniff-%s-%s.txt" % (ifname, what[:2])),
                        "w+")
        sniffers.append(t.bg(ns, [PY, FLOWS, "sniff", ifname, "8"], logs[ns]))
    time.sleep(2)
    t.sh("%s %s send p1 %s %s %s %s 2" % (PY, FLOWS, t.P1_MAC, t.WAN_MAC, t.P1_IP,
                                          ECMP_IP), ns=t.NS_P1, timeout=60)
    for p in sniffers:
        p.wait(30)
    seen = []
    for ns in (t.NS_P1, t.NS_P2):
        logs[ns].seek(0)
        text = logs[ns].read()
        m = re.search(r"^seen(.*)$", text, re.M)
        seen.append(dict(map(int, kv.split(":")) for kv in m.group(1).split())
                    if m else {})
    at_peer, at_p2 = seen
    both = set(at_peer) & set(at_p2)
    lost = set(range(40000, 40064)) - set(at_peer) - set(at_p2)
    chk.ok(not both and not lost, "%s: each of the 64 flows arrived, at one path only"
           " (on both: %s, lost: %s)" % (what, sorted(both), sorted(lost)),
           "peer %s\np2 %s" % (at_peer, at_p2))
    return len(at_peer), len(at_p2)


def check_restart(chk, port, p1, cp, fpm_port):
    chk.set_group("3. zebra killed and restarted")
    zebra = cp.procs[0]
    zebra.send_signal(signal.SIGKILL)
    zebra.wait(10)
    # withdrawn while zebra is away: stale once zebra resyncs
    stale = "100.66.2.0/24"
    vtysh_conf(p1, "router bgp 65001", "address-family ipv4 unicast",
               "no network %s" % stale)
    ping = t.bg(t.NS_P3, ["ping", "-c", "80", "-i", "0.25", "-W", "2", PROBE_IP],
                open(os.path.join(cp.dir, "ping.txt"), "w"))
    time.sleep(1)
    # as watchfrr does: the daemons restart with zebra
    for p in cp.procs:
        t.kill(p)
    cp.procs = []
    # The killed zebra left its BGP routes in the namespace's kernel table;
    # a new zebra reads them back as its own and resends them over FPM
    # (the stale one included) without a later delete. Clear them, as a
    # zebra that exits does, so what zebra resends is exactly bgpd's table.
    subprocess.run(["ip", "-n", t.NS_CP, "route", "flush", "proto", "bgp"],
                   check=False)
    start_zebra(cp, fpm_port)
    time.sleep(1)
    cp.start("bgpd", CP_BGP.format(rid=t.FERRY_WAN, p1=t.P1_IP, p2=t.P2_IP),
             ["-l", t.FERRY_WAN])
    ok = wait_routes(port, lambda r: stale not in r and PROBE + ".0/24" in r, 180)
    chk.ok(ok, "after the resync the stale %s is swept, %s.0/24 stays" % (stale, PROBE),
           t.cli(port, "show fpm")[0])
    ping.wait(60)
    out = open(os.path.join(cp.dir, "ping.txt")).read()
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    chk.ok(m is not None and m.group(1) == m.group(2),
           "no ping lost to %s while zebra restarted" % PROBE_IP, out)
    routes = frr_routes(port)
    chk.eq(sum(p in routes for p in prefixes()), N_PREFIXES - 2,
           "all other prefixes present after the resync")


def run(binary, chk, work):
    WORK[0] = work
    t.topology_up()
    t.sh("ip addr add %s/32 dev lo" % PROBE_IP, ns=t.NS_P1)
    t.sh("ip route add blackhole %s.0/24" % ECMP, ns=t.NS_P1)
    t.sh("ip addr add %s/32 dev lo" % ECMP_IP, ns=t.NS_P2)
    fpm_port = 2620 + (os.getpid() % 1000)
    cfg = t.write_config(work)
    with open(cfg, "a") as f:
        f.write('fpm = { enabled = true; netns = "%s"; port = %d; grace = 120; '
                'sweep_delay = 8; };\n' % (t.NS_CP, fpm_port))
    proc, out, port = t.start_ferry(binary, work, cfg)
    t.PORT = port
    p1, p2, cp = (Frr(work, t.NS_P1, "p1"), Frr(work, t.NS_P2, "p2"),
                  Frr(work, t.NS_CP, "cp"))
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started with FPM in the TAP namespace",
                      open(out.name).read()[-3000:]):
            return
        p1.start("bgpd", PEER_CONF.format(name="p1", asn=65001, rid=t.P1_IP,
                                          peer=t.FERRY_WAN, networks=networks()),
                 ["-Z", "-l", t.P1_IP])
        start_zebra(cp, fpm_port)
        time.sleep(1)
        cp.start("bgpd", CP_BGP.format(rid=t.FERRY_WAN, p1=t.P1_IP, p2=t.P2_IP),
                 ["-l", t.FERRY_WAN])
        if check_ebgp(chk, port, p1, cp):
            check_ecmp(chk, port, p2, cp)
            check_static_nhg(chk, port, cp)
            check_restart(chk, port, p1, cp, fpm_port)
        print(t.cli(port, "show fpm")[0])
    finally:
        p1.stop()
        p2.stop()
        cp.stop()
        chk.set_group("stop")
        chk.eq(t.stop_ferry(proc), 0, "ferry exit status after SIGTERM")


def main():
    if not os.path.exists(FPM_MOD):
        import ferrytest as ft
        ft.setup()
        ft.skip("fpm-zebra: FRR's dplane_fpm_nl module is not installed")
    t.main("fpm-zebra", run, (FRR + "/bgpd", FRR + "/zebra", "vtysh"),
           chmod_work=True)


if __name__ == "__main__":
    main()
