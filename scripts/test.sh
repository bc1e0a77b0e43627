#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what is missing, build, run every meson test suite (unit,
# integration, ...) twice: on the normal build (build/) and on an
# AddressSanitizer + UndefinedBehaviorSanitizer build (build-asan/), so
# memory errors and undefined behaviour fail CI. Extra arguments go to
# `meson test`, e.g.
#   scripts/test.sh --suite core
# A third build (build-fuzz/, clang) runs each libFuzzer target of
# test/fuzz for a bounded time (FERRY_FUZZ_SECONDS, default 20).
# A stress pass runs the normal build's suites once more with a CPU hog
# pinned to the workers' core (FERRY_STRESS_CPU, default 1: every test
# config puts its worker on lcore 1), so that tests which hold only on a
# quiet machine fail here rather than on a busy CI runner. The hog is a
# shell busy loop at the tests' own priority, bounded by timeout(1) and
# killed by its PID.
# Tests in suite 'long' (minutes of strongSwan rekeys, 200 tunnels) run in
# the normal pass only, to keep the whole run well inside CI's 90 minutes.
# FERRY_TEST_SANITIZE=0 / FERRY_TEST_FUZZ=0 / FERRY_TEST_STRESS=0 skip
# those passes. Exits non-zero if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run build test
scripts/build.sh

# --- lint (issue 19 item 20): format config, SPDX, whitespace; see the script
scripts/lint.sh
# --- end lint

# DPDK runs under ASan here with --no-huge (every test config uses it):
# its own shared libraries are not instrumented, ferry's code is.
# b_lundef=false: sanitizer runtimes leave symbols for the loader.
sanitize=${FERRY_TEST_SANITIZE:-1}
if [ "$sanitize" != 0 ]; then
	scripts/build.sh build-asan -Dbuildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false
fi

fuzz=${FERRY_TEST_FUZZ:-1}
if [ "$fuzz" != 0 ]; then
	CC=clang scripts/build.sh build-fuzz -Dfuzz=true \
		-Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
		-Db_lundef=false
fi

summary() {
	/usr/bin/python3 - "$1/meson-logs/${2:-testlog}.json" <<'PY' || true
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
skip = sum(r == "SKIP" for r in res)
print(f"{ok} passed, {len(res) - ok - skip} failed, {skip} skipped")
PY
}

rc=0
meson test -C build --no-rebuild --print-errorlogs "$@" || rc=$?
if [ "$sanitize" != 0 ]; then
	echo "== the same tests under ASan + UBSan (build-asan/)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --no-rebuild --print-errorlogs \
			--timeout-multiplier 2 --no-suite long "$@" ||
		rc=$?
	echo -n "sanitizers: "
	summary build-asan
fi
stress=${FERRY_TEST_STRESS:-1}
stress_cpu=${FERRY_STRESS_CPU:-1}
hog_pid=
hog_stop() {
	if [ -n "$hog_pid" ]; then
		kill "$hog_pid" 2>/dev/null || true
		wait "$hog_pid" 2>/dev/null || true
		hog_pid=
	fi
}
trap hog_stop EXIT
if [ "$stress" != 0 ] && ! taskset -c "$stress_cpu" true 2>/dev/null; then
	echo "== stress pass skipped: no CPU $stress_cpu to pin a hog to"
	stress=0
fi
if [ "$stress" != 0 ]; then
	echo "== the normal build's tests again, CPU $stress_cpu hogged"
	# Bounded: the pass takes ~2x the normal suite's 4 minutes.
	timeout 3600 taskset -c "$stress_cpu" sh -c 'while :; do :; done' &
	hog_pid=$!
	meson test -C build --no-rebuild --print-errorlogs \
		--logbase stress --timeout-multiplier 3 --no-suite long "$@" ||
		rc=$?
	hog_stop
	echo -n "under a CPU hog: "
	summary build stress
fi
if [ "$fuzz" != 0 ]; then
	echo "== fuzz targets, bounded (build-fuzz/)"
	meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz ||
		rc=$?
	echo -n "fuzzing: "
	summary build-fuzz
fi
# One closing line any CI reader understands (the normal build).
summary build
exit $rc
