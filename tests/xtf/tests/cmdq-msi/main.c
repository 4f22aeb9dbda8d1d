/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-msi/main.c
 * @ref test-cmdq-msi
 *
 * @page test-cmdq-msi CMD_SYNC completion by MSI write
 *
 * S3.3/S4.5: with IDR0.MSI advertised, a CMD_SYNC with CS=SIG_IRQ writes
 * its 32-bit MSIData to MSIAddr in guest memory once every earlier command
 * completed.  Linux polls exactly that (MSIAddr = the CMD_SYNC's own queue
 * slot, MSIData = 0) instead of reading CONS, so the write must come without
 * any CONS read.  An MSIAddr outside guest RAM raises
 * GERROR.MSI_CMDQ_ABT_ERR and the GERROR SPI, and the queue still moves on.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 CMD_SYNC MSI write";

/* Poll a 32-bit word of guest memory (never CONS) for @want. */
static bool wait_word(volatile uint32_t *w, uint32_t want)
{
    uint64_t t0 = counter_now();

    while ( *w != want )
        if ( counter_us_since(t0) > SMMU_POLL_US )
            return false;

    return true;
}

void test_main(void)
{
    volatile uint32_t *target;
    unsigned int round;
    uint64_t hole = xtf_ram_end() + (32ULL << 20);
    enum smmu_wait w;

    if ( !(smmu_read32(SMMU_IDR0) & SMMU_IDR0_MSI) )
        return xtf_failure("Fail: IDR0.MSI not advertised (docs/registers.md)\n");

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);
    if ( !smmu_reset(4, 6, 4) )
        return;

    /* A word of our own: MSIData lands there. */
    target = xtf_alloc(64, 64);
    for ( round = 0; round < 8; round++ )
    {
        struct smmu_cmd c[] = {
            cmd_tlbi_nsnh_all(), cmd_cfgi_all(),
            cmd_sync_msi((uintptr_t)target, 0xc0ffee00 + round),
        };

        *target = 0;
        dsb(sy);
        if ( !smmu_cmdq_submit(c, ARRAY_SIZE(c)) )
            return xtf_error("Error: queue full\n");
        if ( !wait_word(target, 0xc0ffee00 + round) )
            return xtf_failure("Fail: round %u: MSIData not written (%#x)\n",
                               round, *target);
    }

    /* Linux's way: the CMD_SYNC's own slot, data 0. */
    for ( round = 0; round < 8; round++ )
    {
        struct smmu_cmd c = cmd_tlbi_nh_all(), s;
        uint64_t *slot;

        if ( !smmu_cmdq_put(&c, 1) )
            return xtf_error("Error: queue full\n");
        slot = smmu_cmdq.base + q_idx(&smmu_cmdq, smmu_cmdq.prod) * 2;
        s = cmd_sync_msi((uintptr_t)slot, 0);
        if ( !smmu_cmdq_submit(&s, 1) )
            return xtf_error("Error: queue full\n");
        if ( !wait_word((volatile uint32_t *)slot, 0) )
            return xtf_failure("Fail: Linux-style MSI poll %u never completed\n",
                               round);
    }
    if ( (w = smmu_cmdq_wait(SMMU_POLL_US)) != SMMU_WAIT_DONE )
        return xtf_failure("Fail: queue %s after the MSI syncs\n",
                           smmu_wait_name(w));

    /* S4.5: an MSI target outside RAM is an MSI abort, not a stall. */
    {
        struct smmu_cmd c[] = { cmd_sync_msi(hole, 1), cmd_sync() };
        uint32_t before = smmu_read32(SMMU_GERROR);

        gic_clear_counts();
        if ( !smmu_cmdq_submit(c, ARRAY_SIZE(c)) )
            return xtf_error("Error: queue full\n");
        w = smmu_cmdq_wait(SMMU_POLL_US);
        if ( w != SMMU_WAIT_DONE )
            xtf_failure("Fail: queue %s after an MSI abort\n",
                        smmu_wait_name(w));
        if ( !((smmu_read32(SMMU_GERROR) ^ before) &
               SMMU_GERROR_MSI_CMDQ_ABT_ERR) )
            xtf_failure("Fail: GERROR.MSI_CMDQ_ABT_ERR did not toggle\n");
        if ( !gic_wait_irq(GUEST_VSMMUV3_GERROR_SPI, 100000) )
            xtf_failure("Fail: GERROR SPI not signalled\n");
        smmu_write32(SMMU_GERRORN, smmu_read32(SMMU_GERROR));
        if ( smmu_gerror_active() )
            xtf_failure("Fail: errors %#x still active after GERRORN\n",
                        smmu_gerror_active());
    }

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
