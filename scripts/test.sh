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
# FERRY_TEST_SANITIZE=0 / FERRY_TEST_FUZZ=0 skip those passes. Exits
# non-zero if any test fails.
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
	/usr/bin/python3 - "$1/meson-logs/testlog.json" <<'PY' || true
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
		meson test -C build-asan --no-rebuild --print-errorlogs "$@" ||
		rc=$?
	echo -n "sanitizers: "
	summary build-asan
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
