#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/ike_socket: the IKE socket (doc/ike.md) of a running ferry,
driven as charon's kernel-ferry plugin would, with Python as the peer.

A configured inbound SA (8193) carries replayed ESP the whole time; so
does IKE SA 0x3001 once the socket installs it (soft limit 4 packets,
hard 8). Checked: HELLO's version; GET_SPI; ADD_SA in and out with a
reqid (`show ipsec sa` marks them "ike reqid"); a second outbound SA of
the tunnel replaces the first in the tunnel's slot and both stay
listed; QUERY_SA answers the SA's real counters; both the soft and the
hard EXPIRE events arrive; DEL_SA refuses a configured SA; policies add
and delete. Bad input: garbage, an oversized length, a wrong version
and a peer that dies mid-message each close only their connection and
are counted under their reason in `show counters`; the configured SA
forwards throughout; FLUSH_SAS leaves configured SAs alone.

Usage: /usr/bin/python3 test_ike_socket.py FERRY_BINARY
"""

import os
import re
import socket
import struct
import sys
import time

import ipsec_case as C
from ipsec_case import ft
from test_rekey_in import CONFIG, NEW_KEY, ALG, delta

IKE_SPI, REQID = 0x3001, 7
HELLO, GET_SPI, ADD_SA, QUERY_SA, DEL_SA, FLUSH_SAS = 1, 2, 3, 5, 6, 7
ADD_POLICY, QUERY_POLICY, DEL_POLICY, EXPIRE, REPLY = 8, 9, 10, 128, 129
EPERM, ENOENT = 1, 2


def frames():
    """ESP of configured SA 8193 and IKE SA 0x3001, interleaved."""
    old = C.scapy_sa(ALG, 8193, C.PEER, C.LOCAL)
    ike = C.SecurityAssociation(C.ESP, spi=IKE_SPI, crypt_algo="AES-GCM",
                                crypt_key=bytes.fromhex(NEW_KEY) + C.SALT,
                                tunnel_header=C.IP(src=C.PEER, dst=C.LOCAL))
    out = []
    for i in range(64):
        p = C.inner(0, src=C.REMOTE_NET_HOST, dst=C.HOST, size=120)
        sa = old if i % 2 else ike
        out.append(bytes(C.wan_frame(C.peer_esp(sa, p, i // 2 + 1))))
    return out


def ip(a):
    return struct.unpack("!I", socket.inet_aton(a))[0]


class Plugin:
    """One connection speaking protocol version 1."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(20)
        self.s.connect(path)
        self.seq = 0
        self.events = []

    def raw(self, data):
        self.s.sendall(data)

    def msg(self, mtype, body=b"", version=1):
        self.seq += 1
        return struct.pack("!IHBBI", 12 + len(body), version, mtype, 0,
                           self.seq) + body

    def read_msg(self):
        hdr = self._read(12)
        length, _, mtype, _, seq = struct.unpack("!IHBBI", hdr)
        return mtype, seq, self._read(length - 12)

    def _read(self, n):
        b = b""
        while len(b) < n:
            k = self.s.recv(n - len(b))
            if not k:
                raise EOFError
            b += k
        return b

    def call(self, mtype, body=b""):
        """Status and payload of the reply; events met are kept."""
        self.raw(self.msg(mtype, body))
        while True:
            t, seq, b = self.read_msg()
            if t == EXPIRE:
                self.events.append(struct.unpack("!IIBB", b))
                continue
            status = struct.unpack("!i", b[:4])[0]
            return status, b[4:]

    def closed(self):
        """Whether ferry closed the connection (EOF within 10 s)."""
        try:
            return self.s.recv(4096) == b""
        except (socket.timeout, ConnectionResetError):
            return False

    def close(self):
        self.s.close()


def add_sa(spi, direction, key, soft=0, hard=0):
    alg = b"aes-gcm-128".ljust(24, b"\0")
    return struct.pack("!IIBBBIIHHIQQQQ", spi, REQID, direction, 0, 0,
                       ip(C.LOCAL), ip(C.PEER), 0, 0, 64, soft, hard, 0, 0) \
        + alg + struct.pack("!BB", len(key), 0) + key


def policy(direction):
    src, dst = ("10.2.0.0", "10.9.0.0") if direction == 0 else \
        ("10.9.0.0", "10.2.0.0")
    return struct.pack("!IBBBBIIHHHHI", REQID, direction, 0, 16, 16, ip(src),
                       ip(dst), 0, 65535, 0, 65535, 100)


def ike_counter(cli, name):
    line = re.search(r"^ike socket .*$", cli.cmd("show counters"), re.M)
    m = line and re.search(r" %s (\d+)" % name, line.group(0))
    return int(m.group(1)) if m else -1


