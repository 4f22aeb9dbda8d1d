#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Work on xen/patches/ and tools/patches/ as one git series:
#
#   patch-series.sh init DIR     DIR = the Xen tarball as a first commit,
#                                then one commit per patch (git am), the
#                                hypervisor's patches first
#   patch-series.sh export DIR   rewrite both directories from DIR's
#                                commits after the tarball commit
#
# A commit whose subject starts with "tools/" is a tools patch; they must
# all come after the hypervisor's, the order in which the builds and
# make export-patches apply them.  Edit with ordinary git (commit
# --fixup, rebase -i --autosquash), then export.  The workspace is
# scratch space outside the project.
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
    git am -q "$top"/xen/patches/*.patch "$top"/tools/patches/*.patch
    git log --oneline base..HEAD
    ;;
export)
    # A patch whose change and subject are those of the file already
    # there (same git patch-id) keeps that file, so untouched patches
    # stay byte-identical.
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    mkdir "$out/xen" "$out/tools"
    nx=0 nt=0
    for c in $(git -C "$dir" rev-list --reverse base..HEAD); do
        subj=$(git -C "$dir" log -1 --format=%s "$c")
        if [[ "$subj" == tools/* ]]; then
            nt=$((nt + 1)) n=$nt d=tools
        else
            if [ "$nt" -gt 0 ]; then
                echo "hypervisor patch after a tools patch: $subj" >&2
                exit 1
            fi
            nx=$((nx + 1)) n=$nx d=xen
        fi
        git -C "$dir" format-patch -q -N --no-signature --zero-commit \
            --start-number "$n" -o "$out/$d" -1 "$c"
    done
    id() { git patch-id --stable < "$1" | cut -d' ' -f1; }
    subject() { sed -n '/^Subject:/,/^$/p' "$1"; }
    for d in xen tools; do
        for p in "$top/$d"/patches/*.patch; do
            [ -e "$p" ] || continue
            n=$out/$d/$(basename "$p")
            if [ -e "$n" ] && [ "$(id "$p")" = "$(id "$n")" ] &&
               [ "$(subject "$p")" = "$(subject "$n")" ]; then
                cp "$p" "$n"
            fi
        done
        rm -f "$top/$d"/patches/*.patch
        if compgen -G "$out/$d/*.patch" > /dev/null; then
            cp "$out/$d"/*.patch "$top/$d/patches/"
        fi
        ls "$top/$d/patches"
    done
    ;;
*)
    echo "usage: $0 init|export DIR" >&2
    exit 1
    ;;
esac
