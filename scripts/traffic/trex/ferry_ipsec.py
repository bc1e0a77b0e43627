# SPDX-License-Identifier: BSD-3-Clause
"""TRex profile: ferry as an IPsec ESP gateway
(config/examples/ipsec-gw.cfg).

Direction 0 (port cabled to "lan"): site traffic from 192.168.101.0/24
to 10.2.0.0/16, which ferry encrypts with SA 4097 toward 203.0.113.2 on
"wan" (count it on the wan side, or loop it back through a second
gateway). Direction 1 (port cabled to "wan"): ESP from the peer, SPI
8193, made by gen_hw_pcaps.py (ipsec_esp.pcap, pass -t pcap=PATH).
Replayed in a loop, every repeat has an old sequence number: give SA 8193
replay_window = 0 for such a run, as the peers measurement did.
Tunables: size (inner IP bytes), flows, pcap.
"""
from trex_stl_lib.api import Ether, IP, UDP

import ferry_trex as ft


class FerryIpsec:
    def get_streams(self, direction=0, **kwargs):
        size = ft.tunable(kwargs, "size", 64)
        flows = ft.tunable(kwargs, "flows", 1000)
        if direction == 1:
            return ft.pcap_profile(kwargs.get("pcap", "ipsec_esp.pcap")).get_streams()
        pkt = ft.udp_fill(Ether(dst="02:00:00:00:00:01") /
                          IP(src="192.168.101.10", dst="10.2.0.1") /
                          UDP(sport=1024, dport=5001), size)
        return [ft.stream(pkt, ft.flows_vm("IP.dst", "10.2.0.1", flows,
                                           "UDP.sport"),
                          name="lan to protected site")]


def register():
    return FerryIpsec()
