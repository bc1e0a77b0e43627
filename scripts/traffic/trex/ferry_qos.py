# SPDX-License-Identifier: BSD-3-Clause
"""TRex profile: ferry's egress scheduler (config/examples/qos.cfg).

One port cabled to "lan"; measure what leaves "wan" (shaped at
rate = 10 Mbit/s in the example: scale the config's rates to the NIC).
Four streams, one per class, offered at `load` times the class's
guaranteed rate so the classes compete for the spare bandwidth:
  EF   DSCP 46 -> class 31 (rate 1 Mbit/s, ceil 2, policed: voice)
  AF41 DSCP 34 -> class 32 (5 Mbit/s)
  AF11 DSCP 10 -> class 2  (1 Mbit/s)
  BE   DSCP 0  -> class 1  (3 Mbit/s, the port's default class)
Tunables: size (IP bytes), load (offered/guaranteed, default 2.0),
scale (multiplies every rate, e.g. 1000 for a config in Gbit/s).
"""
from trex_stl_lib.api import Ether, IP, UDP

import ferry_trex as ft

CLASSES = [("EF", 46, 1e6), ("AF41", 34, 5e6), ("AF11", 10, 1e6), ("BE", 0, 3e6)]


class FerryQos:
    def get_streams(self, direction=0, **kwargs):
        size = ft.tunable(kwargs, "size", 512)
        load = ft.tunable(kwargs, "load", 2.0, float)
        scale = ft.tunable(kwargs, "scale", 1.0, float)
        out = []
        for i, (name, dscp, bps) in enumerate(CLASSES):
            pkt = ft.udp_fill(Ether(dst="02:00:00:00:00:01") /
                              IP(src="192.168.101.%d" % (10 + i), dst="198.18.0.1",
                                 tos=dscp << 2) /
                              UDP(sport=1024 + i, dport=5001), size)
            pps = bps * scale * load / ((size + 14 + 24) * 8)
            out.append(ft.stream(pkt, pps=pps, name=name))
        return out


def register():
    return FerryQos()
