#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""ferry's capture command on a running ferry under load: a port's rx
(the frames of the input capture, as sent), a port's tx (the same
packets routed: new MACs, TTL 63), and before/after a graph node. Each
file is a pcapng that tshark reads, holds exactly the count asked for,
marks the direction, and the capture stops by itself. Bad requests
(unknown port or node, a second capture) change nothing."""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft


def tshark_count(chk, path):
    p = subprocess.run(["tshark", "-n", "-r", path], capture_output=True,
                       text=True, timeout=60)
    chk.eq(p.returncode, 0, "tshark reads %s" % os.path.basename(path),
           p.stderr[-500:])
    return len([l for l in p.stdout.splitlines() if l.strip()])


def tshark_fields(path):
    """[(epoch seconds, interface name)] of each frame, as tshark reads them."""
    p = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e",
                        "frame.time_epoch", "-e", "frame.interface_name"],
                       capture_output=True, text=True, timeout=60)
    out = []
    for line in p.stdout.splitlines():
        f = line.split("\t")
        if len(f) == 2 and f[0]:
            out.append((float(f[0]), f[1]))
    return out


def check_stamps(chk, path, t0, t1, iface):
    """Every frame stamped between @p t0 and @p t1 (wall clock, with a
    second of slack) on the one interface named @p iface."""
    fields = tshark_fields(path)
    name = os.path.basename(path)
    chk.ok(fields and all(t0 - 1 <= t <= t1 + 1 for t, _ in fields),
           "%s: frames stamped in wall-clock time (%.0f..%.0f)" % (name, t0, t1),
           str(fields[:3]))
    chk.ok(fields and all(i == iface for _, i in fields),
           "%s: interface named %r" % (name, iface), str(fields[:3]))


def capture(chk, ferry, cmd, path, count, frames_per_packet=1):
    """Run @p cmd, wait for the capture to end by itself, return frames."""
    t0 = time.time()
    out = ferry.cli.cmd(cmd)
    chk.ok(out.startswith("capturing"), "%r started" % cmd, out)
    done = ops.wait_until(lambda: "captured " in ferry.cli.cmd("show capture"))
    chk.ok(done, "capture stopped by itself after %d packets" % count,
           ferry.cli.cmd("show capture"))
    status = ferry.cli.cmd("show capture")
    want = count * frames_per_packet
    said = ("%d of %d packets written, 0 lost" % (count, count) if frames_per_packet == 1
            else "%d frames of %d packets (before and after) written, 0 lost" % (want, count))
    chk.ok(said in status, "show capture counts them", status)
    frames = ops.read_pcapng(path)
    chk.eq(len(frames), want, "frames in %s" % os.path.basename(path))
    chk.eq(tshark_count(chk, path), want, "frames tshark sees")
    check_stamps(chk, path, t0, time.time(), cmd.split()[3])
    return frames


def flow(frame):
    """What a packet keeps through ip4_rewrite: addresses, id, payload."""
    ip = ft.Ether(frame)[ft.IP]
    return (ip.src, ip.dst, ip.id, ip.proto, bytes(ip.payload))


def main():
    binary = ft.setup()
    ops.need_tool("tshark")
    chk = ft.Checks("ops-capture")
    inputs = ops.frames()
    sent = set(inputs)
    tmp = tempfile.mkdtemp(prefix="ferry-cap-")
    ferry = ops.Ferry(binary, "cap", inputs, ft.here(__file__, "loop.cfg.in"))
    try:
        chk.set_group("port rx")
        rx = capture(chk, ferry, "capture start port in rx file %s/rx.pcapng "
                     "count 50" % tmp, tmp + "/rx.pcapng", 50)
        chk.ok(all(f in sent for f, _ in rx), "every rx frame is an input frame")
        chk.ok(all(d == 1 for _, d in rx), "rx frames marked inbound")

        chk.set_group("port tx")
        tx = capture(chk, ferry, "capture start port a tx file %s/tx.pcapng "
                     "count 30" % tmp, tmp + "/tx.pcapng", 30)
        pk = [ft.Ether(f) for f, _ in tx]
        chk.ok(all(p.dst == "02:00:00:00:0a:02" and p.src == "02:00:00:00:0a:00"
                   for p in pk), "tx frames carry the next hop's and port a's MACs")
        chk.ok(all(p[ft.IP].ttl == 63 and p[ft.IP].dst.startswith("10.1.")
                   for p in pk), "tx frames are routed packets (TTL 63, 10.1/16)")
        chk.ok(all(d == 2 for _, d in tx), "tx frames marked outbound")

        chk.set_group("node before and after")
        nd = capture(chk, ferry, "capture start node ferry_ip4_rewrite before after "
                     "file %s/node.pcapng count 40" % tmp, tmp + "/node.pcapng", 40, 2)
        before = [f for f, d in nd if d == 1]
        after = [f for f, d in nd if d == 2]
        chk.ok(len(before) == 40 and len(after) == 40, "40 packets on each side",
               "%d before, %d after" % (len(before), len(after)))
        chk.eq(sorted(map(flow, before)), sorted(map(flow, after)),
               "the same packets before and after")
        chk.ok(all(ft.Ether(f).dst == "00:00:00:00:00:00" and
                   ft.Ether(f)[ft.IP].ttl == 64 for f in before),
               "before ip4_rewrite: an IPv4 packet (placeholder Ethernet "
               "header), TTL still 64")
        routed = [f for f in after if ft.Ether(f)[ft.IP].dst.startswith("10.1.")]
        chk.ok(routed and all(ft.Ether(f).dst == "02:00:00:00:0a:02" and
                              ft.Ether(f)[ft.IP].ttl == 63 for f in routed),
               "after ip4_rewrite: routed packets carry the next hop's MAC, TTL 63")
        t = ferry.cli.cmd("show trace")
        chk.ok("node hooks" not in t, "node capture done: its hooks are off", t)

        chk.set_group("refusals")
        bad = ferry.cli.cmd("capture start port nosuch file %s/x.pcapng" % tmp)
        chk.ok(bad.startswith("%") and "nosuch" in bad, "unknown port refused", bad)
        bad = ferry.cli.cmd("capture start node nosuch file %s/x.pcapng" % tmp)
        chk.ok(bad.startswith("%"), "unknown node refused", bad)
        bad = ferry.cli.cmd("capture start port in file %s/no/dir.pcapng" % tmp)
        chk.ok(bad.startswith("% cannot capture") and "No such file" in bad,
               "unwritable file refused", bad)
        st = ferry.cli.cmd("show capture")
        chk.ok("node.pcapng" in st, "show capture still shows the last capture", st)
        first = ferry.cli.cmd("capture start port in file %s/long.pcapng "
                              "count 10000000" % tmp)
        ops.wait_until(lambda: re.search(r": [1-9]\d* of 10000000 packets written",
                                         ferry.cli.cmd("show capture")))
        second = ferry.cli.cmd("capture start port a file %s/y.pcapng" % tmp)
        chk.ok(first.startswith("capturing") and "already" in second,
               "a second capture is refused while one runs", first + second)
        stop = ferry.cli.cmd("capture stop")
        chk.ok("long.pcapng" in stop and "written" in stop, "capture stop", stop)
        chk.ok(not os.path.exists(tmp + "/y.pcapng"), "refused capture made no file")
        n = len(ops.read_pcapng(tmp + "/long.pcapng"))
        chk.ok(n > 0 and "%d packets written" % n in stop,
               "stopped capture kept what it had (%d)" % n, stop)
    finally:
        status, _, err = ferry.stop()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    chk.set_group("ferry")
    chk.eq(status, 0, "ferry exit status", err[-1500:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
