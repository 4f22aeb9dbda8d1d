/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-illegal/main.c
 * @ref test-cmdq-illegal
 *
 * @page test-cmdq-illegal Illegal command: CERROR_ILL, GERROR, resume
 *
 * S4.4: consumption stops at an illegal command, CONS points at it, CONS.ERR
 * is CERROR_ILL, GERROR.CMDQ_ERR toggles and the GERROR SPI is signalled at
 * the guest's GIC (S6.4).  S7.4/S4.1: Linux rewrites the entry as CMD_SYNC
 * and acknowledges with GERRORN = GERROR without writing PROD; that alone
 * resumes consumption (seen through an event a later command writes to
 * guest memory, without reading CONS), the rest of the queue drains, and
 * the GERROR line stays quiet.  Every later error toggles GERROR again (S2: the toggle protocol),
 * across queue wraps.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 illegal command: CERROR_ILL and resume";

#define GERROR_SPI  GUEST_VSMMUV3_GERROR_SPI
#define BAD_OPCODE  0x7f

#define WITNESS_SID 5

/*
 * Submit good, bad, then a CFGI_STE of a bad STE (the witness: consuming
 * it writes a C_BAD_STE record to guest memory) and a CMD_SYNC; expect the
 * stop at the bad one.
 */
static bool error_round(unsigned int round)
{
    struct smmu_cmd c[] = {
        cmd_tlbi_nsnh_all(), cmd_sync(),
        cmd_raw(MASK_INSR(BAD_OPCODE, SMMU_CMD_OPCODE), 0),
        cmd_cfgi_ste(WITNESS_SID), cmd_sync(),
    };
    uint32_t bad_idx, cons, gerror_before = smmu_read32(SMMU_GERROR);
    volatile uint64_t *witness;
    uint64_t *slot, t0, evt[4];
    enum smmu_wait w;

    gic_clear_counts();
    witness = smmu_evtq.base + q_idx(&smmu_evtq, smmu_evtq.cons) * 4;
    witness[0] = 0;
    dsb(sy);
    bad_idx = q_idx(&smmu_cmdq, smmu_cmdq.prod + 2);
    if ( !smmu_cmdq_submit(c, ARRAY_SIZE(c)) )
        return xtf_error("Error: queue full\n"), false;

    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w != SMMU_WAIT_ERROR )
        return xtf_failure("Fail: round %u: queue %s, expected an error\n",
                           round, smmu_wait_name(w)), false;

    cons = smmu_read32(SMMU_CMDQ_CONS);
    if ( q_idx(&smmu_cmdq, cons) != bad_idx )
        xtf_failure("Fail: CONS %#x does not point at the bad entry %#x\n",
                    cons, bad_idx);
    if ( MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_ILL )
        xtf_failure("Fail: CONS.ERR = %u, expected CERROR_ILL\n",
                    (unsigned int)MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR));
    if ( !((smmu_read32(SMMU_GERROR) ^ gerror_before) & SMMU_GERROR_CMDQ_ERR) )
        xtf_failure("Fail: GERROR.CMDQ_ERR did not toggle\n");
    if ( !gic_wait_irq(GERROR_SPI, 100000) )
        xtf_failure("Fail: GERROR SPI %u not signalled\n", GERROR_SPI);
    if ( gic_count(GUEST_VSMMUV3_EVTQ_SPI) )
        xtf_failure("Fail: EVTQ SPI signalled before the witness ran\n");

    /* Stays stopped: no progress while the error is active. */
    udelay(20000);
    if ( smmu_read32(SMMU_CMDQ_CONS) != cons || witness[0] )
        xtf_failure("Fail: commands consumed while CMDQ_ERR is active\n");

    /* Linux: the bad entry becomes a CMD_SYNC, GERRORN = GERROR, no PROD. */
    slot = smmu_cmdq.base + bad_idx * 2;
    slot[0] = cmd_sync().w[0];
    slot[1] = cmd_sync().w[1];
    dsb(sy);
    smmu_write32(SMMU_GERRORN, smmu_read32(SMMU_GERROR));

    /*
     * S4.1: the acknowledgement alone resumes consumption.  Watch guest
     * memory for the witness's event record, without reading CMDQ_CONS
     * (a CONS read may also continue pending work, which would hide a
     * missing resume).
     */
    t0 = counter_now();
    while ( !witness[0] && counter_us_since(t0) < SMMU_POLL_US )
        cpu_relax();
    if ( !witness[0] )
        return xtf_failure("Fail: round %u: the GERRORN write did not resume the queue\n",
                           round), false;

    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w != SMMU_WAIT_DONE )
        return xtf_failure("Fail: round %u: after GERRORN the queue %s (CONS %#x PROD %#x)\n",
                           round, smmu_wait_name(w),
                           smmu_read32(SMMU_CMDQ_CONS), smmu_cmdq.prod), false;
    if ( !smmu_evtq_pop(evt) ||
         MASK_EXTR(evt[0], SMMU_EVT0_ID) != SMMU_EVT_C_BAD_STE ||
         MASK_EXTR(evt[0], SMMU_EVT0_SID) != WITNESS_SID )
        xtf_failure("Fail: the witness event is not C_BAD_STE for SID %u\n",
                    WITNESS_SID);
    if ( smmu_gerror_active() )
        xtf_failure("Fail: errors %#x still active after GERRORN\n",
                    smmu_gerror_active());
    /* The acknowledged line stays quiet. */
    gic_clear_counts();
    udelay(20000);
    while ( gic_ack() != GIC_SPURIOUS )
        ;
    if ( gic_count(GERROR_SPI) )
        xtf_failure("Fail: GERROR SPI signalled again after the ack\n");

    return !xtf_status_reported();
}

void test_main(void)
{
    unsigned int round;

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);
    gic_enable_spi(GUEST_VSMMUV3_EVTQ_SPI);

    if ( !smmu_reset(4, 4, 4) )
        return;
    /* The witness STE asks for stage 2: C_BAD_STE when (re)loaded. */
    smmu_strtab[WITNESS_SID * SMMU_STE_DWORDS] =
        SMMU_STE0_V | MASK_INSR((uint64_t)SMMU_STE_CONFIG_S2_TRANS,
                                SMMU_STE0_CONFIG);
    dsb(sy);

    /* Several rounds: the toggle protocol works every time, across wraps. */
    for ( round = 0; round < 5; round++ )
        if ( !error_round(round) )
            return;

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
