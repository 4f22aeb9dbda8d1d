/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the software SMMUv3 model itself: translations for each
 * granule, stage 2 under every stage-1 fetch, faults and their event
 * records, the caches and each invalidation's exact scope, the ops table's
 * refusals and its counters.  Section numbers are IHI 0070's.
 *
 * Layout of every test: the guest's tables and CDs live in a 4 MiB IPA
 * pool whose stage-2 pages are mapped to machine pages in reverse order,
 * and machine RAM also exists at the pool's IPA (zeroed), so a model that
 * skipped stage 2 for a table, or translated only a table's base, would
 * read the wrong bytes.  Data IPAs are mapped by stage 2 at DATA_PA.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "machine-mem.h"
#include "pgtable.h"
#include "smmu-model.h"
/* struct vsmmuv3_phys_ops, extracted from vsmmu-v3.h by mk/model.mk. */
#include "vsmmuv3-phys-ops.h"

static const struct vsmmuv3_phys_ops model_ops = SMMU_MODEL_PHYS_OPS;

#define POOL_IPA        0x40000000ULL
#define POOL_SIZE       0x400000ULL
#define POOL_PA         0x900000000ULL
#define DATA_IPA        0x80000000ULL
#define DATA_SIZE       0x40000000ULL           /* no RAM behind it */
#define DATA_PA         0xa00000000ULL
#define PSID            0x42U
#define VMID            7U
#define ASID            5U
#define IOVA            0x10000000ULL

#define RD              SMMU_MODEL_ACCESS_READ
#define WR              SMMU_MODEL_ACCESS_WRITE
#define PRIV            SMMU_MODEL_ACCESS_PRIV

struct env {
    struct machine_mem *mem;
    struct smmu_model *m;
    struct smmu_model_domain *dom;
    struct guest_view gv;
    struct smmu_pgt *pgt;
    uint64_t cd_ipa;
    uint64_t cd[SMMU_CD_DWORDS];
    unsigned int granule;
    unsigned int ias;
    uint64_t evt[4];            /* of the last do_dma() */
    unsigned int handler_calls;
    uint64_t handler_evt[4];
};

static void on_event(void *ctx, const uint64_t evt[4])
{
    struct env *e = ctx;

    e->handler_calls++;
    memcpy(e->handler_evt, evt, sizeof(e->handler_evt));
}

static void write_cd(struct env *e)
{
    assert_int_equal(smmu_pgt_write_words(e->pgt, e->cd_ipa, e->cd,
                                          SMMU_CD_DWORDS), 0);
}

/* The STE words the relay would hand to install_nested. */
static void nested_ste(uint64_t cd_ipa, uint64_t words[2])
{
    uint64_t ste[SMMU_STE_DWORDS];

    smmu_build_ste_s1(ste, cd_ipa);
    words[0] = ste[0] & SMMU_STE0_GUEST_MASK;
    words[1] = ste[1] & SMMU_STE1_GUEST_MASK;
}

static int env_setup_stall(void **state, unsigned int granule,
                           unsigned int ias, bool ril,
                           unsigned int tlb_entries,
                           enum smmu_model_stall stall)
{
    struct env *e = calloc(1, sizeof(*e));
    struct smmu_model_config mc = {
        .ril = ril, .tlb_entries = tlb_entries, .stall = stall,
    };
    struct smmu_cd_params prm;
    uint64_t words[2];

    assert_non_null(e);
    e->granule = granule;
    e->ias = ias;
    e->mem = machine_mem_create();
    assert_int_equal(machine_mem_add(e->mem, POOL_PA, POOL_SIZE), 0);
    /* Decoy RAM where the pool would be without stage 2. */
    assert_int_equal(machine_mem_add(e->mem, POOL_IPA, POOL_SIZE), 0);
    mc.read_pa = machine_mem_read;
    mc.mem_ctx = e->mem;
    e->m = smmu_model_create(&mc);
    assert_non_null(e->m);
    smmu_model_set_event_handler(e->m, on_event, e);
    e->dom = smmu_model_domain_create(e->m, VMID);
    for (uint64_t i = 0; i < POOL_SIZE / SMMU_MODEL_S2_PAGE; i++)
        assert_int_equal(smmu_model_s2_map(e->dom,
                             POOL_IPA + i * SMMU_MODEL_S2_PAGE,
                             POOL_PA + POOL_SIZE - (i + 1) * SMMU_MODEL_S2_PAGE,
                             SMMU_MODEL_S2_PAGE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_s2_map(e->dom, DATA_IPA, DATA_PA, DATA_SIZE,
                                       SMMU_MODEL_S2_RW), 0);
    e->gv.mem = e->mem;
    e->gv.dom = e->dom;
    e->pgt = smmu_pgt_create(&(struct smmu_pgt_config){
        .granule = granule, .ias = ias,
        .pool_base = POOL_IPA, .pool_size = POOL_SIZE,
        .write_ipa = guest_view_write, .read_ipa = guest_view_read,
        .ctx = &e->gv,
    });
    assert_non_null(e->pgt);
    e->cd_ipa = smmu_pgt_alloc(e->pgt, SMMU_CD_SIZE, SMMU_CD_SIZE);
    assert_true(e->cd_ipa != 0);
    smmu_pgt_cd_params(e->pgt, ASID, &prm);
    smmu_build_cd(e->cd, &prm);
    write_cd(e);
    assert_int_equal(smmu_model_assign_stream(e->dom, PSID), 0);
    nested_ste(e->cd_ipa, words);
    /* Nothing translates while every fault would stall. */
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words),
                     stall == SMMU_MODEL_STALL_FORCED ? -EINVAL : 0);
    *state = e;
    return 0;
}

static int env_setup(void **state, unsigned int granule, unsigned int ias,
                     bool ril, unsigned int tlb_entries)
{
    return env_setup_stall(state, granule, ias, ril, tlb_entries,
                           SMMU_MODEL_STALL_TERM_ONLY);
}

static int setup_4k(void **state)
{
    return env_setup(state, 0x1000, 48, true, 0);
}

static int setup_16k(void **state)
{
    return env_setup(state, 0x4000, 48, true, 0);
}

static int setup_64k(void **state)
{
    return env_setup(state, 0x10000, 48, true, 0);
}

static int setup_4k_noril(void **state)
{
    return env_setup(state, 0x1000, 48, false, 0);
}

static int setup_4k_39(void **state)
{
    return env_setup(state, 0x1000, 39, true, 0);
}

static int setup_small_tlb(void **state)
{
    return env_setup(state, 0x1000, 48, true, 4);
}

static int setup_stall_optional(void **state)
{
    return env_setup_stall(state, 0x1000, 48, true, 0,
                           SMMU_MODEL_STALL_OPTIONAL);
}

static int setup_stall_forced(void **state)
{
    return env_setup_stall(state, 0x1000, 48, true, 0,
                           SMMU_MODEL_STALL_FORCED);
}

static int teardown(void **state)
{
    struct env *e = *state;

    smmu_pgt_destroy(e->pgt);
    smmu_model_domain_destroy(e->dom);
    smmu_model_destroy(e->m);
    machine_mem_destroy(e->mem);
    free(e);
    return 0;
}

static int do_dma_sid(struct env *e, uint32_t psid, uint64_t iova,
                      unsigned int access, uint64_t *pa)
{
    return smmu_model_dma(e->m, psid, iova, access, 4, pa, e->evt);
}

static int do_dma(struct env *e, uint64_t iova, unsigned int access,
                  uint64_t *pa)
{
    return do_dma_sid(e, PSID, iova, access, pa);
}

/* Translate @iova for reading and expect @pa. */
static void expect_pa(struct env *e, uint64_t iova, uint64_t pa)
{
    uint64_t got = 0;

    assert_int_equal(do_dma(e, iova, RD, &got), SMMU_MODEL_DMA_OK);
    assert_int_equal(got, pa);
}

static void expect_event(struct env *e, uint64_t iova, unsigned int access,
                         unsigned int id, bool s2)
{
    assert_int_equal(do_dma(e, iova, access, NULL), SMMU_MODEL_DMA_FAULT);
    assert_int_equal(MASK_EXTR(e->evt[0], SMMU_EVT0_ID), id);
    assert_int_equal(MASK_EXTR(e->evt[0], SMMU_EVT0_SID), PSID);
    assert_int_equal(!!(e->evt[1] & SMMU_EVT1_S2), s2);
}

static uint64_t data_pa(uint64_t ipa)
{
    return DATA_PA + (ipa - DATA_IPA);
}

static void queue(struct env *e, const uint64_t cmd[2])
{
    assert_int_equal(smmu_model_queue_inval(e->dom,
                         (const uint64_t (*)[2])cmd, 1), 0);
}

static void queue_sync(struct env *e, const uint64_t cmd[2])
{
    queue(e, cmd);
    assert_int_equal(smmu_model_sync(e->dom), 0);
}

/* Command encodings (4.3, 4.4). */
static void cmd_tlbi(uint64_t c[2], unsigned int op, uint16_t vmid,
                     uint16_t asid, uint64_t addr, bool leaf)
{
    c[0] = MASK_INSR(op, SMMU_CMD_OPCODE) |
           MASK_INSR(vmid, SMMU_CMD0_TLBI_VMID) |
           MASK_INSR(asid, SMMU_CMD0_TLBI_ASID);
    c[1] = (addr & SMMU_CMD1_TLBI_ADDR) | (leaf ? SMMU_CMD1_TLBI_LEAF : 0);
}

static void cmd_range(uint64_t c[2], uint16_t asid, uint64_t addr,
                      unsigned int tg, unsigned int ttl, unsigned int num,
                      unsigned int scale)
{
    cmd_tlbi(c, SMMU_OP_TLBI_NH_VA, VMID, asid, addr, true);
    c[0] |= MASK_INSR(num, SMMU_CMD0_TLBI_NUM) |
            MASK_INSR(scale, SMMU_CMD0_TLBI_SCALE);
    c[1] |= MASK_INSR(tg, SMMU_CMD1_TLBI_TG) |
            MASK_INSR(ttl, SMMU_CMD1_TLBI_TTL);
}

