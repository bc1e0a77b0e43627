# SPDX-License-Identifier: BSD-3-Clause
"""The benchmark scenarios: for each, the traffic (built with scapy once
and cached), ferry's configuration, and the DPDK peer run on the same
capture, if there is one.

Every ferry configuration has the same frame: port "in" replays the
capture forever (net_pcap infinite_rx=1), port "out" is a net_null
sink, one worker on lcore 1 polls both, the management lcore is 0.
"""
import os
import random
import struct

try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether, Dot1Q
except ImportError:
    raise SystemExit("bench: run with Debian's /usr/bin/python3 (python3-scapy)")

# Pages a run reserves (2 MB each): 100 VRFs of rte_lpm need ~7.5 GB
# (each VRF's tbl24 alone is 64 MB).
HUGEPAGES = 4300

IN_MAC, OUT_MAC, NH_MAC, SRC_MAC = ("02:00:00:00:00:10", "02:00:00:00:00:11",
                                    "02:00:00:00:00:22", "02:00:00:00:00:99")
TRAFFIC_VERSION = 2

FRAME = """
eal = {{ lcores = "0-1"; memory = {memory}; huge = {huge}; in_memory = false;
	file_prefix = "{prefix}"; }};
buffers = {{ mbufs = {mbufs}; }};
ports = (
	{{ name = "in"; device = "net_pcap0,rx_pcap={pcap},infinite_rx=1";
	  mac = "{in_mac}"; }},
	{{ name = "out"; device = "net_null0,no-rx=1"; mac = "{out_mac}"; }}
);
workers = ( {{ lcore = 1; rx = ( "in:0", "out:0" ); }} );
cli = {{ port = 0; }};
"""


