# SPDX-License-Identifier: BSD-3-Clause
"""An FPM peer standing in for zebra: netlink route messages encoded by
pyroute2 (an encoder independent of ferry's libmnl decoder) in the shape
FRR 8.4.4's dplane_fpm_nl sends them (RTA_TABLE always, rtm_table 0 for
tables >= 256, RTA_PRIORITY, RTA_MULTIPATH with rtnh_hops as weight - 1,
RTA_ENCAP_TYPE/RTA_ENCAP for MPLS), framed with FPM's 4-byte header.
With `fpm use-next-hop-groups` (zebra's default) dplane_fpm_nl sends
next-hop objects (RTM_NEWNEXTHOP: nhmsg, NHA_ID, NHA_GATEWAY + NHA_OIF
for one next hop, NHA_GROUP of struct nexthop_grp {id, weight - 1} for a
group; RTM_DELNEXTHOP: NHA_ID) and routes with RTA_NH_ID instead of
gateways (zebra/rt_netlink.c, netlink_nexthop_msg_encode() and
netlink_route_multipath_msg_encode() of FRR 8.4.4)."""

import socket
import struct
import time

RTM_NEWROUTE, RTM_DELROUTE = 24, 25
RTM_NEWNEXTHOP, RTM_DELNEXTHOP = 104, 105
RTN_UNICAST, RTN_BLACKHOLE = 1, 6
RTPROT_BGP = 186
NLM_F_REQUEST, NLM_F_REPLACE, NLM_F_CREATE = 0x1, 0x100, 0x400

try:
    from pyroute2.netlink import nlmsg
    from pyroute2.netlink.rtnl.rtmsg import rtmsg
except ImportError:  # the caller skips with the reason
    rtmsg = None

if rtmsg is not None:
    class rtmsg_nh(nlmsg):
        """An rtmsg with RTA_NH_ID (30), which Debian 12's pyroute2
        lacks (its rtmsg stops at RTA_EXPIRES). A class of its own: a
        subclass of rtmsg would reuse rtmsg's compiled attribute map.
        RTA_DST is given as the address's bytes."""
        fields = rtmsg.fields
        nla_map = ((1, "RTA_DST", "cdata"), (6, "RTA_PRIORITY", "uint32"),
                   (15, "RTA_TABLE", "uint32"), (30, "RTA_NH_ID", "uint32"))

    class nhmsg(nlmsg):
        """struct nhmsg and NHA_ attributes (linux/nexthop.h); Debian
        12's pyroute2 has no nhmsg. Gateways and groups are given as the
        bytes the kernel defines."""
        fields = (("family", "B"), ("scope", "B"), ("protocol", "B"),
                  ("resvd", "B"), ("flags", "I"))
        nla_map = (("NHA_UNSPEC", "none"), ("NHA_ID", "uint32"),
                   ("NHA_GROUP", "cdata"), ("NHA_GROUP_TYPE", "uint16"),
                   ("NHA_BLACKHOLE", "flag"), ("NHA_OIF", "uint32"),
                   ("NHA_GATEWAY", "cdata"), ("NHA_ENCAP_TYPE", "uint16"),
                   ("NHA_ENCAP", "cdata"))


def nexthop(kind, nh_id, gw=None, group=(), oif=2, attrs=None):
    """RTM_NEWNEXTHOP (@p kind "new") or RTM_DELNEXTHOP: one next hop
    @p gw (AF_INET/AF_INET6 by its form), or a group of (id, weight)."""
    m = nhmsg()
    m["header"]["type"] = RTM_NEWNEXTHOP if kind == "new" else RTM_DELNEXTHOP
    m["header"]["flags"] = NLM_F_REQUEST | NLM_F_CREATE | (
        NLM_F_REPLACE if kind == "new" else 0)
    m["family"] = 0
    a = [("NHA_ID", nh_id)]
    if kind == "new" and group:
        a.append(("NHA_GROUP", b"".join(struct.pack("=IBBH", i, w - 1, 0, 0)
                                        for i, w in group)))
    elif kind == "new" and gw is not None:
        fam = socket.AF_INET6 if ":" in gw else socket.AF_INET
        m["family"] = fam
        a += [("NHA_GATEWAY", socket.inet_pton(fam, gw)), ("NHA_OIF", oif)]
    m["attrs"] = a if attrs is None else attrs
    m.encode()
    return bytes(m.data)


def route_head(m, kind, dst, plen, table, rtype):
    """The rtmsg header of a route as dplane_fpm_nl fills it."""
    m["header"]["type"] = RTM_NEWROUTE if kind == "new" else RTM_DELROUTE
    m["header"]["flags"] = NLM_F_REQUEST | (NLM_F_CREATE | NLM_F_REPLACE
                                            if kind == "new" else 0)
    m["family"] = 10 if ":" in dst else 2
    m["dst_len"] = plen
    m["table"] = table if table < 256 else 0
    m["proto"] = RTPROT_BGP
    m["type"] = rtype
    return m


def route_nh(kind, dst, plen, nh_id, table=254):
    """A route as dplane_fpm_nl sends it with next-hop groups: no
    gateway, RTA_NH_ID naming the object."""
    m = route_head(rtmsg_nh(), kind, dst, plen, table, RTN_UNICAST)
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    m["attrs"] = [("RTA_DST", socket.inet_pton(fam, dst)), ("RTA_PRIORITY", 20),
                  ("RTA_TABLE", table)] + (
        [("RTA_NH_ID", nh_id)] if kind == "new" else [])
    m.encode()
    return bytes(m.data)


def route(kind, dst, plen, gws=(), table=254, rtype=RTN_UNICAST, labels=None,
          oif=2):
    """One RTM_NEWROUTE/RTM_DELROUTE: @p gws is a list of gateways or of
    (gateway, weight) or (gateway, weight, labels) tuples (a path's own
    stack; else @p labels for every path); more than one makes
    RTA_MULTIPATH. An IPv6 @p dst makes an AF_INET6 route."""
    m = route_head(rtmsg(), kind, dst, plen, table, rtype)
    attrs = [("RTA_TABLE", table), ("RTA_DST", dst), ("RTA_PRIORITY", 20)]
    gws = [g if isinstance(g, tuple) else (g, 1) for g in gws]
    gws = [g if len(g) == 3 else (g[0], g[1], labels) for g in gws]
    if len(gws) == 1:
        attrs += [("RTA_GATEWAY", gws[0][0]), ("RTA_OIF", oif)]
        if labels:
            attrs += encap(labels)
    elif gws:
        attrs.append(("RTA_MULTIPATH", [
            {"oif": oif, "hops": w - 1,
             "attrs": [("RTA_GATEWAY", g)] + (encap(ls) if ls else [])}
            for g, w, ls in gws]))
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
