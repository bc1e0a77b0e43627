#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipv6/interop: ferry between two Linux IPv6 stacks (acceptance).

  ns H1                        root ns: ferry                  ns H2
  h1 2001:db8:71::10/64 ---- f1 (a, 2001:db8:71::1/64)
                               f2 (b, 2001:db8:72::1/64, MTU 1400) ---- h2 2001:db8:72::10/64

ferry attaches with net_af_packet to f1 and f2 (veth, offloads off). The
Linux hosts route through ferry's global addresses. Checks:
  - ping6 H1 -> H2 and H2 -> H1 through ferry, and ferry's own addresses
  - ND entries on both sides: each host has ferry's MAC for its gateway
    (learned from ferry's advertisement), ferry has both hosts
  - traceroute6 from H1 shows ferry's address as the first hop (ICMPv6
    time exceeded)
  - path MTU: the H2 link behind ferry is 1400 bytes, H1's is 1500; a
    1450-byte ping with fragmentation forbidden makes ferry send packet
    too big, and H1's route cache then holds mtu 1400 (ip -6 route get)

Needs root, network namespaces, veth, ping and traceroute; exits 77
(skipped) without them. Everything made here is removed at the end,
also on failure.

Usage: /usr/bin/python3 test_ip6_interop.py FERRY_BINARY
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

TAG = "%x" % (os.getpid() & 0xffff)
NS1, NS2 = "f6h1" + TAG, "f6h2" + TAG
F1, F2 = "f6a" + TAG, "f6b" + TAG    # ferry's ends (root namespace)
H1_IP, H2_IP = "2001:db8:71::10", "2001:db8:72::10"
GW1, GW2 = "2001:db8:71::1", "2001:db8:72::1"
MAC_A, MAC_B = "02:00:00:76:01:01", "02:00:00:76:01:02"

CONFIG = """
eal = {{ lcores = "0-1"; memory = 256; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "p1"; device = "net_af_packet0,iface={f1}"; mac = "{mac_a}"; }},
  {{ name = "p2"; device = "net_af_packet1,iface={f2}"; mac = "{mac_b}"; }}
);
interfaces = (
  {{ name = "a"; port = "p1"; address6 = "{gw1}/64"; }},
  {{ name = "b"; port = "p2"; address6 = "{gw2}/64"; mtu = 1400; }}
);
ip6 = {{ dad_ms = 500; }};
workers = ( {{ lcore = 1; rx = ( "p1:0", "p2:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; }};
"""

sh = ft.netns_sh


def can_run():
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "ethtool", "ping", "traceroute"):
        if shutil.which(tool) is None:
            return "%s is not installed" % tool
    probe = "f6probe" + TAG
    if subprocess.run(["ip", "netns", "add", probe], stderr=subprocess.DEVNULL).returncode:
        return "cannot create a network namespace here"
    subprocess.run(["ip", "netns", "del", probe])
    if not os.path.exists("/proc/sys/net/ipv6"):
        return "the kernel has no IPv6"
    return None


def host_up(ns, dev, ferry_dev, ip, gw):
    sh("ip netns add %s" % ns)
    sh("ip link set lo up", ns=ns)
    ft.veth(ferry_dev, None, dev, ns)
    # ft.veth turns IPv6 off on both ends; the host's end needs it, with
    # no DAD delay and no router solicitations to account for.
    for k, v in (("disable_ipv6", 0), ("accept_dad", 0), ("router_solicitations", 0),
                 ("accept_ra", 0)):
        sh("sysctl -qw net.ipv6.conf.%s.%s=%d" % (dev, k, v), ns=ns)
    sh("ip -6 addr add %s/64 dev %s nodad" % (ip, dev), ns=ns)
    sh("ip -6 route add default via %s dev %s" % (gw, dev), ns=ns)


def topology_up():
    host_up(NS1, "h1", F1, H1_IP, GW1)
    host_up(NS2, "h2", F2, H2_IP, GW2)


def topology_down():
    for ns in (NS1, NS2):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (F1, F2):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


def start_ferry(binary, work):
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(ft.with_cli_socket(CONFIG.format(prefix="f6i" + TAG, f1=F1, f2=F2,
                                                 mac_a=MAC_A, mac_b=MAC_B, gw1=GW1,
                                                 gw2=GW2), work))
    return ft.start_logged(binary, cfg, work, timeout=20.0)


