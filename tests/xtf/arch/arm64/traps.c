/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception handling for arm64 bare-metal guests.
 */
#include <xtf.h>

static volatile bool fault_armed;
static volatile struct xtf_fault fault_seen;

void xtf_fault_expect(void)
{
    fault_seen.count = 0;
    fault_seen.esr = fault_seen.far = fault_seen.elr = 0;
    barrier();
    fault_armed = true;
    barrier();
}

struct xtf_fault xtf_fault_end(void)
{
    struct xtf_fault f;

    barrier();
    fault_armed = false;
    barrier();
    f.count = fault_seen.count;
    f.esr = fault_seen.esr;
    f.far = fault_seen.far;
    f.elr = fault_seen.elr;

    return f;
}

static const char *const kinds[] = {
    "Sync (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)", "SError (SP_EL0)",
    "Sync", "IRQ", "FIQ", "SError",
    "Sync (lower EL)", "IRQ (lower EL)", "FIQ (lower EL)", "SError (lower EL)",
    "Sync (AArch32)", "IRQ (AArch32)", "FIQ (AArch32)", "SError (AArch32)",
};

void do_exception(struct cpu_regs *regs, unsigned long kind);
void do_exception(struct cpu_regs *regs, unsigned long kind)
{
    unsigned int i;

    if ( kind == 4 && fault_armed )
    {
        fault_seen.count++;
        fault_seen.esr = regs->esr;
        fault_seen.far = regs->far;
        fault_seen.elr = regs->elr;
        /* Every instruction is 4 bytes (A64); skip the faulting one. */
        regs->elr += 4;
        return;
    }

    printk("Unexpected exception: %s\n",
           kind < ARRAY_SIZE(kinds) ? kinds[kind] : "?");
    printk("  ESR %#010lx (EC %#x)  FAR %#018lx\n",
           (unsigned long)regs->esr, (unsigned int)ESR_EC(regs->esr),
           (unsigned long)regs->far);
    printk("  ELR %#018lx  SPSR %#010lx  SP %#018lx  LR %#018lx\n",
           (unsigned long)regs->elr, (unsigned long)regs->spsr,
           (unsigned long)regs->sp, (unsigned long)regs->lr);
    for ( i = 0; i < 30; i += 2 )
        printk("  x%-2u %#018lx  x%-2u %#018lx\n", i,
               (unsigned long)regs->x[i], i + 1,
               (unsigned long)regs->x[i + 1]);

    xtf_crash("unexpected exception\n");
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
