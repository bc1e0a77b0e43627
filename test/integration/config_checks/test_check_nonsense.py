#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""`ferry --check` refuses addresses and MACs no host can have (issue 20,
item 8), each with FILE:LINE: PATH: VALUE: REASON, and integers libconfig
truncates (item 2) shown as written: interface addresses that are a
subnet's network or broadcast address, 0.0.0.0, loopback, multicast,
class E or /0; a route via ferry's own address or a subnet's broadcast;
neighbour MACs broadcast, multicast or zero; port MACs multicast or
zero; an SA whose ends are equal; a multicast VXLAN inner MAC; an
underlay MTU too small for VXLAN. Each case changes one line of a good
configuration (the config_errors one, or a copy of an example with
net_null ports).

Usage: /usr/bin/python3 test_check_nonsense.py FERRY_BINARY
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "config_errors"))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ferrytest as ft  # noqa: E402
import test_config_errors as tce  # noqa: E402

ROOT = ft.here(__file__, "..", "..", "..")

A = 'address = "192.168.101.1/24"'
IFA = "{F}:{L}: interfaces.[1].address: "
VIA = 'via = "10.0.10.2"'
NMAC = 'mac = "02:00:00:00:aa:01"'
PMAC = 'mac = "02:00:00:00:00:10"'

BASIC = [
    ("network-address", A, 'address = "192.168.101.0/24"',
     IFA + '"192.168.101.0/24": is the subnet\'s network address', "exact"),
    ("broadcast-address", A, 'address = "192.168.101.255/24"',
     IFA + '"192.168.101.255/24": is the subnet\'s broadcast address', "exact"),
    ("zero-address", A, 'address = "0.0.0.0/24"',
     IFA + '"0.0.0.0/24": is 0.0.0.0', "exact"),
    ("loopback-address", A, 'address = "127.0.0.1/8"',
     IFA + '"127.0.0.1/8": is a loopback address (127.0.0.0/8)', "exact"),
    ("multicast-address", A, 'address = "224.0.0.5/24"',
     IFA + '"224.0.0.5/24": is a multicast address (224.0.0.0/4)', "exact"),
    ("class-e-address", A, 'address = "240.0.0.1/24"',
     IFA + '"240.0.0.1/24": is a reserved class E address (240.0.0.0/4)',
     "exact"),
    ("slash-0", A, 'address = "192.168.101.1/0"',
     IFA + '"192.168.101.1/0": /0 is not a subnet', "exact"),
    ("via-own-address", VIA, 'via = "10.0.10.1"',
     '{F}:{L}: vrfs.[0].routes.[0].via: "10.0.10.1": is this VRF\'s own '
     "address (an interface's): a next hop must be a neighbour", "exact"),
    ("via-broadcast", VIA, 'via = "10.0.10.3"',
     '{F}:{L}: vrfs.[0].routes.[0].via: "10.0.10.3": is the broadcast '
     "address of a connected subnet: a next hop must be a neighbour", "exact"),
    ("neighbour-mac-broadcast", NMAC, 'mac = "ff:ff:ff:ff:ff:ff"',
     '{F}:{L}: neighbours.[0].mac: "ff:ff:ff:ff:ff:ff": not a unicast MAC '
     "(broadcast, multicast or zero)", "exact"),
    ("neighbour-mac-multicast", NMAC, 'mac = "01:00:5e:00:00:01"',
     '{F}:{L}: neighbours.[0].mac: "01:00:5e:00:00:01": not a unicast MAC '
     "(broadcast, multicast or zero)", "exact"),
    ("neighbour-mac-zero", NMAC, 'mac = "00:00:00:00:00:00"',
     '{F}:{L}: neighbours.[0].mac: "00:00:00:00:00:00": not a unicast MAC '
     "(broadcast, multicast or zero)", "exact"),
    ("port-mac-multicast", PMAC, 'mac = "03:00:00:00:00:10"',
     '{F}:{L}: ports.[0].mac: "03:00:00:00:00:10": not a unicast MAC '
     "(multicast or zero): a port's own address must be unicast", "exact"),
    ("port-mac-zero", PMAC, 'mac = "00:00:00:00:00:00"',
     '{F}:{L}: ports.[0].mac: "00:00:00:00:00:00": not a unicast MAC '
     "(multicast or zero): a port's own address must be unicast", "exact"),
    # item 2: libconfig keeps 32 bits of these; ferry shows them as written
    ("vrf-id-wraps", "id = 1;", "id = 4294967297;",
     "{F}:{L}: vrfs.[0].id: 4294967297: must be 0..65535", "exact"),
    ("mtu-wraps", "mtu = 1400;", "mtu = 4294968696;",
     "{F}:{L}: interfaces.[0].mtu: 4294968696: must be 0..9600", "exact"),
]

