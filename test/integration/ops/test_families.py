#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ops/families: per-object counters of every library (issue 19 item 1)
in the three views: `show counters`, DPDK telemetry /ferry/<kind> and
Prometheus (promtool-clean, one labelled family per counter), with
packets and bytes (and drops where the object drops), and the cap on
exported objects per family.

families.cfg.in: an ACL on "in" (rule 1 denies the 17 frames to port
53, rule 2 permits UDP into QoS class 1), QoS class a/1 with policer
"big", SA 4097 for 10.3.0.0/16, an MPLS LSP, a VXLAN bridge domain and
tunnel, a VLAN subinterface; the ACL also holds EXTRA_RULES TCP rules
no frame matches, so its family passes the 1000-object cap.

Usage: /usr/bin/python3 test_families.py FERRY_BINARY
"""
import json
import subprocess
import sys
import urllib.request

import opstest as O
from opstest import ft

TO_SA = 13
TO_LSP = 7
EXTRA_RULES = 1000
CAP = 1000
KINDS = {  # kind: (word in show counters, Prometheus label, an object)
    "interfaces": ("interface", "interface", "a.10"),
    "acl_rules": ("acl_rule", "acl_rule", "in-acl/1"),
    "qos_classes": ("qos_class", "qos_class", "a/1"),
    "qos_policers": ("policer", "policer", "a/1"),
    "ipsec_sas": ("sa", "sa", "4097-out"),
    "mpls_lsps": ("lsp", "lsp", "10.255.0.2"),
    "vxlan_tunnels": ("vxlan_tunnel", "vxlan_tunnel", "10.0.0.2/42"),
    "bridge_domains": ("bridge_domain", "bridge_domain", "1"),
}


def sa_frames():
    return [bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
                  ft.IP(src="192.0.2.10", dst="10.3.0.%d" % (i + 1)) /
                  ft.UDP(sport=6000 + i, dport=6000) / (b"s" * (20 + i)))
            for i in range(TO_SA)]


def cust_frames():
    """VLAN 30 (VRF cust) to the remote PE's 192.168.102.0/24."""
    return [bytes(ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
                  ft.Dot1Q(vlan=30) /
                  ft.IP(src="192.168.9.10", dst="192.168.102.%d" % (i + 1)) /
                  ft.UDP(sport=7000 + i, dport=7000) / (b"c" * (30 + i)))
            for i in range(TO_LSP)]


def edit(text):
    rules = "".join('\t\t{ proto = "tcp"; dport = "%d"; },\n' % (10000 + i)
                    for i in range(EXTRA_RULES))
    return text.replace('\t\t{ proto = "udp"; class = 1; }\n',
                        '\t\t{ proto = "udp"; class = 1; },\n' + rules.rstrip(",\n") + "\n")


def telemetry(prefix, kinds):
    status, out, err = O.run_tool(["dpdk-telemetry.py", "-f", prefix], 60,
                                  "\n".join("/ferry/" + k for k in kinds) + "\n")
    replies = {}
    for line in out.splitlines():
        if line.strip().startswith("{"):
            replies.update(json.loads(line))
    return status, replies, out + err


