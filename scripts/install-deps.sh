#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian 12 packages ferry needs to build, run, test, bench.
# Idempotent: only packages that are missing are installed, and apt's
# index is refreshed only when something is missing.
set -euo pipefail

# Install the Debian 12 packages of the GROUPs named (default: all):
#   run    what ferry needs at run time (DPDK's runtime and tools, the
#          CLI clients, iproute2)
#   build  compiler, meson, the -dev packages
#   test   what scripts/test.sh and the meson suites use (scapy, tshark,
#          clang for ASan/fuzzing, clang-format for lint, prometheus,
#          systemd-analyze, dpkg-dev for the package test)
#   bench  what scripts/bench.sh uses (DPDK's reference apps, perf,
#          valgrind's callgrind, gnuplot for the plots)
#   scripts/install-deps.sh [--list] [GROUP...]
# --list prints the packages of the groups and installs nothing.
# scripts/run.sh asks for "run build", scripts/test.sh for "run build
# test", scripts/bench.sh for "run build bench".
run=(
	dpdk libconfig9 libmnl0 iproute2 procps netcat-openbsd telnet ethtool
)
build=(
	build-essential meson ninja-build pkg-config
	libdpdk-dev libconfig-dev libipsec-mb-dev libcmocka-dev
	libpcap-dev libcrypt-dev
	# lib/control_plane: netlink for the TAP representors
	libmnl-dev
	# sd_notify (Type=notify); optional at build time
	libsystemd-dev
)
test=(
	python3-scapy tshark
	clang libclang-rt-14-dev clang-format
	tmux
	# dpdk-dev: testpmd, pdump, telemetry client, crypto-perf;
	# dpdk-doc: the example apps (l3fwd, ipsec-secgw, qos_sched) tests
	# compare against; prometheus scrapes /metrics in a test.
	dpdk-dev dpdk-doc prometheus
	# the VXLAN interop test pings through the kernel's VTEP
	iputils-ping
	# scapy's ESP (the IPsec tests' peer) needs it; only a Recommends
	python3-cryptography
	# the package test: dpkg-deb is in dpkg; systemd-analyze verifies units
	systemd
	# the soak test's memory check
	valgrind
	# lib/control_plane's tests run FRR's bgpd/ospfd as real peers and
	# traceroute through ferry
	frr traceroute
	# IKEv2 (doc/ike.md): charon with kernel-ferry at ferry's end,
	# kernel-libipsec at the peer's; the plugin is built from Debian's
	# strongSwan source by scripts/build-kernel-ferry.sh (dpkg-dev has
	# apt-get source's dpkg-source); the peer's userspace ESP needs the
	# gcm plugin (standard plugins) for AES-GCM; the NAT-T test puts B
	# behind an nftables masquerade
	strongswan-charon strongswan-swanctl libcharon-extra-plugins dpkg-dev
	libstrongswan-standard-plugins nftables
	# lib/fpm's tests encode FPM netlink frames with an independent
	# encoder (pyroute2), as zebra's dplane_fpm_nl shapes them
	python3-pyroute2
)
bench=(
	dpdk-dev dpdk-doc gnuplot-nox valgrind linux-perf
)

list=0
if [ "${1:-}" = "--list" ]; then
	list=1
	shift
fi
[ $# -eq 0 ] && set -- run build test bench
packages=()
for g in "$@"; do
	case $g in
	run) packages+=("${run[@]}") ;;
	build) packages+=("${build[@]}") ;;
	test) packages+=("${test[@]}") ;;
	bench) packages+=("${bench[@]}") ;;
	*)
		echo "install-deps: unknown group $g (run, build, test, bench)" >&2
		exit 2
		;;
	esac
done
if [ "$list" -eq 1 ]; then
	printf '%s\n' "${packages[@]}" | sort -u
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# The test group also builds and installs charon's kernel-ferry plugin
# (cached under build/strongswan; it skips with a reason if it cannot).
plugin() {
	case " $* " in
	*" test "*)
		[ "$(id -u)" -eq 0 ] || return 0
		scripts/build-kernel-ferry.sh --install build ||
			echo "install-deps: kernel-ferry not built (the ike tests skip)" >&2
		;;
	esac
}
cd "$(dirname "$0")/.."
if [ ${#missing[@]} -eq 0 ]; then
	plugin "$@"
	exit 0
fi

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
plugin "$@"
