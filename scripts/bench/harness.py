# SPDX-License-Identifier: BSD-3-Clause
"""What every benchmark case shares: hugepages, running a DPDK app with
one forwarding lcore, sampling its sink port through DPDK telemetry, and
counting instructions per packet with callgrind.

The rate of every app (ferry and DPDK's examples alike) is read the same
way: the `opackets` of the net_null sink port through the app's own
telemetry socket, over a fixed window after a warm-up. Nothing reads the
app's own statistics, so ferry and its peers are measured by one ruler.
"""
import glob
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

TSC_HZ = None


def tsc_hz():
    """The TSC rate (cycles per second) the kernel measured at boot."""
    global TSC_HZ
    if TSC_HZ is None:
        TSC_HZ = 0
        try:
            out = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
            m = re.search(r"tsc: (?:Refined TSC clocksource calibration|"
                          r"Detected): ([0-9.]+) MHz", out)
            if m:
                TSC_HZ = float(m.group(1)) * 1e6
        except OSError:
            pass
        if not TSC_HZ:
            with open("/proc/cpuinfo") as f:
                m = re.search(r"cpu MHz\s*:\s*([0-9.]+)", f.read())
            TSC_HZ = float(m.group(1)) * 1e6
    return TSC_HZ


class Hugepages:
    """Reserve 2 MB pages on a private hugetlbfs mount; give them back.

    Falls back to no hugepages (self.dir None) when not root or when the
    kernel cannot find the pages."""

    NR = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

    def __init__(self, pages):
        self.pages = pages
        self.dir = None
        self.old = None

    def __enter__(self):
        if self.pages == 0 or os.geteuid() != 0 or not os.path.exists(self.NR):
            return self
        with open(self.NR) as f:
            self.old = int(f.read())
        with open(self.NR, "w") as f:
            f.write(str(self.old + self.pages))
        with open(self.NR) as f:
            got = int(f.read()) - self.old
        if got < self.pages:
            self._restore()
            return self
        d = tempfile.mkdtemp(prefix="ferry-bench-huge-", dir="/run")
        if subprocess.run(["mount", "-t", "hugetlbfs", "-o", "pagesize=2M",
                           "nodev", d]).returncode != 0:
            os.rmdir(d)
            self._restore()
            return self
        self.dir = d
        return self

    def _restore(self):
        if self.old is not None:
            with open(self.NR, "w") as f:
                f.write(str(self.old))
            self.old = None

    def __exit__(self, *exc):
        if self.dir:
            subprocess.run(["umount", self.dir])
            os.rmdir(self.dir)
            self.dir = None
        self._restore()

    def eal_args(self, megabytes):
        """EAL memory options for an app that needs @megabytes."""
        if self.dir:
            return ["--huge-dir", self.dir, "--huge-unlink", "-m", str(megabytes)]
        return ["--no-huge", "-m", str(megabytes)]