static void cmd_cfgi(uint64_t c[2], unsigned int op, uint32_t sid,
                     uint32_t ssid, unsigned int range)
{
    c[0] = MASK_INSR(op, SMMU_CMD_OPCODE) |
           MASK_INSR(sid, SMMU_CMD0_SID) |
           MASK_INSR(ssid, SMMU_CMD0_SSID);
    c[1] = op == SMMU_OP_CFGI_STE_RANGE ?
           MASK_INSR(range, SMMU_CMD1_CFGI_RANGE) : SMMU_CMD1_LEAF;
}

/*
 * Identification.
 */
static void test_caps(void **state)
{
    struct env *e = *state;
    uint32_t idr[6], iidr, aidr;

    smmu_model_read_caps(e->m, idr, &iidr, &aidr);
    assert_true(idr[0] & SMMU_IDR0_S1P);
    assert_true(idr[0] & SMMU_IDR0_S2P);
    assert_int_equal(MASK_EXTR(idr[0], SMMU_IDR0_TTF),
                     SMMU_IDR0_TTF_AARCH64);
    assert_true(idr[0] & SMMU_IDR0_ASID16);
    assert_true(idr[0] & SMMU_IDR0_VMID16);
    assert_int_equal(MASK_EXTR(idr[1], SMMU_IDR1_SIDSIZE), 16);
    assert_int_equal(MASK_EXTR(idr[1], SMMU_IDR1_SSIDSIZE), 0);
    assert_true(idr[3] & SMMU_IDR3_RIL);
    assert_int_equal(MASK_EXTR(idr[5], SMMU_IDR5_OAS), SMMU_IDR5_OAS_48);
    assert_int_equal(idr[5] & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K |
                               SMMU_IDR5_GRAN64K),
                     SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K);
    assert_int_equal(MASK_EXTR(iidr, SMMU_IIDR_IMPLEMENTER),
                     SMMU_IIDR_IMPLEMENTER_ARM);
    assert_int_equal(aidr, 0x02);
}

static void test_caps_no_ril(void **state)
{
    struct env *e = *state;
    uint32_t idr[6], iidr, aidr;

    smmu_model_read_caps(e->m, idr, &iidr, &aidr);
    assert_false(idr[3] & SMMU_IDR3_RIL);
}

/*
 * Translation, per granule (Arm ARM D8.2).
 */
static void check_pages(struct env *e)
{
    uint64_t g = e->granule, top = 1ULL << e->ias;
    /* Pages spread so they use different tables at every level. */
    const uint64_t iovas[] = {
        IOVA, IOVA + g, IOVA + 37 * g, top - g, top / 2 + 0x1234 * g, 0x0,
    };

    for (unsigned int i = 0; i < sizeof(iovas) / sizeof(iovas[0]); i++) {
        uint64_t ipa = DATA_IPA + (i + 3) * 3 * g;

        assert_int_equal(smmu_pgt_map(e->pgt, iovas[i], ipa, g,
                                      SMMU_PGT_WRITE), 0);
    }
    for (unsigned int i = 0; i < sizeof(iovas) / sizeof(iovas[0]); i++) {
        uint64_t ipa = DATA_IPA + (i + 3) * 3 * g;

        expect_pa(e, iovas[i] + 0x10, data_pa(ipa) + 0x10);
        expect_pa(e, iovas[i] + g - 4, data_pa(ipa) + g - 4);
        assert_int_equal(do_dma(e, iovas[i] + 0x20, WR, NULL),
                         SMMU_MODEL_DMA_OK);
    }
    assert_int_equal(smmu_model_stats(e->m)->events, 0);
}

static void test_translate_4k(void **state) { check_pages(*state); }
static void test_translate_16k(void **state) { check_pages(*state); }
static void test_translate_64k(void **state) { check_pages(*state); }

/* T0SZ = 25: a 39-bit space starts at level 1 (D8.2.6). */
static void test_translate_4k_39bit(void **state)
{
    struct env *e = *state;

    assert_int_equal(smmu_pgt_start_level(e->pgt), 1);
    check_pages(e);
}

static void check_block(struct env *e, unsigned int level)
{
    uint64_t size = smmu_pgt_level_size(e->pgt, level);
    uint64_t iova = 4 * size, desc_ipa, desc;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);

    assert_int_equal(smmu_pgt_map(e->pgt, iova, DATA_IPA, size, 0), 0);
    /* It really is one block descriptor at @level. */
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, iova, level, &desc_ipa), 0);
    assert_int_equal(smmu_pgt_read_word(e->pgt, desc_ipa, &desc), 0);
    assert_int_equal(desc & 3, 1);
    expect_pa(e, iova + size - 8, data_pa(DATA_IPA) + size - 8);
    /* One TLB entry covers the whole block: no second walk. */
    assert_int_equal(s->tlb_misses, 1);
    expect_pa(e, iova + 0x1230, data_pa(DATA_IPA) + 0x1230);
    assert_int_equal(s->tlb_misses, 1);
    assert_int_equal(s->tlb_hits, 1);
}

static void test_block_4k_l1(void **state) { check_block(*state, 1); }
static void test_block_4k_l2(void **state) { check_block(*state, 2); }
static void test_block_16k_l2(void **state) { check_block(*state, 2); }
static void test_block_64k_l2(void **state) { check_block(*state, 2); }

/*
 * Every stage-1 fetch goes through stage 2: take away the stage-2 mapping
 * of the page holding one level's descriptor and the walk faults there,
 * reported as a stage-2 fault of CLASS TTD with that page's IPA (7.3).
 */
static void test_table_fetch_through_s2(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule,
                                  SMMU_PGT_WRITE), 0);
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA, 2, &desc_ipa), 0);
    assert_int_equal(smmu_model_s2_unmap(e->dom, desc_ipa & ~0xfffULL,
                                         SMMU_MODEL_S2_PAGE), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_TRANSLATION, true);
    assert_int_equal(MASK_EXTR(e->evt[1], SMMU_EVT1_CLASS),
                     SMMU_EVT_CLASS_TTD);
    assert_int_equal(e->evt[2], IOVA);
    assert_int_equal(e->evt[3], desc_ipa & SMMU_EVT3_IPA);

    /* Mapped to a machine hole instead: an external abort on the walk. */
    assert_int_equal(smmu_model_s2_map(e->dom, desc_ipa & ~0xfffULL,
                                       0x7700000000ULL, SMMU_MODEL_S2_PAGE,
                                       SMMU_MODEL_S2_RW), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_WALK_EABT, false);
    assert_int_equal(e->evt[3], (0x7700000000ULL | (desc_ipa & 0xfff)) &
                                GENMASK_ULL(55, 3));
}

static void test_cd_fetch_through_s2(void **state)
{
    struct env *e = *state;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    assert_int_equal(smmu_model_s2_unmap(e->dom, e->cd_ipa & ~0xfffULL,
                                         SMMU_MODEL_S2_PAGE), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_TRANSLATION, true);
    assert_int_equal(MASK_EXTR(e->evt[1], SMMU_EVT1_CLASS),
                     SMMU_EVT_CLASS_CD);
    assert_int_equal(e->evt[3], e->cd_ipa & SMMU_EVT3_IPA);

    assert_int_equal(smmu_model_s2_map(e->dom, e->cd_ipa & ~0xfffULL,
                                       0x7700000000ULL, SMMU_MODEL_S2_PAGE,
                                       SMMU_MODEL_S2_RW), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_CD_FETCH, false);
    assert_int_equal(e->evt[3], 0x7700000000ULL | (e->cd_ipa & 0xfff));
}

/* The output IPA goes through stage 2 too (CLASS IN). */
static void test_output_s2_faults(void **state)
{
    struct env *e = *state;
    uint64_t unmapped = 0x200000000ULL;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, unmapped, e->granule,
                                  SMMU_PGT_WRITE), 0);
    expect_event(e, IOVA + 0x18, WR, SMMU_EVT_F_TRANSLATION, true);
    assert_int_equal(MASK_EXTR(e->evt[1], SMMU_EVT1_CLASS),
                     SMMU_EVT_CLASS_IN);
    assert_false(e->evt[1] & SMMU_EVT1_RNW);
    assert_int_equal(e->evt[2], IOVA + 0x18);
    assert_int_equal(e->evt[3], unmapped);

    /* Read-only at stage 2: reads pass, writes are S2 permission faults. */
    assert_int_equal(smmu_model_s2_map(e->dom, unmapped, DATA_PA,
                                       SMMU_MODEL_S2_PAGE,
                                       SMMU_MODEL_S2_READ), 0);
    expect_pa(e, IOVA, DATA_PA);
    expect_event(e, IOVA + 8, WR, SMMU_EVT_F_PERMISSION, true);
    assert_int_equal(MASK_EXTR(e->evt[1], SMMU_EVT1_CLASS),
                     SMMU_EVT_CLASS_IN);
    assert_int_equal(e->evt[3], unmapped);
}

/*
 * Stage-1 faults and their records (7.3.12-7.3.15).
 */
static void test_s1_translation_fault(void **state)
{
    struct env *e = *state;

    expect_event(e, IOVA + 0x44, RD, SMMU_EVT_F_TRANSLATION, false);
    assert_true(e->evt[1] & SMMU_EVT1_RNW);
    assert_int_equal(MASK_EXTR(e->evt[1], SMMU_EVT1_CLASS),
                     SMMU_EVT_CLASS_IN);
    assert_int_equal(e->evt[2], IOVA + 0x44);
    assert_int_equal(e->evt[3], 0);
    /* Beyond the 48-bit TTB0 region, and in the TTB1 half with EPD1 = 1. */
    expect_event(e, 1ULL << 48, RD, SMMU_EVT_F_TRANSLATION, false);
    expect_event(e, 0xffff000000001000ULL, RD, SMMU_EVT_F_TRANSLATION, false);
    assert_string_equal(smmu_model_last_fault_reason(e->m), "CD.EPD1");
    /* The handler saw the same record. */
    assert_int_equal(e->handler_calls, 3);
    assert_memory_equal(e->handler_evt, e->evt, sizeof(e->evt));
    assert_memory_equal(smmu_model_last_event(e->m), e->evt, sizeof(e->evt));
}

