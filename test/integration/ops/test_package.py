#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The Debian package (issue 19, item 18): scripts/package.sh builds it
from the build directory (argv[2], which must have --prefix=/usr, as
scripts/build.sh gives); it installs into a temporary root with
`dpkg --root` (never into this system) where

- /etc/ferry/ferry.cfg is a conffile: reinstalling keeps an operator's
  change, and so does an upgrade whose ferry.cfg differs (with
  --force-confold, as unattended upgrades run; the new one is left as
  ferry.cfg.dpkg-dist), while a changed non-conffile is restored;
- the docs and examples are there, the demo passes --check from any
  directory (its capture paths are relative to it);
- the unit is Type=notify (when ferry is built with libsystemd) with
  ExecReload, and systemd-analyze verify accepts it;
- the installed ferry started on a copy of the installed idle
  configuration (no hugepages, own file prefix, CLI port 0) says
  READY=1 on $NOTIFY_SOCKET once its ports are up, answers the installed
  ferryctl, and says STOPPING=1 and exits 0 on SIGTERM.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ferrytest as ft  # noqa: E402

ROOT = ft.here(__file__, "..", "..", "..")
CFG = "/etc/ferry/ferry.cfg"


def sh(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=kw.pop("timeout", 600),
                          **kw)


def dpkg_root(root, deb, *extra):
    for d in ("info", "updates", "triggers"):
        os.makedirs(os.path.join(root, "var/lib/dpkg", d), exist_ok=True)
    for f in ("status", "available"):
        open(os.path.join(root, "var/lib/dpkg", f), "a").close()
    return sh(["dpkg", "--root=" + root, "--force-depends", "--log=/dev/null"]
              + list(extra) + ["-i", deb], stdin=subprocess.DEVNULL)


def upgrade_deb(deb, work):
    """The same package as version 0.0.0+1 with a different ferry.cfg."""
    tree = os.path.join(work, "tree")
    sh(["dpkg-deb", "-R", deb, tree])
    with open(os.path.join(tree, CFG[1:]), "a") as f:
        f.write("# changed upstream\n")
    ctl = os.path.join(tree, "DEBIAN", "control")
    with open(ctl) as f:
        text = f.read()
    with open(ctl, "w") as f:
        f.write(re.sub(r"^Version: (.*)$", r"Version: \1+1", text, flags=re.M))
    out = os.path.join(work, "ferry-upgrade.deb")
    p = sh(["dpkg-deb", "--root-owner-group", "--build", tree, out])
    return out if p.returncode == 0 else None


def check_conffile(chk, deb, work):
    chk.set_group("conffile")
    info = sh(["dpkg-deb", "-I", deb, "conffiles"]).stdout.split()
    chk.ok(CFG in info, "ferry.cfg is a conffile", repr(info))
    root = os.path.join(work, "root")
    p = dpkg_root(root, deb)
    if not chk.eq(p.returncode, 0, "dpkg --root -i", p.stdout + p.stderr):
        return None
    doc = os.path.join(root, "usr/share/doc/ferry/README.md")
    with open(root + CFG, "a") as f:
        f.write("# the operator's change\n")
    with open(doc, "a") as f:
        f.write("junk\n")
    p = dpkg_root(root, deb)
    chk.eq(p.returncode, 0, "reinstall", p.stderr)
    chk.ok(open(root + CFG).read().endswith("# the operator's change\n"),
           "reinstalling keeps the operator's ferry.cfg")
    chk.ok(not open(doc).read().endswith("junk\n"), "a non-conffile is restored")
    up = upgrade_deb(deb, work)
    if chk.ok(up is not None, "upgrade package built"):
        p = dpkg_root(root, up, "--force-confdef", "--force-confold")
        chk.eq(p.returncode, 0, "upgrade with a changed ferry.cfg", p.stderr)
        chk.ok(open(root + CFG).read().endswith("# the operator's change\n"),
               "the upgrade keeps the operator's ferry.cfg")
        chk.ok(os.path.exists(root + CFG + ".dpkg-dist"),
               "the new one is left beside it as ferry.cfg.dpkg-dist")
    return root


def check_files(chk, root):
    chk.set_group("installed files")
    for rel in ["usr/bin/ferry", "usr/bin/ferryctl", "usr/libexec/ferry/ferry-service",
                "usr/lib/systemd/system/ferry.service", "usr/share/doc/ferry/LICENSE"]:
        chk.ok(os.path.exists(os.path.join(root, rel)), rel)
    for page in sorted(os.listdir(os.path.join(ROOT, "doc"))):
        chk.ok(os.path.exists(os.path.join(root, "usr/share/doc/ferry", page)),
               "doc/%s installed" % page)
    share = os.path.join(root, "usr/share/ferry/config")
    for ex in sorted(os.listdir(os.path.join(ROOT, "config", "examples"))):
        chk.ok(os.path.exists(os.path.join(share, "examples", ex)), "example %s" % ex)
    ferry = os.path.join(root, "usr/bin/ferry")
    for cfg in [os.path.join(share, "ferry.cfg")] + [
            os.path.join(share, "examples", e) for e in os.listdir(os.path.join(share, "examples"))]:
        p = sh([ferry, "-c", cfg, "--check"], cwd="/", timeout=60)
        chk.eq(p.returncode, 0, "%s passes --check from /" % os.path.relpath(cfg, root),
               p.stderr)


