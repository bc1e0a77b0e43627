#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/interop: ferry against the Linux kernel's VTEP (acceptance).

  ns VM                ns KV (kernel VTEP 10.77.0.2)      root ns: ferry      ns HOST
  vm0 192.168.77.10 -- vmb [br0] vx42 (VNI 42) uk ====== uf (underlay,        h0 192.168.77.20
                                                         10.77.0.1)  hf ---- (member of BD 1)

ferry attaches with net_af_packet to uf (underlay) and hf (bridge domain 1,
VNI 42, flood list 10.77.0.2). The VM pings the host: its ARP request is
flooded by the kernel to ferry (the kernel's all-zeros FDB entry), decapsulated
and flooded to the host; the reply is learned and tunnelled back. Checks:
ping both ways, ferry learned the VM's MAC against 10.77.0.2 and the host's
against hf, the kernel learned the host's MAC against 10.77.0.1, and tshark
reads VNI 42 with the I flag in both directions on the underlay.

Needs root, network namespaces, veth and vxlan; exits 77 (skipped) without
them. Everything made here is removed at the end, also on failure.

Usage: /usr/bin/python3 test_interop.py FERRY_BINARY
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
NS_VM, NS_KV, NS_HOST = "fxvm" + TAG, "fxkv" + TAG, "fxh" + TAG
UF, HF = "fxuf" + TAG, "fxhf" + TAG     # ferry's ends (root namespace)
VM_IP, HOST_IP = "192.168.77.10", "192.168.77.20"
KV_IP, FERRY_IP = "10.77.0.2", "10.77.0.1"
VM_MAC, HOST_MAC = "02:00:00:77:00:10", "02:00:00:77:00:20"

CONFIG = """
eal = {{ lcores = "0-1"; memory = 256; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "under"; device = "net_af_packet0,iface={uf}"; mac = "02:00:00:77:01:01"; }},
  {{ name = "host"; device = "net_af_packet1,iface={hf}"; mac = "02:00:00:77:01:02";
    promiscuous = true; }}
);
interfaces = (
  {{ name = "under"; port = "under"; address = "{ferry_ip}/24"; }},
  {{ name = "host"; port = "host"; }}
);
vxlan = {{
  local = "{ferry_ip}";
  bridge_domains = (
    {{ id = 1; vni = 42; interfaces = ( "host" ); flood = ( "{kv_ip}" ); }}
  );
}};
workers = ( {{ lcore = 1; rx = ( "under:0", "host:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; }};
"""


sh = ft.netns_sh
veth = ft.veth


def can_run():
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "ethtool", "tshark", "ping", "bridge"):
        if shutil.which(tool) is None:
            return "%s is not installed" % tool
    probe = "fxprobe" + TAG
    if subprocess.run(["ip", "netns", "add", probe], stderr=subprocess.DEVNULL).returncode:
        return "cannot create a network namespace here"
    subprocess.run(["ip", "netns", "del", probe])
    if sh("ip link add fxvxprobe type vxlan id 1 dstport 4789", check=False).strip():
        return "the kernel has no vxlan device support"
    sh("ip link del fxvxprobe", check=False)
    return None