static void test_s1_permission(void **state)
{
    struct env *e = *state;
    uint64_t g = e->granule;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, g, 0), 0);
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA + g, DATA_IPA + g, g,
                                  SMMU_PGT_WRITE | SMMU_PGT_PRIV), 0);
    /* Read-only page (AP[2] = 1). */
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    expect_event(e, IOVA + 4, WR, SMMU_EVT_F_PERMISSION, false);
    assert_false(e->evt[1] & SMMU_EVT1_RNW);
    assert_false(e->evt[1] & SMMU_EVT1_PNU);
    assert_int_equal(e->evt[2], IOVA + 4);
    /* Privileged-only page (AP[1] = 0): unprivileged faults, even from
     * the TLB after a privileged access filled it. */
    expect_event(e, IOVA + g, RD, SMMU_EVT_F_PERMISSION, false);
    assert_int_equal(do_dma(e, IOVA + g, WR | PRIV, NULL), SMMU_MODEL_DMA_OK);
    expect_event(e, IOVA + g, WR, SMMU_EVT_F_PERMISSION, false);
    assert_string_equal(smmu_model_last_fault_reason(e->m), "S1 AP (TLB)");
    expect_event(e, IOVA, WR | PRIV, SMMU_EVT_F_PERMISSION, false);
    assert_true(e->evt[1] & SMMU_EVT1_PNU);
}

/* APTable[1] in a table descriptor makes everything below read-only. */
static void test_s1_aptable(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, desc;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule,
                                  SMMU_PGT_WRITE), 0);
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA, 2, &desc_ipa), 0);
    assert_int_equal(smmu_pgt_read_word(e->pgt, desc_ipa, &desc), 0);
    desc |= BIT(62, ULL);
    assert_int_equal(smmu_pgt_write_words(e->pgt, desc_ipa, &desc, 1), 0);
    expect_event(e, IOVA, WR, SMMU_EVT_F_PERMISSION, false);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
}

/* CD.PAN: privileged access to an unprivileged-accessible page faults. */
static void test_s1_pan(void **state)
{
    struct env *e = *state;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule,
                                  SMMU_PGT_WRITE), 0);
    e->cd[0] |= SMMU_CD0_PAN;
    write_cd(e);
    expect_event(e, IOVA, RD | PRIV, SMMU_EVT_F_PERMISSION, false);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
}

static void test_s1_access_flag(void **state)
{
    struct env *e = *state;
    uint64_t cmd[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule,
                                  SMMU_PGT_WRITE | SMMU_PGT_NO_AF), 0);
    expect_event(e, IOVA + 0x100, RD, SMMU_EVT_F_ACCESS, false);
    assert_int_equal(e->evt[2], IOVA + 0x100);
    /* A faulting translation is not cached: still a fault, after a walk. */
    expect_event(e, IOVA + 0x100, RD, SMMU_EVT_F_ACCESS, false);
    assert_int_equal(smmu_model_stats(e->m)->tlb_hits, 0);
    /* CD.AFFD = 1: AF is taken as 1 (5.4), once the CD is refetched. */
    e->cd[0] |= SMMU_CD0_AFFD;
    write_cd(e);
    expect_event(e, IOVA, RD, SMMU_EVT_F_ACCESS, false);
    cmd_cfgi(cmd, SMMU_OP_CFGI_CD, PSID, 0, 0);
    queue_sync(e, cmd);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
}

static void test_s1_addr_size(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, desc, cmd[2];

    /* A page descriptor whose output address has bit 48 set. */
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA, 3, &desc_ipa), 0);
    assert_int_equal(smmu_pgt_read_word(e->pgt, desc_ipa, &desc), 0);
    desc |= 1ULL << 48;
    assert_int_equal(smmu_pgt_write_words(e->pgt, desc_ipa, &desc, 1), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_ADDR_SIZE, false);

    /* CD.IPS = 32 bits: an output IPA at 2 GiB + 4 GiB is out of range. */
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA + 0x100000,
                                  DATA_IPA + (4ULL << 30), e->granule, 0), 0);
    e->cd[0] &= ~SMMU_CD0_IPS;
    write_cd(e);
    cmd_cfgi(cmd, SMMU_OP_CFGI_CD, PSID, 0, 0);
    queue_sync(e, cmd);
    expect_event(e, IOVA + 0x100000, RD, SMMU_EVT_F_ADDR_SIZE, false);
    assert_string_equal(smmu_model_last_fault_reason(e->m), "S1 output OA");
}

/* CD.IPS larger than the OAS is capped, not ILLEGAL (5.4). */
static void test_cd_ips_capped(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, desc;

    e->cd[0] = (e->cd[0] & ~SMMU_CD0_IPS) |
               MASK_INSR(SMMU_IDR5_OAS_52, SMMU_CD0_IPS);
    write_cd(e);
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* ... and capped at 48 bits: bit 49 of an output is a fault. */
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA + e->granule, 3,
                                       &desc_ipa), 0);
    desc = (1ULL << 49) | DATA_IPA | 0x403;     /* AF, page, valid */
    assert_int_equal(smmu_pgt_write_words(e->pgt, desc_ipa, &desc, 1), 0);
    expect_event(e, IOVA + e->granule, RD | PRIV, SMMU_EVT_F_ADDR_SIZE, false);
}

/* 5.5: CD.R = 0 suppresses the four translation-related fault records. */
static void test_cd_r0_silent(void **state)
{
    struct env *e = *state;

    e->cd[0] &= ~SMMU_CD0_R;
    write_cd(e);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_ABORTED);
    assert_int_equal(smmu_model_stats(e->m)->events, 0);
    assert_int_equal(smmu_model_stats(e->m)->silent_aborts, 1);
    assert_int_equal(e->handler_calls, 0);
}

/*
 * 5.4: each ILLEGAL CD field gives C_BAD_CD, and an ILLEGAL CD is never
 * cached (the next transaction fetches it again).
 */
struct cd_mutation {
    const char *reason;
    uint64_t clear0, set0;
    uint64_t ttb0;              /* nonzero: replaces TTB0 */
};

static void test_bad_cd_fields(void **state)
{
    struct env *e = *state;
    const struct cd_mutation cases[] = {
        { "CD.V", SMMU_CD0_V, 0, 0 },
        { "CD.AA64", SMMU_CD0_AA64, 0, 0 },
        { "CD.T0SZ", SMMU_CD0_T0SZ, MASK_INSR(15, SMMU_CD0_T0SZ), 0 },
        { "CD.T0SZ", SMMU_CD0_T0SZ, MASK_INSR(40, SMMU_CD0_T0SZ), 0 },
        { "CD.TG0", SMMU_CD0_TG0, MASK_INSR(3, SMMU_CD0_TG0), 0 },
        { "CD.TTB0", SMMU_CD0_IPS, 0, 1ULL << 33 },     /* IPS = 32 bits */
        { "CD.TTB0", 0, 0, 1ULL << 48 },
        { "CD.ENDI", 0, SMMU_CD0_ENDI, 0 },
        { "CD.HA/HD", 0, SMMU_CD0_HA, 0 },
        { "CD.HA/HD", 0, SMMU_CD0_HD, 0 },
        { "CD.S", 0, SMMU_CD0_S, 0 },
        { "CD.A", SMMU_CD0_A, 0, 0 },
        { "CD.TG1", SMMU_CD0_EPD1, 0, 0 },      /* TTB1 on, TG1 reserved */
        { "CD.T1SZ", SMMU_CD0_EPD1, MASK_INSR(2, GENMASK_ULL(23, 22)), 0 },
    };
    const uint64_t good0 = e->cd[0], good1 = e->cd[1];
    const struct smmu_model_stats *s = smmu_model_stats(e->m);

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned long fetches = s->cd_fetches;

        e->cd[0] = (good0 & ~cases[i].clear0) | cases[i].set0;
        e->cd[1] = cases[i].ttb0 ? cases[i].ttb0 : good1;
        write_cd(e);
        expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_CD, false);
        assert_string_equal(smmu_model_last_fault_reason(e->m),
                            cases[i].reason);
        assert_int_equal(e->evt[1], 0);
        assert_int_equal(e->evt[2], 0);
        assert_int_equal(s->cd_fetches, fetches + 1);
    }
    e->cd[0] = good0;
    e->cd[1] = good1;
    write_cd(e);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
}

/*
 * STE states and configuration errors (5.2, 5.5, 7.3.3).
 */
static void test_bad_ste(void **state)
{
    struct env *e = *state;
    uint64_t words[2];

    nested_ste(e->cd_ipa, words);
    words[0] |= MASK_INSR(1, SMMU_STE0_S1CDMAX);
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);
    assert_string_equal(smmu_model_last_fault_reason(e->m), "STE.S1CDMax");

    nested_ste(e->cd_ipa, words);
    words[1] |= SMMU_STE1_S1STALLD;
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);

    nested_ste(1ULL << 49, words);
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);

    /* Never configured: V = 0. */
    assert_int_equal(do_dma_sid(e, 0x99, IOVA, RD, NULL), SMMU_MODEL_DMA_FAULT);
    assert_int_equal(MASK_EXTR(e->evt[0], SMMU_EVT0_ID),
                     SMMU_EVT_C_BAD_STE);
    assert_int_equal(MASK_EXTR(e->evt[0], SMMU_EVT0_SID), 0x99);
    /* Beyond SIDSIZE. */
    assert_int_equal(do_dma_sid(e, 1U << 16, IOVA, RD, NULL),
                     SMMU_MODEL_DMA_FAULT);
    assert_int_equal(MASK_EXTR(e->evt[0], SMMU_EVT0_ID),
                     SMMU_EVT_C_BAD_STREAMID);
}

static void test_abort_and_s2_only(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t words[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));

    /* Abort: terminated without a record (5.2). */
    assert_int_equal(smmu_model_set_abort(e->dom, PSID), 0);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_ABORTED);
    assert_int_equal(s->events, 0);

    /* Stage 2 only: the IOVA is an IPA. */
    assert_int_equal(smmu_model_set_s2_only(e->dom, PSID), 0);
    expect_pa(e, DATA_IPA + 0x1234, data_pa(DATA_IPA) + 0x1234);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_FAULT);
    assert_true(e->evt[1] & SMMU_EVT1_S2);
    assert_int_equal(e->evt[3], IOVA);

    /* Back to nested: the guest's stage 1 again (CDs refetched). */
    nested_ste(e->cd_ipa, words);
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(s->cd_fetches, 2);
    assert_int_equal(s->installs_nested, 2);        /* with the setup's */
    assert_int_equal(s->sets_abort, 1);
    assert_int_equal(s->sets_s2_only, 1);
}

