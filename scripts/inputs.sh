#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What this checkout builds and boots with: each input make setup fetched
# (from $XV_CACHE/inputs.d, with versions; the Xen tarball with its
# sha256) and the QEMU in use.  Printed at the end of make setup and at the
# top of make test and make run.
set -u
cache=${XV_CACHE:-$HOME/.cache/xen-vsmmu}
echo "inputs:"
found=0
for f in "$cache"/inputs.d/*; do
    [ -f "$f" ] || continue
    sed 's/^/  /' "$f"
    found=1
done
[ "$found" -eq 1 ] || echo "  (nothing fetched yet in $cache: run 'make setup')"
q=${QEMU:-qemu-system-aarch64}
if command -v "$q" >/dev/null 2>&1; then
    pkg=$(dpkg-query -W -f='${Version}' qemu-system-arm 2>/dev/null || true)
    ver=$("$q" --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
    echo "  qemu     $(basename "$q") ${ver:-(unknown version)}${pkg:+ (Debian qemu-system-arm $pkg)}"
else
    echo "  qemu     $q not found"
fi
# The tiers' choice (scripts/qemu/xvqemu.py), when it is not the default.
if [ -n "${XV_QEMU:-}${XV_MACHINE:-}${XV_QEMU_ARGS:-}" ]; then
    uq=${XV_QEMU:-qemu-system-aarch64}
    [ "$uq" = qemu10 ] && uq=$(dirname "$0")/qemu/qemu10
    uver=$("$uq" --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
    echo "  in use   XV_QEMU=${XV_QEMU:-qemu-system-aarch64} (QEMU ${uver:-not runnable})," \
         "machine ${XV_MACHINE:-virt}${XV_QEMU_ARGS:+, XV_QEMU_ARGS=$XV_QEMU_ARGS}"
fi
