#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Cross-build the patched Xen 4.20 toolstack for arm64:
#
#   build.sh TARBALL SYSROOT WORK
#
# TARBALL  the Xen source make setup fetched ($XV_CACHE/src/xen-source.tar.xz)
# SYSROOT  the arm64 libraries make setup unpacked
#          ($XV_CACHE/sysroot/arm64-bookworm/root, scripts/setup.d/40-*)
# WORK     $(BUILD)/toolstack: WORK/xen is the tree (tests/tools/xen-tree.sh:
#          the tarball, xen/patches, tools/patches and the tools/ overlay,
#          the same tree the hypervisor's ABI comes from), WORK/dest what is
#          installed (DESTDIR, prefix /usr), WORK/log the logs
#
# Configured for an arm64 host with everything optional off (no QEMU, no
# OCaml, Go or Python bindings, no firmware, stubdoms, docs, monitors,
# XSM policy or systemd; the C xenstored), compiled by Debian's
# aarch64-linux-gnu-gcc with --sysroot=SYSROOT, so libyajl, libfdt,
# libuuid and zlib are the arm64 packages'.  Built and installed: the
# shared libraries of tools/libs that xl and the daemons use (libxenctrl,
# libxenguest, libxenstore, libxenlight, libxlutil...; their static
# archives, which would compile every file a second time, and libxenstat
# and libxenvchan are left out), xl, xenstored, xenconsoled and
# xenconsole, the helpers (xen-init-dom0) and the xenstore clients.  The tree is made again only when an input changed
# (make's stamp, mk/dom0.mk); configure runs once per tree.
set -euo pipefail

tarball=$1 sysroot=$(cd "$2" && pwd) work=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${TOOLS_JOBS:-2}
mkdir -p "$work/log"
work=$(cd "$work" && pwd)
tree=$work/xen dest=$work/dest log=$work/log
cc="aarch64-linux-gnu-gcc --sysroot=$sysroot"
# Dependencies first (tools/libs/uselibs.mk).
LIBS="toolcore toollog evtchn gnttab call foreignmemory devicemodel ctrl guest
      hypfs store light util"
SUBDIRS="xl xenstored console helpers xs-clients"

# The project's make state (MAKEFLAGS with its command-line variables)
# means nothing to Xen's build.
xmake() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u TOP -u BUILD \
        make XEN_TARGET_ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
        "CC=$cc" "$@"
}

step() {
    local name=$1 t0=$SECONDS
    shift
    if ! "$@" > "$log/$name.log" 2>&1; then
        tail -n 25 "$log/$name.log" >&2
        echo "toolstack: $name failed (log: $log/$name.log)" >&2
        exit 1
    fi
    echo "toolstack: $name ($((SECONDS - t0))s)"
}

[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] ||
    { echo "toolstack: $sysroot is no arm64 sysroot: run 'make setup'" >&2; exit 1; }

if [ ! -f "$tree/.tree-stamp" ]; then
    step tree env TOP="$top" "$top/tests/tools/xen-tree.sh" "$tarball" "$tree"
    touch "$tree/.tree-stamp"
fi

configure() {
    cd "$tree" &&
    ./configure --host=aarch64-linux-gnu --build="$(gcc -dumpmachine)" \
        --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
        --disable-xen --disable-docs --disable-stubdom --disable-monitors \
        --disable-ocamltools --disable-xsmpolicy --disable-seabios \
        --disable-golang --disable-pygrub --disable-pvshim --disable-ipxe \
        --disable-rombios --disable-qemu-traditional --disable-systemd \
        --with-system-qemu=/usr/bin/qemu-system-aarch64 \
        --with-xenstored=xenstored \
        CC="$cc" PYTHON=python3 \
        PKG_CONFIG_LIBDIR="$sysroot/usr/lib/aarch64-linux-gnu/pkgconfig:$sysroot/usr/share/pkgconfig" \
        PKG_CONFIG_SYSROOT_DIR="$sysroot"
}
if [ ! -f "$tree/config/Tools.mk" ]; then
    step configure configure
fi

build() {
    xmake -C "$tree/tools/include" || return 1
    # TARGETS given on the command line replaces libs.mk's ".a and .so":
    # only the shared library (recursively expanded, per library).
    for l in $LIBS; do
        xmake -C "$tree/tools/libs/$l" -j"$jobs" \
            'TARGETS=lib$(LIB_FILE_NAME).so' || return 1
    done
    for d in $SUBDIRS; do
        xmake -C "$tree/tools/$d" -j"$jobs" || return 1
    done
}
step build build

# libs.mk's install wants the static archive too: the shared libraries
# and their links are copied instead (headers and pkg-config files are of
# no use in the dom0).
install_all() {
    rm -rf "$dest.tmp" &&
    mkdir -p "$dest.tmp/usr/lib" &&
    for f in $(for l in $LIBS; do ls "$tree"/tools/libs/$l/lib*.so*; done); do
        case $f in
            *_test.so) ;;       # libxenlight's test build, not the library
            *) cp -P "$f" "$dest.tmp/usr/lib/" || return 1 ;;
        esac
    done &&
    for d in $SUBDIRS; do
        xmake -C "$tree/tools/$d" install DESTDIR="$dest.tmp" || return 1
    done &&
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
}
step install install_all

for f in usr/sbin/xl usr/sbin/xenstored usr/sbin/xenconsoled \
         usr/lib/xen/bin/xen-init-dom0 usr/lib/libxenlight.so; do
    if ! aarch64-linux-gnu-readelf -h "$dest/$f" 2>/dev/null |
            grep -q 'Machine: *AArch64'; then
        echo "toolstack: $dest/$f is not an arm64 ELF" >&2
        exit 1
    fi
done
echo "toolstack: $dest (xl, xenstored, xenconsoled, xen-init-dom0, libraries: arm64)"
