# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's example apps as peers: built from Debian's dpdk-doc sources
(/usr/share/dpdk/examples) into a cache directory, never committed.

One change is made to their sources, and only to port setup: the Rx
offloads they request are masked with what the port offers, because
net_pcap and net_null offer none and l3fwd / ipsec-secgw otherwise
refuse to start (see ../shared/PEERS.md). Neither app reads the Rx
checksum flags, so their packet logic is unchanged.
"""
import os
import shutil
import subprocess

EXAMPLES = "/usr/share/dpdk/examples"

# (file, text to find, replacement): the offload masks.
PATCHES = {
    "l3fwd": [
        ("main.c",
         "\t\tlocal_port_conf.rx_adv_conf.rss_conf.rss_hf &=\n"
         "\t\t\tdev_info.flow_type_rss_offloads;\n",
         "\t\tlocal_port_conf.rx_adv_conf.rss_conf.rss_hf &=\n"
         "\t\t\tdev_info.flow_type_rss_offloads;\n"
         "\t\tlocal_port_conf.rxmode.offloads &= dev_info.rx_offload_capa;\n"),
        ("main.c",
         "\t\t\trxq_conf.offloads = port_conf.rxmode.offloads;\n",
         "\t\t\trxq_conf.offloads = port_conf.rxmode.offloads &\n"
         "\t\t\t\tdev_info.rx_offload_capa;\n"),
    ],
    "ipsec-secgw": [
        ("ipsec-secgw.c",
         "\t/* Check that all required capabilities are supported */\n",
         "\tlocal_port_conf.rxmode.offloads &= dev_info.rx_offload_capa;\n"
         "\t/* Check that all required capabilities are supported */\n"),
    ],
    "qos_sched": [],
}


def build(app, cache):
    """Build example @app once into @cache; return the binary's path or
    raise RuntimeError with the reason."""
    src = os.path.join(EXAMPLES, app)
    if not os.path.isdir(src):
        raise RuntimeError("%s missing (install dpdk-doc)" % src)
    work = os.path.join(cache, app)
    binary = os.path.join(work, "build", app + "-shared")
    if os.path.exists(binary):
        return binary
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(src, work)
    # Some examples include ../common (e.g. l3fwd's sse/port_group.h).
    common = os.path.join(cache, "common")
    if not os.path.isdir(common):
        shutil.copytree(os.path.join(EXAMPLES, "common"), common)
    for fname, old, new in PATCHES[app]:
        path = os.path.join(work, fname)
        with open(path) as f:
            text = f.read()
        if old not in text:
            raise RuntimeError("%s: offload patch does not apply" % path)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
    r = subprocess.run(["make", "-C", work, "-j2", "shared"],
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(binary):
        raise RuntimeError("%s build failed: %s" % (app, r.stderr[-400:]))
    return binary
