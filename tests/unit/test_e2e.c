/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * End to end through the software SMMUv3 model (tests/model/): Linux's
 * reset (S7.2) and attach/unmap/detach sequences (S7.3), with real stage-1
 * tables in emulated guest RAM, replayed through the vSMMU's MMIO entry
 * points; the model, as the physical SMMU, then translates device DMA.
 *
 * Machine addresses are guest physical + MACHINE_OFFSET (the domain's stage
 * 2), so a translation that skipped stage 2 would be caught.  The model
 * caches CDs and translations, so every invalidation is observable: a
 * mapping removed without one keeps translating (the TLB hits); after the
 * guest's invalidation and CMD_SYNC it faults.
 */
#include "harness.h"
#include "pgtable.h"
#include "smmu-model.h"

#define MACHINE_OFFSET  0x800000000ULL
#define VSID            8
#define PSID            0x42
#define ASID            3
#define IOVA            0x10000000ULL
#define BUF_IPA         (H_RAM_BASE + 0x20000)
#define BUF2_IPA        (H_RAM_BASE + 0xa0000)
#define POOL_IPA        (H_RAM_BASE + 0x800000)
#define POOL_SIZE       0x400000ULL
#define CD_IPA          H_CD_BASE

struct e2e {
    struct harness *h;
    struct guest g;
    struct smmu_model *m;
    struct smmu_model_domain *md;
    struct smmu_pgt *pgt;
    struct vsmmuv3_phys_ops ops;
};

static int read_pa(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct e2e *e = ctx;

    if ( pa < MACHINE_OFFSET )
        return -1;
    return access_guest_memory_by_gpa(e->h->d, pa - MACHINE_OFFSET, buf, len,
                                      false) ? -1 : 0;
}

static int write_ipa(void *ctx, uint64_t ipa, const void *buf, size_t len)
{
    struct e2e *e = ctx;

    emul_ram_write(e->h->d, ipa, buf, len);
    return 0;
}

static int read_ipa(void *ctx, uint64_t ipa, void *buf, size_t len)
{
    struct e2e *e = ctx;

    emul_ram_read(e->h->d, ipa, buf, len);
    return 0;
}

static void submit_sync(struct e2e *e, uint64_t c0, uint64_t c1)
{
    g_cmd(&e->g, c0, c1);
    g_cmd_sync(&e->g);
    g_publish(&e->g);
    /* Linux polls CONS until its CMD_SYNC is consumed (S7.5). */
    while ( h_read32(e->h, SMMU_CMDQ_CONS) != e->g.prod )
        assert_false(h_read32(e->h, SMMU_CMDQ_CONS) & SMMU_CMDQ_CONS_ERR);
}

/* S7.2: Linux's reset, then CFGI_ALL and TLBI_NSNH_ALL, then SMMUEN. */
static void linux_reset(struct e2e *e)
{
    g_reset(&e->g, e->h, 8, 8, 8, false);
    submit_sync(e, cmd_op(SMMU_OP_CFGI_STE_RANGE), SMMU_CFGI_RANGE_ALL);
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    h_write32(e->h, SMMU_CR0, 0xd);
    assert_int_equal(h_read32(e->h, SMMU_CR0ACK), 0xd);
}

/* S7.3: CD written in two steps, each followed by CFGI_CD + CMD_SYNC. */
static void write_cd(struct e2e *e, struct smmu_pgt *p, uint16_t asid)
{
    struct smmu_cd_params prm;
    uint64_t cd[SMMU_CD_DWORDS];

    smmu_pgt_cd_params(p, asid, &prm);
    smmu_build_cd(cd, &prm);
    emul_ram_write(e->h->d, CD_IPA + 8, &cd[1], 7 * 8);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    emul_ram_write64(e->h->d, CD_IPA, cd[0]);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
}

/* S7.3: STE abort -> S1 in two steps, each CFGI_STE + CMD_SYNC. */
static void attach(struct e2e *e)
{
    uint64_t ste[SMMU_STE_DWORDS];
    paddr_t ste_ipa = H_STRTAB_BASE + VSID * SMMU_STE_SIZE;

    write_cd(e, e->pgt, ASID);
    smmu_build_ste_s1(ste, CD_IPA);
    emul_ram_write64(e->h->d, ste_ipa + 8, ste[1]);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    emul_ram_write64(e->h->d, ste_ipa, ste[0]);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    g_cmd(&e->g, cmd_sid(SMMU_OP_PREFETCH_CONFIG, VSID), 0);
    g_publish(&e->g);
}

