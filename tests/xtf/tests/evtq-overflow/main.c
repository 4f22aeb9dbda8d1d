/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/evtq-overflow/main.c
 * @ref test-evtq-overflow
 *
 * @page test-evtq-overflow Event queue overflow
 *
 * S6.2 (IHI 0070 7.4): when the event queue is full, a new event is dropped
 * and EVENTQ_PROD.OVFLG is toggled so that it differs from
 * EVENTQ_CONS.OVACKFLG; a full queue is never an EVENTQ_ABT_ERR.  The
 * records already in the queue are intact.  Once software acknowledges
 * (OVACKFLG = OVFLG) and makes room, events are recorded again, and the next
 * overflow toggles OVFLG again.  The EVTQ SPI is signalled while the queue
 * is not empty (S6.4).
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 event queue overflow";

#define BAD_STE_W0 \
    (SMMU_STE0_V | MASK_INSR((uint64_t)SMMU_STE_CONFIG_S2_TRANS, \
                             SMMU_STE0_CONFIG))

/* Make one C_BAD_STE event for @sid. */
static bool make_event(uint32_t sid)
{
    struct smmu_cmd c[] = { cmd_cfgi_ste(sid), cmd_sync() };

    return smmu_cmdq_submit(c, 2) &&
           smmu_cmdq_wait(SMMU_POLL_US) == SMMU_WAIT_DONE;
}

static uint32_t evtq_prod(void)
{
    return smmu_read32(SMMU_EVENTQ_PROD);
}

/* Check the record at queue index @idx is C_BAD_STE for @sid. */
static void check_record(unsigned int idx, uint32_t sid)
{
    const uint64_t *e = smmu_evtq.base + idx * 4;

    if ( MASK_EXTR(e[0], SMMU_EVT0_ID) != SMMU_EVT_C_BAD_STE ||
         MASK_EXTR(e[0], SMMU_EVT0_SID) != sid )
        xtf_failure("Fail: record %u is event %#x SID %#x, expected C_BAD_STE SID %#x\n",
                    idx, (unsigned int)MASK_EXTR(e[0], SMMU_EVT0_ID),
                    (unsigned int)MASK_EXTR(e[0], SMMU_EVT0_SID), sid);
}

void test_main(void)
{
    uint32_t prod, sid;
    /* A 2-entry event queue (LOG2SIZE 1): index bit 0, wrap bit 1. */
    const uint32_t ptr_mask = 3;

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_EVTQ_SPI);

    if ( !smmu_reset(4, 5, 1) )
        return;
    for ( sid = 0; sid < 16; sid++ )
        smmu_strtab[sid * SMMU_STE_DWORDS] = BAD_STE_W0;
    dsb(sy);

    /* Two events fill the queue. */
    if ( !make_event(1) || !make_event(2) )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    prod = evtq_prod();
    if ( (prod & ptr_mask) != 2 || (prod & SMMU_EVENTQ_PROD_OVFLG) )
        return xtf_failure("Fail: full queue: PROD %#x, expected 0x2\n", prod);
    if ( !gic_wait_irq(GUEST_VSMMUV3_EVTQ_SPI, 100000) )
        xtf_failure("Fail: EVTQ SPI not signalled\n");

    /* A third one overflows: dropped, OVFLG toggles, no abort error. */
    if ( !make_event(3) || !make_event(4) )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    prod = evtq_prod();
    if ( !(prod & SMMU_EVENTQ_PROD_OVFLG) )
        xtf_failure("Fail: PROD %#x: OVFLG not set on overflow\n", prod);
    if ( (prod & ptr_mask) != 2 )
        xtf_failure("Fail: PROD %#x moved on a full queue\n", prod);
    if ( smmu_gerror_active() & SMMU_GERROR_EVENTQ_ABT_ERR )
        xtf_failure("Fail: EVENTQ_ABT_ERR for a full queue (S6.2)\n");
    check_record(0, 1);
    check_record(1, 2);
    if ( xtf_status_reported() )
        return;

    /* Consume both, acknowledge the overflow. */
    smmu_write32(SMMU_EVENTQ_CONS, 2 | (prod & SMMU_EVENTQ_PROD_OVFLG));

    /* Room again: events are recorded, OVFLG unchanged. */
    if ( !make_event(5) )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    prod = evtq_prod();
    if ( (prod & ptr_mask) != 3 || !(prod & SMMU_EVENTQ_PROD_OVFLG) )
        xtf_failure("Fail: after the ack PROD %#x, expected %#x\n", prod,
                    3U | (uint32_t)SMMU_EVENTQ_PROD_OVFLG);
    check_record(0, 5);

    /* Fill, then overflow again: OVFLG toggles back to 0. */
    if ( !make_event(6) || !make_event(7) )
        return xtf_failure("Fail: CFGI_STE did not complete\n");
    prod = evtq_prod();
    if ( (prod & ptr_mask) != 0 )
        xtf_failure("Fail: second fill: PROD %#x, expected index 0 wrap 0\n",
                    prod);
    if ( prod & SMMU_EVENTQ_PROD_OVFLG )
        xtf_failure("Fail: second overflow did not toggle OVFLG (%#x)\n",
                    prod);
    check_record(1, 6);
    if ( smmu_gerror_active() )
        xtf_failure("Fail: global errors %#x\n", smmu_gerror_active());

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
