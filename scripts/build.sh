#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Configure (once) and build ferry. Quiet when all is well; on a failure
# the tail of the tool's output is shown.
#   scripts/build.sh [BUILD_DIR [meson setup options...]]
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-build}
[ $# -gt 0 ] && shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		echo "build: failed: $*" >&2
		exit 1
	fi
}

if [ ! -f "$dir/build.ninja" ]; then
	run meson setup "$dir" "$@"
fi
run ninja -C "$dir"
