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

# --prefix=/usr unless given: the layout doc/operations.md shows and the
# one scripts/package.sh packages (configuration in /etc/ferry).
if [ ! -f "$dir/build.ninja" ]; then
	case " $* " in
	*" --prefix"* | *" -Dprefix"*) run meson setup "$dir" "$@" ;;
	*) run meson setup "$dir" --prefix=/usr "$@" ;;
	esac
fi
run ninja -C "$dir"
