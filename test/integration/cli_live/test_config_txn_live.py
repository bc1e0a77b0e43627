#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The change transaction for the ipsec and qos sections, from outside.

Under replayed traffic to 10.5.0.0/16 (a static route) and to 10.6.0.0/16
(an IPsec route into SA 4097, under an SPD protect rule), both leaving by
port b, whose egress is scheduled (qos class 1; no step touches it):
- walk every live ipsec and qos list (SAs, routes into SAs, SPD rules,
  scheduler classes, policers): add, change and delete one entry per
  `config reload`; after each, the running config equals that of a
  fresh ferry started with the same file, and no packet is dropped: the
  unchanged route, SA, SPD rule and class carry on (a class added or
  removed, a policer bound, changed or deleted rebuilds port b's
  scheduler under the replay: class 1's queue moves over whole);
- what cannot change live (an SA's settings, scheduling another port)
  is refused with its reason and changes nothing;
- the same ipsec and qos changes (a class added among them) made over
  the CLI and by reload give byte-identical running configs, and so do
  a policer added, bound and changed by `qos policer add|bind|set`;
- a reload that fails half way (the SA and the class change ran, then
  the VRF's route table is full) leaves the running config, the SAD and
  the scheduler byte-identical.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402
from test_cli_changes import delta  # noqa: E402
from test_config_txn import Live, write, fresh_running, drops  # noqa: E402

KEY = 'key = "101112131415161718191a1b1c1d1e1f"; salt = "cafebabe";'
SA1 = ('{ spi = 4097; direction = "out"; local = "198.18.1.1"; '
       'remote = "198.18.1.2"; algorithm = "aes-gcm-128"; %s }' % KEY)
SA2 = SA1.replace("4097", "4098")
R1 = '{ vrf = "default"; prefix = "10.6.0.0/16"; sa = 4097; }'
R2 = '{ vrf = "default"; prefix = "10.8.0.0/16"; sa = 4098; }'
SPD1 = ('{ direction = "out"; dst = "10.6.0.0/16"; action = "protect"; '
        'sa = 4097; }')
SPD2 = '{ direction = "out"; dst = "10.9.0.0/16"; action = "discard"; }'
IPSEC = ('ipsec = {\n\tsas = ( %s );\n\troutes = ( %s );\n'
         '\tspd = ( %s );\n};\n' % (SA1, R1, SPD1))
# Port b is shaped at 100 Gbit/s so that the scheduler never limits the
# replay, however fast this machine forwards: every qos_queue_full drop
# would then be a change touching traffic, not congestion.
C1 = ('{ id = 1; rate = 50000000000L; ceil = 100000000000L; '
      'queue_limit = 1000; }')
C2 = '{ id = 2; rate = 1000000000; ceil = 10000000000L; queue_limit = 1000; }'
QOS = ('qos = {\n\tports = ( { port = "b"; rate = 100000000000L; '
       'default_class = 1;\n\t\tclasses = ( %s,\n\t\t\t%s ); } );\n};\n'
       % (C1, C2))
C3 = '{ id = 3; rate = 1000000; ceil = 10000000; }'
POLICER = ('qos = {\n\tpolicers = ( { name = "p"; type = "srtcm"; '
           'cir = 8000; cbs = 860; ebs = 430; } );\n\tports')


def frames():
    out = []
    for i in range(128):
        dst = "10.%d.%d.%d" % (5 + i % 2, i, 1 + i)
        pkt = (ft.Ether(dst="02:00:00:00:01:00", src="02:00:00:00:01:99") /
               ft.IP(src="192.0.2.10", dst=dst) /
               ft.UDP(sport=2000 + i, dport=53) / (b"y" * 200))
        out.append(bytes(pkt))
    return out


def steps(base):
    """(what, file text) for each reload of the walk, back to base."""
    sa = base.replace(SA1 + " )", SA1 + ",\n\t\t" + SA2 + " )")
    rt = sa.replace(R1 + " )", R1 + ",\n\t\t" + R2 + " )")
    spd = sa.replace(SPD1 + " )", SPD1 + ",\n\t\t" + SPD2 + " )")
    spd2 = spd.replace(SPD2, SPD2.replace('action = "discard";',
                                          'action = "protect"; sa = 4098;'))
    pol = base.replace("qos = {\n\tports", POLICER)
    bound = pol.replace(C2, C2.replace("queue_limit = 1000;",
                                       'queue_limit = 1000; policer = "p";'))
    return [
        ("ipsec SA add", sa),
        ("ipsec route add", rt),
        ("ipsec route change", rt.replace(R2, R2.replace("4098", "4097"))),
        ("ipsec route delete", sa),
        ("ipsec SPD rule add", spd),
        ("ipsec SPD rule change", spd2),
        ("ipsec SPD rule delete", sa),
        ("ipsec SA delete", base),
        ("qos class change", base.replace(C2, C2.replace(
            "rate = 1000000000", "rate = 2000000000; priority = 3"))),
        ("qos class back", base),
        ("qos class add", base.replace(C2 + " )", C2 + ",\n\t\t\t" + C3 +
                                       " )")),
        ("qos class delete", base),
        ("qos policer add", pol),
        ("qos policer bound to class 2", bound),
        ("qos policer change", bound.replace("cir = 8000;",
                                             "cir = 16000;")),
        ("qos policer unbound", pol.replace("cir = 8000;",
                                            "cir = 16000;")),
        ("qos policer delete", base),
    ]


def walk(chk, binary, work, cfg, cli, base, prefix):
    chk.set_group("walk: each reload = a fresh start")
    lost = drops(cli)
    for what, text in steps(base):
        write(cfg, text)
        out = cli.cmd("config reload")
        chk.ok("reloaded" in out and "1 change" in out, what, out)
        chk.ok("1112131415" not in out and "cafebabe" not in out,
               "%s: the listed change shows no key" % what, out)
        chk.eq(cli.cmd("show running-config"),
               fresh_running(binary, work, text, prefix),
               "%s: running config as a fresh start" % what)
    d = delta(cli)
    chk.ok(d.get("tx b", 0) > 0, "traffic on the unchanged entries flows",
           str(d))
    sa = cli.cmd("show ipsec sa 4097")
    chk.ok(re.search(r"packets [1-9]", sa) is not None,
           "the unchanged SA 4097 carries traffic", sa)
    chk.eq(drops(cli) - lost, 0, "no packet dropped during the walk")


def refused(chk, cfg, cli, base):
    chk.set_group("what cannot change live is refused with its reason")
    running = cli.cmd("show running-config")
    cases = [
        ("an SA's settings", base.replace(SA1, SA1.replace(
            "cafebabe", "cafebabf")), "a rekey is a new SPI"),
        ("another port scheduled", base.replace(
            "qos = {\n\tports = ( ", 'qos = {\n\tports = ( { port = "a"; '
            'rate = 1000000000; default_class = 1; classes = ( { id = 1; '
            'rate = 1000000; } ); },\n\t\t'),
         "scheduling a port or no longer scheduling it needs a restart"),
    ]
    for what, text, why in cases:
        write(cfg, text)
        out = cli.cmd("config reload")
        chk.ok(out.startswith("%") and why in out, "%s: refused" % what, out)
        chk.eq(cli.cmd("show running-config"), running,
               "%s: nothing changed" % what)
    write(cfg, base)


def cli_vs_reload(chk, cfg, cli, base):
    chk.set_group("CLI and reload agree (ipsec, qos)")
    start = cli.cmd("show running-config")
    for c in ("ipsec sa add 4098 out local 198.18.1.1 remote 198.18.1.2 "
              "algorithm aes-gcm-128 key 101112131415161718191a1b1c1d1e1f "
              "salt cafebabe",
              "ipsec route add default 10.8.0.0/16 sa 4098",
              "ipsec spd add out discard dst 10.9.0.0/16",
              "qos class b 2 rate 2G ceil 10G priority 3",
              "qos class add b 3 rate 1M ceil 10M"):
        chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)
    by_cli = cli.cmd("show running-config")
    out = cli.cmd("config reload force")
    chk.ok("reloaded" in out and "4 changes" in out,
           "config reload force drops them", out)
    chk.eq(cli.cmd("show running-config"), start, "back to the file")
    text = base.replace(SA1 + " )", SA1 + ",\n\t\t" + SA2 + " )")
    text = text.replace(R1 + " )", R1 + ",\n\t\t" + R2 + " )")
    text = text.replace(SPD1 + " )", SPD1 + ",\n\t\t" + SPD2 + " )")
    text = text.replace(C2, C2.replace("rate = 1000000000",
                                       "rate = 2000000000; priority = 3") +
                        ",\n\t\t\t" + C3)
    write(cfg, text)
    out = cli.cmd("config reload")
    chk.ok("reloaded" in out and "4 changes" in out, "the same change by "
           "reload", out)
    chk.eq(cli.cmd("show running-config"), by_cli,
           "CLI and reload: byte-identical running configs")
    write(cfg, base)
    chk.ok("reloaded" in cli.cmd("config reload"), "back to base")


def policer_cli_vs_reload(chk, cfg, cli, base):
    chk.set_group("policers: CLI and reload agree")
    start = cli.cmd("show running-config")
    for c in ("qos policer add p srtcm cir 8000 cbs 860 ebs 430",
              "qos policer bind b class 2 p",
              "qos policer set p srtcm cir 16k cbs 860 ebs 430 red remark "
              "red-dscp 10"):
        chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)
    out = cli.cmd("qos policer add p srtcm cir 8000 cbs 860")
    chk.ok(out.startswith("%") and
           'policer (name = "p") exists; delete it first' in out,
           "a second policer p: the generic duplicate-key message", out)
    out = cli.cmd("qos policer del p")
    chk.ok(out.startswith("%") and "policer" in out,
           "a bound policer cannot go", out)
    out = cli.cmd("qos policer del nope")
    chk.ok(out.startswith("%") and 'no policer (name = "nope")' in out,
           "an unknown policer: the generic not-found message", out)
    by_cli = cli.cmd("show running-config")
    chk.ok('name = "p"' in by_cli and 'policer = "p"' in by_cli,
           "running-config shows the policer and its binding", by_cli)
    out = cli.cmd("config reload force")
    chk.ok("reloaded" in out and "2 changes" in out,
           "config reload force drops them", out)
    chk.eq(cli.cmd("show running-config"), start, "back to the file")
    pol = base.replace("qos = {\n\tports", POLICER.replace(
        "cir = 8000;", 'cir = 16000;').replace(
        "ebs = 430;", 'ebs = 430; red = "remark"; red_dscp = 10;'))
    write(cfg, pol.replace(C2, C2.replace(
        "queue_limit = 1000;", 'queue_limit = 1000; policer = "p";')))
    out = cli.cmd("config reload")
    chk.ok("reloaded" in out and "2 changes" in out,
           "the same change by reload", out)
    chk.eq(cli.cmd("show running-config"), by_cli,
           "policer by CLI and by reload: byte-identical running configs")
    for c in ("qos policer unbind b class 2", "qos policer del p"):
        chk.eq(cli.cmd(c).strip(), "", "%r succeeds" % c)
    chk.eq(cli.cmd("show running-config"), start,
           "unbind and del by CLI: back to the file's running config")
    write(cfg, base)
    chk.ok("reloaded" in cli.cmd("config reload force"), "back to base")


def sched_conf(cli):
    """The configured columns of `show qos` (not the counters)."""
    return re.findall(r"^\s+(\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+)\s",
                      cli.cmd("show qos b"), re.M)


def failed_half_way(chk, cfg, cli, base):
    chk.set_group("a reload that fails half way changes nothing")
    running = cli.cmd("show running-config")
    sas = re.findall(r"^sa \d+ \w+", cli.cmd("show ipsec sa"), re.M)
    sched = sched_conf(cli)
    table = cli.cmd("show ip route")
    many = ",\n\t\t".join('{ vrf = "default"; prefix = "10.%d.0.0/16"; '
                          'sa = 4098; }' % i for i in range(30, 50))
    text = base.replace(SA1 + " )", SA1 + ",\n\t\t" + SA2 + " )")
    text = text.replace(R1 + " )", R1 + ",\n\t\t" + many + " )")
    text = text.replace(C2, C2.replace("rate = 1000000000",
                                       "rate = 2000000000"))
    write(cfg, text)
    out = cli.cmd("config reload")
    chk.ok(out.startswith("%") and "nothing changed" in out,
           "20 IPsec routes more than the VRF holds: refused", out)
    chk.eq(cli.cmd("show running-config"), running, "running config identical")
    chk.eq(re.findall(r"^sa \d+ \w+", cli.cmd("show ipsec sa"), re.M), sas,
           "SAD identical (SA 4098 gone again)")
    chk.eq(sched_conf(cli), sched, "scheduler classes identical")
    chk.eq(cli.cmd("show ip route"), table, "routing table identical")
    write(cfg, base)


def main():
    return Live("config-txn-live", frames(), IPSEC + QOS).run([
        lambda t: walk(t.chk, t.binary, t.work, t.cfg, t.cli, t.base,
                       t.prefix),
        lambda t: refused(t.chk, t.cfg, t.cli, t.base),
        lambda t: cli_vs_reload(t.chk, t.cfg, t.cli, t.base),
        lambda t: policer_cli_vs_reload(t.chk, t.cfg, t.cli, t.base),
        lambda t: failed_half_way(t.chk, t.cfg, t.cli, t.base),
    ])


if __name__ == "__main__":
    sys.exit(main())