static struct e2e *e2e_create(bool ril)
{
    struct e2e *e = calloc(1, sizeof(*e));
    struct smmu_model_config mc = {
        .read_pa = read_pa, .mem_ctx = e, .ril = ril,
    };
    struct smmu_pgt_config pc = {
        .granule = 4096, .ias = 48, .pool_base = POOL_IPA,
        .pool_size = POOL_SIZE, .write_ipa = write_ipa, .read_ipa = read_ipa,
        .ctx = e,
    };
    struct vsmmuv3_backend be = { 0 };
    struct vsmmuv3_params p;

    e->ops = (struct vsmmuv3_phys_ops)SMMU_MODEL_PHYS_OPS;
    e->m = smmu_model_create(&mc);
    e->md = smmu_model_domain_create(e->m, 0x33);
    assert_non_null(e->md);
    assert_int_equal(smmu_model_s2_map(e->md, H_RAM_BASE,
                                       H_RAM_BASE + MACHINE_OFFSET,
                                       H_RAM_SIZE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(e->md, PSID), 0);
    be.phys_id = FAKE_PHYS(e->m);
    be.ops = &e->ops;
    be.priv = e->md;
    be.vmid = smmu_model_domain_vmid(e->md);
    smmu_model_read_caps(e->m, be.caps.idr, &be.caps.iidr, &be.caps.aidr);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    e->h = harness_create(&p);
    assert_int_equal(vsmmuv3_add_stream(e->h->vs, VSID, 0, PSID), 0);
    e->pgt = smmu_pgt_create(&pc);
    assert_non_null(e->pgt);
    linux_reset(e);
    return e;
}

static void e2e_destroy(struct e2e *e)
{
    g_drain(e->h);
    harness_destroy(e->h);
    smmu_pgt_destroy(e->pgt);
    smmu_model_domain_destroy(e->md);
    smmu_model_destroy(e->m);
    free(e);
}

static int setup(void **state)
{
    *state = e2e_create(true);
    return 0;
}

static int setup_no_ril(void **state)
{
    *state = e2e_create(false);
    return 0;
}

static int teardown(void **state)
{
    e2e_destroy(*state);
    return 0;
}

/* DMA of 4 bytes at @iova; returns the model's status, PA in @pa. */
static int dma(struct e2e *e, uint64_t iova, uint64_t *pa, uint64_t evt[4])
{
    uint64_t dummy[4];

    return smmu_model_dma(e->m, PSID, iova, SMMU_MODEL_ACCESS_READ, 4, pa,
                          evt ? evt : dummy);
}

static void expect_pa(struct e2e *e, uint64_t iova, uint64_t ipa)
{
    uint64_t pa = 0;

    assert_int_equal(dma(e, iova, &pa, NULL), SMMU_MODEL_DMA_OK);
    assert_int_equal(pa, ipa + MACHINE_OFFSET);
}

static void expect_translation_fault(struct e2e *e, uint64_t iova)
{
    uint64_t pa, evt[4];

    assert_int_equal(dma(e, iova, &pa, evt), SMMU_MODEL_DMA_FAULT);
    assert_int_equal(MASK_EXTR(evt[0], SMMU_EVT0_ID),
                     SMMU_EVT_F_TRANSLATION);
    assert_int_equal(MASK_EXTR(evt[0], SMMU_EVT0_SID), PSID);
    assert_false(evt[1] & SMMU_EVT1_S2);
}

/* S7.3: after Linux's attach, DMA translates IOVA -> machine address. */
static void test_attach_translates(void **state)
{
    struct e2e *e = *state;
    unsigned int i;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 16 * 0x1000,
                                  SMMU_PGT_WRITE), 0);
    attach(e);
    for ( i = 0; i < 16; i++ )
        expect_pa(e, IOVA + i * 0x1000 + 0x123, BUF_IPA + i * 0x1000 + 0x123);
    /* Unmapped IOVA: a stage-1 fault. */
    expect_translation_fault(e, IOVA + 16 * 0x1000);
    /* The physical STE was installed nested, with the domain's VMID. */
    assert_int_equal(smmu_model_stats(e->m)->installs_nested, 1);
    assert_int_equal(smmu_model_stats(e->m)->vmid_mismatches, 0);
    assert_int_equal(smmu_model_stats(e->m)->errors, 0);
}

