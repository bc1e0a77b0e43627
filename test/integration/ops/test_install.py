#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""`meson install --destdir` of the build directory (argv[2]) puts in
place what an operator's host needs: ferry and ferryctl, the default
configuration under <sysconfdir>/ferry (/etc/ferry with --prefix=/usr),
its demo captures, the docs, the systemd unit and its helper. The unit
is checked with systemd-analyze verify (paths moved under DESTDIR), the
installed ferry checks the installed configuration, and the helper's
plan takes hugepages and CPUs from the configuration. Nothing is
reserved or started."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import opstest as ops  # noqa: E402
ft = ops.ft


def build_options(build):
    p = subprocess.run(["meson", "introspect", "--buildoptions", build],
                       capture_output=True, text=True, timeout=60)
    return {o["name"]: o["value"] for o in json.loads(p.stdout)}


def unit_values(text):
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


def check_unit(chk, dest, unit_path, paths):
    with open(unit_path) as f:
        text = f.read()
    u = unit_values(text)
    chk.eq(u.get("Restart"), ["on-failure"], "Restart")
    chk.eq(u.get("ExecStartPre"), ["%s prestart ${FERRY_CONFIG}" % paths["helper"]],
           "ExecStartPre: check + hugepages")
    chk.eq(u.get("ExecStart"), ["%s start ${FERRY_CONFIG}" % paths["helper"]],
           "ExecStart: pinned to eal.lcores")
    chk.ok("FERRY_CONFIG=%s" % paths["cfg"] in u.get("Environment", []),
           "FERRY_CONFIG is the installed file", repr(u.get("Environment")))
    chk.eq(u.get("WorkingDirectory"), [paths["data"]], "WorkingDirectory")
    chk.eq(u.get("ExecReload"), ["/bin/kill -HUP $MAINPID"], "reload is SIGHUP")
    if shutil.which("systemd-analyze") is None:
        print("note: systemd-analyze missing, unit syntax not verified")
        return
    moved = os.path.join(dest, "ferry.service")
    with open(moved, "w") as f:
        f.write(text.replace(paths["prefix"] + "/", dest + paths["prefix"] + "/"))
    p = subprocess.run(["systemd-analyze", "verify", moved], capture_output=True,
                       text=True, timeout=60)
    chk.ok(p.returncode == 0 and p.stderr.strip() == "",
           "systemd-analyze verify", p.stdout + p.stderr)


def plan(dest, paths, cfg):
    env = dict(os.environ, FERRY=dest + paths["bin"] + "/ferry")
    p = subprocess.run([dest + paths["helper"], "plan", cfg], capture_output=True,
                       text=True, timeout=60, env=env, cwd=dest + paths["data"])
    return p.returncode, dict(l.split(" ", 1) for l in p.stdout.splitlines() if " " in l), p.stderr


