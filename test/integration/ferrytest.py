# SPDX-License-Identifier: BSD-3-Clause
"""ferrytest: run the real ferry binary on net_pcap ports and check what
comes out, packet by packet and counter by counter.

A test script does:

    import ferrytest as ft
    binary = ft.setup()                      # argv[1]; exits 77 to skip
    chk = ft.Checks("routing")
    tr = ft.Traffic(["p0", "p1", "p2"])
    tag = tr.tag()
    tr.add("p0", ft.eth(P0_MAC, HOST_MAC) / ft.ip_packet(tag, src, dst, 100))
    res = ft.run_ferry(binary, TEMPLATE, tr)  # start, wait, stop, read pcaps
    if res.check_run(chk):                    # harness-level problems
        out = ft.Outputs(res)
        chk.set_group("1 cust-a forwarding")
        ft.expect_forward(chk, out, tr, tag, "p2", CORE_MAC, P2_MAC, vlan=10)
        ...
        out.check_unclaimed(chk)              # nothing else came out
        res.check_counters(chk, tr, drops={...})
    sys.exit(chk.summary())

Every input packet carries a tag: its IPv4 id, and a marker "<FTnnnnn>" at
the start of its L4 payload (or of the frame's payload for non-IP frames).
Output packets are matched back to inputs by the marker, ICMP errors by the
IP id of the header they quote. See README.md in this folder.
"""

import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77  # meson's "skipped" exit status

try:
    from scapy.layers.inet import IP, UDP, TCP, ICMP, IPOption_NOP, IPOption_EOL
    from scapy.layers.l2 import ARP, Dot1Q, Ether
    from scapy.layers.inet6 import IPv6
    from scapy.contrib.mpls import MPLS
    # for the test scripts, which use them as ft.ARP, ft.IPv6, ...
    SCAPY_LAYERS = (ARP, Dot1Q, Ether, IP, UDP, TCP, ICMP, IPOption_NOP, IPOption_EOL,
                    IPv6, MPLS)
    HAVE_SCAPY = True
except ImportError:  # reported by setup(); keeps the import of this module safe
    HAVE_SCAPY = False

DPDK_RUN_DIR = "/var/run/dpdk"
CLI_PROMPT = "ferry> "
CLI_LINE_RE = re.compile(r"ferry: cli listening on ([0-9.]+):([0-9]+)")
CLI_SOCKET_RE = re.compile(r"ferry: cli socket (\S+)")
MARKER_RE = re.compile(rb"<FT([0-9]{5})>")

START_TIMEOUT = 20.0   # s until "cli listening" on stdout
DONE_TIMEOUT = 30.0    # s until every input packet was received and settled
STOP_TIMEOUT = 10.0    # s from SIGTERM to exit
POLL_INTERVAL = 0.1    # s between two "show counters"
STABLE_POLLS = 3       # polls in a row with unchanged output: "settled"


# --------------------------------------------------------------------------
# Start-up: arguments and skips

def skip(reason):
    print("SKIP: " + reason)
    sys.stdout.flush()
    sys.exit(SKIP)


def setup(argv=None):
    """Return the ferry binary named in argv[1]; exit 77 if the test cannot
    run here (no scapy in this python, binary not built)."""
    argv = sys.argv if argv is None else argv
    if not HAVE_SCAPY:
        skip("%s cannot import scapy (run the tests with Debian's "
             "/usr/bin/python3 and python3-scapy)" % sys.executable)
    if len(argv) < 2:
        skip("no ferry binary given (usage: %s FERRY_BINARY)" % argv[0])
    binary = os.path.abspath(argv[1])
    if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
        skip("ferry binary %s is missing or not executable "
             "(build it: ninja -C BUILD app/ferry)" % binary)
    return binary


def here(script_file, *rel):
    """Path relative to the directory of @p script_file."""
    return os.path.join(os.path.dirname(os.path.abspath(script_file)), *rel)


# --------------------------------------------------------------------------
# Check bookkeeping: every check is counted; a test passes only if at least
# one check ran and none failed.

class Checks:
    def __init__(self, name):
        self.name = name
        self.group = "-"
        self.n_ok = 0
        self.failures = []  # (group, what, detail)
        self.groups = {}    # group -> [ok, failed]

    def set_group(self, group):
        """Name the case the next checks belong to (printed in the report)."""
        self.group = group
        self.groups.setdefault(group, [0, 0])

    def ok(self, cond, what, detail=""):
        g = self.groups.setdefault(self.group, [0, 0])
        if cond:
            self.n_ok += 1
            g[0] += 1
            return True
        g[1] += 1
        self.failures.append((self.group, what, detail))
        print("FAIL [%s] %s%s" % (self.group, what,
                                  ("\n      " + detail.replace("\n", "\n      "))
                                  if detail else ""))
        sys.stdout.flush()
        return False

    def eq(self, got, want, what, detail=""):
        return self.ok(got == want, "%s: got %s, expected %s" % (what, fmt(got), fmt(want)),
                       detail)

    def fail(self, what, detail=""):
        return self.ok(False, what, detail)

    def summary(self):
        print()
        print("=== %s: per case (passed/failed checks)" % self.name)
        empty = [g for g, (a, b) in self.groups.items() if a + b == 0]
        for g, (a, b) in self.groups.items():
            state = "FAIL" if b else "EMPTY" if not a else "ok"
            print("  %-5s %-40s %4d ok %4d failed" % (state, g, a, b))
        for g in empty:  # a case that checked nothing must not look passed
            self.failures.append((g, "no check ran for this case", ""))
        total = self.n_ok + len(self.failures)
        if self.failures:
            print("=== %s: FAILED %d of %d checks" % (self.name, len(self.failures), total))
            for g, what, _ in self.failures:
                print("  [%s] %s" % (g, what))
            return 1
        if total == 0:
            print("=== %s: FAILED: no check ran" % self.name)
            return 1
        print("=== %s: PASSED all %d checks" % (self.name, total))
        return 0


