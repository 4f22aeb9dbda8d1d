/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/abort-bypass/main.c
 * @ref test-abort-bypass
 *
 * @page test-abort-bypass Abort aborts; bypass is stage 2, never physical
 *
 * What a real DMA meets in each configuration that is not translation
 * (S5.2, S2 GBPA, S8.4, S8.10).  The DMA target is one IOVA, equal to the
 * guest-physical address of buffer B; stage 1 maps it to buffer S.
 *
 *  - STE V=0 (after reset) and STE Config abort: the DMA lands nowhere
 *    (B and S stay as they were), and an abort STE records no event.
 *  - STE Config bypass: stage 2 only, so the IOVA is a guest-physical
 *    address: the DMA lands in B, and a read from the guest-physical
 *    address of QEMU's fw_cfg device (0x9020000, which is no guest memory)
 *    is refused by Xen's stage 2: it does not return fw_cfg's "QEMU"
 *    signature, which a physical bypass would (the IOVA taken as a machine
 *    address; the device buffer is read back through stage 1), and its
 *    fault is Xen's: nothing in the guest's event queue (S6.1).
 *  - STE Config S1: the DMA lands in S.
 *  - SMMUEN=0 with GBPA.ABORT=1: nowhere; with GBPA.ABORT=0: in B (stage
 *    2 only); GBPA.ABORT=1 again: nowhere; SMMUEN=1 again: the S1 STE is
 *    read afresh, the DMA lands in S.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested: abort aborts, bypass is stage 2 "
                          "only";

#define PAGE            4096U
#define SEED            0xab0b1e00U
/* QEMU virt's fw_cfg: its data register reads "QEMU" first. */
#define FW_CFG_DATA     0x09020000UL
#define FW_CFG_SIG      0x554d4551U     /* "QEMU", little-endian */
#define LOAD_IOVA       0x1000UL
#define RB_IOVA         0x2000UL

static struct dma_env env;
static uint8_t *b, *s;
static uint64_t *cd;

enum { IN_B, IN_S };
static const char *const names[] = { "B (IOVA as guest physical)",
                                     "S (where stage 1 maps it)" };

/*
 * A DMA to the IOVA: where the device's pattern landed; a DMA that landed
 * nowhere must have left both buffers as they were (zero).
 */
static int dma(void)
{
    void *bufs[] = { b, s };
    int where;

    if ( !edu_dma_to_mem(&env.edu[0], 0, (uintptr_t)b, PAGE) )
        return -5;
    where = dma_landed(bufs, 2, 0, PAGE, SEED);
    if ( where == DMA_NOWHERE &&
         (bytes_check(b, PAGE, 0) != PAGE || bytes_check(s, PAGE, 0) != PAGE) )
        where = -6;
    dma_clear(bufs, 2, PAGE, 0);

    return where;
}

static void expect(const char *what, int want)
{
    int got = dma();

    if ( got == -5 )
        return;
    if ( got == -6 )
    {
        xtf_failure("Fail: %s: the DMA changed B or S without the device's "
                    "bytes: it read something else\n", what);
        return;
    }
    printk("%s: the DMA landed in %s\n", what, dma_where(got, names));
    if ( got != want )
        xtf_failure("Fail: %s: the DMA landed in %s, expected %s\n", what,
                    dma_where(got, names), dma_where(want, names));
}

static bool ste(const char *what, unsigned int config)
{
    uint64_t e[SMMU_STE_DWORDS] = {
        SMMU_STE0_V | MASK_INSR((uint64_t)config, SMMU_STE0_CONFIG) |
        (config == SMMU_STE_CONFIG_S1_TRANS ?
         (uintptr_t)cd & SMMU_STE0_S1CTXPTR : 0),
    };

    printk("STE: %s\n", what);
    return smmu_ste_install(env.edu[0].sid, e);
}

static bool gbpa_abort(bool abort)
{
    printk("GBPA.ABORT = %u\n", abort);
    if ( smmu_gbpa(abort ? SMMU_GBPA_ABORT : 0) )
        return true;
    xtf_failure("Fail: GBPA update did not complete\n");
    return false;
}

