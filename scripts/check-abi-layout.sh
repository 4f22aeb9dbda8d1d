#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-abi-layout.sh RESULT PUBLIC_DIR WORKDIR
# The structures this series adds to Xen's public interface have one
# layout for every ABI that uses them, so Xen needs no compat translation
# (xen/include/public/domctl.h: a 32-bit toolstack on a 64-bit Xen passes
# the same bytes).  PUBLIC_DIR is the patched xen/include/public.  With
# clang's own freestanding headers (no 32-bit libc needed) the layout of
# every member is compiled for x86_64, i686, aarch64 and armv7 (EABI) and
# read back from the object's data; each target must give the x86_64
# numbers (the Arm domain configuration: aarch64's), and those must be
# the sizes the header documents.  Writes "N passed, N failed" to RESULT.
set -u
result=$1 public=$(readlink -f "$2") work=$3
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: abi: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: abi: $*"; }
mkdir -p "$work/inc"
ln -sfn "$public" "$work/inc/xen"
cat > "$work/layout.c" <<'C'
#include <stdint.h>
#include <stddef.h>
#define __XEN_TOOLS__ 1
#include <xen/domctl.h>

#define L(t, m) offsetof(struct t, m), sizeof(((struct t *)0)->m)
/* Every member of the new structures: offset, size; then the whole. */
const uint32_t layout_common[] = {
    L(xen_domctl_viommu_add_stream, vsid),
    L(xen_domctl_viommu_add_stream, dev),
    L(xen_domctl_viommu_add_stream, u),
    L(xen_domctl_viommu_add_stream, u.dt.index),
    L(xen_domctl_viommu_add_stream, u.dt.size),
    L(xen_domctl_viommu_add_stream, u.dt.path),
    L(xen_domctl_viommu_add_stream, u.pci.seg),
    L(xen_domctl_viommu_add_stream, u.pci.bus),
    L(xen_domctl_viommu_add_stream, u.pci.devfn),
    L(xen_domctl_viommu_add_stream, u.pci.pad),
    sizeof(struct xen_domctl_viommu_add_stream),
    L(xen_domctl_viommu_record, buffer),
    L(xen_domctl_viommu_record, size),
    L(xen_domctl_viommu_record, streams_aborted),
    L(xen_domctl_viommu_record, pad),
    sizeof(struct xen_domctl_viommu_record),
    L(xen_domctl, u.viommu_add_stream),
    L(xen_domctl, u.viommu_record),
    sizeof(struct xen_domctl),
};
/* The sizes domctl.h documents, read by name below. */
const uint32_t layout_sizes[] = {
    sizeof(struct xen_domctl_viommu_add_stream),
    sizeof(struct xen_domctl_viommu_record),
};
#if defined(__arm__) || defined(__aarch64__)
const uint32_t layout_arm[] = {
    L(xen_arch_domainconfig, pad),
    L(xen_arch_domainconfig, viommu_type),
    sizeof(struct xen_arch_domainconfig),
    L(xen_domctl_createdomain, arch),
    sizeof(struct xen_domctl_createdomain),
};
#endif
C
resdir=$(clang -print-resource-dir)
# values TARGET ARRAY: the array's words, one per line, from clang -S.
values() {
    awk -v a="$2" '
        $0 ~ "^" a ":" { on = 1; next }
        on && /^[ \t]*\.(long|word|4byte)[ \t]/ { print $2; next }
        on && /^[^ \t.]/ { on = 0 }
        on && /^[ \t]*\.size/ { on = 0 }' "$work/$1.s"
}
targets="x86_64-linux-gnu i686-linux-gnu aarch64-linux-gnu armv7a-linux-gnueabihf"
for t in $targets; do
    if clang --target="$t" -ffreestanding -nostdinc -isystem "$resdir/include" \
            -I"$work/inc" -std=gnu11 -O2 -S -o "$work/$t.s" "$work/layout.c" \
            2> "$work/$t.err"; then
        ok "$t: the public headers compile"
    else
        bad "$t: the public headers do not compile: $(head -n 3 "$work/$t.err" | tr '\n' ' ')"
        rm -f "$work/$t.s"
    fi
done
same() {    # ARRAY REFERENCE-TARGET TARGET...
    local arr=$1 ref=$2 t ref_v v; shift 2
    ref_v=$(values "$ref" "$arr" | paste -sd' ')
    for t in "$@"; do
        [ -e "$work/$t.s" ] && [ -e "$work/$ref.s" ] || continue
        v=$(values "$t" "$arr" | paste -sd' ')
        if [ -n "$v" ] && [ "$v" = "$ref_v" ]; then
            ok "$t: $arr as on $ref"
        else
            bad "$t: $arr is [$v], $ref's is [$ref_v]"
        fi
    done
}
same layout_common x86_64-linux-gnu i686-linux-gnu aarch64-linux-gnu \
    armv7a-linux-gnueabihf
same layout_arm aarch64-linux-gnu armv7a-linux-gnueabihf
# The sizes domctl.h states (24-byte structures, no implicit padding).
if [ -e "$work/x86_64-linux-gnu.s" ]; then
    v=($(values x86_64-linux-gnu layout_sizes))
    if [ "${v[0]:-}" = 24 ] && [ "${v[1]:-}" = 24 ]; then
        ok "add-stream and record structures are 24 bytes"
    else
        bad "sizes: add-stream ${v[0]:-?}, record ${v[1]:-?}, want 24 each"
    fi
fi
echo "abi layout check: $pass passed, $fail failed"
echo "$pass passed, $fail failed" > "$result"
