#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build charon's kernel-ferry plugin (drivers/strongswan/kernel-ferry,
# GPL-2.0-or-later) against the strongSwan installed here, and with
# --install put it in charon's plugin directory with its strongswan.d
# snippet (doc/ike.md).
#   scripts/build-kernel-ferry.sh [--install] [BUILD_DIR]
# Debian ships no strongSwan headers: the source of the installed
# version comes from `apt-get source` (a deb-src entry is added if the
# machine has none) into BUILD_DIR/strongswan, is configured once (only
# its headers and config.h are used; the plugin links against the
# installed charon at run time) and kept there, so later runs only
# recompile the plugin. Exits 77 with the reason when strongSwan is not
# installed or its source cannot be had (tests then skip).
set -euo pipefail
cd "$(dirname "$0")/.."

install=0
if [ "${1:-}" = "--install" ]; then
	install=1
	shift
fi
build=$(realpath -m "${1:-build}")
cache=$build/strongswan
plugin_dir=/usr/lib/ipsec/plugins
conf_dir=/etc/strongswan.d/charon

skip() {
	echo "build-kernel-ferry: $*" >&2
	exit 77
}

version=$(dpkg-query -W -f='${Version}' libstrongswan 2>/dev/null) ||
	skip "strongSwan is not installed (scripts/install-deps.sh test)"
upstream=${version%%-*}
src=$cache/strongswan-$upstream

# A deb-src entry for the sources apt already uses, if there is none.
add_deb_src() {
	local f=/etc/apt/sources.list.d/ferry-deb-src.sources
	grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list \
		/etc/apt/sources.list.d/ && return 0
	[ "$(id -u)" -eq 0 ] || skip "no deb-src entry and not root"
	sed -n 's/^Types: deb$/Types: deb-src/p; /^Types:/!p' \
		/etc/apt/sources.list.d/debian.sources >"$f" 2>/dev/null ||
		skip "no /etc/apt/sources.list.d/debian.sources to copy"
	apt-get update -qq || skip "apt-get update failed"
}

fetch() {
	mkdir -p "$cache"
	add_deb_src
	# Debian's own patches may be unavailable on a mirror snapshot; the
	# upstream tarball of the same version is what the headers need.
	(cd "$cache" && apt-get source -qq "strongswan=$version" >/dev/null 2>&1) ||
		true
	if [ ! -d "$src" ]; then
		local tarball
		tarball=$(ls "$cache"/strongswan_"$upstream".orig.tar.* 2>/dev/null |
			head -n 1)
		[ -n "$tarball" ] || skip "apt-get source strongswan=$version failed"
		tar -C "$cache" -xf "$tarball"
	fi
}

# Debian's paths (debian/rules); the features do not change the
# headers' layouts the plugin sees.
configure() {
	(cd "$src" && ./configure --prefix=/usr --sysconfdir=/etc \
		--libexecdir=/usr/lib --with-ipsecdir=/usr/lib/ipsec \
		--disable-defaults --enable-charon --enable-kernel-netlink \
		--enable-socket-default --enable-nonce --disable-gmp \
		>"$cache/configure.log" 2>&1) ||
		skip "configure failed: see $cache/configure.log"
}

[ -f "$src/config.h" ] || { [ -d "$src" ] || fetch; configure; }

out=$build/drivers/strongswan/kernel-ferry
mkdir -p "$out"
cc -shared -fPIC -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-include "$src/config.h" -I"$src/src/libstrongswan" \
	-I"$src/src/libcharon" -Ilib/ipsec \
	drivers/strongswan/kernel-ferry/kernel_ferry_plugin.c \
	lib/ipsec/ike_proto.c -o "$out/libstrongswan-kernel-ferry.so"
echo "build-kernel-ferry: $out/libstrongswan-kernel-ferry.so"
if [ "$install" -eq 1 ]; then
	install -m 0644 "$out/libstrongswan-kernel-ferry.so" "$plugin_dir/"
	install -m 0644 drivers/strongswan/kernel-ferry/kernel-ferry.conf \
		"$conf_dir/kernel-ferry.conf"
	echo "build-kernel-ferry: installed in $plugin_dir and $conf_dir"
fi
