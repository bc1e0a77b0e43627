#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""`ferry --check` refuses ports that could not start (issue 19, item 15)
and resolves capture paths from the configuration file's directory:

- a relative rx_pcap is found next to the file, whatever the working
  directory, and EAL gets it as an absolute path (--eal-args);
- a missing rx_pcap file, a PCI address the host does not have (or one
  bound to a kernel driver DPDK cannot use, if the host has such a
  device), and a vdev driver DPDK does not know are refused with the
  port's FILE:LINE and a reason (dpdk-devbind.py for PCI).

Usage: /usr/bin/python3 test_check_devices.py FERRY_BINARY
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ferrytest as ft  # noqa: E402

CFG = """eal = { lcores = "0-1"; memory = 512; huge = false; in_memory = true; };
ports = (
	{ name = "p0"; device = "%s"; mac = "02:00:00:00:00:10"; }
);
workers = ( { lcore = 1; rx = ( "p0:0" ); } );
cli = { port = 0; };
"""
DPDK_DRIVERS = {"vfio-pci", "uio_pci_generic", "igb_uio", "mlx4_core", "mlx5_core"}


def run(binary, cfg, cwd, *extra):
    p = subprocess.run([binary, "-c", cfg] + list(extra), cwd=cwd, capture_output=True,
                       text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def kernel_bound_pci():
    """A PCI device bound to a driver DPDK cannot use, or None."""
    base = "/sys/bus/pci/devices"
    for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        link = os.path.join(base, d, "driver")
        if os.path.islink(link):
            drv = os.path.basename(os.readlink(link))
            if drv not in DPDK_DRIVERS:
                return d, drv
    return None


def main():
    binary = ft.setup()
    chk = ft.Checks("check-devices")
    with tempfile.TemporaryDirectory(prefix="ferry-it-devices-") as work:
        cdir = os.path.join(work, "etc")
        other = os.path.join(work, "elsewhere")
        os.mkdir(cdir)
        os.mkdir(other)
        ft.write_pcap(os.path.join(cdir, "in.pcap"), [])
        cfg = os.path.join(cdir, "f.cfg")

        def write(device):
            with open(cfg, "w") as f:
                f.write(CFG % device)

        chk.set_group("relative rx_pcap")
        write("net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap")
        rc, out, err = run(binary, cfg, other, "--check")
        chk.eq(rc, 0, "found next to the file from another directory", err)
        rc, out, err = run(binary, cfg, other, "--eal-args")
        want = "net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out.pcap" % (
            os.path.realpath(cdir), os.path.realpath(cdir))
        chk.ok(want in out.split(), "EAL gets absolute paths", out + err)

        cases = [
            ("missing rx_pcap", "net_pcap0,rx_pcap=nothere.pcap",
             "rx_pcap %s/nothere.pcap: No such file or directory (relative "
             "paths are from the configuration file's directory)"
             % os.path.realpath(cdir)),
            ("absent PCI device", "0000:ff:1f.7",
             "no PCI device 0000:ff:1f.7 on this host (/sys/bus/pci/devices); "
             "dpdk-devbind.py --status lists the NICs"),
            ("unknown vdev driver", "net_nonsense0,foo=1",
             '"net_nonsense0" is no DPDK virtual device driver (net_pcap, '
             "net_null, net_tap, net_ring, net_af_packet, net_af_xdp, "
             "net_vhost, net_memif, ...) nor a PCI address"),
        ]
        bound = kernel_bound_pci()
        if bound is None:
            print("note: no PCI device bound to a kernel driver here; that case is not run")
        else:
            cases.append(("PCI on a kernel driver", bound[0],
                          "PCI device %s is bound to %s, which DPDK cannot use: "
                          "dpdk-devbind.py -b vfio-pci %s" % (bound[0], bound[1], bound[0])))
        for name, device, why in cases:
            chk.set_group(name)
            write(device)
            rc, out, err = run(binary, "f.cfg", cdir, "--check")
            first = err.splitlines()[0] if err.strip() else ""
            want = 'f.cfg:3: ports.[0].device: "%s": %s' % (device, why)
            chk.eq(rc, 1, "%s: exit status" % name, err)
            chk.eq(first, want, "%s: first stderr line" % name)
    return chk.summary()


if __name__ == "__main__":
    sys.exit(main())
