# SPDX-License-Identifier: BSD-3-Clause
"""clitest: run the real ferry, idle, for tests of its management CLI.

    import clitest as ct
    ferry, ferryctl = ct.setup()             # argv[1], argv[2]; exits 77 to skip
    chk = ct.ft.Checks("cli-ferryctl")
    with ct.Ferry(ferry) as f:               # started; f.port is the CLI's port
        ...                                  # talk to 127.0.0.1:f.port
    f.check_stop(chk)                        # stopped cleanly, nothing left behind
    sys.exit(chk.summary())

ferry runs on one net_pcap port reading an empty pcap (ferry.cfg.in here),
so the dataplane is idle. Start-up, stop and the /var/run/dpdk check reuse
ferrytest.py (one folder up): the same "cli listening" line, SIGTERM with
exit status 0, and no file left behind.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402 - after the path it lives on

TEMPLATE = ft.here(__file__, "ferry.cfg.in")
HOST = "127.0.0.1"


def setup(argv=None):
    """(ferry, ferryctl) binaries from argv[1] and argv[2]; exit 77 if one
    is missing (not built)."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 3:
        ft.skip("usage: %s FERRY_BINARY FERRYCTL_BINARY" % argv[0])
    paths = [os.path.abspath(p) for p in argv[1:3]]
    for p in paths:
        if not os.path.isfile(p) or not os.access(p, os.X_OK):
            ft.skip("%s is missing or not executable (build it: ninja -C BUILD)" % p)
    return paths


class Ferry:
    """ferry running with ferry.cfg.in, from `with` to its end."""

    def __init__(self, binary, cli_settings=""):
        """@cli_settings: more settings for the cli section."""
        self.binary = os.path.abspath(binary)
        self.cli_settings = cli_settings
        self.port = None
        self.res = ft.Result()
        self.proc = None
        self.lines = []
        self._reader = None

    def __enter__(self):
        work = tempfile.mkdtemp(prefix="ferry-it-cli-")
        self.res.workdir = work
        indir, outdir = os.path.join(work, "in"), os.path.join(work, "out")
        os.mkdir(indir)
        os.mkdir(outdir)
        ft.write_pcap(os.path.join(indir, "p0.pcap"), [])
        cfg = os.path.join(work, "ferry.cfg")
        with open(cfg, "w") as f:
            text = ft.render_config(TEMPLATE, indir, outdir, os.path.basename(work))
            f.write(text.replace("max_sessions = 4;",
                                 "max_sessions = 4; " + self.cli_settings))
        self._before = ft.dpdk_run_entries()
        self._err = open(os.path.join(work, "stderr.txt"), "w+b")
        self.proc = subprocess.Popen([self.binary, "-c", cfg], cwd=work,
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._err)
        got = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(got,), daemon=True)
        self._reader.start()
        got.wait(ft.START_TIMEOUT)
        for line in list(self.lines):
            m = ft.CLI_LINE_RE.search(line)
            if m:
                self.port = int(m.group(2))
        if self.port is None:
            self.__exit__(None, None, None)
            raise RuntimeError("ferry did not say 'cli listening' within %.0f s:\n%s\n%s"
                               % (ft.START_TIMEOUT, "".join(self.lines), self.res.stderr))
        return self

    def _read(self, got):
        for line in iter(self.proc.stdout.readline, b""):
            self.lines.append(line.decode("utf-8", "replace"))
            if ft.CLI_LINE_RE.search(self.lines[-1]):
                got.set()
        got.set()

    def __exit__(self, *exc):
        work = self.res.workdir
        ft._stop(self.res, self.proc)
        self._reader.join(5)
        self._err.seek(0)
        self.res.stderr = self._err.read().decode("utf-8", "replace")
        self._err.close()
        own = os.path.join(os.path.realpath(ft.DPDK_RUN_DIR), os.path.basename(work))
        ft._check_dpdk_run_dir(self.res, own, self._before)
        if os.path.isdir(own):
            shutil.rmtree(own, ignore_errors=True)
        if self.res.problems:
            print("--- ferry stdout:\n" + "".join(self.lines[-40:]))
            print("--- ferry stderr:\n" + "\n".join(self.res.stderr.splitlines()[-40:]))
        shutil.rmtree(work, ignore_errors=True)
        return False

    def check_stop(self, chk):
        """ferry stopped cleanly (SIGTERM, status 0, nothing left)."""
        chk.set_group("ferry start and stop")
        for p in self.res.problems:
            chk.fail(p)
        if not self.res.problems:
            chk.ok(True, "ferry ran and stopped cleanly")
