/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/irq-lines/main.c
 * @ref test-irq-lines
 *
 * @page test-irq-lines Interrupt enables and event queue enable
 *
 * S6.4: the wired lines are level-sensitive and gated by IRQ_CTRL: the EVTQ
 * line is high while EVENTQ_IRQEN=1 and the queue is not empty, the GERROR
 * line while GERROR_IRQEN=1 and an error is active.  So nothing is signalled
 * while an enable is off, and turning it on with an event pending or an
 * error active signals at once.  S6.2: events are recorded only while
 * EVENTQEN=1.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 interrupt enables and EVENTQEN";

#define EVTQ_SPI    GUEST_VSMMUV3_EVTQ_SPI
#define GERROR_SPI  GUEST_VSMMUV3_GERROR_SPI

static bool cfgi_bad_ste(void)
{
    struct smmu_cmd c[] = { cmd_cfgi_ste(3), cmd_sync() };

    return smmu_cmdq_submit(c, 2) &&
           smmu_cmdq_wait(SMMU_POLL_US) == SMMU_WAIT_DONE;
}

void test_main(void)
{
    uint32_t prod;
    struct smmu_cmd bad = cmd_raw(0x7f, 0);
    uint64_t *slot, evt[4];

    gic_init();
    gic_enable_spi(EVTQ_SPI);
    gic_enable_spi(GERROR_SPI);
    if ( !smmu_reset(4, 5, 4) )
        return;
    smmu_strtab[3 * SMMU_STE_DWORDS] =
        SMMU_STE0_V | MASK_INSR((uint64_t)SMMU_STE_CONFIG_S2_TRANS,
                                SMMU_STE0_CONFIG);
    dsb(sy);
    if ( !smmu_irq_ctrl(0) )
        return xtf_failure("Fail: IRQ_CTRLACK did not follow 0\n");

    /* An event with EVENTQ_IRQEN=0: recorded, not signalled. */
    gic_clear_counts();
    if ( !cfgi_bad_ste() )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    prod = smmu_read32(SMMU_EVENTQ_PROD);
    if ( (prod & 0x1f) != 1 )
        xtf_failure("Fail: EVENTQ_PROD %#x, expected 1 event\n", prod);
    if ( gic_wait_irq(EVTQ_SPI, 50000) )
        xtf_failure("Fail: EVTQ SPI with EVENTQ_IRQEN=0\n");

    /* Enabling it with the event pending signals it (level). */
    if ( !smmu_irq_ctrl(SMMU_IRQ_CTRL_EVENTQ_IRQEN) )
        return xtf_failure("Fail: IRQ_CTRLACK did not follow EVENTQ_IRQEN\n");
    if ( !gic_wait_irq(EVTQ_SPI, 100000) )
        xtf_failure("Fail: EVTQ SPI not signalled when enabled with an event pending\n");
    if ( !smmu_evtq_pop(evt) ||
         MASK_EXTR(evt[0], SMMU_EVT0_ID) != SMMU_EVT_C_BAD_STE )
        xtf_failure("Fail: the pending event is not C_BAD_STE\n");
    gic_clear_counts();
    if ( gic_wait_irq(EVTQ_SPI, 50000) )
        xtf_failure("Fail: EVTQ SPI after the queue was emptied\n");

    /* A command error with GERROR_IRQEN=0: active, not signalled. */
    if ( !smmu_cmdq_submit(&bad, 1) ||
         smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_ERROR )
        return xtf_failure("Fail: no command error\n");
    if ( gic_wait_irq(GERROR_SPI, 50000) )
        xtf_failure("Fail: GERROR SPI with GERROR_IRQEN=0\n");
    if ( !smmu_irq_ctrl(SMMU_IRQ_CTRL_EVENTQ_IRQEN |
                        SMMU_IRQ_CTRL_GERROR_IRQEN) )
        return xtf_failure("Fail: IRQ_CTRLACK did not follow GERROR_IRQEN\n");
    if ( !gic_wait_irq(GERROR_SPI, 100000) )
        xtf_failure("Fail: GERROR SPI not signalled when enabled with an error active\n");
    slot = smmu_cmdq.base + q_idx(&smmu_cmdq, smmu_read32(SMMU_CMDQ_CONS)) * 2;
    slot[0] = cmd_sync().w[0];
    slot[1] = cmd_sync().w[1];
    dsb(sy);
    smmu_write32(SMMU_GERRORN, smmu_read32(SMMU_GERROR));
    if ( smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_DONE )
        return xtf_failure("Fail: no resume after GERRORN\n");

    /* S6.2: with EVENTQEN=0 nothing is recorded, and nothing signalled. */
    if ( !smmu_cr0(SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN) )
        return xtf_failure("Fail: CR0ACK did not follow EVENTQEN=0\n");
    gic_clear_counts();
    prod = smmu_read32(SMMU_EVENTQ_PROD);
    if ( !cfgi_bad_ste() )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    if ( smmu_read32(SMMU_EVENTQ_PROD) != prod )
        xtf_failure("Fail: an event was recorded with EVENTQEN=0 (PROD %#x -> %#x)\n",
                    prod, smmu_read32(SMMU_EVENTQ_PROD));
    if ( gic_wait_irq(EVTQ_SPI, 50000) )
        xtf_failure("Fail: EVTQ SPI with EVENTQEN=0\n");

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
