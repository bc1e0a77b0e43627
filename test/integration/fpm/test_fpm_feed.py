#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""lib/fpm against an FPM peer built on pyroute2's netlink encoder
(fpmfeed.py), on a ferry with three interfaces on net_null ports:

  1. routes: a single path, an ECMP pair with weights, a blackhole, a
     route of kernel table 1000 (vrfs[].table of VRF cust) and one of an
     unmapped table (counted, not guessed) appear with source FRR in the
     right VRF; a DEL+NEW frame changes a route's next hop.
  1b. labels: AF_MPLS routes (zebra's LSPs) land in the LFIB (swap,
     PHP on implicit null), a delete removes them; a labelled IPv4
     route (RTA_ENCAP) is installed with source FRR pushing its stack,
     in the default VRF and (next hop in the core) in VRF cust; a
     labelled multipath route is a group whose paths push their own
     stacks (an unlabelled path of it counted, not installed); a DEL
     removes a labelled route.
  2. static beats FRR (admin distance): a static route over an FRR
     prefix hides it ("frr hidden"), `show running-config` saves static
     only, deleting the static route brings FRR's back.
  3. reconnect: the new session resends part of the table; after
     fpm.sweep_delay the routes and LSPs it did not resend are swept
     (a labelled route too), the others stay.
  4. malformed input, each on its own session: bad version, bad frame
     type, bad frame length, a message longer than its frame, an
     attribute past its message, an unknown attribute type, host bits,
     a peer sending 1 byte a second: a counted error, the session
     closed, and the valid message in the same frame not applied.
  5. grace: after the last session ends, FRR routes are withdrawn after
     fpm.grace seconds, static ones stay.
  6. IPv6 (AF_INET6, a session of its own before 4): a route via a
     gateway on an interface's IPv6 subnet in `show ipv6 route` with
     source FRR, one of table 1000 in VRF cust, a multipath route on its
     first path (the other counted), a link-local gateway counted
     unresolved, a DEL, a static IPv6 route over an FRR prefix wins
     ([frr hidden]), and a reconnect sweeps what was not resent.
  7. next-hop objects (zebra's default `fpm use-next-hop-groups`), a
     session of its own: a group sent before its members, routes naming
     a group and a single next hop by RTA_NH_ID; a route naming an
     object zebra never sent is counted (unknown_nexthop_id), not
     installed; a group change (fewer paths) and a next hop's change of
     gateway move every route of the object with no route message; an
     IPv6 route through an IPv6 next hop; RTM_DELNEXTHOP; a reconnect
     that resends part sweeps the rest (objects and routes); a group of
     7 bytes closes the session (bad_attribute).
  8. FRR over static (fpm.distance 150 below fpm.static_distance 200,
     a floating static; a ferry of its own): FRR's route beats the
     configured static route of its prefix, which stays behind it
     ([static hidden]); FRR's DEL brings the static route back, FRR's
     NEW takes the prefix again; a static route added on the CLI over
     FRR's stays behind it; deleting it leaves FRR's; running-config
     keeps static routes only.
Exits 77 without pyroute2 (python3-pyroute2, scripts/install-deps.sh).
"""
import os
import re
import shutil
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ferrytest as ft  # noqa: E402
import fpmfeed as F  # noqa: E402

CONFIG = """
eal = {{ lcores = "0-1"; memory = 512; huge = false; in_memory = true;
        file_prefix = "{prefix}"; }};
ports = (
  {{ name = "a"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:0a:00"; }},
  {{ name = "b"; device = "net_null1,no-rx=1"; mac = "02:00:00:00:0b:00"; }},
  {{ name = "c"; device = "net_null2,no-rx=1"; mac = "02:00:00:00:0c:00"; }}
);
interfaces = (
  {{ name = "a"; port = "a"; address = "198.18.0.1/30";
    address6 = "2001:db8:a::1/64"; }},
  {{ name = "b"; port = "b"; address = "198.18.1.1/30";
    address6 = "2001:db8:b::1/64"; }},
  {{ name = "c"; port = "c"; address = "198.19.0.1/30"; vrf = "cust";
    address6 = "2001:db8:c::1/64"; }}
);
vrfs = (
  {{ name = "default"; id = 0; }},
  {{ name = "cust"; id = 1; table = 1000; }}
);
workers = ( {{ lcore = 1; rx = ( "a:0", "b:0", "c:0" ); }} );
cli = {{ port = 0; socket = "{work}/cli.sock"; }};
fpm = {{ enabled = true; port = {fpm_port}; grace = 8; sweep_delay = 1;
        frame_timeout = 2; }};
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait(fn, timeout=10, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)


def route_line(cli, prefix, vrf="default", show="show ip route"):
    """The line of @p prefix in `show ip route vrf VRF`, or ""."""
    for line in cli.cmd("%s vrf %s" % (show, vrf)).splitlines():
        f = line.split()
        if f and f[0] == prefix:
            return line
    return ""


def fpm_counters(cli):
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^\s+(\w+)\s+(\d+)$", cli.cmd("show fpm"), re.M)}


def check_routes(chk, cli, port):
    chk.set_group("1. routes, ECMP, VRF tables")
    p = F.Peer(port)
    p.send(F.route("new", "10.50.0.0", 16, ["198.18.0.2"]))
    p.send(F.route("new", "10.51.0.0", 16, [("198.18.0.2", 1), ("198.18.1.2", 2)]),
           F.route("new", "10.52.0.0", 16, rtype=F.RTN_BLACKHOLE),
           F.route("new", "10.53.0.0", 16, ["198.19.0.2"], table=1000),
           F.route("new", "10.54.0.0", 16, ["198.18.0.2"], table=2000))
    line = wait(lambda: route_line(cli, "10.52.0.0/16"))
    chk.ok("[frr]" in route_line(cli, "10.50.0.0/16") and
           "via 198.18.0.2 dev a" in route_line(cli, "10.50.0.0/16"),
           "single path: 10.50.0.0/16 via 198.18.0.2 dev a [frr]",
           cli.cmd("show ip route"))
    mp = route_line(cli, "10.51.0.0/16")
    chk.ok("via 198.18.0.2 dev a" in mp and "via 198.18.1.2 dev b" in mp and
           "[frr]" in mp, "ECMP: 10.51.0.0/16 has both paths", mp)
    chk.ok("blackhole" in line and "[frr]" in line, "blackhole route", line)
    chk.ok("via 198.19.0.2 dev c" in route_line(cli, "10.53.0.0/16", "cust"),
           "table 1000 lands in VRF cust", cli.cmd("show ip route vrf cust"))
    chk.eq(route_line(cli, "10.53.0.0/16"), "", "and not in the default VRF")
    chk.eq(route_line(cli, "10.54.0.0/16"), "", "unmapped table 2000: not installed")
    chk.ok(fpm_counters(cli).get("unknown_table", 0) >= 1,
           "unmapped table counted (unknown_table)", cli.cmd("show fpm"))
    # A route change: DEL then NEW in one frame, as dplane_fpm_nl sends.
    p.send(F.route("del", "10.50.0.0", 16),
           F.route("new", "10.50.0.0", 16, ["198.18.1.2"]))
    ok = wait(lambda: "via 198.18.1.2 dev b" in route_line(cli, "10.50.0.0/16"))
    chk.ok(ok, "DEL+NEW frame moved 10.50.0.0/16 to 198.18.1.2",
           route_line(cli, "10.50.0.0/16"))
    return p


def lfib_line(cli, label):
    for line in cli.cmd("show mpls lfib").splitlines():
        f = line.split()
        if f and f[0] == str(label):
            return line
    return ""


def check_labels(chk, cli, p):
    chk.set_group("1b. labels")
    unsup = fpm_counters(cli).get("unsupported", 0)
    p.send(F.lsp("new", 1100, "198.18.0.2", (1200, 1300)))
    p.send(F.lsp("new", 1101, "198.18.1.2", (3,)))
    p.send(F.lsp("new", 1103, "198.18.1.2", (1500,)))
    p.send(F.route("new", "10.62.0.0", 24, ["198.18.0.2"], labels=[16001, 17]))
    p.send(F.route("new", "10.63.0.0", 24, ["198.18.0.2"], labels=[16002, 18],
                   table=1000))
    p.send(F.route("new", "10.64.0.0", 24, [("198.18.0.2", 1, [16003]),
                                            ("198.18.1.2", 1, [16013, 19]),
                                            ("198.18.1.2", 1, None)]))
    p.send(F.route("new", "10.65.0.0", 24, ["198.18.1.2"], labels=[16004]))
    swap = wait(lambda: lfib_line(cli, 1101))
    chk.ok("1200" in lfib_line(cli, 1100) and "1300" in lfib_line(cli, 1100) and
           "198.18.0.2" in lfib_line(cli, 1100),
           "LSP 1100: swap to 1200/1300 via 198.18.0.2", cli.cmd("show mpls lfib"))
    chk.ok(swap and "198.18.1.2" in lfib_line(cli, 1101),
           "LSP 1101 to implicit null: PHP via 198.18.1.2", cli.cmd("show mpls lfib"))
    p.send(F.lsp("del", 1101))
    chk.ok(wait(lambda: lfib_line(cli, 1101) == ""), "LSP 1101 deleted",
           cli.cmd("show mpls lfib"))
    line = wait(lambda: route_line(cli, "10.65.0.0/24"))
    chk.ok("push 16001/17 via 198.18.0.2 dev a" in route_line(cli, "10.62.0.0/24")
           and "[frr]" in route_line(cli, "10.62.0.0/24"),
           "labelled route 10.62.0.0/24 pushes 16001/17 via 198.18.0.2 [frr]",
           cli.cmd("show ip route"))
    line = route_line(cli, "10.63.0.0/24", "cust")
    chk.ok("push 16002/18 via 198.18.0.2 dev a" in line and "[frr]" in line,
           "VPN route of table 1000 in VRF cust, next hop in the core", line)
    line = route_line(cli, "10.64.0.0/24")
    chk.ok("push 16003 via 198.18.0.2 dev a" in line and
           "push 16013/19 via 198.18.1.2 dev b" in line and "[frr]" in line,
           "labelled multipath: a group whose paths push their own stacks", line)
    chk.ok(fpm_counters(cli).get("paths_dropped", 0) >= 1,
           "its unlabelled path counted (paths_dropped), not installed",
           cli.cmd("show fpm"))
    chk.eq(fpm_counters(cli).get("unsupported", 0), unsup,
           "no labelled route counted unsupported", cli.cmd("show fpm"))
    p.send(F.route("del", "10.65.0.0", 24))
    chk.ok(wait(lambda: route_line(cli, "10.65.0.0/24") == ""),
           "DEL removes labelled route 10.65.0.0/24", cli.cmd("show ip route"))
    # The same stack again after the DEL: a fresh imposition and LSP.
    p.send(F.route("new", "10.65.0.0", 24, ["198.18.1.2"], labels=[16004]))
    chk.ok(wait(lambda: "push 16004 via 198.18.1.2 dev b" in
                route_line(cli, "10.65.0.0/24")),
           "and adding it again works", route_line(cli, "10.65.0.0/24"))


def check_static(chk, cli):
    chk.set_group("2. static beats FRR")
    out = cli.cmd("ip route add 10.50.0.0/16 via 198.18.0.2")
    chk.eq(out.strip(), "", "static route over an FRR prefix accepted")
    line = route_line(cli, "10.50.0.0/16")
    chk.ok("via 198.18.0.2 dev a [static]" in line and "frr hidden: via 198.18.1.2"
           in line, "static route installed, FRR's hidden behind it", line)
    run = cli.cmd("show running-config")
    chk.ok("10.50.0.0/16" in run and "10.51.0.0/16" not in run,
           "running-config (what write saves) has the static route, no FRR one",
           run)
    cli.cmd("ip route del 10.50.0.0/16")
    line = route_line(cli, "10.50.0.0/16")
    chk.ok("via 198.18.1.2 dev b [frr]" in line,
           "static route deleted: FRR's route is back", line)


def check_resync(chk, cli, port, old):
    chk.set_group("3. reconnect: mark and sweep")
    p = F.Peer(port)  # replaces the old session
    old.close()
    p.send(F.route("new", "10.51.0.0", 16, [("198.18.0.2", 1), ("198.18.1.2", 2)]),
           F.route("new", "10.53.0.0", 16, ["198.19.0.2"], table=1000),
           F.route("new", "10.62.0.0", 24, ["198.18.0.2"], labels=[16001, 17]),
           F.lsp("new", 1100, "198.18.0.2", (1200, 1300)))
    gone = wait(lambda: route_line(cli, "10.50.0.0/16") == "" and
                route_line(cli, "10.52.0.0/16") == "", 15)
    chk.ok(gone, "routes not resent swept after sweep_delay", cli.cmd("show ip route"))
    chk.eq(route_line(cli, "10.64.0.0/24"), "", "labelled route not resent swept")
    chk.eq(lfib_line(cli, 1103), "", "LSP 1103 not resent swept from the LFIB")
    chk.ok("push 16001/17" in route_line(cli, "10.62.0.0/24"),
           "labelled route resent kept", cli.cmd("show ip route"))
    p.send(F.lsp("new", 1102, "198.18.0.2", (1400,)))
    chk.ok(wait(lambda: lfib_line(cli, 1102)), "LSP sent after the sweep installed",
           cli.cmd("show mpls lfib"))
    chk.ok("1200" in lfib_line(cli, 1100), "LSP 1100 resent kept",
           cli.cmd("show mpls lfib"))
    chk.ok("[frr]" in route_line(cli, "10.51.0.0/16") and
           "[frr]" in route_line(cli, "10.53.0.0/16", "cust"),
           "resent routes kept", cli.cmd("show ip route"))
    chk.ok("state synced" in cli.cmd("show fpm"), "session synced", cli.cmd("show fpm"))
    return p


def unknown_attr(msg):
    """@p msg with an attribute of a type past RTA_MAX appended."""
    extra = struct.pack("=HHI", 8, 200, 1)
    return struct.pack("=I", len(msg) + 8) + msg[4:] + extra


def attr_overrun(msg):
    """@p msg whose first attribute claims more bytes than it has."""
    b = bytearray(msg)
    struct.pack_into("=H", b, 16 + 12, 200)
    return bytes(b)


def host_bits():
    return F.route("new", "10.90.0.1", 16, ["198.18.0.2"])


MALFORMED = [
    # (name, counter, bytes after a valid frame; the valid 10.80.N.0/24
    #  message goes in front of the bad one in the same frame when
    #  the frame header itself is sound)
    ("bad version", "bad_version", lambda ok: F.frame(ok, version=2)),
    ("bad frame type", "bad_frame_type", lambda ok: F.frame(ok, ftype=3)),
    ("frame length shorter than a message", "bad_frame_length",
     lambda ok: F.frame(ok, length=6)),
    ("message longer than its frame", "bad_netlink",
     lambda ok: F.frame(ok, ok[:-8], length=4 + len(ok) * 2 - 8)),
    ("attribute past its message", "bad_attribute",
     lambda ok: F.frame(ok, attr_overrun(ok))),
    ("unknown attribute type", "bad_attribute",
     lambda ok: F.frame(ok, unknown_attr(ok))),
    ("host bits set", "bad_route", lambda ok: F.frame(ok, host_bits())),
]


def check_malformed(chk, cli, port):
    chk.set_group("4. malformed input")
    for i, (name, ctr, make) in enumerate(MALFORMED):
        before = fpm_counters(cli).get(ctr, 0)
        p = F.Peer(port)
        ok = F.route("new", "10.80.%d.0" % i, 24, ["198.18.0.2"])
        p.raw(make(ok))
        closed = p.closed_by_ferry()
        p.close()
        after = fpm_counters(cli).get(ctr, 0)
        chk.ok(closed and after == before + 1,
               "%s: session closed, %s counted (%d -> %d)" % (name, ctr, before, after),
               cli.cmd("show fpm"))
        chk.eq(route_line(cli, "10.80.%d.0/24" % i), "",
               "%s: the valid message of the frame not applied" % name)
    # A peer that trickles a frame one byte a second.
    before = fpm_counters(cli).get("frame_timeout", 0)
    p = F.Peer(port)
    data = F.frame(F.route("new", "10.81.0.0", 24, ["198.18.0.2"]))
    closed = False
    for b in data[:10]:
        try:
            p.raw(bytes([b]))
        except OSError:
            closed = True
            break
        time.sleep(1)
    closed = closed or p.closed_by_ferry(10)
    p.close()
    chk.ok(closed and fpm_counters(cli).get("frame_timeout", 0) == before + 1,
           "1 byte/s peer: session closed, frame_timeout counted",
           cli.cmd("show fpm"))
    chk.eq(route_line(cli, "10.81.0.0/24"), "", "trickled route not applied")


def route6_line(cli, prefix, vrf="default"):
    return route_line(cli, prefix, vrf, "show ipv6 route")


def check_ipv6(chk, cli, port):
    chk.set_group("6. IPv6 routes")
    p = F.Peer(port)
    before = fpm_counters(cli)
    p.send(F.route("new", "2001:db8:100::", 48, ["2001:db8:a::2"]),
           F.route("new", "2001:db8:101::", 48, ["2001:db8:c::2"], table=1000),
           F.route("new", "2001:db8:102::", 48, ["2001:db8:b::2", "2001:db8:a::2"]),
           F.route("new", "2001:db8:103::", 48, ["fe80::2"]),
           F.route("new", "2001:db8:104::", 48, ["2001:db8:a::2"]),
           F.route("new", "2001:db8:105::", 48, ["2001:db8:b::2"]))
    ok = wait(lambda: route6_line(cli, "2001:db8:105::/48"))
    line = route6_line(cli, "2001:db8:100::/48")
    chk.ok(ok and "via 2001:db8:a::2 dev a" in line and "[frr]" in line,
           "2001:db8:100::/48 via 2001:db8:a::2 dev a [frr]",
           cli.cmd("show ipv6 route") + cli.cmd("show fpm"))
    line = route6_line(cli, "2001:db8:101::/48", "cust")
    chk.ok("via 2001:db8:c::2 dev c" in line and "[frr]" in line,
           "table 1000 lands in VRF cust", cli.cmd("show ipv6 route vrf cust"))
    chk.eq(route6_line(cli, "2001:db8:101::/48"), "", "and not in the default VRF")
    chk.ok("via 2001:db8:b::2 dev b" in route6_line(cli, "2001:db8:102::/48"),
           "multipath: the first path", route6_line(cli, "2001:db8:102::/48"))
    after = fpm_counters(cli)
    chk.ok(after["paths_dropped"] > before["paths_dropped"],
           "the other path counted (paths_dropped)", cli.cmd("show fpm"))
    chk.ok(route6_line(cli, "2001:db8:103::/48") == "" and
           after["unresolved_nexthop"] > before["unresolved_nexthop"],
           "link-local gateway: not installed, counted unresolved_nexthop",
           cli.cmd("show fpm"))
    p.send(F.route("del", "2001:db8:104::", 48))
    chk.ok(wait(lambda: route6_line(cli, "2001:db8:104::/48") == ""),
           "DEL removes 2001:db8:104::/48", cli.cmd("show ipv6 route"))
    out = cli.cmd("ipv6 route add 2001:db8:105::/48 via 2001:db8:a::3")
    line = route6_line(cli, "2001:db8:105::/48")
    chk.ok("via 2001:db8:a::3 dev a" in line and "[frr hidden]" in line,
           "a static route wins over FRR's: [frr hidden]", out + line)
    p2 = F.Peer(port)
    p.close()
    p2.send(F.route("new", "2001:db8:100::", 48, ["2001:db8:a::2"]))
    gone = wait(lambda: route6_line(cli, "2001:db8:102::/48") == "", 15)
    chk.ok(gone and "[frr]" in route6_line(cli, "2001:db8:100::/48"),
           "reconnect: not resent swept, resent kept", cli.cmd("show ipv6 route"))
    line = route6_line(cli, "2001:db8:105::/48")
    chk.ok("via 2001:db8:a::3" in line and "frr" not in line,
           "the static route stays, FRR's hidden one swept", line)
    cli.cmd("ipv6 route del 2001:db8:105::/48")
    p2.close()


def nh_count(cli):
    m = re.search(r"next-hop objects: (\d+)", cli.cmd("show fpm"))
    return int(m.group(1)) if m else -1


def check_nhg(chk, cli, port):
    chk.set_group("7. next-hop objects (fpm use-next-hop-groups)")
    p = F.Peer(port)
    before = fpm_counters(cli)
    # hash order: the group may come before its members
    p.send(F.nexthop("new", 200, group=[(101, 1), (102, 2)]))
    p.send(F.nexthop("new", 101, "198.18.0.2"),
           F.nexthop("new", 102, "198.18.1.2"),
           F.nexthop("new", 103, "198.18.1.2"),
           F.nexthop("new", 601, "2001:db8:a::2"))
    p.send(F.route_nh("new", "10.80.0.0", 16, 200),
           F.route_nh("new", "10.81.0.0", 16, 200),
           F.route_nh("new", "10.82.0.0", 16, 101),
           F.route_nh("new", "10.83.0.0", 16, 999),
           F.route_nh("new", "10.84.0.0", 16, 103),
           F.route_nh("new", "2001:db8:80::", 48, 601))
    wait(lambda: route_line(cli, "10.84.0.0/16"))
    for pfx in ("10.80.0.0/16", "10.81.0.0/16"):
        line = route_line(cli, pfx)
        chk.ok("via 198.18.0.2 dev a" in line and "via 198.18.1.2 dev b" in line
               and "[frr]" in line, "%s: group 200's two paths" % pfx, line)
    line = route_line(cli, "10.82.0.0/16")
    chk.ok("via 198.18.0.2 dev a" in line and "[frr]" in line,
           "10.82.0.0/16 through next hop 101", line)
    chk.eq(route_line(cli, "10.83.0.0/16"), "", "unknown object 999: not installed")
    after = fpm_counters(cli)
    chk.eq(after.get("unknown_nexthop_id", 0) - before.get("unknown_nexthop_id", 0),
           1, "unknown object counted once", cli.cmd("show fpm"))
    chk.eq(nh_count(cli), 5, "five objects held", cli.cmd("show fpm"))
    chk.ok("via 2001:db8:a::2" in route6_line(cli, "2001:db8:80::/48"),
           "IPv6 route through IPv6 next hop 601", cli.cmd("show ipv6 route"))
    # The group changes: both its routes move, no route message sent.
    p.send(F.nexthop("new", 200, group=[(102, 1)]))
    ok = wait(lambda: "via 198.18.0.2" not in route_line(cli, "10.81.0.0/16"))
    for pfx in ("10.80.0.0/16", "10.81.0.0/16"):
        line = route_line(cli, pfx)
        chk.ok(ok and "via 198.18.1.2 dev b" in line and "198.18.0.2" not in line,
               "%s follows group 200 to 102 alone" % pfx, line)
    # A next hop changes gateway: its routes and groups follow.
    p.send(F.nexthop("new", 101, "198.18.1.2"))
    ok = wait(lambda: "via 198.18.1.2 dev b" in route_line(cli, "10.82.0.0/16"))
    chk.ok(ok, "10.82.0.0/16 follows next hop 101 to 198.18.1.2",
           route_line(cli, "10.82.0.0/16"))
    p.send(F.route_nh("del", "10.82.0.0", 16, 0), F.nexthop("del", 101))
    ok = wait(lambda: nh_count(cli) == 4)
    chk.ok(ok and route_line(cli, "10.82.0.0/16") == "" and
           fpm_counters(cli).get("nexthops_deleted", 0) >= 1,
           "RTM_DELNEXTHOP after its route's delete", cli.cmd("show fpm"))
    p.close()
    # Reconnect: zebra resends 102, 200 and 10.80 only.
    p = F.Peer(port)
    p.send(F.nexthop("new", 102, "198.18.1.2"),
           F.nexthop("new", 200, group=[(102, 1)]),
           F.route_nh("new", "10.80.0.0", 16, 200))
    gone = wait(lambda: route_line(cli, "10.81.0.0/16") == "" and
                nh_count(cli) == 2, 15, 0.2)
    chk.ok(gone and "[frr]" in route_line(cli, "10.80.0.0/16") and
           route_line(cli, "10.84.0.0/16") == "",
           "resync: routes and objects not resent are swept",
           cli.cmd("show ip route") + cli.cmd("show fpm"))
    # A group attribute that is no array of nexthop_grp.
    e0 = fpm_counters(cli).get("bad_attribute", 0)
    p.send(F.nexthop("new", 300, attrs=[("NHA_ID", 300),
                                        ("NHA_GROUP", b"\x01" * 7)]))
    chk.ok(p.closed_by_ferry() and
           fpm_counters(cli).get("bad_attribute", 0) == e0 + 1,
           "NHA_GROUP of 7 bytes: bad_attribute, session closed",
           cli.cmd("show fpm"))
    p.close()


def check_frr_wins(chk, binary, work):
    chk.set_group("8. fpm.distance below fpm.static_distance: FRR wins")
    port = free_port()
    cfg = os.path.join(work, "frrwins.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix=os.path.basename(work) + "w", work=work,
                              fpm_port=port)
                .replace('{ name = "default"; id = 0; }',
                         '{ name = "default"; id = 0; routes = ( { prefix = '
                         '"10.90.0.0/16"; via = "198.18.0.2"; } ); }')
                .replace("frame_timeout = 2;", "frame_timeout = 2; "
                         "distance = 150; static_distance = 200;")
                .replace("cli.sock", "cliw.sock"))
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        chk.ok("frr wins" in cli.cmd("show fpm"), "show fpm says FRR wins",
               cli.cmd("show fpm"))
        p = F.Peer(port)
        p.send(F.route("new", "10.90.0.0", 16, ["198.18.1.2"]))
        ok = wait(lambda: "[frr]" in route_line(cli, "10.90.0.0/16"))
        line = route_line(cli, "10.90.0.0/16")
        chk.ok(ok and "via 198.18.1.2 dev b [frr]" in line and
               "[static hidden: via 198.18.0.2 dev a]" in line,
               "FRR's route beats the configured static one", line)
        p.send(F.route("del", "10.90.0.0", 16))
        ok = wait(lambda: "[static]" in route_line(cli, "10.90.0.0/16"))
        line = route_line(cli, "10.90.0.0/16")
        chk.ok(ok and "via 198.18.0.2 dev a [static]" in line and
               "hidden" not in line, "FRR's DEL: the static route is back", line)
        p.send(F.route("new", "10.90.0.0", 16, ["198.18.1.2"]))
        ok = wait(lambda: "[frr]" in route_line(cli, "10.90.0.0/16"))
        chk.ok(ok, "FRR's NEW takes the prefix again",
               route_line(cli, "10.90.0.0/16"))
        p.send(F.route("new", "10.91.0.0", 16, ["198.18.1.2"]))
        wait(lambda: "[frr]" in route_line(cli, "10.91.0.0/16"))
        out = cli.cmd("ip route add 10.91.0.0/16 via 198.18.0.2")
        line = route_line(cli, "10.91.0.0/16")
        chk.ok(out.strip() == "" and "via 198.18.1.2 dev b [frr]" in line and
               "[static hidden: via 198.18.0.2 dev a]" in line,
               "a CLI static route over FRR's stays behind it", out + line)
        run = cli.cmd("show running-config")
        chk.ok("10.90.0.0/16" in run and "10.91.0.0/16" in run,
               "running-config keeps both static routes", run)
        out = cli.cmd("ip route del 10.91.0.0/16")
        line = route_line(cli, "10.91.0.0/16")
        chk.ok("via 198.18.1.2 dev b [frr]" in line and "hidden" not in line,
               "deleting the hidden static route leaves FRR's", out + line)
        p.close()
        cli.close()
    finally:
        status, _, err = ferry.stop()
    chk.eq(status, 0, "ferry exit status (FRR wins)", err[-2000:])


def check_grace(chk, cli, port):
    chk.set_group("5. grace time")
    p = F.Peer(port)
    p.send(F.route("new", "10.60.0.0", 16, ["198.18.0.2"]))
    wait(lambda: route_line(cli, "10.60.0.0/16"))
    cli.cmd("ip route add 10.61.0.0/16 via 198.18.0.2")
    p.close()
    chk.ok(wait(lambda: "state grace" in cli.cmd("show fpm"), 10),
           "session gone: grace", cli.cmd("show fpm"))
    chk.ok("[frr]" in route_line(cli, "10.60.0.0/16"),
           "FRR route kept during grace", cli.cmd("show ip route"))
    gone = wait(lambda: route_line(cli, "10.60.0.0/16") == "", 20, 0.2)
    chk.ok(gone and "frr routes: 0" in cli.cmd("show fpm"),
           "FRR routes withdrawn after fpm.grace", cli.cmd("show fpm"))
    chk.ok("[static]" in route_line(cli, "10.61.0.0/16"), "static route stays")


def main():
    binary = ft.setup()
    if F.rtmsg is None:
        ft.skip("fpm: python3-pyroute2 is not installed (scripts/install-deps.sh)")
    chk = ft.Checks("fpm-feed")
    work = tempfile.mkdtemp(prefix="ferry-fpm-")
    port = free_port()
    cfg = os.path.join(work, "ferry.cfg")
    with open(cfg, "w") as f:
        f.write(CONFIG.format(prefix=os.path.basename(work), work=work,
                              fpm_port=port))
    ferry = ft.Running(binary, cfg)
    try:
        cli = ferry.cli()
        p = check_routes(chk, cli, port)
        check_labels(chk, cli, p)
        check_static(chk, cli)
        p = check_resync(chk, cli, port, p)
        p.close()
        check_ipv6(chk, cli, port)
        check_nhg(chk, cli, port)
        check_malformed(chk, cli, port)
        check_grace(chk, cli, port)
        cli.close()
    finally:
        status, out, err = ferry.stop()
        shutil.rmtree(work, ignore_errors=True)
    chk.eq(status, 0, "ferry exit status", err[-2000:])
    work = tempfile.mkdtemp(prefix="ferry-fpmw-")
    try:
        check_frr_wins(chk, binary, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
