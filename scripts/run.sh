#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Quick start: install what is missing, build, reserve 2 MB hugepages if
# possible (else run without hugepages), and run ferry in the foreground
# with a live counter line every second. Ctrl-C or SIGTERM stops it and
# gives back the hugepages this script reserved.
#
#   scripts/run.sh [CONFIG] [-- EAL options]
#
# CONFIG defaults to config/ferry.cfg. FERRY_HUGEPAGES sets how many
# 2 MB pages to reserve (default: the config's eal.memory plus 128 MB).
set -euo pipefail
cd "$(dirname "$0")/.."

config=config/ferry.cfg
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	config=$1
	shift
fi
[ "${1:-}" = "--" ] && shift

scripts/install-deps.sh run build
scripts/build.sh
build/app/ferry -c "$config" --check >/dev/null

hp=/sys/kernel/mm/hugepages/hugepages-2048kB
hp_before=""
hp_mount=""
eal_extra=()

# eal.memory from the config, in MB (default 1024).
memory=$(sed -n 's/^[[:space:]]*memory[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
	"$config" | head -n 1)
pages=${FERRY_HUGEPAGES:-$(( (${memory:-1024} + 128) / 2 ))}

give_back() {
	if [ -n "$hp_mount" ]; then
		umount "$hp_mount" 2>/dev/null && rmdir "$hp_mount" 2>/dev/null
	fi
	if [ -n "$hp_before" ]; then
		echo "$hp_before" >"$hp/nr_hugepages" 2>/dev/null || true
		echo "run.sh: hugepages back to $hp_before"
	fi
}

reserve_hugepages() {
	local free want
	[ -w "$hp/nr_hugepages" ] || return 1
	hp_before=$(cat "$hp/nr_hugepages")
	free=$(cat "$hp/free_hugepages")
	if [ "$free" -lt "$pages" ]; then
		want=$((hp_before + pages - free))
		echo "$want" >"$hp/nr_hugepages" 2>/dev/null || true
		if [ "$(cat "$hp/free_hugepages")" -lt "$pages" ]; then
			return 1
		fi
	fi
	if ! grep -q '^[^ ]* [^ ]* hugetlbfs ' /proc/mounts; then
		hp_mount=/run/ferry-hugepages
		mkdir -p "$hp_mount"
		mount -t hugetlbfs -o pagesize=2M nodev "$hp_mount" || return 1
	fi
	echo "run.sh: $pages hugepages of 2 MB reserved"
}

trap give_back EXIT
if ! reserve_hugepages; then
	give_back
	hp_before=""
	hp_mount=""
	echo "run.sh: no hugepages available; running with --no-huge"
	eal_extra=(--no-huge)
fi

build/app/ferry -c "$config" --stats 1 -- "${eal_extra[@]}" "$@" &
ferry_pid=$!
trap 'kill -TERM "$ferry_pid" 2>/dev/null' INT TERM
status=0
wait "$ferry_pid" || status=$?
# A signal interrupted the first wait: wait for ferry to finish exiting.
if kill -0 "$ferry_pid" 2>/dev/null; then
	wait "$ferry_pid" || status=$?
fi
exit "$status"
