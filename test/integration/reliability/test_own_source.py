#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""reliability/own-source: a packet that arrives with one of ferry's own
addresses as its source is spoofed (or looped back): Linux drops it as a
martian source (fib_validate_source(), accept_local off); ferry drops it
before it is routed or delivered, counted as ip4_own_source. ARP whose
sender is one of ferry's addresses is another host claiming it (an
address conflict, RFC 5227): never answered or learned, counted as
arp_own_source. On the "routing" topology (test/integration/routing):

  dropped (ip4_own_source): from the core in cust-a with source
    192.168.101.1 (ferry's address on interface a, same VRF) and with
    10.0.10.1 (the ingress interface's own address); from customer A's
    site with source 192.168.101.1 to the Internet and as an echo
    request to ferry itself (no reply);
  dropped (arp_own_source): a gratuitous ARP for 192.168.101.1 from
    another MAC, a who-has for ferry's address sent from ferry's
    address, a who-has for a host sent from ferry's address;
  still passing: source 10.0.10.1 in cust-b, where it is not ferry's
    (addresses are per VRF); ordinary traffic and an echo request from
    a host (answered).

Usage: /usr/bin/python3 test_own_source.py FERRY_BINARY
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "routing"))
import topo as T  # noqa: E402
from topo import ft  # noqa: E402

INTRUDER_MAC = "02:00:00:00:01:66"
ZERO_MAC = "00:00:00:00:00:00"


def arp_frame(tag, l2, op, sha, spa, tha, tpa):
    a = ft.ARP(op=op, hwsrc=sha, psrc=spa, hwdst=tha, pdst=tpa)
    return ft.pad60(bytes(l2 / a) + ft.marker(tag))


def arp_l2(dst, src):
    e = ft.eth(dst, src)
    e.type = 0x0806
    return e


def build(tr):
    """@return (dropped tags, forwarded [(tag, port, dst, src, vlan)],
    echo-reply tags)."""
    dropped, fwd, echo = [], [], []

    def add(port, l2, src, dst, proto="udp"):
        tag = tr.tag()
        tr.add(port, l2 / ft.ip_packet(tag, src, dst, 100, proto=proto))
        return tag

    # spoofed in cust-a
    dropped.append(add("p2", T.from_core_a(), T.GW, T.HOST))
    dropped.append(add("p2", T.from_core_a(), "10.0.10.1", T.HOST))
    dropped.append(add("p0", T.from_ce_a(), T.GW, "8.8.8.8"))
    dropped.append(add("p0", T.from_ce_a(), T.GW, "10.0.10.1", proto="icmp"))
    # 10.0.10.1 is ferry's in cust-a only: in cust-b it is forwarded
    fwd.append((add("p2", T.from_core_b(), "10.0.10.1", T.HOST), "p1",
                T.HOST_B_MAC, T.P1_MAC, None))
    # ordinary traffic both ways, and an echo request answered
    fwd.append((add("p2", T.from_core_a(), "8.8.8.8", T.HOST), "p0",
                T.HOST_A_MAC, T.P0_MAC, None))
    fwd.append((add("p0", T.from_ce_a(), T.HOST, "8.8.8.8"), "p2",
                T.CORE_A_MAC, T.P2_MAC, T.VLAN_A))
    echo.append(add("p0", T.from_ce_a(), T.HOST, T.GW, proto="icmp"))
    return dropped, fwd, echo


def build_arp(tr):
    """ARP conflicts on p0: @return their tags."""
    tags = []
    for op, spa, tpa, tha in ((1, T.GW, T.GW, ZERO_MAC),        # gratuitous
                              (2, T.GW, T.GW, T.BCAST),         # gratuitous reply
                              (1, T.GW, T.HOST, ZERO_MAC)):     # who-has .10
        tag = tr.tag()
        tr.add("p0", arp_frame(tag, arp_l2(T.BCAST, INTRUDER_MAC), op,
                               INTRUDER_MAC, spa, tha, tpa), tag)
        tags.append(tag)
    return tags


def main():
    binary = ft.setup()
    chk = ft.Checks("reliability-own-source")
    tr = ft.Traffic(T.PORTS)
    dropped, fwd, echo = build(tr)
    arps = build_arp(tr)
    res = ft.run_ferry(binary, T.TEMPLATE, tr,
                       extra_cmds=["show neighbours"])
    if not res.check_run(chk):
        sys.exit(chk.summary())
    outs = ft.Outputs(res)
    chk.set_group("own address as source: dropped")
    for tag in dropped + arps:
        ft.expect_no_output(chk, outs, tag)
    # no answer to the conflicting ARP (an is-at from ferry would carry
    # no marker: none at all may leave p0)
    chk.eq(len(outs.take(kind="arp")), 0, "no ARP sent in answer to a conflict")
    chk.set_group("others: forwarded / answered")
    for tag, port, dst, src, vlan in fwd:
        ft.expect_forward(chk, outs, tr, tag, port, dst, src, vlan=vlan)
    for tag in echo:
        ft.expect_echo_reply(chk, outs, tr, tag, "p0", T.HOST_A_MAC, T.P0_MAC)
    outs.check_unclaimed(chk)
    chk.set_group("neighbour table")
    nbrs = res.extra.get("show neighbours", "")
    chk.ok(INTRUDER_MAC not in nbrs, "the claimant's MAC was not learned", nbrs)
    res.check_counters(chk, tr, drops={"ip4_own_source": len(dropped),
                                       "arp_own_source": len(arps)})
    sys.exit(chk.summary())


if __name__ == "__main__":
    main()
