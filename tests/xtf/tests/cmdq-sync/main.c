/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-sync/main.c
 * @ref test-cmdq-sync
 *
 * @page test-cmdq-sync Command queue: Linux's commands complete
 *
 * After Linux's reset (S7.2: CFGI_ALL + CMD_SYNC, TLBI_NSNH_ALL + CMD_SYNC),
 * the command mix Linux sends while attaching and unmapping (S7.3: CFGI_STE,
 * CFGI_CD, PREFETCH_CONFIG, TLBI_NH_ASID, a batch of 64 TLBI_NH_VA, then
 * CMD_SYNC) is consumed: CONS reaches PROD (S4.1), CONS.ERR stays
 * CERROR_NONE and no global error is raised (S4.3 lists them as handled).
 * The queue also wraps correctly (S4.2) over several rounds.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 command queue: CFGI/TLBI/CMD_SYNC complete";

static bool run(const struct smmu_cmd *c, unsigned int n, const char *what)
{
    enum smmu_wait w;
    uint32_t cons;

    if ( !smmu_cmdq_submit(c, n) )
    {
        xtf_error("Error: queue full submitting %s\n", what);
        return false;
    }
    w = smmu_cmdq_wait(SMMU_POLL_US);
    cons = smmu_read32(SMMU_CMDQ_CONS);
    if ( w != SMMU_WAIT_DONE )
    {
        xtf_failure("Fail: %s: %s (PROD %#x CONS %#x GERROR %#x)\n", what,
                    smmu_wait_name(w), smmu_cmdq.prod, cons,
                    smmu_read32(SMMU_GERROR));
        return false;
    }
    if ( MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_NONE )
    {
        xtf_failure("Fail: %s: CONS.ERR = %u\n", what,
                    (unsigned int)MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR));
        return false;
    }

    return true;
}

void test_main(void)
{
    struct smmu_cmd c[70];
    unsigned int i, round;
    uint64_t op;

    /* Includes CFGI_ALL + CMD_SYNC and TLBI_NSNH_ALL + CMD_SYNC. */
    if ( !smmu_reset(6, 7, 5) )
        return;

    for ( round = 0; round < 6; round++ )
    {
        unsigned int n = 0;

        /* Attach (S7.3). */
        c[n++] = cmd_raw(MASK_INSR(SMMU_OP_CFGI_CD, SMMU_CMD_OPCODE) |
                         MASK_INSR(3ULL, SMMU_CMD0_SID),
                         SMMU_CMD1_LEAF);
        c[n++] = cmd_sync();
        c[n++] = cmd_cfgi_ste(3);
        c[n++] = cmd_sync();
        c[n++] = cmd_raw(MASK_INSR(SMMU_OP_PREFETCH_CONFIG, SMMU_CMD_OPCODE) |
                         MASK_INSR(3ULL, SMMU_CMD0_SID), 0);
        c[n++] = cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_ASID, SMMU_CMD_OPCODE) |
                         MASK_INSR(7ULL, SMMU_CMD0_TLBI_ASID), 0);
        c[n++] = cmd_sync();
        if ( !run(c, n, "attach sequence") )
            return;

        /* Unmap: up to 64 TLBI_NH_VA per doorbell, then CMD_SYNC. */
        for ( n = 0; n < 64; n++ )
            c[n] = cmd_raw(MASK_INSR(SMMU_OP_TLBI_NH_VA, SMMU_CMD_OPCODE) |
                           MASK_INSR(7ULL, SMMU_CMD0_TLBI_ASID),
                           SMMU_CMD1_TLBI_LEAF |
                           ((0x100000ULL + n * 0x1000) & SMMU_CMD1_TLBI_ADDR));
        c[n++] = cmd_sync();
        if ( !run(c, n, "unmap batch") )
            return;

        /* The other handled commands (S4.3), one each. */
        n = 0;
        for ( op = 0; op < 4; op++ )
        {
            static const unsigned int ops[] = {
                SMMU_OP_CFGI_CD_ALL, SMMU_OP_TLBI_NH_ALL,
                SMMU_OP_TLBI_NH_VAA, SMMU_OP_PREFETCH_ADDR,
            };

            c[n++] = cmd_raw(MASK_INSR(ops[op], SMMU_CMD_OPCODE) |
                             MASK_INSR(3ULL, SMMU_CMD0_SID), 0);
        }
        c[n++] = cmd_raw(MASK_INSR(SMMU_OP_CFGI_STE_RANGE, SMMU_CMD_OPCODE) |
                         MASK_INSR(0ULL, SMMU_CMD0_SID), 4);
        c[n++] = cmd_cfgi_all();
        c[n++] = cmd_tlbi_nsnh_all();
        c[n++] = cmd_sync();
        if ( !run(c, n, "other handled commands") )
            return;
    }

    for ( i = 0; i < 4; i++ )
    {
        uint64_t evt[4];

        if ( smmu_evtq_pop(evt) )
            return xtf_failure("Fail: unexpected event %#lx for SID %#lx\n",
                               (unsigned long)MASK_EXTR(evt[0], SMMU_EVT0_ID),
                               (unsigned long)MASK_EXTR(evt[0],
                                                        SMMU_EVT0_SID));
    }
    if ( smmu_gerror_active() )
        return xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());

    printk("%u commands consumed, CONS %#x\n", 6 * (7 + 65 + 8) + 4,
           smmu_read32(SMMU_CMDQ_CONS));
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