def check_unit(chk, root):
    chk.set_group("unit")
    path = os.path.join(root, "usr/lib/systemd/system/ferry.service")
    text = open(path).read()
    ferry = os.path.join(root, "usr/bin/ferry")
    systemd = "libsystemd" in sh(["ldd", ferry]).stdout
    chk.ok(("Type=notify" if systemd else "Type=simple") in text.splitlines(),
           "Type=%s" % ("notify" if systemd else "simple"), text)
    chk.ok("ExecReload=/bin/kill -HUP $MAINPID" in text.splitlines(), "ExecReload")
    if shutil.which("systemd-analyze") is None:
        print("note: systemd-analyze missing, unit not verified")
        return
    moved = os.path.join(os.path.dirname(root), "ferry.service")
    with open(moved, "w") as f:
        f.write(text.replace("/usr/", root + "/usr/"))
    p = sh(["systemd-analyze", "verify", moved], timeout=60)
    chk.ok(p.returncode == 0 and p.stderr.strip() == "", "systemd-analyze verify",
           p.stdout + p.stderr)


def recv_until(sock, want, deadline):
    got = []
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            break
        got.append(msg)
        if want in msg.split("\n"):
            return True, got
    return False, got


def check_start(chk, root, work):
    chk.set_group("installed ferry starts")
    ferry = os.path.join(root, "usr/bin/ferry")
    if "libsystemd" not in sh(["ldd", ferry]).stdout:
        print("note: ferry built without libsystemd; READY=1 not checked")
        return
    prefix = "ferry-it-pkg-%d" % os.getpid()
    text = open(root + CFG).read()
    text = text.replace('file_prefix = "ferry";',
                        'file_prefix = "%s"; huge = false; in_memory = true;' % prefix)
    text = text.replace("port = 8086;", "port = 0;")
    cfg = os.path.join(work, "run.cfg")
    with open(cfg, "w") as f:
        f.write(text)
    nsock_path = os.path.join(work, "notify.sock")
    nsock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    nsock.bind(nsock_path)
    env = dict(os.environ, NOTIFY_SOCKET=nsock_path)
    proc = subprocess.Popen([ferry, "-c", cfg], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                            text=True)
    try:
        ready, got = recv_until(nsock, "READY=1", time.monotonic() + 60)
        chk.ok(ready, "READY=1 once the ports are up", repr(got))
        line = ""
        while ready and "cli listening" not in line:
            line = proc.stdout.readline()
            if not line:
                break
        m = ft.CLI_LINE_RE.search(line)
        if chk.ok(m is not None, "the CLI line", line):
            p = sh([os.path.join(root, "usr/bin/ferryctl"), "-s",
                    "%s:%s" % (m.group(1), m.group(2)), "show", "version"], timeout=30)
            chk.ok(p.returncode == 0 and "ferry" in p.stdout, "installed ferryctl answers",
                   p.stdout + p.stderr)
        proc.terminate()
        stopping, got = recv_until(nsock, "STOPPING=1", time.monotonic() + 30)
        chk.ok(stopping, "STOPPING=1 on SIGTERM", repr(got))
        chk.eq(proc.wait(timeout=60), 0, "exit status after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        nsock.close()


def main():
    ft.setup()
    build = sys.argv[2] if len(sys.argv) > 2 else ""
    for tool in ("dpkg", "dpkg-deb", "meson"):
        if shutil.which(tool) is None:
            ft.skip("%s not found" % tool)
    if not os.path.isdir(build):
        ft.skip("no meson build directory given (argv[2])")
    opts = json.loads(sh(["meson", "introspect", "--buildoptions", build]).stdout)
    prefix = [o["value"] for o in opts if o["name"] == "prefix"][0]
    if prefix != "/usr":
        ft.skip("%s has prefix %s; the package needs /usr (scripts/build.sh gives it)"
                % (build, prefix))
    chk = ft.Checks("ops-package")
    work = tempfile.mkdtemp(prefix="ferry-it-package-")
    try:
        chk.set_group("package.sh")
        p = sh([os.path.join(ROOT, "scripts", "package.sh"), work, build], timeout=1200)
        deb = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
        if chk.eq(p.returncode, 0, "package.sh status", p.stdout + p.stderr) and \
                chk.ok(deb.endswith(".deb") and os.path.exists(deb), "a .deb", deb):
            root = check_conffile(chk, deb, work)
            if root is not None:
                check_files(chk, root)
                check_unit(chk, root)
                check_start(chk, root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
