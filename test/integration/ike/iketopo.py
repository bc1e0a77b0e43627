# SPDX-License-Identifier: BSD-3-Clause
"""Two strongSwan gateways through ferry (issue 16 acceptance, suite ike).

  ns HA               ferry (root ns, af_packet)        ns T (transit)       ns B (gateway B)        ns HB
  ha 10.81.1.2 --- lan 10.81.1.1   wan 10.80.0.1 --- t0 10.80.0.2           b0 10.80.1.2             hb 10.82.1.2
                                                     t1 10.80.1.1 ------- b1 10.82.1.1 ---------
  ns CP: ferry's TAP representor "fwan" of wan (10.80.0.1): charon A with
         kernel-ferry (its SAs and policies go to ferry over the IKE socket)
  ns B:  charon B with kernel-libipsec (ESP in charon's userspace on a TUN)

Gateway A is ferry + charon A: IKE (UDP 500/4500) to ferry's address
is punted to the TAP, charon A's answers are routed by ferry's FIB.
Gateway B's inner subnet 10.82.1.0/24 is reached through the IKE
tunnel: charon A's outbound policy installs ferry's route into the
tunnel's SA. charon B's kernel-libipsec always asks for UDP
encapsulation (it fakes a NAT: 5.9.8 has no raw ESP socket), so ESP
crosses the wire in UDP 4500 (RFC 3948) even without NAT. ns T routes between the two gateways and is where the
wire between them is watched (tshark). With nat=True, B sits behind a
NAT namespace instead (see NatTopo in test_ike_natt.py).

Names carry the PID so two runs never collide; every namespace and
process is removed at the end, also on failure. Each charon has its own
strongswan.conf (STRONGSWAN_CONF), piddir, vici socket and log in the
work directory, so nothing is shared with a system charon.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "control_plane"))
import ferrytest as ft  # noqa: E402
from cptopo import ping, wait_for  # noqa: E402,F401

CHARON = "/usr/lib/ipsec/charon"
SWANCTL = "/usr/sbin/swanctl"
PLUGINS = "/usr/lib/ipsec/plugins"
TSHARK = "/usr/bin/tshark"
PY = "/usr/bin/python3"

TAG = "%x" % (os.getpid() & 0xffff)
NS_HA, NS_T, NS_B, NS_HB, NS_CP = ("fiha" + TAG, "fit" + TAG, "fib" + TAG,
                                   "fihb" + TAG, "ficp" + TAG)
NS_N = "fin" + TAG      # the NAT in front of B (nat=True)
NFT = "/usr/sbin/nft"
# Behind the NAT, B has a private address; the NAT's public one is B_IP
# and it maps UDP source ports into NAT_PORTS (so not 4500 on the wire).
B_PRIV, NAT_INNER, NAT_PORTS = "192.168.9.2", "192.168.9.1", (40000, 40999)
WAN, LAN = "fiw" + TAG, "fil" + TAG     # ferry's veth ends (root ns)
TAP_WAN = "fwan"
FERRY_WAN, FERRY_LAN = "10.80.0.1", "10.81.1.1"
T_WAN, T_B, B_IP = "10.80.0.2", "10.80.1.1", "10.80.1.2"
HA_IP, B_INNER, HB_IP = "10.81.1.2", "10.82.1.1", "10.82.1.2"
NET_A, NET_B = "10.81.1.0/24", "10.82.1.0/24"
WAN_MAC, LAN_MAC = "02:00:00:80:00:01", "02:00:00:81:00:01"
HOST_MTU = 1400
PSK = "0sZmVycnktaWtlMi1wcmUtc2hhcmVkLWtleQ=="

FERRY_CFG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "fike{tag}"; }};
ports = (
  {{ name = "wan"; device = "net_af_packet0,iface={wan}"; mac = "{wan_mac}"; }},
  {{ name = "lan"; device = "net_af_packet1,iface={lan}"; mac = "{lan_mac}"; }}
);
interfaces = (
  {{ name = "wan"; port = "wan"; address = "{ferry_wan}/24"; }},
  {{ name = "lan"; port = "lan"; address = "{ferry_lan}/24"; }}
);
vrfs = ( {{ name = "default"; id = 0;
  routes = ( {{ prefix = "10.80.0.0/16"; via = "{t_wan}"; }} ); }} );
workers = ( {{ lcore = 1; rx = ( "wan:0", "lan:0" ); }} );
cli = {{ address = "127.0.0.1"; port = 0; socket = "{cli_sock}"; }};
ipsec = {{ ike_socket = "{ike_sock}"; }};
control_plane = {{
  representors = ( {{ interface = "wan"; name = "{tap}"; netns = "{ns_cp}"; }} );
}};
"""

