#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Configure (once) and build ferry into build/. Extra arguments go to
# `meson setup` on the first run (e.g. -Dbuildtype=release).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/build.ninja ]; then
	meson setup build "$@" >/dev/null
fi
ninja -C build >/dev/null
