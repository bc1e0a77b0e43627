-- SPDX-License-Identifier: BSD-3-Clause
-- pktgen-dpdk: ferry as an L3VPN PE (config/examples/l3vpn-pe.cfg).
-- Port 0 is cabled to ferry's "ce-a": UDP from 192.168.101.10-249 to the
-- remote site 192.168.102.0/24 (VPN routes via PE2), 64 B, range mode.
-- The labelled direction (P into "core") is a capture:
--   pktgen ... -- -P -m "[1:2].0, [3:4].1" -s 1:l3vpn_core.pcap -f ferry_l3vpn.lua
-- (l3vpn_core.pcap from scripts/traffic/gen_hw_pcaps.py).
local common = require "ferry_common"

local ce = "0"
pktgen.set_mac(ce, "dst", "02:00:00:00:00:01")
pktgen.set_proto(ce, "udp")
pktgen.set(ce, "size", 64)
pktgen.range.dst_mac(ce, "start", "02:00:00:00:00:01")
pktgen.range.src_ip(ce, "start", "192.168.101.10")
pktgen.range.src_ip(ce, "inc", "0.0.0.1")
pktgen.range.src_ip(ce, "min", "192.168.101.10")
pktgen.range.src_ip(ce, "max", "192.168.101.249")
pktgen.range.dst_ip(ce, "start", "192.168.102.10")
pktgen.range.dst_ip(ce, "inc", "0.0.0.0")
pktgen.range.dst_ip(ce, "min", "192.168.102.10")
pktgen.range.dst_ip(ce, "max", "192.168.102.10")
pktgen.range.ip_proto(ce, "udp")
pktgen.set_range(ce, "on")

common.run(ce, 100, 10)