class Telemetry:
    """A client of DPDK's telemetry v2 socket (what dpdk-telemetry.py uses)."""

    def __init__(self, prefix, timeout):
        path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise RuntimeError("no telemetry socket at " + path)
                time.sleep(0.2)
        self.sock.recv(4096)  # greeting

    def get(self, cmd):
        self.sock.send(cmd.encode())
        return json.loads(self.sock.recv(1 << 16).decode())

    def port_by_driver(self, prefix):
        """Port id of the first port whose name starts with @prefix."""
        for pid in self.get("/ethdev/list")["/ethdev/list"]:
            info = self.get("/ethdev/info,%d" % pid)["/ethdev/info"]
            if info["name"].startswith(prefix):
                return pid
        raise RuntimeError("no port named %s*" % prefix)

    def opackets(self, port):
        return self.get("/ethdev/stats,%d" % port)["/ethdev/stats"]["opackets"]

    def close(self):
        self.sock.close()


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def stop(proc, timeout=15):
    """SIGINT, then SIGTERM, then SIGKILL: some examples ignore SIGINT."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            pass


def measure_rate(cmd, prefix, log, warmup, window, sink="net_null", cwd=None,
                 start_timeout=60, probe=None):
    """Run @cmd, sample the sink port's opackets over @window seconds after
    @warmup seconds, stop it. Returns (Mpps, share of one CPU the app used);
    with @probe, (Mpps, CPU, probe(telemetry) before and after the window)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd)
    tel = None
    try:
        tel = Telemetry(prefix, start_timeout)
        port = tel.port_by_driver(sink)
        # The socket opens at EAL start; forwarding begins after the app's
        # own set-up (ferry loading a million routes takes many seconds).
        deadline = time.time() + start_timeout
        first = tel.opackets(port)
        while tel.opackets(port) == first:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("nothing forwarded (see %s)" % log)
            time.sleep(0.2)
        time.sleep(warmup)
        if proc.poll() is not None:
            raise RuntimeError("exited early (see %s)" % log)
        b0 = probe(tel) if probe else None
        t0, p0, c0 = time.time(), tel.opackets(port), cpu_ticks(proc.pid)
        time.sleep(window)
        t1, p1, c1 = time.time(), tel.opackets(port), cpu_ticks(proc.pid)
        b1 = probe(tel) if probe else None
        cpu = (c1 - c0) / os.sysconf("SC_CLK_TCK") / (t1 - t0)
        mpps = (p1 - p0) / (t1 - t0) / 1e6
        return (mpps, cpu, (b0, b1)) if probe else (mpps, cpu)
    except (OSError, TypeError, KeyError, ValueError) as e:
        raise RuntimeError("%s (see %s)" % (e, log))
    finally:
        if tel:
            tel.close()
        stop(proc)


def parse_callgrind(path, rx_fn):
    """Total instructions collected and calls to @rx_fn in a profile."""
    names, total, calls = {}, 0, 0
    cur_cfn = None
    with open(path) as f:
        for line in f:
            if line.startswith(("fn=", "cfn=")):
                m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line.strip())
                if m:
                    if m.group(2):
                        names[m.group(1)] = m.group(2)
                    if line.startswith("cfn="):
                        cur_cfn = names.get(m.group(1))
                continue
            if line.startswith("calls=") and cur_cfn == rx_fn:
                calls += int(line.split("=", 1)[1].split()[0])
            elif line.startswith(("summary:", "totals:")):
                total = max(total, int(line.split()[1]))
    return total, calls


def measure_ipp(cmd, log, collect_fn, rx_fn, burst, seconds, cwd=None):
    """Instructions per packet with callgrind: collect only inside the
    forwarding loop @collect_fn; packets = calls to the input PMD's rx
    function @rx_fn x @burst (net_pcap's infinite rx fills every burst).
    @cmd must already use --no-huge and --no-telemetry."""
    out = tempfile.mktemp(prefix="ferry-bench-cg-")
    vg = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
          "--toggle-collect=" + collect_fn, "--callgrind-out-file=" + out]
    with open(log, "w") as lf:
        proc = subprocess.Popen(vg + cmd, stdout=lf, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd)
    try:
        # EAL start under valgrind is slow: wait for the loop to run.
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            time.sleep(1)
            with open(log) as lf:
                if re.search(r"forwarding|cli listening|Checking link|"
                             r"entering main loop|L3FWD: entering", lf.read()):
                    break
        time.sleep(seconds)
        if proc.poll() is not None:
            raise RuntimeError("exited under valgrind (see %s)" % log)
        subprocess.run(["callgrind_control", "-d", str(proc.pid)],
                       capture_output=True, timeout=60)
        time.sleep(1)
    finally:
        proc.kill()
        proc.wait()
    total = calls = 0
    keep = os.environ.get("FERRY_BENCH_KEEP_CALLGRIND")
    for f in glob.glob(out + "*"):
        t, c = parse_callgrind(f, rx_fn)
        total, calls = total + t, calls + c
        if keep:
            # for callgrind_annotate: where the instructions go per function
            os.replace(f, os.path.join(keep, os.path.basename(f)))
        else:
            os.unlink(f)
    if calls == 0:
        raise RuntimeError("no rx calls in the profile")
    return total / (calls * burst)
