#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ike/gw: two real strongSwan gateways through ferry (issue 16
acceptance; topology in iketopo.py).

Gateway A is ferry with charon A (kernel-ferry) on ferry's TAP, gateway
B is charon B with kernel-libipsec in its own namespace. For each ESP
proposal, AES-GCM-128 and AES-CBC-128 + HMAC-SHA2-256-128, charon A
initiates; checked: the IKE_SA and CHILD_SA are established on both
sides with that algorithm, ferry holds the CHILD_SA's two SAs as IKE
SAs of one reqid, hosts behind A and B ping each other and a 2 MiB TCP
transfer arrives whole, the wire between the gateways (tshark in the
transit namespace) carries ESP (in UDP 4500: B's libipsec insists)
and no inner packet in clear, ferry's
SA counters moved both ways, and closing the IKE_SA removes the SAs
from ferry.

Exits 77 (skipped) without root, namespaces, /dev/net/tun, charon,
swanctl, tshark or the plugins (scripts/install-deps.sh test).

Usage: /usr/bin/python3 test_ike_gw.py FERRY_BINARY
"""

import iketopo as t

# swanctl's names of ferry's algorithms
SWAN_ALG = {"aes-gcm-128": ("AES_GCM_16", None),
            "aes-cbc-128-sha256": ("AES_CBC", "HMAC_SHA2_256_128")}
TCP_BYTES = 2 * 1024 * 1024


def load(env, esp):
    env.a.load(t.conn_text("gw", t.FERRY_WAN, t.B_IP, "gw-a", "gw-b", [
        t.child_text("net", t.NET_A, t.NET_B, esp)]))
    env.b.load(t.conn_text("gw", t.B_IP, t.FERRY_WAN, "gw-b", "gw-a", [
        t.child_text("net", t.NET_B, t.NET_A, esp)]))


def check_established(env, chk, alg):
    out = env.a.swanctl("--initiate", "--child", "net", "--timeout", "90",
                        check=False, timeout=150)
    chk.ok("completed successfully" in out, "charon A initiated", out)
    kids = [c for c in env.a.child_sas() if c["state"] == "INSTALLED"]
    chk.eq(len(kids), 1, "charon A: one CHILD_SA installed",
           env.a.list_sas())
    kids_b = [c for c in env.b.child_sas() if c["state"] == "INSTALLED"]
    chk.eq(len(kids_b), 1, "charon B: one CHILD_SA installed",
           env.b.list_sas())
    if not kids:
        return None
    encr, integ = SWAN_ALG[alg]
    c = kids[0]
    chk.ok(c["encr-alg"] == encr and c["integ-alg"] == integ,
           "the CHILD_SA uses %s" % alg, str(c))
    sas = env.ferry.ike_sas()
    spi_in, spi_out = int(c["spi-in"], 16), int(c["spi-out"], 16)
    chk.eq(sorted(sas), sorted([(spi_in, "in"), (spi_out, "out")]),
           "ferry holds the CHILD_SA's two SAs", env.ferry.cmd(
               "show ipsec sa"))
    chk.ok(all(s["alg"] == alg and s["reqid"] == int(c["reqid"])
               for s in sas.values()),
           "ferry's SAs: %s, charon's reqid %s" % (alg, c["reqid"]),
           str(sas))
    return c


def check_traffic(env, chk):
    cap = t.Capture(env.work, t.NS_T, "t0", "wire-%d" % len(chk.groups))
    got, out = t.ping(t.NS_HA, t.HB_IP, count=10)
    chk.ok(got >= 9, "HA pings HB through the tunnel (first may need ARP)",
           out)
    got, out = t.ping(t.NS_HB, t.HA_IP, count=5)
    chk.ok(got >= 4, "HB pings HA through the tunnel", out)
    n = t.TcpTransfer(TCP_BYTES).run()
    chk.eq(n, TCP_BYTES, "a 2 MiB TCP transfer HA -> HB arrives whole")
    esp, natt, clear = t.esp_summary(cap.stop())
    # B's libipsec always encapsulates (iketopo.py): ESP in UDP 4500
    chk.ok(esp + natt > 100, "ESP on the wire between A and B",
           "%d ESP, %d ESP in UDP" % (esp, natt))
    chk.eq(clear, 0, "no inner packet in clear on the wire")
    sas = env.ferry.ike_sas()
    chk.ok(len(sas) == 2 and all(s["packets"] > 0 for s in sas.values()),
           "ferry's SAs carried packets both ways", str(sas))


def check_closed(env, chk):
    env.a.swanctl("--terminate", "--ike", "gw", "--timeout", "60",
                  check=False, timeout=120)
    chk.ok(t.wait_for(lambda: not env.ferry.ike_sas(), 60),
           "closing the IKE_SA removes its SAs from ferry",
           env.ferry.cmd("show ipsec sa"))
    chk.ok("ike tun" not in env.ferry.cmd("show ipsec spd"),
           "and its policies")


def run(env, chk):
    for alg in ("aes-gcm-128", "aes-cbc-128-sha256"):
        chk.set_group("%s: established" % alg)
        load(env, t.ESP[alg])
        if check_established(env, chk, alg) is None:
            continue
        chk.set_group("%s: traffic" % alg)
        check_traffic(env, chk)
        chk.set_group("%s: closed" % alg)
        check_closed(env, chk)


if __name__ == "__main__":
    t.main("gw", run)