SA = 'spi = 4097; direction = "out"; local = "203.0.113.1"; remote = "203.0.113.2";'
IPSEC = [
    ("sa-ends-equal", SA, SA.replace("203.0.113.2", "203.0.113.1"),
     "{F}:{L}: ipsec.sas.[0].remote: equal to local: a tunnel has two "
     "different ends", "exact"),
]

QOS_PORT = 'port = "wan"; rate = 800000;'
QOS = [
    # item 2: as the issue found it, a rate that wrapped to 1,345,294,336
    ("qos-rate-wraps", QOS_PORT, 'port = "wan"; rate = 40000000000;',
     "{F}:{L}: qos.ports.[0].rate: 40000000000: does not fit in libconfig's "
     "32-bit integers: write it as 40000000000L or as a string with a unit "
     '("10G")', "exact"),
    ("qos-rate-unit-too-high", QOS_PORT, 'port = "wan"; rate = "500G";',
     '{F}:{L}: qos.ports.[0].rate: "500G": must be 8000..400000000000', "exact"),
]

VXLAN = [
    ("vxlan-inner-mac-multicast", 'inner_mac = "02:00:00:00:0a:33"',
     'inner_mac = "01:00:00:00:0a:33"',
     '{F}:{L}: vxlan.tunnel_routes.[0].inner_mac: "01:00:00:00:0a:33": a '
     "multicast MAC: must be the remote VTEP's router MAC", "exact"),
    ("vxlan-underlay-mtu", "mtu = 1550;", "mtu = 117;",
     '{F}:{L}: ports.[0].mtu: 117: too small for VXLAN in underlay VRF '
     '"default": its 50 bytes of encapsulation must leave 68', "exact"),
]


def example(name):
    """An example with every port on net_null (no capture files)."""
    with open(os.path.join(ROOT, "config", "examples", name)) as f:
        text = f.read()
    return re.sub(r'device = "net_pcap(\d+),[^"]*"', r'device = "net_null1\1"', text)


def main():
    binary = ft.setup()
    chk = ft.Checks("check-nonsense")
    with open(tce.GOOD) as f:
        good = f.read()
    tce.run_cases(chk, binary, good, BASIC)
    ipsec = example("ipsec-gw.cfg")
    if SA not in ipsec:
        chk.fail("ipsec-gw.cfg no longer has the SA line this test changes")
    else:
        tce.run_cases(chk, binary, ipsec, IPSEC)
    tce.run_cases(chk, binary, example("vxlan-vtep.cfg"), VXLAN)
    qos = example("qos.cfg")
    tce.run_cases(chk, binary, qos, QOS)
    chk.set_group("units")
    for rate in ('"10M"', '"0.01G"', "10000000L"):
        with tempfile.TemporaryDirectory(prefix="ferry-it-units-") as d:
            with open(os.path.join(d, "q.cfg"), "w") as f:
                f.write(qos.replace(QOS_PORT, 'port = "wan"; rate = %s;' % rate))
            rc, out, err = tce.run_check(binary, d, "q.cfg")
            chk.eq(rc, 0, "rate = %s passes --check" % rate, err)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
