#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/interop6: ferry against the Linux kernel's VTEP over an IPv6
underlay (issue 17 acceptance). The topology of test_interop.py with
IPv6 VTEP addresses:

  ns VM                ns KV (kernel VTEP 2001:db8:77::2)     root ns: ferry    ns HOST
  vm0 .10 / fd00:77::10 -- vmb [br0] vx42 uk ====== uf (underlay,           h0 .20 / fd00:77::20
                            (local/remote IPv6,      2001:db8:77::1,         hf (member of BD 1)
                             dstport 4789, learning) vxlan.local6)

ferry's bridge domain 1 (VNI 42) floods to 2001:db8:77::2; the kernel's
vx42 (`local 2001:db8:77::2`, learning, all-zeros FDB entry to ferry)
floods to 2001:db8:77::1. Checks: IPv4 and IPv6 pings both ways between
VM and host, ferry learned the VM's MAC against the IPv6 VTEP and the
host's against hf (`show mac-table`), the kernel learned the host's MAC
against ferry's IPv6 address (`bridge fdb show`), ferry found the kernel
VTEP's MAC by ND, and tshark reads VNI 42, the I flag and a good UDP
checksum in both directions on the underlay.

Needs root, network namespaces, veth, vxlan and tshark; exits 77
(skipped) without them. Everything made here is removed at the end, also
on failure.

Usage: /usr/bin/python3 test_interop6.py FERRY_BINARY
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import test_interop as I
from test_interop import ft, sh, veth

TAG = I.TAG
NS_VM, NS_KV, NS_HOST = "f6vm" + TAG, "f6kv" + TAG, "f6h" + TAG
UF, HF = "f6uf" + TAG, "f6hf" + TAG
VM_IP, HOST_IP = I.VM_IP, I.HOST_IP
VM_IP6, HOST_IP6 = "fd00:77::10", "fd00:77::20"
KV_IP6, FERRY_IP6 = "2001:db8:77::2", "2001:db8:77::1"
VM_MAC, HOST_MAC = I.VM_MAC, I.HOST_MAC

CONFIG = """
eal = {{ lcores = "0-1"; memory = 256; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "under"; device = "net_af_packet0,iface={uf}"; mac = "02:00:00:77:01:01"; }},
  {{ name = "host"; device = "net_af_packet1,iface={hf}"; mac = "02:00:00:77:01:02";
    promiscuous = true; }}
);
interfaces = (
  {{ name = "under"; port = "under"; address = "10.77.6.1/24";
    address6 = "{ferry_ip6}/64"; }},
  {{ name = "host"; port = "host"; }}
);
ip6 = {{ dad_ms = 0; }};
vxlan = {{
  local6 = "{ferry_ip6}";
  bridge_domains = (
    {{ id = 1; vni = 42; interfaces = ( "host" ); flood = ( "{kv_ip6}" ); }}
  );
}};
workers = ( {{ lcore = 1; rx = ( "under:0", "host:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; }};
"""


def ns_ipv6(ns, on):
    for conf in ("all", "default"):
        sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=%d" % (conf, 0 if on else 1),
           ns=ns, check=False)
        sh("sysctl -qw net.ipv6.conf.%s.accept_dad=0" % conf, ns=ns, check=False)


def dev_ipv6(dev, ns):
    sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=0" % dev, ns=ns, check=False)
    sh("sysctl -qw net.ipv6.conf.%s.accept_dad=0" % dev, ns=ns, check=False)


