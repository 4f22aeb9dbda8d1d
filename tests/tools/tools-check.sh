#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compile check of the patched toolstack:  tools-check.sh TREE WORK
#
# TREE is a Xen 4.20 tree made by xen-tree.sh.  In it: configure the tools
# (only what tools/libs and tools/xl need), build tools/libs and tools/xl
# natively, then
#  - compile the Arm-only libxl files (libxl_arm.c, libxl_arm_viommu.c)
#    for arm64 with the flags of the native build, since a native build
#    does not compile them;
#  - check that the committed Go bindings are what gengotypes.py makes of
#    the patched IDL;
#  - run xl's configuration parser (the real xl_parse.o) on viommu=
#    settings and compare what it reports word for word.
# Each check counts as one test; ends with "N passed, N failed".
set -uo pipefail

tree=$(cd "$1" && pwd)
work=$2
here=$(cd "$(dirname "$0")" && pwd)
jobs=${TOOLS_JOBS:-2}
mkdir -p "$work"
work=$(cd "$work" && pwd)
log=$work/log
mkdir -p "$log"

pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() { echo "$pass passed, $fail failed"; exit $(( fail ? 1 : 0 )); }

step() {
    local name=$1; shift
    local t0=$(date +%s)
    if ("$@") > "$log/$name.log" 2>&1; then
        ok "$name ($(( $(date +%s) - t0 ))s)"
        return 0
    fi
    bad "$name ($(( $(date +%s) - t0 ))s), last lines of $log/$name.log:"
    tail -n 25 "$log/$name.log" | sed 's/^/    /'
    return 1
}

configure_tools() {
    # A tree is made anew whenever its inputs change: configure it once.
    if [ -f "$tree/config/Tools.mk" ]; then
        echo "already configured"
        return 0
    fi
    cd "$tree" &&
    ./configure --disable-xen --disable-docs --disable-stubdom \
        --disable-monitors --disable-ocamltools --disable-xsmpolicy \
        --disable-seabios --disable-golang --disable-pygrub \
        --disable-pvshim --disable-ipxe --disable-rombios \
        --disable-qemu-traditional --disable-systemd \
        --with-system-qemu=/usr/bin/qemu-system-aarch64
}

build_libs() {
    make -C "$tree/tools/include" &&
    make -C "$tree/tools/libs" -j"$jobs"
}

build_xl() {
    make -C "$tree/tools/xl" -j"$jobs"
}

