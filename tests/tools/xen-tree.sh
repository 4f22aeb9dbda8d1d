#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make a Xen 4.20 source tree with this project's changes to it:
#   xen-tree.sh TARBALL DEST
# Unpacks TARBALL, applies xen/patches/*.patch (the public ABI and the
# hypervisor hooks) then tools/patches/*.patch, strictly (no fuzz), and
# copies the tools/ overlay (every file under tools/ but tools/patches/)
# to the same paths.  DEST appears only once all of it succeeded.
set -euo pipefail

tarball=$(readlink -f "$1")
dest=$2
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ ! -f "$tarball" ]; then
    echo "xen-tree: $tarball is missing: run 'make setup'" >&2
    exit 1
fi

rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
tar xJf "$tarball" -C "$dest.tmp" --strip-components=1

for p in "$top"/xen/patches/*.patch "$top"/tools/patches/*.patch; do
    [ -e "$p" ] || continue
    if ! patch -d "$dest.tmp" -p1 -s -F0 -N --no-backup-if-mismatch \
            < "$p"; then
        echo "xen-tree: ${p#$top/} does not apply to $(basename "$tarball")" >&2
        exit 1
    fi
done

(cd "$top" && find tools -path tools/patches -prune -o -type f -print) |
while read -r f; do
    install -D -m 644 "$top/$f" "$dest.tmp/$f"
done

mv "$dest.tmp" "$dest"
echo "xen-tree: $dest ready"