def fmt(v):
    if isinstance(v, bytes):
        return v.hex() if len(v) <= 64 else v[:64].hex() + "..."
    if isinstance(v, int) and not isinstance(v, bool) and v > 255:
        return "%d (0x%x)" % (v, v)
    return repr(v)


# --------------------------------------------------------------------------
# pcap files (classic format; written and read without scapy so that the
# bytes are exactly what we put in and what ferry put out)

def write_pcap(path, frames, base_time=1700000000):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(frames):
            p = bytes(p)
            f.write(struct.pack("<IIII", base_time, i, len(p), len(p)))
            f.write(p)


def read_pcap(path):
    """Frames of a classic pcap file (any byte order, us or ns)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: %d bytes, not a pcap file" % (path, len(data)))
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = ">"
    else:
        raise ValueError("%s: bad pcap magic 0x%08x" % (path, magic))
    linktype = struct.unpack(e + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError("%s: link type %d, expected 1 (Ethernet)" % (path, linktype))
    frames, off = [], 24
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError("%s: truncated record header at %d" % (path, off))
        _, _, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        if off + incl > len(data):
            raise ValueError("%s: truncated record at %d" % (path, off))
        if incl != orig:
            raise ValueError("%s: record %d captured %d of %d bytes"
                             % (path, len(frames), incl, orig))
        frames.append(data[off:off + incl])
        off += incl
    return frames


# --------------------------------------------------------------------------
# Inputs

def marker(tag):
    return b"<FT%05d>" % tag


def fill(tag, n):
    """@p n payload bytes starting with the tag's marker."""
    m = marker(tag)
    if n < len(m):
        raise ValueError("payload of %d bytes cannot hold a marker" % n)
    body = bytes((tag + i) & 0xff for i in range(n - len(m)))
    return m + body


class Traffic:
    """Input frames per port, each with a unique tag (0x4000 + n)."""

    def __init__(self, ports):
        self.ports = list(ports)
        self.frames = {p: [] for p in self.ports}
        self.by_tag = {}  # tag -> (port, frame bytes)
        self._next = 0x4000

    def tag(self):
        t = self._next
        self._next += 1
        assert t < 100000
        return t

    def add(self, port, frame, tag=None):
        """Queue @p frame (scapy packet or bytes) on @p port's input."""
        raw = bytes(frame)
        self.frames[port].append(raw)
        if tag is None:
            m = MARKER_RE.search(raw)
            tag = int(m.group(1)) if m else None
        if tag is not None:
            assert tag not in self.by_tag, "tag %d used twice" % tag
            self.by_tag[tag] = (port, raw)
        return tag

    def __getitem__(self, tag):
        return self.by_tag[tag][1]

    def total(self):
        return sum(len(v) for v in self.frames.values())


def ip_packet(tag, src, dst, total_len, proto="udp", ttl=64, df=False,
              tos=0, **kw):
    """An IPv4 packet of exactly @p total_len bytes whose id is @p tag and
    whose L4 payload starts with the marker. proto: udp, tcp, icmp (echo
    request), icmp-reply."""
    ip = IP(src=src, dst=dst, id=tag & 0xffff, ttl=ttl, tos=tos,
            flags="DF" if df else 0)
    if proto == "udp":
        l4 = UDP(sport=kw.get("sport", 40000 + tag % 1000), dport=kw.get("dport", 5001))
    elif proto == "tcp":
        l4 = TCP(sport=kw.get("sport", 40000 + tag % 1000), dport=kw.get("dport", 80),
                 seq=kw.get("seq", 1000 * tag), flags=kw.get("tcp_flags", "PA"),
                 window=8192)
    elif proto == "icmp":
        l4 = ICMP(type=8, code=0, id=kw.get("icmp_id", tag), seq=kw.get("icmp_seq", 1))
    elif proto == "icmp-reply":
        l4 = ICMP(type=0, code=0, id=kw.get("icmp_id", tag), seq=kw.get("icmp_seq", 1))
    else:
        raise ValueError(proto)
    hdr = ip / l4
    n = total_len - len(hdr)
    p = IP(bytes(hdr / fill(tag, n)))
    assert len(p) == total_len, (len(p), total_len)
    return p


def eth(dst, src, vlan=None):
    """Ethernet header, with an 802.1Q tag if @p vlan is given."""
    if vlan is None:
        return Ether(dst=dst, src=src)
    return Ether(dst=dst, src=src) / Dot1Q(vlan=vlan)


def pad60(frame):
    """Pad a frame to the 60-byte Ethernet minimum, as a NIC would."""
    raw = bytes(frame)
    return raw + b"\0" * max(0, 60 - len(raw))


# --------------------------------------------------------------------------
# Checksums and raw header access

def inet_cksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip_cksum_ok(hdr):
    """(ok, field, recomputed) for the IPv4 header bytes @p hdr."""
    field = struct.unpack("!H", hdr[10:12])[0]
    want = inet_cksum(hdr[:10] + b"\0\0" + hdr[12:])
    return field == want, field, want


def l2_split(raw):
    """(dst, src, vlan or None, ethertype, l3 offset) of an Ethernet frame."""
    dst = mac_str(raw[0:6])
    src = mac_str(raw[6:12])
    et = struct.unpack("!H", raw[12:14])[0]
    if et == 0x8100 and len(raw) >= 18:
        tci = struct.unpack("!H", raw[14:16])[0]
        et2 = struct.unpack("!H", raw[16:18])[0]
        return dst, src, tci, et2, 18
    return dst, src, None, et, 14


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def hexdump(raw, limit=128):
    s = raw[:limit].hex()
    lines = [s[i:i + 64] for i in range(0, len(s), 64)]
    if len(raw) > limit:
        lines.append("... (%d bytes)" % len(raw))
    return "\n".join(lines)


