/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/bad-streamid/main.c
 * @ref test-bad-streamid
 *
 * @page test-bad-streamid StreamIDs outside the stream table
 *
 * S5.1: a StreamID at or beyond 2^STRTAB_BASE_CFG.LOG2SIZE gives
 * C_BAD_STREAMID; with a 2-level table an L1 descriptor with SPAN=0 (or an
 * index beyond its span) does too, while a valid L2 table reaches the STE
 * (here a bad one: C_BAD_STE).  L1 descriptors are read at every lookup,
 * never cached: Linux writes them without any command.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 C_BAD_STREAMID";

static bool cfgi_event(uint32_t sid, unsigned int want_id, const char *what)
{
    struct smmu_cmd c[] = { cmd_cfgi_ste(sid), cmd_sync() };
    uint64_t evt[4];

    if ( !smmu_cmdq_submit(c, 2) ||
         smmu_cmdq_wait(SMMU_POLL_US) != SMMU_WAIT_DONE )
        return xtf_failure("Fail: %s: CFGI_STE did not complete\n", what),
               false;
    if ( !smmu_evtq_pop(evt) )
    {
        if ( want_id )
            xtf_failure("Fail: %s: no event\n", what);
        return !want_id;
    }
    if ( !want_id )
        return xtf_failure("Fail: %s: unexpected event %#x\n", what,
                           (unsigned int)MASK_EXTR(evt[0],
                                                   SMMU_EVT0_ID)), false;
    if ( MASK_EXTR(evt[0], SMMU_EVT0_ID) != want_id ||
         MASK_EXTR(evt[0], SMMU_EVT0_SID) != sid )
        return xtf_failure("Fail: %s: event %#x SID %#x, expected %#x SID %#x\n",
                           what,
                           (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_ID),
                           (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
                           want_id, sid), false;

    return true;
}

void test_main(void)
{
    const unsigned int split = 6, log2 = 10;
    uint64_t *l1, *l2;
    uint64_t *ste;

    if ( !smmu_reset(3, 5, 5) )
        return;

    /* Linear, 8 STEs: SIDs 8 and 0xffff are out of range. */
    cfgi_event(8, SMMU_EVT_C_BAD_STREAMID, "linear SID 8 of 8");
    cfgi_event(0xffff, SMMU_EVT_C_BAD_STREAMID, "linear SID 0xffff");
    cfgi_event(7, 0, "linear SID 7 (V=0)");

    /* 2-level: 2^10 SIDs, SPLIT 6: 16 L1 descriptors of 64 STEs each. */
    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN) )
        return xtf_failure("Fail: CR0ACK did not follow SMMUEN = 0\n");
    l1 = xtf_alloc(SMMU_L1STD_SIZE << (log2 - split), 64);
    l2 = xtf_alloc(SMMU_STE_SIZE << split, SMMU_STE_SIZE << split);
    smmu_write64(SMMU_STRTAB_BASE, (uintptr_t)l1 & SMMU_STRTAB_BASE_ADDR);
    smmu_write32(SMMU_STRTAB_BASE_CFG,
                 MASK_INSR(SMMU_STRTAB_FMT_2LVL, SMMU_STRTAB_BASE_CFG_FMT) |
                 MASK_INSR(split, SMMU_STRTAB_BASE_CFG_SPLIT) |
                 MASK_INSR(log2, SMMU_STRTAB_BASE_CFG_LOG2SIZE));
    if ( !smmu_cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow SMMUEN = 1\n");

    /* L1[1] has SPAN 0: SIDs 64..127 are invalid. */
    cfgi_event(64 + 5, SMMU_EVT_C_BAD_STREAMID, "2-level, SPAN 0");
    cfgi_event(1U << log2, SMMU_EVT_C_BAD_STREAMID, "2-level, SID 1024");

    /* Fill L1[1] with no command at all: the next lookup sees it. */
    ste = l2 + 5 * SMMU_STE_DWORDS;
    ste[0] = SMMU_STE0_V | MASK_INSR((uint64_t)SMMU_STE_CONFIG_NESTED,
                                     SMMU_STE0_CONFIG);
    l1[1] = ((uintptr_t)l2 & SMMU_L1STD_L2PTR) |
            MASK_INSR((uint64_t)split + 1, SMMU_L1STD_SPAN);
    dsb(sy);
    cfgi_event(64 + 5, SMMU_EVT_C_BAD_STE, "2-level, L2 reached");
    cfgi_event(64 + 6, 0, "2-level, V=0 STE");

    /* And taken away again: C_BAD_STREAMID once more (S5.1: not cached). */
    l1[1] = 0;
    dsb(sy);
    cfgi_event(64 + 5, SMMU_EVT_C_BAD_STREAMID, "2-level, L1 cleared");

    if ( smmu_gerror_active() )
        return xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());

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