def check_sas(chk, cli, p):
    key = bytes.fromhex(NEW_KEY) + C.SALT
    st, b = p.call(HELLO)
    chk.eq((st, b), (0, struct.pack("!I", 1)), "HELLO: version 1")
    st, b = p.call(GET_SPI, struct.pack("!II", ip(C.PEER), ip(C.LOCAL)))
    chk.ok(st == 0 and struct.unpack("!I", b)[0] >= 256, "GET_SPI: an SPI")
    chk.eq(p.call(ADD_SA, add_sa(IKE_SPI, 0, key, soft=4, hard=8))[0], 0,
           "ADD_SA inbound")
    chk.eq(p.call(ADD_SA, add_sa(0x4001, 1, key))[0], 0, "ADD_SA outbound")
    chk.eq(p.call(ADD_SA, add_sa(0x4002, 1, key))[0], 0,
           "ADD_SA outbound of the same tunnel (rekey)")
    out = cli.cmd("show ipsec sa %d" % IKE_SPI)
    chk.ok("ike reqid 7" in out, "show ipsec sa marks the IKE SA", out)
    out = cli.cmd("show ipsec sa")
    chk.ok("sa 16385 out" in out and "sa 16386 out" in out,
           "old and new outbound SA both listed", out)
    chk.eq(p.call(ADD_POLICY, policy(0))[0], 0, "ADD_POLICY in")
    chk.eq(p.call(ADD_POLICY, policy(1))[0], 0, "ADD_POLICY out")
    chk.eq(p.call(QUERY_POLICY, policy(1))[0], 0, "QUERY_POLICY")
    spd = cli.cmd("show ipsec spd")
    chk.eq(len(re.findall(r"protect\s+ike tun", spd)), 2,
           "show ipsec spd lists both IKE policies", spd)
    chk.eq(p.call(DEL_POLICY, policy(0))[0], 0, "DEL_POLICY in")
    chk.eq(p.call(DEL_POLICY, policy(0))[0], -ENOENT,
           "DEL_POLICY of a policy gone")
    chk.eq(p.call(DEL_SA, struct.pack("!IB", 8193, 0))[0], -EPERM,
           "DEL_SA of a configured SA is refused")
    chk.eq(p.call(DEL_SA, struct.pack("!IB", 0x4001, 1))[0], 0,
           "DEL_SA of the old outbound SA")


def check_expire(chk, p):
    deadline = time.monotonic() + 30
    while len(p.events) < 2 and time.monotonic() < deadline:
        st, b = p.call(QUERY_SA, struct.pack("!IB", IKE_SPI, 0))
        time.sleep(0.2)
    chk.eq([(e[0], e[1], e[3]) for e in p.events],
           [(IKE_SPI, REQID, 0), (IKE_SPI, REQID, 1)],
           "soft then hard EXPIRE events")
    st, b = p.call(QUERY_SA, struct.pack("!IB", IKE_SPI, 0))
    chk.ok(st == 0 and len(b) == 20, "QUERY_SA answers")
    if st == 0:
        nbytes, packets, _ = struct.unpack("!QQI", b)
        chk.eq(packets, 8, "QUERY_SA: the hard limit's 8 packets")
        chk.ok(nbytes > 8 * 100, "QUERY_SA: their bytes", str(nbytes))


def check_bad_input(chk, cli, path):
    cases = [
        ("garbage", b"\xde\xad\xbe\xef" * 8, "oversized"),
        ("length below the header", struct.pack("!IHBBI", 4, 1, 1, 0, 1),
         "bad-length"),
        ("wrong version", struct.pack("!IHBBI", 12, 9, 1, 0, 1),
         "bad-version"),
    ]
    for what, data, reason in cases:
        before = ike_counter(cli, reason)
        p = Plugin(path)
        p.raw(data)
        chk.ok(p.closed(), "%s: connection closed" % what)
        p.close()
        chk.eq(ike_counter(cli, reason), before + 1,
               "%s: counted as %s" % (what, reason))
    before = ike_counter(cli, "closed-mid-message")
    p = Plugin(path)
    p.raw(struct.pack("!IHBBI", 100, 1, ADD_SA, 0, 1) + b"\0" * 20)
    time.sleep(0.3)
    p.close()
    deadline = time.monotonic() + 10
    while ike_counter(cli, "closed-mid-message") == before and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    chk.eq(ike_counter(cli, "closed-mid-message"), before + 1,
           "peer died mid-message: counted")


def start_ferry(binary, name):
    """ferry on the rekey_in topology with an IKE socket, replaying
    frames(). @return (ft.Running, socket path)."""
    sa = C.sa_cfg(8193, "in", ALG, C.LOCAL, C.PEER, replay_window=0)
    cfg_text = CONFIG.replace(
        "ipsec = { sas = ( %s ); };",
        'ipsec = { sas = ( %s ); ike_socket = "@OUT@/ike.sock"; };') % sa
    tmpl = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                        "%s-%d.cfg.in" % (name, os.getpid()))
    with open(tmpl, "w") as f:
        f.write(cfg_text)
    try:
        work, cfg, _ = ft.live_case(tmpl, frames(), name)
    finally:
        os.unlink(tmpl)
    return ft.Running(binary, cfg), os.path.join(work, "ike.sock")


def main():
    binary = ft.setup()
    chk = ft.Checks("ike-socket")
    ferry, path = start_ferry(binary, "ike-socket")
    try:
        cli = ferry.cli()
        p = Plugin(path)
        chk.set_group("SAs and policies")
        check_sas(chk, cli, p)
        chk.set_group("expiry and counters")
        check_expire(chk, p)
        chk.set_group("bad input")
        check_bad_input(chk, cli, path)
        d = delta(cli)
        chk.ok(d.get("tx lan", 0) > 0, "the configured SA still forwards",
               str(d))
        chk.set_group("flush")
        chk.eq(p.call(FLUSH_SAS)[0], 0, "FLUSH_SAS")
        out = cli.cmd("show ipsec sa")
        chk.ok("ike reqid" not in out and "sa 8193 in" in out,
               "IKE SAs gone, the configured SA kept", out)
        p.close()
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
