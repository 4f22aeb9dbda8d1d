#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Work on xen/patches/ as a git series:
#
#   patch-series.sh init DIR     DIR = the Xen tarball as a first commit,
#                                then one commit per patch (git am)
#   patch-series.sh export DIR   rewrite xen/patches/ from DIR's commits
#                                after the tarball commit (format-patch)
#
# Edit with ordinary git (commit --fixup, rebase -i --autosquash), then
# export.  The workspace is scratch space outside the project.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XV_CACHE:-$HOME/.cache/xen-vsmmu}
cmd=${1:?init|export} dir=${2:?directory}

case "$cmd" in
init)
    tarball=$(readlink -f "$cache"/src/xen-source.tar.xz)
    [ ! -e "$dir" ] || { echo "$dir exists" >&2; exit 1; }
    mkdir -p "$dir"
    tar -xJf "$tarball" -C "$dir" --strip-components=1
    cd "$dir"
    git init -q
    git add -A
    git -c user.name=import -c user.email=import@localhost \
        commit -qm "$(basename "$tarball")"
    git tag base
    git am -q "$top"/xen/patches/*.patch
    git log --oneline base..HEAD
    ;;
export)
    # A patch whose change is the same as the file already there (same
    # git patch-id) keeps that file, so untouched patches stay
    # byte-identical.
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    git -C "$dir" format-patch -q --no-signature --zero-commit \
        -o "$out" base..HEAD
    id() { git patch-id --stable < "$1" | cut -d' ' -f1; }
    for p in "$top"/xen/patches/*.patch; do
        [ -e "$p" ] || continue
        n=$out/$(basename "$p")
        if [ -e "$n" ] && [ "$(id "$p")" = "$(id "$n")" ]; then
            cp "$p" "$n"
        fi
    done
    rm -f "$top"/xen/patches/*.patch
    cp "$out"/*.patch "$top/xen/patches/"
    ls "$top/xen/patches"
    ;;
*)
    echo "usage: $0 init|export DIR" >&2
    exit 1
    ;;
esac
