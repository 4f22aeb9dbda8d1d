/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AArch64 helpers for bare-metal guests: system registers, barriers,
 * device-memory accessors of every width, the counter.
 *
 * The guest runs at EL1 with its MMU off, so every data access is to Device
 * memory: accesses must be naturally aligned, and each MMIO access below is
 * exactly one load or store instruction, so that a test expecting a data
 * abort knows which instruction the handler skips.
 */
#ifndef XTF_ARCH_ARM64_H
#define XTF_ARCH_ARM64_H

#include <xtf/types.h>

#define read_sysreg(r) ({                                       \
    uint64_t v_;                                                \
    __asm__ __volatile__ ( "mrs %0, " #r : "=r" (v_) );         \
    v_;                                                         \
})

#define write_sysreg(v, r)                                      \
    __asm__ __volatile__ ( "msr " #r ", %0" :: "r" ((uint64_t)(v)) )

#define isb()       __asm__ __volatile__ ( "isb" ::: "memory" )
#define dsb(d)      __asm__ __volatile__ ( "dsb " #d ::: "memory" )
#define dmb(d)      __asm__ __volatile__ ( "dmb " #d ::: "memory" )
#define wmb()       dsb(st)
#define rmb()       dsb(ld)
#define mb()        dsb(sy)
#define cpu_relax() __asm__ __volatile__ ( "yield" ::: "memory" )

/*
 * MMIO accessors.  The value register of a read is pre-loaded with @seed:
 * if the load aborts and the trap handler skips it, the caller gets @seed.
 */
#define DEFINE_MMIO(sz, type, ldr, str, reg)                            \
static inline type mmio_read##sz##_seed(uintptr_t a, type seed)         \
{                                                                       \
    type v = seed;                                                      \
    __asm__ __volatile__ ( ldr " %" reg "0, [%1]"                       \
                           : "+r" (v) : "r" (a) : "memory" );           \
    return v;                                                           \
}                                                                       \
static inline type mmio_read##sz(uintptr_t a)                           \
{                                                                       \
    return mmio_read##sz##_seed(a, 0);                                  \
}                                                                       \
static inline void mmio_write##sz(uintptr_t a, type v)                  \
{                                                                       \
    __asm__ __volatile__ ( str " %" reg "0, [%1]"                       \
                           :: "rZ" (v), "r" (a) : "memory" );           \
}

DEFINE_MMIO(8, uint8_t, "ldrb", "strb", "w")
DEFINE_MMIO(16, uint16_t, "ldrh", "strh", "w")
DEFINE_MMIO(32, uint32_t, "ldr", "str", "w")
DEFINE_MMIO(64, uint64_t, "ldr", "str", "x")

#undef DEFINE_MMIO

/* Generic timer: the virtual counter, readable at EL1. */
static inline uint64_t counter_freq(void)
{
    return read_sysreg(cntfrq_el0);
}

static inline uint64_t counter_now(void)
{
    isb();
    return read_sysreg(cntvct_el0);
}

/*
 * The physical counter, readable at EL1 under Xen (CNTHCTL_EL2.EL1PCTEN):
 * unlike the virtual one (offset by each domain's creation time) it reads
 * the same in every guest, so guests can agree on moments in time.
 */
static inline uint64_t counter_phys_now(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

/* Microseconds since an earlier counter_now(). */
static inline uint64_t counter_us_since(uint64_t start)
{
    uint64_t f = counter_freq();

    return f ? (counter_now() - start) * 1000000 / f : 0;
}

void udelay(uint64_t us);
/*
 * WFI until counter_phys_now() >= @deadline, woken by the virtual timer
 * (its PPI enabled and acknowledged on the calling vCPU, interrupts masked).
 */
void sleep_until_phys(uint64_t deadline);

#endif /* XTF_ARCH_ARM64_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