/* Stage-2-only translations are cached, and only S12_VMALL drops them. */
static void test_s2_only_caching(void **state)
{
    struct env *e = *state;
    uint64_t cmd[2];

    assert_int_equal(smmu_model_set_s2_only(e->dom, PSID), 0);
    expect_pa(e, DATA_IPA, data_pa(DATA_IPA));
    assert_int_equal(smmu_model_s2_unmap(e->dom, DATA_IPA,
                                         SMMU_MODEL_S2_PAGE), 0);
    expect_pa(e, DATA_IPA, data_pa(DATA_IPA));
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ALL, VMID, 0, 0, false);
    queue_sync(e, cmd);
    expect_pa(e, DATA_IPA, data_pa(DATA_IPA));
    cmd_tlbi(cmd, SMMU_OP_TLBI_S12_VMALL, VMID, 0, 0, false);
    queue_sync(e, cmd);
    expect_event(e, DATA_IPA, RD, SMMU_EVT_F_TRANSLATION, true);
}

static void test_ops_refusals(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *other = smmu_model_domain_create(e->m, 9);
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t words[2];

    nested_ste(e->cd_ipa, words);
    /* A stream of another domain. */
    assert_int_equal(model_ops.install_nested(other, PSID, words), -EPERM);
    assert_int_equal(model_ops.set_abort(other, PSID), -EPERM);
    assert_int_equal(model_ops.set_s2_only(other, PSID), -EPERM);
    assert_int_equal(smmu_model_assign_stream(other, PSID), -EBUSY);
    /* Bits outside the nesting whitelist (here S2VMID-like STRW). */
    words[1] |= SMMU_STE1_STRW;
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "whitelist"));
    nested_ste(e->cd_ipa, words);
    words[0] &= ~SMMU_STE0_V;
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), -EINVAL);
    words[0] |= SMMU_STE0_V;
    words[0] = (words[0] & ~SMMU_STE0_CONFIG) |
               MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG);
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), -EINVAL);
    assert_int_equal(s->errors, 6);
    /* The stream still translates with what it had. */
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    smmu_model_domain_destroy(other);
}

static void test_domain_destroy(void **state)
{
    struct env *e = *state;

    smmu_model_domain_destroy(e->dom);
    e->dom = smmu_model_domain_create(e->m, VMID);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);
}

/*
 * Raw STEs (5.2): smmu_model_write_raw_ste() and its decoder.  The good
 * entries are spelled out here from 5.2, not taken from any driver code.
 */
#define SHCFG_IN    MASK_INSR(SMMU_STE_SHCFG_INCOMING, SMMU_STE1_SHCFG)

static void raw_abort(uint64_t ste[4])
{
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_ABORT, SMMU_STE0_CONFIG);
    ste[1] = SHCFG_IN;
    ste[2] = ste[3] = 0;
}

static void raw_s2(const struct smmu_model_domain *d, uint64_t ste[4])
{
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_S2_TRANS, SMMU_STE0_CONFIG);
    ste[1] = SHCFG_IN;
    smmu_model_domain_s2_words(d, &ste[2], &ste[3]);
}

static void raw_nested(const struct smmu_model_domain *d, uint64_t cd_ipa,
                       uint64_t ste[4])
{
    ste[0] = SMMU_STE0_V |
             MASK_INSR(SMMU_STE_CONFIG_NESTED, SMMU_STE0_CONFIG) |
             (cd_ipa & SMMU_STE0_S1CTXPTR);
    ste[1] = SHCFG_IN | MASK_INSR(1, SMMU_STE1_S1CIR) |
             MASK_INSR(1, SMMU_STE1_S1COR) |
             MASK_INSR(3, SMMU_STE1_S1CSH);
    smmu_model_domain_s2_words(d, &ste[2], &ste[3]);
}

/* The domain's stage-2 words are what the driver in 0008 builds. */
static void test_raw_domain_s2_words(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *other = smmu_model_domain_create(e->m, 9);
    uint64_t w2, w3, o2, o3;

    smmu_model_domain_s2_words(e->dom, &w2, &w3);
    smmu_model_domain_s2_words(other, &o2, &o3);
    assert_int_equal(MASK_EXTR(w2, SMMU_STE2_S2VMID), VMID);
    assert_int_equal(MASK_EXTR(o2, SMMU_STE2_S2VMID), 9);
    assert_true(w2 & SMMU_STE2_S2AA64);
    assert_true(w2 & SMMU_STE2_S2R);
    assert_true(w2 & SMMU_STE2_S2PTW);
    assert_int_equal(MASK_EXTR(w2, SMMU_STE2_S2PS), SMMU_MODEL_OAS_ENC);
    assert_int_equal(MASK_EXTR(w2, SMMU_STE2_S2T0SZ), 16);
    /* Distinct roots, aligned, within the OAS. */
    assert_true(w3 != o3);
    assert_int_equal(w3 & ~SMMU_STE3_S2TTB, 0);
    assert_int_equal(w3 & 0xfff, 0);
    assert_int_equal(w3 >> SMMU_OAS_BITS(SMMU_MODEL_OAS_ENC), 0);
    smmu_model_domain_destroy(other);
}

/* 5.2: each configuration, as the ops table's own states would give it. */
static void test_raw_ste_states(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t ste[4];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(s->cd_fetches, 1);

    /* Abort: silent, whatever words 1-3 hold (abort uses none of them). */
    raw_abort(ste);
    ste[1] = ~0ULL;
    ste[2] = ~0ULL;
    ste[3] = ~0ULL;
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_ABORTED);
    assert_int_equal(s->events, 0);

    /* Stage 2 only: the IOVA is an IPA. */
    raw_s2(e->dom, ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_pa(e, DATA_IPA + 0x1234, data_pa(DATA_IPA) + 0x1234);
    expect_event(e, IOVA, RD, SMMU_EVT_F_TRANSLATION, true);

    /* Nested: the guest's CD again, fetched afresh (CFGI_STE). */
    raw_nested(e->dom, e->cd_ipa, ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(s->cd_fetches, 2);
    /* The same entry again still drops the cached CD (write + CFGI_STE). */
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_pa(e, IOVA + 4, data_pa(DATA_IPA) + 4);
    assert_int_equal(s->cd_fetches, 3);
    /* S1DSS means nothing without substreams. */
    ste[1] |= MASK_INSR(2, SMMU_STE1_S1DSS);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(s->raw_writes, 5);
    assert_int_equal(s->errors, 0);
}

struct raw_mutation {
    const char *reason;         /* the fault reason */
    bool s2_only;               /* mutate the S2 entry, not the nested one */
    unsigned int word;
    uint64_t clear;
    uint64_t set;
};

/*
 * 5.2: every field a real SMMU finds ILLEGAL, and every one the model does
 * not represent, is refused with -EINVAL, recorded, and afterwards every
 * transaction of the stream records C_BAD_STE with that reason.
 */
static void test_raw_ste_refusals(void **state)
{
    struct env *e = *state;
    const struct raw_mutation cases[] = {
        { "STE.V", false, 0, SMMU_STE0_V, 0 },
        { "STE.Config", false, 0, SMMU_STE0_CONFIG,
          MASK_INSR(1, SMMU_STE0_CONFIG) },
        { "STE.Config", false, 0, SMMU_STE0_CONFIG,
          MASK_INSR(2, SMMU_STE0_CONFIG) },
        { "STE.Config", false, 0, SMMU_STE0_CONFIG,
          MASK_INSR(3, SMMU_STE0_CONFIG) },
        { "STE.Config = bypass (not represented)", false, 0, SMMU_STE0_CONFIG,
          MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG) },
        { "STE.Config = stage 1 only (not represented)", false, 0,
          SMMU_STE0_CONFIG,
          MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG) },
        { "STE.S1Fmt", false, 0, 0,
          MASK_INSR(SMMU_STE_S1FMT_4K_L2, SMMU_STE0_S1FMT) },
        { "STE.S1CDMax", false, 0, 0,
          MASK_INSR(1, SMMU_STE0_S1CDMAX) },
        { "STE.S1ContextPtr", false, 0, 0, 1ULL << 49 },
        { "STE word 0 RES0", false, 0, 0, BIT(52, ULL) },
        { "STE word 0 RES0", true, 0, 0, BIT(58, ULL) },
        { "STE.S1STALLD", false, 1, 0, SMMU_STE1_S1STALLD },
        { "STE.EATS", false, 1, 0, MASK_INSR(1, SMMU_STE1_EATS) },
        { "STE.EATS", true, 1, 0, MASK_INSR(2, SMMU_STE1_EATS) },
        { "STE.STRW", false, 1, 0, MASK_INSR(2, SMMU_STE1_STRW) },
        { "STE word 1 (unmodelled field)", false, 1, 0, BIT(19, ULL) },
        { "STE word 1 (unmodelled field)", true, 1, 0, BIT(36, ULL) },
        { "STE.SHCFG (only incoming attributes are represented)", false, 1,
          SMMU_STE1_SHCFG, 0 },
        { "STE.SHCFG (only incoming attributes are represented)", true, 1,
          SMMU_STE1_SHCFG,
          MASK_INSR(3, SMMU_STE1_SHCFG) },
        { "STE.S2VMID (not the domain's)", false, 2, SMMU_STE2_S2VMID,
          MASK_INSR(9, SMMU_STE2_S2VMID) },
        { "STE.S2VMID (not the domain's)", true, 2, SMMU_STE2_S2VMID, 0 },
        { "STE.VTCR (not the domain's stage 2)", false, 2, SMMU_STE2_S2T0SZ,
          MASK_INSR(17, SMMU_STE2_S2T0SZ) },
        { "STE.S2TTB (not the domain's stage 2)", true, 3, 0, 1ULL << 20 },
        { "STE word 2 (not the domain's stage-2 flags)", false, 2,
          SMMU_STE2_S2PTW, 0 },
        { "STE word 2 (not the domain's stage-2 flags)", true, 2,
          SMMU_STE2_S2R, 0 },
        { "STE.S2AA64", false, 2, SMMU_STE2_S2AA64, 0 },
        { "STE.S2ENDI", true, 2, 0, SMMU_STE2_S2ENDI },
        { "STE.S2HA/S2HD", false, 2, 0, SMMU_STE2_S2HA },
        { "STE.S2HA/S2HD", true, 2, 0, SMMU_STE2_S2HD },
        { "STE.S2S", false, 2, 0, SMMU_STE2_S2S },
        { "STE.S2TG", false, 2, 0, MASK_INSR(3, SMMU_STE2_S2TG) },
        { "STE.S2T0SZ", true, 2, SMMU_STE2_S2T0SZ,
          MASK_INSR(15, SMMU_STE2_S2T0SZ) },
        { "STE.S2SL0", false, 2, 0, MASK_INSR(3, SMMU_STE2_S2SL0) },
        { "STE word 2 RES0", true, 2, 0, BIT(20, ULL) },
        { "STE word 2 RES0", false, 2, 0, BIT(63, ULL) },
        { "STE word 3 RES0", false, 3, 0, BIT(0, ULL) },
        { "STE.S2TTB", true, 3, 0, 1ULL << 49 },
    };
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t good[4], good_s2[4], ste[4];

    raw_nested(e->dom, e->cd_ipa, good);
    raw_s2(e->dom, good_s2);
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct raw_mutation *c = &cases[i];
        unsigned long errors = s->errors;

        memcpy(ste, c->s2_only ? good_s2 : good, sizeof(ste));
        ste[c->word] = (ste[c->word] & ~c->clear) | c->set;
        assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste),
                         -EINVAL);
        assert_int_equal(s->errors, errors + 1);
        assert_non_null(strstr(smmu_model_last_error(e->m), c->reason));
        /* C_BAD_STE for any address, read or write. */
        expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);
        assert_string_equal(smmu_model_last_fault_reason(e->m), c->reason);
        expect_event(e, DATA_IPA, WR, SMMU_EVT_C_BAD_STE, false);
        /* The good entry translates again. */
        assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID,
                                                  c->s2_only ? good_s2 : good),
                         0);
        if (c->s2_only)
            expect_pa(e, DATA_IPA, data_pa(DATA_IPA));
        else
            expect_pa(e, IOVA, data_pa(DATA_IPA));
    }
}