def topology_up():
    for ns in (NS_VM, NS_KV, NS_HOST):
        sh("ip netns add %s" % ns)
        sh("ip link set lo up", ns=ns)
        # No IPv6 on any device made here (bridge and vxlan included):
        # its neighbour discovery and MLD would be traffic the test does
        # not account for.
        for conf in ("all", "default"):
            sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % conf, ns=ns,
               check=False)
    # kernel VTEP: bridge br0 = vmb + vx42; underlay uk
    veth("vmb", NS_KV, "vm0", NS_VM, mac_b=VM_MAC)
    veth(UF, None, "uk", NS_KV)
    veth(HF, None, "h0", NS_HOST, mac_b=HOST_MAC)
    sh("ip addr add %s/24 dev uk" % KV_IP, ns=NS_KV)
    sh("ip link add vx42 type vxlan id 42 dstport 4789 local %s dev uk" % KV_IP, ns=NS_KV)
    # BUM frames to ferry: head-end replication on the kernel's side.
    sh("bridge fdb append 00:00:00:00:00:00 dev vx42 dst %s" % FERRY_IP, ns=NS_KV)
    sh("ip link add br0 type bridge", ns=NS_KV)
    sh("ip link set vmb master br0", ns=NS_KV)
    sh("ip link set vx42 master br0", ns=NS_KV)
    sh("ip link set vx42 up", ns=NS_KV)
    sh("ip link set br0 up", ns=NS_KV)
    sh("ip addr add %s/24 dev vm0" % VM_IP, ns=NS_VM)
    sh("ip link set vm0 mtu 1400", ns=NS_VM)
    sh("ip addr add %s/24 dev h0" % HOST_IP, ns=NS_HOST)
    sh("ip link set h0 mtu 1400", ns=NS_HOST)


def topology_down():
    for ns in (NS_VM, NS_KV, NS_HOST):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (UF, HF):  # gone with their peers; make sure
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


def start_ferry(binary, work):
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(ft.with_cli_socket(CONFIG.format(prefix="fxvx" + TAG, uf=UF, hf=HF,
                                                 ferry_ip=FERRY_IP, kv_ip=KV_IP), work))
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


TUNNEL_RE = re.compile(r"^%s\s+42\s+1\s+under\s+%s\s+[0-9A-F:]{17}\s"
                       % (re.escape(KV_IP), re.escape(KV_IP)), re.M)


def wait_resolved(port, timeout=10.0):
    """`show vxlan tunnels` once the tunnel to the kernel VTEP has a MAC
    (lib/route ARPs for pinned next hops every second), or the last one."""
    cli = ft.Cli(port)
    try:
        deadline = time.monotonic() + timeout
        while True:
            text = cli.cmd("show vxlan tunnels")
            if TUNNEL_RE.search(text) or time.monotonic() > deadline:
                return text
            time.sleep(0.2)
    finally:
        cli.close()


def ping(ns, dst, count=3):
    return sh("ping -c %d -i 0.3 -W 2 %s" % (count, dst), ns=ns, check=False)


def received(out):
    m = re.search(r"(\d+) received", out)
    return int(m.group(1)) if m else 0


def check_capture(chk, pcap):
    """Every VXLAN packet on the underlay, both ways: VNI 42 and the I flag."""
    out = sh("tshark -n -r %s -Y vxlan -T fields -e ip.src -e ip.dst -e "
             "vxlan.flag_i -e vxlan.vni -e udp.dstport -e udp.checksum -e eth.src "
             "-E separator=/t -E occurrence=f" % pcap, check=False)
    # (sh() merges stderr: tshark's "Running as user root" line)
    rows = [r for r in (ln.split("\t") for ln in out.splitlines()) if len(r) == 7]
    chk.ok(len(rows) > 0, "tshark decodes VXLAN on the underlay", out[-2000:])
    dirs = set()
    for r in rows:
        src, dst, flag_i, vni, dport = r[0], r[1], r[2], r[3], r[4]
        dirs.add((src, dst))
        chk.eq(vni, "42", "VNI of %s -> %s" % (src, dst))
        chk.ok(flag_i in ("1", "True"), "I flag set in %s -> %s (got %r)" % (src, dst, flag_i))
        chk.eq(dport, "4789", "UDP destination port of %s -> %s" % (src, dst))
        if src == FERRY_IP:
            chk.ok(r[5] in ("0x0000", "0", "0x00000000"),
                   "ferry's outer UDP checksum is 0 (got %s)" % r[5])
    chk.ok((FERRY_IP, KV_IP) in dirs, "VXLAN from ferry to the kernel VTEP seen", str(dirs))
    chk.ok((KV_IP, FERRY_IP) in dirs, "VXLAN from the kernel VTEP to ferry seen", str(dirs))


