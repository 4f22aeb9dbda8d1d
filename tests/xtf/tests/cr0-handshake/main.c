/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cr0-handshake/main.c
 * @ref test-cr0-handshake
 *
 * @page test-cr0-handshake CR0/CR0ACK, GBPA and IRQ_CTRL handshakes
 *
 * Linux's reset (S7.2) waits on three handshakes: CR0ACK follows CR0,
 * GBPA.UPDATE clears, IRQ_CTRLACK follows IRQ_CTRL, each within 1 s.  The
 * acknowledgements reflect only the accepted bits (S2): CR0ACK never shows
 * PRIQEN, ATSCHK or VMW, IRQ_CTRLACK never PRIQ_IRQEN (no PRI).  GBPA
 * changes only with UPDATE=1, completes at once, and resets to a safe value
 * (ABORT set: no traffic before the driver enables the SMMU).  The full
 * Linux reset sequence then succeeds.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 CR0, GBPA and IRQ_CTRL handshakes";

void test_main(void)
{
    uint32_t gbpa = smmu_read32(SMMU_GBPA);

    /* Reset state (docs/registers.md). */
    smmu_expect32(SMMU_CR0, 0, "CR0 at reset");
    smmu_expect32(SMMU_CR0ACK, 0, "CR0ACK at reset");
    smmu_expect32(SMMU_IRQ_CTRLACK, 0, "IRQ_CTRLACK at reset");
    if ( !(gbpa & SMMU_GBPA_ABORT) || (gbpa & SMMU_GBPA_UPDATE) )
        xtf_failure("Fail: GBPA at reset %#x: ABORT clear or UPDATE set\n",
                    gbpa);

    /* CR0: each enable is acknowledged; unimplemented bits are dropped. */
    if ( !smmu_cr0(SMMU_CR0_CMDQEN) )
        xtf_failure("Fail: CR0ACK did not follow CMDQEN\n");
    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN) )
        xtf_failure("Fail: CR0ACK did not follow EVENTQEN\n");
    smmu_write32(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
                 SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK | SMMU_CR0_VMW);
    if ( smmu_read32(SMMU_CR0ACK) & (SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK |
                                     SMMU_CR0_VMW) )
        xtf_failure("Fail: CR0ACK %#x shows unimplemented bits\n",
                    smmu_read32(SMMU_CR0ACK));
    smmu_expect32(SMMU_CR0ACK, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN,
                  "CR0ACK with unimplemented bits written");
    if ( !smmu_cr0(0) )
        xtf_failure("Fail: CR0ACK did not follow CR0 = 0\n");

    /* GBPA: no effect without UPDATE. */
    smmu_write32(SMMU_GBPA, 0);
    smmu_expect32(SMMU_GBPA, gbpa, "GBPA after a write without UPDATE");
    /* With UPDATE: takes effect, UPDATE reads back clear. */
    if ( !smmu_gbpa(MASK_INSR(SMMU_GBPA_SHCFG_INCOMING, SMMU_GBPA_SHCFG)) )
        xtf_failure("Fail: GBPA.UPDATE did not clear\n");
    smmu_expect32(SMMU_GBPA,
                  MASK_INSR(SMMU_GBPA_SHCFG_INCOMING, SMMU_GBPA_SHCFG),
                  "GBPA after an update clearing ABORT");
    if ( !smmu_gbpa(SMMU_GBPA_ABORT) )
        xtf_failure("Fail: GBPA.UPDATE did not clear\n");
    smmu_expect32(SMMU_GBPA, SMMU_GBPA_ABORT, "GBPA after setting ABORT");

    /* IRQ_CTRL: the two implemented enables, and never PRIQ_IRQEN. */
    if ( !smmu_irq_ctrl(SMMU_IRQ_CTRL_EVENTQ_IRQEN) ||
         !smmu_irq_ctrl(SMMU_IRQ_CTRL_GERROR_IRQEN |
                        SMMU_IRQ_CTRL_EVENTQ_IRQEN) )
        xtf_failure("Fail: IRQ_CTRLACK did not follow IRQ_CTRL\n");
    smmu_write32(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN |
                 SMMU_IRQ_CTRL_PRIQ_IRQEN);
    smmu_expect32(SMMU_IRQ_CTRLACK, SMMU_IRQ_CTRL_GERROR_IRQEN,
                  "IRQ_CTRLACK with PRIQ_IRQEN written");
    if ( !smmu_irq_ctrl(0) )
        xtf_failure("Fail: IRQ_CTRLACK did not follow IRQ_CTRL = 0\n");

    if ( xtf_status_reported() )
        return;

    /* The whole of Linux's reset, SMMUEN last. */
    if ( !smmu_reset(4, 8, 4) )
        return;
    smmu_expect32(SMMU_CR0ACK, SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN |
                  SMMU_CR0_EVENTQEN, "CR0ACK after reset");
    /* Linux's reset again, now from an enabled SMMU (GBPA abort first). */
    if ( !smmu_reset(4, 8, 4) )
        return;
    if ( smmu_gerror_active() )
        return xtf_failure("Fail: global errors %#x after reset\n",
                           smmu_gerror_active());

    xtf_success(NULL);
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
