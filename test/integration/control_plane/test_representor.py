#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""control_plane/representor: ferry's TAP representors against the Linux
kernel in namespaces (topology in cptopo.py).

Checks: the TAPs exist in the namespace ferry was told, with ferry's MAC,
MTU, address and carrier; TCP from a peer to ferry's address reaches a
listener in the TAP namespace; the peer's ARP entry for ferry is ferry's
MAC; ping and traceroute from the TAP namespace through ferry (routed by
ferry's FIB to a network behind another router) and a TCP echo to a host
there; `control-plane representor del` takes the TAP away and TCP to
ferry is then dropped as ip4_local_unhandled (as with no control_plane
section), `add` brings it back, running-config and `write` show it; no
TAP is left after SIGTERM, nor after SIGKILL (the kernel removes a
non-persistent TAP with its last fd).

Needs root, network namespaces, veth, /dev/net/tun and traceroute;
exits 77 (skipped) without them.
"""

import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cptopo as t  # noqa: E402

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cptools.py")
PY = "/usr/bin/python3"


def check_taps(chk, port):
    show = t.cli(port, "show control-plane")[0]
    chk.ok(re.search(r"^wan\s+%s\s+%s\s+\d+\s+up\s+1500" % (t.TAP_WAN, t.NS_CP),
                     show, re.M) is not None,
           "show control-plane lists wan -> %s in %s, carrier up" % (t.TAP_WAN, t.NS_CP),
           show)
    ls = t.wait_for(lambda: t.links(t.NS_CP).get(t.TAP_WAN), 5)
    chk.ok(ls is not None, "TAP %s exists in namespace %s" % (t.TAP_WAN, t.NS_CP),
           str(t.links(t.NS_CP)))
    if ls:
        chk.eq(ls[1], t.WAN_MAC, "TAP %s MAC is ferry's" % t.TAP_WAN)
        chk.eq(ls[2], 1500, "TAP %s MTU" % t.TAP_WAN)
        chk.ok("LOWER_UP" in ls[0] and "UP" in ls[0].split(","),
               "TAP %s is up with carrier" % t.TAP_WAN, ls[0])
    lan = t.links(t.NS_CP).get(t.TAP_LAN)
    chk.ok(lan is not None and lan[1] == t.LAN_MAC,
           "TAP %s (default name) with ferry's lan MAC" % t.TAP_LAN, str(lan))
    addrs = t.sh("ip -o -4 addr show", ns=t.NS_CP)
    chk.ok("%s/24" % t.FERRY_WAN in addrs and "%s/24" % t.FERRY_LAN in addrs,
           "the interfaces' addresses are on the TAPs", addrs)
    chk.ok(t.TAP_WAN not in t.links(None), "no TAP in ferry's own namespace",
           str(t.links(None).keys()))
    vrf = t.links(t.NS_VRF).get("wan100")
    chk.ok(vrf is not None and "wan100" not in t.links(t.NS_CP),
           "the TAP of wan100 (VRF cust) is in cust's namespace (vrf_netns)",
           str(t.links(t.NS_VRF)))


def echo(ns, addr, port, text="hello-ferry", timeout=5):
    return t.sh("%s %s echo-client %s %d %s %d" % (PY, TOOLS, addr, port, text,
                                                   timeout), ns=ns, check=False)


def check_tcp_arp(chk, work):
    log = open(os.path.join(work, "echo-cp.txt"), "w")
    srv = t.bg(t.NS_CP, [PY, TOOLS, "echo-server", "0.0.0.0", "7000", "120"], log)
    time.sleep(1)
    try:
        got = t.wait_for(lambda: "hello-ferry" in echo(t.NS_P1, t.FERRY_WAN, 7000),
                         10, 1)
        chk.ok(got, "TCP from the peer to ferry's %s:7000 reaches the listener "
               "in the TAP namespace" % t.FERRY_WAN,
               echo(t.NS_P1, t.FERRY_WAN, 7000))
        neigh = t.sh("ip neigh show %s" % t.FERRY_WAN, ns=t.NS_P1)
        chk.ok(t.WAN_MAC in neigh, "the peer's ARP entry for ferry is ferry's MAC",
               neigh)
        check_vlan(chk, work)
        check_ike(chk, work)
    finally:
        return srv


def check_vlan(chk, work):
    """VLAN 100 on wan is interface wan100 in VRF cust, whose TAP is in
    the VRF's namespace: a listener there answers through it."""
    t.cli(t.PORT, "neighbour add %s mac %s interface wan100"
          % (t.P1_VLAN_IP, t.P1_MAC))
    t.sh("ip neigh replace %s lladdr %s dev wan100" % (t.P1_VLAN_IP, t.P1_MAC),
         ns=t.NS_VRF)
    log = open(os.path.join(work, "echo-vrf.txt"), "w")
    srv = t.bg(t.NS_VRF, [PY, TOOLS, "echo-server", t.FERRY_VLAN, "7000", "30"],
               log)
    time.sleep(1)
    out = t.sh("%s %s vlan-syn p1 %s %s %s %s 7000 100 5" % (
        PY, TOOLS, t.P1_MAC, t.WAN_MAC, t.P1_VLAN_IP, t.FERRY_VLAN), ns=t.NS_P1,
        check=False)
    t.kill(srv)
    chk.ok("answer vlan=100 flags=SA from %s" % t.FERRY_VLAN in out,
           "a SYN on VLAN 100 reaches the listener through the subinterface's "
           "TAP (untagged) and its SYN-ACK leaves tagged 100", out)


def udp_to_tap(work, port, marker=""):
    """UDP datagrams from the peer to ferry's address, counted by a
    receiver in the TAP namespace."""
    log = open(os.path.join(work, "udp-%d.txt" % port), "w+")
    skip = str(len(marker) // 2)
    recv = t.bg(t.NS_CP, [PY, TOOLS, "udp-count", t.FERRY_WAN, str(port), "3",
                          "30", skip], log)
    time.sleep(1)
    t.sh("%s %s udp-send %s %d 20 50 %s" % (PY, TOOLS, t.FERRY_WAN, port, marker),
         ns=t.NS_P1)
    recv.wait(40)
    log.seek(0)
    return log.read()


def check_ike(chk, work):
    got = udp_to_tap(work, 500)
    chk.ok("received 20" in got, "UDP 500 (IKE) to ferry reaches the TAP "
           "namespace", got)
    # lib/ipsec has UDP 4500 (NAT-T): the non-ESP marker says IKE.
    got = udp_to_tap(work, 4500, "00000000")
    chk.ok("received 20" in got, "IKE on UDP 4500 (non-ESP marker) reaches "
           "the TAP namespace, not esp_natt_ike", got)
    d = t.drops(t.PORT)
    chk.eq(d.get("esp_natt_ike", 0), 0, "esp_natt_ike drops")
    show = t.cli(t.PORT, "show control-plane")[0]
    m = re.search(r"^ike\s+\d+\s+\d+\s+(\d+)", show, re.M)
    chk.ok(m is not None and int(m.group(1)) >= 40, "counted in CoPP class ike",
           show)


def check_from_tap(chk, work):
    n, out = t.ping(t.NS_CP, t.P2_IP)
    chk.ok(n >= 2, "ping from the TAP namespace to the peer on lan", out)
    t.sh("ip route add 10.63.0.0/24 via %s dev %s" % (t.P2_IP, t.TAP_LAN), ns=t.NS_CP)
    n, out = t.ping(t.NS_CP, t.P3_IP)
    chk.ok(n >= 2, "ping from the TAP namespace to a host behind another router",
           out)
    out = t.sh("traceroute -n -w 2 -q 1 -m 5 %s" % t.P3_IP, ns=t.NS_CP, check=False)
    hops = re.findall(r"^\s*(\d+)\s+(\S+)", out, re.M)
    chk.ok([h[1] for h in hops][:2] == [t.P2_IP, t.P3_IP],
           "traceroute from the TAP namespace: %s then %s" % (t.P2_IP, t.P3_IP), out)
    log = open(os.path.join(work, "echo-p3.txt"), "w")
    srv = t.bg(t.NS_P3, [PY, TOOLS, "echo-server", t.P3_IP, "7001", "30"], log)
    time.sleep(1)
    try:
        out = echo(t.NS_CP, t.P3_IP, 7001, "via-ferry")
        chk.ok("via-ferry" in out, "TCP echo from the TAP namespace through ferry",
               out)
    finally:
        t.kill(srv)
    show = t.cli(t.PORT, "show control-plane")[0]
    m = re.search(r"^lan\s+.*\s(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", show, re.M)
    chk.ok(m is not None and int(m.group(4)) > 0,
           "frames from the lan TAP were routed by ferry's FIB", show)


def check_mirror(chk):
    """The interface's MTU and state follow onto its TAP (checked each
    second by ferry)."""
    t.cli(t.PORT, "interface lan mtu 1400", "interface lan down")
    ls = t.wait_for(lambda: (lambda l: l if l and l[2] == 1400 and
                             "LOWER_UP" not in l[0] else None)(
                                 t.links(t.NS_CP).get(t.TAP_LAN)), 5)
    chk.ok(ls is not None, "interface lan mtu 1400 and down: its TAP has "
           "MTU 1400 and no carrier", str(t.links(t.NS_CP).get(t.TAP_LAN)))
    t.cli(t.PORT, "interface lan mtu 0", "interface lan up")
    ls = t.wait_for(lambda: (lambda l: l if l and l[2] == 1500 and
                             "LOWER_UP" in l[0] else None)(
                                 t.links(t.NS_CP).get(t.TAP_LAN)), 5)
    chk.ok(ls is not None, "back to the port's MTU and up: so is the TAP",
           str(t.links(t.NS_CP).get(t.TAP_LAN)))


def check_live(chk, work):
    before = t.drops(t.PORT).get("ip4_local_unhandled", 0)
    r = t.cli(t.PORT, "control-plane representor del wan")[0]
    chk.ok(r.strip() == "", "representor del wan", r)
    gone = t.wait_for(lambda: t.TAP_WAN not in t.links(t.NS_CP), 5)
    chk.ok(gone, "TAP %s removed by del" % t.TAP_WAN, str(t.links(t.NS_CP)))
    out = echo(t.NS_P1, t.FERRY_WAN, 7000, timeout=3)
    chk.ok("hello-ferry" not in out, "TCP to ferry is refused without a "
           "representor", out)
    after = t.drops(t.PORT).get("ip4_local_unhandled", 0)
    chk.ok(after > before, "... and dropped as ip4_local_unhandled "
           "(%d -> %d)" % (before, after))
    r = t.cli(t.PORT, "control-plane representor add wan name %s netns %s"
              % (t.TAP_WAN, t.NS_CP))[0]
    chk.ok(r.strip() == "", "representor add wan", r)
    r = t.cli(t.PORT, "control-plane representor add wan")[0]
    chk.ok("already" in r, "a second representor for wan is refused", r)
    r = t.cli(t.PORT, "control-plane representor add lan name lan netns nosuch%s"
              % t.TAG)[0]
    chk.ok(r.startswith("%"), "an unknown namespace is refused", r)
    got = t.wait_for(lambda: "hello-ferry" in echo(t.NS_P1, t.FERRY_WAN, 7000), 10, 1)
    chk.ok(got, "TCP to ferry reaches the TAP namespace again after add")
    rc, wr = t.cli(t.PORT, "show running-config", "write %s/saved.cfg" % work)
    chk.ok(re.search(r'interface = "wan";\s*name = "%s";\s*netns = "%s"'
                     % (t.TAP_WAN, t.NS_CP), rc) is not None,
           "running-config holds the re-added representor", rc)
    saved = open(os.path.join(work, "saved.cfg")).read() if "written" in wr else ""
    chk.ok("control_plane" in saved and t.TAP_WAN in saved,
           "write saves the control_plane section", wr)


def check_teardown(chk, binary, work, proc):
    code = t.stop_ferry(proc)
    chk.eq(code, 0, "ferry exit status after SIGTERM")
    left = [n for n in (t.TAP_WAN, t.TAP_LAN) if n in t.links(t.NS_CP)] + \
        [n for n in ("wan100",) if n in t.links(t.NS_VRF)]
    chk.ok(not left, "no TAP left after SIGTERM", str(left))
    proc, out, port = t.start_ferry(binary, work, os.path.join(work, "saved.cfg"))
    chk.ok(port is not None, "ferry starts again from the written file",
           open(out.name).read()[-2000:])
    if port is None:
        t.stop_ferry(proc)
        return
    chk.ok(t.TAP_WAN in t.links(t.NS_CP), "TAP back after restart")
    t.stop_ferry(proc, signal.SIGKILL)
    gone = t.wait_for(lambda: not any(n in t.links(t.NS_CP)
                                      for n in (t.TAP_WAN, t.TAP_LAN)), 5)
    chk.ok(gone, "no TAP left after SIGKILL (non-persistent TAPs)",
           str(t.links(t.NS_CP)))


def run(binary, chk, work):
    t.topology_up()
    cfg = t.write_config(work)
    proc, out, port = t.start_ferry(binary, work, cfg)
    t.PORT = port
    srv = None
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started with its representors",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("representors")
        check_taps(chk, port)
        chk.set_group("punt: TCP and ARP")
        srv = check_tcp_arp(chk, work)
        chk.set_group("inject: ping, traceroute, TCP from the TAP")
        check_from_tap(chk, work)
        chk.set_group("MTU and link state mirrored")
        check_mirror(chk)
        chk.set_group("live del/add, running-config, write")
        check_live(chk, work)
    finally:
        t.kill(srv)
        chk.set_group("teardown")
        check_teardown(chk, binary, work, proc)


def main():
    t.main("representor", run, ("traceroute",))


if __name__ == "__main__":
    main()
