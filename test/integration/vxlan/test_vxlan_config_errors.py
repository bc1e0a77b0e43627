#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""vxlan/config_errors: `ferry -c FILE --check` on broken "vxlan" sections.

Each case copies config/examples/vxlan-vtep.cfg with one piece of text
replaced, runs `ferry -c bad.cfg --check` and compares the first stderr
line with the expected "FILE:LINE: PATH: VALUE: REASON" ({L} = the line
of the replaced text). The example itself must pass.

Usage: /usr/bin/python3 test_vxlan_config_errors.py FERRY_BINARY
"""

import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "config_errors"))
import ferrytest as ft  # noqa: E402
from test_config_errors import run_check  # noqa: E402  (the same --check run)

GOOD = ft.here(__file__, "..", "..", "..", "config", "examples", "vxlan-vtep.cfg")

# name, text to replace (unique in the example), replacement, first error line
CASES = [
    ("local-not-ours", 'local = "10.0.0.1";', 'local = "10.0.0.9";',
     '{F}:{L}: vxlan.local: "10.0.0.9": not the address of an interface in the '
     "underlay VRF"),
    ("underlay-vrf", 'underlay_vrf = "default";', 'underlay_vrf = "nope";',
     '{F}:{L}: vxlan.underlay_vrf: "nope": no such VRF'),
    ("udp-port-0", "udp_port = 4789;", "udp_port = 0;",
     "{F}:{L}: vxlan.udp_port: 0: must be 1..65535"),
    ("vni-25-bits", "{ id = 1; vni = 42;", "{ id = 1; vni = 16777216;",
     "{F}:{L}: vxlan.bridge_domains.[0].vni: 16777216: must be 1..16777215"),
    ("bd-id-0", "{ id = 1; vni = 42;", "{ id = 0; vni = 42;",
     "{F}:{L}: vxlan.bridge_domains.[0].id: 0: must be 1..255"),
    ("vni-taken", "{ vni = 5001; vrf", "{ vni = 42; vrf",
     "{F}:{L}: vxlan.l3_vnis.[0].vni: 42: another bridge domain or L3 VNI has "
     "this VNI"),
    ("member-unknown", 'interfaces = ( "host" );', 'interfaces = ( "hots" );',
     '{F}:{L}: vxlan.bridge_domains.[0].interfaces.[0]: "hots": no such interface'),
    ("member-routed", 'interfaces = ( "host" );', 'interfaces = ( "cust" );',
     '{F}:{L}: vxlan.bridge_domains.[0].interfaces.[0]: "cust": has an address: '
     "a bridged interface is not routed"),
    ("flood-not-ip", 'flood = ( "10.0.0.2", "10.0.0.3" );',
     'flood = ( "10.0.0.2", "10.0.0.300" );',
     '{F}:{L}: vxlan.bridge_domains.[0].flood.[1]: "10.0.0.300": not an IPv4 or IPv6 address'),
    ("flood-multicast", 'flood = ( "10.0.0.2", "10.0.0.3" );',
     'flood = ( "10.0.0.2", "239.1.1.1" );',
     '{F}:{L}: vxlan.bridge_domains.[0].flood.[1]: "239.1.1.1": not a unicast address'),
    ("flood-twice", 'flood = ( "10.0.0.2", "10.0.0.3" );',
     'flood = ( "10.0.0.2", "10.0.0.2" );',
     '{F}:{L}: vxlan.bridge_domains.[0].flood.[1]: "10.0.0.2": listed twice'),
    ("static-mac-multicast", 'mac = "02:00:00:00:aa:01"; remote',
     'mac = "03:00:00:00:aa:01"; remote',
     '{F}:{L}: vxlan.bridge_domains.[0].static_macs.[0].mac: "03:00:00:00:aa:01": '
     "not a unicast MAC address"),
    ("static-mac-both", 'remote = "10.0.0.2"; } );',
     'remote = "10.0.0.2"; interface = "host"; } );',
     '{F}:{L}: vxlan.bridge_domains.[0].static_macs.[0].mac: "02:00:00:00:aa:01": '
     "needs exactly one of interface, remote and remote6"),
    ("mac-limit-0", "mac_limit = 1024;", "mac_limit = 0;",
     "{F}:{L}: vxlan.bridge_domains.[0].mac_limit: 0: must be 1..65536"),
    ("bd-id-twice", "mac_limit = 1024; aging = 300; }",
     'mac_limit = 1024; aging = 300; },\n\t\t{ id = 1; vni = 43; }',
     "{F}:{N}: vxlan.bridge_domains.[1]: duplicate key (id = 1; first at line 60)"),
    ("route-vrf", '{ vrf = "cust-a"; prefix', '{ vrf = "cust-b"; prefix',
     '{F}:{L}: vxlan.tunnel_routes.[0].vrf: "cust-b": no such VRF'),
    ("route-to-self", 'remote = "10.0.0.3";\n', 'remote = "10.0.0.1";\n',
     '{F}:{L}: vxlan.tunnel_routes.[0].remote: "10.0.0.1": the local VTEP address'),
    # IPv6 underlay (issue 17): each IPv6 remote needs local6
    ("flood6-no-local6", 'flood = ( "10.0.0.2", "10.0.0.3" );',
     'flood = ( "10.0.0.2", "2001:db8:f::2" );',
     '{F}:{L}: vxlan.bridge_domains.[0].flood.[1]: "2001:db8:f::2": needs '
     "vxlan.local6 (the local IPv6 VTEP address)"),
    ("route-remote6-no-local6", 'remote = "10.0.0.3";\n',
     'remote6 = "2001:db8:f::3";\n',
     '{F}:{L}: vxlan.tunnel_routes.[0].remote6: "2001:db8:f::3": needs '
     "vxlan.local6 (the local IPv6 VTEP address)"),
    ("route-both-remotes", 'remote = "10.0.0.3";\n',
     'remote = "10.0.0.3"; remote6 = "2001:db8:f::3";\n',
     "{F}:{L}: vxlan.tunnel_routes.[0]: needs exactly one of remote and remote6"),
    ("local6-not-ours", 'local = "10.0.0.1";',
     'local = "10.0.0.1"; local6 = "2001:db8:f::1";',
     '{F}:{L}: vxlan.local6: "2001:db8:f::1": not the IPv6 address (address6) '
     "of an interface in the underlay VRF"),
    ("dscp-mode", 'dscp_mode = "copy";', 'dscp_mode = "inherit";',
     '{F}:{L}: vxlan.dscp_mode: "inherit": expected one of: set, copy'),
]


def first_err(binary, cwd, path):
    """Exit status, first stderr line and all output of --check."""
    rc, out, err = run_check(binary, cwd, path)
    lines = err.splitlines()
    return rc, (lines[0] if lines else ""), out + err


def main():
    binary = ft.setup()
    chk = ft.Checks("vxlan-config-errors")
    with open(GOOD) as f:
        good = f.read()
    work = tempfile.mkdtemp(prefix="ferry-vxlan-cfg-")
    try:
        shutil.copy(GOOD, os.path.join(work, "good.cfg"))
        chk.set_group("the example passes")
        rc, _, text = first_err(binary, work, "good.cfg")
        chk.eq(rc, 0, "exit status of --check on the example", text)
        for name, old, new, want in CASES:
            chk.set_group(name)
            if not chk.eq(good.count(old), 1, "%r occurs once in the example" % old):
                continue
            line = good[:good.index(old)].count("\n") + 1
            path = "bad-%s.cfg" % name
            with open(os.path.join(work, path), "w") as f:
                f.write(good.replace(old, new))
            rc, got, text = first_err(binary, work, path)
            chk.eq(rc, 1, "exit status", text)
            chk.eq(got, want.format(F=path, L=line, N=line + 1), "first error line",
                   text)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
