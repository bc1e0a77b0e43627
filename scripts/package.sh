#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build ferry's Debian package with meson and dpkg-deb:
#
#   scripts/package.sh [OUT_DIR] [BUILD_DIR]
#
# configures BUILD_DIR (default build-pkg; an existing one must have
# --prefix=/usr, as scripts/build.sh gives) with --prefix=/usr (so the
# configuration goes to /etc/ferry), without tests, builds, installs into
# a staging tree and writes OUT_DIR/ferry_VERSION_ARCH.deb (default
# OUT_DIR: the current directory). Every file under /etc is a conffile:
# dpkg never overwrites one the operator changed (it asks, or keeps it
# with --force-confold). Depends is taken from the shared libraries the
# binaries load (dpkg -S on what ldd finds). No maintainer scripts: after
# installing, `systemctl daemon-reload` and `systemctl enable --now
# ferry` are the operator's choice (the installed ferry.cfg is idle).
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(realpath -m "${1:-.}")
build=${2:-build-pkg}
mkdir -p "$out"

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" --prefix=/usr -Dtests=disabled \
		-Dbuildtype=release >/dev/null
fi
prefix=$(meson introspect --buildoptions "$build" | /usr/bin/python3 -c \
	'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
if [ "$prefix" != /usr ]; then
	echo "package: $build has prefix $prefix; a package needs /usr" >&2
	exit 1
fi
ninja -C "$build" >/dev/null

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
DESTDIR="$stage" meson install -C "$build" --no-rebuild --quiet

version=$(meson introspect --projectinfo "$build" |
	/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
arch=$(dpkg --print-architecture)

# The Debian packages of the libraries ferry and ferryctl link directly.
depends() {
	local bin lib pkg
	for bin in "$stage"/usr/bin/*; do
		objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }' |
			while read -r lib; do
				ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }'
			done
	done | sort -u | while read -r lib; do
		pkg=$(dpkg -S "$lib" 2>/dev/null ||
			dpkg -S "$(realpath "$lib")" 2>/dev/null ||
			dpkg -S "${lib#/usr}" 2>/dev/null || true)
		[ -n "$pkg" ] && echo "${pkg%%:*}"
	done | sort -u | paste -sd, | sed 's/,/, /g'
}

mkdir -p "$stage/DEBIAN"
(cd "$stage" && find etc -type f | sed 's|^|/|' | sort) >"$stage/DEBIAN/conffiles"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: ferry
Version: $version
Architecture: $arch
Maintainer: ferry developers <ferry@localhost>
Depends: $(depends), dpdk
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Description: DPDK network function for PE and gateway servers
 MPLS L3VPN PE, IPsec ESP gateway, VXLAN VTEP, ACLs and HTB-like QoS
 on DPDK 22.11, configured with a libconfig file and a telnet CLI.
 Installs an idle configuration (/etc/ferry/ferry.cfg) and the
 ferry.service unit (not enabled).
CONTROL
deb="$out/ferry_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage" "$deb" >/dev/null
echo "$deb"
