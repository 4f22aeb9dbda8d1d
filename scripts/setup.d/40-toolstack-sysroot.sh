#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The arm64 libraries of the cross-built toolstack (make toolstack,
# scripts/toolstack/build.sh) and of the dom0 that runs it: Debian
# bookworm's arm64 packages, unpacked into a private sysroot under
# $XV_CACHE/sysroot/arm64-bookworm:
#
#   root/        the packages of SYSROOT_PKGS, extracted with dpkg-deb -x;
#                absolute symbolic links rewritten relative to root/, so
#                that the linker (--sysroot) and the dom0's initramfs
#                (scripts/qemu/dom0.py) find their targets inside it
#   debs/        the packages (about 4.5 MB), kept for the record
#   .complete    what was fetched, with versions
#
# Only what the tools link against or need at run time is taken, by
# name, not a dependency closure: the C library (libc6, libgcc-s1), and
# libyajl, libfdt, libuuid, zlib with their headers; libncurses-dev because
# tools/configure insists on a curses library (only xentop links it, and
# it is not built).  The headers of the C library come from Debian's
# cross toolchain (libc6-dev-arm64-cross, scripts/deps/tools.txt), the
# same glibc 2.36.
#
# The packages come through a private APT configuration
# (scripts/xvapt.py: bookworm, bookworm-updates and bookworm-security of
# the machine's own archives, APT::Architecture arm64, its own lists,
# cache and empty status) that it shares with the Linux guests
# (apt-arm64-bookworm, scripts/setup.d/20-linux-guest.sh): the machine's
# dpkg architectures and APT state are never touched, nothing is
# installed.  Idempotent: a complete sysroot is kept.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XV_CACHE:?}
rel=bookworm
dir=$cache/sysroot/arm64-$rel
inputs=$cache/inputs.d/40-sysroot
SYSROOT_PKGS="libc6 libgcc-s1 libyajl2 libyajl-dev libfdt1 libfdt-dev
              libuuid1 uuid-dev zlib1g zlib1g-dev
              libncurses6 libncurses-dev libtinfo6"

# Absolute symbolic links (libz.so -> /lib/aarch64-linux-gnu/libz.so.1)
# point at the machine's files: make them point inside the sysroot.
relink() {
    python3 - "$1" <<'EOF'
import os, sys
root = sys.argv[1]
for dp, dns, fns in os.walk(root):
    for n in dns + fns:
        p = os.path.join(dp, n)
        if os.path.islink(p) and os.readlink(p).startswith("/"):
            t = os.path.join(root, os.readlink(p).lstrip("/"))
            os.unlink(p)
            os.symlink(os.path.relpath(t, dp), p)
EOF
}

if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    mkdir -p "$dir/debs" "$dir/root.tmp"
    APT_CONFIG=$(python3 "$top/scripts/xvapt.py" private \
                 "$cache/apt-arm64-$rel" --arch arm64 --release "$rel")
    export APT_CONFIG
    echo "sysroot: updating the private $rel arm64 package lists"
    apt-get update -qq
    echo "sysroot: downloading" $SYSROOT_PKGS
    # shellcheck disable=SC2086
    (cd "$dir/debs" && apt-get download -qq $SYSROOT_PKGS)
    unset APT_CONFIG
    n=0 bytes=0
    for d in "$dir"/debs/*.deb; do
        dpkg-deb -x "$d" "$dir/root.tmp"
        n=$((n + 1))
        bytes=$((bytes + $(stat -c %s "$d")))
    done
    relink "$dir/root.tmp"
    for f in lib/ld-linux-aarch64.so.1 usr/include/yajl/yajl_gen.h \
             usr/include/libfdt.h usr/include/uuid/uuid.h usr/include/zlib.h; do
        [ -e "$dir/root.tmp/$f" ] ||
            { echo "sysroot: no $f in the unpacked packages" >&2; exit 1; }
    done
    mv "$dir/root.tmp" "$dir/root"
    list=""
    for d in "$dir"/debs/*.deb; do
        list="$list, $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version)"
    done
    printf 'sysroot  %-9s %d arm64 debs, %d kB: %s\n' "$rel" "$n" \
        $(((bytes + 500) / 1000)) "${list#, }" > "$dir/.complete"
    echo "sysroot: $dir/root ($n packages)"
else
    echo "sysroot: cached"
fi
mkdir -p "$(dirname "$inputs")"
cp "$dir/.complete" "$inputs"
