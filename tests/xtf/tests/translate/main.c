/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * @file tests/translate/main.c
 * @ref test-translate
 *
 * @page test-translate DMA through the guest's own stage 1, nested
 *
 * The guest owns an edu device behind its vSMMU, which Xen nests on the
 * physical SMMUv3 (QEMU 10): the guest's CD and stage-1 tables in guest
 * RAM, walked by the physical SMMU through Xen's stage 2 (S5.4, S8.10).
 * For 4 KiB and 64 KiB granules, 2 and 3 levels, and a 2 MiB block, the
 * test builds its own tables, points a CD at them and an STE at the CD
 * (CFGI_STE, S5.2/S5.3), and has edu copy from memory into its buffer and
 * back: the bytes must come from exactly where stage 1 maps the source
 * IOVA and land exactly where it maps the destination, at the same offset
 * within the page or block, nothing around them touched.  Where the input
 * size allows, the destination IOVA is the guest-physical address of
 * another buffer, which must stay untouched: an IOVA used as a guest
 * physical address (stage 1 ignored) lands there.  The edu's completion
 * interrupt (INTx, routed by Xen) arrives once.  No event, no global
 * error.
 */
#include <xtf.h>
#include <xtf/dmaenv.h>
#include <xtf/s1pt.h>
#include <xtf/smmu.h>

const char test_title[] = "vSMMUv3 nested stage 1: DMA lands where the "
                          "guest's tables say";

static struct dma_env env;

struct config {
    const char *name;
    unsigned int gshift, levels, leaf;
};

static const struct config configs[] = {
    { "4 KiB granule, 2 levels",  12, 2, 3 },
    { "4 KiB granule, 3 levels",  12, 3, 3 },
    { "64 KiB granule, 2 levels", 16, 2, 3 },
    { "64 KiB granule, 3 levels", 16, 3, 3 },
    { "4 KiB granule, 3 levels, 2 MiB block", 12, 3, 2 },
};

