#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""dpdk-pdump (DPDK's capture tool, a secondary process) captures port
"in" of a running ferry: ferry must run with hugepages and without
eal.in_memory, since DPDK multi-process shares hugepage memory and the
IPC socket, and with eal.multi_process = true (no --huge-unlink). Skipped (77)
unless FERRY_TEST_HUGEPAGES=1 says hugepages may be used (the project's
shared development VMs run everything --no-huge) and enough are free;
reserve some first, e.g.  dpdk-hugepages.py -p 2M --setup 1G
Every captured frame must be one of the frames ferry was sent."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft

NEED_MB = 600  # ferry 512 MB + dpdk-pdump's own


def free_hugepage_mb():
    info = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            info[k] = int(v.split()[0])
    mounted = any(line.split()[2] == "hugetlbfs" for line in open("/proc/mounts"))
    return info.get("HugePages_Free", 0) * info.get("Hugepagesize", 0) // 1024, mounted


def main():
    binary = ft.setup()
    ops.need_tool("dpdk-pdump")
    if os.environ.get("FERRY_TEST_HUGEPAGES") != "1":
        ft.skip("dpdk-pdump needs ferry in hugepage memory (a secondary "
                "process cannot map --no-huge memory); set "
                "FERRY_TEST_HUGEPAGES=1 where the test may use %d MB of "
                "free hugepages" % NEED_MB)
    free, mounted = free_hugepage_mb()
    if free < NEED_MB or not mounted:
        ft.skip("dpdk-pdump needs ferry in hugepage memory (a secondary "
                "process cannot map --no-huge memory): %d MB of hugepages "
                "free, hugetlbfs %smounted, %d MB needed" %
                (free, "" if mounted else "not ", NEED_MB))
    chk = ft.Checks("ops-pdump")
    with open(ft.here(__file__, "loop.cfg.in")) as f:
        text = f.read()
    text = text.replace("huge = false; in_memory = true;",
                        "huge = true; in_memory = false; multi_process = true;")
    tmpl = tempfile.NamedTemporaryFile("w", suffix=".cfg.in", delete=False)
    tmpl.write(text)
    tmpl.close()
    inputs = ops.frames()
    ferry = ops.Ferry(binary, "pdump", inputs, tmpl.name)
    out = tempfile.mkdtemp(prefix="ferry-pdump-")
    pcap = os.path.join(out, "rx.pcap")
    try:
        chk.set_group("ferry serves pdump")
        st = ferry.cli.cmd("show capture")
        chk.ok("dpdk-pdump: available" in st, "show capture says pdump is on", st)
        p = subprocess.Popen(["dpdk-pdump", "-l", "0", "--file-prefix", ferry.prefix,
                              "--", "--pdump", "port=0,queue=*,rx-dev=%s" % pcap],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(3)
        p.send_signal(signal.SIGINT)
        try:
            log, _ = p.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            log, _ = p.communicate()
        log = log.decode(errors="replace")
        chk.set_group("dpdk-pdump")
        chk.eq(p.returncode, 0, "dpdk-pdump exit status", log[-2000:])
        frames = ft.read_pcap(pcap) if os.path.exists(pcap) else []
        chk.ok(len(frames) > 0, "dpdk-pdump captured frames (%d)" % len(frames), log[-2000:])
        sent = set(inputs)
        chk.ok(all(f in sent for f in frames), "every captured frame was sent to ferry")
        chk.ok(re.search(r"(?i)error", log) is None or len(frames) > 0,
               "no error from dpdk-pdump", log[-2000:])
    finally:
        status, _, err = ferry.stop()
        os.unlink(tmpl.name)
        if os.path.exists(pcap):
            os.unlink(pcap)
        os.rmdir(out)
    chk.set_group("ferry")
    chk.eq(status, 0, "ferry exit status", err[-1500:])
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
