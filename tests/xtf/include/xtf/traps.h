/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exceptions: a test can expect a synchronous fault (typically the data
 * abort Xen injects for a refused MMIO access); the handler records ESR and
 * FAR and resumes after the faulting instruction.  Anything unexpected is
 * fatal: registers are dumped and the test ends as a crash.
 */
#ifndef XTF_TRAPS_H
#define XTF_TRAPS_H

#include <xtf/types.h>

/* Saved by head.S, in this order. */
struct cpu_regs {
    uint64_t x[30];
    uint64_t lr;
    uint64_t sp;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};

/* ESR_EL1 fields. */
#define ESR_EC_SHIFT            26
#define ESR_EC(esr)             (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_EC_DABT_LOW         0x24
#define ESR_EC_DABT_CUR         0x25
#define ESR_IL                  (1U << 25)
#define ESR_DABT_DFSC(esr)      ((esr) & 0x3f)
#define ESR_DABT_ISV            (1U << 24)
#define ESR_DABT_SAS(esr)       (((esr) >> 22) & 3)
#define ESR_DABT_WNR            (1U << 6)

struct xtf_fault {
    unsigned int count;         /* faults taken since xtf_fault_expect() */
    uint64_t esr, far, elr;     /* of the last one */
};

/* Arm the handler: the next synchronous faults are recorded and skipped. */
void xtf_fault_expect(void);
/* Disarm it, and return what was seen while it was armed. */
struct xtf_fault xtf_fault_end(void);

/* True if the last fault recorded is a data abort (from this EL). */
static inline bool xtf_fault_is_dabt(const struct xtf_fault *f)
{
    return f->count &&
           (ESR_EC(f->esr) == ESR_EC_DABT_CUR ||
            ESR_EC(f->esr) == ESR_EC_DABT_LOW);
}

#endif /* XTF_TRAPS_H */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