def main():
    ft.setup()
    if len(sys.argv) < 3 or not os.path.isdir(sys.argv[2]):
        ft.skip("no meson build directory given (argv[2])")
    if shutil.which("meson") is None:
        ft.skip("meson not found")
    build = sys.argv[2]
    chk = ft.Checks("ops-install")
    opt = build_options(build)
    pre = opt["prefix"]
    paths = {
        "prefix": pre,
        "bin": os.path.join(pre, opt["bindir"]),
        "cfg": os.path.join(pre, opt["sysconfdir"], "ferry", "ferry.cfg"),
        "data": os.path.join(pre, opt["datadir"], "ferry"),
        "helper": os.path.join(pre, opt["libexecdir"], "ferry", "ferry-service"),
        "unit": opt["systemdunitdir"] or os.path.join(pre, "lib/systemd/system"),
        "doc": os.path.join(pre, opt["datadir"], "doc", "ferry"),
    }
    dest = tempfile.mkdtemp(prefix="ferry-install-")
    try:
        chk.set_group("meson install")
        p = subprocess.run(["meson", "install", "-C", build, "--destdir", dest,
                            "--no-rebuild", "--quiet"], capture_output=True,
                           text=True, timeout=300)
        if not chk.eq(p.returncode, 0, "meson install status", p.stdout + p.stderr):
            return chk.summary()
        for what, path, mode in [
                ("ferry", paths["bin"] + "/ferry", os.X_OK),
                ("ferryctl", paths["bin"] + "/ferryctl", os.X_OK),
                ("service helper", paths["helper"], os.X_OK),
                ("ferry.cfg", paths["cfg"], os.R_OK),
                ("demo capture", paths["data"] + "/config/demo/ce-a.pcap", os.R_OK),
                ("unit", paths["unit"] + "/ferry.service", os.R_OK),
                ("operations guide", paths["doc"] + "/operations.md", os.R_OK)]:
            chk.ok(os.access(dest + path, mode), "%s at %s" % (what, path))

        chk.set_group("installed ferry")
        ferry = dest + paths["bin"] + "/ferry"
        v = subprocess.run([ferry, "--version"], capture_output=True, text=True, timeout=30)
        chk.ok(v.returncode == 0 and v.stdout.startswith("ferry "), "ferry --version",
               v.stdout + v.stderr)
        c = subprocess.run([ferry, "-c", dest + paths["cfg"], "--check"],
                           capture_output=True, text=True, timeout=30,
                           cwd=dest + paths["data"])
        chk.eq(c.returncode, 0, "installed ferry.cfg passes --check", c.stdout + c.stderr)
        # the installed default is idle: no NIC, no capture, CLI on loopback
        a = subprocess.run([ferry, "-c", dest + paths["cfg"], "--eal-args"],
                           capture_output=True, text=True, timeout=30).stdout.split()
        devs = [a[i + 1] for i, x in enumerate(a[:-1]) if x in ("--vdev", "-a")]
        chk.ok(devs != [] and all(d.startswith("net_null") for d in devs),
               "the installed ferry.cfg drives only net_null ports", " ".join(a))
        with open(dest + paths["cfg"]) as f:
            cfgtext = f.read()
        chk.ok('address = "127.0.0.1"' in cfgtext, "its CLI listens on loopback")
        chk.ok(os.access(dest + paths["data"] + "/config/ferry.cfg", os.R_OK) and
               os.access(dest + paths["data"] + "/config/examples/ipsec-gw.cfg", os.R_OK),
               "the demo and the examples are installed beside their captures")

        chk.set_group("systemd unit")
        check_unit(chk, dest, dest + paths["unit"] + "/ferry.service", paths)

        chk.set_group("service helper plan")
        rc, got, err = plan(dest, paths, dest + paths["cfg"])
        chk.eq(rc, 0, "plan status", err)
        chk.eq(got.get("cpus"), "0-1", "CPUs = eal.lcores of ferry.cfg")
        chk.eq(got.get("hugepages_mb"), "1152", "hugepages = eal.memory 1024 + 128 MB")
        nohuge = os.path.join(dest, "nohuge.cfg")
        with open(dest + paths["cfg"]) as f:
            text = f.read().replace("memory = 1024;", "memory = 1024; huge = false;")
        with open(nohuge, "w") as f:
            f.write(text)
        rc, got, err = plan(dest, paths, nohuge)
        chk.eq(got.get("hugepages_mb"), "0", "no hugepages for huge = false", err)
        chk.set_group("EAL arguments for dpdk-pdump")
        for extra, unlink in (("", True), (" multi_process = true;", False)):
            mp = os.path.join(dest, "mp.cfg")
            with open(mp, "w") as f:
                f.write(text.replace("memory = 1024; huge = false;",
                                     "memory = 1024;" + extra))
            a = subprocess.run([ferry, "-c", mp, "--eal-args"], capture_output=True,
                               text=True, timeout=30).stdout.split()
            chk.eq("--huge-unlink" in a, unlink,
                   "--huge-unlink with%s multi_process" % ("out" if unlink else ""),
                   " ".join(a))
            chk.ok("--no-shconf" not in a and "--in-memory" not in a,
                   "the IPC is on", " ".join(a))
        chk.set_group("service helper plan")
        bad = os.path.join(dest, "bad.cfg")
        with open(bad, "w") as f:
            f.write("eal = { lcores = 12; };\n")
        rc, got, err = plan(dest, paths, bad)
        chk.ok(rc != 0 and "eal.lcores" in err, "a bad file stops the plan", err)
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