def describe(raw):
    try:
        return "%d B: %s" % (len(raw), Ether(raw).summary())
    except Exception:  # noqa: BLE001 - a description must never raise
        return "%d B: %s" % (len(raw), raw[:32].hex())


# --------------------------------------------------------------------------
# CLI client

def strip_telnet(data):
    """Remove telnet IAC sequences (RFC 854/855) from @p data."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b != 0xff:
            out.append(b)
            i += 1
            continue
        if i + 1 >= n:
            break
        c = data[i + 1]
        if c == 0xff:           # escaped 0xff
            out.append(0xff)
            i += 2
        elif c in (0xfb, 0xfc, 0xfd, 0xfe):  # WILL WONT DO DONT <opt>
            i += 3
        elif c == 0xfa:         # SB ... IAC SE
            j = data.find(b"\xff\xf0", i + 2)
            i = n if j < 0 else j + 2
        else:
            i += 2
    return bytes(out)


class CliError(Exception):
    pass


class Cli:
    """A line-mode session on ferry's CLI: telnet on @p host:@p port, or
    the Unix socket @p path (privileged: what tests that change things
    use, see Running.cli()). @p timeout bounds the wait for each prompt:
    generous, because a command that takes the management lcore a while
    (an ACL rebuild, a reload) on a loaded machine is slow, not wrong;
    tests assert answers, never how fast."""

    def __init__(self, port=None, host="127.0.0.1", timeout=30.0, path=None):
        self.timeout = timeout
        if path is not None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(path)
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        self.raw = b""
        self.banner = self._until_prompt()

    def _text(self):
        t = strip_telnet(self.raw).replace(b"\r", b"").replace(b"\0", b"")
        return t.decode("utf-8", "replace")

    def _until_prompt(self):
        deadline = time.monotonic() + self.timeout
        while True:
            text = self._text()
            if text.endswith(CLI_PROMPT):
                self.raw = b""
                return text[:-len(CLI_PROMPT)]
            left = deadline - time.monotonic()
            if left <= 0:
                raise CliError("no prompt %r within %.0f s; received %r"
                               % (CLI_PROMPT, self.timeout, text[-500:]))
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise CliError("CLI closed the connection; received %r" % text[-500:])
            self.raw += chunk

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self._until_prompt()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


PORT_LINE_RE = re.compile(
    r"^\s*port\s+(\S+)\s+rx\s+(\d+)\s+tx\s+(\d+)\s+rx-missed\s+(\d+)\s+"
    r"rx-errors\s+(\d+)\s+tx-errors\s+(\d+)(?:\s+[a-z-]+\s+\d+)*\s*$")
DROP_LINE_RE = re.compile(r"^\s*drop\s+(\S+)\s+(\d+)\s*$")
NODE_LINE_RE = re.compile(r"^\s*node\s+(\S+)\s+(\d+)\s*$")


class Counters:
    def __init__(self, text):
        self.text = text
        self.ports, self.drops, self.nodes = {}, {}, {}
        for line in text.splitlines():
            m = PORT_LINE_RE.match(line)
            if m:
                v = [int(x) for x in m.groups()[1:]]
                self.ports[m.group(1)] = dict(zip(
                    ("rx", "tx", "rx-missed", "rx-errors", "tx-errors"), v))
                continue
            m = DROP_LINE_RE.match(line)
            if m:
                self.drops[m.group(1)] = self.drops.get(m.group(1), 0) + int(m.group(2))
                continue
            m = NODE_LINE_RE.match(line)
            if m:
                self.nodes[m.group(1)] = int(m.group(2))

    def rx_total(self):
        return sum(p["rx"] for p in self.ports.values())


def parse_show_drops(text):
    """{reason: count} from `show drops` lines "REASON COUNT DESCRIPTION"."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([a-z][a-z0-9_]*)\s+(\d+)(\s|$)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


# --------------------------------------------------------------------------
# Running ferry

def dpdk_run_entries():
    """Every path under /var/run/dpdk, resolved (/run/dpdk/...); empty set
    if it does not exist."""
    top = os.path.realpath(DPDK_RUN_DIR)
    found = set()
    if os.path.lexists(top):
        found.add(top)
        for root, dirs, files in os.walk(top):
            for n in dirs + files:
                found.add(os.path.join(root, n))
    return found


def dpdk_run_holders():
    """{pid: set of paths under /var/run/dpdk} that live processes have
    open, mapped or bound as a unix socket. Tells ferry's own files from
    those of other DPDK processes running on the machine at the same time."""
    top = os.path.realpath(DPDK_RUN_DIR) + "/"
    alias = DPDK_RUN_DIR + "/"

    def norm(path):  # /var/run/dpdk/x and /run/dpdk/x are the same file
        return top + path[len(alias):] if path.startswith(alias) else path

    sockets = {}
    try:
        with open("/proc/net/unix") as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if len(parts) >= 8 and norm(parts[7]).startswith(top):
                    sockets[parts[6]] = norm(parts[7])
    except OSError:
        pass
    held = {}
    for pid in (int(d) for d in os.listdir("/proc") if d.isdigit()):
        paths = set()
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                try:
                    t = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                except OSError:
                    continue
                if norm(t).startswith(top):
                    paths.add(norm(t))
                elif t.startswith("socket:[") and t[8:-1] in sockets:
                    paths.add(sockets[t[8:-1]])
            with open("/proc/%d/maps" % pid) as f:
                for line in f:
                    f6 = line.split(None, 5)
                    path = norm(f6[5].strip().replace(" (deleted)", "")) if len(f6) == 6 else ""
                    if path.startswith(top):
                        paths.add(path)
        except OSError:
            continue
        if paths:
            held[pid] = paths
    return held


