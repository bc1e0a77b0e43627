# SPDX-License-Identifier: BSD-3-Clause
"""Shared topology of the control-plane tests (suite cp).

  ns P1 (peer)            root ns: ferry               ns P2 (router)      ns P3
  p1 10.61.0.2/24 --- wan 10.61.0.1/24   lan 10.62.0.1/24 --- p2 10.62.0.2   10.63.0.2 --- p3 10.63.0.3
                        (net_af_packet on veths)            forwarding on
  ns CP: ferry's TAP representors  fwan (of wan) and lan (of lan)
  ns VRF: the TAP "wan100" of VLAN 100 on wan, in VRF cust (vrf_netns)

ferry routes 10.63.0.0/24 via 10.62.0.2. The TAP namespace routes
10.63.0.0/24 via 10.62.0.2 on its "lan" TAP. Names carry the PID so two
runs never collide; everything is removed at the end, also on failure.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import ferrytest as ft

TAG = "%x" % (os.getpid() & 0xffff)
NS_P1, NS_P2, NS_P3, NS_CP = ("fcp1" + TAG, "fcp2" + TAG, "fcp3" + TAG,
                              "fcpt" + TAG)
NS_VRF = "fcpv" + TAG   # namespace of VRF "cust" (vrf_netns)
WAN, LAN = "fcw" + TAG, "fcl" + TAG     # ferry's veth ends (root ns)
FERRY_WAN, FERRY_LAN = "10.61.0.1", "10.62.0.1"
P1_IP, P2_IP, P2_IP3, P3_IP = "10.61.0.2", "10.62.0.2", "10.63.0.2", "10.63.0.3"
WAN_MAC, LAN_MAC = "02:00:00:61:00:01", "02:00:00:62:00:01"
P1_MAC = "02:00:00:61:00:02"
# VLAN 100 on wan; this kernel has no 802.1Q devices, so the peer there
# is scapy (cptools.py vlan-syn) with static neighbours on both sides.
FERRY_VLAN, P1_VLAN_IP = "10.64.0.1", "10.64.0.2"
TAP_WAN, TAP_LAN = "fwan", "lan"

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "wan"; device = "net_af_packet0,iface={wan}"; mac = "{wan_mac}"; }},
  {{ name = "lan"; device = "net_af_packet1,iface={lan}"; mac = "{lan_mac}"; }}
);
interfaces = (
  {{ name = "wan"; port = "wan"; address = "{ferry_wan}/24"; }},
  {{ name = "lan"; port = "lan"; address = "{ferry_lan}/24"; }},
  {{ name = "wan100"; port = "wan"; vlan = 100; address = "{ferry_vlan}/24";
    vrf = "cust"; }}
);
vrfs = ( {{ name = "default"; id = 0;
  routes = ( {{ prefix = "10.63.0.0/24"; via = "{p2}"; }} ); }},
  {{ name = "cust"; id = 1; }} );
workers = ( {{ lcore = 1; rx = ( "wan:0", "lan:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; socket = "{sock}"; }};
{control_plane}
"""

CP_SECTION = """control_plane = {{
  representors = (
    {{ interface = "wan"; name = "{tap_wan}"; netns = "{ns}"; }},
    {{ interface = "lan"; netns = "{ns}"; }},
    {{ interface = "wan100"; }}
  );
  vrf_netns = ( {{ vrf = "cust"; netns = "{ns_vrf}"; }} );
  copp = {{ management = {{ rate = {mgmt_rate}; burst = {mgmt_burst}; }}; }};
}};
"""


sh = ft.netns_sh
veth = ft.veth


def can_run(tools=()):
    if os.geteuid() != 0:
        return "needs root to create network namespaces and TAPs"
    for tool in ("ip", "ethtool", "ping") + tuple(tools):
        if shutil.which(tool) is None and not os.path.exists(tool):
            return "%s is not installed (scripts/install-deps.sh)" % tool
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun (TUN/TAP) on this machine"
    probe = "fcprobe" + TAG
    if subprocess.run(["ip", "netns", "add", probe],
                      stderr=subprocess.DEVNULL).returncode:
        return "cannot create a network namespace here"
    subprocess.run(["ip", "netns", "del", probe])
    return None