/* S7.3 unmap: stale until TLBI_NH_VA + CMD_SYNC, then a fault. */
static void test_unmap_tlbi_nh_va(void **state)
{
    struct e2e *e = *state;
    unsigned long hits;
    uint64_t c[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 0x2000,
                                  SMMU_PGT_WRITE | SMMU_PGT_PAGES), 0);
    attach(e);
    expect_pa(e, IOVA, BUF_IPA);
    expect_pa(e, IOVA + 0x1000, BUF_IPA + 0x1000);
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, 0x1000), 0);
    /* No invalidation yet: the model's TLB still hits (it caches). */
    hits = smmu_model_stats(e->m)->tlb_hits;
    expect_pa(e, IOVA, BUF_IPA);
    assert_int_equal(smmu_model_stats(e->m)->tlb_hits, hits + 1);
    /* A TLBI without CMD_SYNC need not be complete yet... */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID, IOVA, true, 0, 0, 0, 0);
    g_cmd(&e->g, c[0], c[1]);
    g_publish(&e->g);
    expect_pa(e, IOVA, BUF_IPA);
    /* ...the CMD_SYNC completes it. */
    cmd_sync(c);
    submit_sync(e, c[0], c[1]);
    expect_translation_fault(e, IOVA);
    /* Only that page: the next one still translates, from the TLB. */
    hits = smmu_model_stats(e->m)->tlb_hits;
    expect_pa(e, IOVA + 0x1000, BUF_IPA + 0x1000);
    assert_int_equal(smmu_model_stats(e->m)->tlb_hits, hits + 1);
}

/* TLBI_NH_ASID + CMD_SYNC removes the whole address space. */
static void test_unmap_tlbi_nh_asid(void **state)
{
    struct e2e *e = *state;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 0x4000,
                                  SMMU_PGT_WRITE), 0);
    attach(e);
    expect_pa(e, IOVA + 0x3000, BUF_IPA + 0x3000);
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, 0x4000), 0);
    expect_pa(e, IOVA + 0x3000, BUF_IPA + 0x3000);
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   MASK_INSR(ASID, SMMU_CMD0_TLBI_ASID), 0);
    expect_translation_fault(e, IOVA + 0x3000);
    /* Another ASID's TLBI would not have done it. */
    assert_int_equal(smmu_model_stats(e->m)->vmid_mismatches, 0);
}

/* Map 65 pages, cache them all, unmap the first 64. */
static void cache_then_unmap_64(struct e2e *e)
{
    unsigned int i;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 65 * 0x1000,
                                  SMMU_PGT_WRITE | SMMU_PGT_PAGES), 0);
    attach(e);
    for ( i = 0; i < 65; i++ )
        expect_pa(e, IOVA + i * 0x1000, BUF_IPA + i * 0x1000);
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, 64 * 0x1000), 0);
    for ( i = 0; i < 64; i++ )
        expect_pa(e, IOVA + i * 0x1000, BUF_IPA + i * 0x1000);
}

/* S7.3 with RIL: one TLBI_NH_VA {NUM=0, SCALE=6, TG=4K, TTL=3}. */
static void test_unmap_range_tlbi(void **state)
{
    struct e2e *e = *state;
    unsigned long syncs;
    unsigned int i;
    uint64_t c[2];

    cache_then_unmap_64(e);
    syncs = smmu_model_stats(e->m)->syncs;
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID, IOVA, true, 1, 3, 0, 6);
    submit_sync(e, c[0], c[1]);
    for ( i = 0; i < 64; i++ )
        expect_translation_fault(e, IOVA + i * 0x1000);
    /* The 65th page is outside the range: still cached, still good. */
    expect_pa(e, IOVA + 64 * 0x1000, BUF_IPA + 64 * 0x1000);
    assert_int_equal(smmu_model_stats(e->m)->syncs, syncs + 1);
    assert_int_equal(smmu_model_stats(e->m)->cmds[SMMU_OP_TLBI_NH_VA], 1);
    assert_int_equal(smmu_model_stats(e->m)->errors, 0);
}

