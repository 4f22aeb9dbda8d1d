#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-freestanding.sh OUTDIR CC "CFLAGS" SRC...
# Compile each device-model source as Xen would (no libc, general-purpose
# registers only: a floating-point operation fails to compile) and check
# that every undefined symbol is one of the Xen internals the model is
# allowed to call.  Writes "N passed, N failed" to OUTDIR/result.
set -u
out=$1 cc=$2 cflags=$3; shift 3
allowed='^(memcpy|memmove|memset|memcmp|printk|_xzalloc|_xmalloc|xfree|spin_lock|spin_unlock|spin_is_locked|emul_spin_lock_init|_spin_lock|_spin_unlock|_spin_lock_irqsave|_spin_unlock_irqrestore|hypercall_preempt_check|access_guest_memory_by_gpa|vgic_reserve_virq|vgic_free_virq|vgic_inject_irq|register_mmio_handler|NOW|emul_assert_failed|emul_current|emul_xzalloc_array|vsmmuv3_[a-z0-9_]+)$'
pass=0 fail=0
for src in "$@"; do
    obj=$out/$(basename "${src%.c}").o
    if ! $cc $cflags -c -o "$obj" "$src"; then
        echo "freestanding: $src does not build without libc/FP"; fail=$((fail + 1)); continue
    fi
    bad=$(nm -u "$obj" | awk '{print $2}' | grep -Ev "$allowed" || true)
    if [ -n "$bad" ]; then
        echo "freestanding: $src uses symbols outside the Xen API:" $bad
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "freestanding check: $pass passed, $fail failed"
echo "$pass passed, $fail failed" > "$out/result"
