#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch the Xen 4.20 source tarball from Debian's trixie source suite into
# $XV_CACHE/src.  The .dsc of that version is not served; the tarball is,
# so only the tarball is downloaded (--tar-only).  Nothing else is fetched
# and the Xen source is never committed.
set -euo pipefail
cache=${XV_CACHE:?}/src
mkdir -p "$cache"
if ls "$cache"/xen_4.20.*.orig.tar.xz >/dev/null 2>&1; then
    echo "xen source: $(ls "$cache"/xen_4.20.*.orig.tar.xz) (cached)"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
src=/etc/apt/sources.list.d/xen-vsmmu-trixie-src.sources
if [ ! -f "$src" ]; then
    $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $SUDO apt-get update -qq
fi
cd "$cache"
# apt drops privileges to _apt for downloads; let it write here.
chmod 0777 "$cache" 2>/dev/null || true
apt-get source --download-only --tar-only xen/trixie
ls "$cache"/xen_4.20.*.orig.tar.xz
