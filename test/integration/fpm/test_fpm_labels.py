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
  2b. ECMP over labelled paths: a route whose two paths push their own
     label (300, 301); 64 UDP flows from ns C, each twice: every flow
     leaves with one label only, both labels are used.
  3. mark and sweep on reconnect: a new session resends only the VPN
     route; after fpm.sweep_delay the main-table labelled route and the
     LSP are gone, the VPN route stays.
This kernel has no VRF (or dummy) devices, so the VRF device is mapped
by its name (fpm_vrfdev.c); a real VRF device is mapped by its
IFLA_VRF_TABLE. Needs root, namespaces, tshark, scapy and pyroute2;
exits 77 otherwise.

With the argument "zebra", real zebra (Debian FRR 8.4.4, -M
dplane_fpm_nl) and staticd program ferry instead. zebra turns MPLS off
when /proc/sys/net/mpls is missing (this kernel has no MPLS); it runs in
a private mount namespace whose /proc/sys/net is a tmpfs holding binds
of the real entries and an mpls/ directory (platform_labels, conf/).
zebra's own kernel installs of LSPs fail (EOPNOTSUPP, logged by zebra),
the FPM copy is sent all the same:
  4. zebra's static LSPs (`mpls lsp 500 198.18.0.2 600`, `mpls lsp 501
     198.18.0.2 implicit-null`) land in ferry's LFIB (swap, PHP) and
     staticd's labelled route (`ip route 10.70.0.0/24 198.18.0.2 label
     16001/100`) in the FIB with source FRR; on the wire, a ping from ns
     C to 10.70.0.5 comes back labelled 16001/100, a packet labelled 500
     comes back labelled 600.
Exits 77 without FRR and dplane_fpm_nl.
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

SEND_FLOWS = """
import sys
from scapy.all import Ether, IP, UDP, sendp
pkts = [Ether(dst=sys.argv[1], src=sys.argv[2]) /
        IP(src="198.18.0.2", dst="10.66.0.5", ttl=64) /
        UDP(sport=20000 + i, dport=7000) / b"fpm-ecmp"
        for i in range(64)]
sendp(pkts * 2, iface="pc", inter=0.01, verbose=False)
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


def send_from_core(work, name, script_text):
    """Run scapy script @p script_text in ns C (frames to ferry's core)."""
    script = os.path.join(work, name)
    with open(script, "w") as f:
        f.write(script_text)
    sh("%s %s %s %s" % (PY, script, CORE_MAC, PC_MAC), ns=NS_C)


def check_pop_lookup(chk, cli, work):
    chk.set_group("2. per-VRF label: pop and look up in VRF cust")
    cap = Capture(work, NS_V, "pv", "udp port 7777", ["ip.dst", "udp.dstport"],
                  "pop")
    try:
        chk.ok(cap.started(), "tshark capturing in the customer namespace",
               open(cap.err).read())
        send_from_core(work, "send_mpls.py", SEND_MPLS)
        got = wait(lambda: cap.lines(), 10)
    finally:
        cap.stop()
    chk.ok(got and all(l[0] == "198.19.0.2" for l in cap.lines()),
           "label 500 popped: the IPv4 packet reached 198.19.0.2 in VRF cust",
           "%s\n%s" % (cap.lines(), cli.cmd("show drops")))


def check_labelled_ecmp(chk, cli, work, p):
    chk.set_group("2b. ECMP over labelled paths, on the wire")
    p.send(F.route("new", "10.66.0.0", 24, [("198.18.0.2", 1, [300]),
                                            ("198.18.0.2", 1, [301])]))
    line = wait(lambda: line_of(cli.cmd("show ip route"), "10.66.0.0/24"))
    chk.ok(line and "push 300 via 198.18.0.2 dev core" in line and
           "push 301 via 198.18.0.2 dev core" in line,
           "10.66.0.0/24: a group of two labelled paths", line)
    cap = Capture(work, NS_C, "pc", "mpls", ["mpls.label", "udp.srcport"],
                  "ecmp")
    try:
        chk.ok(cap.started(), "tshark capturing on the core peer",
               open(cap.err).read())
        send_from_core(work, "send_flows.py", SEND_FLOWS)
        wait(lambda: len(cap.lines()) >= 128, 15)
    finally:
        cap.stop()
    per_flow = {}
    for l in cap.lines():
        if len(l) == 2 and l[1]:
            per_flow.setdefault(l[1], set()).add(l[0])
    used = set().union(*per_flow.values()) if per_flow else set()
    chk.eq(len(per_flow), 64, "all 64 flows came back labelled",
           "%s\n%s" % (cap.lines()[:20], cli.cmd("show drops")))
    chk.ok(per_flow and all(len(v) == 1 for v in per_flow.values()),
           "each flow on one label (sticky)", str(per_flow))
    chk.eq(used, {"300", "301"}, "both labelled paths used", str(per_flow))


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


def run(binary, chk, work, zebra):
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
        if zebra:
            check_zebra(chk, cli, work)
            cli.close()
            return
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
        check_labelled_ecmp(chk, cli, work, p)
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


FRR = "/usr/lib/frr"
FPM_MOD = "/usr/lib/x86_64-linux-gnu/frr/modules/dplane_fpm_nl.so"

# zebra in a private mount namespace where /proc/sys/net has mpls/.
FAKE_MPLS = """set -e
T=$(mktemp -d "$1/sysnet.XXXXXX")
shift
mount -t tmpfs none "$T"
for d in /proc/sys/net/*; do
	b=$(basename "$d")
	if [ -d "$d" ]; then mkdir "$T/$b"; else touch "$T/$b"; fi
	mount --bind "$d" "$T/$b"
done
mkdir -p "$T/mpls/conf/custb"
echo 1048575 > "$T/mpls/platform_labels"
echo 1 > "$T/mpls/conf/custb/input"
mount --move "$T" /proc/sys/net
exec "$@"
"""

ZEBRA_CONF = """hostname z
fpm address 127.0.0.1 port {port}
no fpm use-next-hop-groups
mpls lsp 500 198.18.0.2 600
mpls lsp 501 198.18.0.2 implicit-null
"""

STATICD_CONF = "hostname s\n"
# Given once staticd has zebra's capabilities (MPLS on): from its config
# file, read before it connects, staticd refuses labels.
STATIC_ROUTE = "ip route 10.70.0.0/24 198.18.0.2 label 16001/100"


def frr_missing():
    for f in (os.path.join(FRR, "zebra"), os.path.join(FRR, "staticd"), FPM_MOD,
              "/usr/bin/unshare"):
        if not os.path.exists(f):
            return "%s is missing (FRR with dplane_fpm_nl, util-linux)" % f
    return None


def frr_start(work, daemon, conf, pre=()):
    d = os.path.join(work, "frr")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    path = os.path.join(d, daemon + ".conf")
    with open(path, "w") as f:
        f.write(conf)
    argv = ["ip", "netns", "exec", NS_Z] + list(pre) + [
        os.path.join(FRR, daemon), "-f", path,
        "-i", os.path.join(d, daemon + ".pid"), "--vty_socket", d,
        "-z", os.path.join(d, "zserv.api"), "-P", "0",
        "--log", "file:" + os.path.join(d, daemon + ".log")]
    if daemon == "zebra":
        argv += ["-M", "dplane_fpm_nl"]
    log = open(os.path.join(d, daemon + ".out"), "w")
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def frr_stop(procs):
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def check_zebra(chk, cli, work):
    chk.set_group("4. real zebra with MPLS: LSPs and a labelled route")
    script = os.path.join(work, "fake_mpls.sh")
    with open(script, "w") as f:
        f.write(FAKE_MPLS)
    # zebra resolves 198.18.0.2 on a connected subnet of its namespace
    sh("ip addr add 198.18.0.1/30 dev custb", ns=NS_Z)
    sh("ip link set custb up", ns=NS_Z)
    sh("ip link set cust up", ns=NS_Z)
    procs = [frr_start(work, "zebra", ZEBRA_CONF.format(port=FPM_PORT),
                       ["unshare", "-m", "sh", script, work])]
    try:
        wait(lambda: os.path.exists(os.path.join(work, "frr", "zserv.api")), 30)
        procs.append(frr_start(work, "staticd", STATICD_CONF))
        ok = wait(lambda: static_route(work) and "push 16001/100 via "
                  "198.18.0.2 dev core" in line_of(cli.cmd("show ip route"),
                                                   "10.70.0.0/24")
                  and line_of(cli.cmd("show mpls lfib"), "501"), 60, 2)
        zlog = os.path.join(work, "frr", "zebra.log")
        chk.ok(ok and "[frr]" in line_of(cli.cmd("show ip route"), "10.70.0.0/24"),
               "staticd's labelled route from zebra: push 16001/100 [frr]",
               cli.cmd("show ip route") + cli.cmd("show fpm") +
               (open(zlog).read()[-3000:] if os.path.exists(zlog) else ""))
        lfib = cli.cmd("show mpls lfib")
        chk.ok("600" in line_of(lfib, "500") and "198.18.0.2" in line_of(lfib, "500"),
               "zebra's LSP 500: swap to 600 via 198.18.0.2", lfib)
        chk.ok("198.18.0.2" in line_of(lfib, "501") and
               "600" not in line_of(lfib, "501"), "zebra's LSP 501: PHP", lfib)
        wire_zebra(chk, cli, work)
    finally:
        frr_stop(reversed(procs))


def static_route(work):
    """Give staticd the labelled route (again: refused until staticd
    knows zebra has MPLS); True."""
    sh("vtysh --vty_socket %s -c 'configure terminal' -c '%s'"
       % (os.path.join(work, "frr"), STATIC_ROUTE), check=False, timeout=20)
    return True


SEND_500 = SEND_MPLS.replace("label=500", "label=int(sys.argv[3])").replace(
    'dst="198.19.0.2"', 'dst="10.71.0.9"')


def wire_zebra(chk, cli, work):
    cap = Capture(work, NS_C, "pc", "mpls", ["mpls.label", "ip.dst"], "zebra")
    try:
        chk.ok(cap.started(), "tshark capturing on the core peer",
               open(cap.err).read())
        sh("ping -c 3 -i 0.3 -W 1 10.70.0.5", ns=NS_C, check=False)
        script = os.path.join(work, "send_500.py")
        with open(script, "w") as f:
            f.write(SEND_500)
        sh("%s %s %s %s 500" % (PY, script, CORE_MAC, PC_MAC), ns=NS_C)
        wait(lambda: any(l[0] == "600" for l in cap.lines()), 10)
    finally:
        cap.stop()
    lines = cap.lines()
    chk.ok(any(l == ["16001,100", "10.70.0.5"] for l in lines),
           "ping to 10.70.0.5 leaves labelled 16001/100", str(lines))
    chk.ok(any(l == ["600", "10.71.0.9"] for l in lines),
           "a packet labelled 500 leaves swapped to 600", str(lines))


def main():
    binary = ft.setup()
    zebra = len(sys.argv) > 2 and sys.argv[2] == "zebra"
    why = can_run() or (frr_missing() if zebra else None)
    if why is not None:
        ft.skip("fpm labels: " + why)
    chk = ft.Checks("fpm-labels" + ("-zebra" if zebra else ""))
    work = tempfile.mkdtemp(prefix="ferry-fpml-")
    os.chmod(work, 0o755)
    try:
        run(binary, chk, work, zebra)
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