def stop_ferry(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def ping(ns, dst, count=3, extra=""):
    return sh("ping -6 -c %d -i 0.3 -W 2 %s %s" % (count, extra, dst), ns=ns, check=False)


def received(out):
    m = re.search(r"(\d+) received", out)
    return int(m.group(1)) if m else 0


def ping_until(ns, dst, tries=10):
    """Ping until one answer comes (DAD and ND settle first), bounded."""
    out = ""
    for _ in range(tries):
        out = ping(ns, dst, count=1)
        if received(out) > 0:
            break
        time.sleep(0.3)
    return out


def check_pings(chk):
    chk.set_group("ping6 through ferry")
    for ns, dst, what in ((NS1, GW1, "H1 pings ferry's address on its link"),
                          (NS1, GW2, "H1 pings ferry's address on the far link"),
                          (NS2, GW2, "H2 pings ferry's address on its link")):
        p = ping_until(ns, dst)
        chk.ok(received(p) > 0, what, p)
    p = ping_until(NS1, H2_IP)
    p = ping(NS1, H2_IP) if received(p) else p
    chk.ok(received(p) >= 2, "H1 pings H2 through ferry", p)
    p = ping(NS2, H1_IP)
    chk.ok(received(p) >= 2, "H2 pings H1 through ferry", p)


def check_neighbours(chk, cli):
    chk.set_group("ND entries on both sides")
    for ns, gw, mac in ((NS1, GW1, MAC_A), (NS2, GW2, MAC_B)):
        n = sh("ip -6 neigh show %s" % gw, ns=ns, check=False)
        chk.ok(mac in n.lower(), "%s has ferry's MAC %s for %s" % (ns, mac, gw), n)
    nd = cli.cmd("show ipv6 neighbours")
    for ip, dev in ((H1_IP, "a"), (H2_IP, "b")):
        chk.ok(re.search(r"^%s\s+[0-9A-Fa-f:]{17}\s+%s\s+(reachable|stale)"
                         % (re.escape(ip), dev), nd, re.M) is not None,
               "ferry has %s on %s" % (ip, dev), nd)


def check_traceroute(chk):
    chk.set_group("traceroute6 shows ferry's hop")
    out = sh("traceroute -6 -n -q 1 -w 2 -m 4 %s" % H2_IP, ns=NS1, check=False, timeout=60)
    hops = re.findall(r"^\s*(\d+)\s+(\S+)", out, re.M)
    chk.ok(("1", GW1) in hops, "first hop is ferry's %s" % GW1, out)
    chk.ok(any(h == H2_IP for _, h in hops), "the trace reaches H2", out)


def check_pmtu(chk, cli):
    chk.set_group("path MTU from ferry's packet too big")
    before = sh("ip -6 route get %s" % H2_IP, ns=NS1, check=False)
    chk.ok("mtu 1400" not in before, "no path MTU is cached before", before)
    p = ping(NS1, H2_IP, count=2, extra="-s 1400 -M do")
    after = sh("ip -6 route get %s" % H2_IP, ns=NS1, check=False)
    chk.ok(re.search(r"\bmtu 1400\b", after) is not None,
           "H1 lowered its path MTU to H2 to 1400", "ping:\n%s\nroute:\n%s" % (p, after))
    drops = cli.cmd("show drops")
    chk.ok(re.search(r"ip6_too_big\s+[1-9]", drops) is not None,
           "ferry counted the too-big packets (ip6_too_big)", drops)
    p = ping(NS1, H2_IP, count=2, extra="-s 1300 -M do")
    chk.ok(received(p) >= 1, "a 1348-byte packet still passes", p)


def run(binary, chk, work):
    topology_up()
    proc, out, port = start_ferry(binary, work)
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started and listens on its CLI",
                      open(out.name).read()[-3000:]):
            return
        check_pings(chk)
        cli = ft.Cli(port)
        try:
            check_neighbours(chk, cli)
            check_traceroute(chk)
            check_pmtu(chk, cli)
        finally:
            cli.close()
    finally:
        code = stop_ferry(proc)
        chk.set_group("stop")
        chk.eq(code, 0, "ferry exit status after SIGTERM")
        if code != 0:
            print(open(out.name).read()[-3000:])


def main():
    binary = ft.setup()
    why = can_run()
    if why is not None:
        ft.skip("ipv6 interop: " + why)
    chk = ft.Checks("ipv6-interop")
    work = tempfile.mkdtemp(prefix="ferry-ipv6-interop-")
    try:
        run(binary, chk, work)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        chk.fail("setting up or driving the namespaces failed", str(e))
    finally:
        topology_down()
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