# charon's strongswan.conf; A loads kernel-ferry before kernel-netlink
# (the first kernel-ipsec wins) and installs no routes (ferry routes).
CHARON_CONF = """charon {{
  load = random nonce aes sha1 sha2 hmac gcm kdf openssl {kernel} kernel-netlink socket-default vici
  piddir = {dir}
  install_routes = {routes}
  retransmit_timeout = 2.0
  retransmit_tries = 4
  {extra}
  filelog {{
    log {{
      path = {dir}/charon.log
      flush_line = yes
      default = 1
      ike = 2
      knl = 2
      cfg = 1
    }}
  }}
  plugins {{
    kernel-ferry {{ socket = {ike_sock} }}
    vici {{ socket = unix://{dir}/charon.vici }}
  }}
}}
"""

# swanctl.conf of one gateway: one IKE_SA, one CHILD_SA per entry of
# @p children ((name, local_ts, remote_ts)).
CONN = """connections {{
  {name} {{
    version = 2
    local_addrs = {local}
    remote_addrs = {remote}
    proposals = aes128-sha256-ecp256
    rekey_time = {ike_rekey}
    dpd_delay = {dpd_delay}
    {encap}
    local {{ auth = psk
            id = {local_id} }}
    remote {{ auth = psk
             id = {remote_id} }}
    children {{
{children}
    }}
  }}
}}
secrets {{
  ike-psk {{
    id-a = gw-a
    id-b = gw-b
    secret = {psk}
  }}
}}
"""

# rand_* 0: charon's default jitter is life - rekey, and it subtracts
# up to that from rekey (below zero when life is much larger).
CHILD = """      {name} {{
        local_ts = {local_ts}
        remote_ts = {remote_ts}
        esp_proposals = {esp}
        mode = tunnel
        rekey_time = {rekey_time}
        life_time = {life_time}
        rand_time = 0
        rekey_bytes = {rekey_bytes}
        life_bytes = {life_bytes}
        rand_bytes = 0
        rekey_packets = {rekey_packets}
        life_packets = {life_packets}
        rand_packets = 0
        dpd_action = {dpd_action}
        start_action = {start_action}
      }}
"""

ESP = {"aes-gcm-128": "aes128gcm16", "aes-cbc-128-sha256": "aes128-sha256"}

sh = ft.netns_sh