def write_pcap(path, frames):
    """A classic pcap of raw frames (faster than scapy's writer)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(p), len(p)) + p)
    os.rename(tmp, path)


def udp_frame(src, dst, sport, dport, size, eth=None, ttl=64):
    eth = eth if eth is not None else Ether(dst=IN_MAC, src=SRC_MAC)
    hdr = len(eth) + 20 + 8
    return bytes(eth / IP(src=src, dst=dst, ttl=ttl) /
                 UDP(sport=sport, dport=dport) / (b"x" * max(0, size - hdr)))


HEADLINE = ("ipv4-1k-4kflows", "ipv6-1k-4kflows", "mpls-push", "vxlan-encap", "acl-10000",
            "esp-out-aes-gcm-128-60", "esp-in-aes-gcm-128-60")


def cached_pcap(cache, key, frames):
    """The capture @key, built by @frames() the first time."""
    d = os.path.join(cache, "traffic")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "%s-v%d.pcap" % (key, TRAFFIC_VERSION))
    if not os.path.exists(path):
        random.seed(1)
        write_pcap(path, frames())
    return path


class Peer:
    """A DPDK example app run on the same capture (or, with @frames, on
    its own capture of the same shape, where it parses another format)."""

    def __init__(self, name, app, memory, command, loop_fn=None, ipp_fn=None,
                 ipp_burst=32, frames=None, files=None):
        self.name, self.app, self.memory = name, app, memory
        self.command = command
        self.loop_fn, self.ipp_fn, self.ipp_burst = loop_fn, ipp_fn, ipp_burst
        self.frames = frames
        self.files = files  # () -> {name: text} built beside its sources


class Case:
    def __init__(self, name, size, frames, config, peer=None, quick=False,
                 ipp=True, mbufs=16383, memory=1024, floor=True):
        self.name, self.size, self.floor = name, size, floor
        self._frames, self._config = frames, config
        self.peer, self.quick, self.ipp = peer, quick, ipp
        self.more_peers = []  # a row each, beside the first peer's
        self.mbufs, self.memory = mbufs, memory
        self.ipp_fn = "eth_input_process"
        self.fanout = 1  # packets out per packet in (replication)
        # The default run keeps within 10 minutes: callgrind only for a
        # job's headline case, and the ESP peer only for the algorithms
        # issue 5 names; --full runs every instruction count and peer.
        self.headline = name in HEADLINE
        self.peer_full_only = False
        self.pcap = None
        self.traffic_key = name

    def traffic(self, cache):
        return cached_pcap(cache, self.traffic_key, self._frames)

    def has_ferry(self):
        return self._config is not None

    def ferry_config(self, pcap, prefix, huge, mbufs):
        return FRAME.format(memory=self.memory, huge=huge, prefix=prefix,
                            mbufs=mbufs, pcap=pcap, in_mac=IN_MAC,
                            out_mac=OUT_MAC) + self._config()


# ---------------------------------------------------------------- IPv4

def l3fwd_routes():
    """l3fwd's case from PEERS.md: 1024 /24s, all to one next hop."""
    return ["10.%d.%d.0/24" % (r // 256, r % 256) for r in range(1024)]


def ipv4_frames(flows, size=60):
    def gen():
        out = []
        n = 4096 if flows == 1 else flows
        for i in range(n):
            if flows == 1:
                dst, sport = "10.0.1.1", 1000
            else:
                r = random.randrange(1024)
                dst = "10.%d.%d.%d" % (r // 256, r % 256, random.randrange(1, 255))
                sport = 1024 + i % flows
            out.append(udp_frame("192.168.1.%d" % (i % 250 + 1), dst, sport,
                                 2000 + (i // 50000), size))
        return out
    return gen


def ipv4_config():
    routes = ",\n\t".join('{ prefix = "%s"; via = "172.16.0.2"; }' % p
                          for p in l3fwd_routes())
    return """
interfaces = (
	{ name = "in"; port = "in"; address = "192.168.1.254/24"; },
	{ name = "out"; port = "out"; address = "172.16.0.1/24"; }
);
vrfs = ( { name = "default"; id = 0; routes = ( %s ); } );
neighbours = ( { interface = "out"; address = "172.16.0.2";
	mac = "%s"; } );
""" % (routes, NH_MAC)


def l3fwd_routes6():
    """The IPv6 counterpart: 1024 /48s, all to one next hop."""
    return ["2001:db8:%x::/48" % r for r in range(1024)]


def ipv6_frames(flows, size=62):
    """UDP over IPv6 to random hosts of the 1024 /48s (62 bytes: the
    smallest IPv6/UDP frame, the IPv4 case's 60 plus the wider header)."""
    def gen():
        out = []
        eth = Ether(dst=IN_MAC, src=SRC_MAC)
        for i in range(flows):
            r = random.randrange(1024)
            dst = "2001:db8:%x:%x::%x" % (r, random.randrange(65536),
                                          random.randrange(1, 65535))
            pkt = eth / IPv6(src="2001:db8:ffff::%x" % (i % 250 + 1), dst=dst) / \
                UDP(sport=1024 + i % flows, dport=2000)
            out.append(bytes(pkt / (b"x" * max(0, size - len(pkt)))))
        return out
    return gen


def ipv6_config():
    routes = ",\n\t".join('{ prefix = "%s"; via = "2001:db8:ff00::2"; }' % p
                          for p in l3fwd_routes6())
    return """
interfaces = (
	{ name = "in"; port = "in"; address6 = "2001:db8:ffff::fe/64"; },
	{ name = "out"; port = "out"; address6 = "2001:db8:ff00::1/64"; }
);
vrfs = ( { name = "default"; id = 0; routes6 = ( %s ); } );
neighbours6 = ( { interface = "out"; address = "2001:db8:ff00::2";
	mac = "%s"; } );
ip6 = { dad_ms = 0; };
""" % (routes, NH_MAC)


def l3fwd_command(binary, case, prefix, mem, work):
    rules4 = os.path.join(work, "l3fwd_rules_v4.cfg")
    rules6 = os.path.join(work, "l3fwd_rules_v6.cfg")
    with open(rules4, "w") as f:
        f.write("".join("R%s 1\n" % p for p in l3fwd_routes()))
    with open(rules6, "w") as f:
        f.write("".join("R%s 1\n" % p for p in l3fwd_routes6()))
    return [binary, "-l", "1", "--no-pci", "--file-prefix", prefix] + mem + [
        "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % case.pcap,
        "--vdev", "net_null0,no-rx=1", "--", "-p", "0x3", "-P",
        "--lookup=lpm", "--config=(0,0,1)", "--parse-ptype",
        "--rule_ipv4=" + rules4, "--rule_ipv6=" + rules6]


L3FWD = Peer("l3fwd-lpm", "l3fwd", 512, l3fwd_command,
             loop_fn="lpm_main_loop", ipp_fn="lpm_cb_parse_ptype")


def l3fwd_graph_routes():
    """l3fwd's routes as l3fwd-graph's compiled-in array (peers.py)."""
    rows = []
    for p in l3fwd_routes():
        a, b, c, _ = p.split("/")[0].split(".")
        rows.append("\t{RTE_IPV4(%s, %s, %s, 0), 24, 1},\n" % (a, b, c))
    return {"bench_routes.h": "".join(rows)}


def l3fwd_graph_command(binary, case, prefix, mem, work):
    # its worker may not be the main lcore: lcore 0 idles, as ferry's
    # management lcore does
    return [binary, "-l", "0,1", "--no-pci", "--file-prefix", prefix] + mem + [
        "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % case.pcap,
        "--vdev", "net_null0,no-rx=1", "--", "-p", "0x3", "-P",
        "--config=(0,0,1)"]


# DPDK's graph app: rte_node's ip4_lookup (rte_lpm x4) and ip4_rewrite,
# the like-for-like design. Its rx node asks for 256 packets a burst,
# which net_pcap's infinite rx always fills.
L3FWD_GRAPH = Peer("l3fwd-graph", "l3fwd-graph", 512, l3fwd_graph_command,
                   loop_fn="graph_main_loop", ipp_fn="bench_rx_burst",
                   ipp_burst=256, files=l3fwd_graph_routes)


def vrf100_frames():
    out = []
    for i in range(8192):
        v = i % 100
        r = random.randrange(10000)
        dst = "10.%d.%d.%d" % (r // 256 % 256, r % 256, random.randrange(1, 255))
        eth = Ether(dst=IN_MAC, src=SRC_MAC) / Dot1Q(vlan=100 + v)
        out.append(udp_frame("192.168.%d.1" % v, dst, 1024 + i, 2000, 64, eth=eth))
    return out


def vrf100_config():
    ifs, vrfs = [], []
    for v in range(100):
        ifs.append('{ name = "in%d"; port = "in"; vlan = %d; '
                   'address = "192.168.%d.254/24"; vrf = "v%d"; }'
                   % (v, 100 + v, v, v))
        ifs.append('{ name = "out%d"; port = "out"; vlan = %d; '
                   'address = "172.16.%d.1/24"; vrf = "v%d"; }'
                   % (v, 100 + v, v, v))
        routes = ", ".join('{ prefix = "10.%d.%d.0/24"; via = "172.16.%d.2"; }'
                           % (r // 256 % 256, r % 256, v) for r in range(10000))
        vrfs.append('{ name = "v%d"; id = %d; max_routes = 10240; routes = ( %s ); }'
                    % (v, v + 1, routes))
    nbrs = ", ".join('{ interface = "out%d"; address = "172.16.%d.2"; mac = "%s"; }'
                     % (v, v, NH_MAC) for v in range(100))
    return ("interfaces = (\n\t%s\n);\nvrfs = (\n\t%s\n);\nneighbours = ( %s );\n"
            % (",\n\t".join(ifs), ",\n\t".join(vrfs), nbrs))


# ---------------------------------------------------------------- MPLS

PE_IFACES = """
interfaces = (
  { name = "ce"; port = "in"; address = "192.168.101.1/24"; vrf = "cust-a"; },
  { name = "core"; port = "out"; address = "10.0.12.1/29"; vrf = "default"; }
);
neighbours = ( { interface = "core"; address = "10.0.12.2"; mac = "%s"; } );
""" % NH_MAC

MPLS_CONFIGS = {
    "push": PE_IFACES + """
vrfs = ( { name = "cust-a"; id = 1; } );
mpls = { interfaces = ( "core" );
  lsps = ( { pe = "10.255.0.2"; interface = "core"; via = "10.0.12.2"; labels = "16002"; } );
  vpn_routes = ( { vrf = "cust-a"; prefix = "192.168.200.0/24"; pe = "10.255.0.2";
                   label = 2001; } ); };
""",
    "swap": """
interfaces = (
  { name = "to-pe1"; port = "in"; address = "10.0.12.2/29"; vrf = "default"; },
  { name = "to-pe2"; port = "out"; address = "10.0.23.1/30"; vrf = "default"; }
);
neighbours = ( { interface = "to-pe2"; address = "10.0.23.2"; mac = "%s"; } );
mpls = { interfaces = ( "to-pe1", "to-pe2" );
  lfib = ( { label = 16002; action = "swap"; out_labels = "24002";
             interface = "to-pe2"; via = "10.0.23.2"; } ); };
""" % NH_MAC,
    "pop": """
interfaces = (
  { name = "core"; port = "in"; address = "10.0.23.2/30"; vrf = "default"; },
  { name = "ce"; port = "out"; address = "192.168.102.1/24"; vrf = "cust-a"; }
);
vrfs = ( { name = "cust-a"; id = 1; routes = (
  { prefix = "192.168.200.0/24"; via = "192.168.102.20"; } ); } );
neighbours = ( { interface = "ce"; address = "192.168.102.20"; mac = "%s"; } );
mpls = { interfaces = ( "core" );
  vrfs = ( { vrf = "cust-a"; rd = "65000:1"; label = 2001; } );
  lfib = ( { label = 24002; action = "pop"; } ); };
""" % NH_MAC,
}

# 6VPE push (RFC 4659): IPv6 customer routes over the same IPv4 LSP.
MPLS_CONFIGS["push6"] = """
interfaces = (
  { name = "ce"; port = "in"; address6 = "2001:db8:101::1/64"; vrf = "cust-a"; },
  { name = "core"; port = "out"; address = "10.0.12.1/29"; vrf = "default"; }
);
neighbours = ( { interface = "core"; address = "10.0.12.2"; mac = "%s"; } );
vrfs = ( { name = "cust-a"; id = 1; } );
ip6 = { dad_ms = 0; };
mpls = { interfaces = ( "core" );
  lsps = ( { pe = "10.255.0.2"; interface = "core"; via = "10.0.12.2"; labels = "16002"; } );
  vpn_routes6 = ( { vrf = "cust-a"; prefix = "2001:db8:200::/48"; pe = "10.255.0.2";
                    label = 2001; } ); };
""" % NH_MAC

MPLS_STACKS = {"push": [], "swap": [(16002, 0), (2001, 1)],
               "pop": [(24002, 0), (2001, 1)]}


def mpls_frames(role, size=60):
    def gen():
        out = []
        stack = MPLS_STACKS[role]
        for i in range(256):
            ip = IP(src="192.168.101.%d" % (10 + i % 32),
                    dst="192.168.200.%d" % (i % 64), ttl=64, id=i) / \
                UDP(sport=1024 + i, dport=5001)
            hdr = b"".join(struct.pack("!I", lab << 12 | s << 8 | 64)
                           for lab, s in stack)
            eth = bytes(Ether(dst=IN_MAC, src=NH_MAC,
                              type=0x8847 if stack else 0x0800))
            pad = size - len(eth) - len(hdr) - len(ip)
            out.append(eth + hdr + bytes(IP(bytes(ip / (b"x" * pad)))))
        return out
    return gen


def mpls_push6_frames(size=62):
    """UDP over IPv6 from CE hosts to 256 hosts of the 6VPE route (62
    bytes, as the IPv6 forwarding case)."""
    def gen():
        out = []
        eth = Ether(dst=IN_MAC, src=NH_MAC)
        for i in range(256):
            pkt = eth / IPv6(src="2001:db8:101::%x" % (10 + i % 32),
                             dst="2001:db8:200::%x" % (i % 64 + 1), hlim=64) / \
                UDP(sport=1024 + i, dport=5001)
            out.append(bytes(pkt / (b"x" * max(0, size - len(pkt)))))
        return out
    return gen


# ---------------------------------------------------------------- ESP
# The tunnel of PEERS.md (with SPIs >= 256): outbound SA SPI_OUT
# (172.16.1.5 -> 172.16.2.5) for 192.168.105.0/24, inbound SPI_IN for
# 192.168.115.0/24. Sizes are the plaintext frame (Ethernet, no FCS).

ESP_ALGOS = {
    # name: (scapy crypt, scapy auth, key bytes, salt/auth key bytes)
    "aes-gcm-128": ("AES-GCM", "NULL", 16, 4),
    "aes-gcm-256": ("AES-GCM", "NULL", 32, 4),
    "aes-cbc-128-sha1": ("AES-CBC", "HMAC-SHA1-96", 16, 20),
    "aes-cbc-256-sha256": ("AES-CBC", "SHA2-256-128", 32, 32),
    "chacha20-poly1305": ("CHACHA20-POLY1305", "NULL", 32, 4),
}
# SPIs 1-255 are reserved (RFC 4303 2.1); ferry refuses them.
SPI_OUT, SPI_IN = 4101, 4201
ESP_KEY_OUT = bytes(range(0x00, 0x40))
ESP_KEY_IN = bytes(range(0x40, 0x80))
IMIX = [(60, 7), (570, 4), (1514, 1)]   # simple IMIX, frames without FCS


def esp_sizes(size):
    return [s for s, n in IMIX for _ in range(n)] if size == "imix" else [size]


def esp_plain_frames(size, dst_net):
    def gen():
        out = []
        sizes = esp_sizes(size)
        for i in range(2048):
            sz = sizes[i % len(sizes)]
            out.append(udp_frame("192.168.1.%d" % (i % 250 + 1),
                                 "%s.%d" % (dst_net, i % 250 + 1),
                                 1024 + i, 5001, sz))
        return out
    return gen


def esp_sa(algo, spi, key, src, dst):
    from scapy.layers.ipsec import SecurityAssociation
    crypt, auth, klen, extra = ESP_ALGOS[algo]
    kw = {"crypt_algo": crypt, "crypt_key": key[:klen + (extra if auth == "NULL" else 0)]}
    if auth != "NULL":
        kw.update(auth_algo=auth, auth_key=key[32:32 + extra])
    return SecurityAssociation(
        proto=__import__("scapy.layers.ipsec", fromlist=["ESP"]).ESP, spi=spi,
        tunnel_header=IP(src=src, dst=dst), **kw)


def esp_frames(size, algo):
    """Inbound ESP (SPI_IN) carrying the plain frames of esp_plain_frames."""
    def gen():
        sa = esp_sa(algo, SPI_IN, ESP_KEY_IN, "172.16.2.5", "172.16.1.5")
        out = []
        for i, raw in enumerate(esp_plain_frames(size, "192.168.115")()):
            inner = Ether(raw)[IP]
            enc = sa.encrypt(inner, seq_num=i + 1,
                             iv=struct.pack("!Q", i + 1) * 2
                             if "cbc" in algo else struct.pack("!Q", i + 1))
            out.append(bytes(Ether(dst=IN_MAC, src=SRC_MAC) / enc))
        return out
    return gen


def ferry_sa(direction, spi, algo, key, local, remote, inner="ipv4"):
    _, auth, klen, extra = ESP_ALGOS[algo]
    keys = 'key = "%s";' % key[:klen].hex()
    if auth == "NULL":
        keys += ' salt = "%s";' % key[klen:klen + 4].hex()
    else:
        keys += ' auth_key = "%s";' % key[32:32 + extra].hex()
    # replay_window 0: the looping capture repeats sequence numbers (as
    # ipsec-secgw without -w)
    return ('{ spi = %d; direction = "%s"; local = "%s"; remote = "%s";\n'
            '\t  underlay_vrf = "default"; inner_vrf = "site"; algorithm = "%s";\n'
            '\t  inner = "%s"; %s%s }' % (spi, direction, local, remote, algo,
                                          inner, keys, " replay_window = 0;"
                                          if direction == "in" else ""))


def esp_config(direction, algo):
    """The same tunnel as ipsec-secgw's: plain side in VRF "site", the
    ESP side in the default VRF."""
    if direction == "out":
        ifaces = """
	{ name = "lan"; port = "in"; address = "192.168.1.254/24"; vrf = "site"; },
	{ name = "wan"; port = "out"; address = "172.16.2.1/24"; vrf = "default"; }"""
        nbr = '{ interface = "wan"; address = "172.16.2.5"; mac = "%s"; }' % NH_MAC
        routes = ""
    else:
        ifaces = """
	{ name = "wan"; port = "in"; address = "172.16.1.5/24"; vrf = "default"; },
	{ name = "lan"; port = "out"; address = "192.168.116.1/24"; vrf = "site"; }"""
        nbr = '{ interface = "lan"; address = "192.168.116.2"; mac = "%s"; }' % NH_MAC
        routes = 'routes = ( { prefix = "192.168.115.0/24"; via = "192.168.116.2"; } );'
    sas = ",\n\t".join([
        ferry_sa("out", SPI_OUT, algo, ESP_KEY_OUT, "172.16.1.5", "172.16.2.5"),
        ferry_sa("in", SPI_IN, algo, ESP_KEY_IN, "172.16.1.5", "172.16.2.5")])
    return lambda: """
interfaces = (%s
);
vrfs = ( { name = "site"; id = 1; %s } );
neighbours = ( %s );
ipsec = {
	sas = (
	%s
	);
	routes = ( { vrf = "site"; prefix = "192.168.105.0/24"; sa = %d; } );
};
""" % (ifaces, routes, nbr, sas, SPI_OUT)


# ESP with IPv6 inside (issue 17): the tunnel of esp_config, IPv4 outer,
# IPv6 customer prefixes 2001:db8:105::/48 (out) and 2001:db8:115::/48
# (in). 62 bytes is the smallest IPv6/UDP frame (the IPv4 case's 60).

def esp6_plain_frames(size, dst_net):
    def gen():
        out = []
        eth = Ether(dst=IN_MAC, src=SRC_MAC)
        for i in range(2048):
            pkt = eth / IPv6(src="2001:db8:1::%x" % (i % 250 + 1),
                             dst="%s::%x" % (dst_net, i % 250 + 1)) / \
                UDP(sport=1024 + i, dport=5001)
            out.append(bytes(pkt / (b"x" * max(0, size - len(pkt)))))
        return out
    return gen


def esp6_frames(size, algo):
    """Inbound ESP (SPI_IN, IPv4 outer) carrying IPv6 frames."""
    def gen():
        sa = esp_sa(algo, SPI_IN, ESP_KEY_IN, "172.16.2.5", "172.16.1.5")
        out = []
        for i, raw in enumerate(esp6_plain_frames(size, "2001:db8:115")()):
            enc = sa.encrypt(Ether(raw)[IPv6], seq_num=i + 1,
                             iv=struct.pack("!Q", i + 1))
            out.append(bytes(Ether(dst=IN_MAC, src=SRC_MAC) / enc))
        return out
    return gen


def esp6_config(direction, algo):
    if direction == "out":
        ifaces = """
	{ name = "lan"; port = "in"; address6 = "2001:db8:1::fe/64"; vrf = "site"; },
	{ name = "wan"; port = "out"; address = "172.16.2.1/24"; vrf = "default"; }"""
        nbr = ('neighbours = ( { interface = "wan"; address = "172.16.2.5"; '
               'mac = "%s"; } );' % NH_MAC)
        routes = ""
    else:
        ifaces = """
	{ name = "wan"; port = "in"; address = "172.16.1.5/24"; vrf = "default"; },
	{ name = "lan"; port = "out"; address6 = "2001:db8:116::1/64"; vrf = "site"; }"""
        nbr = ('neighbours6 = ( { interface = "lan"; address = "2001:db8:116::2"; '
               'mac = "%s"; } );' % NH_MAC)
        routes = ('routes6 = ( { prefix = "2001:db8:115::/48"; '
                  'via = "2001:db8:116::2"; } );')
    sas = ",\n\t".join([
        ferry_sa("out", SPI_OUT, algo, ESP_KEY_OUT, "172.16.1.5", "172.16.2.5",
                 "ipv6"),
        ferry_sa("in", SPI_IN, algo, ESP_KEY_IN, "172.16.1.5", "172.16.2.5",
                 "ipv6")])
    return lambda: """
interfaces = (%s
);
vrfs = ( { name = "site"; id = 1; %s } );
%s
ip6 = { dad_ms = 0; };
ipsec = {
	sas = (
	%s
	);
	routes6 = ( { vrf = "site"; prefix = "2001:db8:105::/48"; sa = %d; } );
};
""" % (ifaces, routes, nbr, sas, SPI_OUT)


def secgw_key(key, n):
    return ":".join("%02x" % b for b in key[:n])


def secgw_sa(direction, spi, algo, key, src, dst):
    crypt, auth, klen, extra = ESP_ALGOS[algo]
    if crypt == "AES-GCM":
        alg = "aead_algo aes-%d-gcm aead_key %s" % (klen * 8,
                                                     secgw_key(key, klen + 4))
    else:
        alg = ("cipher_algo aes-%d-cbc cipher_key %s auth_algo %s auth_key %s"
               % (klen * 8, secgw_key(key, klen),
                  "sha1-hmac" if auth == "HMAC-SHA1-96" else "sha256-hmac",
                  secgw_key(key[32:], extra)))
    return ("sa %s %d %s mode ipv4-tunnel src %s dst %s type cpu-crypto\n"
            % (direction, spi, alg, src, dst))


def secgw_command(direction):
    """ipsec-secgw, librte_ipsec path (-l), cpu-crypto: PEERS.md's setup.
    Port 0 is the unprotected (ESP) side, port 1 the protected side."""
    def cmd(binary, case, prefix, mem, work):
        cfg = os.path.join(work, "secgw-%s.cfg" % case.name)
        with open(cfg, "w") as f:
            f.write("sp ipv4 out esp protect %d pri 1 dst 192.168.105.0/24 "
                    "sport 0:65535 dport 0:65535\n" % SPI_OUT)
            f.write("sp ipv4 in esp protect %d pri 1 dst 192.168.115.0/24 "
                    "sport 0:65535 dport 0:65535\n" % SPI_IN)
            f.write(secgw_sa("out", SPI_OUT, case.algo, ESP_KEY_OUT,
                             "172.16.1.5", "172.16.2.5"))
            f.write(secgw_sa("in", SPI_IN, case.algo, ESP_KEY_IN,
                             "172.16.2.5", "172.16.1.5"))
            f.write("rt ipv4 dst 172.16.2.5/32 port 0\n"
                    "rt ipv4 dst 192.168.115.0/24 port 1\n"
                    "neigh port 0 02:00:00:00:00:aa\n"
                    "neigh port 1 02:00:00:00:00:bb\n")
        pcap = "net_pcap0,rx_pcap=%s,infinite_rx=1" % case.pcap
        sink = "net_null0,no-rx=1"
        ports = [sink, pcap] if direction == "out" else [pcap, sink]
        return [binary, "-l", "1", "--no-pci", "--file-prefix", prefix] + mem + [
            "--vdev", "crypto_aesni_mb", "--vdev", ports[0], "--vdev", ports[1],
            "--", "-p", "0x3", "-P", "-u", "0x1",
            "--config=(0,0,1),(1,0,1)", "-f", cfg, "-l"]
    return cmd


SECGW = {d: Peer("ipsec-secgw", "ipsec-secgw", 1024, secgw_command(d),
                 loop_fn="ipsec_poll_mode_worker", ipp_fn="parse_ptype_cb",
                 ipp_burst=16) for d in ("out", "in")}


CRYPTO_PERF_ARGS = {
    "aes-gcm-128": "--optype aead --aead-algo aes-gcm --aead-op encrypt "
                   "--aead-key-sz 16 --aead-iv-sz 12 --aead-aad-sz 8 --digest-sz 16",
    "aes-gcm-256": "--optype aead --aead-algo aes-gcm --aead-op encrypt "
                   "--aead-key-sz 32 --aead-iv-sz 12 --aead-aad-sz 8 --digest-sz 16",
    "aes-cbc-128-sha1": "--optype cipher-then-auth --cipher-algo aes-cbc "
                        "--cipher-op encrypt --cipher-key-sz 16 --cipher-iv-sz 16 "
                        "--auth-algo sha1-hmac --auth-op generate --auth-key-sz 20 "
                        "--digest-sz 12",
    "aes-cbc-256-sha256": "--optype cipher-then-auth --cipher-algo aes-cbc "
                          "--cipher-op encrypt --cipher-key-sz 32 --cipher-iv-sz 16 "
                          "--auth-algo sha2-256-hmac --auth-op generate "
                          "--auth-key-sz 32 --digest-sz 16",
    "chacha20-poly1305": "--optype aead --aead-algo chacha20-poly1305 "
                         "--aead-op encrypt --aead-key-sz 32 --aead-iv-sz 12 "
                         "--aead-aad-sz 8 --digest-sz 16",
}


class RawCrypto:
    """IPsec-MB's own speed through DPDK's crypto_aesni_mb PMD: the
    ceiling for ESP at that buffer size (dpdk-test-crypto-perf)."""

    peer = None
    quick = False

    def __init__(self, algo, size):
        self.algo, self.size = algo, size
        self.name = "crypto-raw-%s-%d" % (algo, size)

    def command(self, prefix, mem):
        return (["dpdk-test-crypto-perf", "-l", "0,1", "--no-pci",
                 "--file-prefix", prefix] + mem +
                ["--vdev", "crypto_aesni_mb", "--", "--ptest", "throughput",
                 "--devtype", "crypto_aesni_mb"] + CRYPTO_PERF_ARGS[self.algo].split() +
                ["--buffer-sz", str(self.buffer_size()), "--total-ops", "4000000",
                 "--burst-sz", "32", "--silent"])

    def buffer_size(self):
        """CBC takes whole 16-byte blocks: 1420 is measured as 1424."""
        if "cbc" in self.algo and self.size % 16:
            return self.size + 16 - self.size % 16
        return self.size

    @staticmethod
    def parse(out):
        """MOps from crypto-perf's throughput table."""
        for line in out.splitlines():
            f = line.split()
            if len(f) == 10 and f[0].isdigit():
                return float(f[7])
        raise RuntimeError("no throughput line")


# ---------------------------------------------------------------- VXLAN
# A VTEP at 10.0.0.1 on the underlay, bridge domain 1 (VNI 42) with one
# member "h"; a MAC behind VTEP 10.0.0.2, a MAC behind the member, and a
# flood list of 1 (encap, decap) or 8 VTEPs (bum8: replication).

def vxlan_config(role):
    vteps = ["10.0.0.%d" % (2 + k) for k in range(8 if role == "bum8" else 1)]
    under, host = ("in", "out") if role == "decap" else ("out", "in")
    nbrs = ", ".join('{ interface = "under"; address = "%s"; '
                     'mac = "02:00:00:00:aa:%02x"; }' % (v, 2 + k)
                     for k, v in enumerate(vteps))
    return lambda: """
interfaces = (
	{ name = "under"; port = "%s"; address = "10.0.0.1/24"; },
	{ name = "h"; port = "%s"; }
);
neighbours = ( %s );
vxlan = { local = "10.0.0.1";
	bridge_domains = ( { id = 1; vni = 42; interfaces = ( "h" );
		flood = ( %s );
		static_macs = ( { mac = "02:00:00:00:5a:01"; remote = "10.0.0.2"; },
			{ mac = "02:00:00:00:5b:01"; interface = "h"; } ); } ); };
""" % (under, host, nbrs, ", ".join('"%s"' % v for v in vteps))


def vxlan_inner(i, dst):
    return (Ether(dst=dst, src="02:00:00:00:01:%02x" % (i % 16)) /
            IP(src="192.168.1.%d" % (i % 250 + 1), dst="192.168.2.1") /
            UDP(sport=1000 + i, dport=2000) / (b"x" * 18))


def vxlan_frames(role):
    def gen():
        from scapy.layers.vxlan import VXLAN
        if role == "decap":
            # scapy's VXLAN() defaults to GPE flags: set the I flag only
            return [bytes(Ether(dst=IN_MAC, src="02:00:00:00:aa:02") /
                          IP(src="10.0.0.2", dst="10.0.0.1") /
                          UDP(sport=49152 + i, dport=4789, chksum=0) /
                          VXLAN(flags=0x08, vni=42) /
                          vxlan_inner(i, "02:00:00:00:5b:01"))
                    for i in range(256)]
        dst = "ff:ff:ff:ff:ff:ff" if role == "bum8" else "02:00:00:00:5a:01"
        return [bytes(vxlan_inner(i, dst)) for i in range(256)]
    return gen


# The same over an IPv6 underlay (issue 17): local6 2001:db8:f::1, the
# remote VTEP 2001:db8:f::2 (a static ND entry), the MAC behind it by
# remote6; decap frames carry a right UDP checksum (mandatory over IPv6),
# encap computes one per packet.

def vxlan6_config(role):
    under, host = ("in", "out") if role == "decap" else ("out", "in")
    return lambda: """
interfaces = (
	{ name = "under"; port = "%s"; address = "10.0.0.1/24";
	  address6 = "2001:db8:f::1/64"; },
	{ name = "h"; port = "%s"; }
);
neighbours6 = ( { interface = "under"; address = "2001:db8:f::2";
	mac = "02:00:00:00:aa:02"; } );
ip6 = { dad_ms = 0; };
vxlan = { local6 = "2001:db8:f::1";
	bridge_domains = ( { id = 1; vni = 42; interfaces = ( "h" );
		flood = ( "2001:db8:f::2" );
		static_macs = ( { mac = "02:00:00:00:5a:01"; remote6 = "2001:db8:f::2"; },
			{ mac = "02:00:00:00:5b:01"; interface = "h"; } ); } ); };
""" % (under, host)


def vxlan6_frames(role):
    def gen():
        from scapy.layers.vxlan import VXLAN
        if role == "decap":
            return [bytes(Ether(dst=IN_MAC, src="02:00:00:00:aa:02") /
                          IPv6(src="2001:db8:f::2", dst="2001:db8:f::1") /
                          UDP(sport=49152 + i, dport=4789) /
                          VXLAN(flags=0x08, vni=42) /
                          vxlan_inner(i, "02:00:00:00:5b:01"))
                    for i in range(256)]
        return [bytes(vxlan_inner(i, "02:00:00:00:5a:01")) for i in range(256)]
    return gen


# ---------------------------------------------------------------- ACL
# ipv4_config's router with an ACL of N rules on "in" (default deny):
# rule i permits udp from 10.H.L.0/24 to dport 1000 + i % 4000 (every
# 8th a port range, every 16th with a DSCP); the last permits all udp,
# so half the frames hit their own rule and half fall through to it.

def acl_rule(i):
    port = '"2000-2999"' if i % 8 == 7 else '"%d"' % (1000 + i % 4000)
    extra = ' dscp = "af41";' if i % 16 == 15 else ""
    return ('{ src = "10.%d.%d.0/24"; proto = "udp"; dport = %s;%s }'
            % (i // 256 % 256, i % 256, port, extra))


def acl_config(n):
    def gen():
        rules = [acl_rule(i) for i in range(n - 1)] + ['{ proto = "udp"; }']
        return ipv4_config() + (
            'acls = ( { name = "bench"; default = "deny"; interfaces = ( "in" );\n'
            '  rules = (\n    ' + ",\n    ".join(rules) + ' ); } );\n')
    return gen


def acl_frames(n):
    def gen():
        out = []
        for k in range(4096):
            i = (k * 7919) % max(n - 1, 1)
            hit = k % 2 == 0
            dport = ((1000 + i % 4000) if i % 8 != 7 else 2500) if hit else 9
            r = random.randrange(1024)
            out.append(udp_frame("10.%d.%d.%d" % (i // 256 % 256, i % 256, 1 + k % 200),
                                 "10.%d.%d.1" % (r // 256, r % 256), 40000 + k % 20000,
                                 dport, 60))
        return out
    return gen


# ---------------------------------------------------------------- QoS

def qinq_frames():
    """qos_sched's input (PEERS.md): outer VLAN 0 = subport, inner VLAN =
    pipe 0-4095, destination address's last octet = queue."""
    out = []
    for i in range(8192):
        eth = Ether(dst=IN_MAC, src=SRC_MAC) / Dot1Q(vlan=0) / Dot1Q(vlan=i % 4096)
        out.append(udp_frame("192.168.1.1", "10.0.0.%d" % (i % 16), 1024, 5001,
                             60, eth=eth))
    return out


def qos_sched_command(binary, case, prefix, mem, work):
    """qos_sched on 2 CPUs as PEERS.md found it must run: RX on CPU 0,
    worker + TX on CPU 1, the main lcore (stats) on CPU 0; bursts of 64."""
    return [binary, "--lcores", "0@0,1@1,2@0", "--main-lcore", "2", "--no-pci",
            "--file-prefix", prefix] + mem + [
        "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % case.peer_pcap,
        "--vdev", "net_null0,no-rx=1", "--", "--pfc", "0,1,0,1", "--mnc", "2",
        "--cfg", "/usr/share/dpdk/examples/qos_sched/profile.cfg",
        "--bsz", "64,64,64,64", "--msz", "524288"]


QOS_DSCPS = (0, 8, 10, 16, 18, 26, 34, 46)


def qos_config(n):
    """ipv4_config's router with a scheduler of @n classes on "out" at
    100 Gbit/s (never the bottleneck, so all its cost shows), classes
    chosen by DSCP (8 values in the input)."""
    def gen():
        classes = []
        for i in range(n):
            dscp = ' dscp = [ "%d" ];' % QOS_DSCPS[i] if i < len(QOS_DSCPS) else ""
            classes.append('{ id = %d; rate = %dL; priority = %d;%s }'
                           % (i + 1, 50000000000 // n, i % 4, dscp))
        return ipv4_config() + (
            'qos = { ports = ( { port = "out"; rate = 100000000000L; '
            'default_class = 1; classes = (\n\t%s ); } ); };\n'
            % ",\n\t".join(classes))
    return gen


def qos_frames():
    out = []
    for i in range(4096):
        r = random.randrange(1024)
        out.append(bytes(Ether(dst=IN_MAC, src=SRC_MAC) /
                         IP(src="192.168.1.%d" % (i % 250 + 1),
                            dst="10.%d.%d.1" % (r // 256, r % 256),
                            tos=QOS_DSCPS[i % len(QOS_DSCPS)] << 2) /
                         UDP(sport=1000 + i % 1000, dport=2000) / (b"x" * 18)))
    return out


QOS_SCHED = Peer("qos_sched", "qos_sched", 3072, qos_sched_command,
                 frames=qinq_frames)


# ---------------------------------------------------------------- PE chains
# The PE's whole walk on one core: the customer's ACL (10 rules, classes
# by destination port), the VRF lookup, then MPLS push (or ESP), then the
# core port's scheduler (8 classes at 100 Gbit/s, so none holds back).

CHAIN_ACL = """
acls = ( { name = "cust"; default = "deny"; interfaces = ( "ce" ); rules = (
%s,
	{ proto = "udp"; class = 1; } ); } );
""" % ",\n".join('\t{ proto = "udp"; dport = "%d"; class = %d; }'
                 % (5001 + i, 1 + i % 8) for i in range(9))

CHAIN_QOS = """
qos = { ports = ( { port = "out"; rate = 100000000000L; default_class = 1;
	classes = ( %s ); } ); };
""" % ", ".join("{ id = %d; rate = 10000000000L; }" % (i + 1) for i in range(8))


def chain_mpls_config():
    return MPLS_CONFIGS["push"] + CHAIN_ACL + CHAIN_QOS


def chain_esp_config():
    """The gateway's walk: ACL on the LAN, VRF, ESP encrypt, then the WAN
    port's scheduler."""
    return esp_config("out", "aes-gcm-128")() + CHAIN_ACL.replace(
        '"ce"', '"lan"') + CHAIN_QOS


# ---------------------------------------------------------------- list

def all_cases():
    cases = [
        Case("ipv4-1k-1flow", 60, ipv4_frames(1), ipv4_config, peer=L3FWD),
        # l3fwd's mempool (8192) must also hold the preloaded capture:
        # 4096 frames is the most it runs with, so 10k flows is ferry only.
        Case("ipv4-1k-4kflows", 60, ipv4_frames(4096), ipv4_config,
             peer=L3FWD, quick=True),
        Case("ipv4-1k-10kflows", 60, ipv4_frames(10240), ipv4_config,
             mbufs=32767),
        Case("ipv6-1k-4kflows", 62, ipv6_frames(4096), ipv6_config,
             peer=L3FWD, quick=True),
        Case("ipv4-1k-1420", 1420, ipv4_frames(4096, 1420), ipv4_config,
             peer=L3FWD, ipp=False),
        # no callgrind run: loading a million routes under valgrind takes
        # longer than the whole suite may
        Case("ipv4-100vrf-10k", 64, vrf100_frames, vrf100_config,
             memory=8000, ipp=False),
    ]
    for c in cases:
        if c.name.startswith("ipv4-") and c.peer is L3FWD:
            c.more_peers = [L3FWD_GRAPH]
    for role in ("push", "swap", "pop"):
        cases.append(Case("mpls-" + role, 60, mpls_frames(role),
                          lambda r=role: MPLS_CONFIGS[r], quick=role == "push"))
    cases.append(Case("mpls-push6", 62, mpls_push6_frames(),
                      lambda: MPLS_CONFIGS["push6"]))
    for role in ("encap", "decap", "bum8"):
        c = Case("vxlan-" + role, 60, vxlan_frames(role), vxlan_config(role),
                 quick=role == "encap")
        c.fanout = 8 if role == "bum8" else 1
        cases.append(c)
    for role in ("encap", "decap"):
        cases.append(Case("vxlan6-" + role, 60, vxlan6_frames(role),
                          vxlan6_config(role)))
    for n in (10, 1000, 10000):
        cases.append(Case("acl-%d" % n, 60, acl_frames(n), acl_config(n),
                          quick=n == 1000))
    cases.append(Case("pe-chain-mpls", 60, mpls_frames("push"),
                      chain_mpls_config, quick=True))
    c = Case("pe-chain-esp", 60, esp_plain_frames(60, "192.168.105"),
             chain_esp_config)
    c.traffic_key = "esp-plain-60"
    cases.append(c)
    for n in (8, 1024):
        cases.append(Case("qos-%dclasses" % n, 60, qos_frames, qos_config(n),
                          peer=QOS_SCHED, ipp=False, quick=n == 8))
    for algo in ESP_ALGOS:
        for size in (60, 512, 1420, "imix"):
            nbytes = size if size != "imix" else \
                round(sum(s * n for s, n in IMIX) / sum(n for _, n in IMIX))
            for d in ("out", "in"):
                frames = (esp_plain_frames(size, "192.168.105") if d == "out"
                          else esp_frames(size, algo))
                c = Case("esp-%s-%s-%s" % (d, algo, size), nbytes, frames,
                         esp_config(d, algo), ipp=size == 60 and algo in (
                             "aes-gcm-128", "aes-cbc-256-sha256"),
                         floor=size == 60,
                         peer=SECGW[d] if algo != "chacha20-poly1305" else None,
                         quick=algo == "aes-gcm-128" and size == 60)
                c.algo, c.direction = algo, d
                c.peer_full_only = algo not in ("aes-gcm-128",
                                                "aes-cbc-256-sha256")
                if d == "out":
                    c.traffic_key = "esp-plain-%s" % size
                cases.append(c)
    for size in (62, 1420):
        for d in ("out", "in"):
            frames = (esp6_plain_frames(size, "2001:db8:105") if d == "out"
                      else esp6_frames(size, "aes-gcm-128"))
            c = Case("esp6-%s-aes-gcm-128-%d" % (d, size), size, frames,
                     esp6_config(d, "aes-gcm-128"), ipp=size == 62,
                     floor=size == 62)
            c.algo, c.direction = "aes-gcm-128", d
            cases.append(c)
    for algo in ESP_ALGOS:
        for size in (64, 512, 1420):
            cases.append(RawCrypto(algo, size))
    import cp_cases  # noqa: E402 (it builds on this module)
    cases += cp_cases.cases()
    return cases


def select(names, quick):
    cases = all_cases()
    if names:
        return [c for c in cases if any(c.name.startswith(n) for n in names)]
    return [c for c in cases if c.quick or not quick]
