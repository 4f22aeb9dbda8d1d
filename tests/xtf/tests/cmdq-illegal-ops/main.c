/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cmdq-illegal-ops/main.c
 * @ref test-cmdq-illegal-ops
 *
 * @page test-cmdq-illegal-ops Every command the vSMMU must refuse
 *
 * S4.3: unknown opcodes, TLBI_EL2_* and TLBI_EL3_* (no HYP), TLBI_S12_VMALL
 * and TLBI_S2_IPA (no stage 2 for the guest), ATC_INV (no ATS), PRI_RESP
 * (no PRI), RESUME and STALL_TERM (no stalls), CMD_SYNC with CS=0b11, and
 * commands with the secure bit set each give CERROR_ILL with CONS at the
 * command (S4.4).  After each, Linux's recovery (S7.4) resumes the queue.
 * S8.1: no opcode makes the hypervisor misbehave (all 256 are sent).
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 illegal commands give CERROR_ILL";

static unsigned int errors;

enum expect { MUST_ACCEPT, MUST_REFUSE, EITHER };

/* Send @c followed by CMD_SYNC: true if it was refused. */
static bool refused(struct smmu_cmd c, enum expect expect, const char *what)
{
    struct smmu_cmd q[] = { c, cmd_sync() };
    uint32_t idx = q_idx(&smmu_cmdq, smmu_cmdq.prod), cons;
    enum smmu_wait w;
    uint64_t *slot;

    if ( !smmu_cmdq_submit(q, 2) )
        return xtf_error("Error: queue full\n"), false;
    w = smmu_cmdq_wait(SMMU_POLL_US);
    if ( w == SMMU_WAIT_TIMEOUT )
    {
        xtf_failure("Fail: %s: queue hung (CONS %#x)\n", what,
                    smmu_read32(SMMU_CMDQ_CONS));
        return false;
    }
    if ( w == SMMU_WAIT_DONE )
    {
        if ( expect == MUST_REFUSE )
            xtf_failure("Fail: %s (%#lx %#lx) was accepted (S4.3)\n", what,
                        (unsigned long)c.w[0], (unsigned long)c.w[1]);
        return false;
    }

    cons = smmu_read32(SMMU_CMDQ_CONS);
    if ( expect == MUST_ACCEPT )
        xtf_failure("Fail: %s was refused, CONS.ERR %u\n", what,
                    (unsigned int)MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR));
    else if ( q_idx(&smmu_cmdq, cons) != idx ||
              MASK_EXTR(cons, SMMU_CMDQ_CONS_ERR) != SMMU_CERROR_ILL )
        xtf_failure("Fail: %s: CONS %#x, expected index %#x with CERROR_ILL\n",
                    what, cons, idx);
    errors++;

    /* S7.4: rewrite as CMD_SYNC, acknowledge, never touch PROD. */
    slot = smmu_cmdq.base + q_idx(&smmu_cmdq, cons) * 2;
    slot[0] = cmd_sync().w[0];
    slot[1] = cmd_sync().w[1];
    dsb(sy);
    smmu_write32(SMMU_GERRORN, smmu_read32(SMMU_GERROR));
    if ( smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_DONE )
        xtf_failure("Fail: %s: no resume after GERRORN\n", what);

    return true;
}

#define OP(o)   MASK_INSR((uint64_t)(o), SMMU_CMD_OPCODE)

void test_main(void)
{
    static const struct {
        uint64_t w0, w1;
        const char *what;
    } ill[] = {
        { OP(0x00), 0, "opcode 0x00" },
        { OP(0x08), 0, "opcode 0x08" },
        { OP(0x7f), 0, "opcode 0x7f" },
        { OP(0xff), 0, "opcode 0xff" },
        { OP(SMMU_OP_TLBI_EL3_ALL), 0, "TLBI_EL3_ALL" },
        { OP(SMMU_OP_TLBI_EL3_VA), 0, "TLBI_EL3_VA" },
        { OP(SMMU_OP_TLBI_EL2_ALL), 0, "TLBI_EL2_ALL" },
        { OP(SMMU_OP_TLBI_EL2_ASID), 0, "TLBI_EL2_ASID" },
        { OP(SMMU_OP_TLBI_EL2_VA), 0, "TLBI_EL2_VA" },
        { OP(SMMU_OP_TLBI_EL2_VAA), 0, "TLBI_EL2_VAA" },
        { OP(SMMU_OP_TLBI_S12_VMALL), 0, "TLBI_S12_VMALL" },
        { OP(SMMU_OP_TLBI_S2_IPA), 0, "TLBI_S2_IPA" },
        { OP(SMMU_OP_ATC_INV), 0, "ATC_INV" },
        { OP(SMMU_OP_PRI_RESP), 0, "PRI_RESP" },
        { OP(SMMU_OP_RESUME), 0, "RESUME" },
        { OP(SMMU_OP_STALL_TERM), 0, "STALL_TERM" },
        { OP(SMMU_OP_CMD_SYNC) | MASK_INSR(3ULL, SMMU_CMD0_SYNC_CS), 0,
          "CMD_SYNC CS=0b11" },
        { OP(SMMU_OP_CFGI_STE) | SMMU_CMD0_SSEC, SMMU_CMD1_LEAF,
          "CFGI_STE SSec=1" },
    };
    unsigned int i, accepted = 0;

    if ( !smmu_reset(4, 5, 4) )
        return;

    for ( i = 0; i < ARRAY_SIZE(ill); i++ )
        refused(cmd_raw(ill[i].w0, ill[i].w1), MUST_REFUSE, ill[i].what);

    /* Sanity: a handled command is not refused by the same path. */
    refused(cmd_tlbi_nh_all(), MUST_ACCEPT, "TLBI_NH_ALL");
    if ( xtf_status_reported() )
        return;

    /* S8.1: every opcode, with junk operands: answered, never fatal. */
    for ( i = 0; i < 256; i++ )
    {
        char what[24];

        snprintf(what, sizeof(what), "opcode %#x", i);
        if ( !refused(cmd_raw(OP(i) | 0xdeadbeef00000000ULL, ~0ULL),
                      EITHER, what) )
            accepted++;
    }
    printk("%u refusals in total, %u of 256 opcodes accepted with junk\n",
           errors, accepted);

    if ( smmu_gerror_active() )
        return xtf_failure("Fail: errors %#x left active\n",
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
