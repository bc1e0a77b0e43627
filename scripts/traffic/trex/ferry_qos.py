# SPDX-License-Identifier: BSD-3-Clause
"""TRex profile: ferry's egress scheduler (config/examples/qos.cfg).

One port cabled to "lan"; measure what leaves "wan" (shaped at
rate = 800 kbit/s in the example, the HTB guide's link: scale the
config's rates to the NIC). Three streams, one per class of the guide,
offered at `load` times the class's guaranteed rate so the classes
compete for the spare bandwidth:
  A  UDP to port 80 from 192.168.101.12  -> class 10 (240 kbit/s)
  B  other UDP from 192.168.101.12       -> class 11 (80 kbit/s)
  C  from another host                   -> class 12 (480 kbit/s, default)
Tunables: size (IP bytes), load (offered/guaranteed, default 2.0),
scale (multiplies every rate, e.g. 1000 for a config in Mbit/s).
"""
from trex_stl_lib.api import Ether, IP, UDP

import ferry_trex as ft

CLASSES = [("A", "192.168.101.12", 80, 240e3),
           ("B", "192.168.101.12", 5001, 80e3),
           ("C", "192.168.101.20", 5001, 480e3)]


class FerryQos:
    def get_streams(self, direction=0, **kwargs):
        size = ft.tunable(kwargs, "size", 512)
        load = ft.tunable(kwargs, "load", 2.0, float)
        scale = ft.tunable(kwargs, "scale", 1.0, float)
        out = []
        for i, (name, src, dport, bps) in enumerate(CLASSES):
            pkt = ft.udp_fill(Ether(dst="02:00:00:00:00:01") /
                              IP(src=src, dst="198.18.0.1") /
                              UDP(sport=1024 + i, dport=dport), size)
            # overhead = 0 in the example: the frame is what counts
            pps = bps * scale * load / ((size + 14) * 8)
            out.append(ft.stream(pkt, pps=pps, name=name))
        return out


def register():
    return FerryQos()
