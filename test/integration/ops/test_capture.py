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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft


def tshark_count(chk, path):
    p = subprocess.run(["tshark", "-n", "-r", path], capture_output=True,
                       text=True, timeout=60)
    chk.eq(p.returncode, 0, "tshark reads %s" % os.path.basename(path),
           p.stderr[-500:])
    return len([l for l in p.stdout.splitlines() if l.strip()])


def capture(chk, ferry, cmd, path, count):
    """Run @p cmd, wait for the capture to end by itself, return frames."""
    out = ferry.cli.cmd(cmd)
    chk.ok(out.startswith("capturing"), "%r started" % cmd, out)
    done = ops.wait_until(lambda: "captured " in ferry.cli.cmd("show capture"))
    chk.ok(done, "capture stopped by itself after %d packets" % count,
           ferry.cli.cmd("show capture"))
    status = ferry.cli.cmd("show capture")
    chk.ok("%d of %d packets written, 0 lost" % (count, count) in status,
           "show capture counts them", status)
    frames = ops.read_pcapng(path)
    chk.eq(len(frames), count, "frames in %s" % os.path.basename(path))
    chk.eq(tshark_count(chk, path), count, "frames tshark sees")
    return frames


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
                     "file %s/node.pcapng count 40" % tmp, tmp + "/node.pcapng", 40)
        before = [f for f, d in nd if d == 1]
        after = [f for f, d in nd if d == 2]
        chk.ok(len(before) > 0 and len(after) > 0, "both sides captured",
               "%d before, %d after" % (len(before), len(after)))
        chk.ok(all(ft.Ether(f).dst == "00:00:00:00:00:00" and
                   ft.Ether(f)[ft.IP].ttl == 64 for f in before),
               "before ip4_rewrite: an IPv4 packet (placeholder Ethernet "
               "header), TTL still 64")
        chk.ok(all(ft.Ether(f).dst == "02:00:00:00:0a:02" and
                   ft.Ether(f)[ft.IP].ttl == 63 for f in after),
               "after ip4_rewrite: next hop's MAC, TTL 63")
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
