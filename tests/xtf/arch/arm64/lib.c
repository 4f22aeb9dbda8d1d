/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small arm64 helpers.
 */
#include <xtf.h>
#include <xtf/smp.h>

void udelay(uint64_t us)
{
    uint64_t start = counter_now();

    while ( counter_us_since(start) < us )
        cpu_relax();
}

/*
 * Sleep in WFI until the physical counter reaches @deadline, woken by the
 * virtual timer.  Interrupts stay masked: the timer's PPI is enabled in the
 * calling vCPU's redistributor (once per vCPU), signalled, which ends WFI,
 * then acknowledged and completed (gic_ack()), so it never stays in flight.
 * The timer is re-armed before each WFI: Xen masks it (CNTV_CTL.IMASK) when
 * it fires, and the software timer standing in for it while the vCPU is
 * descheduled may fire a little early.
 */
void sleep_until_phys(uint64_t deadline)
{
    static bool ready[XTF_MAX_CPUS];
    unsigned int cpu = xtf_cpu_id();
    /* CNTVOFF, read so that the virtual deadline is never early. */
    uint64_t voff = counter_phys_now() - counter_now();

    if ( cpu < XTF_MAX_CPUS && !ready[cpu] )
    {
        gic_cpu_init();
        gic_enable_ppi(GUEST_TIMER_VIRT_PPI);
        ready[cpu] = true;
    }

    write_sysreg(deadline - voff, cntv_cval_el0);
    while ( counter_phys_now() < deadline )
    {
        write_sysreg(1, cntv_ctl_el0);          /* ENABLE, IMASK clear */
        isb();
        __asm__ __volatile__ ( "wfi" ::: "memory" );
        while ( gic_ack() != GIC_SPURIOUS )
            ;
    }
    write_sysreg(0, cntv_ctl_el0);
    isb();
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
