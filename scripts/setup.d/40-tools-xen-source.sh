#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Xen 4.20 source tarball that make tools-check and make test-tools
# patch (Debian's xen source package of the trixie suite).  Nothing to do
# if an earlier step (10-xen-source.sh) already fetched it; otherwise fetch
# it the same way, into the same place.
set -euo pipefail

tarball=xen_4.20.3+127-gc42374a105.orig.tar.xz
dir=${XV_CACHE:-$HOME/.cache/xen-vsmmu}/src
[ -f "$dir/$tarball" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# The .dsc of that version is not served, the tarball is: --tar-only.
list=/etc/apt/sources.list.d/xen-vsmmu-trixie-src.sources
if ! grep -rqs '^Suites:.*trixie' /etc/apt/sources.list.d/ ||
   ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/; then
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' \
        'Suites: trixie' 'Components: main' \
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
        $SUDO tee "$list" > /dev/null
fi
$SUDO apt-get update -qq

mkdir -p "$dir"
cd "$dir"
apt-get source --download-only --tar-only xen/trixie
[ -f "$tarball" ] || { echo "40-tools-xen-source: $tarball not fetched" >&2; exit 1; }
