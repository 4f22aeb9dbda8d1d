#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch Debian trixie's QEMU 10 (qemu-system-arm, amd64) and its library
# closure next to the machine's own QEMU 7.2, unpacked into
# $XV_CACHE/qemu10:
#
#   root/        every deb of the closure, extracted with dpkg-deb -x (a
#                trixie /usr: its own loader, libraries, qemu-system-aarch64,
#                firmware and modules); scripts/qemu/qemu10 runs it
#   apt/         the private APT configuration (scripts/xvapt.py: suites
#                trixie, trixie-updates, trixie-security of the machine's own
#                archives, APT::Architecture amd64, own lists, cache, and an
#                empty status file, so apt's solver resolves the whole
#                --no-install-recommends closure: about 88 debs, 36 MB,
#                deleted once unpacked)
#   .complete    what was fetched, with its version
#
# QEMU 10's virt machine has an SMMUv3 with stage 1 and stage 2, which Xen's
# own SMMUv3 driver accepts (docs/testing-guests.md).  Nothing is installed
# and the machine's dpkg and APT state are never touched.  Idempotent: a
# complete fetch is kept.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XV_CACHE:?}
rel=trixie
pkg=qemu-system-arm
dir=$cache/qemu10
inputs=$cache/inputs.d/30-qemu10

if [ ! -f "$dir/.complete" ] || [ ! -x "$dir/root/usr/bin/qemu-system-aarch64" ]; then
    rm -rf "$dir/root" "$dir/root.tmp" "$dir/.complete"
    mkdir -p "$dir"
    APT_CONFIG=$(python3 "$top/scripts/xvapt.py" private "$dir/apt" \
                 --arch amd64 --release "$rel")
    export APT_CONFIG
    echo "qemu10: updating the private $rel amd64 package lists"
    apt-get update -qq
    # apt's own solver against the empty status: the whole closure.  The
    # status and the locks are the private ones and apt unpacks nothing;
    # the archive folder is emptied first so that it holds exactly this
    # closure.
    echo "qemu10: downloading $pkg ($rel, amd64) and its closure"
    apt-get clean
    apt-get install -qq -y --download-only --no-install-recommends "$pkg"

    n=0 bytes=0 ver=""
    mkdir -p "$dir/root.tmp"
    for d in "$dir"/apt/archives/*.deb; do
        dpkg-deb -x "$d" "$dir/root.tmp"
        n=$((n + 1))
        bytes=$((bytes + $(stat -c %s "$d")))
        if [ "$(dpkg-deb -f "$d" Package)" = "$pkg" ]; then
            ver=$(dpkg-deb -f "$d" Version)
        fi
    done
    if [ -z "$ver" ] || [ ! -x "$dir/root.tmp/usr/bin/qemu-system-aarch64" ]; then
        echo "qemu10: no usr/bin/qemu-system-aarch64 from $pkg" >&2
        exit 1
    fi
    # The unpacked tree is all that is used: the debs go.
    apt-get clean
    unset APT_CONFIG
    mv "$dir/root.tmp" "$dir/root"
    "$top/scripts/qemu/qemu10" --version | head -n 1 | sed 's/^/qemu10: /'
    printf 'qemu10   %-9s %s %s (%d debs, %d MB)\n' "$rel" "$pkg" "$ver" \
        "$n" $(((bytes + 500000) / 1000000)) > "$dir/.complete"
else
    echo "qemu10: cached"
fi
mkdir -p "$(dirname "$inputs")"
cp "$dir/.complete" "$inputs"
