#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what is missing, build, run every meson test suite (unit,
# integration, ...). Extra arguments go to `meson test`, e.g.
#   scripts/test.sh --suite core
# Exits non-zero if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

rc=0
meson test -C build --no-rebuild --print-errorlogs "$@" || rc=$?

# One closing line any CI reader understands.
/usr/bin/python3 - build/meson-logs/testlog.json <<'PY' || true
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
skip = sum(r == "SKIP" for r in res)
print(f"{ok} passed, {len(res) - ok - skip} failed, {skip} skipped")
PY
exit $rc
