#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ferry's benchmark suite: every job on one worker core, side by side with
# DPDK's example apps (l3fwd, ipsec-secgw, qos_sched, testpmd io) on the
# same captures, in the same run. See scripts/bench/bench.py for what each
# column means and doc/benchmarks.md for the latest results.
#   scripts/bench.sh [--quick] [--no-ipp] [--csv FILE] [SCENARIO...]
#   scripts/bench.sh --list
# Root reserves 2 MB hugepages for the run and gives them back after.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run build bench
scripts/build.sh
exec /usr/bin/python3 scripts/bench/bench.py "$@"
