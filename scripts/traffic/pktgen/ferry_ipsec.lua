-- SPDX-License-Identifier: BSD-3-Clause
-- pktgen-dpdk: ferry as an IPsec gateway (config/examples/ipsec-gw.cfg).
-- Port 0 is cabled to "lan": site traffic 192.168.101.0/24 -> 10.2.0.0/16
-- that ferry encrypts (SA 4097) out of "wan". Port 1 is cabled to "wan"
-- and replays ESP for SPI 8193 from a capture:
--   pktgen ... -- -P -m "[1:2].0, [3:4].1" -s 1:ipsec_esp.pcap -f ferry_ipsec.lua
-- (ipsec_esp.pcap from scripts/traffic/gen_hw_pcaps.py; a looping replay
-- repeats sequence numbers: set replay_window = 0 on SA 8193 for it).
local common = require "ferry_common"

local lan = "0"
pktgen.set_mac(lan, "dst", "02:00:00:00:00:01")
pktgen.set_ipaddr(lan, "src", "192.168.101.10/24")
pktgen.set_ipaddr(lan, "dst", "10.2.0.1")
pktgen.set_proto(lan, "udp")
pktgen.set(lan, "sport", 1024)
pktgen.set(lan, "dport", 5001)
pktgen.set(lan, "size", 64)

common.run(lan, 100, 10)
