# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's example apps as peers: built from Debian's dpdk-doc sources
(/usr/share/dpdk/examples) into a cache directory, never committed.

One change is made to l3fwd's and ipsec-secgw's sources, and only to
port setup: the Rx offloads they request are masked with what the port
offers, because net_pcap and net_null offer none and they otherwise
refuse to start (see ../shared/PEERS.md). Neither app reads the Rx
checksum flags, so their packet logic is unchanged.

l3fwd-graph has its routes compiled in (eight /24s to eight ports); the
bench gives it the routes of l3fwd's rule file instead, in a header the
caller writes (bench_routes.h), all through one next hop per port: its
rewrite node holds 64 next hops, fewer than 1024 routes. It asks for a
tx queue per lcore, main lcore included, which net_pcap lacks; its one
worker graph transmits on queue 0 (rte_node's tx uses the graph id), so
it gets one tx queue per port. And it gets a
named rx callback on port 0 that does nothing: callgrind counts its calls
to count bursts, as lpm_cb_parse_ptype does for l3fwd (the library's own
functions are stripped in Debian's librte_node).
"""
import hashlib
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
    "l3fwd-graph": [
        ("main.c",
         "\t{RTE_IPV4(198, 18, 0, 0), 24, 0}, {RTE_IPV4(198, 18, 1, 0), 24, 1},\n"
         "\t{RTE_IPV4(198, 18, 2, 0), 24, 2}, {RTE_IPV4(198, 18, 3, 0), 24, 3},\n"
         "\t{RTE_IPV4(198, 18, 4, 0), 24, 4}, {RTE_IPV4(198, 18, 5, 0), 24, 5},\n"
         "\t{RTE_IPV4(198, 18, 6, 0), 24, 6}, {RTE_IPV4(198, 18, 7, 0), 24, 7},\n",
         "#include \"bench_routes.h\"\n"),
        ("main.c",
         "\t\t\tipv4_l3fwd_lpm_route_array[i].depth, i,\n",
         "\t\t\tipv4_l3fwd_lpm_route_array[i].depth, dst_port,\n"),
        ("main.c",
         "\t\tret = rte_node_ip4_rewrite_add(i, rewrite_data,\n",
         "\t\tret = rte_node_ip4_rewrite_add(dst_port, rewrite_data,\n"),
        ("main.c",
         "static int\ncheck_lcore_params(void)\n",
         "static __rte_noinline uint16_t\n"
         "bench_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,\n"
         "\t       uint16_t nb, uint16_t max, void *arg)\n"
         "{\n"
         "\tRTE_SET_USED(port); RTE_SET_USED(queue); RTE_SET_USED(pkts);\n"
         "\tRTE_SET_USED(max); RTE_SET_USED(arg);\n"
         "\treturn nb;\n"
         "}\n\n"
         "static int\ncheck_lcore_params(void)\n"),
        # one worker graph, whose tx nodes use queue 0 (the graph's id):
        # one tx queue per port, as net_pcap and net_null have
        ("main.c",
         "\t\tn_tx_queue = nb_lcores;\n",
         "\t\tn_tx_queue = 1;\n"),
        ("main.c",
         "\t\t\tif (rte_lcore_is_enabled(lcore_id) == 0)\n"
         "\t\t\t\tcontinue;\n\n"
         "\t\t\tqconf = &lcore_conf[lcore_id];\n\n"
         "\t\t\tif (numa_on)\n",
         "\t\t\tif (rte_lcore_is_enabled(lcore_id) == 0 ||\n"
         "\t\t\t    queueid >= n_tx_queue)\n"
         "\t\t\t\tcontinue;\n\n"
         "\t\t\tqconf = &lcore_conf[lcore_id];\n\n"
         "\t\t\tif (numa_on)\n"),
        ("main.c",
         "\t/* Launch per-lcore init on every worker lcore */\n",
         "\tif (rte_eth_add_rx_callback(0, 0, bench_rx_burst, NULL) == NULL)\n"
         "\t\trte_exit(EXIT_FAILURE, \"bench: rx callback\\n\");\n"
         "\t/* Launch per-lcore init on every worker lcore */\n"),
    ],
}


def build(app, cache, files=None):
    """Build example @app once into @cache, with the extra source @files
    (name -> text) beside its own; return the binary's path or raise
    RuntimeError with the reason."""
    src = os.path.join(EXAMPLES, app)
    if not os.path.isdir(src):
        raise RuntimeError("%s missing (install dpdk-doc)" % src)
    work = os.path.join(cache, app)
    binary = os.path.join(work, "build", app + "-shared")
    # a cached build made with other patches or files is built again
    stamp_path = os.path.join(work, "bench-stamp")
    stamp = hashlib.sha256(repr((PATCHES[app], sorted((files or {}).items())))
                           .encode()).hexdigest()
    if os.path.exists(binary) and os.path.exists(stamp_path):
        with open(stamp_path) as f:
            if f.read() == stamp:
                return binary
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(src, work)
    # Some examples include ../common (e.g. l3fwd's sse/port_group.h).
    common = os.path.join(cache, "common")
    if not os.path.isdir(common):
        shutil.copytree(os.path.join(EXAMPLES, "common"), common)
    for fname, text in (files or {}).items():
        with open(os.path.join(work, fname), "w") as f:
            f.write(text)
    for fname, old, new in PATCHES[app]:
        path = os.path.join(work, fname)
        with open(path) as f:
            text = f.read()
        if old not in text:
            raise RuntimeError("%s: patch does not apply" % path)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))
    r = subprocess.run(["make", "-C", work, "-j2", "shared"],
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(binary):
        raise RuntimeError("%s build failed: %s" % (app, r.stderr[-400:]))
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return binary
