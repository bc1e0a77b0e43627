#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""lib/fpm's label paths with traffic on the wire: an FPM peer built on
pyroute2 (fpmfeed.py, dplane_fpm_nl's shape) programs ferry, Linux
namespaces send and tshark's MPLS dissector reads what ferry sends.

  ns Z (zebra's: fpm.netns)   the FPM session; "cust", a veth named
                              like VRF cust, stands for the VRF device
  ns C (core)  pc 198.18.0.2/30 --- core 198.18.0.1/30  ferry (default VRF,
                                                        MPLS on)
  ns V (cust)  pv 198.19.0.2/30 --- vc 198.19.0.1/30    ferry (VRF cust,
                                                        vrfs[].table 1000)

  1. a labelled VPN route of table 1000 (10.62.0.0/24, stack 16001/100,
     next hop 198.18.0.2 in the core): a ping from ns V leaves ferry's
     core port with labels 16001 then 100 (bottom of stack) to
     10.62.0.5; a labelled route of the main table (10.63.0.0/24, label
     200): a ping from ns C comes back labelled 200.
  2. the per-VRF label: an LSP for label 500 with no next hop and the
     VRF device as out-interface; a labelled packet (500 over IPv4 to
     198.19.0.2, an address only VRF cust reaches) sent by ns C comes
     out of ferry's vc port unlabelled: popped and looked up in cust.
  3. mark and sweep on reconnect: a new session resends only the VPN
     route; after fpm.sweep_delay the main-table labelled route and the
     LSP are gone, the VPN route stays.
This kernel has no VRF (or dummy) devices, so the VRF device is mapped
by its name (fpm_vrfdev.c); a real VRF device is mapped by its
IFLA_VRF_TABLE. Needs root, namespaces, tshark, scapy and pyroute2;
exits 77 otherwise.
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import ferrytest as ft  # noqa: E402
import fpmfeed as F  # noqa: E402

TAG = "%x" % (os.getpid() & 0xffff)
NS_Z, NS_C, NS_V = "flz" + TAG, "flc" + TAG, "flv" + TAG
CORE, VC = "flk" + TAG, "flu" + TAG       # ferry's veth ends (root ns)
CORE_MAC, VC_MAC = "02:00:00:18:00:01", "02:00:00:19:00:01"
PC_MAC = "02:00:00:18:00:02"
FPM_PORT = 2620                            # in ns Z, which is ours
PY = "/usr/bin/python3"

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "core"; device = "net_af_packet0,iface={core}"; mac = "{core_mac}"; }},
  {{ name = "vc"; device = "net_af_packet1,iface={vc}"; mac = "{vc_mac}"; }}
);
interfaces = (
  {{ name = "core"; port = "core"; address = "198.18.0.1/30"; }},
  {{ name = "vc"; port = "vc"; address = "198.19.0.1/30"; vrf = "cust"; }}
);
vrfs = (
  {{ name = "default"; id = 0; }},
  {{ name = "cust"; id = 1; table = 1000; }}
);
mpls = {{ interfaces = ( "core" ); }};
workers = ( {{ lcore = 1; rx = ( "core:0", "vc:0" ); }} );
cli = {{ port = 0; socket = "{work}/cli.sock"; }};
fpm = {{ enabled = true; port = {fpm_port}; netns = "{nsz}"; grace = 30;
        sweep_delay = 1; }};
"""

SEND_MPLS = """
import sys
from scapy.all import Ether, IP, UDP, sendp
from scapy.contrib.mpls import MPLS
sendp(Ether(dst=sys.argv[1], src=sys.argv[2], type=0x8847) /
      MPLS(label=500, s=1, ttl=64) /
      IP(src="198.18.0.2", dst="198.19.0.2") / UDP(sport=1234, dport=7777) /
      b"fpm-labels", iface="pc", count=3, inter=0.3, verbose=False)