def topology_up():
    for ns in (NS_P1, NS_P2, NS_P3, NS_CP, NS_VRF):
        sh("ip netns add %s" % ns)
        sh("ip link set lo up", ns=ns)
        for conf in ("all", "default"):
            sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % conf, ns=ns,
               check=False)
    veth(WAN, None, "p1", NS_P1, mac_b=P1_MAC)
    veth(LAN, None, "p2", NS_P2)
    veth("p2b", NS_P2, "p3", NS_P3)
    sh("ip addr add %s/24 dev p1" % P1_IP, ns=NS_P1)
    sh("ip route add default via %s" % FERRY_WAN, ns=NS_P1)
    sh("ip addr add %s/24 dev p2" % P2_IP, ns=NS_P2)
    sh("ip addr add %s/24 dev p2b" % P2_IP3, ns=NS_P2)
    sh("ip route add default via %s" % FERRY_LAN, ns=NS_P2)
    sh("sysctl -qw net.ipv4.ip_forward=1", ns=NS_P2)
    sh("ip addr add %s/24 dev p3" % P3_IP, ns=NS_P3)
    sh("ip route add default via %s" % P2_IP3, ns=NS_P3)


def topology_down():
    for ns in (NS_P1, NS_P2, NS_P3, NS_CP, NS_VRF):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (WAN, LAN):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


def write_config(work, with_cp=True, mgmt_rate=1000, mgmt_burst=100,
                 name="ferry.cfg"):
    cp = CP_SECTION.format(tap_wan=TAP_WAN, ns=NS_CP, ns_vrf=NS_VRF,
                           mgmt_rate=mgmt_rate,
                           mgmt_burst=mgmt_burst) if with_cp else ""
    global SOCK
    SOCK = os.path.join(work, "cli.sock")
    cfg = os.path.join(work, name)
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix="fcp" + TAG, wan=WAN, lan=LAN,
                              wan_mac=WAN_MAC, lan_mac=LAN_MAC,
                              ferry_wan=FERRY_WAN, ferry_lan=FERRY_LAN,
                              ferry_vlan=FERRY_VLAN, p2=P2_IP,
                              control_plane=cp, sock=SOCK))
    return cfg


def start_ferry(binary, work, cfg):
    return ft.start_logged(binary, cfg, work,
                           "stdout-%d.txt" % time.monotonic_ns())


def stop_ferry(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


# The CLI's Unix socket of the last config written: the privileged way in
# (telnet without credentials may only look).
SOCK = None


def cli(port, *lines):
    c = ft.Cli(path=SOCK) if SOCK is not None else ft.Cli(port)
    try:
        return [c.cmd(line) for line in lines]
    finally:
        c.close()


def links(ns):
    """{name: (state, mac, mtu)} of the links in @p ns."""
    out = sh("ip -o link show", ns=ns, check=False)
    res = {}
    for m in re.finditer(r"^\d+: ([^:@]+)[^:]*: <([^>]*)> mtu (\d+).*?link/\S+ "
                         r"([0-9a-f:]{17})", out, re.M):
        res[m.group(1)] = (m.group(2), m.group(4), int(m.group(3)))
    return res


def wait_for(fn, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def ping(ns, dst, count=3):
    out = sh("ping -c %d -i 0.3 -W 2 %s" % (count, dst), ns=ns, check=False)
    m = re.search(r"(\d+) received", out)
    return (int(m.group(1)) if m else 0), out


def drops(port):
    return ft.parse_show_drops(cli(port, "show drops")[0])


def bg(ns, argv, log):
    """A process in namespace @p ns; the caller stops it by PID."""
    return subprocess.Popen(["ip", "netns", "exec", ns] + argv,
                            stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def kill(proc):
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(what, run, tools=(), chmod_work=False):
    """A cp test's main: skip (exit 77) with the reason when the machine
    cannot run it, else run(binary, chk, work) with the namespaces torn
    down and the work directory removed afterwards (FERRY_TEST_KEEP keeps
    it). @p chmod_work: daemons running as other users read it."""
    binary = ft.setup()
    why = can_run(tools)
    if why is not None:
        ft.skip("control-plane %s: %s" % (what, why))
    chk = ft.Checks("cp-" + what)
    work = tempfile.mkdtemp(prefix="ferry-cp-%s-" % what)
    if chmod_work:
        os.chmod(work, 0o755)
    try:
        run(binary, chk, work)
    except (RuntimeError, OSError) as e:
        chk.fail("setting up the namespaces failed", str(e))
    finally:
        topology_down()
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())
