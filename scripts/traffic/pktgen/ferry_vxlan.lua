-- SPDX-License-Identifier: BSD-3-Clause
-- pktgen-dpdk: ferry as a VXLAN VTEP (config/examples/vxlan-vtep.cfg).
-- Port 0 is cabled to "host" (bridge domain 1, VNI 42): frames to the
-- static remote MAC 02:00:00:00:aa:01, which ferry encapsulates toward
-- 10.0.0.2. Port 1 is cabled to "fabric" and replays VXLAN from 10.0.0.2:
--   pktgen ... -- -P -m "[1:2].0, [3:4].1" -s 1:vxlan_fabric.pcap -f ferry_vxlan.lua
-- (vxlan_fabric.pcap from scripts/traffic/gen_hw_pcaps.py).
local common = require "ferry_common"

local host = "0"
pktgen.set_mac(host, "dst", "02:00:00:00:aa:01")
pktgen.set_ipaddr(host, "src", "172.16.0.1/24")
pktgen.set_ipaddr(host, "dst", "172.16.0.254")
pktgen.set_proto(host, "udp")
pktgen.set(host, "size", 64)

common.run(host, 100, 10)