/* Ownership: a stream of another domain, or of none, is never changed. */
static void test_raw_ste_ownership(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *other = smmu_model_domain_create(e->m, 9);
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t ste[4];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    /* Well formed for the other domain, on our stream. */
    raw_s2(other, ste);
    assert_int_equal(smmu_model_write_raw_ste(other, PSID, ste), -EPERM);
    raw_abort(ste);
    assert_int_equal(smmu_model_write_raw_ste(other, PSID, ste), -EPERM);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID + 1, ste), -EPERM);
    assert_int_equal(s->errors, 3);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* Our S2 words on the other domain's stream: the VMID is not its. */
    assert_int_equal(smmu_model_assign_stream(other, PSID + 1), 0);
    raw_s2(e->dom, ste);
    assert_int_equal(smmu_model_write_raw_ste(other, PSID + 1, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "S2VMID"));
    smmu_model_domain_destroy(other);
}

/* Deassign: the stream leaves the domain with no valid STE. */
static void test_unassign_stream(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *other = smmu_model_domain_create(e->m, 9);
    uint64_t ste[4];

    assert_int_equal(smmu_model_unassign_stream(other, PSID), -EPERM);
    assert_int_equal(smmu_model_unassign_stream(e->dom, PSID), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);
    assert_string_equal(smmu_model_last_fault_reason(e->m), "STE.V");
    raw_abort(ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EPERM);
    assert_int_equal(model_ops.set_abort(e->dom, PSID), -EPERM);
    assert_int_equal(smmu_model_unassign_stream(e->dom, PSID), -EPERM);
    /* Another domain may have it now. */
    assert_int_equal(smmu_model_assign_stream(other, PSID), 0);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_ABORTED);
    smmu_model_domain_destroy(other);
}

/* The decoder alone: what a configuration uses, and nothing else. */
static void test_decode_ste_used_fields(void **state)
{
    struct env *e = *state;
    struct smmu_model_ste a, b;
    uint64_t x[4], y[4];

    /* V = 0: nothing else matters. */
    memset(x, 0, sizeof(x));
    memset(y, 0xff, sizeof(y));
    y[0] &= ~SMMU_STE0_V;
    smmu_model_decode_ste(e->m, x, &a);
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(a.kind, SMMU_MODEL_STE_INVALID);
    assert_true(smmu_model_same_ste(&a, &b));

    /* Abort: V and Config only. */
    raw_abort(x);
    raw_abort(y);
    y[0] |= SMMU_STE0_S1CTXPTR;
    y[2] = ~0ULL;
    smmu_model_decode_ste(e->m, x, &a);
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(a.kind, SMMU_MODEL_STE_ABORT);
    assert_true(smmu_model_same_ste(&a, &b));

    /* Stage 2 only ignores the stage-1 fields, not stage 2. */
    raw_s2(e->dom, x);
    raw_s2(e->dom, y);
    y[0] |= 0x1230000;
    y[1] |= SMMU_STE1_S1CIR | SMMU_STE1_S1CSH | SMMU_STE1_S1DSS;
    smmu_model_decode_ste(e->m, x, &a);
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(a.kind, SMMU_MODEL_STE_S2);
    assert_true(smmu_model_same_ste(&a, &b));
    y[3] ^= 1ULL << 12;
    smmu_model_decode_ste(e->m, y, &b);
    assert_false(smmu_model_same_ste(&a, &b));

    /* Nested uses the stage-1 fields, but not S1DSS. */
    raw_nested(e->dom, e->cd_ipa, x);
    raw_nested(e->dom, e->cd_ipa, y);
    y[1] |= SMMU_STE1_S1DSS;
    smmu_model_decode_ste(e->m, x, &a);
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(a.kind, SMMU_MODEL_STE_NESTED);
    assert_true(smmu_model_same_ste(&a, &b));
    y[1] ^= SMMU_STE1_S1COR;
    smmu_model_decode_ste(e->m, y, &b);
    assert_false(smmu_model_same_ste(&a, &b));
    raw_nested(e->dom, e->cd_ipa + 0x40, y);
    smmu_model_decode_ste(e->m, y, &b);
    assert_false(smmu_model_same_ste(&a, &b));

    /* Bypass decodes (it is legal), stage 1 only too; neither is S2. */
    raw_abort(y);
    y[0] |= MASK_INSR(SMMU_STE_CONFIG_BYPASS, SMMU_STE0_CONFIG);
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(b.kind, SMMU_MODEL_STE_BYPASS);
    assert_null(b.bad);
    raw_nested(e->dom, e->cd_ipa, y);
    y[0] = (y[0] & ~SMMU_STE0_CONFIG) |
           MASK_INSR(SMMU_STE_CONFIG_S1_TRANS, SMMU_STE0_CONFIG);
    y[2] = y[3] = 0;
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(b.kind, SMMU_MODEL_STE_S1);

    /* Nested with stage 2 cleared: ILLEGAL, never "stage 1 only". */
    raw_nested(e->dom, e->cd_ipa, y);
    y[2] = y[3] = 0;
    smmu_model_decode_ste(e->m, y, &b);
    assert_int_equal(b.kind, SMMU_MODEL_STE_ILLEGAL);
    assert_string_equal(b.bad, "STE.S2AA64");
}

/* 5.5 with STALL_MODEL = 0b00: stalls are the driver's to disable. */
static void test_raw_ste_stall_optional(void **state)
{
    struct env *e = *state;
    uint32_t idr[6], iidr, aidr;
    uint64_t ste[4], words[2];

    smmu_model_read_caps(e->m, idr, &iidr, &aidr);
    assert_int_equal(MASK_EXTR(idr[0], SMMU_IDR0_STALL_MODEL),
                     SMMU_IDR0_STALL_MODEL_STALL_TERM);
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    /* The ops stand for a driver that sets S1STALLD. */
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    raw_nested(e->dom, e->cd_ipa, ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "S1STALLD = 0"));
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_STE, false);
    ste[1] |= SMMU_STE1_S1STALLD;
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* S1STALLD = 1 makes a CD asking for stalls ILLEGAL (5.4). */
    e->cd[0] |= SMMU_CD0_S;
    write_cd(e);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_CD, false);
    /* Stage-2 stalls are legal here, but not the domain's. */
    raw_s2(e->dom, ste);
    ste[2] |= SMMU_STE2_S2S;
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "stage-2 flags"));
    /* The guest's S1STALLD through the ops has no effect. */
    e->cd[0] &= ~SMMU_CD0_S;
    write_cd(e);
    nested_ste(e->cd_ipa, words);
    words[1] |= SMMU_STE1_S1STALLD;
    assert_int_equal(smmu_model_install_nested(e->dom, PSID, words), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
}

/* STALL_MODEL = 0b10: nothing that translates is represented. */
static void test_raw_ste_stall_forced(void **state)
{
    struct env *e = *state;
    uint32_t idr[6], iidr, aidr;
    uint64_t ste[4];

    smmu_model_read_caps(e->m, idr, &iidr, &aidr);
    assert_int_equal(MASK_EXTR(idr[0], SMMU_IDR0_STALL_MODEL),
                     SMMU_IDR0_STALL_MODEL_STALL_FORCE);
    raw_nested(e->dom, e->cd_ipa, ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "0b10"));
    /* S1STALLD = 1 is ILLEGAL with forced stalls (5.2). */
    ste[1] |= SMMU_STE1_S1STALLD;
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EINVAL);
    assert_non_null(strstr(smmu_model_last_error(e->m), "STE.S1STALLD"));
    raw_s2(e->dom, ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), -EINVAL);
    expect_event(e, DATA_IPA, RD, SMMU_EVT_C_BAD_STE, false);
    assert_int_equal(model_ops.set_s2_only(e->dom, PSID), -EINVAL);
    raw_abort(ste);
    assert_int_equal(smmu_model_write_raw_ste(e->dom, PSID, ste), 0);
    assert_int_equal(do_dma(e, IOVA, RD, NULL), SMMU_MODEL_DMA_ABORTED);
}

/*
 * TLB and invalidation (4.4).  Helpers: map @n pages, translate them all
 * (filling the TLB), then unmap them in the tables without any TLBI, so
 * afterwards a hit proves an entry survived and a fault proves it went.
 */
