/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/cd-switch/main.c
 * @ref test-cd-switch
 *
 * @page test-cd-switch One stream, CDs in turn: each STE rewrite takes effect
 *
 * One edu device, two CDs with their own ASIDs and tables, which map the
 * same IOVA to different buffers (A through CD1, B through CD2).  The STE
 * is rewritten to point at one CD, then the other, in turn; after each
 * rewrite the configuration invalidation makes the vSMMU read the STE
 * again and install the new nested STE on the physical SMMU (S4.6, S5.2):
 * the next DMA lands in the buffer of the CD the STE now names, whatever
 * the SMMU cached for the other ASID.  The invalidations used: CFGI_STE
 * (leaf), CFGI_STE_RANGE over the stream, CFGI_ALL (S4.3).  Without any
 * invalidation the old configuration may still be used (the test says
 * which it saw; QEMU's SMMU caches it).  Last, CD1 is rewritten in place
 * (a third ASID and tables, to buffer C) with the STE unchanged: CFGI_STE
 * alone must make it take effect, since it invalidates the CDs cached for
 * the STE too (IHI 0070 4.3.1), which the vSMMU forwards as CFGI_CD_ALL
 * for the physical stream.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: CDs in turn on one stream, STE "
                          "rewrites take effect";

#define PAGE            4096U
#define IOVA            0x1230000UL
#define SEED            0xcd5e0000U

static struct dma_env env;
static uint8_t *buf[3];
static const char *const names[] = { "A (CD1)", "B (CD2)",
                                     "C (CD1 rewritten)" };

static int dma(void)
{
    int where;

    if ( !edu_dma_to_mem(&env.edu[0], 0, IOVA, PAGE) )
        return -5;
    where = dma_landed((void *const *)buf, 3, 0, PAGE, SEED);
    dma_clear((void *const *)buf, 3, PAGE, 0);

    return where;
}

static void point(const void *cd)
{
    smmu_ste_s1(env.edu[0].sid, cd);
}

static void expect(const char *what, struct smmu_cmd c, int want)
{
    int got;

    if ( !smmu_cmd1(c, what) )
        return;
    got = dma();
    if ( got == -5 )
        return;
    printk("%s: the DMA landed in %s\n", what, dma_where(got, names));
    if ( got != want )
        xtf_failure("Fail: %s: the DMA landed in %s, not %s\n", what,
                    dma_where(got, names), names[want]);
}

void test_main(void)
{
    struct s1_pt pt[3];
    uint64_t *cd[2], evt[4];
    uint8_t *load;
    uint32_t sid;
    unsigned int i;
    int got;

    if ( !dma_env_setup(&env, 1) )
        return;
    sid = env.edu[0].sid;
    load = xtf_alloc(PAGE, PAGE);
    for ( i = 0; i < 3; i++ )
    {
        buf[i] = xtf_alloc(PAGE, PAGE);
        if ( !s1_pt_init(&pt[i], 12, 3) ||
             !s1_map(&pt[i], IOVA, (uintptr_t)buf[i], 3, S1_RW) ||
             !s1_map(&pt[i], 0x1000, (uintptr_t)load, 3, S1_READ) )
            return xtf_error("Error: tables\n");
    }
    for ( i = 0; i < 2; i++ )
    {
        cd[i] = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
        smmu_cd_write(cd[i], &pt[i], 1 + i);
    }

    point(cd[0]);
    if ( !smmu_cmd1(cmd_cfgi_ste(sid), "CFGI_STE") )
        return;
    pattern_fill(load, PAGE, SEED);
    if ( !edu_dma_from_mem(&env.edu[0], 0x1000, 0, PAGE) )
        return;

    /* In turn, CFGI_STE after each rewrite. */
    for ( i = 0; i < 4; i++ )
    {
        point(cd[(i + 1) % 2]);
        expect(i % 2 ? "STE -> CD1, CFGI_STE" : "STE -> CD2, CFGI_STE",
               cmd_cfgi_ste(sid), (i + 1) % 2);
    }
    /* Now on CD1.  Rewrite to CD2 with no invalidation: either. */
    point(cd[1]);
    got = dma();
    if ( got != 0 && got != 1 )
        xtf_failure("Fail: STE -> CD2, not invalidated: the DMA landed in "
                    "%s\n", dma_where(got, names));
    else
        printk("STE -> CD2, not invalidated: the DMA landed in %s%s\n",
               names[got], got == 0 ? " (the configuration was cached: "
               "allowed)" : "");
    expect("STE -> CD2, CFGI_STE_RANGE",
           cmd_raw(MASK_INSR(SMMU_OP_CFGI_STE_RANGE, SMMU_CMD_OPCODE) |
                   MASK_INSR((uint64_t)(sid & ~3U), SMMU_CMD0_SID),
                   MASK_INSR(1ULL, SMMU_CMD1_CFGI_RANGE)), 1);
    point(cd[0]);
    expect("STE -> CD1, CFGI_ALL", cmd_cfgi_all(), 0);

    /* CD1 rewritten in place, the STE unchanged: CFGI_STE covers it. */
    smmu_cd_write(cd[0], &pt[2], 3);
    expect("CD1 rewritten in place (ASID 3, tables to C), CFGI_STE",
           cmd_cfgi_ste(sid), 2);

    if ( smmu_evtq_wait(evt, 200000) )
        xtf_failure("Fail: unexpected event %s (%#lx)\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)),
                    (unsigned long)evt[0]);
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
