#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/ike_socket: the IKE socket (doc/ike.md) of a running ferry,
driven as charon's kernel-ferry plugin would, with Python as the peer.

A configured inbound SA (8193) carries replayed ESP the whole time; so
does IKE SA 0x3001 once the socket installs it (soft limit 4 packets,
hard 8). Checked: HELLO's version; GET_SPI; ADD_SA in and out with a
reqid (`show ipsec sa` marks them "ike reqid"); a second outbound SA of
the tunnel replaces the first in the tunnel's slot and both stay
listed; UPDATE_SA moves it (and refuses what it cannot do in place);
charon's if_id maps to a VRF (ipsec.if_ids): two tunnels' inbound
policies with the same selectors in VRFs default and cust each pass
their own SA's packets (no ipsec_spd_mismatch), the outbound one routes
in VRF cust, an if_id not configured is refused; QUERY_SA answers the SA's real counters; both the soft and the
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
from test_rekey_in import CONFIG, NEW_KEY, ALG, WINDOW, delta

IKE_SPI, REQID = 0x3001, 7
HELLO, GET_SPI, ADD_SA, UPDATE_SA, QUERY_SA, DEL_SA, FLUSH_SAS = \
    1, 2, 3, 4, 5, 6, 7
ADD_POLICY, QUERY_POLICY, DEL_POLICY, EXPIRE, REPLY = 8, 9, 10, 128, 129
EPERM, ENOENT, EINVAL, EOPNOTSUPP = 1, 2, 22, 95


# if_id -> VRF: two customers' inbound SAs (if_id 7 -> VRF cust, none ->
# VRF default) whose policies have the same selectors.
CUST_SPI, DEF_SPI, CUST_REQID, DEF_REQID, IF_ID = 0x3101, 0x3201, 21, 22, 7
CUST_SRC = "10.77.0.5"


def ike_sa(spi):
    return C.SecurityAssociation(C.ESP, spi=spi, crypt_algo="AES-GCM",
                                 crypt_key=bytes.fromhex(NEW_KEY) + C.SALT,
                                 tunnel_header=C.IP(src=C.PEER, dst=C.LOCAL))


def frames():
    """ESP of configured SA 8193 and IKE SA 0x3001, interleaved, then of
    the two if_id SAs."""
    old = C.scapy_sa(ALG, 8193, C.PEER, C.LOCAL)
    ike = ike_sa(IKE_SPI)
    out = []
    for i in range(64):
        p = C.inner(0, src=C.REMOTE_NET_HOST, dst=C.HOST, size=120)
        sa = old if i % 2 else ike
        out.append(bytes(C.wan_frame(C.peer_esp(sa, p, i // 2 + 1))))
    for i in range(32):
        p = C.inner(0, src=CUST_SRC, dst=C.HOST, size=120)
        sa = ike_sa(CUST_SPI if i % 2 else DEF_SPI)
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


def add_sa(spi, direction, key, soft=0, hard=0, reqid=REQID, if_id=0):
    alg = b"aes-gcm-128".ljust(24, b"\0")
    return struct.pack("!IIBBBIIHHIQQQQ", spi, reqid, direction, 0, 0,
                       ip(C.LOCAL), ip(C.PEER), 0, 0, 64, soft, hard, 0, 0) \
        + alg + struct.pack("!BB", len(key), 0) + key \
        + (struct.pack("!I", if_id) if if_id else b"")


def update_sa(spi, direction, remote, encap=0, dport=4500, reqid=0):
    return struct.pack("!IBIIBHHI", spi, direction, ip(C.LOCAL), ip(remote),
                       encap, 4500, dport, reqid)


def check_update(chk, cli, p):
    """UPDATE_SA moves the outbound IKE SA in place (doc/ike.md)."""
    before = cli.cmd("show ipsec sa")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4002, 1, "192.0.2.77"))[0], 0,
           "UPDATE_SA outbound: new remote end")
    out = cli.cmd("show ipsec sa")
    chk.ok(re.search(r"sa 16386 out \S+ %s -> 192\.0\.2\.77" % C.LOCAL,
                     out), "show ipsec sa: the SA's new remote end", out)
    chk.eq(out.count("\nsa "), before.count("\nsa "),
           "no SA added or removed")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4002, 1, C.PEER))[0], 0,
           "UPDATE_SA back to the first remote end")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4002, 1, C.PEER, encap=1))[0],
           -EOPNOTSUPP, "UPDATE_SA switching ESP in UDP on: refused "
           "(charon rekeys)")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4999, 1, C.PEER))[0], -ENOENT,
           "UPDATE_SA of an unknown SA")
    chk.eq(p.call(UPDATE_SA, update_sa(8193, 0, C.PEER))[0], -EPERM,
           "UPDATE_SA of a configured SA is refused")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4002, 1, C.PEER, reqid=99))[0],
           -ENOENT, "UPDATE_SA naming another reqid")
    chk.eq(p.call(UPDATE_SA, update_sa(0x4002, 7, C.PEER))[0], -EINVAL,
           "UPDATE_SA with a bad direction: bad body")