static bool run(const struct config *c, unsigned int n, bool irq)
{
    const struct edu *e = &env.edu[0];
    struct s1_pt pt;
    uint64_t *cd;
    uint64_t size, iova_src, iova_dst, src_off, dst_off, len;
    uint8_t *src, *dst, *wrong;
    uint32_t seed = 0x5eed0000 + n;
    size_t i;

    if ( !s1_pt_init(&pt, c->gshift, c->levels) )
        return xtf_error("Error: %s: no such tables\n", c->name), false;
    size = s1_level_size(&pt, c->leaf);

    src = xtf_alloc(size, size);
    dst = xtf_alloc(size, size);
    wrong = xtf_alloc(size, size);
    cd = xtf_alloc(SMMU_CD_SIZE, SMMU_CD_SIZE);

    /*
     * Source: high in the input range, with an index at every level;
     * destination: the guest-physical address of "wrong" if the input
     * size reaches it, else low.  Offsets within the page or block that
     * only the IOVA carries.
     */
    iova_src = ((1ULL << (pt.ias - 1)) | (5ULL << (pt.ias - 5)) |
                (3ULL * size)) & ~(size - 1);
    iova_dst = (uintptr_t)wrong < (1ULL << pt.ias) ? (uintptr_t)wrong
                                                   : 7 * size;
    src_off = size / 2 + 0x140;
    dst_off = size / 4 + 0x280;
    len = MIN(size - MAX(src_off, dst_off), (uint64_t)EDU_BUF_SIZE);

    memset(src, 0x5a, size);
    pattern_fill(src + src_off, len, seed);
    memset(dst, 0, size);
    memset(wrong, 0, size);

    if ( !s1_map(&pt, iova_src, (uintptr_t)src, c->leaf, S1_READ) ||
         !s1_map(&pt, iova_dst, (uintptr_t)dst, c->leaf, S1_RW) )
        return xtf_error("Error: %s: mapping failed\n", c->name), false;
    smmu_cd_write(cd, &pt, 1 + n);
    smmu_ste_s1(e->sid, cd);
    if ( !smmu_cmd1(cmd_cfgi_ste(e->sid), "CFGI_STE") )
        return false;

    printk("%s: T0SZ %u, %u tables, IOVA %#lx -> %#lx, IOVA %#lx -> %#lx, "
           "%lu bytes\n", c->name, 64 - pt.ias, pt.tables,
           (unsigned long)(iova_src + src_off),
           (unsigned long)((uintptr_t)src + src_off),
           (unsigned long)(iova_dst + dst_off),
           (unsigned long)((uintptr_t)dst + dst_off), (unsigned long)len);

    if ( !edu_dma_from_mem(e, iova_src + src_off, 0, len) )
        return false;
    if ( irq )
    {
        gic_clear_counts();
        gic_enable_spi(e->intid);
        edu_dma_to_mem_start(e, 0, iova_dst + dst_off, len, EDU_DMA_IRQ);
        if ( !edu_dma_wait(e, EDU_DMA_TIMEOUT_US) )
            return xtf_failure("Fail: %s: DMA did not end\n", c->name), false;
        if ( !(edu_read32(e, EDU_REG_IRQ_STATUS) & EDU_IRQ_DMA) )
            xtf_failure("Fail: edu's DMA interrupt status not set\n");
        /* A level-sensitive line: quieten the device, then complete. */
        if ( !gic_wait_iar(e->intid, 500000) )
            xtf_failure("Fail: edu's INTx (INTID %u) not signalled\n",
                        e->intid);
        else
        {
            edu_write32(e, EDU_REG_IRQ_ACK, EDU_IRQ_DMA);
            dsb(sy);
            gic_eoi(e->intid);
            if ( gic_wait_irq(e->intid, 50000) )
                xtf_failure("Fail: edu's INTx signalled again after the "
                            "device lowered it (%u times)\n",
                            gic_count(e->intid));
        }
        gic_disable_spi(e->intid);
    }
    else if ( !edu_dma_to_mem(e, 0, iova_dst + dst_off, len) )
        return false;

    i = pattern_check(dst + dst_off, len, seed);
    if ( i != len )
        return xtf_failure("Fail: %s: byte %lu at the destination is %#x, "
                           "not the source's\n", c->name, (unsigned long)i,
                           dst[dst_off + i]), false;
    if ( bytes_check(dst, dst_off, 0) != dst_off ||
         bytes_check(dst + dst_off + len, size - dst_off - len, 0) !=
         size - dst_off - len )
        return xtf_failure("Fail: %s: bytes around the destination "
                           "changed\n", c->name), false;
    if ( bytes_check(wrong, size, 0) != size )
        return xtf_failure("Fail: %s: the buffer at guest-physical %#lx "
                           "(= the destination IOVA) was written: stage 1 "
                           "ignored\n", c->name,
                           (unsigned long)(uintptr_t)wrong), false;
    if ( pattern_check(src + src_off, len, seed) != len ||
         bytes_check(src, src_off, 0x5a) != src_off )
        return xtf_failure("Fail: %s: the source changed\n", c->name), false;

    return true;
}

void test_main(void)
{
    uint64_t evt[4];
    unsigned int i;

    if ( !dma_env_setup(&env, 1) )
        return;

    for ( i = 0; i < ARRAY_SIZE(configs); i++ )
    {
        if ( !(env.idr[5] & (configs[i].gshift == 12 ? SMMU_IDR5_GRAN4K
                                                     : SMMU_IDR5_GRAN64K)) )
        {
            xtf_failure("Fail: %s: granule not advertised (IDR5 %#x)\n",
                        configs[i].name, env.idr[5]);
            continue;
        }
        if ( !run(&configs[i], i, i == 0) )
            break;
    }

    if ( smmu_evtq_pop(evt) )
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