def run(binary, chk, work):
    topology_up()
    pcap = os.path.join(work, "underlay.pcap")
    cap_log = open(os.path.join(work, "tshark.txt"), "w+")
    cap = subprocess.Popen(["ip", "netns", "exec", NS_KV, "tshark", "-q", "-i", "uk",
                            "-w", pcap, "-a", "duration:60"],
                           stdout=subprocess.DEVNULL, stderr=cap_log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and cap.poll() is None:
        cap_log.seek(0)
        if "Capturing on" in cap_log.read():
            break
        time.sleep(0.1)
    proc, out, port = start_ferry(binary, work)
    try:
        chk.set_group("start")
        if not chk.ok(port is not None, "ferry started and listens on its CLI",
                      open(out.name).read()[-3000:]):
            return
        chk.set_group("underlay")
        tun = wait_resolved(port)
        chk.ok(TUNNEL_RE.search(tun) is not None,
               "ferry resolved the kernel VTEP %s by ARP (pinned next hop)" % KV_IP, tun)
        chk.set_group("ping VM -> host (ARP flooded through both VTEPs)")
        p = ping(NS_VM, HOST_IP)
        chk.ok(received(p) >= 2, "VM pings the host behind ferry", p)
        chk.set_group("ping host -> VM")
        p = ping(NS_HOST, VM_IP)
        chk.ok(received(p) >= 2, "host pings the VM behind the kernel VTEP", p)

        cli = ft.Cli(port)
        try:
            macs = cli.cmd("show mac-table")
            drops = cli.cmd("show drops")
        finally:
            cli.close()
        chk.set_group("ferry learned")
        chk.ok(re.search(r"^1\s+%s\s+learned\s+vtep %s\s" % (VM_MAC.upper(), KV_IP),
                         macs, re.M) is not None,
               "VM MAC learned against the kernel VTEP %s" % KV_IP, macs)
        chk.ok(re.search(r"^1\s+%s\s+learned\s+host\s" % HOST_MAC.upper(), macs, re.M)
               is not None, "host MAC learned against interface host", macs)
        chk.set_group("kernel learned")
        fdb = sh("bridge fdb show dev vx42", ns=NS_KV)
        chk.ok(re.search(r"%s dst %s" % (HOST_MAC, FERRY_IP), fdb) is not None,
               "kernel FDB has the host MAC against ferry's %s" % FERRY_IP, fdb)
        chk.set_group("no unexpected drops")
        # l2_bad_source (a multicast or zero source MAC) and l2_other_host
        # are left out: a few such frames reach the host-side member now
        # and then (seen in CI, not understood yet; see doc/vxlan.md), and
        # they are counted and dropped as designed.
        bad = [ln for ln in drops.splitlines()
               if re.search(r"vxlan_|l2_hairpin", ln)
               and not re.search(r"\s0\s*$", ln)]
        chk.ok(not bad, "no VXLAN or bridging drops", drops)
        odd = [ln.strip() for ln in drops.splitlines()
               if re.search(r"l2_bad_source|l2_other_host", ln)
               and not re.search(r"\s0\s*$", ln)]
        if odd:
            print("note: frames dropped on the host side: %s" % "; ".join(odd))
    finally:
        code = stop_ferry(proc)
        chk.set_group("stop")
        chk.eq(code, 0, "ferry exit status after SIGTERM")
        cap.send_signal(signal.SIGINT)
        try:
            cap.wait(10)
        except subprocess.TimeoutExpired:
            cap.kill()
            cap.wait()
    chk.set_group("capture: VNI and I flag (tshark)")
    check_capture(chk, pcap)


def main():
    binary = ft.setup()
    why = can_run()
    if why is not None:
        ft.skip("vxlan interop: " + why)
    chk = ft.Checks("vxlan-interop")
    work = tempfile.mkdtemp(prefix="ferry-vxlan-interop-")
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