def can_run(tools=()):
    """None, or why this machine cannot run the two-gateway tests."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces and TAPs"
    for f in (CHARON, SWANCTL, TSHARK) + tuple(tools):
        if not os.path.exists(f):
            return "%s is not installed (scripts/install-deps.sh test)" % f
    for p, why in (("kernel-ferry", "scripts/build-kernel-ferry.sh "
                    "--install"),
                   ("kernel-libipsec", "libcharon-extra-plugins"),
                   ("gcm", "libstrongswan-standard-plugins"),
                   ("openssl", "libstrongswan-standard-plugins")):
        so = os.path.join(PLUGINS, "libstrongswan-%s.so" % p)
        if not os.path.exists(so):
            return "charon plugin %s missing (%s)" % (p, why)
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun: ferry's TAP and B's kernel-libipsec TUN"
    probe = "fiprobe" + TAG
    if subprocess.run(["ip", "netns", "add", probe],
                      stderr=subprocess.DEVNULL).returncode:
        return "cannot create a network namespace here"
    subprocess.run(["ip", "netns", "del", probe])
    return None


def ns_up(ns):
    sh("ip netns add %s" % ns)
    sh("ip link set lo up", ns=ns)
    for conf in ("all", "default"):
        sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % conf, ns=ns,
           check=False)


def nat_up():
    """B behind an nftables masquerade in NS_N: t1 - n0 (B_IP, public)
    NAT n1 - b0 (B_PRIV)."""
    ns_up(NS_N)
    ft.veth("t1", NS_T, "n0", NS_N)
    ft.veth("n1", NS_N, "b0", NS_B)
    sh("ip addr add %s/24 dev n0" % B_IP, ns=NS_N)
    sh("ip route add default via %s" % T_B, ns=NS_N)
    sh("ip addr add %s/24 dev n1" % NAT_INNER, ns=NS_N)
    sh("sysctl -qw net.ipv4.ip_forward=1", ns=NS_N)
    sh("%s add table ip nat" % NFT, ns=NS_N)
    sh("%s 'add chain ip nat post { type nat hook postrouting priority 100 ;"
       " }'" % NFT, ns=NS_N)
    sh("%s add rule ip nat post oifname n0 meta l4proto udp masquerade to "
       ":%d-%d" % ((NFT,) + NAT_PORTS), ns=NS_N)
    sh("%s add rule ip nat post oifname n0 masquerade" % NFT, ns=NS_N)
    sh("ip addr add %s/24 dev b0" % B_PRIV, ns=NS_B)
    sh("ip route add default via %s" % NAT_INNER, ns=NS_B)


def topology_up(nat=False):
    """Namespaces, veths and addresses (not ferry, not the charons)."""
    for ns in (NS_HA, NS_T, NS_B, NS_HB, NS_CP):
        ns_up(ns)
    ft.veth(LAN, None, "ha", NS_HA)
    ft.veth(WAN, None, "t0", NS_T)
    if nat:
        nat_up()
    else:
        ft.veth("t1", NS_T, "b0", NS_B)
        sh("ip addr add %s/24 dev b0" % B_IP, ns=NS_B)
        sh("ip route add default via %s" % T_B, ns=NS_B)
    ft.veth("b1", NS_B, "hb", NS_HB)
    # Room for ESP in UDP (up to 73 bytes, doc/ipsec.md): ferry drops
    # what exceeds the wan MTU and the hosts' TCP sizes its segments by
    # their own MTU.
    sh("ip link set ha mtu %d" % HOST_MTU, ns=NS_HA)
    sh("ip link set hb mtu %d" % HOST_MTU, ns=NS_HB)
    sh("ip addr add %s/24 dev ha" % HA_IP, ns=NS_HA)
    sh("ip route add default via %s" % FERRY_LAN, ns=NS_HA)
    sh("ip addr add %s/24 dev t0" % T_WAN, ns=NS_T)
    sh("ip addr add %s/24 dev t1" % T_B, ns=NS_T)
    sh("sysctl -qw net.ipv4.ip_forward=1", ns=NS_T)
    sh("ip addr add %s/24 dev b1" % B_INNER, ns=NS_B)
    sh("sysctl -qw net.ipv4.ip_forward=1", ns=NS_B)
    sh("ip addr add %s/24 dev hb" % HB_IP, ns=NS_HB)
    sh("ip route add default via %s" % B_INNER, ns=NS_HB)


def topology_down():
    for ns in (NS_HA, NS_T, NS_B, NS_HB, NS_CP, NS_N):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
    for dev in (WAN, LAN):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)


class Ferry:
    """ferry on this topology with its IKE socket."""

    def __init__(self, binary, work):
        self.work = work
        self.ike_sock = os.path.join(work, "ike.sock")
        self.cli_sock = os.path.join(work, "cli.sock")
        cfg = os.path.join(work, "ferry.cfg")
        with open(cfg, "w") as f:
            f.write(FERRY_CFG.format(
                tag=TAG, wan=WAN, lan=LAN, wan_mac=WAN_MAC, lan_mac=LAN_MAC,
                ferry_wan=FERRY_WAN, ferry_lan=FERRY_LAN, t_wan=T_WAN,
                cli_sock=self.cli_sock, ike_sock=self.ike_sock, tap=TAP_WAN,
                ns_cp=NS_CP))
        self.proc, self.log, port = ft.start_logged(binary, cfg, work,
                                                    timeout=60)
        if port is None:
            raise RuntimeError("ferry did not start: %s" % self.output())

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def cli(self, *lines):
        c = ft.Cli(path=self.cli_sock, timeout=60)
        try:
            return [c.cmd(line) for line in lines]
        finally:
            c.close()

    def cmd(self, line):
        return self.cli(line)[0]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def ike_sas(self):
        """{(spi, dir): {"reqid", "state", "packets", "bytes"}} of ferry's
        IKE SAs (`show ipsec sa`)."""
        return parse_ike_sas(self.cmd("show ipsec sa"))


def parse_ike_sas(out):
    res = {}
    for block in re.split(r"\n(?=sa \d)", out):
        m = re.match(r"sa (\d+) (in|out) (\S+)", block)
        r = re.search(r"ike reqid (\d+) tunnel (\d+)", block)
        c = re.search(r"state (\S+)\s+packets (\d+)\s+bytes (\d+)", block)
        if m and r and c:
            res[(int(m.group(1)), m.group(2))] = {
                "alg": m.group(3), "reqid": int(r.group(1)),
                "tunnel": int(r.group(2)), "state": c.group(1),
                "packets": int(c.group(2)), "bytes": int(c.group(3)),
                "nat-t": " nat-t" in block.split("\n")[0]}
    return res


def cp_up():
    """charon A's namespace: ferry's TAP is there once ferry runs."""
    if not wait_for(lambda: TAP_WAN in sh("ip -o link show", ns=NS_CP,
                                           check=False), 30):
        raise RuntimeError("ferry's TAP %s did not appear in %s"
                           % (TAP_WAN, NS_CP))
    wait_for(lambda: FERRY_WAN in sh("ip -o addr show dev %s" % TAP_WAN,
                                      ns=NS_CP, check=False), 30)
    sh("ip route replace default via %s dev %s" % (T_WAN, TAP_WAN), ns=NS_CP)


class Charon:
    """One charon in namespace @p ns with files of its own."""

    def __init__(self, work, name, ns, kernel, ike_sock="", extra=""):
        self.ns, self.name = ns, name
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "strongswan.conf")
        with open(self.conf, "w") as f:
            f.write(CHARON_CONF.format(
                kernel=kernel, dir=self.dir, ike_sock=ike_sock, extra=extra,
                routes="no" if kernel == "kernel-ferry" else "yes"))
        self.uri = "unix://%s/charon.vici" % self.dir
        self.proc = None

    def start(self):
        env = dict(os.environ, STRONGSWAN_CONF=self.conf)
        out = open(os.path.join(self.dir, "charon.out"), "a")
        # charon's pid file (/var/run/charon.pid) is compiled in: each
        # charon gets a /run of its own in the mount namespace that
        # `ip netns exec` makes for it.
        run = os.path.join(self.dir, "run")
        os.makedirs(run, exist_ok=True)
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns, "sh",
                                      "-c", 'mount --bind "$0" /run && '
                                      'exec "$1"', run, CHARON],
                                     env=env, stdout=out,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        vici = self.uri[len("unix://"):]
        if not wait_for(lambda: os.path.exists(vici) or
                        self.proc.poll() is not None, 60) or \
                self.proc.poll() is not None:
            raise RuntimeError("charon %s did not start: %s"
                               % (self.name, self.log()[-2000:]))

    def stop(self, sig=signal.SIGTERM):
        """Stop this charon (its PID only); SIGKILL models a crash."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        vici = self.uri[len("unix://"):]
        if os.path.exists(vici):
            os.unlink(vici)

    def log(self):
        p = os.path.join(self.dir, "charon.log")
        return open(p, errors="replace").read() if os.path.exists(p) else ""

    def swanctl(self, *args, check=True, timeout=120):
        p = subprocess.run([SWANCTL] + list(args) + ["--uri", self.uri],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("swanctl %s (%s): %s"
                               % (" ".join(args), self.name, p.stdout))
        return p.stdout

    def load(self, text):
        path = os.path.join(self.dir, "swanctl.conf")
        with open(path, "w") as f:
            f.write(text)
        return self.swanctl("--load-all", "--clear", "--noprompt",
                            "--file", path)

    def list_sas(self):
        return self.swanctl("--list-sas", check=False)

    def child_sas(self):
        """[(name, state, spi_in, spi_out, bytes_in, pkts_in, bytes_out,
        pkts_out)] of the INSTALLED CHILD_SAs (swanctl's pretty output)."""
        out = self.swanctl("--list-sas", "--raw", check=False)
        return parse_child_sas(out)


def parse_child_sas(raw):
    """CHILD_SAs of `swanctl --list-sas --raw` output."""
    res = []
    for m in re.finditer(r"child-sas \{(.*?)\}\s*\}", raw, re.S):
        for c in re.finditer(r"(\S+) \{([^{}]*)", m.group(1)):
            f = dict(re.findall(r"([\w-]+)=(\S+)", c.group(2)))
            if "spi-in" not in f:
                continue
            res.append({k: f.get(k) for k in (
                "name", "state", "reqid", "spi-in", "spi-out", "bytes-in",
                "packets-in", "bytes-out", "packets-out", "encr-alg",
                "integ-alg", "encap")} | {"key": c.group(1)})
    return res


def conn_text(name, local, remote, local_id, remote_id, children,
              ike_rekey=0, dpd_delay=0, encap=False):
    return CONN.format(name=name, local=local, remote=remote,
                       local_id=local_id, remote_id=remote_id,
                       ike_rekey=ike_rekey, dpd_delay=dpd_delay,
                       encap="encap = yes" if encap else "",
                       children="".join(children), psk=PSK)


def child_text(name, local_ts, remote_ts, esp, rekey_time=0, life_time=0,
               rekey_bytes=0, life_bytes=0, rekey_packets=0, life_packets=0,
               dpd_action="clear", start_action="none"):
    # life_time 0 lets charon derive it (rekey_time + 10 %); say so.
    if rekey_time and not life_time:
        life_time = rekey_time * 2
    return CHILD.format(name=name, local_ts=local_ts, remote_ts=remote_ts,
                        esp=esp, rekey_time=rekey_time, life_time=life_time,
                        rekey_bytes=rekey_bytes, life_bytes=life_bytes,
                        rekey_packets=rekey_packets,
                        life_packets=life_packets, dpd_action=dpd_action,
                        start_action=start_action)


class Capture:
    """tshark on @p dev in @p ns into a pcap, until stop()."""

    def __init__(self, work, ns, dev, name, filt="esp or udp"):
        self.path = os.path.join(work, name + ".pcap")
        self.err = open(os.path.join(work, name + ".tshark"), "w+")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, TSHARK, "-n", "-i", dev, "-f", filt,
             "-w", self.path], stdout=subprocess.DEVNULL, stderr=self.err,
            stdin=subprocess.DEVNULL)

        def capturing():
            self.err.seek(0)
            return "Capturing on" in self.err.read() or \
                self.proc.poll() is not None
        wait_for(capturing, 60)

    def stop(self):
        """The packets captured (scapy), after tshark wrote them out."""
        if self.proc.poll() is None:
            time.sleep(1)   # tshark flushes what it has seen
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            from scapy.all import rdpcap
            return rdpcap(self.path)
        except (OSError, ValueError, EOFError):
            return []


