/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PSCI (Arm DEN 0022) through the SMC Calling Convention's HVC conduit:
 * function ID in w0, arguments in x1-x3, "hvc #0", result in x0.  Xen
 * answers PSCI for its guests (xen/arch/arm/vpsci.c); its device tree for
 * a dom0less guest says method = "hvc".
 */
#ifndef XTF_ARCH_PSCI_H
#define XTF_ARCH_PSCI_H

#include <xtf/types.h>

#define PSCI_VERSION            0x84000000U
#define PSCI_CPU_OFF            0x84000002U
#define PSCI_CPU_ON_64          0xC4000003U

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED             (-3)
#define PSCI_ALREADY_ON         (-4)

static inline long psci_call(uint32_t fn, unsigned long a1, unsigned long a2,
                             unsigned long a3)
{
    register unsigned long x0 __asm__ ( "x0" ) = fn;
    register unsigned long x1 __asm__ ( "x1" ) = a1;
    register unsigned long x2 __asm__ ( "x2" ) = a2;
    register unsigned long x3 __asm__ ( "x3" ) = a3;

    /* SMCCC 1.0 leaves x4-x17 unknown on return. */
    __asm__ __volatile__ ( "hvc #0"
                           : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                           :
                           : "memory", "x4", "x5", "x6", "x7", "x8", "x9",
                             "x10", "x11", "x12", "x13", "x14", "x15",
                             "x16", "x17" );
    return (long)x0;
}

/* Start the CPU whose MPIDR is @mpidr at @entry (EL1, MMU off), x0 = @ctx. */
static inline int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t ctx)
{
    return (int)psci_call(PSCI_CPU_ON_64, mpidr, entry, ctx);
}

/* Power the calling CPU off: does not return on success. */
static inline int psci_cpu_off(void)
{
    return (int)psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

#endif /* XTF_ARCH_PSCI_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
