#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare the Xen source tree the hypervisor is built from:
#
#   prepare-tree.sh TARBALL SRC OBJ
#
# SRC is a private, clean copy of the Xen 4.20 tarball with the project's
# xen/ overlay copied in at the same paths (xen/patches/ excluded) and the
# patches of xen/patches/*.patch applied in order.  OBJ is the out-of-tree
# object directory, which is emptied whenever SRC is rebuilt.
#
# Incremental runs:
#  - the recipe (tarball name, every patch, this script) is hashed; when the
#    hash changes, SRC and OBJ are rebuilt from scratch (a reverted hunk must
#    not leave a newer-looking stale file behind);
#  - otherwise overlay files are compared and only changed ones are copied
#    (their mtime moves, so Xen's make rebuilds what depends on them); an
#    overlay file that disappeared from the project also forces a rebuild.
#
# The tarball and the project checkout are only read, never written.
set -euo pipefail

tarball=$(readlink -f "$1") src=$2 obj=$3
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
patches=("$top"/xen/patches/*.patch)
[ -e "${patches[0]}" ] || patches=()

[ -f "$tarball" ] || {
    echo "prepare-tree: Xen source tarball not found ($tarball): run 'make setup'" >&2
    exit 1
}

overlay_list() {
    (cd "$top" && find xen -path xen/patches -prune -o -type f -print | LC_ALL=C sort)
}

recipe() {
    {
        basename "$tarball"
        stat -c %s "$tarball"
        sha256sum "$0" | cut -d' ' -f1
        for p in "${patches[@]}"; do
            echo "${p##*/}"
            sha256sum < "$p"
        done
    } | sha256sum | cut -d' ' -f1
}

want=$(recipe)

rebuild() {
    echo "prepare-tree: unpacking $(basename "$tarball") into $src"
    rm -rf "$src" "$src.tmp" "$obj"
    mkdir -p "$src.tmp"
    tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
    # Overlay: new files only, or whole-file replacements; the patches must
    # not touch them (they would be overwritten by the next sync).
    overlay_list > "$src.tmp/.xv-overlay"
    while read -r f; do
        mkdir -p "$src.tmp/$(dirname "$f")"
        cp "$top/$f" "$src.tmp/$f"
    done < "$src.tmp/.xv-overlay"
    for p in "${patches[@]}"; do
        echo "prepare-tree: applying ${p##*/}"
        touched=$(sed -n 's,^+++ b/\([^\t]*\).*,\1,p' "$p")
        for f in $touched; do
            if grep -qxF "$f" "$src.tmp/.xv-overlay"; then
                echo "prepare-tree: ${p##*/} modifies overlay file $f" >&2
                exit 1
            fi
        done
        patch -d "$src.tmp" -p1 -s -F0 -N --no-backup-if-mismatch < "$p" || {
            echo "prepare-tree: ${p##*/} does not apply to $(basename "$tarball")" >&2
            exit 1
        }
    done
    echo "$want" > "$src.tmp/.xv-recipe"
    mv "$src.tmp" "$src"
}

have=$(cat "$src/.xv-recipe" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
    rebuild
    exit 0
fi

# Same recipe: sync the overlay.
now=$(overlay_list)
if [ "$now" != "$(cat "$src/.xv-overlay")" ]; then
    # A file was added or removed: added ones are simply copied, removed
    # ones can only be undone by starting again.
    if comm -13 <(echo "$now") "$src/.xv-overlay" | grep -q .; then
        echo "prepare-tree: overlay files were removed: rebuilding the tree"
        rebuild
        exit 0
    fi
    echo "$now" > "$src/.xv-overlay"
fi
changed=0
while read -r f; do
    if ! cmp -s "$top/$f" "$src/$f"; then
        mkdir -p "$src/$(dirname "$f")"
        cp "$top/$f" "$src/$f"
        echo "prepare-tree: updated $f"
        changed=$((changed + 1))
    fi
done <<< "$now"
[ "$changed" -eq 0 ] || echo "prepare-tree: $changed overlay file(s) updated"
