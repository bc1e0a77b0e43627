#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The change transaction for the IPv6 route lists, from outside.

On the base of test_config_txn (the same replayed traffic to an
unchanged static route, VPN route and tunnel route), with IPv6 on "a"
and "b" and one unchanged entry in each list:
- walk the IPv6 route lists (static routes6, mpls.vpn_routes6,
  ipsec.routes6, vxlan.tunnel_routes6): add, change and delete one
  entry per `config reload`; after each, the running config equals
  that of a fresh ferry started with the same file, and no packet of
  the unchanged entries is dropped;
- a reload that fails half way (a static route6 changed, then tunnel
  routes6 fill the VRF's IPv6 route table) leaves the running config
  and the IPv6 routing table byte-identical.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from test_config_txn import (ACLS, MPLS, VXLAN, IF_A,  # noqa: E402
                             KEEP_TROUTE, Live, frames, walk, write)

IF_B = '{ name = "b"; port = "b"; address = "198.18.1.1/30"; }'
# Small IPv6 tables: the half-way failure fills the default VRF's.
IP6 = "ip6 = { max_routes = 32; fib_tbl8 = 64; };\n"
KEEP_R6 = '{ prefix = "2001:db8:5::/48"; via = "2001:db8:b::2"; }'
R6 = '{ prefix = "2001:db8:3::/48"; via = "2001:db8:a::2"; }'
KEEP_VPN6 = ('{ vrf = "default"; prefix = "2001:db8:10::/48"; '
             'pe = "10.255.0.9"; label = 600; }')
VPN6 = ('{ vrf = "default"; prefix = "2001:db8:9::/48"; pe = "10.255.0.9"; '
        'label = 700; }')
KEEP_TR6 = ('{ vrf = "default"; prefix = "2001:db8:11::/48"; '
            'remote = "198.18.1.2"; vni = 7000; '
            'inner_mac = "02:00:00:00:0c:0a"; }')
TR6 = ('{ vrf = "default"; prefix = "2001:db8:7::/48"; remote = "198.18.1.2"; '
       'vni = 7001; inner_mac = "02:00:00:00:0c:0b"; }')
KEY = 'key = "101112131415161718191a1b1c1d1e1f"; salt = "cafebabe";'
SA6 = ('{ spi = 4099; direction = "out"; local = "198.18.1.1"; '
       'remote = "198.18.1.2"; inner = "ipv6"; algorithm = "aes-gcm-128"; '
       '%s }' % KEY)
SA6B = SA6.replace("4099", "4100")
KEEP_IR6 = '{ vrf = "default"; prefix = "2001:db8:6::/48"; sa = 4099; }'
IR6 = '{ vrf = "default"; prefix = "2001:db8:8::/48"; sa = 4099; }'
IPSEC6 = ('ipsec = {\n\tsas = ( %s,\n\t\t%s );\n\troutes6 = ( %s );\n};\n'
          % (SA6, SA6B, KEEP_IR6))


def add_after(text, keep, new):
    """@p text with @p new listed after the entry @p keep."""
    return text.replace(keep + " )", keep + ",\n\t\t" + new + " )")


def base6(base):
    """The walk's base with IPv6 on "a" and "b", one entry in each list."""
    base = base.replace(IF_A, IF_A.replace(
        " }", ' address6 = "2001:db8:a::1/64"; }'))
    base = base.replace(IF_B, IF_B.replace(
        " }", ' address6 = "2001:db8:b::1/64"; }'))
    base = base.replace("max_routes = 16;",
                        "max_routes = 16;\n\t  routes6 = ( %s );" % KEEP_R6)
    return base


def steps(base):
    """(what, file text) for each reload of the walk, back to base."""
    r6 = add_after(base, KEEP_R6, R6)
    vpn6 = add_after(base, KEEP_VPN6, VPN6)
    ir6 = add_after(base, KEEP_IR6, IR6)
    tr6 = add_after(base, KEEP_TR6, TR6)
    return [
        ("route6 add", r6),
        ("route6 change", r6.replace(R6, R6.replace(
            'via = "2001:db8:a::2"', "blackhole = true"))),
        ("route6 delete", base),
        ("mpls VPN route6 add", vpn6),
        ("mpls VPN route6 change", vpn6.replace("label = 700",
                                                "label = 701")),
        ("mpls VPN route6 delete", base),
        ("ipsec route6 add", ir6),
        ("ipsec route6 change", ir6.replace(IR6, IR6.replace("4099",
                                                             "4100"))),
        ("ipsec route6 delete", base),
        ("vxlan tunnel route6 add", tr6),
        ("vxlan tunnel route6 change", tr6.replace("vni = 7001",
                                                   "vni = 7002")),
        ("vxlan tunnel route6 delete", base),
    ]


def failed_half_way(chk, cfg, cli, base):
    chk.set_group("a reload that fails half way changes nothing")
    running = cli.cmd("show running-config")
    table = cli.cmd("show ipv6 route")
    # The static route6 change runs first (vrfs come before vxlan), then
    # the tunnel routes6 fill the VRF's IPv6 table: undone, all of it.
    many = ",\n\t\t".join('{ vrf = "default"; prefix = "2001:db8:%x::/48"; '
                          'remote = "198.18.1.2"; vni = 7100; '
                          'inner_mac = "02:00:00:00:0c:0c"; }' % i
                          for i in range(0x30, 0x58))
    text = base.replace(KEEP_R6, KEEP_R6.replace('via = "2001:db8:b::2"',
                                                 "blackhole = true"))
    text = add_after(text, KEEP_TR6, many)
    write(cfg, text)
    out = cli.cmd("config reload")
    chk.ok(out.startswith("%") and "nothing changed" in out and
           "tunnel_routes6" in out and "No space left" in out,
           "40 tunnel routes6 more than the VRF holds: refused", out)
    chk.eq(cli.cmd("show running-config"), running, "running config identical")
    chk.eq(cli.cmd("show ipv6 route"), table, "IPv6 routing table identical")
    write(cfg, base)


def main():
    mpls = MPLS.replace("\tlfib = ( );",
                        "\tvpn_routes6 = ( %s );\n\tlfib = ( );" % KEEP_VPN6)
    vxlan = VXLAN.replace(KEEP_TROUTE + " );",
                          KEEP_TROUTE + " );\n\ttunnel_routes6 = ( %s );"
                          % KEEP_TR6)
    live = Live("config-txn6", frames(), ACLS + vxlan + mpls + IPSEC6 + IP6)
    live.base = base6(live.base)
    return live.run([
        lambda t: walk(t.chk, t.binary, t.work, t.cfg, t.cli, t.base,
                       t.prefix, steps),
        lambda t: failed_half_way(t.chk, t.cfg, t.cli, t.base),
    ])


if __name__ == "__main__":
    sys.exit(main())
