# SPDX-License-Identifier: BSD-3-Clause
"""An FPM peer standing in for zebra: netlink route messages encoded by
pyroute2 (an encoder independent of ferry's libmnl decoder) in the shape
FRR 8.4.4's dplane_fpm_nl sends them (RTA_TABLE always, rtm_table 0 for
tables >= 256, RTA_PRIORITY, RTA_MULTIPATH with rtnh_hops as weight - 1,
RTA_ENCAP_TYPE/RTA_ENCAP for MPLS), framed with FPM's 4-byte header."""

import socket
import struct
import time

RTM_NEWROUTE, RTM_DELROUTE = 24, 25
RTN_UNICAST, RTN_BLACKHOLE = 1, 6
RTPROT_BGP = 186
NLM_F_REQUEST, NLM_F_REPLACE, NLM_F_CREATE = 0x1, 0x100, 0x400

try:
    from pyroute2.netlink.rtnl.rtmsg import rtmsg
except ImportError:  # the caller skips with the reason
    rtmsg = None


def route(kind, dst, plen, gws=(), table=254, rtype=RTN_UNICAST, labels=None,
          oif=2):
    """One RTM_NEWROUTE/RTM_DELROUTE: @p gws is a list of gateways or of
    (gateway, weight) pairs; more than one makes RTA_MULTIPATH. An IPv6
    @p dst makes an AF_INET6 route."""
    m = rtmsg()
    m["header"]["type"] = RTM_NEWROUTE if kind == "new" else RTM_DELROUTE
    m["header"]["flags"] = NLM_F_REQUEST | (NLM_F_CREATE | NLM_F_REPLACE
                                            if kind == "new" else 0)
    m["family"] = 10 if ":" in dst else 2
    m["dst_len"] = plen
    m["table"] = table if table < 256 else 0
    m["proto"] = RTPROT_BGP
    m["type"] = rtype
    attrs = [("RTA_TABLE", table), ("RTA_DST", dst), ("RTA_PRIORITY", 20)]
    gws = [g if isinstance(g, tuple) else (g, 1) for g in gws]
    if len(gws) == 1:
        attrs += [("RTA_GATEWAY", gws[0][0]), ("RTA_OIF", oif)]
        if labels:
            attrs += encap(labels)
    elif gws:
        attrs.append(("RTA_MULTIPATH", [
            {"oif": oif, "hops": w - 1,
             "attrs": [("RTA_GATEWAY", g)] + (encap(labels) if labels else [])}
            for g, w in gws]))
    m["attrs"] = attrs
    m.encode()
    return bytes(m.data)


def lsp(kind, label, gw=None, out=(), oif=2, dev=None):
    """An AF_MPLS route as dplane_fpm_nl sends an LSP: RTA_DST the
    incoming label, RTA_VIA the next hop, RTA_NEWDST the outgoing stack
    (none: pop). @p dev: no next hop, RTA_OIF the ifindex of a VRF
    device (zebra's per-VRF label: pop and look up in the VRF)."""
    m = rtmsg()
    m["header"]["type"] = RTM_NEWROUTE if kind == "new" else RTM_DELROUTE
    m["header"]["flags"] = NLM_F_REQUEST | (NLM_F_CREATE | NLM_F_REPLACE
                                            if kind == "new" else 0)
    m["family"] = 28  # AF_MPLS
    m["dst_len"] = 20
    m["table"] = 254
    m["proto"] = RTPROT_BGP
    m["type"] = RTN_UNICAST
    attrs = [("RTA_DST", [{"label": label, "bos": 1}])]
    if gw is not None:
        attrs += [("RTA_VIA", {"family": 2, "addr": gw}), ("RTA_OIF", oif)]
    if dev is not None:
        attrs.append(("RTA_OIF", dev))
    if out:
        attrs.append(("RTA_NEWDST", [{"label": l, "bos": 1 if i == len(out) - 1 else 0}
                                     for i, l in enumerate(out)]))
    m["attrs"] = attrs
    m.encode()
    return bytes(m.data)


def encap(labels):
    stack = [{"label": l, "bos": 1 if i == len(labels) - 1 else 0}
             for i, l in enumerate(labels)]
    return [("RTA_ENCAP_TYPE", 1),
            ("RTA_ENCAP", {"attrs": [("MPLS_IPTUNNEL_DST", stack)]})]


def frame(*msgs, version=1, ftype=1, length=None):
    payload = b"".join(msgs)
    n = 4 + len(payload) if length is None else length
    return struct.pack("!BBH", version, ftype, n) + payload


class Peer:
    """One FPM session to ferry."""

    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.s = socket.create_connection((host, port), timeout=timeout)

    def send(self, *msgs):
        self.s.sendall(frame(*msgs))

    def raw(self, data):
        self.s.sendall(data)

    def closed_by_ferry(self, timeout=15):
        """Whether ferry closed the session within @p timeout s (it
        never writes: anything read is the end)."""
        self.s.settimeout(0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.s.recv(64) == b"":
                    return True
            except socket.timeout:
                continue
            except OSError:
                return True
        return False

    def close(self):
        self.s.close()
