#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian 12 packages ferry needs to build, run and test.
# Idempotent: only packages that are missing are installed, and apt's
# index is refreshed only when something is missing.
set -euo pipefail

packages=(
	build-essential meson ninja-build pkg-config
	libdpdk-dev dpdk libconfig-dev libipsec-mb-dev libcmocka-dev
	libpcap-dev python3-scapy tshark
	clang libclang-rt-14-dev
	iproute2 netcat-openbsd procps
	telnet tmux
	# dpdk-dev: testpmd, pdump, telemetry client, crypto-perf;
	# dpdk-doc: the example apps (l3fwd, ipsec-secgw, qos_sched) benchmarks
	# and tests compare against; prometheus scrapes /metrics in a test.
	dpdk-dev dpdk-doc prometheus ethtool libcrypt-dev
	gnuplot-nox valgrind linux-perf
	# the VXLAN interop test pings through the kernel's VTEP
	iputils-ping
	# scapy's ESP (the IPsec tests' peer) needs it; only a Recommends
	python3-cryptography
	# lib/control_plane: netlink for the TAP representors; its tests run
	# FRR's bgpd/ospfd as real peers and traceroute through ferry
	libmnl-dev frr traceroute
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
