#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ipsec/rekey_in: the inbound half of a rekey under replayed load.

The peer's capture, replayed forever into the WAN port, interleaves ESP
of the old SA (8193) and of the new one (8194), as a peer does while it
moves over. Anti-replay is off (replay_window = 0) because the capture
repeats its sequence numbers. Before the new SA exists its packets are
esp_unknown_spi and the old SA's are delivered; once `ipsec sa add`
installs it both are delivered with no drop at all (the old SA is kept
until the operator deletes it); after `ipsec sa del 8193 in` only the
old SA's packets are refused.

Usage: /usr/bin/python3 test_rekey_in.py FERRY_BINARY
"""

import re
import sys
import time

import ipsec_case as C
from ipsec_case import ft

WINDOW = 0.3
ALG = "aes-gcm-128"
NEW_KEY = "303132333435363738393a3b3c3d3e3f"

CONFIG = """
eal = { lcores = "0-1"; memory = 512; huge = false; in_memory = true;
	file_prefix = "@PREFIX@"; };
buffers = { mbufs = 8191; };
ports = (
	{ name = "p0"; device = "net_null0,no-rx=1"; mac = "02:00:00:00:05:10"; },
	{ name = "p1"; device = "net_pcap0,rx_pcap=@IN@/in.pcap,infinite_rx=1";
	  mac = "02:00:00:00:05:11"; }
);
interfaces = (
	{ name = "lan"; port = "p0"; address = "192.168.1.1/24"; vrf = "cust"; },
	{ name = "wan"; port = "p1"; address = "203.0.113.1/24"; vrf = "default"; }
);
vrfs = ( { name = "cust"; id = 1; } );
neighbours = (
	{ interface = "lan"; address = "192.168.1.10"; mac = "02:00:00:00:0a:01"; }
);
ipsec = { sas = ( %s ); };
workers = ( { lcore = 1; rx = ( "p0:0", "p1:0" ); } );
cli = { port = 0; };
"""


def frames():
    old = C.scapy_sa(ALG, 8193, C.PEER, C.LOCAL)
    new = C.SecurityAssociation(C.ESP, spi=8194, crypt_algo="AES-GCM",
                                crypt_key=bytes.fromhex(NEW_KEY) + C.SALT,
                                tunnel_header=C.IP(src=C.PEER, dst=C.LOCAL))
    out = []
    for i in range(64):
        p = C.inner(0, src=C.REMOTE_NET_HOST, dst=C.HOST, size=120)
        sa = old if i % 2 else new
        out.append(bytes(C.wan_frame(C.peer_esp(sa, p, i // 2 + 1))))
    return out


def delta(cli):
    def snap():
        c = ft.Counters(cli.cmd("show counters"))
        d = {"tx lan": c.ports.get("p0", {}).get("tx", 0)}
        d.update({"drop " + r: n for r, n in c.drops.items()})
        return d
    a = snap()
    time.sleep(WINDOW)
    b = snap()
    return {k: b[k] - a.get(k, 0) for k in b if b[k] - a.get(k, 0)}


def packets(cli, spi):
    m = re.search(r"packets (\d+)", cli.cmd("show ipsec sa %d" % spi))
    return int(m.group(1)) if m else -1


def main():
    binary = ft.setup()
    chk = ft.Checks("ipsec-rekey-in")
    sa = C.sa_cfg(8193, "in", ALG, C.LOCAL, C.PEER, replay_window=0)
    ferry = C.live_ferry(binary, CONFIG % sa, frames(), "ipsec-rekey-in")
    try:
        cli = ferry.cli()
        chk.set_group("old SA only")
        d = delta(cli)
        chk.ok(d.get("tx lan", 0) > 0 and d.get("drop esp_unknown_spi", 0) > 0,
               "old SA delivered, the new SPI unknown", str(d))
        chk.set_group("both SAs")
        out = cli.cmd("ipsec sa add 8194 in local 203.0.113.1 remote 203.0.113.2 "
                      "algorithm aes-gcm-128 key %s salt %s inner-vrf cust "
                      "replay-window 0" % (NEW_KEY, C.SALT.hex())).strip()
        chk.eq(out, "", "the new inbound SA is added")
        time.sleep(0.1)
        d = delta(cli)
        chk.eq([k for k in d if k.startswith("drop")], [], "no drop at all", str(d))
        a8193, a8194 = packets(cli, 8193), packets(cli, 8194)
        time.sleep(WINDOW)
        chk.ok(packets(cli, 8193) > a8193 and packets(cli, 8194) > a8194,
               "both SAs decrypt")
        chk.set_group("old SA deleted")
        chk.eq(cli.cmd("ipsec sa del 8193 in").strip(), "", "the old SA is deleted")
        d = delta(cli)
        chk.ok(d.get("tx lan", 0) > 0 and d.get("drop esp_unknown_spi", 0) > 0,
               "the new SA delivers, the old SPI is unknown now", str(d))
        cli.close()
    finally:
        status = ferry.stop()[0]
    chk.eq(status, 0, "ferry exit status")
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
