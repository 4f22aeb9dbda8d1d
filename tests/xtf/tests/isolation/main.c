/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/isolation/main.c
 * @ref test-isolation
 *
 * @page test-isolation Two guests, two independent vSMMUs
 *
 * Each domain that asks for a vSMMU gets its own (per-domain state, S8.4:
 * a guest affects only what is its own).  Two guests run at the same time
 * at the same guest address: each programs its vSMMU with values that
 * depend on its instance, guest 1 raises a command error, guest 2 makes an
 * event.  For a few seconds each keeps checking that its registers hold its
 * own values, that it sees only its own errors and events, and that only
 * its own interrupts are signalled.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 state is per domain";

#define RUN_US  3000000ULL

struct snapshot {
    uint32_t cr1, cr2, gbpa, irq_ctrl, strtab_cfg;
    uint64_t strtab, cmdq, evtq;
};

static void take(struct snapshot *s)
{
    s->cr1 = smmu_read32(SMMU_CR1);
    s->cr2 = smmu_read32(SMMU_CR2);
    s->gbpa = smmu_read32(SMMU_GBPA);
    s->irq_ctrl = smmu_read32(SMMU_IRQ_CTRL);
    s->strtab_cfg = smmu_read32(SMMU_STRTAB_BASE_CFG);
    s->strtab = smmu_read64(SMMU_STRTAB_BASE);
    s->cmdq = smmu_read64(SMMU_CMDQ_BASE);
    s->evtq = smmu_read64(SMMU_EVENTQ_BASE);
}

void test_main(void)
{
    unsigned int me = xtf_instance;
    struct snapshot mine, now;
    uint64_t start;
    unsigned int checks = 0;

    if ( xtf_guests != 2 )
        return xtf_error("Error: needs 2 guests, got %u\n", xtf_guests);

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_EVTQ_SPI);
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);

    /* Different queue and table sizes per instance. */
    if ( !smmu_reset(3 + me, 4 + me, 2 + me) )
        return;
    smmu_gbpa(me == 1 ? SMMU_GBPA_ABORT :
              MASK_INSR(SMMU_GBPA_SHCFG_INCOMING, SMMU_GBPA_SHCFG));
    smmu_write32(SMMU_CR1, me == 1 ? 0x555 : 0xaaa);
    smmu_write32(SMMU_CR2, me == 1 ? SMMU_CR2_PTM : SMMU_CR2_RECINVSID);
    smmu_irq_ctrl(me == 1 ? SMMU_IRQ_CTRL_GERROR_IRQEN :
                  SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    gic_clear_counts();

    if ( me == 1 )
    {
        struct smmu_cmd bad = cmd_raw(0x7f, 0);

        /* A command error, left active. */
        if ( !smmu_cmdq_submit(&bad, 1) ||
             smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_ERROR )
            return xtf_failure("Fail: no command error\n");
    }
    else
    {
        struct smmu_cmd c[] = { cmd_cfgi_ste(1), cmd_sync() };

        /* An event, left in the queue. */
        smmu_strtab[SMMU_STE_DWORDS] =
            SMMU_STE0_V | MASK_INSR((uint64_t)SMMU_STE_CONFIG_NESTED,
                                    SMMU_STE0_CONFIG);
        dsb(sy);
        if ( !smmu_cmdq_submit(c, 2) ||
             smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_DONE )
            return xtf_failure("Fail: CFGI_STE did not complete\n");
    }
    take(&mine);

    start = counter_now();
    do {
        uint32_t active = smmu_gerror_active();
        uint32_t eprod = smmu_read32(SMMU_EVENTQ_PROD);

        take(&now);
        if ( memcmp(&now, &mine, sizeof(now)) )
            return xtf_failure("Fail: registers changed under guest %u (CR1 %#x STRTAB %#lx CMDQ %#lx)\n",
                               me, now.cr1, (unsigned long)now.strtab,
                               (unsigned long)now.cmdq);
        if ( me == 1 && (active != SMMU_GERROR_CMDQ_ERR || eprod) )
            return xtf_failure("Fail: guest 1 sees errors %#x, EVENTQ_PROD %#x\n",
                               active, eprod);
        if ( me == 2 && (active || (eprod & 0xff) != 1) )
            return xtf_failure("Fail: guest 2 sees errors %#x, EVENTQ_PROD %#x\n",
                               active, eprod);
        (void)gic_ack();
        checks++;
    } while ( counter_us_since(start) < RUN_US );

    /* Only our own line: GERROR for guest 1, EVTQ for guest 2. */
    if ( me == 1 && (gic_count(GUEST_VSMMUV3_EVTQ_SPI) ||
                     !gic_count(GUEST_VSMMUV3_GERROR_SPI)) )
        return xtf_failure("Fail: guest 1 interrupts: EVTQ %u GERROR %u\n",
                           gic_count(GUEST_VSMMUV3_EVTQ_SPI),
                           gic_count(GUEST_VSMMUV3_GERROR_SPI));
    if ( me == 2 && (gic_count(GUEST_VSMMUV3_GERROR_SPI) ||
                     !gic_count(GUEST_VSMMUV3_EVTQ_SPI)) )
        return xtf_failure("Fail: guest 2 interrupts: EVTQ %u GERROR %u\n",
                           gic_count(GUEST_VSMMUV3_EVTQ_SPI),
                           gic_count(GUEST_VSMMUV3_GERROR_SPI));

    printk("guest %u: %u checks, own state intact\n", me, checks);
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
