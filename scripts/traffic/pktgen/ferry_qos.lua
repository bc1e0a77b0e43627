-- SPDX-License-Identifier: BSD-3-Clause
-- pktgen-dpdk: ferry's egress scheduler (config/examples/qos.cfg).
-- Port 0 is cabled to "lan" and replays a DSCP mix (EF 46 / AF41 34 /
-- AF11 10 / BE 0 in the ratio 1:4:2:8, classes 31/32/2/1):
--   pktgen ... -- -P -m "[1:2].0" -s 0:qos_mix.pcap -f ferry_qos.lua
-- (qos_mix.pcap from scripts/traffic/gen_hw_pcaps.py). Offer more than
-- the wan port's shaped rate and read per-class counters on ferry.
local common = require "ferry_common"

common.run("0", 100, 20)