static void fill_and_unmap(struct env *e, uint64_t iova, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        uint64_t va = iova + i * (uint64_t)e->granule;

        assert_int_equal(smmu_pgt_map(e->pgt, va,
                                      DATA_IPA + i * (uint64_t)e->granule,
                                      e->granule, 0), 0);
        expect_pa(e, va, data_pa(DATA_IPA + i * (uint64_t)e->granule));
    }
    assert_int_equal(smmu_pgt_unmap(e->pgt, iova, n * (uint64_t)e->granule),
                     0);
}

static bool hits(struct env *e, uint64_t iova)
{
    int r = do_dma(e, iova, RD, NULL);

    assert_true(r == SMMU_MODEL_DMA_OK || r == SMMU_MODEL_DMA_FAULT);
    return r == SMMU_MODEL_DMA_OK;
}

static void test_tlb_stale_until_tlbi_and_sync(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t cmd[2];

    fill_and_unmap(e, IOVA, 1);
    /* The TLB still hits after the unmap ... */
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(s->tlb_hits, 1);
    /* ... and after the TLBI is queued, until the sync. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA, true);
    queue(e, cmd);
    assert_int_equal(s->pending, 1);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(smmu_model_sync(e->dom), 0);
    assert_int_equal(s->pending, 0);
    expect_event(e, IOVA, RD, SMMU_EVT_F_TRANSLATION, false);
}

/*
 * A second stream with its own CD (ASID + 1) in the same domain, and a
 * third in another domain (VMID + 1) sharing the guest tables, give TLB
 * entries that a VMID/ASID-scoped command must leave alone.
 */
#define PSID_ASID2      0x43U
#define PSID_VMID2      0x44U

static struct smmu_model_domain *add_other_streams(struct env *e)
{
    struct smmu_model_domain *d2 = smmu_model_domain_create(e->m, VMID + 1);
    uint64_t cd2_ipa = smmu_pgt_alloc(e->pgt, SMMU_CD_SIZE, SMMU_CD_SIZE);
    uint64_t cd2[SMMU_CD_DWORDS], words[2];
    struct smmu_cd_params prm;

    smmu_pgt_cd_params(e->pgt, ASID + 1, &prm);
    smmu_build_cd(cd2, &prm);
    assert_int_equal(smmu_pgt_write_words(e->pgt, cd2_ipa, cd2,
                                          SMMU_CD_DWORDS), 0);
    assert_int_equal(smmu_model_assign_stream(e->dom, PSID_ASID2), 0);
    nested_ste(cd2_ipa, words);
    assert_int_equal(smmu_model_install_nested(e->dom, PSID_ASID2, words), 0);

    /* The other domain's stage 2 maps the same IPAs (same machine RAM). */
    for (uint64_t i = 0; i < POOL_SIZE / SMMU_MODEL_S2_PAGE; i++)
        assert_int_equal(smmu_model_s2_map(d2,
                             POOL_IPA + i * SMMU_MODEL_S2_PAGE,
                             POOL_PA + POOL_SIZE - (i + 1) * SMMU_MODEL_S2_PAGE,
                             SMMU_MODEL_S2_PAGE, SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_s2_map(d2, DATA_IPA, DATA_PA, DATA_SIZE,
                                       SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_assign_stream(d2, PSID_VMID2), 0);
    nested_ste(e->cd_ipa, words);
    assert_int_equal(smmu_model_install_nested(d2, PSID_VMID2, words), 0);
    return d2;
}

/* Map 4 pages, translate them through all three streams, unmap. */
static void fill3_and_unmap(struct env *e, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        uint64_t va = IOVA + i * (uint64_t)e->granule;
        uint64_t ipa = DATA_IPA + i * (uint64_t)e->granule;

        assert_int_equal(smmu_pgt_map(e->pgt, va, ipa, e->granule, 0), 0);
        expect_pa(e, va, data_pa(ipa));
        assert_int_equal(do_dma_sid(e, PSID_ASID2, va, RD, NULL), 0);
        assert_int_equal(do_dma_sid(e, PSID_VMID2, va, RD, NULL), 0);
    }
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, n * (uint64_t)e->granule),
                     0);
}

static bool hits_sid(struct env *e, uint32_t psid, uint64_t iova)
{
    return do_dma_sid(e, psid, iova, RD, NULL) == SMMU_MODEL_DMA_OK;
}

static void test_tlbi_va_scope(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d2 = add_other_streams(e);
    uint64_t g = e->granule, cmd[2];

    fill3_and_unmap(e, 2);
    /* Not an exact page address: the low bits are ignored (4.4). */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA + 0x1000 % g, true);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    assert_true(hits(e, IOVA + g));                 /* other VA */
    assert_true(hits_sid(e, PSID_ASID2, IOVA));     /* other ASID */
    assert_true(hits_sid(e, PSID_VMID2, IOVA));     /* other VMID */
    smmu_model_domain_destroy(d2);
}

static void test_tlbi_vaa_scope(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d2 = add_other_streams(e);
    uint64_t g = e->granule, cmd[2];

    fill3_and_unmap(e, 2);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VAA, VMID, 0, IOVA, true);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    assert_false(hits_sid(e, PSID_ASID2, IOVA));    /* every ASID */
    assert_true(hits(e, IOVA + g));
    assert_true(hits_sid(e, PSID_VMID2, IOVA));
    smmu_model_domain_destroy(d2);
}

static void test_tlbi_asid_scope(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d2 = add_other_streams(e);
    uint64_t g = e->granule, cmd[2];

    fill3_and_unmap(e, 2);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ASID, VMID, ASID, 0, false);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    assert_false(hits(e, IOVA + g));
    assert_true(hits_sid(e, PSID_ASID2, IOVA));
    assert_true(hits_sid(e, PSID_VMID2, IOVA));
    /* A TLBI naming the wrong VMID does nothing here, and is counted. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ASID, VMID + 5, ASID + 1, 0, false);
    queue_sync(e, cmd);
    assert_true(hits_sid(e, PSID_ASID2, IOVA));
    assert_int_equal(smmu_model_stats(e->m)->vmid_mismatches, 1);
    assert_int_equal(smmu_model_stats(e->m)->last_vmid, VMID + 5);
    smmu_model_domain_destroy(d2);
}

static void test_tlbi_all_scopes(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d2 = add_other_streams(e);
    uint64_t cmd[2];

    fill3_and_unmap(e, 1);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ALL, VMID, 0, 0, false);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    assert_false(hits_sid(e, PSID_ASID2, IOVA));
    assert_true(hits_sid(e, PSID_VMID2, IOVA));
    /* S12_VMALL of the other VMID, then NSNH_ALL for everything. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_S12_VMALL, VMID + 1, 0, 0, false);
    queue_sync(e, cmd);
    assert_false(hits_sid(e, PSID_VMID2, IOVA));

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    assert_true(hits(e, IOVA));
    assert_true(hits_sid(e, PSID_VMID2, IOVA));
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, e->granule), 0);
    cmd[0] = MASK_INSR(SMMU_OP_TLBI_NSNH_ALL, SMMU_CMD_OPCODE);
    cmd[1] = 0;
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    assert_false(hits_sid(e, PSID_VMID2, IOVA));
    assert_int_equal(smmu_model_stats(e->m)->cmds[SMMU_OP_TLBI_NSNH_ALL], 1);
    smmu_model_domain_destroy(d2);
}

/* nG = 0: one entry for every ASID; NH_ASID spares it, NH_VA does not. */
static void test_global_entries(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d2 = add_other_streams(e);
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t cmd[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule,
                                  SMMU_PGT_GLOBAL), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, e->granule), 0);
    assert_true(hits_sid(e, PSID_ASID2, IOVA));     /* the same entry */
    assert_int_equal(s->tlb_misses, 1);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ASID, VMID, ASID, 0, false);
    queue_sync(e, cmd);
    assert_true(hits(e, IOVA));
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID + 1, IOVA, true);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
    smmu_model_domain_destroy(d2);
}

/*
 * Range invalidation (4.4.1.1): [ADDR, ADDR + (NUM+1) * 2^SCALE * TG).
 */
static void test_tlbi_range(void **state)
{
    struct env *e = *state;
    uint64_t cmd[2];

    fill_and_unmap(e, IOVA, 8);
    /* NUM = 2, SCALE = 1: 6 pages from page 1: pages 1..6. */
    cmd_range(cmd, ASID, IOVA + 0x1000, 1, 3, 2, 1);
    queue_sync(e, cmd);
    assert_true(hits(e, IOVA));
    for (unsigned int i = 1; i <= 6; i++)
        assert_false(hits(e, IOVA + i * 0x1000ULL));
    assert_true(hits(e, IOVA + 7 * 0x1000ULL));
}

static void test_tlbi_range_tg_ttl_must_match(void **state)
{
    struct env *e = *state;
    uint64_t cmd[2];

    fill_and_unmap(e, IOVA, 1);
    /* Entries were inserted with a 4K granule at level 3. */
    cmd_range(cmd, ASID, IOVA, 3, 0, 0, 0x10);     /* TG = 64K */
    queue_sync(e, cmd);
    assert_true(hits(e, IOVA));
    cmd_range(cmd, ASID, IOVA, 1, 2, 0, 0);        /* TTL = level 2 */
    queue_sync(e, cmd);
    assert_true(hits(e, IOVA));
    cmd_range(cmd, ASID, IOVA, 1, 0, 1, 0);        /* any level */
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
}

