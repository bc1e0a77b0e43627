#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The one change transaction (lib/config cfg_txn) seen from outside.

Under replayed traffic to a static route (10.5.0.0/16), a VPN route over
an LSP (10.10.0.0/16) and a VXLAN tunnel route (10.11.0.0/16), through
an ACL on the receiving interface, none of which a step touches:
- walk every live list of the file (routes, ECMP routes, neighbours,
  interfaces,
  ACLs, VXLAN bridge domains, flood lists, static MACs, tunnel routes,
  MPLS LSPs, VPN routes, LFIB entries):
  add, change and delete one entry per `config reload`; after
  each, the running config equals that of a fresh ferry started with
  the same file, and no packet of the unchanged entries is dropped;
- the same change made over the CLI and by reload gives byte-identical
  running configs; `show running-config diff` shows CLI changes, a
  reload refuses while they are unsaved, `config reload force` drops
  them;
- a reload that fails half way (the VRF's route table is full) leaves
  the running config and the routing table byte-identical.
"""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402
from test_cli_changes import delta  # noqa: E402

TRAFFIC = '{ prefix = "10.5.0.0/16"; via = "198.18.1.2"; }'
ROUTE = '{ prefix = "10.3.0.0/16"; via = "198.18.0.2"; }'
# A static ECMP route (vias): out of "a" and "b".
ECMP = '{ prefix = "10.4.0.0/16"; vias = ( "198.18.0.2", "198.18.1.2" ); }'
# On "in" (a /24): .3 of "a" (a /30) is its broadcast address, refused.
NBR = '{ interface = "in"; address = "192.0.2.77"; mac = "02:00:00:00:0a:03"; }'
IF_A = '{ name = "a"; port = "a"; address = "198.18.0.1/30"; }'
# The ACL on "in" every packet passes; the walk's own one is bound to "a".
KEEP = ('{ name = "keep"; interfaces = ( "in" ); rules = ( '
        '{ proto = "udp"; dport = "53"; action = "permit"; } ); }')
ACLS = 'acls = ( %s );\n' % KEEP
ACL_F = ('{ name = "f"; interfaces = ( "a" ); rules = ( '
         '{ proto = "udp"; dport = "7"; action = "deny"; } ); }')
BD1 = '{ id = 1; vni = 42; flood = ( "198.18.1.2" ); }'
KEEP_TROUTE = ('{ vrf = "default"; prefix = "10.11.0.0/16"; '
               'remote = "198.18.1.2"; vni = 6000; '
               'inner_mac = "02:00:00:00:0c:09"; }')
VXLAN = ('vxlan = { local = "198.18.1.1"; underlay_vrf = "default";\n'
         '\tbridge_domains = ( %s );\n\ttunnel_routes = ( %s ); };\n'
         % (BD1, KEEP_TROUTE))
TROUTE = ('{ vrf = "default"; prefix = "10.7.0.0/16"; remote = "198.18.1.2"; '
          'vni = 5000; inner_mac = "02:00:00:00:0c:01"; }')
KEEP_LSP = ('{ pe = "10.255.0.9"; interface = "a"; via = "198.18.0.2"; '
            'labels = "16009"; }')
KEEP_VPN = ('{ vrf = "default"; prefix = "10.10.0.0/16"; pe = "10.255.0.9"; '
            'label = 500; }')
MPLS = ('mpls = { interfaces = ( "a" );\n\tlsps = ( %s );\n'
        '\tvpn_routes = ( %s );\n\tlfib = ( ); };\n' % (KEEP_LSP, KEEP_VPN))
LSP = ('{ pe = "10.255.0.2"; interface = "a"; via = "198.18.0.2"; '
       'labels = "16002"; }')
VPN = '{ vrf = "default"; prefix = "10.9.0.0/16"; pe = "10.255.0.2"; label = 100; }'
LFIB = ('{ label = 200; action = "swap"; out_labels = "300"; interface = "a"; '
        'via = "198.18.0.2"; }')
SMAC = 'static_macs = ( { mac = "02:00:00:00:aa:01"; remote = "198.18.1.2"; } );'


def frames():
    """UDP to the unchanged static route, VPN route and tunnel route."""
    out = []
    for i in range(129):
        pkt = (ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
               ft.IP(src="192.0.2.10",
                     dst="10.%d.%d.%d" % ((5, 10, 11)[i % 3], i, 1 + i)) /
               ft.UDP(sport=2000 + i, dport=53) / (b"y" * 200))
        out.append(bytes(pkt))
    return out


def write(path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)


def steps(base):
    """(what, file text) for each reload of the walk, back to base."""
    r = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % ROUTE, 1)
    e = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % ECMP, 1)
    n = base.replace("neighbours = (\n", "neighbours = (\n\t%s,\n" % NBR, 1)
    a = base.replace(ACLS, "acls = ( %s,\n\t%s );\n" % (KEEP, ACL_F))
    t = base.replace(KEEP_TROUTE + " )", KEEP_TROUTE + ",\n\t\t" + TROUTE +
                     " )")
    b2 = base.replace(BD1, BD1 + ", { id = 2; vni = 43; }")
    m = base.replace(BD1, BD1.replace(" }", " %s }" % SMAC))
    lsp = base.replace(KEEP_LSP + " )", KEEP_LSP + ",\n\t\t" + LSP + " )")
    lsp2 = lsp.replace("16002", "16003")
    vpn = lsp2.replace(KEEP_VPN + " )", KEEP_VPN + ",\n\t\t" + VPN + " )")
    lfib = base.replace("lfib = ( )", "lfib = ( %s )" % LFIB)
    return [
        ("route add", r),
        ("route change", r.replace(ROUTE, ROUTE.replace(
            'via = "198.18.0.2"', "blackhole = true"))),
        ("route delete", base),
        ("ECMP route add", e),
        ("ECMP route change", e.replace(ECMP, ECMP.replace(
            'vias = ( "198.18.0.2", "198.18.1.2" )', 'via = "198.18.1.2"'))),
        ("ECMP route delete", base),
        ("neighbour add", n),
        ("neighbour change", n.replace("0a:03", "0a:04")),
        ("neighbour delete", base),
        ("interface change", base.replace(IF_A, IF_A.replace(
            "/30\";", "/30\"; mtu = 1400; up = false;"))),
        ("interface back", base),
        ("acl add", a),
        ("acl change", a.replace("dport = \"7\"", "dport = \"9\"")),
        ("acl delete", base),
        ("vxlan tunnel route add", t),
        ("vxlan tunnel route change", t.replace("vni = 5000", "vni = 5001")),
        ("vxlan tunnel route delete", base),
        ("vxlan bridge domain add", b2),
        ("vxlan bridge domain delete", base),
        ("vxlan flood list change", base.replace(
            '"198.18.1.2" )', '"198.18.1.2", "198.18.1.3" )')),
        ("vxlan flood list back", base),
        ("vxlan static MAC add", m),
        ("vxlan static MAC change", m.replace("aa:01\"; remote = \"198.18.1.2",
                                              "aa:01\"; remote = \"198.18.1.3")),
        ("vxlan static MAC delete", base),
        ("mpls LSP add", lsp),
        ("mpls LSP change", lsp2),
        ("mpls VPN route add", vpn),
        ("mpls VPN route change", vpn.replace("label = 100", "label = 101")),
        ("mpls VPN route delete", lsp2),
        ("mpls LSP delete", base),
        ("mpls LFIB entry add", lfib),
        ("mpls LFIB entry change", lfib.replace('"300"', '"301"')),
        ("mpls LFIB entry delete", base),
    ]


def fresh_running(binary, work, text, prefix):
    """The running config of a new ferry started with @p text."""
    path = os.path.join(work, "fresh.cfg")
    own = 'file_prefix = "%s' % prefix  # its own EAL prefix, else the same
    # its own CLI socket too: the first ferry holds cli.sock
    write(path, text.replace(own, own + "f").replace("/cli.sock",
                                                      "/fresh-cli.sock"))
    ferry = ft.Running(binary, path)
    try:
        cli = ferry.cli()
        out = cli.cmd("show running-config").replace(own + "f", own)
        out = out.replace("/fresh-cli.sock", "/cli.sock")
        cli.close()
    finally:
        ferry.stop()
    return out


def drops(cli):
    return sum(ft.Counters(cli.cmd("show counters")).drops.values())


# Drops a step accounts for: taking "a" down stops the VPN flow, which
# leaves by it, until the next step's reload has brought it back up.
CHANGED_FLOW = {"interface change": "iface_down",
                "interface back": "iface_down"}


def drop_counts(cli):
    return ft.Counters(cli.cmd("show counters")).drops


def walk(chk, binary, work, cfg, cli, base, prefix, steps_of=steps):
    """Each reload of steps_of(base) against a fresh start; no drop."""
    chk.set_group("walk: each reload = a fresh start")
    unaccounted = {}
    for what, text in steps_of(base):
        before = drop_counts(cli)
        write(cfg, text)
        out = cli.cmd("config reload")
        chk.ok("reloaded" in out and "1 change" in out, what, out)
        chk.eq(cli.cmd("show running-config"),
               fresh_running(binary, work, text, prefix),
               "%s: running config as a fresh start" % what)
        for reason, n in drop_counts(cli).items():
            if n > before.get(reason, 0) and reason != CHANGED_FLOW.get(what):
                unaccounted["%s: %s" % (what, reason)] = \
                    n - before.get(reason, 0)
    d = delta(cli)
    chk.ok(d.get("tx b", 0) > 0, "traffic on the unchanged route and "
           "tunnel route flows", str(d))
    chk.ok(d.get("tx a", 0) > 0, "traffic on the unchanged VPN route and "
           "LSP flows", str(d))
    chk.eq(unaccounted, {}, "no packet dropped during the walk but those "
           "of the flow a step changed")


def cli_vs_reload(chk, cfg, cli, base):
    chk.set_group("CLI and reload agree")
    start = cli.cmd("show running-config")
    for c in ("ip route add 10.3.0.0/16 via 198.18.0.2",
              "neighbour add 192.0.2.77 mac 02:00:00:00:0a:03 interface in",
              "interface a mtu 1400"):
        chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)
    by_cli = cli.cmd("show running-config")
    diff = cli.cmd("show running-config diff")
    chk.ok(diff.startswith("3 differences") and
           re.search(r"^\+ vrfs\.\[0\]\.routes\.\[\d\] \{ prefix = "
                     r"\"10\.3\.0\.0/16\"", diff, re.M) and
           re.search(r"^\+ neighbours\.\[\d\] ", diff, re.M) and
           re.search(r"^~ interfaces\.\[1\] .*mtu = 1400", diff, re.M),
           "show running-config diff lists the three CLI changes", diff)
    out = cli.cmd("config reload")
    chk.ok(out.startswith("%") and "CLI changes" in out and "force" in out,
           "reload refused while CLI changes are unsaved", out)
    chk.eq(cli.cmd("show running-config"), by_cli, "refused reload changed nothing")
    out = cli.cmd("config reload force")
    chk.ok("reloaded" in out and "3 changes" in out and "- vrfs" in out,
           "config reload force drops them and lists them", out)
    chk.eq(cli.cmd("show running-config"), start, "back to the file")
    chk.ok(cli.cmd("show running-config diff").startswith("0 differences"),
           "no difference after the forced reload")
    # the CLI appends rows: the file gets them last too
    last_route = '{ prefix = "10.2.0.0/16"; via = "198.18.0.2"; }'
    last_nbr = ('{ interface = "b"; address = "198.18.1.2"; '
                'mac = "02:00:00:00:0b:02"; }')
    write(cfg, base.replace(last_route, last_route + ",\n\t\t" + ROUTE)
          .replace(last_nbr, last_nbr + ",\n\t" + NBR)
          .replace(IF_A, IF_A.replace("/30\";", "/30\"; mtu = 1400;")))
    out = cli.cmd("config reload")
    chk.ok("reloaded" in out and "3 changes" in out, "the same change by reload", out)
    by_file = cli.cmd("show running-config")
    chk.eq(by_file, by_cli, "CLI and reload: byte-identical running configs")
    write(cfg, base)
    chk.ok("reloaded" in cli.cmd("config reload"), "back to base")


def failed_half_way(chk, cfg, cli, base):
    chk.set_group("a reload that fails half way changes nothing")
    running = cli.cmd("show running-config")
    table = cli.cmd("show ip route")
    nbrs = cli.cmd("show neighbours")
    many = ",\n\t\t".join('{ prefix = "10.%d.0.0/16"; via = "198.18.0.2"; }' % i
                          for i in range(30, 50))
    text = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % many, 1)
    text = text.replace("02:00:00:00:0b:02", "02:00:00:00:0b:09")
    write(cfg, text)
    out = cli.cmd("config reload")
    chk.ok(out.startswith("%") and "rejected" in out and "nothing changed" in out,
           "20 routes more than the VRF holds: refused", out)
    chk.eq(cli.cmd("show running-config"), running, "running config identical")
    chk.eq(cli.cmd("show ip route"), table, "routing table identical")
    chk.eq(re.findall(r"198\.18\.\d+\.\d+\s+\S+", cli.cmd("show neighbours")),
           re.findall(r"198\.18\.\d+\.\d+\s+\S+", nbrs), "neighbours identical")
    write(cfg, base)


class Live:
    """One ferry on the walk's base file, for the cases of a test."""

    def __init__(self, name, frames_list, extra):
        self.binary = ft.setup()
        self.chk = ft.Checks(name)
        self.work, self.cfg, base = ft.live_case(
            ft.here(__file__, "ferry.cfg.in"), frames_list, name)
        self.prefix = os.path.basename(self.work)
        base = base.replace('{ name = "default"; id = 0;',
                            '{ name = "default"; id = 0; max_routes = 16;')
        base = base.replace("routes = ( ", "routes = ( %s,\n\t\t" % TRAFFIC,
                            1)
        self.base = base + extra
        self.cli = None

    def run(self, cases):
        """Each case(self) in turn on one ferry; @return the exit code."""
        write(self.cfg, self.base)
        ferry = ft.Running(self.binary, self.cfg)
        try:
            self.cli = ferry.cli()
            for case in cases:
                case(self)
            self.cli.close()
        finally:
            status = ferry.stop()[0]
            shutil.rmtree(self.work, ignore_errors=True)
        self.chk.eq(status, 0, "ferry exit status")
        return self.chk.summary()


def main():
    return Live("config-txn", frames(), ACLS + VXLAN + MPLS).run([
        lambda t: walk(t.chk, t.binary, t.work, t.cfg, t.cli, t.base,
                       t.prefix),
        lambda t: cli_vs_reload(t.chk, t.cfg, t.cli, t.base),
        lambda t: failed_half_way(t.chk, t.cfg, t.cli, t.base),
    ])


if __name__ == "__main__":
    sys.exit(main())