void test_main(void)
{
    const struct edu *e;
    struct s1_pt pt;
    uint64_t evt[4];
    uint8_t *load;
    uint32_t *rb;
    const uint32_t on = SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN;

    if ( !dma_env_setup(&env, 1) )
        return;
    e = &env.edu[0];
    b = xtf_alloc(PAGE, PAGE);
    s = xtf_alloc(PAGE, PAGE);
    load = xtf_alloc(PAGE, PAGE);
    rb = xtf_alloc(PAGE, PAGE);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);
    if ( !s1_pt_init(&pt, 12, 3) ||
         !s1_map(&pt, (uintptr_t)b, (uintptr_t)s, 3, S1_RW) ||
         !s1_map(&pt, LOAD_IOVA, (uintptr_t)load, 3, S1_READ) ||
         !s1_map(&pt, RB_IOVA, (uintptr_t)rb, 3, S1_RW) )
        return xtf_error("Error: tables\n");
    smmu_cd_write(cd, &pt, 1);

    /* After reset every STE is V=0: abort (no event: docs/design.md). */
    expect("STE V=0", DMA_NOWHERE);

    /* The device buffer gets the pattern through stage 1. */
    if ( !ste("Config S1", SMMU_STE_CONFIG_S1_TRANS) )
        return;
    pattern_fill(load, PAGE, SEED);
    if ( !edu_dma_from_mem(e, LOAD_IOVA, 0, PAGE) )
        return;
    expect("STE S1", IN_S);

    /* Bypass: stage 2 only. */
    if ( !ste("Config bypass", SMMU_STE_CONFIG_BYPASS) )
        return;
    expect("STE bypass", IN_B);

    /*
     * A read from a machine address that is no guest memory, read back
     * through stage 1: what the device buffer holds after it, zeros (a
     * refused read) or what it held before (the pattern), never fw_cfg's
     * bytes.
     */
    if ( !edu_dma_from_mem(e, FW_CFG_DATA, 0x800, 8) ||
         !ste("Config S1, to read the device buffer back",
              SMMU_STE_CONFIG_S1_TRANS) ||
         !edu_dma_to_mem(e, 0, RB_IOVA, PAGE) )
        return;
    printk("STE bypass, read from %#lx: %#x %#x\n", FW_CFG_DATA, rb[0x200],
           rb[0x201]);
    if ( pattern_check(rb, 0x800, SEED) != 0x800 )
        xtf_failure("Fail: the device buffer did not read back\n");
    else if ( rb[0x200] == FW_CFG_SIG )
        xtf_failure("Fail: STE bypass: a DMA read from IOVA %#lx returned "
                    "fw_cfg's signature: a physical bypass\n", FW_CFG_DATA);
    else if ( (rb[0x200] || rb[0x201]) &&
              pattern_check(rb, 0x808, SEED) != 0x808 )
        xtf_failure("Fail: STE bypass: a DMA read from IOVA %#lx, no guest "
                    "memory, returned %#x %#x\n", FW_CFG_DATA, rb[0x200],
                    rb[0x201]);
    /* Its stage-2 fault is Xen's: not the guest's (S6.1). */
    if ( smmu_evtq_wait(evt, 300000) )
        xtf_failure("Fail: a stage-2 fault reached the guest: %s\n",
                    smmu_event_name(MASK_EXTR(evt[0], SMMU_EVT0_ID)));
    /* The device buffer as it was. */
    if ( !edu_dma_from_mem(e, LOAD_IOVA, 0, PAGE) )
        return;

    if ( !ste("Config abort", SMMU_STE_CONFIG_ABORT) )
        return;
    expect("STE abort", DMA_NOWHERE);

    if ( !ste("Config S1", SMMU_STE_CONFIG_S1_TRANS) )
        return;
    expect("STE S1", IN_S);

    /* SMMUEN=0: GBPA decides. */
    if ( !gbpa_abort(true) )
        return;
    if ( !smmu_cr0(on) )
        return xtf_failure("Fail: CR0ACK did not follow SMMUEN=0\n");
    expect("SMMUEN=0, GBPA abort", DMA_NOWHERE);
    if ( !gbpa_abort(false) )
        return;
    expect("SMMUEN=0, GBPA bypass", IN_B);
    if ( !gbpa_abort(true) )
        return;
    expect("SMMUEN=0, GBPA abort again", DMA_NOWHERE);
    if ( !smmu_cr0(on | SMMU_CR0_SMMUEN) )
        return xtf_failure("Fail: CR0ACK did not follow SMMUEN=1\n");
    expect("SMMUEN=1 again, STE S1", IN_S);

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
