# SPDX-License-Identifier: BSD-3-Clause
"""TRex profile: ferry as an MPLS L3VPN PE (config/examples/l3vpn-pe.cfg).

Port 0 (direction 0) is cabled to ferry's "ce-a": customer A's hosts
192.168.101.0/24 send to its remote site (VPN routes behind PE2); ferry
pushes [16002 | 2001] toward P. Port 1 (direction 1) is cabled to
"core": P's labelled traffic [24001 | 1001 S] that ferry pops into
cust-a. Tunables (trex-console: start -f ferry_l3vpn.py -m 10mpps -t
size=64,flows=1000): size = IP bytes, flows = distinct sources.
"""
from trex_stl_lib.api import Ether, IP, UDP
from trex_stl_lib.api import MPLS  # noqa: F401 (scapy.contrib.mpls)

import ferry_trex as ft


class FerryL3vpn:
    def get_streams(self, direction=0, **kwargs):
        size = ft.tunable(kwargs, "size", 64)
        flows = ft.tunable(kwargs, "flows", 1000)
        if direction == 0:
            pkt = ft.udp_fill(Ether(dst="02:00:00:00:00:01") /
                              IP(src="192.168.101.10", dst="192.168.102.10") /
                              UDP(sport=1024, dport=5001), size)
            return [ft.stream(pkt, ft.flows_vm("IP.src", "192.168.101.10",
                                               min(flows, 240), "UDP.sport"),
                              name="ce-a to remote site")]
        pkt = ft.udp_fill(Ether(dst="02:00:00:00:01:12", type=0x8847) /
                          MPLS(label=24001, s=0, ttl=64) /
                          MPLS(label=1001, s=1, ttl=64) /
                          IP(src="192.168.102.10", dst="192.168.101.10") /
                          UDP(sport=1024, dport=5001), size)
        return [ft.stream(pkt, ft.flows_vm("IP.dst", "192.168.101.10",
                                           min(flows, 240), "UDP.sport"),
                          name="core labelled to ce-a")]


def register():
    return FerryL3vpn()
