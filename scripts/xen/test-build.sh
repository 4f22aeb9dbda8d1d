#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Test tier xen-build: build the hypervisor (Xen compiles everything with
# -Werror) and check that what the project configuration enables is really
# linked in: the vIOMMU framework, the device model and its dom0less and
# domctl hooks.  Prints "N passed, N failed".
set -uo pipefail
pconf=$1
: "${BUILD:?}" "${TOP:?}"
log=$BUILD/logs/xen-build.out
mkdir -p "$(dirname "$log")"

fail() { echo "xen-build: FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }

start=$(date +%s)
if ! make --no-print-directory -C "$TOP" xen > "$log" 2>&1; then
    tail -n 40 "$log"
    fail "hypervisor build failed (full log: $log)"
fi
echo "xen-build: built in $(( $(date +%s) - start ))s (log: $log)"

syms=$BUILD/xen/xen-syms
[ -f "$syms" ] || fail "$syms missing"
grep -q -- '-Werror' "$BUILD/xen/.xen.o.cmd" 2>/dev/null ||
    grep -rqs -- '-Werror' "$BUILD/xen/arch/arm/.domain.o.cmd" ||
    fail "Xen objects were not compiled with -Werror"

want=()
grep -q '^CONFIG_ARM_VIRTUAL_IOMMU=y' "$pconf" &&
    want+=(domain_viommu_init viommu_sanitise_config viommu_get_guest_info)
grep -q '^CONFIG_VIRTUAL_ARM_SMMU_V3=y' "$pconf" &&
    want+=(vsmmuv3_domain_init vsmmuv3_domain_free vsmmuv3_mmio_handler
           vsmmuv3_save vsmmuv3_restore)
grep -q '^CONFIG_VSMMUV3_SELFTEST=y' "$pconf" &&
    want+=(vsmmuv3_selftest_locked)
"${CROSS_COMPILE:-aarch64-linux-gnu-}nm" "$syms" > "$BUILD/xen/xen-syms.nm" || fail "nm failed"
for s in "${want[@]}"; do
    grep -q " $s\$" "$BUILD/xen/xen-syms.nm" || fail "symbol $s is not linked in"
done
echo "xen-build: PASS (${#want[@]} module symbols present, -Werror)"
echo "1 passed, 0 failed"