/* Linux's invalidation of a 2 MiB block: {NUM 0, SCALE 9, TG 4K, TTL 2}. */
static void test_tlbi_range_block(void **state)
{
    struct env *e = *state;
    uint64_t cmd[2], iova = 0x40000000ULL;

    assert_int_equal(smmu_pgt_map(e->pgt, iova, DATA_IPA, 0x200000, 0), 0);
    assert_int_equal(smmu_pgt_map(e->pgt, iova + 0x200000,
                                  DATA_IPA + 0x200000, 0x200000, 0), 0);
    expect_pa(e, iova + 0x1ff000, data_pa(DATA_IPA) + 0x1ff000);
    expect_pa(e, iova + 0x200000, data_pa(DATA_IPA) + 0x200000);
    assert_int_equal(smmu_pgt_unmap(e->pgt, iova, 0x400000), 0);
    /* Invalidating any address of the block removes the block entry. */
    cmd_range(cmd, ASID, iova, 1, 2, 0, 9);
    queue_sync(e, cmd);
    assert_false(hits(e, iova + 0x1ff000));
    assert_true(hits(e, iova + 0x200000));
    /* A non-range TLBI by an address inside the block, too. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, iova + 0x3ff000, true);
    queue_sync(e, cmd);
    assert_false(hits(e, iova + 0x200000));
}

static void test_range_refused_without_ril(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t cmd[2];

    fill_and_unmap(e, IOVA, 1);
    cmd_range(cmd, ASID, IOVA, 1, 3, 0, 0);
    assert_int_equal(smmu_model_queue_inval(e->dom,
                         (const uint64_t (*)[2])cmd, 1), -EINVAL);
    assert_int_equal(s->errors, 1);
    assert_non_null(strstr(smmu_model_last_error(e->m), "RIL"));
    assert_int_equal(smmu_model_sync(e->dom), 0);
    assert_true(hits(e, IOVA));
    assert_true(smmu_model_log_entry(e->m, 0)->refused);
    /* The plain form works. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA, true);
    queue_sync(e, cmd);
    assert_false(hits(e, IOVA));
}

/*
 * Leaf = 1 keeps the walk cache; Leaf = 0 drops the table entries walked
 * (4.4.2.4).  Redirect a level-2 table descriptor to a new table that maps
 * the same IOVA elsewhere: only a walk that rereads level 2 sees it.
 */
static void test_leaf_and_walk_cache(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, new_table, leaf, cmd[2];
    const struct smmu_model_stats *s = smmu_model_stats(e->m);

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA, 2, &desc_ipa), 0);
    new_table = smmu_pgt_alloc(e->pgt, e->granule, e->granule);
    leaf = (DATA_IPA + 0x5000) | 0x403 | BIT(6, ULL) | BIT(7, ULL);
    assert_int_equal(smmu_pgt_write_words(e->pgt,
                         new_table + 8 * ((IOVA >> 12) & 511), &leaf, 1), 0);
    leaf = new_table | 3;
    assert_int_equal(smmu_pgt_write_words(e->pgt, desc_ipa, &leaf, 1), 0);

    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA, true);
    queue_sync(e, cmd);
    expect_pa(e, IOVA, data_pa(DATA_IPA));          /* old level-3 table */
    assert_true(s->walk_cache_hits >= 1);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA, false);
    queue_sync(e, cmd);
    expect_pa(e, IOVA, data_pa(DATA_IPA + 0x5000));
}

/* Leaf = 0 with TTL: table entries above the TTL level go (4.4.1.1). */
static void test_walk_cache_ttl(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, new_table, leaf, cmd[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA, 2, &desc_ipa), 0);
    new_table = smmu_pgt_alloc(e->pgt, e->granule, e->granule);
    leaf = (DATA_IPA + 0x5000) | 0x403 | BIT(6, ULL) | BIT(7, ULL);
    assert_int_equal(smmu_pgt_write_words(e->pgt,
                         new_table + 8 * ((IOVA >> 12) & 511), &leaf, 1), 0);
    leaf = new_table | 3;
    assert_int_equal(smmu_pgt_write_words(e->pgt, desc_ipa, &leaf, 1), 0);

    /* TTL = 2: level-2 table entries are not in scope, levels 0-1 are. */
    cmd_range(cmd, ASID, IOVA, 1, 2, 0, 0);
    cmd[1] &= ~SMMU_CMD1_TLBI_LEAF;
    queue_sync(e, cmd);
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA, true);
    queue_sync(e, cmd);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* TTL = 3: the level-2 table entry goes. */
    cmd_range(cmd, ASID, IOVA, 1, 3, 0, 0);
    cmd[1] &= ~SMMU_CMD1_TLBI_LEAF;
    queue_sync(e, cmd);
    expect_pa(e, IOVA, data_pa(DATA_IPA + 0x5000));
}

/*
 * Configuration cache (4.3): a changed CD is used only after CFGI_CD,
 * CFGI_CD_ALL, CFGI_STE or CFGI_STE_RANGE covering the stream.
 */
static void check_cd_change_needs(struct env *e, const uint64_t cfgi[2])
{
    const uint64_t iova2 = IOVA + 0x200000;
    uint64_t cmd[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* New ASID in the CD; a fresh address so the TLB cannot answer. */
    e->cd[0] = (e->cd[0] & ~SMMU_CD0_ASID) |
               MASK_INSR(ASID + 9, SMMU_CD0_ASID);
    write_cd(e);
    assert_int_equal(smmu_pgt_map(e->pgt, iova2, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, iova2, data_pa(DATA_IPA));
    assert_int_equal(smmu_pgt_unmap(e->pgt, iova2, e->granule), 0);
    /* Still the old CD: the old ASID's entry hits. */
    expect_pa(e, iova2, data_pa(DATA_IPA));
    queue(e, cfgi);
    expect_pa(e, iova2, data_pa(DATA_IPA));     /* not before the sync */
    assert_int_equal(smmu_model_sync(e->dom), 0);
    expect_event(e, iova2, RD, SMMU_EVT_F_TRANSLATION, false);
    /* The old ASID's entry is still there for a TLBI to clean up. */
    cmd_tlbi(cmd, SMMU_OP_TLBI_NH_ASID, VMID, ASID, 0, false);
    queue_sync(e, cmd);
    assert_int_equal(smmu_model_stats(e->m)->foreign_sids, 0);
}

static void test_cfgi_cd(void **state)
{
    uint64_t c[2];

    cmd_cfgi(c, SMMU_OP_CFGI_CD, PSID, 0, 0);
    check_cd_change_needs(*state, c);
}

static void test_cfgi_cd_all(void **state)
{
    uint64_t c[2];

    cmd_cfgi(c, SMMU_OP_CFGI_CD_ALL, PSID, 0, 0);
    check_cd_change_needs(*state, c);
}

static void test_cfgi_ste(void **state)
{
    uint64_t c[2];

    cmd_cfgi(c, SMMU_OP_CFGI_STE, PSID, 0, 0);
    check_cd_change_needs(*state, c);
}

static void test_cfgi_ste_range(void **state)
{
    uint64_t c[2];

    /* Range 6: the aligned 128 StreamIDs 0x00-0x7f hold 0x42. */
    cmd_cfgi(c, SMMU_OP_CFGI_STE_RANGE, 0x7f, 0, 6);
    check_cd_change_needs(*state, c);
}

static void test_cfgi_misses(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t c[2];

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, e->granule, 0), 0);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    e->cd[0] &= ~SMMU_CD0_V;
    write_cd(e);
    /* Another stream, a nonzero SubstreamID, a range not covering 0x42. */
    cmd_cfgi(c, SMMU_OP_CFGI_CD, PSID + 1, 0, 0);
    queue_sync(e, c);
    cmd_cfgi(c, SMMU_OP_CFGI_CD, PSID, 1, 0);
    queue_sync(e, c);
    cmd_cfgi(c, SMMU_OP_CFGI_STE_RANGE, 0x80, 0, 6);
    queue_sync(e, c);
    assert_int_equal(s->cd_fetches, 1);
    cmd_tlbi(c, SMMU_OP_TLBI_NH_ALL, VMID, 0, 0, false);
    queue_sync(e, c);
    expect_pa(e, IOVA, data_pa(DATA_IPA));
    /* A stream not owned by the issuer was named once (the range held
     * no assigned stream at all). */
    assert_int_equal(s->foreign_sids, 1);
    /* CFGI_ALL reaches it. */
    cmd_cfgi(c, SMMU_OP_CFGI_STE_RANGE, 0, 0, SMMU_CFGI_RANGE_ALL);
    queue_sync(e, c);
    expect_event(e, IOVA, RD, SMMU_EVT_C_BAD_CD, false);
}

/*
 * Commands: counters, log, refusals (4.1.1).
 */
static void test_batch_counters_and_log(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t cmds[64][2];

    for (unsigned int i = 0; i < 64; i++)
        cmd_tlbi(cmds[i], SMMU_OP_TLBI_NH_VA, VMID, ASID, IOVA + i * 0x1000ULL,
                 true);
    /* Through the ops table, as the relay calls it. */
    assert_int_equal(model_ops.queue_inval(e->dom,
                         (const uint64_t (*)[2])cmds, 64), 0);
    assert_int_equal(s->pending, 64);
    assert_int_equal(s->syncs, 0);
    assert_int_equal(model_ops.sync(e->dom), 0);
    assert_int_equal(s->cmds[SMMU_OP_TLBI_NH_VA], 64);
    assert_int_equal(s->cmds_total, 64);
    assert_int_equal(s->cmds[SMMU_OP_TLBI_NH_ALL], 0);
    assert_int_equal(s->syncs, 1);
    assert_int_equal(s->pending, 0);
    assert_int_equal(s->last_vmid, VMID);
    assert_int_equal(s->vmid_mismatches, 0);
    assert_int_equal(smmu_model_log_count(e->m), 64);
    for (unsigned int i = 0; i < 64; i++) {
        const struct smmu_model_cmd_record *r = smmu_model_log_entry(e->m, i);

        assert_memory_equal(r->cmd, cmds[i], sizeof(cmds[i]));
        assert_int_equal(r->issuer_vmid, VMID);
        assert_int_equal(r->sync_epoch, 0);
        assert_false(r->refused);
    }
    assert_null(smmu_model_log_entry(e->m, 64));
    smmu_model_reset_stats(e->m);
    assert_int_equal(s->cmds_total, 0);
    assert_int_equal(smmu_model_log_count(e->m), 0);
}