def topology_up():
    for ns in (NS_VM, NS_KV, NS_HOST):
        sh("ip netns add %s" % ns)
        sh("ip link set lo up", ns=ns)
        ns_ipv6(ns, True)
    veth("vmb", NS_KV, "vm0", NS_VM, mac_b=VM_MAC)
    veth(UF, None, "uk", NS_KV)
    veth(HF, None, "h0", NS_HOST, mac_b=HOST_MAC)
    for dev, ns in (("uk", NS_KV), ("vm0", NS_VM), ("h0", NS_HOST)):
        dev_ipv6(dev, ns)
    # the bridge port carries no address of its own
    sh("sysctl -qw net.ipv6.conf.vmb.disable_ipv6=1", ns=NS_KV, check=False)
    sh("ip addr add %s/64 dev uk nodad" % KV_IP6, ns=NS_KV)
    sh("ip link add vx42 type vxlan id 42 dstport 4789 local %s dev uk learning"
       % KV_IP6, ns=NS_KV)
    sh("bridge fdb append 00:00:00:00:00:00 dev vx42 dst %s" % FERRY_IP6, ns=NS_KV)
    sh("ip link add br0 type bridge", ns=NS_KV)
    for dev in ("vx42", "br0"):
        sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % dev, ns=NS_KV, check=False)
    sh("ip link set vmb master br0", ns=NS_KV)
    sh("ip link set vx42 master br0", ns=NS_KV)
    sh("ip link set vx42 up", ns=NS_KV)
    sh("ip link set br0 up", ns=NS_KV)
    for dev, ns, v4, v6 in (("vm0", NS_VM, VM_IP, VM_IP6), ("h0", NS_HOST, HOST_IP, HOST_IP6)):
        sh("ip addr add %s/24 dev %s" % (v4, dev), ns=ns)
        sh("ip addr add %s/64 dev %s nodad" % (v6, dev), ns=ns)
        sh("ip link set %s mtu 1400" % dev, ns=ns)


def topology_down():
    for ns in (NS_VM, NS_KV, NS_HOST):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (UF, HF):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


TUNNEL_RE = re.compile(r"^%s\s+42\s+1\s+under\s+%s\s+nd\s" % (re.escape(KV_IP6),
                                                               re.escape(KV_IP6)), re.M)


def wait_for(port, cmd, pattern, timeout=10.0):
    """Output of @p cmd once it matches @p pattern, or the last one."""
    cli = ft.Cli(port)
    try:
        deadline = time.monotonic() + timeout
        while True:
            text = cli.cmd(cmd)
            if re.search(pattern, text, re.M) or time.monotonic() > deadline:
                return text
            time.sleep(0.2)
    finally:
        cli.close()


def check_capture(chk, pcap):
    """Every VXLAN packet on the underlay, both ways: VNI 42, I flag, and a
    UDP checksum tshark finds good (RFC 8200 8.1: mandatory over IPv6)."""
    out = sh("tshark -n -r %s -o udp.check_checksum:TRUE -Y vxlan -T fields "
             "-e ipv6.src -e ipv6.dst -e vxlan.flag_i -e vxlan.vni -e udp.dstport "
             "-e udp.checksum -e udp.checksum.status -e ipv6.flow "
             "-E separator=/t -E occurrence=f" % pcap, check=False)
    rows = [r for r in (ln.split("\t") for ln in out.splitlines()) if len(r) == 8]
    chk.ok(len(rows) > 0, "tshark decodes VXLAN over IPv6 on the underlay", out[-2000:])
    dirs = set()
    for r in rows:
        src, dst, flag_i, vni, dport, csum, status = r[:7]
        dirs.add((src, dst))
        chk.eq(vni, "42", "VNI of %s -> %s" % (src, dst))
        chk.ok(flag_i in ("1", "True"), "I flag set in %s -> %s (got %r)" % (src, dst, flag_i))
        chk.eq(dport, "4789", "UDP destination port of %s -> %s" % (src, dst))
        if src == FERRY_IP6:
            chk.ok(csum not in ("0x0000", "0") and status in ("1", "Good"),
                   "ferry's outer UDP checksum %s is good (status %s)" % (csum, status))
            chk.ok(r[7] not in ("0x00000", "0", "0x00000000"),
                   "ferry's outer IPv6 carries a flow label (%s)" % r[7])
    chk.ok((FERRY_IP6, KV_IP6) in dirs, "VXLAN from ferry to the kernel VTEP seen", str(dirs))
    chk.ok((KV_IP6, FERRY_IP6) in dirs, "VXLAN from the kernel VTEP to ferry seen", str(dirs))