# The native compile command of libxl_x86.c, turned into an arm64 one.
arm64_cc() {
    local src=$1 cmd inc=$work/arm64-include
    mkdir -p "$inc"
    # Host headers of the libraries libxl uses: architecture-independent.
    ln -sfn /usr/include/yajl "$inc/yajl"
    ln -sfn /usr/include/uuid "$inc/uuid"
    ln -sf /usr/include/libfdt.h /usr/include/libfdt_env.h \
        /usr/include/fdt.h "$inc/"
    cmd=$(make -s -C "$tree/tools/libs/light" -n -W libxl_x86.c libxl_x86.o |
          grep -- '-o libxl_x86.o') || return 1
    cmd=${cmd/#gcc /aarch64-linux-gnu-gcc }
    cmd=${cmd/ -m64 / }
    cmd=${cmd/-DCONFIG_PCI_SUPP_LEGACY_IRQ/}
    cmd=${cmd/-MMD -MP -MF .libxl_x86.o.d/}
    cmd=${cmd/-o libxl_x86.o libxl_x86.c/-o $work/${src%.c}.arm64.o $src}
    cmd="$cmd -DENABLE_PARTIAL_DEVICE_TREE -DHAVE_DECL_FDT_FIRST_SUBNODE=1"
    cmd="$cmd -DHAVE_DECL_FDT_NEXT_SUBNODE=1 -DHAVE_DECL_FDT_PROPERTY_U32=1"
    cmd="$cmd -idirafter $inc"
    echo "$cmd"
    (cd "$tree/tools/libs/light" && eval "$cmd")
}

golang_fresh() {
    local g=$tree/tools/golang/xenlight
    (cd "$g" && LIBXL_SRC_DIR=$tree/tools/libs/light python3 gengotypes.py \
        "$tree/tools/libs/light/libxl_types.idl" \
        "$work/types.gen.go" "$work/helpers.gen.go") &&
    diff -u "$g/types.gen.go" "$work/types.gen.go" &&
    diff -u "$g/helpers.gen.go" "$work/helpers.gen.go" &&
    grep -q 'ViommuTypeSmmuv3 ViommuType = 1' "$g/types.gen.go"
}

build_harness() {
    local light=$tree/tools/libs/light util=$tree/tools/libs/util
    gcc -std=gnu99 -Wall -Werror -D__XEN_TOOLS__ \
        -I"$tree/tools/include" -I"$tree/tools/xl" \
        -o "$work/xl-parse" "$here/xl-parse.c" "$tree/tools/xl/xl_parse.o" \
        -L"$light" -L"$util" -lxlutil -lxenlight \
        -Wl,--disable-new-dtags \
        $(for d in "$tree"/tools/libs/*/; do echo "-Wl,-rpath,$d"; done)
}

# xl_case NAME CFG-SETTING WANT-STDOUT WANT-STDERR WANT-STATUS
xl_case() {
    local name=$1 setting=$2 want_out=$3 want_err=$4 want_rc=$5
    local cfg=$work/$name.cfg out err rc
    printf 'name = "t"\ntype = "pvh"\nmemory = 128\nkernel = "/k"\n%s\n' \
        "$setting" > "$cfg"
    out=$("$work/xl-parse" "$cfg" 2> "$work/$name.err"); rc=$?
    err=$(cat "$work/$name.err")
    if [ "$out" = "$want_out" ] && [ "$err" = "$want_err" ] &&
       [ "$rc" = "$want_rc" ]; then
        ok "xl: $name"
    else
        bad "xl: $name: got status $rc, stdout [$out], stderr [$err];" \
            "want status $want_rc, stdout [$want_out], stderr [$want_err]"
    fi
}

t0=$(date +%s)
if step configure configure_tools &&
   step build-libs build_libs &&
   step build-xl build_xl; then
    built=1
else
    built=0
fi

if [ $built = 1 ]; then
    step arm64-libxl_arm.c arm64_cc libxl_arm.c
    step arm64-libxl_arm_viommu.c arm64_cc libxl_arm_viommu.c
    # S8.10: no RID of the virtual PCI host bridge is bound to a physical
    # stream, so libxl_arm.c, which makes its node, may not map one onto
    # the vSMMU.  libxl_arm_viommu.c only rewrites the iommu-map of a
    # passed-through host bridge, every stream of which it binds (the
    # host tests: test_pci_bridge, test_pci_host_has_more).
    if [ -f "$work/libxl_arm.arm64.o" ]; then
        if grep -l -a 'iommu-map' "$work/libxl_arm.arm64.o" \
                > "$work/iommu-map.hits"; then
            bad "libxl writes an iommu-map: $(tr '\n' ' ' < "$work/iommu-map.hits")"
        else
            ok "no iommu-map on libxl's vPCI node (vPCI functions are not bound)"
        fi
    fi
    if step xl-parse-harness build_harness; then
        xl_case smmuv3 'viommu = "smmuv3"' 'viommu_type=smmuv3' '' 0
        xl_case none 'viommu = "none"' 'viommu_type=none' '' 0
        xl_case default '' 'viommu_type=none' '' 0
        # An unknown value fails as an unknown gic_version does.
        printf 'name = "t"\ntype = "pvh"\nmemory = 128\nkernel = "/k"\ngic_version = "v9"\n' \
            > "$work/gic.cfg"
        "$work/xl-parse" "$work/gic.cfg" > /dev/null 2> "$work/gic.err"
        gic_rc=$?
        if [ "$(cat "$work/gic.err")" != 'Unknown gic_version "v9" specified' ]
        then
            bad "xl: gic_version reference: $(cat "$work/gic.err")"
        fi
        xl_case unknown 'viommu = "smmuv2"' '' \
            'Unknown vIOMMU type "smmuv2" specified' "$gic_rc"
        xl_case empty 'viommu = ""' '' \
            'Unknown vIOMMU type "" specified' "$gic_rc"
        # The example of docs/examples, as it is.
        out=$("$work/xl-parse" "$here/../../docs/examples/vsmmu-passthrough.cfg" 2>&1)
        want='viommu_type=smmuv3
dtdev=/axi/dma-controller@fd500000
device_tree=/etc/xen/vsmmu-passthrough.dtb'
        if [ "$out" = "$want" ]; then
            ok "xl: docs/examples/vsmmu-passthrough.cfg"
        else
            bad "xl: docs/examples/vsmmu-passthrough.cfg: got [$out]"
        fi
        if [ "$gic_rc" = 0 ]; then
            bad "xl: an unknown gic_version did not fail (status 0)"
        fi
    fi
fi
step golang-bindings golang_fresh

echo "tools-check: $(( $(date +%s) - t0 ))s"
finish
