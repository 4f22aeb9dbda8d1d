#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Xen source tarball that scripts/xen/source.pin names, checked, into
# $XV_CACHE/src (scripts/xen/fetch-source.py says from where, and in which
# order it falls back).  The hypervisor build and the tools build both use
# $XV_CACHE/src/xen-source.tar.xz.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Earlier versions of this step added a trixie deb-src entry to the
# machine's own APT sources; everything now goes through private APT
# configurations, so take it out again.
old=/etc/apt/sources.list.d/xen-vsmmu-trixie-src.sources
if [ -f "$old" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "xen source: removing $old (no longer used)"
    $SUDO rm -f "$old"
fi

exec python3 scripts/xen/fetch-source.py scripts/xen/source.pin "${XV_CACHE:?}"