static void test_command_refusals(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);
    uint64_t cmds[6][2];

    memset(cmds, 0, sizeof(cmds));
    cmds[0][0] = SMMU_OP_CMD_SYNC;
    cmds[1][0] = SMMU_OP_PREFETCH_CONFIG;
    cmds[2][0] = SMMU_OP_ATC_INV;
    cmd_cfgi(cmds[3], SMMU_OP_CFGI_STE, PSID, 0, 0);
    cmds[3][0] |= SMMU_CMD0_SSEC;
    cmd_range(cmds[4], ASID, IOVA, 1, 0, 0, 0);     /* Reserved encoding */
    cmd_tlbi(cmds[5], SMMU_OP_TLBI_NH_ASID, VMID, ASID, 0, false);
    assert_int_equal(smmu_model_queue_inval(e->dom,
                         (const uint64_t (*)[2])cmds, 6), -EINVAL);
    assert_int_equal(s->errors, 5);
    assert_int_equal(s->pending, 1);                /* the valid one */
    assert_int_equal(s->cmds_total, 6);
    assert_int_equal(s->cmds[SMMU_OP_CMD_SYNC], 1);
    assert_int_equal(smmu_model_log_count(e->m), 6);
    assert_true(smmu_model_log_entry(e->m, 0)->refused);
    assert_false(smmu_model_log_entry(e->m, 5)->refused);
    assert_non_null(strstr(smmu_model_last_error(e->m), "Reserved"));
}

/*
 * TLB bound and deterministic eviction: with 4 entries, the 5th page
 * evicts the first one filled (round robin from slot 0).
 */
static void test_tlb_eviction(void **state)
{
    struct env *e = *state;
    const struct smmu_model_stats *s = smmu_model_stats(e->m);

    fill_and_unmap(e, IOVA, 5);
    assert_int_equal(smmu_model_tlb_occupancy(e->m), 4);
    assert_int_equal(s->tlb_evictions, 1);
    assert_false(hits(e, IOVA));
    for (unsigned int i = 1; i < 5; i++)
        assert_true(hits(e, IOVA + i * 0x1000ULL));
}

static void test_dma_arguments(void **state)
{
    struct env *e = *state;

    assert_int_equal(smmu_model_dma(e->m, PSID, IOVA + 0xffe, RD, 4, NULL,
                                    NULL), -EINVAL);
    assert_int_equal(smmu_model_dma(e->m, PSID, IOVA, RD | WR, 4, NULL, NULL),
                     -EINVAL);
    assert_int_equal(smmu_model_dma(e->m, PSID, IOVA, 0, 4, NULL, NULL),
                     -EINVAL);
    assert_int_equal(smmu_model_dma(e->m, PSID, IOVA, RD, 0, NULL, NULL),
                     -EINVAL);
    assert_int_equal(smmu_model_stats(e->m)->dmas, 0);
}

/*
 * The stage-2 range map and the page-table builder themselves.
 */
static void test_s2_map(void **state)
{
    struct env *e = *state;
    struct smmu_model_domain *d = smmu_model_domain_create(e->m, 3);
    uint64_t pa;
    unsigned int perms;

    assert_int_equal(smmu_model_s2_map(d, 0x10000, 0x80000, 0x10000,
                                       SMMU_MODEL_S2_READ), 0);
    assert_int_equal(smmu_model_s2_map(d, 0x1f000, 0, 0x1000,
                                       SMMU_MODEL_S2_RW), -EEXIST);
    assert_int_equal(smmu_model_s2_map(d, 0x10800, 0, 0x1000,
                                       SMMU_MODEL_S2_RW), -EINVAL);
    /* Punch a hole in the middle: head and tail keep their PAs. */
    assert_int_equal(smmu_model_s2_unmap(d, 0x14000, 0x2000), 0);
    assert_int_equal(smmu_model_s2_lookup(d, 0x13fff, &pa, &perms), 0);
    assert_int_equal(pa, 0x83fff);
    assert_int_equal(perms, SMMU_MODEL_S2_READ);
    assert_int_equal(smmu_model_s2_lookup(d, 0x14000, &pa, NULL), -ENOENT);
    assert_int_equal(smmu_model_s2_lookup(d, 0x16000, &pa, NULL), 0);
    assert_int_equal(pa, 0x86000);
    /* Trim both ends across two ranges. */
    assert_int_equal(smmu_model_s2_unmap(d, 0x13000, 0x4000), 0);
    assert_int_equal(smmu_model_s2_lookup(d, 0x12fff, &pa, NULL), 0);
    assert_int_equal(smmu_model_s2_lookup(d, 0x13000, &pa, NULL), -ENOENT);
    assert_int_equal(smmu_model_s2_lookup(d, 0x17000, &pa, NULL), 0);
    assert_int_equal(pa, 0x87000);
    assert_int_equal(smmu_model_s2_map(d, 0x13000, 0x93000, 0x4000,
                                       SMMU_MODEL_S2_RW), 0);
    assert_int_equal(smmu_model_s2_unmap(d, 0, 0x100000), 0);
    assert_int_equal(smmu_model_s2_lookup(d, 0x10000, &pa, NULL), -ENOENT);
    smmu_model_domain_destroy(d);
}

static void test_pgtable_builder(void **state)
{
    struct env *e = *state;
    uint64_t desc_ipa, desc;

    assert_int_equal(smmu_pgt_map(e->pgt, IOVA, DATA_IPA, 0x200000, 0), 0);
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA + 0x1000, DATA_IPA, 0x1000, 0),
                     -EEXIST);
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA, 0x1000), -EINVAL);
    /* Pages only, then a partial unmap in the middle. */
    assert_int_equal(smmu_pgt_map(e->pgt, IOVA + 0x200000, DATA_IPA, 0x200000,
                                  SMMU_PGT_PAGES | SMMU_PGT_WRITE), 0);
    assert_int_equal(smmu_pgt_desc_ipa(e->pgt, IOVA + 0x201000, 3, &desc_ipa),
                     0);
    assert_int_equal(smmu_pgt_read_word(e->pgt, desc_ipa, &desc), 0);
    /* Linux's attributes: valid page, AttrIndx 1, AP unpriv RW, IS, AF, nG. */
    assert_int_equal(desc, (DATA_IPA + 0x1000) | 0x3 | (1 << 2) | BIT(6, ULL) |
                           (3 << 8) | BIT(10, ULL) | BIT(11, ULL));
    assert_int_equal(smmu_pgt_unmap(e->pgt, IOVA + 0x201000, 0x2000), 0);
    assert_int_equal(smmu_pgt_read_word(e->pgt, desc_ipa, &desc), 0);
    assert_int_equal(desc, 0);
    expect_pa(e, IOVA + 0x200000, data_pa(DATA_IPA));
    expect_event(e, IOVA + 0x202000, RD, SMMU_EVT_F_TRANSLATION, false);
    expect_pa(e, IOVA + 0x203000, data_pa(DATA_IPA) + 0x3000);
    /* The STE and CD builders write what Linux writes (reference 2.5). */
    {
        uint64_t ste[SMMU_STE_DWORDS];

        smmu_build_ste_s1(ste, 0x12340);
        assert_int_equal(ste[0], 0x12340ULL | 0xb);
        assert_int_equal(ste[1], 0xd6);
        smmu_build_ste_bypass(ste);
        assert_int_equal(ste[0], 0x9);
        smmu_build_ste_abort(ste);
        assert_int_equal(ste[0], 0x1);
        /* V, EPD1, SH0 = ISH, ORGN0 = IRGN0 = WBWA, TG0 = 4K, T0SZ 16. */
        assert_int_equal(e->cd[0] & 0xffffffffULL,
                         SMMU_CD0_V | SMMU_CD0_EPD1 | 0x3500 | 16);
        assert_true(e->cd[0] & SMMU_CD0_ASET);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_caps, setup_4k),
        T(test_caps_no_ril, setup_4k_noril),
        T(test_translate_4k, setup_4k),
        T(test_translate_16k, setup_16k),
        T(test_translate_64k, setup_64k),
        T(test_translate_4k_39bit, setup_4k_39),
        T(test_block_4k_l1, setup_4k),
        T(test_block_4k_l2, setup_4k),
        T(test_block_16k_l2, setup_16k),
        T(test_block_64k_l2, setup_64k),
        T(test_table_fetch_through_s2, setup_4k),
        T(test_table_fetch_through_s2, setup_64k),
        T(test_cd_fetch_through_s2, setup_4k),
        T(test_output_s2_faults, setup_16k),
        T(test_s1_translation_fault, setup_4k),
        T(test_s1_permission, setup_4k),
        T(test_s1_permission, setup_64k),
        T(test_s1_aptable, setup_4k),
        T(test_s1_pan, setup_4k),
        T(test_s1_access_flag, setup_16k),
        T(test_s1_addr_size, setup_4k),
        T(test_cd_ips_capped, setup_4k),
        T(test_cd_r0_silent, setup_4k),
        T(test_bad_cd_fields, setup_4k),
        T(test_bad_ste, setup_4k),
        T(test_abort_and_s2_only, setup_4k),
        T(test_s2_only_caching, setup_4k),
        T(test_ops_refusals, setup_4k),
        T(test_domain_destroy, setup_4k),
        T(test_raw_domain_s2_words, setup_4k),
        T(test_raw_ste_states, setup_4k),
        T(test_raw_ste_refusals, setup_4k),
        T(test_raw_ste_ownership, setup_4k),
        T(test_unassign_stream, setup_4k),
        T(test_decode_ste_used_fields, setup_4k),
        T(test_raw_ste_stall_optional, setup_stall_optional),
        T(test_raw_ste_stall_forced, setup_stall_forced),
        T(test_tlb_stale_until_tlbi_and_sync, setup_4k),
        T(test_tlbi_va_scope, setup_4k),
        T(test_tlbi_va_scope, setup_64k),
        T(test_tlbi_vaa_scope, setup_4k),
        T(test_tlbi_asid_scope, setup_16k),
        T(test_tlbi_all_scopes, setup_4k),
        T(test_global_entries, setup_4k),
        T(test_tlbi_range, setup_4k),
        T(test_tlbi_range_tg_ttl_must_match, setup_4k),
        T(test_tlbi_range_block, setup_4k),
        T(test_range_refused_without_ril, setup_4k_noril),
        T(test_leaf_and_walk_cache, setup_4k),
        T(test_walk_cache_ttl, setup_4k),
        T(test_cfgi_cd, setup_4k),
        T(test_cfgi_cd_all, setup_4k),
        T(test_cfgi_ste, setup_4k),
        T(test_cfgi_ste_range, setup_4k),
        T(test_cfgi_misses, setup_4k),
        T(test_batch_counters_and_log, setup_4k),
        T(test_command_refusals, setup_4k),
        T(test_tlb_eviction, setup_small_tlb),
        T(test_dma_arguments, setup_4k),
        T(test_s2_map, setup_4k),
        T(test_pgtable_builder, setup_4k),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