def main():
    binary = ft.setup()
    O.need_tool("promtool")
    O.need_tool("dpdk-telemetry.py")
    chk = ft.Checks("ops-families")
    base, to_sa, to_lsp = O.frames(), sa_frames(), cust_frames()
    f = O.Ferry(binary, "ops-families", frame_list=base + to_sa + to_lsp,
                template=ft.here(__file__, "families.cfg.in"), edit=edit)
    try:
        c = O.parse_counters(f.settle(len(base) + len(to_sa) + len(to_lsp)))
        denied, routed = base[O.FORWARDED:], base[:O.FORWARDED]
        chk.set_group("show counters")
        for kind, (word, _, obj) in KINDS.items():
            chk.ok(obj in c.get(word, {}), "%s: %s %s listed" % (kind, word, obj),
                   str(sorted(c.get(word, {}))[:5]))
        acl = c.get("acl_rule", {})
        chk.eq(acl.get("in-acl/1"), {"packets": len(denied), "bytes":
                                     sum(len(x) - 14 for x in denied), "drops": len(denied)},
               "ACL rule 1 (deny): packets, IPv4 bytes, drops")
        chk.eq(acl.get("in-acl/2", {}).get("packets"), len(routed) + TO_SA,
               "ACL rule 2 (permit) packets")
        chk.eq(acl.get("in-acl/2", {}).get("drops"), 0, "a permit rule drops nothing")
        cls = c.get("qos_class", {}).get("a/1", {})
        chk.eq((cls.get("packets"), cls.get("drops")), (len(routed), 0),
               "QoS class a/1: packets sent, drops")
        chk.ok(cls.get("bytes", 0) >= sum(map(len, routed)), "QoS class a/1 bytes", str(cls))
        pol = c.get("policer", {}).get("a/1", {})
        chk.eq((pol.get("packets"), pol.get("green"), pol.get("drops")),
               (len(routed), len(routed), 0), "policer a/1: packets, green, drops")
        sa = c.get("sa", {}).get("4097-out", {})
        chk.eq((sa.get("packets"), sa.get("bytes"), sa.get("drops")),
               (TO_SA, sum(len(x) - 14 for x in to_sa), 0),
               "SA 4097-out: inner packets and bytes, drops")
        # pushed: the IPv4 packet (no VLAN tag, TTL - 1) under two labels
        chk.eq(c.get("lsp", {}).get("10.255.0.2"),
               {"packets": TO_LSP, "bytes": sum(len(x) - 18 + 8 for x in to_lsp),
                "drops": 0}, "LSP to 10.255.0.2: packets, bytes with labels, drops")
        itf = c.get("interface", {}).get("core", {})
        chk.eq(itf.get("tx-packets"), TO_SA + TO_LSP,
               "interface core tx: the ESP and the labelled packets")
        chk.eq(c.get("interface", {}).get("cust", {}).get("rx-packets"), TO_LSP,
               "VLAN subinterface cust rx-packets")

        chk.set_group("telemetry")
        status, tel, raw = telemetry(f.prefix, KINDS)
        chk.eq(status, 0, "dpdk-telemetry.py", raw[-800:])
        for kind, (word, _, obj) in KINDS.items():
            key = "".join(ch if ch.isalnum() or ch == "/" else "_" for ch in obj)
            got = tel.get("/ferry/" + kind, {}).get(key)
            want = {"".join(ch if ch.isalnum() else "_" for ch in k): v
                    for k, v in c.get(word, {}).get(obj, {}).items()}
            if kind != "acl_rules":  # more objects than a telemetry dict holds
                chk.eq(got, want, "/ferry/%s %s equals show counters" % (kind, obj))

        chk.set_group("prometheus")
        body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % f.metrics_port,
                                      timeout=10).read()
        p = subprocess.run(["promtool", "check", "metrics"], input=body,
                           capture_output=True, timeout=60)
        chk.eq(p.returncode, 0, "promtool check metrics",
               (p.stdout + p.stderr).decode(errors="replace")[-1500:])
        text = body.decode()
        s = O.metric_samples(text)
        for kind, (word, label, obj) in KINDS.items():
            name = "ferry_%s_%s_total" % (word, "rx_packets" if word == "interface"
                                           else "packets")
            chk.ok((name, obj) in s, "%s{%s=%r}" % (name, label, obj))
            chk.ok('%s{%s="' % (name.replace("packets", "bytes"), label) in text,
                   "%s has bytes too" % kind)
        chk.eq(s.get(("ferry_sa_bytes_total", "4097-out")),
               float(sum(len(x) - 14 for x in to_sa)), "ferry_sa_bytes_total")
        rules = {o for (n, o) in s if n == "ferry_acl_rule_packets_total"}
        chk.eq(len(rules), CAP, "acl_rule family capped at %d objects" % CAP)
        chk.ok("in-acl/1" in rules and "in-acl/2" in rules, "the first objects are kept")
        chk.eq(s.get(("ferry_metrics_omitted_objects", "acl_rules")), float(EXTRA_RULES + 3 - CAP),
               "ferry_metrics_omitted_objects{kind=\"acl_rules\"} counts the rest")
        chk.eq(s.get(("ferry_metrics_omitted_objects", "interfaces")), 0.0,
               "nothing omitted below the cap")
    finally:
        stopped = f.stop()
    return O.summary(chk, stopped)


if __name__ == "__main__":
    sys.exit(main())
