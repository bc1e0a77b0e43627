#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""control_plane/ipv6: the control-plane path for IPv6 against the Linux
kernel in namespaces, on af_packet ports (names from cptopo.py).

  ns P1: p1 fd00:61::2/64 --- wan fd00:61::1/64  ferry  lan fd00:62::1/64 --- p2 fd00:62::2/64 :ns P2
  ns CP: ferry's TAPs fwan (of wan) and lan (of lan), with ferry's addresses

Checks: the TAPs carry ferry's global IPv6 addresses (not tentative: no
DAD on the TAP) and the link-local address ferry uses (EUI-64 of the
MAC); TCP from the peer to ferry's IPv6 address reaches a listener in
the TAP namespace and its answer comes back (the kernel's reply routed
by ferry's FIB, its neighbour solicitation out by the port, the peer's
advertisement copied to the TAP); the peer's neighbour entry for ferry
is ferry's MAC; ferry, not the kernel, answers ping6 (the kernel's
Icmp6InEchos stays 0); ping6 and TCP from the TAP namespace to a host
on the other interface; TCP counted in CoPP's management class and the
TAP's echo replies in icmp; UDP to ferry reaches the TAP; after `control-plane
representor del` TCP to ferry's IPv6 address is dropped as
ip6_local_unhandled.

Needs root, network namespaces, veth and /dev/net/tun; exits 77
(skipped) without them.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cptopo as t  # noqa: E402

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cptools.py")
PY = "/usr/bin/python3"

FERRY_WAN6, FERRY_LAN6 = "fd00:61::1", "fd00:62::1"
P1_IP6, P2_IP6 = "fd00:61::2", "fd00:62::2"
# EUI-64 of WAN_MAC 02:00:00:61:00:01 (RFC 4291 2.5.1): ferry's ll6.
FERRY_WAN_LL = "fe80::ff:fe61:1"

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "wan"; device = "net_af_packet0,iface={wan}"; mac = "{wan_mac}"; }},
  {{ name = "lan"; device = "net_af_packet1,iface={lan}"; mac = "{lan_mac}"; }}
);
interfaces = (
  {{ name = "wan"; port = "wan"; address = "10.61.0.1/24";
    address6 = "{wan6}/64"; }},
  {{ name = "lan"; port = "lan"; address = "10.62.0.1/24";
    address6 = "{lan6}/64"; }}
);
workers = ( {{ lcore = 1; rx = ( "wan:0", "lan:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; socket = "{sock}"; }};
control_plane = {{
  representors = (
    {{ interface = "wan"; name = "{tap_wan}"; netns = "{ns}"; }},
    {{ interface = "lan"; netns = "{ns}"; }}
  );
}};
"""


def ns_ipv6_on(ns, dev):
    for key, val in (("disable_ipv6", 0), ("accept_dad", 0)):
        t.sh("sysctl -qw net.ipv6.conf.%s.%s=%d" % (dev, key, val), ns=ns)


def topology_up():
    for ns in (t.NS_P1, t.NS_P2, t.NS_CP):
        t.sh("ip netns add %s" % ns)
        t.sh("ip link set lo up", ns=ns)
    t.veth(t.WAN, None, "p1", t.NS_P1, mac_b=t.P1_MAC)
    t.veth(t.LAN, None, "p2", t.NS_P2)
    ns_ipv6_on(t.NS_P1, "p1")
    ns_ipv6_on(t.NS_P2, "p2")
    t.sh("ip -6 addr add %s/64 dev p1 nodad" % P1_IP6, ns=t.NS_P1)
    t.sh("ip -6 route add default via %s" % FERRY_WAN6, ns=t.NS_P1)
    t.sh("ip -6 addr add %s/64 dev p2 nodad" % P2_IP6, ns=t.NS_P2)
    t.sh("ip -6 route add default via %s" % FERRY_LAN6, ns=t.NS_P2)


def write_config(work):
    t.SOCK = os.path.join(work, "cli.sock")
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix="fcp6" + t.TAG, wan=t.WAN, lan=t.LAN,
                              wan_mac=t.WAN_MAC, lan_mac=t.LAN_MAC,
                              wan6=FERRY_WAN6, lan6=FERRY_LAN6,
                              tap_wan=t.TAP_WAN, ns=t.NS_CP, sock=t.SOCK))
    return cfg


def echo(ns, addr, port, text="hello-ferry6", timeout=5):
    return t.sh("%s %s echo-client %s %d %s %d" % (PY, TOOLS, addr, port, text,
                                                   timeout), ns=ns, check=False)


def tcp_echo(chk, work, ns_srv, ns_cli, addr, port, what):
    """A TCP echo listener on :: in @p ns_srv, a client in @p ns_cli to
    [@p addr]:@p port: its text must come back. @return the result."""
    log = open(os.path.join(work, "echo-%d.txt" % port), "w")
    srv = t.bg(ns_srv, [PY, TOOLS, "echo-server", "::", str(port), "60"],
               log)
    try:
        time.sleep(1)
        got = t.wait_for(
            lambda: "hello-ferry6" in echo(ns_cli, addr, port), 20, 1)
        return chk.ok(got, what, echo(ns_cli, addr, port))
    finally:
        t.kill(srv)


def ping6(ns, dst, count=3):
    out = t.sh("ping -6 -c %d -i 0.3 -W 2 %s" % (count, dst), ns=ns,
               check=False)
    m = re.search(r"(\d+) received", out)
    return (int(m.group(1)) if m else 0), out


def snmp6(ns, name):
    for line in t.sh("cat /proc/net/snmp6", ns=ns).splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == name:
            return int(f[1])
    return None


def copp(port, cls):
    """(packets, policed) of CoPP class @p cls in `show control-plane`."""
    show = t.cli(port, "show control-plane")[0]
    m = re.search(r"^%s\s+\d+\s+\d+\s+(\d+)\s+(\d+)" % cls, show, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def check_taps(chk):
    addrs = t.wait_for(lambda: (lambda o: o if FERRY_WAN_LL in o else None)(
        t.sh("ip -o -6 addr show dev %s" % t.TAP_WAN, ns=t.NS_CP,
             check=False)), 10)
    addrs = addrs or t.sh("ip -o -6 addr show dev %s" % t.TAP_WAN,
                          ns=t.NS_CP, check=False)
    chk.ok("%s/64" % FERRY_WAN6 in addrs,
           "TAP %s has ferry's IPv6 address" % t.TAP_WAN, addrs)
    chk.ok(FERRY_WAN_LL + "/64" in addrs,
           "TAP %s's link-local address is ferry's (EUI-64 of its MAC)"
           % t.TAP_WAN, addrs)
    chk.ok("tentative" not in addrs and "dadfailed" not in addrs,
           "no DAD on the TAP (ferry does it on the wire)", addrs)
    lan = t.sh("ip -o -6 addr show dev %s" % t.TAP_LAN, ns=t.NS_CP,
               check=False)
    chk.ok("%s/64" % FERRY_LAN6 in lan,
           "TAP %s has ferry's lan IPv6 address" % t.TAP_LAN, lan)
    conf = t.sh("sysctl -n net.ipv6.conf.%s.accept_ra "
                "net.ipv6.conf.%s.router_solicitations"
                % (t.TAP_WAN, t.TAP_WAN), ns=t.NS_CP, check=False).split()
    chk.eq(conf, ["0", "0"], "the TAP takes no RAs and sends no RS")


def check_punt(chk, work, port):
    before = copp(port, "management")[0]
    tcp_echo(chk, work, t.NS_CP, t.NS_P1, FERRY_WAN6, 7000,
             "TCP from the peer to ferry's [%s]:7000 reaches the listener "
             "in the TAP namespace and back" % FERRY_WAN6)
    neigh = t.sh("ip -6 neigh show %s" % FERRY_WAN6, ns=t.NS_P1)
    chk.ok(t.WAN_MAC in neigh,
           "the peer's neighbour entry for ferry is ferry's MAC", neigh)
    after = copp(port, "management")[0]
    chk.ok(before is not None and after is not None and after > before,
           "the TCP segments passed CoPP's management class",
           "%s -> %s" % (before, after))
    kneigh = t.sh("ip -6 neigh show %s dev %s" % (P1_IP6, t.TAP_WAN),
                  ns=t.NS_CP, check=False)
    chk.ok(t.P1_MAC in kneigh,
           "the TAP's kernel learnt the peer's MAC (its solicitation "
           "out by the port, the advertisement copied)", kneigh)


def check_echo_by_ferry(chk):
    echos = snmp6(t.NS_CP, "Icmp6InEchos")
    got, out = ping6(t.NS_P1, FERRY_WAN6)
    chk.ok(got >= 2, "ping6 from the peer to ferry is answered", out)
    chk.eq(snmp6(t.NS_CP, "Icmp6InEchos"), echos,
           "ferry answers echo requests itself: none reaches the TAP's "
           "kernel")


def check_udp(chk, work):
    log = open(os.path.join(work, "udp6.txt"), "w+")
    rcv = t.bg(t.NS_CP, [PY, TOOLS, "udp-count", "::", "7002", "3", "30"],
               log)
    try:
        time.sleep(1)
        t.sh("%s %s udp-send %s 7002 20 50" % (PY, TOOLS, FERRY_WAN6),
             ns=t.NS_P1)
        rcv.wait(40)
    finally:
        t.kill(rcv)
    log.seek(0)
    out = log.read()
    m = re.search(r"received (\d+)", out)
    chk.ok(m is not None and int(m.group(1)) >= 15,
           "UDP from the peer to ferry's IPv6 address reaches the TAP "
           "(not port unreachable)", out)


def check_from_tap(chk, work, port):
    icmp = copp(port, "icmp")[0]
    got, out = ping6(t.NS_CP, P2_IP6)
    chk.ok(got >= 2, "ping6 from the TAP namespace to the host on lan "
           "(request routed by ferry's FIB, reply punted to the TAP)", out)
    after = copp(port, "icmp")[0]
    chk.ok(icmp is not None and after is not None and after > icmp,
           "the echo replies to the TAP passed CoPP's icmp class",
           "%s -> %s" % (icmp, after))
    tcp_echo(chk, work, t.NS_P2, t.NS_CP, P2_IP6, 7001,
             "TCP from the TAP namespace to [%s]:7001 and back" % P2_IP6)
    show = t.cli(port, "show control-plane")[0]
    m = re.search(r"^lan\s+\S+\s+\S+\s+\d+\s+\S+\s+\d+\s+\d+\s+\d+\s+\d+\s+(\d+)",
                  show, re.M)
    chk.ok(m is not None and int(m.group(1)) > 0,
           "frames from the lan TAP were routed by ferry's FIB", show)


def check_del(chk, port):
    out = t.cli(port, "control-plane representor del wan")[0]
    chk.ok("error" not in out.lower(), "representor del wan", out)
    before = t.drops(port).get("ip6_local_unhandled", 0)
    echo(t.NS_P1, FERRY_WAN6, 7000, timeout=2)
    after = t.drops(port).get("ip6_local_unhandled", 0)
    chk.ok(after > before, "without the representor TCP to ferry's IPv6 "
           "address is dropped as ip6_local_unhandled",
           "%d -> %d" % (before, after))


def run(binary, chk, work):
    topology_up()
    cfg = write_config(work)
    proc, out, port = t.start_ferry(binary, work, cfg)
    t.PORT = port
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started with its representors",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("IPv6 on the TAPs")
        check_taps(chk)
        chk.set_group("punt: TCP to ferry's IPv6 address")
        check_punt(chk, work, port)
        chk.set_group("ferry answers echo and ND itself")
        check_echo_by_ferry(chk)
        chk.set_group("punt: UDP")
        check_udp(chk, work)
        chk.set_group("inject: IPv6 from the TAP")
        check_from_tap(chk, work, port)
        chk.set_group("live del")
        check_del(chk, port)
    finally:
        t.stop_ferry(proc)


def main():
    t.main("ipv6", run)


if __name__ == "__main__":
    main()
