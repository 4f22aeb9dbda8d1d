/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen hypercalls from an Arm guest: number in x16, arguments in x0-x4,
 * "hvc #0xEA1", result in x0.
 */
#ifndef XTF_ARCH_HYPERCALL_H
#define XTF_ARCH_HYPERCALL_H

#include <xtf/types.h>

#define XEN_HYPERCALL_TAG           0xEA1

/* Hypercall numbers and sub-ops (xen/include/public/xen.h, sched.h). */
#define __HYPERVISOR_console_io     18
#define __HYPERVISOR_sched_op       29
#define CONSOLEIO_write             0
#define SCHEDOP_shutdown            2
#define SHUTDOWN_poweroff           0
#define SHUTDOWN_crash              3

static inline long hypercall3(unsigned long nr, unsigned long a0,
                              unsigned long a1, unsigned long a2)
{
    register unsigned long x16 __asm__ ( "x16" ) = nr;
    register unsigned long x0 __asm__ ( "x0" ) = a0;
    register unsigned long x1 __asm__ ( "x1" ) = a1;
    register unsigned long x2 __asm__ ( "x2" ) = a2;

    /* Xen's debug builds clobber the argument registers on return. */
    __asm__ __volatile__ ( "hvc #0xEA1"
                           : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x16)
                           :
                           : "memory", "x3", "x4", "x5" );
    return x0;
}

static inline long hypercall_console_write(const char *buf, size_t len)
{
    return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len,
                      (unsigned long)buf);
}

static inline long hypercall_shutdown(unsigned int reason)
{
    struct { unsigned int reason; } s = { reason };

    return hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                      (unsigned long)&s, 0);
}

/*
 * Semihosting SYS_EXIT (0x18): on AArch64 x1 points at the reason
 * (ADP_Stopped_ApplicationExit) and the exit status.  QEMU run with
 * -semihosting-config enable=on,target=native exits with that status.
 */
static inline void semihost_exit(unsigned int code)
{
    static uint64_t block[2];
    register unsigned long x0 __asm__ ( "x0" ) = 0x18;
    register unsigned long x1 __asm__ ( "x1" ) = (unsigned long)block;

    block[0] = 0x20026;
    block[1] = code;
    __asm__ __volatile__ ( "hlt #0xf000" :: "r" (x0), "r" (x1) : "memory" );
}

#endif /* XTF_ARCH_HYPERCALL_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