class Result:
    def __init__(self):
        self.workdir = None
        self.problems = []      # harness-level failures (text)
        self.fatal = False      # True: no outputs worth checking
        self.counters = None    # Counters of the last poll
        self.show_drops = None  # {reason: count} of `show drops`, or None
        self.show_drops_text = ""
        self.outputs = {}       # port -> [frame bytes]
        self.stdout = ""
        self.stderr = ""
        self.exit_code = None
        self.ports = []
        self.extra = {}         # command -> output of extra_cmds
        self.dpdk_files_used = set()  # paths under /var/run/dpdk ferry held

    def check_run(self, chk):
        """Report harness-level problems as failed checks. True if the
        outputs can be checked."""
        chk.set_group("run")
        for p in self.problems:
            chk.fail(p)
        if not self.problems:
            chk.ok(True, "ferry ran and stopped cleanly")
        return not self.fatal

    def check_counters(self, chk, traffic, drops, tx_slack=None):
        """Port counters against inputs/outputs and drop counters against
        @p drops: {reason: count or set of allowed counts}; a reason not
        named must not be counted at all."""
        chk.set_group("counters")
        c = self.counters
        if c is None:
            chk.fail("no counters were read")
            return
        tx_slack = tx_slack or {}
        for port in traffic.ports:
            pc = c.ports.get(port)
            if not chk.ok(pc is not None, "show counters has a line for port %s" % port,
                          c.text):
                continue
            chk.eq(pc["rx"], len(traffic.frames[port]), "port %s rx counter" % port)
            n_out = len(self.outputs.get(port, []))
            slack = tx_slack.get(port, 0)
            chk.ok(pc["tx"] <= n_out <= pc["tx"] + slack,
                   "port %s tx counter %d vs %d frames in its tx pcap (allowed "
                   "excess in pcap: %d, sent after the last poll)" % (port, pc["tx"], n_out, slack))
            for k in ("rx-missed", "rx-errors", "tx-errors"):
                chk.eq(pc[k], 0, "port %s %s" % (port, k))
        check_drops(chk, c.drops, drops, "show counters")
        if self.show_drops is None:
            chk.fail("`show drops` was not read")
        else:
            total = self.show_drops.pop("total", None)
            if total is not None:
                chk.eq(total, sum(self.show_drops.values()),
                       "`show drops` total line is the sum of the reasons")
            for reason, n in c.drops.items():
                chk.eq(self.show_drops.get(reason), n,
                       "`show drops` count of %s agrees with `show counters`" % reason)
            for reason, n in self.show_drops.items():
                if n and reason not in c.drops:
                    chk.fail("`show drops` counts %s %d, `show counters` has no "
                             "drop line for it" % (reason, n))
            for reason, n in drops.items():
                if isinstance(n, int) and n > 0:
                    chk.ok(reason in self.show_drops,
                           "`show drops` lists reason %s" % reason, self.show_drops_text)


def check_drops(chk, got, want, where):
    for reason, n in sorted(want.items()):
        have = got.get(reason, 0)
        if isinstance(n, int):
            chk.eq(have, n, "%s: drop %s" % (where, reason))
        else:
            chk.ok(have in n, "%s: drop %s: got %d, expected one of %s"
                   % (where, reason, have, sorted(n)))
    for reason, have in sorted(got.items()):
        if reason not in want and have:
            chk.fail("%s: unexpected drop %s %d" % (where, reason, have))


def with_cli_socket(text, directory):
    """@p text (a ferry config) with its CLI's Unix socket in @p directory
    (the test's own, so ferrys of parallel tests never share one), unless
    it names one already; a config without a cli section gets one."""
    if re.search(r"^\s*socket\s*=", text, re.M):
        return text
    setting = 'socket = "%s";' % os.path.join(directory, "cli.sock")
    cli = re.compile(r"^(\s*cli\s*[=:]\s*\{)", re.M)
    if cli.search(text):
        return cli.sub(lambda m: m.group(1) + " " + setting, text, count=1)
    return text + "\ncli = { port = 0; %s };\n" % setting


def render_config(template, indir, outdir, prefix):
    with open(template) as f:
        text = f.read()
    text = text.replace("@IN@", indir).replace("@OUT@", outdir).replace("@PREFIX@", prefix)
    return with_cli_socket(text, outdir)