/* The same range on a physical SMMU without RIL: split by the relay. */
static void test_unmap_range_tlbi_no_ril(void **state)
{
    struct e2e *e = *state;
    unsigned int i;
    uint64_t c[2];

    /* The vSMMU still advertises RIL (S3.1). */
    assert_true(h_read32(e->h, SMMU_IDR3) & SMMU_IDR3_RIL);
    cache_then_unmap_64(e);
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID, IOVA, true, 1, 3, 1, 4);
    submit_sync(e, c[0], c[1]);                 /* 2 x 16 pages: split */
    cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID, IOVA + 32 * 0x1000, true, 1, 3,
                0, 5);
    submit_sync(e, c[0], c[1]);                 /* 32 pages: split */
    for ( i = 0; i < 64; i++ )
        expect_translation_fault(e, IOVA + i * 0x1000);
    expect_pa(e, IOVA + 64 * 0x1000, BUF_IPA + 64 * 0x1000);
    assert_int_equal(smmu_model_stats(e->m)->errors, 0);
}

/* S7.3 unmap burst without RIL: 64 x TLBI_NH_VA + CMD_SYNC. */
static void test_unmap_burst_one_sync(void **state)
{
    struct e2e *e = *state;
    struct smmu_model_stats before;
    const struct smmu_model_stats *after;
    unsigned int i;
    uint64_t c[2];

    cache_then_unmap_64(e);
    before = *smmu_model_stats(e->m);
    for ( i = 0; i < 64; i++ )
    {
        cmd_tlbi_va(c, SMMU_OP_TLBI_NH_VA, ASID, IOVA + i * 0x1000, true,
                    0, 0, 0, 0);
        g_cmd(&e->g, c[0], c[1]);
    }
    cmd_sync(c);
    submit_sync(e, c[0], c[1]);
    for ( i = 0; i < 64; i++ )
        expect_translation_fault(e, IOVA + i * 0x1000);
    /* 64 scoped invalidations, nothing wider, one physical sync. */
    after = smmu_model_stats(e->m);
    assert_int_equal(after->syncs - before.syncs, 1);
    assert_int_equal(after->cmds_total - before.cmds_total, 64);
    assert_int_equal(after->cmds[SMMU_OP_TLBI_NH_VA] -
                     before.cmds[SMMU_OP_TLBI_NH_VA], 64);
}

/*
 * Attach with tables mapping IOVA to BUF_IPA and translate once (so the CD
 * is cached), then rewrite the CD in place with new tables that map it to
 * BUF2_IPA.  Returns the new tables.
 */
static struct smmu_pgt *attach_then_rewrite_cd(struct e2e *e)
{
    struct smmu_pgt_config pc = {
        .granule = 4096, .ias = 48, .pool_base = POOL_IPA + POOL_SIZE,
        .pool_size = POOL_SIZE, .write_ipa = write_ipa, .read_ipa = read_ipa,
        .ctx = e,
    };
    struct smmu_pgt *p2 = smmu_pgt_create(&pc);
    struct smmu_cd_params prm;
    uint64_t cd[SMMU_CD_DWORDS];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 0x1000,
                                  SMMU_PGT_WRITE), 0);
    assert_int_equal(smmu_pgt_map(p2, IOVA, BUF2_IPA, 0x1000,
                                  SMMU_PGT_WRITE), 0);
    attach(e);
    expect_pa(e, IOVA, BUF_IPA);
    smmu_pgt_cd_params(p2, ASID, &prm);
    smmu_build_cd(cd, &prm);
    emul_ram_write(e->h->d, CD_IPA, cd, sizeof(cd));
    return p2;
}

/* S7.3: a CD change takes effect at CFGI_CD, not before (CD caching). */
static void test_cfgi_cd_after_cd_change(void **state)
{
    struct e2e *e = *state;
    struct smmu_pgt *p2 = attach_then_rewrite_cd(e);

    /* New tables in the CD and the TLB flushed, but no CFGI_CD yet. */
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   MASK_INSR(ASID, SMMU_CMD0_TLBI_ASID), 0);
    expect_pa(e, IOVA, BUF_IPA);                /* walked with the old CD */
    /*
     * CFGI_CD drops the cached CD (CDs and TLB entries are separate
     * caches: the walk just made must go too, as Linux does with the
     * ASID's TLBI after a CD change).
     */
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   MASK_INSR(ASID, SMMU_CMD0_TLBI_ASID), 0);
    expect_pa(e, IOVA, BUF2_IPA);
    smmu_pgt_destroy(p2);
}