def policy(direction):
    src, dst = ("10.2.0.0", "10.9.0.0") if direction == 0 else \
        ("10.9.0.0", "10.2.0.0")
    return struct.pack("!IBBBBIIHHHHI", REQID, direction, 0, 16, 16, ip(src),
                       ip(dst), 0, 65535, 0, 65535, 100)


def vrf_policy(reqid, if_id, priority, direction=0):
    """Inbound (or outbound) 10.77.0.0/16 <-> 192.168.1.0/24."""
    (src, sl), (dst, dl) = ("10.77.0.0", 16), ("192.168.1.0", 24)
    if direction:
        (src, sl), (dst, dl) = (dst, dl), (src, sl)
    return struct.pack("!IBBBBIIHHHHI", reqid, direction, 0, sl, dl, ip(src),
                       ip(dst), 0, 65535, 0, 65535, priority) \
        + (struct.pack("!I", if_id) if if_id else b"")


def spd_mismatches(cli):
    return ft.Counters(cli.cmd("show counters")).drops.get(
        "ipsec_spd_mismatch", 0)


def check_if_id(chk, cli, p):
    """Two tunnels' policies with the same selectors in two VRFs (charon's
    if_id via ipsec.if_ids): each SA's packets meet only the rule of their
    VRF, so none is an ipsec_spd_mismatch."""
    key = bytes.fromhex(NEW_KEY) + C.SALT
    chk.eq(p.call(ADD_POLICY, vrf_policy(DEF_REQID, 0, 100))[0], 0,
           "ADD_POLICY in, no if_id (VRF default), first by priority")
    chk.eq(p.call(ADD_POLICY, vrf_policy(CUST_REQID, IF_ID, 200))[0], 0,
           "ADD_POLICY in, same selectors, if_id 7 (VRF cust)")
    chk.eq(p.call(ADD_POLICY, vrf_policy(CUST_REQID, IF_ID, 200, 1))[0], 0,
           "ADD_POLICY out, if_id 7: a route in VRF cust")
    spd = cli.cmd("show ipsec spd")
    chk.eq(len(re.findall(r"10\.77\.0\.0/16 +192\.168\.1\.0/24", spd)), 2,
           "two inbound policies with the same selectors, not one", spd)
    route = cli.cmd("show ip route vrf cust")
    chk.ok("192.168.1.0/24" in route and "10.77.0.0/16" in route,
           "the outbound policy's route is in VRF cust", route)
    before = spd_mismatches(cli)
    chk.eq(p.call(ADD_SA, add_sa(DEF_SPI, 0, key, reqid=DEF_REQID))[0], 0,
           "ADD_SA, no if_id")
    chk.eq(p.call(ADD_SA, add_sa(CUST_SPI, 0, key, reqid=CUST_REQID,
                                 if_id=IF_ID))[0], 0, "ADD_SA, if_id 7")
    out = cli.cmd("show ipsec sa %d" % CUST_SPI)
    chk.ok("inner cust" in out, "the if_id 7 SA's inner VRF is cust", out)
    chk.ok("inner default" in cli.cmd("show ipsec sa %d" % DEF_SPI),
           "the other SA's is default")
    deadline = time.monotonic() + 30
    got = 0
    while got == 0 and time.monotonic() < deadline:
        st, b = p.call(QUERY_SA, struct.pack("!IB", CUST_SPI, 0))
        got = struct.unpack("!QQI", b)[1] if st == 0 else 0
        time.sleep(0.2)
    time.sleep(WINDOW)
    chk.ok(got > 0, "the if_id 7 SA carries packets", str(got))
    chk.eq(spd_mismatches(cli) - before, 0,
           "none dropped as ipsec_spd_mismatch by the other VRF's policy")
    chk.eq(p.call(ADD_SA, add_sa(0x3301, 0, key, reqid=23, if_id=99))[0],
           -EINVAL, "ADD_SA with an if_id not in ipsec.if_ids: refused")
    chk.eq(p.call(ADD_POLICY, vrf_policy(23, 99, 300))[0], -EINVAL,
           "ADD_POLICY with an if_id not in ipsec.if_ids: refused")
    for pol in (vrf_policy(DEF_REQID, 0, 100),
                vrf_policy(CUST_REQID, IF_ID, 200),
                vrf_policy(CUST_REQID, IF_ID, 200, 1)):
        chk.eq(p.call(DEL_POLICY, pol)[0], 0, "DEL_POLICY")
    chk.ok("10.77.0.0/16" not in cli.cmd("show ip route vrf cust"),
           "the route left VRF cust")


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
    shown = out + cli.cmd("show running-config")
    chk.ok(NEW_KEY not in shown and C.SALT.hex() not in shown,
           "the IKE SAs' keys are never printed")
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
        'ipsec = { sas = ( %s ); ike_socket = "@OUT@/ike.sock";\n'
        '  if_ids = ( { id = 7; vrf = "cust"; } ); };') % sa
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
        chk.set_group("update")
        check_update(chk, cli, p)
        chk.set_group("if_id -> VRF")
        check_if_id(chk, cli, p)
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