def esp_summary(pkts):
    """Counts of ESP, ESP-in-UDP 4500 and clear inner packets seen."""
    from scapy.all import IP, UDP
    esp = natt = clear = 0
    inner = ("10.81.1.", "10.82.1.")
    for p in pkts:
        if IP not in p:
            continue
        ip = p[IP]
        if ip.proto == 50:
            esp += 1
        elif UDP in p and 4500 in (p[UDP].sport, p[UDP].dport) and \
                len(bytes(p[UDP].payload)) > 8 and \
                bytes(p[UDP].payload)[:4] != b"\0\0\0\0":
            natt += 1
        if ip.src.startswith(inner) or ip.dst.startswith(inner):
            clear += 1
    return esp, natt, clear


class TcpTransfer:
    """A bounded TCP transfer HA -> HB of @p size bytes: a Python sink in
    HB that counts the bytes and a sender in HA."""

    SINK = ("import socket,sys\n"
            "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,"
            "socket.SO_REUSEADDR,1); s.bind(('0.0.0.0',%d)); s.listen(1)\n"
            "s.settimeout(%d); c,_=s.accept(); c.settimeout(%d); n=0\n"
            "while True:\n"
            "    b=c.recv(65536)\n"
            "    if not b: break\n"
            "    n+=len(b)\n"
            "print('received',n); sys.stdout.flush()\n")
    SEND = ("import socket,sys,time\n"
            "for i in range(60):\n"
            "    try:\n"
            "        c=socket.create_connection(('%s',%d),timeout=10); break\n"
            "    except OSError: time.sleep(0.5)\n"
            "c.settimeout(%d); c.sendall(bytes(range(256))*(%d//256))\n"
            "c.shutdown(socket.SHUT_WR); c.recv(1); print('sent')\n")

    def __init__(self, size=2 * 1024 * 1024, port=5201, timeout=120):
        self.size, self.port, self.timeout = size, port, timeout

    def run(self):
        """Bytes the sink received (-1 if it reported nothing)."""
        sink = subprocess.Popen(
            ["ip", "netns", "exec", NS_HB, PY, "-c",
             self.SINK % (self.port, self.timeout, self.timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True)
        try:
            subprocess.run(["ip", "netns", "exec", NS_HA, PY, "-c",
                            self.SEND % (HB_IP, self.port, self.timeout,
                                         self.size)],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL,
                           timeout=self.timeout + 60)
            out, _ = sink.communicate(timeout=self.timeout + 30)
        except subprocess.TimeoutExpired:
            sink.kill()
            out, _ = sink.communicate()
        m = re.search(r"received (\d+)", out or "")
        return int(m.group(1)) if m else -1


class Env:
    """The whole test bed: topology, ferry, charon A and charon B."""

    def __init__(self, binary, work, b_extra="", a_extra="", nat=False):
        self.binary, self.work, self.nat = binary, work, nat
        self.extra = (a_extra, b_extra)
        self.ferry = self.a = self.b = None

    def up(self):
        binary, work = self.binary, self.work
        a_extra, b_extra = self.extra
        topology_up(self.nat)
        self.ferry = Ferry(binary, work)
        cp_up()
        self.a = Charon(work, "charon-a", NS_CP, "kernel-ferry",
                        self.ferry.ike_sock, a_extra)
        self.b = Charon(work, "charon-b", NS_B, "kernel-libipsec",
                        extra=b_extra)
        self.a.start()
        self.b.start()

    def down(self):
        for c in (self.a, self.b):
            if c is not None:
                c.stop()
        return self.ferry.stop() if self.ferry is not None else None


def main(what, run, tools=(), nat=False):
    """A test's main: skip (exit 77) with the reason when the machine
    cannot run it, else run(env, chk) and tear everything down (also on
    failure; FERRY_TEST_KEEP keeps the work directory)."""
    binary = ft.setup()
    why = can_run(tools)
    if why is not None:
        ft.skip("ike %s: %s" % (what, why))
    chk = ft.Checks("ike-" + what)
    work = tempfile.mkdtemp(prefix="ferry-ike-%s-" % what)
    env = None
    try:
        env = Env(binary, work, nat=nat)
        env.up()
        run(env, chk)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        chk.fail("the test bed failed", str(e))
    finally:
        status = env.down() if env is not None else None
        if env is not None and env.ferry is not None:
            chk.eq(status, 0, "ferry exit status",
                   env.ferry.output()[-3000:])
        topology_down()
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())
