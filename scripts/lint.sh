#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Cheap checks CI runs before the tests (scripts/test.sh); exit 1 on any
# finding, each printed as FILE:LINE: what.
#
#   scripts/lint.sh [BASE]
#
# 1. .clang-format loads with the clang-format on PATH (Debian 12: 14).
# 2. C files a commit of this branch CHANGES (added, modified, renamed or
#    copied since BASE; default: the merge base with main; none on main
#    itself) are clang-format clean. The existing tree is not (17 of
#    198 files were on 2026-12-07): formatting it all in one commit
#    would collide with every branch in flight, so a file is held to
#    the layout when someone touches it: the branch that edits a file
#    formats it (`clang-format -i FILE`, best in a commit of its own
#    before the change). The tree converges one touched file at a time.
#    A finding here is a warning unless FERRY_LINT_FORMAT=strict (run it
#    so before committing): CI on a merge of several branches must not
#    fail on another branch's layout.
# 3. Every source, script and build file carries an SPDX licence line.
# 4. No trailing whitespace in tracked text files.
# Not here: VLAs. -Werror=vla over the tree takes minutes on two cores
# and DPDK 22.11's own headers (rte_lpm.h, rte_ipsec_group.h) have them;
# lib/ipsec/ipsec_priv.h's is issue 20 item 1.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
finding() {
	echo "$1" >&2
	fail=1
}

# 1
if ! command -v clang-format >/dev/null; then
	finding "lint: clang-format not found (Debian package clang-format)"
elif ! clang-format --style=file --dump-config >/dev/null 2>/tmp/lint.$$; then
	finding ".clang-format: $(head -n 1 /tmp/lint.$$)"
fi
rm -f /tmp/lint.$$

# 2
base=${1:-}
if [ -z "$base" ] && git rev-parse --verify -q main >/dev/null &&
	[ "$(git rev-parse HEAD)" != "$(git rev-parse main)" ]; then
	base=$(git merge-base HEAD main)
fi
if [ -n "$base" ] && command -v clang-format >/dev/null; then
	while read -r f; do
		[ -f "$f" ] || continue
		clang-format --style=file --dry-run -Werror "$f" >/dev/null \
			2>&1 && continue
		msg="$f:1: changed on this branch and not clang-format clean (clang-format -i $f)"
		if [ "${FERRY_LINT_FORMAT:-}" = strict ]; then
			finding "$msg"
		else
			echo "warning: $msg" >&2
		fi
	done < <(git diff --name-only --diff-filter=ACMR "$base" -- '*.c' '*.h')
fi

# 3
while read -r f; do
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier' ||
		finding "$f:1: no SPDX-License-Identifier line in the first 3"
done < <(git ls-files '*.c' '*.h' '*.py' '*.sh' 'meson.build' '*/meson.build' \
	'scripts/*' | grep -v -e '^test/fuzz/corpus/' -e '\.png$' -e '\.pcap$')

# 4
while IFS= read -r hit; do
	finding "$hit: trailing whitespace"
done < <(git grep -n -I -E '[[:space:]]+$' -- '*.c' '*.h' '*.py' '*.sh' \
	'*.md' '*.cfg' '*.build' '*.in' ':!test/fuzz/corpus' || true)

if [ "$fail" -ne 0 ]; then
	echo "lint: findings above" >&2
	exit 1
fi
echo "lint: ok"
