-- SPDX-License-Identifier: BSD-3-Clause
-- pktgen-dpdk: ferry's egress scheduler (config/examples/qos.cfg).
-- Port 0 is cabled to "lan" and replays the HTB guide's classes A / B / C
-- (classes 10/11/12) in the ratio 3:1:6:
--   pktgen ... -- -P -m "[1:2].0" -s 0:qos_mix.pcap -f ferry_qos.lua
-- (qos_mix.pcap from scripts/traffic/gen_hw_pcaps.py). Offer more than
-- the wan port's shaped rate and read per-class counters on ferry.
local common = require "ferry_common"

common.run("0", 100, 20)