/*
 * S4.6, IHI 0070 4.3.1, 4.3.2: CFGI_STE invalidates the STE and every CD
 * cached for the StreamID, CFGI_ALL those of every StreamID.  A guest that
 * rewrites its CD in place (same STE) and invalidates it with CFGI_STE or
 * CFGI_ALL instead of CFGI_CD must see the new CD on the physical SMMU.
 */
static void cd_rewrite_then(struct e2e *e, uint64_t c0, uint64_t c1)
{
    struct smmu_pgt *p2 = attach_then_rewrite_cd(e);

    submit_sync(e, c0, c1);
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   MASK_INSR(ASID, SMMU_CMD0_TLBI_ASID), 0);
    expect_pa(e, IOVA, BUF2_IPA);
    smmu_pgt_destroy(p2);
}

static void test_cfgi_ste_drops_cached_cd(void **state)
{
    cd_rewrite_then(*state, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
}

static void test_cfgi_all_drops_cached_cd(void **state)
{
    cd_rewrite_then(*state, cmd_op(SMMU_OP_CFGI_STE_RANGE),
                    SMMU_CFGI_RANGE_ALL);
}

/* S5.2, S7.3: abort and bypass STE transitions; bypass is stage 2 only. */
static void test_ste_abort_bypass_transitions(void **state)
{
    struct e2e *e = *state;
    paddr_t ste_ipa = H_STRTAB_BASE + VSID * SMMU_STE_SIZE;
    uint64_t pa, evt[4];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 0x1000,
                                  SMMU_PGT_WRITE), 0);
    attach(e);
    expect_pa(e, IOVA, BUF_IPA);
    /* Abort: transactions are terminated. */
    emul_ram_write64(e->h->d, ste_ipa, SMMU_STE0_V);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    assert_int_equal(dma(e, IOVA, &pa, evt), SMMU_MODEL_DMA_ABORTED);
    /* Bypass: the IOVA is an IPA, through the domain's stage 2 only. */
    emul_ram_write64(e->h->d, ste_ipa, SMMU_STE0_V |
                     MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG));
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    expect_pa(e, BUF2_IPA + 0x10, BUF2_IPA + 0x10);
    /* Never physical bypass: outside the domain's RAM is a stage-2 fault. */
    assert_int_equal(dma(e, 0x1000, &pa, evt), SMMU_MODEL_DMA_FAULT);
    assert_true(evt[1] & SMMU_EVT1_S2);
    /* And back to stage 1. */
    attach(e);
    expect_pa(e, IOVA, BUF_IPA);
}

/* S7.3 detach: STE to abort, CD cleared, ASID freed; DMA aborts. */
static void test_linux_detach(void **state)
{
    struct e2e *e = *state;
    paddr_t ste_ipa = H_STRTAB_BASE + VSID * SMMU_STE_SIZE;
    uint64_t pa, zero[SMMU_CD_DWORDS] = { 0 };

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, BUF_IPA, 0x1000,
                                  SMMU_PGT_WRITE), 0);
    attach(e);
    expect_pa(e, IOVA, BUF_IPA);
    emul_ram_write64(e->h->d, ste_ipa, SMMU_STE0_V);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    emul_ram_write64(e->h->d, ste_ipa + 8, 0);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_STE, VSID), SMMU_CMD1_LEAF);
    g_cmd(&e->g, cmd_sid(SMMU_OP_PREFETCH_CONFIG, VSID), 0);
    emul_ram_write64(e->h->d, CD_IPA, 0);
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    emul_ram_write(e->h->d, CD_IPA, zero, sizeof(zero));
    submit_sync(e, cmd_sid(SMMU_OP_CFGI_CD, VSID), SMMU_CMD1_LEAF);
    submit_sync(e, cmd_op(SMMU_OP_TLBI_NH_ASID) |
                   MASK_INSR(ASID, SMMU_CMD0_TLBI_ASID), 0);
    assert_int_equal(dma(e, IOVA, &pa, NULL), SMMU_MODEL_DMA_ABORTED);
    assert_int_equal(smmu_model_stats(e->m)->errors, 0);
}