def pings(chk):
    for grp, ns, dst in (("VM -> host, IPv4", NS_VM, HOST_IP),
                         ("host -> VM, IPv4", NS_HOST, VM_IP),
                         ("VM -> host, IPv6", NS_VM, HOST_IP6),
                         ("host -> VM, IPv6", NS_HOST, VM_IP6)):
        chk.set_group("ping " + grp)
        p = I.ping(ns, dst)
        if I.received(p) < 2:  # ND/ARP through both VTEPs may take the first
            p = I.ping(ns, dst)
        chk.ok(I.received(p) >= 2, "%s: pings answered" % grp, p)


def learned(chk, port):
    chk.set_group("ferry learned")
    macs = wait_for(port, "show mac-table", r"^1\s+%s\s+learned\s+vtep %s\s"
                    % (VM_MAC.upper(), re.escape(KV_IP6)))
    chk.ok(re.search(r"^1\s+%s\s+learned\s+vtep %s\s" % (VM_MAC.upper(), re.escape(KV_IP6)),
                     macs, re.M) is not None,
           "VM MAC learned against the kernel VTEP %s" % KV_IP6, macs)
    chk.ok(re.search(r"^1\s+%s\s+learned\s+host\s" % HOST_MAC.upper(), macs, re.M)
           is not None, "host MAC learned against interface host", macs)
    chk.set_group("kernel learned")
    fdb = sh("bridge fdb show dev vx42", ns=NS_KV)
    chk.ok(re.search(r"%s dst %s" % (HOST_MAC, re.escape(FERRY_IP6)), fdb) is not None,
           "kernel FDB has the host MAC against ferry's %s" % FERRY_IP6, fdb)
    nd = sh("ip -6 neigh show dev uk", ns=NS_KV)
    chk.ok(re.search(r"%s lladdr 02:00:00:77:01:01" % re.escape(FERRY_IP6), nd)
           is not None, "kernel resolved ferry's underlay address by ND", nd)


def run(binary, chk, work):
    topology_up()
    pcap = os.path.join(work, "underlay.pcap")
    cap_log = open(os.path.join(work, "tshark.txt"), "w+")
    cap = subprocess.Popen(["ip", "netns", "exec", NS_KV, "tshark", "-q", "-i", "uk",
                            "-w", pcap, "-a", "duration:90"],
                           stdout=subprocess.DEVNULL, stderr=cap_log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and cap.poll() is None:
        cap_log.seek(0)
        if "Capturing on" in cap_log.read():
            break
        time.sleep(0.1)
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(ft.with_cli_socket(CONFIG.format(prefix="f6vx" + TAG, uf=UF, hf=HF,
                                                 ferry_ip6=FERRY_IP6, kv_ip6=KV_IP6),
                                   work))
    proc, out, port = ft.start_logged(binary, cfg, work, timeout=90.0)
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started and listens on its CLI",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("underlay")
        tun = wait_for(port, "show vxlan tunnels", TUNNEL_RE.pattern)
        chk.ok(TUNNEL_RE.search(tun) is not None,
               "ferry routes the kernel VTEP %s out of under (IPv6 FIB)" % KV_IP6, tun)
        pings(chk)
        learned(chk, port)
        cli = ft.Cli(port)
        try:
            drops = cli.cmd("show drops")
        finally:
            cli.close()
        chk.set_group("no VXLAN drops")
        bad = [ln for ln in drops.splitlines()
               if re.search(r"vxlan_", ln) and not re.search(r"\s0\s*$", ln)]
        chk.ok(not bad, "no VXLAN drops (checksums, flags, VNIs all good)", drops)
    finally:
        code = I.stop_ferry(proc)
        chk.set_group("stop")
        chk.eq(code, 0, "ferry exit status after SIGTERM")
        cap.send_signal(signal.SIGINT)
        try:
            cap.wait(10)
        except subprocess.TimeoutExpired:
            cap.kill()
            cap.wait()
    chk.set_group("capture: VNI, I flag, UDP checksum (tshark)")
    check_capture(chk, pcap)


def main():
    binary = ft.setup()
    why = I.can_run()
    if why is not None:
        ft.skip("vxlan interop6: " + why)
    chk = ft.Checks("vxlan-interop6")
    work = tempfile.mkdtemp(prefix="ferry-vxlan-interop6-")
    try:
        run(binary, chk, work)
    except RuntimeError as e:
        chk.fail("setting up the namespaces failed", str(e))
    finally:
        topology_down()
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
