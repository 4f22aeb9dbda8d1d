/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/hostile-ste/main.c
 * @ref test-hostile-ste
 *
 * @page test-hostile-ste Hostile STEs and CDs on a real stream
 *
 * A guest's STE and CD configure a physical stream (S5.2-S5.4, S8.1,
 * S8.4, S8.9).  For each hostile configuration the test installs it
 * (CFGI_STE + CMD_SYNC) and has the device DMA to an IOVA that its good
 * tables map to buffer A and that is also the guest-physical address of
 * buffer B (where a DMA that escaped stage 1 would land):
 *
 *  - S1ContextPtr outside guest RAM, at the device's own BAR (MMIO, no
 *    RAM), beyond the OAS: C_BAD_STE with the vSID, at once (the vSMMU
 *    checks it: S5.3); the DMA lands nowhere;
 *  - STE Config nested (0b111) with the guest's own stage-2 words: C_BAD_STE
 *    (stage 2 is Xen's: S5.2); nowhere;
 *  - an S1 STE with stage-2 words (S2VMID, VTCR, S2TTB pointing at tables
 *    of the guest's) and S1Fmt/S1DSS set, all IGNORED for an S1 STE
 *    without substreams: no event, the DMA lands in A: the guest's stage-2
 *    words are not used (S5.3: never copied to the physical STE);
 *  - S1STALLD clear and a CD that asks for stalls (CD.S, with
 *    IDR0.STALL_MODEL = 1: no stalls): C_BAD_CD when the device's DMA
 *    meets it, forwarded from the physical SMMU with the vSID (S6.1,
 *    S8.9); nowhere;
 *  - a CD with HA/HD (no HTTU advertised) or AArch32 tables (AA64 = 0):
 *    C_BAD_CD from the vSMMU at once (it checks what it does not
 *    advertise); nowhere;
 *  - a CD with V = 0: C_BAD_CD when the DMA meets it (the physical SMMU's
 *    to report); nowhere.
 *
 * Then a good STE and CD again: the DMA lands in A, Xen is still up (the
 * runner checks its console: no crash, BUG, WARN or assertion).  The
 * streams are renumbered (vSID = requester ID + 0x100), so events that
 * kept the physical StreamID show.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: hostile STEs and CDs, no DMA "
                          "escapes";

#define PAGE            4096U
#define SEED            0x4057e000U
/* A DMA that is refused records one event per 4 bytes: keep it short. */
#define LEN             64U

static struct dma_env env;
static uint8_t *a, *b;
static uint64_t *cd;
static struct s1_pt pt;
static const char *const names[] = { "A (stage 1)",
                                     "B (the IOVA as guest physical)" };

#define STE_V_CFG(cfg) \
    (SMMU_STE0_V | MASK_INSR((uint64_t)(cfg), SMMU_STE0_CONFIG))

/* Events now in the queue: how many, and whether all are @id for the vSID. */
static unsigned int events(unsigned int id, uint64_t us, bool *all_ok)
{
    uint64_t evt[4];
    unsigned int n = 0;

    *all_ok = true;
    while ( smmu_evtq_wait(evt, n ? 100000 : us) )
    {
        unsigned int got = MASK_EXTR(evt[0], SMMU_EVT0_ID);

        if ( n++ < 2 )
            printk("  event %s vSID %#x (%#lx %#lx %#lx %#lx)\n",
                   smmu_event_name(got),
                   (unsigned int)MASK_EXTR(evt[0], SMMU_EVT0_SID),
                   (unsigned long)evt[0], (unsigned long)evt[1],
                   (unsigned long)evt[2], (unsigned long)evt[3]);
        if ( got != id ||
             MASK_EXTR(evt[0], SMMU_EVT0_SID) != env.edu[0].sid ||
             evt[3] )
            *all_ok = false;
    }

    return n;
}

/*
 * Install @ste; expect @at_cfgi (an event ID, or 0: none) at once; DMA;
 * expect @at_dma after it, and the DMA to land in @want.
 */
static void check(const char *what, const uint64_t ste[SMMU_STE_DWORDS],
                  unsigned int at_cfgi, unsigned int at_dma, int want)
{
    void *bufs[] = { a, b };
    unsigned int n;
    bool ok;
    int got;

    printk("%s:\n", what);
    if ( !smmu_ste_install(env.edu[0].sid, ste) )
        return;

    /* The CMD_SYNC completed the CFGI_STE: its event is there now. */
    n = events(at_cfgi, 0, &ok);
    if ( at_cfgi && (n != 1 || !ok) )
        xtf_failure("Fail: %s: %u event(s) at CFGI_STE, expected one %s for "
                    "vSID %#x\n", what, n, smmu_event_name(at_cfgi),
                    env.edu[0].sid);
    else if ( !at_cfgi && n )
        xtf_failure("Fail: %s: %u unexpected event(s) at CFGI_STE\n", what,
                    n);

    dma_clear(bufs, 2, PAGE, 0);
    if ( !edu_dma_to_mem(&env.edu[0], 0, (uintptr_t)b, LEN) )
        return;
    got = dma_landed(bufs, 2, 0, LEN, SEED);
    if ( got == DMA_NOWHERE &&
         (bytes_check(a, PAGE, 0) != PAGE || bytes_check(b, PAGE, 0) != PAGE) )
        return xtf_failure("Fail: %s: the DMA changed A or B without the "
                           "device's bytes\n", what);
    printk("  the DMA landed in %s\n", dma_where(got, names));
    if ( got != want )
        xtf_failure("Fail: %s: the DMA landed in %s, expected %s\n", what,
                    dma_where(got, names), dma_where(want, names));

    /* One event per refused 4 bytes, if the SMMU records them. */
    n = events(at_dma, at_dma ? 1000000 : 200000, &ok);
    if ( at_dma && (n != LEN / 4 || !ok) )
        xtf_failure("Fail: %s: %u event(s) after the DMA, expected %u %s for "
                    "vSID %#x with no address of Xen's\n", what, n, LEN / 4,
                    smmu_event_name(at_dma), env.edu[0].sid);
    else if ( !at_dma && n )
        xtf_failure("Fail: %s: %u unexpected event(s) after the DMA\n", what,
                    n);
}

static void s1_ste(uint64_t ste[SMMU_STE_DWORDS], uint64_t ctxptr)
{
    memset(ste, 0, SMMU_STE_SIZE);
    ste[0] = STE_V_CFG(SMMU_STE_CONFIG_S1_TRANS) |
             (ctxptr & SMMU_STE0_S1CTXPTR);
    ste[1] = MASK_INSR(1ULL, SMMU_STE1_S1CIR) |
             MASK_INSR(1ULL, SMMU_STE1_S1COR) |
             MASK_INSR(3ULL, SMMU_STE1_S1CSH);
}

/* The good CD with @set and @clear applied to word 0. */
static void cd_variant(uint64_t set, uint64_t clear)
{
    smmu_cd_write(cd, &pt, 1);
    cd[0] = (cd[0] | set) & ~clear;
    dsb(sy);
}

void test_main(void)
{
    uint64_t ste[SMMU_STE_DWORDS], *fake_s2;
    uint8_t *load;
    unsigned int oas;

    if ( !dma_env_setup(&env, 1) )
        return;
    a = xtf_alloc(PAGE, PAGE);
    b = xtf_alloc(PAGE, PAGE);
    load = xtf_alloc(PAGE, PAGE);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
    fake_s2 = xtf_alloc(PAGE, PAGE);
    if ( !s1_pt_init(&pt, 12, 3) ||
         !s1_map(&pt, (uintptr_t)b, (uintptr_t)a, 3, S1_RW) ||
         !s1_map(&pt, 0x1000, (uintptr_t)load, 3, S1_READ) )
        return xtf_error("Error: tables\n");
    oas = SMMU_OAS_BITS(MASK_EXTR(env.idr[5], SMMU_IDR5_OAS));

    /* A good configuration first: the device buffer gets the pattern. */
    cd_variant(0, 0);
    s1_ste(ste, (uintptr_t)cd);
    if ( !smmu_ste_install(env.edu[0].sid, ste) )
        return;
    pattern_fill(load, PAGE, SEED);
    if ( !edu_dma_from_mem(&env.edu[0], 0x1000, 0, PAGE) )
        return;
    check("good STE and CD", ste, 0, 0, 0);

    s1_ste(ste, xtf_ram_end() + (64ULL << 20));
    check("S1ContextPtr outside guest RAM", ste, SMMU_EVT_C_BAD_STE, 0,
          DMA_NOWHERE);
    s1_ste(ste, env.edu[0].bar);
    check("S1ContextPtr at the device's BAR (MMIO)", ste, SMMU_EVT_C_BAD_STE,
          0, DMA_NOWHERE);
    s1_ste(ste, 1ULL << oas);
    check("S1ContextPtr beyond the OAS", ste, SMMU_EVT_C_BAD_STE, 0,
          DMA_NOWHERE);

    /* The guest's own stage 2: tables that would send A's IPA to B. */
    fake_s2[0] = ((uintptr_t)b & ~0xfffULL) | 0x7c3;
    s1_ste(ste, (uintptr_t)cd);
    ste[0] = (ste[0] & ~SMMU_STE0_CONFIG) |
             MASK_INSR(SMMU_STE_CONFIG_NESTED, SMMU_STE0_CONFIG);
    ste[2] = MASK_INSR(0x7777ULL, SMMU_STE2_S2VMID) |
             MASK_INSR(25ULL, SMMU_STE2_S2T0SZ) |
             MASK_INSR(1ULL, SMMU_STE2_S2SL0) |
             MASK_INSR(4ULL, SMMU_STE2_S2PS) | SMMU_STE2_S2AA64 |
             SMMU_STE2_S2R;
    ste[3] = (uintptr_t)fake_s2 & SMMU_STE3_S2TTB;
    check("Config nested with the guest's stage-2 words", ste,
          SMMU_EVT_C_BAD_STE, 0, DMA_NOWHERE);
    ste[0] = (ste[0] & ~SMMU_STE0_CONFIG) |
             MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) |
             MASK_INSR(1ULL, SMMU_STE0_S1FMT);
    ste[1] |= MASK_INSR(2ULL, SMMU_STE1_S1DSS);
    check("S1 with stage-2 words, S1Fmt and S1DSS (ignored)", ste, 0, 0, 0);

    cd_variant(SMMU_CD0_S, 0);
    s1_ste(ste, (uintptr_t)cd);
    check("S1STALLD clear, CD asks for stalls", ste, 0, SMMU_EVT_C_BAD_CD,
          DMA_NOWHERE);
    cd_variant(SMMU_CD0_HA | SMMU_CD0_HD, 0);
    check("CD with HA and HD (no HTTU)", ste, SMMU_EVT_C_BAD_CD, 0,
          DMA_NOWHERE);
    cd_variant(0, SMMU_CD0_AA64);
    check("CD with AArch32 tables (AA64 = 0)", ste, SMMU_EVT_C_BAD_CD, 0,
          DMA_NOWHERE);
    cd_variant(0, SMMU_CD0_V);
    check("CD with V = 0", ste, 0, SMMU_EVT_C_BAD_CD, DMA_NOWHERE);

    cd_variant(0, 0);
    check("good STE and CD again", ste, 0, 0, 0);

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
