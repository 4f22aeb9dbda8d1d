/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding types: the compiler's own headers only, no libc.
 */
#ifndef XTF_TYPES_H
#define XTF_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)       (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)    (((x) & ((typeof(x))(a) - 1)) == 0)
#define MIN(a, b)           ((a) < (b) ? (a) : (b))
#define MAX(a, b)           ((a) > (b) ? (a) : (b))
/* Bits h..l, as Xen's (the device model's header uses it). */
#define GENMASK(h, l) \
    (((~0UL) << (l)) & (~0UL >> (sizeof(long) * 8 - 1 - (h))))
/* GENMASK_ULL(), BIT(), MASK_EXTR(), MASK_INSR(): Xen's (smmu-v3-arch.h). */
#include "../../../emul/xen-bits.h"

#define __noreturn          __attribute__((__noreturn__))
#define __printf(f, a)      __attribute__((__format__(__printf__, f, a)))
#define __aligned(a)        __attribute__((__aligned__(a)))
#define __used              __attribute__((__used__))
#define __weak              __attribute__((__weak__))
#define unreachable()       __builtin_unreachable()

#define barrier()           __asm__ __volatile__ ( "" ::: "memory" )

#endif /* XTF_TYPES_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