/*
 * S8.4: two domains with vSMMUs on one physical SMMU.  A guest's
 * TLBI_NSNH_ALL ("everything") reaches only its own VMID: the other
 * domain's cached translations survive it.
 */
static void test_two_domains_isolated(void **state)
{
    struct e2e *a = *state;
    struct vsmmuv3_backend be = { 0 };
    struct smmu_model_domain *mdb = smmu_model_domain_create(a->m, 0x44);
    struct vsmmuv3_params p;
    struct domain *db;
    struct vsmmuv3 *vsb;
    struct guest gb;
    struct harness hb;
    unsigned long hits;
    uint64_t pa, evt[4];

    /* Domain B shares machine memory layout only through its stage 2. */
    assert_int_equal(smmu_model_s2_map(mdb, H_RAM_BASE,
                                       H_RAM_BASE + MACHINE_OFFSET,
                                       H_RAM_SIZE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(mdb, PSID + 1), 0);
    be.phys_id = FAKE_PHYS(a->m);
    be.ops = &a->ops;
    be.priv = mdb;
    be.vmid = 0x44;
    smmu_model_read_caps(a->m, be.caps.idr, &be.caps.iidr, &be.caps.aidr);
    harness_default_params(&p);
    p.nr_backends = 1;
    p.backends = &be;
    db = emul_domain_create(2, 1, H_NR_SPIS);
    assert_int_equal(vsmmuv3_domain_init(db, &p, &vsb), 0);
    assert_int_equal(vsmmuv3_add_stream(vsb, VSID, 0, PSID + 1), 0);
    /* B uses A's RAM through its stage 2; its own guest RAM is unused. */
    assert_int_equal(emul_ram_add(db, H_RAM_BASE, H_RAM_SIZE), 0);
    hb = (struct harness){ .d = db, .v = db->vcpu[0], .vs = vsb };
    harness_attach_vcpu_work(&hb);
    g_reset(&gb, &hb, 8, 8, 8, true);

    /* A translates, and so does B (bypass: stage 2 only). */
    assert_int_equal(smmu_pgt_map(a->pgt, IOVA, BUF_IPA, 0x1000,
                                  SMMU_PGT_WRITE), 0);
    attach(a);
    expect_pa(a, IOVA, BUF_IPA);
    g_write_ste(&gb, VSID, SMMU_STE0_V |
                MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG), 0);
    g_cmd(&gb, cmd_sid(SMMU_OP_CFGI_STE, VSID), 0);
    g_cmd_sync(&gb);
    g_publish(&gb);
    assert_int_equal(smmu_model_dma(a->m, PSID + 1, BUF_IPA,
                                    SMMU_MODEL_ACCESS_READ, 4, &pa, evt),
                     SMMU_MODEL_DMA_OK);
    assert_int_equal(pa, BUF_IPA + MACHINE_OFFSET);

    /* B flushes "everything": A's entry is still cached afterwards. */
    g_cmd(&gb, cmd_op(SMMU_OP_TLBI_NSNH_ALL), 0);
    g_cmd_sync(&gb);
    g_publish(&gb);
    hits = smmu_model_stats(a->m)->tlb_hits;
    expect_pa(a, IOVA, BUF_IPA);
    assert_int_equal(smmu_model_stats(a->m)->tlb_hits, hits + 1);
    assert_int_equal(smmu_model_stats(a->m)->vmid_mismatches, 0);
    assert_int_equal(smmu_model_stats(a->m)->foreign_sids, 0);

    vsmmuv3_domain_free(vsb);
    emul_domain_destroy(db);
    smmu_model_domain_destroy(mdb);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_attach_translates),
        T(test_unmap_tlbi_nh_va),
        T(test_unmap_tlbi_nh_asid),
        T(test_unmap_range_tlbi),
        cmocka_unit_test_setup_teardown(test_unmap_range_tlbi_no_ril,
                                        setup_no_ril, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_burst_one_sync,
                                        setup_no_ril, teardown),
        T(test_cfgi_cd_after_cd_change),
        T(test_cfgi_ste_drops_cached_cd),
        T(test_cfgi_all_drops_cached_cd),
        T(test_ste_abort_bypass_transitions),
        T(test_linux_detach),
        T(test_two_domains_isolated),
    };

    return cmocka_run_group_tests_name("end to end (model)", tests, NULL,
                                       NULL);
}