"""

libc = ctypes.CDLL("libc.so.6", use_errno=True)
CLONE_NEWNET = 0x40000000


def in_netns(ns, fn):
    """fn() run with this thread in namespace @p ns (sockets it makes
    stay there)."""
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + ns)
        return fn()
    finally:
        libc.setns(own, CLONE_NEWNET)
        os.close(fd)
        os.close(own)


def can_run():
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "ethtool", "ping", "tshark"):
        if shutil.which(tool) is None:
            return "%s is not installed (scripts/install-deps.sh)" % tool
    if F.rtmsg is None:
        return "python3-pyroute2 is not installed (scripts/install-deps.sh)"
    if subprocess.run([PY, "-c", "import scapy.contrib.mpls"],
                      stderr=subprocess.DEVNULL).returncode:
        return "scapy is not installed for %s" % PY
    probe = "flp" + TAG
    if subprocess.run(["ip", "netns", "add", probe],
                      stderr=subprocess.DEVNULL).returncode:
        return "cannot create a network namespace here"
    subprocess.run(["ip", "netns", "del", probe])
    return None


sh = ft.netns_sh


def topology_up():
    for ns in (NS_Z, NS_C, NS_V):
        sh("ip netns add %s" % ns)
        sh("ip link set lo up", ns=ns)
        sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1", ns=ns, check=False)
    ft.veth(CORE, None, "pc", NS_C, mac_b=PC_MAC)
    ft.veth(VC, None, "pv", NS_V)
    sh("ip link add cust type veth peer name custb", ns=NS_Z)
    sh("ip addr add 198.18.0.2/30 dev pc", ns=NS_C)
    sh("ip route add default via 198.18.0.1", ns=NS_C)
    sh("ip addr add 198.19.0.2/30 dev pv", ns=NS_V)
    sh("ip route add default via 198.19.0.1", ns=NS_V)


def topology_down():
    for ns in (NS_Z, NS_C, NS_V):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (CORE, VC):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


def ifindex(ns, dev):
    return int(sh("cat /sys/class/net/%s/ifindex" % dev, ns=ns).strip())


def wait(fn, timeout=15, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def line_of(text, key):
    for line in text.splitlines():
        f = line.split()
        if f and f[0] == key:
            return line
    return ""


class Capture:
    """tshark in @p ns on @p dev with capture filter @p flt, printing
    @p fields; stopped by PID."""

    def __init__(self, work, ns, dev, flt, fields, name):
        self.out = os.path.join(work, name + ".txt")
        self.err = os.path.join(work, name + ".err")
        args = ["ip", "netns", "exec", ns, "tshark", "-i", dev, "-n", "-l",
                "-f", flt, "-a", "duration:120", "-T", "fields"]
        for f in fields:
            args += ["-e", f]
        with open(self.out, "w") as o, open(self.err, "w") as e:
            self.proc = subprocess.Popen(args, stdout=o, stderr=e,
                                         stdin=subprocess.DEVNULL)

    def started(self):
        return wait(lambda: "Capturing on" in open(self.err).read(), 60)

    def lines(self):
        return [l.rstrip("\n").split("\t") for l in open(self.out) if l.strip()]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def check_push(chk, cli, work):
    chk.set_group("1. labelled routes: the stack on the wire")
    cap = Capture(work, NS_C, "pc", "mpls", ["mpls.label", "mpls.bottom", "ip.dst"],
                  "push")
    try:
        chk.ok(cap.started(), "tshark capturing on the core peer",
               open(cap.err).read())
        sh("ping -c 3 -i 0.3 -W 1 10.62.0.5", ns=NS_V, check=False)
        sh("ping -c 3 -i 0.3 -W 1 10.63.0.5", ns=NS_C, check=False)
        got = wait(lambda: any(l[-1] == "10.63.0.5" for l in cap.lines()), 10)
    finally:
        cap.stop()
    lines = cap.lines()
    vpn = [l for l in lines if l[-1] == "10.62.0.5"]
    chk.ok(vpn and all(l[0] == "16001,100" and l[1] in ("0,1", "False,True")
                       for l in vpn),
           "VRF cust's ping leaves the core labelled 16001 then 100 (bottom)",
           "%s\n%s" % (lines, cli.cmd("show drops")))
    main = [l for l in lines if l[-1] == "10.63.0.5"]
    chk.ok(got and main and all(l[0] == "200" for l in main),
           "the main table's labelled route pushes 200", str(lines))


def check_pop_lookup(chk, cli, work):
    chk.set_group("2. per-VRF label: pop and look up in VRF cust")
    cap = Capture(work, NS_V, "pv", "udp port 7777", ["ip.dst", "udp.dstport"],
                  "pop")
    try:
        chk.ok(cap.started(), "tshark capturing in the customer namespace",
               open(cap.err).read())
        script = os.path.join(work, "send_mpls.py")
        with open(script, "w") as f:
            f.write(SEND_MPLS)
        sh("%s %s %s %s" % (PY, script, CORE_MAC, PC_MAC), ns=NS_C)
        got = wait(lambda: cap.lines(), 10)
    finally:
        cap.stop()
    chk.ok(got and all(l[0] == "198.19.0.2" for l in cap.lines()),
           "label 500 popped: the IPv4 packet reached 198.19.0.2 in VRF cust",
           "%s\n%s" % (cap.lines(), cli.cmd("show drops")))


def check_sweep(chk, cli, old):
    chk.set_group("3. reconnect: labelled route and LSP swept")
    p = in_netns(NS_Z, lambda: F.Peer(FPM_PORT))
    old.close()
    p.send(F.route("new", "10.62.0.0", 24, ["198.18.0.2"], labels=[16001, 100],
                   table=1000))
    gone = wait(lambda: line_of(cli.cmd("show ip route"), "10.63.0.0/24") == ""
                and line_of(cli.cmd("show mpls lfib"), "500") == "", 20)
    chk.ok(gone, "route 10.63.0.0/24 and LSP 500 not resent: swept",
           cli.cmd("show ip route") + cli.cmd("show mpls lfib"))
    chk.ok("push 16001/100" in line_of(cli.cmd("show ip route vrf cust"),
                                       "10.62.0.0/24"),
           "the resent VPN route stays", cli.cmd("show ip route vrf cust"))
    p.close()


def run(binary, chk, work):
    topology_up()
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix="fpml" + TAG, core=CORE, vc=VC,
                              core_mac=CORE_MAC, vc_mac=VC_MAC, work=work,
                              fpm_port=FPM_PORT, nsz=NS_Z))
    proc, log, port = ft.start_logged(binary, cfg, work)
    try:
        if port is None:
            log.seek(0)
            chk.fail("ferry did not start", log.read()[-3000:])
            return
        cli = ft.Cli(path=os.path.join(work, "cli.sock"))
        p = wait(lambda: try_connect(), 20)
        chk.ok(p, "FPM session to ferry in zebra's namespace")
        if not p:
            return
        p.send(F.route("new", "10.62.0.0", 24, ["198.18.0.2"], labels=[16001, 100],
                       table=1000),
               F.route("new", "10.63.0.0", 24, ["198.18.0.2"], labels=[200]),
               F.lsp("new", 500, dev=ifindex(NS_Z, "cust")))
        ok = wait(lambda: line_of(cli.cmd("show mpls lfib"), "500") and
                  line_of(cli.cmd("show ip route"), "10.63.0.0/24"))
        chk.ok(ok and "push 16001/100 via 198.18.0.2 dev core" in
               line_of(cli.cmd("show ip route vrf cust"), "10.62.0.0/24"),
               "routes and LSP installed",
               cli.cmd("show ip route vrf cust") + cli.cmd("show mpls lfib") +
               cli.cmd("show fpm"))
        chk.ok("cust" in line_of(cli.cmd("show mpls lfib"), "500"),
               "LSP 500 pops into VRF cust", cli.cmd("show mpls lfib"))
        check_push(chk, cli, work)
        check_pop_lookup(chk, cli, work)
        check_sweep(chk, cli, p)
        cli.close()
    finally:
        rc = proc.poll()
        if rc is None:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
        log.seek(0)
        chk.eq(rc, 0, "ferry exit status", log.read()[-2000:])
        log.close()


def try_connect():
    try:
        return in_netns(NS_Z, lambda: F.Peer(FPM_PORT, timeout=5))
    except OSError:
        return None


def main():
    binary = ft.setup()
    why = can_run()
    if why is not None:
        ft.skip("fpm labels: " + why)
    chk = ft.Checks("fpm-labels")
    work = tempfile.mkdtemp(prefix="ferry-fpml-")
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
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
