#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer target for a bounded time on its checked-in seed
# corpus (read only: new inputs go to a temporary directory). A crash,
# leak, timeout or sanitizer report fails the test, and libFuzzer leaves
# the reproducer in the current directory (crash-*, leak-*, timeout-*).
#   run_fuzz.sh FUZZER SEED_DIR SECONDS
set -e
fuzzer=$1
seeds=$2
seconds=$3
work=$(mktemp -d)
# A leak inside libconfig that ferry cannot free (see lsan.supp).
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
trap 'rm -rf "$work"' EXIT
# -error_exitcode=1: libFuzzer's default, 77, is meson's "skipped".
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 \
	-print_final_stats=1 "$work" "$seeds"