def run_ferry(binary, template, traffic, name=None, extra_cmds=()):
    """Run ferry on the inputs of @p traffic with the config @p template
    and return a Result (never raises for ferry's failures)."""
    res = Result()
    res.ports = list(traffic.ports)
    name = name or os.path.splitext(os.path.basename(sys.argv[0]))[0]
    work = tempfile.mkdtemp(prefix="ferry-it-%s-" % name)
    res.workdir = work
    indir, outdir = os.path.join(work, "in"), os.path.join(work, "out")
    os.mkdir(indir)
    os.mkdir(outdir)
    for port in traffic.ports:
        write_pcap(os.path.join(indir, port + ".pcap"), traffic.frames[port])
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        # A file prefix of its own: EAL still makes /var/run/dpdk/PREFIX
        # (telemetry socket) in memory mode; with a unique one the run
        # cannot meet another ferry's and what it leaves is surely its own.
        f.write(render_config(template, indir, outdir, os.path.basename(work)))

    before = dpdk_run_entries()
    proc = None
    out_lines = []
    reader = None
    err_f = open(os.path.join(work, "stderr.txt"), "w+b")
    try:
        try:
            proc = subprocess.Popen([binary, "-c", cfg], cwd=work, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=err_f)
        except OSError as e:
            res.problems.append("cannot start %s: %s" % (binary, e))
            res.fatal = True
            return res
        got_line = threading.Event()

        def read_stdout():
            for line in iter(proc.stdout.readline, b""):
                out_lines.append(line.decode("utf-8", "replace"))
                if CLI_LINE_RE.search(out_lines[-1]):
                    got_line.set()
            got_line.set()  # EOF: stop waiting

        reader = threading.Thread(target=read_stdout, daemon=True)
        reader.start()
        _drive(res, proc, got_line, out_lines, traffic, extra_cmds)
    finally:
        if proc is not None:
            _stop(res, proc)
            if reader is not None:
                reader.join(5)
            res.stdout = "".join(out_lines)
            err_f.seek(0)
            res.stderr = err_f.read().decode("utf-8", "replace")
        err_f.close()
        own = os.path.join(os.path.realpath(DPDK_RUN_DIR), os.path.basename(work))
        _check_dpdk_run_dir(res, own, before)
        if os.path.isdir(own):  # reported above; the prefix is this run's alone
            shutil.rmtree(own, ignore_errors=True)
        for port in traffic.ports:
            path = os.path.join(outdir, port + ".pcap")
            if not os.path.exists(path):
                if not res.fatal:
                    res.problems.append("no tx pcap written for port %s (%s)" % (port, path))
                res.outputs[port] = []
                continue
            try:
                res.outputs[port] = read_pcap(path)
            except ValueError as e:
                res.problems.append("tx pcap of port %s unreadable: %s" % (port, e))
                res.outputs[port] = []
        if res.problems:
            print("--- ferry stdout (last 40 lines):\n" + "".join(out_lines[-40:]))
            print("--- ferry stderr (last 60 lines):\n"
                  + "\n".join(res.stderr.splitlines()[-60:]))
        if os.environ.get("FERRY_TEST_KEEP"):
            print("kept work dir %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return res


def _check_dpdk_run_dir(res, own, before):
    """No entry of ferry's may be left under /var/run/dpdk. ferry's are:
    its own file prefix directory @p own, anything it used while running
    (see dpdk_run_holders()), and what is below those. Other new entries
    come from other DPDK processes on the machine and are only mentioned."""
    new = dpdk_run_entries() - before
    if not new:
        return
    roots = set(res.dpdk_files_used) | {own}

    def ours(e):
        return any(e == r or e.startswith(r + "/") for r in roots) or \
            (e in (os.path.dirname(own),) and own in new)

    left = sorted(e for e in new if ours(e))
    theirs = sorted(e for e in new if not ours(e))
    if theirs:
        print("note: new under %s but not ferry's: %s" % (DPDK_RUN_DIR, ", ".join(theirs)))
    if left:
        res.problems.append(
            "new entries under %s after the run (EAL --in-memory must leave none): %s%s"
            % (DPDK_RUN_DIR, ", ".join(left),
               "; while running ferry used %s" % ", ".join(sorted(res.dpdk_files_used))
               if res.dpdk_files_used else ""))


def _drive(res, proc, got_line, out_lines, traffic, extra_cmds):
    """Wait for the CLI line, poll counters until settled, read drops."""
    got_line.wait(START_TIMEOUT)
    m = None
    for line in list(out_lines):
        m = m or CLI_LINE_RE.search(line)
    if m is None:
        time.sleep(0.2)
        if proc.poll() is not None:
            why = "before ferry exited with status %s" % proc.poll()
        else:
            why = "within %.0f s (ferry still running)" % START_TIMEOUT
        res.problems.append("no 'ferry: cli listening on 127.0.0.1:PORT' line on stdout %s"
                            % why)
        res.fatal = True
        return
    port = int(m.group(2))
    sock = None
    for line in list(out_lines):
        sock = sock or CLI_SOCKET_RE.search(line)
    try:
        cli = Cli(port, host=m.group(1), path=sock.group(1) if sock else None)
    except (OSError, CliError) as e:
        res.problems.append("cannot open a CLI session on %s:%d: %s" % (m.group(1), port, e))
        res.fatal = True
        return
    try:
        _wait_settled(res, proc, cli, traffic)
        res.dpdk_files_used = dpdk_run_holders().get(proc.pid, set())
        if res.fatal:
            return
        text = cli.cmd("show drops")
        res.show_drops_text = text
        res.show_drops = parse_show_drops(text)
        res.extra = {c: cli.cmd(c) for c in extra_cmds}
    except (OSError, CliError) as e:
        res.problems.append("CLI session failed: %s" % e)
    finally:
        cli.close()


def _wait_settled(res, proc, cli, traffic):
    want = traffic.total()
    deadline = time.monotonic() + DONE_TIMEOUT
    prev, same = None, 0
    while True:
        text = cli.cmd("show counters")
        c = Counters(text)
        res.counters = c
        same = same + 1 if text == prev else 0
        prev = text
        if c.rx_total() == want and same >= STABLE_POLLS:
            return
        if proc.poll() is not None:
            res.problems.append("ferry exited (status %s) while packets were being "
                                "processed" % proc.returncode)
            res.fatal = True
            return
        if time.monotonic() > deadline:
            res.problems.append(
                "not settled within %.0f s: port rx sum %d of %d input frames "
                "(or counters still changing); last `show counters`:\n%s"
                % (DONE_TIMEOUT, c.rx_total(), want, text))
            if not c.ports:
                res.problems.append("`show counters` had no 'port NAME rx N tx N rx-missed N "
                                    "rx-errors N tx-errors N' line")
            return
        time.sleep(POLL_INTERVAL)


def _stop(res, proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            res.problems.append("ferry did not exit within %.0f s of SIGTERM; killed"
                                % STOP_TIMEOUT)
            proc.kill()
            proc.wait()
            res.exit_code = proc.returncode
            return
        res.exit_code = proc.returncode
        if proc.returncode != 0:
            res.problems.append("ferry exit status %d after SIGTERM, expected 0"
                                % proc.returncode)
    else:
        res.exit_code = proc.returncode
        if not res.fatal:
            res.problems.append("ferry had exited by itself (status %d) before SIGTERM"
                                % proc.returncode)


# --------------------------------------------------------------------------
# Outputs: classify every output frame, let expectations claim them

class OutPkt:
    def __init__(self, port, idx, raw):
        self.port, self.idx, self.raw = port, idx, raw
        self.claimed = False
        self.kind, self.tag = classify(raw)

    def __repr__(self):
        return "%s#%d %s" % (self.port, self.idx, describe(self.raw))


ICMP_ERRORS = (3, 4, 5, 11, 12)


def classify(raw):
    """(kind, tag): kind is arp, icmp-error, echo-reply, fwd (a tagged
    frame), or other; tag is the input it belongs to (or None)."""
    if len(raw) < 14:
        return "other", None
    _, _, _, et, off = l2_split(raw)
    if et == 0x0806:
        return "arp", None
    if et == 0x0800 and len(raw) >= off + 20:
        ihl = (raw[off] & 0x0f) * 4
        proto = raw[off + 9]
        l4 = off + ihl
        if proto == 1 and len(raw) >= l4 + 8 + 20 and raw[l4] in ICMP_ERRORS:
            q = l4 + 8
            return "icmp-error", struct.unpack("!H", raw[q + 4:q + 6])[0]
        m = MARKER_RE.search(raw)
        if m:
            tag = int(m.group(1))
            if proto == 1 and len(raw) > l4 and raw[l4] == 0:
                return "echo-reply", tag
            return "fwd", tag
        return "other", None
    m = MARKER_RE.search(raw)
    if m:
        return "fwd", int(m.group(1))
    return "other", None


class Outputs:
    def __init__(self, res):
        self.pkts = []
        for port in res.ports:
            for i, raw in enumerate(res.outputs.get(port, [])):
                self.pkts.append(OutPkt(port, i, raw))

    def take(self, kind=None, tag=None, pred=None):
        """Claim and return every output frame matching kind/tag/pred."""
        got = []
        for p in self.pkts:
            if (kind is None or p.kind == kind) and (tag is None or p.tag == tag) and \
                    (pred is None or pred(p)):
                p.claimed = True
                got.append(p)
        return got

    def check_unclaimed(self, chk):
        chk.set_group("no unexpected output")
        left = [p for p in self.pkts if not p.claimed]
        for p in left:
            chk.fail("unexpected frame out %s #%d (%s, tag %s): %s"
                     % (p.port, p.idx, p.kind, p.tag, describe(p.raw)), hexdump(p.raw))
        if not left:
            chk.ok(True, "every output frame was expected")


# --------------------------------------------------------------------------
# Expectations

def _check_l2(chk, o, what, dst, src, vlan):
    d, s, tci, et, off = l2_split(o.raw)
    chk.eq(d, dst, "%s: Ethernet dst" % what)
    chk.eq(s, src, "%s: Ethernet src" % what)
    if vlan is None:
        chk.ok(tci is None, "%s: untagged (got 802.1Q TCI %s)" % (what, tci))
    else:
        chk.ok(tci is not None and tci & 0x0fff == vlan,
               "%s: 802.1Q VLAN %d (got TCI %s)" % (what, vlan,
                                                    None if tci is None else "0x%04x" % tci))
        if tci is not None:
            chk.eq(tci >> 12, 0, "%s: 802.1Q PCP/DEI" % what)
    return et, off


def _check_ip_cksum(chk, what, hdr):
    ok, field, want = ip_cksum_ok(hdr)
    return chk.ok(ok, "%s: IPv4 header checksum 0x%04x, recomputed 0x%04x%s" % (
        what, field, want,
        " (one's complement -0: RFC 1141 incremental update; RFC 1624 eqn. 3 / "
        "Linux ip_decrease_ttl give 0x0000)" if field == 0xffff and want == 0 else ""))


def _one(chk, got, what, port):
    where = ", ".join("%s#%d" % (o.port, o.idx) for o in got)
    if not chk.ok(len(got) == 1, "%s: exactly one copy out (got %d%s)"
                  % (what, len(got), ": " + where if got else "")):
        if not got:
            return None
    o = got[0]
    for x in got:
        if x.port == port:
            o = x
    chk.ok(o.port == port, "%s: leaves by port %s (got %s)" % (what, port, o.port))
    return o


def expect_forward(chk, outs, traffic, tag, port, dst, src, vlan=None, what=None):
    """The input @p tag leaves once, by @p port, rewritten as a router
    does: new L2 header, TTL - 1, valid header checksum, the rest of the
    IP packet unchanged."""
    inp = traffic[tag]
    what = what or "tag %d" % tag
    o = _one(chk, outs.take(tag=tag, pred=lambda p: p.kind in ("fwd", "echo-reply")),
             what, port)
    if o is None:
        return
    et, off = _check_l2(chk, o, what, dst, src, vlan)
    chk.eq(et, 0x0800, "%s: ethertype" % what)
    _, _, _, _, ioff = l2_split(inp)
    iip = inp[ioff:]
    ihl = (iip[0] & 0x0f) * 4
    tot = struct.unpack("!H", iip[2:4])[0]
    oip = o.raw[off:]
    if not chk.ok(len(oip) >= tot, "%s: output frame holds the IP packet (%d of %d bytes)"
                  % (what, len(oip), tot)):
        return
    chk.eq(oip[8], iip[8] - 1, "%s: TTL" % what)
    same = oip[:8] + oip[9:10] + oip[12:ihl]
    want = iip[:8] + iip[9:10] + iip[12:ihl]
    chk.ok(same == want, "%s: IP header fields other than TTL/checksum unchanged" % what,
           "in  %s\nout %s" % (iip[:ihl].hex(), oip[:ihl].hex()))
    _check_ip_cksum(chk, what, oip[:ihl])
    chk.ok(oip[ihl:tot] == iip[ihl:tot], "%s: L4 header, checksum and payload unchanged"
           % what, "in  %s\nout %s" % (hexdump(iip[ihl:tot], 64), hexdump(oip[ihl:tot], 64)))
    extra = len(o.raw) - off - tot
    chk.ok(extra == 0 or len(o.raw) <= 64,
           "%s: no bytes after the IP packet beyond Ethernet padding (frame %d B, %d "
           "trailing)" % (what, len(o.raw), extra))


def expect_no_output(chk, outs, tag, what=None):
    """Nothing derived from input @p tag leaves (no copy, no ICMP error)."""
    what = what or "tag %d" % tag
    got = outs.take(tag=tag)
    chk.ok(not got, "%s: nothing out (got %s)" % (what, ", ".join(map(repr, got))))


def _check_icmp_ip(chk, o, what, off, src, dst):
    ip = o.raw[off:]
    ihl = (ip[0] & 0x0f) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    chk.eq(ip[0] >> 4, 4, "%s: IP version" % what)
    chk.eq(ip[9], 1, "%s: IP protocol" % what)
    chk.eq("%d.%d.%d.%d" % tuple(ip[12:16]), src, "%s: IP src" % what)
    chk.eq("%d.%d.%d.%d" % tuple(ip[16:20]), dst, "%s: IP dst" % what)
    chk.ok(ip[8] > 1, "%s: TTL %d > 1" % (what, ip[8]))
    frag = struct.unpack("!H", ip[6:8])[0]
    chk.eq(frag & 0x3fff, 0, "%s: not a fragment (MF/offset)" % what)
    chk.ok(len(ip) >= tot, "%s: frame holds IP total length %d (%d bytes)"
           % (what, tot, len(ip)))
    _check_ip_cksum(chk, what, ip[:ihl])
    icmp = ip[ihl:tot]
    chk.ok(inet_cksum(icmp) == 0, "%s: ICMP checksum valid (field 0x%04x, recomputed 0x%04x)"
           % (what, struct.unpack("!H", icmp[2:4])[0],
              inet_cksum(icmp[:2] + b"\0\0" + icmp[4:])))
    return icmp, tot


IP_FIELDS = [("version/IHL", 0, 1), ("TOS", 1, 2), ("total length", 2, 4), ("id", 4, 6),
             ("flags/fragment", 6, 8), ("TTL", 8, 9), ("protocol", 9, 10),
             ("checksum", 10, 12), ("src", 12, 16), ("dst", 16, 20)]


def _diff_ip(a, b):
    """' (differs in: TTL 1 -> 0, ...)' for two quoted IP headers."""
    if a == b:
        return ""
    if len(b) < len(a):
        return " (quote is %d bytes, needs %d)" % (len(b), len(a))
    d = ["%s %s -> %s" % (n, a[i:j].hex(), b[i:j].hex()) for n, i, j in IP_FIELDS
         if a[i:j] != b[i:j]]
    if a[20:] != b[20:]:
        d.append("bytes after the header")
    return " (differs in: %s)" % ", ".join(d)


def expect_icmp_error(chk, outs, traffic, tag, port, typ, code, src, dst, eth_dst,
                      eth_src, vlan=None, mtu=None, what=None):
    """Input @p tag is answered once by an ICMP error out @p port quoting
    the input's IP header and first 8 bytes of payload (RFC 792)."""
    inp = traffic[tag]
    what = what or "tag %d" % tag
    o = _one(chk, outs.take("icmp-error", tag), "%s: ICMP %d/%d" % (what, typ, code), port)
    if o is None:
        return
    what = "%s: ICMP error" % what
    et, off = _check_l2(chk, o, what, eth_dst, eth_src, vlan)
    chk.eq(et, 0x0800, "%s: ethertype" % what)
    icmp, tot = _check_icmp_ip(chk, o, what, off, src, dst)
    chk.eq((icmp[0], icmp[1]), (typ, code), "%s: ICMP type/code" % what)
    if mtu is None:
        chk.eq(icmp[4:8], b"\0\0\0\0", "%s: unused word is zero" % what)
    else:
        chk.eq(struct.unpack("!H", icmp[4:6])[0], 0, "%s: unused half-word" % what)
        chk.eq(struct.unpack("!H", icmp[6:8])[0], mtu, "%s: next-hop MTU" % what)
    _, _, _, _, ioff = l2_split(inp)
    iip = inp[ioff:]
    orig = iip[:(iip[0] & 0x0f) * 4 + 8]
    quote = icmp[8:]
    q = quote[:len(orig)]
    chk.ok(q == orig,
           "%s: quotes the original IP header + 8 bytes as received%s" % (what, _diff_ip(orig, q)),
           "sent   %s\nquoted %s" % (orig.hex(), q.hex()))
    chk.ok(tot <= 576, "%s: ICMP error datagram %d <= 576 bytes (RFC 1812 4.3.2.3)"
           % (what, tot))


def expect_echo_reply(chk, outs, traffic, tag, port, eth_dst, eth_src, vlan=None, what=None):
    """The echo request @p tag is answered once out @p port."""
    inp = traffic[tag]
    what = what or "tag %d" % tag
    o = _one(chk, outs.take("echo-reply", tag), "%s: echo reply" % what, port)
    if o is None:
        return
    what = "%s: echo reply" % what
    _, _, _, _, ioff = l2_split(inp)
    iip = inp[ioff:]
    ihl = (iip[0] & 0x0f) * 4
    itot = struct.unpack("!H", iip[2:4])[0]
    req = iip[ihl:itot]
    src = "%d.%d.%d.%d" % tuple(iip[16:20])
    dst = "%d.%d.%d.%d" % tuple(iip[12:16])
    et, off = _check_l2(chk, o, what, eth_dst, eth_src, vlan)
    chk.eq(et, 0x0800, "%s: ethertype" % what)
    icmp, _ = _check_icmp_ip(chk, o, what, off, src, dst)
    chk.eq((icmp[0], icmp[1]), (0, 0), "%s: ICMP type/code" % what)
    chk.eq(icmp[4:8], req[4:8], "%s: identifier and sequence number" % what)
    chk.ok(icmp[8:] == req[8:], "%s: same data as the request (%d bytes)" % (what, len(req) - 8),
           "req   %s\nreply %s" % (hexdump(req[8:], 64), hexdump(icmp[8:], 64)))


def arp_fields(raw):
    """dict of an Ethernet/IPv4 ARP frame's fields, or None."""
    d, s, tci, et, off = l2_split(raw)
    if et != 0x0806 or len(raw) < off + 28:
        return None
    a = raw[off:off + 28]
    htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", a[:8])
    return {"eth_dst": d, "eth_src": s, "vlan": tci, "htype": htype, "ptype": ptype,
            "hlen": hlen, "plen": plen, "op": op,
            "sha": mac_str(a[8:14]), "spa": "%d.%d.%d.%d" % tuple(a[14:18]),
            "tha": mac_str(a[18:24]), "tpa": "%d.%d.%d.%d" % tuple(a[24:28])}


def take_arp(outs, **match):
    """Claim ARP frames whose fields equal every item of @p match."""
    def pred(p):
        f = arp_fields(p.raw)
        return f is not None and all(f.get(k) == v for k, v in match.items())
    return outs.take("arp", pred=pred)


def check_arp(chk, o, what, **want):
    f = arp_fields(o.raw)
    if not chk.ok(f is not None, "%s: an Ethernet/IPv4 ARP frame" % what):
        return
    base = {"htype": 1, "ptype": 0x0800, "hlen": 6, "plen": 4, "vlan": None}
    for k, v in dict(base, **want).items():
        chk.eq(f[k], v, "%s: %s" % (what, k))


# --------------------------------------------------------------------------
# A ferry kept running while a test talks to it (live changes, reload)

class Running:
    """ferry started on @p cfg, its CLI port known. Its stdout is read
    from the raw pipe (select() cannot see what a buffered reader has
    already taken), so lines can be waited for at any time."""

    def __init__(self, binary, cfg, args=()):
        self.proc = subprocess.Popen([binary, "-c", cfg] + list(args),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = b""
        self.log = b""  # all of stdout read so far, matched or not
        m = self.wait_for(rb"(?:ferry: cli socket (\S+)\n)?"
                          rb"ferry: cli listening on [0-9.]+:(\d+)\n", START_TIMEOUT)
        if m is None:
            self.proc.kill()
            sys.exit("ferry did not start: %s"
                     % self.proc.stderr.read().decode(errors="replace"))
        self.sock = m.group(1).decode() if m.group(1) else None
        self.port = int(m.group(2))

    def cli(self, timeout=30.0):
        """A privileged session: by the Unix socket if ferry has one
        (read-only telnet: Cli(self.port))."""
        if self.sock is not None:
            return Cli(path=self.sock, timeout=timeout)
        return Cli(self.port, timeout=timeout)

    def wait_for(self, pattern, timeout):
        """The first match of @p pattern (bytes regex) in what ferry
        printed and was not matched before, or None after @p timeout."""
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.out)
            if m:
                self.out = self.out[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([fd], [], [], min(left, 0.2))
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return re.search(pattern, self.out)
                self.out += chunk
                self.log += chunk

    def stop(self):
        """SIGTERM, wait; returns (exit status, rest of stdout, stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return (self.proc.returncode, (self.out + out).decode(errors="replace"),
                err.decode(errors="replace"))


def live_case(template, frames, name):
    """A work directory with @p frames as in/in.pcap and @p template
    rendered for it (placeholders @IN@, @OUT@, @PREFIX@) into ferry.cfg.
    @return (work directory, config path, config text)."""
    work = tempfile.mkdtemp(prefix="ferry-%s-" % name)
    indir = os.path.join(work, "in")
    os.mkdir(indir)
    write_pcap(os.path.join(indir, "in.pcap"), frames)
    text = render_config(template, indir, work, os.path.basename(work))
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(text)
    return work, cfg, text


# --------------------------------------------------------------------------
# Network namespaces and veth pairs (interop tests against the kernel)

def start_logged(binary, cfg, work, log="stdout.txt", timeout=30.0):
    """ferry on @p cfg in @p work, stdout and stderr into @p log there.
    @return (process, log file, CLI port or None if it did not start)."""
    out = open(os.path.join(work, log), "w+")
    proc = subprocess.Popen([binary, "-c", cfg], stdout=out,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, cwd=work)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        out.seek(0)
        m = CLI_LINE_RE.search(out.read())
        if m:
            return proc, out, int(m.group(2))
        time.sleep(0.1)
    return proc, out, None


def netns_sh(cmd, check=True, ns=None, timeout=60):
    """Run shell @p cmd (in namespace @p ns); its output, stderr merged."""
    if ns is not None:
        cmd = "ip netns exec %s %s" % (ns, cmd)
    p = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (cmd, p.returncode, p.stdout))
    return p.stdout


def veth(a, ns_a, b, ns_b, mac_b=None):
    """A veth pair a (in ns_a, None = ours) - b (in ns_b), up, IPv6 off."""
    netns_sh("ip link add %s type veth peer name %s" % (a, b))
    for dev, ns in ((a, ns_a), (b, ns_b)):
        if ns is not None:
            netns_sh("ip link set %s netns %s" % (dev, ns))
        # TX checksum offload on veth leaves partial checksums in what
        # AF_PACKET reads (DESIGN.md pitfalls): compute them in software.
        netns_sh("ethtool -K %s tx off" % dev, ns=ns)
        netns_sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1" % dev, ns=ns,
                 check=False)
    if mac_b is not None:
        netns_sh("ip link set %s address %s" % (b, mac_b), ns=ns_b)
    for dev, ns in ((a, ns_a), (b, ns_b)):
        netns_sh("ip link set %s up" % dev, ns=ns)
