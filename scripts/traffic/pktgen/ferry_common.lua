-- SPDX-License-Identifier: BSD-3-Clause
-- Shared by ferry's pktgen-dpdk scripts (scripts/traffic/pktgen): run a
-- port for a while and print what it sent and received. These scripts
-- drive pktgen on real NICs against ferry; they cannot run on the
-- project's development VMs (no NIC). See doc/operations.md.
package.path = package.path .. ";?.lua;test/?.lua;app/?.lua;"
require "Pktgen"

local M = {}

-- Send on port for seconds at rate percent, then print its counters.
function M.run(port, rate, seconds)
	pktgen.set(port, "rate", rate)
	pktgen.clear("all")
	pktgen.start(port)
	pktgen.delay(seconds * 1000)
	pktgen.stop(port)
	pktgen.delay(500)
	local st = pktgen.portStats("all", "port")
	for p, s in pairs(st) do
		if type(s) == "table" then
			printf("port %s: opackets %d ipackets %d ierrors %d\n", p,
			       s.opackets or 0, s.ipackets or 0, s.ierrors or 0)
		end
	end
end

return M
