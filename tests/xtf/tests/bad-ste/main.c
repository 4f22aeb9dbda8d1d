/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/bad-ste/main.c
 * @ref test-bad-ste
 *
 * @page test-bad-ste A bad STE gives C_BAD_STE and the EVTQ SPI
 *
 * S5.2: a valid STE whose Config asks for stage 2 (0b110), nesting (0b111)
 * or a reserved encoding, or an S1 STE with substreams (S1CDMax, SSIDSIZE is
 * 0) or a context descriptor outside guest RAM (S5.3), is refused: CFGI_STE
 * (plus CMD_SYNC) makes the vSMMU write a C_BAD_STE record with that
 * StreamID into the guest's event queue (S6.1), and the EVTQ SPI is
 * signalled (S6.4).  Good STEs (abort, bypass, S1 with its CD in RAM) and
 * V=0 produce no event.
 */
#include <xtf.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 bad STE: C_BAD_STE event and EVTQ SPI";

#define STE_V_CFG(cfg) \
    (SMMU_STE0_V | MASK_INSR((uint64_t)(cfg), SMMU_STE0_CONFIG))

static uint64_t *cd;

static void set_ste(uint32_t sid, uint64_t w0)
{
    uint64_t *ste = smmu_strtab + sid * SMMU_STE_DWORDS;
    unsigned int i;

    for ( i = 1; i < SMMU_STE_DWORDS; i++ )
        ste[i] = 0;
    ste[0] = w0;
    dsb(sy);
}

static bool cfgi(uint32_t sid)
{
    struct smmu_cmd c[] = { cmd_cfgi_ste(sid), cmd_sync() };
    enum smmu_wait w;

    if ( !smmu_cmdq_submit(c, 2) ||
         (w = smmu_cmdq_wait(SMMU_POLL_US)) != SMMU_WAIT_DONE )
    {
        xtf_failure("Fail: CFGI_STE(%u) + CMD_SYNC did not complete\n", sid);
        return false;
    }

    return true;
}

/* Expect exactly one C_BAD_STE for @sid (and the EVTQ SPI), or nothing. */
static void check(uint32_t sid, uint64_t w0, bool bad, const char *what)
{
    uint64_t evt[4];

    gic_clear_counts();
    set_ste(sid, w0);
    if ( !cfgi(sid) )
        return;

    if ( !bad )
    {
        if ( smmu_evtq_pop(evt) )
            xtf_failure("Fail: %s: unexpected event %#x\n", what,
                        (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_ID));
        return;
    }

    /* CMD_SYNC completed: the event is in memory now. */
    if ( !smmu_evtq_pop(evt) )
    {
        xtf_failure("Fail: %s: no event (PROD %#x CONS %#x)\n", what,
                    smmu_read32(SMMU_EVENTQ_PROD),
                    smmu_read32(SMMU_EVENTQ_CONS));
        return;
    }
    if ( MASK_EXTR(evt[0], SMMU_EVT0_ID) != SMMU_EVT_C_BAD_STE )
        xtf_failure("Fail: %s: event %#x, expected C_BAD_STE\n", what,
                    (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_ID));
    if ( MASK_EXTR(evt[0], SMMU_EVT0_SID) != sid )
        xtf_failure("Fail: %s: event for SID %#x, expected %#x\n", what,
                    (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID), sid);
    if ( !gic_wait_irq(GUEST_VSMMUV3_EVTQ_SPI, 100000) &&
         !gic_count(GUEST_VSMMUV3_EVTQ_SPI) )
        xtf_failure("Fail: %s: EVTQ SPI not signalled\n", what);
    if ( smmu_evtq_pop(evt) )
        xtf_failure("Fail: %s: a second event %#x\n", what,
                    (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_ID));
}

void test_main(void)
{
    uint64_t outside = (xtf_ram_end() + (64ULL << 20)) & SMMU_STE0_S1CTXPTR;
    uint64_t s1 = STE_V_CFG(SMMU_STE_CONFIG_S1_TRANS);

    gic_init();
    gic_enable_spi(GUEST_VSMMUV3_EVTQ_SPI);
    gic_enable_spi(GUEST_VSMMUV3_GERROR_SPI);

    if ( !smmu_reset(5, 5, 5) )
        return;

    cd = xtf_alloc(SMMU_CD_SIZE, 64);

    /* Refused (S5.2, S5.3). */
    check(1, STE_V_CFG(SMMU_STE_CONFIG_S2_TRANS), true, "Config S2");
    check(2, STE_V_CFG(SMMU_STE_CONFIG_NESTED), true, "Config nested");
    check(3, STE_V_CFG(1), true, "Config 0b001 (reserved)");
    check(4, STE_V_CFG(3), true, "Config 0b011 (reserved)");
    check(5, s1 | ((uintptr_t)cd & SMMU_STE0_S1CTXPTR) |
             MASK_INSR(1ULL, SMMU_STE0_S1CDMAX), true,
          "S1 with S1CDMax 1");
    check(6, s1 | outside, true, "S1 with the CD outside RAM");

    /* Accepted: no event. */
    check(7, 0, false, "V=0");
    check(8, STE_V_CFG(SMMU_STE_CONFIG_ABORT), false, "Config abort");
    check(9, STE_V_CFG(SMMU_STE_CONFIG_BYPASS), false, "Config bypass");
    check(10, s1 | ((uintptr_t)cd & SMMU_STE0_S1CTXPTR), false,
          "S1 with its CD in RAM");

    /* The last StreamID of the table works like any other. */
    check((1U << 5) - 1, STE_V_CFG(SMMU_STE_CONFIG_S2_TRANS), true,
          "Config S2, last SID");

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
