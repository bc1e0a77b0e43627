# SPDX-License-Identifier: BSD-3-Clause
"""TRex profile: ferry as a VXLAN VTEP (config/examples/vxlan-vtep.cfg).

Direction 0 (port cabled to "host", bridge domain 1 / VNI 42): frames
to the static remote MAC 02:00:00:00:aa:01, which ferry encapsulates
toward VTEP 10.0.0.2 on "fabric" (UDP 4789, source port from the inner
flow hash), from `flows` distinct source MACs. Direction 1 (port cabled
to "fabric"): VXLAN from 10.0.0.2 (VNI 42 and the L3 VNI 5001), built
here with flags 0x08 (scapy's default header is VXLAN-GPE, which a VTEP
drops). Tunables: size (inner IP bytes), flows.
"""
from trex_stl_lib.api import Ether, IP, UDP, STLVM
from trex_stl_lib.api import VXLAN  # noqa: F401 (scapy.layers.vxlan)

import ferry_trex as ft


class FerryVxlan:
    def get_streams(self, direction=0, **kwargs):
        size = ft.tunable(kwargs, "size", 64)
        flows = ft.tunable(kwargs, "flows", 1000)
        if direction == 0:
            pkt = ft.udp_fill(Ether(src="02:00:00:01:00:00", dst="02:00:00:00:aa:01") /
                              IP(src="172.16.0.1", dst="172.16.0.254") /
                              UDP(sport=1024, dport=5001), size)
            vm = STLVM()
            vm.var(name="mac", min_value=0, max_value=max(flows, 1) - 1,
                   size=2, op="inc")
            vm.write(fv_name="mac", pkt_offset=10)  # last 2 bytes of src MAC
            return [ft.stream(pkt, vm, name="host into bridge domain 1")]
        inner = ft.udp_fill(Ether(src="02:00:00:00:bb:01", dst="02:00:00:00:aa:77") /
                            IP(src="172.16.0.254", dst="172.16.0.1") /
                            UDP(sport=1024, dport=5001), size)
        pkt = (Ether(src="02:00:00:00:0a:02", dst="02:00:00:00:0f:01") /
               IP(src="10.0.0.2", dst="10.0.0.1") /
               UDP(sport=49152, dport=4789) / VXLAN(flags=0x08, vni=42) / inner)
        return [ft.stream(pkt, ft.flows_vm("IP.src", "10.0.0.2", 1, "UDP.sport"),
                          name="fabric VNI 42 to host")]


def register():
    return FerryVxlan()
